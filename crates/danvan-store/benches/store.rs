//! Store benchmarks on generated stores of 10k, 100k and 1M records (`cargo xtask bench store`).
//!
//! * `open` against `serde_baseline`: opening must cost at most 1.5× parsing the same shard
//!   files into the same types with serde_json alone.
//! * `durable_put`: one acknowledged (fdatasync'ed) single-record write; the median must stay
//!   under 1 ms, and at 1M within 2× of 10k.
//! * `province_period_query` and `text_search` on the big store.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use danvan_core::dataset::AnyRecord;
use danvan_core::period::{Period, Window};
use danvan_core::record_kind::RecordKind;
use danvan_store::{
    Expected, JsonStore, PeriodFilter, PeriodMatch, ProvinceFilter, ProvinceMap, Query, SortKey,
    Store,
};
use divan::Bencher;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

/// Stores opened once per size and shared by the read benchmarks.
fn opened(n: usize) -> Arc<JsonStore> {
    static OPEN: OnceLock<Mutex<HashMap<usize, Arc<JsonStore>>>> = OnceLock::new();
    let map = OPEN.get_or_init(Default::default);
    let mut map = map.lock().expect("lock");
    map.entry(n)
        .or_insert_with(|| Arc::new(JsonStore::open(&common::store_dir(n)).expect("open")))
        .clone()
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn open(bencher: Bencher<'_, '_>, n: usize) {
    let dir = common::store_dir(n);
    bencher.bench(|| JsonStore::open(&dir).expect("open"));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn serde_baseline(bencher: Bencher<'_, '_>, n: usize) {
    let files = common::shard_files(&common::store_dir(n));
    bencher.bench(|| common::parse_all(&files));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read").flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

fn model(i: usize) -> AnyRecord {
    serde_json::from_value(serde_json::json!({"kind": "model", "record": {
        "id": format!("bench-model-{i}"), "name": "Dân vận khéo trong chuyển đổi số",
        "province": "thai-nguyen", "owning_unit": "Đoàn Thanh niên phường Tân Lập",
        "field": "culture_society", "start_year": 2025}}))
    .expect("model")
}

/// One durable single-record write, on a private copy of the store.
#[divan::bench(args = [10_000, 1_000_000], sample_count = 1000, sample_size = 1)]
fn durable_put(bencher: Bencher<'_, '_>, n: usize) {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&common::store_dir(n), tmp.path());
    let store = JsonStore::open(tmp.path()).expect("open");
    let mut i = 0;
    bencher.bench_local(|| {
        i += 1;
        store.put(model(i), Expected::Absent).expect("put")
    });
}

#[divan::bench(args = [100_000, 1_000_000])]
fn province_period_query(bencher: Bencher<'_, '_>, n: usize) {
    let store = opened(n);
    let q = Query {
        kinds: vec![RecordKind::Observation],
        province: Some(ProvinceFilter {
            province: "thai-nguyen".into(),
            map: ProvinceMap::Current,
        }),
        period: Some(PeriodFilter {
            period: Period::year(2024).expect("year"),
            matching: PeriodMatch::Within,
            window: Window::Calendar,
        }),
        limit: 20,
        ..Query::default()
    };
    assert!(store.query(&q).expect("query").total > 0);
    bencher.bench(|| store.query(&q).expect("query"));
}

#[divan::bench(args = [100_000, 1_000_000], consts = [0, 1, 2])]
fn text_search<const COMMON: usize>(bencher: Bencher<'_, '_>, n: usize) {
    let store = opened(n);
    // A person's name few records hold (typed with diacritics, so their marks are checked), a
    // phrase many hold typed without diacritics, and the same typed with them.
    let text = match COMMON {
        0 => "Triệu Thu Hương",
        1 => "dan van kheo",
        _ => "Dân vận khéo",
    };
    let q = Query {
        text: Some(text.into()),
        sort: SortKey::Relevance,
        limit: 20,
        ..Query::default()
    };
    assert!(store.query(&q).expect("query").total > 0);
    bencher.bench(|| store.query(&q).expect("query"));
}
