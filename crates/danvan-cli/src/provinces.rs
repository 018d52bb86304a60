//! `danvan provinces [--at DATE]`: the registry on a date, with what merged into what.

use std::process::ExitCode;

use chrono::NaiveDate;
use danvan_core::province::{ProvinceKind, registry};
use danvan_core::text;
use serde::Serialize;

use crate::Ctx;
use crate::error::CommandError;
use crate::output::{print_json, table};

/// Arguments of `danvan provinces`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Show the map on this date (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    at: Option<NaiveDate>,
}

#[derive(Serialize)]
struct Row {
    code: u8,
    name: &'static str,
    slug: &'static str,
    kind: ProvinceKind,
    /// Units merged into this one, for units created by a merger.
    merged_from: Vec<&'static str>,
    /// What this unit became, for units that later ended.
    becomes: Option<String>,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let at = args.at.unwrap_or_else(crate::today);
    let reg = registry();
    let mut rows: Vec<Row> = reg
        .valid_at(at)
        .map(|p| {
            let mut merged_from: Vec<&str> = reg.predecessors(p).map(|q| q.name).collect();
            text::sort_by_key(&mut merged_from, |s| s);
            let becomes = match (p.valid_until, p.successor) {
                (Some(until), Some(_)) => {
                    let next = reg.successor_at(p, until.succ_opt().unwrap_or(until));
                    Some(format!(
                        "{} (from {})",
                        next.name,
                        until.succ_opt().unwrap_or(until)
                    ))
                }
                _ => None,
            };
            Row {
                code: p.code,
                name: p.name,
                slug: p.slug,
                kind: p.kind,
                merged_from,
                becomes,
            }
        })
        .collect();
    text::sort_by_key(&mut rows, |r| r.name);
    if ctx.json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let cities = rows.iter().filter(|r| r.kind == ProvinceKind::City).count();
    println!(
        "{} provincial units on {at}: {} provinces, {cities} centrally-run cities",
        rows.len(),
        rows.len() - cities
    );
    let lines: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            let note = match (&r.becomes, r.merged_from.is_empty()) {
                (Some(b), _) => format!("→ {b}"),
                (None, false) => format!("← {}", r.merged_from.join(", ")),
                (None, true) => String::new(),
            };
            let kind = match r.kind {
                ProvinceKind::Province => "tỉnh",
                ProvinceKind::City => "thành phố",
            };
            [
                format!("{:02}", r.code),
                r.name.to_string(),
                format!("{kind} · {}", r.slug),
                note,
            ]
        })
        .collect();
    print!("{}", table(&lines));
    Ok(ExitCode::SUCCESS)
}
