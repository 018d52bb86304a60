//! Indicators: what provinces report each period, and the observations that report it.
//!
//! Most figures are ratios of units or cases ("19/20 sở, ngành", "1.272/1.337 đơn thư"). An
//! [`Observation`] stores numerator and denominator exactly, computes the percentage, and keeps
//! any percentage the source stated — with its qualifier, as written ("trên 95%") — so that it
//! can be checked against the computed one: 1272/1337 = 95,14%, consistent with "trên 95%".
//!
//! [`catalogue`] holds the indicators provinces commonly report; a dataset may define more.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::id::RecordId;
use crate::number::{Convention, Decimal, format_percent};
use crate::period::{Period, Window};
use crate::province::ProvinceRef;
use crate::source::Source;
use crate::text::{Text, search_key};
use crate::validate::{Checker, Problem, RecordKind};

/// What an indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A whole count (`value`): dialogues held, models built.
    Count,
    /// A ratio of units or cases (`numerator`/`denominator`), shown as a percentage.
    Ratio,
    /// A percentage reported directly (`value`, 0–100): SIPAS.
    Percent,
    /// A score on the indicator's own scale (`value`): PAPI.
    Score,
}

/// How an indicator's figures of several units or provinces add up to one figure — data in
/// the catalogue, never guessed by the report.
///
/// ```
/// use danvan_core::indicator::{builtin, Aggregation};
/// assert_eq!(builtin("dialogues_held").unwrap().aggregation(), Aggregation::Sum);
/// assert_eq!(builtin("complaints_resolved").unwrap().aggregation(), Aggregation::Ratio);
/// // An index is never summed or averaged across provinces: it is listed per province.
/// assert_eq!(builtin("sipas").unwrap().aggregation(), Aggregation::Listed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Counts: the total is the sum.
    Sum,
    /// Ratios: numerators and denominators are summed, and only where every part gives both
    /// (a part known only as a percentage leaves no total).
    Ratio,
    /// Indexes, scores and percentage-only figures: never summed or averaged; each unit's or
    /// province's figure is listed.
    Listed,
}

impl Aggregation {
    /// How a figure of `measure` adds up when its definition does not say: counts are summed,
    /// ratios by their parts, percentages and scores listed.
    pub fn of_measure(measure: Measure) -> Aggregation {
        match measure {
            Measure::Count => Aggregation::Sum,
            Measure::Ratio => Aggregation::Ratio,
            Measure::Percent | Measure::Score => Aggregation::Listed,
        }
    }

    /// Whether figures of `measure` can add up this way.
    pub fn fits(self, measure: Measure) -> bool {
        match self {
            Aggregation::Sum => measure == Measure::Count,
            Aggregation::Ratio => measure == Measure::Ratio,
            Aggregation::Listed => true,
        }
    }
}

/// Whether a higher value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (resolution rates, satisfaction).
    HigherIsBetter,
    /// Less is better (hotspots arising).
    LowerIsBetter,
    /// Neither: a volume to report, not to judge (complaints received — more may mean more
    /// trust as well as more trouble). Reports never call its change a shortcoming.
    Neutral,
}

/// The definition of an indicator. Its `id` is the indicator code that observations cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IndicatorDefinition {
    /// The code, e.g. `complaints_resolved`.
    pub id: RecordId,
    /// Vietnamese name, as used in reports.
    pub name_vi: Text,
    /// English name.
    pub name_en: Text,
    /// The unit counted: "đơn vị", "hồ sơ", "%", "điểm".
    pub unit: Text,
    /// Count, ratio, percent or score.
    pub measure: Measure,
    /// Whether higher is better.
    pub direction: Direction,
    /// How figures of several units add up; absent, by the measure (see
    /// [`Aggregation::of_measure`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation: Option<Aggregation>,
    /// The starting value plans compare against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Decimal>,
    /// The value aimed for (a percentage for ratios).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Decimal>,
    /// What it counts and where the figure comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The level of unit it counts (districts, communes), when it counts units of one level:
    /// a report of a period when that level no longer existed does not list it as missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<UnitLevel>,
}

impl IndicatorDefinition {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Indicator;

    /// A definition with its required fields; set the baseline, target and description on the
    /// value.
    pub fn new(
        id: RecordId,
        name_vi: impl AsRef<str>,
        name_en: impl AsRef<str>,
        unit: impl AsRef<str>,
        measure: Measure,
        direction: Direction,
    ) -> IndicatorDefinition {
        IndicatorDefinition {
            id,
            name_vi: Text::new(name_vi),
            name_en: Text::new(name_en),
            unit: Text::new(unit),
            measure,
            direction,
            aggregation: None,
            baseline: None,
            target: None,
            description: None,
            level: None,
        }
    }

    /// How figures of several units or provinces add up: as the definition says, else by its
    /// measure.
    pub fn aggregation(&self) -> Aggregation {
        self.aggregation
            .unwrap_or_else(|| Aggregation::of_measure(self.measure))
    }

    /// Checks the definition: its fields, and that its code is not a built-in indicator's
    /// (a dataset's own definition may not shadow the catalogue).
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker::new(Self::KIND, &self.id);
        if builtin(self.id.as_str()).is_some_and(|b| !std::ptr::eq(b, self)) {
            c.error(
                "reserved-id",
                "id",
                format!("{} is a built-in indicator; choose another code", self.id),
            );
        }
        c.not_blank("name_vi", &self.name_vi);
        c.not_blank("name_en", &self.name_en);
        c.not_blank("unit", &self.unit);
        if let Some(a) = self.aggregation
            && !a.fits(self.measure)
        {
            c.error(
                "aggregation-measure",
                "aggregation",
                format!(
                    "figures measured as {:?} cannot add up as {:?}: a sum is for counts, a ratio for ratios",
                    self.measure, a
                )
                .to_lowercase(),
            );
        }
        for (field, v) in [("baseline", self.baseline), ("target", self.target)] {
            if let Some(v) = v {
                check_value(&mut c, field, v, self.measure);
            }
        }
        c.finish()
    }
}

