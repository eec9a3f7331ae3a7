//! Reading the section and segment tables of each container into the
//! container-independent [`Section`] and [`Segment`] descriptions.

use object::{Object, ObjectSection, ObjectSegment};

use crate::model::{Format, Perms, Section, SectionFlags, Segment};
use crate::Result;

pub(crate) fn read_sections<'data>(
    object: &object::File<'data>,
    format: Format,
    data: &'data [u8],
) -> Result<Vec<Section<'data>>> {
    let mut out = Vec::new();
    for s in object.sections() {
        let name = s.name().unwrap_or("");
        let segment_name = match format {
            Format::MachO => s.segment_name().ok().flatten().and_then(|n| {
                // object returns the segment name borrowed from the header.
                let start = n.as_ptr() as usize;
                let base = data.as_ptr() as usize;
                let off = start.checked_sub(base)?;
                std::str::from_utf8(data.get(off..off + n.len())?).ok()
            }),
            _ => None,
        };
        let mut flags = SectionFlags::default();
        let (mut file_offset, mut file_size) = s.file_range().unwrap_or((0, 0));
        match s.flags() {
            object::SectionFlags::Elf { sh_type, sh_flags } => {
                flags.alloc = sh_flags.0 & object::elf::SHF_ALLOC.0 != 0;
                flags.write = sh_flags.0 & object::elf::SHF_WRITE.0 != 0;
                flags.exec = sh_flags.0 & object::elf::SHF_EXECINSTR.0 != 0;
                flags.compressed = sh_flags.0 & object::elf::SHF_COMPRESSED.0 != 0;
                flags.nobits = sh_type == object::elf::SHT_NOBITS;
                if flags.compressed {
                    // file_range() reports the compressed bytes already.
                }
            }
            object::SectionFlags::MachO { flags: f, .. } => {
                let typ = f.typ();
                flags.nobits = typ == object::macho::S_ZEROFILL
                    || typ == object::macho::S_GB_ZEROFILL
                    || typ == object::macho::S_THREAD_LOCAL_ZEROFILL;
                flags.exec = f.0 & object::macho::S_ATTR_PURE_INSTRUCTIONS.0 != 0
                    || f.0 & object::macho::S_ATTR_SOME_INSTRUCTIONS.0 != 0;
                let seg = segment_name.unwrap_or("");
                flags.alloc = seg != "__DWARF" && s.address() != 0 || seg == "__TEXT";
                flags.write = matches!(seg, "__DATA" | "__DATA_CONST" | "__DATA_DIRTY");
                if flags.nobits {
                    file_offset = 0;
                    file_size = 0;
                }
            }
            object::SectionFlags::Coff { characteristics: c } => {
                use object::pe;
                flags.write = c.0 & pe::IMAGE_SCN_MEM_WRITE.0 != 0;
                flags.exec = c.0 & pe::IMAGE_SCN_MEM_EXECUTE.0 != 0;
                flags.alloc = c.0 & pe::IMAGE_SCN_MEM_DISCARDABLE.0 == 0;
                flags.nobits = c.0 & pe::IMAGE_SCN_CNT_UNINITIALIZED_DATA.0 != 0
                    && c.0 & pe::IMAGE_SCN_CNT_INITIALIZED_DATA.0 == 0;
                if let Some((off, raw)) = pe_raw(object, s.index()) {
                    file_offset = off;
                    file_size = raw;
                }
            }
            _ => {}
        }
        if format != Format::Elf && (name.starts_with(".zdebug") || name.starts_with("__zdebug")) {
            flags.compressed = data.get(file_offset as usize..).is_some_and(|d| d.starts_with(b"ZLIB"));
        }
        out.push(Section {
            index: s.index().0,
            name: name_in(data, name),
            segment_name,
            address: s.address(),
            vm_size: s.size(),
            file_offset,
            file_size,
            align: s.align(),
            flags,
        });
    }
    Ok(out)
}

/// PE `(PointerToRawData, SizeOfRawData)` of a section.
fn pe_raw(object: &object::File<'_>, index: object::SectionIndex) -> Option<(u64, u64)> {
    let table = match object {
        object::File::Pe32(f) => f.section_table(),
        object::File::Pe64(f) => f.section_table(),
        _ => return None,
    };
    let h = table.section(index).ok()?;
    let le = object::LittleEndian;
    Some((h.pointer_to_raw_data.get(le).into(), h.size_of_raw_data.get(le).into()))
}

/// Re-borrows `name` from the file bytes when it points into them, so it has
/// the `'data` lifetime; names object synthesizes are leaked never: they are
/// replaced by a static placeholder.
fn name_in<'data>(data: &'data [u8], name: &str) -> &'data str {
    let base = data.as_ptr() as usize;
    let start = name.as_ptr() as usize;
    if let Some(off) = start.checked_sub(base) {
        if let Some(bytes) = data.get(off..off + name.len()) {
            if let Ok(s) = std::str::from_utf8(bytes) {
                return s;
            }
        }
    }
    "?"
}

pub(crate) fn read_segments<'data>(
    object: &object::File<'data>,
    format: Format,
    sections: &[Section<'data>],
    image_base: u64,
) -> Vec<Segment<'data>> {
    if format == Format::Pe {
        let end = sections.iter().map(|s| s.end()).max().unwrap_or(image_base);
        let size_of_image = match object {
            object::File::Pe32(f) => u64::from(f.nt_headers().optional_header.size_of_image.get(object::LittleEndian)),
            object::File::Pe64(f) => u64::from(f.nt_headers().optional_header.size_of_image.get(object::LittleEndian)),
            _ => 0,
        };
        let vm = size_of_image.max(end - image_base);
        return vec![Segment {
            name: Some("image"),
            address: image_base,
            vm_size: vm,
            file_offset: 0,
            file_size: object_len(object),
            perms: Perms { read: true, write: true, exec: true },
        }];
    }
    let mut out = Vec::new();
    for seg in object.segments() {
        let (file_offset, file_size) = seg.file_range();
        let p = seg.permissions();
        let name = seg.name().ok().flatten().map(|n| name_in(object_data(object), n));
        let perms = Perms { read: p.readable(), write: p.writable(), exec: p.executable() };
        out.push(Segment { name, address: seg.address(), vm_size: seg.size(), file_offset, file_size, perms });
    }
    out
}

fn object_data<'data>(object: &object::File<'data>) -> &'data [u8] {
    match object {
        object::File::MachO32(f) => f.data(),
        object::File::MachO64(f) => f.data(),
        object::File::Elf32(f) => f.data(),
        object::File::Elf64(f) => f.data(),
        object::File::Pe32(f) => f.data(),
        object::File::Pe64(f) => f.data(),
        _ => &[],
    }
}

fn object_len(object: &object::File<'_>) -> u64 {
    match object {
        object::File::Pe32(f) => f.data().len() as u64,
        object::File::Pe64(f) => f.data().len() as u64,
        _ => 0,
    }
}
