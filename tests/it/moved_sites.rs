//! What a site moved from another generator relies on (issue #20): a page keeps its old
//! URL (`path:`), its feed items keep their old ids (`feed_id:`), the old feed address stays
//! a feed (`feeds.copies`), and a site with known broken links can build while every one
//! is still listed (`links: { internal: warn }`).

use crate::support::{Run, Site, html, sheaf};

const CONFIG: &str = "title: Moved\nbase_url: https://example.org/blog/\n";

fn essay(title: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2020-05-01\n{extra}---\nText of {title}.\n")
}

#[test]
fn a_page_with_a_path_is_written_there_and_links_to_it_follow() {
    let site = Site::new()
        .config(CONFIG)
        .page(
            "posts/first.md",
            &essay("First", "path: /2020/05/01/first-post/\n"),
        )
        .page(
            "posts/second.md",
            "---\ntitle: Second\ndate: 2020-06-01\n---\nSee [the first](first.md).\n",
        )
        .build();
    assert!(site.exists("2020/05/01/first-post/index.html"));
    assert!(!site.exists("posts/first/index.html"));
    let second = site.read("posts/second/index.html");
    assert!(
        html::link_targets(&second).contains(&"/blog/2020/05/01/first-post/".to_string()),
        "{:?}",
        html::link_targets(&second)
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("https://example.org/blog/2020/05/01/first-post/"));
}

#[test]
fn a_path_written_without_slashes_is_a_folder_path() {
    let site = Site::new()
        .config(CONFIG)
        .page("posts/first.md", &essay("First", "path: custom/url\n"))
        .build();
    assert!(site.exists("custom/url/index.html"));
}

#[test]
fn two_pages_at_one_path_are_located_at_the_path_key() {
    let site = Site::new()
        .config(CONFIG)
        .page("posts/first.md", &essay("First", ""))
        .page("posts/other.md", &essay("Other", "path: /posts/first/\n"))
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr
            .contains("two pages have the URL `/posts/first/`")
            && run.stderr.contains("content/posts/other.md:4:1"),
        "{run}"
    );
}

#[test]
fn a_bad_path_is_located_with_a_fix() {
    for (path, says) in [
        ("/../etc/", "the segment `..`"),
        (
            "/2020/05/01/old.html",
            "aliases: [\"/2020/05/01/old.html\"]",
        ),
        ("/", "home page"),
        ("/a b/", "the segment `a b`"),
    ] {
        let site = Site::new()
            .config(CONFIG)
            .page(
                "posts/first.md",
                &essay("First", &format!("path: \"{path}\"\n")),
            )
            .create();
        let run = site.build(&[]);
        run.assert_exit(1);
        assert!(
            run.stderr.contains(says) && run.stderr.contains("content/posts/first.md:4:7"),
            "{path}: {run}"
        );
    }
}

#[test]
fn feed_items_keep_their_old_ids() {
    let old = "https://old.example.com/2020/05/01/first.html";
    let site = Site::new()
        .config(CONFIG)
        .page(
            "posts/first.md",
            &essay("First", &format!("feed_id: {old}\n")),
        )
        .page("posts/plain.md", &essay("Plain", ""))
        .build();
    let rss = rss::Channel::read_from(site.read("rss.xml").as_bytes()).expect("rss parses");
    let guids: Vec<(String, bool)> = rss
        .items()
        .iter()
        .filter_map(|i| i.guid().map(|g| (g.value().to_string(), g.is_permalink())))
        .collect();
    assert!(guids.contains(&(old.to_string(), false)), "{guids:?}");
    assert!(
        guids.contains(&("https://example.org/blog/posts/plain/".to_string(), true)),
        "{guids:?}"
    );
    let atom =
        atom_syndication::Feed::read_from(site.read("atom.xml").as_bytes()).expect("atom parses");
    assert!(atom.entries().iter().any(|e| e.id() == old));
    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let ids: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(ids.contains(&old), "{ids:?}");
}

#[test]
fn the_site_feed_is_also_written_at_old_feed_paths() {
    let site = Site::new()
        .config(&format!(
            "{CONFIG}feeds:\n  copies:\n    /feed.xml: atom\n    index.xml: rss\n    /old/feed.json: json\n"
        ))
        .page("posts/first.md", &essay("First", ""))
        .build();
    assert_eq!(site.read("feed.xml"), site.read("atom.xml"));
    assert_eq!(site.read("index.xml"), site.read("rss.xml"));
    assert_eq!(site.read("old/feed.json"), site.read("feed.json"));
}

