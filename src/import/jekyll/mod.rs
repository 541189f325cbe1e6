//! Jekyll sites: `_config.yml`, posts in `_posts/` (and `<category>/_posts/`), drafts in
//! `_drafts/`, pages (files with front matter), and every other file not starting with `_`
//! or `.` copied as a static file. Liquid in bodies is handled by `body.rs`.

mod body;
mod front;
mod paginate;
mod permalink;
mod tz;

use std::path::Path;

use super::config::{SiteConfig, author};
use super::front_matter;
use super::ids::IdRule;
use super::model::{Asset, Note, Site, string};
use super::walk::{self, File};
use super::{Failure, Options};
use crate::diagnostic::{Diagnostic, Location};
use crate::yaml::{Mapping, Value};

pub(crate) use body::{convert, keys};

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

/// A collection of `_config.yml` other than `posts`.
#[derive(Debug, Clone)]
pub(crate) struct Collection {
    pub name: String,
    /// Its folder relative to SOURCE (`_docs`, `my_collections/_docs`).
    pub dir: String,
    pub output: bool,
    /// Its URL template (`permalink`, else `/:collection/:path` with the style's suffix).
    pub permalink: String,
}

/// `collections:` (a list of names or a map of name → metadata), with `collections_dir`.
/// `posts` is left out: it has its own reader.
fn collections(config: &Mapping, style: &str) -> Vec<Collection> {
    let base = config
        .get("collections_dir")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim_matches('/');
    let entries: Vec<(String, Option<&Mapping>)> = match config.get("collections") {
        Some(Value::Sequence(list)) => list
            .iter()
            .filter_map(|v| v.as_str().map(|n| (n.to_string(), None)))
            .collect(),
        Some(Value::Mapping(map)) => map
            .iter()
            .filter_map(|(k, v)| {
                let meta = match v {
                    Value::Mapping(m) => Some(m),
                    _ => None,
                };
                k.as_str().map(|n| (n.to_string(), meta))
            })
            .collect(),
        _ => Vec::new(),
    };
    entries
        .into_iter()
        .filter(|(name, _)| name != "posts" && !name.is_empty() && !name.contains('/'))
        .map(|(name, meta)| {
            let get = |k: &str| meta.and_then(|m| m.get(k));
            let output = get("output").and_then(Value::as_bool).unwrap_or(false);
            let permalink = get("permalink")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| {
                    permalink::page_template(style).replace(":path/:basename", ":collection/:path")
                });
            let dir = if base.is_empty() {
                format!("_{name}")
            } else {
                format!("{base}/_{name}")
            };
            Collection {
                name,
                dir,
                output,
                permalink,
            }
        })
        .collect()
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

/// A file of a collection other than posts: a document when it has front matter, else a
/// static file the collection copies (only when it is output).
fn read_document(file: &File, c: &Collection, settings: &Settings, site: &mut Site) {
    if !c.output {
        return;
    }
    let Some(map) = read_front(file, site) else {
        if !starts_with_front(file) {
            let inside = &file.rel[c.dir.len() + 1..];
            site.assets.push(Asset {
                from: file.path.clone(),
                to: format!("static/{}/{inside}", c.name),
            });
        }
        return;
    };
    let (map, body, body_line) = map;
    let inside = &file.rel[c.dir.len() + 1..];
    let doc = super::model::Doc::new(
        file.shown.clone(),
        format!("{}/{inside}", c.name),
        body,
        body_line,
    );
    let map = with_defaults(map, &file.rel, &c.name, settings);
    front::document(doc, map, c, inside, settings, site);
}

fn starts_with_front(file: &File) -> bool {
    std::fs::File::open(&file.path)
        .and_then(|mut f| {
            use std::io::Read;
            let mut head = [0u8; 4];
            let n = f.read(&mut head)?;
            Ok(head[..n].starts_with(b"---"))
        })
        .unwrap_or(false)
}

