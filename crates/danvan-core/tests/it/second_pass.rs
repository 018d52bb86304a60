//! The domain's second pass: what offices write, held without invention — table and property
//! tests for held reviews, provinces' reviews of central directives, unit figures, one figure
//! per key, stated percentages in running text, sources without addresses, approximate dates,
//! citations, and the older JSON form.

use chrono::NaiveDate;
use danvan_core::citation::Citation;
use danvan_core::conference::Conference;
use danvan_core::dataset::Dataset;
use danvan_core::directive::{Directive, DueState, HeldOn, due_reviews};
use danvan_core::indicator::{Observation, StatedPercentage, builtin};
use proptest::prelude::*;
use serde_json::json;

fn directive(v: serde_json::Value) -> Directive {
    serde_json::from_value(v).unwrap()
}

fn problems_of(d: &Directive) -> Vec<String> {
    d.validate().iter().map(ToString::to_string).collect()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_review_is_held_however_it_is_known() {
    let base = json!({"id": "tn-03-da", "number": "03-ĐA/TU", "doc_type": "scheme",
        "title": "Đề án", "province": "thai-nguyen", "phase": {"start_year": 2021, "end_year": 2025}});
    // (held, the problems)
    let cases: Vec<(serde_json::Value, Vec<&str>)> = vec![
        (
            json!({"on": "2024-06-12", "by": "Ban Thường vụ Tỉnh ủy"}),
            vec![],
        ),
        (
            json!({"on": "202406", "by": "Ban Thường vụ Tỉnh ủy"}),
            vec![],
        ),
        (
            json!({"on": "2024S1", "sources": [{"publisher": "Báo Thái Nguyên"}]}),
            vec![],
        ),
        (
            json!({"on": "2024", "document": {"doc_type": "report", "number": "115-BC/TU"}}),
            vec![],
        ),
        (json!({"conference": "tn-2024-so-ket"}), vec![]),
        (
            json!({"by": "Ban Dân vận"}),
            vec![
                "error: directive tn-03-da: milestones[0].held.on: say when the review was held (a day, or the month, half-year or year), name the conference that held it, or say that the date is not known",
            ],
        ),
        (
            json!({"on": "2024"}),
            vec![
                "warning: directive tn-03-da: milestones[0].held: name who held the review or the evidence for it (a conference, a document or a source)",
            ],
        ),
        (
            json!({"on": "2024", "by": "Cụm 3", "sources": [{"author": "Nguyễn Văn A"}]}),
            vec![
                "error: directive tn-03-da: milestones[0].held.sources[0]: a source needs at least one of title, publisher, site or url",
            ],
        ),
    ];
    for (held, want) in cases {
        let mut v = base.clone();
        v["milestones"] = json!([{"kind": "mid_term", "due": "2024", "held": held}]);
        let d = directive(v);
        assert_eq!(problems_of(&d), want, "{held}");
        // A held milestone is never due or overdue.
        assert!(due_reviews([&d], day(2026, 1, 1), day(2027, 1, 1)).is_empty());
    }
    assert!("2024Q5".parse::<HeldOn>().is_err());
    assert!(
        "2021-2025".parse::<HeldOn>().is_err(),
        "a phase is not when a review was held"
    );
    assert_eq!(
        "2024S1".parse::<HeldOn>().unwrap().range(),
        (day(2024, 1, 1), day(2024, 6, 30))
    );
}

#[test]
fn a_provinces_review_of_a_central_directive_is_that_provinces() {
    let d = directive(
        json!({"id": "tw-25", "number": "25-NQ/TW", "doc_type": "resolution",
        "title": "Nghị quyết", "issued_on": "2013-06-03",
        "milestones": [
            {"kind": "mid_term", "label": "sơ kết 10 năm", "due": "2023", "province": "Thái Nguyên"},
            {"kind": "mid_term", "label": "sơ kết 10 năm", "due": "2023"}
        ]}),
    );
    assert!(problems_of(&d).is_empty(), "{:?}", problems_of(&d));
    let due = due_reviews([&d], day(2024, 1, 10), day(2024, 2, 1));
    let whose: Vec<Option<&str>> = due.iter().map(|r| r.province.map(|p| p.as_str())).collect();
    assert_eq!(whose, [Some("thai-nguyen"), None]);
    assert!(matches!(due[0].state, DueState::Overdue { days_late: 10 }));
    // A provincial directive's reviews are its own province's only.
    let d = directive(json!({"id": "tn", "doc_type": "plan", "title": "Kế hoạch",
        "province": "thai-nguyen", "issued_on": "2023-01-01",
        "milestones": [{"kind": "final", "due": "2025", "province": "lao-cai"}]}));
    assert_eq!(
        problems_of(&d),
        [
            "error: directive tn: milestones[0].province: a provincial directive's reviews are its own province's (thai-nguyen); only a central directive lists other provinces' reviews"
        ]
    );
    // A province that did not exist when the review fell due.
    let d = directive(json!({"id": "tw", "doc_type": "resolution", "title": "NQ",
        "milestones": [{"kind": "final", "due": "2026", "province": "Bắc Kạn"}]}));
    assert!(
        problems_of(&d)[0].contains("milestones[0].province"),
        "{:?}",
        problems_of(&d)
    );
}

#[test]
fn one_figure_per_indicator_province_unit_and_period() {
    let obs = |id: &str, unit: Option<(&str, &str)>| -> serde_json::Value {
        let mut v = json!({"id": id, "indicator": "complaints_resolved", "province": "quang-ninh",
            "period": "2023", "numerator": 1, "denominator": 2});
        if let Some((name, level)) = unit {
            v["unit"] = json!({"name": name, "level": level});
        }
        v
    };
    let units = json!([
        {"id": "stp", "name": "Sở Tư pháp", "level": "department", "province": "quang-ninh"},
        {"id": "snv", "name": "Sở Nội vụ", "level": "department", "province": "quang-ninh"},
    ]);
    let check = |records: Vec<serde_json::Value>| -> Vec<String> {
        let d: Dataset =
            serde_json::from_value(json!({"observations": records, "units": units})).unwrap();
        d.validate().iter().map(ToString::to_string).collect()
    };
    assert!(
        check(vec![
            obs("a", None),
            obs("b", Some(("Sở Tư pháp", "department")))
        ])
        .is_empty()
    );
    assert!(
        check(vec![
            obs("a", Some(("Sở Tư pháp", "department"))),
            obs("b", Some(("Sở Nội vụ", "department"))),
        ])
        .is_empty()
    );
    assert_eq!(
        check(vec![obs("a", None), obs("b", None)]),
        [
            "error: observation b: indicator: observation a already holds the figure for complaints_resolved, quang-ninh, 2023; update a to replace it"
        ]
    );
    // Unit names compare as search keys: case, diacritics and tone placement do not make a
    // second unit.
    assert_eq!(
        check(vec![
            obs("a", Some(("Sở Tư pháp", "department"))),
            obs("b", Some(("sở tư PHÁP", "department"))),
        ])
        .len(),
        1
    );
    let o: Observation =
        serde_json::from_value(obs("a", Some(("Cụm thi đua số 3", "cluster")))).unwrap();
    assert!(!o.is_own_figure());
    let no_province: Observation =
        serde_json::from_value(json!({"id": "n", "indicator": "hotspots",
        "period": "2023", "value": 1, "unit": {"name": "Cụm 1", "level": "cluster"}}))
        .unwrap();
    assert_eq!(
        no_province.validate(builtin("hotspots"))[0].to_string(),
        "error: observation n: unit: a unit's figure names the province the unit belongs to"
    );
}

#[test]
fn a_ratio_may_be_given_as_a_percentage_alone() {
    let o: Observation =
        serde_json::from_value(json!({"id": "a", "indicator": "one_stop_communes",
        "province": "quang-ninh", "period": "2023", "stated": "đạt 100%"}))
        .unwrap();
    assert!(o.validate(builtin("one_stop_communes")).is_empty());
    let none: Observation =
        serde_json::from_value(json!({"id": "a", "indicator": "one_stop_communes",
        "province": "quang-ninh", "period": "2023"}))
        .unwrap();
    assert!(
        none.validate(builtin("one_stop_communes"))[0]
            .to_string()
            .contains("or the percentage as stated")
    );
}

#[test]
fn conferences_hold_what_sources_say() {
    let c: Conference = serde_json::from_value(json!({"id": "c", "kinds": ["workshop"],
        "title": "Hội thảo", "date": "2023-09-15", "date_precision": "month",
        "hosts": ["Ban Dân vận Tỉnh ủy", "Trường Chính trị tỉnh"], "format": {"mode": "in_person"},
        "sources": [{"title": "Hội thảo khoa học"}]}))
    .unwrap();
    assert_eq!(
        c.validate()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "error: conference c: date: with date_precision month the date is the first of the month (2023-09-01), not 2023-09-15"
        ]
    );
    // A source that does not say who hosted or how leaves both unknown: nothing is required
    // of them, and nothing is written for them.
    let c: Conference = serde_json::from_value(json!({"id": "c", "kinds": ["workshop"],
        "title": "Hội thảo", "date": "2023-09-15", "hosts": []}))
    .unwrap();
    assert!(c.validate().is_empty(), "{:?}", c.validate());
    assert_eq!(c.format, None);
    let written = serde_json::to_value(&c).unwrap();
    assert!(written.get("hosts").is_none() && written.get("format").is_none());
}

