//! What `sheaf build` does with broken or hostile input (DESIGN.md sections 4, 5, 9).
//!
//! Each test starts from a small valid site in a temporary folder, builds it
//! once, breaks one thing and builds again. A failing build must exit 1,
//! name the problem and its exact `path:line:col`, never panic, and leave the
//! previous output byte-for-byte as it was. Some inputs are not errors (a BOM,
//! CRLF, HTML in a title) and must build, safely.
//!
//! The site is the shared `support::Site`; `GoodSite` adds the last good output to it.

use std::collections::BTreeMap;
use std::fs;

use crate::support::{self, Run, html, sheaf};

// ---------------------------------------------------------------- helpers

const CONFIG: &str = "\
title: Minimal
base_url: https://example.org/
description: A minimal valid site.
";

/// A valid site (the shared [`support::Site`]) and the output of its last good build.
struct GoodSite {
    site: support::Site,
    /// Every output file of the last good build, with its bytes.
    good_output: BTreeMap<String, Vec<u8>>,
}

impl std::ops::Deref for GoodSite {
    type Target = support::Site;

    fn deref(&self) -> &support::Site {
        &self.site
    }
}

impl GoodSite {
    /// Writes the minimal site and builds it; the build must succeed.
    fn new() -> GoodSite {
        let site = support::Site::new()
            .prefix("bad-input")
            .config(CONFIG)
            .page(
                "_index.md",
                "---\ntitle: Minimal\ndescription: Home.\n---\nHome page.\n",
            )
            .page("essays/_index.md", "---\ntitle: Essays\nsort_by: date\n---\n")
            .page(
                "essays/hello.md",
                "---\ntitle: Hello\ndate: 2025-01-01\ndescription: The first essay.\ntags: [greetings]\n---\n\
                 Hello, world.\n\n## Part two\n\nMore.\n",
            )
            .create();
        let mut good = GoodSite {
            site,
            good_output: BTreeMap::new(),
        };
        good.rebuild_good();
        good
    }

    /// Builds, requires success, and remembers the output as the good one.
    fn rebuild_good(&mut self) {
        let run = self.build(&[]);
        run.assert_success();
        self.good_output = self.output_bytes();
        assert!(
            self.good_output.contains_key("index.html"),
            "{:?}",
            self.good_output.keys()
        );
    }

    /// Builds; requires exit 1, no panic, and the previous output unchanged.
    fn build_fails(&self) -> Run {
        let run = self.build(&[]);
        run.assert_exit(1);
        self.assert_output_unchanged(&run);
        run
    }

    /// The output folder holds exactly the files of the last good build, and
    /// nothing (staging or old copies) was left beside it.
    fn assert_output_unchanged(&self, run: &Run) {
        let now = self.output_bytes();
        if now != self.good_output {
            let changed: Vec<&String> = now
                .keys()
                .chain(self.good_output.keys())
                .filter(|k| now.get(*k) != self.good_output.get(*k))
                .collect();
            panic!("the previous output changed: {changed:?}\n{run}");
        }
        let mut beside: Vec<String> = fs::read_dir(self.tmp())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        beside.sort();
        assert_eq!(beside, ["public", "site"], "left beside the output\n{run}");
    }
}

/// Reading the diagnostics of a run of sheaf.
trait Diagnostics {
    fn diagnostics(&self) -> Vec<&str>;
    fn assert_error(&self, message: &[&str], file: &str, line: usize, col: usize);
}

impl Diagnostics for Run {
    /// The rendered diagnostics, one per blank-line-separated block.
    fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .split("\n\n")
            .map(str::trim)
            .filter(|b| b.starts_with("error") || b.starts_with("warning"))
            // Not the closing `error: N problems found; nothing was written`.
            .filter(|b| !(b.contains("found; nothing was written") && b.lines().count() == 1))
            .collect()
    }

    /// One error mentions every string of `message` and is located at exactly
    /// `file:line:col` (the ` --> ` line of the caret snippet).
    fn assert_error(&self, message: &[&str], file: &str, line: usize, col: usize) {
        let location = format!("--> {file}:{line}:{col}\n");
        let found = self.diagnostics().into_iter().any(|d| {
            d.starts_with("error")
                && message.iter().all(|m| d.contains(m))
                && format!("{d}\n").contains(&location)
        });
        assert!(
            found,
            "no error mentioning {message:?} at `{file}:{line}:{col}`\n{self}"
        );
    }
}

