//! Progress on stderr: a bar for `scan`, a spinner for one big binary.
//!
//! Drawn only when stderr is a terminal, `--quiet` is off, and the work
//! lasts: the bar stays hidden for its first half second, so quick runs print
//! nothing. Messages printed through [`Progress::println`] never tear the bar.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before a bar appears.
const DELAY: Duration = Duration::from_millis(500);

/// Files at least this big get a spinner in the one-binary commands.
pub const BIG_BINARY: u64 = 64 << 20;

static QUIET: AtomicBool = AtomicBool::new(false);

/// Turns spinners off for this process (`--quiet`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// A progress bar that may never be shown.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
}

impl Progress {
    /// A bar over `len` items; `enabled` is the caller's "not quiet".
    pub fn bar(len: u64, enabled: bool) -> Progress {
        let bar = (enabled && crate::term::stderr_is_tty()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files {per_sec} {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, started: Instant::now(), shown: false }
    }

    /// A spinner for reading one file of `size` bytes (only for big files,
    /// not after [`set_quiet`]).
    pub fn spinner(path: &std::path::Path, size: u64) -> Progress {
        let bar = (!QUIET.load(Ordering::Relaxed) && size >= BIG_BINARY && crate::term::stderr_is_tty()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.set_message(format!("reading {} ({})", path.display(), crate::fmt::bytes(size)));
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        let shown = bar.is_some();
        Progress { bar, started: Instant::now(), shown }
    }

    /// Advances by `n` items.
    pub fn inc(&mut self, n: u64) {
        if let Some(bar) = &self.bar {
            if !self.shown && self.started.elapsed() >= DELAY {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                self.shown = true;
            }
            bar.inc(n);
        }
    }

    /// Prints a line on stderr without tearing the bar.
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) if self.shown => bar.suspend(|| eprintln!("{line}")),
            _ => eprintln!("{line}"),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
