//! Hugo sites: `hugo.toml`/`config.toml` (or YAML/JSON, or `config/_default/`), `content/`
//! (`_index.md` branch bundles, `index.md` leaf bundles, pages), `static/`. Config keys are
//! case-insensitive in Hugo, so they are read lowercased.

mod body;
mod front;
mod permalinks;

use std::path::{Path, PathBuf};

use super::config::{SiteConfig, author};
use super::front_matter;
use super::model::{Asset, Doc, Note, Site, string};
use super::walk::{self, File};
use super::{Failure, Options};
use crate::diagnostic::{Diagnostic, Location};
use crate::yaml::{Mapping, Value};

pub(crate) use body::{convert, keys};

/// The Hugo settings the content pass needs.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    /// `[permalinks]`: section (or `page` kind entry) → pattern.
    pub permalinks: Vec<(String, String)>,
    pub ugly_urls: bool,
    pub keep_case: bool,
}

const CONFIG_NAMES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default/hugo.toml",
    "config/_default/config.toml",
    "config/_default/hugo.yaml",
    "config/_default/config.yaml",
];

/// Reads the Hugo site at `source`.
pub(crate) fn read(source: &Path, options: &Options) -> Result<Site, Failure> {
    let config_path = CONFIG_NAMES
        .iter()
        .map(|n| source.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Failure::not_a_site(
                Diagnostic::error(format!(
                    "`{}` is not a Hugo site: it has no hugo.toml or config.toml",
                    source.display()
                ))
                .help("give the folder that holds hugo.toml (or config.toml) and content/"),
            )
        })?;
    let shown = config_path
        .strip_prefix(source)
        .unwrap_or(&config_path)
        .to_path_buf();
    let mut config = lowercase_keys(read_config(&config_path, &shown)?);
    merge_config_dir(source, &config_path, &mut config)?;
    if config.get("base_url").is_some() && config.get("baseurl").is_none() {
        return Err(Failure::not_a_site(
            Diagnostic::error(format!(
                "`{}` is not a Hugo site: its {} has Zola's `base_url`, not Hugo's `baseURL`",
                source.display(),
                shown.display()
            ))
            .help("for a Zola site, run `sheaf import zola`"),
        ));
    }
    let mut site = Site::default();
    let settings = settings(&config);
    site_config(&config).apply(&mut site, &shown.display().to_string());
    site.lists = Some(list_rules(&config));

    let dir = |key: &str, default: &str| -> PathBuf {
        source.join(config.get(key).and_then(Value::as_str).unwrap_or(default))
    };
    let content = dir("contentdir", "content");
    let files = walk::files(source, &content, &mut site, &|_| false);
    let bundles: Vec<String> = files
        .iter()
        .filter(|f| f.rel.ends_with("/index.md") || f.rel == "index.md")
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
            read_doc(file, &bundles, &settings, options, &mut site);
        } else {
            site.assets.push(Asset {
                from: file.path.clone(),
                to: format!("content/{}", file.rel),
            });
        }
    }
    for file in walk::files(source, &dir("staticdir", "static"), &mut site, &|_| false) {
        site.assets.push(Asset {
            from: file.path,
            to: format!("static/{}", file.rel),
        });
    }
    if source.join("assets").is_dir() {
        site.skipped.push(Note {
            at: "assets/".into(),
            message: "Hugo Pipes assets are not imported: copy what pages need into static/".into(),
        });
    }
    add_top_level_sections(&mut site);
    Ok(site)
}

/// Hugo makes every top-level folder of `content/` a section with a list page (`/blog/`,
/// `/blog/page/2/`), `_index.md` or not; sheaf lists a folder only with one, so a section
/// without it gets one, named after the folder.
fn add_top_level_sections(site: &mut Site) {
    let mut folders: Vec<String> = site
        .docs
        .iter()
        .filter(|d| !d.is_section)
        .filter_map(|d| d.dest.split_once('/').map(|(top, _)| top.to_string()))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        let index = format!("{folder}/_index.md");
        if site.docs.iter().any(|d| d.dest == index) {
            continue;
        }
        let mut section = Doc::new(format!("content/{folder}/").into(), index, String::new(), 1);
        section.is_section = true;
        let mut title = folder.replace(['-', '_'], " ");
        if let Some(first) = title.get(..1) {
            title = first.to_uppercase() + &title[1..];
        }
        section.set("title", title);
        section.old_url = Some(format!("/{}/", permalinks::sanitize(&folder, false)));
        site.docs.push(section);
    }
}

