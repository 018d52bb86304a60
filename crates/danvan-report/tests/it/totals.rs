//! Totals a board can sign (issue 26, points 2 and 4): each indicator adds up as its catalogue
//! entry says, a level's own total stays beside the sum of its parts, and a change on a year
//! earlier is computed over the same provinces only. Each test names what the code before
//! printed: "6.681" for the 2024 national total of models registered (the central board's
//! 6.496 added to the provinces' 185), "SIPAS: 84,84%" (the mean of two provinces' indexes),
//! and Thái Nguyên's "30, tăng 7 so với cùng kỳ (23)" (2024 with Bắc Kạn against 2023
//! without): like for like it is 19, down 4.

use danvan_core::dataset::{AnyRecord, Dataset};
use danvan_core::number::Decimal;
use danvan_report::check::check;
use danvan_report::data::{Comparison, IndicatorRow, ReportData};
use danvan_report::{Format, Lang, build, render};
use danvan_store::ProvinceMap;

use crate::{demo_store, scope, store_with};

fn row<'a>(data: &'a ReportData, code: &str) -> &'a IndicatorRow {
    data.indicators
        .iter()
        .find(|r| r.indicator == code)
        .unwrap_or_else(|| panic!("no row {code}"))
}

/// The Markdown line of the indicator named `start`.
fn line(text: &str, start: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(&format!("- {start}")))
        .unwrap_or_else(|| panic!("no line {start:?} in\n{text}"))
        .to_string()
}

fn markdown(store: &dyn danvan_store::Store, s: &danvan_report::Scope, lang: Lang) -> String {
    String::from_utf8(render(store, s, Format::Markdown, lang).unwrap()).unwrap()
}

#[test]
fn a_nationwide_total_is_shown_beside_the_provinces_sum_never_added_to_it() {
    let (_dir, store) = demo_store();
    let s = scope(None, ProvinceMap::AsRecorded, "2024");
    let data = build(&store, &s).unwrap();
    let r = row(&data, "models_registered");
    assert_eq!(r.value, Some(Decimal::from_int(185)));
    let level = r.level.as_ref().unwrap();
    assert_eq!(level.value, Some(Decimal::from_int(6496)));
    assert_eq!(level.difference, Some(Decimal::from_int(6311)));
    assert_eq!(level.sources, ["vn-2024-models-total"]);
    assert!(!r.sources.contains(&"vn-2024-models-total".to_string()));
    let text = markdown(&store, &s, Lang::Vi);
    let l = line(&text, "Mô hình “Dân vận khéo” đăng ký xây dựng");
    assert!(
        l.contains("theo báo cáo của Ban Dân vận Trung ương: 6.496; tổng hợp từ các tỉnh, thành phố: 185 (chênh lệch 6.311)"),
        "{l}"
    );
    assert!(!text.contains("6.681"), "{text}");
    // A total of some provinces is labelled as such (point 3), here in the models' section.
    assert!(
        text.contains(
            "mô hình “Dân vận khéo” đăng ký xây dựng: 185 (số liệu của 3/63 tỉnh, thành phố)"
        ),
        "{text}"
    );
    let en = markdown(&store, &s, Lang::En);
    assert!(
        line(&en, "“Dân vận khéo” models registered")
            .contains("6,496 as reported by the Central Mass Mobilisation Commission; 185 summed from the provinces (a difference of 6,311)"),
        "{en}"
    );
    assert!(
        check(&data, Lang::Vi).is_empty(),
        "{:#?}",
        check(&data, Lang::Vi)
    );
}

#[test]
fn an_index_is_listed_by_province_never_averaged() {
    let (_dir, store) = demo_store();
    let s = scope(None, ProvinceMap::AsRecorded, "2024");
    let data = build(&store, &s).unwrap();
    let r = row(&data, "sipas");
    assert_eq!(r.value, None);
    let listed: Vec<(&str, Option<Decimal>)> = r
        .parts
        .iter()
        .map(|p| (p.province.as_str(), p.value))
        .collect();
    assert_eq!(
        listed,
        [
            ("ha-noi", Some(Decimal::new(8375, 2))),
            ("thai-nguyen", Some(Decimal::new(8592, 2)))
        ]
    );
    let text = markdown(&store, &s, Lang::Vi);
    let l = line(&text, "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)");
    assert!(
        l.contains("(không cộng, không tính bình quân giữa các tỉnh, thành phố): Hà Nội 83,75%; Thái Nguyên 85,92%"),
        "{l}"
    );
    assert!(!text.contains("84,84"), "{text}");
    // Its table row says so instead of printing a figure.
    assert!(
        text.lines()
            .any(|l| l.starts_with("| Chỉ số hài lòng") && l.contains("Không cộng (xem từng tỉnh)")),
        "{text}"
    );
}

