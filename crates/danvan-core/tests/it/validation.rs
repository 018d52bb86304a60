//! Validation reports every problem at once, each with its record, field path and message.

use danvan_core::dataset::Dataset;

/// A dataset with one of each kind of mistake; the snapshot is the whole report.
#[test]
fn every_problem_is_reported_with_its_field() {
    let d: Dataset = serde_json::from_str(
        r#"{
        "indicators": [
            {"id": "sipas", "name_vi": "Trùng mã", "name_en": "Clash", "unit": "%", "measure": "percent", "direction": "higher_is_better"},
            {"id": "custom_rate", "name_vi": " ", "name_en": "Custom", "unit": "%", "measure": "ratio", "direction": "higher_is_better", "target": 120}
        ],
        "directives": [
            {"id": "d1", "number": "04-NQ/TU", "doc_type": "plan", "issuer": "Tỉnh ủy Bắc Kạn", "title": "Kế hoạch",
             "issued_on": "2025-08-01", "province": "bac-kan",
             "phase": {"start_year": 2025, "end_year": 2021, "horizon_year": 2020},
             "milestones": [{"kind": "mid_term", "due": "2030", "held_at": "missing-conference"}],
             "superseded_by": "d1"},
            {"id": "d1", "doc_type": "plan", "issuer": "x", "title": "Bản trùng", "province": "atlantis", "issued_on": "2020-01-01"},
            {"id": "d2", "number": "09/2019/NĐ-CP", "doc_type": "decree", "issuer": "Chính phủ", "title": "Nghị định", "issued_on": "2020-01-24"}
        ],
        "observations": [
            {"id": "o1", "indicator": "complaints_resolved", "province": "thai-nguyen", "period": "2024", "numerator": 12, "denominator": 10},
            {"id": "o2", "indicator": "complaints_resolved", "province": "thai-nguyen", "period": "2024", "numerator": 90, "denominator": 100, "stated": "trên 95%"},
            {"id": "o3", "indicator": "no_such_indicator", "period": "2024", "value": 3},
            {"id": "o4", "indicator": "sipas", "province": "thai-nguyen", "period": "2024", "value": 101.5, "stated": "120%"},
            {"id": "o5", "indicator": "dialogues_held", "province": "ha-giang", "period": "2026", "numerator": 1, "denominator": 0},
            {"id": "o6", "indicator": "one_stop_communes", "period": "2024", "value": 50}
        ],
        "conferences": [
            {"id": "c1", "kinds": [], "title": "", "date": "2024-06-20", "end_date": "2024-06-19", "province": "bac-kan",
             "host": "Ban Dân vận", "format": {"mode": "online", "connection_points": 0},
             "reviewed_period": "2024S2", "reviewed_directives": ["d1", "ghost", "d1"], "figures": ["o1", "o99"],
             "chairs": [{"name": " "}], "commendations": [{"award": "Bằng khen", "awarded_by": "", "collectives": 0, "individuals": 0}],
             "sources": [{"url": "ftp://example.vn/x"}]},
            {"id": "c2", "kinds": ["six_month_review", "six_month_review", "directive_review"], "title": "Sơ kết", "date": "2025-07-15",
             "province": "bac-kan", "host": "Ban", "format": {"mode": "in_person"}, "reviewed_period": "2025"}
        ],
        "models": [
            {"id": "m1", "name": "Mô hình", "province": "thai-nguyen", "owning_unit": "Hội Nông dân", "field": "economy",
             "start_year": 2005, "recognition": {"date": "2004-01-01", "level": ""}},
            {"id": "m2", "name": "Mô hình mới", "province": "bac-kan", "owning_unit": "Đoàn", "field": "other", "start_year": 2026}
        ]
    }"#,
    )
    .unwrap();
    let report: Vec<String> = d.validate().iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(report.join("\n"));
}

#[test]
fn problems_serialise_for_machines() {
    let d: Dataset = serde_json::from_str(
        r#"{"observations": [{"id": "o1", "indicator": "complaints_resolved", "period": "2024", "numerator": 2, "denominator": 1}]}"#,
    )
    .unwrap();
    let json = serde_json::to_string(&d.validate()).unwrap();
    insta::assert_snapshot!(json, @r#"[{"severity":"error","kind":"observation","id":"o1","field":"numerator","code":"out-of-range","message":"numerator 2 is greater than the denominator 1"}]"#);
}
