//! The commands that work on a store: init, validate, due, search; and the registry look-ups.

use std::fs;

use crate::{danvan, demo_store};

#[test]
fn init_with_demo_data_then_validate() {
    let tmp = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "init", "--demo"]), @r#"
    exit: 0
    --- stdout
    Created a danvan store at s
    Imported 170 records from the demo dataset (1 warning), store revision 1
    --- stderr
    "#);
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "validate"]), @r#"
    exit: 0
    --- stdout
    Store s: 170 records, revision 1
    Validation: 0 errors, 1 warning
      observation yb-2024-complaints
        warning: stated: stated "trên 97%" does not match the computed 96,52% (388/402)
    --- stderr
    "#);
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "init"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: s already holds a danvan store
    ");
}

#[test]
fn the_store_comes_from_the_flag_then_the_environment_then_the_default() {
    let tmp = tempfile::tempdir().unwrap();
    // No flag, no variable: ./danvan-data.
    let out = danvan(tmp.path(), &["init"]);
    assert!(
        out.contains("Created a danvan store at danvan-data"),
        "{out}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_danvan"))
        // Written against the English messages (the Vietnamese ones have their own tests).
        .env("DANVAN_LANG", "en")
        .args(["validate"])
        .current_dir(tmp.path())
        .env("DANVAN_STORE", "elsewhere")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no danvan store at elsewhere"));
}

#[test]
fn a_missing_store_exits_4_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "nowhere", "validate"]), @r"
    exit: 4
    --- stdout
    --- stderr
    error: no danvan store at nowhere: create one first
    hint: pass --store DIR or set DANVAN_STORE to use another store; `danvan init --demo` creates one with demo data
    ");
}

#[test]
fn validate_exits_1_listing_every_problem_of_an_old_store() {
    // A format-1 store (one file per kind) with a bad record: opening migrates it, validation
    // reports the record.
    let tmp = tempfile::tempdir().unwrap();
    let s = tmp.path().join("old");
    fs::create_dir(&s).unwrap();
    fs::write(
        s.join("danvan-store.json"),
        r#"{"format": "danvan-store", "version": 1}"#,
    )
    .unwrap();
    fs::write(
        s.join("observations.json"),
        r#"[{"id": "o1", "indicator": "complaints_resolved", "province": "thai-nguyen", "period": "2024", "numerator": 9, "denominator": 4}]"#,
    )
    .unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "old", "validate"]), @r"
    exit: 1
    --- stdout
    Store old: 1 record, revision 1
    Validation: 1 error, 0 warnings
      observation o1
        error: numerator: numerator 9 is greater than the denominator 4
    --- stderr
    ");
    assert!(s.join("backups").is_dir());
}

#[test]
fn due_groups_reviews_by_current_province() {
    let tmp = demo_store();
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "due", "--as-of", "2026-11-22"]), @r"
    exit: 0
    --- stdout
    Reviews as of 22/11/2026, looking to 22/5/2027: 4 overdue, 3 falling due

    Cần Thơ
      due  15/12/2026  Chỉ thị 02-CT/TU  kiểm tra việc thực hiện  in 23 days

    Huế
      due  31/12/2026  Kế hoạch 08-KH/TU  sơ kết năm 2026  in 39 days

    Lào Cai
      overdue  31/12/2023  Nghị quyết 25-NQ/TW  sơ kết 10 năm   1,057 days late
      overdue  31/12/2025  Nghị quyết 03-NQ/TU  tổng kết 5 năm  326 days late

    Thái Nguyên
      overdue  30/11/2025  Đề án 05-ĐA/TU          tổng kết 5 năm  357 days late
      overdue  31/12/2025  Kế hoạch 31-KH/BDVTU    tổng kết        326 days late
      due      31/12/2027  Kế hoạch 12-KH/BTGDVTU  sơ kết 2 năm    in 404 days
    --- stderr
    ");
    let json = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "--json",
            "due",
            "--as-of",
            "2026-11-22",
            "--within",
            "30d",
        ],
    );
    assert!(
        json.contains(r#""state": "overdue""#) && json.contains(r#""days_late": 357"#),
        "{json}"
    );
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "due", "--within", "6w"]), @r#"
    exit: 2
    --- stdout
    --- stderr
    error: invalid value '6w' for '--within <SPAN>': "6w" has an unknown unit "w": use m, y or d

    For more information, try '--help'.
    "#);
}

