//! Exact decimal numbers as Vietnamese offices write them: `1.272`, `98,66%`.
//!
//! Vietnamese groups thousands with `.` and marks decimals with `,`; documents and spreadsheets
//! also carry the English convention. [`Decimal`] holds a value exactly (no binary floating
//! point), remembers how many decimal places were written, and prints in either convention with
//! a fixed number of places, so `98,66%` never becomes `99%`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The most decimal places a [`Decimal`] keeps.
pub const MAX_SCALE: u8 = 9;

/// An exact decimal number: `units / 10^scale`.
///
/// Equality and ordering compare values, so `95,10` equals `95,1`; [`Decimal::scale`] still
/// tells how many places were written.
///
/// ```
/// use danvan_core::number::{Decimal, Convention};
/// let d = Decimal::parse("98,66", Convention::Vietnamese).unwrap();
/// assert_eq!(d.to_vietnamese(2), "98,66");
/// assert_eq!(d.to_english(1), "98.7");
/// ```
#[derive(Clone, Copy)]
pub struct Decimal {
    units: i64,
    scale: u8,
}

/// Which separators a number is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// `1.272,5`: `.` groups thousands, `,` marks decimals.
    Vietnamese,
    /// `1,272.5`: `,` groups thousands, `.` marks decimals.
    English,
    /// Guess from the text, as described on [`Decimal::parse`].
    Auto,
}

