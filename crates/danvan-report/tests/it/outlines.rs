//! Report outlines as data: each built-in outline written from the demo store (golden), the
//! default one the same report as before outlines were data, and a `units` section quoting
//! what a unit's approved report wrote.

use chrono::NaiveDate;
use danvan_core::cycle::Action;
use danvan_core::dataset::AnyRecord;
use danvan_core::record_kind::RecordKind;
use danvan_report::compose::{compose, compose_with};
use danvan_report::template::Template;
use danvan_report::{Lang, Scope, build, markdown};
use danvan_store::{Author, Expected, Store};

fn thai_nguyen_2024() -> Scope {
    let mut s = Scope::new(
        Some("thai-nguyen"),
        "2024".parse().unwrap(),
        NaiveDate::from_ymd_opt(2025, 1, 10).unwrap(),
    );
    s.map = danvan_store::ProvinceMap::AsRecorded;
    s
}

#[test]
fn every_builtin_outline_writes_the_demo_report() {
    let (_tmp, store) = crate::demo_store();
    let data = build(&store, &thai_nguyen_2024()).unwrap();
    for template in Template::all_builtin() {
        for lang in [Lang::Vi, Lang::En] {
            let doc = compose_with(&data, lang, &template);
            // The checker finds nothing in any outline of the demo's report.
            let found = danvan_report::check::check_document(&data, &doc);
            assert!(found.is_empty(), "{} ({lang:?}): {found:?}", template.id);
            insta::assert_snapshot!(
                format!("outline_{}_{}", template.id, lang.tag()),
                markdown::render(&doc)
            );
        }
    }
    // The default outline is the report danvan has always written.
    let default = Template::default_outline();
    assert_eq!(
        compose(&data, Lang::Vi),
        compose_with(&data, Lang::Vi, &default)
    );
}

fn put(s: &dyn Store, json: serde_json::Value) {
    let record: AnyRecord = serde_json::from_value(json).unwrap();
    s.put(record, Expected::Any).unwrap();
}

/// A district's approved six-month report wrote about the people's mood: the periodic
/// report's "units" section quotes it, by the unit's name; a report still in draft is not.
#[test]
fn a_units_section_quotes_the_units_approved_reports() {
    let (_tmp, store) = crate::demo_store();
    for (unit, name) in [
        ("tn-dinh-hoa", "huyện Định Hóa"),
        ("tn-vo-nhai", "huyện Võ Nhai"),
    ] {
        put(
            &store,
            serde_json::json!({"kind": "unit", "record": {"id": unit, "name": name,
                "level": "district", "province": "thai-nguyen", "until": "2025-06-30"}}),
        );
    }
    put(
        &store,
        serde_json::json!({"kind": "form", "record": {"id": "tn-6-thang-huyen",
            "name": "Báo cáo công tác dân vận 6 tháng", "province": "thai-nguyen",
            "period_kind": "half", "level": "district", "indicators": [],
            "sections": [{"key": "tinh-hinh-nhan-dan", "title": "Tình hình Nhân dân"}],
            "due_days_after_end": -15}}),
    );
    let board = Author::new("tn-board");
    let period = "2024S1".parse().unwrap();
    let at = NaiveDate::from_ymd_opt(2024, 6, 10)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let mut ids = Vec::new();
    for (unit, text) in [
        (
            "tn-dinh-hoa",
            "Nhân dân phấn khởi, tin tưởng vào sự lãnh đạo của cấp ủy.",
        ),
        (
            "tn-vo-nhai",
            "Một bộ phận Nhân dân còn băn khoăn về việc sáp nhập thôn.",
        ),
    ] {
        let unit_id: danvan_core::id::RecordId = unit.parse().unwrap();
        danvan_store::cycle::begin(
            &store,
            &"tn-6-thang-huyen".parse().unwrap(),
            Some(&unit_id),
            None,
            period,
            &board,
        )
        .unwrap();
        let id: danvan_core::id::RecordId = format!("tn-{unit}-2024s1-tn-6-thang-huyen")
            .parse()
            .unwrap();
        let stored = store.get(RecordKind::Submission, &id).unwrap().unwrap();
        let mut v = serde_json::to_value(&stored.record).unwrap();
        v["record"]["sections"] = serde_json::json!([{"key": "tinh-hinh-nhan-dan", "text": text}]);
        let record: AnyRecord = serde_json::from_value(v).unwrap();
        store
            .put(record, Expected::Revision(stored.revision))
            .unwrap();
        danvan_store::cycle::step(&store, &id, Action::Send, None, at, None, &board).unwrap();
        ids.push(id);
    }
    // Định Hóa's is approved; Võ Nhai's is sent and waits.
    danvan_store::cycle::step(&store, &ids[0], Action::Approve, None, at, None, &board).unwrap();
    let mut scope = thai_nguyen_2024();
    scope.period = period;
    scope.today = NaiveDate::from_ymd_opt(2024, 7, 5).unwrap();
    let data = build(&store, &scope).unwrap();
    let doc = compose_with(&data, Lang::Vi, &Template::builtin("dinh-ky").unwrap());
    let text = markdown::render(&doc);
    assert!(
        text.contains("#### 2. Tình hình các tầng lớp Nhân dân, tâm trạng, dư luận xã hội\n\n- huyện Định Hóa: Nhân dân phấn khởi, tin tưởng vào sự lãnh đạo của cấp ủy."),
        "{text}"
    );
    assert!(
        !text.contains("băn khoăn"),
        "a report not approved is not quoted: {text}"
    );
}
