//! `sheaf check --external` against a local server: never the internet.
//!
//! An axum server on 127.0.0.1 answers each way a real site can (200, 404, 301, 308, 302,
//! HEAD refused, 429, 503 with Retry-After, 500, a redirect loop, too slow) and records
//! every request it gets. A port that was just closed stands for a site that is down. The
//! fixture sites are written into temporary folders, since their links name the server's
//! port.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use sheaf::testing::{self as linkcheck, Outcome, Settings, Url, render_site};
use sheaf::{BuildOptions, Diagnostic, Severity};

use crate::support::{self, Run};

// ---------------------------------------------------------------- the server

/// A request the server got.
#[derive(Debug, Clone)]
struct Hit {
    method: Method,
    /// Path and query: `/ok?a=1&b=2`.
    target: String,
    user_agent: String,
}

#[derive(Clone, Default)]
struct Record {
    hits: Arc<Mutex<Vec<Hit>>>,
    in_flight: Arc<AtomicUsize>,
    most_in_flight: Arc<AtomicUsize>,
}

/// Counts a request out when its handler ends, or is dropped because the client left.
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn count(State(record): State<Record>, request: Request, next: Next) -> Response {
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    record.hits.lock().unwrap().push(Hit {
        method: request.method().clone(),
        target: request.uri().to_string(),
        user_agent,
    });
    let now = record.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _in_flight = InFlight(Arc::clone(&record.in_flight));
    record.most_in_flight.fetch_max(now, Ordering::SeqCst);
    next.run(request).await
}

fn redirect(status: StatusCode, to: &'static str) -> impl IntoResponse {
    (status, [(header::LOCATION, to)])
}

/// How long `/slow` takes: far beyond the tests' timeout.
const SLOW: Duration = Duration::from_secs(3);
/// The timeout the module-level tests use instead of the 10 s default: short, but long
/// enough for a loaded machine to answer the other routes.
const TEST_TIMEOUT: Duration = Duration::from_millis(500);
/// How long `/hold/{n}` keeps a request in flight, so concurrent requests overlap.
const HOLD: Duration = Duration::from_millis(100);

fn app(record: Record) -> Router {
    Router::new()
        .route("/ok", get(|| async { "fine" }))
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route("/missing-too", get(|| async { StatusCode::NOT_FOUND }))
        .route("/gone", get(|| async { StatusCode::GONE }))
        .route("/author", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/error",
            get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
        )
        .route(
            "/moved",
            get(|| async { redirect(StatusCode::MOVED_PERMANENTLY, "/ok") }),
        )
        .route(
            "/permanent",
            get(|| async { redirect(StatusCode::PERMANENT_REDIRECT, "/ok") }),
        )
        .route(
            "/temporary",
            get(|| async { redirect(StatusCode::FOUND, "/ok") }),
        )
        .route(
            "/moved-then-missing",
            get(|| async { redirect(StatusCode::MOVED_PERMANENTLY, "/missing-too") }),
        )
        .route(
            "/loop",
            get(|| async { redirect(StatusCode::FOUND, "/loop") }),
        )
        .route(
            "/no-head",
            any(|method: Method| async move {
                if method == Method::HEAD {
                    StatusCode::METHOD_NOT_ALLOWED
                } else {
                    StatusCode::OK
                }
            }),
        )
        .route(
            "/busy",
            get(|| async { (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "30")]) }),
        )
        .route(
            "/down",
            get(|| async {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "120")],
                )
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(SLOW).await;
                "late"
            }),
        )
        .route(
            "/hold/{n}",
            get(|| async {
                tokio::time::sleep(HOLD).await;
                "held"
            }),
        )
        .layer(middleware::from_fn_with_state(record, count))
}

