//! `danvan init [DIR] [--demo]`: create a store.

use std::process::ExitCode;

use danvan_store::Place;
use serde::Serialize;

use crate::Ctx;
use crate::error::CommandError;
use crate::lang::t;
use crate::output::print_json;

/// Arguments of `danvan init`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Where to create the store: a directory, or a postgres:// URL (an empty database gets
    /// the schema) [default: --store].
    #[arg(value_name = "DIR|URL")]
    dir: Option<std::ffi::OsString>,
    /// Seed the store with the demo dataset (fixtures/demo).
    #[arg(long)]
    demo: bool,
}

#[derive(Serialize)]
struct Created {
    store: String,
    records: usize,
    revision: u64,
    warnings: usize,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let place = args
        .dir
        .clone()
        .map_or_else(|| ctx.place().clone(), Place::from_os);
    let store = place.init()?;
    let mut created = Created {
        store: place.shown(),
        records: 0,
        revision: 0,
        warnings: 0,
    };
    if args.demo {
        let report = crate::demo::seed(store.as_ref(), &ctx.author)?;
        created.records = report.created;
        created.revision = report.revision;
        created.warnings = report.problems.len();
    }
    if ctx.json {
        print_json(&created)?;
    } else if !ctx.quiet {
        println!("{}", t!("store-created", at = created.store.to_string()));
        if args.demo {
            println!(
                "{}",
                t!(
                    "demo-imported",
                    count = created.records,
                    warnings = created.warnings,
                    revision = created.revision.to_string()
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
