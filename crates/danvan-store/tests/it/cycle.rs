//! The reporting cycle on every backend (run from `conformance!`): a district fills and sends,
//! the province returns it with a reason, it is sent again and approved; approval locks the
//! district's figures until an approver unlocks it; two approvers acting at once: one wins;
//! a form changed after a submission began does not change what was asked of it; completeness
//! says who sent on time, late or not yet, and overdue only after the due day.

use chrono::{NaiveDate, NaiveDateTime};
use danvan_core::cycle::{Action, ReportForm, Standing, SubmissionState};
use danvan_core::dataset::AnyRecord;
use danvan_core::record_kind::RecordKind;
use danvan_store::cycle::{begin, completeness, enter_figures, queue, step};
use danvan_store::{Author, Expected, Store, StoreError};

fn id(s: &str) -> danvan_core::id::RecordId {
    s.parse().unwrap()
}

fn at(day: u32, month: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, month, day)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap()
}

fn put(s: &dyn Store, json: serde_json::Value) {
    let record: AnyRecord = serde_json::from_value(json).unwrap();
    s.put(record, Expected::Any).unwrap();
}

/// Two districts of Lào Cai, a six-month form due 15/6 asking one figure and one section.
fn setup(s: &dyn Store) {
    for (unit, name) in [
        ("lc-bat-xat", "huyện Bát Xát"),
        ("lc-sa-pa", "thị xã Sa Pa"),
    ] {
        put(
            s,
            serde_json::json!({"kind": "unit", "record": {"id": unit, "name": name,
                "level": "district", "province": "lao-cai", "until": "2025-06-30"}}),
        );
    }
    put(
        s,
        serde_json::json!({"kind": "form", "record": {"id": "lc-6-thang-huyen",
            "name": "Báo cáo công tác dân vận 6 tháng", "province": "lao-cai",
            "period_kind": "half", "level": "district", "indicators": ["dialogues_held"],
            "sections": [{"key": "ket-qua", "title": "Kết quả thực hiện"}],
            "due_days_after_end": -15}}),
    );
}

fn figure(value: u32) -> AnyRecord {
    serde_json::from_value(serde_json::json!({"kind": "observation", "record": {
        "id": "lc-bat-xat-2025s1-dialogues", "indicator": "dialogues_held", "province": "lao-cai",
        "unit": {"name": "Bát Xát", "level": "district"}, "period": "2025S1", "value": value}}))
    .unwrap()
}

fn write_section(s: &dyn Store, sub: &danvan_core::id::RecordId) {
    let stored = s.get(RecordKind::Submission, sub).unwrap().unwrap();
    let mut v = serde_json::to_value(&stored.record).unwrap();
    v["record"]["sections"] =
        serde_json::json!([{"key": "ket-qua", "text": "Tổ chức 12 cuộc đối thoại với Nhân dân."}]);
    let record: AnyRecord = serde_json::from_value(v).unwrap();
    s.put(record, Expected::Revision(stored.revision)).unwrap();
}

fn problems(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid { problems } => problems.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    }
}

