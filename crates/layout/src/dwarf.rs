//! Package-level variables from DWARF (through gimli).
//!
//! Go writes one `DW_TAG_variable` per package-level variable as a child of
//! its compile unit, with `DW_AT_location = DW_OP_addr <address>` and a
//! `DW_AT_type` reference (often `DW_FORM_ref_addr` into another unit).
//! Compressed sections are handled in both forms: ELF `SHF_COMPRESSED` and
//! the `ZLIB`+size prefix of `.zdebug_*` / `__zdebug_*` (Mach-O, PE), which
//! `object` does not decompress for PE.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;

use gimli::{AttributeValue, EndianSlice, RunTimeEndian, SectionId};
use golayout_image::{ByteOrder, Format, Image};
use object::{Object, ObjectSection};
use rayon::prelude::*;

/// DWARF from this size on (`.debug_info` bytes in the file, compressed or
/// not) is worth a second thread when the caller is not already inside a
/// thread pool (`scan` is, and there splitting costs nothing): below it,
/// starting and waking threads costs more than it saves. The DWARF is what
/// makes an analysis long; a binary without it takes a few milliseconds.
const PARALLEL_MIN_DWARF: u64 = 1 << 20;

/// Whether the analysis of `image` should split its work across threads.
pub(crate) fn parallel(image: &Image<'_>) -> bool {
    rayon::current_thread_index().is_some()
        || find_section(image, SectionId::DebugInfo)
            .and_then(|s| s.file_range())
            .is_some_and(|(_, size)| size >= PARALLEL_MIN_DWARF)
}

/// Cap on one decompressed DWARF section (bounded memory on hostile input).
const MAX_SECTION: u64 = 1 << 30;

/// A package-level variable described by DWARF.
#[derive(Clone, Debug)]
pub struct DwarfVar {
    /// Symbol name (escaped like the symbol table: `gopkg.in/yaml%2ev3.X`).
    pub name: String,
    /// Address from `DW_OP_addr`.
    pub address: u64,
    /// Name of the variable's type.
    pub type_name: Option<String>,
    /// Byte size of the type.
    pub size: Option<u64>,
}

/// What the DWARF of a binary says about variables.
#[derive(Clone, Debug, Default)]
pub struct DwarfVars {
    /// DWARF version of the first unit.
    pub version: u16,
    /// Variables sorted by address.
    pub vars: Vec<DwarfVar>,
}

/// Whether the image carries DWARF `.debug_info` in any form.
pub fn has_dwarf(image: &Image<'_>) -> bool {
    find_section(image, SectionId::DebugInfo).is_some()
}

fn candidates(format: Format, id: SectionId) -> [String; 2] {
    let base = id.name().trim_start_matches('.'); // "debug_info"
    let tail = base.trim_start_matches("debug_");
    match format {
        Format::MachO => {
            let t = |s: String| s.chars().take(16).collect::<String>();
            [t(format!("__{base}")), t(format!("__zdebug_{tail}"))]
        }
        _ => [format!(".{base}"), format!(".zdebug_{tail}")],
    }
}

fn find_section<'a, 'data>(image: &'a Image<'data>, id: SectionId) -> Option<object::Section<'data, 'a>> {
    let names = candidates(image.format(), id);
    image.object().sections().find(|s| s.name().is_ok_and(|n| names.iter().any(|c| c == n)))
}

/// The section's bytes, decompressed if needed.
///
/// Memory stays bounded on hostile input: a claimed uncompressed size above
/// [`MAX_SECTION`] is refused before anything is allocated, and zlib data is
/// inflated as a stream, so the buffer grows with the bytes actually
/// produced, never with the size a header claims.
fn load<'data>(image: &Image<'data>, id: SectionId) -> Result<Cow<'data, [u8]>, String> {
    let Some(section) = find_section(image, id) else { return Ok(Cow::Borrowed(&[])) };
    let raw = section.data().map_err(|e| format!("{}: {e}", id.name()))?;
    if raw.starts_with(b"ZLIB") && raw.len() >= 12 {
        let size = u64::from_be_bytes(raw[4..12].try_into().expect("8 bytes"));
        return inflate(id, &raw[12..], size).map(Cow::Owned);
    }
    if image.format() == Format::Elf {
        if let Ok(range) = section.compressed_file_range() {
            let size = range.uncompressed_size;
            if size > MAX_SECTION {
                return Err(format!("{}: claims {size} bytes uncompressed", id.name()));
            }
            if range.format == object::CompressionFormat::Zlib {
                let compressed = image
                    .data()
                    .get(usize::try_from(range.offset).unwrap_or(usize::MAX)..)
                    .and_then(|d| d.get(..usize::try_from(range.compressed_size).ok()?))
                    .ok_or_else(|| format!("{}: compressed data outside the file", id.name()))?;
                let out = inflate(id, compressed, size)?;
                if out.len() as u64 != size {
                    return Err(format!("{}: inflates to {} bytes, header says {size}", id.name(), out.len()));
                }
                return Ok(Cow::Owned(out));
            }
        }
        return section.uncompressed_data().map_err(|e| format!("{}: {e}", id.name()));
    }
    Ok(Cow::Borrowed(raw))
}

