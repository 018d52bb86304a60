//! The reporting cycle's writes and views on any store, the one path every front end takes:
//! begin a unit's submission of a form for a period ([`begin`]), move it — send, return,
//! approve, unlock ([`step`]) — how a period's owed submissions stand ([`completeness`]), and
//! what waits for a board to return or approve ([`queue`]).
//!
//! The rules are danvan-core's ([`danvan_core::cycle`]); what this adds is reading what they
//! need from the store (the form, the unit's figures of the period, the registry) and writing
//! the result guarded by the revision read, so that two approvers acting at once cannot both
//! win: the second is refused as changed since read. Locks are the store's own check, on every
//! write (the engine's plan).

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use danvan_core::cycle::{
    Action, Completeness, ReportForm, Standing, Submission, check_send, completeness as standing,
    owed,
};
use danvan_core::dataset::{AnyRecord, RecordRef};
use danvan_core::id::RecordId;
use danvan_core::indicator::Observation;
use danvan_core::period::{Period, Window};
use danvan_core::province::{ProvinceRef, registry};
use danvan_core::unit::Unit;
use danvan_core::validate::{Checker, Problem, RecordKind, has_errors};
use serde::Serialize;

use crate::api::{
    Author, Expected, PeriodFilter, PeriodMatch, ProvinceFilter, ProvinceMap, Query, Receipt,
    SharedRecord, Store, made_id,
};
use crate::error::StoreError;

/// Begins `unit`'s (or, on a central form, `province`'s) submission of form `form` for
/// `period`: a draft holding what the form asks now. Refused when the form does not apply to
/// the period, or one was already begun.
pub fn begin(
    store: &dyn Store,
    form: &RecordId,
    unit: Option<&RecordId>,
    province: Option<&str>,
    period: Period,
    author: &Author,
) -> Result<Receipt, StoreError> {
    let stored = store
        .get(RecordKind::Form, form)?
        .ok_or_else(|| StoreError::NotFound {
            kind: RecordKind::Form,
            id: form.clone(),
        })?;
    let AnyRecord::Form(f) = &stored.record else {
        return Err(invalid(RecordKind::Form, form, "kind", "not a form"));
    };
    if !f.applies_to(period) {
        return Err(invalid(
            RecordKind::Form,
            form,
            "period_kind",
            &format!("the form does not apply to {period}"),
        ));
    }
    let province = match (unit, &f.province, province) {
        (Some(u), _, _) => match store.get(RecordKind::Unit, u)?.map(|s| s.record) {
            Some(AnyRecord::Unit(unit)) => unit
                .province
                .clone()
                .ok_or_else(|| invalid(RecordKind::Unit, u, "province", "names no province"))?,
            _ => {
                return Err(StoreError::NotFound {
                    kind: RecordKind::Unit,
                    id: u.clone(),
                });
            }
        },
        (None, None, Some(p)) => ProvinceRef::new(p),
        (None, _, _) => {
            return Err(invalid(
                RecordKind::Form,
                form,
                "level",
                "name the reporting unit (or, on a central form, the province)",
            ));
        }
    };
    let mut record = AnyRecord::Submission(Submission::new(
        RecordId::derive(["new"]),
        f,
        stored.revision,
        unit.cloned(),
        province,
        period,
    ));
    record.set_id(made_id(store, &record)?);
    let AnyRecord::Submission(new) = &record else {
        unreachable!("built as a submission")
    };
    if let Some(existing) = submissions(store, Some(new.province.as_str()), period)?
        .into_iter()
        .find(|s| s.form == new.form && s.unit == new.unit && s.province == new.province)
    {
        return Err(invalid(
            RecordKind::Submission,
            &existing.id,
            "",
            "this unit's submission of the form for the period is already begun",
        ));
    }
    store.put_by(record, Expected::Absent, author)
}

