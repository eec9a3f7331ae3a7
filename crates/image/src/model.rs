//! Plain descriptions of what a container holds: sections, segments, symbols.

use serde::{Deserialize, Serialize};

/// The container format of a binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// ELF (Linux, BSDs, ...).
    Elf,
    /// Mach-O (macOS, iOS).
    #[serde(rename = "macho")]
    MachO,
    /// PE/COFF (Windows).
    Pe,
}

impl Format {
    /// The format's usual name (`ELF`, `Mach-O`, `PE`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Elf => "ELF",
            Format::MachO => "Mach-O",
            Format::Pe => "PE",
        }
    }
}

/// Byte order of the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ByteOrder {
    /// Least significant byte first.
    Little,
    /// Most significant byte first.
    Big,
}

impl ByteOrder {
    /// Reads an unsigned integer of `bytes.len()` (1, 2, 4 or 8) bytes.
    ///
    /// Returns `None` for other lengths.
    #[inline]
    pub fn read_uint(self, bytes: &[u8]) -> Option<u64> {
        match bytes.len() {
            1 => Some(u64::from(bytes[0])),
            2 => Some(u64::from(self.u16(bytes.try_into().ok()?))),
            4 => Some(u64::from(self.u32(bytes.try_into().ok()?))),
            8 => Some(self.u64(bytes.try_into().ok()?)),
            _ => None,
        }
    }

    /// Decodes a `u16`.
    #[inline]
    pub fn u16(self, b: [u8; 2]) -> u16 {
        match self {
            ByteOrder::Little => u16::from_le_bytes(b),
            ByteOrder::Big => u16::from_be_bytes(b),
        }
    }

    /// Decodes a `u32`.
    #[inline]
    pub fn u32(self, b: [u8; 4]) -> u32 {
        match self {
            ByteOrder::Little => u32::from_le_bytes(b),
            ByteOrder::Big => u32::from_be_bytes(b),
        }
    }

    /// Decodes a `u64`.
    #[inline]
    pub fn u64(self, b: [u8; 8]) -> u64 {
        match self {
            ByteOrder::Little => u64::from_le_bytes(b),
            ByteOrder::Big => u64::from_be_bytes(b),
        }
    }
}

/// Read/write/execute permissions of a section or segment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Perms {
    /// Readable when loaded.
    pub read: bool,
    /// Writable when loaded.
    pub write: bool,
    /// Executable when loaded.
    pub exec: bool,
}

impl std::fmt::Display for Perms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = |b, ch| if b { ch } else { '-' };
        write!(f, "{}{}{}", c(self.read, 'r'), c(self.write, 'w'), c(self.exec, 'x'))
    }
}

/// Container-independent flags of a section.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionFlags {
    /// Occupies memory at run time (ELF `SHF_ALLOC`; Mach-O: not in a
    /// zero-size segment such as `__DWARF`; PE: not discardable).
    pub alloc: bool,
    /// Writable at run time.
    pub write: bool,
    /// Executable.
    pub exec: bool,
    /// Has no bytes in the file (ELF `SHT_NOBITS`, Mach-O zerofill).
    pub nobits: bool,
    /// Contents are compressed (ELF `SHF_COMPRESSED`, or a `ZLIB` header in a
    /// `.zdebug`/`__zdebug` section).
    pub compressed: bool,
}

/// One section of the container.
#[derive(Clone, Debug, Serialize)]
pub struct Section<'data> {
    /// Position in the container's section table (ELF: header index; Mach-O
    /// and PE: 1-based order).
    pub index: usize,
    /// Section name, e.g. `.noptrdata` or `__noptrdata`.
    pub name: &'data str,
    /// Mach-O segment name (`__DATA`), `None` elsewhere.
    pub segment_name: Option<&'data str>,
    /// Virtual address (0 for sections not loaded).
    pub address: u64,
    /// Size in memory.
    pub vm_size: u64,
    /// Offset of the section's bytes in the file (0 when it has none).
    pub file_offset: u64,
    /// Bytes the section occupies in the file (0 for NOBITS / zerofill; PE:
    /// `SizeOfRawData`).
    pub file_size: u64,
    /// Alignment in bytes.
    pub align: u64,
    /// Flags.
    pub flags: SectionFlags,
}

impl Section<'_> {
    /// Whether `address` falls inside the section's memory range.
    pub fn contains(&self, address: u64) -> bool {
        address >= self.address && address - self.address < self.vm_size
    }

    /// End of the section's memory range.
    pub fn end(&self) -> u64 {
        self.address.saturating_add(self.vm_size)
    }
}

/// A loadable segment: ELF `PT_LOAD`, Mach-O `LC_SEGMENT(_64)`, or the whole
/// PE image as one mapping.
#[derive(Clone, Debug, Serialize)]
pub struct Segment<'data> {
    /// Name (Mach-O), `None` for ELF; `"image"` for PE.
    pub name: Option<&'data str>,
    /// Virtual address.
    pub address: u64,
    /// Size in memory.
    pub vm_size: u64,
    /// File offset.
    pub file_offset: u64,
    /// Bytes in the file.
    pub file_size: u64,
    /// Permissions when loaded (Mach-O: `initprot`).
    pub perms: Perms,
}

impl Segment<'_> {
    /// Whether `address` falls inside the segment's memory range.
    pub fn contains(&self, address: u64) -> bool {
        address >= self.address && address - self.address < self.vm_size
    }
}

/// A defined symbol from the container's symbol table.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Symbol<'data> {
    /// Name with any Mach-O leading underscore removed.
    pub name: &'data str,
    /// Virtual address.
    pub address: u64,
    /// Size recorded by the container (ELF only); `None` where the format
    /// has no size field.
    pub size: Option<u64>,
    /// Index of the containing section, as in [`Section::index`].
    pub section: Option<usize>,
}

/// One architecture slice of a fat (universal) Mach-O file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FatSlice {
    /// Go architecture name (`amd64`, `arm64`, ...).
    pub arch: String,
    /// Offset of the slice in the file.
    pub offset: u64,
    /// Size of the slice.
    pub size: u64,
}

/// Maps an `object` architecture to Go's `GOARCH` spelling.
pub fn goarch(arch: object::Architecture, big_endian: bool, is_64: bool) -> &'static str {
    use object::Architecture as A;
    match arch {
        A::X86_64 | A::X86_64_X32 => "amd64",
        A::I386 => "386",
        A::Arm => "arm",
        A::Aarch64 | A::Aarch64_Ilp32 => "arm64",
        A::S390x => "s390x",
        A::PowerPc64 if big_endian => "ppc64",
        A::PowerPc64 => "ppc64le",
        A::PowerPc => "ppc",
        A::Mips if big_endian => "mips",
        A::Mips => "mipsle",
        A::Mips64 if big_endian => "mips64",
        A::Mips64 => "mips64le",
        A::Riscv64 => "riscv64",
        A::Riscv32 => "riscv32",
        A::LoongArch64 => "loong64",
        A::Wasm32 | A::Wasm64 => "wasm",
        A::Sparc64 => "sparc64",
        _ if is_64 => "unknown64",
        _ => "unknown",
    }
}
