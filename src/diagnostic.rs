//! Located, user-facing errors and warnings.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`]s and keeps going, so one
//! run shows the author every mistake at once. A diagnostic carries the line of source it
//! points into, so printing it never re-reads a file (which may have changed meanwhile).

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a diagnostic is: errors fail the build (exit 1), warnings only inform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported; the build goes on.
    Warning,
    /// Context that is neither a problem nor a fix (e.g. "links to this page were not
    /// checked: it has errors").
    Note,
}

/// A position in a source file, with the text of that line for the caret snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path as shown to the user (relative to the site root where possible).
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How many characters the caret underlines (at least one).
    pub width: usize,
    /// The full text of `line`, without its line ending.
    pub line_text: String,
}

impl Location {
    /// A location at byte `offset` of `text`, underlining `len` bytes (clamped to the line).
    /// Offsets past the end, or inside a multi-byte character, are clamped safely.
    pub fn at_offset(file: impl Into<PathBuf>, text: &str, offset: usize, len: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let line = text[..line_start].matches('\n').count() + 1;
        let column = text[line_start..offset].chars().count() + 1;
        let mut end = (offset + len).min(line_start + line_text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let width = text[offset.min(end)..end].chars().count().max(1);
        Location {
            file: file.into(),
            line,
            column,
            width,
            line_text: line_text.to_string(),
        }
    }

    /// A location at 1-based `line` and `column` (characters) of `text`.
    pub fn at_line_col(
        file: impl Into<PathBuf>,
        text: &str,
        line: usize,
        column: usize,
        width: usize,
    ) -> Self {
        let line_text = text
            .split('\n')
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        Location {
            file: file.into(),
            line: line.max(1),
            column: column.max(1),
            width: width.max(1),
            line_text,
        }
    }

    /// A location naming only a file (for problems with the file as a whole).
    pub fn file_only(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: 0,
            column: 0,
            width: 0,
            line_text: String::new(),
        }
    }

    fn has_position(&self) -> bool {
        self.line > 0
    }
}

/// One problem found in the site, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// Boxed to keep `Result<_, Diagnostic>` small on the happy path.
    pub location: Option<Box<Location>>,
    /// Short text shown under the caret, e.g. "did you mean `tags`?".
    pub label: Option<String>,
    /// How to fix it, shown as a `help:` line.
    pub help: Option<String>,
    /// What kind of problem it is, where a setting can change how bad it is.
    pub class: Class,
}

/// Problems whose severity the author may choose (`links: { internal: warn }`). A class,
/// not a message match, so every broken-link message of every origin is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Class {
    /// Everything else: an error stays an error.
    #[default]
    General,
    /// A link, anchor or picture inside the site that leads nowhere.
    InternalLink,
}