#[test]
fn search_is_insensitive_to_diacritics_and_shows_the_field() {
    let tmp = demo_store();
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "search", "trieu duc long"]), @r#"
    exit: 0
    --- stdout
    1 of 1 records match "trieu duc long"
      conference  bk-2024-doi-thoai  chairs[0].name: Triệu Đức Long
    --- stderr
    "#);
    let a = danvan(
        tmp.path(),
        &["--store", "s", "search", "khánh hoà", "--kind", "model"],
    );
    let b = danvan(
        tmp.path(),
        &["--store", "s", "search", "KHANH HOA", "--kind", "model"],
    );
    assert_eq!(a.replace("khánh hoà", "q"), b.replace("KHANH HOA", "q"));
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "search", "không có gì như vậy"]), @r#"
    exit: 0
    --- stdout
    0 of 0 records match "không có gì như vậy"
    --- stderr
    "#);
}

#[test]
fn doc_number_explains_or_says_what_was_expected() {
    let tmp = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["doc-number", "9/2019/ND-CP"]), @r"
    exit: 0
    --- stdout
    canonical: 09/2019/NĐ-CP
    form:      state legal document (NUMBER/YEAR/TYPE-ISSUER)
    number:    9
    year:      2019
    type:      NĐ (Nghị định, Decree)
    issuer:    CP
    --- stderr
    ");
    insta::assert_snapshot!(danvan(tmp.path(), &["doc-number", "123-QĐ/TW"]), @r"
    exit: 0
    --- stdout
    canonical: 123-QĐ/TW
    form:      party document (NUMBER-TYPE/ISSUER), numbered within a committee term
    number:    123
    type:      QĐ (ambiguous or unknown: store the document's type on its own)
    issuer:    TW
    --- stderr
    ");
    insta::assert_snapshot!(danvan(tmp.path(), &["--json", "doc-number", "Số: 05 - DA/TU"]), @r#"
    exit: 0
    --- stdout
    {
      "input": "Số: 05 - DA/TU",
      "canonical": "05-ĐA/TU",
      "form": "party",
      "number": 5,
      "type_code": "ĐA",
      "suggested_type": "scheme",
      "issuer": "TU"
    }
    --- stderr
    "#);
    insta::assert_snapshot!(danvan(tmp.path(), &["doc-number", "NQ/TU"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: in "NQ/TU" at position 1: expected the document's number (digits), found 'N'
    hint: party numbers look like 04-NQ/TU, state ones like 1666/QĐ-BHXH or 09/2019/NĐ-CP
    "#);
}

#[test]
fn provinces_before_and_after_the_merger() {
    let tmp = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(
        "provinces_2025_06_30",
        danvan(tmp.path(), &["provinces", "--at", "2025-06-30"])
    );
    insta::assert_snapshot!(
        "provinces_2025_07_01",
        danvan(tmp.path(), &["provinces", "--at", "2025-07-01"])
    );
}

#[test]
fn a_locked_store_exits_4_after_the_lock_timeout() {
    let tmp = demo_store();
    // Another process's write lock: a separate open of the lock file, held exclusively.
    let lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(tmp.path().join("s/lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "--lock-timeout",
            "0.2",
            "model",
            "delete",
            "hn-2018-tiep-dan",
        ],
    );
    lock.unlock().unwrap();
    let out = out.split(" (waited").next().unwrap().to_string();
    insta::assert_snapshot!(out, @r"
    exit: 4
    --- stdout
    --- stderr
    error: the store at s is locked by another process
    ");
}

#[test]
fn quiet_prints_only_results_and_errors() {
    let tmp = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "-q", "init", "--demo"]), @r"
    exit: 0
    --- stdout
    --- stderr
    ");
    let out = danvan(tmp.path(), &["--store", "s", "-v", "validate"]);
    assert!(out.contains("store: s") && out.contains("took "), "{out}");
}

#[test]
fn completions_and_man_page_come_from_the_command_definitions() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = danvan(tmp.path(), &["completions", shell]);
        assert!(
            out.starts_with("exit: 0") && out.contains("doc-number"),
            "{shell}: {out}"
        );
    }
    let man = danvan(tmp.path(), &["man"]);
    assert!(
        man.contains(".TH danvan 1") && man.contains("doc\\-number"),
        "{man}"
    );
}

/// No input makes the binary panic: random argument lists built from its own vocabulary and
/// from garbage, checked for a documented exit code and no panic message.
#[test]
fn no_input_makes_it_panic() {
    let tmp = demo_store();
    let words = [
        "init",
        "validate",
        "due",
        "search",
        "doc-number",
        "provinces",
        "check",
        "import",
        "export",
        "conference",
        "directive",
        "model",
        "indicator",
        "observation",
        "add",
        "show",
        "list",
        "update",
        "delete",
        "--set",
        "--from",
        "--json",
        "--store",
        "s",
        "--within",
        "--as-of",
        "--at",
        "--period",
        "--province",
        "--limit",
        "--cursor",
        "--cascade",
        "--if-revision",
        "--sort",
        "-q",
        "-v",
        "-",
        "",
        "0",
        "-1",
        "99999999999999999999",
        "2024S3",
        "x=y",
        "=",
        "id=",
        "a.b.c=1",
        "Số: 05-DA/TU",
        "tỉnh Bắc Kạn",
        "\u{1}\t",
        "../..",
        "🙂",
        "title",
        "2025-02-30",
        "hn-2018-tiep-dan",
        "1y",
        "6w",
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..150 {
        let len = 1 + next(6);
        let args: Vec<String> = (0..len)
            .map(|_| words[next(words.len())].to_string())
            .collect();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = danvan(tmp.path(), &refs);
        let code: i32 = out
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("exit: ")
            .parse()
            .unwrap_or(-1);
        assert!(
            [0, 1, 2, 3, 4].contains(&code) && !out.contains("panicked"),
            "{args:?}\n{out}"
        );
    }
}

#[test]
fn report_writes_the_draft_or_its_figures() {
    let tmp = demo_store();
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "report",
            "--province",
            "Thái Nguyên",
            "--period",
            "6 tháng đầu năm 2024",
            "--date",
            "2024-06-28",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(
        out.contains("*Thái Nguyên, ngày 28 tháng 6 năm 2024*"),
        "{out}"
    );
    assert!(
        out.contains("## Sơ kết công tác dân vận 6 tháng đầu năm 2024"),
        "{out}"
    );
    // Dated 28/6/2024, the report is on that date's map: Thái Nguyên
    // without Bắc Kạn, which joined it on 1/7/2025.
    assert!(out.contains("1.272/1.337 (95,14%)"), "{out}");
    assert!(!out.contains("1.682/1.773"), "{out}");
    let json = danvan(
        tmp.path(),
        &["--store", "s", "--json", "report", "--period", "2024"],
    );
    assert!(
        json.contains("\"not_reporting\"") && json.contains("\"period\": \"2024\""),
        "{json}"
    );
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "report", "--period", "hôm qua"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: "hôm qua" is not a period phrase: expected e.g. "6 tháng đầu năm 2024", "năm 2022", "quý I năm 2024", "tháng 6 năm 2024", "giai đoạn 2016 - 2021" or "nhiệm kỳ 2020 - 2025"
    "#);
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "report", "--period", "2024", "--province", "Atlantis"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: unknown province "Atlantis": use a slug such as "thai-nguyen" or a name
    "#);
}

#[test]
fn report_formats_follow_the_flag_or_the_file_extension() {
    let tmp = demo_store();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--store",
            "s",
            "report",
            "--province",
            "thai-nguyen",
            "--period",
            "2024",
            "--date",
            "2025-01-10",
        ];
        args.extend_from_slice(extra);
        let out = danvan(tmp.path(), &args);
        assert!(out.starts_with("exit: 0"), "{out}");
        out
    };
    // From the extension: HTML and DOCX files.
    run(&["--out", "r.html"]);
    let html = std::fs::read_to_string(tmp.path().join("r.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
    run(&["--out", "r.docx", "--lang", "en"]);
    let docx = std::fs::read(tmp.path().join("r.docx")).unwrap();
    assert!(docx.starts_with(b"PK\x03\x04"), "a ZIP package");
    // No partial file is left beside them.
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The flag wins over the extension; CSV to standard output.
    let csv = run(&["--format", "csv", "--lang", "en"]);
    assert!(
        csv.contains("one_stop_departments,Departments running the one-stop mechanism,\"sở, ngành\",ratio,19,20,95.00"),
        "{csv}"
    );
    let english = run(&["--lang", "en"]);
    assert!(
        english.contains("## Annual review of mass mobilisation work, 2024"),
        "{english}"
    );
    let national = run(&["--order", "value", "--format", "markdown"]);
    assert!(national.contains("BÁO CÁO"), "{national}");
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "report", "--period", "2024", "--format", "pdf"]), @r#"
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'pdf' for '--format <FORMAT>'
      [possible values: markdown, html, docx, json, csv]

    For more information, try '--help'.
    "#);
}

#[test]
fn report_explain_shows_each_figure_with_its_records() {
    let tmp = demo_store();
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "report",
            "--province",
            "thai-nguyen",
            "--period",
            "2024",
            "--explain",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    // Bắc Kạn's and Thái Nguyên's observations, each with its figure, and their sum.
    assert!(
        out.contains("bk-2024-one-stop-departments (bac-kan, năm 2024): 18/19"),
        "{out}"
    );
    assert!(
        out.contains("tn-2024-one-stop-departments (thai-nguyen, năm 2024): 19/20"),
        "{out}"
    );
    assert!(out.contains("= 37/39 = 94.87%"), "{out}");
    // --explain replaces the report: it takes no output file.
    let refused = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "report",
            "--period",
            "2024",
            "--explain",
            "--out",
            "x.md",
        ],
    );
    assert!(refused.starts_with("exit: 2"), "{refused}");
}

