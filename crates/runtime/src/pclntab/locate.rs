//! Finding the pclntab in an image: section, symbol, or validated scan.

use golayout_image::Image;

use super::header::{check_prefix, detect_magic};
use super::{Error, Pclntab, Result};
use crate::FoundBy;

/// Section names the pclntab has had (ELF, ELF PIE relro, Mach-O).
const SECTION_NAMES: [&str; 3] = [".gopclntab", ".data.rel.ro.gopclntab", "__gopclntab"];

/// How many leading functions a scan candidate must show as sane.
const SCAN_CHECK_FUNCS: u64 = 16;

/// A pclntab found in an image.
#[derive(Clone, Debug)]
pub struct Located<'data> {
    /// The parsed table (text base set from `runtime.text` or the header
    /// when available; [`crate::moduledata::locate`] refines it).
    pub table: Pclntab<'data>,
    /// How it was found.
    pub found_by: FoundBy,
    /// The container section it was found as or in, if any.
    pub section: Option<&'data str>,
    /// Whether `table.data()` ends exactly at the table's end (a section or
    /// `runtime.epclntab`); otherwise it runs to the end of the mapping.
    pub exact_size: bool,
    /// Things worth telling the user (rejected sections, stomped magic...).
    pub notices: Vec<String>,
}

impl Located<'_> {
    /// Virtual address of the table.
    pub fn address(&self) -> u64 {
        self.table.address()
    }
    /// End address of the bytes handed to the parser (exact when
    /// [`Located::exact_size`]).
    pub fn end(&self) -> u64 {
        self.table.address().saturating_add(self.table.data().len() as u64)
    }
}

/// Finds the pclntab: by section name, then by the `runtime.pclntab`
/// (`runtime.epclntab`) symbols, then by scanning the file for a header that
/// validates structurally ([`scan`]).
///
/// For Go 1.18+ tables the text base is set from the `runtime.text` symbol
/// when present, else from a non-zero header `textStart`.
pub fn locate<'data>(image: &Image<'data>) -> Result<Located<'data>> {
    let [text, start, end] = image.find_symbols(["runtime.text", "runtime.pclntab", "runtime.epclntab"]);
    let mut notices = Vec::new();
    let mut found = None;
    for s in image.sections() {
        if !SECTION_NAMES.contains(&s.name) || s.file_size == 0 {
            continue;
        }
        match Pclntab::parse(image.section_data(s), s.address) {
            Ok(table) => {
                found = Some(Located {
                    table,
                    found_by: FoundBy::Section,
                    section: Some(s.name),
                    exact_size: true,
                    notices: Vec::new(),
                });
                break;
            }
            Err(e) => notices.push(format!("section {} holds no valid pclntab: {e}", s.name)),
        }
    }
    if found.is_none() {
        if let Some(start) = start {
            let bytes = match end.filter(|e| e.address > start.address) {
                Some(e) => image.bytes_at(start.address, e.address - start.address),
                None => image.bytes_from(start.address),
            };
            match bytes.map(|b| Pclntab::parse(b, start.address)) {
                Some(Ok(table)) => {
                    let section = image.section_containing(start.address).map(|s| s.name);
                    found = Some(Located {
                        table,
                        found_by: FoundBy::Symbol,
                        section,
                        exact_size: end.is_some(),
                        notices: Vec::new(),
                    });
                }
                Some(Err(e)) => notices.push(format!("runtime.pclntab symbol: {e}")),
                None => notices.push("runtime.pclntab symbol points outside the file".into()),
            }
        }
    }
    let mut found = match found {
        Some(f) => f,
        None => pick(image, scan(image)).ok_or(Error::NotFound)?,
    };
    if found.table.version().relative_entries() {
        if let Some(t) = text {
            found.table.set_text_base(t.address);
        }
    }
    notices.append(&mut found.notices);
    found.notices = notices;
    Ok(found)
}

