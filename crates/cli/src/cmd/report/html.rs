//! The self-contained HTML page: the template, the script and the tree as
//! compact JSON, all inline (no network).
//!
//! The JSON is `{"v":1,"meta":{..},"diff":bool,"s":[strings],"t":node}` where
//! a node is the array `[name, kind, tag, vm, file, children, ptr, addr,
//! type, old_vm, old_file]`: `name`, `tag` and `type` index `s` (names of
//! symbols are stored without their package prefix, starting with `.`),
//! `children` is an array of nodes or `0`, absent values are `-1`, and
//! trailing absent values are left out.

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use super::tree::{Kind, Node};

const TEMPLATE: &str = include_str!("../../../assets/report.html");
const SCRIPT: &str = include_str!("../../../assets/report.js");

/// Facts shown in the page header.
#[derive(Serialize)]
pub struct Meta {
    /// The path analyzed.
    pub path: String,
    /// File size in bytes.
    pub file_size: u64,
    /// Container, architecture and Go version, in one line.
    pub summary: String,
    /// Variables in the symbol table.
    pub variables: usize,
    /// Functions in the pclntab.
    pub functions: usize,
    /// Notices to show above the treemap.
    pub notices: Vec<String>,
    /// The baseline's path and summary, in a diff report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<(String, String)>,
}

/// Renders the page.
pub fn render(meta: &Meta, tree: &Node, diff: bool) -> String {
    let mut enc = Encoder::default();
    let mut body = String::new();
    enc.node(tree, None, diff, &mut body);
    let strings = serde_json::to_string(&enc.strings).unwrap_or_else(|_| "[]".into());
    let meta = serde_json::to_string(meta).unwrap_or_else(|_| "{}".into());
    let data = format!(r#"{{"v":1,"meta":{meta},"diff":{diff},"s":{strings},"t":{body}}}"#);
    // `<` only occurs inside JSON strings, where `\u003c` means the same; so
    // no `</script>` or `<!--` can end the script element early.
    let data = data.replace('<', "\\u003c");
    let title = html_escape(&format!("golayout report: {}", tree.name));
    TEMPLATE.replacen("{{TITLE}}", &title, 1).replacen("{{SCRIPT}}", SCRIPT, 1).replacen("{{DATA}}", &data, 1)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[derive(Default)]
struct Encoder {
    strings: Vec<String>,
    index: HashMap<String, usize>,
}

impl Encoder {
    fn intern(&mut self, s: &str) -> usize {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.strings.push(s.to_string());
        self.index.insert(s.to_string(), self.strings.len() - 1);
        self.strings.len() - 1
    }

    /// Appends `n` as a JSON array; `pkg` is the enclosing package's name.
    fn node(&mut self, n: &Node, pkg: Option<&str>, diff: bool, out: &mut String) {
        let name = match (n.kind, pkg) {
            (Kind::Var | Kind::Func, Some(p)) => match n.name.strip_prefix(p) {
                Some(rest) if rest.starts_with('.') => rest,
                _ => n.name.as_str(),
            },
            _ => n.name.as_str(),
        };
        let (name, tag) = (self.intern(name), self.intern(&n.tag));
        let _ = write!(out, "[{name},{},{tag},{},{},", n.kind.code(), n.vm, n.file);
        if n.children.is_empty() {
            out.push('0');
        } else {
            out.push('[');
            let pkg = (n.kind == Kind::Package).then_some(n.name.as_str());
            for (i, c) in n.children.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                self.node(c, pkg, diff, out);
            }
            out.push(']');
        }
        let type_idx = n.type_name.as_deref().map(|t| self.intern(t));
        let mut tail: Vec<i128> =
            vec![n.ptr.map_or(-1, i128::from), n.addr.map_or(-1, i128::from), type_idx.map_or(-1, |t| t as i128)];
        if diff {
            let (ov, of) = n.old.unwrap_or((0, 0));
            tail.extend([i128::from(ov), i128::from(of)]);
        } else {
            while tail.last() == Some(&-1) {
                tail.pop();
            }
        }
        for t in tail {
            let _ = write!(out, ",{t}");
        }
        out.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_and_script_safe() {
        let var = Node {
            name: "main.X</script>".into(),
            kind: Kind::Var,
            tag: "data".into(),
            vm: 8,
            file: 8,
            ptr: Some(1),
            addr: Some(0x1000),
            type_name: None,
            old: None,
            children: vec![],
        };
        let pkg = Node {
            name: "main".into(),
            kind: Kind::Package,
            children: vec![var.clone()],
            ptr: None,
            addr: None,
            ..var
        };
        let html = render(
            &Meta {
                path: "x".into(),
                file_size: 1,
                summary: String::new(),
                variables: 1,
                functions: 0,
                notices: vec![],
                baseline: None,
            },
            &pkg,
            false,
        );
        assert!(!html.contains("X</script>"));
        assert!(html.contains(r#"".X\u003c/script>""#));
        assert!(html.contains("[2,5,1,8,8,0,1,4096]"));
    }
}
