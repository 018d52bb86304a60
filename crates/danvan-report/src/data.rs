//! What a report says, computed from the store: every figure, before any layout.
//!
//! A report covers a scope (one province on the current or the old map, or the whole country)
//! and a period. Figures are exact: ratios are summed as numerators and denominators, never as
//! percentages, so rolling Bắc Kạn's 2024 figures into Thái Nguyên gives the right rate.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use danvan_core::conference::{
    Commendation, Conference, ConferenceKind, DatePrecision, Format as ConferenceFormat, Person,
};
use danvan_core::dataset::RecordRef;
use danvan_core::directive::{DueState, MilestoneKind, due_reviews};
use danvan_core::docnum::DocumentType;
use danvan_core::indicator::{Aggregation, Direction, IndicatorDefinition, Measure, Observation};
use danvan_core::inferred::Inference;
use danvan_core::model::{ModelField, ModelStatus};
use danvan_core::number::Decimal;
use danvan_core::period::{Period, Window};
use danvan_core::province::registry;
use danvan_core::record_kind::RecordKind;
use danvan_store::{
    PeriodFilter, PeriodMatch, ProvinceFilter, ProvinceMap, Query, SharedRecord, Store, StoreError,
};
use serde::Serialize;

/// What a report is about.
#[derive(Debug, Clone)]
pub struct Scope {
    /// A province (slug or name); `None` for the whole country.
    pub province: Option<String>,
    /// The current (post-2025) map, or the province as recorded.
    pub map: ProvinceMap,
    /// The period reported.
    pub period: Period,
    /// Calendar boundaries, or the Decree 09/2019 cut-off window.
    pub window: Window,
    /// The date the report is dated (the place-and-date line).
    pub today: NaiveDate,
    /// How national tables across provinces are ordered.
    pub order: ProvinceOrder,
    /// Whether units' totals include figures whose submission is not yet approved (marked
    /// "số liệu chưa được duyệt"); by default they are left out and named.
    pub include_pending: bool,
}

impl Scope {
    /// The map a report dated `date` is on, unless it says otherwise: today's map once the
    /// provinces have last changed (the merger of 1 July 2025), the provinces as they were
    /// before that — a report dated 25 June 2024 speaks of 63 provinces, and of Bắc Kạn's
    /// conferences as Bắc Kạn's.
    pub fn map_on(date: NaiveDate) -> ProvinceMap {
        let last_change = registry().all().iter().filter_map(|p| p.valid_until).max();
        match last_change {
            Some(last) if date <= last => ProvinceMap::AsRecorded,
            _ => ProvinceMap::Current,
        }
    }

    /// A report of `province` (a slug or a name; `None` for the whole country) for `period`,
    /// dated `today`, with the defaults: the map of its date ([`Scope::map_on`]), calendar
    /// boundaries, provinces in Vietnamese order. Change the fields for the rest.
    pub fn new(province: Option<&str>, period: Period, today: NaiveDate) -> Scope {
        Scope {
            province: province.map(str::to_string),
            map: Scope::map_on(today),
            period,
            window: Window::Calendar,
            today,
            order: ProvinceOrder::Name,
            include_pending: false,
        }
    }
}

/// The order of the rows of a national table across provinces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvinceOrder {
    /// Vietnamese alphabetical order of the names ("Cao Bằng" before "Cần Thơ").
    #[default]
    Name,
    /// Best figure first (by each indicator's direction), provinces without a figure last;
    /// the summary table by indicators reported, then conferences held, then models built.
    Value,
}

impl std::str::FromStr for ProvinceOrder {
    type Err = danvan_core::vocabulary::UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        danvan_core::vocabulary::Vocabulary::from_name(s)
    }
}

/// How many periods an indicator's trend shows, the reported one included.
pub const TREND_PERIODS: usize = 6;

/// Whether an indicator is where it should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At or beyond its target.
    OnTrack,
    /// Short of its target.
    OffTrack,
    /// No figure for the period.
    NoData,
    /// A figure, but no target to judge it against: reports describe the change on the
    /// comparison period without a judgement.
    NoTarget,
}

/// One line of the indicator table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    /// The indicator.
    pub indicator: String,
    /// Its Vietnamese name.
    pub name: String,
    /// Its English name.
    pub name_en: String,
    /// The unit counted.
    pub unit: String,
    /// Count, ratio, percent or score.
    pub measure: Measure,
    /// For ratios: the summed numerator and denominator (in JSON, an object with `numerator`
    /// and `denominator`).
    #[serde(serialize_with = "json::ratio")]
    pub ratio: Option<(u64, u64)>,
    /// The figure: the percentage for ratios, the sum for counts, a single percentage or
    /// score; `None` where the parts do not add up (then `parts` lists them).
    pub value: Option<Decimal>,
    /// How the indicator's figures add up.
    pub aggregation: Aggregation,
    /// The provinces (slugs as recorded) whose figures make `value`; empty when `value` is
    /// the whole level's own figure.
    pub units: Vec<String>,
    /// The figure as the whole level reported it (the country's total from the central
    /// board), when there are also parts: shown beside their sum, never added to it.
    pub level: Option<LevelFigure>,
    /// Each part's figure, when they do not add up to one (an index, or percentages alone).
    pub parts: Vec<PartFigure>,
    /// How the figure was compared with a year earlier: over the same provinces, over those
    /// common to both periods (said so), or not at all.
    pub comparison: Comparison,
    /// The comparison period's figure, over the provinces compared.
    pub previous: Option<Decimal>,
    /// The change on the comparison period, over the provinces compared (for a
    /// [`Comparison::Common`], their figure this period minus theirs a year earlier).
    pub change: Option<Decimal>,
    /// The target, from the observations or the definition.
    pub target: Option<Decimal>,
    /// On track or not.
    pub status: Status,
    /// Observations whose stated percentage disagrees with their ratio.
    pub inconsistent: Vec<String>,
    /// How many observations were combined (several provinces, or old and new units).
    pub observations: usize,
    /// Whether a higher or a lower figure is better.
    pub direction: Direction,
    /// The figure over the last [`TREND_PERIODS`] periods of the same kind, oldest first.
    pub trend: Vec<TrendPoint>,
    /// The percentage as the source stated it ("đạt trên 95%"), when the figure is a single
    /// stated percentage with no ratio behind it: reports print it as stated.
    pub stated: Option<String>,
    /// National reports: how many provinces have a figure, of how many (`[1, 34]`). The
    /// comparison period and the trend are computed over those same provinces.
    pub coverage: Option<[usize; 2]>,
    /// The observations the figure was computed from (IDs).
    pub sources: Vec<String>,
    /// The provinces (slugs as recorded) behind `previous`: those of `units` when the
    /// comparison is like for like.
    pub previous_units: Vec<String>,
    /// The observations the comparison period's figure was computed from.
    pub previous_sources: Vec<String>,
    /// National reports: the figure of each province (on the report's map), in the report's
    /// order.
    pub by_province: Vec<ProvinceFigure>,
    /// A phase or a term with no figure of its own: the first and the last of its years with
    /// figures. `value` is the last year's, `previous` and `change` are against the first.
    pub span: Option<[Period; 2]>,
}

/// The issuing board and its central counterpart on the report's date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssuingBoard {
    /// "Ban Dân vận Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy", or the central board's name
    /// for a national report.
    pub name: String,
    /// The name as the header writes it under the committee: "Ban Dân vận".
    pub short_name: String,
    /// The English name.
    pub name_en: String,
    /// The symbol in the report's number: `BDVTU`, `BTGDVTU`, `BTGDVTW`.
    pub symbol: String,
    /// The central board reports are sent to: "Ban Dân vận Trung ương" before its merger.
    pub central: String,
    /// Its English name.
    pub central_en: String,
}

/// A figure shown on its own: a unit's, or a part of the report's period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherFigure {
    /// The observation's ID.
    pub observation: String,
    /// The indicator.
    pub indicator: String,
    /// Its Vietnamese name.
    pub name: String,
    /// Its English name.
    pub name_en: String,
    /// Count, ratio, percent or score.
    pub measure: Measure,
    /// The observation's own period.
    pub period: Period,
    /// The province as recorded (slug).
    pub province: Option<String>,
    /// The unit the figure counts for, if it is a unit's.
    pub unit: Option<danvan_core::indicator::ReportingUnit>,
    /// For ratios: numerator and denominator.
    #[serde(serialize_with = "json::ratio")]
    pub ratio: Option<(u64, u64)>,
    /// The percentage of a ratio, or the value.
    pub value: Option<Decimal>,
    /// The percentage as the source stated it, when there is no ratio to compute it from.
    pub stated: Option<String>,
}

/// One point of an indicator's trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The period.
    pub period: Period,
    /// The figure, if any was reported.
    pub value: Option<Decimal>,
    /// The observations it was computed from.
    pub sources: Vec<String>,
    /// When the point covers fewer of the provinces behind the period's figure than all:
    /// how many it covers, of how many.
    pub coverage: Option<[usize; 2]>,
}

/// One province's figure for an indicator, in a national report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvinceFigure {
    /// The province's slug.
    pub province: String,
    /// Its name.
    pub name: String,
    /// For ratios: the summed numerator and denominator (in JSON, an object with `numerator`
    /// and `denominator`).
    #[serde(serialize_with = "json::ratio")]
    pub ratio: Option<(u64, u64)>,
    /// The figure.
    pub value: Option<Decimal>,
    /// The comparison period's figure.
    pub previous: Option<Decimal>,
    /// `value - previous`.
    pub change: Option<Decimal>,
    /// Against the target; no judgement without one.
    pub status: Status,
    /// The target the figure is judged against, where it has one: its own, the board's for the
    /// province, or the indicator's (see [`danvan_core::target::applicable`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Decimal>,
    /// The observations the figure was computed from.
    pub sources: Vec<String>,
}

