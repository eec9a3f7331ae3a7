//! Computing a [`Diff`] from two layouts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::*;
use crate::model::{Layout, PackageTotal, Variable, SCHEMA_VERSION};

/// Compares two layouts: `old` is the baseline, `new` the candidate.
///
/// Variables are matched by symbol name (duplicate names in address
/// order), sections by name, packages by import path; addresses are ignored
/// since they shift in every build. Every list is sorted by the size of the
/// change, largest first, then by name.
///
/// ```no_run
/// # use golayout_layout::{analyze, Options, diff::{diff, DiffOptions}};
/// let old = analyze("v1".as_ref(), &Options::default())?;
/// let new = analyze("v2".as_ref(), &Options::default())?;
/// let d = diff(&old, &new, &DiffOptions::default());
/// for p in &d.packages {
///     println!("{} {:+} B", p.package, p.vm.delta);
/// }
/// # Ok::<(), golayout_layout::Error>(())
/// ```
pub fn diff(old: &Layout, new: &Layout, options: &DiffOptions) -> Diff {
    let t = options.threshold;
    let mut hidden = Hidden::default();
    let classes = keep(classes(old, new), t, &mut hidden.classes, |c| c.vm.abs().max(c.file.abs()));
    let sections = keep(sections(old, new), t, &mut hidden.sections, |s| s.vm.abs().max(s.file.abs()));
    let packages = keep(packages(old, new), t, &mut hidden.packages, |p| {
        p.vm.abs().max(p.file.abs()).max(p.classes.iter().map(|c| c.vm.abs()).max().unwrap_or(0))
    });
    let variables = keep(variables(old, new), t, &mut hidden.variables, VariableDelta::magnitude);
    Diff {
        schema_version: SCHEMA_VERSION,
        old: side(old),
        new: side(new),
        threshold: t,
        file_size: Delta::new(old.binary.file_size, new.binary.file_size),
        classes,
        sections,
        packages,
        variables,
        hidden,
        notices: notices(old, new),
    }
}

/// Keeps rows with a magnitude of at least `threshold` (and above 0 unless
/// the threshold is 0), counting the others; sorted by magnitude, stable.
fn keep<T>(rows: Vec<T>, threshold: u64, hidden: &mut usize, magnitude: impl Fn(&T) -> u64) -> Vec<T> {
    let mut out: Vec<(u64, T)> = Vec::with_capacity(rows.len());
    for r in rows {
        let m = magnitude(&r);
        if m >= threshold {
            out.push((m, r));
        } else {
            *hidden += 1;
        }
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.0));
    out.into_iter().map(|(_, r)| r).collect()
}

fn side(l: &Layout) -> Side {
    Side {
        path: l.binary.path.clone(),
        go_version: l.go.version.clone(),
        arch: l.binary.arch.clone(),
        file_size: l.binary.file_size,
        has_symbols: l.binary.has_symbols,
    }
}

fn notices(old: &Layout, new: &Layout) -> Vec<Notice> {
    let mut out = Vec::new();
    for (which, l) in [("old", old), ("new", new)] {
        if l.variables.is_empty() {
            out.push(Notice::new(
                "no_variables",
                format!(
                    "{which} side {} has no variables (stripped?): package and variable deltas are incomplete",
                    l.binary.path
                ),
            ));
        }
    }
    if old.binary.arch != new.binary.arch {
        out.push(Notice::new(
            "arch_differs",
            format!(
                "comparing {} with {}: most of the difference is the architecture",
                old.binary.arch, new.binary.arch
            ),
        ));
    }
    out
}

fn ptr_bytes(words: Option<u64>, ptr_size: u8) -> Option<u64> {
    words.map(|w| w.saturating_mul(u64::from(ptr_size)))
}

