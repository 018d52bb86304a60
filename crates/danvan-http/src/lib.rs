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
//! let app = danvan_http::Api::new(Arc::new(store), &config).app();
//! let listener = tokio::net::TcpListener::bind(config.bind).await?;
//! danvan_http::serve(listener, app, std::future::pending()).await
//! # }
//! ```

// Handlers return `Result<_, Problem>`: a problem is the response itself, built once per
// refused request, and boxing it would only move its 130 bytes to the heap.
#![allow(clippy::result_large_err)]

pub mod auth;
mod bounded;
pub mod cache;
mod calendar;
pub mod config;
mod cycle;
mod exchange;
mod extract;
mod fast;
mod front;
mod ingest;
pub mod openapi;
mod pages;
pub mod params;
pub mod problem;
mod record_routes;
mod records;
mod reports;
mod routes;
pub mod server;
pub mod service;
pub mod webhooks;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use danvan_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
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
    /// Records already turned into JSON, by revision.
    pub(crate) cache: Arc<cache::RecordCache>,
    /// List pages as answered, by the store's revision.
    pub(crate) pages: Arc<cache::PageCache>,
    /// How long a request may wait ([`Config::request_timeout`]).
    timeout: Duration,
    /// Set when the server begins to shut down: long work (a web import's dry run) gives up.
    pub(crate) stopping: Arc<std::sync::atomic::AtomicBool>,
    /// The webhooks this server delivers, when it keeps any.
    pub(crate) webhooks: Option<Arc<webhooks::Webhooks>>,
    /// The DHIS2/ADX mapping's text, when the server exchanges figures.
    pub(crate) exchange_mapping: Option<Arc<str>>,
}

impl AppState {
    /// Today, for due reviews and report dates (fixed by [`Api::with_today`] in tests).
    pub(crate) fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Runs a store call off the async threads: it may wait for another process's lock, read
    /// files, or fsync. A write that has started finishes even if the client goes away. The
    /// wait is bounded by the request timeout (503).
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, danvan_store::StoreError> + Send + 'static,
    ) -> Result<T, Problem> {
        self.run(f).await.map_err(Problem::from)
    }

    /// [`blocking`](Self::blocking), its failure typed.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, danvan_store::StoreError> + Send + 'static,
    ) -> Result<T, service::Failure> {
        let store = Arc::clone(&self.store);
        let call = tokio::task::spawn_blocking(move || f(store.as_ref()));
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok(r)) => r.map_err(service::Failure::Store),
            Ok(Err(e)) => Err(service::Failure::Internal(e.to_string())),
            Err(_) => Err(service::Failure::Timeout(self.timeout)),
        }
    }

    /// [`blocking`](Self::blocking) for a write: a full disk is remembered for `/readyz`
    /// until a write succeeds again.
    pub(crate) async fn writing<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, danvan_store::StoreError> + Send + 'static,
    ) -> Result<T, Problem> {
        self.run_write(f).await.map_err(Problem::from)
    }

    /// [`writing`](Self::writing), its failure typed.
    pub(crate) async fn run_write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, danvan_store::StoreError> + Send + 'static,
    ) -> Result<T, service::Failure> {
        let store = Arc::clone(&self.store);
        match tokio::task::spawn_blocking(move || f(store.as_ref())).await {
            Ok(r) => self.note(r).map_err(service::Failure::Store),
            Err(e) => Err(service::Failure::Internal(e.to_string())),
        }
    }

    /// A write's result, noting a full disk (and its end).
    pub(crate) fn noted<T>(&self, r: Result<T, danvan_store::StoreError>) -> Result<T, Problem> {
        self.note(r).map_err(Problem::from)
    }

    /// [`noted`](Self::noted), the store's error kept.
    fn note<T>(
        &self,
        r: Result<T, danvan_store::StoreError>,
    ) -> Result<T, danvan_store::StoreError> {
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
                Err(e)
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
    /// Whether record reads may be answered before the router (`fast`); tests compare both.
    fast_reads: bool,
    /// How many it answered so.
    fast_answered: Arc<std::sync::atomic::AtomicU64>,
    /// Routes served beside the API's (the web app), behind the same layers.
    beside: Router,
}

impl Api {
    /// The API over `store` with `config`'s tokens, limits and CORS.
    pub fn new(store: Arc<dyn Store>, config: &Config) -> Api {
        Api {
            state: AppState {
                store,
                auth: Arc::new(Auth::new(&config.tokens, config.bound_reads)),
                read_access: config.read_access,
                today: None,
                disk_full: Arc::default(),
                cache: Arc::new(cache::RecordCache::new(
                    config.record_cache_mib.saturating_mul(1024 * 1024),
                )),
                pages: Arc::new(cache::PageCache::new(
                    config.page_cache_mib.saturating_mul(1024 * 1024),
                )),
                timeout: config.request_timeout(),
                stopping: Arc::default(),
                webhooks: None,
                exchange_mapping: None,
            },
            config: config.clone(),
            fast_reads: true,
            fast_answered: Arc::default(),
            beside: Router::new(),
        }
    }

