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
mod broken;
mod calls;
mod code;
mod code_theme;
mod components;
mod contrast;
mod footnotes;
mod headings;
mod highlight;
mod highlight_cache;
mod html;
mod links;
mod local;
mod locate;
mod math;
mod pictures;
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
pub use html::Html;
pub(crate) use links::percent_decode;

/// One page body to render, plus what is needed to locate errors in the whole file.
#[derive(Clone, Copy)]
pub(crate) struct MarkdownInput<'a> {
    /// Path shown in diagnostics, e.g. `content/essays/a.md`.
    pub file: &'a Path,
    /// The whole file text (front matter included), so locations use real file lines.
    pub source: &'a str,
    /// Byte offset where the Markdown body starts in `source`.
    pub body_offset: usize,
    /// Content-relative folder of this file, `/`-separated: `essays`, or `` for the root.
    pub page_dir: &'a str,
    /// Site path of the page without the base path (`/essays/foo/`): what a relative link
    /// that names no content file is read against, as a browser would.
    pub page_path: &'a str,
    pub links: &'a dyn LinkResolver,
    pub fences: &'a dyn FenceHandler,
    /// The components `{{ name(…) }}` calls may use.
    pub components: &'a dyn ComponentHandler,
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
    /// A non-Markdown file in the content folder (`essays/pic.png`): its URL, so relative
    /// image and download links keep working once the page lives at `/essays/foo/`, and
    /// its size and copies when it is an image.
    fn file(&self, _content_path: &str) -> Option<SiteLink> {
        None
    }
    /// What a component shows of the page made from `content_path` (its `title`, `url`,
    /// `description`, and for a worksheet its `questions` and `results`).
    fn page_card(&self, _content_path: &str) -> Option<serde_json::Value> {
        None
    }
    /// What is at a site path (`/essays/x/`, `/images/a.png`, decoded, without the base
    /// path) in the built site: a page, a section, a tag page, a file, a feed.
    fn site_path(&self, _site_path: &str) -> SitePath {
        SitePath::Nothing { did_you_mean: None }
    }
}

/// The components a page may call (`{{ figure(…) }}`, `{% aside() %}…{% end %}`): their
/// parameters, and their templates to render.
pub(crate) trait ComponentHandler: Sync {
    /// The parameters of component `name`, `None` when there is no such component. A
    /// parameter named `body` means the component takes a body (`{% name() %}`).
    fn signature(&self, name: &str) -> Option<&[Param]>;
    /// Every component's name, for "did you mean" and the list in messages.
    fn names(&self) -> Vec<String>;
    /// Renders `name` with checked arguments; the error is the template's message.
    fn render(
        &self,
        name: &str,
        args: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<String, String>;
}

/// No components at all (tests, and pages rendered without a theme).
pub(crate) struct NoComponents;

impl ComponentHandler for NoComponents {
    fn signature(&self, _: &str) -> Option<&[Param]> {
        None
    }
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
    fn render(
        &self,
        _: &str,
        _: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<String, String> {
        Err("no components".into())
    }
}

/// One declared parameter of a component.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Param {
    pub name: String,
    pub kind: ParamKind,
    pub required: bool,
}

/// What a component's argument must be, and what its template then gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamKind {
    /// Text, escaped by the template.
    String,
    /// One line of Markdown, as HTML (raw HTML shown as text).
    Markdown,
    Number,
    Bool,
    /// A link, resolved and checked like one written in Markdown.
    Url,
    /// An image, resolved and checked: `{url, width, height, …}`.
    Image,
    /// A page's `.md` file: its card (`title`, `url`, `description`, `worksheet`).
    Page,
    /// A worksheet's `.md` file: a page card whose `worksheet` has `questions` and
    /// `results` (`key`, `title`, `description`, `url`).
    Worksheet,
}

/// Something of the site a local link resolved to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SiteLink {
    /// The URL to write: base path included, percent-encoded.
    pub url: String,
    /// The Markdown file (`essays/foo.md`) of the page or section it is, so a `#fragment`
    /// can be checked against that page's ids.
    pub document: Option<String>,
    /// Its size and resized copies, when it is an image.
    pub image: Option<ImageRef>,
}

/// What a page needs to show an image well: its size as displayed (so the page does not
/// shift while it loads) and the URLs of its resized WebP copies by width.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImageRef {
    pub width: u32,
    pub height: u32,
    /// `(width, url)` of each WebP copy, narrowest first.
    pub webp: Vec<(u32, String)>,
}

/// The answer to [`LinkResolver::site_path`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SitePath {
    Found(SiteLink),
    /// Nothing there, but there is once the site's base path is taken off the front
    /// (`/guide/essays/x/` on a site under `/guide/`): the site path without it.
    WithBasePath(String),
    /// Nothing there; the closest site path, if one is close.
    Nothing {
        did_you_mean: Option<String>,
    },
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
    pub fragment: String,
    /// Where the link's destination is in the source file.
    pub location: Location,
}

