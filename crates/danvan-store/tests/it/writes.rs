//! Writes: revisions, conflicts, validation, references and cascades, batches.

use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Action, Expected, JsonStore, Op, Store, StoreError};

use crate::{demo_store, model, record};

fn id(s: &str) -> RecordId {
    RecordId::new(s).unwrap()
}

#[test]
fn revisions_grow_and_guard_against_lost_updates() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    assert_eq!(store.revision().unwrap(), 0);
    let r1 = store
        .put(model("m1", "Mô hình một"), Expected::Absent)
        .unwrap();
    assert_eq!((r1.revision, r1.changes[0].action), (1, Action::Created));

    // Creating it again is refused: it exists.
    let err = store
        .put(model("m1", "Khác"), Expected::Absent)
        .unwrap_err();
    assert!(
        matches!(err, StoreError::RecordExists { revision: 1, .. }),
        "{err}"
    );

    // An update that names the revision it read succeeds once; a second one based on the same
    // read is refused instead of silently overwriting the first.
    let r2 = store
        .put(model("m1", "Mô hình một (sửa)"), Expected::Revision(1))
        .unwrap();
    assert_eq!((r2.revision, r2.changes[0].action), (2, Action::Updated));
    let err = store
        .put(model("m1", "Ghi đè"), Expected::Revision(1))
        .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"model m1 is at revision 2, not 1: it was changed by someone else; read it again and reapply your change");

    let got = store.get(RecordKind::Model, &id("m1")).unwrap().unwrap();
    assert_eq!(got.revision, 2);

    // Writing identical content changes nothing and takes no revision.
    let same = store.put(got.record.clone(), Expected::Any).unwrap();
    assert_eq!((same.revision, same.changes.len()), (2, 0));

    let del = store
        .delete(RecordKind::Model, &id("m1"), Expected::Revision(2), false)
        .unwrap();
    assert_eq!(
        (del.revision, del.changes[0].action, del.changes[0].revision),
        (3, Action::Deleted, None)
    );
    assert!(store.get(RecordKind::Model, &id("m1")).unwrap().is_none());
    let err = store
        .delete(RecordKind::Model, &id("m1"), Expected::Any, false)
        .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"no model with ID m1");
    let err = store
        .put(model("m1", "x"), Expected::Revision(2))
        .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"model m1 is at revision absent (deleted), not 2: it was changed by someone else; read it again and reapply your change");
}

#[test]
fn invalid_records_are_refused_with_every_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let bad = record(serde_json::json!({"kind": "observation", "record": {
        "id": "o1", "indicator": "complaints_resolved", "province": "bac-kan", "period": "2026",
        "numerator": 9, "denominator": 4}}));
    let err = store.put(bad, Expected::Any).unwrap_err();
    let StoreError::Invalid { problems } = &err else {
        panic!("{err}")
    };
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(format!("{err}\n{}", lines.join("\n")), @r"
    the write was refused: error: observation o1: numerator: numerator 9 is greater than the denominator 4 (and 1 more)
    error: observation o1: numerator: numerator 9 is greater than the denominator 4
    error: observation o1: province: Bắc Kạn does not exist on 2026-01-01: it was merged into Thái Nguyên after 2025-06-30
    ");
    assert_eq!(store.revision().unwrap(), 0);
}

#[test]
fn warnings_do_not_block_and_are_returned() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let o = record(serde_json::json!({"kind": "observation", "record": {
        "id": "o1", "indicator": "complaints_resolved", "province": "yen-bai", "period": "2024",
        "numerator": 388, "denominator": 402, "stated": "trên 97%"}}));
    let r = store.put(o, Expected::Any).unwrap();
    assert_eq!(r.revision, 1);
    insta::assert_snapshot!(r.warnings[0].to_string(), @r#"warning: observation o1: stated: stated "trên 97%" does not match the computed 96,52% (388/402)"#);
}

#[test]
fn a_batch_is_all_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let good = model("good", "Tốt");
    let bad = record(serde_json::json!({"kind": "model", "record": {
        "id": "bad", "name": "", "province": "thai-nguyen", "owning_unit": "x", "field": "economy", "start_year": 2020}}));
    let err = store
        .apply(vec![
            Op::Put {
                record: good,
                expected: Expected::Any,
            },
            Op::Put {
                record: bad,
                expected: Expected::Any,
            },
        ])
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    assert!(store.get(RecordKind::Model, &id("good")).unwrap().is_none());
    assert_eq!(store.revision().unwrap(), 0);

    let twice = store
        .apply(vec![
            Op::Put {
                record: model("x", "a"),
                expected: Expected::Any,
            },
            Op::Put {
                record: model("x", "b"),
                expected: Expected::Any,
            },
        ])
        .unwrap_err();
    insta::assert_snapshot!(twice.to_string(), @"the write was refused: error: model x: id: model x appears more than once in the batch");
}

