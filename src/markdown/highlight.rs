//! Syntax highlighting with syntect, to CSS classes rather than inline styles, so one page
//! works with both the light and the dark palette.
//!
//! Loading syntect's syntax set costs tens of milliseconds, more than building a small site.
//! It is therefore loaded at most once per process, and only when a page really has a fenced
//! block with a language; the theme set only when CSS or theme names are asked for.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::diagnostic::did_you_mean;

/// Prefix of every highlighting class, so theme CSS cannot clash with the site's own classes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

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
static THEMES: OnceLock<ThemeSet> = OnceLock::new();

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

fn themes() -> &'static ThemeSet {
    THEMES.get_or_init(ThemeSet::load_defaults)
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
pub(super) fn highlight(token: &str, code: &str) -> Option<String> {
    let token = token.to_ascii_lowercase();
    if token.is_empty() || is_plain(&token) || code.len() > MAX_CODE_BYTES {
        return None;
    }
    if code.split('\n').any(|line| line.len() > MAX_LINE_BYTES) {
        return None;
    }
    if !MEMO_ON.load(Ordering::Relaxed) {
        return highlight_now(&token, code);
    }
    let key = crate::fingerprint::of(&(token.as_str(), code));
    let memo = MEMO.get_or_init(Default::default);
    if let Some(html) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Some(html.clone());
    }
    let html = highlight_now(&token, code)?;
    let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
    if memo.len() >= MEMO_BLOCKS {
        memo.clear();
    }
    memo.insert(key, html.clone());
    Some(html)
}

fn highlight_now(token: &str, code: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(alias(token))?;
    // A bug in a syntax definition must cost one plain block, not the build.
    catch_unwind(AssertUnwindSafe(|| {
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }))
    .ok()
    .flatten()
}

/// Every syntect theme name that `syntax_css` accepts, sorted.
pub fn theme_names() -> Vec<String> {
    themes().themes.keys().cloned().collect()
}

/// CSS for highlighted code: the `light` palette by default and the `dark` one inside
/// `@media (prefers-color-scheme: dark)`. `Err` names the unknown theme and lists valid ones.
pub fn syntax_css(light: &str, dark: &str) -> Result<String, String> {
    let light_css = theme_css(light)?;
    let dark_css = theme_css(dark)?;
    let mut css = format!(
        "/* Code highlighting, generated from the syntect themes `{light}` and `{dark}`. */\n"
    );
    css.push_str(&light_css);
    css.push_str("\n@media (prefers-color-scheme: dark) {\n");
    for line in dark_css.lines() {
        if !line.is_empty() {
            css.push_str("  ");
        }
        css.push_str(line);
        css.push('\n');
    }
    css.push_str("}\n");
    Ok(css)
}

fn theme_css(name: &str) -> Result<String, String> {
    let set = themes();
    let Some(theme) = set.themes.get(name) else {
        let hint = did_you_mean(name, set.themes.keys().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        let valid: Vec<&str> = set.themes.keys().map(String::as_str).collect();
        return Err(format!(
            "unknown highlight theme `{name}`{hint}; valid themes: {}",
            valid.join(", ")
        ));
    };
    let css = css_for_theme_with_class_style(theme, CLASS_STYLE)
        .map_err(|e| format!("cannot generate CSS for highlight theme `{name}`: {e}"))?;
    // Syntect puts the theme's base colours on `.hl-code`; our blocks are `<pre class="code">`
    // (plain ones too, so every block gets the same background).
    Ok(css.replacen(".hl-code {", "pre.code, .hl-code {", 1))
}
