//! Golden sentences: records in, the exact sentence out, for each rule a board chief checks
//! (figures: counted once, judged only against a target, missing is "chưa có số liệu", model
//! counts reconciled, coverage, percentages by convention; content: conferences in sentences,
//! recorded shortcomings, held and overdue reviews, full citations, titles and headings by
//! period, the board at the report's date, English).

use chrono::NaiveDate;
use danvan_core::dataset::Dataset;
use danvan_report::{Format, Lang, Scope, render};
use danvan_store::{JsonStore, ProvinceMap, Store};
use serde_json::json;

/// A store holding `records` (a dataset in JSON).
fn store(records: serde_json::Value) -> (tempfile::TempDir, JsonStore) {
    crate::store_with(serde_json::from_value::<Dataset>(records).unwrap())
}

/// The Markdown report of `province` for `period`, dated `date`, on `map`.
fn report_on(
    store: &dyn Store,
    province: Option<&str>,
    period: &str,
    date: (i32, u32, u32),
    map: ProvinceMap,
    lang: Lang,
) -> String {
    let mut scope = Scope::new(
        province,
        period.parse().unwrap(),
        NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
    );
    scope.map = map;
    String::from_utf8(render(store, &scope, Format::Markdown, lang).unwrap()).unwrap()
}

fn report(store: &dyn Store, province: Option<&str>, period: &str, lang: Lang) -> String {
    report_on(
        store,
        province,
        period,
        (2026, 11, 22),
        ProvinceMap::Current,
        lang,
    )
}

#[track_caller]
fn has(text: &str, sentence: &str) {
    assert!(text.contains(sentence), "missing {sentence:?} in:\n{text}");
}

#[track_caller]
fn lacks(text: &str, fragment: &str) {
    assert!(
        !text.contains(fragment),
        "unexpected {fragment:?} in:\n{text}"
    );
}

/// The six-month review of a province, held with a thematic session, online, two chairs,
/// commendations; with its shortcomings and tasks.
fn conference() -> serde_json::Value {
    json!({
        "id": "lc-2024-so-ket",
        "kinds": ["six_month_review", "thematic"],
        "title": "Hội nghị chuyên đề kết hợp sơ kết công tác dân vận 6 tháng đầu năm 2024",
        "date": "2024-06-28",
        "province": "lao-cai",
        "hosts": ["Ban Dân vận Tỉnh ủy Lào Cai"],
        "chairs": [
            {"name": "Giàng Thị Dung", "position": "Phó Bí thư Thường trực Tỉnh ủy"},
            {"name": "Vũ Xuân Cường", "position": "Trưởng Ban Dân vận Tỉnh ủy"}
        ],
        "emulation_cluster": "Cụm thi đua số 2",
        "format": {"mode": "online", "connection_points": 13},
        "reviewed_period": "2024S1",
        "shortcomings": ["công tác nắm tình hình Nhân dân ở một số nơi chưa thường xuyên"],
        "tasks": ["tổ chức tổng kết công tác dân vận năm 2024"],
        "commendations": [{
            "award": "Bằng khen",
            "awarded_by": "Ban Thường vụ Tỉnh ủy",
            "reason": "Có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”",
            "collectives": 8,
            "individuals": 12
        }]
    })
}

#[test]
fn a_conference_of_two_kinds_is_one_conference_described_in_full() {
    let (_t, s) = store(json!({"conferences": [conference()]}));
    let vi = report(&s, Some("lao-cai"), "2024S1", Lang::Vi);
    has(
        &vi,
        "Tổ chức 01 hội nghị chuyên đề kết hợp sơ kết công tác dân vận 6 tháng.",
    );
    has(
        &vi,
        "- Ngày 28/6/2024, Ban Dân vận Tỉnh ủy Lào Cai tổ chức hội nghị chuyên đề kết hợp sơ kết công tác dân vận 6 tháng đầu năm 2024 (Cụm thi đua số 2); các đồng chí: Giàng Thị Dung, Phó Bí thư Thường trực Tỉnh ủy; Vũ Xuân Cường, Trưởng Ban Dân vận Tỉnh ủy đồng chủ trì; hình thức trực tuyến đến 13 điểm cầu. Dịp này, Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 08 tập thể và 12 cá nhân có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”.",
    );
    // Recorded shortcomings are shortcomings; the conference's tasks are tasks.
    has(
        &vi,
        "- Công tác nắm tình hình Nhân dân ở một số nơi chưa thường xuyên (nêu tại hội nghị chuyên đề kết hợp sơ kết công tác dân vận 6 tháng đầu năm 2024 ngày 28/6/2024).",
    );
    lacks(&vi, "Chưa có số liệu về hạn chế");
    has(&vi, "- Tổ chức tổng kết công tác dân vận năm 2024.");
    let en = report(&s, Some("lao-cai"), "2024S1", Lang::En);
    has(
        &en,
        "1 thematic conference combined with the six-month review held.",
    );
    has(
        &en,
        "chaired by Giàng Thị Dung (Phó Bí thư Thường trực Tỉnh ủy) and Vũ Xuân Cường (Trưởng Ban Dân vận Tỉnh ủy), online with 13 connection points. The Standing Committee of the Provincial Party Committee awarded Bằng khen to 8 collectives and 12 individuals.",
    );
}

