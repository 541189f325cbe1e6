//! Component calls written in Markdown, found before the page is parsed.
//!
//! A call stands on a line of its own, outside code:
//! - `{{ figure(src="chart.png", alt="A chart", caption="Reach *against* replies") }}`;
//! - `{% aside(title="Why") %}` … Markdown … `{% end %}`, the Markdown between as `body`.
//!
//! Each call line is blanked, in a copy of the source, to an HTML comment of the same length
//! (`<!--         -->`): pulldown-cmark then ends any paragraph there and gives the line
//! its own `Html` event, at the same offsets as the original, so every other location in
//! the file stays exact. The pass (`components.rs`) renders the call in its place.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::options;

/// One argument value as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    String(String),
    Number(f64),
    Bool(bool),
}

/// An argument: its name, value, and where the value is (body offsets).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arg {
    pub name: String,
    pub name_at: Range<usize>,
    pub value: Literal,
    pub value_at: Range<usize>,
}

/// What a call line is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CallKind {
    /// `{{ name(…) }}`.
    Inline,
    /// `{% name(…) %}`: a body follows, up to `{% end %}`.
    Open,
    /// `{% end %}`.
    End,
}

/// A call line, by body offsets.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub kind: CallKind,
    pub name: String,
    pub name_at: Range<usize>,
    pub args: Vec<Arg>,
    /// The whole call, `{{` to `}}`.
    pub span: Range<usize>,
}

/// A call line that could not be read: the message and where.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BadCall {
    pub message: String,
    pub at: Range<usize>,
    pub help: &'static str,
}

/// The calls of a body, by the offset of their first `{`, and the body to parse instead
/// (`None` when the body has no call).
pub(crate) struct Prepared {
    pub body: Option<String>,
    pub calls: Vec<(usize, Result<Call, BadCall>)>,
}

/// Finds the call lines of `body` outside code blocks, code spans and HTML.
pub(crate) fn prepare(body: &str) -> Prepared {
    let none = Prepared {
        body: None,
        calls: Vec::new(),
    };
    if !body.contains("{{") && !body.contains("{%") {
        return none;
    }
    let candidates: Vec<(usize, &str)> = lines(body)
        .filter(|(_, line)| {
            let t = line.trim();
            (t.starts_with("{{") && t.ends_with("}}")) || (t.starts_with("{%") && t.ends_with("%}"))
        })
        .collect();
    if candidates.is_empty() {
        return none;
    }
    let code = code_ranges(body);
    let mut text = body.to_string();
    let mut calls = Vec::new();
    for (start, line) in candidates {
        let lead = line.len() - line.trim_start().len();
        let at = start + lead;
        if lead >= 4 || code.iter().any(|r| r.contains(&at)) {
            continue;
        }
        let trimmed = line.trim();
        calls.push((at, parse(trimmed, at)));
        // Same length, ASCII only: `<!--` + spaces + `-->`.
        let width = trimmed.len();
        let blank = format!("<!--{}-->", " ".repeat(width.saturating_sub(7)));
        if blank.len() == width {
            text.replace_range(at..at + width, &blank);
        }
    }
    if calls.is_empty() {
        return none;
    }
    Prepared {
        body: Some(text),
        calls,
    }
}

