//! Dates as Vietnamese documents write them, and the administrative place-and-date line.
//!
//! News articles and reports write `12/6/2024`, `ngày 14/7/2021`, `23-08-2022`,
//! "Thứ tư - 12/06/2024" or just "Chiều 12/6" (the year implied by the context).
//! [`parse`] reads all of these, day first. [`date_line`] prints the line under a
//! document's number, following Decree 30/2020: "Thái Nguyên, ngày 05 tháng 6 năm 2025".

use chrono::{Datelike, NaiveDate};

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// No `day/month[/year]` or ISO date found in the text.
    #[error("no date found in {0:?}: expected day/month/year such as 12/6/2024 or 2024-06-12")]
    NotFound(String),
    /// The text names a day and month but no year, and no default year was given.
    #[error("{0:?} has no year and no default year was given")]
    NoYear(String),
    /// The numbers do not make a calendar date.
    #[error("{day}/{month}/{year} is not a calendar date")]
    Invalid {
        /// Day of month as written.
        day: u32,
        /// Month as written.
        month: u32,
        /// Year as written.
        year: i32,
    },
}

/// A part of the day, as news items open: "Sáng 14/3", "Chiều 12/6", "Tối 20/11".
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PartOfDay {
    /// Sáng.
    Morning,
    /// Trưa.
    Noon,
    /// Chiều.
    Afternoon,
    /// Tối.
    Evening,
}

impl PartOfDay {
    /// Every part, in the day's order.
    pub const ALL: [PartOfDay; 4] = [Self::Morning, Self::Noon, Self::Afternoon, Self::Evening];

    /// "sáng", "trưa", "chiều", "tối".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Morning => "sáng",
            Self::Noon => "trưa",
            Self::Afternoon => "chiều",
            Self::Evening => "tối",
        }
    }

    /// "morning", "noon", "afternoon", "evening".
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Morning => "morning",
            Self::Noon => "noon",
            Self::Afternoon => "afternoon",
            Self::Evening => "evening",
        }
    }

    /// The part of day a date as written opens with ("Chiều 12/6", "sáng ngày 14/3/2025"),
    /// if any: what [`parse`] reads past.
    ///
    /// ```
    /// use danvan_core::date::PartOfDay;
    /// assert_eq!(PartOfDay::in_text("Chiều 12/6"), Some(PartOfDay::Afternoon));
    /// assert_eq!(PartOfDay::in_text("sáng ngày 14/3/2025"), Some(PartOfDay::Morning));
    /// assert_eq!(PartOfDay::in_text("ngày 14/3/2025"), None);
    /// ```
    pub fn in_text(text: &str) -> Option<PartOfDay> {
        let first = text.split_whitespace().next()?;
        let key = crate::text::search_key(first.trim_matches(|c: char| !c.is_alphanumeric()));
        Self::ALL
            .into_iter()
            .find(|p| crate::text::search_key(p.name_vi()) == key)
    }
}

/// Finds the first date in `text`.
///
/// Accepted: ISO `2024-06-12`; day first `12/6/2024`, `12-06-2024`, `12.06.2024`, with any
/// words around it ("ngày", "Thứ tư -", "Chiều"); a two-digit year means 20xx. A bare
/// `day/month` takes `default_year`.
///
/// ```
/// use chrono::NaiveDate;
/// use danvan_core::date::parse;
/// let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
/// assert_eq!(parse("ngày 14/7/2021", None).unwrap(), d(2021, 7, 14));
/// assert_eq!(parse("Thứ tư - 12/06/2024", None).unwrap(), d(2024, 6, 12));
/// assert_eq!(parse("23-08-2022", None).unwrap(), d(2022, 8, 23));
/// assert_eq!(parse("Chiều 12/6", Some(2024)).unwrap(), d(2024, 6, 12));
/// ```
pub fn parse(text: &str, default_year: Option<i32>) -> Result<NaiveDate, DateError> {
    let groups = digit_groups(text);
    // An ISO date first: four digits, then month and day.
    for w in groups.windows(3) {
        let [(y, ys, _), (m, ms, _), (d, ds, _)] = [w[0], w[1], w[2]];
        if ys == 4 && ms <= 2 && ds <= 2 && contiguous(text, w) && separated_by(text, w, '-') {
            return make(y as i32, m, d);
        }
    }
    for (i, &(day, dl, _)) in groups.iter().enumerate() {
        if dl > 2 {
            continue;
        }
        let Some(&(month, ml, _)) = groups.get(i + 1) else {
            break;
        };
        if ml > 2 || !contiguous(text, &groups[i..i + 2]) {
            continue;
        }
        let year =
            match groups.get(i + 2) {
                Some(&(y, yl, _))
                    if (yl == 4 || yl == 2) && contiguous(text, &groups[i + 1..i + 3]) =>
                {
                    if yl == 2 { 2000 + y as i32 } else { y as i32 }
                }
                _ => default_year.ok_or_else(|| DateError::NoYear(text.to_string()))?,
            };
        return make(year, month, day);
    }
    Err(DateError::NotFound(text.to_string()))
}

fn make(year: i32, month: u32, day: u32) -> Result<NaiveDate, DateError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::Invalid { day, month, year })
}

