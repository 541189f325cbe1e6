//! Turning serde_yaml's errors into located diagnostics with hints.

use std::path::Path;

use super::{KeyPath, Locator, YamlError};
use crate::diagnostic::{Diagnostic, Location, did_you_mean};

/// serde_yaml appends " at line N column M" (and sometimes a second clause); the caret
/// snippet shows the position, so the message drops it.
pub(super) fn strip_position(message: &str) -> String {
    let cut = message.find(" at line ").unwrap_or(message.len());
    message[..cut].trim_end_matches(',').to_string()
}

impl YamlError {
    /// Turns the error into a located diagnostic. `yaml_offset` is where the YAML text
    /// starts inside `source` (the whole file) and `what` names the thing being parsed
    /// ("front-matter", "config"). Unknown keys get a "did you mean" hint from the keys
    /// serde says it expected, so nested maps get the right suggestions too.
    pub(crate) fn to_diagnostic(
        &self,
        file: &Path,
        source: &str,
        yaml_offset: usize,
        what: &str,
    ) -> Diagnostic {
        let offset = yaml_offset + self.offset.unwrap_or(0);
        if let Some(key) = duplicate_field(&self.message) {
            let at = offset;
            return Diagnostic::error(format!("duplicate key `{key}` in the {what}"))
                .at(Location::at_offset(file, source, at, key.len()))
                .label("repeated here")
                .help("keep one of the two; YAML keys must be unique");
        }
        if let Some(unknown) = UnknownField::parse(&self.message) {
            let location = Location::at_offset(file, source, offset, unknown.key.len());
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
        if let Some(closer) = unclosed_flow(&self.message) {
            let start = yaml_offset.min(source.len());
            if let Some(opened) = source
                .get(start..)
                .and_then(|yaml| self.unclosed_opener(yaml))
            {
                let (thing, open) = if closer == ']' {
                    ("list", '[')
                } else {
                    ("map", '{')
                };
                return Diagnostic::error(format!("unclosed `{open}` in the {what}"))
                    .at(Location::at_offset(file, source, start + opened, 1))
                    .label(format!("this {thing} is never closed"))
                    .help(format!(
                        "close it with `{closer}` on the same line, e.g. `tags: [a, b]` or `author: {{ name: Ann }}`"
                    ));
            }
        }
        let location = Location::at_offset(file, source, offset, 1);
        let diagnostic = Diagnostic::error(self.headline(what)).at(location);
        if let Some(field) = missing_field(&self.message) {
            diagnostic.help(format!("add `{field}: ...` to the {what}"))
        } else if self.message.contains("levels deep") {
            diagnostic.help(format!(
                "sheaf reads YAML nested at most {} levels deep (`[`, `{{`, indented keys and `- ` items); is a bracket left unclosed? Flatten the structure",
                super::limits::MAX_DEPTH
            ))
        } else if self.message.contains("bytes long, more than the limit") {
            diagnostic.help("keep front matter, worksheet blocks and config.yaml to short metadata: move long text into the page body, or split it up")
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
    /// For libyaml's "did not find expected ',' or ']'" (or `}`): the byte offset in
    /// `yaml` (the text that was parsed) of the `[` or `{` that is never closed.
    pub(crate) fn unclosed_opener(&self, yaml: &str) -> Option<usize> {
        let closer = unclosed_flow(&self.message)?;
        let end = self.offset.unwrap_or(yaml.len()).min(yaml.len());
        unclosed_opener(yaml.get(..end)?, closer)
    }

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
pub(super) fn is_syntax_error(message: &str) -> bool {
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

/// serde's "unknown field `x`, expected one of `a`, `b`" (optionally behind a `path: `).
pub(super) struct UnknownField {
    pub(super) key: String,
    pub(super) path: String,
    pub(super) expected: Vec<String>,
}

impl UnknownField {
    pub(super) fn parse(message: &str) -> Option<Self> {
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
pub(super) fn duplicate_field(message: &str) -> Option<&str> {
    let (open, close) = if message.contains("duplicate field `") {
        ("duplicate field `", '`')
    } else {
        ("duplicate entry with key \"", '"')
    };
    let start = message.find(open)? + open.len();
    let end = start + message[start..].find(close)?;
    Some(&message[start..end])
}

pub(super) fn missing_field(message: &str) -> Option<&str> {
    let start = message.find("missing field `")? + "missing field `".len();
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

/// serde reports an unknown or repeated key at the start of its map: where the key itself
/// is in `text` (the parsed text), found by [`Locator`], so the caret points at it. A
/// quoted key is pointed at inside its quotes (an empty one at its opening quote).
pub(super) fn key_at(text: &str, message: &str) -> Option<usize> {
    let (path, key, repeat) = match UnknownField::parse(message) {
        Some(unknown) => (unknown.path, unknown.key, false),
        None => {
            let key = duplicate_field(message)?;
            let marker = message.find("duplicate ")?;
            let path = message[..marker].trim_end_matches(": ").to_string();
            (path, key.to_string(), true)
        }
    };
    let mut path = KeyPath::parse_serde(&path)?.key(&key);
    if repeat {
        path = path.repeated();
    }
    // Only the start is needed: one walk, as the text may be long (a 2 MiB key list).
    let at = Locator::new(text).find(&path)?;
    let quoted = !key.is_empty() && text[at..].starts_with(['"', '\'']);
    Some(at + usize::from(quoted))
}

/// Whether the key named in an unknown- or repeated-key `message` is written at `at`: the
/// error was positioned at the key by [`key_at`], not left at its map.
pub(super) fn key_is_at(text: &str, at: usize, message: &str) -> bool {
    let key = UnknownField::parse(message).map(|u| u.key);
    let key = key.as_deref().or_else(|| duplicate_field(message));
    // An empty key ends the search, as before: it would "match" anywhere.
    key.is_some_and(|key| !key.is_empty() && text.get(at..).is_some_and(|r| r.starts_with(key)))
}

/// The bracket a flow collection was waiting for when libyaml gave up ("did not find
/// expected ',' or ']'"), for the messages of an unclosed `[` or `{`.
fn unclosed_flow(message: &str) -> Option<char> {
    if message.contains("',' or ']'") || message.contains("flow sequence") {
        Some(']')
    } else if message.contains("',' or '}'") || message.contains("flow mapping") {
        Some('}')
    } else {
        None
    }
}

/// Byte offset in `yaml` of the innermost `[` (for `closer` `]`) or `{` (for `}`) still
/// open at its end: where the unclosed list or map began. A linear scan that skips quoted
/// strings and comments, and counts a bracket as an opener only where a YAML value can
/// start (after `:`, `-`, `,`, another opener, or at the start of a line), so a `[` inside
/// plain text (`title: a [draft]`) is not one.
pub(super) fn unclosed_opener(yaml: &str, closer: char) -> Option<usize> {
    let open = if closer == ']' { b'[' } else { b'{' };
    let bytes = yaml.as_bytes();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    // The last significant (non-blank) byte seen, b'\n' at the start of a line.
    let mut previous = b'\n';
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let value_start = matches!(previous, b'\n' | b':' | b'-' | b',' | b'[' | b'{' | b'?');
        match b {
            b'\n' => previous = b'\n',
            b' ' | b'\t' | b'\r' => {}
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' if value_start => {
                let quote = b;
                i += 1;
                while i < bytes.len() {
                    if quote == b'"' && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == quote {
                        if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                previous = quote;
            }
            b'[' | b'{' if value_start => {
                stack.push((b, i));
                previous = b;
            }
            b']' | b'}' if !stack.is_empty() => {
                stack.pop();
                previous = b;
            }
            _ => {
                // Inside a flow collection, `:` and `,` separate; in block context a `:`
                // only counts when followed by a blank (a key), not inside `12:30`.
                previous = if b == b':'
                    && (!stack.is_empty()
                        || matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r')))
                {
                    b':'
                } else if b == b'-' && previous == b'\n' {
                    b'-'
                } else if b == b',' && !stack.is_empty() {
                    b','
                } else {
                    b'a'
                };
            }
        }
        i += 1;
    }
    stack
        .iter()
        .rev()
        .find(|(b, _)| *b == open)
        .or(stack.last())
        .map(|(_, at)| *at)
}
