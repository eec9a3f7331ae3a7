//! Hostile and broken binaries (issue 9): for every fixture, truncations at
//! many offsets (every section boundary, inside the pclntab, moduledata,
//! build info and DWARF) and seeded byte flips in those tables never panic
//! and never hang: `analyze_bytes` returns a layout (possibly with notices)
//! or a typed error. Packed (UPX) and stomped-magic binaries are reported as
//! such, and a scan of a directory of broken files keeps going.

use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use golayout::image::{Format, Image, Packer};
use golayout::runtime::{buildinfo, moduledata, pclntab, FoundBy};
use golayout::{analyze_bytes, Error, Options};

use crate::common::{fixtures, golayout, root, s};

/// One case taking longer than this (debug build) counts as a hang.
const CASE_LIMIT: Duration = Duration::from_secs(20);

/// Where the interesting bytes of one fixture are, as file offsets.
struct Tables {
    /// `(what, file range)` of the runtime tables and DWARF.
    regions: Vec<(&'static str, Range<usize>)>,
    /// File ranges of the sections with file bytes.
    sections: Vec<Range<usize>>,
}

/// The file offset of `address` in `bytes`, when file-backed.
fn file_offset(image: &Image<'_>, bytes: &[u8], address: u64) -> Option<usize> {
    let b = image.bytes_at(address, 1)?;
    (b.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize)
}

fn tables(bytes: &[u8]) -> Tables {
    let image = Image::parse(bytes, None).expect("fixture parses");
    let mut regions = Vec::new();
    let mut add = |what, start: Option<usize>, len: usize| {
        if let Some(start) = start {
            regions.push((what, start..(start + len).min(bytes.len())));
        }
    };
    if let Ok(located) = pclntab::locate(&image) {
        let t = &located.table;
        add("pclntab header", file_offset(&image, bytes, t.address()), 64);
        add("functab", file_offset(&image, bytes, t.functab_address()), 4096);
        if let Ok(md) = moduledata::locate(&image, &located, None) {
            add("moduledata", file_offset(&image, bytes, md.address), 512);
            add("gcdata", file_offset(&image, bytes, md.gcdata), 64);
        }
    }
    if let Ok(bi) = buildinfo::locate(&image) {
        add("buildinfo", file_offset(&image, bytes, bi.address), 256);
    }
    for sec in image.sections() {
        if sec.name.ends_with("debug_info") || sec.name.ends_with("debug_abbrev") {
            add("dwarf", usize::try_from(sec.file_offset).ok(), 4096);
        }
    }
    let sections = image
        .sections()
        .iter()
        .filter(|s| s.file_size > 0)
        .filter_map(|s| {
            let start = usize::try_from(s.file_offset).ok()?;
            Some(start..start.saturating_add(usize::try_from(s.file_size).ok()?).min(bytes.len()))
        })
        .collect();
    Tables { regions, sections }
}

/// Offsets to truncate at: the first bytes, every section boundary ±1, and
/// points inside every table.
fn cut_points(bytes: &[u8], t: &Tables) -> Vec<usize> {
    let mut cuts = vec![0, 1, 3, 4, 16, 52, 63, 64, 65, 512, 4096, bytes.len() / 2, bytes.len() - 1];
    for r in &t.sections {
        // Just before, at and just after the boundary (a section's end is
        // about the next one's start, so the one before it is cut there too).
        cuts.extend([r.start.saturating_sub(1), r.start, r.start + 1]);
    }
    for (_, r) in &t.regions {
        cuts.extend([r.start + 1, r.start + 8, r.start + 40, (r.start + r.end) / 2]);
    }
    cuts.retain(|&c| c < bytes.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// A small deterministic PRNG (xorshift64).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Runs `work` on a worker thread that reports the case it is on; fails if
/// one case runs longer than [`CASE_LIMIT`] (a hang) and lists every case
/// that panicked.
fn with_watchdog(work: impl FnOnce(&dyn Fn(String)) -> Vec<String> + Send + 'static) {
    let current = Arc::new(Mutex::new((String::from("start"), Instant::now())));
    let (tx, rx) = mpsc::channel();
    let reporter = Arc::clone(&current);
    std::thread::spawn(move || {
        let set = move |case: String| *reporter.lock().unwrap() = (case, Instant::now());
        let _ = tx.send(work(&set));
    });
    let failures = loop {
        match rx.recv_timeout(Duration::from_millis(250)) {
            Ok(failures) => break failures,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let (case, since) = current.lock().unwrap().clone();
                assert!(since.elapsed() < CASE_LIMIT, "hang: {case} still running after {:?}", since.elapsed());
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("worker thread died"),
        }
    };
    assert!(failures.is_empty(), "{} cases panicked:\n{}", failures.len(), failures.join("\n"));
}

/// Analyzes `bytes`; a panic is returned as the failure message. Both
/// outcomes of the analysis are fine, as long as a layout serializes.
fn analyze_case(bytes: &[u8], case: &str, options: &Options) -> Result<(), String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| match analyze_bytes(bytes, case, options) {
        Ok(layout) => {
            serde_json::to_string(&layout).expect("a layout serializes");
        }
        Err(e) => {
            // A typed error with a one-line message.
            let msg = e.to_string();
            assert!(!msg.is_empty() && !msg.contains('\n'), "{case}: error message {msg:?}");
        }
    }));
    outcome.map_err(|p| {
        let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
        format!("{case}: panicked: {}", msg.unwrap_or_default())
    })
}

