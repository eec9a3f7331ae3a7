//! Bounded memory on hostile input (issue 9): counts and lengths read from a
//! file never size an allocation or a loop unchecked. A counting global
//! allocator (this test binary only) measures the peak bytes allocated while
//! a parser reads a header that claims a huge count, and the tests assert it
//! stays small: a few KiB for the pure parsers, and for a whole analysis at
//! most a few MiB above the same analysis of the unpatched file.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use golayout::image::Image;
use golayout::runtime::moduledata::{self, Field};
use golayout::runtime::{buildinfo, gcprog, pclntab};
use golayout::{analyze_bytes, Options};

/// Counts live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwards to the system allocator with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(live, Ordering::SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwards to the system allocator; the caller upholds its contract.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::SeqCst) + new_size - layout.size();
                PEAK.fetch_max(live, Ordering::SeqCst);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Tests share the counters: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

/// Peak bytes allocated above the live bytes at the start while `f` runs.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (out, PEAK.load(Ordering::SeqCst) - base)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bin").join(name)).unwrap()
}

fn file_offset(image: &Image<'_>, bytes: &[u8], address: u64) -> usize {
    image.bytes_at(address, 1).expect("file-backed").as_ptr() as usize - bytes.as_ptr() as usize
}

/// Peak of a whole analysis of `patched`, and of the unpatched `original`.
fn analysis_peaks(original: &[u8], patched: &[u8]) -> (usize, usize) {
    let options = Options { with_functions: true, ..Options::default() };
    let (_, before) = peak_of(|| analyze_bytes(original, "original", &options).map(|_| ()));
    let (_, after) = peak_of(|| analyze_bytes(patched, "patched", &options).map(|_| ()));
    eprintln!("peak allocation: original {} KiB, patched {} KiB", before / KIB, after / KIB);
    (before, after)
}

#[test]
fn pclntab_header_claiming_2_pow_40_functions() {
    let _g = SERIAL.lock().unwrap();
    // A Go 1.20 header: magic, 0, 0, minLC 1, ptrsize 8, nfunc = 2^40, then
    // offsets that all lie inside the 4 KiB given.
    let mut t = vec![0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8];
    t.extend_from_slice(&(1u64 << 40).to_le_bytes());
    for v in [1u64, 0, 0x48, 0x48, 0x48, 0x48, 0x48] {
        t.extend_from_slice(&v.to_le_bytes());
    }
    t.resize(4 * KIB, 0);
    let (r, peak) = peak_of(|| pclntab::Pclntab::parse(&t, 0x1000).map(|p| p.funcs().count()));
    assert!(r.is_err(), "a functab of 2^40 entries cannot fit: {r:?}");
    assert!(peak < 16 * KIB, "peak {peak} bytes");

    // The same claim inside a real binary: the analysis falls back, no blow-up.
    let original = fixture("go1.27-linux-amd64-stripped");
    let mut patched = original.clone();
    let image = Image::parse(&original, None).unwrap();
    let at = file_offset(&image, &original, pclntab::locate(&image).unwrap().address());
    patched[at + 8..at + 16].copy_from_slice(&(1u64 << 40).to_le_bytes());
    let (before, after) = analysis_peaks(&original, &patched);
    assert!(after < before + 4 * MIB, "{after} vs {before}");
}

#[test]
fn buildinfo_varint_length_2_pow_60() {
    let _g = SERIAL.lock().unwrap();
    let bytes = fixture("go1.27-linux-386-stripped");
    let image = Image::parse(&bytes, None).unwrap();
    let mut blob = buildinfo::MAGIC.to_vec();
    blob.extend_from_slice(&[8, 2]);
    blob.resize(32, 0);
    // uvarint(2^60) then a few bytes.
    let mut n = 1u64 << 60;
    while n >= 0x80 {
        blob.push(n as u8 | 0x80);
        n >>= 7;
    }
    blob.push(n as u8);
    blob.extend_from_slice(b"go1.27");
    let (r, peak) = peak_of(|| buildinfo::parse(&image, 0x1000, &blob));
    assert!(r.is_err(), "{r:?}");
    assert!(peak < 4 * KIB, "peak {peak} bytes");
}

