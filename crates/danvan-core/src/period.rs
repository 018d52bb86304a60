//! Reporting periods: years, halves, quarters, months, multi-year phases and committee terms.
//!
//! The interoperable form is a DHIS2-style ID: `2024`, `2024S1`, `2024Q1`, `202406`, plus
//! `2021-2025` for a phase (giai đoạn) and `NK2020-2025` for a committee term (nhiệm kỳ).
//! [`Period::parse`] reads the phrases reports use ("6 tháng đầu năm 2024",
//! "giai đoạn 2016 - 2021") and [`Period::to_vietnamese`] writes them.
//!
//! Calendar boundaries are the default. State reporting under Decree 09/2019/NĐ-CP uses
//! cut-off windows instead (the six-month report covers 15 December to 14 June); pass
//! [`Window::DECREE_09`] to [`Period::date_range`] for those.
//!
//! ```
//! use danvan_core::period::{Period, Window};
//! let p: Period = "2024S1".parse().unwrap();
//! assert_eq!(p.to_vietnamese(), "6 tháng đầu năm 2024");
//! assert_eq!(Period::parse("6 tháng đầu năm 2024", None).unwrap(), p);
//! let (start, end) = p.date_range(Window::DECREE_09);
//! assert_eq!((start.to_string(), end.to_string()), ("2023-12-15".into(), "2024-06-14".into()));
//! assert_eq!(p.previous().unwrap().to_string(), "2023S2");
//! ```

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::search_key;

/// The earliest and latest years a period may name.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1930..=2100;

/// A reporting period. Construct with [`Period::year`], [`Period::half`], … or by parsing.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period(Repr);

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Repr {
    Year(i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Month(i32, u8),
    Phase(i32, i32),
    Term(i32, i32),
}

/// What kind of period a [`Period`] is.
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
pub enum PeriodKind {
    /// A calendar year (`2024`).
    Year,
    /// Six months (`2024S1`, `2024S2`).
    Half,
    /// A quarter (`2024Q3`).
    Quarter,
    /// A month (`202406`).
    Month,
    /// A multi-year phase, "giai đoạn" (`2021-2025`).
    Phase,
    /// A committee term, "nhiệm kỳ" (`NK2020-2025`).
    Term,
}

/// Where a period's days begin and end. In JSON: `"calendar"` or `{"cut_off": {"day": 15}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// Calendar boundaries: the first half is 1 January to 30 June.
    #[default]
    Calendar,
    /// Cut-off reporting: each period runs from `day` of the month before its first month to
    /// the day before `day` in its last month (Decree 09/2019: day 15, so 15 December to
    /// 14 June).
    CutOff {
        /// The first day of the window in the preceding month.
        day: CutOffDay,
    },
}

impl Window {
    /// The Decree 09/2019/NĐ-CP reporting window: from the 15th of the preceding month to the
    /// 14th.
    pub const DECREE_09: Window = Window::CutOff { day: CutOffDay(15) };

    /// A cut-off window starting on `day` (2–28, so that every month has the day and the day
    /// before it).
    ///
    /// ```
    /// use danvan_core::period::Window;
    /// assert_eq!(Window::cut_off(15), Ok(Window::DECREE_09));
    /// assert!(Window::cut_off(0).is_err());
    /// assert!(Window::cut_off(40).is_err());
    /// ```
    pub fn cut_off(day: u8) -> Result<Window, PeriodError> {
        Ok(Window::CutOff {
            day: CutOffDay::new(day)?,
        })
    }
}

/// The day a cut-off window starts on: 2 to 28. JSON: a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CutOffDay(u8);

impl CutOffDay {
    /// The day, if it is from 2 to 28.
    pub fn new(day: u8) -> Result<CutOffDay, PeriodError> {
        if (2..=28).contains(&day) {
            Ok(CutOffDay(day))
        } else {
            Err(PeriodError::OutOfRange {
                what: "cut-off day",
                value: i64::from(day),
                range: "2–28",
            })
        }
    }

