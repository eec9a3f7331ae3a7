//! Shared arguments and output plumbing of the subcommands.

use std::io::Write;
use std::path::PathBuf;

use crate::exit;
use crate::fmt::{OutputArgs, OutputFormat, Table};

/// The binary to read and how.
#[derive(clap::Args, Clone, Debug)]
pub struct Input {
    /// The Go binary to read.
    pub binary: PathBuf,
    /// For a fat Mach-O: the slice to read (amd64, arm64...). Default: the
    /// host's architecture if present, else the first slice.
    #[arg(long)]
    pub arch: Option<String>,
}

impl Input {
    /// Analysis options for this input.
    pub fn options(&self) -> golayout::Options {
        golayout::Options { arch: self.arch.clone(), ..Default::default() }
    }
}

/// Writes `text` to stdout; a closed pipe is not an error.
pub fn write_out(text: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("golayout: writing output: {e}");
            exit::USAGE_OR_UNREADABLE
        }
        _ => exit::OK,
    }
}

/// Prints a document in the chosen format: `json` prints `doc`, `ndjson`
/// prints each of `records` on its own line, the rest render `table`.
pub fn emit<D: serde::Serialize, R: serde::Serialize>(
    output: &OutputArgs,
    doc: &D,
    records: &[R],
    table: impl FnOnce() -> Table,
) -> i32 {
    match output.format() {
        OutputFormat::Json => match serde_json::to_string_pretty(doc) {
            Ok(s) => write_out(&(s + "\n")),
            Err(e) => {
                eprintln!("golayout: JSON: {e}");
                exit::USAGE_OR_UNREADABLE
            }
        },
        OutputFormat::Ndjson => {
            let mut s = String::new();
            for r in records {
                s.push_str(&serde_json::to_string(r).unwrap_or_default());
                s.push('\n');
            }
            write_out(&s)
        }
        f => write_out(&table().render_as(f)),
    }
}

/// Prints notices on stderr (never mixed with data on stdout).
pub fn print_notices(layout: &golayout::Layout, quiet: bool) {
    if quiet {
        return;
    }
    for n in &layout.notices {
        eprintln!("note: {}", n.message);
    }
}
