//! Moving source front-matter keys to sheaf's: the helpers every dialect's mapping uses, so
//! "unknown keys go under `extra:`, counted" and "dates and titles are made valid" are
//! one rule, not three.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::model::{Doc, Site, scalar_text, string};
use crate::yaml::{Mapping, Value};

/// The source's front matter, key by key: each key a mapping takes is removed, and what is
/// left at the end goes under `extra:`.
pub(crate) struct Keys {
    map: Mapping,
}

impl Keys {
    /// Wraps a parsed front matter.
    pub(crate) fn new(map: Mapping) -> Keys {
        Keys { map }
    }

    /// Removes and returns `key` (a null value counts as absent).
    pub(crate) fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    /// Whether `key` is there (without taking it).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Reads `key` without taking it.
    pub(crate) fn peek(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }

    /// Moves every key left under `extra:` (beside the source's own `extra`, which the
    /// caller put there first), and counts each for the report.
    pub(crate) fn finish(self, doc: &mut Doc, site: &mut Site) {
        if self.map.is_empty() {
            return;
        }
        let mut extra = match doc.front.remove("extra") {
            Some(Value::Mapping(m)) => m,
            _ => Mapping::new(),
        };
        for (key, value) in self.map {
            let name = scalar_text(&key).unwrap_or_else(|| "?".to_string());
            *site.moved_to_extra.entry(name.clone()).or_default() += 1;
            if extra.contains_key(&key) {
                // The source had `extra.x` and a top-level `x`: keep both.
                extra.insert(string(format!("{name}_top")), value);
            } else {
                extra.insert(key, value);
            }
        }
        doc.set("extra", Value::Mapping(extra));
    }
}

/// A date as sheaf reads it: `2020-05-01` and RFC 3339 are kept as written; Jekyll's
/// `2020-05-01 10:00:00 +0100` and other common spellings are rewritten as RFC 3339.
/// `None` when it is no date at all.
pub(crate) fn date(value: &Value) -> Option<String> {
    let text = scalar_text(value)?;
    let text = text.trim();
    if NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
        || DateTime::parse_from_rfc3339(text).is_ok()
    {
        return Some(text.to_string());
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%:z",
    ] {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Some(at.to_rfc3339());
        }
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at.and_utc().to_rfc3339());
        }
    }
    None
}

/// Sets a date key from a source value, or keeps the unreadable value under `extra` with a
/// note, so nothing is lost and the page still builds.
pub(crate) fn set_date(doc: &mut Doc, site: &mut Site, key: &str, value: &Value) {
    match date(value) {
        Some(d) => doc.set(key, d),
        None => {
            let shown = scalar_text(value).unwrap_or_default();
            site.note(
                doc.source.display().to_string(),
                format!("`{key}: {shown}` is not a date sheaf reads; kept as `extra.{key}`"),
            );
            extra_insert(doc, key, value.clone());
        }
    }
}

/// Puts one value under `extra:`.
pub(crate) fn extra_insert(doc: &mut Doc, key: &str, value: Value) {
    let mut extra = match doc.front.remove("extra") {
        Some(Value::Mapping(m)) => m,
        _ => Mapping::new(),
    };
    extra.insert(string(key), value);
    doc.set("extra", Value::Mapping(extra));
}

/// The title: the source's, else the first `# heading` of the body, else the file name;
/// the last two are noted for a person. sheaf needs a non-empty title on every document.
pub(crate) fn set_title(doc: &mut Doc, site: &mut Site, value: Option<Value>, file_stem: &str) {
    if let Some(title) = value.as_ref().and_then(scalar_text)
        && !title.trim().is_empty()
    {
        doc.set("title", title.trim().to_string());
        return;
    }
    let heading = doc.body.lines().find_map(|line| {
        line.strip_prefix("# ")
            .map(|h| h.trim().trim_end_matches('#').trim().to_string())
            .filter(|h| !h.is_empty())
    });
    let (title, from) = match heading {
        Some(h) => (h, "its first heading"),
        None => (title_from_name(file_stem), "its file name"),
    };
    site.note(
        doc.source.display().to_string(),
        format!("no title; took `{title}` from {from}"),
    );
    doc.set("title", title);
}

