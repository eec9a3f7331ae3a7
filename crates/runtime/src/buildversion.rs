//! The Go version of a binary without build info or symbols.
//!
//! Some builds carry no build-info blob (e.g. esbuild 0.27+), and stripped
//! ones have no `runtime.buildVersion` symbol. The version string is still in
//! read-only data, and the `runtime.buildVersion` variable (a Go string
//! header in `.data`) still points at it. We look for `go1.` in read-only
//! data and accept a candidate only when a string header in the data region
//! points at it with a length that makes it a well-formed version.

use std::collections::HashSet;
use std::ops::Range;

use golayout_image::Image;

/// Longest version string accepted (`go1.22.10rc1` fits easily).
const MAX_LEN: u64 = 32;
/// Cap on candidates, so a file full of `go1.` cannot make this slow.
const MAX_CANDIDATES: usize = 100_000;

/// A version recovered from data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundVersion {
    /// The version string (`go1.26.5`).
    pub version: String,
    /// Address of the string header (`runtime.buildVersion`).
    pub header: u64,
}

/// Whether `s` is a release version string: `go1.N`, `go1.N.M`, optionally
/// followed by `rcK` or `betaK`, optionally by ` X:experiments`.
pub fn is_version(s: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(s) else { return false };
    let head = s.split(' ').next().unwrap_or("");
    let Some(rest) = head.strip_prefix("go1.") else { return false };
    let (nums, pre) = match rest.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let parts: Vec<&str> = nums.split('.').collect();
    let nums_ok = !parts.is_empty()
        && parts.len() <= 2
        && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    let pre_ok = pre.is_empty()
        || ["rc", "beta"]
            .iter()
            .any(|k| pre.strip_prefix(k).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())));
    nums_ok && pre_ok && (s.len() == head.len() || s[head.len()..].starts_with(" X:"))
}

/// Finds the version string pointed at by a string header in `data_ranges`.
pub fn find(image: &Image<'_>, data_ranges: &[Range<u64>]) -> Option<FoundVersion> {
    let mut candidates = HashSet::new();
    let rodata = image.sections().iter().filter(|s| s.flags.alloc && !s.flags.write && !s.flags.exec);
    for (address, bytes) in crate::scan_budget::within(image, rodata.map(|s| (s.address, image.section_data(s)))) {
        let mut at = 0usize;
        while let Some(i) = find_from(bytes, at) {
            candidates.insert(address.wrapping_add(i as u64));
            if candidates.len() >= MAX_CANDIDATES {
                break;
            }
            at = i + 4;
        }
    }
    if candidates.is_empty() {
        return None;
    }
    let p = u64::from(image.ptr_size());
    // Only file-backed words can hold a header: clipping each range to the
    // file bytes of its mappings bounds the walk by the file size, whatever
    // sizes the headers claim.
    let backed = data_ranges.iter().flat_map(|r| {
        image.mappings().iter().filter_map(move |m| {
            let lo = r.start.max(m.address);
            // A truncated file holds fewer bytes than its headers claim.
            let present = (image.data().len() as u64).saturating_sub(m.file_offset).min(m.file_size);
            let hi = r.end.min(m.address.saturating_add(present));
            (lo < hi).then_some(lo..hi)
        })
    });
    // Overlapping ranges (a malformed header table) must not multiply the walk.
    let mut left = (image.data().len() as u64).saturating_mul(crate::scan_budget::FACTOR);
    for r in backed {
        let Some(rest) = left.checked_sub(r.end - r.start) else { break };
        left = rest;
        let Some(start) = r.start.checked_next_multiple_of(p) else { continue };
        let mut a = start;
        while a.checked_add(2 * p).is_some_and(|e| e <= r.end) {
            if let Some(ptr) = image.read_ptr(a).filter(|v| candidates.contains(v)) {
                if let Some(len) = image.read_uint(a + p, image.ptr_size()).filter(|l| (5..=MAX_LEN).contains(l)) {
                    if let Some(bytes) = image.bytes_at(ptr, len).filter(|b| is_version(b)) {
                        return Some(FoundVersion { version: String::from_utf8_lossy(bytes).into_owned(), header: a });
                    }
                }
            }
            a += p;
        }
    }
    None
}

fn find_from(hay: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(4).position(|w| w == b"go1.").map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::is_version;

    #[test]
    fn version_shapes() {
        for ok in ["go1.26.5", "go1.21", "go1.22rc1", "go1.9beta2", "go1.27.3 X:nocoverageredesign"] {
            assert!(is_version(ok.as_bytes()), "{ok}");
        }
        for bad in ["go1.", "go1.26.5.1", "go1.2x", "go1.26.5garbage", "go1.26 foo", "go2.0"] {
            assert!(!is_version(bad.as_bytes()), "{bad}");
        }
    }
}
