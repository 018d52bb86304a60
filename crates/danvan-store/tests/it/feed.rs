//! Who changed what: every write's author in the change feed and the record's history, paging,
//! history that survives compaction, and pruning that says what it pruned.

use danvan_core::record_kind::RecordKind;
use danvan_store::{Action, Author, Expected, JsonStore, Op, Options, Store, StoreError};

use crate::model;

fn clerk() -> Author {
    Author::new("Nguyễn Thị Lan").with_reason(Some("theo Báo cáo số 115-BC/TU"))
}

fn renamed(id: &str, name: &str) -> danvan_core::dataset::AnyRecord {
    model(id, name)
}

#[test]
fn the_feed_lists_every_change_in_order_with_its_author_and_tombstones() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    store
        .put_by(model("a", "Một"), Expected::Absent, &clerk())
        .unwrap();
    store.put(model("b", "Hai"), Expected::Absent).unwrap();
    store
        .put_by(
            renamed("a", "Một (sửa)"),
            Expected::Revision(1),
            &Author::new("portal"),
        )
        .unwrap();
    store
        .delete_by(
            RecordKind::Model,
            &"b".parse().unwrap(),
            Expected::Any,
            false,
            &clerk(),
        )
        .unwrap();

    let page = store.changes("0", 100).unwrap();
    assert_eq!(
        (page.revision, page.oldest, page.next.as_deref()),
        (4, 1, None)
    );
    // Revision, ID, action, actor, reason, whether the record is there.
    type Row<'a> = (u64, &'a str, Action, &'a str, Option<&'a str>, bool);
    let rows: Vec<Row<'_>> = page
        .items
        .iter()
        .map(|c| {
            (
                c.revision,
                c.id.as_str(),
                c.action,
                c.author.actor.as_str(),
                c.author.reason.as_deref(),
                c.record.is_some(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                1,
                "a",
                Action::Created,
                "Nguyễn Thị Lan",
                Some("theo Báo cáo số 115-BC/TU"),
                true
            ),
            (2, "b", Action::Created, Author::UNNAMED, None, true),
            (3, "a", Action::Updated, "portal", None, true),
            (
                4,
                "b",
                Action::Deleted,
                "Nguyễn Thị Lan",
                Some("theo Báo cáo số 115-BC/TU"),
                false
            ),
        ]
    );
    assert!(page.items[0].at.ends_with('Z'), "{}", page.items[0].at);
    // After the latest: nothing, and no next.
    let empty = store.changes("4", 100).unwrap();
    assert!(empty.items.is_empty() && empty.next.is_none());
    assert!(matches!(
        store.changes("x", 10),
        Err(StoreError::BadQuery(_))
    ));
}

#[test]
fn pages_split_a_batch_and_join_back_to_the_whole_feed() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    store.put(model("first", "Đầu"), Expected::Absent).unwrap();
    let batch: Vec<Op> = (0..5)
        .map(|i| Op::Put {
            record: model(&format!("m{i}"), "Lô"),
            expected: Expected::Absent,
        })
        .collect();
    store.apply_by(batch, &Author::new("import")).unwrap();
    store.put(model("last", "Cuối"), Expected::Absent).unwrap();
    let whole: Vec<String> = store
        .changes("0", 100)
        .unwrap()
        .items
        .iter()
        .map(|c| format!("{}:{}", c.revision, c.id))
        .collect();
    assert_eq!(whole.len(), 7);
    let mut paged = Vec::new();
    let mut after = "0".to_string();
    let mut positions = Vec::new();
    loop {
        let page = store.changes(&after, 2).unwrap();
        paged.extend(
            page.items
                .iter()
                .map(|c| format!("{}:{}", c.revision, c.id)),
        );
        match page.next {
            Some(n) => {
                positions.push(n.clone());
                after = n;
            }
            None => break,
        }
    }
    assert_eq!(paged, whole);
    assert_eq!(positions, ["2.0", "2.2", "2"]);
}

