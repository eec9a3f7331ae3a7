//! The tree of a diff report: two trees merged node by node.
//!
//! Nodes match when they have the same kind and name under matching
//! parents (segments by their index and permissions, sections and classes by
//! name, packages by import path, symbols by name). A node only in the new
//! build has baseline bytes 0; a node only in the baseline is kept with new
//! bytes 0, so what disappeared still shows.

use std::collections::HashMap;

use super::tree::{Kind, Node};

/// Merges `old` into `new`: every node of the result has
/// [`Node::old`] set to the baseline's (memory, file) bytes.
pub fn merge(old: Node, mut new: Node) -> Node {
    new.old = Some((old.vm, old.file));
    let mut olds: HashMap<(Kind, String), Node> =
        old.children.into_iter().map(|c| ((c.kind, c.name.clone()), c)).collect();
    let children = std::mem::take(&mut new.children);
    new.children = children
        .into_iter()
        .map(|c| match olds.remove(&(c.kind, c.name.clone())) {
            Some(o) => merge(o, c),
            None => only(c, false),
        })
        .collect();
    let mut gone: Vec<Node> = olds.into_values().map(|o| only(o, true)).collect();
    gone.sort_by(|a, b| a.name.cmp(&b.name));
    new.children.extend(gone);
    new
}

/// A subtree present on one side only.
fn only(mut n: Node, baseline: bool) -> Node {
    if baseline {
        n.old = Some((n.vm, n.file));
        n.vm = 0;
        n.file = 0;
    } else {
        n.old = Some((0, 0));
    }
    n.children = std::mem::take(&mut n.children).into_iter().map(|c| only(c, baseline)).collect();
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, kind: Kind, vm: u64, children: Vec<Node>) -> Node {
        Node {
            name: name.into(),
            kind,
            tag: "data".into(),
            vm,
            file: vm,
            ptr: None,
            addr: None,
            type_name: None,
            old: None,
            children,
        }
    }

    #[test]
    fn growth_shrinkage_and_removal() {
        let old = node("bin", Kind::Root, 30, vec![node("a", Kind::Var, 10, vec![]), node("b", Kind::Var, 20, vec![])]);
        let new = node("bin", Kind::Root, 45, vec![node("a", Kind::Var, 15, vec![]), node("c", Kind::Var, 30, vec![])]);
        let m = merge(old, new);
        assert_eq!(m.old, Some((30, 30)));
        let by = |n: &str| m.children.iter().find(|c| c.name == n).map(|c| (c.vm, c.old));
        assert_eq!(by("a"), Some((15, Some((10, 10)))));
        assert_eq!(by("b"), Some((0, Some((20, 20)))));
        assert_eq!(by("c"), Some((30, Some((0, 0)))));
    }
}
