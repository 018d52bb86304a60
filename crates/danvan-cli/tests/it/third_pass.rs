//! The domain's third pass through the CLI, on texts written the way provincial news and
//! decisions write them: what a text does not say stays unknown, what a clerk works out is
//! marked as inferred — and `validate`, `search` and the report say so.

use crate::danvan;

/// A news item on the province's portal, published 16/3/2025 at baolaocai.vn:
///
/// > Chiều 14/3, Ban Dân vận Tỉnh ủy tổ chức hội nghị giao ban công tác dân vận quý I năm
/// > 2025. … Mô hình "Bếp ăn tình thương cho bệnh nhân nghèo" tiếp tục được duy trì …
///
/// It gives the day and month of the meeting, not its year; the province only by the site; no
/// format; a model with neither its start year nor its field nor the unit that built it.
#[test]
fn a_date_without_a_year_a_province_from_the_site_and_a_model_the_text_barely_names() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let run = |args: &[&str]| {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        danvan(dir, &all)
    };
    let id = record_the_news_item(dir);
    let out = run(&["validate", "--inferred"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    for line in [
        "3 values are inferred, not stated by a source:",
        &format!("conference {id}: date.year = 2025-03-14 (năm suy ra từ ngày đăng tin)"),
        &format!("conference {id}: province = lao-cai (suy ra từ trang đăng tin)"),
        "model lc-2025-dan-van-kheo-trong-hien-dat-mo-duong: start_year = 2025 (suy ra từ hiểu biết của người nhập)",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    // Search says when what it matched was inferred.
    let out = run(&["search", "Lào Cai"]);
    assert!(
        out.contains(&format!(
            "{id}  province: Lào Cai (suy ra từ trang đăng tin)"
        )),
        "{out}"
    );
    assert!(
        out.contains("lc-bep-an-tinh-thuong-cho-benh-nhan-ngheo             province: Lào Cai\n"),
        "{out}"
    );

    // The report says which date was inferred, counts the inferred start year as such and the
    // model without one in no period.
    let out = run(&[
        "report",
        "--province",
        "Lào Cai",
        "--period",
        "6 tháng đầu năm 2025",
        "--date",
        "2025-06-30",
    ]);
    assert!(out.starts_with("exit: 0"), "{out}");
    for said in [
        "Ngày 14/3/2025 (năm suy ra từ ngày đăng tin), Ban Dân vận Tỉnh ủy tổ chức hội nghị giao ban công tác dân vận quý I năm 2025.",
        "xây dựng mới 01 mô hình “Dân vận khéo” (trong đó 01 mô hình có năm bắt đầu suy ra)",
        "01 mô hình chưa rõ năm bắt đầu, không được tính vào số xây dựng mới và số phát huy hiệu quả",
    ] {
        assert!(out.contains(said), "{said}\n{out}");
    }
    assert!(!out.contains("trực tiếp"), "no format was invented: {out}");
}

/// Records the news item as a clerk would, in a new store at `dir/s`; returns the
/// conference's ID.
fn record_the_news_item(dir: &std::path::Path) -> &'static str {
    let run = |args: &[&str]| {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        danvan(dir, &all)
    };
    assert!(run(&["init", "-q"]).starts_with("exit: 0"));
    let conference = [
        "conference",
        "add",
        "--title",
        "Hội nghị giao ban công tác dân vận quý I năm 2025",
        "--kind",
        "giao ban",
        "--host",
        "Ban Dân vận Tỉnh ủy",
    ];
    // The year is not guessed: the clerk is told the text gives none, and how to record one.
    let mut args = conference.to_vec();
    args.extend(["--date", "Chiều 14/3"]);
    let out = run(&args);
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(
        out.contains("\"Chiều 14/3\" has no year; write the year (14/3/2025) and, when the text does not state it, mark it as inferred: date.year=ngày đăng tin"),
        "{out}"
    );
    // Given, and marked: the year from the publication date, the province from the site. The
    // format is left out, not defaulted.
    let mut args = conference.to_vec();
    args.extend([
        "--date",
        "Chiều 14/3/2025",
        "--province",
        "Lào Cai",
        "--inferred",
        "date.year=ngày đăng tin",
        "--inferred",
        "tỉnh=trang đăng tin",
        "--source",
        "https://baolaocai.vn/giao-ban-dan-van-quy-i-2025",
    ]);
    let out = run(&args);
    assert!(out.starts_with("exit: 0"), "{out}");
    let id = "lc-2025-03-14-hoi-nghi-giao-ban-cong-tac-dan-van-quy";
    let shown = run(&["--json", "conference", "show", id]);
    let shown_json = crate::stdout_json(&shown);
    let record = &shown_json["record"]["record"];
    assert_eq!(record["part_of_day"], "afternoon", "{shown}");
    assert!(record.get("format").is_none(), "{shown}");
    assert_eq!(
        record["inferred"],
        serde_json::json!([
            {"field": "date.year", "from": "publication_date"},
            {"field": "province", "from": "source_site"}
        ]),
        "{shown}"
    );
    // A model known by its name and province only; another whose start year the clerk knows.
    for args in [
        &[
            "model",
            "add",
            "--name",
            "Bếp ăn tình thương cho bệnh nhân nghèo",
            "--province",
            "Lào Cai",
        ][..],
        &[
            "model",
            "add",
            "--name",
            "Dân vận khéo trong hiến đất mở đường",
            "--province",
            "Lào Cai",
            "--year",
            "2025",
            "--field",
            "kinh tế",
            "--unit",
            "Hội Nông dân xã Gia Phú",
            "--inferred",
            "start_year=người nhập",
        ][..],
    ] {
        let out = run(args);
        assert!(out.starts_with("exit: 0"), "{out}");
    }
    // A mark on a field that holds nothing is refused: unknown is left out, not inferred.
    let out = run(&[
        "model",
        "add",
        "--name",
        "Tổ hòa giải ở cơ sở",
        "--province",
        "Lào Cai",
        "--inferred",
        "field=người nhập",
    ]);
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(
        out.contains("\"field\" is marked inferred but holds no value"),
        "{out}"
    );

    id
}

/// "… thực hiện Chỉ thị số 16 của Ban Bí thư khóa IX …": a document cited by its ordinal and
/// term, with no symbol, date, title or status — recorded as such, shown by its label.
#[test]
fn a_document_cited_by_ordinal_only_keeps_no_invented_title_or_status() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(danvan(dir, &["--store", "s", "init", "-q"]).starts_with("exit: 0"));
    let out = danvan(
        dir,
        &[
            "--store",
            "s",
            "directive",
            "add",
            "--type",
            "Chỉ thị",
            "--ordinal",
            "16",
            "--set",
            "term=khóa IX",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    let shown = danvan(
        dir,
        &[
            "--store",
            "s",
            "--json",
            "directive",
            "show",
            "tw-chi-thi-16-khoa-ix",
        ],
    );
    let shown_json = crate::stdout_json(&shown);
    let record = &shown_json["record"]["record"];
    assert_eq!(record["ordinal"], 16, "{shown}");
    assert!(record.get("title").is_none(), "{shown}");
    assert!(record.get("status").is_none(), "{shown}");
    let out = danvan(dir, &["--store", "s", "search", "chi thi 16"]);
    assert!(out.contains("tw-chi-thi-16-khoa-ix"), "{out}");
    // Nothing identifies a document with neither number, ordinal nor title.
    let out = danvan(
        dir,
        &[
            "--store",
            "s",
            "directive",
            "add",
            "--type",
            "Kế hoạch",
            "--id",
            "kh",
        ],
    );
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(
        out.contains("title: a document with neither number nor ordinal is known by its title"),
        "{out}"
    );
}

/// Three texts of the shapes the third pass added, recorded through the CLI and read back in
/// the report:
///
/// > Sáng 15/3/2025, Ban Thường vụ Tỉnh ủy tổ chức hội nghị trực tiếp kết hợp trực tuyến quán
/// > triệt Kết luận số 120-KL/TW đến 230 điểm cầu, gồm điểm cầu chính tại Hội trường Tỉnh ủy và
/// > 229 điểm cầu cấp xã với khoảng 12.000 đại biểu tham dự.
///
/// > Dịp này, nhiều tập thể, cá nhân được Ban Thường vụ Tỉnh ủy tặng Giấy khen vì có thành tích
/// > trong phong trào thi đua "Dân vận khéo".
///
/// > Tỉnh ủy đã tổ chức sơ kết 3 năm thực hiện Kế hoạch số 52-KH/TU; qua sơ kết, 100% chi bộ
/// > đã xây dựng quy chế dân vận. (No date is given.)
#[test]
fn a_tiered_online_conference_an_award_with_no_count_and_an_undated_review() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let run = |args: &[&str]| {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        let out = danvan(dir, &all);
        assert!(out.starts_with("exit: 0"), "{args:?}\n{out}");
        out
    };
    record_the_three_texts(dir);
    // The counts stay unknown: "many" is not turned into a number.
    let shown = run(&["--json", "award", "show", "lc-giay-khen"]);
    let json = crate::stdout_json(&shown);
    assert_eq!(
        json["record"]["record"]["recipients"],
        serde_json::json!({"many": true}),
        "{shown}"
    );
    // An undated held review is neither overdue nor placed in any period.
    let due = run(&["due", "--as-of", "2025-06-30"]);
    assert!(!due.contains("lc-52-kh"), "{due}");
    let shown = run(&["--json", "directive", "show", "lc-52-kh"]);
    let json = crate::stdout_json(&shown);
    assert_eq!(
        json["record"]["record"]["milestones"][0]["held"],
        serde_json::json!({"date_unknown": true, "by": "Tỉnh ủy",
            "findings": ["100% chi bộ đã xây dựng quy chế dân vận"]}),
        "{shown}"
    );
    let out = run(&[
        "report",
        "--province",
        "Lào Cai",
        "--period",
        "6 tháng đầu năm 2025",
        "--date",
        "2025-06-30",
    ]);
    for said in [
        "hình thức trực tiếp kết hợp trực tuyến đến 230 điểm cầu (01 điểm cầu cấp tỉnh tại Hội trường Tỉnh ủy, 229 điểm cầu cấp xã với 12.000 đại biểu)",
        "Về khen thưởng, trong kỳ: Ban Thường vụ Tỉnh ủy tặng Giấy khen cho nhiều tập thể, cá nhân tại hội nghị quán triệt Kết luận số 120-KL/TW.",
    ] {
        assert!(out.contains(said), "{said}\n{out}");
    }
}

/// A review's date said unknown and given at once is refused, naming both flags.
#[test]
fn a_review_dated_and_said_undated_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(danvan(dir, &["--store", "s", "init", "-q"]).starts_with("exit: 0"));
    let out = danvan(
        dir,
        &[
            "--store",
            "s",
            "directive",
            "add",
            "--id",
            "lc-52-kh",
            "--number",
            "Kế hoạch số 52-KH/TU ngày 12/4/2022",
            "--review",
            "sơ kết 3 năm: 2024",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    let out = danvan(
        dir,
        &[
            "--store",
            "s",
            "directive",
            "review-held",
            "lc-52-kh",
            "1",
            "--date-unknown",
            "--on",
            "5/2024",
        ],
    );
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(out.contains("contradicts --on or --conference"), "{out}");
}

/// Records the conference, the award and the held review of the texts above in `dir/s`.
fn record_the_three_texts(dir: &std::path::Path) {
    let run = |args: &[&str]| {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        let out = danvan(dir, &all);
        assert!(out.starts_with("exit: 0"), "{args:?}\n{out}");
        out
    };
    run(&["init", "-q"]);
    run(&[
        "conference",
        "add",
        "--id",
        "lc-120",
        "--title",
        "Hội nghị quán triệt Kết luận số 120-KL/TW",
        "--kind",
        "chuyên đề",
        "--date",
        "Sáng 15/3/2025",
        "--province",
        "Lào Cai",
        "--host",
        "Ban Thường vụ Tỉnh ủy",
        "--hybrid",
        "230",
        "--points",
        "1 cấp tỉnh: Hội trường Tỉnh ủy",
        "--points",
        "229 cấp xã; 12.000 đại biểu",
    ]);
    run(&[
        "award",
        "add",
        "--id",
        "lc-giay-khen",
        "--form",
        "giấy khen",
        "--awarded-by",
        "Ban Thường vụ Tỉnh ủy",
        "--province",
        "Lào Cai",
        "--presented-on",
        "15/3/2025",
        "--many",
        "có",
        "--conference",
        "lc-120",
        "--movement",
        "Dân vận khéo",
    ]);
    run(&[
        "directive",
        "add",
        "--id",
        "lc-52-kh",
        "--number",
        "Kế hoạch số 52-KH/TU ngày 12/4/2022 của Ban Thường vụ Tỉnh ủy",
        "--province",
        "Lào Cai",
        "--phase",
        "giai đoạn 2022 - 2025",
        "--review",
        "sơ kết 3 năm: 2024",
    ]);
    run(&[
        "directive",
        "review-held",
        "lc-52-kh",
        "1",
        "--date-unknown",
        "--by",
        "Tỉnh ủy",
        "--finding",
        "100% chi bộ đã xây dựng quy chế dân vận",
    ]);
}
