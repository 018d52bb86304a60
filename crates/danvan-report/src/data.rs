//! What a report says, computed from the store: every figure, before any layout.
//!
//! A report covers a scope (one province on the current or the old map, or the whole country)
//! and a period. Figures are exact: ratios are summed as numerators and denominators, never as
//! percentages, so rolling Bắc Kạn's 2024 figures into Thái Nguyên gives the right rate.

use chrono::NaiveDate;
use danvan_core::conference::ConferenceKind;
use std::collections::HashMap;

use danvan_core::dataset::RecordRef;
use danvan_core::directive::{DueState, MilestoneKind, due_reviews};
use danvan_core::indicator::{
    Direction, IndicatorDefinition, Measure, Observation, PERCENT_PLACES,
};
use danvan_core::model::{ModelField, ModelStatus};
use danvan_core::number::Decimal;
use danvan_core::period::{Period, Window};
use danvan_core::province::registry;
use danvan_core::validate::RecordKind;
use danvan_store::{
    PeriodFilter, PeriodMatch, ProvinceFilter, ProvinceMap, Query, Store, StoreError,
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
}

impl Scope {
    /// A report of `province` (a slug or a name; `None` for the whole country) for `period`,
    /// dated `today`, with the defaults: the current map, calendar boundaries, provinces in
    /// Vietnamese order. Change the fields for the rest.
    pub fn new(province: Option<&str>, period: Period, today: NaiveDate) -> Scope {
        Scope {
            province: province.map(str::to_string),
            map: ProvinceMap::Current,
            period,
            window: Window::Calendar,
            today,
            order: ProvinceOrder::Name,
        }
    }
}

/// The order of the rows of a national table across provinces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "name" => Ok(ProvinceOrder::Name),
            "value" => Ok(ProvinceOrder::Value),
            other => Err(format!("unknown order {other:?}; expected name or value")),
        }
    }
}

/// How many periods an indicator's trend shows, the reported one included.
pub const TREND_PERIODS: usize = 6;

/// Whether an indicator is where it should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At or beyond its target (or, with no target, no worse than the previous period).
    OnTrack,
    /// Short of its target (or, with no target, worse than the previous period).
    OffTrack,
    /// No figure for the period.
    NoData,
    /// A figure, but nothing to judge it against.
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
    /// The figure: the percentage for ratios, the sum for counts, the mean for percentages and
    /// scores.
    pub value: Option<Decimal>,
    /// The same figure for the comparison period.
    pub previous: Option<Decimal>,
    /// `value - previous`.
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
    /// National reports: the figure of each province (on the report's map), in the report's
    /// order.
    pub by_province: Vec<ProvinceFigure>,
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
    /// Against the target (or the previous period).
    pub status: Status,
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
}

/// Conferences held in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConferenceSection {
    /// How many of each kind (a conference of two kinds counts for both); in JSON, objects
    /// with `kind` and `count`.
    #[serde(serialize_with = "json::kind_counts")]
    pub by_kind: Vec<(ConferenceKind, usize)>,
    /// Every conference: date, ID, title; in JSON, objects with `date`, `id` and `title`.
    #[serde(serialize_with = "json::conferences")]
    pub items: Vec<(NaiveDate, String, String)>,
}

/// A directive line: its label and title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectiveLine {
    /// The directive's ID.
    pub id: String,
    /// "Đề án 05-ĐA/TU".
    pub label: String,
    /// Its title.
    pub title: String,
    /// The review concerned (its label as the document words it), for reviews.
    pub review: Option<String>,
    /// The kind of that review.
    pub review_kind: Option<MilestoneKind>,
    /// Its deadline.
    pub deadline: Option<NaiveDate>,
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

/// "Dân vận khéo" models of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelRow {
    /// The field.
    pub field: ModelField,
    /// Started in the period.
    pub built: usize,
    /// Started in the comparison period.
    pub built_previous: usize,
    /// Of those started up to the end of the period, how many are effective.
    pub effective: usize,
    /// Recognised in the period.
    pub recognised: usize,
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
    /// The indicator table.
    pub indicators: Vec<IndicatorRow>,
    /// Figures shown on their own, never added into the table's: those of units below the
    /// province (a department, a cluster, a Đảng bộ khối) and those of months, quarters or
    /// halves inside the report's period, each with its own period.
    pub other_figures: Vec<OtherFigure>,
    /// Provinces with no figure in the period (national reports).
    pub not_reporting: Vec<String>,
    /// National reports: one line per province, in the report's order.
    pub provinces: Vec<ProvinceSummary>,
}

