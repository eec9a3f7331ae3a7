//! The public entry points: analyze a path or a byte slice.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use golayout_image::{Image, MappedFile};
use golayout_runtime::buildinfo::{self, BuildInfoError};
use golayout_runtime::roles::Role;

use crate::model::*;
use crate::{Error, Result};

/// What to analyze and how.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Slice of a fat Mach-O to read (`amd64`, `arm64`); default: the host's
    /// architecture if present, else the first slice.
    pub arch: Option<String>,
    /// Skip the variable list, DWARF and totals (sections and runtime only).
    pub skip_variables: bool,
    /// Include the function list in [`Layout::functions`].
    pub with_functions: bool,
    /// Read no DWARF where it would only add type names: on ELF, sizes come
    /// from the symbol table, so variables just lose `type_name` and the
    /// `dwarf` source (per-package and per-class totals are unchanged, and a
    /// broken DWARF gives no `bad_dwarf` notice). For commands that print
    /// no types (`packages`, `scan`); Mach-O and PE still read DWARF sizes.
    pub skip_types: bool,
}

/// Analyzes the Go binary at `path`.
///
/// The file is memory-mapped, never read whole. Errors name the path.
pub fn analyze(path: &Path, options: &Options) -> Result<Layout> {
    let file = MappedFile::open(path)?;
    analyze_bytes(file.bytes(), &path.display().to_string(), options)
}

/// Analyzes a binary already in memory; `path` is only used in the report.
pub fn analyze_bytes(bytes: &[u8], path: &str, options: &Options) -> Result<Layout> {
    let image = Image::parse(bytes, options.arch.as_deref())?;
    analyze_image(&image, path, options)
}

