//! One module per subcommand.

pub mod check;
pub mod common;
pub mod diff;
pub mod info;
pub mod packages;
pub mod report;
pub mod runtime;
pub mod scan;
pub mod vars;

use crate::exit;

/// Analyzes `path`, printing a one-line error on failure and returning the
/// exit code to use.
pub fn analyze_or_report(path: &std::path::Path, options: &golayout::Options) -> Result<golayout::Layout, i32> {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let spinner = crate::progress::Progress::spinner(path, size);
    let result = golayout::analyze(path, options);
    spinner.finish();
    result.map_err(|err| {
        eprintln!("golayout: {}", exit::message(&path.display().to_string(), &err));
        exit::for_error(&err)
    })
}

/// Writes JSON to stdout; a closed pipe is not an error.
pub fn print_json<T: serde::Serialize>(value: &T) -> i32 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let r = serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from).and_then(|_| writeln!(out));
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("golayout: writing output: {e}");
            exit::USAGE_OR_UNREADABLE
        }
        _ => exit::OK,
    }
}
