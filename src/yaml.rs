//! The only module that touches `serde_yaml`.
//!
//! `serde_yaml` is archived; keeping every call behind this small interface means a fork
//! (serde_yml, serde_norway, ...) can replace it by editing this one file.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Location, did_you_mean};

/// A free-form YAML value (front matter `extra`, worksheet definitions).
pub type Value = serde_yaml::Value;

/// A YAML problem, positioned relative to the start of the YAML text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Message without serde_yaml's " at line N column M" suffix.
    pub message: String,
    /// Byte offset into the parsed text, when serde_yaml knows it.
    pub offset: Option<usize>,
}

/// Parses `text` into `T`. An empty document is parsed as an empty mapping, so a struct
/// whose fields are all optional accepts it and a required field is reported as missing.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let result = if text.trim().is_empty() {
        serde_yaml::from_str("{}")
    } else {
        serde_yaml::from_str(text)
    };
    result.map_err(|err| YamlError {
        message: strip_position(&err.to_string()),
        offset: err.location().map(|l| l.index()),
    })
}

/// Like [`from_str`], but keeps going after an error to find the others: the offending
/// top-level key's lines are blanked out (offsets unchanged) and parsing is retried, so an
/// author with a misspelt key *and* a bad date hears about both in one run. Syntax errors
/// end the search (the rest of the document cannot be trusted), as does a missing required
/// key that was only missing because an earlier retry blanked it.
pub fn from_str_all<T: DeserializeOwned>(text: &str) -> Result<T, Vec<YamlError>> {
    const MAX_ERRORS: usize = 20;
    let mut working = text.to_string();
    let mut errors: Vec<YamlError> = Vec::new();
    let mut blanked_keys: Vec<String> = Vec::new();
    loop {
        let err = match from_str::<T>(&working) {
            Ok(value) if errors.is_empty() => return Ok(value),
            Ok(_) => return Err(errors),
            Err(err) => err,
        };
        if let Some(field) = missing_field(&err.message)
            && blanked_keys.iter().any(|k| k == field)
        {
            return Err(errors);
        }
        let retry_at = match UnknownField::parse(&err.message) {
            Some(unknown) => locate_key(&working, err.offset.unwrap_or(0), &unknown.key),
            None if duplicate_field(&err.message).is_some() => {
                let key = duplicate_field(&err.message).unwrap_or_default();
                locate_repeat(&working, err.offset.unwrap_or(0), key)
            }
            None if is_syntax_error(&err.message) || missing_field(&err.message).is_some() => None,
            None => err.offset,
        };
        let blanked = retry_at.and_then(|at| blank_top_level_entry(&mut working, at));
        errors.push(err);
        match blanked {
            Some(key) if errors.len() < MAX_ERRORS => blanked_keys.push(key),
            _ => return Err(errors),
        }
    }
}

