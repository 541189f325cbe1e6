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

/// `<a name="x">` anchors in the raw HTML of `body` as `<a id="x">`: `name` on `a` is
/// obsolete in HTML5 (the Nu checker refuses it), `id` is what every browser scrolls to,
/// and sheaf checks links against both alike. A tag that has an `id` already is left alone.
/// Returns the edits: each `name` attribute's name, replaced by `id`.
pub(crate) fn name_anchors(body: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for html in html_ranges(body) {
        let text = &body[html.clone()];
        let lower = text.to_ascii_lowercase();
        let mut from = 0;
        while let Some(found) = lower[from..].find("<a") {
            let start = from + found;
            from = start + 2;
            let after = lower[from..].chars().next();
            if !after.is_some_and(char::is_whitespace) {
                continue;
            }
            let end = lower[from..].find('>').map_or(lower.len(), |e| from + e);
            let tag = &lower[start..end];
            let attribute = |name: &str| {
                tag.match_indices(name).find(|(at, _)| {
                    tag[..*at].ends_with(char::is_whitespace)
                        && tag[at + name.len()..].trim_start().starts_with('=')
                })
            };
            if attribute("id").is_some() {
                continue;
            }
            if let Some((at, _)) = attribute("name") {
                let name = html.start + start + at;
                out.push((name..name + "name".len(), "id".to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_anchors_become_ids() {
        let body = "<a name=\"one\"></a> <A NAME='two'>x</A> <a id=\"k\" name=\"k\"></a> \
                    <abbr name=\"n\">a</abbr> `<a name=\"code\">`\n\n<div>\n<a class=x name = \"three\"></a>\n</div>\n";
        let mut text = body.to_string();
        for (range, new) in name_anchors(body).into_iter().rev() {
            text.replace_range(range, &new);
        }
        assert_eq!(
            text,
            "<a id=\"one\"></a> <A id='two'>x</A> <a id=\"k\" name=\"k\"></a> \
             <abbr name=\"n\">a</abbr> `<a name=\"code\">`\n\n<div>\n<a class=x id = \"three\"></a>\n</div>\n"
        );
    }

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
