//! Code blocks: custom fences first (worksheets), then highlighting, else plain text.
//!
//! A block is gathered whole (pulldown-cmark hands it over in line-sized pieces) and turned
//! into one raw-HTML event. An unknown or missing language is never an error: the block is
//! shown plain, as on GitHub.

use std::ops::Range;

use crate::diagnostic::Diagnostic;

use super::{FenceHandler, Highlighting, escape_html, highlight};

/// A code block being gathered. Offsets are relative to the Markdown body.
pub(super) struct CodeBlock {
    /// The info string of a fenced block; `None` for an indented block.
    info: Option<String>,
    /// Where the whole block (opening fence included) starts.
    block_start: usize,
    /// Body range covered by the content pieces, if there are any.
    content: Option<Range<usize>>,
    text: String,
}

/// What a finished block becomes.
pub(super) struct Finished {
    /// Raw HTML to insert (empty when a custom fence failed).
    pub(super) html: String,
    /// Whether this counts as code for the page (custom fences do not).
    pub(super) is_code: bool,
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl CodeBlock {
    pub(super) fn new(info: Option<&str>, block_start: usize) -> Self {
        CodeBlock {
            info: info.map(str::to_string),
            block_start,
            content: None,
            text: String::new(),
        }
    }

    pub(super) fn push(&mut self, text: &str, range: Range<usize>) {
        self.text.push_str(text);
        self.content = Some(match self.content.take() {
            Some(c) => c.start..range.end.max(c.end),
            None => range,
        });
    }

    /// The first word of the info string: `rust` in `rust,ignore` or `py title="x"`.
    fn language(&self) -> &str {
        self.info
            .as_deref()
            .unwrap_or("")
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("")
    }

    /// Renders the block. `body` is the Markdown body, `body_offset` its place in the file.
    pub(super) fn finish(
        self,
        body: &str,
        body_offset: usize,
        fences: &dyn FenceHandler,
        highlighting: Highlighting,
    ) -> Finished {
        if let Some(info) = self.info.as_deref() {
            let (code, offset) = self.code_for_handler(body);
            if let Some(result) = fences.render(info, code, body_offset + offset) {
                return match result {
                    Ok(mut html) => {
                        if !html.ends_with('\n') {
                            html.push('\n');
                        }
                        Finished {
                            html,
                            is_code: false,
                            diagnostics: Vec::new(),
                        }
                    }
                    Err(diagnostics) => Finished {
                        html: String::new(),
                        is_code: false,
                        diagnostics,
                    },
                };
            }
        }
        let lang = self.language();
        // Focusable, so keyboard users can scroll a wide block (axe: scrollable-region-focusable).
        let mut html = String::from(r#"<pre class="code" tabindex="0""#);
        if !lang.is_empty() {
            html.push_str(r#" data-lang=""#);
            escape_html(&mut html, lang);
            html.push('"');
        }
        html.push_str("><code>");
        match highlight::highlight(lang, &self.text, highlighting) {
            Some(highlighted) => html.push_str(&highlighted),
            None => escape_html(&mut html, &self.text),
        }
        html.push_str("</code></pre>\n");
        Finished {
            html,
            is_code: true,
            diagnostics: Vec::new(),
        }
    }

    /// The text and body offset to give a fence handler: the exact source bytes when they say
    /// the same as the parsed text apart from CRLF line endings (a fence not inside a
    /// container), so offsets into `code` are offsets into the file; else the parsed text.
    fn code_for_handler<'b>(&'b self, body: &'b str) -> (&'b str, usize) {
        match &self.content {
            Some(range) => {
                let raw = body.get(range.clone()).unwrap_or("");
                if same_except_crlf(raw, &self.text) {
                    (raw, range.start)
                } else {
                    (&self.text, range.start)
                }
            }
            // An empty block: its content would start on the line after the opening fence.
            None => {
                let rest = body.get(self.block_start..).unwrap_or("");
                let offset = rest.find('\n').map_or(rest.len(), |i| i + 1);
                (&self.text, self.block_start + offset)
            }
        }
    }
}

/// Whether `raw` equals `parsed` once its `\r\n` line endings are read as `\n`.
fn same_except_crlf(raw: &str, parsed: &str) -> bool {
    let mut raw = raw.bytes().peekable();
    let mut parsed = parsed.bytes();
    loop {
        let r = match raw.next() {
            Some(b'\r') if raw.peek() == Some(&b'\n') => raw.next(),
            other => other,
        };
        match (r, parsed.next()) {
            (None, None) => return true,
            (a, b) if a == b => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_comparison() {
        assert!(same_except_crlf("a\r\nb\r\n", "a\nb\n"));
        assert!(same_except_crlf("a\nb", "a\nb"));
        assert!(!same_except_crlf("a\n  b\n", "a\nb\n"));
        assert!(!same_except_crlf("a\rb", "a\nb"));
        assert!(!same_except_crlf("ab", "abc"));
    }

    #[test]
    fn language_is_the_first_word_of_the_info_string() {
        for (info, lang) in [("rust,ignore", "rust"), ("py title=\"x\"", "py"), ("", "")] {
            assert_eq!(CodeBlock::new(Some(info), 0).language(), lang);
        }
        assert_eq!(CodeBlock::new(None, 0).language(), "");
    }
}
