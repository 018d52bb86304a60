//! The accept loop (HTTP/1.1): the limits a server shared by many clients needs, which
//! `axum::serve` does not set.
//!
//! - Connections are accepted on a thread of their own (the front, `front.rs`), which
//!   reads each one's first request head: a connection that does not send a complete head
//!   within the idle timeout (a slow client, a slowloris) is closed there, and health checks
//!   (`/healthz`, `/readyz`) are answered there, so no flood of sockets or requests delays them.
//!   hyper serves the rest, with the same timeout for every later head and between requests.
//! - At most `max_connections` connections are served at once; past the cap new connections
//!   wait (at the front, a small task each), and a log line says the cap was reached (once,
//!   until the count falls below it again).
//! - hyper's own answers to requests it cannot parse are `application/problem+json`, as every
//!   other answer (`front::Conn`).
//! - On shutdown the front stops accepting, connections finish the requests in flight, and
//!   whatever is still open after the shutdown deadline is dropped.

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
    let (to_app, mut handed) = tokio::sync::mpsc::channel::<crate::front::Handoff>(256);
    let (stop_front, front_stopped) = tokio::sync::oneshot::channel::<()>();
    let front = start_front(
        listener.into_std()?,
        app.probe(),
        limits,
        to_app,
        front_stopped,
    )?;
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    // HTTP/1.1 only; every head after the first (which the front read) within the idle timeout.
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
        let handoff = tokio::select! {
            h = handed.recv() => match h {
                Some(h) => h,
                None => break,
            },
            () = &mut shutdown => break,
        };
        let stream = match tokio::net::TcpStream::from_std(handoff.stream) {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(peer = %handoff.peer, error = %e, "a connection could not be served");
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(crate::front::Conn::new(stream, handoff.read));
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(builder.serve_connection(io, service));
        let peer = handoff.peer;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    let _ = stop_front.send(());
    drop(handed);
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
    // Webhook deliveries under way are abandoned (the next server makes them again).
    let _ = tokio::time::timeout(limits.shutdown_deadline, app.stopped()).await;
    // The front has stopped accepting; its thread ends with the tasks it still holds.
    drop(front);
    Ok(())
}

/// Starts the front (see [`crate::front`]) on a thread of its own, with a runtime of its own:
/// it accepts on `listener` until `stop`, reads each connection's first request head, answers
/// health checks through `probe` and sends the rest to `to_app`.
fn start_front(
    listener: std::net::TcpListener,
    probe: Option<crate::front::Probe>,
    limits: Limits,
    to_app: tokio::sync::mpsc::Sender<crate::front::Handoff>,
    stop: tokio::sync::oneshot::Receiver<()>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("danvan-front")
        .build()?;
    // The span of whoever serves, for the front's log lines too.
    let dispatch = tracing::dispatcher::get_default(Clone::clone);
    std::thread::Builder::new()
        .name("danvan-front".into())
        .spawn(move || {
            let _guard = tracing::dispatcher::set_default(&dispatch);
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::error!(error = %e, "the listener could not be used");
                        return;
                    }
                };
                tokio::pin!(stop);
                loop {
                    let (stream, peer) = tokio::select! {
                        accepted = listener.accept() => match accepted {
                            Ok(a) => a,
                            Err(e) => {
                                // Out of file descriptors and the like: say so, and let the
                                // backlog wait.
                                tracing::error!(error = %e, "accepting a connection failed");
                                tokio::time::sleep(Duration::from_millis(100)).await;
                                continue;
                            }
                        },
                        _ = &mut stop => break,
                    };
                    tokio::spawn(crate::front::first_request(
                        stream,
                        peer,
                        probe.clone(),
                        limits.idle_timeout,
                        to_app.clone(),
                    ));
                }
            });
            // The runtime drops with the tasks still reading a first head: those connections
            // close.
            drop(runtime);
        })
}
