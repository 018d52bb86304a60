//! The accept loop (HTTP/1.1): the limits a server shared by many clients needs, which
//! `axum::serve` does not set.
//!
//! - A connection that does not send a complete request header within the idle timeout is
//!   closed: a slow client (slowloris) and a kept-alive connection that sends nothing more are
//!   the same case to hyper, whose header timer runs while it waits for the next request.
//! - At most `max_connections` connections are served at once; past the cap new connections
//!   wait in the listen backlog, and a log line says the cap was reached (once, until the count
//!   falls below it again).
//! - On shutdown the listener closes, connections finish the requests in flight, and whatever
//!   is still open after the shutdown deadline is dropped.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;

use crate::Config;

/// The accept loop's limits (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// How long a connection may take to send a complete request header, and stay open
    /// between requests.
    pub idle_timeout: Duration,
    /// How many connections are served at once.
    pub max_connections: usize,
    /// How long shutdown waits for requests in flight.
    pub shutdown_deadline: Duration,
}

impl Limits {
    /// The limits a configuration sets.
    pub fn of(config: &Config) -> Limits {
        Limits {
            idle_timeout: Duration::from_secs_f64(config.idle_timeout_secs.max(0.1)),
            max_connections: config.max_connections.max(1),
            shutdown_deadline: Duration::from_secs_f64(config.shutdown_deadline_secs.max(0.0)),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::of(&Config::default())
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: impl Into<crate::App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: Limits,
) -> std::io::Result<()> {
    let app: crate::App = app.into();
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    // HTTP/1.1 only: hyper's header timer then runs from the first moment of a connection (the
    // version sniffing of an HTTP/2-capable builder would wait for a first byte without one).
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.idle_timeout);
    tokio::pin!(shutdown);
    let mut at_cap = false;
    loop {
        if slots.available_permits() == 0 && !at_cap {
            at_cap = true;
            tracing::warn!(
                max_connections = limits.max_connections,
                "connection cap reached: new connections wait until one closes"
            );
        }
        let permit = tokio::select! {
            permit = Arc::clone(&slots).acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        if at_cap && slots.available_permits() > 0 {
            at_cap = false;
            tracing::info!("below the connection cap again");
        }
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: say so, and let the backlog wait.
                    tracing::error!(error = %e, "accepting a connection failed");
                    drop(permit);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    app.stopping();
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_deadline) => {
            tracing::warn!(
                deadline_secs = limits.shutdown_deadline.as_secs_f64(),
                "shutdown deadline passed: dropping the connections still open"
            );
        }
    }
    Ok(())
}
