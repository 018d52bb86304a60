//! What the domain's second pass means for reports: held reviews by any evidence, provinces'
//! reviews of central directives, units' figures and shorter periods' figures shown apart and
//! never added in, a ratio given only as a percentage, and the board as named at the report's
//! date.

use chrono::NaiveDate;
use danvan_report::{Format, Lang, build, render};
use danvan_store::{ProvinceMap, Store};

use crate::{demo_store, scope};

#[test]
fn reviews_held_without_a_conference_count_and_are_never_due() {
    let (_tmp, store) = demo_store();
    let data = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2024S1"),
    )
    .unwrap();
    let held: Vec<&str> = data
        .directives
        .reviews_held
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    // 31-KH/BDVTU's mid-term review is known only as held in 2024S1, with a news article.
    assert!(held.contains(&"tn-31-kh-2023"), "{held:?}");
    let due: Vec<(&str, Option<&str>)> = data
        .directives
        .overdue
        .iter()
        .chain(&data.directives.due_next)
        .map(|l| (l.id.as_str(), l.review.as_deref()))
        .collect();
    assert!(
        !due.contains(&("tn-31-kh-2023", Some("sơ kết giữa kỳ"))),
        "{due:?}"
    );
}

#[test]
fn a_provinces_review_of_a_central_directive_is_counted_under_it() {
    let (_tmp, store) = demo_store();
    // Thái Nguyên held its ten-year review of 25-NQ/TW on 26 May 2023 (report 115-BC/TU).
    let tn = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2023"),
    )
    .unwrap();
    assert!(
        tn.directives
            .reviews_held
            .iter()
            .any(|l| l.id == "tw-25-nq-2013" && l.review.as_deref() == Some("sơ kết 10 năm")),
        "{:?}",
        tn.directives.reviews_held
    );
    // Lào Cai's, due in 2023 and not held, is Lào Cai's overdue review, not Thái Nguyên's.
    let lc = build(
        &store,
        &scope(Some("lao-cai"), ProvinceMap::Current, "2024"),
    )
    .unwrap();
    assert!(
        lc.directives
            .overdue
            .iter()
            .any(|l| l.id == "tw-25-nq-2013")
    );
    let tn2024 = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::Current, "2024"),
    )
    .unwrap();
    assert!(
        !tn2024
            .directives
            .overdue
            .iter()
            .any(|l| l.id == "tw-25-nq-2013")
    );
    // A province's report does not claim the central documents as issued by it.
    assert!(tn.directives.issued.iter().all(|l| l.id != "tw-25-nq-2013"));
}

