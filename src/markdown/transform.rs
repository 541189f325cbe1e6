//! The single pass over a page's events: rewrites what the site renders differently from
//! plain CommonMark and gathers everything else the pipeline needs on the way.
//!
//! Output events go to `out`; while inside a footnote definition they go to a side buffer so
//! the footnote can be placed at the end. Headings are patched in place once their text (and
//! so their id) is known, which keeps the pass single and streaming-friendly.

use std::ops::Range;

use pulldown_cmark::{Alignment, CowStr, Event, RefDefs, Tag, TagEnd};

use crate::diagnostic::Diagnostic;

use super::calls::{BadCall, Call};
use super::code::CodeBlock;
use super::components::OpenCall;
use super::footnotes::Footnotes;
use super::headings::{Ids, OpenHeading};
use super::links::raw_html_ids;
use super::locate::Locator;
use super::pictures::OpenImage;
use super::summary::MoreMarker;
use super::text::{Prose, is_inline, is_inline_end};
use super::toc::build_toc;
use super::{InternalLink, MarkdownInput, TocEntry, alerts};

/// What the pass produces; `render` turns `events` into HTML.
pub(super) struct Output<'a> {
    pub(super) events: Vec<Event<'a>>,
    /// Index in `events` where the summary ends.
    pub(super) more_at: Option<usize>,
    pub(super) first_paragraph: Option<String>,
    pub(super) toc: Vec<TocEntry>,
    pub(super) ids: Vec<String>,
    pub(super) links: Vec<InternalLink>,
    pub(super) word_count: usize,
    pub(super) has_code: bool,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// A footnote definition being read: its label and the buffer it interrupted.
struct OpenFootnote<'a> {
    label: String,
    range: Range<usize>,
    outer: Vec<Event<'a>>,
}

pub(super) struct Pass<'i, 'a> {
    pub(super) input: &'i MarkdownInput<'a>,
    pub(super) body: &'a str,
    pub(super) body_offset: usize,
    pub(super) refdefs: &'i RefDefs<'a>,
    pub(super) locator: Locator<'a>,
    pub(super) out: Vec<Event<'a>>,
    /// Nesting depth of tags; 0 between top-level blocks.
    pub(super) depth: usize,
    /// Footnote definitions being read (innermost last).
    footnote: Vec<OpenFootnote<'a>>,
    pub(super) heading: Option<OpenHeading>,
    code: Option<CodeBlock>,
    pub(super) prose: Prose,
    more: MoreMarker,
    pub(super) ids: Ids,
    /// Level, id and plain title of every main-flow heading, in order.
    pub(super) toc: Vec<(u8, String, String)>,
    footnotes: Footnotes<'a>,
    pub(super) links: Vec<InternalLink>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Component call lines not met yet, by the body offset of their `{`.
    pub(super) calls: Vec<(usize, Result<Call, BadCall>)>,
    /// Components with a body whose `{% end %}` has not come yet.
    pub(super) open_calls: Vec<OpenCall>,
    /// Images whose alt text is being read (an image may hold another).
    pub(super) pictures: Vec<OpenImage<'a>>,
    /// How many pictures the page shows so far: the first is not lazy.
    pub(super) pictures_written: usize,
    /// The size and copies of the image a destination just resolved to, if any.
    pub(super) resolved_image: Option<super::ImageRef>,
    /// The content file of the page a destination just resolved to, if any (a component's
    /// `page` or `worksheet` argument).
    pub(super) resolved_document: Option<String>,
    has_code: bool,
    table: TableState,
    /// The text of the HTML block being read: pulldown-cmark hands it over a line at a time,
    /// and a tag may span lines (`<div class="box"\n     id="x">`), so its ids are read at
    /// the block's end.
    html_block: Option<String>,
}

/// Tables are written here rather than by pulldown-cmark, whose alignment comes out as
/// `style="text-align: …"` attributes that a strict Content-Security-Policy blocks.
#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    body_open: bool,
    cell: usize,
}

impl TableState {
    fn cell_tag(&self) -> &'static str {
        if self.in_head { "th" } else { "td" }
    }

    fn cell_class(&self) -> &'static str {
        match self.alignments.get(self.cell) {
            Some(Alignment::Left) => r#" class="align-left""#,
            Some(Alignment::Center) => r#" class="align-center""#,
            Some(Alignment::Right) => r#" class="align-right""#,
            _ => "",
        }
    }
}

