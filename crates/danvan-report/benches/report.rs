//! Report benchmarks on the generated 100k- and 1M-record stores (`cargo xtask bench report`).
//!
//! * `national_annual`: the whole country's 2024 report, figures and Markdown; the target is
//!   under 2 s on the 1M-record store.
//! * `province_six_month`: Thái Nguyên's report for 2024S1 (rolling up Bắc Kạn), under 100 ms.
//! * `national_annual_formats`: the same national figures laid out as HTML and DOCX.
//!
//! The stores are opened once, outside the timings: a report is read from an open store, as
//! `danvan serve` does; opening is measured by the store benchmarks.

#[path = "../../danvan-store/benches/common.rs"]
#[allow(dead_code)]
mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use danvan_report::{Format, Lang, ProvinceOrder, Scope, build, render, write};
use danvan_store::{JsonStore, ProvinceMap};
use divan::Bencher;

fn main() {
    divan::main();
}

const SIZES: [usize; 2] = [100_000, 1_000_000];

fn opened(n: usize) -> Arc<JsonStore> {
    static OPEN: OnceLock<Mutex<HashMap<usize, Arc<JsonStore>>>> = OnceLock::new();
    let mut map = OPEN.get_or_init(Default::default).lock().expect("lock");
    map.entry(n)
        .or_insert_with(|| Arc::new(JsonStore::open(&common::store_dir(n)).expect("open")))
        .clone()
}

fn scope(province: Option<&str>, period: &str) -> Scope {
    Scope {
        province: province.map(str::to_string),
        map: ProvinceMap::Current,
        period: period.parse().expect("period"),
        window: Default::default(),
        today: NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
        order: ProvinceOrder::Name,
        include_pending: false,
    }
}

#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn national_annual(bencher: Bencher<'_, '_>, n: usize) {
    let store = opened(n);
    let s = scope(None, "2024");
    bencher.bench(|| render(store.as_ref(), &s, Format::Markdown, Lang::Vi).expect("report"));
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn province_six_month(bencher: Bencher<'_, '_>, n: usize) {
    let store = opened(n);
    let s = scope(Some("thai-nguyen"), "2024S1");
    bencher.bench(|| render(store.as_ref(), &s, Format::Markdown, Lang::Vi).expect("report"));
}

#[divan::bench(args = [Format::Html, Format::Docx], sample_count = 10, sample_size = 1)]
fn national_annual_formats(bencher: Bencher<'_, '_>, format: Format) {
    let store = opened(1_000_000);
    let data = build(store.as_ref(), &scope(None, "2024")).expect("figures");
    bencher.bench(|| write(&data, format, Lang::Vi).expect("layout"));
}
