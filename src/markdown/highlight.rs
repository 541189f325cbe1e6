//! Syntax highlighting with syntect, to CSS classes rather than inline styles, so one page
//! works with both the light and the dark palette (the classes: `code_theme.rs`).
//!
//! syntect's syntax set is loaded at most once per process, and only when a page really has a
//! fenced block with a language.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::code_theme::CodeTheme;

/// Blocks bigger than this are shown plain: regex highlighting of generated or minified text
/// can take seconds and nobody reads it highlighted anyway.
const MAX_CODE_BYTES: usize = 512 * 1024;
const MAX_LINE_BYTES: usize = 16 * 1024;

/// How many highlighted blocks the memo keeps (a few megabytes at most).
const MEMO_BLOCKS: usize = 4096;

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
/// Recently highlighted blocks by (language, code) fingerprint. Highlighting is the costliest
/// part of rendering a page, and the live preview re-renders a page whose code blocks mostly
/// did not change: the writer edits the prose around them. Cleared when full.
static MEMO: OnceLock<Mutex<HashMap<u64, String>>> = OnceLock::new();
/// Whether blocks are memoised at all: only a long-lived preview process re-renders the
/// same blocks. A one-off build highlights each block once, and copying every block into
/// the memo only cost it time and memory.
static MEMO_ON: AtomicBool = AtomicBool::new(false);

/// Keeps highlighted blocks for the rest of the process (`sheaf serve`).
pub fn remember_highlighted_blocks() {
    MEMO_ON.store(true, Ordering::Relaxed);
}

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
pub(super) fn highlight(token: &str, code: &str, theme: &CodeTheme) -> Option<String> {
    let token = token.to_ascii_lowercase();
    if token.is_empty() || is_plain(&token) || code.len() > MAX_CODE_BYTES {
        return None;
    }
    if code.split('\n').any(|line| line.len() > MAX_LINE_BYTES) {
        return None;
    }
    if !MEMO_ON.load(Ordering::Relaxed) {
        return highlight_now(&token, code, theme);
    }
    let key = crate::fingerprint::of(&(token.as_str(), code, theme.key));
    let memo = MEMO.get_or_init(Default::default);
    if let Some(html) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Some(html.clone());
    }
    let html = highlight_now(&token, code, theme)?;
    let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
    if memo.len() >= MEMO_BLOCKS {
        memo.clear();
    }
    memo.insert(key, html.clone());
    Some(html)
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
    open: Option<Arc<str>>,
}

impl Spans {
    fn with_capacity(bytes: usize) -> Spans {
        Spans {
            html: String::with_capacity(bytes),
            open: None,
        }
    }

    fn push(&mut self, text: &str, classes: impl FnOnce() -> Option<Arc<str>>) {
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
