//! The provincial units of Vietnam before and after the reorganisation of 1 July 2025.
//!
//! Until 30 June 2025 there were 63 provincial units, coded by Decision 124/2004/QĐ-TTg; from
//! 1 July 2025 (Resolution 202/2025/QH15, codes by Decision 19/2025/QĐ-TTg) there are 34. Each
//! merged unit took the code of the old unit that holds its new capital, so a code can name a
//! different province before and after the merger (15 was Yên Bái, is now Lào Cai).
//!
//! The registry never rewrites history: a pre-2025 unit keeps its own entry with its validity
//! dates and a link to its successor. Records refer to a province by its [`Province::slug`];
//! the slug is unique *at any given date* (old and new Thái Nguyên share `thai-nguyen`), so a
//! reference is always read together with the record's date, exactly as a code is.
//!
//! Thừa Thiên Huế became the centrally-run city of Huế on 1 January 2025; the registry holds
//! both, with Huế as the successor.
//!
//! ```
//! use chrono::NaiveDate;
//! use danvan_core::province::{registry, ProvinceKind};
//! let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let reg = registry();
//! assert_eq!(reg.by_code(15, day(2024, 1, 1)).unwrap().name, "Yên Bái");
//! assert_eq!(reg.by_code(15, day(2025, 7, 1)).unwrap().name, "Lào Cai");
//! let bac_kan = reg.find("Bac Kan", day(2024, 1, 1)).unwrap();
//! assert_eq!(reg.successor_at(bac_kan, day(2026, 1, 1)).name, "Thái Nguyên");
//! assert_eq!(reg.valid_at(day(2025, 6, 30)).count(), 63);
//! assert_eq!(reg.valid_at(day(2025, 7, 1)).count(), 34);
//! ```

use std::fmt;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Serialize;

use crate::text::search_key;

/// Whether a unit is a province (tỉnh) or a centrally-run city (thành phố trực thuộc trung ương).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProvinceKind {
    /// Tỉnh.
    Province,
    /// Thành phố trực thuộc trung ương.
    City,
}

/// One provincial unit over one stretch of time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Province {
    /// The two-digit official code (01–96).
    pub code: u8,
    /// The Vietnamese name without the "tỉnh"/"thành phố" prefix: "Thái Nguyên".
    pub name: &'static str,
    /// The ASCII slug used in records and URLs: `thai-nguyen`. Unique at any date.
    pub slug: &'static str,
    /// Province or centrally-run city.
    pub kind: ProvinceKind,
    /// First day the unit exists, or `None` when it predates the records this registry covers.
    pub valid_from: Option<NaiveDate>,
    /// Last day the unit exists (inclusive), or `None` while it still exists.
    pub valid_until: Option<NaiveDate>,
    /// Slug of the unit that took it over the day after `valid_until`.
    pub successor: Option<&'static str>,
    /// Other ways the unit is written (folded with [`search_key`] before comparing).
    #[serde(skip)]
    pub aliases: &'static [&'static str],
}

impl Province {
    /// Whether the unit exists on `date`.
    pub fn is_valid_at(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date)
            && self.valid_until.is_none_or(|until| date <= until)
    }

    /// Whether the unit exists on some day from `start` to `end` inclusive.
    pub fn overlaps(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= end)
            && self.valid_until.is_none_or(|until| start <= until)
    }

    /// The name with its prefix, as written in documents: "tỉnh Thái Nguyên",
    /// "thành phố Hồ Chí Minh".
    pub fn full_name(&self) -> String {
        match self.kind {
            ProvinceKind::Province => format!("tỉnh {}", self.name),
            ProvinceKind::City => format!("thành phố {}", self.name),
        }
    }

    /// The Vietnamese name without its prefix: "Thái Nguyên" (the [`name`](Self::name) field).
    pub fn name_vi(&self) -> &'static str {
        self.name
    }

    /// The name in English: the Vietnamese name, except "Ho Chi Minh City".
    #[deprecated(since = "0.2.0", note = "renamed `name_en`, as every English name")]
    pub fn english_name(&self) -> &'static str {
        self.name_en()
    }

    /// The name in English: the Vietnamese name, except "Ho Chi Minh City".
    pub fn name_en(&self) -> &'static str {
        if self.slug == "ho-chi-minh" {
            "Ho Chi Minh City"
        } else {
            self.name
        }
    }

    /// A key unique across the whole registry, for maps and joins: the slug, followed by
    /// `@` and the first valid day for units that start inside the registry's span.
    pub fn key(&self) -> String {
        match self.valid_from {
            Some(from) => format!("{}@{from}", self.slug),
            None => self.slug.to_string(),
        }
    }
}

