//! `danvan`: the operators' command-line tool.

mod check;
mod demo;
mod docnum;
mod due;
mod error;
mod init;
mod output;
mod provinces;
mod records;
mod search;
mod transfer;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use danvan_core::validate::RecordKind;
use danvan_store::JsonStore;

use crate::error::CommandError;

/// Record, check and report Vietnamese dân vận work.
#[derive(Debug, Parser)]
#[command(name = "danvan", version, about, long_about = None)]
struct Cli {
    /// The store directory [default: $DANVAN_STORE, then ./danvan-data].
    #[arg(long, global = true, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Print JSON for scripts instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a store (with --demo, seeded with the demo dataset).
    Init(init::Args),
    /// Check every record in the store; exits 1 if any has an error.
    Validate(validate::Args),
    /// Directive reviews (sơ kết, tổng kết) overdue or falling due, by province.
    Due(due::Args),
    /// Search every record, ignoring diacritics, case and tone placement.
    Search(search::Args),
    /// Import records from files, all or nothing: export documents, datasets, JSON Lines.
    Import(transfer::ImportArgs),
    /// Export the store, or what the filters match, as JSON or JSON Lines.
    Export(transfer::ExportArgs),
    /// Parse and explain a document number such as "Số: 05-ĐA/TU".
    DocNumber(docnum::Args),
    /// The provinces on a date, with what merged into what on 1 July 2025.
    Provinces(provinces::Args),
    /// Load a dataset directory (as in fixtures/demo), validate it, and list the reviews due.
    Check(check::Args),
    /// Conferences: add, show, list, update, delete.
    #[command(subcommand)]
    Conference(records::Action),
    /// Directives (nghị quyết, chỉ thị, kế hoạch, …): add, show, list, update, delete.
    #[command(subcommand)]
    Directive(records::Action),
    /// "Dân vận khéo" models: add, show, list, update, delete.
    #[command(subcommand)]
    Model(records::Action),
    /// Indicator definitions beyond the built-in catalogue: add, show, list, update, delete.
    #[command(subcommand)]
    Indicator(records::Action),
    /// Observations (figures reported for a period): add, show, list, update, delete.
    #[command(subcommand)]
    Observation(records::Action),
}

/// What every command gets: where the store is and how to print.
pub(crate) struct Ctx {
    store: PathBuf,
    pub(crate) json: bool,
}

impl Ctx {
    /// The store directory chosen by --store, then DANVAN_STORE, then ./danvan-data.
    pub(crate) fn store_dir(&self) -> &std::path::Path {
        &self.store
    }

    /// Opens the chosen store.
    pub(crate) fn open(&self) -> Result<JsonStore, CommandError> {
        Ok(JsonStore::open(&self.store)?)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let store = cli
        .store
        .or_else(|| {
            std::env::var_os("DANVAN_STORE")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("danvan-data"));
    let ctx = Ctx {
        store,
        json: cli.json,
    };
    let result = match cli.command {
        Command::Init(args) => init::run(&ctx, &args),
        Command::Validate(args) => validate::run(&ctx, &args),
        Command::Due(args) => due::run(&ctx, &args),
        Command::Search(args) => search::run(&ctx, &args),
        Command::Import(args) => transfer::import(&ctx, &args),
        Command::Export(args) => transfer::export(&ctx, &args),
        Command::DocNumber(args) => docnum::run(&ctx, &args),
        Command::Provinces(args) => provinces::run(&ctx, &args),
        Command::Check(args) => check::run(&args),
        Command::Conference(a) => records::run(&ctx, RecordKind::Conference, &a),
        Command::Directive(a) => records::run(&ctx, RecordKind::Directive, &a),
        Command::Model(a) => records::run(&ctx, RecordKind::Model, &a),
        Command::Indicator(a) => records::run(&ctx, RecordKind::Indicator, &a),
        Command::Observation(a) => records::run(&ctx, RecordKind::Observation, &a),
    };
    match result {
        Ok(code) => code,
        Err(e) => e.report(),
    }
}

/// Today, for commands whose answer depends on the date (`--as-of` overrides it).
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
