//! Bad input: one-line errors naming the file, documented exit codes, no panic.

use crate::common::{fixture, golayout, s};

fn check(path: &str, want_code: i32) {
    let (code, out, err) = golayout(&["info", path]);
    assert_eq!(code, want_code, "{path}: exit code (stderr: {err})");
    assert!(out.is_empty(), "{path}: nothing on stdout, got {out}");
    assert_eq!(err.lines().count(), 1, "{path}: one line, got {err:?}");
    assert!(err.contains(path), "{path}: the error names the file: {err}");
    assert!(!err.contains("panicked"), "{path}: panic: {err}");
}

#[test]
fn bad_inputs_give_one_line_errors_and_exit_codes() {
    let dir = std::env::temp_dir().join(format!("golayout-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.join("notes.txt");
    std::fs::write(&text, "just some text\n").unwrap();
    let f = fixture("go1.27-linux-amd64").or_else(|| fixture("go1.26-linux-amd64")).expect("a fixture");
    let bytes = std::fs::read(&f.bin).unwrap();
    let half = dir.join("half");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();

    check(s(&empty), 3);
    check(s(&text), 3);
    check(s(&dir), 2);
    check(s(&dir.join("missing")), 2);
    check(s(&half), 4);
    if std::path::Path::new("/bin/ls").exists() {
        check("/bin/ls", 3);
    }
    std::fs::remove_dir_all(&dir).ok();
}
