//! Integration tests of danvan-report on the demo store: golden arithmetic, and every format.

// Helpers here panic on failure by design: in a test, a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod arithmetic;
mod calendar;
mod checker;
mod domain;
mod formats;
mod outlines;
mod report_date;
mod sentences;
mod totals;
mod totals_fixture;

use std::path::PathBuf;

use chrono::NaiveDate;
use danvan_report::Scope;
use danvan_store::{ImportOptions, JsonStore, ProvinceMap, Store};

/// A store holding the demo dataset.
pub(crate) fn demo_store() -> (tempfile::TempDir, JsonStore) {
    fixture_store("demo")
}

/// A store holding `fixtures/<name>`.
pub(crate) fn fixture_store(name: &str) -> (tempfile::TempDir, JsonStore) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name);
    store_with(danvan_store::dataset_dir::load(&dir).unwrap())
}

/// A new store holding `dataset`, which imports without errors.
pub(crate) fn store_with(dataset: danvan_core::dataset::Dataset) -> (tempfile::TempDir, JsonStore) {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let report = store.import(dataset, ImportOptions::default()).unwrap();
    // Warnings (a stated percentage that disagrees) are part of the fixtures; errors are not.
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.severity != danvan_core::validate::Severity::Error),
        "{:#?}",
        report.problems
    );
    (tmp, store)
}

/// A scope for `province` (or the country) and `period`, dated 2026-11-22.
pub(crate) fn scope(province: Option<&str>, map: ProvinceMap, period: &str) -> Scope {
    let mut s = Scope::new(
        province,
        period.parse().unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    );
    s.map = map;
    s
}
