//! The only module that touches `serde_yaml`.
//!
//! `serde_yaml` is archived; keeping every call behind this small interface means a fork
//! (serde_yml, serde_norway, ...) can replace it by editing this one folder. It also
//! answers where a key or value is written ([`Locator`]), for every located YAML error.

use serde::de::DeserializeOwned;

mod errors;
pub(crate) mod limits;
mod locate;
#[cfg(test)]
mod tests;

pub(crate) use locate::{KeyPath, Locator};

use errors::{
    UnknownField, duplicate_field, is_syntax_error, key_at, key_is_at, missing_field,
    strip_position,
};

/// A free-form YAML value (front matter `extra`, worksheet definitions).
pub(crate) type Value = serde_yaml::Value;

/// A YAML mapping in insertion order: what `sheaf import` builds and writes.
pub(crate) type Mapping = serde_yaml::Mapping;

/// Writes `value` as YAML text. serde_yaml quotes every string that would read back as
/// something else (`"yes"`, `"1.0"`, `": x"`), which pasting text into a template would not.
pub(crate) fn to_string(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// A YAML problem, positioned relative to the start of the YAML text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    /// Message without serde_yaml's " at line N column M" suffix.
    pub message: String,
    /// Byte offset into the parsed text, when serde_yaml knows it.
    pub offset: Option<usize>,
}

/// Parses `text` into `T`. An empty document is parsed as an empty mapping, so a struct
/// whose fields are all optional accepts it and a required field is reported as missing.
/// Text over [`limits::MAX_BYTES`] or nested deeper than [`limits::MAX_DEPTH`] is refused
/// before the parser sees it (its cost would grow with the square of the depth).
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    limits::check(text)?;
    parse(text)
}

/// [`from_str`] for a text that passed [`limits::check`] already (as it is).
pub(crate) fn from_checked_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    debug_assert!(text.len() <= limits::MAX_BYTES);
    parse(text)
}

/// [`from_str`] without the limits check, for texts already checked.
fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let result = if text.trim().is_empty() {
        serde_yaml::from_str("{}")
    } else {
        serde_yaml::from_str(text)
    };
    result.map_err(|err| {
        let message = strip_position(&err.to_string());
        let offset = key_at(text, &message).or_else(|| err.location().map(|l| l.index()));
        YamlError { message, offset }
    })
}

/// Like [`from_str`], but keeps going after an error to find the others: the offending
/// top-level key's lines are blanked out (offsets unchanged) and parsing is retried, so an
/// author with a misspelt key *and* a bad date hears about both in one run. Syntax errors
/// end the search (the rest of the document cannot be trusted), as does a missing required
/// key that was only missing because an earlier retry blanked it.
pub(crate) fn from_str_all<T: DeserializeOwned>(text: &str) -> Result<T, Vec<YamlError>> {
    const MAX_ERRORS: usize = 20;
    let mut working = text.to_string();
    let mut errors: Vec<YamlError> = Vec::new();
    let mut blanked_keys: Vec<String> = Vec::new();
    loop {
        // Checked again on every retry: blanking an entry can remove a syntax error that
        // hid deep nesting after it from both the walk and the parser (found by fuzzing).
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
        // An unknown or repeated key's entry is blanked only where the key was found (a
        // guess could blank the wrong one and find the same error again).
        let retry_at = match UnknownField::parse(&err.message) {
            Some(_) => err
                .offset
                .filter(|&at| key_is_at(&working, at, &err.message)),
            None if duplicate_field(&err.message).is_some() => err
                .offset
                .filter(|&at| key_is_at(&working, at, &err.message)),
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
pub(crate) fn to_json(value: &Value) -> serde_json::Value {
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

/// A string value checked by `check`, failing with its message *while the deserializer is
/// on the scalar*, so serde_yaml positions the error at the value rather than its map.
pub(crate) fn validated_str<'de, D, T>(
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
        // Integers past 64 bits (`paginate_by: 99999999999999999999`) get the field's own
        // message, not serde's "invalid type: integer as u128".
        fn visit_i128<E: serde::de::Error>(self, n: i128) -> Result<T, E> {
            self.visit_str(&n.to_string())
        }
        fn visit_u128<E: serde::de::Error>(self, n: u128) -> Result<T, E> {
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

/// A count (`limit: 3`): a whole number, 0 or more. Anything else fails at the value with
/// words a writer can act on, not serde's "expected usize".
pub(crate) fn count<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    validated_str(deserializer, "a whole number", |s| {
        s.parse().map_err(|_| {
            format!("`{s}` is not a count: write a whole number, 0 or more, such as `3`")
        })
    })
}

/// A setting written either as a switch (`related: false`) or as its map of keys
/// (`related: { enabled: false, limit: 5 }`); `from_switch` makes the setting of a switch.
/// A map keeps the struct's own errors (an unknown key is named, located).
pub(crate) fn switch_or_map<'de, D, T>(
    deserializer: D,
    expecting: &'static str,
    from_switch: fn(bool) -> T,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    struct Visitor<T> {
        expecting: &'static str,
        from_switch: fn(bool) -> T,
    }
    impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_bool<E: serde::de::Error>(self, on: bool) -> Result<T, E> {
            Ok((self.from_switch)(on))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    deserializer.deserialize_any(Visitor {
        expecting,
        from_switch,
    })
}
