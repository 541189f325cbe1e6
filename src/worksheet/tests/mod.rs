//! Tests of the worksheet module, driven through its public interface the way the pipeline
//! uses it: front matter → fence handler during a Markdown render → `finish`.

mod bands;
mod errors;
mod fuzz;
mod parsing;
mod real_markdown;
mod render;
mod scale;

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::{NotAWorksheet, PageWorksheet, Worksheet, parse_header};
use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::FenceHandler;

pub(super) const FILE: &str = "content/worksheets/w.md";

/// A `by: top` header with three dimensions.
pub(super) const TOP: &str = "\
worksheet:
  id: todays-priority
  version: 1
  result:
    by: top
    dimensions:
      dm:   { title: \"Send three real messages\", body: \"Write to *three* people. Today.\" }
      net:  { title: \"Make one introduction\", body: \"Introduce two people.\" }
      algo: { title: \"Post once, then go talk to people\", body: \"\" }
";

/// A `by: bands` header; `BANDS` is spliced in.
pub(super) fn bands_header(bands: &str) -> String {
    format!("worksheet:\n  id: quiz\n  version: 2\n  result:\n    by: bands\n    bands:\n{bands}")
}

/// A page: `title`, the given front-matter lines, then `body`.
pub(super) fn page(front: &str, body: &str) -> String {
    format!("---\ntitle: A worksheet\n{front}---\n{body}")
}

/// A page whose body is one worksheet block with `yaml`.
pub(super) fn block_page(front: &str, yaml: &str) -> String {
    page(
        front,
        &format!("Intro.\n\n```worksheet\n{yaml}```\n\nOutro.\n"),
    )
}

pub(super) fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// Front matter range and body offset (LF or CRLF).
fn split(source: &str) -> (std::ops::Range<usize>, usize) {
    let start = source.find('\n').unwrap() + 1;
    let mut at = start;
    loop {
        let end = source[at..].find('\n').map_or(source.len(), |i| at + i + 1);
        if source[at..end].trim_end() == "---" {
            return (start..at, end);
        }
        assert!(end < source.len(), "unclosed front matter");
        at = end;
    }
}

/// Renders `body` like the markdown module does for top-level fences: the handler gets
/// the block text exactly as in the file, and the file offset of its first line.
pub(super) fn render_markdown(
    source: &str,
    body_offset: usize,
    fences: &dyn FenceHandler,
) -> (String, Vec<Diagnostic>) {
    let body = &source[body_offset..];
    let mut events = Vec::new();
    let mut diagnostics = Vec::new();
    let mut in_block: Option<Option<String>> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let text = &body[range.clone()];
                let first = text.find('\n').map_or(text.len(), |i| i + 1);
                let last = text[..text.len().saturating_sub(1)]
                    .rfind('\n')
                    .map_or(first, |i| i + 1)
                    .max(first);
                let closed = text[last..].trim_start().starts_with("```");
                let end = if closed { last } else { text.len() };
                let code = &text[first..end];
                let offset = body_offset + range.start + first;
                match fences.render(&info, code, offset) {
                    Some(Ok(html)) => {
                        events.push(Event::Html(html.into()));
                        in_block = Some(None);
                    }
                    Some(Err(d)) => {
                        diagnostics.extend(d);
                        in_block = Some(None);
                    }
                    None => {
                        in_block = None;
                        events.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))));
                    }
                }
            }
            Event::End(TagEnd::CodeBlock) if in_block.is_some() => in_block = None,
            _ if in_block.is_some() => {}
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (html, diagnostics)
}

pub(super) fn result_url(key: &str) -> String {
    format!("/base/worksheets/quiz/result/{key}/")
}

/// The whole pipeline for one page.
pub(super) fn build(source: &str) -> Result<(String, Worksheet), Vec<Diagnostic>> {
    let (yaml, body_offset) = split(source);
    let header = parse_header(Path::new(FILE), source, yaml)?;
    let page = PageWorksheet::new(header, Path::new(FILE), source);
    let (html, diagnostics) = render_markdown(source, body_offset, &page);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    page.finish(&html, "A worksheet", &result_url)
}

/// A page without `worksheet:`.
pub(super) fn build_plain(source: &str) -> (String, Vec<Diagnostic>) {
    let (_, body_offset) = split(source);
    render_markdown(
        source,
        body_offset,
        &NotAWorksheet::new(Path::new(FILE), source),
    )
}

/// `(line, column, message)` of every error.
pub(super) fn errors(source: &str) -> Vec<(usize, usize, String)> {
    match build(source) {
        Ok((_, w)) => {
            assert!(w.warnings.iter().all(|d| d.severity == Severity::Warning));
            Vec::new()
        }
        Err(ds) => ds
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                let l = d.location.as_ref().expect("errors are located");
                assert_eq!(l.file, Path::new(FILE));
                (l.line, l.column, d.message.clone())
            })
            .collect(),
    }
}

/// The one error of `source`, checked at `line:column` with LF and CRLF line endings;
/// returns the diagnostic (LF) for further checks.
#[track_caller]
pub(super) fn one_error(source: &str, line: usize, column: usize, message: &str) -> Diagnostic {
    for text in [source.to_string(), crlf(source)] {
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}\n{text}");
        let (l, c, m) = &errs[0];
        assert!(m.contains(message), "message {m:?} lacks {message:?}");
        assert_eq!((*l, *c), (line, column), "{m}");
    }
    let ds = build(source).err().unwrap();
    ds.into_iter().find(Diagnostic::is_error).unwrap()
}

/// A worksheet that builds, with its HTML.
#[track_caller]
pub(super) fn ok(source: &str) -> (String, Worksheet) {
    match build(source) {
        Ok(result) => result,
        Err(ds) => panic!(
            "{}",
            ds.iter()
                .map(|d| d.render(false))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[test]
fn smoke() {
    let source = block_page(
        TOP,
        "- id: last-message\n  type: single\n  prompt: When did you last send a **personal** message?\n  options:\n    - { id: today, label: Today, score: { dm: 0 } }\n    - { id: week, label: This week, score: { dm: 1 } }\n",
    );
    let (html, w) = ok(&source);
    assert!(html.contains("data-q=\"last-message\""), "{html}");
    assert_eq!(w.questions, 1);
}
