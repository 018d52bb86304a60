//! Generated stores for the benchmarks and the memory probe, built once and cached under
//! `target/bench-stores/<records>`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use danvan_core::dataset::Dataset;
use danvan_core::generate::Generator;
use danvan_store::{ImportOptions, JsonStore, Store};

/// The seed every benchmark store is generated from.
pub(crate) const SEED: u64 = 1;

/// The directory of the cached store of `records` records, creating it if missing.
pub(crate) fn store_dir(records: usize) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-stores");
    let dir = root.join(records.to_string());
    if dir.join("danvan-store.json").exists() {
        return dir;
    }
    let building = root.join(format!("{records}.building"));
    let _ = std::fs::remove_dir_all(&building);
    let start = Instant::now();
    let store = JsonStore::init(&building).expect("init bench store");
    let dataset = Dataset::from_records(Generator::new(records, SEED).records());
    let report = store
        .import(dataset, ImportOptions::default())
        .expect("import");
    assert!(
        !report.has_errors(),
        "generated data has errors: {:?}",
        &report.problems[..3.min(report.problems.len())]
    );
    store.compact().expect("compact");
    drop(store);
    std::fs::rename(&building, &dir).expect("move bench store into place");
    eprintln!(
        "built {records}-record store in {:.1}s at {}",
        start.elapsed().as_secs_f64(),
        dir.display()
    );
    dir
}

/// Bytes of all files under `dir`.
#[allow(dead_code)] // used by the memory probe, not by the benchmark
pub(crate) fn disk_size(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        total += if p.is_dir() {
            disk_size(&p)
        } else {
            e.metadata().map_or(0, |m| m.len())
        };
    }
    total
}

/// The shard files of a store: `(kind directory, path)`.
pub(crate) fn shard_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for kind in std::fs::read_dir(dir.join("records"))
        .expect("records")
        .flatten()
    {
        let kind_name = kind.file_name().to_string_lossy().into_owned();
        for province in std::fs::read_dir(kind.path()).expect("kind").flatten() {
            for file in std::fs::read_dir(province.path())
                .expect("province")
                .flatten()
            {
                out.push((kind_name.clone(), file.path()));
            }
        }
    }
    out.sort();
    out
}

#[derive(serde::Deserialize)]
#[allow(dead_code)] // the fields are what is parsed; only the records are counted
struct Shard<T> {
    kind: danvan_core::record_kind::RecordKind,
    records: Vec<danvan_store::Stored<T>>,
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> usize {
    serde_json::from_slice::<Shard<T>>(bytes)
        .expect("parse")
        .records
        .len()
}

/// Reads and parses every shard file into the record types with serde_json alone, on one
/// thread: the cost the store's open is measured against.
pub(crate) fn parse_all(files: &[(String, PathBuf)]) -> usize {
    use danvan_core::{conference::Conference, directive::Directive, indicator, model::Model};
    files
        .iter()
        .map(|(kind, path)| {
            let bytes = std::fs::read(path).expect("read");
            match kind.as_str() {
                "directives" => parse::<Directive>(&bytes),
                "conferences" => parse::<Conference>(&bytes),
                "models" => parse::<Model>(&bytes),
                "indicators" => parse::<indicator::IndicatorDefinition>(&bytes),
                _ => parse::<indicator::Observation>(&bytes),
            }
        })
        .sum()
}
