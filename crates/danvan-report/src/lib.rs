//! Periodic summaries (sơ kết, tổng kết) generated from danvan records, per province and
//! national.
//!
//! [`data::build`] computes every figure of a report from a [`Store`](danvan_store::Store) —
//! conferences by kind, directives issued and reviews held, due and overdue, models by field,
//! and the indicator table with the comparison period, change, target and status — and
//! [`markdown::render`] lays it out in the conventional order. Figures are exact: ratios are
//! combined by their numerators and denominators, so a province's figures roll up correctly
//! across the 2025 merger.

pub mod data;
pub mod markdown;

pub use data::{ReportData, Scope, Status, build};