#[test]
fn a_merged_province_compares_only_the_provinces_in_both_years() {
    let (_dir, store) = demo_store();
    // Thái Nguyên's 2024 report on today's map holds Bắc Kạn's 2024 figures; 2023 has only
    // Thái Nguyên's.
    let s = scope(Some("thai-nguyen"), ProvinceMap::Current, "2024");
    let data = build(&store, &s).unwrap();
    let r = row(&data, "models_recognised");
    assert_eq!(r.value, Some(Decimal::from_int(30)));
    assert_eq!(r.units, ["bac-kan", "thai-nguyen"]);
    let Comparison::Common {
        units, of, value, ..
    } = &r.comparison
    else {
        panic!("{:?}", r.comparison);
    };
    assert_eq!(
        (units.as_slice(), *of),
        (&["thai-nguyen".to_string()][..], 2)
    );
    assert_eq!(*value, Some(Decimal::from_int(19)));
    assert_eq!(r.previous, Some(Decimal::from_int(23)));
    assert_eq!(r.change, Some(Decimal::from_int(-4)));
    assert_eq!(r.previous_units, ["thai-nguyen"]);
    let text = markdown(&store, &s, Lang::Vi);
    let l = line(&text, "Mô hình “Dân vận khéo” được công nhận");
    assert!(
        l.contains("30; so sánh cùng kỳ trên 1/2 tỉnh, thành phố có số liệu cả hai kỳ (Thái Nguyên): 19, giảm 4 so với cùng kỳ (23)"),
        "{l}"
    );
    assert!(!l.contains("tăng 7"), "{l}");
    // A fall like for like is a shortcoming, told over the provinces compared.
    assert!(
        text.contains(
            "Mô hình “Dân vận khéo” được công nhận giảm 4 so với cùng kỳ (từ 23 xuống 19)."
        ),
        "{text}"
    );
    // The trend marks the year with one of the two provinces.
    assert!(
        text.lines()
            .any(|l| l.starts_with("| Mô hình “Dân vận khéo” được công nhận | 23 (1/2) |")),
        "{text}"
    );
    assert!(
        check(&data, Lang::Vi).is_empty(),
        "{:#?}",
        check(&data, Lang::Vi)
    );
}

fn observation(json: serde_json::Value) -> AnyRecord {
    serde_json::from_value(serde_json::json!({"kind": "observation", "record": json})).unwrap()
}

#[test]
fn ratios_add_up_only_where_every_part_gives_both_numbers() {
    let (_dir, store) = store_with(Dataset::from_records(vec![
        observation(
            serde_json::json!({"id": "a", "indicator": "complaints_resolved",
            "province": "thai-nguyen", "period": "2024", "numerator": 90, "denominator": 100}),
        ),
        observation(
            serde_json::json!({"id": "b", "indicator": "complaints_resolved",
            "province": "ha-noi", "period": "2024", "stated": "đạt 92%"}),
        ),
    ]));
    let s = scope(None, ProvinceMap::AsRecorded, "2024");
    let data = build(&store, &s).unwrap();
    let r = row(&data, "complaints_resolved");
    // The code before summed Thái Nguyên's 90/100 alone and called it the total of 2.
    assert_eq!((r.ratio, r.value), (None, None));
    assert_eq!(r.parts.len(), 2);
    let l = line(
        &markdown(&store, &s, Lang::Vi),
        "Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh được giải quyết",
    );
    assert!(
        l.contains("(không cộng được vì có đơn vị chỉ báo cáo tỷ lệ): Hà Nội “đạt 92%”; Thái Nguyên 90/100 (90%)"),
        "{l}"
    );
}

