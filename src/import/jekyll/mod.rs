//! Jekyll sites: `_config.yml`, posts in `_posts/` (and `<category>/_posts/`), drafts in
//! `_drafts/`, pages (files with front matter), and every other file not starting with `_`
//! or `.` copied as a static file. Liquid in bodies is handled by `body.rs`.

mod body;
mod collections;
mod defaults;
mod documents;
mod front;
mod paginate;
mod permalink;
mod tz;

use std::path::Path;

use super::config::{SiteConfig, author};
use super::ids::IdRule;
use super::model::{Note, Site, string};
use super::walk;
use super::{Failure, Options};
use crate::diagnostic::{Diagnostic, Location};
use crate::yaml::{Mapping, Value};

pub(crate) use body::{convert, keys};
use collections::{Collection, collections};
use defaults::defaults;
use documents::{read_document, read_file};

/// Files Jekyll itself never copies (its default `exclude`, plus what only builds need).
const EXCLUDED: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "package.json",
    "package-lock.json",
    "Rakefile",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
];

/// The `_config.yml` settings the content pass needs.
pub(crate) struct Settings {
    /// The `permalink` setting (a style name or a pattern).
    pub permalink: String,
    /// `url` + `baseurl`, for `feed_id` (jekyll-feed's `post.id | absolute_url`).
    pub absolute_base: String,
    pub categories_as_tags: bool,
    /// `defaults:` entries: (path prefix, type, values).
    pub defaults: Vec<(String, Option<String>, Mapping)>,
    /// `collections: { posts: { permalink } }`: wins over `permalink` for posts.
    pub posts_permalink: Option<String>,
    /// `timezone:`: post dates (and so their URLs) are shown in it.
    pub timezone: Option<tz::Zone>,
}

fn read_config(source: &Path) -> Result<Mapping, Failure> {
    let Some(path) = ["_config.yml", "_config.yaml"]
        .iter()
        .map(|n| source.join(n))
        .find(|p| p.is_file())
    else {
        return Err(Failure::not_a_site(
            Diagnostic::error(format!(
                "`{}` is not a Jekyll site: it has no _config.yml",
                source.display()
            ))
            .help("give the folder that holds _config.yml and _posts/"),
        ));
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::not_a_site(Diagnostic::error(format!("cannot read _config.yml: {e}")))
    })?;
    match crate::yaml::from_str::<Value>(&text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(_) => Ok(Mapping::new()),
        Err(e) => Err(Failure::not_a_site(
            Diagnostic::error(format!("_config.yml: {}", e.message)).at(Location::at_offset(
                "_config.yml",
                &text,
                e.offset.unwrap_or(0),
                1,
            )),
        )),
    }
}

/// The heading-id rule of the site: GFM kramdown unless `kramdown: { input: kramdown }`.
pub(crate) fn id_rule(source: &Path) -> IdRule {
    let config = read_config(source).unwrap_or_default();
    match config
        .get("kramdown")
        .and_then(|k| k.get("input"))
        .and_then(Value::as_str)
    {
        Some(i) if i.eq_ignore_ascii_case("kramdown") => IdRule::Kramdown,
        _ => IdRule::KramdownGfm,
    }
}

/// The old site's address: `url` + `baseurl`.
pub(crate) fn old_base(source: &Path) -> String {
    let config = read_config(source).unwrap_or_default();
    absolute_base(&config)
}

