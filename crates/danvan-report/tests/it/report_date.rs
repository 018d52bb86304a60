//! The report's date governs what it can know (issue 26, point 5, first part): a report dated
//! before its period ends narrates nothing held after that date, counts no review as overdue
//! whose deadline is still ahead (it is falling due), and counts nothing issued or held later.
//! Both tests fail on the code before: a Thái Nguyên 2025 report dated 18/12/2025 called the
//! review due by 31/12/2025 "đã quá hạn", and Lào Cai's narrated a conference of 20/12/2025.

use chrono::NaiveDate;
use danvan_report::{Format, Lang, Scope, build, render};
use danvan_store::ProvinceMap;

use crate::demo_store;

fn dated(province: &str, period: &str, y: i32, m: u32, d: u32) -> Scope {
    let mut s = Scope::new(
        Some(province),
        period.parse().unwrap(),
        NaiveDate::from_ymd_opt(y, m, d).unwrap(),
    );
    s.map = ProvinceMap::Current;
    s
}

#[test]
fn a_review_due_after_the_report_date_is_falling_due_not_overdue() {
    let (_dir, store) = demo_store();
    // Plan 31-KH/BDVTU's final review is due "in 2025", by 31 December.
    let early = build(&store, &dated("thai-nguyen", "2025", 2025, 12, 18)).unwrap();
    let ids = |lines: &[danvan_report::data::DirectiveLine]| {
        lines.iter().map(|l| l.id.clone()).collect::<Vec<_>>()
    };
    assert!(
        !ids(&early.directives.overdue).contains(&"tn-31-kh-2023".to_string()),
        "{:?}",
        early.directives.overdue
    );
    assert!(
        ids(&early.directives.due_next).contains(&"tn-31-kh-2023".to_string()),
        "{:?}",
        early.directives.due_next
    );
    let text = String::from_utf8(
        render(
            &store,
            &dated("thai-nguyen", "2025", 2025, 12, 18),
            Format::Markdown,
            Lang::Vi,
        )
        .unwrap(),
    )
    .unwrap();
    let overdue: Vec<&str> = text.lines().filter(|l| l.contains("quá hạn")).collect();
    assert!(
        overdue.iter().all(|l| !l.contains("31-KH/BDVTU")),
        "{overdue:#?}"
    );
    // Dated after the year, the same review not held is overdue.
    let late = build(&store, &dated("thai-nguyen", "2025", 2026, 1, 5)).unwrap();
    assert!(ids(&late.directives.overdue).contains(&"tn-31-kh-2023".to_string()));
}

#[test]
fn nothing_held_after_the_report_date_is_narrated_or_counted() {
    let (_dir, store) = demo_store();
    // Lào Cai's annual review conference is reported on 20 December 2025.
    let early = build(&store, &dated("lao-cai", "2025", 2025, 12, 18)).unwrap();
    let held: Vec<&str> = early
        .conferences
        .items
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert!(!held.contains(&"lc-2025-tong-ket-nam"), "{held:?}");
    let counted: usize = early.conferences.by_kind.iter().map(|g| g.count).sum();
    assert_eq!(counted, early.conferences.items.len());
    let late = build(&store, &dated("lao-cai", "2025", 2026, 1, 5)).unwrap();
    assert!(
        late.conferences
            .items
            .iter()
            .any(|c| c.id == "lc-2025-tong-ket-nam")
    );
}

/// A report dated before the 2025 merger is on the map of its date: a national report speaks
/// of the 63 provinces of then, and Thái Nguyên's does not take Bắc Kạn's conference as its
/// own. Dated after the merger, the same period is on today's map. (On the code before, a
/// report dated 25/6/2024 counted Bắc Kạn's conference as Thái Nguyên's and its national
/// tables had 34 provinces.)
#[test]
fn a_report_is_on_the_map_of_its_date() {
    let (_dir, store) = demo_store();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(Scope::map_on(day(2024, 6, 25)), ProvinceMap::AsRecorded);
    assert_eq!(Scope::map_on(day(2025, 6, 30)), ProvinceMap::AsRecorded);
    assert_eq!(Scope::map_on(day(2025, 7, 1)), ProvinceMap::Current);
    let period = "2024S1".parse().unwrap();
    let then = build(
        &store,
        &Scope::new(Some("thai-nguyen"), period, day(2024, 6, 26)),
    )
    .unwrap();
    let ids: Vec<&str> = then
        .conferences
        .items
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert!(!ids.contains(&"bk-2024-so-ket-ke-hoach-24"), "{ids:?}");
    let now = build(
        &store,
        &Scope::new(Some("thai-nguyen"), period, day(2025, 8, 1)),
    )
    .unwrap();
    let ids: Vec<&str> = now
        .conferences
        .items
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert!(ids.contains(&"bk-2024-so-ket-ke-hoach-24"), "{ids:?}");
    let national = build(&store, &Scope::new(None, period, day(2024, 6, 26))).unwrap();
    assert_eq!(national.provinces.len(), 63);
    let later = build(&store, &Scope::new(None, period, day(2025, 8, 1))).unwrap();
    assert_eq!(later.provinces.len(), 34);
}