#[test]
fn a_deleted_shard_fails_validate_and_repair_restores_it_from_the_journal() {
    let tmp = crate::demo_store();
    let shard = tmp.path().join("s/records/models/ha-noi/2018.json");
    assert!(shard.exists(), "the demo store has its shards written");
    let before = std::fs::read(&shard).unwrap();
    std::fs::remove_file(&shard).unwrap();
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "validate"]), @r#"
    exit: 4
    --- stdout
    --- stderr
    error: s/records/models/ha-noi/2018.json: the shard is missing: its 1 records are gone unless the file is restored from a backup, or `danvan repair` finds them in the journals kept
    hint: restore the file from a backup, or run `danvan repair --dry-run` to see what repair would keep and what is lost; nothing was written
    "#);
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "repair", "--dry-run"]), @r#"
    exit: 0
    --- stdout
    s/records/models/ha-noi/2018.json
      found: the shard is missing
      would be restored exactly from the journals (1 records, the checkpoint's checksum)
    Nothing was changed (--dry-run).
    --- stderr
    "#);
    // A clerk reads the same in Vietnamese: the store's account of its files is quoted as it
    // gives it.
    let vi = crate::danvan_in("vi", tmp.path(), &["--store", "s", "repair", "--dry-run"]);
    assert!(
        vi.contains("  thấy: the shard is missing") && vi.contains("Chưa thay đổi gì (--dry-run)."),
        "{vi}"
    );
    let repaired = danvan(tmp.path(), &["--store", "s", "repair"]);
    assert!(
        repaired.starts_with("exit: 0"),
        "nothing was lost: {repaired}"
    );
    assert!(
        !repaired.contains("were copied"),
        "no file was changed, only the missing one written: {repaired}"
    );
    assert!(repaired.contains("The store opens again."), "{repaired}");
    assert_eq!(
        std::fs::read(&shard).unwrap(),
        before,
        "the very bytes it held"
    );
    let after = danvan(tmp.path(), &["--store", "s", "validate"]);
    assert!(after.starts_with("exit: 0"), "{after}");
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "repair"]), @r#"
    exit: 0
    --- stdout
    Store s: no damage found; nothing to repair.
    --- stderr
    "#);
    let vi = crate::danvan_in("vi", tmp.path(), &["--store", "s", "repair"]);
    assert!(
        vi.contains("Kho s: không thấy hư hỏng; không có gì phải sửa."),
        "{vi}"
    );
}

