//! The workbook page `/workbook/` (DESIGN §10): made when the site has a worksheet and only
//! then, listing every worksheet with what `workbook.js` needs as JSON; linked from each
//! worksheet page; in the sitemap; under the base path; a page of the author's at its URL is a
//! located error.

use std::path::Path;

use serde_json::Value;

use crate::support::Site;
use crate::support::html;
use crate::support::site::SiteBuilder;

const CONFIG: &str = "title: Guide\nbase_url: https://example.org/sub/\n";

fn worksheet(id: &str, version: u32, questions: &[&str]) -> String {
    let mut text = format!(
        "---\ntitle: Sheet {id}\ndescription: About {id}.\nworksheet:\n  id: {id}\n  version: {version}\n  result:\n    by: top\n    dimensions:\n      a: {{ title: Aye, body: A. }}\n      b: {{ title: Bee, body: B. }}\n---\nProse.\n\n```worksheet\n"
    );
    for q in questions {
        text.push_str(&format!(
            "- id: {q}\n  type: single\n  prompt: {q}?\n  options:\n    - {{ id: x, label: X, score: {{ a: 1 }} }}\n    - {{ id: y, label: Y, score: {{ b: 1 }} }}\n"
        ));
    }
    text.push_str("```\n");
    text
}

fn two_sheets() -> SiteBuilder {
    Site::new()
        .config(CONFIG)
        .page("_index.md", "---\ntitle: Home\n---\n")
        .page(
            "worksheets/_index.md",
            "---\ntitle: Worksheets\nsort_by: weight\n---\n",
        )
        .page(
            "worksheets/one.md",
            &worksheet("one", 2, &["q1", "q2", "q3"]),
        )
        .page("two.md", &worksheet("two", 1, &["only"]))
        .page("essay.md", "---\ntitle: An essay\n---\nWords.\n")
}

/// The JSON `workbook.js` reads.
fn data(page: &str) -> Value {
    let parsed = html::parse(page);
    let i = parsed
        .tags
        .iter()
        .filter(|t| t.name == "script")
        .position(|t| t.attr("id") == Some("wb-data"))
        .expect("a #wb-data script");
    // `scripts` holds every script's text in order; the inline JSON is the one with an id.
    let texts: Vec<&String> = parsed.scripts.iter().collect();
    let script_tags: Vec<_> = parsed.tags.iter().filter(|t| t.name == "script").collect();
    assert_eq!(script_tags.len(), texts.len(), "one text per script");
    serde_json::from_str(texts[i]).expect("valid JSON")
}

#[test]
fn a_site_with_worksheets_gets_a_workbook_listing_each() {
    let site = two_sheets().build();
    let page = site.read("workbook/index.html");
    let parsed = html::parse(&page);
    // Each worksheet's title links to it, with its description, question count and section.
    let links: Vec<(&str, &str)> = parsed
        .anchors
        .iter()
        .map(|a| (a.href.as_str(), a.text.as_str()))
        .collect();
    assert!(
        links.contains(&("/sub/worksheets/one/", "Sheet one")),
        "{links:?}"
    );
    assert!(links.contains(&("/sub/two/", "Sheet two")), "{links:?}");
    assert!(
        links.contains(&("/sub/worksheets/", "Worksheets")),
        "section: {links:?}"
    );
    assert!(page.contains("About one."));
    assert!(page.contains("3 questions"));
    assert!(page.contains("1 question<"));
    // Only the workbook's own script is loaded (after every page's theme.js and search.js),
    // deferred, from the fingerprinted assets.
    let scripts: Vec<&str> = parsed
        .tags
        .iter()
        .filter(|t| t.name == "script")
        .filter_map(|t| t.attr("src"))
        .collect();
    assert_eq!(scripts.len(), 3, "{scripts:?}");
    assert!(scripts[0].starts_with("/sub/theme."), "{scripts:?}");
    assert!(scripts[1].starts_with("/sub/search."), "{scripts:?}");
    assert!(scripts[2].starts_with("/sub/workbook."), "{scripts:?}");
    assert!(page.contains("workbook.") && page.contains(" defer>"));
    assert_eq!(
        html::link_rel(&page, "canonical").as_deref(),
        Some("https://example.org/sub/workbook/")
    );
}

