//! RFC 9457 problem details: the one shape of every error the API returns.
//!
//! Each kind of problem has a stable `type` URI under `/problems/`, which the server also
//! serves as a short page, so a client can branch on `type` and a person can look it up.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use danvan_core::validate::{Problem as RecordProblem, Severity};
use danvan_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The kinds of problem, with their status and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Malformed JSON, a bad query parameter, a malformed cursor.
    BadRequest,
    /// No token, or a token the server does not know.
    Unauthorized,
    /// A known token without the scope the request needs.
    Forbidden,
    /// No such record or route.
    NotFound,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// A create of a record that exists already.
    AlreadyExists,
    /// The record changed since the writer read it (a write without `If-Match` that raced
    /// another; with `If-Match` it is 412).
    Changed,
    /// A delete of a record others refer to, without cascade.
    StillReferenced,
    /// The change feed no longer holds the changes asked for.
    FeedPruned,
    /// The feed position is beyond the store's latest revision.
    FeedAhead,
    /// `If-Match` named a revision the record is not at.
    PreconditionFailed,
    /// The body is larger than the configured limit.
    PayloadTooLarge,
    /// The body is not JSON.
    UnsupportedMediaType,
    /// The request's URI is longer than the server reads.
    UriTooLong,
    /// The request's headers are larger than the server reads.
    HeadersTooLarge,
    /// The body is JSON but not a valid record: wrong types, missing fields, failed checks.
    ValidationFailed,
    /// The store is locked by another process for longer than the lock timeout.
    StoreBusy,
    /// The store's files are damaged: writes are refused until it is repaired.
    StoreDamaged,
    /// The database behind the store cannot be reached.
    StoreUnavailable,
    /// The disk holding the store is full: nothing was written.
    InsufficientStorage,
    /// The request took longer than the configured timeout.
    Timeout,
    /// A fault on the server; the log has the details under the request ID.
    Internal,
}

impl Kind {
    /// Every kind, for the documentation pages.
    pub const ALL: [Kind; 22] = [
        Kind::BadRequest,
        Kind::Unauthorized,
        Kind::Forbidden,
        Kind::NotFound,
        Kind::MethodNotAllowed,
        Kind::AlreadyExists,
        Kind::Changed,
        Kind::StillReferenced,
        Kind::FeedPruned,
        Kind::FeedAhead,
        Kind::PreconditionFailed,
        Kind::PayloadTooLarge,
        Kind::UnsupportedMediaType,
        Kind::UriTooLong,
        Kind::HeadersTooLarge,
        Kind::ValidationFailed,
        Kind::StoreBusy,
        Kind::StoreDamaged,
        Kind::StoreUnavailable,
        Kind::InsufficientStorage,
        Kind::Timeout,
        Kind::Internal,
    ];