/// Every line with its start offset, without its line ending.
fn lines(body: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    body.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

/// Byte ranges of code blocks, code spans and raw HTML blocks: a call written there is
/// shown, not run (how a page documents components).
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut html_block: Option<usize> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) | Event::InlineMath(_) => {
                ranges.push(range);
            }
            Event::DisplayMath(_) => ranges.push(range),
            Event::Start(Tag::HtmlBlock) => html_block = Some(range.start),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(start) = html_block.take() {
                    ranges.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

/// Reads one call line (trimmed), `at` its body offset.
fn parse(line: &str, at: usize) -> Result<Call, BadCall> {
    let (open, close, kind) = if line.starts_with("{{") {
        ("{{", "}}", CallKind::Inline)
    } else {
        ("{%", "%}", CallKind::Open)
    };
    let inner_start = open.len();
    let inner = &line[inner_start..line.len() - close.len()];
    let mut r = Reader {
        text: inner,
        pos: 0,
        base: at + inner_start,
    };
    r.spaces();
    let name_start = r.pos;
    while r
        .peek()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        r.pos += 1;
    }
    let name = inner[name_start..r.pos].to_string();
    let name_at = r.base + name_start..r.base + r.pos;
    if name.is_empty() {
        // `{{< figure … >}}`, `{{% ref … %}}`: another tool's shortcode, often in a moved page.
        let help = if inner[name_start..].starts_with(['<', '%']) {
            "this is a Hugo shortcode; sheaf's components are called like \
             `{{ figure(src=\"a.png\", alt=\"…\") }}`. To show it as text, put it between \
             backticks"
        } else {
            "write `{{ figure(src=\"a.png\", alt=\"…\") }}`"
        };
        return Err(r.bad("a component call needs a name", help));
    }
    r.spaces();
    if kind == CallKind::Open && name == "end" && r.pos == inner.len() {
        return Ok(Call {
            kind: CallKind::End,
            name,
            name_at,
            args: Vec::new(),
            span: at..at + line.len(),
        });
    }
    if r.peek() != Some('(') {
        return Err(r.bad(
            &format!("`{name}` must be followed by `(…)`"),
            "a call is `name(key=\"value\", …)`; use `()` for none",
        ));
    }
    r.pos += 1;
    let args = r.args()?;
    r.spaces();
    if r.pos != inner.len() {
        return Err(r.bad(
            "unexpected text after the call",
            "nothing may follow `)` but the closing braces",
        ));
    }
    Ok(Call {
        kind,
        name,
        name_at,
        args,
        span: at..at + line.len(),
    })
}

