//! Checks every fixture binary in `fixtures/bin` against the ground truth
//! that Go's own readers wrote to `fixtures/truth/<name>/oracle.json`:
//! the function set (name + entry), the moduledata bounds against the
//! `runtime.*` symbols, and the GC masks' bit counts. Stripped fixtures are
//! compared with their unstripped twin (the name without `-stripped`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use golayout_image::{Image, MappedFile};
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn oracle(dir: &Path, name: &str) -> Result<Value, String> {
    let path = dir.join("truth").join(name).join("oracle.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Compares one image with one oracle report (`truth`: the twin's for stripped builds).
fn check_image(image: &Image<'_>, own: &Value, truth: &Value) -> Result<String, String> {
    let a = common::analyze(image)?;
    let n = common::check_funcs(&a)?;
    common::check_masks(&a.md, image.ptr_size())?;
    if let Some(addr) = own["pclntab"]["addr"].as_u64() {
        if addr != a.located.address() {
            return Err(format!("pclntab at {:#x}, oracle {addr:#x}", a.located.address()));
        }
    }
    let mut checked = 0;
    if let Some(funcs) = truth["funcs"].as_array() {
        let want: BTreeSet<(String, u64)> = funcs
            .iter()
            .map(|f| (f["name"].as_str().unwrap_or("").to_string(), f["entry"].as_u64().unwrap_or(0)))
            .collect();
        let got: BTreeSet<(String, u64)> = a.located.table.funcs().map(|f| (f.name.to_string(), f.entry)).collect();
        if want != got {
            let missing: Vec<_> = want.difference(&got).take(3).collect();
            let extra: Vec<_> = got.difference(&want).take(3).collect();
            return Err(format!("function set differs: missing {missing:?}, unexpected {extra:?}"));
        }
        checked += 1;
    }
    let symbols = &truth["runtime_symbols"];
    let mut bounds = 0;
    for (name, value) in common::bounds(&a.md) {
        let Some(want) = symbols[name].as_u64().map(|v| translate(v, truth, own)) else {
            continue;
        };
        match value {
            Some(got) if got == want => bounds += 1,
            other => return Err(format!("{name}: moduledata {other:x?}, oracle {want:#x}")),
        }
    }
    if symbols.as_object().is_some_and(|m| !m.is_empty()) && bounds < 13 {
        return Err(format!("only {bounds} bounds found in the oracle's runtime symbols"));
    }
    Ok(format!(
        "{n} funcs{}, {bounds} bounds, pclntab {:?}, moduledata {:?} layout {}",
        if checked > 0 { " = oracle" } else { " (oracle has none)" },
        a.located.found_by,
        a.md.found_by,
        a.md.layout.name
    ))
}

/// Maps an address of the twin (`from`) into the stripped binary (`to`):
/// stripping can move whole sections (go1.21 linux/amd64: the data segment
/// is 0x1000 lower), so keep the offset inside the same-named section.
fn translate(addr: u64, from: &Value, to: &Value) -> u64 {
    let sections = |v: &Value| v["sections"].as_array().cloned().unwrap_or_default();
    let range = |s: &Value| (s["addr"].as_u64().unwrap_or(0), s["size"].as_u64().unwrap_or(0));
    let from_sections = sections(from);
    let alloc = |s: &&Value| s["alloc"].as_bool() == Some(true) && range(s).0 != 0;
    let inside = from_sections.iter().filter(alloc).find(|s| addr >= range(s).0 && addr < range(s).0 + range(s).1);
    let at_end = || from_sections.iter().filter(alloc).find(|s| addr == range(s).0 + range(s).1);
    let Some(section) = inside.or_else(at_end) else {
        return addr;
    };
    let key = |s: &Value| (s["name"].clone(), s["segment"].clone());
    match sections(to).iter().find(|s| key(s) == key(section)) {
        Some(own) => range(own).0 + (addr - range(section).0),
        None => addr,
    }
}

fn check_fixture(dir: &Path, name: &str) -> Result<Vec<String>, String> {
    let own = oracle(dir, name)?;
    let truth = match name.replace("-stripped", "") {
        twin if twin != name => oracle(dir, &twin)?,
        _ => own.clone(),
    };
    let file = MappedFile::open(&dir.join("bin").join(name)).map_err(|e| e.to_string())?;
    if own["format"] == "macho-fat" {
        let (Some(own_slices), Some(truth_slices)) = (own["slices"].as_array(), truth["slices"].as_array()) else {
            return Err("fat oracle without slices".into());
        };
        let mut out = Vec::new();
        for (own, truth) in own_slices.iter().zip(truth_slices) {
            let arch = own["arch"].as_str().unwrap_or("");
            let image = Image::parse(file.bytes(), Some(arch)).map_err(|e| e.to_string())?;
            out.push(format!("[{arch}] {}", check_image(&image, own, truth).map_err(|e| format!("[{arch}] {e}"))?));
        }
        return Ok(out);
    }
    let image = Image::parse(file.bytes(), None).map_err(|e| e.to_string())?;
    Ok(vec![check_image(&image, &own, &truth)?])
}

#[test]
fn fixtures_match_oracle() {
    let dir = fixtures_dir();
    let Ok(entries) = std::fs::read_dir(dir.join("bin")) else {
        eprintln!("note: {} does not exist yet; fixture test skipped", dir.join("bin").display());
        return;
    };
    let mut names: Vec<String> = entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
    names.sort();
    let mut failures = Vec::new();
    for name in &names {
        match check_fixture(&dir, name) {
            Ok(lines) => lines.iter().for_each(|l| println!("ok   {name}: {l}")),
            Err(e) => {
                println!("FAIL {name}: {e}");
                failures.push(format!("{name}: {e}"));
            }
        }
    }
    println!("fixtures: {} checked, {} failed", names.len(), failures.len());
    assert!(!names.is_empty(), "fixtures/bin is empty");
    assert!(failures.is_empty(), "{} fixture failures:\n{}", failures.len(), failures.join("\n"));
}