    /// The day of the month.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for CutOffDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        CutOffDay::new(u8::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Why a period could not be read or built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PeriodError {
    /// The ID does not follow any of the accepted forms.
    #[error(
        "{0:?} is not a period ID: expected 2024, 2024S1, 2024Q1, 202406, 2021-2025 or NK2020-2025"
    )]
    BadId(String),
    /// The phrase was not recognised.
    #[error(
        "{0:?} is not a period phrase: expected e.g. \"6 tháng đầu năm 2024\", \"năm 2022\", \"quý I năm 2024\", \"tháng 6 năm 2024\", \"giai đoạn 2016 - 2021\" or \"nhiệm kỳ 2020 - 2025\""
    )]
    BadPhrase(String),
    /// The phrase has no year and no default year was given.
    #[error("{0:?} does not say which year and no default year was given")]
    NoYear(String),
    /// A number out of range.
    #[error("{what} {value} is out of range ({range})")]
    OutOfRange {
        /// Which part.
        what: &'static str,
        /// The value given.
        value: i64,
        /// The accepted range.
        range: &'static str,
    },
    /// A range whose end is before its start.
    #[error("period ends ({end}) before it starts ({start})")]
    Reversed {
        /// First year.
        start: i32,
        /// Last year.
        end: i32,
    },
}

fn check_year(y: i32) -> Result<i32, PeriodError> {
    if YEAR_RANGE.contains(&y) {
        Ok(y)
    } else {
        Err(PeriodError::OutOfRange {
            what: "year",
            value: i64::from(y),
            range: "1930–2100",
        })
    }
}

fn check_part(
    what: &'static str,
    v: u32,
    max: u32,
    range: &'static str,
) -> Result<u8, PeriodError> {
    if (1..=max).contains(&v) {
        Ok(v as u8)
    } else {
        Err(PeriodError::OutOfRange {
            what,
            value: i64::from(v),
            range,
        })
    }
}

fn check_span(start: i32, end: i32) -> Result<(i32, i32), PeriodError> {
    check_year(start)?;
    check_year(end)?;
    if end < start {
        return Err(PeriodError::Reversed { start, end });
    }
    Ok((start, end))
}

impl Period {
    /// A calendar year.
    pub fn year(year: i32) -> Result<Period, PeriodError> {
        Ok(Period(Repr::Year(check_year(year)?)))
    }

    /// Six months: `half` is 1 (đầu năm) or 2 (cuối năm).
    pub fn half(year: i32, half: u32) -> Result<Period, PeriodError> {
        Ok(Period(Repr::Half(
            check_year(year)?,
            check_part("half", half, 2, "1–2")?,
        )))
    }

    /// A quarter, 1 to 4.
    pub fn quarter(year: i32, quarter: u32) -> Result<Period, PeriodError> {
        Ok(Period(Repr::Quarter(
            check_year(year)?,
            check_part("quarter", quarter, 4, "1–4")?,
        )))
    }

    /// A month, 1 to 12.
    pub fn month(year: i32, month: u32) -> Result<Period, PeriodError> {
        Ok(Period(Repr::Month(
            check_year(year)?,
            check_part("month", month, 12, "1–12")?,
        )))
    }

    /// A multi-year phase ("giai đoạn 2021 - 2025"), first and last year inclusive.
    pub fn phase(start: i32, end: i32) -> Result<Period, PeriodError> {
        let (s, e) = check_span(start, end)?;
        Ok(Period(Repr::Phase(s, e)))
    }

    /// A committee term ("nhiệm kỳ 2020 - 2025"), congress year to congress year.
    pub fn term(start: i32, end: i32) -> Result<Period, PeriodError> {
        let (s, e) = check_span(start, end)?;
        Ok(Period(Repr::Term(s, e)))
    }

