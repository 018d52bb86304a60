//! The fault matrix: every kind of file the JSON store keeps — the checkpoint, the current
//! journal, the journal kept beside it, a retired journal in `history/`, a shard, the
//! acknowledged length — flipped, truncated, deleted, replaced by an older copy, and swapped
//! with its sibling. After each, on a copy of one store that wrote through several compactions:
//!
//! - opening either finds the damage or loses nothing;
//! - `repair` leaves a store that opens, whose change feed reads to the end;
//! - every acknowledged write is in the store as acknowledged, or its revision is named lost;
//! - nothing intact is cut: the revisions named lost are exactly those no file holds any more.
//!
//! `cargo xtask crash-test` runs it beside the kill-9 rounds; every `cargo xtask ci` runs it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Expected, JsonStore, Options, Store, StoreError};

use crate::record;

/// What the store acknowledged last of each record: the revision, and the record (`None`:
/// deleted).
type Acked = BTreeMap<(RecordKind, String), (u64, Option<AnyRecord>)>;

/// A store grown through several compactions, as the matrix damages copies of it.
struct Grown {
    dir: tempfile::TempDir,
    acked: Acked,
    /// Every revision and the records it wrote.
    writes: BTreeMap<u64, Vec<(RecordKind, String)>>,
    /// Copies of files taken earlier: the checkpoint before the last compaction, a shard
    /// before it was last rewritten, the current journal before its last two writes.
    stale: BTreeMap<&'static str, (PathBuf, Vec<u8>)>,
}

const PROVINCES: [&str; 3] = ["thai-nguyen", "ha-noi", "lao-cai"];

fn model(i: usize, version: usize) -> AnyRecord {
    record(serde_json::json!({"kind": "model", "record": {
        "id": format!("m-{i}"), "name": format!("Mô hình {i}, lần {version}"),
        "province": PROVINCES[i % 3], "owning_unit": "Hội Nông dân xã",
        "field": "economy", "start_year": 2020 + (i % 4) as i32}}))
}

fn checkpoint(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("checkpoint.json")).unwrap()).unwrap()
}

fn generation(dir: &Path) -> u64 {
    checkpoint(dir)["generation"].as_u64().unwrap()
}

impl Grown {
    fn new() -> Grown {
        let dir = tempfile::tempdir().unwrap();
        drop(JsonStore::init(dir.path()).unwrap());
        let options = Options {
            compact_after_bytes: 2500,
            history_keep_bytes: u64::MAX,
            ..Options::default()
        };
        let store = JsonStore::open_with(dir.path(), options).unwrap();
        let mut grown = Grown {
            dir,
            acked: Acked::new(),
            writes: BTreeMap::new(),
            stale: BTreeMap::new(),
        };
        let mut version = 0;
        for round in 0..40 {
            version += 1;
            let i = (round * 7) % 12;
            if round % 9 == 8
                && grown
                    .acked
                    .contains_key(&(RecordKind::Model, format!("m-{i}")))
            {
                grown.delete(&store, i);
            } else {
                grown.put(
                    &store,
                    vec![model(i, version), model((i + 5) % 12, version)],
                );
            }
            if round == 20 {
                let shard = grown.dir.path().join("records/models/ha-noi/2021.json");
                if shard.exists() {
                    grown.keep("shard", &shard);
                }
            }
        }
        grown.keep("checkpoint", &grown.dir.path().join("checkpoint.json"));
        store.compact().unwrap();
        for round in 0..4 {
            if round == 2 {
                let g = generation(grown.dir.path());
                grown.keep(
                    "journal",
                    &grown.dir.path().join(format!("journal-{g}.jsonl")),
                );
            }
            grown.put(&store, vec![model(round + 1, 100 + round)]);
        }
        drop(store);
        let g = generation(grown.dir.path());
        assert!(g >= 4, "several compactions: generation {g}");
        assert!(grown.history().len() >= 2, "retired journals to damage");
        assert!(grown.stale.contains_key("shard"), "a shard to put back");
        grown
    }

