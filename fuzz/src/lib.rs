//! Helpers shared by golayout's fuzz targets.
//!
//! - [`Elf`]: a tiny ELF writer (32/64-bit, little/big endian) that wraps
//!   fuzz bytes into sections at chosen addresses, each allocated section
//!   with its own `PT_LOAD`, so parsers that need an [`golayout_image::Image`]
//!   (build info, DWARF, pclntab scan) can be fed arbitrary section contents.
//! - [`Base`]: a real fixture binary with the file offsets of its pclntab and
//!   moduledata, so a target can splice fuzz bytes over exactly those tables
//!   and keep everything else valid (deep coverage of moduledata recovery).

#![forbid(unsafe_code)]

use golayout_image::Image;

/// What a section is, which decides its ELF type, flags and segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Executable code (`SHF_ALLOC|SHF_EXECINSTR`, segment R-X).
    Text,
    /// Read-only data (`SHF_ALLOC`, segment R--).
    Rodata,
    /// Writable data (`SHF_ALLOC|SHF_WRITE`, segment RW-).
    Data,
    /// Zero-fill (`SHT_NOBITS`, `SHF_ALLOC|SHF_WRITE`, segment RW-, no file bytes).
    Bss,
    /// Not loaded (debug info): no segment.
    Debug,
}

/// One section of a synthesized ELF.
#[derive(Clone, Debug)]
pub struct Section<'a> {
    /// Section name (`.go.buildinfo`, `.debug_info`...).
    pub name: &'a str,
    /// Virtual address (ignored for [`Kind::Debug`]).
    pub address: u64,
    /// Kind of section.
    pub kind: Kind,
    /// File bytes (ignored for [`Kind::Bss`]).
    pub data: &'a [u8],
    /// Memory size for [`Kind::Bss`].
    pub vm_size: u64,
    /// Sets `SHF_COMPRESSED` (the data then starts with an `Elf_Chdr`).
    pub compressed: bool,
}

impl<'a> Section<'a> {
    /// A section of `kind` holding `data` at `address`.
    pub fn new(name: &'a str, address: u64, kind: Kind, data: &'a [u8]) -> Self {
        Section { name, address, kind, data, vm_size: data.len() as u64, compressed: false }
    }
}

/// Builder of a minimal executable ELF.
#[derive(Clone, Copy, Debug)]
pub struct Elf {
    /// 64-bit (else 32-bit).
    pub is_64: bool,
    /// Big endian (else little).
    pub big: bool,
}

impl Elf {
    /// Picks class and byte order from the two low bits of `selector`.
    pub fn from_selector(selector: u8) -> Elf {
        Elf { is_64: selector & 1 == 0, big: selector & 2 != 0 }
    }

    fn put(&self, out: &mut Vec<u8>, value: u64, size: usize) {
        let bytes = value.to_le_bytes();
        let mut b = bytes[..size].to_vec();
        if self.big {
            b.reverse();
        }
        out.extend_from_slice(&b);
    }

    /// An address-sized field.
    fn addr(&self, out: &mut Vec<u8>, value: u64) {
        self.put(out, value, if self.is_64 { 8 } else { 4 });
    }

