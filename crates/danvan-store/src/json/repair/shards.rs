//! Repair's shards: which are intact, and the others rebuilt from the journals.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::Path;

use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;

use super::super::journal;
use super::super::layout::{Checkpoint, ShardKey, ShardSum, shard_name};
use super::super::shards;
use super::{Backup, RepairReport};
use crate::engine::effect::Effect;
use crate::engine::state::State;
use crate::error::{StoreError, io_err};

/// A shard file as found.
struct ShardFile {
    crc32: u32,
    /// Its records with their revisions; `None` when the file does not parse.
    records: Option<Vec<(AnyRecord, u64)>>,
}

fn read_shard(kind: RecordKind, path: &Path) -> Result<ShardFile, StoreError> {
    let bytes = fs::read(path).map_err(io_err(path))?;
    let mut records = Vec::new();
    let parsed = shards::load(&[(kind, path.to_path_buf())], |loaded| {
        for l in loaded.records {
            records.push((l.rec.as_ref().to_owned(), l.revision));
        }
        Ok(())
    });
    Ok(ShardFile {
        crc32: crc32fast::hash(&bytes),
        records: parsed.ok().map(|()| records),
    })
}

/// What the journals say of every record up to a revision: the state they rebuild, and the
/// revision from which they hold every entry (what they say of a record last written at or
/// after it is certain).
struct Rebuilt {
    state: State,
    deleted: HashMap<(RecordKind, RecordId), u64>,
    certain_from: u64,
}

fn rebuild(entries: &BTreeMap<u64, (Vec<u8>, usize)>, revision: u64) -> Rebuilt {
    let mut state = State::default();
    let mut deleted = HashMap::new();
    // The contiguous run of entries that ends at `revision`.
    let mut certain_from = revision + 1;
    while certain_from > 1 && entries.contains_key(&(certain_from - 1)) {
        certain_from -= 1;
    }
    for (seq, (line, _)) in entries.range(..=revision) {
        let Some(ops) = journal::ops_of(line) else {
            continue;
        };
        for op in &ops {
            match op {
                Effect::Delete { kind, id, .. } => {
                    deleted.insert((*kind, id.clone()), *seq);
                }
                Effect::Create(r) | Effect::Update(r) | Effect::Put(r) => {
                    deleted.remove(&(r.kind(), r.id().clone()));
                }
            }
        }
        crate::engine::reads::apply(&mut state, *seq, ops, &mut |_| {});
    }
    Rebuilt {
        state,
        deleted,
        certain_from,
    }
}

/// What decides that a shard file is intact.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Trust {
    /// Its checksum is the one the checkpoint lists (a checkpoint that holds and is current).
    Checkpoint,
    /// It agrees with every acknowledged write the journals are certain of (the checkpoint was
    /// rebuilt, or is older than the journals).
    Journals,
    /// It parses: a person says the files are as meant (`RepairOptions::accept_edits`).
    Files,
}

/// Records with their revisions.
type Records = Vec<(AnyRecord, u64)>;

/// Checks every shard and rebuilds the ones that do not hold what they should. Returns the
/// shards' sums as they are after.
pub(super) fn repair_shards(
    dir: &Path,
    entries: &BTreeMap<u64, (Vec<u8>, usize)>,
    checkpoint: &Checkpoint,
    trust: Trust,
    report: &mut RepairReport,
    backup: &mut Backup,
) -> Result<BTreeMap<String, ShardSum>, StoreError> {
    let mut found: BTreeMap<String, ShardFile> = BTreeMap::new();
    for (kind, path) in shards::list(dir)? {
        found.insert(shard_name(dir, &path), read_shard(kind, &path)?);
    }
    let journal = rebuild(entries, checkpoint.revision);
    let mut certain: BTreeMap<String, Records> = BTreeMap::new();
    for row in journal.state.rows() {
        if let Some(r) = journal.state.row(row)
            && r.revision >= journal.certain_from
        {
            let record = r.rec.as_ref().to_owned();
            certain
                .entry(home(dir, &record))
                .or_default()
                .push((record, r.revision));
        }
    }
    let names: BTreeSet<String> = checkpoint
        .shards
        .keys()
        .chain(found.keys())
        .chain(certain.keys())
        .cloned()
        .collect();
    let repair = ShardRepair {
        dir,
        trust,
        listed: &checkpoint.shards,
        found,
        journal,
        certain,
    };
    let intact = repair.intact(&names, report);
    let older = repair.older(&names, &intact);
    let mut sums = intact.clone();
    for name in names.iter().filter(|n| !intact.contains_key(*n)) {
        if let Some(sum) = repair.rebuilt(name, older.get(name), report, backup)? {
            sums.insert(name.clone(), sum);
        }
    }
    Ok(sums)
}

