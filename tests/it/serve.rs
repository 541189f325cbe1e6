//! `sheaf serve` end to end: the real binary on a temporary copy of the basic fixture, with a
//! base path (`/sheaf/`), spoken to over raw HTTP/1.1. Every wait is bounded.

use std::fs;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::serve::{Server, WAIT, edit, eventually};

use crate::support;

#[test]
fn serves_pages_under_the_base_path_with_the_reload_script() {
    let server = Server::start();
    let home = server.get("/sheaf/");
    assert_eq!(home.status, 200);
    assert!(
        home.body
            .contains("<script src=\"/sheaf/__sheaf/live.js?build=1\" defer></script></head>"),
        "{}",
        home.body
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );

    let essay = server.get("/sheaf/essays/first-light/");
    assert_eq!(essay.status, 200);
    assert!(essay.body.contains("The oldest essay."));
    assert_eq!(
        server.get("/sheaf/essays/first-light").header("location"),
        Some("/sheaf/essays/first-light/")
    );

    let root = server.get("/");
    assert_eq!(root.status, 307);
    assert_eq!(root.header("location"), Some("/sheaf/"));

    let script = server.get("/sheaf/__sheaf/live.js");
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .starts_with("application/javascript")
    );
    assert!(script.body.contains("EventSource"));

    let text = server.get("/sheaf/hello.txt");
    assert_eq!(text.status, 200);
    assert!(
        text.header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(!text.body.contains("__sheaf"), "script only goes into HTML");

    let errors = server.get("/sheaf/__sheaf/errors");
    assert_eq!(errors.body, "[]");
}

