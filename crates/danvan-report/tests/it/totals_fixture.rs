//! The totals fixture (`fixtures/totals`): three provinces with their registries of reporting
//! units on both sides of 1 July 2025 — Bắc Kạn merged into Thái Nguyên, a district of it split
//! between two new communes, Hà Nội unchanged. Every total its README works out by hand, as the
//! reports print it; before the registry, each of these said "tổng hợp từ 0N huyện có số liệu"
//! with nothing to count it against.

use danvan_core::number::Decimal;
use danvan_report::check::{check, check_data};
use danvan_report::data::{ReportData, UnitTotal};
use danvan_report::{Format, Lang, build, render};
use danvan_store::{JsonStore, ProvinceMap};

use crate::{fixture_store, scope};

fn report(
    store: &JsonStore,
    province: &str,
    map: ProvinceMap,
    period: &str,
) -> (ReportData, String) {
    let s = scope(Some(province), map, period);
    let data = build(store, &s).unwrap();
    let text = String::from_utf8(render(store, &s, Format::Markdown, Lang::Vi).unwrap()).unwrap();
    assert!(
        check(&data, Lang::Vi).is_empty(),
        "{:#?}",
        check(&data, Lang::Vi)
    );
    assert!(check_data(&data).is_empty(), "{:#?}", check_data(&data));
    (data, text)
}

fn total<'a>(data: &'a ReportData, code: &str, level: &str) -> &'a UnitTotal {
    data.unit_totals
        .iter()
        .find(|t| t.indicator == code && t.level.name_vi() == level)
        .unwrap_or_else(|| panic!("no total of {code} by {level}: {:#?}", data.unit_totals))
}

const DIALOGUES: &str =
    "- Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân: ";

fn has(text: &str, line: &str) {
    assert!(text.contains(line), "expected {line:?} in\n{text}");
}

/// Totals 1 and 2: Thái Nguyên in 2024, as it was and on today's map (with Bắc Kạn).
#[test]
fn thai_nguyen_2024_on_both_maps() {
    let (_dir, store) = fixture_store("totals");
    let (data, text) = report(&store, "thai-nguyen", ProvinceMap::AsRecorded, "2024");
    let t = total(&data, "dialogues_held", "huyện");
    assert_eq!(
        (t.units, t.due, t.value),
        (2, Some(3), Some(Decimal::from_int(19)))
    );
    has(
        &text,
        &format!(
            "{DIALOGUES}19, tổng hợp từ 2/3 huyện (chưa đủ: thiếu số liệu của huyện Võ Nhai); theo báo cáo của tỉnh: 20 (chênh lệch 1)."
        ),
    );
    let c = total(&data, "complaints_resolved", "huyện");
    assert_eq!(c.ratio, Some((135, 150)));
    has(
        &text,
        "135/150 (90%), tổng hợp từ 2/3 huyện (chưa đủ: thiếu số liệu của huyện Võ Nhai).",
    );
    let row = data
        .indicators
        .iter()
        .find(|r| r.indicator == "dialogues_held")
        .unwrap();
    assert_eq!(row.change, Some(Decimal::from_int(2)));

    let (data, text) = report(&store, "thai-nguyen", ProvinceMap::Current, "2024");
    let t = total(&data, "dialogues_held", "huyện");
    assert_eq!(
        (t.units, t.due, t.value),
        (5, Some(6), Some(Decimal::from_int(34)))
    );
    has(
        &text,
        &format!(
            "{DIALOGUES}34, tổng hợp từ 5/6 huyện (chưa đủ: thiếu số liệu của huyện Võ Nhai); theo báo cáo của tỉnh: 35 (chênh lệch 1)."
        ),
    );
    let row = data
        .indicators
        .iter()
        .find(|r| r.indicator == "dialogues_held")
        .unwrap();
    assert_eq!(
        (row.value, row.change),
        (Some(Decimal::from_int(35)), Some(Decimal::from_int(3)))
    );
}

