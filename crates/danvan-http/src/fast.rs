//! The API's hottest requests — `GET /v1/{kind}/{id}` of a record the store holds in memory,
//! and a list page narrowed to a province or an indicator — answered before the router and its
//! layers, with the response they would give.
//!
//! Every request passes through [`FastRead`] first. It answers only when it can give exactly
//! what the full stack would (the same status, headers and body; a request ID made by the same
//! counter; the same log lines): a `GET` of a record path with no query, or of a collection
//! with a query the list handler would run on the async threads, no `Accept-Encoding` (the full
//! stack would compress), no `Origin` or CORS configured, no `If-None-Match`, a token the
//! request may read with, and a record or page the store lends without waiting. Anything else —
//! an error, a 304, a store behind another process's lock, every other route — goes on to the
//! full stack unchanged. The tests ask a server with it and one without for the same requests
//! and compare the answers (`tests/it/fast.rs`).
//!
//! Why: the router, the eight layers and the extractors cost more CPU per request than the
//! look-up itself, which is what the floor comparison of the benchmark measured
//! (docs/PERFORMANCE.md).

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderMap, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;

use crate::problem::Problem;
use crate::{AppState, REQUEST_ID, RequestIds};

/// See the [module docs](self). The router clones it for every request: one `Arc`.
pub(crate) struct FastRead<S>(Arc<Fast<S>>);

impl<S> Clone for FastRead<S> {
    fn clone(&self) -> Self {
        FastRead(Arc::clone(&self.0))
    }
}

/// What [`FastRead`] holds.
pub(crate) struct Fast<S> {
    /// The full stack, for everything this does not answer.
    pub(crate) inner: S,
    pub(crate) state: AppState,
    pub(crate) ids: RequestIds,
    pub(crate) body_limit: usize,
    /// How many requests this answered.
    pub(crate) answered: Arc<std::sync::atomic::AtomicU64>,
}

impl<S> FastRead<S> {
    pub(crate) fn new(fast: Fast<S>) -> FastRead<S> {
        FastRead(Arc::new(fast))
    }
}

impl<S, B> tower::Service<Request> for FastRead<S>
where
    S: tower::Service<Request, Response = axum::http::Response<B>, Error = Infallible> + Clone,
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = FastFuture<tower::util::Oneshot<S, Request>>;

    /// Always ready: the full stack is asked when a request is passed to it.
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let started = Instant::now();
        let fast = &*self.0;
        let answered = std::panic::catch_unwind(AssertUnwindSafe(|| fast.answer(&req, started)))
            // As the full stack's panic catcher answers.
            .unwrap_or_else(|_| Some(Problem::internal("a handler panicked").into_response()));
        match answered {
            Some(response) => {
                fast.answered
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                FastFuture::Answered {
                    response: Some(response),
                }
            }
            None => FastFuture::Passed {
                inner: tower::ServiceExt::oneshot(fast.inner.clone(), req),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// [`FastRead`]'s future: its own answer, or the full stack's.
    #[project = FastProjected]
    pub enum FastFuture<F> {
        Answered { response: Option<Response> },
        Passed { #[pin] inner: F },
    }
}

impl<F, B> Future for FastFuture<F>
where
    F: Future<Output = Result<axum::http::Response<B>, Infallible>>,
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            FastProjected::Answered { response } => {
                Poll::Ready(Ok(response.take().unwrap_or_else(|| {
                    Problem::internal("a response was taken twice").into_response()
                })))
            }
            FastProjected::Passed { inner } => inner
                .poll(cx)
                .map(|r| r.map(|r| r.map(axum::body::Body::new))),
        }
    }
}

impl<S> Fast<S> {
    /// The full stack's answer to `req`, when it is a read this can give; `None` to let the
    /// full stack answer.
    fn answer(&self, req: &Request, started: Instant) -> Option<Response> {
        let target = target(req)?;
        let headers = req.headers();
        if headers.contains_key(header::ACCEPT_ENCODING)
            || headers.contains_key(header::ORIGIN)
            || headers.contains_key(header::IF_NONE_MATCH)
            || crate::too_large(self.body_limit, req).is_some()
        {
            return None;
        }
        let needed = crate::auth::needed_scope(req.method(), req.uri(), self.state.read_access);
        let caller = self.state.auth.check(headers, needed).ok()?;
        // A reader held to its provinces is answered by the full stack, which filters.
        if caller.is_some_and(|c| !c.reads.is_national()) {
            return None;
        }
        let mut response = match target {
            Target::Record(kind, id) => self.record(kind, &id, headers)?,
            Target::List(kind) => self.list(kind, req.uri())?,
        };
        // The request ID the full stack would set: the client's own, else the next one.
        let request_id = match headers.get(REQUEST_ID) {
            Some(v) => v.clone(),
            None => self.ids.next_id()?,
        };
        let span = tracing::info_span!(
            "request",
            id = request_id.to_str().unwrap_or("-"),
            method = %req.method(),
            uri = %req.uri()
        );
        let _entered = span.enter();
        tracing::debug!("started processing request");
        let h = response.headers_mut();
        h.insert(REQUEST_ID, request_id);
        // The compression layer says that the answer depends on what the client accepts.
        h.append(
            header::VARY,
            axum::http::HeaderValue::from_static("accept-encoding"),
        );
        tracing::info!(
            latency = %format_args!("{} μs", started.elapsed().as_micros()),
            status = response.status().as_u16(),
            "finished processing request"
        );
        Some(response)
    }
}

