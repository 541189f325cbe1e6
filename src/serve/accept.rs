//! The accept loop: each connection served by hyper's HTTP/1.1 builder with a header-read
//! timeout. It replaces `axum::serve`, which gives hyper no timer and so no timeout: a client
//! that opened a connection and then sent its request a byte a minute, or nothing at all
//! (slowloris), held a socket and a task for as long as it liked, and enough of them used up
//! the process's file descriptors. HTTP/1.1 only: browsers speak HTTP/2 over TLS alone, and
//! the preview is plain HTTP on a loopback address.

use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a client has, from opening a connection (or from its previous response on a
/// kept-alive one), to send a request's whole head. A browser sends it at once, and one whose
/// idle connection was closed simply opens another; a slow or silent client is cut off.
pub(super) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until the task is dropped.
pub(super) async fn serve(listener: TcpListener, router: Router) {
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
            // The error (timeout, reset, a malformed request) ends only this connection.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
