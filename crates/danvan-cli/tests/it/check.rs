//! `danvan check`: the demo summary, and the error paths.

use std::fs;

use crate::{danvan, root};

#[test]
fn demo_summary() {
    insta::assert_snapshot!(danvan(
        &root(),
        &["check", "fixtures/demo", "--as-of", "2026-11-22"]
    ));
}

#[test]
fn a_wider_window_lists_more_reviews() {
    let out = danvan(
        &root(),
        &[
            "check",
            "fixtures/demo",
            "--as-of",
            "2026-11-22",
            "--within",
            "24",
        ],
    );
    assert!(
        out.contains("Reviews due as of 2026-11-22 (within 24 months): 10"),
        "{out}"
    );
}

#[test]
fn invalid_records_exit_1_with_every_problem() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("observations.json"),
        r#"[{"id": "o1", "indicator": "complaints_resolved", "province": "bac-kan", "period": "2026", "numerator": 5, "denominator": 4}]"#,
    )
    .unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["check", ".", "--as-of", "2026-01-01"]), @r"
    exit: 1
    --- stdout
    Dataset .: 1 records
      indicators         0 (and 20 built in)
      directives         0
      observations       1
      conferences        0
      models             0
      units              0
    Provinces: 0 ()
    Validation: 2 errors, 0 warnings
      observation o1
        error: numerator: numerator 5 is greater than the denominator 4
        error: province: Bắc Kạn does not exist on 2026-01-01: it was merged into Thái Nguyên after 2025-06-30
    Reviews due as of 2026-01-01 (within 6 months): 0
    --- stderr
    ");
}

#[test]
fn bad_json_exits_4_naming_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("models.json"), "[\n  {\"id\": \"m1\",,}\n]").unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["check", "."]), @r"
    exit: 4
    --- stdout
    --- stderr
    error: ./models.json:2:15: key must be a string
    hint: fix the file at that position and run the command again
    ");
}

#[test]
fn missing_directory_and_bad_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["check", "no-such-dir"]), @r"
    exit: 4
    --- stdout
    --- stderr
    error: no-such-dir: no such directory
    hint: give the path of a dataset directory such as fixtures/demo
    ");
    insta::assert_snapshot!(danvan(tmp.path(), &["check", ".", "--as-of", "12/6/2024"]), @r"
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '12/6/2024' for '--as-of <DATE>': input contains invalid characters

    For more information, try '--help'.
    ");
}

#[test]
fn a_province_merged_into_a_namesake_shows_no_arrow() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("directives.json"),
        r#"[{"id": "ag", "number": "01-CT/TU", "doc_type": "directive", "issuer": "Tỉnh ủy An Giang",
             "title": "Chỉ thị", "issued_on": "2021-01-05", "province": "an-giang",
             "phase": {"start_year": 2021, "end_year": 2025},
             "milestones": [{"kind": "mid_term", "due": "2023"}]},
            {"id": "kg", "number": "02-CT/TU", "doc_type": "directive", "issuer": "Tỉnh ủy Kiên Giang",
             "title": "Chỉ thị", "issued_on": "2021-01-05", "province": "kien-giang",
             "phase": {"start_year": 2021, "end_year": 2025},
             "milestones": [{"kind": "mid_term", "due": "2023"}]}]"#,
    )
    .unwrap();
    let out = danvan(tmp.path(), &["check", ".", "--as-of", "2026-01-01"]);
    assert!(
        out.contains("Chỉ thị 01-CT/TU  sơ kết  An Giang  "),
        "{out}"
    );
    assert!(out.contains("Kiên Giang → An Giang"), "{out}");
}