pub(crate) fn check_value(c: &mut Checker<'_>, field: &str, v: Decimal, measure: Measure) {
    match measure {
        Measure::Ratio | Measure::Percent if v < Decimal::ZERO || v > Decimal::HUNDRED => {
            c.error(
                "out-of-range",
                field,
                format!("percentage {} is outside 0–100", v.to_vietnamese(v.scale())),
            );
        }
        Measure::Count if v.is_negative() || v.scale() > 0 && v != v.round(0) => {
            c.error(
                "not-a-count",
                field,
                format!("a count must be a whole number of at least 0, not {v}"),
            );
        }
        _ => {}
    }
}

/// A figure reported for one indicator, province (or the whole country) and period.
///
/// ```
/// use danvan_core::indicator::{builtin, Observation};
/// let o: Observation = serde_json::from_str(r#"{
///     "id": "tn-2024-one-stop", "indicator": "one_stop_departments", "province": "thai-nguyen",
///     "period": "2024", "numerator": 19, "denominator": 20, "stated": "95%"
/// }"#).unwrap();
/// assert_eq!(o.ratio_text().unwrap(), "19/20 (95,00%)");
/// assert_eq!(o.computed().unwrap().to_vietnamese(2), "95,00");
/// assert_eq!(o.stated_is_consistent(), Some(true));
/// assert!(o.validate(builtin("one_stop_departments")).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "A figure reported for one indicator, province (or the whole country) and period."
)]
#[non_exhaustive]
pub struct Observation {
    /// Stable record ID: lowercase letters, digits, `-`, `_` and `.`; see the `id` module.
    pub id: RecordId,
    /// The indicator code.
    pub indicator: RecordId,
    /// The province; absent for a national figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceRef>,
    /// The unit below the province the figure counts for (a department, a former district, a
    /// Đảng bộ khối, a cluster); absent for the province's own figure. A unit's figure is the
    /// unit's: it is never added into the province's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<ReportingUnit>,
    /// The period reported.
    pub period: Period,
    /// Units or cases meeting the condition (for ratios).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<u64>,
    /// All units or cases (for ratios).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<u64>,
    /// The value (for counts, percentages and scores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    /// A percentage as the source stated it, with its qualifier: "trên 95%", "98,66%".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<StatedPercentage>,
    /// The target for this province and period, where it differs from the definition's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Decimal>,
    /// Where the figure was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// A remark: how the figure was counted, caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// The values the source did not state but which were worked out (the province from the
    /// site, the period's year from the publication date); see [`crate::inferred`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<crate::inferred::Inference>,
}

/// A unit below the province that a figure counts for.
///
/// ```
/// use danvan_core::indicator::{ReportingUnit, UnitLevel};
/// let u: ReportingUnit = serde_json::from_str(
///     r#"{"name": "Đảng bộ Khối các cơ quan tỉnh", "level": "party_bloc"}"#).unwrap();
/// assert_eq!(u.level, UnitLevel::PartyBloc);
/// assert_eq!(u.level.name_vi(), "đảng bộ khối");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReportingUnit {
    /// The unit's name as written: "Sở Tư pháp", "huyện Định Hóa (cũ)", "Cụm thi đua số 3".
    pub name: Text,
    /// What kind of unit it is.
    pub level: UnitLevel,
}

impl ReportingUnit {
    /// A unit by name and level.
    pub fn new(name: impl AsRef<str>, level: UnitLevel) -> ReportingUnit {
        ReportingUnit {
            name: Text::new(name),
            level,
        }
    }

    /// The key two figures are compared by: level and folded name.
    pub fn key(&self) -> (UnitLevel, String) {
        (self.level, search_key(&self.name))
    }
}

/// The level of a [`ReportingUnit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// A provincial department or agency (sở, ban, ngành).
    Department,
    /// A district, town or city below the province — gone since 1 July 2025.
    District,
    /// A commune, ward or special zone (xã, phường, đặc khu).
    Commune,
    /// A bloc party committee (Đảng bộ Khối các cơ quan, Khối doanh nghiệp).
    PartyBloc,
    /// An enterprise's party committee.
    Enterprise,
    /// An emulation cluster (cụm thi đua).
    Cluster,
    /// The Fatherland Front or a mass organisation (Mặt trận Tổ quốc, Hội Nông dân, Hội Liên
    /// hiệp Phụ nữ, Đoàn Thanh niên, Hội Cựu chiến binh, Công đoàn).
    MassOrganisation,
    /// Any other unit.
    Other,
}

impl UnitLevel {
    /// The last day units of this level existed, for a level that was abolished: districts
    /// until 30 June 2025 (the two-level local government from 1 July 2025).
    ///
    /// ```
    /// use danvan_core::indicator::UnitLevel;
    /// assert_eq!(UnitLevel::District.ended().unwrap().to_string(), "2025-06-30");
    /// assert_eq!(UnitLevel::Commune.ended(), None);
    /// ```
    pub fn ended(self) -> Option<chrono::NaiveDate> {
        match self {
            Self::District => chrono::NaiveDate::from_ymd_opt(2025, 6, 30),
            _ => None,
        }
    }

