//! The JSON outputs validate against the committed JSON Schemas
//! (`schema/*.schema.json`, draft 2020-12).

use serde_json::{json, Value};

use crate::common::{fixture, fixtures, golayout, golayout_json, root, s};

const BASE: &str = "https://golayout.example/schema/";

fn load(name: &str) -> Value {
    let path = root().join("schema").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A validator for `schema`, with both schema files resolvable by `$ref`.
fn validator(schema: &Value) -> jsonschema::Validator {
    let registry = jsonschema::Registry::new()
        .add(format!("{BASE}golayout.schema.json"), load("golayout.schema.json"))
        .and_then(|r| r.add(format!("{BASE}scan-record.schema.json"), load("scan-record.schema.json")))
        .and_then(|r| r.prepare())
        .expect("schema registry");
    jsonschema::options().with_registry(&registry).build(schema).unwrap_or_else(|e| panic!("schema: {e}"))
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(doc).take(5).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

fn def(name: &str) -> Value {
    json!({ "$ref": format!("{BASE}golayout.schema.json#/$defs/{name}") })
}

#[test]
fn info_json_of_every_fixture_validates() {
    let v = validator(&load("golayout.schema.json"));
    for f in fixtures() {
        let doc = golayout_json(&["info", "--json", s(&f.bin)]);
        assert_eq!(doc["schema_version"], json!(golayout::SCHEMA_VERSION));
        assert_valid(&v, &doc, &f.name);
    }
}

#[test]
fn vars_and_packages_json_validate() {
    let vars = validator(&def("VarsDocument"));
    let pkgs = validator(&def("PackagesDocument"));
    for name in ["go1.27-linux-amd64", "go1.27-darwin-fat", "go1.27-windows-386.exe", "go1.27-linux-ppc64-stripped"] {
        let f = fixture(name).expect(name);
        assert_valid(&vars, &golayout_json(&["vars", "--all", "--json", s(&f.bin)]), name);
        assert_valid(&pkgs, &golayout_json(&["packages", "--json", s(&f.bin)]), name);
    }
}

#[test]
fn scan_records_and_document_validate() {
    let record = validator(&load("scan-record.schema.json"));
    let dir = root().join("fixtures/bin");
    let (code, out, err) = golayout(&["scan", "--full", "-q", s(&dir)]);
    assert_eq!(code, 0, "{err}");
    let mut n = 0;
    for line in out.lines() {
        let rec: Value = serde_json::from_str(line).expect("a JSON line");
        assert_valid(&record, &rec, line.get(..80).unwrap_or(line));
        n += 1;
    }
    assert_eq!(n, fixtures().len());
    let doc = validator(&json!({ "$ref": format!("{BASE}scan-record.schema.json#/$defs/ScanDocument") }));
    assert_valid(&doc, &golayout_json(&["scan", "--json", "-q", s(&dir)]), "scan --json");
    // The schema is not vacuous: a record missing its summary is rejected.
    let bad = json!({"schema_version": 1, "path": "x", "status": "ok"});
    assert!(!record.is_valid(&bad));
}
