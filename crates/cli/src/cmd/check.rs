//! `golayout check BINARY --budget FILE [--baseline OLD]`: hold a build to a
//! budget; exit 1 when a rule is broken.

use std::path::{Path, PathBuf};

use golayout::budget::{evaluate, Amount, Budget, Report, RuleResult, Status};

use super::common::emit;
use super::diff::load_or_report;
use crate::exit;
use crate::fmt::{bytes, OutputArgs, OutputFormat, Table};

/// Arguments of `golayout check`.
#[derive(clap::Args)]
pub struct Args {
    /// The build to check: a Go binary or a layout saved with `golayout save`.
    pub binary: PathBuf,
    /// The budget (TOML; see docs/ci.md).
    #[arg(long)]
    pub budget: PathBuf,
    /// The last release (a binary or a saved layout), for growth rules.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// For a fat Mach-O: the slice to read on both sides.
    #[arg(long)]
    pub arch: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// No per-violation lines on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command; returns 0 when every rule holds, 1 when one is broken.
pub fn run(args: &Args) -> i32 {
    let budget = match std::fs::read_to_string(&args.budget) {
        Ok(text) => match Budget::from_toml(&text) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("golayout: {}: {e}", args.budget.display());
                return exit::USAGE_OR_UNREADABLE;
            }
        },
        Err(e) => {
            eprintln!("golayout: {}: {e}", args.budget.display());
            return exit::USAGE_OR_UNREADABLE;
        }
    };
    let layout = match load_or_report(&args.binary, args.arch.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let baseline = match &args.baseline {
        None => None,
        // An unusable baseline is a setup problem, not a broken rule.
        Some(p) => match load_or_report(p, args.arch.as_deref()) {
            Ok(l) => Some(l),
            Err(_) => return exit::USAGE_OR_UNREADABLE,
        },
    };
    let report = evaluate(&layout, baseline.as_ref(), &budget);
    if !args.quiet {
        for v in report.violations() {
            eprintln!("golayout: budget rule {} broken: {}", v.index, v.message);
        }
    }
    let code = match args.output.format() {
        f @ (OutputFormat::Table | OutputFormat::Markdown) => {
            super::common::write_out(&render(&report, &args.budget, f))
        }
        _ => emit(&args.output, &report, &report.results, || table(&report, false)),
    };
    match code {
        exit::OK if !report.passed => exit::CHECK_FAILED,
        c => c,
    }
}

fn amount(a: &Amount, signed: bool, exact: bool) -> String {
    match a {
        Amount::Bytes(n) => {
            let sign = if signed && *n > 0 {
                "+"
            } else if *n < 0 {
                "-"
            } else {
                ""
            };
            let abs = n.unsigned_abs();
            if exact || abs < 1024 {
                format!("{sign}{abs} B")
            } else {
                format!("{sign}{} ({sign}{abs} B)", bytes(abs))
            }
        }
        Amount::Percent(p) if signed => format!("{p:+.2}%"),
        a => a.to_string(),
    }
}

fn status(r: &RuleResult, md: bool) -> &'static str {
    match (r.status, md) {
        (Status::Pass, false) => "ok",
        (Status::Fail, false) => "BROKEN",
        (Status::Skipped, false) => "skipped",
        (Status::Pass, true) => "✅ ok",
        (Status::Fail, true) => "❌ broken",
        (Status::Skipped, true) => "⚠️ skipped",
    }
}

fn table(report: &Report, md: bool) -> Table {
    let mut t = Table::new(
        vec!["#", "RULE", "CHECK", "SCOPE", "LIMIT", "VALUE", "STATUS"],
        vec![true, false, false, false, true, true, false],
    );
    for r in &report.results {
        let growth = r.kind.starts_with("max_growth");
        t.row(vec![
            r.index.to_string(),
            r.rule.clone(),
            r.kind.clone(),
            r.scope.clone(),
            amount(&r.limit, growth, !md),
            r.value.as_ref().map_or_else(|| "-".into(), |v| amount(v, growth, !md)),
            status(r, md).to_string(),
        ]);
    }
    t
}

fn render(report: &Report, budget: &Path, f: OutputFormat) -> String {
    let md = f == OutputFormat::Markdown;
    let total = report.results.len();
    let verdict = if report.passed {
        format!("all {total} rules hold")
    } else {
        format!("{} of {total} rules broken", report.failed)
    };
    let skipped = if report.skipped > 0 { format!(", {} skipped", report.skipped) } else { String::new() };
    let q = |s: &str| if md { format!("`{s}`") } else { s.to_string() };
    let against = match &report.baseline {
        Some(b) => format!(", baseline {}", q(b)),
        None => String::new(),
    };
    let mut out = String::new();
    if md {
        let icon = if report.passed { "✅" } else { "❌" };
        out.push_str(&format!("### golayout check: {icon} {verdict}{skipped}\n\n"));
        out.push_str(&format!(
            "{} against budget {}{against}\n\n",
            q(&report.binary),
            q(&budget.display().to_string())
        ));
    }
    out.push_str(&table(report, md).render_as(f));
    let notes: Vec<&RuleResult> = report.results.iter().filter(|r| r.status != Status::Pass).collect();
    if !notes.is_empty() {
        out.push('\n');
        for r in notes {
            if md {
                let esc = r.message.replace('\\', "\\\\").replace('*', "\\*").replace('_', "\\_").replace('<', "&lt;");
                out.push_str(&format!("- {esc}\n"));
            } else {
                out.push_str(&format!("{}\n", r.message));
            }
        }
    }
    if !md {
        out.push_str(&format!("\n{}: {verdict}{skipped}\n", report.binary));
    }
    out
}
