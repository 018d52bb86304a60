//! `cargo xtask bench http`: a bounded load run against the real server on 127.0.0.1.
//!
//! The server runs on its own two-thread runtime over a freshly generated 100,000-record JSON
//! store; the load generator runs beside it (as wrk would on the same 2-core machine) with 32
//! keep-alive HTTP/1.1 connections. Scenarios, each a fixed number of seconds after a
//! one-second warm-up: GET by ID, a filtered list page of 20, and 90% GET / 10% PUT with every
//! write durable; the list page from a server with no page cache (every page made again, as
//! the first request of a page after a write is); then the *floor* — a bare axum server on the
//! same runtime answering the same bytes — for GET by ID and the list page, with danvan's share
//! of it; GET by ID while a
//! 100,000-record import is applied; and `/healthz` + `/v1/provinces` while another holder
//! keeps the store's lock (with record reads waiting on it). Prints requests per second and
//! p50/p99/max latency, the ratios against the floor and the targets, and checks that every
//! answer had the expected status. Last, the web app's pages one at a time, as a signed-in
//! browser asks for them (a Thái Nguyên clerk's and a national admin's): the time to answer
//! each and its size, plain and gzipped, against the targets (under 20 ms, under 200 KB).
//! Then `/healthz`, probed on a new connection after another, alone and under each flood: 1,000
//! idle sockets, 1,000 slowloris sockets (half a head, a header line a second), and 10,000
//! concurrent list requests (wrk), against the target of a p99 under 100 ms.
//!
//! Options: `--seconds N` (default 10), `--connections N` (default 32), `--records N`
//! (default 100000), `--only get|list|list-made-again|floor|wrk|web|flood` (just that, for a profile), `--backend pg` (the
//! same runs on a PostgreSQL store, in a throw-away database on the server `PGHOST` names —
//! `cargo xtask bench pg` starts one — with the figures only a database has: the import rate,
//! the open time, single durable writes and the national annual report), `--batch N` (fill the
//! store in imports of N records, `Generator::batches`, instead of one: how a 10M-record store
//! is built in 24 GB; the import-during-reads scenario is left out above 2M records).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use danvan_core::dataset::{AnyRecord, Dataset};
use danvan_core::generate::Generator;
use danvan_http::config::{Scope, TokenEntry, hash_token};
use danvan_http::{Api, Config};
use danvan_store::pg::scratch::ScratchDb;
use danvan_store::{ImportOptions, JsonStore, PgOptions, PgStore, Store};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;

/// The allocator `danvan serve` runs with (see the CLI's `main.rs`), for the server and the
/// floor alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TOKEN: &str = "bench-writer";
/// The web app's sign-ins: a Thái Nguyên clerk and a national admin.
const CLERK: &str = "bench-clerk";
const ADMIN: &str = "bench-admin";

struct Args {
    seconds: u64,
    connections: usize,
    records: usize,
    /// `--only get` (`list`, `floor`): run just that, for profiling one side.
    only: Option<String>,
    /// `json` or `pg`.
    backend: String,
    /// Records per import when filling the store (`--batch N`); all in one by default.
    batch: Option<usize>,
}

fn args() -> Args {
    let mut a = Args {
        seconds: 10,
        connections: 32,
        records: 100_000,
        only: None,
        backend: "json".into(),
        batch: None,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        let next = v.get(i + 1).and_then(|s| s.parse().ok());
        match (v[i].as_str(), next) {
            ("--seconds", Some(n)) => a.seconds = n,
            ("--connections", Some(n)) => a.connections = n as usize,
            ("--records", Some(n)) => a.records = n as usize,
            ("--batch", Some(n)) if n > 0 => a.batch = Some(n as usize),
            ("--only", _) if i + 1 < v.len() => a.only = Some(v[i + 1].clone()),
            ("--backend", _) if i + 1 < v.len() => a.backend = v[i + 1].clone(),
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
    /// `/healthz` and `/v1/provinces`, alternately.
    Health,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::GetById => "GET /v1/{kind}/{id}",
            Scenario::ListPage => "GET /v1/conferences?province&period&limit=20",
            Scenario::Mix => "90% GET by ID / 10% PUT observation (durable)",
            Scenario::Health => "GET /healthz and /v1/provinces",
        }
    }
}

/// The GET paths kept at most: every record's for a store up to this size, an even sample of
/// a larger one (ten million paths would take more memory than the comparison is worth).
const GET_PATHS: usize = 1_000_000;

/// Builds the [`Workload`] from a store's records as they are generated, batch by batch.
struct WorkloadBuilder {
    /// Every `stride`-th record's path is kept.
    stride: usize,
    seen_records: usize,
    gets: Vec<String>,
    lists: Vec<String>,
    seen_lists: std::collections::HashSet<(String, String)>,
    puts: Vec<(String, String, u64)>,
}

impl WorkloadBuilder {
    fn new(records: usize) -> WorkloadBuilder {
        WorkloadBuilder {
            stride: records.div_ceil(GET_PATHS).max(1),
            seen_records: 0,
            gets: Vec::new(),
            lists: Vec::new(),
            seen_lists: std::collections::HashSet::new(),
            puts: Vec::new(),
        }
    }

