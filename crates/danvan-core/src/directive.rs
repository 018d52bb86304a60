//! Directives: the party and state documents that steer dân vận work, with their phases and
//! review milestones (sơ kết part-way, tổng kết at the end).
//!
//! Knowing which reviews fall due is a core need; [`due_reviews`] lists them as of a date.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::docnum::{DocumentNumber, DocumentType};
use crate::id::RecordId;
use crate::period::{Period, PeriodKind, Window, YEAR_RANGE};
use crate::province::ProvinceRef;
use crate::text::Text;
use crate::validate::{Checker, Problem, RecordKind};

/// A party or state document that sets dân vận work.
///
/// ```
/// use danvan_core::directive::Directive;
/// use danvan_core::docnum::DocumentType;
/// let d: Directive = serde_json::from_str(r#"{
///     "id": "tw-23-qd-2021", "number": "23-QĐ/TW", "doc_type": "regulation",
///     "issuer": "Bộ Chính trị", "issued_on": "2021-07-30",
///     "title": "Ban hành Quy chế công tác dân vận của hệ thống chính trị"
/// }"#).unwrap();
/// // In party use QĐ is both Quyết định and Quy định: the type is stored on its own.
/// assert_eq!(d.doc_type, DocumentType::Regulation);
/// assert_eq!(d.label(), "Quy định 23-QĐ/TW");
/// assert!(d.validate().is_empty());
/// ```
///
/// Identity is not the number alone: party numbering restarts with each committee term, so two
/// `04-NQ/TU` exist; the record's `id` is what other records cite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "A party or state document that sets dân vận work. Identity is the ID, not the number: party numbering restarts with each committee term."
)]
#[non_exhaustive]
pub struct Directive {
    /// Stable record ID: lowercase letters, digits, `-`, `_` and `.`; see the `id` module.
    pub id: RecordId,
    /// The number and symbol; absent for documents cited only by name
    /// ("Nghị quyết số 25 … khóa XI").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<DocumentNumber>,
    /// The number alone, for a document cited by its ordinal and term only ("Chỉ thị số 16 …
    /// khóa IX"): no symbol is invented for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordinal: Option<u32>,
    /// The document type, stored on its own: the symbol does not always fix it.
    pub doc_type: DocumentType,
    /// The issuing body as written: "Ban Thường vụ Tỉnh ủy Thái Nguyên"; absent when the source
    /// cites the document without saying who issued it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Text>,
    /// The committee term the number belongs to, as written: "khóa XI", "nhiệm kỳ 2020 - 2025".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<Text>,
    /// The date of issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<NaiveDate>,
    /// The title (trích yếu); absent when the source cites the document without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// The province for a provincial document; absent for a central one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceRef>,
    /// The phase the document sets ("giai đoạn 2021 - 2025, định hướng đến năm 2030").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    /// Planned and held reviews.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    /// Whether the document is still in force; absent when no one has said. Reviews of a
    /// directive whose status is unknown are tracked as if it were in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DirectiveStatus>,
    /// The directive that replaced this one, when `status` is `superseded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<RecordId>,
    /// The documents this one carries out, guides, replaces or amends ("Kế hoạch … thực hiện
    /// Kết luận số 120-KL/TW …": the plan implements the conclusion, a record of its own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<DirectiveLink>,
    /// A remark: what the source left unclear, how the document was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// The values the source did not state but which were worked out (an issue year, the
    /// province from the site); see [`crate::inferred`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<crate::inferred::Inference>,
}

/// A document a directive relates to, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectiveLink {
    /// How this directive relates to it.
    pub relation: crate::citation::Relation,
    /// The other directive's ID.
    pub directive: RecordId,
}

/// The span a directive covers, in whole years, with an optional horizon
/// ("định hướng đến năm 2030").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Phase {
    /// First year.
    pub start_year: i32,
    /// Last year.
    pub end_year: i32,
    /// The year the orientation looks to, after the phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_year: Option<i32>,
}

