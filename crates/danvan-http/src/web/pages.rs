//! The web app's handlers: one per page or form.

// A handler's early answer is a whole page (`Response`), returned once per request.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use danvan_core::dataset::{AnyRecord, RecordRef};
use danvan_core::period::Period;
use danvan_core::record_kind::RecordKind;
use danvan_store::{
    Expected, PeriodFilter, PeriodMatch, ProvinceFilter, ProvinceMap, SortKey, Store, StoreError,
};
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use subtle::ConstantTimeEq;

use super::form::{self, Read};
use super::session::{self, Lang, Session};
use super::{Signed, i18n};
use crate::AppState;
use crate::problem::Problem;

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

/// Where to go back to: a path of this app only (never another site).
fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/app") && !n.starts_with("//") && !n.contains('\\') => {
            n.to_string()
        }
        _ => "/app".to_string(),
    }
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

fn kind_of(plural: &str) -> Option<RecordKind> {
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
fn kind_name(kind: RecordKind, lang: Lang) -> String {
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

fn not_found(s: &AppState, session: &Session, text: &str) -> Response {
    message(s, session, StatusCode::NOT_FOUND, "not-found", text)
}

/// "There is no conference hn-1." in `lang`.
fn no_record(kind: RecordKind, id: &danvan_core::id::RecordId, lang: Lang) -> String {
    danvan_i18n::tr!(
        lang,
        "no-such-record",
        kind = i18n::word(&format!("kind-{}", kind.as_str()), lang),
        id = id.as_str()
    )
}

/// The kind and ID a record page's path names.
fn target(
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
async fn stored(
    s: &AppState,
    session: &Session,
    kind: RecordKind,
    id: &danvan_core::id::RecordId,
) -> Result<danvan_store::Stored<AnyRecord>, Response> {
    let probe = id.clone();
    match store(s, move |st| st.get(kind, &probe)).await? {
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
    forbidden(
        s,
        session,
        "This sign-in may read records but not change them.",
    )
}

/// The refusal of a change to `record`, if `session` may not make it: outside its provinces,
/// or read-only.
fn unchangeable(s: &AppState, session: &Session, record: RecordRef<'_>) -> Option<Response> {
    (!may_change(session, record))
        .then(|| outside(s, session, record).unwrap_or_else(|| read_only(s, session)))
}

pub(super) fn csrf_refused(s: &AppState, session: &Session) -> Response {
    forbidden(
        s,
        session,
        "The form did not carry this session's security token (CSRF); reload the page and try again.",
    )
}

/// A store call off the async threads, its failure as a problem response.
pub(super) async fn store<T: Send + 'static>(
    s: &AppState,
    f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Response> {
    s.blocking(f).await.map_err(IntoResponse::into_response)
}

#[derive(Deserialize)]
pub(crate) struct NextParams {
    next: Option<String>,
}

pub(crate) async fn sign_in_page(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<NextParams>,
) -> Response {
    match super::signed_in(&s, &headers).await {
        Ok(Some(_)) => return see_other(&local(p.next.as_deref())),
        Ok(None) => {}
        Err(r) => return r,
    }
    sign_in_form(&s, &headers, p.next.as_deref(), None)
}

/// The sign-in form with a fresh CSRF token in a short-lived cookie (there is no session yet
/// to hold it: the form's copy must match the cookie's).
fn sign_in_form(
    s: &AppState,
    headers: &HeaderMap,
    next: Option<&str>,
    error: Option<&str>,
) -> Response {
    sign_in_form_with(s, headers, next, error, "")
}

/// [`sign_in_form`], with the login typed before kept in its field.
fn sign_in_form_with(
    s: &AppState,
    headers: &HeaderMap,
    next: Option<&str>,
    error: Option<&str>,
    login: &str,
) -> Response {
    let token = session::random_token();
    let lang = if session::cookie(headers, "danvan_lang").as_deref() == Some("en") {
        "en"
    } else {
        "vi"
    };
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let mut r = s.web.page(
        status,
        "sign_in.html",
        context! { lang, csrf => &token, next => local(next), error, login },
    );
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(
            session::SIGN_IN_COOKIE,
            &token,
            Some(1800),
            session::over_tls(headers),
        ),
    );
    r
}

pub(crate) async fn sign_in(
    State(s): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let next = form.get("next").map(String::as_str);
    let cookie = session::cookie(&headers, session::SIGN_IN_COOKIE).unwrap_or_default();
    let sent = form.get("csrf").cloned().unwrap_or_default();
    if cookie.is_empty() || !bool::from(cookie.as_bytes().ct_eq(sent.as_bytes())) {
        let mut r = sign_in_form(&s, &headers, next, Some("sign-in-form-expired"));
        *r.status_mut() = StatusCode::FORBIDDEN;
        return r;
    }
    let lang = if session::cookie(&headers, "danvan_lang").as_deref() == Some("en") {
        Lang::En
    } else {
        Lang::Vi
    };
    // A token typed in its field signs in with it; otherwise the login and password do.
    let login = form.get("login").map_or("", |l| l.trim());
    let token = form.get("token").map_or("", |t| t.trim());
    if token.is_empty() {
        let password = form.get("password").cloned().unwrap_or_default();
        return match user_signing_in(&s, login, password).await {
            Ok(Some(user)) => {
                tracing::info!(user = %user.login, role = user.role.code(), "web sign-in");
                signed_in_as(&headers, next, s.web.sessions.start_user(&user, lang))
            }
            Ok(None) => {
                tracing::info!(login, "web sign-in refused: wrong login or password");
                sign_in_form_with(
                    &s,
                    &headers,
                    next,
                    Some("the-login-or-the-password-is"),
                    login,
                )
            }
            Err(r) => r,
        };
    }
    let Some((caller, scope)) = s.auth.identify(token) else {
        tracing::info!("web sign-in refused: unknown token");
        return sign_in_form(&s, &headers, next, Some("that-token-is-not-known-to"));
    };
    tracing::info!(token = %caller.name, scope = scope.as_str(), "web sign-in");
    signed_in_as(&headers, next, s.web.sessions.start(token, lang))
}

/// The user of `login` when `password` is theirs (and they are active). The password is
/// checked off the request threads (Argon2 takes tens of milliseconds by design), and an
/// unknown login costs the same as a wrong password, so timing tells nothing.
async fn user_signing_in(
    s: &AppState,
    login: &str,
    password: String,
) -> Result<Option<danvan_core::user::User>, Response> {
    let l = login.to_lowercase();
    let user = s
        .blocking(move |st| st.user(&l))
        .await
        .map_err(IntoResponse::into_response)?;
    let checked = tokio::task::spawn_blocking(move || match user {
        Some(u) => danvan_store::users::verify(&u, &password).then_some(u),
        None => {
            danvan_store::users::verify(nobody(), &password);
            None
        }
    })
    .await;
    checked.map_err(|e| crate::Problem::internal(e).into_response())
}

/// A user no password matches, whose hash is checked for an unknown login.
fn nobody() -> &'static danvan_core::user::User {
    static NOBODY: std::sync::OnceLock<danvan_core::user::User> = std::sync::OnceLock::new();
    NOBODY.get_or_init(|| {
        let mut u = danvan_core::user::User::new(
            "nobody",
            "nobody",
            danvan_core::user::Role::Clerk,
            danvan_core::user::Seat::Board { province: None },
        )
        .expect("a valid login and name");
        let _ = danvan_store::users::set_password(&mut u, &session::random_token());
        u
    })
}

/// The answer to a sign-in that succeeded: the session's cookie, the sign-in form's cookie
/// cleared, and on to where the user was going.
fn signed_in_as(headers: &HeaderMap, next: Option<&str>, id: String) -> Response {
    let secure = session::over_tls(headers);
    let mut r = see_other(&local(next));
    let h = r.headers_mut();
    h.append(
        header::SET_COOKIE,
        session::set_cookie(session::COOKIE, &id, None, secure),
    );
    h.append(
        header::SET_COOKIE,
        session::set_cookie(session::SIGN_IN_COOKIE, "", Some(0), secure),
    );
    r
}

pub(crate) async fn sign_out(
    State(s): State<AppState>,
    headers: HeaderMap,
    Signed(session): Signed,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !csrf_ok(&session, &form) {
        return csrf_refused(&s, &session);
    }
    s.web.sessions.end(&session);
    let (id, until) = (session.id().to_string(), session.until());
    if let Err(p) = s.writing(move |st| st.end_session(&id, until)).await {
        // Not ended for the other servers: say so rather than pretend.
        return p.into_response();
    }
    let mut r = see_other("/app/sign-in");
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(session::COOKIE, "", Some(0), session::over_tls(&headers)),
    );
    r
}

#[derive(Deserialize)]
pub(crate) struct LangParams {
    to: String,
    back: Option<String>,
}

/// Switches the interface's language (kept in the session, and in a cookie for the sign-in
/// page).
pub(crate) async fn switch_lang(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<LangParams>,
) -> Response {
    let lang = if p.to == "en" { Lang::En } else { Lang::Vi };
    let mut r = see_other(&local(p.back.as_deref()));
    if let Ok(Some(session)) = super::signed_in(&s, &headers).await {
        let value = s.web.sessions.with_lang(&session, lang);
        r.headers_mut().append(
            header::SET_COOKIE,
            session::set_cookie(session::COOKIE, &value, None, session::over_tls(&headers)),
        );
    }
    if let Ok(v) = HeaderValue::from_str(&format!(
        "danvan_lang={}; Path=/app; SameSite=Strict; Max-Age=31536000",
        lang.tag()
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
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
    title: String,
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
fn choosable(session: &Session, today: NaiveDate) -> Vec<(String, String)> {
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
fn chosen_province(session: &Session, asked: Option<String>) -> Option<String> {
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

#[derive(Deserialize)]
pub(crate) struct ListParams {
    q: Option<String>,
    province: Option<String>,
    period: Option<String>,
    cursor: Option<String>,
}

pub(crate) async fn list(
    State(s): State<AppState>,
    headers: HeaderMap,
    Signed(session): Signed,
    Path(kind): Path<String>,
    Query(p): Query<ListParams>,
) -> Response {
    let Some(kind) = kind_of(&kind) else {
        return not_found(&s, &session, &i18n::word("page-not-found", session.lang));
    };
    // A province-bound user sees only their provinces.
    let province = chosen_province(&session, p.province.clone());
    let text = p.q.clone().filter(|q| !q.trim().is_empty());
    let period = match p.period.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
        None => None,
        Some(x) => match Period::parse(x, None) {
            Ok(period) => Some(PeriodFilter {
                period,
                matching: PeriodMatch::Overlaps,
                window: Default::default(),
            }),
            Err(e) => {
                return message(
                    &s,
                    &session,
                    StatusCode::BAD_REQUEST,
                    "period",
                    &e.to_string(),
                );
            }
        },
    };
    let query = danvan_store::Query {
        kinds: vec![kind],
        province: province_query(province.as_ref()),
        period,
        sort: if text.is_some() {
            SortKey::Relevance
        } else {
            SortKey::Date
        },
        descending: text.is_none(),
        text,
        limit: 50,
        cursor: p.cursor.clone().filter(|c| !c.is_empty()),
        ..danvan_store::Query::default()
    };
    let (page, rows) = match titled_rows(&s, &session, kind, query).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let provinces = choosable(&session, s.today());
    let next = page.next.map(|c| {
        format!(
            "/app/{}?q={}&province={}&period={}&cursor={}",
            kind.plural(),
            encode(p.q.as_deref().unwrap_or("")),
            encode(province.as_deref().unwrap_or("")),
            encode(p.period.as_deref().unwrap_or("")),
            encode(&c)
        )
    });
    let ctx = context! {
        lang => session.lang.tag(),
        me => me(&session),
        nav => kinds_nav(session.lang),
        kind => kind.plural(),
        kind_name => kind_name(kind, session.lang),
        rows,
        total => page.total,
        next,
        q => p.q.unwrap_or_default(),
        province => province.unwrap_or_default(),
        period => p.period.unwrap_or_default(),
        provinces,
        national => session.caller.provinces().is_none(),
    };
    // htmx asks for the rows alone as the search box changes.
    let template = if headers.contains_key("hx-request") {
        "rows.html"
    } else {
        "list.html"
    };
    s.web.page(StatusCode::OK, template, ctx)
}

#[derive(Serialize)]
struct ShownField {
    label: String,
    value: String,
}

#[derive(Serialize)]
struct HistoryRow {
    revision: u64,
    at: String,
    actor: String,
    reason: String,
    action: String,
    changes: Vec<String>,
}

fn history_rows(
    items: &[danvan_store::HistoryEntry],
    kind: RecordKind,
    lang: Lang,
) -> Vec<HistoryRow> {
    items
        .iter()
        .rev()
        .map(|e| HistoryRow {
            revision: e.revision,
            at: e.at.replace('T', " ").trim_end_matches('Z').to_string(),
            actor: e.author.actor.clone(),
            reason: e.author.reason.clone().unwrap_or_default(),
            action: format!("{:?}", e.action).to_lowercase(),
            changes: e
                .changes
                .iter()
                .map(|c| super::history::change_line(kind, c, lang))
                .collect(),
        })
        .collect()
}

/// The list page `query` asks for, and its rows as the user sees them: a unit's user only their
/// unit's reports; reports titled in words, which their records name by code.
async fn titled_rows(
    s: &AppState,
    session: &Session,
    kind: RecordKind,
    query: danvan_store::Query,
) -> Result<(danvan_store::Page, Vec<RecordRow>), Response> {
    let lang = session.lang;
    let (page, titles) = store(s, move |st| {
        let page = st.query(&query)?;
        let mut titles = HashMap::new();
        // Indicators a store defines, by their names (the built-in ones the core names).
        let mut defined: HashMap<String, Option<String>> = HashMap::new();
        for h in &page.items {
            match &h.stored.record {
                AnyRecord::Submission(sub) => {
                    titles.insert(
                        sub.id.clone(),
                        super::submission::submission_title(st, sub, lang)?,
                    );
                }
                AnyRecord::Observation(o)
                    if danvan_core::indicator::builtin(o.indicator.as_str()).is_none() =>
                {
                    let key = o.indicator.to_string();
                    if !defined.contains_key(&key) {
                        let name = match st.get(RecordKind::Indicator, &o.indicator)? {
                            Some(danvan_store::Stored {
                                record: AnyRecord::Indicator(d),
                                ..
                            }) => Some(match lang {
                                Lang::Vi => d.name_vi.to_string(),
                                Lang::En => d.name_en.to_string(),
                            }),
                            _ => None,
                        };
                        defined.insert(key.clone(), name);
                    }
                    if let Some(Some(name)) = defined.get(&key) {
                        titles.insert(
                            o.id.clone(),
                            format!("{name} — {}", danvan_i18n::names::period(lang, &o.period)),
                        );
                    }
                }
                _ => {}
            }
        }
        Ok((page, titles))
    })
    .await?;
    let rows = page
        .items
        .iter()
        .filter(|h| match h.stored.record.as_ref() {
            RecordRef::Submission(sub) => session.caller.sees_report_of(sub.unit.as_ref()),
            _ => true,
        })
        .map(|h| {
            let mut r = row(kind, h.stored.record.as_ref(), h.stored.revision);
            if let Some(t) = titles.get(h.stored.record.as_ref().id()) {
                r.title.clone_from(t);
            }
            r
        })
        .collect();
    Ok((page, rows))
}

/// Whether `session` may change `record`.
fn may_change(session: &Session, record: RecordRef<'_>) -> bool {
    session.may_write() && crate::records::within_provinces(&session.caller, record).is_ok()
}

/// The refusal for a record outside the session's provinces, if it is.
pub(super) fn outside(s: &AppState, session: &Session, record: RecordRef<'_>) -> Option<Response> {
    if let RecordRef::Submission(sub) = record
        && !session.caller.sees_report_of(sub.unit.as_ref())
    {
        let text = match session.lang {
            Lang::Vi => {
                "Báo cáo này là của đơn vị khác: tài khoản của đơn vị chỉ xem và gửi báo cáo của đơn vị mình."
            }
            Lang::En => {
                "This report is another unit's: a unit's sign-in sees and sends only its own unit's reports."
            }
        };
        return Some(forbidden(s, session, text));
    }
    crate::records::within_provinces(&session.caller, record)
        .err()
        .map(|p| forbidden(s, session, &outside_province(&p, session.lang)))
}

/// Why a record outside the user's provinces is refused, in the interface's language (the
/// API's own wording, which names the token, the provinces and the record, beside it).
pub(super) fn outside_province(problem: &Problem, lang: Lang) -> String {
    let detail = match problem.refusal() {
        Some((actor, r)) => danvan_i18n::names::refusal(lang, actor, r),
        None => problem.detail.clone(),
    };
    refused_as(&detail, lang)
}

/// The sentence of a refusal for another province's record, `detail` saying why.
pub(super) fn refused_as(detail: &str, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!(
            "Bản ghi này ngoài phạm vi tỉnh, thành phố của tài khoản nên không được ghi ({detail})."
        ),
        Lang::En => format!("This record is outside the sign-in's provinces ({detail})."),
    }
}

#[derive(Deserialize)]
pub(crate) struct SavedParams {
    saved: Option<String>,
}

pub(crate) async fn record(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path((kind, id)): Path<(String, String)>,
    Query(p): Query<SavedParams>,
) -> Response {
    let (kind, id) = match target(&s, &session, &kind, &id) {
        Ok(t) => t,
        Err(r) => return r,
    };
    record_page(
        &s,
        &session,
        kind,
        id,
        p.saved.is_some(),
        None,
        StatusCode::OK,
    )
    .await
}

/// A review form sent back with its problems: (milestone, problems, what was typed).
type HeldForm = (usize, Vec<String>, HashMap<String, String>);

/// A directive's review (sơ kết, tổng kết) as its page shows it, with the form that records
/// it held.
#[derive(Serialize)]
struct MilestoneView {
    index: usize,
    line: String,
    held: Option<String>,
    errors: Vec<String>,
    values: HashMap<String, String>,
}

/// The reviews of a directive's JSON.
fn milestone_views(value: &Value, form: Option<&HeldForm>, lang: Lang) -> Vec<MilestoneView> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    value["milestones"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .enumerate()
                .map(|(index, m)| {
                    let due = m["due"].as_str().unwrap_or_default();
                    let label = m["label"].as_str().unwrap_or_default();
                    let held = m.get("held").map(|h| {
                        let on = h["on"].as_str().map(|d| {
                            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_or_else(
                                |_| d.to_string(),
                                |d| d.format("%d/%m/%Y").to_string(),
                            )
                        });
                        let unknown = (h["date_unknown"] == Value::Bool(true))
                            .then(|| i18n::word("date-not-known", lang));
                        [
                            on.or(unknown),
                            text(&h["by"]),
                            text(&h["conference"]),
                            text(&h["document"]["number"]),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ")
                    });
                    let (errors, values) = match form {
                        Some((i, e, v)) if *i == index => (e.clone(), v.clone()),
                        _ => (Vec::new(), HashMap::new()),
                    };
                    MilestoneView {
                        index,
                        line: format!("{label}: {due}"),
                        held,
                        errors,
                        values,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A record's page: its fields, a directive's reviews, its history.
async fn record_page(
    s: &AppState,
    session: &Session,
    kind: RecordKind,
    id: danvan_core::id::RecordId,
    saved: bool,
    held_form: Option<HeldForm>,
    status: StatusCode,
) -> Response {
    let probe = id.clone();
    let lang = session.lang;
    let found = store(s, move |st| {
        Ok(match st.get(kind, &probe)? {
            Some(stored) => {
                // A submission's page shows the unit's figures beside the previous period's,
                // under a title in words.
                let (figures, title) = match &stored.record {
                    AnyRecord::Submission(sub) => (
                        super::submission::figure_rows(st, sub, lang)?,
                        super::submission::submission_title(st, sub, lang)?,
                    ),
                    other => (Vec::new(), other.as_ref().title()),
                };
                Some((stored.clone(), st.history(kind, &probe)?, (figures, title)))
            }
            None => None,
        })
    })
    .await;
    let (stored, history, (figures, title)) = match found {
        Ok(Some(x)) => x,
        Ok(None) => return not_found(s, session, &no_record(kind, &id, session.lang)),
        Err(r) => return r,
    };
    if let Some(r) = outside(s, session, stored.record.as_ref()) {
        return r;
    }
    let value = crate::records::record_value(&stored.record).unwrap_or(Value::Null);
    let fields: Vec<ShownField> = form::shown(kind, &value, session.lang)
        .into_iter()
        .map(|(label, value)| ShownField { label, value })
        .collect();
    s.web.page(
        status,
        "record.html",
        context! {
            lang => session.lang.tag(),
            me => me(session),
            nav => kinds_nav(session.lang),
            kind => kind.plural(),
            id => id.as_str(),
            title,
            revision => stored.revision,
            fields,
            milestones => milestone_views(&value, held_form.as_ref(), session.lang),
            figures,
            json => serde_json::to_string_pretty(&value).unwrap_or_default(),
            history => history_rows(&history, kind, session.lang),
            may_edit => may_change(session, stored.record.as_ref()),
            steps => next_steps(session, stored.record.as_ref()),
            original => match &stored.record {
                AnyRecord::Submission(sub) => sub.original.as_ref().map(|a| {
                    format!(
                        "{} ({} KB)",
                        a.file_name,
                        danvan_core::number::format_count(a.size.div_ceil(1024))
                    )
                }),
                _ => None,
            },
            saved,
        },
    )
}

/// The cycle's steps `session` may take on `record` now, by name: those that follow from the
/// submission's state, and of them only sending for a unit's user or a clerk.
fn next_steps(session: &Session, record: RecordRef<'_>) -> Vec<&'static str> {
    let RecordRef::Submission(sub) = record else {
        return Vec::new();
    };
    if !may_change(session, record) {
        return Vec::new();
    }
    sub.state
        .next_steps()
        .iter()
        .filter(|a| session.user.as_ref().is_none_or(|u| u.may_take(**a)))
        .map(|a| a.name())
        .collect()
}

/// The `held` object a review form describes, or its problems in the interface's language.
fn held_from_form(form: &HashMap<String, String>, lang: Lang) -> Result<Value, Vec<String>> {
    let given = |name: &str| form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut problems: Vec<String> = Vec::new();
    let conference = match given("conference").map(danvan_core::id::RecordId::new) {
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => {
            problems.push(format!("{}: {e}", i18n::word("conference", lang)));
            None
        }
        None => None,
    };
    let held = danvan_entry::Held {
        on: given("on"),
        by: given("by"),
        conference: conference.as_ref(),
        evidence: given("evidence"),
        source: given("source"),
        date_unknown: given("date_unknown").is_some(),
        findings: form
            .get("findings")
            .map(|f| f.lines().collect())
            .unwrap_or_default(),
    };
    match held.to_json() {
        Ok(h) if problems.is_empty() => Ok(h),
        Ok(_) => Err(problems),
        Err(p) => {
            problems.extend(p.iter().map(|p| {
                // The form's own label for the field (the CLI's message names its flag).
                let label = match p.flag.trim_start_matches("--") {
                    "on" => i18n::word("held-on-a-day-or-the", lang),
                    "date-unknown" => i18n::word("the-source-gives-no-date", lang),
                    "evidence" => i18n::word("the-document-that-records-it", lang),
                    "conference" => i18n::word("at-the-conference-its-id", lang),
                    other => other.to_string(),
                };
                i18n::message(&format!("{label}: {}", p.message), lang)
            }));
            Err(problems)
        }
    }
}

/// Records a directive's review as held: when, by whom, at which conference, the document
/// that records it (as `danvan directive review-held` does).
pub(crate) async fn review_held(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path((id, index)): Path<(String, usize)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !csrf_ok(&session, &form) {
        return csrf_refused(&s, &session);
    }
    let kind = RecordKind::Directive;
    let Ok(id) = danvan_core::id::RecordId::new(&id) else {
        return not_found(&s, &session, &i18n::word("record-not-found", session.lang));
    };
    let stored = match stored(&s, &session, kind, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if let Some(r) = unchangeable(&s, &session, stored.record.as_ref()) {
        return r;
    }
    let mut value = crate::records::record_value(&stored.record).unwrap_or(Value::Null);
    let exists = value["milestones"].get(index).is_some();
    let mut problems: Vec<String> = Vec::new();
    match held_from_form(&form, session.lang) {
        Ok(h) if exists => value["milestones"][index]["held"] = h,
        Ok(_) => {}
        Err(p) => problems = p,
    }
    if !exists {
        return not_found(&s, &session, &i18n::word("review-not-found", session.lang));
    }
    let revision = form
        .get("revision")
        .and_then(|r| r.parse::<u64>().ok())
        .unwrap_or(stored.revision);
    if problems.is_empty() {
        let author = session.caller.author(None);
        let record = crate::records::to_record(kind, value);
        let written = match record {
            Ok(record) => s
                .writing(move |st| st.put_by(record, Expected::Revision(revision), &author))
                .await
                .map(|_| ()),
            Err(p) => Err(p),
        };
        match written {
            Ok(()) => {
                return see_other(&format!("/app/directives/{}?saved=1", encode(id.as_str())));
            }
            Err(p) if p.kind() == Some(crate::problem::Kind::Changed) => problems.push(
                i18n::word("someone-changed-this-record-while-you", session.lang)
                    .trim_end_matches(':')
                    .to_string(),
            ),
            Err(p) if p.kind() == Some(crate::problem::Kind::Forbidden) => {
                problems.push(outside_province(&p, session.lang));
            }
            Err(p) => {
                problems.push(p.detail.clone());
                problems.extend(
                    p.errors
                        .iter()
                        .map(|e| format!("{}: {}", e.field, e.message)),
                );
            }
        }
    }
    record_page(
        &s,
        &session,
        kind,
        id,
        false,
        Some((index, problems, form)),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The form page: a new record, or an existing one at `revision`.
#[allow(clippy::too_many_arguments)]
fn form_page(
    s: &AppState,
    session: &Session,
    status: StatusCode,
    kind: RecordKind,
    id: Option<&str>,
    revision: Option<u64>,
    inputs: Vec<form::Input>,
    notice: Option<(String, Vec<String>)>,
    reason: &str,
) -> Response {
    let problems = inputs.iter().any(|i| !i.errors.is_empty());
    s.web.page(
        status,
        "form.html",
        context! {
            lang => session.lang.tag(),
            me => me(session),
            nav => kinds_nav(session.lang),
            kind => kind.plural(),
            kind_name => kind_name(kind, session.lang),
            id,
            revision,
            inputs,
            problems,
            notice,
            reason,
        },
    )
}

pub(crate) async fn new_form(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path(kind): Path<String>,
) -> Response {
    let Some(kind) = kind_of(&kind) else {
        return not_found(&s, &session, &i18n::word("page-not-found", session.lang));
    };
    if !session.may_write() {
        return read_only(&s, &session);
    }
    let mut base = serde_json::json!({});
    if let Some(p) = home_province(&session)
        && danvan_entry::fields(kind)
            .iter()
            .any(|f| f.json == "province")
    {
        base["province"] = Value::String(p);
    }
    let inputs = form::inputs(kind, &base, session.lang, false);
    form_page(
        &s,
        &session,
        StatusCode::OK,
        kind,
        None,
        None,
        inputs,
        None,
        "",
    )
}

pub(crate) async fn edit_form(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path((kind, id)): Path<(String, String)>,
) -> Response {
    let (kind, id) = match target(&s, &session, &kind, &id) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let stored = match stored(&s, &session, kind, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if let Some(r) = unchangeable(&s, &session, stored.record.as_ref()) {
        return r;
    }
    let value = crate::records::record_value(&stored.record).unwrap_or(Value::Null);
    let inputs = form::inputs(kind, &value, session.lang, true);
    form_page(
        &s,
        &session,
        StatusCode::OK,
        kind,
        Some(id.as_str()),
        Some(stored.revision),
        inputs,
        None,
        "",
    )
}

pub(crate) async fn create(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path(kind): Path<String>,
    Form(submitted): Form<HashMap<String, String>>,
) -> Response {
    let Some(kind) = kind_of(&kind) else {
        return not_found(&s, &session, &i18n::word("page-not-found", session.lang));
    };
    save(s, session, kind, None, submitted).await
}

pub(crate) async fn update(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path((kind, id)): Path<(String, String)>,
    Form(submitted): Form<HashMap<String, String>>,
) -> Response {
    let (kind, id) = match target(&s, &session, &kind, &id) {
        Ok(t) => t,
        Err(r) => return r,
    };
    save(s, session, kind, Some(id), submitted).await
}

/// Creates (`id` none) or replaces a record from a submitted form.
async fn save(
    s: AppState,
    session: Session,
    kind: RecordKind,
    id: Option<danvan_core::id::RecordId>,
    submitted: HashMap<String, String>,
) -> Response {
    if !csrf_ok(&session, &submitted) {
        return csrf_refused(&s, &session);
    }
    if !session.may_write() {
        return read_only(&s, &session);
    }
    let reason = submitted.get("reason").map_or("", |r| r.trim()).to_string();
    // The record as the form was drawn from it: the revision it showed.
    let (base, expected, stored_record) = match &id {
        None => (serde_json::json!({}), Expected::Absent, None),
        Some(id) => {
            let stored = match stored(&s, &session, kind, id).await {
                Ok(x) => x,
                Err(r) => return r,
            };
            if let Some(r) = outside(&s, &session, stored.record.as_ref()) {
                return r;
            }
            let shown = submitted
                .get("revision")
                .and_then(|r| r.parse::<u64>().ok())
                .unwrap_or(stored.revision);
            let value = crate::records::record_value(&stored.record).unwrap_or(Value::Null);
            (value, Expected::Revision(shown), Some(stored.record))
        }
    };
    let existing = id.is_some();
    let record: AnyRecord = match form::read(kind, &base, &submitted, session.lang, existing) {
        Read::Record(r) => *r,
        Read::Problems(inputs) => {
            return form_page(
                &s,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                kind,
                id.as_ref().map(|i| i.as_str()),
                match expected {
                    Expected::Revision(r) => Some(r),
                    _ => None,
                },
                inputs,
                None,
                &reason,
            );
        }
    };
    if let Some(r) = outside(&s, &session, record.as_ref()) {
        return r;
    }
    drop(stored_record);
    // The ID left empty on a new record's form: made on saving.
    let made = !existing && submitted.get("id").is_none_or(|v| v.trim().is_empty());
    let mut record_id = record.id().clone();
    let author = session
        .caller
        .author((!reason.is_empty()).then(|| reason.clone()));
    // A new directive's citation as typed: a document it carries out ("… thực hiện Kết luận
    // số 120-KL/TW …") is recorded and linked with it, never absorbed.
    let cited = (!existing && kind == RecordKind::Directive)
        .then(|| submitted.get("number").cloned())
        .flatten();
    let written = s
        .writing(move |st| {
            let mut record = record;
            if made {
                record.set_id(danvan_store::made_id(st, &record)?);
            }
            let id = record.id().clone();
            match expected {
                Expected::Absent => danvan_store::put_citing(st, record, cited.as_deref(), &author),
                _ => st.put_by(record, expected, &author),
            }
            .map(|_| id)
        })
        .await;
    let problem: Problem = match written {
        Ok(id) => {
            record_id = id;
            return see_other(&format!(
                "/app/{}/{}?saved=1",
                kind.plural(),
                encode(record_id.as_str())
            ));
        }
        Err(p) => p,
    };
    let shown_revision = match expected {
        Expected::Revision(r) => Some(r),
        _ => None,
    };
    let sub = Submission {
        s: &s,
        session: &session,
        kind,
        id: id.as_ref().map(|i| i.as_str()),
        submitted: &submitted,
        base: &base,
        reason: &reason,
    };
    sub.refused(problem, shown_revision, record_id).await
}

/// A submitted form, to draw again after a refusal.
struct Submission<'a> {
    s: &'a AppState,
    session: &'a Session,
    kind: RecordKind,
    /// The record's ID when it existed before.
    id: Option<&'a str>,
    submitted: &'a HashMap<String, String>,
    base: &'a Value,
    reason: &'a str,
}

impl Submission<'_> {
    /// The form again, with what was typed, each problem beside its input, and a notice.
    fn redraw(
        &self,
        status: StatusCode,
        revision: Option<u64>,
        errors: HashMap<String, Vec<String>>,
        notice: Option<(String, Vec<String>)>,
    ) -> Response {
        let inputs = form::with_errors(
            self.kind,
            self.submitted,
            self.session.lang,
            self.id.is_some(),
            self.base,
            errors,
        );
        form_page(
            self.s,
            self.session,
            status,
            self.kind,
            self.id,
            revision,
            inputs,
            notice,
            self.reason,
        )
    }

    /// The answer to a write the store refused.
    async fn refused(
        &self,
        problem: Problem,
        shown_revision: Option<u64>,
        record_id: danvan_core::id::RecordId,
    ) -> Response {
        let kind = self.kind;
        if problem.kind() == Some(crate::problem::Kind::AlreadyExists) {
            // A new record whose ID is taken.
            let mut errors = HashMap::new();
            let name = kind_name(kind, self.session.lang);
            let message = match self.session.lang {
                Lang::Vi => format!(
                    "Mã {record_id} đã có trong mục {name}: chọn mã khác, hoặc sửa bản ghi đó"
                ),
                Lang::En => {
                    format!("{name} already holds {record_id}: choose another ID, or edit that one")
                }
            };
            errors.insert("id".to_string(), vec![message]);
            return self.redraw(StatusCode::CONFLICT, None, errors, None);
        }
        if problem.kind() == Some(crate::problem::Kind::Changed) {
            // Someone else saved first: say what changed since the form was drawn, keep what
            // was typed, and offer the current revision.
            let probe = record_id.clone();
            let now = store(self.s, move |st| {
                Ok((
                    st.get(kind, &probe)?.map(|x| x.revision),
                    st.history(kind, &probe)?,
                ))
            })
            .await;
            let (current, history) = match now {
                Ok(x) => x,
                Err(r) => return r,
            };
            let since = shown_revision.unwrap_or(0);
            let changes: Vec<String> = history_rows(&history, kind, self.session.lang)
                .into_iter()
                .filter(|h| h.revision > since)
                .flat_map(|h| {
                    let who = h.actor.clone();
                    h.changes.into_iter().map(move |c| format!("{c} ({who})"))
                })
                .collect();
            let title = i18n::word("someone-changed-this-record-while-you", self.session.lang);
            return self.redraw(
                StatusCode::CONFLICT,
                current.or(shown_revision),
                HashMap::new(),
                Some((title, changes)),
            );
        }
        if problem.kind() == Some(crate::problem::Kind::Forbidden) {
            // The record, as stored or as typed, or a record it would newly refer to, is
            // another province's: the store refused it as it committed.
            let why = outside_province(&problem, self.session.lang);
            return self.redraw(
                StatusCode::FORBIDDEN,
                shown_revision,
                HashMap::new(),
                Some((why, Vec::new())),
            );
        }
        if !problem.errors.is_empty() {
            let mut errors: HashMap<String, Vec<String>> = HashMap::new();
            for e in problem.errors.iter().filter(|e| e.severity == "error") {
                errors
                    .entry(form::input_of(kind, &e.field))
                    .or_default()
                    .push(i18n::message(&e.message, self.session.lang));
            }
            return self.redraw(
                StatusCode::UNPROCESSABLE_ENTITY,
                shown_revision,
                errors,
                None,
            );
        }
        problem.into_response()
    }
}

#[derive(Deserialize)]
pub(crate) struct ReportPageParams {
    period: Option<String>,
    province: Option<String>,
    lang: Option<String>,
}

pub(crate) async fn reports(
    State(s): State<AppState>,
    Signed(session): Signed,
    Query(p): Query<ReportPageParams>,
) -> Response {
    let today = s.today();
    let default_period = half_year(today)
        .previous()
        .unwrap_or_else(|| half_year(today));
    let period = p.period.clone().unwrap_or_else(|| default_period.id());
    let province = chosen_province(&session, p.province.clone());
    let report_lang = p
        .lang
        .clone()
        .unwrap_or_else(|| session.lang.tag().to_string());
    let query = format!(
        "period={}&province={}&lang={}",
        encode(&period),
        encode(province.as_deref().unwrap_or("")),
        encode(&report_lang)
    );
    let provinces = choosable(&session, s.today());
    s.web.page(
        StatusCode::OK,
        "report.html",
        context! {
            lang => session.lang.tag(),
            me => me(&session),
            nav => kinds_nav(session.lang),
            period,
            province => province.unwrap_or_default(),
            report_lang,
            provinces,
            national => session.caller.provinces().is_none(),
            query,
            shown => p.period.is_some(),
        },
    )
}

#[derive(Deserialize)]
pub(crate) struct ReportFileParams {
    period: String,
    province: Option<String>,
    lang: Option<String>,
    format: Option<String>,
}

/// A report file for the session: the API's report, kept to the user's provinces.
pub(crate) async fn report_file(
    State(s): State<AppState>,
    Signed(session): Signed,
    Query(p): Query<ReportFileParams>,
) -> Response {
    let province = p.province.filter(|x| !x.is_empty());
    if let (Some(own), requested) = (&session.caller.provinces(), &province)
        && !requested
            .as_ref()
            .is_some_and(|r| own.iter().any(|o| o == r))
    {
        return forbidden(
            &s,
            &session,
            "This sign-in makes reports of its own provinces only.",
        );
    }
    let params = crate::routes::ReportParams::for_web(p.period, province, p.lang, p.format);
    let caller = axum::Extension(session.caller.clone());
    match crate::routes::report(State(s), caller, crate::extract::Params(params)).await {
        Ok(r) => r,
        Err(problem) => problem.into_response(),
    }
}