/// Why a number could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NumberError {
    /// Nothing to parse.
    #[error("expected a number, found nothing")]
    Empty,
    /// A character that is not a digit, sign or separator.
    #[error(
        "unexpected {found:?} at position {position} in {input:?}: expected a digit or separator"
    )]
    UnexpectedChar {
        /// The whole input.
        input: String,
        /// The character found.
        found: char,
        /// Its 1-based character position.
        position: usize,
    },
    /// Separators in an impossible arrangement, such as two decimal marks.
    #[error("{input:?} is not a well-formed number: {reason}")]
    Malformed {
        /// The whole input.
        input: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Too many digits to hold exactly.
    #[error("{input:?} has more digits than can be held exactly")]
    Overflow {
        /// The whole input.
        input: String,
    },
    /// More decimal places than a [`Decimal`] holds.
    #[error("{scale} decimal places is more than the {MAX_SCALE} a decimal holds")]
    TooManyPlaces {
        /// The places asked for.
        scale: u8,
    },
}

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal { units: 0, scale: 0 };
    /// One hundred, the whole of a percentage.
    pub const HUNDRED: Decimal = Decimal {
        units: 100,
        scale: 0,
    };

    /// `units / 10^scale`, for literal values in code.
    ///
    /// # Panics
    ///
    /// When `scale` is over [`MAX_SCALE`]: the value cannot be held exactly, and a silently
    /// different one would be worse. Use [`try_new`](Self::try_new) for scales that come from
    /// input.
    ///
    /// ```
    /// assert_eq!(danvan_core::number::Decimal::new(9866, 2).to_string(), "98.66");
    /// ```
    pub const fn new(units: i64, scale: u8) -> Decimal {
        assert!(
            scale <= MAX_SCALE,
            "a Decimal holds at most 9 decimal places"
        );
        Decimal { units, scale }
    }

    /// `units / 10^scale`, or an error when `scale` is over [`MAX_SCALE`].
    ///
    /// ```
    /// use danvan_core::number::Decimal;
    /// assert_eq!(Decimal::try_new(1, 9).unwrap().to_string(), "0.000000001");
    /// assert!(Decimal::try_new(1, 12).is_err());
    /// ```
    pub const fn try_new(units: i64, scale: u8) -> Result<Decimal, NumberError> {
        if scale > MAX_SCALE {
            return Err(NumberError::TooManyPlaces { scale });
        }
        Ok(Decimal { units, scale })
    }

    /// A whole number.
    pub const fn from_int(n: i64) -> Decimal {
        Decimal { units: n, scale: 0 }
    }

    /// The unscaled digits.
    pub const fn units(self) -> i64 {
        self.units
    }

    /// How many decimal places the number was written with.
    pub const fn scale(self) -> u8 {
        self.scale
    }

    /// Whether the value is below zero.
    pub const fn is_negative(self) -> bool {
        self.units < 0
    }

    /// The value as a rational `numerator / denominator` with a positive denominator.
    pub fn as_ratio(self) -> (i128, i128) {
        (i128::from(self.units), 10i128.pow(u32::from(self.scale)))
    }

    /// The nearest `f64`, for charts and statistics; never for stored values.
    pub fn to_f64(self) -> f64 {
        self.units as f64 / 10f64.powi(i32::from(self.scale))
    }

    /// `numerator / denominator × 100`, rounded half away from zero to `places` decimals.
    /// `None` when the denominator is zero.
    ///
    /// ```
    /// use danvan_core::number::Decimal;
    /// assert_eq!(Decimal::percentage(1272, 1337, 2).unwrap().to_vietnamese(2), "95,14");
    /// ```
    pub fn percentage(numerator: u64, denominator: u64, places: u8) -> Option<Decimal> {
        Decimal::from_ratio(i128::from(numerator) * 100, i128::from(denominator), places)
    }

    /// `num / den` rounded half away from zero to `places` decimals; `None` when `den` is zero,
    /// `places` is over [`MAX_SCALE`], or the result does not fit.
    ///
    /// ```
    /// use danvan_core::number::Decimal;
    /// assert_eq!(Decimal::from_ratio(2, 3, 2), Some(Decimal::new(67, 2)));
    /// assert_eq!(Decimal::from_ratio(1, 0, 2), None);
    /// assert_eq!(Decimal::from_ratio(i128::MAX, 1, 2), None);
    /// ```
    pub fn from_ratio(num: i128, den: i128, places: u8) -> Option<Decimal> {
        if den == 0 || places > MAX_SCALE {
            return None;
        }
        let (num, den) = if den < 0 {
            (num.checked_neg()?, den.checked_neg()?)
        } else {
            (num, den)
        };
        let scaled = num.checked_mul(10i128.pow(u32::from(places)))?;
        let q = scaled / den;
        let r = scaled % den;
        let q = if r.abs().checked_mul(2)? >= den {
            q.checked_add(scaled.signum())?
        } else {
            q
        };
        Some(Decimal {
            units: i64::try_from(q).ok()?,
            scale: places,
        })
    }

    /// This value rounded half away from zero to `places` decimals. To more places than it
    /// has, the same value with zeros added; where that would not fit, the value as it is
    /// (never a different one).
    pub fn round(self, places: u8) -> Decimal {
        if places >= self.scale {
            let places = places.min(MAX_SCALE);
            return 10i64
                .checked_pow(u32::from(places - self.scale))
                .and_then(|f| self.units.checked_mul(f))
                .map_or(self, |units| Decimal {
                    units,
                    scale: places,
                });
        }
        let (n, d) = self.as_ratio();
        // Fewer places than written: the result is no larger than the value, so it fits.
        Decimal::from_ratio(n, d, places).unwrap_or(self)
    }

    /// `self - other`, exact (at the larger scale).
    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let a = i128::from(self.units) * 10i128.pow(u32::from(scale - self.scale));
        let b = i128::from(other.units) * 10i128.pow(u32::from(scale - other.scale));
        i64::try_from(a - b).ok().map(|u| Decimal::new(u, scale))
    }

    /// Parses a number written in `convention`, accepting a leading sign and surrounding spaces
    /// (including the non-breaking space some word processors insert as a group separator).
    ///
    /// With [`Convention::Auto`]:
    /// * both `.` and `,` present: the one that comes last is the decimal mark;
    /// * one kind repeated (`1.234.567`): it groups thousands;
    /// * a single `,`: decimal mark (`98,66`), as in Vietnamese;
    /// * a single `.` followed by exactly three digits: groups thousands (`1.272`), as in
    ///   Vietnamese; any other single `.` is a decimal mark (`98.66`).
    ///
    /// ```
    /// use danvan_core::number::{Decimal, Convention::*};
    /// let p = |s| Decimal::parse(s, Auto).unwrap().to_string();
    /// assert_eq!(p("1.272"), "1272");
    /// assert_eq!(p("98,66"), "98.66");
    /// assert_eq!(p("98.66"), "98.66");
    /// assert_eq!(p("1,234,567.5"), "1234567.5");
    /// assert_eq!(p("6.496"), "6496");
    /// ```
    pub fn parse(input: &str, convention: Convention) -> Result<Decimal, NumberError> {
        let trimmed = input.trim_matches(|c: char| c.is_whitespace());
        if trimmed.is_empty() {
            return Err(NumberError::Empty);
        }
        let (negative, body) = match trimmed.strip_prefix(['-', '−']) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
        };
        let malformed = |reason| NumberError::Malformed {
            input: input.to_string(),
            reason,
        };
        let mut dots = 0;
        let mut commas = 0;
        for (i, ch) in body.chars().enumerate() {
            match ch {
                '0'..='9' | '\u{a0}' | '\u{202f}' | ' ' => {}
                '.' => dots += 1,
                ',' => commas += 1,
                _ => {
                    return Err(NumberError::UnexpectedChar {
                        input: input.to_string(),
                        found: ch,
                        position: trimmed.chars().count() - body.chars().count() + i + 1,
                    });
                }
            }
        }
        let (decimal_mark, group_mark) = marks(body, convention, dots, commas);
        let (int_part, frac_part) = match decimal_mark {
            Some(mark) => {
                let mut it = body.splitn(2, mark);
                let int = it.next().unwrap_or("");
                let frac = it.next().unwrap_or("");
                if frac.contains(mark) {
                    return Err(malformed("more than one decimal mark"));
                }
                (int, frac)
            }
            None => (body, ""),
        };
        if frac_part.contains(group_mark) {
            return Err(malformed("a group separator after the decimal mark"));
        }
        let is_space = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}');
        let other_mark = if group_mark == '.' { ',' } else { '.' };
        if decimal_mark.is_none() && int_part.contains(other_mark) {
            return Err(malformed("separators that fit neither convention"));
        }
        // Groups after the first must have exactly three digits: "1.27" is not a thousands group.
        let groups: Vec<&str> = int_part
            .split(|c: char| c == group_mark || is_space(c))
            .collect();
        if groups.len() > 1 {
            if groups[0].is_empty() || groups[0].len() > 3 {
                return Err(malformed(
                    "a thousands group must follow one to three leading digits",
                ));
            }
            if groups[1..].iter().any(|g| g.len() != 3) {
                return Err(malformed("thousands groups must have exactly three digits"));
            }
        }
        let int_digits: String = groups.concat();
        let frac_digits: String = frac_part.chars().filter(|c| !is_space(*c)).collect();
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(malformed("no digits"));
        }
        if decimal_mark.is_some() && frac_digits.is_empty() {
            return Err(malformed("a decimal mark with no digits after it"));
        }
        if frac_digits.len() > usize::from(MAX_SCALE) {
            return Err(NumberError::Overflow {
                input: input.to_string(),
            });
        }
        let all = format!("{int_digits}{frac_digits}");
        let mut units: i64 = all.parse().map_err(|_| NumberError::Overflow {
            input: input.to_string(),
        })?;
        if negative {
            units = -units;
        }
        Ok(Decimal::new(units, frac_digits.len() as u8))
    }

    /// Formats with `places` decimals (rounding half away from zero), `.` grouping thousands and
    /// `,` as the decimal mark.
    ///
    /// ```
    /// use danvan_core::number::Decimal;
    /// assert_eq!(Decimal::from_int(1272).to_vietnamese(0), "1.272");
    /// assert_eq!(Decimal::new(1234567, 1).to_vietnamese(2), "123.456,70");
    /// ```
    pub fn to_vietnamese(self, places: u8) -> String {
        self.format(places, Some('.'), ',')
    }

    /// Formats with `places` decimals, `,` grouping thousands and `.` as the decimal mark.
    pub fn to_english(self, places: u8) -> String {
        self.format(places, Some(','), '.')
    }

    fn format(self, places: u8, group: Option<char>, mark: char) -> String {
        let r = self.round(places);
        let digits = r.units.unsigned_abs().to_string();
        let places = usize::from(r.scale);
        let padded = if digits.len() <= places {
            format!("{}{digits}", "0".repeat(places + 1 - digits.len()))
        } else {
            digits
        };
        let (int, frac) = padded.split_at(padded.len() - places);
        let mut out = String::new();
        if r.units < 0 {
            out.push('-');
        }
        match group {
            Some(sep) => out.push_str(&group_thousands(int, sep)),
            None => out.push_str(int),
        }
        if !frac.is_empty() {
            out.push(mark);
            out.push_str(frac);
        }
        out
    }
}

