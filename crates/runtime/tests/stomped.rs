//! Binaries whose pclntab magic was overwritten (as obfuscators do) are
//! still read through moduledata's pointer to the header.

mod common;

use std::path::Path;

use golayout_image::{Image, MappedFile};
use golayout_runtime::pclntab::{self, PclnVersion};
use golayout_runtime::FoundBy;

#[test]
fn stomped_magic_is_recovered_through_moduledata() {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bin");
    if !bin.exists() {
        eprintln!("note: {} does not exist yet; stomped-magic test skipped", bin.display());
        return;
    }
    // Little- and big-endian, 64- and 32-bit, ELF section and PE scan.
    let names = [
        "go1.27-linux-amd64-stripped",
        "go1.27-linux-s390x-stripped",
        "go1.27-windows-386-stripped.exe",
        "go1.19-linux-amd64-stripped",
    ];
    for name in names {
        let path = bin.join(name);
        if !path.exists() {
            panic!("fixture {name} missing");
        }
        let file = MappedFile::open(&path).unwrap();
        let original = Image::parse(file.bytes(), None).unwrap();
        let before = common::analyze(&original).unwrap();
        let funcs: Vec<_> = before.located.table.funcs().map(|f| (f.entry, f.name.to_string())).collect();
        // Overwrite the magic in a copy of the file.
        let mut bytes = file.bytes().to_vec();
        let offset = file_offset(&original, before.located.address());
        bytes[offset..offset + 4].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
        let image = Image::parse(&bytes, None).unwrap();
        assert!(pclntab::locate(&image).is_err(), "{name}: stomped magic still found");
        let after = common::analyze(&image).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(after.located.found_by, FoundBy::Pointer, "{name}");
        assert!(after.located.notices.iter().any(|n| n.contains("magic overwritten")), "{name}");
        assert_eq!(after.located.table.version(), before.located.table.version(), "{name}");
        assert_eq!(after.md.text, before.md.text, "{name}");
        assert_eq!(after.md.ebss, before.md.ebss, "{name}");
        let again: Vec<_> = after.located.table.funcs().map(|f| (f.entry, f.name.to_string())).collect();
        assert_eq!(again, funcs, "{name}");
        assert!(before.located.table.version() >= PclnVersion::Go118);
    }
}

fn file_offset(image: &Image<'_>, address: u64) -> usize {
    let data = image.data();
    let bytes = image.bytes_at(address, 4).unwrap();
    // `bytes_at` borrows from the file: its position is the file offset.
    bytes.as_ptr() as usize - data.as_ptr() as usize
}

/// Corrupting the pclntab header or the moduledata record never panics:
/// the pipeline either still validates or reports an error.
#[test]
fn corrupted_tables_do_not_panic() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bin/go1.27-linux-386-stripped");
    if !path.exists() {
        eprintln!("note: {} missing; corruption test skipped", path.display());
        return;
    }
    let file = MappedFile::open(&path).unwrap();
    let original = Image::parse(file.bytes(), None).unwrap();
    let a = common::analyze(&original).unwrap();
    let targets = [(file_offset(&original, a.located.address()), 64), (file_offset(&original, a.md.address), 288)];
    let mut errors = 0;
    for (start, len) in targets {
        for i in (0..len).step_by(3) {
            for value in [0xff, 0x00] {
                let mut bytes = file.bytes().to_vec();
                bytes[start + i] = value;
                let image = Image::parse(&bytes, None).unwrap();
                match common::analyze(&image) {
                    Ok(a) => {
                        let _ = a.located.table.funcs().count();
                        let _ = a.located.table.files().count();
                    }
                    Err(_) => errors += 1,
                }
            }
        }
    }
    assert!(errors > 0, "some corruption should be detected");
}