/// Runs of ASCII digits as (value, length, byte end), with the byte start folded into the
/// contiguity checks below.
fn digit_groups(text: &str) -> Vec<(u32, usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let len = i - start;
            if len <= 4 {
                let value = text[start..i].parse().unwrap_or(0);
                out.push((value, len, i));
            } else {
                out.push((0, len, i));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Whether consecutive digit groups are joined by a single date separator.
fn contiguous(text: &str, groups: &[(u32, usize, usize)]) -> bool {
    groups.windows(2).all(|w| {
        let (_, _, end) = w[0];
        let (_, len, next_end) = w[1];
        let next_start = next_end - len;
        next_start == end + 1 && matches!(text.as_bytes()[end], b'/' | b'-' | b'.')
    })
}

fn separated_by(text: &str, groups: &[(u32, usize, usize)], sep: char) -> bool {
    groups[..groups.len() - 1]
        .iter()
        .all(|&(_, _, end)| text.as_bytes()[end] == sep as u8)
}

/// The place-and-date line of an administrative document (Decree 30/2020/NĐ-CP):
/// days below 10 and the months January and February take a leading zero.
///
/// ```
/// use chrono::NaiveDate;
/// use danvan_core::date::date_line;
/// let d = NaiveDate::from_ymd_opt(2025, 6, 5).unwrap();
/// assert_eq!(date_line("Thái Nguyên", d), "Thái Nguyên, ngày 05 tháng 6 năm 2025");
/// let d = NaiveDate::from_ymd_opt(2025, 2, 14).unwrap();
/// assert_eq!(date_line("Hà Nội", d), "Hà Nội, ngày 14 tháng 02 năm 2025");
/// ```
pub fn date_line(place: &str, date: NaiveDate) -> String {
    format!("{place}, {}", to_vietnamese(date))
}

/// "ngày 05 tháng 6 năm 2025": a date in Vietnamese prose, the date part of [`date_line`].
pub fn to_vietnamese(date: NaiveDate) -> String {
    let month = date.month();
    let month = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

/// The date in English prose: `22 November 2026`.
///
/// ```
/// use chrono::NaiveDate;
/// let d = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
/// assert_eq!(danvan_core::date::to_english(d), "2 November 2026");
/// ```
pub fn to_english(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        crate::period::MONTHS_EN[date.month0() as usize],
        date.year()
    )
}

/// A short Vietnamese date for tables: `05/6/2025` (day zero-padded, month as in the date line).
///
/// ```
/// use chrono::NaiveDate;
/// let d = NaiveDate::from_ymd_opt(2025, 2, 5).unwrap();
/// assert_eq!(danvan_core::date::to_vietnamese_short(d), "05/02/2025");
/// ```
pub fn to_vietnamese_short(date: NaiveDate) -> String {
    let month = date.month();
    let month = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("{:02}/{month}/{}", date.day(), date.year())
}

/// The former name of [`to_vietnamese`].
#[deprecated(since = "0.2.0", note = "renamed `date::to_vietnamese`")]
pub fn date_phrase(date: NaiveDate) -> String {
    to_vietnamese(date)
}

/// The former name of [`to_english`].
#[deprecated(since = "0.2.0", note = "renamed `date::to_english`")]
pub fn english_date(date: NaiveDate) -> String {
    to_english(date)
}

/// The former name of [`to_vietnamese_short`].
#[deprecated(since = "0.2.0", note = "renamed `date::to_vietnamese_short`")]
pub fn short_date(date: NaiveDate) -> String {
    to_vietnamese_short(date)
}

/// The former name of [`parse`].
#[deprecated(since = "0.2.0", note = "renamed `date::parse`")]
pub fn parse_date(text: &str, default_year: Option<i32>) -> Result<NaiveDate, DateError> {
    parse(text, default_year)
}

/// A moment kept in UTC (a step's `at`, a history entry's time) on Vietnam's clocks: UTC+7,
/// kept all year since 1975, with no summer time.
///
/// ```
/// use chrono::NaiveDate;
/// let utc = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap().and_hms_opt(20, 15, 0).unwrap();
/// let local = danvan_core::date::vietnam_time(utc);
/// assert_eq!(local.format("%H:%M %d/%m/%Y").to_string(), "03:15 01/07/2025");
/// ```
pub fn vietnam_time(utc: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    utc + chrono::Duration::hours(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn parses_forms_seen_in_articles() {
        let cases = [
            ("12/6/2024", None, d(2024, 6, 12)),
            ("ngày 14/7/2021", None, d(2021, 7, 14)),
            ("23-08-2022", None, d(2022, 8, 23)),
            ("Thứ tư - 12/06/2024", None, d(2024, 6, 12)),
            ("Chiều 12/6", Some(2024), d(2024, 6, 12)),
            ("2024-06-12", None, d(2024, 6, 12)),
            ("Sáng 03.01.25, tại Hội trường", None, d(2025, 1, 3)),
            ("Số 60-NQ/TW ngày 5/6/2025", None, d(2025, 6, 5)),
        ];
        for (text, year, want) in cases {
            assert_eq!(parse(text, year).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        assert_eq!(
            parse("31/2/2024", None).unwrap_err().to_string(),
            "31/2/2024 is not a calendar date"
        );
        assert!(matches!(
            parse("Chiều 12/6", None),
            Err(DateError::NoYear(_))
        ));
        assert!(matches!(
            parse("không có ngày", None),
            Err(DateError::NotFound(_))
        ));
    }

    #[test]
    fn date_line_pads_day_and_first_two_months() {
        assert_eq!(to_vietnamese(d(2025, 1, 1)), "ngày 01 tháng 01 năm 2025");
        assert_eq!(to_vietnamese(d(2025, 3, 9)), "ngày 09 tháng 3 năm 2025");
        assert_eq!(to_vietnamese(d(2025, 12, 31)), "ngày 31 tháng 12 năm 2025");
    }
}
