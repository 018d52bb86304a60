//! The reporting cycle through the CLI, on the demo store: Thái Nguyên's board sets a form,
//! huyện Định Hóa fills and sends, the province returns it with a reason, the district fixes
//! and sends again, the province approves; an edit of the approved figure is refused, saying
//! who approved it; completeness counts who sent.

use crate::{danvan, demo_store};

#[test]
fn a_district_sends_the_province_returns_then_approves_and_the_figure_is_locked() {
    let tmp = demo_store();
    let dir = tmp.path();
    let run = |actor: &str, args: &[&str]| {
        let mut all = vec!["--store", "s", "--actor", actor];
        all.extend_from_slice(args);
        danvan(dir, &all)
    };
    let ok = |actor: &str, args: &[&str]| {
        let out = run(actor, args);
        assert!(out.starts_with("exit: 0"), "{args:?}\n{out}");
        out
    };
    let sub = "tn-tn-dinh-hoa-2025s1-tn-6-thang-huyen";
    set_form_begin_and_fill(&run, &ok, sub);
    the_signed_original(dir, &run, &ok, sub);
    ok("dinh-hoa", &["submission", "send", sub]);
    let out = run("ban-dan-van", &["submission", "return", sub]);
    assert!(out.contains("say why"), "{out}");
    ok(
        "ban-dan-van",
        &[
            "submission",
            "return",
            sub,
            "--why",
            "Số cuộc đối thoại chưa khớp báo cáo của xã",
        ],
    );
    ok(
        "dinh-hoa",
        &[
            "observation",
            "update",
            "dh-2025s1-doi-thoai",
            "--value",
            "12",
        ],
    );
    ok("dinh-hoa", &["submission", "send", sub]);
    let waiting = ok(
        "ban-dan-van",
        &[
            "--lang",
            "vi",
            "approval",
            "queue",
            "--province",
            "Thái Nguyên",
        ],
    );
    assert!(
        waiting.contains("1 báo cáo chờ duyệt:")
            && waiting.contains(&format!(
                "{sub}  huyện Định Hóa  6 tháng đầu năm 2025  gửi "
            ))
            && waiting.contains("bởi dinh-hoa")
            && waiting.contains("gửi lại"),
        "{waiting}"
    );
    ok("ban-dan-van", &["submission", "approve", sub]);
    let waiting = ok("ban-dan-van", &["--lang", "vi", "approval", "queue"]);
    assert!(
        waiting.contains("Không có báo cáo nào chờ duyệt."),
        "{waiting}"
    );
    // The approved figure is locked, naming who approved it.
    let out = run(
        "dinh-hoa",
        &[
            "observation",
            "update",
            "dh-2025s1-doi-thoai",
            "--value",
            "13",
        ],
    );
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(
        out.contains(&format!(
            "locked: submission {sub}, period 2025S1, approved by ban-dan-van ("
        )),
        "{out}"
    );
    // Every step, with who and why, in the history.
    let history = ok("ban-dan-van", &["submission", "history", sub]);
    assert!(
        history.contains("updated by ban-dan-van — Số cuộc đối thoại chưa khớp báo cáo của xã"),
        "{history}"
    );
    completeness_before_and_after_the_due_day(dir);
}

/// Completeness of the period as the province sees it, before and after the due day.
fn completeness_before_and_after_the_due_day(dir: &std::path::Path) {
    let ok = |args: &[&str]| {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        let out = danvan(dir, &all);
        assert!(out.starts_with("exit: 0"), "{args:?}\n{out}");
        out
    };
    let line = |out: &str, name: &str| -> String {
        out.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_default()
            .to_string()
    };
    // Before the due day (15/6) nothing is overdue; after it, those not sent are.
    for (day, others) in [
        ("2025-06-10", "chưa đến hạn"),
        ("2025-06-20", "quá hạn chưa gửi"),
    ] {
        let out = ok(&[
            "--lang",
            "vi",
            "completeness",
            "--period",
            "2025S1",
            "--province",
            "Thái Nguyên",
            "--as-of",
            day,
        ]);
        assert!(
            out.contains("6 tháng đầu năm 2025 — Thái Nguyên: 1/9 đã gửi (1 đã duyệt)"),
            "{out}"
        );
        assert!(line(&out, "huyện Võ Nhai").contains(others), "{out}");
        // Sent today, after the due day: late, and approved.
        let dh = line(&out, "huyện Định Hóa");
        assert!(dh.contains("gửi muộn") && dh.contains("đã duyệt"), "{out}");
    }
}

/// The board sets the form; the district begins its report, is refused while it is empty,
/// then enters its figure and writes its section.
/// The signed original: a PDF kept by its hash, written back byte for byte; a text file
/// refused.
fn the_signed_original(
    dir: &std::path::Path,
    run: &dyn Fn(&str, &[&str]) -> String,
    ok: &dyn Fn(&str, &[&str]) -> String,
    sub: &str,
) {
    std::fs::write(dir.join("bao-cao.txt"), "Báo cáo 6 tháng").unwrap();
    let out = run("dinh-hoa", &["submission", "attach", sub, "bao-cao.txt"]);
    assert!(
        out.starts_with("exit: 1") && out.contains("neither a PDF nor a DOCX"),
        "{out}"
    );
    let pdf = b"%PDF-1.7\n(Bao cao 6 thang - ban ky)\n%%EOF\n";
    std::fs::write(dir.join("Báo cáo 6 tháng.pdf"), pdf).unwrap();
    let out = ok(
        "dinh-hoa",
        &["submission", "attach", sub, "Báo cáo 6 tháng.pdf"],
    );
    assert!(
        out.contains(&format!("Attached the signed original to submission {sub}")),
        "{out}"
    );
    let out = ok(
        "ban-dan-van",
        &["submission", "original", sub, "--out", "copy.pdf"],
    );
    assert!(out.contains("wrote copy.pdf (42 bytes, SHA-256 "), "{out}");
    assert_eq!(std::fs::read(dir.join("copy.pdf")).unwrap(), pdf);
}