/// Moves submission `id` by `action`, as `author` at `at` (UTC), only if it is still at
/// `revision` when given. Sending checks it first ([`check_send`]): an error refuses it, and
/// warnings need `reason` (the explanation sent with them). Returns the receipt and what the
/// check found.
pub fn step(
    store: &dyn Store,
    id: &RecordId,
    action: Action,
    reason: Option<&str>,
    at: NaiveDateTime,
    revision: Option<u64>,
    author: &Author,
) -> Result<(Receipt, Vec<Problem>), StoreError> {
    let (mut s, stored_revision) = submission(store, id)?;
    // Acting on what the writer read: a submission changed since is a conflict, whatever the
    // step would make of it now (two approvers at once: the second is told).
    if let Some(read) = revision
        && read != stored_revision
    {
        return Err(StoreError::Conflict {
            kind: RecordKind::Submission,
            id: id.clone(),
            expected: read,
            actual: Some(stored_revision),
        });
    }
    // A unit's user sends; only the board returns, approves and unlocks (the plan checks the
    // submission is the unit's own).
    if let Some(unit) = &author.unit
        && action != Action::Send
    {
        return Err(StoreError::Forbidden {
            actor: author.actor.clone(),
            refusal: danvan_core::access::Refusal {
                kind: RecordKind::Submission,
                id: id.clone(),
                reason: danvan_core::access::RefusalReason::OwnReport(unit.clone()),
                allowed: author.access.bound_to().unwrap_or_default().into(),
            },
        });
    }
    let mut found = Vec::new();
    if action == Action::Send {
        let figures = figures_of(store, &s)?;
        let refs: Vec<&Observation> = figures.iter().map(|o| &**o).collect();
        found = check_send(&s, &refs);
        if has_errors(&found) {
            return Err(StoreError::Invalid { problems: found });
        }
        if !found.is_empty() && reason.is_none_or(|r| r.trim().is_empty()) {
            let mut c = Checker::new(RecordKind::Submission, id);
            c.error(
                "needs-explanation",
                "reason",
                "warnings remain: send them with an explanation",
            );
            found.extend(c.finish());
            return Err(StoreError::Invalid { problems: found });
        }
    }
    s.step(action, &author.actor, at, reason, true)
        .map_err(|e| invalid(RecordKind::Submission, id, "state", &e.to_string()))?;
    let expected = Expected::Revision(revision.unwrap_or(stored_revision));
    let author = Author {
        reason: reason.map(str::to_string).or_else(|| author.reason.clone()),
        stepping: true,
        ..author.clone()
    };
    let receipt = store.put_by(AnyRecord::Submission(s), expected, &author)?;
    Ok((receipt, found))
}

/// The unit's (or the province's own) figures of the submission's period.
pub fn figures_of(store: &dyn Store, s: &Submission) -> Result<Vec<Arc<Observation>>, StoreError> {
    let unit = match &s.unit {
        Some(id) => match store.get(RecordKind::Unit, id)?.map(|r| r.record) {
            Some(AnyRecord::Unit(u)) => Some(u),
            _ => None,
        },
        None => None,
    };
    let q = Query {
        kinds: vec![RecordKind::Observation],
        province: Some(ProvinceFilter {
            province: s.province.as_str().to_string(),
            map: ProvinceMap::AsRecorded,
        }),
        period: Some(PeriodFilter {
            period: s.period,
            matching: PeriodMatch::Within,
            window: Window::Calendar,
        }),
        ..Query::default()
    };
    let mut out = Vec::new();
    store.visit_shared(&q, &mut |r| {
        if let SharedRecord::Observation(o) = r {
            let mine = match (&unit, &o.unit) {
                (None, None) => s.unit.is_none(),
                (Some(u), Some(named)) => u.level == named.level && u.answers_to(&named.name),
                _ => false,
            };
            if mine {
                out.push(o);
            }
        }
    })?;
    Ok(out)
}

/// One owed submission and how it stands, as the completeness view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The form's ID and name.
    pub form: RecordId,
    /// The form's name.
    pub form_name: String,
    /// The unit that owes it (its ID and name), or none: the province to the centre.
    pub unit: Option<RecordId>,
    /// The unit's name, or the province's.
    pub name: String,
    /// The province (slug) whose board it goes to, or which sends it.
    pub province: String,
    /// The day it is due.
    pub due: NaiveDate,
    /// How it stands.
    pub standing: Standing,
    /// Whether it is approved (its figures locked).
    pub approved: bool,
    /// The submission's ID, when begun.
    pub submission: Option<RecordId>,
}

