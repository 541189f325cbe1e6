//! End-to-end builds of `tests/fixtures/site-basic` with the real `sheaf` binary
//! (DESIGN.md sections 1-5): which files a build writes, what drafts, future
//! pages, sorting, tags and base paths do to them, the metadata of every page,
//! `sheaf init` / `sheaf new`, and rebuilding over a previous output.
//!
//! The fixture: a home page; `essays/` sorted by date with three dated, tagged
//! essays (one with an alias and a picture), a draft and a future-dated essay;
//! `guides/` sorted by weight (weights disagree with alphabetical order); an
//! about page; a content image; `static/` files; and a site `templates/`
//! override of the theme's footer partial.
//!
//! The site, the runner and the HTML reading are the shared ones in `support/`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::support::html::{self, link_rel, link_targets, meta, title};
use crate::support::{Run, Site, list_files, sheaf};

const FIXTURE: &str = "site-basic";
const ORIGIN: &str = "https://example.org/";
const GUIDE_BASE: &str = "https://example.github.io/guide/";

/// The published essays, newest first: (slug, title).
const ESSAYS: [(&str, &str); 3] = [
    ("latest-word", "The latest word"),
    ("middle-ground", "Middle ground"),
    ("first-light", "First light"),
];

// ---------------------------------------------------------------- helpers

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `style.29e32c94.css` → `style.<hash>.css`; `None` when the name has no
/// 8-hex-digit fingerprint before a `.css`/`.js` extension.
fn unfingerprint(path: &str) -> Option<String> {
    let (rest, ext) = path.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    let is_hash = hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    (is_hash && matches!(ext, "css" | "js")).then(|| format!("{stem}.<hash>.{ext}"))
}

/// The `<main ...>...</main>` element of a page, tags included.
fn main_element(html: &str) -> &str {
    let start = html.find("<main").expect("the page has a <main> element");
    let end = html[start..]
        .find("</main>")
        .map(|i| start + i + "</main>".len())
        .expect("<main> is closed");
    &html[start..end]
}

/// The attributes of every `<name ...>` start tag (html5gum; values decoded).
fn start_tags(html: &str, name: &str) -> Vec<BTreeMap<String, String>> {
    html::parse(html)
        .tags_named(name)
        .map(|t| t.attrs.clone())
        .collect()
}

/// `href` of the `<a rel="prev">` / `<a rel="next">` link of a page.
fn pager(html: &str, rel: &str) -> Option<String> {
    let found: Vec<String> = start_tags(main_element(html), "a")
        .into_iter()
        .filter(|a| a.get("rel").map(String::as_str) == Some(rel))
        .filter_map(|a| a.get("href").cloned())
        .collect();
    assert!(found.len() <= 1, "several rel={rel} links: {found:?}");
    found.into_iter().next()
}

/// The site path of an output file: `essays/foo/index.html` → `/essays/foo/`.
fn page_path(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{file}"),
    }
}

