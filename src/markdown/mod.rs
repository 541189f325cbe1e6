//! Markdown to HTML: the one place pulldown-cmark and syntect are driven.
//!
//! [`render`] parses a page body once and streams the events through a single rewriting pass
//! (`transform.rs`) that gives headings ids and anchors, turns GitHub alerts into callouts,
//! rewrites relative `.md` links to page URLs, highlights code, renders `$…$` math as MathML
//! (`math/`), moves footnotes to the end and collects what the rest of the pipeline needs
//! (TOC, ids, links, summary, word count). The rewritten events are then written by
//! pulldown-cmark's own HTML writer, so escaping of text stays in one well-tested place.
//!
//! Nothing here touches the file system or global mutable state apart from the lazily loaded
//! syntect sets, so `render` may be called from many threads at once.

mod alerts;
mod code;
mod code_theme;
mod footnotes;
mod headings;
mod highlight;
mod highlight_cache;
mod links;
mod locate;
mod math;
mod rewrite;
mod summary;
mod text;
mod toc;
mod transform;

#[cfg(test)]
mod tests;

use std::path::Path;

use pulldown_cmark::{Options, Parser};

use crate::diagnostic::{Diagnostic, Location};

pub use code_theme::CodeTheme;
pub(crate) use code_theme::syntax_css;
pub use highlight_cache::HighlightCache;

/// One page body to render, plus what is needed to locate errors in the whole file.
pub(crate) struct MarkdownInput<'a> {
    /// Path shown in diagnostics, e.g. `content/essays/a.md`.
    pub file: &'a Path,
    /// The whole file text (front matter included), so locations use real file lines.
    pub source: &'a str,
    /// Byte offset where the Markdown body starts in `source`.
    pub body_offset: usize,
    /// Content-relative folder of this file, `/`-separated: `essays`, or `` for the root.
    pub page_dir: &'a str,
    pub links: &'a dyn LinkResolver,
    pub fences: &'a dyn FenceHandler,
    pub highlighting: Highlighting<'a>,
}

/// How code blocks are highlighted: the light and dark themes they are coloured for, and
/// where highlighted blocks are kept between pages and builds.
#[derive(Clone, Copy)]
pub struct Highlighting<'a> {
    /// The light and dark themes code is coloured with.
    pub theme: &'a CodeTheme,
    /// Blocks highlighted before, by language, code and theme.
    pub cache: &'a HighlightCache,
}

/// Maps a content-relative path of a Markdown file (`essays/foo.md`, already normalised, no
/// `..`) to the URL path of its page (already including the site's base path, e.g.
/// `/guide/essays/foo/`).
pub trait LinkResolver: Sync {
    /// The URL path of the page made from `content_path`, if there is one.
    fn page_url(&self, content_path: &str) -> Option<String>;
    /// Why `page_url` found no page at `content_path`, for the broken link's message.
    fn why_missing(&self, _content_path: &str) -> Missing {
        Missing::NoSuchPage { did_you_mean: None }
    }
    /// The URL of a non-Markdown file in the content folder (`essays/pic.png`), so relative
    /// image and download links keep working once the page lives at `/essays/foo/`.
    fn file_url(&self, _content_path: &str) -> Option<String> {
        None
    }
}

/// Why a link's target page is not in the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Missing {
    /// No such file; the closest existing page, if one is close.
    NoSuchPage { did_you_mean: Option<String> },
    /// A draft, left out without `--drafts`.
    Draft,
    /// Dated in the future (its date as written), left out without `--future`.
    Future(String),
    /// The file is there but failed to load: its own errors are reported.
    HasErrors,
}

/// Custom fenced blocks (used for ```` ```worksheet ```` blocks).
///
/// `code_offset` is the byte offset of the block's first content line within
/// [`MarkdownInput::source`]. For a fence that is not inside a list or blockquote, `code` is
/// the block's text exactly as it is in the source (CRLF line endings included), so
/// `code_offset + i` is the source offset of `code[i]` on every line. Inside a container the
/// container's indentation is stripped from `code`, so only the first line maps byte for byte;
/// later lines still map by line number.
pub(crate) trait FenceHandler: Sync {
    /// `None` when this handler does not own blocks with this info string.
    fn render(
        &self,
        info: &str,
        code: &str,
        code_offset: usize,
    ) -> Option<Result<String, Vec<Diagnostic>>>;
}

/// A fence handler that owns nothing: every block is ordinary code.
#[cfg(test)]
pub(crate) struct NoFences;

