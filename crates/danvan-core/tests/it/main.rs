//! Integration tests of danvan-core: one binary, one module per concern.

// Helpers here panic on failure by design: in a test, a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod fixtures;
mod json_form;
mod props;
mod schema;
mod second_pass;
mod sorting;
mod third_pass;
mod tidy;
mod traps;
mod validation;
mod vocabularies;

use std::path::PathBuf;

/// The workspace root.
pub(crate) fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads `fixtures/demo` with serde_json directly (the core has no loader: it does no IO).
pub(crate) fn demo_dataset() -> danvan_core::dataset::Dataset {
    let dir = workspace_root().join("fixtures/demo");
    let read = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let mut object = serde_json::Map::new();
    for kind in [
        "indicators",
        "directives",
        "observations",
        "conferences",
        "models",
        "units",
        "awards",
        "targets",
    ] {
        object.insert(kind.to_string(), read(&format!("{kind}.json")));
    }
    serde_json::from_value(serde_json::Value::Object(object)).unwrap()
}
