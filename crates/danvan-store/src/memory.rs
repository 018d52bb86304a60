//! The in-memory store: the shared engine (indexes, planning, queries) with no files. For tests
//! and for tools that build a store to throw away; it passes the same conformance suite as the
//! JSON store. Every commit is kept, so its change feed and histories reach back to the start.

use std::sync::{Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use danvan_core::dataset::{AnyRecord, Dataset, RecordRef};
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use danvan_core::validate::{Problem, has_errors};

use crate::api::{
    Author, Export, FeedPage, HistoryEntry, ImportOptions, ImportReport, Op, Page, PageRef, Query,
    Receipt, Store, Stored,
};
use crate::engine::effect::Commit;
use crate::engine::plan::{Mode, Plan, plan};
use crate::engine::state::State;
use crate::engine::{feed, query, reads};
use crate::error::StoreError;

/// A store held in memory only. See the [module docs](self).
#[derive(Debug, Default)]
pub struct MemoryStore {
    /// Writers queue here; readers are held up only while a commit is applied.
    writer: Mutex<()>,
    inner: RwLock<Inner>,
    /// Signed-out sessions and when each would have expired.
    ended: Mutex<std::collections::HashMap<String, u64>>,
    /// The web app's users, sorted by login.
    users: Mutex<Vec<danvan_core::user::User>>,
    /// Files kept by their SHA-256.
    files: Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

#[derive(Debug, Default)]
struct Inner {
    state: State,
    log: Vec<Commit>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn read<R>(&self, f: impl FnOnce(&Inner) -> R) -> R {
        f(&self.inner.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Plans and commits a batch, as the JSON store does without its files.
    fn write(&self, ops: Vec<Op>, mode: Mode, author: &Author) -> Result<(Plan, u64), StoreError> {
        let _w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let mut p = self.read(|i| plan(&i.state, ops, mode, author))?;
        if p.ops.is_empty() || has_errors(&p.problems) {
            return Ok((p, self.read(|i| i.state.revision)));
        }
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let seq = inner.state.revision + 1;
        let effects = std::mem::take(&mut p.ops);
        inner.log.push(Commit {
            seq,
            at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
            author: author.clone(),
            ops: effects.clone(),
        });
        reads::apply(&mut inner.state, seq, effects, &mut |_| {});
        Ok((p, seq))
    }

    fn commits(&self) -> Vec<Commit> {
        self.read(|i| i.log.clone())
    }
}

impl Store for MemoryStore {
    fn revision(&self) -> Result<u64, StoreError> {
        Ok(self.read(|i| i.state.revision))
    }

    fn len(&self) -> Result<usize, StoreError> {
        Ok(self.read(|i| i.state.len()))
    }

    fn get(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<Stored<AnyRecord>>, StoreError> {
        Ok(self.read(|i| reads::get(&i.state, kind, id)))
    }

    fn apply_by(&self, ops: Vec<Op>, author: &Author) -> Result<Receipt, StoreError> {
        let (p, revision) = self.write(ops, Mode::Apply, author)?;
        Ok(reads::receipt(p, revision))
    }

    fn query(&self, q: &Query) -> Result<Page, StoreError> {
        self.read(|i| query::run(&i.state, q))
    }

    fn get_now(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Option<Result<Option<Stored<AnyRecord>>, StoreError>> {
        let inner = self.inner.try_read().ok()?;
        Some(Ok(reads::get(&inner.state, kind, id)))
    }

    fn query_now(&self, q: &Query) -> Option<Result<Page, StoreError>> {
        let inner = self.inner.try_read().ok()?;
        Some(query::run(&inner.state, q))
    }

    fn revision_now(&self) -> Option<Result<u64, StoreError>> {
        let inner = self.inner.try_read().ok()?;
        Some(Ok(inner.state.revision))
    }

    fn get_now_with(
        &self,
        kind: RecordKind,
        id: &RecordId,
        f: &mut dyn FnMut(Option<Stored<RecordRef<'_>>>),
    ) -> Option<Result<(), StoreError>> {
        let inner = self.inner.try_read().ok()?;
        f(reads::get_ref(&inner.state, kind, id));
        Some(Ok(()))
    }

    fn query_now_with(
        &self,
        q: &Query,
        f: &mut dyn FnMut(PageRef<'_>),
    ) -> Option<Result<(), StoreError>> {
        let inner = self.inner.try_read().ok()?;
        Some(query::run_ref(&inner.state, q).map(f))
    }

    fn referrers(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Vec<(RecordKind, RecordId)>, StoreError> {
        Ok(self.read(|i| reads::referrers(&i.state, kind, id)))
    }

    fn export(&self, q: Option<&Query>) -> Result<Export, StoreError> {
        self.read(|i| reads::export(&i.state, q))
    }

    fn visit(&self, q: &Query, f: &mut dyn FnMut(RecordRef<'_>)) -> Result<(), StoreError> {
        self.read(|i| reads::visit(&i.state, q, f))
    }

    fn visit_shared(
        &self,
        q: &Query,
        f: &mut dyn FnMut(crate::SharedRecord),
    ) -> Result<(), StoreError> {
        self.read(|i| reads::visit_shared(&i.state, q, f))
    }

    fn end_session(&self, id: &str, until: u64) -> Result<(), StoreError> {
        let mut ended = self.ended.lock().unwrap_or_else(|e| e.into_inner());
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        ended.retain(|_, u| *u > now);
        let kept = ended.entry(id.to_string()).or_insert(until);
        *kept = (*kept).max(until);
        Ok(())
    }

    fn session_ended(&self, id: &str, now: u64) -> Result<bool, StoreError> {
        let ended = self.ended.lock().unwrap_or_else(|e| e.into_inner());
        Ok(ended.get(id).is_some_and(|u| *u > now))
    }

    fn put_file(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let sha = crate::files::sha256_hex(bytes);
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.entry(sha.clone()).or_insert_with(|| bytes.to_vec());
        Ok(sha)
    }

    fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        Ok(files.get(sha256).cloned())
    }

    fn users(&self) -> Result<Vec<danvan_core::user::User>, StoreError> {
        Ok(self.users.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }

    fn put_user(&self, user: &danvan_core::user::User, create: bool) -> Result<(), StoreError> {
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        *users = crate::users::written(users.clone(), user, create)?;
        Ok(())
    }

    fn import(&self, dataset: Dataset, options: ImportOptions) -> Result<ImportReport, StoreError> {
        let ops = reads::import_ops(dataset);
        let (p, revision) = if options.dry_run {
            let p = self.read(|i| plan(&i.state, ops, Mode::Import, &options.author))?;
            (p, self.revision()?)
        } else {
            self.write(ops, Mode::Import, &options.author)?
        };
        Ok(reads::import_report(p, revision, options.dry_run))
    }

    fn changes(&self, after: &str, limit: usize) -> Result<FeedPage, StoreError> {
        let (latest, oldest) = self.read(|i| {
            (
                i.state.revision,
                i.log.first().map_or(i.state.revision + 1, |c| c.seq),
            )
        });
        let commits = self.commits();
        feed::changes(
            Box::new(commits.into_iter().map(Ok)),
            latest,
            oldest,
            after,
            limit.clamp(1, crate::api::MAX_LIMIT),
        )
    }

    fn history(&self, kind: RecordKind, id: &RecordId) -> Result<Vec<HistoryEntry>, StoreError> {
        feed::history(Box::new(self.commits().into_iter().map(Ok)), kind, id)
    }

    fn validate(&self) -> Result<Vec<Problem>, StoreError> {
        Ok(self.read(|i| reads::validate(&i.state)))
    }
}
