//! The reporting cycle over HTTP: begin a unit's submission of a form, move it (send, return,
//! approve, unlock), and how a period's owed submissions stand. Each handler calls
//! `danvan_store::cycle`, the path the CLI and the web app take; the caller's access binds the
//! write to its provinces, and `If-Match` to the revision it read.

use axum::Extension;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use danvan_core::cycle::{Action, Standing};
use danvan_core::id::RecordId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::extract::{IfMatch, Params, if_match, to_json};
use crate::params::period_param;
use crate::problem::Problem;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/forms/{id}/submissions", post(begin))
        .route("/v1/submissions/{id}/{action}", post(step))
        .route("/v1/completeness", get(completeness))
        .route("/v1/queue", get(queue))
        .route(
            "/v1/submissions/{id}/original",
            get(get_original).put(put_original),
        )
}

/// Whose submission to begin, and for which period.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BeginBody {
    /// The reporting unit (its ID), for a province's form.
    #[serde(default)]
    unit: Option<String>,
    /// The province sending, for a central form.
    #[serde(default)]
    province: Option<String>,
    /// The period: `2025S1`, `2025`, "6 tháng đầu năm 2025".
    period: String,
}

/// Why: what to fix (return), why it is reopened (unlock), the warnings explained (send).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepBody {
    /// The reason, in the reader's words.
    #[serde(default)]
    reason: Option<String>,
}

/// A step's result: the write, and the warnings sent with an explanation.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StepResult {
    /// The store revision the step was written at.
    revision: u64,
    /// The submission's ID.
    id: String,
    /// The warnings sent with it (on a send with an explanation).
    #[schema(value_type = Vec<Object>)]
    warnings: Vec<danvan_core::validate::Problem>,
}