/// The server, on its own thread and runtime so tests that run the `sheaf` binary can
/// block; stopped when dropped.
struct Server {
    addr: SocketAddr,
    record: Record,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start() -> Server {
        let record = Record::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = app(record.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                tokio::select! {
                    served = axum::serve(listener, app) => served.unwrap(),
                    _ = stopped => {}
                }
            });
        });
        Server {
            addr,
            record,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn url(&self, path: &str) -> Url {
        Url::parse(&format!("{}{path}", self.base())).unwrap()
    }

    fn hits(&self) -> Vec<Hit> {
        self.record.hits.lock().unwrap().clone()
    }

    /// The methods of the requests for `target` (path and query), in order.
    fn methods(&self, target: &str) -> Vec<Method> {
        let hits = self.hits().into_iter();
        hits.filter(|h| h.target == target)
            .map(|h| h.method)
            .collect()
    }

    fn most_in_flight(&self) -> usize {
        self.record.most_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `http://127.0.0.1:PORT` where nothing listens: a port bound and released at once.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

// ---------------------------------------------------------------- the sites

/// The shared [`support::Site`], its links pointing at `server`.
struct Site(support::Site);

impl std::ops::Deref for Site {
    type Target = support::Site;

    fn deref(&self) -> &support::Site {
        &self.0
    }
}

impl Site {
    /// `essays` are (file name, body lines); `{B}` in a body is the server's base URL and
    /// `{CLOSED}` the closed port's. The body starts on line 6 of each file.
    fn new(server: &Server, essays: &[(&str, &str)], author: bool, footer: Option<&str>) -> Site {
        let b = server.base();
        let closed = closed_port();
        let fill = |s: &str| s.replace("{B}", &b).replace("{CLOSED}", &closed);
        let mut config =
            format!("title: Links\nbase_url: {b}/own/\ndescription: Links to check.\n");
        if author {
            config.push_str(&format!("author:\n  name: A. Writer\n  url: {b}/author\n"));
        }
        let mut site = support::Site::new()
            .prefix("linkcheck")
            .config(&config)
            .page(
                "_index.md",
                "---\ntitle: Links\ndescription: Home.\n---\nHome.\n",
            )
            .page(
                "essays/_index.md",
                "---\ntitle: Essays\nsort_by: date\n---\n",
            );
        for (i, (name, body)) in essays.iter().enumerate() {
            let text = format!(
                "---\ntitle: Essay {i}\ndate: 2025-01-0{}\ndescription: Links.\n---\n{}\n",
                i + 1,
                fill(body)
            );
            site = site.page(&format!("essays/{name}"), &text);
        }
        if let Some(footer) = footer {
            site = site.file("templates/partials/footer.html", fill(footer));
        }
        Site(site.create())
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.root.join("public"),
            drafts: false,
            future: false,
            base_url: None,
            preview: false,
        }
    }

    fn text(&self, rel: &str) -> String {
        support::read(self.root.join(rel))
    }
}

/// Every kind of answer, one per line from line 6 of the essay.
const LINKS_MD: &str = "\
A [good link]({B}/ok?a=1&b=2) and a [missing one]({B}/missing).

- [moved]({B}/moved)
- [perm]({B}/permanent#part)
- [temp]({B}/temporary)
- [then]({B}/moved-then-missing)
- [head]({B}/no-head)
- [busy]({B}/busy)
- [down]({B}/down)
- [fail]({B}/error)
- [loop]({B}/loop)
- [slow]({B}/slow)
- [shut]({CLOSED}/)
- <{B}/ok>
- [self]({B}/own/essays/more/)
";

/// The same two links again, in another essay.
const MORE_MD: &str = "[Good again]({B}/ok?a=1&b=2), [missing again]({B}/missing).";

const FOOTER: &str = "<footer><a href=\"{{ config.author.url }}\">{{ config.author.name }}</a>\n\
                      <p><a href=\"{B}/gone\">an old friend</a></p></footer>\n";

/// A page of the site's static/ folder, copied as it is: its links are its own source.
const OLD_PAGE: &str = "<!doctype html>\n<title>Old</title>\n\
                        <p>Kept from the old site: <a href=\"{B}/missing\">gone</a></p>\n";

fn fixture_site(server: &Server, with_slow: bool) -> Site {
    let links = if with_slow {
        LINKS_MD.to_string()
    } else {
        LINKS_MD.replace("- [slow]({B}/slow)\n", "")
    };
    let site = Site::new(
        server,
        &[("links.md", &links), ("more.md", MORE_MD)],
        true,
        Some(FOOTER),
    );
    let old_page = OLD_PAGE.replace("{B}", &server.base());
    support::write(site.root.join("static/old.html"), &old_page);
    site
}

/// 1-based line and character column of `needle` in `text` (the first line containing it
/// at or after `from_line`).
fn position(text: &str, needle: &str, from_line: usize) -> (usize, usize) {
    for (i, line) in text.lines().enumerate().skip(from_line - 1) {
        if let Some(at) = line.find(needle) {
            return (i + 1, line[..at].chars().count() + 1);
        }
    }
    panic!("`{needle}` not in\n{text}");
}

fn settings() -> Settings {
    Settings {
        timeout: TEST_TIMEOUT,
        ..Settings::default()
    }
}

/// The diagnostics whose message names `url` exactly, as (file, line, column, severity).
fn at(diagnostics: &[Diagnostic], url: &str) -> Vec<(String, usize, usize, Severity)> {
    let mut found: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.message.contains(&format!("`{url}`")))
        .map(|d| {
            let l = d.location.as_ref().expect("located");
            let file = l.file.to_string_lossy().replace('\\', "/");
            (file, l.line, l.column, d.severity)
        })
        .collect();
    found.sort();
    found
}

// ---------------------------------------------------------------- module-level tests

/// Each kind of answer becomes the right outcome; the slow one times out at the injected
/// timeout, so the whole run ends before the server's 3 s delay would.
#[tokio::test]
async fn each_kind_of_answer_has_its_outcome() {
    let server = Server::start();
    let closed = Url::parse(&format!("{}/", closed_port())).unwrap();
    let paths = [
        "/ok",
        "/missing",
        "/moved",
        "/permanent",
        "/temporary",
        "/moved-then-missing",
        "/no-head",
        "/busy",
        "/down",
        "/error",
        "/loop",
        "/slow",
    ];
    let mut urls: Vec<Url> = paths.iter().map(|p| server.url(p)).collect();
    urls.push(closed.clone());
    let started = Instant::now();
    let outcomes = linkcheck::check_urls(urls, &settings()).await.unwrap();
    let took = started.elapsed();
    let outcome = |url: &Url| {
        outcomes
            .iter()
            .find(|(u, _)| u == url)
            .map(|(_, o)| o.clone())
            .unwrap_or_else(|| panic!("no outcome for {url}"))
    };
    let of = |path: &str| outcome(&server.url(path));

    assert_eq!(of("/ok"), Outcome::Ok);
    assert_eq!(
        of("/temporary"),
        Outcome::Ok,
        "a temporary redirect is fine"
    );
    assert_eq!(of("/no-head"), Outcome::Ok, "GET after HEAD was refused");
    assert_eq!(server.methods("/no-head"), [Method::HEAD, Method::GET]);
    assert!(
        !server.methods("/ok").contains(&Method::GET),
        "HEAD is enough, for the link and the redirects to it"
    );
    let moved = |status, path| Outcome::Moved {
        status,
        to: server.url(path),
    };
    assert_eq!(of("/moved"), moved(StatusCode::MOVED_PERMANENTLY, "/ok"));
    assert_eq!(
        of("/permanent"),
        moved(StatusCode::PERMANENT_REDIRECT, "/ok")
    );
    let broken = |status, at: Option<&str>| Outcome::Broken {
        status,
        at: at.map(|p| server.url(p)),
    };
    assert_eq!(of("/missing"), broken(StatusCode::NOT_FOUND, None));
    assert_eq!(
        of("/error"),
        broken(StatusCode::INTERNAL_SERVER_ERROR, None)
    );
    assert_eq!(
        of("/moved-then-missing"),
        broken(StatusCode::NOT_FOUND, Some("/missing-too"))
    );
    let limited = |status, after: &str| Outcome::RateLimited {
        status,
        retry_after: Some(after.to_string()),
    };
    assert_eq!(of("/busy"), limited(StatusCode::TOO_MANY_REQUESTS, "30"));
    assert_eq!(of("/down"), limited(StatusCode::SERVICE_UNAVAILABLE, "120"));
    assert_eq!(
        of("/loop"),
        Outcome::TooManyRedirects {
            last: server.url("/loop")
        }
    );
    assert_eq!(
        server.methods("/loop").len(),
        linkcheck::MAX_REDIRECTS + 1,
        "the first request and ten redirects"
    );
    match of("/slow") {
        Outcome::Unreachable { reason, at: None } => {
            assert_eq!(reason, "no answer within 500 ms")
        }
        other => panic!("slow: {other:?}"),
    }
    match outcome(&closed) {
        Outcome::Unreachable { reason, at: None } => {
            assert_eq!(reason, "connection refused")
        }
        other => panic!("closed port: {other:?}"),
    }
    assert!(
        took < SLOW,
        "the timeout cut the slow request short; took {took:?}"
    );
    let agents: Vec<String> = server.hits().into_iter().map(|h| h.user_agent).collect();
    let expected = format!("sheaf/{} ", env!("CARGO_PKG_VERSION"));
    assert!(
        agents.iter().all(|a| a.starts_with(&expected)),
        "{agents:?}"
    );
}

/// A whole site: each link is requested once, and each problem is reported at every place
/// it is written (Markdown, config.yaml, a template), with the right severity. Links to
/// the site itself are never requested.
#[tokio::test]
async fn site_links_are_reported_where_written() {
    let server = Server::start();
    let site = fixture_site(&server, true);
    let built = render_site(&site.options()).expect("the fixture site builds");
    let report = linkcheck::check(&built, &site.root, &settings()).await;
    let diagnostics: Vec<Diagnostic> = report.diagnostics.sorted();
    let b = server.base();
    let links = site.text("content/essays/links.md");
    let more = site.text("content/essays/more.md");
    let in_links = |needle: &str| {
        let (line, col) = position(&links, &format!("{b}{needle}"), 6);
        ("content/essays/links.md".to_string(), line, col)
    };
    let in_more = |needle: &str| {
        let (line, col) = position(&more, &format!("{b}{needle}"), 6);
        ("content/essays/more.md".to_string(), line, col)
    };
    let error = |(f, l, c): (String, usize, usize)| (f, l, c, Severity::Error);
    let warning = |(f, l, c): (String, usize, usize)| (f, l, c, Severity::Warning);

    // Fixed positions, to catch a column counted in bytes or from 0.
    assert_eq!(in_links("/ok?a=1&b=2").1, 6);
    assert_eq!(in_links("/ok?a=1&b=2").2, 15);
    assert_eq!(in_links("/moved)").1..=in_links("/moved)").2, 8..=11);

    let url = |p: &str| format!("{b}{p}");
    assert_eq!(
        at(&diagnostics, &url("/missing")),
        [
            error(in_links("/missing")),
            error(in_more("/missing")),
            ("static/old.html".to_string(), 3, 37, Severity::Error)
        ],
        "reported at each place"
    );
    assert_eq!(server.methods("/missing"), [Method::HEAD, Method::GET]);
    assert_eq!(
        server.methods("/ok?a=1&b=2"),
        [Method::HEAD],
        "requested once for two essays, `&amp;` decoded"
    );
    assert!(at(&diagnostics, &url("/ok?a=1&b=2")).is_empty());
    assert!(at(&diagnostics, &url("/ok")).is_empty());
    assert_eq!(
        at(&diagnostics, &url("/moved")),
        [warning(in_links("/moved)"))]
    );
    assert_eq!(
        at(&diagnostics, &url("/permanent#part")),
        [warning(in_links("/permanent#part"))]
    );
    let permanent = diagnostics
        .iter()
        .find(|d| d.message.contains("/permanent#part"))
        .unwrap();
    assert_eq!(
        permanent.help.as_deref(),
        Some(format!("update the link to `{b}/ok#part`").as_str())
    );
    assert!(at(&diagnostics, &url("/temporary")).is_empty());
    assert!(at(&diagnostics, &url("/no-head")).is_empty());
    assert_eq!(
        at(&diagnostics, &url("/moved-then-missing")),
        [error(in_links("/moved-then-missing"))]
    );
    assert_eq!(
        at(&diagnostics, &url("/busy")),
        [warning(in_links("/busy"))]
    );
    assert_eq!(
        at(&diagnostics, &url("/down")),
        [warning(in_links("/down"))]
    );
    assert_eq!(
        at(&diagnostics, &url("/error")),
        [error(in_links("/error"))]
    );
    assert_eq!(at(&diagnostics, &url("/loop")), [error(in_links("/loop"))]);
    assert_eq!(at(&diagnostics, &url("/slow")), [error(in_links("/slow"))]);
    let shut = diagnostics
        .iter()
        .find(|d| {
            d.message
                .starts_with("unreachable link to `http://127.0.0.1:")
                && !d.message.contains("/slow")
        })
        .expect("the closed port is reported");
    assert_eq!(shut.location.as_ref().unwrap().line, 18);
    // A theme link through config.yaml, and one written in a site template.
    let config = site.text("config.yaml");
    let (line, col) = position(&config, &url("/author"), 1);
    assert_eq!(
        at(&diagnostics, &url("/author")),
        [("config.yaml".to_string(), line, col, Severity::Error)]
    );
    let footer = site.text("templates/partials/footer.html");
    let (line, col) = position(&footer, &url("/gone"), 1);
    assert_eq!((line, col), (2, 13));
    assert_eq!(
        at(&diagnostics, &url("/gone")),
        [(
            "templates/partials/footer.html".to_string(),
            line,
            col,
            Severity::Error
        )]
    );
    let missing = diagnostics
        .iter()
        .find(|d| d.message.contains("/missing`"))
        .unwrap();
    assert_eq!(missing.label.as_deref(), Some("404 Not Found"));
    assert_eq!(
        missing.help.as_deref(),
        Some("the server answered 404 Not Found; fix or remove the link")
    );

    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    assert_eq!(errors, 10, "{diagnostics:#?}");
    assert_eq!(diagnostics.len(), 14, "{diagnostics:#?}");
    assert!(
        server.hits().iter().all(|h| !h.target.starts_with("/own")),
        "the site's own URLs (canonical, feeds, absolute self-links) are not requested: {:?}",
        server.hits()
    );
}

/// At most `concurrency` requests are in flight at once, and at most `per_host` to one
/// host; each limit is also reached, so the checks do run side by side.
#[tokio::test]
async fn requests_in_flight_stay_within_the_limits() {
    for (concurrency, per_host, expected) in [(3, 8, 3), (8, 2, 2)] {
        let server = Server::start();
        let urls: Vec<Url> = (0..8).map(|i| server.url(&format!("/hold/{i}"))).collect();
        let settings = Settings {
            concurrency,
            per_host,
            ..settings()
        };
        let outcomes = linkcheck::check_urls(urls, &settings).await.unwrap();
        assert!(
            outcomes.iter().all(|(_, o)| *o == Outcome::Ok),
            "{outcomes:?}"
        );
        assert_eq!(server.hits().len(), 8);
        assert_eq!(
            server.most_in_flight(),
            expected,
            "concurrency {concurrency}, per host {per_host}"
        );
    }
}

// ---------------------------------------------------------------- the binary

fn run(args: &[&str], root: &Path) -> (i32, String, String) {
    let run = Run::of(
        support::sheaf()
            .args(args)
            .arg("--root")
            .arg(root)
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy"),
    );
    (run.code.unwrap_or(-1), run.stdout, run.stderr)
}

/// `sheaf check --external` exits 1 and prints each problem at its file:line:col; the slow
/// link is left out here, since the binary waits the full 10 s.
#[test]
fn check_external_reports_and_fails() {
    let server = Server::start();
    let site = fixture_site(&server, false);
    let (code, stdout, stderr) = run(&["check", "--external"], &site.root);
    assert_eq!(code, 1, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let links = site.text("content/essays/links.md");
    let (line, col) = position(&links, &format!("{}/missing", server.base()), 6);
    assert!(
        stderr.contains(&format!(
            "error: broken link to `{}/missing`\n",
            server.base()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("--> content/essays/links.md:{line}:{col}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: the server answered 404 Not Found; fix or remove the link"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/essays/more.md:6:"), "{stderr}");
    assert!(stderr.contains("--> static/old.html:3:37"), "{stderr}");
    assert!(stderr.contains("--> config.yaml:6:8"), "{stderr}");
    assert!(
        stderr.contains("--> templates/partials/footer.html:2:13"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "warning: link to `{}/moved` has moved permanently",
            server.base()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/essays/links.md:8:11"),
        "{stderr}"
    );
    assert!(stderr.contains("error: 9 problems found"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
}

/// A site whose outside links are all good passes, and says how much it checked.
#[test]
fn check_external_passes_a_good_site() {
    let server = Server::start();
    let site = Site::new(
        &server,
        &[("a.md", "[a]({B}/ok) [b]({B}/temporary) [c]({B}/no-head)")],
        false,
        None,
    );
    let (code, stdout, stderr) = run(&["check", "--external"], &site.root);
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(stdout, "no problems found (3 links to 1 site checked)\n");
    assert!(stderr.is_empty(), "{stderr}");
}

/// Without `--external`, `check` and `build` make no requests at all: the broken links of
/// the fixture go unnoticed and both succeed.
#[test]
fn plain_check_and_build_stay_off_the_network() {
    let server = Server::start();
    let site = fixture_site(&server, true);
    let (code, stdout, stderr) = run(&["check"], &site.root);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "no problems found\n"),
        "{stderr}"
    );
    let out = site.root.join("public");
    let (code, _, stderr) = run(&["build", "--output", out.to_str().unwrap()], &site.root);
    assert_eq!(code, 0, "{stderr}");
    assert!(server.hits().is_empty(), "{:?}", server.hits());
}
