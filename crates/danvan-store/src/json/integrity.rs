//! Damage detection: the files on disk against what the store wrote.
//!
//! The checkpoint lists every shard with its CRC-32 and record count. At open, each shard file
//! must match its entry — or, after a compaction that stopped part-way, the entry of the
//! checkpoint it was about to commit (`checkpoint.next.json`). A shard missing, altered or not
//! listed, a journal missing, a later journal holding writes the checkpoint does not point at,
//! or a shard holding records newer than the checkpoint is damage: reported with the file and
//! what it means, never repaired silently.

use std::collections::BTreeMap;
use std::path::Path;

use super::layout::{Checkpoint, ShardSum, journal_path};
use crate::error::StoreError;

/// Checks the shard files found (`found`, by name) against `checkpoint` and, when a compaction
/// was interrupted, the checkpoint it was committing (`pending`).
pub(crate) fn check_shards(
    root: &Path,
    checkpoint: &Checkpoint,
    pending: Option<&Checkpoint>,
    found: &BTreeMap<String, ShardSum>,
) -> Result<(), StoreError> {
    let damaged = |name: &str, message: String| StoreError::Damaged {
        at: root.join(name).into(),
        line: 0,
        message,
    };
    for (name, sum) in found {
        let listed = checkpoint.shards.get(name);
        if listed == Some(sum) || pending.and_then(|p| p.shards.get(name)) == Some(sum) {
            continue;
        }
        return Err(match listed {
            Some(was) => damaged(
                name,
                format!(
                    "the shard is not the one the checkpoint lists (it listed {} records, CRC-32 {:08x}; the file holds {} records, CRC-32 {:08x}): edited by hand, damaged on disk, or checkpoint.json is older than the shards; restore the file or the checkpoint from a backup",
                    was.records, was.crc32, sum.records, sum.crc32
                ),
            ),
            None => damaged(
                name,
                format!(
                    "a shard of {} records that checkpoint.json does not list: copied in by hand, or checkpoint.json is older than the shards; remove the file or restore the checkpoint from a backup",
                    sum.records
                ),
            ),
        });
    }
    for (name, sum) in &checkpoint.shards {
        let removed_by_compaction = pending.is_some_and(|p| !p.shards.contains_key(name));
        if !found.contains_key(name) && !removed_by_compaction {
            return Err(damaged(
                name,
                format!(
                    "the shard is missing: its {} records are gone unless the file is restored from a backup, or `danvan repair` finds them in the journals kept",
                    sum.records
                ),
            ));
        }
    }
    Ok(())
}

/// Checks that the checkpoint's journal exists and that no later one holds writes.
pub(crate) fn check_journals(root: &Path, checkpoint: &Checkpoint) -> Result<(), StoreError> {
    let current = journal_path(root, checkpoint.generation);
    if !current.exists() {
        return Err(StoreError::Damaged {
            at: current.into(),
            line: 0,
            message: format!(
                "the journal is missing: the writes after revision {} it held are lost unless it is restored from a backup",
                checkpoint.revision
            ),
        });
    }
    let later = journal_path(root, checkpoint.generation + 1);
    if std::fs::metadata(&later).is_ok_and(|m| m.len() > 0) {
        return Err(StoreError::Damaged {
            at: root.join(super::layout::CHECKPOINT).into(),
            line: 0,
            message: format!(
                "checkpoint.json points at generation {} but {} holds writes: the checkpoint is older than the journal (restored from a copy?); restore the checkpoint from a backup",
                checkpoint.generation,
                later.display()
            ),
        });
    }
    Ok(())
}

/// Checks that no shard holds a record newer than the checkpoint (or the one a compaction was
/// committing) says the shards hold.
pub(crate) fn check_revisions(
    root: &Path,
    checkpoint: &Checkpoint,
    pending: Option<&Checkpoint>,
    newest: Option<(u64, &Path)>,
) -> Result<(), StoreError> {
    let limit = pending.map_or(checkpoint.revision, |p| p.revision.max(checkpoint.revision));
    match newest {
        Some((revision, path)) if revision > limit => Err(StoreError::Damaged {
            at: path.to_path_buf().into(),
            line: 0,
            message: format!(
                "the shard holds a record at revision {revision}, newer than the {limit} that {} says the shards hold: the checkpoint is older than the shards; restore it from a backup",
                root.join(super::layout::CHECKPOINT).display()
            ),
        }),
        _ => Ok(()),
    }
}
