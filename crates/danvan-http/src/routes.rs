//! The routes beside the record collections: provinces, search, due reviews, import, export
//! (reports: `reports.rs`).

use axum::Router;
use axum::extract::{Extension, OriginalUri, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use danvan_core::access::RefusalReason;
use danvan_core::dataset::Dataset;
use danvan_core::directive::{DueState, Lookahead, due_reviews};
use danvan_core::province::{Province, ProvinceKind, registry};
use danvan_core::record_kind::RecordKind;
use danvan_core::text;
use danvan_store::{ImportOptions, ImportReport, Query};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::extract::{
    Params, body_bytes, media_type, none_match, not_modified, to_json, weak_etag,
};
use crate::params::{
    ConferenceKindName, ExportFormatName, ListParams, ModelFieldName, PeriodMatchName,
    ProvinceMapName, WindowNameName, date_param, vocabulary_param,
};
use crate::problem::{FieldError, Kind, Problem};
use crate::records::list;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/provinces", get(provinces))
        .route("/v1/provinces/{province}", get(province))
        .route("/v1/search", get(search))
        .route("/v1/directives/due", get(due))
        .route("/v1/import", post(import))
        .route("/v1/export", get(export))
        .route("/v1/changes", get(changes))
}

/// A province or centrally-run city, with its place in the 2025 merger.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProvinceBody {
    /// The official code (on the map of its time).
    code: u8,
    /// The name.
    name: &'static str,
    /// The URL- and file-safe slug.
    slug: &'static str,
    /// `province` or `city`.
    kind: &'static str,
    /// The name in English documents.
    english_name: &'static str,
    /// The first day it existed in this form, if after 2008.
    valid_from: Option<NaiveDate>,
    /// The last day it existed in this form, if it was merged or renamed.
    valid_until: Option<NaiveDate>,
    /// The slug of the province it became.
    successor: Option<String>,
    /// The slugs of the provinces merged into it.
    merged_from: Vec<&'static str>,
}

fn province_body(p: &Province) -> ProvinceBody {
    let reg = registry();
    let successor = match p.valid_until {
        Some(until) if p.successor.is_some() => {
            let next = until.succ_opt().unwrap_or(until);
            Some(reg.successor_at(p, next).slug.to_string())
        }
        _ => None,
    };
    let mut merged_from: Vec<&'static str> = reg.predecessors(p).map(|q| q.slug).collect();
    merged_from.sort_unstable();
    ProvinceBody {
        code: p.code,
        name: p.name,
        slug: p.slug,
        kind: match p.kind {
            ProvinceKind::Province => "province",
            ProvinceKind::City => "city",
        },
        english_name: p.name_en(),
        valid_from: p.valid_from,
        valid_until: p.valid_until,
        successor,
        merged_from,
    }
}

/// `?at=` of the province routes.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct AtParams {
    /// The date (YYYY-MM-DD) whose map to use [default: today]: 63 provinces before 1 July
    /// 2025, 34 from then.
    #[param(value_type = Option<chrono::NaiveDate>)]
    at: Option<String>,
}

