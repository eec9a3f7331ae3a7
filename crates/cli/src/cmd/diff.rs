//! `golayout diff OLD NEW`: what a change did to the binary, and
//! `golayout save BINARY`: the full layout as JSON, to diff against later.

use std::path::{Path, PathBuf};

use golayout::diff::{ClassDelta, Diff, DiffOptions, LoadError, PackageDelta, SectionDelta, VariableDelta};

use super::common::{emit, write_out};
use crate::exit;
use crate::fmt::{bytes, OutputArgs, OutputFormat, Table};

/// Arguments of `golayout diff`.
#[derive(clap::Args)]
pub struct Args {
    /// The old build: a Go binary or a layout saved with `golayout save`.
    pub old: PathBuf,
    /// The new build: a Go binary or a layout saved with `golayout save`.
    pub new: PathBuf,
    /// Hide changes smaller than this many bytes.
    #[arg(long, default_value_t = 0)]
    pub threshold: u64,
    /// Show at most this many rows per list in table and Markdown output (0: all).
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
    /// For a fat Mach-O: the slice to read on both sides.
    #[arg(long)]
    pub arch: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `golayout save`.
#[derive(clap::Args)]
pub struct SaveArgs {
    /// The Go binary to read.
    pub binary: PathBuf,
    /// Write here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// For a fat Mach-O: the slice to read.
    #[arg(long)]
    pub arch: Option<String>,
}

/// Loads a binary or a saved layout, printing a one-line error on failure
/// and returning the exit code to use.
pub fn load_or_report(path: &Path, arch: Option<&str>) -> Result<golayout::Layout, i32> {
    let options = golayout::Options { arch: arch.map(String::from), ..Default::default() };
    golayout::diff::load(path, &options).map_err(|err| match err {
        LoadError::Analyze(e) => {
            eprintln!("golayout: {}", exit::message(&path.display().to_string(), &e));
            exit::for_error(&e)
        }
        LoadError::Io { .. } => {
            eprintln!("golayout: {err}");
            exit::USAGE_OR_UNREADABLE
        }
        LoadError::Json { .. } | LoadError::Schema { .. } => {
            eprintln!("golayout: {err}");
            exit::MALFORMED
        }
    })
}

/// Runs `golayout save`; returns the exit code.
pub fn run_save(args: &SaveArgs) -> i32 {
    let layout = match load_or_report(&args.binary, args.arch.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let text = match serde_json::to_string_pretty(&layout) {
        Ok(s) => s + "\n",
        Err(e) => {
            eprintln!("golayout: JSON: {e}");
            return exit::USAGE_OR_UNREADABLE;
        }
    };
    match &args.output {
        None => write_out(&text),
        Some(p) => match std::fs::write(p, text) {
            Ok(()) => exit::OK,
            Err(e) => {
                eprintln!("golayout: {}: {e}", p.display());
                exit::USAGE_OR_UNREADABLE
            }
        },
    }
}

/// Runs `golayout diff`; returns the exit code.
pub fn run(args: &Args) -> i32 {
    let old = match load_or_report(&args.old, args.arch.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let new = match load_or_report(&args.new, args.arch.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let d = golayout::diff(&old, &new, &DiffOptions { threshold: args.threshold });
    for n in &d.notices {
        eprintln!("note: {}", n.message);
    }
    match args.output.format() {
        f @ (OutputFormat::Table | OutputFormat::Markdown) => write_out(&render(&d, f, args.limit)),
        _ => emit(&args.output, &d, &d.variables, || variable_table(&d.variables, false)),
    }
}

/// A signed byte count: `+2.0 MiB`, `-220 B`, `0 B`; exact when `exact`.
fn signed(n: i64, exact: bool) -> String {
    let sign = match n {
        0 => "",
        n if n > 0 => "+",
        _ => "-",
    };
    if exact {
        format!("{sign}{}", n.unsigned_abs())
    } else {
        format!("{sign}{}", bytes(n.unsigned_abs()))
    }
}

fn render(d: &Diff, f: OutputFormat, limit: usize) -> String {
    let md = f == OutputFormat::Markdown;
    let name = |p: &str| {
        let base = Path::new(p).file_name().map_or(p.to_string(), |b| b.to_string_lossy().into_owned());
        if md {
            format!("`{base}`")
        } else {
            base
        }
    };
    let ver = |v: &Option<String>| v.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
    let mut out = String::new();
    if md {
        out.push_str("### golayout diff\n\n");
    }
    out.push_str(&format!(
        "{}{} -> {}{}: file size {} -> {} ({})\n",
        name(&d.old.path),
        ver(&d.old.go_version),
        name(&d.new.path),
        ver(&d.new.go_version),
        d.file_size.old,
        d.file_size.new,
        signed(d.file_size.delta, false)
    ));
    if d.threshold > 0 {
        let h = d.hidden;
        out.push_str(&format!(
            "\nhidden below {} B: {} classes, {} sections, {} packages, {} variables\n",
            d.threshold, h.classes, h.sections, h.packages, h.variables
        ));
    }
    let lists: [(&str, usize, Table); 4] = [
        ("Classes", d.classes.len(), class_table(&d.classes)),
        ("Sections", d.sections.len(), section_table(&d.sections)),
        ("Packages", d.packages.len(), package_table(&d.packages, limit)),
        ("Variables", d.variables.len(), variable_table(&d.variables[..cap(d.variables.len(), limit)], true)),
    ];
    for (title, n, table) in lists {
        out.push('\n');
        out.push_str(&if md { format!("#### {title}\n\n") } else { format!("{title}:\n") });
        if n == 0 {
            out.push_str("no change\n");
            continue;
        }
        out.push_str(&table.render_as(f));
        if title != "Classes" && title != "Sections" && limit > 0 && n > limit {
            out.push_str(&format!("… and {} more\n", n - limit));
        }
    }
    out
}

fn cap(n: usize, limit: usize) -> usize {
    if limit == 0 {
        n
    } else {
        n.min(limit)
    }
}

fn class_table(rows: &[ClassDelta]) -> Table {
    let mut t = Table::new(
        vec!["CLASS", "VM OLD", "VM NEW", "VM DELTA", "FILE DELTA", "PTR DELTA"],
        vec![false, true, true, true, true, true],
    );
    for c in rows {
        t.row(vec![
            c.class.name().to_string(),
            c.vm.old.to_string(),
            c.vm.new.to_string(),
            signed(c.vm.delta, false),
            signed(c.file.delta, false),
            c.ptr_bytes.map_or_else(|| "-".into(), |p| signed(p.delta, false)),
        ]);
    }
    t
}

fn section_table(rows: &[SectionDelta]) -> Table {
    let mut t = Table::new(
        vec!["SECTION", "CHANGE", "VM OLD", "VM NEW", "VM DELTA", "FILE DELTA"],
        vec![false, false, true, true, true, true],
    );
    for s in rows {
        t.row(vec![
            s.name.clone(),
            s.change.name().to_string(),
            s.vm.old.to_string(),
            s.vm.new.to_string(),
            signed(s.vm.delta, false),
            signed(s.file.delta, false),
        ]);
    }
    t
}

fn package_table(rows: &[PackageDelta], limit: usize) -> Table {
    let mut t = Table::new(
        vec!["PACKAGE", "CHANGE", "VM DELTA", "FILE DELTA", "PTR DELTA", "VARS", "BY CLASS"],
        vec![false, false, true, true, true, true, false],
    );
    for p in &rows[..cap(rows.len(), limit)] {
        let by_class: Vec<String> =
            p.classes.iter().map(|c| format!("{} {}", c.class.name(), signed(c.vm.delta, false))).collect();
        t.row(vec![
            p.package.clone(),
            p.change.name().to_string(),
            signed(p.vm.delta, false),
            signed(p.file.delta, false),
            signed(p.ptr_bytes.delta, false),
            format!("{} -> {}", p.vars.old, p.vars.new),
            by_class.join(", "),
        ]);
    }
    t
}

fn variable_table(rows: &[VariableDelta], human: bool) -> Table {
    let mut t = Table::new(
        vec!["NAME", "PACKAGE", "CHANGE", "CLASS", "OLD SIZE", "NEW SIZE", "VM DELTA", "FILE DELTA", "PTR DELTA"],
        vec![false, false, false, false, true, true, true, true, true],
    );
    for v in rows {
        let class = match (&v.old, &v.new) {
            (Some(o), Some(n)) if o.class != n.class => format!("{} -> {}", o.class.name(), n.class.name()),
            (_, Some(s)) | (Some(s), None) => s.class.name().to_string(),
            (None, None) => "-".into(),
        };
        let size = |s: &Option<golayout::diff::VarState>| s.as_ref().map_or_else(|| "-".into(), |s| s.size.to_string());
        t.row(vec![
            v.name.clone(),
            v.package.clone(),
            v.change.name().to_string(),
            class,
            size(&v.old),
            size(&v.new),
            signed(v.vm.delta, !human),
            signed(v.file.delta, !human),
            signed(v.ptr_bytes.delta, !human),
        ]);
    }
    t
}
