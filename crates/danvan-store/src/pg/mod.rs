//! The PostgreSQL backend of the [`Store`] contract, for national deployments: many API
//! servers on one database, backed up, replicated and watched by a database team.
//!
//! The database is the source of truth; the rules are the shared engine's. Each `PgStore`
//! keeps the engine's indexes of the records in memory (as the JSON store does) and keeps them
//! current from the database's log of commits before every read and write, so every server
//! answers exactly as the JSON store would — same validation, same text folding, same
//! Vietnamese order — and sees every other server's writes at once.
//!
//! How a write stays right with many connections and many servers: it runs in one transaction
//! that first takes the single `danvan_meta` row `FOR UPDATE`. That row lock queues writers in
//! the order they commit; the holder reads the revision, catches its indexes up with any
//! commits it has not seen, plans the batch against them (expected revisions, references),
//! writes the commit, its changes and the records, and sets the revision one higher. A writer
//! that fails or rolls back leaves the revision as it was, so revisions are gap-free and in
//! commit order, and ETags, 304s and the change feed stay right.
//!
//! ```no_run
//! use danvan_store::{PgStore, Store};
//! let store = PgStore::init("postgres://danvan:secret@localhost/danvan").unwrap();
//! assert_eq!(store.revision().unwrap(), 0);
//! ```

mod connect;
mod pool;
mod schema;
pub mod scratch;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use danvan_core::dataset::{AnyRecord, Dataset, RecordRef};
use danvan_core::id::RecordId;
use danvan_core::period::Window;
use danvan_core::province::registry;
use danvan_core::record_kind::RecordKind;
use danvan_core::validate::{Problem, has_errors};
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{GenericClient, IsolationLevel};

use self::pool::{Lease, Pool, Refused};

use crate::api::{
    Author, Export, FeedPage, HistoryEntry, ImportOptions, ImportReport, Op, Page, PageRef, Query,
    Receipt, Store, Stored,
};
use crate::engine::effect::{Commit, Effect};
use crate::engine::feed::{self, Placed};
use crate::engine::plan::{Mode, Plan, plan};
use crate::engine::state::State;
use crate::engine::{query, reads};
use crate::error::{Location, StoreError};

/// How a [`PgStore`] connects and waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PgOptions {
    /// The most connections this store opens (the pool's bound).
    pub pool_size: u32,
    /// How long to wait for the server when connecting (when the URL sets no
    /// `connect_timeout`).
    pub connect_timeout: Duration,
    /// How long a call waits for a free connection from the pool.
    pub pool_timeout: Duration,
    /// How long a writer waits for another writer (on any server) to commit.
    pub lock_timeout: Duration,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions {
            pool_size: 8,
            connect_timeout: Duration::from_secs(5),
            pool_timeout: Duration::from_secs(10),
            lock_timeout: Duration::from_secs(10),
        }
    }
}

impl PgOptions {
    /// With `lock_timeout`.
    pub fn with_lock_timeout(mut self, lock_timeout: Duration) -> PgOptions {
        self.lock_timeout = lock_timeout;
        self
    }

    /// With a pool of at most `pool_size` connections (at least 1).
    pub fn with_pool_size(mut self, pool_size: u32) -> PgOptions {
        self.pool_size = pool_size.max(1);
        self
    }
}

/// A store in a PostgreSQL database. See the [module docs](self).
pub struct PgStore {
    pool: Pool,
    /// The URL without its password.
    shown: String,
    /// The user it connects as.
    user: Option<String>,
    /// The password, scrubbed from any message.
    secret: Option<String>,
    lock_timeout: Duration,
    /// Writers of this process queue here before they queue for the database's row lock.
    writer: Mutex<()>,
    /// The revision this process's writer is committing and applying (0: none).
    in_flight: AtomicU64,
    /// Held while the indexes catch up with the database, so that one thread reads the log.
    catching_up: Mutex<()>,
    replica: RwLock<Replica>,
    damage: Mutex<Option<String>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("database", &self.shown)
            .finish_non_exhaustive()
    }
}

/// This process's copy of the indexes, and which database they were read from.
#[derive(Default)]
struct Replica {
    state: State,
    /// The database's instance ID: a database dropped and created again under the same URL is
    /// read afresh.
    instance: String,
}

impl PgStore {
    /// Creates the schema in the (empty) database at `url` and opens it.
    pub fn init(url: &str) -> Result<PgStore, StoreError> {
        PgStore::init_with(url, PgOptions::default())
    }

    /// [`init`](PgStore::init) with options.
    pub fn init_with(url: &str, options: PgOptions) -> Result<PgStore, StoreError> {
        let store = PgStore::connect(url, options)?;
        let mut c = store.conn()?;
        if store.schema_version(&mut c)?.is_some() {
            return Err(StoreError::AlreadyExists {
                at: store.location(),
            });
        }
        store.migrate(&mut c)?;
        store.reload(&mut c)?;
        drop(c);
        Ok(store)
    }

