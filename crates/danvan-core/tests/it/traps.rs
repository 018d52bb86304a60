//! Values that used to change silently: each is refused now, or says it cannot be done.

use danvan_core::dataset::Dataset;
use danvan_core::indicator::StatedPercentage;
use danvan_core::number::{Convention, Decimal, NumberError};
use danvan_core::period::{Period, Window};
use danvan_core::province::ProvinceRef;

#[test]
fn a_province_code_that_changed_meaning_is_refused() {
    // 15 was Yên Bái and is Lào Cai; 46 was Thừa Thiên Huế and is the city of Huế.
    for (code, names) in [
        ("15", "\"yen-bai\" and \"lao-cai\""),
        ("46", "\"thua-thien-hue\" and \"hue\""),
    ] {
        assert_eq!(ProvinceRef::new(code).as_str(), code);
        let d: Dataset = serde_json::from_value(serde_json::json!({"observations": [{
            "id": "o", "indicator": "hotspots", "province": code, "period": "2026", "value": 1}]}))
        .unwrap();
        let problems: Vec<String> = d.validate().iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [format!(
                "error: observation o: province: province code {code} has named {names} at different times: write the slug of the one meant"
            )]
        );
    }
    // A code that always meant one province still resolves.
    assert_eq!(ProvinceRef::new("01").as_str(), "ha-noi");
    assert_eq!(ProvinceRef::new("19").as_str(), "thai-nguyen");
}

#[test]
fn decimals_never_change_value_or_places() {
    assert_eq!(
        Decimal::try_new(1, 12),
        Err(NumberError::TooManyPlaces { scale: 12 })
    );
    assert!(std::panic::catch_unwind(|| Decimal::new(1, 12)).is_err());
    assert_eq!(Decimal::from_ratio(1, 0, 2), None);
    assert_eq!(Decimal::from_ratio(i128::MAX, 3, 2), None);
    assert_eq!(
        Decimal::from_ratio(i128::from(i64::MAX) * 10, 1, 0),
        None,
        "past i64"
    );
    assert_eq!(Decimal::from_ratio(2, 3, 12), None);
    assert_eq!(Decimal::percentage(1, 0, 2), None);
    // Rounding never adds places it was not written with, and never saturates.
    assert_eq!(
        Decimal::new(i64::MAX, 0).round(2),
        Decimal::new(i64::MAX, 0)
    );
    // "95,10" keeps its two places through JSON.
    let d = Decimal::parse("95,10", Convention::Vietnamese).unwrap();
    let back: Decimal = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!((back.units(), back.scale()), (9510, 2));
}

#[test]
fn a_stated_percentage_never_overflows() {
    let s = StatedPercentage::parse("khoảng 50%").unwrap();
    assert!(!s.agrees_with(i128::MAX, 1));
    assert!(!s.agrees_with(i128::MIN, -1));
    assert!(!s.agrees_with(1, 0));
    assert!(s.agrees_with(50, 1));
}

#[test]
fn period_arithmetic_stays_in_range() {
    let y = Period::year(1930).unwrap();
    assert_eq!(y.previous(), None);
    assert_eq!(y.same_period_last_year(), None);
    assert_eq!(Period::year(2100).unwrap().next(), None);
}

#[test]
fn a_cut_off_day_outside_2_to_28_is_refused() {
    assert!(Window::cut_off(0).is_err());
    assert!(Window::cut_off(40).is_err());
    assert_eq!(Window::cut_off(15), Ok(Window::DECREE_09));
    let bad = serde_json::from_str::<Window>(r#"{"cut_off": {"day": 40}}"#).unwrap_err();
    assert!(
        bad.to_string()
            .contains("cut-off day 40 is out of range (2–28)"),
        "{bad}"
    );
    let ok: Window = serde_json::from_str(r#"{"cut_off": {"day": 15}}"#).unwrap();
    assert_eq!(ok, Window::DECREE_09);
}

#[test]
fn every_way_to_validate_checks_the_same() {
    use danvan_core::dataset::{AnyRecord, RecordRef};
    use danvan_core::indicator::{IndicatorDefinition, Observation};
    // A ratio indicator given a value: the measure check applies without a definition passed.
    let o: Observation = serde_json::from_value(serde_json::json!({"id": "o",
        "indicator": "complaints_resolved", "province": "thai-nguyen", "period": "2024",
        "value": 3}))
    .unwrap();
    let own = o.validate(None);
    assert!(own.iter().any(|p| p.field == "value"), "{own:?}");
    assert_eq!(own, RecordRef::Observation(&o).validate(None));
    // A definition shadowing a built-in code is refused by its own validate too.
    let d: IndicatorDefinition = serde_json::from_value(serde_json::json!({"id": "sipas",
        "name_vi": "Chỉ số", "name_en": "Index", "unit": "%", "measure": "percent",
        "direction": "higher_is_better"}))
    .unwrap();
    let own = d.validate();
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own, AnyRecord::Indicator(d).validate(None));
    // The catalogue itself is valid.
    for b in danvan_core::indicator::catalogue() {
        assert!(b.validate().is_empty(), "{}", b.id);
    }
}

#[test]
fn records_are_built_with_constructors_outside_the_crate() {
    use chrono::NaiveDate;
    use danvan_core::conference::{Conference, ConferenceKind, Format};
    use danvan_core::indicator::Observation;
    let mut c = Conference::new(
        "c".parse().unwrap(),
        ConferenceKind::Workshop,
        "Hội thảo",
        NaiveDate::from_ymd_opt(2023, 9, 1).unwrap(),
    );
    c.hosts.push("Ban Dân vận Tỉnh ủy".into());
    c.format = Some(Format::InPerson);
    let from_json: Conference = serde_json::from_value(serde_json::json!({"id": "c",
        "kinds": ["workshop"], "title": "Hội thảo", "date": "2023-09-01",
        "hosts": ["Ban Dân vận Tỉnh ủy"], "format": {"mode": "in_person"}}))
    .unwrap();
    assert_eq!(c, from_json);
    let o = Observation::new(
        "o".parse().unwrap(),
        "hotspots".parse().unwrap(),
        "2024".parse().unwrap(),
    )
    .with_value(Decimal::from_int(3));
    assert_eq!(
        serde_json::to_value(&o).unwrap(),
        serde_json::json!({"id": "o",
        "indicator": "hotspots", "period": "2024", "value": 3})
    );
}

#[test]
fn names_shared_across_the_merger_still_resolve() {
    for (text, slug) in [
        ("Huế", "hue"),
        ("Thừa Thiên Huế", "thua-thien-hue"),
        ("Thái Nguyên", "thai-nguyen"),
        ("Lào Cai", "lao-cai"),
        ("Yên Bái", "yen-bai"),
        ("TP.HCM", "ho-chi-minh"),
        ("Cần Thơ", "can-tho"),
    ] {
        assert_eq!(ProvinceRef::new(text).as_str(), slug, "{text}");
    }
}