    /// The last segment of the `type` URI.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::BadRequest => "bad-request",
            Kind::Unauthorized => "unauthorized",
            Kind::Forbidden => "forbidden",
            Kind::NotFound => "not-found",
            Kind::MethodNotAllowed => "method-not-allowed",
            Kind::AlreadyExists => "already-exists",
            Kind::Changed => "changed-since-read",
            Kind::StillReferenced => "still-referenced",
            Kind::FeedPruned => "feed-pruned",
            Kind::FeedAhead => "feed-ahead",
            Kind::PreconditionFailed => "precondition-failed",
            Kind::PayloadTooLarge => "payload-too-large",
            Kind::UnsupportedMediaType => "unsupported-media-type",
            Kind::UriTooLong => "uri-too-long",
            Kind::HeadersTooLarge => "headers-too-large",
            Kind::ValidationFailed => "validation-failed",
            Kind::StoreBusy => "store-busy",
            Kind::StoreUnavailable => "store-unavailable",
            Kind::StoreDamaged => "store-damaged",
            Kind::InsufficientStorage => "insufficient-storage",
            Kind::Timeout => "timeout",
            Kind::Internal => "internal",
        }
    }

    /// The `type` URI: `/problems/` and the slug.
    pub fn type_uri(self) -> &'static str {
        match self {
            Kind::BadRequest => "/problems/bad-request",
            Kind::Unauthorized => "/problems/unauthorized",
            Kind::Forbidden => "/problems/forbidden",
            Kind::NotFound => "/problems/not-found",
            Kind::MethodNotAllowed => "/problems/method-not-allowed",
            Kind::AlreadyExists => "/problems/already-exists",
            Kind::Changed => "/problems/changed-since-read",
            Kind::StillReferenced => "/problems/still-referenced",
            Kind::FeedPruned => "/problems/feed-pruned",
            Kind::FeedAhead => "/problems/feed-ahead",
            Kind::PreconditionFailed => "/problems/precondition-failed",
            Kind::PayloadTooLarge => "/problems/payload-too-large",
            Kind::UnsupportedMediaType => "/problems/unsupported-media-type",
            Kind::UriTooLong => "/problems/uri-too-long",
            Kind::HeadersTooLarge => "/problems/headers-too-large",
            Kind::ValidationFailed => "/problems/validation-failed",
            Kind::StoreBusy => "/problems/store-busy",
            Kind::StoreUnavailable => "/problems/store-unavailable",
            Kind::StoreDamaged => "/problems/store-damaged",
            Kind::InsufficientStorage => "/problems/insufficient-storage",
            Kind::Timeout => "/problems/timeout",
            Kind::Internal => "/problems/internal",
        }
    }

    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            Kind::BadRequest => StatusCode::BAD_REQUEST,
            Kind::Unauthorized => StatusCode::UNAUTHORIZED,
            Kind::Forbidden => StatusCode::FORBIDDEN,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Kind::AlreadyExists | Kind::Changed | Kind::StillReferenced => StatusCode::CONFLICT,
            Kind::FeedPruned => StatusCode::GONE,
            Kind::FeedAhead => StatusCode::CONFLICT,
            Kind::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Kind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Kind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Kind::UriTooLong => StatusCode::URI_TOO_LONG,
            Kind::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Kind::InsufficientStorage => StatusCode::INSUFFICIENT_STORAGE,
            Kind::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            Kind::StoreBusy | Kind::StoreDamaged | Kind::StoreUnavailable | Kind::Timeout => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The short, fixed summary.
    pub fn title(self) -> &'static str {
        match self {
            Kind::BadRequest => "Bad request",
            Kind::Unauthorized => "Authentication required",
            Kind::Forbidden => "Not allowed for this token",
            Kind::NotFound => "Not found",
            Kind::MethodNotAllowed => "Method not allowed",
            Kind::AlreadyExists => "Record already exists",
            Kind::Changed => "Record changed since it was read",
            Kind::StillReferenced => "Record still referenced",
            Kind::FeedPruned => "Changes pruned",
            Kind::FeedAhead => "Feed position ahead of the store",
            Kind::PreconditionFailed => "Precondition failed",
            Kind::PayloadTooLarge => "Request body too large",
            Kind::UnsupportedMediaType => "Unsupported media type",
            Kind::UriTooLong => "URI too long",
            Kind::HeadersTooLarge => "Request headers too large",
            Kind::InsufficientStorage => "Insufficient storage",
            Kind::ValidationFailed => "Validation failed",
            Kind::StoreBusy => "Store busy",
            Kind::StoreUnavailable => "Store unavailable",
            Kind::StoreDamaged => "Store damaged",
            Kind::Timeout => "Request timed out",
            Kind::Internal => "Internal error",
        }
    }

    /// What it means and what to do, for the `/problems/…` page.
    pub fn explanation(self) -> &'static str {
        match self {
            Kind::BadRequest => {
                "The request could not be read: malformed JSON, an unknown or malformed query parameter, or a cursor from another query. The detail names the part at fault."
            }
            Kind::Unauthorized => {
                "The request needs a bearer token (Authorization: Bearer …) and none was given, or the token is not known to this server."
            }
            Kind::Forbidden => {
                "The token is known but lacks the scope this request needs: read for reading (when reads are closed), write for record changes, admin for bulk import."
            }
            Kind::NotFound => "There is no record with this ID, or no such route.",
            Kind::MethodNotAllowed => {
                "The route exists but does not accept this method; the Allow header lists those it does."
            }
            Kind::AlreadyExists => {
                "A create (POST, or PUT with If-None-Match: *) named an ID that a record of this kind already has. `current_revision` is that record's revision: change it with PUT or PATCH (If-Match with that revision), or give the new record another ID."
            }
            Kind::Changed => {
                "The record changed (or was deleted) between the server reading it for this write and writing it, because another write came first; `current_revision` is where it is now (absent when deleted). Read it again and reapply the change. A write with If-Match gets 412 instead."
            }
            Kind::StillReferenced => {
                "A DELETE of a record that other records refer to. `referenced_by` lists them (`kind/id`): delete or change those first, or repeat the DELETE with ?cascade=true to detach them (a required reference cannot be detached)."
            }
            Kind::FeedPruned => {
                "The change feed keeps a bounded history and no longer holds the changes after the revision asked for. Read the store again (GET /v1/export gives its revision) and follow /v1/changes from that revision."
            }
            Kind::FeedAhead => {
                "The feed position (since) is beyond the store's latest revision: it came from another store, or this store was restored from an older copy, so what the follower holds may include changes this store never made. Read the store again (GET /v1/export gives its revision) and follow /v1/changes from that revision."
            }
            Kind::PreconditionFailed => {
                "The If-Match header named a revision the record is no longer at. Read it again (GET gives the current ETag), reapply the change and retry."
            }
            Kind::PayloadTooLarge => {
                "The body is larger than the server's limit; split a bulk import into parts."
            }
            Kind::UnsupportedMediaType => {
                "Write bodies must be JSON: Content-Type application/json (or application/merge-patch+json for PATCH)."
            }
            Kind::UriTooLong => {
                "The request's path and query are longer than the server reads (8 KiB). Long filters belong in fewer, broader parameters; an export takes the same filters."
            }
            Kind::HeadersTooLarge => {
                "The request's headers together are larger than the server reads (32 KiB)."
            }
            Kind::InsufficientStorage => {
                "The disk that holds the store is full. Nothing was written; /readyz says so until a write succeeds again. The operator frees space."
            }
            Kind::ValidationFailed => {
                "The body is JSON but not a valid record, or the record fails danvan's checks. `errors` lists every problem with its record and field path; nothing was written."
            }
            Kind::StoreBusy => {
                "Another process held the store's write lock for longer than the lock timeout. Nothing was written; retry after the Retry-After delay."
            }
            Kind::StoreUnavailable => {
                "The database behind the store (PostgreSQL) cannot be reached or failed the work. Nothing was written; retry after the Retry-After delay. /readyz says so until the database answers again."
            }
            Kind::StoreDamaged => {
                "A file of the store is not what the store wrote (a damaged journal entry, a shard missing or altered). Reads still answer from what was loaded; writes are refused until an operator restores the file or repairs the store, and /readyz says why."
            }
            Kind::Timeout => {
                "The request took longer than the server's timeout. A write that had started was applied as a whole or not at all; read the record to see which."
            }
            Kind::Internal => {
                "A fault on the server. Nothing internal is shown; the operator finds the details in the log under the request ID (x-request-id)."
            }
        }
    }
}

