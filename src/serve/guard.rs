//! Which requests the preview answers at all (issue #13 item 10).
//!
//! The server holds drafts, so it must not be readable by other web sites. The same-origin
//! policy keeps a page on `evil.example` from reading `http://127.0.0.1:1111/`, but DNS
//! rebinding defeats it: `evil.example` first resolves to the attacker's server, then to
//! 127.0.0.1, and the browser, still on the `evil.example` origin, reads this server with
//! `Host: evil.example:1111`. So every request must name this server in its `Host` (or in an
//! absolute-form target, `GET http://host/ HTTP/1.1`, which RFC 9112 says takes precedence):
//! `localhost`, `127.0.0.1`, `[::1]` or the bound address, each with the bound port. An
//! address literal cannot be rebound, a name can; `localhost` is the one name resolved on
//! this machine alone.
//!
//! Exact matching, no suffix tricks: `localhost.` (trailing dot), `foo.localhost` and
//! `localhost.evil.example` are refused; case is ignored (`LOCALHOST`), IPv6 literals are
//! compared as addresses (`[0:0:0:0:0:0:0:1]` is `[::1]`). A missing or repeated `Host` is a
//! 400 (RFC 9112 section 3.2), also on HTTP/1.0: every browser sends one. Anything else not
//! ours is a 421 (Misdirected Request).
//!
//! Bound to every interface (`--bind 0.0.0.0` or `::`), the machine's own addresses are
//! what a phone on the LAN types; any address literal is then accepted, names other than
//! `localhost` still are not (they are what rebinding needs).
//!
//! The event stream and the errors endpoint (under `__sheaf/`) also refuse requests a
//! browser marks as coming from another site: an `Origin` that is not one of the allowed
//! hosts, or `Sec-Fetch-Site` other than `same-origin` / `none`. Nothing there is readable
//! cross-origin anyway (no CORS headers), but a foreign page could otherwise hold event
//! streams open (there are only so many) or register made-up open pages.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The hosts this server answers for: derived from the address and port it actually bound
/// (port 0 has become the real port by then).
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    bound: IpAddr,
    port: u16,
    /// `{base_path}__sheaf/`: the endpoints that also check where a request comes from.
    internal: String,
}

/// Why a request is refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No `Host`, or more than one (400).
    BadHost,
    /// A host (or absolute-form authority) that is not this server (421).
    NotThisServer,
    /// A request another site made (403).
    CrossSite,
}

impl Guard {
    pub(crate) fn new(bound: IpAddr, port: u16, base_path: &str) -> Guard {
        Guard {
            bound,
            port,
            internal: format!("{base_path}{}", super::site::PREFIX),
        }
    }

    /// Whether `authority` (`host[:port]`, as in `Host` or an absolute URI) names this
    /// server. Without a port it means port 80.
    pub(crate) fn allows(&self, authority: &str) -> bool {
        let Some((host, port)) = split_authority(authority) else {
            return false;
        };
        if port != self.port {
            return false;
        }
        match host {
            Host::Localhost => true,
            Host::Ip(ip) => {
                ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                    || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                    || ip == self.bound
                    || self.bound.is_unspecified()
            }
        }
    }

