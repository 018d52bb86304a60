//! Repairing a damaged store: what the files still hold is kept, what they lost is named.
//!
//! [`JsonStore::repair`](super::JsonStore::repair) works on a closed store under its exclusive
//! lock, in this order, copying every file it changes to `backups/repair-<time>/` first:
//!
//! 1. a checkpoint older than the journals (a later journal holds writes) is pointed at the
//!    latest journal, at the revision before that journal's first entry;
//! 2. a missing journal is created empty — the writes it held are lost;
//! 3. a journal with a damaged entry is cut before it — that entry and every later one are
//!    lost (the copy in the backup keeps their bytes for a person to read);
//! 4. every shard is read (one that does not parse stops the repair, named: fix it by hand
//!    first), and the checkpoint is written listing the shards as they are — an edited shard is
//!    accepted as edited, a missing one's records are lost unless a later journal entry holds
//!    them, an unlisted one is taken in;
//! 5. the store is opened, to prove the repair.
//!
//! A dry run reports the same without writing.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::fsutil::{create_dir_durable, sync_dir, write_atomic};
use super::layout::{CHECKPOINT, Checkpoint, PENDING, ShardSum, journal_path, shard_name};
use super::{journal, read_json, shards, to_json};
use crate::error::{StoreError, io_err};

/// One thing repair found, what it did, and what could not be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Repair {
    /// The file.
    pub path: PathBuf,
    /// What was wrong.
    pub found: String,
    /// What repair did (or, in a dry run, would do).
    pub done: String,
    /// What is lost unless restored from elsewhere; `None` when nothing is.
    pub lost: Option<String>,
}

/// What a repair found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RepairReport {
    /// Each finding, in the order repaired.
    pub repairs: Vec<Repair>,
    /// Where the files changed were copied first (`None` when nothing changed or a dry run).
    pub backup: Option<PathBuf>,
    /// Whether this was a dry run.
    pub dry_run: bool,
}

impl RepairReport {
    /// Whether anything was lost for good.
    pub fn lost_anything(&self) -> bool {
        self.repairs.iter().any(|r| r.lost.is_some())
    }
}

/// Copies files into one backup directory, made on first use.
struct Backup {
    root: PathBuf,
    dir: Option<PathBuf>,
    dry_run: bool,
}

impl Backup {
    fn save(&mut self, file: &Path) -> Result<(), StoreError> {
        if self.dry_run || !file.exists() {
            return Ok(());
        }
        let dir = match &self.dir {
            Some(d) => d.clone(),
            None => {
                let stamp = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let d = self
                    .root
                    .join(super::layout::BACKUPS)
                    .join(format!("repair-{stamp}"));
                create_dir_durable(&d)?;
                self.dir = Some(d.clone());
                d
            }
        };
        let target = dir.join(shard_name(&self.root, file));
        if let Some(parent) = target.parent() {
            create_dir_durable(parent)?;
        }
        fs::copy(file, &target).map_err(io_err(&target))?;
        File::open(&target)
            .and_then(|f| f.sync_all())
            .map_err(io_err(&target))?;
        sync_dir(super::fsutil::parent(&target))
    }
}

pub(crate) fn repair(
    dir: &Path,
    dry_run: bool,
    lock_timeout: Duration,
) -> Result<RepairReport, StoreError> {
    let lock = super::fsutil::lock_exclusive(dir, lock_timeout)?;
    let result = repair_locked(dir, dry_run);
    let _ = lock.unlock();
    let report = result?;
    if !dry_run && !report.repairs.is_empty() {
        // 5. Prove it.
        super::JsonStore::open(dir)?;
    }
    Ok(report)
}

