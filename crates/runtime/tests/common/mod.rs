//! Shared pipeline for the fixture and corpus tests: locate the pclntab,
//! then the moduledata, the way a caller of this crate would.

#![allow(dead_code)]

use golayout_image::Image;
use golayout_runtime::moduledata::{self, ModuleData};
use golayout_runtime::pclntab::{self, Located};
use golayout_runtime::{buildinfo, GoVersion};

/// What the pipeline found in one image.
pub struct Analysis<'d> {
    pub located: Located<'d>,
    pub md: ModuleData,
    pub go_version: Option<String>,
}

/// Runs buildinfo (for the version hint), pclntab and moduledata location.
pub fn analyze<'d>(image: &Image<'d>) -> Result<Analysis<'d>, String> {
    let go_version = buildinfo::locate(image).ok().map(|b| b.go_version);
    let hint = go_version.as_deref().and_then(GoVersion::parse);
    let (mut located, md) = match pclntab::locate(image) {
        Ok(located) => {
            let md = moduledata::locate(image, &located, hint).map_err(|e| format!("moduledata: {e}"))?;
            (located, md)
        }
        Err(e) => moduledata::locate_stomped(image, hint).map_err(|m| format!("pclntab: {e}; stomped route: {m}"))?,
    };
    md.apply_text_base(&mut located.table);
    Ok(Analysis { located, md, go_version })
}

/// Checks the function table is internally consistent.
pub fn check_funcs(a: &Analysis<'_>) -> Result<usize, String> {
    let table = &a.located.table;
    let mut count = 0usize;
    let mut last = 0;
    for f in table.funcs() {
        if f.name.is_empty() {
            return Err(format!("function {} has no valid name", f.index));
        }
        if f.entry < last || f.end < f.entry {
            return Err(format!("function {} ({}) out of order", f.index, f.name));
        }
        last = f.entry;
        count += 1;
    }
    if count as u64 != table.nfunc() {
        return Err(format!("iterated {count} of {} functions", table.nfunc()));
    }
    if table.funcs().next().map(|f| f.entry) != Some(a.md.minpc) {
        return Err("first entry != minpc".into());
    }
    Ok(count)
}

/// The moduledata bounds by `runtime.*` symbol name.
pub fn bounds(md: &ModuleData) -> Vec<(&'static str, Option<u64>)> {
    vec![
        ("runtime.text", Some(md.text)),
        ("runtime.etext", Some(md.etext)),
        ("runtime.noptrdata", Some(md.noptrdata)),
        ("runtime.enoptrdata", Some(md.enoptrdata)),
        ("runtime.data", Some(md.data)),
        ("runtime.edata", Some(md.edata)),
        ("runtime.bss", Some(md.bss)),
        ("runtime.ebss", Some(md.ebss)),
        ("runtime.noptrbss", Some(md.noptrbss)),
        ("runtime.enoptrbss", Some(md.enoptrbss)),
        ("runtime.end", Some(md.end)),
        ("runtime.gcdata", Some(md.gcdata)),
        ("runtime.gcbss", Some(md.gcbss)),
        ("runtime.types", md.types),
        ("runtime.etypes", md.etypes),
        ("runtime.covctrs", md.covctrs),
        ("runtime.ecovctrs", md.ecovctrs),
    ]
}

/// Checks the GC masks have one bit per data/bss word.
pub fn check_masks(md: &ModuleData, ptr_size: u8) -> Result<(), String> {
    let p = u64::from(ptr_size);
    if md.data_mask.len() != (md.edata - md.data) / p || md.bss_mask.len() != (md.ebss - md.bss) / p {
        return Err(format!(
            "gc masks {}/{} bits for {}/{} words",
            md.data_mask.len(),
            md.bss_mask.len(),
            (md.edata - md.data) / p,
            (md.ebss - md.bss) / p
        ));
    }
    Ok(())
}
