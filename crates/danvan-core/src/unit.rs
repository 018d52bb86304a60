//! The registry of reporting units: the departments, districts (until 30 June 2025), communes,
//! wards and special zones (from 1 July 2025), bloc party committees, the Front and mass
//! organisations and emulation clusters that report to a board, each with its level, parent and
//! the dates it existed.
//!
//! A unit is a record ([`Unit`]), added by each board for itself: nothing here lists the
//! country's units. A figure that names a unit ([`Observation::unit`]) must resolve to one
//! registered unit of its province, by folded name (tones, case and administrative prefixes
//! aside: "Định Hóa" finds "huyện Định Hóa"), of the same level, existing during the figure's
//! period; otherwise [`check_figure_unit`] refuses it and offers the nearest registered names.
//! What the registry knows also gives a total's coverage: the units of a level that existed,
//! and so were due to report, in a period ([`Unit::existed_during`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::id::RecordId;
use crate::indicator::{Observation, UnitLevel};
use crate::period::Window;
use crate::province::ProvinceRef;
use crate::source::Source;
use crate::text::{Text, search_key};
use crate::validate::{Checker, Problem, RecordKind};

/// A unit that reports to a board.
///
/// ```
/// use danvan_core::unit::Unit;
/// use danvan_core::indicator::UnitLevel;
/// let u: Unit = serde_json::from_str(r#"{
///     "id": "tn-huyen-dinh-hoa", "name": "huyện Định Hóa", "level": "district",
///     "province": "thai-nguyen", "until": "2025-06-30"
/// }"#).unwrap();
/// assert_eq!(u.level, UnitLevel::District);
/// assert!(u.validate().is_empty());
/// assert!(u.answers_to("Dinh Hoa"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "A unit that reports to a board (đơn vị báo cáo).")]
#[non_exhaustive]
pub struct Unit {
    /// Stable record ID: lowercase letters, digits, `-`, `_` and `.`; see the `id` module.
    pub id: RecordId,
    /// The unit's name as the board writes it: "Sở Tư pháp", "huyện Định Hóa", "xã Phú Đình".
    pub name: Text,
    /// What kind of unit it is.
    pub level: UnitLevel,
    /// The province whose board it reports to (its slug on the map of the unit's time);
    /// absent for a unit reporting to the central board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceRef>,
    /// The unit above it, where it is not the board itself (a commune's former district, a
    /// cluster's members' bloc).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<RecordId>,
    /// The first day it existed, when known (absent: before any figure the board keeps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// The last day it existed (a district's is 30 June 2025 at the latest); absent while it
    /// exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Other names it is written under ("Định Hóa", "huyện Định Hóa (cũ)"), which resolve to
    /// it like its name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Text>,
    /// The decision that founded, merged or dissolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// A remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// Words an administrative name may begin with, left out when names are matched: "Định Hóa",
/// "huyện Định Hóa" and "Huyện Định Hoá" name the same unit. Longest first.
const PREFIXES: &[&str] = &[
    "thanh pho ",
    "thi tran ",
    "dac khu ",
    "thi xa ",
    "phuong ",
    "huyen ",
    "quan ",
    "xa ",
];

/// The key a unit's name is matched by: folded (see [`search_key`]) with a leading
/// administrative word left out.
///
/// ```
/// use danvan_core::unit::name_key;
/// assert_eq!(name_key("Huyện Định Hoá"), "dinh hoa");
/// assert_eq!(name_key("Sở Tư pháp"), "so tu phap");
/// assert_eq!(name_key("xã"), "xa");
/// ```
pub fn name_key(name: &str) -> String {
    let folded = search_key(name);
    for p in PREFIXES {
        if let Some(rest) = folded.strip_prefix(p)
            && !rest.trim().is_empty()
        {
            return rest.trim().to_string();
        }
    }
    folded
}

impl Unit {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Unit;

    /// A unit by ID, name, level and province; parent, dates and aliases keep their defaults
    /// until set on the value.
    pub fn new(
        id: RecordId,
        name: impl AsRef<str>,
        level: UnitLevel,
        province: Option<ProvinceRef>,
    ) -> Unit {
        Unit {
            id,
            name: Text::new(name),
            level,
            province,
            parent: None,
            from: None,
            until: None,
            aliases: Vec::new(),
            source: None,
            note: None,
        }
    }

    /// Its name and aliases, as matching keys ([`name_key`]).
    pub fn keys(&self) -> impl Iterator<Item = String> + '_ {
        std::iter::once(&self.name)
            .chain(&self.aliases)
            .map(|n| name_key(n))
    }

    /// Whether `name` is its name or one of its aliases, by [`name_key`].
    pub fn answers_to(&self, name: &str) -> bool {
        let key = name_key(name);
        self.keys().any(|k| k == key)
    }