    fn keep(&mut self, what: &'static str, path: &Path) {
        self.stale
            .insert(what, (path.to_path_buf(), fs::read(path).unwrap()));
    }

    fn put(&mut self, store: &JsonStore, records: Vec<AnyRecord>) {
        let ops = records
            .into_iter()
            .map(|record| danvan_store::Op::Put {
                record,
                expected: Expected::Any,
            })
            .collect();
        let receipt = store.apply(ops).unwrap();
        for c in &receipt.changes {
            let r = store.get(c.kind, &c.id).unwrap().map(|s| s.record);
            self.acked
                .insert((c.kind, c.id.to_string()), (receipt.revision, r));
            self.writes
                .entry(receipt.revision)
                .or_default()
                .push((c.kind, c.id.to_string()));
        }
    }

    fn delete(&mut self, store: &JsonStore, i: usize) {
        let id: RecordId = format!("m-{i}").parse().unwrap();
        let receipt = store
            .delete(RecordKind::Model, &id, Expected::Any, false)
            .unwrap();
        self.acked.insert(
            (RecordKind::Model, id.to_string()),
            (receipt.revision, None),
        );
        self.writes
            .entry(receipt.revision)
            .or_default()
            .push((RecordKind::Model, id.to_string()));
    }

    /// The retired journals, oldest first.
    fn history(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = fs::read_dir(self.dir.path().join("history"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.sort_by_key(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.strip_prefix("journal-"))
                .and_then(|g| g.parse::<u64>().ok())
        });
        v
    }

    /// A copy of the store to damage.
    fn copy(&self) -> tempfile::TempDir {
        let to = tempfile::tempdir().unwrap();
        copy_dir(self.dir.path(), to.path());
        to
    }

