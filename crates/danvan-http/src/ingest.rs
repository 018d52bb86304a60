//! `POST /v1/ingest`: a text read into proposed records, each value with its evidence (the
//! quoted words and their character span, or what it was inferred from), matched against the
//! store; with `accept`, the proposals named are written in one revision by
//! `danvan_ingest::store::accept`, the path the CLI takes.

use axum::Extension;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use danvan_ingest::store::{AcceptError, Outcome};
use danvan_ingest::{Document, Meta};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::extract::to_json;
use crate::problem::{Kind, Problem};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/v1/ingest", post(ingest))
}

/// A text to read, where it was published, and what to write of it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IngestBody {
    /// The text: an article, a unit's report, a decision (plain text).
    text: String,
    /// Its address; the site names the province when the text does not (marked inferred).
    #[serde(default)]
    url: Option<String>,
    /// Its publication day (`2025-03-15` or `15/3/2025`): the year of "Chiều 14/3".
    #[serde(default)]
    published: Option<String>,
    /// Its title.
    #[serde(default)]
    title: Option<String>,
    /// Corrections before writing: a proposal's field set (or cleared, with no value).
    #[serde(default)]
    edits: Vec<Edit>,
    /// The proposals to write (`p1`, `p2`, …, as a previous call without `accept` returned
    /// them: reading is deterministic). Empty: nothing is written.
    #[serde(default)]
    accept: Vec<String>,
}

/// One correction.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Edit {
    /// The proposal: `p2`.
    proposal: String,
    /// The field: `date`, `hosts`, `chairs[0].position`.
    field: String,
    /// The value; absent to clear the field.
    #[serde(default)]
    value: Option<String>,
}

/// The reading, and what was written.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IngestResult {
    /// The text as read (NFC, spaces made plain): what spans count characters of.
    text: String,
    /// The proposals (each value with `evidence`: `stated` with `span` and `quote`, or
    /// `inferred` with `from` and `note`), and the sentences nothing was taken from.
    #[schema(value_type = Object)]
    reading: danvan_ingest::Extraction,
    /// The records written, when `accept` named proposals.
    written: Vec<Written>,
    /// The store revision after the write.
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<u64>,
}

/// One record written.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Written {
    /// The proposal.
    proposal: String,
    /// The record's kind.
    kind: String,
    /// Its ID.
    id: String,
    /// `created`, `updated` (a stored conference given what it lacked), or `linked` (a stored
    /// directive, left as it is).
    outcome: &'static str,
}

/// Reads a text into proposed records with their evidence; writes the accepted ones.
#[utoipa::path(post, path = "/v1/ingest", tag = "ingest",
    operation_id = "ingest",
    request_body = IngestBody,
    responses((status = 200, description = "Read (nothing written)", body = IngestResult),
              (status = 201, description = "Read, and the accepted proposals written", body = IngestResult),
              (status = 422, description = "A proposal cannot be written as it stands", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["write"])))]
pub(crate) async fn ingest(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<IngestBody>,
) -> Result<Response, Problem> {
    if body.text.trim().is_empty() {
        return Err(Problem::invalid_field(
            "text",
            "required",
            "the text is empty",
        ));
    }
    let published = match body.published.as_deref() {
        Some(p) => Some(
            danvan_core::date::parse(p, None)
                .map_err(|e| Problem::invalid_field("published", "invalid", e.to_string()))?,
        ),
        None => None,
    };
    let meta = Meta {
        url: body.url.clone(),
        published,
        title: body.title.clone(),
        file: None,
    };
    let doc = Document::new(&body.text, meta);
    let mut reading = danvan_ingest::ingest(&doc);
    for e in &body.edits {
        let Some(p) = reading.proposals.iter_mut().find(|p| p.key == e.proposal) else {
            return Err(Problem::invalid_field(
                "edits",
                "unknown",
                format!("no proposal {}", e.proposal),
            ));
        };
        p.edit(&e.field, e.value.as_deref());
    }
    let author = caller.author(None);
    let accept = body.accept.clone();
    let meta = doc.meta.clone();
    let (reading, done) = s
        .writing(move |st| {
            danvan_ingest::store::resolve(st, &mut reading)?;
            if accept.is_empty() {
                return Ok((reading, Ok(None)));
            }
            match danvan_ingest::store::accept(st, &meta, &reading, &accept, &author) {
                Ok(a) => Ok((reading, Ok(Some(a)))),
                Err(AcceptError::Store(e)) => Err(e),
                Err(other) => Ok((reading, Err(other.to_string()))),
            }
        })
        .await?;
    let done = done.map_err(|m| Problem::new(Kind::ValidationFailed, m))?;
    let written: Vec<Written> = done
        .iter()
        .flat_map(|a| a.records.iter())
        .map(|(key, kind, id, outcome)| Written {
            proposal: key.clone(),
            kind: kind.as_str().to_string(),
            id: id.to_string(),
            outcome: match outcome {
                Outcome::Created => "created",
                Outcome::Updated => "updated",
                Outcome::Linked => "linked",
            },
        })
        .collect();
    let status = if done.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(to_json(
        status,
        &IngestResult {
            text: doc.text().to_string(),
            reading,
            written,
            revision: done.map(|a| a.revision),
        },
    ))
}
