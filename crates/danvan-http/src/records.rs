//! `/v1/{kind}` and `/v1/{kind}/{id}`: list, read, create, replace, patch and delete records.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use danvan_core::dataset::AnyRecord;
use danvan_core::dataset::RecordRef;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Author, Expected, Op, PageRef, StoreError, Stored};

use crate::auth::Caller;
use crate::cache::{self, PageCache, RecordCache};
use crate::service::{Failure, Service, Write, Written, authorise};
use serde::Serialize;
use serde_json::Value;

use crate::AppState;
use crate::extract::{IfMatch, etag, if_match, json, none_match, not_modified, to_json, weak_etag};
use crate::params::{ListParams, select};
use crate::problem::{FieldError, Kind, Problem};

/// `GET /v1/indicators/{id}/observations`: the observations of a stored or built-in indicator.
pub(crate) async fn indicator_observations(
    s: &AppState,
    id: RecordId,
    mut p: ListParams,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    caller: &Caller,
) -> Result<Response, Problem> {
    let builtin = danvan_core::indicator::builtin(id.as_str()).is_some();
    let probe = id.clone();
    if !builtin
        && s.blocking(move |store| store.get(RecordKind::Indicator, &probe))
            .await?
            .is_none()
    {
        return Err(StoreError::NotFound {
            kind: RecordKind::Indicator,
            id,
        }
        .into());
    }
    if p.indicator.is_some() {
        return Err(Problem::bad_param(
            "indicator",
            "the path names the indicator already",
        ));
    }
    p.indicator = Some(id.to_string());
    list(s, Some(RecordKind::Observation), &p, uri, headers, caller).await
}

/// `GET /v1/indicators/catalogue` parameters.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct CatalogueParams {
    /// Only the definitions whose code, names or description hold every word, as whole
    /// syllables (diacritics, case and tone placement aside).
    q: Option<String>,
}

/// A record's history, as the API returns it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct HistoryPage {
    /// Each revision, oldest first: who made it, when, why, and each field old → new.
    #[schema(value_type = Vec<Object>)]
    items: Vec<danvan_store::HistoryEntry>,
    /// Whether the history reaches back to the record's creation (older history is pruned
    /// past a size the server is configured with).
    complete: bool,
    /// The store revision when it was read.
    revision: u64,
}

/// `GET /v1/{kind}/{id}/history`.
pub(crate) async fn history(
    s: &AppState,
    kind: RecordKind,
    id: RecordId,
    caller: &Caller,
) -> Result<Response, Problem> {
    let probe = id.clone();
    let (items, current, revision) = s
        .blocking(move |store| {
            Ok((
                store.history(kind, &probe)?,
                store.get(kind, &probe)?,
                store.revision()?,
            ))
        })
        .await?;
    // A record written before the oldest history kept has an empty history, not none.
    if items.is_empty() && current.is_none() {
        return Err(StoreError::NotFound { kind, id }.into());
    }
    match &current {
        Some(stored) => readable(caller, stored.record.as_ref())?,
        // A deleted record: the province its history last gave it.
        None => {
            let province = items
                .iter()
                .flat_map(|e| &e.changes)
                .filter(|c| c.field == "province")
                .filter_map(|c| c.new.as_ref().or(c.old.as_ref()))
                .filter_map(Value::as_str)
                .next_back();
            let current = province
                .and_then(|p| danvan_core::province::registry().current(p))
                .map(|p| p.slug);
            if !caller.reads.may_read_province(current) {
                return Err(Problem::new(
                    Kind::Forbidden,
                    format!(
                        "token `{}` reads the records of {}; {kind} {id} was of {}",
                        caller.name,
                        caller.reads.bound_to().unwrap_or_default().join(", "),
                        province.unwrap_or_default()
                    ),
                ));
            }
        }
    }
    let complete = items
        .first()
        .is_some_and(|e| e.action == danvan_store::Action::Created);
    Ok(to_json(
        StatusCode::OK,
        &HistoryPage {
            items,
            complete,
            revision,
        },
    ))
}

