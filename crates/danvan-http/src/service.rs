//! What a front end served beside the API (the web app, `danvan-web`) stands on: the store
//! behind the API's limits ([`Service`]), typed failures ([`Failure`]) that each front end
//! renders in its own way — the API as problem+json, the web app as a page or a form with
//! messages — and the one write path both share ([`Service::write`]).
//!
//! A write goes the same way from either front end: the front end reads its request (a JSON
//! body, a submitted form) into a record, then [`Service::write`] authorises it
//! ([`danvan_core::access::Access::may_write`], the early answer to what the store checks
//! again as it commits), and the store validates it, plans what it touches (cascades, a cited
//! document) and applies it in one revision. The outcome is typed: [`Written`], or a
//! [`Failure`] holding the store's own refusal ([`StoreError`]).

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Author, Expected, Op, Receipt, Store, StoreError};

use crate::AppState;
use crate::auth::{Auth, Caller};
use crate::problem::{Kind, Problem};

/// Why a call to the store gave no answer: the store's refusal or failure, a wait longer than
/// the request timeout, or a fault of the server.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The store refused or failed (typed: a validation refusal lists every problem).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store did not answer within the request timeout.
    #[error("the request took longer than {} s waiting for the store", .0.as_secs_f64())]
    Timeout(Duration),
    /// A fault of the server (a task that panicked).
    #[error("{0}")]
    Internal(String),
}

impl Failure {
    /// The store's refusal, when that is what it is.
    pub fn store(&self) -> Option<&StoreError> {
        match self {
            Failure::Store(e) => Some(e),
            _ => None,
        }
    }
}

impl From<Failure> for Problem {
    fn from(f: Failure) -> Problem {
        match f {
            Failure::Store(e) => Problem::from(e),
            Failure::Timeout(_) => Problem::new(Kind::Timeout, f.to_string()),
            Failure::Internal(m) => Problem::internal(m),
        }
    }
}

/// One write, as a front end read it from its request.
#[derive(Debug)]
pub enum Write {
    /// A new record. With `make_id`, the ID it was given is only a placeholder: one is made
    /// free in the store as it is written ([`danvan_store::made_id`]). `citing` is a new
    /// directive's number as typed ("… thực hiện Kết luận số 120-KL/TW …"): the document it
    /// cites is recorded and linked in the same revision ([`danvan_store::put_citing`]).
    Create {
        /// The record.
        record: AnyRecord,
        /// Whether its ID is to be made on writing.
        make_id: bool,
        /// A directive's citation as typed.
        citing: Option<String>,
    },
    /// A record written whole over the revision it expects, or deleted (with or without
    /// cascade), as the store takes one change.
    Change(Op),
}

/// What a write did.
#[derive(Debug)]
pub struct Written {
    /// The record's kind.
    pub kind: RecordKind,
    /// Its ID (made on writing where asked).
    pub id: RecordId,
    /// The record as written (`None` for a delete).
    pub record: Option<AnyRecord>,
    /// The revision, every change (cascades included) and the warnings it was stored with.
    pub receipt: Receipt,
}

impl Written {
    /// Whether the write created the record.
    pub fn created(&self) -> bool {
        self.receipt.changes.iter().any(|c| {
            c.action == danvan_store::Action::Created && c.kind == self.kind && c.id == self.id
        })
    }
}

/// The store as the API serves it, for a front end beside the API: the same store, request
/// timeout, tokens, "today" and shutdown signal. Made by [`crate::Api::service`].
#[derive(Clone)]
pub struct Service {
    pub(crate) state: AppState,
}

impl Service {
    /// Today, for due reviews and report dates (fixed by [`crate::Api::with_today`]).
    pub fn today(&self) -> NaiveDate {
        self.state.today()
    }

    /// How long a request may wait for the store.
    pub fn timeout(&self) -> Duration {
        self.state.timeout
    }

    /// Whether the server has begun to shut down: long work gives up.
    pub fn is_stopping(&self) -> bool {
        self.state
            .stopping
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The flag [`is_stopping`](Self::is_stopping) reads, for work off the async threads
    /// to give up on.
    pub fn stopping(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        std::sync::Arc::clone(&self.state.stopping)
    }

    /// The configured tokens.
    pub fn auth(&self) -> &Auth {
        &self.state.auth
    }

    /// Runs a store call off the async threads, bounded by the request timeout.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, Failure> {
        self.state.run(f).await
    }

