//! The store's errors: each names the file, record or field at fault and what to do.

use std::io;
use std::path::{Path, PathBuf};

use danvan_core::id::RecordId;
use danvan_core::validate::{Problem, RecordKind};

/// Where in a store something is: a file or directory for the JSON store, a table or row for
/// a database. Errors name it; nothing in the contract depends on its being a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location(String);

impl Location {
    /// The location as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<PathBuf> for Location {
    fn from(p: PathBuf) -> Self {
        Location(p.display().to_string())
    }
}

impl From<&Path> for Location {
    fn from(p: &Path) -> Self {
        Location(p.display().to_string())
    }
}

impl From<&PathBuf> for Location {
    fn from(p: &PathBuf) -> Self {
        Location(p.display().to_string())
    }
}

impl From<String> for Location {
    fn from(s: String) -> Self {
        Location(s)
    }
}

impl From<&str> for Location {
    fn from(s: &str) -> Self {
        Location(s.to_string())
    }
}

/// Why a user could not be written ([`StoreError::User`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserProblem {
    /// Creating: the login is taken.
    Exists,
    /// Replacing: there is no user of that login.
    Missing,
    /// The login or the name is not valid.
    Invalid(String),
}

/// Why a store operation failed. Nothing is written when an operation fails.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// There is no store at the path.
    #[error("no danvan store at {at}: create one first")]
    NotAStore {
        /// The directory looked in.
        at: Location,
    },
    /// `init` was asked to create a store where one exists.
    #[error("{at} already holds a danvan store")]
    AlreadyExists {
        /// The directory.
        at: Location,
    },
    /// The store was written by a newer danvan.
    #[error(
        "the store at {at} has format version {found}, newer than this danvan supports ({supported}): upgrade danvan"
    )]
    NewerFormat {
        /// The directory.
        at: Location,
        /// The store's version.
        found: u32,
        /// The newest this build reads.
        supported: u32,
    },
    /// A file in the store could not be read as what it should be. The store refuses writes
    /// until the file is fixed.
    #[error("{at}:{line}:{column}: {message}")]
    Corrupt {
        /// The file.
        at: Location,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What is wrong, naming the record and field where known.
        message: String,
    },
    /// A file of the store is not what the store wrote: a journal line that fails its checksum,
    /// a shard missing, altered or unlisted, a checkpoint older than the files it describes.
    /// Found at open and by [`Store::verify`](crate::Store::verify); the store refuses writes
    /// until it is repaired.
    #[error("{}: {message}", location(.at, *.line))]
    Damaged {
        /// The file.
        at: Location,
        /// 1-based line, for a journal line (0 otherwise).
        line: usize,
        /// What is wrong and what was lost or can be restored.
        message: String,
    },
    /// Another process holds the store's write lock for longer than the lock timeout.
    #[error(
        "the store at {at} is locked by another process (waited {waited_ms} ms): try again when it finishes"
    )]
    Locked {
        /// The store directory.
        at: Location,
        /// How long this process waited.
        waited_ms: u64,
    },
    /// No record of that kind and ID.
    #[error("no {kind} with ID {id}")]
    NotFound {
        /// The kind.
        kind: RecordKind,
        /// The ID.
        id: RecordId,
    },
    /// A create (a write that expected no record) of a record that exists already.
    #[error(
        "{kind} {id} already exists (revision {revision}): change it instead, or give the new record another ID"
    )]
    RecordExists {
        /// The kind.
        kind: RecordKind,
        /// The ID.
        id: RecordId,
        /// Its current revision.
        revision: u64,
    },
    /// The record is not at the revision the write expected.
    #[error("{kind} {id} is at revision {}, not {expected}: it was changed by someone else; read it again and reapply your change", .actual.map_or_else(|| "absent (deleted)".to_string(), |r| r.to_string()))]
    Conflict {
        /// The kind.
        kind: RecordKind,
        /// The ID.
        id: RecordId,
        /// The revision the write expected (the one its writer read).
        expected: u64,
        /// The current revision, `None` if the record does not exist.
        actual: Option<u64>,
    },
    /// The write would store invalid records; every problem is listed.
    #[error("the write was refused: {}", summarise(.problems))]
    Invalid {
        /// Every problem (errors, and warnings for context).
        problems: Vec<Problem>,
    },
    /// The writer may not change the record: it belongs (as written or as stored) to a province
    /// the writer is not bound to, or would refer to another province's record.
    #[error("`{actor}` writes the records of {}; {refusal}", .refusal.allowed.join(", "))]
    Forbidden {
        /// Who was refused.
        actor: String,
        /// What is out of reach.
        refusal: danvan_core::access::Refusal,
    },
    /// A delete of a record others refer to, without cascade.
    #[error("{kind} {id} is referred to by {}: delete those first, or cascade", list_refs(.by))]
    Referenced {
        /// The kind.
        kind: RecordKind,
        /// The ID.
        id: RecordId,
        /// The referring records.
        by: Vec<(RecordKind, RecordId)>,
    },
    /// The change feed no longer holds the changes asked for: older history was pruned.
    #[error(
        "the change feed holds changes from revision {oldest} on; changes after {after} were pruned: read the store again (an export) and follow the feed from its revision"
    )]
    Pruned {
        /// The revision asked to start after.
        after: u64,
        /// The oldest revision the feed holds.
        oldest: u64,
    },
    /// A feed position beyond the store's latest revision: it came from another store, or
    /// this one was put back to an older copy. The follower must read the store again.
    #[error(
        "the change feed ends at revision {latest}; position {after} is beyond it (from another store, or this store was restored from an older copy): read the store again (an export) and follow the feed from its revision"
    )]
    FeedAhead {
        /// The position asked to start after.
        after: String,
        /// The store's latest revision.
        latest: u64,
    },
    /// A query that cannot run, such as a malformed cursor or an unknown province.
    #[error("{0}")]
    BadQuery(String),
    /// A user could not be written: the login is taken (creating), or there is no such user
    /// (replacing), or the user is not valid.
    #[error("{}", match .problem { UserProblem::Exists => format!("a user `{}` already exists", .login), UserProblem::Missing => format!("there is no user `{}`", .login), UserProblem::Invalid(m) => m.clone() })]
    User {
        /// The login.
        login: String,
        /// What is wrong.
        problem: UserProblem,
    },
    /// The database behind the store (PostgreSQL) cannot be reached, refused the connection or
    /// failed the work; nothing was written. `at` is the database's URL without its password.
    #[error("database {at}: {message}")]
    Database {
        /// The database.
        at: Location,
        /// What went wrong, as the server or the connection said.
        message: String,
    },
    /// An operating-system error on a file of the store.
    #[error("{at}: {source}")]
    Io {
        /// The file or directory.
        at: Location,
        /// The underlying error.
        source: io::Error,
    },
}

