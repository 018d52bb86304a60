//! Integration tests of danvan-store, against real files in temporary directories.

// Helpers here panic on failure by design: in a test, a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod articles;
mod conformance;
mod crash;
mod cycle;
mod damage;
mod dataset_dir;
mod disk;
mod faults;
mod feed;
mod multiprocess;
#[cfg(feature = "postgres")]
mod pg;
mod queries;
mod writes;

use std::path::PathBuf;

use danvan_core::dataset::AnyRecord;
use danvan_store::{ImportOptions, JsonStore, Store};
use tempfile::TempDir;

/// The workspace's demo fixtures.
pub(crate) fn demo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo")
}

/// A new store in a temporary directory, holding the demo dataset.
pub(crate) fn demo_store() -> (TempDir, JsonStore) {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let dataset = danvan_store::dataset_dir::load(&demo_dir()).unwrap();
    let report = store.import(dataset, ImportOptions::default()).unwrap();
    assert!(!report.has_errors(), "{:#?}", report.problems);
    (tmp, store)
}

/// A record from JSON in the `{"kind": …, "record": …}` form.
pub(crate) fn record(value: serde_json::Value) -> AnyRecord {
    serde_json::from_value(value).unwrap()
}

/// A valid model with `id`, in Thái Nguyên.
pub(crate) fn model(id: &str, name: &str) -> AnyRecord {
    record(serde_json::json!({"kind": "model", "record": {
        "id": id, "name": name, "province": "thai-nguyen",
        "owning_unit": "Hội Nông dân xã Phúc Xuân", "field": "economy", "start_year": 2020}}))
}

/// Replaces a temporary directory's path in `text` with `[STORE]`.
pub(crate) fn redact(text: &str, dir: &std::path::Path) -> String {
    text.replace(&dir.display().to_string(), "[STORE]")
}

/// The journal file the store's checkpoint currently points at.
pub(crate) fn current_journal(dir: &std::path::Path) -> PathBuf {
    let checkpoint: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("checkpoint.json")).unwrap()).unwrap();
    dir.join(format!("journal-{}.jsonl", checkpoint["generation"]))
}

/// The store's validation errors (not warnings), as text.
pub(crate) fn errors(store: &JsonStore) -> Vec<String> {
    store
        .validate()
        .unwrap()
        .iter()
        .filter(|p| p.is_error())
        .map(ToString::to_string)
        .collect()
}
