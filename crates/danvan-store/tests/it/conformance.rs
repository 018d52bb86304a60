//! The store contract, run on every backend: what a front end may rely on whatever stores the
//! records. Each check takes a fresh store; `conformance!` runs them all on one backend. The
//! JSON store and the in-memory store pass it; a new backend (PostgreSQL) adds one line.
//!
//! Revisions: an empty store is at 0; every committed write adds exactly 1 (a write that
//! changes nothing, or is refused, adds none), so revisions are gap-free in commit order, and a
//! record's revision is the revision of the write that last changed it.

use danvan_core::dataset::{AnyRecord, Dataset};
use danvan_core::province::ProvinceRef;
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
        Err(StoreError::RecordExists { revision: 1, .. })
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
    broken.models[0].start_year = Some(1800);
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

/// One write of a feed script: its number of ops (1 or more) and a selector of what they are.
/// A selector of 3 modulo 4 is an import (new records and changed ones); any other is a batch
/// through `apply` whose ops cycle through create, update and delete from the selector on.
pub(crate) type Step = (u8, u8);

/// A change as a follower keeps it: revision, ID, action and the record as written.
type Seen = (u64, String, Action, serde_json::Value);

fn seen(e: &danvan_store::FeedEntry) -> Seen {
    (
        e.revision,
        e.id.to_string(),
        e.action,
        serde_json::to_value(&e.record).unwrap(),
    )
}

/// A follower of the feed with its page size: where it is and what it has seen.
struct Follower {
    size: usize,
    position: String,
    seen: Vec<Seen>,
}

impl Follower {
    /// Reads one page; whether more follow. Where none do, the next page starts at the
    /// revision this one was read at.
    fn pull(&mut self, s: &dyn Store) -> bool {
        let page = s
            .changes(&self.position, self.size)
            .unwrap_or_else(|e| panic!("page size {} after {}: {e}", self.size, self.position));
        assert!(page.items.len() <= self.size);
        self.seen.extend(page.items.iter().map(seen));
        match page.next {
            Some(n) => {
                assert_eq!(
                    page.items.len(),
                    self.size,
                    "a page short of its size goes on"
                );
                self.position = n;
                true
            }
            None => {
                self.position = page.revision.to_string();
                false
            }
        }
    }
}

/// The records a feed script has written: those alive, and counters for new IDs and names.
#[derive(Default)]
struct Script {
    live: Vec<String>,
    fresh: usize,
    version: usize,
}

impl Script {
    /// Writes one step of `n` ops chosen by `sel` (see [`Step`]); what each op did to which
    /// record, by ID.
    fn write(&mut self, s: &dyn Store, n: usize, sel: u8) -> Vec<(String, Action)> {
        let mut touched: Vec<(String, Action)> = Vec::new();
        let mut records = Vec::new();
        let mut ops = Vec::new();
        for i in 0..n {
            self.version += 1;
            let untouched = self
                .live
                .iter()
                .position(|id| !touched.iter().any(|(t, _)| t == id));
            let what = if sel % 4 == 3 {
                i % 2
            } else {
                (usize::from(sel) + i) % 3
            };
            let (id, action) = match (what, untouched) {
                (1, Some(at)) => (self.live[at].clone(), Action::Updated),
                (2, Some(at)) => (self.live.remove(at), Action::Deleted),
                _ => {
                    self.fresh += 1;
                    let id = format!("f{}", self.fresh);
                    self.live.push(id.clone());
                    (id, Action::Created)
                }
            };
            if action == Action::Deleted {
                ops.push(Op::Delete {
                    kind: RecordKind::Model,
                    id: id.parse().unwrap(),
                    expected: Expected::Any,
                    cascade: false,
                });
            } else {
                let r = model(&id, &format!("Mô hình {id}, bản {}", self.version));
                records.push(r.clone());
                let expected = if action == Action::Created {
                    Expected::Absent
                } else {
                    Expected::Any
                };
                ops.push(Op::Put {
                    record: r,
                    expected,
                });
            }
            touched.push((id, action));
        }
        if sel % 4 == 3 {
            let report = s
                .import(Dataset::from_records(records), ImportOptions::default())
                .unwrap();
            assert!(!report.has_errors(), "{:#?}", report.problems);
        } else {
            s.apply(ops).unwrap();
        }
        touched.sort_by(|a, b| a.0.cmp(&b.0));
        touched
    }
}