    /// Opens the store in the database at `url`, bringing an older schema up to date.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        PgStore::open_with(url, PgOptions::default())
    }

    /// [`open`](PgStore::open) with options.
    pub fn open_with(url: &str, options: PgOptions) -> Result<PgStore, StoreError> {
        let store = PgStore::connect(url, options)?;
        let mut c = store.conn()?;
        match store.schema_version(&mut c)? {
            None => {
                return Err(StoreError::NotAStore {
                    at: store.location(),
                });
            }
            Some(v) if v > schema::latest() => {
                return Err(StoreError::NewerFormat {
                    at: store.location(),
                    found: v as u32,
                    supported: schema::latest() as u32,
                });
            }
            Some(v) if v < schema::latest() => store.migrate(&mut c)?,
            Some(_) => {}
        }
        store.reload(&mut c)?;
        drop(c);
        Ok(store)
    }

    /// The database, as messages name it: the URL without its password.
    pub fn database(&self) -> &str {
        &self.shown
    }

    fn connect(url: &str, options: PgOptions) -> Result<PgStore, StoreError> {
        let target = connect::parse(url, options.connect_timeout)?;
        let user = target.config.get_user().map(str::to_string);
        Ok(PgStore {
            pool: Pool::new(
                target.config,
                target.tls,
                options.pool_size as usize,
                options.pool_timeout,
            ),
            user,
            shown: target.shown,
            secret: target.secret,
            lock_timeout: options.lock_timeout,
            writer: Mutex::new(()),
            in_flight: AtomicU64::new(0),
            catching_up: Mutex::new(()),
            replica: RwLock::new(Replica::default()),
            damage: Mutex::new(None),
        })
    }

    /// The user the URL connects as, for messages.
    fn user(&self) -> &str {
        self.user.as_deref().unwrap_or("the user")
    }

    fn location(&self) -> Location {
        Location::from(self.shown.as_str())
    }

    /// A message that cannot hold the password, however the error put it.
    fn scrub(&self, message: String) -> String {
        match &self.secret {
            Some(s) if !s.is_empty() => message.replace(s.as_str(), "********"),
            _ => message,
        }
    }

    fn conn(&self) -> Result<Lease<'_>, StoreError> {
        self.pool.get().map_err(|refused| StoreError::Database {
            at: self.location(),
            message: self.scrub(match refused {
                Refused::Connect(e) => describe(&e),
                Refused::Busy { max, waited } => format!(
                    "all {max} connections stayed busy for {} ms",
                    waited.as_millis()
                ),
                Refused::Closed => "the store is closed".to_string(),
            }),
        })
    }

    /// A `danvan_users` row read back: damage when it is not a user (changed outside danvan).
    fn user_row(&self, login: String, body: String) -> Result<danvan_core::user::User, StoreError> {
        let damaged = |message: String| StoreError::Damaged {
            at: Location::from(format!(
                "{} table danvan_users, login {login}",
                self.location()
            )),
            line: 0,
            message,
        };
        let user: danvan_core::user::User =
            serde_json::from_str(&body).map_err(|e| damaged(e.to_string()))?;
        user.check().map_err(|e| damaged(e.to_string()))?;
        if user.login != login {
            return Err(damaged(format!("the row holds user `{}`", user.login)));
        }
        Ok(user)
    }

    fn db(&self, e: postgres::Error) -> StoreError {
        if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) {
            return StoreError::Locked {
                at: self.location(),
                waited_ms: self.lock_timeout.as_millis() as u64,
            };
        }
        StoreError::Database {
            at: self.location(),
            message: self.scrub(describe(&e)),
        }
    }

    fn replica(&self) -> RwLockReadGuard<'_, Replica> {
        self.replica.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The schema version, `None` when the database holds no danvan schema.
    fn schema_version(&self, c: &mut Lease<'_>) -> Result<Option<i32>, StoreError> {
        let exists: bool = c
            .query_one(
                "SELECT to_regclass('danvan_schema_versions') IS NOT NULL",
                &[],
            )
            .map_err(|e| self.db(e))?
            .get(0);
        if !exists {
            return Ok(None);
        }
        let v: Option<i32> = c
            .query_one("SELECT max(version) FROM danvan_schema_versions", &[])
            .map_err(|e| self.db(e))?
            .get(0);
        Ok(Some(v.unwrap_or(0)))
    }

    /// Applies the migrations the database lacks, one transaction, one migrator at a time.
    fn migrate(&self, c: &mut Lease<'_>) -> Result<(), StoreError> {
        self.migrate_in(c).map_err(|e| match e {
            // The commonest first failure: an application user who may not create tables.
            StoreError::Database { at, message } if message.contains("permission denied") => {
                StoreError::Database {
                    at,
                    message: format!(
                        "{message}: creating danvan's tables needs a user who may create tables \
                         in the database's public schema and the pg_trgm extension (the \
                         database's owner, say); or have a superuser run `CREATE EXTENSION \
                         pg_trgm;` and `GRANT CREATE ON SCHEMA public TO {user};` in it first",
                        user = self.user()
                    ),
                }
            }
            other => other,
        })
    }

    fn migrate_in(&self, c: &mut Lease<'_>) -> Result<(), StoreError> {
        let mut tx = c.transaction().map_err(|e| self.db(e))?;
        // Any constant: every danvan process agrees on it.
        tx.execute("SELECT pg_advisory_xact_lock(7286458920417)", &[])
            .map_err(|e| self.db(e))?;
        tx.batch_execute(schema::VERSIONS_TABLE)
            .map_err(|e| self.db(e))?;
        let have: i32 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM danvan_schema_versions",
                &[],
            )
            .map_err(|e| self.db(e))?
            .get(0);
        for m in schema::MIGRATIONS.iter().filter(|m| m.version > have) {
            tx.batch_execute(m.sql).map_err(|e| self.db(e))?;
            tx.execute(
                "INSERT INTO danvan_schema_versions (version) VALUES ($1)",
                &[&m.version],
            )
            .map_err(|e| self.db(e))?;
            tracing::info!(version = m.version, database = %self.shown, "schema migrated");
        }
        tx.commit().map_err(|e| self.db(e))
    }

    /// A read-only transaction that sees one state of the database throughout.
    fn snapshot<'c>(&self, c: &'c mut Lease<'_>) -> Result<postgres::Transaction<'c>, StoreError> {
        c.build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| self.db(e))
    }

    /// Reads every record afresh, from one snapshot.
    fn reload(&self, c: &mut Lease<'_>) -> Result<(), StoreError> {
        let mut tx = self.snapshot(c)?;
        let (revision, instance) = self.meta(&mut tx, false)?;
        let replica = self.load(&mut tx, revision, instance)?;
        tx.commit().map_err(|e| self.db(e))?;
        *self.replica.write().unwrap_or_else(|e| e.into_inner()) = replica;
        Ok(())
    }

    fn load(
        &self,
        c: &mut impl GenericClient,
        revision: u64,
        instance: String,
    ) -> Result<Replica, StoreError> {
        let mut state = State::default();
        let mut rows = c
            .query_raw(
                "SELECT kind, id, revision, record::text FROM danvan_records",
                std::iter::empty::<&(dyn ToSql + Sync)>(),
            )
            .map_err(|e| self.db(e))?;
        while let Some(row) = rows.next().map_err(|e| self.db(e))? {
            let kind: &str = row.get(0);
            let id: &str = row.get(1);
            let rev: i64 = row.get(2);
            let record = parse_record(kind, id, row.get(3))?;
            state.put(record, rev as u64);
        }
        state.revision = revision;
        Ok(Replica { state, instance })
    }

    /// The revision and instance ID, the row locked for a write when `lock`.
    fn meta(&self, c: &mut impl GenericClient, lock: bool) -> Result<(u64, String), StoreError> {
        let sql = if lock {
            "SELECT revision, instance FROM danvan_meta FOR UPDATE"
        } else {
            "SELECT revision, instance FROM danvan_meta"
        };
        // The simple protocol: one round trip (a prepared query takes two), on every read.
        let messages = c.simple_query(sql).map_err(|e| self.db(e))?;
        let row = messages.iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(row) => Some(row),
            _ => None,
        });
        let parsed = row.and_then(|row| {
            let revision = row.get(0)?.parse::<u64>().ok()?;
            Some((revision, row.get(1)?.to_string()))
        });
        parsed.ok_or_else(|| StoreError::Corrupt {
            at: Location::from("danvan_meta"),
            line: 0,
            column: 0,
            message: "the table must hold one row with the store's revision".into(),
        })
    }

    /// Brings the indexes up to the database's revision.
    fn fresh(&self, c: &mut impl GenericClient, lock: bool) -> Result<u64, StoreError> {
        let (revision, instance) = self.meta(c, lock)?;
        let seen = {
            let r = self.replica();
            (r.instance == instance).then_some(r.state.revision)
        };
        let in_flight = self.in_flight.load(Ordering::SeqCst);
        match seen {
            Some(seen) if seen >= revision => {}
            // This process's own commit, being applied by its writer: until the writer has
            // applied it, nobody has been told it happened, so the state before it is still a
            // true answer — and waiting for a large one (an import) would stall every read.
            Some(seen) if !lock && revision == in_flight && seen + 1 == revision => {}
            Some(_) => {
                // One thread catches up at a time; the others find it done.
                let _one = self.catching_up.lock().unwrap_or_else(|e| e.into_inner());
                let seen = self.replica().state.revision;
                if seen >= revision {
                    return Ok(revision);
                }
                let commits = self.commits_between(c, seen, revision)?;
                let complete = commits.len() as u64 == revision - seen
                    && commits.iter().zip(seen + 1..).all(|(c, s)| c.0 == s);
                if complete {
                    self.apply(commits);
                } else {
                    // The log does not hold every commit since (pruned by hand): read it all.
                    tracing::warn!(database = %self.shown, seen, revision, "change log incomplete; reading every record");
                    let replica = self.load(c, revision, instance)?;
                    *self.replica.write().unwrap_or_else(|e| e.into_inner()) = replica;
                }
            }
            None => {
                let _one = self.catching_up.lock().unwrap_or_else(|e| e.into_inner());
                let replica = self.load(c, revision, instance)?;
                *self.replica.write().unwrap_or_else(|e| e.into_inner()) = replica;
            }
        }
        Ok(revision)
    }

    /// Applies `commits` (in order, each the next after the indexes' revision; one already
    /// applied is passed over). Many records at once are applied to a copy of the indexes that
    /// is swapped in, so that readers never wait for an import.
    fn apply(&self, commits: Vec<(u64, Vec<Effect>)>) {
        let records: usize = commits.iter().map(|c| c.1.len()).sum();
        let apply_all = |state: &mut State, commits: Vec<(u64, Vec<Effect>)>| {
            for (seq, effects) in commits {
                if seq == state.revision + 1 {
                    reads::apply(state, seq, effects, &mut |_| {});
                }
            }
        };
        if records < COPY_ON_APPLY {
            let mut w = self.replica.write().unwrap_or_else(|e| e.into_inner());
            apply_all(&mut w.state, commits);
            return;
        }
        let mut copy = self.replica().state.clone();
        let base = copy.revision;
        apply_all(&mut copy, commits);
        let mut w = self.replica.write().unwrap_or_else(|e| e.into_inner());
        // The indexes replaced are dropped after the lock is released.
        let retired = (w.state.revision == base).then(|| std::mem::replace(&mut w.state, copy));
        drop(w);
        drop(retired);
    }

    /// The effects of the commits after `after` up to `upto`, grouped by commit.
    fn commits_between(
        &self,
        c: &mut impl GenericClient,
        after: u64,
        upto: u64,
    ) -> Result<Vec<(u64, Vec<Effect>)>, StoreError> {
        let rows = c
            .query(
                "SELECT seq, kind, id, action, record::text, province FROM danvan_changes \
                 WHERE seq > $1 AND seq <= $2 ORDER BY seq, idx",
                &[&(after as i64), &(upto as i64)],
            )
            .map_err(|e| self.db(e))?;
        let mut out: Vec<(u64, Vec<Effect>)> = Vec::new();
        for row in rows {
            let seq = row.get::<_, i64>(0) as u64;
            let effect = effect_of(row.get(1), row.get(2), row.get(3), row.get(4), row.get(5))?;
            match out.last_mut() {
                Some((s, effects)) if *s == seq => effects.push(effect),
                _ => out.push((seq, vec![effect])),
            }
        }
        Ok(out)
    }

    /// Runs `f` on indexes as current as the database.
    fn read<R>(&self, f: impl FnOnce(&State) -> R) -> Result<R, StoreError> {
        let mut c = self.conn()?;
        self.fresh(&mut *c, false)?;
        drop(c);
        Ok(f(&self.replica().state))
    }

    /// Plans and commits a batch. See the [module docs](self) for how revisions stay in order.
    fn write(&self, ops: Vec<Op>, mode: Mode, author: &Author) -> Result<(Plan, u64), StoreError> {
        if let Some(damage) = self.damage() {
            return Err(StoreError::Damaged {
                at: self.location(),
                line: 0,
                message: damage,
            });
        }
        let _w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(|e| self.db(e))?;
        tx.batch_execute(&format!(
            "SET LOCAL lock_timeout = {}",
            self.lock_timeout.as_millis().max(1)
        ))
        .map_err(|e| self.db(e))?;
        let revision = self.fresh(&mut tx, true)?;
        let mut p = plan(&self.replica().state, ops, mode, author)?;
        if p.ops.is_empty() || has_errors(&p.problems) {
            // Nothing to write: the transaction rolls back as it drops.
            return Ok((p, revision));
        }
        let seq = revision + 1;
        let effects = std::mem::take(&mut p.ops);
        self.record_commit(&mut tx, seq, author, &effects)?;
        tx.execute("UPDATE danvan_meta SET revision = $1", &[&(seq as i64)])
            .map_err(|e| self.db(e))?;
        self.in_flight.store(seq, Ordering::SeqCst);
        let committed = tx.commit().map_err(|e| self.db(e));
        if committed.is_ok() {
            self.apply(vec![(seq, effects)]);
        }
        self.in_flight.store(0, Ordering::SeqCst);
        committed?;
        Ok((p, seq))
    }

    /// Writes commit `seq`: its log entry, its changes and the records as they now are.
    fn record_commit(
        &self,
        tx: &mut postgres::Transaction<'_>,
        seq: u64,
        author: &Author,
        effects: &[Effect],
    ) -> Result<(), StoreError> {
        let at: DateTime<Utc> = Utc::now();
        tx.execute(
            "INSERT INTO danvan_commits (seq, at, actor, reason, changes) VALUES ($1, $2, $3, $4, $5)",
            &[
                &(seq as i64),
                &at,
                &author.actor,
                &author.reason,
                &(effects.len() as i32),
            ],
        )
        .map_err(|e| self.db(e))?;
        self.log_changes(tx, seq as i64, effects)?;
        self.write_records(tx, seq as i64, effects)
    }

    /// Each effect of commit `seq` in `danvan_changes`, in order.
    fn log_changes(
        &self,
        tx: &mut postgres::Transaction<'_>,
        seq: i64,
        effects: &[Effect],
    ) -> Result<(), StoreError> {
        for (chunk_no, chunk) in effects.chunks(CHUNK).enumerate() {
            let mut idx = Vec::with_capacity(chunk.len());
            let mut kinds = Vec::with_capacity(chunk.len());
            let mut ids = Vec::with_capacity(chunk.len());
            let mut actions = Vec::with_capacity(chunk.len());
            let mut records = Vec::with_capacity(chunk.len());
            let mut provinces: Vec<Option<&str>> = Vec::with_capacity(chunk.len());
            for (i, e) in chunk.iter().enumerate() {
                idx.push((chunk_no * CHUNK + i) as i32);
                let (kind, id, action, record, province) = match e {
                    Effect::Create(r) => (r.kind(), r.id(), "created", Some(inner_json(r)?), None),
                    Effect::Update(r) | Effect::Put(r) => {
                        (r.kind(), r.id(), "updated", Some(inner_json(r)?), None)
                    }
                    Effect::Delete { kind, id, province } => {
                        (*kind, id, "deleted", None, province.as_deref())
                    }
                };
                kinds.push(kind.as_str());
                ids.push(id.as_str());
                actions.push(action);
                records.push(record);
                provinces.push(province);
            }
            tx.execute(
                "INSERT INTO danvan_changes (seq, idx, kind, id, action, record, province) \
                 SELECT $1, t.idx, t.kind, t.id, t.action, t.record::jsonb, t.province \
                 FROM unnest($2::int4[], $3::text[], $4::text[], $5::text[], $6::text[], \
                 $7::text[]) AS t(idx, kind, id, action, record, province)",
                &[&seq, &idx, &kinds, &ids, &actions, &records, &provinces],
            )
            .map_err(|e| self.db(e))?;
        }
        Ok(())
    }

    /// `danvan_records` as commit `seq` leaves it: the last effect on each record wins.
    fn write_records(
        &self,
        tx: &mut postgres::Transaction<'_>,
        seq: i64,
        effects: &[Effect],
    ) -> Result<(), StoreError> {
        let mut last: rustc_hash::FxHashMap<(RecordKind, &str), usize> = Default::default();
        for (i, e) in effects.iter().enumerate() {
            let key = match e {
                Effect::Create(r) | Effect::Update(r) | Effect::Put(r) => {
                    (r.kind(), r.id().as_str())
                }
                Effect::Delete { kind, id, .. } => (*kind, id.as_str()),
            };
            last.insert(key, i);
        }
        let mut finals: Vec<usize> = last.into_values().collect();
        finals.sort_unstable();
        let (puts, deletes): (Vec<&Effect>, Vec<&Effect>) = finals
            .iter()
            .map(|i| &effects[*i])
            .partition(|e| !matches!(e, Effect::Delete { .. }));
        for chunk in deletes.chunks(CHUNK) {
            let mut kinds = Vec::with_capacity(chunk.len());
            let mut ids = Vec::with_capacity(chunk.len());
            for e in chunk {
                if let Effect::Delete { kind, id, .. } = e {
                    kinds.push(kind.as_str());
                    ids.push(id.as_str());
                }
            }
            tx.execute(
                "DELETE FROM danvan_records r USING unnest($1::text[], $2::text[]) AS t(kind, id) \
                 WHERE r.kind = t.kind AND r.id = t.id",
                &[&kinds, &ids],
            )
            .map_err(|e| self.db(e))?;
        }
        for chunk in puts.chunks(CHUNK) {
            let mut cols = Columns::default();
            for e in chunk {
                if let Effect::Create(r) | Effect::Update(r) | Effect::Put(r) = e {
                    cols.push(r)?;
                }
            }
            tx.execute(
                "INSERT INTO danvan_records (kind, id, revision, record, province, \
                 province_current, date, period_start, period_end, search) \
                 SELECT t.kind, t.id, $1, t.record::jsonb, t.province, t.province_current, \
                 t.date, t.period_start, t.period_end, t.search \
                 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                 $7::date[], $8::date[], $9::date[], $10::text[]) \
                 AS t(kind, id, record, province, province_current, date, period_start, \
                 period_end, search) \
                 ON CONFLICT (kind, id) DO UPDATE SET revision = EXCLUDED.revision, \
                 record = EXCLUDED.record, province = EXCLUDED.province, \
                 province_current = EXCLUDED.province_current, date = EXCLUDED.date, \
                 period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, \
                 search = EXCLUDED.search",
                &[
                    &seq,
                    &cols.kinds,
                    &cols.ids,
                    &cols.records,
                    &cols.provinces,
                    &cols.currents,
                    &cols.dates,
                    &cols.starts,
                    &cols.ends,
                    &cols.search,
                ],
            )
            .map_err(|e| self.db(e))?;
        }
        Ok(())
    }

    /// The commits holding `kind`/`id`, each with only its ops on that record.
    fn commits_of(&self, kind: RecordKind, id: &RecordId) -> Result<Vec<Commit>, StoreError> {
        let mut c = self.conn()?;
        let rows = c
            .query(
                "SELECT ch.seq, ch.action, ch.record::text, c.at, c.actor, c.reason \
                 FROM danvan_changes ch JOIN danvan_commits c ON c.seq = ch.seq \
                 WHERE ch.kind = $1 AND ch.id = $2 ORDER BY ch.seq, ch.idx",
                &[&kind.as_str(), &id.as_str()],
            )
            .map_err(|e| self.db(e))?;
        let mut out: Vec<Commit> = Vec::new();
        for row in rows {
            let seq = row.get::<_, i64>(0) as u64;
            let effect = effect_of(kind.as_str(), id.as_str(), row.get(1), row.get(2), None)?;
            let at: DateTime<Utc> = row.get(3);
            match out.last_mut() {
                Some(c) if c.seq == seq => c.ops.push(effect),
                _ => out.push(Commit {
                    seq,
                    at: at.timestamp_millis().max(0) as u64,
                    author: author_of(row.get(4), row.get(5)),
                    ops: vec![effect],
                }),
            }
        }
        Ok(out)
    }

    /// Records `message` as damage: writes are refused until the store is opened again.
    fn found_damage(&self, message: String) -> StoreError {
        *self.damage.lock().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
        StoreError::Damaged {
            at: self.location(),
            line: 0,
            message,
        }
    }
}

