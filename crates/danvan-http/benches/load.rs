//! `cargo xtask bench http`: a bounded load run against the real server on 127.0.0.1.
//!
//! The server runs on its own two-thread runtime over a freshly generated 100,000-record JSON
//! store; the load generator runs beside it (as wrk would on the same 2-core machine) with 32
//! keep-alive HTTP/1.1 connections. Three scenarios, each a fixed number of seconds after a
//! one-second warm-up: GET by ID, a filtered list page of 20, and 90% GET / 10% PUT with every
//! write durable. Prints requests per second and p50/p99/max latency, and checks that every
//! answer had the expected status.
//!
//! Options: `--seconds N` (default 10), `--connections N` (default 32), `--records N`
//! (default 100000).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use danvan_core::dataset::{AnyRecord, Dataset};
use danvan_core::generate::Generator;
use danvan_http::config::{Scope, TokenEntry, hash_token};
use danvan_http::{Api, Config};
use danvan_store::{ImportOptions, JsonStore, Store};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;

const TOKEN: &str = "bench-writer";

struct Args {
    seconds: u64,
    connections: usize,
    records: usize,
}

fn args() -> Args {
    let mut a = Args {
        seconds: 10,
        connections: 32,
        records: 100_000,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        let next = v.get(i + 1).and_then(|s| s.parse().ok());
        match (v[i].as_str(), next) {
            ("--seconds", Some(n)) => a.seconds = n,
            ("--connections", Some(n)) => a.connections = n as usize,
            ("--records", Some(n)) => a.records = n as usize,
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    a
}

/// What the load generator sends.
#[derive(Clone)]
struct Workload {
    gets: Arc<Vec<String>>,
    lists: Arc<Vec<String>>,
    /// Observations to rewrite: (path, record JSON with numerator replaced by `{N}`, denominator).
    puts: Arc<Vec<(String, String, u64)>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    GetById,
    ListPage,
    Mix,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::GetById => "GET /v1/{kind}/{id}",
            Scenario::ListPage => "GET /v1/conferences?province&period&limit=20",
            Scenario::Mix => "90% GET by ID / 10% PUT observation (durable)",
        }
    }
}

fn workload(dataset: &Dataset) -> Workload {
    let mut gets = Vec::new();
    for r in dataset.iter() {
        gets.push(format!("/v1/{}/{}", r.kind().plural(), r.id()));
    }
    let mut lists = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in &dataset.conferences {
        if let Some(p) = &c.province {
            let year = c.date.format("%Y").to_string();
            if seen.insert((p.as_str().to_string(), year.clone())) {
                lists.push(format!(
                    "/v1/conferences?province={}&period={year}&limit=20",
                    p.as_str()
                ));
            }
        }
    }
    let mut puts = Vec::new();
    for o in &dataset.observations {
        if let (Some(_), Some(d)) = (o.numerator, o.denominator) {
            if d < 2 || o.stated.is_some() || o.target.is_some() {
                continue;
            }
            let mut v = serde_json::to_value(o).unwrap();
            v["numerator"] = serde_json::Value::String("{N}".into());
            let template = serde_json::to_string(&v).unwrap().replace("\"{N}\"", "{N}");
            puts.push((format!("/v1/observations/{}", o.id), template, d));
        }
        if puts.len() >= 5000 {
            break;
        }
    }
    assert!(!gets.is_empty() && !lists.is_empty() && !puts.is_empty());
    Workload {
        gets: Arc::new(gets),
        lists: Arc::new(lists),
        puts: Arc::new(puts),
    }
}

/// One connection's loop: requests until `stop`, latencies in microseconds.
async fn connection(
    addr: std::net::SocketAddr,
    scenario: Scenario,
    work: Workload,
    seed: u64,
    stop: Arc<AtomicBool>,
) -> (Vec<u32>, usize, usize) {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    let mut rng = seed | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut latencies = Vec::with_capacity(1 << 16);
    let (mut writes, mut bad) = (0, 0);
    let auth = format!("Bearer {TOKEN}");
    while !stop.load(Ordering::Relaxed) {
        let r = next();
        let write = scenario == Scenario::Mix && r % 10 == 0;
        let req = if write {
            let (path, template, d) = &work.puts[(r / 10) as usize % work.puts.len()];
            let body = template.replace("{N}", &(next() % (d + 1)).to_string());
            hyper::Request::put(path.as_str())
                .header("host", "127.0.0.1")
                .header("authorization", auth.as_str())
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(body)))
                .unwrap()
        } else {
            let list = if scenario == Scenario::ListPage {
                &work.lists
            } else {
                &work.gets
            };
            hyper::Request::get(list[r as usize % list.len()].as_str())
                .header("host", "127.0.0.1")
                .body(Full::new(Bytes::new()))
                .unwrap()
        };
        let start = Instant::now();
        sender.ready().await.unwrap();
        let res = sender.send_request(req).await.unwrap();
        let ok = res.status().is_success();
        let _ = res.into_body().collect().await.unwrap();
        latencies.push(start.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
        if !ok {
            bad += 1;
        }
        if write {
            writes += 1;
        }
    }
    (latencies, writes, bad)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

