//! Every error path answers an RFC 9457 problem with the right status.

use danvan_http::ReadAccess;
use danvan_store::Store as _;

use crate::{READER, Server, WRITER, snap, test_config};

#[tokio::test]
async fn malformed_requests() {
    let s = Server::start().await;
    snap!(
        "bad_json",
        s.write(
            "POST",
            "/v1/conferences",
            WRITER,
            r#"{"id": "x", "title": "#
        )
        .await
    );
    snap!(
        "wrong_type",
        s.write(
            "POST",
            "/v1/conferences",
            WRITER,
            r#"{"id": "x", "kinds": ["thematic"], "title": "Hội nghị", "date": 20240101, "host": "Ban Dân vận", "format": {"mode": "in_person"}}"#
        )
        .await
    );
    snap!(
        "invalid_record",
        s.write(
            "POST",
            "/v1/conferences",
            WRITER,
            r#"{"id": "x", "kinds": ["thematic"], "title": " ", "date": "2024-01-01", "province": "atlantis", "host": "Ban Dân vận", "format": {"mode": "in_person"}}"#
        )
        .await
    );
    snap!(
        "missing_field",
        s.write(
            "POST",
            "/v1/conferences",
            WRITER,
            r#"{"id": "x", "kinds": ["thematic"], "title": "Hội nghị", "host": "Ban Dân vận"}"#
        )
        .await
    );
    snap!(
        "not_an_object",
        s.write("POST", "/v1/conferences", WRITER, "[1, 2]").await
    );
    let auth = format!("Bearer {WRITER}");
    snap!(
        "wrong_media_type",
        s.send(
            "POST",
            "/v1/conferences",
            &[("authorization", &auth), ("content-type", "text/plain")],
            Some("{}")
        )
        .await
    );
    snap!(
        "unknown_id",
        s.get("/v1/directives/no-such-directive").await
    );
    snap!("malformed_id", s.get("/v1/directives/bad%20id").await);
    snap!("unknown_route", s.get("/v2/directives").await);
    snap!(
        "method_not_allowed",
        s.send("PUT", "/v1/provinces", &[("authorization", &auth)], None)
            .await
    );
    snap!("bad_param", s.get("/v1/conferences?limit=5000").await);
    snap!("unknown_param", s.get("/v1/conferences?colour=red").await);
    snap!("bad_period", s.get("/v1/conferences?period=2024X9").await);
    snap!("bad_cursor", s.get("/v1/conferences?cursor=zzz").await);
    snap!(
        "bad_province",
        s.get("/v1/conferences?province=atlantis").await
    );
    snap!("search_without_q", s.get("/v1/search").await);
    snap!("report_without_period", s.get("/v1/reports").await);
    s.stop().await;
}

#[tokio::test]
async fn authentication_and_scopes() {
    let s = Server::start().await;
    let body = r#"{"id": "x"}"#;
    snap!(
        "no_token",
        s.send(
            "POST",
            "/v1/models",
            &[("content-type", "application/json")],
            Some(body)
        )
        .await
    );
    snap!(
        "unknown_token",
        s.write("POST", "/v1/models", "guess", body).await
    );
    snap!(
        "reader_cannot_write",
        s.write("POST", "/v1/models", READER, body).await
    );
    snap!(
        "not_bearer",
        s.send(
            "GET",
            "/v1/models",
            &[("authorization", "Basic dXNlcjpwYXNz")],
            None
        )
        .await
    );
    s.stop().await;

    // Closed reads.
    let config = danvan_http::Config {
        read_access: ReadAccess::Token,
        ..test_config()
    };
    let s = Server::with(config).await;
    assert_eq!(s.get("/v1/models").await.status, 401);
    let auth = format!("Bearer {READER}");
    let ok = s
        .send(
            "GET",
            "/v1/models?limit=1",
            &[("authorization", &auth)],
            None,
        )
        .await;
    assert_eq!(ok.status, 200);
    // Health checks and documentation stay open.
    assert_eq!(s.get("/healthz").await.status, 200);
    assert_eq!(s.get("/openapi.json").await.status, 200);
    s.stop().await;
}

#[tokio::test]
async fn body_limit() {
    let s = Server::start().await;
    let big = format!(r#"{{"id": "x", "title": "{}"}}"#, "a".repeat(300 * 1024));
    snap!(
        "payload_too_large",
        s.write("POST", "/v1/conferences", WRITER, &big).await
    );
    s.stop().await;
}

#[tokio::test]
async fn timeouts_answer_503() {
    // A timeout short enough that an import of the generated records cannot finish.
    let config = danvan_http::Config {
        request_timeout_secs: 0.001,
        body_limit: 64 * 1024 * 1024,
        ..test_config()
    };
    let s = Server::with(config).await;
    let records: Vec<danvan_core::dataset::AnyRecord> =
        danvan_core::generate::Generator::new(3000, 7)
            .records()
            .collect();
    let dataset = danvan_core::dataset::Dataset::from_records(records);
    let body = serde_json::to_string(&dataset).unwrap();
    let auth = format!("Bearer {}", crate::ADMIN);
    let r = s
        .send(
            "POST",
            "/v1/import?dry_run=true",
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Some(&body),
        )
        .await;
    snap!("timeout", r);
    s.stop().await;
}

/// A read waiting on the store (here for another process's lock) is bounded by the request
/// timeout too: GET requests skip the outer timer, so the wait itself carries it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_waiting_on_the_store_times_out() {
    let config = danvan_http::Config {
        request_timeout_secs: 0.3,
        ..test_config()
    };
    let s = Server::with(config).await;
    let dir = s.store_dir();
    let lock = std::fs::File::options()
        .read(true)
        .write(true)
        .open(dir.join("lock"))
        .unwrap();
    lock.lock().unwrap();
    // The other process rewrites the checkpoint, so a read must wait for its lock to catch up.
    let bytes = std::fs::read(dir.join("checkpoint.json")).unwrap();
    std::fs::write(dir.join(".checkpoint.other"), bytes).unwrap();
    std::fs::rename(dir.join(".checkpoint.other"), dir.join("checkpoint.json")).unwrap();
    let r = s.get("/v1/models/hn-2018-tiep-dan").await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.json()["type"], "/problems/timeout", "{}", r.body);
    assert_eq!(
        r.json()["detail"],
        "the request took longer than 0.3 s waiting for the store"
    );
    lock.unlock().unwrap();
    assert_eq!(s.get("/v1/models/hn-2018-tiep-dan").await.status, 200);
    s.stop().await;
}