    /// Every level, in declaration order.
    pub const ALL: [UnitLevel; 8] = [
        Self::Department,
        Self::District,
        Self::Commune,
        Self::PartyBloc,
        Self::Enterprise,
        Self::Cluster,
        Self::MassOrganisation,
        Self::Other,
    ];

    /// "sở, ngành", "huyện", "xã", "đảng bộ khối", "doanh nghiệp", "cụm thi đua", "mặt trận, đoàn
    /// thể", "đơn vị".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Department => "sở, ngành",
            Self::District => "huyện",
            Self::Commune => "xã",
            Self::PartyBloc => "đảng bộ khối",
            Self::Enterprise => "doanh nghiệp",
            Self::Cluster => "cụm thi đua",
            Self::MassOrganisation => "mặt trận, đoàn thể",
            Self::Other => "đơn vị",
        }
    }

    /// "department", "district", "commune", "party bloc", "enterprise", "emulation cluster",
    /// "Front or mass organisation", "unit".
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Department => "department",
            Self::District => "district",
            Self::Commune => "commune",
            Self::PartyBloc => "party bloc",
            Self::Enterprise => "enterprise",
            Self::Cluster => "emulation cluster",
            Self::MassOrganisation => "Front or mass organisation",
            Self::Other => "unit",
        }
    }
}

/// What identifies one figure: no two observations may share it. The province is as recorded
/// (its slug), the unit by level and folded name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FigureKey {
    /// The indicator code.
    pub indicator: String,
    /// The province's slug; empty for a national figure.
    pub province: String,
    /// The unit's level and folded name; `None` for the province's own figure.
    pub unit: Option<(u8, String)>,
    /// The period ID.
    pub period: String,
}

/// Decimal places used when a ratio becomes a percentage.
pub const PERCENT_PLACES: u8 = 2;

impl Observation {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Observation;

    /// An observation of `indicator` for `period`, with no figure yet; set the province, unit
    /// and figure on the value, or with [`with_ratio`](Self::with_ratio) and
    /// [`with_value`](Self::with_value).
    ///
    /// ```
    /// use danvan_core::indicator::Observation;
    /// use danvan_core::province::ProvinceRef;
    /// let mut o = Observation::new("qn-2023".parse().unwrap(), "complaints_resolved".parse().unwrap(),
    ///     "2023".parse().unwrap()).with_ratio(1272, 1337);
    /// o.province = Some(ProvinceRef::new("Quảng Ninh"));
    /// assert!(o.validate(None).is_empty());
    /// ```
    pub fn new(id: RecordId, indicator: RecordId, period: Period) -> Observation {
        Observation {
            id,
            indicator,
            province: None,
            unit: None,
            period,
            numerator: None,
            denominator: None,
            value: None,
            stated: None,
            target: None,
            source: None,
            note: None,
            inferred: Vec::new(),
        }
    }

    /// The figure as a ratio of units or cases.
    pub fn with_ratio(mut self, numerator: u64, denominator: u64) -> Observation {
        self.numerator = Some(numerator);
        self.denominator = Some(denominator);
        self
    }

    /// The figure as a value (counts, percentages, scores).
    pub fn with_value(mut self, value: Decimal) -> Observation {
        self.value = Some(value);
        self
    }

    /// The key that makes this figure unique: one figure per indicator, province, unit and
    /// period. A second observation with the same key is refused, never added up.
    pub fn figure_key(&self) -> FigureKey {
        FigureKey {
            indicator: self.indicator.as_str().to_string(),
            province: self
                .province
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            unit: self.unit.as_ref().map(|u| {
                let (level, name) = u.key();
                (level as u8, name)
            }),
            period: self.period.id(),
        }
    }

    /// Feeds the parts of [`figure_key`](Self::figure_key) to `state` without building the
    /// key: equal keys hash equally. For indexes that keep a hash per observation.
    pub fn hash_figure_key<H: std::hash::Hasher>(&self, state: &mut H) {
        use std::hash::Hash;
        self.indicator.as_str().hash(state);
        self.province
            .as_ref()
            .map_or("", |p| p.as_str())
            .hash(state);
        match &self.unit {
            None => 0u8.hash(state),
            Some(u) => {
                (1 + u.level as u8).hash(state);
                search_key(&u.name).hash(state);
            }
        }
        self.period.hash(state);
    }

    /// Whether the figure is the province's (or the country's) own, not a unit's.
    pub fn is_own_figure(&self) -> bool {
        self.unit.is_none()
    }

    /// The figure as offices write it: `1.272/1.337 (95,14%)`, `98,66`, or the
    /// percentage as stated (`đạt trên 95%`).
    pub fn figure_vietnamese(&self) -> String {
        use crate::number::format_count;
        let mut parts = Vec::new();
        if let (Some(n), Some(d)) = (self.numerator, self.denominator) {
            let share = Decimal::percentage(n, d, 2)
                .map(|p| {
                    let places = if p == p.round(0) { 0 } else { 2 };
                    format!(" ({}%)", p.to_vietnamese(places))
                })
                .unwrap_or_default();
            parts.push(format!("{}/{}{share}", format_count(n), format_count(d)));
        } else if let Some(n) = self.numerator {
            parts.push(format_count(n));
        }
        if let Some(v) = self.value {
            parts.push(v.to_vietnamese(v.scale()));
        }
        if let Some(s) = &self.stated {
            parts.push(format!("“{s}”"));
        }
        if let Some(t) = self.target {
            parts.push(format!("mục tiêu {}", t.to_vietnamese(t.scale())));
        }
        if parts.is_empty() {
            "—".to_string()
        } else {
            parts.join(", ")
        }
    }

