//! What every page of the web app shares: the frame (who is signed in, the menu), message
//! pages, the checks that come before a page (CSRF, read-only, another province's record),
//! a record's row in a list, and store calls whose failure is a page.

// A handler's early answer is a whole page (`Response`), returned once per request.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use danvan_core::dataset::{AnyRecord, RecordRef};
use danvan_core::period::Period;
use danvan_core::record_kind::RecordKind;
use danvan_store::{ProvinceFilter, ProvinceMap, Store, StoreError};
use minijinja::context;
use serde::Serialize;

use super::failure::refused_as;
use super::i18n;
use super::session::{Lang, Session};
use crate::AppState;
use danvan_http::service::Failure;

/// A 303 to `to`.
pub(crate) fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Percent-encodes `s` for a query value.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What every page's frame shows of the signed-in user.
#[derive(Serialize)]
pub(super) struct Me {
    name: String,
    /// The provinces the user is bound to, by name; empty for national users.
    provinces: Vec<String>,
    may_write: bool,
    /// Whether the user manages users (a board's administrator).
    admin: bool,
    csrf: String,
}

pub(super) fn me(s: &Session) -> Me {
    Me {
        name: s.caller.name.clone(),
        provinces: s
            .caller
            .provinces()
            .unwrap_or_default()
            .iter()
            .map(|slug| province_name(slug))
            .collect(),
        may_write: s.may_write(),
        admin: s
            .user
            .as_ref()
            .is_some_and(|u| u.role == danvan_core::user::Role::Admin),
        csrf: s.csrf.clone(),
    }
}

pub(super) fn province_name(slug: &str) -> String {
    danvan_core::province::registry()
        .all_with_slug(slug)
        .last()
        .map_or_else(|| slug.to_string(), |p| p.name.to_string())
}

/// The provinces a session's pages are about: its own (the first, for a dashboard), or the
/// whole country.
pub(super) fn home_province(s: &Session) -> Option<String> {
    s.caller.provinces().and_then(|p| p.first().cloned())
}

pub(super) fn kind_of(plural: &str) -> Option<RecordKind> {
    RecordKind::ALL.into_iter().find(|k| k.plural() == plural)
}

pub(super) fn kinds_nav(lang: Lang) -> Vec<(String, String)> {
    let names = [
        ("conferences", "conferences"),
        ("directives", "directives"),
        ("models", "models"),
        ("indicators", "indicators"),
        ("observations", "observations"),
        ("units", "reporting-units"),
        ("awards", "commendations"),
        ("forms", "forms"),
        ("submissions", "submissions"),
        ("targets", "targets"),
        ("completeness", "reports-owed"),
        ("queue", "waiting-for-approval"),
    ];
    names
        .iter()
        .map(|(p, n)| ((*p).to_string(), i18n::word(n, lang)))
        .collect()
}

/// The kind's name in the interface's language ("Hội nghị").
pub(super) fn kind_name(kind: RecordKind, lang: Lang) -> String {
    kinds_nav(lang)
        .into_iter()
        .find(|k| k.0 == kind.plural())
        .map_or_else(|| kind.plural().to_string(), |k| k.1)
}

/// A message page (not allowed, not found, a refused form).
pub(super) fn message(
    s: &AppState,
    session: &Session,
    status: StatusCode,
    title: &str,
    text: &str,
) -> Response {
    s.web.page(
        status,
        "message.html",
        context! {
            lang => session.lang.tag(),
            me => me(session),
            nav => kinds_nav(session.lang),
            title => title,
            text => text,
        },
    )
}

pub(super) fn not_found(s: &AppState, session: &Session, text: &str) -> Response {
    message(s, session, StatusCode::NOT_FOUND, "not-found", text)
}

/// "There is no conference hn-1." in `lang`.
pub(super) fn no_record(kind: RecordKind, id: &danvan_core::id::RecordId, lang: Lang) -> String {
    danvan_i18n::tr!(
        lang,
        "no-such-record",
        kind = i18n::word(&format!("kind-{}", kind.as_str()), lang),
        id = id.as_str()
    )
}

/// The kind and ID a record page's path names.
pub(super) fn target(
    s: &AppState,
    session: &Session,
    kind: &str,
    id: &str,
) -> Result<(RecordKind, danvan_core::id::RecordId), Response> {
    let Some(kind) = kind_of(kind) else {
        return Err(not_found(
            s,
            session,
            &i18n::word("page-not-found", session.lang),
        ));
    };
    let Ok(id) = danvan_core::id::RecordId::new(id) else {
        return Err(not_found(
            s,
            session,
            &i18n::word("record-not-found", session.lang),
        ));
    };
    Ok((kind, id))
}

/// The stored record `kind`/`id`, or the page saying there is none.
pub(super) async fn stored(
    s: &AppState,
    session: &Session,
    kind: RecordKind,
    id: &danvan_core::id::RecordId,
) -> Result<danvan_store::Stored<AnyRecord>, Response> {
    let probe = id.clone();
    match store(s, session, move |st| st.get(kind, &probe)).await? {
        Some(x) => Ok(x),
        None => Err(not_found(s, session, &no_record(kind, id, session.lang))),
    }
}

pub(super) fn forbidden(s: &AppState, session: &Session, text: &str) -> Response {
    message(s, session, StatusCode::FORBIDDEN, "not-allowed", text)
}

/// The form's CSRF token, checked against the session's.
pub(super) fn csrf_ok(session: &Session, form: &HashMap<String, String>) -> bool {
    form.get("csrf").is_some_and(|t| session.csrf_matches(t))
}

/// The refusal for a sign-in that may read but not change records.
pub(super) fn read_only(s: &AppState, session: &Session) -> Response {
    forbidden(s, session, &i18n::word("read-only-sign-in", session.lang))
}

