//! The preview's HTTP side: files of the last good build from memory, the live-reload
//! script, its event stream and the current errors. Every response is `no-store`.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use hyper::body::{Frame, SizeHint};

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
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

/// The current build's errors as JSON. While a build is still running (at start-up, the
/// whole first build) its errors are not known yet: the answer waits for them rather than
/// say `[]` too early.
pub(super) async fn errors(State(app): State<Arc<App>>) -> Response {
    wait_until_settled(&app).await;
    // Shared bytes: a long error list is not copied per request either.
    let errors = app
        .current
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .errors
        .clone();
    ([(header::CONTENT_TYPE, "application/json")], errors).into_response()
}

/// How many event streams (open pages) may be connected at once. A browser opens at most six
/// connections per host, so this is dozens of browsers' worth; without a limit, clients that
/// never let go held a task, a socket and a subscription each, without end.
pub(super) const MAX_EVENT_STREAMS: usize = 128;

/// How often an idle event stream gets a comment, so proxies and browsers keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `event: reload | css | error` for every rebuild, each with a non-empty `data:` line
/// (browsers drop events without data). The first event, `build`, carries the number of
/// the current build: a page served from an older one reloads, so a rebuild that finished
/// while the page was still connecting is not missed.
///
/// Written by hand rather than with axum's `Sse`, which formats every event into a buffer of
/// its own per client: the error event (the errors JSON, which can be large) is formatted
/// once and shared.
pub(super) async fn events_stream(
    State(app): State<Arc<App>>,
    Query(query): Query<EventsQuery>,
) -> Response {
    // The slot is held by the stream and freed with it, when the connection ends.
    let Ok(slot) = app.streams.clone().try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "10")],
            "Too many live-reload connections; reload the page later.\n",
        )
            .into_response();
    };
    // Subscribe before reading the number: a build finishing in between is then both
    // counted in the number and received as an event (a harmless double reload at worst).
    let receiver = app.events.subscribe();
    let (build, page) = {
        let current = app.current.read().unwrap_or_else(|e| e.into_inner());
        // Only pages that exist count as open: made-up names would only grow the map.
        let page = query.page.as_deref().and_then(|p| {
            match site::resolve(p, &app.base_path, &current.files) {
                Target::File(key) if current.files.contains(&key) => Some(key),
                _ => None,
            }
        });
        (current.build, page)
    };
    let open = OpenPage::new(app.clone(), page);
    let hello = VecDeque::from([Bytes::from(format!("event: build\ndata: {build}\n\n"))]);
    // The open-page registration and the slot live in the stream's state: they end with the
    // connection.
    let state = (hello, receiver, open, slot);
    let frames = stream::unfold(state, |(mut queued, mut receiver, open, slot)| async move {
        use broadcast::error::RecvError;
        if queued.is_empty() {
            match tokio::time::timeout(KEEP_ALIVE, receiver.recv()).await {
                Err(_) => queued.push_back(Bytes::from_static(b":\n\n")),
                Ok(Ok(Push::Reload) | Err(RecvError::Lagged(_))) => {
                    queued.push_back(Bytes::from_static(b"event: reload\ndata: reload\n\n"));
                }
                Ok(Ok(Push::Css)) => {
                    queued.push_back(Bytes::from_static(b"event: css\ndata: css\n\n"));
                }
                Ok(Ok(Push::Error(frame))) => queued.push_back(frame),
                Ok(Err(RecvError::Closed)) => return None,
            }
        }
        let frame = queued.pop_front()?;
        Some((Ok::<_, Infallible>(frame), (queued, receiver, open, slot)))
    });
    (
        [(header::CONTENT_TYPE, "text/event-stream")],
        Body::from_stream(frames),
    )
        .into_response()
}

/// The `event: error` frame for the errors JSON, built once per failed build and shared by
/// every stream (each event one chunk, as a reader of the raw stream expects). The JSON is
/// compact (serde_json escapes line breaks in strings), so it fits one `data:` line; should a
/// line break ever appear, it is made a space (JSON whitespace) rather than end the event.
pub(super) fn error_event(json: &[u8]) -> Bytes {
    let mut frame = Vec::with_capacity(json.len() + 22);
    frame.extend_from_slice(b"event: error\ndata: ");
    frame.extend(
        json.iter()
            .map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b }),
    );
    frame.extend_from_slice(b"\n\n");
    Bytes::from(frame)
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
    let mut asked = false;
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
        // A page or a feed (not a stylesheet or picture, which cost nothing) jumps the
        // queue, once per request: the run in progress stops and renders it first. A path
        // that no job makes costs one such stop (`App::unmade`), then waits for the end of
        // the run like any other.
        if !asked
            && [".html", ".xml", ".json"]
                .iter()
                .any(|end| key.ends_with(end))
        {
            app.want(key);
        }
        asked = true;
        if tokio::time::timeout_at(deadline, settled.changed())
            .await
            .is_err()
        {
            return;
        }
    }
}

/// Waits until no file is pending (the build in progress has finished), or `PENDING_WAIT`.
async fn wait_until_settled(app: &App) {
    let deadline = tokio::time::Instant::now() + PENDING_WAIT;
    let mut settled = app.settled.subscribe();
    while app
        .current
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .pending
        .is_some()
    {
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
    let page =
        |status, key: &str, file: &site::File| page_response(status, key, file, current.build);
    let not_found = || match current.files.get("404.html") {
        // The site's own 404 page carries the reload script, so a broken build still shows
        // its overlay there.
        Some(file) => page(StatusCode::NOT_FOUND, "404.html", &file),
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
            Some(file) => page(StatusCode::OK, &key, &file),
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
fn page_response(status: StatusCode, key: &str, file: &site::File, build: u64) -> Response {
    file_response(status, key, Body::new(Chunks::new(file.chunks(build))))
}

fn file_response(status: StatusCode, key: &str, body: Body) -> Response {
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
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// A body sent as a few shared chunks, with its exact length (so `Content-Length` is set).
/// hyper queues each chunk as it is (vectored writes), so no chunk is copied either.
struct Chunks {
    chunks: VecDeque<Bytes>,
    remaining: u64,
}

impl Chunks {
    fn new(chunks: Vec<Bytes>) -> Chunks {
        let remaining = chunks.iter().map(|c| c.len() as u64).sum();
        Chunks {
            chunks: chunks.into_iter().filter(|c| !c.is_empty()).collect(),
            remaining,
        }
    }
}

impl HttpBody for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let next = self.chunks.pop_front();
        if let Some(chunk) = &next {
            self.remaining -= chunk.len() as u64;
        }
        Poll::Ready(next.map(|chunk| Ok(Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_event_is_one_frame_with_one_data_line() {
        assert_eq!(
            &error_event(br#"[{"message":"a\nb"}]"#)[..],
            b"event: error\ndata: [{\"message\":\"a\\nb\"}]\n\n"
        );
        // A raw line break (never in serde_json's output) cannot end the event early.
        assert_eq!(&error_event(b"[\r\n]")[..], b"event: error\ndata: [  ]\n\n");
    }
}
