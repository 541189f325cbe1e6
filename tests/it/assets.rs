//! Issue #18's links and assets: page bundles, `static/` images, links written from the
//! site's root and relatively, on a project site (`/guide/`) and at a domain's root. Every
//! local link and image an author writes is resolved to a URL under the base path, and one
//! that leads nowhere is a located error that keeps the previous site.

use crate::support::{Site, html};

const BASES: [(&str, &str); 2] = [
    ("https://example.org/guide/", "/guide/"),
    ("https://example.org/", "/"),
];

/// Every local `href`/`src` of every page leads to a file the build wrote.
fn assert_every_local_url_is_written(site: &Site, base: &str) {
    let files = site.files();
    for (page, text) in site.html_files() {
        for url in html::parse(&text).hrefs_and_srcs() {
            if !url.starts_with('/') || url.starts_with("//") {
                continue;
            }
            assert!(url.starts_with(base), "{page}: `{url}` is outside {base}");
            let path = url[base.len()..].split(['#', '?']).next().unwrap();
            let path = path.replace("%20", " ");
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            assert!(
                files.contains(&file),
                "{page}: `{url}` leads to no file ({file})"
            );
        }
    }
}

#[test]
fn links_and_pictures_resolve_under_either_base_path() {
    for (base_url, base) in BASES {
        let site = Site::fixture("site-assets").create();
        site.build_ok(&["--base-url", base_url]);
        assert_every_local_url_is_written(&site, base);
        let bundle = site.read("essays/bundle/index.html");
        for expected in [
            format!(r#"src="{base}essays/bundle/diagram.png""#),
            format!(r#"src="{base}images/logo.png""#),
            format!(r#"src="{base}images/mark.svg""#),
            format!(r#"href="{base}essays/flat/""#),
            format!(r#"href="{base}essays/flat/#second-part""#),
            format!(r#"href="{base}tags/""#),
            format!(r#"href="{base}rss.xml""#),
            format!(r#"href="{base}""#),
        ] {
            assert!(bundle.contains(&expected), "no {expected} in\n{bundle}");
        }
        // `image: diagram.png` in the bundle: its 1200×627 copy, with its size.
        assert_eq!(
            html::meta(&bundle, "property", "og:image").as_deref(),
            Some(
                "https://example.org{base}essays/bundle/diagram.social.jpg"
                    .replace("{base}", base)
                    .as_str()
            )
        );
        assert_eq!(
            html::meta(&bundle, "property", "og:image:width").as_deref(),
            Some("1200")
        );
        assert!(site.exists("essays/bundle/diagram.social.jpg"));
        // Every picture has its size, copies, and all but the first load lazily.
        assert!(bundle.contains(&format!(r#"<picture><source type="image/webp" srcset="{base}essays/bundle/diagram.w480.webp 480w, {base}essays/bundle/diagram.w960.webp 960w, {base}essays/bundle/diagram.w1200.webp 1200w""#)), "{bundle}");
        assert!(
            bundle.contains(r#"alt="A blue diagram" width="1200" height="800"></picture>"#),
            "{bundle}"
        );
        assert!(
            bundle.contains(
                r#"alt="The site logo" width="64" height="64" loading="lazy" decoding="async">"#
            ),
            "{bundle}"
        );
        assert!(site.exists("essays/bundle/diagram.w960.webp"));
        // SVG is published as it is, sized from its viewBox.
        assert!(bundle.contains(&format!(r#"<img src="{base}images/mark.svg" alt="A mark" width="120" height="40" loading="lazy""#)), "{bundle}");
        let flat = site.read("essays/flat/index.html");
        assert!(
            flat.contains(&format!(r#"src="{base}essays/photo.png""#)),
            "{flat}"
        );
        // `bundle/` in `essays/flat.md`: the folder beside the file.
        assert!(
            flat.contains(&format!(r#"href="{base}essays/bundle/""#)),
            "{flat}"
        );
        // The home page's links, shown on the home page and in its summary.
        let home = site.read("index.html");
        assert!(
            home.contains(&format!(r#"href="{base}essays/bundle/""#)),
            "{home}"
        );
        let feed = site.read("rss.xml");
        assert!(
            feed.contains("https://example.org/") && !feed.contains(r#"src="diagram.png""#),
            "{feed}"
        );
    }
}

#[test]
fn local_links_that_lead_nowhere_are_located_and_keep_the_old_site() {
    let site = Site::fixture("site-assets").create();
    site.build_ok(&[]);
    let before = site.output_bytes();
    site.write(
        "content/essays/broken.md",
        "---\ntitle: Broken\ndate: 2025-03-03\n---\n\
         ![Gone](gone.png)\n\n\
         See [part three](/essays/flat/#third-part) and [the guide](/guide/essays/flat/).\n\n\
         <img src=\"missing.jpg\" alt=\"x\"> [Nowhere](../nowhere/)\n",
    );
    site.edit(
        "content/essays/flat.md",
        "tags: [pictures]",
        "tags: [pictures]\nimage: ../cover.png",
    );
    let run = site.build(&[]);
    run.assert_exit(1);
    let err = &run.stderr;
    assert!(
        err.contains("missing image `../cover.png`: no such file")
            && err.contains("content/essays/flat.md:5:1"),
        "{err}"
    );
    for (message, at) in [
        (
            "missing image `gone.png`: no such file",
            "content/essays/broken.md:5:9",
        ),
        (
            "broken anchor `#third-part`",
            "content/essays/broken.md:7:18",
        ),
        (
            "broken link to `/guide/essays/flat/`: the base path is added for you",
            "content/essays/broken.md:7:60",
        ),
        (
            "missing image `missing.jpg`",
            "content/essays/broken.md:9:11",
        ),
        (
            "broken link to `../nowhere/`",
            "content/essays/broken.md:9:",
        ),
    ] {
        let found = err
            .split("\n\n")
            .any(|block| block.contains(message) && block.contains(at));
        assert!(found, "no `{message}` at {at} in\n{err}");
    }
    assert_eq!(
        site.output_bytes(),
        before,
        "a failed build changed the site"
    );
}

/// A warm build makes no picture again; a removed picture's copies leave the site and the
/// cache.
#[test]
fn pictures_are_resized_once_and_kept_in_the_cache() {
    let site = Site::fixture("site-assets").create();
    site.build_ok(&[]);
    let cache = site.path(".sheaf-cache/images");
    let entries = || std::fs::read_dir(&cache).map(|d| d.count()).unwrap_or(0);
    let made = entries();
    assert!(made >= 7, "{made} cache entries");
    let before = site.output_bytes();
    site.build_ok(&[]);
    assert_eq!(site.output_bytes(), before);
    assert_eq!(entries(), made, "a warm build wrote to the image cache");
    std::fs::remove_file(site.path("content/essays/photo.png")).unwrap();
    site.edit(
        "content/essays/flat.md",
        "![An orange photo](photo.png)",
        "",
    );
    site.build_ok(&[]);
    assert!(!site.exists("essays/photo.w480.webp"));
    assert!(
        entries() < made,
        "the cache kept copies of a removed picture"
    );
}

/// Every page and file a build writes can be linked from the root (`/tags/x/rss.xml`,
/// `/workbook/`, `/search/`): the list a link is checked against is the build's own.
#[test]
fn every_page_and_file_the_build_writes_can_be_linked() {
    let site = Site::fixture("site-basic").create();
    site.build_ok(&[]);
    let mut links = String::from("---\ntitle: Everything\n---\n");
    for file in site.files() {
        // The theme's own files (`style.1e7048f0.css`, `favicon.svg`) are not link
        // targets: the theme links them.
        let listed = [".html", ".xml", ".txt"].iter().any(|e| file.ends_with(e));
        let theme_file = !file.contains('/') && !listed;
        let generated_asset = theme_file
            || file.starts_with("pagefind/")
            || file.starts_with("cards/")
            || file.starts_with('.');
        if generated_asset {
            continue;
        }
        let path = file.strip_suffix("index.html").unwrap_or(&file);
        links.push_str(&format!("- [{path}](/{})\n", path.replace(' ', "%20")));
    }
    site.write("content/everything.md", &links);
    let run = site.build(&[]);
    run.assert_success();
}
