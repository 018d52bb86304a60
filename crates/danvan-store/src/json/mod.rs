//! The JSON file store: durable, multi-process, human-readable.
//!
//! # How a write becomes durable
//!
//! A writer takes the store's exclusive OS lock, reads any entries other processes appended
//! since it last looked, checks the batch (validation, conflicts, references), appends one checksummed line to the
//! journal and `fdatasync`s it. Only then is the write acknowledged. The journal line is the
//! only thing a write touches, so a write costs the same in a store of ten thousand records or
//! a million.
//!
//! When the journal passes [`Options::compact_after_bytes`], the writer folds it into the
//! shards it touched (each replaced atomically: temporary file, fsync, rename, directory fsync),
//! starts a new journal, and only then points the checkpoint at it. A crash at any step leaves
//! the old checkpoint and its journal in place; replaying a journal over shards that already
//! hold some of its writes gives the same result, because entries carry whole records.
//!
//! # Readers
//!
//! Readers in other processes notice a change by the journal's length or the checkpoint file's
//! identity, and catch up under a shared lock, so they never see a half-applied batch or a
//! half-finished compaction.

mod fsutil;
mod journal;
pub mod layout;
mod migrate;
mod plan;
mod query;
mod shards;
mod state;

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use danvan_core::dataset::{AnyRecord, Dataset, check_held_reviews, check_references};
use danvan_core::id::RecordId;
use danvan_core::validate::{Problem, RecordKind};

use self::journal::JournalOp;
use self::layout::{
    BOARDS, CHECKPOINT, Checkpoint, FORMAT_NAME, FORMAT_VERSION, LOCK, MANIFEST, Manifest, RECORDS,
    ShardKey, journal_path,
};
use self::plan::{Mode, plan};
use self::state::{Rec, Row, State};
use crate::api::{
    Change, Export, ImportOptions, ImportReport, Op, Page, Query, Receipt, Store, Stored,
};
use crate::error::{StoreError, io_err};

/// Tuning for a [`JsonStore`].
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How long a writer waits for another process's write lock before giving up.
    pub lock_timeout: Duration,
    /// Journal size past which a writer folds the journal into the shards.
    pub compact_after_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(10),
            compact_after_bytes: 16 << 20,
        }
    }
}

/// A store in a directory. See the [module docs](self).
#[derive(Debug)]
pub struct JsonStore {
    root: PathBuf,
    options: Options,
    /// Held exclusively by the writer (one per process at a time, see `writer`).
    exclusive: File,
    /// Held shared while reading files, so a compaction cannot run underneath.
    shared: File,
    writer: Mutex<()>,
    inner: RwLock<Inner>,
}

#[derive(Debug)]
struct Inner {
    state: State,
    checkpoint: Checkpoint,
    /// Where the next journal entry goes: the end of the last good one.
    journal_end: u64,
    journal_lines: usize,
    /// Identity of the files last read, to notice other processes' changes cheaply.
    stamp: Stamp,
    /// Shards whose records changed since the checkpoint.
    dirty: HashSet<ShardKey>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Stamp {
    checkpoint: (u64, u64, i64, i64),
    journal_len: u64,
}

impl JsonStore {
    /// Creates an empty store in `dir` (created if missing).
    pub fn init(dir: &Path) -> Result<JsonStore, StoreError> {
        if dir.join(MANIFEST).exists() {
            return Err(StoreError::AlreadyExists {
                path: dir.to_path_buf(),
            });
        }
        fsutil::create_dir_durable(&dir.join(RECORDS))?;
        File::create(dir.join(LOCK)).map_err(io_err(dir.join(LOCK)))?;
        let checkpoint = Checkpoint {
            generation: 1,
            revision: 0,
        };
        fsutil::write_atomic(&dir.join(CHECKPOINT), &to_json(&checkpoint))?;
        File::create(journal_path(dir, 1)).map_err(io_err(journal_path(dir, 1)))?;
        // The manifest goes last: its presence is what makes the directory a store.
        let manifest = Manifest {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
        };
        fsutil::write_atomic(&dir.join(MANIFEST), &to_json(&manifest))?;
        JsonStore::open(dir)
    }

    /// Opens the store in `dir` with default [`Options`].
    pub fn open(dir: &Path) -> Result<JsonStore, StoreError> {
        JsonStore::open_with(dir, Options::default())
    }

