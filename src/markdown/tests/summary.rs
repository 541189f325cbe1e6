//! Summary split, first paragraph and word count.

use super::*;

#[test]
fn more_marker_splits_the_summary() {
    let r = render_body("First *para*.\n\n<!-- more -->\n\nRest.\n");
    assert_eq!(
        r.summary_html.as_deref(),
        Some("<p>First <em>para</em>.</p>\n")
    );
    assert!(r.html.as_str().starts_with("<p>First <em>para</em>.</p>\n"));
    assert!(r.html.as_str().ends_with("<p>Rest.</p>\n"));
}

#[test]
fn marker_right_after_a_paragraph_line_and_compact_spelling() {
    let r = render_body("Intro line\n<!--more-->\nRest.\n");
    assert_eq!(r.summary_html.as_deref(), Some("<p>Intro line</p>\n"));
    assert!(r.html.as_str().contains("<p>Rest.</p>"));
}

#[test]
fn inline_marker_keeps_its_whole_paragraph() {
    let r = render_body("One.\n\nTwo <!-- more --> three.\n\nFour.\n");
    assert_eq!(
        r.summary_html.as_deref(),
        Some("<p>One.</p>\n<p>Two <!-- more --> three.</p>\n")
    );
}

#[test]
fn nested_marker_ends_the_summary_after_its_block() {
    let r = render_body("- a\n\n  <!-- more -->\n- b\n\nAfter.\n");
    let summary = r.summary_html.unwrap();
    assert!(
        summary.starts_with("<ul>") && summary.trim_end().ends_with("</ul>"),
        "{summary}"
    );
    assert!(!summary.contains("After"));
}

#[test]
fn only_the_first_marker_counts_and_none_means_no_summary() {
    let r = render_body("A\n\n<!-- more -->\n\nB\n\n<!-- more -->\n\nC\n");
    assert_eq!(r.summary_html.as_deref(), Some("<p>A</p>\n"));
    assert!(render_body("A\n\nB\n").summary_html.is_none());
    assert!(
        render_body("<!-- more -->\n\nB\n").summary_html.is_none(),
        "empty summary"
    );
    assert!(
        render_body("```\n<!-- more -->\n```\n")
            .summary_html
            .is_none(),
        "code is not a marker"
    );
}

#[test]
fn marker_in_a_footnote_is_ignored() {
    let r = render_body("A[^n]\n\nB\n\n[^n]: x\n\n    <!-- more -->\n");
    assert!(r.summary_html.is_none());
}

#[test]
fn summary_drops_footnote_references_and_full_html_is_unchanged() {
    let with = render_body("A[^n].\n\n<!-- more -->\n\nB\n\n[^n]: Note.\n");
    let without = render_body("A[^n].\n\nB\n\n[^n]: Note.\n");
    assert_eq!(
        with.html.as_str().replace("<!-- more -->\n", ""),
        without.html.as_str()
    );
    // List pages have no footnotes to point at.
    assert_eq!(with.summary_html.unwrap(), "<p>A.</p>\n");
}

#[test]
fn first_paragraph_is_plain_text_of_the_first_top_level_paragraph() {
    let r = render_body(
        "# Title\n\n> [!NOTE]\n> Not this one.\n\n![only an image](a.png)\n\n\
         The *real* `first`\nparagraph, [linked](https://x.y).\n\nSecond.\n",
    );
    assert_eq!(
        r.first_paragraph.as_deref(),
        Some("The real first paragraph, linked.")
    );
    assert!(render_body("# Only a heading\n").first_paragraph.is_none());
    assert!(render_body("").first_paragraph.is_none());
}

#[test]
fn word_count_covers_prose_not_code() {
    let r = render_body(
        "# Two words\n\nDon't split *smart*-ly emphasised text -- ok?\n\n\
         ```rust\nfn not_counted() {}\n```\n\n    indented not counted\n\n\
         - one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n\n![alt text](x.png) `code`\n",
    );
    // 2 + 6 (Don't split smartly emphasised text ok) + 2 + 4 + 1.
    assert_eq!(r.word_count, 15);
    assert_eq!(render_body("").word_count, 0);
}
