//! What a person reads instead of a code, in the CLI's language: kinds of record, provinces,
//! indicators, periods and days in words ("hội nghị", "Thái Nguyên", "Số cuộc đối thoại …",
//! "6 tháng đầu năm 2025", "22/6/2025"). Codes stay in `--json` and exports.

use chrono::NaiveDate;
use danvan_core::dataset::RecordRef;
use danvan_core::period::Period;
use danvan_core::record_kind::RecordKind;

use crate::lang::{Lang, lang, t};

/// A kind of record as a sentence names one: "hội nghị", "conference".
pub(crate) fn kind(kind: RecordKind) -> String {
    t!(&format!("kind-{}", kind.as_str()))
}

/// A kind of record as a count names several: "hội nghị", "conferences".
pub(crate) fn kinds(kind: RecordKind) -> String {
    t!(&format!("kinds-{}", kind.as_str()))
}

/// A province by its name ("Thái Nguyên"; "Ho Chi Minh City" in English), the slug itself
/// when the registry does not know it.
pub(crate) fn province(slug: &str) -> String {
    danvan_core::province::registry()
        .all_with_slug(slug)
        .last()
        .map_or_else(
            || slug.to_string(),
            |p| match lang() {
                Lang::Vi => p.name_vi().to_string(),
                Lang::En => p.name_en().to_string(),
            },
        )
}

/// A built-in indicator by its name; another (a store's own definition) by its code.
pub(crate) fn indicator(id: &str) -> String {
    danvan_core::indicator::builtin(id).map_or_else(
        || id.to_string(),
        |d| match lang() {
            Lang::Vi => d.name_vi.to_string(),
            Lang::En => d.name_en.to_string(),
        },
    )
}

/// A period in words: "6 tháng đầu năm 2025", "first half of 2025".
pub(crate) fn period(p: &Period) -> String {
    match lang() {
        Lang::Vi => p.to_vietnamese(),
        Lang::En => p.to_english(),
    }
}

/// A day as offices write it: "22/6/2025".
pub(crate) fn day(d: NaiveDate) -> String {
    danvan_core::date::to_vietnamese_short(d)
}

/// A record in words, for a line of a list ([`RecordRef::summary`]).
pub(crate) fn record_line(r: RecordRef<'_>) -> String {
    r.summary(lang() == Lang::En)
}
