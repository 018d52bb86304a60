//! `danvan <kind> new`: guided entry on a terminal. Each field is asked for in turn, with its
//! Vietnamese label, an example and the choices where there are some; every answer is read
//! and checked as `add` reads its flags (Vietnamese forms accepted) and asked again while it
//! is wrong; list fields take one item per answer until an empty one. The record is shown
//! before it is saved, and saved only when the person says so.

use std::io::IsTerminal;
use std::process::ExitCode;

use danvan_core::record_kind::RecordKind;
use danvan_store::Expected;
use dialoguer::console::Term;
use dialoguer::theme::SimpleTheme;
use dialoguer::{Confirm, Input, Select};
use serde_json::{Map, Value, json};

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::form::{Field, KindForm, Shape, fields, parse, put};

/// What a prompt failing means: the terminal went away, or the person pressed Ctrl-C.
fn stopped(e: dialoguer::Error) -> CommandError {
    CommandError::new(ErrorKind::Data, format!("stopped without saving ({e})"))
}

/// One answer to a field, read and checked by its shape; empty when left out.
fn ask(
    term: &Term,
    field: &Field,
    prompt: &str,
    optional: bool,
) -> Result<Option<Value>, CommandError> {
    let shape = field.shape;
    let text: String = Input::with_theme(&SimpleTheme)
        .with_prompt(prompt)
        .allow_empty(optional)
        .validate_with(move |s: &String| -> Result<(), String> {
            if s.trim().is_empty() {
                return Ok(());
            }
            parse(shape, s)
                .map(|_| ())
                .map_err(|m| format!("{s:?} {m}"))
        })
        .interact_text_on(term)
        .map_err(stopped)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    Ok(parse(shape, &text).ok())
}

/// A choice from a list, or none.
fn choose(
    term: &Term,
    field: &Field,
    choices: &[crate::form::Choice],
) -> Result<Option<Value>, CommandError> {
    let mut items = vec!["(để trống / leave empty)".to_string()];
    items.extend(choices.iter().map(|(name, vi)| match vi.first() {
        Some(vi) => format!("{vi} ({name})"),
        None => name.to_string(),
    }));
    let picked = Select::with_theme(&SimpleTheme)
        .with_prompt(format!("{} ({})", field.vi, field.json))
        .items(&items)
        .default(0)
        .interact_on(term)
        .map_err(stopped)?;
    Ok(picked
        .checked_sub(1)
        .map(|i| Value::String(choices[i].0.to_string())))
}

/// The prompt for `field`.
fn prompt(field: &Field) -> String {
    if field.example.is_empty() {
        format!("{} ({})", field.vi, field.json)
    } else {
        format!("{} ({}), e.g. {}", field.vi, field.json, field.example)
    }
}

/// Asks for every field of `kind` into `record`.
fn ask_fields(term: &Term, kind: RecordKind, record: &mut Value) -> Result<(), CommandError> {
    for field in fields(kind) {
        if let Shape::Choice(choices) = field.shape {
            if let Some(v) = choose(term, field, choices)? {
                put(
                    record,
                    field.json,
                    if field.list { json!([v]) } else { v },
                    false,
                );
            }
            continue;
        }
        if field.list {
            let mut items = Vec::new();
            loop {
                let p = format!(
                    "{} — item {} (Enter when done)",
                    prompt(field),
                    items.len() + 1
                );
                match ask(term, field, &p, true)? {
                    Some(v) => items.push(v),
                    None => break,
                }
            }
            if !items.is_empty() {
                put(record, field.json, Value::Array(items), false);
            }
            continue;
        }
        // Every field may be left for later; the ID is then made from the record's province,
        // date and title.
        let shown = if field.json == "id" {
            format!("{} (Enter: made from the title)", prompt(field))
        } else {
            prompt(field)
        };
        if let Some(v) = ask(term, field, &shown, true)? {
            put(record, field.json, v, false);
        }
    }
    Ok(())
}