/// One province's line of the national summary table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvinceSummary {
    /// The province's slug.
    pub province: String,
    /// Its name.
    pub name: String,
    /// Conferences held in the period.
    pub conferences: usize,
    /// Directives issued in the period.
    pub directives_issued: usize,
    /// "Dân vận khéo" models started in the period.
    pub models_built: usize,
    /// Models recognised in the period.
    pub models_recognised: usize,
    /// Directive reviews held at conferences in the period.
    pub reviews_held: usize,
    /// Directive reviews overdue at the end of the period.
    pub reviews_overdue: usize,
    /// Indicators with a figure for the period.
    pub indicators_reported: usize,
    /// The records each count was computed from: conferences, directives, models built and
    /// recognised, the directives whose reviews were held and overdue, and observations.
    pub sources: SummarySources,
}

/// The record IDs behind one province's summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SummarySources {
    /// Conferences held.
    pub conferences: Vec<String>,
    /// Directives issued.
    pub directives_issued: Vec<String>,
    /// Models started.
    pub models_built: Vec<String>,
    /// Models recognised.
    pub models_recognised: Vec<String>,
    /// Directives whose reviews were held.
    pub reviews_held: Vec<String>,
    /// Directives whose reviews are overdue.
    pub reviews_overdue: Vec<String>,
    /// Observations of the period.
    pub indicators_reported: Vec<String>,
}

/// Conferences held in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConferenceSection {
    /// The conferences by their combination of kinds: each conference is in exactly one group
    /// (a thematic conference that also reviewed the six months is one conference, in the group
    /// of both kinds), so the groups add up to the conferences held.
    pub by_kind: Vec<KindGroup>,
    /// Every conference, by date.
    pub items: Vec<ConferenceLine>,
    /// National reports: conferences of no province (held centrally).
    pub central: usize,
}

/// Conferences of one combination of kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindGroup {
    /// The kinds, in report order.
    pub kinds: Vec<ConferenceKind>,
    /// How many conferences.
    pub count: usize,
    /// Their IDs.
    pub conferences: Vec<String>,
}

/// What a report says of one conference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConferenceLine {
    /// The conference's ID.
    pub id: String,
    /// Its date.
    pub date: NaiveDate,
    /// How exactly the date is known.
    pub date_precision: DatePrecision,
    /// When the date (or its year) was inferred rather than stated: from what.
    pub date_inferred: Option<Inference>,
    /// Its title.
    pub title: String,
    /// Its kinds.
    pub kinds: Vec<ConferenceKind>,
    /// The province (slug) as recorded; `None` for a central conference.
    pub province: Option<String>,
    /// Who held it.
    pub hosts: Vec<String>,
    /// Who chaired it.
    pub chairs: Vec<Person>,
    /// The emulation cluster (cụm thi đua) it was held for.
    pub cluster: Option<String>,
    /// In person, online or hybrid, with connection points; `None` when unknown.
    pub format: Option<ConferenceFormat>,
    /// The connection points by tier, when the source breaks them down.
    pub connection_points: Vec<danvan_core::conference::ConnectionPoints>,
    /// Where.
    pub location: Option<String>,
    /// The period it reviewed.
    pub reviewed_period: Option<Period>,
    /// The directives it reviewed (IDs).
    pub reviewed_directives: Vec<String>,
    /// Commendations awarded.
    pub commendations: Vec<Commendation>,
    /// Results it recorded.
    pub results: Vec<String>,
    /// Shortcomings it recorded.
    pub shortcomings: Vec<String>,
    /// Tasks it set for the next period.
    pub tasks: Vec<String>,
}

/// A directive line: the document as it is cited, and for a review, which one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectiveLine {
    /// The directive's ID.
    pub id: String,
    /// "Đề án 05-ĐA/TU".
    pub label: String,
    /// Its type.
    pub doc_type: DocumentType,
    /// Its number and symbol, when it has one: "05-ĐA/TU".
    pub number: Option<String>,
    /// Its date of issue.
    pub issued_on: Option<NaiveDate>,
    /// When the date of issue (or its year) was inferred rather than stated: from what.
    pub issued_on_inferred: Option<Inference>,
    /// Who issued it, as written.
    pub issuer: Option<String>,
    /// Its title, when known.
    pub title: Option<String>,
    /// The phase it sets: first and last year.
    pub phase: Option<(i32, i32)>,
    /// For reviews: the milestone's position in the directive's list.
    pub milestone: Option<usize>,
    /// The review concerned (its label as the document words it), for reviews.
    pub review: Option<String>,
    /// The kind of that review.
    pub review_kind: Option<MilestoneKind>,
    /// Its deadline.
    pub deadline: Option<NaiveDate>,
    /// For reviews held: when ("2024-06-12", or the month, half-year or year).
    pub held_on: Option<String>,
    /// For reviews held: what the review found, as recorded.
    pub findings: Vec<String>,
}

/// Directives issued, reviews held, due and overdue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectiveSection {
    /// Issued in the period.
    pub issued: Vec<DirectiveLine>,
    /// Reviews held at conferences in the period.
    pub reviews_held: Vec<DirectiveLine>,
    /// Reviews overdue at the end of the period.
    pub overdue: Vec<DirectiveLine>,
    /// Reviews falling due in the next period.
    pub due_next: Vec<DirectiveLine>,
    /// Phases ending in the next period.
    pub phases_ending: Vec<DirectiveLine>,
}

/// How a province's units' reports for the period stand on the report's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SubmissionCount {
    /// How many reports the forms ask of the units.
    pub owed: usize,
    /// How many were sent (on time or late, waiting or approved).
    pub sent: usize,
    /// How many were approved.
    pub approved: usize,
    /// How many are past their due day and not sent.
    pub overdue: usize,
}

/// A commendation given in the period, as a report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardLine {
    /// The award's ID.
    pub id: String,
    /// Its form, when recorded.
    pub form: Option<danvan_core::award::AwardForm>,
    /// The award as the text words it, when recorded.
    pub title: Option<String>,
    /// Who awarded it.
    pub awarded_by: Option<String>,
    /// The deciding document's number.
    pub decision: Option<String>,
    /// The decision's date.
    pub decided_on: Option<NaiveDate>,
    /// The day the report lists it by (presented, else decided).
    pub date: NaiveDate,
    /// Who received it, as recorded (counts, names, "many", or nothing known).
    pub recipients: danvan_core::award::Recipients,
    /// The conference it was presented at (ID), when there was one.
    pub conference: Option<String>,
}

/// "Dân vận khéo" models of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelRow {
    /// The field; `None` for the models whose field no one recorded.
    pub field: Option<ModelField>,
    /// Started in the period.
    pub built: usize,
    /// Of those, how many have a start year that was inferred rather than stated.
    pub built_inferred: usize,
    /// Started in the comparison period.
    pub built_previous: usize,
    /// Of those started up to the end of the period, how many are effective.
    pub effective: usize,
    /// Recognised in the period.
    pub recognised: usize,
    /// The models behind each count (IDs).
    pub sources: ModelSources,
}

impl ModelRow {
    /// The row's field in Vietnamese and English: "kinh tế", or "chưa rõ lĩnh vực" for the
    /// models whose field no one recorded.
    pub fn field_names(&self) -> (&'static str, &'static str) {
        match self.field {
            Some(f) => (f.name_vi(), f.name_en()),
            None => ("chưa rõ lĩnh vực", "field not recorded"),
        }
    }
}

/// The models behind a [`ModelRow`]'s counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ModelSources {
    /// Started in the period.
    pub built: Vec<String>,
    /// Started in the comparison period.
    pub built_previous: Vec<String>,
    /// Effective.
    pub effective: Vec<String>,
    /// Recognised in the period.
    pub recognised: Vec<String>,
}

/// The models of all fields together: the sums of [`ModelRow`]'s columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ModelTotals {
    /// Started in the period.
    pub built: usize,
    /// Of those, how many have a start year that was inferred rather than stated.
    pub built_inferred: usize,
    /// Models whose start year no one recorded: counted in no period (neither built nor, since
    /// no one knows they existed then, effective).
    pub undated: usize,
    /// Started in the comparison period.
    pub built_previous: usize,
    /// Effective.
    pub effective: usize,
    /// Recognised in the period.
    pub recognised: usize,
}

/// What the board has recorded as none for the period (a figure of 0 for the indicator that
/// stands for that part of the report), as opposed to nothing recorded. Only these let a
/// report say "không ban hành văn bản chỉ đạo mới", "không có mô hình … đăng ký xây dựng mới"
/// or "không cho thấy hạn chế nào"; without them it says "chưa có số liệu về …".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NilReturns {
    /// No new directive (`directives_issued` = 0).
    pub directives: bool,
    /// No new model registered (`models_registered` = 0).
    pub models: bool,
    /// No shortcoming (`shortcomings_noted` = 0).
    pub shortcomings: bool,
}

impl NilReturns {
    /// The nil returns among a report's indicator rows: a figure of 0 covering every province
    /// the report covers.
    fn of(rows: &[IndicatorRow]) -> NilReturns {
        let none = |code: &str| {
            rows.iter().any(|r| {
                r.indicator == code
                    && r.value == Some(Decimal::ZERO)
                    && (r.units.is_empty() || r.coverage.is_none_or(|[with, of]| with == of))
            })
        };
        NilReturns {
            directives: none("directives_issued"),
            models: none("models_registered"),
            shortcomings: none("shortcomings_noted"),
        }
    }

    /// Whether indicator `code` stands for a part the board recorded as none.
    pub fn records_none_by(self, code: &str) -> bool {
        match code {
            "directives_issued" => self.directives,
            "models_registered" => self.models,
            "shortcomings_noted" => self.shortcomings,
            _ => false,
        }
    }
}

/// The former provinces a province's figures combine, for a period before the merger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollup {
    /// Those with at least one record in the period (names).
    pub included: Vec<String>,
    /// Those with none.
    pub without_data: Vec<String>,
}