pub(crate) fn a_district_sends_the_province_returns_approves_and_locks(s: &dyn Store) {
    setup(s);
    // Bát Xát's own clerk: a unit's user, who writes only the unit's report and figures.
    let clerk = Author::new("bat-xat-clerk")
        .within(danvan_core::access::Access::provinces(["lao-cai"]).unwrap())
        .of_unit(Some(id("lc-bat-xat")));
    let board = Author::new("lao-cai-board");
    let period = "2025S1".parse().unwrap();
    begin(
        s,
        &id("lc-6-thang-huyen"),
        Some(&id("lc-bat-xat")),
        None,
        period,
        &clerk,
    )
    .unwrap();
    let sub = id("lc-lc-bat-xat-2025s1-lc-6-thang-huyen");
    assert!(s.get(RecordKind::Submission, &sub).unwrap().is_some());
    // A plain write cannot record an approval no approver gave, nor move a submission.
    let mut forged =
        serde_json::to_value(&s.get(RecordKind::Submission, &sub).unwrap().unwrap().record)
            .unwrap();
    forged["record"]["state"] = serde_json::json!("approved");
    forged["record"]["steps"] = serde_json::json!([
        {"action": "send", "by": "x", "at": "2025-06-01T08:00:00"},
        {"action": "approve", "by": "x", "at": "2025-06-01T08:01:00"}
    ]);
    let forged: AnyRecord = serde_json::from_value(forged).unwrap();
    let p = problems(s.put(forged, Expected::Any).unwrap_err());
    assert!(p.iter().any(|p| p.contains("only by those steps")), "{p:?}");
    // Nor can it be begun by a plain write that does not hold what the form asks.
    let plain: AnyRecord = serde_json::from_value(serde_json::json!({"kind": "submission",
        "record": {"id": "plain", "form": "lc-6-thang-huyen", "form_revision": 1,
        "unit": "lc-sa-pa", "province": "lao-cai", "period": "2025S1"}}))
    .unwrap();
    let p = problems(s.put(plain, Expected::Absent).unwrap_err());
    assert!(
        p.iter().any(|p| p.contains("begin it from the form")),
        "{p:?}"
    );
    // Begun twice: refused.
    let again = begin(
        s,
        &id("lc-6-thang-huyen"),
        Some(&id("lc-bat-xat")),
        None,
        period,
        &clerk,
    );
    assert!(problems(again.unwrap_err())[0].contains("already begun"));
    // Sent empty: every problem at its cell or section, nothing sent.
    let refused = step(s, &sub, Action::Send, None, at(10, 6), None, &clerk).unwrap_err();
    let p = problems(refused);
    assert!(
        p.iter()
            .any(|p| p.contains("figures.dialogues_held: no figure entered")),
        "{p:?}"
    );
    assert!(p.iter().any(|p| p.contains("sections.ket-qua: the section “Kết quả thực hiện” is not written")), "{p:?}");
    s.put_by(figure(12), Expected::Absent, &clerk).unwrap();
    write_section(s, &sub);
    the_signed_original_is_kept_by_its_hash(s, &sub, &clerk);
    step(s, &sub, Action::Send, None, at(10, 6), None, &clerk).unwrap();
    a_units_user_writes_only_its_own_and_only_sends(s, &sub, &clerk);
    let waiting = queue(s, Some("lao-cai")).unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(
        (
            waiting[0].name.as_str(),
            waiting[0].sent_by.as_str(),
            waiting[0].late,
            waiting[0].resent
        ),
        ("huyện Bát Xát", "bat-xat-clerk", false, false)
    );
    assert!(queue(s, Some("ha-noi")).unwrap().is_empty());
    // Returned without a reason: refused; with one: back to the district.
    assert!(step(s, &sub, Action::Return, None, at(11, 6), None, &board).is_err());
    step(
        s,
        &sub,
        Action::Return,
        Some("Thiếu số cuộc đối thoại của cấp xã"),
        at(11, 6),
        None,
        &board,
    )
    .unwrap();
    let stored = s.get(RecordKind::Submission, &sub).unwrap().unwrap();
    let AnyRecord::Submission(x) = &stored.record else {
        panic!()
    };
    assert_eq!(x.state, SubmissionState::Returned);
    corrected_in_the_entry_grid(s, &sub, &clerk);
    step(s, &sub, Action::Send, None, at(12, 6), None, &clerk).unwrap();
    let sent = enter_figures(s, &sub, &[entered("dialogues_held", 15)], &clerk).unwrap_err();
    assert!(problems(sent)[0].contains("the board returns it before its figures change"));
    let again =
        danvan_store::cycle::attach(s, &sub, "x.pdf", b"%PDF-1.7 khac", &clerk).unwrap_err();
    assert!(problems(again)[0].contains("the board returns it before its original changes"));
    assert!(
        queue(s, None).unwrap()[0].resent,
        "sent again after a return"
    );
    approvers_race_then_the_figure_is_locked_until_unlocked(s, &sub, &board);
}

/// The unit attaches its signed original: a PDF or a DOCX, kept by its hash; anything else
/// is refused, nothing written.
fn the_signed_original_is_kept_by_its_hash(
    s: &dyn Store,
    sub: &danvan_core::id::RecordId,
    clerk: &Author,
) {
    use danvan_store::cycle::{attach, original};
    assert_eq!(original(s, sub).unwrap(), None);
    let before = s.revision().unwrap();
    let text = attach(s, sub, "bao-cao.txt", b"Bao cao 6 thang", clerk).unwrap_err();
    assert!(problems(text)[0].contains("neither a PDF nor a DOCX"));
    let empty = attach(s, sub, "bao-cao.pdf", b"", clerk).unwrap_err();
    assert!(problems(empty)[0].contains("the file is empty or larger than 16 MiB"));
    assert_eq!(s.revision().unwrap(), before, "nothing written");
    let pdf = b"%PDF-1.7\n(Bao cao 6 thang - ban ky)\n%%EOF\n";
    attach(s, sub, "/home/van-thu/Bao cao 6 thang.pdf", pdf, clerk).unwrap();
    let (a, bytes) = original(s, sub).unwrap().unwrap();
    assert_eq!(bytes, pdf);
    assert_eq!(
        (a.file_name.as_str(), a.media_type.as_str(), a.size),
        ("Bao cao 6 thang.pdf", "application/pdf", pdf.len() as u64)
    );
    assert_eq!(a.sha256, danvan_store::files::sha256_hex(pdf));
}