/// The provinces on a date, in Vietnamese alphabetical order.
#[utoipa::path(get, path = "/v1/provinces", tag = "provinces", params(AtParams),
    responses((status = 200, description = "The provinces on the date", body = ProvincePage),
              (status = 400, description = "A malformed date", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn provinces(
    State(s): State<AppState>,
    Params(p): Params<AtParams>,
) -> Result<Response, Problem> {
    let at = match &p.at {
        Some(d) => date_param("at", d)?,
        None => s.today(),
    };
    let mut list: Vec<&Province> = registry().valid_at(at).collect();
    text::sort_by_key(&mut list, |p| p.name);
    let items: Vec<ProvinceBody> = list.into_iter().map(province_body).collect();
    Ok(to_json(
        StatusCode::OK,
        &ProvincePage {
            total: items.len(),
            items,
            next: None,
        },
    ))
}

/// The provinces on a date: the list envelope of every list (`items`, `total`, `next`); no
/// store revision, since the map is built in.
#[derive(Serialize, ToSchema)]
pub(crate) struct ProvincePage {
    /// The provinces, in Vietnamese alphabetical order.
    items: Vec<ProvinceBody>,
    /// How many.
    total: usize,
    /// Always null: one page.
    next: Option<String>,
}

/// The reviews due: the list envelope of every list.
#[derive(Serialize, ToSchema)]
pub(crate) struct DuePage {
    /// Overdue first, then by deadline.
    items: Vec<DueRow>,
    /// How many.
    total: usize,
    /// Always null: one page.
    next: Option<String>,
    /// The store revision the directives were read at.
    revision: u64,
}

/// One province, by slug, name (with or without diacritics) or code.
#[utoipa::path(get, path = "/v1/provinces/{province}", tag = "provinces",
    params(("province" = String, Path, description = "Slug, name or code"), AtParams),
    responses((status = 200, description = "The province", body = ProvinceBody),
              (status = 404, description = "No such province on that date", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn province(
    State(s): State<AppState>,
    Path(name): Path<String>,
    Params(p): Params<AtParams>,
) -> Result<Response, Problem> {
    let at = match &p.at {
        Some(d) => date_param("at", d)?,
        None => s.today(),
    };
    let reg = registry();
    // A slug of a province that no longer exists (bac-kan today) still names it.
    let slug = text::slugify(&name);
    let found = reg
        .find(&name, at)
        .or_else(|| reg.all_with_slug(&slug).last())
        .ok_or_else(|| Problem::new(Kind::NotFound, format!("no province {name:?} on {at}")))?;
    Ok(to_json(StatusCode::OK, &province_body(found)))
}

/// Every record type at once, ranked by relevance unless `sort` says otherwise.
#[utoipa::path(get, path = "/v1/search", tag = "search", params(ListParams),
    responses((status = 200, description = "A page of matches", body = RecordPage),
              (status = 304, description = "Not modified since the ETag given"),
              (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn search(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Params(mut p): Params<ListParams>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    if p.q.as_deref().is_none_or(|q| q.trim().is_empty()) {
        return Err(Problem::bad_param("q", "give the text to search for"));
    }
    if p.sort.is_none() {
        p.sort = Some("relevance".into());
    }
    list(&s, None, &p, &uri, &headers, &caller).await
}

/// A page of records: the shape of every list in the spec.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct RecordPage {
    /// The records, each with its revision (and, for text queries, where it matched).
    items: Vec<Value>,
    /// How many records match in all.
    total: usize,
    /// The link to the next page; null on the last.
    next: Option<String>,
    /// The store revision the page was read at (also the weak ETag).
    revision: u64,
}

/// `/v1/directives/due` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct DueParams {
    /// How far ahead to look: `6m` (default), `1y`, `90d`.
    within: Option<String>,
    /// The day to look from (YYYY-MM-DD) [default: today].
    #[param(value_type = Option<chrono::NaiveDate>)]
    as_of: Option<String>,
    /// Only this province (on the current map: Yên Bái's reviews are Lào Cai's).
    province: Option<String>,
}

/// A review overdue or falling due.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DueRow {
    /// The province whose review it is, on today's map (slug): a provincial directive's, or the
    /// province named on a central directive's review; null for a review held centrally.
    province: Option<String>,
    /// The directive's ID.
    directive: String,
    /// The directive's short label (`Kế hoạch 12-KH/TU`).
    label: String,
    /// The directive's title.
    title: String,
    /// The review (sơ kết, tổng kết) as the directive names it.
    milestone: String,
    /// The last day it can be held on time.
    deadline: NaiveDate,
    /// `overdue` or `due`.
    state: &'static str,
    /// Days late (overdue) or left (due).
    days: i64,
}

/// Reviews (sơ kết, tổng kết) overdue or falling due: overdue first, then by deadline.
#[utoipa::path(get, path = "/v1/directives/due", tag = "directives", params(DueParams),
    responses((status = 200, description = "The reviews", body = DuePage),
              (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn due(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Params(p): Params<DueParams>,
) -> Result<Response, Problem> {
    let as_of = match &p.as_of {
        Some(d) => date_param("as_of", d)?,
        None => s.today(),
    };
    let within: Lookahead = p
        .within
        .as_deref()
        .unwrap_or("6m")
        .parse()
        .map_err(|e: danvan_core::directive::LookaheadError| Problem::bad_param("within", e))?;
    let until = within
        .end(as_of)
        .ok_or_else(|| Problem::bad_param("within", "the span is too long"))?;
    let reg = registry();
    let only = match &p.province {
        Some(name) => Some(
            reg.resolve(name, as_of)
                .map_err(|e| Problem::bad_param("province", e))?
                .slug,
        ),
        None => None,
    };
    let export = s
        .blocking(|store| store.export(Some(&Query::kind(RecordKind::Directive))))
        .await?;
    let revision = export.revision;
    let directives = export.dataset.directives;
    let rows: Vec<DueRow> = due_reviews(&directives, as_of, until)
        .into_iter()
        .filter_map(|r| {
            // A review is its province's: a central directive's reviews in each province are
            // that province's; `null` for a review held centrally.
            let province = r
                .province
                .and_then(|p| reg.current(p.as_str()))
                .map(|p| p.slug.to_string());
            if only.is_some() && province.as_deref() != only
                || !caller.reads.may_read_province(province.as_deref())
            {
                return None;
            }
            let (state, days) = match r.state {
                DueState::Overdue { days_late } => ("overdue", days_late),
                DueState::DueSoon { days_left } => ("due", days_left),
            };
            Some(DueRow {
                province,
                directive: r.directive.id.to_string(),
                label: r.directive.label(),
                title: r.directive.title_or_label(),
                milestone: r.milestone.name_vi().to_string(),
                deadline: r.deadline,
                state,
                days,
            })
        })
        .collect();
    Ok(to_json(
        StatusCode::OK,
        &DuePage {
            total: rows.len(),
            items: rows,
            next: None,
            revision,
        },
    ))
}

/// `/v1/import` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportParams {
    /// Check everything and report, but write nothing (needs only the `write` scope).
    dry_run: Option<bool>,
}

/// What an import did (or, for a dry run, would do).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct ImportBody {
    /// Whether this was a dry run.
    dry_run: bool,
    /// Records that did not exist.
    created: usize,
    /// Records that existed and differ.
    updated: usize,
    /// Records identical to what is stored.
    unchanged: usize,
    /// Warnings (the records are stored anyway).
    warnings: Vec<FieldError>,
    /// The store revision after the import.
    revision: u64,
}

/// An import body read: the records that read (and what remains of those that read only with
/// optional fields left out), and every structural problem, each with where it is.
struct ParsedImport {
    dataset: Dataset,
    problems: Vec<FieldError>,
}

impl ParsedImport {
    /// Reads one record of `kind` found `at` in the body.
    fn read(&mut self, kind: RecordKind, value: &Value, at: String) {
        match crate::records::read_record(kind, value) {
            Ok(record) => self.dataset.push(record),
            Err(u) => {
                self.problems
                    .extend(u.problem.errors.into_iter().map(|mut e| {
                        e.at = Some(at.clone());
                        e
                    }));
                if let Some(record) = u.remains {
                    self.dataset.push(record);
                }
            }
        }
    }

    /// A problem of the body itself, `at` a place in it.
    fn body_problem(&mut self, at: String, field: &str, code: &str, message: String) {
        self.problems.push(FieldError {
            record: None,
            at: Some(at),
            field: field.to_string(),
            code: code.to_string(),
            message,
            severity: "error".into(),
        });
    }
}

/// Reads an import body: an export document or a dataset (JSON), or JSON Lines of
/// `{"kind", "record"}` objects (a `revision` beside them, as an export writes, is ignored).
/// Every record is read and every problem kept, so one answer names them all; a body that is
/// not JSON at all, or an export of another format, is refused at once.
fn parse_import(media: &str, bytes: &[u8]) -> Result<ParsedImport, Problem> {
    let mut parsed = ParsedImport {
        dataset: Dataset::default(),
        problems: Vec::new(),
    };
    if media == "application/x-ndjson" || media == "application/jsonl" {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| Problem::new(Kind::BadRequest, "the body is not UTF-8"))?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let at = format!("line {}", i + 1);
            let value: Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    let message = format!("not JSON: {}", danvan_store::json_message(&e));
                    parsed.body_problem(at, "", "type", message);
                    continue;
                }
            };
            let kind = value
                .get("kind")
                .and_then(Value::as_str)
                .and_then(|k| RecordKind::ALL.into_iter().find(|x| x.as_str() == k));
            let (Some(kind), Some(record)) = (kind, value.get("record")) else {
                let message = "each line is {\"kind\": \"conference\" (or directive, model, indicator, observation), \"record\": {…}}".to_string();
                parsed.body_problem(at, "kind", "required", message);
                continue;
            };
            if let Some(extra) = value.as_object().and_then(|o| {
                o.keys()
                    .find(|k| !["kind", "record", "revision"].contains(&k.as_str()))
            }) {
                let message =
                    format!("unknown field `{extra}`: a line holds kind, record and revision");
                parsed.body_problem(at.clone(), extra, "unknown-field", message);
            }
            parsed.read(kind, record, at);
        }
        return Ok(parsed);
    }
    let mut value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Problem::new(Kind::BadRequest, format!("the body is not valid JSON: {e}")))?;
    let Some(object) = value.as_object_mut() else {
        return Err(Problem::invalid_field(
            "",
            "type",
            "an import is an export document or a dataset: a JSON object of record lists",
        ));
    };
    if object.contains_key("format") {
        let format = object.remove("format");
        let version = object.remove("version");
        object.remove("revision");
        object.remove("revisions");
        if format.as_ref().and_then(Value::as_str) != Some(danvan_store::EXPORT_FORMAT)
            || version.as_ref().and_then(Value::as_u64)
                != Some(u64::from(danvan_store::EXPORT_VERSION))
        {
            return Err(Problem::invalid_field(
                "format",
                "not-a-choice",
                format!(
                    "this server reads {} version {}, not {} version {}",
                    danvan_store::EXPORT_FORMAT,
                    danvan_store::EXPORT_VERSION,
                    format.unwrap_or(Value::Null),
                    version.unwrap_or(Value::Null)
                ),
            ));
        }
    }
    for (key, records) in object.iter() {
        let Some(kind) = RecordKind::ALL.into_iter().find(|k| k.plural() == key) else {
            let message = format!(
                "unknown field `{key}`: an import holds conferences, directives, models, indicators and observations"
            );
            parsed.body_problem(key.clone(), key, "unknown-field", message);
            continue;
        };
        let Some(items) = records.as_array() else {
            let message = format!("{key} is a list of records");
            parsed.body_problem(key.clone(), key, "type", message);
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            parsed.read(kind, item, format!("{key}[{i}]"));
        }
    }
    Ok(parsed)
}

