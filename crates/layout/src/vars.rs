//! Package-level variables: symbol table + DWARF + moduledata, merged.

use std::borrow::Cow;
use std::collections::HashMap;

use golayout_image::{Format, Image, Symbol};
use golayout_runtime::moduledata::ModuleData;
use golayout_runtime::names::{package_of, GeneratedKind, PackageOf};

use crate::dwarf::DwarfVars;
use crate::model::{Class, FactSource, PackageKind, Variable};
use crate::regions::{Regions, BOUNDARY_SYMBOLS};

/// How many pointer-word indices a variable lists at most.
const MAX_PTR_INDICES: usize = 64;

/// The package a name belongs to, with pseudo-packages for generated names.
pub(crate) fn package(name: &str, old_prefixes: bool) -> (String, PackageKind) {
    let (p, kind) = package_ref(name, old_prefixes);
    (p.into_owned(), kind)
}

/// [`package`] without a copy: borrows from `name` unless percent-decoding
/// changed it.
pub(crate) fn package_ref(name: &str, old_prefixes: bool) -> (Cow<'_, str>, PackageKind) {
    match package_of(name, old_prefixes) {
        PackageOf::Package { path, .. } => (path, PackageKind::Go),
        PackageOf::Generated { kind, .. } => {
            let p = match kind {
                GeneratedKind::String => "<go:string>",
                GeneratedKind::Func => "<go:func>",
                GeneratedKind::Itab => "<go:itab>",
                GeneratedKind::Type => "<type>",
                GeneratedKind::Build => "<go:build>",
                GeneratedKind::Other => "<generated>",
            };
            (Cow::Borrowed(p), PackageKind::Generated)
        }
        PackageOf::RuntimeMetadata => (Cow::Borrowed("<runtime-metadata>"), PackageKind::RuntimeMetadata),
        PackageOf::Unknown => (Cow::Borrowed("<unknown>"), PackageKind::Unknown),
    }
}

/// Builds the variable list from every data symbol of the image.
pub(crate) fn collect(
    image: &Image<'_>,
    regions: &Regions,
    md: Option<&ModuleData>,
    dwarf: Option<&DwarfVars>,
    old_prefixes: bool,
) -> Vec<Variable> {
    // Section index → whether it holds data (a table, not a list search).
    let mut is_data = Vec::new();
    for s in image.sections().iter().filter(|s| s.flags.alloc && !s.flags.exec && s.vm_size > 0 && s.address != 0) {
        if is_data.len() <= s.index {
            is_data.resize(s.index + 1, false);
        }
        is_data[s.index] = true;
    }
    // Room for every symbol up front: pages never written cost nothing,
    // while growing by doubling copies the list.
    let mut syms: Vec<Symbol<'_>> = Vec::with_capacity(image.symbol_table().len());
    syms.extend(
        image
            .symbols()
            .filter(|s| s.section.is_some_and(|i| is_data.get(i).copied().unwrap_or(false)))
            .filter(|s| !(BOUNDARY_SYMBOLS.contains(&s.name) && s.size.unwrap_or(0) == 0)),
    );
    syms.sort_by(|a, b| a.address.cmp(&b.address).then(a.name.cmp(b.name)));
    let by_dwarf: HashMap<(&str, u64), &crate::dwarf::DwarfVar> =
        dwarf.map(|d| d.vars.iter().map(|v| ((v.name.as_str(), v.address), v)).collect()).unwrap_or_default();
    let p = u64::from(image.ptr_size());
    let sections = Sections::new(image);
    let perms: Vec<String> = image.segments().iter().map(|g| g.perms.to_string()).collect();
    let mut out = Vec::with_capacity(syms.len());
    for (i, s) in syms.iter().enumerate() {
        let class = regions.class_of(s.address);
        let dv = by_dwarf.get(&(s.name, s.address)).copied();
        let mut sources = Vec::with_capacity(4);
        sources.push(FactSource::Symtab);
        let (size, size_source) = match (s.size, dv.and_then(|d| d.size)) {
            (Some(n), _) => (n, FactSource::Symtab),
            (None, Some(n)) => (n, FactSource::Dwarf),
            (None, None) => (estimate(image, regions, class, &syms, i), FactSource::Estimate),
        };
        if dv.is_some() {
            sources.push(FactSource::Dwarf);
        }
        if regions.source == FactSource::Moduledata {
            sources.push(FactSource::Moduledata);
        }
        let section = sections
            .containing(image, s.address)
            .or_else(|| image.sections().iter().position(|x| Some(x.index) == s.section));
        let segment = image.segments().iter().position(|g| g.contains(s.address));
        let (ptr_words, ptr_word_indices) = pointer_words(md, class, s.address, size, p);
        if ptr_words.is_some_and(|_| matches!(class, Class::Data | Class::Bss)) {
            sources.push(FactSource::Gcbitmap);
        }
        let (package, package_kind) = package(s.name, old_prefixes);
        let file_bytes = if class.is_zero_fill() || section.is_some_and(|x| image.sections()[x].flags.nobits) {
            0
        } else {
            crate::regions::file_bytes(image, s.address..s.address.saturating_add(size))
        };
        out.push(Variable {
            name: s.name.to_string(),
            package,
            package_kind,
            address: s.address,
            size,
            size_source,
            vm_bytes: size,
            file_bytes,
            class,
            section: section.map_or_else(|| "?".to_string(), |x| sections.labels[x].clone()),
            segment,
            perms: segment.map(|i| perms[i].clone()),
            ptr_words,
            ptr_word_indices,
            type_name: dv.and_then(|d| d.type_name.clone()),
            sources,
        });
    }
    out
}

