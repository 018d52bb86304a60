//! A dataset: records of every kind together, validated as a whole.
//!
//! Single records check themselves; a dataset also checks what no record can see alone:
//! duplicate IDs, references to records that do not exist (a conference citing a missing
//! directive, an observation of an unknown indicator), and indicator definitions that clash with
//! the built-in catalogue. [`AnyRecord`] holds one record of any kind, for code that handles
//! them uniformly (stores, imports).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::award::Award;
use crate::conference::Conference;
use crate::cycle::{ReportForm, Submission};
use crate::directive::Directive;
use crate::docnum::{DocumentNumber, DocumentType};
use crate::id::RecordId;
use crate::indicator::{IndicatorDefinition, Observation, builtin, catalogue};
use crate::model::Model;
use crate::period::{Period, Window};
use crate::province::ProvinceRef;
use crate::source::Source;
use crate::target::Target;
use crate::unit::{Unit, check_figure_unit, check_unit_clash, name_key, registry_slug};
use crate::validate::{Checker, Problem, RecordKind};

/// Records of every kind. The JSON form is an object with one array per kind; absent arrays
/// are empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Indicator definitions beyond the built-in catalogue.
    #[serde(default)]
    pub indicators: Vec<IndicatorDefinition>,
    /// Directives.
    #[serde(default)]
    pub directives: Vec<Directive>,
    /// Observations.
    #[serde(default)]
    pub observations: Vec<Observation>,
    /// Conferences.
    #[serde(default)]
    pub conferences: Vec<Conference>,
    /// "Dân vận khéo" models.
    #[serde(default)]
    pub models: Vec<Model>,
    /// Reporting units (the registry figures' units resolve to).
    #[serde(default)]
    pub units: Vec<Unit>,
    /// Commendations (khen thưởng).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    /// Forms units report on (biểu mẫu).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<ReportForm>,
    /// Units' reports for a period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub submissions: Vec<Submission>,
    /// Targets (chỉ tiêu) the board sets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
}

/// One record of any kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum AnyRecord {
    /// A directive.
    Directive(Directive),
    /// A conference.
    Conference(Conference),
    /// A model.
    Model(Model),
    /// An indicator definition.
    Indicator(IndicatorDefinition),
    /// An observation.
    Observation(Observation),
    /// A reporting unit.
    Unit(Unit),
    /// A commendation.
    Award(Award),
    /// A form units report on.
    Form(ReportForm),
    /// A unit's report for a period.
    Submission(Submission),
    /// A board's target.
    Target(Target),
}

/// A reference from one record to another, as found in its fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The field holding the reference, e.g. `reviewed_directives[0]`.
    pub field: String,
    /// The kind of record referred to.
    pub kind: RecordKind,
    /// Its ID.
    pub id: RecordId,
}

