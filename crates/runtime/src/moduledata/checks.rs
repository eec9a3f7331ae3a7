//! Invariants of the data ranges a moduledata record bounds (reference
//! §6.4 items 7 and 9), in terms of the container's sections and segments.

use golayout_image::{Image, Section};

use super::read::Check;
use super::ModuleData;

/// Data-range invariants (reference §6.4 items 7 and 9).
pub(crate) fn check_data(image: &Image<'_>, md: &ModuleData) -> Check<()> {
    let ranges = [
        ("noptrdata", md.noptrdata, md.enoptrdata, false),
        ("data", md.data, md.edata, false),
        ("bss", md.bss, md.ebss, true),
        ("noptrbss", md.noptrbss, md.enoptrbss, true),
    ];
    for (name, lo, hi, zero) in ranges {
        if lo > hi {
            return Err(format!("{name} {lo:#x} > {hi:#x}"));
        }
        if lo == hi {
            continue;
        }
        if !is_writable(image, lo) || !is_writable(image, hi - 1) {
            return Err(format!("{name} {lo:#x}-{hi:#x} is not in writable memory"));
        }
        if zero && !is_zero_fill(image, hi - 1) {
            return Err(format!("{name} {lo:#x}-{hi:#x} is not zero-fill memory"));
        }
    }
    for (i, a) in ranges.iter().enumerate() {
        for b in &ranges[i + 1..] {
            if a.1 < a.2 && b.1 < b.2 && a.1 < b.2 && b.1 < a.2 {
                return Err(format!("{} and {} overlap", a.0, b.0));
            }
        }
    }
    if md.enoptrbss > md.end {
        return Err(format!("enoptrbss {:#x} > end {:#x}", md.enoptrbss, md.end));
    }
    if let (Some(c), Some(e)) = (md.covctrs, md.ecovctrs) {
        if c > e || e > md.end {
            return Err(format!("covctrs {c:#x}-{e:#x} malformed"));
        }
    }
    if let (Some(t), Some(e)) = (md.types, md.etypes) {
        if t > e {
            return Err(format!("types {t:#x} > etypes {e:#x}"));
        }
        if let (Some(len), Some(off), Some(size)) = (md.typedesclen, md.itaboffset, md.itabsize) {
            if !(len <= off && off.checked_add(size).is_some_and(|x| x <= e - t)) {
                return Err("typedesclen/itaboffset/itabsize out of range".into());
            }
        }
    }
    Ok(())
}

/// Allocated sections containing `address` (several when a TLS section
/// overlaps data).
fn containing<'a, 'data>(image: &'a Image<'data>, address: u64) -> impl Iterator<Item = &'a Section<'data>> {
    image.sections().iter().filter(move |s| s.flags.alloc && s.vm_size > 0 && s.contains(address))
}

/// Whether `address` lies in writable memory (section flags first).
fn is_writable(image: &Image<'_>, address: u64) -> bool {
    if containing(image, address).next().is_some() {
        return containing(image, address).any(|s| s.flags.write);
    }
    image.segments().iter().any(|s| s.perms.write && s.contains(address))
}

/// Whether `address` lies in zero-fill memory: a NOBITS/zerofill section,
/// the tail of a section beyond its file bytes (PE), or unbacked segment memory.
fn is_zero_fill(image: &Image<'_>, address: u64) -> bool {
    if containing(image, address).next().is_some() {
        return containing(image, address).any(|s| s.flags.nobits || address - s.address >= s.file_size);
    }
    !image.is_file_backed(address)
}
