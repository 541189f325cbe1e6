//! `sheaf serve` under load and attack (issue #7): a hundred live-reload clients through
//! several edits, slow clients (slowloris), symbolic links out of the site, the listening
//! address. The real binary on a copy of the basic fixture, spoken to over raw HTTP/1.1; every
//! wait is bounded, and the bounds are generous (a loaded 2-core machine must not fail them).

mod common;
#[path = "common/serve.rs"]
mod serve_common;

use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serve_common::{Server, WAIT};

/// The server's header-read timeout (src/serve/accept.rs).
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A `/proc/<pid>/status` field in KiB (`VmRSS`, `VmHWM`).
fn status_kib(pid: u32, field: &str) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// How many file descriptors the process has open (each client connection is one).
fn open_fds(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count()
}

/// Polls `done` until it holds or `limit` passes; returns whether it held.
fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if done() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One live-reload client on its own thread, counting the `reload` events it receives.
struct Listener {
    /// Set once the server's first event (`build`) arrived: the client is subscribed.
    subscribed: Arc<AtomicBool>,
    reloads: Arc<AtomicUsize>,
    /// The same socket, to close it from the test.
    socket: TcpStream,
    thread: JoinHandle<()>,
}

impl Listener {
    fn connect(server: &Server, page: &str) -> Listener {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        write!(
            stream,
            "GET /sheaf/__sheaf/events?page={page} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            server.addr
        )
        .unwrap();
        let socket = stream.try_clone().unwrap();
        let subscribed = Arc::new(AtomicBool::new(false));
        let reloads = Arc::new(AtomicUsize::new(0));
        let (s, r) = (subscribed.clone(), reloads.clone());
        let thread = std::thread::spawn(move || {
            let mut seen = String::new();
            let mut buf = [0u8; 4096];
            // Until the test closes the socket (or the server does).
            while let Ok(n @ 1..) = stream.read(&mut buf) {
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
                if seen.contains("event: build\n") {
                    s.store(true, Ordering::SeqCst);
                }
                r.store(seen.matches("event: reload\n").count(), Ordering::SeqCst);
            }
        });
        Listener {
            subscribed,
            reloads,
            socket,
            thread,
        }
    }

    fn close(self) {
        let _ = self.socket.shutdown(Shutdown::Both);
        let _ = self.thread.join();
    }
}

/// An editor's atomic save: the new text written beside the file, then renamed over it.
fn save(path: &std::path::Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    let temp = path.with_extension("md.tmp");
    fs::write(&temp, text.replacen(from, to, 1)).unwrap();
    fs::rename(&temp, path).unwrap();
}

/// The number of the build the server is on, as a new event stream is told it.
fn current_build(server: &Server) -> usize {
    let mut events = server.events();
    let line = events.wait_for("\n\n");
    let data = line
        .lines()
        .find_map(|l| l.strip_prefix("data:"))
        .unwrap_or_else(|| panic!("no build number in {line:?}"));
    data.trim().parse().unwrap()
}