impl Phase {
    /// A phase from `start_year` to `end_year`, with no horizon (validation checks the years).
    pub fn new(start_year: i32, end_year: i32) -> Phase {
        Phase {
            start_year,
            end_year,
            horizon_year: None,
        }
    }

    /// The phase as a [`Period`] (`2021-2025`), if its years are in range.
    pub fn period(&self) -> Option<Period> {
        Period::phase(self.start_year, self.end_year).ok()
    }
}

/// A review of a directive: mid-term (sơ kết), final (tổng kết), or another.
///
/// A central document is reviewed in every province on its own schedule: a milestone that names
/// a `province` is that province's review of the directive, and is listed and counted under it.
///
/// Older data marked a held review with `"held_at": "conference-id"`; that is still read, as
/// `"held": {"conference": "conference-id"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Milestone {
    /// Which review.
    pub kind: MilestoneKind,
    /// How the document names it: "sơ kết 3 năm", "tổng kết 5 năm".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
    /// When it falls due.
    pub due: Due,
    /// The province whose review this is, for a province's own review of a central directive;
    /// absent for the directive's own review (central for a central directive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceRef>,
    /// Once held: when, by whom, and the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<Held>,
}

/// The JSON form a milestone is read from, with the older `held_at` field.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneRepr {
    kind: MilestoneKind,
    #[serde(default)]
    label: Option<Text>,
    due: Due,
    #[serde(default)]
    province: Option<ProvinceRef>,
    #[serde(default)]
    held: Option<Held>,
    #[serde(default)]
    held_at: Option<RecordId>,
}

impl<'de> Deserialize<'de> for Milestone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = MilestoneRepr::deserialize(d)?;
        let held = match (r.held, r.held_at) {
            (Some(_), Some(_)) => {
                return Err(serde::de::Error::custom(
                    "give either held or the older held_at, not both",
                ));
            }
            (Some(h), None) => Some(h),
            (None, Some(conference)) => Some(Held {
                conference: Some(conference),
                ..Held::default()
            }),
            (None, None) => None,
        };
        Ok(Milestone {
            kind: r.kind,
            label: r.label,
            due: r.due,
            province: r.province,
            held,
        })
    }
}

/// A review held, however it is known: a date (or only the month, half-year or year), the body
/// that held it, and evidence — a conference record, a document (a report such as
/// `115-BC/TU`), or a published source.
///
/// ```
/// use danvan_core::directive::{Held, HeldOn};
/// let h: Held = serde_json::from_str(r#"{
///     "on": "2024S1", "by": "Các đơn vị Cụm thi đua số 3",
///     "document": {"doc_type": "report", "number": "115-BC/TU"}
/// }"#).unwrap();
/// assert_eq!(h.on.unwrap().to_string(), "2024S1");
/// assert_eq!(h.on.unwrap().to_vietnamese(), "6 tháng đầu năm 2024");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Held {
    /// When: a day, or the month, quarter, half-year or year when that is all that is known.
    /// May be left out when `conference` is given (its date is the review's) or when the
    /// source says the review was held but not when (`date_unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<HeldOn>,
    /// The source says the review was held and gives no date at all.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub date_unknown: bool,
    /// The body that held it: "Ban Cán sự Đảng UBND tỉnh", "Trung ương".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Text>,
    /// The conference that held it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conference: Option<RecordId>,
    /// The document that records it, e.g. the review report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<crate::citation::Citation>,
    /// Where it was published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<crate::source::Source>,
    /// What the review found: results, shortcomings, what it decided, as the source words them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Text>,
}

impl Held {
    /// Held on (or within) `on`; add the body and the evidence on the value.
    pub fn on(on: HeldOn) -> Held {
        Held {
            on: Some(on),
            ..Held::default()
        }
    }

    /// Held at a conference, which dates it.
    pub fn at_conference(conference: RecordId) -> Held {
        Held {
            conference: Some(conference),
            ..Held::default()
        }
    }

    /// Whether any evidence is given.
    pub fn has_evidence(&self) -> bool {
        self.conference.is_some() || self.document.is_some() || !self.sources.is_empty()
    }
}

