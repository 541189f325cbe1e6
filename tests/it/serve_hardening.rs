//! `sheaf serve` under load and attack (issue #7): a hundred live-reload clients through
//! several edits, slow clients (slowloris), symbolic links out of the site, the listening
//! address. The real binary on a copy of the basic fixture, spoken to over raw HTTP/1.1; every
//! wait is bounded, and the bounds are generous (a loaded 2-core machine must not fail them).

use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::support::serve::{Server, WAIT, eventually, open_fds, status_kib};

/// The header-read timeout the slowloris test gives the server (`SHEAF_SERVE_HEADER_TIMEOUT_MS`;
/// 10 s in use, src/serve/accept.rs): ten times a trickling client's pause between two bytes,
/// so a timer that restarted at each byte would never cut it off, and long enough for the
/// normal requests to be answered while every slow client is still connected.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(2);

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
    let timeout_ms = HEADER_READ_TIMEOUT.as_millis().to_string();
    let server = Server::start_with_env(
        |_| {},
        &[],
        &[("SHEAF_SERVE_HEADER_TIMEOUT_MS", timeout_ms.as_str())],
    );
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
    // (A plain GET from memory takes milliseconds; the slow clients have two seconds.)
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

/// Symbolic links inside the site pointing out of it never serve what they point at: a link
/// out of `static/` or `content/` is a build error (the overlay says so; the secret is in no
/// response), and a link inside the site is followed.
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
    let errors = server.get("/sheaf/__sheaf/errors");
    for link in ["static/leak.txt", "static/leakdir"] {
        assert!(errors.body.contains(link), "{link}: {}", errors.body);
    }
    assert!(!errors.body.contains(SECRET), "{}", errors.body);
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

/// Adds an essay whose page is about `mib` MiB of HTML (a long guide, a book on one page).
fn big_essay(root: &std::path::Path, mib: usize) {
    let paragraph = "A paragraph of filler text that makes one page very large, as a long guide \
                     or a whole book on one page would be, some forty times over.\n\n";
    let mut text = String::from("---\ntitle: Big\ndate: 2024-02-01\ndescription: Large.\n---\n");
    while text.len() < mib << 20 {
        text.push_str(paragraph);
    }
    fs::write(root.join("content/essays/big.md"), text).unwrap();
}

const BIG: &str = "/sheaf/essays/big/";

/// Requests `path` and reads only the response head (and whatever came with it), then stops
/// reading: a client that never takes the page. Returns the socket, still open.
fn stop_reading(server: &Server, path: &str) -> TcpStream {
    let mut stream = server.send(&format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    ));
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(n @ 1..) => seen.extend_from_slice(&buf[..n]),
            other => panic!("no response head for {path}: {other:?}"),
        }
    }
    assert!(
        seen.starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&seen)
    );
    stream
}