/// Runs the pass over a page's parsed events.
pub(super) fn run<'a>(
    input: &MarkdownInput<'a>,
    body_offset: usize,
    refdefs: &RefDefs<'a>,
    events: Vec<(Event<'a>, Range<usize>)>,
    calls: Vec<(usize, Result<Call, BadCall>)>,
    written: &'a str,
) -> Output<'a> {
    let source: &'a str = input.source;
    let mut pass = Pass {
        input,
        body: &source[body_offset..],
        body_offset,
        refdefs,
        // The file as written: with component calls, `source` has their lines blanked.
        locator: Locator::new(input.file, written, body_offset),
        out: Vec::with_capacity(events.len() + 16),
        depth: 0,
        footnote: Vec::new(),
        heading: None,
        code: None,
        prose: Prose::default(),
        more: MoreMarker::default(),
        ids: Ids::default(),
        toc: Vec::new(),
        footnotes: Footnotes::default(),
        links: Vec::new(),
        diagnostics: Vec::new(),
        calls,
        open_calls: Vec::new(),
        pictures: Vec::new(),
        pictures_written: 0,
        resolved_image: None,
        resolved_document: None,
        has_code: false,
        table: TableState::default(),
        html_block: None,
    };
    // The theme's skip link targets `<main id="main">`; no heading may take that id.
    pass.ids.taken_by_theme("main");
    pass.ids.taken_by_theme("footnotes-heading");
    // Explicit ids are claimed up front so a derived id can never take one.
    for (event, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            pass.ids.reserve(id);
        }
    }
    for (event, range) in events {
        pass.event(event, range);
    }
    pass.finish()
}