impl fmt::Display for Province {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// Why a province reference did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProvinceError {
    /// No unit by that slug, code or name ever existed in the registry.
    #[error("unknown province {0:?}")]
    Unknown(String),
    /// The unit exists, but not on the date asked about.
    #[error("{name} does not exist on {date}{}", match (.until, .successor) {
        (Some(until), Some(succ)) => format!(": it was merged into {succ} after {until}"),
        (Some(until), None) => format!(": it ended on {until}"),
        (None, _) => String::new(),
    })]
    NotValidAt {
        /// The unit's name.
        name: &'static str,
        /// The date asked about.
        date: NaiveDate,
        /// Its last day, if it has ended.
        until: Option<NaiveDate>,
        /// The name of its successor, if it has one.
        successor: Option<&'static str>,
    },
}

/// The built-in registry of provincial units. Obtain it with [`registry`].
#[derive(Debug)]
pub struct Registry {
    units: Vec<Province>,
    /// For each slug, the index of the current unit its units became.
    current_by_slug: std::collections::HashMap<&'static str, usize>,
    /// For each slug, the index of the latest unit that had it.
    latest_by_slug: std::collections::HashMap<&'static str, usize>,
}

/// The built-in registry (built once, shared).
pub fn registry() -> &'static Registry {
    static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
        let mut reg = Registry {
            units: build_units(),
            current_by_slug: std::collections::HashMap::new(),
            latest_by_slug: std::collections::HashMap::new(),
        };
        // Units are oldest first: the last one seen with a slug is its latest.
        reg.latest_by_slug = reg
            .units
            .iter()
            .enumerate()
            .map(|(i, p)| (p.slug, i))
            .collect();
        let far = NaiveDate::MAX;
        let mut map = std::collections::HashMap::new();
        for p in &reg.units {
            let current = reg.successor_at(p, far);
            if let Some(i) = reg.units.iter().position(|u| u == current) {
                map.insert(p.slug, i);
            }
        }
        reg.current_by_slug = map;
        reg
    });
    &REGISTRY
}

/// The day the 2025 reorganisation took effect.
pub const MERGER_DATE: NaiveDate = ymd(2025, 7, 1);

impl Registry {
    /// Every unit, pre- and post-2025, in code order.
    pub fn all(&self) -> &[Province] {
        &self.units
    }