    /// Whether `origin` (an `Origin` header: `http://host[:port]`) is one of ours.
    fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|authority| self.allows(authority))
    }

    /// Checks one request's head.
    pub(crate) fn check(&self, uri: &axum::http::Uri, headers: &HeaderMap) -> Result<(), Refusal> {
        // HTTP/1.0 gets no exemption: a missing Host is refused there too.
        let mut hosts = headers.get_all(header::HOST).iter();
        let (Some(host), None) = (hosts.next(), hosts.next()) else {
            return Err(Refusal::BadHost);
        };
        let host = host.to_str().map_err(|_| Refusal::NotThisServer)?;
        if !self.allows(host) {
            return Err(Refusal::NotThisServer);
        }
        // Absolute form (`GET http://evil.example/ HTTP/1.1`): the target's authority is the
        // one a server must go by (RFC 9112 section 3.2.2), so it must be ours too.
        if let Some(authority) = uri.authority()
            && (uri.scheme_str() != Some("http") || !self.allows(authority.as_str()))
        {
            return Err(Refusal::NotThisServer);
        }
        if uri.path().starts_with(&self.internal) {
            let mut origins = headers.get_all(header::ORIGIN).iter();
            if let Some(origin) = origins.next() {
                let ours = origin.to_str().is_ok_and(|o| self.allows_origin(o));
                if !ours || origins.next().is_some() {
                    return Err(Refusal::CrossSite);
                }
            }
            if let Some(site) = headers.get("sec-fetch-site")
                && !matches!(site.as_bytes(), b"same-origin" | b"none")
            {
                return Err(Refusal::CrossSite);
            }
        }
        Ok(())
    }
}

/// The host part of an authority.
#[derive(Debug, PartialEq, Eq)]
enum Host {
    Localhost,
    Ip(IpAddr),
}

/// Splits `host[:port]` into a host this server could be and the port (80 when absent).
/// `None` for anything else: other names, user info (`a@localhost`), an empty or
/// non-numeric port, a trailing dot, IPv6 zone ids.
fn split_authority(authority: &str) -> Option<(Host, u16)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = inside.parse().ok()?;
        (Host::Ip(IpAddr::V6(ip)), after)
    } else {
        let end = authority.find(':').unwrap_or(authority.len());
        let (name, after) = authority.split_at(end);
        let host = if name.eq_ignore_ascii_case("localhost") {
            Host::Localhost
        } else {
            // Dotted-quad only: `Ipv4Addr` refuses `0x7f.1`, `2130706433` and the like
            // (browsers turn those into the dotted form before sending them).
            Host::Ip(IpAddr::V4(name.parse().ok()?))
        };
        (host, after)
    };
    let port = match port {
        "" => 80,
        _ => {
            let digits = port.strip_prefix(':')?;
            if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            digits.parse().ok()?
        }
    };
    Some((host, port))
}

