//! `danvan <kind> history ID` and `danvan changes`: who changed what, when and why, from the
//! store's journals.

use std::process::ExitCode;

use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Action, StoreError};
use serde_json::Value;

use crate::Ctx;
use crate::error::CommandError;
use crate::output::print_json;

/// Arguments of `danvan changes`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Changes after this revision (0: all the store holds), or the `next` position a previous
    /// run printed.
    #[arg(long, default_value = "0", value_name = "REVISION")]
    since: String,
    /// How many changes to show.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=1000))]
    limit: u16,
}

fn action_word(a: Action) -> &'static str {
    match a {
        Action::Created => "created",
        Action::Updated => "updated",
        Action::Deleted => "deleted",
    }
}

/// A JSON value as one short line.
fn short(v: Option<&Value>) -> String {
    match v {
        None => "—".to_string(),
        Some(Value::String(s)) => format!("{s:?}"),
        Some(other) => {
            let text = other.to_string();
            if text.chars().count() > 60 {
                format!("{}…", text.chars().take(59).collect::<String>())
            } else {
                text
            }
        }
    }
}

pub(crate) fn history(
    ctx: &Ctx,
    kind: RecordKind,
    id: &RecordId,
) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    let items = store.history(kind, id)?;
    if items.is_empty() && store.get(kind, id)?.is_none() {
        return Err(StoreError::NotFound {
            kind,
            id: id.clone(),
        }
        .into());
    }
    if ctx.json {
        print_json(&items)?;
        return Ok(ExitCode::SUCCESS);
    }
    if items.is_empty() {
        println!(
            "{kind} {id}: written before the oldest history the store keeps; no revisions to show."
        );
        return Ok(ExitCode::SUCCESS);
    }
    for e in &items {
        let why = e
            .author
            .reason
            .as_deref()
            .map_or_else(String::new, |r| format!(" — {r}"));
        println!(
            "revision {}  {}  {} by {}{why}",
            e.revision,
            e.at,
            action_word(e.action),
            e.author.actor
        );
        if e.action != Action::Deleted {
            for c in &e.changes {
                println!(
                    "  {}: {} → {}",
                    c.field,
                    short(c.old.as_ref()),
                    short(c.new.as_ref())
                );
            }
        }
    }
    if items.first().is_some_and(|e| e.action != Action::Created) {
        println!("(older revisions were pruned from the history)");
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn changes(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    let page = store.changes(&args.since, usize::from(args.limit))?;
    if ctx.json {
        print_json(&page)?;
        return Ok(ExitCode::SUCCESS);
    }
    if page.items.is_empty() {
        println!(
            "No changes after {} (the store is at revision {}).",
            args.since, page.revision
        );
    }
    for c in &page.items {
        let why = c
            .author
            .reason
            .as_deref()
            .map_or_else(String::new, |r| format!(" — {r}"));
        println!(
            "{:>6}  {}  {:<7} {} {}  by {}{why}",
            c.revision,
            c.at,
            action_word(c.action),
            c.kind,
            c.id,
            c.author.actor
        );
    }
    if let Some(next) = &page.next {
        println!("More: danvan changes --since {next}");
    }
    Ok(ExitCode::SUCCESS)
}
