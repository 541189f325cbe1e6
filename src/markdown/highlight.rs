//! Syntax highlighting with syntect, to CSS classes rather than inline styles, so one page
//! works with both the light and the dark palette (the classes: `code_theme.rs`).
//!
//! syntect's syntax set is loaded at most once per process, and only when a block with a
//! language is not already in the highlight cache (`highlight_cache.rs`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::OnceLock;

use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::Highlighting;
use super::code_theme::CodeTheme;
use super::highlight_cache::HighlightCache;

/// Blocks bigger than this are shown plain: regex highlighting of generated or minified text
/// can take seconds and nobody reads it highlighted anyway.
const MAX_CODE_BYTES: usize = 512 * 1024;
/// A longer line is shown plain too: some grammars backtrack badly on one (syntect's
/// Markdown grammar on nested link brackets: 0.2 s for a 1 KB line, 6.8 s for 3.8 KB).
const MAX_LINE_BYTES: usize = 1024;

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

#[cfg(test)]
thread_local! {
    /// How often this thread asked for the syntax set: lets tests check laziness even though
    /// other tests in the same process load the set.
    pub(super) static SYNTAX_REQUESTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The `newlines` variant, because lines are fed with their line endings.
fn syntaxes() -> &'static SyntaxSet {
    #[cfg(test)]
    SYNTAX_REQUESTS.with(|n| n.set(n.get() + 1));
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Whether the syntax set has been loaded in this process.
#[cfg(test)]
pub(crate) fn syntect_loaded() -> bool {
    SYNTAXES.get().is_some()
}

/// Common fence tokens that syntect does not know by that name.
fn alias(token: &str) -> &str {
    match token {
        "shell" | "zsh" | "console" | "shell-session" => "bash",
        "jsonc" | "json5" => "json",
        other => other,
    }
}

/// Tokens that mean "no highlighting", answered without loading syntect.
fn is_plain(token: &str) -> bool {
    matches!(
        token,
        "text" | "txt" | "plain" | "plaintext" | "none" | "output"
    )
}

/// Highlighted HTML (the inside of `<code>`) for `code` in language `token`, or `None` when
/// the language is unknown or the block is too big: the caller then shows it plain.
pub(super) fn highlight(token: &str, code: &str, with: Highlighting) -> Option<String> {
    let token = token.to_ascii_lowercase();
    if token.is_empty() || is_plain(&token) || code.len() > MAX_CODE_BYTES {
        return None;
    }
    if code.split('\n').any(|line| line.len() > MAX_LINE_BYTES) {
        return None;
    }
    let (light, dark) = &with.theme.names;
    let key = HighlightCache::key(&token, code, (light, dark));
    with.cache
        .get_or_highlight(key, || highlight_now(&token, code, with.theme))
}

fn highlight_now(token: &str, code: &str, theme: &CodeTheme) -> Option<String> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(alias(token))?;
    // A bug in a syntax definition must cost one plain block, not the build.
    catch_unwind(AssertUnwindSafe(|| {
        let mut parser = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut html = Spans::with_capacity(code.len() * 2);
        for line in LinesWithEndings::from(code) {
            let ops = parser.parse_line(line, set).ok()?;
            let mut at = 0;
            for (end, op) in &ops {
                let end = (*end).min(line.len());
                html.push(line.get(at..end)?, || theme.classes(stack.as_slice()));
                at = end.max(at);
                stack.apply(op).ok()?;
            }
            html.push(line.get(at..)?, || theme.classes(stack.as_slice()));
        }
        Some(html.finish())
    }))
    .ok()
    .flatten()
}

/// Highlighted HTML being written: text in `<span class>`s, one span for each run of text
/// with the same classes, however many tokens and lines it covers.
struct Spans {
    html: String,
    open: Option<Rc<str>>,
}

impl Spans {
    fn with_capacity(bytes: usize) -> Spans {
        Spans {
            html: String::with_capacity(bytes),
            open: None,
        }
    }

    fn push(&mut self, text: &str, classes: impl FnOnce() -> Option<Rc<str>>) {
        if text.is_empty() {
            return;
        }
        let classes = classes();
        if classes != self.open {
            if self.open.is_some() {
                self.html.push_str("</span>");
            }
            if let Some(c) = &classes {
                self.html.push_str("<span class=\"");
                self.html.push_str(c);
                self.html.push_str("\">");
            }
            self.open = classes;
        }
        // Text, not attributes: only `&`, `<` and `>` need escaping.
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut self.html, text);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.html.push_str("</span>");
        }
        self.html
    }
}
