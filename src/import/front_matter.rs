//! Front matter as the source tools write it: `---` YAML (all three), `+++` TOML (Hugo,
//! Zola) and a leading `{…}` JSON object (Hugo). Every format becomes one YAML mapping, so
//! the key mapping that follows is written once. YAML goes through `crate::yaml`, the one
//! serde_yaml user.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::yaml::{self, Mapping, Value};

/// The front matter's text and the body, by byte offsets into the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split {
    pub format: Format,
    /// The front matter's own text (without its fences).
    pub raw: std::ops::Range<usize>,
    /// Where the body starts.
    pub body: usize,
}

/// How the front matter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Yaml,
    Toml,
    Json,
    /// No front matter: the whole file is the body.
    None,
}

/// A content file read: its front matter, its body and the 1-based line the body starts
/// on. Front matter that cannot be read is noted, located, and the file left out (`None`):
/// one broken file never stops an import.
pub(crate) fn read(
    text: &str,
    shown: &Path,
    site: &mut super::model::Site,
) -> Option<(Mapping, String, usize)> {
    let split = split(text);
    match parse(&split, text, shown) {
        Ok(map) => {
            let body_line = text[..split.body].matches('\n').count() + 1;
            Some((map, text[split.body..].to_string(), body_line))
        }
        Err(d) => {
            site.notes.push(super::model::Note::of(&d));
            site.skipped.push(super::model::Note {
                at: shown.display().to_string(),
                message: "front matter could not be read; not imported".into(),
            });
            None
        }
    }
}

/// Finds the front matter. An opening fence without a closing one is no front matter: the
/// file is carried as it is and the reader decides whether that is a problem.
pub(crate) fn split(text: &str) -> Split {
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[text_start..];
    for (fence, format) in [("---", Format::Yaml), ("+++", Format::Toml)] {
        let Some(after) = first_line_is(rest, fence) else {
            continue;
        };
        let start = text_start + after;
        let mut pos = start;
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            let line = text[pos..end].trim_end();
            if line == fence || (format == Format::Yaml && line == "...") {
                return Split {
                    format,
                    raw: start..pos,
                    body: (end + 1).min(text.len()),
                };
            }
            pos = end + 1;
        }
    }
    if rest.starts_with('{') {
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
        if let Some(Ok(_)) = stream.next() {
            let end = text_start + stream.byte_offset();
            let body = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            return Split {
                format: Format::Json,
                raw: text_start..end,
                body,
            };
        }
    }
    Split {
        format: Format::None,
        raw: 0..0,
        body: text_start,
    }
}

/// The byte length of the first line (with its line ending) when it is `fence`.
fn first_line_is(text: &str, fence: &str) -> Option<usize> {
    let end = text.find('\n')?;
    (text[..end].trim_end() == fence).then_some(end + 1)
}

/// Parses the front matter into a mapping; an error is located in the file.
pub(crate) fn parse(split: &Split, text: &str, shown: &Path) -> Result<Mapping, Diagnostic> {
    let raw = &text[split.raw.clone()];
    let at = |offset: usize, message: String| {
        Diagnostic::error(message).at(Location::at_offset(
            shown,
            text,
            split.raw.start + offset,
            1,
        ))
    };
    let value = match split.format {
        Format::None => return Ok(Mapping::new()),
        Format::Yaml => yaml::from_str::<Value>(raw).map_err(|e| {
            at(
                e.offset.unwrap_or(0),
                format!("front matter: {}", e.message),
            )
        })?,
        Format::Toml => match raw.parse::<toml::Table>() {
            Ok(table) => from_toml(toml::Value::Table(table)),
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                let message = e.message().trim().to_string();
                return Err(at(offset, format!("TOML front matter: {message}")));
            }
        },
        Format::Json => match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(json) => from_json(json),
            Err(e) => {
                let offset = Location::at_line_col(shown, raw, e.line(), e.column(), 1);
                return Err(Diagnostic::error(format!("JSON front matter: {e}")).at(offset));
            }
        },
    };
    match value {
        Value::Mapping(map) => Ok(map),
        Value::Null => Ok(Mapping::new()),
        _ => Err(at(
            0,
            "the front matter is not a table of keys and values".to_string(),
        )),
    }
}