    fn add(&mut self, dataset: &Dataset) {
        for r in dataset.iter() {
            if self.seen_records.is_multiple_of(self.stride) {
                self.gets
                    .push(format!("/v1/{}/{}", r.kind().plural(), r.id()));
            }
            self.seen_records += 1;
        }
        for c in &dataset.conferences {
            if let Some(p) = &c.province {
                let year = c.date.format("%Y").to_string();
                if self
                    .seen_lists
                    .insert((p.as_str().to_string(), year.clone()))
                {
                    self.lists.push(format!(
                        "/v1/conferences?province={}&period={year}&limit=20",
                        p.as_str()
                    ));
                }
            }
        }
        for o in &dataset.observations {
            if self.puts.len() >= 5000 {
                break;
            }
            if let (Some(_), Some(d)) = (o.numerator, o.denominator) {
                if d < 2 || o.stated.is_some() || o.target.is_some() {
                    continue;
                }
                let mut v = serde_json::to_value(o).unwrap();
                v["numerator"] = serde_json::Value::String("{N}".into());
                let template = serde_json::to_string(&v).unwrap().replace("\"{N}\"", "{N}");
                self.puts
                    .push((format!("/v1/observations/{}", o.id), template, d));
            }
        }
    }

    fn build(self) -> Workload {
        assert!(!self.gets.is_empty() && !self.lists.is_empty() && !self.puts.is_empty());
        Workload {
            gets: Arc::new(self.gets),
            lists: Arc::new(self.lists),
            puts: Arc::new(self.puts),
        }
    }
}

