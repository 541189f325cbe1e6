//! Site search (issue #17, DESIGN §10): what `sheaf build` puts into Pagefind's index, read
//! back from the bundle's own files (each page's fragment is gzipped JSON: url, content,
//! meta, filters), and the settings around it: `search:` in config.yaml, `search: false` in
//! front matter, the `/search/` page, the page policy, a failed build keeping the old index.
//! Queries in a real browser are in tests/browser/search.test.mjs.

use std::collections::BTreeMap;
use std::io::Read;

use serde_json::Value;

use crate::support::Site;
use crate::support::site::SiteBuilder;

const CONFIG: &str = "title: Guide\nbase_url: https://example.org/sub/\n";

fn guide() -> SiteBuilder {
    Site::new()
        .prefix("search")
        .config(CONFIG)
        .page("_index.md", "---\ntitle: Home\ndescription: A promise.\n---\nWelcome home.\n")
        .page("essays/_index.md", "---\ntitle: Essays\nsort_by: weight\n---\nEvery essay.\n")
        .page(
            "essays/algorithms.md",
            "---\ntitle: What the algorithm rewards\ndate: 2025-03-04\ndescription: Feeds and their incentives.\ntags: [Feeds, Habits]\naliases: [/old-algorithms/]\n---\nThe algorithm rewards posting often.\n\n## Incentives\n\nEngagement is a proxy.\n",
        )
        .page(
            "essays/private.md",
            "---\ntitle: Kept out\nsearch: false\n---\nThis zucchini paragraph must never be found.\n",
        )
        .page(
            "docs/setup.md",
            "---\ntitle: Setting up\n---\nInstall the binary with the installer.\n",
        )
        .page(
            "worksheets/audit.md",
            "---\ntitle: The audit\nworksheet:\n  id: audit\n  version: 1\n  result:\n    by: top\n    dimensions:\n      quiet: { title: Quiet type, body: You write rarely but deeply. }\n      loud: { title: Loud type, body: You broadcast to everyone. }\n---\nSome prose.\n\n```worksheet\n- id: last\n  type: single\n  prompt: When did you last write a personal letter?\n  options:\n    - { id: week, label: Within a fortnight, score: { quiet: 1 } }\n    - { id: never, label: Cannot remember, score: { loud: 1 } }\n```\n",
        )
}

/// The index's pages by URL: each fragment's JSON (Pagefind writes them gzipped, after a
/// `pagefind_dcd` signature).
fn fragments(site: &Site) -> BTreeMap<String, Value> {
    let mut pages = BTreeMap::new();
    for file in site.files() {
        if !(file.starts_with("pagefind/fragment/") && file.ends_with(".pf_fragment")) {
            continue;
        }
        let bytes = std::fs::read(site.out_path(&file)).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{file} is not gzipped text: {e}"));
        let json = text
            .strip_prefix("pagefind_dcd")
            .unwrap_or_else(|| panic!("{file} lacks Pagefind's signature"));
        let value: Value = serde_json::from_str(json).unwrap();
        pages.insert(value["url"].as_str().unwrap().to_string(), value);
    }
    pages
}

#[test]
fn essays_docs_and_worksheets_are_indexed_and_nothing_else() {
    let site = guide().build();
    let pages = fragments(&site);
    let urls: Vec<&str> = pages.keys().map(String::as_str).collect();
    // Site-relative URLs: the browser adds the base path from where pagefind.js was loaded.
    assert_eq!(
        urls,
        ["/docs/setup/", "/essays/algorithms/", "/worksheets/audit/"],
        "not the home page, lists, tags, aliases, result pages, 404, workbook, search page, \
         nor the `search: false` page"
    );
    let entry: Value = serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    assert_eq!(entry["languages"]["en"]["page_count"], 3, "{entry}");
}

#[test]
fn a_page_carries_its_metadata_and_tags_and_only_its_article() {
    let site = guide().build();
    let pages = fragments(&site);
    let essay = &pages["/essays/algorithms/"];
    assert_eq!(essay["meta"]["title"], "What the algorithm rewards");
    assert_eq!(essay["meta"]["description"], "Feeds and their incentives.");
    assert_eq!(essay["meta"]["date"], "2025-03-04");
    assert_eq!(
        essay["filters"]["tag"],
        serde_json::json!(["Feeds", "Habits"])
    );
    let content = essay["content"].as_str().unwrap();
    assert!(
        content.contains("The algorithm rewards posting often."),
        "{content}"
    );
    assert!(content.contains("Engagement is a proxy."), "{content}");
    // Not the site's navigation, footer, share row or meta line.
    for noise in ["Skip to content", "LinkedIn", "Share", "min read", "Essays"] {
        assert!(!content.contains(noise), "{noise:?} indexed: {content}");
    }
    // Headings become sub-results (they have ids).
    let anchors = essay["anchors"].as_array().unwrap();
    assert!(
        anchors.iter().any(|a| a["id"] == "incentives"),
        "{anchors:?}"
    );
}

#[test]
fn a_worksheets_prompts_options_and_result_texts_are_indexed() {
    let site = guide().build();
    let pages = fragments(&site);
    let sheet = pages["/worksheets/audit/"]["content"].as_str().unwrap();
    for text in [
        "When did you last write a personal letter?",
        "Within a fortnight",
        "Quiet type",
        "You write rarely but deeply.",
        "You broadcast to everyone.",
    ] {
        assert!(sheet.contains(text), "{text:?} missing: {sheet}");
    }
    for noise in [
        "Make it mine",
        "Copy link",
        "Share my result",
        "Your result",
    ] {
        assert!(!sheet.contains(noise), "{noise:?} indexed: {sheet}");
    }
}

