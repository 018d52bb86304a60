//! How the figures of several provinces or units add up to one, and how a total is compared
//! with a year earlier: by the indicator's [`Aggregation`], and like for like.
//!
//! Counts are summed; ratios are summed as numerators and denominators, only where every part
//! gives both; indexes, scores and percentage-only figures are never summed or averaged but
//! listed part by part. A figure reported for the whole level (the country's total from the
//! central board) is kept apart from the sum of its parts. A change on a year earlier is
//! computed over the parts present in both periods only: the whole figure when they are the
//! same, the common parts (said so) when they differ, none when no part is in both.

use std::collections::BTreeSet;

use danvan_core::indicator::{
    Aggregation, IndicatorDefinition, Measure, Observation, PERCENT_PLACES,
};
use danvan_core::number::Decimal;
use danvan_core::unit::Unit;
use serde::Serialize;

use super::json;

/// A figure reported for a whole level, beside the sum of its parts: the country's total as
/// the central board reported it, which a national report never adds to the provinces'.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelFigure {
    /// For ratios, its numerator and denominator.
    #[serde(serialize_with = "json::ratio")]
    pub ratio: Option<(u64, u64)>,
    /// The figure.
    pub value: Option<Decimal>,
    /// The percentage as stated, when that is all there is.
    pub stated: Option<String>,
    /// This figure less the sum of the parts, where both are known.
    pub difference: Option<Decimal>,
    /// Who reports the whole level's figure: the central board as it was at the period's end
    /// ("Ban Dân vận Trung ương" for 2024).
    pub reported_by: String,
    /// Its English name.
    pub reported_by_en: String,
    /// The observations (IDs).
    pub sources: Vec<String>,
}

/// One part's figure of an indicator that does not add up (an index, or percentages with no
/// numbers behind them): listed, never combined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartFigure {
    /// The province as recorded (slug).
    pub province: String,
    /// For ratios, its numerator and denominator.
    #[serde(serialize_with = "json::ratio")]
    pub ratio: Option<(u64, u64)>,
    /// The figure.
    pub value: Option<Decimal>,
    /// The percentage as stated, when that is all there is.
    pub stated: Option<String>,
    /// The observation (ID).
    pub source: String,
}

/// The figures of a province's units of one level for one indicator and the report's period,
/// added up by the indicator's aggregation: shown beside the province's own figure (with the
/// difference), never added into it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitTotal {
    /// The indicator.
    pub indicator: String,
    /// Its Vietnamese name.
    pub name: String,
    /// Its English name.
    pub name_en: String,
    /// Count, ratio, percent or score.
    pub measure: Measure,
    /// The units' level.
    pub level: danvan_core::indicator::UnitLevel,
    /// How many units' figures it adds up.
    pub units: usize,
    /// How many units of the level the registry lists as existing, and so due to report, in the
    /// period; `None` where the registry lists none of that level for the province.
    pub due: Option<usize>,
    /// The registered units due that sent no figure for the indicator (names, in collation
    /// order).
    pub missing: Vec<String>,
    /// For ratios, the summed numerator and denominator.
    #[serde(serialize_with = "json::ratio")]
    pub ratio: Option<(u64, u64)>,
    /// The total; `None` where the figures do not add up (an index, a percentage alone).
    pub value: Option<Decimal>,
    /// The province's own figure for the same indicator and period, if reported.
    pub own: Option<Decimal>,
    /// `own` less `value`, where both are known.
    pub difference: Option<Decimal>,
    /// The units' observations (IDs).
    pub sources: Vec<String>,
    /// The units whose figures were sent in a submission not yet approved (names): left out
    /// of the total unless `pending_included`.
    pub pending: Vec<String>,
    /// Whether those figures are in the total (marked "số liệu chưa được duyệt").
    pub pending_included: bool,
}