/// One connection's loop: requests until `stop`, latencies in microseconds.
async fn connection(
    addr: std::net::SocketAddr,
    scenario: Scenario,
    work: Workload,
    seed: u64,
    stop: Arc<AtomicBool>,
    busy_ok: bool,
) -> (Vec<u32>, usize, usize) {
    let open = || connect(addr);
    let mut sender = open().await;
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
        } else if scenario == Scenario::Health {
            let path = if r % 2 == 0 {
                "/healthz"
            } else {
                "/v1/provinces"
            };
            hyper::Request::get(path)
                .header("host", "127.0.0.1")
                .body(Full::new(Bytes::new()))
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
        // A health check answered at the server's front closes its connection, as the answer
        // says: the next request goes on a new one, as an HTTP client's does.
        let closed = res
            .headers()
            .get(hyper::header::CONNECTION)
            .is_some_and(|v| v == "close");
        // Record reads that wait for a held lock end in 503: expected there, not counted bad.
        let ok = res.status().is_success()
            || (busy_ok && res.status() == hyper::StatusCode::SERVICE_UNAVAILABLE);
        let _ = res.into_body().collect().await.unwrap();
        latencies.push(start.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
        if closed {
            sender = open().await;
        }
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

/// `records` generated records imported into `store` (in batches of `batch`, one by default;
/// generated batch by batch, so that only one batch is held besides the store) and compacted,
/// the workload drawn from them, and how long the imports took in seconds.
fn prepare_store(store: &dyn Store, records: usize, batch: Option<usize>) -> (Workload, f64) {
    let generator = Generator::new(records, 1);
    // In batches, the directives reviewed at a conference go in first without that review and
    // are updated with it once the conferences are in (`Generator::batches`).
    let batches: Box<dyn Iterator<Item = Vec<AnyRecord>>> = match batch {
        None => Box::new(std::iter::once(generator.records().collect())),
        Some(size) => Box::new(generator.batches(size)),
    };
    let mut work = WorkloadBuilder::new(records);
    let (mut generated, mut imported, mut created, mut updated) = (0.0, 0.0, 0, 0);
    let mut started = Instant::now();
    for chunk in batches {
        let dataset = Dataset::from_records(chunk);
        work.add(&dataset);
        generated += started.elapsed().as_secs_f64();
        started = Instant::now();
        let report = store.import(dataset, ImportOptions::default()).unwrap();
        assert!(!report.has_errors(), "{:?}", report.problems.first());
        created += report.created;
        updated += report.updated;
        imported += started.elapsed().as_secs_f64();
        started = Instant::now();
    }
    let started = Instant::now();
    store.compact().unwrap();
    imported += started.elapsed().as_secs_f64();
    eprintln!(
        "store: {created} records generated in {generated:.1}s and imported in {imported:.1}s{}",
        batch.map_or(String::new(), |b| format!(
            " (batches of {b}; {updated} directives updated with the reviews held at conferences)"
        )),
    );
    (work.build(), imported)
}

/// The most records the import-during-reads scenario runs on.
const MAX_COPIED: usize = 2_000_000;

/// This process's resident memory, in bytes, where `/proc` says.
fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The figures only the PostgreSQL backend has, beside the HTTP runs.
struct PgFigures {
    /// Keeps the database until the end.
    _db: ScratchDb,
    records: usize,
    import_secs: f64,
    /// Records per import, if not one.
    batch: Option<usize>,
    open_secs: f64,
    /// Resident memory after the open, in bytes.
    resident: Option<u64>,
}

impl PgFigures {
    /// Prints the import rate, the open time, 1,000 single durable writes and the national
    /// annual report, each through the store as the server holds it.
    fn report(&self, store: &dyn Store) {
        println!(
            "
PostgreSQL store, {} records:",
            self.records
        );
        println!(
            "  import ({}): {:.1} s, {:.0} records/s",
            self.batch
                .map_or("one batch, one transaction".to_string(), |b| format!(
                    "batches of {b} records, a transaction each"
                )),
            self.import_secs,
            self.records as f64 / self.import_secs
        );
        println!(
            "  open (read every record into the indexes): {:.1} s; resident memory after it {}",
            self.open_secs,
            self.resident.map_or("unknown".to_string(), |b| format!(
                "{:.2} GB",
                b as f64 / 1e9
            ))
        );
        let generator = Generator::new(10, 3);
        let mut model = generator.model(0);
        let mut times = Vec::new();
        for i in 0..1_000 {
            model.name = danvan_core::text::Text::new(format!("Mô hình đo ghi số {i}"));
            let started = Instant::now();
            store
                .put(AnyRecord::Model(model.clone()), danvan_store::Expected::Any)
                .unwrap();
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "  single durable write (1,000 puts, each its own committed transaction): median {:.2} ms, p99 {:.2} ms",
            times[500], times[990]
        );
        let scope = danvan_report::Scope::new(
            None,
            "2024".parse().unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        );
        let mut runs = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let data = danvan_report::build(store, &scope).unwrap();
            runs.push(started.elapsed().as_secs_f64());
            std::hint::black_box(data);
        }
        runs.sort_by(f64::total_cmp);
        println!(
            "  national annual report 2024 (figures): median of 3 {:.2} s (target < 5 s at 10M)",
            runs[1]
        );
    }
}

/// One write token, [`TOKEN`].
fn bench_config() -> Config {
    let token = |name: &str, secret: &str, scope: Scope, provinces: &[&str]| TokenEntry {
        name: name.into(),
        sha256: hash_token(secret),
        scopes: vec![scope],
        provinces: provinces.iter().map(|p| (*p).to_string()).collect(),
    };
    Config {
        tokens: vec![
            token("bench", TOKEN, Scope::Write, &[]),
            token("clerk", CLERK, Scope::Write, &["thai-nguyen"]),
            token("admin", ADMIN, Scope::Admin, &[]),
        ],
        ..Config::default()
    }
}

/// What one measured run gave.
struct Stats {
    rps: f64,
    p50: f64,
    p99: f64,
    max: f64,
    writes: usize,
}

/// Runs `scenario` with `connections` connections against `addr` until `stop` is set by
/// `until` (which runs on this thread and returns when the run should end); every answer must
/// be 2xx (or 503 with `busy_ok`).
fn load(
    rt: &tokio::runtime::Runtime,
    addr: std::net::SocketAddr,
    scenario: Scenario,
    work: &Workload,
    connections: usize,
    busy_ok: bool,
    until: impl FnOnce(),
) -> Stats {
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            rt.spawn(connection(
                addr,
                scenario,
                work.clone(),
                99 + c as u64 * 7919,
                stop.clone(),
                busy_ok,
            ))
        })
        .collect();
    let start = Instant::now();
    until();
    stop.store(true, Ordering::Relaxed);
    let results: Vec<_> = rt.block_on(async {
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    let took = start.elapsed();
    let mut all: Vec<u32> = results.iter().flat_map(|r| r.0.iter().copied()).collect();
    let bad: usize = results.iter().map(|r| r.2).sum();
    assert_eq!(bad, 0, "{}: {bad} answers were not 2xx", scenario.name());
    all.sort_unstable();
    Stats {
        rps: all.len() as f64 / took.as_secs_f64(),
        p50: percentile(&all, 0.50),
        p99: percentile(&all, 0.99),
        max: percentile(&all, 1.0),
        writes: results.iter().map(|r| r.1).sum(),
    }
}

/// Waits `seconds` (the length of a measured run: the sleep is what bounds the load).
fn for_seconds(seconds: f64) -> impl FnOnce() {
    move || std::thread::sleep(Duration::from_secs_f64(seconds))
}

fn row(name: &str, s: &Stats) {
    println!(
        "{:<50} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>8}",
        name, s.rps, s.p50, s.p99, s.max, s.writes
    );
}

/// One GET's body and content type from the running danvan server, to serve the same bytes
/// from the floor.
fn fetch(rt: &tokio::runtime::Runtime, addr: std::net::SocketAddr, path: &str) -> Bytes {
    rt.block_on(async {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .unwrap();
        tokio::spawn(conn);
        let req = hyper::Request::get(path)
            .header("host", "127.0.0.1")
            .body(Full::new(Bytes::new()))
            .unwrap();
        let res = sender.send_request(req).await.unwrap();
        assert!(res.status().is_success(), "{path}");
        res.into_body().collect().await.unwrap().to_bytes()
    })
}

/// The floor: bare axum, no middleware, answering every record GET with `record` and every
/// conference list with `page`.
fn floor(record: Bytes, page: Bytes) -> axum::Router {
    use axum::http::header::CONTENT_TYPE;
    let json = || [(CONTENT_TYPE, "application/json")];
    axum::Router::new()
        .route(
            "/v1/{kind}/{id}",
            axum::routing::get(move || {
                let record = record.clone();
                async move { (json(), record) }
            }),
        )
        .route(
            "/v1/conferences",
            axum::routing::get(move || {
                let page = page.clone();
                async move { (json(), page) }
            }),
        )
}

/// What wrk measured.
struct WrkStats {
    rps: f64,
    p50: f64,
    p99: f64,
}

/// The wrk script: each request a path drawn at random from the file `DANVAN_BENCH_PATHS`
/// names (each of wrk's threads reads it into its own Lua state).
const WRK_SCRIPT: &str = r#"
local paths = {}
for line in io.lines(os.getenv("DANVAN_BENCH_PATHS")) do paths[#paths + 1] = line end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"#;

/// Runs wrk (2 threads, `connections` connections, `seconds`) against `addr` with `paths`,
/// or `None` when wrk is not installed. Every answer must be 2xx.
fn wrk(
    addr: std::net::SocketAddr,
    paths: &[String],
    connections: usize,
    seconds: u64,
    dir: &std::path::Path,
) -> Option<WrkStats> {
    let script = dir.join("paths.lua");
    let list = dir.join("paths.txt");
    std::fs::write(&script, WRK_SCRIPT).unwrap();
    std::fs::write(&list, paths.join("\n") + "\n").unwrap();
    let out = std::process::Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
        ])
        .arg("-s")
        .arg(&script)
        .arg(format!("http://{addr}"))
        .env("DANVAN_BENCH_PATHS", &list)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "wrk failed: {text}");
    assert!(
        !text.contains("Non-2xx"),
        "wrk saw answers that were not 2xx:\n{text}"
    );
    let number = |prefix: &str| -> f64 {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in wrk's output:\n{text}"));
        let value = line[prefix.len()..].trim();
        let (n, unit) = value.split_at(
            value
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(value.len()),
        );
        let n: f64 = n.parse().unwrap();
        n * match unit {
            "us" => 0.001,
            "s" => 1000.0,
            _ => 1.0, // ms, or a plain number
        }
    };
    Some(WrkStats {
        rps: number("Requests/sec:"),
        p50: number("50%"),
        p99: number("99%"),
    })
}