/// How many rows one statement writes.
const CHUNK: usize = 5_000;

/// Commits of at least this many records are applied to a copy of the indexes.
const COPY_ON_APPLY: usize = 5_000;

/// The columns of `danvan_records` for a batch of records.
#[derive(Default)]
struct Columns<'a> {
    kinds: Vec<&'static str>,
    ids: Vec<&'a str>,
    records: Vec<String>,
    provinces: Vec<Option<&'a str>>,
    currents: Vec<Option<&'static str>>,
    dates: Vec<Option<NaiveDate>>,
    starts: Vec<Option<NaiveDate>>,
    ends: Vec<Option<NaiveDate>>,
    search: Vec<String>,
}

impl<'a> Columns<'a> {
    fn push(&mut self, r: &'a AnyRecord) -> Result<(), StoreError> {
        let rr = r.as_ref();
        self.kinds.push(r.kind().as_str());
        self.ids.push(r.id().as_str());
        self.records.push(inner_json(r)?);
        let province = rr.province().map(|p| p.as_str());
        self.provinces.push(province);
        self.currents
            .push(province.and_then(|p| registry().current(p)).map(|u| u.slug));
        self.dates.push(rr.date());
        let span = rr.span(Window::Calendar);
        self.starts.push(span.map(|s| s.0));
        self.ends.push(span.map(|s| s.1));
        let texts: Vec<String> = rr
            .search_texts()
            .iter()
            .map(|t| danvan_core::text::search_key(t))
            .collect();
        self.search.push(texts.join("\n"));
        Ok(())
    }
}

