//! Who changed what over HTTP: writes record the token's name and the `X-Change-Reason`
//! header; `/v1/{kind}/{id}/history` lists every revision field by field; `/v1/changes` pages
//! through every create, update and delete in order.

use crate::{Server, WRITER};

/// The reply with its timestamps (`"at": "2026-…Z"`) replaced, for a stable snapshot.
fn without_times(reply: &crate::Reply) -> String {
    let text = reply.snapshot();
    let mut out = String::new();
    for line in text.lines() {
        match line.trim_start().strip_prefix("\"at\": \"") {
            Some(_) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&format!("{indent}\"at\": \"[TIME]\","));
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

const MODEL: &str = r#"{"id": "tn-2026-so-hoa", "name": "Số hóa sổ hộ nghèo",
    "province": "thai-nguyen", "owning_unit": "Hội Nông dân xã Tân Cương",
    "field": "economy", "start_year": 2026}"#;

#[tokio::test]
async fn writes_record_who_and_why_and_history_and_the_feed_show_it() {
    let s = Server::start().await;
    let auth = format!("Bearer {WRITER}");
    let created = s.write("POST", "/v1/models", WRITER, MODEL).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let patched = s
        .send(
            "PATCH",
            "/v1/models/tn-2026-so-hoa",
            &[
                ("authorization", &auth),
                ("content-type", "application/merge-patch+json"),
                ("x-change-reason", "Theo Báo cáo số 115-BC/TU"),
            ],
            Some(r#"{"status": "effective", "name": "Số hóa sổ hộ nghèo, hộ cận nghèo"}"#),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    let deleted = s
        .send(
            "DELETE",
            "/v1/models/tn-2026-so-hoa",
            &[("authorization", &auth)],
            None,
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);

    let history = s.get("/v1/models/tn-2026-so-hoa/history").await;
    insta::assert_snapshot!("model_history", without_times(&history));

    // The demo import is revision 1; the feed after it pages two at a time.
    let first = s.get("/v1/changes?since=1&limit=2").await;
    insta::assert_snapshot!("changes_page_1", without_times(&first));
    let next = first.json()["next"].as_str().unwrap().to_string();
    let second = s.get(&next).await;
    insta::assert_snapshot!("changes_page_2", without_times(&second));
    assert!(second.json()["next"].is_null());
    let latest = second.json()["revision"].as_u64().unwrap();
    let empty = s.get(&format!("/v1/changes?since={latest}")).await;
    assert_eq!(empty.json()["items"], serde_json::json!([]));
    assert!(empty.json()["next"].is_null());

    let bad = s.get("/v1/changes?since=yesterday").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("query parameter `since`"), "{}", bad.body);
    let missing = s.get("/v1/models/no-such-model/history").await;
    assert_eq!(missing.status, 404);
    s.stop().await;
}

/// An integrator's mirror: the demo store folded into its shards (as `danvan init --demo`
/// leaves it, so the import is the last revision of a retired journal), one write, then the
/// feed followed by its own `next` links at several page sizes. Each mirror holds exactly what
/// the export holds, every change seen once. (The JSON store used to skip the rest of the
/// import when a page ended inside it: 27 records of 106 at 25 a page.)
#[tokio::test]
async fn a_mirror_that_follows_next_holds_every_record_once() {
    let s = Server::start().await;
    danvan_store::JsonStore::open(&s.store_dir())
        .unwrap()
        .compact()
        .unwrap();
    let created = s.write("POST", "/v1/models", WRITER, MODEL).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let export = s.get("/v1/export").await.json();
    let mut expected = std::collections::BTreeSet::new();
    for (_, records) in export.as_object().unwrap() {
        for r in records.as_array().into_iter().flatten() {
            expected.insert((r["id"].as_str().unwrap().to_string(), r.to_string()));
        }
    }
    assert!(expected.len() > 100, "{}", expected.len());
    for limit in [1, 7, 25, 99, 100, 1000] {
        let mut mirror = std::collections::BTreeMap::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut url = format!("/v1/changes?limit={limit}");
        loop {
            let page = s.get(&url).await;
            assert_eq!(page.status, 200, "{url}: {}", page.body);
            let page = page.json();
            for item in page["items"].as_array().unwrap() {
                let key = (item["kind"].to_string(), item["id"].to_string());
                let at = (item["revision"].as_u64().unwrap(), key.clone());
                assert!(seen.insert(at), "{url} repeats {item}");
                match item["action"].as_str().unwrap() {
                    "deleted" => mirror.remove(&key),
                    _ => mirror.insert(key, item["record"].clone()),
                };
            }
            match page["next"].as_str() {
                Some(next) => url = next.to_string(),
                None => break,
            }
        }
        let held: std::collections::BTreeSet<(String, String)> = mirror
            .values()
            .map(|r| (r["id"].as_str().unwrap().to_string(), r.to_string()))
            .collect();
        let missing: Vec<_> = expected.difference(&held).map(|(id, _)| id).collect();
        let extra: Vec<_> = held.difference(&expected).map(|(id, _)| id).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{limit} a page: {} missing {missing:?}, {} not in the store {extra:?}",
            missing.len(),
            extra.len()
        );
    }
    // A position beyond the store's revision: a problem that says so, not an empty page.
    let latest = export["revision"].as_u64().unwrap();
    for since in [format!("{}", latest + 1), format!("{}.3", latest + 40)] {
        let ahead = s.get(&format!("/v1/changes?since={since}")).await;
        assert_eq!(ahead.status, 409, "{}", ahead.body);
        let problem = ahead.json();
        assert!(
            problem["type"]
                .as_str()
                .unwrap()
                .ends_with("/problems/feed-ahead"),
            "{problem}"
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("ends at revision {latest}")),
            "{problem}"
        );
    }
    s.stop().await;
}
