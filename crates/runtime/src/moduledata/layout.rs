//! `runtime.moduledata` field offsets per Go version range.
//!
//! One row per field, one column per layout, in bytes for 64-bit targets
//! (32-bit targets use half; see [`Layout::offset`]). The numbers are those
//! of the format reference (§6.1); a new Go release is a new column.

use serde::Serialize;

use crate::pclntab::PclnVersion;

/// A moduledata field.
#[allow(missing_docs)] // Named exactly as the runtime's struct fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    PcHeader,
    Pclntable,
    Funcnametab,
    Cutab,
    Filetab,
    Pctab,
    Ftab,
    Findfunctab,
    Minpc,
    Maxpc,
    Text,
    Etext,
    Noptrdata,
    Enoptrdata,
    Data,
    Edata,
    Bss,
    Ebss,
    Noptrbss,
    Enoptrbss,
    Covctrs,
    Ecovctrs,
    End,
    Gcdata,
    Gcbss,
    Types,
    Typedesclen,
    Etypes,
    Itaboffset,
    Itabsize,
    Rodata,
    Gofunc,
    Epclntab,
    Textsectmap,
    Typelinks,
    Itablinks,
    Ptab,
    Pluginpath,
    Pkghashes,
    Inittasks,
    Modulename,
    Modulehashes,
    Hasmain,
    Bad,
    Next,
    Size,
}

/// Field absent from a layout.
const NA: u16 = u16::MAX;

/// Offsets (64-bit) of each [`Field`], in `Field` order; columns follow
/// [`LAYOUTS`]. The tail offsets (`modulename`…`size`) of the 1.8–1.15 and
/// 1.16–1.17 columns are computed from the struct definitions and were
/// checked on Go 1.13–1.17 binaries (see the module documentation).
#[rustfmt::skip]
const OFFSETS: [[u16; 10]; 46] = [
    //  1.5  1.7  1.8  1.16 1.18 1.20 1.21 1.23 1.26 1.27
    [   NA,  NA,  NA,   0,   0,   0,   0,   0,   0,   0], // pcHeader
    [    0,   0,   0, 104, 104, 104, 104, 104, 104, 104], // pclntable
    [   NA,  NA,  NA,   8,   8,   8,   8,   8,   8,   8], // funcnametab
    [   NA,  NA,  NA,  32,  32,  32,  32,  32,  32,  32], // cutab
    [   48,  48,  48,  56,  56,  56,  56,  56,  56,  56], // filetab
    [   NA,  NA,  NA,  80,  80,  80,  80,  80,  80,  80], // pctab
    [   24,  24,  24, 128, 128, 128, 128, 128, 128, 128], // ftab
    [   72,  72,  72, 152, 152, 152, 152, 152, 152, 152], // findfunctab
    [   80,  80,  80, 160, 160, 160, 160, 160, 160, 160], // minpc
    [   88,  88,  88, 168, 168, 168, 168, 168, 168, 168], // maxpc
    [   96,  96,  96, 176, 176, 176, 176, 176, 176, 176], // text
    [  104, 104, 104, 184, 184, 184, 184, 184, 184, 184], // etext
    [  112, 112, 112, 192, 192, 192, 192, 192, 192, 192], // noptrdata
    [  120, 120, 120, 200, 200, 200, 200, 200, 200, 200], // enoptrdata
    [  128, 128, 128, 208, 208, 208, 208, 208, 208, 208], // data
    [  136, 136, 136, 216, 216, 216, 216, 216, 216, 216], // edata
    [  144, 144, 144, 224, 224, 224, 224, 224, 224, 224], // bss
    [  152, 152, 152, 232, 232, 232, 232, 232, 232, 232], // ebss
    [  160, 160, 160, 240, 240, 240, 240, 240, 240, 240], // noptrbss
    [  168, 168, 168, 248, 248, 248, 248, 248, 248, 248], // enoptrbss
    [   NA,  NA,  NA,  NA,  NA, 256, 256, 256, 256, 256], // covctrs
    [   NA,  NA,  NA,  NA,  NA, 264, 264, 264, 264, 264], // ecovctrs
    [  176, 176, 176, 256, 256, 272, 272, 272, 272, 272], // end
    [  184, 184, 184, 264, 264, 280, 280, 280, 280, 280], // gcdata
    [  192, 192, 192, 272, 272, 288, 288, 288, 288, 288], // gcbss
    [   NA, 200, 200, 280, 280, 296, 296, 296, 296, 296], // types
    [   NA,  NA,  NA,  NA,  NA,  NA,  NA,  NA,  NA, 304], // typedesclen
    [   NA, 208, 208, 288, 288, 304, 304, 304, 304, 312], // etypes
    [   NA,  NA,  NA,  NA,  NA,  NA,  NA,  NA,  NA, 320], // itaboffset
    [   NA,  NA,  NA,  NA,  NA,  NA,  NA,  NA,  NA, 328], // itabsize
    [   NA,  NA,  NA,  NA, 296, 312, 312, 312, 312, 336], // rodata
    [   NA,  NA,  NA,  NA, 304, 320, 320, 320, 320, 344], // gofunc
    [   NA,  NA,  NA,  NA,  NA,  NA,  NA,  NA, 328, 352], // epclntab
    [   NA,  NA, 216, 296, 312, 328, 328, 328, 336, 360], // textsectmap
    [  200, 216, 240, 320, 336, 352, 352, 352, 360,  NA], // typelinks
    [   NA, 240, 264, 344, 360, 376, 376, 376, 384,  NA], // itablinks
    [   NA,  NA, 288, 368, 384, 400, 400, 400, 408, 384], // ptab
    [   NA,  NA, 312, 392, 408, 424, 424, 424, 432, 408], // pluginpath
    [   NA,  NA, 328, 408, 424, 440, 440, 440, 448, 424], // pkghashes
    [   NA,  NA,  NA,  NA,  NA,  NA, 464, 464, 472, 448], // inittasks
    [   NA,  NA, 352, 432, 448, 464, 488, 488, 496, 472], // modulename
    [   NA,  NA, 368, 448, 464, 480, 504, 504, 512, 488], // modulehashes
    [   NA,  NA, 392, 472, 488, 504, 528, 528, 536, 512], // hasmain
    [   NA,  NA, 440, 520, 536, 552, 576, 529, 537, 513], // bad
    [   NA,  NA, 448, 528, 544, 560, 584, 576, 584, 560], // next
    [   NA,  NA, 456, 536, 552, 568, 592, 584, 592, 568], // size
];

