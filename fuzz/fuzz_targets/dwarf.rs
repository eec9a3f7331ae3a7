//! DWARF variable extraction (`dwarf::read_vars`) on fuzz bytes placed in a
//! synthesized ELF as `.debug_abbrev`, `.debug_str` and `.debug_info`,
//! optionally named `.zdebug_*` (the `ZLIB`+size form) or flagged
//! `SHF_COMPRESSED` (an `Elf_Chdr` in front).
//!
//! Input: selector byte (bit 0: 32-bit, bit 1: big endian, bit 2: `.zdebug_*`
//! names, bit 3: `SHF_COMPRESSED`), u16 LE abbrev length, u16 LE str length,
//! the abbrev bytes, the str bytes, and the rest as `.debug_info`.
#![no_main]

use golayout_fuzz::{Elf, Kind, Section};
use golayout_image::Image;
use golayout_layout::dwarf;
use libfuzzer_sys::fuzz_target;

fn take<'a>(rest: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (a, b) = rest.split_at(n.min(rest.len()));
    *rest = b;
    a
}

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    let head = take(&mut rest, 5);
    if head.len() < 5 {
        return;
    }
    let selector = head[0];
    let abbrev = take(&mut rest, usize::from(u16::from_le_bytes([head[1], head[2]])));
    let strs = take(&mut rest, usize::from(u16::from_le_bytes([head[3], head[4]])));
    let info = rest;
    let z = selector & 4 != 0;
    let names = if z {
        [".zdebug_abbrev", ".zdebug_str", ".zdebug_info"]
    } else {
        [".debug_abbrev", ".debug_str", ".debug_info"]
    };
    let mut sections: Vec<Section<'_>> =
        names.iter().zip([abbrev, strs, info]).map(|(name, bytes)| Section::new(name, 0, Kind::Debug, bytes)).collect();
    for s in &mut sections {
        s.compressed = selector & 8 != 0;
    }
    let elf = Elf::from_selector(selector).build(&sections);
    let image = Image::parse(&elf, None).expect("synthesized ELF parses");
    let _ = dwarf::has_dwarf(&image);
    if let Ok(Some(vars)) = dwarf::read_vars(&image) {
        let _ = vars.vars.iter().map(|v| v.name.len() as u64 + v.size.unwrap_or(0)).sum::<u64>();
    }
});