    /// The figure to compare and chart: the computed percentage (2 places) for a ratio, else
    /// the value. `None` when the data needed is missing.
    pub fn computed(&self) -> Option<Decimal> {
        match (self.numerator, self.denominator) {
            (Some(n), Some(d)) => Decimal::percentage(n, d, PERCENT_PLACES),
            _ => self.value,
        }
    }

    /// The ratio as Vietnamese text with its percentage: "19/20 (95,00%)".
    pub fn ratio_text(&self) -> Option<String> {
        let (n, d) = (self.numerator?, self.denominator?);
        let pct = Decimal::percentage(n, d, PERCENT_PLACES)?;
        Some(format!(
            "{}/{} ({})",
            crate::number::format_count(n),
            crate::number::format_count(d),
            format_percent(pct, PERCENT_PLACES)
        ))
    }

    /// Whether the stated percentage agrees with the ratio; `None` when there is nothing to
    /// compare.
    pub fn stated_is_consistent(&self) -> Option<bool> {
        let stated = self.stated.as_ref()?;
        let (n, d) = (self.numerator?, self.denominator?);
        if d == 0 {
            return None;
        }
        Some(stated.agrees_with_ratio(n, d))
    }

    /// Checks the observation against its indicator's definition: `definition` when the caller
    /// has one (a dataset's own), else the built-in one of that code. Only an indicator that is
    /// neither is checked without its measure (the dataset reports the unknown code).
    pub fn validate(&self, definition: Option<&IndicatorDefinition>) -> Vec<Problem> {
        let definition = definition.or_else(|| builtin(self.indicator.as_str()));
        let mut c = Checker::new(Self::KIND, &self.id);
        match (self.numerator, self.denominator) {
            (Some(n), Some(d)) => {
                if d == 0 {
                    c.error("out-of-range", "denominator", "must be at least 1");
                } else if n > d {
                    c.error(
                        "out-of-range",
                        "numerator",
                        format!("numerator {n} is greater than the denominator {d}"),
                    );
                }
            }
            (Some(_), None) => c.error(
                "incomplete",
                "denominator",
                "a numerator needs a denominator",
            ),
            (None, Some(_)) => {
                c.error("incomplete", "numerator", "a denominator needs a numerator")
            }
            (None, None) => {}
        }
        if let Some(def) = definition {
            self.check_measure(&mut c, def);
        }
        if let Some(stated) = &self.stated {
            self.check_stated(&mut c, stated);
        }
        if let Some(s) = &self.source {
            s.check(&mut c, "source");
        }
        if let Some(note) = &self.note {
            c.not_blank("note", note);
        }
        if let Some(unit) = &self.unit {
            c.not_blank("unit.name", &unit.name);
            if self.province.is_none() {
                c.error(
                    "wrong-province",
                    "unit",
                    "a unit's figure names the province the unit belongs to",
                );
            }
        }
        if let Some(province) = &self.province {
            let (start, end) = self.period.date_range(Window::Calendar);
            c.province_during("province", province.as_str(), start, end);
        }
        crate::inferred::check(
            &mut c,
            &self.inferred,
            &[
                ("province", false, self.province.is_some()),
                ("unit", false, self.unit.is_some()),
                ("period", false, true),
                ("target", false, self.target.is_some()),
            ],
        );
        c.finish()
    }

    /// The checks that need the indicator's definition: the fields its measure calls for.
    fn check_measure(&self, c: &mut Checker<'_>, def: &IndicatorDefinition) {
        let has_ratio = self.numerator.is_some() && self.denominator.is_some();
        match def.measure {
            Measure::Ratio => {
                if !has_ratio
                    && self.numerator.is_none()
                    && self.denominator.is_none()
                    && self.stated.is_none()
                {
                    c.error("wrong-measure", 
                        "numerator",
                        format!(
                            "{} is a ratio: give numerator and denominator, or the percentage as stated (\"đạt 92%\")",
                            def.id
                        ),
                    );
                }
                if self.value.is_some() {
                    c.error(
                        "wrong-measure",
                        "value",
                        format!(
                            "{} is a ratio: give numerator and denominator, not value",
                            def.id
                        ),
                    );
                }
            }
            Measure::Percent => {
                if self.value.is_none() && !has_ratio {
                    c.error(
                        "required",
                        "value",
                        format!("{} needs a value (or a ratio)", def.id),
                    );
                }
            }
            Measure::Count | Measure::Score => {
                if self.value.is_none() {
                    c.error("required", "value", format!("{} needs a value", def.id));
                }
                if has_ratio {
                    c.error(
                        "wrong-measure",
                        "numerator",
                        format!(
                            "{} is a {}: give value, not a ratio",
                            def.id,
                            measure_name(def.measure)
                        ),
                    );
                }
            }
        }
        if let Some(v) = self.value {
            check_value(c, "value", v, def.measure);
        }
        if let Some(t) = self.target {
            check_value(c, "target", t, def.measure);
        }
    }

