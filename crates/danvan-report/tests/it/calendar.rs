//! The work calendar (RFC 5545) read back with a maintained iCalendar parser (the `icalendar`
//! crate), as a calendar app reads it: one event per conference and per review, with stable
//! UIDs, the days the records give (and no others), and the text as written.

use chrono::{NaiveDate, TimeZone, Utc};
use danvan_core::conference::DatePrecision;
use danvan_report::Lang;
use danvan_report::calendar::{self, Event, Scope};
use danvan_store::Store;
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use proptest::prelude::*;

use crate::{demo_store, store_with};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The calendar of `province` on the demo store, as text and as its events.
fn demo(province: Option<&'static str>, lang: Lang) -> (String, Vec<Event>) {
    let (_dir, store) = demo_store();
    let export = store.export(None).unwrap();
    let events = calendar::events(
        &export,
        Scope {
            province,
            may_read: None,
        },
        lang,
    );
    let stamp = Utc.with_ymd_and_hms(2026, 12, 6, 2, 30, 0).unwrap();
    let text = calendar::write(&events, &calendar::name(province, lang), stamp);
    (text, events)
}

/// The event `uid`.
fn find<'a>(events: &'a [Event], uid: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.uid == uid)
        .unwrap_or_else(|| panic!("no {uid}"))
}

/// The parsed events, each as (UID, start, end, summary, description).
type Parsed = (String, NaiveDate, NaiveDate, String, String);

fn parse(text: &str) -> (Calendar, Vec<Parsed>) {
    let calendar: Calendar = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
    let date = |d: Option<DatePerhapsTime>| match d {
        Some(DatePerhapsTime::Date(d)) => d,
        other => panic!("not an all-day date: {other:?}"),
    };
    let events = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some((
                e.get_uid().unwrap().to_string(),
                date(e.get_start()),
                date(e.get_end()),
                e.get_summary().unwrap().to_string(),
                e.get_description().unwrap().to_string(),
            )),
            _ => None,
        })
        .collect();
    (calendar, events)
}

#[test]
fn the_calendar_parses_back_to_its_events() {
    let (text, events) = demo(None, Lang::Vi);
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\n"));
    assert!(text.lines().all(|l| l.len() <= 76), "a line over 75 octets");
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let (parsed_calendar, parsed) = parse(&text);
    assert_eq!(
        parsed_calendar.get_name(),
        Some("Lịch công tác dân vận — toàn quốc")
    );
    assert_eq!(parsed.len(), events.len());
    assert!(events.len() > 30, "{}", events.len());
    for (e, (uid, start, end, summary, description)) in events.iter().zip(&parsed) {
        assert_eq!(&e.uid, uid);
        assert_eq!((e.start, e.end), (*start, *end), "{uid}");
        assert_eq!(&e.summary, summary, "{uid}");
        assert_eq!(&e.description.join("\n"), description, "{uid}");
    }
    let mut uids: Vec<&str> = events.iter().map(|e| e.uid.as_str()).collect();
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), events.len(), "UIDs repeat");
}

#[test]
fn a_province_calendar_holds_its_merged_provinces_records() {
    let (text, events) = demo(Some("thai-nguyen"), Lang::Vi);
    assert!(events.iter().all(|e| e.province == Some("thai-nguyen")));
    let dialogue = find(&events, "conference-bk-2024-doi-thoai@danvan");
    assert_eq!(
        (dialogue.start, dialogue.end),
        (day(2024, 9, 12), day(2024, 9, 13))
    );
    assert!(
        dialogue
            .description
            .contains(&"Tỉnh/thành phố: Bắc Kạn (nay thuộc Thái Nguyên)".to_string()),
        "{:?}",
        dialogue.description
    );
    assert!(text.contains("X-WR-CALNAME:Lịch công tác dân vận — Thái Nguyên\r\n"));
    let (lao_cai, _) = demo(Some("lao-cai"), Lang::Vi);
    assert!(!lao_cai.contains("bk-2024-doi-thoai"));
}

#[test]
fn reviews_fall_on_their_deadline_or_the_day_they_were_held() {
    let (_, events) = demo(None, Lang::Vi);
    // Resolution 25-NQ/TW's ten-year review in Thái Nguyên was held on 26 May 2023.
    let held = find(
        &events,
        "review-tw-25-nq-2013-mid_term-2023-thai-nguyen@danvan",
    );
    assert_eq!(held.start, day(2023, 5, 26));
    assert_eq!(
        held.summary,
        "Sơ kết 10 năm Nghị quyết 25-NQ/TW (Thái Nguyên)"
    );
    assert!(
        held.description
            .contains(&"Đã tổ chức: 26/5/2023".to_string())
    );
    // Lào Cai's has no record of being held: it stays on its deadline, and says so.
    let open = find(&events, "review-tw-25-nq-2013-mid_term-2023-lao-cai@danvan");
    assert_eq!(open.start, day(2023, 12, 31));
    assert_eq!(
        open.summary,
        "Hạn sơ kết 10 năm Nghị quyết 25-NQ/TW (Lào Cai)"
    );
    assert!(open.description.contains(&"Chưa tổ chức".to_string()));
    assert!(
        open.description
            .contains(&"Thời hạn: trong năm 2023 (chậm nhất 31/12/2023)".to_string())
    );
}