/// 100 open pages (100 event streams) while an essay is saved several times: every client
/// gets every reload, the server's memory stays bounded, and once the clients go their
/// connections are closed on the server too (its open file descriptors fall back).
#[test]
fn a_hundred_live_reload_clients_get_every_reload_and_are_let_go() {
    const CLIENTS: usize = 100;
    const EDITS: usize = 5;
    let server = Server::start();
    let pid = server.pid();
    assert_eq!(server.get("/sheaf/").status, 200);
    let fds_before = open_fds(pid);
    let rss_before = status_kib(pid, "VmRSS");

    let pages = ["/sheaf/", "/sheaf/essays/first-light/", "/sheaf/tags/"];
    let clients: Vec<Listener> = (0..CLIENTS)
        .map(|i| Listener::connect(&server, pages[i % pages.len()]))
        .collect();
    assert!(
        eventually(WAIT * 3, || clients
            .iter()
            .all(|c| c.subscribed.load(Ordering::SeqCst))),
        "only {} of {CLIENTS} clients were subscribed",
        clients
            .iter()
            .filter(|c| c.subscribed.load(Ordering::SeqCst))
            .count()
    );
    // (Give or take the socket of the request above, which the server may still be closing.)
    let fds_with_clients = open_fds(pid);
    assert!(
        fds_with_clients + 2 >= fds_before + CLIENTS,
        "the server holds a connection per client: {fds_with_clients} descriptors, {fds_before} before"
    );

    let essay = server.path("content/essays/first-light.md");
    let mut text = "The oldest essay. It".to_string();
    for edit_no in 1..=EDITS {
        let next = format!("Edit number {edit_no} of the oldest essay. It");
        save(&essay, &text, &next);
        text = next;
        // One save, one rebuild, one reload for each client (should the watcher split a save
        // in two, that is two: counted exactly below, against the server's own count).
        let reached = eventually(WAIT * 3, || {
            clients
                .iter()
                .all(|c| c.reloads.load(Ordering::SeqCst) >= edit_no)
        });
        let counts: Vec<usize> = clients
            .iter()
            .map(|c| c.reloads.load(Ordering::SeqCst))
            .collect();
        assert!(
            reached,
            "after edit {edit_no} some clients missed a reload: {counts:?}"
        );
    }
    let page = server.get_until("/sheaf/essays/first-light/", |r| {
        r.body.contains("Edit number 5 of")
    });
    assert!(page.body.contains("Edit number 5 of the oldest essay."));

    // Every good build after the first sent exactly one reload: each client has them all
    // (read again until the server's count stands still, should a rebuild still be running).
    let mut sent = current_build(&server) - 1;
    let all_got = |sent: usize| {
        eventually(WAIT, || {
            clients
                .iter()
                .all(|c| c.reloads.load(Ordering::SeqCst) == sent)
        })
    };
    for _ in 0..5 {
        let got = all_got(sent);
        let now = current_build(&server) - 1;
        if got && now == sent {
            break;
        }
        sent = now;
    }
    assert!(sent >= EDITS, "{sent} reloads sent for {EDITS} edits");
    assert!(
        all_got(sent),
        "clients did not all get the {sent} reloads sent: {:?}",
        clients
            .iter()
            .map(|c| c.reloads.load(Ordering::SeqCst))
            .collect::<Vec<_>>()
    );

    // Memory: 100 subscribers and 5 rebuilds cost little; a per-client or per-event leak
    // (a buffer kept per stream, say) would show as tens of MiB. The bound is generous.
    let rss_after = status_kib(pid, "VmRSS");
    let grown = rss_after.saturating_sub(rss_before);
    assert!(
        grown < 64 * 1024,
        "VmRSS grew by {grown} KiB ({rss_before} -> {rss_after} KiB) with {CLIENTS} clients"
    );

    // Gone clients are let go: their sockets close on the server's side too.
    for client in clients {
        client.close();
    }
    let mut fds = 0;
    assert!(
        eventually(WAIT * 3, || {
            fds = open_fds(pid);
            fds <= fds_before + 2
        }),
        "the server still holds {fds} descriptors ({fds_before} before the clients came)"
    );
    assert_eq!(server.get("/sheaf/").status, 200);
}

/// What a slow client is doing.
#[derive(Debug, Clone, Copy)]
enum Slow {
    /// Connects and sends nothing.
    Silent,
    /// Sends half a request line and stops.
    Stalled,
    /// Sends its headers one byte every 200 ms, never finishing them.
    Trickling,
}

/// A slow client on its own thread; `closed` is set when the server has cut it off.
struct SlowClient {
    kind: Slow,
    closed: Arc<AtomicBool>,
    socket: TcpStream,
    thread: JoinHandle<()>,
}

impl SlowClient {
    fn start(addr: &str, kind: Slow) -> SlowClient {
        let mut stream = TcpStream::connect(addr).unwrap();
        let socket = stream.try_clone().unwrap();
        let closed = Arc::new(AtomicBool::new(false));
        let flag = closed.clone();
        let thread = std::thread::spawn(move || {
            let cut_off = match kind {
                Slow::Silent => read_until_closed(&mut stream),
                Slow::Stalled => {
                    stream.write_all(b"GET /sheaf/ HTT").unwrap();
                    read_until_closed(&mut stream)
                }
                Slow::Trickling => {
                    let head = b"GET /sheaf/ HTTP/1.1\r\nHost: 127.0.0.1\r\n";
                    let filler = b"X-Slow: a\r\n".iter().cycle();
                    let mut cut = false;
                    stream
                        .set_read_timeout(Some(Duration::from_millis(200)))
                        .unwrap();
                    let mut buf = [0u8; 512];
                    for byte in head.iter().chain(filler) {
                        if stream.write_all(&[*byte]).is_err() {
                            cut = true;
                            break;
                        }
                        // A read of 0 (or a reset) means the server closed the connection;
                        // a timeout means it is still open: the pause between two bytes.
                        match stream.read(&mut buf) {
                            Ok(0) => {
                                cut = true;
                                break;
                            }
                            Ok(_) => {}
                            Err(e)
                                if matches!(
                                    e.kind(),
                                    ErrorKind::WouldBlock | ErrorKind::TimedOut
                                ) => {}
                            Err(_) => {
                                cut = true;
                                break;
                            }
                        }
                    }
                    cut
                }
            };
            flag.store(cut_off, Ordering::SeqCst);
        });
        SlowClient {
            kind,
            closed,
            socket,
            thread,
        }
    }
}

/// Reads until the server closes the connection (true) or the test does (false).
fn read_until_closed(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
}

