//! What the terminal allows: colors and width, decided once per process.
//!
//! Colors only when stdout is a terminal, `NO_COLOR` is unset or empty and
//! `TERM` is not `dumb`. The width is `COLUMNS` when set to a number, else the
//! terminal's width when stdout is a terminal, else unlimited (piped output is
//! never cut).

use std::io::IsTerminal;
use std::sync::OnceLock;

/// How tables may be drawn on stdout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Whether ANSI colors may be used.
    pub color: bool,
    /// Maximum line width in columns, if any.
    pub width: Option<usize>,
}

impl Style {
    /// The style for this process's stdout (computed once).
    pub fn stdout() -> Style {
        static STYLE: OnceLock<Style> = OnceLock::new();
        *STYLE.get_or_init(|| {
            let tty = std::io::stdout().is_terminal();
            Style::decide(
                tty,
                std::env::var_os("NO_COLOR").as_deref(),
                std::env::var("TERM").ok().as_deref(),
                std::env::var("COLUMNS").ok().as_deref(),
                || terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)),
            )
        })
    }

    /// The decision, from its inputs (testable without a terminal).
    pub fn decide(
        tty: bool,
        no_color: Option<&std::ffi::OsStr>,
        term: Option<&str>,
        columns: Option<&str>,
        terminal_width: impl FnOnce() -> Option<usize>,
    ) -> Style {
        let color = tty && no_color.is_none_or(|v| v.is_empty()) && term != Some("dumb");
        let width = match columns.and_then(|c| c.trim().parse::<usize>().ok()).filter(|w| *w > 0) {
            Some(w) => Some(w),
            None if tty => terminal_width(),
            None => None,
        };
        Style { color, width: width.map(|w| w.max(20)) }
    }

    /// `text` in bold when colors are on.
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Whether stderr is a terminal (for progress bars).
pub fn stderr_is_tty() -> bool {
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::Style;
    use std::ffi::OsStr;

    #[test]
    fn colors_only_on_a_tty_without_no_color() {
        assert!(Style::decide(true, None, Some("xterm"), None, || Some(100)).color);
        assert!(!Style::decide(false, None, Some("xterm"), None, || None).color);
        assert!(!Style::decide(true, Some(OsStr::new("1")), None, None, || None).color);
        assert!(Style::decide(true, Some(OsStr::new("")), None, None, || None).color);
        assert!(!Style::decide(true, None, Some("dumb"), None, || None).color);
    }

    #[test]
    fn width_from_columns_then_terminal() {
        assert_eq!(Style::decide(false, None, None, Some("80"), || None).width, Some(80));
        assert_eq!(Style::decide(false, None, None, None, || Some(99)).width, None);
        assert_eq!(Style::decide(true, None, None, Some("x"), || Some(99)).width, Some(99));
        assert_eq!(Style::decide(true, None, None, None, || Some(5)).width, Some(20));
    }
}
