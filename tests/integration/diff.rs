//! `golayout diff` / `save` and the library's `diff` on the fixture pair
//! `fixtures/diff/bin/diff-v1` → `diff-v2` (see fixtures/diff/README.md),
//! against the truth of Go's own readers: the oracle (symbol table, section
//! headers, runtime boundary symbols) and `go tool nm -size -type`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::common::{golayout, golayout_json, root, s};

const APP: &str = "example.com/fixture/diffapp/";

/// The binary of one side (`v1`, `v2`).
pub fn bin(side: &str) -> PathBuf {
    root().join(format!("fixtures/diff/bin/diff-{side}"))
}

/// The oracle report of one side.
pub fn oracle(side: &str) -> Value {
    let p = root().join(format!("fixtures/diff/truth/diff-{side}/oracle.json"));
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

/// A fresh scratch directory for one test.
pub fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("golayout-it-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The package of an app symbol name.
fn package_of(name: &str) -> &str {
    if name.starts_with("main.") {
        return "main";
    }
    let last_slash = name.rfind('/').unwrap();
    &name[..last_slash + name[last_slash..].find('.').unwrap()]
}

/// App data symbols (`main.*`, `example.com/fixture/diffapp/*`) from `go
/// tool nm -size -type`: name → size.
fn nm_data(side: &str) -> BTreeMap<String, u64> {
    let text = std::fs::read_to_string(root().join(format!("fixtures/diff/truth/diff-{side}/nm.txt"))).unwrap();
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (size, kind, name) = (f.get(1)?, f.get(2)?, f.get(3)?);
            let app = name.starts_with("main.") || name.starts_with(APP);
            (app && matches!(*kind, "D" | "B" | "d" | "b")).then(|| (name.to_string(), size.parse().unwrap()))
        })
        .collect()
}

/// App variables from the oracle: name → (size, class), checked against nm.
pub fn truth_vars(side: &str) -> BTreeMap<String, (u64, String)> {
    let o = oracle(side);
    let vars: BTreeMap<String, (u64, String)> = o["vars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_string(),
                (v["size"].as_u64().unwrap(), v["class"].as_str().unwrap().into()),
            )
        })
        .collect();
    let nm = nm_data(side);
    let sizes: BTreeMap<String, u64> = vars.iter().map(|(k, v)| (k.clone(), v.0)).collect();
    assert_eq!(sizes, nm, "{side}: oracle and go tool nm disagree on the app's data symbols");
    vars
}

/// Bytes of a Go class from the oracle's runtime boundary symbols.
pub fn truth_class(side: &str, class: &str) -> u64 {
    let rs = &oracle(side)["runtime_symbols"];
    rs[format!("runtime.e{class}")].as_u64().unwrap() - rs[format!("runtime.{class}")].as_u64().unwrap()
}

type Row = (String, String, Option<(u64, String)>, Option<(u64, String)>);

/// Expected variable changes: (name, change, old (size, class), new).
fn expected_variables() -> BTreeSet<Row> {
    let (a, b) = (truth_vars("v1"), truth_vars("v2"));
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .filter_map(|n| {
            let (o, nw) = (a.get(n).cloned(), b.get(n).cloned());
            let change = match (&o, &nw) {
                (None, _) => "added",
                (_, None) => "removed",
                (Some(x), Some(y)) if x.1 != y.1 => "moved_class",
                (Some(x), Some(y)) if y.0 > x.0 => "grown",
                (Some(x), Some(y)) if y.0 < x.0 => "shrunk",
                _ => return None,
            };
            Some((n.clone(), change.to_string(), o, nw))
        })
        .collect()
}