/// What a run serves: danvan through its own accept loop, or the floor through bare
/// `axum::serve`.
enum Served {
    Danvan(danvan_http::App),
    Floor(axum::Router),
}

/// A server on `rt` for the run.
fn serve(
    rt: &tokio::runtime::Runtime,
    app: Served,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = match app {
        Served::Floor(router) => rt.spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        }),
        Served::Danvan(app) => rt.spawn(danvan_http::serve(listener, app, async {
            let _ = stopped.await;
        })),
    };
    (addr, stop, handle)
}

/// What the runs share.
struct Bench<'a> {
    server_rt: &'a tokio::runtime::Runtime,
    client_rt: &'a tokio::runtime::Runtime,
    addr: std::net::SocketAddr,
    work: &'a Workload,
    store: &'a Arc<dyn Store>,
    connections: usize,
    seconds: f64,
}

impl Bench<'_> {
    /// A one-second warm-up, then a measured run of `scenario` against `addr`.
    fn measured(&self, addr: std::net::SocketAddr, scenario: Scenario) -> Stats {
        let _ = load(
            self.client_rt,
            addr,
            scenario,
            self.work,
            self.connections,
            false,
            for_seconds(1.0),
        );
        load(
            self.client_rt,
            addr,
            scenario,
            self.work,
            self.connections,
            false,
            for_seconds(self.seconds),
        )
    }

    /// GET by ID, the list page and the mix against danvan.
    fn danvan(&self) -> Vec<Stats> {
        let mut out = Vec::new();
        for scenario in [Scenario::GetById, Scenario::ListPage, Scenario::Mix] {
            let revision_before = self.store.revision().unwrap();
            let stats = self.measured(self.addr, scenario);
            row(scenario.name(), &stats);
            if scenario == Scenario::Mix {
                let committed = self.store.revision().unwrap() - revision_before;
                println!(
                    "  {committed} writes committed, each durable before its answer ({} were no-ops: the same value again)",
                    stats.writes as u64 - committed.min(stats.writes as u64)
                );
            }
            out.push(stats);
        }
        out
    }

    /// The list page from a second server on the same store with no page cache: every page
    /// made again from the store's index and the record cache, as a page asked for the first
    /// time since the last write is.
    fn list_made_again(&self) -> Stats {
        let config = Config {
            page_cache_mib: 0,
            ..bench_config()
        };
        let app = Api::new(self.store.clone(), &config).app();
        let (addr, stop, server) = serve(self.server_rt, Served::Danvan(app));
        let stats = self.measured(addr, Scenario::ListPage);
        row("list page, no page cache (every page made again)", &stats);
        let _ = stop.send(());
        self.server_rt.block_on(server).unwrap().unwrap();
        stats
    }

    /// GET by ID and the list page against bare axum answering the same bytes.
    fn floor(&self) -> Vec<Stats> {
        let record = fetch(self.client_rt, self.addr, &self.work.gets[0]);
        let page = fetch(self.client_rt, self.addr, &self.work.lists[0]);
        let (addr, stop, server) = serve(self.server_rt, Served::Floor(floor(record, page)));
        let mut out = Vec::new();
        for scenario in [Scenario::GetById, Scenario::ListPage] {
            let stats = self.measured(addr, scenario);
            row(&format!("floor: {}", scenario.name()), &stats);
            out.push(stats);
        }
        let _ = stop.send(());
        self.server_rt.block_on(server).unwrap().unwrap();
        out
    }

    /// GET by ID and the list page with wrk — the load generator of the issue's measurement —
    /// against danvan and then the floor; `None` when wrk is not installed.
    fn with_wrk(&self, seconds: u64) -> Option<[(f64, f64); 2]> {
        let dir = tempfile::tempdir().unwrap();
        let record = fetch(self.client_rt, self.addr, &self.work.gets[0]);
        let page = fetch(self.client_rt, self.addr, &self.work.lists[0]);
        let (floor_addr, stop, server) = serve(self.server_rt, Served::Floor(floor(record, page)));
        let mut ratios = [(0.0, 0.0); 2];
        for (i, (name, paths)) in [
            ("GET by ID", &self.work.gets),
            ("list page", &self.work.lists),
        ]
        .into_iter()
        .enumerate()
        {
            let d = wrk(self.addr, paths, self.connections, seconds, dir.path())?;
            let f = wrk(floor_addr, paths, self.connections, seconds, dir.path())?;
            println!(
                "{:<50} {:>10.0} {:>9.2} {:>9.2}",
                format!("wrk: {name}"),
                d.rps,
                d.p50,
                d.p99
            );
            println!(
                "{:<50} {:>10.0} {:>9.2} {:>9.2}",
                format!("wrk: floor: {name}"),
                f.rps,
                f.p50,
                f.p99
            );
            ratios[i] = (d.rps, f.rps);
        }
        let _ = stop.send(());
        self.server_rt.block_on(server).unwrap().unwrap();
        Some(ratios)
    }

    /// GET by ID while 100,000 models (referring to nothing, so they import cleanly over the
    /// store; those sharing an ID are updates) are imported.
    fn during_import(&self) -> Stats {
        let generator = Generator::new(200_000, 2);
        let import: Vec<AnyRecord> = (0..100_000)
            .map(|i| AnyRecord::Model(generator.model(i)))
            .collect();
        let store = self.store.clone();
        let stats = load(
            self.client_rt,
            self.addr,
            Scenario::GetById,
            self.work,
            self.connections,
            false,
            move || {
                let report = store
                    .import(Dataset::from_records(import), ImportOptions::default())
                    .unwrap();
                assert!(!report.has_errors(), "{:?}", report.problems.first());
            },
        );
        row("GET by ID while 100,000 records are imported", &stats);
        stats
    }

    /// `/healthz` and `/v1/provinces` while another holder keeps the lock and the files changed
    /// (so record reads must wait for it): 8 connections of record reads wait meanwhile.
    fn while_locked(&self, store_dir: &std::path::Path) -> Stats {
        let lock = std::fs::File::options()
            .read(true)
            .write(true)
            .open(store_dir.join("lock"))
            .unwrap();
        lock.lock().unwrap();
        let cp = store_dir.join("checkpoint.json");
        let bytes = std::fs::read(&cp).unwrap();
        std::fs::write(store_dir.join(".cp"), bytes).unwrap();
        std::fs::rename(store_dir.join(".cp"), &cp).unwrap();
        let waiting_stop = Arc::new(AtomicBool::new(false));
        let waiting: Vec<_> = (0..8)
            .map(|c| {
                self.client_rt.spawn(connection(
                    self.addr,
                    Scenario::GetById,
                    self.work.clone(),
                    7 + c,
                    waiting_stop.clone(),
                    true,
                ))
            })
            .collect();
        let stats = load(
            self.client_rt,
            self.addr,
            Scenario::Health,
            self.work,
            8,
            false,
            for_seconds(self.seconds.min(5.0)),
        );
        row("/healthz, /v1/provinces while the lock is held", &stats);
        waiting_stop.store(true, Ordering::Relaxed);
        lock.unlock().unwrap();
        self.client_rt.block_on(async {
            for t in waiting {
                t.await.unwrap();
            }
        });
        stats
    }
}