/// Everything a report says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportData {
    /// The province's name, or `None` for the whole country.
    pub province: Option<String>,
    /// The province's slug, or `None` for the whole country.
    pub province_slug: Option<String>,
    /// The map provinces are counted on.
    pub map: ProvinceMap,
    /// Calendar boundaries or the cut-off window.
    pub window: Window,
    /// The period.
    pub period: Period,
    /// The comparison period ("cùng kỳ").
    pub previous_period: Period,
    /// First and last day covered; in JSON, an object with `start` and `end`.
    #[serde(serialize_with = "json::range")]
    pub range: (NaiveDate, NaiveDate),
    /// The report's date.
    pub today: NaiveDate,
    /// The board that issues the report, and the central board it is sent to, as named on the
    /// report's date (see `danvan_core::board`).
    pub board: IssuingBoard,
    /// Conferences.
    pub conferences: ConferenceSection,
    /// Directives.
    pub directives: DirectiveSection,
    /// Models by field.
    pub models: Vec<ModelRow>,
    /// Commendations given in the period, by date.
    pub awards: Vec<AwardLine>,
    /// The models of all fields together.
    pub model_totals: ModelTotals,
    /// What the board recorded as none for the period.
    pub nil_returns: NilReturns,
    /// A province on the current map over a period before the 2025 merger: the former
    /// provinces its figures combine.
    pub rollup: Option<Rollup>,
    /// The indicator table.
    pub indicators: Vec<IndicatorRow>,
    /// Figures shown on their own, never added into the table's: those of units below the
    /// province (a department, a cluster, a Đảng bộ khối) and those of months, quarters or
    /// halves inside the report's period, each with its own period.
    pub other_figures: Vec<OtherFigure>,
    /// A province's units' figures of the period added up by indicator and level, beside its
    /// own figures (never into them).
    pub unit_totals: Vec<UnitTotal>,
    /// Provinces with no figure in the period (national reports).
    pub not_reporting: Vec<String>,
    /// A province's units' reports owed for the period under its forms, as they stand on the
    /// report's date; `None` where no form applies.
    pub submissions: Option<SubmissionCount>,
    /// National reports: one line per province, in the report's order.
    pub provinces: Vec<ProvinceSummary>,
    /// What the units' approved reports of the period wrote, section by section (an outline's
    /// `units` sections quote them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unit_sections: Vec<UnitSection>,
}

/// A written section of a unit's approved report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSection {
    /// The form section's key.
    pub key: String,
    /// The unit, by name (the province's own report: the province).
    pub unit: String,
    /// The submission it is from.
    pub submission: String,
    /// What the unit wrote.
    pub text: String,
}

/// The written sections of the approved reports of `period` in the scope, by unit name.
fn unit_sections(
    store: &dyn Store,
    scope: &Scope,
    period: Period,
) -> Result<Vec<UnitSection>, StoreError> {
    let approved = collect_shared(
        store,
        &in_scope(scope, RecordKind::Submission, None),
        |r| match r {
            SharedRecord::Submission(s) if s.locks() && s.period == period => Some(s),
            _ => None,
        },
    )?;
    let mut out = Vec::new();
    for s in &approved {
        let unit = match &s.unit {
            Some(id) => match store.get(RecordKind::Unit, id)?.map(|u| u.record) {
                Some(danvan_core::dataset::AnyRecord::Unit(u)) => u.name.to_string(),
                _ => id.to_string(),
            },
            None => registry()
                .latest(s.province.as_str())
                .map_or_else(|| s.province.as_str().to_string(), |p| p.name.to_string()),
        };
        out.extend(s.sections.iter().map(|t| UnitSection {
            key: t.key.clone(),
            unit: unit.clone(),
            submission: s.id.to_string(),
            text: t.text.to_string(),
        }));
    }
    out.sort_by(|a, b| {
        danvan_core::text::compare(&a.unit, &b.unit).then_with(|| a.submission.cmp(&b.submission))
    });
    Ok(out)
}

/// JSON shapes for the tuples above: named fields read better for integrators than arrays.
mod totals;

use totals::combine;
pub use totals::{Comparison, LevelFigure, PartFigure, UnitTotal};

mod json {
    use chrono::NaiveDate;
    use serde::Serialize;
    use serde::ser::Serializer;

    #[derive(Serialize)]
    struct Ratio {
        numerator: u64,
        denominator: u64,
    }

    pub(super) fn ratio<S: Serializer>(v: &Option<(u64, u64)>, s: S) -> Result<S::Ok, S::Error> {
        v.map(|(numerator, denominator)| Ratio {
            numerator,
            denominator,
        })
        .serialize(s)
    }

    pub(super) fn range<S: Serializer>(
        v: &(NaiveDate, NaiveDate),
        s: S,
    ) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Range {
            start: NaiveDate,
            end: NaiveDate,
        }
        Range {
            start: v.0,
            end: v.1,
        }
        .serialize(s)
    }
}

/// What a report needs of a model.
struct ModelFacts {
    id: String,
    /// The province as recorded (slug).
    province: String,
    field: Option<ModelField>,
    start_year: Option<i32>,
    /// Whether the start year was inferred rather than stated.
    start_inferred: bool,
    effective: bool,
    recognised_on: Option<NaiveDate>,
    /// The unit it counts for in a national table.
    unit: Option<&'static str>,
}

/// Records of `kind` in the scope's province (on its map), in `period` if given.
fn in_scope(scope: &Scope, kind: RecordKind, period: Option<(Period, PeriodMatch)>) -> Query {
    Query {
        kinds: vec![kind],
        province: scope.province.as_ref().map(|p| ProvinceFilter {
            province: p.clone(),
            map: scope.map,
        }),
        period: period.map(|(period, matching)| PeriodFilter {
            period,
            matching,
            window: scope.window,
        }),
        ..Query::default()
    }
}

/// The indicator definitions the store holds.
fn stored_definitions(store: &dyn Store) -> Result<Vec<IndicatorDefinition>, StoreError> {
    Ok(store
        .export(Some(&Query::kind(RecordKind::Indicator)))?
        .dataset
        .indicators)
}

/// Indicator `code`'s definition: the store's, else the built-in catalogue's.
fn definition_of<'d>(
    definitions: &'d [IndicatorDefinition],
    code: &str,
) -> Option<&'d IndicatorDefinition> {
    definitions
        .iter()
        .find(|d| d.id.as_str() == code)
        .or_else(|| danvan_core::indicator::builtin(code))
}

/// The report's indicator table alone (each row with its trend), as [`build`] computes it,
/// without the rest of the report: the web app's dashboard shows it.
pub fn indicator_table(store: &dyn Store, scope: &Scope) -> Result<Vec<IndicatorRow>, StoreError> {
    let cx = Context::with_targets(store, scope)?;
    let definitions = stored_definitions(store)?;
    let definition = |code: &str| definition_of(&definitions, code);
    Ok(indicator_rows(store, &cx, &definition)?.0)
}

/// The board of the report's province (the central board for the country) on the report's
/// date, by the store's board calendar.
fn issuing_board(
    store: &dyn Store,
    slug: Option<&str>,
    scope: &Scope,
) -> Result<IssuingBoard, StoreError> {
    let calendar = store.board_calendar()?;
    let unit = slug.and_then(|s| {
        registry()
            .by_slug(s, scope.today)
            .or_else(|| registry().all_with_slug(s).last())
    });
    // A former province (on the old map) is headed by the bodies of its last day.
    let date = unit
        .and_then(|u| u.valid_until)
        .map_or(scope.today, |last| last.min(scope.today));
    let board = calendar.board_at(unit, date);
    let central = calendar.board_at(None, scope.today);
    Ok(IssuingBoard {
        name: board.name_vi.to_string(),
        short_name: board.short_vi.to_string(),
        name_en: board.name_en.to_string(),
        symbol: board.symbol.to_string(),
        central: central.name_vi.to_string(),
        central_en: central.name_en.to_string(),
    })
}

/// A province's units' figures of the report's period, added up by indicator and level (see
/// `totals::unit_totals`), figures waiting for approval left out unless the scope includes them.
fn provinces_unit_totals(
    store: &dyn Store,
    scope: &Scope,
    period: Period,
    obs: &[Arc<Observation>],
    definition: &impl Fn(&str) -> Option<IndicatorDefinition>,
    rows: &[IndicatorRow],
) -> Result<Vec<UnitTotal>, StoreError> {
    let mut units: Vec<&Observation> = obs
        .iter()
        .map(Arc::as_ref)
        .filter(|o| o.unit.is_some() && o.period == period)
        .collect();
    units.sort_by(|a, b| a.indicator.cmp(&b.indicator).then_with(|| a.id.cmp(&b.id)));
    let own = |code: &str| {
        rows.iter()
            .find(|r| r.indicator == code && r.span.is_none())
            .and_then(|r| r.value)
    };
    // The registered units that existed in the period: those due to report.
    let (start, end) = period.date_range(scope.window);
    let registry = collect_shared(
        store,
        &in_scope(scope, RecordKind::Unit, None),
        |r| match r {
            SharedRecord::Unit(u) if u.existed_during(start, end) => Some(u),
            _ => None,
        },
    )?;
    let registered: Vec<&danvan_core::unit::Unit> = registry.iter().map(Arc::as_ref).collect();
    // Figures sent in a submission that is not approved wait for the board.
    let waiting = collect_shared(
        store,
        &in_scope(scope, RecordKind::Submission, None),
        |r| match r {
            SharedRecord::Submission(s) if !s.locks() && s.period.contains(&period) => Some(s),
            _ => None,
        },
    )?;
    let is_pending = |o: &Observation| {
        let Some(named) = &o.unit else { return false };
        waiting.iter().any(|s| {
            s.period.contains(&o.period)
                && s.unit.as_ref().is_some_and(|id| {
                    registered
                        .iter()
                        .any(|u| u.id == *id && u.level == named.level && u.answers_to(&named.name))
                })
        })
    };
    Ok(totals::unit_totals(
        &units,
        &registered,
        definition,
        own,
        totals::Pending {
            is: &is_pending,
            included: scope.include_pending,
        },
    ))
}

