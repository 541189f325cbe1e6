//! Template tags in bodies (Hugo shortcodes, Zola shortcodes, Liquid): finding them outside
//! code, and making the ones with no sheaf equivalent inert and visible. An inert tag is
//! put in a code span (or a fenced `text` block when it stands on lines of its own), so
//! sheaf never reads it as a component call and the reader sees that something is missing.

use std::ops::Range;

use super::links::{code_ranges, in_code};
use super::model::{Doc, Site};

/// One tag found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// The whole tag, delimiters included.
    pub range: Range<usize>,
    /// What is between the delimiters, trimmed (and without Hugo's `-` trim markers).
    pub inner: String,
}

/// Every `open … close` tag of `body` outside code. A tag may span lines; an unclosed one
/// ends the search (the rest is text).
pub(crate) fn find(body: &str, open: &str, close: &str) -> Vec<Found> {
    let code = code_ranges(body);
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(at) = body[pos..].find(open) {
        let start = pos + at;
        let Some(len) = body[start + open.len()..].find(close) else {
            break;
        };
        let end = start + open.len() + len + close.len();
        pos = end;
        if in_code(&code, start) {
            continue;
        }
        let inner = body[start + open.len()..end - close.len()]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim()
            .to_string();
        out.push(Found {
            range: start..end,
            inner,
        });
    }
    out
}

/// The tag's name: the first word (`figure` of `figure src="x"`, `youtube` of
/// `youtube(id="x")`).
pub(crate) fn name(inner: &str) -> &str {
    let inner = inner.trim_start_matches('/').trim();
    let end = inner
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(inner.len());
    &inner[..end]
}

/// Whether `range` of `body` is alone on its lines, so a fence may open where it starts:
/// at most three spaces before it (what CommonMark allows a fence; a no-break space or a
/// tab is text there), only blanks after it.
pub(crate) fn stands_alone(body: &str, range: &Range<usize>) -> bool {
    let line_start = body[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = body[range.end..]
        .find('\n')
        .map_or(body.len(), |i| range.end + i);
    let before = &body[line_start..range.start];
    before.len() <= 3
        && before.bytes().all(|b| b == b' ')
        && body[range.end..line_end].trim().is_empty()
}

/// `text` made inert: a fenced `text` block when it stands alone on its lines, else a
/// code span.
pub(crate) fn inert(body: &str, range: &Range<usize>) -> String {
    let text = &body[range.clone()];
    if stands_alone(body, range) {
        inert_block(text)
    } else {
        inert_inline(text)
    }
}

/// A code span holding `text` (its line breaks made spaces), with more backticks than any
/// run inside it.
pub(crate) fn inert_inline(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let ticks = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A fenced `text` block holding `text`, its fence longer than any backtick run inside.
pub(crate) fn inert_block(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

fn longest_run(text: &str, c: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// `file:line:col` of byte `offset` of `doc`'s body, in the source file.
pub(crate) fn at(doc: &Doc, offset: usize) -> String {
    let offset = offset.min(doc.body.len());
    let before = &doc.body[..offset];
    let line = before.matches('\n').count() + doc.body_line;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("{}:{line}:{col}", doc.source.display())
}

/// Records an inert tag for a person, with a hint.
pub(crate) fn report(site: &mut Site, doc: &Doc, offset: usize, what: &str, hint: &str) {
    let offset = offset.min(doc.body.len());
    let mut end = (offset + 60).min(doc.body.len());
    while !doc.body.is_char_boundary(end) {
        end -= 1;
    }
    let needle = doc.body[offset..end]
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    if !needle.trim().is_empty() {
        site.inert
            .push((site.notes.len(), doc.dest.clone(), needle));
    }
    site.note(
        at(doc, offset),
        format!("{what} kept as text; hint: {hint}"),
    );
}

/// Points each inert-tag note at the line of the written `content/<dest>` that holds it
/// (earlier conversions may have moved it), when it can be found there.
pub(crate) fn relocate(site: &mut Site) {
    for (note, dest, needle) in std::mem::take(&mut site.inert) {
        let Some(doc) = site.docs.iter().find(|d| d.dest == dest) else {
            continue;
        };
        let text = super::write::document(&doc.front, &doc.body);
        let Some(offset) = text.find(&needle) else {
            continue;
        };
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        if let Some(n) = site.notes.get_mut(note) {
            n.at = format!("content/{dest}:{line}:{col}");
        }
    }
}

/// The hint for a tag sheaf has nothing for, by its usual name.
pub(crate) fn hint(name: &str) -> &'static str {
    match name {
        "youtube" | "vimeo" | "video" | "youtube.html" => {
            "embed the player with an <iframe> in raw HTML (and allow its host in `csp:`)"
        }
        "tweet" | "twitter" | "instagram" | "gist" => {
            "link to the post, or paste its text as a quote"
        }
        "figure" | "image" | "img" | "resize_image" => {
            "use sheaf's `{{ figure(src=\"…\", alt=\"…\") }}` component or a Markdown picture"
        }
        "note" | "warning" | "tip" | "admonition" | "callout" | "alert" | "hint" => {
            "use a GitHub alert (`> [!NOTE]`) or the `aside` component"
        }
        "include" | "readfile" | "include_relative" => {
            "paste the included text here, or make it a sheaf component"
        }
        _ => "rewrite it as Markdown, raw HTML or a sheaf component (templates/components/)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_outside_code_only() {
        let body = "a {{< youtube x >}} b `{{< no >}}`\n\n```\n{{< no >}}\n```\n{{< unclosed";
        let found = find(body, "{{<", ">}}");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].inner, "youtube x");
        assert_eq!(name(&found[0].inner), "youtube");
        assert_eq!(name("youtube(id=\"x\")"), "youtube");
    }

    #[test]
    /// Regression (a real Hugo blog): a shortcode after a no-break space was fenced where
    /// it stood, so the fence was text and the shortcode was read as a component call.
    fn a_shortcode_after_text_or_a_no_break_space_becomes_a_code_span() {
        for body in [
            "\u{a0}{{< img >}}\n",
            "    {{< img >}}\n",
            "\t{{< img >}}\n",
        ] {
            let at = body.find('{').unwrap();
            let range = at..at + "{{< img >}}".len();
            assert!(!stands_alone(body, &range), "{body:?}");
            assert_eq!(inert(body, &range), "`{{< img >}}`");
        }
        let body = "   {{< img >}}  \n";
        assert!(stands_alone(body, &(3..14)));
    }

    #[test]
    fn inert_forms() {
        let body = "x {{ a() }} y\n{{ b() }}\n";
        let a = body.find("{{ a").unwrap();
        assert_eq!(inert(body, &(a..a + 9)), "`{{ a() }}`");
        let b = body.find("{{ b").unwrap();
        assert_eq!(inert(body, &(b..b + 9)), "```text\n{{ b() }}\n```");
        assert_eq!(inert_inline("a`b"), "``a`b``");
        assert_eq!(inert_inline("`x"), "`` `x ``");
        assert_eq!(inert_block("```\nq\n```"), "````text\n```\nq\n```\n````");
    }
}
