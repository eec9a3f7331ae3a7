//! `golayout report`: a self-contained HTML treemap of one build, or of the
//! difference between two builds.

mod html;
mod merge;
mod tree;

use std::path::{Path, PathBuf};

use super::common::Input;
use crate::exit;

/// Arguments of `golayout report`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// Where to write the HTML page (`-` for stdout).
    #[arg(long, short, default_value = "report.html")]
    pub output: PathBuf,
    /// An older build of the same program: colour growth and shrinkage
    /// against it.
    #[arg(long, value_name = "OLD")]
    pub baseline: Option<PathBuf>,
    /// No notices on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command; returns the exit code.
pub fn run(args: &Args) -> i32 {
    let options = golayout::Options { with_functions: true, ..args.input.options() };
    let new = match super::analyze_or_report(&args.input.binary, &options) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let old = match &args.baseline {
        Some(path) => match super::analyze_or_report(path, &options) {
            Ok(l) => Some(l),
            Err(code) => return code,
        },
        None => None,
    };
    super::common::print_notices(&new, args.quiet);
    let mut meta = meta(&new);
    let mut root = tree::build(&new);
    if let Some(old) = &old {
        meta.baseline = Some((old.binary.path.clone(), summary(old)));
        root = merge::merge(tree::build(old), root);
    }
    let page = html::render(&meta, &root, old.is_some());
    write(&args.output, &page)
}

fn write(path: &Path, page: &str) -> i32 {
    if path == Path::new("-") {
        return super::common::write_out(page);
    }
    match std::fs::write(path, page) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("golayout: {}: {e}", path.display());
            exit::USAGE_OR_UNREADABLE
        }
    }
}

fn summary(l: &golayout::Layout) -> String {
    format!(
        "{:?} {} · {} · {} variables · {} functions",
        l.binary.format,
        l.binary.arch,
        l.go.version.as_deref().unwrap_or("Go version unknown"),
        l.variables.len(),
        l.functions.len()
    )
}

fn meta(l: &golayout::Layout) -> html::Meta {
    let mut notices: Vec<String> = Vec::new();
    if l.variables.is_empty() {
        notices.push(
            "No symbol table: variables are unknown. The Go classes show their sizes from the runtime's \
             moduledata, and .text is split into packages by function text from the pclntab."
                .into(),
        );
    }
    notices.extend(l.notices.iter().map(|n| n.message.clone()));
    html::Meta {
        path: l.binary.path.clone(),
        file_size: l.binary.file_size,
        summary: summary(l),
        variables: l.variables.len(),
        functions: l.functions.len(),
        notices,
        baseline: None,
    }
}