/// Which section holds an address, answered without a scan of all sections
/// when allocated sections do not overlap (the usual case).
struct Sections {
    /// Positions in `image.sections()` of allocated, non-empty sections,
    /// sorted by address.
    by_address: Vec<usize>,
    /// Whether two of them overlap (ELF `.tbss`): then the container-order
    /// scan of [`Image::section_containing`] decides.
    overlapping: bool,
    /// The label of every section, by position.
    labels: Vec<String>,
}

impl Sections {
    fn new(image: &Image<'_>) -> Sections {
        let all = image.sections();
        let mut by_address: Vec<usize> = (0..all.len()).filter(|&i| all[i].flags.alloc && all[i].vm_size > 0).collect();
        by_address.sort_by_key(|&i| (all[i].address, all[i].end()));
        let overlapping = by_address.windows(2).any(|w| all[w[0]].end() > all[w[1]].address);
        let labels = all.iter().map(|s| section_label(image, s)).collect();
        Sections { by_address, overlapping, labels }
    }

    /// Position of the section [`Image::section_containing`] returns.
    fn containing(&self, image: &Image<'_>, address: u64) -> Option<usize> {
        let all = image.sections();
        if self.overlapping {
            let s = image.section_containing(address)?;
            return all.iter().position(|x| std::ptr::eq(x, s));
        }
        let n = self.by_address.partition_point(|&i| all[i].address <= address);
        let i = *self.by_address.get(n.checked_sub(1)?)?;
        all[i].contains(address).then_some(i)
    }
}

/// `__DATA,__bss` for Mach-O, the plain name elsewhere.
pub(crate) fn section_label(image: &Image<'_>, s: &golayout_image::Section<'_>) -> String {
    match (image.format(), s.segment_name) {
        (Format::MachO, Some(seg)) => format!("{seg},{}", s.name),
        _ => s.name.to_string(),
    }
}

/// Gap to the next symbol at a higher address, clipped at the end of the
/// class region and of the section.
fn estimate(image: &Image<'_>, regions: &Regions, class: Class, syms: &[Symbol<'_>], i: usize) -> u64 {
    let a = syms[i].address;
    let next = syms[i + 1..].iter().map(|s| s.address).find(|&n| n > a).unwrap_or(u64::MAX);
    let region_end = regions.range(class).map_or(u64::MAX, |r| r.end);
    let section_end = image.section_containing(a).map_or(u64::MAX, |s| s.end());
    let end = next.min(region_end).min(section_end);
    if end == u64::MAX {
        0
    } else {
        end.saturating_sub(a)
    }
}

/// Pointer words of `[address, address+size)` from the GC bitmaps.
fn pointer_words(md: Option<&ModuleData>, class: Class, address: u64, size: u64, p: u64) -> (Option<u64>, Vec<u64>) {
    let (mask, base) = match (class, md) {
        (Class::Noptrdata | Class::Noptrbss, _) => return (Some(0), Vec::new()),
        (Class::Data, Some(md)) => (&md.data_mask, md.data),
        (Class::Bss, Some(md)) => (&md.bss_mask, md.bss),
        _ => return (None, Vec::new()),
    };
    let first = (address.saturating_sub(base)) / p;
    let last = (address.saturating_add(size).saturating_sub(base)).div_ceil(p);
    let count = mask.count_ones_in(first..last);
    let indices = mask.ones_in(first..last).take(MAX_PTR_INDICES).map(|w| w - first).collect();
    (Some(count), indices)
}
