//! The virtual address space: bytes and pointers at a virtual address.
//!
//! Reads go through [`Mapping`]s built from the segments (ELF, Mach-O) or
//! sections (PE). Bytes beyond a mapping's file size and inside its memory
//! size read as zeros (NOBITS / zerofill / PE VirtualSize tail).
//!
//! Pointer reads are relocation-aware: ELF `R_*_RELATIVE` addends (for slots
//! a linker left as zero in the file) and Mach-O chained fixups are applied.

use object::{Object, ObjectSection};

use crate::model::{Format, Section, Segment};
use crate::Image;

/// A contiguous range of the address space backed (partly) by file bytes.
#[derive(Clone, Copy, Debug)]
pub struct Mapping {
    /// Virtual address of the first byte.
    pub address: u64,
    /// Size in memory.
    pub vm_size: u64,
    /// File offset of the first byte.
    pub file_offset: u64,
    /// Bytes present in the file (the rest of `vm_size` is zero-filled).
    pub file_size: u64,
}

pub(crate) fn mappings(format: Format, segments: &[Segment<'_>], sections: &[Section<'_>]) -> Vec<Mapping> {
    // PE maps each section; ELF and Mach-O map segments.
    let ranges: Vec<(u64, u64, u64, u64)> = match format {
        Format::Pe => sections.iter().map(|s| (s.address, s.vm_size, s.file_offset, s.file_size)).collect(),
        _ => segments.iter().map(|s| (s.address, s.vm_size, s.file_offset, s.file_size)).collect(),
    };
    let mut out: Vec<Mapping> = ranges
        .into_iter()
        .filter(|r| r.1 > 0)
        .map(|(address, vm_size, file_offset, file_size)| Mapping {
            address,
            vm_size,
            file_offset,
            file_size: file_size.min(vm_size),
        })
        .collect();
    out.sort_by_key(|m| m.address);
    out
}

/// Relocation facts needed to read pointers as the loader would see them.
#[derive(Default, Debug)]
pub(crate) struct Relocations {
    /// ELF relative relocations: (slot address, addend), sorted by address.
    relative: Vec<(u64, u64)>,
    /// Mach-O chained fixups: per segment (address range, pointer format).
    chained: Vec<(u64, u64, u16)>,
    /// Mach-O preferred load address of `__TEXT` (base of offset formats).
    macho_base: u64,
}

impl<'data> Image<'data> {
    fn mapping(&self, address: u64) -> Option<&Mapping> {
        let i = self.mappings.partition_point(|m| m.address <= address);
        let m = self.mappings.get(i.checked_sub(1)?)?;
        (address - m.address < m.vm_size).then_some(m)
    }

    /// The file-backed ranges of the address space, sorted by address.
    pub fn mappings(&self) -> &[Mapping] {
        &self.mappings
    }

    /// Whether `address` is mapped at all.
    pub fn is_mapped(&self, address: u64) -> bool {
        self.mapping(address).is_some()
    }

    /// Whether `address` is backed by file bytes (not zero-fill).
    pub fn is_file_backed(&self, address: u64) -> bool {
        self.mapping(address).is_some_and(|m| address - m.address < m.file_size)
    }

