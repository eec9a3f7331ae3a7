//! `golayout info`: a readable summary of one binary.

use std::fmt::Write;
use std::path::PathBuf;

use golayout::image::Format;
use golayout::Layout;

use crate::fmt::{bytes, Table};

/// Arguments of `golayout info`.
#[derive(clap::Args)]
pub struct Args {
    /// The Go binary to read.
    pub binary: PathBuf,
    /// Print JSON (the documented schema) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// For a fat Mach-O: the slice to read (amd64, arm64...).
    #[arg(long)]
    pub arch: Option<String>,
}

/// Runs the command; returns the exit code.
pub fn run(args: &Args) -> i32 {
    let options = golayout::Options { arch: args.arch.clone(), skip_variables: true, ..Default::default() };
    let layout = match super::analyze_or_report(&args.binary, &options) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if args.json {
        return super::print_json(&layout);
    }
    print!("{}", render(&layout));
    crate::exit::OK
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
    let mut t = Table::new(
        vec!["SECTION", "ROLE", "ADDRESS", "VM SIZE", "FILE SIZE", "SEGMENT", "PERMS"],
        vec![false, false, true, true, true, false, false],
    );
    for s in l.sections.iter().filter(|s| s.flags.alloc || s.file_size > 0) {
        let name = match (&s.segment_name, b.format) {
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
    out.push_str(&t.render());
    for n in &l.notices {
        let _ = writeln!(out, "note: {}", n.message);
    }
    out
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