/// A count typed in the entry grid.
fn entered(indicator: &str, value: i64) -> danvan_store::cycle::Entered {
    danvan_store::cycle::Entered {
        indicator: id(indicator),
        value: Some(danvan_core::number::Decimal::from_int(value)),
        numerator: None,
        denominator: None,
    }
}

/// Corrected in the report's entry grid: the unit's figure is updated, not doubled; an
/// indicator the form does not ask is refused.
fn corrected_in_the_entry_grid(s: &dyn Store, sub: &danvan_core::id::RecordId, clerk: &Author) {
    let not_asked = enter_figures(s, sub, &[entered("complaints_resolved", 3)], clerk).unwrap_err();
    assert!(
        problems(not_asked)[0]
            .contains("figures.complaints_resolved: the report's form does not ask this indicator")
    );
    enter_figures(s, sub, &[entered("dialogues_held", 14)], clerk).unwrap();
    let AnyRecord::Submission(x) = s.get(RecordKind::Submission, sub).unwrap().unwrap().record
    else {
        panic!()
    };
    let figures = danvan_store::cycle::figures_of(s, &x).unwrap();
    assert_eq!(figures.len(), 1);
    assert_eq!(
        (figures[0].id.as_str(), figures[0].value),
        (
            "lc-bat-xat-2025s1-dialogues",
            Some(danvan_core::number::Decimal::from_int(14))
        )
    );
}

/// Bát Xát's clerk cannot write Sa Pa's figure or report, nor a record of another kind, nor
/// return or approve its own report.
fn a_units_user_writes_only_its_own_and_only_sends(
    s: &dyn Store,
    sub: &danvan_core::id::RecordId,
    clerk: &Author,
) {
    let mut sa_pa = serde_json::to_value(figure(3)).unwrap();
    sa_pa["record"]["id"] = "lc-sa-pa-2025s1-dialogues".into();
    sa_pa["record"]["unit"] = serde_json::json!({"name": "thị xã Sa Pa", "level": "district"});
    let sa_pa: AnyRecord = serde_json::from_value(sa_pa).unwrap();
    let refused = s.put_by(sa_pa, Expected::Absent, clerk).unwrap_err();
    assert!(
        refused.to_string().contains(
            "observation lc-sa-pa-2025s1-dialogues is not a report or figure of unit lc-bat-xat"
        ),
        "{refused}"
    );
    let other = begin(
        s,
        &id("lc-6-thang-huyen"),
        Some(&id("lc-sa-pa")),
        None,
        "2025S1".parse().unwrap(),
        clerk,
    );
    assert!(
        matches!(other, Err(StoreError::Forbidden { .. })),
        "{other:?}"
    );
    let unit: AnyRecord = serde_json::from_value(serde_json::json!({"kind": "unit", "record": {
        "id": "lc-moi", "name": "huyện Mới", "level": "district", "province": "lao-cai"}}))
    .unwrap();
    assert!(matches!(
        s.put_by(unit, Expected::Absent, clerk),
        Err(StoreError::Forbidden { .. })
    ));
    let own = step(
        s,
        sub,
        Action::Return,
        Some("tự trả"),
        at(10, 6),
        None,
        clerk,
    )
    .unwrap_err();
    assert!(
        own.to_string()
            .contains("its user sends it; the board returns, approves and unlocks it"),
        "{own}"
    );
    assert!(step(s, sub, Action::Approve, None, at(10, 6), None, clerk).is_err());
}