/// Where `needle` starts in `text`, as 1-based (line, column in characters).
fn line_col(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    (line, text[line_start..at].chars().count() + 1)
}

// ---------------------------------------------------------------- front matter

#[test]
fn malformed_yaml() {
    let site = GoodSite::new();
    let text = "---\ntitle: Broken\ndate: 2025-01-02\ndescription: one: two\n---\nBody.\n";
    site.write("content/essays/broken.md", text);
    let run = site.build_fails();
    // The second `: ` is where the YAML stops making sense.
    run.assert_error(
        &["mapping values are not allowed"],
        "content/essays/broken.md",
        4,
        17,
    );
}

#[test]
fn unclosed_front_matter() {
    let site = GoodSite::new();
    site.write(
        "content/essays/open.md",
        "---\ntitle: Open\ndate: 2025-01-02\n\nBody, but the front matter never closed.\n",
    );
    let run = site.build_fails();
    run.assert_error(
        &["front matter is not closed"],
        "content/essays/open.md",
        1,
        1,
    );
}

#[test]
fn missing_title() {
    let site = GoodSite::new();
    site.write(
        "content/essays/untitled.md",
        "---\ndate: 2025-01-02\ndescription: No title here.\n---\nBody.\n",
    );
    let run = site.build_fails();
    // No line holds the missing key: the start of the front matter does.
    run.assert_error(&["missing", "`title`"], "content/essays/untitled.md", 2, 1);
}

#[test]
fn impossible_date() {
    let site = GoodSite::new();
    site.write(
        "content/essays/leap.md",
        "---\ntitle: Leap\ndate: 2025-02-30\n---\nBody.\n",
    );
    let run = site.build_fails();
    run.assert_error(
        &["invalid date", "2025-02-30"],
        "content/essays/leap.md",
        3,
        7,
    );
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let site = GoodSite::new();
    site.write(
        "content/essays/typo.md",
        "---\ntitle: Typo\ndate: 2025-01-02\ntag: [linkedin]\n---\nBody.\n",
    );
    let run = site.build_fails();
    run.assert_error(
        &["unknown front-matter key `tag`", "did you mean `tags`?"],
        "content/essays/typo.md",
        4,
        1,
    );
}

#[test]
fn duplicate_front_matter_key_is_located_at_the_repeat() {
    let site = GoodSite::new();
    let text = "---\ndate: 2025-01-02\ntitle: First\ndescription: x\ntitle: Second\n---\nBody.\n";
    site.write("content/essays/twice.md", text);
    let run = site.build_fails();
    // The second `title:` is the mistake (line 5), not the start of the map.
    run.assert_error(&["duplicate", "title"], "content/essays/twice.md", 5, 1);
    assert_eq!(run.diagnostics().len(), 1, "one mistake, one error\n{run}");
}

#[test]
fn unknown_config_key_suggests_the_right_one() {
    let site = GoodSite::new();
    site.write("config.yaml", format!("{CONFIG}descripton: typo\n"));
    let run = site.build_fails();
    run.assert_error(
        &[
            "unknown config key `descripton`",
            "did you mean `description`?",
        ],
        "config.yaml",
        4,
        1,
    );
}

#[test]
fn empty_markdown_file() {
    let site = GoodSite::new();
    site.write("content/essays/empty.md", "");
    let run = site.build_fails();
    run.assert_error(&["no front matter"], "content/essays/empty.md", 1, 1);
}

// ---------------------------------------------------------------- URLs

#[test]
fn duplicate_slug() {
    let site = GoodSite::new();
    site.write(
        "content/essays/one.md",
        "---\ntitle: One\ndate: 2025-01-02\nslug: same\n---\nBody.\n",
    );
    site.write(
        "content/essays/two.md",
        "---\ntitle: Two\ndate: 2025-01-03\nslug: same\n---\nBody.\n",
    );
    let run = site.build_fails();
    run.assert_error(
        &["/essays/same/", "content/essays/one.md"],
        "content/essays/two.md",
        4,
        1,
    );
}

