//! The domain's second pass through the CLI: one figure per key, reviews held and provinces'
//! reviews of central directives in `due`, the reviewed period, search by typed document
//! numbers, older JSON still read, and the articles fixture.

use std::fs;

use crate::{danvan, demo_store, root};

#[test]
fn a_second_figure_for_one_key_is_refused_naming_the_existing_record() {
    let tmp = demo_store();
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "observation",
            "add",
            "--set",
            "id=tn-2024-one-stop-again",
            "--indicator",
            "one_stop_communes",
            "--province",
            "thai-nguyen",
            "--period",
            "2024",
            "--set",
            "numerator=170",
            "--set",
            "denominator=178",
        ],
    );
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(
        out.contains(
            "observation tn-2024-one-stop-communes already holds the figure for one_stop_communes, thai-nguyen, 2024; update tn-2024-one-stop-communes to replace it"
        ),
        "{out}"
    );
    // Import, and its dry run, say the same and write nothing.
    fs::write(
        tmp.path().join("so-lieu.csv"),
        "id,indicator,province,period,numerator,denominator\n\
         tn-2024-one-stop-again,one_stop_communes,thai-nguyen,2024,170,178\n",
    )
    .unwrap();
    for dry in [true, false] {
        let mut args = vec!["--store", "s", "import"];
        if dry {
            args.push("--dry-run");
        }
        args.push("so-lieu.csv");
        let out = danvan(tmp.path(), &args);
        assert!(out.starts_with("exit: 1"), "{out}");
        assert!(
            out.contains("so-lieu.csv:2: observation tn-2024-one-stop-again: indicator: observation tn-2024-one-stop-communes already holds"),
            "{out}"
        );
    }
    let listed = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "observation",
            "show",
            "tn-2024-one-stop-again",
        ],
    );
    assert!(
        listed.starts_with("exit: 1"),
        "nothing was written: {listed}"
    );
    // A unit's figure for the same indicator, province and period is its own.
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "observation",
            "add",
            "--set",
            "id=tn-2024-cum-2-one-stop",
            "--indicator",
            "one_stop_communes",
            "--province",
            "thai-nguyen",
            "--period",
            "2024",
            "--set",
            "numerator=30",
            "--set",
            "denominator=30",
            "--set",
            r#"unit={"name": "Cụm thi đua số 2", "level": "cluster"}"#,
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
}

#[test]
fn due_lists_reviews_under_their_province_and_never_held_ones() {
    let tmp = demo_store();
    let lao_cai = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "due",
            "--as-of",
            "2026-11-26",
            "--within",
            "1y",
            "--province",
            "Lào Cai",
        ],
    );
    insta::assert_snapshot!(lao_cai, @r"
    exit: 0
    --- stdout
    Reviews as of 26/11/2026, looking to 26/11/2027: 2 overdue, 0 falling due

    Lào Cai
      overdue  31/12/2023  Nghị quyết 25-NQ/TW  sơ kết 10 năm   1,061 days late
      overdue  31/12/2025  Nghị quyết 03-NQ/TU  tổng kết 5 năm  330 days late
    --- stderr
    ");
    let tn = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "due",
            "--as-of",
            "2026-11-26",
            "--within",
            "3y",
            "--province",
            "thai-nguyen",
        ],
    );
    // Thái Nguyên's held reviews (25-NQ/TW's sơ kết 10 năm, 31-KH/BDVTU's sơ kết giữa kỳ) are
    // not listed; its own review of 25-NQ/TW due in 2028 is.
    assert!(tn.contains("tổng kết 15 năm"), "{tn}");
    assert!(
        !tn.contains("sơ kết 10 năm") && !tn.contains("sơ kết giữa kỳ"),
        "{tn}"
    );
    assert!(
        tn.lines()
            .any(|l| l.contains("Kế hoạch 31-KH/BDVTU") && l.contains("tổng kết ")),
        "{tn}"
    );
    let bad = danvan(
        tmp.path(),
        &["--store", "s", "due", "--province", "Atlantis"],
    );
    assert!(
        bad.starts_with("exit: 1") && bad.contains("--province"),
        "{bad}"
    );
}