/// Inserts `sep` between groups of three digits from the right.
fn group_thousands(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// Formats a whole count the Vietnamese way: `6.496`.
///
/// ```
/// assert_eq!(danvan_core::number::format_count(3321), "3.321");
/// ```
pub fn format_count(n: u64) -> String {
    group_thousands(&n.to_string(), '.')
}

/// Formats a percentage with `places` decimals in Vietnamese: `98,66%`.
///
/// ```
/// use danvan_core::number::{Decimal, format_percent};
/// assert_eq!(format_percent(Decimal::new(9866, 2), 2), "98,66%");
/// ```
pub fn format_percent(value: Decimal, places: u8) -> String {
    format!("{}%", value.to_vietnamese(places))
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = self.as_ratio();
        let (c, d) = other.as_ratio();
        (a * d).cmp(&(c * b))
    }
}

impl std::hash::Hash for Decimal {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Hash the value, not the representation, to agree with `Eq`.
        let mut units = self.units;
        let mut scale = self.scale;
        while scale > 0 && units % 10 == 0 {
            units /= 10;
            scale -= 1;
        }
        (units, scale).hash(state);
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({self})")
    }
}

/// Plain machine form: no grouping, `.` as the decimal mark, the written number of places.
impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(self.scale, None, '.'))
    }
}

