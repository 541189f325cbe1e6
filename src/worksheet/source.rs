//! Turning positions inside YAML (a fenced block, or the front matter) into file locations.

use std::ops::Range;
use std::path::Path;

use super::probe::{self, YPath};
use crate::diagnostic::{Diagnostic, Location};
use crate::yaml::YamlError;

/// Most problems located and shown per YAML text (block or front matter).
pub(super) const MAX_REPORTED: usize = 50;

/// How much YAML locating may re-read per text: each located problem parses the text again
/// (serde_yaml has no spans), so a big block gets fewer located problems, at least
/// [`MIN_REPORTED`]. 100 problems in a 115 KB block took 6 s in the fuzz build.
const LOCATE_BUDGET_BYTES: usize = 2 * 1024 * 1024;
const MIN_REPORTED: usize = 10;

/// How many problems of a YAML text of `len` bytes are located and shown.
pub(super) fn reported(len: usize) -> usize {
    (LOCATE_BUDGET_BYTES / len.max(1)).clamp(MIN_REPORTED, MAX_REPORTED)
}

/// A problem found while reading worksheet YAML, pointing at a node by path: a
/// [`Diagnostic`] still without its location, which is filled in once the text it points
/// into is known.
#[derive(Debug, Clone)]
pub(super) struct Issue {
    pub at: YPath,
    pub diagnostic: Diagnostic,
}

impl Issue {
    pub(super) fn error(at: YPath, message: impl Into<String>) -> Self {
        Issue {
            at,
            diagnostic: Diagnostic::error(message),
        }
    }

    pub(super) fn warning(at: YPath, message: impl Into<String>) -> Self {
        Issue {
            at,
            diagnostic: Diagnostic::warning(message),
        }
    }

    pub(super) fn label(self, label: impl Into<String>) -> Self {
        Issue {
            diagnostic: self.diagnostic.label(label),
            ..self
        }
    }

    pub(super) fn help(self, help: impl Into<String>) -> Self {
        Issue {
            diagnostic: self.diagnostic.help(help),
            ..self
        }
    }

    pub(super) fn is_error(&self) -> bool {
        self.diagnostic.is_error()
    }
}

/// A YAML text inside a file: the front matter, or a fenced block's content.
pub(super) struct YamlText<'a> {
    pub file: &'a Path,
    /// The whole file text.
    pub source: &'a str,
    /// The YAML as it was parsed.
    pub text: &'a str,
    /// Byte offset of `text`'s first line in `source`.
    pub offset: usize,
}

impl<'a> YamlText<'a> {
    /// The front matter `range` of `source`.
    pub(super) fn front_matter(file: &'a Path, source: &'a str, range: Range<usize>) -> Self {
        let range = range.start.min(source.len())..range.end.min(source.len());
        YamlText {
            file,
            source,
            text: source.get(range.clone()).unwrap_or(""),
            offset: range.start,
        }
    }

    /// The location of byte `at` of `text`, underlining `len` bytes.
    ///
    /// A fenced block inside a list item or block quote reaches the handler with the
    /// container's indentation stripped, so after its first line `text` no longer maps
    /// byte for byte onto the file; lines still correspond one to one, and a stripped line
    /// is a suffix of its file line, which gives the column.
    pub(super) fn location(&self, at: usize, len: usize) -> Location {
        let at = floor_boundary(self.text, at);
        let exact = self
            .source
            .get(self.offset..)
            .is_some_and(|rest| rest.starts_with(self.text));
        if exact {
            return Location::at_offset(self.file, self.source, self.offset + at, len);
        }
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_index = self.text[..line_start].matches('\n').count();
        if line_index == 0 {
            return Location::at_offset(self.file, self.source, self.offset + at, len);
        }
        let line_text = line_of(self.text, line_start);
        let first_line_start = floor_boundary(self.source, self.offset);
        let first_line_start = self.source[..first_line_start]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        // Start of the file line `line_index` lines below the block's first line.
        let mut file_line_start = first_line_start;
        for _ in 0..line_index {
            match self.source[file_line_start..].find('\n') {
                Some(i) => file_line_start += i + 1,
                None => break,
            }
        }
        let file_line = line_of(self.source, file_line_start);
        let prefix = if file_line.ends_with(line_text) {
            file_line.len() - line_text.len()
        } else {
            0
        };
        let column = (at - line_start).min(file_line.len() - prefix);
        Location::at_offset(
            self.file,
            self.source,
            file_line_start + prefix + column,
            len,
        )
    }