fn got_variables(diff: &Value) -> BTreeSet<Row> {
    let st =
        |v: &Value| (!v.is_null()).then(|| (v["size"].as_u64().unwrap(), v["class"].as_str().unwrap().to_string()));
    diff["variables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["package"] == "main" || v["package"].as_str().unwrap().starts_with(APP))
        .map(|v| {
            (v["name"].as_str().unwrap().into(), v["change"].as_str().unwrap().into(), st(&v["old"]), st(&v["new"]))
        })
        .collect()
}

/// Saved layouts of both sides, written by `golayout save`.
fn saved(dir: &std::path::Path) -> (PathBuf, PathBuf) {
    let (j1, j2) = (dir.join("v1.json"), dir.join("v2.json"));
    for (side, out) in [("v1", &j1), ("v2", &j2)] {
        let (code, _, err) = golayout(&["save", s(&bin(side)), "-o", s(out)]);
        assert_eq!(code, 0, "save {side}: {err}");
    }
    (j1, j2)
}

#[test]
fn the_fixture_pair_differs_exactly_as_documented() {
    let row = |n: &str, c: &str, o: Option<(u64, &str)>, w: Option<(u64, &str)>| {
        (n.to_string(), c.to_string(), o.map(|(s, c)| (s, c.to_string())), w.map(|(s, c)| (s, c.to_string())))
    };
    let store = |v: &str| format!("{APP}store.{v}");
    let extra = |v: &str| format!("{APP}extra.{v}");
    let want: BTreeSet<Row> = [
        row("main.Big", "added", None, Some((2 << 20, "noptrbss"))),
        row("main.Legacy", "removed", Some((4096, "noptrbss")), None),
        row("main.Counter", "moved_class", Some((8, "noptrbss")), Some((8, "noptrdata"))),
        row("main.Cfg", "moved_class", Some((16, "noptrbss")), Some((24, "bss"))),
        row(&store("Buf"), "grown", Some((1024, "noptrbss")), Some((4096, "noptrbss"))),
        row(&extra("Table"), "added", None, Some((64, "noptrdata"))),
        row(&extra("Hits"), "added", None, Some((1024, "noptrbss"))),
        row(&extra("Owner"), "added", None, Some((8, "bss"))),
    ]
    .into_iter()
    .collect();
    assert_eq!(expected_variables(), want, "the truth of Go's readers vs fixtures/diff/README.md");
}

#[test]
fn diff_gives_exactly_the_truths_deltas_from_binaries_or_saved_json() {
    let dir = scratch("diff-sides");
    let (j1, j2) = saved(&dir);
    let want = expected_variables();
    let (b1, b2) = (bin("v1"), bin("v2"));
    for (old, new) in [(&b1, &b2), (&j1, &b2), (&b1, &j2), (&j1, &j2)] {
        let d = golayout_json(&["diff", "--json", s(old), s(new)]);
        assert_eq!(got_variables(&d), want, "{} -> {}", old.display(), new.display());
        // Package level: per-class bytes of the app's packages, from the oracle.
        let mut truth: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        for (i, side) in ["v1", "v2"].iter().enumerate() {
            for (name, (size, class)) in truth_vars(side) {
                let e = truth.entry((package_of(&name).to_string(), class)).or_default();
                if i == 0 {
                    e.0 += size as i64
                } else {
                    e.1 += size as i64
                }
            }
        }
        let mut got: BTreeMap<(String, String), i64> = BTreeMap::new();
        for p in d["packages"].as_array().unwrap() {
            let pkg = p["package"].as_str().unwrap();
            if pkg == "main" || pkg.starts_with(APP) {
                for c in p["classes"].as_array().unwrap() {
                    got.insert((pkg.into(), c["class"].as_str().unwrap().into()), c["vm"]["delta"].as_i64().unwrap());
                }
            }
        }
        let want_pkg: BTreeMap<(String, String), i64> =
            truth.into_iter().filter(|(_, (o, n))| o != n).map(|(k, (o, n))| (k, n - o)).collect();
        assert_eq!(got, want_pkg, "package × class deltas");
        let extra = d["packages"].as_array().unwrap().iter().find(|p| p["package"] == format!("{APP}extra")).unwrap();
        assert_eq!(extra["change"], "added");
        // Class level: region sizes from the runtime's boundary symbols.
        for class in ["noptrdata", "data", "bss", "noptrbss"] {
            let delta = truth_class("v2", class) as i64 - truth_class("v1", class) as i64;
            let row = d["classes"].as_array().unwrap().iter().find(|c| c["class"] == class);
            let got = row.map_or(0, |c| c["vm"]["delta"].as_i64().unwrap());
            assert_eq!(got, delta, "class {class} VM delta");
            let file = row.map_or(0, |c| c["file"]["delta"].as_i64().unwrap());
            assert_eq!(file, if class.contains("bss") { 0 } else { delta }, "class {class} file delta");
        }
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn section_deltas_match_the_section_headers() {
    let size = |side: &str| -> BTreeMap<String, (i64, i64)> {
        oracle(side)["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (x["name"].as_str().unwrap().into(), (x["size"].as_i64().unwrap(), x["file_size"].as_i64().unwrap()))
            })
            .collect()
    };
    let (a, b) = (size("v1"), size("v2"));
    let want: BTreeMap<String, (i64, i64)> = a
        .iter()
        .filter_map(|(k, o)| {
            let n = b[k];
            (n != *o).then(|| (k.clone(), (n.0 - o.0, n.1 - o.1)))
        })
        .collect();
    assert_eq!(a.len(), b.len(), "same sections on both sides");
    let d = golayout_json(&["diff", "--json", s(&bin("v1")), s(&bin("v2"))]);
    let got: BTreeMap<String, (i64, i64)> = d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap().into(),
                (x["vm"]["delta"].as_i64().unwrap(), x["file"]["delta"].as_i64().unwrap()),
            )
        })
        .collect();
    assert_eq!(got, want);
    let fs = |side: &str| std::fs::metadata(bin(side)).unwrap().len() as i64;
    assert_eq!(d["file_size"]["delta"].as_i64().unwrap(), fs("v2") - fs("v1"));
}