#[test]
fn conferences_are_found_by_the_period_they_reviewed() {
    let tmp = demo_store();
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "conference",
            "list",
            "--reviewed-period",
            "2025",
            "--sort",
            "id",
        ],
    );
    insta::assert_snapshot!(out, @r#"
    exit: 0
    --- stdout
    4 of 4 conferences
      hn-2025-tong-ket-nam    16/12/2025  Hà Nội       Hội nghị tổng kết công tác dân vận năm 2025 và tổng kết Chương trình số 07-CTr/TU
      lc-2025-tong-ket-nam    20/12/2025  Lào Cai      Hội nghị tổng kết công tác dân vận năm 2025
      tn-2025-giao-ban-quy-3  26/9/2025   Thái Nguyên  Hội nghị giao ban công tác dân vận quý III năm 2025
      tn-2025-so-ket-6-thang  15/7/2025   Thái Nguyên  Hội nghị sơ kết công tác tuyên giáo và dân vận 6 tháng đầu năm 2025
    --- stderr
    "#);
    let phrase = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "conference",
            "list",
            "--reviewed-period",
            "6 tháng đầu năm 2024",
        ],
    );
    assert!(
        phrase.contains("tn-2024-so-ket-6-thang") && !phrase.contains("2025"),
        "{phrase}"
    );
}

#[test]
fn search_finds_documents_as_people_type_them() {
    let tmp = demo_store();
    for q in ["25-NQ/TW", "NQ 25", "Nghị quyết 25", "nghi quyet so 25"] {
        let out = danvan(tmp.path(), &["--store", "s", "search", q]);
        assert!(out.contains("tw-25-nq-2013"), "{q}: {out}");
        assert!(!out.contains("tn-05-da-2021"), "{q}: {out}");
    }
    let out = danvan(tmp.path(), &["--store", "s", "search", "Đảng bộ Khối"]);
    assert!(out.contains("tn-2024-khoi-cq-complaints"), "{out}");
}

#[test]
fn data_in_the_older_json_form_is_read() {
    let tmp = demo_store();
    fs::write(
        tmp.path().join("old.json"),
        r#"{"directives": [{"id": "tn-99-kh-2024", "number": "99-KH/TU", "doc_type": "plan",
            "issuer": "Tỉnh ủy Thái Nguyên", "title": "Kế hoạch cũ", "province": "thai-nguyen",
            "issued_on": "2024-01-10",
            "milestones": [{"kind": "mid_term", "due": "2024", "held_at": "tn-2024-so-ket-6-thang"}]}],
           "conferences": [{"id": "tn-2024-hoi-nghi-cu", "kinds": ["thematic"],
            "title": "Hội nghị chuyên đề", "date": "2024-03-01", "province": "thai-nguyen",
            "host": "Ban Dân vận Tỉnh ủy", "format": {"mode": "in_person"}}]}"#,
    )
    .unwrap();
    let out = danvan(tmp.path(), &["--store", "s", "import", "old.json"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    let shown = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "--json",
            "conference",
            "show",
            "tn-2024-hoi-nghi-cu",
        ],
    );
    assert!(shown.contains(r#""hosts": ["#), "{shown}");
    let shown = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "--json",
            "directive",
            "show",
            "tn-99-kh-2024",
        ],
    );
    assert!(
        shown.contains(r#""conference": "tn-2024-so-ket-6-thang""#),
        "{shown}"
    );
    assert!(!shown.contains("held_at"), "{shown}");
}

#[test]
fn the_articles_fixture_lists_no_held_review_as_due() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = root().join("fixtures/articles");
    let out = danvan(
        tmp.path(),
        &[
            "check",
            dir.to_str().unwrap(),
            "--as-of",
            "2026-11-26",
            "--within",
            "24",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(out.contains("Validation: 0 errors, 0 warnings"), "{out}");
    assert!(
        out.contains("Reviews due as of 2026-11-26 (within 24 months): 1"),
        "{out}"
    );
    assert!(out.contains("Đề án 03-ĐA/TU"), "{out}");
}

#[test]
fn a_year_lists_the_months_inside_it_and_search_finds_built_in_indicators() {
    let tmp = demo_store();
    let out = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "observation",
            "list",
            "--province",
            "thai-nguyen",
            "--as-recorded",
            "--period",
            "2024",
            "--indicator",
            "dialogues_held",
            "--sort",
            "id",
        ],
    );
    insta::assert_snapshot!(out, @r#"
    exit: 0
    --- stdout
    2 of 2 observations
      tn-2024-dialogues    2024       Thái Nguyên  Dialogues between leaders and citizens: 312
      tn-202406-dialogues  June 2024  Thái Nguyên  Dialogues between leaders and citizens: 31
    --- stderr
    "#);
    let out = danvan(tmp.path(), &["--store", "s", "search", "chỉ số hài lòng"]);
    assert!(out.contains("Built-in indicators matching"), "{out}");
    assert!(out.contains("sipas"), "{out}");
    let json = danvan(tmp.path(), &["--store", "s", "--json", "search", "SIPAS"]);
    assert!(json.contains(r#""builtin_indicators": ["#), "{json}");
}