    /// The stated percentage: within 0–100 and agreeing with the ratio or value beside it.
    fn check_stated(&self, c: &mut Checker<'_>, stated: &StatedPercentage) {
        if stated.value() > Decimal::HUNDRED || stated.value().is_negative() {
            c.error(
                "out-of-range",
                "stated",
                format!("stated percentage {:?} is outside 0–100", stated.as_str()),
            );
        } else if let (Some(n), Some(d)) = (self.numerator, self.denominator) {
            if d > 0 && n <= d && !stated.agrees_with_ratio(n, d) {
                let pct = Decimal::percentage(n, d, PERCENT_PLACES).unwrap_or(Decimal::ZERO);
                c.warn(
                    "stated-mismatch",
                    "stated",
                    format!(
                        "stated {:?} does not match the computed {} ({n}/{d})",
                        stated.as_str(),
                        format_percent(pct, PERCENT_PLACES)
                    ),
                );
            }
        } else if let Some(v) = self.value
            && !stated.agrees_with(v.as_ratio().0, v.as_ratio().1)
        {
            c.warn(
                "stated-mismatch",
                "stated",
                format!("stated {:?} does not match the value {v}", stated.as_str()),
            );
        }
    }

    /// The province meant, read at the period (see [`ProvinceRef::during`]).
    pub fn province_at_period(&self) -> Option<&'static crate::province::Province> {
        let (start, end) = self.period.date_range(Window::Calendar);
        self.province.as_ref()?.during(start, end).ok()
    }

    /// The last day of the observed period (calendar).
    pub fn period_end(&self) -> NaiveDate {
        self.period.date_range(Window::Calendar).1
    }
}

fn measure_name(m: Measure) -> &'static str {
    match m {
        Measure::Count => "count",
        Measure::Ratio => "ratio",
        Measure::Percent => "percentage",
        Measure::Score => "score",
    }
}

/// How a stated percentage relates to the true figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// No qualifier, or "đạt": the figure rounded to the stated places.
    Exact,
    /// "trên", "hơn", "vượt", "over", "more than": strictly above.
    Above,
    /// "từ … trở lên", "ít nhất", "tối thiểu", "at least": at or above.
    AtLeast,
    /// "dưới", "under", "below": strictly below.
    Below,
    /// "gần", "nearly": at most the figure, and within 5 points of it.
    Nearly,
    /// "khoảng", "xấp xỉ", "about", "approximately": within 1 point.
    About,
}

/// A percentage exactly as a source wrote it, with its qualifier: `"trên 95%"`.
///
/// ```
/// use danvan_core::indicator::{StatedPercentage, Qualifier};
/// let s = StatedPercentage::parse("trên 95%").unwrap();
/// assert_eq!(s.qualifier(), Qualifier::Above);
/// assert!(s.agrees_with_ratio(1272, 1337)); // 95,14%
/// assert!(!StatedPercentage::parse("98,66%").unwrap().agrees_with_ratio(1272, 1337));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatedPercentage {
    written: String,
    qualifier: Qualifier,
    value: Decimal,
}

/// Why a stated percentage could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatedPercentageError {
    /// No percentage in the text.
    #[error(
        "{0:?} has no percentage: expected a number followed by %, e.g. \"98,66%\", \"trên 95%\" or \"đạt 93% tổng số vụ việc\""
    )]
    NoNumber(String),
    /// The number is malformed.
    #[error("{text:?}: {source}")]
    BadNumber {
        /// The whole text.
        text: String,
        /// The number error.
        source: crate::number::NumberError,
    },
}

/// The former name of [`StatedPercentageError`].
#[deprecated(
    since = "0.2.0",
    note = "renamed `StatedPercentageError`, after its type"
)]
pub type StatedError = StatedPercentageError;

impl StatedPercentage {
    /// Finds the percentage in a text as sources write it — "98,66%", "trên 95%", "đạt 93%
    /// tổng số vụ việc", "đạt trên 96%…", "trên 95 %" — and the qualifier just before it
    /// (Vietnamese or English, with or without diacritics; "từ 90% trở lên" wraps the number).
    /// The first number followed by `%` is the percentage; a text that is only a number (with
    /// an optional qualifier) is read as one too. The text is kept exactly as written.
    pub fn parse(text: &str) -> Result<StatedPercentage, StatedPercentageError> {
        let written = crate::text::nfc(text.trim()).into_owned();
        let numbers = number_spans(&written);
        let after = |end: usize| written[end..].trim_start().starts_with('%');
        let (start, end) = match numbers.iter().find(|(_, e)| after(*e)) {
            Some(&span) => span,
            // No '%': only a text that ends in its one number ("95", "trên 95") is a percentage.
            None => match numbers.as_slice() {
                [(s, e)]
                    if written[*e..]
                        .trim_matches(|c: char| c == '.' || c.is_whitespace())
                        .is_empty() =>
                {
                    (*s, *e)
                }
                _ => return Err(StatedPercentageError::NoNumber(written.clone())),
            },
        };
        // A trailing separator belongs to the sentence, not the number ("đạt 100.").
        let number = written[start..end].trim_end_matches(['.', ',']);
        let value = Decimal::parse(number, Convention::Auto).map_err(|source| {
            StatedPercentageError::BadNumber {
                text: written.clone(),
                source,
            }
        })?;
        let before = search_key(&written[..start]);
        let rest = search_key(written[end..].trim_start().trim_start_matches('%'));
        let or_more = rest.starts_with("tro len");
        let qualifier = qualifier_before(before.trim_end(), or_more);
        Ok(StatedPercentage {
            written,
            qualifier,
            value,
        })
    }

    /// The text as written (NFC).
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// The qualifier.
    pub fn qualifier(&self) -> Qualifier {
        self.qualifier
    }

    /// The stated number.
    pub fn value(&self) -> Decimal {
        self.value
    }

