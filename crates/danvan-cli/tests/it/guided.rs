//! `danvan <kind> new` driven through a pseudo-terminal, as a person at a terminal meets it:
//! each field asked in turn, a wrong answer explained and asked again, a choice picked with
//! the arrow keys, the record shown, and saved on "yes".

#![cfg(unix)]

use std::process::Command;

const DOWN: &str = "\u{1b}[B";

/// `text` as rexpect sees the terminal's bytes (one char per byte): Vietnamese needles must be
/// written so to be found.
fn raw(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

fn session(dir: &std::path::Path, kind: &str) -> rexpect::session::PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_danvan"));
    // Written against the English messages (the Vietnamese ones have their own tests).
    cmd.env("DANVAN_LANG", "en");
    cmd.args(["--store", "s", kind, "new"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DANVAN_ACTOR", "tester")
        .env("TERM", "xterm")
        .env_remove("DANVAN_STORE");
    // Bounded: a prompt that never comes fails the test in 20 s instead of hanging it.
    rexpect::session::spawn_command(cmd, Some(20_000)).unwrap()
}

#[test]
fn an_indicator_entered_field_by_field() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(crate::danvan(dir, &["--store", "s", "init"]).starts_with("exit: 0"));
    let mut p = session(dir, "indicator");
    p.exp_string(&raw("Mã (id)")).unwrap();
    p.send_line("hop_thu_gop_y").unwrap();
    p.exp_string(&raw("Tên chỉ tiêu (name_vi)")).unwrap();
    p.send_line("Hộp thư góp ý được lắp đặt").unwrap();
    p.exp_string(&raw("Tên tiếng Anh (name_en)")).unwrap();
    p.send_line("Suggestion boxes installed").unwrap();
    p.exp_string(&raw("Đơn vị tính (unit)")).unwrap();
    p.send_line("hộp").unwrap();
    // Choices: leave empty, then count (số lượng), ratio, …
    p.exp_string(&raw("Loại số đo (measure)")).unwrap();
    p.exp_string(&raw("số lượng (count)")).unwrap();
    p.send(DOWN).unwrap();
    p.send_line("").unwrap();
    p.exp_string(&raw("Chiều (direction)")).unwrap();
    p.send(DOWN).unwrap();
    p.send_line("").unwrap();
    // A wrong answer is explained and asked again.
    p.exp_string(&raw("Giá trị nền (baseline)")).unwrap();
    p.send_line("sáu mươi").unwrap();
    p.exp_string(&raw("is not a number")).unwrap();
    p.send_line("60").unwrap();
    p.exp_string(&raw("Mục tiêu (target)")).unwrap();
    p.send_line("1.200").unwrap();
    p.exp_string(&raw("Mô tả (description)")).unwrap();
    p.send_line("").unwrap();
    p.exp_string(&raw("\"measure\": \"count\"")).unwrap();
    p.exp_string(&raw("Lưu (save)?")).unwrap();
    p.send_line("y").unwrap();
    p.exp_string(&raw("Added indicator hop_thu_gop_y")).unwrap();
    p.exp_eof().unwrap();
    let shown = crate::danvan(
        dir,
        &[
            "--store",
            "s",
            "--json",
            "indicator",
            "show",
            "hop_thu_gop_y",
        ],
    );
    let json = crate::stdout_json(&shown);
    insta::assert_snapshot!(serde_json::to_string_pretty(&json["record"]["record"]).unwrap(), @r#"
    {
      "baseline": 60,
      "direction": "higher_is_better",
      "id": "hop_thu_gop_y",
      "measure": "count",
      "name_en": "Suggestion boxes installed",
      "name_vi": "Hộp thư góp ý được lắp đặt",
      "target": 1200,
      "unit": "hộp"
    }
    "#);
}

/// A directive entered field by field is asked its phase and its reviews with their deadlines
/// (what `danvan due` and the reports stand on), a quarter accepted as one.
#[test]
fn a_directive_is_asked_its_phase_and_reviews() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(crate::danvan(dir, &["--store", "s", "init"]).starts_with("exit: 0"));
    let mut p = session(dir, "directive");
    let answers = [
        ("Mã (id)", ""),
        (
            "Trích yếu (title)",
            "Về nâng cao hiệu quả công tác dân vận chính quyền",
        ),
        ("Loại văn bản", ""),
        ("Cơ quan ban hành (issuer)", ""),
        ("Nhiệm kỳ (term)", ""),
        ("Ngày ban hành (issued_on)", ""),
        ("Tỉnh (province)", "Thái Nguyên"),
        ("Trạng thái (status)", ""),
        ("Thay thế bởi (superseded_by)", ""),
        ("Số thứ tự (ordinal)", ""),
        ("Ghi chú (note)", ""),
        ("Giá trị suy ra (inferred)", ""),
        (
            "Số, ký hiệu (number)",
            "Kế hoạch số 31-KH/TU ngày 15/3/2023 của Ban Thường vụ Tỉnh ủy",
        ),
        ("Giai đoạn (phase)", "2023-2025"),
        ("Sơ kết, tổng kết (review)", "sơ kết 1 năm: quý IV/2024"),
        ("Sơ kết, tổng kết (review)", "tổng kết: 2025"),
        ("Sơ kết, tổng kết (review)", ""),
    ];
    for (label, answer) in answers {
        p.exp_string(&raw(label))
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        p.send_line(answer).unwrap();
    }
    p.exp_string(&raw("Lưu (save)?")).unwrap();
    p.send_line("y").unwrap();
    p.exp_string(&raw("Added directive")).unwrap();
    p.exp_eof().unwrap();
    let listed = crate::danvan(dir, &["--store", "s", "--json", "directive", "list"]);
    let json = crate::stdout_json(&listed);
    let d = &json["items"][0]["record"]["record"];
    assert_eq!(
        d["phase"],
        serde_json::json!({"start_year": 2023, "end_year": 2025}),
        "{d}"
    );
    assert_eq!(d["milestones"][0]["due"], "2024Q4", "{d}");
    assert_eq!(d["milestones"][1]["due"], "2025", "{d}");
}

#[test]
fn not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = crate::danvan(tmp.path(), &["--store", "s", "model", "new"]);
    assert!(out.contains("asks questions on a terminal"), "{out}");
    assert!(out.contains("danvan model add --help"), "{out}");
}