/// One problem with a record or field, in a validation failure.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// The record at fault (`conference/hn-2024-…`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Where in the body the record is, for a body of several (an import): `models[3]`,
    /// `line 12`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The field path (`date`, `chairs[0].name`); empty for the record as a whole.
    pub field: String,
    /// What kind of problem, stable for programs to branch on (the message may be reworded).
    /// Reading the body: `type`, `required`, `unknown-field`, `not-a-choice`, `length`,
    /// `format`. The record's checks: `empty`, `incomplete`, `out-of-range`, `order`,
    /// `inconsistent`, `duplicate`, `duplicate-figure`, `province`, `ambiguous-province`,
    /// `wrong-province`, `dangling-reference`, `self-reference`, `number-mismatch`,
    /// `stated-mismatch`, `wrong-measure`, `not-a-count`, `not-a-url`, `reserved-id`,
    /// `missing-replacement`. The store: `already-exists`, `changed-since-read`,
    /// `still-referenced`, `forbidden`, `not-found`.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// `error` (refused) or `warning` (would be stored, shown for context).
    pub severity: String,
}

impl From<&RecordProblem> for FieldError {
    fn from(p: &RecordProblem) -> Self {
        FieldError {
            record: Some(format!("{}/{}", p.kind, p.id)),
            at: None,
            field: p.field.clone(),
            code: p.code.to_string(),
            message: p.message.clone(),
            severity: match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
            .to_string(),
        }
    }
}

