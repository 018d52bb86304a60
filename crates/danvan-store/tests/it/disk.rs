//! What is on disk: the readable layout, reopening, compaction, torn writes, damage, format
//! versions and migration, import and export.

use std::fs;
use std::path::Path;

use danvan_core::dataset::Dataset;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Expected, ImportOptions, JsonStore, Options, Query, Store, StoreError};

use crate::{current_journal, demo_dir, demo_store, model, record, redact};

/// A compacted demo store whose Hà Nội 2018 model shard had `from` replaced by `to` by hand.
fn demo_with_edited_shard(from: &str, to: &str) -> tempfile::TempDir {
    let (tmp, store) = demo_store();
    store.compact().unwrap();
    drop(store);
    let shard = tmp.path().join("records/models/ha-noi/2018.json");
    let text = fs::read_to_string(&shard).unwrap();
    assert!(text.contains(from), "{from} not in the shard");
    fs::write(&shard, text.replacen(from, to, 1)).unwrap();
    tmp
}

fn all(store: &JsonStore) -> Dataset {
    store.export(None).unwrap().dataset
}

#[test]
fn reopening_gives_back_every_record_and_revision() {
    let (tmp, store) = demo_store();
    store
        .put(model("m-new", "Mô hình mới"), Expected::Absent)
        .unwrap();
    let before = store.export(None).unwrap();
    drop(store);
    let again = JsonStore::open(tmp.path()).unwrap();
    assert_eq!(again.export(None).unwrap(), before);
    assert_eq!(
        again
            .get(RecordKind::Model, &"m-new".parse().unwrap())
            .unwrap()
            .unwrap()
            .revision,
        2
    );
}

#[test]
fn shards_are_pretty_sorted_json_that_compaction_keeps_stable() {
    let (tmp, store) = demo_store();
    store.compact().unwrap();
    let shard = tmp.path().join("records/models/ha-noi/2018.json");
    insta::assert_snapshot!(fs::read_to_string(&shard).unwrap());
    // Rewriting the same records gives the same bytes, so a diff shows only real changes.
    let before = fs::read(&shard).unwrap();
    store.put(model("zz-other", "Khác"), Expected::Any).unwrap();
    store.compact().unwrap();
    assert_eq!(fs::read(&shard).unwrap(), before);
    let mut files: Vec<String> = walk(&tmp.path().join("records/models"));
    files.sort();
    insta::assert_snapshot!(files.join("\n"));
}