#[test]
fn figures_of_other_provinces_a_year_earlier_are_not_compared() {
    let (_dir, store) = store_with(Dataset::from_records(vec![
        observation(
            serde_json::json!({"id": "now", "indicator": "dialogues_held",
            "province": "thai-nguyen", "period": "2024", "value": 40}),
        ),
        observation(
            serde_json::json!({"id": "then", "indicator": "dialogues_held",
            "province": "ha-noi", "period": "2023", "value": 900}),
        ),
    ]));
    let s = scope(None, ProvinceMap::AsRecorded, "2024");
    let data = build(&store, &s).unwrap();
    let r = row(&data, "dialogues_held");
    // The code before printed "40, giảm 860 so với cùng kỳ (900)".
    assert_eq!(
        r.comparison,
        Comparison::Incomparable {
            previous_units: vec!["ha-noi".to_string()],
            former: Vec::new(),
        }
    );
    assert_eq!((r.previous, r.change), (None, None));
    let l = line(
        &markdown(&store, &s, Lang::Vi),
        "Hội nghị đối thoại giữa người đứng đầu",
    );
    assert!(
        l.contains("40; không so sánh được với cùng kỳ (cùng kỳ chỉ có số liệu của Hà Nội)"),
        "{l}"
    );
    assert!(!l.contains("giảm"), "{l}");
}

/// The checker's rules on totals catch each mistake the code before made.
#[test]
fn the_checker_finds_sums_of_levels_means_of_indexes_and_unlike_comparisons() {
    let (_dir, store) = demo_store();
    let data = build(&store, &scope(None, ProvinceMap::AsRecorded, "2024")).unwrap();
    let rules = |data: &ReportData| -> Vec<&'static str> {
        danvan_report::check::check_data(data)
            .iter()
            .map(|f| f.rule)
            .collect()
    };
    assert_eq!(rules(&data), Vec::<&str>::new());
    let position = |code: &str| {
        data.indicators
            .iter()
            .position(|r| r.indicator == code)
            .unwrap()
    };
    // The central board's total added to the provinces': 6.681.
    let mut bad = data.clone();
    bad.indicators[position("models_registered")].value = Some(Decimal::from_int(6681));
    assert_eq!(rules(&bad), ["level_sum"]);
    // Two provinces' indexes averaged: 84,84%.
    let mut bad = data.clone();
    bad.indicators[position("sipas")].value = Some(Decimal::new(8484, 2));
    assert_eq!(rules(&bad), ["not_summable"]);
    // 2024 with Bắc Kạn against 2023 without it.
    let mut bad = data.clone();
    let r = &mut bad.indicators[position("dialogues_held")];
    r.comparison = Comparison::Same;
    assert_eq!(rules(&bad), ["unlike_comparison"]);
}

/// A phase report uses the figures of its years (issue 26, point 6): the code before said
/// "Chưa có số liệu chỉ tiêu của kỳ này và cùng kỳ" for Thái Nguyên's 2021–2025 although every
/// year from 2023 has figures. The last year's figure is compared with the earliest year that
/// covers the same land: 2025's merged Thái Nguyên with 2024's Thái Nguyên and Bắc Kạn together.
#[test]
fn a_phase_report_compares_its_last_year_with_its_first_on_the_same_land() {
    let (_dir, store) = demo_store();
    let mut s = scope(Some("thai-nguyen"), ProvinceMap::Current, "2021-2025");
    s.today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let data = build(&store, &s).unwrap();
    assert!(!data.indicators.is_empty());
    let r = row(&data, "dialogues_held");
    let years = |a: i32, b: i32| {
        Some([
            danvan_core::period::Period::year(a).unwrap(),
            danvan_core::period::Period::year(b).unwrap(),
        ])
    };
    assert_eq!(r.span, years(2024, 2025));
    assert_eq!(r.value, Some(Decimal::from_int(274)));
    // 312 (Thái Nguyên) + 96 (Bắc Kạn) in 2024: the same land as 2025's Thái Nguyên.
    assert_eq!(r.previous, Some(Decimal::from_int(408)));
    assert_eq!(r.comparison, Comparison::Same);
    assert_eq!(r.previous_units, ["bac-kan", "thai-nguyen"]);
    // SIPAS of 2023 is the former Thái Nguyên's alone: part of the land, not comparable.
    let sipas = row(&data, "sipas");
    assert_eq!(sipas.span, years(2023, 2025));
    assert!(matches!(sipas.comparison, Comparison::Incomparable { .. }));
    let text = markdown(&store, &s, Lang::Vi);
    assert!(!text.contains("Chưa có số liệu chỉ tiêu"), "{text}");
    assert!(
        line(&text, "Hội nghị đối thoại giữa người đứng đầu")
            .contains("(năm 2025): 274, giảm 134 so với năm 2024 (408)"),
        "{text}"
    );
    assert!(
        line(&text, "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)").contains(
            "86,4%; không so sánh được với năm 2023 (năm 2023 chỉ có số liệu của Thái Nguyên (cũ))"
        ),
        "{text}"
    );
    assert!(
        check(&data, Lang::Vi).is_empty(),
        "{:#?}",
        check(&data, Lang::Vi)
    );
    // The CSV says which years the value and the previous figure are of.
    let csv = String::from_utf8(render(&store, &s, Format::Csv, Lang::En).unwrap()).unwrap();
    let dialogues = csv
        .lines()
        .find(|l| l.starts_with("dialogues_held,"))
        .unwrap();
    assert!(
        dialogues.ends_with(",274,408,-134,,no_target,,1,,,,2025,2024"),
        "{dialogues}"
    );
    // The checker knows the land: 2025's Thái Nguyên against the former one alone is unlike.
    let mut bad = data.clone();
    let position = bad
        .indicators
        .iter()
        .position(|r| r.indicator == "dialogues_held")
        .unwrap();
    bad.indicators[position].previous_units = vec!["thai-nguyen".to_string()];
    let rules: Vec<&str> = danvan_report::check::check_data(&bad)
        .iter()
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, ["unlike_comparison"]);
}