    /// Whether the statement holds for `numerator / denominator` (exact arithmetic).
    pub fn agrees_with_ratio(&self, numerator: u64, denominator: u64) -> bool {
        self.agrees_with(i128::from(numerator) * 100, i128::from(denominator))
    }

    /// Whether the statement holds for the percentage `num / den` (exact arithmetic). `false`
    /// when `den` is zero or the figures are too large to compare exactly (past 10^28): no
    /// statement is taken as confirmed by a comparison that could not be made.
    pub fn agrees_with(&self, num: i128, den: i128) -> bool {
        self.compare(num, den).unwrap_or(false)
    }

    fn compare(&self, num: i128, den: i128) -> Option<bool> {
        if den == 0 {
            return None;
        }
        let (sn, sd) = self.value.as_ratio();
        // Compare c = num/den with s = sn/sd by cross-multiplying (both denominators > 0).
        let (num, den) = if den < 0 {
            (num.checked_neg()?, den.checked_neg()?)
        } else {
            (num, den)
        };
        let (left, right) = (num.checked_mul(sd)?, sn.checked_mul(den)?);
        let gap = left.checked_sub(right)?.checked_abs()?;
        let within = |points: i128| -> Option<bool> {
            Some(gap <= points.checked_mul(sd)?.checked_mul(den)?)
        };
        Some(match self.qualifier {
            Qualifier::Exact => Decimal::from_ratio(num, den, self.value.scale())? == self.value,
            Qualifier::Above => left > right,
            Qualifier::AtLeast => left >= right,
            Qualifier::Below => left < right,
            Qualifier::Nearly => left <= right && within(5)?,
            Qualifier::About => within(1)?,
        })
    }
}

/// The byte spans of the numbers in `text`: digits with `.` or `,` between them.
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_digit_end = 0;
    for (i, c) in text.char_indices() {
        if c.is_ascii_digit() {
            start.get_or_insert(i);
            last_digit_end = i + 1;
        } else if matches!(c, '.' | ',') && start.is_some() {
            continue;
        } else if let Some(s) = start.take() {
            out.push((s, last_digit_end));
        }
    }
    if let Some(s) = start {
        out.push((s, last_digit_end));
    }
    out
}

/// The qualifier whose phrase ends `before` (folded) at a word boundary; the longest phrase
/// wins, so "chưa đạt" is not read as "đạt". No known phrase means an exact figure.
fn qualifier_before(before: &str, or_more: bool) -> Qualifier {
    use Qualifier::{About, Above, AtLeast, Below, Exact, Nearly};
    const PHRASES: &[(&str, Qualifier)] = &[
        ("dat tren", Above),
        ("tren", Above),
        ("hon", Above),
        ("vuot", Above),
        ("cao hon", Above),
        ("over", Above),
        ("more than", Above),
        ("above", Above),
        ("it nhat", AtLeast),
        ("toi thieu", AtLeast),
        ("at least", AtLeast),
        ("duoi", Below),
        ("thap hon", Below),
        ("chua dat", Below),
        ("under", Below),
        ("below", Below),
        ("less than", Below),
        ("gan dat", Nearly),
        ("gan", Nearly),
        ("nearly", Nearly),
        ("almost", Nearly),
        ("khoang", About),
        ("xap xi", About),
        ("uoc dat", About),
        ("uoc", About),
        ("about", About),
        ("approximately", About),
        ("around", About),
    ];
    let found = PHRASES
        .iter()
        .filter(|(p, _)| {
            before.ends_with(p)
                && before[..before.len() - p.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .max_by_key(|(p, _)| p.len())
        .map(|(_, q)| *q);
    match found {
        Some(q) => q,
        None if or_more => AtLeast,
        None => Exact,
    }
}

impl fmt::Display for StatedPercentage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

impl Serialize for StatedPercentage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.written)
    }
}

impl<'de> Deserialize<'de> for StatedPercentage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        StatedPercentage::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for StatedPercentage {
    fn schema_name() -> Cow<'static, str> {
        "StatedPercentage".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A percentage as the source wrote it, with an optional qualifier: \"98,66%\", \"trên 95%\", \"đạt 100%\".",
            "examples": ["98,66%", "trên 95%", "đạt 100%"]
        })
    }
}

/// The built-in indicator catalogue: what provinces commonly report. Datasets may define more.
///
/// ```
/// use danvan_core::indicator::{catalogue, Direction, Measure};
/// let sipas = catalogue().iter().find(|d| d.id.as_str() == "sipas").unwrap();
/// assert_eq!((sipas.measure, sipas.direction), (Measure::Percent, Direction::HigherIsBetter));
/// assert!(catalogue().iter().any(|d| d.direction == Direction::LowerIsBetter));
/// ```
pub fn catalogue() -> &'static [IndicatorDefinition] {
    static CATALOGUE: LazyLock<Vec<IndicatorDefinition>> = LazyLock::new(build_catalogue);
    &CATALOGUE
}

/// The built-in definitions whose code, names or description hold every word of `query` as
/// whole syllables (diacritics, case and tone placement aside), in catalogue order.
///
/// ```
/// use danvan_core::indicator::search_catalogue;
/// let found: Vec<&str> = search_catalogue("đơn thư giải quyết").iter().map(|d| d.id.as_str()).collect();
/// assert_eq!(found, ["complaints_resolved"]);
/// assert_eq!(search_catalogue("SIPAS")[0].id.as_str(), "sipas");
/// ```
pub fn search_catalogue(query: &str) -> Vec<&'static IndicatorDefinition> {
    catalogue()
        .iter()
        .filter(|d| {
            let text = format!(
                "{} {} {} {}",
                d.id.as_str().replace('_', " "),
                d.name_vi,
                d.name_en,
                d.description.as_deref().unwrap_or("")
            );
            crate::text::matches_words(&text, query)
        })
        .collect()
}

