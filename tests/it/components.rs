//! Issue #18's components: `{{ name(…) }}` and `{% name(…) %}…{% end %}` in Markdown,
//! templates in `templates/components/` (the theme's `figure`, `aside`, `worksheet`,
//! `result`; a site overrides or adds one), every call checked and located.

use crate::support::{Site, html};

const QUIZ: &str = "---\ntitle: Quiz\ndescription: A tiny quiz.\nworksheet:\n  id: quiz\n  version: 1\n  result:\n    by: top\n    dimensions:\n      a: { title: Alpha, body: \"You are an alpha.\" }\n      b: { title: Beta, body: \"You are a beta.\" }\n---\n```worksheet\n- id: q\n  type: single\n  prompt: Pick one.\n  options:\n    - { id: x, label: X, score: { a: 1 } }\n    - { id: y, label: Y, score: { b: 1 } }\n- id: r\n  type: single\n  prompt: And one more.\n  options:\n    - { id: x, label: X, score: { a: 1 } }\n    - { id: y, label: Y, score: { b: 1 } }\n```\n";

fn site_with(essay: &str) -> Site {
    Site::fixture("site-assets")
        .page("worksheets/quiz.md", QUIZ)
        .page("essays/calls.md", essay)
        .create()
}

#[test]
fn each_component_renders_escaped_and_csp_clean() {
    let site = site_with(
        "---\ntitle: Calls\ndate: 2025-03-05\n---\nIntro.\n\
         {{ figure(src=\"photo.png\", alt=\"An <orange> square\", caption=\"Reach *against* replies\", credit=\"Me & you\", link=\"/essays/bundle/\") }}\n\
         {% aside(title=\"Why\") %}\nA reply is worth **more** than a view.\n{% end %}\n\n\
         {{ worksheet(page=\"../worksheets/quiz.md\") }}\n\n\
         {{ result(page=\"../worksheets/quiz.md\", key=\"b\") }}\n\n\
         ```\n{{ figure(src=\"shown-not-run.png\") }}\n```\n",
    );
    site.build_ok(&[]);
    let page = site.read("essays/calls/index.html");
    for expected in [
        r#"<figure class="figure"><a href="/guide/essays/bundle/"><picture><source type="image/webp" srcset="/guide/essays/photo.w480.webp 480w, /guide/essays/photo.w640.webp 640w""#,
        r#"<img src="/guide/essays/photo.png" alt="An &lt;orange&gt; square" width="640" height="480" loading="lazy" decoding="async"></picture></a>"#,
        "<figcaption>Reach <em>against</em> replies <span class=\"figure-credit\">Me &amp; you</span></figcaption>",
        r#"<aside class="aside" aria-label="Why"><p class="aside-title">Why</p>"#,
        "<p>A reply is worth <strong>more</strong> than a view.</p>",
        "Worksheet · 2 questions",
        r#"<a href="/guide/worksheets/quiz/">Quiz</a>"#,
        "A tiny quiz.",
        r#"<a href="/guide/worksheets/quiz/result/b/">Beta</a>"#,
        "{{ figure(src=&quot;shown-not-run.png&quot;) }}",
    ] {
        assert!(page.contains(expected), "no {expected} in\n{page}");
    }
    // The paragraph before the call is closed, not swallowed.
    assert!(page.contains("<p>Intro.</p>"), "{page}");
    let parsed = html::parse(&page);
    for tag in parsed.tags_named("img").chain(parsed.tags_named("aside")) {
        assert!(tag.attr("style").is_none(), "inline style: {tag:?}");
    }
    assert!(!page.contains("<script>alert"), "{page}");
}