/// JSON shapes for the tuples above: named fields read better for integrators than arrays.
mod json {
    use chrono::NaiveDate;
    use danvan_core::conference::ConferenceKind;
    use serde::Serialize;
    use serde::ser::{SerializeSeq, Serializer};

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

    pub(super) fn kind_counts<S: Serializer>(
        v: &[(ConferenceKind, usize)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct KindCount {
            kind: ConferenceKind,
            count: usize,
        }
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for (kind, count) in v {
            seq.serialize_element(&KindCount {
                kind: *kind,
                count: *count,
            })?;
        }
        seq.end()
    }

    pub(super) fn conferences<S: Serializer>(
        v: &[(NaiveDate, String, String)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Line<'a> {
            date: NaiveDate,
            id: &'a str,
            title: &'a str,
        }
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for (date, id, title) in v {
            seq.serialize_element(&Line {
                date: *date,
                id,
                title,
            })?;
        }
        seq.end()
    }
}

/// What a report needs of a model.
struct ModelFacts {
    field: ModelField,
    start_year: i32,
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
    let board = calendar.board_at(unit, scope.today);
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

/// The figures of `scope` inside `period` that are not part of the indicator table: units'
/// figures and those of shorter periods, ordered by period, indicator and unit.
fn other_figures(
    store: &dyn Store,
    scope: &Scope,
    period: Period,
    definition: impl Fn(&str) -> Option<IndicatorDefinition>,
) -> Result<Vec<OtherFigure>, StoreError> {
    let mut obs = collect(
        store,
        &in_scope(
            scope,
            RecordKind::Observation,
            Some((period, PeriodMatch::Within)),
        ),
        |r| match r {
            RecordRef::Observation(o) if !o.is_own_figure() || o.period != period => {
                Some(o.clone())
            }
            _ => None,
        },
    )?;
    obs.sort_by(|a, b| {
        let start = |o: &Observation| o.period.date_range(Window::Calendar).0;
        start(a)
            .cmp(&start(b))
            .then_with(|| a.indicator.cmp(&b.indicator))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(obs
        .into_iter()
        .map(|o| {
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
                stated: match (ratio, o.value) {
                    (None, None) => o.stated.as_ref().map(|s| s.as_str().to_string()),
                    _ => None,
                },
                ratio,
                unit: o.unit,
            }
        })
        .collect())
}

/// The directives whose reviews a scope reports: the scope's own and, for a province, the
/// central directives that record a review by one of its provinces (the store's province
/// query includes those). Ordered by ID.
fn scope_directives(
    store: &dyn Store,
    scope: &Scope,
) -> Result<Vec<danvan_core::directive::Directive>, StoreError> {
    let mut out = collect(
        store,
        &in_scope(scope, RecordKind::Directive, None),
        |r| match r {
            RecordRef::Directive(d) => Some(d.clone()),
            _ => None,
        },
    )?;
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
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

/// Combines observations of one indicator: ratios by their sums, counts by sum, percentages and
/// scores by their mean.
fn combine(
    def: Option<&IndicatorDefinition>,
    obs: &[&Observation],
) -> (Option<(u64, u64)>, Option<Decimal>) {
    if obs.is_empty() {
        return (None, None);
    }
    let measure = def.map_or(Measure::Count, |d| d.measure);
    match measure {
        Measure::Ratio => {
            let ratios: Vec<(u64, u64)> = obs
                .iter()
                .filter_map(|o| Some((o.numerator?, o.denominator?)))
                .collect();
            if ratios.is_empty() {
                // Figures given only as a percentage ("đạt 92%"): one is shown as stated;
                // percentages of different totals cannot be combined.
                return match obs {
                    [o] => (None, o.stated.as_ref().map(|s| s.value())),
                    _ => (None, None),
                };
            }
            let (n, d) = ratios
                .iter()
                .fold((0u64, 0u64), |(n, d), (a, b)| (n + a, d + b));
            (Some((n, d)), Decimal::percentage(n, d, PERCENT_PLACES))
        }
        Measure::Count => {
            let total: i64 = obs
                .iter()
                .filter_map(|o| o.value)
                .map(|v| v.round(0).units())
                .sum();
            (None, Some(Decimal::from_int(total)))
        }
        Measure::Percent | Measure::Score => {
            let values: Vec<Decimal> = obs.iter().filter_map(|o| o.computed()).collect();
            if values.is_empty() {
                return (None, None);
            }
            // Exact: every value brought to the finest scale among them, summed as integers
            // (a product of denominators would overflow over thousands of observations).
            let scale = values.iter().map(|v| v.scale()).max().unwrap_or(0);
            let sum: i128 = values
                .iter()
                .map(|v| i128::from(v.units()) * 10i128.pow(u32::from(scale - v.scale())))
                .sum();
            (
                None,
                Decimal::from_ratio(
                    sum,
                    10i128.pow(u32::from(scale)) * values.len() as i128,
                    PERCENT_PLACES,
                ),
            )
        }
    }
}

fn status(
    direction: Direction,
    value: Option<Decimal>,
    target: Option<Decimal>,
    previous: Option<Decimal>,
) -> Status {
    let Some(v) = value else {
        return Status::NoData;
    };
    let better_or_equal = |reference: Decimal| match direction {
        Direction::HigherIsBetter => v >= reference,
        Direction::LowerIsBetter => v <= reference,
    };
    match (target, previous) {
        (Some(t), _) => {
            if better_or_equal(t) {
                Status::OnTrack
            } else {
                Status::OffTrack
            }
        }
        (None, Some(p)) => {
            if better_or_equal(p) {
                Status::OnTrack
            } else {
                Status::OffTrack
            }
        }
        (None, None) => Status::NoTarget,
    }
}

/// The figures of one indicator over some observations.
struct Figures {
    ratio: Option<(u64, u64)>,
    value: Option<Decimal>,
    previous: Option<Decimal>,
    change: Option<Decimal>,
    target: Option<Decimal>,
    status: Status,
}

fn figures(
    def: Option<&IndicatorDefinition>,
    current: &[&Observation],
    previous: &[&Observation],
) -> Figures {
    let (ratio, value) = combine(def, current);
    let (_, previous_value) = combine(def, previous);
    let target = current
        .iter()
        .find_map(|o| o.target)
        .or_else(|| def.and_then(|d| d.target));
    let direction = def.map_or(Direction::HigherIsBetter, |d| d.direction);
    Figures {
        ratio,
        value,
        previous: previous_value,
        change: value
            .zip(previous_value)
            .and_then(|(v, p)| v.checked_sub(p)),
        target,
        status: status(direction, value, target, previous_value),
    }
}

/// The unit a record counts for in a national report: the province's successor on the current
/// map, or the province as recorded.
fn unit_of(map: ProvinceMap, slug: &str) -> Option<&'static str> {
    match map {
        ProvinceMap::Current => registry().current(slug).map(|u| u.slug),
        ProvinceMap::AsRecorded => registry().all_with_slug(slug).next().map(|u| u.slug),
    }
}

/// The periods of an indicator's trend, oldest first, ending with `period`.
fn trend_periods(period: Period) -> Vec<Period> {
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
                Direction::HigherIsBetter => y.cmp(&x),
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

/// Computes a report's figures from `store`.
pub fn build(store: &dyn Store, scope: &Scope) -> Result<ReportData, StoreError> {
    let period = scope.period;
    // A period in 1930, the first year there is, has no year before to compare with: it is
    // compared with nothing (the period itself stands in, and its figures are left out below).
    let has_previous = period.same_period_last_year().is_some();
    let previous = period.same_period_last_year().unwrap_or(period);
    let (start, end) = period.date_range(scope.window);
    let national = scope.province.is_none();
    let (province, province_slug) = match &scope.province {
        Some(p) => {
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
        None => (None, None),
    };

    // Conferences held in the period.
    let mut conferences = collect(
        store,
        &in_scope(
            scope,
            RecordKind::Conference,
            Some((period, PeriodMatch::Within)),
        ),
        |r| match r {
            RecordRef::Conference(c) => Some(c.clone()),
            _ => None,
        },
    )?;
    conferences.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    let by_kind = ConferenceKind::ALL
        .iter()
        .map(|k| {
            (
                *k,
                conferences.iter().filter(|c| c.kinds.contains(k)).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let conference_dates: std::collections::HashMap<&str, NaiveDate> = conferences
        .iter()
        .map(|c| (c.id.as_str(), c.date))
        .collect();

    let all_directives = scope_directives(store, scope)?;
    // Whose review a milestone is: its own province, else the directive's; a province scope
    // counts only its own reviews (a central directive's are each province's).
    let scope_unit = scope.province.as_ref().and_then(|p| {
        unit_of(
            scope.map,
            danvan_core::province::ProvinceRef::new(p).as_str(),
        )
    });
    let owned = |d: &danvan_core::directive::Directive, m: &danvan_core::directive::Milestone| {
        match scope_unit {
            None => true,
            Some(u) => {
                m.province
                    .as_ref()
                    .or(d.province.as_ref())
                    .and_then(|p| unit_of(scope.map, p.as_str()))
                    == Some(u)
            }
        }
    };
    let line = |d: &danvan_core::directive::Directive,
                review: Option<(&danvan_core::directive::Milestone, NaiveDate)>| {
        DirectiveLine {
            id: d.id.to_string(),
            label: d.label(),
            title: d.title.to_string(),
            review: review.map(|(m, _)| m.name_vi().to_string()),
            review_kind: review.map(|(m, _)| m.kind),
            deadline: review.map(|(_, deadline)| deadline),
        }
    };
    let issued_in_period = |d: &danvan_core::directive::Directive| {
        d.issued_on.is_some_and(|i| start <= i && i <= end)
            && (scope_unit.is_none() || d.province.is_some())
    };
    let issued = all_directives
        .iter()
        .filter(|d| issued_in_period(d))
        .map(|d| line(d, None))
        .collect();
    let mut reviews_held = Vec::new();
    // For national tables: the unit of each review held and overdue.
    let review_unit = |d: &danvan_core::directive::Directive,
                       m: &danvan_core::directive::Milestone| {
        m.province
            .as_ref()
            .or(d.province.as_ref())
            .and_then(|p| unit_of(scope.map, p.as_str()))
    };
    let (mut held_units, mut overdue_units) = (Vec::new(), Vec::new());
    for d in &all_directives {
        for m in d.milestones.iter().filter(|m| owned(d, m)) {
            // Held in the period: on a day (or the start of the month, half-year or year
            // recorded) inside it, or at one of the period's conferences.
            let held_on = m.held.as_ref().and_then(|h| {
                h.on.map(|on| on.range().0).or_else(|| {
                    h.conference
                        .as_ref()
                        .and_then(|c| conference_dates.get(c.as_str()).copied())
                })
            });
            if held_on.is_some_and(|day| start <= day && day <= end) {
                reviews_held.push(line(d, Some((m, m.due.deadline()))));
                held_units.push(review_unit(d, m));
            }
        }
    }
    // The period after (the same one for a period in 2100, the last year there is).
    let next = period.next().unwrap_or(period);
    let (_, next_end) = next.date_range(scope.window);
    let (mut overdue, mut due_next) = (Vec::new(), Vec::new());
    // Overdue as of the day after the period: a review due "in 2025" and not held by
    // 31 December is, in the 2025 annual report, a review not held in the year.
    let after = end.succ_opt().unwrap_or(end);
    for r in due_reviews(&all_directives, after, next_end)
        .into_iter()
        .filter(|r| owned(r.directive, r.milestone))
    {
        let l = line(r.directive, Some((r.milestone, r.deadline)));
        match r.state {
            DueState::Overdue { .. } => {
                overdue.push(l);
                overdue_units.push(review_unit(r.directive, r.milestone));
            }
            DueState::DueSoon { .. } => due_next.push(l),
        }
    }
    let (next_first_year, next_last_year) = next.years();
    let phases_ending = all_directives
        .iter()
        .filter(|d| scope_unit.is_none() || d.province.is_some())
        .filter(|d| d.status == danvan_core::directive::DirectiveStatus::Active)
        .filter(|d| {
            d.phase
                .is_some_and(|p| (next_first_year..=next_last_year).contains(&p.end_year))
        })
        .map(|d| line(d, None))
        .collect();

    // Models: started in the period (and the comparison period), effective, recognised.
    let models = collect(
        store,
        &in_scope(scope, RecordKind::Model, None),
        |r| match r {
            RecordRef::Model(m) => Some(ModelFacts {
                field: m.field,
                start_year: m.start_year,
                effective: m.status == ModelStatus::Effective,
                recognised_on: m.recognition.as_ref().map(|r| r.date),
                unit: unit_of(scope.map, m.province.as_str()),
            }),
            _ => None,
        },
    )?;
    let (prev_start, prev_end) = previous.date_range(scope.window);
    let started_in = |m: &ModelFacts, a: NaiveDate, b: NaiveDate| {
        NaiveDate::from_ymd_opt(m.start_year, 1, 1).is_some_and(|d| a <= d && d <= b)
    };
    let recognised_in_period =
        |m: &ModelFacts| m.recognised_on.is_some_and(|d| start <= d && d <= end);
    let model_rows = ModelField::ALL
        .iter()
        .map(|f| {
            let of_field: Vec<&ModelFacts> = models.iter().filter(|m| m.field == *f).collect();
            ModelRow {
                field: *f,
                built: of_field
                    .iter()
                    .filter(|m| started_in(m, start, end))
                    .count(),
                built_previous: of_field
                    .iter()
                    .filter(|m| started_in(m, prev_start, prev_end))
                    .count(),
                effective: of_field
                    .iter()
                    .filter(|m| {
                        m.effective
                            && NaiveDate::from_ymd_opt(m.start_year, 1, 1).is_some_and(|d| d <= end)
                    })
                    .count(),
                recognised: of_field.iter().filter(|m| recognised_in_period(m)).count(),
            }
        })
        .filter(|r| r.built + r.built_previous + r.effective + r.recognised > 0)
        .collect();

    // Indicators: the observations of the trend's periods (which hold the comparison period),
    // fetched once and split by period.
    let trend = trend_periods(period);
    // The comparison period lies within the trend except for months (a year back, the trend
    // six months).
    let first_year = trend[0].years().0.min(previous.years().0);
    let (_, last_year) = period.years();
    // Years are in range (the trend stops short of the first supported year), so the span
    // always exists; without one every observation of the scope is read.
    let span = if first_year == last_year {
        Period::year(first_year)
    } else {
        Period::phase(first_year, last_year)
    }
    .ok();
    let mut observations = collect(
        store,
        &in_scope(
            scope,
            RecordKind::Observation,
            span.map(|span| (span, PeriodMatch::Within)),
        ),
        |r| match r {
            // A unit's figure is the unit's: never part of the province's or the country's.
            RecordRef::Observation(o) if o.is_own_figure() => Some(o.clone()),
            _ => None,
        },
    )?;
    // The store lends records in no set order; figures and flags are listed by ID.
    observations.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let in_period = |p: Period| -> Vec<&Observation> {
        observations.iter().filter(|o| o.period == p).collect()
    };
    let now = in_period(period);
    let before = if has_previous {
        in_period(previous)
    } else {
        Vec::new()
    };
    let mut codes: Vec<&str> = now
        .iter()
        .chain(&before)
        .map(|o| o.indicator.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let definitions = store
        .export(Some(&Query::kind(RecordKind::Indicator)))?
        .dataset
        .indicators;
    let definition = |code: &str| {
        definitions
            .iter()
            .find(|d| d.id.as_str() == code)
            .or_else(|| danvan_core::indicator::builtin(code))
    };
    let other_figures = other_figures(store, scope, period, |code| definition(code).cloned())?;
    let board = issuing_board(store, province_slug.as_deref(), scope)?;
    let unit = |o: &Observation| {
        o.province
            .as_ref()
            .and_then(|p| unit_of(scope.map, p.as_str()))
    };
    // The units of a national report: today's provinces, or those of the period's end.
    let units: Vec<&danvan_core::province::Province> = if national {
        match scope.map {
            ProvinceMap::Current => registry().valid_at(NaiveDate::MAX).collect(),
            ProvinceMap::AsRecorded => registry().valid_at(end).collect(),
        }
    } else {
        Vec::new()
    };
    let trend_obs: Vec<(Period, Vec<&Observation>)> =
        trend.iter().map(|p| (*p, in_period(*p))).collect();
    // National tables: each observation's unit worked out once, grouped by indicator and unit.
    let (now_by_unit, before_by_unit) = if national {
        (group(&now, unit), group(&before, unit))
    } else {
        Default::default()
    };
    let mut indicators = Vec::new();
    for code in codes {
        let def = definition(code);
        let is_code = |o: &Observation| o.indicator.as_str() == code;
        let (cur, prev) = (pick(&now, is_code), pick(&before, is_code));
        let f = figures(def, &cur, &prev);
        let direction = def.map_or(Direction::HigherIsBetter, |d| d.direction);
        let mut by_province: Vec<ProvinceFigure> = units
            .iter()
            .map(|u| {
                let pf = figures(
                    def,
                    &members(&now_by_unit, code, u.slug),
                    &members(&before_by_unit, code, u.slug),
                );
                ProvinceFigure {
                    province: u.slug.to_string(),
                    name: u.name.to_string(),
                    ratio: pf.ratio,
                    value: pf.value,
                    previous: pf.previous,
                    change: pf.change,
                    status: pf.status,
                }
            })
            .collect();
        sort_figures(&mut by_province, scope.order, direction);
        indicators.push(IndicatorRow {
            indicator: code.to_string(),
            name: def.map_or_else(|| code.to_string(), |d| d.name_vi.to_string()),
            name_en: def.map_or_else(|| code.to_string(), |d| d.name_en.to_string()),
            unit: def.map_or_else(String::new, |d| d.unit.to_string()),
            measure: def.map_or(Measure::Count, |d| d.measure),
            ratio: f.ratio,
            value: f.value,
            previous: f.previous,
            change: f.change,
            target: f.target,
            status: f.status,
            inconsistent: cur
                .iter()
                .filter(|o| o.stated_is_consistent() == Some(false))
                .map(|o| o.id.to_string())
                .collect(),
            observations: cur.len(),
            direction,
            trend: trend_obs
                .iter()
                .map(|(p, obs)| TrendPoint {
                    period: *p,
                    value: combine(def, &pick(obs, is_code)).1,
                })
                .collect(),
            by_province,
        });
    }

    // National reports: which provinces sent no figure, and one summary line per province.
    let mut reported: HashMap<&str, usize> = HashMap::new();
    for (_, u) in now_by_unit.keys() {
        *reported.entry(u).or_default() += 1;
    }
    let mut not_reporting: Vec<&str> = units
        .iter()
        .filter(|u| !reported.contains_key(u.slug))
        .map(|u| u.name)
        .collect();
    by_name(&mut not_reporting, |s| s);
    let tally = |items: &mut dyn Iterator<Item = Option<&'static str>>| {
        let mut t: HashMap<&'static str, usize> = HashMap::new();
        for u in items.flatten() {
            *t.entry(u).or_default() += 1;
        }
        t
    };
    let (reviews_by, overdue_by) = if national {
        (
            tally(&mut held_units.iter().copied()),
            tally(&mut overdue_units.iter().copied()),
        )
    } else {
        Default::default()
    };
    let (held_by, issued_by, built_by, recognised_by) = if national {
        (
            tally(&mut conferences.iter().map(|c| {
                c.province
                    .as_ref()
                    .and_then(|p| unit_of(scope.map, p.as_str()))
            })),
            tally(
                &mut all_directives
                    .iter()
                    .filter(|d| issued_in_period(d))
                    .map(|d| {
                        d.province
                            .as_ref()
                            .and_then(|p| unit_of(scope.map, p.as_str()))
                    }),
            ),
            tally(
                &mut models
                    .iter()
                    .filter(|m| started_in(m, start, end))
                    .map(|m| m.unit),
            ),
            tally(
                &mut models
                    .iter()
                    .filter(|m| recognised_in_period(m))
                    .map(|m| m.unit),
            ),
        )
    } else {
        Default::default()
    };
    let count = |t: &HashMap<&'static str, usize>, slug: &str| t.get(slug).copied().unwrap_or(0);
    let mut provinces: Vec<ProvinceSummary> = units
        .iter()
        .map(|u| ProvinceSummary {
            province: u.slug.to_string(),
            name: u.name.to_string(),
            conferences: count(&held_by, u.slug),
            directives_issued: count(&issued_by, u.slug),
            models_built: count(&built_by, u.slug),
            models_recognised: count(&recognised_by, u.slug),
            reviews_held: count(&reviews_by, u.slug),
            reviews_overdue: count(&overdue_by, u.slug),
            indicators_reported: reported.get(u.slug).copied().unwrap_or(0),
        })
        .collect();
    by_name(&mut provinces, |p| &p.name);
    if scope.order == ProvinceOrder::Value {
        provinces.sort_by(|a, b| {
            (b.indicators_reported, b.conferences, b.models_built).cmp(&(
                a.indicators_reported,
                a.conferences,
                a.models_built,
            ))
        });
    }

    Ok(ReportData {
        province,
        province_slug,
        map: scope.map,
        window: scope.window,
        period,
        previous_period: previous,
        range: (start, end),
        today: scope.today,
        board,
        conferences: ConferenceSection {
            by_kind,
            items: conferences
                .iter()
                .map(|c| (c.date, c.id.to_string(), c.title.to_string()))
                .collect(),
        },
        directives: DirectiveSection {
            issued,
            reviews_held,
            overdue,
            due_next,
            phases_ending,
        },
        models: model_rows,
        indicators,
        other_figures,
        not_reporting: not_reporting.into_iter().map(str::to_string).collect(),
        provinces,
    })
}
