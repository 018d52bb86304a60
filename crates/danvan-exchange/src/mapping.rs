//! The mapping file: which DHIS2 data element each indicator is, and which organisation unit
//! each province (or unit below it, or the country) is. TOML, written by the office that
//! exchanges:
//!
//! ```toml
//! data_set = "DV_BAOCAO"            # optional: the data set the values are reported in
//!
//! [[data_elements]]                 # a count, percentage or score: one data element
//! indicator = "citizen_reception_sessions"
//! data_element = "DV_TIEP_DAN"
//!
//! [[data_elements]]                 # a ratio: its numerator and denominator, two elements
//! indicator = "communes_dan_van_kheo_standard"
//! numerator = "DV_DVK_DAT"
//! denominator = "DV_DVK_TONG"
//!
//! [[org_units]]
//! code = "VN_TN"
//! province = "thai-nguyen"          # a province, by slug (today's map or the one recorded)
//!
//! [[org_units]]
//! code = "VN_TN_STP"
//! province = "thai-nguyen"
//! unit = "Sở Tư pháp"               # a unit below it, by name, and its level
//! level = "department"
//!
//! [[org_units]]
//! code = "VN"
//! national = true                   # the country: figures with no province
//! ```
//!
//! A ratio is exchanged as two values, its numerator and its denominator, each in a data
//! element of its own (DHIS2 computes the percentage from them as an indicator): a percentage
//! alone cannot be added up across organisation units, a numerator and a denominator can.

use std::collections::{BTreeMap, BTreeSet};

use danvan_core::id::RecordId;
use danvan_core::indicator::{IndicatorDefinition, Measure, ReportingUnit, UnitLevel};
use danvan_core::province::ProvinceRef;
use danvan_core::text::search_key;
use serde::Deserialize;

/// Which figure of an observation a data element carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The value of a count, percentage or score.
    Value,
    /// A ratio's numerator.
    Numerator,
    /// A ratio's denominator.
    Denominator,
}

/// Where a figure is reported: the country, a province, or a unit below a province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The province's slug as the mapping gives it; `None` for the country.
    pub province: Option<String>,
    /// The unit below it (its name as the mapping gives it, and its level).
    pub unit: Option<(String, UnitLevel)>,
}

impl Place {
    /// The place of an observation's province and unit.
    pub fn of(province: Option<&ProvinceRef>, unit: Option<&ReportingUnit>) -> Place {
        Place {
            province: province.map(|p| p.as_str().to_string()),
            unit: unit.map(|u| (u.name.to_string(), u.level)),
        }
    }

    /// How the mapping and messages name it: `thai-nguyen`, `thai-nguyen / Sở Tư pháp`,
    /// `national`.
    pub fn label(&self) -> String {
        match (&self.province, &self.unit) {
            (None, _) => "national".to_string(),
            (Some(p), None) => p.clone(),
            (Some(p), Some((u, _))) => format!("{p} / {u}"),
        }
    }

    /// What places are compared by: the province as written (or, `current`, as today's map
    /// has it), the unit's name folded.
    fn key(&self, current: bool) -> (Option<String>, Option<String>) {
        let reg = danvan_core::province::registry();
        (
            self.province.as_ref().map(|p| match reg.current(p) {
                Some(c) if current => c.slug.to_string(),
                _ => p.clone(),
            }),
            self.unit.as_ref().map(|(u, _)| search_key(u)),
        )
    }
}

/// A mapping read from its file.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// The data set the values are reported in, when the receiving system wants one.
    pub data_set: Option<String>,
    elements: BTreeMap<String, (RecordId, Part)>,
    by_indicator: BTreeMap<RecordId, BTreeMap<Part, String>>,
    org_units: Vec<(String, Place)>,
}

/// Why a mapping file cannot be used: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct MappingError {
    /// The line, when the problem is at one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    data_set: Option<String>,
    #[serde(default)]
    data_elements: Vec<ElementEntry>,
    #[serde(default)]
    org_units: Vec<OrgUnitEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ElementEntry {
    indicator: String,
    #[serde(default)]
    data_element: Option<String>,
    #[serde(default)]
    numerator: Option<String>,
    #[serde(default)]
    denominator: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgUnitEntry {
    code: String,
    #[serde(default)]
    province: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    level: Option<UnitLevel>,
    #[serde(default)]
    national: bool,
}

/// The problems of a mapping file, each placed at the line where its `needle` first is.
struct Found<'a> {
    text: &'a str,
    list: Vec<MappingError>,
}

impl Found<'_> {
    fn add(&mut self, needle: &str, message: String) {
        self.list.push(MappingError {
            line: self.text.find(needle).map(|at| line_at(self.text, at)),
            message,
        });
    }
}

/// The mapped data elements, both ways.
type Elements = (
    BTreeMap<String, (RecordId, Part)>,
    BTreeMap<RecordId, BTreeMap<Part, String>>,
);