impl FromStr for Decimal {
    type Err = NumberError;
    /// Parses the machine form printed by `Display` (English convention, no grouping needed).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s, Convention::English)
    }
}

/// The JSON form keeps the value and its written places exactly: a JSON number when the number
/// prints back as written (`98.66`, `95`, `83.75`), else a string with a decimal comma and no
/// grouping (`"95,10"`, `"1,230"`), which input reads back unambiguously (a single comma is
/// always the decimal mark): a JSON number cannot say it was written with a trailing zero, and
/// reading it through `f64` would drop it.
///
/// ```
/// use danvan_core::number::{Convention, Decimal};
/// let d = Decimal::parse("95,10", Convention::Vietnamese).unwrap();
/// assert_eq!(serde_json::to_string(&d).unwrap(), "\"95,10\"");
/// let back: Decimal = serde_json::from_str("\"95,10\"").unwrap();
/// assert_eq!((back.units(), back.scale()), (9510, 2));
/// assert_eq!(serde_json::to_string(&Decimal::new(9866, 2)).unwrap(), "98.66");
/// let three: Decimal = serde_json::from_str(&serde_json::to_string(&Decimal::new(1230, 3)).unwrap()).unwrap();
/// assert_eq!((three.units(), three.scale()), (1230, 3));
/// ```
impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.scale == 0 {
            return s.serialize_i64(self.units);
        }
        let text = self.to_string();
        // `{}` on an f64 prints the shortest text that reads back as it: the number is exact in
        // JSON when that text is the written one.
        match text.parse::<f64>() {
            Ok(f) if format!("{f}") == text => s.serialize_f64(f),
            _ => s.serialize_str(&self.format(self.scale, None, ',')),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a string such as \"98,66\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from_int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
                i64::try_from(v)
                    .map(Decimal::from_int)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
                if !v.is_finite() {
                    return Err(E::custom("number must be finite"));
                }
                // `{}` prints the shortest string that reads back as `v`: exactly what was written.
                let text = format!("{v}");
                Decimal::parse(&text, Convention::English).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
                Decimal::parse(v, Convention::Auto).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl schemars::JsonSchema for Decimal {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact decimal with its written places: a JSON number when it prints back as written (98.66), else a string with a decimal comma and no grouping (\"95,10\"). On input a string in either convention (\"98,66\", \"1.272\") is accepted too.",
            "type": ["number", "string"]
        })
    }
}

