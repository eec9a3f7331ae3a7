//! End-to-end command-line conventions: every command in every format,
//! `--help` with examples, `--version`, completions, colors and widths,
//! data on stdout and errors on stderr.

use std::process::Command;

use serde_json::Value;

use crate::common::{fixture, golayout, root, s};

const COMMANDS: [&str; 6] = ["info", "vars", "packages", "runtime", "funcs", "scan"];
const FORMATS: [&str; 5] = ["table", "json", "ndjson", "csv", "markdown"];

fn check_format(cmd: &str, format: &str, out: &str) {
    let what = format!("{cmd} --format {format}");
    assert!(!out.trim().is_empty(), "{what}: empty output");
    assert!(!out.contains('\x1b'), "{what}: no colors when stdout is not a terminal");
    match format {
        "json" => {
            let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(v["schema_version"], 1, "{what}: schema_version");
        }
        "ndjson" => {
            for line in out.lines() {
                let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{what}: {e}: {line}"));
                assert!(v.is_object(), "{what}: one object per line");
            }
        }
        "csv" => {
            let header = out.lines().next().unwrap();
            assert!(header.contains(',') && header == header.to_lowercase(), "{what}: {header}");
        }
        "markdown" => {
            assert!(out.lines().any(|l| l.starts_with("| ---") || l.contains("| --- |")), "{what}: {out}");
        }
        _ => {}
    }
}

#[test]
fn every_command_in_every_format() {
    let f = fixture("go1.27-linux-amd64").expect("fixture");
    for cmd in COMMANDS {
        for format in FORMATS {
            let (code, out, err) = golayout(&[cmd, "--quiet", "--format", format, s(&f.bin)]);
            assert_eq!(code, 0, "{cmd} --format {format}: {err}");
            check_format(cmd, format, &out);
        }
        let (code, out, err) = golayout(&[cmd, "--quiet", "--json", s(&f.bin)]);
        assert_eq!(code, 0, "{cmd} --json: {err}");
        check_format(cmd, "json", &out);
    }
}

#[test]
fn help_has_examples_and_version_prints() {
    for cmd in COMMANDS.iter().chain(&["completions"]) {
        let (code, out, _) = golayout(&[cmd, "--help"]);
        assert_eq!(code, 0, "{cmd} --help");
        assert!(out.contains("Examples:"), "{cmd} --help has examples: {out}");
    }
    let (code, out, _) = golayout(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Exit codes:") && out.contains("scan"), "{out}");
    let (code, out, _) = golayout(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("golayout {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, err) = golayout(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains("golayout") && out.contains("scan"), "{shell}: {out}");
    }
    let (code, _, _) = golayout(&["completions", "tcsh"]);
    assert_eq!(code, 2, "unknown shell is a usage error");
}

#[test]
fn usage_errors_exit_2_with_nothing_on_stdout() {
    for args in [&["vars", "--format", "yaml", "x"][..], &["nosuchcommand"], &["scan"], &["info"]] {
        let (code, out, err) = golayout(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: stdout stays clean: {out}");
        assert!(!err.is_empty(), "{args:?}: the error is on stderr");
    }
}

#[test]
fn tables_fit_columns_and_respect_no_color() {
    let f = fixture("go1.27-linux-amd64").expect("fixture");
    let run = |cols: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_golayout"))
            .args(["vars", "--quiet", s(&f.bin)])
            .env("COLUMNS", cols)
            .env("NO_COLOR", "1")
            .current_dir(root())
            .output()
            .expect("run");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let wide = run("1000");
    let narrow = run("90");
    assert!(wide.lines().any(|l| l.chars().count() > 90), "the wide table is wider than 90");
    assert!(narrow.lines().all(|l| l.chars().count() <= 90), "fits in 90 columns:\n{narrow}");
    assert_eq!(wide.lines().count(), narrow.lines().count(), "no row lost");
    assert!(narrow.contains('…'));
}
