//! The accept loop: each connection served by hyper's HTTP/1.1 builder with a header-read
//! timeout and a write timeout. It replaces `axum::serve`, which gives hyper no timer and so no
//! timeout: a client that opened a connection and then sent its request a byte a minute, or
//! nothing at all (slowloris), held a socket and a task for as long as it liked, and enough of
//! them used up the process's file descriptors. HTTP/1.1 only: browsers speak HTTP/2 over TLS
//! alone, and the preview is plain HTTP on a loopback address.
//!
//! Both timeouts are fixed in use (10 s to send a request head, 30 s for a stalled client to
//! take any of a response). The tests that prove slow clients are cut off shorten them, so
//! they need not wait that long, with two environment variables read once when the server
//! starts: `SHEAF_SERVE_HEADER_TIMEOUT_MS` and `SHEAF_SERVE_WRITE_TIMEOUT_MS` (milliseconds;
//! absent, empty, zero or not a number means the default). They are for tests and left out
//! of `--help` and the guide: no timeout here needs tuning for a preview on one's own
//! machine, and a long one only lets a stuck client hold a socket longer.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::time::Sleep;

/// How long a client has, from opening a connection (or from its previous response on a
/// kept-alive one), to send a request's whole head. A browser sends it at once, and one whose
/// idle connection was closed simply opens another; a slow or silent client is cut off.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a response may wait for the client to take any of it. A browser reads as fast as
/// the bytes come (a background tab too); a client that stopped reading holds its response
/// (and, before pages were sent as shared chunks, a copy of it) for as long as it likes
/// otherwise: issue #13 item 11.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// The connection timeouts: the defaults above, or the test-only environment variables the
/// module doc describes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timeouts {
    pub(super) header_read: Duration,
    pub(super) write: Duration,
}

impl Timeouts {
    /// Reads the environment (once, as the server starts).
    pub(super) fn from_env() -> Timeouts {
        let ms = |name: &str, default: Duration| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|&ms| ms > 0)
                .map_or(default, Duration::from_millis)
        };
        Timeouts {
            header_read: ms("SHEAF_SERVE_HEADER_TIMEOUT_MS", HEADER_READ_TIMEOUT),
            write: ms("SHEAF_SERVE_WRITE_TIMEOUT_MS", WRITE_TIMEOUT),
        }
    }
}

/// Serves `router` on `listener` until the task is dropped.
pub(super) async fn serve(listener: TcpListener, router: Router, timeouts: Timeouts) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors (or a connection reset before it was accepted): the
            // error is per connection; wait a little for sockets to close and go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            // The error (timeout, reset, a malformed request) ends only this connection, and
            // dropping it drops the response it was sending (an event stream's slot too).
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(timeouts.header_read)
                .serve_connection(
                    TokioIo::new(WriteDeadline::new(stream, timeouts.write)),
                    service,
                )
                .await;
        });
    }
}

/// A connection whose writes fail with `TimedOut` once the peer has accepted nothing for
/// `timeout` (hyper has no write timeout of its own). The clock starts when a write first
/// cannot proceed and stops at any progress, so a slow but reading client is never cut off,
/// and an idle connection (nothing to write) is the header-read timeout's business.
struct WriteDeadline<IO> {
    io: IO,
    timeout: Duration,
    /// Armed while writes are blocked.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<IO> WriteDeadline<IO> {
    fn new(io: IO, timeout: Duration) -> Self {
        WriteDeadline {
            io,
            timeout,
            stalled: None,
        }
    }

    /// Passes a write's outcome through, timing how long it has been pending.
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let timeout = self.timeout;
        let stalled = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client took nothing within the write timeout",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for WriteDeadline<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    // Forwarded, not left to the default: hyper queues body chunks as they are only on a
    // connection that writes vectored, and copies them into one buffer otherwise.
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_shutdown(cx);
        self.watch(cx, poll)
    }
}
