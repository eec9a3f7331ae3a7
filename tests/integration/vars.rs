//! `golayout vars` / `packages` / library `analyze` against the oracle
//! (section headers + boundary symbols + DWARF) and `go tool nm`.

use std::collections::{HashMap, HashSet};

use golayout::{analyze, Layout, Options};
use serde_json::Value;

use crate::common::{fixtures, golayout_json, s, Fixture};

/// The layout of the fixture's oracle slice(s), paired with the oracle.
fn layouts(f: &Fixture) -> Vec<(Layout, Value)> {
    let oracle = f.oracle();
    let slices: Vec<(Option<String>, Value)> = match oracle["slices"].as_array() {
        Some(sl) => sl.iter().map(|x| (x["arch"].as_str().map(String::from), x.clone())).collect(),
        None => vec![(None, oracle)],
    };
    slices
        .into_iter()
        .map(|(arch, truth)| {
            let opts = Options { arch, ..Default::default() };
            (analyze(&f.bin, &opts).unwrap_or_else(|e| panic!("{}: {e}", f.name)), truth)
        })
        .collect()
}

#[test]
fn fixture_variables_have_the_oracles_class_section_and_dwarf_size() {
    let mut checked = 0;
    for f in fixtures() {
        for (layout, truth) in layouts(&f) {
            let dwarf_size: HashMap<&str, u64> = truth["dwarf_vars"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| Some((v["name"].as_str()?, v["size"].as_u64()?)))
                .collect();
            for t in truth["vars"].as_array().unwrap() {
                let name = t["name"].as_str().unwrap();
                let addr = t["addr"].as_u64().unwrap();
                let v = layout
                    .variables
                    .iter()
                    .find(|v| v.name == name && v.address == addr)
                    .unwrap_or_else(|| panic!("{}: variable {name} missing", f.name));
                assert_eq!(v.class.name(), t["class"].as_str().unwrap(), "{}: {name} class", f.name);
                let want_section = t["section"].as_str().unwrap();
                let got_section = v.section.rsplit(',').next().unwrap();
                assert_eq!(got_section, want_section, "{}: {name} section", f.name);
                if let Some(size) = dwarf_size.get(name) {
                    assert_eq!(v.size, *size, "{}: {name} size vs DWARF type size", f.name);
                }
                if v.class.is_zero_fill() {
                    assert_eq!(v.file_bytes, 0, "{}: {name} has no file bytes", f.name);
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} fixture variables checked");
}

/// Hand-checked GC pointer words (see fixtures/src/main.go): the pointer
/// words of `PW{a int; p *int; b [3]uintptr; q *PW}` are 1 and 5, an
/// interface's first word is never marked, strings/slices/pointers mark 0.
#[test]
fn pointer_words_match_hand_checked_types() {
    let want: [(&str, &[u64]); 9] = [
        ("main.PWVar", &[1, 5]),
        ("main.PWInit", &[1, 5]),
        ("main.DataStr", &[0]),
        ("main.DataSlice", &[0]),
        ("main.IfaceVar", &[1]),
        ("main.IfaceZero", &[1]),
        ("main.BssMap", &[0]),
        ("main.NoptrArr", &[]),
        ("main.BigZero", &[]),
    ];
    let mut checked = 0;
    for f in fixtures() {
        for (layout, _) in layouts(&f) {
            // The cgo fixture is a smaller program without the probes.
            if !layout.variables.iter().any(|v| v.name == "main.PWVar") {
                continue;
            }
            for (name, words) in want {
                let found = layout.variables.iter().find(|v| v.name == name);
                if found.is_none() && f.name.contains("cgo") {
                    continue; // the cgo program declares only some of the probes
                }
                let v = found.unwrap_or_else(|| panic!("{}: {name}", f.name));
                assert_eq!(v.ptr_word_indices, words, "{}: {name} pointer words", f.name);
                assert_eq!(v.ptr_words, Some(words.len() as u64), "{}: {name} pointer count", f.name);
                checked += 1;
            }
        }
    }
    assert!(checked >= 9 * 20, "only {checked} pointer-word checks");
}

/// The linker's region boundary markers: labels, not variables.
const BOUNDARY_MARKERS: [&str; 18] = [
    "runtime.types",
    "runtime.etypes",
    "runtime.rodata",
    "runtime.erodata",
    "runtime.noptrdata",
    "runtime.enoptrdata",
    "runtime.data",
    "runtime.edata",
    "runtime.bss",
    "runtime.ebss",
    "runtime.noptrbss",
    "runtime.enoptrbss",
    "runtime.end",
    "runtime.covctrs",
    "runtime.ecovctrs",
    "runtime.esymtab",
    "runtime.symtab",
    "runtime.epclntab",
];

/// Every data-class symbol (`D d B b`) that `go tool nm` lists is one of
/// our variables (or a zero-size region boundary marker).
#[test]
fn every_nm_data_symbol_is_accounted_for() {
    let mut checked = 0;
    for f in fixtures() {
        let Some(nm) = f.truth_file("nm.txt") else { continue };
        if nm.trim().is_empty() || f.oracle().get("slices").is_some() {
            continue;
        }
        let (layout, _) = layouts(&f).remove(0);
        let ours: HashSet<(&str, u64)> = layout.variables.iter().map(|v| (v.name.as_str(), v.address)).collect();
        for line in nm.lines() {
            // "  addr  size type name" (with -size)
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 4 || !matches!(fields[2], "D" | "d" | "B" | "b") {
                continue;
            }
            let addr = u64::from_str_radix(fields[0], 16).unwrap();
            let name = fields[3..].join(" ");
            if BOUNDARY_MARKERS.contains(&name.trim_start_matches('_')) {
                continue; // zero-size region markers (nm sizes them by gap on Mach-O/PE)
            }
            // Go's debug/macho hides the leading `_` only for names with a dot.
            let macho = layout.binary.format == golayout::image::Format::MachO;
            let name =
                if macho && !name.contains('.') { name.strip_prefix('_').unwrap_or(&name) } else { name.as_str() };
            assert!(ours.contains(&(name, addr)), "{}: nm data symbol {name} at {addr:#x} not accounted for", f.name);
            checked += 1;
        }
    }
    assert!(checked > 5000, "only {checked} nm data symbols checked");
}

#[test]
fn per_section_attributed_plus_unattributed_is_the_section_size() {
    for f in fixtures() {
        for (layout, _) in layouts(&f) {
            assert!(!layout.section_totals.is_empty(), "{}: no section totals", f.name);
            for t in &layout.section_totals {
                assert_eq!(
                    t.attributed + t.unattributed.total(),
                    t.vm_size,
                    "{}: section {} does not add up",
                    f.name,
                    t.section
                );
            }
        }
    }
}

#[test]
fn stripped_binaries_report_regions_text_and_pointer_totals_like_their_twin() {
    let mut checked = 0;
    for f in fixtures() {
        let Some(twin) = f.twin() else { continue };
        let (stripped, _) = layouts(&f).remove(0);
        let (full, _) = layouts(&twin).remove(0);
        assert!(stripped.variables.is_empty() || stripped.binary.has_symbols, "{}", f.name);
        if !stripped.binary.has_symbols {
            assert!(stripped.notices.iter().any(|n| n.code == "stripped"), "{}: stripped notice", f.name);
        }
        assert_eq!(stripped.regions.len(), full.regions.len(), "{}: regions", f.name);
        // Stripping can move the data segment (Go ≤1.21 keeps .shstrtab in
        // the text segment), so compare sizes and pointer words.
        for (a, b) in stripped.regions.iter().zip(&full.regions) {
            if a.class == golayout::Class::Rodata {
                // Without `runtime.erodata` the end is the next table's start
                // (PE: the pclntab), which includes up to 8 bytes of padding.
                assert!(a.vm_bytes.abs_diff(b.vm_bytes) < 8, "{}: rodata {} vs {}", f.name, a.vm_bytes, b.vm_bytes);
                continue;
            }
            assert_eq!(
                (a.class, a.vm_bytes, a.file_bytes, a.ptr_words),
                (b.class, b.vm_bytes, b.file_bytes, b.ptr_words),
                "{}: region",
                f.name
            );
        }
        let text = |l: &Layout| -> Vec<(String, u64)> {
            let mut v: Vec<_> =
                l.packages.iter().filter(|p| p.funcs > 0).map(|p| (p.package.clone(), p.text_bytes)).collect();
            v.sort();
            v
        };
        assert_eq!(text(&stripped), text(&full), "{}: per-package text", f.name);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} stripped twins compared");
}

#[test]
fn vars_and_packages_commands_print_json_tables_and_filters() {
    let f = crate::common::fixture("go1.27-linux-amd64").unwrap();
    let doc = golayout_json(&["vars", "--json", "--class", "bss", "--package", "main", s(&f.bin)]);
    let vars = doc["variables"].as_array().unwrap();
    assert!(vars.iter().any(|v| v["name"] == "main.PWVar"));
    assert!(vars.iter().all(|v| v["class"] == "bss" && v["package"] == "main"));
    let doc = golayout_json(&["packages", "--json", s(&f.bin)]);
    let pkgs = doc["packages"].as_array().unwrap();
    let store = pkgs.iter().find(|p| p["package"] == "example.com/fixture/internal/store").expect("nested package");
    assert!(store["vars"].as_u64().unwrap() > 0);
    assert!(pkgs.iter().any(|p| p["package"] == "<go:string>" || p["package"] == "<type>"), "pseudo-packages");
    let (code, out, _) = crate::common::golayout(&["vars", "--min-size", "1000000", s(&f.bin)]);
    assert_eq!(code, 0);
    assert!(out.contains("main.BigZero") && !out.contains("main.PWVar"), "{out}");
}
