//! `golayout check`: every budget rule passes at the truth's value and fails
//! one byte under it (exit 0 / exit 1), on the diff fixture pair. Values come
//! from Go's readers (oracle, `go tool nm`), the file system, or the
//! fixture's hand-checked types (fixtures/diff/README.md).

use std::path::Path;

use serde_json::Value;

use crate::common::{golayout, s};
use crate::diff::{bin, oracle, scratch, truth_class, truth_vars};

/// Runs `golayout check BIN --budget <budget> ARGS…`; returns (code, stdout, stderr).
fn check(test: &str, budget: &str, side: &str, args: &[&str]) -> (i32, String, String) {
    let dir = scratch(test);
    let file = dir.join("budget.toml");
    std::fs::write(&file, budget).unwrap();
    let b = bin(side);
    let mut argv = vec!["check", s(&b), "--budget", s(&file)];
    argv.extend_from_slice(args);
    let out = golayout(&argv);
    std::fs::remove_dir_all(dir).ok();
    out
}

/// Asserts the rule `body` (TOML lines) holds at `value` and breaks at
/// `value - 1`, and that the violation names the rule, the limit and the value.
fn pass_and_fail(test: &str, side: &str, body: &str, key: &str, value: u64, args: &[&str]) {
    let rule = |limit: u64| format!("[[rule]]\nname = \"{test}\"\n{body}\n{key} = {limit}\n");
    let (code, out, err) = check(test, &rule(value), side, args);
    assert_eq!(code, 0, "{test}: limit {value} should hold:\n{out}{err}");
    assert!(out.contains("ok"), "{out}");
    let (code, out, err) = check(test, &rule(value - 1), side, args);
    assert_eq!(code, 1, "{test}: limit {} should break:\n{out}{err}", value - 1);
    assert!(out.contains("BROKEN"), "{out}");
    for needle in [test.to_string(), format!("{} B", value - 1), format!("{value} B")] {
        assert!(err.contains(&needle), "{test}: stderr should name {needle:?}: {err}");
    }
}

fn section(side: &str, name: &str) -> (u64, u64) {
    let o = oracle(side);
    let sec = o["sections"].as_array().unwrap().iter().find(|x| x["name"] == name).unwrap().clone();
    (sec["size"].as_u64().unwrap(), sec["file_size"].as_u64().unwrap())
}

#[test]
fn max_vm_bytes_per_class() {
    let v = truth_class("v2", "noptrbss");
    pass_and_fail("class-vm", "v2", "class = \"noptrbss\"", "max_vm_bytes", v, &[]);
}

#[test]
fn max_file_bytes_per_class_and_section() {
    let v = truth_class("v2", "noptrdata");
    pass_and_fail("class-file", "v2", "class = \"noptrdata\"", "max_file_bytes", v, &[]);
    let (_, file) = section("v2", ".data");
    pass_and_fail("section-file", "v2", "section = \".data\"", "max_file_bytes", file, &[]);
    let (vm, _) = section("v2", ".noptrbss");
    pass_and_fail("section-vm", "v2", "section = \".noptrbss\"", "max_vm_bytes", vm, &[]);
}

#[test]
fn max_bytes_per_package_per_class() {
    let sum = |pkg: &str, class: &str| -> u64 {
        truth_vars("v2")
            .iter()
            .filter(|(n, (_, c))| {
                c == class && (n.starts_with(&format!("{pkg}.")) || (pkg == "main" && n.starts_with("main.")))
            })
            .map(|(_, (size, _))| size)
            .sum()
    };
    assert_eq!(sum("main", "bss"), 24, "main.Cfg");
    pass_and_fail("pkg-bss", "v2", "package = \"main\"\nclass = \"bss\"", "max_bytes", 24, &[]);
    let store = "example.com/fixture/diffapp/store";
    let v = sum(store, "noptrbss");
    pass_and_fail("pkg-noptrbss", "v2", &format!("package = \"{store}\"\nclass = \"noptrbss\""), "max_bytes", v, &[]);
}

