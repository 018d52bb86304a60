//! Several processes on one store: changes are seen, and no update is lost.
//!
//! The child processes are this test binary run again with an environment variable that turns
//! `child_increment` from a no-op into the worker.

use std::path::Path;
use std::process::{Command, Stdio};

use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::number::Decimal;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Expected, JsonStore, Store, StoreError};

use crate::{model, record};

const CHILD_ENV: &str = "DANVAN_TEST_CHILD_STORE";
const INCREMENTS_ENV: &str = "DANVAN_TEST_CHILD_INCREMENTS";

fn counter_id() -> RecordId {
    RecordId::new("counter").unwrap()
}

fn counter(value: i64) -> AnyRecord {
    record(serde_json::json!({"kind": "observation", "record": {
        "id": "counter", "indicator": "dialogues_held", "province": "thai-nguyen",
        "period": "2024", "value": value}}))
}

fn value(r: &AnyRecord) -> i64 {
    match r {
        AnyRecord::Observation(o) => o.value.unwrap_or(Decimal::ZERO).units(),
        _ => panic!("not the counter"),
    }
}

#[test]
fn a_second_handle_sees_the_first_ones_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let a = JsonStore::init(tmp.path()).unwrap();
    let b = JsonStore::open(tmp.path()).unwrap();
    a.put(model("m1", "Một"), Expected::Absent).unwrap();
    assert_eq!(b.revision().unwrap(), 1);
    assert!(
        b.get(RecordKind::Model, &"m1".parse().unwrap())
            .unwrap()
            .is_some()
    );
    b.put(model("m2", "Hai"), Expected::Absent).unwrap();
    a.compact().unwrap();
    b.put(model("m3", "Ba"), Expected::Absent).unwrap();
    assert_eq!(a.len().unwrap(), 3);
    assert_eq!(a.revision().unwrap(), 3);
    // b was one journal generation behind after a's compaction and caught up without reloading.
    assert_eq!(b.export(None).unwrap(), a.export(None).unwrap());
}

/// The name of `m1` that `get_now_with` lends from `s`: `None` when it would have to wait.
fn lent_name(s: &JsonStore) -> Option<String> {
    let mut name = None;
    s.get_now_with(RecordKind::Model, &"m1".parse().unwrap(), &mut |found| {
        if let Some(AnyRecord::Model(m)) = found.map(|st| st.record.to_owned()) {
            name = Some(m.name.to_string());
        }
    })?
    .unwrap();
    name
}

/// A read that does not wait (the API's fast path) never lends what another handle has
/// changed since: not after an append, not after a compaction that left the journal the same
/// length, not after a file was put back by hand.
#[test]
fn a_read_without_waiting_never_lends_what_another_handle_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let a = JsonStore::init(tmp.path()).unwrap();
    a.put(model("m1", "Một"), Expected::Absent).unwrap();
    let b = JsonStore::open(tmp.path()).unwrap();
    assert_eq!(lent_name(&b).as_deref(), Some("Một"));

    a.put(model("m1", "Hai"), Expected::Any).unwrap();
    assert_eq!(lent_name(&b), None, "an append by another handle");
    assert!(b.revision_now().is_none());
    b.get(RecordKind::Model, &"m1".parse().unwrap()).unwrap();
    assert_eq!(lent_name(&b).as_deref(), Some("Hai"));

    a.compact().unwrap();
    assert_eq!(lent_name(&b), None, "a compaction by another handle");
    assert_eq!(b.revision().unwrap(), 2);
    assert_eq!(lent_name(&b).as_deref(), Some("Hai"));

    // The checkpoint put back by hand with the same bytes: a new file all the same.
    let cp = tmp.path().join("checkpoint.json");
    let bytes = std::fs::read(&cp).unwrap();
    let copy = tmp.path().join("checkpoint.copy");
    std::fs::write(&copy, &bytes).unwrap();
    std::fs::rename(&copy, &cp).unwrap();
    assert_eq!(lent_name(&b), None, "a replaced checkpoint");
    assert_eq!(b.revision().unwrap(), 2);
    assert_eq!(lent_name(&b).as_deref(), Some("Hai"));

    // b's own writes keep its reads without waiting.
    b.put(model("m1", "Ba"), Expected::Any).unwrap();
    assert_eq!(lent_name(&b).as_deref(), Some("Ba"));
    assert_eq!(b.revision_now().unwrap().unwrap(), 3);
    assert_eq!(lent_name(&a), None);
}

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

