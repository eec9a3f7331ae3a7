//! `runtime.firstmoduledata`: the record that bounds every Go region.
//!
//! [`locate`] finds the record (section `.go.module`/`__go_module`, symbol
//! `runtime.firstmoduledata`, or a scan of writable data for a pointer to
//! the pclntab), reads it with every known [`Layout`] (the hinted one first)
//! and keeps only a reading that passes the format reference's invariants
//! (§6.4): pclntab pointers and sub-table offsets, the function table's
//! length and first/last PCs, executable text, well-formed writable data
//! ranges with bss in zero-fill memory, and GC programs that decode to
//! exactly one bit per data/bss word.
//!
//! Layout notes: the 1.8–1.15 and 1.16–1.17 columns (marked "to verify" in
//! the reference) were checked on corpus binaries built by Go 1.13–1.17:
//! every bound from `text` to `etypes` equals its `runtime.*` symbol (ELF,
//! Mach-O, PE), `textsectmap` validates, `ftab.len == nfunc + 1`, and the
//! record sizes (456/228 and 536 bytes) match the ELF symbol sizes with
//! `hasmain == 1` and `next == nil` at the offsets in the table. The
//! 1.5–1.6 and 1.7 columns remain unverified (no such binaries at hand).

mod checks;
mod layout;
mod read;
mod scan;

pub use layout::{Field, Layout, LAYOUTS};
pub use scan::{locate, locate_stomped};

use serde::Serialize;

use crate::gcprog::BitVector;
use crate::pclntab::{Pclntab, TextSect};
use crate::FoundBy;

/// Why no moduledata was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// No candidate passed validation; the string lists the rejections.
    #[error("no valid moduledata found: {0}")]
    NotFound(String),
}

/// Result type of this module.
pub type Result<T> = std::result::Result<T, Error>;

/// A Go slice header `{ptr, len, cap}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Slice {
    /// Address of the first element.
    pub ptr: u64,
    /// Length in elements.
    pub len: u64,
    /// Capacity in elements.
    pub cap: u64,
}

/// A validated `runtime.moduledata` record. Addresses are link-time
/// virtual addresses; `[x, ex)` pairs are half-open ranges.
#[derive(Clone, Debug, Serialize)]
pub struct ModuleData {
    /// Address of the record.
    pub address: u64,
    /// How it was found.
    pub found_by: FoundBy,
    /// The layout that validated.
    pub layout: &'static Layout,
    /// Field 0: `pcHeader` (Go 1.16+) or `pclntable.ptr` (before): the pclntab.
    pub pcheader: u64,
    /// `pclntable` (the whole table before Go 1.16).
    pub pclntable: Slice,
    /// `funcnametab` (Go 1.16+).
    pub funcnametab: Option<Slice>,
    /// `cutab` (Go 1.16+).
    pub cutab: Option<Slice>,
    /// `filetab`.
    pub filetab: Slice,
    /// `pctab` (Go 1.16+).
    pub pctab: Option<Slice>,
    /// `ftab`: `nfunc + 1` functab entries.
    pub ftab: Slice,
    /// `findfunctab`.
    pub findfunctab: u64,
    /// Lowest function PC.
    pub minpc: u64,
    /// End PC of the last function.
    pub maxpc: u64,
    /// Text base (`runtime.text`).
    pub text: u64,
    /// `runtime.etext`.
    pub etext: u64,
    /// `runtime.noptrdata`.
    pub noptrdata: u64,
    /// `runtime.enoptrdata`.
    pub enoptrdata: u64,
    /// `runtime.data`.
    pub data: u64,
    /// `runtime.edata`.
    pub edata: u64,
    /// `runtime.bss`.
    pub bss: u64,
    /// `runtime.ebss`.
    pub ebss: u64,
    /// `runtime.noptrbss`.
    pub noptrbss: u64,
    /// `runtime.enoptrbss`.
    pub enoptrbss: u64,
    /// `runtime.covctrs` (Go 1.20+).
    pub covctrs: Option<u64>,
    /// `runtime.ecovctrs` (Go 1.20+).
    pub ecovctrs: Option<u64>,
    /// `runtime.end`.
    pub end: u64,
    /// GC program for `[data, edata)` (`runtime.gcdata`).
    pub gcdata: u64,
    /// GC program for `[bss, ebss)` (`runtime.gcbss`).
    pub gcbss: u64,
    /// `runtime.types` (Go 1.7+).
    pub types: Option<u64>,
    /// `runtime.etypes` (Go 1.7+).
    pub etypes: Option<u64>,
    /// Bytes of sorted type descriptors after `types` (Go 1.27+).
    pub typedesclen: Option<u64>,
    /// Offset of the itabs from `types` (Go 1.27+).
    pub itaboffset: Option<u64>,
    /// Size of the itabs (Go 1.27+).
    pub itabsize: Option<u64>,
    /// `runtime.rodata` (Go 1.18+).
    pub rodata: Option<u64>,
    /// `go:func.*` base of funcdata offsets (Go 1.18+).
    pub gofunc: Option<u64>,
    /// End of the pclntab (Go 1.26+).
    pub epclntab: Option<u64>,
    /// Text sections (Go 1.8+; one entry unless the text was split).
    pub textsectmap: Vec<TextSect>,
    /// `typelinks` (Go ≤1.26).
    pub typelinks: Option<Slice>,
    /// `itablinks` (Go 1.7–1.26).
    pub itablinks: Option<Slice>,
    /// `hasmain`: 1 for an executable's main module.
    pub hasmain: Option<u8>,
    /// Pointer mask of `[data, edata)`, one bit per word (decoded `gcdata`).
    #[serde(skip)]
    pub data_mask: BitVector,
    /// Pointer mask of `[bss, ebss)` (decoded `gcbss`).
    #[serde(skip)]
    pub bss_mask: BitVector,
    /// Things worth telling the user (rejected candidates, stomped magic...).
    pub notices: Vec<String>,
}

impl ModuleData {
    /// Gives `table` this module's text base and text sections, so Go 1.18+
    /// entry offsets become addresses.
    pub fn apply_text_base(&self, table: &mut Pclntab<'_>) {
        table.set_text_base(self.text);
        table.set_text_sections(self.textsectmap.clone());
    }

    /// End of the pclntab as far as the record says: `epclntab` (Go 1.26+)
    /// or the end of `pclntable`.
    pub fn pclntab_end(&self) -> u64 {
        self.epclntab.unwrap_or_else(|| self.pclntable.ptr.saturating_add(self.pclntable.len))
    }
}
