//! Observations to data values and back, through a [`Mapping`].

use std::collections::BTreeMap;

use danvan_core::id::RecordId;
use danvan_core::indicator::{IndicatorDefinition, Measure, Observation, ReportingUnit};
use danvan_core::number::Decimal;
use danvan_core::period::Period;
use danvan_core::province::ProvinceRef;

use crate::mapping::{Mapping, Part, Place, part_name};

/// One data value: a figure of one data element, for one organisation unit and period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DataValue {
    /// The organisation unit's code.
    pub org_unit: String,
    /// The period (a DHIS2 identifier: `2024S1`).
    pub period: String,
    /// The data element's code.
    pub data_element: String,
    /// The figure, in machine form (`12`, `98.66`).
    pub value: String,
}

/// A data value read from a payload, with where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The value, its period already read.
    pub value: DataValue,
    /// Where: `dataValues[12]` or `line 45`.
    pub at: String,
}

/// A problem with a payload or a figure, with where it is and a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct Problem {
    /// Where: `dataValues[12].dataElement`, `line 45`, or the observation's ID.
    pub at: String,
    /// What kind of problem, for programs: `unmapped-data-element`, `no-period-form`, …
    pub code: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(
        at: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            at: at.into(),
            code,
            message: message.into(),
        }
    }
}