/// When a review was held, as exactly as it is known. JSON: `"2024-06-12"` for a day, or a
/// period ID — `"202406"` (a month), `"2024Q2"`, `"2024S1"`, `"2024"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeldOn {
    /// The day is known.
    Day(NaiveDate),
    /// Only a month, quarter, half-year or year is known.
    Within(Period),
}

impl HeldOn {
    /// The first and last day it may have been.
    pub fn range(self) -> (NaiveDate, NaiveDate) {
        match self {
            HeldOn::Day(d) => (d, d),
            HeldOn::Within(p) => p.date_range(Window::Calendar),
        }
    }

    /// "ngày 12/6/2024", "tháng 6 năm 2024", "6 tháng đầu năm 2024", "năm 2024".
    pub fn to_vietnamese(self) -> String {
        match self {
            HeldOn::Day(d) => format!("ngày {}", crate::date::to_vietnamese_short(d)),
            HeldOn::Within(p) => p.to_vietnamese(),
        }
    }
}

/// Why a [`HeldOn`] could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a day or period: expected e.g. \"2024-06-12\", \"202406\", \"2024S1\" or \"2024\""
)]
pub struct HeldOnError(String);

impl FromStr for HeldOn {
    type Err = HeldOnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Ok(HeldOn::Day(d));
        }
        match Period::parse_id(t) {
            Ok(p)
                if matches!(
                    p.kind(),
                    PeriodKind::Year | PeriodKind::Half | PeriodKind::Quarter | PeriodKind::Month
                ) =>
            {
                Ok(HeldOn::Within(p))
            }
            _ => Err(HeldOnError(s.to_string())),
        }
    }
}

impl fmt::Display for HeldOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeldOn::Day(d) => write!(f, "{d}"),
            HeldOn::Within(p) => write!(f, "{p}"),
        }
    }
}

impl Serialize for HeldOn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HeldOn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for HeldOn {
    fn schema_name() -> Cow<'static, str> {
        "HeldOn".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "When a review was held: a day (\"2024-06-12\"), or a month (\"202406\"), quarter (\"2024Q2\"), half-year (\"2024S1\") or year (\"2024\") when only that is known.",
            "examples": ["2024-06-12", "202406", "2024S1", "2024"]
        })
    }
}

impl Milestone {
    /// A review of `kind` falling due `due`, not yet held.
    pub fn new(kind: MilestoneKind, due: Due) -> Milestone {
        Milestone {
            kind,
            label: None,
            due,
            province: None,
            held: None,
        }
    }

    /// The review's name as reports write it: the document's own wording ("sơ kết 3 năm") or,
    /// without one, the kind's Vietnamese name ("sơ kết").
    pub fn name_vi(&self) -> &str {
        self.label.as_deref().unwrap_or(self.kind.name_vi())
    }
}

/// The kind of a review milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    /// Sơ kết: part-way through the phase.
    MidTerm,
    /// Tổng kết: at the end of the phase.
    Final,
    /// Any other review the document asks for.
    Other,
}

impl MilestoneKind {
    /// "sơ kết", "tổng kết", "kiểm điểm".
    pub fn name_vi(self) -> &'static str {
        match self {
            MilestoneKind::MidTerm => "sơ kết",
            MilestoneKind::Final => "tổng kết",
            MilestoneKind::Other => "đánh giá",
        }
    }

    /// "mid-term review", "final review", "review".
    pub fn name_en(self) -> &'static str {
        match self {
            MilestoneKind::MidTerm => "mid-term review",
            MilestoneKind::Final => "final review",
            MilestoneKind::Other => "review",
        }
    }
}

/// When a milestone falls due: a year (as documents usually say, "sơ kết vào năm 2023"), a
/// half, quarter or month ("trong quý IV/2025", "tháng 6/2024"), or a date. Written in JSON as
/// `"2023"`, `"2025Q4"`, `"2024S1"`, `"202406"` or `"2023-06-30"`.
///
/// ```
/// use danvan_core::directive::Due;
/// let q: Due = "2025Q4".parse().unwrap();
/// assert_eq!(q.deadline().to_string(), "2025-12-31");
/// assert_eq!(q.opens().to_string(), "2025-10-01");
/// assert_eq!("202406".parse::<Due>().unwrap().deadline().to_string(), "2024-06-30");
/// assert!("2021-2025".parse::<Due>().is_err()); // a phase is no deadline
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Due {
    /// Some time in this year; due by 31 December.
    Year(i32),
    /// Some time in this half, quarter or month; due by its last day.
    Period(Period),
    /// On or by this date.
    Date(NaiveDate),
}

