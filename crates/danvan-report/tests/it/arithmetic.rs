//! Golden tests of the figures: percentages, changes, roll-ups across the 2025 merger, stated
//! versus computed, periods with no data.

use danvan_core::number::Decimal;
use danvan_report::{Status, build};
use danvan_store::ProvinceMap;

use crate::{demo_store, scope};

fn row<'a>(
    data: &'a danvan_report::ReportData,
    code: &str,
) -> &'a danvan_report::data::IndicatorRow {
    data.indicators
        .iter()
        .find(|r| r.indicator == code)
        .unwrap_or_else(|| panic!("no row {code}"))
}

#[test]
fn bac_kan_and_thai_nguyen_2024_roll_into_thai_nguyen() {
    let (_tmp, store) = demo_store();
    let current = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::Current, "2024"),
    )
    .unwrap();
    // 19/20 departments in Thái Nguyên and 18/19 in Bắc Kạn: 37/39, not the mean of 95% and 94,74%.
    let r = row(&current, "one_stop_departments");
    assert_eq!(r.ratio, Some((37, 39)));
    assert_eq!(r.value, Some(Decimal::new(9487, 2)));
    assert_eq!(r.observations, 2);
    assert_eq!(row(&current, "one_stop_communes").ratio, Some((286, 286)));
    // Counts add up: 312 + 96 dialogues.
    assert_eq!(
        row(&current, "dialogues_held").value,
        Some(Decimal::from_int(408))
    );

    let recorded = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2024"),
    )
    .unwrap();
    let r = row(&recorded, "one_stop_departments");
    assert_eq!(
        (r.ratio, r.value),
        (Some((19, 20)), Some(Decimal::new(9500, 2)))
    );
}

#[test]
fn changes_targets_and_status() {
    let (_tmp, store) = demo_store();
    let data = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::AsRecorded, "2024"),
    )
    .unwrap();
    // Communes meeting the criteria: 131/178 = 73,60% against a target of 80: off track.
    let r = row(&data, "communes_dan_van_kheo_standard");
    assert_eq!(
        (r.value, r.target, r.status),
        (
            Some(Decimal::new(7360, 2)),
            Some(Decimal::from_int(80)),
            Status::OffTrack
        )
    );
    // SIPAS 85,92 after 84,1: +1,82 points, better than before, no target: on track.
    let r = row(&data, "sipas");
    assert_eq!(
        (r.previous, r.change, r.status),
        (
            Some(Decimal::new(841, 1)),
            Some(Decimal::new(182, 2)),
            Status::OnTrack
        )
    );
    // Complaints received went up (lower is better): off track against the previous year.
    let r = row(&data, "complaints_received");
    assert_eq!(
        (r.value, r.previous, r.status),
        (
            Some(Decimal::from_int(2650)),
            Some(Decimal::from_int(2481)),
            Status::OffTrack
        )
    );
    // PAPI has no earlier figure and no target.
    assert_eq!(row(&data, "papi").status, Status::NoTarget);
}

#[test]
fn stated_percentages_that_disagree_are_flagged() {
    let (_tmp, store) = demo_store();
    let data = build(
        &store,
        &scope(Some("lao-cai"), ProvinceMap::Current, "2024"),
    )
    .unwrap();
    let r = row(&data, "complaints_resolved");
    // Yên Bái's "trên 97%" for 388/402 = 96,52% rolls into Lào Cai with Lào Cai's 512/540.
    assert_eq!(r.ratio, Some((900, 942)));
    assert_eq!(r.inconsistent, ["yb-2024-complaints"]);
}

#[test]
fn a_period_with_no_data_has_no_rows_and_no_invented_figures() {
    let (_tmp, store) = demo_store();
    let data = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::Current, "2019"),
    )
    .unwrap();
    assert!(data.indicators.is_empty());
    assert!(data.conferences.items.is_empty());
    let national = build(&store, &scope(None, ProvinceMap::Current, "2019")).unwrap();
    assert_eq!(national.not_reporting.len(), 34);
    let old_map = build(&store, &scope(None, ProvinceMap::AsRecorded, "2019")).unwrap();
    assert_eq!(old_map.not_reporting.len(), 63);
    // In 2024 Thái Nguyên, Bắc Kạn, Hà Nội, Thừa Thiên Huế, Yên Bái, Lào Cai, Sóc Trăng, Cần Thơ
    // reported; on today's map that is 5 units.
    let y2024 = build(&store, &scope(None, ProvinceMap::Current, "2024")).unwrap();
    assert_eq!(
        y2024.not_reporting.len(),
        34 - 5,
        "{:?}",
        y2024.not_reporting
    );
}

#[test]
fn six_month_report_of_thai_nguyen_2024_as_markdown() {
    let (_tmp, store) = demo_store();
    let data = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::Current, "2024S1"),
    )
    .unwrap();
    insta::assert_snapshot!(danvan_report::markdown::render(&data));
}
