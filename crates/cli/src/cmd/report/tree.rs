//! The treemap's tree, built from a [`Layout`]: segment → section or Go
//! class → package → variable (or function, under `.text`).
//!
//! Every node carries memory bytes and file bytes. A parent's bytes are the
//! real extent of the segment, section or region (not the sum of what was
//! named inside), and the bytes nobody claimed become a `(unattributed)`
//! child, so the boxes of a level always add up to their parent.

use std::collections::BTreeMap;

use golayout::runtime::roles::Role;
use golayout::{Class, Function, Layout, Region, SectionInfo, Variable};

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The whole binary.
    Root,
    /// A loadable segment, or the pseudo-segment of sections not loaded.
    Segment,
    /// A container section.
    Section,
    /// One Go class (region of `runtime.moduledata`) inside a section.
    Class,
    /// A package (import path or pseudo-package).
    Package,
    /// A package-level variable or other named data symbol.
    Var,
    /// A function (bytes of text from the pclntab).
    Func,
    /// Bytes of the parent that no symbol covers.
    Rest,
}

impl Kind {
    /// The code used in the report's compact JSON.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// One box of the treemap.
#[derive(Clone, Debug)]
pub struct Node {
    /// Display name (variables and functions: the full symbol name).
    pub name: String,
    /// What the node stands for.
    pub kind: Kind,
    /// Colour key: the Go class name, or the section's role.
    pub tag: String,
    /// Bytes in memory.
    pub vm: u64,
    /// Bytes in the file.
    pub file: u64,
    /// Pointer words the GC scans, when known.
    pub ptr: Option<u64>,
    /// Start address, when meaningful.
    pub addr: Option<u64>,
    /// Go type name (variables with DWARF).
    pub type_name: Option<String>,
    /// Bytes in the baseline (memory, file), in a diff report.
    pub old: Option<(u64, u64)>,
    /// Children, in no particular order.
    pub children: Vec<Node>,
}

impl Node {
    fn new(name: impl Into<String>, kind: Kind, tag: &str, vm: u64, file: u64) -> Node {
        Node {
            name: name.into(),
            kind,
            tag: tag.to_string(),
            vm,
            file,
            ptr: None,
            addr: None,
            type_name: None,
            old: None,
            children: Vec::new(),
        }
    }

    /// Adds a `(unattributed)` child for the bytes the children leave over.
    fn add_rest(&mut self, name: &str) {
        let vm: u64 = self.children.iter().map(|c| c.vm).sum();
        let file: u64 = self.children.iter().map(|c| c.file).sum();
        let (rv, rf) = (self.vm.saturating_sub(vm), self.file.saturating_sub(file));
        if rv > 0 || rf > 0 {
            let tag = self.tag.clone();
            self.children.push(Node::new(name, Kind::Rest, &tag, rv, rf));
        }
    }
}

/// Builds the tree of one layout. Functions are used when present
/// (`Options::with_functions`).
pub fn build(layout: &Layout) -> Node {
    let mut vars: Vec<&Variable> = layout.variables.iter().collect();
    vars.sort_by_key(|v| v.address);
    let mut funcs: Vec<&Function> = layout.functions.iter().collect();
    funcs.sort_by_key(|f| f.entry);
    let ctx = Ctx { layout, vars, funcs };
    let mut root = Node::new(file_name(&layout.binary.path), Kind::Root, "root", 0, layout.binary.file_size);
    for (i, seg) in layout.segments.iter().enumerate() {
        let secs: Vec<&SectionInfo> = layout.sections.iter().filter(|s| s.segment == Some(i)).collect();
        let p = seg.perms;
        if secs.is_empty() && !(p.read || p.write || p.exec) {
            continue; // __PAGEZERO and the like
        }
        let perms = format!(
            "{}{}{}",
            if p.read { 'r' } else { '-' },
            if p.write { 'w' } else { '-' },
            if p.exec { 'x' } else { '-' }
        );
        let name = match &seg.name {
            Some(n) => format!("{n} {perms}"),
            None => format!("LOAD #{i} {perms}"),
        };
        let mut node = Node::new(name, Kind::Segment, "segment", seg.vm_size, seg.file_size);
        node.addr = Some(seg.address);
        node.children = secs.iter().map(|s| ctx.section(s)).collect();
        node.add_rest("(headers and gaps)");
        root.children.push(node);
    }
    if root.children.len() == 1 {
        // One segment (PE's image): its sections are the top level.
        root.children = std::mem::take(&mut root.children[0].children);
    }
    let unloaded: Vec<&SectionInfo> =
        layout.sections.iter().filter(|s| s.segment.is_none() && s.file_size > 0 && s.role != Role::Bss).collect();
    if !unloaded.is_empty() {
        let mut node = Node::new("(not loaded)", Kind::Segment, "unloaded", 0, 0);
        for s in unloaded {
            let mut c = Node::new(s.name.clone(), Kind::Section, role_tag(s.role), 0, s.file_size);
            c.addr = Some(s.address);
            node.file += s.file_size;
            node.children.push(c);
        }
        root.children.push(node);
    }
    root.vm = root.children.iter().map(|c| c.vm).sum();
    root.file = root.file.max(root.children.iter().map(|c| c.file).sum());
    root.add_rest("(headers and padding)");
    root
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The colour key of a section role.
fn role_tag(role: Role) -> &'static str {
    match role {
        Role::Text => "text",
        Role::Rodata => "rodata",
        Role::Gopclntab => "pclntab",
        Role::GoType => "types",
        Role::Debug => "debug",
        Role::Noptrdata => "noptrdata",
        Role::Data => "data",
        Role::Bss => "bss",
        Role::Noptrbss => "noptrbss",
        _ => "other",
    }
}

struct Ctx<'a> {
    layout: &'a Layout,
    vars: Vec<&'a Variable>,
    funcs: Vec<&'a Function>,
}