    /// The last day it existed: its own `until`, or the day its level ended (a district's
    /// 30 June 2025), whichever is earlier.
    pub fn last_day(&self) -> Option<NaiveDate> {
        match (self.until, self.level.ended()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether it existed on some day from `start` to `end`.
    ///
    /// ```
    /// use danvan_core::unit::Unit;
    /// use danvan_core::indicator::UnitLevel;
    /// let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let u = Unit::new("d".parse().unwrap(), "huyện Võ Nhai", UnitLevel::District, None);
    /// assert!(u.existed_during(day(2025, 1, 1), day(2025, 6, 30)));
    /// assert!(!u.existed_during(day(2025, 7, 1), day(2025, 12, 31)));
    /// ```
    pub fn existed_during(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= end) && self.last_day().is_none_or(|l| l >= start)
    }

    /// "từ 01/01/2020 đến 30/06/2025", "từ 01/07/2025", "đến 30/06/2025", or "" when neither day
    /// is known: its days, as a message shows them.
    pub fn lifetime(&self) -> String {
        let d = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        match (self.from, self.last_day()) {
            (Some(a), Some(b)) => format!("from {} until {}", d(a), d(b)),
            (Some(a), None) => format!("from {}", d(a)),
            (None, Some(b)) => format!("until {}", d(b)),
            (None, None) => String::new(),
        }
    }

    /// Checks the unit on its own.
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker::new(Self::KIND, &self.id);
        c.not_blank("name", &self.name);
        for (i, a) in self.aliases.iter().enumerate() {
            c.not_blank(&format!("aliases[{i}]"), a);
        }
        if let (Some(from), Some(until)) = (self.from, self.until)
            && until < from
        {
            c.error(
                "order",
                "until",
                format!("the last day {until} is before the first day {from}"),
            );
        }
        if let (Some(until), Some(ended)) = (self.until, self.level.ended())
            && until > ended
        {
            c.error(
                "out-of-range",
                "until",
                format!(
                    "a {} exists until {ended} at the latest, not {until}",
                    self.level.name_en()
                ),
            );
        }
        if let (Some(from), Some(ended)) = (self.from, self.level.ended())
            && from > ended
        {
            c.error(
                "out-of-range",
                "from",
                format!(
                    "no {} exists after {ended}; a unit founded on {from} is of another level",
                    self.level.name_en()
                ),
            );
        }
        if self.parent.as_ref() == Some(&self.id) {
            c.error(
                "self-reference",
                "parent",
                "a unit cannot be its own parent",
            );
        }
        if let Some(p) = &self.province {
            let start = self.from.unwrap_or(NaiveDate::MIN);
            let end = self.last_day().unwrap_or(NaiveDate::MAX);
            c.province_during("province", p.as_str(), start.max(min_day()), end);
        }
        if let Some(n) = &self.note {
            c.not_blank("note", n);
        }
        c.finish()
    }
}

/// The earliest day a province is looked up on (the registry begins in 1976).
fn min_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1976, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The slug a unit or a figure is registered under: the province as recorded, or "" for the
/// central board's own units.
pub fn registry_slug(province: Option<&ProvinceRef>) -> &str {
    province.map_or("", |p| p.as_str())
}

