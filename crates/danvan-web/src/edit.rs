//! Editing: a kind's form, new or filled from a record, saved through the API's write path
//! (`Service::write`) and drawn again with each problem beside its field when refused; and a
//! directive's review recorded as held.

// A handler's early answer is a whole page (`Response`), returned once per request.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use danvan_core::dataset::AnyRecord;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Expected, Op, StoreError};
use minijinja::context;
use serde_json::Value;

use super::browse::{history_rows, record_page};
use super::form::{self, Read};
use super::page::*;
use super::session::{Lang, Session};
use super::{Signed, i18n};
use crate::AppState;
use danvan_http::service::{Failure, Write};

/// The review a form describes as held, or its problems in the interface's language.
pub(super) fn held_from_form(
    form: &HashMap<String, String>,
    lang: Lang,
) -> Result<danvan_core::directive::Held, Vec<String>> {
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
        Ok(h) if problems.is_empty() => serde_json::from_value(h).map_err(|e| vec![e.to_string()]),
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
    let AnyRecord::Directive(mut directive) = stored.record else {
        return not_found(&s, &session, &i18n::word("record-not-found", session.lang));
    };
    let exists = index < directive.milestones.len();
    let mut problems: Vec<String> = Vec::new();
    match held_from_form(&form, session.lang) {
        Ok(h) if exists => directive.milestones[index].held = Some(h),
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
        let write = Write::Change(Op::Put {
            record: AnyRecord::Directive(directive),
            expected: Expected::Revision(revision),
        });
        let author = session.caller.author(None);
        match s.write(&session.caller, author, write).await {
            Ok(_) => {
                return see_other(&format!("/app/directives/{}?saved=1", encode(id.as_str())));
            }
            Err(Failure::Store(StoreError::Conflict { .. })) => problems.push(
                i18n::word("someone-changed-this-record-while-you", session.lang)
                    .trim_end_matches(':')
                    .to_string(),
            ),
            Err(f) => problems.push(super::failure::words(&f, session.lang)),
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
pub(super) fn form_page(
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
    let value = stored.record.to_json().unwrap_or(Value::Null);
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
pub(super) async fn save(
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
            let value = stored.record.to_json().unwrap_or(Value::Null);
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
    let make_id = !existing && submitted.get("id").is_none_or(|v| v.trim().is_empty());
    let author = session
        .caller
        .author((!reason.is_empty()).then(|| reason.clone()));
    let record_id = record.id().clone();
    let write = match expected {
        // A new directive's citation as typed: a document it carries out ("… thực hiện Kết
        // luận số 120-KL/TW …") is recorded and linked with it, never absorbed.
        Expected::Absent => Write::Create {
            citing: (kind == RecordKind::Directive)
                .then(|| submitted.get("number").cloned())
                .flatten(),
            record,
            make_id,
        },
        _ => Write::Change(Op::Put { record, expected }),
    };
    let failure = match s.write(&session.caller, author, write).await {
        Ok(written) => {
            return see_other(&format!(
                "/app/{}/{}?saved=1",
                kind.plural(),
                encode(written.id.as_str())
            ));
        }
        Err(f) => f,
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
    sub.refused(failure, shown_revision, record_id).await
}

/// A submitted form, to draw again after a refusal.
pub(super) struct Submission<'a> {
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

    /// The answer to a write the store refused: the form again, with what was typed and why.
    async fn refused(
        &self,
        failure: Failure,
        shown_revision: Option<u64>,
        record_id: danvan_core::id::RecordId,
    ) -> Response {
        let kind = self.kind;
        let lang = self.session.lang;
        match failure.store() {
            Some(StoreError::RecordExists { .. }) => {
                // A new record whose ID is taken.
                let name = kind_name(kind, lang);
                let message = danvan_i18n::tr!(
                    lang,
                    "form-id-taken",
                    id = record_id.to_string(),
                    kind = name
                );
                let errors = HashMap::from([("id".to_string(), vec![message])]);
                self.redraw(StatusCode::CONFLICT, None, errors, None)
            }
            Some(StoreError::Conflict { .. }) => {
                self.changed_meanwhile(shown_revision, record_id).await
            }
            Some(StoreError::Forbidden { .. }) => {
                // The record, as stored or as typed, or a record it would newly refer to, is
                // another province's: the store refused it as it committed.
                let why = super::failure::words(&failure, lang);
                self.redraw(
                    StatusCode::FORBIDDEN,
                    shown_revision,
                    HashMap::new(),
                    Some((why, Vec::new())),
                )
            }
            Some(StoreError::Invalid { problems }) => {
                let mut errors: HashMap<String, Vec<String>> = HashMap::new();
                for p in problems.iter().filter(|p| p.is_error()) {
                    errors
                        .entry(form::input_of(kind, &p.field))
                        .or_default()
                        .push(i18n::message(&p.message, lang));
                }
                self.redraw(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    shown_revision,
                    errors,
                    None,
                )
            }
            _ => super::page::failed(self.s, self.session, &failure),
        }
    }

    /// Someone else saved first: say what changed since the form was drawn, keep what was
    /// typed, and offer the current revision.
    async fn changed_meanwhile(
        &self,
        shown_revision: Option<u64>,
        record_id: danvan_core::id::RecordId,
    ) -> Response {
        let kind = self.kind;
        let now = store(self.s, self.session, move |st| {
            Ok((
                st.get(kind, &record_id)?.map(|x| x.revision),
                st.history(kind, &record_id)?,
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
        self.redraw(
            StatusCode::CONFLICT,
            current.or(shown_revision),
            HashMap::new(),
            Some((title, changes)),
        )
    }
}
