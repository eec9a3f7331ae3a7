//! pclntab magic numbers and header layouts.

use golayout_image::ByteOrder;
use serde::Serialize;

use super::{Error, Result};

/// The pclntab format, named after the first Go release that wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PclnVersion {
    /// Magic `0xfffffffb`, Go 1.2–1.15: absolute entries, `nameoff` from the
    /// table start.
    Go12,
    /// Magic `0xfffffffa`, Go 1.16–1.17: header with sub-table offsets.
    Go116,
    /// Magic `0xfffffff0`, Go 1.18–1.19: entries become u32 text offsets.
    Go118,
    /// Magic `0xfffffff1`, Go 1.20 and later: `go:`/`type:` symbol prefixes.
    Go120,
}

impl PclnVersion {
    /// Every format, oldest first.
    pub const ALL: [PclnVersion; 4] = [PclnVersion::Go12, PclnVersion::Go116, PclnVersion::Go118, PclnVersion::Go120];

    /// The magic number (as a u32 in the target's byte order).
    pub const fn magic(self) -> u32 {
        match self {
            PclnVersion::Go12 => 0xffff_fffb,
            PclnVersion::Go116 => 0xffff_fffa,
            PclnVersion::Go118 => 0xffff_fff0,
            PclnVersion::Go120 => 0xffff_fff1,
        }
    }

    /// The format with this magic.
    pub fn from_magic(magic: u32) -> Option<PclnVersion> {
        PclnVersion::ALL.into_iter().find(|v| v.magic() == magic)
    }

    /// Go minor release range `(first, last)` that writes this format
    /// (`last` is `None` for the current one).
    pub const fn go_minors(self) -> (u16, Option<u16>) {
        match self {
            PclnVersion::Go12 => (2, Some(15)),
            PclnVersion::Go116 => (16, Some(17)),
            PclnVersion::Go118 => (18, Some(19)),
            PclnVersion::Go120 => (20, None),
        }
    }

    /// Whether generated symbols use the old `go.`/`type.` prefixes (before
    /// Go 1.20) rather than `go:`/`type:`.
    pub const fn old_generated_prefixes(self) -> bool {
        !matches!(self, PclnVersion::Go120)
    }

    /// Whether function entries are u32 offsets from the text base.
    pub const fn relative_entries(self) -> bool {
        matches!(self, PclnVersion::Go118 | PclnVersion::Go120)
    }
}

/// A word of the header after the fixed 8-byte prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderField {
    /// Number of functions.
    Nfunc,
    /// Number of file names.
    Nfiles,
    /// Text base (Go 1.18+; 0 from Go 1.26).
    TextStart,
    /// Offset of `funcnametab`.
    FuncnameOffset,
    /// Offset of `cutab`.
    CuOffset,
    /// Offset of `filetab`.
    FiletabOffset,
    /// Offset of `pctab`.
    PctabOffset,
    /// Offset of `pclntable` (which starts with the functab).
    PclnOffset,
}

/// Word index of each [`HeaderField`] per format (`None` = absent). The
/// byte offset is `8 + index·ptrSize`. This table is the only place the
/// header layouts live.
const HEADER_WORDS: [[Option<u8>; 8]; 4] = [
    // Nfunc   Nfiles   TextStart FuncName  Cu       Filetab  Pctab    Pcln
    [Some(0), None, None, None, None, None, None, None], // Go12
    [Some(0), Some(1), None, Some(2), Some(3), Some(4), Some(5), Some(6)], // Go116
    [Some(0), Some(1), Some(2), Some(3), Some(4), Some(5), Some(6), Some(7)], // Go118
    [Some(0), Some(1), Some(2), Some(3), Some(4), Some(5), Some(6), Some(7)], // Go120
];

impl HeaderField {
    /// Word index of the field in `version`'s header, if it has one.
    pub fn word(self, version: PclnVersion) -> Option<u8> {
        HEADER_WORDS[version as usize][self as usize]
    }
}

/// The decoded header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Header {
    /// Format.
    pub version: PclnVersion,
    /// Byte order.
    pub byte_order: ByteOrder,
    /// Instruction quantum.
    pub min_lc: u8,
    /// Pointer size.
    pub ptr_size: u8,
    /// Number of functions.
    pub nfunc: u64,
    /// Number of file names (Go 1.2: from the filetab, 0 here).
    pub nfiles: u64,
    /// `textStart` (Go 1.18+).
    pub text_start: Option<u64>,
    /// `funcnameOffset` (Go 1.2: 0, names are relative to the table).
    pub funcname_offset: u64,
    /// `cuOffset` (0 for Go 1.2).
    pub cu_offset: u64,
    /// `filetabOffset` (0 for Go 1.2).
    pub filetab_offset: u64,
    /// `pctabOffset` (0 for Go 1.2).
    pub pctab_offset: u64,
    /// `pclnOffset` (0 for Go 1.2: the whole table is the pclntable).
    pub pcln_offset: u64,
}

