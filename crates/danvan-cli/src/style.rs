//! Colour on the terminal: when to use it and how, shared by tables and error messages.

use std::io::IsTerminal;

/// ANSI colours used for severities and labels.
pub(crate) const RED: &str = "31";
/// Warnings.
pub(crate) const YELLOW: &str = "33";
/// Hints.
pub(crate) const CYAN: &str = "36";

/// Whether to colour output on `stream`: only a terminal, and never with `NO_COLOR` set
/// (<https://no-color.org>).
pub(crate) fn colour(stream: &impl IsTerminal) -> bool {
    use_colour(stream.is_terminal(), std::env::var_os("NO_COLOR"))
}

fn use_colour(terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

/// `text` in `code`'s colour when `on`.
pub(crate) fn paint(text: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(use_colour(true, None));
        assert!(!use_colour(false, None));
        assert!(!use_colour(true, Some("1".into())));
        assert!(use_colour(true, Some("".into())));
        assert_eq!(paint("x", RED, false), "x");
        assert_eq!(paint("x", RED, true), "\x1b[31mx\x1b[0m");
    }
}
