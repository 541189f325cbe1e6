//! The floor: the least work any generator must do for a corpus, as a yardstick for
//! `sheaf build` (issue: within 1.3x of it). Reads every Markdown file under
//! `<site>/content`, drops the front matter, renders the body with pulldown-cmark,
//! highlights fenced code with syntect to CSS classes, and writes one HTML file per page,
//! all in parallel with rayon. No templates, lists, feeds or link checks.
//!
//!     cargo bench --bench floor -- <site folder> <output folder>
//!
//! Prints the wall time and files written; `scripts/bench` runs it beside `sheaf build`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(site), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench --bench floor -- <site folder> <output folder>");
        std::process::exit(2);
    };
    let started = Instant::now();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(Path::new(site).join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let syntaxes = SyntaxSet::load_defaults_newlines();
    let out = Path::new(out);
    let written: usize = files
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let body = strip_front_matter(&text);
            let html = render(body, &syntaxes);
            let dir = out.join(format!("p{i}"));
            std::fs::create_dir_all(&dir).expect("output folder");
            std::fs::write(dir.join("index.html"), html).expect("write");
            1
        })
        .sum();
    println!(
        "floor: {written} pages in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}

fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    rest.find("\n---\n").map_or(rest, |end| &rest[end + 5..])
}

/// Markdown to HTML, with fenced code highlighted as syntect classes.
fn render(body: &str, syntaxes: &SyntaxSet) -> String {
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(body, Options::all()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) => {
                code = Some((lang.to_string(), String::new()));
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) if code.is_some() => {
                let (lang, source) = code.take().unwrap_or_default();
                events.push(Event::Html(highlight(&lang, &source, syntaxes).into()));
            }
            other => events.push(other),
        }
    }
    let mut html_out = String::with_capacity(body.len() * 2);
    html::push_html(&mut html_out, events.into_iter());
    html_out
}

fn highlight(lang: &str, code: &str, syntaxes: &SyntaxSet) -> String {
    let syntax = syntaxes
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        let _ = generator.parse_html_for_line_which_includes_newline(line);
    }
    format!("<pre><code>{}</code></pre>", generator.finalize())
}