/// Every submission owed for `period` to the board of `province` (its units' reports), or,
/// without one, everywhere: every province's units' reports and the provinces' reports to the
/// central board (on the period's map) — and how each stands on `today`.
pub fn completeness(
    store: &dyn Store,
    province: Option<&str>,
    period: Period,
    today: NaiveDate,
) -> Result<Vec<Line>, StoreError> {
    let mine = |p: Option<&ProvinceRef>| match province {
        Some(slug) => p.map(ProvinceRef::as_str) == Some(slug),
        None => true,
    };
    let forms: Vec<ReportForm> = all(store, RecordKind::Form, |r| match r {
        RecordRef::Form(f) if mine(f.province.as_ref()) => Some(f.clone()),
        _ => None,
    })?;
    let units: Vec<Unit> = all(store, RecordKind::Unit, |r| match r {
        RecordRef::Unit(u) if province.is_none_or(|_| mine(u.province.as_ref())) => Some(u.clone()),
        _ => None,
    })?;
    let (_, end) = period.date_range(Window::Calendar);
    let provinces: Vec<&str> = registry().valid_at(end).map(|p| p.slug).collect();
    let subs = submissions(store, province, period)?;
    let lines = standing(
        owed(&forms, &units, &provinces, period),
        &subs,
        period,
        today,
    );
    Ok(lines.into_iter().map(line).collect())
}

fn line(c: Completeness<'_>) -> Line {
    let name = match c.owed.unit {
        Some(u) => u.name.to_string(),
        None => registry()
            .latest(c.owed.province.as_str())
            .map_or_else(|| c.owed.province.to_string(), |p| p.name.to_string()),
    };
    Line {
        form: c.owed.form.id.clone(),
        form_name: c.owed.form.name.to_string(),
        unit: c.owed.unit.map(|u| u.id.clone()),
        name,
        province: c.owed.province.to_string(),
        due: c.owed.due,
        standing: c.standing,
        approved: c.approved,
        submission: c.submission.map(|s| s.id.clone()),
    }
}

/// A figure typed for one indicator a submission asks: a count, percentage or score as
/// `value`, a ratio as `numerator` over `denominator`. What is left empty is not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entered {
    /// The indicator.
    pub indicator: RecordId,
    /// The value (counts, percentages, scores).
    pub value: Option<danvan_core::number::Decimal>,
    /// Units or cases meeting the condition (ratios).
    pub numerator: Option<u64>,
    /// All units or cases (ratios).
    pub denominator: Option<u64>,
}

/// Writes the figures typed for submission `id` (its entry grid), in one revision: each
/// replaces the numbers of the unit's figure of that indicator and period, or is a new figure
/// of the unit (named as the registry names it), the province and the period. Refused — nothing
/// written — for an indicator the submission did not ask, and once the report is sent (it is
/// returned to change its figures); an approved report's figures are locked by the store.
pub fn enter_figures(
    store: &dyn Store,
    id: &RecordId,
    entries: &[Entered],
    author: &Author,
) -> Result<Receipt, StoreError> {
    let (s, _) = submission(store, id)?;
    if s.state == danvan_core::cycle::SubmissionState::Sent {
        return Err(invalid(
            RecordKind::Submission,
            id,
            "state",
            "the report is sent: the board returns it before its figures change",
        ));
    }
    let mut c = Checker::new(RecordKind::Submission, id);
    for e in entries {
        if !s.asked.indicators.contains(&e.indicator) {
            c.error(
                "not-asked",
                format!("figures.{}", e.indicator),
                "the report's form does not ask this indicator",
            );
        }
    }
    let problems = c.finish();
    if has_errors(&problems) {
        return Err(StoreError::Invalid { problems });
    }
    let unit = match &s.unit {
        Some(u) => match store.get(RecordKind::Unit, u)?.map(|r| r.record) {
            Some(AnyRecord::Unit(unit)) => Some(unit),
            _ => {
                return Err(invalid(
                    RecordKind::Submission,
                    id,
                    "unit",
                    "the report's unit is not registered",
                ));
            }
        },
        None => None,
    };
    let stored = figures_of(store, &s)?;
    let mut ops = Vec::new();
    for e in entries
        .iter()
        .filter(|e| e.value.is_some() || e.numerator.is_some() || e.denominator.is_some())
    {
        let mut o = match stored.iter().find(|o| o.indicator == e.indicator) {
            Some(o) => (**o).clone(),
            None => {
                let mut o = Observation::new(
                    RecordId::new("pending").expect("a valid ID"),
                    e.indicator.clone(),
                    s.period,
                );
                o.province = Some(s.province.clone());
                o.unit = unit
                    .as_ref()
                    .map(|u| danvan_core::indicator::ReportingUnit::new(u.name.as_str(), u.level));
                o.id = made_id(store, &AnyRecord::Observation(o.clone()))?;
                o
            }
        };
        o.value = e.value;
        o.numerator = e.numerator;
        o.denominator = e.denominator;
        ops.push(crate::api::Op::Put {
            record: AnyRecord::Observation(o),
            expected: Expected::Any,
        });
    }
    store.apply_by(ops, author)
}

