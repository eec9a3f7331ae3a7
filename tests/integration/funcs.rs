//! `golayout funcs` against debug/gosym: every function's name, entry, end
//! and entry source file (`Table.PCToLine(entry)`).

use serde_json::Value;

use crate::common::{fixtures, golayout_json, s};

#[test]
fn functions_and_entry_files_match_debug_gosym() {
    let mut checked = 0usize;
    for f in fixtures() {
        let oracle = f.oracle();
        // Stripped PE has no pclntab symbol for gosym: use the twin's truth.
        let truth = match (&oracle["funcs"], f.twin()) {
            (Value::Array(_), _) => oracle.clone(),
            (_, Some(twin)) => twin.oracle(),
            _ => continue,
        };
        let slices: Vec<(Vec<&str>, &Value)> = match truth["slices"].as_array() {
            Some(sl) => sl.iter().map(|x| (vec!["--arch", x["arch"].as_str().unwrap()], x)).collect(),
            None => vec![(vec![], &truth)],
        };
        for (extra, t) in slices {
            let Some(want) = t["funcs"].as_array() else { continue };
            let mut args = vec!["funcs", "--json", "-q"];
            args.extend(extra);
            args.push(s(&f.bin));
            let ours = golayout_json(&args);
            let got = ours["functions"].as_array().expect("functions");
            assert_eq!(got.len(), want.len(), "{}: function count", f.name);
            for (g, w) in got.iter().zip(want) {
                assert_eq!(g["name"], w["name"], "{}: name at {}", f.name, w["entry"]);
                assert_eq!(g["entry"], w["entry"], "{}: {} entry", f.name, w["name"]);
                assert_eq!(g["end"], w["end"], "{}: {} end", f.name, w["name"]);
                let file = g.get("file").and_then(Value::as_str).unwrap_or("");
                assert_eq!(file, w["file"].as_str().unwrap(), "{}: {} entry file", f.name, w["name"]);
                checked += 1;
            }
        }
    }
    assert!(checked > 30_000, "only {checked} functions compared");
}