/// The figures of `scope` inside `period` that are not part of the indicator table: units'
/// figures and those of shorter periods, ordered by period, indicator and unit.
fn other_figures(
    store: &dyn Store,
    scope: &Scope,
    period: Period,
    definition: impl Fn(&str) -> Option<IndicatorDefinition>,
    rows: &[IndicatorRow],
) -> Result<(Vec<OtherFigure>, Vec<UnitTotal>), StoreError> {
    let obs = collect_shared(
        store,
        &in_scope(
            scope,
            RecordKind::Observation,
            Some((period, PeriodMatch::Within)),
        ),
        |r| match r {
            SharedRecord::Observation(o) if !o.is_own_figure() || o.period != period => Some(o),
            _ => None,
        },
    )?;
    // A province's units of one level, added up for the report's period beside (never into)
    // the province's own figures.
    let totals = if scope.province.is_some() {
        provinces_unit_totals(store, scope, period, &obs, &definition, rows)?
    } else {
        Vec::new()
    };
    // Each period's first day computed once, not at every comparison.
    let mut keyed: Vec<(NaiveDate, Arc<Observation>)> = obs
        .into_iter()
        .map(|o| (o.period.date_range(Window::Calendar).0, o))
        .collect();
    keyed.sort_by(|(start_a, a), (start_b, b)| {
        start_a
            .cmp(start_b)
            .then_with(|| a.indicator.cmp(&b.indicator))
            .then_with(|| a.id.cmp(&b.id))
    });
    let figures = keyed
        .into_iter()
        .map(|(_, o)| {
            let def = definition(o.indicator.as_str());
            let ratio = o.numerator.zip(o.denominator);
            OtherFigure {
                observation: o.id.to_string(),
                indicator: o.indicator.to_string(),
                name: def
                    .as_ref()
                    .map_or_else(|| o.indicator.to_string(), |d| d.name_vi.to_string()),
                name_en: def
                    .as_ref()
                    .map_or_else(|| o.indicator.to_string(), |d| d.name_en.to_string()),
                measure: def.as_ref().map_or(Measure::Count, |d| d.measure),
                period: o.period,
                province: o.province.as_ref().map(|p| p.as_str().to_string()),
                value: o.computed(),
                stated: totals::stated_only(&o),
                ratio,
                unit: o.unit.clone(),
            }
        })
        .collect();
    Ok((figures, totals))
}

/// What `pick` keeps of the records `q` matches, read without copying whole records.
fn collect<T>(
    store: &dyn Store,
    q: &Query,
    pick: impl Fn(RecordRef<'_>) -> Option<T>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    store.visit(q, &mut |r| out.extend(pick(r)))?;
    Ok(out)
}

/// As [`collect`], keeping whole records shared with the store rather than copied.
fn collect_shared<T>(
    store: &dyn Store,
    q: &Query,
    pick: impl Fn(SharedRecord) -> Option<T>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    store.visit_shared(q, &mut |r| out.extend(pick(r)))?;
    Ok(out)
}

/// On or off track against the target; without a target, no judgement (the change on the
/// comparison period is described instead, never judged).
fn status(direction: Direction, value: Option<Decimal>, target: Option<Decimal>) -> Status {
    let Some(v) = value else {
        return Status::NoData;
    };
    let Some(t) = target else {
        return Status::NoTarget;
    };
    let met = match direction {
        Direction::HigherIsBetter => v >= t,
        Direction::LowerIsBetter => v <= t,
        // A target on a figure with no better direction is a level to reach.
        Direction::Neutral => v >= t,
    };
    if met {
        Status::OnTrack
    } else {
        Status::OffTrack
    }
}

/// The figures of one indicator over some observations.
struct Figures {
    ratio: Option<(u64, u64)>,
    value: Option<Decimal>,
    previous: Option<Decimal>,
    change: Option<Decimal>,
    status: Status,
    target: Option<Decimal>,
}

/// The figures of `current` against the target: the figures' own, else the board's `board`
/// target, else the definition's.
fn figures(
    def: Option<&IndicatorDefinition>,
    current: &[&Observation],
    previous: &[&Observation],
    board: Option<Decimal>,
) -> Figures {
    let (ratio, value) = combine(def, current);
    let compared = totals::compare(def, current, value, previous);
    let target = current
        .iter()
        .find_map(|o| o.target)
        .or(board)
        .or_else(|| def.and_then(|d| d.target));
    let direction = def.map_or(Direction::HigherIsBetter, |d| d.direction);
    // A province's line in a national table has no room to say which of its former provinces
    // were compared: its change is given only over the same ones.
    let same = compared.comparison == Comparison::Same;
    Figures {
        ratio,
        value,
        previous: compared.previous.filter(|_| same),
        change: compared.change.filter(|_| same),
        status: status(direction, value, target),
        target,
    }
}

/// The IDs of `obs`.
fn ids(obs: &[&Observation]) -> Vec<String> {
    obs.iter().map(|o| o.id.to_string()).collect()
}

/// The unit a record counts for in a national report: the province's successor on the current
/// map, or the province as recorded.
fn unit_of(map: ProvinceMap, slug: &str) -> Option<&'static str> {
    match map {
        ProvinceMap::Current => registry().current(slug).map(|u| u.slug),
        ProvinceMap::AsRecorded => registry().all_with_slug(slug).next().map(|u| u.slug),
    }
}

/// Whether `period` spans years (a phase or a term): its figures are those of its years.
fn is_multi_year(period: Period) -> bool {
    matches!(
        period.kind(),
        danvan_core::period::PeriodKind::Phase | danvan_core::period::PeriodKind::Term
    )
}

/// The periods of an indicator's trend, oldest first, ending with `period`; for a phase or a
/// term, its years.
fn trend_periods(period: Period) -> Vec<Period> {
    if is_multi_year(period) {
        let (first, last) = period.years();
        return (first..=last)
            .filter_map(|y| Period::year(y).ok())
            .collect();
    }
    let mut out = vec![period];
    while out.len() < TREND_PERIODS {
        let Some(first) = out.last().copied() else {
            break;
        };
        // Stop at the start of the supported years rather than step outside them.
        if first.years().0 <= *danvan_core::period::YEAR_RANGE.start() + 5 {
            break;
        }
        let Some(previous) = first.previous() else {
            break;
        };
        out.push(previous);
    }
    out.reverse();
    out
}

/// Orders `items` by name in Vietnamese order.
fn by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    danvan_core::text::sort_by_key(items, name);
}

fn sort_figures(rows: &mut [ProvinceFigure], order: ProvinceOrder, direction: Direction) {
    by_name(rows, |r| &r.name);
    if order == ProvinceOrder::Value {
        // A stable sort keeps Vietnamese order among equal figures.
        rows.sort_by(|a, b| match (a.value, b.value) {
            (Some(x), Some(y)) => match direction {
                // A volume with no better direction: the largest first.
                Direction::HigherIsBetter | Direction::Neutral => y.cmp(&x),
                Direction::LowerIsBetter => x.cmp(&y),
            },
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
}

/// The observations of `v` that `keep`.
fn pick<'a>(v: &[&'a Observation], keep: impl Fn(&Observation) -> bool) -> Vec<&'a Observation> {
    v.iter().copied().filter(|o| keep(o)).collect()
}

/// Observations by indicator and by the unit they count for.
type Groups<'a> = HashMap<(&'a str, &'static str), Vec<&'a Observation>>;

fn group<'a>(
    obs: &[&'a Observation],
    unit: impl Fn(&Observation) -> Option<&'static str>,
) -> Groups<'a> {
    let mut g: Groups<'a> = HashMap::new();
    for o in obs {
        if let Some(u) = unit(o) {
            g.entry((o.indicator.as_str(), u)).or_default().push(o);
        }
    }
    g
}

fn members<'a>(g: &Groups<'a>, code: &str, unit: &'static str) -> Vec<&'a Observation> {
    g.get(&(code, unit)).cloned().unwrap_or_default()
}

/// What every part of a report needs to know of its scope, worked out once.
struct Context<'s> {
    scope: &'s Scope,
    period: Period,
    /// The comparison period (the period itself for 1930, the first year there is).
    previous: Period,
    has_previous: bool,
    start: NaiveDate,
    end: NaiveDate,
    /// The last day the report can speak of: the period's last, or the report's date when
    /// that comes first (a report dated 18 December narrates nothing of the 20th).
    until: NaiveDate,
    national: bool,
    /// The province's unit on the report's map (a province scope).
    scope_unit: Option<&'static str>,
    /// The units of a national report: today's provinces, or every province that existed
    /// during the period (once per slug).
    units: Vec<&'static danvan_core::province::Province>,
    /// The targets the board set (see [`danvan_core::target`]).
    targets: Vec<danvan_core::target::Target>,
}

/// Every target the board set.
fn board_targets(store: &dyn Store) -> Result<Vec<danvan_core::target::Target>, StoreError> {
    collect(store, &Query::kind(RecordKind::Target), |r| match r {
        RecordRef::Target(t) => Some(t.clone()),
        _ => None,
    })
}