#[test]
fn a_day_the_records_do_not_give_is_not_invented() {
    let (_, events) = demo(None, Lang::Vi);
    // Known only from the report that tells of it.
    let reported = find(&events, "conference-lc-2025-tong-ket-nam@danvan");
    assert!(
        reported.summary.ends_with(" (ngày đưa tin)"),
        "{}",
        reported.summary
    );
    assert_eq!(
        reported.description[0],
        "Chưa rõ ngày tổ chức; nguồn đưa tin ngày 20/12/2025."
    );
    // Known only to the month: the event spans the month.
    let (_dir, store) = demo_store();
    let mut dataset = store.export(None).unwrap().dataset;
    let c = &mut dataset.conferences[0];
    c.date = day(2024, 6, 1);
    c.end_date = None;
    c.date_precision = DatePrecision::Month;
    let id = c.id.to_string();
    let (_dir, store) = store_with(dataset);
    let events = calendar::events(&store.export(None).unwrap(), Scope::default(), Lang::En);
    let month = events
        .iter()
        .find(|e| e.uid == format!("conference-{id}@danvan"))
        .unwrap();
    assert_eq!((month.start, month.end), (day(2024, 6, 1), day(2024, 7, 1)));
    assert!(
        month.summary.ends_with(" (day not known)"),
        "{}",
        month.summary
    );
}

#[test]
fn uids_stay_and_sequences_grow_when_a_record_changes() {
    let (_dir, store) = demo_store();
    let before = calendar::events(&store.export(None).unwrap(), Scope::default(), Lang::Vi);
    let mut dataset = store.export(None).unwrap().dataset;
    let c = dataset
        .conferences
        .iter_mut()
        .find(|c| c.id.as_str() == "tn-2024-so-ket-6-thang")
        .unwrap();
    c.location = Some("Hội trường A, Trụ sở Tỉnh ủy".into());
    let changed = c.clone();
    store
        .put(
            danvan_core::dataset::AnyRecord::Conference(changed),
            danvan_store::Expected::Any,
        )
        .unwrap();
    let after = calendar::events(&store.export(None).unwrap(), Scope::default(), Lang::Vi);
    let uids = |events: &[Event]| events.iter().map(|e| e.uid.clone()).collect::<Vec<_>>();
    assert_eq!(uids(&before), uids(&after));
    let uid = "conference-tn-2024-so-ket-6-thang@danvan";
    let (was, now) = (find(&before, uid), find(&after, uid));
    assert!(
        now.sequence > was.sequence,
        "{} → {}",
        was.sequence,
        now.sequence
    );
    assert_eq!(
        now.location.as_deref(),
        Some("Hội trường A, Trụ sở Tỉnh ủy")
    );
    let untouched = "conference-bk-2024-doi-thoai@danvan";
    assert_eq!(
        find(&before, untouched).sequence,
        find(&after, untouched).sequence
    );
}

#[test]
fn the_english_calendar_labels_in_english() {
    let (_, events) = demo(Some("thai-nguyen"), Lang::En);
    let find = |uid: &str| find(&events, uid);
    // Held at a conference the record names, without a day of its own: on the conference's day.
    let held = find("review-tn-05-da-2021-mid_term-2023-thai-nguyen@danvan");
    assert_eq!(held.start, day(2023, 11, 28));
    assert_eq!(held.summary, "Mid-term review of Scheme 05-ĐA/TU");
    assert!(
        held.description
            .contains(&"Held: 28 November 2023".to_string())
    );
    assert!(
        held.description
            .contains(&"Due: in 2023 (by 31 December 2023)".to_string())
    );
    let open = find("review-tn-12-kh-2025-final-2030-thai-nguyen@danvan");
    assert_eq!(open.summary, "Deadline: final review of Plan 12-KH/BTGDVTU");
    assert!(open.description.contains(&"Not yet held".to_string()));
}

#[test]
fn thai_nguyen_calendar() {
    let (text, _) = demo(Some("thai-nguyen"), Lang::Vi);
    insta::assert_snapshot!(text.replace("\r\n", "\n"));
}

proptest! {
    /// Any text — commas, semicolons, backslashes, line ends, Vietnamese in any length —
    /// comes back from the parser as written, however the lines fold.
    #[test]
    fn any_text_comes_back_as_written(
        summary in "[a-zA-Zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ ,;:\\\\\"\n]{0,200}",
        line in "[ -~ạếở]{0,120}",
    ) {
        let summary = summary.trim_end_matches('\n').to_string();
        let event = Event {
            uid: "conference-x@danvan".into(),
            sequence: 1,
            start: day(2024, 6, 20),
            end: day(2024, 6, 21),
            summary: summary.clone(),
            description: vec![line.clone(), summary.clone()],
            location: Some(line.clone()),
            categories: vec!["Hội nghị".into()],
            province: None,
        };
        let text = calendar::write(&[event], "Lịch", Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        for l in text.split("\r\n") {
            prop_assert!(l.len() <= 75, "{l:?}");
        }
        let (_, parsed) = parse(&text);
        prop_assert_eq!(&parsed[0].3, &summary);
        prop_assert_eq!(&parsed[0].4, &format!("{line}\n{summary}"));
    }
}
