//! The Markdown dialect: GitHub extensions, alerts, footnotes, raw HTML and escaping.

use super::*;

#[test]
fn tables_strikethrough_and_task_lists() {
    let r = render_body("| a | b |\n|:--|--:|\n| 1 | ~~2~~ |\n\n- [x] done\n- [ ] todo\n");
    assert!(
        r.html.as_str().contains("<table tabindex=\"0\">"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html
            .as_str()
            .contains(r#"<td class="align-right"><del>2</del></td>"#),
        "{}",
        r.html.as_str()
    );
    assert!(
        !r.html.as_str().contains("style="),
        "no inline styles under a strict CSP"
    );
    assert!(
        r.html.as_str().contains(r#"<th class="align-left">a</th>"#),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html
            .as_str()
            .contains(r#"<input type="checkbox" disabled aria-label="done" checked>"#)
    );
    assert!(
        r.html
            .as_str()
            .contains(r#"<input type="checkbox" disabled aria-label="not done">"#)
    );
}

#[test]
fn smart_punctuation() {
    let r = render_body("\"Quoted\" isn't -- or --- ...\n");
    assert!(
        r.html.as_str().contains("“Quoted” isn’t – or — …"),
        "{}",
        r.html.as_str()
    );
}

#[test]
fn every_alert_kind_is_a_callout() {
    for (marker, class, title) in [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ] {
        let r = render_body(&format!("> [!{marker}]\n> Mind **this**.\n"));
        let expected = format!(
            "<aside class=\"callout callout-{class}\" role=\"note\">\n\
             <p class=\"callout-title\">{title}</p>\n<p>Mind <strong>this</strong>.</p>\n</aside>\n"
        );
        assert_eq!(r.html.as_str(), expected);
    }
}

#[test]
fn plain_blockquotes_and_nested_alerts_stay_correct() {
    let r = render_body("> quoted\n\n- item\n\n  > [!TIP]\n  > inside a list\n");
    assert!(
        r.html
            .as_str()
            .starts_with("<blockquote>\n<p>quoted</p>\n</blockquote>"),
        "{}",
        r.html.as_str()
    );
    assert!(r.html.as_str().contains("<li>"));
    assert!(
        r.html.as_str().contains("callout-tip"),
        "{}",
        r.html.as_str()
    );
    assert_eq!(
        r.html.as_str().matches("<aside").count(),
        r.html.as_str().matches("</aside>").count()
    );
}

#[test]
fn footnotes_are_numbered_by_first_reference_and_gathered_at_the_end() {
    let body = "[^b]: Bee.\n\nFirst[^a], second[^B], again[^a].\n\n[^a]: Ay.\n\n## After\n";
    let r = render_body(body);
    let html = &r.html.as_str();
    let section = html
        .find("<section class=\"footnotes\"")
        .expect("footnote section");
    assert!(
        html.find("<h2").unwrap() < section,
        "footnotes come last: {html}"
    );
    assert!(html.contains(r##"<a href="#fn-a" id="fnref-a" aria-label="Footnote 1">1</a>"##));
    assert!(html.contains(r##"<a href="#fn-b" id="fnref-b" aria-label="Footnote 2">2</a>"##));
    assert!(html.contains(r##"<a href="#fn-a" id="fnref-a-1" aria-label="Footnote 1">1</a>"##));
    // The list is in number order, each item with its back links inside the paragraph.
    assert!(html.find(r#"<li id="fn-a">"#).unwrap() < html.find(r#"<li id="fn-b">"#).unwrap());
    assert!(html.contains(
        "<p>Ay. <a href=\"#fnref-a\" class=\"footnote-backref\" aria-label=\"Back to reference 1\">↩</a> \
         <a href=\"#fnref-a-1\" class=\"footnote-backref\" aria-label=\"Back to reference 1-2\">↩<sup>2</sup></a></p>"
    ), "{html}");
    for id in ["fn-a", "fnref-a", "fn-b", "fnref-b", "fnref-a-1", "after"] {
        assert!(
            r.heading_ids.contains(&id.to_string()),
            "{id} in {:?}",
            r.heading_ids
        );
    }
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn footnote_ids_do_not_clash_with_headings() {
    let r = render_body("## Fn 1\n\nText[^1].\n\n[^1]: Note.\n");
    assert!(r.heading_ids.contains(&"fn-1".to_string()));
    assert!(
        r.heading_ids.contains(&"fn-1-1".to_string()),
        "{:?}",
        r.heading_ids
    );
    let unique: std::collections::HashSet<_> = r.heading_ids.iter().collect();
    assert_eq!(unique.len(), r.heading_ids.len());
}

#[test]
fn unreferenced_footnote_is_a_located_warning() {
    let r = render_body("Text.\n\n[^lost]: Nobody points here.\n");
    assert!(!r.html.as_str().contains("Nobody"));
    let d = &r.diagnostics[0];
    assert!(!d.is_error());
    assert_eq!(d.message, "footnote `[^lost]` is never referenced");
    let loc = d.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (6, 1));
}

#[test]
fn undefined_footnote_reference_stays_text() {
    let r = render_body("See [^nothing].\n");
    assert_eq!(r.html.as_str(), "<p>See [^nothing].</p>\n");
}

#[test]
fn raw_html_passes_through_and_text_is_escaped() {
    let r =
        render_body("<div class=\"wide\">\n\n*hi* <b>bold</b>\n\n</div>\n\n5 < 6 & \"x\" `<t>`\n");
    assert!(
        r.html.as_str().contains("<div class=\"wide\">"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html.as_str().contains("<em>hi</em> <b>bold</b>"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html
            .as_str()
            .contains("<p>5 &lt; 6 &amp; “x” <code>&lt;t&gt;</code></p>"),
        "{}",
        r.html.as_str()
    );
}

#[test]
fn heading_attribute_values_are_escaped() {
    let r = render_body("# Title {#a\"b .c<d}\n");
    assert!(!r.html.as_str().contains("a\"b\""), "{}", r.html.as_str());
    assert!(!r.html.as_str().contains("c<d"), "{}", r.html.as_str());
}

#[test]
fn ids_in_raw_html_count_as_anchors() {
    let r = render_body("<a id=\"faq\"></a>\n\n## FAQ\n");
    assert_eq!(r.heading_ids, ["faq", "faq-1"]);
}

#[test]
fn images_beside_the_page_get_their_url() {
    let r = render_body("![A chart](../img/chart.png \"T\") and ![A `second` one](pic.png)\n");
    // The first picture of a page loads at once; the others when scrolled to.
    assert!(
        r.html.as_str().contains(
            r#"<img src="/guide/img/chart.png" alt="A chart" title="T"> and <img src="/guide/essays/pic.png" alt="A second one" loading="lazy" decoding="async">"#
        ),
        "{}",
        r.html.as_str()
    );
    assert!(r.links.is_empty() && r.diagnostics.is_empty());
}

#[test]
fn an_image_without_alt_text_is_a_located_warning() {
    let r = render_body("Text\n\n![](pic.png)\n");
    assert_eq!(located(&r), ["this image has no alt text @ 6:1"]);
}

#[test]
fn no_heading_takes_the_themes_main_id() {
    let r = render_body("# Main\n\n## Other {#main}\n");
    assert!(
        !r.heading_ids.iter().any(|id| id == "main"),
        "{:?}",
        r.heading_ids
    );
    assert!(
        !r.html.as_str().contains(r#"id="main""#),
        "{}",
        r.html.as_str()
    );
}
