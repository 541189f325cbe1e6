//! `sheaf serve` answers only requests addressed to it (issue #13 item 10): DNS rebinding
//! lets a web page the author visits send requests to the preview with its own name in
//! `Host`, so anything but `localhost`, `127.0.0.1`, `[::1]` or the bound address, with the
//! bound port, is refused; and the event stream and errors endpoint refuse requests browsers
//! mark as coming from another site. The real binary, spoken to over raw HTTP/1.x.

use crate::support::serve::{Response, Server};

/// The paths every check is made on: a page, the event stream, the errors, the script, a
/// URL of the fallback (a 404 page would still be the site's content).
const PATHS: [&str; 5] = [
    "/sheaf/essays/first-light/",
    "/sheaf/__sheaf/events",
    "/sheaf/__sheaf/errors",
    "/sheaf/__sheaf/live.js",
    "/sheaf/no-such-page/",
];

/// A GET of `target` with the given header lines (each ending in CRLF), HTTP/1.1 unless
/// `version` says otherwise. The event stream is read only up to its first event.
fn get(server: &Server, version: &str, target: &str, headers: &str) -> Response {
    let request = format!("GET {target} {version}\r\n{headers}Connection: close\r\n\r\n");
    if target.ends_with("/events") {
        use std::io::Read;
        let mut stream = server.send(&request);
        let mut raw = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = stream.read(&mut buf) {
            raw.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&raw);
            if text
                .split_once("event: build\n")
                .is_some_and(|(_, rest)| rest.contains("\n\n"))
            {
                break;
            }
        }
        return Response::parse(&raw);
    }
    server.raw(&request)
}

/// No trace of the site in a refused response.
fn assert_refused(r: &Response, status: u16, what: &str) {
    assert_eq!(r.status, status, "{what}: {}\n{}", r.head, r.body);
    for leak in [
        "The oldest essay",
        "event: build",
        "[]",
        "EventSource",
        "<html",
    ] {
        assert!(!r.body.contains(leak), "{what} leaked {leak:?}: {}", r.body);
    }
}

#[test]
fn answers_only_for_its_own_names_and_port() {
    let server = Server::start();
    let port = server.port();
    let ok = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
        format!("[0:0:0:0:0:0:0:1]:{port}"),
    ];
    for host in &ok {
        for path in PATHS {
            let r = get(&server, "HTTP/1.1", path, &format!("Host: {host}\r\n"));
            let want = if path.ends_with("no-such-page/") {
                404
            } else {
                200
            };
            assert_eq!(r.status, want, "Host: {host}, {path}: {}", r.head);
        }
    }
    let wrong_port = port.wrapping_add(1).max(1);
    let refused = [
        // DNS rebinding: the attacker's name, with the right port.
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("evil.example:{port}.localhost"),
        // Almost localhost.
        format!("localhost.:{port}"),
        format!("sub.localhost:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("user@localhost:{port}"),
        // Ours, on another port (or none, which is 80).
        format!("localhost:{wrong_port}"),
        format!("127.0.0.1:{wrong_port}"),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        format!("localhost:{port}0"),
        "localhost:".to_string(),
        // Other addresses, and other spellings of ours that browsers never send.
        format!("127.0.0.2:{port}"),
        format!("0.0.0.0:{port}"),
        format!("2130706433:{port}"),
        format!("[::ffff:127.0.0.1]:{port}"),
        format!("[::1%25lo]:{port}"),
        String::new(),
    ];
    for host in &refused {
        for path in PATHS {
            let r = get(&server, "HTTP/1.1", path, &format!("Host: {host}\r\n"));
            assert_refused(&r, 421, &format!("Host: {host}, {path}"));
        }
    }
}

/// A request without a `Host` (allowed in HTTP/1.0, though every browser sends one) or with
/// two of them is a 400: there is nothing to check it against.
#[test]
fn a_missing_or_repeated_host_is_refused() {
    let server = Server::start();
    let host = format!("Host: {}\r\n", server.addr);
    for path in PATHS {
        for version in ["HTTP/1.0", "HTTP/1.1"] {
            let r = get(&server, version, path, "");
            assert_refused(&r, 400, &format!("no Host, {version} {path}"));
        }
        let r = get(&server, "HTTP/1.0", path, &host);
        let want = if path.ends_with("no-such-page/") {
            404
        } else {
            200
        };
        assert_eq!(r.status, want, "HTTP/1.0 with Host, {path}");
        let twice = format!("{host}Host: evil.example\r\n");
        assert_refused(&get(&server, "HTTP/1.1", path, &twice), 400, path);
        let twice_ours = format!("{host}{host}");
        assert_refused(&get(&server, "HTTP/1.1", path, &twice_ours), 400, path);
    }
}

