//! The pclntab parser: `Pclntab::parse` and `parse_as` (every version, both
//! byte orders) on raw bytes, iterating every function and file name; then
//! `pclntab::locate` on the bytes placed in a synthesized ELF, by section
//! name or (selector bit 2) by structural scan of `.rodata`.
//!
//! Input: one selector byte (bit 0: 32-bit, bit 1: big endian, bit 2: scan),
//! then the table.
#![no_main]

use golayout_fuzz::{Elf, Kind, Section};
use golayout_image::{ByteOrder, Image};
use golayout_runtime::pclntab::{self, PclnVersion, Pclntab};
use libfuzzer_sys::fuzz_target;

const TABLE: u64 = 0x600000;
const TEXT: u64 = 0x401000;
static TEXT_BYTES: [u8; 0x4000] = [0xcc; 0x4000];

fn walk(table: &Pclntab<'_>) {
    let mut n = 0u64;
    for f in table.funcs() {
        n = n.wrapping_add(f.end.wrapping_sub(f.entry) ^ f.name.len() as u64);
    }
    let files = table.files().map(str::len).sum::<usize>();
    let _ = (n, files, table.entry(table.nfunc()), table.functab_address(), table.text_base());
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    if let Ok(t) = Pclntab::parse(bytes, TABLE) {
        walk(&t);
    }
    for version in PclnVersion::ALL {
        for order in [ByteOrder::Little, ByteOrder::Big] {
            if let Ok(t) = Pclntab::parse_as(bytes, TABLE, version, order) {
                walk(&t);
            }
        }
    }
    let name = if selector & 4 != 0 { ".rodata" } else { ".gopclntab" };
    let elf = Elf::from_selector(selector)
        .build(&[Section::new(".text", TEXT, Kind::Text, &TEXT_BYTES), Section::new(name, TABLE, Kind::Rodata, bytes)]);
    let image = Image::parse(&elf, None).expect("synthesized ELF parses");
    if let Ok(found) = pclntab::locate(&image) {
        walk(&found.table);
    }
});
