//! The one error type commands return, and the exit codes it maps to.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the data or the user's input is wrong (validation errors, bad arguments' values) |
//! | 2 | usage: the command line itself is wrong (reported by clap) |
//! | 4 | the store or dataset cannot be read |
//! | 255 | an internal error: a bug |

use std::process::ExitCode;

/// What kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// Store or dataset unreadable: exit 4.
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

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Prints the error to stderr and returns its exit code.
    pub(crate) fn report(&self) -> ExitCode {
        eprintln!("error: {}", self.message);
        if let Some(hint) = &self.hint {
            eprintln!("hint: {hint}");
        }
        ExitCode::from(match self.kind {
            ErrorKind::Unreadable => 4,
        })
    }
}