    /// The units that exist on `date`.
    pub fn valid_at(&self, date: NaiveDate) -> impl Iterator<Item = &Province> + '_ {
        self.units.iter().filter(move |p| p.is_valid_at(date))
    }

    /// The unit with `code` on `date`.
    pub fn by_code(&self, code: u8, date: NaiveDate) -> Option<&Province> {
        self.valid_at(date).find(|p| p.code == code)
    }

    /// The unit with `slug` on `date`.
    pub fn by_slug(&self, slug: &str, date: NaiveDate) -> Option<&Province> {
        self.valid_at(date).find(|p| p.slug == slug)
    }

    /// The unit that every unit named `slug` has become on today's map: Thái Nguyên for
    /// `bac-kan` and `thai-nguyen`, Huế for `thua-thien-hue`. It does not depend on a date,
    /// because all units that share a slug end in the same current unit (a test checks this).
    ///
    /// ```
    /// let reg = danvan_core::province::registry();
    /// assert_eq!(reg.current("bac-kan").unwrap().name, "Thái Nguyên");
    /// assert_eq!(reg.current("ha-noi").unwrap().name, "Hà Nội");
    /// assert!(reg.current("atlantis").is_none());
    /// ```
    pub fn current(&self, slug: &str) -> Option<&Province> {
        self.current_by_slug.get(slug).map(|i| &self.units[*i])
    }

    /// The units on `date` that have become `current` on today's map (its constituents then):
    /// Thái Nguyên and Bắc Kạn for Thái Nguyên during 2024, Thái Nguyên alone from 1 July
    /// 2025. Figures of all of them cover the same land as one figure of `current`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let reg = danvan_core::province::registry();
    /// let names = |d| reg.constituents("thai-nguyen", d).map(|p| p.name).collect::<Vec<_>>();
    /// assert_eq!(names(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()), ["Bắc Kạn", "Thái Nguyên"]);
    /// assert_eq!(names(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()), ["Thái Nguyên"]);
    /// ```
    pub fn constituents<'a>(
        &'a self,
        current: &'a str,
        date: NaiveDate,
    ) -> impl Iterator<Item = &'a Province> + 'a {
        self.valid_at(date)
            .filter(move |p| self.current(p.slug).is_some_and(|c| c.slug == current))
    }

    /// The latest unit that had `slug` (its own name, not its successor's: Bắc Kạn for
    /// `bac-kan`), looked up in a map: what a record's province is searched by.
    ///
    /// ```
    /// let reg = danvan_core::province::registry();
    /// assert_eq!(reg.latest("bac-kan").unwrap().name, "Bắc Kạn");
    /// assert_eq!(reg.latest("bac-kan"), reg.all_with_slug("bac-kan").last());
    /// ```
    pub fn latest(&self, slug: &str) -> Option<&Province> {
        self.latest_by_slug.get(slug).map(|i| &self.units[*i])
    }

    /// The registry's own `'static` copy of `slug`, if any unit ever had it.
    pub fn static_slug(&self, slug: &str) -> Option<&'static str> {
        self.current_by_slug.get_key_value(slug).map(|(k, _)| *k)
    }

    /// Every unit that ever had `slug`, oldest first.
    pub fn all_with_slug<'a>(&'a self, slug: &'a str) -> impl Iterator<Item = &'a Province> + 'a {
        self.units.iter().filter(move |p| p.slug == slug)
    }

    /// Finds a unit on `date` by code (`"19"`), slug (`"thai-nguyen"`) or name written with or
    /// without diacritics and with or without a prefix ("tỉnh Bắc Kạn", "TP. Hồ Chí Minh",
    /// "Thua Thien Hue").
    pub fn find(&self, text: &str, date: NaiveDate) -> Option<&Province> {
        self.resolve(text, date).ok()
    }

    /// Like [`find`](Self::find), but says why nothing was found: unknown, or known but not
    /// existing on `date` (with its successor).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let day = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap();
    /// let err = danvan_core::province::registry().resolve("Quảng Nam", day).unwrap_err();
    /// assert_eq!(err.to_string(),
    ///     "Quảng Nam does not exist on 2025-08-01: it was merged into Đà Nẵng after 2025-06-30");
    /// ```
    pub fn resolve(&self, text: &str, date: NaiveDate) -> Result<&Province, ProvinceError> {
        let candidates = self.candidates(text);
        if candidates.is_empty() {
            return Err(ProvinceError::Unknown(text.to_string()));
        }
        if let Some(p) = candidates.iter().find(|p| p.is_valid_at(date)) {
            return Ok(p);
        }
        // Report the unit closest before the date, which is the one the user most likely meant.
        let p = candidates
            .iter()
            .filter(|p| p.valid_until.is_some_and(|u| u < date))
            .max_by_key(|p| p.valid_until)
            .or_else(|| candidates.first())
            .copied()
            .ok_or_else(|| ProvinceError::Unknown(text.to_string()))?;
        Err(ProvinceError::NotValidAt {
            name: p.name,
            date,
            until: p.valid_until,
            successor: p
                .successor
                .and_then(|s| p.valid_until.and_then(|u| self.by_slug(s, next_day(u))))
                .map(|s| s.name),
        })
    }

    /// Finds the unit meant by `text` for a span of time: the one valid at `end` if any,
    /// else the latest one that exists at some point from `start` to `end`.
    pub fn resolve_in(
        &self,
        text: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<&Province, ProvinceError> {
        match self.resolve(text, end) {
            Ok(p) => Ok(p),
            Err(ProvinceError::Unknown(t)) => Err(ProvinceError::Unknown(t)),
            Err(e) => self
                .candidates(text)
                .into_iter()
                .filter(|p| p.overlaps(start, end))
                .max_by_key(|p| p.valid_until)
                .ok_or(e),
        }
    }

    fn candidates(&self, text: &str) -> Vec<&Province> {
        let trimmed = text.trim();
        if let Ok(code) = trimmed.parse::<u8>() {
            return self.units.iter().filter(|p| p.code == code).collect();
        }
        if let Some(found) = self.nonempty(|p| p.slug == trimmed) {
            return found;
        }
        let key = strip_prefix(&search_key(trimmed));
        self.units
            .iter()
            .filter(|p| {
                search_key(p.name) == key
                    || p.slug.replace('-', " ") == key
                    || p.aliases.iter().any(|a| search_key(a) == key)
            })
            .collect()
    }

    fn nonempty(&self, pred: impl Fn(&Province) -> bool) -> Option<Vec<&Province>> {
        let v: Vec<&Province> = self.units.iter().filter(|p| pred(p)).collect();
        (!v.is_empty()).then_some(v)
    }

    /// The unit that `province` had become by `date`, following successor links: itself while
    /// it still exists. Bắc Kạn on 2026-01-01 is Thái Nguyên; Thừa Thiên Huế on 2025-03-01 is
    /// Huế. If `date` is before the unit began, the unit itself is returned.
    pub fn successor_at<'a>(&'a self, province: &'a Province, date: NaiveDate) -> &'a Province {
        let mut current = province;
        // Each step moves strictly forward in time, and the chain is at most two links long
        // (Thừa Thiên Huế → Huế); the bound only guards against a mistake in the table.
        for _ in 0..8 {
            let (Some(until), Some(next)) = (current.valid_until, current.successor) else {
                return current;
            };
            if date <= until {
                return current;
            }
            match self.by_slug(next, next_day(until)) {
                Some(p) => current = p,
                None => return current,
            }
        }
        current
    }

    /// The units whose successor (at the day after they ended) is `province`.
    ///
    /// ```
    /// use danvan_core::province::{registry, MERGER_DATE};
    /// let reg = registry();
    /// let can_tho = reg.by_slug("can-tho", MERGER_DATE).unwrap();
    /// let mut merged: Vec<_> = reg.predecessors(can_tho).map(|p| p.name).collect();
    /// danvan_core::text::sort_by_key(&mut merged, |s| s);
    /// assert_eq!(merged, ["Cần Thơ", "Hậu Giang", "Sóc Trăng"]);
    /// ```
    pub fn predecessors<'a>(
        &'a self,
        province: &'a Province,
    ) -> impl Iterator<Item = &'a Province> + 'a {
        self.units.iter().filter(move |p| {
            p.successor == Some(province.slug)
                && p.valid_until
                    .is_some_and(|u| province.is_valid_at(next_day(u)))
        })
    }
}

