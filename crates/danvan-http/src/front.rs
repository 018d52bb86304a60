//! What a connection meets before hyper: the server's front door, on a thread of its own.
//!
//! Every new connection's first request head is read here, within the header timeout, by a
//! task of the front's own single-threaded runtime. A health check (`GET` or `HEAD` of
//! `/healthz` or `/readyz`) is answered here at once and the connection closed; any other
//! request is handed, with the bytes already read, to the main runtime, where hyper serves it
//! and the connection cap applies. So a flood of idle or slowloris sockets, or of requests
//! that keep every connection slot and every worker busy, never stands between a load
//! balancer and its health check: those sockets wait here (costing a small task each) or in
//! the main runtime's queue, and the front answers health checks from its own thread.
//!
//! [`Conn`] is the connection hyper serves: the bytes the front read come first, and the bare
//! answer hyper writes itself when it cannot parse a request (400, 414, 431 with an empty
//! body, never through the app) is replaced by the same answer as `application/problem+json`.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::http::StatusCode;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

use crate::problem::{Kind, Problem};

/// The most of a first request head the front reads before it hands the connection on.
const MAX_HEAD: usize = 16 * 1024;

/// A connection the front read a request head from, for the main runtime to serve.
pub(crate) struct Handoff {
    pub(crate) stream: std::net::TcpStream,
    pub(crate) peer: std::net::SocketAddr,
    /// What the front read: the request head, and whatever followed it.
    pub(crate) read: Vec<u8>,
}

/// Answers health checks on the front's thread.
#[derive(Clone)]
pub(crate) struct Probe {
    pub(crate) state: crate::AppState,
    pub(crate) ids: crate::RequestIds,
}

/// What the front does with a first request.
enum Triage {
    /// A health check: its path, whether it is a `HEAD`, and its request ID if it gave one.
    Health {
        path: &'static str,
        head: bool,
        request_id: Option<String>,
    },
    /// Anything else: the app's.
    App,
}

/// Where the head of `buf` ends (just past its blank line), if it does.
fn head_end(buf: &[u8]) -> Option<usize> {
    memchr::memmem::find(buf, b"\r\n\r\n").map(|i| i + 4)
}

/// What a complete request head asks.
fn triage(head: &[u8]) -> Triage {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    if !matches!(req.parse(head), Ok(httparse::Status::Complete(_))) {
        // Malformed, or more headers than a health check sends: hyper says what is wrong.
        return Triage::App;
    }
    let head_only = match req.method {
        Some("GET") => false,
        Some("HEAD") => true,
        _ => return Triage::App,
    };
    let path = match req.path {
        Some("/healthz") => "/healthz",
        Some("/readyz") => "/readyz",
        _ => return Triage::App,
    };
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    // With an `Origin` the app answers (it adds CORS headers where configured).
    if header("origin").is_some() {
        return Triage::App;
    }
    Triage::Health {
        path,
        head: head_only,
        request_id: header(crate::REQUEST_ID.as_str())
            .filter(|v| axum::http::HeaderValue::from_str(v).is_ok()),
    }
}

/// Reads `stream`'s first request head within `idle_timeout`: answers a health check
/// itself, hands anything else to `to_app`, and closes a connection that sends no complete
/// head in time.
pub(crate) async fn first_request(
    mut stream: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    probe: Option<Probe>,
    idle_timeout: std::time::Duration,
    to_app: tokio::sync::mpsc::Sender<Handoff>,
) {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + idle_timeout;
    let mut read = Vec::with_capacity(1024);
    let end = loop {
        if let Some(end) = head_end(&read) {
            break Some(end);
        }
        if read.len() >= MAX_HEAD {
            break None;
        }
        read.reserve(1024);
        match tokio::time::timeout_at(deadline, stream.read_buf(&mut read)).await {
            Ok(Ok(n)) if n > 0 => {}
            // Closed, failed, or too slow (a slowloris): nothing to answer.
            _ => return,
        }
    };
    if let (Some(end), Some(probe)) = (end, &probe)
        && let Triage::Health {
            path,
            head,
            request_id,
        } = triage(&read[..end])
    {
        let answer = probe.answer(path, head, request_id, started).await;
        let _ = stream.write_all(&answer).await;
        let _ = stream.shutdown().await;
        return;
    }
    let Ok(stream) = stream.into_std() else {
        return;
    };
    // The main runtime takes it when a connection slot is free; meanwhile this task waits.
    let _ = to_app.send(Handoff { stream, peer, read }).await;
}

