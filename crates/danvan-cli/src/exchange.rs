//! `danvan export/import --format dhis2|adx`: figures exchanged with DHIS2 and ADX systems
//! through a mapping file; the work is [`danvan_exchange::store`]'s, as for the HTTP API.

use std::path::Path;
use std::process::ExitCode;

use danvan_exchange::Format;
use danvan_exchange::store::ExchangeError;
use danvan_store::{ImportOptions, Query};

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};

/// The mapping file, read against the store's indicators.
fn mapping(
    store: &dyn danvan_store::Store,
    path: Option<&Path>,
) -> Result<danvan_exchange::Mapping, CommandError> {
    let path = path.ok_or_else(|| {
        CommandError::new(
            ErrorKind::Data,
            "DHIS2 and ADX need a mapping of indicators to data elements and of provinces to organisation units",
        )
        .with_hint("add --mapping FILE.toml (fixtures/exchange/mapping.toml is the demo store's)")
    })?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        CommandError::new(ErrorKind::Unreadable, format!("{}: {e}", path.display()))
    })?;
    danvan_exchange::store::mapping(store, &text).map_err(|e| failed(Some(path), e))
}

/// An exchange error as the CLI reports it: every problem on a line of its own, after the file.
fn failed(file: Option<&Path>, e: ExchangeError) -> CommandError {
    let at = file.map_or_else(String::new, |f| format!("{}: ", f.display()));
    let lines: Vec<String> = match e {
        ExchangeError::Store(s) => return CommandError::from(s),
        ExchangeError::Mapping(problems) => problems.iter().map(|p| format!("{at}{p}")).collect(),
        ExchangeError::Problems(problems) => problems
            .iter()
            .map(|p| format!("{at}{p} [{}]", p.code))
            .collect(),
    };
    CommandError::new(ErrorKind::Data, lines.join("\n"))
}

/// `danvan export --format dhis2|adx`.
pub(crate) fn export(
    ctx: &Ctx,
    format: Format,
    mapping_file: Option<&Path>,
    query: Option<Query>,
    out: Option<&Path>,
) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    let mapping = mapping(store.as_ref(), mapping_file)?;
    let exported = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let text = danvan_exchange::store::export(store.as_ref(), query.as_ref(), &mapping, format, &exported)
        .map_err(|e| {
            failed(None, e).with_hint(
                "nothing was written: leave those observations out (--period 2024, --province …) or fix them",
            )
        })?;
    match out {
        Some(path) => {
            crate::output::write_file(path, text.as_bytes())?;
            if !ctx.quiet {
                eprintln!(
                    "Exported the figures as {} to {}",
                    name(format),
                    path.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        None => crate::output::write_stdout(text.as_bytes()),
    }
}

fn name(format: Format) -> &'static str {
    match format {
        Format::Dhis2 => "DHIS2 dataValueSets",
        Format::Adx => "ADX",
    }
}

/// `danvan import --format dhis2|adx FILE`: all or nothing.
pub(crate) fn import(
    ctx: &Ctx,
    format: Format,
    mapping_file: Option<&Path>,
    file: &Path,
    dry_run: bool,
) -> Result<ExitCode, CommandError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        CommandError::new(ErrorKind::Unreadable, format!("{}: {e}", file.display()))
    })?;
    let store = ctx.open()?;
    let mapping = mapping(store.as_ref(), mapping_file)?;
    let options = ImportOptions {
        dry_run,
        author: ctx.author.clone(),
    };
    let report = danvan_exchange::store::import(store.as_ref(), &text, format, &mapping, options)
        .map_err(|e| failed(Some(file), e).with_hint("nothing was imported"))?;
    if ctx.json {
        crate::output::print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    for p in &report.problems {
        eprintln!("{}: {p}", file.display());
    }
    if report.has_errors() {
        eprintln!("Nothing was imported");
        return Ok(ExitCode::from(1));
    }
    if !ctx.quiet {
        let what = format!(
            "{} created, {} updated, {} unchanged",
            report.created, report.updated, report.unchanged
        );
        if dry_run {
            println!(
                "Dry run: the {} figures would give {what}; nothing was written",
                name(format)
            );
        } else {
            println!(
                "Imported the {} figures ({what}), store revision {}",
                name(format),
                report.revision
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