#[test]
fn history_survives_compaction_and_names_each_field_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let options = Options {
        compact_after_bytes: 1,
        ..Options::default()
    };
    JsonStore::init(tmp.path()).unwrap();
    let store = JsonStore::open_with(tmp.path(), options).unwrap();
    store
        .put_by(model("a", "Một"), Expected::Absent, &clerk())
        .unwrap();
    for (i, name) in ["Hai", "Ba", "Bốn"].iter().enumerate() {
        store
            .put_by(
                renamed("a", name),
                Expected::Revision(i as u64 + 1),
                &Author::new("portal"),
            )
            .unwrap();
    }
    // Every write compacted: the older journals are in history/ now.
    assert!(tmp.path().join("history").read_dir().unwrap().count() >= 2);
    let history = store
        .history(RecordKind::Model, &"a".parse().unwrap())
        .unwrap();
    let names: Vec<(u64, Action, &str, String)> = history
        .iter()
        .map(|h| {
            let change = h.changes.iter().find(|c| c.field == "name").unwrap();
            (
                h.revision,
                h.action,
                h.author.actor.as_str(),
                format!("{:?} → {:?}", change.old, change.new),
            )
        })
        .collect();
    assert_eq!(names.len(), 4, "{names:#?}");
    assert_eq!(names[0].1, Action::Created);
    assert_eq!(names[0].2, "Nguyễn Thị Lan");
    assert_eq!(names[3].3, r#"Some(String("Ba")) → Some(String("Bốn"))"#);
    // An update names only what changed.
    assert_eq!(history[2].changes.len(), 1, "{:#?}", history[2].changes);
    drop(store);
    let reopened = JsonStore::open(tmp.path()).unwrap();
    assert_eq!(
        reopened
            .history(RecordKind::Model, &"a".parse().unwrap())
            .unwrap(),
        history
    );
}

#[test]
fn pruned_history_is_said_not_hidden() {
    let tmp = tempfile::tempdir().unwrap();
    JsonStore::init(tmp.path()).unwrap();
    let store = JsonStore::open_with(
        tmp.path(),
        Options {
            compact_after_bytes: 1,
            history_keep_bytes: 0,
            ..Options::default()
        },
    )
    .unwrap();
    store.put(model("a", "Một"), Expected::Absent).unwrap();
    for (i, name) in ["Hai", "Ba", "Bốn"].iter().enumerate() {
        store
            .put(renamed("a", name), Expected::Revision(i as u64 + 1))
            .unwrap();
    }
    let err = store.changes("0", 10).unwrap_err();
    assert!(matches!(err, StoreError::Pruned { after: 0, .. }), "{err}");
    let page = store.changes("3", 10).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        page.oldest, 4,
        "the newest write only: every older journal was pruned"
    );
    let history = store
        .history(RecordKind::Model, &"a".parse().unwrap())
        .unwrap();
    assert_eq!(
        history.first().unwrap().action,
        Action::Updated,
        "{history:#?}"
    );
}