/// The units' totals of `obs` (units' figures of one period), by indicator and level, in the
/// order given, where there are several units, units due to report, or the province's own
/// figure to set beside; `own` gives the province's own figure of an indicator; `registered`
/// are the province's registered units that existed in the period, which coverage is counted
/// against.
pub(super) fn unit_totals(
    obs: &[&Observation],
    registered: &[&Unit],
    definition: impl Fn(&str) -> Option<IndicatorDefinition>,
    own: impl Fn(&str) -> Option<Decimal>,
    pending: Pending<'_>,
) -> Vec<UnitTotal> {
    let mut groups: Vec<((&str, danvan_core::indicator::UnitLevel), Vec<&Observation>)> =
        Vec::new();
    for o in obs {
        let Some(unit) = &o.unit else { continue };
        let key = (o.indicator.as_str(), unit.level);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(o),
            None => groups.push((key, vec![o])),
        }
    }
    groups
        .into_iter()
        .map(|((code, level), all)| {
            let def = definition(code);
            // A unit that sent its figure is not missing, approved or not.
            let (due, missing) = coverage(registered, level, &all);
            let waiting: Vec<&Observation> =
                all.iter().copied().filter(|o| (pending.is)(o)).collect();
            let members: Vec<&Observation> = if pending.included {
                all.clone()
            } else {
                all.iter().copied().filter(|o| !(pending.is)(o)).collect()
            };
            // Nothing approved is nothing to add: no total, never a zero.
            let (ratio, value) = if members.is_empty() {
                (None, None)
            } else {
                combine(def.as_ref(), &members)
            };
            let own = own(code);
            UnitTotal {
                indicator: code.to_string(),
                name: def
                    .as_ref()
                    .map_or_else(|| code.to_string(), |d| d.name_vi.to_string()),
                name_en: def
                    .as_ref()
                    .map_or_else(|| code.to_string(), |d| d.name_en.to_string()),
                measure: def.as_ref().map_or(Measure::Count, |d| d.measure),
                level,
                units: members.len(),
                due,
                missing,
                ratio,
                value,
                own,
                difference: own.zip(value).and_then(|(a, b)| a.checked_sub(b)),
                sources: members.iter().map(|o| o.id.to_string()).collect(),
                pending: waiting
                    .iter()
                    .filter_map(|o| o.unit.as_ref().map(|u| u.name.to_string()))
                    .collect(),
                pending_included: pending.included,
            }
        })
        // One unit's figure alone is no total, unless it sits beside the province's own or
        // other units were due.
        .filter(|t| t.units > 1 || t.own.is_some() || t.due.is_some_and(|d| d > 1))
        .collect()
}

/// Which units' figures wait for approval (sent in a submission not yet approved), and whether
/// a total includes them.
pub(super) struct Pending<'a> {
    /// Whether a figure waits for approval.
    pub(super) is: &'a dyn Fn(&Observation) -> bool,
    /// Whether totals include such figures.
    pub(super) included: bool,
}

/// How many of the `registered` units of `level` were due, and the names of those of them
/// that no figure in `members` names (by folded name); `(None, [])` where none of that level is
/// registered.
fn coverage(
    registered: &[&Unit],
    level: danvan_core::indicator::UnitLevel,
    members: &[&Observation],
) -> (Option<usize>, Vec<String>) {
    let due: Vec<&Unit> = registered
        .iter()
        .copied()
        .filter(|u| u.level == level)
        .collect();
    if due.is_empty() {
        return (None, Vec::new());
    }
    let mut missing: Vec<String> = due
        .iter()
        .filter(|u| {
            !members
                .iter()
                .filter_map(|o| o.unit.as_ref())
                .any(|n| u.answers_to(&n.name))
        })
        .map(|u| u.name.to_string())
        .collect();
    danvan_core::text::sort_by_key(&mut missing, |s| s.as_str());
    (Some(due.len()), missing)
}

/// How a figure was compared with the same period a year earlier.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Comparison {
    /// Nothing to compare: no figure a year earlier, or a figure that does not add up.
    None,
    /// Over the same provinces in both periods.
    Same,
    /// Over the provinces with a figure in both periods, fewer than this period's: their
    /// figure this period (`value`) against theirs a year earlier.
    Common {
        /// The provinces compared (slugs as recorded).
        units: Vec<String>,
        /// How many provinces this period's figure covers.
        of: usize,
        /// For ratios, the common provinces' numerator and denominator this period.
        #[serde(serialize_with = "json::ratio")]
        ratio: Option<(u64, u64)>,
        /// The common provinces' figure this period.
        value: Option<Decimal>,
    },
    /// Figures a year earlier exist only for other provinces, or for part of the land: not
    /// comparable.
    Incomparable {
        /// The provinces with a figure a year earlier (slugs as recorded).
        previous_units: Vec<String>,
        /// Those of them that were merged away since (written "Thái Nguyên (cũ)").
        former: Vec<String>,
    },
}

/// The part an observation counts for: its province as recorded; `None` for a figure of the
/// whole level (the country's own total).
pub(super) fn part(o: &Observation) -> Option<&str> {
    o.province.as_ref().map(|p| p.as_str())
}

/// The parts behind `obs`, ordered.
pub(super) fn parts_of<'a>(obs: &[&'a Observation]) -> BTreeSet<Option<&'a str>> {
    obs.iter().map(|o| part(o)).collect()
}