/// The shard of `r`, by name.
fn home(dir: &Path, r: &AnyRecord) -> String {
    shard_name(dir, &ShardKey::of(r.as_ref()).path(dir))
}

/// What the shards' repair works from.
struct ShardRepair<'a> {
    dir: &'a Path,
    trust: Trust,
    listed: &'a BTreeMap<String, ShardSum>,
    found: BTreeMap<String, ShardFile>,
    journal: Rebuilt,
    /// Each shard's records the journals are certain of, by shard name.
    certain: BTreeMap<String, Records>,
}

impl ShardRepair<'_> {
    /// The shards among `names` that are intact, with their sums.
    fn intact(
        &self,
        names: &BTreeSet<String>,
        report: &mut RepairReport,
    ) -> BTreeMap<String, ShardSum> {
        let mut intact = BTreeMap::new();
        for name in names {
            let Some(f) = self.found.get(name) else {
                continue;
            };
            let ok = match (self.trust, self.listed.get(name)) {
                (Trust::Files, _) => f.records.is_some(),
                (Trust::Checkpoint, Some(sum)) => f.crc32 == sum.crc32,
                // A file the trusted checkpoint does not list.
                (Trust::Checkpoint, None) => false,
                // The checkpoint cannot vouch for it: the journals decide.
                (Trust::Journals, _) => agrees(f, &self.journal, self.certain.get(name)),
            };
            if !ok {
                continue;
            }
            let listed_as_is = self.listed.get(name).is_some_and(|s| s.crc32 == f.crc32);
            if self.trust == Trust::Files && !listed_as_is {
                report.note(
                    &self.dir.join(name),
                    "the shard is not the one the checkpoint lists".into(),
                    "accepted as it is now (--accept-edits)".into(),
                    None,
                );
            } else if self.trust == Trust::Journals && !listed_as_is {
                note_unchecked(f, &self.journal, report);
            }
            let records = f.records.as_ref().map_or(0, Vec::len);
            intact.insert(
                name.clone(),
                ShardSum {
                    crc32: f.crc32,
                    records,
                },
            );
        }
        intact
    }

    /// Where history was pruned: the records the damaged shards' files hold that are older than
    /// every journal kept, each taken to the shard it belongs in (unless the checkpoint says
    /// the file is foreign).
    fn older(
        &self,
        names: &BTreeSet<String>,
        intact: &BTreeMap<String, ShardSum>,
    ) -> BTreeMap<String, Records> {
        let mut older: BTreeMap<String, Records> = BTreeMap::new();
        let journal = &self.journal;
        if journal.certain_from <= 1 {
            return older;
        }
        for name in names.iter().filter(|n| !intact.contains_key(*n)) {
            let Some(f) = self.found.get(name) else {
                continue;
            };
            if self.trust == Trust::Checkpoint && !self.listed.contains_key(name) {
                continue;
            }
            for (r, revision) in f.records.iter().flatten() {
                let key = (r.kind(), r.id().clone());
                let known = journal
                    .state
                    .get(key.0, &key.1)
                    .is_some_and(|row| row.revision >= journal.certain_from)
                    || journal
                        .deleted
                        .get(&key)
                        .is_some_and(|s| *s >= journal.certain_from);
                if !known && *revision < journal.certain_from {
                    older
                        .entry(home(self.dir, r))
                        .or_default()
                        .push((r.clone(), *revision));
                }
            }
        }
        older
    }

    /// Shard `name` written as it is to be: what the journals are certain of, and `older`
    /// records (named as not checked). Returns its sum, `None` when it is removed.
    fn rebuilt(
        &self,
        name: &str,
        older: Option<&Records>,
        report: &mut RepairReport,
        backup: &mut Backup,
    ) -> Result<Option<ShardSum>, StoreError> {
        let file = self.found.get(name);
        let listed_sum = self.listed.get(name).copied();
        let mut records: Records = self.certain.get(name).cloned().unwrap_or_default();
        for (r, revision) in older.into_iter().flatten() {
            if !records
                .iter()
                .any(|(x, _)| x.kind() == r.kind() && x.id() == r.id())
            {
                report.unchecked.push((r.kind(), r.id().clone()));
                records.push((r.clone(), *revision));
            }
        }
        let path = self.dir.join(name);
        let (bytes, sum) = render_shard(&records)?;
        let trusted = self.trust == Trust::Checkpoint;
        let found_text = match (file, listed_sum) {
            (None, _) => "the shard is missing".to_string(),
            (Some(f), _) if f.records.is_none() => "the shard cannot be read".to_string(),
            (Some(_), Some(_)) if trusted => {
                "the shard is not the one the checkpoint lists (altered, an older copy, or another shard's)".to_string()
            }
            (Some(_), None) if trusted => "a shard the checkpoint does not list".to_string(),
            (Some(_), _) => "the shard does not hold what the journals say it holds".to_string(),
        };
        let exact = listed_sum.is_some_and(|l| sum.is_some_and(|s| s.crc32 == l.crc32));
        let done = match (&sum, exact) {
            (None, _) => "removed: no record belongs in it".to_string(),
            (Some(s), true) => format!(
                "restored exactly from the journals ({} records, the checkpoint's checksum)",
                s.records
            ),
            (Some(s), false) => format!("rebuilt from the journals ({} records)", s.records),
        };
        // With the file gone, the records it held that no journal kept are lost (by count).
        let certain_from = self.journal.certain_from;
        let lost = listed_sum
            .map(|l| l.records.saturating_sub(sum.map_or(0, |s| s.records)))
            .filter(|n| *n > 0 && certain_from > 1)
            .filter(|_| file.is_none_or(|f| f.records.is_none()));
        if let Some(n) = lost {
            report.lost_records += n;
        }
        report.note(
            &path,
            found_text,
            done,
            lost.map(|n| {
                format!(
                    "{n} record(s) the checkpoint listed in it, last written before revision {certain_from}, the oldest the journals kept; restore the file from a backup to get them back"
                )
            }),
        );
        match (bytes, sum) {
            (Some(b), Some(s)) => {
                if file.is_none_or(|f| f.crc32 != s.crc32) {
                    backup.replace(&path, &b)?;
                }
                Ok(Some(s))
            }
            _ => {
                backup.remove(&path)?;
                Ok(None)
            }
        }
    }
}