#[test]
fn no_judgement_without_a_target_and_no_shortcoming_without_a_direction() {
    let obs = |id: &str, indicator: &str, period: &str, extra: serde_json::Value| {
        let mut o =
            json!({"id": id, "indicator": indicator, "province": "lao-cai", "period": period});
        o.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        o
    };
    let (_t, s) = store(json!({"observations": [
        obs("a1", "complaints_resolved", "2024S1", json!({"numerator": 1272, "denominator": 1337})),
        obs("a0", "complaints_resolved", "2023S1", json!({"numerator": 900, "denominator": 1000})),
        obs("b1", "complaints_received", "2024S1", json!({"value": 1337})),
        obs("b0", "complaints_received", "2023S1", json!({"value": 1000})),
        obs("c1", "one_stop_communes", "2024S1", json!({"numerator": 152, "denominator": 152, "target": 100})),
        obs("d1", "dossiers_on_time", "2024S1", json!({"stated": "đạt trên 95%"})),
    ]}));
    let vi = report(&s, Some("lao-cai"), "2024S1", Lang::Vi);
    // A change described, never judged.
    has(
        &vi,
        "- Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh được giải quyết: 1.272/1.337 (95,14%), tăng 5,14 điểm phần trăm so với cùng kỳ (90%).",
    );
    has(
        &vi,
        "| Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh được giải quyết | 1.272/1.337 (95,14%) | 90% | +5,14\u{a0}điểm\u{a0}% | — | — |",
    );
    // More complaints received is not a shortcoming.
    has(
        &vi,
        "- Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận: 1.337, tăng 337 so với cùng kỳ (1.000).",
    );
    lacks(&vi, "tiếp nhận: 1.337, chưa đạt");
    // Against a target: judged; 100% without ",00".
    has(
        &vi,
        "- Xã, phường, thị trấn thực hiện cơ chế một cửa, một cửa liên thông: 152/152 (100%); đạt chỉ tiêu đề ra (100%).",
    );
    // A stated percentage is printed as stated.
    has(
        &vi,
        "- Hồ sơ thủ tục hành chính được giải quyết đúng và trước hạn: “đạt trên 95%”.",
    );
    // No shortcoming in the figures is not "no shortcoming": nothing recorded says so.
    has(
        &vi,
        "Chưa có số liệu về hạn chế trong kỳ (không có chỉ tiêu nào chưa đạt chỉ tiêu đề ra hoặc chuyển biến kém so với cùng kỳ).",
    );
    lacks(&vi, "không cho thấy hạn chế nào");
}