fn classes(old: &Layout, new: &Layout) -> Vec<ClassDelta> {
    // (vm, file, ptr bytes) per class.
    let sum = |l: &Layout| {
        let mut m: BTreeMap<Class, (u64, u64, Option<u64>)> = BTreeMap::new();
        for r in &l.regions {
            let e = m.entry(r.class).or_insert((0, 0, Some(0)));
            e.0 += r.vm_bytes;
            e.1 += r.file_bytes;
            e.2 = e.2.zip(ptr_bytes(r.ptr_words, l.binary.ptr_size)).map(|(a, b)| a + b);
        }
        m
    };
    let (a, b) = (sum(old), sum(new));
    let all: BTreeSet<Class> = a.keys().chain(b.keys()).copied().collect();
    all.into_iter()
        .map(|class| {
            let (ov, of, op) = a.get(&class).copied().unwrap_or((0, 0, None));
            let (nv, nf, np) = b.get(&class).copied().unwrap_or((0, 0, None));
            let ptr = if matches!(class, Class::Data | Class::Bss) { op.zip(np) } else { None };
            ClassDelta {
                class,
                vm: Delta::new(ov, nv),
                file: Delta::new(of, nf),
                ptr_bytes: ptr.map(|(o, n)| Delta::new(o, n)),
            }
        })
        .filter(|c| c.vm.delta != 0 || c.file.delta != 0 || c.ptr_bytes.is_some_and(|p| p.delta != 0))
        .collect()
}

fn change_of(old: Option<u64>, new: Option<u64>) -> Change {
    match (old, new) {
        (None, _) => Change::Added,
        (_, None) => Change::Removed,
        (Some(o), Some(n)) if n > o => Change::Grown,
        (Some(o), Some(n)) if n < o => Change::Shrunk,
        _ => Change::Changed,
    }
}

fn sections(old: &Layout, new: &Layout) -> Vec<SectionDelta> {
    let sum = |l: &Layout| {
        let mut m: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for s in &l.sections {
            let name = match &s.segment_name {
                Some(seg) => format!("{seg},{}", s.name),
                None => s.name.clone(),
            };
            let e = m.entry(name).or_default();
            e.0 += s.vm_size;
            e.1 += s.file_size;
        }
        m
    };
    let (a, b) = (sum(old), sum(new));
    let all: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    all.into_iter()
        .filter_map(|name| {
            let (o, n) = (a.get(name), b.get(name));
            if o == n {
                return None;
            }
            let (ov, of) = o.copied().unwrap_or_default();
            let (nv, nf) = n.copied().unwrap_or_default();
            Some(SectionDelta {
                name: name.clone(),
                change: change_of(o.map(|x| x.0), n.map(|x| x.0)),
                vm: Delta::new(ov, nv),
                file: Delta::new(of, nf),
            })
        })
        .collect()
}

fn packages(old: &Layout, new: &Layout) -> Vec<PackageDelta> {
    let index = |l: &'_ Layout| -> HashMap<String, PackageTotal> {
        l.packages.iter().map(|p| (p.package.clone(), p.clone())).collect()
    };
    let (a, b) = (index(old), index(new));
    let all: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let vm = |p: &PackageTotal| Class::ALL.iter().map(|c| p.bytes.get(*c)).sum::<u64>();
    all.into_iter()
        .filter_map(|name| {
            let (o, n) = (a.get(name), b.get(name));
            let zero = PackageTotal::default();
            let (op, np) = (o.unwrap_or(&zero), n.unwrap_or(&zero));
            let classes: Vec<PackageClassDelta> = Class::ALL
                .iter()
                .map(|&class| PackageClassDelta { class, vm: Delta::new(op.bytes.get(class), np.bytes.get(class)) })
                .filter(|c| c.vm.delta != 0)
                .collect();
            let d = PackageDelta {
                package: name.clone(),
                change: change_of(o.map(vm), n.map(vm)),
                vm: Delta::new(vm(op), vm(np)),
                file: Delta::new(op.file_bytes, np.file_bytes),
                ptr_bytes: Delta::new(
                    op.ptr_words.saturating_mul(u64::from(old.binary.ptr_size)),
                    np.ptr_words.saturating_mul(u64::from(new.binary.ptr_size)),
                ),
                vars: Delta::new(op.vars, np.vars),
                text: Delta::new(op.text_bytes, np.text_bytes),
                classes,
            };
            let changed = o.is_none()
                || n.is_none()
                || !d.classes.is_empty()
                || [d.file, d.ptr_bytes, d.vars, d.text].iter().any(|x| x.delta != 0);
            changed.then_some(d)
        })
        .collect()
}

