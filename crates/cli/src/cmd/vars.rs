//! `golayout vars`: where every package-level variable landed.

use golayout::{Class, Variable};
use serde::Serialize;

use super::common::{emit, print_notices, Input};
use crate::fmt::{OutputArgs, Table};

/// Arguments of `golayout vars`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// Only variables of this package (import path, or a pseudo-package such as `<go:string>`).
    #[arg(long)]
    pub package: Option<String>,
    /// Only this class: data, noptrdata, bss, noptrbss, rodata, other. Default: the four
    /// writable classes.
    #[arg(long)]
    pub class: Option<String>,
    /// Show every class, including rodata and other.
    #[arg(long)]
    pub all: bool,
    /// Only variables of at least this many bytes.
    #[arg(long, default_value_t = 0)]
    pub min_size: u64,
    /// Sort order.
    #[arg(long, value_enum, default_value = "size")]
    pub sort: SortKey,
    /// Show at most this many rows (0: all).
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
    #[command(flatten)]
    pub output: OutputArgs,
    /// No notices on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Sort keys of `vars`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum SortKey {
    /// Largest first.
    Size,
    /// By name.
    Name,
    /// By address.
    Addr,
}

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    path: &'a str,
    go_version: Option<&'a str>,
    variables: &'a [&'a Variable],
    notices: &'a [golayout::Notice],
}

/// Runs the command; returns the exit code.
pub fn run(args: &Args) -> i32 {
    let class = match args.class.as_deref().map(|c| (c, Class::parse(c))) {
        Some((c, None)) => {
            eprintln!("golayout: unknown class {c:?} (data, noptrdata, bss, noptrbss, rodata, other)");
            return crate::exit::USAGE_OR_UNREADABLE;
        }
        Some((_, Some(c))) => Some(c),
        None => None,
    };
    let layout = match super::analyze_or_report(&args.input.binary, &args.input.options()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    print_notices(&layout, args.quiet);
    let mut vars: Vec<&Variable> = layout
        .variables
        .iter()
        .filter(|v| match class {
            Some(c) => v.class == c,
            None => args.all || matches!(v.class, Class::Data | Class::Noptrdata | Class::Bss | Class::Noptrbss),
        })
        .filter(|v| args.package.as_ref().is_none_or(|p| &v.package == p))
        .filter(|v| v.size >= args.min_size)
        .collect();
    match args.sort {
        SortKey::Size => vars.sort_by(|a, b| b.size.cmp(&a.size).then(a.name.cmp(&b.name))),
        SortKey::Name => vars.sort_by(|a, b| a.name.cmp(&b.name)),
        SortKey::Addr => vars.sort_by_key(|v| v.address),
    }
    if args.limit > 0 {
        vars.truncate(args.limit);
    }
    let doc = Doc {
        schema_version: golayout::SCHEMA_VERSION,
        path: &layout.binary.path,
        go_version: layout.go.version.as_deref(),
        variables: &vars,
        notices: &layout.notices,
    };
    emit(&args.output, &doc, &vars, || table(&vars))
}

fn table(vars: &[&Variable]) -> Table {
    let mut t = Table::new(
        vec!["NAME", "PACKAGE", "CLASS", "SECTION", "ADDRESS", "SIZE", "FILE", "PTRS", "TYPE", "SIZE FROM"],
        vec![false, false, false, false, true, true, true, true, false, false],
    );
    for v in vars {
        t.row(vec![
            v.name.clone(),
            v.package.clone(),
            v.class.name().to_string(),
            v.section.clone(),
            format!("{:#x}", v.address),
            v.size.to_string(),
            v.file_bytes.to_string(),
            v.ptr_words.map_or_else(|| "-".into(), |p| p.to_string()),
            v.type_name.clone().unwrap_or_else(|| "-".into()),
            format!("{:?}", v.size_source).to_lowercase(),
        ]);
    }
    t
}
