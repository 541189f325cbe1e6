//! The `<!-- more -->` marker that ends a page's summary.
//!
//! The split is made at the end of the top-level block holding the marker, never inside a
//! paragraph or list, so the summary is always balanced HTML that can be dropped into a list
//! page as is. A marker in the middle of a paragraph therefore keeps the whole paragraph.

/// Finds where the summary ends while events stream by.
#[derive(Default)]
pub(super) struct MoreMarker {
    /// A marker was seen; the split comes after the current top-level block.
    pending: bool,
    at: Option<usize>,
}

impl MoreMarker {
    /// Looks at raw HTML of the page's main flow (not footnotes); only the first marker counts.
    pub(super) fn html(&mut self, html: &str) {
        if self.at.is_none() && has_marker(html) {
            self.pending = true;
        }
    }

    /// Called after every event: `top_level` when between top-level blocks of the main flow,
    /// `out_len` the number of output events so far.
    pub(super) fn after_event(&mut self, top_level: bool, out_len: usize) {
        if self.pending && top_level {
            self.pending = false;
            self.at = Some(out_len);
        }
    }

    /// Index of the first output event after the summary.
    pub(super) fn split_at(&self) -> Option<usize> {
        self.at
    }
}

/// Whether raw HTML contains the marker (`<!-- more -->`, any spacing inside the comment).
pub(super) fn has_marker(html: &str) -> bool {
    html.match_indices("<!--").any(|(at, _)| {
        let rest = html[at + 4..].trim_start();
        rest.strip_prefix("more")
            .is_some_and(|rest| rest.trim_start().starts_with("-->"))
    })
}

/// The summary HTML without the marker comment it usually ends with.
pub(super) fn tidy(html: &str) -> String {
    let trimmed = html.trim_end();
    let trimmed = match trimmed.rfind("<!--") {
        Some(at) if has_marker(&trimmed[at..]) && trimmed.ends_with("-->") => &trimmed[..at],
        _ => trimmed,
    };
    let mut summary = strip_page_only_markup(trimmed.trim_end());
    if !summary.is_empty() {
        summary.push('\n');
    }
    summary
}

/// A summary is shown on list pages beside other summaries: heading ids would repeat there
/// and anchor and footnote links would point at nothing, so they are removed.
fn strip_page_only_markup(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let drop_element = [
            (r#"<a class="anchor""#, "</a>"),
            (r#"<sup class="footnote-ref">"#, "</sup>"),
        ]
        .iter()
        .find(|(open, _)| rest.starts_with(open))
        .and_then(|(_, close)| rest.find(close).map(|end| end + close.len()));
        if let Some(end) = drop_element {
            rest = &rest[end..];
            if out.ends_with(' ') && rest.starts_with('<') {
                out.pop();
            }
            continue;
        }
        let tag_end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..tag_end];
        if tag.starts_with("<h") && tag.contains(" id=\"") {
            let id_at = tag.find(" id=\"").unwrap_or(0);
            let id_end = tag[id_at + 5..]
                .find('"')
                .map_or(tag.len(), |i| id_at + 5 + i + 1);
            out.push_str(&tag[..id_at]);
            out.push_str(&tag[id_end..]);
        } else {
            out.push_str(tag);
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_marker() {
        assert!(has_marker("<!-- more -->\n"));
        assert!(has_marker("<!--more-->"));
        assert!(has_marker("<div>\n<!--  more\n-->"));
        assert!(!has_marker("<!-- more than this -->"));
        assert!(!has_marker("<!-- less -->"));
        assert!(!has_marker("<!--"));
    }

    #[test]
    fn summary_loses_ids_anchors_and_footnote_refs() {
        let html = r##"<h2 id="a">A <a class="anchor" href="#a" aria-hidden="true" tabindex="-1">#</a></h2>
<p>x<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup> y</p>
<!-- more -->"##;
        assert_eq!(tidy(html), "<h2>A</h2>\n<p>x y</p>\n");
    }

    #[test]
    fn tidy_drops_a_trailing_marker() {
        assert_eq!(tidy("<p>a</p>\n<!-- more -->\n"), "<p>a</p>\n");
        assert_eq!(tidy("<p>a <!-- more --></p>\n"), "<p>a <!-- more --></p>\n");
    }
}
