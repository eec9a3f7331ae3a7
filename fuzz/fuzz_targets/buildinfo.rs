//! The build-info parser: `buildinfo::locate`/`parse` and the
//! `runtime.buildVersion` data scan, on fuzz bytes placed in a synthesized
//! ELF as `.go.buildinfo` (writable) and again as `.rodata`, so pointer-form
//! blobs can point at string headers in either copy.
//!
//! Input: one selector byte (bit 0: 32-bit, bit 1: big endian), then the blob.
#![no_main]

use golayout_fuzz::{Elf, Kind, Section};
use golayout_image::Image;
use golayout_runtime::{buildinfo, buildversion};
use libfuzzer_sys::fuzz_target;

const DATA: u64 = 0x10000;
const RODATA: u64 = 0x20000;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, blob)) = data.split_first() else { return };
    let elf = Elf::from_selector(selector).build(&[
        Section::new(".go.buildinfo", DATA, Kind::Data, blob),
        Section::new(".rodata", RODATA, Kind::Rodata, blob),
    ]);
    let image = Image::parse(&elf, None).expect("synthesized ELF parses");
    if let Ok(info) = buildinfo::locate(&image) {
        let _ = info.setting("GOOS");
        let _ = info.deps.len();
    }
    let _ = buildinfo::parse(&image, DATA, blob);
    let _ = buildinfo::read_go_string(&image, DATA, image.ptr_size(), image.byte_order());
    let end = DATA + blob.len() as u64;
    let _ = buildversion::find(&image, &[DATA..end, RODATA..u64::MAX]);
});
