//! The reporting cycle's national completeness view (`cargo xtask bench cycle`): 34 provinces ×
//! 100 communes each, a six-month form per province, half the communes' reports sent, on a
//! JSON store on disk. The target: under 100 ms. The floor measured in the same run is reading
//! the same units, forms and submissions through the store alone (`visit_floor`), so the view's
//! own work is the difference.

use chrono::NaiveDate;
use danvan_core::dataset::AnyRecord;
use danvan_core::period::Period;
use danvan_core::record_kind::RecordKind;
use danvan_store::{ImportOptions, JsonStore, Query, Store};
use divan::Bencher;

fn main() {
    divan::main();
}

const UNITS_PER_PROVINCE: usize = 100;

fn period() -> Period {
    "2025S2".parse().expect("period")
}

/// The store, built once: 3,400 units, 34 forms, 1,700 sent submissions.
fn store() -> &'static (tempfile::TempDir, JsonStore) {
    static STORE: std::sync::OnceLock<(tempfile::TempDir, JsonStore)> = std::sync::OnceLock::new();
    STORE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = JsonStore::init(dir.path()).expect("init");
        let sent = NaiveDate::from_ymd_opt(2025, 12, 10)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("day");
        let d = danvan_core::generate::national_cycle(UNITS_PER_PROVINCE, period(), sent);
        store.import(d, ImportOptions::default()).expect("import");
        (dir, store)
    })
}

#[divan::bench(sample_count = 50)]
fn national_completeness(bencher: Bencher<'_, '_>) {
    let (_, s) = store();
    let today = NaiveDate::from_ymd_opt(2025, 12, 20).expect("day");
    let lines = danvan_store::cycle::completeness(s, None, period(), today).expect("view");
    assert_eq!(lines.len(), 34 * UNITS_PER_PROVINCE);
    bencher.bench(|| danvan_store::cycle::completeness(s, None, period(), today).expect("view"));
}

#[divan::bench(sample_count = 50)]
fn visit_floor(bencher: Bencher<'_, '_>) {
    let (_, s) = store();
    bencher.bench(|| {
        let mut n = 0usize;
        for kind in [RecordKind::Form, RecordKind::Unit, RecordKind::Submission] {
            s.visit(
                &Query {
                    kinds: vec![kind],
                    ..Query::default()
                },
                &mut |r| n += usize::from(!matches!(r.to_owned(), AnyRecord::Indicator(_))),
            )
            .expect("visit");
        }
        n
    });
}