/// Whether shard file `f` holds exactly the records the journals are certain of for it
/// (`mine`), and no record that they say is elsewhere, deleted, or at another version.
fn agrees(f: &ShardFile, journal: &Rebuilt, mine: Option<&Records>) -> bool {
    let Some(records) = &f.records else {
        return false;
    };
    let mut certain = 0;
    for (r, revision) in records {
        let key = (r.kind(), r.id().clone());
        match journal.state.get(key.0, &key.1) {
            Some(row) if row.revision >= journal.certain_from => {
                if row.revision != *revision || row.rec.as_ref() != r.as_ref() {
                    return false;
                }
                certain += 1;
            }
            _ if journal
                .deleted
                .get(&key)
                .is_some_and(|s| *s >= journal.certain_from) =>
            {
                return false;
            }
            // A version the journals hold no entry of, at a revision they hold every entry of.
            _ if *revision >= journal.certain_from => return false,
            _ => {}
        }
    }
    certain == mine.map_or(0, Vec::len)
}

/// Names the records of `f` that no journal kept can confirm.
fn note_unchecked(f: &ShardFile, journal: &Rebuilt, report: &mut RepairReport) {
    for (r, revision) in f.records.iter().flatten() {
        if *revision < journal.certain_from {
            report.unchecked.push((r.kind(), r.id().clone()));
        }
    }
}

/// The bytes and sum of a shard holding `records` (`None` when it holds none), exactly as a
/// compaction writes it.
fn render_shard(
    records: &[(AnyRecord, u64)],
) -> Result<(Option<Vec<u8>>, Option<ShardSum>), StoreError> {
    if records.is_empty() {
        return Ok((None, None));
    }
    let mut state = State::default();
    for (r, revision) in records {
        state.put(r.clone(), *revision);
    }
    let mut rows: Vec<&crate::engine::state::Row> =
        state.rows().filter_map(|r| state.row(r)).collect();
    let key = ShardKey::of(rows[0].rec.as_ref());
    let bytes = shards::bytes(&key, &mut rows).map_err(|e| StoreError::Io {
        at: "shard".into(),
        source: std::io::Error::other(e),
    })?;
    let sum = ShardSum {
        crc32: crc32fast::hash(&bytes),
        records: rows.len(),
    };
    Ok((Some(bytes), Some(sum)))
}
