//! One record of each kind entered from what is on an office's desk, one command each, in the
//! forms the office writes (dates, numbers, periods, choices and citations in Vietnamese), and
//! the JSON the store then holds.

use crate::danvan;

/// The stored record's JSON, from `--json <kind> show`.
fn stored(dir: &std::path::Path, kind: &str, id: &str) -> String {
    let v = crate::stdout_json(&danvan(dir, &["--store", "s", "--json", kind, "show", id]));
    serde_json::to_string_pretty(&v["record"]["record"]).unwrap()
}

/// A desk: an empty store.
fn desk() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    assert!(danvan(tmp.path(), &["--store", "s", "init"]).starts_with("exit: 0"));
    tmp
}

/// Runs one command on the desk's store; it must succeed.
fn run(dir: &std::path::Path, args: &[&str]) {
    let out = danvan(dir, &[&["--store", "s"], args].concat());
    assert!(out.starts_with("exit: 0"), "{args:?}\n{out}");
}

/// The plan the conference below reviews.
fn add_plan(dir: &std::path::Path) {
    // "Kế hoạch số 31-KH/BDVTU ngày 15/3/2023 … giai đoạn 2022 - 2025, sơ kết giữa kỳ năm 2024"
    run(
        dir,
        &[
            "directive",
            "add",
            "--id",
            "tn-31-kh-2023",
            "--number",
            "Kế hoạch số 31-KH/BDVTU ngày 15/3/2023",
            "--title",
            "Thực hiện phong trào thi đua \"Dân vận khéo\" giai đoạn 2022 - 2025",
            "--issuer",
            "Ban Dân vận Tỉnh ủy Thái Nguyên",
            "--province",
            "Thái Nguyên",
            "--phase",
            "giai đoạn 2022 - 2025, định hướng đến năm 2030",
            "--review",
            "sơ kết giữa kỳ: 2024",
            "--review",
            "tổng kết: 2025",
        ],
    );
}