/// A borrowed record of any kind: what code that handles records uniformly works with, without
/// cloning them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecordRef<'a> {
    /// A directive.
    Directive(&'a Directive),
    /// A conference.
    Conference(&'a Conference),
    /// A model.
    Model(&'a Model),
    /// An indicator definition.
    Indicator(&'a IndicatorDefinition),
    /// An observation.
    Observation(&'a Observation),
    /// A reporting unit.
    Unit(&'a Unit),
    /// A commendation.
    Award(&'a Award),
    /// A form units report on.
    Form(&'a ReportForm),
    /// A unit's report for a period.
    Submission(&'a Submission),
    /// A board's target.
    Target(&'a Target),
}

impl AnyRecord {
    /// Borrows the record.
    pub fn as_ref(&self) -> RecordRef<'_> {
        match self {
            AnyRecord::Directive(r) => RecordRef::Directive(r),
            AnyRecord::Conference(r) => RecordRef::Conference(r),
            AnyRecord::Model(r) => RecordRef::Model(r),
            AnyRecord::Indicator(r) => RecordRef::Indicator(r),
            AnyRecord::Observation(r) => RecordRef::Observation(r),
            AnyRecord::Unit(r) => RecordRef::Unit(r),
            AnyRecord::Award(r) => RecordRef::Award(r),
            AnyRecord::Form(r) => RecordRef::Form(r),
            AnyRecord::Submission(r) => RecordRef::Submission(r),
            AnyRecord::Target(r) => RecordRef::Target(r),
        }
    }

    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        self.as_ref().kind()
    }

    /// The record's ID.
    pub fn id(&self) -> &RecordId {
        match self {
            AnyRecord::Directive(r) => &r.id,
            AnyRecord::Conference(r) => &r.id,
            AnyRecord::Model(r) => &r.id,
            AnyRecord::Indicator(r) => &r.id,
            AnyRecord::Observation(r) => &r.id,
            AnyRecord::Unit(r) => &r.id,
            AnyRecord::Award(r) => &r.id,
            AnyRecord::Form(r) => &r.id,
            AnyRecord::Submission(r) => &r.id,
            AnyRecord::Target(r) => &r.id,
        }
    }

    /// The records this one refers to (see [`RecordRef::references`]).
    pub fn references(&self) -> Vec<Reference> {
        self.as_ref().references()
    }

    /// Checks the record on its own (see [`RecordRef::validate`]).
    pub fn validate(&self, indicator: Option<&IndicatorDefinition>) -> Vec<Problem> {
        self.as_ref().validate(indicator)
    }
}

impl AnyRecord {
    /// The record's own JSON, without the `kind` tag: what the API sends and takes for a
    /// record whose kind its path names, and what a form or a history reads field by field.
    pub fn to_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            AnyRecord::Directive(r) => serde_json::to_value(r),
            AnyRecord::Conference(r) => serde_json::to_value(r),
            AnyRecord::Model(r) => serde_json::to_value(r),
            AnyRecord::Indicator(r) => serde_json::to_value(r),
            AnyRecord::Observation(r) => serde_json::to_value(r),
            AnyRecord::Unit(r) => serde_json::to_value(r),
            AnyRecord::Award(r) => serde_json::to_value(r),
            AnyRecord::Form(r) => serde_json::to_value(r),
            AnyRecord::Submission(r) => serde_json::to_value(r),
            AnyRecord::Target(r) => serde_json::to_value(r),
        }
    }

    /// Gives the record the ID `id`.
    pub fn set_id(&mut self, id: RecordId) {
        match self {
            AnyRecord::Directive(r) => r.id = id,
            AnyRecord::Conference(r) => r.id = id,
            AnyRecord::Model(r) => r.id = id,
            AnyRecord::Indicator(r) => r.id = id,
            AnyRecord::Observation(r) => r.id = id,
            AnyRecord::Unit(r) => r.id = id,
            AnyRecord::Award(r) => r.id = id,
            AnyRecord::Form(r) => r.id = id,
            AnyRecord::Submission(r) => r.id = id,
            AnyRecord::Target(r) => r.id = id,
        }
    }
}

/// The first free ID of `base`, `base-2`, `base-3`, … by `taken`.
///
/// ```
/// use danvan_core::dataset::free_id;
/// let base = "tn-2025-doi-thoai".parse().unwrap();
/// assert_eq!(free_id(&base, |id| id.as_str() == "tn-2025-doi-thoai").as_str(), "tn-2025-doi-thoai-2");
/// ```
pub fn free_id(base: &RecordId, mut taken: impl FnMut(&RecordId) -> bool) -> RecordId {
    if !taken(base) {
        return base.clone();
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let keep = crate::id::MAX_ID_LEN - suffix.len();
            let stem: String = base.as_str().chars().take(keep).collect();
            RecordId::derive([format!("{stem}{suffix}")])
        })
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.clone())
}

/// The short form of a province's slug an ID begins with: its words' initials ("thai-nguyen"
/// → "tn", "ho-chi-minh" → "hcm"); "tw" (trung ương) for none.
fn province_initials(p: Option<&ProvinceRef>) -> String {
    match p {
        Some(p) => p
            .as_str()
            .split('-')
            .filter_map(|w| w.chars().next())
            .collect(),
        None => "tw".to_string(),
    }
}

/// The first `n` words of `text`, as an ID's part.
fn words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

impl<'a> RecordRef<'a> {
    /// The ID a record is given when the person entering it gives none: readable and stable,
    /// from its province's initials, its date or period and the first words of its title —
    /// "tn-2025-hoi-nghi-doi-thoai-giua-bi-thu-tinh-uy", "tn-05-da-tu-2021",
    /// "tn-2024s1-dialogues-held-dinh-hoa". Unique only with [`free_id`] against the store.
    ///
    /// ```
    /// use danvan_core::dataset::AnyRecord;
    /// let c: AnyRecord = serde_json::from_value(serde_json::json!({"kind": "conference",
    ///     "record": {"id": "x", "kinds": ["dialogue"], "date": "2025-11-20",
    ///     "title": "Hội nghị đối thoại giữa Bí thư Tỉnh ủy với nông dân năm 2025",
    ///     "province": "thai-nguyen", "hosts": ["Ban Dân vận Tỉnh ủy"],
    ///     "format": {"mode": "in_person"}}})).unwrap();
    /// assert_eq!(c.as_ref().suggested_id().as_str(), "tn-2025-11-20-hoi-nghi-doi-thoai-giua-bi-thu-tinh-uy");
    /// ```
    pub fn suggested_id(self) -> RecordId {
        let p = province_initials(self.province());
        match self {
            RecordRef::Conference(r) => {
                RecordId::derive([p, r.date.format("%Y-%m-%d").to_string(), words(&r.title, 9)])
            }
            RecordRef::Directive(r) => {
                let year = r
                    .issued_on
                    .map(|d| d.format("%Y").to_string())
                    .unwrap_or_default();
                match (&r.number, r.ordinal) {
                    (Some(n), _) => RecordId::derive([p, n.to_string(), year]),
                    (None, Some(n)) => RecordId::derive([
                        p,
                        r.doc_type.name_vi().to_string(),
                        n.to_string(),
                        r.term
                            .as_ref()
                            .map_or_else(String::new, ToString::to_string),
                    ]),
                    (None, None) => RecordId::derive([
                        p,
                        year,
                        words(r.title.as_deref().unwrap_or(r.doc_type.name_vi()), 9),
                    ]),
                }
            }
            RecordRef::Observation(r) => RecordId::derive([
                p,
                r.period.id(),
                r.indicator.as_str().replace('_', "-"),
                r.unit
                    .as_ref()
                    .map_or_else(String::new, |u| u.name.to_string()),
            ]),
            RecordRef::Model(r) => {
                let year = r.start_year.map_or_else(String::new, |y| y.to_string());
                RecordId::derive([p, year, words(&r.name, 9)])
            }
            RecordRef::Unit(r) => RecordId::derive([p, r.name.to_string()]),
            RecordRef::Award(r) => {
                let day = r.date().map_or_else(String::new, |d| d.to_string());
                let what = match (&r.decision, r.form) {
                    (Some(n), _) => n.to_string(),
                    (None, Some(f)) => f.name_vi().to_string(),
                    (None, None) => "khen-thuong".to_string(),
                };
                RecordId::derive([p, day, words(&what, 6)])
            }
            RecordRef::Form(r) => RecordId::derive([p, words(&r.name, 6)]),
            RecordRef::Submission(r) => RecordId::derive([
                p,
                r.unit.as_ref().map_or("", RecordId::as_str).to_string(),
                r.period.id(),
                r.form.to_string(),
            ]),
            RecordRef::Target(r) => RecordId::derive([
                p,
                r.period.id(),
                r.indicator.as_str().replace('_', "-"),
                "muc-tieu".to_string(),
            ]),
            // An indicator's code is an identifier: words joined by `_`.
            RecordRef::Indicator(r) => RecordId::derive([words(&r.name_vi, 6)])
                .as_str()
                .replace('-', "_")
                .parse()
                .unwrap_or_else(|_| RecordId::derive(["indicator"])),
        }
    }

    /// The record's kind.
    pub fn kind(self) -> RecordKind {
        match self {
            RecordRef::Directive(_) => RecordKind::Directive,
            RecordRef::Conference(_) => RecordKind::Conference,
            RecordRef::Model(_) => RecordKind::Model,
            RecordRef::Indicator(_) => RecordKind::Indicator,
            RecordRef::Observation(_) => RecordKind::Observation,
            RecordRef::Unit(_) => RecordKind::Unit,
            RecordRef::Award(_) => RecordKind::Award,
            RecordRef::Form(_) => RecordKind::Form,
            RecordRef::Submission(_) => RecordKind::Submission,
            RecordRef::Target(_) => RecordKind::Target,
        }
    }

    /// The record's ID.
    pub fn id(self) -> &'a RecordId {
        match self {
            RecordRef::Directive(r) => &r.id,
            RecordRef::Conference(r) => &r.id,
            RecordRef::Model(r) => &r.id,
            RecordRef::Indicator(r) => &r.id,
            RecordRef::Observation(r) => &r.id,
            RecordRef::Unit(r) => &r.id,
            RecordRef::Award(r) => &r.id,
            RecordRef::Form(r) => &r.id,
            RecordRef::Submission(r) => &r.id,
            RecordRef::Target(r) => &r.id,
        }
    }

    /// An owned copy.
    pub fn to_owned(self) -> AnyRecord {
        match self {
            RecordRef::Directive(r) => AnyRecord::Directive(r.clone()),
            RecordRef::Conference(r) => AnyRecord::Conference(r.clone()),
            RecordRef::Model(r) => AnyRecord::Model(r.clone()),
            RecordRef::Indicator(r) => AnyRecord::Indicator(r.clone()),
            RecordRef::Observation(r) => AnyRecord::Observation(r.clone()),
            RecordRef::Unit(r) => AnyRecord::Unit(r.clone()),
            RecordRef::Award(r) => AnyRecord::Award(r.clone()),
            RecordRef::Form(r) => AnyRecord::Form(r.clone()),
            RecordRef::Submission(r) => AnyRecord::Submission(r.clone()),
            RecordRef::Target(r) => AnyRecord::Target(r.clone()),
        }
    }

    /// The records this one refers to. Indicator codes of observations are included only when
    /// they are not built in.
    pub fn references(self) -> Vec<Reference> {
        let mut out = Vec::new();
        self.visit_references(|field, kind, id| {
            out.push(Reference {
                field: field.to_string(),
                kind,
                id: id.clone(),
            });
        });
        out
    }

    /// The kinds and IDs this record refers to, without field paths (cheaper than
    /// [`references`](Self::references) where only the targets matter).
    pub fn targets(self) -> Vec<(RecordKind, &'a RecordId)> {
        let mut out = Vec::new();
        self.visit_references(|_, kind, id| out.push((kind, id)));
        out
    }

    fn visit_references(self, mut f: impl FnMut(FieldPath, RecordKind, &'a RecordId)) {
        match self {
            RecordRef::Directive(d) => {
                for (i, m) in d.milestones.iter().enumerate() {
                    if let Some(c) = m.held.as_ref().and_then(|h| h.conference.as_ref()) {
                        f(
                            FieldPath::Item("milestones", i, Some("held.conference")),
                            RecordKind::Conference,
                            c,
                        );
                    }
                }
                if let Some(s) = &d.superseded_by {
                    f(FieldPath::Field("superseded_by"), RecordKind::Directive, s);
                }
                for (i, link) in d.related.iter().enumerate() {
                    f(
                        FieldPath::Item("related", i, Some("directive")),
                        RecordKind::Directive,
                        &link.directive,
                    );
                }
            }
            RecordRef::Conference(c) => {
                for (i, d) in c.reviewed_directives.iter().enumerate() {
                    f(
                        FieldPath::Item("reviewed_directives", i, None),
                        RecordKind::Directive,
                        d,
                    );
                }
                for (i, o) in c.figures.iter().enumerate() {
                    f(
                        FieldPath::Item("figures", i, None),
                        RecordKind::Observation,
                        o,
                    );
                }
            }
            RecordRef::Observation(o) => {
                if builtin(o.indicator.as_str()).is_none() {
                    f(
                        FieldPath::Field("indicator"),
                        RecordKind::Indicator,
                        &o.indicator,
                    );
                }
            }
            RecordRef::Unit(u) => {
                if let Some(p) = &u.parent {
                    f(FieldPath::Field("parent"), RecordKind::Unit, p);
                }
            }
            RecordRef::Award(a) => {
                if let Some(c) = &a.conference {
                    f(FieldPath::Field("conference"), RecordKind::Conference, c);
                }
            }
            RecordRef::Form(form) => {
                for (i, code) in form.indicators.iter().enumerate() {
                    if builtin(code.as_str()).is_none() {
                        f(
                            FieldPath::Item("indicators", i, None),
                            RecordKind::Indicator,
                            code,
                        );
                    }
                }
            }
            RecordRef::Submission(s) => {
                f(FieldPath::Field("form"), RecordKind::Form, &s.form);
                if let Some(u) = &s.unit {
                    f(FieldPath::Field("unit"), RecordKind::Unit, u);
                }
            }
            RecordRef::Target(t) => {
                if builtin(t.indicator.as_str()).is_none() {
                    f(
                        FieldPath::Field("indicator"),
                        RecordKind::Indicator,
                        &t.indicator,
                    );
                }
            }
            RecordRef::Model(_) | RecordRef::Indicator(_) => {}
        }
    }

    /// Checks the record on its own. An observation is checked against `indicator`, its
    /// definition, when the caller has it; a built-in definition is used otherwise. The same
    /// checks as each record's own `validate`: there is one way to validate a record.
    pub fn validate(self, indicator: Option<&IndicatorDefinition>) -> Vec<Problem> {
        match self {
            RecordRef::Directive(r) => r.validate(),
            RecordRef::Conference(r) => r.validate(),
            RecordRef::Model(r) => r.validate(),
            RecordRef::Indicator(r) => r.validate(),
            RecordRef::Observation(r) => r.validate(indicator),
            RecordRef::Unit(r) => r.validate(),
            RecordRef::Award(r) => r.validate(),
            RecordRef::Form(r) => r.validate(),
            RecordRef::Submission(r) => r.validate(),
            RecordRef::Target(r) => r.validate(indicator),
        }
    }

    /// The values the record marks as inferred, not stated by its source (see
    /// [`crate::inferred`]); none for indicators and units, which a board defines.
    pub fn inferred(self) -> &'a [crate::inferred::Inference] {
        match self {
            RecordRef::Directive(r) => &r.inferred,
            RecordRef::Conference(r) => &r.inferred,
            RecordRef::Model(r) => &r.inferred,
            RecordRef::Observation(r) => &r.inferred,
            RecordRef::Award(r) => &r.inferred,
            RecordRef::Unit(_)
            | RecordRef::Indicator(_)
            | RecordRef::Form(_)
            | RecordRef::Submission(_)
            | RecordRef::Target(_) => &[],
        }
    }

    /// The field [`date`](Self::date) reads: `date`, `issued_on`, `start_year`, `period`, `from`.
    pub fn date_field(self) -> &'static str {
        match self {
            RecordRef::Directive(r) if r.issued_on.is_none() => "phase",
            RecordRef::Directive(_) => "issued_on",
            RecordRef::Conference(_) => "date",
            RecordRef::Model(_) => "start_year",
            RecordRef::Observation(_) => "period",
            RecordRef::Unit(_) => "from",
            RecordRef::Award(r) if r.presented_on.is_some() => "presented_on",
            RecordRef::Award(_) => "decided_on",
            RecordRef::Form(_) => "from",
            RecordRef::Submission(_) | RecordRef::Target(_) => "period",
            RecordRef::Indicator(_) => "",
        }
    }

    /// Whether the date the record is listed by (see [`date`](Self::date)), or its year, was
    /// inferred rather than stated.
    pub fn date_inferred(self) -> bool {
        crate::inferred::is_inferred(self.inferred(), self.date_field())
    }

    /// The province the record names, if any.
    pub fn province(self) -> Option<&'a ProvinceRef> {
        match self {
            RecordRef::Directive(r) => r.province.as_ref(),
            RecordRef::Conference(r) => r.province.as_ref(),
            RecordRef::Model(r) => Some(&r.province),
            RecordRef::Observation(r) => r.province.as_ref(),
            RecordRef::Unit(r) => r.province.as_ref(),
            RecordRef::Award(r) => r.province.as_ref(),
            RecordRef::Form(r) => r.province.as_ref(),
            RecordRef::Submission(r) => Some(&r.province),
            RecordRef::Target(r) => r.province.as_ref(),
            RecordRef::Indicator(_) => None,
        }
    }

    /// The date the record is listed and sorted by: a conference's (first) day, a directive's
    /// issue date (or 1 January of its phase), the first day of an observation's period, or
    /// 1 January of a model's start year, a unit's first day. Indicators have none.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            RecordRef::Unit(r) => r.from,
            RecordRef::Award(r) => r.date(),
            RecordRef::Form(r) => r.from,
            RecordRef::Submission(r) => Some(r.period.date_range(Window::Calendar).0),
            RecordRef::Target(r) => Some(r.period.date_range(Window::Calendar).0),
            RecordRef::Conference(r) => Some(r.date),
            RecordRef::Directive(r) => r.reference_date(),
            RecordRef::Observation(r) => Some(r.period.date_range(Window::Calendar).0),
            RecordRef::Model(r) => r.start_year.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)),
            RecordRef::Indicator(_) => None,
        }
    }

    /// The first and last day the record covers, for period filters: a conference's days, a
    /// directive's phase (or its issue date), an observation's period, a model's start year, the
    /// days a unit existed (open ends as far as dates go).
    pub fn span(self, window: Window) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            // An open end as far as a database's dates go: 1/1/1 and 31/12/9999.
            RecordRef::Unit(r) => match (r.from, r.last_day()) {
                (None, None) => None,
                (a, b) => Some((
                    a.or(NaiveDate::from_ymd_opt(1, 1, 1))?,
                    b.or(NaiveDate::from_ymd_opt(9999, 12, 31))?,
                )),
            },
            RecordRef::Conference(r) => Some((r.date, r.last_day())),
            RecordRef::Directive(r) => match r.phase.and_then(|p| p.period()) {
                Some(p) => Some(p.date_range(window)),
                None => r.issued_on.map(|d| (d, d)),
            },
            RecordRef::Observation(r) => Some(r.period.date_range(window)),
            RecordRef::Model(r) => r
                .start_year
                .and_then(|y| Period::year(y).ok())
                .map(|p| p.date_range(window)),
            // The day it was given; the period it rewards is not when it happened.
            RecordRef::Award(r) => r.date().map(|d| (d, d)),
            RecordRef::Form(r) => match (r.from, r.until) {
                (None, None) => None,
                (a, b) => Some((
                    a.or(NaiveDate::from_ymd_opt(1, 1, 1))?,
                    b.or(NaiveDate::from_ymd_opt(9999, 12, 31))?,
                )),
            },
            RecordRef::Submission(r) => Some(r.period.date_range(window)),
            RecordRef::Target(r) => Some(r.period.date_range(window)),
            RecordRef::Indicator(_) => None,
        }
    }

    /// The record in words for a line of a list, as a clerk checks a dry run: a figure by
    /// where, what and when, with its value ("huyện Định Hóa, Thái Nguyên — Hội nghị đối
    /// thoại … — 6 tháng đầu năm 2025: 12"; in English the province's, indicator's and period's
    /// English names); any other record by its [`title`](Self::title).
    pub fn summary(self, english: bool) -> String {
        let RecordRef::Observation(o) = self else {
            return self.title();
        };
        let province = o.province.as_ref().map(|p| {
            crate::province::registry()
                .all_with_slug(p.as_str())
                .last()
                .map_or_else(
                    || p.to_string(),
                    |p| if english { p.name_en() } else { p.name_vi() }.to_string(),
                )
        });
        let place = match (&o.unit, province) {
            (Some(u), Some(p)) => format!("{}, {p}", u.name),
            (Some(u), None) => u.name.to_string(),
            (None, Some(p)) => p,
            (None, None) if english => "nationwide".to_string(),
            (None, None) => "toàn quốc".to_string(),
        };
        let indicator = crate::indicator::builtin(o.indicator.as_str()).map_or_else(
            || o.indicator.to_string(),
            |d| if english { &d.name_en } else { &d.name_vi }.to_string(),
        );
        let period = if english {
            o.period.to_english()
        } else {
            o.period.to_vietnamese()
        };
        format!(
            "{place} — {indicator} — {period}: {}",
            o.figure_vietnamese()
        )
    }

    /// The record's title or name, as shown in lists: a directive's title, a conference's
    /// title, a model's name, an indicator's Vietnamese name, an observation's indicator and
    /// period in words.
    pub fn title(self) -> String {
        match self {
            RecordRef::Directive(r) => r.title_or_label(),
            RecordRef::Conference(r) => r.title.to_string(),
            RecordRef::Model(r) => r.name.to_string(),
            RecordRef::Indicator(r) => r.name_vi.to_string(),
            // Names, not codes: "Hội nghị đối thoại … — 6 tháng đầu năm 2024" (a dataset's own
            // indicator, which the core does not know, by its code).
            RecordRef::Observation(r) => format!(
                "{} — {}",
                crate::indicator::builtin(r.indicator.as_str())
                    .map_or_else(|| r.indicator.to_string(), |d| d.name_vi.to_string()),
                r.period.to_vietnamese()
            ),
            RecordRef::Unit(r) => r.name.to_string(),
            RecordRef::Award(r) => r.label(),
            RecordRef::Form(r) => r.name.to_string(),
            RecordRef::Submission(r) => format!(
                "{} {} {}",
                r.form,
                r.unit
                    .as_ref()
                    .map_or(r.province.as_str(), RecordId::as_str),
                r.period
            ),
            RecordRef::Target(r) => format!(
                "Mục tiêu: {} — {}",
                crate::indicator::builtin(r.indicator.as_str())
                    .map_or_else(|| r.indicator.to_string(), |d| d.name_vi.to_string()),
                r.period.to_vietnamese()
            ),
        }
    }

    /// The free-text fields a text search looks at, as `(field path, text)`, most important
    /// first (a match in an earlier field ranks higher). Besides the record's own text this
    /// holds what people search by: a directive's number in the forms people type ("25-NQ/TW",
    /// "NQ 25", "Nghị quyết 25", "Nghị quyết số 25"), a conference's format ("trực tuyến") and
    /// commendations, an observation's indicator name and unit.
    /// The number's field shows the canonical number alone; the typed forms beside it are for
    /// matching, not for a reader.
    pub fn search_fields(self) -> Vec<(String, Cow<'a, str>)> {
        let mut out = Vec::new();
        self.visit_search_fields(|field, text| {
            let text = match (field, text) {
                (FieldPath::Field("number"), Cow::Owned(forms)) => {
                    Cow::Owned(forms.split(' ').next().unwrap_or_default().to_string())
                }
                (_, text) => text,
            };
            out.push((field.to_string(), text));
        });
        out
    }

    /// The texts of [`search_fields`](Self::search_fields), in the same order, without their
    /// paths.
    pub fn search_texts(self) -> Vec<Cow<'a, str>> {
        let mut out = Vec::new();
        self.visit_search_fields(|_, text| out.push(text));
        out
    }

    fn visit_search_fields(self, mut push: impl FnMut(FieldPath, Cow<'a, str>)) {
        use FieldPath::{Field, Item};
        macro_rules! text {
            ($field:expr, $t:expr) => {{
                let t: &'a str = $t;
                push($field, Cow::Borrowed(t))
            }};
        }
        text!(Field("id"), self.id().as_str());
        match self {
            RecordRef::Directive(r) => {
                if let Some(t) = &r.title {
                    text!(Field("title"), t);
                }
                if let Some(n) = &r.number {
                    push(Field("number"), Cow::Owned(number_forms(n, r.doc_type)));
                }
                if let Some(i) = &r.issuer {
                    text!(Field("issuer"), i);
                }
                if let Some(t) = &r.term {
                    text!(Field("term"), t);
                }
                for (i, m) in r.milestones.iter().enumerate() {
                    if let Some(l) = &m.label {
                        text!(Item("milestones", i, Some("label")), l);
                    }
                    if let Some(by) = m.held.as_ref().and_then(|h| h.by.as_ref()) {
                        text!(Item("milestones", i, Some("held.by")), by);
                    }
                }
            }
            RecordRef::Conference(r) => {
                text!(Field("title"), &r.title);
                for (i, h) in r.hosts.iter().enumerate() {
                    text!(Item("hosts", i, None), h);
                }
                for (i, p) in r.chairs.iter().enumerate() {
                    text!(Item("chairs", i, Some("name")), &p.name);
                }
                for (i, p) in r.attendees.iter().enumerate() {
                    text!(Item("attendees", i, Some("name")), &p.name);
                }
                for (i, u) in r.participating_units.iter().enumerate() {
                    text!(Item("participating_units", i, None), u);
                }
                if let Some(c) = &r.emulation_cluster {
                    text!(Field("emulation_cluster"), c);
                }
                if let Some(f) = &r.format {
                    text!(Field("format"), f.name_vi());
                }
                if let Some(l) = &r.location {
                    text!(Field("location"), l);
                }
                for (i, cm) in r.commendations.iter().enumerate() {
                    text!(Item("commendations", i, Some("award")), &cm.award);
                    if let Some(by) = &cm.awarded_by {
                        text!(Item("commendations", i, Some("awarded_by")), by);
                    }
                    if let Some(reason) = &cm.reason {
                        text!(Item("commendations", i, Some("reason")), reason);
                    }
                }
                for (list, items) in [
                    ("results", &r.results),
                    ("shortcomings", &r.shortcomings),
                    ("conclusions", &r.conclusions),
                    ("tasks", &r.tasks),
                ] {
                    for (i, t) in items.iter().enumerate() {
                        text!(Item(list, i, None), t);
                    }
                }
                if let Some(n) = &r.note {
                    text!(Field("note"), n);
                }
            }
            _ => self.visit_other_fields(&mut push),
        }
        self.visit_context_fields(&mut push);
    }

    /// The fields searched after a record's own text: the province's name ("Thái Nguyên" finds
    /// records recorded as `thai-nguyen`), a conference's people's positions, discussion and
    /// sources, an observation's source.
    fn visit_context_fields(self, push: &mut impl FnMut(FieldPath, Cow<'a, str>)) {
        use FieldPath::{Field, Item};
        if let Some(p) = self.province()
            && let Some(name) = crate::province::registry()
                .latest(p.as_str())
                .map(|u| u.name)
        {
            push(Field("province"), Cow::Borrowed(name));
        }
        let source = |push: &mut dyn FnMut(FieldPath, Cow<'a, str>), i, s: &'a Source| {
            for (field, text) in [
                ("title", &s.title),
                ("publisher", &s.publisher),
                ("site", &s.site),
            ] {
                if let Some(t) = text {
                    push(Item("sources", i, Some(field)), Cow::Borrowed(t.as_str()));
                }
            }
        };
        match self {
            RecordRef::Directive(r) => {
                if let Some(n) = &r.note {
                    push(Field("note"), Cow::Borrowed(n.as_str()));
                }
            }
            RecordRef::Conference(r) => {
                for (i, p) in r.chairs.iter().enumerate() {
                    if let Some(pos) = &p.position {
                        push(
                            Item("chairs", i, Some("position")),
                            Cow::Borrowed(pos.as_str()),
                        );
                    }
                }
                for (i, p) in r.attendees.iter().enumerate() {
                    if let Some(pos) = &p.position {
                        push(
                            Item("attendees", i, Some("position")),
                            Cow::Borrowed(pos.as_str()),
                        );
                    }
                }
                for (i, t) in r.discussion.iter().enumerate() {
                    push(Item("discussion", i, None), Cow::Borrowed(t.as_str()));
                }
                for (i, s) in r.sources.iter().enumerate() {
                    source(push, i, s);
                }
            }
            RecordRef::Observation(r) => {
                if let Some(s) = &r.source {
                    for (field, text) in [
                        ("source.title", &s.title),
                        ("source.publisher", &s.publisher),
                        ("source.site", &s.site),
                    ] {
                        if let Some(t) = text {
                            push(Field(field), Cow::Borrowed(t.as_str()));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// [`visit_search_fields`](Self::visit_search_fields) of the kinds with few text fields.
    fn visit_other_fields(self, push: &mut impl FnMut(FieldPath, Cow<'a, str>)) {
        use FieldPath::{Field, Item};
        macro_rules! text {
            ($field:expr, $t:expr) => {{
                let t: &'a str = $t;
                push($field, Cow::Borrowed(t))
            }};
        }
        match self {
            RecordRef::Model(r) => {
                text!(Field("name"), &r.name);
                if let Some(u) = &r.owning_unit {
                    text!(Field("owning_unit"), u);
                }
                if let Some(d) = &r.description {
                    text!(Field("description"), d);
                }
            }
            RecordRef::Unit(r) => {
                text!(Field("name"), &r.name);
                for (i, a) in r.aliases.iter().enumerate() {
                    text!(Item("aliases", i, None), a);
                }
                text!(Field("level"), r.level.name_vi());
                if let Some(n) = &r.note {
                    text!(Field("note"), n);
                }
            }
            RecordRef::Indicator(r) => {
                text!(Field("name_vi"), &r.name_vi);
                text!(Field("name_en"), &r.name_en);
                if let Some(d) = &r.description {
                    text!(Field("description"), d);
                }
            }
            RecordRef::Observation(r) => {
                text!(Field("indicator"), r.indicator.as_str());
                if let Some(def) = builtin(r.indicator.as_str()) {
                    text!(Field("indicator_name"), &def.name_vi);
                }
                if let Some(u) = &r.unit {
                    text!(Field("unit.name"), &u.name);
                }
                if let Some(n) = &r.note {
                    text!(Field("note"), n);
                }
            }
            RecordRef::Award(r) => {
                for (field, t) in [
                    ("title", &r.title),
                    ("awarded_by", &r.awarded_by),
                    ("movement", &r.movement),
                    ("reason", &r.reason),
                    ("note", &r.note),
                ] {
                    if let Some(t) = t {
                        text!(Field(field), t);
                    }
                }
                if let Some(f) = r.form {
                    text!(Field("form"), f.name_vi());
                }
                for (i, p) in r.recipients.named.iter().enumerate() {
                    text!(Item("recipients.named", i, Some("name")), &p.name);
                }
            }
            RecordRef::Form(r) => {
                text!(Field("name"), &r.name);
                for (i, s) in r.sections.iter().enumerate() {
                    text!(Item("sections", i, Some("title")), &s.title);
                }
            }
            RecordRef::Submission(r) => {
                text!(Field("form"), r.form.as_str());
                if let Some(u) = &r.unit {
                    text!(Field("unit"), u.as_str());
                }
                text!(Field("state"), r.state.name_vi());
                for (i, s) in r.sections.iter().enumerate() {
                    text!(Item("sections", i, Some("text")), &s.text);
                }
            }
            RecordRef::Target(r) => {
                text!(Field("indicator"), r.indicator.as_str());
                if let Some(def) = builtin(r.indicator.as_str()) {
                    text!(Field("indicator_name"), &def.name_vi);
                }
                for (field, t) in [("set_by", &r.set_by), ("note", &r.note)] {
                    if let Some(t) = t {
                        text!(Field(field), t);
                    }
                }
            }
            RecordRef::Directive(_) | RecordRef::Conference(_) => {}
        }
    }
}

/// A document number in the forms people type: canonical, the type code and number, the type
/// name and number with and without "số", and the number without its leading zero:
/// "03-ĐA/TU ĐA 03 Đề án 03 Đề án số 03 ĐA 3 Đề án 3".
fn number_forms(n: &DocumentNumber, doc_type: DocumentType) -> String {
    let mut out = n.to_string();
    let name = doc_type.name_vi();
    let code = n.type_code();
    let mut forms = vec![n.number().to_string()];
    let padded = format!("{:02}", n.number());
    if padded != forms[0] {
        forms.insert(0, padded);
    }
    for num in forms {
        if let Some(code) = code {
            out.push_str(&format!(" {code} {num}"));
        }
        out.push_str(&format!(" {name} {num} {name} số {num}"));
    }
    out
}

/// A field path, formatted only when someone needs it as text.
#[derive(Debug, Clone, Copy)]
enum FieldPath {
    /// `title`
    Field(&'static str),
    /// `chairs[0].name` or `figures[2]`
    Item(&'static str, usize, Option<&'static str>),
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldPath::Field(name) => f.write_str(name),
            FieldPath::Item(list, i, None) => write!(f, "{list}[{i}]"),
            FieldPath::Item(list, i, Some(field)) => write!(f, "{list}[{i}].{field}"),
        }
    }
}

impl Dataset {
    /// Every record, borrowed, referenced kinds first (indicators, units, directives,
    /// observations, conferences, models), each kind in file order.
    pub fn iter(&self) -> impl Iterator<Item = RecordRef<'_>> + '_ {
        self.indicators
            .iter()
            .map(RecordRef::Indicator)
            .chain(self.units.iter().map(RecordRef::Unit))
            .chain(self.directives.iter().map(RecordRef::Directive))
            .chain(self.observations.iter().map(RecordRef::Observation))
            .chain(self.conferences.iter().map(RecordRef::Conference))
            .chain(self.models.iter().map(RecordRef::Model))
            .chain(self.awards.iter().map(RecordRef::Award))
            .chain(self.forms.iter().map(RecordRef::Form))
            .chain(self.submissions.iter().map(RecordRef::Submission))
            .chain(self.targets.iter().map(RecordRef::Target))
    }

    /// Every record, cloned, in the order of [`iter`](Self::iter).
    pub fn records(&self) -> impl Iterator<Item = AnyRecord> + '_ {
        self.indicators
            .iter()
            .cloned()
            .map(AnyRecord::Indicator)
            .chain(self.units.iter().cloned().map(AnyRecord::Unit))
            .chain(self.directives.iter().cloned().map(AnyRecord::Directive))
            .chain(
                self.observations
                    .iter()
                    .cloned()
                    .map(AnyRecord::Observation),
            )
            .chain(self.conferences.iter().cloned().map(AnyRecord::Conference))
            .chain(self.models.iter().cloned().map(AnyRecord::Model))
            .chain(self.awards.iter().cloned().map(AnyRecord::Award))
            .chain(self.forms.iter().cloned().map(AnyRecord::Form))
            .chain(self.submissions.iter().cloned().map(AnyRecord::Submission))
            .chain(self.targets.iter().cloned().map(AnyRecord::Target))
    }

    /// Builds a dataset from records of any kind.
    pub fn from_records(records: impl IntoIterator<Item = AnyRecord>) -> Dataset {
        let mut d = Dataset::default();
        for r in records {
            d.push(r);
        }
        d
    }

    /// Adds one record.
    pub fn push(&mut self, record: AnyRecord) {
        match record {
            AnyRecord::Directive(r) => self.directives.push(r),
            AnyRecord::Conference(r) => self.conferences.push(r),
            AnyRecord::Model(r) => self.models.push(r),
            AnyRecord::Indicator(r) => self.indicators.push(r),
            AnyRecord::Observation(r) => self.observations.push(r),
            AnyRecord::Unit(r) => self.units.push(r),
            AnyRecord::Award(r) => self.awards.push(r),
            AnyRecord::Form(r) => self.forms.push(r),
            AnyRecord::Submission(r) => self.submissions.push(r),
            AnyRecord::Target(r) => self.targets.push(r),
        }
    }

    /// How many records of all kinds.
    pub fn len(&self) -> usize {
        self.indicators.len()
            + self.directives.len()
            + self.observations.len()
            + self.conferences.len()
            + self.models.len()
            + self.units.len()
            + self.awards.len()
            + self.forms.len()
            + self.submissions.len()
            + self.targets.len()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The definition of indicator `id`: the dataset's own, else the built-in one.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorDefinition> {
        self.indicators
            .iter()
            .find(|d| d.id.as_str() == id)
            .or_else(|| builtin(id))
    }

    /// All indicator definitions: the built-in catalogue, then the dataset's own.
    pub fn all_indicators(&self) -> impl Iterator<Item = &IndicatorDefinition> + '_ {
        catalogue().iter().chain(self.indicators.iter())
    }

    /// Validates every record, and the dataset as a whole: duplicate IDs, dangling references,
    /// indicator codes that shadow built-in ones. Each record's own problems come first, in
    /// record order, then problems between records.
    ///
    /// ```
    /// use danvan_core::dataset::Dataset;
    /// let d: Dataset = serde_json::from_str(r#"{"observations": [{
    ///     "id": "tn-2024-one-stop", "indicator": "one_stop_communes",
    ///     "province": "thai-nguyen", "period": "2024", "numerator": 181, "denominator": 180
    /// }]}"#).unwrap();
    /// let problems = d.validate();
    /// assert_eq!(problems[0].to_string(),
    ///     "error: observation tn-2024-one-stop: numerator: numerator 181 is greater than the denominator 180");
    /// ```
    pub fn validate(&self) -> Vec<Problem> {
        let own: HashMap<&str, &IndicatorDefinition> =
            self.indicators.iter().map(|d| (d.id.as_str(), d)).collect();
        let mut ids: HashMap<RecordKind, HashSet<&RecordId>> = HashMap::new();
        let mut problems = Vec::new();
        for record in self.iter() {
            let (kind, id) = (record.kind(), record.id());
            let def = match record {
                RecordRef::Observation(o) => own.get(o.indicator.as_str()).copied(),
                RecordRef::Target(t) => own.get(t.indicator.as_str()).copied(),
                _ => None,
            };
            problems.extend(record.validate(def));
            let seen = ids.entry(kind).or_default();
            if !seen.insert(id) {
                let mut c = Checker::new(kind, id);
                c.error("duplicate", "id", format!("duplicate {kind} ID {id}"));
                problems.extend(c.finish());
            }
        }
        for record in self.iter() {
            problems.extend(check_references(record, |kind, id| {
                ids.get(&kind).is_some_and(|s| s.contains(id))
            }));
        }
        let mut figures: HashMap<crate::indicator::FigureKey, &RecordId> = HashMap::new();
        for o in &self.observations {
            match figures.entry(o.figure_key()) {
                std::collections::hash_map::Entry::Occupied(e) if *e.get() != &o.id => {
                    problems.push(duplicate_figure(o, e.get()));
                }
                std::collections::hash_map::Entry::Occupied(_) => {}
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(&o.id);
                }
            }
        }
        let mut targets: HashMap<(&str, Option<&str>, String), &RecordId> = HashMap::new();
        for t in &self.targets {
            let key = (
                t.indicator.as_str(),
                t.province.as_ref().map(ProvinceRef::as_str),
                t.period.id(),
            );
            if let Some(first) = targets.insert(key, &t.id) {
                let mut c = Checker::new(RecordKind::Target, &t.id);
                c.error(
                    "duplicate-target",
                    "indicator",
                    format!("target {first} is already set for the same indicator, province and period; update {first} to change it"),
                );
                problems.extend(c.finish());
            }
        }
        problems.extend(self.check_figure_units());
        let conferences: HashMap<&RecordId, &Conference> =
            self.conferences.iter().map(|c| (&c.id, c)).collect();
        for d in &self.directives {
            problems.extend(check_held_reviews(d, |id| conferences.get(id).copied()));
        }
        problems
    }
}

impl Dataset {
    /// Problems of the registry: no two units of a board and level answer to one name on the
    /// same days (see [`check_unit_clash`]), and the unit each figure names resolves to a
    /// registered unit of its province (see [`check_figure_unit`]).
    fn check_figure_units(&self) -> Vec<Problem> {
        let mut by_name: HashMap<(&str, String), Vec<&Unit>> = HashMap::new();
        for u in &self.units {
            for key in u.keys() {
                by_name
                    .entry((registry_slug(u.province.as_ref()), key))
                    .or_default()
                    .push(u);
            }
        }
        let mut problems = Vec::new();
        for u in &self.units {
            let slug = registry_slug(u.province.as_ref());
            let others = u
                .keys()
                .filter_map(|k| by_name.get(&(slug, k)))
                .flatten()
                .copied();
            problems.extend(check_unit_clash(u, others));
        }
        for o in &self.observations {
            let Some(unit) = &o.unit else { continue };
            let slug = registry_slug(o.province.as_ref());
            let named = by_name
                .get(&(slug, name_key(&unit.name)))
                .map_or(&[][..], Vec::as_slice);
            problems.extend(check_figure_unit(o, named, || {
                self.units
                    .iter()
                    .filter(|u| registry_slug(u.province.as_ref()) == slug)
                    .collect()
            }));
        }
        problems
    }
}

/// The error for an observation that repeats the figure of `existing`: one figure per
/// indicator, province, unit and period. Figures are never added up; replacing one is an update
/// of the existing record.
///
/// ```
/// use danvan_core::dataset::duplicate_figure;
/// use danvan_core::indicator::Observation;
/// let o: Observation = serde_json::from_str(r#"{"id": "b", "indicator": "complaints_resolved",
///     "province": "thai-nguyen", "period": "2024", "numerator": 1, "denominator": 2}"#).unwrap();
/// let p = duplicate_figure(&o, &"a".parse().unwrap());
/// assert_eq!(p.to_string(), "error: observation b: indicator: observation a already holds the figure for complaints_resolved, thai-nguyen, 2024; update a to replace it");
/// ```
pub fn duplicate_figure(o: &Observation, existing: &RecordId) -> Problem {
    let mut key = vec![o.indicator.as_str().to_string()];
    key.push(
        o.province
            .as_ref()
            .map_or("the whole country".to_string(), |p| p.as_str().to_string()),
    );
    if let Some(u) = &o.unit {
        key.push(format!("unit {:?}", u.name.as_str()));
    }
    key.push(o.period.id());
    let mut c = Checker::new(RecordKind::Observation, &o.id);
    c.error("duplicate-figure", 
        "indicator",
        format!(
            "observation {existing} already holds the figure for {}; update {existing} to replace it",
            key.join(", ")
        ),
    );
    c.finish().remove(0)
}

/// Errors for each reference of `record` to a record that does not exist, as `exists` tells.
///
/// ```
/// use danvan_core::dataset::{check_references, AnyRecord};
/// let c: AnyRecord = serde_json::from_value(serde_json::json!({"kind": "conference", "record": {
///     "id": "c1", "kinds": ["thematic"], "title": "Hội nghị", "date": "2024-04-09",
///     "host": "Ban Dân vận", "format": {"mode": "in_person"}, "reviewed_directives": ["ghost"]}})).unwrap();
/// let problems = check_references(c.as_ref(), |_, _| false);
/// assert_eq!(problems[0].to_string(),
///     "error: conference c1: reviewed_directives[0]: refers to directive ghost, which does not exist");
/// ```
pub fn check_references(
    record: RecordRef<'_>,
    exists: impl Fn(RecordKind, &RecordId) -> bool,
) -> Vec<Problem> {
    let mut c = Checker::new(record.kind(), record.id());
    for reference in record.references() {
        if !exists(reference.kind, &reference.id) {
            c.error(
                "dangling-reference",
                reference.field,
                format!(
                    "refers to {} {}, which does not exist",
                    reference.kind, reference.id
                ),
            );
        }
    }
    c.finish()
}

/// Warnings for milestones of `directive` held at a conference (found by `conference`) that
/// does not list the directive among those it reviewed.
pub fn check_held_reviews<'a>(
    directive: &Directive,
    conference: impl Fn(&RecordId) -> Option<&'a Conference>,
) -> Vec<Problem> {
    let mut c = Checker::new(RecordKind::Directive, &directive.id);
    for (i, m) in directive.milestones.iter().enumerate() {
        let Some(conf) = m
            .held
            .as_ref()
            .and_then(|h| h.conference.as_ref())
            .and_then(&conference)
        else {
            continue;
        };
        if !conf.reviewed_directives.contains(&directive.id) {
            c.warn(
                "inconsistent",
                format!("milestones[{i}].held.conference"),
                format!(
                    "conference {} does not list {} among its reviewed directives",
                    conf.id, directive.id
                ),
            );
        }
    }
    c.finish()
}
