//! Links in raw HTML inside Markdown (`<a href="/2020/01/x.html">`, `<img src=…>`): the
//! ones that name a page of the same site become relative `.md` links like Markdown links
//! do (sheaf resolves and checks `href`/`src` in raw HTML the same way).

use std::ops::Range;

use pulldown_cmark::{Event, Parser};

/// The byte ranges of raw HTML (blocks and inline tags) in a Markdown body.
fn html_ranges(body: &str) -> Vec<Range<usize>> {
    Parser::new_ext(body, crate::markdown::options())
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        .map(|(_, r)| r)
        .collect()
}

/// The value ranges of quoted `href="…"` and `src="…"` attributes in `html` (offsets into
/// `html`), attribute names in any case, each preceded by a blank.
fn url_values(html: &str) -> Vec<Range<usize>> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for name in ["href", "src"] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(name) {
            let start = from + found;
            from = start + name.len();
            let before_ok = lower[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
            let rest = lower[from..].trim_start();
            if !before_ok || !rest.starts_with('=') {
                continue;
            }
            let after_eq = html.len() - rest.len() + 1;
            let value = &html[after_eq..];
            let lead = value.len() - value.trim_start().len();
            let open = after_eq + lead;
            let Some(quote) = html[open..]
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')
            else {
                continue;
            };
            if let Some(len) = html[open + 1..].find(quote) {
                out.push(open + 1..open + 1 + len);
            }
        }
    }
    out
}

/// Rewrites the `href`/`src` values in the raw HTML of `body` for which `rewrite` gives a
/// new one; returns the edits (ranges of `body`).
pub(crate) fn edits(
    body: &str,
    mut rewrite: impl FnMut(&str) -> Option<String>,
) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for html in html_ranges(body) {
        for value in url_values(&body[html.clone()]) {
            let range = html.start + value.start..html.start + value.end;
            if let Some(new) = rewrite(&body[range.clone()]) {
                out.push((range, new));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn href_and_src_in_raw_html_only() {
        let body = "<a href=\"/x.html\">x</a> and <IMG SRC='/y.png'> `<a href=\"/z\">`\n\n<div data-href=\"/no\">\n<a class=x href = \"/w/\">w</a>\n</div>\n";
        let seen: Vec<String> = edits(body, |v| Some(format!("[{v}]")))
            .into_iter()
            .map(|(r, _)| body[r].to_string())
            .collect();
        assert_eq!(seen, ["/x.html", "/y.png", "/w/"]);
    }
}
