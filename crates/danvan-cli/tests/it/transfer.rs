//! `danvan import` and `danvan export`.

use std::fmt::Write as _;
use std::fs;

use danvan_core::generate::Generator;

use crate::{danvan, demo_store};

#[test]
fn export_then_import_into_another_store() {
    let tmp = demo_store();
    let out = danvan(tmp.path(), &["--store", "s", "export", "--out", "all.json"]);
    assert!(out.contains("Exported 104 records to all.json"), "{out}");
    danvan(tmp.path(), &["--store", "t", "init"]);
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "t", "import", "all.json"]), @r#"
    exit: 0
    --- stdout
    Imported 104 records (104 created, 0 updated, 0 unchanged), store revision 1
    --- stderr
    all.json:803: warning: observation yb-2024-complaints: stated: stated "trên 97%" does not match the computed 96,52% (388/402)
    "#);
    let a = danvan(tmp.path(), &["--store", "s", "export", "--format", "jsonl"]);
    let b = danvan(tmp.path(), &["--store", "t", "export", "--format", "jsonl"]);
    assert_eq!(a, b);
    let models = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "export",
            "--format",
            "jsonl",
            "--only",
            "model",
            "--province",
            "bac-kan",
            "--as-recorded",
        ],
    );
    assert_eq!(
        models
            .lines()
            .filter(|l| l.starts_with("{\"kind\":\"model\""))
            .count(),
        2,
        "{models}"
    );
}

#[test]
fn a_dry_run_writes_nothing() {
    let tmp = demo_store();
    fs::write(tmp.path().join("one.jsonl"), "{\"kind\":\"model\",\"record\":{\"id\":\"m-new\",\"name\":\"Mới\",\"province\":\"hue\",\"owning_unit\":\"Phường\",\"field\":\"other\",\"start_year\":2025}}\n").unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "import", "--dry-run", "one.jsonl"]), @r"
    exit: 0
    --- stdout
    Dry run: 1 record would be imported (1 created, 0 updated, 0 unchanged); nothing was written
    --- stderr
    ");
    assert!(danvan(tmp.path(), &["--store", "s", "model", "show", "m-new"]).starts_with("exit: 1"));
}

