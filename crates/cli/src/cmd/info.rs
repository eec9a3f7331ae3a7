//! `golayout info`: a readable summary of one binary.

use std::fmt::Write;

use golayout::image::Format;
use golayout::Layout;

use super::common::{print_notices, write_out, Input};
use crate::fmt::{bytes, OutputArgs, OutputFormat, Table};

/// Arguments of `golayout info`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// `json`: the whole layout (schema/golayout.schema.json); `ndjson`: the
    /// same on one line; `csv`/`markdown`: the section map; `table`: the summary.
    #[command(flatten)]
    pub output: OutputArgs,
    /// No notices on stderr (the table format shows them in the summary).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command; returns the exit code.
pub fn run(args: &Args) -> i32 {
    crate::progress::set_quiet(args.quiet);
    let options = golayout::Options { skip_variables: true, ..args.input.options() };
    let layout = match super::analyze_or_report(&args.input.binary, &options) {
        Ok(l) => l,
        Err(code) => return code,
    };
    match args.output.format() {
        OutputFormat::Json => super::print_json(&layout),
        OutputFormat::Ndjson => match serde_json::to_string(&layout) {
            Ok(line) => write_out(&(line + "\n")),
            Err(e) => {
                eprintln!("golayout: JSON: {e}");
                crate::exit::USAGE_OR_UNREADABLE
            }
        },
        OutputFormat::Table => write_out(&render(&layout)),
        f => {
            print_notices(&layout, args.quiet);
            write_out(&section_table(&layout).render_as(f))
        }
    }
}

/// Renders the summary as text.
pub fn render(l: &Layout) -> String {
    let b = &l.binary;
    let mut out = String::new();
    let order = match b.byte_order {
        golayout::image::ByteOrder::Little => "little-endian",
        golayout::image::ByteOrder::Big => "big-endian",
    };
    let _ = writeln!(out, "file      {} ({})", b.path, bytes(b.file_size));
    let _ = writeln!(
        out,
        "format    {} {}-bit {} {}, entry {:#x}{}",
        b.format.name(),
        u32::from(b.ptr_size) * 8,
        order,
        b.arch,
        b.entry,
        b.image_base.map(|ib| format!(", image base {ib:#x}")).unwrap_or_default()
    );
    if !b.fat_slices.is_empty() {
        let slices: Vec<&str> = b.fat_slices.iter().map(|s| s.arch.as_str()).collect();
        let _ =
            writeln!(out, "slices    {} (showing {})", slices.join(", "), b.selected_slice.as_deref().unwrap_or("?"));
    }
    let source = match l.go.version_source {
        Some(golayout::VersionSource::Buildinfo) => "build info",
        Some(golayout::VersionSource::RuntimeBuildVersion) => "runtime.buildVersion",
        Some(golayout::VersionSource::DataScan) => "runtime.buildVersion found by a data scan",
        None => "not found",
    };
    let _ = writeln!(out, "go        {} (from {source})", l.go.version.as_deref().unwrap_or("unknown"));
    if let Some(bi) = &l.go.build_info {
        if !bi.path.is_empty() {
            let _ = writeln!(out, "path      {}", bi.path);
        }
        if let Some(m) = &bi.main {
            let _ = writeln!(out, "module    {} {}", m.path, m.version);
        }
        let _ = writeln!(out, "deps      {}", bi.deps.len());
        for d in &bi.deps {
            let repl = d.replace.as_ref().map(|r| format!(" => {} {}", r.path, r.version)).unwrap_or_default();
            let _ = writeln!(out, "          {} {}{repl}", d.path, d.version);
        }
        if !bi.settings.is_empty() {
            let _ = writeln!(out, "settings");
            for s in &bi.settings {
                let _ = writeln!(out, "          {}={}", s.key, s.value);
            }
        }
    }
    let _ = writeln!(out, "symbols   {}, DWARF {}", yes(b.has_symbols), yes(b.has_dwarf));
    out.push('\n');
    out.push_str(&section_table(l).render());
    for n in &l.notices {
        let _ = writeln!(out, "note: {}", n.message);
    }
    out
}

/// The section map: every allocated section or one with file bytes.
fn section_table(l: &Layout) -> Table {
    let mut t = Table::new(
        vec!["SECTION", "ROLE", "ADDRESS", "VM SIZE", "FILE SIZE", "SEGMENT", "PERMS"],
        vec![false, false, true, true, true, false, false],
    );
    for s in l.sections.iter().filter(|s| s.flags.alloc || s.file_size > 0) {
        let name = match (&s.segment_name, l.binary.format) {
            (Some(seg), Format::MachO) => format!("{seg},{}", s.name),
            _ => s.name.clone(),
        };
        let seg = s.segment.map(|i| segment_label(l, i)).unwrap_or_else(|| "-".into());
        t.row(vec![
            name,
            s.role.name().to_string(),
            format!("{:#x}", s.address),
            s.vm_size.to_string(),
            s.file_size.to_string(),
            seg,
            s.perms.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
        ]);
    }
    t
}

fn segment_label(l: &Layout, i: usize) -> String {
    match &l.segments[i].name {
        Some(n) => n.clone(),
        None => format!("LOAD#{i}"),
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}
