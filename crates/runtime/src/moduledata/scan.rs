//! Finding the record: section, symbol, or a scan for pointers to the pclntab.

use golayout_image::Image;

use super::read::Candidate;
use super::{Error, Field, Layout, ModuleData, Result, LAYOUTS};
use crate::pclntab::{check_prefix, plausible, Located, PclnVersion, Pclntab};
use crate::{FoundBy, GoVersion};

/// Section names of the record (Go 1.26+ ELF and Mach-O).
const SECTION_NAMES: [&str; 2] = [".go.module", "__go_module"];

/// How many rejections an error message lists.
const MAX_REPORTED: usize = 6;

/// Finds and validates `runtime.firstmoduledata` for the pclntab `pclntab`.
///
/// Tries the `.go.module`/`__go_module` section, the
/// `runtime.firstmoduledata` symbol, then every pointer-aligned word of
/// writable data that points at the pclntab (read as the loader would,
/// relocations applied). Each candidate is read with every layout, the one
/// for `version_hint` first; the first candidate with a layout that passes
/// all checks wins. Among several passing layouts the hinted one, then one
/// whose size equals the symbol's ELF size, then the most plausible tail
/// (`hasmain == 1`, `bad == 0`, `next == nil`), then the newest is chosen.
pub fn locate<'data>(
    image: &Image<'data>,
    pclntab: &Located<'data>,
    version_hint: Option<GoVersion>,
) -> Result<ModuleData> {
    let [symbol] = image.find_symbols(["runtime.firstmoduledata"]);
    let mut rejected = Vec::new();
    let mut candidates: Vec<(u64, FoundBy)> = image
        .sections()
        .iter()
        .filter(|s| SECTION_NAMES.contains(&s.name))
        .map(|s| (s.address, FoundBy::Section))
        .collect();
    candidates.extend(symbol.map(|s| (s.address, FoundBy::Symbol)));
    let size_hint = symbol.and_then(|s| s.size);
    let (table, end, exact) = (&pclntab.table, pclntab.end(), pclntab.exact_size);
    for (address, how) in candidates {
        match try_address(image, table, end, exact, address, how, version_hint, size_hint) {
            Ok(md) => return Ok(md),
            Err(why) => rejected.push(why),
        }
    }
    for address in pointer_slots(image, |v| v == table.address()) {
        match try_address(image, table, end, exact, address, FoundBy::Scan, version_hint, size_hint) {
            Ok(mut md) => {
                md.notices.extend(rejected.into_iter().map(|r| format!("rejected moduledata candidate: {r}")));
                return Ok(md);
            }
            Err(why) => rejected.push(why),
        }
    }
    Err(not_found(rejected))
}

/// For binaries whose pclntab magic was overwritten: scans writable data
/// for a word pointing at a structurally valid pclntab header (any
/// version, the target's byte order) and a moduledata record around it
/// that validates. The returned pclntab is marked [`FoundBy::Pointer`] and
/// carries a notice.
pub fn locate_stomped<'data>(
    image: &Image<'data>,
    version_hint: Option<GoVersion>,
) -> Result<(Located<'data>, ModuleData)> {
    let p = image.ptr_size();
    let looks_like_header =
        |v: u64| image.bytes_at(v, 8).is_some_and(|b| matches!(check_prefix(b), Ok((_, size)) if size == p));
    let mut rejected = Vec::new();
    for address in pointer_slots(image, looks_like_header) {
        let Some(target) = image.read_ptr(address) else {
            continue;
        };
        let Some(bytes) = image.bytes_from(target) else {
            continue;
        };
        for version in PclnVersion::ALL.into_iter().rev() {
            let Ok(mut table) = Pclntab::parse_as(bytes, target, version, image.byte_order()) else {
                continue;
            };
            if version.relative_entries() {
                table.set_text_base(0);
            }
            if !plausible(image, &table) {
                continue;
            }
            let end = target.saturating_add(bytes.len() as u64);
            match try_address(image, &table, end, false, address, FoundBy::Scan, version_hint, None) {
                Ok(md) => {
                    md.apply_text_base(&mut table);
                    let magic = bytes.get(..4).map(|m| image.byte_order().read_uint(m).unwrap_or(0)).unwrap_or(0);
                    let notice = format!(
                        "pclntab magic overwritten ({magic:#010x}); found a valid {version:?} header at {target:#x} through moduledata"
                    );
                    let located = Located {
                        table,
                        found_by: FoundBy::Pointer,
                        section: image.section_containing(target).map(|s| s.name),
                        exact_size: false,
                        notices: vec![notice],
                    };
                    return Ok((located, md));
                }
                Err(why) => rejected.push(why),
            }
        }
    }
    Err(not_found(rejected))
}

