//! `golayout scan`: a directory mixing Go binaries, non-Go files, an
//! unreadable file, a truncated binary, a broken symlink and symlink loops.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{fixture, golayout, s};

const GO: [&str; 3] = ["go1.27-linux-amd64", "go1.27-darwin-fat", "go1.27-windows-386-stripped.exe"];

fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
}

/// The mixed tree; returns (dir, Go files expected as ok records, whether
/// the mode-000 file is readable).
fn tree() -> (tempfile::TempDir, usize, bool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir_all(d.join("bin/nested")).unwrap();
    for name in GO {
        std::fs::copy(fixture(name).expect(name).bin, d.join("bin").join(name)).unwrap();
    }
    // An identical copy: analyzed once, reported twice.
    std::fs::copy(d.join("bin").join(GO[0]), d.join("bin/nested/copy-of-amd64")).unwrap();
    std::fs::write(d.join("README.txt"), "not a binary\n").unwrap();
    std::fs::write(d.join("empty"), b"").unwrap();
    std::fs::write(d.join("run.sh"), "#!/bin/sh\necho hi\n").unwrap();
    let bytes = std::fs::read(fixture(GO[0]).unwrap().bin).unwrap();
    std::fs::write(d.join("truncated"), &bytes[..bytes.len() / 3]).unwrap();
    let locked = d.join("locked");
    std::fs::write(&locked, &bytes).unwrap();
    let _ = Command::new("chmod").arg("000").arg(&locked).status();
    let readable = std::fs::File::open(&locked).is_ok();
    std::os::unix::fs::symlink(d.join("nowhere"), d.join("dangling")).unwrap();
    std::os::unix::fs::symlink("..", d.join("bin/nested/loop")).unwrap();
    std::os::unix::fs::symlink(d.join("self-b"), d.join("self-a")).unwrap();
    std::os::unix::fs::symlink(d.join("self-a"), d.join("self-b")).unwrap();
    let _ = Command::new("mkfifo").arg(d.join("fifo")).status();
    // The copy and (when readable) the locked file are duplicates of GO[0].
    (dir, GO.len() + 1 + usize::from(readable), readable)
}

