//! Synthetic pclntabs in every format, byte order and pointer size.

use golayout_image::ByteOrder;

use super::*;

fn put(buf: &mut Vec<u8>, order: ByteOrder, size: u64, v: u64) {
    let bytes = v.to_le_bytes();
    let mut b = bytes[..size as usize].to_vec();
    if order == ByteOrder::Big {
        b.reverse();
    }
    buf.extend_from_slice(&b);
}

fn set(buf: &mut [u8], at: usize, order: ByteOrder, size: u64, v: u64) {
    let mut tmp = Vec::new();
    put(&mut tmp, order, size, v);
    buf[at..at + size as usize].copy_from_slice(&tmp);
}

const FUNCS: [(u64, &str); 3] = [(0x100, "main.main"), (0x180, "main.init.func1"), (0x1c0, "runtime.gcbits.x")];
const END: u64 = 0x200;
const FILES: [&str; 2] = ["/src/main.go", "/go/src/runtime/proc.go"];

/// Builds a table whose entries are `FUNCS` (offsets for 1.18+, else
/// absolute at `0x1000 +` offset).
fn build(v: PclnVersion, order: ByteOrder, p: u64) -> Vec<u8> {
    let rel = v.relative_entries();
    let field = if rel { 4 } else { p };
    let entry = |e: u64| if rel { e } else { 0x1000 + e };
    let mut b = Vec::new();
    put(&mut b, order, 4, u64::from(v.magic()));
    b.extend_from_slice(&[0, 0, 1, p as u8]);
    let n = FUNCS.len() as u64;
    if v == PclnVersion::Go12 {
        put(&mut b, order, p, n);
        let functab_at = b.len();
        b.resize(functab_at + ((2 * n + 1) * p) as usize + 4, 0);
        let mut offsets = Vec::new();
        for (e, name) in FUNCS {
            let func_at = b.len() as u64;
            put(&mut b, order, p, entry(e));
            put(&mut b, order, 4, func_at + p + 4);
            b.extend_from_slice(name.as_bytes());
            b.push(0);
            offsets.push(func_at);
        }
        for (i, (e, _)) in FUNCS.iter().enumerate() {
            set(&mut b, functab_at + 2 * i * p as usize, order, p, entry(*e));
            set(&mut b, functab_at + (2 * i + 1) * p as usize, order, p, offsets[i]);
        }
        set(&mut b, functab_at + 2 * n as usize * p as usize, order, p, entry(END));
        let filetab_at = b.len() as u64;
        set(&mut b, functab_at + ((2 * n + 1) * p) as usize, order, 4, filetab_at);
        put(&mut b, order, 4, FILES.len() as u64 + 1);
        let names_at = filetab_at + 4 * (FILES.len() as u64 + 1);
        let mut at = names_at;
        for f in FILES {
            put(&mut b, order, 4, at);
            at += f.len() as u64 + 1;
        }
        for f in FILES {
            b.extend_from_slice(f.as_bytes());
            b.push(0);
        }
        return b;
    }
    let words = if HeaderField::TextStart.word(v).is_some() { 8 } else { 7 };
    let header = 8 + words * p;
    // funcnametab, cutab (empty), filetab, pctab (empty), pclntable.
    let mut names = Vec::new();
    let mut nameoffs = Vec::new();
    for (_, name) in FUNCS {
        nameoffs.push(names.len() as u64);
        names.extend_from_slice(name.as_bytes());
        names.push(0);
    }
    let mut files = Vec::new();
    for f in FILES {
        files.extend_from_slice(f.as_bytes());
        files.push(0);
    }
    let funcname = header;
    let cu = funcname + names.len() as u64;
    let filetab = cu;
    let pctab = filetab + files.len() as u64;
    let pcln = pctab;
    let mut hdr = vec![n, FILES.len() as u64];
    if words == 8 {
        hdr.push(0x40_0000);
    }
    hdr.extend([funcname, cu, filetab, pctab, pcln]);
    for w in hdr {
        put(&mut b, order, p, w);
    }
    b.extend_from_slice(&names);
    b.extend_from_slice(&files);
    let functab_len = (2 * n + 1) * field;
    let func_size = field + 4;
    for (i, (e, _)) in FUNCS.iter().enumerate() {
        put(&mut b, order, field, entry(*e));
        put(&mut b, order, field, functab_len + i as u64 * func_size);
    }
    put(&mut b, order, field, entry(END));
    for (i, (e, _)) in FUNCS.iter().enumerate() {
        put(&mut b, order, field, entry(*e));
        put(&mut b, order, 4, nameoffs[i]);
    }
    b
}

