//! The imported site, the same shape for every dialect: what a dialect reader fills in and
//! what the link rewriter, the writer and the report read. Keeping one model means the
//! rules every dialect shares (old URLs, links, fragments, the report) are written once.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::yaml::{Mapping, Value};

/// One Markdown document of the new site: a page, a section's `_index.md` or the home page.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// The source file, relative to SOURCE, as shown in the report.
    pub source: PathBuf,
    /// Where it goes, relative to DEST/content, `/`-separated (`blog/foo.md`).
    pub dest: String,
    /// sheaf front matter, in the order it is written.
    pub front: Mapping,
    /// The Markdown body (rewritten in place by later passes).
    pub body: String,
    /// 1-based line of the body's first line in the source file, so notes point at the
    /// source (the body's lines are kept one for one until shortcodes change them).
    pub body_line: usize,
    /// The page's URL on the old site, without the base path (`/2020/05/01/x.html`).
    pub old_url: Option<String>,
    /// Old URLs that redirected to it (`aliases`, `redirect_from`).
    pub old_aliases: Vec<String>,
    /// A section's `_index.md` (or the home page): it cannot take `path:`; old URLs become `aliases`.
    pub is_section: bool,
}

impl Doc {
    /// A document with empty front matter; readers fill it in.
    pub(crate) fn new(source: PathBuf, dest: String, body: String, body_line: usize) -> Doc {
        Doc {
            source,
            dest,
            front: Mapping::new(),
            body,
            body_line,
            old_url: None,
            old_aliases: Vec::new(),
            is_section: false,
        }
    }

    /// The folder of `dest` inside content/ (`blog` for `blog/foo.md`, `` at the root).
    pub(crate) fn dest_dir(&self) -> &str {
        self.dest.rfind('/').map_or("", |i| &self.dest[..i])
    }

    /// Sets front-matter `key` (replacing an earlier value).
    pub(crate) fn set(&mut self, key: &str, value: impl Into<Value>) {
        self.front
            .insert(Value::String(key.to_string()), value.into());
    }

    /// A string front-matter value the importer set.
    pub(crate) fn get_str(&self, key: &str) -> Option<&str> {
        self.front.get(key).and_then(Value::as_str)
    }
}

/// A file copied as it is: static files, a bundle's pictures.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// Absolute path in SOURCE.
    pub from: PathBuf,
    /// Relative to DEST (`static/CNAME`, `content/blog/foo/cat.jpg`), `/`-separated.
    pub to: String,
}

/// Something a person has to look at, located in the source where possible.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Note {
    /// `content/blog/foo.md:12:3`, or a file name alone.
    pub at: String,
    pub message: String,
}

impl Note {
    /// A located diagnostic as a report line: `file:line:col` and its message.
    pub(crate) fn of(d: &crate::diagnostic::Diagnostic) -> Note {
        let at = d.location.as_ref().map_or_else(String::new, |l| {
            if l.line > 0 {
                format!("{}:{}:{}", l.file.display(), l.line, l.column)
            } else {
                l.file.display().to_string()
            }
        });
        Note {
            at,
            message: d.message.clone(),
        }
    }
}

/// What the URL pass decided for the old URLs.
#[derive(Debug, Default, Clone)]
pub(crate) struct UrlCounts {
    /// Old URLs the new site serves as pages.
    pub kept: usize,
    /// Old URLs the new site serves as redirect pages.
    pub redirected: usize,
    /// Old URLs that will not work any more, with why.
    pub lost: Vec<(String, String)>,
}

/// The whole imported site.
#[derive(Debug, Default)]
pub(crate) struct Site {
    /// config.yaml, in the order it is written.
    pub config: Mapping,
    pub docs: Vec<Doc>,
    pub assets: Vec<Asset>,
    /// Front-matter keys moved under `extra:`, with how many documents had each.
    pub moved_to_extra: BTreeMap<String, usize>,
    /// Site config keys moved under `extra:` in config.yaml.
    pub config_extra: Vec<String>,
    pub notes: Vec<Note>,
    pub urls: UrlCounts,
    /// Links rewritten, by kind (`@/`, `ref`, `fragment`, ...).
    pub links_rewritten: BTreeMap<&'static str, usize>,
    /// Files in SOURCE that were read but are not part of the new site, with why.
    pub skipped: Vec<Note>,
    /// The terms of each taxonomy on the old site (`tags` → `rust`, `web`), for its list
    /// URLs (`/tags/rust/`); drafts left out.
    pub terms: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Notes about text kept inert, to be located in the written file once every pass has
    /// run: (index in `notes`, the document's `dest`, the text as the body now has it).
    pub inert: Vec<(usize, String, String)>,
    /// How the old site's list URLs were made (set by the dialect reader).
    pub lists: Option<super::lists::ListRules>,
}

impl Site {
    /// Records a note for a person.
    pub(crate) fn note(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note {
            at: at.into(),
            message: message.into(),
        });
    }

    /// Records the terms a published page has in `taxonomy`.
    pub(crate) fn terms_of(&mut self, taxonomy: &str, terms: &[String]) {
        let set = self.terms.entry(taxonomy.to_string()).or_default();
        set.extend(terms.iter().cloned());
    }

    /// Counts one rewritten link of `kind`.
    pub(crate) fn rewrote(&mut self, kind: &'static str) {
        *self.links_rewritten.entry(kind).or_default() += 1;
    }

    /// The number of pages (not sections).
    pub(crate) fn page_count(&self) -> usize {
        self.docs.iter().filter(|d| !d.is_section).count()
    }
}

/// A YAML string value.
pub(crate) fn string(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

/// The text of a scalar front-matter value (strings, numbers, booleans), for keys whose
/// value sheaf wants as a string but authors wrote as a number (`title: 1984`).
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

/// A list of strings from a list, or from one string split on `split` (Jekyll's
/// space-separated `tags: a b c`), or from one scalar.
pub(crate) fn string_list(value: &Value, split: Option<char>) -> Vec<String> {
    match value {
        Value::Sequence(items) => items.iter().filter_map(scalar_text).collect(),
        Value::String(s) => match split {
            Some(c) => s
                .split(c)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            None => vec![s.clone()],
        },
        other => scalar_text(other).into_iter().collect(),
    }
    .into_iter()
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
    .collect()
}
