//! What a person reads instead of a code, in the CLI's language ([`danvan_i18n::names`]):
//! kinds of record, provinces, indicators, periods and days in words. Codes stay in `--json`
//! and exports.

use chrono::NaiveDate;
use danvan_core::dataset::RecordRef;
use danvan_core::period::Period;
use danvan_core::record_kind::RecordKind;
use danvan_i18n::names;

use crate::lang::{Lang, lang};

/// A kind of record as a sentence names one: "hội nghị", "conference".
pub(crate) fn kind(kind: RecordKind) -> String {
    names::kind(lang(), kind)
}

/// A kind of record as a count names several: "hội nghị", "conferences".
pub(crate) fn kinds(kind: RecordKind) -> String {
    names::kinds(lang(), kind)
}

/// A province by its name.
pub(crate) fn province(slug: &str) -> String {
    names::province(lang(), slug)
}

/// A built-in indicator by its name; another by its code.
pub(crate) fn indicator(id: &str) -> String {
    names::indicator(lang(), id)
}

/// A period in words.
pub(crate) fn period(p: &Period) -> String {
    names::period(lang(), p)
}

/// A day as offices write it: "22/6/2025".
pub(crate) fn day(d: NaiveDate) -> String {
    names::day(d)
}

/// A record in words, for a line of a list ([`RecordRef::summary`]).
pub(crate) fn record_line(r: RecordRef<'_>) -> String {
    r.summary(lang() == Lang::En)
}