/// A TOML value as YAML. Datetimes become RFC 3339 text (a date alone stays `2020-05-01`;
/// a local date-time, which Zola and Hugo read as UTC, gets `Z`), the spelling sheaf reads.
pub(crate) fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => {
            let mut text = d.to_string();
            if d.date.is_some() && d.time.is_some() && d.offset.is_none() {
                text.push('Z');
            }
            Value::String(text)
        }
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(from_toml).collect()),
        toml::Value::Table(table) => Value::Mapping(
            table
                .into_iter()
                .map(|(k, v)| (Value::String(k), from_toml(v)))
                .collect(),
        ),
    }
}

/// A JSON value as YAML.
fn from_json(value: serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::from(i),
            (None, Some(f)) => Value::from(f),
            _ => Value::String(n.to_string()),
        },
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => {
            Value::Sequence(items.into_iter().map(from_json).collect())
        }
        serde_json::Value::Object(map) => Value::Mapping(
            map.into_iter()
                .map(|(k, v)| (Value::String(k), from_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Mapping, Diagnostic> {
        parse(&split(text), text, Path::new("x.md"))
    }

    #[test]
    fn yaml_toml_and_json_front_matter() {
        let y = "---\ntitle: A\ntags: [x]\n---\nbody\n";
        assert_eq!(split(y).format, Format::Yaml);
        assert_eq!(&y[split(y).body..], "body\n");
        assert_eq!(parsed(y).unwrap()["title"], Value::from("A"));

        let t = "+++\ntitle = \"B\"\n[taxonomies]\ntags = [\"a\"]\n+++\nbody\n";
        let map = parsed(t).unwrap();
        assert_eq!(map["title"], Value::from("B"));
        assert_eq!(map["taxonomies"]["tags"][0], Value::from("a"));
        assert_eq!(&t[split(t).body..], "body\n");

        let j = "{\n  \"title\": \"C\",\n  \"weight\": 3\n}\nbody\n";
        assert_eq!(split(j).format, Format::Json);
        assert_eq!(parsed(j).unwrap()["weight"], Value::from(3));
        assert_eq!(&j[split(j).body..], "body\n");
    }

    #[test]
    fn toml_datetimes_become_rfc3339() {
        let t = "+++\na = 2020-05-01\nb = 2020-05-01T10:00:00+01:00\nc = 2020-05-01T10:00:00\nd = 2020-05-01 10:00:00Z\n+++\n";
        let map = parsed(t).unwrap();
        assert_eq!(map["a"], Value::from("2020-05-01"));
        assert_eq!(map["b"], Value::from("2020-05-01T10:00:00+01:00"));
        assert_eq!(map["c"], Value::from("2020-05-01T10:00:00Z"));
        assert_eq!(map["d"], Value::from("2020-05-01T10:00:00Z"));
    }

    #[test]
    fn bad_front_matter_is_located() {
        let t = "+++\ntitle = \"B\"\ndate = = 3\n+++\n";
        let err = parsed(t).unwrap_err();
        let at = err.location.unwrap();
        assert_eq!((at.line, at.file.as_path()), (3, Path::new("x.md")));
        let y = "---\ntitle: [unclosed\n---\n";
        assert!(parsed(y).unwrap_err().location.unwrap().line >= 2);
    }

    #[test]
    fn no_or_unclosed_front_matter_is_all_body() {
        assert_eq!(split("# hi\n").format, Format::None);
        assert_eq!(split("---\ntitle: x\n").format, Format::None);
        assert_eq!(split("{ not json\n").format, Format::None);
        assert_eq!(split("").body, 0);
    }
}