    /// The kind of period.
    pub fn kind(&self) -> PeriodKind {
        match self.0 {
            Repr::Year(_) => PeriodKind::Year,
            Repr::Half(..) => PeriodKind::Half,
            Repr::Quarter(..) => PeriodKind::Quarter,
            Repr::Month(..) => PeriodKind::Month,
            Repr::Phase(..) => PeriodKind::Phase,
            Repr::Term(..) => PeriodKind::Term,
        }
    }

    /// The first and last calendar year the period touches.
    pub fn years(&self) -> (i32, i32) {
        match self.0 {
            Repr::Year(y) | Repr::Half(y, _) | Repr::Quarter(y, _) | Repr::Month(y, _) => (y, y),
            Repr::Phase(s, e) | Repr::Term(s, e) => (s, e),
        }
    }

    /// The DHIS2-style ID (same as `Display`).
    pub fn id(&self) -> String {
        self.to_string()
    }

    /// First and last day (inclusive) under `window`.
    ///
    /// ```
    /// use danvan_core::period::{Period, Window};
    /// let y = Period::year(2024).unwrap();
    /// let (s, e) = y.date_range(Window::DECREE_09);
    /// assert_eq!((s.to_string(), e.to_string()), ("2023-12-15".into(), "2024-12-14".into()));
    /// ```
    pub fn date_range(&self, window: Window) -> (NaiveDate, NaiveDate) {
        let (first_month, last_month) = self.month_span();
        let first = first_of(first_month);
        let after_last = first_of(last_month + 1);
        match window {
            Window::Calendar => (first, after_last.pred_opt().unwrap_or(after_last)),
            Window::CutOff { day } => {
                let day = u32::from(day.get());
                let start = first
                    .checked_sub_months(Months::new(1))
                    .and_then(|d| d.with_day(day))
                    .unwrap_or(first);
                let end = first_of(last_month).with_day(day - 1).unwrap_or(after_last);
                (start, end)
            }
        }
    }

    /// Months since year 0 of the first and last month covered.
    fn month_span(&self) -> (i32, i32) {
        let m = |y: i32, month: i32| y * 12 + (month - 1);
        match self.0 {
            Repr::Year(y) => (m(y, 1), m(y, 12)),
            Repr::Half(y, h) => {
                let first = 1 + 6 * (i32::from(h) - 1);
                (m(y, first), m(y, first + 5))
            }
            Repr::Quarter(y, q) => {
                let first = 1 + 3 * (i32::from(q) - 1);
                (m(y, first), m(y, first + 2))
            }
            Repr::Month(y, mo) => (m(y, i32::from(mo)), m(y, i32::from(mo))),
            Repr::Phase(s, e) | Repr::Term(s, e) => (m(s, 1), m(e, 12)),
        }
    }

    /// Whether `date` falls in the period under `window`.
    pub fn contains_date(&self, date: NaiveDate, window: Window) -> bool {
        let (s, e) = self.date_range(window);
        s <= date && date <= e
    }

    /// Whether every month of `other` lies within this period (`2024` contains `2024S1` and
    /// `202406`; a phase contains its years).
    ///
    /// ```
    /// use danvan_core::period::Period;
    /// let p = |s: &str| s.parse::<Period>().unwrap();
    /// assert!(p("2021-2025").contains(&p("2024S2")));
    /// assert!(!p("2024S1").contains(&p("2024Q3")));
    /// assert!(p("2024").overlaps(&p("2024Q3")));
    /// ```
    pub fn contains(&self, other: &Period) -> bool {
        let (a, b) = self.month_span();
        let (c, d) = other.month_span();
        a <= c && d <= b
    }

    /// Whether the two periods share at least one month.
    pub fn overlaps(&self, other: &Period) -> bool {
        let (a, b) = self.month_span();
        let (c, d) = other.month_span();
        a <= d && c <= b
    }

