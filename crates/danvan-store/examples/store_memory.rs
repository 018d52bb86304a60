//! Opens a generated store and reports its resident memory against its size on disk, then
//! times opening against parsing the same files with serde_json alone, interleaved so that
//! drift on a shared machine hits both alike:
//! `cargo run --release -p danvan-store --example store_memory -- 1000000`.

#[path = "../benches/common.rs"]
mod common;

use std::time::Instant;

use danvan_store::{JsonStore, Store};

fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn main() {
    let records: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let dir = common::store_dir(records);
    let disk = common::disk_size(&dir);
    let before = rss_bytes();
    let start = Instant::now();
    let store = JsonStore::open(&dir).expect("open");
    let took = start.elapsed();
    let after = rss_bytes();
    let n = store.len().expect("len");
    drop(store);
    // Interleaved timings: parse, open, parse, open, …
    let files = common::shard_files(&dir);
    let rounds = if records >= 1_000_000 { 5 } else { 9 };
    let (mut parse, mut open) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(common::parse_all(&files));
        parse.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let s = JsonStore::open(&dir).expect("open");
        open.push(t.elapsed().as_secs_f64());
        drop(s);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (p, o) = (median(&mut parse), median(&mut open));
    println!(
        "records={n} serde_parse_median_s={p:.3} open_median_s={o:.3} open_over_parse={:.2} (rounds={rounds})",
        o / p
    );
    println!(
        "records={n} open_s={:.2} disk_mb={:.1} rss_mb={:.1} rss_over_disk={:.2}",
        took.as_secs_f64(),
        disk as f64 / 1e6,
        after as f64 / 1e6,
        (after - before) as f64 / disk as f64
    );
}