    /// The file bytes at `[address, address+len)`, borrowed from the file.
    ///
    /// `None` when any part is unmapped or lies in zero-fill memory; use
    /// [`Image::read_at`] to read zero-fill memory too.
    pub fn bytes_at(&self, address: u64, len: u64) -> Option<&'data [u8]> {
        let m = self.mapping(address)?;
        let off = address - m.address;
        if off.checked_add(len)? > m.file_size {
            return None;
        }
        let start = usize::try_from(m.file_offset.checked_add(off)?).ok()?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        self.data.get(start..end)
    }

    /// The file bytes from `address` to the end of its file-backed mapping.
    pub fn bytes_from(&self, address: u64) -> Option<&'data [u8]> {
        let m = self.mapping(address)?;
        let off = address - m.address;
        let len = m.file_size.checked_sub(off)?;
        self.bytes_at(address, len)
    }

    /// Fills `buf` with the memory at `address`; zero-fill reads as zeros.
    ///
    /// Returns `false` when any byte is unmapped.
    pub fn read_at(&self, address: u64, buf: &mut [u8]) -> bool {
        let mut done = 0usize;
        while done < buf.len() {
            let a = address.wrapping_add(done as u64);
            let Some(m) = self.mapping(a) else { return false };
            let off = a - m.address;
            let in_map = usize::try_from(m.vm_size - off).unwrap_or(usize::MAX).min(buf.len() - done);
            let filed = usize::try_from(m.file_size.saturating_sub(off)).unwrap_or(usize::MAX).min(in_map);
            if filed > 0 {
                let start = (m.file_offset + off) as usize;
                match self.data.get(start..start + filed) {
                    Some(src) => buf[done..done + filed].copy_from_slice(src),
                    None => return false,
                }
            }
            buf[done + filed..done + in_map].fill(0);
            done += in_map;
        }
        true
    }

    /// Reads an unsigned integer of `size` bytes (1, 2, 4, 8) at `address`.
    pub fn read_uint(&self, address: u64, size: u8) -> Option<u64> {
        let mut buf = [0u8; 8];
        let b = &mut buf[..usize::from(size).min(8)];
        if !self.read_at(address, b) {
            return None;
        }
        self.byte_order().read_uint(b)
    }

    /// Reads a pointer-sized word at `address` as stored in the file,
    /// without applying relocations.
    pub fn read_word(&self, address: u64) -> Option<u64> {
        self.read_uint(address, self.ptr_size())
    }

    /// Reads a pointer at `address` as the loader would leave it at the
    /// link-time base: ELF relative relocation addends and Mach-O chained
    /// fixups are applied.
    pub fn read_ptr(&self, address: u64) -> Option<u64> {
        let raw = self.read_word(address)?;
        let relocs = self.relocations();
        if !relocs.relative.is_empty() {
            if let Ok(i) = relocs.relative.binary_search_by_key(&address, |r| r.0) {
                return Some(relocs.relative[i].1);
            }
            return Some(raw);
        }
        if let Some(&(_, _, fmt)) = relocs.chained.iter().find(|(start, end, _)| address >= *start && address < *end) {
            return Some(crate::fixups::decode(raw, fmt, relocs.macho_base));
        }
        Some(raw)
    }

    /// Number of ELF relative relocations / Mach-O chained-fixup segments
    /// known to the pointer reader (for diagnostics).
    pub fn relocation_summary(&self) -> (usize, usize) {
        let r = self.relocations();
        (r.relative.len(), r.chained.len())
    }

    fn relocations(&self) -> &Relocations {
        self.relocations.get_or_init(|| match self.format() {
            Format::Elf => elf_relative(self),
            Format::MachO => crate::fixups::chained_segments(self),
            Format::Pe => Relocations::default(),
        })
    }
}

impl Relocations {
    pub(crate) fn chained(chained: Vec<(u64, u64, u16)>, macho_base: u64) -> Relocations {
        Relocations { relative: Vec::new(), chained, macho_base }
    }
}

/// Collects `R_*_RELATIVE` relocations with explicit addends (RELA).
fn elf_relative(image: &Image<'_>) -> Relocations {
    let relative_type: u32 = match image.arch() {
        "amd64" => object::elf::R_X86_64_RELATIVE.0,
        "arm64" => object::elf::R_AARCH64_RELATIVE.0,
        "386" => object::elf::R_386_RELATIVE.0,
        "arm" => object::elf::R_ARM_RELATIVE.0,
        "s390x" => object::elf::R_390_RELATIVE.0,
        "ppc64" | "ppc64le" => object::elf::R_PPC64_RELATIVE.0,
        "riscv64" => object::elf::R_RISCV_RELATIVE.0,
        "loong64" => object::elf::R_LARCH_RELATIVE.0,
        "mips" | "mipsle" | "mips64" | "mips64le" => object::elf::R_MIPS_REL32.0,
        _ => return Relocations::default(),
    };
    // Only worth it when there is a dynamic relocation section at all.
    let has_dyn = image.object.sections().any(|s| matches!(s.name(), Ok(".rela.dyn") | Ok(".rela")));
    if !has_dyn {
        return Relocations::default();
    }
    let mut relative = Vec::new();
    if let Some(iter) = image.object.dynamic_relocations() {
        for (offset, rel) in iter {
            if let object::RelocationFlags::Elf { r_type } = rel.flags() {
                if r_type.0 == relative_type && !rel.has_implicit_addend() {
                    relative.push((offset, rel.addend() as u64));
                }
            }
        }
    }
    relative.sort_unstable_by_key(|r| r.0);
    Relocations { relative, ..Relocations::default() }
}