/// A record's reference to a province: the unit's slug, read together with the record's date.
///
/// Built from a slug, a code-free name with or without diacritics ("Bắc Kạn", "bac kan") or an
/// alias ("TP.HCM"): anything the registry recognises is stored as the slug. Text it does not
/// recognise is kept as written so that validation can report it with the rest of the record's
/// problems instead of failing the whole file.
///
/// ```
/// use danvan_core::province::ProvinceRef;
/// assert_eq!(ProvinceRef::new("Tỉnh Bắc Kạn").as_str(), "bac-kan");
/// assert_eq!(ProvinceRef::new("TP.HCM").as_str(), "ho-chi-minh");
/// assert!(ProvinceRef::new("Atlantis").is_unknown());
/// ```
///
/// `ProvinceRef` has no `Ord`: slugs in code-point order are no order a reader knows. Sort by
/// the registry's names with `text::sort_by_key`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ProvinceRef(String);

impl ProvinceRef {
    /// Resolves `text` to a slug where the registry knows it. A bare code that named
    /// different provinces at different times ("15": Yên Bái, then Lào Cai) is kept as written,
    /// and validation refuses it: without a date it cannot say which province is meant.
    ///
    /// ```
    /// use danvan_core::province::ProvinceRef;
    /// assert_eq!(ProvinceRef::new("01").as_str(), "ha-noi");
    /// assert_eq!(ProvinceRef::new("15").as_str(), "15");
    /// ```
    pub fn new(text: &str) -> ProvinceRef {
        let reg = registry();
        let found = reg.candidates(text);
        match found.first() {
            Some(p) if found.iter().all(|q| q.slug == p.slug) => ProvinceRef(p.slug.to_string()),
            _ => ProvinceRef(text.trim().to_string()),
        }
    }