    /// The period of the same kind just before: `2024S1` → `2023S2`; a phase of n years →
    /// the n years before; a term → the term ending in the year this one starts. `None` when
    /// that period would start before 1930, the first year a period may name.
    ///
    /// ```
    /// use danvan_core::period::Period;
    /// assert_eq!(Period::year(1931).unwrap().previous(), Some(Period::year(1930).unwrap()));
    /// assert_eq!(Period::year(1930).unwrap().previous(), None);
    /// ```
    pub fn previous(&self) -> Option<Period> {
        self.shift(-1).in_range()
    }

    /// The period of the same kind just after; `None` past 2100.
    pub fn next(&self) -> Option<Period> {
        self.shift(1).in_range()
    }

    /// The same period one year earlier (`2024S1` → `2023S1`): what reports compare against
    /// for "so với cùng kỳ". `None` before 1930.
    pub fn same_period_last_year(&self) -> Option<Period> {
        let r = match self.0 {
            Repr::Year(y) => Repr::Year(y - 1),
            Repr::Half(y, h) => Repr::Half(y - 1, h),
            Repr::Quarter(y, q) => Repr::Quarter(y - 1, q),
            Repr::Month(y, m) => Repr::Month(y - 1, m),
            Repr::Phase(..) | Repr::Term(..) => return self.previous(),
        };
        Period(r).in_range()
    }

    /// The period, if its years are within [`YEAR_RANGE`] as the parser requires.
    fn in_range(self) -> Option<Period> {
        let (a, b) = self.years();
        (YEAR_RANGE.contains(&a) && YEAR_RANGE.contains(&b)).then_some(self)
    }

    fn shift(&self, dir: i32) -> Period {
        let step = |y: i32, i: u8, n: i32| {
            let idx = y * n + i32::from(i) - 1 + dir;
            (idx.div_euclid(n), (idx.rem_euclid(n) + 1) as u8)
        };
        let r = match self.0 {
            Repr::Year(y) => Repr::Year(y + dir),
            Repr::Half(y, h) => {
                let (y, h) = step(y, h, 2);
                Repr::Half(y, h)
            }
            Repr::Quarter(y, q) => {
                let (y, q) = step(y, q, 4);
                Repr::Quarter(y, q)
            }
            Repr::Month(y, m) => {
                let (y, m) = step(y, m, 12);
                Repr::Month(y, m)
            }
            Repr::Phase(s, e) => {
                let n = e - s + 1;
                Repr::Phase(s + dir * n, e + dir * n)
            }
            Repr::Term(s, e) => {
                let n = (e - s).max(1);
                Repr::Term(s + dir * n, e + dir * n)
            }
        };
        Period(r)
    }

    /// Parses a DHIS2-style ID. Same as `str::parse`.
    pub fn parse_id(id: &str) -> Result<Period, PeriodError> {
        let s = id.trim();
        let bad = || PeriodError::BadId(id.to_string());
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        let num = |t: &str| -> Result<i32, PeriodError> {
            if all_digits(t) {
                t.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        if let Some(rest) = s.strip_prefix("NK") {
            let (a, b) = rest.split_once('-').ok_or_else(bad)?;
            return Period::term(num(a)?, num(b)?);
        }
        if let Some((a, b)) = s.split_once('-') {
            if a.len() == 4 && b.len() == 4 {
                return Period::phase(num(a)?, num(b)?);
            }
            return Err(bad());
        }
        if s.len() == 4 {
            return Period::year(num(s)?);
        }
        if s.len() == 6 && s.as_bytes()[4] == b'S' {
            return Period::half(num(&s[..4])?, num(&s[5..])? as u32);
        }
        if s.len() == 6 && s.as_bytes()[4] == b'Q' {
            return Period::quarter(num(&s[..4])?, num(&s[5..])? as u32);
        }
        if s.len() == 6 && all_digits(s) {
            return Period::month(num(&s[..4])?, num(&s[4..])? as u32);
        }
        Err(bad())
    }

    /// The former name of [`Period::parse`].
    #[deprecated(
        since = "0.2.0",
        note = "renamed `Period::parse`, as every tolerant parser"
    )]
    pub fn parse_vietnamese(
        phrase: &str,
        default_year: Option<i32>,
    ) -> Result<Period, PeriodError> {
        Period::parse(phrase, default_year)
    }