/// Analyzes a parsed image.
pub fn analyze_image(image: &Image<'_>, path: &str, options: &Options) -> Result<Layout> {
    let mut notices = Vec::new();
    let (mut go, mut is_go) = go_info(image, &mut notices);
    let version = go.version.as_deref().and_then(golayout_runtime::GoVersion::parse);
    let rt = crate::runtime::read(image, version, &mut notices);
    is_go |= rt.is_some();
    let md = rt.as_ref().and_then(|r| r.moduledata.as_ref());
    if go.version.is_none() {
        let ranges: Vec<std::ops::Range<u64>> = match md {
            Some(md) => std::iter::once(md.data..md.edata).collect(),
            None => image
                .sections()
                .iter()
                .filter(|s| s.flags.write && s.file_size > 0)
                .map(|s| s.address..s.end())
                .collect(),
        };
        if let Some(found) = golayout_runtime::buildversion::find(image, &ranges) {
            go.version = Some(found.version);
            go.version_source = Some(VersionSource::DataScan);
        }
    }
    if let Some(packer) = image.packer() {
        if !is_go {
            return Err(Error::Packed(packer));
        }
        notices.push(Notice::new("packed", format!("{packer} marks found, yet the Go tables are readable")));
    }
    if let Some(claimed) = image.truncated_at() {
        let detail = format!("truncated: its headers describe {claimed} bytes, the file has {}", image.data().len());
        if !is_go {
            // A cut-short Go binary is malformed, not "not Go".
            return Err(Error::Image(golayout_image::Error::Malformed { format: image.format().name(), detail }));
        }
        notices.push(Notice::new("truncated", detail));
    }
    if !is_go {
        return Err(Error::NotGo);
    }
    let segments: Vec<SegmentInfo> = image
        .segments()
        .iter()
        .map(|s| SegmentInfo {
            name: s.name.map(str::to_string),
            address: s.address,
            vm_size: s.vm_size,
            file_offset: s.file_offset,
            file_size: s.file_size,
            perms: s.perms,
        })
        .collect();
    let sections = image
        .sections()
        .iter()
        .map(|s| {
            let seg = (s.flags.alloc && s.vm_size > 0)
                .then(|| image.segments().iter().position(|g| g.contains(s.address)))
                .flatten();
            SectionInfo {
                name: s.name.to_string(),
                segment_name: s.segment_name.map(str::to_string),
                role: Role::of(image.format(), s),
                address: s.address,
                vm_size: s.vm_size,
                file_offset: s.file_offset,
                file_size: s.file_size,
                flags: s.flags,
                segment: seg,
                perms: seg.map(|i| image.segments()[i].perms),
            }
        })
        .collect::<Vec<_>>();
    let has_dwarf = crate::dwarf::has_dwarf(image);
    let has_symbols = image.has_symbols();
    let binary = BinaryInfo {
        path: path.to_string(),
        file_size: image.file_size(),
        format: image.format(),
        arch: image.arch().to_string(),
        ptr_size: image.ptr_size(),
        byte_order: image.byte_order(),
        entry: image.entry(),
        image_base: (image.format() == golayout_image::Format::Pe).then(|| image.image_base()),
        fat_slices: image.fat_slices().to_vec(),
        selected_slice: image.selected_slice().map(|i| image.fat_slices()[i].arch.clone()),
        has_symbols,
        has_dwarf,
    };
    let pclntab_addr = rt.as_ref().map(|r| r.located.address());
    let regions = crate::regions::Regions::find(image, md, pclntab_addr);
    let old_prefixes = rt.as_ref().is_some_and(|r| r.located.table.version().old_generated_prefixes());
    // The function walk and the variables (DWARF, symbols, GC bitmaps) need
    // nothing from each other: on a big binary they run side by side (in
    // `scan`, inside its pool, without extra threads; see dwarf::parallel).
    // `info` needs neither.
    let need_walk = options.with_functions || !options.skip_variables;
    let walk = || {
        if need_walk {
            walk_functions(rt.as_ref(), old_prefixes, options.with_functions)
        } else {
            Default::default()
        }
    };
    let vars = || {
        if options.skip_variables {
            (Vec::new(), Vec::new())
        } else {
            let dwarf = !(options.skip_types && image.format() == golayout_image::Format::Elf);
            variables(image, regions.as_ref(), md, has_symbols, old_prefixes, dwarf)
        }
    };
    let ((text, spans, functions), (variables, var_notices)) =
        if crate::dwarf::parallel(image) { rayon::join(walk, vars) } else { (walk(), vars()) };
    notices.extend(var_notices);
    let section_totals = if options.skip_variables {
        Vec::new()
    } else {
        crate::totals::sections(image, regions.as_ref(), &variables, &spans)
    };
    let packages = if options.skip_variables { Vec::new() } else { crate::totals::packages(&variables, &text) };
    Ok(Layout {
        schema_version: SCHEMA_VERSION,
        binary,
        go,
        sections,
        segments,
        runtime: rt.as_ref().map(|r| r.info(image)),
        regions: regions.map(|r| r.summary(image, md)).unwrap_or_default(),
        variables,
        packages,
        section_totals,
        functions,
        notices,
    })
}