/// Checks bytes 4..8 (`0, 0, minLC, ptrSize`) of a candidate header and
/// returns `(minLC, ptrSize)`.
pub(crate) fn check_prefix(data: &[u8]) -> Result<(u8, u8)> {
    let b = data.get(..8).ok_or(Error::TooShort { len: data.len() })?;
    if b[4] != 0 || b[5] != 0 {
        return Err(Error::BadHeader("bytes 4 and 5 are not zero"));
    }
    if !matches!(b[6], 1 | 2 | 4) {
        return Err(Error::BadHeader("minLC is not 1, 2 or 4"));
    }
    if !matches!(b[7], 4 | 8) {
        return Err(Error::BadHeader("pointer size is not 4 or 8"));
    }
    Ok((b[6], b[7]))
}

/// The version and byte order named by the magic at the start of `data`.
pub(crate) fn detect_magic(data: &[u8]) -> Result<(PclnVersion, ByteOrder)> {
    let b: [u8; 4] = data.get(..4).and_then(|b| b.try_into().ok()).ok_or(Error::TooShort { len: data.len() })?;
    // The magics read differently in the two byte orders, so at most one matches.
    for order in [ByteOrder::Little, ByteOrder::Big] {
        if let Some(v) = PclnVersion::from_magic(order.u32(b)) {
            return Ok((v, order));
        }
    }
    Err(Error::BadMagic(u32::from_le_bytes(b)))
}

impl Header {
    /// Decodes the header at the start of `data`, taking version and byte
    /// order from the magic.
    pub fn parse(data: &[u8]) -> Result<Header> {
        let (version, order) = detect_magic(data)?;
        Header::parse_as(data, version, order)
    }

    /// Decodes the header as `version` in `order`, ignoring the magic.
    pub fn parse_as(data: &[u8], version: PclnVersion, order: ByteOrder) -> Result<Header> {
        let (min_lc, ptr_size) = check_prefix(data)?;
        let word = |field: HeaderField| -> Result<u64> {
            let Some(i) = field.word(version) else {
                return Ok(0);
            };
            let off = 8 + usize::from(i) * usize::from(ptr_size);
            data.get(off..off + usize::from(ptr_size))
                .and_then(|b| order.read_uint(b))
                .ok_or(Error::TooShort { len: data.len() })
        };
        Ok(Header {
            version,
            byte_order: order,
            min_lc,
            ptr_size,
            nfunc: word(HeaderField::Nfunc)?,
            nfiles: word(HeaderField::Nfiles)?,
            text_start: match HeaderField::TextStart.word(version) {
                Some(_) => Some(word(HeaderField::TextStart)?),
                None => None,
            },
            funcname_offset: word(HeaderField::FuncnameOffset)?,
            cu_offset: word(HeaderField::CuOffset)?,
            filetab_offset: word(HeaderField::FiletabOffset)?,
            pctab_offset: word(HeaderField::PctabOffset)?,
            pcln_offset: word(HeaderField::PclnOffset)?,
        })
    }

    /// Size of the header in bytes (Go 1.2: the prefix and `nfunc`).
    pub fn size(&self) -> u64 {
        let words = HEADER_WORDS[self.version as usize].iter().flatten().count() as u64;
        8 + words * u64::from(self.ptr_size)
    }

    /// Offset of the function table from the table start.
    pub fn functab_offset(&self) -> u64 {
        match self.version {
            PclnVersion::Go12 => self.size(),
            _ => self.pcln_offset,
        }
    }

    /// Size of one functab field: a pointer before Go 1.18, a u32 after.
    pub fn functab_field_size(&self) -> u64 {
        if self.version.relative_entries() {
            4
        } else {
            u64::from(self.ptr_size)
        }
    }

    /// The offset a header field holds, for the offset fields.
    pub fn offset_of(&self, field: HeaderField) -> Option<u64> {
        field.word(self.version)?;
        match field {
            HeaderField::FuncnameOffset => Some(self.funcname_offset),
            HeaderField::CuOffset => Some(self.cu_offset),
            HeaderField::FiletabOffset => Some(self.filetab_offset),
            HeaderField::PctabOffset => Some(self.pctab_offset),
            HeaderField::PclnOffset => Some(self.pcln_offset),
            _ => None,
        }
    }
}