struct Reader<'t> {
    text: &'t str,
    pos: usize,
    /// Body offset of `text[0]`.
    base: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += self.peek().map_or(1, char::len_utf8);
        }
    }

    fn bad(&self, message: &str, help: &'static str) -> BadCall {
        let width = self.peek().map_or(1, char::len_utf8);
        BadCall {
            message: message.to_string(),
            at: self.base + self.pos..self.base + self.pos + width,
            help,
        }
    }

    /// `key=value, …)` up to and including the `)`.
    fn args(&mut self) -> Result<Vec<Arg>, BadCall> {
        let mut args = Vec::new();
        loop {
            self.spaces();
            if self.peek() == Some(')') {
                self.pos += 1;
                return Ok(args);
            }
            let start = self.pos;
            while self
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                self.pos += 1;
            }
            if start == self.pos {
                return Err(self.bad(
                    "expected an argument name or `)`",
                    "arguments are `key=\"value\"`, separated by commas",
                ));
            }
            let name = self.text[start..self.pos].to_string();
            let name_at = self.base + start..self.base + self.pos;
            self.spaces();
            if self.peek() != Some('=') {
                return Err(self.bad(
                    &format!("expected `=` after `{name}`"),
                    "arguments are `key=\"value\"`, separated by commas",
                ));
            }
            self.pos += 1;
            self.spaces();
            let value_start = self.pos;
            let value = self.value()?;
            args.push(Arg {
                name,
                name_at,
                value,
                value_at: self.base + value_start..self.base + self.pos,
            });
            self.spaces();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {}
                _ => {
                    return Err(self.bad(
                        "expected `,` or `)`",
                        "separate arguments with commas and close the list with `)`",
                    ));
                }
            }
        }
    }

    /// `"text"`, `'text'` (with `\"`, `\'`, `\\`, `\n` escapes), a number, `true`, `false`.
    fn value(&mut self) -> Result<Literal, BadCall> {
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                let start = self.pos;
                self.pos += 1;
                let mut out = String::new();
                loop {
                    let Some(c) = self.peek() else {
                        self.pos = start;
                        return Err(self.bad(
                            "this string is never closed",
                            "end it with the same quote it starts with",
                        ));
                    };
                    self.pos += c.len_utf8();
                    match c {
                        '\\' => {
                            let escaped = self.peek().unwrap_or('\\');
                            self.pos += escaped.len_utf8();
                            out.push(if escaped == 'n' { '\n' } else { escaped });
                        }
                        c if c == q => return Ok(Literal::String(out)),
                        c => out.push(c),
                    }
                }
            }
            _ => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
                {
                    self.pos += 1;
                }
                let word = &self.text[start..self.pos];
                match word {
                    "true" => Ok(Literal::Bool(true)),
                    "false" => Ok(Literal::Bool(false)),
                    _ => match word.parse::<f64>() {
                        Ok(n) if n.is_finite() => Ok(Literal::Number(n)),
                        _ => {
                            self.pos = start;
                            Err(self.bad(
                                "expected a value: a \"string\", a number, true or false",
                                "put text in double quotes",
                            ))
                        }
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_outside_code_and_keeps_offsets() {
        let body = "Text\n{{ figure(src=\"a.png\", n=3, ok=true) }}\n\n```\n{{ not(a=1) }}\n```\n\n`{{ nor() }}`\n{% aside() %}\nInside\n{% end %}\n";
        let prepared = prepare(body);
        let text = prepared.body.unwrap();
        assert_eq!(text.len(), body.len());
        assert!(text.contains("{{ not(a=1) }}") && text.contains("{{ nor() }}"));
        let calls: Vec<_> = prepared
            .calls
            .iter()
            .map(|(_, c)| c.as_ref().unwrap())
            .collect();
        assert_eq!(calls.len(), 3);
        assert_eq!(calls[0].name, "figure");
        assert_eq!(calls[0].args[0].value, Literal::String("a.png".into()));
        assert_eq!(&body[calls[0].args[0].value_at.clone()], "\"a.png\"");
        assert_eq!(calls[0].args[1].value, Literal::Number(3.0));
        assert_eq!(calls[0].args[2].value, Literal::Bool(true));
        assert_eq!(calls[1].kind, CallKind::Open);
        assert_eq!(calls[2].kind, CallKind::End);
    }

    #[test]
    fn bad_calls_say_where() {
        for (line, message, at) in [
            ("{{ (x) }}", "a component call needs a name", 3),
            ("{{ fig }}", "`fig` must be followed by `(…)`", 7),
            ("{{ fig(a) }}", "expected `=` after `a`", 8),
            ("{{ fig(a=\"x) }}", "this string is never closed", 9),
            ("{{ fig(a=nope) }}", "expected a value", 9),
            ("{{ fig(a=1 b=2) }}", "expected `,` or `)`", 11),
            ("{{ fig() x }}", "unexpected text after the call", 9),
        ] {
            let bad = parse(line, 0).unwrap_err();
            assert!(bad.message.starts_with(message), "{line}: {}", bad.message);
            assert_eq!(bad.at.start, at, "{line}");
        }
    }

    #[test]
    fn a_hugo_shortcode_is_named_as_one() {
        for line in ["{{< img src=\"a.png\" >}}", "{{% ref \"x.md\" %}}"] {
            let bad = parse(line, 0).unwrap_err();
            assert!(bad.help.contains("Hugo shortcode"), "{line}: {}", bad.help);
        }
        assert!(!parse("{{ (x) }}", 0).unwrap_err().help.contains("Hugo"));
    }

    #[test]
    fn never_panics_on_odd_lines() {
        for line in [
            "{{}}",
            "{%%}",
            "{{ é(ü=\"ö\") }}",
            "{{ a(b='\\') }}",
            "{% end %}",
            "{{ a(b=1e999) }}",
        ] {
            let _ = parse(line, 0);
            let _ = prepare(&format!("{line}\n"));
        }
    }
}