    /// The revisions of the entries in the journal at `path` (its good lines).
    fn revisions_in(path: &Path) -> BTreeSet<u64> {
        fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["seq"].as_u64())
            .collect()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// What a fault does to a file.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// One byte changed, `at` bytes into the file (from its end when negative).
    Flip(i64),
    /// Cut to this fraction of its length.
    Truncate(f64),
    Delete,
    /// The older copy kept as `stale[what]` put back.
    Stale(&'static str),
    /// Its bytes swapped with those of the sibling file.
    Swap,
}

fn apply(fault: Fault, path: &Path, sibling: Option<&Path>, grown: &Grown) {
    match fault {
        Fault::Flip(at) => {
            let mut bytes = fs::read(path).unwrap();
            let i = if at < 0 {
                bytes.len() - (-at) as usize
            } else {
                at as usize
            };
            // A digit stays a digit (a revision changed by one), anything else gets a bit flipped.
            bytes[i] = match bytes[i] {
                b'0'..=b'8' => bytes[i] + 1,
                b'9' => b'8',
                b => b ^ 0x20,
            };
            fs::write(path, bytes).unwrap();
        }
        Fault::Truncate(f) => {
            let bytes = fs::read(path).unwrap();
            fs::write(path, &bytes[..(bytes.len() as f64 * f) as usize]).unwrap();
        }
        Fault::Delete => fs::remove_file(path).unwrap(),
        Fault::Stale(what) => fs::write(path, &grown.stale[what].1).unwrap(),
        Fault::Swap => {
            let other = sibling.expect("a sibling to swap with");
            let (a, b) = (fs::read(path).unwrap(), fs::read(other).unwrap());
            fs::write(path, b).unwrap();
            fs::write(other, a).unwrap();
        }
    }
}

/// Every record the store holds now: revision and record, by kind and ID.
fn now(store: &JsonStore) -> BTreeMap<(RecordKind, String), (u64, AnyRecord)> {
    let mut out = BTreeMap::new();
    let export = store.export(None).unwrap();
    for r in export.dataset.records() {
        let stored = store.get(r.kind(), r.id()).unwrap().unwrap();
        out.insert((r.kind(), r.id().to_string()), (stored.revision, r));
    }
    out
}

/// The offset of line `n` (1-based) of `path`, plus `into` bytes.
fn line_offset(path: &Path, n: usize, into: usize) -> i64 {
    let text = fs::read(path).unwrap();
    let mut at = 0;
    for _ in 1..n {
        at += text[at..].iter().position(|b| *b == b'\n').unwrap() + 1;
    }
    (at + into) as i64
}

/// Runs one case: damages a copy, repairs it, and checks the promises; `lost` is what no file
/// holds any more after the fault.
fn case(
    grown: &Grown,
    name: &str,
    file: &Path,
    sibling: Option<&Path>,
    fault: Fault,
    lost: &BTreeSet<u64>,
) {
    let copy = grown.copy();
    let rel = |p: &Path| copy.path().join(p.strip_prefix(grown.dir.path()).unwrap());
    apply(fault, &rel(file), sibling.map(rel).as_deref(), grown);
    let label = format!("{name} {fault:?}");
    // Opening finds the damage, or loses nothing.
    match JsonStore::open(copy.path()) {
        Ok(store) => check(grown, &store, &BTreeSet::new(), &label),
        Err(StoreError::Damaged { .. } | StoreError::Corrupt { .. }) => {}
        Err(other) => panic!("{label}: opening failed with {other}"),
    }
    let report = JsonStore::repair(copy.path(), false)
        .unwrap_or_else(|e| panic!("{label}: repair failed: {e}"));
    if std::env::var_os("DANVAN_SHOW_REPAIRS").is_some() {
        eprintln!("== {label}");
        for r in &report.repairs {
            eprintln!(
                "  {}: {} -> {} / lost {:?}",
                r.path.display(),
                r.found,
                r.done,
                r.lost
            );
        }
        eprintln!(
            "  history lost {:?}, unchecked {}",
            report.history_lost,
            report.unchecked.len()
        );
    }
    let named: BTreeSet<u64> = report.lost_revisions.iter().copied().collect();
    assert_eq!(&named, lost, "{label}: revisions named lost: {report:#?}");
    assert_eq!(report.lost_records, 0, "{label}: {report:#?}");
    let store = JsonStore::open(copy.path())
        .unwrap_or_else(|e| panic!("{label}: the repaired store does not open: {e}"));
    check(grown, &store, &named, &label);
    // The change feed reads to its end, in order, and holds every write it should: all but
    // the revisions lost, and those whose history is named lost.
    let mut after = "0".to_string();
    let mut revisions = Vec::new();
    loop {
        let page = store
            .changes(&after, 7)
            .unwrap_or_else(|e| panic!("{label}: the feed after repair: {e}"));
        revisions.extend(page.items.iter().map(|e| e.revision));
        match page.next {
            Some(n) => after = n,
            None => break,
        }
    }
    assert!(
        revisions.is_sorted(),
        "{label}: the feed out of order: {revisions:?}"
    );
    let in_feed: BTreeSet<u64> = revisions.into_iter().collect();
    for seq in grown.writes.keys() {
        let explained = named.contains(seq) || report.history_lost.contains(seq);
        assert!(
            in_feed.contains(seq) || explained,
            "{label}: revision {seq} left the feed unnamed"
        );
    }
    // A repaired store takes the next write at a revision never given out before.
    let last = grown.writes.keys().next_back().copied().unwrap_or(0);
    let receipt = store
        .put(model(0, 999), Expected::Any)
        .unwrap_or_else(|e| panic!("{label}: a write after repair: {e}"));
    assert_eq!(receipt.revision, last + 1, "{label}");
}

/// Every acknowledged write is in `store` as acknowledged, unless its revision is in `lost`;
/// no record is there that the acknowledged writes do not explain.
fn check(grown: &Grown, store: &JsonStore, lost: &BTreeSet<u64>, label: &str) {
    let held = now(store);
    for (key, (revision, record)) in &grown.acked {
        if lost.contains(revision) {
            continue;
        }
        match (record, held.get(key)) {
            (Some(r), Some((rev, h))) => {
                assert_eq!((rev, h), (revision, r), "{label}: {key:?}");
            }
            (None, None) => {}
            (Some(_), None) => panic!("{label}: {key:?} acknowledged at {revision} is gone"),
            (None, Some((rev, _))) => {
                panic!("{label}: {key:?} deleted at {revision} is back at {rev}")
            }
        }
    }
    for key in held.keys() {
        assert!(
            grown.acked.contains_key(key),
            "{label}: {key:?} was never written"
        );
    }
}

/// One case of the matrix: a file, what is done to it (with its sibling for a swap), and the
/// revisions no file holds after it.
struct Case {
    name: &'static str,
    file: PathBuf,
    sibling: Option<PathBuf>,
    fault: Fault,
    lost: BTreeSet<u64>,
}

fn one(name: &'static str, file: &Path, fault: Fault, lost: BTreeSet<u64>) -> Case {
    Case {
        name,
        file: file.to_path_buf(),
        sibling: None,
        fault,
        lost,
    }
}

fn swap(name: &'static str, file: &Path, sibling: &Path) -> Case {
    Case {
        sibling: Some(sibling.to_path_buf()),
        ..one(name, file, Fault::Swap, BTreeSet::new())
    }
}

/// The checkpoint: held nowhere else, but the journals and shards say all it says.
fn checkpoint_cases(grown: &Grown) -> Vec<Case> {
    let cp = grown.dir.path().join("checkpoint.json");
    let text = fs::read_to_string(&cp).unwrap();
    let digit = text.find("\"revision\": ").unwrap() + "\"revision\": ".len() + 1;
    let none = BTreeSet::new;
    vec![
        one("checkpoint", &cp, Fault::Flip(digit as i64), none()),
        one("checkpoint", &cp, Fault::Flip(-20), none()),
        one("checkpoint", &cp, Fault::Truncate(0.5), none()),
        one("checkpoint", &cp, Fault::Delete, none()),
        one("checkpoint", &cp, Fault::Stale("checkpoint"), none()),
    ]
}

/// The current journal, the only copy of the writes since the last compaction; the journal
/// kept beside it and a retired one, whose writes are in the shards.
fn journal_cases(grown: &Grown) -> Vec<Case> {
    let root = grown.dir.path();
    let g = generation(root);
    let current = root.join(format!("journal-{g}.jsonl"));
    let previous = root.join(format!("journal-{}.jsonl", g - 1));
    assert!(previous.exists());
    let history = grown.history();
    let (retired, older_retired) = (&history[history.len() - 1], &history[history.len() - 2]);
    let in_current = Grown::revisions_in(&current);
    let first = *in_current.iter().next().unwrap();
    let stale: BTreeSet<u64> = String::from_utf8(grown.stale["journal"].1.clone())
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["seq"].as_u64())
        .collect();
    let after =
        |kept: &BTreeSet<u64>| -> BTreeSet<u64> { in_current.difference(kept).copied().collect() };
    let none = BTreeSet::new;
    vec![
        one(
            "current journal",
            &current,
            Fault::Flip(line_offset(&current, 2, 30)),
            BTreeSet::from([first + 1]),
        ),
        one(
            "current journal",
            &current,
            Fault::Truncate(0.6),
            after(&Grown::revisions_in_prefix(&current, 0.6)),
        ),
        one(
            "current journal",
            &current,
            Fault::Delete,
            in_current.clone(),
        ),
        one(
            "current journal",
            &current,
            Fault::Stale("journal"),
            after(&stale),
        ),
        swap("current journal", &current, &previous),
        one(
            "previous journal",
            &previous,
            Fault::Flip(line_offset(&previous, 1, 40)),
            none(),
        ),
        one("previous journal", &previous, Fault::Truncate(0.5), none()),
        one("previous journal", &previous, Fault::Delete, none()),
        one(
            "retired journal",
            retired,
            Fault::Flip(line_offset(retired, 2, 40)),
            none(),
        ),
        one("retired journal", retired, Fault::Truncate(0.5), none()),
        one("retired journal", retired, Fault::Delete, none()),
        swap("retired journal", retired, older_retired),
    ]
}

