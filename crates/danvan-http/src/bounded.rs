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
                let reason = match change_reason(req.headers()) {
                    Ok(r) => r,
                    Err(problem) => {
                        return AuthorizedFuture::Refused {
                            response: Some(problem.into_response()),
                        };
                    }
                };
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

/// The `X-Change-Reason` header: raw UTF-8, or an RFC 8187 extended value
/// (`UTF-8''Theo%20B%C3%A1o%20c%C3%A1o…`, which clients that send only ASCII headers can
/// write), in NFC; `None` when absent or blank. A value that is neither is refused (400)
/// rather than dropped, so a write is never recorded without the reason its writer gave.
pub(crate) fn change_reason(headers: &axum::http::HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get(crate::CHANGE_REASON) else {
        return Ok(None);
    };
    let bad = |why: &str| {
        Problem::new(
            crate::problem::Kind::BadRequest,
            format!(
                "header X-Change-Reason: {why}; send UTF-8, or percent-encoded UTF-8 as RFC 8187 writes it (UTF-8''Theo%20B%C3%A1o%20c%C3%A1o)"
            ),
        )
    };
    let bytes = value.as_bytes();
    let text = match extended_value(bytes) {
        Some((charset, encoded)) => {
            if !charset.eq_ignore_ascii_case(b"utf-8") {
                return Err(bad(&format!(
                    "charset {:?} is not UTF-8",
                    String::from_utf8_lossy(charset)
                )));
            }
            let decoded: Vec<u8> = percent_encoding::percent_decode(encoded).collect();
            String::from_utf8(decoded)
                .map_err(|_| bad("the percent-encoded bytes are not UTF-8"))?
        }
        None => String::from_utf8(bytes.to_vec()).map_err(|_| bad("the value is not UTF-8"))?,
    };
    let text = text.trim();
    if text.chars().any(char::is_control) {
        return Err(bad("the value holds control characters"));
    }
    Ok((!text.is_empty()).then(|| danvan_core::text::nfc(text).into_owned()))
}

/// An RFC 8187 `ext-value`'s charset and encoded value: `charset'[language]'value`, where the
/// charset is a token and the value holds no quote or space (so a plain sentence with an
/// apostrophe is not one).
fn extended_value(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let first = bytes.iter().position(|&b| b == b'\'')?;
    let (charset, rest) = (&bytes[..first], &bytes[first + 1..]);
    let second = rest.iter().position(|&b| b == b'\'')?;
    let (language, value) = (&rest[..second], &rest[second + 1..]);
    let token = |s: &[u8]| {
        !s.is_empty()
            && s.iter()
                .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&+-^_`{}~".contains(&b))
    };
    let is_language = language
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'-');
    let is_value = value.iter().all(|&b| b.is_ascii_graphic() && b != b'\'');
    (token(charset) && is_language && is_value).then_some((charset, value))
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

#[cfg(test)]
mod tests {
    use super::change_reason;
    use axum::http::{HeaderMap, HeaderValue};

    fn reason(bytes: &[u8]) -> Result<Option<String>, String> {
        let mut h = HeaderMap::new();
        h.insert(
            crate::CHANGE_REASON,
            HeaderValue::from_bytes(bytes).unwrap(),
        );
        change_reason(&h).map_err(|p| p.detail)
    }

    #[test]
    fn a_reason_is_utf8_or_rfc_8187_and_never_dropped() {
        let said = Some("Theo Báo cáo số 115-BC/TU".to_string());
        assert_eq!(
            reason("Theo Báo cáo số 115-BC/TU".as_bytes()),
            Ok(said.clone())
        );
        assert_eq!(
            reason(b"UTF-8''Theo%20B%C3%A1o%20c%C3%A1o%20s%E1%BB%91%20115-BC%2FTU"),
            Ok(said.clone())
        );
        assert_eq!(
            reason(b"utf-8'vi'Theo%20B%C3%A1o%20c%C3%A1o%20s%E1%BB%91%20115-BC/TU"),
            Ok(said)
        );
        // Decomposed input is stored composed (NFC).
        assert_eq!(
            reason("Sửa theo y\u{301} kiê\u{301}n".as_bytes()),
            Ok(Some("Sửa theo ý kiến".to_string()))
        );
        // A sentence with apostrophes is a sentence, not an extended value.
        assert_eq!(
            reason(b"Theo 'ke hoach' moi"),
            Ok(Some("Theo 'ke hoach' moi".to_string()))
        );
        assert_eq!(reason(b"   "), Ok(None));
        assert_eq!(change_reason(&HeaderMap::new()).unwrap(), None);
        for (bytes, why) in [
            (
                &b"ISO-8859-1''caf%E9"[..],
                "charset \"ISO-8859-1\" is not UTF-8",
            ),
            (b"UTF-8''%C3%28", "percent-encoded bytes are not UTF-8"),
            (b"caf\xe9", "the value is not UTF-8"),
            (b"UTF-8''a%0Ab", "control characters"),
        ] {
            let e = reason(bytes).unwrap_err();
            assert!(e.contains(why) && e.contains("RFC 8187"), "{e}");
        }
    }
}
