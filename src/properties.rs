//! Properties of URL building and slugs over generated names (proptest): a unit test, since
//! it drives the model and the plan directly.
//!
//! Whatever an author names a file, a folder, a tag or an alias (`..`, `/`, `\`, NUL,
//! percent signs, right-to-left marks, any Unicode), every file the build would write stays
//! inside the output folder and every URL it links to stays under the base path. The site
//! is assembled by the real model (`model::assemble`) and its output files listed by the
//! real plan (`render::plan`), so these are the paths a build writes.
//!
//! Case counts are kept small (a few seconds in a debug build); failures print the
//! shrunk input.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, BaseUrlOverride};
use crate::load::{self, ContentFile, Document, Loaded, Source};
use crate::model::tags::{collect_tags, tag_key};
use crate::model::{self, Selection, Site};
use crate::render::context::tag_path;
use crate::render::plan;
use crate::slug::slugify;
use proptest::prelude::*;
use url::Url;

/// Pieces that have broken path and URL code elsewhere, mixed with arbitrary text.
const NASTY: &[&str] = &[
    "..", ".", "/", "\\", "\0", "%", "%2e", "%2E%2e", "%2f", "%5c", "%00", "%252e", "~", "?", "#",
    "&", "+", "C++", "C#", " ", "\t", "\u{200b}", "\u{200f}", "\u{202e}", "\u{feff}", "é", "Ü",
    "日本", "🎉", "İ", "ß", "a", "b", "-", "_", ":", "\"", "'", "<", ">", "index", ".html", "tags",
    "CON",
];

/// Any string, biased towards the pieces above.
fn nasty_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(NASTY).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[a-zA-Z0-9 ._-]{1,6}",
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

/// A name a file or folder can have on this system: no `/`, no NUL, not `.` or `..`.
fn file_name() -> impl Strategy<Value = String> {
    nasty_string()
        .prop_map(|s| s.replace(['/', '\0'], ""))
        .prop_filter("a file name", |s| !s.is_empty() && s != "." && s != "..")
}

/// A content-relative path of 1 to 3 segments.
fn rel_path() -> impl Strategy<Value = String> {
    proptest::collection::vec(file_name(), 1..4).prop_map(|s| s.join("/"))
}

/// A YAML double-quoted string holding exactly `s` (JSON escapes are YAML escapes).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

const BASES: &[&str] = &[
    "https://example.org/",
    "https://user.github.io/repo/",
    "https://h.example/a%20b/c/",
    "http://localhost:8080/x/y/z",
];

#[derive(Debug, Clone)]
struct GenPage {
    rel: String,
    title: String,
    tags: Vec<String>,
    aliases: Vec<String>,
}

fn gen_page() -> impl Strategy<Value = GenPage> {
    (
        rel_path(),
        nasty_string(),
        proptest::collection::vec(nasty_string(), 0..4),
        proptest::collection::vec(nasty_string(), 0..3),
    )
        .prop_map(|(rel, title, tags, aliases)| GenPage {
            rel: format!("{rel}.md"),
            title,
            tags,
            aliases,
        })
}

fn source(rel: &str, text: String) -> Arc<Source> {
    Arc::new(Source::new(
        rel.to_string(),
        PathBuf::from("content").join(rel),
        text,
    ))
}

/// Assembles a site from generated pages, sections and content files. Pages whose front
/// matter is refused are left out, as a build would skip them (after reporting them).
fn assemble(base: &str, pages: &[GenPage], sections: &[String], files: &[String]) -> Site {
    let config = config::parse(
        Path::new("config.yaml"),
        "title: T\nbase_url: https://ignored.example/\n",
        &BaseUrlOverride::CommandLine(base.to_string()),
    )
    .expect("the test config is valid");
    let mut loaded = Loaded::default();
    for page in pages {
        let mut yaml = format!("title: {}\ndate: 2024-01-02\n", quoted(&page.title));
        if !page.tags.is_empty() {
            let tags: Vec<String> = page.tags.iter().map(|t| quoted(t)).collect();
            yaml.push_str(&format!("tags: [{}]\n", tags.join(", ")));
        }
        if !page.aliases.is_empty() {
            let aliases: Vec<String> = page.aliases.iter().map(|t| quoted(t)).collect();
            yaml.push_str(&format!("aliases: [{}]\n", aliases.join(", ")));
        }
        let text = format!("---\n{yaml}---\nBody.\n");
        if let Ok(Document::Page(doc)) = load::parse_document(source(&page.rel, text)) {
            loaded.pages.push(doc);
        }
    }
    for dir in sections {
        let rel = format!("{dir}/_index.md");
        let text = "---\ntitle: S\n---\n".to_string();
        if let Ok(Document::Section(doc)) = load::parse_document(source(&rel, text)) {
            loaded.sections.push(*doc);
        }
    }
    for rel in files {
        loaded.files.push(ContentFile {
            rel: rel.clone(),
            path: PathBuf::from("content").join(rel),
        });
    }
    let selection = Selection {
        drafts: true,
        future: true,
        now: chrono::Utc::now(),
    };
    model::assemble(config, loaded, selection).0
}

