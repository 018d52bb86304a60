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

use danvan_core::validate::{Problem, RecordKind, Severity};
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

/// One validation problem on a line of its own: "lỗi: hội nghị hn-1: date: …".
pub(crate) fn problem_line(p: &Problem) -> String {
    let severity = match p.severity {
        Severity::Error => t!("problem-error"),
        Severity::Warning => t!("problem-warning"),
    };
    let mut line = format!("{severity}: {} {}", crate::names::kind(p.kind), p.id);
    if !p.field.is_empty() {
        // In Vietnamese by the form's label ("Tử số"); in English by its path in the record's
        // JSON, which is what `--set` and the API name.
        let field = match crate::lang::lang() {
            crate::lang::Lang::Vi => {
                danvan_i18n::names::field(crate::lang::lang(), p.kind, &p.field)
            }
            crate::lang::Lang::En => p.field.clone(),
        };
        line.push_str(&format!(": {field}"));
    }
    line.push_str(&format!(
        ": {}",
        danvan_i18n::phrases(&p.message, crate::lang::lang())
    ));
    line
}

/// A refused write: every problem, one per line.
fn invalid(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("  {}", problem_line(p)))
        .collect();
    format!("{}\n{}", t!("store-invalid"), lines.join("\n"))
}

/// What a store's refusal says, in the CLI's language.
fn store_message(e: &StoreError) -> String {
    let kind_id = |kind: &RecordKind, id: &dyn std::fmt::Display| {
        format!("{} {id}", crate::names::kind(*kind))
    };
    match e {
        StoreError::NotAStore { at } => t!("store-not-a-store", at = at.to_string()),
        StoreError::AlreadyExists { at } => t!("store-already-exists", at = at.to_string()),
        StoreError::NewerFormat {
            at,
            found,
            supported,
        } => t!(
            "store-newer-format",
            at = at.to_string(),
            found = found.to_string(),
            supported = supported.to_string()
        ),
        StoreError::Locked { at, waited_ms } => t!(
            "store-locked",
            at = at.to_string(),
            waited = waited_ms.to_string()
        ),
        StoreError::NotFound { kind, id } => {
            t!(
                "store-not-found",
                kind = crate::names::kind(*kind),
                id = id.to_string()
            )
        }
        StoreError::RecordExists { kind, id, revision } => t!(
            "store-record-exists",
            record = kind_id(kind, id),
            revision = revision.to_string()
        ),
        StoreError::Conflict {
            kind,
            id,
            expected,
            actual: Some(actual),
        } => t!(
            "store-conflict",
            record = kind_id(kind, id),
            expected = expected.to_string(),
            actual = actual.to_string()
        ),
        StoreError::Conflict {
            kind,
            id,
            expected,
            actual: None,
        } => t!(
            "store-conflict-deleted",
            record = kind_id(kind, id),
            expected = expected.to_string()
        ),
        // Every problem, one per line, so nothing has to be fixed blind.
        StoreError::Invalid { problems } => invalid(problems),
        StoreError::Forbidden { actor, refusal } => {
            danvan_i18n::names::refusal(crate::lang::lang(), actor, refusal)
        }
        StoreError::Referenced { kind, id, by } => {
            let by: Vec<String> = by.iter().map(|(k, i)| kind_id(k, i)).collect();
            t!(
                "store-referenced",
                record = kind_id(kind, id),
                by = by.join(", ")
            )
        }
        StoreError::Pruned { after, oldest } => t!(
            "store-pruned",
            after = after.to_string(),
            oldest = oldest.to_string()
        ),
        StoreError::FeedAhead { after, latest } => t!(
            "store-feed-ahead",
            after = after.as_str(),
            latest = latest.to_string()
        ),
        StoreError::User {
            login,
            problem: danvan_store::UserProblem::Exists,
        } => t!("store-user-exists", login = login.as_str()),
        StoreError::User {
            login,
            problem: danvan_store::UserProblem::Missing,
        } => t!("store-user-missing", login = login.as_str()),
        StoreError::Database { at, message } => t!(
            "store-database",
            at = at.to_string(),
            message = message.as_str()
        ),
        // The file and position, and what the store found there (or the system said).
        StoreError::Corrupt { .. }
        | StoreError::Damaged { .. }
        | StoreError::Io { .. }
        | StoreError::BadQuery(_)
        | StoreError::User { .. } => e.to_string(),
    }
}