fn absolute_base(config: &Mapping) -> String {
    let s = |k: &str| {
        config
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let url = s("url");
    let url = if url.is_empty() {
        super::config::PLACEHOLDER_BASE_URL.to_string()
    } else {
        url
    };
    format!(
        "{}/{}",
        url.trim_end_matches('/'),
        s("baseurl").trim_matches('/')
    )
    .trim_end_matches('/')
    .to_string()
}

/// Reads the Jekyll site at `source`.
pub(crate) fn read(source: &Path, options: &Options) -> Result<Site, Failure> {
    let config = read_config(source)?;
    let mut site = Site::default();
    site_config(&config).apply(&mut site, "_config.yml");
    let settings = Settings {
        permalink: config
            .get("permalink")
            .and_then(Value::as_str)
            .unwrap_or("date")
            .to_string(),
        absolute_base: absolute_base(&config),
        categories_as_tags: options.categories_as_tags,
        defaults: defaults(&config),
        posts_permalink: config
            .get("collections")
            .and_then(|c| c.get("posts"))
            .and_then(|p| p.get("permalink"))
            .and_then(Value::as_str)
            .map(str::to_string),
        timezone: None,
    };
    let mut settings = settings;
    if let Some(name) = config.get("timezone").and_then(Value::as_str) {
        settings.timezone = tz::Zone::named(name.trim());
        if settings.timezone.is_none() {
            site.note(
                "_config.yml",
                format!("`timezone: {name}` is not in this machine's zoneinfo: post dates keep their own offset, so a post's URL may be a day off"),
            );
        }
    }
    let collections = collections(&config, &settings.permalink);
    let base_dir = config
        .get("collections_dir")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim_matches('/')
        .to_string();
    let posts_dir = |d: &str| {
        if base_dir.is_empty() {
            d.to_string()
        } else {
            format!("{base_dir}/{d}")
        }
    };
    let (posts_root, drafts_root) = (posts_dir("_posts"), posts_dir("_drafts"));
    let in_collection = |rel: &str| {
        collections
            .iter()
            .find(|c| rel.starts_with(&format!("{}/", c.dir)))
    };
    let excluded: Vec<String> = config
        .get("exclude")
        .map(|v| super::model::string_list(v, None))
        .unwrap_or_default();
    let skip = |rel: &str| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        (name.starts_with('_')
            && name != "_posts"
            && name != "_drafts"
            && !collections.iter().any(|c| c.dir == rel))
            || EXCLUDED.contains(&rel)
            || excluded.iter().any(|e| e.trim_matches('/') == rel)
    };
    let files = walk::files(source, source, &mut site, &skip);
    for file in files {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        if let Some(c) = in_collection(&file.rel) {
            read_document(&file, c, &settings, &mut site);
            continue;
        }
        if file.rel.starts_with("_config")
            || name.starts_with('_')
                && !file.rel.contains("_posts/")
                && !file.rel.contains("_drafts/")
            || EXCLUDED.contains(&file.rel.as_str())
            || excluded.iter().any(|e| e.trim_matches('/') == file.rel)
        {
            continue;
        }
        let in_posts = file.rel.starts_with(&format!("{posts_root}/"))
            || base_dir.is_empty() && file.rel.contains("/_posts/");
        let in_drafts = file.rel.starts_with(&format!("{drafts_root}/"));
        read_file(&file, in_posts, in_drafts, &settings, &mut site);
    }
    for c in &collections {
        if !c.output {
            site.skipped.push(Note {
                at: format!("{}/", c.dir),
                message: format!(
                    "collection `{}` has `output: false` on the old site (not published): not imported",
                    c.name
                ),
            });
            continue;
        }
        let prefix = format!("{}/", c.name);
        let has_docs = site.docs.iter().any(|d| d.dest.starts_with(&prefix));
        let has_index = site
            .docs
            .iter()
            .any(|d| d.dest == format!("{prefix}_index.md"));
        if has_docs && !has_index {
            let mut section = super::model::Doc::new(
                format!("{}/", c.dir).into(),
                format!("{prefix}_index.md"),
                String::new(),
                1,
            );
            section.is_section = true;
            let mut title = c.name.replace(['_', '-'], " ");
            if let Some(first) = title.get(..1) {
                title = first.to_uppercase() + &title[1..];
            }
            section.set("title", title);
            site.docs.push(section);
        }
    }
    drop_taken_aliases(&mut site);
    if site.docs.iter().any(|d| d.dest.starts_with("posts/")) {
        let mut posts =
            super::model::Doc::new("_posts/".into(), "posts/_index.md".into(), String::new(), 1);
        posts.is_section = true;
        posts.set("title", "Posts");
        posts.set("sort_by", "date");
        site.docs.push(posts);
    }
    paginate::old_list_pages(&config, &mut site);
    Ok(site)
}

/// `/x/index.html` and `/x` are `/x/` to sheaf.
fn url_key(url: &str) -> String {
    let u = url.strip_suffix("index.html").unwrap_or(url);
    if u.ends_with('/') || u.rsplit('/').next().is_some_and(|l| l.contains('.')) {
        u.to_string()
    } else {
        format!("{u}/")
    }
}

/// `redirect_from` entries that name a URL another document already has (its own URL, or
/// a section's): Jekyll wrote both files and one overwrote the other; sheaf refuses the
/// clash. The page at that URL keeps it, so the alias is dropped and the report says so.
fn drop_taken_aliases(site: &mut Site) {
    let mut taken: Vec<String> = site
        .docs
        .iter()
        .filter_map(|d| d.old_url.as_deref().map(url_key))
        .collect();
    for d in site.docs.iter().filter(|d| d.is_section) {
        let dir = d.dest_dir();
        taken.push(if dir.is_empty() {
            "/".into()
        } else {
            format!("/{dir}/")
        });
    }
    let mut notes = Vec::new();
    for doc in &mut site.docs {
        let own = doc.old_url.as_deref().map(url_key);
        doc.old_aliases.retain(|a| {
            let key = url_key(a);
            let clash = taken.contains(&key) && own.as_deref() != Some(key.as_str());
            if !clash {
                taken.push(key);
            }
            if clash {
                notes.push((
                    doc.source.display().to_string(),
                    format!("`redirect_from: {a}` dropped: another page has that URL, or redirects from it (on the old site one of the two files overwrote the other)"),
                ));
            }
            !clash
        });
    }
    for (at, message) in notes {
        site.note(at, message);
    }
}

fn site_config(config: &Mapping) -> SiteConfig {
    let s = |k: &str| config.get(k).and_then(Value::as_str).map(str::to_string);
    let (author_name, author_url) = config.get("author").map(author).unwrap_or_default();
    let url = s("url").unwrap_or_default();
    let base_url = (!url.is_empty()).then(|| {
        format!(
            "{}/{}",
            url.trim_end_matches('/'),
            s("baseurl").unwrap_or_default().trim_matches('/')
        )
    });
    let plugins = config
        .get("plugins")
        .or_else(|| config.get("gems"))
        .map(|v| super::model::string_list(v, None))
        .unwrap_or_default();
    let mut feed_copies = Vec::new();
    if plugins.iter().any(|p| p == "jekyll-feed") {
        let path = config
            .get("feed")
            .and_then(|f| f.get("path"))
            .and_then(Value::as_str)
            .unwrap_or("feed.xml");
        feed_copies.push((format!("/{}", path.trim_start_matches('/')), "atom"));
    }
    let mut extra = Mapping::new();
    for key in [
        "twitter_username",
        "github_username",
        "social",
        "google_analytics",
        "disqus",
        "email",
    ] {
        if let Some(v) = config.get(key) {
            extra.insert(string(key), v.clone());
        }
    }
    SiteConfig {
        title: s("title").or_else(|| s("name")),
        base_url,
        description: s("description"),
        language: s("lang").or_else(|| s("locale")),
        author_name,
        author_url,
        paginate_by: config.get("paginate").and_then(super::keys::integer),
        feed_copies,
        extra,
        notes: Vec::new(),
    }
}
