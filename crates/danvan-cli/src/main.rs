//! `danvan`: the operators' command-line tool.

mod check;
mod error;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Record, check and report Vietnamese dân vận work.
#[derive(Debug, Parser)]
#[command(name = "danvan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load a dataset directory, validate it, and list the reviews falling due.
    Check(check::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => e.report(),
    }
}
