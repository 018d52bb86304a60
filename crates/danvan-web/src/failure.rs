//! A failure of the store or of the server as the web app shows it: a page in the user's
//! language with the status it deserves, never the API's problem+json.

use axum::http::StatusCode;
use axum::response::Response;
use danvan_http::service::Failure;
use danvan_store::{StoreError, UserProblem};

use super::session::Lang;

/// The HTTP status of a page that reports `failure`.
pub(crate) fn status(failure: &Failure) -> StatusCode {
    match failure {
        Failure::Store(e) => match e {
            StoreError::NotFound { .. }
            | StoreError::User {
                problem: UserProblem::Missing,
                ..
            } => StatusCode::NOT_FOUND,
            StoreError::RecordExists { .. }
            | StoreError::Conflict { .. }
            | StoreError::Referenced { .. }
            | StoreError::User {
                problem: UserProblem::Exists,
                ..
            } => StatusCode::CONFLICT,
            StoreError::Invalid { .. }
            | StoreError::User {
                problem: UserProblem::Invalid(_),
                ..
            } => StatusCode::UNPROCESSABLE_ENTITY,
            StoreError::Forbidden { .. } => StatusCode::FORBIDDEN,
            StoreError::BadQuery(_) | StoreError::Pruned { .. } | StoreError::FeedAhead { .. } => {
                StatusCode::BAD_REQUEST
            }
            StoreError::Locked { .. }
            | StoreError::Database { .. }
            | StoreError::Corrupt { .. }
            | StoreError::Damaged { .. } => StatusCode::SERVICE_UNAVAILABLE,
            StoreError::NotAStore { .. }
            | StoreError::AlreadyExists { .. }
            | StoreError::NewerFormat { .. }
            | StoreError::Io { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        },
        Failure::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
        Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What `failure` says, in `lang`: the store's refusal from the catalogue by its kind (a
/// record of another province in the words the form uses), a wait or a fault in words.
pub(crate) fn words(failure: &Failure, lang: Lang) -> String {
    match failure {
        Failure::Store(StoreError::Forbidden { actor, refusal }) => {
            refused_as(&danvan_i18n::names::refusal(lang, actor, refusal), lang)
        }
        Failure::Store(e) => danvan_i18n::store::message(lang, e),
        Failure::Timeout(t) => danvan_i18n::tr!(
            lang,
            "store-timeout",
            seconds = danvan_core::number::format_count(t.as_secs())
        ),
        Failure::Internal(_) => danvan_i18n::text(lang, "server-fault"),
    }
}

/// The page that reports `failure` where no session says the user's language: both.
pub(crate) fn plain(failure: &Failure) -> Response {
    let status = status(failure);
    if status.is_server_error() {
        tracing::error!(error = %failure, "a page could not be answered");
    }
    let text = format!(
        "{} — {}",
        words(failure, Lang::Vi),
        words(failure, Lang::En)
    );
    super::plain_page(status, &text)
}

/// The sentence of a refusal for another province's record, `detail` saying why.
pub(crate) fn refused_as(detail: &str, lang: Lang) -> String {
    danvan_i18n::tr!(lang, "record-outside-provinces", detail = detail)
}