/// Hugo's split config (`config/_default/`): `hugo.*`/`config.*` hold root keys, any other
/// file the key named by its stem (`permalinks.yaml` is `permalinks:`, `params.toml` is
/// `[params]`). Merged into `config` (the files there win over a root `hugo.toml`).
fn merge_config_dir(source: &Path, main: &Path, config: &mut Mapping) -> Result<(), Failure> {
    let dir = source.join("config/_default");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p != main)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "toml" | "yaml" | "yml" | "json"))
        })
        .collect();
    files.sort();
    for path in files {
        let shown = path.strip_prefix(source).unwrap_or(&path).to_path_buf();
        let map = read_config(&path, &shown)?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_lowercase();
        if stem == "hugo" || stem == "config" {
            for (k, v) in lowercase_keys(map) {
                config.insert(k, v);
            }
        } else {
            let mut wrapped = Mapping::new();
            wrapped.insert(string(stem), Value::Mapping(map));
            for (k, v) in lowercase_keys(wrapped) {
                config.insert(k, v);
            }
        }
    }
    Ok(())
}

/// The config file as a mapping (TOML, YAML or JSON); an error is located.
fn read_config(path: &Path, shown: &Path) -> Result<Mapping, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::not_a_site(Diagnostic::error(format!(
            "cannot read {}: {e}",
            shown.display()
        )))
    })?;
    let name = path.to_string_lossy();
    let value = if name.ends_with(".toml") {
        match text.parse::<toml::Table>() {
            Ok(t) => front_matter::from_toml(toml::Value::Table(t)),
            Err(e) => {
                return Err(Failure::not_a_site(
                    Diagnostic::error(format!("{}: {}", shown.display(), e.message().trim())).at(
                        Location::at_offset(shown, &text, e.span().map_or(0, |s| s.start), 1),
                    ),
                ));
            }
        }
    } else {
        // YAML is a superset of JSON.
        crate::yaml::from_str::<Value>(&text).map_err(|e| {
            Failure::not_a_site(
                Diagnostic::error(format!("{}: {}", shown.display(), e.message))
                    .at(Location::at_offset(shown, &text, e.offset.unwrap_or(0), 1)),
            )
        })?
    };
    Ok(match value {
        Value::Mapping(m) => m,
        _ => Mapping::new(),
    })
}

/// Hugo's config keys are case-insensitive: `baseURL` is `baseurl`. `params` values keep
/// their case (they go to `extra` as written).
fn lowercase_keys(map: Mapping) -> Mapping {
    map.into_iter()
        .map(|(k, v)| {
            let key = k.as_str().map_or(k.clone(), |s| string(s.to_lowercase()));
            let v = match (key.as_str(), v) {
                (Some("params"), v) => v,
                (_, Value::Mapping(m)) => Value::Mapping(lowercase_keys(m)),
                (_, v) => v,
            };
            (key, v)
        })
        .collect()
}

/// Hugo's taxonomies (default `tags` and `categories`) and RSS outputs, for the old list
/// URLs.
fn list_rules(config: &Mapping) -> super::lists::ListRules {
    let strings = |v: Option<&Value>| {
        v.map(|v| super::model::string_list(v, None))
            .unwrap_or_default()
    };
    let disabled = strings(config.get("disablekinds"));
    let off = |kind: &str| disabled.iter().any(|k| k.eq_ignore_ascii_case(kind));
    let rss_for = |kind: &str| match config.get("outputs").and_then(|o| o.get(kind)) {
        Some(list) => strings(Some(list))
            .iter()
            .any(|f| f.eq_ignore_ascii_case("rss")),
        None => !off("rss"),
    };
    let taxonomies = match config.get("taxonomies") {
        Some(Value::Mapping(m)) => m
            .values()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => vec!["tags".to_string(), "categories".to_string()],
    };
    let term_feed = rss_for("term").then(|| "index.xml".to_string());
    super::lists::ListRules {
        taxonomies: if off("taxonomy") || off("term") {
            Vec::new()
        } else {
            taxonomies
                .into_iter()
                .map(|t| (t, term_feed.clone()))
                .collect()
        },
        term_slug: super::lists::hugo_term,
        section_feed: rss_for("section").then(|| ("index.xml".to_string(), "rss", true)),
    }
}