/// Variables keyed by (name, occurrence in address order).
fn by_name(l: &Layout) -> BTreeMap<(&str, usize), &Variable> {
    let mut vars: Vec<&Variable> = l.variables.iter().collect();
    vars.sort_by(|a, b| a.name.cmp(&b.name).then(a.address.cmp(&b.address)));
    let mut out = BTreeMap::new();
    let mut prev: Option<&str> = None;
    let mut n = 0;
    for v in vars {
        n = if prev == Some(v.name.as_str()) { n + 1 } else { 0 };
        prev = Some(&v.name);
        out.insert((v.name.as_str(), n), v);
    }
    out
}

fn state(v: &Variable) -> VarState {
    VarState {
        class: v.class,
        section: v.section.clone(),
        size: v.size,
        file_bytes: v.file_bytes,
        ptr_words: v.ptr_words,
        type_name: v.type_name.clone(),
    }
}

fn variables(old: &Layout, new: &Layout) -> Vec<VariableDelta> {
    let (a, b) = (by_name(old), by_name(new));
    let all: BTreeSet<&(&str, usize)> = a.keys().chain(b.keys()).collect();
    let pb = |v: Option<&&Variable>, l: &Layout| v.and_then(|v| ptr_bytes(v.ptr_words, l.binary.ptr_size)).unwrap_or(0);
    all.into_iter()
        .filter_map(|key| {
            let (o, n) = (a.get(key), b.get(key));
            let (os, ns) = (o.map(|v| state(v)), n.map(|v| state(v)));
            let change = match (&os, &ns) {
                (Some(x), Some(y)) if x.class != y.class => Change::MovedClass,
                (Some(x), Some(y))
                    if x.size == y.size && x.file_bytes == y.file_bytes && x.ptr_words == y.ptr_words =>
                {
                    return None
                }
                _ => change_of(os.as_ref().map(|s| s.size), ns.as_ref().map(|s| s.size)),
            };
            let size = |s: &Option<VarState>| s.as_ref().map_or(0, |s| s.size);
            let file = |s: &Option<VarState>| s.as_ref().map_or(0, |s| s.file_bytes);
            Some(VariableDelta {
                name: key.0.to_string(),
                package: n.or(o).map(|v| v.package.clone()).unwrap_or_default(),
                change,
                vm: Delta::new(size(&os), size(&ns)),
                file: Delta::new(file(&os), file(&ns)),
                ptr_bytes: Delta::new(pb(o, old), pb(n, new)),
                old: os,
                new: ns,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_is_signed_and_saturates() {
        assert_eq!(Delta::new(10, 4).delta, -6);
        assert_eq!(Delta::new(4, 10).delta, 6);
        assert_eq!(Delta::new(0, u64::MAX).delta, i64::MAX);
        assert_eq!(Delta::new(u64::MAX, 0).delta, i64::MIN);
        assert_eq!(Delta::new(0, 5).percent(), None);
        assert_eq!(Delta::new(200, 210).percent(), Some(5.0));
    }

    #[test]
    fn keep_hides_small_rows_and_sorts_by_magnitude() {
        let mut hidden = 0;
        let rows = keep(vec![3u64, 10, 1, 7], 3, &mut hidden, |r| *r);
        assert_eq!(rows, vec![10, 7, 3]);
        assert_eq!(hidden, 1);
    }
}
