//! The committed OpenAPI document is the one the code generates, and the server serves it.

use crate::{Server, root};

#[tokio::test]
async fn the_committed_openapi_document_is_current() {
    let generated = danvan_http::openapi::json();
    let path = root().join("docs/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is out of date with the code: run `cargo xtask schema` and commit the result"
    );
    let s = Server::start().await;
    let served = s.get("/openapi.json").await;
    assert_eq!(served.header("content-type"), Some("application/json"));
    assert_eq!(served.body, generated);
    s.stop().await;
}

/// Every route the spec names answers (no 404 from the router, no 5xx) on a plain GET, and
/// every record collection has its operations.
#[tokio::test]
async fn the_spec_and_the_router_agree() {
    let doc = danvan_http::openapi::document();
    let s = Server::start().await;
    let paths = doc["paths"].as_object().unwrap();
    for kind in [
        "directives",
        "conferences",
        "models",
        "indicators",
        "observations",
    ] {
        let item = &paths[&format!("/v1/{kind}/{{id}}")];
        for m in ["get", "put", "patch", "delete"] {
            assert!(item.get(m).is_some(), "{kind}: {m}");
        }
        assert!(paths[&format!("/v1/{kind}")].get("post").is_some());
    }
    for (path, item) in paths {
        if item.get("get").is_none() {
            continue;
        }
        let concrete = path
            .replace("{id}", "one_stop_departments")
            .replace("{province}", "thai-nguyen");
        let r = s.get(&concrete).await;
        let body: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
        let routed = !(r.status == 404
            && body["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("no such route")));
        assert!(routed, "{path} is in the spec but not routed");
        assert!(r.status < 500, "{path}: {}", r.status);
    }
    s.stop().await;
}