/// A database error in a sentence: the server's message and detail, or the client's.
fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = db.message().to_string();
            if let Some(d) = db.detail() {
                s.push_str(" (");
                s.push_str(d);
                s.push(')');
            }
            s
        }
        None => {
            let mut s = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(inner) = source {
                let text = inner.to_string();
                if !s.contains(&text) {
                    s.push_str(": ");
                    s.push_str(&text);
                }
                source = inner.source();
            }
            s
        }
    }
}

/// The record's own JSON, as `danvan_records.record` and `danvan_changes.record` hold it.
fn inner_json(r: &AnyRecord) -> Result<String, StoreError> {
    serde_json::to_string(&crate::api::RecordAlone(r))
        .map_err(|e| StoreError::BadQuery(format!("cannot write {} {}: {e}", r.kind(), r.id())))
}

fn kind_of(kind: &str, id: &str) -> Result<RecordKind, StoreError> {
    RecordKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .ok_or_else(|| StoreError::Corrupt {
            at: Location::from(format!("danvan_records {kind}/{id}")),
            line: 0,
            column: 0,
            message: format!("{kind:?} is not a record kind"),
        })
}

/// A record read back from its JSONB.
fn parse_record(kind: &str, id: &str, text: &str) -> Result<AnyRecord, StoreError> {
    let k = kind_of(kind, id)?;
    let parsed = match k {
        RecordKind::Directive => serde_json::from_str(text).map(AnyRecord::Directive),
        RecordKind::Conference => serde_json::from_str(text).map(AnyRecord::Conference),
        RecordKind::Model => serde_json::from_str(text).map(AnyRecord::Model),
        RecordKind::Indicator => serde_json::from_str(text).map(AnyRecord::Indicator),
        RecordKind::Observation => serde_json::from_str(text).map(AnyRecord::Observation),
        RecordKind::Unit => serde_json::from_str(text).map(AnyRecord::Unit),
        RecordKind::Award => serde_json::from_str(text).map(AnyRecord::Award),
        RecordKind::Form => serde_json::from_str(text).map(AnyRecord::Form),
        RecordKind::Submission => serde_json::from_str(text).map(AnyRecord::Submission),
        RecordKind::Target => serde_json::from_str(text).map(AnyRecord::Target),
    };
    let record = parsed.map_err(|e| StoreError::Corrupt {
        at: Location::from(format!("danvan_records {kind} {id}")),
        line: 0,
        column: 0,
        message: format!(
            "the stored record is not a valid {kind}: {}",
            crate::error::json_message(&e)
        ),
    })?;
    if record.id().as_str() != id {
        return Err(StoreError::Corrupt {
            at: Location::from(format!("danvan_records {kind} {id}")),
            line: 0,
            column: 0,
            message: format!("the stored record's ID is {}", record.id()),
        });
    }
    Ok(record)
}