    /// Locates `issue` in this text and turns it into a diagnostic. Values are underlined
    /// up to the end of the line (at most the scalar's length, roughly); `width` lets the
    /// caller say how long the underlined thing is when known.
    pub(super) fn diagnostic(&self, issue: &Issue) -> Diagnostic {
        let at = probe::locate_nearest(self.text, &issue.at);
        let len = token_len(self.text, at);
        issue.diagnostic.clone().at(self.location(at, len))
    }

    /// Located diagnostics for `issues`, in file order. Locating re-reads the YAML, so at
    /// most [`reported`] are located; the rest are summed up in one more diagnostic.
    pub(super) fn diagnostics(&self, issues: &[Issue]) -> Vec<Diagnostic> {
        let shown = reported(self.text.len());
        let mut out: Vec<Diagnostic> = issues
            .iter()
            .take(shown)
            .map(|i| self.diagnostic(i))
            .collect();
        out.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
        let rest = issues[issues.len().min(shown)..]
            .iter()
            .filter(|i| i.is_error())
            .count();
        if rest > 0 {
            out.push(
                Diagnostic::error(format!("{rest} more problems in this YAML are not shown"))
                    .at(self.location(0, 1))
                    .help("fix the ones above and build again"),
            );
        }
        out
    }

    /// A YAML error (syntax, or a key given twice) from parsing `text`, located in the file.
    pub(super) fn yaml_error(&self, err: &YamlError, what: &str) -> Diagnostic {
        let offset = err.offset.unwrap_or(0);
        if let Some(key) = duplicate_key(&err.message) {
            let at = offset; // at the repeat: `yaml` locates it
            return Diagnostic::error(format!("`{key}` appears twice in the same map"))
                .at(self.location(at, key.len()))
                .label("given again here")
                .help("each key may appear once per question, option or map; remove one");
        }
        let mut d = err.to_diagnostic(self.file, self.text, 0, what);
        // An unclosed `[` or `{` is shown where it was opened, not where libyaml gave up.
        let at = err.unclosed_opener(self.text).unwrap_or(offset);
        d.location = Some(Box::new(self.location(at, 1)));
        d
    }
}

/// The key of serde_yaml's "duplicate entry with key \"k\"" (plain keys only).
fn duplicate_key(message: &str) -> Option<String> {
    let start = message.find("duplicate entry with key \"")? + "duplicate entry with key \"".len();
    let end = start + message[start..].find('"')?;
    let key = &message[start..end];
    (!key.is_empty() && !key.contains('\\')).then(|| key.to_string())
}

/// The text of the line starting at `start`, without its line ending.
fn line_of(text: &str, start: usize) -> &str {
    let rest = &text[start.min(text.len())..];
    let end = rest.find('\n').unwrap_or(rest.len());
    rest[..end].trim_end_matches('\r')
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// How much to underline at `at`: a key or plain scalar up to `:`/`,`/`}`/`]` or the end of
/// the line; a quoted scalar to its closing quote; a `{`/`[`/`-` one character.
fn token_len(text: &str, at: usize) -> usize {
    let rest = line_of(text, at);
    let Some(first) = rest.chars().next() else {
        return 1;
    };
    if first == '"' || first == '\'' {
        return rest[1..].find(first).map_or(rest.len(), |i| i + 2);
    }
    if matches!(first, '{' | '[' | '-' | '|' | '>') {
        return 1;
    }
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        let next_is_space = rest[i + c.len_utf8()..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
        if (c == ':' && next_is_space) || c == ',' || c == '}' || c == ']' || c == '#' {
            end = i;
            break;
        }
    }
    rest[..end].trim_end().len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_block_offsets_exactly_and_inside_containers() {
        let source =
            "---\nx: 1\n---\n- item\n\n  ```worksheet\n  - id: a\n    type: single\n  ```\n";
        let code = "- id: a\n  type: single\n";
        let offset = source.find("- id: a").unwrap();
        let block = YamlText {
            file: Path::new("a.md"),
            source,
            text: code,
            offset,
        };
        let loc = block.location(code.find("type").unwrap(), 4);
        assert_eq!((loc.line, loc.column), (8, 5));
        assert_eq!(loc.line_text, "    type: single");
        let loc = block.location(code.find("a\n").unwrap(), 1);
        assert_eq!((loc.line, loc.column), (7, 9));
    }

    #[test]
    fn token_lengths() {
        assert_eq!(token_len("optons: [a]", 0), 6);
        assert_eq!(token_len("\"a b\": 1", 0), 5);
        assert_eq!(token_len("sngle\n", 0), 5);
        assert_eq!(token_len("x, y: 2}", 0), 1);
        assert_eq!(token_len("http://x # c", 0), 8);
        assert_eq!(token_len("", 0), 1);
    }
}
