//! `danvan validate`: check every record in the store.

use std::process::ExitCode;

use danvan_core::validate::has_errors;

use crate::Ctx;
use crate::error::CommandError;
use crate::output::{print_json, problems};

/// Arguments of `danvan validate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(ctx: &Ctx, _args: &Args) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    // What is stored against what the store wrote first (a database row edited by hand, a
    // journal entry damaged on disk): validating damaged data would mislead.
    store.verify()?;
    let found = store.validate()?;
    if ctx.json {
        print_json(&found)?;
    } else {
        println!(
            "Store {}: {} records, revision {}",
            ctx.place(),
            store.len()?,
            store.revision()?
        );
        print!("{}", problems(&found));
    }
    Ok(if has_errors(&found) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
