//! Runs pclntab and moduledata location over a corpus of third-party Go
//! binaries: `GOLAYOUT_CORPUS=DIR cargo test -p golayout-runtime --test corpus -- --nocapture`.
//! `DIR/index.tsv` lists the binaries (column 2: path relative to DIR).
//! Containers golayout does not read (Plan 9, XCOFF) are skipped.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use golayout_image::{Error as ImageError, Image, MappedFile};
use golayout_runtime::moduledata::Layout;
use golayout_runtime::GoVersion;

fn check_one(path: &Path) -> Result<Option<String>, String> {
    let file = MappedFile::open(path).map_err(|e| e.to_string())?;
    let image = match Image::parse(file.bytes(), None) {
        Ok(i) => i,
        Err(ImageError::NotABinary(_) | ImageError::Unsupported(_)) => return Ok(None),
        Err(e) => return Err(format!("image: {e}")),
    };
    let a = common::analyze(&image)?;
    let n = common::check_funcs(&a)?;
    common::check_masks(&a.md, image.ptr_size())?;
    // Where the container still has symbols, every bound must agree with them.
    let names: Vec<&str> = common::bounds(&a.md).iter().map(|b| b.0).collect();
    let mut syms = BTreeMap::new();
    for s in image.symbols() {
        if names.contains(&s.name) {
            syms.entry(s.name).or_insert(s.address);
        }
    }
    for (name, value) in common::bounds(&a.md) {
        if let (Some(want), Some(got)) = (syms.get(name), value) {
            if *want != got {
                return Err(format!("{name}: moduledata {got:#x}, symbol {want:#x} (layout {})", a.md.layout.name));
            }
        }
    }
    // The layout that validated must be the one for the Go version.
    let minor = a.go_version.as_deref().and_then(GoVersion::parse).map(|v| v.minor);
    if let Some(want) = minor.and_then(Layout::for_minor) {
        if want.name != a.md.layout.name {
            return Err(format!("layout {} validated, expected {}", a.md.layout.name, want.name));
        }
    }
    Ok(Some(format!(
        "{}\t{}\t{}\tpclntab={:?}/{:?}\tmoduledata={:?}\tlayout={}\tfuncs={n}\tsymbols-checked={}{}",
        a.go_version.as_deref().and_then(|v| v.split(' ').next()).unwrap_or("?"),
        image.format().name(),
        image.arch(),
        a.located.found_by,
        a.located.table.version(),
        a.md.found_by,
        a.md.layout.name,
        syms.len(),
        if a.located.notices.is_empty() && a.md.notices.is_empty() { "" } else { "\tnotices" },
    )))
}

#[test]
fn corpus() {
    let Ok(dir) = std::env::var("GOLAYOUT_CORPUS") else {
        eprintln!("note: GOLAYOUT_CORPUS not set, corpus test skipped");
        return;
    };
    let dir = Path::new(&dir);
    let index = std::fs::read_to_string(dir.join("index.tsv")).expect("DIR/index.tsv");
    let filter = std::env::var("GOLAYOUT_CORPUS_FILTER").unwrap_or_default();
    let (mut ok, mut skipped, mut failures) = (0, 0, Vec::new());
    for line in index.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let Some(rel) = line.split('\t').nth(1) else {
            continue;
        };
        if !rel.contains(filter.as_str()) {
            continue;
        }
        match check_one(&dir.join(rel)) {
            Ok(Some(summary)) => {
                ok += 1;
                println!("ok\t{summary}\t{rel}");
            }
            Ok(None) => {
                skipped += 1;
                println!("skip (container not supported)  {rel}");
            }
            Err(e) => {
                println!("FAIL {rel}: {e}");
                failures.push(format!("{rel}: {e}"));
            }
        }
    }
    println!("corpus: {ok} ok, {skipped} skipped, {} failed", failures.len());
    assert!(failures.is_empty(), "{} corpus failures:\n{}", failures.len(), failures.join("\n"));
}