/// The middleware: refuses, before any routing, what `Guard::check` refuses.
pub(crate) async fn check_request(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> Response {
    match guard.check(request.uri(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refusal) => {
            let (status, text) = match refusal {
                Refusal::BadHost => (
                    StatusCode::BAD_REQUEST,
                    "A single Host header is required.\n",
                ),
                Refusal::NotThisServer => (
                    StatusCode::MISDIRECTED_REQUEST,
                    "This preview answers only for localhost and its own address; open the URL `sheaf serve` printed.\n",
                ),
                Refusal::CrossSite => (StatusCode::FORBIDDEN, "Not from another site.\n"),
            };
            let mut response = (status, text).into_response();
            // The connection may have been made for another host: do not reuse it.
            response.headers_mut().insert(
                header::CONNECTION,
                header::HeaderValue::from_static("close"),
            );
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, Uri};

    fn guard(bound: &str) -> Guard {
        Guard::new(bound.parse().unwrap(), 1111, "/s/")
    }

    #[test]
    fn allows_only_loopback_names_and_the_bound_address_with_the_port() {
        let g = guard("127.0.0.1");
        for ok in [
            "localhost:1111",
            "LOCALHOST:1111",
            "LocalHost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1111",
        ] {
            assert!(g.allows(ok), "{ok}");
        }
        for bad in [
            "localhost",
            "localhost:80",
            "localhost:1112",
            "localhost:",
            "localhost:+1111",
            "localhost:01111x",
            "localhost:11110",
            "localhost.:1111",
            "localhost..:1111",
            "foo.localhost:1111",
            "localhost.evil.example:1111",
            "evil.example:1111",
            "127.0.0.2:1111",
            "127.1:1111",
            "0x7f.0.0.1:1111",
            "2130706433:1111",
            "0.0.0.0:1111",
            "[::]:1111",
            "[::1%25lo]:1111",
            "[::ffff:127.0.0.1]:1111",
            "[::1]",
            "::1:1111",
            "user@localhost:1111",
            "localhost:1111@evil.example",
            "",
            ":1111",
        ] {
            assert!(!g.allows(bad), "{bad}");
        }
    }

    #[test]
    fn port_80_may_be_left_out() {
        let g = Guard::new("127.0.0.1".parse().unwrap(), 80, "/");
        assert!(g.allows("localhost"));
        assert!(g.allows("localhost:80"));
        assert!(!g.allows("localhost:8080"));
    }

    #[test]
    fn the_bound_address_and_every_literal_on_all_interfaces() {
        let g = guard("192.168.1.5");
        assert!(g.allows("192.168.1.5:1111"));
        assert!(g.allows("localhost:1111"));
        assert!(!g.allows("192.168.1.6:1111"));
        let g = guard("fe80::1");
        assert!(g.allows("[fe80::1]:1111"));
        assert!(!g.allows("fe80::1:1111"));
        for any in ["0.0.0.0", "::"] {
            let g = guard(any);
            assert!(g.allows("192.168.1.5:1111"), "{any}");
            assert!(g.allows("0.0.0.0:1111"), "{any}");
            assert!(g.allows("[::]:1111"), "{any}");
            assert!(!g.allows("evil.example:1111"), "{any}");
            assert!(!g.allows("192.168.1.5:80"), "{any}");
        }
    }

    fn check(uri: &str, headers: &[(&str, &str)]) -> Result<(), Refusal> {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        guard("127.0.0.1").check(&uri.parse::<Uri>().unwrap(), &map)
    }

    #[test]
    fn checks_the_host_header_the_target_and_the_origin() {
        let host = ("host", "127.0.0.1:1111");
        assert_eq!(check("/s/", &[host]), Ok(()));
        assert_eq!(check("/s/", &[]), Err(Refusal::BadHost));
        assert_eq!(check("/s/", &[host, host]), Err(Refusal::BadHost));
        assert_eq!(
            check("/s/", &[("host", "evil.example:1111")]),
            Err(Refusal::NotThisServer)
        );
        assert_eq!(check("http://localhost:1111/s/", &[host]), Ok(()));
        assert_eq!(
            check("http://evil.example:1111/s/", &[host]),
            Err(Refusal::NotThisServer)
        );
        assert_eq!(
            check("https://localhost:1111/s/", &[host]),
            Err(Refusal::NotThisServer)
        );
        // Pages may be opened from anywhere (a link in another site); the internal
        // endpoints only from the site itself.
        let evil = ("origin", "http://evil.example");
        let cross = ("sec-fetch-site", "cross-site");
        assert_eq!(check("/s/", &[host, evil, cross]), Ok(()));
        for path in ["/s/__sheaf/events", "/s/__sheaf/errors"] {
            assert_eq!(check(path, &[host, evil]), Err(Refusal::CrossSite));
            assert_eq!(check(path, &[host, cross]), Err(Refusal::CrossSite));
            assert_eq!(
                check(path, &[host, ("sec-fetch-site", "same-site")]),
                Err(Refusal::CrossSite)
            );
            assert_eq!(
                check(path, &[host, ("origin", "null")]),
                Err(Refusal::CrossSite)
            );
            assert_eq!(
                check(path, &[host, ("origin", "http://127.0.0.1:2222")]),
                Err(Refusal::CrossSite)
            );
            assert_eq!(
                check(
                    path,
                    &[
                        host,
                        ("origin", "http://localhost:1111"),
                        ("sec-fetch-site", "same-origin")
                    ]
                ),
                Ok(())
            );
            assert_eq!(check(path, &[host, ("sec-fetch-site", "none")]), Ok(()));
            assert_eq!(check(path, &[host]), Ok(()));
        }
    }
}