/// Scans the file-backed sections (or segments, when the container has no
/// section table) for every known magic in both byte orders at 4-byte
/// alignment, and returns the candidates that validate structurally: header
/// offsets in range, the function table fits, the first functions are
/// sorted with valid names, and (before Go 1.18) their entries lie in
/// executable memory.
pub fn scan<'data>(image: &Image<'data>) -> Vec<Pclntab<'data>> {
    let mut out = Vec::new();
    for (address, bytes) in scan_regions(image) {
        let mut at = 0usize;
        while at + 8 <= bytes.len() {
            let here = &bytes[at..];
            if here[4] == 0 && here[5] == 0 && detect_magic(here).is_ok() && check_prefix(here).is_ok() {
                if let Ok(table) = Pclntab::parse(here, address.wrapping_add(at as u64)) {
                    if plausible(image, &table) {
                        out.push(table);
                    }
                }
            }
            at += 4;
        }
    }
    out
}

/// Byte ranges worth scanning: `(address, file bytes)`.
fn scan_regions<'data>(image: &Image<'data>) -> Vec<(u64, &'data [u8])> {
    let from_sections = crate::scan_budget::within(
        image,
        image
            .sections()
            .iter()
            .filter(|s| s.flags.alloc && !s.flags.nobits && s.file_size > 0 && s.address != 0)
            .map(|s| (s.address, image.section_data(s))),
    );
    if !from_sections.is_empty() {
        return from_sections;
    }
    crate::scan_budget::within(
        image,
        image
            .segments()
            .iter()
            .filter(|s| s.file_size > 0)
            .filter_map(|s| Some((s.address, image.bytes_at(s.address, s.file_size.min(s.vm_size))?))),
    )
}

/// Structural checks a scan candidate must pass.
pub(crate) fn plausible(image: &Image<'_>, table: &Pclntab<'_>) -> bool {
    if table.nfunc() == 0 || table.ptr_size() != image.ptr_size() {
        return false;
    }
    let mut last = 0u64;
    for i in 0..table.nfunc().min(SCAN_CHECK_FUNCS) {
        let Some(f) = table.func(i) else { return false };
        if f.name.is_empty() || f.entry < last || f.end < f.entry {
            return false;
        }
        if !table.version().relative_entries() && !is_exec(image, f.entry) {
            return false;
        }
        last = f.entry;
    }
    let n = table.nfunc();
    matches!((table.raw_entry(n - 1), table.raw_entry(n)), (Some(a), Some(b)) if a <= b)
}

/// Whether `address` lies in executable memory.
pub(crate) fn is_exec(image: &Image<'_>, address: u64) -> bool {
    let in_section = image.sections().iter().any(|s| s.flags.exec && s.contains(address));
    in_section || image.segments().iter().any(|s| s.perms.exec && s.name != Some("image") && s.contains(address))
}

/// Chooses among scan candidates: one referenced by a pointer in writable
/// data (moduledata's first field points at the pclntab) wins, else the one
/// with the most functions.
fn pick<'data>(image: &Image<'data>, mut candidates: Vec<Pclntab<'data>>) -> Option<Located<'data>> {
    let index = if candidates.len() > 1 {
        candidates
            .iter()
            .position(|c| referenced(image, c.address()))
            .or_else(|| (0..candidates.len()).max_by_key(|&i| candidates[i].nfunc()))?
    } else {
        0
    };
    if index >= candidates.len() {
        return None;
    }
    let table = candidates.swap_remove(index);
    let section = image.section_containing(table.address()).map(|s| s.name);
    Some(Located { table, found_by: FoundBy::Scan, section, exact_size: false, notices: Vec::new() })
}

/// Whether a pointer-aligned word in writable, file-backed data equals `target`.
fn referenced(image: &Image<'_>, target: u64) -> bool {
    let p = usize::from(image.ptr_size());
    let order = image.byte_order();
    let writable = image.sections().iter().filter(|s| s.flags.write && s.flags.alloc && !s.flags.nobits);
    crate::scan_budget::within(image, writable.map(|s| ((), image.section_data(s))))
        .into_iter()
        .any(|(_, data)| data.chunks_exact(p).any(|w| order.read_uint(w) == Some(target)))
}