#[test]
fn unknown_paths_get_the_sites_404_page() {
    let server = Server::start();
    let missing = server.get("/sheaf/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("__sheaf/live.js"));
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    let outside = server.get("/elsewhere/");
    assert_eq!(outside.status, 404);
}

#[test]
fn traversal_never_reaches_the_file_system() {
    let server = Server::start();
    for path in [
        "/../Cargo.toml",
        "/sheaf/../config.yaml",
        "/sheaf/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/sheaf/%2e%2e/config.yaml",
        "/..%2fconfig.yaml",
        "/sheaf/..%2fconfig.yaml",
        "/a\\..\\b",
        "/sheaf/..\\config.yaml",
        "/sheaf/%5c..%5cconfig.yaml",
        "/sheaf/%00",
        "/sheaf//etc/passwd",
        "//etc/passwd",
        "/etc/passwd",
        "/sheaf/%2fetc%2fpasswd",
        "/sheaf/%2F..%2F..%2Fconfig.yaml",
        // Decoded twice by a careless server: once here, `%2e%2e` is just a name.
        "/sheaf/%252e%252e/config.yaml",
        "/sheaf/%252e%252e%252fconfig.yaml",
        "/sheaf/..%255cconfig.yaml",
        "/sheaf/.%2e/config.yaml",
        "/sheaf/%2e./content/essays/first-light.md",
        "/sheaf/essays/../../content/essays/first-light.md",
        "/sheaf/..\\..\\config.yaml",
        "/sheaf/C:%5cWindows%5cwin.ini",
        // Overlong UTF-8 for `.` (not valid UTF-8, so refused before any lookup).
        "/sheaf/%c0%ae%c0%ae/config.yaml",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_no_leak(&r, path);
    }
    // Request targets in absolute form and other odd shapes: hyper may refuse them (400), the
    // host check does (421: port 80 is not this server's), nothing may answer with a file.
    for target in [
        "http://127.0.0.1/sheaf/../config.yaml",
        "http://127.0.0.1/etc/passwd",
        "file:///etc/passwd",
        "*",
        "..",
        "../config.yaml",
    ] {
        let r = server.get(target);
        assert!(
            matches!(r.status, 400 | 404 | 421),
            "{target}: {}",
            r.status
        );
        assert_no_leak(&r, target);
    }
}

fn assert_no_leak(r: &support::serve::Response, path: &str) {
    for secret in ["root:", "base_url:", "title: First light"] {
        assert!(!r.body.contains(secret), "{path} leaked {secret:?}");
    }
}

#[test]
fn edits_reload_errors_show_and_clear() {
    let server = Server::start();
    let mut events = server.events();
    let essay = server.path("content/essays/first-light.md");

    edit(&essay, "The oldest essay. It", "A freshly edited essay. It");
    events.wait_for("event: reload\ndata: reload\n");
    let page = server.get_until("/sheaf/essays/first-light/", |r| {
        r.body.contains("A freshly edited essay.")
    });
    assert!(page.body.contains("A freshly edited essay."));

    // Broken front matter: an error event, the last good page still served.
    edit(&essay, "title: First light", "titel: First light");
    let error = events.wait_for("event: error");
    assert!(error.contains("data: ["), "{error}");
    assert!(error.contains("titel"), "{error}");
    let page = server.get("/sheaf/essays/first-light/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("A freshly edited essay."));
    let errors = server.get("/sheaf/__sheaf/errors");
    assert_eq!(errors.header("content-type"), Some("application/json"));
    assert!(
        errors
            .body
            .contains("\"file\":\"content/essays/first-light.md\""),
        "{}",
        errors.body
    );
    assert!(errors.body.contains("\"line\":2"), "{}", errors.body);

    // Fixed: reload, and no errors left.
    edit(&essay, "titel: First light", "title: First light");
    events.wait_for("event: reload\ndata: reload\n");
    assert_eq!(server.get("/sheaf/__sheaf/errors").body, "[]");

    // Deleted: the page is gone.
    fs::remove_file(&essay).unwrap();
    events.wait_for("event: reload\ndata: reload\n");
    let gone = server.get_until("/sheaf/essays/first-light/", |r| r.status == 404);
    assert_eq!(gone.status, 404);
}

#[test]
fn css_only_changes_send_a_css_event() {
    let server = Server::start();
    let mut events = server.events();
    fs::write(server.path("static/extra.css"), "body { color: red }\n").unwrap();
    events.wait_for("event: css\ndata: css\n");
    let css = server.get_until("/sheaf/extra.css", |r| r.status == 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
}

/// Makes `rel` (a folder) appear at once with its files, as a move does: written beside it
/// under a name the watcher ignores, then renamed into place.
fn move_in(server: &Server, rel: &str, files: &[(&str, &str)]) {
    let staging = server.path(&format!("{rel}.tmp"));
    for (name, text) in files {
        let path = staging.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    fs::rename(&staging, server.path(rel)).unwrap();
}

/// The event goes out only after the new files are in place, so the page is checked right
/// after it, without polling: a stale or missing page here is a real race.
#[test]
fn renames_and_folders_made_while_serving_are_followed() {
    // What is checked here is that each change is followed at all, so every check waits
    // for its page (`get_until`): under load one change may reach the server as two
    // batches, and a reload left over from the step before must not stand for this one.
    // (That a page is ready when its reload is sent is the other tests' job.)
    let server = Server::start_with(|root| fs::remove_dir_all(root.join("templates")).unwrap());
    let mut events = server.events();

    let old = server.path("content/essays/first-light.md");
    fs::rename(&old, server.path("content/essays/first-light-moved.md")).unwrap();
    events.wait_for("event: reload\ndata: reload\n");
    let moved = server.get_until("/sheaf/essays/first-light-moved/", |r| r.status == 200);
    assert_eq!(moved.status, 200);
    assert_eq!(server.get("/sheaf/essays/first-light/").status, 404);
    let list = server.get("/sheaf/essays/");
    assert!(list.body.contains("/sheaf/essays/first-light-moved/"));
    assert!(!list.body.contains("/sheaf/essays/first-light/\""));

    // A folder of new essays moved into content/.
    move_in(
        &server,
        "content/notes",
        &[(
            "one.md",
            "---\ntitle: Note one\ndate: 2024-05-05\ntags: [Fresh tag]\n---\nA note.\n",
        )],
    );
    events.wait_for("event: reload\ndata: reload\n");
    let note = server.get_until("/sheaf/notes/one/", |r| r.status == 200);
    assert_eq!(note.status, 200, "{}", note.body);
    let tag = server.get_until("/sheaf/tags/fresh-tag/", |r| r.body.contains("Note one"));
    assert!(tag.body.contains("Note one"), "{}", tag.body);

    // A `templates/` folder that did not exist at start is watched once it appears.
    move_in(
        &server,
        "templates",
        &[("partials/footer.html", "<footer>first footer</footer>\n")],
    );
    events.wait_for("event: reload\ndata: reload\n");
    let home = server.get_until("/sheaf/", |r| r.body.contains("first footer"));
    assert!(home.body.contains("first footer"));
    let footer = server.path("templates/partials/footer.html");
    fs::write(&footer, "<footer>second footer</footer>\n").unwrap();
    events.wait_for("event: reload\ndata: reload\n");
    let home = server.get_until("/sheaf/", |r| r.body.contains("second footer"));
    assert!(home.body.contains("second footer"));
}

#[cfg(unix)]
#[test]
fn open_hands_the_site_url_to_the_browser() {
    use std::os::unix::fs::PermissionsExt;
    let site = support::copy_fixture("site-basic");
    let opened = site.path().join("opened.txt");
    let browser = site.path().join("browser.sh");
    fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    fs::set_permissions(&browser, fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = support::sheaf()
        .args(["serve", "--port", "0", "--open", "--root"])
        .arg(site.path())
        .env("BROWSER", &browser)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let written = || fs::read_to_string(&opened).is_ok_and(|t| t.ends_with('\n'));
    while !written() && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let url = fs::read_to_string(&opened).expect("the browser was not started");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(url.trim_end().ends_with('/'), "{url}");
}

/// `--poll` (network drives, containers): changes are found by polling, not by events.
#[test]
fn polling_sees_edits_too() {
    let server = Server::start_with_args(|_| {}, &["--poll"]);
    let mut events = server.events();
    edit(
        &server.path("content/essays/first-light.md"),
        "The oldest essay. It",
        "A polled edit. It",
    );
    events.wait_for("event: reload\ndata: reload\n");
    let page = server.get("/sheaf/essays/first-light/");
    assert!(page.body.contains("A polled edit."), "{}", page.body);
}

/// Issue #19's instant start: a page asked for right after start is rendered before the
/// rest of a large site (here 2,000 essays with highlighted code), and is the page the
/// finished site serves, byte for byte (but the build number on its reload script).
#[test]
fn a_page_requested_at_start_is_served_before_the_site_is_built() {
    let server = Server::start_with(|root| bulk_essays(root, 2000));
    let early = server.get("/sheaf/essays/bulk-1234/");
    let served = Instant::now();
    assert_eq!(early.status, 200, "{}", early.body);
    assert!(early.body.contains("Bulk 1234"));
    let deadline = Instant::now() + Duration::from_secs(120);
    let built = loop {
        if let Some(at) = server.printed("built in") {
            break at;
        }
        assert!(
            Instant::now() < deadline,
            "the site never finished building"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        served < built,
        "the page was served only {:?} after the whole site was built",
        served - built
    );
    let finished = server.get("/sheaf/essays/bulk-1234/");
    let unstamped = |body: &str| {
        let at = body.find("live.js?build=").expect("the reload script");
        let end = at + body[at..].find('"').unwrap();
        format!("{}{}", &body[..at], &body[end..])
    };
    assert_eq!(unstamped(&early.body), unstamped(&finished.body));
}

/// A feed asked for while the site builds jumps the queue as a page does (a feed reader,
/// or the author checking a new essay is in it): it is rendered from the bodies of the
/// entries it carries, before the rest of the site, and is the feed the finished site
/// serves, byte for byte.
#[test]
fn a_feed_requested_at_start_is_served_before_the_site_is_built() {
    let server = Server::start_with(|root| bulk_essays(root, 2000));
    // Each with the full text of an entry: the fixture's newest essay, a bulk essay's links.
    let feeds = [
        ("feed.json", "strong text"),
        ("rss.xml", "strong text"),
        ("tags/bulk/rss.xml", "the middle"),
    ];
    let mut early = Vec::new();
    for (feed, text) in feeds {
        let response = server.get(&format!("/sheaf/{feed}"));
        assert_eq!(response.status, 200, "{feed}: {}", response.body);
        assert!(response.body.contains(text), "{feed}: {}", response.body);
        assert!(
            server.printed("built in").is_none(),
            "{feed} waited for the whole site"
        );
        early.push(response.body);
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.printed("built in").is_none() {
        assert!(
            Instant::now() < deadline,
            "the site never finished building"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    for ((feed, _), early) in feeds.iter().zip(early) {
        let finished = server.get(&format!("/sheaf/{feed}"));
        assert!(
            finished.body == early,
            "{feed} changed once the site was built"
        );
    }
}

/// A broken link on the requested page is reported by the early step, not served.
#[test]
fn a_requested_page_with_a_broken_link_shows_the_error_at_start() {
    let server = Server::start_with(|root| {
        fs::write(
            root.join("content/essays/broken.md"),
            "---\ntitle: Broken\ndate: 2023-01-01\n---\n[gone](nowhere.md)\n",
        )
        .unwrap();
    });
    let page = server.get("/sheaf/essays/broken/");
    assert_eq!(page.status, 404, "{}", page.body);
    let errors = server.get("/sheaf/__sheaf/errors");
    assert!(errors.body.contains("nowhere.md"), "{}", errors.body);
}

/// `count` essays with highlighted code and links between them: a site that takes seconds
/// to build in a debug binary.
fn bulk_essays(root: &std::path::Path, count: usize) {
    for n in 0..count {
        fs::write(
            root.join(format!("content/essays/bulk-{n:04}.md")),
            format!(
                "---\ntitle: Bulk {n}\ndate: 2023-01-01\ntags: [bulk]\n---\n## Part {n}\n\n```rust\nfn part_{n}() -> u32 {{ {n} }}\n```\n\nSee [the middle](middle-ground.md) and [part one](bulk-0001.md#part-1).\n"
            ),
        )
        .unwrap();
    }
}

/// Regression (found by a review): a save that removes files reported them among the
/// changed ones, against a total that no longer holds them ("80 of 76 files changed").
#[test]
fn a_save_that_removes_pages_reports_them_apart() {
    let server = Server::start_with(|root| bulk_essays(root, 60));
    assert!(eventually(Duration::from_secs(60), || server
        .printed("built in")
        .is_some()));
    std::fs::write(
        server.path("config.yaml"),
        std::fs::read_to_string(server.path("config.yaml")).unwrap() + "paginate_by: 50\n",
    )
    .unwrap();
    assert!(eventually(Duration::from_secs(60), || {
        server.printed_lines("built in").len() >= 2
    }));
    let line = server.printed_lines("built in").pop().unwrap();
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    // `built in T ms…: C of N files changed, R removed`
    let [.., changed, total, removed] = numbers[..] else {
        panic!("{line}");
    };
    assert!(line.ends_with(" removed"), "{line}");
    assert!(changed <= total && removed > 0, "{line}");
}

/// A page that no build makes, asked for over and over while the site builds (a client
/// polling a deleted page, giving up on each request after 10 ms): the first request stops
/// the run once to look for it; the others stop nothing, so the build finishes and the page
/// is a 404. (Each request used to stop the run again, and the build never finished while
/// the polling went on.)
#[test]
fn polling_a_missing_page_does_not_hold_up_the_build() {
    let server = Server::start_with(|root| bulk_essays(root, 2000));
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut polls = 0;
    while server.printed("built in").is_none() {
        assert!(
            Instant::now() < deadline,
            "the site never finished building under {polls} polls of a missing page"
        );
        let abandoned = server.connect("/sheaf/essays/never-written/");
        std::thread::sleep(Duration::from_millis(10));
        drop(abandoned);
        polls += 1;
    }
    assert!(polls > 1, "the site was built before the polling began");
    assert_eq!(server.get("/sheaf/essays/never-written/").status, 404);
    assert_eq!(server.get("/sheaf/essays/bulk-1999/").status, 200);
}

/// Issue #19: at start-up a page that will not exist is answered with the site's 404 page
/// as soon as the plan knows it (the model is assembled), not once the whole site is built;
/// an old URL (`aliases:`) gets its redirect page as early as any page.
#[test]
fn a_missing_page_asked_at_start_is_a_404_before_the_site_is_built() {
    let server = Server::start_with(|root| {
        bulk_essays(root, 2000);
        let first = root.join("content/essays/bulk-0000.md");
        let text = std::fs::read_to_string(&first).unwrap();
        std::fs::write(
            &first,
            text.replacen("\ntitle:", "\naliases: [/old/bulk/]\ntitle:", 1),
        )
        .unwrap();
    });
    let missing = server.get("/sheaf/essays/never-written/");
    assert_eq!(missing.status, 404);
    assert!(
        server.printed("built in").is_none(),
        "the 404 waited for the whole site"
    );
    assert!(
        missing.body.contains("<main"),
        "the site's own 404 page: {}",
        missing.body
    );
    let alias = server.get("/sheaf/old/bulk/");
    assert!(
        server.printed("built in").is_none(),
        "the redirect page waited for the whole site"
    );
    assert_eq!(alias.status, 200);
    assert!(
        alias.body.contains("/sheaf/essays/bulk-0000/"),
        "{}",
        alias.body
    );
}
