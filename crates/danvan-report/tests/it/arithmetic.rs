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
    // SIPAS 85,92 after 84,1: +1,82 points; with no target there is no judgement, only the
    // change.
    let r = row(&data, "sipas");
    assert_eq!(
        (r.previous, r.change, r.status),
        (
            Some(Decimal::new(841, 1)),
            Some(Decimal::new(182, 2)),
            Status::NoTarget
        )
    );
    // Complaints received went up: a volume with no better direction, never judged.
    let r = row(&data, "complaints_received");
    assert_eq!(
        (r.value, r.previous, r.status, r.direction),
        (
            Some(Decimal::from_int(2650)),
            Some(Decimal::from_int(2481)),
            Status::NoTarget,
            danvan_core::indicator::Direction::Neutral
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
fn national_table_rolls_up_on_the_current_map_and_splits_on_the_old_one() {
    let (_tmp, store) = demo_store();
    let current = build(&store, &scope(None, ProvinceMap::Current, "2024")).unwrap();
    let r = row(&current, "one_stop_departments");
    assert_eq!(r.by_province.len(), 34);
    let tn = r
        .by_province
        .iter()
        .find(|p| p.province == "thai-nguyen")
        .unwrap();
    assert_eq!(
        (tn.ratio, tn.value),
        (Some((37, 39)), Some(Decimal::new(9487, 2)))
    );
    assert!(r.by_province.iter().all(|p| p.province != "bac-kan"));
    // The summary counts Bắc Kạn's records for Thái Nguyên too.
    let summary = current
        .provinces
        .iter()
        .find(|p| p.province == "thai-nguyen")
        .unwrap();
    assert!(summary.indicators_reported > 0);

    let old = build(&store, &scope(None, ProvinceMap::AsRecorded, "2024")).unwrap();
    let r = row(&old, "one_stop_departments");
    assert_eq!(r.by_province.len(), 63);
    let figure = |slug: &str| {
        let p = r.by_province.iter().find(|p| p.province == slug).unwrap();
        (p.ratio, p.value)
    };
    assert_eq!(
        figure("thai-nguyen"),
        (Some((19, 20)), Some(Decimal::new(9500, 2)))
    );
    assert_eq!(
        figure("bac-kan"),
        (Some((18, 19)), Some(Decimal::new(9474, 2)))
    );
    // The national figure is the same on either map: 37/39 of all reported departments.
    assert_eq!(
        row(&old, "one_stop_departments").ratio,
        row(&current, "one_stop_departments").ratio
    );
}

#[test]
fn provinces_sort_in_vietnamese_order_or_best_first() {
    let (_tmp, store) = demo_store();
    let by_name = build(&store, &scope(None, ProvinceMap::AsRecorded, "2024")).unwrap();
    let names: Vec<&str> = row(&by_name, "complaints_resolved")
        .by_province
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    // Vietnamese order: "Cao Bằng" before "Cần Thơ", Đ after D, not after Z.
    let pos = |n: &str| names.iter().position(|x| *x == n).unwrap();
    assert!(pos("Cao Bằng") < pos("Cần Thơ"));
    assert!(pos("Điện Biên") < pos("Gia Lai"));

    let mut s = scope(None, ProvinceMap::AsRecorded, "2024");
    s.order = danvan_report::ProvinceOrder::Value;
    let by_value = build(&store, &s).unwrap();
    let values: Vec<Option<Decimal>> = row(&by_value, "complaints_resolved")
        .by_province
        .iter()
        .map(|p| p.value)
        .collect();
    let reported: Vec<Decimal> = values.iter().map_while(|v| *v).collect();
    assert!(reported.len() >= 2, "{values:?}");
    assert!(
        reported.windows(2).all(|w| w[0] >= w[1]),
        "higher is better: {reported:?}"
    );
    assert!(
        values[reported.len()..].iter().all(Option::is_none),
        "no data last"
    );
    // No better direction (complaints received): the largest volume first.
    let received: Vec<Decimal> = row(&by_value, "complaints_received")
        .by_province
        .iter()
        .map_while(|p| p.value)
        .collect();
    assert!(received.len() >= 2, "{received:?}");
    assert!(received.windows(2).all(|w| w[0] >= w[1]), "{received:?}");
}

#[test]
fn the_trend_holds_six_periods_ending_with_the_report() {
    let (_tmp, store) = demo_store();
    let data = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::Current, "2024S1"),
    )
    .unwrap();
    let r = row(&data, "complaints_resolved");
    let periods: Vec<String> = r.trend.iter().map(|p| p.period.id()).collect();
    assert_eq!(
        periods,
        ["2021S2", "2022S1", "2022S2", "2023S1", "2023S2", "2024S1"]
    );
    let last = r.trend.last().unwrap();
    assert_eq!(last.value, r.value);
    assert_eq!(r.trend[3].value, r.previous);
}

#[test]
fn models_are_counted_against_the_same_period_a_year_earlier() {
    let (_tmp, store) = demo_store();
    let data = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::Current, "2024"),
    )
    .unwrap();
    let total = |f: fn(&danvan_report::data::ModelRow) -> usize| -> usize {
        data.models.iter().map(f).sum()
    };
    assert_eq!(total(|m| m.built), 1);
    assert_eq!(total(|m| m.built_previous), 1);
    assert_eq!(total(|m| m.recognised), 1);
}

