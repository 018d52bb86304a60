//! The bounds every request passes first — a URI, headers or a declared body over their limits
//! answered at once as problems, and the request timeout — as a tower layer with a future of
//! its own: no boxed future and no cloned service per request, which `middleware::from_fn`
//! costs and which showed in the server's profile.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::Request;
use axum::http::Method;
use axum::response::{IntoResponse, Response};

use crate::problem::{Kind, Problem};

/// Adds [`Bounded`] to a service.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BoundedLayer {
    pub(crate) body_limit: usize,
    pub(crate) timeout: Duration,
}

impl<S> tower::Layer<S> for BoundedLayer {
    type Service = Bounded<S>;

    fn layer(&self, inner: S) -> Bounded<S> {
        Bounded {
            inner,
            bounds: *self,
        }
    }
}

/// See the [module docs](self).
#[derive(Debug, Clone)]
pub(crate) struct Bounded<S> {
    inner: S,
    bounds: BoundedLayer,
}

impl<S> tower::Service<Request> for Bounded<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoundedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if let Some(problem) = crate::too_large(self.bounds.body_limit, &req) {
            return BoundedFuture::Ready {
                response: Some(problem.into_response()),
            };
        }
        // A GET or HEAD reads no body, and its handler waits only through
        // `AppState::blocking`, which carries the same timeout: no timer here.
        if matches!(*req.method(), Method::GET | Method::HEAD) {
            BoundedFuture::Plain {
                inner: self.inner.call(req),
            }
        } else {
            BoundedFuture::Timed {
                inner: tokio::time::timeout(self.bounds.timeout, self.inner.call(req)),
                limit: self.bounds.timeout,
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// [`Bounded`]'s future.
    #[project = Projected]
    pub(crate) enum BoundedFuture<F> {
        Ready { response: Option<Response> },
        Plain { #[pin] inner: F },
        Timed { #[pin] inner: tokio::time::Timeout<F>, limit: Duration },
    }
}

impl<F> Future for BoundedFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            Projected::Ready { response } => {
                Poll::Ready(Ok(response.take().unwrap_or_else(|| {
                    Problem::internal("a response was taken twice").into_response()
                })))
            }
            Projected::Plain { inner } => inner.poll(cx),
            Projected::Timed { inner, limit } => match inner.poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Ok(r)) => Poll::Ready(r),
                Poll::Ready(Err(_)) => Poll::Ready(Ok(Problem::new(
                    Kind::Timeout,
                    format!(
                        "the request took longer than {} s; a write that had started was applied whole or not at all",
                        limit.as_secs_f64()
                    ),
                )
                .into_response())),
            },
        }
    }
}

/// Adds [`Authorized`] to each `/v1` route: the token check, after routing (an unknown path is
/// a 404 before it is a 401), as a tower layer with its own future (see the module docs).
#[derive(Clone)]
pub(crate) struct AuthorizeLayer {
    pub(crate) auth: std::sync::Arc<crate::auth::Auth>,
    pub(crate) read_access: crate::ReadAccess,
}

impl<S> tower::Layer<S> for AuthorizeLayer {
    type Service = Authorized<S>;

    fn layer(&self, inner: S) -> Authorized<S> {
        Authorized {
            inner,
            layer: self.clone(),
        }
    }
}

/// Checks the bearer token against the scope the request needs; a request that passes
/// carries its caller (name and provinces) and its author (who, and why: the
/// `X-Change-Reason` header) to the handler.
#[derive(Clone)]
pub(crate) struct Authorized<S> {
    inner: S,
    layer: AuthorizeLayer,
}

impl<S> tower::Service<Request> for Authorized<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = AuthorizedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        let needed = crate::auth::needed_scope(req.method(), req.uri(), self.layer.read_access);
        match self.layer.auth.check(req.headers(), needed) {
            Ok(token) => {
                let reason = req
                    .headers()
                    .get(crate::CHANGE_REASON)
                    .and_then(|v| String::from_utf8(v.as_bytes().to_vec()).ok());
                let caller = token.unwrap_or_else(crate::auth::Caller::anonymous);
                let author = caller.author(reason);
                req.extensions_mut().insert(author);
                req.extensions_mut().insert(caller);
                AuthorizedFuture::Inner {
                    inner: self.inner.call(req),
                }
            }
            Err(problem) => AuthorizedFuture::Refused {
                response: Some(problem.into_response()),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// [`Authorized`]'s future.
    #[project = AuthorizedProjected]
    pub(crate) enum AuthorizedFuture<F> {
        Refused { response: Option<Response> },
        Inner { #[pin] inner: F },
    }
}

impl<F> Future for AuthorizedFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            AuthorizedProjected::Refused { response } => {
                Poll::Ready(Ok(response.take().unwrap_or_else(|| {
                    Problem::internal("a response was taken twice").into_response()
                })))
            }
            AuthorizedProjected::Inner { inner } => inner.poll(cx),
        }
    }
}