fn records(out: &str) -> Vec<Value> {
    out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

fn paths(recs: &[Value]) -> BTreeSet<String> {
    recs.iter().map(|r| r["path"].as_str().unwrap().to_string()).collect()
}

#[test]
fn mixed_tree_gives_one_record_per_go_binary_and_exit_5() {
    let (dir, n_go, readable) = tree();
    if !readable {
        println!("note: running as non-root, the mode-000 file is an unreadable error");
    } else if is_root() {
        println!("note: running as root, the mode-000 file is readable; it counts as a Go binary");
    }
    let (code, out, err) = golayout(&["scan", "-v", s(dir.path())]);
    assert!(!err.contains("panicked"), "{err}");
    let recs = records(&out);
    let ok: Vec<&Value> = recs.iter().filter(|r| r["status"] == "ok").collect();
    let errors: Vec<&Value> = recs.iter().filter(|r| r["status"] == "error").collect();
    assert_eq!(ok.len(), n_go, "ok records: {out}");
    assert_eq!(errors.len(), 1 + usize::from(!readable), "error records: {out}");
    assert!(recs.iter().all(|r| r["status"] != "skipped"), "skipped files stay off stdout");
    let trunc = errors.iter().find(|r| r["path"].as_str().unwrap().ends_with("truncated")).expect("truncated");
    assert_eq!(trunc["error_kind"], "malformed");
    assert!(!trunc["error"].as_str().unwrap().contains('\n'));
    assert_eq!(code, 5, "per-file errors give exit 5; stderr: {err}");
    let dups: Vec<&&Value> = ok.iter().filter(|r| r.get("duplicate_of").is_some()).collect();
    assert_eq!(dups.len(), n_go - GO.len(), "copies reported as duplicates");
    for d in dups {
        assert!(d["duplicate_of"].as_str().unwrap().ends_with(GO[0]));
        assert!(d["go_version"].is_string(), "a duplicate carries the summary");
    }
    for reason in ["broken symlink", "symlink loop", "not a regular file", "README.txt", "run.sh"] {
        if reason == "not a regular file" && !dir.path().join("fifo").exists() {
            continue;
        }
        assert!(err.contains(reason), "-v lists {reason:?} on stderr: {err}");
    }
    let skipped = 3 + 1 /* dangling */ + 2 /* self-a, self-b */ + 1 /* loop dir */
        + usize::from(dir.path().join("fifo").exists());
    let want = format!(
        "{n_go} Go binaries ({} analyzed, {} duplicates), {skipped} skipped, {} errors",
        GO.len(),
        n_go - GO.len(),
        errors.len()
    );
    assert!(err.contains(&want), "counts {want:?} in {err}");
}

#[test]
fn missing_path_is_exit_2_but_the_rest_is_scanned() {
    let f = fixture(GO[0]).unwrap();
    let (code, out, err) = golayout(&["scan", "-q", "/no/such/golayout-path", s(&f.bin)]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(records(&out).len(), 1);
    assert!(err.contains("/no/such/golayout-path"), "{err}");
}

#[test]
fn shards_are_disjoint_and_cover_the_input() {
    let dir = crate::common::root().join("fixtures/bin");
    let (_, all, _) = golayout(&["scan", "-q", "--sort", s(&dir)]);
    let all = paths(&records(&all));
    let mut union = BTreeSet::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let (code, out, err) = golayout(&["scan", "-q", "--shard", &shard, s(&dir)]);
        assert_eq!(code, 0, "{err}");
        let part = paths(&records(&out));
        assert!(union.is_disjoint(&part), "shard {shard} overlaps");
        union.extend(part);
    }
    assert_eq!(union, all);
    let (code, _, _) = golayout(&["scan", "--shard", "4/3", s(&dir)]);
    assert_eq!(code, 2, "a bad shard is a usage error");
}

#[test]
fn sort_is_deterministic_across_thread_counts() {
    let dir = crate::common::root().join("fixtures/bin");
    let (_, one, _) = golayout(&["scan", "-q", "--sort", "-j", "1", s(&dir)]);
    let (_, two, _) = golayout(&["scan", "-q", "--sort", "-j", "2", s(&dir)]);
    assert_eq!(one, two);
    let p: Vec<String> = records(&one).iter().map(|r| r["path"].as_str().unwrap().to_string()).collect();
    let mut sorted = p.clone();
    sorted.sort();
    assert_eq!(p, sorted);
}

#[test]
fn files_from_stdin_and_emit_skipped() {
    let (dir, _, _) = tree();
    let list: Vec<PathBuf> = vec![dir.path().join("bin").join(GO[1]), dir.path().join("README.txt")];
    let out = run_with_stdin(&["scan", "-q", "--emit-skipped", "--files-from", "-"], &list);
    let recs = records(&out);
    assert_eq!(recs.len(), 2, "{out}");
    assert_eq!(recs.iter().filter(|r| r["status"] == "skipped").count(), 1);
    assert!(recs.iter().any(|r| r["status"] == "ok" && r["format"] == "macho"));
}

fn run_with_stdin(args: &[&str], lines: &[PathBuf]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_golayout"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().unwrap();
    for l in lines {
        writeln!(stdin, "{}", l.display()).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn summary_and_top_in_every_format() {
    let dir = crate::common::root().join("fixtures/bin");
    let d = s(&dir);
    let n = crate::common::fixtures().len();
    let (code, table, _) = golayout(&["scan", "-q", "--summary", "--top", "3", d]);
    assert_eq!(code, 0);
    let total = format!("TOTAL ({n} binaries)");
    for want in ["PATH", &total, "PACKAGE", "WRITABLE", "main.BigZero"] {
        assert!(table.contains(want), "{want} in {table}");
    }
    let (_, md, _) = golayout(&["scan", "-q", "--summary", "--format", "markdown", d]);
    assert!(md.lines().next().unwrap().starts_with("| PATH |"));
    let (_, csv, _) = golayout(&["scan", "-q", "--summary", "--format", "csv", d]);
    assert!(csv.starts_with("path,go,arch,size,"), "{csv}");
    let doc = crate::common::golayout_json(&["scan", "-q", "--summary", "--top", "3", "--json", d]);
    assert_eq!(doc["counts"]["go_binaries"], n as u64);
    assert_eq!(doc["summary"]["top_variables"].as_array().unwrap().len(), 3);
    assert!(doc["summary"]["top_packages"][0]["writable"].as_u64().unwrap() > 0);
    let (code, _, err) = golayout(&["scan", "--summary", "--format", "ndjson", d]);
    assert_eq!(code, 2, "{err}");
}
