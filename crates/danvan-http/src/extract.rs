//! Extractors that turn every malformed request into a problem, and the ETag helpers.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use danvan_core::id::RecordId;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::problem::{Kind, Problem};

/// Query parameters, rejected with a 400 problem naming the parameter.
pub(crate) struct Params<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Params(v)),
            Err(e) => {
                let text = e.body_text();
                let text = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                Err(Problem::new(
                    Kind::BadRequest,
                    format!("query string: {text}"),
                ))
            }
        }
    }
}

/// A record ID from the path; a malformed one is a 400.
pub(crate) struct IdPath(pub(crate) RecordId);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| Problem::new(Kind::BadRequest, e.body_text()))?;
        RecordId::new(raw.as_str())
            .map(IdPath)
            .map_err(|e| Problem::new(Kind::BadRequest, format!("{raw:?} is not a record ID: {e}")))
    }
}

/// A JSON request body: the media type is checked, the size is limited, and malformed JSON is
/// a 400 naming the line and column.
pub(crate) struct JsonBody(pub(crate) Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match media_type(req.headers()).as_deref() {
            Some("application/json" | "application/merge-patch+json") => {}
            Some(other) => {
                return Err(Problem::new(
                    Kind::UnsupportedMediaType,
                    format!("the body is {other}; send application/json"),
                ));
            }
            None => {
                return Err(Problem::new(
                    Kind::UnsupportedMediaType,
                    "the body has no Content-Type; send application/json",
                ));
            }
        }
        let bytes = body_bytes(req, state).await?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| Problem::new(Kind::BadRequest, format!("the body is not valid JSON: {e}")))
    }
}

/// The request's media type without parameters, lowercased (`application/json`).
pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
}

/// The body's bytes, within the configured limit (413 beyond it).
pub(crate) async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Problem> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                Kind::PayloadTooLarge,
                "the body is larger than this server accepts; split the request",
            )
        } else {
            Problem::new(
                Kind::BadRequest,
                format!("the body could not be read: {}", e.body_text()),
            )
        }
    })
}

/// A record's strong ETag: its revision, quoted.
pub(crate) fn etag(revision: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{revision}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// A collection's weak ETag: the store revision it was read at.
pub(crate) fn weak_etag(revision: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("W/\"{revision}\""))
        .unwrap_or(HeaderValue::from_static("W/\"0\""))
}

/// Whether `If-None-Match` matches `tag` (weak comparison, as RFC 9110 asks for GET).
pub(crate) fn none_match(headers: &HeaderMap, tag: &HeaderValue) -> bool {
    let strip = |s: &str| s.trim().trim_start_matches("W/").to_string();
    let Some(ours) = tag.to_str().ok().map(strip) else {
        return false;
    };
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || strip(t) == ours)
}

/// What `If-Match` asks of a write.
pub(crate) enum IfMatch {
    /// No header.
    Absent,
    /// One strong ETag: this revision.
    Revision(u64),
    /// `*`, several tags, or tags that are not ours: checked against the current revision.
    Other(Vec<String>),
}

pub(crate) fn if_match(headers: &HeaderMap) -> IfMatch {
    let tags: Vec<String> = headers
        .get_all(header::IF_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    match tags.as_slice() {
        [] => IfMatch::Absent,
        [one] => match one
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .and_then(|t| t.parse::<u64>().ok())
        {
            Some(r) => IfMatch::Revision(r),
            None => IfMatch::Other(tags),
        },
        _ => IfMatch::Other(tags),
    }
}

impl IfMatch {
    /// Whether the current revision (`None`: no record) satisfies the header.
    pub(crate) fn allows(&self, current: Option<u64>) -> bool {
        match (self, current) {
            (IfMatch::Absent, _) => true,
            (_, None) => false,
            (IfMatch::Revision(r), Some(c)) => *r == c,
            (IfMatch::Other(tags), Some(c)) => {
                let ours = format!("\"{c}\"");
                tags.iter().any(|t| t == "*" || *t == ours)
            }
        }
    }
}

/// A JSON response.
pub(crate) fn json(status: StatusCode, body: impl IntoResponse) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Serialises to a JSON response, or a 500.
pub(crate) fn to_json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(b) => json(status, b),
        Err(e) => Problem::internal(e).into_response(),
    }
}

/// A 304 carrying the tag.
pub(crate) fn not_modified(tag: HeaderValue) -> Response {
    let mut r = StatusCode::NOT_MODIFIED.into_response();
    r.headers_mut().insert(header::ETAG, tag);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_compare_as_rfc_9110_says() {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, "W/\"7\", \"9\"".parse().unwrap());
        assert!(none_match(&h, &etag(7)));
        assert!(none_match(&h, &weak_etag(9)));
        assert!(!none_match(&h, &etag(8)));
        h.insert(header::IF_NONE_MATCH, "*".parse().unwrap());
        assert!(none_match(&h, &etag(1)));

        let mut h = HeaderMap::new();
        assert!(if_match(&h).allows(None));
        h.insert(header::IF_MATCH, "\"5\"".parse().unwrap());
        assert!(matches!(if_match(&h), IfMatch::Revision(5)));
        assert!(!if_match(&h).allows(Some(6)));
        h.insert(header::IF_MATCH, "*".parse().unwrap());
        assert!(if_match(&h).allows(Some(6)));
        assert!(!if_match(&h).allows(None));
        h.insert(header::IF_MATCH, "W/\"6\"".parse().unwrap());
        assert!(!if_match(&h).allows(Some(6)), "If-Match compares strongly");
    }
}
