//! A bound on structural scans of hostile files.
//!
//! Scans for the pclntab, moduledata pointers, build info and the version
//! string walk the file bytes of sections or segments. In a real binary
//! those ranges do not overlap, so their total is at most the file size;
//! a malformed header table can list thousands of sections that each span
//! the whole file, which would multiply the work without bound. Every scan
//! therefore takes regions only while their total stays within
//! [`FACTOR`] × the file size.

use golayout_image::Image;

/// How many times the file size a scan may walk in total.
pub(crate) const FACTOR: u64 = 2;

/// The leading `regions` whose total length stays within the budget.
pub(crate) fn within<'d, T>(image: &Image<'_>, regions: impl IntoIterator<Item = (T, &'d [u8])>) -> Vec<(T, &'d [u8])> {
    let mut left = (image.data().len() as u64).saturating_mul(FACTOR);
    let mut out = Vec::new();
    for (key, bytes) in regions {
        let Some(rest) = left.checked_sub(bytes.len() as u64) else { break };
        left = rest;
        out.push((key, bytes));
    }
    out
}