/// The output with its RFC 3339 timestamps replaced, for a stable snapshot.
fn without_times(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            let looks_like_time =
                w.len() >= 20 && w.as_bytes()[4] == b'-' && w.contains('T') && w.ends_with('Z');
            if looks_like_time { "[TIME]" } else { w }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn history_and_changes_say_who_changed_what_and_why() {
    let tmp = crate::demo_store();
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "--actor",
            "Nguyễn Thị Lan",
            "--reason",
            "theo Báo cáo số 115-BC/TU",
            "model",
            "update",
            "hn-2018-tiep-dan",
            "--set",
            "name=Tiếp dân cuối tuần",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    let history = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "--actor",
            "clerk",
            "model",
            "history",
            "hn-2018-tiep-dan",
        ],
    );
    insta::assert_snapshot!(without_times(&history), @r#"
    exit: 0
    --- stdout
    revision 1  [TIME]  created by tester — nhập bộ dữ liệu mẫu (demo)
      field: — → "political_system"
      id: — → "hn-2018-tiep-dan"
      kind: — → "collective"
      name: — → "Tiếp dân, đối thoại trực tuyến định kỳ"
      owning_unit: — → "Ủy ban nhân dân quận Ba Đình"
      province: — → "ha-noi"
      recognition: — → {"by":"Thành ủy Hà Nội","date":"2019-12-20","level":"cấp tỉ…
      start_year: — → 2018
      status: — → "effective"
    revision 2  [TIME]  updated by Nguyễn Thị Lan — theo Báo cáo số 115-BC/TU
      name: "Tiếp dân, đối thoại trực tuyến định kỳ" → "Tiếp dân cuối tuần"
    --- stderr
    "#);
    let changes = danvan(tmp.path(), &["--store", "s", "changes", "--since", "1"]);
    insta::assert_snapshot!(without_times(&changes), @r#"
    exit: 0
    --- stdout
         2  [TIME]  updated model hn-2018-tiep-dan  by Nguyễn Thị Lan — theo Báo cáo số 115-BC/TU
    --- stderr
    "#);
    let none = danvan(tmp.path(), &["--store", "s", "changes", "--since", "2"]);
    insta::assert_snapshot!(none, @r#"
    exit: 0
    --- stdout
    No changes after 2 (the store is at revision 2).
    --- stderr
    "#);
}

/// `danvan calendar` writes the work calendar a calendar app imports: the province's events
/// (Bắc Kạn's among Thái Nguyên's), read back by an iCalendar parser; an unknown province is
/// named.
#[test]
fn calendar_writes_an_icalendar_file_for_a_province() {
    use icalendar::{Calendar, CalendarComponent, Component};
    let tmp = demo_store();
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "calendar",
            "--province",
            "thai nguyen",
            "--out",
            "lich.ics",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(out.contains("events to lich.ics"), "{out}");
    let text = fs::read_to_string(tmp.path().join("lich.ics")).unwrap();
    let calendar: Calendar = text.parse().unwrap();
    let summaries: Vec<String> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => e.get_summary().map(String::from),
            _ => None,
        })
        .collect();
    assert!(
        summaries.contains(
            &"Hội nghị đối thoại giữa Bí thư Tỉnh ủy với nông dân tỉnh Bắc Kạn".to_string()
        ),
        "{summaries:#?}"
    );
    assert!(summaries.contains(&"Hạn tổng kết 5 năm Đề án 05-ĐA/TU".to_string()));
    let stdout = danvan(tmp.path(), &["--store", "s", "calendar", "--lang", "en"]);
    assert!(
        stdout.contains("X-WR-CALNAME:Dân vận work calendar — national"),
        "{stdout}"
    );
    let unknown = danvan(
        tmp.path(),
        &["--store", "s", "calendar", "--province", "atlantis"],
    );
    assert!(unknown.starts_with("exit: 1"), "{unknown}");
    assert!(
        unknown.contains("--province: unknown province \"atlantis\""),
        "{unknown}"
    );
}

/// The report checker is the user's: `danvan report` says what it found — where, what and
/// why, in the reader's language — before anyone signs, and `--strict` refuses to write a
/// report it finds anything in. Here a clerk typed a word twice in a conference's shortcoming,
/// which the report quotes.
#[test]
fn danvan_report_prints_the_checkers_findings_and_strict_refuses_to_write() {
    let tmp = crate::demo_store();
    let report = |extra: &[&str], lang: &str| {
        let mut args = vec![
            "--store",
            "s",
            "report",
            "--period",
            "2024",
            "--province",
            "thai-nguyen",
            "--date",
            "2025-01-10",
        ];
        args.extend_from_slice(extra);
        crate::danvan_in(lang, tmp.path(), &args)
    };
    let clean = report(&["--out", "sach.md"], "vi");
    assert!(
        clean.contains("Bộ kiểm tra báo cáo không thấy điểm nào cần sửa."),
        "{clean}"
    );
    let added = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "conference",
            "add",
            "--title",
            "Hội nghị sơ kết công tác dân vận quý III năm 2024",
            "--kind",
            "chuyên đề",
            "--date",
            "20/9/2024",
            "--province",
            "Thái Nguyên",
            "--host",
            "Ban Dân vận Tỉnh ủy",
            "--shortcoming",
            "Công tác nắm tình hình Nhân dân ở một số xã còn còn chậm",
        ],
    );
    assert!(added.starts_with("exit: 0"), "{added}");
    insta::assert_snapshot!(report(&["--out", "bao-cao.md"], "vi"), @r"
    exit: 0
    --- stdout
    --- stderr
    Bộ kiểm tra báo cáo thấy 1 điểm cần xem lại trước khi ký:
      - IV. HẠN CHẾ VÀ NGUYÊN NHÂN · Một từ lặp hai lần: “còn còn” — “Công tác nắm tình hình Nhân dân ở một số xã còn còn chậm (nêu tại hội nghị sơ kết công tác dân vận quý III năm 2024 ngày 20/9/2024).” (lỗi đánh máy mà người ký sẽ phải sửa)
    Đã ghi báo cáo vào bao-cao.md
    ");
    let strict = report(&["--out", "nghiem.md", "--strict"], "vi");
    assert!(strict.starts_with("exit: 1"), "{strict}");
    assert!(
        strict.contains("Không ghi báo cáo vì bộ kiểm tra thấy 1 điểm cần sửa (--strict)"),
        "{strict}"
    );
    assert!(
        !tmp.path().join("nghiem.md").exists(),
        "nothing written under --strict"
    );
    // The outline is data: a built-in one by its name, or a board's own file, refused with
    // the file and the section at fault.
    let outlined = report(&["--template", "dinh-ky", "--out", "dinh-ky.md"], "vi");
    assert!(outlined.starts_with("exit: 0"), "{outlined}");
    let written = std::fs::read_to_string(tmp.path().join("dinh-ky.md")).unwrap();
    assert!(
        written.contains("### PHẦN THỨ NHẤT: KẾT QUẢ THỰC HIỆN CÔNG TÁC DÂN VẬN")
            && written.contains("#### 4. Công tác dân tộc, tôn giáo"),
        "{written}"
    );
    std::fs::write(
        tmp.path().join("cua-ban.toml"),
        "id = \"x\"\nname_vi = \"x\"\nname_en = \"x\"\n[[section]]\nheading_vi = \"A\"\nheading_en = \"A\"\nfill = \"written\"\n",
    )
    .unwrap();
    let refused = report(&["--template", "cua-ban.toml", "--out", "x.md"], "vi");
    assert!(
        refused.starts_with("exit: 1")
            && refused.contains("cua-ban.toml: section 1: needs a `key`"),
        "{refused}"
    );
    let english = report(&["--lang", "en", "--out", "report.md"], "en");
    assert!(
        english.contains("The report checker found 1 thing to look at before signing:")
            && english.contains("IV. SHORTCOMINGS AND CAUSES · A word written twice: “còn còn”")
            && english.contains("(a slip the signer would have to correct)"),
        "{english}"
    );
}