#[test]
fn every_format_order_and_pointer_size() {
    for v in PclnVersion::ALL {
        for order in [ByteOrder::Little, ByteOrder::Big] {
            for p in [4u64, 8] {
                let data = build(v, order, p);
                let mut t = Pclntab::parse(&data, 0x50_0000).unwrap_or_else(|e| panic!("{v:?} {order:?} {p}: {e}"));
                assert_eq!((t.version(), t.byte_order(), u64::from(t.ptr_size()), t.nfunc()), (v, order, p, 3));
                let base = if v.relative_entries() {
                    assert_eq!(t.header_text_start(), Some(0x40_0000));
                    assert_eq!(t.text_base(), Some(0x40_0000));
                    t.set_text_base(0x2000);
                    0x2000
                } else {
                    assert_eq!(t.header_text_start(), None);
                    0x1000
                };
                let got: Vec<_> = t.funcs().map(|f| (f.entry - base, f.end - base, f.name)).collect();
                assert_eq!(
                    got,
                    vec![
                        (0x100, 0x180, "main.main"),
                        (0x180, 0x1c0, "main.init.func1"),
                        (0x1c0, 0x200, "runtime.gcbits.x")
                    ]
                );
                assert_eq!(t.files().collect::<Vec<_>>(), FILES);
                let functab = if v == PclnVersion::Go12 { 8 + p } else { t.header().pcln_offset };
                assert_eq!(t.functab_address(), 0x50_0000 + functab);
            }
        }
    }
}

#[test]
fn text_sections_translate_offsets() {
    let data = build(PclnVersion::Go120, ByteOrder::Little, 8);
    let mut t = Pclntab::parse(&data, 0).unwrap();
    t.set_text_base(0x1000);
    t.set_text_sections(vec![
        TextSect { vaddr: 0, end: 0x180, baseaddr: 0x1000 },
        TextSect { vaddr: 0x180, end: 0x300, baseaddr: 0x9000 },
    ]);
    assert_eq!(t.funcs().map(|f| f.entry).collect::<Vec<_>>(), vec![0x1100, 0x9000, 0x9040]);
}

#[test]
fn rejects_bad_headers_and_truncation_without_panicking() {
    let data = build(PclnVersion::Go118, ByteOrder::Big, 8);
    assert!(matches!(Pclntab::parse(&data[..6], 0), Err(Error::TooShort { .. })));
    let mut bad = data.clone();
    bad[0] = 0;
    assert!(matches!(Pclntab::parse(&bad, 0), Err(Error::BadMagic(_))));
    // The stomped-magic route still parses it when told the version.
    assert_eq!(Pclntab::parse_as(&bad, 0, PclnVersion::Go118, ByteOrder::Big).unwrap().nfunc(), 3);
    let mut bad = data.clone();
    bad[6] = 3;
    assert_eq!(Pclntab::parse(&bad, 0).unwrap_err(), Error::BadHeader("minLC is not 1, 2 or 4"));
    let mut huge = data.clone();
    huge[8..16].copy_from_slice(&u64::MAX.to_be_bytes());
    assert!(matches!(Pclntab::parse(&huge, 0), Err(Error::OutOfRange { what: "functab", .. })));
    // Every truncation either fails cleanly or parses.
    for v in PclnVersion::ALL {
        let data = build(v, ByteOrder::Little, 4);
        for len in 0..data.len() {
            if let Ok(t) = Pclntab::parse(&data[..len], 0) {
                let _ = t.funcs().count();
                let _ = t.files().count();
            }
        }
    }
}