impl<'a> Pass<'_, 'a> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => {
                self.start(tag, range);
                self.depth += 1;
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                self.end(tag);
            }
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.push(&text, range);
                } else {
                    self.prose(&text);
                    self.out.push(Event::Text(text));
                }
            }
            Event::InlineMath(tex) => self.math(tex, false, range),
            Event::DisplayMath(tex) => self.math(tex, true, range),
            Event::Code(text) => {
                self.prose(&text);
                self.out.push(Event::Code(text));
            }
            Event::Html(_) if !self.calls.is_empty() && self.component_line(&range) => {}
            Event::Html(html) => {
                self.raw_html(&html);
                let rewritten = self.raw_html_dests(&html, range);
                self.out
                    .push(Event::Html(rewritten.map_or(html, CowStr::from)));
            }
            Event::InlineHtml(html) => {
                self.raw_html(&html);
                let rewritten = self.raw_html_dests(&html, range);
                self.out
                    .push(Event::InlineHtml(rewritten.map_or(html, CowStr::from)));
            }
            Event::FootnoteReference(label) => {
                let html = self.footnotes.reference(&label, &mut self.ids);
                self.out.push(Event::InlineHtml(html.into()));
            }
            Event::TaskListMarker(checked) => {
                let (state, attr) = if checked {
                    ("done", " checked")
                } else {
                    ("not done", "")
                };
                self.out.push(Event::InlineHtml(
                    format!(r#"<input type="checkbox" disabled aria-label="{state}"{attr}> "#)
                        .into(),
                ));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.prose(" ");
                self.out.push(event);
            }
            other => self.out.push(other),
        }
        let top_level = self.depth == 0 && self.footnote.is_empty();
        self.more.after_event(top_level, self.out.len());
    }

    /// Text that readers see: counted, and collected for headings and the first paragraph.
    fn prose(&mut self, text: &str) {
        if self.prose.text(text)
            && let Some(heading) = &mut self.heading
        {
            heading.text.push_str(text);
        }
    }

    /// Records the ids of HTML that sheaf wrote into the body (a worksheet's form, a
    /// component's output), so links to them are checked like links to headings.
    pub(super) fn generated_ids(&mut self, html: &str) {
        raw_html_ids(html, |id| self.ids.record_foreign(id));
    }

    fn raw_html(&mut self, html: &str) {
        if self.footnote.is_empty() {
            self.more.html(html);
        }
        if let Some(block) = &mut self.html_block {
            block.push_str(html);
        } else if html.contains('=') {
            raw_html_ids(html, |id| self.ids.record_foreign(id));
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        if !is_inline(&tag) {
            self.prose.boundary();
        }
        if matches!(tag, Tag::HtmlBlock) {
            self.html_block = Some(String::new());
        }
        match tag {
            Tag::Heading { .. } => self.open_heading(tag, range),
            Tag::Paragraph => {
                self.prose
                    .start_paragraph(self.depth == 0 && self.footnote.is_empty());
                self.out.push(Event::Start(Tag::Paragraph));
            }
            Tag::BlockQuote(Some(kind)) => self.out.push(html(alerts::open(kind))),
            Tag::CodeBlock(kind) => {
                let info = match &kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => Some(info.as_ref()),
                    pulldown_cmark::CodeBlockKind::Indented => None,
                };
                self.code = Some(CodeBlock::new(info, range.start));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let dest_url = self.local_dest(
                    dest_url,
                    super::broken::Pointer::Link,
                    link_type,
                    &id,
                    range,
                );
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.prose.image(true);
                self.resolved_image = None;
                let dest_url = self.local_dest(
                    dest_url,
                    super::broken::Pointer::Image,
                    link_type,
                    &id,
                    range.clone(),
                );
                let image = self.resolved_image.take();
                self.open_image(dest_url, title, image, range);
            }
            Tag::Table(alignments) => {
                self.table = TableState {
                    alignments,
                    ..TableState::default()
                };
                // The theme lets a wide table scroll sideways inside the column; a keyboard
                // user can scroll it only if it can take focus (WCAG 2.1.1).
                self.out.push(html("<table tabindex=\"0\">\n".into()));
            }
            Tag::TableHead => {
                self.table.in_head = true;
                self.table.cell = 0;
                self.out.push(html("<thead><tr>".into()));
            }
            Tag::TableRow => {
                self.table.cell = 0;
                let open = if self.table.body_open {
                    "<tr>"
                } else {
                    "<tbody>\n<tr>"
                };
                self.table.body_open = true;
                self.out.push(html(open.into()));
            }
            Tag::TableCell => {
                let open = format!("<{}{}>", self.table.cell_tag(), self.table.cell_class());
                self.out.push(Event::InlineHtml(open.into()));
            }
            Tag::FootnoteDefinition(label) => {
                let outer = std::mem::take(&mut self.out);
                self.footnote.push(OpenFootnote {
                    label: label.to_string(),
                    range,
                    outer,
                });
            }
            other => self.out.push(Event::Start(other)),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if !is_inline_end(tag) {
            self.prose.boundary();
        }
        if tag == TagEnd::HtmlBlock
            && let Some(block) = self.html_block.take()
            && block.contains('=')
        {
            raw_html_ids(&block, |id| self.ids.record_foreign(id));
        }
        match tag {
            TagEnd::Heading(_) => {
                self.close_heading(!self.footnote.is_empty());
                self.out.push(Event::End(tag));
            }
            TagEnd::Paragraph => {
                self.prose.end_paragraph();
                self.out.push(Event::End(tag));
            }
            TagEnd::BlockQuote(Some(_)) => self.out.push(html(alerts::CLOSE.to_string())),
            TagEnd::CodeBlock => self.close_code(),
            TagEnd::Image => {
                self.prose.image(false);
                self.close_image();
            }
            TagEnd::Table => {
                let close = if self.table.body_open {
                    "</tbody>\n</table>\n"
                } else {
                    "</table>\n"
                };
                self.out.push(html(close.into()));
            }
            TagEnd::TableHead => {
                self.table.in_head = false;
                self.out.push(html("</tr></thead>\n".into()));
            }
            TagEnd::TableRow => self.out.push(html("</tr>\n".into())),
            TagEnd::TableCell => {
                let close = format!("</{}>", self.table.cell_tag());
                self.table.cell += 1;
                self.out.push(Event::InlineHtml(close.into()));
            }
            TagEnd::FootnoteDefinition => {
                if let Some(open) = self.footnote.pop() {
                    let body = std::mem::replace(&mut self.out, open.outer);
                    self.footnotes.define(&open.label, body, open.range);
                }
            }
            _ => self.out.push(Event::End(tag)),
        }
    }

    fn close_code(&mut self) {
        let Some(block) = self.code.take() else {
            return;
        };
        let finished = block.finish(
            self.body,
            self.body_offset,
            self.input.fences,
            self.input.highlighting,
        );
        self.has_code |= finished.is_code;
        self.diagnostics.extend(finished.diagnostics);
        if !finished.html.is_empty() {
            if !finished.is_code {
                // A worksheet's form: its questions' ids are link targets too.
                self.generated_ids(&finished.html);
            }
            self.out.push(html(finished.html));
        }
    }

    fn finish(mut self) -> Output<'a> {
        self.unclosed_calls();
        // Unclosed containers cannot happen with pulldown-cmark, but never lose text if so.
        while let Some(open) = self.footnote.pop() {
            let body = std::mem::replace(&mut self.out, open.outer);
            self.footnotes.define(&open.label, body, open.range);
        }
        let unused = std::mem::take(&mut self.footnotes).finish(&mut self.out);
        for (label, range) in unused {
            let location = self.locator.at(range.start, range.len());
            self.diagnostics.push(
                Diagnostic::warning(format!("footnote `[^{label}]` is never referenced"))
                    .at(location)
                    .label("left out of the page")
                    .help(format!(
                        "refer to it with `[^{label}]` in the text, or remove it"
                    )),
            );
        }
        let (word_count, first_paragraph) = self.prose.finish();
        Output {
            events: self.out,
            more_at: self.more.split_at(),
            first_paragraph,
            toc: build_toc(self.toc),
            ids: self.ids.all,
            links: self.links,
            word_count,
            has_code: self.has_code,
            diagnostics: self.diagnostics,
        }
    }
}

fn html<'a>(text: String) -> Event<'a> {
    Event::Html(CowStr::from(text))
}
