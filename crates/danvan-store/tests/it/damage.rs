//! Damage is found, never silent: a flipped byte in an acknowledged journal line, a shard
//! deleted, replaced by an older copy, altered or added by hand, a stale checkpoint, a missing
//! journal — each is found at open, by a running store's `verify` (which then refuses writes),
//! and `repair` keeps what the files hold and names what is lost. A compaction that stopped
//! part-way is not damage.

use std::fs;
use std::path::Path;

use danvan_core::record_kind::RecordKind;
use danvan_store::{Expected, JsonStore, Store, StoreError};

use crate::{current_journal, demo_store, model, redact};

const SHARD: &str = "records/models/ha-noi/2018.json";

/// A demo store, compacted, then two writes in the journal; closed.
fn store_with_journal() -> tempfile::TempDir {
    let (tmp, store) = demo_store();
    store.compact().unwrap();
    store.put(model("a", "Một"), Expected::Absent).unwrap();
    store.put(model("b", "Hai"), Expected::Absent).unwrap();
    tmp
}

/// Whether the store holds the model `id`.
fn has(store: &JsonStore, id: &str) -> bool {
    store
        .get(RecordKind::Model, &id.parse().unwrap())
        .unwrap()
        .is_some()
}

fn damaged(err: &StoreError) -> (String, usize) {
    match err {
        StoreError::Damaged { at, line, .. } => (at.to_string(), *line),
        other => panic!("not damage: {other}"),
    }
}

fn flip(path: &Path, at: usize) {
    let mut bytes = fs::read(path).unwrap();
    bytes[at] ^= 0x01;
    fs::write(path, bytes).unwrap();
}