/// The board's written sections go out to a Markdown file and come back into the report; a
/// number typed in them that the records do not hold is flagged before anyone signs.
#[test]
fn written_sections_round_trip_through_markdown_and_their_numbers_are_checked() {
    let tmp = crate::demo_store();
    let base = [
        "--store",
        "s",
        "report",
        "--period",
        "2024",
        "--province",
        "thai-nguyen",
        "--date",
        "2025-01-10",
        "--template",
        "dinh-ky",
    ];
    let run = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        crate::danvan_in("vi", tmp.path(), &args)
    };
    let exported = run(&["--export-written", "viet.md"]);
    assert!(
        exported.contains("Đã ghi 5 mục cần viết vào viet.md"),
        "{exported}"
    );
    let file = std::fs::read_to_string(tmp.path().join("viet.md")).unwrap();
    assert!(file.contains("## uu-diem\n<!-- Ưu điểm: "), "{file}");
    let filled = file.replace(
        "## uu-diem\n<!-- Ưu điểm: Đơn vị bổ sung những ưu điểm nổi bật. -->\n",
        "## uu-diem\n<!-- Ưu điểm: Đơn vị bổ sung những ưu điểm nổi bật. -->\n\n- Cấp ủy quan tâm lãnh đạo công tác dân vận.\n- Giải quyết được 1.250 đơn thư.\n",
    );
    std::fs::write(tmp.path().join("viet.md"), filled).unwrap();
    let made = run(&["--written", "viet.md", "--out", "bao-cao.md"]);
    assert!(made.starts_with("exit: 0"), "{made}");
    let report = std::fs::read_to_string(tmp.path().join("bao-cao.md")).unwrap();
    assert!(
        report.contains("#### 1. Ưu điểm\n\n- Cấp ủy quan tâm lãnh đạo công tác dân vận."),
        "{report}"
    );
    assert!(
        made.contains("Con số trong lời văn không có trong số liệu: “1250”"),
        "the typed 1.250 is no figure of the records: {made}"
    );
    // A heading the outline lacks names the file and the line.
    std::fs::write(
        tmp.path().join("sai.md"),
        "## uu-diem\nA\n\n## khong-co\nB\n",
    )
    .unwrap();
    let refused = run(&["--written", "sai.md", "--out", "x.md"]);
    assert!(
        refused.starts_with("exit: 1")
            && refused.contains("sai.md:4: `khong-co` is not a written section"),
        "{refused}"
    );
}