/// Imports records, all or nothing: every problem is reported and, if any is an error,
/// nothing is written. Records are created or replaced by ID.
#[utoipa::path(post, path = "/v1/import", tag = "transfer", params(ImportParams,
    ("X-Change-Reason" = Option<String>, Header, description = "Why, recorded with the write in the history and the change feed: UTF-8, or percent-encoded UTF-8 as RFC 8187 writes it (`UTF-8''Theo%20B%C3%A1o%20c%C3%A1o`); anything else is 400")),
    request_body(description = "An export document or a dataset (application/json), or JSON Lines of {\"kind\", \"record\"} (application/x-ndjson)",
        content((Value = "application/json"), (String = "application/x-ndjson"))),
    responses((status = 200, description = "Imported (or checked, for a dry run)", body = ImportBody),
              (status = 422, description = "Refused: every problem is listed", body = Problem, content_type = "application/problem+json"),
              (status = 413, description = "The body is over the limit", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"])))]
pub(crate) async fn import(
    State(s): State<AppState>,
    Params(p): Params<ImportParams>,
    req: Request,
) -> Result<Response, Problem> {
    let author = req
        .extensions()
        .get::<danvan_store::Author>()
        .cloned()
        .unwrap_or_default();
    let media = media_type(req.headers()).unwrap_or_default();
    if !matches!(
        media.as_str(),
        "application/json" | "application/x-ndjson" | "application/jsonl"
    ) {
        return Err(Problem::new(
            Kind::UnsupportedMediaType,
            "import reads application/json (an export document or dataset) or application/x-ndjson",
        ));
    }
    let bytes = body_bytes(req, &()).await?;
    let token = author.actor.clone();
    let options = ImportOptions {
        dry_run: p.dry_run.unwrap_or(false),
        author,
    };
    // Parsing tens of thousands of records is CPU work: it runs on the blocking pool with the
    // import, so the async threads stay free for other requests.
    let state = s.clone();
    let report: ImportReport = match tokio::task::spawn_blocking(move || {
        let parsed = parse_import(&media, &bytes)?;
        if parsed.problems.is_empty() {
            return Ok(s.store.import(parsed.dataset, options));
        }
        // The body has structural problems: nothing is written, and the answer names them
        // with those the store's checks find in what did read.
        let mut errors = parsed.problems;
        let check = ImportOptions {
            dry_run: true,
            ..options
        };
        if let Ok(report) = s.store.import(parsed.dataset, check) {
            errors.extend(report.problems.iter().filter(|p| p.is_error()).map(FieldError::from));
        }
        let detail = match &errors[..] {
            [one] => format!(
                "the import was refused: {}{}: {}; nothing was written",
                one.at.as_deref().map_or_else(String::new, |a| format!("{a}: ")),
                if one.field.is_empty() { "the record" } else { &one.field },
                one.message
            ),
            many => format!(
                "the import was refused: {} problems; nothing was written; `errors` lists each with where it is",
                many.len()
            ),
        };
        Err(Problem::new(Kind::ValidationFailed, detail).with_errors(errors))
    })
    .await
    {
        Ok(Ok(result)) => state.noted(result)?,
        Ok(Err(problem)) => return Err(problem),
        Err(e) => return Err(Problem::internal(e)),
    };
    import_answer(&report, &token)
}

/// The answer to an import the store has planned (and, unless refused, done): 403 naming the
/// records outside the token's provinces, 422 naming every error, else what it did.
pub(crate) fn import_answer(report: &ImportReport, token: &str) -> Result<Response, Problem> {
    if !report.forbidden.is_empty() {
        // Records of other provinces (the store refused them when it planned the import): the
        // whole import is refused as forbidden, each named.
        let outside: Vec<FieldError> = report
            .forbidden
            .iter()
            .map(|r| FieldError {
                record: Some(format!("{}/{}", r.kind, r.id)),
                at: None,
                field: match &r.reason {
                    RefusalReason::Record(_) => "province".into(),
                    RefusalReason::Unit(_) | RefusalReason::OwnReport(_) => "unit".into(),
                    RefusalReason::Reference(r) => r.field.clone(),
                },
                code: "forbidden".into(),
                message: crate::problem::refusal_detail(token, r),
                severity: "error".into(),
            })
            .collect();
        return Err(Problem::new(
            Kind::Forbidden,
            format!(
                "the import holds {} record(s) outside the provinces of token `{token}`; nothing was written",
                outside.len()
            ),
        )
        .with_errors(outside));
    }
    if report.has_errors() {
        let errors: Vec<FieldError> = report.problems.iter().map(FieldError::from).collect();
        let count = errors.iter().filter(|e| e.severity == "error").count();
        return Err(Problem::new(
            Kind::ValidationFailed,
            format!("the import was refused with {count} error(s); nothing was written"),
        )
        .with_errors(errors));
    }
    let body = ImportBody {
        dry_run: report.dry_run,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        warnings: report.problems.iter().map(FieldError::from).collect(),
        revision: report.revision,
    };
    Ok(to_json(StatusCode::OK, &body))
}

/// `GET /v1/changes` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ChangesParams {
    /// Changes after this revision (0 for all the feed holds), or the position a previous
    /// page's `next` link carries.
    since: Option<String>,
    /// Page size, 1–1000 (default 100).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

/// A page of the change feed.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct ChangesPage {
    /// Each change: `revision`, `at`, `actor`, `reason`, `kind`, `id`, `action` (`created`,
    /// `updated`, `deleted`) and, unless deleted, the `record` as written; a deletion's
    /// `province` (as recorded) where the record named one. Where the server binds a
    /// province's token to its provinces, only their changes and the central ones are listed,
    /// so a page may hold fewer than `limit`.
    items: Vec<Value>,
    /// The next page's link; null when this page reaches the latest change: the feed has then
    /// been read up to `revision`, so ask again later with `since` set to it.
    next: Option<String>,
    /// The store revision the page was read at.
    revision: u64,
    /// The oldest revision the feed holds; `since` older than it answers 410, `since` beyond
    /// `revision` 409.
    oldest: u64,
}

/// Every create, update and delete after `since`, in commit order: the way to stay in sync.
/// Follow each page's `next`; where it is null, ask again later with `since` = that page's
/// `revision`.
#[utoipa::path(get, path = "/v1/changes", tag = "changes", params(ChangesParams),
    responses((status = 200, description = "A page of changes", body = ChangesPage),
              (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "`since` is beyond the store's latest revision (`feed-ahead`): read the store again", body = Problem, content_type = "application/problem+json"),
              (status = 410, description = "The feed no longer holds changes that old", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn changes(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Params(p): Params<ChangesParams>,
) -> Result<Response, Problem> {
    let since = p.since.unwrap_or_else(|| "0".into());
    let limit = crate::params::limit_param(p.limit.as_deref(), 100)?;
    let cursor = since.clone();
    let page = s
        .blocking(move |store| store.changes(&cursor, limit))
        .await
        .map_err(|e| match e.kind() {
            Some(Kind::BadRequest) => Problem::bad_param("since", e.detail),
            _ => e,
        })?;
    // A reader held to its provinces gets their changes and the central ones (a page may then
    // hold fewer items than `limit`: follow `next` as always).
    let mut items = page.items;
    if !caller.reads.is_national() {
        items.retain(|e| caller.reads.may_read_province(e.current_province()));
    }
    let body = serde_json::json!({
        "items": items,
        "next": page.next.map(|n| format!("/v1/changes?since={n}&limit={limit}")),
        "revision": page.revision,
        "oldest": page.oldest,
    });
    Ok(to_json(StatusCode::OK, &body))
}

/// `/v1/export` parameters: the list filters and a format.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportParams {
    /// `json` (default: one export document, which `/v1/import` and `danvan import` read) or
    /// `jsonl` (one `{"kind", "record", "revision"}` per line). Either carries each record's
    /// revision (`revisions` in the document).
    #[param(inline, value_type = Option<ExportFormatName>)]
    format: Option<String>,
    /// As for lists.
    province: Option<String>,
    /// As for lists.
    #[param(inline, value_type = Option<ProvinceMapName>)]
    map: Option<String>,
    /// As for lists.
    period: Option<String>,
    /// As for lists.
    #[param(inline, value_type = Option<PeriodMatchName>)]
    matching: Option<String>,
    /// As for lists.
    #[param(inline, value_type = Option<WindowNameName>)]
    window: Option<String>,
    /// As for lists.
    #[param(value_type = Option<chrono::NaiveDate>)]
    since: Option<String>,
    /// As for lists.
    #[param(value_type = Option<chrono::NaiveDate>)]
    until: Option<String>,
    /// As for lists.
    #[param(inline, value_type = Option<ConferenceKindName>)]
    kind: Option<String>,
    /// As for lists.
    #[param(inline, value_type = Option<ModelFieldName>)]
    field: Option<String>,
    /// As for lists.
    indicator: Option<String>,
    /// As for lists.
    q: Option<String>,
    /// Record types, comma-separated; all by default.
    types: Option<String>,
}

/// Everything, or what the filters match, as one document (or JSON Lines).
#[utoipa::path(get, path = "/v1/export", tag = "transfer", params(ExportParams),
    responses((status = 200, description = "The export", content((Value = "application/json"), (String = "application/x-ndjson"))),
              (status = 304, description = "Not modified since the ETag given"),
              (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn export(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Params(p): Params<ExportParams>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let jsonl = p
        .format
        .as_deref()
        .map(|v| vocabulary_param::<crate::params::ExportFormat>("format", v))
        .transpose()?
        == Some(crate::params::ExportFormat::Jsonl);
    let list = ListParams {
        province: p.province,
        map: p.map,
        period: p.period,
        matching: p.matching,
        window: p.window,
        since: p.since,
        until: p.until,
        kind: p.kind,
        field: p.field,
        indicator: p.indicator,
        q: p.q,
        types: p.types,
        ..ListParams::default()
    };
    let query: Query = list.query(None, &caller.reads)?;
    let filtered = query != Query::default();
    if headers.contains_key(header::IF_NONE_MATCH) {
        let current = weak_etag(s.blocking(|store| store.revision()).await?);
        if none_match(&headers, &current) {
            return Ok(not_modified(current));
        }
    }
    // Reading and serialising a whole store is long work: both on the blocking pool.
    let (revision, bytes) = s
        .blocking(move |store| {
            let export = store.export(filtered.then_some(&query))?;
            let mut out = Vec::new();
            let written = if jsonl {
                export.lines().try_for_each(|(record, revision)| {
                    let line = danvan_store::ExportLine {
                        record: &record,
                        revision,
                    };
                    serde_json::to_writer(&mut out, &line)?;
                    out.push(b'\n');
                    Ok::<(), serde_json::Error>(())
                })
            } else {
                serde_json::to_writer(&mut out, &export)
            };
            // Serialising records cannot fail; were it to, it is a fault (500), not the client's.
            written.map_err(|e| danvan_store::StoreError::Io {
                at: "export".into(),
                source: std::io::Error::other(e),
            })?;
            Ok((export.revision, out))
        })
        .await?;
    let tag = weak_etag(revision);
    let mut response = (StatusCode::OK, bytes).into_response();
    let (media, ext) = if jsonl {
        ("application/x-ndjson", "jsonl")
    } else {
        ("application/json", "json")
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    let h = response.headers_mut();
    h.insert(header::ETAG, tag);
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"danvan-export-r{revision}.{ext}\""
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