/// A shard, every record of which is in the journals kept; the acknowledged length, advisory:
/// never a loss and never false damage.
fn other_cases(grown: &Grown) -> Vec<Case> {
    let root = grown.dir.path();
    let shard = grown.stale["shard"].0.clone();
    let other_shard = root.join("records/models/thai-nguyen/2020.json");
    assert!(other_shard.exists());
    let ack = root.join("journal.ack");
    let none = BTreeSet::new;
    vec![
        one("shard", &shard, Fault::Flip(60), none()),
        one("shard", &shard, Fault::Truncate(0.5), none()),
        one("shard", &shard, Fault::Delete, none()),
        one("shard", &shard, Fault::Stale("shard"), none()),
        swap("shard", &shard, &other_shard),
        one("journal.ack", &ack, Fault::Flip(3), none()),
        one("journal.ack", &ack, Fault::Truncate(0.5), none()),
        one("journal.ack", &ack, Fault::Delete, none()),
    ]
}

#[test]
fn every_file_damaged_every_way_keeps_each_acknowledged_write_or_names_it() {
    let grown = Grown::new();
    let cases: Vec<Case> = [
        checkpoint_cases(&grown),
        journal_cases(&grown),
        other_cases(&grown),
    ]
    .into_iter()
    .flatten()
    .collect();
    for c in &cases {
        case(
            &grown,
            c.name,
            &c.file,
            c.sibling.as_deref(),
            c.fault,
            &c.lost,
        );
    }
    let named: usize = cases.iter().map(|c| c.lost.len()).sum();
    eprintln!(
        "fault matrix: {} cases on a store of {} acknowledged writes ({} records), generation {}; {named} revisions named lost, each held by no file; nothing intact cut",
        cases.len(),
        grown.writes.len(),
        grown.acked.len(),
        generation(grown.dir.path())
    );
}