    /// The slug (or the unrecognised text).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the registry has no unit by this reference at any date.
    pub fn is_unknown(&self) -> bool {
        registry().all_with_slug(&self.0).next().is_none()
    }

    /// The unit meant on `date`.
    pub fn at(&self, date: NaiveDate) -> Result<&'static Province, ProvinceError> {
        registry().resolve(&self.0, date)
    }

    /// The unit meant for the span `start..=end` (see [`Registry::resolve_in`]).
    pub fn during(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<&'static Province, ProvinceError> {
        registry().resolve_in(&self.0, start, end)
    }
}

impl fmt::Display for ProvinceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ProvinceRef {
    fn from(s: &str) -> Self {
        ProvinceRef::new(s)
    }
}

impl<'de> serde::Deserialize<'de> for ProvinceRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(ProvinceRef::new(&s))
    }
}

impl schemars::JsonSchema for ProvinceRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ProvinceRef".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A province slug such as \"thai-nguyen\", read at the record's date. Names (with or without diacritics) are accepted on input and stored as the slug.",
            "examples": ["thai-nguyen", "ho-chi-minh", "bac-kan"]
        })
    }
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// Drops the administrative prefix from a folded name.
fn strip_prefix(key: &str) -> String {
    for prefix in ["thanh pho ", "tp. ", "tp.", "tp ", "tinh "] {
        if let Some(rest) = key.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    key.to_string()
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("invalid date in the province table"),
    }
}

const UNTIL_MERGER: Option<NaiveDate> = Some(ymd(2025, 6, 30));
const FROM_MERGER: Option<NaiveDate> = Some(MERGER_DATE);

use ProvinceKind::{City, Province as Prov};

