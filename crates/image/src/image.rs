//! [`Image`]: one parsed binary (one slice of a fat Mach-O).

use object::{FileKind, Object, ObjectSymbol, SymbolKind};

use crate::memory::Relocations;
use crate::model::{goarch, ByteOrder, FatSlice, Format, Section, Segment, Symbol};
use crate::{Error, Result};

/// A parsed binary: container facts plus a view of its virtual address space.
///
/// Borrows the file's bytes (`'data`); nothing is copied. Sections and
/// segments are read eagerly (there are few); symbols are iterated lazily.
pub struct Image<'data> {
    /// The whole input (for a fat Mach-O, the whole fat file).
    pub(crate) file_data: &'data [u8],
    /// The bytes of the selected slice (the whole file unless fat).
    pub(crate) data: &'data [u8],
    pub(crate) object: object::File<'data>,
    format: Format,
    arch: &'static str,
    ptr_size: u8,
    byte_order: ByteOrder,
    entry: u64,
    image_base: u64,
    sections: Vec<Section<'data>>,
    segments: Vec<Segment<'data>>,
    /// File-backed ranges used for virtual-address reads, sorted by address.
    pub(crate) mappings: Vec<crate::memory::Mapping>,
    fat_slices: Vec<FatSlice>,
    selected_slice: Option<usize>,
    pub(crate) relocations: std::sync::OnceLock<Relocations>,
    /// The defined, named symbols, read from the container once on first use.
    symbols: std::sync::OnceLock<Vec<Symbol<'data>>>,
}

impl<'data> Image<'data> {
    /// Parses `data` as an ELF, Mach-O (thin or fat) or PE binary.
    ///
    /// For a fat Mach-O, `arch` picks the slice by Go architecture name
    /// (`amd64`, `arm64`...); without it the host's architecture is used when
    /// present, else the first slice.
    pub fn parse(data: &'data [u8], arch: Option<&str>) -> Result<Image<'data>> {
        if data.is_empty() {
            return Err(Error::Empty);
        }
        let kind = match FileKind::parse(data) {
            Ok(kind) => kind,
            // The magic of a container whose header is cut short or broken.
            Err(_) => match container_magic(data) {
                Some(format) => return Err(malformed(format, "header truncated or malformed")),
                None => return Err(Error::NotABinary(describe_unknown(data))),
            },
        };
        let (slice_data, fat_slices, selected) = match kind {
            FileKind::MachOFat32 | FileKind::MachOFat64 => {
                let slices = fat_slices(data, kind)?;
                let index = pick_slice(&slices, arch)?;
                let s = &slices[index];
                let start = usize::try_from(s.offset).ok();
                let end = start.and_then(|st| st.checked_add(usize::try_from(s.size).ok()?));
                let bytes = match (start, end) {
                    (Some(st), Some(en)) if en <= data.len() => &data[st..en],
                    _ => return Err(malformed("Mach-O", "fat slice outside the file")),
                };
                (bytes, slices, Some(index))
            }
            FileKind::Elf32 | FileKind::Elf64 => (data, Vec::new(), None),
            FileKind::MachO32 | FileKind::MachO64 => (data, Vec::new(), None),
            FileKind::Pe32 | FileKind::Pe64 => (data, Vec::new(), None),
            other => return Err(Error::Unsupported(format!("{other:?}"))),
        };
        let object = object::File::parse(slice_data).map_err(|e| {
            let format = match kind {
                FileKind::Elf32 | FileKind::Elf64 => "ELF",
                FileKind::Pe32 | FileKind::Pe64 => "PE",
                _ => "Mach-O",
            };
            malformed(format, &e.to_string())
        })?;
        Self::from_object(data, slice_data, object, fat_slices, selected)
    }

    fn from_object(
        file_data: &'data [u8],
        data: &'data [u8],
        object: object::File<'data>,
        fat_slices: Vec<FatSlice>,
        selected_slice: Option<usize>,
    ) -> Result<Image<'data>> {
        let format = match &object {
            object::File::Elf32(_) | object::File::Elf64(_) => Format::Elf,
            object::File::MachO32(_) | object::File::MachO64(_) => Format::MachO,
            object::File::Pe32(_) | object::File::Pe64(_) => Format::Pe,
            _ => return Err(Error::Unsupported("object kind".into())),
        };
        let big = !object.is_little_endian();
        let is_64 = object.is_64();
        let byte_order = if big { ByteOrder::Big } else { ByteOrder::Little };
        let image_base = if format == Format::Pe { object.relative_address_base() } else { 0 };
        let entry = object.entry();
        let sections = crate::containers::read_sections(&object, format, data)?;
        let segments = crate::containers::read_segments(&object, format, &sections, image_base);
        let mappings = crate::memory::mappings(format, &segments, &sections);
        // Mach-O LC_MAIN records the entry as a file offset into __TEXT.
        let entry = match segments.iter().find(|s| s.name == Some("__TEXT")) {
            Some(text) if format == Format::MachO && !segments.iter().any(|s| s.perms.exec && s.contains(entry)) => {
                text.address.wrapping_add(entry.wrapping_sub(text.file_offset))
            }
            _ => entry,
        };
        Ok(Image {
            file_data,
            data,
            arch: goarch(object.architecture(), big, is_64),
            ptr_size: if is_64 { 8 } else { 4 },
            object,
            format,
            byte_order,
            entry,
            image_base,
            sections,
            segments,
            mappings,
            fat_slices,
            selected_slice,
            relocations: std::sync::OnceLock::new(),
            symbols: std::sync::OnceLock::new(),
        })
    }

