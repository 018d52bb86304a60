//! The crash test: a child process writes and reports each acknowledged write; this process
//! kills it with SIGKILL at a random moment, then checks that the store opens, validates, and
//! holds every acknowledged write. Repeated for `DANVAN_CRASH_ROUNDS` rounds (20 by default;
//! `cargo xtask crash-test` runs 200).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Expected, JsonStore, Op, Options, Store};

use crate::model;

const CHILD_ENV: &str = "DANVAN_TEST_CRASH_CHILD";

/// Small enough that crashes also land in the middle of compactions.
fn child_options() -> Options {
    Options {
        compact_after_bytes: 6_000,
        ..Options::default()
    }
}

/// The writer: puts new models, updates old ones, sometimes in batches, forever; prints
/// `ACK <id> <revision>` after each acknowledged write.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    // libtest has printed "test … " without a newline; start our output on a line of its own.
    println!();
    let store = JsonStore::open_with(Path::new(&dir), child_options()).unwrap();
    let base = store.len().unwrap();
    let mut i = 0usize;
    loop {
        let id = format!("m{:06}", base + i);
        let receipt = if i % 5 == 4 {
            let ops = (0..3)
                .map(|k| Op::Put {
                    record: model(&format!("{id}-b{k}"), "Mô hình theo lô"),
                    expected: Expected::Any,
                })
                .collect();
            store.apply(ops).unwrap()
        } else if i % 3 == 2 && base + i > 0 {
            let old = format!("m{:06}", (base + i) / 2);
            let name = format!("Sửa lần {i}");
            store.put(model(&old, &name), Expected::Any).unwrap()
        } else {
            store
                .put(model(&id, "Mô hình mới"), Expected::Absent)
                .unwrap()
        };
        for c in &receipt.changes {
            println!("ACK {} {}", c.id, receipt.revision);
        }
        i += 1;
    }
}

/// A tiny deterministic generator for kill delays, so a failing round can be replayed.
fn delays(seed: u64) -> impl Iterator<Item = u64> {
    let mut x = seed;
    std::iter::from_fn(move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        Some(x)
    })
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let rounds: usize = std::env::var("DANVAN_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let tmp = tempfile::tempdir().unwrap();
    JsonStore::init(tmp.path()).unwrap();
    let mut acked: HashMap<String, u64> = HashMap::new();
    let mut torn_rounds = 0;
    let mut total_acks = 0usize;
    let started = Instant::now();
    let mut delay = delays(0x9E37_79B9_7F4A_7C15);
    for round in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::crash_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, tmp.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("ACK ") {
                    let mut p = rest.split(' ');
                    let (id, rev) = (
                        p.next().unwrap().to_string(),
                        p.next().unwrap().parse::<u64>().unwrap(),
                    );
                    let _ = tx.send((id, rev));
                }
            }
        });
        // Let the child open the store and write for a while, then kill it mid-flight.
        // tidy: sleep is the crash test's subject: a kill at a random moment of the writes.
        let wait = Duration::from_millis(30 + delay.next().unwrap() % 120);
        std::thread::sleep(wait);
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        for (id, rev) in rx.try_iter() {
            total_acks += 1;
            let e = acked.entry(id).or_insert(0);
            *e = (*e).max(rev);
        }
        let journal = crate::current_journal(tmp.path());
        let bytes = std::fs::read(&journal).unwrap();
        if !bytes.is_empty() && bytes.last() != Some(&b'\n') {
            torn_rounds += 1;
        }

        let store = JsonStore::open(tmp.path())
            .unwrap_or_else(|e| panic!("round {round}: the store does not open: {e}"));
        let errors = crate::errors(&store);
        assert!(errors.is_empty(), "round {round}: {errors:?}");
        for (id, rev) in &acked {
            let got = store
                .get(RecordKind::Model, &RecordId::new(id.as_str()).unwrap())
                .unwrap()
                .unwrap_or_else(|| panic!("round {round}: acknowledged model {id} is missing"));
            assert!(
                got.revision >= *rev,
                "round {round}: {id} at revision {} < acknowledged {rev}",
                got.revision
            );
        }
    }
    eprintln!(
        "crash test: {rounds} rounds, {total_acks} acknowledged writes ({} distinct records), {torn_rounds} rounds ended with a torn journal line, all recovered, {:.1}s",
        acked.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        acked.len() > rounds,
        "the child wrote too little to test anything"
    );
}