    /// The store as this API serves it, for a front end served beside it (see
    /// [`with_routes`](Self::with_routes)): the same store, limits, tokens and "today".
    pub fn service(&self) -> service::Service {
        service::Service {
            state: self.state.clone(),
        }
    }

    /// With `routes` served beside the API's — the web app (`danvan-web`) — behind the same
    /// layers (request IDs, limits, compression, timeout). Their paths must not be the API's.
    pub fn with_routes(mut self, routes: Router) -> Api {
        self.beside = self.beside.merge(routes);
        self
    }

    /// How many record reads the router built from this API answered before the router (see
    /// [`without_fast_reads`](Self::without_fast_reads)), for tests to know the fast answer
    /// was given.
    #[doc(hidden)]
    pub fn fast_answers(&self) -> Arc<std::sync::atomic::AtomicU64> {
        Arc::clone(&self.fast_answered)
    }

    /// Without the fast answer to record reads (`GET /v1/{kind}/{id}`): every request goes
    /// through the router and its layers. For tests that compare the two, and for telling
    /// whether a difference comes from it.
    #[doc(hidden)]
    pub fn without_fast_reads(mut self) -> Api {
        self.fast_reads = false;
        self
    }

    /// With webhooks (kept in their file, see [`webhooks`]): `/v1/webhooks` manages them, and
    /// the app made by [`app`](Self::app) delivers them until it is told it is stopping.
    pub fn with_webhooks(mut self, webhooks: Arc<webhooks::Webhooks>) -> Api {
        self.state.webhooks = Some(webhooks);
        self
    }

    /// With a DHIS2/ADX mapping (its TOML text; see [`danvan_exchange::mapping`]):
    /// `/v1/exchange/dhis2` and `/v1/exchange/adx` exchange the figures through it.
    pub fn with_exchange_mapping(mut self, text: impl Into<Arc<str>>) -> Api {
        self.state.exchange_mapping = Some(text.into());
        self
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

    /// Starts [`Store::warm_up`] on the current tokio runtime, off its async threads, so that
    /// the first record page does not wait for the store to index its journals. A failure is
    /// logged; the reads that need it then prepare it themselves.
    pub fn spawn_warm_up(&self) {
        if tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let store = Arc::clone(&self.state.store);
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            match store.warm_up() {
                Ok(()) => tracing::info!(
                    ms = started.elapsed().as_millis() as u64,
                    "store warmed up (histories indexed)"
                ),
                Err(e) => tracing::warn!(error = %e, "store warm-up failed"),
            }
        });
    }

    /// The axum router: routes, authorisation, limits and the operational layers.
    ///
    /// The routes are one router; the layers every request passes (request ID, trace span,
    /// panic catcher, compression, CORS, timeout, limits, body limit) wrap it once as a whole,
    /// rather than through `Router::layer`, which wraps every route by itself and so boxes and
    /// clones the whole stack for each request. Only the token check is per route, after routing
    /// (an unknown path is a 404 before it is a 401).
    pub fn router(self) -> Router {
        match self.app().served {
            Served::Fast(fast) => Router::new().fallback_service(fast),
            Served::Full(router) => router,
        }
    }

    /// The API as [`serve`] serves it: like [`router`](Self::router), without the router that
    /// only passes every request on — the record reads `fast` answers skip it.
    pub fn app(self) -> App {
        let state = self.state;
        let v1 = record_routes::router()
            .merge(routes::routes())
            .merge(reports::routes())
            .merge(calendar::routes())
            .merge(cycle::routes())
            .merge(ingest::routes())
            .merge(webhooks::routes::routes())
            .merge(exchange::routes())
            .route_layer(bounded::AuthorizeLayer {
                auth: Arc::clone(&state.auth),
                read_access: state.read_access,
            });
        let routes = Router::new()
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
            .with_state(state.clone())
            .merge(self.beside);
        let timeout = self.config.request_timeout();
        let body_limit = self.config.body_limit;
        let ids = RequestIds::new();
        let cors = self.config.cors();
        let fast = cors.is_none();
        let service = tower::ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, ids.clone()))
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
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(CatchPanicLayer::custom(|_| {
                Problem::internal("a handler panicked").into_response()
            }))
            .layer(CompressionLayer::new())
            .option_layer(cors)
            .layer(bounded::BoundedLayer {
                body_limit,
                timeout,
            })
            .layer(DefaultBodyLimit::max(body_limit))
            .service(routes);
        let full = Router::new().fallback_service(service);
        // Record reads are answered before all of that where they can be (see `fast`); with
        // CORS configured every response carries its headers, so the full stack answers all.
        let stopping = Arc::clone(&state.stopping);
        let webhooks = state.webhooks.clone();
        if let Some(w) = &webhooks {
            w.start(Arc::clone(&state.store));
        }
        let probe = Some(front::Probe {
            state: state.clone(),
            ids: ids.clone(),
        });
        let served = if fast && self.fast_reads {
            Served::Fast(fast::FastRead::new(fast::Fast {
                inner: full,
                state,
                ids,
                body_limit,
                answered: self.fast_answered,
            }))
        } else {
            Served::Full(full)
        };
        App {
            served,
            stopping,
            probe,
            webhooks,
        }
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
        self.next_id().map(RequestId::new)
    }
}

