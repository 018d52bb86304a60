//! The reporting cycle in the web app: how a period's owed reports stand (the leader's and the
//! clerk's inbox, with a button to begin one), and the steps on a submission's page — send,
//! return with a reason, approve, unlock — each through `danvan_store::cycle`, the path the
//! CLI and the API take.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use danvan_core::cycle::{Action, Standing};
use danvan_core::id::RecordId;
use danvan_core::period::Period;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::page::{
    csrf_ok, csrf_refused, encode, home_province, kinds_nav, me, message, read_only, see_other,
};
use super::session::Lang;
use super::{Signed, i18n};
use crate::AppState;

#[derive(Deserialize)]
pub(crate) struct CompletenessParams {
    period: Option<String>,
    province: Option<String>,
}

/// One owed report as the page shows it.
#[derive(Serialize)]
struct LineView {
    name: String,
    standing: String,
    late: bool,
    approved: bool,
    due: String,
    submission: Option<String>,
    form: String,
    unit: Option<String>,
}

/// `/app/completeness`: every report owed for a period to the user's board (or, nationally,
/// everywhere), how each stands today, and a button to begin the ones not begun.
pub(crate) async fn completeness(
    State(s): State<AppState>,
    Signed(session): Signed,
    Query(p): Query<CompletenessParams>,
) -> Response {
    let today = s.today();
    let period = match p.period.as_deref().map(|t| Period::parse(t, None)) {
        Some(Ok(period)) => period,
        Some(Err(e)) => {
            return message(
                &s,
                &session,
                StatusCode::BAD_REQUEST,
                "not-found",
                &e.to_string(),
            );
        }
        // The half-year under way.
        None => super::page::half_year(today),
    };
    let province = p.province.clone().or_else(|| home_province(&session));
    let asked = province.clone();
    let lines = match s
        .blocking(move |st| danvan_store::cycle::completeness(st, asked.as_deref(), period, today))
        .await
    {
        Ok(l) => l,
        Err(f) => return super::page::failed(&s, &session, &f),
    };
    let lines: Vec<_> = lines
        .into_iter()
        .filter(|l| {
            session.caller.reads.may_read_province(Some(&l.province))
                && session.caller.sees_report_of(l.unit.as_ref())
        })
        .collect();
    let sent = lines
        .iter()
        .filter(|l| matches!(l.standing, Standing::OnTime | Standing::Late))
        .count();
    let approved = lines.iter().filter(|l| l.approved).count();
    let views: Vec<LineView> = lines
        .iter()
        .map(|l| LineView {
            name: l.name.clone(),
            standing: match session.lang {
                Lang::Vi => l.standing.name_vi().to_string(),
                Lang::En => format!("{:?}", l.standing),
            },
            late: matches!(
                l.standing,
                Standing::Overdue | Standing::Late | Standing::Returned
            ),
            approved: l.approved,
            due: l.due.format("%d/%m/%Y").to_string(),
            submission: l.submission.as_ref().map(|i| i.to_string()),
            form: l.form.to_string(),
            unit: l.unit.as_ref().map(|u| u.to_string()),
        })
        .collect();
    let lang = session.lang;
    let title = danvan_i18n::tr!(
        lang,
        "completeness-title",
        period = danvan_i18n::names::period(lang, &period)
    );
    let summary = danvan_i18n::tr!(
        lang,
        "web-completeness-summary",
        sent = sent,
        owed = lines.len(),
        approved = approved,
        day = match lang {
            Lang::Vi => today.format("%d/%m/%Y").to_string(),
            Lang::En => today.format("%d %B %Y").to_string(),
        }
    );
    s.web.page(
        StatusCode::OK,
        "completeness.html",
        context! {
            lang => session.lang.tag(),
            me => me(&session),
            nav => kinds_nav(session.lang),
            title,
            summary,
            period => period.to_string(),
            lines => views,
            may_write => session.may_write(),
        },
    )
}

