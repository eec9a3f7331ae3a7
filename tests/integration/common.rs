//! Fixture discovery and helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture binary and its truth directory.
pub struct Fixture {
    pub name: String,
    pub bin: PathBuf,
    pub truth: PathBuf,
}

impl Fixture {
    /// Parsed `oracle.json`.
    pub fn oracle(&self) -> Value {
        let text = std::fs::read_to_string(self.truth.join("oracle.json"))
            .unwrap_or_else(|e| panic!("{}: oracle.json: {e}", self.name));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: oracle.json: {e}", self.name))
    }

    /// A truth file's text, if present.
    pub fn truth_file(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.truth.join(name)).ok()
    }

    /// The name of the unstripped twin of a stripped fixture.
    pub fn twin(&self) -> Option<Fixture> {
        let name = self.name.replace("-stripped", "");
        (name != self.name).then(|| fixture(&name)).flatten()
    }
}

/// One fixture by name.
pub fn fixture(name: &str) -> Option<Fixture> {
    let bin = root().join("fixtures/bin").join(name);
    let truth = root().join("fixtures/truth").join(name);
    (bin.is_file() && truth.join("oracle.json").is_file()).then(|| Fixture { name: name.to_string(), bin, truth })
}

/// Every fixture with a binary and an oracle. Panics if there are fewer than
/// the committed matrix holds, so a missing fixture set cannot pass silently.
pub fn fixtures() -> Vec<Fixture> {
    let dir = root().join("fixtures/bin");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let out: Vec<Fixture> = names.iter().filter_map(|n| fixture(n)).collect();
    assert!(out.len() >= 30, "expected the committed fixture matrix, found {} fixtures", out.len());
    out
}

/// Runs the golayout binary; returns (exit code, stdout, stderr).
pub fn golayout(args: &[&str]) -> (i32, String, String) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_golayout")).args(args).current_dir(root()).output().expect("run golayout");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs golayout with `--json` and parses stdout.
pub fn golayout_json(args: &[&str]) -> Value {
    let (code, out, err) = golayout(args);
    assert_eq!(code, 0, "golayout {args:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("golayout {args:?}: bad JSON: {e}"))
}

/// A JSON value as u64 (panics with context).
pub fn u(v: &Value, what: &str) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("{what}: not a number: {v}"))
}

/// Path as &str.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