/// Issue #13 item 11: 40 clients that request an 18 MB page and never read it took the
/// server from 198 MB to 896 MB: every response stamped the build number into a whole copy
/// of the page. Sent as slices of the one shared copy, 40 such clients cost next to nothing.
#[test]
fn clients_that_never_read_a_large_page_share_one_copy() {
    const CLIENTS: usize = 40;
    let server = Server::start_with(|root| big_essay(root, 9));
    let pid = server.pid();
    let page = server.get(BIG);
    assert_eq!(page.status, 200);
    let len = page.body.len();
    assert!(len > 9 << 20, "the page is only {len} bytes");
    assert!(
        page.body.contains("live.js?build=1\""),
        "the page is stamped"
    );
    assert_eq!(
        page.header("content-length"),
        Some(len.to_string().as_str())
    );
    drop(page);
    // The preview indexes the site for search in the background once it settles; what that
    // takes is not the clients' doing, so the baseline is taken after the index is served.
    let indexed = Instant::now();
    while server.get("/sheaf/pagefind/pagefind-entry.json").status != 200 {
        assert!(
            indexed.elapsed() < Duration::from_secs(60),
            "no search index after 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    let rss_before = status_kib(pid, "VmRSS");

    // Each client has its response head: the server has made whatever it makes per response.
    let clients: Vec<TcpStream> = (0..CLIENTS).map(|_| stop_reading(&server, BIG)).collect();
    let mut peak = rss_before;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        peak = peak.max(status_kib(pid, "VmRSS"));
        std::thread::sleep(Duration::from_millis(50));
    }
    let grown = peak.saturating_sub(rss_before);
    eprintln!(
        "VmRSS {rss_before} KiB -> peak {peak} KiB (+{grown} KiB) with {CLIENTS} clients stalled on a {} KiB page",
        len >> 10
    );
    // A copy per client would be 40 x 12 MiB = 480 MiB; allow a few pages' worth.
    let bound = (3 * len as u64) >> 10;
    assert!(
        grown < bound,
        "VmRSS grew by {grown} KiB ({rss_before} -> {peak} KiB) with {CLIENTS} clients \
         that do not read a {len}-byte page (bound {bound} KiB)"
    );
    drop(clients);
    assert_eq!(server.get("/sheaf/").status, 200);
}

/// A client that stops reading is disconnected once it has taken nothing for the write
/// timeout (1 s here, through the test-only `SHEAF_SERVE_WRITE_TIMEOUT_MS`); one that reads
/// slowly but keeps reading gets the whole page.
#[test]
fn clients_that_stop_reading_are_cut_off() {
    let server = Server::start_with_env(
        |root| big_essay(root, 9),
        &[],
        &[("SHEAF_SERVE_WRITE_TIMEOUT_MS", "1000")],
    );
    let pid = server.pid();
    let len = server.get(BIG).body.len();
    std::thread::sleep(Duration::from_millis(300));
    let fds_before = open_fds(pid);

    let stalled: Vec<TcpStream> = (0..5).map(|_| stop_reading(&server, BIG)).collect();
    assert!(open_fds(pid) >= fds_before + 5);
    // A slow reader: half a MiB, then a pause shorter than the timeout, and so on.
    let slow = {
        let addr = server.addr.clone();
        let mut stream = server.send(&format!(
            "GET {BIG} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        ));
        std::thread::spawn(move || {
            let mut got = 0;
            let mut buf = vec![0u8; 256 << 10];
            loop {
                // A MiB at the reader's pace, then a pause well under the timeout.
                let round = got + (1 << 20);
                while got < round {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return got,
                        Ok(n) => got += n,
                    }
                }
                std::thread::sleep(Duration::from_millis(300));
            }
        })
    };

    // The server lets the stalled ones go: their descriptors close.
    let mut fds = 0;
    assert!(
        eventually(WAIT, || {
            fds = open_fds(pid);
            fds <= fds_before + 1
        }),
        "the server still holds {fds} descriptors ({fds_before} before 5 stalled clients and a slow one)"
    );
    // What they get when they do read is cut short.
    for mut client in stalled {
        let mut got = Vec::new();
        let _ = client.read_to_end(&mut got);
        assert!(got.len() < len, "a stalled client got all {len} bytes");
    }
    let got = slow.join().unwrap();
    assert!(
        got > len,
        "the slow reader got {got} bytes of a {len}-byte page"
    );
}

/// Event streams are capped (128 at once): the next one gets a 503 at once, not a stream;
/// when one closes, a new one is served again.
#[test]
fn event_streams_are_capped() {
    const CAP: usize = 128;
    let server = Server::start();
    let streams: Vec<_> = (0..CAP).map(|_| server.events()).collect();
    assert_eq!(server.status("/sheaf/__sheaf/events"), 503);
    let over = server.get("/sheaf/__sheaf/events");
    assert_eq!(over.status, 503, "{}", over.head);
    assert!(over.header("retry-after").is_some());
    // Pages are still served.
    assert_eq!(server.get("/sheaf/").status, 200);
    drop(streams);
    // Once the server has noticed the closed connections, streams are served again.
    let mut status = 0;
    assert!(
        eventually(WAIT * 3, || {
            status = server.status("/sheaf/__sheaf/events");
            status == 200
        }),
        "event streams still refused ({status}) after all were closed"
    );
}

/// The idle half of the timeouts: a kept-alive connection with no next request is closed after
/// the header-read timeout (1 s here, through the test-only `SHEAF_SERVE_HEADER_TIMEOUT_MS`),
/// not held for ever.
#[test]
fn idle_kept_alive_connections_are_closed() {
    let server = Server::start_with_env(|_| {}, &[], &[("SHEAF_SERVE_HEADER_TIMEOUT_MS", "1000")]);
    let mut stream = server.send(&format!(
        "GET /sheaf/hello.txt HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    ));
    let started = Instant::now();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(e) => panic!("reading: {e} after {:?}", started.elapsed()),
        }
    }
    let response = String::from_utf8_lossy(&seen);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(!response.contains("connection: close"), "{response}");
    let closed_after = started.elapsed();
    assert!(
        closed_after < Duration::from_secs(6),
        "the idle connection was closed only after {closed_after:?}"
    );
}
