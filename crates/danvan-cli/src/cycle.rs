//! `danvan submission begin|send|return|approve|unlock` and `danvan completeness`: the reporting
//! cycle through `danvan_store::cycle`, the path the API and the web app take too.

use std::process::ExitCode;

use danvan_core::cycle::Action as Step;
use danvan_core::id::RecordId;
use danvan_core::period::Period;

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::lang::t;
use crate::output::{print_json, table};

/// `danvan submission`: the record commands, and the cycle's own.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum SubmissionAction {
    #[command(flatten)]
    Common(crate::records::Action<crate::form::SubmissionForm>),
    #[command(flatten)]
    Cycle(CycleAction),
}

/// The cycle's own subcommands of `danvan submission`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum CycleAction {
    /// Begin a unit's submission of a form for a period: a draft holding what the form asks
    /// now (`--unit` for a province's unit; `--province` alone on a central form).
    Begin {
        /// The form (biểu mẫu), by ID.
        #[arg(long, value_name = "ID")]
        form: RecordId,
        /// The reporting unit, by ID.
        #[arg(long, value_name = "ID")]
        unit: Option<RecordId>,
        /// The province sending to the central board.
        #[arg(long)]
        province: Option<String>,
        /// The period: "6 tháng đầu năm 2025", 2025S1, 2025.
        #[arg(long)]
        period: String,
    },
    /// Write its sections: `--section "ket-qua=Tổ chức 12 cuộc đối thoại …"` (repeat).
    Write {
        /// The submission's ID.
        id: RecordId,
        /// KEY=TEXT: a section of its form, and what the unit writes in it.
        #[arg(long = "section", value_name = "KEY=TEXT", required = true)]
        sections: Vec<String>,
    },
    /// Attach the signed original (a PDF or a DOCX), kept by its SHA-256; replaces an earlier
    /// one until the report is sent.
    Attach {
        /// The submission's ID.
        id: RecordId,
        /// The signed report.
        file: std::path::PathBuf,
    },
    /// Write the signed original to a file (or standard output with `--out -`).
    Original {
        /// The submission's ID.
        id: RecordId,
        /// Where to write it [default: its own file name, in this directory].
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
    /// Send it to the board: checked first; errors refuse it, warnings need --why.
    Send(StepArgs),
    /// Send it back to the unit, saying what to fix (--why).
    Return(StepArgs),
    /// Approve it, locking the unit's figures for the period.
    Approve(StepArgs),
    /// Unlock an approved submission, saying why (--why).
    Unlock(StepArgs),
}

/// What a step takes.
#[derive(Debug, clap::Args)]
pub(crate) struct StepArgs {
    /// The submission's ID.
    id: RecordId,
    /// Why: what to fix (return), why it is reopened (unlock), the warnings explained (send).
    #[arg(long = "why", value_name = "TEXT")]
    why: Option<String>,
    /// Only if the submission is still at this revision (as `show` printed it).
    #[arg(long, value_name = "N")]
    if_revision: Option<u64>,
}

