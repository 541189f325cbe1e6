//! Zola sites: `config.toml`, `content/` (sections are folders with `_index.md`, pages
//! are `.md` files or bundles), `static/`. URLs: `/<section path>/<slug>/`, or `path`.

mod body;
pub(super) mod front;

use std::path::Path;

use super::config::{SiteConfig, author};
use super::front_matter;
use super::model::{Asset, Doc, Site};
use super::walk::{self, File};
use super::{Failure, Options};
use crate::diagnostic::{Diagnostic, Location};
use crate::yaml::{Mapping, Value};

pub(crate) use body::{convert, keys};

/// Reads the Zola site at `source`.
pub(crate) fn read(source: &Path, options: &Options) -> Result<Site, Failure> {
    let config_path = ["config.toml", "zola.toml"]
        .iter()
        .map(|n| source.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Failure::not_a_site(
                Diagnostic::error(format!(
                    "`{}` is not a Zola site: it has no config.toml",
                    source.display()
                ))
                .help("give the folder that holds config.toml and content/"),
            )
        })?;
    let mut site = Site::default();
    let config = read_config(&config_path)?;
    site_config(&config, source).apply(&mut site, "config.toml");
    site.lists = Some(list_rules(&config));

    let content = source.join("content");
    let files = walk::files(source, &content, &mut site, &|_| false);
    let bundles: Vec<String> = files
        .iter()
        .filter(|f| f.rel.ends_with("/index.md"))
        .map(|f| walk::parent(&f.rel).to_string())
        .collect();
    for file in &files {
        if let Some(lang) = walk::translation(&file.rel).filter(|_| walk::is_markdown(&file.rel)) {
            site.skipped.push(super::model::Note {
                at: format!("content/{}", file.rel),
                message: format!(
                    "a translation (`{lang}`): not imported, a sheaf site has one language"
                ),
            });
        } else if walk::is_markdown(&file.rel) {
            read_doc(file, &bundles, options, &mut site);
        } else {
            site.assets.push(Asset {
                from: file.path.clone(),
                to: format!("content/{}", file.rel),
            });
        }
    }
    let statics = walk::files(source, &source.join("static"), &mut site, &|_| false);
    for file in statics {
        site.assets.push(Asset {
            from: file.path,
            to: format!("static/{}", file.rel),
        });
    }
    Ok(site)
}

/// config.toml as a mapping; a TOML error is located.
fn read_config(path: &Path) -> Result<Mapping, Failure> {
    let shown = path.file_name().map(Path::new).unwrap_or(path);
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::not_a_site(Diagnostic::error(format!(
            "cannot read {}: {e}",
            path.display()
        )))
    })?;
    match text.parse::<toml::Table>() {
        Ok(table) => match front_matter::from_toml(toml::Value::Table(table)) {
            Value::Mapping(m) => Ok(m),
            _ => Ok(Mapping::new()),
        },
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            Err(Failure::not_a_site(
                Diagnostic::error(format!("config.toml: {}", e.message().trim()))
                    .at(Location::at_offset(shown, &text, offset, 1)),
            ))
        }
    }
}

/// The sheaf config from Zola's keys.
fn site_config(config: &Mapping, source: &Path) -> SiteConfig {
    let s = |k: &str| config.get(k).and_then(Value::as_str).map(str::to_string);
    let (author_name, author_url) = config.get("author").map(author).unwrap_or_default();
    let mut feed_copies = Vec::new();
    let names = config
        .get("feed_filenames")
        .map(|v| super::model::string_list(v, None))
        .or_else(|| s("feed_filename").map(|n| vec![n]))
        .unwrap_or_else(|| vec!["atom.xml".to_string()]);
    let generates = config
        .get("generate_feeds")
        .or_else(|| config.get("generate_feed"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut notes = Vec::new();
    if generates {
        for name in names {
            if name == "atom.xml" || name == "rss.xml" {
                continue;
            }
            match custom_feed_format(source, &name) {
                Some(format) => feed_copies.push((format!("/{name}"), format)),
                None => notes.push(format!(
                    "`/{name}` is made by the site's own template `templates/{name}`, in a \
                     format of its own: sheaf does not make it, so its URL is lost"
                )),
            }
        }
    }
    let extra = match config.get("extra") {
        Some(Value::Mapping(m)) => m.clone(),
        _ => Mapping::new(),
    };
    SiteConfig {
        title: s("title"),
        base_url: s("base_url"),
        description: s("description"),
        language: s("default_language"),
        author_name,
        author_url,
        paginate_by: None,
        feed_copies,
        extra,
        notes,
    }
}

/// The format of a feed Zola renders from a template other than its own `atom.xml` and
/// `rss.xml`, read from the template (`<feed` Atom, `<rss` RSS, a JSON Feed), else guessed
/// from the name when there is no template; `None` for a format of the site's own.
fn custom_feed_format(source: &Path, name: &str) -> Option<&'static str> {
    let Ok(template) = std::fs::read_to_string(source.join("templates").join(name)) else {
        return Some(if name.contains("rss") { "rss" } else { "atom" });
    };
    if template.contains("<feed") {
        Some("atom")
    } else if template.contains("<rss") {
        Some("rss")
    } else if template.contains("jsonfeed.org/version") {
        Some("json")
    } else {
        None
    }
}

/// Zola's taxonomies (`[[taxonomies]]` with `feed = true` for term feeds) and the section
/// feeds a section's `generate_feeds` asks for, for the old list URLs.
fn list_rules(config: &Mapping) -> super::lists::ListRules {
    let feed = config
        .get("feed_filenames")
        .and_then(|v| super::model::string_list(v, None).into_iter().next())
        .or_else(|| {
            config
                .get("feed_filename")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "atom.xml".to_string());
    let format = if feed.contains("rss") { "rss" } else { "atom" };
    let taxonomies = match config.get("taxonomies") {
        Some(Value::Sequence(list)) => list
            .iter()
            .filter_map(|t| {
                let name = t.get("name")?.as_str()?.to_string();
                let has_feed = t.get("feed").and_then(Value::as_bool) == Some(true);
                Some((name, has_feed.then(|| feed.clone())))
            })
            .collect(),
        _ => Vec::new(),
    };
    super::lists::ListRules {
        taxonomies,
        term_slug: super::ids::zola_slug,
        section_feed: Some((feed, format, false)),
    }
}

/// One Markdown file of content/.
fn read_doc(file: &File, bundles: &[String], options: &Options, site: &mut Site) {
    let Some(text) = walk::read_text(file, site) else {
        return;
    };
    let shown = Path::new("content").join(&file.rel);
    let Some((map, body, body_line)) = front_matter::read(&text, &shown, site) else {
        return;
    };
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    let dir = walk::parent(&file.rel);
    let in_bundle = bundles
        .iter()
        .any(|b| dir == b.as_str() || dir.starts_with(&format!("{b}/")));
    if name == "_index.md" {
        let mut doc = Doc::new(shown, file.rel.clone(), body, body_line);
        doc.is_section = true;
        doc.old_url = Some(if dir.is_empty() {
            "/".to_string()
        } else {
            format!("/{dir}/")
        });
        front::section(doc, map, dir, site);
    } else if in_bundle && name != "index.md" {
        // A Markdown file inside a bundle is one of its assets in Zola; in content/ sheaf
        // would read it as a page, so it is left out.
        site.skipped.push(super::model::Note {
            at: format!("content/{}", file.rel),
            message: "Markdown inside a page bundle: not imported".into(),
        });
    } else {
        let doc = Doc::new(shown, file.rel.clone(), body, body_line);
        front::page(doc, map, options, site);
    }
}