/// (code, name, slug, kind, successor slug, aliases) of the units that existed until
/// 30 June 2025. A `None` successor means the unit continues unchanged after the merger.
#[allow(clippy::type_complexity)]
const PRE_2025: &[(u8, &str, &str, ProvinceKind, Option<&str>, &[&str])] = &[
    (1, "Hà Nội", "ha-noi", City, None, &["Ha Noi", "Hanoi"]),
    (2, "Hà Giang", "ha-giang", Prov, Some("tuyen-quang"), &[]),
    (4, "Cao Bằng", "cao-bang", Prov, None, &[]),
    (
        6,
        "Bắc Kạn",
        "bac-kan",
        Prov,
        Some("thai-nguyen"),
        &["Bắc Cạn"],
    ),
    (
        8,
        "Tuyên Quang",
        "tuyen-quang",
        Prov,
        Some("tuyen-quang"),
        &[],
    ),
    (10, "Lào Cai", "lao-cai", Prov, Some("lao-cai"), &[]),
    (11, "Điện Biên", "dien-bien", Prov, None, &[]),
    (12, "Lai Châu", "lai-chau", Prov, None, &[]),
    (14, "Sơn La", "son-la", Prov, None, &[]),
    (15, "Yên Bái", "yen-bai", Prov, Some("lao-cai"), &[]),
    (17, "Hòa Bình", "hoa-binh", Prov, Some("phu-tho"), &[]),
    (
        19,
        "Thái Nguyên",
        "thai-nguyen",
        Prov,
        Some("thai-nguyen"),
        &[],
    ),
    (20, "Lạng Sơn", "lang-son", Prov, None, &[]),
    (22, "Quảng Ninh", "quang-ninh", Prov, None, &[]),
    (24, "Bắc Giang", "bac-giang", Prov, Some("bac-ninh"), &[]),
    (25, "Phú Thọ", "phu-tho", Prov, Some("phu-tho"), &[]),
    (26, "Vĩnh Phúc", "vinh-phuc", Prov, Some("phu-tho"), &[]),
    (27, "Bắc Ninh", "bac-ninh", Prov, Some("bac-ninh"), &[]),
    (30, "Hải Dương", "hai-duong", Prov, Some("hai-phong"), &[]),
    (31, "Hải Phòng", "hai-phong", City, Some("hai-phong"), &[]),
    (33, "Hưng Yên", "hung-yen", Prov, Some("hung-yen"), &[]),
    (34, "Thái Bình", "thai-binh", Prov, Some("hung-yen"), &[]),
    (35, "Hà Nam", "ha-nam", Prov, Some("ninh-binh"), &[]),
    (36, "Nam Định", "nam-dinh", Prov, Some("ninh-binh"), &[]),
    (37, "Ninh Bình", "ninh-binh", Prov, Some("ninh-binh"), &[]),
    (38, "Thanh Hóa", "thanh-hoa", Prov, None, &[]),
    (40, "Nghệ An", "nghe-an", Prov, None, &[]),
    (42, "Hà Tĩnh", "ha-tinh", Prov, None, &[]),
    (44, "Quảng Bình", "quang-binh", Prov, Some("quang-tri"), &[]),
    (45, "Quảng Trị", "quang-tri", Prov, Some("quang-tri"), &[]),
    (48, "Đà Nẵng", "da-nang", City, Some("da-nang"), &[]),
    (49, "Quảng Nam", "quang-nam", Prov, Some("da-nang"), &[]),
    (
        51,
        "Quảng Ngãi",
        "quang-ngai",
        Prov,
        Some("quang-ngai"),
        &[],
    ),
    (52, "Bình Định", "binh-dinh", Prov, Some("gia-lai"), &[]),
    (54, "Phú Yên", "phu-yen", Prov, Some("dak-lak"), &[]),
    (56, "Khánh Hòa", "khanh-hoa", Prov, Some("khanh-hoa"), &[]),
    (58, "Ninh Thuận", "ninh-thuan", Prov, Some("khanh-hoa"), &[]),
    (60, "Bình Thuận", "binh-thuan", Prov, Some("lam-dong"), &[]),
    (62, "Kon Tum", "kon-tum", Prov, Some("quang-ngai"), &[]),
    (64, "Gia Lai", "gia-lai", Prov, Some("gia-lai"), &[]),
    (
        66,
        "Đắk Lắk",
        "dak-lak",
        Prov,
        Some("dak-lak"),
        &["Đắc Lắc", "Daklak"],
    ),
    (
        67,
        "Đắk Nông",
        "dak-nong",
        Prov,
        Some("lam-dong"),
        &["Đắc Nông", "Daknong"],
    ),
    (68, "Lâm Đồng", "lam-dong", Prov, Some("lam-dong"), &[]),
    (70, "Bình Phước", "binh-phuoc", Prov, Some("dong-nai"), &[]),
    (72, "Tây Ninh", "tay-ninh", Prov, Some("tay-ninh"), &[]),
    (
        74,
        "Bình Dương",
        "binh-duong",
        Prov,
        Some("ho-chi-minh"),
        &[],
    ),
    (75, "Đồng Nai", "dong-nai", Prov, Some("dong-nai"), &[]),
    (
        77,
        "Bà Rịa – Vũng Tàu",
        "ba-ria-vung-tau",
        Prov,
        Some("ho-chi-minh"),
        &["Bà Rịa - Vũng Tàu", "BRVT"],
    ),
    (
        79,
        "Hồ Chí Minh",
        "ho-chi-minh",
        City,
        Some("ho-chi-minh"),
        HCM_ALIASES,
    ),
    (80, "Long An", "long-an", Prov, Some("tay-ninh"), &[]),
    (82, "Tiền Giang", "tien-giang", Prov, Some("dong-thap"), &[]),
    (83, "Bến Tre", "ben-tre", Prov, Some("vinh-long"), &[]),
    (84, "Trà Vinh", "tra-vinh", Prov, Some("vinh-long"), &[]),
    (86, "Vĩnh Long", "vinh-long", Prov, Some("vinh-long"), &[]),
    (87, "Đồng Tháp", "dong-thap", Prov, Some("dong-thap"), &[]),
    (89, "An Giang", "an-giang", Prov, Some("an-giang"), &[]),
    (91, "Kiên Giang", "kien-giang", Prov, Some("an-giang"), &[]),
    (92, "Cần Thơ", "can-tho", City, Some("can-tho"), &[]),
    (93, "Hậu Giang", "hau-giang", Prov, Some("can-tho"), &[]),
    (94, "Sóc Trăng", "soc-trang", Prov, Some("can-tho"), &[]),
    (95, "Bạc Liêu", "bac-lieu", Prov, Some("ca-mau"), &[]),
    (96, "Cà Mau", "ca-mau", Prov, Some("ca-mau"), &[]),
];