/// The data values of `observations`, sorted, or every observation that cannot be exchanged
/// and why: its indicator or place unmapped, its period with no DHIS2 form, a ratio without
/// both its numerator and its denominator, a figure missing. Nothing is left out silently.
pub fn to_values(
    observations: &[Observation],
    mapping: &Mapping,
) -> Result<Vec<DataValue>, Vec<Problem>> {
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for o in observations {
        let at = format!("observation {}", o.id);
        let place = Place::of(o.province.as_ref(), o.unit.as_ref());
        let Some(org_unit) = mapping.org_unit(&place) else {
            problems.push(Problem::new(
                &at,
                "unmapped-org-unit",
                format!("{} has no organisation unit in the mapping", place.label()),
            ));
            continue;
        };
        if !mapping.maps(&o.indicator) {
            problems.push(Problem::new(
                &at,
                "unmapped-indicator",
                format!(
                    "indicator {} has no data element in the mapping",
                    o.indicator
                ),
            ));
            continue;
        }
        let period = match crate::period::to_dhis2(&o.period) {
            Ok(p) => p,
            Err(e) => {
                problems.push(Problem::new(&at, "no-period-form", e.0));
                continue;
            }
        };
        let figures: Vec<(Part, Option<String>)> =
            if mapping.element(&o.indicator, Part::Value).is_some() {
                vec![(Part::Value, o.value.map(|v| v.to_string()))]
            } else {
                vec![
                    (Part::Numerator, o.numerator.map(|n| n.to_string())),
                    (Part::Denominator, o.denominator.map(|d| d.to_string())),
                ]
            };
        let missing: Vec<&str> = figures
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(p, _)| part_name(*p))
            .collect();
        if !missing.is_empty() {
            problems.push(Problem::new(&at, "figure-missing", format!(
                "no {} recorded: a data value is never made up (record it, or leave the observation out)",
                missing.join(" and ")
            )));
            continue;
        }
        for (part, value) in figures {
            values.push((
                DataValue {
                    org_unit: org_unit.to_string(),
                    period: period.clone(),
                    data_element: mapping
                        .element(&o.indicator, part)
                        .unwrap_or_default()
                        .to_string(),
                    value: value.unwrap_or_default(),
                },
                o.id.to_string(),
            ));
        }
    }
    values.sort();
    // Two observations on one value (Bắc Kạn's and Thái Nguyên's 2024 figure both mapped to
    // Thái Nguyên's unit): DHIS2 holds one, and figures are never added up here.
    for pair in values.windows(2) {
        let ((a, a_id), (b, b_id)) = (&pair[0], &pair[1]);
        if (&a.org_unit, &a.period, &a.data_element) == (&b.org_unit, &b.period, &b.data_element) {
            problems.push(Problem::new(
                format!("observations {a_id} and {b_id}"),
                "two-figures-one-value",
                format!(
                    "both give {} of {} in {}: map their places to organisation units of their own, or leave one out",
                    a.data_element, a.org_unit, a.period
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(values.into_iter().map(|(v, _)| v).collect())
    } else {
        Err(problems)
    }
}

/// What an import does to one observation.
#[derive(Debug, Clone, PartialEq)]
pub enum Planned {
    /// A new observation, with an ID made from its indicator, place and period.
    Create(Observation),
    /// An existing observation with new figures (everything else kept).
    Update(Observation),
    /// An existing observation that already has these figures.
    Unchanged(RecordId),
}

/// The figures given for one indicator, place and period: each part's text and where.
struct Group<'a> {
    indicator: RecordId,
    place: Place,
    period: Period,
    figures: BTreeMap<Part, (String, &'a str)>,
}

/// The values grouped by indicator, place and period, in a stable order; the problems of
/// each value that cannot be placed (unmapped, no period form, given twice) in `problems`.
fn group<'a>(
    values: &'a [Located],
    mapping: &Mapping,
    problems: &mut Vec<Problem>,
) -> Vec<Group<'a>> {
    let mut grouped: BTreeMap<(String, String, String), Group<'a>> = BTreeMap::new();
    for v in values {
        let at = &v.at;
        let Some((indicator, part)) = mapping.of_element(&v.value.data_element) else {
            problems.push(Problem::new(
                format!("{at}.dataElement"),
                "unmapped-data-element",
                format!(
                    "data element {:?} is not in the mapping",
                    v.value.data_element
                ),
            ));
            continue;
        };
        let Some(place) = mapping.place(&v.value.org_unit) else {
            problems.push(Problem::new(
                format!("{at}.orgUnit"),
                "unmapped-org-unit",
                format!(
                    "organisation unit {:?} is not in the mapping",
                    v.value.org_unit
                ),
            ));
            continue;
        };
        let period = match crate::period::from_dhis2(&v.value.period) {
            Ok(p) => p,
            Err(e) => {
                problems.push(Problem::new(format!("{at}.period"), "no-period-form", e.0));
                continue;
            }
        };
        let g = grouped
            .entry((indicator.to_string(), place.label(), period.id()))
            .or_insert_with(|| Group {
                indicator: indicator.clone(),
                place: place.clone(),
                period,
                figures: BTreeMap::new(),
            });
        if let Some((_, first)) = g
            .figures
            .insert(*part, (v.value.value.clone(), at.as_str()))
        {
            problems.push(Problem::new(
                at.as_str(),
                "duplicate-value",
                format!(
                    "the {} of {indicator} for {} in {} is given twice (first at {first})",
                    part_name(*part),
                    place.label(),
                    v.value.period
                ),
            ));
        }
    }
    grouped.into_values().collect()
}

/// Sets `o`'s figures from `g`'s, as `measure` takes them; false (with the problems) when
/// they cannot be taken.
fn take_figures(
    o: &mut Observation,
    g: &Group<'_>,
    measure: Measure,
    problems: &mut Vec<Problem>,
) -> bool {
    let before = problems.len();
    let indicator = &g.indicator;
    if measure == Measure::Ratio {
        let (Some((num, num_at)), Some((den, den_at))) = (
            g.figures.get(&Part::Numerator),
            g.figures.get(&Part::Denominator),
        ) else {
            let (has, lacks) = if g.figures.contains_key(&Part::Numerator) {
                ("numerator", "denominator")
            } else {
                ("denominator", "numerator")
            };
            let first = g
                .figures
                .values()
                .map(|(_, at)| *at)
                .min()
                .unwrap_or_default();
            problems.push(Problem::new(first, "ratio-incomplete", format!(
                "{indicator} for {} in {} has its {has} but not its {lacks}: a ratio is taken whole or not at all",
                g.place.label(), g.period.id()
            )));
            return false;
        };
        match (count(num), count(den)) {
            (Some(n), Some(d)) if n <= d => {
                o.numerator = Some(n);
                o.denominator = Some(d);
            }
            (Some(_), Some(_)) => problems.push(Problem::new(
                *num_at,
                "out-of-range",
                format!("numerator {num} is greater than the denominator {den}"),
            )),
            (None, _) => problems.push(Problem::new(
                *num_at,
                "not-a-count",
                format!("{num:?} is not a whole number"),
            )),
            (_, None) => problems.push(Problem::new(
                *den_at,
                "not-a-count",
                format!("{den:?} is not a whole number"),
            )),
        }
    } else if let Some((value, at)) = g.figures.get(&Part::Value) {
        match value.parse::<Decimal>() {
            Ok(d) if measure != Measure::Count || d.scale() == 0 => o.value = Some(d),
            Ok(_) => problems.push(Problem::new(
                *at,
                "not-a-count",
                format!("{value:?} is not a whole number, and {indicator} counts"),
            )),
            Err(e) => problems.push(Problem::new(*at, "not-a-number", format!("{value:?}: {e}"))),
        }
    }
    problems.len() == before
}

/// What the data values of a payload make of the store's observations (`existing`): each
/// observation the values describe — one per indicator, place and period; a ratio's numerator
/// and denominator together — matched to the store's by the same three, or new. Every problem
/// in the payload is reported, each where it is; with any, nothing is planned.
pub fn to_observations(
    values: &[Located],
    mapping: &Mapping,
    indicators: &[IndicatorDefinition],
    existing: &[Observation],
) -> Result<Vec<Planned>, Vec<Problem>> {
    to_located_observations(values, mapping, indicators, existing)
        .map(|v| v.into_iter().map(|(p, _)| p).collect())
}

/// [`to_observations`], each planned observation with where its values are in the payload
/// (`dataValues[3]`, `line 12`), so that what the store then refuses is named there too.
pub fn to_located_observations(
    values: &[Located],
    mapping: &Mapping,
    indicators: &[IndicatorDefinition],
    existing: &[Observation],
) -> Result<Vec<(Planned, Vec<String>)>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut planned = Vec::new();
    for g in group(values, mapping, &mut problems) {
        let Some(def) = indicators.iter().find(|d| d.id == g.indicator) else {
            continue;
        };
        let stored = existing.iter().find(|o| {
            o.indicator == g.indicator
                && o.period == g.period
                && Place::of(o.province.as_ref(), o.unit.as_ref()) == g.place
        });
        let mut o = match stored {
            Some(o) => o.clone(),
            None => {
                // A new ID, never one another observation has (an import replaces by ID).
                let base = [g.indicator.to_string(), g.place.label(), g.period.id()];
                let mut id = RecordId::derive(&base);
                for n in 2.. {
                    if !existing.iter().any(|e| e.id == id) {
                        break;
                    }
                    id = RecordId::derive(
                        base.iter()
                            .map(String::as_str)
                            .chain([n.to_string().as_str()]),
                    );
                }
                let mut o = Observation::new(id, g.indicator.clone(), g.period);
                o.province = g.place.province.as_deref().map(ProvinceRef::new);
                o.unit = g
                    .place
                    .unit
                    .as_ref()
                    .map(|(name, level)| ReportingUnit::new(name.as_str(), *level));
                o
            }
        };
        if !take_figures(&mut o, &g, def.measure, &mut problems) {
            continue;
        }
        let at: Vec<String> = g
            .figures
            .values()
            .map(|(_, at)| (*at).to_string())
            .collect();
        planned.push((
            match stored {
                None => Planned::Create(o),
                Some(before) if *before == o => Planned::Unchanged(o.id),
                Some(_) => Planned::Update(o),
            },
            at,
        ));
    }
    if problems.is_empty() {
        Ok(planned)
    } else {
        Err(problems)
    }
}

fn count(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}