/// The built-in indicator definitions, or those matching `q`.
pub(crate) fn catalogue(p: CatalogueParams) -> Response {
    let items: Vec<&danvan_core::indicator::IndicatorDefinition> =
        match p.q.as_deref().filter(|q| !q.trim().is_empty()) {
            Some(q) => danvan_core::indicator::search_catalogue(q),
            None => danvan_core::indicator::catalogue().iter().collect(),
        };
    to_json(
        StatusCode::OK,
        &CataloguePage {
            total: items.len(),
            items,
            next: None,
        },
    )
}

/// The built-in indicators: the list envelope of every list; no store revision, since the
/// catalogue is built in.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct CataloguePage {
    /// The definitions (see the `Indicator` schema).
    #[schema(value_type = Vec<Object>)]
    items: Vec<&'static danvan_core::indicator::IndicatorDefinition>,
    /// How many.
    total: usize,
    /// Always null: one page.
    next: Option<String>,
}

/// `DELETE` parameters.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct DeleteParams {
    /// Also detach the records that refer to this one (and delete an indicator's
    /// observations) instead of refusing.
    pub(crate) cascade: Option<bool>,
}

/// The inner record as JSON (without the `kind` tag).
pub(crate) fn record_value(record: &AnyRecord) -> Result<Value, serde_json::Error> {
    record.to_json()
}

fn record_bytes(record: RecordRef<'_>) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&RecordJson(record))
}

/// A borrowed record serialised as itself (the kind is in the path, not the body).
struct RecordJson<'a>(RecordRef<'a>);

impl Serialize for RecordJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            RecordRef::Directive(r) => r.serialize(s),
            RecordRef::Conference(r) => r.serialize(s),
            RecordRef::Model(r) => r.serialize(s),
            RecordRef::Indicator(r) => r.serialize(s),
            RecordRef::Observation(r) => r.serialize(s),
            RecordRef::Unit(r) => r.serialize(s),
            RecordRef::Award(r) => r.serialize(s),
            RecordRef::Form(r) => r.serialize(s),
            RecordRef::Submission(r) => r.serialize(s),
            RecordRef::Target(r) => r.serialize(s),
        }
    }
}

/// A body that is not a record: the 422 with every structural problem, and what remains of
/// the record when only optional fields were in error (its own checks can still run).
pub(crate) struct Unreadable {
    pub(crate) problem: Problem,
    pub(crate) remains: Option<AnyRecord>,
}

/// A record of `kind` from its JSON, or a 422 naming every structural problem at once and
/// keeping what remains of the record.
pub(crate) fn read_record(kind: RecordKind, value: &Value) -> Result<AnyRecord, Box<Unreadable>> {
    let reading = danvan_entry::structure::read_record(kind, value);
    match reading.record {
        Some(record) if reading.problems.is_empty() => return Ok(record),
        _ => {}
    }
    let id = value.get("id").and_then(Value::as_str);
    let errors: Vec<FieldError> = reading
        .problems
        .iter()
        .map(|p| FieldError {
            record: id.map(|id| format!("{kind}/{id}")),
            at: None,
            field: p.field.clone(),
            code: p.code.to_string(),
            message: p.message.clone(),
            severity: "error".into(),
        })
        .collect();
    Err(Box::new(Unreadable {
        problem: Problem::new(Kind::ValidationFailed, unreadable_detail(kind, &errors))
            .with_errors(errors),
        remains: reading.record,
    }))
}