/// A Markdown file with front matter: (front matter, body, body line). `None` (with a
/// skipped note where it matters) for anything else.
fn read_front(file: &File, site: &mut Site) -> Option<(Mapping, String, usize)> {
    if !starts_with_front(file) {
        return None;
    }
    if !walk::is_markdown(&file.rel) {
        site.skipped.push(Note {
            at: file.rel.clone(),
            message: "an HTML page with front matter (Liquid and a layout): not imported; rebuild it as a Markdown page or a template".into(),
        });
        return None;
    }
    let text = walk::read_text(file, site)?;
    let split = front_matter::split(&text);
    let map = match front_matter::parse(&split, &text, &file.shown) {
        Ok(m) => m,
        Err(d) => {
            site.notes.push(super::zola::note_of(&d));
            site.skipped.push(Note {
                at: file.rel.clone(),
                message: "front matter could not be read; not imported".into(),
            });
            return None;
        }
    };
    let body = text[split.body..].to_string();
    let body_line = text[..split.body].matches('\n').count() + 1;
    Some((map, body, body_line))
}

fn read_file(file: &File, is_post: bool, is_draft: bool, settings: &Settings, site: &mut Site) {
    let has_front = starts_with_front(file);
    let markdown = walk::is_markdown(&file.rel);
    if !(is_post || is_draft || has_front) {
        site.assets.push(Asset {
            from: file.path.clone(),
            to: format!("static/{}", file.rel),
        });
        return;
    }
    let html = file.rel.ends_with(".html") || file.rel.ends_with(".htm");
    if !(markdown || html && file.rel == "index.html") {
        site.skipped.push(Note {
            at: file.rel.clone(),
            message: if html {
                "an HTML page with front matter (Liquid and a layout): not imported; rebuild it as a Markdown page or a template".into()
            } else {
                "a generated file with front matter (feed, sitemap, CSS): sheaf makes its own; not imported".into()
            },
        });
        return;
    }
    let Some(text) = walk::read_text(file, site) else {
        return;
    };
    let split = front_matter::split(&text);
    let map = match front_matter::parse(&split, &text, &file.shown) {
        Ok(m) => m,
        Err(d) => {
            site.notes.push(super::zola::note_of(&d));
            site.skipped.push(Note {
                at: file.rel.clone(),
                message: "front matter could not be read; not imported".into(),
            });
            return;
        }
    };
    let body = if html {
        String::new()
    } else {
        text[split.body..].to_string()
    };
    let body_line = text[..split.body].matches('\n').count() + 1;
    let doc = super::model::Doc::new(file.shown.clone(), file.rel.clone(), body, body_line);
    let kind = if is_post || is_draft {
        "posts"
    } else {
        "pages"
    };
    let map = with_defaults(map, &file.rel, kind, settings);
    if is_post || is_draft {
        front::post(doc, map, is_draft, settings, site);
    } else {
        front::page(doc, map, settings, site);
    }
}

fn defaults(config: &Mapping) -> Vec<(String, Option<String>, Mapping)> {
    let Some(Value::Sequence(list)) = config.get("defaults") else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|entry| {
            let scope = entry.get("scope");
            let path = scope
                .and_then(|s| s.get("path"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim_matches('/')
                .to_string();
            let kind = scope
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                .map(str::to_string);
            match entry.get("values") {
                Some(Value::Mapping(values)) => Some((path, kind, values.clone())),
                _ => None,
            }
        })
        .collect()
}

/// Front matter with `_config.yml`'s `defaults:` filled in under it (the file wins).
/// `kind` is the document's type: `pages`, `posts`, or a collection's name.
fn with_defaults(mut map: Mapping, rel: &str, kind: &str, settings: &Settings) -> Mapping {
    for (path, scope_kind, values) in &settings.defaults {
        let kind_ok = scope_kind.as_deref().is_none_or(|k| k == kind);
        // Jekyll's `path_is_subpath?` is a plain prefix test.
        if kind_ok && (path.is_empty() || rel.starts_with(path.as_str())) {
            for (k, v) in values {
                if !map.contains_key(k) {
                    map.insert(k.clone(), v.clone());
                }
            }
        }
    }
    map
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