/// The questions beyond the field table: a conference's format, an observation's figure.
fn ask_special(term: &Term, kind: RecordKind, record: &mut Value) -> Result<(), CommandError> {
    match kind {
        RecordKind::Conference => {
            let modes = [
                "trực tiếp (in person)",
                "trực tuyến (online)",
                "trực tiếp kết hợp trực tuyến (hybrid)",
            ];
            let mode = Select::with_theme(&SimpleTheme)
                .with_prompt("Hình thức (format)")
                .items(modes)
                .default(0)
                .interact_on(term)
                .map_err(stopped)?;
            let mut format = Map::new();
            let name = ["in_person", "online", "hybrid"][mode];
            format.insert("mode".into(), Value::String(name.into()));
            if mode > 0 {
                let points = Field {
                    json: "format.connection_points",
                    flag: "online",
                    vi: "Số điểm cầu",
                    shape: Shape::Count,
                    list: false,
                    example: "13",
                    help: "",
                };
                if let Some(v) = ask(term, &points, &prompt(&points), true)? {
                    format.insert("connection_points".into(), v);
                }
            }
            put(record, "format", Value::Object(format), false);
        }
        RecordKind::Observation => ask_into(
            term,
            "Số liệu (figure), e.g. 1.272/1.337 or 98,66%; Enter if given above",
            crate::form::figure_into,
            record,
        )?,
        RecordKind::Directive => {
            ask_into(
                term,
                "Số, ký hiệu (number), as cited, e.g. Kế hoạch số 31-KH/BDVTU ngày 15/3/2023",
                crate::form::citation_into,
                record,
            )?;
            // What `danvan due` and the reports stand on: the phase and each review's deadline.
            ask_into(
                term,
                "Giai đoạn (phase), e.g. 2021-2025 or \"2021-2025, định hướng 2030\"; Enter if none",
                |t, r| danvan_entry::special(RecordKind::Directive, "phase", t, r),
                record,
            )?;
            loop {
                let before = record
                    .get("milestones")
                    .map_or(0, |m| m.as_array().map_or(0, Vec::len));
                ask_into(
                    term,
                    "Sơ kết, tổng kết (review) and when it is due, e.g. \"sơ kết 3 năm: 2024\", \"tổng kết: quý IV/2025\"; Enter when done",
                    |t, r| danvan_entry::special(RecordKind::Directive, "review", t, r),
                    record,
                )?;
                let after = record
                    .get("milestones")
                    .map_or(0, |m| m.as_array().map_or(0, Vec::len));
                if after == before {
                    break;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// One answer that fills several fields through `fill` (checked the same way as asked).
fn ask_into(
    term: &Term,
    prompt: &str,
    fill: fn(&str, &mut Value) -> Result<(), String>,
    record: &mut Value,
) -> Result<(), CommandError> {
    let text: String = Input::with_theme(&SimpleTheme)
        .with_prompt(prompt)
        .allow_empty(true)
        .validate_with(move |s: &String| -> Result<(), String> {
            if s.trim().is_empty() {
                return Ok(());
            }
            fill(s, &mut Value::Object(Map::new())).map_err(|m| format!("{s:?} {m}"))
        })
        .interact_text_on(term)
        .map_err(stopped)?;
    if !text.trim().is_empty() {
        let _ = fill(&text, record);
    }
    Ok(())
}

/// Guided entry of one record of `K`'s kind.
pub(crate) fn new<K: KindForm>(ctx: &Ctx) -> Result<ExitCode, CommandError> {
    let kind = K::KIND;
    let term = Term::stderr();
    if !term.is_term() || !std::io::stdin().is_terminal() {
        return Err(CommandError::new(
            ErrorKind::Data,
            format!("`{kind} new` asks questions on a terminal, and this is not one"),
        )
        .with_hint(format!(
            "give the fields as flags instead: `danvan {kind} add --help`"
        )));
    }
    let store = ctx.open()?;
    let _ = term.write_line(&format!(
        "New {kind}: each field in turn (Vietnamese accepted: 22/6/2023, 1.272, \"6 tháng đầu năm 2024\"); Enter leaves one empty; Ctrl-C stops without saving."
    ));
    let mut record = Value::Object(Map::new());
    loop {
        ask_fields(&term, kind, &mut record)?;
        ask_special(&term, kind, &mut record)?;
        let shown = serde_json::to_string_pretty(&record).unwrap_or_default();
        let _ = term.write_line(&format!("\n{shown}\n"));
        match crate::typed::new_record(store.as_ref(), kind, record.clone()) {
            Ok(parsed) => {
                // An observation is checked against its indicator: built in, or in the store.
                let definition = match &parsed {
                    danvan_core::dataset::AnyRecord::Observation(o) => {
                        match store.get(RecordKind::Indicator, &o.indicator)? {
                            Some(stored) => match stored.record {
                                danvan_core::dataset::AnyRecord::Indicator(d) => Some(d),
                                _ => None,
                            },
                            None => None,
                        }
                    }
                    _ => None,
                };
                let problems = parsed.as_ref().validate(definition.as_ref());
                for p in &problems {
                    let _ = term.write_line(&format!(
                        "  {}: {}: {}",
                        if p.is_error() { "error" } else { "warning" },
                        p.field,
                        p.message
                    ));
                }
                if !danvan_core::validate::has_errors(&problems) {
                    let save = Confirm::with_theme(&SimpleTheme)
                        .with_prompt("Lưu (save)?")
                        .default(true)
                        .interact_on(&term)
                        .map_err(stopped)?;
                    if !save {
                        let _ = term.write_line("Not saved.");
                        return Ok(ExitCode::from(1));
                    }
                    let receipt = store.put_by(parsed, Expected::Absent, &ctx.author)?;
                    for c in &receipt.changes {
                        println!("Added {} {} (revision {})", c.kind, c.id, receipt.revision);
                    }
                    return Ok(ExitCode::SUCCESS);
                }
            }
            Err(e) => {
                let _ = term.write_line(&format!("  error: {}", e.message()));
            }
        }
        let again = Confirm::with_theme(&SimpleTheme)
            .with_prompt("Not saved: go through the fields again?")
            .default(true)
            .interact_on(&term)
            .map_err(stopped)?;
        if !again {
            return Ok(ExitCode::from(1));
        }
        record = Value::Object(Map::new());
    }
}