/// Writes `steps`, while a follower for every page size from 1 to past the whole feed pulls
/// one page after each write (so followers lag behind across writes, journal rotations and
/// compactions); then each reads to the end. Every follower has seen exactly the whole feed
/// read in one page, which holds each write's changes in order, and replaying it gives the
/// store's records. A position beyond the store's revision is an error, not an empty page.
pub(crate) fn followers_never_skip_or_repeat(s: &dyn Store, steps: &[Step]) {
    let total: usize = steps.iter().map(|(n, _)| usize::from((*n).max(1))).sum();
    let mut followers: Vec<Follower> = (1..=total + 1)
        .map(|size| Follower {
            size,
            position: "0".into(),
            seen: Vec::new(),
        })
        .collect();
    let mut script = Script::default();
    let mut written: Vec<Vec<(String, Action)>> = Vec::new();
    for &(n, sel) in steps {
        written.push(script.write(s, usize::from(n.max(1)), sel));
        for f in &mut followers {
            f.pull(s);
        }
    }
    for f in &mut followers {
        while f.pull(s) {}
    }
    // The whole feed, in one page, is what was written: one revision per write, in order.
    let whole: Vec<Seen> = s
        .changes("0", danvan_store::MAX_LIMIT)
        .unwrap()
        .items
        .iter()
        .map(seen)
        .collect();
    let mut by_revision: Vec<Vec<(String, Action)>> = vec![Vec::new(); steps.len()];
    for (rev, id, action, _) in &whole {
        by_revision[usize::try_from(*rev).unwrap() - 1].push((id.clone(), *action));
    }
    for r in &mut by_revision {
        r.sort_by(|a, b| a.0.cmp(&b.0));
    }
    assert_eq!(by_revision, written);
    for f in &followers {
        assert_eq!(f.seen, whole, "following pages of {}", f.size);
    }
    // Replaying the feed gives the store.
    let mut replayed = std::collections::BTreeMap::new();
    for (_, id, action, record) in whole {
        match action {
            Action::Deleted => replayed.remove(&id),
            _ => replayed.insert(id, record),
        };
    }
    let stored: std::collections::BTreeMap<String, serde_json::Value> = s
        .export(None)
        .unwrap()
        .dataset
        .records()
        .map(|r| (r.id().to_string(), serde_json::to_value(Some(&r)).unwrap()))
        .collect();
    assert_eq!(replayed, stored);
    // Beyond the store's revision: an error that says so, whole or inside a revision.
    let latest = s.revision().unwrap();
    for beyond in [format!("{}", latest + 1), format!("{}.0", latest + 1)] {
        let e = s.changes(&beyond, 10).unwrap_err();
        assert!(
            matches!(&e, StoreError::FeedAhead { latest: l, .. } if *l == latest),
            "{e}"
        );
    }
    assert!(s.changes(&latest.to_string(), 10).unwrap().items.is_empty());
}

/// Every page size over a script of batches, imports, updates and deletes.
pub(crate) fn feed_followers_never_skip_or_repeat(s: &dyn Store) {
    followers_never_skip_or_repeat(
        s,
        &[
            (5, 0),
            (1, 1),
            (6, 3),
            (3, 2),
            (4, 1),
            (2, 0),
            (6, 2),
            (1, 3),
            (5, 5),
        ],
    );
}

