//! `danvan import` and `danvan export`.

use std::fmt::Write as _;
use std::fs;

use danvan_core::generate::Generator;

use crate::{danvan, danvan_in, demo_store};

#[test]
fn export_then_import_into_another_store() {
    let tmp = demo_store();
    let out = danvan(tmp.path(), &["--store", "s", "export", "--out", "all.json"]);
    assert!(out.contains("Exported 170 records to all.json"), "{out}");
    danvan(tmp.path(), &["--store", "t", "init"]);
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "t", "import", "all.json"]), @r#"
    exit: 0
    --- stdout
    Imported 170 records (170 created, 0 updated, 0 unchanged), store revision 1
    --- stderr
    all.json:793: warning: observation yb-2024-complaints: stated: stated "trên 97%" does not match the computed 96,52% (388/402)
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
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "import", "--dry-run", "one.jsonl"]), @r#"
    exit: 0
    --- stdout
      create  model  m-new  one.jsonl:1  Mới
    Dry run: 1 record would be imported (1 created, 0 updated, 0 unchanged); nothing was written
    --- stderr
    "#);
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
    hint: import reads .json (an export document or a dataset), .jsonl, .csv, .xlsx (also .xls, .ods), or a dataset directory
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
    let n = 100_000 + Generator::new(100_000, 5).units().len();
    // Counts are written as English writes them: 100,123.
    let n = format!("{},{:03}", n / 1000, n % 1000);
    assert!(
        out.contains(&format!("Imported {n} records ({n} created")),
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
        ("unit", "don-vi.csv"),
        ("indicator", "chi-tieu.csv"),
        ("directive", "van-ban.csv"),
        ("observation", "so-lieu.csv"),
        ("conference", "hoi-nghi.csv"),
        ("model", "mo-hinh.csv"),
        ("award", "khen-thuong.csv"),
        ("target", "muc-tieu.csv"),
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
    // A byte-order mark (Excel then reads UTF-8), and names beside the codes.
    assert!(
        head.starts_with(
            "\u{feff}Mã,Chỉ tiêu,Tên chỉ tiêu,Tỉnh,Tên tỉnh,Đơn vị báo cáo,Cấp đơn vị,Kỳ báo cáo,Tử số,Mẫu số,"
        ),
        "{head}"
    );
    assert!(head.contains(",thai-nguyen,Thái Nguyên,"), "{head}");
    danvan(tmp.path(), &["--store", "t", "-q", "init"]);
    let mut args = vec!["--store", "t", "import"];
    args.extend(files.iter().map(|(_, f)| *f));
    let out = danvan(tmp.path(), &args);
    assert!(out.contains("Imported 170 records (170 created"), "{out}");
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
    error: 1 problem in models.csv; nothing was imported
      models.csv:3: start_year: "năm ngoái" is not a whole number (e.g. 2024, or 1.272 for a count)
    "#);
    fs::write(
        tmp.path().join("models.csv"),
        "id,name,province,owning_unit,field,start_year\nm1,Một,hue,Phường,farming,2024\n",
    )
    .unwrap();
    insta::assert_snapshot!(run(&["models.csv"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: 1 problem in models.csv; nothing was imported
      models.csv:2: field: "farming" is not one of: economy (kinh tế), culture_society (văn hóa – xã hội), defence_security (quốc phòng – an ninh), political_system (xây dựng hệ thống chính trị), other (lĩnh vực khác)
    "#);
    fs::write(tmp.path().join("mo-hinh.csv"), "Mã,Màu sắc\nm1,đỏ\n").unwrap();
    insta::assert_snapshot!(run(&["mo-hinh.csv"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: 1 problem in mo-hinh.csv; nothing was imported
      mo-hinh.csv:1: unknown column "Màu sắc" for models; the columns are Mã (id), Tên mô hình (name), Tỉnh (province), Đơn vị xây dựng (owning_unit), Lĩnh vực (field), Loại (kind), Năm bắt đầu (start_year), Trạng thái (status), Ngày công nhận (recognition.date), Quyết định công nhận (recognition.decision), Cấp công nhận (recognition.level), Cơ quan công nhận (recognition.by), Mô tả (description)
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

/// A sheet saved by Excel where a comma is the decimal mark: a byte-order mark, CRLF line
/// ends, semicolons, Vietnamese headers, indicator and province names instead of codes, under
/// a file name that does not say the kind. Every bad row is named at its true line and nothing
/// is imported; fixed, it imports, and the dry run lists each record first.
#[test]
fn csv_as_excel_writes_it() {
    let tmp = demo_store();
    let name = "Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh được giải quyết";
    let sheet = |rows: &[&str]| {
        let mut text = String::from(
            "\u{feff}Mã;Chỉ tiêu;Tỉnh;Kỳ báo cáo;Tử số;Mẫu số;Giá trị;Tỷ lệ công bố\r\n",
        );
        for r in rows {
            text.push_str(r);
            text.push_str("\r\n");
        }
        text
    };
    let builtin = danvan_core::indicator::builtin("complaints_resolved").unwrap();
    assert_eq!(builtin.name_vi.to_string(), name, "the catalogue's name");
    fs::write(
        tmp.path().join("bao-cao-quy.csv"),
        sheet(&[
            &format!("tn-2019-dt;{name};Thái Nguyên;2019;1.272;1.337;;"),
            &format!("tn-2018-dt;{name};Thái Nguyên;2018;12x;1.337;;"),
            &format!("tn-2017-dt;{name};Thái Nguyên;2017;;;;đạt 95,1%"),
            &format!("tn-2016-dt;{name};Thái Nguyên;2016;;;chín mươi;"),
        ]),
    )
    .unwrap();
    let run = |args: &[&str]| danvan(tmp.path(), &[&["--store", "s", "import"], args].concat());
    let before = danvan(tmp.path(), &["--store", "s", "validate"]);
    insta::assert_snapshot!(run(&["bao-cao-quy.csv"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: bao-cao-quy.csv: which kind of record does it hold?
    hint: pass --kind (conference, directive, model, indicator, observation), or name the file after its kind: conferences.csv, directives.csv, models.csv, indicators.csv, observations.csv (or hoi-nghi, van-ban, mo-hinh, chi-tieu, so-lieu)
    "#);
    insta::assert_snapshot!(run(&["--kind", "observation", "bao-cao-quy.csv"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: 2 problems in bao-cao-quy.csv; nothing was imported
      bao-cao-quy.csv:3: Tử số (numerator): "12x" is not a whole number (e.g. 2024, or 1.272 for a count)
      bao-cao-quy.csv:5: Giá trị (value): "chín mươi" is not a number (e.g. 98,66 or 1.272)
    "#);
    assert_eq!(danvan(tmp.path(), &["--store", "s", "validate"]), before);
    fs::write(
        tmp.path().join("bao-cao-quy.csv"),
        sheet(&[
            &format!("tn-2019-dt;{name};Thái Nguyên;2019;1.272;1.337;;"),
            &format!("tn-2017-dt;{name};Thái Nguyên;2017;;;;đạt 95,1%"),
        ]),
    )
    .unwrap();
    insta::assert_snapshot!(run(&["--kind", "observation", "--dry-run", "bao-cao-quy.csv"]), @r#"
    exit: 0
    --- stdout
      create  observation  tn-2019-dt  bao-cao-quy.csv:2  Thái Nguyên — Complaints and petitions resolved — 2019: 1.272/1.337 (95,14%)
      create  observation  tn-2017-dt  bao-cao-quy.csv:3  Thái Nguyên — Complaints and petitions resolved — 2017: “đạt 95,1%”
    Dry run: 2 records would be imported (2 created, 0 updated, 0 unchanged); nothing was written
    --- stderr
    "#);
    let out = run(&["--kind", "observation", "bao-cao-quy.csv"]);
    assert!(out.contains("Imported 2 records (2 created"), "{out}");
    let shown = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "--json",
            "observation",
            "show",
            "tn-2019-dt",
        ],
    );
    assert!(shown.contains("\"numerator\": 1272"), "{shown}");
    assert!(
        shown.contains("\"indicator\": \"complaints_resolved\""),
        "{shown}"
    );
    assert!(shown.contains("\"province\": \"thai-nguyen\""), "{shown}");
}

/// Every kind exported to one workbook (a sheet each, Vietnamese headers) and imported into an
/// empty store gives back the same records; an English one too.
#[test]
fn xlsx_round_trip() {
    let tmp = demo_store();
    for (headers, file) in [("vi", "du-lieu.xlsx"), ("en", "data.xlsx")] {
        let out = danvan(
            tmp.path(),
            &[
                "--store",
                "s",
                "export",
                "--format",
                "xlsx",
                "--headers",
                headers,
                "--out",
                file,
            ],
        );
        assert!(out.contains("Exported 170 records"), "{out}");
        let store = format!("t-{headers}");
        danvan(tmp.path(), &["--store", &store, "-q", "init"]);
        let out = danvan(tmp.path(), &["--store", &store, "import", file]);
        assert!(out.contains("Imported 170 records (170 created"), "{out}");
        let a = danvan(tmp.path(), &["--store", "s", "export", "--format", "jsonl"]);
        let b = danvan(
            tmp.path(),
            &["--store", &store, "export", "--format", "jsonl"],
        );
        assert_eq!(a, b, "{headers}");
    }
    let out = danvan(tmp.path(), &["--store", "s", "export", "--format", "xlsx"]);
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(out.contains("add --out FILE.xlsx"), "{out}");
}

/// A workbook as an office fills it in: numbers typed as numbers or as Vietnamese text, a
/// sheet of notes with no records; a bad cell is named by sheet and cell, and nothing is
/// imported.
#[test]
fn xlsx_problems_name_sheet_and_cell() {
    let tmp = demo_store();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Số liệu 6 tháng").unwrap();
    for (c, h) in ["Mã", "Chỉ tiêu", "Tỉnh", "Kỳ báo cáo", "Tử số", "Mẫu số"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows: [[&str; 6]; 2] = [
        [
            "tn-2019-dt",
            "complaints_resolved",
            "Thái Nguyên",
            "2019",
            "",
            "1.337",
        ],
        [
            "tn-2018-dt",
            "complaints_resolved",
            "Thái Nguyên",
            "2018",
            "một nghìn",
            "1.337",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *cell).unwrap();
        }
    }
    sheet.write_number(1, 4, 1272.0).unwrap();
    book.add_worksheet().set_name("Ghi chú").unwrap();
    book.save(tmp.path().join("bao-cao.xlsx")).unwrap();
    let before = danvan(tmp.path(), &["--store", "s", "validate"]);
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "import", "bao-cao.xlsx"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: 1 problem in bao-cao.xlsx; nothing was imported
      bao-cao.xlsx: sheet "Số liệu 6 tháng", E3: Tử số (numerator): "một nghìn" is not a whole number (e.g. 2024, or 1.272 for a count)
    "#);
    assert_eq!(danvan(tmp.path(), &["--store", "s", "validate"]), before);
}

/// The cells of a CSV file, read plainly.
fn csv_cells(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    r.records()
        .flat_map(|row| row.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// Whether a spreadsheet would take `cell` for a formula: it starts with `= + - @`, a tab or a
/// carriage return and is not a plain number.
fn formula_like(cell: &str) -> bool {
    let number = cell
        .trim_start_matches(['-', '+'])
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
        && cell.chars().any(|c| c.is_ascii_digit());
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !number
}

/// `danvan --store s ARGS` in `dir`, which must succeed.
fn ok(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["--store", "s"];
    all.extend_from_slice(args);
    let out = danvan(dir, &all);
    assert!(out.starts_with("exit: 0"), "{args:?}: {out}");
    out
}

/// A demo store holding text typed as formulas (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`, `-2+3`,
/// a tab then `=`) in a model, a board's own indicator and an observation.
fn store_with_formulas() -> tempfile::TempDir {
    let tmp = demo_store();
    let dir = tmp.path();
    let run = |args: &[&str]| ok(dir, args);
    run(&[
        "model",
        "add",
        "--id",
        "tn-2026-cong-thuc",
        "--name",
        "=HYPERLINK(\"http://evil.example\",\"Bấm\")",
        "--province",
        "Thái Nguyên",
        "--unit",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "--field",
        "kinh tế",
        "--year",
        "2026",
    ]);
    run(&[
        "indicator",
        "add",
        "--id",
        "hop_thu",
        "--name",
        "+cmd|' /C notepad'!A0",
        "--name-en",
        "Suggestion boxes",
        "--unit=-2+3",
        "--measure",
        "count",
        "--direction",
        "càng cao càng tốt",
    ]);
    run(&[
        "observation",
        "add",
        "--id",
        "tn-2026-hop-thu",
        "--indicator",
        "hop_thu",
        "--province",
        "Thái Nguyên",
        "--period",
        "2026",
        "--figure",
        "12",
        "--set=note=	=1+1",
    ]);
    tmp
}

/// Text typed as formulas is written to every CSV file danvan makes (exports in either
/// language, the report's indicator table) so that a spreadsheet shows it as text and never
/// runs it (OWASP's CSV injection), and it reads back exactly as typed.
#[test]
fn formulas_typed_as_text_are_never_run_from_a_csv_file() {
    let tmp = store_with_formulas();
    let dir = tmp.path();
    let run = |args: &[&str]| ok(dir, args);
    for (kind, file) in [
        ("model", "mo-hinh.csv"),
        ("indicator", "chi-tieu.csv"),
        ("observation", "so-lieu.csv"),
    ] {
        for headers in ["vi", "en"] {
            run(&[
                "export",
                "--format",
                "csv",
                "--only",
                kind,
                "--headers",
                headers,
                "--out",
                file,
            ]);
            let cells = csv_cells(&std::fs::read(dir.join(file)).unwrap());
            assert!(
                cells.iter().any(|c| c.starts_with("'")),
                "{kind}: nothing neutralised in {cells:?}"
            );
            let bad: Vec<&String> = cells.iter().filter(|c| formula_like(c)).collect();
            assert!(bad.is_empty(), "{kind} {headers}: {bad:?}");
            // Read back, every record is as stored.
            let out = run(&["import", "--dry-run", file]);
            assert!(
                out.contains("(0 created, 0 updated"),
                "{kind} {headers}: {out}"
            );
        }
    }
    // The report's indicator table.
    run(&[
        "report",
        "--province",
        "Thái Nguyên",
        "--period",
        "2026",
        "--format",
        "csv",
        "--out",
        "bang.csv",
    ]);
    let cells = csv_cells(&std::fs::read(dir.join("bang.csv")).unwrap());
    assert!(
        cells.iter().any(|c| c == "'+cmd|' /C notepad'!A0"),
        "{cells:?}"
    );
    assert!(cells.iter().all(|c| !formula_like(c)), "{cells:?}");
}

/// A workbook marks such cells as text (Excel's quote prefix), and reads back exactly.
#[test]
fn formulas_typed_as_text_are_never_run_from_a_workbook() {
    let tmp = store_with_formulas();
    let dir = tmp.path();
    let run = |args: &[&str]| ok(dir, args);
    run(&["export", "--format", "xlsx", "--out", "du-lieu.xlsx"]);
    let mut book =
        zip::ZipArchive::new(std::fs::File::open(dir.join("du-lieu.xlsx")).unwrap()).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut book.by_name("xl/styles.xml").unwrap(), &mut styles)
        .unwrap();
    assert!(styles.contains("quotePrefix=\"1\""), "{styles}");
    let out = run(&["import", "--dry-run", "du-lieu.xlsx"]);
    assert!(out.contains("(0 created, 0 updated"), "{out}");
}

/// DHIS2 and ADX through the CLI: the 2024 figures out as ADX and back (unchanged), a payload
/// with problems refused naming the file and where, a mapping needed and asked for.
#[test]
fn figures_go_to_dhis2_and_adx_and_come_back() {
    let tmp = demo_store();
    let mapping = crate::root().join("fixtures/exchange/mapping.toml");
    let mapping = mapping.to_str().unwrap();
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "export",
            "--format",
            "adx",
            "--mapping",
            mapping,
            "--period",
            "2024",
            "--out",
            "so-lieu.adx.xml",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(
        out.contains("Exported the figures as ADX to so-lieu.adx.xml"),
        "{out}"
    );
    let back = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "import",
            "--format",
            "adx",
            "--mapping",
            mapping,
            "so-lieu.adx.xml",
        ],
    );
    assert!(back.starts_with("exit: 0"), "{back}");
    assert!(back.contains("0 created, 0 updated"), "{back}");

    std::fs::write(
        tmp.path().join("bad.json"),
        r#"{"dataValues": [{"dataElement": "DV_DIALOGUES_HELD", "period": "2025W2", "orgUnit": "VN_TN", "value": "3"}]}"#,
    )
    .unwrap();
    let bad = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "import",
            "--format",
            "dhis2",
            "--mapping",
            mapping,
            "--dry-run",
            "bad.json",
        ],
    );
    assert!(bad.starts_with("exit: 1"), "{bad}");
    assert!(
        bad.contains(
            "bad.json: dataValues[0].period: period \"2025W2\" (weekly) has no danvan form"
        ),
        "{bad}"
    );
    let everything = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "export",
            "--format",
            "dhis2",
            "--mapping",
            mapping,
        ],
    );
    assert!(everything.starts_with("exit: 1"), "{everything}");
    assert!(
        everything.contains("observation lc-2025-grassroots-democracy"),
        "{everything}"
    );
    let unmapped = danvan(tmp.path(), &["--store", "s", "export", "--format", "dhis2"]);
    assert!(unmapped.contains("add --mapping FILE.toml"), "{unmapped}");
}

#[test]
fn a_template_to_fill_and_figures_without_ids_imported_twice_change_nothing() {
    let tmp = demo_store();
    let dir = tmp.path();
    let run = |args: &[&str]| danvan_in("vi", dir, &[&["--store", "s"], args].concat());
    let out = run(&["import", "--template", "mau.xlsx"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(
        out.contains("Đã ghi mẫu nhập số liệu vào mau.xlsx"),
        "{out}"
    );
    assert!(
        std::fs::read(dir.join("mau.xlsx"))
            .unwrap()
            .starts_with(b"PK")
    );
    // The template, unfilled, holds no record: its guide and lists are passed over.
    let out = run(&["import", "mau.xlsx", "--dry-run"]);
    assert!(out.contains("sẽ nhập 0 bản ghi"), "{out}");
    // Figures without an ID: made from what each row holds, so a second import of the same
    // file updates nothing and adds no copy.
    std::fs::write(
        dir.join("so-lieu.csv"),
        "Chỉ tiêu;Tỉnh;Đơn vị báo cáo;Cấp đơn vị;Kỳ báo cáo;Giá trị\n\
         dialogues_held;Thái Nguyên;huyện Định Hóa;huyện;6 tháng đầu năm 2025;12\n",
    )
    .unwrap();
    let dry = run(&["import", "so-lieu.csv", "--dry-run"]);
    assert!(
        dry.contains("so-lieu.csv:2  huyện Định Hóa, Thái Nguyên — Hội nghị đối thoại"),
        "{dry}"
    );
    assert!(dry.contains("6 tháng đầu năm 2025: 12"), "{dry}");
    let first = run(&["import", "so-lieu.csv"]);
    assert!(first.contains("1 tạo mới"), "{first}");
    let again = run(&["import", "so-lieu.csv"]);
    assert!(
        again.contains("0 tạo mới, 0 cập nhật, 1 không đổi"),
        "{again}"
    );
}
