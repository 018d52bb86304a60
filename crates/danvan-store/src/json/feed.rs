//! The change feed and record histories, read from the journals.
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
use serde_json::Value;

use super::journal::{self, Entry, JournalOp};
use super::layout::journal_path;
use crate::api::{Action, FeedEntry, FeedPage, FieldChange, HistoryEntry};
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

/// Where a feed page starts: after revision `.0`, and within it after op `.1` (all of it when
/// `None`).
fn parse_after(after: &str) -> Result<(u64, Option<usize>), StoreError> {
    let bad = || {
        StoreError::BadQuery(format!(
            "{after:?} is not a revision or a feed position (such as 41 or 41.7)"
        ))
    };
    match after.split_once('.') {
        None => Ok((after.parse().map_err(|_| bad())?, None)),
        Some((r, i)) => Ok((
            r.parse().map_err(|_| bad())?,
            Some(i.parse().map_err(|_| bad())?),
        )),
    }
}

/// RFC 3339 of milliseconds since 1970.
fn rfc3339(ms: u64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms as i64)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// The record, action, kind and ID of one op.
fn op_parts(
    op: JournalOp,
) -> (
    RecordKind,
    RecordId,
    Action,
    Option<danvan_core::dataset::AnyRecord>,
) {
    match op {
        JournalOp::Create(r) => (r.kind(), r.id().clone(), Action::Created, Some(r)),
        // Format 2 journals did not say; an update is the safe reading for a follower.
        JournalOp::Update(r) | JournalOp::Put(r) => {
            (r.kind(), r.id().clone(), Action::Updated, Some(r))
        }
        JournalOp::Delete { kind, id } => (kind, id, Action::Deleted, None),
    }
}

/// A page of the feed after `after`, at most `limit` changes.
pub(crate) fn changes(
    root: &Path,
    generation: u64,
    latest: u64,
    after: &str,
    limit: usize,
) -> Result<FeedPage, StoreError> {
    let (after_rev, after_op) = parse_after(after)?;
    let files = journal_files(root, generation);
    let oldest = oldest(&files, latest);
    if after_rev + 1 < oldest {
        return Err(StoreError::Pruned {
            after: after_rev,
            oldest,
        });
    }
    // Start at the last file that begins at or before the first revision wanted.
    let start = files
        .iter()
        .rposition(|(_, p)| journal::first_seq(p).is_some_and(|s| s <= after_rev + 1))
        .unwrap_or(0);
    let mut items: Vec<FeedEntry> = Vec::new();
    // Where the last item sits: its revision, its op's index, and whether that op ends it.
    let mut last: Option<(u64, usize, bool)> = None;
    let mut next = None;
    'files: for (_, path) in &files[start..] {
        for entry in entries(path)? {
            if entry.seq < after_rev {
                continue;
            }
            let skip = match (entry.seq == after_rev, after_op) {
                (true, None) => continue,
                (true, Some(i)) => i + 1,
                (false, _) => 0,
            };
            let at = rfc3339(entry.at);
            let count = entry.ops.len();
            for (i, op) in entry.ops.into_iter().enumerate().skip(skip) {
                if items.len() == limit {
                    // More follow: the next page starts after the last item.
                    next = last.map(|(seq, idx, ends)| {
                        if ends {
                            seq.to_string()
                        } else {
                            format!("{seq}.{idx}")
                        }
                    });
                    break 'files;
                }
                let (kind, id, action, record) = op_parts(op);
                items.push(FeedEntry {
                    revision: entry.seq,
                    at: at.clone(),
                    author: entry.author.clone(),
                    kind,
                    id,
                    action,
                    record,
                });
                last = Some((entry.seq, i, i + 1 == count));
            }
        }
    }
    Ok(FeedPage {
        items,
        next,
        revision: latest,
        oldest,
    })
}

/// Every revision of `kind`/`id` the journals hold, with each field's change.
pub(crate) fn history(
    root: &Path,
    generation: u64,
    kind: RecordKind,
    id: &RecordId,
) -> Result<Vec<HistoryEntry>, StoreError> {
    let mut out = Vec::new();
    let mut previous: Option<Value> = None;
    for (_, path) in journal_files(root, generation) {
        for entry in entries(&path)? {
            for op in entry.ops {
                let (k, i, action, record) = op_parts(op);
                if k != kind || i != *id {
                    continue;
                }
                let now = match &record {
                    Some(r) => Some(record_value(r)?),
                    None => None,
                };
                let mut changes = Vec::new();
                diff("", previous.as_ref(), now.as_ref(), &mut changes);
                out.push(HistoryEntry {
                    revision: entry.seq,
                    at: rfc3339(entry.at),
                    author: entry.author.clone(),
                    action,
                    changes,
                });
                previous = now;
            }
        }
    }
    Ok(out)
}

fn record_value(r: &danvan_core::dataset::AnyRecord) -> Result<Value, StoreError> {
    let tagged = serde_json::to_value(r).map_err(|e| StoreError::Io {
        path: PathBuf::from("history"),
        source: std::io::Error::other(e),
    })?;
    Ok(tagged.get("record").cloned().unwrap_or(Value::Null))
}

/// The field changes from `old` to `new` under `path`: objects field by field, anything else
/// (arrays included) as a whole.
fn diff(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<FieldChange>) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff(&p, a.get(k), b.get(k), out);
            }
        }
        (None, Some(Value::Object(b))) if path.is_empty() => {
            for (k, v) in b {
                diff(k, None, Some(v), out);
            }
        }
        (Some(Value::Object(a)), None) if path.is_empty() => {
            for (k, v) in a {
                diff(k, Some(v), None, out);
            }
        }
        (a, b) if a != b => out.push(FieldChange {
            field: path.to_string(),
            old: a.cloned(),
            new: b.cloned(),
        }),
        _ => {}
    }
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
