//! `danvan store copy FROM TO`: every record from one store into another — a JSON store
//! directory or a PostgreSQL database, either way — all or nothing, checked by counts and a
//! checksum.

use crate::lang::t;
use std::process::ExitCode;

use danvan_core::dataset::Dataset;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Expected, ImportOptions, Op, Place, Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::output::print_json;

/// `danvan store …`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum StoreAction {
    /// Copy every record from FROM into TO, all or nothing: a directory or a postgres:// URL
    /// each. TO is created when it does not exist and must hold no records. The copy is checked
    /// by the count of each kind and a SHA-256 of both exports. The web app's users and the
    /// signed originals that submissions name go with the records. Histories stay behind (TO
    /// starts its own at revision 1), and so does a correction of the boards' renaming dates
    /// (`boards.json` in a directory, `danvan_meta.boards` in a database), copied by hand.
    Copy {
        /// The store to copy from: a directory or postgres://user:password@host/db.
        #[arg(value_name = "FROM")]
        from: std::ffi::OsString,
        /// The store to copy into, created when missing.
        #[arg(value_name = "TO")]
        to: std::ffi::OsString,
    },
}

#[derive(Serialize)]
struct Copied {
    from: String,
    to: String,
    records: usize,
    kinds: Vec<(RecordKind, usize)>,
    sha256: String,
    revision: u64,
}

pub(crate) fn run(ctx: &Ctx, action: &StoreAction) -> Result<ExitCode, CommandError> {
    let StoreAction::Copy { from, to } = action;
    let (from, to) = (Place::from_os(from.clone()), Place::from_os(to.clone()));
    if from == to {
        return Err(CommandError::new(
            ErrorKind::Data,
            format!("FROM and TO are the same store ({from})"),
        ));
    }
    let source = ctx.open_at(&from)?;
    let export = source.export(None)?;
    let (users, files) = beside_the_records(source.as_ref(), &from, &export.dataset)?;
    drop(source);
    let kinds = counts(&export.dataset);
    let sum = checksum(&export.dataset)?;
    let records = export.dataset.len();
    let dest = open_or_create(ctx, &to)?;
    let held = dest.len()?;
    if held > 0 {
        return Err(CommandError::new(
            ErrorKind::Data,
            t!("store-copy-not-empty", to = to.to_string(), count = held),
        )
        .with_hint(t!("hint-store-copy-not-empty")));
    }
    // The files first: a record that names one never points at nothing in TO.
    for bytes in &files {
        dest.put_file(bytes)?;
    }
    let report = dest.import(
        export.dataset,
        ImportOptions {
            dry_run: false,
            author: ctx
                .author
                .clone()
                .with_reason(Some(format!("danvan store copy from {from}"))),
        },
    )?;
    if report.has_errors() {
        let lines: Vec<String> = report.problems.iter().map(|p| format!("  {p}")).collect();
        return Err(CommandError::new(
            ErrorKind::Data,
            format!(
                "{to} refused the records of {from}; nothing was written:\n{}",
                lines.join("\n")
            ),
        ));
    }
    copy_users(dest.as_ref(), &to, &users)?;
    // Read back what was written: the same records, to the byte.
    let back = dest.export(None)?;
    let (back_kinds, back_sum) = (counts(&back.dataset), checksum(&back.dataset)?);
    if back_kinds != kinds || back_sum != sum {
        undo(dest.as_ref(), &back.dataset)?;
        return Err(CommandError::new(
            ErrorKind::Unreadable,
            format!(
                "the copy in {to} differs from {from} (sha256 {back_sum} against {sum}); it was removed again"
            ),
        ));
    }
    let copied = Copied {
        from: from.shown(),
        to: to.shown(),
        records,
        kinds,
        sha256: sum,
        revision: report.revision,
    };
    if ctx.json {
        print_json(&copied)?;
    } else if !ctx.quiet {
        let parts: Vec<String> = copied
            .kinds
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| {
                t!(
                    "kind-count",
                    count = *n,
                    kind = crate::names::kind(*k),
                    kinds = crate::names::kinds(*k)
                )
            })
            .collect();
        println!(
            "{}",
            t!(
                "store-copied",
                count = copied.records,
                from = copied.from.as_str(),
                to = copied.to.as_str(),
                parts = parts.join(", "),
                revision = copied.revision
            )
        );
        println!("{}", t!("store-copy-checked", sha = copied.sha256.as_str()));
    }
    Ok(ExitCode::SUCCESS)
}

/// The store at `place`, created when there is none.
fn open_or_create(ctx: &Ctx, place: &Place) -> Result<Box<dyn Store>, CommandError> {
    match place.open(ctx.lock_timeout()) {
        Err(StoreError::NotAStore { .. }) => Ok(place.init()?),
        other => Ok(other?),
    }
}

/// What FROM keeps beside its records that goes with them: its users, and the signed
/// originals its submissions name (each must be there).
fn beside_the_records(
    source: &dyn danvan_store::Store,
    from: &Place,
    dataset: &danvan_core::dataset::Dataset,
) -> Result<(Vec<danvan_core::user::User>, Vec<Vec<u8>>), CommandError> {
    let users = source.users()?;
    let mut files = Vec::new();
    for s in &dataset.submissions {
        if let Some(a) = &s.original {
            let bytes = source.file(&a.sha256)?.ok_or_else(|| {
                CommandError::new(
                    ErrorKind::Unreadable,
                    format!(
                        "{from}: submission {} names the signed original {} ({}), which the store does not hold; nothing was written",
                        s.id, a.file_name, a.sha256
                    ),
                )
            })?;
            files.push(bytes);
        }
    }
    Ok((users, files))
}

/// The users into TO.
fn copy_users(
    dest: &dyn danvan_store::Store,
    to: &Place,
    users: &[danvan_core::user::User],
) -> Result<(), CommandError> {
    // Users: each as FROM holds them; one TO already holds differently is named, not
    // overwritten (the records are in TO by now: say so).
    for u in users {
        match dest.user(&u.login)? {
            None => dest.put_user(u, true)?,
            Some(held) if held == *u => {}
            Some(_) => {
                return Err(CommandError::new(
                    ErrorKind::Data,
                    format!(
                        "the records were copied, but {to} already has a different user `{}`: it was left as it is",
                        u.login
                    ),
                )
                .with_hint("set that user with `danvan user` on the new store"));
            }
        }
    }
    Ok(())
}

/// Each kind's count, in export order.
fn counts(d: &Dataset) -> Vec<(RecordKind, usize)> {
    RecordKind::ALL
        .into_iter()
        .map(|k| (k, d.iter().filter(|r| r.kind() == k).count()))
        .collect()
}

/// SHA-256 of the records as JSON Lines, in the export's order.
fn checksum(d: &Dataset) -> Result<String, CommandError> {
    let mut hash = Sha256::new();
    for r in d.iter() {
        let line = serde_json::to_vec(&r.to_owned())
            .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
        hash.update(&line);
        hash.update(b"\n");
    }
    Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Deletes what a failed copy wrote, so the destination is as empty as it was.
fn undo(store: &dyn Store, written: &Dataset) -> Result<(), CommandError> {
    let ops = written
        .iter()
        .map(|r| Op::Delete {
            kind: r.kind(),
            id: r.id().clone(),
            expected: Expected::Any,
            cascade: true,
        })
        .collect();
    store.apply(ops)?;
    Ok(())
}