/// The clerk's case in issue 26: five districts' dialogues (12, 7, 5, 10, 9) imported and the
/// province's 43 found nowhere, since units' figures were only listed. They are now added up,
/// beside the province's own figure when it has one, never into it, and counted against the
/// registry of the province's units: Lào Cai had nine district-level units in 2024, so the
/// total says 5/9 and names the four that sent nothing. A figure naming a unit the registry
/// does not hold is refused, with the nearest registered names.
#[test]
fn a_provinces_units_figures_are_added_up_beside_its_own() {
    let district = |i: usize, name: &str, value: u32| {
        observation(serde_json::json!({"id": format!("lc-2024-d{i}"),
            "indicator": "dialogues_held", "province": "lao-cai", "period": "2024",
            "unit": {"name": name, "level": "district"}, "value": value}))
    };
    let registry: Vec<AnyRecord> = [
        "thành phố Lào Cai",
        "thị xã Sa Pa",
        "huyện Bát Xát",
        "huyện Bảo Thắng",
        "huyện Bảo Yên",
        "huyện Bắc Hà",
        "huyện Mường Khương",
        "huyện Si Ma Cai",
        "huyện Văn Bàn",
    ]
    .iter()
    .enumerate()
    .map(|(i, name)| {
        serde_json::from_value(serde_json::json!({"kind": "unit", "record": {
            "id": format!("lc-u{i}"), "name": name, "level": "district",
            "province": "lao-cai", "until": "2025-06-30"}}))
        .unwrap()
    })
    .collect();
    let districts = vec![
        district(1, "huyện Bát Xát", 12),
        district(2, "Mường Khương", 7),
        district(3, "huyện Si Ma Cai", 5),
        district(4, "huyện Bắc Hà", 10),
        district(5, "thị xã Sa Pa", 9),
    ];
    // Without the registry, a unit's figure is refused, and a misspelt name offers the nearest.
    let (_dir, store) = store_with(Dataset::from_records(registry.clone()));
    let mut typo = districts[0].clone();
    if let AnyRecord::Observation(o) = &mut typo {
        o.unit = Some(danvan_core::indicator::ReportingUnit::new(
            "huyện Bát Sát",
            danvan_core::indicator::UnitLevel::District,
        ));
    }
    let err = danvan_store::Store::put(&store, typo, danvan_store::Expected::Absent).unwrap_err();
    assert!(
        err.to_string().contains(
            "“huyện Bát Sát” is not a registered unit of lao-cai; did you mean “huyện Bát Xát”?"
        ),
        "{err}"
    );
    let (_dir, store) = store_with(Dataset::from_records(
        registry.iter().cloned().chain(districts.clone()),
    ));
    let s = scope(Some("lao-cai"), ProvinceMap::AsRecorded, "2024");
    let data = build(&store, &s).unwrap();
    assert_eq!(data.unit_totals.len(), 1);
    let t = &data.unit_totals[0];
    assert_eq!((t.units, t.value), (5, Some(Decimal::from_int(43))));
    assert_eq!(t.due, Some(9));
    // Nothing of the province's own, so no indicator row: the total is the units'.
    assert!(data.indicators.is_empty());
    let text = markdown(&store, &s, Lang::Vi);
    assert!(
        text.contains("- Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân: 43, tổng hợp từ 5/9 huyện (chưa đủ: thiếu số liệu của huyện Bảo Thắng, huyện Bảo Yên, huyện Văn Bàn, thành phố Lào Cai)."),
        "{text}"
    );
    assert!(
        text.contains(
            "(không cộng vào số liệu chung của tỉnh; đối chiếu với danh sách đơn vị báo cáo):"
        ),
        "{text}"
    );
    assert!(
        check(&data, Lang::Vi).is_empty(),
        "{:#?}",
        check(&data, Lang::Vi)
    );
    // With the province's own figure, both and their difference; the province's is unchanged.
    let mut with_own: Vec<AnyRecord> = registry.into_iter().chain(districts).collect();
    with_own.push(observation(serde_json::json!({"id": "lc-2024-dialogues",
        "indicator": "dialogues_held", "province": "lao-cai", "period": "2024", "value": 45})));
    let (_dir, store) = store_with(Dataset::from_records(with_own));
    let data = build(&store, &s).unwrap();
    assert_eq!(
        row(&data, "dialogues_held").value,
        Some(Decimal::from_int(45))
    );
    let text = markdown(&store, &s, Lang::Vi);
    assert!(
        text.contains(
            ": 43, tổng hợp từ 5/9 huyện (chưa đủ: thiếu số liệu của huyện Bảo Thắng, huyện Bảo Yên, huyện Văn Bàn, thành phố Lào Cai); theo báo cáo của tỉnh: 45 (chênh lệch 2)."
        ),
        "{text}"
    );
    let en = markdown(&store, &s, Lang::En);
    assert!(
        en.contains(": 43, summed from 5 of 9 districts (incomplete: no figure from huyện Bảo Thắng, huyện Bảo Yên, huyện Văn Bàn, thành phố Lào Cai); the province's own figure: 45 (a difference of 2)."),
        "{en}"
    );
    // The next year the districts were gone from 1 July: none is counted as due for 2026.
    let s = scope(Some("lao-cai"), ProvinceMap::AsRecorded, "2026");
    assert!(build(&store, &s).unwrap().unit_totals.is_empty());
}