/// An export says each record's own revision (the write that last changed it), as a read
/// does; read back, it is ignored.
pub(crate) fn exports_carry_each_records_revision(s: &dyn Store) {
    s.import(demo(), ImportOptions::default()).unwrap();
    s.put(model("a", "Một"), Expected::Absent).unwrap();
    s.put(model("a", "Hai"), Expected::Revision(2)).unwrap();
    let export = s.export(None).unwrap();
    let mut n = 0;
    for (record, revision) in export.lines() {
        let stored = s.get(record.kind(), record.id()).unwrap().unwrap();
        assert_eq!(
            revision,
            Some(stored.revision),
            "{} {}",
            record.kind(),
            record.id()
        );
        n += 1;
    }
    assert_eq!(n, export.dataset.len());
    assert_eq!(export.revision_of(RecordKind::Model, &id("a")), Some(3));
    assert_eq!(export.revisions["models"]["a"], 3);
    let text = serde_json::to_string(&export).unwrap();
    let back: danvan_store::Export = serde_json::from_str(&text).unwrap();
    assert_eq!(back, export);
    let line = serde_json::to_value(danvan_store::ExportLine {
        record: &model("a", "Hai"),
        revision: Some(3),
    })
    .unwrap();
    assert_eq!(line["revision"], 3);
    let read: AnyRecord = serde_json::from_value(line).unwrap();
    assert_eq!(read, model("a", "Hai"));
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
/// A record of every kind that can name a province, for `unit` (a registry entry, valid at
/// `year`): a model and a directive, and a conference reviewing `reviewed` (directive IDs).
fn records_of(slug: &str, year: i32, tag: &str, reviewed: &[String]) -> [AnyRecord; 3] {
    let province = if slug.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::Value::String(slug.into())
    };
    let mut directive = serde_json::json!({"id": format!("d-{tag}"), "number": "05-ĐA/TU",
        "doc_type": "scheme", "issuer": "Tỉnh ủy", "title": "Đề án",
        "issued_on": format!("{year}-04-12"), "province": province});
    let mut conference = serde_json::json!({"id": format!("c-{tag}"), "kinds": ["thematic"],
        "title": "Hội nghị chuyên đề", "date": format!("{year}-05-02"), "province": province,
        "hosts": ["Ban Dân vận"], "format": {"mode": "in_person"},
        "reviewed_directives": reviewed});
    if slug.is_empty() {
        directive.as_object_mut().unwrap().remove("province");
        conference.as_object_mut().unwrap().remove("province");
    }
    [
        record(
            serde_json::json!({"kind": "model", "record": {"id": format!("m-{tag}"),
            "name": "Mô hình", "province": if slug.is_empty() { "ha-noi" } else { slug },
            "owning_unit": "Hội Nông dân", "field": "economy", "start_year": year}}),
        ),
        record(serde_json::json!({"kind": "directive", "record": directive})),
        record(serde_json::json!({"kind": "conference", "record": conference})),
    ]
}