#[test]
fn reviews_held_are_held_overdue_ones_overdue_and_documents_cited_in_full_once() {
    let (_t, s) = store(json!({"directives": [{
        "id": "lc-nq-07",
        "number": "07-NQ/TU",
        "doc_type": "Nghị quyết",
        "issuer": "Ban Chấp hành Đảng bộ tỉnh",
        "issued_on": "2021-05-20",
        "title": "về nâng cao hiệu quả công tác dân vận",
        "province": "lao-cai",
        "phase": {"start_year": 2021, "end_year": 2025},
        "milestones": [
            {"kind": "mid_term", "label": "sơ kết 3 năm", "due": "2024", "held": {"on": "2024-06-12", "by": "Ban Thường vụ Tỉnh ủy"}},
            {"kind": "other", "label": "đánh giá giữa kỳ", "due": "2024-03-31"}
        ]
    }]}));
    let vi = report(&s, Some("lao-cai"), "2024S1", Lang::Vi);
    // Held, as held, the document cited in full the first time; its title's "về" once.
    has(
        &vi,
        "- Tổ chức sơ kết 03 năm thực hiện Nghị quyết số 07-NQ/TU, ngày 20/5/2021 của Ban Chấp hành Đảng bộ tỉnh về nâng cao hiệu quả công tác dân vận ngày 12/6/2024.",
    );
    lacks(&vi, "về về");
    // Overdue, called overdue, cited by number after the first time.
    has(
        &vi,
        "- Đánh giá giữa kỳ thực hiện Nghị quyết số 07-NQ/TU chưa được tổ chức, đã quá hạn 31/3/2024.",
    );
    let en = report(&s, Some("lao-cai"), "2024S1", Lang::En);
    has(
        &en,
        "Held the mid-term review of Resolution 07-NQ/TU of 20 May 2021",
    );
}

