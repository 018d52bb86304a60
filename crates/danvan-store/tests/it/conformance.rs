//! The store contract, run on every backend: what a front end may rely on whatever stores the
//! records. Each check takes a fresh store; `conformance!` runs them all on one backend. The
//! JSON store and the in-memory store pass it; a new backend (PostgreSQL) adds one line.
//!
//! Revisions: an empty store is at 0; every committed write adds exactly 1 (a write that
//! changes nothing, or is refused, adds none), so revisions are gap-free in commit order, and a
//! record's revision is the revision of the write that last changed it.

use danvan_core::dataset::{AnyRecord, Dataset};
use danvan_core::record_kind::RecordKind;
use danvan_store::{
    Action, Author, Expected, ImportOptions, JsonStore, MemoryStore, Op, ProvinceFilter,
    ProvinceMap, Query, SortKey, Store, StoreError,
};

use crate::{demo_dir, model, record};

/// A store under test, with whatever keeps it alive.
pub(crate) struct Backend {
    pub(crate) store: Box<dyn Store>,
    /// A temporary directory or database, removed when the test ends.
    _keep: Option<Box<dyn std::any::Any>>,
}

pub(crate) fn json() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let store = JsonStore::init(dir.path()).unwrap();
    Backend {
        store: Box::new(store),
        _keep: Some(Box::new(dir)),
    }
}

#[cfg(feature = "postgres")]
pub(crate) fn postgres() -> Backend {
    let db = danvan_store::pg::scratch::ScratchDb::new("conformance");
    let store = danvan_store::PgStore::init(db.url()).unwrap();
    Backend {
        store: Box::new(store),
        _keep: Some(Box::new(db)),
    }
}

pub(crate) fn memory() -> Backend {
    Backend {
        store: Box::new(MemoryStore::new()),
        _keep: None,
    }
}

fn demo() -> Dataset {
    danvan_store::dataset_dir::load(&demo_dir()).unwrap()
}

fn id(s: &str) -> danvan_core::id::RecordId {
    s.parse().unwrap()
}

fn ids(store: &dyn Store, q: &Query) -> Vec<String> {
    let mut out = Vec::new();
    let mut q = q.clone();
    loop {
        let page = store.query(&q).unwrap();
        out.extend(page.items.iter().map(|h| h.stored.record.id().to_string()));
        match page.next {
            Some(c) => q.cursor = Some(c),
            None => return out,
        }
    }
}