impl StoreError {
    /// What kind of refusal this is, as the code of a validation problem (an import names its
    /// refused records with it) and of an API problem: stable for programs to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::RecordExists { .. } => "already-exists",
            StoreError::Conflict { .. } => "changed-since-read",
            StoreError::Referenced { .. } => "still-referenced",
            StoreError::Forbidden { .. } => "forbidden",
            StoreError::NotFound { .. } => "not-found",
            StoreError::Invalid { .. } => "invalid",
            StoreError::Pruned { .. } => "feed-pruned",
            StoreError::FeedAhead { .. } => "feed-ahead",
            StoreError::BadQuery(_) => "bad-query",
            StoreError::User {
                problem: UserProblem::Exists,
                ..
            } => "already-exists",
            StoreError::User {
                problem: UserProblem::Missing,
                ..
            } => "not-found",
            StoreError::User { .. } => "invalid",
            StoreError::NotAStore { .. }
            | StoreError::AlreadyExists { .. }
            | StoreError::NewerFormat { .. }
            | StoreError::Corrupt { .. }
            | StoreError::Damaged { .. }
            | StoreError::Locked { .. }
            | StoreError::Database { .. }
            | StoreError::Io { .. } => "store",
        }
    }
}

fn location(at: &Location, line: usize) -> String {
    if line == 0 {
        at.to_string()
    } else {
        format!("{at}:{line}")
    }
}

fn summarise(problems: &[Problem]) -> String {
    let errors: Vec<&Problem> = problems.iter().filter(|p| p.is_error()).collect();
    match errors.as_slice() {
        [] => "no errors".to_string(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

fn list_refs(by: &[(RecordKind, RecordId)]) -> String {
    let shown: Vec<String> = by
        .iter()
        .take(5)
        .map(|(k, id)| format!("{k} {id}"))
        .collect();
    if by.len() > 5 {
        format!("{} and {} more", shown.join(", "), by.len() - 5)
    } else {
        shown.join(", ")
    }
}

/// Wraps an IO error with its path.
pub(crate) fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> StoreError {
    let at = Location::from(path.into());
    move |source| StoreError::Io { at, source }
}

/// serde_json's message without the " at line L column C" it appends: callers report the
/// position themselves, as `file:line:column`.
pub fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