#[test]
fn a_feed_copy_over_a_page_or_out_of_the_site_is_located() {
    let site = Site::new()
        .config(&format!(
            "{CONFIG}feeds:\n  copies:\n    /../feed.xml: atom\n    /rss.xml: rss\n"
        ))
        .page("posts/first.md", &essay("First", ""))
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr
            .contains("feeds.copies: `/../feed.xml` is not a file path")
            && run.stderr.contains("config.yaml:5:5")
            && run
                .stderr
                .contains("`/rss.xml` is already one of the site's feeds"),
        "{run}"
    );
    let clash = Site::new()
        .config(&format!(
            "{CONFIG}feeds:\n  copies:\n    /about/index.html: rss\n"
        ))
        .page("about.md", "---\ntitle: About\n---\nHi.\n")
        .create();
    let run = clash.build(&[]);
    run.assert_exit(1);
    assert!(run.stderr.contains("about/index.html"), "{run}");
}

fn broken_site(config: &str) -> Site {
    Site::new()
        .config(config)
        .page(
            "posts/first.md",
            "---\ntitle: First\ndate: 2020-05-01\n---\n\
             A [gone page](gone.md), a [gone anchor](#nowhere), ![a gone picture](gone.png) \
             and <a href=\"/no/such/\">a raw one</a>.\n",
        )
        .create()
}

fn assert_all_listed(run: &Run) {
    for (what, at) in [
        ("broken link to `gone.md`", "content/posts/first.md:5:15"),
        ("broken anchor `#nowhere`", "content/posts/first.md:5:"),
        ("missing image `gone.png`", "content/posts/first.md:5:"),
        ("broken link to `/no/such/`", "content/posts/first.md:5:"),
    ] {
        assert!(run.stderr.contains(what), "{what} not listed\n{run}");
        assert!(run.stderr.contains(at), "{what} not located at {at}\n{run}");
    }
}

#[test]
fn broken_internal_links_fail_the_build_by_default() {
    let site = broken_site(CONFIG);
    let run = site.build(&[]);
    run.assert_exit(1);
    assert_all_listed(&run);
    assert!(run.stderr.contains("error"), "{run}");
}

#[test]
fn links_internal_warn_builds_and_still_lists_every_broken_link() {
    let site = broken_site(&format!("{CONFIG}links:\n  internal: warn\n"));
    let run = site.build(&[]);
    run.assert_success();
    assert_all_listed(&run);
    assert!(
        run.stderr.contains("warning: broken link to `gone.md`"),
        "{run}"
    );
    assert!(site.exists("posts/first/index.html"));
    let run = Run::of(sheaf().arg("check").arg("--root").arg(&site.root));
    run.assert_success();
    assert_all_listed(&run);
    // Other errors still fail the build.
    site.write(
        "content/posts/second.md",
        "---\ntitle: Second\ndate: 2020-05-01\nslug: Bad Slug\n---\n",
    );
    site.build(&[]).assert_exit(1);
}

#[test]
fn links_internal_takes_only_error_or_warn() {
    let site = Site::new()
        .config(&format!("{CONFIG}links:\n  internal: ignore\n"))
        .page("posts/first.md", &essay("First", ""))
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr.contains("config.yaml:4:13") && run.stderr.contains("error"),
        "{run}"
    );
}

/// Every kind of id a page has is a link target: footnotes, explicit `{#id}`s (with
/// attributes too), raw HTML `id`/`<a name>`, a worksheet's questions, a component's
/// output, and `#top` (the top of any page, by HTML's rules).
#[test]
fn every_id_a_page_has_is_a_link_target() {
    let site = Site::new()
        .config(CONFIG)
        .page(
            "posts/first.md",
            "---\ntitle: First\ndate: 2020-05-01\n---\n\
             Links: a note[^one], [to it](#fn-one), [back](#fnref-one), [explicit](#custom), \
             [with attributes](#ex2), [raw](#raw), [named](#named), [top](#top), \
             [question](quiz.md#q-when), [its prompt](quiz.md#q-when-prompt), \
             [figure](#fig).\n\n\
             ## Heading {#custom}\n\n## Other { #ex2 .cls }\n\n\
             <div id=\"raw\"></div> <a name=\"named\"></a>\n\n\
             {% aside(title=\"Note\") %}\n<span id=\"fig\">inside</span>\n{% end %}\n\n\
             [^one]: The note.\n",
        )
        .page(
            "posts/quiz.md",
            "---\ntitle: Quiz\ndate: 2020-05-02\nworksheet:\n  id: quiz\n  version: 1\n  \
             result:\n    by: top\n    dimensions:\n      a: { title: A, body: A. }\n---\n\
             ```worksheet\n- id: when\n  type: single\n  prompt: When?\n  options:\n    \
             - { id: now, label: Now, score: { a: 1 } }\n```\n",
        )
        .create();
    let run = site.build(&[]);
    run.assert_success();
    assert!(!run.stderr.contains("broken anchor"), "{run}");
    let broken = site.build(&[]);
    broken.assert_success();
    site.edit("content/posts/first.md", "#top", "#tops");
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(run.stderr.contains("broken anchor `#tops`"), "{run}");
}