/// "start_year: invalid type…" for one problem; "not a valid model: 3 problems (start_year,
/// …)" for several.
fn unreadable_detail(kind: RecordKind, errors: &[FieldError]) -> String {
    match errors {
        [one] if one.field.is_empty() => one.message.clone(),
        [one] => format!("{}: {}", one.field, one.message),
        many => format!(
            "not a valid {kind}: {} problems ({}); `errors` lists each",
            many.len(),
            many.iter()
                .map(|e| if e.field.is_empty() {
                    "the record"
                } else {
                    e.field.as_str()
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The record in a write's body, or a 422 with every problem it has: those of its structure
/// and, where what remains of it reads, those the store's checks find in that (so a sender
/// fixes everything in one round).
async fn body_record(
    s: &AppState,
    kind: RecordKind,
    read: Result<AnyRecord, Box<Unreadable>>,
    author: &Author,
) -> Result<AnyRecord, Problem> {
    let Unreadable {
        mut problem,
        remains,
    } = match read {
        Ok(record) => return Ok(record),
        Err(u) => *u,
    };
    let Some(record) = remains else {
        return Err(problem);
    };
    let options = danvan_store::ImportOptions {
        dry_run: true,
        author: author.clone(),
    };
    let dataset = danvan_core::dataset::Dataset::from_records([record]);
    // The store's checks are extra help here; when the store cannot answer, the structural
    // problems are still the answer.
    if let Ok(report) = s
        .blocking(move |store| store.import(dataset, options))
        .await
    {
        for p in report.problems.iter().filter(|p| p.is_error()) {
            let e = FieldError::from(p);
            if !problem.errors.iter().any(|x| x.field == e.field) {
                problem.errors.push(e);
            }
        }
        problem.detail = unreadable_detail(kind, &problem.errors);
    }
    Err(problem)
}

/// A record's JSON: from the cache when it holds this revision, else serialised (and kept).
fn record_json(cache: &RecordCache, stored: Stored<RecordRef<'_>>) -> Result<Bytes, Problem> {
    let (kind, id) = (stored.record.kind(), stored.record.id());
    if let Some(bytes) = cache.get(kind, id.as_str(), stored.revision) {
        return Ok(bytes);
    }
    let bytes = Bytes::from(record_bytes(stored.record).map_err(Problem::internal)?);
    cache.put(kind, id, stored.revision, bytes.clone());
    Ok(bytes)
}

/// A page's response: the body, its ETag and, when there is more, a `Link` to the next page.
///
/// The body is `{"items":[{"kind","revision","record","matched"?}…],"total","next","revision"}`,
/// written here piece by piece so that each record's JSON goes in as the bytes the cache
/// holds, with no tree in between.
///
/// With `pages`, the page is kept there for the next request of the same path and query at
/// the same revision ([`kept_page`]).
pub(crate) fn page_response(
    cache: &RecordCache,
    pages: Option<&PageCache>,
    page: PageRef<'_>,
    fields: Option<&[String]>,
    uri: &axum::http::Uri,
) -> Result<Response, Problem> {
    use std::io::Write as _;
    let next = page.next.as_deref().map(|c| next_link(uri, c));
    let mut out = Vec::with_capacity(128 + page.items.len() * 1024);
    out.extend_from_slice(b"{\"items\":[");
    for (i, hit) in page.items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = write!(
            out,
            "{{\"kind\":\"{}\",\"revision\":{},\"record\":",
            hit.stored.record.kind().as_str(),
            hit.stored.revision
        );
        match fields {
            None => out.extend_from_slice(&record_json(cache, hit.stored.clone())?),
            Some(f) => {
                let whole = serde_json::to_value(RecordJson(hit.stored.record))
                    .map_err(Problem::internal)?;
                serde_json::to_writer(&mut out, &select(whole, f)).map_err(Problem::internal)?;
            }
        }
        if let Some(m) = &hit.matched {
            out.extend_from_slice(b",\"matched\":");
            serde_json::to_writer(&mut out, m).map_err(Problem::internal)?;
        }
        out.push(b'}');
    }
    let _ = write!(out, "],\"total\":{},\"next\":", page.total);
    serde_json::to_writer(&mut out, &next).map_err(Problem::internal)?;
    let _ = write!(out, ",\"revision\":{}}}", page.revision);
    let made = cache::Page {
        body: Bytes::from(out),
        link: next.and_then(|n| HeaderValue::from_str(&format!("<{n}>; rel=\"next\"")).ok()),
    };
    if let Some(pages) = pages {
        pages.put(path_and_query(uri), page.revision, made.clone());
    }
    Ok(page_answer(page.revision, made))
}

/// A page's response from its parts: the same whether it was just made or kept.
fn page_answer(revision: u64, page: cache::Page) -> Response {
    let mut response = json(StatusCode::OK, page.body);
    response
        .headers_mut()
        .insert(header::ETAG, weak_etag(revision));
    if let Some(link) = page.link {
        response.headers_mut().insert(header::LINK, link);
    }
    response
}

/// The page `uri` asks for, when the page cache holds it at the revision the store is at now
/// (and the store can say so without waiting).
pub(crate) fn kept_page(s: &AppState, uri: &axum::http::Uri) -> Option<Response> {
    if s.pages.is_off() {
        return None;
    }
    let revision = s.store.revision_now()?.ok()?;
    let page = s.pages.get(path_and_query(uri), revision)?;
    Some(page_answer(revision, page))
}

/// What a page is kept under: every part of the request its answer depends on.
fn path_and_query(uri: &axum::http::Uri) -> &str {
    uri.path_and_query()
        .map_or("", axum::http::uri::PathAndQuery::as_str)
}

/// `uri` with `cursor` set to `cursor`.
fn next_link(uri: &axum::http::Uri, cursor: &str) -> String {
    let mut pairs: Vec<(String, String)> = uri
        .query()
        .map(|q| {
            query_pairs(q)
                .into_iter()
                .filter(|(k, _)| k != "cursor")
                .collect()
        })
        .unwrap_or_default();
    pairs.push(("cursor".to_string(), cursor.to_string()));
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{}?{}", uri.path(), query.join("&"))
}

/// Splits a query string into decoded pairs (the same decoding the Query extractor does).
fn query_pairs(q: &str) -> Vec<(String, String)> {
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(
        &format!("/?{q}").parse().unwrap_or_default(),
    )
    .map(|axum::extract::Query(v)| v)
    .unwrap_or_default()
}

/// Percent-encodes a query component.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether `query` reads only a few hundred index entries (a province's or an indicator's, no
/// text), which is answered on the async threads when the store can without waiting.
pub(crate) fn narrow(query: &danvan_store::Query) -> bool {
    query.text.is_none() && (query.province.is_some() || query.indicator.is_some())
}

/// Lists records: shared by the collections, search and an indicator's observations.
pub(crate) async fn list(
    s: &AppState,
    kind: Option<RecordKind>,
    p: &ListParams,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    caller: &Caller,
) -> Result<Response, Problem> {
    let query = p.query(kind, &caller.reads)?;
    // Pages are kept by path and query: a reader held to its provinces gets its own, made
    // afresh every time.
    let national = caller.reads.is_national();
    let fields = p.fields();
    // A page depends only on the query and the store revision: answer 304 without running it.
    if headers.contains_key(header::IF_NONE_MATCH) {
        let current = weak_etag(s.blocking(|store| store.revision()).await?);
        if none_match(headers, &current) {
            return Ok(not_modified(current));
        }
    }
    // A query narrowed to a province or an indicator reads a few hundred index entries: it is
    // answered here when the store can do so without waiting. Anything else — text searches,
    // whole-store scans, a store that would wait for a lock or read files — goes to the
    // blocking pool, so the async threads never wait.
    if national && narrow(&query) {
        if let Some(kept) = kept_page(s, uri) {
            return Ok(kept);
        }
        // The page is written to bytes while the store lends its records.
        let mut answer = None;
        let now = s.store.query_now_with(&query, &mut |page| {
            answer = Some(page_response(
                &s.cache,
                Some(&s.pages),
                page,
                fields.as_deref(),
                uri,
            ));
        });
        if let Some(done) = now {
            done?;
            if let Some(answer) = answer {
                return answer;
            }
        }
    }
    // Written to bytes on the blocking thread while the store lends the page, as above.
    let (cache, uri) = (s.cache.clone(), uri.clone());
    s.blocking(move |store| {
        let mut answer = None;
        store.query_with(&query, &mut |page| {
            answer = Some(page_response(&cache, None, page, fields.as_deref(), &uri));
        })?;
        Ok(answer)
    })
    .await?
    .unwrap_or_else(|| Err(Problem::internal("the store lent no page")))
}

/// Refuses (403) a record the caller may not read (where the server binds a province's
/// readers to their provinces).
pub(crate) fn readable(caller: &Caller, record: RecordRef<'_>) -> Result<(), Problem> {
    if caller.reads.may_read(record) {
        return Ok(());
    }
    Err(Problem::new(
        Kind::Forbidden,
        format!(
            "token `{}` reads the records of {}; {} {} is of {}",
            caller.name,
            caller.reads.bound_to().unwrap_or_default().join(", "),
            record.kind(),
            record.id(),
            danvan_core::access::Whose::of(record)
        ),
    ))
}

/// `GET /v1/{kind}/{id}`: the record, with its revision as the ETag.
pub(crate) async fn read(
    s: &AppState,
    kind: RecordKind,
    id: &RecordId,
    headers: &HeaderMap,
    caller: &Caller,
) -> Result<Response, Problem> {
    // A look-up in memory is answered here when the store can without waiting, the record
    // written to bytes while the store lends it; otherwise on the blocking pool.
    let mut answer = None;
    let now = s.store.get_now_with(kind, id, &mut |found| {
        answer = Some(found.map(|st| {
            readable(caller, st.record)?;
            record_response(&s.cache, st, headers)
        }));
    });
    let found = match now {
        Some(done) => {
            done?;
            answer.flatten()
        }
        None => {
            let (probe, cache, headers) = (id.clone(), s.cache.clone(), headers.clone());
            let caller = caller.clone();
            s.blocking(move |store| {
                let mut answer = None;
                store.get_with(kind, &probe, &mut |found| {
                    answer = found.map(|st| {
                        readable(&caller, st.record)?;
                        record_response(&cache, st, &headers)
                    });
                })?;
                Ok(answer)
            })
            .await?
        }
    };
    match found {
        Some(response) => response,
        // Built-in indicators are served at revision 0 (a store cannot hold one with the
        // same ID).
        None => match danvan_core::indicator::builtin(id.as_str()) {
            Some(d) if kind == RecordKind::Indicator => record_response(
                &s.cache,
                Stored {
                    revision: 0,
                    record: RecordRef::Indicator(d),
                },
                headers,
            ),
            _ => Err(StoreError::NotFound {
                kind,
                id: id.clone(),
            }
            .into()),
        },
    }
}

/// A record's response with its revision as the ETag, or 304 when the client has it.
pub(crate) fn record_response(
    cache: &RecordCache,
    stored: Stored<RecordRef<'_>>,
    headers: &HeaderMap,
) -> Result<Response, Problem> {
    let tag = etag(stored.revision);
    if none_match(headers, &tag) {
        return Ok(not_modified(tag));
    }
    let mut response = json(StatusCode::OK, record_json(cache, stored)?);
    response.headers_mut().insert(header::ETAG, tag);
    Ok(response)
}

/// What a write answers: the record as stored, its revision, and the warnings it was stored
/// with; cascaded changes are listed.
#[derive(Serialize)]
struct WriteBody {
    revision: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<Value>,
    changes: Vec<danvan_store::Change>,
    warnings: Vec<crate::problem::FieldError>,
}

fn write_response(written: Written) -> Result<Response, Problem> {
    let status = if written.created() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = WriteBody {
        revision: written.receipt.revision,
        record: written
            .record
            .as_ref()
            .map(AnyRecord::to_json)
            .transpose()
            .map_err(Problem::internal)?,
        changes: written.receipt.changes,
        warnings: written.receipt.warnings.iter().map(Into::into).collect(),
    };
    let mut response = to_json(status, &body);
    if written.record.is_some() {
        let h = response.headers_mut();
        h.insert(header::ETAG, etag(written.receipt.revision));
        if status == StatusCode::CREATED {
            let location = format!("/v1/{}/{}", written.kind.plural(), written.id);
            if let Ok(v) = HeaderValue::from_str(&location) {
                h.insert(header::LOCATION, v);
            }
        }
    }
    Ok(response)
}

/// Turns a write refused on its `If-Match` revision or `If-None-Match: *` into 412 (keeping
/// the record's current revision); other errors pass.
pub(crate) fn precondition(e: Problem, guarded: bool) -> Problem {
    if guarded && matches!(e.kind(), Some(Kind::Changed | Kind::AlreadyExists)) {
        Problem::new(Kind::PreconditionFailed, e.detail)
            .with_current_revision(e.current_revision.map(std::num::NonZeroU64::get))
    } else {
        e
    }
}

/// The record in `body` for `id`: the ID may be left out; if given, it must be `id`.
fn with_id(
    kind: RecordKind,
    id: &RecordId,
    mut body: Value,
) -> Result<Result<AnyRecord, Box<Unreadable>>, Problem> {
    let Value::Object(map) = &mut body else {
        return Err(Problem::invalid_field(
            "",
            "type",
            format!("a {kind} is a JSON object"),
        ));
    };
    match map.get("id") {
        None => {
            map.insert("id".into(), Value::String(id.to_string()));
        }
        Some(Value::String(s)) if s == id.as_str() => {}
        Some(other) => {
            return Err(Problem::invalid_field(
                "id",
                "inconsistent",
                format!(
                    "the body's id {other} differs from the path's \"{id}\"; IDs cannot change"
                ),
            ));
        }
    }
    Ok(read_record(kind, &body))
}

/// The `Expected` of a guarded write and whether it came from `If-Match`.
async fn expectation(
    s: &AppState,
    kind: RecordKind,
    id: &RecordId,
    headers: &HeaderMap,
) -> Result<(Expected, bool), Problem> {
    Ok(match if_match(headers) {
        IfMatch::Absent => (Expected::Any, false),
        IfMatch::Revision(r) => (Expected::Revision(r), true),
        other => {
            let probe = id.clone();
            let current = s
                .blocking(move |store| store.get(kind, &probe))
                .await?
                .map(|r| r.revision);
            if !other.allows(current) {
                return Err(Problem::new(
                    Kind::PreconditionFailed,
                    format!("{kind} {id} does not match If-Match"),
                )
                .with_current_revision(current));
            }
            // `allows` is true only for an existing record.
            (Expected::Revision(current.unwrap_or_default()), true)
        }
    })
}

pub(crate) async fn create(
    s: &AppState,
    kind: RecordKind,
    body: Value,
    author: Author,
    caller: Caller,
) -> Result<Response, Problem> {
    if !body.is_object() {
        return Err(Problem::invalid_field(
            "",
            "type",
            format!("a {kind} is a JSON object"),
        ));
    }
    let record = body_record(s, kind, read_record(kind, &body), &author).await?;
    let write = Write::Change(Op::Put {
        record,
        expected: Expected::Absent,
    });
    write_response(service(s).write(&caller, author, write).await?)
}

pub(crate) async fn replace(
    s: &AppState,
    kind: RecordKind,
    id: RecordId,
    headers: &HeaderMap,
    body: Value,
    author: Author,
    caller: Caller,
) -> Result<Response, Problem> {
    let record = body_record(s, kind, with_id(kind, &id, body)?, &author).await?;
    authorise(&caller, &record)?;
    let (expected, guarded) = if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v == "*") {
        (Expected::Absent, true)
    } else {
        expectation(s, kind, &id, headers).await?
    };
    let written = service(s)
        .write(&caller, author, Write::Change(Op::Put { record, expected }))
        .await
        .map_err(|e| precondition(e.into(), guarded))?;
    write_response(written)
}

/// The service over the API's own state: the write path the web app shares.
fn service(s: &AppState) -> Service {
    Service { state: s.clone() }
}

/// Applies an RFC 7396 JSON merge patch.
fn merge_patch(target: &mut Value, patch: Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            if let Value::Object(t) = target {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(&k);
                    } else {
                        merge_patch(t.entry(k).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other,
    }
}

pub(crate) async fn patch(
    s: &AppState,
    kind: RecordKind,
    id: RecordId,
    headers: &HeaderMap,
    body: Value,
    author: Author,
    caller: Caller,
) -> Result<Response, Problem> {
    if !body.is_object() {
        return Err(Problem::invalid_field(
            "",
            "type",
            "a merge patch (RFC 7396) is a JSON object of the fields to change",
        ));
    }
    let guard = if_match(headers);
    // Without If-Match a patch is applied to the record as it is now: when someone else writes
    // between our read and our write, read again and reapply, a few times.
    for _ in 0..5 {
        let probe = id.clone();
        let current = s
            .blocking(move |store| store.get(kind, &probe))
            .await?
            .ok_or_else(|| {
                Problem::from(StoreError::NotFound {
                    kind,
                    id: id.clone(),
                })
            })?;
        if !guard.allows(Some(current.revision)) {
            return Err(Problem::new(
                Kind::PreconditionFailed,
                format!(
                    "{kind} {id} is at revision {}, not the one If-Match names",
                    current.revision
                ),
            )
            .with_current_revision(Some(current.revision)));
        }
        authorise(&caller, &current.record)?;
        let mut value = record_value(&current.record).map_err(Problem::internal)?;
        merge_patch(&mut value, body.clone());
        let record = body_record(s, kind, with_id(kind, &id, value)?, &author).await?;
        let expected = Expected::Revision(current.revision);
        let write = Write::Change(Op::Put { record, expected });
        match service(s).write(&caller, author.clone(), write).await {
            Ok(written) => return write_response(written),
            Err(Failure::Store(StoreError::Conflict { .. }))
                if matches!(guard, IfMatch::Absent) =>
            {
                continue;
            }
            Err(e) => return Err(precondition(e.into(), true)),
        }
    }
    Err(Problem::new(
        Kind::Changed,
        format!("{kind} {id} kept changing while the patch was applied; retry"),
    ))
}

pub(crate) async fn delete(
    s: &AppState,
    kind: RecordKind,
    id: RecordId,
    headers: &HeaderMap,
    cascade: bool,
    author: Author,
    caller: &Caller,
) -> Result<Response, Problem> {
    // The store refuses a record of another province, as stored or reached by the cascade.
    let (expected, guarded) = expectation(s, kind, &id, headers).await?;
    let write = Write::Change(Op::Delete {
        kind,
        id,
        expected,
        cascade,
    });
    let written = service(s)
        .write(caller, author, write)
        .await
        .map_err(|e| precondition(e.into(), guarded))?;
    write_response(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patches_follow_rfc_7396() {
        let mut v = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut v, json!({"a": "z", "c": {"f": null}}));
        assert_eq!(v, json!({"a": "z", "c": {"d": "e"}}));
        let mut v = json!({"a": [1, 2]});
        merge_patch(&mut v, json!({"a": [3], "b": {"c": 1}}));
        assert_eq!(v, json!({"a": [3], "b": {"c": 1}}));
    }

    #[test]
    fn next_links_keep_the_query_and_replace_the_cursor() {
        let uri: axum::http::Uri =
            "/v1/conferences?province=B%E1%BA%AFc+K%E1%BA%A1n&cursor=old&limit=2"
                .parse()
                .unwrap();
        assert_eq!(
            next_link(&uri, "abc=="),
            "/v1/conferences?province=B%E1%BA%AFc%20K%E1%BA%A1n&limit=2&cursor=abc%3D%3D"
        );
    }
}