#[test]
fn the_embedded_json_names_each_worksheet_and_its_results() {
    let site = two_sheets().build();
    let json = data(&site.read("workbook/index.html"));
    let sheets = json["worksheets"].as_array().expect("a worksheets list");
    assert_eq!(sheets.len(), 2);
    let one = sheets.iter().find(|w| w["id"] == "one").expect("one");
    assert_eq!(one["v"], 2);
    assert_eq!(one["url"], "/sub/worksheets/one/");
    assert_eq!(one["title"], "Sheet one");
    // The structure hash is the worksheet page's own (`hash` in its definition).
    let sheet_page = site.read("worksheets/one/index.html");
    let hash = one["r"].as_str().expect("r");
    assert_eq!(hash.len(), 8);
    assert!(
        sheet_page.contains(&format!("\"hash\":\"{hash}\"")),
        "{hash}"
    );
    assert_eq!(
        one["results"],
        serde_json::json!([
            { "key": "a", "title": "Aye", "url": "/sub/worksheets/one/result/a/" },
            { "key": "b", "title": "Bee", "url": "/sub/worksheets/one/result/b/" },
        ])
    );
    // Every result URL is a page the build wrote.
    for w in sheets {
        for r in w["results"].as_array().unwrap() {
            let url = r["url"].as_str().unwrap().trim_start_matches("/sub");
            assert!(site.exists(&format!("{url}index.html")), "{url}");
        }
    }
}

#[test]
fn markup_in_titles_cannot_close_the_json_script() {
    let site = Site::new()
        .config(CONFIG)
        .page(
            "w.md",
            &worksheet("w", 1, &["q"]).replace(
                "title: Sheet w",
                "title: \"</script><script>alert(1)</script> & <!--\"",
            ),
        )
        .build();
    let page = site.read("workbook/index.html");
    let json = data(&page);
    assert_eq!(
        json["worksheets"][0]["title"],
        "</script><script>alert(1)</script> & <!–" // `--`: smart punctuation, as in the body
    );
    assert!(!page.contains("<script>alert(1)"));
}

#[test]
fn worksheet_pages_link_to_the_workbook_and_essays_do_not() {
    let site = two_sheets().build();
    for rel in ["worksheets/one/index.html", "two/index.html"] {
        let hrefs = html::link_targets(&site.read(rel));
        assert!(
            hrefs.iter().any(|h| h == "/sub/workbook/"),
            "{rel}: {hrefs:?}"
        );
    }
    let essay = html::link_targets(&site.read("essay/index.html"));
    assert!(!essay.iter().any(|h| h.contains("workbook")), "{essay:?}");
}

#[test]
fn a_site_without_worksheets_has_no_workbook_and_no_link_to_one() {
    let site = Site::new()
        .config(CONFIG)
        .page("essay.md", "---\ntitle: An essay\n---\nWords.\n")
        .build();
    assert!(!site.exists("workbook/index.html"));
    assert!(!site.read("sitemap.xml").contains("workbook"));
    for file in crate::support::list_files(&site.out) {
        if file.ends_with(".html") {
            let text = site.read(&file);
            assert!(!text.contains("workbook"), "{file} names the workbook");
        }
    }
}

#[test]
fn the_sitemap_lists_the_workbook() {
    let site = two_sheets().build();
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/sub/workbook/</loc>"));
}