    /// Runs a store write off the async threads; it finishes even if the client goes away.
    /// A full disk is remembered for `/readyz` until a write succeeds again.
    pub async fn writing<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, Failure> {
        self.state.run_write(f).await
    }

    /// The one write path of the API and the web app: authorise `write` for `caller`, then
    /// let the store validate, plan and apply it in one revision, recorded as `author`'s.
    pub async fn write(
        &self,
        caller: &Caller,
        author: Author,
        write: Write,
    ) -> Result<Written, Failure> {
        if let Write::Create { record, .. } | Write::Change(Op::Put { record, .. }) = &write {
            authorise(caller, record)?;
        }
        self.writing(move |store| apply(store, write, &author))
            .await
    }
}

/// A signed original of a unit's report as a download: its media type, its name, its SHA-256
/// (as `GET /v1/submissions/{id}/original` answers, and the web app's download).
pub fn original_response(
    a: &danvan_core::cycle::Attachment,
    bytes: Vec<u8>,
) -> Result<Response, Problem> {
    use axum::http::header;
    use axum::response::IntoResponse as _;
    let digest = {
        use base64::Engine as _;
        let raw: Vec<u8> = (0..a.sha256.len() / 2)
            .filter_map(|i| u8::from_str_radix(&a.sha256[2 * i..2 * i + 2], 16).ok())
            .collect();
        base64::engine::general_purpose::STANDARD.encode(raw)
    };
    let ascii: String = a
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(&a.file_name, percent_encoding::NON_ALPHANUMERIC);
    let headers = [
        (header::CONTENT_TYPE, a.media_type.clone()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        ),
        (
            header::HeaderName::from_static("repr-digest"),
            format!("sha-256=:{digest}:"),
        ),
    ];
    let mut r = (StatusCode::OK, bytes).into_response();
    for (name, value) in headers {
        let v = axum::http::HeaderValue::from_str(&value).map_err(Problem::internal)?;
        r.headers_mut().insert(name, v);
    }
    Ok(r)
}

/// A report as a front end beside the API asks for it: the `/v1/reports` parameters the web
/// app offers (the others at their defaults).
#[derive(Debug, Clone, Default)]
pub struct ReportRequest {
    /// The period, as `period=` takes it.
    pub period: String,
    /// A province; `None`: the country.
    pub province: Option<String>,
    /// `vi` or `en`.
    pub lang: Option<String>,
    /// The format (`None`: Markdown).
    pub format: Option<String>,
    /// The outline (`None`: the default).
    pub template: Option<String>,
}

/// Refuses a record `caller` may not write, in the words of the store's own refusal (which
/// it gives again as it commits — to the record as stored too, to cascades and to new
/// references): the early answer to a write that would be refused anyway.
pub fn authorise(caller: &Caller, record: &AnyRecord) -> Result<(), StoreError> {
    caller
        .access
        .may_write(record.as_ref())
        .map_err(|refusal| StoreError::Forbidden {
            actor: caller.name.clone(),
            refusal,
        })
}

fn apply(store: &dyn Store, write: Write, author: &Author) -> Result<Written, StoreError> {
    match write {
        Write::Create {
            mut record,
            make_id,
            citing,
        } => {
            if make_id {
                record.set_id(danvan_store::made_id(store, &record)?);
            }
            let (kind, id) = (record.kind(), record.id().clone());
            let Some(citing) = citing else {
                let put = Op::Put {
                    record,
                    expected: Expected::Absent,
                };
                return apply(store, Write::Change(put), author);
            };
            let receipt = danvan_store::put_citing(store, record, Some(&citing), author)?;
            // The directive as written carries its link to the document it cites.
            let record = store.get(kind, &id)?.map(|s| s.record);
            Ok(Written {
                kind,
                id,
                record,
                receipt,
            })
        }
        Write::Change(Op::Put { record, expected }) => {
            let (kind, id) = (record.kind(), record.id().clone());
            let written = record.clone();
            let receipt = store.put_by(record, expected, author)?;
            Ok(Written {
                kind,
                id,
                record: Some(written),
                receipt,
            })
        }
        Write::Change(Op::Delete {
            kind,
            id,
            expected,
            cascade,
        }) => {
            let receipt = store.delete_by(kind, &id, expected, cascade, author)?;
            Ok(Written {
                kind,
                id,
                record: None,
                receipt,
            })
        }
    }
}