    /// Opens the store in `dir`, migrating an older format (after a backup) and refusing a
    /// newer one.
    pub fn open_with(dir: &Path, options: Options) -> Result<JsonStore, StoreError> {
        let manifest = read_manifest(dir)?;
        if manifest.version > FORMAT_VERSION {
            return Err(StoreError::NewerFormat {
                path: dir.to_path_buf(),
                found: manifest.version,
                supported: FORMAT_VERSION,
            });
        }
        if manifest.version < FORMAT_VERSION {
            migrate::migrate(dir, manifest.version, options.lock_timeout)?;
        }
        let lock_path = dir.join(LOCK);
        let open_lock = || {
            OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .open(&lock_path)
                .map_err(io_err(&lock_path))
        };
        let store = JsonStore {
            root: dir.to_path_buf(),
            options,
            exclusive: open_lock()?,
            shared: open_lock()?,
            writer: Mutex::new(()),
            inner: RwLock::new(Inner {
                state: State::default(),
                checkpoint: Checkpoint {
                    generation: 0,
                    revision: 0,
                },
                journal_end: 0,
                journal_lines: 0,
                stamp: Stamp::default(),
                dirty: HashSet::new(),
            }),
        };
        {
            let _shared = store.lock(&store.shared, false)?;
            let mut inner = store.inner.write().unwrap_or_else(|e| e.into_inner());
            store.reload(&mut inner)?;
        }
        Ok(store)
    }

    /// The store's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How many records the store holds.
    pub fn len(&self) -> Result<usize, StoreError> {
        self.read(|s| s.len())
    }

    /// Whether the store holds no records.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.len().map(|n| n == 0)
    }

    /// Folds the journal into the shards now (writers do this on their own past
    /// [`Options::compact_after_bytes`]).
    pub fn compact(&self) -> Result<(), StoreError> {
        let _w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let _x = self.lock(&self.exclusive, true)?;
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        self.catch_up(&mut inner)?;
        self.compact_locked(&mut inner)
    }