#[test]
fn the_workbook_follows_the_base_path() {
    for (base, path) in [
        ("https://example.org/", "/"),
        ("https://example.org/deep/er/", "/deep/er/"),
    ] {
        let site = two_sheets()
            .config(&format!("title: Guide\nbase_url: {base}\n"))
            .build();
        let page = site.read("workbook/index.html");
        let json = data(&page);
        let two = json["worksheets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["id"] == "two");
        assert_eq!(two.unwrap()["url"], format!("{path}two/"));
        let sheet = html::link_targets(&site.read("two/index.html"));
        assert!(sheet.contains(&format!("{path}workbook/")), "{sheet:?}");
        for href in html::link_targets(&page) {
            if !href.starts_with("https://") && !href.starts_with('#') {
                assert!(href.starts_with(path), "{href} outside {path}");
            }
        }
    }
}

#[test]
fn an_authors_page_at_the_workbook_url_is_a_located_error() {
    let site = two_sheets()
        .page("workbook.md", "---\ntitle: My workbook\n---\nMine.\n")
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    let err = format!("{}{}", run.stdout, run.stderr);
    assert!(err.contains("content/workbook.md"), "{err}");
    assert!(err.contains("workbook/index.html"), "{err}");
    assert!(err.contains("the workbook page"), "{err}");
    assert!(err.contains("slug"), "the help says how to move it: {err}");
    // A section there too.
    let site = two_sheets()
        .page("workbook/_index.md", "---\ntitle: Workbooks\n---\n")
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    let err = format!("{}{}", run.stdout, run.stderr);
    assert!(err.contains("content/workbook/_index.md"), "{err}");
}

#[test]
fn without_worksheets_the_url_is_the_authors() {
    let site = Site::new()
        .config(CONFIG)
        .page("workbook.md", "---\ntitle: My workbook\n---\nMine.\n")
        .build();
    assert!(site.read("workbook/index.html").contains("Mine."));
}

#[test]
fn the_guide_has_a_workbook_of_its_worksheets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::at(root);
    site.build_ok(&["--base-url", "https://example.org/guide/"]);
    let json = data(&site.read("workbook/index.html"));
    let sheets = json["worksheets"].as_array().unwrap();
    assert!(!sheets.is_empty());
    for w in sheets {
        let url = w["url"].as_str().unwrap();
        let rel = url.trim_start_matches("/guide");
        let page = site.read(&format!("{rel}index.html"));
        assert!(page.contains(&format!("\"id\":\"{}\"", w["id"].as_str().unwrap())));
    }
}

/// The page as a whole, so a change to its markup (which `workbook.js` and the browser
/// tests rely on) is seen in review.
#[test]
fn the_workbook_page_snapshot() {
    let site = two_sheets().build();
    let page = site.read("workbook/index.html");
    let start = page.find("<main").expect("a <main>");
    let end = page.find("</main>").expect("a </main>") + "</main>".len();
    insta::assert_snapshot!("workbook_main", &page[start..end]);
}

/// What a rebuild after editing `from` to `to` in the browser tests' `network-health`
/// worksheet lists as changed, on a session that reuses work or not.
fn changed_after_edit(from: &str, to: &str, reuse: bool) -> Vec<String> {
    use sheaf::{BuildOptions, Changes, Session};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/site");
    let site = Site::copy_of(&root).create();
    let session = Session::new(BuildOptions {
        root: site.root.clone(),
        output: site.out.clone(),
        drafts: true,
        future: false,
        base_url: None,
        preview: true,
    });
    let mut session = if reuse {
        session
    } else {
        session.without_reuse()
    };
    assert!(session.rebuild(&Changes::All).is_ok());
    let rel = "content/worksheets/network-health.md";
    site.edit(rel, from, to);
    match session.rebuild(&Changes::Paths(vec![site.path(rel)])) {
        Ok(rebuilt) => rebuilt.changed,
        Err(_) => panic!("the edited site does not build"),
    }
}

#[test]
fn a_prose_edit_leaves_the_workbook_be_and_a_new_question_re_renders_it() {
    const PAGE: &str = "worksheets/network-health/index.html";
    const WORKBOOK: &str = "workbook/index.html";
    let prose = ("```worksheet\n", "Some new prose.\n\n```worksheet\n");
    let changed = changed_after_edit(prose.0, prose.1, true);
    assert!(changed.iter().any(|p| p == PAGE), "{changed:?}");
    assert!(!changed.iter().any(|p| p == WORKBOOK), "{changed:?}");
    // The check can fail: without reuse the same edit re-renders the workbook.
    let changed = changed_after_edit(prose.0, prose.1, false);
    assert!(changed.iter().any(|p| p == WORKBOOK), "{changed:?}");
    let question = (
        "```worksheet\n",
        "```worksheet\n- id: added\n  type: text\n  prompt: New?\n",
    );
    let changed = changed_after_edit(question.0, question.1, true);
    assert!(changed.iter().any(|p| p == WORKBOOK), "{changed:?}");
}