/// How a flood meets the server while `/healthz` is probed.
#[derive(Clone, Copy)]
enum Flood {
    /// Nothing: the probe alone.
    Nothing,
    /// Sockets that connect and send nothing.
    Idle(usize),
    /// Sockets that send half a request head and then a header line every second (slowloris).
    Slowloris(usize),
    /// wrk with this many connections asking for list pages as fast as it can.
    Lists(usize),
}

impl Flood {
    fn name(self) -> String {
        match self {
            Flood::Nothing => "/healthz, nothing else".into(),
            Flood::Idle(n) => format!("/healthz with {n} idle sockets"),
            Flood::Slowloris(n) => format!("/healthz with {n} slowloris sockets"),
            Flood::Lists(n) => format!("/healthz with {n} concurrent list requests (wrk)"),
        }
    }
}

/// `GET /healthz` on a new connection each time, one after another, until `stop` is set:
/// each answer's latency in ms (every answer must be 200).
fn probe_health(addr: std::net::SocketAddr, stop: &AtomicBool) -> Vec<f64> {
    use std::io::{Read, Write};
    let mut out = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        let mut c = std::net::TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        c.write_all(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = Vec::new();
        c.read_to_end(&mut answer).unwrap();
        out.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(
            answer.starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    out
}

/// A flood under way, until it is ended.
struct Flooding {
    sockets: Vec<std::net::TcpStream>,
    trickle: Option<std::thread::JoinHandle<()>>,
    wrk: Option<std::process::Child>,
}

impl Flooding {
    /// Starts `flood` against `addr` (list pages from `lists`), to last about `seconds`; `stop`
    /// ends the slowloris' trickle. `None` when wrk is needed and not installed.
    fn start(
        flood: Flood,
        addr: std::net::SocketAddr,
        lists: &[String],
        seconds: f64,
        dir: &std::path::Path,
        stop: &Arc<AtomicBool>,
    ) -> Option<Flooding> {
        use std::io::Write;
        let mut f = Flooding {
            sockets: Vec::new(),
            trickle: None,
            wrk: None,
        };
        match flood {
            Flood::Nothing => {}
            Flood::Idle(n) => {
                f.sockets = (0..n)
                    .map(|_| std::net::TcpStream::connect(addr).unwrap())
                    .collect();
            }
            Flood::Slowloris(n) => {
                for _ in 0..n {
                    let mut c = std::net::TcpStream::connect(addr).unwrap();
                    c.write_all(b"GET /v1/provinces HTTP/1.1\r\nHost: bench\r\n")
                        .unwrap();
                    f.sockets.push(c);
                }
                let mut clones: Vec<_> = f.sockets.iter().map(|c| c.try_clone().unwrap()).collect();
                let stop = stop.clone();
                f.trickle = Some(std::thread::spawn(move || {
                    let mut i = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        for c in &mut clones {
                            // A closed socket (the server gave up on it) is the server's win.
                            let _ = c.write_all(format!("X-Slow-{i}: 1\r\n").as_bytes());
                        }
                        i += 1;
                        // tidy: sleep — the slowloris' pace is the subject.
                        std::thread::sleep(Duration::from_secs(1));
                    }
                }));
            }
            Flood::Lists(n) => {
                let script = dir.join("flood.lua");
                let list = dir.join("flood.txt");
                std::fs::write(&script, WRK_SCRIPT).unwrap();
                std::fs::write(&list, lists.join("\n") + "\n").unwrap();
                let duration = format!("-d{}s", seconds.ceil() as u64 + 2);
                f.wrk = Some(
                    std::process::Command::new("wrk")
                        .args(["-t2", &format!("-c{n}"), &duration, "--timeout", "30s"])
                        .arg("-s")
                        .arg(&script)
                        .arg(format!("http://{addr}"))
                        .env("DANVAN_BENCH_PATHS", &list)
                        .stdout(std::process::Stdio::piped())
                        .stderr(std::process::Stdio::piped())
                        .spawn()
                        .ok()?,
                );
                // wrk opens its connections first.
                // tidy: sleep — the flood must be under way before the probe.
                std::thread::sleep(Duration::from_secs(2));
            }
        }
        Some(f)
    }

    /// Ends the flood (the caller set `stop`), printing what wrk measured of its own run.
    fn end(self) {
        if let Some(t) = self.trickle {
            t.join().unwrap();
        }
        drop(self.sockets);
        if let Some(w) = self.wrk {
            let out = w.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let summary: Vec<&str> = text
                .lines()
                .filter(|l| {
                    l.contains("Requests/sec")
                        || l.contains("Socket errors")
                        || l.contains("Non-2xx")
                        || l.trim_start().starts_with("99%")
                })
                .collect();
            let summary = summary.join("; ");
            println!(
                "  wrk (the flood itself): {}",
                summary.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
}

impl Bench<'_> {
    /// `/healthz`'s latency under `flood` for `seconds`: (p50, p99, probes).
    fn flooded(&self, flood: Flood, seconds: f64, dir: &std::path::Path) -> (f64, f64, usize) {
        let stop = Arc::new(AtomicBool::new(false));
        let Some(flooding) =
            Flooding::start(flood, self.addr, &self.work.lists, seconds, dir, &stop)
        else {
            println!("  (wrk is not installed: {} is not run)", flood.name());
            return (0.0, 0.0, 0);
        };
        let timer = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                // tidy: sleep — a run of fixed length.
                std::thread::sleep(Duration::from_secs_f64(seconds));
                stop.store(true, Ordering::Relaxed);
            })
        };
        let mut lat = probe_health(self.addr, &stop);
        timer.join().unwrap();
        flooding.end();
        lat.sort_by(f64::total_cmp);
        let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
        let (p50, p99) = (pct(0.5), pct(0.99));
        println!(
            "{:<50} {:>10} {:>9.2} {:>9.2} {:>9.2}",
            flood.name(),
            lat.len(),
            p50,
            p99,
            lat.last().copied().unwrap_or_default()
        );
        (p50, p99, lat.len())
    }

    /// `/healthz` alone, then under each flood of issue 28, with the verdicts.
    fn floods(&self, seconds: f64) {
        let dir = tempfile::tempdir().unwrap();
        println!(
            "\n{:<50} {:>10} {:>9} {:>9} {:>9}",
            "health check under a flood", "probes", "p50 ms", "p99 ms", "max ms"
        );
        let mut verdicts = Vec::new();
        for flood in [
            Flood::Nothing,
            Flood::Idle(1000),
            Flood::Slowloris(1000),
            Flood::Lists(10_000),
        ] {
            let (_, p99, n) = self.flooded(flood, seconds, dir.path());
            if !matches!(flood, Flood::Nothing) && n > 0 {
                verdicts.push((flood.name(), p99));
            }
        }
        println!("\ntargets (issue 28):");
        for (name, p99) in verdicts {
            let verdict = if p99 < 100.0 { "met" } else { "MISSED" };
            println!("  {name}: p99 {p99:.2} ms (target < 100 ms): {verdict}");
        }
    }
}