impl Ctx<'_> {
    /// The node of one loaded section: its Go classes, its functions, or
    /// the variables inside it.
    fn section(&self, s: &SectionInfo) -> Node {
        let (start, end) = (s.address, s.address.saturating_add(s.vm_size));
        let file_backed = s.file_size > 0;
        let regions: Vec<(&Region, u64, u64)> = self
            .layout
            .regions
            .iter()
            .filter_map(|r| {
                let (a, b) = (r.start.max(start), r.end.min(end));
                (a < b).then_some((r, a, b))
            })
            .collect();
        if let [(r, a, b)] = regions[..] {
            if a == start && b == end {
                let mut n = self.class(r.class, a, b, file_backed);
                n.ptr = r.ptr_words;
                return n;
            }
        }
        let mut node = Node::new(s.name.clone(), Kind::Section, role_tag(s.role), s.vm_size, s.file_size);
        node.addr = Some(s.address);
        if !regions.is_empty() {
            node.children = regions.iter().map(|&(r, a, b)| self.class(r.class, a, b, file_backed)).collect();
        } else if s.role == Role::Text {
            node.children = self.text(start, end);
        } else {
            let vars = self.vars_in(start, end);
            node.children = packages(vars, node.tag.clone().as_str());
        }
        node.add_rest("(unattributed)");
        node
    }

    /// One Go class clipped to `[a, b)`.
    fn class(&self, class: Class, a: u64, b: u64, file_backed: bool) -> Node {
        let vm = b - a;
        let file = if file_backed && !class.is_zero_fill() { vm } else { 0 };
        let mut node = Node::new(class.name(), Kind::Class, class.name(), vm, file);
        node.addr = Some(a);
        node.children = packages(self.vars_in(a, b), class.name());
        let rest = if self.vars.is_empty() { "(no symbol table)" } else { "(unattributed)" };
        node.add_rest(rest);
        node
    }

    fn vars_in(&self, a: u64, b: u64) -> &[&Variable] {
        let lo = self.vars.partition_point(|v| v.address < a);
        let hi = self.vars.partition_point(|v| v.address < b);
        &self.vars[lo..hi]
    }

    /// Packages by function text inside `[a, b)`.
    fn text(&self, a: u64, b: u64) -> Vec<Node> {
        let lo = self.funcs.partition_point(|f| f.entry < a);
        let hi = self.funcs.partition_point(|f| f.entry < b);
        let mut by_pkg: BTreeMap<&str, Node> = BTreeMap::new();
        for f in &self.funcs[lo..hi] {
            let size = f.end.min(b).saturating_sub(f.entry);
            let pkg = by_pkg.entry(&f.package).or_insert_with(|| Node::new(&f.package, Kind::Package, "text", 0, 0));
            let mut n = Node::new(&f.name, Kind::Func, "text", size, size);
            n.addr = Some(f.entry);
            pkg.vm += size;
            pkg.file += size;
            pkg.children.push(n);
        }
        by_pkg.into_values().collect()
    }
}

/// Groups variables by package.
fn packages(vars: &[&Variable], tag: &str) -> Vec<Node> {
    let mut by_pkg: BTreeMap<&str, Node> = BTreeMap::new();
    for v in vars {
        let pkg = by_pkg.entry(&v.package).or_insert_with(|| Node::new(&v.package, Kind::Package, tag, 0, 0));
        let mut n = Node::new(&v.name, Kind::Var, tag, v.vm_bytes, v.file_bytes);
        n.addr = Some(v.address);
        n.ptr = v.ptr_words;
        n.type_name = v.type_name.clone();
        pkg.vm += v.vm_bytes;
        pkg.file += v.file_bytes;
        if let Some(p) = v.ptr_words {
            pkg.ptr = Some(pkg.ptr.unwrap_or(0) + p);
        }
        pkg.children.push(n);
    }
    by_pkg.into_values().collect()
}
