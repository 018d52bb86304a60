//! Storage for danvan records.
//!
//! For now this crate reads a *dataset directory*: one JSON file per record kind
//! (`directives.json`, `conferences.json`, …), each an array of records, as in
//! `fixtures/demo/`. Errors name the file, line and column.

pub mod dataset_dir;