/// A national phase report counts the provinces behind its years' figures: the code before
/// said "Chưa có số liệu chỉ tiêu của 34 tỉnh, thành phố" and "số liệu của 0/34".
#[test]
fn a_national_phase_report_counts_the_provinces_of_its_years() {
    let (_dir, store) = demo_store();
    let mut s = scope(None, ProvinceMap::Current, "2021-2025");
    s.today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let data = build(&store, &s).unwrap();
    let r = row(&data, "one_stop_communes");
    assert_eq!(r.coverage, Some([2, 34]));
    assert!(!data.not_reporting.contains(&"Thái Nguyên".to_string()));
    assert!(data.not_reporting.len() < 34);
    assert!(
        check(&data, Lang::Vi).is_empty(),
        "{:#?}",
        check(&data, Lang::Vi)
    );
}

/// A row with no figure this period still charts like for like, against its latest period
/// with one: Thái Nguyên's 2025 report charted complaints received as 2.481 (2023, the former
/// Thái Nguyên) then 3.462 (2024, with Bắc Kạn), unmarked. No change is written "0", not "+0".
#[test]
fn a_trend_without_a_figure_now_is_still_like_for_like() {
    let (_dir, store) = demo_store();
    let mut s = scope(Some("thai-nguyen"), ProvinceMap::Current, "2025");
    s.today = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
    let text = markdown(&store, &s, Lang::Vi);
    let trend = |start: &str| {
        text.lines()
            .rfind(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no {start:?} in\n{text}"))
            .to_string()
    };
    assert_eq!(
        trend("| Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận |"),
        "| Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận | 2.481 (1/2) | 3.462 | — |"
    );
    assert!(
        text.contains("| 92/92 (100%) | 100% | 0\u{a0}điểm\u{a0}% |"),
        "{text}"
    );
    assert!(!text.contains("+0\u{a0}điểm"), "{text}");
}
