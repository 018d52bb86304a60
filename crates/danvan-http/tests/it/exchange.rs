//! `/v1/exchange/dhis2` and `/v1/exchange/adx` as a national statistics system calls them:
//! the figures out and back in, problems named where they are, the write scopes and a
//! province token's bounds kept.

use danvan_http::Api;

use crate::{ADMIN, Server, THAI_NGUYEN, WRITER, root, test_config};

/// A server with the fixtures' DHIS2/ADX mapping.
pub(crate) async fn server() -> Server {
    let text = std::fs::read_to_string(root().join("fixtures/exchange/mapping.toml")).unwrap();
    Server::with_api(test_config(), |api: Api| api.with_exchange_mapping(text)).await
}

async fn post(s: &Server, path: &str, token: &str, media: &str, body: &str) -> crate::Reply {
    s.send(
        "POST",
        path,
        &[
            ("authorization", &format!("Bearer {token}")),
            ("content-type", media),
        ],
        Some(body),
    )
    .await
}

#[tokio::test]
async fn figures_go_out_and_come_back_unchanged() {
    let s = server().await;
    for (format, media) in [
        ("dhis2", "application/json"),
        ("adx", "application/adx+xml"),
    ] {
        let out = s.get(&format!("/v1/exchange/{format}?period=2024")).await;
        assert_eq!(out.status, 200, "{}", out.body);
        assert_eq!(out.header("content-type"), Some(media));
        let back = post(
            &s,
            &format!("/v1/exchange/{format}"),
            ADMIN,
            media,
            &out.body,
        )
        .await;
        assert_eq!(back.status, 200, "{}", back.body);
        let v = back.json();
        assert_eq!(
            (v["created"].as_u64(), v["updated"].as_u64()),
            (Some(0), Some(0)),
            "{v}"
        );
        assert!(v["unchanged"].as_u64().unwrap() > 20, "{v}");
    }
    // Everything: one observation has no figure to send, and it is named.
    let all = s.get("/v1/exchange/adx").await;
    assert_eq!(all.status, 422, "{}", all.body);
    let v = all.json();
    assert_eq!(
        v["errors"][0]["at"],
        "observation lc-2025-grassroots-democracy"
    );
    assert_eq!(v["errors"][0]["code"], "figure-missing");
    assert_eq!(s.get("/v1/exchange/csv").await.status, 404);
    s.stop().await;
}

#[tokio::test]
async fn an_import_names_every_problem_and_keeps_the_scopes() {
    let s = server().await;
    let before = s.get("/v1/changes?since=0").await.json()["revision"].clone();
    let bad = r#"{"dataValues": [
        {"dataElement": "DV_DIALOGUES_HELD", "period": "2025W3", "orgUnit": "VN_TN", "value": "4"},
        {"dataElement": "DV_NONE", "period": "2025", "orgUnit": "VN_TN", "value": "4"},
        {"dataElement": "DV_ONE_STOP_COMMUNES_MAU_SO", "period": "2025S1", "orgUnit": "VN_TN", "value": "120"}
    ]}"#;
    let r = post(&s, "/v1/exchange/dhis2", ADMIN, "application/json", bad).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let errors = r.json()["errors"].as_array().unwrap().clone();
    let at: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e["at"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert!(
        at.contains(&("dataValues[0].period", "no-period-form")),
        "{at:?}"
    );
    assert!(
        at.contains(&("dataValues[1].dataElement", "unmapped-data-element")),
        "{at:?}"
    );
    assert!(
        at.contains(&("dataValues[2]", "ratio-incomplete")),
        "{at:?}"
    );
    let after = s.get("/v1/changes?since=0").await.json()["revision"].clone();
    assert_eq!(before, after, "nothing was written");

    let good = r#"{"dataValues": [
        {"dataElement": "DV_DIALOGUES_HELD", "period": "2025S2", "orgUnit": "VN_HN", "value": "7"}
    ]}"#;
    // A writer may check, not import; a province's token only its province's figures.
    let dry = post(
        &s,
        "/v1/exchange/dhis2?dry_run=true",
        WRITER,
        "application/json",
        good,
    )
    .await;
    assert_eq!(dry.status, 200, "{}", dry.body);
    assert_eq!(dry.json()["created"], 1);
    assert_eq!(
        post(&s, "/v1/exchange/dhis2", WRITER, "application/json", good)
            .await
            .status,
        403
    );
    let other = post(
        &s,
        "/v1/exchange/dhis2?dry_run=true",
        THAI_NGUYEN,
        "application/json",
        good,
    )
    .await;
    assert_eq!(other.status, 403, "{}", other.body);
    let done = post(&s, "/v1/exchange/dhis2", ADMIN, "application/json", good).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json()["created"], 1);
    let wrong = post(&s, "/v1/exchange/adx", ADMIN, "application/json", good).await;
    assert_eq!(wrong.status, 415);
    s.stop().await;

    let plain = Server::start().await;
    let r = plain.get("/v1/exchange/dhis2").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("--exchange-mapping"), "{}", r.body);
    plain.stop().await;
}
