//! What a report says, computed from the store: every figure, before any layout.
//!
//! A report covers a scope (one province on the current or the old map, or the whole country)
//! and a period. Figures are exact: ratios are summed as numerators and denominators, never as
//! percentages, so rolling Bắc Kạn's 2024 figures into Thái Nguyên gives the right rate.

use chrono::NaiveDate;
use danvan_core::conference::ConferenceKind;
use danvan_core::dataset::AnyRecord;
use danvan_core::directive::{DueState, due_reviews};
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
}

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
    /// The unit counted.
    pub unit: String,
    /// Count, ratio, percent or score.
    pub measure: Measure,
    /// For ratios: the summed numerator and denominator.
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
}

/// Conferences held in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConferenceSection {
    /// How many of each kind (a conference of two kinds counts for both).
    pub by_kind: Vec<(ConferenceKind, usize)>,
    /// Every conference: date, ID, title.
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
    /// The review concerned, for due and overdue reviews.
    pub review: Option<String>,
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
    /// The period.
    pub period: Period,
    /// The comparison period ("cùng kỳ").
    pub previous_period: Period,
    /// First and last day covered.
    pub range: (NaiveDate, NaiveDate),
    /// The report's date.
    pub today: NaiveDate,
    /// Conferences.
    pub conferences: ConferenceSection,
    /// Directives.
    pub directives: DirectiveSection,
    /// Models by field.
    pub models: Vec<ModelRow>,
    /// The indicator table.
    pub indicators: Vec<IndicatorRow>,
    /// Provinces with no figure in the period (national reports).
    pub not_reporting: Vec<String>,
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

