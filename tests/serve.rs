//! `sheaf serve` end to end: the real binary on a temporary copy of the basic fixture, with a
//! base path (`/sheaf/`), spoken to over raw HTTP/1.1. Every wait is bounded.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

const WAIT: Duration = Duration::from_secs(10);

/// A running `sheaf serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    site: TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts on a free port, on a copy of site-basic served under `/sheaf/`.
    fn start() -> Server {
        Server::start_with(|_| {})
    }

    /// Like `start`, with `prepare` run on the copy first.
    fn start_with(prepare: impl FnOnce(&Path)) -> Server {
        Server::start_with_args(prepare, &[])
    }

    /// Like `start_with`, with extra `sheaf serve` arguments.
    fn start_with_args(prepare: impl FnOnce(&Path), args: &[&str]) -> Server {
        let site = common::copy_fixture("site-basic");
        prepare(site.path());
        let config = site.path().join("config.yaml");
        let text = fs::read_to_string(&config).unwrap();
        fs::write(
            &config,
            text.replace(
                "base_url: https://example.org/",
                "base_url: https://example.org/sheaf/",
            ),
        )
        .unwrap();
        let mut child = common::sheaf()
            .args(["serve", "--port", "0", "--root"])
            .arg(site.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("serving http://") {
                    let addr = rest.split('/').next().unwrap().to_string();
                    let _ = tx.send(addr);
                }
            }
        });
        let addr = match rx.recv_timeout(WAIT) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!("no `serving` line within {WAIT:?}");
            }
        };
        Server { child, addr, site }
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.site.path().join(rel)
    }

    fn get(&self, path: &str) -> Response {
        let mut stream = self.connect(path);
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }

    /// Sends a GET and returns the open stream, positioned at the start of the response.
    fn connect(&self, path: &str) -> TcpStream {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        stream
    }

    /// Opens the event stream and waits until the server has subscribed it.
    fn events(&self) -> Events {
        let mut events = Events {
            stream: self.connect("/sheaf/__sheaf/events"),
            seen: String::new(),
        };
        events.wait_for("event: build");
        events
    }

    /// Polls `path` until `check` holds (a rebuild is asynchronous to the event).
    fn get_until(&self, path: &str, check: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if check(&r) || start.elapsed() > WAIT {
                return r;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).unwrap_or("0").parse().unwrap();
        Response {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            l.strip_prefix(name)
                .and_then(|r| r.strip_prefix(':'))
                .map(str::trim)
        })
    }
}

/// The SSE connection (events must carry a `data:` line: browsers drop events without one,
/// which once left the page never reloading although curl saw every event).; `seen` accumulates everything read so far.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Reads until `needle` appears after what was already consumed; consumes through it.
    fn wait_for(&mut self, needle: &str) -> String {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        loop {
            if let Some(at) = self.seen.find(needle) {
                let rest = self.seen.split_off(at + needle.len());
                let upto = std::mem::replace(&mut self.seen, rest);
                // Return the event's data line (if any) that follows the needle.
                let data = self.seen.lines().find(|l| l.starts_with("data:"));
                return format!("{upto}{}", data.unwrap_or(""));
            }
            assert!(
                start.elapsed() < WAIT,
                "no {needle:?} within {WAIT:?}; got {:?}",
                self.seen
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("event stream closed; got {:?}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(e) => panic!("reading events: {e}; got {:?}", self.seen),
            }
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

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
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("root:"), "{path}");
        assert!(!r.body.contains("base_url:"), "{path}");
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
    let server = Server::start_with(|root| fs::remove_dir_all(root.join("templates")).unwrap());
    let mut events = server.events();

    let old = server.path("content/essays/first-light.md");
    fs::rename(&old, server.path("content/essays/first-light-moved.md")).unwrap();
    events.wait_for("event: reload\ndata: reload\n");
    assert_eq!(server.get("/sheaf/essays/first-light/").status, 404);
    assert_eq!(server.get("/sheaf/essays/first-light-moved/").status, 200);
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
    let note = server.get("/sheaf/notes/one/");
    assert_eq!(note.status, 200, "{}", note.body);
    assert!(
        server
            .get("/sheaf/tags/fresh-tag/")
            .body
            .contains("Note one")
    );

    // A `templates/` folder that did not exist at start is watched once it appears.
    move_in(
        &server,
        "templates",
        &[("partials/footer.html", "<footer>first footer</footer>\n")],
    );
    events.wait_for("event: reload\ndata: reload\n");
    assert!(server.get("/sheaf/").body.contains("first footer"));
    let footer = server.path("templates/partials/footer.html");
    fs::write(&footer, "<footer>second footer</footer>\n").unwrap();
    events.wait_for("event: reload\ndata: reload\n");
    assert!(server.get("/sheaf/").body.contains("second footer"));
}

#[cfg(unix)]
#[test]
fn open_hands_the_site_url_to_the_browser() {
    use std::os::unix::fs::PermissionsExt;
    let site = common::copy_fixture("site-basic");
    let opened = site.path().join("opened.txt");
    let browser = site.path().join("browser.sh");
    fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    fs::set_permissions(&browser, fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = common::sheaf()
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
