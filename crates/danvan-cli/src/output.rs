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
/// the table fits the screen: the last column wraps at word boundaries, and below
/// [`MIN_LAST`] characters left for it each row becomes a block of lines instead. Control
/// characters in a cell (an escape sequence stored in a record) are printed escaped, never
/// raw.
pub(crate) fn table<const N: usize>(rows: &[[String; N]]) -> String {
    fit_table(rows, terminal_width())
}

/// The fewest characters the last column may wrap to before rows become blocks.
const MIN_LAST: usize = 24;

/// `text` with control characters (and the bidirectional overrides that reorder what a
/// terminal shows) written as escapes: `\u{1b}[31m`, `\n`.
pub(crate) fn escape_controls(text: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `text` in lines of at most `width` characters, broken between words (a word longer than a
/// line is broken inside it).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = line.chars().count();
            let room = if used == 0 {
                width
            } else {
                width.saturating_sub(used + 1)
            };
            if word.len() <= room {
                if used > 0 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word longer than a whole line.
            let rest = word.split_off(width);
            lines.push(word.iter().collect());
            word = rest;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn fit_table<const N: usize>(rows: &[[String; N]], width: Option<usize>) -> String {
    let rows: Vec<[String; N]> = rows
        .iter()
        .map(|r| std::array::from_fn(|i| escape_controls(&r[i])))
        .collect();
    let mut widths = [0usize; N];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let Some(last) = N.checked_sub(1) else {
        return String::new();
    };
    let before: usize = 2 + widths[..last].iter().map(|w| w + 2).sum::<usize>();
    let room = match width {
        Some(width) if before + widths[last] > width => width.saturating_sub(before),
        _ => usize::MAX,
    };
    if room < MIN_LAST {
        return blocks(&rows, width.unwrap_or(80));
    }
    let mut out = String::new();
    for row in &rows {
        let wrapped = if row[last].chars().count() > room {
            wrap(&row[last], room)
        } else {
            vec![row[last].clone()]
        };
        for (n, part) in wrapped.iter().enumerate() {
            let mut line = String::from("  ");
            for (cell, w) in row[..last].iter().zip(widths) {
                let shown = if n == 0 { cell.as_str() } else { "" };
                line.push_str(shown);
                line.extend(std::iter::repeat_n(' ', w - shown.chars().count() + 2));
            }
            line.push_str(part);
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Rows as blocks, for a screen too narrow for columns: the first cell on its own line, the
/// others below it, indented, joined by " · ", with the last on lines of its own.
fn blocks<const N: usize>(rows: &[[String; N]], width: usize) -> String {
    let Some(last) = N.checked_sub(1) else {
        return String::new();
    };
    let inner = width.saturating_sub(4).max(MIN_LAST / 2);
    let mut out = String::new();
    for row in rows {
        out.push_str("  ");
        out.push_str(&row[0]);
        out.push('\n');
        let middle: Vec<&str> = row[1..last.max(1)]
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect();
        if last > 0 {
            for text in [middle.join(" · "), row[last].clone()] {
                if text.is_empty() {
                    continue;
                }
                for line in wrap(&text, inner) {
                    out.push_str("    ");
                    out.push_str(&line);
                    out.push('\n');
                }
            }
        }
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
        "{}\n",
        crate::lang::t!(
            "validation-summary",
            errors = errors,
            warnings = problems.len() - errors
        )
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
            paint(&crate::lang::t!("problem-error"), RED, on)
        } else {
            paint(&crate::lang::t!("problem-warning"), YELLOW, on)
        };
        let message = danvan_i18n::phrases(&p.message, crate::lang::lang());
        grouped
            .entry((crate::names::kind(p.kind), p.id.to_string()))
            .or_default()
            .push(format!("{sev}: {field}{message}"));
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
        R::Unit(r) => serde_json::to_string_pretty(r),
        R::Award(r) => serde_json::to_string_pretty(r),
        R::Form(r) => serde_json::to_string_pretty(r),
        R::Submission(r) => serde_json::to_string_pretty(r),
        R::Target(r) => serde_json::to_string_pretty(r),
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

    /// Conferences as `conference list` shows them.
    fn conferences() -> Vec<[String; 4]> {
        [
            ["tn-2024-so-ket-6-thang", "2024-07-10", "thai-nguyen", "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024, triển khai nhiệm vụ 6 tháng cuối năm"],
            ["lc-2023-hoi-thao-dvk", "2023-11-28", "lao-cai", "Hội thảo khoa học \"Phát huy vai trò của Nhân dân trong xây dựng nông thôn mới\""],
            ["tw-2025-tong-ket", "2025-12-20", "Trung ương", "Tổng kết 10 năm"],
        ]
        .map(|r| r.map(str::to_string))
        .to_vec()
    }

    #[test]
    fn tables_at_60_100_and_160_columns() {
        let rows = conferences();
        insta::assert_snapshot!(fit_table(&rows, Some(160)), @r#"
        tn-2024-so-ket-6-thang  2024-07-10  thai-nguyen  Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024, triển khai nhiệm vụ 6 tháng cuối năm
        lc-2023-hoi-thao-dvk    2023-11-28  lao-cai      Hội thảo khoa học "Phát huy vai trò của Nhân dân trong xây dựng nông thôn mới"
        tw-2025-tong-ket        2025-12-20  Trung ương   Tổng kết 10 năm
        "#);
        insta::assert_snapshot!(fit_table(&rows, Some(100)), @r#"
        tn-2024-so-ket-6-thang  2024-07-10  thai-nguyen  Hội nghị sơ kết công tác dân vận 6 tháng đầu năm
                                                         2024, triển khai nhiệm vụ 6 tháng cuối năm
        lc-2023-hoi-thao-dvk    2023-11-28  lao-cai      Hội thảo khoa học "Phát huy vai trò của Nhân dân
                                                         trong xây dựng nông thôn mới"
        tw-2025-tong-ket        2025-12-20  Trung ương   Tổng kết 10 năm
        "#);
        insta::assert_snapshot!(fit_table(&rows, Some(60)), @r#"
        tn-2024-so-ket-6-thang
          2024-07-10 · thai-nguyen
          Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024,
          triển khai nhiệm vụ 6 tháng cuối năm
        lc-2023-hoi-thao-dvk
          2023-11-28 · lao-cai
          Hội thảo khoa học "Phát huy vai trò của Nhân dân trong
          xây dựng nông thôn mới"
        tw-2025-tong-ket
          2025-12-20 · Trung ương
          Tổng kết 10 năm
        "#);
        // A pipe or a file: whole values, no wrapping.
        assert_eq!(fit_table(&rows, None), fit_table(&rows, Some(1000)));
    }

    #[test]
    fn lines_break_between_words() {
        assert_eq!(wrap("một hai ba bốn", 7), ["một hai", "ba bốn"]);
        assert_eq!(wrap("Đề-án-số-05-ĐA/TU", 6), ["Đề-án-", "số-05-", "ĐA/TU"]);
        assert_eq!(wrap("", 10), [""]);
        for width in 1..30 {
            for line in wrap(&conferences()[0][3], width) {
                assert!(line.chars().count() <= width, "{line:?} over {width}");
            }
        }
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let rows = [[
            "x".to_string(),
            "Tiêu đề \u{1b}[2J\u{1b}[31mđỏ\u{7}\nhết \u{202e}ngược".to_string(),
        ]];
        let shown = fit_table(&rows, None);
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert_eq!(
            shown,
            "  x  Tiêu đề \\u{1b}[2J\\u{1b}[31mđỏ\\u{7}\\nhết \\u{202e}ngược\n"
        );
        assert_eq!(escape_controls("Thái Nguyên"), "Thái Nguyên");
    }
}
