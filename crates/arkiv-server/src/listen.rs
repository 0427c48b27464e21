//! The listener: HTTP/1.1 connections under bounds, so that clients can't
//! turn the service against the others. A client gets a fixed time to send
//! its request's head (a slow client trickling headers is cut off, and its
//! connection freed), a request head is bounded in size (a larger one gets
//! 431), and the connections served at once are bounded (past the bound, a
//! new connection waits in the listen queue until one ends). On shutdown
//! the requests in progress are finished, for at most a few seconds.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// The bounds on what one client can hold.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time a client has to send a request's head, from when the service
    /// starts reading it (and, between requests on one connection, the idle time).
    pub header_timeout: Duration,
    /// Bytes a request's head (request line and headers) may hold.
    pub max_head_bytes: usize,
    /// Connections served at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_timeout: Duration::from_secs(10), max_head_bytes: 64 * 1024, max_connections: 512 }
    }
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits, shutdown: impl std::future::Future<Output = ()>) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => s.expect("the semaphore is never closed"),
            _ = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was taken: say so, breathe, go on.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_buf_size(limits.max_head_bytes.max(8192))
            .max_header_size(limits.max_head_bytes)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(5)) => tracing::warn!("shutdown: requests still open after 5 s were cut off"),
    }
    Ok(())
}