#[test]
fn a_flipped_byte_in_the_last_complete_journal_line_is_damage_wherever_it_is() {
    let tmp = store_with_journal();
    let journal = current_journal(tmp.path());
    let clean = fs::read(&journal).unwrap();
    let last_start = clean[..clean.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let last = std::str::from_utf8(&clean[last_start..]).unwrap();
    // The seq, the time, the checksum, a record's text, the closing brace.
    let positions = [
        last.find("\"seq\":").unwrap() + 6,
        last.find("\"at\":").unwrap() + 6,
        last.find("\"sum\":").unwrap() + 7,
        last.find("Hai").unwrap(),
        last.len() - 2,
    ];
    for offset in positions {
        fs::write(&journal, &clean).unwrap();
        flip(&journal, last_start + offset);
        let Err(err) = JsonStore::open(tmp.path()) else {
            panic!("a flipped byte at {offset} of {last:?} went unnoticed");
        };
        let (path, line) = damaged(&err);
        assert!(path.ends_with("journal-2.jsonl"), "{path}");
        assert_eq!(line, 2, "byte {offset}: {err}");
    }
    // A third write that did not finish (half its line, no newline) was never acknowledged,
    // and is dropped.
    let mut torn = clean.clone();
    torn.extend_from_slice(&clean[last_start..last_start + last.len() / 2]);
    fs::write(&journal, &torn).unwrap();
    let store = JsonStore::open(tmp.path()).unwrap();
    assert!(has(&store, "a") && has(&store, "b"));
    // The last acknowledged line cut short is not a torn write: it was acknowledged.
    drop(store);
    fs::write(&journal, &clean[..clean.len() - 1]).unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    assert!(
        err.to_string().contains("revisions 3..=3 are lost"),
        "{err}"
    );
}

#[test]
fn a_running_store_finds_journal_damage_and_refuses_writes() {
    let (tmp, store) = demo_store();
    store.put(model("a", "Một"), Expected::Absent).unwrap();
    store.verify().unwrap();
    assert_eq!(store.damage(), None);
    let journal = current_journal(tmp.path());
    let len = fs::metadata(&journal).unwrap().len() as usize;
    flip(&journal, len - 10);
    let err = store.verify().unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert!(store.damage().is_some());
    let refused = store.put(model("c", "Ba"), Expected::Absent).unwrap_err();
    assert!(
        refused.to_string().contains("writes are refused"),
        "{refused}"
    );
    // validate says so too.
    assert!(store.validate().is_err());
}

#[test]
fn a_deleted_shard_is_found_at_open_by_a_running_store_and_by_repair() {
    let tmp = store_with_journal();
    let store = JsonStore::open(tmp.path()).unwrap();
    fs::remove_file(tmp.path().join(SHARD)).unwrap();
    let err = store.verify().unwrap_err();
    assert!(err.to_string().contains("the shard is missing"), "{err}");
    drop(store);
    let err = JsonStore::open(tmp.path()).unwrap_err();
    insta::assert_snapshot!(redact(&err.to_string(), tmp.path()), @"[STORE]/records/models/ha-noi/2018.json: the shard is missing: its 1 records are gone unless the file is restored from a backup, or `danvan repair` finds them in the journals kept");

    // The journal kept beside the current one holds the record: restored, nothing lost.
    let dry = JsonStore::repair(tmp.path(), true).unwrap();
    assert!(dry.dry_run && !dry.lost_anything(), "{dry:#?}");
    assert!(
        JsonStore::open(tmp.path()).is_err(),
        "a dry run changes nothing"
    );
    let report = JsonStore::repair(tmp.path(), false).unwrap();
    assert_eq!(report.repairs.len(), 1, "{report:#?}");
    assert!(
        report.repairs[0]
            .done
            .starts_with("restored exactly from the journals"),
        "{report:#?}"
    );
    assert!(!report.lost_anything());
    let store = JsonStore::open(tmp.path()).unwrap();
    assert!(has(&store, "hn-2018-tiep-dan"));
    // The journal's writes survived.
    assert!(has(&store, "b"));
}

#[test]
fn an_older_copy_of_a_shard_is_found() {
    let (tmp, store) = demo_store();
    store.compact().unwrap();
    let shard = tmp.path().join("records/models/thai-nguyen/2020.json");
    let before = fs::read(&shard).ok();
    store.put(model("a", "Một"), Expected::Absent).unwrap();
    store.compact().unwrap();
    drop(store);
    match before {
        Some(old) => fs::write(&shard, old).unwrap(),
        None => fs::remove_file(&shard).unwrap(),
    }
    let err = JsonStore::open(tmp.path()).unwrap_err();
    let (path, _) = damaged(&err);
    assert!(path.ends_with("thai-nguyen/2020.json"), "{err}");
}

#[test]
fn an_altered_or_unlisted_shard_is_found() {
    let tmp = store_with_journal();
    let shard = tmp.path().join(SHARD);
    let text = fs::read_to_string(&shard).unwrap();
    fs::write(&shard, text.replacen("Ba Đình", "Ba Dinh", 1)).unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    assert!(
        err.to_string().contains("not the one the checkpoint lists"),
        "{err}"
    );
    fs::write(&shard, &text).unwrap();
    JsonStore::open(tmp.path()).unwrap();

    let copy = tmp.path().join("records/models/ha-noi/2017.json");
    fs::copy(&shard, &copy).unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    assert!(err.to_string().contains("does not list"), "{err}");
    fs::remove_file(&copy).unwrap();
    JsonStore::open(tmp.path()).unwrap();
}

#[test]
fn a_stale_checkpoint_is_found_and_repaired_from_the_journal() {
    let (tmp, store) = demo_store();
    store.compact().unwrap();
    let old_checkpoint = fs::read(tmp.path().join("checkpoint.json")).unwrap();
    for i in 0..5 {
        store
            .put(model(&format!("m{i}"), "Mới"), Expected::Absent)
            .unwrap();
    }
    store.compact().unwrap();
    store.put(model("after", "Sau"), Expected::Absent).unwrap();
    drop(store);
    fs::write(tmp.path().join("checkpoint.json"), &old_checkpoint).unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    assert!(err.to_string().contains("older than the journal"), "{err}");
    let report = JsonStore::repair(tmp.path(), false).unwrap();
    assert!(!report.lost_anything(), "{report:#?}");
    let store = JsonStore::open(tmp.path()).unwrap();
    for id in ["m0", "m4", "after"] {
        assert!(has(&store, id), "{id}");
    }
}

#[test]
fn a_missing_journal_is_found_and_repair_names_the_loss() {
    let tmp = store_with_journal();
    fs::remove_file(current_journal(tmp.path())).unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    assert!(err.to_string().contains("the journal is missing"), "{err}");
    let report = JsonStore::repair(tmp.path(), false).unwrap();
    assert!(report.lost_anything());
    let store = JsonStore::open(tmp.path()).unwrap();
    assert!(!has(&store, "a"));
}

#[test]
fn repair_cuts_a_damaged_journal_and_keeps_the_bytes_in_a_backup() {
    let tmp = store_with_journal();
    let journal = current_journal(tmp.path());
    let clean = fs::read(&journal).unwrap();
    flip(&journal, 20);
    let report = JsonStore::repair(tmp.path(), false).unwrap();
    let cut = &report.repairs[0];
    assert_eq!(cut.done, "rewritten as revisions 2 to 3 in order");
    assert!(
        cut.lost
            .as_deref()
            .unwrap()
            .starts_with("what revision(s) 2 wrote"),
        "{cut:?}"
    );
    assert_eq!(report.lost_revisions, [2]);
    let backup = report.backup.unwrap().join("journal-2.jsonl");
    let mut kept = fs::read(backup).unwrap();
    kept[20] ^= 0x01;
    assert_eq!(
        kept, clean,
        "the backup holds the damaged bytes as they were"
    );
    // The entry after the damaged one is intact, and kept; the revision lost is never given
    // out again.
    let store = JsonStore::open(tmp.path()).unwrap();
    assert!(!has(&store, "a") && has(&store, "b"));
    let written = store.put(model("a", "Một"), Expected::Absent).unwrap();
    assert_eq!(written.revision, 4);
}

#[test]
fn a_compaction_stopped_part_way_is_not_damage() {
    // The files a crash between renaming two shards leaves: the old checkpoint and journal, the
    // new checkpoint pending, one shard new and the others old, the new journal empty.
    let (tmp, store) = demo_store();
    store.compact().unwrap();
    let dir = tmp.path();
    let shard_a = dir.join("records/models/thai-nguyen/2020.json");
    let before = |p: &Path| fs::read(p).ok();
    let old_a = before(&shard_a);
    let old_hn = before(&dir.join(SHARD));
    store.put(model("a", "Một"), Expected::Absent).unwrap();
    store
        .put(
            crate::record(serde_json::json!({"kind": "model", "record": {
                "id": "hn-2018-tiep-dan", "name": "Tiếp dân", "province": "ha-noi",
                "owning_unit": "Ủy ban nhân dân quận Ba Đình", "field": "political_system",
                "start_year": 2018}})),
            Expected::Any,
        )
        .unwrap();
    let old_checkpoint = fs::read(dir.join("checkpoint.json")).unwrap();
    let old_journal = fs::read(current_journal(dir)).unwrap();
    store.compact().unwrap();
    drop(store);
    let new_checkpoint = fs::read(dir.join("checkpoint.json")).unwrap();
    // Roll back: old checkpoint, new one pending, Hà Nội's shard not yet renamed.
    fs::write(dir.join("checkpoint.next.json"), new_checkpoint).unwrap();
    fs::write(dir.join("checkpoint.json"), old_checkpoint).unwrap();
    fs::write(current_journal(dir), old_journal).unwrap();
    if let Some(old) = old_hn {
        fs::write(dir.join(SHARD), old).unwrap();
    }
    assert_ne!(
        before(&shard_a),
        old_a,
        "Thái Nguyên's shard is the new one"
    );
    let store = JsonStore::open(dir).unwrap();
    assert!(has(&store, "a"));
    let hn = store
        .get(RecordKind::Model, &"hn-2018-tiep-dan".parse().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(hn.record.as_ref().title(), "Tiếp dân");
    store.verify().unwrap();
    // The next compaction commits a checkpoint that lists the files as they are.
    store.put(model("z", "Cuối"), Expected::Absent).unwrap();
    store.compact().unwrap();
    drop(store);
    assert!(!dir.join("checkpoint.next.json").exists());
    JsonStore::open(dir).unwrap();
}

/// A digit of the checkpoint's revision changed under a running store: its next read of the
/// files, or the periodic check, finds the checkpoint's own checksum broken and refuses writes
/// (it used to read on, and repair then blamed the journal and cut intact writes).
#[test]
fn a_running_store_notices_a_changed_checkpoint_and_repair_loses_nothing() {
    let tmp = store_with_journal();
    let store = JsonStore::open(tmp.path()).unwrap();
    let path = tmp.path().join("checkpoint.json");
    let text = fs::read_to_string(&path).unwrap();
    let at = text.find("\"revision\": ").unwrap() + "\"revision\": ".len();
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'9' {
        b'8'
    } else {
        bytes[at] + 1
    };
    fs::write(&path, &bytes).unwrap();
    let err = store.verify().unwrap_err();
    let (file, _) = damaged(&err);
    assert!(file.ends_with("checkpoint.json"), "{err}");
    assert!(
        err.to_string().contains("does not match its own checksum"),
        "{err}"
    );
    assert!(store.damage().is_some());
    assert!(store.put(model("c", "Ba"), Expected::Absent).is_err());
    drop(store);
    let report = JsonStore::repair(tmp.path(), false).unwrap();
    assert!(!report.lost_anything(), "{report:#?}");
    let store = JsonStore::open(tmp.path()).unwrap();
    assert!(has(&store, "a") && has(&store, "b") && has(&store, "hn-2018-tiep-dan"));
}

/// A kept file (a report's signed original) changed on disk is reported as damage naming it,
/// never handed out as the original; the store opens and its records read as before.
#[test]
fn a_kept_file_changed_on_disk_is_damage_not_an_original() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let sha = store.put_file(b"%PDF-1.7\nban ky\n%%EOF\n").unwrap();
    store
        .verify()
        .expect("kept files are no unknown files to the integrity check");
    let path = tmp.path().join("files").join(&sha);
    fs::write(&path, b"%PDF-1.7\nban sua\n%%EOF\n").unwrap();
    let err = store.file(&sha).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains(&sha), "{err}");
    assert!(JsonStore::open(tmp.path()).is_ok());
}
