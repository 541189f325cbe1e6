//! What Pagefind reads of a page: the page as published, except a worksheet's form.
//!
//! Pagefind never indexes text inside `<form>` or `<label>` (they are in its fixed list of
//! removed elements, with `nav` and `footer`), and a worksheet is one `<form>` whose
//! prompts are `<legend>`s, options `<label>`s and result texts `<div>`s. So for the index
//! only, the worksheet's own form becomes a `<div>` and its labels `<span>`s: the prompts,
//! options and result texts are found, and the published page keeps its form. (The
//! Pagefind CLI run on the published site cannot index worksheets for this reason.)

/// How the worksheet's form opens, as `worksheet::form` writes it.
const FORM_OPEN: &str = "<form class=\"worksheet\"";
const FORM_CLOSE: &str = "</form>";

/// The HTML Pagefind reads for a page.
pub(super) fn for_index(html: &str, worksheet: bool) -> String {
    if !worksheet {
        return html.to_string();
    }
    let Some(start) = html.find(FORM_OPEN) else {
        return html.to_string();
    };
    let Some(end) = html[start..].find(FORM_CLOSE).map(|at| start + at) else {
        return html.to_string();
    };
    let form = &html[start + FORM_OPEN.len()..end];
    let opened = form
        .replace("<label ", "<span ")
        .replace("<label>", "<span>")
        .replace("</label>", "</span>");
    let mut out = String::with_capacity(html.len());
    out.push_str(&html[..start]);
    out.push_str("<div class=\"worksheet\"");
    out.push_str(&opened);
    out.push_str("</div>");
    out.push_str(&html[end + FORM_CLOSE.len()..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worksheets_form_and_labels_are_opened_up_for_the_index_only() {
        let page = "<article><form class=\"worksheet\" id=\"worksheet\"><legend>Prompt?</legend>\
                    <label for=\"a\"><input id=\"a\"> An option</label></form><p>After</p></article>";
        assert_eq!(
            for_index(page, true),
            "<article><div class=\"worksheet\" id=\"worksheet\"><legend>Prompt?</legend>\
             <span for=\"a\"><input id=\"a\"> An option</span></div><p>After</p></article>"
        );
        assert_eq!(
            for_index(page, false),
            page,
            "not a worksheet: as published"
        );
    }

    #[test]
    fn a_page_without_the_worksheet_form_is_unchanged() {
        for page in [
            "<p>no form</p>",
            "<form class=\"worksheet\"><p>never closed",
            "<form><label>an author's own form</label></form>",
        ] {
            assert_eq!(for_index(page, true), page);
        }
    }
}
