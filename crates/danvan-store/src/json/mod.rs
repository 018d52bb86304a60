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

mod ack;
mod feed;
mod fsutil;
mod integrity;
mod journal;
pub mod layout;
mod migrate;
mod repair;
mod sessions;
mod shards;
mod watch;

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use danvan_core::dataset::{AnyRecord, Dataset, RecordRef};
use danvan_core::id::RecordId;
use danvan_core::validate::{Problem, RecordKind};

use self::layout::{
    BOARDS, CHECKPOINT, Checkpoint, FORMAT_NAME, FORMAT_VERSION, LOCK, MANIFEST, Manifest, PENDING,
    RECORDS, ShardKey, ShardSum, journal_path, shard_name,
};
pub use self::repair::{Repair, RepairOptions, RepairReport};
use self::watch::{Stamp, Watch};
use crate::api::{
    Export, ImportOptions, ImportReport, Op, Page, PageRef, Query, Receipt, Store, Stored,
};
use crate::engine::effect::Effect;
use crate::engine::plan::{self, Mode, plan};
use crate::engine::state::{Row, State};
use crate::engine::{query, reads};
use crate::error::{StoreError, io_err};

/// Batches of at least this many records are applied to a copy of the state, swapped in when
/// done (see `JsonStore::write`).
const COPY_ON_APPLY: usize = 5_000;

/// Tuning for a [`JsonStore`].
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How long a writer waits for another process's write lock before giving up.
    pub lock_timeout: Duration,
    /// Journal size past which a writer folds the journal into the shards.
    pub compact_after_bytes: u64,
    /// How many bytes of retired journals `history/` keeps for the change feed and record
    /// histories; a compaction removes the oldest past it.
    pub history_keep_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(10),
            compact_after_bytes: 16 << 20,
            history_keep_bytes: 256 << 20,
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
    /// Damage found while running (by [`Store::verify`] or a compaction): writes are refused
    /// with it until the store is repaired and reopened.
    damage: Mutex<Option<(crate::error::Location, usize, String)>>,
    /// The journal length this process's write in flight will leave (0 when none).
    appending: std::sync::atomic::AtomicU64,
    /// Where each record's ops sit in the journals, for histories.
    history: feed::HistoryIndex,
    /// Signed-out sessions, as `sessions.json` last read.
    ended: sessions::Ended,
    /// The web app's users, as `users.json` last read.
    users: sessions::Users,
    /// `journal.ack`, written after each append (see [`ack`]).
    ack: File,
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
    /// Handles on those files, to take the next stamp without walking their paths.
    watch: Option<Watch>,
    /// Shards whose records changed since the checkpoint.
    dirty: HashSet<ShardKey>,
    /// Every shard file as it is on disk now, by name.
    sums: BTreeMap<String, ShardSum>,
    /// CRC-32 of the journal's bytes up to `journal_end`, to find them changed underneath.
    journal_crc: crc32fast::Hasher,
}

