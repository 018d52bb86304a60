//! `GET /v1/calendar.ics`: the work calendar (conferences, review deadlines) as iCalendar, for
//! a calendar app to subscribe to; the events and their text come from
//! [`danvan_report::calendar`], the read access is the API's.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use danvan_core::province::registry;
use danvan_core::record_kind::RecordKind;
use danvan_report::Lang;
use danvan_report::calendar::{self, Scope};
use danvan_store::Query;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Params, none_match, not_modified, weak_etag};
use crate::params::{LangName, vocabulary_param};
use crate::problem::{Kind, Problem};

pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/v1/calendar.ics", get(feed))
}

/// `/v1/calendar.ics` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct CalendarParams {
    /// One province's events (slug, name or code; on the current map, so Bắc Kạn's are Thái
    /// Nguyên's); without it, every province's and the central ones (a reader held to its
    /// provinces gets theirs and the central ones).
    province: Option<String>,
    /// `vi` (default) or `en`: the language of the summaries and descriptions.
    #[param(inline, value_type = Option<LangName>)]
    lang: Option<String>,
}

/// The work calendar: conferences, and the reviews (sơ kết, tổng kết) directives call for by
/// their deadlines, as all-day events in an iCalendar feed (RFC 5545) to subscribe to. Each
/// event's UID is stable (from its record) and its SEQUENCE is the record's revision, so a
/// refresh updates events in place.
#[utoipa::path(get, path = "/v1/calendar.ics", tag = "calendar", params(CalendarParams),
    responses((status = 200, description = "The calendar", content_type = "text/calendar", body = String,
                headers(("ETag" = String, description = "The store revision it was made at (weak)"))),
              (status = 304, description = "Not modified since the ETag sent in If-None-Match"),
              (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn feed(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Params(p): Params<CalendarParams>,
) -> Result<Response, Problem> {
    let lang: Lang = match p.lang.as_deref() {
        None => Lang::Vi,
        Some(v) => vocabulary_param("lang", v)?,
    };
    let province = match &p.province {
        Some(name) => Some(
            registry()
                .resolve(name, s.today())
                .map_err(|e| Problem::bad_param("province", e))?
                .slug,
        ),
        None => None,
    };
    if let (Some(slug), Some(own)) = (province, caller.reads.bound_to())
        && !caller.reads.may_read_province(Some(slug))
    {
        return Err(Problem::new(
            Kind::Forbidden,
            format!(
                "token `{}` reads the records of {}; {slug} is another province",
                caller.name,
                own.join(", ")
            ),
        ));
    }
    let query = Query {
        kinds: vec![RecordKind::Conference, RecordKind::Directive],
        ..Query::default()
    };
    let export = s.blocking(move |store| store.export(Some(&query))).await?;
    let tag = weak_etag(export.revision);
    if none_match(&headers, &tag) {
        return Ok(not_modified(tag));
    }
    let reads = caller.reads.clone();
    let may_read = move |p: Option<&str>| reads.may_read_province(p);
    let events = calendar::events(
        &export,
        Scope {
            province,
            may_read: Some(&may_read),
        },
        lang,
    );
    let name = calendar::name(province, lang);
    let body = calendar::write(&events, &name, chrono::Utc::now());
    let file = format!(
        "lich-cong-tac-dan-van-{}.ics",
        province.unwrap_or("toan-quoc")
    );
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(header::ETAG, tag);
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