#[test]
fn max_growth_bytes_vs_a_binary_or_saved_baseline() {
    let delta = truth_class("v2", "noptrbss") - truth_class("v1", "noptrbss");
    let base = bin("v1");
    pass_and_fail("growth-bin", "v2", "class = \"noptrbss\"", "max_growth_bytes", delta, &["--baseline", s(&base)]);
    let dir = scratch("growth-json-base");
    let saved = dir.join("release.json");
    assert_eq!(golayout(&["save", s(&base), "-o", s(&saved)]).0, 0);
    pass_and_fail("growth-json", "v2", "class = \"noptrbss\"", "max_growth_bytes", delta, &["--baseline", s(&saved)]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn max_growth_percent() {
    let (old, new) = (truth_class("v1", "noptrbss") as f64, truth_class("v2", "noptrbss") as f64);
    let pct = (new - old) * 100.0 / old;
    let rule = |p: f64| format!("[[rule]]\nname = \"pct\"\nclass = \"noptrbss\"\nmax_growth_percent = {p:.3}\n");
    let base = bin("v1");
    let (code, out, err) = check("pct-pass", &rule(pct + 0.01), "v2", &["--baseline", s(&base)]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = check("pct-fail", &rule(pct - 0.01), "v2", &["--baseline", s(&base), "--json"]);
    assert_eq!(code, 1, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let r = &report["results"][0];
    assert_eq!(r["status"], "fail");
    assert_eq!(r["value"]["unit"], "percent");
    assert!((r["value"]["value"].as_f64().unwrap() - pct).abs() < 1e-9);
    // The whole file shrank from v1 to v2 (file sizes on disk): 0% holds.
    let fs = |side: &str| std::fs::metadata(bin(side)).unwrap().len();
    assert!(fs("v2") < fs("v1"));
    let (code, _, _) = check("pct-file", "[[rule]]\nmax_growth_percent = 0\n", "v2", &["--baseline", s(&base)]);
    assert_eq!(code, 0);
    let (code, _, _) =
        check("pct-file-rev", "[[rule]]\nmax_growth_percent = 0\n", "v1", &["--baseline", s(&bin("v2"))]);
    assert_eq!(code, 1, "v2 -> v1 grows the file");
}

#[test]
fn growth_rules_are_skipped_without_a_baseline() {
    let (code, out, _) = check("no-baseline", "[[rule]]\nmax_growth_bytes = 0\n", "v2", &[]);
    assert_eq!(code, 0);
    assert!(out.contains("skipped") && out.contains("no baseline"), "{out}");
}

/// Pointer bytes by hand from the fixture's types: extra.Owner is `*int`
/// (one word), main.Cfg's Config has one pointer field; 8-byte words.
#[test]
fn max_pointer_bytes() {
    pass_and_fail("ptr-pkg", "v2", "package = \"example.com/fixture/diffapp/extra\"", "max_pointer_bytes", 8, &[]);
    pass_and_fail("ptr-main-bss", "v2", "package = \"main\"\nclass = \"bss\"", "max_pointer_bytes", 8, &[]);
    let (code, out, _) =
        check("ptr-v1", "[[rule]]\npackage = \"main\"\nclass = \"bss\"\nmax_pointer_bytes = 0\n", "v1", &[]);
    assert_eq!(code, 0, "v1's Cfg has no pointer: {out}");
    // Whole binary: the data+bss pointer words of the runtime and the app.
    let (code, out, _) = check("ptr-bin", "[[rule]]\nmax_pointer_bytes = 8\n", "v2", &[]);
    assert_eq!(code, 1, "{out}");
    let (code, _, _) = check("ptr-bin-ok", "[[rule]]\nmax_pointer_bytes = 100000000\n", "v2", &[]);
    assert_eq!(code, 0);
}

#[test]
fn forbid_writable_names_the_offenders() {
    let budget = "[[rule]]\nname = \"no legacy\"\nforbid_writable = \"*Legacy*\"\n";
    let (code, out, err) = check("forbid-v1", budget, "v1", &[]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("no legacy") && err.contains("main.Legacy (noptrbss)"), "{err}");
    let (code, out, _) = check("forbid-v2", budget, "v2", &[]);
    assert_eq!(code, 0, "v2 removed Legacy: {out}");
    let (code, _, _) =
        check("forbid-pkg", "[[rule]]\nforbid_writable = \"*.Counter\"\npackage = \"main\"\n", "v2", &[]);
    assert_eq!(code, 1, "main.Counter is in noptrdata in v2");
}

#[test]
fn max_file_size() {
    let size = std::fs::metadata(bin("v2")).unwrap().len();
    pass_and_fail("file-size", "v2", "", "max_file_size", size, &[]);
}

#[test]
fn markdown_summary_is_a_table() {
    let budget = "[[rule]]\nname = \"bss stays small\"\nclass = \"noptrbss\"\nmax_vm_bytes = 1048576\n\
                  [[rule]]\nmax_file_size = 100000000\n";
    let (code, md, _) = check("markdown", budget, "v2", &["--format", "markdown"]);
    assert_eq!(code, 1);
    assert!(md.starts_with("### golayout check: ❌ 1 of 2 rules broken\n"), "{md}");
    assert!(
        md.contains(
            "| # | RULE | CHECK | SCOPE | LIMIT | VALUE | STATUS |\n| ---: | --- | --- | --- | ---: | ---: | --- |\n"
        ),
        "{md}"
    );
    let v = truth_class("v2", "noptrbss");
    let row = format!(
        "| 1 | bss stays small | max_vm_bytes | class noptrbss | 1.0 MiB (1048576 B) | 2.1 MiB ({v} B) | ❌ broken |\n"
    );
    assert!(md.contains(&row), "{md}\nwant {row}");
    assert!(md.contains("| 2 | rule 2 | max_file_size | binary |") && md.contains("| ✅ ok |"), "{md}");
}

#[test]
fn unreadable_or_invalid_budget_or_baseline_exit_2() {
    let (code, _, err) = check("bad-key", "[[rule]]\nname = \"x\"\nclas = \"bss\"\nmax_bytes = 1\n", "v2", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("rule 1 (\"x\"): key \"clas\": unknown key"), "{err}");
    let (code, _, err) = check("bad-value", "[[rule]]\nclass = \"bss\"\nmax_vm_bytes = \"big\"\n", "v2", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("key \"max_vm_bytes\""), "{err}");
    let (code, _, err) = golayout(&["check", s(&bin("v2")), "--budget", "/nonexistent/budget.toml"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) =
        check("bad-baseline", "[[rule]]\nmax_growth_bytes = 1\n", "v2", &["--baseline", "/nonexistent/old"]);
    assert_eq!(code, 2);
    let dir = scratch("bad-baseline-json-file");
    let bad = dir.join("old.json");
    std::fs::write(&bad, "{}").unwrap();
    let (code, _, err) = check("bad-baseline-json", "[[rule]]\nmax_growth_bytes = 1\n", "v2", &["--baseline", s(&bad)]);
    assert_eq!(code, 2, "{err}");
    std::fs::remove_dir_all(Path::new(&dir)).ok();
}

#[test]
fn library_evaluate_reports_violations() {
    use golayout::budget::{evaluate, Budget, Status};
    let budget = Budget::from_toml("[[rule]]\nname = \"b\"\nclass = \"noptrbss\"\nmax_vm_bytes = 1048576\n").unwrap();
    let layout = golayout::analyze(&bin("v2"), &golayout::Options::default()).unwrap();
    let report = evaluate(&layout, None, &budget);
    assert!(!report.passed);
    let v: Vec<_> = report.violations().collect();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].status, Status::Fail);
    assert_eq!(v[0].value, Some(golayout::budget::Amount::Bytes(truth_class("v2", "noptrbss") as i64)));
}