/// Combines observations of one indicator (one per part) by its aggregation: the numerator and
/// denominator for ratios, and the figure. `None` where they do not add up: an index or score
/// of several parts, a ratio some part gives only as a percentage, a count some part lacks.
pub(super) fn combine(
    def: Option<&IndicatorDefinition>,
    obs: &[&Observation],
) -> (Option<(u64, u64)>, Option<Decimal>) {
    let measure = def.map_or(Measure::Count, |d| d.measure);
    let aggregation = def.map_or(Aggregation::Sum, |d| d.aggregation());
    match obs {
        [] => (None, None),
        [o] => single(measure, o),
        _ => match aggregation {
            Aggregation::Listed => (None, None),
            Aggregation::Ratio => {
                let Some(ratios) = obs
                    .iter()
                    .map(|o| Some((o.numerator?, o.denominator?)))
                    .collect::<Option<Vec<(u64, u64)>>>()
                else {
                    return (None, None);
                };
                let (n, d) = ratios
                    .iter()
                    .fold((0u64, 0u64), |(n, d), (a, b)| (n + a, d + b));
                (Some((n, d)), Decimal::percentage(n, d, PERCENT_PLACES))
            }
            Aggregation::Sum => {
                let Some(values) = obs
                    .iter()
                    .map(|o| o.value)
                    .collect::<Option<Vec<Decimal>>>()
                else {
                    return (None, None);
                };
                let total: i64 = values.iter().map(|v| v.round(0).units()).sum();
                (None, Some(Decimal::from_int(total)))
            }
        },
    }
}

/// One observation's figure: a ratio's parts and percentage, or its percentage as stated when
/// that is all it gives; a count to the unit.
fn single(measure: Measure, o: &Observation) -> (Option<(u64, u64)>, Option<Decimal>) {
    match measure {
        Measure::Ratio => match o.numerator.zip(o.denominator) {
            Some((n, d)) => (Some((n, d)), Decimal::percentage(n, d, PERCENT_PLACES)),
            None => (
                None,
                o.value.or_else(|| o.stated.as_ref().map(|s| s.value())),
            ),
        },
        Measure::Count => (None, o.value.map(|v| Decimal::from_int(v.round(0).units()))),
        // To the places percentages are given to, as every figure of the table.
        Measure::Percent | Measure::Score => (
            None,
            o.computed().and_then(|v| {
                let (num, den) = v.as_ratio();
                Decimal::from_ratio(num, den, PERCENT_PLACES)
            }),
        ),
    }
}

/// Each part's figure, when the parts do not add up to one.
pub(super) fn listed(def: Option<&IndicatorDefinition>, obs: &[&Observation]) -> Vec<PartFigure> {
    let measure = def.map_or(Measure::Count, |d| d.measure);
    let mut out: Vec<PartFigure> = obs
        .iter()
        .map(|o| {
            let (ratio, value) = match measure {
                // Each part's figure as recorded.
                Measure::Percent | Measure::Score => (None, o.computed()),
                _ => single(measure, o),
            };
            PartFigure {
                province: part(o).unwrap_or_default().to_string(),
                ratio,
                value,
                stated: stated_only(o),
                source: o.id.to_string(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.province.cmp(&b.province));
    out
}

/// The percentage as stated, for an observation that gives nothing else.
pub(super) fn stated_only(o: &Observation) -> Option<String> {
    (o.numerator.is_none() && o.value.is_none())
        .then(|| o.stated.as_ref().map(|s| s.as_str().to_string()))
        .flatten()
}

/// The figure of the whole level, from the observations that belong to no part.
pub(super) fn level_figure(
    def: Option<&IndicatorDefinition>,
    level: &[&Observation],
    parts: Option<Decimal>,
    reported_by: &(String, String),
) -> Option<LevelFigure> {
    if level.is_empty() {
        return None;
    }
    let (ratio, value) = combine(def, level);
    Some(LevelFigure {
        ratio,
        value,
        stated: match level {
            [o] => stated_only(o),
            _ => None,
        },
        difference: value.zip(parts).and_then(|(v, p)| v.checked_sub(p)),
        reported_by: reported_by.0.clone(),
        reported_by_en: reported_by.1.clone(),
        sources: level.iter().map(|o| o.id.to_string()).collect(),
    })
}

/// The comparison of `now` (the observations behind this period's figure) with `before` (a
/// year earlier, of the same kind: parts or the whole level): the comparison, the previous
/// figure and the change, and the observations of a year earlier compared.
pub(super) struct Compared<'a> {
    pub(super) comparison: Comparison,
    pub(super) previous: Option<Decimal>,
    pub(super) change: Option<Decimal>,
    pub(super) previous_sources: Vec<&'a Observation>,
}

/// A province as it was when a figure was reported: Thái Nguyên before its merger with Bắc
/// Kạn is not the Thái Nguyên after it. `None` is the whole level (the country's own figure).
type Entity = Option<(&'static str, Option<chrono::NaiveDate>)>;

fn entity(o: &Observation) -> Entity {
    o.province_at_period().map(|p| (p.slug, p.valid_from))
}

/// The province on today's map whose land a figure covers part or all of.
fn territory(o: &Observation) -> Option<&'static str> {
    danvan_core::province::registry()
        .current(part(o)?)
        .map(|p| p.slug)
}

/// An observation with its province as it was and the land it lies in, each resolved once.
type Placed<'a> = (&'a Observation, Entity, Option<&'static str>);

fn placed<'a>(obs: &[&'a Observation]) -> Vec<Placed<'a>> {
    obs.iter().map(|o| (*o, entity(o), territory(o))).collect()
}