#[test]
fn duplicate_url_from_a_slug_and_a_file_name() {
    let site = GoodSite::new();
    // hello.md (no slug) is /essays/hello/; this file claims the same URL.
    site.write(
        "content/essays/another.md",
        "---\ntitle: Another\ndate: 2025-01-02\nslug: hello\n---\nBody.\n",
    );
    let run = site.build_fails();
    // The `slug:` that causes the clash is the place to fix, whichever file
    // is read first.
    run.assert_error(
        &["/essays/hello/", "content/essays/hello.md"],
        "content/essays/another.md",
        4,
        1,
    );
}

#[test]
fn duplicate_url_from_file_names_differing_in_case() {
    let site = GoodSite::new();
    site.write(
        "content/essays/Foo.md",
        "---\ntitle: Upper\ndate: 2025-01-02\n---\nBody.\n",
    );
    if site.path("content/essays/foo.md").exists() {
        eprintln!("skipped: the file system is case-insensitive");
        return;
    }
    site.write(
        "content/essays/foo.md",
        "---\ntitle: Lower\ndate: 2025-01-03\n---\nBody.\n",
    );
    let run = site.build_fails();
    // Both files give /essays/foo/. The clash comes from the file name, so the
    // error points at the start of the second file (in byte order, foo.md).
    run.assert_error(
        &["/essays/foo/", "content/essays/Foo.md"],
        "content/essays/foo.md",
        1,
        1,
    );
}

#[test]
fn slug_cannot_leave_its_folder() {
    let site = GoodSite::new();
    site.write(
        "content/essays/escape.md",
        "---\ntitle: Escape\ndate: 2025-01-02\nslug: ../../x\n---\nBody.\n",
    );
    let run = site.build_fails();
    run.assert_error(
        &["invalid slug", "../../x"],
        "content/essays/escape.md",
        4,
        7,
    );
    for outside in ["x", "site/x", "public/x"] {
        assert!(!site.tmp().join(outside).exists(), "{outside} was created");
    }
}

// ---------------------------------------------------------------- links

#[test]
fn broken_relative_markdown_link() {
    let site = GoodSite::new();
    let text = "---\ntitle: Linker\ndate: 2025-01-02\n---\nIntro.\n\nSee [the gone page](missing.md) for more.\n";
    site.write("content/essays/linker.md", text);
    let run = site.build_fails();
    // Located at the link's destination, inside the parentheses.
    let (line, col) = line_col(text, "missing.md");
    assert_eq!((line, col), (7, 21));
    run.assert_error(
        &["broken link", "missing.md"],
        "content/essays/linker.md",
        line,
        col,
    );
}

#[test]
fn broken_anchor_to_another_page() {
    let site = GoodSite::new();
    let text = "---\ntitle: Anchors\ndate: 2025-01-02\n---\nA [good one](hello.md#part-two).\n\nA [bad one](hello.md#no-such-part).\n";
    site.write("content/essays/anchors.md", text);
    let run = site.build_fails();
    let (line, col) = line_col(text, "hello.md#no-such-part");
    assert_eq!((line, col), (7, 13));
    run.assert_error(
        &["broken anchor", "#no-such-part"],
        "content/essays/anchors.md",
        line,
        col,
    );
    // The good anchor is not reported.
    assert!(!run.stderr.contains("#part-two`"), "{run}");
    assert_eq!(run.diagnostics().len(), 1, "{run}");
}

/// Hand-written anchors in raw HTML are link targets, from the same page and from others:
/// `id` on any element and `name` on an `<a>` (issue #20: an imported blog's
/// `[1](#longjmp-unwind)` to `<a name="longjmp-unwind">` was a false located error). A `name`
/// on anything else, and text that only mentions `id=`, define nothing.
#[test]
fn raw_html_ids_and_a_names_are_anchor_targets() {
    let site = GoodSite::new();
    let text = "---\ntitle: Hand anchors\ndate: 2025-01-02\n---\n\
                Jump [1](#longjmp-unwind), [2](#box) and [3](#Caps).\n\n\
                <a name=\"longjmp-unwind\"></a>Unwinding.\n\n\
                <div id=\"box\">A box.</div>\n\n\
                Inline <A NAME=Caps></A> too.\n\n\
                <input name=\"field\"> says id=text.\n\n\
                Not [4](#field) nor [5](#text).\n";
    site.write("content/essays/hand.md", text);
    site.write(
        "content/essays/other.md",
        "---\ntitle: Other\ndate: 2025-01-03\n---\nSee [the unwinding](hand.md#longjmp-unwind).\n",
    );
    let run = site.build_fails();
    let errors = run.diagnostics();
    assert_eq!(errors.len(), 2, "only #field and #text are broken: {run}");
    let (line, col) = line_col(text, "#field");
    run.assert_error(
        &["broken anchor", "#field"],
        "content/essays/hand.md",
        line,
        col,
    );
    let (line, col) = line_col(text, "#text");
    run.assert_error(
        &["broken anchor", "#text"],
        "content/essays/hand.md",
        line,
        col,
    );
}

