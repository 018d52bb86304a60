//! Reading and writing dataset directories.

use std::fs;
use std::path::PathBuf;

use danvan_core::dataset::Dataset;
use danvan_core::generate::Generator;
use danvan_store::dataset_dir::{self, DatasetDirError};

fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo")
}

#[test]
fn loads_the_demo() {
    let d = dataset_dir::load(&demo()).unwrap();
    assert!(
        d.directives.len() >= 10 && d.conferences.len() >= 14,
        "{} records",
        d.len()
    );
}

#[test]
fn missing_kinds_are_empty_and_a_missing_directory_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(dataset_dir::load(tmp.path()).unwrap().is_empty());
    let err = dataset_dir::load(&tmp.path().join("nope")).unwrap_err();
    assert!(matches!(err, DatasetDirError::NotFound { .. }));
}

/// Errors name the file, line and column; the temporary path is filtered out of the snapshot.
#[test]
fn bad_files_are_reported_with_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "models.json",
            "[\n  {\"id\": \"m1\",\n   \"name\": \"x\"\n  \n",
        ),
        (
            "conferences.json",
            "[\n  {\"id\": \"c1\", \"kinds\": [\"six_month_review\"], \"title\": \"t\",\n   \"date\": \"2024-13-01\"}\n]",
        ),
        (
            "observations.json",
            "[{\"id\": \"o1\", \"indicator\": \"x\", \"period\": \"2024\", \"colour\": 1}]",
        ),
        ("directives.json", "{\"id\": \"not-an-array\"}"),
    ];
    let mut out = Vec::new();
    for (file, text) in cases {
        let dir = tmp.path().join(file.trim_end_matches(".json"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(file), text).unwrap();
        let err = dataset_dir::load(&dir).unwrap_err().to_string();
        out.push(err.replace(&tmp.path().display().to_string(), "[TMP]"));
    }
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn generated_records_round_trip_through_a_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let g = Generator::new(2_000, 11);
    let n = dataset_dir::write(tmp.path(), g.records()).unwrap();
    assert_eq!(n, 2_000 + g.units().len());
    let loaded = dataset_dir::load(tmp.path()).unwrap();
    assert_eq!(loaded, Dataset::from_records(g.records()));
    assert!(!danvan_core::validate::has_errors(&loaded.validate()));
}