fn settings(config: &Mapping) -> Settings {
    let mut permalinks = Vec::new();
    if let Some(Value::Mapping(p)) = config.get("permalinks") {
        for (k, v) in p {
            match (k.as_str(), v) {
                (Some("page"), Value::Mapping(kinds)) => {
                    for (section, pattern) in kinds {
                        if let (Some(s), Some(p)) = (section.as_str(), pattern.as_str()) {
                            permalinks.push((s.to_string(), p.to_string()));
                        }
                    }
                }
                (Some(section), Value::String(pattern)) => {
                    permalinks.push((section.to_string(), pattern.clone()));
                }
                _ => {}
            }
        }
    }
    Settings {
        permalinks,
        ugly_urls: config
            .get("uglyurls")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        keep_case: config
            .get("disablepathtolower")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

/// Hugo's default `pagination.pagerSize`.
const HUGO_PAGER_SIZE: i64 = 10;

fn site_config(config: &Mapping) -> SiteConfig {
    let s = |k: &str| config.get(k).and_then(Value::as_str).map(str::to_string);
    let params = match config.get("params") {
        Some(Value::Mapping(m)) => m.clone(),
        _ => Mapping::new(),
    };
    let param = |k: &str| params.get(k).and_then(Value::as_str).map(str::to_string);
    let (author_name, author_url) = params
        .get("author")
        .or_else(|| config.get("author"))
        .map(author)
        .unwrap_or_default();
    // Hugo pages every list by 10 unless told otherwise; the same size keeps its
    // `/<list>/page/N/` URLs, which sheaf writes the same way.
    let paginate_by = config
        .get("pagination")
        .and_then(|p| p.get("pagersize"))
        .or_else(|| config.get("paginate"))
        .and_then(super::keys::integer)
        .or(Some(HUGO_PAGER_SIZE));
    let disabled = config
        .get("disablekinds")
        .map(|v| super::model::string_list(v, None))
        .unwrap_or_default();
    let mut feed_copies = Vec::new();
    if !disabled.iter().any(|k| k.eq_ignore_ascii_case("rss")) {
        feed_copies.push(("/index.xml".to_string(), "rss"));
    }
    let mut extra = params.clone();
    extra.remove("description");
    extra.remove("author");
    SiteConfig {
        title: s("title"),
        base_url: s("baseurl"),
        description: param("description").or_else(|| s("description")),
        language: s("languagecode").or_else(|| s("defaultcontentlanguage")),
        author_name,
        author_url,
        paginate_by,
        feed_copies,
        extra,
        notes: Vec::new(),
    }
}

fn read_doc(
    file: &File,
    bundles: &[String],
    settings: &Settings,
    options: &Options,
    site: &mut Site,
) {
    let Some(text) = walk::read_text(file, site) else {
        return;
    };
    let shown = Path::new("content").join(&file.rel);
    let Some((map, body, body_line)) = front_matter::read(&text, &shown, site) else {
        return;
    };
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    let dir = walk::parent(&file.rel);
    let in_leaf = bundles
        .iter()
        .any(|b| (dir == b.as_str() || dir.starts_with(&format!("{b}/"))) && name != "index.md");
    let doc = Doc::new(shown, file.rel.clone(), body, body_line);
    if name == "_index.md" {
        front::section(doc, map, dir, site);
    } else if in_leaf {
        // Markdown beside a leaf bundle's index.md is a resource of that page in Hugo; in
        // content/ sheaf would read it as a page, so it is left out.
        site.skipped.push(Note {
            at: format!("content/{}", file.rel),
            message: "Markdown inside a page bundle: not imported".into(),
        });
    } else {
        front::page(doc, map, settings, options, site);
    }
}