#[test]
fn an_index_of_many_provinces_is_listed_never_averaged() {
    use danvan_core::dataset::Dataset;
    use danvan_store::{ImportOptions, JsonStore, Store};
    // Every province's satisfaction index (SIPAS) but one. An index is never summed or averaged
    // across provinces (issue 26, point 2): the code before printed their mean, 85,31%.
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
    let provinces: Vec<_> = danvan_core::province::registry().valid_at(day).collect();
    assert_eq!(provinces.len(), 63);
    let records: Vec<danvan_core::dataset::AnyRecord> = provinces[..62]
        .iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::from_value(serde_json::json!({"kind": "observation", "record": {
                "id": format!("sipas-{i}"), "indicator": "sipas",
                "province": p.slug, "period": "2024",
                "value": if i % 2 == 0 { 80.125 } else { 90.5 }}}))
            .unwrap()
        })
        .collect();
    let report = store
        .import(Dataset::from_records(records), ImportOptions::default())
        .unwrap();
    assert!(!report.has_errors(), "{:?}", &report.problems[..3]);
    let data = build(&store, &scope(None, ProvinceMap::Current, "2024")).unwrap();
    let sipas = row(&data, "sipas");
    assert_eq!(sipas.value, None);
    assert_eq!(sipas.parts.len(), 62);
    assert!(
        sipas
            .parts
            .iter()
            .any(|p| p.value == Some(Decimal::new(80125, 3)))
    );
    assert_eq!(sipas.comparison, danvan_report::data::Comparison::None);
    let text = String::from_utf8(
        danvan_report::render(
            &store,
            &scope(None, ProvinceMap::Current, "2024"),
            danvan_report::Format::Markdown,
            danvan_report::Lang::Vi,
        )
        .unwrap(),
    )
    .unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("- Chỉ số hài lòng"))
        .unwrap();
    assert!(
        line.contains("không cộng, không tính bình quân")
            && line.contains("và 54 tỉnh, thành phố khác")
            && !line.contains("85,31"),
        "{line}"
    );
}

#[test]
fn the_cut_off_window_moves_late_december_into_the_next_six_months() {
    use danvan_core::dataset::Dataset;
    use danvan_store::{ImportOptions, JsonStore, Store};
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let conference = |id: &str, date: &str| -> danvan_core::dataset::AnyRecord {
        serde_json::from_value(serde_json::json!({"kind": "conference", "record": {
            "id": id, "kinds": ["thematic"], "title": "Hội nghị chuyên đề",
            "date": date, "province": "thai-nguyen", "host": "Ban Thường vụ Tỉnh ủy",
            "format": {"mode": "in_person"}}}))
        .unwrap()
    };
    let records = vec![
        conference("late-december", "2023-12-20"),
        conference("mid-june", "2024-06-20"),
    ];
    let report = store
        .import(Dataset::from_records(records), ImportOptions::default())
        .unwrap();
    assert!(!report.has_errors(), "{:?}", report.problems);
    let ids = |window| {
        let mut s = scope(Some("thai-nguyen"), ProvinceMap::Current, "2024S1");
        s.window = window;
        let data = build(&store, &s).unwrap();
        let ids: Vec<String> = data
            .conferences
            .items
            .iter()
            .map(|c| c.id.clone())
            .collect();
        (data.range, ids)
    };
    let day =
        |m, d| chrono::NaiveDate::from_ymd_opt(if m == 12 { 2023 } else { 2024 }, m, d).unwrap();
    assert_eq!(
        ids(danvan_core::period::Window::Calendar),
        ((day(1, 1), day(6, 30)), vec!["mid-june".to_string()])
    );
    // Decree 09/2019: 15 December to 14 June.
    assert_eq!(
        ids(danvan_core::period::Window::DECREE_09),
        ((day(12, 15), day(6, 14)), vec!["late-december".to_string()])
    );
}

#[test]
fn a_month_compares_with_the_same_month_a_year_earlier() {
    use danvan_core::dataset::Dataset;
    use danvan_store::{ImportOptions, JsonStore, Store};
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let observation = |id: &str, period: &str, value: u32| -> danvan_core::dataset::AnyRecord {
        serde_json::from_value(serde_json::json!({"kind": "observation", "record": {
            "id": id, "indicator": "dialogues_held", "province": "thai-nguyen",
            "period": period, "value": value}}))
        .unwrap()
    };
    let records = vec![
        observation("june-2023", "202306", 20),
        observation("may-2024", "202405", 25),
        observation("june-2024", "202406", 31),
    ];
    let report = store
        .import(Dataset::from_records(records), ImportOptions::default())
        .unwrap();
    assert!(!report.has_errors(), "{:?}", report.problems);
    let data = build(
        &store,
        &scope(Some("thai-nguyen"), ProvinceMap::Current, "202406"),
    )
    .unwrap();
    let r = row(&data, "dialogues_held");
    assert_eq!(
        (r.value, r.previous, r.change),
        (
            Some(Decimal::from_int(31)),
            Some(Decimal::from_int(20)),
            Some(Decimal::from_int(11))
        )
    );
    // The trend is the six months to June 2024.
    let trend: Vec<(String, Option<Decimal>)> =
        r.trend.iter().map(|p| (p.period.id(), p.value)).collect();
    assert_eq!(trend[0].0, "202401");
    assert_eq!(
        &trend[4..],
        [
            ("202405".to_string(), Some(Decimal::from_int(25))),
            ("202406".to_string(), Some(Decimal::from_int(31)))
        ]
    );
}