impl Probe {
    /// The whole HTTP/1.1 answer to a health check of `path`, as the app would give it:
    /// the same body, content type, request ID and `Vary`, then the connection closes.
    async fn answer(
        &self,
        path: &str,
        head: bool,
        request_id: Option<String>,
        started: Instant,
    ) -> Vec<u8> {
        let (status, health) = if path == "/readyz" {
            crate::pages::readiness(&self.state).await
        } else {
            crate::pages::liveness()
        };
        let body = serde_json::to_vec(&health).unwrap_or_default();
        let id = request_id
            .or_else(|| {
                self.ids
                    .next_id()
                    .and_then(|v| v.to_str().ok().map(str::to_string))
            })
            .unwrap_or_default();
        let span = tracing::info_span!(
            "request",
            id = id.as_str(),
            method = if head { "HEAD" } else { "GET" },
            uri = path
        );
        let _entered = span.enter();
        tracing::info!(
            latency = %format_args!("{} μs", started.elapsed().as_micros()),
            status = status.as_u16(),
            "finished processing request (health check at the front)"
        );
        let mut out = response_head(
            status,
            &[
                ("content-type", "application/json"),
                ("vary", "accept-encoding"),
                (crate::REQUEST_ID.as_str(), &id),
            ],
            body.len(),
        );
        if !head {
            out.extend_from_slice(&body);
        }
        out
    }
}

/// An HTTP/1.1 response head that closes the connection after its body.
fn response_head(status: StatusCode, headers: &[(&str, &str)], length: usize) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {length}\r\nconnection: close\r\ndate: {}\r\n\r\n",
        chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT")
    ));
    out.into_bytes()
}

/// The problem+json answer that replaces hyper's own bare answer `head` (a response head with
/// an empty body that the app never wrote: every answer of the app has a content type), or
/// `None` when `head` is not one.
fn problem_instead_of(head: &[u8]) -> Option<Vec<u8>> {
    // Most writes are a head with its body, or a body: told apart without a search.
    if !head.starts_with(b"HTTP/1.") || !head.ends_with(b"\r\n\r\n") {
        return None;
    }
    if head_end(head) != Some(head.len()) {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let status_line = text.lines().next()?;
    let code: u16 = status_line
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| status_line.strip_prefix("HTTP/1.0 "))?
        .get(..3)?
        .parse()
        .ok()?;
    let lower = text.to_ascii_lowercase();
    if lower.contains("\r\ncontent-type:") || !lower.contains("\r\ncontent-length: 0\r\n") {
        return None;
    }
    let problem = match code {
        400 => Problem::new(
            Kind::BadRequest,
            "the request could not be read as HTTP/1.1: a malformed request line, header name or value",
        ),
        414 => Problem::new(
            Kind::UriTooLong,
            "the request line is longer than the server reads: send the filters in fewer words",
        ),
        431 => Problem::new(
            Kind::HeadersTooLarge,
            "the request's headers are larger than the server reads",
        ),
        _ => return None,
    };
    let body = serde_json::to_vec(&problem).ok()?;
    let status = StatusCode::from_u16(code).ok()?;
    let mut out = response_head(
        status,
        &[("content-type", "application/problem+json")],
        body.len(),
    );
    out.extend_from_slice(&body);
    Some(out)
}

pin_project_lite::pin_project! {
    /// A connection as hyper serves it (see the [module docs](self)).
    pub(crate) struct Conn<S> {
        #[pin]
        inner: S,
        // What the front read, given to hyper first.
        read: Vec<u8>,
        taken: usize,
        // A problem+json answer still to write in place of hyper's bare one.
        pending: Vec<u8>,
        sent: usize,
    }
}