/// A report issued by the board ("Số 45-BC/BDVTU", "TRƯỞNG BAN") and one issued by the
/// Standing Committee ("Số 12-BC/TU", the committee's header, "T/M BAN THƯỜNG VỤ"), each with
/// its signer and recipients; a draft keeps the number blank.
#[test]
fn a_report_is_issued_by_the_board_or_by_the_standing_committee() {
    let tmp = crate::demo_store();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--store",
            "s",
            "report",
            "--period",
            "2024",
            "--province",
            "thai-nguyen",
            "--date",
            "2025-01-10",
        ];
        args.extend_from_slice(extra);
        crate::danvan_in("vi", tmp.path(), &args)
    };
    let read = |name: &str| std::fs::read_to_string(tmp.path().join(name)).unwrap();
    let board = run(&[
        "--number",
        "45",
        "--signer",
        "Hà Thị Bích Hạnh",
        "--recipient",
        "Ban Dân vận Trung ương (để báo cáo)",
        "--recipient",
        "Thường trực Tỉnh ủy (để báo cáo)",
        "--out",
        "ban.md",
    ]);
    assert!(board.starts_with("exit: 0"), "{board}");
    let ban = read("ban.md");
    for expected in [
        "| Số 45-BC/BDVTU | *Thái Nguyên, ngày 10 tháng 01 năm 2025* |",
        "| **Nơi nhận:** | **TRƯỞNG BAN** |",
        "| - Ban Dân vận Trung ương (để báo cáo), |  |",
        "| - Thường trực Tỉnh ủy (để báo cáo), | Hà Thị Bích Hạnh |",
        "| - Lưu Văn phòng. |  |",
    ] {
        assert!(ban.contains(expected), "{expected:?} in\n{ban}");
    }
    let committee = run(&[
        "--number",
        "12",
        "--issuer",
        "thuong-vu",
        "--signer",
        "Nguyễn Thanh Hải",
        "--signer-title",
        "Phó Bí thư",
        "--out",
        "thuong-vu.md",
    ]);
    assert!(committee.starts_with("exit: 0"), "{committee}");
    let tv = read("thuong-vu.md");
    for expected in [
        "| ĐẢNG BỘ TỈNH THÁI NGUYÊN | **ĐẢNG CỘNG SẢN VIỆT NAM** |",
        "| **TỈNH ỦY** | |",
        "| Số 12-BC/TU |",
        "**T/M BAN THƯỜNG VỤ**",
        "PHÓ BÍ THƯ",
        "Nguyễn Thanh Hải",
    ] {
        assert!(tv.contains(expected), "{expected:?} in\n{tv}");
    }
    let refused = run(&[
        "--number",
        "12",
        "--issuer",
        "thuong-vu",
        "--signer",
        "X",
        "--out",
        "x.md",
    ]);
    assert!(
        refused.starts_with("exit: 1")
            && refused.contains("người ký thay mặt Ban Thường vụ cần ghi chức vụ"),
        "{refused}"
    );
    let draft = run(&["--out", "nhap.md"]);
    assert!(draft.starts_with("exit: 0"), "{draft}");
    assert!(read("nhap.md").contains("| Số      -BC/BDVTU |"));
}
