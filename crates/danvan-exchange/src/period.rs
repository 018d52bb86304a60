//! Periods as DHIS2 and ADX write them. DHIS2's identifiers for a year, a six-month period, a
//! quarter and a month (`2024`, `2024S1`, `2024Q2`, `202406`) are danvan's own; ADX writes a
//! period as its first day and its length (`2024-01-01/P1Y`, `2024-07-01/P6M`,
//! `2024-04-01/P3M`, `2024-06-01/P1M`). A phase or a term has no form in either, and a DHIS2
//! period danvan has no form for (a week, a financial year, a six-month period starting in
//! April) is refused by name: never guessed into a neighbour.

use chrono::{Datelike, NaiveDate};
use danvan_core::period::{Period, PeriodKind, Window};

/// Why a period cannot be exchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PeriodError(pub String);

/// The DHIS2 identifier of `period`.
pub fn to_dhis2(period: &Period) -> Result<String, PeriodError> {
    match period.kind() {
        PeriodKind::Year | PeriodKind::Half | PeriodKind::Quarter | PeriodKind::Month => {
            Ok(period.id())
        }
        PeriodKind::Phase | PeriodKind::Term => Err(PeriodError(format!(
            "period {} ({}) has no DHIS2 or ADX form: DHIS2 has yearly, six-monthly, quarterly and monthly periods, not a multi-year one",
            period.id(),
            period.to_vietnamese()
        ))),
    }
}

/// The ADX form of `period`: its first day and its length.
pub fn to_adx(period: &Period) -> Result<String, PeriodError> {
    let length = match period.kind() {
        PeriodKind::Year => "P1Y",
        PeriodKind::Half => "P6M",
        PeriodKind::Quarter => "P3M",
        PeriodKind::Month => "P1M",
        PeriodKind::Phase | PeriodKind::Term => return to_dhis2(period).map(|_| String::new()),
    };
    let (first, _) = period.date_range(Window::Calendar);
    Ok(format!("{}/{length}", first.format("%Y-%m-%d")))
}

/// What DHIS2 period type an identifier danvan cannot read has, to name it in the refusal.
fn dhis2_kind(id: &str) -> &'static str {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (year, rest) = id.split_at(id.len().min(4));
    if !digits(year) {
        return "not a DHIS2 period";
    }
    if digits(rest) && rest.len() == 4 {
        return "daily";
    }
    for (prefix, kind) in [
        ("BiW", "bi-weekly"),
        ("WedW", "weekly (from Wednesday)"),
        ("ThuW", "weekly (from Thursday)"),
        ("SatW", "weekly (from Saturday)"),
        ("SunW", "weekly (from Sunday)"),
        ("W", "weekly"),
        ("AprilS", "six-monthly from April"),
        ("NovS", "six-monthly from November"),
        ("April", "financial year from April"),
        ("July", "financial year from July"),
        ("Oct", "financial year from October"),
        ("Nov", "financial year from November"),
    ] {
        if rest.starts_with(prefix) {
            return kind;
        }
    }
    if rest.ends_with('B') || rest.contains('B') {
        return "bi-monthly";
    }
    "not a DHIS2 period"
}

/// Reads a DHIS2 period identifier.
pub fn from_dhis2(id: &str) -> Result<Period, PeriodError> {
    let id = id.trim();
    let shaped = match id.len() {
        4 => id.bytes().all(|b| b.is_ascii_digit()),
        6 => {
            id.bytes().all(|b| b.is_ascii_digit())
                || (id.as_bytes()[4] == b'S' || id.as_bytes()[4] == b'Q')
                    && id[..4].bytes().all(|b| b.is_ascii_digit())
                    && id.as_bytes()[5].is_ascii_digit()
        }
        _ => false,
    };
    let read = shaped.then(|| Period::parse_id(id).ok()).flatten();
    match read {
        Some(p)
            if matches!(
                p.kind(),
                PeriodKind::Year | PeriodKind::Half | PeriodKind::Quarter | PeriodKind::Month
            ) =>
        {
            Ok(p)
        }
        _ => Err(PeriodError(format!(
            "period {id:?} ({}) has no danvan form: danvan reads yearly (2024), six-monthly (2024S1), quarterly (2024Q2) and monthly (202406) periods",
            dhis2_kind(id)
        ))),
    }
}

/// Reads an ADX period (`2024-07-01/P6M`).
pub fn from_adx(text: &str) -> Result<Period, PeriodError> {
    let refuse = |why: &str| {
        Err(PeriodError(format!(
            "period {text:?} {why}: danvan reads a year (2024-01-01/P1Y), a half (2024-01-01/P6M, 2024-07-01/P6M), a quarter (2024-04-01/P3M) or a month (2024-06-01/P1M)"
        )))
    };
    let Some((start, length)) = text.trim().split_once('/') else {
        return refuse("is not a first day and a length");
    };
    let Ok(first) = NaiveDate::parse_from_str(start, "%Y-%m-%d") else {
        return refuse("does not start with a day (YYYY-MM-DD)");
    };
    let (y, m, d) = (first.year(), first.month(), first.day());
    let read = match (length, m, d) {
        ("P1Y" | "P12M", 1, 1) => Period::year(y),
        ("P6M", 1 | 7, 1) => Period::half(y, m.div_ceil(6)),
        ("P3M", 1 | 4 | 7 | 10, 1) => Period::quarter(y, m.div_ceil(3)),
        ("P1M", _, 1) => Period::month(y, m),
        _ => return refuse("has no danvan form"),
    };
    read.or_else(|e| refuse(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_go_both_ways() {
        for id in [
            "2024", "2024S1", "2024S2", "2024Q1", "2024Q4", "202406", "202412",
        ] {
            let p = Period::parse_id(id).unwrap();
            assert_eq!(to_dhis2(&p).unwrap(), id);
            assert_eq!(from_dhis2(id).unwrap(), p);
            assert_eq!(from_adx(&to_adx(&p).unwrap()).unwrap(), p, "{id}");
        }
        assert_eq!(
            to_adx(&Period::parse_id("2024S2").unwrap()).unwrap(),
            "2024-07-01/P6M"
        );
        assert_eq!(
            to_adx(&Period::parse_id("2024Q2").unwrap()).unwrap(),
            "2024-04-01/P3M"
        );
    }

    #[test]
    fn forms_without_a_counterpart_are_refused_by_name() {
        let phase = Period::parse_id("2021-2025").unwrap();
        assert!(to_dhis2(&phase).unwrap_err().0.contains("2021-2025"));
        assert!(to_adx(&phase).is_err());
        for (id, kind) in [
            ("2024W10", "weekly"),
            ("2024AprilS1", "six-monthly from April"),
            ("2024July", "financial year from July"),
            ("20240615", "daily"),
            ("2024BiW3", "bi-weekly"),
            ("2021-2025", "not a DHIS2 period"),
        ] {
            let e = from_dhis2(id).unwrap_err().0;
            assert!(e.contains(kind), "{id}: {e}");
        }
        for text in [
            "2024-02-01/P6M",
            "2024-01-01/P7D",
            "2024-01-15/P1M",
            "2024/P1Y",
        ] {
            assert!(from_adx(text).is_err(), "{text}");
        }
    }
}
