//! Heading ids, anchors and the table of contents.

use super::*;

#[test]
fn derived_ids_and_anchor_links() {
    let r = render_body("## Why *chasing* followers?\n");
    assert_eq!(
        r.html.as_str(),
        "<h2 id=\"why-chasing-followers\">Why <em>chasing</em> followers? <a class=\"anchor\" \
         href=\"#why-chasing-followers\" aria-hidden=\"true\" tabindex=\"-1\" data-pagefind-ignore>#</a></h2>\n"
    );
}

#[test]
fn ids_are_unique_per_page() {
    let r = render_body("# Intro\n\n## Intro\n\n### Intro\n\n## Ünïcode stuff\n\n## ???\n");
    assert_eq!(
        r.heading_ids,
        ["intro", "intro-1", "intro-2", "unicode-stuff", "section"]
    );
}

#[test]
fn explicit_ids_win_even_over_earlier_headings() {
    let r = render_body("## Setup\n\n## Getting ready {#setup}\n");
    assert_eq!(r.heading_ids, ["setup-1", "setup"]);
    assert!(
        r.html.as_str().contains("<h2 id=\"setup\">Getting ready"),
        "{}",
        r.html.as_str()
    );
    assert!(r.diagnostics.is_empty());
}

#[test]
fn explicit_classes_and_attributes_are_kept() {
    let r = render_body("## Title {#custom .wide data-x=1}\n");
    assert!(
        r.html.as_str().starts_with(
            r##"<h2 id="custom" class="wide" data-x="1">Title <a class="anchor" href="#custom""##
        ),
        "{}",
        r.html.as_str()
    );
}

#[test]
fn duplicate_explicit_id_is_a_located_warning() {
    let r = render_body("## One {#same}\n\ntext\n\n## Two {#same}\n");
    assert_eq!(r.heading_ids, ["same", "same-1"]);
    let d = &r.diagnostics[0];
    assert!(!d.is_error());
    assert_eq!(d.message, "duplicate heading id `same`");
    let loc = d.location.as_ref().unwrap();
    // Line 8 of the file: 3 lines of front matter, then the body's line 5.
    assert_eq!((loc.line, loc.column, loc.width), (8, 9, 5));
    assert_eq!(loc.line_text, "## Two {#same}");
}

#[test]
fn toc_is_nested_with_plain_titles() {
    let r = render_body(
        "# Top\n\n## A `code` *b*\n\n### Deep\n\n#### Deeper\n\n## C & D\n\n#### Skipped to four\n",
    );
    assert_eq!(r.toc.len(), 1);
    let top = &r.toc[0];
    assert_eq!(
        (top.level, top.id.as_str(), top.title.as_str()),
        (1, "top", "Top")
    );
    let titles: Vec<_> = top.children.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["A code b", "C & D"]);
    assert_eq!(top.children[0].children[0].title, "Deep");
    assert_eq!(top.children[0].children[0].children[0].id, "deeper");
    assert_eq!(top.children[1].children[0].level, 4);
}

#[test]
fn toc_starting_below_h1_and_going_up() {
    let r = render_body("### Small\n\n## Bigger\n\n### Under bigger\n");
    let shape: Vec<_> = r
        .toc
        .iter()
        .map(|e| (e.id.as_str(), e.children.len()))
        .collect();
    assert_eq!(shape, [("small", 0), ("bigger", 1)]);
}

#[test]
fn toc_serialises_for_templates() {
    fn assert_serialize<T: serde::Serialize>(_: &T) {}
    let r = render_body("## A\n");
    assert_serialize(&r.toc);
}

#[test]
fn setext_and_empty_headings() {
    let r = render_body("Title\n=====\n\n#\n");
    assert_eq!(r.heading_ids, ["title", "section"]);
    assert!(
        r.html
            .as_str()
            .contains("<h1 id=\"section\"> <a class=\"anchor\""),
        "{}",
        r.html.as_str()
    );
}