/// The effect a `danvan_changes` row records (`province`: a deletion's).
fn effect_of(
    kind: &str,
    id: &str,
    action: &str,
    record: Option<&str>,
    province: Option<String>,
) -> Result<Effect, StoreError> {
    let k = kind_of(kind, id)?;
    match (action, record) {
        ("deleted", _) => Ok(Effect::Delete {
            province,
            kind: k,
            id: id.parse().map_err(|e| StoreError::Corrupt {
                at: Location::from(format!("danvan_changes {kind} {id}")),
                line: 0,
                column: 0,
                message: format!("not a record ID: {e}"),
            })?,
        }),
        ("created", Some(text)) => Ok(Effect::Create(parse_record(kind, id, text)?)),
        ("updated", Some(text)) => Ok(Effect::Update(parse_record(kind, id, text)?)),
        _ => Err(StoreError::Corrupt {
            at: Location::from(format!("danvan_changes {kind} {id}")),
            line: 0,
            column: 0,
            message: format!("a change {action:?} without its record"),
        }),
    }
}

fn author_of(actor: String, reason: Option<String>) -> Author {
    Author::new(actor).with_reason(reason)
}

impl Store for PgStore {
    fn revision(&self) -> Result<u64, StoreError> {
        let mut c = self.conn()?;
        Ok(self.meta(&mut *c, false)?.0)
    }

