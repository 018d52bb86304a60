//! Browsing: a kind's list with instant search, and a record's page with its history.

// A handler's early answer is a whole page (`Response`), returned once per request.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use danvan_core::dataset::{AnyRecord, RecordRef};
use danvan_core::record_kind::RecordKind;
use danvan_http::params::ListParams;
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::form::{self};
use super::page::*;
use super::session::{Lang, Session};
use super::{Signed, i18n};
use crate::AppState;

/// A kind's list: the API's list parameters (`ListParams`, one reader for both), with the web
/// app's defaults — periods by overlap, newest first, by relevance while searching — and held
/// to the user's provinces.
pub(crate) async fn list(
    State(s): State<AppState>,
    headers: HeaderMap,
    Signed(session): Signed,
    Path(kind): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let Some(kind) = kind_of(&kind) else {
        return not_found(&s, &session, &i18n::word("page-not-found", session.lang));
    };
    let mut p = match Query::<ListParams>::try_from_uri(&uri) {
        Ok(Query(p)) => p,
        Err(e) => {
            let why = format!(
                "{} ({})",
                i18n::word("unreadable-page-address", session.lang),
                e.body_text()
            );
            return refused_page(&s, &session, &why);
        }
    };
    // The search form sends its empty fields.
    for field in [&mut p.q, &mut p.province, &mut p.period, &mut p.cursor] {
        if field.as_deref().is_some_and(|v| v.trim().is_empty()) {
            *field = None;
        }
    }
    if let Some(r) = p
        .period
        .as_deref()
        .and_then(|x| period_refused(&s, &session, x))
    {
        return r;
    }
    // A province-bound user sees only their provinces.
    p.province = chosen_province(&session, p.province.take());
    let searching = p.q.is_some();
    if p.period.is_some() {
        p.matching.get_or_insert_with(|| "overlaps".into());
    }
    p.sort
        .get_or_insert_with(|| if searching { "relevance" } else { "date" }.into());
    if !searching {
        p.order.get_or_insert_with(|| "desc".into());
    }
    let query = match p.query(Some(kind), &session.caller.reads) {
        Ok(q) => q,
        Err(problem) => return refused_page(&s, &session, &problem.detail),
    };
    let province = p.province.clone();
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
pub(super) struct ShownField {
    label: String,
    value: String,
}

#[derive(Serialize)]
pub(super) struct HistoryRow {
    pub(super) revision: u64,
    at: String,
    pub(super) actor: String,
    reason: String,
    action: String,
    pub(super) changes: Vec<String>,
}

pub(super) fn history_rows(
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
pub(super) async fn titled_rows(
    s: &AppState,
    session: &Session,
    kind: RecordKind,
    query: danvan_store::Query,
) -> Result<(danvan_store::Page, Vec<RecordRow>), Response> {
    let lang = session.lang;
    let (page, titles) = store(s, session, move |st| {
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
pub(super) type HeldForm = (usize, Vec<String>, HashMap<String, String>);

/// A directive's review (sơ kết, tổng kết) as its page shows it, with the form that records
/// it held.
#[derive(Serialize)]
pub(super) struct MilestoneView {
    index: usize,
    line: String,
    held: Option<String>,
    errors: Vec<String>,
    values: HashMap<String, String>,
}

/// The reviews of a directive's JSON.
pub(super) fn milestone_views(
    value: &Value,
    form: Option<&HeldForm>,
    lang: Lang,
) -> Vec<MilestoneView> {
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
pub(super) async fn record_page(
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
    let found = store(s, session, move |st| {
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
    let value = stored.record.to_json().unwrap_or(Value::Null);
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
pub(super) fn next_steps(session: &Session, record: RecordRef<'_>) -> Vec<&'static str> {
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
