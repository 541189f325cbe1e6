//! **The** way to find where something is in a YAML text: [`Locator`] answers "where is
//! key path `a.b[2].c`, and its value" with a byte span, for config, front matter and
//! worksheets alike.
//!
//! Positions come from libyaml itself (see `walk.rs`), never from searching the text, so a
//! key is found in its own map however it is written (block or flow, quoted, after a
//! comment or a value that spells the same word, CRLF) and a key named `light` is never
//! found inside the word `highlight`. Spans are the token at that position, read with
//! YAML's rules for where a scalar ends. Locating parses the text again, once per question:
//! questions are asked only while reporting a problem, so that cost is paid only then.

use std::ops::Range;

#[cfg(test)]
mod tests;
mod walk;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// The value of this key of a mapping (the first one, if the key repeats).
    Key(String),
    /// This item of a sequence.
    Index(usize),
}

/// A node of a YAML document: a path, and whether the target is the last key itself rather
/// than its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyPath {
    pub segs: Vec<Seg>,
    /// Point at the key of the last `Seg::Key` instead of its value.
    pub key: bool,
    /// The second time the last key is written in its map rather than the first (a
    /// duplicate key, which serde reports at its map).
    pub repeat: bool,
}

impl KeyPath {
    /// The whole document.
    pub(crate) fn root() -> Self {
        KeyPath::default()
    }

    /// The value at `key` under this node.
    pub(crate) fn at(&self, key: &str) -> Self {
        let mut segs = self.segs.clone();
        segs.push(Seg::Key(key.to_string()));
        KeyPath {
            segs,
            ..KeyPath::default()
        }
    }

    /// The key `key` itself under this node.
    pub(crate) fn key(&self, key: &str) -> Self {
        KeyPath {
            key: true,
            ..self.at(key)
        }
    }

    /// Item `index` of the sequence at this node.
    pub(crate) fn index(&self, index: usize) -> Self {
        let mut segs = self.segs.clone();
        segs.push(Seg::Index(index));
        KeyPath {
            segs,
            ..KeyPath::default()
        }
    }

    /// The same path without its last step (the node that holds this one).
    pub(crate) fn parent(&self) -> Option<Self> {
        let mut segs = self.segs.clone();
        segs.pop()?;
        Some(KeyPath {
            segs,
            ..KeyPath::default()
        })
    }

    /// The second occurrence of this path's last key in its map.
    pub(crate) fn repeated(self) -> Self {
        KeyPath {
            repeat: true,
            ..self
        }
    }

    /// A path as serde_yaml writes it in its messages (`feeds`, `worksheet.result`,
    /// `bands[0].min`; `.` is the root). `None` for what cannot be told apart from such a
    /// path (a key containing `.`, `[` or `?`).
    pub(crate) fn parse_serde(path: &str) -> Option<Self> {
        let mut out = KeyPath::root();
        if path == "." {
            return Some(out);
        }
        let mut rest = path.strip_prefix('.').unwrap_or(path);
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('[') {
                let (index, after) = after.split_once(']')?;
                out = out.index(index.parse().ok()?);
                if !(after.is_empty() || after.starts_with(['.', '['])) {
                    return None;
                }
                rest = after.strip_prefix('.').unwrap_or(after);
                continue;
            }
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let key = &rest[..end];
            if key.is_empty() || key.contains([']', '?']) {
                return None;
            }
            out = out.at(key);
            rest = &rest[end..];
            rest = rest.strip_prefix('.').unwrap_or(rest);
        }
        Some(out)
    }
}

/// Answers where nodes of one YAML text are. Offsets are bytes into that text; the text
/// must have been parsed once already (so it passed `yaml::limits`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Locator<'t> {
    text: &'t str,
}