#[test]
fn search_false_keeps_a_page_out_of_every_index_file() {
    let site = guide().build();
    // The page is published…
    assert!(site.read("essays/private/index.html").contains("zucchini"));
    // …but no index file holds its words or URL (fragments, word index, filters, meta).
    for file in site.files().iter().filter(|f| f.starts_with("pagefind/")) {
        let bytes = std::fs::read(site.out_path(file)).unwrap();
        let mut text = Vec::new();
        let plain = match flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut text) {
            Ok(_) => text,
            Err(_) => bytes,
        };
        let plain = String::from_utf8_lossy(&plain);
        assert!(
            !plain.contains("zucchini"),
            "{file} holds the words of a search: false page"
        );
        assert!(!plain.contains("/essays/private/"), "{file} holds its URL");
    }
}

#[test]
fn pages_get_the_search_page_the_bundle_and_a_policy_that_lets_it_run() {
    let site = guide().build();
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(site.exists(file), "{file} missing: {:#?}", site.files());
    }
    // Pagefind's own interfaces are left out: the theme draws its own.
    assert!(
        !site
            .files()
            .iter()
            .any(|f| f.contains("pagefind-ui") || f.contains("component-ui"))
    );
    let search = site.read("search/index.html");
    assert!(search.contains("<title>Search"), "{search}");
    let essay = site.read("essays/algorithms/index.html");
    assert!(
        essay.contains("script-src &#39;self&#39; &#39;wasm-unsafe-eval&#39;")
            || essay.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "the policy must let Pagefind compile its WebAssembly"
    );
    assert!(
        essay.contains("data-pagefind-body"),
        "the article is what is indexed"
    );
    let private = site.read("essays/private/index.html");
    assert!(
        !private.contains("data-pagefind-body"),
        "search: false is not marked for the index"
    );
    // Not listed in the sitemap: a search page has nothing of its own to find.
    assert!(!site.read("sitemap.xml").contains("/search/"));
}

#[test]
fn search_can_be_turned_off_and_then_nothing_of_it_is_made() {
    let site = guide()
        .config(&format!("{CONFIG}search:\n  enabled: false\n"))
        .build();
    assert!(
        !site.files().iter().any(|f| f.starts_with("pagefind/")),
        "{:#?}",
        site.files()
    );
    assert!(!site.exists("search/index.html"));
    let essay = site.read("essays/algorithms/index.html");
    assert!(
        !essay.contains("wasm-unsafe-eval"),
        "no wasm allowance without search"
    );
    assert!(
        !essay.contains("data-pagefind-body"),
        "nothing marked for an index"
    );
}

#[test]
fn unknown_search_keys_and_a_policy_that_blocks_search_are_located_errors() {
    let site = guide()
        .config(&format!("{CONFIG}search:\n  enabld: false\n"))
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(run.stderr.contains("config.yaml:4:"), "{run}");
    assert!(run.stderr.contains("enabld"), "{run}");

    let site = guide()
        .config(&format!("{CONFIG}csp: \"default-src 'self'\"\n"))
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(run.stderr.contains("config.yaml:3:"), "{run}");
    assert!(run.stderr.contains("blocks search"), "{run}");
    assert!(
        run.stderr.contains("wasm-unsafe-eval"),
        "the fix is named: {run}"
    );

    // A policy of the author's that allows it, or no policy, or search off: fine.
    for extra in [
        "csp: \"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'\"\n",
        "csp: false\n",
        "csp: \"default-src 'self'\"\nsearch: { enabled: false }\n",
    ] {
        guide().config(&format!("{CONFIG}{extra}")).build();
    }
}

#[test]
fn a_page_of_the_authors_at_the_search_address_is_a_located_error() {
    let site = guide()
        .page("search.md", "---\ntitle: My search\n---\nMine.\n")
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(run.stderr.contains("content/search.md"), "{run}");
}

#[test]
fn a_failed_build_leaves_the_old_site_and_its_index_together() {
    let site = guide().build();
    let before = site.output_bytes();
    assert!(before.keys().any(|k| k.starts_with("pagefind/")));
    site.write("content/essays/broken.md", "---\ntitle: [unclosed\n---\n");
    site.build(&[]).assert_exit(1);
    assert_eq!(
        site.output_bytes(),
        before,
        "the old site and index are untouched"
    );
}

/// Regression: the tags on the cards a page shows of other pages (related reading, series,
/// lists) were filters too, so the essay below matched `Habits` through its neighbour's card
/// and the tag filter on /search/ counted pages that did not have the tag.
#[test]
fn a_page_is_filtered_by_its_own_tags_only_not_those_of_the_cards_it_shows() {
    let site = guide()
        .page(
            "essays/neighbour.md",
            "---\ntitle: A neighbour\ndate: 2025-03-05\ntags: [Feeds]\n---\nA page that shares a tag.\n",
        )
        .build();
    let html = site.read("essays/neighbour/index.html");
    assert!(
        html.contains("/essays/algorithms/"),
        "the neighbour shows the tagged essay's card: {html}"
    );
    let pages = fragments(&site);
    assert_eq!(
        pages["/essays/neighbour/"]["filters"]["tag"],
        serde_json::json!(["Feeds"])
    );
    assert_eq!(
        pages["/essays/algorithms/"]["filters"]["tag"],
        serde_json::json!(["Feeds", "Habits"])
    );
}
