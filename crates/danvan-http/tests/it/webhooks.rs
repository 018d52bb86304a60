//! Webhooks as an integrator meets them: a receiver that fails at random (500s, answers too
//! slow) still gets every committed change, in commit order, exactly once by delivery ID, each
//! signed, across a server restart; the delivery log shows each attempt; a replay delivers the
//! same IDs again; only an administrator manages them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use danvan_http::Config;
use danvan_http::webhooks::Webhooks;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::{ADMIN, Server, WRITER, test_config};

/// What the receiver saw.
#[derive(Default)]
struct Seen {
    /// The signing secret, once registered.
    secret: String,
    /// Every request: delivery ID and whether it was answered 2xx.
    requests: Vec<(String, bool)>,
    /// The bodies taken (answered 2xx), in the order taken.
    taken: Vec<Value>,
    /// Requests whose signature did not verify.
    forged: Vec<String>,
    /// A small deterministic random source: which requests fail.
    rng: u64,
    /// While set, every delivery is answered 500 (the receiver is down).
    down: bool,
    /// Told after each request.
    told: Arc<tokio::sync::Notify>,
}

impl Seen {
    /// 0–99, evenly (splitmix64).
    fn roll(&mut self) -> u64 {
        if self.down {
            return 20;
        }
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % 100
    }
}

