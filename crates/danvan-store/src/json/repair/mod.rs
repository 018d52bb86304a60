//! Repairing a damaged store: every acknowledged write that any file still holds is kept, and
//! what no file holds is named.
//!
//! [`JsonStore::repair`](super::JsonStore::repair) works under the store's exclusive lock and
//! decides by content, not by file names or the order checks run in:
//!
//! 1. **The journals.** Every complete line of every journal — the current one, the one kept
//!    beside it, the retired ones in `history/` — is read on its own; each line whose checksum
//!    holds is an acknowledged entry, known by its revision wherever it sits.
//! 2. **The checkpoint.** One whose own checksum holds, pointing at the latest journal with
//!    writes, is followed. One that fails its checksum (a digit changed), cannot be read, or is
//!    older than the journals is rebuilt: its generation from the journal files, its revision
//!    from where the entries after it begin, its list of shards kept as hints.
//! 3. **The current journal** is rewritten, when it must be, as the entries after the
//!    checkpoint's revision in order, taken from whichever file holds them; a revision no file
//!    holds (a damaged line, a journal cut short below what `journal.ack` says was
//!    acknowledged) is named lost and written as an entry that changes nothing, so that
//!    revisions stay gap-free and none is given out twice.
//! 4. **Older journals** keep only their own entries; a damaged line, a cut, a file gone lose
//!    that part of the history (named; the records it wrote are in the shards), written as
//!    entries that change nothing so that the change feed never skips in silence.
//! 5. **The shards.** A shard whose checksum is the checkpoint's is intact. Any other — missing,
//!    altered, an older copy, swapped with another, not listed — is rebuilt from the journals:
//!    each record's last acknowledged version up to the checkpoint's revision. Where history
//!    was pruned, a record older than the journals kept is taken from the file as it is and
//!    named as not checked, or, with the file gone, named lost (by count).
//! 6. Every file changed is copied to `backups/repair-<time>/` first; the checkpoint is written
//!    with its checksum and `journal.ack` with the journal's length; the store is opened, to
//!    prove the repair.
//!
//! A dry run reports the same without writing.

mod journals;
mod shards;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;

use self::journals::{
    JournalFile, current_journal, entries_by_revision, journal_files, latest_root_journal,
    older_journals,
};
use self::shards::{Trust, repair_shards};
use super::fsutil::{create_dir_durable, sync_dir, write_atomic};
use super::journal;
use super::layout::{CHECKPOINT, Checkpoint, PENDING, journal_path, shard_name};
use super::{ack, read_json, to_json};
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
    /// Acknowledged revisions that no file holds any more: what they wrote is lost.
    pub lost_revisions: Vec<u64>,
    /// Records lost with a shard whose records no journal kept, by count (their IDs went with
    /// the file).
    pub lost_records: usize,
    /// Records kept as a shard file holds them though no journal kept could confirm them.
    pub unchecked: Vec<(RecordKind, RecordId)>,
    /// Revisions whose entry is gone from the history (the change feed and record histories)
    /// though what they wrote is in the shards.
    pub history_lost: Vec<u64>,
}

impl RepairReport {
    /// Whether anything was lost for good.
    pub fn lost_anything(&self) -> bool {
        self.repairs.iter().any(|r| r.lost.is_some())
    }

    fn note(&mut self, path: &Path, found: String, done: String, lost: Option<String>) {
        self.repairs.push(Repair {
            path: path.to_path_buf(),
            found,
            done,
            lost,
        });
    }
}

/// How to repair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RepairOptions {
    /// Report what would be done, and change nothing.
    pub dry_run: bool,
    /// Take shard files that parse as they are now — edits made by hand included — instead of
    /// restoring the acknowledged writes the journals hold (for a person who changed a shard
    /// on purpose).
    pub accept_edits: bool,
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

    /// Writes `bytes` to `path` (a copy of it saved first), unless this is a dry run.
    fn replace(&mut self, path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        if self.dry_run {
            return Ok(());
        }
        self.save(path)?;
        if let Some(parent) = path.parent() {
            create_dir_durable(parent)?;
        }
        write_atomic(path, bytes)
    }

    /// Removes `path` (a copy of it saved first), unless this is a dry run.
    fn remove(&mut self, path: &Path) -> Result<(), StoreError> {
        if self.dry_run || !path.exists() {
            return Ok(());
        }
        self.save(path)?;
        fs::remove_file(path).map_err(io_err(path))?;
        sync_dir(super::fsutil::parent(path))
    }
}

