//! `golayout report`: the HTML page is self-contained and its embedded tree
//! carries the Go classes with the byte counts of Go's own readers.
//! (The page is also loaded in a real browser by `tests/browser/run.sh`.)

use serde_json::Value;

use crate::common::{fixture, golayout, u};

const CLASSES: [&str; 5] = ["noptrdata", "data", "bss", "noptrbss", "rodata"];

/// Writes the report of `args` to a temporary file and returns the page.
fn report(name: &str, args: &[&str]) -> String {
    let out = std::env::temp_dir().join(format!("golayout-report-{}-{name}.html", std::process::id()));
    let out_s = out.to_str().expect("utf-8 temp path");
    let mut full = vec!["report", "-q", "-o", out_s];
    full.extend_from_slice(args);
    let (code, _, err) = golayout(&full);
    assert_eq!(code, 0, "golayout {full:?}: {err}");
    let page = std::fs::read_to_string(&out).expect("report written");
    let _ = std::fs::remove_file(&out);
    page
}

/// The embedded JSON data of a page.
fn data(page: &str) -> Value {
    let open = r#"<script type="application/json" id="golayout-data">"#;
    let start = page.find(open).expect("data script") + open.len();
    let end = start + page[start..].find("</script>").expect("end of data script");
    serde_json::from_str(&page[start..end]).expect("data is JSON")
}

/// Memory bytes per class node (summed over sections), new and baseline.
fn class_bytes(node: &Value, out: &mut std::collections::HashMap<String, (u64, u64)>, strings: &[Value]) {
    let kind = node[1].as_u64().unwrap_or(99);
    if kind == 3 {
        let name = strings[node[0].as_u64().unwrap_or(0) as usize].as_str().unwrap_or("").to_string();
        let e = out.entry(name).or_default();
        e.0 += u(&node[3], "vm");
        e.1 += node.get(9).and_then(Value::as_u64).unwrap_or(0);
        return;
    }
    if let Some(kids) = node[5].as_array() {
        for k in kids {
            class_bytes(k, out, strings);
        }
    }
}

fn truth(name: &str) -> Vec<(&'static str, u64)> {
    let oracle = fixture(name).expect("fixture").oracle();
    let sym = &oracle["runtime_symbols"];
    CLASSES.iter().map(|c| (*c, u(&sym[format!("runtime.e{c}")], c) - u(&sym[format!("runtime.{c}")], c))).collect()
}

fn classes_of(page: &str) -> std::collections::HashMap<String, (u64, u64)> {
    let d = data(page);
    let strings = d["s"].as_array().expect("strings").clone();
    let mut out = std::collections::HashMap::new();
    class_bytes(&d["t"], &mut out, &strings);
    out
}

#[test]
fn report_classes_match_go_truth() {
    for name in ["go1.27-linux-amd64", "go1.27-windows-amd64.exe", "go1.27-darwin-arm64", "go1.19-linux-amd64"] {
        let f = fixture(name).expect("fixture");
        let page = report(name, &[f.bin.to_str().expect("path")]);
        let got = classes_of(&page);
        for (c, bytes) in truth(name) {
            assert_eq!(got.get(c).map(|x| x.0), Some(bytes), "{name}: class {c}");
        }
    }
}

#[test]
fn report_is_self_contained() {
    let f = fixture("go1.27-linux-amd64").expect("fixture");
    let page = report("self", &[f.bin.to_str().expect("path")]);
    for bad in ["src=\"http", "href=\"http", "@import", "url(http", "fetch(", "XMLHttpRequest"] {
        assert!(!page.contains(bad), "page references the network: {bad}");
    }
    assert!(page.contains("default-src 'none'"), "a CSP forbids loads");
    assert_eq!(page.matches("</script>").count(), 2, "only the data and code scripts end");
    let d = data(&page);
    assert_eq!(d["diff"], Value::Bool(false));
    assert!(page.contains("\"BigZero") || page.contains(".BigZero"), "variables are embedded");
}

#[test]
fn stripped_report_has_classes_and_a_notice() {
    let f = fixture("go1.27-linux-amd64-stripped").expect("fixture");
    let page = report("stripped", &[f.bin.to_str().expect("path")]);
    let got = classes_of(&page);
    for (c, bytes) in truth("go1.27-linux-amd64") {
        assert_eq!(got.get(c).map(|x| x.0), Some(bytes), "stripped: class {c}");
    }
    let d = data(&page);
    let notices = d["meta"]["notices"].as_array().expect("notices");
    assert!(notices.iter().any(|n| n.as_str().unwrap_or("").contains("No symbol table")), "{notices:?}");
}

#[test]
fn diff_report_carries_both_sides() {
    let old = fixture("go1.19-linux-amd64").expect("fixture");
    let new = fixture("go1.27-linux-amd64").expect("fixture");
    let page = report("diff", &["--baseline", old.bin.to_str().expect("path"), new.bin.to_str().expect("path")]);
    assert_eq!(data(&page)["diff"], Value::Bool(true));
    let got = classes_of(&page);
    let (t_old, t_new) = (truth("go1.19-linux-amd64"), truth("go1.27-linux-amd64"));
    for ((c, o), (_, n)) in t_old.iter().zip(t_new.iter()) {
        assert_eq!(got.get(*c), Some(&(*n, *o)), "diff: class {c} (new, baseline)");
    }
}

#[test]
fn report_errors_name_the_file() {
    let (code, _, err) = golayout(&["report", "-o", "/dev/null", "/nonexistent/app"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/nonexistent/app"), "{err}");
    let f = fixture("go1.27-linux-amd64").expect("fixture");
    let (code, _, err) = golayout(&["report", "-q", "-o", "/nonexistent/dir/r.html", f.bin.to_str().expect("path")]);
    assert_eq!(code, 2, "{err}");
}