/// Problems with the unit `o` names, resolved among `named` (the registered units of its
/// province that answer to its name: see [`Unit::answers_to`]); `registered` gives every unit
/// of the province, and is called only when the name resolves to none, to offer the nearest.
///
/// ```
/// use danvan_core::indicator::{Observation, ReportingUnit, UnitLevel};
/// use danvan_core::province::ProvinceRef;
/// use danvan_core::unit::{Unit, check_figure_unit};
/// let mut o = Observation::new("o".parse().unwrap(), "dialogues_held".parse().unwrap(),
///     "2024".parse().unwrap()).with_value(danvan_core::number::Decimal::from_int(12));
/// o.province = Some(ProvinceRef::new("thai-nguyen"));
/// o.unit = Some(ReportingUnit::new("huyện Đình Hóa", UnitLevel::District));
/// let mut u = Unit::new("dh".parse().unwrap(), "huyện Định Hóa", UnitLevel::District,
///     Some(ProvinceRef::new("thai-nguyen")));
/// assert!(check_figure_unit(&o, &[&u], || vec![]).is_empty());
/// o.unit = Some(ReportingUnit::new("huyện Định Hoà 2", UnitLevel::District));
/// let p = check_figure_unit(&o, &[], || vec![&u]);
/// assert_eq!(p[0].to_string(), "error: observation o: unit.name: “huyện Định Hoà 2” is not a \
///     registered unit of thai-nguyen; did you mean “huyện Định Hóa”?");
/// ```
pub fn check_figure_unit<'a>(
    o: &Observation,
    named: &[&'a Unit],
    registered: impl FnOnce() -> Vec<&'a Unit>,
) -> Vec<Problem> {
    let Some(unit) = &o.unit else {
        return Vec::new();
    };
    let mut c = Checker::new(RecordKind::Observation, &o.id);
    let of = match &o.province {
        Some(p) => p.as_str().to_string(),
        None => "the central board".to_string(),
    };
    if named.is_empty() {
        let near = nearest(&unit.name, &registered(), 3);
        let hint = if near.is_empty() {
            "; add it to the registry first".to_string()
        } else {
            format!(
                "; did you mean {}?",
                near.iter()
                    .map(|n| format!("“{n}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        c.error(
            "unknown-unit",
            "unit.name",
            format!("“{}” is not a registered unit of {of}{hint}", unit.name),
        );
        return c.finish();
    }
    let of_level: Vec<&Unit> = named
        .iter()
        .copied()
        .filter(|u| u.level == unit.level)
        .collect();
    if of_level.is_empty() {
        c.error(
            "unit-level",
            "unit.level",
            format!(
                "“{}” is registered as a {}, not a {}",
                named[0].name,
                named[0].level.name_en(),
                unit.level.name_en()
            ),
        );
        return c.finish();
    }
    let (start, end) = o.period.date_range(Window::Calendar);
    if !of_level.iter().any(|u| u.existed_during(start, end)) {
        let u = of_level[0];
        c.error(
            "unit-not-existing",
            "unit.name",
            format!(
                "“{}” existed {}, not during {}",
                u.name,
                u.lifetime(),
                o.period
            ),
        );
    }
    c.finish()
}

/// The error for a unit that answers to a name another unit of the same board and level
/// answers to on some of the same days: a figure naming it could not tell them apart. `others`
/// are the units sharing one of its names' keys (itself among them or not).
///
/// ```
/// use danvan_core::unit::{Unit, check_unit_clash};
/// use danvan_core::indicator::UnitLevel;
/// use danvan_core::province::ProvinceRef;
/// let tn = || Some(ProvinceRef::new("thai-nguyen"));
/// let a = Unit::new("a".parse().unwrap(), "huyện Võ Nhai", UnitLevel::District, tn());
/// let b = Unit::new("b".parse().unwrap(), "Võ Nhai", UnitLevel::District, tn());
/// let c = Unit::new("c".parse().unwrap(), "xã Võ Nhai", UnitLevel::Commune, tn());
/// assert_eq!(check_unit_clash(&b, [&a, &b, &c])[0].to_string(),
///     "error: unit b: name: “Võ Nhai” is already registered as unit a (“huyện Võ Nhai”) \
///     for some of the same days; give one unit one record, with other names as aliases");
/// assert!(check_unit_clash(&c, [&a, &b, &c]).is_empty());
/// ```
pub fn check_unit_clash<'a>(u: &Unit, others: impl IntoIterator<Item = &'a Unit>) -> Vec<Problem> {
    let mut c = Checker::new(RecordKind::Unit, &u.id);
    let start = u.from.unwrap_or(NaiveDate::MIN);
    let end = u.last_day().unwrap_or(NaiveDate::MAX);
    let mut seen: Vec<&RecordId> = Vec::new();
    for other in others {
        if other.id == u.id
            || other.level != u.level
            || seen.contains(&&other.id)
            || registry_slug(other.province.as_ref()) != registry_slug(u.province.as_ref())
            || !other.existed_during(start, end)
            || !other.keys().any(|k| u.keys().any(|own| own == k))
        {
            continue;
        }
        seen.push(&other.id);
        c.error(
            "duplicate-unit",
            "name",
            format!(
                "“{}” is already registered as unit {} (“{}”) for some of the same days; give one \
                 unit one record, with other names as aliases",
                u.name, other.id, other.name
            ),
        );
    }
    c.finish()
}

/// Up to `n` registered names nearest to `name` (by edit distance of their [`name_key`]s, or one
/// containing the other), nearest first; only names near enough to be a slip.
pub fn nearest(name: &str, registered: &[&Unit], n: usize) -> Vec<String> {
    let key = name_key(name);
    let mut scored: Vec<(f64, String)> = Vec::new();
    for u in registered {
        let best = std::iter::once(&u.name)
            .chain(&u.aliases)
            .map(|written| {
                let k = name_key(written);
                let contains = !k.is_empty() && (k.contains(&key) || key.contains(&k));
                let score = strsim::normalized_levenshtein(&k, &key);
                if contains { score.max(0.75) } else { score }
            })
            .fold(0.0, f64::max);
        if best >= 0.6 {
            scored.push((best, u.name.to_string()));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, s)| s).collect()
}

/// How many units of `level` in `units` existed during `start`–`end`: the units due to report
/// for that period, which a total's coverage is counted against.
///
/// ```
/// use danvan_core::unit::{Unit, due_count};
/// use danvan_core::indicator::UnitLevel;
/// let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let mut a = Unit::new("a".parse().unwrap(), "huyện A", UnitLevel::District, None);
/// let mut b = Unit::new("b".parse().unwrap(), "huyện B", UnitLevel::District, None);
/// b.until = Some(day(2023, 12, 31));
/// assert_eq!(due_count([&a, &b], UnitLevel::District, day(2024, 1, 1), day(2024, 12, 31)), 1);
/// ```
pub fn due_count<'a>(
    units: impl IntoIterator<Item = &'a Unit>,
    level: UnitLevel,
    start: NaiveDate,
    end: NaiveDate,
) -> usize {
    units
        .into_iter()
        .filter(|u| u.level == level && u.existed_during(start, end))
        .count()
}