/// Every province's writer against every unit's records, before and after 1 July 2025 (and the
/// central records): a writer bound to a province of today's map changes exactly the records
/// of the units that became it — creating, replacing, taking over (a stored record of another
/// province rewritten as its own), deleting, cascading, and newly referring — and may refer
/// to central records. The matrix runs as dry-run imports and deletes (nothing written); a
/// few of each are then written for real.
pub(crate) fn access_binds_every_write(s: &dyn Store) {
    use danvan_core::access::Access;
    let reg = danvan_core::province::registry();
    // One set of records per unit of the registry (63 former, 34 current), plus central ones.
    let mut units: Vec<(String, i32, String)> = reg
        .all()
        .iter()
        .map(|p| {
            let year = if p.valid_until.is_some() { 2024 } else { 2026 };
            (p.slug.to_string(), year, format!("{}-{year}", p.slug))
        })
        .collect();
    units.push((String::new(), 2024, "central".into()));
    let mut seed = Dataset::default();
    for (slug, year, tag) in &units {
        for r in records_of(slug, *year, tag, &[]) {
            seed.push(r);
        }
    }
    let report = s.import(seed, ImportOptions::default()).unwrap();
    assert!(!report.has_errors(), "{:#?}", report.problems);
    let current: Vec<&str> = reg
        .all()
        .iter()
        .filter(|p| p.valid_until.is_none())
        .map(|p| p.slug)
        .collect();
    assert_eq!(current.len(), 34);
    let dry = |author: &Author, records: Vec<AnyRecord>| {
        s.import(
            Dataset::from_records(records),
            ImportOptions {
                dry_run: true,
                author: author.clone(),
            },
        )
        .unwrap()
    };
    for writer in &current {
        let author =
            Author::new(format!("{writer}-clerk")).within(Access::provinces([*writer]).unwrap());
        for (slug, year, tag) in &units {
            let owned = !slug.is_empty() && reg.current(slug).map(|c| c.slug) == Some(*writer);
            // A model always names a province: the central set's is Hà Nội's.
            let model_owned = owned || (slug.is_empty() && *writer == "ha-noi");
            let [model, directive, _] = records_of(slug, *year, tag, &[]);
            // Replacing the record as it is (a changed name): its own province's writer only.
            let AnyRecord::Model(mut m) = model.clone() else {
                unreachable!()
            };
            m.name = danvan_core::text::Text::new("Mô hình mới");
            let report = dry(&author, vec![AnyRecord::Model(m.clone())]);
            assert_eq!(
                report.forbidden.is_empty(),
                model_owned,
                "{writer} replaces {tag}"
            );
            // Taking it over: the stored record decides, whatever the new one says.
            m.province = danvan_core::province::ProvinceRef::new(writer);
            m.start_year = Some(2026);
            let report = dry(&author, vec![AnyRecord::Model(m)]);
            assert_eq!(
                report.forbidden.is_empty(),
                model_owned,
                "{writer} takes over {tag}"
            );
            // A record identical to the stored one writes nothing: never refused.
            assert!(dry(&author, vec![directive]).forbidden.is_empty());
            // Referring from its own conference: to its own province's and central records.
            let d = format!("d-{tag}");
            let [_, _, conference] = records_of(
                writer,
                2026,
                &format!("ref-{writer}"),
                std::slice::from_ref(&d),
            );
            let report = dry(&author, vec![conference]);
            assert_eq!(
                report.forbidden.is_empty(),
                owned || slug.is_empty(),
                "{writer} refers to {tag}: {:?}",
                report.problems
            );
            if !report.forbidden.is_empty() {
                assert_eq!(report.problems[0].field, "reviewed_directives[0]");
            }
        }
    }
}

