//! Times the national annual report's figures on a generated store, for profiling and for the
//! 10M-record figure: `cargo run --release -p danvan-report --example national_profile --
//! RECORDS RUNS [DIR]`. Without `DIR` the records go into a `MemoryStore`; with it, into a JSON
//! store there (built once, in batches of a million records, and reused), opened again as
//! `danvan serve` opens it.

use std::time::Instant;

use danvan_core::dataset::Dataset;
use danvan_core::generate::Generator;
use danvan_store::{ImportOptions, JsonStore, MemoryStore, Store};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map_or(1_000_000, |s| s.parse().expect("records"));
    let runs: usize = args.next().map_or(5, |s| s.parse().expect("runs"));
    let dir = args.next().map(std::path::PathBuf::from);
    let started = Instant::now();
    let store: Box<dyn Store> = match dir {
        None => {
            let store = MemoryStore::new();
            let records: Vec<_> = Generator::new(n, 1).records().collect();
            store
                .import(Dataset::from_records(records), ImportOptions::default())
                .expect("import");
            Box::new(store)
        }
        Some(dir) => {
            if !dir.exists() {
                fill(&JsonStore::init(&dir).expect("init"), n);
                eprintln!("built in {:.1} s", started.elapsed().as_secs_f64());
            }
            let started = Instant::now();
            let store = JsonStore::open(&dir).expect("open");
            eprintln!("opened in {:.1} s", started.elapsed().as_secs_f64());
            Box::new(store)
        }
    };
    eprintln!("{n} records in {:.1} s", started.elapsed().as_secs_f64());
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        for line in status
            .lines()
            .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        {
            eprintln!("{line}");
        }
    }
    let scope = danvan_report::Scope::new(
        None,
        "2024".parse().expect("period"),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
    );
    for _ in 0..runs {
        let started = Instant::now();
        let data = danvan_report::build(store.as_ref(), &scope).expect("report");
        eprintln!(
            "national annual 2024: {:.3} s",
            started.elapsed().as_secs_f64()
        );
        std::hint::black_box(data);
    }
}

/// Records per import when building a JSON store: large batches, since each journal line is
/// fsync'ed and the store folds its journal into shards as it grows.
const BATCH: usize = 1_000_000;

/// Imports `n` generated records in batches (`Generator::batches`).
fn fill(store: &dyn Store, n: usize) {
    for batch in Generator::new(n, 1).batches(BATCH) {
        let report = store
            .import(Dataset::from_records(batch), ImportOptions::default())
            .expect("import");
        assert!(!report.has_errors(), "{:?}", report.problems.first());
    }
    store.compact().expect("compact");
}

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