/// The worker: increments the counter `n` times with optimistic concurrency (read, think for a
/// moment, write the revision it read), retrying on conflict, and prints how many increments and
/// conflicts it had and when it started and finished.
#[test]
fn child_increment() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    // libtest has printed "test … " without a newline; start our output on a line of its own.
    println!();
    let n: u64 = std::env::var(INCREMENTS_ENV).unwrap().parse().unwrap();
    let store = JsonStore::open(Path::new(&dir)).unwrap();
    // Both workers begin together: each says it is ready, then blocks until the parent, having
    // heard from both, writes GO to its standard input.
    println!("READY");
    std::io::Write::flush(&mut std::io::stdout()).unwrap();
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).unwrap();
    assert_eq!(go.trim(), "GO");
    let started = now_ms();
    let (mut done, mut conflicts) = (0u64, 0u64);
    while done < n {
        let current = store
            .get(RecordKind::Observation, &counter_id())
            .unwrap()
            .unwrap();
        // tidy: sleep widens the window between read and write, so that the two writers really
        // collide: the race is what this test is about, not a wait for the other process.
        std::thread::sleep(std::time::Duration::from_micros(100));
        match store.put(
            counter(value(&current.record) + 1),
            Expected::Revision(current.revision),
        ) {
            Ok(_) => done += 1,
            Err(StoreError::Conflict { .. }) => conflicts += 1,
            Err(e) => panic!("{e}"),
        }
    }
    println!("RESULT {done} {conflicts} {started} {}", now_ms());
}

fn spawn_child(dir: &Path, n: u64) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "multiprocess::child_increment",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir)
        .env(INCREMENTS_ENV, n.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

#[test]
fn two_processes_with_conflicting_updates_lose_none() {
    let n: u64 = 2_000;
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    store.put(counter(0), Expected::Absent).unwrap();
    let start = store.revision().unwrap();
    let mut children = [spawn_child(tmp.path(), n), spawn_child(tmp.path(), n)];
    // Wait until both have opened the store and said so, then start them together.
    let mut outputs = Vec::new();
    for child in &mut children {
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                std::io::BufRead::read_line(&mut out, &mut line).unwrap() > 0,
                "child ended before it was ready"
            );
            if line.trim() == "READY" {
                break;
            }
        }
        outputs.push(out);
    }
    for child in &mut children {
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"GO\n").unwrap();
    }
    let mut conflicts = Vec::new();
    let mut spans = Vec::new();
    for (child, mut out) in children.into_iter().zip(outputs) {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut out, &mut text).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "child failed");
        let line = text
            .lines()
            .find(|l| l.starts_with("RESULT "))
            .expect("child printed its result");
        let parts: Vec<u128> = line
            .split(' ')
            .skip(1)
            .map(|x| x.parse().unwrap())
            .collect();
        assert_eq!(parts[0], u128::from(n));
        conflicts.push(parts[1]);
        spans.push((parts[2], parts[3]));
    }
    // The two really ran at the same time…
    assert!(
        spans[0].0 < spans[1].1 && spans[1].0 < spans[0].1,
        "no overlap: {spans:?}"
    );
    // …and really got in each other's way, each conflict reported to its writer, who retried.
    assert!(
        conflicts.iter().all(|c| *c > 0),
        "conflicts per process: {conflicts:?}"
    );
    let final_counter = store
        .get(RecordKind::Observation, &counter_id())
        .unwrap()
        .unwrap();
    // Every acknowledged increment is in the value: nothing was overwritten unseen…
    assert_eq!(value(&final_counter.record), 2 * n as i64);
    // …and each one took exactly one revision.
    assert_eq!(store.revision().unwrap(), start + 2 * n);
    eprintln!(
        "two processes × {n} increments: {conflicts:?} conflicts reported and retried; ran {:?} ms",
        spans.iter().map(|(a, b)| b - a).collect::<Vec<_>>()
    );
}

/// A session signed out through one handle (one server) is ended for another handle on the
/// same directory (another server, or the CLI) and for a handle opened later (a restart); the
/// file that keeps it is not the records' and never damage to them.
#[test]
fn a_session_ended_by_one_handle_is_ended_for_every_handle() {
    let tmp = tempfile::tempdir().unwrap();
    let a = JsonStore::init(tmp.path()).unwrap();
    let b = JsonStore::open(tmp.path()).unwrap();
    // A time to come: a store drops what has expired by the clock when it writes.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86_400;
    assert!(
        !b.session_ended("s1", now).unwrap(),
        "read before it exists"
    );
    a.end_session("s1", now + 100).unwrap();
    assert!(b.session_ended("s1", now).unwrap());
    b.end_session("s2", now + 100).unwrap();
    assert!(a.session_ended("s2", now).unwrap() && a.session_ended("s1", now).unwrap());
    drop((a, b));
    let c = JsonStore::open(tmp.path()).unwrap();
    assert!(c.session_ended("s1", now).unwrap() && c.session_ended("s2", now).unwrap());
    c.verify().unwrap();
    // A damaged file is named, never taken as "nothing was ended".
    std::fs::write(tmp.path().join("sessions.json"), b"{\"ended\": {\"s1\": ").unwrap();
    let err = c.session_ended("s1", now).unwrap_err();
    assert!(err.to_string().contains("sessions.json"), "{err}");
}