#[test]
fn every_wrong_call_is_a_located_error() {
    let site = site_with(
        "---\ntitle: Calls\ndate: 2025-03-05\n---\n\
         {{ figur(src=\"photo.png\", alt=\"x\") }}\n\n\
         {{ figure(src=\"photo.png\", alt=\"x\", captoin=\"y\") }}\n\n\
         {{ figure(alt=\"x\") }}\n\n\
         {{ figure(src=3, alt=\"x\") }}\n\n\
         {{ figure(src=\"nope.png\", alt=\"x\") }}\n\n\
         {{ worksheet(page=\"flat.md\") }}\n\n\
         {{ result(page=\"../worksheets/quiz.md\", key=\"zeta\") }}\n\n\
         {{ aside(title=\"no body\") }}\n\n\
         {% figure(src=\"photo.png\", alt=\"x\") %}\nbody\n{% end %}\n\n\
         {{ figure(src=\"photo.png\" alt=\"x\") }}\n\n\
         {{ figure(src=\"photo.png\", alt=\"x\", alt=\"y\") }}\n\n\
         {% end %}\n\n\
         {% aside() %}\nnever closed\n",
    );
    let run = site.build(&[]);
    run.assert_exit(1);
    let at = |line: usize, col: usize| format!("content/essays/calls.md:{line}:{col}");
    for (message, location) in [
        ("no component named `figur`", at(5, 4)),
        ("`figure` has no argument `captoin`", at(7, 37)),
        ("`figure` needs the argument `src`", at(9, 1)),
        ("`src` must be a quoted string", at(11, 15)),
        ("missing image `nope.png`: no such file", at(13, 16)),
        ("`flat.md` is not a worksheet", at(15, 20)),
        (
            "`Quiz` has no result `zeta`; its results are a, b",
            at(17, 1),
        ),
        ("`aside` needs a body", at(19, 1)),
        ("`figure` takes no body", at(21, 1)),
        ("expected `,` or `)`", at(25, 27)),
        ("`alt` is given twice", at(27, 37)),
        ("`{% end %}` closes nothing", at(29, 1)),
        ("`aside` is never closed", at(31, 1)),
    ] {
        let found = run
            .stderr
            .split("\n\n")
            .any(|block| block.contains(message) && block.contains(&location));
        assert!(found, "no `{message}` at {location} in\n{}", run.stderr);
    }
    assert!(
        run.stderr.contains("did you mean `figure`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `caption`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_overrides_and_adds_components_with_checked_declarations() {
    let site = site_with(
        "---\ntitle: Calls\ndate: 2025-03-05\n---\n\
         {{ aside_free() }}\n\n\
         {{ pull(quote=\"Replies beat reach\", size=2) }}\n",
    );
    site.write(
        "templates/components/pull.html",
        "{#- args: quote: string!, size: number -#}\n<blockquote class=\"pull\">{{ quote }} ({{ size }})</blockquote>\n",
    );
    site.write(
        "templates/components/aside_free.html",
        "{#- args: x: strng -#}\n<p>never</p>\n",
    );
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr.contains(
            "cannot read the arguments of the component `aside_free`: `strng` is not a type"
        ) && run
            .stderr
            .contains("templates/components/aside_free.html:1:"),
        "{}",
        run.stderr
    );
    site.write("templates/components/aside_free.html", "<p>free</p>\n");
    site.build_ok(&[]);
    let page = site.read("essays/calls/index.html");
    assert!(
        page.contains("<blockquote class=\"pull\">Replies beat reach (2)</blockquote>"),
        "{page}"
    );
    assert!(page.contains("<p>free</p>"), "{page}");
    // The site's `figure` replaces the theme's.
    site.write(
        "templates/components/figure.html",
        "{#- args: src: image!, alt: string! -#}\n<img class=\"mine\" src=\"{{ src.url }}\" alt=\"{{ alt }}\">\n",
    );
    site.write(
        "content/essays/calls.md",
        "---\ntitle: Calls\ndate: 2025-03-05\n---\n{{ figure(src=\"photo.png\", alt=\"o\") }}\n",
    );
    site.build_ok(&[]);
    assert!(
        site.read("essays/calls/index.html")
            .contains("<img class=\"mine\"")
    );
}