/// `POST /app/forms/{form}/begin`: begins a unit's report, then shows it.
pub(crate) async fn begin(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path(form): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !csrf_ok(&session, &f) {
        return csrf_refused(&s, &session);
    }
    if !session.may_write() {
        return read_only(&s, &session);
    }
    let (Ok(form), Some(Ok(period))) = (
        form.parse::<RecordId>(),
        f.get("period").map(|p| Period::parse(p, None)),
    ) else {
        return message(
            &s,
            &session,
            StatusCode::BAD_REQUEST,
            "not-found",
            "form or period",
        );
    };
    let unit = f.get("unit").and_then(|u| u.parse::<RecordId>().ok());
    let province = f.get("province").cloned();
    let author = session.caller.author(None);
    let done = s
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
        .await;
    match done {
        Ok(receipt) => match receipt.changes.first() {
            Some(c) => see_other(&format!("/app/submissions/{}", encode(c.id.as_str()))),
            None => see_other("/app/completeness"),
        },
        Err(p) => refused(&s, &session, p),
    }
}

/// `POST /app/submissions/{id}/step`: send, return, approve or unlock, with the reason and
/// the revision the page showed.
pub(crate) async fn step(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !csrf_ok(&session, &f) {
        return csrf_refused(&s, &session);
    }
    if !session.may_write() {
        return read_only(&s, &session);
    }
    let Some(action) = f.get("action").and_then(|a| Action::from_name(a)) else {
        return message(
            &s,
            &session,
            StatusCode::BAD_REQUEST,
            "not-found",
            &i18n::word("unknown-step", session.lang),
        );
    };
    if let Some(user) = &session.user
        && !user.may_take(action)
    {
        let text = danvan_i18n::tr!(
            session.lang,
            "cycle-role-may-not",
            login = user.login.as_str(),
            role = session.lang.pick(user.role.name_vi(), user.role.name_en())
        );
        return super::page::forbidden(&s, &session, &text);
    }
    let Ok(id) = id.parse::<RecordId>() else {
        return message(
            &s,
            &session,
            StatusCode::NOT_FOUND,
            "not-found",
            "submission",
        );
    };
    let reason = f
        .get("reason")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let revision = f.get("revision").and_then(|r| r.parse::<u64>().ok());
    let author = session.caller.author(reason.clone());
    let at = chrono::Utc::now().naive_utc();
    let sub = id.clone();
    let done = s
        .writing(move |st| {
            danvan_store::cycle::step(st, &sub, action, reason.as_deref(), at, revision, &author)
        })
        .await;
    match done {
        Ok(_) => see_other(&format!("/app/submissions/{}?saved=1", encode(id.as_str()))),
        Err(p) => refused(&s, &session, p),
    }
}

/// The submission a form posted to `id` may change: the form carries the session's CSRF
/// token (`csrf_ok`), the session may write, and `id` is an ID; or the refusal page.
#[allow(clippy::result_large_err)] // the error is the page itself
fn writable(
    s: &AppState,
    session: &super::session::Session,
    csrf_ok: bool,
    id: &str,
) -> Result<RecordId, Response> {
    if !csrf_ok {
        return Err(csrf_refused(s, session));
    }
    if !session.may_write() {
        return Err(read_only(s, session));
    }
    id.parse::<RecordId>().map_err(|_| {
        message(
            s,
            session,
            StatusCode::NOT_FOUND,
            "not-found",
            &i18n::word("submission-not-found", session.lang),
        )
    })
}

/// A refused begin or step: every problem, in the interface's language.
fn refused(
    s: &AppState,
    session: &super::session::Session,
    failure: danvan_http::service::Failure,
) -> Response {
    let Some(danvan_store::StoreError::Invalid { problems }) = failure.store() else {
        return super::page::failed(s, session, &failure);
    };
    let lines: Vec<String> = problems
        .iter()
        .filter(|p| p.is_error())
        .map(|e| {
            // The field by the label its form shows; a figure's or a section's message names
            // the indicator or the section itself.
            let label =
                danvan_entry::field(danvan_core::record_kind::RecordKind::Submission, &e.field)
                    .filter(|_| {
                        !e.field.starts_with("figures.") && !e.field.starts_with("sections.")
                    });
            let at = match (label, session.lang) {
                (Some(f), super::session::Lang::Vi) => format!("{}: ", f.vi),
                (Some(f), super::session::Lang::En) => format!("{}: ", f.json.replace('_', " ")),
                (None, _) => String::new(),
            };
            format!("{at}{}", i18n::message(&e.message, session.lang))
        })
        .collect();
    message(
        s,
        session,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not-saved",
        &lines.join(" · "),
    )
}

