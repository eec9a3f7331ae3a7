//! The pclntab: Go's function table (`runtime.pclntab`, section `.gopclntab`).
//!
//! [`Pclntab`] borrows the table's bytes and answers questions about it: its
//! [`PclnVersion`], byte order, pointer size, the functions
//! ([`Pclntab::funcs`]) and the source file names ([`Pclntab::files`]).
//! Nothing is copied and nothing is allocated per function.
//!
//! The four header formats (Go 1.2, 1.16, 1.18, 1.20) are one type with a
//! version field; the position of every header word comes from one small
//! table ([`HeaderField::word`]). [`locate`] finds the table in an
//! [`Image`](golayout_image::Image).
//!
//! ```no_run
//! # fn demo(image: &golayout_image::Image<'_>) -> Result<(), golayout_runtime::pclntab::Error> {
//! let found = golayout_runtime::pclntab::locate(image)?;
//! for func in found.table.funcs() {
//!     println!("{:#x} {}", func.entry, func.name);
//! }
//! # Ok(()) }
//! ```

mod files;
mod funcs;
mod header;
mod locate;
#[cfg(test)]
mod tests;

pub use funcs::{Files, Func, Funcs, TextSect};
pub(crate) use header::check_prefix;
pub use header::{Header, HeaderField, PclnVersion};
pub(crate) use locate::{is_exec, plausible};
pub use locate::{locate, scan, Located};

use golayout_image::ByteOrder;

/// Why a pclntab could not be parsed or found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Fewer bytes than the smallest header.
    #[error("pclntab too short ({len} bytes)")]
    TooShort {
        /// Bytes available.
        len: usize,
    },
    /// The first four bytes are none of the known magics in either byte order.
    #[error("unknown pclntab magic {0:#010x}")]
    BadMagic(u32),
    /// Bytes 4..8 are not `0, 0, minLC ∈ {1,2,4}, ptrSize ∈ {4,8}`.
    #[error("malformed pclntab header: {0}")]
    BadHeader(&'static str),
    /// A table named by the header does not fit in the data.
    #[error("pclntab {what} at offset {offset:#x} is outside the {len}-byte table")]
    OutOfRange {
        /// Which table or field.
        what: &'static str,
        /// Its offset from the start of the pclntab.
        offset: u64,
        /// Size of the pclntab data.
        len: usize,
    },
    /// No section, symbol or scan candidate held a valid pclntab.
    #[error("no pclntab found (no section, no runtime.pclntab symbol, no valid table in a scan)")]
    NotFound,
}

/// Result type of this module.
pub type Result<T> = std::result::Result<T, Error>;

/// A parsed pclntab, borrowing its bytes.
///
/// Entry PCs of Go 1.18+ tables are offsets from the text base, which the
/// table itself no longer records reliably (`textStart` is 0 from Go 1.26);
/// give it with [`Pclntab::set_text_base`] (from the `runtime.text` symbol or
/// `moduledata.text`). Until then entries are reported relative to 0.
#[derive(Clone, Debug)]
pub struct Pclntab<'data> {
    data: &'data [u8],
    address: u64,
    header: Header,
    /// `2·nfunc + 1` fields of the function table.
    functab: &'data [u8],
    /// Base of `funcoff` values (1.2: whole table; 1.16+: pclntable).
    funcdata: &'data [u8],
    /// Base of `nameoff` values.
    funcnametab: &'data [u8],
    /// 1.2: u32 offsets (entry 0 = count); 1.16+: NUL-terminated names.
    filetab: &'data [u8],
    text_base: Option<u64>,
    text_sections: Vec<TextSect>,
}

impl<'data> Pclntab<'data> {
    /// Parses the table at the start of `data`, which is mapped at `address`.
    ///
    /// The version and byte order come from the magic. `data` may extend past
    /// the table's end (e.g. to the end of a segment).
    pub fn parse(data: &'data [u8], address: u64) -> Result<Self> {
        let header = Header::parse(data)?;
        Self::from_header(data, address, header)
    }

    /// Parses the table as `version` in `byte_order` without looking at the
    /// magic: for binaries whose magic was overwritten (obfuscators). Bytes
    /// 4..8 must still be well formed.
    pub fn parse_as(data: &'data [u8], address: u64, version: PclnVersion, byte_order: ByteOrder) -> Result<Self> {
        let header = Header::parse_as(data, version, byte_order)?;
        Self::from_header(data, address, header)
    }