/// Inflates zlib `data` to at most `size` bytes (`size` ≤ [`MAX_SECTION`]).
fn inflate(id: SectionId, data: &[u8], size: u64) -> Result<Vec<u8>, String> {
    if size > MAX_SECTION {
        return Err(format!("{}: claims {size} bytes uncompressed", id.name()));
    }
    // Start from what the input could plausibly give; grow as it comes.
    let mut out = Vec::with_capacity(size.min(data.len() as u64 * 4) as usize);
    flate2::read::ZlibDecoder::new(data).take(size).read_to_end(&mut out).map_err(|e| format!("{}: {e}", id.name()))?;
    Ok(out)
}

/// Reads every package-level variable from DWARF; `Ok(None)` without DWARF.
pub fn read_vars(image: &Image<'_>) -> Result<Option<DwarfVars>, String> {
    if !has_dwarf(image) {
        return Ok(None);
    }
    let endian = match image.byte_order() {
        ByteOrder::Little => RunTimeEndian::Little,
        ByteOrder::Big => RunTimeEndian::Big,
    };
    // The sections inflate side by side; the first error in this order wins.
    const IDS: [SectionId; 6] = [
        SectionId::DebugInfo,
        SectionId::DebugAbbrev,
        SectionId::DebugStr,
        SectionId::DebugLineStr,
        SectionId::DebugStrOffsets,
        SectionId::DebugAddr,
    ];
    let parallel = parallel(image);
    let loaded: Vec<Result<Cow<'_, [u8]>, String>> = if parallel {
        IDS.par_iter().map(|&id| load(image, id)).collect()
    } else {
        IDS.iter().map(|&id| load(image, id)).collect()
    };
    let mut store: HashMap<SectionId, Cow<'_, [u8]>> = HashMap::new();
    for (id, data) in IDS.into_iter().zip(loaded) {
        store.insert(id, data?);
    }
    let dwarf = gimli::Dwarf::load(|id| -> Result<EndianSlice<'_, RunTimeEndian>, String> {
        Ok(EndianSlice::new(store.get(&id).map(|c| &c[..]).unwrap_or(&[]), endian))
    })?;
    let mut out = DwarfVars::default();
    // Unit headers first (cheap); then the units' DIEs in parallel, each
    // unit's findings kept apart and joined in unit order, so the result and
    // the first error reported are those of a walk in file order.
    let mut headers = Vec::new();
    let mut units = dwarf.units();
    let header_error = loop {
        match units.next() {
            Ok(Some(header)) => headers.push(header),
            Ok(None) => break None,
            Err(e) => break Some(format!("debug_info: {e}")),
        }
    };
    if let Some(h) = headers.first() {
        out.version = h.version();
    }
    let ptr_size = u64::from(image.ptr_size());
    let per_unit: Vec<Result<UnitFindings, String>> = if parallel {
        headers.par_iter().map(|h| read_unit(&dwarf, h, endian, ptr_size)).collect()
    } else {
        headers.iter().map(|h| read_unit(&dwarf, h, endian, ptr_size)).collect()
    };
    // Types by global .debug_info offset, in offset order (units come in
    // offset order and so do their DIEs).
    let mut types: Vec<(usize, TypeDie)> = Vec::new();
    let mut pending: Vec<(DwarfVar, Option<usize>)> = Vec::new();
    for unit in per_unit {
        let unit = unit?;
        types.extend(unit.types);
        pending.extend(unit.pending);
    }
    if let Some(e) = header_error {
        return Err(e);
    }
    if !types.is_sorted_by_key(|t| t.0) {
        types.sort_by_key(|t| t.0);
    }
    let types = Types(types);
    for (mut var, t) in pending {
        if let Some(mut off) = t {
            var.type_name = type_name(&types, off, 0);
            for _ in 0..16 {
                match types.get(off) {
                    Some(TypeDie { size: Some(size), .. }) => {
                        var.size = Some(*size);
                        break;
                    }
                    Some(TypeDie { size: None, target: Some(next), .. }) => off = *next,
                    _ => break,
                }
            }
        }
        out.vars.push(var);
    }
    out.vars.sort_by_key(|v| v.address);
    Ok(Some(out))
}

/// What one unit holds: its package-level variables (with their type
/// reference) and its type DIEs.
#[derive(Default)]
struct UnitFindings {
    pending: Vec<(DwarfVar, Option<usize>)>,
    types: Vec<(usize, TypeDie)>,
}

type Reader<'a> = EndianSlice<'a, RunTimeEndian>;