// ---------------------------------------------------------------- text and encodings

#[test]
fn html_in_a_title_and_a_tag_is_escaped_everywhere() {
    let mut site = GoodSite::new();
    site.write(
        "content/essays/xss.md",
        "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2025-01-02\n\
         description: \"<script>alert(1)</script> & more\"\n\
         tags: [\"<script>alert(1)</script>\"]\n---\nBody.\n",
    );
    site.rebuild_good();
    let mut escaped_in = Vec::new();
    for (file, bytes) in &site.good_output {
        // The search index holds the title and tag as data: only Pagefind's script reads it,
        // and the theme shows it as text (tests/browser/search.test.mjs, hostile titles).
        if file.starts_with("pagefind/") {
            continue;
        }
        // JSON Feed is JSON, not HTML: the title is a JSON string that reads back as written
        // (a feed reader escapes it where it shows it).
        if file == "feed.json" {
            let feed: serde_json::Value = serde_json::from_slice(bytes).expect("feed.json is JSON");
            let items = feed["items"].as_array().cloned().unwrap_or_default();
            assert!(
                items
                    .iter()
                    .any(|i| i["title"] == "<script>alert(1)</script>"
                        && i["tags"][0] == "<script>alert(1)</script>"),
                "{feed}"
            );
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("<script>alert"),
            "{file} contains the raw script tag"
        );
        if text.contains("&lt;script&gt;alert") {
            escaped_in.push(file.clone());
        }
    }
    let pages: Vec<&String> = escaped_in.iter().filter(|f| f.ends_with(".html")).collect();
    let essay = "essays/xss/index.html".to_string();
    assert!(pages.contains(&&essay), "{escaped_in:?}");
    assert!(
        pages.contains(&&"tags/index.html".to_string()),
        "{escaped_in:?}"
    );
    assert!(
        pages
            .iter()
            .any(|f| f.starts_with("tags/") && f.as_str() != "tags/index.html"),
        "the tag's own page: {escaped_in:?}"
    );
    let html = site.read("essays/xss/index.html");
    assert!(
        html.contains("<h1>&lt;script&gt;alert(1)&lt;&#x2F;script&gt;</h1>")
            || html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"),
        "{html}"
    );
    // The tag's URL is made of safe characters only.
    for file in site.good_output.keys() {
        assert!(
            file.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b)),
            "unsafe output path {file:?}"
        );
    }
}

#[test]
fn invalid_utf8_is_located_at_the_bad_byte() {
    let site = GoodSite::new();
    site.write(
        "content/essays/bytes.md",
        b"---\ntitle: Bytes\ndate: 2025-01-02\n---\nFine.\nbad \xff here\n",
    );
    let run = site.build_fails();
    run.assert_error(&["not valid UTF-8"], "content/essays/bytes.md", 6, 5);
}

#[test]
fn utf8_bom_builds() {
    let mut site = GoodSite::new();
    site.write(
        "content/essays/bom.md",
        "\u{feff}---\ntitle: Bom\ndate: 2025-01-02\n---\nBody.\n",
    );
    site.rebuild_good();
    let html = site.read("essays/bom/index.html");
    assert!(html.contains("<h1>Bom</h1>"), "{html}");
    assert!(!html.contains('\u{feff}'), "the BOM leaked into the page");
}