const HCM_ALIASES: &[&str] = &[
    "Hồ Chí Minh City",
    "Ho Chi Minh City",
    "TP.HCM",
    "TP HCM",
    "TPHCM",
    "HCM",
    "HCMC",
    "Sài Gòn",
];

/// (code, name, slug, kind) of the units created by the 2025 merger.
const MERGED_2025: &[(u8, &str, &str, ProvinceKind)] = &[
    (8, "Tuyên Quang", "tuyen-quang", Prov),
    (15, "Lào Cai", "lao-cai", Prov),
    (19, "Thái Nguyên", "thai-nguyen", Prov),
    (24, "Bắc Ninh", "bac-ninh", Prov),
    (25, "Phú Thọ", "phu-tho", Prov),
    (31, "Hải Phòng", "hai-phong", City),
    (33, "Hưng Yên", "hung-yen", Prov),
    (37, "Ninh Bình", "ninh-binh", Prov),
    (44, "Quảng Trị", "quang-tri", Prov),
    (48, "Đà Nẵng", "da-nang", City),
    (51, "Quảng Ngãi", "quang-ngai", Prov),
    (52, "Gia Lai", "gia-lai", Prov),
    (56, "Khánh Hòa", "khanh-hoa", Prov),
    (66, "Đắk Lắk", "dak-lak", Prov),
    (68, "Lâm Đồng", "lam-dong", Prov),
    (75, "Đồng Nai", "dong-nai", Prov),
    (79, "Hồ Chí Minh", "ho-chi-minh", City),
    (80, "Tây Ninh", "tay-ninh", Prov),
    (82, "Đồng Tháp", "dong-thap", Prov),
    (86, "Vĩnh Long", "vinh-long", Prov),
    (91, "An Giang", "an-giang", Prov),
    (92, "Cần Thơ", "can-tho", City),
    (96, "Cà Mau", "ca-mau", Prov),
];