/// The largest signed original kept: 16 MiB (a scanned report of a few dozen pages; the
/// server's default body limit).
pub const MAX_ORIGINAL: usize = 16 * 1024 * 1024;

/// The media type of a signed original, by its first bytes: a PDF, or a DOCX (a ZIP holding
/// `word/document.xml`); `None` for anything else.
pub fn original_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    let names_document = memchr::memmem::find(bytes, b"word/document.xml").is_some();
    (bytes.starts_with(b"PK\x03\x04") && names_document)
        .then_some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
}

/// Attaches the signed original (`file_name`, its `bytes`: a PDF or a DOCX) to submission
/// `id`: the file is kept by its SHA-256 (`Store::put_file`) and the submission names it
/// (`Submission::original`), replacing an earlier one. Refused — nothing written — for
/// another kind of file, an empty or too large one, and once the report is sent; an approved
/// report is locked by the store.
pub fn attach(
    store: &dyn Store,
    id: &RecordId,
    file_name: &str,
    bytes: &[u8],
    author: &Author,
) -> Result<Receipt, StoreError> {
    let (mut s, revision) = submission(store, id)?;
    if s.state == danvan_core::cycle::SubmissionState::Sent {
        return Err(invalid(
            RecordKind::Submission,
            id,
            "original",
            "the report is sent: the board returns it before its original changes",
        ));
    }
    if bytes.is_empty() || bytes.len() > MAX_ORIGINAL {
        return Err(invalid(
            RecordKind::Submission,
            id,
            "original",
            &format!(
                "the file is empty or larger than {} MiB",
                MAX_ORIGINAL / (1024 * 1024)
            ),
        ));
    }
    let Some(media_type) = original_media_type(bytes) else {
        return Err(invalid(
            RecordKind::Submission,
            id,
            "original",
            "the file is neither a PDF nor a DOCX: attach the signed report as PDF or DOCX",
        ));
    };
    let name = std::path::Path::new(file_name)
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("ban-goc")
        .to_string();
    let sha256 = store.put_file(bytes)?;
    s.original = Some(danvan_core::cycle::Attachment::new(
        name,
        media_type,
        sha256,
        bytes.len() as u64,
    ));
    store.put_by(
        AnyRecord::Submission(s),
        Expected::Revision(revision),
        author,
    )
}

/// The signed original of submission `id`: what the submission says of it and its bytes;
/// `None` when none is attached. A kept file that no longer matches its hash is damage.
pub fn original(
    store: &dyn Store,
    id: &RecordId,
) -> Result<Option<(danvan_core::cycle::Attachment, Vec<u8>)>, StoreError> {
    let (s, _) = submission(store, id)?;
    let Some(a) = s.original else {
        return Ok(None);
    };
    match store.file(&a.sha256)? {
        Some(bytes) => Ok(Some((a, bytes))),
        None => Err(StoreError::Damaged {
            at: crate::error::Location::from(format!("submission {id}")),
            line: 0,
            message: format!(
                "its signed original {} ({}) is not among the store's files",
                a.file_name, a.sha256
            ),
        }),
    }
}

/// A sent report waiting for its board, as the approver's queue lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiting {
    /// The submission.
    pub submission: RecordId,
    /// The unit's name, or the province's for a province's report to the centre.
    pub name: String,
    /// The province (slug) whose board it goes to, or which sends it.
    pub province: String,
    /// The form's name.
    pub form_name: String,
    /// The period reported.
    pub period: Period,
    /// When it was last sent, and by whom.
    pub sent_at: NaiveDateTime,
    /// Who sent it.
    pub sent_by: String,
    /// Whether it was sent after its form's due day.
    pub late: bool,
    /// Whether it was returned before and is sent again.
    pub resent: bool,
}