/// The refusal of a change to `record`, if `session` may not make it: outside its provinces,
/// or read-only.
pub(super) fn unchangeable(
    s: &AppState,
    session: &Session,
    record: RecordRef<'_>,
) -> Option<Response> {
    (!may_change(session, record))
        .then(|| outside(s, session, record).unwrap_or_else(|| read_only(s, session)))
}

pub(super) fn csrf_refused(s: &AppState, session: &Session) -> Response {
    forbidden(s, session, &i18n::word("csrf-missing", session.lang))
}

/// A store call off the async threads, its failure as a page in the user's language.
pub(super) async fn store<T: Send + 'static>(
    s: &AppState,
    session: &Session,
    f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Response> {
    s.blocking(f)
        .await
        .map_err(|failure| super::page::failed(s, session, &failure))
}

/// The half-year holding `day`.
pub(super) fn half_year(day: NaiveDate) -> Period {
    use chrono::Datelike;
    let id = format!("{}S{}", day.year(), if day.month() <= 6 { 1 } else { 2 });
    Period::parse(&id, None)
        .or_else(|_| Period::year(day.year()))
        .expect("a day's half-year or year is a period")
}

#[derive(Serialize)]
pub(super) struct RecordRow {
    kind: &'static str,
    id: String,
    pub(super) title: String,
    date: String,
    province: String,
    revision: u64,
}

pub(super) fn row(kind: RecordKind, record: RecordRef<'_>, revision: u64) -> RecordRow {
    RecordRow {
        kind: kind.plural(),
        id: record.id().to_string(),
        title: record.title(),
        date: record
            .date()
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        province: record
            .province()
            .map(|p| province_name(p.as_str()))
            .unwrap_or_default(),
        revision,
    }
}

pub(super) fn province_query(province: Option<&String>) -> Option<ProvinceFilter> {
    province.map(|p| ProvinceFilter {
        province: p.clone(),
        map: ProvinceMap::Current,
    })
}

/// The provinces a session may choose among: its own, or every province today, in
/// Vietnamese order. (slug, name).
pub(super) fn choosable(session: &Session, today: NaiveDate) -> Vec<(String, String)> {
    match &session.caller.provinces() {
        Some(own) => own.iter().map(|p| (p.clone(), province_name(p))).collect(),
        None => {
            let mut v: Vec<(String, String)> = danvan_core::province::registry()
                .valid_at(today)
                .map(|p| (p.slug.to_string(), p.name.to_string()))
                .collect();
            danvan_core::text::sort_by_key(&mut v, |p| p.1.as_str());
            v
        }
    }
}

/// The province a session's list or report is about: the one asked for if the session may
/// see it; a bound session's first province otherwise; nothing (the country) for a national
/// session that asked for none.
pub(super) fn chosen_province(session: &Session, asked: Option<String>) -> Option<String> {
    let asked = asked.filter(|p| !p.is_empty());
    match &session.caller.provinces() {
        Some(own) => Some(
            asked
                .filter(|c| own.iter().any(|o| o == c))
                .unwrap_or_else(|| own.first().cloned().unwrap_or_default()),
        ),
        None => asked,
    }
}

/// Whether `session` may change `record`.
pub(super) fn may_change(session: &Session, record: RecordRef<'_>) -> bool {
    session.may_write() && session.caller.access.may_write(record).is_ok()
}

/// The refusal for a record outside the session's provinces, if it is.
pub(super) fn outside(s: &AppState, session: &Session, record: RecordRef<'_>) -> Option<Response> {
    if let RecordRef::Submission(sub) = record
        && !session.caller.sees_report_of(sub.unit.as_ref())
    {
        let text = i18n::word("report-of-another-unit", session.lang);
        return Some(forbidden(s, session, &text));
    }
    session
        .caller
        .access
        .may_write(record)
        .err()
        .map(|refusal| {
            let detail = danvan_i18n::names::refusal(session.lang, &session.caller.name, &refusal);
            forbidden(s, session, &refused_as(&detail, session.lang))
        })
}

/// The page that reports `failure` to a signed-in user.
pub(crate) fn failed(s: &AppState, session: &Session, failure: &Failure) -> Response {
    let status = super::failure::status(failure);
    if status.is_server_error() {
        tracing::error!(error = %failure, "a page could not be answered");
    }
    let title = match status {
        StatusCode::FORBIDDEN => "not-allowed",
        StatusCode::NOT_FOUND => "page-not-found",
        _ => "could-not-be-done",
    };
    super::page::message(
        s,
        session,
        status,
        title,
        &super::failure::words(failure, session.lang),
    )
}

/// A request the page cannot answer as asked (a parameter it cannot read): said in the user's
/// language, `why` as the reader said it.
pub(super) fn refused_page(s: &AppState, session: &Session, why: &str) -> Response {
    message(
        s,
        session,
        StatusCode::BAD_REQUEST,
        "could-not-be-done",
        &i18n::message(why, session.lang),
    )
}

/// The page refusing `period` when it is not one, in the user's words ("Kỳ: … — không phải
/// là kỳ; hãy viết như 2024, 2024S1 …"); `None` when it reads.
pub(super) fn period_refused(s: &AppState, session: &Session, period: &str) -> Option<Response> {
    let why = danvan_entry::parse(danvan_entry::Shape::Period, period).err()?;
    let text = format!(
        "{}: {period} — {}",
        i18n::word("period", session.lang),
        i18n::message(&why, session.lang)
    );
    Some(message(
        s,
        session,
        StatusCode::BAD_REQUEST,
        "could-not-be-done",
        &text,
    ))
}