fn not_found(rejected: Vec<String>) -> Error {
    if rejected.is_empty() {
        return Error::NotFound("no candidate record".into());
    }
    let more = rejected.len().saturating_sub(MAX_REPORTED);
    let mut msg = rejected.into_iter().take(MAX_REPORTED).collect::<Vec<_>>().join("; ");
    if more > 0 {
        msg.push_str(&format!("; and {more} more"));
    }
    Error::NotFound(msg)
}

/// Reads the record at `address` with every layout and picks one.
#[allow(clippy::too_many_arguments)]
fn try_address<'data>(
    image: &Image<'data>,
    table: &Pclntab<'data>,
    table_end: u64,
    exact_end: bool,
    address: u64,
    how: FoundBy,
    hint: Option<GoVersion>,
    size_hint: Option<u64>,
) -> std::result::Result<ModuleData, String> {
    let hinted = hint.and_then(|v| Layout::for_minor(v.minor));
    let mut passing = Vec::new();
    let mut first_error = None;
    for layout in LAYOUTS.iter().rev() {
        let c = Candidate { image, table, table_end, exact_end, base: address, layout };
        match c.read(how) {
            Ok(md) => {
                if Some(layout) == hinted {
                    return Ok(md);
                }
                passing.push((c.tail_score(), md));
            }
            Err(e) if Some(layout) == hinted || first_error.is_none() && layout.pcln_version() == table.version() => {
                first_error = Some(format!("at {address:#x} ({how:?}) layout {}: {e}", layout.name));
            }
            Err(_) => {}
        }
    }
    let sized = size_hint.and_then(|size| {
        passing.iter().position(|(_, md)| md.layout.offset(Field::Size, image.ptr_size()) == Some(size))
    });
    // `passing` is newest first; max_by_key keeps the last maximum, so reverse.
    let best = sized.or_else(|| (0..passing.len()).rev().max_by_key(|&i| passing[i].0));
    match best {
        Some(i) => Ok(passing.swap_remove(i).1),
        None => Err(first_error.unwrap_or_else(|| format!("at {address:#x} ({how:?}): no layout matches"))),
    }
}

/// Addresses of pointer-aligned words in writable, file-backed data whose
/// value (relocations applied) satisfies `wanted`.
fn pointer_slots(image: &Image<'_>, wanted: impl Fn(u64) -> bool) -> Vec<u64> {
    let p = u64::from(image.ptr_size());
    let order = image.byte_order();
    let (relative, chained) = image.relocation_summary();
    let mut regions: Vec<(u64, &[u8])> = image
        .sections()
        .iter()
        .filter(|s| s.flags.write && s.flags.alloc && !s.flags.nobits && s.file_size > 0)
        .map(|s| (s.address, image.section_data(s)))
        .collect();
    if regions.is_empty() {
        regions = image
            .segments()
            .iter()
            .filter(|s| s.perms.write && s.file_size > 0)
            .filter_map(|s| Some((s.address, image.bytes_at(s.address, s.file_size.min(s.vm_size))?)))
            .collect();
    }
    let mut out = Vec::new();
    for (start, bytes) in crate::scan_budget::within(image, regions) {
        // Align the first slot to P in the address space.
        let skip = ((p - start % p) % p) as usize;
        let Some(bytes) = bytes.get(skip..) else {
            continue;
        };
        for (i, word) in bytes.chunks_exact(p as usize).enumerate() {
            let address = start.wrapping_add(skip as u64 + i as u64 * p);
            let Some(raw) = order.read_uint(word) else {
                continue;
            };
            let hit = if chained > 0 || (relative > 0 && raw == 0) {
                image.read_ptr(address).is_some_and(&wanted)
            } else {
                wanted(raw)
            };
            if hit {
                out.push(address);
            }
        }
    }
    out
}
