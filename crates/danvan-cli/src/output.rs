//! Output for people (aligned tables) and for scripts (`--json`).

use std::io::IsTerminal;

use serde::Serialize;

use crate::error::{CommandError, ErrorKind};
use crate::style::{RED, YELLOW, colour, paint};

/// The width to fit tables to: `$COLUMNS` on a terminal (80 when unset); unlimited when the
/// output goes to a file or a pipe, so that scripts get whole values.
fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    Some(
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(80),
    )
}

/// Left-aligned columns, two spaces apart, indented by two; widths in characters. On a terminal
/// the last column is cut (with "…") to fit the screen.
pub(crate) fn table<const N: usize>(rows: &[[String; N]]) -> String {
    fit_table(rows, terminal_width())
}

fn fit_table<const N: usize>(rows: &[[String; N]], width: Option<usize>) -> String {
    let mut rows = rows.to_vec();
    if let (Some(width), Some(last)) = (width, N.checked_sub(1)) {
        let mut widths = [0usize; N];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let before: usize = 2 + widths[..last].iter().map(|w| w + 2).sum::<usize>();
        let room = width.saturating_sub(before).max(10);
        for row in &mut rows {
            if row[last].chars().count() > room {
                row[last] = row[last].chars().take(room - 1).collect::<String>() + "…";
            }
        }
    }
    let rows = &rows;
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
        let on = colour(&std::io::stdout());
        let sev = if p.is_error() {
            paint("error", RED, on)
        } else {
            paint("warning", YELLOW, on)
        };
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

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, flushed to
/// disk, then renamed over it, so an interrupted write never leaves half a file.
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), CommandError> {
    use std::io::Write;
    let fail = |e: std::io::Error| {
        CommandError::new(ErrorKind::Unreadable, format!("{}: {e}", path.display()))
    };
    let name = path
        .file_name()
        .ok_or_else(|| fail(std::io::Error::other("not a file name")))?;
    let mut partial = name.to_os_string();
    partial.push(format!(".partial-{}", std::process::id()));
    let tmp = path.with_file_name(partial);
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// Writes `bytes` to standard output; a reader that has gone away (`| head`) is not an error.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<std::process::ExitCode, CommandError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(std::process::ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(std::process::ExitCode::SUCCESS),
        Err(e) => Err(CommandError::new(
            ErrorKind::Unreadable,
            format!("standard output: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_fit_the_terminal_by_cutting_the_last_column() {
        let rows = [[
            "a".to_string(),
            "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024".to_string(),
        ]];
        assert_eq!(fit_table(&rows, Some(20)), "  a  Hội nghị sơ kế…\n");
        assert_eq!(
            fit_table(&rows, None),
            "  a  Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024\n"
        );
    }
}