    /// Takes `file`'s OS lock, exclusive or shared, waiting up to the lock timeout.
    fn lock<'a>(&self, file: &'a File, exclusive: bool) -> Result<LockGuard<'a>, StoreError> {
        let start = Instant::now();
        // Writes hold the lock for well under a millisecond: poll often, and never sleep so
        // long that another process can take it many times in a row.
        let mut pause = Duration::from_micros(50);
        loop {
            let r = if exclusive {
                file.try_lock()
            } else {
                file.try_lock_shared()
            };
            match r {
                Ok(()) => return Ok(LockGuard(file)),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(io_err(self.root.join(LOCK))(e)),
            }
            if start.elapsed() >= self.options.lock_timeout {
                return Err(StoreError::Locked {
                    path: self.root.clone(),
                    waited_ms: start.elapsed().as_millis() as u64,
                });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(2));
        }
    }

    fn stamp(&self, generation: u64) -> Stamp {
        let cp = fs::metadata(self.root.join(CHECKPOINT))
            .map(|m| (m.ino(), m.len(), m.mtime(), m.mtime_nsec()))
            .unwrap_or_default();
        let journal_len = fs::metadata(journal_path(&self.root, generation)).map_or(0, |m| m.len());
        Stamp {
            checkpoint: cp,
            journal_len,
        }
    }

    /// Reads everything from disk: shards, then the journal.
    fn reload(&self, inner: &mut Inner) -> Result<(), StoreError> {
        let checkpoint: Checkpoint = read_json(&self.root.join(CHECKPOINT))?;
        let files = shards::list(&self.root)?;
        let mut state = State::default();
        let mut dirty = HashSet::new();
        shards::load(&files, |batch| {
            for l in batch {
                let (kind, id) = (l.rec.as_ref().kind(), l.rec.as_ref().id());
                if let Some(existing) = state.get(kind, id) {
                    // The same record in two shards: a compaction moved it and stopped half-way,
                    // or someone copied it by hand. Keep the newer; two different versions at
                    // one revision cannot be told apart and are reported.
                    if existing.revision == l.revision && existing.rec != l.rec {
                        return Err(StoreError::Corrupt {
                            path: files[l.file].1.clone(),
                            line: 0,
                            column: 0,
                            message: format!(
                                "{kind} {id} is in two shard files at the same revision {} with different content; keep one copy",
                                l.revision
                            ),
                        });
                    }
                    dirty.insert(ShardKey::of(l.rec.as_ref()));
                    dirty.insert(ShardKey::of(existing.rec.as_ref()));
                    if l.revision <= existing.revision {
                        continue;
                    }
                }
                state.put_derived(l.rec, l.revision, l.derived);
            }
            Ok(())
        })?;
        state.revision = checkpoint.revision;
        inner.state = state;
        inner.checkpoint = checkpoint;
        inner.journal_end = 0;
        inner.journal_lines = 0;
        inner.dirty = dirty;
        self.read_journal(inner)?;
        inner.stamp = self.stamp(inner.checkpoint.generation);
        Ok(())
    }

    /// Applies the journal entries after `inner.journal_end`.
    fn read_journal(&self, inner: &mut Inner) -> Result<(), StoreError> {
        let path = journal_path(&self.root, inner.checkpoint.generation);
        let tail = journal::read_from(
            &path,
            inner.journal_end,
            inner.journal_lines + 1,
            inner.state.revision + 1,
        )?;
        for entry in tail.entries {
            apply_entry(&mut inner.state, &mut inner.dirty, entry.seq, entry.ops);
        }
        inner.journal_end = tail.valid_end;
        inner.journal_lines += tail.lines;
        Ok(())
    }

    /// Brings `inner` up to date with what other processes wrote. The caller holds either lock.
    fn catch_up(&self, inner: &mut Inner) -> Result<(), StoreError> {
        let checkpoint: Checkpoint = read_json(&self.root.join(CHECKPOINT))?;
        if checkpoint.generation == inner.checkpoint.generation {
            self.read_journal(inner)?;
        } else if checkpoint.generation == inner.checkpoint.generation + 1
            && journal_path(&self.root, inner.checkpoint.generation).exists()
        {
            // Another process compacted: finish the old journal, then follow the new one.
            self.read_journal(inner)?;
            if inner.state.revision != checkpoint.revision {
                return self.reload(inner);
            }
            inner.checkpoint = checkpoint;
            inner.journal_end = 0;
            inner.journal_lines = 0;
            inner.dirty.clear();
            self.read_journal(inner)?;
        } else {
            return self.reload(inner);
        }
        inner.stamp = self.stamp(inner.checkpoint.generation);
        Ok(())
    }

    /// Runs `f` on state that includes every write committed before the call.
    fn read<R>(&self, f: impl FnOnce(&State) -> R) -> Result<R, StoreError> {
        let stale = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            self.stamp(inner.checkpoint.generation) != inner.stamp
        };
        if stale {
            let _shared = self.lock(&self.shared, false)?;
            let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
            self.catch_up(&mut inner)?;
        }
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        Ok(f(&inner.state))
    }

    /// Plans and commits a batch. Returns the plan (with its warnings) and the new revision.
    fn write(&self, ops: Vec<Op>, mode: Mode) -> Result<(plan::Plan, u64), StoreError> {
        let _w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let _x = self.lock(&self.exclusive, true)?;
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        self.catch_up(&mut inner)?;
        let mut p = plan(&inner.state, ops, mode)?;
        if p.ops.is_empty() || danvan_core::validate::has_errors(&p.problems) {
            let revision = inner.state.revision;
            return Ok((p, revision));
        }
        let seq = inner.state.revision + 1;
        let at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let line = journal::encode(seq, at, &p.ops).map_err(|e| io_err(&self.root)(e.into()))?;
        let path = journal_path(&self.root, inner.checkpoint.generation);
        let end = journal::append(&path, inner.journal_end, &line)?;
        let inner = &mut *inner;
        apply_entry(
            &mut inner.state,
            &mut inner.dirty,
            seq,
            std::mem::take(&mut p.ops),
        );
        inner.journal_end = end;
        inner.journal_lines += 1;
        inner.stamp = self.stamp(inner.checkpoint.generation);
        if end > self.options.compact_after_bytes {
            // The write is durable in the journal already; a failed compaction only means the
            // next writer tries again.
            let _ = self.compact_locked(inner);
        }
        Ok((p, seq))
    }

    /// Folds the journal into the dirty shards and starts a new journal. The caller holds the
    /// exclusive lock and is caught up.
    fn compact_locked(&self, inner: &mut Inner) -> Result<(), StoreError> {
        if inner.journal_end == 0 && inner.dirty.is_empty() {
            return Ok(());
        }
        let by_shard = inner.state.shard_rows(&inner.dirty);
        for key in &inner.dirty {
            let mut rows: Vec<&Row> = by_shard
                .get(key)
                .map(|v| v.iter().filter_map(|r| inner.state.row(*r)).collect())
                .unwrap_or_default();
            shards::write(&self.root, key, &mut rows)?;
        }
        let old = inner.checkpoint.generation;
        let next = Checkpoint {
            generation: old + 1,
            revision: inner.state.revision,
        };
        let new_journal = journal_path(&self.root, next.generation);
        File::create(&new_journal)
            .map_err(io_err(&new_journal))?
            .sync_all()
            .map_err(io_err(&new_journal))?;
        fsutil::write_atomic(&self.root.join(CHECKPOINT), &to_json(&next))?;
        // Keep the journal just replaced, so that a reader one generation behind can finish it;
        // drop the one before.
        if old > 1 {
            let _ = fs::remove_file(journal_path(&self.root, old - 1));
        }
        inner.checkpoint = next;
        inner.journal_end = 0;
        inner.journal_lines = 0;
        inner.dirty.clear();
        inner.state.maybe_compact_text();
        inner.stamp = self.stamp(next.generation);
        Ok(())
    }

    fn receipt(&self, plan: plan::Plan, revision: u64) -> Receipt {
        Receipt {
            revision,
            changes: plan
                .changes
                .into_iter()
                .map(|((kind, id), action)| Change {
                    kind,
                    id,
                    action,
                    revision: (action != crate::api::Action::Deleted).then_some(revision),
                })
                .collect(),
            warnings: plan.problems,
        }
    }
}