#[test]
fn a_history_finds_a_record_inside_a_large_batch_and_follows_later_writes() {
    let tmp = tempfile::tempdir().unwrap();
    JsonStore::init(tmp.path()).unwrap();
    let store = JsonStore::open(tmp.path()).unwrap();
    // One commit of 2,000 records, the way an import lands.
    let batch: Vec<Op> = (0..2000)
        .map(|i| Op::Put {
            record: model(&format!("m{i}"), &format!("Mô hình {i}")),
            expected: Expected::Absent,
        })
        .collect();
    store.apply_by(batch, &clerk()).unwrap();
    // What a server does at start, so that no request waits for the journals' index.
    store.warm_up().unwrap();
    let id = |s: &str| s.parse().unwrap();
    let h = store.history(RecordKind::Model, &id("m1234")).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].action, Action::Created);
    assert_eq!(h[0].author.actor, "Nguyễn Thị Lan");
    assert!(h[0].changes.iter().any(|c| c.field == "name"));
    // Later writes, from this handle and from another (as another process would), are found
    // as the journal grows.
    store
        .put_by(
            renamed("m1234", "Mô hình (sửa)"),
            Expected::Revision(1),
            &Author::new("portal"),
        )
        .unwrap();
    let other = JsonStore::open(tmp.path()).unwrap();
    other
        .put_by(
            renamed("m1234", "Mô hình (sửa lần 2)"),
            Expected::Revision(2),
            &Author::new("cli"),
        )
        .unwrap();
    let h = store.history(RecordKind::Model, &id("m1234")).unwrap();
    let who: Vec<&str> = h.iter().map(|e| e.author.actor.as_str()).collect();
    assert_eq!(who, ["Nguyễn Thị Lan", "portal", "cli"]);
    assert_eq!(h, other.history(RecordKind::Model, &id("m1234")).unwrap());
    assert_eq!(
        store.history(RecordKind::Model, &id("m7")).unwrap().len(),
        1
    );
    assert!(
        store
            .history(RecordKind::Model, &id("nope"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_history_over_a_damaged_journal_reports_the_damage() {
    let tmp = tempfile::tempdir().unwrap();
    JsonStore::init(tmp.path()).unwrap();
    let store = JsonStore::open(tmp.path()).unwrap();
    store
        .put_by(model("a", "Một"), Expected::Absent, &clerk())
        .unwrap();
    store
        .put(renamed("a", "Hai"), Expected::Revision(1))
        .unwrap();
    let id = "a".parse().unwrap();
    assert_eq!(store.history(RecordKind::Model, &id).unwrap().len(), 2);
    // A flipped byte inside the record's first op, after its history was indexed.
    let journal = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("journal-")
        })
        .unwrap();
    let mut bytes = std::fs::read(&journal).unwrap();
    let at = bytes
        .windows(5)
        .position(|w| w == "Một".as_bytes()[..5].as_ref())
        .unwrap();
    bytes[at] ^= 0x20;
    std::fs::write(&journal, &bytes).unwrap();
    let err = store.history(RecordKind::Model, &id).unwrap_err();
    assert!(
        matches!(err, StoreError::Damaged { .. }),
        "damage is reported, never read as a different history: {err}"
    );
}

/// The bug an integrator found: a page ending inside a multi-record revision that was the last
/// of its journal file; following `next` started at the following file and skipped the rest
/// of that revision.
#[test]
fn a_page_ending_inside_the_last_revision_of_a_journal_goes_on_in_that_journal() {
    let tmp = tempfile::tempdir().unwrap();
    JsonStore::init(tmp.path()).unwrap();
    // Every write is folded in and its journal retired: one revision per journal file.
    let store = JsonStore::open_with(
        tmp.path(),
        Options {
            compact_after_bytes: 1,
            ..Options::default()
        },
    )
    .unwrap();
    let batch: Vec<Op> = (0..5)
        .map(|i| Op::Put {
            record: model(&format!("m{i}"), "Lô"),
            expected: Expected::Absent,
        })
        .collect();
    store.apply_by(batch, &Author::new("import")).unwrap();
    store.put(model("last", "Cuối"), Expected::Absent).unwrap();
    let first = store.changes("0", 2).unwrap();
    assert_eq!(first.next.as_deref(), Some("1.1"));
    let second = store.changes("1.1", 2).unwrap();
    let ids: Vec<&str> = second.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["m2", "m3"]);
    assert_eq!(second.next.as_deref(), Some("1.3"));
    let third = store.changes("1.3", 10).unwrap();
    let ids: Vec<&str> = third.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["m4", "last"]);
}

/// A position inside a revision whose start was pruned is pruned too, though the revision's
/// end is after the oldest whole revision the feed would otherwise give.
#[test]
fn a_position_inside_a_pruned_revision_is_pruned() {
    let tmp = tempfile::tempdir().unwrap();
    JsonStore::init(tmp.path()).unwrap();
    let store = JsonStore::open_with(
        tmp.path(),
        Options {
            compact_after_bytes: 1,
            history_keep_bytes: 0,
            ..Options::default()
        },
    )
    .unwrap();
    store
        .apply(
            (0..3)
                .map(|i| Op::Put {
                    record: model(&format!("m{i}"), "Lô"),
                    expected: Expected::Absent,
                })
                .collect(),
        )
        .unwrap();
    store.put(model("a", "Một"), Expected::Absent).unwrap();
    // Revision 1's journal was pruned; revision 2's is the current one.
    assert_eq!(store.changes("1", 10).unwrap().items.len(), 1);
    let err = store.changes("1.0", 10).unwrap_err();
    assert!(matches!(err, StoreError::Pruned { .. }), "{err}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 40,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Followers at every page size, over writes that rotate and compact the journals at any
    /// size (every write, every few writes, never), see the whole feed once, in order.
    #[test]
    fn followers_never_skip_or_repeat_across_rotations(
        steps in proptest::collection::vec((1u8..=6, 0u8..8), 1..10),
        compact in proptest::prop_oneof![
            proptest::strategy::Just(1u64),
            200u64..4000,
            proptest::strategy::Just(16u64 << 20),
        ],
    ) {
        let tmp = tempfile::tempdir().unwrap();
        JsonStore::init(tmp.path()).unwrap();
        let store = JsonStore::open_with(
            tmp.path(),
            Options {
                compact_after_bytes: compact,
                ..Options::default()
            },
        )
        .unwrap();
        crate::conformance::followers_never_skip_or_repeat(&store, &steps);
    }
}