    /// Container format.
    pub fn format(&self) -> Format {
        self.format
    }
    /// Go architecture name (`amd64`, `arm64`, `386`, `s390x`...).
    pub fn arch(&self) -> &'static str {
        self.arch
    }
    /// Pointer size of the target in bytes (4 or 8).
    pub fn ptr_size(&self) -> u8 {
        self.ptr_size
    }
    /// Byte order of the target.
    pub fn byte_order(&self) -> ByteOrder {
        self.byte_order
    }
    /// Entry point virtual address.
    pub fn entry(&self) -> u64 {
        self.entry
    }
    /// PE image base (`OptionalHeader.ImageBase`); 0 for ELF and Mach-O.
    pub fn image_base(&self) -> u64 {
        self.image_base
    }
    /// Every section, in container order.
    pub fn sections(&self) -> &[Section<'data>] {
        &self.sections
    }
    /// Loadable segments in container order.
    pub fn segments(&self) -> &[Segment<'data>] {
        &self.segments
    }
    /// Slices of a fat Mach-O (empty otherwise).
    pub fn fat_slices(&self) -> &[FatSlice] {
        &self.fat_slices
    }
    /// Index into [`Image::fat_slices`] of the slice being read.
    pub fn selected_slice(&self) -> Option<usize> {
        self.selected_slice
    }
    /// The bytes of the selected slice (the whole file unless fat).
    pub fn data(&self) -> &'data [u8] {
        self.data
    }
    /// Size of the whole input file.
    pub fn file_size(&self) -> u64 {
        self.file_data.len() as u64
    }
    /// The underlying `object` file, for container details not exposed here.
    pub fn object(&self) -> &object::File<'data> {
        &self.object
    }

    /// First section with this name (Mach-O: section name without segment).
    pub fn section_by_name(&self, name: &str) -> Option<&Section<'data>> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// The allocated section containing `address`, if any.
    pub fn section_containing(&self, address: u64) -> Option<&Section<'data>> {
        self.sections.iter().filter(|s| s.flags.alloc && s.vm_size > 0).find(|s| s.contains(address))
    }

    /// The segment containing `address`, if any.
    pub fn segment_containing(&self, address: u64) -> Option<&Segment<'data>> {
        self.segments.iter().find(|s| s.contains(address))
    }

    /// The file bytes of a section; empty for NOBITS/zerofill sections.
    pub fn section_data(&self, section: &Section<'data>) -> &'data [u8] {
        let start = section.file_offset as usize;
        let end = start.saturating_add(section.file_size as usize);
        self.data.get(start..end.min(self.data.len())).unwrap_or(&[])
    }

    /// Iterates over the defined, named symbols of the static symbol table.
    ///
    /// Mach-O names lose their leading `_`. Section and file symbols are
    /// skipped. The table is decoded once (names borrowed from the file,
    /// nothing copied) and kept: later calls iterate the kept list.
    pub fn symbols(&self) -> impl Iterator<Item = Symbol<'data>> + '_ {
        self.symbol_table().iter().copied()
    }

    /// The defined, named symbols in container order (see [`Image::symbols`]).
    pub fn symbol_table(&self) -> &[Symbol<'data>] {
        self.symbols.get_or_init(|| {
            let strip = self.format == Format::MachO;
            let sized = self.format == Format::Elf;
            // Sized once from the ELF symbol table: growing by doubling would
            // copy the list and touch twice its pages.
            let mut out = Vec::with_capacity(self.elf_symbol_count());
            out.extend(self.object.symbols().filter_map(move |s| {
                if s.is_undefined() || matches!(s.kind(), SymbolKind::Section | SymbolKind::File) {
                    return None;
                }
                let mut name = s.name().ok()?;
                if strip {
                    name = name.strip_prefix('_').unwrap_or(name);
                }
                if name.is_empty() {
                    return None;
                }
                Some(Symbol {
                    name,
                    address: s.address(),
                    size: sized.then(|| s.size()),
                    section: s.section_index().map(|i| i.0),
                })
            }));
            out
        })
    }

    /// Entries of the ELF `.symtab` (an upper bound of [`Image::symbols`]);
    /// 0 for other formats.
    fn elf_symbol_count(&self) -> usize {
        if self.format != Format::Elf {
            return 0;
        }
        let entry = if self.ptr_size == 8 { 24 } else { 16 };
        let size = self.sections.iter().find(|s| s.name == ".symtab").map_or(0, |s| s.file_size);
        usize::try_from(size / entry).unwrap_or(0).min(self.data.len() / entry as usize)
    }

    /// Where the file would end according to its headers, when that is past
    /// its actual end: the file is truncated (a cut-short download). `None`
    /// when every section and segment's file bytes are present.
    pub fn truncated_at(&self) -> Option<u64> {
        let sections = self.sections.iter().filter(|s| !s.flags.nobits).map(|s| (s.file_offset, s.file_size));
        let segments = self.segments.iter().map(|s| (s.file_offset, s.file_size));
        let claimed = sections.chain(segments).map(|(off, size)| off.saturating_add(size)).max()?;
        (claimed > self.data.len() as u64).then_some(claimed)
    }

    /// Whether the container has a (non-empty) static symbol table.
    pub fn has_symbols(&self) -> bool {
        !self.symbol_table().is_empty()
    }

    /// Looks up several symbols by exact name in one pass over the table.
    pub fn find_symbols<const N: usize>(&self, names: [&str; N]) -> [Option<Symbol<'data>>; N] {
        let mut out = [None; N];
        let mut left = N;
        // Most names differ in length from every wanted one: test that first.
        let mut lengths = [0u64; 4];
        for n in &names {
            let l = n.len().min(255);
            lengths[l / 64] |= 1 << (l % 64);
        }
        for sym in self.symbol_table() {
            let l = sym.name.len().min(255);
            if lengths[l / 64] >> (l % 64) & 1 == 0 {
                continue;
            }
            if let Some(i) = names.iter().position(|n| *n == sym.name) {
                if out[i].is_none() {
                    out[i] = Some(*sym);
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
        out
    }
}

fn malformed(format: &'static str, detail: &str) -> Error {
    Error::Malformed { format, detail: detail.to_string() }
}

/// The container format whose magic `data` starts with (ELF, PE's `MZ`,
/// thin Mach-O in either byte order). Fat Mach-O's `cafebabe` is left out:
/// Java class files share it.
fn container_magic(data: &[u8]) -> Option<&'static str> {
    const MACHO: [[u8; 4]; 4] =
        [[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe]];
    if data.starts_with(b"\x7fELF") {
        Some("ELF")
    } else if data.starts_with(b"MZ") {
        Some("PE")
    } else if MACHO.iter().any(|m| data.starts_with(m)) {
        Some("Mach-O")
    } else {
        None
    }
}

/// A short description of what an unrecognized file looks like.
fn describe_unknown(data: &[u8]) -> String {
    let head = &data[..data.len().min(512)];
    if data.starts_with(b"#!") {
        "a script".into()
    } else if data.starts_with(b"PK\x03\x04") {
        "a zip archive".into()
    } else if data.starts_with(b"\x1f\x8b") {
        "gzip data".into()
    } else if data.starts_with(b"\0asm") {
        "WebAssembly, not supported".into()
    } else if std::str::from_utf8(head).is_ok() || head.iter().all(|b| b.is_ascii()) {
        "text".into()
    } else {
        format!("unknown magic {:02x?}", &data[..data.len().min(4)])
    }
}

fn fat_slices(data: &[u8], kind: FileKind) -> Result<Vec<FatSlice>> {
    use object::read::macho::{FatArch, MachOFatFile32, MachOFatFile64};
    fn collect<A: FatArch>(arches: &[A]) -> Vec<FatSlice> {
        arches
            .iter()
            .map(|a| {
                let arch = a.architecture();
                let is_64 = matches!(arch, object::Architecture::X86_64 | object::Architecture::Aarch64);
                FatSlice {
                    arch: goarch(arch, false, is_64).to_string(),
                    offset: a.offset().into(),
                    size: a.size().into(),
                }
            })
            .collect()
    }
    let err = |e: object::Error| malformed("Mach-O", &e.to_string());
    Ok(match kind {
        FileKind::MachOFat32 => collect(MachOFatFile32::parse(data).map_err(err)?.arches()),
        _ => collect(MachOFatFile64::parse(data).map_err(err)?.arches()),
    })
}

fn pick_slice(slices: &[FatSlice], arch: Option<&str>) -> Result<usize> {
    if slices.is_empty() {
        return Err(malformed("Mach-O", "fat file with no slices"));
    }
    if let Some(want) = arch {
        return slices.iter().position(|s| s.arch == want).ok_or_else(|| Error::NoSuchArch {
            requested: want.to_string(),
            available: slices.iter().map(|s| s.arch.as_str()).collect::<Vec<_>>().join(", "),
        });
    }
    let host = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    Ok(slices.iter().position(|s| s.arch == host).unwrap_or(0))
}