#[test]
fn bad_files_are_refused_naming_file_and_line() {
    let tmp = demo_store();
    fs::write(
        tmp.path().join("syntax.json"),
        "{\"models\": [\n  {\"id\": \"x\",,}\n]}",
    )
    .unwrap();
    fs::write(tmp.path().join("shape.jsonl"), "{\"kind\":\"model\",\"record\":{\"id\":\"a\",\"name\":\"A\",\"province\":\"hue\",\"owning_unit\":\"P\",\"field\":\"other\",\"start_year\":2025}}\n{\"kind\":\"model\",\"record\":{\"id\":\"b\",\"start_year\":\"x\"}}\n").unwrap();
    fs::write(tmp.path().join("data.txt"), "id,name\n").unwrap();
    let run = |args: &[&str]| danvan(tmp.path(), &[&["--store", "s", "import"], args].concat());
    insta::assert_snapshot!(run(&["syntax.json"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: syntax.json:2:14: key must be a string
    ");
    insta::assert_snapshot!(run(&["shape.jsonl"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: shape.jsonl:2: start_year: invalid type: string "x", expected i32
    "#);
    insta::assert_snapshot!(run(&["data.txt"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: data.txt: unknown format "txt"
    hint: import reads .json (an export document or a dataset), .jsonl, .csv, or a dataset directory
    "#);
}

fn jsonl(records: impl Iterator<Item = danvan_core::dataset::AnyRecord>) -> String {
    let mut out = String::new();
    for r in records {
        let _ = writeln!(out, "{}", serde_json::to_string(&r).unwrap());
    }
    out
}

/// 100,000 generated records import and validate clean; the same file with one bad row in
/// the middle imports nothing and names that row.
#[test]
fn a_large_import_is_all_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let text = jsonl(Generator::new(100_000, 5).records());
    fs::write(tmp.path().join("big.jsonl"), &text).unwrap();
    danvan(tmp.path(), &["--store", "s", "init"]);
    let out = danvan(tmp.path(), &["--store", "s", "import", "big.jsonl"]);
    assert!(
        out.contains("Imported 100000 records (100000 created"),
        "{out}"
    );
    let out = danvan(tmp.path(), &["--store", "s", "validate"]);
    assert!(
        out.starts_with("exit: 0") && out.contains("Validation: 0 errors"),
        "{out}"
    );

    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let middle = lines.len() / 2;
    // Well-formed, but wrong: more communes running the mechanism than there are.
    let bad = serde_json::json!({"kind": "observation", "record": {
        "id": "bad-row", "indicator": "one_stop_communes", "province": "thai-nguyen",
        "period": "2024", "numerator": 181, "denominator": 180}});
    lines[middle] = bad.to_string();
    fs::write(tmp.path().join("bad.jsonl"), lines.join("\n")).unwrap();
    danvan(tmp.path(), &["--store", "t", "init"]);
    let out = danvan(tmp.path(), &["--store", "t", "import", "bad.jsonl"]);
    assert!(out.starts_with("exit: 1"), "{out}");
    let line = format!(
        "bad.jsonl:{}: observation bad-row: numerator: numerator 181 is greater than the denominator 180",
        middle + 1
    );
    assert!(out.contains(&line), "expected {line:?} in {out}");
    assert!(out.contains("Nothing was imported"), "{out}");
    let after = danvan(tmp.path(), &["--store", "t", "validate"]);
    assert!(after.contains("Store t: 0 records"), "{after}");
}

/// Every kind exported to CSV with Vietnamese headers and imported in one command into an
/// empty store gives back the same records.
#[test]
fn csv_round_trip_with_vietnamese_headers() {
    let tmp = demo_store();
    let files = [
        ("indicator", "chi-tieu.csv"),
        ("directive", "van-ban.csv"),
        ("observation", "so-lieu.csv"),
        ("conference", "hoi-nghi.csv"),
        ("model", "mo-hinh.csv"),
    ];
    for (kind, file) in files {
        let out = danvan(
            tmp.path(),
            &[
                "--store",
                "s",
                "-q",
                "export",
                "--format",
                "csv",
                "--headers",
                "vi",
                "--only",
                kind,
                "--out",
                file,
            ],
        );
        assert!(out.starts_with("exit: 0"), "{out}");
    }
    let head = fs::read_to_string(tmp.path().join("so-lieu.csv")).unwrap();
    assert!(
        head.starts_with("Mã,Chỉ tiêu,Tỉnh,Đơn vị báo cáo,Cấp đơn vị,Kỳ báo cáo,Tử số,Mẫu số,"),
        "{head}"
    );
    danvan(tmp.path(), &["--store", "t", "-q", "init"]);
    let mut args = vec!["--store", "t", "import"];
    args.extend(files.iter().map(|(_, f)| *f));
    let out = danvan(tmp.path(), &args);
    assert!(out.contains("Imported 104 records (104 created"), "{out}");
    let a = danvan(tmp.path(), &["--store", "s", "export", "--format", "jsonl"]);
    let b = danvan(tmp.path(), &["--store", "t", "export", "--format", "jsonl"]);
    assert_eq!(a, b);
}

#[test]
fn bad_csv_rows_are_named_by_line_and_column() {
    let tmp = demo_store();
    let run = |args: &[&str]| danvan(tmp.path(), &[&["--store", "s", "import"], args].concat());
    fs::write(tmp.path().join("models.csv"), "id,name,province,owning_unit,field,start_year\nm1,Một,hue,Phường,economy,2024\nm2,Hai,hue,Phường,economy,năm ngoái\n").unwrap();
    insta::assert_snapshot!(run(&["models.csv"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: models.csv:3: start_year: "năm ngoái" is not a whole number
    "#);
    fs::write(
        tmp.path().join("models.csv"),
        "id,name,province,owning_unit,field,start_year\nm1,Một,hue,Phường,farming,2024\n",
    )
    .unwrap();
    insta::assert_snapshot!(run(&["models.csv"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: models.csv:2: field: unknown variant `farming`, expected one of `economy`, `culture_society`, `defence_security`, `political_system`, `other`
    ");
    fs::write(tmp.path().join("mo-hinh.csv"), "Mã,Màu sắc\nm1,đỏ\n").unwrap();
    insta::assert_snapshot!(run(&["mo-hinh.csv"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: mo-hinh.csv:1: unknown column "Màu sắc" for models; the columns are id, name, province, owning_unit, field, kind, start_year, status, recognition.date, recognition.decision, recognition.level, recognition.by, description
    "#);
    fs::write(tmp.path().join("observations.csv"), "id,indicator,province,period,numerator,denominator\no1,complaints_resolved,thai-nguyen,2024,9,4\n").unwrap();
    insta::assert_snapshot!(run(&["observations.csv"]), @r"
    exit: 1
    --- stdout
    --- stderr
    observations.csv:2: observation o1: numerator: numerator 9 is greater than the denominator 4
    Nothing was imported: 1 error in 1 record
    ");
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "export", "--format", "csv"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: a CSV file holds one kind of record
    hint: add --only KIND, e.g. --only model
    ");
}