/// One waiting report as the queue shows it.
#[derive(Serialize)]
struct WaitingView {
    submission: String,
    name: String,
    form: String,
    period: String,
    sent: String,
    by: String,
    late: bool,
    resent: bool,
}

/// `/app/queue`: the reports sent to the user's board and waiting for it to return or approve,
/// oldest first, each a link to its page (this period's figures beside the previous period's).
pub(crate) async fn queue(State(s): State<AppState>, Signed(session): Signed) -> Response {
    if session.caller.unit.is_some() {
        let text = i18n::word("queue-not-for-units", session.lang);
        return super::page::forbidden(&s, &session, &text);
    }
    let province = home_province(&session);
    let waiting = match s
        .blocking(move |st| danvan_store::cycle::queue(st, province.as_deref()))
        .await
    {
        Ok(w) => w,
        Err(f) => return super::page::failed(&s, &session, &f),
    };
    let lang = session.lang;
    let views: Vec<WaitingView> = waiting
        .into_iter()
        .filter(|w| session.caller.reads.may_read_province(Some(&w.province)))
        .map(|w| WaitingView {
            submission: w.submission.to_string(),
            name: w.name,
            form: w.form_name,
            period: match lang {
                Lang::Vi => w.period.to_vietnamese(),
                Lang::En => w.period.to_english(),
            },
            sent: danvan_core::date::vietnam_time(w.sent_at)
                .format("%H:%M %d/%m/%Y")
                .to_string(),
            by: w.sent_by,
            late: w.late,
            resent: w.resent,
        })
        .collect();
    let summary = match (lang, views.len()) {
        (Lang::Vi, 0) => "Không có báo cáo nào chờ duyệt.".to_string(),
        (Lang::Vi, n) => format!("{n} báo cáo chờ duyệt, gửi sớm nhất ở trên."),
        (Lang::En, 0) => "No report is waiting.".to_string(),
        (Lang::En, n) => format!("{n} report(s) waiting, the earliest sent first."),
    };
    s.web.page(
        StatusCode::OK,
        "queue.html",
        context! {
            lang => lang.tag(),
            me => me(&session),
            nav => kinds_nav(lang),
            summary,
            items => views,
        },
    )
}