/// Whether the observations of one period placed in `territory` cover every province that
/// made it up at the period's end.
fn covers(territory: &str, obs: &[Placed<'_>]) -> bool {
    let these: Vec<&Placed<'_>> = obs.iter().filter(|p| p.2 == Some(territory)).collect();
    let Some((first, ..)) = these.first() else {
        return false;
    };
    let have: BTreeSet<Entity> = these.iter().map(|p| p.1).collect();
    danvan_core::province::registry()
        .constituents(territory, first.period_end())
        .all(|p| have.contains(&Some((p.slug, p.valid_from))))
}

/// The observations of `now` and of `before` that compare like for like: the same provinces
/// (as they were) in both periods; and, for land whose provinces changed between them (a
/// merger, a split), all of it on both sides or none.
pub(super) fn like_for_like<'n, 'b>(
    now: &[&'n Observation],
    before: &[&'b Observation],
) -> (Vec<&'n Observation>, Vec<&'b Observation>) {
    let (now, before) = (placed(now), placed(before));
    let keys = |obs: &[Placed<'_>]| -> BTreeSet<Entity> { obs.iter().map(|p| p.1).collect() };
    let same: BTreeSet<Entity> = keys(&now).intersection(&keys(&before)).copied().collect();
    // Land with no province in both periods, compared whole when both sides cover all of it.
    let rest = |obs: &[Placed<'_>]| -> BTreeSet<Option<&'static str>> {
        obs.iter()
            .filter(|p| !same.contains(&p.1))
            .map(|p| p.2)
            .collect()
    };
    let touched: BTreeSet<Option<&'static str>> = now
        .iter()
        .chain(&before)
        .filter(|p| same.contains(&p.1))
        .map(|p| p.2)
        .collect();
    let whole: BTreeSet<&'static str> = rest(&now)
        .intersection(&rest(&before))
        .flatten()
        .copied()
        .filter(|t| !touched.contains(&Some(*t)) && covers(t, &now) && covers(t, &before))
        .collect();
    let keep = |p: &Placed<'_>| same.contains(&p.1) || p.2.is_some_and(|t| whole.contains(t));
    (
        now.iter().filter(|p| keep(p)).map(|p| p.0).collect(),
        before.iter().filter(|p| keep(p)).map(|p| p.0).collect(),
    )
}

/// Compares like for like (see [`like_for_like`]).
pub(super) fn compare<'a>(
    def: Option<&IndicatorDefinition>,
    now: &[&Observation],
    value: Option<Decimal>,
    before: &[&'a Observation],
) -> Compared<'a> {
    let none = |comparison| Compared {
        comparison,
        previous: None,
        change: None,
        previous_sources: Vec::new(),
    };
    // A figure that does not add up has nothing to compare.
    if before.is_empty() || value.is_none() {
        return none(Comparison::None);
    }
    let (these, earlier) = like_for_like(now, before);
    if these.is_empty() {
        return none(Comparison::Incomparable {
            previous_units: slugs(before),
            former: slugs(
                &before
                    .iter()
                    .copied()
                    .filter(|o| {
                        o.province_at_period()
                            .is_some_and(|p| p.valid_until.is_some())
                    })
                    .collect::<Vec<_>>(),
            ),
        });
    }
    let (_, previous) = combine(def, &earlier);
    let (comparison, compared_value) = if these.len() == now.len() {
        (Comparison::Same, value)
    } else {
        let (ratio, value) = combine(def, &these);
        (
            Comparison::Common {
                units: slugs(&these),
                of: now.len(),
                ratio,
                value,
            },
            value,
        )
    };
    Compared {
        comparison,
        previous,
        change: compared_value
            .zip(previous)
            .and_then(|(v, p)| v.checked_sub(p)),
        previous_sources: earlier,
    }
}

/// The provinces of `obs` as recorded (slugs), ordered, once each.
pub(super) fn slugs(obs: &[&Observation]) -> Vec<String> {
    parts_of(obs)
        .into_iter()
        .flatten()
        .map(str::to_string)
        .collect()
}