/// An absolute-form target names the host the request is for (RFC 9112 section 3.2.2: the
/// server goes by it, not by `Host`): it must be ours too.
#[test]
fn absolute_form_targets_must_name_this_server() {
    let server = Server::start();
    let port = server.port();
    let host = format!("Host: {}\r\n", server.addr);
    for path in PATHS {
        let r = get(
            &server,
            "HTTP/1.1",
            &format!("http://{}{path}", server.addr),
            &host,
        );
        let want = if path.ends_with("no-such-page/") {
            404
        } else {
            200
        };
        assert_eq!(r.status, want, "absolute {path}: {}", r.head);
        for authority in [
            format!("evil.example:{port}"),
            "evil.example".to_string(),
            format!("localhost.:{port}"),
        ] {
            let target = format!("http://{authority}{path}");
            assert_refused(&get(&server, "HTTP/1.1", &target, &host), 421, &target);
        }
        let target = format!("https://localhost:{port}{path}");
        assert_refused(&get(&server, "HTTP/1.1", &target, &host), 421, &target);
    }
}

/// The event stream and the errors are for the site's own pages: a request a browser marks as
/// made by another site (`Origin`, `Sec-Fetch-Site`) is refused, even with the right `Host`
/// (which a page on another site cannot change, but DNS rebinding aside it is ours).
#[test]
fn internal_endpoints_refuse_other_sites() {
    let server = Server::start();
    let port = server.port();
    let host = format!("Host: {}\r\n", server.addr);
    for path in ["/sheaf/__sheaf/events", "/sheaf/__sheaf/errors"] {
        for foreign in [
            "Origin: http://evil.example\r\n".to_string(),
            "Origin: null\r\n".to_string(),
            format!(
                "Origin: http://127.0.0.1:{}\r\n",
                port.wrapping_add(1).max(1)
            ),
            format!("Origin: https://localhost:{port}\r\n"),
            "Sec-Fetch-Site: cross-site\r\n".to_string(),
            "Sec-Fetch-Site: same-site\r\n".to_string(),
        ] {
            let r = get(&server, "HTTP/1.1", path, &format!("{host}{foreign}"));
            assert_refused(&r, 403, &format!("{path} with {foreign:?}"));
        }
        for own in [
            format!(
                "Origin: http://{}\r\nSec-Fetch-Site: same-origin\r\n",
                server.addr
            ),
            format!("Origin: http://localhost:{port}\r\n"),
            "Sec-Fetch-Site: none\r\n".to_string(),
        ] {
            let r = get(&server, "HTTP/1.1", path, &format!("{host}{own}"));
            assert_eq!(r.status, 200, "{path} with {own:?}: {}", r.head);
        }
    }
    // Pages and the script may be asked for from anywhere: links between sites are normal.
    let cross = format!("{host}Origin: http://evil.example\r\nSec-Fetch-Site: cross-site\r\n");
    assert_eq!(get(&server, "HTTP/1.1", "/sheaf/", &cross).status, 200);
}

/// With `--bind ::1` the allowed hosts follow the bound address and the real port.
#[test]
fn the_bound_address_is_one_of_the_names() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: no IPv6 loopback here");
        return;
    }
    let server = Server::start_with_args(|_| {}, &["--bind", "::1"]);
    assert!(server.addr.starts_with("[::1]:"), "{}", server.addr);
    let port = server.port();
    for host in [
        format!("[::1]:{port}"),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
    ] {
        let r = get(&server, "HTTP/1.1", "/sheaf/", &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 200, "Host: {host}");
    }
    for host in [format!("evil.example:{port}"), format!("[::2]:{port}")] {
        let r = get(&server, "HTTP/1.1", "/sheaf/", &format!("Host: {host}\r\n"));
        assert_refused(&r, 421, &format!("Host: {host}"));
    }
}
