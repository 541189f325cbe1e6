//! Text into HTML for worksheets: escaping, and the small Markdown fragments (prompts,
//! explanations, result bodies) written inside YAML.
//!
//! Worksheet Markdown is rendered with pulldown-cmark directly (not the page pipeline), so
//! `.md` link rewriting and highlighting do not apply inside it. Raw HTML in these fragments
//! is shown as text: a prompt lives in a `<legend>` (phrasing content only) and the
//! fragments are copied into the form, result pages and the definition, where a stray
//! `<div>` would break the page.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Escapes text for HTML content and double- or single-quoted attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn inline_options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

fn block_options() -> Options {
    inline_options() | Options::ENABLE_TABLES
}

/// Raw HTML becomes text, so it is escaped on output.
fn defuse(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    }
}

/// Renders a prompt to phrasing content (no outer `<p>`). A prompt must be one paragraph:
/// anything else (a heading, a list, two paragraphs) cannot go into a `<legend>`, and is
/// returned as `Err(what was found)`.
pub(super) fn inline(markdown: &str) -> Result<String, &'static str> {
    let mut events = Vec::new();
    let mut depth = 0usize;
    let mut blocks = 0usize;
    for event in Parser::new_ext(markdown, inline_options()) {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    blocks += 1;
                    if blocks > 1 {
                        return Err("more than one paragraph");
                    }
                    match tag {
                        Tag::Paragraph | Tag::HtmlBlock => {}
                        other => return Err(block_name(other)),
                    }
                    depth += 1;
                    continue;
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    continue;
                }
            }
            Event::Rule if depth == 0 => return Err("a horizontal rule"),
            _ => {}
        }
        events.push(defuse(event));
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html.trim().to_string())
}

fn block_name(tag: &Tag) -> &'static str {
    match tag {
        Tag::Heading { .. } => "a heading",
        Tag::List(_) | Tag::Item => "a list",
        Tag::CodeBlock(_) => "a code block",
        Tag::BlockQuote(_) => "a block quote",
        Tag::Table(_) => "a table",
        _ => "a block",
    }
}

/// What headings in a Markdown fragment become, so the page's outline stays valid
/// (a heading may not skip levels below the one it sits under).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Headings {
    /// The fragment's highest heading becomes this level (2..=6), the others follow it.
    From(u8),
    /// Bold paragraphs, for places with no heading level of their own (an explanation).
    Bold,
}

/// Renders block Markdown (explanations, result bodies).
pub(super) fn block(markdown: &str, headings: Headings) -> String {
    let top = Parser::new_ext(markdown, block_options())
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let shift = |level: HeadingLevel| -> HeadingLevel {
        let base = match headings {
            Headings::From(base) => usize::from(base),
            Headings::Bold => 1,
        };
        HeadingLevel::try_from((level as usize + base).saturating_sub(top).clamp(1, 6))
            .unwrap_or(HeadingLevel::H6)
    };
    let events = Parser::new_ext(markdown, block_options())
        .map(defuse)
        .flat_map(|event| match (headings, event) {
            (Headings::Bold, Event::Start(Tag::Heading { .. })) => {
                vec![Event::Start(Tag::Paragraph), Event::Start(Tag::Strong)]
            }
            (Headings::Bold, Event::End(TagEnd::Heading(_))) => {
                vec![Event::End(TagEnd::Strong), Event::End(TagEnd::Paragraph)]
            }
            (
                Headings::From(_),
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }),
            ) => vec![Event::Start(Tag::Heading {
                level: shift(level),
                id,
                classes,
                attrs,
            })],
            (Headings::From(_), Event::End(TagEnd::Heading(level))) => {
                vec![Event::End(TagEnd::Heading(shift(level)))]
            }
            (_, other) => vec![other],
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The text of some Markdown without any markup, whitespace collapsed. Raw HTML is kept as
/// text, as [`block`] shows it.
pub(super) fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, block_options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            Event::End(tag) if !is_inline(tag) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_inline(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// The first sentence(s) of `text`, at most `limit` characters; a first sentence that is
/// longer is cut at a word boundary and ends with `…`.
pub(super) fn first_sentences(text: &str, limit: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    let mut count = 0;
    while let Some((i, c)) = chars.next() {
        count += 1;
        if count > limit {
            break;
        }
        let at_break = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
        if matches!(c, '.' | '!' | '?' | '…') && at_break {
            end = i + c.len_utf8();
        }
    }
    if end > 0 {
        return text[..end].to_string();
    }
    // One long sentence: cut at the last space that leaves room for the ellipsis.
    let budget: String = text.chars().take(limit - 1).collect();
    let cut = budget.rfind(char::is_whitespace).unwrap_or(budget.len());
    format!("{}…", budget[..cut].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(
            escape(r#"<script>"x"&'y'"#),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;"
        );
    }

    #[test]
    fn prompts_are_one_paragraph_of_phrasing_content() {
        assert_eq!(
            inline("When did you last send a **personal** message?").unwrap(),
            "When did you last send a <strong>personal</strong> message?"
        );
        assert_eq!(
            inline("a <b onclick=x>b</b>").unwrap(),
            "a &lt;b onclick=x&gt;b&lt;/b&gt;"
        );
        assert_eq!(inline("<div>x</div>").unwrap(), "&lt;div&gt;x&lt;/div&gt;");
        assert_eq!(inline("\\# one").unwrap(), "# one");
        assert_eq!(inline("# one"), Err("a heading"));
        assert_eq!(inline("- one"), Err("a list"));
        assert_eq!(inline("one\n\ntwo"), Err("more than one paragraph"));
        assert_eq!(inline("***"), Err("a horizontal rule"));
        assert_eq!(inline("").unwrap(), "");
    }

    #[test]
    fn blocks_keep_structure_but_not_raw_html() {
        let h = Headings::From(2);
        assert_eq!(
            block("*a*\n\n- b", h),
            "<p><em>a</em></p>\n<ul>\n<li>b</li>\n</ul>\n"
        );
        assert!(!block("<script>alert(1)</script>", h).contains("<script"));
    }

    #[test]
    fn headings_fit_where_the_fragment_goes() {
        let md = "## A\n\n### B\n\n#### C\n";
        assert_eq!(
            block(md, Headings::From(4)),
            "<h4>A</h4>\n<h5>B</h5>\n<h6>C</h6>\n"
        );
        assert_eq!(
            block("# A\n\n###### B\n", Headings::From(4)),
            "<h4>A</h4>\n<h6>B</h6>\n"
        );
        assert_eq!(
            block(md, Headings::From(2)),
            "<h2>A</h2>\n<h3>B</h3>\n<h4>C</h4>\n"
        );
        assert_eq!(
            block("# A\n", Headings::Bold),
            "<p><strong>A</strong></p>\n"
        );
    }

    #[test]
    fn descriptions_are_plain_and_short() {
        assert_eq!(
            plain_text("Send **three** messages.\n\n- today"),
            "Send three messages. today"
        );
        assert_eq!(first_sentences("Short. Two.", 200), "Short. Two.");
        let long = format!("First one. {}", "word ".repeat(60));
        assert_eq!(first_sentences(&long, 200), "First one.");
        let run_on = "word ".repeat(60);
        let cut = first_sentences(&run_on, 200);
        assert!(
            cut.ends_with("word…") && cut.chars().count() <= 200,
            "{cut}"
        );
        assert_eq!(first_sentences("e.g. this", 5), "e.g.");
    }
}
