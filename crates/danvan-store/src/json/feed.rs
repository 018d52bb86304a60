//! The JSON store's log of commits for the change feed and record histories: its journals.
//!
//! Every journal a compaction retires moves to `history/` instead of being deleted, so the
//! journals together hold every write since the store was created (or since the oldest one
//! kept: a compaction prunes the oldest files past `Options::history_keep_bytes`). Each entry
//! says who wrote, when and why, and each op whether it created, updated or deleted its record,
//! with the record's whole content: the feed lists them in order, a history compares one
//! record's consecutive contents field by field.

use std::fs;
use std::path::{Path, PathBuf};

use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;

use super::journal;
use super::layout::journal_path;
use crate::api::{FeedPage, HistoryEntry};
use crate::engine::effect::Commit as Entry;
use crate::engine::feed::{self, Commits};
use crate::error::{StoreError, io_err};

/// The directory of retired journals.
pub(crate) const HISTORY: &str = "history";

/// The journal files holding the feed, oldest first: those in `history/`, then those in the
/// store's directory up to the current generation.
pub(crate) fn journal_files(root: &Path, current: u64) -> Vec<(u64, PathBuf)> {
    let mut files: Vec<(u64, PathBuf)> = Vec::new();
    for dir in [root.join(HISTORY), root.to_path_buf()] {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name();
            let Some(generation) = name
                .to_str()
                .and_then(|n| n.strip_prefix("journal-"))
                .and_then(|n| n.strip_suffix(".jsonl"))
                .and_then(|n| n.parse::<u64>().ok())
            else {
                continue;
            };
            if generation <= current {
                files.push((generation, e.path()));
            }
        }
    }
    files.sort();
    files.dedup_by_key(|(g, _)| *g);
    files
}

/// Every entry of the journal at `path`, checked (a damaged line is an error with its line).
fn entries(path: &Path) -> Result<Vec<Entry>, StoreError> {
    let first = journal::first_seq(path).unwrap_or(1);
    let tail = journal::read_from(path, 0, 1, first, &mut crc32fast::Hasher::new())?;
    Ok(tail.entries)
}

/// The oldest revision the journals hold (one past the latest when they hold none).
fn oldest(files: &[(u64, PathBuf)], latest: u64) -> u64 {
    files
        .iter()
        .find_map(|(_, p)| journal::first_seq(p))
        .unwrap_or(latest + 1)
}

/// The commits of `files` from index `start` on, each file read and checked in turn.
fn commits(files: &[(u64, PathBuf)]) -> Commits<'_> {
    Box::new(files.iter().map(|(_, p)| entries(p)).flat_map(|r| match r {
        Ok(v) => v.into_iter().map(Ok).collect::<Vec<_>>(),
        Err(e) => vec![Err(e)],
    }))
}

/// A page of the feed after `after`, at most `limit` changes.
pub(crate) fn changes(
    root: &Path,
    generation: u64,
    latest: u64,
    after: &str,
    limit: usize,
) -> Result<FeedPage, StoreError> {
    let (after_rev, _) = feed::position(after)?;
    let files = journal_files(root, generation);
    let oldest = oldest(&files, latest);
    // Start at the last file that begins at or before the first revision wanted.
    let start = files
        .iter()
        .rposition(|(_, p)| journal::first_seq(p).is_some_and(|s| s <= after_rev + 1))
        .unwrap_or(0);
    feed::changes(commits(&files[start..]), latest, oldest, after, limit)
}

/// Every revision of `kind`/`id` the journals hold, with each field's change.
pub(crate) fn history(
    root: &Path,
    generation: u64,
    kind: RecordKind,
    id: &RecordId,
) -> Result<Vec<HistoryEntry>, StoreError> {
    let files = journal_files(root, generation);
    feed::history(commits(&files), kind, id)
}

/// Moves the journal of `generation` into `history/`, then removes the oldest retired journals
/// until they hold at most `keep_bytes`.
pub(crate) fn retire(root: &Path, generation: u64, keep_bytes: u64) -> Result<(), StoreError> {
    let from = journal_path(root, generation);
    if from.exists() {
        let dir = root.join(HISTORY);
        super::fsutil::create_dir_durable(&dir)?;
        let to = dir.join(format!("journal-{generation}.jsonl"));
        fs::rename(&from, &to).map_err(io_err(&to))?;
        super::fsutil::sync_dir(&dir)?;
        super::fsutil::sync_dir(root)?;
    }
    let mut retired: Vec<(u64, PathBuf, u64)> = journal_files(&root.join(HISTORY), u64::MAX)
        .into_iter()
        .map(|(g, p)| {
            let len = fs::metadata(&p).map_or(0, |m| m.len());
            (g, p, len)
        })
        .collect();
    let mut total: u64 = retired.iter().map(|(_, _, l)| l).sum();
    retired.sort();
    for (_, path, len) in retired {
        if total <= keep_bytes {
            break;
        }
        fs::remove_file(&path).map_err(io_err(&path))?;
        total -= len;
    }
    Ok(())
}