impl Due {
    /// The last day the review can be held on time.
    pub fn deadline(self) -> NaiveDate {
        match self {
            Due::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX),
            Due::Period(p) => p.date_range(Window::Calendar).1,
            Due::Date(d) => d,
        }
    }

    /// The first day the review counts as falling due (1 January for a year).
    pub fn opens(self) -> NaiveDate {
        match self {
            Due::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN),
            Due::Period(p) => p.date_range(Window::Calendar).0,
            Due::Date(d) => d,
        }
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        match self {
            Due::Year(y) => y,
            Due::Period(p) => p.years().1,
            Due::Date(d) => d.year(),
        }
    }
}

/// Why a [`Due`] could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a due year, half, quarter, month or date: expected e.g. \"2023\", \"2025Q4\", \"2024S1\", \"202406\" or \"2023-06-30\""
)]
pub struct DueError(String);

impl FromStr for Due {
    type Err = DueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.len() == 4
            && let Ok(y) = t.parse::<i32>()
            && YEAR_RANGE.contains(&y)
        {
            return Ok(Due::Year(y));
        }
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Ok(Due::Date(d));
        }
        match Period::parse_id(t) {
            Ok(p)
                if matches!(
                    p.kind(),
                    PeriodKind::Half | PeriodKind::Quarter | PeriodKind::Month
                ) =>
            {
                Ok(Due::Period(p))
            }
            _ => Err(DueError(s.to_string())),
        }
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Due::Year(y) => write!(f, "{y}"),
            Due::Period(p) => write!(f, "{p}"),
            Due::Date(d) => write!(f, "{d}"),
        }
    }
}

impl Serialize for Due {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Due {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Due;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a year such as \"2023\" or a date such as \"2023-06-30\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Due, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Due, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Due, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for Due {
    fn schema_name() -> Cow<'static, str> {
        "Due".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A due year (\"2023\"), half (\"2024S1\"), quarter (\"2025Q4\"), month (\"202406\") or date (\"2023-06-30\").",
            "pattern": "^\\d{4}(-\\d{2}-\\d{2}|S[12]|Q[1-4]|(0[1-9]|1[0-2]))?$"
        })
    }
}

/// Whether a directive is still in force.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DirectiveStatus {
    /// In force; its reviews are tracked.
    #[default]
    Active,
    /// Its phase is over and it has been reviewed.
    Completed,
    /// Replaced by another document (see `superseded_by`).
    Superseded,
    /// Annulled.
    Repealed,
}

impl Directive {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Directive;

    /// A directive of a type, everything else unknown: set its number, ordinal or title (one
    /// of which identifies it) and the rest on the value.
    ///
    /// ```
    /// use danvan_core::directive::{Directive, Milestone, MilestoneKind, Due, Phase};
    /// use danvan_core::docnum::DocumentType;
    /// let mut d = Directive::new("tn-31-kh".parse().unwrap(), DocumentType::Plan);
    /// assert_eq!(d.validate()[0].field, "title"); // nothing identifies it yet
    /// d.number = Some("31-KH/BDVTU".parse().unwrap());
    /// d.phase = Some(Phase::new(2022, 2025));
    /// d.milestones.push(Milestone::new(MilestoneKind::MidTerm, Due::Year(2024)));
    /// assert!(d.validate().is_empty());
    /// ```
    pub fn new(id: RecordId, doc_type: DocumentType) -> Directive {
        Directive {
            id,
            number: None,
            ordinal: None,
            doc_type,
            issuer: None,
            term: None,
            issued_on: None,
            title: None,
            province: None,
            phase: None,
            milestones: Vec::new(),
            status: None,
            superseded_by: None,
            related: Vec::new(),
            note: None,
            inferred: Vec::new(),
        }
    }