fn targets(
    danvan: &[Stats],
    made_again: &Stats,
    floors: &[Stats],
    with_wrk: Option<[(f64, f64); 2]>,
    during_import: Option<&Stats>,
    while_locked: Option<&Stats>,
) {
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!("\ntargets (issue 15):");
    let mut ratios = vec![(
        "this generator",
        [
            (danvan[0].rps, floors[0].rps),
            (danvan[1].rps, floors[1].rps),
        ],
    )];
    match with_wrk {
        Some(w) => ratios.push(("wrk", w)),
        None => {
            println!("  (wrk is not installed: `apt-get install wrk` for the issue's generator)")
        }
    }
    for (generator, [get, list]) in ratios {
        let get_ratio = get.0 / get.1 * 100.0;
        let list_ratio = list.0 / list.1 * 100.0;
        println!(
            "  {generator}: GET by ID at {get_ratio:.0}% of the floor (target 70%): {}",
            verdict(get_ratio >= 70.0)
        );
        println!(
            "  {generator}: list page at {list_ratio:.0}% of the floor (target 50%): {}",
            verdict(list_ratio >= 50.0)
        );
    }
    println!(
        "  (this generator: the list page made again every time, no page cache, at {:.0}% of the floor)",
        made_again.rps / floors[1].rps * 100.0
    );
    if let Some(during_import) = during_import {
        println!(
            "  GET by ID p99 during the import {:.2} ms (target < 20 ms): {}",
            during_import.p99,
            verdict(during_import.p99 < 20.0)
        );
    }
    if let Some(while_locked) = while_locked {
        println!(
            "  /healthz, /v1/provinces p99 with the lock held {:.2} ms (target < 10 ms): {}",
            while_locked.p99,
            verdict(while_locked.p99 < 10.0)
        );
    }
}