    fn from_header(data: &'data [u8], address: u64, header: Header) -> Result<Self> {
        let len = data.len();
        let range = |what, offset: u64| -> Result<&'data [u8]> {
            usize::try_from(offset).ok().and_then(|o| data.get(o..)).ok_or(Error::OutOfRange { what, offset, len })
        };
        let field = header.functab_field_size();
        let functab_off = header.functab_offset();
        let functab_len = header
            .nfunc
            .checked_mul(2)
            .and_then(|n| n.checked_add(1))
            .and_then(|n| n.checked_mul(field))
            .ok_or(Error::OutOfRange { what: "functab", offset: functab_off, len })?;
        let functab_end = functab_off.checked_add(functab_len);
        let functab = functab_end
            .and_then(|end| data.get(usize::try_from(functab_off).ok()?..usize::try_from(end).ok()?))
            .ok_or(Error::OutOfRange { what: "functab", offset: functab_off, len })?;
        let (funcdata, funcnametab, filetab) = match header.version {
            PclnVersion::Go12 => {
                // The u32 filetab offset follows the functab.
                let at = functab_end.unwrap_or(u64::MAX);
                let word = range("filetab offset", at)?;
                let off = word
                    .get(..4)
                    .map(|b| u64::from(header.byte_order.u32([b[0], b[1], b[2], b[3]])))
                    .ok_or(Error::OutOfRange { what: "filetab offset", offset: at, len })?;
                let filetab = range("filetab", off)?;
                let count = filetab
                    .get(..4)
                    .map(|b| u64::from(header.byte_order.u32([b[0], b[1], b[2], b[3]])))
                    .ok_or(Error::OutOfRange { what: "filetab", offset: off, len })?;
                let bytes = count.saturating_mul(4);
                let filetab = usize::try_from(bytes).ok().and_then(|b| filetab.get(..b)).ok_or(Error::OutOfRange {
                    what: "filetab",
                    offset: off,
                    len,
                })?;
                (data, data, filetab)
            }
            _ => (
                range("pclntable", header.pcln_offset)?,
                range("funcnametab", header.funcname_offset)?,
                range("filetab", header.filetab_offset)?,
            ),
        };
        for (what, off) in [("cutab", header.cu_offset), ("pctab", header.pctab_offset)] {
            range(what, off)?;
        }
        Ok(Pclntab {
            data,
            address,
            text_base: header.text_start.filter(|&t| t != 0),
            header,
            functab,
            funcdata,
            funcnametab,
            filetab,
            text_sections: Vec::new(),
        })
    }

    /// The parsed header.
    pub fn header(&self) -> &Header {
        &self.header
    }
    /// Table format.
    pub fn version(&self) -> PclnVersion {
        self.header.version
    }
    /// Byte order (from the magic).
    pub fn byte_order(&self) -> ByteOrder {
        self.header.byte_order
    }
    /// Target pointer size (4 or 8).
    pub fn ptr_size(&self) -> u8 {
        self.header.ptr_size
    }
    /// Instruction size quantum (`minLC`): 1 on x86, 2 on s390x, 4 on RISC.
    pub fn min_lc(&self) -> u8 {
        self.header.min_lc
    }
    /// Number of functions.
    pub fn nfunc(&self) -> u64 {
        self.header.nfunc
    }
    /// Virtual address of the table's first byte.
    pub fn address(&self) -> u64 {
        self.address
    }
    /// The bytes given to the parser (may extend past the table's end).
    pub fn data(&self) -> &'data [u8] {
        self.data
    }
    /// The header's `textStart` (Go 1.18+; `Some(0)` from Go 1.26, where the
    /// field is unused); `None` for formats without the field.
    pub fn header_text_start(&self) -> Option<u64> {
        self.header.text_start
    }
    /// Virtual address of the function table (`moduledata.ftab.ptr`).
    pub fn functab_address(&self) -> u64 {
        self.address.wrapping_add(self.header.functab_offset())
    }
    /// Virtual address of a header sub-table (`pcHeader + offset`).
    pub fn table_address(&self, field: HeaderField) -> Option<u64> {
        self.header.offset_of(field).map(|o| self.address.wrapping_add(o))
    }
    /// The text base used for Go 1.18+ entry offsets, if known.
    pub fn text_base(&self) -> Option<u64> {
        self.text_base
    }
    /// Sets the text base (`runtime.text` / `moduledata.text`).
    pub fn set_text_base(&mut self, base: u64) {
        self.text_base = Some(base);
    }
    /// Sets the text sections (`moduledata.textsectmap`) used to translate
    /// Go 1.18+ entry offsets when the binary has several text sections.
    /// With zero or one entry the plain text base is used.
    pub fn set_text_sections(&mut self, sections: Vec<TextSect>) {
        self.text_sections = if sections.len() > 1 { sections } else { Vec::new() };
    }
}