/// Per-package text, the functions' spans and (if asked) the function list.
type Walk<'data> = (HashMap<Cow<'data, str>, (u64, u64)>, Vec<(u64, u64, &'data str)>, Vec<Function>);

/// One pass over the function table: per-package text, spans, list.
/// Package names borrow from the pclntab; consecutive functions mostly share
/// a package, so counts are summed locally and stored on a change.
fn walk_functions<'data>(
    rt: Option<&crate::runtime::Runtime<'data>>,
    old_prefixes: bool,
    with_functions: bool,
) -> Walk<'data> {
    let mut text: HashMap<Cow<'data, str>, (u64, u64)> = HashMap::new();
    let mut spans: Vec<(u64, u64, &'data str)> = Vec::new();
    let mut functions = Vec::new();
    let Some(r) = rt else { return (text, spans, functions) };
    spans.reserve(usize::try_from(r.located.table.nfunc()).unwrap_or(0).min(1 << 22));
    let mut run: Option<(Cow<'data, str>, u64, u64)> = None;
    for f in r.located.table.funcs() {
        let (pkg, _) = crate::vars::package_ref(f.name, old_prefixes);
        if with_functions {
            let file = r.located.table.entry_file(&f).map(str::to_string);
            functions.push(Function {
                name: f.name.to_string(),
                package: pkg.clone().into_owned(),
                entry: f.entry,
                end: f.end,
                file,
            });
        }
        let len = f.end.saturating_sub(f.entry);
        match &mut run {
            Some((p, count, bytes)) if *p == pkg => {
                *count += 1;
                *bytes = bytes.saturating_add(len);
            }
            _ => {
                if let Some((p, count, bytes)) = run.replace((pkg, 1, len)) {
                    add_text(&mut text, p, count, bytes);
                }
            }
        }
        spans.push((f.entry, f.end, f.name));
    }
    if let Some((p, count, bytes)) = run {
        add_text(&mut text, p, count, bytes);
    }
    (text, spans, functions)
}

/// The variables (symbols + DWARF + GC bitmaps) and the notices about them.
fn variables(
    image: &Image<'_>,
    regions: Option<&crate::regions::Regions>,
    md: Option<&golayout_runtime::moduledata::ModuleData>,
    has_symbols: bool,
    old_prefixes: bool,
    read_dwarf: bool,
) -> (Vec<Variable>, Vec<Notice>) {
    let mut notices = Vec::new();
    let mut variables = Vec::new();
    let dwarf = match if read_dwarf { crate::dwarf::read_vars(image) } else { Ok(None) } {
        Ok(d) => d,
        Err(e) => {
            notices.push(Notice::new("bad_dwarf", format!("DWARF unreadable: {e}")));
            None
        }
    };
    match regions {
        Some(r) if has_symbols => {
            variables = crate::vars::collect(image, r, md, dwarf.as_ref(), old_prefixes);
        }
        Some(_) => notices.push(Notice::new(
            "stripped",
            "no symbol table: variables cannot be listed; per-class totals come from moduledata, \
             per-package text from the pclntab, pointer words from the GC bitmaps",
        )),
        None => notices.push(Notice::new("no_regions", "no moduledata and no boundary symbols: classes unknown")),
    }
    if variables.iter().any(|v| v.size_source == FactSource::Estimate) {
        notices.push(Notice::new(
            "estimated_sizes",
            "some sizes are estimated (gap to the next symbol): the container records none and DWARF has none",
        ));
    }
    (variables, notices)
}

/// Adds a run of `count` functions of `bytes` text to package `pkg`.
fn add_text<'a>(text: &mut HashMap<Cow<'a, str>, (u64, u64)>, pkg: Cow<'a, str>, count: u64, bytes: u64) {
    let e = text.entry(pkg).or_default();
    e.0 += count;
    e.1 = e.1.saturating_add(bytes);
}

/// Reads the Go version and build info; says whether the binary looks like Go.
fn go_info(image: &Image<'_>, notices: &mut Vec<Notice>) -> (GoInfo, bool) {
    match buildinfo::locate(image) {
        Ok(bi) => {
            let version = Some(bi.go_version.clone());
            let info = GoInfo { version, version_source: Some(VersionSource::Buildinfo), build_info: Some(bi) };
            (info, true)
        }
        Err(err) => {
            if let BuildInfoError::Malformed { .. } = err {
                notices.push(Notice::new("bad_buildinfo", err.to_string()));
            } else {
                notices.push(Notice::new(
                    "no_buildinfo",
                    "no build info blob; Go version taken from runtime.buildVersion if present",
                ));
            }
            let version = build_version_symbol(image);
            let is_go = version.is_some() || looks_like_go(image);
            let info = GoInfo {
                version_source: version.as_ref().map(|_| VersionSource::RuntimeBuildVersion),
                version,
                build_info: None,
            };
            (info, is_go)
        }
    }
}

/// Reads the `runtime.buildVersion` string through its symbol.
fn build_version_symbol(image: &Image<'_>) -> Option<String> {
    let [sym] = image.find_symbols(["runtime.buildVersion"]);
    let bytes = buildinfo::read_go_string(image, sym?.address, image.ptr_size(), image.byte_order())?;
    let s = String::from_utf8(bytes).ok()?;
    s.starts_with("go").then_some(s)
}

/// Cheap evidence of Go without build info: a pclntab section.
fn looks_like_go(image: &Image<'_>) -> bool {
    image.sections().iter().any(|s| Role::of(image.format(), s) == Role::Gopclntab)
}