#[test]
fn the_older_json_form_is_read() {
    let d = directive(
        json!({"id": "d", "doc_type": "plan", "issuer": "Tỉnh ủy", "title": "KH",
        "milestones": [{"kind": "mid_term", "due": "2023", "held_at": "c1"}]}),
    );
    let held = d.milestones[0].held.as_ref().unwrap();
    assert_eq!(held.conference.as_ref().unwrap().as_str(), "c1");
    // Written back in today's form.
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["milestones"][0]["held"], json!({"conference": "c1"}));
    assert!(v["milestones"][0].get("held_at").is_none());
    let both = serde_json::from_value::<Directive>(json!({"id": "d", "doc_type": "plan",
        "title": "KH", "milestones": [{"kind": "mid_term", "due": "2023", "held_at": "c1",
        "held": {"conference": "c1"}}]}));
    assert!(both.unwrap_err().to_string().contains("not both"));
    let c: Conference = serde_json::from_value(json!({"id": "c", "kinds": ["thematic"],
        "title": "Hội nghị", "date": "2024-03-01", "host": "Ban Dân vận Tỉnh ủy",
        "format": {"mode": "in_person"}}))
    .unwrap();
    assert_eq!(c.hosts.len(), 1);
    let old_source: Conference = serde_json::from_value(json!({"id": "c", "kinds": ["thematic"],
        "title": "Hội nghị", "date": "2024-03-01", "hosts": ["Ban"], "format": {"mode": "in_person"},
        "sources": [{"url": "https://example.vn/a", "title": "Tin"}]}))
    .unwrap();
    assert!(old_source.validate().is_empty());
}