/// Applies a committed entry to the in-memory state, noting the shards it touches.
fn apply_entry(state: &mut State, dirty: &mut HashSet<ShardKey>, seq: u64, ops: Vec<JournalOp>) {
    for op in ops {
        match op {
            JournalOp::Put(record) => {
                if let Some(old) = state.get(record.kind(), record.id()) {
                    dirty.insert(ShardKey::of(old.rec.as_ref()));
                }
                dirty.insert(ShardKey::of(record.as_ref()));
                state.put(record, seq);
            }
            JournalOp::Delete { kind, id } => {
                if let Some(old) = state.delete(kind, &id) {
                    dirty.insert(ShardKey::of(old.rec.as_ref()));
                }
            }
        }
    }
    state.revision = seq;
    state.maybe_clean_provinces();
}

/// Releases an OS lock when dropped.
struct LockGuard<'a>(&'a File);

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, StoreError> {
    let bytes = fs::read(path).map_err(io_err(path))?;
    serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: crate::error::json_message(&e),
    })
}

fn read_manifest(dir: &Path) -> Result<Manifest, StoreError> {
    let path = dir.join(MANIFEST);
    if !path.exists() {
        return Err(StoreError::NotAStore {
            path: dir.to_path_buf(),
        });
    }
    let m: Manifest = read_json(&path)?;
    if m.format != FORMAT_NAME {
        return Err(StoreError::Corrupt {
            path,
            line: 0,
            column: 0,
            message: format!("format is {:?}, expected {FORMAT_NAME:?}", m.format),
        });
    }
    Ok(m)
}

impl Store for JsonStore {
    fn revision(&self) -> Result<u64, StoreError> {
        self.read(|s| s.revision)
    }

