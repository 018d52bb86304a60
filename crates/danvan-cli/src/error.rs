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

use danvan_core::validate::Problem;
use danvan_store::StoreError;

use crate::lang::t;

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
            crate::style::paint(&t!("cli-error"), crate::style::RED, colour),
            self.message
        );
        if let Some(hint) = &self.hint {
            eprintln!(
                "{} {hint}",
                crate::style::paint(&t!("cli-hint"), crate::style::CYAN, colour)
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
        let err = CommandError::new(kind, store_message(&e));
        let hint = match e {
            StoreError::NotAStore { .. } => "hint-not-a-store",
            StoreError::Corrupt { .. } => "hint-corrupt",
            StoreError::Damaged { ref at, .. } if at.as_str().starts_with("postgres") => {
                "hint-damaged-database"
            }
            StoreError::Damaged { .. } => "hint-damaged",
            StoreError::Referenced { .. } => "hint-referenced",
            StoreError::Database { .. } => "hint-database",
            _ => return err,
        };
        err.with_hint(t!(hint))
    }
}

/// One validation problem on a line of its own: "lỗi: hội nghị hn-1: Ngày: …".
pub(crate) fn problem_line(p: &Problem) -> String {
    danvan_i18n::store::problem_line(crate::lang::lang(), p)
}

/// What a store's refusal says, in the CLI's language.
fn store_message(e: &StoreError) -> String {
    danvan_i18n::store::message(crate::lang::lang(), e)
}