/// The built-in definition with `id`, if any.
pub fn builtin(id: &str) -> Option<&'static IndicatorDefinition> {
    catalogue().iter().find(|d| d.id.as_str() == id)
}

/// One built-in indicator: code, Vietnamese name, English name, unit, measure, direction, how
/// it adds up, description.
type CatalogueRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Measure,
    Direction,
    Aggregation,
    &'static str,
);

/// The built-in indicators (see [`catalogue`]): a literal table, one row per indicator.
const CATALOGUE_ROWS: &[CatalogueRow] = {
    use Aggregation::{Listed, Ratio as Parts, Sum};
    use Direction::{HigherIsBetter as Up, LowerIsBetter as Down, Neutral};
    use Measure::{Count, Percent, Ratio, Score};
    &[
        (
            "one_stop_departments",
            "Sở, ban, ngành thực hiện cơ chế một cửa, một cửa liên thông",
            "Departments running the one-stop mechanism",
            "sở, ngành",
            Ratio,
            Up,
            Parts,
            "Provincial departments and agencies that run the one-stop / inter-agency one-stop mechanism, of all departments.",
        ),
        (
            "one_stop_districts",
            "Huyện, thị xã, thành phố thực hiện cơ chế một cửa, một cửa liên thông",
            "Districts running the one-stop mechanism",
            "huyện",
            Ratio,
            Up,
            Parts,
            "District-level units running the one-stop mechanism. The district level ended on 1 July 2025; report only for earlier periods.",
        ),
        (
            "one_stop_communes",
            "Xã, phường, thị trấn thực hiện cơ chế một cửa, một cửa liên thông",
            "Communes running the one-stop mechanism",
            "xã",
            Ratio,
            Up,
            Parts,
            "Commune-level units running the one-stop mechanism, of all communes.",
        ),
        (
            "complaints_resolved",
            "Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh được giải quyết",
            "Complaints and petitions resolved",
            "đơn",
            Ratio,
            Up,
            Parts,
            "Complaints, denunciations, petitions and feedback resolved, of those received in the period.",
        ),
        (
            "complaints_received",
            "Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận",
            "Complaints and petitions received",
            "đơn",
            Count,
            Neutral,
            Sum,
            "Complaints, denunciations, petitions and feedback received in the period.",
        ),
        (
            "dossiers_on_time",
            "Hồ sơ thủ tục hành chính được giải quyết đúng và trước hạn",
            "Administrative dossiers resolved on time",
            "hồ sơ",
            Ratio,
            Up,
            Parts,
            "Administrative-procedure dossiers resolved on or before the deadline, of those resolved.",
        ),
        (
            "dossiers_resolved_rate",
            "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng quy định",
            "Share of dossiers resolved correctly",
            "%",
            Percent,
            Up,
            Listed,
            "Percentage of dossiers resolved in accordance with regulations, as reported by the public administration service centre.",
        ),
        (
            "dialogues_held",
            "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân",
            "Dialogues between leaders and citizens",
            "cuộc",
            Count,
            Up,
            Sum,
            "Dialogues held between heads of party committees or authorities and citizens (Decision 23-QĐ/TW).",
        ),
        (
            "models_registered",
            "Mô hình \"Dân vận khéo\" đăng ký xây dựng",
            "\"Dân vận khéo\" models registered",
            "mô hình",
            Count,
            Up,
            Sum,
            "Collective \"Dân vận khéo\" models registered in the period.",
        ),
        (
            "models_effective",
            "Mô hình \"Dân vận khéo\" hoạt động hiệu quả",
            "Effective \"Dân vận khéo\" models",
            "mô hình",
            Count,
            Up,
            Sum,
            "Models assessed as effective.",
        ),
        (
            "models_recognised",
            "Mô hình \"Dân vận khéo\" được công nhận",
            "\"Dân vận khéo\" models recognised",
            "mô hình",
            Count,
            Up,
            Sum,
            "Models officially recognised in the period, at any level.",
        ),
        (
            "exemplars_recognised",
            "Điển hình \"Dân vận khéo\" được công nhận",
            "\"Dân vận khéo\" exemplars recognised",
            "điển hình",
            Count,
            Up,
            Sum,
            "Individual exemplars officially recognised in the period.",
        ),
        (
            "workshop_papers_presented",
            "Tham luận được trình bày tại hội thảo",
            "Workshop papers presented",
            "tham luận",
            Ratio,
            Up,
            Parts,
            "Papers presented at the workshop, of papers submitted.",
        ),
        (
            "grassroots_democracy_units",
            "Cơ quan, đơn vị thực hiện tốt Quy chế dân chủ ở cơ sở",
            "Units implementing grassroots democracy well",
            "đơn vị",
            Ratio,
            Up,
            Parts,
            "Agencies and units assessed as implementing grassroots democracy regulations well.",
        ),
        (
            "hotspots",
            "Vụ việc phức tạp, điểm nóng phát sinh",
            "Complex cases and hotspots arising",
            "vụ việc",
            Count,
            Down,
            Sum,
            "Complex cases and hotspots of public order or mass complaints arising in the period.",
        ),
        (
            "directives_issued",
            "Văn bản chỉ đạo mới ban hành",
            "New directives issued",
            "văn bản",
            Count,
            Neutral,
            Sum,
            "New directives (resolutions, instructions, conclusions, plans) the board reports issuing in the period. A figure of 0 is its nil return: only then does a report say that no new directive was issued.",
        ),
        (
            "shortcomings_noted",
            "Hạn chế được nêu trong kỳ",
            "Shortcomings noted",
            "hạn chế",
            Count,
            Neutral,
            Sum,
            "Shortcomings the board names for the period. A figure of 0 is its nil return: only then does a report say the period showed no shortcoming.",
        ),
        (
            "par_index",
            "Chỉ số cải cách hành chính (PAR INDEX)",
            "Administrative reform index (PAR INDEX)",
            "%",
            Percent,
            Up,
            Listed,
            "Provincial administrative reform index published by the Ministry of Home Affairs.",
        ),
        (
            "sipas",
            "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
            "Satisfaction with public administrative services (SIPAS)",
            "%",
            Percent,
            Up,
            Listed,
            "Citizen and organisation satisfaction with public administrative services, Ministry of Home Affairs.",
        ),
        (
            "papi",
            "Chỉ số Hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)",
            "Provincial governance and public administration performance index (PAPI)",
            "điểm",
            Score,
            Up,
            Listed,
            "The CECODES/UNDP index: the sum of 8 dimension scores.",
        ),
    ]
};