#[test]
fn crlf_builds_like_lf() {
    let body = "---\ntitle: Line endings\ndate: 2025-01-02\ndescription: Same either way.\n\
                tags: [endings]\n---\nA paragraph\nthat wraps.\n\n## A heading\n\n- one\n- two\n\n\
                ```\ncode line\nsecond line\n```\n\n> quoted\n";
    let mut site = GoodSite::new();
    site.write("content/essays/endings.md", body);
    site.rebuild_good();
    let lf = site.good_output.clone();
    site.write("content/essays/endings.md", body.replace('\n', "\r\n"));
    site.rebuild_good();
    let crlf = &site.good_output;
    assert_eq!(
        lf.keys().collect::<Vec<_>>(),
        crlf.keys().collect::<Vec<_>>()
    );
    for (file, bytes) in &lf {
        assert!(
            crlf[file] == *bytes,
            "{file} differs between LF and CRLF:\n--- LF\n{}\n--- CRLF\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&crlf[file])
        );
    }
}

#[test]
fn crlf_errors_are_located_like_lf() {
    let site = GoodSite::new();
    site.write(
        "content/essays/typo.md",
        "---\r\ntitle: Typo\r\ndate: 2025-01-02\r\ntag: [x]\r\n---\r\nBody.\r\n",
    );
    let run = site.build_fails();
    run.assert_error(
        &["unknown front-matter key `tag`"],
        "content/essays/typo.md",
        4,
        1,
    );
    assert!(
        !run.stderr.contains('\r'),
        "a CR leaked into the message\n{run}"
    );
}

// ---------------------------------------------------------------- templates

#[test]
fn template_syntax_error_names_the_site_template() {
    let site = GoodSite::new();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }</h1>\n{% endblock content %}\n",
    );
    let run = site.build_fails();
    // The lone `}` that should have been `}}`.
    run.assert_error(&["template"], "templates/page.html", 3, 19);
}

// ---------------------------------------------------------------- tags

#[test]
fn tag_spellings_merge_into_one_tag() {
    let mut site = GoodSite::new();
    site.write(
        "content/essays/a.md",
        "---\ntitle: A\ndate: 2025-01-02\ntags: [Data Science]\n---\nA.\n",
    );
    site.write(
        "content/essays/b.md",
        "---\ntitle: B\ndate: 2025-01-03\ntags: [data science]\n---\nB.\n",
    );
    site.write(
        "content/essays/c.md",
        "---\ntitle: C\ndate: 2025-01-04\ntags: [\"data   Science \"]\n---\nC.\n",
    );
    site.rebuild_good();
    let tag_pages: Vec<&String> = site
        .good_output
        .keys()
        .filter(|f| f.starts_with("tags/") && f.ends_with("/index.html") && *f != "tags/index.html")
        .filter(|f| !f.contains("/page/"))
        .collect();
    assert_eq!(
        tag_pages,
        ["tags/data-science/index.html", "tags/greetings/index.html"],
        "one page for all spellings"
    );
    let page = site.read("tags/data-science/index.html");
    for essay in ["/essays/a/", "/essays/b/", "/essays/c/"] {
        assert!(
            html::link_targets(&page).iter().any(|t| t == essay),
            "{essay}: {page}"
        );
    }
}

/// Regression (found by a review): a page tagged and in the series `Café` was at
/// `/tags/cafe/` and `/series/cafe/` until a page spelled `Cafe` came; that one took both
/// URLs and the series' feed, with no word. Spellings of one slug are one tag and one
/// series now: the URLs stay, and carry both pages.
#[test]
fn adding_a_spelling_keeps_the_tag_and_series_urls() {
    let mut site = GoodSite::new();
    site.write(
        "content/essays/one.md",
        "---\ntitle: One\ndate: 2024-01-01\nseries: Café\ntags: [Café]\n---\nOne.\n",
    );
    site.rebuild_good();
    assert!(site.read("tags/cafe/index.html").contains("/essays/one/"));
    site.write(
        "content/essays/two.md",
        "---\ntitle: Two\ndate: 2024-01-02\nseries: Cafe\ntags: [Cafe]\n---\nTwo.\n",
    );
    site.rebuild_good();
    for list in [
        "tags/cafe/index.html",
        "series/cafe/index.html",
        "series/cafe/rss.xml",
    ] {
        let text = site.read(list);
        assert!(
            text.contains("/essays/one/") && text.contains("/essays/two/"),
            "{list}: {text}"
        );
    }
    let moved: Vec<&String> = site
        .good_output
        .keys()
        .filter(|f| f.contains("cafe-"))
        .collect();
    assert!(moved.is_empty(), "{moved:?}");
}

