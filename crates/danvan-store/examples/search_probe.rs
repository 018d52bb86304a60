//! Runs one text query many times on a generated store, for profiling:
//! `cargo run --release -p danvan-store --example search_probe -- 1000000 "dan van kheo"`.

// Shared with the benchmarks; this probe needs only the store's location.
#[allow(dead_code)]
#[path = "../benches/common.rs"]
mod common;

use danvan_store::{JsonStore, Query, SortKey, Store};

fn main() {
    let mut args = std::env::args().skip(1);
    let records: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let text = args.next().unwrap_or_else(|| "dan van kheo".into());
    let store = JsonStore::open(&common::store_dir(records)).expect("open");
    let q = Query {
        text: Some(text),
        sort: SortKey::Relevance,
        limit: 20,
        ..Query::default()
    };
    let start = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..200 {
        total = store.query(&q).expect("query").total;
    }
    println!(
        "total={total} per_query_ms={:.1}",
        start.elapsed().as_secs_f64() * 1000.0 / 200.0
    );
}
