//! Long lists are rendered in parts of 16 pages, one job each (`render::paginate::ListPart`):
//! every change that moves entries across parts must still equal a clean build, and the
//! preview must render a requested page of a long list with its own part only.

use std::fs;
use std::path::PathBuf;

use sheaf::{Changes, Session, Urgent};
use tempfile::TempDir;

use crate::support;
use crate::support::scenario::{Scenario, options, render, snapshot};

/// The basic fixture with 40 more essays, one a page: the essays section, the home page and
/// the `Writing` tag each span three parts.
pub(crate) fn long_lists() -> TempDir {
    let site = support::copy_fixture("site-basic");
    let config = site.path().join("config.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}paginate_by: 1\n")).unwrap();
    for n in 0..40 {
        let day = n % 28 + 1;
        let month = n / 28 + 1;
        fs::write(
            site.path().join(format!("content/essays/bulk-{n:02}.md")),
            format!(
                "---\ntitle: Bulk essay {n:02}\ndate: 2023-{month:02}-{day:02}\n\
                 tags: [Writing, Bulk]\n---\nBulk text {n}.\n"
            ),
        )
        .unwrap();
    }
    site
}

/// A session that has built `site`.
pub(crate) fn built(site: &TempDir) -> Session {
    let mut session = Session::new(options(site.path()));
    if let Err(errors) = session.rebuild(&Changes::All) {
        panic!("the fixture does not build:\n{}", render(errors));
    }
    session
}

/// Writes `content/essays/newest.md`, dated `date` (newer than every essay of the fixture
/// from 2025-01-16 on), tagged `Writing`, with `body`: every page of the lists moves.
pub(crate) fn add_newest(site: &TempDir, date: &str, body: &str) -> PathBuf {
    let new = site.path().join("content/essays/newest.md");
    let text = format!("---\ntitle: Newest\ndate: {date}\ntags: [Writing]\n---\n{body}");
    fs::write(&new, text).unwrap();
    new
}

#[test]
fn changes_that_move_entries_across_parts_match_a_clean_build() {
    let mut s = Scenario::new(long_lists());
    let p = s.write(
        "content/essays/newest.md",
        "---\ntitle: Newest\ndate: 2025-01-01\ntags: [Writing]\n---\nNew.\n",
    );
    s.step(
        "a new newest essay shifts every page of three parts",
        vec![p],
    );
    let essay = "content/essays/bulk-05.md";
    let p = s.edit(
        essay,
        "tags: [Writing, Bulk]",
        "tags: [Writing, Bulk, Extra]",
    );
    s.step("a tag added", vec![p]);
    let p = s.edit(essay, "tags: [Writing, Bulk, Extra]", "tags: [Bulk]");
    s.step("a tag removed (the Writing list loses a page)", vec![p]);
    let p = s.edit(essay, "date: 2023-01-06", "date: 2026-01-01");
    s.step(
        "a date moves an essay from the last part to the first",
        vec![p],
    );
    let p = s.path("content/essays/newest.md");
    fs::remove_file(&p).unwrap();
    s.step("an essay deleted (every later page shifts back)", vec![p]);
    let p = s.edit("config.yaml", "paginate_by: 1\n", "paginate_by: 3\n");
    s.step("fewer, longer pages (three parts become one)", vec![p]);
    let p = s.edit("config.yaml", "paginate_by: 3\n", "paginate_by: 1\n");
    s.step("and back", vec![p]);
}