#[test]
fn titles_and_next_headings_follow_the_period() {
    let (_t, s) = store(json!({}));
    let cases = [
        (
            "202306",
            "Công tác dân vận tháng 6 năm 2023",
            "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG 7 NĂM 2023",
        ),
        (
            "2024Q2",
            "Công tác dân vận quý II năm 2024",
            "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ III NĂM 2024",
        ),
        (
            "2024S1",
            "Sơ kết công tác dân vận 6 tháng đầu năm 2024",
            "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024",
        ),
        (
            "2024S2",
            "Công tác dân vận 6 tháng cuối năm 2024",
            "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025",
        ),
        (
            "2024",
            "Tổng kết công tác dân vận năm 2024",
            "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025",
        ),
        (
            "2021-2025",
            "Tổng kết công tác dân vận giai đoạn 2021 - 2025",
            "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        ),
    ];
    for (period, title, heading) in cases {
        let vi = report(&s, Some("lao-cai"), period, Lang::Vi);
        has(&vi, &format!("## {title}\n"));
        has(&vi, &format!("### {heading}\n"));
    }
    let en = report(&s, Some("lao-cai"), "2024", Lang::En);
    has(&en, "## Annual review of mass mobilisation work, 2024\n");
    // No directive on record is not "no new directive".
    has(
        &en,
        "In 2024, Lào Cai: no figures on conferences, new directives or new models.",
    );
    lacks(&en, "issued no new directive");
}

#[test]
fn the_board_is_the_one_of_the_reports_date_and_a_former_province_keeps_its_own() {
    let (_t, s) = store(json!({}));
    // Dated before the province merged its boards: the mass mobilisation board, to the central
    // mass mobilisation board.
    let before = report_on(
        &s,
        Some("lao-cai"),
        "2024S1",
        (2024, 7, 5),
        ProvinceMap::AsRecorded,
        Lang::Vi,
    );
    has(&before, "| **BAN DÂN VẬN** | |");
    has(&before, "Số      -BC/BDVTU");
    has(&before, "- Ban Dân vận Trung ương,");
    // Yên Bái, on the old map, is headed by Yên Bái's bodies as they were on its last day
    // (its boards had merged in 2025), even in a report dated today, when Yên Bái is part of
    // Lào Cai.
    let old = report_on(
        &s,
        Some("yen-bai"),
        "2024",
        (2026, 11, 22),
        ProvinceMap::AsRecorded,
        Lang::Vi,
    );
    has(&old, "| TỈNH ỦY YÊN BÁI | **ĐẢNG CỘNG SẢN VIỆT NAM** |");
    has(&old, "Số      -BC/BTGDVTU");
}

#[test]
fn national_figures_state_their_coverage_and_model_counts_are_reconciled() {
    let (_t, s) = store(json!({
        "observations": [
            {"id": "qn-1", "indicator": "complaints_resolved", "province": "quang-ninh", "period": "2024", "numerator": 95, "denominator": 100},
            {"id": "qn-2", "indicator": "models_recognised", "province": "quang-ninh", "period": "2024", "value": 19}
        ]
    }));
    let vi = report(&s, None, "2024", Lang::Vi);
    has(
        &vi,
        "- Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh được giải quyết: 95/100 (95%); số liệu của 1/34 tỉnh, thành phố.",
    );
    // No model records, but a reported count: said whose, and never "chưa xây dựng".
    has(
        &vi,
        "Theo báo cáo của các tỉnh, thành phố (số liệu tổng hợp của đơn vị, có thể gồm cả mô hình chưa lập hồ sơ): mô hình “Dân vận khéo” được công nhận: 19 (số liệu của 1/34 tỉnh, thành phố).",
    );
    lacks(&vi, "chưa xây dựng");
    let tn = report(&s, Some("quang-ninh"), "2024", Lang::Vi);
    has(
        &tn,
        "Theo báo cáo của tỉnh Quảng Ninh (số liệu tổng hợp của đơn vị, có thể gồm cả mô hình chưa lập hồ sơ): mô hình “Dân vận khéo” được công nhận: 19.",
    );
}

#[test]
fn every_figure_names_its_records_and_explain_shows_the_computation() {
    let (_t, s) = store(json!({"observations": [
        {"id": "lc-a", "indicator": "complaints_resolved", "province": "lao-cai", "period": "2024", "numerator": 95, "denominator": 100},
        {"id": "yb-a", "indicator": "complaints_resolved", "province": "yen-bai", "period": "2024", "numerator": 45, "denominator": 50}
    ]}));
    let scope = Scope::new(
        Some("lao-cai"),
        "2024".parse().unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    );
    let data = danvan_report::build(&s, &scope).unwrap();
    assert_eq!(data.indicators[0].sources, ["lc-a", "yb-a"]);
    let text = danvan_report::explain::explain(&s, &data, Lang::Vi).unwrap();
    has(&text, "tổng tử số / tổng mẫu số của:");
    has(&text, "lc-a (lao-cai, năm 2024): 95/100");
    has(&text, "yb-a (yen-bai, năm 2024): 45/50");
    has(&text, "= 140/150 = 93.33%");
    has(&text, "không có chỉ tiêu đề ra");
    // Served, the HTML links the figure to both records.
    let links = danvan_report::html::Links {
        base: Some(String::new()),
    };
    let html = String::from_utf8(
        danvan_report::write_with(&data, Format::Html, Lang::Vi, &links).unwrap(),
    )
    .unwrap();
    has(
        &html,
        "<a href=\"/v1/observations/lc-a\">[1]</a><a href=\"/v1/observations/yb-a\">[2]</a>",
    );
}

/// "None" is said only where the board recorded a nil return for that part (issue 26, point
/// 7): a figure of 0 for new directives, models registered or shortcomings noted. The same
/// report without them says "chưa có số liệu về …"; before this, it said "không ban hành văn
/// bản chỉ đạo mới" and "không cho thấy hạn chế nào" on no record at all.
#[test]
fn none_is_said_only_on_a_recorded_nil_return() {
    let nil = |code: &str| {
        json!({"id": format!("lc-2024-{code}"), "indicator": code, "province": "lao-cai",
            "period": "2024", "value": 0})
    };
    let (_t, with) = store(json!({"observations": [
        nil("directives_issued"), nil("models_registered"), nil("shortcomings_noted"),
    ]}));
    let vi = report(&with, Some("lao-cai"), "2024", Lang::Vi);
    has(
        &vi,
        "không ban hành văn bản chỉ đạo mới; không có mô hình “Dân vận khéo” đăng ký xây dựng mới.",
    );
    has(&vi, "Trong kỳ không ban hành văn bản chỉ đạo mới.");
    has(&vi, "Số liệu trong kỳ không cho thấy hạn chế nào.");
    // Said in their own words, not listed as figures of 0.
    lacks(&vi, "Văn bản chỉ đạo mới ban hành: 0");
    let en = report(&with, Some("lao-cai"), "2024", Lang::En);
    has(
        &en,
        "In 2024, Lào Cai issued no new directive and registered no new “Dân vận khéo” model. No figures on conferences.",
    );
    let data = danvan_report::build(&with, &{
        let mut s = Scope::new(
            Some("lao-cai"),
            "2024".parse().unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        );
        s.map = ProvinceMap::Current;
        s
    })
    .unwrap();
    assert!(
        danvan_report::check::check(&data, Lang::Vi).is_empty(),
        "{:#?}",
        danvan_report::check::check(&data, Lang::Vi)
    );
    // The checker refuses "none" with no nil return behind it.
    let doc = danvan_report::compose::compose(&data, Lang::Vi);
    let mut unrecorded = data.clone();
    unrecorded.nil_returns = Default::default();
    let rules: Vec<&str> = danvan_report::check::check_document(&unrecorded, &doc)
        .iter()
        .map(|f| f.rule)
        .collect();
    assert!(
        rules.iter().filter(|r| **r == "missing_as_zero").count() >= 3,
        "{rules:?}"
    );
    let (_t, without) = store(json!({}));
    let vi = report(&without, Some("lao-cai"), "2024", Lang::Vi);
    has(&vi, "chưa có số liệu về văn bản chỉ đạo mới ban hành");
    has(
        &vi,
        "Chưa có số liệu về văn bản chỉ đạo mới ban hành trong kỳ.",
    );
    lacks(&vi, "không ban hành");
    lacks(&vi, "không cho thấy hạn chế nào");
    // A nil return of some provinces is not the country's.
    let (_t, some) = store(json!({"observations": [nil("directives_issued")]}));
    lacks(&report(&some, None, "2024", Lang::Vi), "không ban hành");
}

/// A level that no longer existed in the period is not missing (issue 26, point 5): districts
/// ended on 30 June 2025, so a report on the second half of 2025 does not say "chưa có số liệu"
/// for the districts' one-stop figure that the second half of 2024 had; one reported anyway,
/// and any period the level existed in, is reported as usual.
#[test]
fn an_abolished_level_is_not_listed_as_missing() {
    let districts = |id: &str, period: &str| {
        json!({"id": id, "indicator": "one_stop_districts", "province": "lao-cai",
            "period": period, "numerator": 9, "denominator": 9})
    };
    let (_t, s) = store(json!({"observations": [districts("lc-2024s2", "2024S2")]}));
    let after = report_on(
        &s,
        Some("lao-cai"),
        "2025S2",
        (2026, 1, 10),
        ProvinceMap::Current,
        Lang::Vi,
    );
    lacks(&after, "Huyện, thị xã, thành phố thực hiện cơ chế một cửa");
    // In 2025, districts existed until 30 June: a missing figure is missing.
    let (_t, s) = store(json!({"observations": [districts("lc-2024", "2024")]}));
    let year = report_on(
        &s,
        Some("lao-cai"),
        "2025",
        (2026, 1, 10),
        ProvinceMap::Current,
        Lang::Vi,
    );
    has(
        &year,
        "Huyện, thị xã, thành phố thực hiện cơ chế một cửa, một cửa liên thông: chưa có số liệu kỳ này (cùng kỳ: 100%).",
    );
}

/// The English an international partner reads: bodies named by the glossary (the Standing
/// members, not a "Standing Board"), a period's article, a closed period's targets met or not
/// met, and a task the conference worded in Vietnamese quoted and attributed rather than
/// passed off as the report's own English.
#[test]
fn the_english_report_names_bodies_by_the_glossary_and_quotes_what_it_cannot_translate() {
    let (_dir, s) = crate::demo_store();
    let en = report_on(
        &s,
        Some("thai-nguyen"),
        "2024S1",
        (2024, 7, 5),
        ProvinceMap::AsRecorded,
        Lang::En,
    );
    has(
        &en,
        "- Standing members of the Thái Nguyên Provincial Party Committee,",
    );
    has(&en, "**HEAD OF THE COMMISSION**");
    has(&en, "THÁI NGUYÊN PROVINCIAL PARTY COMMITTEE");
    has(&en, "VI. TASKS FOR THE SECOND HALF OF 2024");
    has(
        &en,
        "the Mass Mobilisation Commission of the Thái Nguyên Provincial Party Committee held",
    );
    has(
        &en,
        "- As set by the conference of 20 June 2024: “Chuẩn bị tổng kết năm 2024.”",
    );
    has(&en, "| 95% | Met |");
    lacks(&en, "Standing Board");
    lacks(&en, "On track");
    lacks(&en, " in first half");
    // A report dated before its period ends judges progress, not the outcome.
    let under_way = report_on(
        &s,
        Some("thai-nguyen"),
        "2024",
        (2024, 7, 5),
        ProvinceMap::AsRecorded,
        Lang::En,
    );
    lacks(&under_way, "| Met |");
    lacks(&under_way, "| Not met |");
}