/// Resolves `target` (relative, root-relative or `#fragment`) against the site
/// path `from` (a site with base path `/`): the site path and fragment it
/// points to, or `None` for links out of the site.
fn resolve(from: &str, target: &str) -> Option<(String, Option<String>)> {
    if target.starts_with("//")
        || target.contains("://")
        || target.starts_with("mailto:")
        || target.starts_with("data:")
    {
        return None;
    }
    let (before_fragment, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (target, None),
    };
    let path_part = before_fragment.split('?').next().unwrap_or_default();
    let joined = if path_part.is_empty() {
        from.to_string()
    } else if path_part.starts_with('/') {
        path_part.to_string()
    } else {
        let dir = &from[..from.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{path_part}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if joined.ends_with('/') && path != "/" {
        path.push('/');
    }
    Some((path, fragment))
}

/// Output file a site path is served from: `/a/` → `a/index.html`.
fn served_file(site_path: &str) -> String {
    let rel = site_path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// Where the first `<a href="{href}">` comes among the links of `html`.
fn position(html: &str, href: &str) -> usize {
    html::parse(html)
        .link_position(href)
        .unwrap_or_else(|| panic!("no link to `{href}` in:\n{html}"))
}

/// The text of the tag index's `<li>` that links to `tag_url`.
fn tag_index_entry(index: &str, tag_url: &str) -> String {
    html::parse(index)
        .items
        .into_iter()
        .find(|item| item.hrefs.iter().any(|h| h == tag_url))
        .unwrap_or_else(|| panic!("no <li> links to {tag_url} in:\n{index}"))
        .text
}

// ---------------------------------------------------------------- output files

#[test]
fn output_file_list() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let files = site.files();
    // Pagefind names its index files by content hash: one line per kind, with a count
    // (tests/it/search.rs reads what they hold).
    let mut normalised: Vec<String> = files
        .iter()
        .map(|f| unfingerprint(f).unwrap_or_else(|| f.clone()))
        .map(|f| match f.rsplit_once('/') {
            Some((dir, _)) if dir.starts_with("pagefind/") => format!("{dir}/…"),
            _ if f.ends_with(".pf_meta") => "pagefind/pagefind.<hash>.pf_meta".into(),
            _ => f,
        })
        .collect();
    normalised.dedup_by(|a, b| a == b && a.ends_with('…'));
    for asset in ["style.<hash>.css", "syntax.<hash>.css"] {
        assert!(
            normalised.iter().any(|f| f == asset),
            "no fingerprinted {asset} (8 hex digits) in {files:#?}"
        );
    }
    insta::assert_snapshot!("site_basic_files", normalised.join("\n"));
}

#[test]
fn fingerprinted_assets_are_linked_and_stable() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let home = site.read("index.html");
    let stylesheets: Vec<String> = start_tags(&home, "link")
        .into_iter()
        .filter(|l| l.get("rel").map(String::as_str) == Some("stylesheet"))
        .filter_map(|l| l.get("href").cloned())
        .collect();
    for name in ["style", "syntax"] {
        let file = site
            .files()
            .into_iter()
            .find(|f| unfingerprint(f).as_deref() == Some(&format!("{name}.<hash>.css")))
            .unwrap_or_else(|| panic!("no fingerprinted {name}.css: {:#?}", site.files()));
        assert!(
            stylesheets.contains(&format!("/{file}")),
            "index.html does not link /{file}: {stylesheets:?}"
        );
    }
    // Same input, same names: a rebuild must not invalidate caches.
    let first = site.files();
    site.build_ok(&[]);
    assert_eq!(first, site.files(), "a rebuild renamed assets");
}

#[test]
fn content_image_is_copied_beside_its_page() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    assert_eq!(
        fs::read(site.out_path("essays/pic.png")).expect("essays/pic.png in the output"),
        fs::read(site.root.join("content/essays/pic.png")).unwrap(),
        "the content image is copied byte for byte"
    );
}

#[test]
fn content_image_link_resolves_on_the_site() {
    // first-light.md says `![a picture](pic.png)`: on GitHub that is
    // content/essays/pic.png. On the site the page is /essays/first-light/, so
    // the image must still resolve to a file of the output.
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let html = site.read("essays/first-light/index.html");
    let srcs: Vec<String> = start_tags(main_element(&html), "img")
        .into_iter()
        .filter_map(|img| img.get("src").cloned())
        .collect();
    assert_eq!(srcs.len(), 1, "{srcs:?}");
    let (path, _) = resolve("/essays/first-light/", &srcs[0]).expect("internal image");
    assert!(
        site.exists(&served_file(&path)),
        "<img src=\"{}\"> on /essays/first-light/ resolves to {path}, which is not in the output; \
         the image is at /essays/pic.png",
        srcs[0]
    );
}