    /// The directive a citation names, with what the citation says of it and nothing more:
    /// `None` when it names no type (party `QĐ` alone). Its title is the citation's, or
    /// unknown.
    ///
    /// ```
    /// use danvan_core::citation::Citation;
    /// use danvan_core::directive::Directive;
    /// let c = Citation::parse("Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị").unwrap();
    /// let d = Directive::from_citation("tw-120-kl".parse().unwrap(), &c).unwrap();
    /// assert!(d.title.is_none()); // the citation gives none; none is invented
    /// assert_eq!(d.label(), "Kết luận 120-KL/TW");
    /// assert_eq!(d.issuer.unwrap().as_str(), "Bộ Chính trị");
    /// assert!(d.province.is_none());
    /// ```
    pub fn from_citation(id: RecordId, c: &crate::citation::Citation) -> Option<Directive> {
        let doc_type = c.doc_type?;
        let mut d = Directive::new(id, doc_type);
        d.title = c.title.clone();
        d.number = c.number.clone();
        d.ordinal = if c.number.is_none() { c.ordinal } else { None };
        d.issued_on = c.issued_on;
        d.issuer = c.issuer.clone();
        d.term = c.term.clone();
        Some(d)
    }

    /// A short name for tables and reports: "Nghị quyết 04-NQ/TU" or the type and title.
    pub fn label(&self) -> String {
        match (&self.number, self.ordinal) {
            (Some(n), _) => format!("{} {n}", self.doc_type.name_vi()),
            (None, Some(n)) => match &self.term {
                Some(t) => format!("{} số {n} ({t})", self.doc_type.name_vi()),
                None => format!("{} số {n}", self.doc_type.name_vi()),
            },
            (None, None) => match &self.title {
                Some(t) => format!("{} {t}", self.doc_type.name_vi()),
                None => self.doc_type.name_vi().to_string(),
            },
        }
    }

    /// What lists show it by: its title, or its label ("Chỉ thị số 16 (khóa IX)") when the
    /// title is unknown.
    pub fn title_or_label(&self) -> String {
        self.title
            .as_ref()
            .map_or_else(|| self.label(), ToString::to_string)
    }

    /// Whether its reviews are tracked: in force, or no one has said otherwise.
    pub fn is_tracked(&self) -> bool {
        matches!(self.status, None | Some(DirectiveStatus::Active))
    }

    /// The date validation reads the province at: the issue date, else 1 January of the phase.
    pub fn reference_date(&self) -> Option<NaiveDate> {
        self.issued_on.or_else(|| {
            self.phase
                .and_then(|p| NaiveDate::from_ymd_opt(p.start_year, 1, 1))
        })
    }