impl Diagnostic {
    /// An error with `message`; add a location, label and help with the builder methods.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            label: None,
            help: None,
            class: Class::General,
        }
    }

    /// A warning with `message`.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// A note with `message` (context, never a failure).
    pub fn note(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(message)
        }
    }

    /// Where the problem is: file, line, column and the source line.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// The short text under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// How to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Marks a broken internal link, anchor or picture, which `links: { internal: warn }`
    /// turns into a warning.
    pub fn internal_link(mut self) -> Self {
        self.class = Class::InternalLink;
        self
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic in the rustc style, with colour when `color` is true.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let file = self
            .location
            .as_ref()
            .map(|l| display_path(&l.file))
            .unwrap_or_default();
        let title = level.primary_title(self.message.as_str());
        let group = match &self.location {
            Some(loc) if loc.has_position() => {
                // The snippet is one line; annotate_snippets wants byte ranges into it.
                let start = char_to_byte(&loc.line_text, loc.column - 1);
                let end = char_to_byte(&loc.line_text, loc.column - 1 + loc.width).max(start);
                let mut annotation = AnnotationKind::Primary.span(start..end);
                if let Some(label) = &self.label {
                    annotation = annotation.label(label.as_str());
                }
                title.element(
                    Snippet::source(loc.line_text.as_str())
                        .line_start(loc.line)
                        .path(file.as_str())
                        .annotation(annotation),
                )
            }
            // A file as a whole: its path goes under the title by hand below, with no
            // empty code frame (`  |`) after it.
            Some(_) => Group::with_title(title),
            None => Group::with_title(title),
        };
        let mut report = vec![group];
        let unplaced_label = match &self.location {
            Some(loc) if loc.has_position() => None,
            _ => self.label.as_deref(),
        };
        if let Some(note) = unplaced_label {
            report.push(Group::with_title(Level::NOTE.secondary_title(note)));
        }
        if let Some(help) = &self.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let rendered = renderer.render(&report).to_string();
        match &self.location {
            Some(loc) if !loc.has_position() => {
                let (first, mut rest) = rendered.split_once('\n').unwrap_or((&rendered, ""));
                // annotate_snippets opens a `  |` gutter before the help: no frame follows.
                if let Some((gutter, after)) = rest.split_once('\n')
                    && strip_ansi(gutter).trim() == "|"
                {
                    rest = after;
                }
                let arrow = if color {
                    "\x1b[1m\x1b[94m-->\x1b[0m"
                } else {
                    "-->"
                };
                let sep = if rest.is_empty() { "" } else { "\n" };
                format!("{first}\n {arrow} {file}{sep}{rest}")
            }
            _ => rendered,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// `text` without its ANSI colour sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Byte offset of the `chars`-th character of `s` (or its length when past the end).
fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Problems collected over a whole run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// How bad a broken internal link is in this run (`links.internal`); errors by default.
    internal_links: Option<Severity>,
}

impl Diagnostics {
    /// No diagnostics.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let diagnostic = self.graded(diagnostic);
        self.items.push(diagnostic);
    }

    /// Adds several diagnostics.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }

    /// From now on (and for those already here), broken internal links are `severity`:
    /// `links: { internal: warn }` lets a site with known broken links build while every
    /// one is still listed.
    pub fn grade_internal_links(&mut self, severity: Severity) {
        self.internal_links = Some(severity);
        let items = std::mem::take(&mut self.items);
        self.items = items.into_iter().map(|d| self.graded(d)).collect();
    }

    fn graded(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        if let Some(severity) = self.internal_links
            && diagnostic.class == Class::InternalLink
            && diagnostic.severity == Severity::Error
        {
            diagnostic.severity = severity;
        }
        diagnostic
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many diagnostics are errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Whether there are no diagnostics at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file, then position, so output is stable whatever order threads finished in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line, l.column))
            };
            key(a)
                .cmp(&key(b))
                .then(a.severity.cmp(&b.severity))
                .then(a.message.cmp(&b.message))
        });
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A stage that stops at one problem, gathered with the others.
impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
            internal_links: None,
        }
    }
}

/// A stage that reports a list, gathered with the others.
impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(items: Vec<Diagnostic>) -> Self {
        Diagnostics {
            items,
            internal_links: None,
        }
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
            internal_links: None,
        }
    }
}

/// The closest of `candidates` to `word`, if any is close enough to be a plausible typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_from_offset_counts_characters() {
        let text = "---\ntitle: Ünï\ntag: [x]\n";
        let loc = Location::at_offset("a.md", text, text.find("tag").unwrap(), 3);
        assert_eq!((loc.line, loc.column, loc.width), (3, 1, 3));
        assert_eq!(loc.line_text, "tag: [x]");
        let loc = Location::at_offset("a.md", text, text.find('ï').unwrap() + 1, 1);
        assert_eq!(loc.line, 2, "offset inside a character is clamped");
    }

    #[test]
    fn renders_caret_snippet_like_the_spec() {
        let text = "---\ntitle: A\ntag: [linkedin]\n---\n";
        let d = Diagnostic::error("unknown front-matter key `tag`")
            .at(Location::at_offset(
                "content/essays/a.md",
                text,
                text.find("tag").unwrap(),
                3,
            ))
            .label("did you mean `tags`?");
        let out = d.render(false);
        assert!(
            out.starts_with("error: unknown front-matter key `tag`"),
            "{out}"
        );
        assert!(out.contains("--> content/essays/a.md:3:1"), "{out}");
        assert!(out.contains("3 | tag: [linkedin]"), "{out}");
        assert!(out.contains("^^^ did you mean `tags`?"), "{out}");
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("tag", ["title", "tags", "date"]), Some("tags"));
        assert_eq!(did_you_mean("zzzz", ["title", "tags"]), None);
    }
}
