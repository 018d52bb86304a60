//! Output for people (aligned tables) and for scripts (`--json`).

use serde::Serialize;

use crate::error::{CommandError, ErrorKind};

/// Left-aligned columns, two spaces apart, indented by two; widths in characters.
pub(crate) fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::from("  ");
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            line.push_str(cell);
            if i + 1 < N {
                line.extend(std::iter::repeat_n(' ', w - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Prints `value` as pretty JSON on stdout.
pub(crate) fn print_json(value: &impl Serialize) -> Result<(), CommandError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CommandError::new(ErrorKind::Data, format!("could not write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// "1 warning", "2 warnings".
pub(crate) fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Problems grouped by record, with a count line first:
///
/// ```text
/// Validation: 0 errors, 1 warning
///   observation yb-2024-complaints
///     warning: stated: stated "trên 97%" does not match the computed 96,52% (388/402)
/// ```
pub(crate) fn problems(problems: &[danvan_core::validate::Problem]) -> String {
    use std::fmt::Write as _;
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let mut out = format!(
        "Validation: {}, {}\n",
        count(errors, "error"),
        count(problems.len() - errors, "warning")
    );
    let mut grouped: std::collections::BTreeMap<(String, String), Vec<String>> = Default::default();
    for p in problems {
        let field = if p.field.is_empty() {
            String::new()
        } else {
            format!("{}: ", p.field)
        };
        let sev = if p.is_error() { "error" } else { "warning" };
        grouped
            .entry((p.kind.to_string(), p.id.to_string()))
            .or_default()
            .push(format!("{sev}: {field}{}", p.message));
    }
    for ((kind, id), lines) in &grouped {
        let _ = writeln!(out, "  {kind} {id}");
        for l in lines {
            let _ = writeln!(out, "    {l}");
        }
    }
    out
}

/// A record as pretty JSON in its documented form, fields in declaration order.
pub(crate) fn record_json(record: &danvan_core::dataset::AnyRecord) -> String {
    use danvan_core::dataset::AnyRecord as R;
    let text = match record {
        R::Directive(r) => serde_json::to_string_pretty(r),
        R::Conference(r) => serde_json::to_string_pretty(r),
        R::Model(r) => serde_json::to_string_pretty(r),
        R::Indicator(r) => serde_json::to_string_pretty(r),
        R::Observation(r) => serde_json::to_string_pretty(r),
    };
    text.unwrap_or_default()
}