/// Every report sent to a board and waiting for it to return or approve, oldest first: the
/// reports of `province`'s units, or, without one, those of every province's units and the
/// provinces' own reports to the central board.
pub fn queue(store: &dyn Store, province: Option<&str>) -> Result<Vec<Waiting>, StoreError> {
    let sent: Vec<Submission> = all(store, RecordKind::Submission, |r| match r {
        RecordRef::Submission(s)
            if s.state == danvan_core::cycle::SubmissionState::Sent
                && province.is_none_or(|p| s.province.as_str() == p && s.unit.is_some()) =>
        {
            Some(s.clone())
        }
        _ => None,
    })?;
    let mut out = Vec::with_capacity(sent.len());
    for s in sent {
        let form = match store.get(RecordKind::Form, &s.form)?.map(|r| r.record) {
            Some(AnyRecord::Form(f)) => Some(f),
            _ => None,
        };
        let name = match &s.unit {
            Some(u) => match store.get(RecordKind::Unit, u)?.map(|r| r.record) {
                Some(AnyRecord::Unit(unit)) => unit.name.to_string(),
                _ => u.to_string(),
            },
            None => registry()
                .latest(s.province.as_str())
                .map_or_else(|| s.province.to_string(), |p| p.name.to_string()),
        };
        let Some(last) = s.last(Action::Send) else {
            continue;
        };
        let late = form
            .as_ref()
            .is_some_and(|f| last.at.date() > f.due(s.period));
        out.push(Waiting {
            submission: s.id.clone(),
            name,
            province: s.province.to_string(),
            form_name: form.map_or_else(|| s.form.to_string(), |f| f.name.to_string()),
            period: s.period,
            sent_at: last.at,
            sent_by: last.by.clone(),
            late,
            resent: s.last(Action::Return).is_some(),
        });
    }
    out.sort_by(|a, b| a.sent_at.cmp(&b.sent_at).then(a.name.cmp(&b.name)));
    Ok(out)
}

/// The submissions of `period` (to `province`'s board, or all).
fn submissions(
    store: &dyn Store,
    province: Option<&str>,
    period: Period,
) -> Result<Vec<Submission>, StoreError> {
    all(store, RecordKind::Submission, |r| match r {
        RecordRef::Submission(s)
            if s.period == period && province.is_none_or(|p| s.province.as_str() == p) =>
        {
            Some(s.clone())
        }
        _ => None,
    })
}

fn all<T>(
    store: &dyn Store,
    kind: RecordKind,
    pick: impl Fn(RecordRef<'_>) -> Option<T>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    store.visit(
        &Query {
            kinds: vec![kind],
            ..Query::default()
        },
        &mut |r| out.extend(pick(r)),
    )?;
    Ok(out)
}

/// Submission `id` as stored, and its revision.
fn submission(store: &dyn Store, id: &RecordId) -> Result<(Submission, u64), StoreError> {
    let stored = store
        .get(RecordKind::Submission, id)?
        .ok_or_else(|| StoreError::NotFound {
            kind: RecordKind::Submission,
            id: id.clone(),
        })?;
    match stored.record {
        AnyRecord::Submission(s) => Ok((s, stored.revision)),
        _ => Err(invalid(RecordKind::Submission, id, "", "not a submission")),
    }
}

fn invalid(kind: RecordKind, id: &RecordId, field: &str, message: &str) -> StoreError {
    let mut c = Checker::new(kind, id);
    c.error("refused", field, message.to_string());
    StoreError::Invalid {
        problems: c.finish(),
    }
}

/// The standings of a view, counted: "5/9 đã gửi" and the rest.
pub fn tally(lines: &[Line]) -> Vec<(Standing, usize)> {
    let mut out: Vec<(Standing, usize)> = Vec::new();
    for l in lines {
        match out.iter_mut().find(|(s, _)| *s == l.standing) {
            Some((_, n)) => *n += 1,
            None => out.push((l.standing, 1)),
        }
    }
    out
}