fn build_catalogue() -> Vec<IndicatorDefinition> {
    CATALOGUE_ROWS
        .iter()
        .map(
            |&(id, vi, en, unit, measure, direction, aggregation, description)| {
                IndicatorDefinition {
            #[allow(clippy::unwrap_used)] // literal codes above, checked by a test
            id: RecordId::new(id).unwrap(),
            name_vi: Text::new(vi),
            name_en: Text::new(en),
            unit: Text::new(unit),
            measure,
            direction,
            aggregation: Some(aggregation),
            baseline: None,
            target: None,
            description: Some(Text::new(description)),
            level: match id {
                "one_stop_departments" => Some(UnitLevel::Department),
                "one_stop_districts" => Some(UnitLevel::District),
                "one_stop_communes" | "communes_dan_van_kheo_standard" => Some(UnitLevel::Commune),
                _ => None,
            },
        }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_adds_up_as_its_measure_allows() {
        for d in catalogue() {
            assert!(d.aggregation().fits(d.measure), "{}", d.id);
            assert!(d.aggregation.is_some(), "{} says how it adds up", d.id);
        }
        // A dataset's own definition may not sum an index.
        let mut d = IndicatorDefinition::new(
            RecordId::new("own_index").unwrap(),
            "Chỉ số riêng",
            "Own index",
            "điểm",
            Measure::Score,
            Direction::HigherIsBetter,
        );
        assert_eq!(d.aggregation(), Aggregation::Listed);
        d.aggregation = Some(Aggregation::Sum);
        let problems = d.validate();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "aggregation");
    }

    #[test]
    fn stated_table() {
        // (text, numerator, denominator, agrees)
        let cases = [
            ("trên 95%", 1272, 1337, true),
            ("95,14%", 1272, 1337, true),
            ("95,1%", 1272, 1337, true),
            ("95%", 1272, 1337, true),
            ("95,2%", 1272, 1337, false),
            ("đạt 100%", 180, 180, true),
            ("đạt 100%", 179, 180, false),
            ("hơn 90%", 9, 10, false),
            ("từ 90% trở lên", 9, 10, true),
            ("từ 90% trở lên", 8, 10, false),
            ("ít nhất 90%", 9, 10, true),
            ("gần 100%", 19, 20, true),
            ("gần 100%", 20, 20, true),
            ("gần 100%", 17, 20, false),
            ("khoảng 50%", 51, 100, true),
            ("khoảng 50%", 52, 100, false),
            ("dưới 10%", 1, 20, true),
            ("over 95%", 1272, 1337, true),
            ("98.66%", 9866, 10000, true),
            // As sources phrase them: the percentage anywhere, the qualifier just before it.
            ("đạt 93% tổng số vụ việc", 93, 100, true),
            ("đạt trên 96%…", 97, 100, true),
            ("đạt trên 96%…", 96, 100, false),
            ("trên 95 %", 1272, 1337, true),
            (
                "1.272/1.337 đơn thư đã được giải quyết, đạt trên 95%",
                1272,
                1337,
                true,
            ),
            ("chưa đạt 50%", 49, 100, true),
            ("chưa đạt 50%", 50, 100, false),
            ("chắc chắn 95%", 95, 100, true),
            ("Tỷ lệ hài lòng đạt 92%.", 92, 100, true),
        ];
        for (text, n, d, want) in cases {
            let s = StatedPercentage::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(s.agrees_with_ratio(n, d), want, "{text} vs {n}/{d}");
        }
    }

    #[test]
    fn stated_errors() {
        assert!(matches!(
            StatedPercentage::parse("không rõ"),
            Err(StatedPercentageError::NoNumber(_))
        ));
        for text in [
            "1.272/1.337 đơn thư",
            "đã giải quyết xong",
            "trong năm 2024 đạt kết quả tốt",
        ] {
            let e = StatedPercentage::parse(text).unwrap_err();
            assert!(e.to_string().contains("has no percentage"), "{text}: {e}");
        }
    }

    #[test]
    fn catalogue_is_valid() {
        let ids: Vec<&str> = catalogue().iter().map(|d| d.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "duplicate codes");
        for d in catalogue() {
            assert!(d.validate().is_empty(), "{}", d.id);
        }
        assert_eq!(builtin("papi").map(|d| d.measure), Some(Measure::Score));
    }
}