#[test]
fn similar_tags_stay_distinct() {
    let mut site = GoodSite::new();
    site.write(
        "content/essays/langs.md",
        "---\ntitle: Languages\ndate: 2025-01-02\ntags: [C, C++, \"C#\"]\n---\nBody.\n",
    );
    site.rebuild_good();
    let index = site.read("tags/index.html");
    let mut slugs = Vec::new();
    for name in ["C", "C++", "C#"] {
        // `<a href="/tags/<slug>/">NAME</a>` on the tag index.
        let url = html::parse(&index)
            .anchors
            .into_iter()
            .find(|a| a.text == name)
            .unwrap_or_else(|| panic!("{name} not on /tags/: {index}"))
            .href;
        let slug = url
            .strip_prefix("/tags/")
            .and_then(|s| s.strip_suffix('/'))
            .unwrap_or_else(|| panic!("{url}"));
        let page = site.read(&format!("tags/{slug}/index.html"));
        assert!(
            page.contains(&format!("<h1>{name}</h1>")),
            "/tags/{slug}/ is not the page of {name}"
        );
        assert!(
            site.good_output
                .contains_key(&format!("tags/{slug}/rss.xml")),
            "{slug} has no feed"
        );
        slugs.push(slug.to_string());
    }
    let mut unique = slugs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3, "colliding tag URLs: {slugs:?}");
}

// ---------------------------------------------------------------- several at once

#[test]
fn errors_in_several_files_are_reported_together() {
    let site = GoodSite::new();
    site.write(
        "content/essays/a-date.md",
        "---\ntitle: A\ndate: 2025-02-30\n---\n",
    );
    site.write(
        "content/essays/b-key.md",
        "---\ntitle: B\ndate: 2025-01-02\ntag: [x]\n---\n",
    );
    site.write(
        "content/essays/c-bytes.md",
        b"---\ntitle: C\ndate: 2025-01-02\n---\n\xfe\n",
    );
    site.write("content/essays/d-empty.md", "");
    site.write(
        "content/essays/e-dup.md",
        "---\ntitle: E\ndate: 2025-01-02\nslug: same\n---\n",
    );
    site.write(
        "content/essays/f-dup.md",
        "---\ntitle: F\ndate: 2025-01-03\nslug: same\n---\n",
    );
    site.write(
        "templates/section.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ section.title }{% endblock content %}\n",
    );
    let run = site.build_fails();
    run.assert_error(&["invalid date"], "content/essays/a-date.md", 3, 7);
    run.assert_error(&["did you mean `tags`?"], "content/essays/b-key.md", 4, 1);
    run.assert_error(&["not valid UTF-8"], "content/essays/c-bytes.md", 5, 1);
    run.assert_error(&["no front matter"], "content/essays/d-empty.md", 1, 1);
    run.assert_error(&["/essays/same/"], "content/essays/f-dup.md", 4, 1);
    run.assert_error(&["template"], "templates/section.html", 2, 37);
    assert!(run.stderr.contains("6 problems"), "{run}");
}

#[test]
fn errors_in_one_file_are_all_reported() {
    let site = GoodSite::new();
    site.write(
        "content/essays/many.md",
        "---\ntitle: Many\ndate: 2025-02-30\ntag: [x]\ndescription: fine\ndraft: maybe\n---\n",
    );
    let run = site.build_fails();
    run.assert_error(&["invalid date"], "content/essays/many.md", 3, 7);
    run.assert_error(&["did you mean `tags`?"], "content/essays/many.md", 4, 1);
    run.assert_error(&["boolean"], "content/essays/many.md", 6, 8);
    assert_eq!(run.diagnostics().len(), 3, "{run}");
}

#[test]
fn a_page_template_error_is_reported_with_other_errors() {
    // `template:` naming a missing template is found late (while rendering);
    // it must still be reported in the same run as a front-matter error.
    let site = GoodSite::new();
    site.write(
        "content/essays/a-date.md",
        "---\ntitle: A\ndate: 2025-02-30\n---\n",
    );
    site.write(
        "content/essays/b-template.md",
        "---\ntitle: B\ndate: 2025-01-02\ntemplate: nope.html\n---\n",
    );
    let run = site.build_fails();
    run.assert_error(&["invalid date"], "content/essays/a-date.md", 3, 7);
    run.assert_error(
        &["template `nope.html` does not exist"],
        "content/essays/b-template.md",
        4,
        1,
    );
}