/// An RFC 9457 problem details object (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Problem {
    /// A URI identifying the kind of problem, e.g. `/problems/validation-failed`.
    #[serde(rename = "type")]
    pub type_uri: &'static str,
    /// A short summary of the kind of problem.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong in this request.
    pub detail: String,
    /// For validation failures: every problem found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `already-exists` and `changed-since-read`: the record's current revision (absent
    /// when it was deleted).
    /// (A record's revision is never 0, which keeps the problem small.)
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<u64>)]
    pub current_revision: Option<std::num::NonZeroU64>,
    /// For `still-referenced`: the records that refer to it, as `kind/id`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub referenced_by: Vec<String>,
    #[serde(skip)]
    kind: Option<Kind>,
    /// For `forbidden` from the store: who was refused and what is out of reach, for a page
    /// that says it in its reader's language.
    #[serde(skip)]
    refusal: Option<Box<(String, danvan_core::access::Refusal)>>,
}

impl Problem {
    /// A problem of `kind` with a detail.
    pub fn new(kind: Kind, detail: impl Into<String>) -> Problem {
        Problem {
            type_uri: kind.type_uri(),
            title: kind.title(),
            status: kind.status().as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            current_revision: None,
            referenced_by: Vec::new(),
            kind: Some(kind),
            refusal: None,
        }
    }

    /// Who was refused and what is out of reach, for a refusal of the store's.
    pub fn refusal(&self) -> Option<(&str, &danvan_core::access::Refusal)> {
        self.refusal
            .as_deref()
            .map(|(actor, r)| (actor.as_str(), r))
    }