#[test]
fn references_must_resolve_within_the_batch_or_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let conf = |reviewed: &str| {
        record(serde_json::json!({"kind": "conference", "record": {
            "id": "c1", "kinds": ["directive_review"], "title": "Sơ kết", "date": "2024-06-20",
            "province": "thai-nguyen", "host": "Ban Dân vận", "format": {"mode": "in_person"},
            "reviewed_directives": [reviewed]}}))
    };
    let err = store.put(conf("d1"), Expected::Any).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"the write was refused: error: conference c1: reviewed_directives[0]: refers to directive d1, which does not exist");

    let directive = record(serde_json::json!({"kind": "directive", "record": {
        "id": "d1", "number": "05-ĐA/TU", "doc_type": "scheme", "issuer": "Tỉnh ủy Thái Nguyên",
        "title": "Đề án", "issued_on": "2021-04-12", "province": "thai-nguyen"}}));
    store
        .apply(vec![
            Op::Put {
                record: conf("d1"),
                expected: Expected::Any,
            },
            Op::Put {
                record: directive,
                expected: Expected::Any,
            },
        ])
        .unwrap();
    assert_eq!(
        store.referrers(RecordKind::Directive, &id("d1")).unwrap(),
        vec![(RecordKind::Conference, id("c1"))]
    );
}

#[test]
fn deleting_a_referenced_record_is_refused_unless_cascaded() {
    let (_tmp, store) = demo_store();
    let err = store
        .delete(
            RecordKind::Directive,
            &id("tn-05-da-2021"),
            Expected::Any,
            false,
        )
        .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"directive tn-05-da-2021 is referred to by conference tn-2023-so-ket-de-an-05: delete those first, or cascade");

    let r = store
        .delete(
            RecordKind::Directive,
            &id("tn-05-da-2021"),
            Expected::Any,
            true,
        )
        .unwrap();
    let summary: Vec<String> = r
        .changes
        .iter()
        .map(|c| format!("{:?} {} {}", c.action, c.kind, c.id))
        .collect();
    insta::assert_snapshot!(summary.join("\n"), @r"
    Updated conference tn-2023-so-ket-de-an-05
    Deleted directive tn-05-da-2021
    ");
    let conf = store
        .get(RecordKind::Conference, &id("tn-2023-so-ket-de-an-05"))
        .unwrap()
        .unwrap();
    let AnyRecord::Conference(c) = conf.record else {
        panic!()
    };
    assert!(c.reviewed_directives.is_empty());
    assert!(store.validate().unwrap().iter().all(|p| !p.is_error()));
}

#[test]
fn deleting_an_indicator_cascades_to_its_observations_and_their_citations() {
    let (_tmp, store) = demo_store();
    let r = store
        .delete(
            RecordKind::Indicator,
            &id("communes_dan_van_kheo_standard"),
            Expected::Any,
            true,
        )
        .unwrap();
    let mut summary: Vec<String> = r
        .changes
        .iter()
        .map(|c| format!("{:?} {} {}", c.action, c.kind, c.id))
        .collect();
    summary.sort();
    insta::assert_snapshot!(summary.join("\n"), @r"
    Deleted indicator communes_dan_van_kheo_standard
    Deleted observation tn-2024-dvk-communes
    Deleted observation tn-2025-dvk-communes
    Deleted target tn-2025-dvk-communes-muc-tieu
    ");
    assert!(store.validate().unwrap().iter().all(|p| !p.is_error()));
}

/// While a large import is planned and written, readers answer at once with the state before
/// it; after, with the state after it; never anything between.
#[test]
fn readers_see_the_state_before_or_after_an_import_never_between() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let tmp = tempfile::tempdir().unwrap();
    let store = Arc::new(JsonStore::init(tmp.path()).unwrap());
    let dataset = danvan_core::dataset::Dataset::from_records(
        danvan_core::generate::Generator::new(20_000, 5)
            .records()
            .collect::<Vec<_>>(),
    );
    let total = dataset.len();
    let done = Arc::new(AtomicBool::new(false));
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let importer = {
        let (store, done) = (store.clone(), done.clone());
        std::thread::spawn(move || {
            started_tx.send(()).unwrap();
            let report = store
                .import(dataset, danvan_store::ImportOptions::default())
                .unwrap();
            done.store(true, Ordering::SeqCst);
            report
        })
    };
    started_rx.recv().unwrap();
    let (mut before, mut after) = (0usize, 0usize);
    while !done.load(Ordering::SeqCst) {
        // One read: the page's total and the revision it was read at.
        let page = store
            .query(&danvan_store::Query {
                limit: 1,
                ..danvan_store::Query::default()
            })
            .unwrap();
        match (page.revision, page.total) {
            (0, 0) => before += 1,
            (1, n) if n == total => after += 1,
            other => panic!("a reader saw {other:?}: between the states"),
        }
    }
    let report = importer.join().unwrap();
    assert_eq!(report.created, total);
    assert!(
        before > 0,
        "no read answered while the import ran ({after} after)"
    );
    assert_eq!(
        (store.revision().unwrap(), store.len().unwrap()),
        (1, total)
    );
}