/// An ELF without its section header table (`e_shoff`, `e_shnum`,
/// `e_shstrndx` zeroed), so a truncation is read through the program
/// headers and the runtime tables are found by scanning.
fn without_section_headers(bytes: &[u8]) -> Option<Vec<u8>> {
    let image = Image::parse(bytes, None).ok()?;
    if image.format() != Format::Elf {
        return None;
    }
    let mut out = bytes.to_vec();
    let zero = |out: &mut Vec<u8>, at: usize, len: usize| out[at..at + len].fill(0);
    if out[4] == 2 {
        zero(&mut out, 0x28, 8);
        zero(&mut out, 0x3c, 4);
    } else {
        zero(&mut out, 0x20, 4);
        zero(&mut out, 0x30, 4);
    }
    Some(out)
}

#[test]
fn truncated_fixtures_never_panic_or_hang() {
    with_watchdog(|report| {
        let mut failures = Vec::new();
        let options = Options { with_functions: true, ..Options::default() };
        let mut cases = 0;
        for f in fixtures() {
            let bytes = std::fs::read(&f.bin).unwrap();
            let t = tables(&bytes);
            let sectionless = without_section_headers(&bytes);
            let cuts = cut_points(&bytes, &t);
            for &cut in &cuts {
                let case = format!("{} truncated at {cut}", f.name);
                report(case.clone());
                failures.extend(analyze_case(&bytes[..cut], &case, &options).err());
                cases += 1;
            }
            // Truncations inside the tables of an ELF with no section headers
            // get past the container and into the runtime parsers.
            if let Some(sl) = &sectionless {
                for (what, r) in &t.regions {
                    for cut in [r.start + 24, (r.start + r.end) / 2] {
                        let case = format!("{} without section headers, truncated in {what} at {cut}", f.name);
                        report(case.clone());
                        failures.extend(analyze_case(&sl[..cut.min(sl.len())], &case, &options).err());
                        cases += 1;
                    }
                }
            }
        }
        assert!(cases > 1000, "only {cases} truncation cases");
        failures
    });
}

#[test]
fn byte_flips_in_runtime_tables_never_panic_or_hang() {
    with_watchdog(|report| {
        let mut failures = Vec::new();
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let mut cases = 0;
        for f in fixtures() {
            let bytes = std::fs::read(&f.bin).unwrap();
            let t = tables(&bytes);
            let sectionless = without_section_headers(&bytes);
            for (what, r) in &t.regions {
                // Variables and DWARF only matter for DWARF flips.
                let options = Options { skip_variables: *what != "dwarf", ..Options::default() };
                for seed in 0..3 {
                    let mut copy = match (&sectionless, seed) {
                        (Some(sl), 2) => sl.clone(),
                        _ => bytes.clone(),
                    };
                    let mut flipped = Vec::new();
                    for _ in 0..1 + rng.below(4) {
                        let at = r.start + rng.below(r.len());
                        let mask = (rng.next() as u8).max(1);
                        copy[at] ^= mask;
                        flipped.push(format!("{at}^{mask:#04x}"));
                    }
                    let case = format!("{} flips in {what}: {}", f.name, flipped.join(" "));
                    report(case.clone());
                    failures.extend(analyze_case(&copy, &case, &options).err());
                    cases += 1;
                }
            }
        }
        assert!(cases > 300, "only {cases} flip cases");
        failures
    });
}

