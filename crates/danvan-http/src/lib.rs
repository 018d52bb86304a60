//! The danvan HTTP API for integrators (axum + tokio), served by `danvan serve`.
//!
//! The API speaks the store's trait, so it serves any [`Store`]; `danvan serve` gives it the
//! JSON store. Everything is under `/v1`; every error is an RFC 9457 problem
//! (`application/problem+json`); every record has an `ETag` from its revision; writes need a
//! bearer token whose scope allows them. The OpenAPI 3.1 description is generated from this
//! crate ([`openapi::document`]) and committed as `docs/openapi.json`.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::sync::Arc;
//! let store = danvan_store::JsonStore::open(std::path::Path::new("danvan-data")).unwrap();
//! let config = danvan_http::Config::default();
//! let app = danvan_http::Api::new(Arc::new(store), &config).router();
//! let listener = tokio::net::TcpListener::bind(config.bind).await?;
//! danvan_http::serve(listener, app, std::future::pending()).await
//! # }
//! ```

mod auth;
pub mod config;
mod extract;
pub mod openapi;
mod pages;
mod params;
pub mod problem;
mod record_routes;
mod records;
mod routes;
pub mod server;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use danvan_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

pub use config::{Config, ReadAccess, Scope};
pub use pages::EXAMPLES;
pub use problem::Problem;

use crate::auth::Auth;
use crate::problem::Kind;

/// The header carrying each request's ID, in the logs and in every response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What handlers share.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) store: Arc<dyn Store>,
    auth: Arc<Auth>,
    read_access: ReadAccess,
    today: Option<NaiveDate>,
    /// Set by a write that failed for a full disk, cleared by one that succeeds.
    disk_full: Arc<std::sync::Mutex<Option<String>>>,
}

impl AppState {
    /// Today, for due reviews and report dates (fixed by [`Api::with_today`] in tests).
    pub(crate) fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Runs a store call off the async threads: it may wait for another process's lock, read
    /// files, or fsync. A write that has started finishes even if the client goes away.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, danvan_store::StoreError> + Send + 'static,
    ) -> Result<T, Problem> {
        let store = Arc::clone(&self.store);
        match tokio::task::spawn_blocking(move || f(store.as_ref())).await {
            Ok(r) => r.map_err(Problem::from),
            Err(e) => Err(Problem::internal(e)),
        }
    }

    /// [`blocking`](Self::blocking) for a write: a full disk is remembered for `/readyz`
    /// until a write succeeds again.
    pub(crate) async fn writing<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, danvan_store::StoreError> + Send + 'static,
    ) -> Result<T, Problem> {
        let store = Arc::clone(&self.store);
        match tokio::task::spawn_blocking(move || f(store.as_ref())).await {
            Ok(r) => self.noted(r),
            Err(e) => Err(Problem::internal(e)),
        }
    }

    /// A write's result, noting a full disk (and its end).
    pub(crate) fn noted<T>(&self, r: Result<T, danvan_store::StoreError>) -> Result<T, Problem> {
        let mut full = self.disk_full.lock().unwrap_or_else(|e| e.into_inner());
        match r {
            Ok(v) => {
                *full = None;
                Ok(v)
            }
            Err(e) => {
                if let danvan_store::StoreError::Io { at, source } = &e
                    && source.kind() == std::io::ErrorKind::StorageFull
                {
                    tracing::error!(at = %at, "the disk holding the store is full");
                    *full = Some(format!("the disk holding the store is full ({at})"));
                }
                Err(Problem::from(e))
            }
        }
    }

    /// Why writes fail for want of space, if they do.
    pub(crate) fn disk_full(&self) -> Option<String> {
        self.disk_full
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The API over a store, ready to become a router.
pub struct Api {
    state: AppState,
    config: Config,
}

impl Api {
    /// The API over `store` with `config`'s tokens, limits and CORS.
    pub fn new(store: Arc<dyn Store>, config: &Config) -> Api {
        Api {
            state: AppState {
                store,
                auth: Arc::new(Auth::new(&config.tokens)),
                read_access: config.read_access,
                today: None,
                disk_full: Arc::default(),
            },
            config: config.clone(),
        }
    }

    /// Fixes "today" (for due reviews and report dates), so answers do not depend on the clock.
    pub fn with_today(mut self, today: NaiveDate) -> Api {
        self.state.today = Some(today);
        self
    }

    /// Starts the periodic check of the store's files (every
    /// [`Config::integrity_check_secs`]), on the current tokio runtime, off its async threads.
    /// It stops when the store is dropped. Damage it finds is kept by the store: `/readyz`
    /// answers 503 with the reason and writes are refused.
    pub fn spawn_integrity_check(&self) {
        let secs = self.config.integrity_check_secs;
        if secs == 0 || tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let store = Arc::downgrade(&self.state.store);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(secs));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await; // the first tick is now: the store was checked at open
            loop {
                tick.tick().await;
                let Some(store) = store.upgrade() else { break };
                let checked = tokio::task::spawn_blocking(move || store.verify()).await;
                match checked {
                    Ok(Ok(())) => tracing::debug!("store files checked: no damage"),
                    Ok(Err(e)) => tracing::error!(error = %e, "store check failed"),
                    Err(e) => tracing::error!(error = %e, "store check did not run"),
                }
            }
        });
    }

    /// The axum router: routes, authorisation, limits and the operational layers.
    pub fn router(self) -> Router {
        let state = self.state;
        let v1 = record_routes::router()
            .merge(routes::routes())
            .route_layer(middleware::from_fn_with_state(state.clone(), authorize));
        let timeout = self.config.request_timeout();
        let mut app = Router::new()
            .merge(v1)
            .merge(pages::routes())
            .merge(openapi::routes())
            .fallback(|| async { Problem::new(Kind::NotFound, "no such route; see /docs") })
            .method_not_allowed_fallback(|| async {
                Problem::new(
                    Kind::MethodNotAllowed,
                    "this route does not take this method",
                )
            })
            .layer(DefaultBodyLimit::max(self.config.body_limit))
            .layer(middleware::from_fn({
                let body_limit = self.config.body_limit;
                move |req, next| within_limits(body_limit, req, next)
            }))
            .layer(middleware::from_fn(move |req, next| {
                with_timeout(timeout, req, next)
            }))
            .with_state(state);
        if !self.config.cors_origins.is_empty() {
            let origins: Vec<HeaderValue> = self
                .config
                .cors_origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok())
                .collect();
            app = app.layer(
                CorsLayer::new()
                    .allow_origin(AllowOrigin::list(origins))
                    .allow_methods([
                        Method::GET,
                        Method::HEAD,
                        Method::POST,
                        Method::PUT,
                        Method::PATCH,
                        Method::DELETE,
                    ])
                    .allow_headers([
                        header::AUTHORIZATION,
                        header::CONTENT_TYPE,
                        header::IF_MATCH,
                        header::IF_NONE_MATCH,
                    ])
                    .expose_headers([header::ETAG, header::LOCATION, header::LINK, REQUEST_ID]),
            );
        }
        app.layer(CompressionLayer::new())
            .layer(CatchPanicLayer::custom(|_| {
                Problem::internal("a handler panicked").into_response()
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|req: &Request| {
                        let id = req
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!("request", id, method = %req.method(), uri = %req.uri())
                    })
                    // One line per answered request, with its status and latency.
                    .on_response(
                        tower_http::trace::DefaultOnResponse::new()
                            .level(tracing::Level::INFO)
                            .latency_unit(tower_http::LatencyUnit::Micros),
                    ),
            )
            .layer(SetRequestIdLayer::new(REQUEST_ID, RequestIds::new()))
    }
}