/// The rule of [`access_binds_every_write`] in normal writes (the first refusal fails the
/// write whole, and nothing is written), cascades and imports.
pub(crate) fn access_refusals_write_nothing(s: &dyn Store) {
    use danvan_core::access::Access;
    let mut seed = Dataset::default();
    for (slug, year) in [("bac-kan", 2024), ("ha-noi", 2026)] {
        for r in records_of(slug, year, &format!("{slug}-{year}"), &[]) {
            seed.push(r);
        }
    }
    assert!(
        !s.import(seed, ImportOptions::default())
            .unwrap()
            .has_errors()
    );
    // Written for real, in a normal write (the first refusal fails it whole).
    let tn = Author::new("tn-clerk").within(Access::provinces(["thai-nguyen"]).unwrap());
    let [bk_model, bk_directive, _] = records_of("bac-kan", 2024, "bac-kan-2024", &[]);
    let [hn_model, hn_directive, _] = records_of("ha-noi", 2026, "ha-noi-2026", &[]);
    // A former Bắc Kạn record is Thái Nguyên's today.
    let AnyRecord::Model(mut m) = bk_model else {
        unreachable!()
    };
    m.name = danvan_core::text::Text::new("Đổi tên");
    s.put_by(AnyRecord::Model(m), Expected::Any, &tn).unwrap();
    // Hà Nội's record, rewritten as Thái Nguyên's: refused, and nothing written.
    let before = s.revision().unwrap();
    let AnyRecord::Model(mut m) = hn_model else {
        unreachable!()
    };
    m.province = danvan_core::province::ProvinceRef::new("thai-nguyen");
    let err = s
        .put_by(AnyRecord::Model(m), Expected::Any, &tn)
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Forbidden { actor, refusal }
            if actor == "tn-clerk" && refusal.belongs_to() == Some("ha-noi")),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "`tn-clerk` writes the records of thai-nguyen; model m-ha-noi-2026 is of ha-noi"
    );
    // Deleting Hà Nội's directive, or a batch that holds one refused op: nothing written.
    let hn_d = hn_directive.id().clone();
    assert!(matches!(
        s.delete_by(RecordKind::Directive, &hn_d, Expected::Any, false, &tn),
        Err(StoreError::Forbidden { .. })
    ));
    let batch = vec![
        Op::Put {
            record: model("tn-new", "Mới"),
            expected: Expected::Absent,
        },
        Op::Delete {
            kind: RecordKind::Directive,
            id: hn_d.clone(),
            expected: Expected::Any,
            cascade: false,
        },
    ];
    assert!(matches!(
        s.apply_by(batch, &tn),
        Err(StoreError::Forbidden { .. })
    ));
    assert_eq!(s.revision().unwrap(), before);
    assert!(s.get(RecordKind::Model, &id("tn-new")).unwrap().is_none());

    // A Thái Nguyên conference reviewing Hà Nội's directive, made by an administrator: the
    // clerk may change the conference and keep that reference, but Hà Nội's directive cannot be
    // deleted with a cascade through Thái Nguyên's… and Thái Nguyên's clerk cannot cascade a
    // delete of its own directive into Hà Nội's records.
    let [_, _, tn_conf] = records_of("thai-nguyen", 2026, "tn-mixed", &[hn_d.to_string()]);
    s.put(tn_conf.clone(), Expected::Absent).unwrap();
    let AnyRecord::Conference(mut c) = tn_conf else {
        unreachable!()
    };
    c.title = danvan_core::text::Text::new("Hội nghị chuyên đề (sửa)");
    s.put_by(AnyRecord::Conference(c), Expected::Any, &tn)
        .unwrap();
    let hn = Author::new("hn-clerk").within(Access::provinces(["ha-noi"]).unwrap());
    let err = s
        .delete_by(RecordKind::Directive, &hn_d, Expected::Any, true, &hn)
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Forbidden { refusal, .. } if refusal.id.as_str() == "c-tn-mixed"),
        "{err}"
    );
    let bk_d = bk_directive.id().clone();
    let [_, _, hn_conf] = records_of("ha-noi", 2026, "hn-refers", &[bk_d.to_string()]);
    s.put(hn_conf, Expected::Absent).unwrap();
    let err = s
        .delete_by(RecordKind::Directive, &bk_d, Expected::Any, true, &tn)
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Forbidden { refusal, .. } if refusal.id.as_str() == "c-hn-refers"),
        "{err}"
    );
    // An import lists every refusal and writes nothing.
    let [_, _, a] = records_of("ha-noi", 2026, "x1", &[]);
    let [_, _, b] = records_of("lang-son", 2026, "x2", &[]);
    let report = s
        .import(
            Dataset::from_records([a, b, model("tn-fine", "Được")]),
            ImportOptions {
                dry_run: false,
                author: tn.clone(),
            },
        )
        .unwrap();
    assert_eq!(report.forbidden.len(), 2);
    assert!(report.has_errors());
    assert!(s.get(RecordKind::Model, &id("tn-fine")).unwrap().is_none());
}

/// A deletion's tombstone names the province the record had (as recorded), so that a server
/// can give it to those who may read that province's records; a central record's names none.
pub(crate) fn tombstones_name_their_province(s: &dyn Store) {
    let [bk, _, _] = records_of("bac-kan", 2024, "bk", &[]);
    let [_, central, _] = records_of("", 2024, "tw", &[]);
    s.apply(vec![
        Op::Put {
            record: bk,
            expected: Expected::Absent,
        },
        Op::Put {
            record: central,
            expected: Expected::Absent,
        },
    ])
    .unwrap();
    s.delete(RecordKind::Model, &id("m-bk"), Expected::Any, false)
        .unwrap();
    s.delete(RecordKind::Directive, &id("d-tw"), Expected::Any, false)
        .unwrap();
    let feed = s.changes("1", 10).unwrap();
    let [model, directive] = &feed.items[..] else {
        panic!("{:?}", feed.items)
    };
    assert_eq!(model.action, Action::Deleted);
    assert_eq!(model.province.as_deref(), Some("bac-kan"));
    assert_eq!(model.current_province(), Some("thai-nguyen"));
    assert_eq!(
        (directive.action, directive.province.as_deref()),
        (Action::Deleted, None)
    );
}