/// Every file under `dir`, as paths relative to it.
fn walk(dir: &Path) -> Vec<String> {
    fn visit(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                visit(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    visit(dir, dir, &mut out);
    out
}

#[test]
fn frequent_compaction_keeps_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let options = Options {
        compact_after_bytes: 2_000,
        ..Options::default()
    };
    drop(JsonStore::init(tmp.path()).unwrap());
    let store = JsonStore::open_with(tmp.path(), options).unwrap();
    for i in 0..60 {
        store
            .put(
                model(&format!("m{i:02}"), &format!("Mô hình {i}")),
                Expected::Any,
            )
            .unwrap();
        if i % 3 == 0 {
            store
                .put(
                    model(&format!("m{i:02}"), &format!("Mô hình {i} (sửa)")),
                    Expected::Any,
                )
                .unwrap();
        }
        if i % 7 == 0 {
            store
                .delete(
                    RecordKind::Model,
                    &format!("m{i:02}").parse().unwrap(),
                    Expected::Any,
                    false,
                )
                .unwrap();
        }
    }
    let expected = all(&store);
    assert_eq!(expected.models.len(), 60 - 9);
    let generation = current_journal(tmp.path());
    assert!(
        !generation.ends_with("journal-1.jsonl"),
        "compaction never ran"
    );
    drop(store);
    let reopened = JsonStore::open(tmp.path()).unwrap();
    assert_eq!(all(&reopened), expected);
}

#[test]
fn a_torn_last_write_is_dropped_and_the_rest_kept() {
    let (tmp, store) = demo_store();
    store.put(model("kept", "Giữ lại"), Expected::Any).unwrap();
    drop(store);
    // Simulate a crash in the middle of appending: half a line, no newline.
    let j = current_journal(tmp.path());
    let mut bytes = fs::read(&j).unwrap();
    bytes.extend_from_slice(br#"{"seq":3,"at":0,"crc32":1,"ops":[{"op":"put","kind":"mod"#);
    fs::write(&j, &bytes).unwrap();
    let store = JsonStore::open(tmp.path()).unwrap();
    assert_eq!(store.revision().unwrap(), 2);
    assert!(
        store
            .get(RecordKind::Model, &"kept".parse().unwrap())
            .unwrap()
            .is_some()
    );
    // The next write replaces the torn tail.
    store.put(model("after", "Sau"), Expected::Any).unwrap();
    drop(store);
    let store = JsonStore::open(tmp.path()).unwrap();
    assert_eq!(store.revision().unwrap(), 3);
}

#[test]
fn damage_inside_the_journal_is_reported_not_skipped() {
    let (tmp, store) = demo_store();
    store.put(model("a", "A"), Expected::Any).unwrap();
    store.put(model("b", "B"), Expected::Any).unwrap();
    drop(store);
    let j = current_journal(tmp.path());
    let text = fs::read_to_string(&j).unwrap();
    let damaged = text.replacen("\"name\":\"A\"", "\"name\":\"Z\"", 1);
    fs::write(&j, damaged).unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    insta::assert_snapshot!(redact(&err.to_string(), tmp.path()), @"[STORE]/journal-1.jsonl:2: the journal entry of revision 2 is damaged (checksum mismatch) and 1 later entries depend on it; restore the file from a backup");
}

#[test]
fn a_hand_edited_shard_with_a_syntax_error_names_file_line_and_column() {
    let tmp = demo_with_edited_shard(
        "\"field\": \"political_system\",",
        "\"field\": \"political_system\"",
    );
    let err = JsonStore::open(tmp.path()).unwrap_err();
    insta::assert_snapshot!(redact(&err.to_string(), tmp.path()), @"[STORE]/records/models/ha-noi/2018.json:12:9: expected `,` or `}` (the file is not valid JSON; fix it by hand or restore it from git or a backup)");
}

#[test]
fn a_hand_edited_record_of_the_wrong_shape_names_its_id_and_field() {
    let (tmp, store) = demo_store();
    store.compact().unwrap();
    drop(store);
    let shard = tmp.path().join("records/models/ha-noi/2018.json");
    let text = fs::read_to_string(&shard).unwrap();
    fs::write(
        &shard,
        text.replacen("\"start_year\": 2018", "\"start_year\": \"2018\"", 1),
    )
    .unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    insta::assert_snapshot!(redact(&err.to_string(), tmp.path()), @r#"[STORE]/records/models/ha-noi/2018.json:13:28: record hn-2018-tiep-dan: start_year: invalid type: string "2018", expected i32"#);
}

#[test]
fn an_invalid_record_on_disk_is_reported_by_validate() {
    let tmp = demo_with_edited_shard(
        "\"owning_unit\": \"Ủy ban nhân dân quận Ba Đình\"",
        "\"owning_unit\": \" \"",
    );
    // An edit by hand is damage until a person says it is meant: repair with accept_edits
    // takes it (a plain repair restores what was acknowledged).
    let err = JsonStore::open(tmp.path()).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    let mut accept = danvan_store::RepairOptions::default();
    accept.accept_edits = true;
    let report = JsonStore::repair_with(tmp.path(), accept).unwrap();
    assert_eq!(report.repairs.len(), 2, "{report:?}");
    assert_eq!(
        report.repairs[0].done,
        "accepted as it is now (--accept-edits)"
    );
    // And it says what the records kept now fail.
    assert!(
        report.repairs[1]
            .found
            .contains("owning_unit: must not be empty"),
        "{report:?}"
    );
    assert!(!report.lost_anything());
    let store = JsonStore::open(tmp.path()).unwrap();
    insta::assert_snapshot!(crate::errors(&store).join("\n"), @"error: model hn-2018-tiep-dan: owning_unit: must not be empty");
}

#[test]
fn missing_and_newer_stores_are_refused_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let err = JsonStore::open(&tmp.path().join("nowhere")).unwrap_err();
    insta::assert_snapshot!(redact(&err.to_string(), tmp.path()), @"no danvan store at [STORE]/nowhere: create one first");
    JsonStore::init(tmp.path()).unwrap();
    let err = JsonStore::init(tmp.path()).unwrap_err();
    insta::assert_snapshot!(redact(&err.to_string(), tmp.path()), @"[STORE] already holds a danvan store");
    fs::write(
        tmp.path().join("danvan-store.json"),
        r#"{"format": "danvan-store", "version": 9}"#,
    )
    .unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    insta::assert_snapshot!(redact(&err.to_string(), tmp.path()), @"the store at [STORE] has format version 9, newer than this danvan supports (3): upgrade danvan");
}

#[test]
fn a_format_1_store_is_migrated_after_a_backup() {
    let tmp = tempfile::tempdir().unwrap();
    for f in [
        "indicators.json",
        "directives.json",
        "observations.json",
        "conferences.json",
        "models.json",
    ] {
        fs::copy(demo_dir().join(f), tmp.path().join(f)).unwrap();
    }
    fs::write(
        tmp.path().join("danvan-store.json"),
        r#"{"format": "danvan-store", "version": 1}"#,
    )
    .unwrap();
    let store = JsonStore::open(tmp.path()).unwrap();
    // A format-1 store had no registry of units, nor commendations, nor targets.
    let expected = danvan_store::dataset_dir::load(&demo_dir()).unwrap();
    assert_eq!(
        store.len().unwrap(),
        expected.len() - expected.units.len() - expected.awards.len() - expected.targets.len()
    );
    assert_eq!(store.revision().unwrap(), 1);
    let manifest = fs::read_to_string(tmp.path().join("danvan-store.json")).unwrap();
    assert!(manifest.contains("\"version\": 3"), "{manifest}");
    assert!(!tmp.path().join("models.json").exists());
    // One backup per step: format 1's files, then format 2's manifest and checkpoint.
    let mut backups: Vec<_> = fs::read_dir(tmp.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    backups.sort();
    assert_eq!(backups.len(), 2, "{backups:?}");
    assert!(backups[0].starts_with("format-1-") && backups[1].starts_with("format-2-"));
    let backup = tmp.path().join("backups").join(&backups[0]);
    assert_eq!(
        fs::read(backup.join("models.json")).unwrap(),
        fs::read(demo_dir().join("models.json")).unwrap()
    );
    // And it works as a store afterwards.
    store
        .put(model("m-after", "Sau chuyển đổi"), Expected::Absent)
        .unwrap();
    drop(store);
    assert_eq!(JsonStore::open(tmp.path()).unwrap().revision().unwrap(), 2);
}

#[test]
fn export_then_import_round_trips() {
    let (_tmp, store) = demo_store();
    let export = store.export(None).unwrap();
    let json = serde_json::to_string_pretty(&export).unwrap();
    assert!(
        json.starts_with("{\n  \"format\": \"danvan-export\",\n  \"version\": 1,"),
        "{}",
        &json[..80]
    );
    let back: danvan_store::Export = serde_json::from_str(&json).unwrap();
    let tmp2 = tempfile::tempdir().unwrap();
    let other = JsonStore::init(tmp2.path()).unwrap();
    let report = other
        .import(back.dataset, ImportOptions::default())
        .unwrap();
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (export.dataset.len(), 0, 0)
    );
    assert_eq!(other.export(None).unwrap().dataset, export.dataset);
    // Importing the same again changes nothing.
    let again = other
        .import(export.dataset.clone(), ImportOptions::default())
        .unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, export.dataset.len())
    );

    // A query's result exports alone.
    let q = Query {
        kinds: vec![RecordKind::Model],
        ..Query::default()
    };
    let part = store.export(Some(&q)).unwrap();
    assert_eq!((part.dataset.models.len(), part.dataset.len()), (14, 14));
}

