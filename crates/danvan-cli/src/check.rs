//! `danvan check DIR`: load a dataset directory, validate it, and list reviews falling due.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Months, NaiveDate};
use danvan_core::dataset::Dataset;
use danvan_core::directive::{DueState, due_reviews};
use danvan_core::indicator::catalogue;
use danvan_core::province::registry;
use danvan_core::text;
use danvan_core::validate::has_errors;
use danvan_store::dataset_dir;

use crate::error::{CommandError, ErrorKind};
use crate::output::table;

/// Arguments of `danvan check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The dataset directory: one JSON array per record kind, as in fixtures/demo.
    dir: PathBuf,
    /// The date to compute due reviews from (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    /// How many months ahead a review counts as falling due.
    #[arg(long, value_name = "MONTHS", default_value_t = 6)]
    within: u32,
}

pub(crate) fn run(args: &Args) -> Result<ExitCode, CommandError> {
    let dataset = dataset_dir::load(&args.dir).map_err(|e| {
        let hint = match &e {
            dataset_dir::DatasetDirError::NotFound { .. } => {
                Some("give the path of a dataset directory such as fixtures/demo")
            }
            dataset_dir::DatasetDirError::Parse { .. } => {
                Some("fix the file at that position and run the command again")
            }
            dataset_dir::DatasetDirError::Io { .. } => None,
        };
        let err = CommandError::new(ErrorKind::Unreadable, e.to_string());
        match hint {
            Some(h) => err.with_hint(h),
            None => err,
        }
    })?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let until = as_of
        .checked_add_months(Months::new(args.within))
        .unwrap_or(NaiveDate::MAX);
    let problems = dataset.validate();
    print!(
        "{}",
        render(
            &args.dir.display().to_string(),
            &dataset,
            &problems,
            as_of,
            until,
            args.within
        )
    );
    Ok(if has_errors(&problems) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn render(
    name: &str,
    dataset: &Dataset,
    problems: &[danvan_core::validate::Problem],
    as_of: NaiveDate,
    until: NaiveDate,
    within: u32,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Dataset {name}: {} records", dataset.len());
    let rows = [
        (
            "indicators",
            dataset.indicators.len(),
            format!(" (and {} built in)", catalogue().len()),
        ),
        ("directives", dataset.directives.len(), String::new()),
        ("observations", dataset.observations.len(), String::new()),
        ("conferences", dataset.conferences.len(), String::new()),
        ("models", dataset.models.len(), String::new()),
        ("units", dataset.units.len(), String::new()),
    ];
    for (kind, n, extra) in rows {
        let _ = writeln!(out, "  {kind:<13}{n:>7}{extra}");
    }

    // Provinces the records name, on the map of their own dates, in Vietnamese order.
    let mut names: Vec<&str> = dataset
        .conferences
        .iter()
        .filter_map(|c| c.province.as_ref().and_then(|p| p.at(c.date).ok()))
        .chain(
            dataset
                .observations
                .iter()
                .filter_map(|o| o.province_at_period()),
        )
        .chain(
            dataset
                .models
                .iter()
                .filter_map(|m| registry().all_with_slug(m.province.as_str()).next()),
        )
        .map(|p| p.name)
        .collect();
    text::sort_by_key(&mut names, |s| s);
    names.dedup();
    let _ = writeln!(out, "Provinces: {} ({})", names.len(), names.join(", "));

    out.push_str(&crate::output::problems(problems));

    let due = due_reviews(&dataset.directives, as_of, until);
    let _ = writeln!(
        out,
        "Reviews due as of {as_of} (within {within} months): {}",
        due.len()
    );
    let rows: Vec<[String; 6]> = due
        .iter()
        .map(|r| {
            let (state, days) = match r.state {
                DueState::Overdue { days_late } => ("overdue", format!("{days_late} days late")),
                DueState::DueSoon { days_left } => ("due", format!("{days_left} days left")),
            };
            let label = r.milestone.name_vi();
            [
                state.to_string(),
                r.deadline.to_string(),
                r.directive.label(),
                label.to_string(),
                province_then_and_now(r.province, r.deadline, as_of),
                days,
            ]
        })
        .collect();
    out.push_str(&table(&rows));
    out
}

/// The province as it was at `then`, followed by what it had become by `now` if that differs:
/// "Yên Bái → Lào Cai". Reviews held centrally show "Trung ương".
fn province_then_and_now(
    province: Option<&danvan_core::province::ProvinceRef>,
    then: NaiveDate,
    now: NaiveDate,
) -> String {
    let Some(p) = province else {
        return "Trung ương".to_string();
    };
    let reg = registry();
    let Some(unit) = p
        .at(then.min(now))
        .ok()
        .or_else(|| reg.all_with_slug(p.as_str()).last())
    else {
        return p.to_string();
    };
    // Old and new Thái Nguyên are different units with one name: show an arrow only when the
    // name changed.
    let current = reg.successor_at(unit, now);
    if current.name == unit.name {
        unit.name.to_string()
    } else {
        format!("{} → {}", unit.name, current.name)
    }
}