impl<S> Fast<S> {
    /// `GET /v1/{kind}/{id}` as `records::read` answers it when the store lends the record
    /// without waiting.
    fn record(&self, kind: RecordKind, id: &RecordId, headers: &HeaderMap) -> Option<Response> {
        let mut answer = None;
        self.state
            .store
            .get_now_with(kind, id, &mut |found| {
                answer =
                    found.map(|st| crate::records::record_response(&self.state.cache, st, headers));
            })?
            .ok()?;
        answer?.ok()
    }

    /// `GET /v1/{kind}?…` narrowed to a province or an indicator, as `records::list` answers
    /// it when the store lends the page without waiting.
    fn list(&self, kind: RecordKind, uri: &Uri) -> Option<Response> {
        let axum::extract::Query(p) =
            axum::extract::Query::<crate::params::ListParams>::try_from_uri(uri).ok()?;
        let query = p.query(Some(kind), &danvan_store::Access::National).ok()?;
        if !crate::records::narrow(&query) {
            return None;
        }
        if let Some(kept) = crate::records::kept_page(&self.state, uri) {
            return Some(kept);
        }
        let fields = p.fields();
        let mut answer = None;
        self.state
            .store
            .query_now_with(&query, &mut |page| {
                answer = Some(crate::records::page_response(
                    &self.state.cache,
                    Some(&self.state.pages),
                    page,
                    fields.as_deref(),
                    uri,
                ));
            })?
            .ok()?;
        answer?.ok()
    }
}

/// The routes under a collection that are not a record, though their last segment could be an
/// ID: the router takes them first.
const STATIC: [&str; 2] = ["/v1/directives/due", "/v1/indicators/catalogue"];

/// What a request asks that this may answer.
enum Target {
    /// `GET /v1/{kind}/{id}` with no query.
    Record(RecordKind, RecordId),
    /// `GET /v1/{kind}?…` with a query.
    List(RecordKind),
}

/// The kind (and ID) a `GET` of a collection or a record names, as the router would read
/// them; `None` for anything else (a percent-escape in the path too: the router decodes those).
fn target(req: &Request) -> Option<Target> {
    if req.method() != Method::GET {
        return None;
    }
    let rest = req.uri().path().strip_prefix("/v1/")?;
    if rest.contains('%') {
        return None;
    }
    if STATIC.contains(&req.uri().path()) {
        return None;
    }
    let kind_of = |plural: &str| RecordKind::ALL.into_iter().find(|k| k.plural() == plural);
    match (rest.split_once('/'), req.uri().query()) {
        (Some((plural, id)), None) if !id.contains('/') => {
            Some(Target::Record(kind_of(plural)?, RecordId::new(id).ok()?))
        }
        (None, Some(_)) => Some(Target::List(kind_of(rest)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route of the API document shaped like a record's path but not one is in
    /// [`STATIC`], so a record with that ID is never answered in its place.
    #[test]
    fn routes_shaped_like_records_are_left_to_the_router() {
        let doc = crate::openapi::document();
        let mut shaped = Vec::new();
        let paths = doc["paths"].as_object().expect("paths");
        assert!(paths.contains_key("/v1/conferences/{id}"));
        for path in paths.keys() {
            let Some(rest) = path.strip_prefix("/v1/") else {
                continue;
            };
            if let Some((plural, last)) = rest.split_once('/') {
                let collection = RecordKind::ALL.iter().any(|k| k.plural() == plural);
                if collection && !last.contains('/') && !last.starts_with('{') {
                    shaped.push(path.clone());
                }
            }
        }
        shaped.sort();
        assert_eq!(shaped, STATIC);
    }
}
