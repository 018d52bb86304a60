//! A command line that cannot be read, said in the CLI's language: clap finds what is wrong
//! (an unknown flag, a value not allowed, a flag missing); the catalogue says it, with clap's
//! suggestion and the usage line. Help and the version print as clap writes them.

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::lang::t;

/// Prints `e` and returns its exit code (2 for a command line that cannot be read).
pub(crate) fn report(e: &clap::Error) -> ExitCode {
    let said = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => None,
        _ if crate::lang::lang() == crate::lang::Lang::En => None,
        kind => message(e, kind),
    };
    let Some((message, hint)) = said else {
        // Help, the version, English, and the rarer mistakes: as clap writes them.
        let _ = e.print();
        return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    };
    let colour = crate::style::colour(&std::io::stderr());
    eprintln!(
        "{} {message}",
        crate::style::paint(&t!("cli-error"), crate::style::RED, colour)
    );
    if let Some(hint) = hint {
        eprintln!(
            "{} {hint}",
            crate::style::paint(&t!("cli-hint"), crate::style::CYAN, colour)
        );
    }
    if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        eprintln!("\n{} {usage}", t!("usage-line"));
    }
    eprintln!("{}", t!("usage-more"));
    ExitCode::from(2)
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(s) => Some(s.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(s) => Some(
            s.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

/// The message and hint for the mistakes a person makes most, `None` for the rest.
fn message(e: &clap::Error, kind: ErrorKind) -> Option<(String, Option<String>)> {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let suggested = |ctx| context(e, ctx).map(|s| t!("usage-did-you-mean", suggestion = s));
    Some(match kind {
        ErrorKind::UnknownArgument => (
            t!("usage-unknown-argument", arg = arg),
            suggested(ContextKind::SuggestedArg),
        ),
        ErrorKind::InvalidSubcommand => (
            t!(
                "usage-unknown-command",
                command = context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
            ),
            suggested(ContextKind::SuggestedSubcommand),
        ),
        ErrorKind::ValueValidation => (
            t!(
                "usage-invalid-value",
                value = context(e, ContextKind::InvalidValue).unwrap_or_default(),
                arg = arg
            ),
            // Why, as the flag's reader said it.
            std::error::Error::source(e)
                .map(|why| danvan_i18n::phrases(&why.to_string(), crate::lang::lang())),
        ),
        ErrorKind::InvalidValue => {
            let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
            let allowed = context(e, ContextKind::ValidValue);
            (
                t!("usage-invalid-value", value = value, arg = arg),
                allowed.map(|a| t!("usage-allowed-values", values = a)),
            )
        }
        ErrorKind::MissingRequiredArgument => (t!("usage-missing", args = arg), None),
        ErrorKind::ArgumentConflict => (
            t!(
                "usage-conflict",
                arg = arg,
                other = context(e, ContextKind::PriorArg).unwrap_or_default()
            ),
            None,
        ),
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues => {
            (t!("usage-values-count", arg = arg), None)
        }
        _ => return None,
    })
}