/// The store the server runs on, filled with `--records` generated records, the workload, and
/// for PostgreSQL its own figures.
fn open_store(
    a: &Args,
    store_dir: &std::path::Path,
) -> (Arc<dyn Store>, Workload, Option<PgFigures>) {
    match a.backend.as_str() {
        "json" => {
            let (work, _) = prepare_store(&JsonStore::init(store_dir).unwrap(), a.records, a.batch);
            // As `danvan serve` opens it: a request waits 2 s at most for another
            // holder's lock.
            let store = JsonStore::open_with(
                store_dir,
                danvan_store::Options {
                    lock_timeout: Duration::from_secs(2),
                    ..danvan_store::Options::default()
                },
            )
            .unwrap();
            (Arc::new(store), work, None)
        }
        "pg" => {
            let db = ScratchDb::new("bench");
            let (work, import_secs) =
                prepare_store(&PgStore::init(db.url()).unwrap(), a.records, a.batch);
            let started = Instant::now();
            let store = PgStore::open_with(
                db.url(),
                PgOptions::default().with_lock_timeout(Duration::from_secs(2)),
            )
            .unwrap();
            let open_secs = started.elapsed().as_secs_f64();
            let resident = resident();
            let figures = PgFigures {
                _db: db,
                records: a.records,
                import_secs,
                batch: a.batch,
                open_secs,
                resident,
            };
            (Arc::new(store), work, Some(figures))
        }
        other => panic!("--backend takes json or pg, not {other}"),
    }
}

fn main() {
    let a = args();
    let dir = tempfile::Builder::new()
        .prefix("danvan-http-bench")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let store_dir = dir.path().join("store");
    let (store, work, pg) = open_store(&a, &store_dir);
    let runtime = |name: &str| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(name)
            .enable_all()
            .build()
            .unwrap()
    };
    let (server_rt, client_rt) = (runtime("server"), runtime("load"));
    let (addr, stop_server, server) = serve(
        &server_rt,
        // The web app beside the API, as `danvan serve` serves them: its pages are measured too.
        Served::Danvan(danvan_web::mount(Api::new(store.clone(), &bench_config()), None).app()),
    );
    println!(
        "\n{} connections, {} s per scenario, {} records in the {} store, 127.0.0.1, server and load generator on this machine ({} cores)\n",
        a.connections,
        a.seconds,
        a.records,
        a.backend,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<50} {:>10} {:>9} {:>9} {:>9} {:>8}",
        "scenario", "req/s", "p50 ms", "p99 ms", "max ms", "writes"
    );
    let bench = Bench {
        server_rt: &server_rt,
        client_rt: &client_rt,
        addr,
        work: &work,
        store: &store,
        connections: a.connections,
        seconds: a.seconds as f64,
    };
    match a.only.as_deref() {
        Some("get") => row("GET by ID", &bench.measured(addr, Scenario::GetById)),
        Some("list") => row("list page", &bench.measured(addr, Scenario::ListPage)),
        Some("list-made-again") => {
            bench.list_made_again();
        }
        Some("floor") => {
            bench.floor();
        }
        Some("wrk") if bench.with_wrk(a.seconds).is_none() => {
            println!("wrk is not installed (apt-get install wrk)");
        }
        Some("wrk") => {}
        Some("web") => web_pages(&client_rt, addr, &work),
        Some("flood") => bench.floods(a.seconds as f64),
        Some(other) => {
            panic!("--only takes get, list, list-made-again, floor, wrk, web or flood, not {other}")
        }
        None => {}
    }
    if a.only.is_some() {
        let _ = stop_server.send(());
        server_rt.block_on(server).unwrap().unwrap();
        return;
    }
    let danvan = bench.danvan();
    let made_again = bench.list_made_again();
    let floors = bench.floor();
    let with_wrk = bench.with_wrk(a.seconds);
    // A batch that large is applied to a copy of the indexes, swapped in when done, so that
    // readers never wait: past a few million records that copy needs more memory than a
    // benchmark machine sensibly has beside the store.
    let during_import = if a.records <= MAX_COPIED {
        Some(bench.during_import())
    } else {
        println!(
            "GET by ID while 100,000 records are imported: not run above {MAX_COPIED} records (the import copies the indexes)"
        );
        None
    };
    // Another process's file lock is the JSON store's; a database queues writers itself.
    let while_locked = pg.is_none().then(|| bench.while_locked(&store_dir));
    targets(
        &danvan,
        &made_again,
        &floors,
        with_wrk,
        during_import.as_ref(),
        while_locked.as_ref(),
    );
    web_pages(&client_rt, addr, &work);
    bench.floods(a.seconds as f64);
    if let Some(pg) = &pg {
        pg.report(store.as_ref());
    }
    let _ = stop_server.send(());
    server_rt.block_on(server).unwrap().unwrap();
}

/// One request on `sender`: status, headers and body.
async fn send(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, hyper::HeaderMap, Bytes) {
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    sender.ready().await.unwrap();
    let res = sender
        .send_request(req.body(Full::new(Bytes::from(body.to_string()))).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (
        status,
        headers,
        res.into_body().collect().await.unwrap().to_bytes(),
    )
}

/// One HTTP/1.1 connection to `addr`.
async fn connect(
    addr: std::net::SocketAddr,
) -> hyper::client::conn::http1::SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    sender
}

