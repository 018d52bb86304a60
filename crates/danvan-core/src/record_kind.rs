//! The kinds of record, and their names in messages, paths and files.

use std::fmt;

use serde::Serialize;

/// The kinds of record.
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
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A [`Directive`](crate::directive::Directive).
    Directive,
    /// A [`Conference`](crate::conference::Conference).
    Conference,
    /// A [`Model`](crate::model::Model).
    Model,
    /// An [`IndicatorDefinition`](crate::indicator::IndicatorDefinition).
    Indicator,
    /// An [`Observation`](crate::indicator::Observation).
    Observation,
    /// A reporting [`Unit`](crate::unit::Unit).
    Unit,
    /// A commendation, an [`Award`](crate::award::Award).
    Award,
    /// A form units report on, a [`ReportForm`](crate::cycle::ReportForm) (biểu mẫu).
    Form,
    /// A unit's report for a period, a [`Submission`](crate::cycle::Submission).
    Submission,
    /// A board's [`Target`](crate::target::Target) (chỉ tiêu) for an indicator.
    Target,
}

impl RecordKind {
    /// Every kind, in the order records are listed and exported (referenced kinds first).
    pub const ALL: [RecordKind; 10] = [
        RecordKind::Indicator,
        RecordKind::Unit,
        RecordKind::Form,
        RecordKind::Directive,
        RecordKind::Observation,
        RecordKind::Conference,
        RecordKind::Model,
        RecordKind::Award,
        RecordKind::Submission,
        RecordKind::Target,
    ];

    /// The singular English name, as in messages: `conference`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Directive => "directive",
            RecordKind::Conference => "conference",
            RecordKind::Model => "model",
            RecordKind::Indicator => "indicator",
            RecordKind::Observation => "observation",
            RecordKind::Unit => "unit",
            RecordKind::Award => "award",
            RecordKind::Form => "form",
            RecordKind::Submission => "submission",
            RecordKind::Target => "target",
        }
    }

    /// The plural, as in file names and URL paths: `conferences`.
    pub fn plural(self) -> &'static str {
        match self {
            RecordKind::Directive => "directives",
            RecordKind::Conference => "conferences",
            RecordKind::Model => "models",
            RecordKind::Indicator => "indicators",
            RecordKind::Observation => "observations",
            RecordKind::Unit => "units",
            RecordKind::Award => "awards",
            RecordKind::Form => "forms",
            RecordKind::Submission => "submissions",
            RecordKind::Target => "targets",
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
