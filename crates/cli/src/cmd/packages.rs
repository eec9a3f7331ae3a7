//! `golayout packages`: bytes per package and class.

use golayout::PackageTotal;
use serde::Serialize;

use super::common::{emit, print_notices, Input};
use crate::fmt::{OutputArgs, Table};

/// Arguments of `golayout packages`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// Show at most this many packages (0: all).
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
    #[command(flatten)]
    pub output: OutputArgs,
    /// No notices on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    path: &'a str,
    go_version: Option<&'a str>,
    regions: &'a [golayout::Region],
    packages: &'a [PackageTotal],
    notices: &'a [golayout::Notice],
}

/// Runs the command; returns the exit code.
pub fn run(args: &Args) -> i32 {
    // Package totals need no DWARF type names.
    let options = golayout::Options { skip_types: true, ..args.input.options() };
    let layout = match super::analyze_or_report(&args.input.binary, &options) {
        Ok(l) => l,
        Err(code) => return code,
    };
    print_notices(&layout, args.quiet);
    let n = if args.limit == 0 { layout.packages.len() } else { args.limit.min(layout.packages.len()) };
    let pkgs = &layout.packages[..n];
    let doc = Doc {
        schema_version: golayout::SCHEMA_VERSION,
        path: &layout.binary.path,
        go_version: layout.go.version.as_deref(),
        regions: &layout.regions,
        packages: pkgs,
        notices: &layout.notices,
    };
    let code = emit(&args.output, &doc, pkgs, || {
        let mut t = Table::new(
            vec![
                "PACKAGE",
                "VARS",
                "NOPTRDATA",
                "DATA",
                "BSS",
                "NOPTRBSS",
                "RODATA",
                "FILE",
                "PTR WORDS",
                "TEXT",
                "FUNCS",
            ],
            vec![false, true, true, true, true, true, true, true, true, true, true],
        );
        for p in pkgs {
            t.row(vec![
                p.package.clone(),
                p.vars.to_string(),
                p.bytes.noptrdata.to_string(),
                p.bytes.data.to_string(),
                p.bytes.bss.to_string(),
                p.bytes.noptrbss.to_string(),
                p.bytes.rodata.to_string(),
                p.file_bytes.to_string(),
                p.ptr_words.to_string(),
                p.text_bytes.to_string(),
                p.funcs.to_string(),
            ]);
        }
        t
    });
    if code == crate::exit::OK && args.output.format() == crate::fmt::OutputFormat::Table && !layout.regions.is_empty()
    {
        let mut t = Table::new(
            vec!["REGION", "START", "END", "VM BYTES", "FILE BYTES", "PTR WORDS", "FROM"],
            vec![false, true, true, true, true, true, false],
        );
        for r in &layout.regions {
            t.row(vec![
                r.class.name().to_string(),
                format!("{:#x}", r.start),
                format!("{:#x}", r.end),
                r.vm_bytes.to_string(),
                r.file_bytes.to_string(),
                r.ptr_words.map_or_else(|| "-".into(), |p| p.to_string()),
                format!("{:?}", r.source).to_lowercase(),
            ]);
        }
        return super::common::write_out(&format!("\n{}", t.render()));
    }
    code
}
