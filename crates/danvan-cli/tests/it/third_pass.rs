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