/// A receiver on 127.0.0.1 that answers 500 to a third of the deliveries and too late to a
/// tenth; returns its URL.
async fn receiver(seen: Arc<Mutex<Seen>>) -> String {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let seen = Arc::clone(&seen);
            async move {
                let header = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string()
                };
                let id = header("x-danvan-delivery");
                let roll = {
                    let mut s = seen.lock().unwrap();
                    let mut mac =
                        <Hmac<Sha256> as KeyInit>::new_from_slice(s.secret.as_bytes()).unwrap();
                    mac.update(header("x-danvan-timestamp").as_bytes());
                    mac.update(b".");
                    mac.update(&body);
                    let expected: String = mac
                        .finalize()
                        .into_bytes()
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect();
                    if header("x-danvan-signature") != format!("sha256={expected}") {
                        s.forged.push(id.clone());
                    }
                    s.roll()
                };
                if roll < 10 {
                    // Too slow: the server gives up on it (and, as the receiver never
                    // answered, this request does not count as taken).
                    // tidy: sleep — a receiver slower than the timeout is what is tested.
                    tokio::time::sleep(Duration::from_millis(800)).await;
                    let mut s = seen.lock().unwrap();
                    s.requests.push((id, false));
                    s.told.notify_waiters();
                    return StatusCode::OK;
                }
                let mut s = seen.lock().unwrap();
                if roll < 40 {
                    s.requests.push((id, false));
                    s.told.notify_waiters();
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let body: Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(body["id"].as_str(), Some(id.as_str()));
                s.requests.push((id, true));
                s.taken.push(body);
                s.told.notify_waiters();
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// The test configuration with webhooks kept in `file`, retried quickly.
fn config(file: &std::path::Path) -> Config {
    let mut config = test_config();
    config.webhooks_file = Some(file.to_path_buf());
    config.webhook_retry_secs = 0.01;
    config.webhook_retry_max_secs = 0.1;
    config.webhook_timeout_secs = 0.3;
    config
}

async fn start(config: &Config) -> Server {
    let hooks = Arc::new(Webhooks::open(config.webhooks_file.as_ref().unwrap(), config).unwrap());
    Server::with_api(config.clone(), |api| api.with_webhooks(hooks)).await
}

async fn admin(s: &Server, method: &str, path: &str, body: Option<&str>) -> crate::Reply {
    s.send(
        method,
        path,
        &[
            ("authorization", &format!("Bearer {ADMIN}")),
            ("content-type", "application/json"),
        ],
        body,
    )
    .await
}

/// Writes a few records: creates, an update, a delete, and a bulk import (one revision of
/// several changes).
async fn writes(s: &Server, tag: &str) {
    for i in 0..4 {
        let body = format!(
            r#"{{"id": "m-{tag}-{i}", "name": "Mô hình dân vận khéo {tag} {i}", "province": "thai-nguyen", "owning_unit": "Hội Nông dân xã Phúc Xuân", "field": "economy", "start_year": 2026}}"#
        );
        let r = s.write("POST", "/v1/models", WRITER, &body).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = s
        .write(
            "PATCH",
            &format!("/v1/models/m-{tag}-0"),
            WRITER,
            r#"{"name": "Mô hình đã sửa tên"}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = s
        .write("DELETE", &format!("/v1/models/m-{tag}-1"), WRITER, "")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let models: Vec<String> = (10..15)
        .map(|i| format!(r#"{{"id": "m-{tag}-{i}", "name": "Mô hình nhập {i}", "province": "lao-cai", "owning_unit": "Đoàn Thanh niên", "field": "economy", "start_year": 2026}}"#))
        .collect();
    let r = s
        .write(
            "POST",
            "/v1/import",
            ADMIN,
            &format!(r#"{{"models": [{}]}}"#, models.join(",")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// The feed's changes after `since`, as (revision, kind, id, action).
async fn feed(s: &Server, since: &str) -> Vec<(u64, String, String, String)> {
    let mut out = Vec::new();
    let mut path = format!("/v1/changes?since={since}&limit=7");
    loop {
        let page = s.get(&path).await.json();
        for c in page["items"].as_array().unwrap() {
            out.push(change(c));
        }
        match page["next"].as_str() {
            Some(next) => path = next.to_string(),
            None => return out,
        }
    }
}

fn change(c: &Value) -> (u64, String, String, String) {
    (
        c["revision"].as_u64().unwrap(),
        c["kind"].as_str().unwrap().to_string(),
        c["id"].as_str().unwrap().to_string(),
        c["action"].as_str().unwrap().to_string(),
    )
}

/// Waits (30 s at most) until `done` holds of what the receiver saw, woken by each request.
async fn until(seen: &Arc<Mutex<Seen>>, what: &str, done: impl Fn(&Seen) -> bool) {
    let told = Arc::clone(&seen.lock().unwrap().told);
    let waited = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let mut next = std::pin::pin!(told.notified());
            next.as_mut().enable();
            if done(&seen.lock().unwrap()) {
                return;
            }
            next.await;
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "the receiver did not see {what} within 30 s"
    );
}

/// Waits until webhook `id` has delivered `changes` changes and the server has recorded it.
async fn caught_up(s: &Server, id: &str, seen: &Arc<Mutex<Seen>>, changes: usize) {
    until(seen, &format!("{changes} changes taken"), |s| {
        s.taken.len() >= changes
    })
    .await;
    let last = seen.lock().unwrap().taken.last().unwrap()["position"].clone();
    for _ in 0..200 {
        let hook = admin(s, "GET", &format!("/v1/webhooks/{id}"), None)
            .await
            .json();
        if hook["after"] == last && hook["failures"] == 0 {
            return;
        }
        // tidy: sleep — the server records the last delivery just after its receiver took
        // it, and has no event to wait on: poll it, bounded.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("webhook {id}: its receiver took all {changes} changes, but it is not past {last}");
}

/// Checks webhook `id`'s log: `count` deliveries, all delivered, some after a 500.
async fn logged(s: &Server, id: &str, count: usize) {
    let log = admin(
        s,
        "GET",
        &format!("/v1/webhooks/{id}/deliveries?limit=500"),
        None,
    )
    .await
    .json();
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), count);
    assert!(items.iter().all(|d| d["delivered"] == true));
    assert!(
        items.iter().any(|d| d["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["status"] == 500)),
        "{log}"
    );
}

/// Checks what the receiver took: every signature good, the first time each ID was taken is
/// the feed (`expected`) in order, an ID taken again carried the same change, and deliveries
/// did fail; returns the IDs in order.
fn taken_once_in_order(
    seen: &Seen,
    id: &str,
    expected: &[(u64, String, String, String)],
) -> Vec<String> {
    assert!(seen.forged.is_empty(), "bad signatures: {:?}", seen.forged);
    let mut first: Vec<&Value> = Vec::new();
    for body in &seen.taken {
        match first.iter().find(|b| b["id"] == body["id"]) {
            Some(before) => assert_eq!(*before, body, "the same ID carried another change"),
            None => first.push(body),
        }
    }
    let delivered: Vec<_> = first.iter().map(|b| change(&b["change"])).collect();
    assert_eq!(delivered, expected);
    let ids: Vec<String> = first
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ids.iter().all(|i| i.starts_with(&format!("{id}:"))),
        "{ids:?}"
    );
    let failed = seen.requests.iter().filter(|(_, ok)| !ok).count();
    assert!(
        failed >= 5,
        "the receiver failed only {failed} times: {:?}",
        seen.requests
    );
    ids
}

#[tokio::test]
async fn a_failing_receiver_gets_every_change_in_order_once_by_id_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("webhooks.json");
    let config = config(&file);
    let seen = Arc::new(Mutex::new(Seen {
        rng: 0x9e37_79b9_7f4a_7c15,
        ..Seen::default()
    }));
    let url = receiver(Arc::clone(&seen)).await;
    let s = start(&config).await;
    let registered = admin(
        &s,
        "POST",
        "/v1/webhooks",
        Some(&format!(
            r#"{{"url": "{url}", "description": "Cổng thông tin tỉnh"}}"#
        )),
    )
    .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    let hook = registered.json();
    let id = hook["id"].as_str().unwrap().to_string();
    let since = hook["after"].as_str().unwrap().to_string();
    seen.lock().unwrap().secret = hook["secret"].as_str().unwrap().to_string();

    // The receiver is down while the first changes are made, and the server restarts with
    // them all still to deliver (each already tried and failed).
    seen.lock().unwrap().down = true;
    writes(&s, "a").await;
    until(&seen, "three failed attempts", |s| s.requests.len() >= 3).await;
    assert!(seen.lock().unwrap().taken.is_empty());
    let s = s
        .restart(config.clone(), |api| {
            api.with_webhooks(Arc::new(Webhooks::open(&file, &config).unwrap()))
        })
        .await;
    let listed = admin(&s, "GET", "/v1/webhooks", None).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json()["items"][0]["id"], id.as_str());
    assert!(
        listed.json()["items"][0].get("secret").is_none(),
        "{}",
        listed.body
    );
    assert!(
        listed.json()["items"][0]["failures"].as_u64() > Some(0),
        "{}",
        listed.body
    );
    seen.lock().unwrap().down = false;
    writes(&s, "b").await;

    let expected = feed(&s, &since).await;
    assert_eq!(expected.len(), 2 * (4 + 2 + 5));
    caught_up(&s, &id, &seen, expected.len()).await;

    let ids = taken_once_in_order(&seen.lock().unwrap(), &id, &expected);

    // The log shows the attempts: failures with the receiver's status, then the success.
    logged(&s, &id, expected.len()).await;

    // A replay delivers the same IDs again, in order.
    let before = seen.lock().unwrap().taken.len();
    let r = admin(
        &s,
        "POST",
        &format!("/v1/webhooks/{id}/replay"),
        Some(&format!(r#"{{"from": "{since}"}}"#)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    caught_up(&s, &id, &seen, before + expected.len()).await;
    let again: Vec<String> = seen.lock().unwrap().taken[before..]
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_string())
        .collect();
    let mut unique = again.clone();
    unique.dedup();
    assert_eq!(unique, ids);

    let r = admin(&s, "DELETE", &format!("/v1/webhooks/{id}"), None).await;
    assert_eq!(r.status, 204);
    let r = admin(&s, "GET", &format!("/v1/webhooks/{id}"), None).await;
    assert_eq!(r.status, 404);
    s.stop().await;
}

#[tokio::test]
async fn only_an_administrator_manages_webhooks_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(&dir.path().join("webhooks.json"));
    let s = start(&config).await;
    let as_writer = s
        .send(
            "GET",
            "/v1/webhooks",
            &[("authorization", &format!("Bearer {WRITER}"))],
            None,
        )
        .await;
    assert_eq!(as_writer.status, 403, "{}", as_writer.body);
    assert_eq!(s.get("/v1/webhooks").await.status, 401);
    for (body, code) in [
        (r#"{"url": "ftp://cong.example.vn/hook"}"#, "bad-url"),
        (r#"{"url": "cong thong tin"}"#, "bad-url"),
        (
            r#"{"url": "http://127.0.0.1:9/hook", "from": "999999"}"#,
            "bad-position",
        ),
        (
            r#"{"url": "http://127.0.0.1:9/hook", "from": "abc"}"#,
            "bad-position",
        ),
        (r#"{"adress": "http://127.0.0.1:9/hook"}"#, "unreadable"),
    ] {
        let r = admin(&s, "POST", "/v1/webhooks", Some(body)).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert!(r.body.contains(code), "{body}: {}", r.body);
    }
    // Nothing was registered, so nothing was written.
    assert!(!dir.path().join("webhooks.json").exists());
    s.stop().await;

    let plain = Server::start().await;
    let r = admin(&plain, "GET", "/v1/webhooks", None).await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(r.body.contains("--webhooks"), "{}", r.body);
    plain.stop().await;
}

/// A file that is not a webhooks file stops the server from starting with it, rather than
/// being replaced by an empty one.
#[test]
fn a_damaged_webhooks_file_is_named_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("webhooks.json");
    std::fs::write(&file, "{\"version\": 1, \"hooks\": [").unwrap();
    let e = Webhooks::open(&file, &Config::default()).unwrap_err();
    assert!(e.to_string().contains("webhooks.json"), "{e}");
    assert!(e.to_string().contains("not a danvan webhooks file"), "{e}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "{\"version\": 1, \"hooks\": ["
    );
}

/// A receiver on `https://localhost` with a certificate of a CA of its own (an office's);
/// sends each body it takes on `taken`. Returns its URL and the CA's certificate (PEM).
async fn tls_receiver(taken: tokio::sync::mpsc::UnboundedSender<Value>) -> (String, String) {
    use hyper_util::rt::TokioIo;
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "CA Văn phòng Tỉnh ủy");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls_pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let taken = taken.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let taken = taken.clone();
                        async move {
                            use http_body_util::BodyExt as _;
                            let body = req.into_body().collect().await.unwrap().to_bytes();
                            let _ = taken.send(serde_json::from_slice(&body).unwrap());
                            Ok::<_, std::convert::Infallible>(hyper::Response::new(
                                http_body_util::Full::new(Bytes::new()),
                            ))
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (format!("https://localhost:{port}/hook"), ca.pem())
}

/// An `https` receiver whose certificate an office's own CA signed is delivered to once the
/// server trusts that CA (`webhook_ca_file`); without it the delivery fails on the certificate,
/// and says so.
#[tokio::test]
async fn https_receivers_are_checked_against_the_trusted_authorities() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (url, ca) = tls_receiver(tx).await;
    let dir = tempfile::tempdir().unwrap();
    let mut with_ca = config(&dir.path().join("trusting.json"));
    std::fs::write(dir.path().join("ca.pem"), &ca).unwrap();
    with_ca.webhook_ca_file = Some(dir.path().join("ca.pem"));
    let untrusting = config(&dir.path().join("untrusting.json"));
    for (config, trusted) in [(with_ca, true), (untrusting, false)] {
        let s = start(&config).await;
        let r = admin(
            &s,
            "POST",
            "/v1/webhooks",
            Some(&format!(r#"{{"url": "{url}"}}"#)),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.json()["id"].as_str().unwrap().to_string();
        let w = s
            .write(
                "PATCH",
                "/v1/models/tn-2019-phu-xuan-nong-thon-moi",
                WRITER,
                r#"{"start_year": 2018}"#,
            )
            .await;
        assert_eq!(w.status, 200, "{}", w.body);
        if trusted {
            let body = tokio::time::timeout(Duration::from_secs(30), rx.recv())
                .await
                .expect("delivered within 30 s")
                .unwrap();
            assert_eq!(body["change"]["id"], "tn-2019-phu-xuan-nong-thon-moi");
        } else {
            let mut error = String::new();
            for _ in 0..300 {
                let hook = admin(&s, "GET", &format!("/v1/webhooks/{id}"), None)
                    .await
                    .json();
                if let Some(e) = hook["last_error"].as_str() {
                    error = e.to_string();
                    break;
                }
                // tidy: sleep — the failure is the server's own state, with no event to wait on.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            assert!(error.contains("certificate"), "{error:?}");
            assert!(
                rx.try_recv().is_err(),
                "an untrusted receiver got a delivery"
            );
        }
        s.stop().await;
    }
    let e = Webhooks::open(
        &dir.path().join("x.json"),
        &Config {
            webhook_ca_file: Some(dir.path().join("trusting.json")),
            ..Config::default()
        },
    );
    assert!(e.is_err(), "a CA file without a certificate is refused");
}
