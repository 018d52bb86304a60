//! `danvan due`: directive reviews overdue or falling due, grouped by province.

use std::collections::BTreeMap;
use std::process::ExitCode;

use chrono::NaiveDate;
use danvan_core::directive::{DueState, Lookahead, due_reviews};
use danvan_core::province::registry;
use danvan_core::record_kind::RecordKind;
use danvan_core::text;
use danvan_store::Query;
use serde::Serialize;

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::lang::t;
use crate::output::{print_json, table};

/// Arguments of `danvan due`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// How far ahead to look: months (6m, 6), years (1y) or days (90d).
    #[arg(long, value_name = "SPAN", default_value = "6m")]
    within: Lookahead,
    /// The date to look from (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    /// Only this province's reviews (slug or name, on today's map): its own directives' and
    /// its reviews of central directives.
    #[arg(long)]
    province: Option<String>,
}

#[derive(Serialize)]
struct Row {
    province: String,
    directive: String,
    label: String,
    title: String,
    milestone: String,
    deadline: NaiveDate,
    #[serde(flatten)]
    state: DueState,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    let as_of = args.as_of.unwrap_or_else(crate::today);
    let until = args
        .within
        .end(as_of)
        .ok_or_else(|| CommandError::new(ErrorKind::Data, t!("due-span-too-long")))?;
    let directives = store
        .export(Some(&Query::kind(RecordKind::Directive)))?
        .dataset
        .directives;
    let reg = registry();
    let only = match &args.province {
        Some(name) => Some(
            reg.resolve(name, as_of)
                .map_err(|e| CommandError::new(ErrorKind::Data, format!("--province: {e}")))?
                .slug,
        ),
        None => None,
    };
    let rows: Vec<Row> = due_reviews(&directives, as_of, until)
        .into_iter()
        .filter(|r| {
            only.is_none()
                || r.province
                    .and_then(|p| reg.current(p.as_str()))
                    .map(|p| p.slug)
                    == only
        })
        .map(|r| Row {
            // A review is its province's (a central directive's reviews in each province are
            // that province's), as the province is now: Yên Bái's fall to Lào Cai. Reviews
            // held centrally are "Trung ương".
            province: r
                .province
                .and_then(|p| reg.current(p.as_str()))
                .map_or_else(|| t!("central"), |p| p.name.to_string()),
            directive: r.directive.id.to_string(),
            label: r.directive.label(),
            title: r.directive.title_or_label(),
            milestone: r.milestone.name_vi().to_string(),
            deadline: r.deadline,
            state: r.state,
        })
        .collect();
    if ctx.json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let overdue = rows
        .iter()
        .filter(|r| matches!(r.state, DueState::Overdue { .. }))
        .count();
    println!(
        "{}",
        t!(
            "due-summary",
            as_of = danvan_core::date::to_vietnamese_short(as_of),
            until = danvan_core::date::to_vietnamese_short(until),
            overdue = overdue,
            soon = rows.len() - overdue
        )
    );
    let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        groups.entry(r.province.clone()).or_default().push(r);
    }
    let mut names: Vec<&String> = groups.keys().collect();
    text::sort_by_key(&mut names, |s| s.as_str());
    for name in names {
        println!("\n{name}");
        let lines: Vec<[String; 5]> = groups[name]
            .iter()
            .map(|r| {
                let (state, days) = match r.state {
                    DueState::Overdue { days_late } => {
                        (t!("due-overdue"), t!("late-by-days", count = days_late))
                    }
                    DueState::DueSoon { days_left } => {
                        (t!("due-soon"), t!("due-in-days", count = days_left))
                    }
                };
                [
                    state,
                    danvan_core::date::to_vietnamese_short(r.deadline),
                    r.label.clone(),
                    r.milestone.clone(),
                    days,
                ]
            })
            .collect();
        print!("{}", table(&lines));
    }
    Ok(ExitCode::SUCCESS)
}
