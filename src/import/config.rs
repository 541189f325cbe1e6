//! config.yaml of the new site, from what each dialect reads in its own config: one
//! builder, so the keys, their order and their checks are the same for every source.

use super::model::{Site, string};
use crate::yaml::{Mapping, Value};

/// Used when the source names no address; said in the report.
pub(crate) const PLACEHOLDER_BASE_URL: &str = "https://example.com/";

/// What a dialect found in its config.
#[derive(Debug, Default)]
pub(crate) struct SiteConfig {
    pub title: Option<String>,
    pub base_url: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    pub author_name: Option<String>,
    pub author_url: Option<String>,
    pub paginate_by: Option<i64>,
    /// Old feed paths to keep writing the site feed at, with their format.
    pub feed_copies: Vec<(String, &'static str)>,
    /// Source settings worth keeping, under `extra:`.
    pub extra: Mapping,
}

impl SiteConfig {
    /// The base URL the new site is built for (the placeholder when the source has none),
    /// ending with `/`.
    pub(crate) fn base_url(&self) -> String {
        match self.base_url.as_deref().map(str::trim) {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                if url.ends_with('/') {
                    url.to_string()
                } else {
                    format!("{url}/")
                }
            }
            _ => PLACEHOLDER_BASE_URL.to_string(),
        }
    }

    /// Writes config.yaml's mapping into `site` (and a note when the base URL is made up).
    pub(crate) fn apply(self, site: &mut Site, config_file: &str) {
        let base_url = self.base_url();
        if base_url == PLACEHOLDER_BASE_URL {
            site.note(
                config_file,
                format!(
                    "no absolute base URL in the source; config.yaml says `base_url: {PLACEHOLDER_BASE_URL}`: set the real one"
                ),
            );
        }
        let mut map = Mapping::new();
        let mut set = |k: &str, v: Value| {
            map.insert(string(k), v);
        };
        let title = self
            .title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "My site".into());
        set("title", string(title.trim()));
        set("base_url", string(base_url));
        if let Some(d) = self.description.filter(|d| !d.trim().is_empty()) {
            set("description", string(d.trim()));
        }
        if let Some(l) = self.language.filter(|l| !l.trim().is_empty()) {
            set("language", string(l.trim()));
        }
        if self.author_name.is_some() || self.author_url.is_some() {
            let mut author = Mapping::new();
            if let Some(n) = self.author_name {
                author.insert(string("name"), string(n));
            }
            if let Some(u) = self.author_url {
                author.insert(string("url"), string(u));
            }
            set("author", Value::Mapping(author));
        }
        if let Some(n) = self.paginate_by.filter(|n| *n >= 0) {
            set("paginate_by", Value::from(n));
        }
        if !self.feed_copies.is_empty() {
            let mut copies = Mapping::new();
            for (path, format) in self.feed_copies {
                copies.insert(string(path), string(format));
            }
            let mut feeds = Mapping::new();
            feeds.insert(string("copies"), Value::Mapping(copies));
            set("feeds", Value::Mapping(feeds));
        }
        if !self.extra.is_empty() {
            site.config_extra = self
                .extra
                .keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            set("extra", Value::Mapping(self.extra));
        }
        site.config = map;
    }
}

/// An author from a string or a map with `name` (and `url`/`email`).
pub(crate) fn author(value: &Value) -> (Option<String>, Option<String>) {
    match value {
        Value::String(s) => (Some(s.clone()), None),
        Value::Mapping(m) => (
            m.get("name").and_then(Value::as_str).map(str::to_string),
            m.get("url")
                .or_else(|| m.get("uri"))
                .and_then(Value::as_str)
                .map(str::to_string),
        ),
        _ => (None, None),
    }
}