#[test]
fn rows_are_sorted_by_absolute_delta_and_the_threshold_hides_noise() {
    let d = golayout_json(&["diff", "--json", s(&bin("v1")), s(&bin("v2"))]);
    let vars = d["variables"].as_array().unwrap();
    assert_eq!(vars[0]["name"], "main.Big");
    assert_eq!(vars[1]["name"], "main.Legacy");
    // Magnitude: |VM delta|, |file delta|, or for a class move the bytes moved.
    let magnitude = |v: &Value| {
        let d = |k: &str| v[k]["delta"].as_i64().unwrap().unsigned_abs();
        let moved = if v["change"] == "moved_class" {
            v["vm"]["old"].as_u64().unwrap().max(v["vm"]["new"].as_u64().unwrap())
        } else {
            0
        };
        d("vm").max(d("file")).max(moved)
    };
    let mag: Vec<u64> = vars.iter().map(magnitude).collect();
    assert!(mag.windows(2).all(|w| w[0] >= w[1]), "not sorted: {mag:?}");
    let d = golayout_json(&["diff", "--json", "--threshold", "4096", s(&bin("v1")), s(&bin("v2"))]);
    let names: Vec<&str> = d["variables"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["main.Big", "main.Legacy"]);
    assert!(d["hidden"]["variables"].as_u64().unwrap() >= 6);
    let pkgs: Vec<&str> = d["packages"].as_array().unwrap().iter().map(|v| v["package"].as_str().unwrap()).collect();
    assert_eq!(pkgs, ["main"], "main: +2 MiB; store +3 KiB and extra +1.1 KiB are below 4096");
}

#[test]
fn markdown_and_table_render_the_deltas_as_tables() {
    let (code, md, err) = golayout(&["diff", "--format", "markdown", s(&bin("v1")), s(&bin("v2"))]);
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("### golayout diff\n"), "{md}");
    for heading in ["#### Classes", "#### Sections", "#### Packages", "#### Variables"] {
        assert!(md.contains(heading), "{heading} missing:\n{md}");
    }
    assert!(
        md.contains("| NAME | PACKAGE | CHANGE | CLASS | OLD SIZE | NEW SIZE | VM DELTA | FILE DELTA | PTR DELTA |\n")
    );
    assert!(md.contains("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n"));
    assert!(md.contains("| main.Big | main | added | noptrbss | - | 2097152 | +2.0 MiB | 0 B | 0 B |\n"), "{md}");
    assert!(md.contains("| main.Cfg | main | moved_class | noptrbss -> bss | 16 | 24 | +8 B | 0 B | +8 B |\n"), "{md}");
    let (code, table, _) = golayout(&["diff", s(&bin("v1")), s(&bin("v2"))]);
    assert_eq!(code, 0);
    assert!(table.lines().any(|l| l.starts_with("main.Counter") && l.contains("noptrbss -> noptrdata")), "{table}");
    let (code, csv, _) = golayout(&["diff", "--format", "csv", s(&bin("v1")), s(&bin("v2"))]);
    assert_eq!(code, 0);
    assert!(csv.contains("\nmain.Big,main,added,noptrbss,-,2097152,+2097152,0,0\n"), "{csv}");
}

#[test]
fn library_diff_of_saved_json_equals_diff_of_binaries() {
    use golayout::diff::{diff, load, Change, DiffOptions};
    let dir = scratch("diff-lib");
    let (j1, _) = saved(&dir);
    let opts = golayout::Options::default();
    let from_json = load(&j1, &opts).unwrap();
    let from_bin = load(&bin("v1"), &opts).unwrap();
    let new = load(&bin("v2"), &opts).unwrap();
    let (a, b) = (diff(&from_json, &new, &DiffOptions::default()), diff(&from_bin, &new, &DiffOptions::default()));
    assert_eq!(serde_json::to_value(&a.variables).unwrap(), serde_json::to_value(&b.variables).unwrap());
    assert_eq!(serde_json::to_value(&a.packages).unwrap(), serde_json::to_value(&b.packages).unwrap());
    let cfg = a.variables.iter().find(|v| v.name == "main.Cfg").unwrap();
    assert_eq!(cfg.change, Change::MovedClass);
    assert_eq!((cfg.ptr_bytes.old, cfg.ptr_bytes.new), (0, 8), "Cfg gained one pointer word");
    // Diff is serde both ways.
    let back: golayout::Diff = serde_json::from_value(serde_json::to_value(&a).unwrap()).unwrap();
    assert_eq!(back.variables.len(), a.variables.len());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn diff_errors_name_the_file_and_use_the_documented_exit_codes() {
    let dir = scratch("diff-errors");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{ \"not\": \"a layout\" }").unwrap();
    let (code, _, err) = golayout(&["diff", s(&bad), s(&bin("v2"))]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("bad.json"), "{err}");
    let (code, _, err) = golayout(&["diff", s(&dir.join("missing")), s(&bin("v2"))]);
    assert_eq!(code, 2, "{err}");
    let text = dir.join("text");
    std::fs::write(&text, "hello").unwrap();
    let (code, _, _) = golayout(&["diff", s(&bin("v1")), s(&text)]);
    assert_eq!(code, 3);
    std::fs::remove_dir_all(dir).ok();
}
