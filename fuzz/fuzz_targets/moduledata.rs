//! Moduledata recovery on real binaries with fuzzed tables: the input is
//! XOR-ed over the moduledata record (and then the pclntab header) of a
//! committed fixture, and the whole runtime pipeline runs: `pclntab::locate`,
//! `moduledata::locate` (every layout, GC program decoding, data-range
//! checks) and, when the pclntab magic no longer validates,
//! `moduledata::locate_stomped`.
//!
//! Input: one selector byte (bit 0: which base fixture), then up to
//! [`RECORD`] mask bytes for the record, then up to [`HEADER`] mask bytes for
//! the pclntab header. An all-zero mask reproduces the fixture.
#![no_main]

use std::sync::OnceLock;

use golayout_fuzz::Base;
use golayout_image::Image;
use golayout_runtime::{gcprog, moduledata, pclntab};
use libfuzzer_sys::fuzz_target;

const RECORD: usize = 640;
const HEADER: usize = 128;

static BASES: OnceLock<[Base; 2]> = OnceLock::new();

fn bases() -> &'static [Base; 2] {
    BASES.get_or_init(|| {
        [
            Base::new(include_bytes!("../../fixtures/bin/go1.27-linux-386-stripped")),
            Base::new(include_bytes!("../../fixtures/bin/go1.22-linux-amd64-stripped")),
        ]
    })
}

fn xor_at(bytes: &mut [u8], offset: usize, mask: &[u8]) {
    for (b, m) in bytes.iter_mut().skip(offset).zip(mask) {
        *b ^= m;
    }
}

fn touch(md: &moduledata::ModuleData) {
    let _ = (md.data_mask.count_ones(), md.bss_mask.count_ones(), md.pclntab_end());
    let _ = md.data_mask.ones_in(0..md.data_mask.len()).take(1000).count();
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, mask)) = data.split_first() else { return };
    let base = &bases()[usize::from(selector & 1)];
    let mut bytes = base.bytes.clone();
    let (record, header) = mask.split_at(mask.len().min(RECORD));
    xor_at(&mut bytes, base.moduledata, record);
    xor_at(&mut bytes, base.pclntab, &header[..header.len().min(HEADER)]);
    let image = Image::parse(&bytes, None).expect("only runtime tables are touched");
    match pclntab::locate(&image) {
        Ok(mut located) => {
            if let Ok(md) = moduledata::locate(&image, &located, None) {
                md.apply_text_base(&mut located.table);
                let _ = located.table.funcs().count();
                touch(&md);
            }
        }
        Err(_) => {
            if let Ok((located, md)) = moduledata::locate_stomped(&image, None) {
                let _ = located.table.funcs().count();
                touch(&md);
            }
        }
    }
    // The GC program decoder on the record bytes themselves.
    let _ = gcprog::decode(record, u64::from(selector) * 8);
});
