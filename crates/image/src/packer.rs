//! Executable packers: a packed binary carries a compressed copy of the
//! original program and a stub that unpacks it at run time, so none of the
//! original's tables (build info, pclntab, symbols, DWARF) can be read from
//! the file. golayout recognizes the packer instead of reporting "not Go".

use serde::{Deserialize, Serialize};

use crate::Image;

/// A packer recognized by the marks it leaves in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Packer {
    /// UPX (<https://upx.github.io>): `UPX!` pack header right after the
    /// container headers, and on PE the sections `UPX0`/`UPX1`.
    Upx,
}

impl Packer {
    /// The packer's name (`UPX`).
    pub fn name(self) -> &'static str {
        match self {
            Packer::Upx => "UPX",
        }
    }

    /// The command that restores the original binary.
    pub fn unpack_hint(self) -> &'static str {
        match self {
            Packer::Upx => "upx -d",
        }
    }
}

impl std::fmt::Display for Packer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How far into the file UPX's pack header is looked for. UPX writes it
/// right after the ELF program headers, the PE section table or the Mach-O
/// load commands, all within the first page.
const HEAD: usize = 4096;

/// The packer whose marks `data` (one whole binary) carries, if any.
///
/// Looks only at the first [`HEAD`] bytes and at the section names, so it
/// costs nothing on large files; `section_names` may be empty (UPX strips
/// the ELF section table).
pub fn detect<'a>(data: &[u8], section_names: impl IntoIterator<Item = &'a str>) -> Option<Packer> {
    let head = &data[..data.len().min(HEAD)];
    let magic = head.windows(4).any(|w| w == b"UPX!");
    let (mut upx0, mut upx1) = (false, false);
    for name in section_names {
        upx0 |= name == "UPX0";
        upx1 |= name == "UPX1";
    }
    (magic || upx0 && upx1).then_some(Packer::Upx)
}

impl Image<'_> {
    /// The packer that produced this binary, if it shows one's marks
    /// ([`detect`] on the selected slice and its section names).
    pub fn packer(&self) -> Option<Packer> {
        detect(self.data, self.sections().iter().map(|s| s.name))
    }
}

#[cfg(test)]
mod tests {
    use super::{detect, Packer};

    /// A minimal ELF64 header plus program header, then UPX's `l_info`
    /// block (checksum, `UPX!`, version, format) as UPX 3.96 writes it.
    fn elf_with_upx_header() -> Vec<u8> {
        let mut f = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
        f.resize(0xe8, 0);
        f.extend_from_slice(&[0xe5, 0x3e, 0x63, 0x0f]);
        f.extend_from_slice(b"UPX!");
        f.extend_from_slice(&[0x80, 0x09, 0x0d, 0x16]);
        f
    }

    #[test]
    fn upx_header_near_the_start_is_recognized() {
        assert_eq!(detect(&elf_with_upx_header(), []), Some(Packer::Upx));
        assert_eq!(Packer::Upx.to_string(), "UPX");
    }

    #[test]
    fn pe_section_names_are_recognized() {
        // UPX'd PE files name their sections UPX0 (empty, the unpack target) and UPX1.
        let pe = b"MZ\x90\0".to_vec();
        assert_eq!(detect(&pe, ["UPX0", "UPX1", ".rsrc"]), Some(Packer::Upx));
        assert_eq!(detect(&pe, ["UPX0", ".text"]), None);
    }

    #[test]
    fn the_marker_deep_in_the_file_is_not_a_packer() {
        // A program may well contain the string; only the header area counts.
        let mut f = vec![0x7f, b'E', b'L', b'F'];
        f.resize(64 * 1024, 0);
        f.extend_from_slice(b"UPX!");
        assert_eq!(detect(&f, [".text", ".data"]), None);
        assert_eq!(detect(b"", []), None);
    }
}