impl<'s> Context<'s> {
    /// [`Context::new`] with the board's targets read from `store`.
    fn with_targets(store: &dyn Store, scope: &'s Scope) -> Result<Context<'s>, StoreError> {
        let mut cx = Context::new(scope);
        cx.targets = board_targets(store)?;
        Ok(cx)
    }

    /// The board's target for `code` in the province `slug` (the country for none) over the
    /// report's period (see [`danvan_core::target::applicable`]).
    fn board_target(&self, code: &str, slug: Option<&str>) -> Option<Decimal> {
        let province = slug.map(danvan_core::province::ProvinceRef::new);
        danvan_core::target::applicable(&self.targets, code, province.as_ref(), &self.period)
            .map(|t| t.value)
    }

    fn new(scope: &'s Scope) -> Context<'s> {
        let period = scope.period;
        let has_previous = period.same_period_last_year().is_some();
        let (start, end) = period.date_range(scope.window);
        let national = scope.province.is_none();
        let units = if national {
            match scope.map {
                ProvinceMap::Current => registry().valid_at(NaiveDate::MAX).collect(),
                // Every province that existed during the period, once per slug (a province
                // whose name continued after the merger is one row).
                ProvinceMap::AsRecorded => {
                    let mut seen = std::collections::HashSet::new();
                    registry()
                        .all()
                        .iter()
                        .filter(|p| p.overlaps(start, end) && seen.insert(p.slug))
                        .collect()
                }
            }
        } else {
            Vec::new()
        };
        Context {
            scope,
            period,
            previous: period.same_period_last_year().unwrap_or(period),
            has_previous,
            start,
            end,
            until: end.min(scope.today),
            national,
            scope_unit: scope.province.as_ref().and_then(|p| {
                unit_of(
                    scope.map,
                    danvan_core::province::ProvinceRef::new(p).as_str(),
                )
            }),
            units,
            targets: Vec::new(),
        }
    }

    /// Whether something dated `day` happened in the period as the report can know it: inside
    /// the period, and not after the report's date.
    fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.until
    }

    /// The unit a province (as recorded) counts for on the report's map.
    fn unit(&self, province: Option<&danvan_core::province::ProvinceRef>) -> Option<&'static str> {
        province.and_then(|p| unit_of(self.scope.map, p.as_str()))
    }
}

/// The province's name and slug on the report's map.
fn scope_province(scope: &Scope) -> (Option<String>, Option<String>) {
    let Some(p) = &scope.province else {
        return (None, None);
    };
    let slug = danvan_core::province::ProvinceRef::new(p);
    let unit = match scope.map {
        ProvinceMap::Current => registry().current(slug.as_str()),
        ProvinceMap::AsRecorded => registry().all_with_slug(slug.as_str()).last(),
    };
    (
        Some(unit.map_or_else(|| p.clone(), |u| u.name.to_string())),
        Some(unit.map_or_else(|| slug.as_str().to_string(), |u| u.slug.to_string())),
    )
}

/// The conferences held in the period, by date, grouped by their combination of kinds.
fn conference_section(
    store: &dyn Store,
    cx: &Context<'_>,
) -> Result<(ConferenceSection, Vec<Arc<Conference>>), StoreError> {
    let mut conferences = collect_shared(
        store,
        &in_scope(
            cx.scope,
            RecordKind::Conference,
            Some((cx.period, PeriodMatch::Within)),
        ),
        |r| match r {
            SharedRecord::Conference(c) => Some(c),
            _ => None,
        },
    )?;
    // Nothing held after the report's date is narrated or counted.
    conferences.retain(|c| c.date <= cx.until);
    conferences.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    let mut by_kind: Vec<KindGroup> = Vec::new();
    for c in &conferences {
        let mut kinds = c.kinds.clone();
        kinds.sort_by_key(|k| k.index());
        kinds.dedup();
        match by_kind.iter_mut().find(|g| g.kinds == kinds) {
            Some(g) => {
                g.count += 1;
                g.conferences.push(c.id.to_string());
            }
            None => by_kind.push(KindGroup {
                kinds,
                count: 1,
                conferences: vec![c.id.to_string()],
            }),
        }
    }
    // In report order: by the first kind, single kinds before combinations.
    by_kind.sort_by_key(|g| {
        (
            g.kinds.first().map(|k| k.index()),
            g.kinds.len(),
            g.kinds.iter().map(|k| k.index()).collect::<Vec<_>>(),
        )
    });
    let items = conferences.iter().map(|c| conference_line(c)).collect();
    let central = if cx.national {
        conferences
            .iter()
            .filter(|c| cx.unit(c.province.as_ref()).is_none())
            .count()
    } else {
        0
    };
    Ok((
        ConferenceSection {
            by_kind,
            items,
            central,
        },
        conferences,
    ))
}

fn conference_line(c: &Conference) -> ConferenceLine {
    let texts = |v: &[danvan_core::text::Text]| v.iter().map(|t| t.to_string()).collect();
    ConferenceLine {
        id: c.id.to_string(),
        date: c.date,
        date_precision: c.date_precision,
        date_inferred: danvan_core::inferred::find(&c.inferred, "date").cloned(),
        title: c.title.to_string(),
        kinds: c.kinds.clone(),
        province: c.province.as_ref().map(|p| p.as_str().to_string()),
        hosts: texts(&c.hosts),
        chairs: c.chairs.clone(),
        cluster: c.emulation_cluster.as_ref().map(|t| t.to_string()),
        format: c.format,
        connection_points: c.connection_points.clone(),
        location: c.location.as_ref().map(|t| t.to_string()),
        reviewed_period: c.reviewed_period,
        reviewed_directives: c
            .reviewed_directives
            .iter()
            .map(|d| d.to_string())
            .collect(),
        commendations: c.commendations.clone(),
        results: texts(&c.results),
        shortcomings: texts(&c.shortcomings),
        tasks: texts(&c.tasks),
    }
}

