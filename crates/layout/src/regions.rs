//! The Go regions of the address space and the class of an address.

use std::ops::Range;

use golayout_image::Image;
use golayout_runtime::moduledata::ModuleData;

use crate::model::{Class, FactSource, Region};

/// Region bounds: from moduledata when validated, else from the
/// `runtime.*` boundary symbols.
#[derive(Clone, Debug)]
pub(crate) struct Regions {
    pub noptrdata: Range<u64>,
    pub data: Range<u64>,
    pub bss: Range<u64>,
    pub noptrbss: Range<u64>,
    pub rodata: Option<Range<u64>>,
    pub source: FactSource,
}

/// Zero-size marker symbols that bound regions; never variables.
pub(crate) const BOUNDARY_SYMBOLS: [&str; 21] = [
    "runtime.text",
    "runtime.etext",
    "runtime.noptrdata",
    "runtime.enoptrdata",
    "runtime.data",
    "runtime.edata",
    "runtime.bss",
    "runtime.ebss",
    "runtime.noptrbss",
    "runtime.enoptrbss",
    "runtime.covctrs",
    "runtime.ecovctrs",
    "runtime.end",
    "runtime.rodata",
    "runtime.erodata",
    "runtime.types",
    "runtime.etypes",
    "runtime.epclntab",
    "runtime.esymtab",
    "runtime.symtab",
    "runtime.itablink",
];

impl Regions {
    /// Bounds from moduledata, or from symbols; `None` when neither exists.
    pub fn find(image: &Image<'_>, md: Option<&ModuleData>, pclntab: Option<u64>) -> Option<Regions> {
        let [r, er] = image.find_symbols(["runtime.rodata", "runtime.erodata"]);
        if let Some(md) = md {
            let start = md.rodata.or(r.map(|s| s.address));
            let rodata = start.map(|start| {
                let end = er.map(|s| s.address).unwrap_or_else(|| rodata_end(image, start, pclntab));
                start..end
            });
            return Some(Regions {
                noptrdata: md.noptrdata..md.enoptrdata,
                data: md.data..md.edata,
                bss: md.bss..md.ebss,
                noptrbss: md.noptrbss..md.enoptrbss,
                rodata,
                source: FactSource::Moduledata,
            });
        }
        let names: [&str; 8] = BOUNDARY_SYMBOLS[2..10].try_into().expect("eight region markers");
        let s = image.find_symbols(names);
        let a = |i: usize| s[i].map(|s| s.address);
        Some(Regions {
            noptrdata: a(0)?..a(1)?,
            data: a(2)?..a(3)?,
            bss: a(4)?..a(5)?,
            noptrbss: a(6)?..a(7)?,
            rodata: r.zip(er).map(|(r, e)| r.address..e.address),
            source: FactSource::Symtab,
        })
    }

    /// The class of an address.
    pub fn class_of(&self, address: u64) -> Class {
        if self.noptrdata.contains(&address) {
            Class::Noptrdata
        } else if self.data.contains(&address) {
            Class::Data
        } else if self.bss.contains(&address) {
            Class::Bss
        } else if self.noptrbss.contains(&address) {
            Class::Noptrbss
        } else if self.rodata.as_ref().is_some_and(|r| r.contains(&address)) {
            Class::Rodata
        } else {
            Class::Other
        }
    }

    /// The range of a class (`None` for `Other`, or rodata when unknown).
    pub fn range(&self, class: Class) -> Option<Range<u64>> {
        match class {
            Class::Noptrdata => Some(self.noptrdata.clone()),
            Class::Data => Some(self.data.clone()),
            Class::Bss => Some(self.bss.clone()),
            Class::Noptrbss => Some(self.noptrbss.clone()),
            Class::Rodata => self.rodata.clone(),
            Class::Other => None,
        }
    }

    /// The serde regions with byte counts.
    pub fn summary(&self, image: &Image<'_>, md: Option<&ModuleData>) -> Vec<Region> {
        let mut out = Vec::new();
        for class in [Class::Noptrdata, Class::Data, Class::Bss, Class::Noptrbss, Class::Rodata] {
            let Some(r) = self.range(class) else { continue };
            let vm = r.end.saturating_sub(r.start);
            let file = if class.is_zero_fill() { 0 } else { file_bytes(image, r.clone()) };
            let ptr_words = match (class, md) {
                (Class::Data, Some(md)) => Some(md.data_mask.count_ones()),
                (Class::Bss, Some(md)) => Some(md.bss_mask.count_ones()),
                (Class::Noptrdata | Class::Noptrbss, _) => Some(0),
                _ => None,
            };
            out.push(Region {
                class,
                start: r.start,
                end: r.end,
                vm_bytes: vm,
                file_bytes: file,
                ptr_words,
                source: self.source,
            });
        }
        out
    }
}

/// End of the rodata region without an `erodata` symbol: the end of the
/// section holding its start, or the pclntab if that comes first (PE).
fn rodata_end(image: &Image<'_>, start: u64, pclntab: Option<u64>) -> u64 {
    let section_end = image.section_containing(start).map_or(start, |s| s.end());
    match pclntab {
        Some(p) if p > start && p < section_end => p,
        _ => section_end,
    }
}

/// Bytes of `[start, end)` that are backed by the file.
pub(crate) fn file_bytes(image: &Image<'_>, r: Range<u64>) -> u64 {
    image
        .mappings()
        .iter()
        .map(|m| {
            let lo = r.start.max(m.address);
            let hi = r.end.min(m.address.saturating_add(m.file_size));
            hi.saturating_sub(lo)
        })
        .sum()
}
