//! Times the national annual report's figures on a generated in-memory store, for profiling:
//! `cargo run --release -p danvan-report --example national_profile -- RECORDS RUNS`.

use std::time::Instant;

use danvan_core::dataset::Dataset;
use danvan_core::generate::Generator;
use danvan_store::{ImportOptions, MemoryStore, Store};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map_or(1_000_000, |s| s.parse().expect("records"));
    let runs: usize = args.next().map_or(5, |s| s.parse().expect("runs"));
    let store = MemoryStore::new();
    let started = Instant::now();
    let records: Vec<_> = Generator::new(n, 1).records().collect();
    store
        .import(Dataset::from_records(records), ImportOptions::default())
        .expect("import");
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
        let data = danvan_report::build(&store, &scope).expect("report");
        eprintln!(
            "national annual 2024: {:.3} s",
            started.elapsed().as_secs_f64()
        );
        std::hint::black_box(data);
    }
}

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