/// Begins a unit's submission of form `id` for a period: a draft holding what the form asks
/// now. 422 when the form does not apply to the period or one is already begun.
#[utoipa::path(post, path = "/v1/forms/{id}/submissions", tag = "submissions",
    operation_id = "begin_submission",
    params(("id" = String, Path, description = "The form's ID")),
    request_body = BeginBody,
    responses((status = 201, description = "Begun", body = StepResult),
              (status = 404, description = "No such form or unit", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Refused", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["write"])))]
pub(crate) async fn begin(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Json(body): Json<BeginBody>,
) -> Result<Response, Problem> {
    let form: RecordId = id.parse().map_err(|e| Problem::bad_param("id", e))?;
    let period = period_param("period", &body.period)?;
    let unit: Option<RecordId> = match body.unit.as_deref() {
        Some(u) => Some(u.parse().map_err(|e| Problem::bad_param("unit", e))?),
        None => None,
    };
    let province = body.province.clone();
    let author = caller.author(None);
    let receipt = s
        .writing(move |st| {
            danvan_store::cycle::begin(
                st,
                &form,
                unit.as_ref(),
                province.as_deref(),
                period,
                &author,
            )
        })
        .await?;
    let id = receipt
        .changes
        .first()
        .map(|c| c.id.to_string())
        .unwrap_or_default();
    Ok(to_json(
        StatusCode::CREATED,
        &StepResult {
            revision: receipt.revision,
            id,
            warnings: Vec::new(),
        },
    ))
}

/// Moves submission `id`: `send` (checked first: every problem at its cell or section; errors
/// refuse it, warnings need a reason), `return` (with the reason), `approve` (locking the
/// unit's figures for the period), `unlock` (with the reason). `If-Match` with the revision
/// read: of two approvers acting at once, the second gets 412.
#[utoipa::path(post, path = "/v1/submissions/{id}/{action}", tag = "submissions",
    operation_id = "step_submission",
    params(("id" = String, Path, description = "The submission's ID"),
           ("action" = String, Path, description = "send, return, approve or unlock"),
           ("If-Match" = Option<String>, Header, description = "The submission's ETag as read")),
    request_body(content = Option<StepBody>, description = "The reason, for a return, an unlock, or warnings sent"),
    responses((status = 200, description = "Done", body = StepResult),
              (status = 404, description = "No such submission", body = Problem, content_type = "application/problem+json"),
              (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Refused: what the check found, or a step that does not follow", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["write"])))]
pub(crate) async fn step(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Option<Json<StepBody>>,
) -> Result<Response, Problem> {
    let id: RecordId = id.parse().map_err(|e| Problem::bad_param("id", e))?;
    let action = Action::from_name(&action).ok_or_else(|| {
        Problem::bad_param(
            "action",
            format!("{action:?} is not send, return, approve or unlock"),
        )
    })?;
    let revision = match if_match(&headers) {
        IfMatch::Revision(r) => Some(r),
        _ => None,
    };
    let reason = body.and_then(|Json(b)| b.reason);
    let author = caller.author(reason.clone());
    let at = chrono::Utc::now().naive_utc();
    let sub = id.clone();
    let (receipt, found) = s
        .writing(move |st| {
            danvan_store::cycle::step(st, &sub, action, reason.as_deref(), at, revision, &author)
        })
        .await
        .map_err(|e| crate::records::precondition(e, revision.is_some()))?;
    Ok(to_json(
        StatusCode::OK,
        &StepResult {
            revision: receipt.revision,
            id: id.to_string(),
            warnings: found,
        },
    ))
}

/// The period and whose board.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct CompletenessParams {
    /// The period: `2025S1`, `2025`.
    period: String,
    /// The province whose units are asked about; without it, every province's units and the
    /// provinces' reports to the central board.
    province: Option<String>,
    /// The day to judge "overdue" on (default: today).
    as_of: Option<String>,
}

/// One owed submission and how it stands.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CompletenessPage {
    /// The period.
    period: String,
    /// The day the standings are judged on.
    as_of: chrono::NaiveDate,
    /// How many stand each way.
    #[schema(value_type = Object)]
    counts: std::collections::BTreeMap<String, usize>,
    /// Each owed submission.
    #[schema(value_type = Vec<Object>)]
    items: Vec<danvan_store::cycle::Line>,
}

/// Every submission owed for a period, by whom and by when, and how each stands: not yet due,
/// overdue (only after the due day), on time, late, returned; approved.
#[utoipa::path(get, path = "/v1/completeness", tag = "submissions",
    operation_id = "completeness",
    params(CompletenessParams),
    responses((status = 200, description = "The owed submissions", body = CompletenessPage),
              (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn completeness(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Params(p): Params<CompletenessParams>,
) -> Result<Response, Problem> {
    let period = period_param("period", &p.period)?;
    let as_of = match &p.as_of {
        Some(d) => crate::params::date_param("as_of", d)?,
        None => s.today(),
    };
    let province = match &p.province {
        Some(name) => Some(
            danvan_core::province::registry()
                .resolve(
                    name,
                    period.date_range(danvan_core::period::Window::Calendar).1,
                )
                .map_err(|e| Problem::bad_param("province", e))?
                .slug,
        ),
        None => None,
    };
    let mut items = s
        .blocking(move |st| danvan_store::cycle::completeness(st, province, period, as_of))
        .await?;
    items.retain(|l| caller.reads.may_read_province(Some(&l.province)));
    let mut counts = std::collections::BTreeMap::new();
    for l in &items {
        let name = match l.standing {
            Standing::NotYetDue => "not_yet_due",
            Standing::Overdue => "overdue",
            Standing::OnTime => "on_time",
            Standing::Late => "late",
            Standing::Returned => "returned",
        };
        *counts.entry(name.to_string()).or_insert(0) += 1;
        if l.approved {
            *counts.entry("approved".to_string()).or_insert(0) += 1;
        }
    }
    Ok(to_json(
        StatusCode::OK,
        &CompletenessPage {
            period: period.to_string(),
            as_of,
            counts,
            items,
        },
    ))
}

/// Whose board's queue.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct QueueParams {
    /// The province whose units' reports wait; without it, every province's units' and the
    /// provinces' reports to the central board.
    province: Option<String>,
}

/// The reports waiting for a board.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct QueuePage {
    /// Each sent report not yet returned or approved, oldest first.
    #[schema(value_type = Vec<Object>)]
    items: Vec<danvan_store::cycle::Waiting>,
}

/// Every report sent to a board and waiting for it to return or approve, oldest first: the
/// approver's queue.
#[utoipa::path(get, path = "/v1/queue", tag = "submissions",
    operation_id = "queue",
    params(QueueParams),
    responses((status = 200, description = "The reports waiting", body = QueuePage),
              (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn queue(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Params(p): Params<QueueParams>,
) -> Result<Response, Problem> {
    let province = match &p.province {
        Some(name) => Some(
            danvan_core::province::registry()
                .resolve(name, s.today())
                .map_err(|e| Problem::bad_param("province", e))?
                .slug,
        ),
        None => None,
    };
    let mut items = s
        .blocking(move |st| danvan_store::cycle::queue(st, province))
        .await?;
    items.retain(|w| caller.reads.may_read_province(Some(&w.province)));
    Ok(to_json(StatusCode::OK, &QueuePage { items }))
}

/// The signed original's name, as uploaded.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct OriginalParams {
    /// The file's name: "bao-cao-6-thang.pdf".
    file_name: Option<String>,
}

/// Attaches the unit's signed original to submission `id`: the request's body is the file, a
/// PDF or a DOCX (told by its bytes, whatever the Content-Type says), kept by its SHA-256; an
/// earlier original is replaced. Refused once the report is sent, and for any other file.
#[utoipa::path(put, path = "/v1/submissions/{id}/original", tag = "submissions",
    operation_id = "attach_original",
    params(("id" = String, Path, description = "The submission's ID"), OriginalParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The signed report, PDF or DOCX (told by its bytes)"),
    responses((status = 200, description = "Attached", body = StepResult),
              (status = 404, description = "No such submission", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Not a PDF or DOCX, empty, or the report is sent", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["write"])))]
pub(crate) async fn put_original(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Params(p): Params<OriginalParams>,
    body: axum::body::Bytes,
) -> Result<Response, Problem> {
    let id: RecordId = id.parse().map_err(|e| Problem::bad_param("id", e))?;
    let name = p.file_name.unwrap_or_else(|| format!("{id}"));
    let author = caller.author(None);
    let sub = id.clone();
    let receipt = s
        .writing(move |st| danvan_store::cycle::attach(st, &sub, &name, &body, &author))
        .await?;
    Ok(to_json(
        StatusCode::OK,
        &StepResult {
            revision: receipt.revision,
            id: id.to_string(),
            warnings: Vec::new(),
        },
    ))
}

/// The signed original of submission `id`, as uploaded, with its SHA-256 in `Repr-Digest`.
#[utoipa::path(get, path = "/v1/submissions/{id}/original", tag = "submissions",
    operation_id = "get_original",
    params(("id" = String, Path, description = "The submission's ID")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
              (status = 404, description = "No such submission, or none attached", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn get_original(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let id: RecordId = id.parse().map_err(|e| Problem::bad_param("id", e))?;
    let sub = id.clone();
    let (record, original) = s
        .blocking(move |st| {
            let record = st
                .get(danvan_core::record_kind::RecordKind::Submission, &sub)?
                .map(|r| r.record);
            Ok((record, danvan_store::cycle::original(st, &sub)?))
        })
        .await?;
    if let Some(record) = &record {
        crate::records::readable(&caller, record.as_ref())?;
    }
    let Some((a, bytes)) = original else {
        return Err(Problem::new(
            crate::problem::Kind::NotFound,
            format!("submission {id} has no signed original attached"),
        ));
    };
    crate::service::original_response(&a, bytes)
}