/// Replaces the top-level `key:` entry containing byte `at` (its line and the more-indented
/// lines under it) with spaces, returning the key. Offsets elsewhere stay valid.
fn blank_top_level_entry(text: &mut String, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let mut start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    // Walk up to the top-level line that owns this position.
    while text[start..].starts_with([' ', '\t', '-']) && start > 0 {
        start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let key = text[start..line_end]
        .split(':')
        .next()?
        .trim()
        .trim_matches(['"', '\''])
        .to_string();
    if key.is_empty() || key.starts_with('#') {
        return None;
    }
    let mut end = line_end;
    while end < text.len() {
        let next_end = text[end + 1..]
            .find('\n')
            .map_or(text.len(), |i| end + 1 + i);
        let line = &text[end + 1..next_end];
        if line.starts_with([' ', '\t']) || line.trim().is_empty() && next_end < text.len() {
            end = next_end;
        } else {
            break;
        }
    }
    let blank: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    // Same byte length only when every replaced char was one byte; keep offsets exact.
    let blank = if blank.len() == end - start {
        blank
    } else {
        " ".repeat(end - start)
    };
    text.replace_range(start..end, &blank);
    Some(key)
}

/// Converts a YAML value to JSON for templates and the browser. Non-string keys are
/// stringified; tagged values lose their tag.
pub fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into()
            } else if let Some(u) = n.as_u64() {
                u.into()
            } else {
                serde_json::Number::from_f64(n.as_f64().unwrap_or(0.0))
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Sequence(items) => items.iter().map(to_json).collect(),
        Value::Mapping(map) => map
            .iter()
            .map(|(k, v)| (scalar_key(k), to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        Value::Tagged(tagged) => to_json(&tagged.value),
    }
}

fn scalar_key(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => "null".to_string(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// serde_yaml appends " at line N column M" (and sometimes a second clause); the caret
/// snippet shows the position, so the message drops it.
fn strip_position(message: &str) -> String {
    let cut = message.find(" at line ").unwrap_or(message.len());
    message[..cut].trim_end_matches(',').to_string()
}

impl YamlError {
    /// Turns the error into a located diagnostic. `yaml_offset` is where the YAML text
    /// starts inside `source` (the whole file) and `what` names the thing being parsed
    /// ("front-matter", "config"). Unknown keys get a "did you mean" hint from the keys
    /// serde says it expected, so nested maps get the right suggestions too.
    pub fn to_diagnostic(
        &self,
        file: &Path,
        source: &str,
        yaml_offset: usize,
        what: &str,
    ) -> Diagnostic {
        let offset = yaml_offset + self.offset.unwrap_or(0);
        if let Some(key) = duplicate_field(&self.message) {
            let at = locate_repeat(source, offset, key).unwrap_or(offset);
            return Diagnostic::error(format!("duplicate key `{key}` in the {what}"))
                .at(Location::at_offset(file, source, at, key.len()))
                .label("repeated here")
                .help("keep one of the two; YAML keys must be unique");
        }
        if let Some(unknown) = UnknownField::parse(&self.message) {
            let at = locate_key(source, offset, &unknown.key).unwrap_or(offset);
            let location = Location::at_offset(file, source, at, unknown.key.len());
            let place = if unknown.path.is_empty() {
                String::new()
            } else {
                format!(" in `{}`", unknown.path)
            };
            let label =
                match did_you_mean(&unknown.key, unknown.expected.iter().map(String::as_str)) {
                    Some(hint) => format!("did you mean `{hint}`?"),
                    None => "not a known key".to_string(),
                };
            let help = if unknown.expected.is_empty() {
                "this map takes no keys".to_string()
            } else {
                format!("known keys: {}", unknown.expected.join(", "))
            };
            return Diagnostic::error(format!("unknown {what} key `{}`{place}", unknown.key))
                .at(location)
                .label(label)
                .help(help);
        }
        if let Some(variant) = UnknownField::parse_variant(&self.message) {
            let location = Location::at_offset(file, source, offset, variant.key.chars().count());
            let mut d = Diagnostic::error(format!("`{}` is not a valid value here", variant.key))
                .at(location)
                .help(format!("use one of: {}", variant.expected.join(", ")));
            if let Some(hint) =
                did_you_mean(&variant.key, variant.expected.iter().map(String::as_str))
            {
                d = d.label(format!("did you mean `{hint}`?"));
            }
            return d;
        }
        let location = Location::at_offset(file, source, offset, 1);
        let diagnostic = Diagnostic::error(self.headline(what)).at(location);
        if let Some(field) = missing_field(&self.message) {
            diagnostic.help(format!("add `{field}: ...` to the {what}"))
        } else if self.message.contains("recursion limit")
            || self.message.contains("repetition limit")
        {
            diagnostic.help("the YAML expands too far (deep nesting or alias bombs); simplify it")
        } else if self.message.contains("invalid type") {
            diagnostic.help("give this key a value of the expected type")
        } else if is_syntax_error(&self.message) {
            diagnostic.help("check the YAML syntax: `key: value` pairs, lists as `[a, b]` or `- a`; quote values that contain `: ` or start with a special character")
        } else {
            diagnostic
        }
    }
}

impl YamlError {
    /// "invalid date `x`: ..." from our own value checks reads best as is; serde's and
    /// libyaml's terse messages get the key path and what was being parsed.
    fn headline(&self, what: &str) -> String {
        let (path, message) = match self.message.split_once(": ") {
            Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (Some(path), rest),
            _ => (None, self.message.as_str()),
        };
        let own_check = message.starts_with("invalid ") && message.contains(": ")
            || message.starts_with("the title")
            || message.starts_with("a tag");
        match path {
            _ if own_check => message.to_string(),
            Some(path) => format!("invalid {what} value for `{path}`: {message}"),
            None => format!("invalid {what}: {message}"),
        }
    }
}

/// libyaml's scanner and parser messages, as opposed to a value that failed validation
/// (whose message already says how to fix it).
fn is_syntax_error(message: &str) -> bool {
    [
        "did not find expected",
        "mapping values are not allowed",
        "cannot start any token",
        "could not find expected",
        "unexpected end of stream",
        "block sequence entries are not allowed",
        "found a tab character",
        "while parsing",
        "while scanning",
    ]
    .iter()
    .any(|phrase| message.contains(phrase))
}

/// A string value checked by `check`, failing with its message *while the deserializer is
/// on the scalar*, so serde_yaml positions the error at the value rather than its map.
pub fn validated_str<'de, D, T>(
    deserializer: D,
    expecting: &'static str,
    check: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor<F> {
        expecting: &'static str,
        check: F,
    }
    impl<T, F: FnOnce(&str) -> Result<T, String>> serde::de::Visitor<'_> for Visitor<F> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            (self.check)(s).map_err(E::custom)
        }
        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<T, E> {
            self.visit_str(&n.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<T, E> {
            self.visit_str(&n.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<T, E> {
            self.visit_str(&n.to_string())
        }
        fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<T, E> {
            self.visit_str(&b.to_string())
        }
    }
    deserializer.deserialize_any(Visitor { expecting, check })
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (optionally behind a `path: `).
struct UnknownField {
    key: String,
    path: String,
    expected: Vec<String>,
}

impl UnknownField {
    fn parse(message: &str) -> Option<Self> {
        Self::parse_after(message, "unknown field `")
    }

    /// serde's "unknown variant `x`, expected one of ..." for enum values (`sort_by: dates`).
    fn parse_variant(message: &str) -> Option<Self> {
        Self::parse_after(message, "unknown variant `")
    }

    fn parse_after(message: &str, opener: &str) -> Option<Self> {
        let marker = message.find(opener)?;
        let start = marker + opener.len();
        let end = start + message[start..].find('`')?;
        let expected = message[end + 1..]
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        Some(UnknownField {
            key: message[start..end].to_string(),
            path: message[..marker].trim_end_matches(": ").to_string(),
            expected,
        })
    }
}

/// serde's "duplicate field `x`" (typed) or serde_yaml's `duplicate entry with key "x"`.
fn duplicate_field(message: &str) -> Option<&str> {
    let (open, close) = if message.contains("duplicate field `") {
        ("duplicate field `", '`')
    } else {
        ("duplicate entry with key \"", '"')
    };
    let start = message.find(open)? + open.len();
    let end = start + message[start..].find(close)?;
    Some(&message[start..end])
}

/// The second `key:` at or after `from`: serde reports a repeated key at its mapping.
fn locate_repeat(source: &str, from: usize, key: &str) -> Option<usize> {
    let first = locate_key(source, from, key)?;
    locate_key(source, first + key.len(), key)
}

fn missing_field(message: &str) -> Option<&str> {
    let start = message.find("missing field `")? + "missing field `".len();
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

/// serde_yaml reports an unknown key at the start of its mapping, not at the key: find the
/// key itself at or after that point so the caret points at it.
fn locate_key(source: &str, from: usize, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None; // an empty key would match everywhere, forever
    }
    let mut search = from.min(source.len());
    while let Some(found) = source.get(search..).and_then(|s| s.find(key)) {
        let at = search + found;
        let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = source[line_start..at].trim_start_matches([' ', '-']);
        let after = source[at + key.len()..].trim_start_matches(['"', '\'']);
        let key_like = before.is_empty()
            || before.ends_with('{')
            || before.ends_with(", ")
            || before.ends_with('"')
            || before.ends_with('\'');
        if key_like && after.trim_start().starts_with(':') {
            return Some(at);
        }
        search = at + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // only the errors matter here
    struct Front {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn unknown_key_points_at_the_key_with_a_hint() {
        let source = "---\ntitle: A\ntag: [x]\n---\n";
        let err = from_str::<Front>(&source[4..21]).unwrap_err();
        let d = err.to_diagnostic(Path::new("a.md"), source, 4, "front-matter");
        let loc = d.location.clone().unwrap();
        assert_eq!((loc.line, loc.column), (3, 1), "{d}");
        assert_eq!(d.message, "unknown front-matter key `tag`");
        assert_eq!(d.label.as_deref(), Some("did you mean `tags`?"));
    }

    #[test]
    fn keeps_going_after_an_error_to_report_the_others() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Page {
            title: crate::load::fields::Title,
            date: Option<crate::load::fields::Date>,
            #[serde(default)]
            tags: Vec<String>,
        }
        let text = "title: A\ntag:\n  - x\ndate: 2025-13-01\ntags: [y]\n";
        let errors = from_str_all::<Page>(text).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.contains("unknown field `tag`"));
        assert!(errors[1].message.contains("invalid date"));
        assert_eq!(errors[1].offset, Some(text.find("2025-13").unwrap()));
        let errors = from_str_all::<Page>("title: [\n").unwrap_err();
        assert_eq!(errors.len(), 1, "syntax errors stop the search");
        let errors = from_str_all::<Page>("titel: A\n").unwrap_err();
        assert_eq!(
            errors.len(),
            2,
            "a genuinely missing title is still reported: {errors:?}"
        );
        let errors = from_str_all::<Page>("title: ''\n").unwrap_err();
        assert_eq!(
            errors.len(),
            1,
            "no follow-up 'missing title' after blanking it: {errors:?}"
        );
    }

    #[test]
    fn a_repeated_key_is_reported_once_at_the_repeat() {
        let text = "date: 2025-01-02\ntitle: First\ndescription: x\ntitle: Second\n";
        let errors = from_str_all::<Value>(text).unwrap_err();
        let d = errors[0].to_diagnostic(Path::new("a.md"), text, 0, "front-matter");
        assert_eq!(d.location.unwrap().line, 4, "untyped maps too");
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct T {
            title: String,
            date: String,
            description: String,
        }
        let errors = from_str_all::<T>(text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let d = errors[0].to_diagnostic(Path::new("a.md"), text, 0, "front-matter");
        assert_eq!(d.location.unwrap().line, 4);
        assert_eq!(d.message, "duplicate key `title` in the front-matter");
    }

    #[test]
    fn unknown_enum_value_gets_a_hint() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct S {
            sort_by: crate::load::fields::SortBy,
        }
        let text = "sort_by: dates\n";
        let err = from_str::<S>(text).unwrap_err();
        let d = err.to_diagnostic(Path::new("_index.md"), text, 0, "front-matter");
        assert_eq!(d.label.as_deref(), Some("did you mean `date`?"), "{d}");
        assert_eq!(d.location.unwrap().column, 10);
    }

    #[test]
    fn an_empty_unknown_key_does_not_hang() {
        let text = "title: A\n\"\": x\n";
        let errors = from_str_all::<Front>(text).unwrap_err();
        let d = errors[0].to_diagnostic(Path::new("a.md"), text, 0, "front-matter");
        assert!(d.message.contains("unknown front-matter key ``"), "{d}");
    }

    #[test]
    fn empty_document_reports_missing_field() {
        let err = from_str::<Front>("").unwrap_err();
        assert!(
            err.message.contains("missing field `title`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn syntax_errors_are_positioned() {
        let err = from_str::<Front>("title: a\n  bad: : x\n").unwrap_err();
        assert!(err.offset.is_some());
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut doc = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            doc.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        doc.push_str("title: x\n");
        assert!(from_str::<Value>(&doc).is_err());
    }
}
