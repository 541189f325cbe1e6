//! Requests one outside URL and says what became of it.
//!
//! HEAD first, since it asks for no body; GET when the server will not answer HEAD properly
//! (405 and 501, but also the 403s and 404s some servers give HEAD alone, and dropped
//! connections). Redirects are followed here rather than by the client, so a permanent one
//! can be reported with the address to update the link to.

use std::error::Error as _;
use std::time::Duration;

use reqwest::header::{LOCATION, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};

use super::limit::Limits;

/// How long one request may take, connecting and answering, before the link counts as
/// unreachable.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);
/// Requests in flight at once, over all hosts.
pub(crate) const CONCURRENCY: usize = 8;
/// Requests in flight at once to one host.
pub(crate) const PER_HOST: usize = 2;
/// Redirects followed before giving up on a link.
pub const MAX_REDIRECTS: usize = 10;
/// What the requests call themselves, so site owners can tell a link check from a crawler.
pub(crate) const USER_AGENT: &str = concat!("sheaf/", env!("CARGO_PKG_VERSION"), " (link check)");

/// How the links are checked; [`Settings::default`] is what `sheaf check --external` uses.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long one request may take.
    pub timeout: Duration,
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Requests in flight to one host at most.
    pub per_host: usize,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: TIMEOUT,
            concurrency: CONCURRENCY,
            per_host: PER_HOST,
            max_redirects: MAX_REDIRECTS,
        }
    }
}

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Answered (possibly after temporary redirects).
    Ok,
    /// Answered after a permanent redirect (301, 308): the link should point to `to`.
    Moved {
        /// The redirect's status.
        status: StatusCode,
        /// Where the link has moved.
        to: Url,
    },
    /// The server answered with an error.
    Broken {
        /// The error status.
        status: StatusCode,
        /// Where the error came from, when redirects led there.
        at: Option<Url>,
    },
    /// 429, or 503 with `Retry-After`: the server asked to be left alone for now, so the
    /// link is neither good nor broken.
    RateLimited {
        /// 429 or 503.
        status: StatusCode,
        /// The `Retry-After` header as sent.
        retry_after: Option<String>,
    },
    /// No answer: DNS, connection, TLS or timeout.
    Unreachable {
        /// What went wrong, in words.
        reason: String,
        /// Where, when redirects led there.
        at: Option<Url>,
    },
    /// More than `max_redirects` redirects.
    TooManyRedirects {
        /// The last address reached.
        last: Url,
    },
}

impl Outcome {
    /// Whether this outcome fails `sheaf check --external`.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            Outcome::Broken { .. } | Outcome::Unreachable { .. } | Outcome::TooManyRedirects { .. }
        )
    }
}

/// The HTTP client and the request slots of one run.
pub(crate) struct Checker {
    client: reqwest::Client,
    limits: Limits,
    settings: Settings,
}

/// How one chain of requests (a URL and its redirects) ended.
enum End {
    Answered {
        status: StatusCode,
        retry_after: Option<String>,
    },
    Failed(reqwest::Error),
    /// A redirect without a usable `Location` (not a URL, or not http/https).
    BadRedirect(String),
    TooManyRedirects,
}

struct Trail {
    /// Each redirect's status, in order.
    hops: Vec<StatusCode>,
    /// The last URL requested.
    last: Url,
    /// Where the leading run of permanent redirects led, if the chain started with one.
    moved_to: Option<Url>,
    end: End,
}

impl Checker {
    /// A client with `settings`: no automatic redirects, the timeouts, sheaf's User-Agent.
    pub(crate) fn new(settings: &Settings) -> Result<Self, String> {
        // reqwest is built without a crypto provider (see Cargo.toml); an `Err` here only
        // means one is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .pool_max_idle_per_host(settings.per_host)
            .build()
            .map_err(|e| chain(&e))?;
        Ok(Checker {
            client,
            limits: Limits::new(settings.concurrency, settings.per_host),
            settings: settings.clone(),
        })
    }

    /// Requests `url` (HEAD, then GET if HEAD was refused) and classifies the answer.
    pub(crate) async fn check(&self, url: &Url) -> Outcome {
        let head = self.follow(Method::HEAD, url).await;
        let trail = if worth_a_get(&head.end) {
            self.follow(Method::GET, url).await
        } else {
            head
        };
        self.outcome(trail)
    }

