//! What became of a link, as diagnostics at each place it was written.

use std::collections::BTreeMap;

use reqwest::Url;

use super::fetch::{Outcome, seconds};
use super::links::Link;
use super::locate::{Place, Sources};
use crate::diagnostic::{Diagnostic, Location};

/// The diagnostics for one link (none when it is fine), one per place it was written.
pub(super) fn diagnostics(
    link: &Link,
    outcome: Option<&Outcome>,
    settings: &super::Settings,
    sources: &Sources,
) -> Vec<Diagnostic> {
    let mut by_spelling: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for seen in &link.seen {
        by_spelling
            .entry(&seen.written)
            .or_default()
            .push(&seen.output);
    }
    let mut out = Vec::new();
    for (written, mut outputs) in by_spelling {
        let verdict = match (&link.url, outcome) {
            (Err(reason), _) => Verdict::Malformed(reason),
            (Ok(_), Some(outcome)) => Verdict::Checked(outcome),
            (Ok(_), None) => continue,
        };
        let Some(diagnostic) = describe(written, &verdict, settings) else {
            continue;
        };
        outputs.sort_unstable();
        outputs.dedup();
        for place in sources.places(written, &outputs) {
            out.push(match place {
                Place::Written(location) => diagnostic.clone().at(location),
                Place::Built { output, others } => {
                    let mut label = "on this built page".to_string();
                    if others > 0 {
                        let pages = if others == 1 { "page" } else { "pages" };
                        label.push_str(&format!(" and {others} other {pages}"));
                    }
                    label.push_str(
                        "; it is not written in any Markdown file, config.yaml or template of \
                         the site, so it comes from the theme",
                    );
                    diagnostic
                        .clone()
                        .at(Location::file_only(output))
                        .label(label)
                }
            });
        }
    }
    out
}

enum Verdict<'a> {
    Malformed(&'a str),
    Checked(&'a Outcome),
}

/// The diagnostic for a link written as `written`, without its location.
fn describe(written: &str, verdict: &Verdict, settings: &super::Settings) -> Option<Diagnostic> {
    let outcome = match verdict {
        Verdict::Malformed(reason) => {
            return Some(
                Diagnostic::error(format!("malformed link `{written}`"))
                    .label(reason.to_string())
                    .help("this is not a valid web address; fix the address"),
            );
        }
        Verdict::Checked(outcome) => outcome,
    };
    let d = match outcome {
        Outcome::Ok => return None,
        Outcome::Broken { status, at } => {
            let mut help = format!("the server answered {status}");
            if let Some(at) = at {
                help.push_str(&format!(" at `{at}`, where the link redirects"));
            }
            help.push_str("; fix or remove the link");
            if matches!(status.as_u16(), 401 | 403) {
                help.push_str(
                    " (some sites refuse automated requests: if the page opens in a browser, \
                     the link is fine)",
                );
            }
            Diagnostic::error(format!("broken link to `{written}`"))
                .label(status.to_string())
                .help(help)
        }
        Outcome::Unreachable { reason, at } => {
            let mut help = "the server could not be reached".to_string();
            if let Some(at) = at {
                help.push_str(&format!(" at `{at}`, where the link redirects"));
            }
            help.push_str("; check the address, or run the check again later if the site is down");
            Diagnostic::error(format!("unreachable link to `{written}`"))
                .label(reason.clone())
                .help(help)
        }
        Outcome::TooManyRedirects { last } => {
            Diagnostic::error(format!("link to `{written}` redirects too many times"))
                .label(format!("more than {} redirects", settings.max_redirects))
                .help(format!(
                    "the redirects were followed as far as `{last}`; a redirect loop? \
                     open the link in a browser"
                ))
        }
        Outcome::Moved { status, to } => {
            let to = with_fragment(to, written);
            Diagnostic::warning(format!("link to `{written}` has moved permanently"))
                .label(format!("{status}: now at `{to}`"))
                .help(format!("update the link to `{to}`"))
        }
        Outcome::RateLimited {
            status,
            retry_after,
        } => {
            let (why, mut help) = if *status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                (
                    "rate limited",
                    "the server asked for fewer requests".to_string(),
                )
            } else {
                (
                    "the server is unavailable for now",
                    "the server is down for now".to_string(),
                )
            };
            if let Some(after) = retry_after {
                match after.trim().parse::<u64>() {
                    Ok(s) => help.push_str(&format!(
                        " (retry after {})",
                        seconds(std::time::Duration::from_secs(s))
                    )),
                    Err(_) => help.push_str(&format!(" (retry after {after})")),
                }
            }
            help.push_str("; the link was not checked: run the check again later");
            Diagnostic::warning(format!("link to `{written}` not checked: {why}"))
                .label(status.to_string())
                .help(help)
        }
    };
    Some(d)
}

/// `to` with the fragment of the link as written, which the server never saw.
fn with_fragment(to: &Url, written: &str) -> String {
    match (to.fragment(), written.split_once('#')) {
        (None, Some((_, fragment))) => {
            let mut to = to.clone();
            to.set_fragment(Some(fragment));
            to.to_string()
        }
        _ => to.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    fn describe_outcome(written: &str, outcome: Outcome) -> Diagnostic {
        describe(
            written,
            &Verdict::Checked(&outcome),
            &super::super::Settings::default(),
        )
        .expect("a diagnostic")
    }

    #[test]
    fn broken_links_say_what_the_server_answered() {
        let d = describe_outcome(
            "https://a.example/x",
            Outcome::Broken {
                status: StatusCode::NOT_FOUND,
                at: None,
            },
        );
        assert!(d.is_error());
        assert_eq!(d.message, "broken link to `https://a.example/x`");
        assert_eq!(
            d.help.as_deref(),
            Some("the server answered 404 Not Found; fix or remove the link")
        );
    }

    #[test]
    fn a_move_keeps_the_fragment_as_written() {
        let d = describe_outcome(
            "http://a.example/x#part",
            Outcome::Moved {
                status: StatusCode::MOVED_PERMANENTLY,
                to: Url::parse("https://a.example/x").unwrap(),
            },
        );
        assert!(!d.is_error());
        assert_eq!(
            d.help.as_deref(),
            Some("update the link to `https://a.example/x#part`")
        );
    }

    #[test]
    fn rate_limits_are_warnings_with_the_wait() {
        let d = describe_outcome(
            "https://a.example/",
            Outcome::RateLimited {
                status: StatusCode::TOO_MANY_REQUESTS,
                retry_after: Some("30".into()),
            },
        );
        assert!(!d.is_error());
        assert!(d.help.unwrap().contains("(retry after 30 s)"));
    }

    #[test]
    fn good_links_say_nothing() {
        let none = describe(
            "https://a.example/",
            &Verdict::Checked(&Outcome::Ok),
            &super::super::Settings::default(),
        );
        assert!(none.is_none());
    }
}