fn records(store: &dyn Store, q: &Query) -> Result<Vec<AnyRecord>, StoreError> {
    Ok(store.export(Some(q))?.dataset.records().collect())
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
            let (n, d) = obs.iter().fold((0u64, 0u64), |(n, d), o| {
                (n + o.numerator.unwrap_or(0), d + o.denominator.unwrap_or(0))
            });
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
            let (num, den) = values.iter().fold((0i128, 1i128), |(n, d), v| {
                let (vn, vd) = v.as_ratio();
                (n * vd + vn * d, d * vd)
            });
            (
                None,
                Some(Decimal::from_ratio(
                    num,
                    den * values.len() as i128,
                    PERCENT_PLACES,
                )),
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

/// Computes a report's figures from `store`.
pub fn build(store: &dyn Store, scope: &Scope) -> Result<ReportData, StoreError> {
    let period = scope.period;
    let previous = period.same_period_last_year();
    let (start, end) = period.date_range(scope.window);
    let province = match &scope.province {
        Some(p) => {
            let slug = danvan_core::province::ProvinceRef::new(p);
            let unit = match scope.map {
                ProvinceMap::Current => registry().current(slug.as_str()),
                ProvinceMap::AsRecorded => registry().all_with_slug(slug.as_str()).last(),
            };
            Some(unit.map_or_else(|| p.clone(), |u| u.name.to_string()))
        }
        None => None,
    };

    // Conferences held in the period.
    let mut conferences: Vec<danvan_core::conference::Conference> = records(
        store,
        &in_scope(
            scope,
            RecordKind::Conference,
            Some((period, PeriodMatch::Within)),
        ),
    )?
    .into_iter()
    .filter_map(|r| match r {
        AnyRecord::Conference(c) => Some(c),
        _ => None,
    })
    .collect();
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
    let held_ids: std::collections::HashSet<&str> =
        conferences.iter().map(|c| c.id.as_str()).collect();

    // Directives of the scope (all of them: reviews and phases reach across periods).
    let mut all_directives: Vec<danvan_core::directive::Directive> =
        records(store, &in_scope(scope, RecordKind::Directive, None))?
            .into_iter()
            .filter_map(|r| match r {
                AnyRecord::Directive(d) => Some(d),
                _ => None,
            })
            .collect();
    all_directives.sort_by(|a, b| a.id.cmp(&b.id));
    let line = |d: &danvan_core::directive::Directive,
                review: Option<String>,
                deadline: Option<NaiveDate>| DirectiveLine {
        id: d.id.to_string(),
        label: d.label(),
        title: d.title.to_string(),
        review,
        deadline,
    };
    let issued = all_directives
        .iter()
        .filter(|d| d.issued_on.is_some_and(|i| start <= i && i <= end))
        .map(|d| line(d, None, None))
        .collect();
    let mut reviews_held = Vec::new();
    for d in &all_directives {
        for m in &d.milestones {
            if m.held_at
                .as_ref()
                .is_some_and(|c| held_ids.contains(c.as_str()))
            {
                let label = m.label.as_deref().unwrap_or(m.kind.name_vi()).to_string();
                reviews_held.push(line(d, Some(label), Some(m.due.deadline())));
            }
        }
    }
    let next = period.next();
    let (_, next_end) = next.date_range(scope.window);
    let (mut overdue, mut due_next) = (Vec::new(), Vec::new());
    for r in due_reviews(&all_directives, end, next_end) {
        let label = r
            .milestone
            .label
            .as_deref()
            .unwrap_or(r.milestone.kind.name_vi())
            .to_string();
        let l = line(r.directive, Some(label), Some(r.deadline));
        match r.state {
            DueState::Overdue { .. } => overdue.push(l),
            DueState::DueSoon { .. } => due_next.push(l),
        }
    }
    let (next_first_year, next_last_year) = next.years();
    let phases_ending = all_directives
        .iter()
        .filter(|d| d.status == danvan_core::directive::DirectiveStatus::Active)
        .filter(|d| {
            d.phase
                .is_some_and(|p| (next_first_year..=next_last_year).contains(&p.end_year))
        })
        .map(|d| line(d, None, None))
        .collect();

    // Models: started in the period (and the comparison period), effective, recognised.
    let models: Vec<danvan_core::model::Model> =
        records(store, &in_scope(scope, RecordKind::Model, None))?
            .into_iter()
            .filter_map(|r| match r {
                AnyRecord::Model(m) => Some(m),
                _ => None,
            })
            .collect();
    let (prev_start, prev_end) = previous.date_range(scope.window);
    let started_in = |m: &danvan_core::model::Model, a: NaiveDate, b: NaiveDate| {
        NaiveDate::from_ymd_opt(m.start_year, 1, 1).is_some_and(|d| a <= d && d <= b)
    };
    let model_rows = ModelField::ALL
        .iter()
        .map(|f| {
            let of_field: Vec<&danvan_core::model::Model> =
                models.iter().filter(|m| m.field == *f).collect();
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
                        m.status == ModelStatus::Effective
                            && NaiveDate::from_ymd_opt(m.start_year, 1, 1).is_some_and(|d| d <= end)
                    })
                    .count(),
                recognised: of_field
                    .iter()
                    .filter(|m| {
                        m.recognition
                            .as_ref()
                            .is_some_and(|r| start <= r.date && r.date <= end)
                    })
                    .count(),
            }
        })
        .filter(|r| r.built + r.built_previous + r.effective + r.recognised > 0)
        .collect();

    // Indicators: the observations of exactly this period and of the comparison period.
    let observations = |p: Period| -> Result<Vec<Observation>, StoreError> {
        Ok(records(
            store,
            &in_scope(
                scope,
                RecordKind::Observation,
                Some((p, PeriodMatch::Within)),
            ),
        )?
        .into_iter()
        .filter_map(|r| match r {
            AnyRecord::Observation(o) if o.period == p => Some(o),
            _ => None,
        })
        .collect())
    };
    let now = observations(period)?;
    let before = observations(previous)?;
    let mut codes: Vec<String> = now
        .iter()
        .chain(&before)
        .map(|o| o.indicator.to_string())
        .collect();
    codes.sort();
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
    let mut indicators = Vec::new();
    for code in &codes {
        let def = definition(code);
        let of = |v: &[Observation]| -> Vec<Observation> {
            v.iter()
                .filter(|o| o.indicator.as_str() == code)
                .cloned()
                .collect()
        };
        let (cur, prev) = (of(&now), of(&before));
        let (ratio, value) = combine(def, &cur.iter().collect::<Vec<_>>());
        let (_, previous_value) = combine(def, &prev.iter().collect::<Vec<_>>());
        let target = cur
            .iter()
            .find_map(|o| o.target)
            .or_else(|| def.and_then(|d| d.target));
        let direction = def.map_or(Direction::HigherIsBetter, |d| d.direction);
        indicators.push(IndicatorRow {
            indicator: code.clone(),
            name: def.map_or_else(|| code.clone(), |d| d.name_vi.to_string()),
            unit: def.map_or_else(String::new, |d| d.unit.to_string()),
            measure: def.map_or(Measure::Count, |d| d.measure),
            ratio,
            value,
            previous: previous_value,
            change: value
                .zip(previous_value)
                .and_then(|(v, p)| v.checked_sub(p)),
            target,
            status: status(direction, value, target, previous_value),
            inconsistent: cur
                .iter()
                .filter(|o| o.stated_is_consistent() == Some(false))
                .map(|o| o.id.to_string())
                .collect(),
            observations: cur.len(),
        });
    }

    // National reports: which provinces sent no figure for the period.
    let not_reporting = if scope.province.is_none() {
        let reporting: std::collections::HashSet<&str> = now
            .iter()
            .filter_map(|o| o.province.as_ref())
            .filter_map(|p| registry().current(p.as_str()))
            .map(|u| u.slug)
            .collect();
        // On the current map, today's units; as recorded, the units of the period.
        let units: Vec<&danvan_core::province::Province> = match scope.map {
            ProvinceMap::Current => registry().valid_at(NaiveDate::MAX).collect(),
            ProvinceMap::AsRecorded => registry().valid_at(end).collect(),
        };
        let mut missing: Vec<&str> = units
            .into_iter()
            .filter(|u| match scope.map {
                ProvinceMap::Current => !reporting.contains(u.slug),
                ProvinceMap::AsRecorded => !now
                    .iter()
                    .any(|o| o.province.as_ref().is_some_and(|p| p.as_str() == u.slug)),
            })
            .map(|u| u.name)
            .collect();
        danvan_core::text::sort_by_key(&mut missing, |s| s);
        missing.into_iter().map(str::to_string).collect()
    } else {
        Vec::new()
    };

    Ok(ReportData {
        province,
        period,
        previous_period: previous,
        range: (start, end),
        today: scope.today,
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
        not_reporting,
    })
}
