//! Relative `.md` links: rewriting, recording and located errors.

use super::*;

fn hrefs(html: &str) -> Vec<&str> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

#[test]
fn relative_links_become_page_urls() {
    let r = render_body(
        "[a](foo.md) [b](./foo.md#bar) [c](../about.md) [d](deep/bar.md) [e](_index.md) \
         [f](deep/../foo.md#x%20y) [g](.//foo.md)\n",
    );
    assert_eq!(
        hrefs(&r.html.as_str()),
        [
            "/guide/essays/foo/",
            "/guide/essays/foo/#bar",
            "/guide/about/",
            "/guide/essays/deep/bar/",
            "/guide/essays/",
            "/guide/essays/foo/#x%20y",
            "/guide/essays/foo/",
        ]
    );
    let recorded: Vec<_> = r
        .links
        .iter()
        .map(|l| (l.target.as_deref().unwrap(), Some(l.fragment.as_str())))
        .collect();
    assert_eq!(
        recorded,
        [
            ("essays/foo.md", Some("bar")),
            ("essays/foo.md", Some("x y")),
        ]
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn links_from_the_content_root_and_from_deep_folders() {
    let r = render_in("", "[a](essays/foo.md) [b](./about.md)\n", &NoFences);
    assert_eq!(
        hrefs(&r.html.as_str()),
        ["/guide/essays/foo/", "/guide/about/"]
    );
    let r = render_in("essays/deep", "[a](../../guide/start.md#go)\n", &NoFences);
    assert_eq!(hrefs(&r.html.as_str()), ["/guide/guide/start/#go"]);
}

#[test]
fn same_page_fragments_are_recorded_not_changed() {
    let r = render_body("Text\n\nJump [there](#the-end) or [top](#).\n");
    assert_eq!(hrefs(&r.html.as_str()), ["#the-end", "#"]);
    assert_eq!(r.links.len(), 1);
    let link = &r.links[0];
    assert_eq!(
        (link.target.as_deref(), Some(link.fragment.as_str())),
        (None, Some("the-end"))
    );
    assert_eq!(
        (
            link.location.line,
            link.location.column,
            link.location.width
        ),
        (6, 14, 8)
    );
}

#[test]
fn outside_links_are_untouched() {
    let body = "[a](https://x.y/a.md) [b](mailto:me@x.y) [c](//cdn.example/x.png) \
                <https://auto.link> [f](?q=1) [g](#)\n";
    let r = render_body(body);
    assert_eq!(
        hrefs(&r.html.as_str()),
        [
            "https://x.y/a.md",
            "mailto:me@x.y",
            "//cdn.example/x.png",
            "https://auto.link",
            "?q=1",
            "#"
        ]
    );
    assert!(r.links.is_empty() && r.diagnostics.is_empty());
}

#[test]
fn root_absolute_links_go_under_the_base_path() {
    let body = "[a](/essays/foo/) [b](/essays/foo.md#x) [c](/images/a.png?v=2) [d](/rss.xml) \
                [e](/)\n";
    let r = render_body(body);
    assert_eq!(
        hrefs(&r.html.as_str()),
        [
            "/guide/essays/foo/",
            "/guide/essays/foo/#x",
            "/guide/images/a.png?v=2",
            "/guide/rss.xml",
            "/guide/",
        ]
    );
    let recorded: Vec<_> = r
        .links
        .iter()
        .map(|l| (l.target.as_deref().unwrap(), Some(l.fragment.as_str())))
        .collect();
    assert_eq!(recorded, [("essays/foo.md", Some("x")),]);
    assert!(r.diagnostics.is_empty(), "{:?}", messages(&r));
}

#[test]
fn relative_links_find_files_then_site_paths() {
    // From `content/essays/a.md`, published at `/essays/a/`.
    let body = "[a](pic.png) [b](../img/chart.png#top) [c](../foo/) [d](../../about/) \
                [e](my%20pic.png) [f](..)\n";
    let r = render_body(body);
    assert_eq!(
        hrefs(&r.html.as_str()),
        [
            "/guide/essays/pic.png",
            "/guide/img/chart.png#top",
            "/guide/essays/foo/",
            "/guide/about/",
            "/guide/essays/my%20pic.png",
            "/guide/essays/",
        ]
    );
    assert!(r.diagnostics.is_empty(), "{:?}", messages(&r));
}

#[test]
fn local_links_and_images_that_lead_nowhere_are_located_errors() {
    let body = "[a](/nope/) ![b](missing.png) [c](/guide/essays/foo/) [d](/essay/foo/)\n\n\
                ![e](../../../../x.png)\n";
    let r = render_body(body);
    assert_eq!(
        located(&r),
        [
            "broken link to `/nope/`: nothing in the site at `/nope/` @ 4:5",
            "missing image `missing.png`: no such file @ 4:18",
            "broken link to `/guide/essays/foo/`: the base path is added for you @ 4:35",
            "broken link to `/essay/foo/`: nothing in the site at `/essay/foo/` @ 4:59",
            "missing image `../../../../x.png`: it points outside the site @ 6:6",
        ]
    );
    let base = &r.diagnostics[2];
    assert!(
        format!("{base:?}").contains("write `/essays/foo/`"),
        "{base:?}"
    );
    let hint = &r.diagnostics[3];
    assert!(
        format!("{hint:?}").contains("did you mean `/essays/foo/`?"),
        "{hint:?}"
    );
}

#[test]
fn raw_html_urls_are_resolved_and_checked_like_markdown() {
    let body = "<img src=\"pic.png\" alt=\"x\"> <a href='/essays/foo/#bar'>a</a>\n\n\
                <p>Text mentioning src=nothing.png stays.</p>\n\n\
                <img srcset=\"pic.png 1x, gone.png 2x\" src=/images/a.png>\n";
    let r = render_body(body);
    assert!(
        r.html
            .as_str()
            .contains(r#"<img src="/guide/essays/pic.png" alt="x">"#),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html.as_str().contains("href='/guide/essays/foo/#bar'"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html.as_str().contains("src=nothing.png stays"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html
            .as_str()
            .contains(r#"srcset="/guide/essays/pic.png 1x, gone.png 2x" src=/guide/images/a.png>"#),
        "{}",
        r.html.as_str()
    );
    assert_eq!(
        located(&r),
        ["missing image `gone.png`: no such file @ 8:26"]
    );
    assert_eq!(r.links.len(), 1);
    assert_eq!(Some(r.links[0].fragment.as_str()), Some("bar"));
}

#[test]
fn unknown_target_is_a_located_error() {
    for newline in ["\n", "\r\n"] {
        let body = ["Intro", "", "See [gone](../missing.md) now.", ""].join(newline);
        let r = render_body(&body);
        assert_eq!(
            messages(&r),
            ["broken link to `../missing.md`: no such page"]
        );
        let d = &r.diagnostics[0];
        assert!(d.is_error());
        assert!(d.help.is_some());
        let loc = d.location.as_ref().unwrap();
        assert_eq!(loc.file, Path::new("content/essays/a.md"));
        assert_eq!(
            (loc.line, loc.column, loc.width),
            (6, 12, 13),
            "newline {newline:?}"
        );
        assert_eq!(loc.line_text, "See [gone](../missing.md) now.");
        assert!(
            r.links.is_empty(),
            "a link to no page is reported, not recorded"
        );
        // The rendered diagnostic reads like the spec's example.
        let text = d.render(false);
        assert!(text.contains("--> content/essays/a.md:6:12"), "{text}");
    }
}

#[test]
fn fragment_is_not_part_of_the_broken_path() {
    let r = render_body("[x](nope.md#part)\n");
    assert_eq!(messages(&r), ["broken link to `nope.md`: no such page"]);
    assert_eq!(r.diagnostics[0].location.as_ref().unwrap().width, 7);
}

#[test]
fn escaping_the_content_root_is_an_error() {
    let r = render_body("[x](../../etc/passwd.md)\n");
    assert_eq!(
        messages(&r),
        ["broken link to `../../etc/passwd.md`: it points outside the site"]
    );
    let loc = r.diagnostics[0].location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (4, 5));
    assert!(r.html.as_str().contains("href=\"../../etc/passwd.md\""));
}

#[test]
fn reference_links_are_located_at_their_definition() {
    let r = render_body("Read [this][r] and [that][ok].\n\n[r]: ./gone.md \"T\"\n[ok]: foo.md#y\n");
    assert_eq!(
        hrefs(&r.html.as_str()),
        ["./gone.md", "/guide/essays/foo/#y"]
    );
    let loc = r.diagnostics[0].location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column, loc.width), (6, 6, 9));
    let loc = &r.links[0].location;
    assert_eq!(
        (loc.line, loc.column, loc.width),
        (7, 7, 8),
        "path and fragment"
    );
}

#[test]
fn destination_repeated_in_link_text_is_located_in_the_destination() {
    let r = render_body("[gone.md](gone.md)\n");
    let loc = r.diagnostics[0].location.as_ref().unwrap();
    assert_eq!(loc.column, 11);
}

#[test]
fn percent_encoded_paths_are_decoded_for_lookup() {
    struct Spaces;
    impl LinkResolver for Spaces {
        fn page_url(&self, path: &str) -> Option<String> {
            (path == "my notes.md").then(|| "/my-notes/".to_string())
        }
    }
    let source = "[n](my%20notes.md)\n";
    let r = render(&MarkdownInput {
        file: Path::new("content/x.md"),
        source,
        body_offset: 0,
        page_dir: "",
        page_path: "/a/",
        links: &Spaces,
        fences: &NoFences,
        components: &crate::markdown::NoComponents,
        highlighting: super::highlighting(),
    });
    assert_eq!(hrefs(&r.html.as_str()), ["/my-notes/"]);
}

/// Regression: `<someone@example.org>` was read as a relative path and reported broken.
#[test]
fn email_autolinks_are_mail_links_not_paths() {
    let r = render_body("Write to <council@example.org> or <https://example.org/x>.\n");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(
        hrefs(&r.html.as_str()),
        ["mailto:council@example.org", "https://example.org/x"]
    );
}