pub(crate) fn run(ctx: &Ctx, action: &CycleAction) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    let (step, args) = match action {
        CycleAction::Begin {
            form,
            unit,
            province,
            period,
        } => {
            let period = period_arg(period)?;
            let receipt = danvan_store::cycle::begin(
                store.as_ref(),
                form,
                unit.as_ref(),
                province.as_deref(),
                period,
                &ctx.author,
            )?;
            return done(ctx, &receipt, "step-begun", &[]);
        }
        CycleAction::Write { id, sections } => return write(ctx, store.as_ref(), id, sections),
        CycleAction::Attach { id, file } => {
            let bytes = std::fs::read(file).map_err(|e| {
                CommandError::new(ErrorKind::Data, format!("{}: {e}", file.display()))
            })?;
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("ban-goc");
            let receipt =
                danvan_store::cycle::attach(store.as_ref(), id, name, &bytes, &ctx.author)?;
            return done(ctx, &receipt, "step-attached", &[]);
        }
        CycleAction::Original { id, out } => {
            let Some((a, bytes)) = danvan_store::cycle::original(store.as_ref(), id)? else {
                return Err(CommandError::new(
                    ErrorKind::Data,
                    t!("no-original", id = id.as_str()),
                )
                .with_hint(t!("hint-attach", id = id.as_str())));
            };
            let path = out
                .clone()
                .unwrap_or_else(|| std::path::PathBuf::from(&a.file_name));
            if path.as_os_str() == "-" {
                return crate::output::write_stdout(&bytes);
            }
            crate::output::write_file(&path, &bytes)?;
            if !ctx.quiet {
                println!(
                    "wrote {} ({} bytes, SHA-256 {})",
                    path.display(),
                    bytes.len(),
                    a.sha256
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        CycleAction::Send(a) => (Step::Send, a),
        CycleAction::Return(a) => (Step::Return, a),
        CycleAction::Approve(a) => (Step::Approve, a),
        CycleAction::Unlock(a) => (Step::Unlock, a),
    };
    let (receipt, found) = danvan_store::cycle::step(
        store.as_ref(),
        &args.id,
        step,
        args.why.as_deref(),
        chrono::Utc::now().naive_utc(),
        args.if_revision,
        &ctx.author,
    )?;
    let verb = match step {
        Step::Send => "step-sent",
        Step::Return => "step-returned",
        Step::Approve => "step-approved",
        Step::Unlock => "step-unlocked",
    };
    done(ctx, &receipt, verb, &found)
}

/// Writes sections into a submission, guarded by the revision read.
fn write(
    ctx: &Ctx,
    store: &dyn danvan_store::Store,
    id: &RecordId,
    sections: &[String],
) -> Result<ExitCode, CommandError> {
    use danvan_core::record_kind::RecordKind;
    let stored = store.get(RecordKind::Submission, id)?.ok_or_else(|| {
        CommandError::new(
            ErrorKind::Data,
            t!(
                "store-not-found",
                kind = crate::names::kind(RecordKind::Submission),
                id = id.as_str()
            ),
        )
    })?;
    let mut value = serde_json::to_value(&stored.record)
        .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
    let list = value["record"]["sections"].take();
    let mut list: Vec<serde_json::Value> = list.as_array().cloned().unwrap_or_default();
    for given in sections {
        let Some((key, text)) = given.split_once('=') else {
            return Err(CommandError::new(
                ErrorKind::Data,
                t!("section-as", given = format!("{given:?}")),
            ));
        };
        let key = key.trim();
        list.retain(|s| s["key"] != key);
        list.push(serde_json::json!({"key": key, "text": text.trim()}));
    }
    value["record"]["sections"] = serde_json::Value::Array(list);
    let record: danvan_core::dataset::AnyRecord = serde_json::from_value(value)
        .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
    let receipt = store.put_by(
        record,
        danvan_store::Expected::Revision(stored.revision),
        &ctx.author,
    )?;
    done(ctx, &receipt, "step-written", &[])
}

fn done(
    ctx: &Ctx,
    receipt: &danvan_store::Receipt,
    message: &str,
    found: &[danvan_core::validate::Problem],
) -> Result<ExitCode, CommandError> {
    if ctx.json {
        print_json(&serde_json::json!({"receipt": receipt, "warnings_sent": found}))?;
    } else if !ctx.quiet {
        for c in &receipt.changes {
            println!(
                "{}",
                t!(
                    message,
                    record = format!("{} {}", crate::names::kind(c.kind), c.id),
                    revision = receipt.revision.to_string()
                )
            );
        }
        for p in found {
            println!("  {} {}", t!("sent-with"), crate::error::problem_line(p));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn period_arg(text: &str) -> Result<Period, CommandError> {
    Period::parse(text, None).map_err(|e| {
        CommandError::new(ErrorKind::Data, format!("--period {text:?}: {e}"))
            .with_hint(t!("hint-period"))
    })
}

/// Arguments of `danvan completeness`.
#[derive(Debug, clap::Args)]
pub(crate) struct CompletenessArgs {
    /// The period: "6 tháng đầu năm 2025", 2025S1, 2025.
    #[arg(long)]
    period: String,
    /// The province whose units are asked about; without it, the provinces to the centre.
    #[arg(long)]
    province: Option<String>,
    /// The day to judge "overdue" on (default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<chrono::NaiveDate>,
}

/// `danvan completeness`: every submission owed for a period, and how each stands.
pub(crate) fn completeness(ctx: &Ctx, args: &CompletenessArgs) -> Result<ExitCode, CommandError> {
    let period = period_arg(&args.period)?;
    let province = match &args.province {
        Some(p) => Some(
            danvan_core::province::registry()
                .resolve(
                    p,
                    period.date_range(danvan_core::period::Window::Calendar).1,
                )
                .map_err(|e| CommandError::new(ErrorKind::Data, format!("--province: {e}")))?
                .slug,
        ),
        None => None,
    };
    let store = ctx.open()?;
    let today = args.as_of.unwrap_or_else(crate::today);
    let lines = danvan_store::cycle::completeness(store.as_ref(), province, period, today)?;
    if ctx.json {
        print_json(&lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    let sent = lines
        .iter()
        .filter(|l| {
            l.submission.is_some()
                && !matches!(
                    l.standing,
                    danvan_core::cycle::Standing::Overdue | danvan_core::cycle::Standing::NotYetDue
                )
        })
        .count();
    println!(
        "{}",
        t!(
            "completeness-summary",
            period = crate::names::period(&period),
            whose = province.map_or_else(|| t!("central"), crate::names::province),
            sent = sent,
            owed = lines.len(),
            approved = lines.iter().filter(|l| l.approved).count(),
            today = crate::names::day(today)
        )
    );
    let rows: Vec<[String; 4]> = lines
        .iter()
        .map(|l| {
            [
                l.name.clone(),
                match crate::lang::lang() {
                    crate::lang::Lang::Vi => l.standing.name_vi().to_string(),
                    crate::lang::Lang::En => l.standing.name_en().to_string(),
                },
                if l.approved {
                    t!("approved-mark")
                } else {
                    String::new()
                },
                t!("due-on", day = crate::names::day(l.due)),
            ]
        })
        .collect();
    print!("{}", table(&rows));
    Ok(ExitCode::SUCCESS)
}

/// `danvan approval …`: what waits for a board.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum ApprovalAction {
    /// The reports sent to a board and waiting for it to return or approve, oldest first
    /// (approve or return each with `danvan submission approve|return ID`).
    Queue {
        /// The province whose units' reports wait; without it, every province's units' and
        /// the provinces' reports to the central board.
        #[arg(long)]
        province: Option<String>,
    },
}

/// `danvan approval queue`.
pub(crate) fn approval(ctx: &Ctx, action: &ApprovalAction) -> Result<ExitCode, CommandError> {
    let ApprovalAction::Queue { province } = action;
    let province = match province {
        Some(p) => Some(
            danvan_core::province::registry()
                .resolve(p, crate::today())
                .map_err(|e| CommandError::new(ErrorKind::Data, format!("--province: {e}")))?
                .slug,
        ),
        None => None,
    };
    let store = ctx.open()?;
    let waiting = danvan_store::cycle::queue(store.as_ref(), province)?;
    if ctx.json {
        print_json(&waiting)?;
        return Ok(ExitCode::SUCCESS);
    }
    if waiting.is_empty() {
        println!("{}", t!("queue-empty"));
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", t!("queue-count", count = waiting.len()));
    let rows: Vec<[String; 5]> = waiting
        .iter()
        .map(|w| {
            let mut note = Vec::new();
            if w.late {
                note.push(t!("queue-late"));
            }
            if w.resent {
                note.push(t!("queue-resent"));
            }
            [
                w.submission.to_string(),
                w.name.clone(),
                crate::names::period(&w.period),
                t!(
                    "queue-sent",
                    at = danvan_core::date::vietnam_time(w.sent_at)
                        .format("%H:%M %d/%m/%Y")
                        .to_string(),
                    by = w.sent_by.as_str()
                ),
                note.join(", "),
            ]
        })
        .collect();
    print!("{}", crate::output::table(&rows));
    Ok(ExitCode::SUCCESS)
}