    /// Parses a Vietnamese period phrase, with or without diacritics. A phrase without a year
    /// ("6 tháng cuối năm", "cả năm") takes `default_year`. IDs are accepted too.
    ///
    /// ```
    /// use danvan_core::period::Period;
    /// let p = |s| Period::parse(s, Some(2024)).unwrap().to_string();
    /// assert_eq!(p("6 tháng cuối năm"), "2024S2");
    /// assert_eq!(p("cả năm"), "2024");
    /// assert_eq!(p("quý III năm 2023"), "2023Q3");
    /// assert_eq!(p("tháng 6/2024"), "202406");
    /// assert_eq!(p("giai đoạn 2016 - 2021"), "2016-2021");
    /// assert_eq!(p("nhiệm kỳ 2020 – 2025"), "NK2020-2025");
    /// ```
    pub fn parse(phrase: &str, default_year: Option<i32>) -> Result<Period, PeriodError> {
        if let Ok(p) = Period::parse_id(phrase) {
            return Ok(p);
        }
        let key = search_key(phrase)
            .replace(['–', '—'], "-")
            .replace(" - ", "-")
            .replace("- ", "-")
            .replace(" -", "-");
        let bad = || PeriodError::BadPhrase(phrase.to_string());
        let words: Vec<&str> = key
            .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
            .filter(|w| !w.is_empty())
            .collect();
        let years: Vec<i32> = words
            .iter()
            .flat_map(|w| w.split(['-', '/']))
            .filter(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .filter_map(|t| t.parse().ok())
            .collect();
        let year = || {
            years
                .first()
                .copied()
                .or(default_year)
                .ok_or_else(|| PeriodError::NoYear(phrase.to_string()))
        };
        let has = |w: &str| words.contains(&w);
        let joined = words.join(" ");

        if has("nhiem") && has("ky") || has("giai") && has("doan") {
            // "giai đoạn 2021 - 2025, định hướng đến năm 2030": the first two years bound it.
            let (Some(start), Some(end)) = (years.first(), years.get(1)) else {
                return Err(bad());
            };
            return if has("nhiem") {
                Period::term(*start, *end)
            } else {
                Period::phase(*start, *end)
            };
        }
        if joined.contains("6 thang") || joined.contains("sau thang") {
            let half = if joined.contains("cuoi nam") || joined.contains("sau nam") {
                2
            } else {
                1
            };
            return Period::half(year()?, half);
        }
        if let Some(i) = words.iter().position(|w| *w == "quy") {
            let token = words.get(i + 1).ok_or_else(bad)?;
            let q_text = token.split('/').next().unwrap_or("");
            let q = roman_or_digit(q_text).ok_or_else(bad)?;
            return Period::quarter(year()?, q);
        }
        if let Some(i) = words.iter().position(|w| *w == "thang") {
            let token = words.get(i + 1).ok_or_else(bad)?;
            let m_text = token.split('/').next().unwrap_or("");
            let m: u32 = m_text.parse().map_err(|_| bad())?;
            return Period::month(year()?, m);
        }
        if has("nam") {
            return Period::year(year()?);
        }
        Err(bad())
    }

    /// The Vietnamese phrase: "6 tháng đầu năm 2024", "quý I năm 2024", "giai đoạn 2021 - 2025".
    pub fn to_vietnamese(&self) -> String {
        match self.0 {
            Repr::Year(y) => format!("năm {y}"),
            Repr::Half(y, 1) => format!("6 tháng đầu năm {y}"),
            Repr::Half(y, _) => format!("6 tháng cuối năm {y}"),
            Repr::Quarter(y, q) => format!("quý {} năm {y}", ROMAN[usize::from(q) - 1]),
            Repr::Month(y, m) => format!("tháng {m} năm {y}"),
            Repr::Phase(s, e) => format!("giai đoạn {s} - {e}"),
            Repr::Term(s, e) => format!("nhiệm kỳ {s} - {e}"),
        }
    }

    /// The English phrase: "first half of 2024", "Q1 2024", "June 2024", "2021–2025 phase".
    pub fn to_english(&self) -> String {
        match self.0 {
            Repr::Year(y) => y.to_string(),
            Repr::Half(y, 1) => format!("first half of {y}"),
            Repr::Half(y, _) => format!("second half of {y}"),
            Repr::Quarter(y, q) => format!("Q{q} {y}"),
            Repr::Month(y, m) => format!("{} {y}", MONTHS_EN[usize::from(m) - 1]),
            Repr::Phase(s, e) => format!("{s}–{e} phase"),
            Repr::Term(s, e) => format!("{s}–{e} term"),
        }
    }
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
/// English month names, January first.
pub(crate) const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn roman_or_digit(t: &str) -> Option<u32> {
    match t {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

/// The first day of the month numbered `months` since year 0.
fn first_of(months: i32) -> NaiveDate {
    let y = months.div_euclid(12);
    let m = months.rem_euclid(12) as u32 + 1;
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Repr::Year(y) => write!(f, "{y}"),
            Repr::Half(y, h) => write!(f, "{y}S{h}"),
            Repr::Quarter(y, q) => write!(f, "{y}Q{q}"),
            Repr::Month(y, m) => write!(f, "{y}{m:02}"),
            Repr::Phase(s, e) => write!(f, "{s}-{e}"),
            Repr::Term(s, e) => write!(f, "NK{s}-{e}"),
        }
    }
}

impl fmt::Debug for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Period({self})")
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse_id(s)
    }
}