pub(crate) fn revisions_count_committed_writes(s: &dyn Store) {
    assert_eq!(s.revision().unwrap(), 0);
    let r = s.put(model("a", "Một"), Expected::Absent).unwrap();
    assert_eq!((r.revision, s.revision().unwrap()), (1, 1));
    // The same content again changes nothing.
    let same = s.put(model("a", "Một"), Expected::Any).unwrap();
    assert_eq!((same.revision, same.changes.len()), (1, 0));
    // Refused writes add nothing.
    assert!(matches!(
        s.put(model("a", "Hai"), Expected::Absent),
        Err(StoreError::Conflict { .. })
    ));
    let mut bad = serde_json::to_value(model("b", "Hai")).unwrap();
    bad["record"]["start_year"] = serde_json::json!(1800);
    assert!(matches!(
        s.put(serde_json::from_value(bad).unwrap(), Expected::Any),
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(s.revision().unwrap(), 1);
    s.put(model("a", "Hai"), Expected::Revision(1)).unwrap();
    let stored = s.get(RecordKind::Model, &id("a")).unwrap().unwrap();
    assert_eq!(stored.revision, 2);
    assert!(matches!(
        s.put(model("a", "Ba"), Expected::Revision(1)),
        Err(StoreError::Conflict {
            actual: Some(2),
            ..
        })
    ));
}

/// What `get_now_with` and `query_now_with` lend is what `get` and `query` return (when the
/// store can answer at once at all), and a province's list holds each kind's own records after
/// deletes, moves and rows reused by another kind.
pub(crate) fn lent_reads_match_reads(s: &dyn Store) {
    let conference = |id: &str, province: &str| {
        record(serde_json::json!({"kind": "conference", "record": {
            "id": id, "title": "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024",
            "province": province, "date": "2024-07-10", "kinds": ["six_month_review"],
            "hosts": ["Ban Dân vận Tỉnh ủy"], "chairs": [], "participating_units": [],
            "format": {"mode": "in_person"}}}))
    };
    s.put(conference("c-1", "thai-nguyen"), Expected::Absent)
        .unwrap();
    s.put(conference("c-2", "thai-nguyen"), Expected::Absent)
        .unwrap();
    s.delete(RecordKind::Conference, &id("c-1"), Expected::Any, false)
        .unwrap();
    // A model takes the place the deleted conference left, in the same province.
    s.put(model("m-1", "Mô hình Dân vận khéo"), Expected::Absent)
        .unwrap();
    // A conference moves away.
    s.put(conference("c-2", "lao-cai"), Expected::Any).unwrap();
    s.put(conference("c-3", "thai-nguyen"), Expected::Absent)
        .unwrap();
    s.import(demo(), ImportOptions::default()).unwrap();
    let in_tn = |kinds: Vec<RecordKind>| Query {
        province: Some(ProvinceFilter {
            province: "thai-nguyen".into(),
            map: ProvinceMap::Current,
        }),
        kinds,
        limit: 1000,
        ..Query::default()
    };
    let conferences = ids(s, &in_tn(vec![RecordKind::Conference]));
    assert!(conferences.contains(&"c-3".to_string()), "{conferences:?}");
    assert!(
        !conferences
            .iter()
            .any(|c| c == "c-1" || c == "c-2" || c == "m-1")
    );
    let models = ids(s, &in_tn(vec![RecordKind::Model]));
    assert_eq!(
        models.iter().filter(|m| *m == "m-1").count(),
        1,
        "{models:?}"
    );
    let both = ids(s, &in_tn(vec![RecordKind::Conference, RecordKind::Model]));
    assert_eq!(both.len(), conferences.len() + models.len());

    let queries = [
        in_tn(vec![RecordKind::Conference]),
        in_tn(Vec::new()),
        Query {
            limit: 3,
            sort: SortKey::Date,
            ..in_tn(vec![RecordKind::Conference, RecordKind::Directive])
        },
        Query {
            indicator: Some(id("complaints_resolved")),
            ..Query::default()
        },
    ];
    if let Some(now) = s.revision_now() {
        assert_eq!(now.unwrap(), s.revision().unwrap());
    }
    for q in &queries {
        let mut lent = None;
        if let Some(done) = s.query_now_with(q, &mut |page| lent = Some(page.to_owned())) {
            done.unwrap();
            let page = s.query(q).unwrap();
            assert_eq!(lent.as_ref(), Some(&page), "{q:?}");
            // A page is read at the revision `revision_now` names.
            if let Some(now) = s.revision_now() {
                assert_eq!(now.unwrap(), page.revision, "{q:?}");
            }
        }
        // Visited and shared records are the exported ones, whole, paging aside.
        let mut exported: Vec<AnyRecord> = s.export(Some(q)).unwrap().dataset.records().collect();
        let mut visited = Vec::new();
        s.visit(q, &mut |r| visited.push(r.to_owned())).unwrap();
        let mut shared = Vec::new();
        s.visit_shared(q, &mut |r| shared.push(r.as_ref().to_owned()))
            .unwrap();
        let key = |r: &AnyRecord| (r.kind(), r.id().to_string());
        for v in [&mut exported, &mut visited, &mut shared] {
            v.sort_by_key(key);
        }
        assert!(!exported.is_empty(), "{q:?}");
        assert_eq!(visited, exported, "{q:?}");
        assert_eq!(shared, exported, "{q:?}");
    }
    lent_records_match_records(s);
}

/// Every record `get_now_with` lends (and one it cannot find) is what `get` returns.
fn lent_records_match_records(s: &dyn Store) {
    let everything = s.export(None).unwrap();
    let mut keys: Vec<(RecordKind, String)> = everything
        .dataset
        .iter()
        .map(|r| (r.kind(), r.id().to_string()))
        .collect();
    keys.push((RecordKind::Model, "no-such-model".into()));
    for (kind, key) in keys {
        let mut lent = None;
        if let Some(done) = s.get_now_with(kind, &id(&key), &mut |found| {
            lent = Some(found.map(|st| (st.revision, st.record.to_owned())));
        }) {
            done.unwrap();
            let owned = s
                .get(kind, &id(&key))
                .unwrap()
                .map(|st| (st.revision, st.record));
            assert_eq!(lent, Some(owned), "{kind:?} {key}");
        }
    }
}

pub(crate) fn a_batch_is_all_or_nothing(s: &dyn Store) {
    let mut bad = serde_json::to_value(model("bad", "Sai")).unwrap();
    bad["record"]["province"] = serde_json::json!("atlantis");
    let err = s
        .apply(vec![
            Op::Put {
                record: model("good", "Đúng"),
                expected: Expected::Absent,
            },
            Op::Put {
                record: serde_json::from_value(bad).unwrap(),
                expected: Expected::Absent,
            },
        ])
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    assert_eq!(s.revision().unwrap(), 0);
    assert!(s.get(RecordKind::Model, &id("good")).unwrap().is_none());
}

pub(crate) fn references_hold_and_deletes_cascade(s: &dyn Store) {
    let indicator = record(serde_json::json!({"kind": "indicator", "record": {
        "id": "hop_thu", "name_vi": "Hộp thư góp ý", "name_en": "Suggestion boxes",
        "unit": "hộp", "measure": "count", "direction": "higher_is_better"}}));
    let observation = record(serde_json::json!({"kind": "observation", "record": {
        "id": "tn-2024-hop-thu", "indicator": "hop_thu", "province": "thai-nguyen",
        "period": "2024", "value": 12}}));
    s.put(indicator, Expected::Absent).unwrap();
    s.put(observation, Expected::Absent).unwrap();
    assert_eq!(
        s.referrers(RecordKind::Indicator, &id("hop_thu")).unwrap(),
        [(RecordKind::Observation, id("tn-2024-hop-thu"))]
    );
    assert!(matches!(
        s.delete(RecordKind::Indicator, &id("hop_thu"), Expected::Any, false),
        Err(StoreError::Referenced { .. })
    ));
    let receipt = s
        .delete(RecordKind::Indicator, &id("hop_thu"), Expected::Any, true)
        .unwrap();
    let mut deleted: Vec<(RecordKind, String)> = receipt
        .changes
        .iter()
        .filter(|c| c.action == Action::Deleted)
        .map(|c| (c.kind, c.id.to_string()))
        .collect();
    deleted.sort();
    assert_eq!(
        deleted,
        [
            (RecordKind::Indicator, "hop_thu".to_string()),
            (RecordKind::Observation, "tn-2024-hop-thu".to_string())
        ]
    );
    // A reference to nothing is refused.
    let orphan = record(serde_json::json!({"kind": "observation", "record": {
        "id": "orphan", "indicator": "hop_thu", "province": "thai-nguyen",
        "period": "2024", "value": 1}}));
    assert!(s.put(orphan, Expected::Any).is_err());
}

pub(crate) fn imports_are_whole_and_dry_runs_write_nothing(s: &dyn Store) {
    let dry = s
        .import(
            demo(),
            ImportOptions {
                dry_run: true,
                ..ImportOptions::default()
            },
        )
        .unwrap();
    assert!(!dry.has_errors() && dry.created > 50, "{dry:?}");
    assert_eq!(s.revision().unwrap(), 0);
    let mut broken = demo();
    broken.models[0].start_year = 1800;
    let refused = s.import(broken, ImportOptions::default()).unwrap();
    assert!(refused.has_errors());
    assert_eq!(s.revision().unwrap(), 0);
    let done = s.import(demo(), ImportOptions::default()).unwrap();
    assert_eq!((done.created, done.revision), (dry.created, 1));
    let again = s.import(demo(), ImportOptions::default()).unwrap();
    assert_eq!(
        (again.created, again.unchanged, again.revision),
        (0, dry.created, 1)
    );
    assert!(s.validate().unwrap().iter().all(|p| !p.is_error()));
}

pub(crate) fn queries_filter_sort_and_page_alike(s: &dyn Store) {
    s.import(demo(), ImportOptions::default()).unwrap();
    // Today's Thái Nguyên holds Bắc Kạn's records; as recorded it does not.
    let tn = |map| Query {
        province: Some(ProvinceFilter {
            province: "Thái Nguyên".into(),
            map,
        }),
        kinds: vec![RecordKind::Conference],
        ..Query::default()
    };
    let current = ids(s, &tn(ProvinceMap::Current));
    let recorded = ids(s, &tn(ProvinceMap::AsRecorded));
    assert!(current.iter().any(|i| i.starts_with("bk-")), "{current:?}");
    assert!(
        !recorded.iter().any(|i| i.starts_with("bk-")),
        "{recorded:?}"
    );
    // Text without diacritics finds text with them.
    let found = ids(
        s,
        &Query {
            text: Some("dan van kheo".into()),
            ..Query::default()
        },
    );
    assert!(!found.is_empty());
    // Paging by 3 gives what one page gives, once each.
    let all = ids(
        s,
        &Query {
            sort: SortKey::Title,
            limit: 1000,
            ..Query::default()
        },
    );
    let paged = ids(
        s,
        &Query {
            sort: SortKey::Title,
            limit: 3,
            ..Query::default()
        },
    );
    assert_eq!(paged, all);
    assert_eq!(all.len(), s.export(None).unwrap().dataset.len());
}

pub(crate) fn the_feed_and_histories_follow_every_write(s: &dyn Store) {
    let lan = Author::new("Nguyễn Thị Lan").with_reason(Some("sửa theo báo cáo"));
    s.put_by(model("a", "Một"), Expected::Absent, &lan).unwrap();
    s.put(model("a", "Hai"), Expected::Revision(1)).unwrap();
    s.delete_by(RecordKind::Model, &id("a"), Expected::Any, false, &lan)
        .unwrap();
    let page = s.changes("0", 10).unwrap();
    let seen: Vec<(u64, Action, String)> = page
        .items
        .iter()
        .map(|c| (c.revision, c.action, c.author.actor.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (1, Action::Created, "Nguyễn Thị Lan".to_string()),
            (2, Action::Updated, Author::UNNAMED.to_string()),
            (3, Action::Deleted, "Nguyễn Thị Lan".to_string()),
        ]
    );
    assert!(page.items[2].record.is_none(), "a tombstone");
    let history = s.history(RecordKind::Model, &id("a")).unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[1].changes.len(), 1);
    assert_eq!(history[1].changes[0].field, "name");
    assert!(s.changes("3", 10).unwrap().items.is_empty());
}

/// A page may end inside a commit: its `next` then names the op (`1.3`), and the pages join
/// to the whole feed.
pub(crate) fn feed_pages_split_a_commit_and_join(s: &dyn Store) {
    let batch: Vec<Op> = (0..5)
        .map(|i| Op::Put {
            record: model(&format!("m{i}"), &format!("Mô hình {i}")),
            expected: Expected::Absent,
        })
        .collect();
    s.apply(batch).unwrap();
    s.put(model("z", "Mô hình cuối"), Expected::Absent).unwrap();
    let whole: Vec<(u64, String)> = s
        .changes("0", 100)
        .unwrap()
        .items
        .iter()
        .map(|e| (e.revision, e.id.to_string()))
        .collect();
    assert_eq!(whole.len(), 6);
    let (mut after, mut paged, mut nexts) = ("0".to_string(), Vec::new(), Vec::new());
    loop {
        let page = s.changes(&after, 2).unwrap();
        paged.extend(page.items.iter().map(|e| (e.revision, e.id.to_string())));
        match page.next {
            Some(n) => {
                nexts.push(n.clone());
                after = n;
            }
            None => break,
        }
    }
    assert_eq!(paged, whole);
    assert_eq!(nexts, ["1.1", "1.3"]);
    assert_eq!(s.changes("1.4", 10).unwrap().items.len(), 1);
    assert!(matches!(s.changes("x.1", 10), Err(StoreError::BadQuery(_))));
}

pub(crate) fn exports_read_back_into_any_backend(s: &dyn Store) {
    s.import(demo(), ImportOptions::default()).unwrap();
    let export = s.export(None).unwrap();
    let text = serde_json::to_string(&export).unwrap();
    for other in [json(), memory()] {
        let back: danvan_store::Export = serde_json::from_str(&text).unwrap();
        let report = other
            .store
            .import(back.dataset, ImportOptions::default())
            .unwrap();
        assert!(!report.has_errors());
        let records = |st: &dyn Store| -> Vec<AnyRecord> {
            st.export(None).unwrap().dataset.records().collect()
        };
        assert_eq!(records(other.store.as_ref()), records(s));
    }
}

/// Runs every check on a backend made by `$make`.
macro_rules! conformance {
    ($backend:ident, $make:expr) => {
        mod $backend {
            use super::*;

            #[test]
            fn revisions_count_committed_writes() {
                super::revisions_count_committed_writes($make.store.as_ref());
            }
            #[test]
            fn lent_reads_match_reads() {
                super::lent_reads_match_reads($make.store.as_ref());
            }
            #[test]
            fn a_batch_is_all_or_nothing() {
                super::a_batch_is_all_or_nothing($make.store.as_ref());
            }
            #[test]
            fn references_hold_and_deletes_cascade() {
                super::references_hold_and_deletes_cascade($make.store.as_ref());
            }
            #[test]
            fn imports_are_whole_and_dry_runs_write_nothing() {
                super::imports_are_whole_and_dry_runs_write_nothing($make.store.as_ref());
            }
            #[test]
            fn queries_filter_sort_and_page_alike() {
                super::queries_filter_sort_and_page_alike($make.store.as_ref());
            }
            #[test]
            fn the_feed_and_histories_follow_every_write() {
                super::the_feed_and_histories_follow_every_write($make.store.as_ref());
            }
            #[test]
            fn feed_pages_split_a_commit_and_join() {
                super::feed_pages_split_a_commit_and_join($make.store.as_ref());
            }
            #[test]
            fn exports_read_back_into_any_backend() {
                super::exports_read_back_into_any_backend($make.store.as_ref());
            }
        }
    };
}

conformance!(json_store, json());
conformance!(memory_store, memory());
#[cfg(feature = "postgres")]
conformance!(postgres_store, postgres());
