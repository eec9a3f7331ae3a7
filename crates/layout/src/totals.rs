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
        t.file_bytes = t.file_bytes.saturating_add(v.file_bytes);
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
        t.text_bytes = t.text_bytes.saturating_add(*bytes);
    }
    // Package names are unique: the order below is total, whatever the
    // order of insertion.
    out.sort_by(|a, b| {
        let key = |t: &PackageTotal| {
            [t.bytes.rodata, t.bytes.other, t.text_bytes].iter().fold(t.bytes.writable(), |s, &n| s.saturating_add(n))
        };
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
    let mut spans: Vec<(u64, u64, &str)> = Vec::with_capacity(vars.len() + funcs.len());
    spans.extend(vars.iter().map(|v| (v.address, v.address.saturating_add(v.size), v.name.as_str())));
    spans.extend(funcs.iter().copied());
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
            if a >= b {
                // Empty, or inverted (a hostile pclntab's end before entry).
                continue;
            }
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

#[cfg(test)]
mod tests {
    use golayout_image::Image;

    /// Regression (fuzz target `analyze`): a function whose end lies before
    /// its entry (a corrupted pclntab) made the attributed bytes underflow.
    #[test]
    fn inverted_function_spans_attribute_nothing() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/bin/go1.27-linux-amd64-stripped");
        let bytes = std::fs::read(path).expect("fixture");
        let image = Image::parse(&bytes, None).unwrap();
        let lo = image.section_by_name(".text").unwrap().address;
        let funcs = [(lo, lo + 16, "a"), (lo + 64, lo + 32, "inverted"), (lo + 96, lo + 128, "b")];
        let totals = super::sections(&image, None, &[], &funcs);
        let text = totals.iter().find(|t| t.section == ".text").unwrap();
        assert_eq!(text.attributed, 48);
    }
}

#[cfg(test)]
mod saturation {
    use crate::model::{Class, ClassBytes};

    /// Regression (fuzz target `analyze`): symbol sizes near 2^64 from a
    /// corrupted symbol table overflowed the per-package sums.
    #[test]
    fn huge_sizes_saturate() {
        let mut b = ClassBytes::default();
        b.add(Class::Data, u64::MAX - 1);
        b.add(Class::Data, 16);
        assert_eq!(b.get(Class::Data), u64::MAX);
        b.add(Class::Bss, 16);
        assert_eq!(b.writable(), u64::MAX);
    }
}
