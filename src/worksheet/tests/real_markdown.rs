//! The worksheet module driven by the real markdown module (compiles only in the main crate):
//! top-level blocks, and blocks inside a list item and a block quote, LF and CRLF.
use super::TOP;
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, LinkResolver, MarkdownInput};
use crate::worksheet::{PageWorksheet, Worksheet, parse_header};
use std::path::Path;

struct NoLinks;
impl LinkResolver for NoLinks {
    fn page_url(&self, _: &str) -> Option<String> {
        None
    }
}

/// The finished page, and the diagnostics of the Markdown render.
type Run = (
    Result<(String, Worksheet), Vec<Diagnostic>>,
    Vec<Diagnostic>,
);

fn run(body: &str, newline: &str) -> Run {
    let source = format!("---\ntitle: T\n{TOP}---\n{body}").replace('\n', newline);
    let start = source.find(newline).unwrap() + newline.len();
    let end = source.find(&format!("{newline}---{newline}")).unwrap() + newline.len();
    let body_offset = end + 3 + newline.len();
    let header = parse_header(Path::new("w.md"), &source, start..end).unwrap();
    let page = PageWorksheet::new(header, Path::new("w.md"), &source);
    let r = markdown::render(&MarkdownInput {
        file: Path::new("w.md"),
        source: &source,
        body_offset,
        page_dir: "worksheets",
        page_path: "/worksheets/w/",
        links: &NoLinks,
        fences: &page,
        components: &crate::markdown::NoComponents,
        highlighting: crate::markdown::Highlighting {
            theme: &crate::markdown::CodeTheme::named("InspiredGitHub", "base16-ocean.dark")
                .unwrap(),
            cache: &crate::markdown::HighlightCache::in_memory(),
        },
    });
    let d = r.diagnostics.clone();
    (
        page.finish(&r.html.as_str(), "T", &|k| format!("/r/{k}/")),
        d,
    )
}

#[test]
fn real_markdown_top_level_and_in_containers() {
    for nl in ["\n", "\r\n"] {
        let (ok, d) = run(
            "## Worksheet part\n\nIntro.\n\n```worksheet\n- id: a\n  type: text\n  prompt: P\n```\n\n- item\n\n  ```worksheet\n  - id: b\n    type: single\n    prompt: Q\n    options: [{ id: x, label: X }]\n  ```\n",
            nl,
        );
        assert!(d.is_empty(), "{d:?}");
        let (html, w) = ok.unwrap();
        assert_eq!(w.questions, 2);
        assert!(html.contains("id=\"q-b\""));
        let (_, d) = run(
            "Intro.\n\n> quote\n>\n> ```worksheet\n> - id: a\n>   type: txt\n>   prompt: P\n> ```\n",
            nl,
        );
        let l = d[0].location.as_ref().unwrap();
        assert_eq!((l.line, l.column), (19, 11), "{}", d[0]);
        let (_, d) = run(
            "- item\n\n  ```worksheet\n  - id: a\n    type: text\n    prompt: P\n    max_length: x\n  ```\n",
            nl,
        );
        let l = d[0].location.as_ref().unwrap();
        assert_eq!((l.line, l.column), (19, 17), "{}", d[0]);
    }
}