/// The registry of reporting units holds what figures name: a unit's figure is refused until
/// the unit is registered, and a unit that figures name can be neither deleted nor renamed nor
/// cut short under them — the figures would no longer resolve. Deleting both in one batch, or
/// renaming with the old name kept as an alias, is fine.
#[test]
fn a_unit_named_by_figures_stays_while_they_name_it() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let record = |v: serde_json::Value| -> AnyRecord { serde_json::from_value(v).unwrap() };
    let unit = |name: &str, extra: serde_json::Value| {
        let mut r = serde_json::json!({"id": "tn-vo-nhai", "name": name, "level": "district",
            "province": "thai-nguyen", "until": "2025-06-30"});
        if let (Some(r), Some(e)) = (r.as_object_mut(), extra.as_object()) {
            r.extend(e.clone());
        }
        record(serde_json::json!({"kind": "unit", "record": r}))
    };
    let figure = record(serde_json::json!({"kind": "observation", "record": {
        "id": "tn-2024-vo-nhai-dialogues", "indicator": "dialogues_held",
        "province": "thai-nguyen", "unit": {"name": "Võ Nhai", "level": "district"},
        "period": "2024", "value": 9}}));
    let err = store.put(figure.clone(), Expected::Absent).unwrap_err();
    assert!(
        err.to_string()
            .contains("is not a registered unit of thai-nguyen"),
        "{err}"
    );
    store
        .put(
            unit("huyện Võ Nhai", serde_json::json!({})),
            Expected::Absent,
        )
        .unwrap();
    store.put(figure, Expected::Absent).unwrap();
    let unit_key = (RecordKind::Unit, RecordId::new("tn-vo-nhai").unwrap());
    let refused = |result: Result<danvan_store::Receipt, StoreError>| {
        let err = result.unwrap_err();
        assert!(
            err.to_string()
                .contains("figures tn-2024-vo-nhai-dialogues name this unit"),
            "{err}"
        );
    };
    refused(store.apply(vec![Op::Delete {
        kind: unit_key.0,
        id: unit_key.1.clone(),
        expected: Expected::Any,
        cascade: false,
    }]));
    refused(store.put(
        unit("huyện Võ Nhai (mới)", serde_json::json!({})),
        Expected::Any,
    ));
    refused(store.put(
        unit("huyện Võ Nhai", serde_json::json!({"until": "2023-12-31"})),
        Expected::Any,
    ));
    // Renamed with the old name kept as an alias: the figure still resolves.
    store
        .put(
            unit(
                "huyện Võ Nhai (cũ)",
                serde_json::json!({"aliases": ["huyện Võ Nhai"]}),
            ),
            Expected::Any,
        )
        .unwrap();
    // The figure and its unit deleted together.
    store
        .apply(vec![
            Op::Delete {
                kind: RecordKind::Observation,
                id: RecordId::new("tn-2024-vo-nhai-dialogues").unwrap(),
                expected: Expected::Any,
                cascade: false,
            },
            Op::Delete {
                kind: unit_key.0,
                id: unit_key.1,
                expected: Expected::Any,
                cascade: false,
            },
        ])
        .unwrap();
    assert_eq!(store.len().unwrap(), 0);
}
