//! `danvan report`: a periodic summary (sơ kết, tổng kết) as Markdown, or its figures as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use danvan_core::period::{Period, Window};
use danvan_report::{Scope, build, markdown};
use danvan_store::ProvinceMap;

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::output::{print_json, write_stdout};

/// Arguments of `danvan report`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The period: 2024S1, 2024, 2021-2025, or a phrase ("6 tháng đầu năm 2024").
    #[arg(long)]
    period: String,
    /// A province (slug or name); without it, the whole country.
    #[arg(long)]
    province: Option<String>,
    /// Count records for the province they name, not its 2025 successor.
    #[arg(long)]
    as_recorded: bool,
    /// Use the Decree 09/2019 reporting window (15th of the previous month to the 14th).
    #[arg(long)]
    cut_off: bool,
    /// The report's date, for the place-and-date line [default: today].
    #[arg(long, value_name = "DATE")]
    date: Option<NaiveDate>,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let period = Period::parse_vietnamese(&args.period, None)
        .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
    let store = ctx.open()?;
    let scope = Scope {
        province: args.province.clone(),
        map: if args.as_recorded {
            ProvinceMap::AsRecorded
        } else {
            ProvinceMap::Current
        },
        period,
        window: if args.cut_off {
            Window::DECREE_09
        } else {
            Window::Calendar
        },
        today: args.date.unwrap_or_else(crate::today),
    };
    let data = build(&store, &scope)?;
    if ctx.json {
        print_json(&data)?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = markdown::render(&data);
    match &args.out {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| {
                CommandError::new(ErrorKind::Unreadable, format!("{}: {e}", path.display()))
            })?;
            if !ctx.quiet {
                eprintln!("Wrote the report to {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        None => write_stdout(text.as_bytes()),
    }
}