/// One moduledata layout: a Go version range and its column of offsets.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// Go versions it covers, e.g. `"1.21–1.22"`.
    pub name: &'static str,
    /// First Go minor release.
    pub first_minor: u16,
    /// Last Go minor release (`None`: still current).
    pub last_minor: Option<u16>,
    #[serde(skip)]
    column: usize,
}

/// Every known layout, oldest first.
pub static LAYOUTS: [Layout; 10] = [
    Layout { name: "1.5–1.6", first_minor: 5, last_minor: Some(6), column: 0 },
    Layout { name: "1.7", first_minor: 7, last_minor: Some(7), column: 1 },
    Layout { name: "1.8–1.15", first_minor: 8, last_minor: Some(15), column: 2 },
    Layout { name: "1.16–1.17", first_minor: 16, last_minor: Some(17), column: 3 },
    Layout { name: "1.18–1.19", first_minor: 18, last_minor: Some(19), column: 4 },
    Layout { name: "1.20", first_minor: 20, last_minor: Some(20), column: 5 },
    Layout { name: "1.21–1.22", first_minor: 21, last_minor: Some(22), column: 6 },
    Layout { name: "1.23–1.25", first_minor: 23, last_minor: Some(25), column: 7 },
    Layout { name: "1.26", first_minor: 26, last_minor: Some(26), column: 8 },
    Layout { name: "1.27", first_minor: 27, last_minor: None, column: 9 },
];

impl Layout {
    /// The layout for Go `1.minor` (the newest for later releases).
    pub fn for_minor(minor: u16) -> Option<&'static Layout> {
        LAYOUTS.iter().find(|l| minor >= l.first_minor && l.last_minor.is_none_or(|last| minor <= last))
    }

    /// Byte offset of `field` for pointer size `ptr_size`, if the layout has it.
    pub fn offset(&self, field: Field, ptr_size: u8) -> Option<u64> {
        let off = OFFSETS[field as usize][self.column];
        if off == NA {
            return None;
        }
        let off = u64::from(off);
        // Word fields halve; the byte-sized `bad` keeps its offset within the word.
        Some(if ptr_size == 4 { (off - off % 8) / 2 + off % 8 } else { off })
    }

    /// The pclntab format written by this layout's releases.
    pub fn pcln_version(&self) -> PclnVersion {
        match self.first_minor {
            0..=15 => PclnVersion::Go12,
            16..=17 => PclnVersion::Go116,
            18..=19 => PclnVersion::Go118,
            _ => PclnVersion::Go120,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_and_halving() {
        assert_eq!(Layout::for_minor(22).unwrap().name, "1.21–1.22");
        assert_eq!(Layout::for_minor(30).unwrap().name, "1.27");
        assert!(Layout::for_minor(4).is_none());
        let l = Layout::for_minor(23).unwrap();
        assert_eq!(l.offset(Field::Bad, 8), Some(529));
        assert_eq!(l.offset(Field::Bad, 4), Some(265));
        assert_eq!(l.offset(Field::Size, 4), Some(292));
        assert_eq!(Layout::for_minor(27).unwrap().offset(Field::Typelinks, 8), None);
        // Every column lists the sizes in increasing field order where present.
        for l in &LAYOUTS {
            assert_eq!(l.offset(Field::Minpc, 8).unwrap() + 8, l.offset(Field::Maxpc, 8).unwrap());
        }
    }
}