#[test]
fn a_plan_from_its_citation() {
    let tmp = desk();
    let dir = tmp.path();
    add_plan(dir);
    insta::assert_snapshot!(stored(dir, "directive", "tn-31-kh-2023"), @r#"
    {
      "doc_type": "plan",
      "id": "tn-31-kh-2023",
      "issued_on": "2023-03-15",
      "issuer": "Ban Dân vận Tỉnh ủy Thái Nguyên",
      "milestones": [
        {
          "due": "2024",
          "kind": "mid_term",
          "label": "sơ kết giữa kỳ"
        },
        {
          "due": "2025",
          "kind": "final",
          "label": "tổng kết"
        }
      ],
      "number": "31-KH/BDVTU",
      "phase": {
        "end_year": 2025,
        "horizon_year": 2030,
        "start_year": 2022
      },
      "province": "thai-nguyen",
      "title": "Thực hiện phong trào thi đua \"Dân vận khéo\" giai đoạn 2022 - 2025"
    }
    "#);
}

#[test]
fn a_conference_with_two_chairs_held_online() {
    let tmp = desk();
    let dir = tmp.path();
    add_plan(dir);
    // A six-month review with two chairs, held online with 13 connection points.
    run(
        dir,
        &[
            "conference",
            "add",
            "--id",
            "tn-2023-so-ket-6-thang",
            "--title",
            "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2023",
            "--kind",
            "sơ kết 6 tháng",
            "--kind",
            "sơ kết văn bản",
            "--date",
            "ngày 22 tháng 6 năm 2023",
            "--province",
            "Thái Nguyên",
            "--host",
            "Ban Dân vận Tỉnh ủy Thái Nguyên",
            "--chair",
            "Hà Thị Bích Hạnh, Trưởng Ban Dân vận Tỉnh ủy",
            "--chair",
            "Nguyễn Thanh Hải, Phó Bí thư Thường trực Tỉnh ủy",
            "--online",
            "13",
            "--reviewed-period",
            "6 tháng đầu năm 2023",
            "--reviews",
            "tn-31-kh-2023",
            "--commendation",
            "Giấy khen của Ban Dân vận Tỉnh ủy: 12 tập thể, 30 cá nhân",
        ],
    );
    insta::assert_snapshot!(stored(dir, "conference", "tn-2023-so-ket-6-thang"), @r#"
    {
      "chairs": [
        {
          "name": "Hà Thị Bích Hạnh",
          "position": "Trưởng Ban Dân vận Tỉnh ủy"
        },
        {
          "name": "Nguyễn Thanh Hải",
          "position": "Phó Bí thư Thường trực Tỉnh ủy"
        }
      ],
      "commendations": [
        {
          "award": "Giấy khen của Ban Dân vận Tỉnh ủy",
          "collectives": 12,
          "individuals": 30
        }
      ],
      "date": "2023-06-22",
      "format": {
        "connection_points": 13,
        "mode": "online"
      },
      "hosts": [
        "Ban Dân vận Tỉnh ủy Thái Nguyên"
      ],
      "id": "tn-2023-so-ket-6-thang",
      "kinds": [
        "six_month_review",
        "directive_review"
      ],
      "province": "thai-nguyen",
      "reviewed_directives": [
        "tn-31-kh-2023"
      ],
      "reviewed_period": "2023S1",
      "title": "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2023"
    }
    "#);
}

#[test]
fn a_model() {
    let tmp = desk();
    let dir = tmp.path();
    run(
        dir,
        &[
            "model",
            "add",
            "--id",
            "tn-2023-na-mao",
            "--name",
            "Dân vận khéo trong xây dựng nông thôn mới kiểu mẫu",
            "--province",
            "Thái Nguyên",
            "--unit",
            "Hội Nông dân xã Phúc Xuân",
            "--field",
            "kinh tế",
            "--type",
            "tập thể",
            "--year",
            "2023",
            "--status",
            "hoạt động hiệu quả",
            "--recognised-on",
            "19-05-2023",
            "--decision",
            "1234-QĐ/TU",
            "--level",
            "cấp tỉnh",
        ],
    );
    insta::assert_snapshot!(stored(dir, "model", "tn-2023-na-mao"), @r#"
    {
      "field": "economy",
      "id": "tn-2023-na-mao",
      "kind": "collective",
      "name": "Dân vận khéo trong xây dựng nông thôn mới kiểu mẫu",
      "owning_unit": "Hội Nông dân xã Phúc Xuân",
      "province": "thai-nguyen",
      "recognition": {
        "date": "2023-05-19",
        "decision": "1234-QĐ/TU",
        "level": "cấp tỉnh"
      },
      "start_year": 2023,
      "status": "effective"
    }
    "#);
}

#[test]
fn an_indicator() {
    let tmp = desk();
    let dir = tmp.path();
    run(
        dir,
        &[
            "indicator",
            "add",
            "--id",
            "hop_thu_gop_y",
            "--name",
            "Hộp thư góp ý được lắp đặt",
            "--name-en",
            "Suggestion boxes installed",
            "--unit",
            "hộp",
            "--measure",
            "số lượng",
            "--direction",
            "càng cao càng tốt",
            "--target",
            "1.200",
        ],
    );
    insta::assert_snapshot!(stored(dir, "indicator", "hop_thu_gop_y"), @r#"
    {
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

#[test]
fn a_figure_as_a_report_words_it() {
    let tmp = desk();
    let dir = tmp.path();
    // "1.272/1.337 đơn thư đã giải quyết, đạt trên 95%"
    run(
        dir,
        &[
            "observation",
            "add",
            "--id",
            "tn-2023s1-complaints",
            "--indicator",
            "complaints_resolved",
            "--province",
            "Thái Nguyên",
            "--period",
            "6 tháng đầu năm 2023",
            "--figure",
            "1.272/1.337",
            "--stated",
            "đạt trên 95%",
        ],
    );
    insta::assert_snapshot!(stored(dir, "observation", "tn-2023s1-complaints"), @r#"
    {
      "denominator": 1337,
      "id": "tn-2023s1-complaints",
      "indicator": "complaints_resolved",
      "numerator": 1272,
      "period": "2023S1",
      "province": "thai-nguyen",
      "stated": "đạt trên 95%"
    }
    "#);
}

/// Every problem in what was given is reported at once, each with the flag, the value and
/// the form expected; nothing is written.
#[test]
fn every_problem_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    danvan(dir, &["--store", "s", "init"]);
    insta::assert_snapshot!(danvan(dir, &[
        "--store", "s", "conference", "add", "--id", "x", "--title", "Hội nghị",
        "--date", "31/2/2024", "--kind", "hội nghị", "--province", "Atlantis",
        "--online", "mười", "--reviewed-period", "nửa năm",
    ]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: 6 problems in what was given; nothing was written:
      --kind: "hội nghị" is not one of: six_month_review (sơ kết 6 tháng), annual_review (tổng kết năm), directive_review (sơ kết, tổng kết văn bản), thematic (chuyên đề), workshop (hội thảo), dialogue (đối thoại), training (tập huấn), briefing (giao ban), round_table (tọa đàm), commemoration (lễ kỷ niệm), honouring (tuyên dương) (e.g. --kind "sơ kết 6 tháng")
      --date: "31/2/2024" is not a date; write it as 22/6/2023, 22-06-2023, "ngày 22 tháng 6 năm 2023" or 2023-06-22 (e.g. --date "22/6/2023")
      --province: "Atlantis" is not a province; write its name (Thái Nguyên), slug (thai-nguyen) or code (19) (e.g. --province "Thái Nguyên")
      --reviewed-period: "nửa năm" is not a period; write it as 2024, 2024S1, 2024Q2, 202406, 2021-2025 or "6 tháng đầu năm 2024" (e.g. --reviewed-period "6 tháng đầu năm 2024")
      --online: "mười" is not a number of connection points (e.g. 13)
      --date: is required (date), e.g. --date "22/6/2023"
    hint: `danvan conference add --help` lists every field with an example
    "#);
    insta::assert_snapshot!(danvan(dir, &[
        "--store", "s", "model", "add", "--id", "m", "--province", "hue",
        "--field", "economy", "--year", "2024",
    ]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: 1 problem in what was given; nothing was written:
      --name: is required (name), e.g. --name "Dân vận khéo trong xây dựng nông thôn mới"
    hint: `danvan model add --help` lists every field with an example
    "#);
}

/// A review marked held, with its evidence, without rewriting the directive; a review that is
/// not there is named among those that are.
#[test]
fn a_review_marked_held() {
    let tmp = desk();
    let dir = tmp.path();
    add_plan(dir);
    run(
        dir,
        &[
            "directive",
            "review-held",
            "tn-31-kh-2023",
            "Sơ kết giữa kỳ",
            "--on",
            "ngày 26 tháng 6 năm 2024",
            "--by",
            "Ban Thường vụ Tỉnh ủy Thái Nguyên",
            "--evidence",
            "Báo cáo số 115-BC/TU ngày 30/6/2024",
        ],
    );
    let held = stored(dir, "directive", "tn-31-kh-2023");
    let held: serde_json::Value = serde_json::from_str(&held).unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&held["milestones"]).unwrap(), @r#"
    [
      {
        "due": "2024",
        "held": {
          "by": "Ban Thường vụ Tỉnh ủy Thái Nguyên",
          "document": {
            "doc_type": "report",
            "issued_on": "2024-06-30",
            "number": "115-BC/TU"
          },
          "on": "2024-06-26"
        },
        "kind": "mid_term",
        "label": "sơ kết giữa kỳ"
      },
      {
        "due": "2025",
        "kind": "final",
        "label": "tổng kết"
      }
    ]
    "#);
    insta::assert_snapshot!(
        danvan(dir, &["--store", "s", "directive", "review-held", "tn-31-kh-2023", "sơ kết 3 năm", "--on", "2024"]),
        @r#"
        exit: 1
        --- stdout
        --- stderr
        error: directive tn-31-kh-2023: no review "sơ kết 3 năm"; the reviews are: 1. sơ kết giữa kỳ (due 2024); 2. tổng kết (due 2025)
        "#
    );
}

/// `<kind> add --help` lists every field with its Vietnamese label and an example.
#[test]
fn help_lists_the_fields_with_examples() {
    let tmp = tempfile::tempdir().unwrap();
    for kind in [
        "conference",
        "directive",
        "model",
        "indicator",
        "observation",
    ] {
        let help = danvan(tmp.path(), &[kind, "add", "--help"]);
        insta::assert_snapshot!(format!("{kind}_add_help"), help);
    }
    insta::assert_snapshot!(
        "directive_review_held_help",
        danvan(tmp.path(), &["directive", "review-held", "--help"])
    );
}

/// Adding a record whose ID is taken says so, and how to change the one there; a directive's
/// type is read in Vietnamese.
#[test]
fn an_existing_id_and_a_type_in_vietnamese() {
    let tmp = desk();
    let dir = tmp.path();
    add_plan(dir);
    insta::assert_snapshot!(
        danvan(dir, &["--store", "s", "directive", "add", "--id", "tn-31-kh-2023", "--type", "Nghị quyết", "--title", "Về công tác dân vận"]),
        @r#"
        exit: 1
        --- stdout
        --- stderr
        error: directive tn-31-kh-2023 already exists (revision 1); nothing was written
        hint: change it with `danvan directive update tn-31-kh-2023 --set FIELD=VALUE` (or `edit tn-31-kh-2023`), or give the new record another --id
        "#
    );
    run(
        dir,
        &[
            "directive",
            "add",
            "--id",
            "tn-05-nq-2021",
            "--type",
            "Nghị quyết",
            "--title",
            "Về tăng cường công tác dân vận",
            "--date",
            "14/7/2021",
        ],
    );
    let v = crate::stdout_json(&danvan(
        dir,
        &[
            "--store",
            "s",
            "--json",
            "directive",
            "show",
            "tn-05-nq-2021",
        ],
    ));
    assert_eq!(v["record"]["record"]["doc_type"], "resolution");
}

/// A district registered from the desk (its level and dates as the office writes them), then a
/// figure naming it as the office does ("Phú Lương", without "huyện"); a misspelt name is
/// refused with the nearest registered names, and nothing is written.
#[test]
fn a_reporting_unit_then_its_figure() {
    let tmp = desk();
    let dir = tmp.path();
    run(
        dir,
        &[
            "unit",
            "add",
            "--id",
            "tn-phu-luong",
            "--name",
            "huyện Phú Lương",
            "--level",
            "huyện",
            "--province",
            "Thái Nguyên",
            "--until",
            "30/6/2025",
            "--alias",
            "Phú Lương",
        ],
    );
    insta::assert_snapshot!(stored(dir, "unit", "tn-phu-luong"), @r#"
    {
      "aliases": [
        "Phú Lương"
      ],
      "id": "tn-phu-luong",
      "level": "district",
      "name": "huyện Phú Lương",
      "province": "thai-nguyen",
      "until": "2025-06-30"
    }
    "#);
    let figure = |id: &str, unit: &str| {
        danvan(
            dir,
            &[
                "--store",
                "s",
                "observation",
                "add",
                "--id",
                id,
                "--indicator",
                "dialogues_held",
                "--province",
                "Thái Nguyên",
                "--unit",
                unit,
                "--unit-level",
                "huyện",
                "--period",
                "6 tháng đầu năm 2024",
                "--value",
                "7",
            ],
        )
    };
    let out = figure("tn-2024s1-pl", "Phú Lưu");
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(
        out.contains(
            "“Phú Lưu” is not a registered unit of thai-nguyen; did you mean “huyện Phú Lương”?"
        ),
        "{out}"
    );
    assert!(figure("tn-2024s1-pl", "Phú Lương").starts_with("exit: 0"));
    let listed = danvan(dir, &["--store", "s", "unit", "list"]);
    assert!(
        listed.contains("tn-phu-luong") && listed.contains("huyện Phú Lương"),
        "{listed}"
    );
}

/// A clerk never has to invent an ID (issue 27, point 2): one left out is made from the
/// record's province, date or period and title, and a second record that would be given the
/// same gets the next free one.
#[test]
fn ids_are_made_when_none_is_typed() {
    let tmp = desk();
    let dir = tmp.path();
    run(
        dir,
        &[
            "unit",
            "add",
            "--name",
            "huyện Phú Lương",
            "--level",
            "huyện",
            "--province",
            "Thái Nguyên",
            "--until",
            "30/6/2025",
        ],
    );
    assert!(stored(dir, "unit", "tn-huyen-phu-luong").contains("huyện Phú Lương"));
    // No ID typed: one is made from the province, period, indicator and unit.
    let made = danvan(
        dir,
        &[
            "--store",
            "s",
            "observation",
            "add",
            "--indicator",
            "dialogues_held",
            "--province",
            "Thái Nguyên",
            "--unit",
            "Phú Lương",
            "--unit-level",
            "huyện",
            "--period",
            "2024",
            "--value",
            "12",
        ],
    );
    assert!(
        made.contains("Added observation tn-2024-dialogues-held-phu-luong (revision"),
        "{made}"
    );
    // Two districts' reviews of the same title on the same day.
    let review = |host: &str| {
        danvan(
            dir,
            &[
                "--store",
                "s",
                "conference",
                "add",
                "--title",
                "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2025",
                "--kind",
                "sơ kết 6 tháng",
                "--date",
                "10/7/2025",
                "--province",
                "Thái Nguyên",
                "--host",
                host,
                "--in-person",
            ],
        )
    };
    let first = review("Ban Dân vận Huyện ủy Phú Lương");
    assert!(
        first.contains("Added conference tn-2025-07-10-hoi-nghi-so-ket-cong-tac-dan-van-6 "),
        "{first}"
    );
    let second = review("Ban Dân vận Huyện ủy Định Hóa");
    assert!(
        second.contains("Added conference tn-2025-07-10-hoi-nghi-so-ket-cong-tac-dan-van-6-2 "),
        "{second}"
    );
}

/// "Chiều 14/3/2025", as a news item opens, keeps its part of the day (issue 27, point 4): it
/// was read and dropped. Typed apart, `--part-of-day` says it.
#[test]
fn a_date_keeps_its_part_of_the_day() {
    let tmp = desk();
    let dir = tmp.path();
    for (id, date, extra) in [
        ("c1", "Chiều 14/3/2025", None),
        ("c2", "14/3/2025", Some("sáng")),
    ] {
        let mut args = vec![
            "conference",
            "add",
            "--id",
            id,
            "--title",
            "Hội nghị giao ban công tác dân vận quý I",
            "--kind",
            "giao ban",
            "--date",
            date,
            "--province",
            "Thái Nguyên",
            "--host",
            "Ban Tuyên giáo và Dân vận Tỉnh ủy",
            "--in-person",
        ];
        if let Some(part) = extra {
            args.extend(["--part-of-day", part]);
        }
        run(dir, &args);
    }
    let c1 = stored(dir, "conference", "c1");
    assert!(
        c1.contains("\"part_of_day\": \"afternoon\"") && c1.contains("\"date\": \"2025-03-14\""),
        "{c1}"
    );
    assert!(c1.contains("\"kinds\": [\n    \"briefing\"\n  ]"), "{c1}");
    let c2 = stored(dir, "conference", "c2");
    assert!(c2.contains("\"part_of_day\": \"morning\""), "{c2}");
}

/// "Kế hoạch … thực hiện Kết luận …" is two records and a link (issue 27, point 5): the plan
/// with its own date and issuer, the conclusion with its own, recorded once — a second plan
/// carrying it out links the same record. A document cited by number and term only keeps them,
/// with no symbol invented.
#[test]
fn a_chained_citation_is_two_records_and_a_link() {
    let tmp = desk();
    let dir = tmp.path();
    run(
        dir,
        &[
            "directive",
            "add",
            "--province",
            "Thái Nguyên",
            "--number",
            "Kế hoạch số 52-KH/TU ngày 12/4/2020 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị về tiếp tục đẩy mạnh thực hiện Nghị quyết Trung ương 7 khóa X",
        ],
    );
    let plan = stored(dir, "directive", "tn-52-kh-tu-2020");
    assert!(plan.contains("\"issued_on\": \"2020-04-12\""), "{plan}");
    assert!(
        plan.contains("\"issuer\": \"Ban Thường vụ Tỉnh ủy\""),
        "{plan}"
    );
    assert!(
        plan.contains("\"directive\": \"tw-120-kl-tw-2016\""),
        "{plan}"
    );
    assert!(plan.contains("\"relation\": \"implements\""), "{plan}");
    let conclusion = stored(dir, "directive", "tw-120-kl-tw-2016");
    assert!(
        conclusion.contains("\"issued_on\": \"2016-01-07\""),
        "{conclusion}"
    );
    assert!(
        conclusion.contains("\"issuer\": \"Bộ Chính trị\""),
        "{conclusion}"
    );
    assert!(
        !conclusion.contains("province"),
        "a central document: {conclusion}"
    );
    run(
        dir,
        &[
            "directive",
            "add",
            "--province",
            "Thái Nguyên",
            "--number",
            "Hướng dẫn số 05-HD/BDVTU ngày 20/5/2020 của Ban Dân vận Tỉnh ủy hướng dẫn thực hiện Kết luận số 120-KL/TW",
        ],
    );
    let guide = stored(dir, "directive", "tn-05-hd-bdvtu-2020");
    assert!(guide.contains("\"relation\": \"guides\""), "{guide}");
    assert!(
        guide.contains("\"directive\": \"tw-120-kl-tw-2016\""),
        "{guide}"
    );
    let listed = danvan(dir, &["--store", "s", "directive", "list"]);
    assert!(listed.contains("3 of 3 directives"), "{listed}");
    run(
        dir,
        &[
            "directive",
            "add",
            "--number",
            "Chỉ thị số 16 khóa IX",
            "--title",
            "Về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận",
        ],
    );
    let ordinal = stored(dir, "directive", "tw-chi-thi-16-khoa-ix");
    assert!(
        ordinal.contains("\"ordinal\": 16") && ordinal.contains("\"term\": \"khóa IX\""),
        "{ordinal}"
    );
    assert!(!ordinal.contains("\"number\""), "{ordinal}");
}
