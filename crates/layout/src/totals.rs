//! Totals that add up: per package, per section (with the unattributed
//! bytes split by cause).

use std::borrow::Cow;
use std::collections::HashMap;

use golayout_image::Image;

use crate::model::{Class, PackageTotal, SectionTotal, Unattributed, Variable};
use crate::regions::Regions;

/// Per-package totals over variables and function text.
pub(crate) fn packages(vars: &[Variable], text: &HashMap<Cow<'_, str>, (u64, u64)>) -> Vec<PackageTotal> {
    // Index by name into `out`; variables sorted by address mostly come in
    // runs of one package, so the previous index is tried first.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<PackageTotal> = Vec::new();
    let mut last: Option<usize> = None;
    for v in vars {
        let i = match last {
            Some(i) if out[i].package == v.package => i,
            _ => *index.entry(&v.package).or_insert_with(|| {
                out.push(PackageTotal {
                    package: v.package.clone(),
                    kind: Some(v.package_kind),
                    ..PackageTotal::default()
                });
                out.len() - 1
            }),
        };
        last = Some(i);
        let t = &mut out[i];
        t.vars += 1;
        t.bytes.add(v.class, v.size);
        t.file_bytes += v.file_bytes;
        t.ptr_words += v.ptr_words.unwrap_or(0);
    }
    for (pkg, (count, bytes)) in text {
        let i = match index.get(pkg.as_ref()) {
            Some(&i) => i,
            None => {
                out.push(PackageTotal { package: pkg.to_string(), ..PackageTotal::default() });
                out.len() - 1
            }
        };
        let t = &mut out[i];
        t.funcs += count;
        t.text_bytes += bytes;
    }
    // Package names are unique: the order below is total, whatever the
    // order of insertion.
    out.sort_by(|a, b| {
        let key = |t: &PackageTotal| t.bytes.writable() + t.bytes.rodata + t.bytes.other + t.text_bytes;
        key(b).cmp(&key(a)).then(a.package.cmp(&b.package))
    });
    out
}

/// Attribution of every allocated section: bytes covered by variables (data
/// sections) or functions (text sections), and the rest by cause.
pub(crate) fn sections(
    image: &Image<'_>,
    regions: Option<&Regions>,
    vars: &[Variable],
    funcs: &[(u64, u64, &str)],
) -> Vec<SectionTotal> {
    let mut out = Vec::new();
    // Intervals sorted by start: (start, end, name).
    let mut spans: Vec<(u64, u64, &str)> = vars
        .iter()
        .map(|v| (v.address, v.address.saturating_add(v.size), v.name.as_str()))
        .chain(funcs.iter().copied())
        .collect();
    // Variables and functions each come sorted: a stable sort merges the
    // two runs in linear time (the key is total, so the result is the same).
    spans.sort();
    for s in image.sections().iter().filter(|s| s.flags.alloc && s.vm_size > 0 && s.address != 0) {
        let (lo, hi) = (s.address, s.end());
        let first = spans.partition_point(|sp| sp.1 <= lo);
        let mut cursor = lo;
        let mut prev_name: Option<&str> = None;
        let mut attributed = 0u64;
        let mut un = Unattributed::default();
        for &(a, b, name) in spans[first..].iter().take_while(|sp| sp.0 < hi) {
            let (a, b) = (a.max(lo), b.min(hi));
            if a > cursor {
                classify_gap(&mut un, regions, cursor, a, prev_name);
            }
            if b > cursor {
                attributed += b - a.max(cursor);
                cursor = b;
                prev_name = Some(name);
            }
        }
        if hi > cursor {
            classify_gap(&mut un, regions, cursor, hi, prev_name);
        }
        out.push(SectionTotal {
            section: crate::vars::section_label(image, s),
            vm_size: s.vm_size,
            attributed,
            unattributed: un,
        });
    }
    out
}

/// Assigns the gap `[a, b)` to a cause.
fn classify_gap(un: &mut Unattributed, regions: Option<&Regions>, a: u64, b: u64, prev: Option<&str>) {
    let n = b - a;
    let Some(prev) = prev else {
        un.unknown += n;
        return;
    };
    if n < 16 {
        un.padding += n;
        return;
    }
    let class = regions.map_or(Class::Other, |r| r.class_of(a));
    if prev.starts_with("go:string") || prev.starts_with("go.string") {
        un.string_data += n;
    } else if prev.starts_with("type:") || prev.starts_with("type.") {
        un.type_data += n;
    } else if matches!(class, Class::Data | Class::Noptrdata) {
        un.compiler_statics += n;
    } else {
        un.unknown += n;
    }
}