#[test]
fn a_requested_page_of_a_long_list_is_rendered_with_its_part_only() {
    let site = long_lists();
    let mut session = built(&site);
    // A new newest essay moves every page of the essays list.
    let new = add_newest(&site, "2025-01-01", "New.\n");
    let asked = "essays/page/40/index.html".to_string();
    let started = session
        .start(
            &Changes::Paths(vec![new]),
            &Urgent::Files([asked.clone()].into()),
        )
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let rendered: Vec<String> = started.files().iter().map(|f| f.path.clone()).collect();
    let essays_pages: Vec<&String> = rendered
        .iter()
        .filter(|p| p.starts_with("essays/page/"))
        .collect();
    assert!(rendered.contains(&asked), "{rendered:?}");
    // Pages 33 to the last: the part with page 40, not the 32 pages of the other parts.
    let numbers: Vec<usize> = essays_pages
        .iter()
        .filter_map(|p| {
            p.strip_prefix("essays/page/")?
                .strip_suffix("/index.html")?
                .parse()
                .ok()
        })
        .collect();
    assert!(
        numbers.iter().all(|&n| (33..=48).contains(&n)),
        "{numbers:?}"
    );
    assert!(numbers.len() >= 8, "{numbers:?}");
    assert!(
        !rendered.contains(&"essays/index.html".to_string()),
        "{rendered:?}"
    );
    started.finish().unwrap_or_else(|e| panic!("{}", render(e)));

    let mut clean = Session::new(options(site.path()));
    clean
        .rebuild(&Changes::All)
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let (a, b) = (snapshot(&session), snapshot(&clean));
    assert_eq!(a.get(&asked), b.get(&asked));
    assert!(a == b, "the finished run differs from a clean build");
}

/// The first step of a preview run renders a requested list page from the bodies of the
/// entries it shows (and the section's own text), not every body of the site: a broken link
/// in an essay on another page of the list is reported when the run finishes, after the
/// requested page has been served, and what was served is what a clean build makes.
#[test]
fn a_requested_list_page_waits_only_for_the_bodies_it_shows() {
    let site = long_lists();
    let index = site.path().join("content/essays/_index.md");
    let text = fs::read_to_string(&index).unwrap();
    fs::write(
        &index,
        text.replace(
            "All the essays.",
            "All the essays, from [the first](first-light.md).",
        ),
    )
    .unwrap();
    let mut session = built(&site);
    // A new newest essay moves every page of the list; the oldest bulk essay (on the last
    // page) gets a link to a page that does not exist.
    let body = "New **summary**.\n\n<!-- more -->\n\nThe rest.\n";
    let new = add_newest(&site, "2025-06-01", body);
    let far = site.path().join("content/essays/bulk-00.md");
    let far_text = fs::read_to_string(&far).unwrap();
    fs::write(&far, format!("{far_text}\nSee [gone](no-such-essay.md).\n")).unwrap();
    let asked = ["essays/index.html", "essays/page/2/index.html"].map(String::from);
    let started = session
        .start(
            &Changes::Paths(vec![new.clone(), far.clone()]),
            &Urgent::Files(asked.clone().into()),
        )
        .unwrap_or_else(|e| panic!("the list waited for every body: {}", render(e)));
    let served: Vec<(String, Vec<u8>)> = started
        .files()
        .iter()
        .filter(|f| asked.contains(&f.path))
        .map(|f| {
            (
                f.path.clone(),
                f.contents.bytes().unwrap_or_default().to_vec(),
            )
        })
        .collect();
    let paths: Vec<&String> = started.files().iter().map(|f| &f.path).collect();
    assert_eq!(
        served.len(),
        2,
        "both list pages are served first: {paths:?}"
    );
    let errors = match started.finish() {
        Ok(_) => panic!("the broken link in bulk-00.md was not reported"),
        Err(errors) => render(errors),
    };
    assert!(errors.contains("no-such-essay"), "{errors}");

    // What was served is what a clean build of the same content makes.
    fs::write(&far, far_text).unwrap();
    let mut clean = Session::new(options(site.path()));
    clean
        .rebuild(&Changes::All)
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let clean = snapshot(&clean);
    for (path, bytes) in served {
        let html = String::from_utf8_lossy(&bytes);
        if path == "essays/index.html" {
            assert!(
                html.contains("the first</a>"),
                "{path} lost the section's text"
            );
            assert!(
                html.contains("<strong>summary</strong>"),
                "{path}: no summary"
            );
        }
        assert_eq!(
            Some(&bytes),
            clean.get(&path),
            "{path} served in the first step differs from a clean build"
        );
    }
}