#[cfg(test)]
impl FenceHandler for NoFences {
    fn render(&self, _: &str, _: &str, _: usize) -> Option<Result<String, Vec<Diagnostic>>> {
        None
    }
}

/// One heading in the table of contents, with the headings nested under it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    /// Plain text (no markup), ready to be escaped by the template.
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link to a page of this site (or to an anchor of this page), for the cross-page checks.
#[derive(Debug, Clone)]
pub struct InternalLink {
    /// Content-relative `.md` path it points to; `None` = this same page (`#frag`).
    pub target: Option<String>,
    /// Anchor without `#`, percent-decoded.
    pub fragment: Option<String>,
    /// Where the link's destination is in the source file.
    pub location: Location,
}

/// Everything the pipeline needs from one page body.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    /// HTML of everything before `<!-- more -->`, if present.
    pub summary_html: Option<String>,
    /// Plain text of the first top-level paragraph (summary fallback).
    pub first_paragraph: Option<String>,
    /// Headings nested by level (robust to skipped levels); footnote headings are left out.
    pub toc: Vec<TocEntry>,
    /// Every id on the page (headings, footnotes, `id="…"` in raw HTML), for anchor checks.
    pub heading_ids: Vec<String>,
    /// Every relative `.md` link that resolved to a page, and every same-page `#x` link.
    /// Links to missing pages are reported in `diagnostics` instead.
    pub links: Vec<InternalLink>,
    /// Words of prose (code blocks, raw HTML and image alt text excluded).
    pub word_count: usize,
    /// Whether the page has at least one code block (custom fences excluded).
    pub has_code: bool,
    /// Located errors and warnings from the body.
    pub diagnostics: Vec<Diagnostic>,
}

/// The Markdown dialect: CommonMark plus the GitHub extensions the spec promises, and math.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
}

/// Rewrites relative `.md` links left in already-rendered HTML (`href="../essays/x.md#y"`)
/// to page URLs, for Markdown rendered outside [`render`] (worksheet prompts and result
/// texts live in YAML). Returns the HTML and the links that lead to no page.
pub(crate) fn rewrite_page_links(
    html: &str,
    page_dir: &str,
    links: &dyn LinkResolver,
) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len());
    let mut broken = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        let value_start = at + "href=\"".len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let value_end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..value_end];
        match links::classify(value) {
            links::Dest::Page { path, fragment } => {
                let url =
                    links::resolve(page_dir, &path).and_then(|target| links.page_url(&target));
                match url {
                    Some(url) => {
                        out.push_str(&url);
                        if let Some(fragment) = fragment {
                            out.push('#');
                            out.push_str(&fragment);
                        }
                    }
                    None => {
                        broken.push(value.to_string());
                        out.push_str(value);
                    }
                }
            }
            _ => out.push_str(value),
        }
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    (out, broken)
}

/// Renders one page body. Never panics; problems end up in [`Rendered::diagnostics`].
pub(crate) fn render(input: &MarkdownInput) -> Rendered {
    let body_offset = clamp_to_boundary(input.source, input.body_offset);
    let body = &input.source[body_offset..];
    // One parse. The events are kept so explicit `{#id}`s can be reserved before any id is
    // derived: an explicit id must win even over an earlier heading with the same text.
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();
    // Roughly one event per 8 bytes of typical prose; avoids most regrowth of the buffer.
    let mut events = Vec::with_capacity(body.len() / 8 + 16);
    events.extend(parser.by_ref());
    let out = transform::run(input, body_offset, parser.reference_definitions(), events);

    let mut html = String::with_capacity(body.len() + body.len() / 2);
    let mut events = out.events;
    let after = events.split_off(out.more_at.unwrap_or(events.len()).min(events.len()));
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let summary_html = out
        .more_at
        .map(|_| summary::tidy(&html))
        .filter(|s| !s.is_empty());
    // The split is always between top-level blocks, where the HTML writer keeps no state
    // (footnotes are rendered by us), so writing in two runs gives the same HTML as one.
    pulldown_cmark::html::push_html(&mut html, after.into_iter());

    Rendered {
        html,
        summary_html,
        first_paragraph: out.first_paragraph,
        toc: out.toc,
        heading_ids: out.ids,
        links: out.links,
        word_count: out.word_count,
        has_code: out.has_code,
        diagnostics: out.diagnostics,
    }
}

/// `offset` moved onto a character boundary of `text` (a caller mistake must not panic).
fn clamp_to_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// Escapes text for HTML element content and double-quoted attribute values.
fn escape_html(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}