    /// Adds field errors.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Problem {
        self.errors = errors;
        self
    }

    /// Adds the record's current revision (`already-exists`, `changed-since-read`, 412).
    pub fn with_current_revision(mut self, revision: Option<u64>) -> Problem {
        self.current_revision = revision.and_then(std::num::NonZeroU64::new);
        self
    }

    /// The kind, if this problem was made here.
    pub fn kind(&self) -> Option<Kind> {
        self.kind
    }

    /// A 400 for a bad query parameter.
    pub fn bad_param(name: &str, message: impl std::fmt::Display) -> Problem {
        Problem::new(
            Kind::BadRequest,
            format!("query parameter `{name}`: {message}"),
        )
    }

    /// A 422 for one field of a request body, with the problem's `code` (see
    /// [`FieldError::code`]).
    pub fn invalid_field(field: &str, code: &str, message: impl Into<String>) -> Problem {
        let message = message.into();
        let detail = if field.is_empty() {
            message.clone()
        } else {
            format!("{field}: {message}")
        };
        Problem::new(Kind::ValidationFailed, detail).with_errors(vec![FieldError {
            record: None,
            at: None,
            field: field.to_string(),
            code: code.to_string(),
            message,
            severity: "error".to_string(),
        }])
    }

    /// A 500 that says nothing internal; the cause goes to the log.
    pub fn internal(cause: impl std::fmt::Display) -> Problem {
        tracing::error!(error = %cause, "internal error");
        Problem::new(
            Kind::Internal,
            "the server could not complete the request; the operator's log has the details under this response's x-request-id",
        )
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => Problem::new(Kind::NotFound, e.to_string()),
            StoreError::RecordExists { revision, .. } => {
                Problem::new(Kind::AlreadyExists, e.to_string())
                    .with_current_revision(Some(revision))
            }
            StoreError::Conflict { actual, .. } => {
                Problem::new(Kind::Changed, e.to_string()).with_current_revision(actual)
            }
            StoreError::Referenced { ref by, .. } => Problem {
                referenced_by: by.iter().map(|(k, i)| format!("{k}/{i}")).collect(),
                ..Problem::new(Kind::StillReferenced, e.to_string())
            },
            StoreError::Invalid { ref problems } => {
                let errors = problems.iter().map(FieldError::from).collect();
                Problem::new(Kind::ValidationFailed, e.to_string()).with_errors(errors)
            }
            StoreError::BadQuery(m) => Problem::new(Kind::BadRequest, m),
            StoreError::User { ref problem, .. } => Problem::new(
                match problem {
                    danvan_store::UserProblem::Exists => Kind::AlreadyExists,
                    danvan_store::UserProblem::Missing => Kind::NotFound,
                    danvan_store::UserProblem::Invalid(_) => Kind::ValidationFailed,
                },
                e.to_string(),
            ),
            // The actor is the token's name.
            StoreError::Forbidden { actor, refusal } => {
                let mut p = Problem::new(Kind::Forbidden, refusal_detail(&actor, &refusal));
                p.refusal = Some(Box::new((actor, refusal)));
                p
            }
            StoreError::Pruned { .. } => Problem::new(Kind::FeedPruned, e.to_string()),
            StoreError::FeedAhead { .. } => Problem::new(Kind::FeedAhead, e.to_string()),
            StoreError::Damaged { .. } => Problem::new(Kind::StoreDamaged, e.to_string()),
            StoreError::Io { ref source, .. }
                if source.kind() == std::io::ErrorKind::StorageFull =>
            {
                Problem::new(
                    Kind::InsufficientStorage,
                    "the disk holding the store is full; nothing was written",
                )
            }
            StoreError::Database { .. } => {
                // The cause (which names the database, never its password) goes to the log.
                tracing::error!(error = %e, "database unavailable");
                Problem::new(
                    Kind::StoreUnavailable,
                    "the database behind the store cannot be reached; nothing was written",
                )
            }
            StoreError::Locked { waited_ms, .. } => Problem::new(
                Kind::StoreBusy,
                format!("the store is locked by another process (waited {waited_ms} ms)"),
            ),
            other => Problem::internal(other),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        match self.kind {
            Some(Kind::Unauthorized) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"danvan\""),
                );
            }
            Some(Kind::StoreBusy | Kind::StoreUnavailable | Kind::Timeout) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

/// Renders the `/problems/{slug}` page for a kind.
pub fn page(slug: &str) -> Option<String> {
    let kind = Kind::ALL.into_iter().find(|k| k.slug() == slug)?;
    Some(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><h1>{status} {title}</h1><p><code>/problems/{slug}</code></p><p>{text}</p>\
         <p><a href=\"/docs\">API documentation</a></p></body></html>",
        title = kind.title(),
        status = kind.status().as_u16(),
        text = kind.explanation(),
    ))
}

/// A refusal as the API words it: "token `portal` writes the records of thai-nguyen; model
/// hn-1 is of ha-noi".
pub(crate) fn refusal_detail(token: &str, refusal: &danvan_core::access::Refusal) -> String {
    format!(
        "token `{token}` writes the records of {}; {refusal}",
        refusal.allowed.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn each_type_uri_is_its_slug_under_problems() {
        for k in Kind::ALL {
            assert_eq!(k.type_uri(), format!("/problems/{}", k.slug()));
            assert!(super::page(k.slug()).is_some());
        }
    }
}