/// A directive as a report cites it, with the review concerned.
fn directive_line(
    d: &danvan_core::directive::Directive,
    review: Option<(usize, &danvan_core::directive::Milestone, NaiveDate)>,
) -> DirectiveLine {
    DirectiveLine {
        id: d.id.to_string(),
        label: d.label(),
        doc_type: d.doc_type,
        number: d.number.as_ref().map(|n| n.to_string()),
        issued_on: d.issued_on,
        issued_on_inferred: danvan_core::inferred::find(&d.inferred, "issued_on").cloned(),
        issuer: d.issuer.as_ref().map(|t| t.to_string()),
        title: d.title.as_ref().map(|t| t.to_string()),
        phase: d.phase.map(|p| (p.start_year, p.end_year)),
        milestone: review.map(|(i, _, _)| i),
        review: review.map(|(_, m, _)| m.name_vi().to_string()),
        review_kind: review.map(|(_, m, _)| m.kind),
        deadline: review.map(|(_, _, deadline)| deadline),
        held_on: review
            .and_then(|(_, m, _)| m.held.as_ref())
            .and_then(|h| h.on.map(|on| on.to_string())),
        findings: review
            .and_then(|(_, m, _)| m.held.as_ref())
            .map(|h| h.findings.iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
    }
}

/// Directives issued, reviews held, overdue and due, phases ending; and, for national tables,
/// the unit of each review held and overdue.
struct Directives {
    section: DirectiveSection,
    held_units: Vec<(Option<&'static str>, String)>,
    overdue_units: Vec<(Option<&'static str>, String)>,
    issued_units: Vec<(Option<&'static str>, String)>,
}

/// The directives whose reviews a scope reports are the scope's own and, for a province, the
/// central directives that record a review by one of its provinces (the store's province query
/// includes those). Each is read where the store lends it, not copied; the lines are then put
/// in the order of the directives' IDs (a review's due date first for those due).
fn directive_section(
    store: &dyn Store,
    cx: &Context<'_>,
    conferences: &[Arc<Conference>],
) -> Result<Directives, StoreError> {
    use danvan_core::directive::{Directive, Milestone};
    let conference_dates: HashMap<&str, NaiveDate> = conferences
        .iter()
        .map(|c| (c.id.as_str(), c.date))
        .collect();
    // Whose review a milestone is: its own province, else the directive's.
    let review_unit =
        |d: &Directive, m: &Milestone| cx.unit(m.province.as_ref().or(d.province.as_ref()));
    // A province scope counts only its own reviews (a central directive's are each province's).
    let owned = |d: &Directive, m: &Milestone| {
        cx.scope_unit.is_none() || review_unit(d, m) == cx.scope_unit
    };
    let issued_in_period = |d: &Directive| {
        d.issued_on.is_some_and(|i| cx.contains(i))
            && (cx.scope_unit.is_none() || d.province.is_some())
    };
    // The period after (the same one for a period in 2100, the last year there is).
    let next = cx.period.next().unwrap_or(cx.period);
    let (_, next_end) = next.date_range(cx.scope.window);
    let (next_first_year, next_last_year) = next.years();
    // Overdue as of the day after the period: a review due "in 2025" and not held by
    // 31 December is, in the 2025 annual report, a review not held in the year. A report dated
    // before the period ends counts from its date: a review due on the 31st is then still
    // falling due, not overdue.
    let after = cx.end.succ_opt().unwrap_or(cx.end).min(cx.scope.today);
    let mut lines = Lines::default();
    let Lines {
        issued,
        held,
        due,
        phases_ending,
    } = &mut lines;
    store.visit(&in_scope(cx.scope, RecordKind::Directive, None), &mut |r| {
        let RecordRef::Directive(d) = r else {
            return;
        };
        if issued_in_period(d) {
            issued.push((
                directive_line(d, None),
                (cx.unit(d.province.as_ref()), d.id.to_string()),
            ));
        }
        for (i, m) in d.milestones.iter().enumerate().filter(|(_, m)| owned(d, m)) {
            // Held in the period: on a day (or the start of the month, half-year or year
            // recorded) inside it, or at one of the period's conferences.
            let held_on = m.held.as_ref().and_then(|h| {
                h.on.map(|on| on.range().0).or_else(|| {
                    h.conference
                        .as_ref()
                        .and_then(|c| conference_dates.get(c.as_str()).copied())
                })
            });
            if held_on.is_some_and(|day| cx.contains(day)) {
                held.push((
                    i,
                    directive_line(d, Some((i, m, m.due.deadline()))),
                    (review_unit(d, m), d.id.to_string()),
                ));
            }
        }
        for r in due_reviews([d], after, next_end)
            .into_iter()
            .filter(|r| owned(r.directive, r.milestone))
        {
            let line = directive_line(d, Some((r.milestone_index, r.milestone, r.deadline)));
            let overdue = matches!(r.state, DueState::Overdue { .. });
            let unit = overdue.then(|| (review_unit(d, r.milestone), d.id.to_string()));
            due.push(((!overdue, r.deadline, r.milestone_index), line, unit));
        }
        if (cx.scope_unit.is_none() || d.province.is_some())
            && d.is_tracked()
            && d.phase
                .is_some_and(|p| (next_first_year..=next_last_year).contains(&p.end_year))
        {
            phases_ending.push(directive_line(d, None));
        }
    })?;
    Ok(lines.finish())
}

/// A review's unit (see `Context::unit`) and its directive's ID, for the national tables.
type Unit = (Option<&'static str>, String);

/// The lines of a directive section as the store lends the directives, each with what orders
/// it: the directive's ID and the milestone.
#[derive(Default)]
struct Lines {
    issued: Vec<(DirectiveLine, Unit)>,
    held: Vec<(usize, DirectiveLine, Unit)>,
    /// Overdue (`false`) before due, then by deadline, ID and milestone, as `due_reviews`
    /// orders them; overdue ones with their unit.
    due: Vec<DueLine>,
    phases_ending: Vec<DirectiveLine>,
}

type DueLine = ((bool, NaiveDate, usize), DirectiveLine, Option<Unit>);

impl Lines {
    fn finish(self) -> Directives {
        let Lines {
            mut issued,
            mut held,
            mut due,
            mut phases_ending,
        } = self;
        issued.sort_unstable_by(|a, b| a.0.id.cmp(&b.0.id));
        held.sort_unstable_by(|a, b| a.1.id.cmp(&b.1.id).then(a.0.cmp(&b.0)));
        due.sort_unstable_by(|a, b| {
            let ((soon_a, deadline_a, i_a), (soon_b, deadline_b, i_b)) = (a.0, b.0);
            (soon_a, deadline_a)
                .cmp(&(soon_b, deadline_b))
                .then_with(|| a.1.id.cmp(&b.1.id))
                .then(i_a.cmp(&i_b))
        });
        phases_ending.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let (issued, issued_units) = issued.into_iter().unzip();
        let (reviews_held, held_units) = held.into_iter().map(|(_, l, u)| (l, u)).unzip();
        let mut out = Directives {
            section: DirectiveSection {
                issued,
                reviews_held,
                overdue: Vec::new(),
                due_next: Vec::new(),
                phases_ending,
            },
            held_units,
            overdue_units: Vec::new(),
            issued_units,
        };
        for (_, line, unit) in due {
            match unit {
                Some(unit) => {
                    out.section.overdue.push(line);
                    out.overdue_units.push(unit);
                }
                None => out.section.due_next.push(line),
            }
        }
        out
    }
}

/// How the province's units' reports for `period` stand on `today`, where a form applies.
fn submission_count(
    store: &dyn Store,
    slug: Option<&str>,
    period: Period,
    today: NaiveDate,
) -> Result<Option<SubmissionCount>, StoreError> {
    use danvan_core::cycle::Standing;
    let Some(slug) = slug else {
        return Ok(None);
    };
    let lines = danvan_store::cycle::completeness(store, Some(slug), period, today)?;
    if lines.is_empty() {
        return Ok(None);
    }
    let count =
        |f: &dyn Fn(&danvan_store::cycle::Line) -> bool| lines.iter().filter(|l| f(l)).count();
    Ok(Some(SubmissionCount {
        owed: lines.len(),
        sent: count(&|l| matches!(l.standing, Standing::OnTime | Standing::Late)),
        approved: count(&|l| l.approved),
        overdue: count(&|l| l.standing == Standing::Overdue),
    }))
}

/// The commendations of the scope given in the period, by date.
fn award_lines(store: &dyn Store, cx: &Context<'_>) -> Result<Vec<AwardLine>, StoreError> {
    let mut lines = collect(
        store,
        &in_scope(
            cx.scope,
            RecordKind::Award,
            Some((cx.period, PeriodMatch::Within)),
        ),
        |r| match r {
            RecordRef::Award(a) => Some(AwardLine {
                id: a.id.to_string(),
                form: a.form,
                title: a.title.as_ref().map(ToString::to_string),
                awarded_by: a.awarded_by.as_ref().map(ToString::to_string),
                decision: a.decision.as_ref().map(ToString::to_string),
                decided_on: a.decided_on,
                date: a.date()?,
                recipients: a.recipients.clone(),
                conference: a.conference.as_ref().map(ToString::to_string),
            }),
            _ => None,
        },
    )?;
    lines.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    Ok(lines)
}

/// The models of the scope, as far as a report needs them.
fn model_facts(store: &dyn Store, cx: &Context<'_>) -> Result<Vec<ModelFacts>, StoreError> {
    collect(
        store,
        &in_scope(cx.scope, RecordKind::Model, None),
        |r| match r {
            RecordRef::Model(m) => Some(ModelFacts {
                id: m.id.to_string(),
                province: m.province.as_str().to_string(),
                field: m.field,
                start_year: m.start_year,
                start_inferred: danvan_core::inferred::is_inferred(&m.inferred, "start_year"),
                effective: m.status == ModelStatus::Effective,
                recognised_on: m.recognition.as_ref().map(|r| r.date),
                unit: unit_of(cx.scope.map, m.province.as_str()),
            }),
            _ => None,
        },
    )
}

impl ModelFacts {
    fn started_in(&self, a: NaiveDate, b: NaiveDate) -> bool {
        self.start().is_some_and(|d| a <= d && d <= b)
    }

    /// 1 January of the start year, when that is known.
    fn start(&self) -> Option<NaiveDate> {
        self.start_year
            .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
    }
}

/// Models by field: started in the period (and the comparison period), effective,
/// recognised; fields with nothing to show are left out.
fn model_rows(cx: &Context<'_>, models: &[ModelFacts]) -> Vec<ModelRow> {
    let (prev_start, prev_end) = cx.previous.date_range(cx.scope.window);
    ModelField::ALL
        .iter()
        .map(|f| Some(*f))
        .chain(std::iter::once(None))
        .map(|f| {
            let of_field: Vec<&ModelFacts> = models.iter().filter(|m| m.field == f).collect();
            let ids = |keep: &dyn Fn(&ModelFacts) -> bool| -> Vec<String> {
                let mut v: Vec<String> = of_field
                    .iter()
                    .filter(|m| keep(m))
                    .map(|m| m.id.clone())
                    .collect();
                v.sort_unstable();
                v
            };
            let sources = ModelSources {
                built: ids(&|m| m.started_in(cx.start, cx.end)),
                built_previous: ids(&|m| cx.has_previous && m.started_in(prev_start, prev_end)),
                effective: ids(&|m| m.effective && m.start().is_some_and(|d| d <= cx.end)),
                recognised: ids(&|m| m.recognised_on.is_some_and(|d| cx.contains(d))),
            };
            let built_inferred = of_field
                .iter()
                .filter(|m| m.start_inferred && m.started_in(cx.start, cx.end))
                .count();
            ModelRow {
                field: f,
                built: sources.built.len(),
                built_inferred,
                built_previous: sources.built_previous.len(),
                effective: sources.effective.len(),
                recognised: sources.recognised.len(),
                sources,
            }
        })
        .filter(|r| r.built + r.built_previous + r.effective + r.recognised > 0)
        .collect()
}

/// The indicator rows; for national tables, which units sent which observations of the
/// period; and the provinces (as recorded) of the period's observations.
type IndicatorTable = (
    Vec<IndicatorRow>,
    HashMap<&'static str, Vec<String>>,
    std::collections::HashSet<String>,
);

/// The indicator table, and for national tables which units sent which observations.
/// The scope's own observations (units' figures left out) over the trend's periods, which hold
/// the comparison period, fetched once, by ID.
fn trend_observations(
    store: &dyn Store,
    cx: &Context<'_>,
    trend: &[Period],
) -> Result<Vec<Arc<Observation>>, StoreError> {
    // The comparison period lies within the trend except for months (a year back, the trend
    // six months).
    let first_year = trend[0].years().0.min(cx.previous.years().0);
    let (_, last_year) = cx.period.years();
    // Years are in range (the trend stops short of the first supported year), so the span
    // always exists; without one every observation of the scope is read.
    let span = if first_year == last_year {
        Period::year(first_year)
    } else {
        Period::phase(first_year, last_year)
    }
    .ok();
    let mut observations = collect_shared(
        store,
        &in_scope(
            cx.scope,
            RecordKind::Observation,
            span.map(|span| (span, PeriodMatch::Within)),
        ),
        |r| match r {
            // A unit's figure is the unit's: never part of the province's or the country's.
            SharedRecord::Observation(o) if o.is_own_figure() => Some(o),
            _ => None,
        },
    )?;
    // The store lends records in no set order; figures and flags are listed by ID.
    observations.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    Ok(observations)
}

/// Each unit's figure for indicator `code`, in the report's order.
fn province_figures(
    cx: &Context<'_>,
    code: &str,
    def: Option<&IndicatorDefinition>,
    now_by_unit: &Groups<'_>,
    before_by_unit: &Groups<'_>,
) -> Vec<ProvinceFigure> {
    let mut rows: Vec<ProvinceFigure> = cx
        .units
        .iter()
        .map(|u| {
            let (c, p) = (
                members(now_by_unit, code, u.slug),
                members(before_by_unit, code, u.slug),
            );
            let pf = figures(def, &c, &p, cx.board_target(code, Some(u.slug)));
            ProvinceFigure {
                province: u.slug.to_string(),
                name: u.name.to_string(),
                ratio: pf.ratio,
                value: pf.value,
                previous: pf.previous,
                change: pf.change,
                status: pf.status,
                target: pf.target,
                sources: ids(&c),
            }
        })
        .collect();
    let direction = def.map_or(Direction::HigherIsBetter, |d| d.direction);
    sort_figures(&mut rows, cx.scope.order, direction);
    rows
}

/// The stated percentage of a figure that is one observation's stated percentage alone.
fn stated_alone(cur: &[&Observation]) -> Option<String> {
    match cur {
        [o] => totals::stated_only(o),
        _ => None,
    }
}

/// The observations of period `p`.
fn of_period(observations: &[Arc<Observation>], p: Period) -> Vec<&Observation> {
    observations
        .iter()
        .map(Arc::as_ref)
        .filter(|o| o.period == p)
        .collect()
}

fn indicator_rows<'d>(
    store: &dyn Store,
    cx: &Context<'_>,
    definition: &dyn Fn(&str) -> Option<&'d IndicatorDefinition>,
) -> Result<IndicatorTable, StoreError> {
    let trend = trend_periods(cx.period);
    let observations = trend_observations(store, cx, &trend)?;
    let in_period = |p: Period| of_period(&observations, p);
    let now = in_period(cx.period);
    let before = if cx.has_previous {
        in_period(cx.previous)
    } else {
        Vec::new()
    };
    // A phase or a term lists the indicators of its years too.
    let years: Vec<&Observation> = if is_multi_year(cx.period) {
        observations.iter().map(Arc::as_ref).collect()
    } else {
        Vec::new()
    };
    let mut codes: Vec<&str> = now
        .iter()
        .chain(&before)
        .chain(&years)
        .filter(|o| {
            o.period == cx.period
                || o.period == cx.previous
                || o.period.kind() == danvan_core::period::PeriodKind::Year
        })
        .map(|o| o.indicator.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    // Indicators in the order offices list them (the catalogue's), then the rest by code.
    let catalogue_position = |code: &str| {
        danvan_core::indicator::catalogue()
            .iter()
            .position(|d| d.id.as_str() == code)
            .unwrap_or(usize::MAX)
    };
    codes.sort_by_key(|c| (catalogue_position(c), *c));
    let unit = |o: &Observation| cx.unit(o.province.as_ref());
    let trend_obs: Vec<(Period, Vec<&Observation>)> =
        trend.iter().map(|p| (*p, in_period(*p))).collect();
    // National tables: each observation's unit worked out once, grouped by indicator and unit.
    let (now_by_unit, before_by_unit) = if cx.national {
        (group(&now, unit), group(&before, unit))
    } else {
        Default::default()
    };
    let mut reported: HashMap<&'static str, Vec<String>> = HashMap::new();
    for ((_, u), obs) in &now_by_unit {
        reported.entry(u).or_default().extend(ids(obs));
    }
    // A phase's provinces reported through its years' figures.
    if cx.national && is_multi_year(cx.period) {
        for (_, obs) in &trend_obs {
            for o in obs {
                if let Some(u) = unit(o) {
                    reported.entry(u).or_default().push(o.id.to_string());
                }
            }
        }
    }
    for v in reported.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    let tables = Tables {
        now: &now,
        before: &before,
        trend: &trend_obs,
        now_by_unit: &now_by_unit,
        before_by_unit: &before_by_unit,
        central: {
            let board = store.board_calendar()?;
            let central = board.board_at(None, cx.end);
            (central.name_vi.to_string(), central.name_en.to_string())
        },
    };
    let rows = codes
        .into_iter()
        .map(|code| {
            (
                definition(code),
                indicator_row(cx, code, definition(code), &tables),
            )
        })
        // A level that no longer existed in the period (districts after 30 June 2025) is not
        // missing: its indicator is left out unless figures were reported anyway.
        .filter(|(def, row)| {
            let gone = def
                .and_then(|d| d.level)
                .and_then(danvan_core::indicator::UnitLevel::ended)
                .is_some_and(|last| last < cx.start);
            !gone || row.value.is_some() || !row.parts.is_empty()
        })
        .map(|(_, row)| row)
        .collect();
    let observed = now
        .iter()
        .filter_map(|o| o.province.as_ref())
        .map(|p| p.as_str().to_string())
        .collect();
    Ok((rows, reported, observed))
}

/// The observations one indicator row is computed from.
struct Tables<'t, 'o> {
    now: &'t [&'o Observation],
    before: &'t [&'o Observation],
    trend: &'t [(Period, Vec<&'o Observation>)],
    now_by_unit: &'t Groups<'o>,
    before_by_unit: &'t Groups<'o>,
    /// The central board at the period's end, which reports the country's own figures.
    central: (String, String),
}

/// One indicator's row: its figure from the parts (or the whole level's own when no part
/// reported), compared like for like, with its trend over the same parts.
fn indicator_row(
    cx: &Context<'_>,
    code: &str,
    def: Option<&IndicatorDefinition>,
    t: &Tables<'_, '_>,
) -> IndicatorRow {
    let is_code = |o: &Observation| o.indicator.as_str() == code;
    let (all, before_all, span) = phase_or_period(cx, t, is_code);
    let (parts, level): (Vec<&Observation>, Vec<&Observation>) =
        all.iter().partition(|o| totals::part(o).is_some());
    // The figure is the parts' when there are any; the whole level's own figure is then shown
    // beside it, never added.
    let (cur, level) = if parts.is_empty() {
        (level, Vec::new())
    } else {
        (parts, level)
    };
    // Compared and charted with figures of the same kind: parts with parts, the whole level's
    // own figure with its own (with no figure now, parts when a year earlier had any).
    let from_parts = if cur.is_empty() {
        before_all.iter().any(|o| totals::part(o).is_some())
    } else {
        totals::part(cur[0]).is_some()
    };
    let of_kind = |o: &Observation| is_code(o) && totals::part(o).is_some() == from_parts;
    let prev = pick(&before_all, of_kind);
    let (ratio, value) = combine(def, &cur);
    let mut compared = totals::compare(def, &cur, value, &prev);
    if cur.is_empty() {
        // No figure now: a year earlier's is still shown, with nothing compared.
        compared.previous = combine(def, &prev).1;
        compared.previous_sources = prev;
    }
    let target = cur
        .iter()
        .find_map(|o| o.target)
        .or_else(|| cx.board_target(code, cx.scope_unit))
        .or_else(|| def.and_then(|d| d.target));
    let direction = def.map_or(Direction::HigherIsBetter, |d| d.direction);
    let listed = if value.is_none() && cur.len() > 1 {
        totals::listed(def, &cur)
    } else {
        Vec::new()
    };
    let names = |parts: std::collections::BTreeSet<Option<&str>>| -> Vec<String> {
        parts.into_iter().flatten().map(str::to_string).collect()
    };
    let now_parts = totals::parts_of(&cur);
    let reference = trend_reference(t, of_kind, &cur);
    // The provinces (on the report's map) behind the figure: for a phase, those of its last year.
    let reporting = if cx.national {
        let behind: std::collections::HashSet<&str> = cur
            .iter()
            .filter_map(|o| cx.unit(o.province.as_ref()))
            .collect();
        cx.units.iter().filter(|u| behind.contains(u.slug)).count()
    } else {
        0
    };
    IndicatorRow {
        indicator: code.to_string(),
        name: def.map_or_else(|| code.to_string(), |d| d.name_vi.to_string()),
        name_en: def.map_or_else(|| code.to_string(), |d| d.name_en.to_string()),
        unit: def.map_or_else(String::new, |d| d.unit.to_string()),
        measure: def.map_or(Measure::Count, |d| d.measure),
        ratio,
        value,
        aggregation: def.map_or(Aggregation::Sum, |d| d.aggregation()),
        units: names(now_parts.clone()),
        level: totals::level_figure(def, &level, value, &t.central),
        comparison: compared.comparison,
        previous: compared.previous,
        change: compared.change,
        target,
        status: if listed.is_empty() {
            status(direction, value, target)
        } else {
            Status::NoTarget
        },
        parts: listed,
        inconsistent: cur
            .iter()
            .filter(|o| o.stated_is_consistent() == Some(false))
            .map(|o| o.id.to_string())
            .collect(),
        observations: cur.len(),
        direction,
        trend: t
            .trend
            .iter()
            .map(|(p, obs)| trend_point(def, *p, obs, of_kind, &reference))
            .collect(),
        stated: stated_alone(&cur),
        coverage: cx.national.then_some([reporting, cx.units.len()]),
        sources: ids(&cur),
        previous_units: names(totals::parts_of(&compared.previous_sources)),
        previous_sources: ids(&compared.previous_sources),
        by_province: match span {
            // The phase's figures are its years': grouped by province for this row.
            Some(_) if cx.national => {
                let unit = |o: &Observation| cx.unit(o.province.as_ref());
                let (now, before) = (group(&all, unit), group(&before_all, unit));
                province_figures(cx, code, def, &now, &before)
            }
            _ => province_figures(cx, code, def, t.now_by_unit, t.before_by_unit),
        },
        span,
    }
}

/// The observations of one indicator a row compares: the period's own and those a year
/// earlier; for a phase or a term with no figure of its own, those of its last year with
/// figures against its first (`span`: first and last year).
fn phase_or_period<'o>(
    cx: &Context<'_>,
    t: &Tables<'_, 'o>,
    is_code: impl Fn(&Observation) -> bool + Copy,
) -> (
    Vec<&'o Observation>,
    Vec<&'o Observation>,
    Option<[Period; 2]>,
) {
    let own = pick(t.now, is_code);
    if !is_multi_year(cx.period) || !own.is_empty() {
        return (own, pick(t.before, is_code), None);
    }
    let years: Vec<&(Period, Vec<&'o Observation>)> = t
        .trend
        .iter()
        .filter(|(p, obs)| *p != cx.period && obs.iter().any(|o| is_code(o)))
        .collect();
    let Some(((last, end), earlier)) = years.split_last() else {
        return (own, pick(t.before, is_code), None);
    };
    let end = pick(end, is_code);
    // The earliest year that compares like for like with the last: whole, else in part, else
    // the first year (then not comparable, and said so).
    let matched = |y: &&&(Period, Vec<&'o Observation>)| {
        totals::like_for_like(&end, &pick(&y.1, is_code)).0.len()
    };
    let start = earlier
        .iter()
        .find(|y| matched(y) == end.len())
        .or_else(|| earlier.iter().find(|y| matched(y) > 0))
        .or(earlier.first());
    match start {
        Some((first, obs)) => (end, pick(obs, is_code), Some([*first, *last])),
        None => (end, Vec::new(), Some([*last, *last])),
    }
}

/// What a row's trend compares each period with: the figure's observations, or with no figure
/// now, those of the latest period that has one.
fn trend_reference<'o>(
    t: &Tables<'_, 'o>,
    of_kind: impl Fn(&Observation) -> bool + Copy,
    cur: &[&'o Observation],
) -> Vec<&'o Observation> {
    if !cur.is_empty() {
        return cur.to_vec();
    }
    t.trend
        .iter()
        .rev()
        .map(|(_, obs)| pick(obs, of_kind))
        .find(|v| !v.is_empty())
        .unwrap_or_default()
}