fn build_units() -> Vec<Province> {
    let mut units = Vec::with_capacity(PRE_2025.len() + MERGED_2025.len() + 2);
    for &(code, name, slug, kind, successor, aliases) in PRE_2025 {
        units.push(Province {
            code,
            name,
            slug,
            kind,
            valid_from: None,
            valid_until: successor.and(UNTIL_MERGER),
            successor,
            aliases,
        });
    }
    // Thừa Thiên Huế became the centrally-run city of Huế on 1 January 2025, keeping code 46.
    units.push(Province {
        code: 46,
        name: "Thừa Thiên Huế",
        slug: "thua-thien-hue",
        kind: Prov,
        valid_from: None,
        valid_until: Some(ymd(2024, 12, 31)),
        successor: Some("hue"),
        aliases: &["Thừa Thiên - Huế"],
    });
    units.push(Province {
        code: 46,
        name: "Huế",
        slug: "hue",
        kind: City,
        valid_from: Some(ymd(2025, 1, 1)),
        valid_until: None,
        successor: None,
        aliases: &[],
    });
    for &(code, name, slug, kind) in MERGED_2025 {
        units.push(Province {
            code,
            name,
            slug,
            kind,
            valid_from: FROM_MERGER,
            valid_until: None,
            successor: None,
            aliases: if slug == "ho-chi-minh" {
                HCM_ALIASES
            } else {
                &[]
            },
        });
    }
    units.sort_by_key(|p| (p.code, p.valid_from));
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_on_each_side_of_the_merger() {
        let reg = registry();
        assert_eq!(reg.valid_at(ymd(2024, 12, 31)).count(), 63);
        assert_eq!(reg.valid_at(ymd(2025, 6, 30)).count(), 63);
        let after: Vec<_> = reg.valid_at(MERGER_DATE).collect();
        assert_eq!(after.len(), 34);
        assert_eq!(after.iter().filter(|p| p.kind == City).count(), 6);
    }

    #[test]
    fn slugs_and_codes_are_unique_at_every_boundary() {
        let reg = registry();
        for date in [
            ymd(2024, 12, 31),
            ymd(2025, 1, 1),
            ymd(2025, 6, 30),
            MERGER_DATE,
        ] {
            let units: Vec<_> = reg.valid_at(date).collect();
            let mut codes: Vec<_> = units.iter().map(|p| p.code).collect();
            let mut slugs: Vec<_> = units.iter().map(|p| p.slug).collect();
            codes.sort();
            codes.dedup();
            slugs.sort();
            slugs.dedup();
            assert_eq!(codes.len(), units.len(), "codes at {date}");
            assert_eq!(slugs.len(), units.len(), "slugs at {date}");
        }
    }

    #[test]
    fn every_ended_unit_has_a_successor_on_the_next_day() {
        let reg = registry();
        for p in reg.all().iter().filter(|p| p.valid_until.is_some()) {
            let until = p.valid_until.unwrap();
            let succ = p.successor.expect("ended unit has a successor");
            assert!(reg.by_slug(succ, next_day(until)).is_some(), "{}", p.name);
        }
    }

    #[test]
    fn each_merged_unit_has_the_predecessors_in_the_domain_table() {
        let reg = registry();
        let names = |slug: &str| -> Vec<&str> {
            let p = reg.by_slug(slug, MERGER_DATE).unwrap();
            let mut v: Vec<_> = reg.predecessors(p).map(|p| p.name).collect();
            v.sort();
            v
        };
        assert_eq!(names("thai-nguyen"), ["Bắc Kạn", "Thái Nguyên"]);
        assert_eq!(names("phu-tho"), ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]);
        assert_eq!(
            names("ho-chi-minh"),
            ["Bà Rịa – Vũng Tàu", "Bình Dương", "Hồ Chí Minh"]
        );
        assert_eq!(names("can-tho"), ["Cần Thơ", "Hậu Giang", "Sóc Trăng"]);
        assert_eq!(names("tay-ninh"), ["Long An", "Tây Ninh"]);
        assert!(names("ha-noi").is_empty());
    }

    #[test]
    fn lookups_by_name_slug_and_code() {
        let reg = registry();
        let before = ymd(2024, 5, 1);
        let after = ymd(2025, 9, 1);
        assert_eq!(reg.find("tỉnh Bắc Kạn", before).unwrap().code, 6);
        assert_eq!(reg.find("bac kan", before).unwrap().code, 6);
        assert_eq!(reg.find("TP. Hồ Chí Minh", after).unwrap().code, 79);
        assert_eq!(reg.find("tphcm", after).unwrap().code, 79);
        assert_eq!(
            reg.find("Thua Thien Hue", before).unwrap().slug,
            "thua-thien-hue"
        );
        assert_eq!(reg.find("46", after).unwrap().name, "Huế");
        assert_eq!(reg.find("80", before).unwrap().name, "Long An");
        assert_eq!(reg.find("80", after).unwrap().name, "Tây Ninh");
        assert_eq!(reg.find("Hoà Bình", before).unwrap().code, 17);
        assert_eq!(reg.find("Hòa Bình", before).unwrap().code, 17);
        assert!(reg.find("Atlantis", after).is_none());
    }

    #[test]
    fn resolve_explains_a_merged_province() {
        let err = registry().resolve("Bắc Kạn", ymd(2025, 8, 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Bắc Kạn does not exist on 2025-08-01: it was merged into Thái Nguyên after 2025-06-30"
        );
        assert_eq!(
            registry()
                .resolve("Atlantis", ymd(2025, 8, 1))
                .unwrap_err()
                .to_string(),
            "unknown province \"Atlantis\""
        );
    }

    #[test]
    fn all_units_sharing_a_slug_become_the_same_current_unit() {
        let reg = registry();
        for p in reg.all() {
            let current = reg.successor_at(p, NaiveDate::MAX);
            assert_eq!(reg.current(p.slug), Some(current), "{}", p.slug);
            assert!(current.valid_until.is_none());
        }
    }

    #[test]
    fn successor_chain_through_hue() {
        let reg = registry();
        let tth = reg.find("Thừa Thiên Huế", ymd(2024, 1, 1)).unwrap();
        assert_eq!(
            reg.successor_at(tth, ymd(2024, 6, 1)).slug,
            "thua-thien-hue"
        );
        assert_eq!(reg.successor_at(tth, ymd(2025, 3, 1)).slug, "hue");
        assert_eq!(reg.successor_at(tth, ymd(2026, 3, 1)).slug, "hue");
        let yen_bai = reg.find("Yên Bái", ymd(2024, 1, 1)).unwrap();
        let lao_cai = reg.successor_at(yen_bai, ymd(2025, 7, 1));
        assert_eq!((lao_cai.code, lao_cai.name), (15, "Lào Cai"));
    }
}
