//! DWARF variables against Go's debug/dwarf (oracle.json `dwarf_vars`).

use golayout::image::{Image, MappedFile};

use crate::common::fixtures;

#[test]
fn dwarf_variables_match_go_debug_dwarf() {
    let mut checked = 0usize;
    for f in fixtures() {
        let oracle = f.oracle();
        let slices: Vec<(Option<String>, serde_json::Value)> = match oracle["slices"].as_array() {
            Some(s) => s.iter().map(|sl| (sl["arch"].as_str().map(String::from), sl.clone())).collect(),
            None => vec![(None, oracle)],
        };
        let file = MappedFile::open(&f.bin).unwrap();
        for (arch, truth) in slices {
            let image = Image::parse(file.bytes(), arch.as_deref()).unwrap();
            let theirs = truth["dwarf_vars"].as_array().cloned().unwrap_or_default();
            let ours = golayout::dwarf::read_vars(&image).unwrap_or_else(|e| panic!("{}: {e}", f.name));
            let Some(ours) = ours else {
                assert!(theirs.is_empty(), "{}: oracle has DWARF variables, we found no DWARF", f.name);
                continue;
            };
            assert_eq!(ours.vars.len(), theirs.len(), "{}: DWARF variable count", f.name);
            let mut mine: Vec<_> = ours.vars.iter().map(|v| (v.address, v.name.clone())).collect();
            mine.sort();
            for t in &theirs {
                let name = t["name"].as_str().unwrap();
                let addr = t["addr"].as_u64().unwrap();
                let v = ours
                    .vars
                    .iter()
                    .find(|v| v.name == name && v.address == addr)
                    .unwrap_or_else(|| panic!("{}: DWARF variable {name} at {addr:#x} missing", f.name));
                let want_type = t["type"].as_str().filter(|s| !s.is_empty());
                assert_eq!(v.type_name.as_deref(), want_type, "{}: {name} type", f.name);
                assert_eq!(v.size, t["size"].as_u64(), "{}: {name} size", f.name);
                checked += 1;
            }
        }
    }
    assert!(checked > 5000, "only {checked} DWARF variables compared");
}