    fn get(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<Stored<AnyRecord>>, StoreError> {
        self.read(|s| {
            s.get(kind, id).map(|r| Stored {
                revision: r.revision,
                record: r.rec.as_ref().to_owned(),
            })
        })
    }

    fn apply(&self, ops: Vec<Op>) -> Result<Receipt, StoreError> {
        let (p, revision) = self.write(ops, Mode::Apply)?;
        Ok(self.receipt(p, revision))
    }

    fn query(&self, q: &Query) -> Result<Page, StoreError> {
        self.read(|s| query::run(s, q))?
    }

    fn referrers(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Vec<(RecordKind, RecordId)>, StoreError> {
        self.read(|s| {
            let mut v = s.referrers(&(kind, id.clone())).to_vec();
            v.sort();
            v
        })
    }

    fn export(&self, q: Option<&Query>) -> Result<Export, StoreError> {
        self.read(|s| {
            let rows: Vec<u32> = match q {
                None => s.rows().collect(),
                Some(q) => query::all_rows(s, q)?,
            };
            let mut records: Vec<AnyRecord> = rows
                .into_iter()
                .filter_map(|r| s.row(r).map(|row| row.rec.as_ref().to_owned()))
                .collect();
            records.sort_by(|a, b| a.kind().cmp(&b.kind()).then_with(|| a.id().cmp(b.id())));
            Ok(Export::new(Dataset::from_records(records), s.revision))
        })?
    }

    fn visit(
        &self,
        q: &Query,
        f: &mut dyn FnMut(danvan_core::dataset::RecordRef<'_>),
    ) -> Result<(), StoreError> {
        self.read(|s| {
            for row in query::unordered_rows(s, q)? {
                if let Some(r) = s.row(row) {
                    f(r.rec.as_ref());
                }
            }
            Ok(())
        })?
    }

    fn import(&self, dataset: Dataset, options: ImportOptions) -> Result<ImportReport, StoreError> {
        let ops: Vec<Op> = dataset
            .records()
            .map(|record| Op::Put {
                record,
                expected: crate::api::Expected::Any,
            })
            .collect();
        let (p, revision) = if options.dry_run {
            let p = self.read(|s| plan(s, ops, Mode::Import))??;
            let revision = self.revision()?;
            (p, revision)
        } else {
            self.write(ops, Mode::Import)?
        };
        let count = |a| p.changes.iter().filter(|(_, x)| *x == a).count();
        Ok(ImportReport {
            dry_run: options.dry_run,
            created: count(crate::api::Action::Created),
            updated: count(crate::api::Action::Updated),
            unchanged: p.unchanged,
            problems: p.problems,
            revision,
        })
    }

    fn validate(&self) -> Result<Vec<Problem>, StoreError> {
        // A damaged board calendar is damage like any other file's: reported, not skipped.
        self.board_calendar()?;
        self.read(|s| {
            let mut problems = Vec::new();
            let mut rows: Vec<u32> = s.rows().collect();
            rows.sort_by(|a, b| {
                let (ra, rb) = (
                    s.row(*a).map(|r| r.rec.as_ref()),
                    s.row(*b).map(|r| r.rec.as_ref()),
                );
                match (ra, rb) {
                    (Some(x), Some(y)) => x.kind().cmp(&y.kind()).then_with(|| x.id().cmp(y.id())),
                    _ => std::cmp::Ordering::Equal,
                }
            });
            for row in rows {
                let Some(r) = s.row(row) else { continue };
                let rec = r.rec.as_ref();
                let def = match &r.rec {
                    Rec::Observation(o) => s.indicator(o.indicator.as_str()),
                    _ => None,
                };
                problems.extend(rec.validate(def));
                problems.extend(check_references(rec, |k, id| s.row_of(k, id).is_some()));
                // Data written before one figure per key was enforced may hold two: report
                // every later one against the first by ID, never add them.
                if let Rec::Observation(o) = &r.rec
                    && let Some(first) = s
                        .same_figure(o)
                        .map(|other| &other.id)
                        .filter(|id| **id != o.id)
                        .min()
                    && *first < o.id
                {
                    problems.push(danvan_core::dataset::duplicate_figure(o, first));
                }
                if let Rec::Directive(d) = &r.rec {
                    problems.extend(check_held_reviews(d, |id| {
                        match s.get(RecordKind::Conference, id).map(|r| &r.rec) {
                            Some(Rec::Conference(c)) => Some(&**c),
                            _ => None,
                        }
                    }));
                }
            }
            problems
        })
    }

    /// `boards.json` in the store directory, when there is one; the built-in dates otherwise.
    fn board_calendar(&self) -> Result<danvan_core::board::BoardCalendar, StoreError> {
        let path = self.root.join(BOARDS);
        match fs::read_to_string(&path) {
            Ok(text) => danvan_core::board::BoardCalendar::from_json(&text).map_err(|e| {
                let (line, column) = match &e {
                    danvan_core::board::BoardCalendarError::Json { line, column, .. } => {
                        (*line, *column)
                    }
                    _ => (0, 0),
                };
                StoreError::Corrupt {
                    path,
                    line,
                    column,
                    message: e.to_string(),
                }
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(danvan_core::board::BoardCalendar::builtin())
            }
            Err(e) => Err(io_err(&path)(e)),
        }
    }
}