/// Walks the DIEs of one unit.
fn read_unit(
    dwarf: &gimli::Dwarf<Reader<'_>>,
    header: &gimli::UnitHeader<Reader<'_>>,
    endian: RunTimeEndian,
    ptr_size: u64,
) -> Result<UnitFindings, String> {
    let mut found = UnitFindings::default();
    let unit_base = header.offset().0;
    // Only the DIEs are needed: skip line programs and range lists.
    let abbrevs = dwarf.abbreviations(header).map_err(|e| format!("debug_abbrev for unit at {unit_base:#x}: {e}"))?;
    let address_size = header.encoding().address_size;
    let mut cursor = header.entries(&abbrevs);
    while let Some(entry) = cursor.next_dfs().map_err(|e| format!("debug_info at {unit_base:#x}: {e}"))? {
        let tag = entry.tag();
        if entry.depth() != 1 && tag == gimli::DW_TAG_variable {
            continue;
        }
        let global = unit_base + entry.offset().0;
        let type_ref = |v: Option<AttributeValue<Reader<'_>>>| match v {
            Some(AttributeValue::UnitRef(o)) => Some(unit_base + o.0),
            Some(AttributeValue::DebugInfoRef(o)) => Some(o.0),
            _ => None,
        };
        // Only variables and types need a name: read it for them alone.
        let name = || {
            entry
                .attr_value(gimli::DW_AT_name)
                .and_then(|v| match v {
                    AttributeValue::String(s) => Some(s),
                    AttributeValue::DebugStrRef(o) => dwarf.debug_str.get_str(o).ok(),
                    AttributeValue::DebugLineStrRef(o) => dwarf.debug_line_str.get_str(o).ok(),
                    _ => None,
                })
                .map(|s| String::from_utf8_lossy(s.slice()).into_owned())
        };
        match tag {
            gimli::DW_TAG_variable => {
                let Some(name) = name() else { continue };
                let Some(address) = location_addr(entry, address_size, endian) else {
                    continue;
                };
                let t = type_ref(entry.attr_value(gimli::DW_AT_type));
                found.pending.push((DwarfVar { name, address, type_name: None, size: None }, t));
            }
            gimli::DW_TAG_base_type
            | gimli::DW_TAG_structure_type
            | gimli::DW_TAG_pointer_type
            | gimli::DW_TAG_array_type
            | gimli::DW_TAG_typedef
            | gimli::DW_TAG_subroutine_type
            | gimli::DW_TAG_unspecified_type
            | gimli::DW_TAG_union_type
            | gimli::DW_TAG_enumeration_type
            | gimli::DW_TAG_const_type
            | gimli::DW_TAG_volatile_type => {
                let size = entry.attr_value(gimli::DW_AT_byte_size).and_then(|v| v.udata_value());
                let size = size.or((tag == gimli::DW_TAG_pointer_type).then_some(ptr_size));
                let passes_through =
                    matches!(tag, gimli::DW_TAG_typedef | gimli::DW_TAG_const_type | gimli::DW_TAG_volatile_type);
                let target = passes_through.then(|| type_ref(entry.attr_value(gimli::DW_AT_type))).flatten();
                let qualifier = match tag {
                    gimli::DW_TAG_const_type => Some("const "),
                    gimli::DW_TAG_volatile_type => Some("volatile "),
                    _ => None,
                };
                found.types.push((global, TypeDie { name: name(), size, target, qualifier }));
            }
            _ => {}
        }
    }
    Ok(found)
}

/// Type DIEs sorted by global offset.
struct Types(Vec<(usize, TypeDie)>);

impl Types {
    fn get(&self, off: usize) -> Option<&TypeDie> {
        self.0.binary_search_by_key(&off, |t| t.0).ok().map(|i| &self.0[i].1)
    }
}

/// A type DIE reduced to what variables need.
struct TypeDie {
    name: Option<String>,
    size: Option<u64>,
    /// For typedefs and qualifiers: the type they refer to.
    target: Option<usize>,
    /// `const ` / `volatile ` for qualifier DIEs, which have no name.
    qualifier: Option<&'static str>,
}

/// The printable name of a type (`const int` for an unnamed qualifier).
fn type_name(types: &Types, off: usize, depth: u8) -> Option<String> {
    let t = types.get(off)?;
    if let Some(n) = &t.name {
        return Some(n.clone());
    }
    let q = t.qualifier?;
    if depth > 8 {
        return None;
    }
    Some(format!("{q}{}", type_name(types, t.target?, depth + 1)?))
}

fn location_addr(
    entry: &gimli::DebuggingInformationEntry<EndianSlice<'_, RunTimeEndian>>,
    address_size: u8,
    endian: RunTimeEndian,
) -> Option<u64> {
    let AttributeValue::Exprloc(expr) = entry.attr_value(gimli::DW_AT_location)? else { return None };
    let bytes = expr.0.slice();
    if bytes.first() != Some(&0x03) || bytes.len() != 1 + usize::from(address_size) {
        return None;
    }
    let order = match endian {
        RunTimeEndian::Little => ByteOrder::Little,
        RunTimeEndian::Big => ByteOrder::Big,
    };
    order.read_uint(&bytes[1..])
}