fn set_form_begin_and_fill(
    run: &dyn Fn(&str, &[&str]) -> String,
    ok: &dyn Fn(&str, &[&str]) -> String,
    sub: &str,
) {
    ok(
        "ban-dan-van",
        &[
            "form",
            "add",
            "--id",
            "tn-6-thang-huyen",
            "--name",
            "Báo cáo công tác dân vận 6 tháng (cấp huyện)",
            "--province",
            "Thái Nguyên",
            "--period-kind",
            "6 tháng",
            "--level",
            "huyện",
            "--indicator",
            "dialogues_held",
            "--due-days-after-end",
            "-15",
            "--section",
            "ket-qua: Kết quả thực hiện",
        ],
    );
    let out = ok(
        "dinh-hoa",
        &[
            "submission",
            "begin",
            "--form",
            "tn-6-thang-huyen",
            "--unit",
            "tn-dinh-hoa",
            "--period",
            "6 tháng đầu năm 2025",
        ],
    );
    assert!(out.contains(&format!("Begun submission {sub}")), "{out}");
    // Sent empty: refused, every problem at its cell or section.
    let out = run("dinh-hoa", &["submission", "send", sub]);
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(
        out.contains("figures.dialogues_held: no figure entered"),
        "{out}"
    );
    assert!(
        out.contains("sections.ket-qua: the section “Kết quả thực hiện” is not written"),
        "{out}"
    );
    ok(
        "dinh-hoa",
        &[
            "observation",
            "add",
            "--id",
            "dh-2025s1-doi-thoai",
            "--indicator",
            "dialogues_held",
            "--province",
            "Thái Nguyên",
            "--unit",
            "Định Hóa",
            "--unit-level",
            "huyện",
            "--period",
            "2025S1",
            "--value",
            "11",
        ],
    );
    ok(
        "dinh-hoa",
        &[
            "submission",
            "write",
            sub,
            "--section",
            "ket-qua=Tổ chức 11 cuộc đối thoại với Nhân dân",
        ],
    );
}

/// A province's report adds its districts' approved figures, leaves out (and names) a figure
/// sent but not yet approved, and with `--include-pending` counts it, marked.
#[test]
fn reports_count_approved_figures_and_name_those_waiting() {
    let tmp = demo_store();
    let dir = tmp.path();
    let ok = |args: &[&str]| {
        let mut all = vec!["--store", "s", "-q"];
        all.extend_from_slice(args);
        let out = danvan(dir, &all);
        assert!(out.starts_with("exit: 0"), "{args:?}\n{out}");
        out
    };
    ok(&[
        "form",
        "add",
        "--id",
        "f",
        "--name",
        "Báo cáo 6 tháng",
        "--province",
        "Thái Nguyên",
        "--period-kind",
        "6 tháng",
        "--level",
        "huyện",
        "--indicator",
        "dialogues_held",
        "--due-days-after-end",
        "-15",
    ]);
    for (unit, name, value) in [
        ("tn-dinh-hoa", "Định Hóa", "12"),
        ("tn-dai-tu", "Đại Từ", "7"),
    ] {
        ok(&[
            "submission",
            "begin",
            "--form",
            "f",
            "--unit",
            unit,
            "--period",
            "2025S1",
        ]);
        ok(&[
            "observation",
            "add",
            "--id",
            unit,
            "--indicator",
            "dialogues_held",
            "--province",
            "Thái Nguyên",
            "--unit",
            name,
            "--unit-level",
            "huyện",
            "--period",
            "2025S1",
            "--value",
            value,
        ]);
        ok(&["submission", "send", &format!("tn-{unit}-2025s1-f")]);
    }
    ok(&["submission", "approve", "tn-tn-dinh-hoa-2025s1-f"]);
    let report = |extra: &[&str]| {
        let mut args = vec![
            "report",
            "--province",
            "Thái Nguyên",
            "--period",
            "2025S1",
            "--date",
            "2025-06-30",
        ];
        args.extend_from_slice(extra);
        ok(&args)
    };
    let out = report(&[]);
    // Two of nine districts sent, one approved; the due day (15/6) is past on 30/6.
    assert!(
        out.contains("Tình hình gửi báo cáo của các đơn vị: 2/9 đơn vị đã gửi, 1 đã duyệt, 7 quá hạn chưa gửi (tính đến ngày báo cáo)."),
        "{out}"
    );
    assert!(
        out.contains("Nhân dân: 12, tổng hợp từ 1/9 huyện")
            && out.contains("(chưa tính số liệu chưa được duyệt của: Đại Từ)"),
        "{out}"
    );
    let out = report(&["--include-pending"]);
    assert!(
        out.contains("Nhân dân: 19, tổng hợp từ 2/9 huyện")
            && out.contains("(trong đó số liệu chưa được duyệt của: Đại Từ)"),
        "{out}"
    );
}