#[test]
fn static_files_are_copied_to_the_output_root() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    for name in ["hello.txt", "favicon.ico"] {
        let Ok(copied) = fs::read(site.out_path(name)) else {
            panic!(
                "static/{name} is not copied to the output root (DESIGN section 1); output: {:#?}",
                site.files()
            );
        };
        let original = fs::read(site.root.join("static").join(name)).unwrap();
        assert!(copied == original, "static/{name} changed on the way");
    }
}

#[test]
fn site_templates_override_the_theme() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    for (file, html) in site.html_files() {
        if html.contains("http-equiv=\"refresh\"") {
            continue; // alias redirect pages have no footer
        }
        assert!(
            html.contains("data-override=\"site-basic\"") && html.contains("Fixture footer note: "),
            "{file} does not use templates/partials/footer.html"
        );
        assert!(
            !html.contains("Built with sheaf."),
            "{file} still has the theme's footer"
        );
    }
}

#[test]
fn special_files() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    assert_eq!(site.read(".nojekyll"), "");
    let robots = site.read("robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {ORIGIN}sitemap.xml")),
        "{robots}"
    );
    let not_found = site.read("404.html");
    assert!(not_found.contains("<title>"), "{not_found}");
    // Served at any depth: its links must not be relative.
    for target in link_targets(&not_found) {
        assert!(
            target.starts_with('/') || target.contains("://") || target.starts_with('#'),
            "404.html has a relative link {target:?}"
        );
    }
}

#[test]
fn alias_is_a_redirect_to_the_page() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let html = site.read("old/path/index.html");
    let target = format!("{ORIGIN}essays/middle-ground/");
    assert_eq!(
        meta(&html, "http-equiv", "refresh"),
        Some(format!("0; url={target}"))
    );
    assert_eq!(link_rel(&html, "canonical"), Some(target));
}

