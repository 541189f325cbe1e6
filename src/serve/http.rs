//! The preview's HTTP side: files of the last good build from memory, the live-reload
//! script, its event stream and the current errors. Every response is `no-store`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt, stream};
use serde::Deserialize;
use tokio::sync::broadcast;

use super::site::{self, Files, Target};
use super::{App, Push};

/// The browser side of live reload; served, never inlined, so a strict CSP still allows it.
const LIVE_JS: &str = include_str!("live.js");

pub(super) async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub(super) async fn live_js() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/javascript; charset=utf-8",
        )],
        LIVE_JS,
    )
        .into_response()
}

pub(super) async fn errors(State(app): State<Arc<App>>) -> Response {
    let errors = app
        .current
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .errors
        .clone();
    ([(header::CONTENT_TYPE, "application/json")], errors).into_response()
}

/// `event: reload | css | error` for every rebuild, each with a non-empty `data:` line
/// (browsers drop events without data). The first event, `build`, carries the number of
/// the current build: a page served from an older one reloads, so a rebuild that finished
/// while the page was still connecting is not missed.
pub(super) async fn events_stream(
    State(app): State<Arc<App>>,
    Query(query): Query<EventsQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the number: a build finishing in between is then both
    // counted in the number and received as an event (a harmless double reload at worst).
    let receiver = app.events.subscribe();
    let (build, page) = {
        let current = app.current.read().unwrap_or_else(|e| e.into_inner());
        let page = query.page.as_deref().and_then(|p| {
            match site::resolve(p, &app.base_path, &current.files) {
                Target::File(key) => Some(key),
                _ => None,
            }
        });
        (current.build, page)
    };
    let open = OpenPage::new(app.clone(), page);
    let hello =
        stream::once(async move { Ok(Event::default().event("build").data(build.to_string())) });
    // The open-page registration lives in the stream's state: it ends with the connection.
    let pushes = stream::unfold((receiver, open), |(mut receiver, open)| async move {
        use broadcast::error::RecvError;
        let event = match receiver.recv().await {
            Ok(Push::Reload) | Err(RecvError::Lagged(_)) => {
                Event::default().event("reload").data("reload")
            }
            Ok(Push::Css) => Event::default().event("css").data("css"),
            Ok(Push::Error(json)) => Event::default().event("error").data(json),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(event), (receiver, open)))
    });
    Sse::new(hello.chain(pushes)).keep_alive(KeepAlive::default())
}

#[derive(Debug, Deserialize)]
pub(super) struct EventsQuery {
    /// The path of the page that listens (`location.pathname`).
    page: Option<String>,
}

/// A page open in a browser, counted in `App::open` while its event stream lives.
struct OpenPage {
    app: Arc<App>,
    key: Option<String>,
}

impl OpenPage {
    fn new(app: Arc<App>, key: Option<String>) -> Self {
        if let Some(key) = &key {
            let mut open = app.open.lock().unwrap_or_else(|e| e.into_inner());
            *open.entry(key.clone()).or_default() += 1;
        }
        OpenPage { app, key }
    }
}

impl Drop for OpenPage {
    fn drop(&mut self) {
        let Some(key) = &self.key else { return };
        let mut open = self.app.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(key) {
            *count -= 1;
            if *count == 0 {
                open.remove(key);
            }
        }
    }
}

/// How long a request for a file still being rebuilt waits before it gets what there is.
const PENDING_WAIT: Duration = Duration::from_secs(60);

/// Waits until `key` is not pending (a rebuild's second step is still rendering it).
async fn wait_until_current(app: &App, key: &str) {
    let deadline = tokio::time::Instant::now() + PENDING_WAIT;
    let mut settled = app.settled.subscribe();
    loop {
        let pending = app
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .pending
            .as_ref()
            .is_some_and(|p| p.contains(key));
        if !pending {
            return;
        }
        if tokio::time::timeout_at(deadline, settled.changed())
            .await
            .is_err()
        {
            return;
        }
    }
}

pub(super) async fn serve_file(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let key = {
        let current = app.current.read().unwrap_or_else(|e| e.into_inner());
        match site::resolve(uri.path(), &app.base_path, &current.files) {
            Target::File(key) => Some(key),
            _ => None,
        }
    };
    if let Some(key) = key {
        wait_until_current(&app, &key).await;
    }
    let current = app.current.read().unwrap_or_else(|e| e.into_inner());
    let page = |status, key: &str, bytes| page_response(status, key, bytes, current.build);
    let not_found = || match current.files.get("404.html") {
        // The site's own 404 page carries the reload script, so a broken build still shows
        // its overlay there.
        Some(bytes) => page(StatusCode::NOT_FOUND, "404.html", bytes),
        None => no_site_yet(&app.base_path, &current.files, current.build),
    };
    match site::resolve(uri.path(), &app.base_path, &current.files) {
        Target::Redirect(to) => {
            let to = percent_encoding::utf8_percent_encode(&to, percent_encoding::CONTROLS)
                .to_string()
                .replace(' ', "%20");
            match HeaderValue::from_str(&to) {
                Ok(to) => {
                    (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]).into_response()
                }
                Err(_) => not_found(),
            }
        }
        Target::File(key) => match current.files.get(&key) {
            Some(bytes) => page(StatusCode::OK, &key, bytes),
            None => not_found(),
        },
        Target::NotFound => not_found(),
    }
}

/// A 404 for a site without a 404 page. Before the first good build that is every URL, and
/// the page still loads the reload script: it shows the errors and reloads once they are
/// fixed.
fn no_site_yet(base_path: &str, files: &Files, build: u64) -> Response {
    let message = if files.is_empty() {
        "The site has not built yet: the errors are shown over this page and it reloads when they are fixed."
    } else {
        "Not found."
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title>\
         <script src=\"{base_path}{}live.js?build={build}\" defer></script></head>\
         <body><p>{message}</p></body></html>",
        site::PREFIX
    );
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// A file of the site. HTML pages get the build number on their reload script's URL.
fn page_response(status: StatusCode, key: &str, bytes: axum::body::Bytes, build: u64) -> Response {
    let bytes = if key.ends_with(".html") {
        site::stamp_build(bytes, build)
    } else {
        bytes
    };
    file_response(status, key, bytes)
}

fn file_response(status: StatusCode, key: &str, bytes: axum::body::Bytes) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json"
        );
    let content_type = if textual {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    (status, [(header::CONTENT_TYPE, content_type)], bytes).into_response()
}
