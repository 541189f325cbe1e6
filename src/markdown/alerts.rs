//! GitHub-style alerts (`> [!NOTE]`) as callouts.
//!
//! The same Markdown shows as an alert on GitHub and as a themed `<aside>` on the site. An
//! `<aside role="note">` with a visible title keeps the meaning for screen readers without
//! relying on colour or icons.

use pulldown_cmark::BlockQuoteKind;

/// The class suffix and visible title of an alert kind.
fn name(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// The opening HTML of a callout, title included.
pub(super) fn open(kind: BlockQuoteKind) -> String {
    let (class, title) = name(kind);
    format!(
        "<aside class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n"
    )
}

pub(super) const CLOSE: &str = "</aside>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_class_and_title() {
        let html = open(BlockQuoteKind::Caution);
        assert!(html.starts_with(r#"<aside class="callout callout-caution" role="note">"#));
        assert!(html.contains(r#"<p class="callout-title">Caution</p>"#));
        assert!(open(BlockQuoteKind::Important).contains("callout-important"));
    }
}