#[test]
fn upx_packed_fixture_is_reported_as_packed() {
    let path = root().join("fixtures/packed/packed-upx");
    let bytes = std::fs::read(&path).expect("fixtures/packed/packed-upx (fixtures/build.sh makes it with upx)");
    match analyze_bytes(&bytes, "packed-upx", &Options::default()) {
        Err(e @ Error::Packed(Packer::Upx)) => {
            assert!(e.is_not_go(), "packed is 'not a Go binary golayout reads'");
            assert!(e.to_string().contains("packed with UPX"), "{e}");
        }
        other => panic!("packed-upx: expected Error::Packed(Upx), got {:?}", other.map(|l| l.notices)),
    }
    // The command line: exit 3, one line naming the file and the packer.
    let (code, out, err) = golayout(&["info", s(&path)]);
    assert_eq!(code, 3, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("packed with UPX") && err.contains(s(&path)), "{err}");
}

#[test]
fn stomped_pclntab_magic_is_found_by_structure_with_a_notice() {
    for name in ["go1.27-linux-amd64-stripped", "go1.27-windows-386-stripped.exe", "go1.27-linux-s390x"] {
        let f = crate::common::fixture(name).expect(name);
        let mut bytes = std::fs::read(&f.bin).unwrap();
        let before = analyze_bytes(&bytes, name, &Options::default()).unwrap();
        let rt = before.runtime.as_ref().expect("runtime tables");
        let image = Image::parse(&bytes, None).unwrap();
        let at = file_offset(&image, &bytes, rt.pclntab.address).unwrap();
        drop(image);
        // What garble does: overwrite the magic.
        bytes[at..at + 4].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
        let after = analyze_bytes(&bytes, name, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let art = after.runtime.as_ref().expect("runtime tables still found");
        assert_eq!(art.pclntab.found_by, FoundBy::Pointer, "{name}");
        assert_eq!(art.pclntab.address, rt.pclntab.address, "{name}");
        assert_eq!(art.pclntab.nfunc, rt.pclntab.nfunc, "{name}");
        assert!(
            after.notices.iter().any(|n| n.code == "pclntab" && n.message.contains("magic overwritten")),
            "{name}: notices {:?}",
            after.notices
        );
        let json = |l: &golayout::Layout| serde_json::to_value(&l.regions).unwrap();
        assert_eq!(json(&after), json(&before), "{name}: same regions through the stomped table");
    }
}

/// A directory of broken files next to good ones: `golayout scan` finishes,
/// writes one error record per bad file and the good results intact, and
/// exits 5.
#[test]
fn scan_of_broken_files_reports_each_and_keeps_the_good() {
    let (code, _, _) = golayout(&["scan", "--help"]);
    assert_eq!(code, 0, "golayout scan exists");
    let dir = std::env::temp_dir().join(format!("golayout-robust-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = ["go1.27-linux-amd64-stripped", "go1.27-darwin-arm64-stripped", "go1.27-windows-386-stripped.exe"];
    let mut bad = Vec::new();
    for name in good {
        let bytes = std::fs::read(root().join("fixtures/bin").join(name)).unwrap();
        std::fs::write(dir.join(name), &bytes).unwrap();
        let image = Image::parse(&bytes, None).unwrap();
        let t = tables(&bytes);
        drop(image);
        // A truncated download, and one cut inside the pclntab.
        for (tag, cut) in [("half", bytes.len() / 2), ("headers", 200)] {
            let p = format!("{name}.{tag}");
            std::fs::write(dir.join(&p), &bytes[..cut]).unwrap();
            bad.push(p);
        }
        if let Some((_, r)) = t.regions.iter().find(|(w, _)| *w == "pclntab header") {
            let p = format!("{name}.cut-pclntab");
            std::fs::write(dir.join(&p), &bytes[..r.start + 16]).unwrap();
            bad.push(p);
        }
    }
    let (code, out, err) = golayout(&["scan", "-q", "--sort", s(&dir)]);
    let records: Vec<serde_json::Value> =
        out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    let status = |file: &str| {
        records
            .iter()
            .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(&format!("/{file}"))))
            .map(|r| r["status"].as_str().unwrap_or("").to_string())
    };
    for name in good {
        assert_eq!(status(name).as_deref(), Some("ok"), "{name}: {out}");
    }
    let errors = bad.iter().filter(|b| status(b).as_deref() == Some("error")).count();
    // Truncated ELF and Mach-O/PE files are all malformed, or not Go (skipped).
    for b in &bad {
        assert!(matches!(status(b).as_deref(), Some("error") | None), "{b}: {:?}", status(b));
    }
    assert!(errors >= bad.len() / 2, "{errors} error records for {} bad files: {out}", bad.len());
    assert_eq!(code, 5, "some files had errors: {err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unsafe_code_is_forbidden_except_the_file_mapping() {
    let roots =
        ["crates/runtime/src/lib.rs", "crates/layout/src/lib.rs", "crates/cli/src/lib.rs", "crates/cli/src/main.rs"];
    for r in roots {
        let text = std::fs::read_to_string(root().join(r)).unwrap();
        assert!(text.contains("#![forbid(unsafe_code)]"), "{r} forbids unsafe code");
    }
    let image = std::fs::read_to_string(root().join("crates/image/src/lib.rs")).unwrap();
    assert!(image.contains("#![deny(unsafe_code)]"), "the image crate denies unsafe code");
    // The one exception is the memory map in source.rs, documented there.
    for entry in std::fs::read_dir(root().join("crates/image/src")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let allows = text.matches("#[allow(unsafe_code)]").count();
        let is_source = path.ends_with("source.rs");
        assert_eq!(allows, usize::from(is_source), "{}: unsafe allowed only in source.rs", path.display());
        if is_source {
            assert!(text.contains("SAFETY:") && text.contains("truncate"), "source.rs documents soundness");
        }
    }
}

/// Regression (fuzz target `analyze`, a 12 s "slow unit"): a section table
/// whose entries all span the whole file made every structural scan walk the
/// file once per section. Scans now share a budget of twice the file size.
#[test]
fn overlapping_sections_do_not_multiply_scans() {
    let f = crate::common::fixture("go1.27-linux-amd64-stripped").unwrap();
    let mut bytes = std::fs::read(&f.bin).unwrap();
    let len = bytes.len() as u64;
    let image = Image::parse(&bytes, None).unwrap();
    let base = image.segments().iter().filter(|s| s.vm_size > 0).map(|s| s.address).min().unwrap();
    drop(image);
    // Replace the section table with 4000 writable sections over the whole file.
    let shoff = bytes.len().next_multiple_of(8);
    bytes.resize(shoff + 64, 0);
    // Section 1: the name table, the (zero) null header itself.
    let mut strtab = vec![0u8; 4]; // sh_name
    strtab.extend_from_slice(&3u32.to_le_bytes()); // SHT_STRTAB
    strtab.extend_from_slice(&[0; 16]); // sh_flags, sh_addr
    strtab.extend_from_slice(&(shoff as u64).to_le_bytes());
    strtab.extend_from_slice(&64u64.to_le_bytes());
    strtab.resize(64, 0);
    bytes.extend_from_slice(&strtab);
    for _ in 0..4000 {
        let mut h = Vec::with_capacity(64);
        h.extend_from_slice(&0u32.to_le_bytes()); // sh_name
        h.extend_from_slice(&1u32.to_le_bytes()); // SHT_PROGBITS
        h.extend_from_slice(&3u64.to_le_bytes()); // SHF_ALLOC | SHF_WRITE
        h.extend_from_slice(&base.to_le_bytes());
        h.extend_from_slice(&0u64.to_le_bytes()); // sh_offset
        h.extend_from_slice(&len.to_le_bytes());
        h.extend_from_slice(&[0; 8]); // sh_link, sh_info
        h.extend_from_slice(&1u64.to_le_bytes());
        h.extend_from_slice(&0u64.to_le_bytes());
        bytes.extend_from_slice(&h);
    }
    bytes[0x28..0x30].copy_from_slice(&(shoff as u64).to_le_bytes());
    bytes[0x3c..0x3e].copy_from_slice(&4002u16.to_le_bytes());
    bytes[0x3e..0x40].copy_from_slice(&1u16.to_le_bytes());
    assert!(Image::parse(&bytes, None).is_ok_and(|i| i.sections().len() > 4000), "the table parses");
    let started = Instant::now();
    let outcome = analyze_case(&bytes, "4000 overlapping sections", &Options::default());
    assert!(outcome.is_ok(), "{outcome:?}");
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
}