/// A signed-out session stays ended until it would have expired, and only it; signing it out
/// twice keeps the later end. Nothing of it reaches the records, their revision or the feed.
pub(crate) fn ended_sessions_are_kept_until_they_would_expire(s: &dyn Store) {
    // A time to come: a store drops what has expired by the clock when it writes.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86_400;
    assert!(!s.session_ended("a1b2", now).unwrap());
    s.end_session("a1b2", now + 3600).unwrap();
    s.end_session("c3d4", now + 60).unwrap();
    s.end_session("c3d4", now + 30).unwrap();
    assert!(s.session_ended("a1b2", now).unwrap());
    assert!(s.session_ended("c3d4", now + 59).unwrap());
    assert!(!s.session_ended("c3d4", now + 60).unwrap());
    assert!(!s.session_ended("a1b2", now + 3600).unwrap());
    assert!(!s.session_ended("e5f6", now).unwrap());
    assert_eq!(s.revision().unwrap(), 0);
    assert!(s.changes("0", 10).unwrap().items.is_empty());
}

/// Users are created once, replaced only when they exist, listed by login, and kept outside
/// the records: no revision, no feed entry, nothing in an export.
pub(crate) fn users_are_kept_beside_the_records(s: &dyn Store) {
    use danvan_core::user::{Role, Seat, User};
    use danvan_store::UserProblem;
    let mut clerk = User::new(
        "dinh-hoa.nhaplieu",
        "Lê Thị Hoa",
        Role::Clerk,
        Seat::Unit {
            unit: id("tn-dinh-hoa"),
            province: ProvinceRef::new("thai-nguyen"),
        },
    )
    .unwrap();
    danvan_store::users::set_password(&mut clerk, "mật khẩu của Hoa").unwrap();
    let admin = User::new(
        "tn.quantri",
        "Nguyễn Văn An",
        Role::Admin,
        Seat::Board {
            province: Some(ProvinceRef::new("thai-nguyen")),
        },
    )
    .unwrap();
    assert!(s.users().unwrap().is_empty());
    assert!(s.user("tn.quantri").unwrap().is_none());
    s.put_user(&clerk, true).unwrap();
    s.put_user(&admin, true).unwrap();
    let again = s.put_user(&admin, true).unwrap_err();
    assert!(
        matches!(&again, StoreError::User { problem: UserProblem::Exists, login } if login == "tn.quantri"),
        "{again}"
    );
    let mut ghost = admin.clone();
    ghost.login = "khong-co".into();
    let missing = s.put_user(&ghost, false).unwrap_err();
    assert!(matches!(
        missing,
        StoreError::User {
            problem: UserProblem::Missing,
            ..
        }
    ));
    let mut bad = admin.clone();
    bad.login = "Có Dấu".into();
    assert!(matches!(
        s.put_user(&bad, true),
        Err(StoreError::User {
            problem: UserProblem::Invalid(_),
            ..
        })
    ));
    let logins: Vec<String> = s.users().unwrap().into_iter().map(|u| u.login).collect();
    assert_eq!(logins, ["dinh-hoa.nhaplieu", "tn.quantri"]);
    clerk.active = false;
    s.put_user(&clerk, false).unwrap();
    let stored = s.user("dinh-hoa.nhaplieu").unwrap().unwrap();
    assert_eq!(stored, clerk);
    assert!(danvan_store::users::verify(
        &User {
            active: true,
            ..stored
        },
        "mật khẩu của Hoa"
    ));
    assert_eq!(s.revision().unwrap(), 0);
    assert!(s.changes("0", 10).unwrap().items.is_empty());
}

