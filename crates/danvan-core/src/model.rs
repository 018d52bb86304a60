//! "Dân vận khéo" models: collective models of good practice (mô hình) and individual
//! exemplars (điển hình), by field, with their recognition.
//!
//! Recognition levels differ between provinces and are not confirmed nationally, so a level is
//! free text (data), not an enum; [`LEVELS_SEEN`] lists the usual ones for suggestions.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::docnum::DocumentNumber;
use crate::id::RecordId;
use crate::period::YEAR_RANGE;
use crate::province::ProvinceRef;
use crate::text::Text;
use crate::validate::{Checker, Problem, RecordKind};

/// Recognition levels seen in provincial reports, for suggestions only: any level is accepted.
pub const LEVELS_SEEN: &[&str] = &[
    "cấp xã",
    "cấp huyện",
    "cấp tỉnh",
    "cấp bộ, ngành",
    "toàn quốc",
];

/// The year the movement began, before which a start year is suspicious.
pub const MOVEMENT_START_YEAR: i32 = 2009;

/// A "Dân vận khéo" model or exemplar.
///
/// ```
/// use danvan_core::model::{Model, ModelField};
/// let m: Model = serde_json::from_str(r#"{
///     "id": "bk-2020-hien-dat", "name": "Hiến đất làm đường giao thông nông thôn",
///     "province": "bac-kan", "owning_unit": "Mặt trận Tổ quốc xã Cao Kỳ",
///     "field": "economy", "start_year": 2020, "status": "effective",
///     "recognition": {"date": "2022-08-30", "level": "cấp tỉnh"}
/// }"#).unwrap();
/// assert_eq!(m.field.unwrap().name_vi(), "kinh tế");
/// assert!(m.is_recognised());
/// assert!(m.validate().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "A \"Dân vận khéo\" model (mô hình) or individual exemplar (điển hình).")]
#[non_exhaustive]
pub struct Model {
    /// Stable record ID: lowercase letters, digits, `-`, `_` and `.`; see the `id` module.
    pub id: RecordId,
    /// The model's name: "Dân vận khéo trong xây dựng nông thôn mới".
    pub name: Text,
    /// The province it belongs to (read at its start year).
    pub province: ProvinceRef,
    /// The unit that built it: "Hội Nông dân xã Phúc Xuân"; absent when the source does not
    /// say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owning_unit: Option<Text>,
    /// Its field; absent when the source does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<ModelField>,
    /// Collective model or individual exemplar.
    #[serde(default)]
    pub kind: ModelKind,
    /// The year it was started; absent when the source does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<i32>,
    /// Where it stands.
    #[serde(default)]
    pub status: ModelStatus,
    /// Official recognition, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognition: Option<Recognition>,
    /// What it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The values the source did not state but which were worked out (the province from the
    /// site, a start year from the clerk's knowledge); see [`crate::inferred`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<crate::inferred::Inference>,
}

/// The four fields of the movement, and other.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ModelField {
    /// Kinh tế.
    Economy,
    /// Văn hóa – xã hội.
    CultureSociety,
    /// Quốc phòng – an ninh.
    DefenceSecurity,
    /// Xây dựng hệ thống chính trị.
    PoliticalSystem,
    /// Other.
    Other,
}

impl Model {
    /// A model with what identifies it, its name and province; the owning unit, field and
    /// start year stay unknown and kind and status keep their defaults until set on the value.
    pub fn new(id: RecordId, name: impl AsRef<str>, province: ProvinceRef) -> Model {
        Model {
            id,
            name: Text::new(name),
            province,
            owning_unit: None,
            field: None,
            kind: ModelKind::default(),
            start_year: None,
            status: ModelStatus::default(),
            recognition: None,
            description: None,
            inferred: Vec::new(),
        }
    }
}

impl ModelField {
    /// Every field, in report order.
    pub const ALL: [ModelField; 5] = [
        Self::Economy,
        Self::CultureSociety,
        Self::DefenceSecurity,
        Self::PoliticalSystem,
        Self::Other,
    ];

