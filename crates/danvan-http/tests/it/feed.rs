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