    /// Writes the ELF file: header, one `PT_LOAD` per allocated section,
    /// the section bytes, `.shstrtab` and the section headers.
    pub fn build(&self, sections: &[Section<'_>]) -> Vec<u8> {
        let (ehsize, phentsize, shentsize) = if self.is_64 { (64u64, 56u64, 64u64) } else { (52, 32, 40) };
        let loaded: Vec<&Section<'_>> = sections.iter().filter(|s| s.kind != Kind::Debug).collect();
        let phoff = ehsize;
        let mut offset = phoff + phentsize * loaded.len() as u64;
        // File offsets of the section bytes, 16-aligned.
        let mut offsets = Vec::with_capacity(sections.len());
        for s in sections {
            offset = offset.next_multiple_of(16);
            offsets.push(offset);
            if s.kind != Kind::Bss {
                offset += s.data.len() as u64;
            }
        }
        let mut shstrtab = vec![0u8];
        let mut names = Vec::new();
        for s in sections {
            names.push(shstrtab.len() as u64);
            shstrtab.extend_from_slice(s.name.as_bytes());
            shstrtab.push(0);
        }
        let shstrtab_name = shstrtab.len() as u64;
        shstrtab.extend_from_slice(b".shstrtab\0");
        let shstrtab_off = offset;
        let shoff = (shstrtab_off + shstrtab.len() as u64).next_multiple_of(8);
        let shnum = sections.len() as u64 + 2;
        let machine = match (self.is_64, self.big) {
            (true, false) => 62, // x86-64
            (false, false) => 3, // 386
            (true, true) => 22,  // s390x
            (false, true) => 20, // ppc
        };
        let mut out = Vec::new();
        out.extend_from_slice(&[
            0x7f,
            b'E',
            b'L',
            b'F',
            if self.is_64 { 2 } else { 1 },
            if self.big { 2 } else { 1 },
            1,
        ]);
        out.resize(16, 0);
        self.put(&mut out, 2, 2); // ET_EXEC
        self.put(&mut out, machine, 2);
        self.put(&mut out, 1, 4);
        self.addr(&mut out, loaded.iter().find(|s| s.kind == Kind::Text).map_or(0, |s| s.address));
        self.addr(&mut out, phoff);
        self.addr(&mut out, shoff);
        self.put(&mut out, 0, 4);
        self.put(&mut out, ehsize, 2);
        self.put(&mut out, phentsize, 2);
        self.put(&mut out, loaded.len() as u64, 2);
        self.put(&mut out, shentsize, 2);
        self.put(&mut out, shnum, 2);
        self.put(&mut out, shnum - 1, 2);
        for (s, &off) in sections.iter().zip(&offsets).filter(|(s, _)| s.kind != Kind::Debug) {
            let flags = match s.kind {
                Kind::Text => 5,
                Kind::Rodata => 4,
                _ => 6,
            };
            let filesz = if s.kind == Kind::Bss { 0 } else { s.data.len() as u64 };
            let memsz = if s.kind == Kind::Bss { s.vm_size } else { filesz };
            self.put(&mut out, 1, 4); // PT_LOAD
            if self.is_64 {
                self.put(&mut out, flags, 4);
            }
            self.addr(&mut out, off);
            self.addr(&mut out, s.address);
            self.addr(&mut out, s.address);
            self.addr(&mut out, filesz);
            self.addr(&mut out, memsz);
            if !self.is_64 {
                self.put(&mut out, flags, 4);
            }
            self.addr(&mut out, 0x1000);
        }
        for (s, &off) in sections.iter().zip(&offsets) {
            out.resize(off as usize, 0);
            if s.kind != Kind::Bss {
                out.extend_from_slice(s.data);
            }
        }
        out.resize(shstrtab_off as usize, 0);
        out.extend_from_slice(&shstrtab);
        out.resize(shoff as usize, 0);
        // Null section header, then one per section, then .shstrtab.
        out.resize(out.len() + shentsize as usize, 0);
        for ((s, &off), &name) in sections.iter().zip(&offsets).zip(&names) {
            let (typ, mut flags) = match s.kind {
                Kind::Text => (1, 0x6),
                Kind::Rodata => (1, 0x2),
                Kind::Data => (1, 0x3),
                Kind::Bss => (8, 0x3),
                Kind::Debug => (1, 0),
            };
            if s.compressed {
                flags |= 0x800;
            }
            let size = if s.kind == Kind::Bss { s.vm_size } else { s.data.len() as u64 };
            let address = if s.kind == Kind::Debug { 0 } else { s.address };
            self.section_header(&mut out, [name, typ, flags, address, off, size, 0, 0, 1, 0]);
        }
        let len = shstrtab.len() as u64;
        self.section_header(&mut out, [shstrtab_name, 3, 0, 0, shstrtab_off, len, 0, 0, 1, 0]);
        out
    }

    /// `[name, type, flags, addr, offset, size, link, info, addralign, entsize]`.
    fn section_header(&self, out: &mut Vec<u8>, f: [u64; 10]) {
        let w = if self.is_64 { 8 } else { 4 };
        let sizes = [4, 4, w, w, w, w, 4, 4, w, w];
        for (v, size) in f.into_iter().zip(sizes) {
            self.put(out, v, size);
        }
    }
}

/// A real fixture with the file offsets of its runtime tables.
pub struct Base {
    /// The whole file.
    pub bytes: Vec<u8>,
    /// File offset of the pclntab header.
    pub pclntab: usize,
    /// File offset of the moduledata record.
    pub moduledata: usize,
}

impl Base {
    /// Locates the pclntab and moduledata of `bytes` (a valid Go binary).
    ///
    /// # Panics
    /// If `bytes` is not one: bases are committed fixtures.
    pub fn new(bytes: &[u8]) -> Base {
        let image = Image::parse(bytes, None).expect("base fixture parses");
        let located = golayout_runtime::pclntab::locate(&image).expect("base fixture has a pclntab");
        let md = golayout_runtime::moduledata::locate(&image, &located, None).expect("base fixture has moduledata");
        let off = |address: u64| {
            let b = image.bytes_at(address, 1).expect("table is file-backed");
            b.as_ptr() as usize - bytes.as_ptr() as usize
        };
        Base { bytes: bytes.to_vec(), pclntab: off(located.address()), moduledata: off(md.address) }
    }

    /// A copy with `patch` written at `offset` (clipped to the file).
    pub fn patched(&self, offset: usize, patch: &[u8]) -> Vec<u8> {
        let mut out = self.bytes.clone();
        let end = offset.saturating_add(patch.len()).min(out.len());
        if offset < end {
            out[offset..end].copy_from_slice(&patch[..end - offset]);
        }
        out
    }
}