/// An output path the build would write: relative, every component an ordinary name.
fn assert_inside(path: &str) -> Result<(), TestCaseError> {
    prop_assert!(!path.is_empty(), "an empty output path");
    prop_assert!(!path.contains('\0'), "NUL in output path {path:?}");
    let components: Vec<Component> = Path::new(path).components().collect();
    prop_assert!(
        components.iter().all(|c| matches!(c, Component::Normal(_))),
        "output path {path:?} leaves the output folder"
    );
    Ok(())
}

/// A URL path the build links to: starts with the base path, and a browser resolving it
/// (dot segments, `%2e`, backslashes as WHATWG URL parsing treats them) stays under it.
fn assert_under_base(site: &Site, url_path: &str) -> Result<(), TestCaseError> {
    let base_path = site.config.urls.base_path();
    prop_assert!(
        url_path.starts_with(base_path),
        "URL {url_path:?} is not under the base path {base_path:?}"
    );
    prop_assert!(
        !url_path.contains("//"),
        "URL {url_path:?} has an empty segment"
    );
    let base = Url::parse(&site.config.urls.base_url()).expect("the base URL parses");
    let resolved = base
        .join(url_path)
        .map_err(|e| TestCaseError::fail(format!("URL {url_path:?} does not parse: {e}")))?;
    prop_assert_eq!(resolved.origin(), base.origin());
    prop_assert!(
        resolved.path().starts_with(base.path()),
        "URL {url_path:?} resolves to {} outside {}",
        resolved.path(),
        base.path()
    );
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// A slug only ever holds `[a-z0-9-]`, never starts or ends with `-` or doubles it, and
    /// is at most 120 bytes: it can never climb out of its folder.
    #[test]
    fn slugs_are_safe(text in nasty_string()) {
        let slug = slugify(&text);
        prop_assert!(
            slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{slug:?}"
        );
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
        prop_assert!(slug.len() <= 120);
    }

    /// Tags that are different tags (different folded names) never share a URL, whatever
    /// their spelling: `a-b` and `a b`, `C++` and `c plus plus`.
    #[test]
    fn distinct_tags_get_distinct_slugs(
        names in proptest::collection::vec(
            prop_oneof![4 => "[ab][ -][ab+#]", 2 => "[ab+# -]{1,4}", 1 => nasty_string()], 1..16)
    ) {
        let tags = collect_tags(names.iter().enumerate().map(|(i, n)| (i, n.as_str())));
        let mut keys: Vec<String> = names.iter().map(|n| tag_key(n)).collect();
        keys.sort();
        keys.dedup();
        prop_assert_eq!(tags.len(), keys.len());
        let mut slugs: Vec<&str> = tags.iter().map(|t| t.slug.as_str()).collect();
        slugs.sort();
        slugs.dedup();
        prop_assert_eq!(slugs.len(), tags.len(), "{:?}", tags.iter().map(|t| (&t.key, &t.slug)).collect::<Vec<_>>());
        for tag in &tags {
            prop_assert!(!tag.slug.is_empty());
            prop_assert!(tag.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        }
    }

    /// Any base URL is refused or gives a base path that starts and ends with `/`, under
    /// which every joined path stays.
    #[test]
    fn base_urls_parse_to_a_clean_base_path(
        path in nasty_string(),
        site_path in "[a-z0-9-]{0,8}(/[a-z0-9-]{1,8}){0,3}/?",
    ) {
        let base_url = format!("https://example.org/{path}");
        if let Ok(urls) = crate::urls::Urls::parse(&base_url) {
            let base = urls.base_path();
            prop_assert!(base.starts_with('/') && base.ends_with('/'), "{base:?}");
            let joined = urls.path(&site_path);
            prop_assert!(joined.starts_with(base));
            let absolute = Url::parse(&urls.absolute(&site_path))
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert!(absolute.path().starts_with(base), "{absolute} not under {base}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..config() })]

    /// Every output file of a site whose file, folder, tag and alias names are anything at
    /// all stays inside the output folder, and every page, section, tag, alias and content
    /// file URL stays under the base path.
    #[test]
    fn site_paths_stay_inside(
        base in proptest::sample::select(BASES),
        pages in proptest::collection::vec(gen_page(), 1..5),
        sections in proptest::collection::vec(rel_path(), 0..3),
        files in proptest::collection::vec(rel_path(), 0..3),
    ) {
        let site = assemble(base, &pages, &sections, &files);
        let (planned, _) = plan::plan(&site, 0);
        for p in &planned {
            for path in plan::output_paths(&site, p.job) {
                assert_inside(&path)?;
            }
        }
        for i in 0..site.pages.len() {
            assert_under_base(&site, &site.page_url(i))?;
        }
        for section in &site.sections {
            assert_under_base(&site, &site.config.urls.path(&section.path))?;
        }
        for tag in &site.tags {
            assert_under_base(&site, &site.config.urls.path(&tag_path(&tag.slug)))?;
        }
        for (alias, _) in &site.aliases {
            assert_under_base(&site, &site.config.urls.path(alias))?;
        }
        for file in &site.files {
            let url = site.content_file_url(&file.rel);
            prop_assert!(url.is_some(), "no URL for content file {:?}", file.rel);
            assert_under_base(&site, &url.unwrap_or_default())?;
        }
    }
}