/// A moved site links to what it copied (`/talk/` for `static/talk/index.html`, a slide
/// deck) and to its old feed address, both served by the build, so neither is broken.
#[test]
fn links_to_a_copied_index_html_folder_and_to_a_feed_copy_are_found() {
    let site = Site::new()
        .config(&format!("{CONFIG}feeds:\n  copies:\n    /feed.xml: atom\n"))
        .file(
            "static/talk/index.html",
            "<!doctype html><title>Slides</title>",
        )
        .page(
            "posts/first.md",
            &essay("First", "").replace(
                "Text of First.",
                "See [the slides](/talk/) and [the feed](/feed.xml).",
            ),
        )
        .build();
    let html = site.read("posts/first/index.html");
    let targets = html::link_targets(&html);
    assert!(targets.contains(&"/blog/talk/".to_string()), "{targets:?}");
    assert!(
        targets.contains(&"/blog/feed.xml".to_string()),
        "{targets:?}"
    );
}

/// An SVG web font in `static/` (a slide deck's theme) is not a picture: no warning.
#[test]
fn an_svg_font_in_static_is_published_without_a_warning() {
    let font =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><defs><font id=\"f\"></font></defs></svg>";
    let site = Site::new()
        .config(CONFIG)
        .file("static/talk/lib/font/gothic-webfont.svg", font)
        .file("content/posts/broken.svg", font)
        .page("posts/first.md", &essay("First", ""))
        .create();
    let run = site.build(&[]);
    run.assert_success();
    assert!(!run.stderr.contains("gothic-webfont.svg"), "{run}");
    assert!(
        run.stderr
            .contains("broken.svg` cannot be read as an image"),
        "{run}"
    );
    assert_eq!(site.read("talk/lib/font/gothic-webfont.svg"), font);
}

/// Raw HTML as imported sites write it: a tag over several lines of an HTML block, single
/// quotes, no quotes, a table cell, mixed case.
#[test]
fn raw_html_ids_in_every_spelling_are_link_targets() {
    let site = Site::new()
        .config(CONFIG)
        .page(
            "posts/first.md",
            "---\ntitle: First\ndate: 2020-05-01\n---\n\
             Links: [one](#multi), [two](#inline-multi), [three](#in-table), [four](#ID-Case), \
             [five](#bare), [six](#single).\n\n\
             <div class=\"box\"\n     id=\"multi\">\ntext\n</div>\n\n\
             Inline <span\nid=\"inline-multi\">here</span> and <a id='single'></a>.\n\n\
             | a | b |\n|---|---|\n| <span id=\"in-table\">x</span> | y |\n\n\
             <section id=bare>unquoted</section>\n\n<p id=\"ID-Case\">case</p>\n",
        )
        .create();
    let run = site.build(&[]);
    run.assert_success();
    assert!(!run.stderr.contains("broken anchor"), "{run}");
}