/// One period's point of a row's trend: the figure of the provinces that compare like for
/// like with those of the row's figure (all when the row has none), saying when they are fewer.
fn trend_point(
    def: Option<&IndicatorDefinition>,
    period: Period,
    obs: &[&Observation],
    of_kind: impl Fn(&Observation) -> bool,
    cur: &[&Observation],
) -> TrendPoint {
    let all = pick(obs, of_kind);
    let (these, of) = if cur.is_empty() {
        (all, Vec::new())
    } else {
        let (now, then) = totals::like_for_like(cur, &all);
        (then, now)
    };
    let (_, value) = combine(def, &these);
    TrendPoint {
        period,
        value,
        sources: ids(&these),
        coverage: (!cur.is_empty() && of.len() < cur.len() && value.is_some())
            .then_some([of.len(), cur.len()]),
    }
}

/// National reports: one summary line per province, with the records behind each count.
fn province_summaries(
    cx: &Context<'_>,
    conferences: &[Arc<Conference>],
    directives: &Directives,
    models: &[ModelFacts],
    reported: &HashMap<&'static str, Vec<String>>,
) -> Vec<ProvinceSummary> {
    if !cx.national {
        return Vec::new();
    }
    type Tally = HashMap<&'static str, Vec<String>>;
    let tally = |items: &mut dyn Iterator<Item = (Option<&'static str>, String)>| {
        let mut t: Tally = HashMap::new();
        for (u, id) in items {
            if let Some(u) = u {
                t.entry(u).or_default().push(id);
            }
        }
        t
    };
    let held_by = tally(
        &mut conferences
            .iter()
            .map(|c| (cx.unit(c.province.as_ref()), c.id.to_string())),
    );
    let issued_by = tally(&mut directives.issued_units.iter().cloned());
    let reviews_by = tally(&mut directives.held_units.iter().cloned());
    let overdue_by = tally(&mut directives.overdue_units.iter().cloned());
    let built_by = tally(
        &mut models
            .iter()
            .filter(|m| m.started_in(cx.start, cx.end))
            .map(|m| (m.unit, m.id.clone())),
    );
    let recognised_by = tally(
        &mut models
            .iter()
            .filter(|m| m.recognised_on.is_some_and(|d| cx.contains(d)))
            .map(|m| (m.unit, m.id.clone())),
    );
    let of = |t: &Tally, slug: &str| {
        let mut v = t.get(slug).cloned().unwrap_or_default();
        v.sort_unstable();
        v
    };
    let mut provinces: Vec<ProvinceSummary> = cx
        .units
        .iter()
        .map(|u| {
            let sources = SummarySources {
                conferences: of(&held_by, u.slug),
                directives_issued: of(&issued_by, u.slug),
                models_built: of(&built_by, u.slug),
                models_recognised: of(&recognised_by, u.slug),
                reviews_held: of(&reviews_by, u.slug),
                reviews_overdue: of(&overdue_by, u.slug),
                indicators_reported: reported.get(u.slug).cloned().unwrap_or_default(),
            };
            ProvinceSummary {
                province: u.slug.to_string(),
                name: u.name.to_string(),
                conferences: sources.conferences.len(),
                directives_issued: sources.directives_issued.len(),
                models_built: sources.models_built.len(),
                models_recognised: sources.models_recognised.len(),
                reviews_held: sources.reviews_held.len(),
                reviews_overdue: sources.reviews_overdue.len(),
                indicators_reported: sources.indicators_reported.len(),
                sources,
            }
        })
        .collect();
    by_name(&mut provinces, |p| &p.name);
    if cx.scope.order == ProvinceOrder::Value {
        provinces.sort_by(|a, b| {
            (b.indicators_reported, b.conferences, b.models_built).cmp(&(
                a.indicators_reported,
                a.conferences,
                a.models_built,
            ))
        });
    }
    provinces
}