impl JsonStore {
    /// Creates an empty store in `dir` (created if missing).
    pub fn init(dir: &Path) -> Result<JsonStore, StoreError> {
        if dir.join(MANIFEST).exists() {
            return Err(StoreError::AlreadyExists {
                at: dir.to_path_buf().into(),
            });
        }
        fsutil::create_dir_durable(&dir.join(RECORDS))?;
        File::create(dir.join(LOCK)).map_err(io_err(dir.join(LOCK)))?;
        let checkpoint = Checkpoint {
            generation: 1,
            ..Checkpoint::default()
        }
        .sealed();
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
                at: dir.to_path_buf().into(),
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
                checkpoint: Checkpoint::default(),
                journal_end: 0,
                journal_lines: 0,
                stamp: Stamp::default(),
                watch: None,
                dirty: HashSet::new(),
                sums: BTreeMap::new(),
                journal_crc: crc32fast::Hasher::new(),
            }),
            damage: Mutex::new(None),
            appending: std::sync::atomic::AtomicU64::new(0),
            history: feed::HistoryIndex::default(),
            ended: sessions::Ended::default(),
            users: sessions::Users::default(),
            ack: ack::open(dir)?,
        };
        {
            let _shared = store.lock(&store.shared, false)?;
            let mut inner = store.inner.write().unwrap_or_else(|e| e.into_inner());
            store.reload(&mut inner)?;
        }
        Ok(store)
    }

    /// Repairs the store in `dir` (the steps are in docs/RELIABILITY.md): keeps every
    /// acknowledged write any file holds, names what is lost, backs up every file it changes.
    /// With `dry_run`, only reports.
    pub fn repair(dir: &Path, dry_run: bool) -> Result<RepairReport, StoreError> {
        JsonStore::repair_with(
            dir,
            RepairOptions {
                dry_run,
                ..RepairOptions::default()
            },
        )
    }

    /// [`repair`](JsonStore::repair) with `options`.
    pub fn repair_with(dir: &Path, options: RepairOptions) -> Result<RepairReport, StoreError> {
        let manifest = read_manifest(dir)?;
        if manifest.version < FORMAT_VERSION {
            migrate::migrate(dir, manifest.version, Options::default().lock_timeout)?;
        }
        repair::repair(dir, options, Options::default().lock_timeout)
    }

    /// The store's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Folds the journal into the shards now (writers do this on their own past
    /// [`Options::compact_after_bytes`]).
    pub fn compact(&self) -> Result<(), StoreError> {
        let _w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let _x = self.lock(&self.exclusive, true)?;
        {
            let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
            self.catch_up(&mut inner)?;
        }
        self.compact_locked()
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
                    at: self.root.clone().into(),
                    waited_ms: start.elapsed().as_millis() as u64,
                });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(2));
        }
    }

    /// The files' stamp now (see [`watch`]).
    fn stamp(&self, inner: &Inner) -> Stamp {
        match &inner.watch {
            Some(w) => w.stamp(),
            None => watch::stamp_by_path(&self.root, inner.checkpoint.generation),
        }
    }

    /// Notes the files as they are now, having just read or written them under the OS lock:
    /// the handles are opened again for a new generation or a replaced file.
    fn restamp(&self, inner: &mut Inner) {
        let generation = inner.checkpoint.generation;
        if !inner.watch.as_ref().is_some_and(|w| w.follows(generation)) {
            inner.watch = Watch::open(&self.root, generation);
        }
        inner.stamp = self.stamp(inner);
    }

    /// Reads everything from disk, shards then the journal, checking the files against the
    /// checkpoint (see [`integrity`]).
    fn reload(&self, inner: &mut Inner) -> Result<(), StoreError> {
        let checkpoint = read_checkpoint(&self.root.join(CHECKPOINT))?;
        // A compaction that stopped part-way left the checkpoint it was committing.
        let pending: Option<Checkpoint> = match self.root.join(PENDING).exists() {
            true => Some(read_checkpoint(&self.root.join(PENDING))?)
                .filter(|p| p.generation == checkpoint.generation + 1),
            false => None,
        };
        integrity::check_journals(&self.root, &checkpoint)?;
        let files = shards::list(&self.root)?;
        let mut state = State::default();
        let mut dirty = HashSet::new();
        let mut sums = BTreeMap::new();
        let mut newest: Option<(u64, usize)> = None;
        shards::load(&files, |loaded| {
            sums.insert(shard_name(&self.root, &files[loaded.file].1), loaded.sum);
            for l in loaded.records {
                if newest.is_none_or(|(r, _)| l.revision > r) {
                    newest = Some((l.revision, l.file));
                }
                let (kind, id) = (l.rec.as_ref().kind(), l.rec.as_ref().id());
                if let Some(existing) = state.get(kind, id) {
                    // The same record in two shards: a compaction moved it and stopped half-way,
                    // or someone copied it by hand. Keep the newer; two different versions at
                    // one revision cannot be told apart and are reported.
                    if existing.revision == l.revision && existing.rec != l.rec {
                        return Err(StoreError::Corrupt {
                            at: files[l.file].1.clone().into(),
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
        integrity::check_shards(&self.root, &checkpoint, pending.as_ref(), &sums)?;
        integrity::check_revisions(
            &self.root,
            &checkpoint,
            pending.as_ref(),
            newest.map(|(r, f)| (r, files[f].1.as_path())),
        )?;
        state.revision = checkpoint.revision;
        inner.state = state;
        inner.checkpoint = checkpoint;
        inner.journal_end = 0;
        inner.journal_lines = 0;
        inner.journal_crc = crc32fast::Hasher::new();
        inner.dirty = dirty;
        inner.sums = sums;
        self.read_journal(inner)?;
        ack::check(
            &self.root,
            inner.checkpoint.generation,
            inner.journal_end,
            inner.state.revision,
        )?;
        self.restamp(inner);
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
            &mut inner.journal_crc,
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
        let checkpoint = read_checkpoint(&self.root.join(CHECKPOINT))?;
        if checkpoint.generation == inner.checkpoint.generation && checkpoint == inner.checkpoint {
            self.read_journal(inner)?;
        } else if checkpoint.generation == inner.checkpoint.generation + 1
            && journal_path(&self.root, inner.checkpoint.generation).exists()
        {
            // Another process compacted: finish the old journal, then follow the new one.
            self.read_journal(inner)?;
            if inner.state.revision != checkpoint.revision {
                return self.reload(inner);
            }
            // The shards it rewrote hold what this process has: check those files against the
            // new checkpoint and follow it.
            self.check_rewritten(&inner.sums, &checkpoint)?;
            inner.sums = checkpoint.shards.clone();
            inner.checkpoint = checkpoint;
            inner.journal_end = 0;
            inner.journal_lines = 0;
            inner.journal_crc = crc32fast::Hasher::new();
            inner.dirty.clear();
            self.read_journal(inner)?;
        } else {
            return self.reload(inner);
        }
        self.restamp(inner);
        Ok(())
    }

    /// Catches up (the caller holds the shared OS lock) and says the journal generation and
    /// revision reached.
    fn caught_up(&self) -> Result<(u64, u64), StoreError> {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        self.catch_up(&mut inner)?;
        Ok((inner.checkpoint.generation, inner.state.revision))
    }

    /// Checks the shards another process's compaction changed (those whose entry differs
    /// between `before` and `after`): each must hold what `after` lists, or be gone.
    fn check_rewritten(
        &self,
        before: &BTreeMap<String, ShardSum>,
        after: &Checkpoint,
    ) -> Result<(), StoreError> {
        let mut found = BTreeMap::new();
        for (name, sum) in &after.shards {
            if before.get(name) == Some(sum) {
                found.insert(name.clone(), *sum);
                continue;
            }
            let path = self.root.join(name);
            match fs::read(&path) {
                Ok(bytes) => {
                    let crc32 = crc32fast::hash(&bytes);
                    let records = if crc32 == sum.crc32 { sum.records } else { 0 };
                    found.insert(name.clone(), ShardSum { crc32, records });
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_err(path)(e)),
            }
        }
        for name in before.keys().filter(|n| !after.shards.contains_key(*n)) {
            if self.root.join(name).exists() {
                found.insert(name.clone(), before[name]);
            }
        }
        integrity::check_shards(&self.root, after, None, &found)
    }

    /// Runs `f` on the state if that needs no waiting: the in-memory lock is free for reading
    /// and no other process changed the files (a `stat` of two files says).
    fn read_now<R>(&self, f: impl FnOnce(&State) -> R) -> Option<R> {
        let inner = self.inner.try_read().ok()?;
        let now = self.stamp(&inner);
        let own = self.appending.load(std::sync::atomic::Ordering::SeqCst);
        let fresh = !now.unlinked && (now == inner.stamp || own_append(&now, &inner.stamp, own));
        fresh.then(|| f(&inner.state))
    }

    /// Runs `f` on state that includes every write committed before the call.
    fn read<R>(&self, f: impl FnOnce(&State) -> R) -> Result<R, StoreError> {
        let stale = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            let now = self.stamp(&inner);
            // This process's own write in flight is not news from another process: until it
            // is applied, readers see the state before it.
            let own = self.appending.load(std::sync::atomic::Ordering::SeqCst);
            now.unlinked || (now != inner.stamp && !own_append(&now, &inner.stamp, own))
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
    ///
    /// Readers are held up only while the committed batch is applied in memory: planning (the
    /// validation of every record) and the journal append run under the shared side of the
    /// in-memory lock, and readers meanwhile see the state before the batch. Nothing else can
    /// change the state in between: writers in this process queue on `writer`, other processes
    /// on the exclusive OS lock, and a reader that notices this write's journal growth treats
    /// it as this process's own (`appending`) rather than catching up from disk.
    fn write(
        &self,
        ops: Vec<Op>,
        mode: Mode,
        author: &crate::api::Author,
    ) -> Result<(plan::Plan, u64), StoreError> {
        self.refuse_if_damaged()?;
        let _w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let _x = self.lock(&self.exclusive, true)?;
        {
            let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
            self.catch_up(&mut inner)?;
        }
        let (mut p, seq, line, end) = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            let p = plan(&inner.state, ops, mode, author)?;
            if p.ops.is_empty() || danvan_core::validate::has_errors(&p.problems) {
                let revision = inner.state.revision;
                return Ok((p, revision));
            }
            let seq = inner.state.revision + 1;
            let at = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64);
            let line = journal::encode(seq, at, author, &p.ops)
                .map_err(|e| io_err(&self.root)(e.into()))?;
            let path = journal_path(&self.root, inner.checkpoint.generation);
            self.appending.store(
                inner.journal_end + line.len() as u64,
                std::sync::atomic::Ordering::SeqCst,
            );
            let appended = journal::append(&path, inner.journal_end, &line);
            let end = match appended {
                Ok(end) => end,
                Err(e) => {
                    self.appending.store(0, std::sync::atomic::Ordering::SeqCst);
                    return Err(e);
                }
            };
            self.note_acknowledged(inner.checkpoint.generation, end, seq);
            (p, seq, line, end)
        };
        let effects = std::mem::take(&mut p.ops);
        // A large batch (an import) is applied to a copy of the state while readers go on
        // reading the state before it, and the copy is swapped in at once: readers never wait
        // for the application. A small one is applied in place, in less time than a copy takes.
        let prepared = if effects.len() >= COPY_ON_APPLY {
            let mut copy = self
                .inner
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .state
                .clone();
            let mut dirty = HashSet::new();
            apply_entry(&mut copy, &mut dirty, seq, effects);
            Ok((copy, dirty))
        } else {
            Err(effects)
        };
        // The state replaced is dropped after the lock is released.
        let mut retired: Option<State> = None;
        let mut guard = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let inner = &mut *guard;
        inner.journal_crc.update(&line);
        match prepared {
            Ok((state, dirty)) => {
                retired = Some(std::mem::replace(&mut inner.state, state));
                inner.dirty.extend(dirty);
            }
            Err(effects) => apply_entry(&mut inner.state, &mut inner.dirty, seq, effects),
        }
        inner.journal_end = end;
        inner.journal_lines += 1;
        self.restamp(inner);
        self.appending.store(0, std::sync::atomic::Ordering::SeqCst);
        drop(guard);
        drop(retired);
        if end > self.options.compact_after_bytes {
            // The write is durable in the journal already; a failed compaction only means the
            // next writer tries again (damage it found is kept, and refuses later writes).
            if let Err(e) = self.compact_locked() {
                tracing::warn!(store = %self.root.display(), error = %e, "compaction failed; the next write tries again");
            }
        }
        Ok((p, seq))
    }

    /// Folds the journal into the dirty shards and starts a new journal. The caller holds the
    /// exclusive lock and is caught up.
    ///
    /// The files are checked first, so that the new checkpoint never vouches for damage. Then:
    /// each dirty shard is written to a temporary file (fsynced); the checkpoint to commit is
    /// written as `checkpoint.next.json`; the shards are renamed into place; the new journal is
    /// created; and renaming `checkpoint.next.json` over `checkpoint.json` commits. A crash at
    /// any step leaves every shard matching one of the two checkpoints.
    fn compact_locked(&self) -> Result<(), StoreError> {
        // 1. Under the shared side of the in-memory lock (readers go on): check the files,
        //    write the new shards to temporary files, and work out the checkpoint to come.
        let (prepared, next) = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            if inner.journal_end == 0 && inner.dirty.is_empty() {
                return Ok(());
            }
            self.verify_files(&inner)?;
            shards::remove_leftovers(&self.root);
            let by_shard = shard_rows(&inner.state, &inner.dirty);
            let mut prepared = Vec::with_capacity(inner.dirty.len());
            for key in &inner.dirty {
                let mut rows: Vec<&Row> = by_shard
                    .get(key)
                    .map(|v| v.iter().filter_map(|r| inner.state.row(*r)).collect())
                    .unwrap_or_default();
                match shards::prepare(&self.root, key, &mut rows) {
                    Ok(p) => prepared.push(p),
                    Err(e) => {
                        prepared.iter().for_each(shards::Prepared::discard);
                        return Err(e);
                    }
                }
            }
            let mut sums = inner.sums.clone();
            for p in &prepared {
                let name = shard_name(&self.root, p.path());
                match p.sum() {
                    Some(sum) => sums.insert(name, sum),
                    None => sums.remove(&name),
                };
            }
            let next = Checkpoint {
                generation: inner.checkpoint.generation + 1,
                revision: inner.state.revision,
                shards: sums,
                sum: None,
            }
            .sealed();
            (prepared, next)
        };
        // 2. The files, with no in-memory lock: nothing else changes the state meanwhile (this
        //    writer holds the writer mutex and the exclusive OS lock; readers that notice the
        //    files changing wait for the shared OS lock before reading them again).
        let committed = self.commit_compaction(&prepared, &next);
        // 3. What is on disk now, whatever happened.
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let (count, result) = committed;
        for p in &prepared[..count] {
            let name = shard_name(&self.root, p.path());
            match p.sum() {
                Some(sum) => inner.sums.insert(name, sum),
                None => inner.sums.remove(&name),
            };
        }
        result?;
        self.note_acknowledged(next.generation, 0, next.revision);
        inner.checkpoint = next;
        inner.journal_end = 0;
        inner.journal_lines = 0;
        inner.journal_crc = crc32fast::Hasher::new();
        inner.dirty.clear();
        inner.state.maybe_compact_text();
        self.restamp(&mut inner);
        Ok(())
    }

    /// Writes the pending checkpoint, puts the prepared shards in place, starts the next
    /// journal and commits the checkpoint. Says how many shards were put in place (their files
    /// changed even if a later step failed).
    fn commit_compaction(
        &self,
        prepared: &[shards::Prepared],
        next: &Checkpoint,
    ) -> (usize, Result<(), StoreError>) {
        if let Err(e) = fsutil::write_atomic(&self.root.join(PENDING), &to_json(next)) {
            prepared.iter().for_each(shards::Prepared::discard);
            return (0, Err(e));
        }
        for (i, p) in prepared.iter().enumerate() {
            if let Err(e) = p.commit() {
                prepared[i..].iter().for_each(shards::Prepared::discard);
                return (i, Err(e));
            }
        }
        let result = (|| {
            let new_journal = journal_path(&self.root, next.generation);
            File::create(&new_journal)
                .map_err(io_err(&new_journal))?
                .sync_all()
                .map_err(io_err(&new_journal))?;
            fs::rename(self.root.join(PENDING), self.root.join(CHECKPOINT))
                .map_err(io_err(self.root.join(CHECKPOINT)))?;
            // The rename is the commit: from here on the new checkpoint is the one to follow, so
            // a failure to sync the directory is logged, not returned (returning would leave this
            // process writing to the old journal). Were the rename then lost to a power cut, the
            // next open finds the later journal holding writes and says so (repair repoints).
            if let Err(e) = fsutil::sync_dir(&self.root) {
                tracing::warn!(store = %self.root.display(), error = %e, "syncing the store directory after a compaction failed");
            }
            // Keep the journal just replaced, so that a reader one generation behind can
            // finish it; the one before retires to history/, for the feed and histories.
            let old = next.generation - 1;
            if old > 1
                && let Err(e) = feed::retire(&self.root, old - 1, self.options.history_keep_bytes)
            {
                tracing::warn!(store = %self.root.display(), error = %e, "retiring a journal to history/ failed");
            }
            Ok(())
        })();
        (prepared.len(), result)
    }

    /// Checks every shard and the journal's acknowledged bytes against what this process read
    /// and wrote; damage found is kept and refuses writes from then on.
    fn verify_files(&self, inner: &Inner) -> Result<(), StoreError> {
        let result = (|| {
            let mut found = BTreeMap::new();
            for (_, path) in shards::list(&self.root)? {
                let bytes = fs::read(&path).map_err(io_err(&path))?;
                let name = shard_name(&self.root, &path);
                let crc32 = crc32fast::hash(&bytes);
                let records = match inner.sums.get(&name) {
                    Some(s) if s.crc32 == crc32 => s.records,
                    _ => 0,
                };
                found.insert(name, ShardSum { crc32, records });
            }
            let listed = Checkpoint {
                shards: inner.sums.clone(),
                ..Checkpoint::default()
            };
            integrity::check_shards(&self.root, &listed, None, &found)?;
            let path = journal_path(&self.root, inner.checkpoint.generation);
            let mut bytes = fs::read(&path).map_err(io_err(&path))?;
            bytes.truncate(inner.journal_end as usize);
            if bytes.len() as u64 != inner.journal_end
                || crc32fast::hash(&bytes) != inner.journal_crc.clone().finalize()
            {
                // Find the line, for the message.
                let line = journal::read_from(
                    &path,
                    0,
                    1,
                    inner.checkpoint.revision + 1,
                    &mut crc32fast::Hasher::new(),
                )
                .err()
                .and_then(|e| match e {
                    StoreError::Damaged { line, .. } => Some(line),
                    _ => None,
                })
                .unwrap_or(0);
                return Err(StoreError::Damaged {
                    at: path.into(),
                    line,
                    message: "acknowledged journal entries changed on disk after they were written; restore the file from a backup".into(),
                });
            }
            Ok(())
        })();
        if let Err(e) = &result {
            self.note_damage(e);
        }
        result
    }

    /// Keeps `e`, when it is damage, as the damage found while running: writes are refused
    /// from then on.
    fn note_damage(&self, e: &StoreError) {
        if let StoreError::Damaged { at, line, message } = e {
            let mut damage = self.damage.lock().unwrap_or_else(|e| e.into_inner());
            *damage = Some((at.clone(), *line, message.clone()));
            tracing::error!(store = %self.root.display(), at = %at, line, %message, "store damaged; writes are refused");
        }
    }

    /// Records in `journal.ack` that the journal of `generation` holds `length` acknowledged
    /// bytes up to revision `seq`. A failure is logged: the write itself is on disk.
    fn note_acknowledged(&self, generation: u64, length: u64, seq: u64) {
        let acked = ack::Acked {
            generation,
            length,
            seq,
        };
        if let Err(e) = ack::write(&self.root, &self.ack, acked) {
            tracing::warn!(store = %self.root.display(), error = %e, "recording the journal's acknowledged length failed");
        }
    }

    /// The damage found while running, as the error writes get.
    fn refuse_if_damaged(&self) -> Result<(), StoreError> {
        let damage = self.damage.lock().unwrap_or_else(|e| e.into_inner());
        match &*damage {
            Some((path, line, message)) => Err(StoreError::Damaged {
                at: path.clone(),
                line: *line,
                message: format!("{message} (writes are refused until the store is repaired)"),
            }),
            None => Ok(()),
        }
    }
}

/// The rows of each shard in `wanted`.
fn shard_rows(
    state: &State,
    wanted: &HashSet<ShardKey>,
) -> rustc_hash::FxHashMap<ShardKey, Vec<u32>> {
    let mut out: rustc_hash::FxHashMap<ShardKey, Vec<u32>> = rustc_hash::FxHashMap::default();
    for row in state.rows() {
        if let Some(r) = state.row(row) {
            let key = ShardKey::of(r.rec.as_ref());
            if wanted.contains(&key) {
                out.entry(key).or_default().push(row);
            }
        }
    }
    out
}

/// Whether the files differ from `read` only by this process's append in flight, which ends at
/// journal length `own` (0: none): the journal has grown part or all of the way to it. A large
/// line is written in pieces, so a reader may see any length in between.
fn own_append(now: &Stamp, read: &Stamp, own: u64) -> bool {
    own != 0
        && now.checkpoint == read.checkpoint
        && (read.journal_len..=own).contains(&now.journal_len)
}

/// Applies a committed entry to the in-memory state, noting the shards it touches.
fn apply_entry(state: &mut State, dirty: &mut HashSet<ShardKey>, seq: u64, ops: Vec<Effect>) {
    reads::apply(state, seq, ops, &mut |r| {
        dirty.insert(ShardKey::of(r));
    });
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
        at: path.to_path_buf().into(),
        line: e.line(),
        column: e.column(),
        message: crate::error::json_message(&e),
    })
}

/// The checkpoint at `path`, its checksum checked: one that fails it (a digit of its revision
/// changed) is the checkpoint's damage, never taken for the journal's.
fn read_checkpoint(path: &Path) -> Result<Checkpoint, StoreError> {
    if !path.exists() {
        return Err(StoreError::Damaged {
            at: path.to_path_buf().into(),
            line: 0,
            message: "the checkpoint is missing: `danvan repair` rebuilds it from the journals and shards".into(),
        });
    }
    let checkpoint: Checkpoint = read_json(path)?;
    if !checkpoint.holds() {
        return Err(StoreError::Damaged {
            at: path.to_path_buf().into(),
            line: 0,
            message: "the checkpoint does not match its own checksum: changed on disk after it was written; `danvan repair` rebuilds it from the journals and shards".into(),
        });
    }
    Ok(checkpoint)
}

fn read_manifest(dir: &Path) -> Result<Manifest, StoreError> {
    let path = dir.join(MANIFEST);
    if !path.exists() {
        return Err(StoreError::NotAStore {
            at: dir.to_path_buf().into(),
        });
    }
    let m: Manifest = read_json(&path)?;
    if m.format != FORMAT_NAME {
        return Err(StoreError::Corrupt {
            at: path.into(),
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

    fn len(&self) -> Result<usize, StoreError> {
        self.read(|s| s.len())
    }

    fn compact(&self) -> Result<(), StoreError> {
        JsonStore::compact(self)
    }

    fn get(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<Stored<AnyRecord>>, StoreError> {
        self.read(|s| reads::get(s, kind, id))
    }

    fn apply_by(&self, ops: Vec<Op>, author: &crate::api::Author) -> Result<Receipt, StoreError> {
        let (p, revision) = self.write(ops, Mode::Apply, author)?;
        Ok(reads::receipt(p, revision))
    }

    fn get_now(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Option<Result<Option<Stored<AnyRecord>>, StoreError>> {
        self.read_now(|s| Ok(reads::get(s, kind, id)))
    }

    fn query_now(&self, q: &Query) -> Option<Result<Page, StoreError>> {
        self.read_now(|s| query::run(s, q))
    }

    fn revision_now(&self) -> Option<Result<u64, StoreError>> {
        self.read_now(|s| Ok(s.revision))
    }

    fn get_now_with(
        &self,
        kind: RecordKind,
        id: &RecordId,
        f: &mut dyn FnMut(Option<Stored<RecordRef<'_>>>),
    ) -> Option<Result<(), StoreError>> {
        self.read_now(|s| {
            f(reads::get_ref(s, kind, id));
            Ok(())
        })
    }

    fn query_now_with(
        &self,
        q: &Query,
        f: &mut dyn FnMut(PageRef<'_>),
    ) -> Option<Result<(), StoreError>> {
        self.read_now(|s| query::run_ref(s, q).map(f))
    }

    fn query(&self, q: &Query) -> Result<Page, StoreError> {
        self.read(|s| query::run(s, q))?
    }

    fn get_with(
        &self,
        kind: RecordKind,
        id: &RecordId,
        f: &mut dyn FnMut(Option<Stored<RecordRef<'_>>>),
    ) -> Result<(), StoreError> {
        self.read(|s| f(reads::get_ref(s, kind, id)))
    }

    fn query_with(&self, q: &Query, f: &mut dyn FnMut(PageRef<'_>)) -> Result<(), StoreError> {
        self.read(|s| query::run_ref(s, q).map(f))?
    }

    fn referrers(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Vec<(RecordKind, RecordId)>, StoreError> {
        self.read(|s| reads::referrers(s, kind, id))
    }

    fn export(&self, q: Option<&Query>) -> Result<Export, StoreError> {
        self.read(|s| reads::export(s, q))?
    }

    fn visit(
        &self,
        q: &Query,
        f: &mut dyn FnMut(danvan_core::dataset::RecordRef<'_>),
    ) -> Result<(), StoreError> {
        self.read(|s| reads::visit(s, q, f))?
    }

    fn visit_shared(
        &self,
        q: &Query,
        f: &mut dyn FnMut(crate::SharedRecord),
    ) -> Result<(), StoreError> {
        self.read(|s| reads::visit_shared(s, q, f))?
    }

    fn import(&self, dataset: Dataset, options: ImportOptions) -> Result<ImportReport, StoreError> {
        let ops = reads::import_ops(dataset);
        let (p, revision) = if options.dry_run {
            let p = self.read(|s| plan(s, ops, Mode::Import, &options.author))??;
            let revision = self.revision()?;
            (p, revision)
        } else {
            self.write(ops, Mode::Import, &options.author)?
        };
        Ok(reads::import_report(p, revision, options.dry_run))
    }

    fn changes(&self, after: &str, limit: usize) -> Result<crate::api::FeedPage, StoreError> {
        // The shared OS lock keeps compactions (of any process) from moving journals away
        // while they are read; the in-memory lock is not held meanwhile.
        let _shared = self.lock(&self.shared, false)?;
        let (generation, revision) = self.caught_up()?;
        feed::changes(
            &self.root,
            generation,
            revision,
            after,
            limit.clamp(1, crate::api::MAX_LIMIT),
        )
    }

    fn warm_up(&self) -> Result<(), StoreError> {
        // Asking for the history of one record indexes every journal on the way.
        let any: RecordId = "danvan-warm-up"
            .parse()
            .map_err(|_| StoreError::BadQuery("danvan-warm-up".into()))?;
        self.history(RecordKind::Model, &any).map(drop)
    }

    fn history(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Vec<crate::api::HistoryEntry>, StoreError> {
        let _shared = self.lock(&self.shared, false)?;
        let (generation, _) = self.caught_up()?;
        feed::history(&self.root, generation, kind, id, &self.history)
    }

    fn verify(&self) -> Result<(), StoreError> {
        let _shared = self.lock(&self.shared, false)?;
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        // The checkpoint is read again whatever its stamp says: one changed in place (a digit
        // of its revision) fails its checksum here.
        if let Err(e) = self.catch_up(&mut inner) {
            self.note_damage(&e);
            return Err(e);
        }
        self.verify_files(&inner)
    }

    fn damage(&self) -> Option<String> {
        let damage = self.damage.lock().unwrap_or_else(|e| e.into_inner());
        damage.as_ref().map(|(path, line, message)| {
            if *line == 0 {
                format!("{}: {message}", path)
            } else {
                format!("{}:{line}: {message}", path)
            }
        })
    }

    fn validate(&self) -> Result<Vec<Problem>, StoreError> {
        self.verify()?;
        // A damaged board calendar is damage like any other file's: reported, not skipped.
        self.board_calendar()?;
        self.read(reads::validate)
    }

    fn end_session(&self, id: &str, until: u64) -> Result<(), StoreError> {
        let _w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let _x = self.lock(&self.exclusive, true)?;
        self.ended.add(&self.root, id, until, unix_now())
    }

    fn session_ended(&self, id: &str, now: u64) -> Result<bool, StoreError> {
        self.ended.contains(&self.root, id, now)
    }

    fn users(&self) -> Result<Vec<danvan_core::user::User>, StoreError> {
        self.users.all(&self.root)
    }

    /// `files/<sha256>` in the store directory, written whole (a temporary file renamed) and
    /// made durable before the hash is returned.
    fn put_file(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let sha = crate::files::sha256_hex(bytes);
        let dir = self.root.join("files");
        let path = dir.join(&sha);
        if path.exists() {
            return Ok(sha);
        }
        fs::create_dir_all(&dir).map_err(crate::error::io_err(&dir))?;
        fsutil::write_atomic(&path, bytes)?;
        Ok(sha)
    }

    fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        if !crate::files::is_hash(sha256) {
            return Ok(None);
        }
        let path = self.root.join("files").join(sha256);
        match fs::read(&path) {
            Ok(bytes) => crate::files::checked(path.clone().into(), sha256, bytes).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(crate::error::io_err(&path)(e)),
        }
    }

    fn user(&self, login: &str) -> Result<Option<danvan_core::user::User>, StoreError> {
        self.users.get(&self.root, login)
    }

    fn put_user(&self, user: &danvan_core::user::User, create: bool) -> Result<(), StoreError> {
        let _w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let _x = self.lock(&self.exclusive, true)?;
        self.users.put(&self.root, user, create)
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
                    at: path.into(),
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

/// Seconds since 1970, now.
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
