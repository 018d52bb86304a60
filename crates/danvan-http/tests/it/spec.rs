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

/// Every value the document lists for an enumerated query parameter is one the route accepts,
/// and a parameter a route refuses is not documented on it: the enums come from the same
/// vocabularies the handlers parse with.
#[tokio::test]
async fn documented_parameter_values_are_accepted() {
    let doc = danvan_http::openapi::document();
    let s = crate::exchange::server().await;
    let mut tried = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        let concrete = path
            .replace("{id}", "one_stop_departments")
            .replace("{province}", "thai-nguyen")
            .replace("{format}", "dhis2");
        let params = get["parameters"].as_array().cloned().unwrap_or_default();
        let documented = |name: &str| params.iter().any(|p| p["name"] == name);
        for p in params.iter().filter(|p| p["name"] == "limit") {
            assert_eq!(p["schema"]["maximum"], danvan_store::MAX_LIMIT, "{path}");
        }
        for p in &params {
            let (Some(name), Some(values)) = (p["name"].as_str(), p["schema"]["enum"].as_array())
            else {
                continue;
            };
            for v in values {
                let v = v.as_str().unwrap();
                // The parameters that apply only beside another get it.
                let mut query = format!("{name}={v}");
                for (needs, with, given) in [
                    ("map", "province", "thai-nguyen"),
                    ("matching", "period", "2024"),
                    ("window", "period", "2024"),
                ] {
                    if name == needs && documented(with) {
                        query.push_str(&format!("&{with}={given}"));
                    }
                }
                let q_required = params
                    .iter()
                    .any(|p| p["name"] == "q" && p["required"] == true);
                if v == "relevance" || q_required {
                    query.push_str("&q=d%C3%A2n");
                }
                if path.starts_with("/v1/reports") && !query.contains("period=") {
                    query.push_str("&period=2024S1");
                }
                let r = s.get(&format!("{concrete}?{query}")).await;
                assert!(r.status < 400, "{path}?{query}: {} {}", r.status, r.body);
                tried += 1;
            }
        }
        // What a collection refuses is not offered.
        if path.starts_with("/v1/") && documented("sort") {
            let q_required = params
                .iter()
                .any(|p| p["name"] == "q" && p["required"] == true);
            let q = if q_required { "&q=d%C3%A2n" } else { "" };
            let refused = s.get(&format!("{concrete}?types=conference{q}")).await;
            assert_eq!(
                refused.status == 400,
                !documented("types"),
                "{path}: types is {} and answers {}",
                if documented("types") {
                    "documented"
                } else {
                    "not documented"
                },
                refused.status
            );
        }
    }
    assert!(tried > 50, "only {tried} values tried");
    s.stop().await;
}

/// The errors a route answers are in the document: an unknown query parameter (400) and an
/// unknown token (401) on every GET route, whatever status it gives must be listed.
#[tokio::test]
async fn the_errors_routes_answer_are_documented() {
    let doc = danvan_http::openapi::document();
    let s = Server::start().await;
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        let concrete = path
            .replace("{id}", "one_stop_departments")
            .replace("{province}", "thai-nguyen");
        let unknown = s.get(&format!("{concrete}?no_such_parameter=1")).await;
        let bad_token = s
            .send(
                "GET",
                &concrete,
                &[("authorization", "Bearer not-a-token")],
                None,
            )
            .await;
        for r in [unknown, bad_token] {
            if r.status >= 400 {
                assert!(
                    get["responses"].get(r.status.to_string()).is_some(),
                    "{path} answers {} but the document does not list it: {}",
                    r.status,
                    r.body
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} errors seen");
    s.stop().await;
}
