//! The JSON store's log of commits for the change feed and record histories: its journals.
//!
//! Every journal a compaction retires moves to `history/` instead of being deleted, so the
//! journals together hold every write since the store was created (or since the oldest one
//! kept: a compaction prunes the oldest files past `Options::history_keep_bytes`). Each entry
//! says who wrote, when and why, and each op whether it created, updated or deleted its record,
//! with the record's whole content: the feed lists them in order, a history compares one
//! record's consecutive contents field by field.

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Deserialize;
use serde_json::value::RawValue;

use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;

use super::journal;
use super::layout::journal_path;
use crate::api::{Author, FeedPage, HistoryEntry};
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

/// The commits of `files`, each file read and checked in turn. Each revision is given once,
/// in order: a revision that a later file holds again (a journal kept beside its retired
/// copy, a repair's rewrite) is not repeated.
fn commits(files: &[(u64, PathBuf)]) -> Commits<'_> {
    let mut last = 0u64;
    Box::new(
        files
            .iter()
            .map(|(_, p)| entries(p))
            .flat_map(|r| match r {
                Ok(v) => v.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(e) => vec![Err(e)],
            })
            .filter(move |c| match c {
                Ok(e) if e.seq <= last => false,
                Ok(e) => {
                    last = e.seq;
                    true
                }
                Err(_) => true,
            }),
    )
}

/// A page of the feed after `after`, at most `limit` changes.
pub(crate) fn changes(
    root: &Path,
    generation: u64,
    latest: u64,
    after: &str,
    limit: usize,
) -> Result<FeedPage, StoreError> {
    let first = feed::first_needed(after)?;
    let files = journal_files(root, generation);
    let oldest = oldest(&files, latest);
    // Start at the last file that begins at or before the first revision wanted: for a
    // position inside a revision, the file holding that revision (which may end the file).
    let start = files
        .iter()
        .rposition(|(_, p)| journal::first_seq(p).is_some_and(|s| s <= first))
        .unwrap_or(0);
    feed::changes(commits(&files[start..]), latest, oldest, after, limit)
}

/// Every revision of `kind`/`id` the journals hold, with each field's change. Found through
/// `index` (which reads each journal once per process); when the index cannot answer — a
/// line that does not check, a file changed underneath — every journal is read in full, which
/// reports the damage with its line.
pub(crate) fn history(
    root: &Path,
    generation: u64,
    kind: RecordKind,
    id: &RecordId,
    index: &HistoryIndex,
) -> Result<Vec<HistoryEntry>, StoreError> {
    let files = journal_files(root, generation);
    if let Some(found) = index.commits_of(&files, kind, id)? {
        return feed::history(Box::new(found.into_iter().map(Ok)), kind, id);
    }
    feed::history(commits(&files), kind, id)
}

/// Where each record's ops sit in the journals, so that a history reads and decodes only that
/// record's ops rather than every record of every commit (a 100,000-record import is one
/// journal line). Built for a journal the first time a history is asked for, extended as the
/// journal grows; each op's bytes carry their own CRC-32, checked again when they are read.
#[derive(Default)]
pub(crate) struct HistoryIndex {
    files: Mutex<HashMap<u64, FileIndex>>,
}

impl std::fmt::Debug for HistoryIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HistoryIndex")
    }
}

/// One journal's index.
#[derive(Default)]
struct FileIndex {
    /// The bytes indexed: whole, checked lines only.
    end: u64,
    /// Each commit's revision, time and author.
    commits: Vec<(u64, u64, Author)>,
    /// Each record's ops, in order.
    ops: HashMap<(RecordKind, RecordId), Vec<OpAt>>,
}

/// One op in a journal: its commit (an index into `commits`), its bytes and their CRC-32.
struct OpAt {
    commit: usize,
    start: u64,
    len: usize,
    crc: u32,
}

/// What an op says about its record, read without decoding the record.
#[derive(Deserialize)]
struct OpHead<'a> {
    kind: RecordKind,
    #[serde(default)]
    id: Option<RecordId>,
    #[serde(default, borrow)]
    record: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: RecordId,
}

impl FileIndex {
    /// Indexes the whole lines of `path` past `end`. `None`: a line that does not check (the
    /// full read reports it), or a file shorter than what was indexed.
    fn extend(&mut self, path: &Path) -> Result<Option<()>, StoreError> {
        let mut bytes = Vec::new();
        let mut f = match fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err(path)(e)),
        };
        let len = f.metadata().map_err(io_err(path))?.len();
        if len < self.end {
            return Ok(None);
        }
        if len == self.end {
            return Ok(Some(()));
        }
        f.seek(SeekFrom::Start(self.end)).map_err(io_err(path))?;
        f.read_to_end(&mut bytes).map_err(io_err(path))?;
        let base = bytes.as_ptr() as usize;
        let mut pos = 0usize;
        while let Some(nl) = memchr::memchr(b'\n', &bytes[pos..]) {
            let line = &bytes[pos..pos + nl];
            let Some((seq, at, author, ops)) = journal::checked_line(line) else {
                return Ok(None);
            };
            let Ok(ops) = serde_json::from_str::<Vec<&RawValue>>(ops.get()) else {
                return Ok(None);
            };
            let commit = self.commits.len();
            self.commits.push((seq, at, author));
            for op in ops {
                let Ok(head) = serde_json::from_str::<OpHead<'_>>(op.get()) else {
                    return Ok(None);
                };
                let id = match (head.id, head.record) {
                    (Some(id), _) => id,
                    (None, Some(r)) => match serde_json::from_str::<IdOnly>(r.get()) {
                        Ok(i) => i.id,
                        Err(_) => return Ok(None),
                    },
                    (None, None) => return Ok(None),
                };
                let raw = op.get().as_bytes();
                self.ops.entry((head.kind, id)).or_default().push(OpAt {
                    commit,
                    start: self.end + (raw.as_ptr() as usize - base) as u64,
                    len: raw.len(),
                    crc: crc32fast::hash(raw),
                });
            }
            pos += nl + 1;
        }
        self.end += pos as u64;
        Ok(Some(()))
    }
}

impl HistoryIndex {
    /// The commits of `files` that touch `kind`/`id`, each holding only that record's ops;
    /// `None` when the index cannot answer.
    fn commits_of(
        &self,
        files: &[(u64, PathBuf)],
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<Vec<Entry>>, StoreError> {
        let mut map = self.files.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|g, _| files.iter().any(|(fg, _)| fg == g));
        let mut out = Vec::new();
        let key = (kind, id.clone());
        for (generation, path) in files {
            let index = map.entry(*generation).or_default();
            if index.extend(path)?.is_none() {
                map.remove(generation);
                return Ok(None);
            }
            let Some(ops) = index.ops.get(&key) else {
                continue;
            };
            let mut f = fs::File::open(path).map_err(io_err(path))?;
            for op in ops {
                let mut raw = vec![0u8; op.len];
                f.seek(SeekFrom::Start(op.start)).map_err(io_err(path))?;
                if f.read_exact(&mut raw).is_err() || crc32fast::hash(&raw) != op.crc {
                    map.remove(generation);
                    return Ok(None);
                }
                let Ok(effect) = serde_json::from_slice(&raw) else {
                    map.remove(generation);
                    return Ok(None);
                };
                let (seq, at, author) = &index.commits[op.commit];
                match out.last_mut() {
                    Some(Entry { seq: s, ops, .. }) if s == seq => ops.push(effect),
                    _ => out.push(Entry {
                        seq: *seq,
                        at: *at,
                        author: author.clone(),
                        ops: vec![effect],
                    }),
                }
            }
        }
        Ok(Some(out))
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