    /// Sends `method` to `start` and follows redirects, one request slot per request.
    async fn follow(&self, method: Method, start: &Url) -> Trail {
        let mut trail = Trail {
            hops: Vec::new(),
            last: start.clone(),
            moved_to: None,
            end: End::TooManyRedirects,
        };
        loop {
            let sent = {
                let _slot = self.limits.slot(trail.last.host_str().unwrap_or("")).await;
                self.client
                    .request(method.clone(), trail.last.clone())
                    .send()
                    .await
            };
            let response = match sent {
                Ok(response) => response,
                Err(e) => {
                    trail.end = End::Failed(e);
                    return trail;
                }
            };
            let status = response.status();
            let location = response.headers().get(LOCATION);
            let Some(location) = location.filter(|_| status.is_redirection()) else {
                let retry_after = response.headers().get(RETRY_AFTER);
                trail.end = End::Answered {
                    status,
                    retry_after: retry_after
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string),
                };
                return trail;
            };
            let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
            let next = match trail.last.join(&location) {
                Ok(next) if matches!(next.scheme(), "http" | "https") => next,
                _ => {
                    trail.end = End::BadRedirect(location);
                    return trail;
                }
            };
            if trail.hops.len() == self.settings.max_redirects {
                trail.end = End::TooManyRedirects;
                return trail;
            }
            if is_permanent(status) && trail.hops.iter().all(|s| is_permanent(*s)) {
                trail.moved_to = Some(next.clone());
            }
            trail.hops.push(status);
            trail.last = next;
        }
    }

    fn outcome(&self, trail: Trail) -> Outcome {
        let redirected = !trail.hops.is_empty();
        let at = redirected.then(|| trail.last.clone());
        match trail.end {
            End::Answered {
                status,
                retry_after,
            } => {
                if status == StatusCode::TOO_MANY_REQUESTS
                    || (status == StatusCode::SERVICE_UNAVAILABLE && retry_after.is_some())
                {
                    Outcome::RateLimited {
                        status,
                        retry_after,
                    }
                } else if status.is_client_error() || status.is_server_error() {
                    Outcome::Broken { status, at }
                } else if let Some(to) = trail.moved_to {
                    Outcome::Moved {
                        status: trail.hops[0],
                        to,
                    }
                } else {
                    Outcome::Ok
                }
            }
            End::Failed(e) => Outcome::Unreachable {
                reason: self.reason(&e),
                at,
            },
            End::BadRedirect(location) => Outcome::Unreachable {
                reason: format!("redirected to `{location}`, which is not a web address"),
                at: Some(trail.last),
            },
            End::TooManyRedirects => Outcome::TooManyRedirects { last: trail.last },
        }
    }

    /// A short reason for a failed request: "connection refused", "no answer within 10 s".
    fn reason(&self, e: &reqwest::Error) -> String {
        if e.is_timeout() {
            return format!("no answer within {}", seconds(self.settings.timeout));
        }
        let cause = innermost(e);
        if e.is_dns() {
            format!("the host name does not resolve ({cause})")
        } else {
            cause
        }
    }
}

fn is_permanent(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
    )
}

/// Whether a HEAD answer is worth asking again with GET: servers that do not implement
/// HEAD answer 405 or 501, and some answer it with other errors or drop the connection.
/// Timeouts and connection failures would only fail again, slower; a rate limit is
/// respected.
fn worth_a_get(end: &End) -> bool {
    match end {
        End::Answered { status, .. } => {
            (status.is_client_error() || status.is_server_error())
                && *status != StatusCode::TOO_MANY_REQUESTS
                && *status != StatusCode::SERVICE_UNAVAILABLE
        }
        End::Failed(e) => !e.is_timeout() && !e.is_connect(),
        End::BadRedirect(_) | End::TooManyRedirects => false,
    }
}

/// The deepest cause of an error (`connection refused`), without the OS error number and
/// in lower case unless it starts with an acronym.
fn innermost(e: &reqwest::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        message = cause.to_string();
        source = cause.source();
    }
    if let Some(at) = message.find(" (os error") {
        message.truncate(at);
    }
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
            .to_lowercase()
            .chain(message.chars().skip(1))
            .collect(),
        _ => message,
    }
}

/// Every message of an error's chain, joined (for the rare client set-up error).
fn chain(e: &reqwest::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// `10 s`, `1.5 s`, `300 ms`.
pub(super) fn seconds(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(seconds(Duration::from_millis(300)), "300 ms");
    }

    #[test]
    fn user_agent_names_sheaf_and_its_version() {
        assert!(USER_AGENT.starts_with(&format!("sheaf/{}", env!("CARGO_PKG_VERSION"))));
    }
}
