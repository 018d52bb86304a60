//! The national completeness view over HTTP (`cargo xtask bench http`, issue 30): `GET
//! /v1/completeness?period=2025S2` on a server over a real socket, a JSON store of 34
//! provinces × 100 communes (3,400 owed reports, 1,700 sent). The target: under 100 ms. Two
//! floors in the same run: the view at the store (`danvan_store::cycle::completeness`, what the
//! handler calls) and a GET of `/healthz` (a new connection each, as for the view: the socket
//! and HTTP alone).

use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use danvan_store::{ImportOptions, JsonStore, Store};
use divan::Bencher;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;

fn main() {
    divan::main();
}

const UNITS_PER_PROVINCE: usize = 100;

fn period() -> danvan_core::period::Period {
    "2025S2".parse().expect("period")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 20).expect("day")
}

/// The server, started once: its runtime, its store and its address.
struct Served {
    rt: tokio::runtime::Runtime,
    store: Arc<JsonStore>,
    addr: std::net::SocketAddr,
    _dir: tempfile::TempDir,
}

fn served() -> &'static Served {
    static SERVED: OnceLock<Served> = OnceLock::new();
    SERVED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Arc::new(JsonStore::init(dir.path()).expect("init"));
        let sent = NaiveDate::from_ymd_opt(2025, 12, 10)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("day");
        let d = danvan_core::generate::national_cycle(UNITS_PER_PROVINCE, period(), sent);
        store.import(d, ImportOptions::default()).expect("import");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let config = danvan_http::Config::default();
        let app = danvan_http::Api::new(store.clone(), &config)
            .with_today(today())
            .app();
        let addr = rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("address");
            tokio::spawn(danvan_http::serve(listener, app, std::future::pending()));
            addr
        });
        Served {
            rt,
            store,
            addr,
            _dir: dir,
        }
    })
}

/// One GET of `path` on a new connection: the body.
fn get(s: &Served, path: &str) -> Bytes {
    s.rt.block_on(async {
        let stream = tokio::net::TcpStream::connect(s.addr)
            .await
            .expect("connect");
        let (mut conn, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .expect("handshake");
        tokio::spawn(connection);
        let req = hyper::Request::get(path)
            .header("host", "127.0.0.1")
            .body(Full::new(Bytes::new()))
            .expect("request");
        let res = conn.send_request(req).await.expect("answer");
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.into_body().collect().await.expect("body").to_bytes()
    })
}

const PATH: &str = "/v1/completeness?period=2025S2";

#[divan::bench(sample_count = 50)]
fn national_completeness_over_http(bencher: Bencher<'_, '_>) {
    let s = served();
    let first: serde_json::Value = serde_json::from_slice(&get(s, PATH)).expect("JSON");
    assert_eq!(
        first["items"].as_array().map(Vec::len),
        Some(34 * UNITS_PER_PROVINCE)
    );
    assert_eq!(first["counts"]["on_time"], 34 * UNITS_PER_PROVINCE / 2);
    bencher.bench(|| get(s, PATH).len());
}

#[divan::bench(sample_count = 50)]
fn floor_the_view_at_the_store(bencher: Bencher<'_, '_>) {
    let s = served();
    let store: &dyn Store = s.store.as_ref();
    bencher.bench(|| {
        danvan_store::cycle::completeness(store, None, period(), today())
            .expect("view")
            .len()
    });
}

#[divan::bench(sample_count = 50)]
fn floor_healthz(bencher: Bencher<'_, '_>) {
    let s = served();
    bencher.bench(|| get(s, "/healthz").len());
}