    /// Checks the directive on its own (references to other records are checked by
    /// [`Dataset::validate`](crate::dataset::Dataset::validate)).
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker::new(Self::KIND, &self.id);
        match &self.title {
            Some(title) => c.not_blank("title", title),
            None if self.number.is_none() && self.ordinal.is_none() => c.error(
                "required",
                "title",
                "a document with neither number nor ordinal is known by its title",
            ),
            None => {}
        }
        if let Some(issuer) = &self.issuer {
            c.not_blank("issuer", issuer);
        }
        self.check_number(&mut c);
        self.check_phase(&mut c);
        for (i, m) in self.milestones.iter().enumerate() {
            self.check_milestone(&mut c, i, m);
        }
        match (self.status, &self.superseded_by) {
            (Some(DirectiveStatus::Superseded), None) => {
                c.warn(
                    "missing-replacement",
                    "superseded_by",
                    "status is superseded but no replacing directive is named",
                );
            }
            (s, Some(_)) if s != Some(DirectiveStatus::Superseded) => {
                c.error(
                    "inconsistent",
                    "superseded_by",
                    "only a superseded directive names a replacement",
                );
            }
            _ => {}
        }
        if self.superseded_by.as_ref() == Some(&self.id) {
            c.error(
                "self-reference",
                "superseded_by",
                "a directive cannot supersede itself",
            );
        }
        for (i, link) in self.related.iter().enumerate() {
            if link.directive == self.id {
                c.error(
                    "self-reference",
                    format!("related[{i}].directive"),
                    "a directive cannot relate to itself",
                );
            }
        }
        if let Some(n) = &self.note {
            c.not_blank("note", n);
        }
        if self.ordinal == Some(0) {
            c.error(
                "out-of-range",
                "ordinal",
                "a document's number is 1 or more",
            );
        }
        crate::inferred::check(
            &mut c,
            &self.inferred,
            &[
                ("issued_on", true, self.issued_on.is_some()),
                ("issuer", false, self.issuer.is_some()),
                ("province", false, self.province.is_some()),
                ("phase", false, self.phase.is_some()),
                ("status", false, self.status.is_some()),
                ("term", false, self.term.is_some()),
            ],
        );
        if let Some(province) = &self.province {
            match self.reference_date() {
                Some(date) => c.province_at("province", province.as_str(), date),
                None => {
                    if province.is_unknown() {
                        c.province_at("province", province.as_str(), NaiveDate::MAX);
                    }
                }
            }
        }
        c.finish()
    }

    /// The number against the type and the issue date.
    fn check_number(&self, c: &mut Checker<'_>) {
        if let Some(number) = &self.number {
            if let Some(guess) = number.guess_type()
                && guess != self.doc_type
                && self.doc_type != DocumentType::Other
            {
                c.warn(
                    "number-mismatch",
                    "doc_type",
                    format!(
                        "number {number} suggests {} but doc_type is {}",
                        guess.name_en().to_lowercase(),
                        self.doc_type.name_en().to_lowercase()
                    ),
                );
            }
            if let (Some(year), Some(issued)) = (number.year(), self.issued_on)
                && year != issued.year()
            {
                c.error(
                    "number-mismatch",
                    "issued_on",
                    format!(
                        "issued in {} but the number {number} says {year}",
                        issued.year()
                    ),
                );
            }
        }
    }

    /// The phase's years, horizon and issue date.
    fn check_phase(&self, c: &mut Checker<'_>) {
        if let Some(p) = &self.phase {
            for (field, y) in [
                ("phase.start_year", p.start_year),
                ("phase.end_year", p.end_year),
            ] {
                if !YEAR_RANGE.contains(&y) {
                    c.error(
                        "out-of-range",
                        field,
                        format!("year {y} is out of range (1930–2100)"),
                    );
                }
            }
            if p.end_year < p.start_year {
                c.error(
                    "order",
                    "phase.end_year",
                    format!(
                        "phase ends ({}) before it starts ({})",
                        p.end_year, p.start_year
                    ),
                );
            }
            if let Some(h) = p.horizon_year
                && h < p.end_year
            {
                c.error(
                    "order",
                    "phase.horizon_year",
                    format!(
                        "horizon {h} is before the end of the phase ({})",
                        p.end_year
                    ),
                );
            }
            if let Some(issued) = self.issued_on
                && issued.year() > p.end_year
            {
                c.warn(
                    "order",
                    "issued_on",
                    format!(
                        "issued in {} after its phase ended ({})",
                        issued.year(),
                        p.end_year
                    ),
                );
            }
        }
    }

    /// One milestone: its due date against the phase and issue date, its province, and how it
    /// was held.
    fn check_milestone(&self, c: &mut Checker<'_>, i: usize, m: &Milestone) {
        let year = m.due.year();
        if let Some(p) = &self.phase {
            // A final review is often held early in the year after the phase ends.
            let last = if m.kind == MilestoneKind::Final {
                p.end_year + 1
            } else {
                p.end_year
            };
            if year < p.start_year || year > last {
                c.error(
                    "out-of-range",
                    format!("milestones[{i}].due"),
                    format!(
                        "due {} is outside the phase {}–{}",
                        m.due, p.start_year, p.end_year
                    ),
                );
            }
        } else if !YEAR_RANGE.contains(&year) {
            c.error(
                "out-of-range",
                format!("milestones[{i}].due"),
                format!("year {year} is out of range"),
            );
        }
        if let Some(issued) = self.issued_on
            && m.due.deadline() < issued
        {
            c.error(
                "order",
                format!("milestones[{i}].due"),
                format!(
                    "due {} is before the directive was issued ({issued})",
                    m.due
                ),
            );
        }
        if let Some(label) = &m.label {
            c.not_blank(&format!("milestones[{i}].label"), label);
        }
        self.check_milestone_province(c, i, m);
        if let Some(h) = &m.held {
            check_held(c, i, h, self.issued_on);
        }
    }
}