#[test]
fn no_broken_internal_links() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let files: BTreeSet<String> = site.files().into_iter().collect();
    let mut problems = Vec::new();
    for (file, html) in site.html_files() {
        let from = page_path(&file);
        for target in link_targets(&html) {
            let Some((path, fragment)) = resolve(&from, &target) else {
                continue;
            };
            let served = served_file(&path);
            if !files.contains(&served) {
                problems.push(format!("{file}: {target:?} -> {served} does not exist"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty())
                && served.ends_with(".html")
            {
                let target_html = site.read(&served);
                if !target_html.contains(&format!("id=\"{fragment}\"")) {
                    problems.push(format!(
                        "{file}: {target:?} -> no id `{fragment}` in {served}"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} broken link(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------- selection

#[test]
fn drafts_only_with_the_drafts_flag() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    assert!(!site.exists("essays/work-in-progress/index.html"));
    assert!(!site.exists("tags/drafts/index.html"));
    for file in site.files() {
        let bytes = fs::read(site.out_path(&file)).unwrap();
        assert!(
            !text(&bytes).contains("Work in progress"),
            "the draft appears in {file}"
        );
    }

    site.build_ok(&["--drafts"]);
    let html = site.read("essays/work-in-progress/index.html");
    assert!(html.contains("<h1>Work in progress</h1>"), "{html}");
    assert!(site.exists("tags/drafts/index.html"));
    assert!(
        site.read("essays/index.html")
            .contains("href=\"/essays/work-in-progress/\""),
        "the draft is listed in its section with --drafts"
    );
}

#[test]
fn future_pages_only_with_the_future_flag() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    assert!(!site.exists("essays/from-the-future/index.html"));
    assert!(!site.exists("tags/future/index.html"));
    for file in [
        "index.html",
        "essays/index.html",
        "rss.xml",
        "atom.xml",
        "sitemap.xml",
    ] {
        assert!(
            !site.read(file).contains("from-the-future"),
            "the future page appears in {file}"
        );
    }

    site.build_ok(&["--future"]);
    assert!(site.exists("essays/from-the-future/index.html"));
    assert!(site.exists("tags/future/index.html"));
    assert!(!site.exists("essays/work-in-progress/index.html"));
}

// ---------------------------------------------------------------- order and lists

#[test]
fn prev_and_next_in_the_date_sorted_section() {
    // Newest first on the section page; `prev` is the older essay, `next` the
    // newer one (the order readers of a blog expect).
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let url = |slug: &str| format!("/essays/{slug}/");
    let expected = [
        ("latest-word", Some("middle-ground"), None),
        ("middle-ground", Some("first-light"), Some("latest-word")),
        ("first-light", None, Some("middle-ground")),
    ];
    for (slug, prev, next) in expected {
        let html = site.read(&format!("essays/{slug}/index.html"));
        assert_eq!(pager(&html, "prev"), prev.map(url), "prev of {slug}");
        assert_eq!(pager(&html, "next"), next.map(url), "next of {slug}");
    }
    let section = site.read("essays/index.html");
    let main = main_element(&section);
    let positions: Vec<usize> = ESSAYS
        .iter()
        .map(|(slug, _)| position(main, &url(slug)))
        .collect();
    assert!(
        positions.is_sorted(),
        "essays/ does not list newest first: {main}"
    );
}

#[test]
fn prev_and_next_in_the_weight_sorted_section() {
    // Weights (zero-to-one 1, advanced-topics 2) disagree with the titles'
    // alphabetical order, so only a weight sort passes.
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let first = site.read("guides/zero-to-one/index.html");
    let second = site.read("guides/advanced-topics/index.html");
    assert_eq!(pager(&first, "prev"), None);
    assert_eq!(
        pager(&first, "next").as_deref(),
        Some("/guides/advanced-topics/")
    );
    assert_eq!(
        pager(&second, "prev").as_deref(),
        Some("/guides/zero-to-one/")
    );
    assert_eq!(pager(&second, "next"), None);
    let section = site.read("guides/index.html");
    let main = main_element(&section);
    assert!(
        position(main, "/guides/zero-to-one/") < position(main, "/guides/advanced-topics/"),
        "guides/ is not in weight order: {main}"
    );
}

#[test]
fn home_lists_the_latest_essays_newest_first() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let home = site.read("index.html");
    let main = main_element(&home);
    let positions: Vec<usize> = ESSAYS
        .iter()
        .map(|(slug, _)| position(main, &format!("/essays/{slug}/")))
        .collect();
    assert!(positions.is_sorted(), "not newest first: {main}");
    for (_, title) in ESSAYS {
        assert!(main.contains(title), "{title} missing from the home page");
    }
    assert!(
        main.contains("Welcome to the fixture."),
        "the home page's own text is missing: {main}"
    );
}

#[test]
fn tag_index_counts_and_tag_pages() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let index = site.read("tags/index.html");
    let main = main_element(&index);
    // slug, shown name, essays newest first
    let tags: [(&str, &str, &[&str]); 3] = [
        (
            "writing",
            "Writing",
            &["latest-word", "middle-ground", "first-light"],
        ),
        ("habits", "Habits", &["first-light"]),
        ("rust", "Rust", &["latest-word"]),
    ];
    let listed = start_tags(main, "a")
        .into_iter()
        .filter_map(|a| a.get("href").cloned())
        .filter(|h| h.starts_with("/tags/") && h != "/tags/")
        .count();
    assert_eq!(listed, tags.len(), "tags listed on /tags/: {main}");
    for (slug, name, pages) in tags {
        let url = format!("/tags/{slug}/");
        let entry = tag_index_entry(main, &url);
        let words: Vec<&str> = entry.split_whitespace().collect();
        assert!(
            words.first() == Some(&name) && words.contains(&pages.len().to_string().as_str()),
            "/tags/ entry for {name} should show the count {}: {entry:?}",
            pages.len()
        );
        let tag_page = site.read(&format!("tags/{slug}/index.html"));
        let tag_main = main_element(&tag_page);
        let positions: Vec<usize> = pages
            .iter()
            .map(|p| position(tag_main, &format!("/essays/{p}/")))
            .collect();
        assert!(positions.is_sorted(), "{url} not newest first");
        let essay_links = start_tags(tag_main, "a")
            .into_iter()
            .filter(|a| a.get("href").is_some_and(|h| h.starts_with("/essays/")))
            .filter(|a| a.get("href").map(String::as_str) != Some("/essays/"))
            .count();
        assert_eq!(essay_links, pages.len(), "{url} lists other pages");
        assert!(
            site.exists(&format!("tags/{slug}/rss.xml")),
            "{url} has no feed"
        );
    }
}

// ---------------------------------------------------------------- URLs and metadata

#[test]
fn base_path_reaches_every_link() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&["--base-url", GUIDE_BASE]);
    let mut problems = Vec::new();
    for (file, html) in site.html_files() {
        for value in link_targets(&html) {
            if value.starts_with('/') && !value.starts_with("/guide/") && !value.starts_with("//") {
                problems.push(format!("{file}: link to {value}"));
            }
        }
        if html.contains("http-equiv=\"refresh\"") {
            let target = meta(&html, "http-equiv", "refresh").unwrap_or_default();
            if !target.starts_with(&format!("0; url={GUIDE_BASE}")) {
                problems.push(format!("{file}: refresh to {target}"));
            }
        } else {
            for (what, value) in [
                ("canonical", link_rel(&html, "canonical")),
                ("og:url", meta(&html, "property", "og:url")),
                ("og:image", meta(&html, "property", "og:image")),
            ] {
                if !value.as_deref().unwrap_or("").starts_with(GUIDE_BASE) {
                    problems.push(format!("{file}: {what} = {value:?}"));
                }
            }
        }
    }
    let mut feeds: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".xml"))
        .collect();
    feeds.sort();
    assert!(feeds.len() >= 3 + 3, "feeds and sitemap: {feeds:?}");
    for file in &feeds {
        let xml = site.read(file);
        // Site URLs in feeds: RSS <link>/<guid>, Atom <id>/<link href>, sitemap <loc>.
        for element in ["link", "guid", "id", "loc"] {
            for value in element_texts(&xml, element) {
                if !value.is_empty() && !value.starts_with(GUIDE_BASE) {
                    problems.push(format!("{file}: <{element}>{value}"));
                }
            }
        }
        for attrs in start_tags(&xml, "link")
            .into_iter()
            .chain(start_tags(&xml, "atom:link"))
        {
            if let Some(href) = attrs.get("href")
                && !href.starts_with(GUIDE_BASE)
            {
                problems.push(format!("{file}: <link href={href:?}>"));
            }
        }
        // Feed content must not carry root-relative links (readers cannot resolve them).
        for attr in ["href=\"", "src=\"", "href=&quot;", "src=&quot;"] {
            for (at, _) in xml.match_indices(attr) {
                let value = &xml[at + attr.len()..];
                if value.starts_with('/') && !value.starts_with("//") {
                    let shown: String = value.chars().take(40).collect();
                    problems.push(format!("{file}: root-relative {attr}{shown}"));
                }
            }
        }
    }
    let robots = site.read("robots.txt");
    if !robots.contains(&format!("Sitemap: {GUIDE_BASE}sitemap.xml")) {
        problems.push(format!("robots.txt: {robots}"));
    }
    assert!(
        problems.is_empty(),
        "{} URL(s) without the base path:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Texts of `<tag>` elements (not `<tagfoo>`), without tags inside.
fn element_texts(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        rest = after;
        if !after.starts_with(['>', ' ']) {
            continue;
        }
        let Some(gt) = after.find('>') else { break };
        if after[..gt].ends_with('/') {
            continue;
        }
        let body = &after[gt + 1..];
        let Some(end) = body.find(&close) else { break };
        found.push(body[..end].trim().to_string());
        rest = &body[end..];
    }
    found
}

#[test]
fn every_page_has_title_description_canonical_and_social_tags() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let mut problems = Vec::new();
    let pages = site.html_files();
    assert!(pages.len() >= 12, "{:#?}", site.files());
    for (file, html) in &pages {
        if html.contains("http-equiv=\"refresh\"") {
            continue; // an alias: a redirect, not a page
        }
        let mut check = |what: &str, value: Option<String>, absolute: bool| match value {
            None => problems.push(format!("{file}: no {what}")),
            Some(v) if v.trim().is_empty() => problems.push(format!("{file}: empty {what}")),
            Some(v) if absolute && !v.starts_with(ORIGIN) => {
                problems.push(format!("{file}: {what} is not absolute: {v}"))
            }
            Some(_) => {}
        };
        check("<title>", title(html), false);
        check("meta description", meta(html, "name", "description"), false);
        check("canonical", link_rel(html, "canonical"), true);
        for property in ["og:title", "og:description", "og:type"] {
            check(property, meta(html, "property", property), false);
        }
        check("og:url", meta(html, "property", "og:url"), true);
        check("og:image", meta(html, "property", "og:image"), true);
        check("twitter:card", meta(html, "name", "twitter:card"), false);
        let canonical = link_rel(html, "canonical").unwrap_or_default();
        let own = format!("{ORIGIN}{}", page_path(file).trim_start_matches('/'));
        if canonical != own {
            problems.push(format!("{file}: canonical {canonical} is not {own}"));
        }
        if meta(html, "property", "og:url").as_deref() != Some(canonical.as_str()) {
            problems.push(format!("{file}: og:url differs from canonical"));
        }
        if let Some(image) = meta(html, "property", "og:image")
            && let Some(rel) = image.strip_prefix(ORIGIN)
        {
            match fs::read(site.out_path(rel)) {
                Err(_) => problems.push(format!("{file}: og:image {image} is not in the output")),
                Ok(png) if png.starts_with(b"\x89PNG") && png.len() >= 24 => {
                    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
                    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
                    if (w, h) != (1200, 627) {
                        problems.push(format!("{file}: og:image is {w}x{h}, not 1200x627"));
                    }
                }
                Ok(_) => {}
            }
        }
    }
    let essay = site.read("essays/latest-word/index.html");
    assert_eq!(
        meta(&essay, "property", "og:type").as_deref(),
        Some("article")
    );
    assert_eq!(
        meta(&essay, "name", "description").as_deref(),
        Some("The newest essay, with every Markdown feature.")
    );
    assert!(
        title(&essay).is_some_and(|t| t.contains("The latest word")),
        "{essay}"
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn sheaf_base_url_environment_overrides_config() {
    let site = Site::fixture(FIXTURE).create();
    let env_base = "https://env.example.net/docs/";
    Run::of(site.command(&[]).env("SHEAF_BASE_URL", env_base)).assert_success();
    let home = site.read("index.html");
    assert_eq!(link_rel(&home, "canonical").as_deref(), Some(env_base));
    assert!(
        start_tags(&home, "link")
            .iter()
            .filter(|l| l.get("rel").map(String::as_str) == Some("stylesheet"))
            .all(|l| l.get("href").is_some_and(|h| h.starts_with("/docs/"))),
        "stylesheets without /docs/"
    );
    assert!(
        site.read("sitemap.xml")
            .contains(&format!("<loc>{env_base}"))
    );

    // The command line beats the environment.
    Run::of(
        site.command(&["--base-url", GUIDE_BASE])
            .env("SHEAF_BASE_URL", env_base),
    )
    .assert_success();
    assert_eq!(
        link_rel(&site.read("index.html"), "canonical").as_deref(),
        Some(GUIDE_BASE)
    );
}

#[test]
fn summary_line() {
    let site = Site::fixture(FIXTURE).create();
    let stdout = site.build_ok(&[]).stdout;
    let line = stdout.trim_end();
    assert_eq!(line.lines().count(), 1, "one summary line: {stdout:?}");
    // The fixture has a draft and a future-dated page: the line says they were left out.
    let (line, left_out) = line.split_once(" (").unwrap_or((line, ""));
    assert_eq!(
        left_out,
        "1 draft left out: pass --drafts to include it; \
         1 future-dated page left out until its date: pass --future to include it)"
    );
    let words: Vec<&str> = line.split_whitespace().collect();
    let shape_ok = words.len() == 12
        && words[0] == "built"
        && words[2] == "pages,"
        && words[4] == "worksheets,"
        && words[6] == "tags"
        && words[7] == "in"
        && words[8].parse::<u64>().is_ok()
        && words[9] == "ms"
        && words[10] == "->";
    assert!(
        shape_ok,
        "not `built N pages, N worksheets, N tags in N ms -> DIR/`: {line:?}"
    );
    // 3 essays, 2 guides, the about page; Writing, Habits, Rust.
    assert_eq!((words[1], words[3], words[5]), ("6", "0", "3"), "{line}");
    let out = format!("{}/", site.out.display());
    assert!(
        words[11] == out || out.ends_with(words[11]),
        "output shown as {:?}, expected {out:?}",
        words[11]
    );
}

// ---------------------------------------------------------------- rendering

#[test]
fn essay_main_element_snapshot() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    let html = site.read("essays/latest-word/index.html");
    insta::assert_snapshot!("latest_word_main", main_element(&html));
}

// ---------------------------------------------------------------- init and new

/// `sheaf ARGS...` in `dir`, with a fixed time zone.
fn sheaf_in(dir: &Path, tz: &str, args: &[&str]) -> Run {
    Run::of(sheaf().current_dir(dir).env("TZ", tz).args(args))
}

#[test]
fn init_then_build_in_an_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-site");
    fs::create_dir(&dir).unwrap();
    let output = sheaf_in(tmp.path(), "UTC", &["init", "new-site"]);
    output.assert_success();
    assert!(dir.join("config.yaml").is_file());
    assert!(dir.join("content/_index.md").is_file());
    assert!(
        !dir.join("themes").exists() && !dir.join("templates").exists(),
        "init copied the theme: {:#?}",
        list_files(&dir)
    );
    let out = tmp.path().join("out");
    let output = sheaf_in(
        tmp.path(),
        "UTC",
        &["build", "--root", "new-site", "--output", "out"],
    );
    output.assert_success();
    assert!(out.join("index.html").is_file());
    assert!(out.join("essays/index.html").is_file());
    let files = list_files(&out);
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("essays/") && f.ends_with("/index.html")),
        "the starter essay is not built: {files:#?}"
    );
    assert!(
        files.iter().any(|f| unfingerprint(f).is_some()),
        "no theme assets: {files:#?}"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let output = sheaf_in(tmp.path(), "UTC", &["init", "."]);
    assert_eq!(output.code, Some(1), "{output}");
    let stderr = output.stderr.clone();
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert!(
        stderr.contains("--force"),
        "the message names --force: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(list_files(tmp.path()), vec!["notes.txt".to_string()]);
    assert_eq!(
        fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn new_essay_creates_a_file_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    sheaf_in(tmp.path(), "UTC", &["init", "site"]).assert_success();
    let output = sheaf_in(
        tmp.path(),
        "UTC",
        &["new", "essay", "A Title", "--root", "site"],
    );
    output.assert_success();
    let created = tmp.path().join("site/content/essays/a-title.md");
    assert!(created.is_file(), "{:#?}", list_files(tmp.path()));
    let printed = output.stdout.clone();
    assert!(
        printed.trim_end().ends_with("content/essays/a-title.md"),
        "prints the path: {printed:?}"
    );
    // `sheaf new` writes a draft: a plain build leaves it out and says so.
    let output = sheaf_in(
        tmp.path(),
        "UTC",
        &["build", "--root", "site", "--output", "out"],
    );
    output.assert_success();
    assert!(!tmp.path().join("out/essays/a-title").exists());
    let summary = output.stdout.clone();
    assert!(
        summary.contains("(1 draft left out: pass --drafts to include it)"),
        "{summary}"
    );
    let output = sheaf_in(
        tmp.path(),
        "UTC",
        &["build", "--drafts", "--root", "site", "--output", "out"],
    );
    output.assert_success();
    let html = fs::read_to_string(tmp.path().join("out/essays/a-title/index.html"))
        .expect("the new essay is built");
    assert!(html.contains("<h1>A Title</h1>"), "{html}");
}

#[test]
fn new_essay_east_of_utc_is_built_the_same_day() {
    // An author in Tokyo (UTC+9) after 15:00 UTC, or Kiritimati (UTC+14)
    // after 10:00 UTC, already has tomorrow's date locally. A zone 23:59
    // ahead makes that true whenever this test runs (except 00:00-00:01 UTC):
    // the essay `sheaf new` dates "today" must appear in the next build.
    let tz = "<+2359>-23:59";
    let tmp = tempfile::tempdir().unwrap();
    sheaf_in(tmp.path(), tz, &["init", "site"]).assert_success();
    sheaf_in(
        tmp.path(),
        tz,
        &["new", "essay", "A Title", "--root", "site"],
    )
    .assert_success();
    let output = sheaf_in(
        tmp.path(),
        tz,
        // `sheaf new` writes a draft.
        &["build", "--drafts", "--root", "site", "--output", "out"],
    );
    output.assert_success();
    let files = list_files(&tmp.path().join("out"));
    let written = fs::read_to_string(tmp.path().join("site/content/essays/a-title.md")).unwrap();
    assert!(
        files.contains(&"essays/a-title/index.html".to_string()),
        "the essay just created is missing from the build ({})\n--- a-title.md\n{written}\n--- output\n{files:#?}",
        output.stdout.clone().trim()
    );
}

// ---------------------------------------------------------------- rebuilding

#[test]
fn rebuild_leaves_no_stale_files_and_no_staging_folders() {
    let site = Site::fixture(FIXTURE).create();
    site.build_ok(&[]);
    assert!(site.exists("essays/middle-ground/index.html"));
    assert!(site.exists("old/path/index.html"));
    // An essay (and with it the only page tagged Habits) goes away, another
    // drops its alias, and a stray file appears in the output.
    fs::remove_file(site.root.join("content/essays/first-light.md")).unwrap();
    let middle = site.root.join("content/essays/middle-ground.md");
    let text = fs::read_to_string(&middle).unwrap();
    fs::write(&middle, text.replace("aliases: [/old/path/]\n", "")).unwrap();
    fs::write(site.out_path("stray.txt"), "left by hand").unwrap();
    site.build_ok(&[]);
    let files = site.files();
    for gone in [
        "essays/first-light/index.html",
        "tags/habits/index.html",
        "tags/habits/rss.xml",
        "old/path/index.html",
        "stray.txt",
    ] {
        assert!(
            !files.contains(&gone.to_string()),
            "{gone} survived the rebuild"
        );
    }
    for dir in ["essays/first-light", "tags/habits", "old"] {
        assert!(!site.out_path(dir).exists(), "{dir}/ survived the rebuild");
    }
    assert!(site.exists("essays/latest-word/index.html"));
    // Only the site and its output are beside the output: no staging or old copies.
    let beside: BTreeSet<String> = fs::read_dir(site.tmp())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        beside,
        BTreeSet::from(["public".to_string(), "site".to_string()])
    );
    // The site itself is untouched by building.
    assert!(!site.root.join("public").exists());
}
