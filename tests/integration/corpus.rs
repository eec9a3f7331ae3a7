//! The dev corpus of real third-party Go binaries (`../shared/corpus`),
//! run only when `GOLAYOUT_CORPUS=DIR` points at a fetched corpus.
//!
//! Every binary must yield a pclntab, a validated moduledata and a Go
//! version equal to the manifest's (which records `go version`, or the
//! version string for binaries without build info); binaries with a symbol
//! table must yield variables. Prints how each structure was found per Go
//! release and container.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use golayout::{analyze, Options};

fn manifest() -> HashMap<String, HashMap<String, String>> {
    let path = std::env::var("GOLAYOUT_CORPUS_MANIFEST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| crate::common::root().join("../shared/corpus/manifest.tsv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|l| {
            let row: HashMap<String, String> =
                header.iter().zip(l.split('\t')).map(|(k, v)| (k.to_string(), v.to_string())).collect();
            (row["path"].clone(), row)
        })
        .collect()
}

#[test]
fn corpus_every_binary_yields_pclntab_moduledata_version_and_variables() {
    let Ok(dir) = std::env::var("GOLAYOUT_CORPUS") else {
        eprintln!("corpus test skipped: set GOLAYOUT_CORPUS=DIR (see ../shared/corpus/fetch-dev.sh)");
        return;
    };
    let dir = PathBuf::from(dir);
    let manifest = manifest();
    let index = std::fs::read_to_string(dir.join("index.tsv")).expect("index.tsv");
    let mut failures = Vec::new();
    let mut table: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    let mut read = 0;
    for line in index.lines().filter(|l| !l.starts_with('#')) {
        let rel = line.split('\t').nth(1).unwrap();
        let Some(row) = manifest.get(rel) else { continue };
        let format = row["format"].as_str();
        if !matches!(format, "ELF" | "Mach-O" | "PE") {
            eprintln!("skip {rel}: {format} is not a container golayout reads");
            continue;
        }
        let path = dir.join(rel);
        let layout = match analyze(&path, &Options::default()) {
            Ok(l) => l,
            Err(e) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
        };
        read += 1;
        let want = row["go_version"].as_str();
        // `go version` and the manifest give the release; build info may add
        // the experiments (`go1.20.3 X:nocoverageredesign`).
        let release = layout.go.version.as_deref().and_then(|v| v.split(' ').next());
        if release != Some(want) {
            failures.push(format!("{rel}: go version {:?}, manifest {want}", layout.go.version));
        }
        let Some(rt) = &layout.runtime else {
            failures.push(format!("{rel}: no pclntab"));
            continue;
        };
        let Some(md) = &rt.moduledata else {
            failures.push(format!("{rel}: no moduledata"));
            continue;
        };
        if layout.binary.has_symbols && layout.variables.is_empty() && format != "Mach-O" {
            failures.push(format!("{rel}: symbol table but no variables"));
        }
        let minor = want.split('.').take(2).collect::<Vec<_>>().join(".");
        let key = format!("pclntab:{:?} moduledata:{:?}", rt.pclntab.found_by, md.found_by).to_lowercase();
        *table.entry((minor, format.to_string())).or_default().entry(key).or_default() += 1;
    }
    eprintln!("{read} corpus binaries read");
    for ((minor, format), ways) in &table {
        for (how, n) in ways {
            eprintln!("{minor:<8} {format:<7} {n:>3}  {how}");
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(read > 100, "only {read} corpus binaries read");
}