impl Directive {
    fn check_milestone_province(&self, c: &mut Checker<'_>, i: usize, m: &Milestone) {
        let Some(p) = &m.province else {
            return;
        };
        let field = format!("milestones[{i}].province");
        match &self.province {
            Some(own) if own != p => c.error("wrong-province", 
                field,
                format!(
                    "a provincial directive's reviews are its own province's ({own}); only a central directive lists other provinces' reviews"
                ),
            ),
            _ => c.province_during(&field, p.as_str(), m.due.opens(), m.due.deadline()),
        }
    }
}

fn check_held(c: &mut Checker<'_>, i: usize, h: &Held, issued_on: Option<NaiveDate>) {
    let field = |f: &str| format!("milestones[{i}].held.{f}");
    if h.on.is_none() && h.conference.is_none() && !h.date_unknown {
        c.error("incomplete", 
            field("on"),
            "say when the review was held (a day, or the month, half-year or year), name the conference that held it, or say that the date is not known",
        );
    }
    if h.date_unknown && (h.on.is_some() || h.conference.is_some()) {
        c.error(
            "inconsistent",
            field("date_unknown"),
            "the date is said to be unknown but the review is dated (by `on` or its conference)",
        );
    }
    for (j, f) in h.findings.iter().enumerate() {
        c.not_blank(&field(&format!("findings[{j}]")), f);
    }
    if let (Some(on), Some(issued)) = (h.on, issued_on)
        && on.range().1 < issued
    {
        c.error(
            "order",
            field("on"),
            format!("held {on}, before the directive was issued ({issued})"),
        );
    }
    if let Some(by) = &h.by {
        c.not_blank(&field("by"), by);
    }
    for (j, s) in h.sources.iter().enumerate() {
        s.check(c, &field(&format!("sources[{j}]")));
    }
    if !h.has_evidence() && h.by.is_none() {
        c.warn("incomplete", 
            format!("milestones[{i}].held"),
            "name who held the review or the evidence for it (a conference, a document or a source)",
        );
    }
}

/// How a review stands on the date asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum DueState {
    /// The deadline has passed and the review is not recorded as held.
    Overdue {
        /// Days since the deadline.
        days_late: i64,
    },
    /// The review falls due within the window.
    DueSoon {
        /// Days until the deadline.
        days_left: i64,
    },
}

/// A review that is due or overdue. See [`due_reviews`].
#[derive(Debug, Clone, Serialize)]
pub struct DueReview<'a> {
    /// The directive.
    pub directive: &'a Directive,
    /// Index of the milestone in `directive.milestones`.
    pub milestone_index: usize,
    /// The milestone.
    pub milestone: &'a Milestone,
    /// The last day it can be held on time.
    pub deadline: NaiveDate,
    /// Whose review it is: the milestone's province, else the directive's; `None` for a
    /// review held centrally.
    pub province: Option<&'a ProvinceRef>,
    /// Overdue or due soon.
    #[serde(flatten)]
    pub state: DueState,
}

/// How far ahead to look for reviews falling due: `6m` (months; a bare number is months too),
/// `1y` or `90d`.
///
/// ```
/// use danvan_core::directive::Lookahead;
/// let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let six: Lookahead = "6m".parse().unwrap();
/// assert_eq!(six.end(day(2025, 1, 31)), Some(day(2025, 7, 31)));
/// assert_eq!("90d".parse::<Lookahead>().unwrap(), Lookahead::Days(90));
/// assert!("6w".parse::<Lookahead>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookahead {
    /// Whole months.
    Months(u32),
    /// Days.
    Days(u64),
}