impl RequestIds {
    /// The next request ID.
    fn next_id(&self) -> Option<HeaderValue> {
        use std::io::Write as _;
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // "prefix-n" on the stack: 8 hex digits, a dash, at most 20 digits.
        let mut buf = [0u8; 32];
        let mut w = &mut buf[..];
        let _ = write!(w, "{}-{n}", self.prefix);
        let len = 32 - w.len();
        HeaderValue::from_bytes(&buf[..len]).ok()
    }
}

/// The header a write may carry to say why it is made; recorded in the record's history and
/// the change feed.
pub const CHANGE_REASON: HeaderName = HeaderName::from_static("x-change-reason");

/// The longest path and query read (longer: 414).
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header bytes read, names and values together (more: 431).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// What the server will not read, answered at once as a problem: a URI or headers over their
/// limits, and a body whose declared length is over the body limit (without waiting for it).
pub(crate) fn too_large(body_limit: usize, req: &Request) -> Option<Problem> {
    let uri = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri > MAX_URI_BYTES {
        return Some(Problem::new(
            Kind::UriTooLong,
            format!("the path and query are {uri} bytes; the server reads {MAX_URI_BYTES}"),
        ));
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len())
        .sum();
    if headers > MAX_HEADER_BYTES {
        return Some(Problem::new(
            Kind::HeadersTooLarge,
            format!("the headers are {headers} bytes; the server reads {MAX_HEADER_BYTES}"),
        ));
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u128>().ok());
    if let Some(length) = declared
        && length > body_limit as u128
    {
        return Some(Problem::new(
            Kind::PayloadTooLarge,
            format!("the body is {length} bytes; the server takes {body_limit}"),
        ));
    }
    None
}

/// What [`App`] answers with: its own response, or the full stack's.
pub type AppFuture = fast::FastFuture<tower::util::Oneshot<Router, Request>>;

/// What [`serve`] serves: [`Api::app`], or any [`Router`].
#[derive(Clone)]
pub struct App {
    served: Served,
    /// Told when the server begins to shut down (see [`App::stopping`]).
    stopping: Arc<std::sync::atomic::AtomicBool>,
    /// Answers health checks at the server's front door (`None` for a bare router).
    probe: Option<front::Probe>,
    /// The webhooks it delivers.
    webhooks: Option<Arc<webhooks::Webhooks>>,
}

impl App {
    /// Tells the app that the server is shutting down: work that can stop early (a web
    /// import's dry run) does, so that shutdown keeps its deadline; webhook deliveries stop.
    pub fn stopping(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(w) = &self.webhooks {
            w.stop();
        }
    }

    /// Waits until the work the app runs beside requests (webhook deliveries) has stopped,
    /// after [`stopping`](Self::stopping): so that another server may take its files over.
    pub async fn stopped(&self) {
        if let Some(w) = &self.webhooks {
            w.stopped().await;
        }
    }

    /// What answers health checks before the app, if this app has one.
    pub(crate) fn probe(&self) -> Option<front::Probe> {
        self.probe.clone()
    }
}

#[derive(Clone)]
enum Served {
    /// Record reads answered first, everything else by the full stack behind.
    Fast(fast::FastRead<Router>),
    Full(Router),
}

impl From<Router> for App {
    fn from(router: Router) -> App {
        App {
            served: Served::Full(router),
            stopping: Arc::default(),
            probe: None,
            webhooks: None,
        }
    }
}

impl tower::Service<axum::http::Request<hyper::body::Incoming>> for App {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = AppFuture;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: axum::http::Request<hyper::body::Incoming>) -> Self::Future {
        let req = req.map(axum::body::Body::new);
        match &mut self.served {
            Served::Fast(fast) => fast.call(req),
            Served::Full(router) => fast::FastFuture::Passed {
                inner: tower::ServiceExt::oneshot(router.clone(), req),
            },
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, with the default [`server::Limits`]
/// (use [`server::serve_with`] for others).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: impl Into<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve_with(listener, app.into(), shutdown, server::Limits::default()).await
}

/// Completes on Ctrl-C or SIGTERM: the usual `shutdown` for [`serve`]. The handlers are
/// installed when this is called (inside a Tokio runtime), not when the future is first
/// polled: call it before the server can answer anything, so that a signal sent as soon as a
/// health check passes stops the server gracefully instead of killing it.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (mut interrupt, mut term) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let interrupt = async {
                match interrupt.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let term = async {
                match term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = interrupt => {},
                () = term => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