    /// The field's position in [`ALL`](Self::ALL), by an exhaustive match (see
    /// `ConferenceKind::index`).
    pub const fn index(self) -> usize {
        match self {
            Self::Economy => 0,
            Self::CultureSociety => 1,
            Self::DefenceSecurity => 2,
            Self::PoliticalSystem => 3,
            Self::Other => 4,
        }
    }

    /// "kinh tế", "văn hóa – xã hội", …
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Economy => "kinh tế",
            Self::CultureSociety => "văn hóa – xã hội",
            Self::DefenceSecurity => "quốc phòng – an ninh",
            Self::PoliticalSystem => "xây dựng hệ thống chính trị",
            Self::Other => "lĩnh vực khác",
        }
    }

    /// "economy", "culture and society", …
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Economy => "economy",
            Self::CultureSociety => "culture and society",
            Self::DefenceSecurity => "defence and security",
            Self::PoliticalSystem => "building the political system",
            Self::Other => "other",
        }
    }
}

/// Mô hình (a collective model) or điển hình (an individual exemplar).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Mô hình.
    #[default]
    Collective,
    /// Điển hình.
    Individual,
}

/// Where a model stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ModelStatus {
    /// Đăng ký xây dựng: registered, not yet assessed.
    #[default]
    Registered,
    /// Assessed as effective (hiệu quả).
    Effective,
    /// No longer run.
    Discontinued,
}

/// Official recognition of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Recognition {
    /// Date of the recognising decision.
    pub date: NaiveDate,
    /// Its number, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DocumentNumber>,
    /// The level, as written: "cấp tỉnh". Levels are data, not a fixed list.
    pub level: Text,
    /// The recognising body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Text>,
}

impl Model {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Model;

    /// Whether the model has been officially recognised.
    pub fn is_recognised(&self) -> bool {
        self.recognition.is_some()
    }

    /// Checks the model on its own.
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker::new(Self::KIND, &self.id);
        c.not_blank("name", &self.name);
        if let Some(unit) = &self.owning_unit {
            c.not_blank("owning_unit", unit);
        }
        match self.start_year {
            Some(y) if !YEAR_RANGE.contains(&y) => c.error(
                "out-of-range",
                "start_year",
                format!("year {y} is out of range (1930–2100)"),
            ),
            Some(y) if y < MOVEMENT_START_YEAR => c.warn(
                "out-of-range",
                "start_year",
                format!("{y} is before the Dân vận khéo movement began ({MOVEMENT_START_YEAR})"),
            ),
            _ => {}
        }
        if let Some(r) = &self.recognition {
            c.not_blank("recognition.level", &r.level);
            if let Some(start) = self.start_year
                && r.date.year() < start
            {
                c.error(
                    "order",
                    "recognition.date",
                    format!(
                        "recognised on {} before the model started ({start})",
                        r.date
                    ),
                );
            }
            if let Some(by) = &r.by {
                c.not_blank("recognition.by", by);
            }
        }
        if let Some(d) = &self.description {
            c.not_blank("description", d);
        }
        // The province is read at the start year; when that is unknown, at any time the model
        // could have existed (the movement's years).
        let start = self
            .start_year
            .filter(|y| YEAR_RANGE.contains(y))
            .unwrap_or(MOVEMENT_START_YEAR);
        if let Some(start) = NaiveDate::from_ymd_opt(start, 1, 1) {
            c.province_during("province", self.province.as_str(), start, NaiveDate::MAX);
        }
        crate::inferred::check(
            &mut c,
            &self.inferred,
            &[
                ("province", false, true),
                ("owning_unit", false, self.owning_unit.is_some()),
                ("field", false, self.field.is_some()),
                ("start_year", false, self.start_year.is_some()),
                ("status", false, true),
                ("recognition", false, self.recognition.is_some()),
            ],
        );
        c.finish()
    }
}