impl<'t> Locator<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Locator { text }
    }

    /// Where the node at `path` starts (its key, when `path.key`): a scalar, the `[`/`{` of
    /// a flow collection, the first entry of a block one. `None` when there is no such node.
    pub(crate) fn find(&self, path: &KeyPath) -> Option<usize> {
        if self.text.len() > super::limits::MAX_BYTES {
            return None;
        }
        walk::find(self.text, path)
    }

    /// Like [`Locator::find`], but falls back to the closest ancestor that exists (the
    /// key before its value), then to 0.
    pub(crate) fn nearest(&self, path: &KeyPath) -> usize {
        let mut path = path.clone();
        loop {
            if let Some(at) = self.find(&path) {
                return at;
            }
            if path.key {
                path.key = false;
                continue;
            }
            match path.parent() {
                Some(parent) => path = parent,
                None => return 0,
            }
        }
    }

    /// The last key of `path` as written (quotes included), e.g. `light` of
    /// `highlight.light`; `None` when the key is not there.
    pub(crate) fn key(&self, path: &KeyPath) -> Option<Range<usize>> {
        if !matches!(path.segs.last(), Some(Seg::Key(_))) {
            return None;
        }
        let path = KeyPath {
            key: true,
            ..path.clone()
        };
        let start = self.find(&path)?;
        Some(start..self.token_end(start, self.in_flow(&path)))
    }

    /// The scalar value at `path` when it is written on its key's line (`light: Foo`,
    /// `{light: Foo}`): where the fix is typed. Otherwise (a collection, a block scalar, a
    /// value on later lines, no value) the key, and `None` when the key is not there.
    pub(crate) fn value_or_key(&self, path: &KeyPath) -> Option<Range<usize>> {
        let key = self.key(path)?;
        let value = KeyPath {
            key: false,
            ..path.clone()
        };
        let Some(start) = self.find(&value) else {
            return Some(key);
        };
        let same_line = start >= key.end && !self.text[key.end..start].contains(['\n', '\r']);
        let scalar = !self.text[start..].starts_with(['[', '{', '|', '>']);
        if !same_line || !scalar || start == self.text.len() {
            return Some(key);
        }
        let end = self.token_end(start, self.in_flow(&value));
        Some(if end > start { start..end } else { key })
    }

    /// The scalar at `path` as written (quotes included): an item of a list, a value.
    /// `None` when there is no node there.
    pub(crate) fn scalar(&self, path: &KeyPath) -> Option<Range<usize>> {
        let start = self.find(path)?;
        Some(start..self.token_end(start, self.in_flow(path)))
    }

    /// Whether the node at `path` sits directly in a flow collection (`{a: x}`, `[x]`),
    /// where `,`, `]` and `}` end a plain scalar.
    fn in_flow(&self, path: &KeyPath) -> bool {
        let parent = path.parent().unwrap_or_else(KeyPath::root);
        self.find(&parent)
            .is_some_and(|at| self.text[at..].starts_with(['[', '{']))
    }

    /// End of the scalar token starting at `start`, on its first line: a quoted scalar to
    /// its closing quote, a plain one to `: `, ` #`, the line's end or (in flow context) a
    /// flow indicator, without trailing blanks.
    fn token_end(&self, start: usize, flow: bool) -> usize {
        let rest = &self.text[start..];
        let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
        let bytes = line.as_bytes();
        match bytes.first() {
            Some(&quote @ (b'"' | b'\'')) => {
                let mut i = 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' if quote == b'"' => i += 1,
                        b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                        c if c == quote => return start + i + 1,
                        _ => {}
                    }
                    i += 1;
                }
                start + line.len()
            }
            _ => {
                let blank = |i: usize| matches!(bytes.get(i), None | Some(b' ' | b'\t'));
                let mut end = bytes.len();
                for (i, &c) in bytes.iter().enumerate() {
                    let ends = match c {
                        b':' => blank(i + 1) || flow && b",[]{}".contains(&bytes[i + 1]),
                        b'#' => i > 0 && blank(i - 1),
                        b',' | b'[' | b']' | b'{' | b'}' => flow,
                        _ => false,
                    };
                    if ends {
                        end = i;
                        break;
                    }
                }
                start + line[..end].trim_end_matches([' ', '\t']).len()
            }
        }
    }
}