/// Two approvers at once, the lock, and the unlock.
fn approvers_race_then_the_figure_is_locked_until_unlocked(
    s: &dyn Store,
    sub: &danvan_core::id::RecordId,
    board: &Author,
) {
    // Two approvers read the same revision: one wins, the other is told it changed.
    let read = s
        .get(RecordKind::Submission, sub)
        .unwrap()
        .unwrap()
        .revision;
    step(s, sub, Action::Approve, None, at(13, 6), Some(read), board).unwrap();
    assert!(
        queue(s, None).unwrap().is_empty(),
        "approved: no longer waiting"
    );
    let second = step(
        s,
        sub,
        Action::Approve,
        None,
        at(13, 6),
        Some(read),
        &Author::new("other"),
    );
    assert!(
        matches!(second, Err(StoreError::Conflict { .. })),
        "{second:?}"
    );
    // The approved figure is locked, saying who approved it and when.
    let p = problems(s.put(figure(15), Expected::Any).unwrap_err());
    assert!(
        p[0].contains("locked: submission lc-lc-bat-xat-2025s1-lc-6-thang-huyen, period 2025S1, approved by lao-cai-board (13/06/2025 09:30); an approver must unlock it (with a reason) first"),
        "{p:?}"
    );
    assert!(
        s.delete(
            RecordKind::Observation,
            &id("lc-bat-xat-2025s1-dialogues"),
            Expected::Any,
            false
        )
        .is_err()
    );
    // The approved submission cannot be rewritten or deleted, only unlocked.
    assert!(
        s.delete(RecordKind::Submission, sub, Expected::Any, false)
            .is_err()
    );
    assert!(step(s, sub, Action::Unlock, None, at(20, 6), None, board).is_err());
    step(
        s,
        sub,
        Action::Unlock,
        Some("Đơn vị đề nghị sửa số liệu"),
        at(20, 6),
        None,
        board,
    )
    .unwrap();
    s.put(figure(15), Expected::Any).unwrap();
    // Every step is in the record's history with who and why.
    let history = s.history(RecordKind::Submission, sub).unwrap();
    let reasons: Vec<Option<String>> = history.iter().map(|h| h.author.reason.clone()).collect();
    assert!(
        reasons.contains(&Some("Thiếu số cuộc đối thoại của cấp xã".to_string())),
        "{reasons:?}"
    );
    assert!(history.iter().any(|h| h.author.actor == "lao-cai-board"));
}

pub(crate) fn completeness_knows_what_is_owed_and_by_when(s: &dyn Store) {
    setup(s);
    let clerk = Author::new("clerk");
    let period = "2025S1".parse().unwrap();
    let view = |today| {
        completeness(s, Some("lao-cai"), period, today)
            .unwrap()
            .into_iter()
            .map(|l| (l.name, l.standing))
            .collect::<Vec<_>>()
    };
    let june = |d| NaiveDate::from_ymd_opt(2025, 6, d).unwrap();
    // Before the due day, nothing is overdue.
    assert_eq!(
        view(june(10)),
        [
            ("huyện Bát Xát".to_string(), Standing::NotYetDue),
            ("thị xã Sa Pa".to_string(), Standing::NotYetDue)
        ]
    );
    begin(
        s,
        &id("lc-6-thang-huyen"),
        Some(&id("lc-bat-xat")),
        None,
        period,
        &clerk,
    )
    .unwrap();
    let sub = id("lc-lc-bat-xat-2025s1-lc-6-thang-huyen");
    s.put(figure(12), Expected::Absent).unwrap();
    write_section(s, &sub);
    step(s, &sub, Action::Send, None, at(14, 6), None, &clerk).unwrap();
    assert_eq!(
        view(june(20)),
        [
            ("huyện Bát Xát".to_string(), Standing::OnTime),
            ("thị xã Sa Pa".to_string(), Standing::Overdue)
        ]
    );
    // A form changed after the submission began does not change what was asked of it.
    let stored = s
        .get(RecordKind::Form, &id("lc-6-thang-huyen"))
        .unwrap()
        .unwrap();
    let AnyRecord::Form(mut f) = stored.record else {
        panic!()
    };
    f.indicators.push(id("complaints_resolved"));
    let changed: ReportForm = f;
    s.put(
        AnyRecord::Form(changed),
        Expected::Revision(stored.revision),
    )
    .unwrap();
    let AnyRecord::Submission(x) = s.get(RecordKind::Submission, &sub).unwrap().unwrap().record
    else {
        panic!()
    };
    assert_eq!(x.asked.indicators, [id("dialogues_held")]);
    // Districts ended on 30/6/2025: nothing is owed of them for the second half.
    assert!(
        completeness(s, Some("lao-cai"), "2025S2".parse().unwrap(), june(30))
            .unwrap()
            .is_empty()
    );
}