fn data_elements(
    entries: &[ElementEntry],
    indicators: &[IndicatorDefinition],
    found: &mut Found<'_>,
) -> Elements {
    let mut elements = BTreeMap::new();
    let mut by_indicator: BTreeMap<RecordId, BTreeMap<Part, String>> = BTreeMap::new();
    for e in entries {
        let needle = format!("\"{}\"", e.indicator);
        let Some(def) = indicators.iter().find(|d| d.id.as_str() == e.indicator) else {
            found.add(
                &needle,
                format!(
                    "indicator {:?} is not in the catalogue nor the store",
                    e.indicator
                ),
            );
            continue;
        };
        let ratio = def.measure == Measure::Ratio;
        let parts: Vec<(Part, &Option<String>)> = if ratio {
            vec![
                (Part::Numerator, &e.numerator),
                (Part::Denominator, &e.denominator),
            ]
        } else {
            vec![(Part::Value, &e.data_element)]
        };
        if ratio && e.data_element.is_some() {
            found.add(&needle, format!("{} is a ratio: give its numerator and denominator data elements, not data_element", e.indicator));
            continue;
        }
        if !ratio && (e.numerator.is_some() || e.denominator.is_some()) {
            found.add(
                &needle,
                format!(
                    "{} is not a ratio: give one data_element, not numerator and denominator",
                    e.indicator
                ),
            );
            continue;
        }
        if by_indicator.contains_key(&def.id) {
            found.add(
                &needle,
                format!("indicator {} is mapped twice", e.indicator),
            );
            continue;
        }
        let mut mine = BTreeMap::new();
        for (part, element) in parts {
            let Some(element) = element.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
                found.add(
                    &needle,
                    format!(
                        "{}: the {} data element is missing",
                        e.indicator,
                        part_name(part)
                    ),
                );
                continue;
            };
            if let Some((other, _)) = elements.get(element) {
                found.add(
                    &format!("\"{element}\""),
                    format!("data element {element} is mapped twice (to {other} too)"),
                );
                continue;
            }
            elements.insert(element.to_string(), (def.id.clone(), part));
            mine.insert(part, element.to_string());
        }
        by_indicator.insert(def.id.clone(), mine);
    }
    (elements, by_indicator)
}

fn org_units(entries: &[OrgUnitEntry], found: &mut Found<'_>) -> Vec<(String, Place)> {
    let reg = danvan_core::province::registry();
    let mut org_units: Vec<(String, Place)> = Vec::new();
    let mut codes = BTreeSet::new();
    for o in entries {
        let needle = format!("\"{}\"", o.code);
        if !codes.insert(o.code.clone()) {
            found.add(
                &needle,
                format!("organisation unit {} is mapped twice", o.code),
            );
            continue;
        }
        let place = match (o.national, &o.province, &o.unit, o.level) {
            (true, None, None, None) => Place {
                province: None,
                unit: None,
            },
            (false, Some(p), None, None) => Place {
                province: Some(p.clone()),
                unit: None,
            },
            (false, Some(p), Some(u), Some(level)) => Place {
                province: Some(p.clone()),
                unit: Some((u.clone(), level)),
            },
            (false, Some(_), Some(_), None) => {
                found.add(&needle, format!("{}: a unit needs its level (department, district, commune, party_bloc, enterprise, cluster, other)", o.code));
                continue;
            }
            _ => {
                found.add(&needle, format!("{}: give `national = true`, or a `province` (and, for a unit below it, `unit` and `level`)", o.code));
                continue;
            }
        };
        if let Some(p) = &place.province
            && reg.current(p).is_none()
        {
            found.add(
                &needle,
                format!("{}: no province has the slug {p:?}", o.code),
            );
            continue;
        }
        if let Some((code, _)) = org_units
            .iter()
            .find(|(_, other)| other.key(false) == place.key(false))
        {
            found.add(
                &needle,
                format!("{} and {code} are both {}", o.code, place.label()),
            );
            continue;
        }
        org_units.push((o.code.clone(), place));
    }
    org_units
}

impl Mapping {
    /// Reads a mapping from its TOML text, checking it against the indicators it names
    /// (`indicators`: the built-in catalogue and the store's own). Every problem is reported,
    /// each with its line where it has one.
    pub fn parse(
        text: &str,
        indicators: &[IndicatorDefinition],
    ) -> Result<Mapping, Vec<MappingError>> {
        let file: File = toml::from_str(text).map_err(|e| {
            vec![MappingError {
                line: e.span().map(|s| line_at(text, s.start)),
                message: e.message().to_string(),
            }]
        })?;
        let mut found = Found {
            text,
            list: Vec::new(),
        };
        let (elements, by_indicator) = data_elements(&file.data_elements, indicators, &mut found);
        let org_units = org_units(&file.org_units, &mut found);
        if found.list.is_empty() {
            Ok(Mapping {
                data_set: file.data_set.filter(|d| !d.trim().is_empty()),
                elements,
                by_indicator,
                org_units,
            })
        } else {
            Err(found.list)
        }
    }

    /// The data element carrying `part` of `indicator`'s figures.
    pub fn element(&self, indicator: &RecordId, part: Part) -> Option<&str> {
        self.by_indicator
            .get(indicator)?
            .get(&part)
            .map(String::as_str)
    }

    /// Whether `indicator` is mapped.
    pub fn maps(&self, indicator: &RecordId) -> bool {
        self.by_indicator.contains_key(indicator)
    }

    /// The indicator and part a data element carries.
    pub fn of_element(&self, element: &str) -> Option<&(RecordId, Part)> {
        self.elements.get(element)
    }

    /// The organisation unit of a place: the one mapped to its province as recorded, else the
    /// one mapped to what that province has become (Bắc Kạn's figures go to Thái Nguyên's
    /// unit unless Bắc Kạn has one of its own).
    pub fn org_unit(&self, place: &Place) -> Option<&str> {
        [false, true].into_iter().find_map(|current| {
            let key = place.key(current);
            self.org_units
                .iter()
                .find(|(_, p)| p.key(current) == key)
                .map(|(code, _)| code.as_str())
        })
    }

    /// The place of an organisation unit.
    pub fn place(&self, org_unit: &str) -> Option<&Place> {
        self.org_units
            .iter()
            .find(|(code, _)| code == org_unit)
            .map(|(_, p)| p)
    }
}

pub(crate) fn part_name(part: Part) -> &'static str {
    match part {
        Part::Value => "value",
        Part::Numerator => "numerator",
        Part::Denominator => "denominator",
    }
}

/// The 1-based line of byte `at` in `text`.
pub(crate) fn line_at(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}