fn repair_locked(dir: &Path, dry_run: bool) -> Result<RepairReport, StoreError> {
    let mut report = RepairReport {
        dry_run,
        ..RepairReport::default()
    };
    let mut backup = Backup {
        root: dir.to_path_buf(),
        dir: None,
        dry_run,
    };
    let cp_path = dir.join(CHECKPOINT);
    let mut checkpoint = match read_json::<Checkpoint>(&cp_path) {
        Ok(c) => c,
        Err(e) => {
            let generation = latest_journal(dir).unwrap_or(1);
            report.repairs.push(Repair {
                path: cp_path.clone(),
                found: format!("the checkpoint cannot be read ({e})"),
                done: format!("rebuilt from the files: journal generation {generation}"),
                lost: None,
            });
            Checkpoint {
                generation,
                revision: journal::first_seq(&journal_path(dir, generation))
                    .map_or(0, |s| s.saturating_sub(1)),
                shards: BTreeMap::new(),
            }
        }
    };
    // 1. A later journal with writes: the checkpoint is older than it.
    if let Some(latest) = latest_journal(dir).filter(|g| *g > checkpoint.generation)
        && let Some(seq) = journal::first_seq(&journal_path(dir, latest))
    {
        report.repairs.push(Repair {
            path: cp_path.clone(),
            found: format!(
                "the checkpoint points at generation {} but journal-{latest}.jsonl holds writes from revision {seq}",
                checkpoint.generation
            ),
            done: format!("pointed at generation {latest}, revision {}", seq - 1),
            lost: None,
        });
        checkpoint.generation = latest;
        checkpoint.revision = seq - 1;
    }
    // 2, 3. The journal itself.
    repair_journal(dir, &checkpoint, &mut report, &mut backup)?;
    // 4. The shards, as they are.
    let files = shards::list(dir)?;
    let mut found: BTreeMap<String, ShardSum> = BTreeMap::new();
    shards::load(&files, |loaded| {
        found.insert(shard_name(dir, &files[loaded.file].1), loaded.sum);
        Ok(())
    })?;
    compare_shards(dir, &checkpoint, &found, &mut report);
    let pending = dir.join(PENDING);
    if report.repairs.is_empty() {
        return Ok(report);
    }
    if !dry_run {
        backup.save(&cp_path)?;
        checkpoint.shards = found;
        write_atomic(&cp_path, &to_json(&checkpoint))?;
        if pending.exists() {
            backup.save(&pending)?;
            fs::remove_file(&pending).map_err(io_err(&pending))?;
        }
        shards::remove_leftovers(dir);
        report.backup = backup.dir.clone();
    }
    Ok(report)
}

/// A missing journal is created empty; a damaged one is cut before its first bad entry.
fn repair_journal(
    dir: &Path,
    checkpoint: &Checkpoint,
    report: &mut RepairReport,
    backup: &mut Backup,
) -> Result<(), StoreError> {
    let dry_run = report.dry_run;
    let jpath = journal_path(dir, checkpoint.generation);
    if !jpath.exists() {
        report.repairs.push(Repair {
            path: jpath.clone(),
            found: "the journal is missing".into(),
            done: "created empty".into(),
            lost: Some(format!(
                "any writes after revision {} (the journal held them)",
                checkpoint.revision
            )),
        });
        if !dry_run {
            File::create(&jpath)
                .and_then(|f| f.sync_all())
                .map_err(io_err(&jpath))?;
            sync_dir(dir)?;
        }
    } else if let Some((offset, line, dropped)) =
        journal::damage_at(&jpath, checkpoint.revision + 1)?
    {
        report.repairs.push(Repair {
            path: jpath.clone(),
            found: format!("entry at line {line} is damaged"),
            done: format!("cut before line {line}"),
            lost: Some(format!(
                "{dropped} journal entr{} from line {line} on (the writes after revision {}, their bytes kept in the backup)",
                if dropped == 1 { "y" } else { "ies" },
                checkpoint.revision + line as u64 - 1
            )),
        });
        backup.save(&jpath)?;
        if !dry_run {
            let f = OpenOptions::new()
                .write(true)
                .open(&jpath)
                .map_err(io_err(&jpath))?;
            f.set_len(offset).map_err(io_err(&jpath))?;
            f.sync_all().map_err(io_err(&jpath))?;
        }
    }
    Ok(())
}

/// Each shard found against the checkpoint's record of it.
fn compare_shards(
    dir: &Path,
    checkpoint: &Checkpoint,
    found: &BTreeMap<String, ShardSum>,
    report: &mut RepairReport,
) {
    for (name, sum) in found {
        match checkpoint.shards.get(name) {
            Some(was) if was == sum => {}
            Some(was) => report.repairs.push(Repair {
                path: dir.join(name),
                found: format!(
                    "the shard differs from the checkpoint's record of it ({} records then, {} now)",
                    was.records, sum.records
                ),
                done: "accepted as it is now".into(),
                lost: None,
            }),
            None => report.repairs.push(Repair {
                path: dir.join(name),
                found: format!("a shard of {} records the checkpoint does not list", sum.records),
                done: "taken in".into(),
                lost: None,
            }),
        }
    }
    for (name, sum) in &checkpoint.shards {
        if !found.contains_key(name) {
            report.repairs.push(Repair {
                path: dir.join(name),
                found: "the shard is missing".into(),
                done: "dropped from the checkpoint".into(),
                lost: Some(format!(
                    "its {} records, except those written again after revision {} (the journal holds those)",
                    sum.records, checkpoint.revision
                )),
            });
        }
    }
}

/// The highest generation of a journal file in `dir`.
fn latest_journal(dir: &Path) -> Option<u64> {
    fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_prefix("journal-")?
                .strip_suffix(".jsonl")?
                .parse::<u64>()
                .ok()
        })
        .max()
}