/// A compacted store of `records` generated records under `dir`, and the workload drawn from
/// them.
fn prepare_store(dir: &std::path::Path, records: usize) -> (JsonStore, Workload) {
    let started = Instant::now();
    let records: Vec<AnyRecord> = Generator::new(records, 1).records().collect();
    let dataset = Dataset::from_records(records);
    let work = workload(&dataset);
    let store = JsonStore::init(&dir.join("store")).unwrap();
    let report = store.import(dataset, ImportOptions::default()).unwrap();
    assert!(!report.has_errors());
    store.compact().unwrap();
    eprintln!(
        "store: {} records generated and imported in {:.1}s",
        report.created,
        started.elapsed().as_secs_f64()
    );
    (store, work)
}

/// One write token, [`TOKEN`].
fn bench_config() -> Config {
    Config {
        tokens: vec![TokenEntry {
            name: "bench".into(),
            sha256: hash_token(TOKEN),
            scopes: vec![Scope::Write],
            provinces: Vec::new(),
        }],
        ..Config::default()
    }
}

fn main() {
    let a = args();
    let dir = tempfile::Builder::new()
        .prefix("danvan-http-bench")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let (store, work) = prepare_store(dir.path(), a.records);
    let store = Arc::new(store);
    let config = bench_config();

    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("server")
        .enable_all()
        .build()
        .unwrap();
    let app = Api::new(store.clone(), &config).router();
    let listener = server_rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_server, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = server_rt.spawn(danvan_http::serve(listener, app, async {
        let _ = stopped.await;
    }));

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("load")
        .enable_all()
        .build()
        .unwrap();
    println!(
        "\n{} connections, {} s per scenario, {} records, 127.0.0.1, server and load generator on this machine ({} cores)\n",
        a.connections,
        a.seconds,
        a.records,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<50} {:>10} {:>9} {:>9} {:>9} {:>8}",
        "scenario", "req/s", "p50 ms", "p99 ms", "max ms", "writes"
    );
    for scenario in [Scenario::GetById, Scenario::ListPage, Scenario::Mix] {
        let run = |seconds: f64, seed: u64| {
            let stop = Arc::new(AtomicBool::new(false));
            let tasks: Vec<_> = (0..a.connections)
                .map(|c| {
                    client_rt.spawn(connection(
                        addr,
                        scenario,
                        work.clone(),
                        seed + c as u64 * 7919,
                        stop.clone(),
                    ))
                })
                .collect();
            let start = Instant::now();
            std::thread::sleep(Duration::from_secs_f64(seconds));
            stop.store(true, Ordering::Relaxed);
            let results: Vec<_> = client_rt.block_on(async {
                let mut out = Vec::new();
                for t in tasks {
                    out.push(t.await.unwrap());
                }
                out
            });
            (results, start.elapsed())
        };
        let _ = run(1.0, 1); // warm-up
        let revision_before = store.revision().unwrap();
        let (results, took) = run(a.seconds as f64, 99);
        let mut all: Vec<u32> = results.iter().flat_map(|r| r.0.iter().copied()).collect();
        let writes: usize = results.iter().map(|r| r.1).sum();
        let bad: usize = results.iter().map(|r| r.2).sum();
        all.sort_unstable();
        let rps = all.len() as f64 / took.as_secs_f64();
        println!(
            "{:<50} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>8}",
            scenario.name(),
            rps,
            percentile(&all, 0.50),
            percentile(&all, 0.99),
            percentile(&all, 1.0),
            writes
        );
        assert_eq!(bad, 0, "{}: {bad} answers were not 2xx", scenario.name());
        if scenario == Scenario::Mix {
            let committed = store.revision().unwrap() - revision_before;
            println!(
                "  {committed} writes committed with an fsync'ed journal entry each ({} were no-ops: the same value again)",
                writes as u64 - committed.min(writes as u64)
            );
        }
    }
    let _ = stop_server.send(());
    server_rt.block_on(server).unwrap().unwrap();
}