impl<S> Conn<S> {
    /// `inner`, after the bytes the front already `read` from it.
    pub(crate) fn new(inner: S, read: Vec<u8>) -> Conn<S> {
        Conn {
            inner,
            read,
            taken: 0,
            pending: Vec::new(),
            sent: 0,
        }
    }
}

impl<S: AsyncWrite> Conn<S> {
    /// Writes what is pending; ready when nothing is.
    fn drain(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut this = self.project();
        while *this.sent < this.pending.len() {
            let n = std::task::ready!(
                this.inner
                    .as_mut()
                    .poll_write(cx, &this.pending[*this.sent..])
            )?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *this.sent += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead> AsyncRead for Conn<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.project();
        if *this.taken < this.read.len() {
            let rest = &this.read[*this.taken..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            *this.taken += n;
            if *this.taken == this.read.len() {
                *this.read = Vec::new();
                *this.taken = 0;
            }
            return Poll::Ready(Ok(()));
        }
        this.inner.poll_read(cx, buf)
    }
}

impl<S: AsyncWrite> AsyncWrite for Conn<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        std::task::ready!(self.as_mut().drain(cx))?;
        if let Some(problem) = problem_instead_of(buf) {
            let this = self.as_mut().project();
            *this.pending = problem;
            *this.sent = 0;
            // Taken in place of `buf`; written by the drain here or at the next flush.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        self.project().inner.poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        // hyper's own answer is a head alone, in one slice.
        if let [one] = bufs {
            return self.poll_write(cx, one);
        }
        std::task::ready!(self.as_mut().drain(cx))?;
        self.project().inner.poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.as_mut().drain(cx))?;
        self.project().inner.poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.as_mut().drain(cx))?;
        self.project().inner.poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_checks_are_told_from_everything_else() {
        let is_health = |head: &[u8]| matches!(triage(head), Triage::Health { .. });
        assert!(is_health(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(is_health(b"HEAD /readyz HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(!is_health(b"GET /healthz?x=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(!is_health(b"POST /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(!is_health(b"GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(!is_health(
            b"GET /healthz HTTP/1.1\r\nOrigin: https://x\r\n\r\n"
        ));
        assert!(!is_health(b"GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n"));
        match triage(b"GET /healthz HTTP/1.1\r\nX-Request-Id: lb-7\r\n\r\n") {
            Triage::Health { request_id, .. } => assert_eq!(request_id.as_deref(), Some("lb-7")),
            Triage::App => panic!("a health check"),
        }
    }

    #[test]
    fn only_hypers_bare_answers_are_replaced() {
        let bare = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: Sun, 06 Dec 2026 07:00:00 GMT\r\n\r\n";
        let replaced = String::from_utf8(problem_instead_of(bare).unwrap()).unwrap();
        assert!(
            replaced.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{replaced}"
        );
        assert!(replaced.contains("content-type: application/problem+json\r\n"));
        let body = replaced.split("\r\n\r\n").nth(1).unwrap();
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["type"], "/problems/bad-request");
        assert!(
            replaced.contains(&format!("content-length: {}\r\n", body.len())),
            "{replaced}"
        );
        for (code, kind) in [
            (414, "/problems/uri-too-long"),
            (431, "/problems/headers-too-large"),
        ] {
            let bare = format!("HTTP/1.1 {code} X\r\ncontent-length: 0\r\n\r\n");
            let replaced = String::from_utf8(problem_instead_of(bare.as_bytes()).unwrap()).unwrap();
            assert!(replaced.contains(kind), "{replaced}");
        }
        // The app's own answers, a body, a part of a head, other statuses: left alone.
        for other in [
            &b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: 0\r\n\r\n"[..],
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n{}",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n",
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
            b"{\"items\": []}",
        ] {
            assert!(problem_instead_of(other).is_none(), "{}", String::from_utf8_lossy(other));
        }
    }
}
