//! `golayout info --json` against Go's debug/* (oracle.json) and `go version -m`.

use serde_json::Value;

use crate::common::{fixtures, golayout_json, s, u, Fixture};

/// Our JSON and the oracle's for the slice the oracle describes.
fn pair(f: &Fixture) -> Vec<(Value, Value)> {
    let oracle = f.oracle();
    match oracle.get("slices").and_then(Value::as_array) {
        Some(slices) => slices
            .iter()
            .map(|sl| {
                let arch = sl["arch"].as_str().expect("slice arch");
                (golayout_json(&["info", "--json", "--arch", arch, s(&f.bin)]), sl.clone())
            })
            .collect(),
        None => vec![(golayout_json(&["info", "--json", s(&f.bin)]), oracle)],
    }
}

#[test]
fn sections_match_go_debug_readers() {
    let mut checked = 0;
    for f in fixtures() {
        for (ours, oracle) in pair(&f) {
            let name = &f.name;
            assert_eq!(ours["binary"]["format"], oracle["format"], "{name}: format");
            assert_eq!(ours["binary"]["arch"], oracle["arch"], "{name}: arch");
            assert_eq!(u(&ours["binary"]["ptr_size"], "ptr"), u(&oracle["ptr_size"], "ptr"), "{name}");
            let big = ours["binary"]["byte_order"] == "big";
            assert_eq!(Some(big), oracle["big_endian"].as_bool(), "{name}: byte order");
            assert_eq!(u(&ours["binary"]["entry"], "entry"), u(&oracle["entry"], "entry"), "{name}: entry");
            let theirs = oracle["sections"].as_array().expect("oracle sections");
            let mine = ours["sections"].as_array().expect("our sections");
            assert_eq!(mine.len(), theirs.len(), "{name}: section count");
            for t in theirs {
                let tname = t["name"].as_str().unwrap();
                let tseg = t["segment"].as_str().unwrap_or("");
                let m = mine
                    .iter()
                    .find(|m| m["name"] == tname && m["segment_name"].as_str().unwrap_or("") == tseg)
                    .unwrap_or_else(|| panic!("{name}: section {tseg},{tname} missing"));
                let ctx = format!("{name}: section {tseg},{tname}");
                assert_eq!(u(&m["address"], "addr"), u(&t["addr"], "addr"), "{ctx}: address");
                assert_eq!(u(&m["vm_size"], "size"), u(&t["size"], "size"), "{ctx}: size");
                assert_eq!(u(&m["file_size"], "fs"), u(&t["file_size"], "fs"), "{ctx}: file size");
                if u(&t["file_size"], "fs") > 0 {
                    assert_eq!(u(&m["file_offset"], "off"), u(&t["offset"], "off"), "{ctx}: offset");
                }
                for flag in ["write", "exec", "nobits", "compressed"] {
                    assert_eq!(m["flags"][flag], t[flag], "{ctx}: flag {flag}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} sections compared");
}

#[test]
fn build_info_matches_go_debug_buildinfo() {
    for f in fixtures() {
        for (ours, oracle) in pair(&f) {
            let name = &f.name;
            let theirs = &oracle["buildinfo"];
            let mine = &ours["go"]["build_info"];
            assert!(!theirs.is_null(), "{name}: oracle has no build info");
            assert_eq!(mine["go_version"], theirs["go_version"], "{name}: go version");
            assert_eq!(ours["go"]["version"], theirs["go_version"], "{name}: go version");
            assert_eq!(mine["path"], theirs["path"], "{name}: path");
            assert_eq!(mine["main"]["path"], theirs["main"]["path"], "{name}: main path");
            assert_eq!(mine["main"]["version"], theirs["main"]["version"], "{name}: main version");
            assert_eq!(mine["main"]["sum"], theirs["main"]["sum"], "{name}: main sum");
            let deps = |v: &Value| -> Vec<(String, String, String, String)> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .map(|d| {
                                let r = &d["replace"];
                                let repl =
                                    if r.is_null() { String::new() } else { format!("{} {}", r["path"], r["version"]) };
                                (d["path"].to_string(), d["version"].to_string(), d["sum"].to_string(), repl)
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            assert_eq!(deps(&mine["deps"]), deps(&theirs["deps"]), "{name}: deps");
            let settings = |v: &Value| -> Vec<(String, String)> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|s| (s["key"].as_str().unwrap().into(), s["value"].as_str().unwrap().into()))
                    .collect()
            };
            assert_eq!(settings(&mine["settings"]), settings(&theirs["settings"]), "{name}: settings");
        }
    }
}

/// `go version -m` output: (version, main module line, dep lines).
fn parse_version_m(text: &str) -> (String, Vec<String>, Vec<String>) {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let version = first.rsplit(": ").next().unwrap_or_default().trim().to_string();
    let (mut module, mut deps) = (Vec::new(), Vec::new());
    for l in lines {
        let fields: Vec<&str> = l.trim_start_matches('\t').split('\t').collect();
        let joined = fields[1..].join(" ").trim().to_string();
        match fields[0] {
            "mod" => module.push(joined),
            "dep" | "=>" => deps.push(format!("{} {joined}", fields[0])),
            _ => {}
        }
    }
    (version, module, deps)
}

#[test]
fn version_module_and_deps_match_go_version_m() {
    let mut checked = 0;
    for f in fixtures() {
        let Some(text) = f.truth_file("version-m.txt") else { continue };
        if text.trim().is_empty() {
            continue;
        }
        let (version, module, deps) = parse_version_m(&text);
        let ours = golayout_json(&["info", "--json", s(&f.bin)]);
        assert_eq!(ours["go"]["version"].as_str(), Some(version.as_str()), "{}: version", f.name);
        let bi = &ours["go"]["build_info"];
        let mine_mod: Vec<String> = bi["main"]
            .as_object()
            .map(|m| {
                vec![format!(
                    "{} {} {}",
                    m["path"].as_str().unwrap(),
                    m["version"].as_str().unwrap(),
                    m["sum"].as_str().unwrap()
                )
                .trim()
                .to_string()]
            })
            .unwrap_or_default();
        assert_eq!(mine_mod, module, "{}: module", f.name);
        let mut mine_deps = Vec::new();
        for d in bi["deps"].as_array().unwrap() {
            mine_deps.push(
                format!(
                    "dep {} {} {}",
                    d["path"].as_str().unwrap(),
                    d["version"].as_str().unwrap(),
                    d["sum"].as_str().unwrap()
                )
                .trim()
                .to_string(),
            );
            if let Some(r) = d.get("replace").filter(|r| !r.is_null()) {
                mine_deps.push(
                    format!(
                        "=> {} {} {}",
                        r["path"].as_str().unwrap(),
                        r["version"].as_str().unwrap(),
                        r["sum"].as_str().unwrap()
                    )
                    .trim()
                    .to_string(),
                );
            }
        }
        assert_eq!(mine_deps, deps, "{}: deps", f.name);
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} fixtures had go version -m output");
}
