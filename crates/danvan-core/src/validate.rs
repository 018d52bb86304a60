//! Validation results: every problem at once, each with its record, field path and message.
//!
//! Validation never stops at the first problem: an operator fixing an import wants the whole
//! list. Problems are [`Severity::Error`] (the record must not be stored) or
//! [`Severity::Warning`] (stored, but flagged — e.g. a stated percentage that disagrees with
//! its ratio, which is how the source document wrote it and must be kept as written).

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::id::RecordId;
use crate::province::{ProvinceError, registry};
pub use crate::record_kind::RecordKind;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The record is wrong and must not be stored.
    Error,
    /// The record may be stored, but a reader should look at it.
    Warning,
}

/// One problem found by validation.
///
/// ```
/// use danvan_core::id::RecordId;
/// use danvan_core::validate::{Checker, RecordKind};
/// let id = RecordId::new("c1").unwrap();
/// let mut c = Checker::new(RecordKind::Conference, &id);
/// c.error("empty", "chairs[0].name", "must not be empty");
/// let problems = c.finish();
/// assert_eq!(problems[0].to_string(), "error: conference c1: chairs[0].name: must not be empty");
/// assert_eq!(problems[0].code, "empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The record's kind.
    pub kind: RecordKind,
    /// The record's ID.
    pub id: RecordId,
    /// The path of the offending field, e.g. `chairs[0].name`; empty for the whole record.
    pub field: String,
    /// What kind of problem, stable for programs to branch on (the message may be reworded):
    /// `empty`, `required`, `incomplete`, `out-of-range`, `order` (an end before its start, a
    /// review before the directive), `inconsistent` (fields that contradict each other),
    /// `duplicate`, `duplicate-figure`, `province`, `ambiguous-province`, `wrong-province`,
    /// `dangling-reference`, `self-reference`, `number-mismatch`, `stated-mismatch`,
    /// `wrong-measure`, `not-a-count`, `not-a-url`, `reserved-id`, `missing-replacement`; a
    /// store adds its refusals (`already-exists`, `changed-since-read`, `still-referenced`,
    /// `forbidden`, `not-found`).
    pub code: &'static str,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
}

impl Problem {
    /// Whether this problem blocks storing the record.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {} {}", self.kind, self.id)?;
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Whether any of `problems` is an error.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(Problem::is_error)
}

/// Collects problems for one record. Record types use it in their `validate` methods.
#[derive(Debug)]
pub struct Checker<'a> {
    kind: RecordKind,
    id: &'a RecordId,
    problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    /// Starts collecting for the record `kind`/`id`.
    pub fn new(kind: RecordKind, id: &'a RecordId) -> Self {
        Checker {
            kind,
            id,
            problems: Vec::new(),
        }
    }

    /// Records an error of kind `code` (see [`Problem::code`]) at `field`.
    pub fn error(
        &mut self,
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Error, code, field, message);
    }

    /// Records a warning of kind `code` at `field`.
    pub fn warn(
        &mut self,
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, code, field, message);
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            severity,
            kind: self.kind,
            id: self.id.clone(),
            field: field.into(),
            code,
            message: message.into(),
        });
    }

    /// Records an error when `text` is empty or blank.
    pub fn not_blank(&mut self, field: &str, text: &str) {
        if text.trim().is_empty() {
            self.error("empty", field, "must not be empty");
        }
    }

    /// Checks that the province `slug` exists on `date`.
    pub fn province_at(&mut self, field: &str, slug: &str, date: NaiveDate) {
        if self.ambiguous_code(field, slug) {
            return;
        }
        if let Err(e) = registry().resolve(slug, date) {
            self.province_error(field, slug, e);
        }
    }

    /// A bare province code that named different provinces at different times (15 was Yên
    /// Bái, is Lào Cai) is refused: a record must say which it means.
    fn ambiguous_code(&mut self, field: &str, text: &str) -> bool {
        let Ok(code) = text.trim().parse::<u8>() else {
            return false;
        };
        let mut names: Vec<&str> = registry()
            .all()
            .iter()
            .filter(|p| p.code == code)
            .map(|p| p.slug)
            .collect();
        names.dedup();
        if names.len() < 2 {
            return false;
        }
        self.error("ambiguous-province", 
            field,
            format!(
                "province code {code} has named {} at different times: write the slug of the one meant",
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        );
        true
    }

    /// Checks that the province `slug` exists on some day from `start` to `end`. A failure is
    /// explained at `start`, the date the record begins (`end` may be open-ended).
    pub fn province_during(&mut self, field: &str, slug: &str, start: NaiveDate, end: NaiveDate) {
        if self.ambiguous_code(field, slug) {
            return;
        }
        if let Err(e) = registry().resolve_in(slug, start, end) {
            let e = match e {
                ProvinceError::NotValidAt { .. } => {
                    registry().resolve(slug, start).err().unwrap_or(e)
                }
                unknown => unknown,
            };
            self.province_error(field, slug, e);
        }
    }

    fn province_error(&mut self, field: &str, slug: &str, e: ProvinceError) {
        let msg = match e {
            ProvinceError::Unknown(_) => format!(
                "unknown province {slug:?}: use a slug such as \"thai-nguyen\" or a name such as \"Thái Nguyên\""
            ),
            other => other.to_string(),
        };
        self.error("province", field, msg);
    }

    /// The problems collected.
    pub fn finish(self) -> Vec<Problem> {
        self.problems
    }
}