/// Everything the pipeline needs from one page body.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The body's HTML; packed (compressed) once the model stores it.
    pub html: Html,
    /// HTML of everything before `<!-- more -->`, if present.
    pub summary_html: Option<String>,
    /// Plain text of the first top-level paragraph (summary fallback).
    pub first_paragraph: Option<String>,
    /// Headings nested by level (robust to skipped levels); footnote headings are left out.
    pub toc: Vec<TocEntry>,
    /// Every id on the page (headings, footnotes, `id="…"` in raw HTML), for anchor checks.
    pub heading_ids: Vec<String>,
    /// Every link with a `#fragment` to a page (a relative `.md` link that resolved, or a
    /// same-page `#x`), for the anchor check once every page's ids are known. Links to
    /// missing pages are reported in `diagnostics` instead.
    pub links: Vec<InternalLink>,
    /// Words of prose (code blocks, raw HTML and image alt text excluded).
    pub word_count: usize,
    /// Whether the page has at least one code block (custom fences excluded).
    pub has_code: bool,
    /// Located errors and warnings from the body.
    pub diagnostics: Vec<Diagnostic>,
}

/// The Markdown dialect: CommonMark plus the GitHub extensions the spec promises, and math.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
}

/// A local destination in already-rendered HTML that leads nowhere (see
/// [`rewrite_local_links`]).
pub(crate) struct BrokenLink {
    /// The destination's path as written.
    pub written: String,
    why: local::Broken,
    pointer: broken::Pointer,
}

impl BrokenLink {
    /// The located error for it.
    pub(crate) fn diagnostic(&self, location: Location) -> Diagnostic {
        broken::diagnostic(&self.written, &self.why, self.pointer, location)
    }
}

/// Resolves one image destination written outside Markdown (a page's `image:` key) from
/// the page at `place` (its folder and site path): `Ok(None)` for an outside URL.
pub(crate) fn resolve_image(
    dest: &str,
    place: (&str, &str),
    links: &dyn LinkResolver,
) -> Result<Option<SiteLink>, BrokenLink> {
    let links::Dest::Local {
        path, from_root, ..
    } = links::classify(dest)
    else {
        return Ok(None);
    };
    let place = local::Place {
        page_dir: place.0,
        page_path: place.1,
        links,
    };
    place
        .resolve(&path, from_root)
        .map(Some)
        .map_err(|why| BrokenLink {
            written: local::split(dest).path.to_string(),
            why,
            pointer: broken::Pointer::Image,
        })
}

/// Resolves the local `href`, `src` and `srcset` values left in already-rendered HTML
/// (`href="../essays/x.md#y"`, `src="pic.png"`) like a page body's, for Markdown rendered
/// outside [`render`] (worksheet prompts and result texts live in YAML). Resolving is
/// idempotent: a URL this already wrote is found again or is under the base path. URLs
/// starting with
/// `generated` are the caller's own (a worksheet's result links, base path included) and
/// are left alone. Returns the HTML and the destinations that lead nowhere.
pub(crate) fn rewrite_local_links(
    html: &str,
    place: (&str, &str),
    generated: &str,
    links: &dyn LinkResolver,
) -> (String, Vec<BrokenLink>) {
    let (page_dir, page_path) = place;
    // The HTML has the URLs escaped for an attribute value.
    let mut own = String::new();
    escape_html(&mut own, generated);
    let place = local::Place {
        page_dir,
        page_path,
        links,
    };
    let mut out = String::with_capacity(html.len());
    let mut broken = Vec::new();
    let mut copied = 0;
    for attr in links::raw_html_attrs(html) {
        let pointer = match attr.name {
            "href" => broken::Pointer::Link,
            "src" | "srcset" => broken::Pointer::Image,
            _ => continue,
        };
        for (at, url) in attr.urls() {
            if url.starts_with(&own) {
                continue;
            }
            let links::Dest::Local {
                path, from_root, ..
            } = links::classify(url)
            else {
                continue;
            };
            let parts = local::split(url);
            match place.resolve(&path, from_root) {
                Ok(link) => {
                    let start = attr.at + at;
                    out.push_str(&html[copied..start]);
                    out.push_str(&link.url);
                    out.push_str(parts.suffix);
                    copied = start + url.len();
                }
                // The form holds the page body too, whose links [`render`] already resolved:
                // a URL under the base path is one of those, left as it is.
                Err(local::Broken::WithBasePath { .. }) => {}
                Err(why) => broken.push(BrokenLink {
                    written: parts.path.to_string(),
                    why,
                    pointer,
                }),
            }
        }
    }
    out.push_str(&html[copied..]);
    (out, broken)
}

/// Renders one page body. Never panics; problems end up in [`Rendered::diagnostics`].
pub(crate) fn render(input: &MarkdownInput) -> Rendered {
    let body_offset = clamp_to_boundary(input.source, input.body_offset);
    let written = input.source;
    let prepared = calls::prepare(&input.source[body_offset..]);
    // With component calls, the page is parsed from a copy with each call line blanked (same
    // length, so every offset still points into the author's file).
    let blanked;
    let owned;
    let input = match prepared.body {
        Some(body) => {
            blanked = format!("{}{body}", &input.source[..body_offset]);
            owned = MarkdownInput {
                source: &blanked,
                ..*input
            };
            &owned
        }
        None => input,
    };
    let body = &input.source[body_offset..];
    // One parse. The events are kept so explicit `{#id}`s can be reserved before any id is
    // derived: an explicit id must win even over an earlier heading with the same text.
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();
    // Roughly one event per 8 bytes of typical prose; avoids most regrowth of the buffer.
    let mut events = Vec::with_capacity(body.len() / 8 + 16);
    events.extend(parser.by_ref());
    let out = transform::run(
        input,
        body_offset,
        parser.reference_definitions(),
        events,
        prepared.calls,
        written,
    );

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
        html: Html::new(html),
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
