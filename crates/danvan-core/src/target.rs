//! Targets (chỉ tiêu) a board sets: the value an indicator should reach in a province, or
//! nationwide, over a period — as a congress resolution or a year's work programme sets them
//! ("đến năm 2025, 100% xã, phường, thị trấn tổ chức đối thoại").
//!
//! A figure is judged against the target that applies to it ([`applicable`]): the one its own
//! record states, else the board's target for its province and a period holding its period,
//! else the board's nationwide one, else the indicator definition's. A target never invents a
//! figure: without one, a province's line stays "chưa có số liệu" whatever its target.

use serde::{Deserialize, Serialize};

use crate::docnum::DocumentNumber;
use crate::id::RecordId;
use crate::indicator::IndicatorDefinition;
use crate::number::Decimal;
use crate::period::Period;
use crate::province::ProvinceRef;
use crate::text::Text;
use crate::validate::{Checker, Problem, RecordKind};

/// The value an indicator should reach over a period, in one province or nationwide.
///
/// ```
/// use danvan_core::target::Target;
/// let t: Target = serde_json::from_str(r#"{
///     "id": "tn-2025-dialogues-held", "indicator": "dialogues_held",
///     "province": "thai-nguyen", "period": "2025", "value": 150,
///     "set_by": "Ban Thường vụ Tỉnh ủy", "document": "12-CTr/TU"
/// }"#).unwrap();
/// assert!(t.validate(None).is_empty());
/// assert_eq!(t.period.to_vietnamese(), "năm 2025");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "A target (chỉ tiêu) a board sets: the value an indicator should reach over a period, in one province or nationwide."
)]
#[non_exhaustive]
pub struct Target {
    /// Stable record ID: lowercase letters, digits, `-`, `_` and `.`; see the `id` module.
    pub id: RecordId,
    /// The indicator code.
    pub indicator: RecordId,
    /// The province; absent for a nationwide target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceRef>,
    /// The period it covers: a year, a half-year, or a term ("2021-2025"); it applies to every
    /// figure of a period within it.
    pub period: Period,
    /// The value aimed for: a count, or a percentage for ratios and percentages.
    pub value: Decimal,
    /// Who set it: "Ban Thường vụ Tỉnh ủy", "Ban Dân vận Tỉnh ủy".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_by: Option<Text>,
    /// The document setting it: "12-CTr/TU".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentNumber>,
    /// A remark: how it is counted, what it replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

impl Target {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Target;

    /// A target with its required fields; set who set it and the document on the value.
    pub fn new(
        id: RecordId,
        indicator: RecordId,
        province: Option<ProvinceRef>,
        period: Period,
        value: Decimal,
    ) -> Target {
        Target {
            id,
            indicator,
            province,
            period,
            value,
            set_by: None,
            document: None,
            note: None,
        }
    }

    /// Checks the target on its own: its value in the range of the indicator's measure (by
    /// `indicator`, its definition, when the caller has it; a built-in definition otherwise),
    /// the province as it was during the period.
    pub fn validate(&self, indicator: Option<&IndicatorDefinition>) -> Vec<Problem> {
        let mut c = Checker::new(Self::KIND, &self.id);
        match indicator.or_else(|| crate::indicator::builtin(self.indicator.as_str())) {
            Some(def) => crate::indicator::check_value(&mut c, "value", self.value, def.measure),
            None if self.value < Decimal::ZERO => c.error(
                "negative",
                "value",
                format!(
                    "target {} is negative",
                    self.value.to_vietnamese(self.value.scale())
                ),
            ),
            None => {}
        }
        if let Some(p) = &self.province {
            let (start, end) = self.period.date_range(crate::period::Window::Calendar);
            c.province_during("province", p.as_str(), start, end);
        }
        c.finish()
    }

    /// Whether this target applies to a figure of `indicator`, in `province` (absent:
    /// nationwide), for `period`.
    pub fn covers(&self, indicator: &str, province: Option<&ProvinceRef>, period: &Period) -> bool {
        self.indicator.as_str() == indicator
            && (self.province.is_none() || self.province.as_ref() == province)
            && self.period.contains(period)
    }
}

/// The board's target for a figure of `indicator` in `province` over `period`, from `targets`:
/// the province's own before a nationwide one, and of those the one of the shortest period (a
/// year's target before the term's). `None` when no target covers it.
pub fn applicable<'a>(
    targets: impl IntoIterator<Item = &'a Target>,
    indicator: &str,
    province: Option<&ProvinceRef>,
    period: &Period,
) -> Option<&'a Target> {
    targets
        .into_iter()
        .filter(|t| t.covers(indicator, province, period))
        .min_by_key(|t| {
            let (start, end) = t.period.date_range(crate::period::Window::Calendar);
            (t.province.is_none(), (end - start).num_days(), t.id.clone())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: &str, province: Option<&str>, period: &str, value: i64) -> Target {
        Target::new(
            id.parse().unwrap(),
            "dialogues_held".parse().unwrap(),
            province.map(ProvinceRef::new),
            Period::parse_id(period).unwrap(),
            value.to_string().parse().unwrap(),
        )
    }

    #[test]
    fn the_provinces_own_target_of_the_shortest_period_applies() {
        let all = [
            target("tw-term", None, "2021-2025", 100),
            target("tn-term", Some("thai-nguyen"), "2021-2025", 120),
            target("tn-2025", Some("thai-nguyen"), "2025", 150),
        ];
        let tn = ProvinceRef::new("thai-nguyen");
        let lc = ProvinceRef::new("lao-cai");
        let half = Period::parse_id("2025S1").unwrap();
        let pick = |p: Option<&ProvinceRef>, period: &Period| {
            applicable(&all, "dialogues_held", p, period).map(|t| t.id.as_str().to_string())
        };
        assert_eq!(pick(Some(&tn), &half).as_deref(), Some("tn-2025"));
        assert_eq!(
            pick(Some(&tn), &Period::parse_id("2024").unwrap()).as_deref(),
            Some("tn-term")
        );
        assert_eq!(pick(Some(&lc), &half).as_deref(), Some("tw-term"));
        assert_eq!(pick(None, &half).as_deref(), Some("tw-term"));
        assert_eq!(pick(Some(&tn), &Period::parse_id("2026").unwrap()), None);
        assert!(applicable(&all, "complaints_resolved", Some(&tn), &half).is_none());
    }

    #[test]
    fn a_percentage_above_100_or_a_negative_target_is_refused() {
        let mut t = target("x", Some("thai-nguyen"), "2025", -1);
        assert_eq!(t.validate(None)[0].code, "not-a-count");
        t.indicator = "board_defined".parse().unwrap();
        assert_eq!(t.validate(None)[0].code, "negative");
        t.indicator = "complaints_resolved".parse().unwrap();
        t.value = "120".parse().unwrap();
        assert_eq!(t.validate(None)[0].code, "out-of-range");
    }
}
