//! Parser microbenchmarks on a fixed input: the committed fixture
//! `fixtures/bin/go1.27-linux-amd64` (symbols + DWARF), or the binary named by
//! `GOLAYOUT_BENCH_BIN`.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::{black_box, Bencher};
use golayout_image::{Image, MappedFile};
use golayout_layout::Options;
use golayout_runtime::{buildinfo, gcprog, moduledata, names, pclntab};

fn main() {
    divan::main();
}

fn input() -> &'static MappedFile {
    static FILE: OnceLock<MappedFile> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::env::var_os("GOLAYOUT_BENCH_BIN").map(PathBuf::from).unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bin/go1.27-linux-amd64")
        });
        MappedFile::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    })
}

fn image() -> Image<'static> {
    Image::parse(input().bytes(), None).expect("a binary")
}

/// Container headers, sections and segments.
#[divan::bench]
fn image_parse() -> Image<'static> {
    image()
}

/// Decoding the symbol table once (names borrowed).
#[divan::bench]
fn symbols(b: Bencher) {
    b.with_inputs(image).bench_local_values(|img| img.symbol_table().len());
}

/// The build info blob: version, module, dependencies, settings.
#[divan::bench]
fn buildinfo_parse(b: Bencher) {
    let img = image();
    b.bench_local(|| buildinfo::locate(black_box(&img)).ok());
}

/// Locating and validating the pclntab header.
#[divan::bench]
fn pclntab_locate(b: Bencher) {
    let img = image();
    b.bench_local(|| pclntab::locate(black_box(&img)).is_ok());
}

/// The function walk: every entry, end and name of the pclntab.
#[divan::bench]
fn pclntab_walk(b: Bencher) {
    let img = image();
    let located = pclntab::locate(&img).expect("pclntab");
    b.bench_local(|| located.table.funcs().map(|f| f.end - f.entry + f.name.len() as u64).sum::<u64>());
}

/// The walk plus the package of every function.
#[divan::bench]
fn pclntab_walk_packages(b: Bencher) {
    let img = image();
    let located = pclntab::locate(&img).expect("pclntab");
    b.bench_local(|| {
        located
            .table
            .funcs()
            .filter(|f| matches!(names::package_of(f.name, false), names::PackageOf::Package { .. }))
            .count()
    });
}

/// Finding and checking moduledata (GC bitmaps decoded).
#[divan::bench]
fn moduledata_locate(b: Bencher) {
    let img = image();
    let located = pclntab::locate(&img).expect("pclntab");
    b.bench_local(|| moduledata::locate(black_box(&img), &located, None).is_ok());
}

/// A GC program: 4096 literal words, then a 64-word pattern repeated to 1 Mi words.
#[divan::bench]
fn gcprog_decode(b: Bencher) {
    let mut prog = Vec::new();
    for _ in 0..32 {
        prog.push(0x7f); // 127 literal bits
        prog.extend([0b1010_0101u8; 16]);
    }
    prog.push(64 | 0x80); // repeat the last 64 bits ...
    let repeats = ((1u64 << 20) - 32 * 127) / 64;
    let mut c = repeats;
    loop {
        let byte = (c & 0x7f) as u8;
        c >>= 7;
        if c == 0 {
            prog.push(byte);
            break;
        }
        prog.push(byte | 0x80);
    }
    prog.push(0);
    let nbits = 32 * 127 + repeats * 64;
    b.bench_local(|| gcprog::decode(black_box(&prog), nbits).map(|v| v.count_ones()).ok());
}

/// Package-level variables from DWARF.
#[divan::bench]
fn dwarf_vars(b: Bencher) {
    let img = image();
    b.bench_local(|| golayout_layout::dwarf::read_vars(black_box(&img)).ok().flatten().map(|d| d.vars.len()));
}

/// The whole analysis (`golayout packages`, without output).
#[divan::bench]
fn analyze_full() -> usize {
    let l = golayout_layout::analyze_bytes(input().bytes(), "bench", &Options::default()).expect("layout");
    l.variables.len() + l.packages.len()
}

/// The analysis `golayout info` does (no variables, no DWARF).
#[divan::bench]
fn analyze_info() -> usize {
    let options = Options { skip_variables: true, ..Options::default() };
    golayout_layout::analyze_bytes(input().bytes(), "bench", &options).expect("layout").sections.len()
}

/// The whole analysis with `skip_types` (no DWARF on ELF).
#[divan::bench]
fn analyze_skip_types() -> usize {
    let options = Options { skip_types: true, ..Options::default() };
    let l = golayout_layout::analyze_bytes(input().bytes(), "bench", &options).expect("layout");
    l.variables.len() + l.packages.len()
}