/// The decimal mark (if any) and the thousands separator of `body`, a number without its sign
/// holding `dots` dots and `commas` commas, read in `convention` (see [`Decimal::parse`]).
fn marks(body: &str, convention: Convention, dots: usize, commas: usize) -> (Option<char>, char) {
    let decimal_mark = match convention {
        Convention::Vietnamese => (commas > 0).then_some(','),
        Convention::English => (dots > 0).then_some('.'),
        Convention::Auto => match (dots, commas) {
            (0, 0) => None,
            (_, 0) if dots > 1 => None,
            (0, _) if commas > 1 => None,
            (1, 0) => {
                let after = body.rsplit('.').next().unwrap_or("");
                if after.len() == 3 && after.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    Some('.')
                }
            }
            (0, 1) => Some(','),
            _ => {
                let last_dot = body.rfind('.');
                let last_comma = body.rfind(',');
                if last_dot > last_comma {
                    Some('.')
                } else {
                    Some(',')
                }
            }
        },
    };
    let group_mark = match decimal_mark {
        Some('.') => ',',
        Some(_) => '.',
        None => match convention {
            Convention::English => ',',
            Convention::Vietnamese => '.',
            Convention::Auto => {
                if dots > 0 {
                    '.'
                } else {
                    ','
                }
            }
        },
    };
    (decimal_mark, group_mark)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Convention::*;

    #[test]
    fn parses_table() {
        let ok = [
            ("1.272", Vietnamese, "1272"),
            ("1.272,5", Vietnamese, "1272.5"),
            ("98,66", Vietnamese, "98.66"),
            ("1,272", English, "1272"),
            ("98.66", English, "98.66"),
            ("  -3,5 ", Auto, "-3.5"),
            ("1 234 567", Auto, "1234567"),
            ("1\u{a0}234", Vietnamese, "1234"),
            ("0,05", Auto, "0.05"),
            (",5", Vietnamese, "0.5"),
            ("1.234,56", Auto, "1234.56"),
            ("1,234.56", Auto, "1234.56"),
            ("3.321", Auto, "3321"),
            ("3.3", Auto, "3.3"),
            ("100", Auto, "100"),
        ];
        for (input, conv, want) in ok {
            let got = Decimal::parse(input, conv).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(got.to_string(), want, "{input} {conv:?}");
        }
        let bad = [
            ("", Auto),
            ("abc", Auto),
            ("1,2,3.4.5", Auto),
            ("1.27.3", Vietnamese),
            ("12.34", Vietnamese),
            ("1.000,", Vietnamese),
            ("98,66%", Vietnamese),
            ("99999999999999999999", Auto),
        ];
        for (input, conv) in bad {
            assert!(Decimal::parse(input, conv).is_err(), "{input} should fail");
        }
    }

    #[test]
    fn error_messages_say_where() {
        let err = Decimal::parse("12a", Auto).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unexpected 'a' at position 3 in \"12a\": expected a digit or separator"
        );
    }

    #[test]
    fn percentage_rounds_half_up_and_keeps_places() {
        assert_eq!(
            Decimal::percentage(19, 20, 2).unwrap().to_vietnamese(2),
            "95,00"
        );
        assert_eq!(Decimal::percentage(2, 3, 2).unwrap().to_string(), "66.67");
        assert_eq!(Decimal::percentage(1, 8, 1).unwrap().to_string(), "12.5");
        assert_eq!(Decimal::percentage(1, 16, 2).unwrap().to_string(), "6.25");
        assert_eq!(Decimal::percentage(1, 0, 2), None);
    }

    #[test]
    fn formats_negative_and_small() {
        assert_eq!(Decimal::new(-5, 2).to_vietnamese(2), "-0,05");
        assert_eq!(Decimal::new(5, 3).to_vietnamese(2), "0,01");
        assert_eq!(Decimal::from_int(1_000_000).to_english(0), "1,000,000");
    }

    #[test]
    fn equality_is_by_value() {
        assert_eq!(Decimal::new(9510, 2), Decimal::new(951, 1));
        assert!(Decimal::new(9514, 2) > Decimal::from_int(95));
    }
}