/// Slowloris: connections that never finish their request head are cut off after the
/// header-read timeout, and a normal request made meanwhile is answered at once.
#[test]
fn slow_clients_time_out_without_blocking_others() {
    let server = Server::start();
    let kinds = [Slow::Silent, Slow::Stalled, Slow::Trickling];
    let slow: Vec<SlowClient> = (0..60)
        .map(|i| SlowClient::start(&server.addr, kinds[i % kinds.len()]))
        .collect();
    let started = Instant::now();

    // Normal requests while the slow ones hold their connections.
    for _ in 0..5 {
        let page = server.get("/sheaf/essays/first-light/");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("The oldest essay."));
    }
    // Served while they were all still connected: the requests did not wait for them to go.
    // (A plain GET from memory takes milliseconds; the slow clients have ten seconds.)
    let still_open = slow
        .iter()
        .filter(|c| !c.closed.load(Ordering::SeqCst))
        .count();
    assert_eq!(
        still_open,
        slow.len(),
        "slow clients were cut off before a normal request got through ({:?} in)",
        started.elapsed()
    );

    // Each one is cut off: after the timeout, well within a generous bound.
    let limit = HEADER_READ_TIMEOUT + Duration::from_secs(30);
    let all_closed = eventually(limit, || {
        slow.iter().all(|c| c.closed.load(Ordering::SeqCst))
    });
    let open: Vec<Slow> = slow
        .iter()
        .filter(|c| !c.closed.load(Ordering::SeqCst))
        .map(|c| c.kind)
        .collect();
    for client in slow {
        let _ = client.socket.shutdown(Shutdown::Both);
        let _ = client.thread.join();
    }
    assert!(
        all_closed,
        "still open after {limit:?}: {} slow clients ({open:?})",
        open.len()
    );
    assert_eq!(server.get("/sheaf/").status, 200);
}

/// Symbolic links inside the site pointing out of it never serve what they point at: links in
/// `static/` are not followed (the site builds without them), a link out of `content/` is a
/// build error (the overlay says so; the secret is in no response).
#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_never_serve_their_target() {
    use std::os::unix::fs::symlink;

    let outside = tempfile::tempdir().unwrap();
    const SECRET: &str = "SECRET-7f3a9c-not-for-the-web";
    let secret = outside.path().join("secret.txt");
    fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let secret_md = outside.path().join("secret.md");
    fs::write(&secret_md, format!("---\ntitle: Secret\n---\n{SECRET}\n")).unwrap();

    // static/: links to a file and a folder outside, and to config.yaml (inside the site,
    // outside what is served).
    let server = Server::start_with(|root| {
        symlink(&secret, root.join("static/leak.txt")).unwrap();
        symlink(outside.path(), root.join("static/leakdir")).unwrap();
        symlink(root.join("config.yaml"), root.join("static/config.yaml")).unwrap();
    });
    assert_eq!(server.get("/sheaf/").status, 200, "the site still builds");
    assert_eq!(server.get("/sheaf/hello.txt").status, 200);
    for path in [
        "/sheaf/leak.txt",
        "/sheaf/leakdir/secret.txt",
        "/sheaf/leakdir/secret.md",
        "/sheaf/config.yaml",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains(SECRET), "{path} leaked the secret");
        assert!(!r.body.contains("base_url:"), "{path} leaked config.yaml");
    }
    drop(server);

    // content/: a page and a folder linked from outside.
    let server = Server::start_with(|root| {
        symlink(&secret_md, root.join("content/essays/leak.md")).unwrap();
        symlink(outside.path(), root.join("content/outside")).unwrap();
    });
    let errors = server.get("/sheaf/__sheaf/errors");
    assert!(
        errors.body.contains("content/essays/leak.md"),
        "{}",
        errors.body
    );
    assert!(!errors.body.contains(SECRET), "{}", errors.body);
    for path in [
        "/sheaf/",
        "/sheaf/essays/leak/",
        "/sheaf/outside/secret/",
        "/sheaf/outside/secret.txt",
        "/sheaf/outside/secret.md",
    ] {
        let r = server.get(path);
        assert!(!r.body.contains(SECRET), "{path} leaked the secret");
    }
}

/// Without `--bind` the server listens on 127.0.0.1 only: not on other loopback addresses
/// (which a socket bound to 0.0.0.0 would answer), not on IPv6.
#[test]
fn listens_on_127_0_0_1_only() {
    let server = Server::start();
    let addr: SocketAddr = server.addr.parse().unwrap();
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    let port = addr.port();
    assert_eq!(server.get("/sheaf/").status, 200);
    for other in [format!("127.0.0.2:{port}"), format!("[::1]:{port}")] {
        let other: SocketAddr = other.parse().unwrap();
        assert!(
            TcpStream::connect_timeout(&other, Duration::from_secs(5)).is_err(),
            "{other} accepted a connection"
        );
    }
    // The kernel's table of listening sockets agrees: one, on 127.0.0.1.
    let listening: Vec<String> = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|f| fs::read_to_string(f).ok())
        .flat_map(|t| t.lines().skip(1).map(str::to_owned).collect::<Vec<_>>())
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let (local, state) = (cols.get(1)?, cols.get(3)?);
            let (ip, p) = local.split_once(':')?;
            (*state == "0A" && u16::from_str_radix(p, 16).ok()? == port).then(|| ip.to_string())
        })
        .collect();
    assert_eq!(listening, ["0100007F"], "listening sockets on port {port}");
}