/// Total 3: the merged province, whole.
#[test]
fn bac_kan_2024_is_complete() {
    let (_dir, store) = fixture_store("totals");
    let (data, text) = report(&store, "bac-kan", ProvinceMap::AsRecorded, "2024");
    let t = total(&data, "dialogues_held", "huyện");
    assert_eq!(
        (t.units, t.due, t.difference),
        (3, Some(3), Some(Decimal::ZERO))
    );
    has(
        &text,
        &format!("{DIALOGUES}15, tổng hợp từ 3/3 huyện; theo báo cáo của tỉnh: 15."),
    );
}

/// Totals 4 and 5: 2025 either side of the date. Districts are due in the first half, not in
/// the second, when the communes are (a district is then neither due nor missing).
#[test]
fn thai_nguyen_2025_either_side_of_the_first_of_july() {
    let (_dir, store) = fixture_store("totals");
    let (data, text) = report(&store, "thai-nguyen", ProvinceMap::Current, "2025S1");
    let t = total(&data, "dialogues_held", "huyện");
    assert_eq!(
        (t.units, t.due, t.value),
        (5, Some(6), Some(Decimal::from_int(15)))
    );
    assert_eq!(t.missing, ["huyện Chợ Đồn"]);
    has(
        &text,
        &format!(
            "{DIALOGUES}15, tổng hợp từ 5/6 huyện (chưa đủ: thiếu số liệu của huyện Chợ Đồn)."
        ),
    );
    assert_eq!(
        data.unit_totals.len(),
        1,
        "no communes' total before 1/7/2025"
    );

    let (data, text) = report(&store, "thai-nguyen", ProvinceMap::Current, "2025S2");
    assert_eq!(data.unit_totals.len(), 1, "{:#?}", data.unit_totals);
    let t = total(&data, "dialogues_held", "xã");
    assert_eq!(
        (t.units, t.due, t.value),
        (4, Some(5), Some(Decimal::from_int(10)))
    );
    has(
        &text,
        &format!(
            "{DIALOGUES}10, tổng hợp từ 4/5 xã (chưa đủ: thiếu số liệu của xã Nam Cường); theo báo cáo của tỉnh: 12 (chênh lệch 2)."
        ),
    );
    assert!(!text.contains("huyện Võ Nhai"), "{text}");
}

/// Totals 6 and 7: the unchanged province; a single commune's figure is listed, not totalled.
#[test]
fn ha_noi_departments_on_both_sides() {
    let (_dir, store) = fixture_store("totals");
    let (_, text) = report(&store, "ha-noi", ProvinceMap::AsRecorded, "2024");
    has(
        &text,
        &format!("{DIALOGUES}5, tổng hợp từ 2/2 sở, ngành; theo báo cáo của tỉnh: 5."),
    );
    let (data, text) = report(&store, "ha-noi", ProvinceMap::AsRecorded, "2025S2");
    assert_eq!(data.unit_totals.len(), 1, "{:#?}", data.unit_totals);
    has(&text, &format!("{DIALOGUES}3, tổng hợp từ 2/2 sở, ngành."));
    assert!(
        data.other_figures
            .iter()
            .any(|f| f.observation == "hn-2025s2-soc-son-dialogues"),
        "{:#?}",
        data.other_figures
    );
}

/// The checker finds a units' total that hides its coverage, and coverage that does not add
/// up.
#[test]
fn the_checker_finds_a_total_without_its_coverage() {
    let (_dir, store) = fixture_store("totals");
    let s = scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2024");
    let mut data = build(&store, &s).unwrap();
    let doc = danvan_report::compose::compose(&data, Lang::Vi);
    assert!(danvan_report::check::check_document(&data, &doc).is_empty());
    // Told the registry had one district more than it has, the printed 2/3 no longer says it.
    data.unit_totals[0].due = Some(4);
    let rules: Vec<&str> = danvan_report::check::check_document(&data, &doc)
        .iter()
        .map(|f| f.rule)
        .collect();
    assert!(rules.contains(&"incomplete_total"), "{rules:?}");
    let rules: Vec<&str> = check_data(&data).iter().map(|f| f.rule).collect();
    assert!(rules.contains(&"unit_coverage"), "{rules:?}");
}
