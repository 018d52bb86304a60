//! The mass-mobilisation board's name and symbol at a date, per province.
//!
//! Provincial mass-mobilisation boards ("Ban Dân vận Tỉnh ủy", symbol `BDVTU`) became "Ban
//! Tuyên giáo và Dân vận" (`BTGDVTU`) in 2025, on dates that differ by province; the central
//! board likewise ("Ban Dân vận Trung ương" → "Ban Tuyên giáo và Dân vận Trung ương"). Which
//! body issued a report, and which central body it is sent to, depends on the report's date.
//!
//! The dates are data: [`BoardCalendar::builtin`] has a default for every province, and a store
//! may correct it with a `boards.json` document read by [`BoardCalendar::from_json`]:
//!
//! ```json
//! {"central": "2025-02-07", "default": "2025-03-01", "provinces": {"thai-nguyen": "2025-02-20"}}
//! ```
//!
//! The built-in dates are *(unconfirmed)* defaults: the merger dates were not checked against
//! each province's founding decision, which is why they can be corrected without code.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::province::{Province, ProvinceKind};

/// When each board merged into a board for propaganda, education and mass mobilisation.
///
/// ```
/// use chrono::NaiveDate;
/// use danvan_core::board::BoardCalendar;
/// use danvan_core::province::registry;
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let tn = registry().find("Thái Nguyên", day(2024, 6, 30)).unwrap();
/// let cal = BoardCalendar::builtin();
/// assert_eq!(cal.board_at(Some(tn), day(2024, 6, 30)).name_vi, "Ban Dân vận Tỉnh ủy");
/// assert_eq!(cal.board_at(Some(tn), day(2024, 6, 30)).symbol, "BDVTU");
/// assert_eq!(cal.board_at(Some(tn), day(2025, 12, 1)).symbol, "BTGDVTU");
/// assert_eq!(cal.board_at(None, day(2024, 6, 30)).name_vi, "Ban Dân vận Trung ương");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BoardCalendar {
    /// The day the central board became the Ban Tuyên giáo và Dân vận Trung ương.
    pub central: NaiveDate,
    /// The day a provincial board merged, for provinces not listed.
    pub default: NaiveDate,
    /// The day each listed province's board merged, by province slug.
    #[serde(default)]
    pub provinces: BTreeMap<String, NaiveDate>,
}

/// A board as named at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Board {
    /// "Ban Dân vận Tỉnh ủy", "Ban Tuyên giáo và Dân vận Thành ủy", "Ban Dân vận Trung ương".
    pub name_vi: &'static str,
    /// The name below the committee's in a document's header: "Ban Dân vận", "Ban Tuyên giáo
    /// và Dân vận" (the central board keeps "Trung ương").
    pub short_vi: &'static str,
    /// The English name.
    pub name_en: &'static str,
    /// The issuer symbol in document numbers: `BDVTU`, `BTGDVTU`, `BDVTW`, `BTGDVTW`.
    pub symbol: &'static str,
    /// Whether this is the merged board.
    pub merged: bool,
}

/// Why a board calendar could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BoardCalendarError {
    /// The JSON is malformed, or a field is wrong.
    #[error("boards: {message}")]
    Json {
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What serde_json said.
        message: String,
    },
    /// A province key is not a known slug.
    #[error("boards: provinces.{0}: not a province slug (e.g. \"thai-nguyen\")")]
    UnknownProvince(String),
}

impl Default for BoardCalendar {
    fn default() -> Self {
        BoardCalendar::builtin()
    }
}

impl BoardCalendar {
    /// The built-in defaults *(unconfirmed)*: the central board merged on 7 February 2025,
    /// every provincial board on 1 March 2025.
    pub fn builtin() -> BoardCalendar {
        BoardCalendar {
            central: NaiveDate::from_ymd_opt(2025, 2, 7).unwrap_or(NaiveDate::MIN),
            default: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or(NaiveDate::MIN),
            provinces: BTreeMap::new(),
        }
    }

    /// Reads a calendar from its JSON form (see the module documentation).
    pub fn from_json(text: &str) -> Result<BoardCalendar, BoardCalendarError> {
        let cal: BoardCalendar =
            serde_json::from_str(text).map_err(|e| BoardCalendarError::Json {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        let reg = crate::province::registry();
        for slug in cal.provinces.keys() {
            if reg.all_with_slug(slug).next().is_none() {
                return Err(BoardCalendarError::UnknownProvince(slug.clone()));
            }
        }
        Ok(cal)
    }

    /// The day `province`'s board merged (the central board's for `None`).
    pub fn merged_on(&self, province: Option<&Province>) -> NaiveDate {
        match province {
            None => self.central,
            Some(p) => self.provinces.get(p.slug).copied().unwrap_or(self.default),
        }
    }

    /// The board of `province` (the central board for `None`) as named on `date`.
    pub fn board_at(&self, province: Option<&Province>, date: NaiveDate) -> Board {
        let merged = date >= self.merged_on(province);
        match (province.map(|p| p.kind), merged) {
            (None, false) => Board {
                name_vi: "Ban Dân vận Trung ương",
                short_vi: "Ban Dân vận Trung ương",
                name_en: "Central Mass Mobilisation Commission",
                symbol: "BDVTW",
                merged,
            },
            (None, true) => Board {
                name_vi: "Ban Tuyên giáo và Dân vận Trung ương",
                short_vi: "Ban Tuyên giáo và Dân vận Trung ương",
                name_en: "Central Commission for Propaganda, Education and Mass Mobilisation",
                symbol: "BTGDVTW",
                merged,
            },
            (Some(kind), false) => Board {
                name_vi: match kind {
                    ProvinceKind::City => "Ban Dân vận Thành ủy",
                    ProvinceKind::Province => "Ban Dân vận Tỉnh ủy",
                },
                short_vi: "Ban Dân vận",
                name_en: "Mass Mobilisation Commission",
                symbol: "BDVTU",
                merged,
            },
            (Some(kind), true) => Board {
                name_vi: match kind {
                    ProvinceKind::City => "Ban Tuyên giáo và Dân vận Thành ủy",
                    ProvinceKind::Province => "Ban Tuyên giáo và Dân vận Tỉnh ủy",
                },
                short_vi: "Ban Tuyên giáo và Dân vận",
                name_en: "Commission for Propaganda, Education and Mass Mobilisation",
                symbol: "BTGDVTU",
                merged,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::province::registry;

    #[test]
    fn corrected_in_data() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let cal = BoardCalendar::from_json(
            r#"{"central": "2025-02-07", "default": "2025-03-01", "provinces": {"ha-noi": "2025-02-15"}}"#,
        )
        .unwrap();
        let hn = registry().find("Hà Nội", day(2025, 2, 20)).unwrap();
        let b = cal.board_at(Some(hn), day(2025, 2, 20));
        assert_eq!(
            (b.name_vi, b.symbol),
            ("Ban Tuyên giáo và Dân vận Thành ủy", "BTGDVTU")
        );
        let b = BoardCalendar::builtin().board_at(Some(hn), day(2025, 2, 20));
        assert_eq!((b.name_vi, b.symbol), ("Ban Dân vận Thành ủy", "BDVTU"));
        assert_eq!(
            BoardCalendar::from_json(
                r#"{"central": "2025-02-07", "default": "2025-03-01", "provinces": {"atlantis": "2025-01-01"}}"#
            ),
            Err(BoardCalendarError::UnknownProvince("atlantis".into()))
        );
        assert!(BoardCalendar::from_json("{").is_err());
    }
}