impl Lookahead {
    /// The last day looked at, from `from`; `None` past the calendar's end.
    pub fn end(self, from: NaiveDate) -> Option<NaiveDate> {
        match self {
            Lookahead::Months(m) => from.checked_add_months(chrono::Months::new(m)),
            Lookahead::Days(d) => from.checked_add_days(chrono::Days::new(d)),
        }
    }
}

/// Why a [`Lookahead`] could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LookaheadError {
    /// No leading number.
    #[error("{0:?} is not a span: use e.g. 6m, 1y or 90d")]
    NotASpan(String),
    /// A unit other than months, years or days.
    #[error("{text:?} has an unknown unit {unit:?}: use m, y or d")]
    UnknownUnit {
        /// The text read.
        text: String,
        /// The unit found.
        unit: String,
    },
}

impl FromStr for Lookahead {
    type Err = LookaheadError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
        let n: u32 = digits
            .parse()
            .map_err(|_| LookaheadError::NotASpan(s.to_string()))?;
        match unit {
            "" | "m" | "mo" | "month" | "months" => Ok(Lookahead::Months(n)),
            "y" | "year" | "years" => Ok(Lookahead::Months(n.saturating_mul(12))),
            "d" | "day" | "days" => Ok(Lookahead::Days(u64::from(n))),
            _ => Err(LookaheadError::UnknownUnit {
                text: s.to_string(),
                unit: unit.to_string(),
            }),
        }
    }
}

/// Reviews not yet held whose deadline has passed by `as_of` (overdue), or which fall due
/// from `as_of` to `until` inclusive (due soon), of directives still active. A review due
/// "in 2026" counts as due soon once the window reaches 1 January 2026. Overdue first, then
/// by deadline.
///
/// ```
/// use chrono::NaiveDate;
/// use danvan_core::directive::{due_reviews, Directive, DueState};
/// let d: Directive = serde_json::from_str(r#"{
///   "id": "tn-05-da", "number": "05-ĐA/TU", "doc_type": "scheme", "issuer": "Tỉnh ủy Thái Nguyên",
///   "title": "Đề án nâng cao chất lượng công tác dân vận", "phase": {"start_year": 2021, "end_year": 2025},
///   "milestones": [{"kind": "mid_term", "due": "2023"}, {"kind": "final", "due": "2025-11-30"}]
/// }"#).unwrap();
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let due = due_reviews([&d], day(2025, 6, 1), day(2025, 12, 1));
/// assert_eq!(due.len(), 2);
/// assert!(matches!(due[0].state, DueState::Overdue { .. }));
/// assert_eq!(due[1].deadline, day(2025, 11, 30));
/// ```
pub fn due_reviews<'a>(
    directives: impl IntoIterator<Item = &'a Directive>,
    as_of: NaiveDate,
    until: NaiveDate,
) -> Vec<DueReview<'a>> {
    let mut out = Vec::new();
    for d in directives {
        if !d.is_tracked() {
            continue;
        }
        for (i, m) in d.milestones.iter().enumerate() {
            if m.held.is_some() {
                continue;
            }
            let deadline = m.due.deadline();
            let state = if deadline < as_of {
                DueState::Overdue {
                    days_late: (as_of - deadline).num_days(),
                }
            } else if m.due.opens() <= until {
                DueState::DueSoon {
                    days_left: (deadline - as_of).num_days(),
                }
            } else {
                continue;
            };
            out.push(DueReview {
                directive: d,
                milestone_index: i,
                milestone: m,
                deadline,
                province: m.province.as_ref().or(d.province.as_ref()),
                state,
            });
        }
    }
    out.sort_by(|a, b| {
        let overdue = |r: &DueReview<'_>| matches!(r.state, DueState::DueSoon { .. });
        overdue(a)
            .cmp(&overdue(b))
            .then(a.deadline.cmp(&b.deadline))
            .then(a.directive.id.cmp(&b.directive.id))
    });
    out
}