#[test]
fn compressed_dwarf_claiming_2_pow_40_bytes() {
    let _g = SERIAL.lock().unwrap();
    // PE: `.zdebug_info` starts with "ZLIB" and a big-endian u64 size.
    let original = fixture("go1.27-windows-amd64.exe");
    let image = Image::parse(&original, None).unwrap();
    let zinfo = image.section_by_name(".zdebug_info").expect(".zdebug_info");
    let at = zinfo.file_offset as usize;
    assert_eq!(&original[at..at + 4], b"ZLIB");
    for claim in [1u64 << 40, 1 << 29] {
        let mut patched = original.clone();
        patched[at + 4..at + 12].copy_from_slice(&claim.to_be_bytes());
        let (before, after) = analysis_peaks(&original, &patched);
        assert!(after < before + 4 * MIB, "claim {claim}: {after} vs {before}");
    }
    // ELF: SHF_COMPRESSED with an Elf64_Chdr whose ch_size (bytes 8..16) is
    // 2^40 (over the cap) or 2^29 (under it, but far more than the data).
    let original = fixture("go1.27-linux-amd64");
    let image = Image::parse(&original, None).unwrap();
    let info = image.section_by_name(".debug_info").expect(".debug_info");
    assert!(info.flags.compressed);
    let at = info.file_offset as usize;
    for claim in [1u64 << 40, 1 << 29] {
        let mut patched = original.clone();
        patched[at + 8..at + 16].copy_from_slice(&claim.to_le_bytes());
        let (before, after) = analysis_peaks(&original, &patched);
        assert!(after < before + 4 * MIB, "claim {claim}: {after} vs {before}");
    }
}

#[test]
fn moduledata_with_huge_slice_lengths_and_ranges() {
    let _g = SERIAL.lock().unwrap();
    let original = fixture("go1.27-linux-amd64-stripped");
    let image = Image::parse(&original, None).unwrap();
    let located = pclntab::locate(&image).unwrap();
    let md = moduledata::locate(&image, &located, None).unwrap();
    let base = file_offset(&image, &original, md.address);
    let field = |f: Field| base + md.layout.offset(f, 8).expect("field in layout") as usize;
    let huge = (1u64 << 40).to_le_bytes();
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    for (what, f) in [("ftab", Field::Ftab), ("textsectmap", Field::Textsectmap), ("filetab", Field::Filetab)] {
        let mut p = original.clone();
        // len and cap of the slice header.
        p[field(f) + 8..field(f) + 16].copy_from_slice(&huge);
        p[field(f) + 16..field(f) + 24].copy_from_slice(&huge);
        cases.push((what, p));
    }
    // bss claimed 16 GiB long: 2^31 words for the GC program to expand.
    let mut p = original.clone();
    p[field(Field::Ebss)..field(Field::Ebss) + 8].copy_from_slice(&(md.bss + (16 << 30)).to_le_bytes());
    cases.push(("ebss", p));
    for (what, patched) in cases {
        let (before, after) = analysis_peaks(&original, &patched);
        assert!(after < before + 4 * MIB, "{what}: {after} vs {before}");
    }
}

#[test]
fn gc_programs_claiming_huge_bit_counts() {
    let _g = SERIAL.lock().unwrap();
    // Nothing emitted, 2^28 bits expected.
    let (r, peak) = peak_of(|| gcprog::decode(&[0], gcprog::MAX_BITS));
    assert!(r.is_err());
    assert!(peak < KIB, "peak {peak} bytes");
    // Over the cap: refused before anything else.
    let (r, peak) = peak_of(|| gcprog::decode(&[0], u64::MAX));
    assert_eq!(r, Err(gcprog::Error::TooLarge(u64::MAX)));
    assert!(peak < KIB, "peak {peak} bytes");
    // A valid program: one zero bit repeated to 2^28 bits costs no storage.
    let (r, peak) = peak_of(|| gcprog::decode(&[1, 0, 0x81, 0xff, 0xff, 0xff, 0x7f, 0], gcprog::MAX_BITS));
    assert_eq!(r.map(|v| v.count_ones()), Ok(0));
    assert!(peak < KIB, "peak {peak} bytes");
    // A repeat count of 2^63 is refused as too long.
    let (r, peak) =
        peak_of(|| gcprog::decode(&[1, 1, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0], 64));
    assert!(r.is_err());
    assert!(peak < KIB, "peak {peak} bytes");
}