/// Request IDs: a per-process random prefix and a counter, cheap and unique enough to find a
/// request in the logs. A client's own `x-request-id` is kept.
#[derive(Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> RequestIds {
        let mut b = [0u8; 4];
        let _ = getrandom::fill(&mut b);
        RequestIds {
            prefix: format!("{:08x}", u32::from_be_bytes(b)).into(),
            next: Arc::new(std::sync::atomic::AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Answers 503 when a request runs longer than the timeout.
async fn with_timeout(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => Problem::new(
            Kind::Timeout,
            format!(
                "the request took longer than {} s; a write that had started was applied whole or not at all",
                limit.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

/// Checks the bearer token against the scope the request needs.
async fn authorize(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let needed = auth::needed_scope(req.method(), req.uri(), state.read_access);
    match state.auth.check(req.headers(), needed) {
        Ok(token) => {
            // Writes record who made them (the token's name) and why (the header, UTF-8), and
            // keep to the token's provinces.
            let reason = req
                .headers()
                .get(CHANGE_REASON)
                .and_then(|v| String::from_utf8(v.as_bytes().to_vec()).ok());
            let caller = token.unwrap_or_else(|| auth::Caller {
                name: "anonymous".into(),
                provinces: None,
            });
            let author = danvan_store::Author::new(caller.name.clone()).with_reason(reason);
            req.extensions_mut().insert(author);
            req.extensions_mut().insert(caller);
            next.run(req).await
        }
        Err(p) => p.into_response(),
    }
}

/// The header a write may carry to say why it is made; recorded in the record's history and
/// the change feed.
pub const CHANGE_REASON: HeaderName = HeaderName::from_static("x-change-reason");

/// The longest path and query read (longer: 414).
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header bytes read, names and values together (more: 431).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// Answers at once, as problems, what the server will not read: a URI or headers over their
/// limits, and a body whose declared length is over the body limit (without waiting for it).
async fn within_limits(body_limit: usize, req: Request, next: Next) -> Response {
    let uri = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri > MAX_URI_BYTES {
        return Problem::new(
            Kind::UriTooLong,
            format!("the path and query are {uri} bytes; the server reads {MAX_URI_BYTES}"),
        )
        .into_response();
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len())
        .sum();
    if headers > MAX_HEADER_BYTES {
        return Problem::new(
            Kind::HeadersTooLarge,
            format!("the headers are {headers} bytes; the server reads {MAX_HEADER_BYTES}"),
        )
        .into_response();
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u128>().ok());
    if let Some(length) = declared
        && length > body_limit as u128
    {
        return Problem::new(
            Kind::PayloadTooLarge,
            format!("the body is {length} bytes; the server takes {body_limit}"),
        )
        .into_response();
    }
    next.run(req).await
}

/// Serves `app` on `listener` until `shutdown` completes, with the default [`server::Limits`]
/// (use [`server::serve_with`] for others).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve_with(listener, app, shutdown, server::Limits::default()).await
}

/// Completes on Ctrl-C or SIGTERM: the usual `shutdown` for [`serve`].
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