    fn len(&self) -> Result<usize, StoreError> {
        self.read(State::len)
    }

    fn get(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<Stored<AnyRecord>>, StoreError> {
        self.read(|s| reads::get(s, kind, id))
    }

    fn apply_by(&self, ops: Vec<Op>, author: &Author) -> Result<Receipt, StoreError> {
        let (p, revision) = self.write(ops, Mode::Apply, author)?;
        Ok(reads::receipt(p, revision))
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

    fn visit(&self, q: &Query, f: &mut dyn FnMut(RecordRef<'_>)) -> Result<(), StoreError> {
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
            self.read(|s| plan(s, ops, Mode::Import, &options.author).map(|p| (p, s.revision)))??
        } else {
            self.write(ops, Mode::Import, &options.author)?
        };
        Ok(reads::import_report(p, revision, options.dry_run))
    }

    fn validate(&self) -> Result<Vec<Problem>, StoreError> {
        self.board_calendar()?;
        self.read(reads::validate)
    }

    fn changes(&self, after: &str, limit: usize) -> Result<FeedPage, StoreError> {
        let limit = limit.clamp(1, crate::api::MAX_LIMIT);
        let mut c = self.conn()?;
        // One snapshot: the latest revision and the log agree.
        let mut tx = self.snapshot(&mut c)?;
        let (latest, _) = self.meta(&mut tx, false)?;
        let oldest: Option<i64> = tx
            .query_one("SELECT min(seq) FROM danvan_commits", &[])
            .map_err(|e| self.db(e))?
            .get(0);
        let oldest = oldest.map_or(latest + 1, |o| o as u64);
        let (after_rev, after_op) = feed::start(after, oldest, latest)?;
        let rows = tx
            .query(
                "SELECT ch.seq, ch.idx, ch.kind, ch.id, ch.action, ch.record::text, \
                 c.at, c.actor, c.reason, c.changes, ch.province \
                 FROM danvan_changes ch JOIN danvan_commits c ON c.seq = ch.seq \
                 WHERE (ch.seq, ch.idx) > ($1, $2) AND ch.seq <= $3 \
                 ORDER BY ch.seq, ch.idx LIMIT $4",
                &[
                    &(after_rev.min(i64::MAX as u64) as i64),
                    &after_op.map_or(i32::MAX, |i| i.min(i32::MAX as usize) as i32),
                    &(latest as i64),
                    &(limit as i64 + 1),
                ],
            )
            .map_err(|e| self.db(e))?;
        tx.commit().map_err(|e| self.db(e))?;
        let placed = rows.into_iter().map(|row| {
            let at: DateTime<Utc> = row.get(6);
            Ok(Placed {
                seq: row.get::<_, i64>(0) as u64,
                idx: row.get::<_, i32>(1) as usize,
                count: row.get::<_, i32>(9) as usize,
                at: at.timestamp_millis().max(0) as u64,
                author: author_of(row.get(7), row.get(8)),
                effect: effect_of(row.get(2), row.get(3), row.get(4), row.get(5), row.get(10))?,
            })
        });
        feed::page(placed, latest, oldest, limit)
    }

    fn history(&self, kind: RecordKind, id: &RecordId) -> Result<Vec<HistoryEntry>, StoreError> {
        let commits = self.commits_of(kind, id)?;
        feed::history(Box::new(commits.into_iter().map(Ok)), kind, id)
    }

    /// Reads every record row and checks it against what danvan wrote: a row changed, added
    /// or removed behind danvan's back (by hand, by a restore of one table) is damage.
    fn verify(&self) -> Result<(), StoreError> {
        let mut c = self.conn()?;
        let mut tx = self.snapshot(&mut c)?;
        let revision = self.fresh(&mut tx, false)?;
        let mut rows = tx
            .query_raw(
                "SELECT r.kind, r.id, r.revision, r.record::text, \
                 (SELECT ch.record::text FROM danvan_changes ch WHERE ch.kind = r.kind \
                  AND ch.id = r.id AND ch.seq = r.revision ORDER BY ch.idx DESC LIMIT 1) \
                 FROM danvan_records r",
                std::iter::empty::<&(dyn ToSql + Sync)>(),
            )
            .map_err(|e| self.db(e))?;
        let mut seen: HashSet<(String, String)> = HashSet::new();
        let mut problems = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.db(e))? {
            let kind: &str = row.get(0);
            let id: &str = row.get(1);
            seen.insert((kind.to_string(), id.to_string()));
            let rev = row.get::<_, i64>(2) as u64;
            let written: Option<&str> = row.get(4);
            let record = match parse_record(kind, id, row.get(3)) {
                Ok(r) => r,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            let logged = written.map(|w| parse_record(kind, id, w));
            match logged {
                Some(Ok(w)) if w == record && rev <= revision => {}
                Some(Ok(_)) => problems.push(format!(
                    "{kind} {id} differs from what revision {rev} wrote"
                )),
                Some(Err(e)) => problems.push(e.to_string()),
                None => problems.push(format!(
                    "{kind} {id} (revision {rev}) was not written by any commit"
                )),
            }
        }
        drop(rows);
        tx.commit().map_err(|e| self.db(e))?;
        {
            let replica = self.replica();
            let state = &replica.state;
            for row in state.rows().filter_map(|r| state.row(r)) {
                let (kind, id) = (row.rec.as_ref().kind(), row.rec.as_ref().id());
                if row.revision <= revision
                    && !seen.contains(&(kind.as_str().to_string(), id.to_string()))
                {
                    problems.push(format!(
                        "{kind} {id} (revision {}) is missing from danvan_records",
                        row.revision
                    ));
                }
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        let more = problems.len() - problems.len().min(5);
        let mut message = problems.into_iter().take(5).collect::<Vec<_>>().join("; ");
        if more > 0 {
            message.push_str(&format!(" (and {more} more)"));
        }
        Err(self.found_damage(message))
    }

    fn damage(&self) -> Option<String> {
        self.damage
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn end_session(&self, id: &str, until: u64) -> Result<(), StoreError> {
        let mut c = self.conn()?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let until = i64::try_from(until).unwrap_or(i64::MAX);
        let mut tx = c.transaction().map_err(|e| self.db(e))?;
        tx.execute(
            "DELETE FROM danvan_ended_sessions WHERE until <= $1",
            &[&(now as i64)],
        )
        .map_err(|e| self.db(e))?;
        tx.execute(
            "INSERT INTO danvan_ended_sessions (id, until) VALUES ($1, $2) \
             ON CONFLICT (id) DO UPDATE SET until = GREATEST(danvan_ended_sessions.until, $2)",
            &[&id, &until],
        )
        .map_err(|e| self.db(e))?;
        tx.commit().map_err(|e| self.db(e))
    }

    fn session_ended(&self, id: &str, now: u64) -> Result<bool, StoreError> {
        let mut c = self.conn()?;
        let row = c
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM danvan_ended_sessions WHERE id = $1 AND until > $2)",
                &[&id, &i64::try_from(now).unwrap_or(i64::MAX)],
            )
            .map_err(|e| self.db(e))?;
        Ok(row.get(0))
    }

    fn put_file(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let sha = crate::files::sha256_hex(bytes);
        let mut c = self.conn()?;
        c.execute(
            "INSERT INTO danvan_files (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
            &[&sha, &bytes],
        )
        .map_err(|e| self.db(e))?;
        Ok(sha)
    }

    fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let mut c = self.conn()?;
        let row = c
            .query_opt(
                "SELECT bytes FROM danvan_files WHERE sha256 = $1",
                &[&sha256],
            )
            .map_err(|e| self.db(e))?;
        match row {
            Some(r) => {
                let at = Location::from(format!("{} table danvan_files", self.location()));
                crate::files::checked(at, sha256, r.get(0)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn users(&self) -> Result<Vec<danvan_core::user::User>, StoreError> {
        let mut c = self.conn()?;
        let rows = c
            .query(
                "SELECT login, body::text FROM danvan_users ORDER BY login",
                &[],
            )
            .map_err(|e| self.db(e))?;
        rows.iter()
            .map(|r| self.user_row(r.get(0), r.get(1)))
            .collect()
    }

    fn user(&self, login: &str) -> Result<Option<danvan_core::user::User>, StoreError> {
        let mut c = self.conn()?;
        let row = c
            .query_opt(
                "SELECT login, body::text FROM danvan_users WHERE login = $1",
                &[&login],
            )
            .map_err(|e| self.db(e))?;
        row.map(|r| self.user_row(r.get(0), r.get(1))).transpose()
    }

    fn put_user(&self, user: &danvan_core::user::User, create: bool) -> Result<(), StoreError> {
        let refuse = |problem| StoreError::User {
            login: user.login.clone(),
            problem,
        };
        user.check()
            .map_err(|e| refuse(crate::UserProblem::Invalid(e.to_string())))?;
        // A user is plain strings and enums: it always serialises.
        let body = serde_json::to_string(user).unwrap_or_default();
        let mut c = self.conn()?;
        let sql = if create {
            "INSERT INTO danvan_users (login, body) VALUES ($1, $2::text::jsonb) \
             ON CONFLICT (login) DO NOTHING"
        } else {
            "UPDATE danvan_users SET body = $2::text::jsonb WHERE login = $1"
        };
        let n = c
            .execute(sql, &[&user.login, &body])
            .map_err(|e| self.db(e))?;
        match (n, create) {
            (0, true) => Err(refuse(crate::UserProblem::Exists)),
            (0, false) => Err(refuse(crate::UserProblem::Missing)),
            _ => Ok(()),
        }
    }

    fn board_calendar(&self) -> Result<danvan_core::board::BoardCalendar, StoreError> {
        let mut c = self.conn()?;
        let text: Option<String> = c
            .query_one("SELECT boards::text FROM danvan_meta", &[])
            .map_err(|e| self.db(e))?
            .get(0);
        match text {
            None => Ok(danvan_core::board::BoardCalendar::builtin()),
            Some(t) => {
                danvan_core::board::BoardCalendar::from_json(&t).map_err(|e| StoreError::Corrupt {
                    at: Location::from("danvan_meta.boards"),
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                })
            }
        }
    }
}
