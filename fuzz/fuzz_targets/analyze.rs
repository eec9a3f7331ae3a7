//! The whole analysis (`analyze_bytes`, functions included) on arbitrary
//! bytes: container parsing, build info, pclntab, moduledata, DWARF,
//! variables and totals.
#![no_main]

use golayout_layout::{analyze_bytes, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = Options { with_functions: true, ..Options::default() };
    if let Ok(layout) = analyze_bytes(data, "fuzz-input", &options) {
        let _ = (layout.variables.len(), layout.functions.len(), layout.notices.len());
    }
});
