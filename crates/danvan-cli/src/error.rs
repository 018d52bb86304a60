//! The one error type commands return, and the exit codes it maps to.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the data or the user's input is wrong (invalid records, validation errors, unknown IDs) |
//! | 2 | usage: the command line itself is wrong (reported by clap) |
//! | 3 | conflict: the record changed since it was read |
//! | 4 | the store or input cannot be read, or another process holds its lock |
//! | 141 | standard output was closed early (`danvan … \| head`), as for SIGPIPE |
//! | 255 | an internal error: a bug |

use std::process::ExitCode;

use danvan_store::StoreError;

/// What kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// Bad data or input: exit 1.
    Data,
    /// A conflicting update: exit 3.
    Conflict,
    /// Store or input unreadable or locked: exit 4.
    Unreadable,
}

/// An error for the user: a message, an optional hint, and its kind.
#[derive(Debug)]
pub(crate) struct CommandError {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
}

impl CommandError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CommandError {
            kind,
            message: message.into(),
            hint: None,
        }
    }

    /// The message, without the hint.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Prints the error to stderr and returns its exit code.
    pub(crate) fn report(&self) -> ExitCode {
        let colour = crate::style::colour(&std::io::stderr());
        eprintln!(
            "{} {}",
            crate::style::paint("error:", crate::style::RED, colour),
            self.message
        );
        if let Some(hint) = &self.hint {
            eprintln!(
                "{} {hint}",
                crate::style::paint("hint:", crate::style::CYAN, colour)
            );
        }
        ExitCode::from(match self.kind {
            ErrorKind::Data => 1,
            ErrorKind::Conflict => 3,
            ErrorKind::Unreadable => 4,
        })
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        let kind = match &e {
            StoreError::Conflict { .. } | StoreError::RecordExists { .. } => ErrorKind::Conflict,
            StoreError::NotAStore { .. }
            | StoreError::NewerFormat { .. }
            | StoreError::Corrupt { .. }
            | StoreError::Damaged { .. }
            | StoreError::Locked { .. }
            | StoreError::Database { .. }
            | StoreError::Io { .. } => ErrorKind::Unreadable,
            StoreError::AlreadyExists { .. }
            | StoreError::NotFound { .. }
            | StoreError::Invalid { .. }
            | StoreError::Referenced { .. }
            | StoreError::Forbidden { .. }
            | StoreError::BadQuery(_)
            | StoreError::Pruned { .. }
            | StoreError::FeedAhead { .. }
            | StoreError::User { .. } => ErrorKind::Data,
        };
        let message = match &e {
            // Every problem, one per line, so nothing has to be fixed blind.
            StoreError::Invalid { problems } => {
                let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
                format!("the write was refused:\n{}", lines.join("\n"))
            }
            // The store's own message already says to run `danvan init`.
            other => other.to_string(),
        };
        let err = CommandError::new(kind, message);
        match e {
            StoreError::NotAStore { .. } => err.with_hint("pass --store DIR or set DANVAN_STORE to use another store; `danvan init --demo` creates one with demo data"),
            StoreError::Corrupt { .. } => err.with_hint("fix the file at that position (or restore it), then run `danvan repair` to accept the edit; nothing was written"),
            StoreError::Damaged { ref at, .. } if at.as_str().starts_with("postgres") => err.with_hint("a row was changed outside danvan: restore it from the database's backups (or write the record again through danvan) and open the store again; nothing was written"),
            StoreError::Damaged { .. } => err.with_hint("restore the file from a backup, or run `danvan repair --dry-run` to see what repair would keep and what is lost; nothing was written"),
            StoreError::Referenced { .. } => err.with_hint("pass --cascade to detach the records that refer to it"),
            StoreError::Database { .. } => err.with_hint("check that the database server is running and that the URL's host, port, user, password and database are right; nothing was written"),
            _ => err,
        }
    }
}
