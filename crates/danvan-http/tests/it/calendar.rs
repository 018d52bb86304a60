//! `/v1/calendar.ics` as a calendar app subscribes to it: iCalendar a maintained parser reads,
//! events that keep their UIDs across refreshes and whose SEQUENCE grows when their record
//! changes, a 304 while nothing changed, and the API's read access.

use icalendar::{Calendar, CalendarComponent, Component};

use crate::{ADMIN, READER, Server, THAI_NGUYEN, test_config};

/// The events' (UID, SEQUENCE, DESCRIPTION).
fn events(body: &str) -> Vec<(String, u32, String)> {
    let calendar: Calendar = body.parse().unwrap_or_else(|e| panic!("{e}\n{body}"));
    calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some((
                e.get_uid().unwrap().to_string(),
                e.get_sequence().unwrap(),
                e.get_description().unwrap().to_string(),
            )),
            _ => None,
        })
        .collect()
}

fn sequence_of(events: &[(String, u32, String)], uid: &str) -> u32 {
    events
        .iter()
        .find(|e| e.0 == uid)
        .unwrap_or_else(|| panic!("no {uid}"))
        .1
}

#[tokio::test]
async fn a_subscribed_calendar_refreshes_in_place() {
    let s = Server::start().await;
    let first = s.get("/v1/calendar.ics?province=thai-nguyen").await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(
        first.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(first.body.contains("X-WR-TIMEZONE:Asia/Ho_Chi_Minh\r\n"));
    let before = events(&first.body);
    assert!(before.len() > 10, "{}", first.body);
    let uid = "conference-tn-2024-so-ket-6-thang@danvan";
    let untouched = "conference-bk-2024-doi-thoai@danvan";

    // Nothing changed: 304 to the ETag.
    let etag = first.header("etag").unwrap().to_string();
    let again = s
        .send(
            "GET",
            "/v1/calendar.ics?province=thai-nguyen",
            &[("if-none-match", &etag)],
            None,
        )
        .await;
    assert_eq!(again.status, 304);

    // A conference moves to another hall: same UID, a higher SEQUENCE, the new place.
    let r = s
        .write(
            "PATCH",
            "/v1/conferences/tn-2024-so-ket-6-thang",
            ADMIN,
            r#"{"location": "Hội trường A, Trụ sở Tỉnh ủy"}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let second = s
        .get("/v1/calendar.ics?province=Th%C3%A1i%20Nguy%C3%AAn")
        .await;
    assert_eq!(second.status, 200);
    assert_ne!(second.header("etag"), Some(etag.as_str()));
    let after = events(&second.body);
    let uids = |e: &[(String, u32, String)]| e.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(uids(&before), uids(&after));
    assert!(sequence_of(&after, uid) > sequence_of(&before, uid));
    assert_eq!(
        sequence_of(&after, untouched),
        sequence_of(&before, untouched)
    );
    assert!(
        second
            .body
            .contains("LOCATION:Hội trường A\\, Trụ sở Tỉnh ủy\r\n")
    );

    // English, and the national calendar holding every province's.
    let en = s.get("/v1/calendar.ics?lang=en").await;
    assert!(
        en.body
            .contains("X-WR-CALNAME:Dân vận work calendar — national\r\n")
    );
    assert!(events(&en.body).len() > before.len());

    for (path, field) in [
        ("/v1/calendar.ics?province=atlantis", "province"),
        ("/v1/calendar.ics?lang=fr", "lang"),
        ("/v1/calendar.ics?provinces=ha-noi", "provinces"),
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert!(r.body.contains(field), "{path}: {}", r.body);
    }
    s.stop().await;
}

/// Where the server binds reads, a province's token gets its provinces' events and the
/// central ones, and another province's calendar is refused; without a token, nothing.
#[tokio::test]
async fn the_calendar_keeps_the_apis_read_access() {
    let mut config = test_config();
    config.bound_reads = true;
    config.read_access = danvan_http::config::ReadAccess::Token;
    let s = Server::with(config).await;
    let ask = |path: &'static str, token: &'static str| {
        let auth = format!("Bearer {token}");
        let s = &s;
        async move { s.send("GET", path, &[("authorization", &auth)], None).await }
    };
    let own = ask("/v1/calendar.ics", THAI_NGUYEN).await;
    assert_eq!(own.status, 200, "{}", own.body);
    let own = events(&own.body);
    assert!(!own.is_empty());
    for (uid, _, description) in &own {
        let place = description
            .lines()
            .find(|l| l.starts_with("Tỉnh/thành phố: "));
        assert!(
            place.is_none_or(|p| p.ends_with("Thái Nguyên") || p.ends_with("thuộc Thái Nguyên)")),
            "{uid}: {description}"
        );
    }
    assert!(
        own.iter()
            .any(|e| e.0 == "conference-bk-2024-doi-thoai@danvan")
    );
    let other = ask("/v1/calendar.ics?province=ha-noi", THAI_NGUYEN).await;
    assert_eq!(other.status, 403, "{}", other.body);
    assert!(other.body.contains("reads the records of thai-nguyen"));
    let national = events(&ask("/v1/calendar.ics", READER).await.body);
    assert!(national.len() > own.len());
    assert_eq!(s.get("/v1/calendar.ics").await.status, 401);
    s.stop().await;
}