impl Grown {
    /// The revisions of the whole lines within the first `fraction` of the journal at `path`.
    fn revisions_in_prefix(path: &Path, fraction: f64) -> BTreeSet<u64> {
        let bytes = fs::read(path).unwrap();
        let cut = &bytes[..(bytes.len() as f64 * fraction) as usize];
        let whole = match cut.iter().rposition(|b| *b == b'\n') {
            Some(i) => &cut[..=i],
            None => &cut[..0],
        };
        String::from_utf8_lossy(whole)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["seq"].as_u64())
            .collect()
    }
}

/// With no history kept, a deleted shard's records older than every journal are lost: named
/// (by count), and nothing else is.
#[test]
fn with_history_pruned_a_deleted_shards_older_records_are_named_lost() {
    let tmp = tempfile::tempdir().unwrap();
    drop(JsonStore::init(tmp.path()).unwrap());
    let options = Options {
        compact_after_bytes: 1500,
        history_keep_bytes: 0,
        ..Options::default()
    };
    let store = JsonStore::open_with(tmp.path(), options).unwrap();
    for i in 0..12 {
        store.put(model(i, 1), Expected::Any).unwrap();
    }
    for _ in 0..3 {
        store.compact().unwrap();
        store.put(model(7, 2), Expected::Any).unwrap();
    }
    drop(store);
    let shard = tmp.path().join("records/models/thai-nguyen/2020.json");
    let held =
        serde_json::from_slice::<serde_json::Value>(&fs::read(&shard).unwrap()).unwrap()["records"]
            .as_array()
            .unwrap()
            .len();
    fs::remove_file(&shard).unwrap();
    let report = JsonStore::repair(tmp.path(), false).unwrap();
    assert_eq!(report.lost_records, held, "{report:#?}");
    assert!(report.lost_anything());
    assert!(report.lost_revisions.is_empty());
    JsonStore::open(tmp.path()).unwrap();
}
