//! `sheaf check --external`: requests every link to another site and reports the broken
//! ones where the author wrote them.
//!
//! Runs on a site rendered in memory ([`crate::build::render`]) and never on the build
//! path: `sheaf build` and a plain `sheaf check` make no network requests.
//!
//! | file | job |
//! |---|---|
//! | `extract.rs` | the outside `href`/`src` URLs of one HTML page (html5gum) |
//! | `links.rs` | those of every page, grouped by the URL to request |
//! | `limit.rs` | request slots: a few at once overall, fewer per host |
//! | `fetch.rs` | one URL: HEAD, GET if refused, redirects, timeouts → [`Outcome`] |
//! | `locate.rs` | from a built page back to the Markdown, config or template line |
//! | `report.rs` | outcomes as located [`Diagnostic`](crate::diagnostic::Diagnostic)s |

mod extract;
mod fetch;
mod limit;
mod links;
mod locate;
mod report;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub(crate) use fetch::Checker;
pub use fetch::{MAX_REDIRECTS, Outcome, Settings};
pub use reqwest::Url;

use crate::build::{self, BuildOptions, Built};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// What a check of a site's outside links found.
#[derive(Debug, Default)]
pub struct Report {
    /// Errors (broken, unreachable) and warnings (moved, rate limited), located.
    pub diagnostics: Diagnostics,
    /// Distinct URLs requested.
    pub links: usize,
    /// Distinct hosts among them.
    pub hosts: usize,
}

/// Checks every outside link of `built`, the site in folder `root`.
pub async fn check(built: &Built, root: &Path, settings: &Settings) -> Report {
    let links = links::collect(built);
    let urls: Vec<Url> = links.values().filter_map(|l| l.url.clone().ok()).collect();
    let hosts = urls
        .iter()
        .filter_map(Url::host_str)
        .collect::<std::collections::HashSet<_>>()
        .len();
    let outcomes: HashMap<Url, Outcome> = match check_urls(urls, settings).await {
        Ok(outcomes) => outcomes.into_iter().collect(),
        Err(e) => {
            let d = Diagnostic::error(format!("cannot check outside links: {e}"))
                .help("the HTTP client could not start; check the system's TLS certificates");
            return Report {
                diagnostics: Diagnostics::from_iter([d]),
                ..Report::default()
            };
        }
    };
    let sources = locate::Sources::new(built, root);
    let mut diagnostics = Diagnostics::new();
    for link in links.values() {
        let outcome = link.url.as_ref().ok().and_then(|u| outcomes.get(u));
        diagnostics.extend(report::diagnostics(link, outcome, settings, &sources));
    }
    Report {
        diagnostics,
        links: outcomes.len(),
        hosts,
    }
}

/// Requests each of `urls` once, concurrently within `settings`' limits. Fails only when
/// the HTTP client cannot be set up.
pub async fn check_urls(
    urls: impl IntoIterator<Item = Url>,
    settings: &Settings,
) -> Result<Vec<(Url, Outcome)>, String> {
    let checker = Arc::new(Checker::new(settings)?);
    let mut tasks = tokio::task::JoinSet::new();
    for url in urls {
        let checker = Arc::clone(&checker);
        tasks.spawn(async move {
            let outcome = checker.check(&url).await;
            (url, outcome)
        });
    }
    let mut outcomes = Vec::with_capacity(tasks.len());
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(pair) => outcomes.push(pair),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(outcomes)
}

/// `sheaf check --external`: everything `sheaf check` reports, plus the outside links.
/// `Err` when anything is an error; both sides carry every diagnostic found. The site must
/// render before its links can be checked, so a site with errors is not checked further.
pub(crate) fn check_site(
    options: &BuildOptions,
    settings: &Settings,
) -> Result<(Diagnostics, Report), Diagnostics> {
    let built = build::render(options)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Diagnostics::from_iter([Diagnostic::error(format!(
                "cannot check outside links: {e}"
            ))])
        })?;
    let mut report = runtime.block_on(check(&built, &options.root, settings));
    let mut all = built.warnings;
    all.extend(std::mem::take(&mut report.diagnostics));
    if all.has_errors() {
        Err(all)
    } else {
        Ok((all, report))
    }
}
