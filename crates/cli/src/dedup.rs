//! Cheap identity of a binary for `scan`'s deduplication: the Go build ID
//! (ELF `.note.go.buildid` note, or the `\xff Go build ID: "..."` string at
//! the start of text on Mach-O and PE), else the ELF GNU build-id, else a
//! fast hash of the whole file; always paired with the file size.
//!
//! Only the first 64 KiB are read when a build ID is there; files that do
//! not start like a binary get no key (they are skipped without hashing).

use std::io::Read;
use std::path::Path;

/// How much of the head is read to find a build ID.
const HEAD: usize = 64 * 1024;

/// What identifies a file's contents.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// Go build ID and file size.
    GoBuildId(String, u64),
    /// GNU build-id (hex) and file size.
    GnuBuildId(String, u64),
    /// Whole-file hash and size.
    Hash(u64, u64),
}

impl Key {
    /// The Go build ID, if the key is one.
    pub fn go_build_id(&self) -> Option<&str> {
        match self {
            Key::GoBuildId(id, _) => Some(id),
            _ => None,
        }
    }
}

/// The key of the file at `path`, or `None` when it does not look like a
/// binary or cannot be read (the analysis then reports why).
pub fn key(path: &Path) -> Option<Key> {
    let mut file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut head = Vec::with_capacity(HEAD);
    file.by_ref().take(HEAD as u64).read_to_end(&mut head).ok()?;
    if !looks_binary(&head) {
        return None;
    }
    if let Some((go, gnu)) = elf_notes(&head) {
        if let Some(id) = go {
            return Some(Key::GoBuildId(id, size));
        }
        if let Some(id) = gnu {
            return Some(Key::GnuBuildId(id, size));
        }
    }
    if let Some(id) = text_build_id(&head) {
        return Some(Key::GoBuildId(id, size));
    }
    let mut h = Hasher64::default();
    h.write(&head);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.write(&buf[..n]),
            Err(_) => return None,
        }
    }
    Some(Key::Hash(h.0, size))
}

/// ELF, Mach-O (thin or fat) or PE magic.
fn looks_binary(head: &[u8]) -> bool {
    const MAGICS: [&[u8]; 6] = [
        b"\x7fELF",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
    ];
    MAGICS.iter().any(|m| head.starts_with(m)) || head.starts_with(b"MZ")
}

/// The `\xff Go build ID: "..."` string Go puts at the start of text.
fn text_build_id(head: &[u8]) -> Option<String> {
    const PREFIX: &[u8] = b"\xff Go build ID: \"";
    let at = head.windows(PREFIX.len()).position(|w| w == PREFIX)? + PREFIX.len();
    let rest = &head[at..];
    let end = rest.iter().take(256).position(|&b| b == b'"')?;
    String::from_utf8(rest[..end].to_vec()).ok().filter(|s| !s.is_empty())
}

/// Go and GNU build IDs from the ELF `PT_NOTE` segments within `head`;
/// `None` when `head` is not an ELF file.
fn elf_notes(head: &[u8]) -> Option<(Option<String>, Option<String>)> {
    if !head.starts_with(b"\x7fELF") || head.len() < 52 {
        return None;
    }
    let is64 = head[4] == 2;
    let be = head[5] == 2;
    let rd = |off: usize, n: usize| -> Option<u64> {
        let b = head.get(off..off.checked_add(n)?)?;
        let mut v = 0u64;
        for i in 0..n {
            let byte = if be { b[i] } else { b[n - 1 - i] };
            v = (v << 8) | u64::from(byte);
        }
        Some(v)
    };
    let (phoff, phentsize, phnum) =
        if is64 { (rd(0x20, 8)?, rd(0x36, 2)?, rd(0x38, 2)?) } else { (rd(0x1c, 4)?, rd(0x2a, 2)?, rd(0x2c, 2)?) };
    let (mut go, mut gnu) = (None, None);
    for i in 0..phnum.min(256) {
        let ph = usize::try_from(phoff.checked_add(i * phentsize)?).ok()?;
        if rd(ph, 4)? != 4 {
            continue; // not PT_NOTE
        }
        let (off, size) = if is64 { (rd(ph + 8, 8)?, rd(ph + 32, 8)?) } else { (rd(ph + 4, 4)?, rd(ph + 16, 4)?) };
        let (Ok(mut p), Ok(size)) = (usize::try_from(off), usize::try_from(size)) else { continue };
        let end = p.saturating_add(size).min(head.len());
        while p + 12 <= end {
            let (namesz, descsz, ty) = (rd(p, 4)? as usize, rd(p + 4, 4)? as usize, rd(p + 8, 4)?);
            let name_at = p + 12;
            let desc_at = name_at.saturating_add(namesz.next_multiple_of(4));
            let next = desc_at.saturating_add(descsz.next_multiple_of(4));
            let (Some(name), Some(desc)) =
                (head.get(name_at..name_at.saturating_add(namesz)), head.get(desc_at..desc_at.saturating_add(descsz)))
            else {
                break;
            };
            match (name, ty) {
                (b"Go\0\0" | b"Go\0", 4) => go = String::from_utf8(desc.to_vec()).ok().filter(|s| !s.is_empty()),
                (b"GNU\0", 3) => gnu = Some(desc.iter().map(|b| format!("{b:02x}")).collect()),
                _ => {}
            }
            p = next;
        }
    }
    Some((go, gnu))
}

/// A fast non-cryptographic 64-bit hash (FNV-style over 8-byte words).
#[derive(Clone, Copy)]
struct Hasher64(u64);

impl Default for Hasher64 {
    fn default() -> Self {
        Hasher64(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher64 {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0 ^ w).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 ^= bytes.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_build_id_and_non_binaries() {
        let mut head = b"MZ....".to_vec();
        head.extend_from_slice(b"\xff Go build ID: \"abc/def\"\n \xff");
        assert_eq!(text_build_id(&head).as_deref(), Some("abc/def"));
        assert!(!looks_binary(b"#!/bin/sh\n"));
        assert_eq!(elf_notes(b"\x7fELF"), None, "too short: no panic");
        let mut junk = b"\x7fELF\x02\x01".to_vec();
        junk.resize(200, 0xff);
        let _ = elf_notes(&junk);
    }
}
