//! The reporting cycle's national completeness view (`cargo xtask bench cycle`): 34 provinces ×
//! 100 communes each, a six-month form per province, half the communes' reports sent, on a
//! JSON store on disk. The target: under 100 ms. The floor measured in the same run is reading
//! the same units, forms and submissions through the store alone (`visit_floor`), so the view's
//! own work is the difference.

use chrono::NaiveDate;
use danvan_core::cycle::{Action, ReportForm, Submission};
use danvan_core::dataset::{AnyRecord, Dataset};
use danvan_core::period::{Period, Window};
use danvan_core::province::{ProvinceRef, registry};
use danvan_core::record_kind::RecordKind;
use danvan_core::unit::Unit;
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
        let (_, end) = period().date_range(Window::Calendar);
        let mut d = Dataset::default();
        let sent = NaiveDate::from_ymd_opt(2025, 12, 10)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("day");
        for p in registry().valid_at(end) {
            let form: ReportForm = serde_json::from_value(serde_json::json!({
                "id": format!("{}-6-thang-xa", p.slug), "name": "Báo cáo công tác dân vận 6 tháng",
                "province": p.slug, "period_kind": "half", "level": "commune",
                "indicators": ["dialogues_held"], "due_days_after_end": -15
            }))
            .expect("form");
            for i in 0..UNITS_PER_PROVINCE {
                let unit: Unit = serde_json::from_value(serde_json::json!({
                    "id": format!("{}-xa-{i}", p.slug), "name": format!("xã Số {i}"),
                    "level": "commune", "province": p.slug, "from": "2025-07-01"
                }))
                .expect("unit");
                if i % 2 == 0 {
                    let mut s = Submission::new(
                        format!("{}-xa-{i}-2025s2", p.slug).parse().expect("id"),
                        &form,
                        1,
                        Some(unit.id.clone()),
                        ProvinceRef::new(p.slug),
                        period(),
                    );
                    s.step(Action::Send, "xa", sent, None, true).expect("send");
                    d.submissions.push(s);
                }
                d.units.push(unit);
            }
            d.forms.push(form);
        }
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
