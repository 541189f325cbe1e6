//! Jekyll sites: `_config.yml`, posts in `_posts/` (and `<category>/_posts/`), drafts in
//! `_drafts/`, pages (files with front matter), and every other file not starting with `_`
//! or `.` copied as a static file. Liquid in bodies is handled by `body.rs`.

mod body;
mod front;
mod permalink;

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
    };
    let excluded: Vec<String> = config
        .get("exclude")
        .map(|v| super::model::string_list(v, None))
        .unwrap_or_default();
    let skip = |rel: &str| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        (name.starts_with('_') && name != "_posts" && name != "_drafts")
            || EXCLUDED.contains(&rel)
            || excluded.iter().any(|e| e.trim_matches('/') == rel)
    };
    let files = walk::files(source, source, &mut site, &skip);
    for file in files {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        if file.rel.starts_with("_config")
            || name.starts_with('_')
                && !file.rel.contains("_posts/")
                && !file.rel.contains("_drafts/")
            || EXCLUDED.contains(&file.rel.as_str())
            || excluded.iter().any(|e| e.trim_matches('/') == file.rel)
        {
            continue;
        }
        read_file(&file, &settings, &mut site);
    }
    if site.docs.iter().any(|d| d.dest.starts_with("posts/")) {
        let mut posts =
            super::model::Doc::new("_posts/".into(), "posts/_index.md".into(), String::new(), 1);
        posts.is_section = true;
        posts.set("title", "Posts");
        posts.set("sort_by", "date");
        site.docs.push(posts);
    }
    Ok(site)
}

fn read_file(file: &File, settings: &Settings, site: &mut Site) {
    let is_post = file.rel.starts_with("_posts/") || file.rel.contains("/_posts/");
    let is_draft = file.rel.starts_with("_drafts/");
    let has_front = std::fs::File::open(&file.path)
        .and_then(|mut f| {
            use std::io::Read;
            let mut head = [0u8; 4];
            let n = f.read(&mut head)?;
            Ok(head[..n].starts_with(b"---"))
        })
        .unwrap_or(false);
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
    let map = with_defaults(map, &file.rel, is_post, settings);
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
fn with_defaults(mut map: Mapping, rel: &str, is_post: bool, settings: &Settings) -> Mapping {
    for (path, kind, values) in &settings.defaults {
        let kind_ok = match kind.as_deref() {
            None => true,
            Some("posts") => is_post,
            Some("pages") => !is_post,
            Some(_) => false,
        };
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
    }
}
