//! `danvan repair`: after damage is reported, keep every acknowledged write the store's files
//! still hold, name what is lost, and back up every file changed.

use crate::lang::t;
use std::process::ExitCode;

use danvan_store::{JsonStore, RepairOptions};

use crate::Ctx;
use crate::error::CommandError;

/// Arguments of `danvan repair`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Report what would be done, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Take shard files as they are now, edits made by hand included, instead of restoring
    /// the acknowledged writes the journals hold.
    #[arg(long)]
    accept_edits: bool,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let dir = ctx.store_dir("repair")?;
    let mut options = RepairOptions::default();
    options.dry_run = args.dry_run;
    options.accept_edits = args.accept_edits;
    let report = JsonStore::repair_with(dir, options)?;
    if ctx.json {
        let repairs: Vec<serde_json::Value> = report
            .repairs
            .iter()
            .map(|r| {
                serde_json::json!({
                    "path": r.path.display().to_string(),
                    "found": r.found,
                    "done": r.done,
                    "lost": r.lost,
                })
            })
            .collect();
        crate::output::print_json(&serde_json::json!({
            "dry_run": report.dry_run,
            "repairs": repairs,
            "backup": report.backup.as_ref().map(|b| b.display().to_string()),
            "lost_revisions": report.lost_revisions,
            "lost_records": report.lost_records,
            "unchecked": report.unchecked.iter().map(|(k, id)| format!("{k} {id}")).collect::<Vec<_>>(),
            "history_lost": report.history_lost,
        }))?;
    } else if report.repairs.is_empty() {
        println!("{}", t!("repair-none", store = dir.display().to_string()));
    } else {
        // What the store found and did is its own account of its files, in its words.
        let verb = t!(if report.dry_run {
            "repair-would-be"
        } else {
            "repair-was"
        });
        for r in &report.repairs {
            println!("{}", r.path.display());
            println!("  {} {}", t!("repair-found"), r.found);
            println!("  {verb} {}", r.done);
            if let Some(lost) = &r.lost {
                println!("  {} {lost}", t!("repair-lost"));
            }
        }
        if let Some(b) = &report.backup {
            println!("{}", t!("repair-backup", backup = b.display().to_string()));
        }
        println!(
            "{}",
            t!(if report.dry_run {
                "repair-dry-run"
            } else {
                "repair-opens"
            })
        );
    }
    // Something lost for good is worth a non-zero status in a script.
    Ok(if report.lost_anything() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