#[test]
fn an_import_with_any_error_writes_nothing_and_lists_every_problem() {
    let (_tmp, store) = demo_store();
    let revision = store.revision().unwrap();
    let mut dataset = Dataset::default();
    dataset.models.push(match model("ok-1", "Tốt") {
        danvan_core::dataset::AnyRecord::Model(m) => m,
        _ => unreachable!(),
    });
    let bad = |v: serde_json::Value| match record(v) {
        danvan_core::dataset::AnyRecord::Observation(o) => o,
        _ => unreachable!(),
    };
    dataset.observations.push(bad(serde_json::json!({"kind": "observation", "record": {
        "id": "bad-1", "indicator": "complaints_resolved", "province": "thai-nguyen", "period": "2024", "numerator": 5, "denominator": 4}})));
    dataset
        .observations
        .push(bad(serde_json::json!({"kind": "observation", "record": {
        "id": "bad-2", "indicator": "nonexistent", "period": "2024", "value": 1}})));
    for dry_run in [true, false] {
        let report = store
            .import(
                dataset.clone(),
                ImportOptions {
                    dry_run,
                    ..ImportOptions::default()
                },
            )
            .unwrap();
        assert!(report.has_errors());
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        insta::allow_duplicates! { insta::assert_snapshot!(lines.join("\n"), @r"
        error: observation bad-1: numerator: numerator 5 is greater than the denominator 4
        error: observation bad-2: indicator: refers to indicator nonexistent, which does not exist
        "); }
        assert_eq!(store.revision().unwrap(), revision);
        assert!(
            store
                .get(RecordKind::Model, &"ok-1".parse().unwrap())
                .unwrap()
                .is_none()
        );
    }
    // A dry run of a good import counts what it would do and writes nothing.
    let good = Dataset {
        models: dataset.models.clone(),
        ..Dataset::default()
    };
    let report = store
        .import(
            good,
            ImportOptions {
                dry_run: true,
                ..ImportOptions::default()
            },
        )
        .unwrap();
    assert_eq!((report.created, report.has_errors()), (1, false));
    assert_eq!(store.revision().unwrap(), revision);
}

#[test]
fn imported_demo_validates_like_the_dataset() {
    let (_tmp, store) = demo_store();
    let problems: Vec<String> = store
        .validate()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let dataset = danvan_store::dataset_dir::load(&demo_dir()).unwrap();
    let mut expected: Vec<String> = dataset.validate().iter().map(ToString::to_string).collect();
    let mut got = problems.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
}

#[test]
fn a_writer_waits_for_another_process_lock_then_gives_up_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    drop(JsonStore::init(tmp.path()).unwrap());
    let options = Options {
        lock_timeout: std::time::Duration::from_millis(150),
        ..Options::default()
    };
    let store = JsonStore::open_with(tmp.path(), options).unwrap();
    // Another holder of the lock file: a separate open file description, as another process has.
    let other = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(tmp.path().join("lock"))
        .unwrap();
    other.lock().unwrap();
    let err = store.put(model("m1", "Một"), Expected::Any).unwrap_err();
    let text = redact(&err.to_string(), tmp.path());
    let text = text.split(" (waited").next().unwrap().to_string() + " (waited …)";
    insta::assert_snapshot!(text, @"the store at [STORE] is locked by another process (waited …)");
    other.unlock().unwrap();
    store.put(model("m1", "Một"), Expected::Any).unwrap();
}

#[test]
fn an_unknown_old_format_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("danvan-store.json"),
        r#"{"format": "danvan-store", "version": 0}"#,
    )
    .unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    insta::assert_snapshot!(redact(&err.to_string(), tmp.path()), @"[STORE]/danvan-store.json:0:0: format version 0 is unknown; this danvan reads versions 1 to 3");
    fs::write(
        tmp.path().join("danvan-store.json"),
        r#"{"format": "something-else", "version": 2}"#,
    )
    .unwrap();
    let err = JsonStore::open(tmp.path()).unwrap_err();
    insta::assert_snapshot!(redact(&err.to_string(), tmp.path()), @r#"[STORE]/danvan-store.json:0:0: format is "something-else", expected "danvan-store""#);
}
