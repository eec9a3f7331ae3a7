//! `golayout runtime` and `golayout funcs`: the Go runtime's own tables.

use golayout::Function;
use serde::Serialize;

use super::common::{emit, print_notices, write_out, Input};
use crate::fmt::{OutputArgs, OutputFormat, Table};

/// Arguments of `golayout runtime`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
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
    runtime: Option<&'a golayout::RuntimeInfo>,
    regions: &'a [golayout::Region],
    packages: Vec<TextTotal<'a>>,
    notices: &'a [golayout::Notice],
}

/// Function text of one package.
#[derive(Serialize)]
struct TextTotal<'a> {
    package: &'a str,
    funcs: u64,
    text_bytes: u64,
}

/// Runs `golayout runtime`.
pub fn run(args: &Args) -> i32 {
    let mut options = args.input.options();
    options.skip_variables = false;
    let layout = match super::analyze_or_report(&args.input.binary, &options) {
        Ok(l) => l,
        Err(code) => return code,
    };
    print_notices(&layout, args.quiet);
    let mut packages: Vec<TextTotal<'_>> = layout
        .packages
        .iter()
        .filter(|p| p.funcs > 0)
        .map(|p| TextTotal { package: &p.package, funcs: p.funcs, text_bytes: p.text_bytes })
        .collect();
    packages.sort_by(|a, b| b.text_bytes.cmp(&a.text_bytes).then(a.package.cmp(b.package)));
    let doc = Doc {
        schema_version: golayout::SCHEMA_VERSION,
        path: &layout.binary.path,
        go_version: layout.go.version.as_deref(),
        runtime: layout.runtime.as_ref(),
        regions: &layout.regions,
        packages,
        notices: &layout.notices,
    };
    if matches!(args.output.format(), OutputFormat::Json | OutputFormat::Ndjson) {
        return emit(&args.output, &doc, std::slice::from_ref(&doc), Table::default);
    }
    let Some(rt) = &layout.runtime else {
        eprintln!("golayout: {}: no pclntab found", layout.binary.path);
        return crate::exit::NOT_GO;
    };
    let mut t = Table::new(vec!["WHAT", "ADDRESS", "FOUND BY", "DETAIL"], vec![false, true, false, false]);
    let p = &rt.pclntab;
    t.row(vec![
        "pclntab".into(),
        format!("{:#x}", p.address),
        format!("{:?}", p.found_by).to_lowercase(),
        format!(
            "magic {:#x} ({}), {} funcs, ptr {} minLC {}{}",
            p.magic,
            p.format,
            p.nfunc,
            p.ptr_size,
            p.min_lc,
            p.section.as_ref().map(|s| format!(", section {s}")).unwrap_or_default()
        ),
    ]);
    if let Some(md) = &rt.moduledata {
        t.row(vec![
            "moduledata".into(),
            format!("{:#x}", md.address),
            format!("{:?}", md.found_by).to_lowercase(),
            format!("layout {}", md.layout),
        ]);
        for b in &md.bounds {
            t.row(vec![format!("  .{}", b.name), format!("{:#x}", b.address), "moduledata".into(), String::new()]);
        }
    }
    for s in &rt.symbols {
        t.row(vec![
            s.name.clone(),
            format!("{:#x}", s.address),
            format!("{:?}", s.found_by).to_lowercase(),
            String::new(),
        ]);
    }
    let mut text = t.render_as(args.output.format());
    if args.output.format() == OutputFormat::Table {
        let mut pt = Table::new(vec!["PACKAGE", "FUNCS", "TEXT BYTES"], vec![false, true, true]);
        for p in &doc.packages {
            pt.row(vec![p.package.to_string(), p.funcs.to_string(), p.text_bytes.to_string()]);
        }
        text.push('\n');
        text.push_str(&pt.render());
    }
    write_out(&text)
}

/// Arguments of `golayout funcs`.
#[derive(clap::Args)]
pub struct FuncsArgs {
    #[command(flatten)]
    pub input: Input,
    /// Only functions of this package.
    #[arg(long)]
    pub package: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// No notices on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Serialize)]
struct FuncsDoc<'a> {
    schema_version: u32,
    path: &'a str,
    functions: Vec<&'a Function>,
}

/// Runs `golayout funcs`.
pub fn run_funcs(args: &FuncsArgs) -> i32 {
    let mut options = args.input.options();
    options.skip_variables = true;
    options.with_functions = true;
    let layout = match super::analyze_or_report(&args.input.binary, &options) {
        Ok(l) => l,
        Err(code) => return code,
    };
    print_notices(&layout, args.quiet);
    let functions: Vec<&Function> =
        layout.functions.iter().filter(|f| args.package.as_ref().is_none_or(|p| &f.package == p)).collect();
    let doc = FuncsDoc { schema_version: golayout::SCHEMA_VERSION, path: &layout.binary.path, functions };
    emit(&args.output, &doc, &doc.functions, || {
        let mut t = Table::new(
            vec!["NAME", "PACKAGE", "ENTRY", "END", "SIZE", "FILE"],
            vec![false, false, true, true, true, false],
        );
        for f in &doc.functions {
            t.row(vec![
                f.name.clone(),
                f.package.clone(),
                format!("{:#x}", f.entry),
                format!("{:#x}", f.end),
                f.end.saturating_sub(f.entry).to_string(),
                f.file.clone().unwrap_or_else(|| "-".into()),
            ]);
        }
        t
    })
}