/// Chronological: by first month, then the longer period first, then kind.
impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = self.month_span();
        let (c, d) = other.month_span();
        a.cmp(&c)
            .then(d.cmp(&b))
            .then(self.kind().cmp(&other.kind()))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Period::parse_id(&s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Period {
    fn schema_name() -> Cow<'static, str> {
        "Period".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A period ID: 2024 (year), 2024S1 (six months), 2024Q1 (quarter), 202406 (month), 2021-2025 (phase), NK2020-2025 (committee term).",
            "pattern": "^(\\d{4}|\\d{4}S[12]|\\d{4}Q[1-4]|\\d{4}(0[1-9]|1[0-2])|\\d{4}-\\d{4}|NK\\d{4}-\\d{4})$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn ids_round_trip() {
        for id in [
            "2024",
            "2024S1",
            "2024S2",
            "2024Q4",
            "202401",
            "202412",
            "2021-2025",
            "NK2020-2025",
        ] {
            assert_eq!(p(id).to_string(), id);
        }
        for bad in [
            "",
            "24",
            "2024S3",
            "2024Q0",
            "202413",
            "2025-2021",
            "NK2020",
            "2024s1",
            "abcd",
            "2024-25",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn phrases() {
        let cases = [
            ("6 tháng đầu năm 2024", "2024S1"),
            ("6 thang cuoi nam 2023", "2023S2"),
            ("năm 2022", "2022"),
            ("cả năm 2022", "2022"),
            ("quý 1/2024", "2024Q1"),
            ("Quý IV năm 2025", "2025Q4"),
            ("tháng 06 năm 2024", "202406"),
            ("giai đoạn 2016-2021", "2016-2021"),
            (
                "giai đoạn 2021 - 2025, định hướng đến năm 2030",
                "2021-2025",
            ),
            ("nhiệm kỳ 2020 - 2025", "NK2020-2025"),
        ];
        for (phrase, id) in cases {
            let got = Period::parse(phrase, None).unwrap_or_else(|e| panic!("{phrase}: {e}"));
            assert_eq!(got.to_string(), id, "{phrase}");
        }
        assert!(matches!(
            Period::parse("6 tháng đầu năm", None),
            Err(PeriodError::NoYear(_))
        ));
        assert!(matches!(
            Period::parse("hôm qua", None),
            Err(PeriodError::BadPhrase(_))
        ));
    }

    #[test]
    fn date_ranges_calendar_and_decree_09() {
        let r = |id: &str, w| {
            let (a, b) = p(id).date_range(w);
            format!("{a}..{b}")
        };
        assert_eq!(r("2024S1", Window::Calendar), "2024-01-01..2024-06-30");
        assert_eq!(r("2024S2", Window::Calendar), "2024-07-01..2024-12-31");
        assert_eq!(r("2024Q1", Window::Calendar), "2024-01-01..2024-03-31");
        assert_eq!(r("202402", Window::Calendar), "2024-02-01..2024-02-29");
        assert_eq!(r("2021-2025", Window::Calendar), "2021-01-01..2025-12-31");
        assert_eq!(r("2024S1", Window::DECREE_09), "2023-12-15..2024-06-14");
        assert_eq!(r("2024S2", Window::DECREE_09), "2024-06-15..2024-12-14");
        assert_eq!(r("2024", Window::DECREE_09), "2023-12-15..2024-12-14");
        assert_eq!(r("2024Q1", Window::DECREE_09), "2023-12-15..2024-03-14");
        assert_eq!(r("202403", Window::DECREE_09), "2024-02-15..2024-03-14");
    }

    #[test]
    fn contains_overlaps_and_neighbours() {
        assert!(p("2024").contains(&p("2024S1")));
        assert!(p("2024").contains(&p("202406")));
        assert!(!p("2024S1").contains(&p("2024")));
        assert!(p("2021-2025").contains(&p("2023Q2")));
        assert!(p("2024S1").overlaps(&p("2024Q2")));
        assert!(!p("2024S1").overlaps(&p("2024Q3")));
        assert_eq!(p("2024S1").previous(), Some(p("2023S2")));
        assert_eq!(p("2024Q1").previous(), Some(p("2023Q4")));
        assert_eq!(p("202412").next(), Some(p("202501")));
        assert_eq!(p("2021-2025").previous(), Some(p("2016-2020")));
        assert_eq!(p("NK2020-2025").previous(), Some(p("NK2015-2020")));
        // Arithmetic stays where the parser can follow, or says it cannot.
        assert_eq!(p("1930").previous(), None);
        assert_eq!(p("193001").previous(), None);
        assert_eq!(p("1930S1").same_period_last_year(), None);
        assert_eq!(p("2100S2").next(), None);
        assert_eq!(p("2096-2100").next(), None);
        for id in ["1931", "1930S2", "193002", "1931Q1", "1935-1939"] {
            let prev = p(id).previous().unwrap();
            assert_eq!(p(&prev.to_string()), prev, "{id}");
        }
        assert_eq!(p("2024S2").same_period_last_year(), Some(p("2023S2")));
        let d = NaiveDate::from_ymd_opt(2023, 12, 20).unwrap();
        assert!(p("2024S1").contains_date(d, Window::DECREE_09));
        assert!(!p("2024S1").contains_date(d, Window::Calendar));
    }

    #[test]
    fn ordering_is_chronological() {
        let mut v = [p("2024S2"), p("2024"), p("2023"), p("2024S1"), p("202401")];
        v.sort();
        let ids: Vec<String> = v.iter().map(Period::to_string).collect();
        assert_eq!(ids, ["2023", "2024", "2024S1", "202401", "2024S2"]);
    }
}