/// Signs in with `token` as a browser does; returns the session's cookie.
async fn sign_in(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    token: &str,
) -> String {
    let (_, headers, body) = send(sender, "GET", "/app/sign-in", &[], "").await;
    let cookie = headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body = String::from_utf8_lossy(&body);
    let csrf = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let form = format!("csrf={csrf}&token={token}&next=%2Fapp");
    let (status, headers, _) = send(
        sender,
        "POST",
        "/app/sign-in",
        &[
            ("cookie", &cookie),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        &form,
    )
    .await;
    assert_eq!(status, 303, "sign-in");
    headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("danvan_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// The web app's pages, each asked for 30 times in turn by a signed-in session after one
/// warm-up: the time to answer (the server and the loopback; nothing else runs), and the size
/// plain and as the browser gets it (gzip).
fn web_pages(rt: &tokio::runtime::Runtime, addr: std::net::SocketAddr, work: &Workload) {
    // A record of each kind the pages show, by its path in the workload.
    let of = |kind: &str| {
        work.gets
            .iter()
            .find(|p| p.starts_with(&format!("/v1/{kind}/")))
            .unwrap()
            .replacen("/v1/", "/app/", 1)
    };
    let conference = of("conferences");
    let directive = of("directives");
    let pages: Vec<(&str, String)> = vec![
        (CLERK, "/app".into()),
        (CLERK, "/app/conferences".into()),
        (CLERK, "/app/conferences?q=so+ket+6+thang".into()),
        (CLERK, "/app/observations".into()),
        (CLERK, "/app/conferences/new".into()),
        (CLERK, "/app/reports".into()),
        (CLERK, "/app/import".into()),
        (ADMIN, "/app".into()),
        (ADMIN, "/app/conferences".into()),
        (ADMIN, "/app/directives?q=dan+van".into()),
        (ADMIN, conference.clone()),
        (ADMIN, format!("{conference}/edit")),
        (ADMIN, directive),
    ];
    println!(
        "\nweb app pages (the first answer, then 30 in turn each, one session; time to answer, size plain / gzip):\n{:<58} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9}",
        "page", "first ms", "p50 ms", "p99 ms", "max ms", "KB", "KB gzip"
    );
    let mut worst = (0.0f64, 0usize);
    let mut worst_first = 0.0f64;
    rt.block_on(async {
        let mut sender = connect(addr).await;
        let clerk = sign_in(&mut sender, CLERK).await;
        let admin = sign_in(&mut sender, ADMIN).await;
        for (who, path) in &pages {
            let cookie = if *who == CLERK { &clerk } else { &admin };
            // The first answer after the store changed (a dashboard is then computed afresh).
            let started = Instant::now();
            let (status, _, plain) =
                send(&mut sender, "GET", path, &[("cookie", cookie)], "").await;
            let first = started.elapsed().as_secs_f64() * 1000.0;
            assert_eq!(status, 200, "{path}");
            let (_, _, gz) = send(
                &mut sender,
                "GET",
                path,
                &[("cookie", cookie), ("accept-encoding", "gzip")],
                "",
            )
            .await;
            let mut times = Vec::new();
            for _ in 0..30 {
                let started = Instant::now();
                let (status, _, _) =
                    send(&mut sender, "GET", path, &[("cookie", cookie)], "").await;
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(status, 200, "{path}");
            }
            times.sort_by(f64::total_cmp);
            let p50 = times[times.len() / 2];
            let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
            let max = times[times.len() - 1];
            worst.0 = worst.0.max(p50);
            worst_first = worst_first.max(first);
            worst.1 = worst.1.max(gz.len());
            let who = if *who == CLERK { "clerk" } else { "admin" };
            println!(
                "{:<58} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9.1} {:>9.1}",
                format!("{who} {path}"),
                first,
                p50,
                p99,
                max,
                plain.len() as f64 / 1024.0,
                gz.len() as f64 / 1024.0
            );
        }
    });
    let worst_fresh = dashboards_after_writes(rt, addr, work);
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!("\ntargets (issue 17):");
    println!(
        "  dashboard computed afresh after a write, slower median {worst_fresh:.2} ms (target < 20 ms): {}",
        verdict(worst_fresh < 20.0)
    );
    println!(
        "  slowest page's median {:.2} ms (target < 20 ms): {}",
        worst.0,
        verdict(worst.0 < 20.0)
    );
    println!(
        "  slowest first answer {worst_first:.2} ms (a record's page: the first history read in a process indexes the journals; a dashboard: computed afresh after a write)"
    );
    println!(
        "  largest page transferred {:.1} KB (target < 200 KB): {}",
        worst.1 as f64 / 1024.0,
        verdict(worst.1 < 200 * 1024)
    );
}

/// Dashboards are kept until the store changes: after each write the next one is computed
/// afresh. Ten rounds of a durable write, then each dashboard; the slower median.
fn dashboards_after_writes(
    rt: &tokio::runtime::Runtime,
    addr: std::net::SocketAddr,
    work: &Workload,
) -> f64 {
    let (put_path, template, _) = &work.puts[0];
    let mut after_write: Vec<(&str, Vec<f64>)> = vec![("clerk", Vec::new()), ("admin", Vec::new())];
    rt.block_on(async {
        let mut sender = connect(addr).await;
        let clerk = sign_in(&mut sender, CLERK).await;
        let admin = sign_in(&mut sender, ADMIN).await;
        let auth = format!("Bearer {TOKEN}");
        for n in 0..10u64 {
            let body = template.replace("{N}", &(n % 2).to_string());
            let (status, _, _) = send(
                &mut sender,
                "PUT",
                put_path,
                &[
                    ("authorization", &auth),
                    ("content-type", "application/json"),
                ],
                &body,
            )
            .await;
            assert!(status < 300, "PUT {status}");
            for (who, times) in &mut after_write {
                let cookie = if *who == "clerk" { &clerk } else { &admin };
                let started = Instant::now();
                let (status, _, _) =
                    send(&mut sender, "GET", "/app", &[("cookie", cookie)], "").await;
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(status, 200);
            }
        }
    });
    let mut worst_fresh = 0.0f64;
    for (who, mut times) in after_write {
        times.sort_by(f64::total_cmp);
        let p50 = times[times.len() / 2];
        worst_fresh = worst_fresh.max(p50);
        println!(
            "{:<58} {:>8} {:>8.2} {:>8} {:>8.2}",
            format!("{who} /app, each right after a write"),
            "",
            p50,
            "",
            times[times.len() - 1]
        );
    }
    worst_fresh
}