/// `POST /app/submissions/{id}/figures`: the entry grid — each asked indicator's figure as
/// typed (`figure.{code}.value`, or `.numerator` and `.denominator` for a ratio), read as
/// offices write numbers ("1.272"), written in one revision by `danvan_store::cycle::
/// enter_figures`; a number that cannot be read is named with its indicator and nothing is
/// written.
pub(crate) async fn figures(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let id = match writable(&s, &session, csrf_ok(&session, &f), &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let (entries, problems) = entered(&f, session.lang);
    if !problems.is_empty() {
        return message(
            &s,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            "not-saved",
            &problems.join(" · "),
        );
    }
    let author = session.caller.author(None);
    let sub = id.clone();
    let done = s
        .writing(move |st| danvan_store::cycle::enter_figures(st, &sub, &entries, &author))
        .await;
    match done {
        Ok(_) => see_other(&format!("/app/submissions/{}?saved=1", encode(id.as_str()))),
        Err(p) => refused(&s, &session, p),
    }
}

/// The figures a grid form holds, and what in it cannot be read (naming the indicator and the
/// box, in the interface's language).
fn entered(
    f: &HashMap<String, String>,
    lang: Lang,
) -> (Vec<danvan_store::cycle::Entered>, Vec<String>) {
    let mut by_code: std::collections::BTreeMap<&str, danvan_store::cycle::Entered> =
        std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    for (key, text) in f {
        let Some((code, part)) = key
            .strip_prefix("figure.")
            .and_then(|rest| rest.rsplit_once('.'))
        else {
            continue;
        };
        let text = text.trim();
        let Ok(indicator) = code.parse::<RecordId>() else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let name = danvan_core::indicator::builtin(code).map_or_else(
            || code.to_string(),
            |d| match lang {
                Lang::Vi => d.name_vi.to_string(),
                Lang::En => d.name_en.to_string(),
            },
        );
        let e = by_code
            .entry(code)
            .or_insert_with(|| danvan_store::cycle::Entered {
                indicator,
                value: None,
                numerator: None,
                denominator: None,
            });
        let (label_vi, label_en) = match part {
            "numerator" => ("Tử số", "Numerator"),
            "denominator" => ("Mẫu số", "Denominator"),
            _ => ("Giá trị", "Value"),
        };
        let label = match lang {
            Lang::Vi => label_vi,
            Lang::En => label_en,
        };
        let read = match part {
            "numerator" | "denominator" => danvan_entry::count(text).map(|n| {
                if part == "numerator" {
                    e.numerator = Some(n);
                } else {
                    e.denominator = Some(n);
                }
            }),
            _ => danvan_core::number::Decimal::parse(
                text.trim_end_matches('%').trim(),
                danvan_core::number::Convention::Vietnamese,
            )
            .map(|d| e.value = Some(d))
            .map_err(|_| "is not a number; write it as 98,66 or 98.66".to_string()),
        };
        if let Err(why) = read {
            problems.push(format!(
                "{name} — {label}: “{text}” {}",
                i18n::message(&why, lang)
            ));
        }
    }
    problems.sort();
    (by_code.into_values().collect(), problems)
}

/// `POST /app/submissions/{id}/original` (a file upload): attaches the unit's signed original,
/// a PDF or a DOCX, through `danvan_store::cycle::attach`.
pub(crate) async fn attach(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path(id): Path<String>,
    multipart: axum::extract::Multipart,
) -> Response {
    let u = match super::import::upload(multipart).await {
        Ok(u) => u,
        Err(e) => return message(&s, &session, StatusCode::BAD_REQUEST, "not-saved", &e),
    };
    let id = match writable(&s, &session, session.csrf_matches(&u.csrf), &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let author = session.caller.author(None);
    let sub = id.clone();
    let done = s
        .writing(move |st| danvan_store::cycle::attach(st, &sub, &u.file, &u.bytes, &author))
        .await;
    match done {
        Ok(_) => see_other(&format!("/app/submissions/{}?saved=1", encode(id.as_str()))),
        Err(p) => refused(&s, &session, p),
    }
}

/// `GET /app/submissions/{id}/original`: the signed original, for those who may see the report.
pub(crate) async fn original(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<RecordId>() else {
        return message(
            &s,
            &session,
            StatusCode::NOT_FOUND,
            "not-found",
            "submission",
        );
    };
    let sub = id.clone();
    let found = s
        .blocking(move |st| {
            let record = st.get(danvan_core::record_kind::RecordKind::Submission, &sub)?;
            Ok(match record {
                Some(r) => Some((r.record, danvan_store::cycle::original(st, &sub)?)),
                None => None,
            })
        })
        .await;
    let (record, original) = match found {
        Ok(Some(x)) => x,
        Ok(None) => {
            return message(
                &s,
                &session,
                StatusCode::NOT_FOUND,
                "not-found",
                id.as_str(),
            );
        }
        Err(f) => return super::page::failed(&s, &session, &f),
    };
    if let Some(r) = super::page::outside(&s, &session, record.as_ref()) {
        return r;
    }
    match original {
        Some((a, bytes)) => danvan_http::service::original_response(&a, bytes)
            .unwrap_or_else(axum::response::IntoResponse::into_response),
        None => message(
            &s,
            &session,
            StatusCode::NOT_FOUND,
            "not-found",
            id.as_str(),
        ),
    }
}