/// For a province on the current map over a period before the merger: the former provinces
/// its figures combine, split by whether any record of the period came from them.
fn rollup(
    cx: &Context<'_>,
    slug: Option<&str>,
    recorded: &std::collections::HashSet<&str>,
) -> Option<Rollup> {
    if cx.scope.map != ProvinceMap::Current {
        return None;
    }
    let unit = registry().current(slug?)?;
    let merged: Vec<&danvan_core::province::Province> = registry()
        .predecessors(unit)
        .filter(|p| p.overlaps(cx.start, cx.end))
        .collect();
    if merged.len() < 2 {
        return None;
    }
    let (mut included, mut without_data) = (Vec::new(), Vec::new());
    for p in merged {
        if recorded.contains(p.slug) {
            included.push(p.name.to_string());
        } else {
            without_data.push(p.name.to_string());
        }
    }
    by_name(&mut included, |s| s);
    by_name(&mut without_data, |s| s);
    Some(Rollup {
        included,
        without_data,
    })
}

/// Computes a report's figures from `store`.
pub fn build(store: &dyn Store, scope: &Scope) -> Result<ReportData, StoreError> {
    let cx = Context::with_targets(store, scope)?;
    let (province, province_slug) = scope_province(scope);
    // Conferences and directives on this thread, the rest on another: the two halves read
    // different records and take about as long, and a national report at millions of records
    // is worth the second core.
    let (here, there) = std::thread::scope(|threads| {
        let there = threads.spawn(|| {
            let models = model_facts(store, &cx)?;
            let definitions = stored_definitions(store)?;
            let definition = |code: &str| definition_of(&definitions, code);
            let (indicators, reported, observed) = indicator_rows(store, &cx, &definition)?;
            let (other_figures, unit_totals) = other_figures(
                store,
                scope,
                cx.period,
                |code| definition(code).cloned(),
                &indicators,
            )?;
            let board = issuing_board(store, province_slug.as_deref(), scope)?;
            let model_rows = model_rows(&cx, &models);
            Ok::<_, StoreError>((
                models,
                indicators,
                reported,
                observed,
                (other_figures, unit_totals),
                board,
                model_rows,
            ))
        });
        let here = conference_section(store, &cx).and_then(|(conferences, records)| {
            let directives = directive_section(store, &cx, &records)?;
            let awards = award_lines(store, &cx)?;
            Ok((conferences, records, directives, awards))
        });
        let there = there
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (here, there)
    });
    let (conferences, conference_records, directives, awards) = here?;
    let (models, indicators, reported, observed, (other_figures, unit_totals), board, model_rows) =
        there?;
    let provinces = province_summaries(&cx, &conference_records, &directives, &models, &reported);
    let model_totals = ModelTotals {
        built: model_rows.iter().map(|r| r.built).sum(),
        built_inferred: model_rows.iter().map(|r| r.built_inferred).sum(),
        undated: models.iter().filter(|m| m.start_year.is_none()).count(),
        built_previous: model_rows.iter().map(|r| r.built_previous).sum(),
        effective: model_rows.iter().map(|r| r.effective).sum(),
        recognised: model_rows.iter().map(|r| r.recognised).sum(),
    };
    // The provinces as recorded on the records the report counts, for the roll-up note.
    let mut recorded: std::collections::HashSet<&str> = std::collections::HashSet::new();
    recorded.extend(
        conference_records
            .iter()
            .filter_map(|c| c.province.as_ref())
            .map(|p| p.as_str()),
    );
    recorded.extend(observed.iter().map(String::as_str));
    recorded.extend(other_figures.iter().filter_map(|f| f.province.as_deref()));
    recorded.extend(
        models
            .iter()
            .filter(|m| {
                m.started_in(cx.start, cx.end) || m.recognised_on.is_some_and(|d| cx.contains(d))
            })
            .map(|m| m.province.as_str()),
    );
    // The provinces that sent no figure (national reports), in Vietnamese order.
    let mut not_reporting: Vec<String> = cx
        .units
        .iter()
        .filter(|u| !reported.contains_key(u.slug))
        .map(|u| u.name.to_string())
        .collect();
    by_name(&mut not_reporting, |s| s);
    let rollup = rollup(&cx, province_slug.as_deref(), &recorded);
    let nil_returns = NilReturns::of(&indicators);
    Ok(ReportData {
        unit_sections: unit_sections(store, scope, cx.period)?,
        submissions: submission_count(store, province_slug.as_deref(), cx.period, scope.today)?,
        rollup,
        nil_returns,
        province,
        province_slug,
        map: scope.map,
        window: scope.window,
        period: cx.period,
        previous_period: cx.previous,
        range: (cx.start, cx.end),
        today: scope.today,
        board,
        models: model_rows,
        awards,
        model_totals,
        conferences,
        directives: directives.section,
        indicators,
        other_figures,
        unit_totals,
        not_reporting,
        provinces,
    })
}
