//! Smart punctuation for the plain-text fields authors write outside Markdown: titles and
//! descriptions of pages, sections, the site and worksheet results. The body is parsed with
//! pulldown-cmark's smart punctuation, so a title above `Don’t “chase” reach…` must not read
//! `Don't "chase" reach...`. The same parser does the work here, so both follow one set of
//! rules (apostrophes, nested quotes, `--` and `---` dashes, `...`).

use std::borrow::Cow;

use pulldown_cmark::{Event, Options, Parser};

/// `"Don't" -- wait...` → `“Don’t” – wait…`. Whitespace runs become one space (these fields
/// are one line on the page). Everything else is kept literally: the text is escaped so
/// that nothing in it is Markdown, and if the parser still changed anything but punctuation
/// the input comes back unchanged.
pub(crate) fn smarten(text: &str) -> Cow<'_, str> {
    if !text
        .bytes()
        .any(|b| matches!(b, b'\'' | b'"' | b'-' | b'.'))
    {
        return Cow::Borrowed(text);
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let escaped = escape(&collapsed);
    let mut out = String::with_capacity(collapsed.len() + 8);
    for event in Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    if straighten(&out) == collapsed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// Backslash-escapes every ASCII punctuation character that smart punctuation does not
/// read, and a `-` or `.` that is not part of a run (`--`, `...`), so the text cannot start
/// a list, a heading, emphasis, a link, code or HTML.
fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let run = |c: char| i > 0 && chars[i - 1] == c || chars.get(i + 1) == Some(&c);
        let keep = match c {
            '\'' | '"' => true,
            '-' | '.' => run(c),
            _ => !c.is_ascii_punctuation(),
        };
        if !keep {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The inverse of the smart rules, to check that nothing else changed.
fn straighten(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '‘' | '’' => out.push('\''),
            '“' | '”' => out.push('"'),
            '–' => out.push_str("--"),
            '—' => out.push_str("---"),
            '…' => out.push_str("..."),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::smarten;

    #[test]
    fn quotes_dashes_and_ellipses_as_in_the_body() {
        assert_eq!(
            smarten("What's my priority today?"),
            "What’s my priority today?"
        );
        assert_eq!(smarten(r#"The "reach" trap"#), "The “reach” trap");
        assert_eq!(smarten("Wait -- really..."), "Wait – really…");
        assert_eq!(smarten("Yes---no"), "Yes—no");
        assert_eq!(smarten("'Tis the season"), "’Tis the season");
    }

    #[test]
    fn nothing_else_is_markdown() {
        for text in [
            "*not emphasis* and _this_",
            "# Not a heading",
            "- not a list",
            "1. Not a list either",
            "<b>tags</b> & &amp; entities",
            "[a](link) `code` \\ back\\slash",
            "---",
            "    indented",
            "2.5 and 3.14",
            "a - b . c",
        ] {
            let smart = smarten(text);
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                smart == expected || smart == text,
                "{text:?} became {smart:?}"
            );
        }
        assert_eq!(smarten("1. Don't panic"), "1. Don’t panic");
        assert_eq!(smarten("<em>\"hi\"</em>"), "<em>“hi”</em>");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            smarten("Plain title"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
