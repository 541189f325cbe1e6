//! config.yaml of the new site, from what each dialect reads in its own config: one
//! builder, so the keys, their order and their checks are the same for every source.

use super::model::{Site, string};
use crate::yaml::{Mapping, Value};

/// Used when the source names no address; said in the report.
pub(crate) const PLACEHOLDER_BASE_URL: &str = "https://example.com/";

/// The feeds every sheaf build writes at the site's root.
pub(crate) const SHEAF_FEEDS: [&str; 3] = ["/atom.xml", "/rss.xml", "/feed.json"];

/// Static files of the source where sheaf writes its own feeds (a Zola site's
/// `static/atom.xml/index.html` redirect to a renamed feed) are left out, with a note: the
/// URL is served by a real feed now.
pub(crate) fn drop_static_over_feeds(site: &mut Site) {
    let mut kept = Vec::with_capacity(site.assets.len());
    for asset in std::mem::take(&mut site.assets) {
        let clash = SHEAF_FEEDS.iter().any(|feed| {
            let path = format!("static{feed}");
            asset.to == path || asset.to.starts_with(&format!("{path}/"))
        });
        if clash {
            site.skipped.push(super::model::Note {
                at: asset.to.clone(),
                message: "not copied: sheaf writes its own feed at this URL".into(),
            });
        } else {
            kept.push(asset);
        }
    }
    site.assets = kept;
}

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
    /// What the dialect could not carry over from its config, for the report.
    pub notes: Vec<String>,
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
        for note in &self.notes {
            site.note(config_file, note.clone());
        }
        let title = match self.title.filter(|t| !t.trim().is_empty()) {
            Some(title) => title,
            None => {
                // Some sites set their name in templates only: the address names it best.
                let host = url::Url::parse(&base_url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                    .filter(|h| h != "example.com")
                    .unwrap_or_else(|| "My site".into());
                site.note(
                    config_file,
                    format!("no site title in the source's config; config.yaml says `title: {host}`: set the real one"),
                );
                host
            }
        };
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
        // sheaf writes these feeds itself; a copy there is refused.
        let copies_wanted: Vec<_> = self
            .feed_copies
            .into_iter()
            .filter(|(path, _)| !SHEAF_FEEDS.contains(&path.as_str()))
            .collect();
        if !copies_wanted.is_empty() {
            let mut copies = Mapping::new();
            for (path, format) in copies_wanted {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::Asset;

    #[test]
    fn sheafs_own_feeds_are_neither_copies_nor_static_files() {
        let mut site = Site::default();
        SiteConfig {
            feed_copies: vec![("/atom.xml".into(), "atom"), ("/feed.xml".into(), "atom")],
            ..SiteConfig::default()
        }
        .apply(&mut site, "c");
        let copies = &site.config["feeds"]["copies"];
        assert!(copies.get("/atom.xml").is_none());
        assert_eq!(copies["/feed.xml"], Value::from("atom"));
        for to in [
            "static/atom.xml/index.html",
            "static/rss.xml",
            "static/atom.xmlx",
        ] {
            site.assets.push(Asset {
                from: "x".into(),
                to: to.into(),
            });
        }
        drop_static_over_feeds(&mut site);
        assert_eq!(site.assets.len(), 1);
        assert_eq!(site.skipped.len(), 2);
    }
}
