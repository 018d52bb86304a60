//! `danvan calendar`: the work calendar (conferences, review deadlines) as an iCalendar file
//! to import into a calendar app; the events and their text come from
//! [`danvan_report::calendar`], as the HTTP API's `/v1/calendar.ics`.

use std::path::PathBuf;
use std::process::ExitCode;

use danvan_core::province::registry;
use danvan_core::record_kind::RecordKind;
use danvan_report::calendar::{self, Scope};
use danvan_store::Query;

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::output::{write_file, write_stdout};

/// Arguments of `danvan calendar`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only this province's events (slug or name, on today's map: Bắc Kạn's are Thái
    /// Nguyên's); without it, every province's and the central ones.
    #[arg(long)]
    province: Option<String>,
    /// Write to this file (`lich.ics`) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let province = match &args.province {
        Some(name) => Some(
            registry()
                .resolve(name, crate::today())
                .map_err(|e| CommandError::new(ErrorKind::Data, format!("--province: {e}")))?
                .slug,
        ),
        None => None,
    };
    let store = ctx.open()?;
    let export = store.export(Some(&Query {
        kinds: vec![RecordKind::Conference, RecordKind::Directive],
        ..Query::default()
    }))?;
    let events = calendar::events(
        &export,
        Scope {
            province,
            may_read: None,
        },
        crate::lang::document(),
    );
    let text = calendar::write(
        &events,
        &calendar::name(province, crate::lang::document()),
        chrono::Utc::now(),
    );
    match &args.out {
        Some(path) => {
            write_file(path, text.as_bytes())?;
            if !ctx.quiet {
                eprintln!(
                    "Wrote {} events to {}: import it into a calendar app, or subscribe to \
                     /v1/calendar.ics on `danvan serve`",
                    events.len(),
                    path.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        None => write_stdout(text.as_bytes()),
    }
}
