//! Generated social cards in real builds: which pages get one, that each is a whole
//! 1200x627 PNG the page's meta tags point at, and that the on-disk cache spares an
//! unchanged card from being drawn again.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::support;
use crate::support::{BuiltSite, build_fixture};

const ORIGIN: &str = "https://example.github.io/guide/";

/// The worksheet test site (two worksheets with results), copied so its card cache is its
/// own.
fn worksheet_site() -> tempfile::TempDir {
    support::copy_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/site"))
}

fn build(root: &Path) -> BuiltSite {
    build_fixture(root, &["--base-url", ORIGIN])
}

/// `content` of `<meta property="…">`.
fn meta(html: &str, property: &str) -> Option<String> {
    support::html::meta(html, "property", property)
}

/// Every HTML page's `og:image`, by page.
fn images(site: &BuiltSite) -> BTreeMap<String, String> {
    site.files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .filter_map(|f| {
            let html = site.read(&f);
            meta(&html, "og:image").map(|image| (f, image))
        })
        .collect()
}

/// Decodes a PNG, returning its size.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let frame = reader.next_frame(&mut pixels).expect("whole image data");
    (frame.width, frame.height)
}

/// The summary line's "(N drawn)".
fn drawn(site: &BuiltSite) -> usize {
    let at = site
        .stdout
        .find(" drawn)")
        .unwrap_or_else(|| panic!("no card count in {:?}", site.stdout));
    let start = site.stdout[..at]
        .rfind('(')
        .expect("an opening parenthesis")
        + 1;
    site.stdout[start..at].parse().expect("a number")
}

#[test]
fn worksheets_and_results_get_their_own_decodable_cards() {
    let dir = worksheet_site();
    let site = build(dir.path());
    let images = images(&site);
    let mut generated = Vec::new();
    for (page, image) in &images {
        let is_worksheet = page.starts_with("worksheets/") && page != "worksheets/index.html";
        if !is_worksheet {
            assert_eq!(image, &format!("{ORIGIN}card.png"), "{page}");
            continue;
        }
        let rel = image
            .strip_prefix(&format!("{ORIGIN}cards/"))
            .unwrap_or_else(|| panic!("{page}: og:image {image} is not a generated card"));
        let png =
            fs::read(site.out_path(&format!("cards/{rel}"))).expect("the card is in the output");
        assert_eq!(png_size(&png), (1200, 627), "{page}: {image}");
        let html = site.read(page);
        assert_eq!(meta(&html, "og:image:width").as_deref(), Some("1200"));
        assert_eq!(meta(&html, "og:image:height").as_deref(), Some("627"));
        let alt = meta(&html, "og:image:alt").unwrap_or_default();
        let title = meta(&html, "og:title").unwrap_or_default();
        // The result page's title is "Result — Worksheet"; its card says the result.
        let shown = title.split(" — ").next().unwrap_or_default();
        assert!(
            alt.starts_with(shown),
            "{page}: alt {alt:?} does not say {shown:?}"
        );
        generated.push((page.clone(), image.clone()));
    }
    let pages: Vec<&str> = generated.iter().map(|(p, _)| p.as_str()).collect();
    assert!(
        pages.contains(&"worksheets/network-health/index.html"),
        "{pages:?}"
    );
    assert!(
        pages.iter().filter(|p| p.contains("/result/")).count() >= 4,
        "every result page has a card: {pages:?}"
    );
    let mut distinct: Vec<&str> = generated.iter().map(|(_, i)| i.as_str()).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        generated.len(),
        "each page has a card of its own"
    );
    // Nothing else is published under cards/.
    let published = site
        .files()
        .iter()
        .filter(|f| f.starts_with("cards/"))
        .count();
    assert_eq!(published, generated.len());
    assert_eq!(drawn(&site), generated.len());
}

#[test]
fn a_second_build_draws_only_changed_cards() {
    let dir = worksheet_site();
    let first = build(dir.path());
    let cache = dir.path().join(".sheaf-cache/cards");
    let stamps = |dir: &Path| -> BTreeMap<String, std::time::SystemTime> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name, e.metadata().unwrap().modified().unwrap())
            })
            .collect()
    };
    let before = stamps(&cache);
    assert_eq!(before.len(), drawn(&first), "every drawn card is cached");

    let second = build(dir.path());
    assert_eq!(drawn(&second), 0, "{}", second.stdout);
    assert_eq!(
        stamps(&cache),
        before,
        "cached cards are read, not written again"
    );
    for file in first.files().iter().filter(|f| f.starts_with("cards/")) {
        assert_eq!(
            fs::read(first.out_path(file)).unwrap(),
            fs::read(second.out_path(file)).unwrap(),
            "{file}"
        );
    }

    // A new worksheet title changes the worksheet's card and every result card (they
    // name the worksheet); the other worksheet's cards stay cached.
    let sheet = dir.path().join("content/worksheets/network-health.md");
    let text = fs::read_to_string(&sheet).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a title line")
        .to_string();
    fs::write(
        &sheet,
        text.replacen(&title, "title: Network health, again", 1),
    )
    .unwrap();
    let third = build(dir.path());
    let results = third
        .files()
        .iter()
        .filter(|f| f.starts_with("worksheets/network-health/result/"))
        .count();
    assert!(results > 0);
    assert_eq!(drawn(&third), 1 + results, "{}", third.stdout);
}

#[test]
fn cards_all_covers_essays_and_an_image_of_its_own_wins() {
    let dir = support::copy_fixture("site-basic");
    let config = dir.path().join("config.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}cards: all\n")).unwrap();
    let essay = dir.path().join("content/essays/first-light.md");
    let text = fs::read_to_string(&essay).unwrap();
    fs::write(&essay, text.replacen("---\n", "---\nimage: /own.svg\n", 1)).unwrap();
    // An SVG: published as it is (no link-preview copy), its size read from its viewBox.
    fs::create_dir_all(dir.path().join("static")).unwrap();
    fs::write(
        dir.path().join("static/own.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1200 630\"></svg>",
    )
    .unwrap();
    let site = build(dir.path());
    let images = images(&site);
    let latest = &images["essays/latest-word/index.html"];
    assert!(latest.starts_with(&format!("{ORIGIN}cards/")), "{latest}");
    let own = &images["essays/first-light/index.html"];
    assert_eq!(own, &format!("{ORIGIN}own.svg"));
    let html = site.read("essays/first-light/index.html");
    assert_eq!(meta(&html, "og:image:width").as_deref(), Some("1200"));
    // Section and tag pages keep the site card.
    assert_eq!(images["index.html"], format!("{ORIGIN}card.png"));

    // `cards: none`: no card job, no cards/ folder.
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replace("cards: all", "cards: none")).unwrap();
    let site = build(dir.path());
    assert!(!site.files().iter().any(|f| f.starts_with("cards/")));
    assert!(!site.stdout.contains("social card"), "{}", site.stdout);
}

#[test]
fn an_unwritable_card_cache_warns_and_the_site_is_complete() {
    let dir = worksheet_site();
    // A file where the cache folder should be: creating it fails, even as root.
    fs::write(dir.path().join(".sheaf-cache"), "not a folder").unwrap();
    let site = build(dir.path());
    assert!(site.stderr.contains(".sheaf-cache"), "{}", site.stderr);
    assert!(site.stderr.contains("warning"), "{}", site.stderr);
    let cards = site
        .files()
        .iter()
        .filter(|f| f.starts_with("cards/"))
        .count();
    assert!(cards > 0);
}