#[test]
fn document_types_are_read_in_vietnamese() {
    for (text, json_name) in [
        ("Nghị quyết", "resolution"),
        ("ke hoach", "plan"),
        ("Đề án", "scheme"),
        ("Quy chế", "regulation"),
    ] {
        let d = directive(json!({"id": "d", "doc_type": text, "title": "T"}));
        assert_eq!(serde_json::to_value(d.doc_type).unwrap(), json_name);
    }
    let e = serde_json::from_value::<Directive>(
        json!({"id": "d", "doc_type": "Công điện", "title": "T"}),
    );
    assert!(
        e.unwrap_err()
            .to_string()
            .contains("unknown document type \"Công điện\"")
    );
}

const TYPES: &[&str] = &[
    "Nghị quyết",
    "Kế hoạch",
    "Đề án",
    "Chỉ thị",
    "Kết luận",
    "Chương trình",
];
const SYMBOLS: &[&str] = &["NQ/TU", "KH/BDVTU", "ĐA/TU", "CT/TW", "KL/TW", "CTr/TU"];

proptest! {
    /// Citations written the way reports write them read back the same.
    #[test]
    fn citations_round_trip(
        t in 0usize..TYPES.len(),
        n in 1u32..400,
        date in prop::option::of((1u32..29, 1u32..13, 1990i32..2030)),
        issuer in prop::option::of(prop::sample::select(vec!["Ban Chấp hành Đảng bộ tỉnh", "Bộ Chính trị", "Ban Thường vụ Tỉnh ủy"])),
        title in prop::option::of(prop::sample::select(vec!["nâng cao chất lượng công tác dân vận", "đổi mới công tác dân vận"])),
    ) {
        let mut text = format!("{} số {n:02}-{}", TYPES[t], SYMBOLS[t]);
        if let Some((d, m, y)) = date {
            text.push_str(&format!(", ngày {d}/{m}/{y}"));
        }
        if let Some(i) = issuer {
            text.push_str(&format!(" của {i}"));
        }
        if let Some(ti) = title {
            text.push_str(&format!(" về {ti}"));
        }
        let c = Citation::parse(&text).unwrap();
        prop_assert_eq!(c.number.as_ref().unwrap().number(), n);
        prop_assert_eq!(c.issued_on, date.map(|(d, m, y)| day(y, m, d)));
        prop_assert_eq!(c.issuer.as_deref(), issuer);
        prop_assert_eq!(c.title.as_deref(), title);
        prop_assert_eq!(Citation::parse(&c.to_vietnamese()).unwrap(), c);
    }

    /// A percentage found in running text is the one written before `%`, whatever surrounds it.
    #[test]
    fn stated_percentages_in_running_text(
        before in prop::sample::select(vec!["", "Năm 2024, ", "Tỷ lệ hài lòng ", "1.272/1.337 đơn thư, "]),
        qualifier in prop::sample::select(vec![("", "Exact"), ("đạt ", "Exact"), ("trên ", "Above"), ("đạt trên ", "Above"), ("gần ", "Nearly"), ("khoảng ", "About")]),
        whole in 1u32..100,
        after in prop::sample::select(vec!["", " tổng số vụ việc", "…", ".", " so với kế hoạch"]),
    ) {
        let text = format!("{before}{}{whole}%{after}", qualifier.0);
        let s = StatedPercentage::parse(&text).unwrap();
        prop_assert_eq!(s.value().to_string(), whole.to_string());
        prop_assert_eq!(format!("{:?}", s.qualifier()), qualifier.1);
        prop_assert_eq!(s.as_str(), text.trim());
    }

    /// Never a panic, whatever the text.
    #[test]
    fn citation_parser_never_panics(text in "\\PC{0,80}") {
        let _ = Citation::parse(&text);
        let _ = StatedPercentage::parse(&text);
    }
}