/// `my-first_post` → `My first post`.
fn title_from_name(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}

/// A boolean from `true`/`false` or their string spellings.
pub(crate) fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim() {
            "true" | "yes" => Some(true),
            "false" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An integer from a number or a string of digits.
pub(crate) fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A date as sheaf writes it (RFC 3339, or a day at midnight UTC), read back to compare.
pub(crate) fn parse_date(d: &str) -> Option<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339(d).ok().or_else(|| {
        NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .and_then(|n| n.and_hms_opt(0, 0, 0))
            .map(|n| n.and_utc().fixed_offset())
    })
}

/// Removes repeated names, keeping the first spelling.
pub(crate) fn dedupe(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|t| seen.insert(t.to_lowercase()));
}

/// `tags:`, each name once (sheaf merges spellings that differ in case), when there are any.
pub(crate) fn set_tags(doc: &mut Doc, mut tags: Vec<String>) {
    dedupe(&mut tags);
    if !tags.is_empty() {
        doc.set(
            "tags",
            Value::Sequence(tags.into_iter().map(string).collect()),
        );
    }
}

/// The keys Hugo and Zola map alike: the tags gathered (deduplicated, as sheaf merges
/// spellings), `draft: true` and `weight`.
pub(crate) fn set_tags_draft_weight(doc: &mut Doc, k: &mut Keys, tags: Vec<String>) {
    set_tags(doc, tags);
    if k.take("draft").as_ref().and_then(boolean) == Some(true) {
        doc.set("draft", true);
    }
    if let Some(w) = k.take("weight").as_ref().and_then(integer) {
        doc.set("weight", w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_kept_or_made_rfc3339() {
        let d = |s: &str| date(&Value::from(s));
        assert_eq!(d("2020-05-01").as_deref(), Some("2020-05-01"));
        assert_eq!(
            d("2020-05-01T10:00:00+01:00").as_deref(),
            Some("2020-05-01T10:00:00+01:00")
        );
        assert_eq!(
            d("2020-05-01 10:00:00 +0100").as_deref(),
            Some("2020-05-01T10:00:00+01:00")
        );
        assert_eq!(
            d("2020-05-01 10:00").as_deref(),
            Some("2020-05-01T10:00:00+00:00")
        );
        assert_eq!(d("yesterday"), None);
        assert_eq!(d("2020-13-01"), None);
    }

    #[test]
    fn unknown_keys_go_under_extra_and_are_counted() {
        let mut site = Site::default();
        let mut doc = Doc::new("a.md".into(), "a.md".into(), String::new(), 1);
        let mut map = Mapping::new();
        map.insert(string("title"), string("T"));
        map.insert(string("toc_depth"), Value::from(2));
        let mut keys = Keys::new(map);
        set_title(&mut doc, &mut site, keys.take("title"), "a");
        keys.finish(&mut doc, &mut site);
        assert_eq!(doc.front["extra"]["toc_depth"], Value::from(2));
        assert_eq!(site.moved_to_extra["toc_depth"], 1);
    }

    #[test]
    fn a_missing_title_comes_from_the_heading_or_the_name() {
        let mut site = Site::default();
        let mut doc = Doc::new(
            "a.md".into(),
            "a.md".into(),
            "intro\n# Big Idea\n".into(),
            1,
        );
        set_title(&mut doc, &mut site, None, "a");
        assert_eq!(doc.get_str("title"), Some("Big Idea"));
        let mut doc = Doc::new("a.md".into(), "a.md".into(), String::new(), 1);
        set_title(&mut doc, &mut site, Some(string("  ")), "my-first_post");
        assert_eq!(doc.get_str("title"), Some("My first post"));
        assert_eq!(site.notes.len(), 2);
    }
}