// ---------------------------------------------------------------- the command line

/// Everything under the temporary folder (the site and its previous output).
fn snapshot_all(site: &GoodSite) -> BTreeMap<String, Vec<u8>> {
    support::snapshot_dir(site.tmp())
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = GoodSite::new();
    let before = snapshot_all(&site);
    let parent = site.tmp().to_string_lossy().into_owned();
    let root = site.root.to_string_lossy().into_owned();
    for output in [
        ".",
        "./",
        "content",
        "content/essays",
        "..",
        &parent,
        &root,
        "/",
    ] {
        let mut cmd = sheaf();
        cmd.current_dir(&site.root)
            .args(["build", "--root", ".", "--output", output]);
        let run = Run::of(&mut cmd);
        run.assert_exit(1);
        assert!(
            run.stderr.contains("refusing") && run.stderr.contains(output),
            "--output {output}: the message should say why\n{run}"
        );
        assert!(
            snapshot_all(&site) == before,
            "--output {output} changed files\n{run}"
        );
    }
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = GoodSite::new();
    let run = site.build(&["--no-such-flag"]);
    run.assert_exit(2);
    assert!(run.stderr.contains("--no-such-flag"), "{run}");
    site.assert_output_unchanged(&run);
}

/// Markdown inside worksheet YAML (result texts, explanations) gets the same `.md` link
/// rewriting and checking as page bodies: regression test for links left as `x.md`.
#[test]
fn worksheet_markdown_links_are_rewritten_and_checked() {
    let mut site = GoodSite::new();
    let sheet = |target: &str| {
        format!(
            "---\ntitle: Quiz\ndate: 2025-01-03\nworksheet:\n  id: quiz\n  version: 1\n  result:\n    by: top\n    dimensions:\n      a: {{ title: A, body: \"Read [hello]({target}).\" }}\n---\n\
             ```worksheet\n- id: q\n  type: single\n  prompt: Pick one.\n  options:\n    - {{ id: x, label: X, score: {{ a: 1 }} }}\n```\n"
        )
    };
    site.write("content/essays/quiz.md", sheet("hello.md"));
    site.rebuild_good();
    let result = std::fs::read_to_string(site.out.join("essays/quiz/result/a/index.html")).unwrap();
    assert!(result.contains(r#"href="/essays/hello/""#), "{result}");
    assert!(!result.contains(".md\""), "{result}");
    site.write("content/essays/quiz.md", sheet("gone.md"));
    let run = site.build_fails();
    run.assert_error(
        &["broken link", "gone.md", "no such page"],
        "content/essays/quiz.md",
        // Issue #14: at the link in the dimension's `body`, not at `worksheet:`.
        10,
        42,
    );
}

/// Publishing checks warn without failing the build: an image loaded over `http://`
/// (blocked on an HTTPS site) is located in the Markdown; a social image over 5 MB is
/// located at its `image:` key.
#[test]
fn publishing_problems_are_located_warnings() {
    let mut site = GoodSite::new();
    site.write(
        "content/essays/mixed.md",
        "---\ntitle: Mixed\ndate: 2025-01-02\nimage: /big.png\n---\nA picture: ![x](http://example.com/a.png)\n\nA [plain link](http://example.com/) is fine.\n",
    );
    let big = site.path("static/big.png");
    fs::create_dir_all(big.parent().unwrap()).unwrap();
    fs::File::create(&big)
        .unwrap()
        .set_len(6 * 1024 * 1024)
        .unwrap();
    let run = site.build(&[]);
    run.assert_success();
    assert!(
        run.stderr
            .contains("`http://example.com/a.png` is loaded over http://"),
        "{run}"
    );
    assert!(run.stderr.contains("content/essays/mixed.md:6:17"), "{run}");
    assert!(
        !run.stderr.contains("`http://example.com/` is loaded"),
        "{run}"
    );
    assert!(run.stderr.contains("LinkedIn shows no preview"), "{run}");
    assert!(run.stderr.contains("content/essays/mixed.md:4:1"), "{run}");
    site.rebuild_good();
}