#[tokio::test]
async fn cors_is_off_unless_configured() {
    let s = Server::start().await;
    let r = s
        .send(
            "GET",
            "/v1/models?limit=1",
            &[("origin", "https://portal.example.vn")],
            None,
        )
        .await;
    assert!(r.header("access-control-allow-origin").is_none());
    s.stop().await;
    let config = danvan_http::Config {
        cors_origins: vec!["https://portal.example.vn".into()],
        ..test_config()
    };
    let s = Server::with(config).await;
    let r = s
        .send(
            "GET",
            "/v1/models?limit=1",
            &[("origin", "https://portal.example.vn")],
            None,
        )
        .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://portal.example.vn")
    );
    let other = s
        .send(
            "GET",
            "/v1/models?limit=1",
            &[("origin", "https://evil.example")],
            None,
        )
        .await;
    assert!(other.header("access-control-allow-origin").is_none());
    s.stop().await;
}

#[tokio::test]
async fn responses_are_compressed_on_request() {
    let s = Server::start().await;
    let r = s
        .send("GET", "/v1/export", &[("accept-encoding", "gzip")], None)
        .await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    s.stop().await;
}

#[tokio::test]
async fn a_store_fault_is_a_500_that_shows_nothing_internal() {
    let s = Server::start().await;
    let root = s.store.root().to_path_buf();
    // Another process "writes" a checkpoint this server cannot read.
    std::fs::write(root.join("checkpoint.json"), "{ not json").unwrap();
    let r = s.get("/v1/models?province=thai-nguyen").await;
    assert_eq!(r.status, 500, "{}", r.body);
    snap!("internal_error", r);
    let root_text = root.display().to_string();
    assert!(!r.body.contains(&root_text) && !r.body.contains("checkpoint"));
    assert!(r.header("x-request-id").is_some());
    assert_eq!(s.get("/readyz").await.status, 503);
    assert_eq!(s.get("/healthz").await.status, 200);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_requests_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let (arrived_tx, arrived_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel();
    // Every import waits at its start until the test lets it go, and says when one has
    // arrived: a handshake, so that the test knows a request is in flight instead of guessing
    // how long one takes to arrive.
    let (arrived, release) = (
        std::sync::Mutex::new(arrived_tx),
        std::sync::Mutex::new(release_rx),
    );
    let store = std::sync::Arc::new(crate::HookedStore {
        inner: danvan_store::JsonStore::init(dir.path()).unwrap(),
        before_write: Box::new(move || {
            arrived.lock().unwrap().send(()).unwrap();
            release.lock().unwrap().recv().unwrap();
            Ok(())
        }),
    });
    let config = danvan_http::Config {
        body_limit: 64 * 1024 * 1024,
        ..test_config()
    };
    let (base, stop, server) = crate::serve_store(store.clone(), &config).await;
    let records: Vec<danvan_core::dataset::AnyRecord> =
        danvan_core::generate::Generator::new(2_000, 3)
            .records()
            .collect();
    let expected = records.len();
    // The import has reached the store and waits there: stop the server now.
    let in_flight = crate::import_in_flight(base, records, arrived_rx).await;
    stop.send(()).unwrap();
    // The server waits for the request in flight: let the import go on, and it is answered in
    // full before the server ends.
    release_tx.send(()).unwrap();
    let r = in_flight.await.unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["created"], expected);
    server.await.unwrap().unwrap();
    assert_eq!(store.inner.len().unwrap(), expected);
}

/// One answer names every problem of a body, those of its structure and those of its checks,
/// each with its field and a stable code: a sender fixes everything in one round.
#[tokio::test]
async fn every_problem_of_a_body_comes_in_one_answer() {
    let s = Server::start().await;
    let body = r#"{"id": "tn-2026-nhieu-loi", "name": " ",
        "province": "atlantis", "owning_unit": "Hội Nông dân xã Tân Cương",
        "field": "economy", "start_year": 2020, "colour": "đỏ",
        "recognition": {"date": "hôm qua", "level": "cấp tỉnh"},
        "description": ["một", "hai"]}"#;
    let r = s.write("POST", "/v1/models", crate::WRITER, body).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let problem = r.json();
    let mut got: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["record"], "model/tn-2026-nhieu-loi", "{e}");
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("colour", "unknown-field"),
        ("description", "type"),
        ("name", "empty"),
        ("province", "province"),
        ("recognition.date", "format"),
    ];
    assert_eq!(
        got,
        want.map(|(f, c)| (f.to_string(), c.to_string())),
        "{problem:#}"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("not a valid model: 5 problems"),
        "{problem:#}"
    );
    // Nothing was written.
    assert_eq!(s.get("/v1/models/tn-2026-nhieu-loi").await.status, 404);
    s.stop().await;
}