#[test]
fn units_and_shorter_periods_are_shown_apart_and_never_added_in() {
    let (_tmp, store) = demo_store();
    let data = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2024"),
    )
    .unwrap();
    let row = data
        .indicators
        .iter()
        .find(|r| r.indicator == "complaints_resolved");
    // The bloc's 38/40 is not in the province's figure (the province has none for the year).
    assert!(
        row.is_none_or(|r| r.ratio != Some((38, 40)) && r.observations == 0),
        "{row:?}"
    );
    let others: Vec<(&str, String)> = data
        .other_figures
        .iter()
        .map(|f| (f.observation.as_str(), f.period.to_string()))
        .collect();
    assert!(
        others.contains(&("tn-2024-khoi-cq-complaints", "2024".to_string())),
        "{others:?}"
    );
    // June's dialogues inside the year: shown with their month, not added to the year's 312.
    assert!(
        others.contains(&("tn-202406-dialogues", "202406".to_string())),
        "{others:?}"
    );
    let dialogues = data
        .indicators
        .iter()
        .find(|r| r.indicator == "dialogues_held")
        .unwrap();
    assert_eq!(dialogues.value.unwrap().to_string(), "312");
    let md = String::from_utf8(
        render(
            &store,
            &scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2024"),
            Format::Markdown,
            Lang::Vi,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(md.contains("- Đảng bộ Khối các cơ quan tỉnh — Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh được giải quyết (năm 2024): 38/40 (95%)."), "{md}");
    assert!(md.contains("Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân (tháng 6 năm 2024): 31."), "{md}");
}

#[test]
fn a_ratio_given_only_as_a_percentage_is_shown_as_stated() {
    let (_tmp, store) = demo_store();
    let data = build(
        &store,
        &scope(Some("lao-cai"), ProvinceMap::AsRecorded, "2025"),
    )
    .unwrap();
    let r = data
        .indicators
        .iter()
        .find(|r| r.indicator == "grassroots_democracy_units")
        .unwrap();
    assert_eq!(r.ratio, None);
    assert_eq!(r.value.unwrap().to_string(), "92");
}

#[test]
fn the_board_is_named_as_it_was_on_the_reports_date() {
    let (tmp, store) = demo_store();
    let mut before = scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2024S1");
    before.today = NaiveDate::from_ymd_opt(2024, 7, 5).unwrap();
    let md = |s: &danvan_report::Scope| {
        String::from_utf8(render(&store, s, Format::Markdown, Lang::Vi).unwrap()).unwrap()
    };
    let text = md(&before);
    assert!(text.contains("| **BAN DÂN VẬN** |"), "{text}");
    assert!(text.contains("-BC/BDVTU"), "{text}");
    assert!(text.contains("- Ban Dân vận Trung ương,"), "{text}");
    let after = scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2024S1");
    let text = md(&after);
    assert!(text.contains("| **BAN TUYÊN GIÁO VÀ DÂN VẬN** |"), "{text}");
    assert!(text.contains("-BC/BTGDVTU"), "{text}");
    // Corrected in data: a store's boards.json moves Thái Nguyên's merger before 5 July 2024.
    std::fs::write(
        tmp.path().join("boards.json"),
        r#"{"central": "2025-02-07", "default": "2025-03-01", "provinces": {"thai-nguyen": "2024-07-01"}}"#,
    )
    .unwrap();
    assert_eq!(
        store.board_calendar().unwrap().provinces["thai-nguyen"],
        NaiveDate::from_ymd_opt(2024, 7, 1).unwrap()
    );
    let text = md(&before);
    assert!(text.contains("-BC/BTGDVTU"), "{text}");
    // The central board had not merged yet.
    assert!(text.contains("- Ban Dân vận Trung ương,"), "{text}");
    // A broken boards.json is an error naming the file, not a silent default.
    std::fs::write(tmp.path().join("boards.json"), "{").unwrap();
    let e = store.board_calendar().unwrap_err().to_string();
    assert!(e.contains("boards.json"), "{e}");
    assert!(e.contains("boards.json:1:1:"), "the position is named: {e}");
    // Validation reports the damaged file too, rather than passing over it.
    assert!(store.validate().is_err());
}

#[test]
fn a_review_due_in_the_year_and_not_held_is_overdue_in_that_years_report() {
    let (_tmp, store) = demo_store();
    // 31-KH/BDVTU's final review is due "2025" and not held.
    let data = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2025"),
    )
    .unwrap();
    assert!(
        data.directives
            .overdue
            .iter()
            .any(|l| l.id == "tn-31-kh-2023" && l.review.as_deref() == Some("tổng kết")),
        "{:?}",
        data.directives.overdue
    );
    assert!(
        !data
            .directives
            .due_next
            .iter()
            .any(|l| l.id == "tn-31-kh-2023")
    );
}

/// The national report reads directives as the store lends them, in no set order; its lines
/// must still come out as `due_reviews` orders reviews over the directives sorted by ID
/// (overdue first, then by deadline, ID and milestone), and held reviews by ID and milestone.
#[test]
fn directive_lines_keep_the_order_of_due_reviews_over_directives_by_id() {
    use danvan_core::dataset::Dataset;
    use danvan_core::directive::{DueState, due_reviews};
    let records: Vec<_> = danvan_core::generate::Generator::new(6_000, 7)
        .records()
        .collect();
    let (_tmp, store) = crate::store_with(Dataset::from_records(records));
    let s = scope(None, ProvinceMap::Current, "2024");
    let data = build(&store, &s).unwrap();
    let mut all = store
        .export(Some(&danvan_store::Query::kind(
            danvan_core::record_kind::RecordKind::Directive,
        )))
        .unwrap()
        .dataset
        .directives;
    all.sort_by(|a, b| a.id.cmp(&b.id));
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let due = due_reviews(&all, day(2025, 1, 1), day(2025, 12, 31));
    let expected = |overdue: bool| -> Vec<(String, Option<usize>)> {
        due.iter()
            .filter(|r| matches!(r.state, DueState::Overdue { .. }) == overdue)
            .map(|r| (r.directive.id.to_string(), Some(r.milestone_index)))
            .collect()
    };
    let lines = |v: &[danvan_report::data::DirectiveLine]| -> Vec<(String, Option<usize>)> {
        v.iter().map(|l| (l.id.clone(), l.milestone)).collect()
    };
    let overdue = lines(&data.directives.overdue);
    assert!(overdue.len() > 100, "{}", overdue.len());
    assert_eq!(overdue, expected(true));
    let due_next = lines(&data.directives.due_next);
    assert!(!due_next.is_empty());
    assert_eq!(due_next, expected(false));
    // Several reviews share a deadline, so the ID and milestone decide the order.
    assert!(
        data.directives
            .overdue
            .windows(2)
            .any(|w| w[0].deadline == w[1].deadline && w[0].id != w[1].id)
    );
    let held = lines(&data.directives.reviews_held);
    assert!(!held.is_empty());
    let mut sorted = held.clone();
    sorted.sort();
    assert_eq!(held, sorted);
    let issued = lines(&data.directives.issued);
    assert!(!issued.is_empty() && issued.is_sorted());
}