/// A list moved too (`/posts/` is now `/blog/`): a section's `aliases` redirect to it, and
/// a bad one is located in its `_index.md`.
#[test]
fn a_section_keeps_its_old_urls_with_aliases() {
    let site = Site::new()
        .config(CONFIG)
        .page(
            "blog/_index.md",
            "---\ntitle: Blog\naliases: [/posts/, /archive.html]\n---\n",
        )
        .page("blog/first.md", &essay("First", ""))
        .build();
    for old in ["posts/index.html", "archive.html"] {
        let redirect = site.read(old);
        assert!(
            redirect.contains("https://example.org/blog/blog/"),
            "{old}: {redirect}"
        );
    }
    let bad = Site::new()
        .config(CONFIG)
        .page(
            "blog/_index.md",
            "---\ntitle: Blog\naliases:\n  - /ok/\n  - /../x/\n---\n",
        )
        .page("blog/first.md", &essay("First", "aliases: [/ok/]\n"))
        .create();
    let run = bad.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr.contains("invalid alias `/../x/`")
            && run.stderr.contains("content/blog/_index.md:5:5"),
        "{run}"
    );
    assert!(
        run.stderr.contains("alias `/ok/` is already the URL of"),
        "{run}"
    );
}

/// Hugo publishes each tag's feed at `/tags/<tag>/index.xml`: `feeds.copies` with
/// `/tags/*/index.xml: rss` writes every tag's feed there too, and a wrong one is located.
#[test]
fn every_tag_feed_is_also_written_at_an_old_name() {
    let site = Site::new()
        .config(&format!(
            "{CONFIG}feeds:\n  copies:\n    /tags/*/index.xml: rss\n"
        ))
        .page(
            "posts/first.md",
            &essay("First", "tags: [Rust, Web Dev]\n")
                .replace("Text of First.", "See [the feed](/tags/rust/index.xml)."),
        )
        .build();
    for tag in ["rust", "web-dev"] {
        assert_eq!(
            site.read(&format!("tags/{tag}/index.xml")),
            site.read(&format!("tags/{tag}/rss.xml")),
            "{tag}"
        );
    }
    assert!(!site.exists("tags/*/index.xml"));
    let bad = Site::new()
        .config(&format!(
            "{CONFIG}feeds:\n  copies:\n    /tags/*/index.xml: atom\n    /tags/*/: rss\n"
        ))
        .page("posts/first.md", &essay("First", "tags: [Rust]\n"))
        .create();
    let run = bad.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr.contains("repeats a tag's feed, which is RSS")
            && run.stderr.contains("names no file of a tag's folder"),
        "{run}"
    );
}

/// `redirects:` sends an old path no page owns (a renamed tag, a category) to where its
/// content is now; a target the site does not have, a path out of the site and a path
/// a page has are each located in `config.yaml`.
#[test]
fn config_redirects_send_old_paths_on() {
    let site = Site::new()
        .config(&format!(
            "{CONFIG}paginate_by: 1\nredirects:\n  /tags/1.0.5/: /tags/1-0-5/\n  /categories/notes: /tags/notes/\n  /page2/: /page/2/\n  /old.html: /posts/first/\n"
        ))
        .page("posts/first.md", &essay("First", "tags: [1.0.5, notes]\n"))
        .page("posts/second.md", &essay("Second", ""))
        .build();
    for (old, new) in [
        ("tags/1.0.5/index.html", "tags/1-0-5/"),
        ("categories/notes/index.html", "tags/notes/"),
        ("page2/index.html", "page/2/"),
        ("old.html", "posts/first/"),
    ] {
        let page = site.read(old);
        assert!(
            page.contains(&format!("https://example.org/blog/{new}")),
            "{old}: {page}"
        );
    }
    let bad = Site::new()
        .config(&format!(
            "{CONFIG}redirects:\n  /gone/: /nowhere/\n  /posts/first/: /\n"
        ))
        .page("posts/first.md", &essay("First", ""))
        .create();
    let run = bad.build(&[]);
    run.assert_exit(1);
    for says in [
        "the redirect `/gone/` leads to `/nowhere/`, which is not in the site",
        "config.yaml:4:",
    ] {
        assert!(run.stderr.contains(says), "{says}\n{run}");
    }
    let clash = Site::new()
        .config(&format!("{CONFIG}redirects:\n  /posts/first/: /\n"))
        .page("posts/first.md", &essay("First", ""))
        .create();
    let run = clash.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr.contains(
            "the redirect `/posts/first/` would replace the page `content/posts/first.md`"
        ) && run.stderr.contains("config.yaml:4:3"),
        "{run}"
    );
    let outside = Site::new()
        .config(&format!("{CONFIG}redirects:\n  /../x/: /\n"))
        .page("posts/first.md", &essay("First", ""))
        .create();
    let run = outside.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr
            .contains("redirects: `/../x/` is not an old site path")
            && run.stderr.contains("config.yaml:4:3"),
        "{run}"
    );
}
