//! `danvan validate`: check every record in the store, and on request list the values records
//! mark as inferred rather than stated by their sources.

use std::process::ExitCode;

use danvan_core::dataset::RecordRef;
use danvan_core::validate::has_errors;
use danvan_store::Query;
use serde::Serialize;

use crate::Ctx;
use crate::error::CommandError;
use crate::lang::t;
use crate::output::{print_json, problems};

/// Arguments of `danvan validate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Also list every value a record marks as inferred (a year taken from the publication
    /// date, a province from the site), with what it was inferred from.
    #[arg(long)]
    inferred: bool,
}

/// One inferred value, as `validate --inferred` lists it.
#[derive(Debug, Serialize)]
struct Inferred {
    kind: danvan_core::record_kind::RecordKind,
    id: String,
    field: String,
    /// The value held, as stored (JSON).
    value: serde_json::Value,
    from: danvan_core::inferred::InferredFrom,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// "năm suy ra từ ngày đăng tin".
    says: String,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    // What is stored against what the store wrote first (a database row edited by hand, a
    // journal entry damaged on disk): validating damaged data would mislead.
    store.verify()?;
    let found = store.validate()?;
    let inferred = if args.inferred {
        inferred_values(store.as_ref())?
    } else {
        Vec::new()
    };
    if ctx.json {
        if args.inferred {
            print_json(&serde_json::json!({"problems": found, "inferred": inferred}))?;
        } else {
            print_json(&found)?;
        }
    } else {
        println!(
            "{}",
            t!(
                "store-summary",
                at = ctx.place().to_string(),
                count = store.len()?,
                revision = store.revision()?.to_string()
            )
        );
        print!("{}", problems(&found));
        if args.inferred {
            print!("{}", inferred_text(&inferred));
        }
    }
    Ok(if has_errors(&found) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every inferred value in the store, in the store's order.
fn inferred_values(store: &dyn danvan_store::Store) -> Result<Vec<Inferred>, CommandError> {
    let mut out = Vec::new();
    store.visit(&Query::default(), &mut |r: RecordRef<'_>| {
        let marks = r.inferred();
        if marks.is_empty() {
            return;
        }
        // `{"kind": …, "record": {…}}`: the record's own fields.
        let json = serde_json::to_value(r.to_owned())
            .ok()
            .and_then(|mut v| v.get_mut("record").map(serde_json::Value::take))
            .unwrap_or_default();
        for m in marks {
            let base = m.field.split('.').next().unwrap_or_default();
            out.push(Inferred {
                kind: r.kind(),
                id: r.id().to_string(),
                field: m.field.clone(),
                value: json.get(base).cloned().unwrap_or_default(),
                from: m.from,
                note: m.note.as_ref().map(ToString::to_string),
                says: m.to_vietnamese(),
            });
        }
    })?;
    Ok(out)
}

fn inferred_text(list: &[Inferred]) -> String {
    use std::fmt::Write;
    if list.is_empty() {
        return "No value is marked as inferred.\n".to_string();
    }
    let mut s = format!(
        "{} values are inferred, not stated by a source:\n",
        list.len()
    );
    for v in list {
        let value = match &v.value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let _ = write!(
            s,
            "  {} {}: {} = {value} ({}",
            v.kind, v.id, v.field, v.says
        );
        if let Some(n) = &v.note {
            let _ = write!(s, "; {n}");
        }
        s.push_str(")\n");
    }
    s
}