/// Files are kept by their SHA-256, once however often given, outside the records.
pub(crate) fn files_are_kept_by_their_hash(s: &dyn Store) {
    let pdf = b"%PDF-1.7\nBao cao 6 thang dau nam 2025 (ban ky)\n%%EOF\n".to_vec();
    let sha = s.put_file(&pdf).unwrap();
    assert_eq!(sha, danvan_store::files::sha256_hex(&pdf));
    assert_eq!(
        s.put_file(&pdf).unwrap(),
        sha,
        "the same bytes, the same file"
    );
    assert_eq!(s.file(&sha).unwrap().as_deref(), Some(&pdf[..]));
    assert_eq!(s.file(&"0".repeat(64)).unwrap(), None);
    assert_eq!(s.file("../users.json").unwrap(), None);
    assert_eq!(s.revision().unwrap(), 0);
    assert!(s.changes("0", 10).unwrap().items.is_empty());
}

/// The same writes give the same feed on every backend: the same revisions, records,
/// actions, authors and page positions, page by page.
#[test]
fn every_backend_gives_the_same_feed() {
    let mut backends = vec![("json", json()), ("memory", memory())];
    #[cfg(feature = "postgres")]
    backends.push(("postgres", postgres()));
    let mut feeds = Vec::new();
    for (name, b) in &backends {
        let s = b.store.as_ref();
        feed_followers_never_skip_or_repeat(s);
        let lan = Author::new("Nguyễn Thị Lan").with_reason(Some("theo Báo cáo số 115-BC/TU"));
        s.put_by(model("g", "Mô hình của Lan"), Expected::Absent, &lan)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        s.delete_by(RecordKind::Model, &id("g"), Expected::Any, false, &lan)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let (mut after, mut pages) = ("0".to_string(), Vec::new());
        loop {
            let page = s.changes(&after, 4).unwrap();
            let items: Vec<serde_json::Value> = page
                .items
                .iter()
                .map(|e| {
                    let mut v = serde_json::to_value(e).unwrap();
                    v.as_object_mut().unwrap().remove("at");
                    v
                })
                .collect();
            pages.push((items, page.next.clone(), page.revision, page.oldest));
            match page.next {
                Some(n) => after = n,
                None => break,
            }
        }
        feeds.push((name, pages));
    }
    for (name, pages) in &feeds[1..] {
        assert_eq!(pages, &feeds[0].1, "{name} and {}", feeds[0].0);
    }
}

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
            fn feed_followers_never_skip_or_repeat() {
                super::feed_followers_never_skip_or_repeat($make.store.as_ref());
            }
            #[test]
            fn access_binds_every_write() {
                super::access_binds_every_write($make.store.as_ref());
            }
            #[test]
            fn access_refusals_write_nothing() {
                super::access_refusals_write_nothing($make.store.as_ref());
            }
            #[test]
            fn tombstones_name_their_province() {
                super::tombstones_name_their_province($make.store.as_ref());
            }
            #[test]
            fn ended_sessions_are_kept_until_they_would_expire() {
                super::ended_sessions_are_kept_until_they_would_expire($make.store.as_ref());
            }
            #[test]
            fn files_are_kept_by_their_hash() {
                super::files_are_kept_by_their_hash($make.store.as_ref());
            }
            #[test]
            fn users_are_kept_beside_the_records() {
                super::users_are_kept_beside_the_records($make.store.as_ref());
            }
            #[test]
            fn exports_carry_each_records_revision() {
                super::exports_carry_each_records_revision($make.store.as_ref());
            }
            #[test]
            fn the_reporting_cycle_sends_returns_approves_and_locks() {
                crate::cycle::a_district_sends_the_province_returns_approves_and_locks(
                    $make.store.as_ref(),
                );
            }
            #[test]
            fn completeness_knows_what_is_owed_and_by_when() {
                crate::cycle::completeness_knows_what_is_owed_and_by_when($make.store.as_ref());
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