pub(crate) fn repair(
    dir: &Path,
    options: RepairOptions,
    lock_timeout: Duration,
) -> Result<RepairReport, StoreError> {
    let lock = super::fsutil::lock_exclusive(dir, lock_timeout)?;
    let result = repair_locked(dir, options);
    let _ = lock.unlock();
    let mut report = result?;
    if !options.dry_run && !report.repairs.is_empty() {
        // Prove it; and say what the records left refer to that was lost with the rest.
        let store = super::JsonStore::open(dir)?;
        let problems = crate::Store::validate(&store)?;
        let errors = problems.iter().filter(|p| p.is_error()).count();
        if errors > 0 {
            report.note(
                dir,
                format!(
                    "{errors} problem(s) in the records kept, such as {}",
                    problems.iter().find(|p| p.is_error()).map(ToString::to_string).unwrap_or_default()
                ),
                "left for a person: `danvan validate` lists them (a record may refer to one that was lost)".into(),
                None,
            );
        }
    }
    Ok(report)
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn repair_locked(dir: &Path, options: RepairOptions) -> Result<RepairReport, StoreError> {
    let dry_run = options.dry_run;
    let mut report = RepairReport {
        dry_run,
        ..RepairReport::default()
    };
    let mut backup = Backup {
        root: dir.to_path_buf(),
        dir: None,
        dry_run,
    };
    let files = journal_files(dir)?;
    let entries = entries_by_revision(&files);
    let acked = ack::read(dir);
    let (mut checkpoint, listed_trusted) = the_checkpoint(dir, &files, &entries, &mut report);
    let (generation, revision) = (checkpoint.generation, checkpoint.revision);
    let current_changed = current_journal(
        dir,
        &files,
        &entries,
        (generation, revision),
        acked,
        &mut report,
        &mut backup,
    )?;
    older_journals(
        dir,
        &files,
        &entries,
        (generation, revision),
        &mut report,
        &mut backup,
    )?;
    let trust = if options.accept_edits {
        Trust::Files
    } else if listed_trusted {
        Trust::Checkpoint
    } else {
        Trust::Journals
    };
    let sums = repair_shards(dir, &entries, &checkpoint, trust, &mut report, &mut backup)?;
    let pending = dir.join(PENDING);
    if report.repairs.is_empty() && !pending.exists() && !current_changed {
        return Ok(report);
    }
    checkpoint.shards = sums;
    let checkpoint = checkpoint.sealed();
    if !dry_run {
        let cp_path = dir.join(CHECKPOINT);
        let on_disk = fs::read(&cp_path).ok();
        let bytes = to_json(&checkpoint);
        if on_disk.as_deref() != Some(bytes.as_slice()) {
            backup.replace(&cp_path, &bytes)?;
        }
        backup.remove(&pending)?;
        super::shards::remove_leftovers(dir);
        let journal = journal_path(dir, generation);
        let length = fs::metadata(&journal).map_or(0, |m| m.len());
        let last = journal::scan(&journal)?
            .and_then(|(lines, _)| lines.iter().rev().find_map(|l| l.seq))
            .unwrap_or(revision);
        let file = ack::open(dir)?;
        ack::write(
            dir,
            &file,
            ack::Acked {
                generation,
                length,
                seq: last.max(revision),
            },
        )?;
        report.backup = backup.dir.clone();
    }
    Ok(report)
}

/// The checkpoint to follow, and whether its list of shards can be trusted (its checksum holds
/// and it is the latest); notes what was wrong with the one on disk.
fn the_checkpoint(
    dir: &Path,
    files: &[JournalFile],
    entries: &BTreeMap<u64, (Vec<u8>, usize)>,
    report: &mut RepairReport,
) -> (Checkpoint, bool) {
    let path = dir.join(CHECKPOINT);
    let latest = latest_root_journal(dir, files);
    let read = read_json::<Checkpoint>(&path);
    // The revision the shards of `generation` hold: the last the older journals hold (a
    // compaction folds the whole journal before it), else where the journal of `generation`
    // begins.
    let revision_for = |generation: u64| -> u64 {
        let older_last = entries
            .iter()
            .filter(|(_, (_, f))| files[*f].generation < generation)
            .map(|(s, _)| *s)
            .next_back();
        match (older_last, latest.filter(|(g, _)| *g == generation)) {
            (Some(last), _) => last,
            (None, Some((_, Some(first)))) => first.saturating_sub(1),
            (None, _) => 0,
        }
    };
    match read {
        Ok(c) if c.holds() => {
            // A later journal with writes: this checkpoint is older than it.
            if let Some((g, Some(first))) = latest.filter(|(g, _)| *g > c.generation) {
                let revision = revision_for(g);
                report.note(
                    &path,
                    format!(
                        "the checkpoint points at generation {} but journal-{g}.jsonl holds writes from revision {first}",
                        c.generation
                    ),
                    format!("pointed at generation {g}, revision {revision}"),
                    None,
                );
                let rebuilt = Checkpoint {
                    generation: g,
                    revision,
                    ..c
                };
                return (rebuilt, false);
            }
            (c, true)
        }
        Ok(c) => {
            let generation = latest.map_or(c.generation, |(g, _)| g);
            let revision = revision_for(generation);
            report.note(
                &path,
                format!(
                    "the checkpoint does not match its own checksum (it says generation {}, revision {})",
                    c.generation, c.revision
                ),
                format!(
                    "rebuilt from the journals: generation {generation}, revision {revision}; its list of shards checked file by file"
                ),
                None,
            );
            let rebuilt = Checkpoint {
                generation,
                revision,
                ..c
            };
            (rebuilt, false)
        }
        Err(e) => {
            let generation = latest.map_or(1, |(g, _)| g);
            let revision = revision_for(generation);
            report.note(
                &path,
                format!("the checkpoint cannot be read ({e})"),
                format!(
                    "rebuilt from the journals and shards: generation {generation}, revision {revision}"
                ),
                None,
            );
            let rebuilt = Checkpoint {
                generation,
                revision,
                ..Checkpoint::default()
            };
            (rebuilt, false)
        }
    }
}

/// Revisions as ranges: `3, 5–7`.
fn ranges(seqs: &[u64]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < seqs.len() {
        let start = seqs[i];
        let mut end = start;
        while i + 1 < seqs.len() && seqs[i + 1] == end + 1 {
            i += 1;
            end = seqs[i];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    out.join(", ")
}
