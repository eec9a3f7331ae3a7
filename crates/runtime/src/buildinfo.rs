//! The build-info blob (`go:buildinfo`): Go version, modules, build settings.
//!
//! Two forms exist (Go source: src/debug/buildinfo/buildinfo.go):
//! - inline (Go 1.18+, flags bit 1): after the 32-byte header, a uvarint
//!   length and the bytes of the version string, then the same for modinfo;
//! - pointer (before 1.18): two pointers to Go string headers.
//!
//! modinfo is wrapped in 16-byte sentinels and holds tab-separated lines
//! (`path`, `mod`, `dep`, `=>`, `build`).

use golayout_image::{ByteOrder, Format, Image};
use serde::{Deserialize, Serialize};

/// The 14-byte magic that starts the blob.
pub const MAGIC: &[u8; 14] = b"\xff Go buildinf:";
const HEADER_LEN: usize = 32;
/// Cap on a string read through the pointer form (the largest modinfo seen
/// in real binaries is a few hundred KiB).
const MAX_STRING: u64 = 16 << 20;

/// A module line of modinfo (`mod`, `dep` or a `=>` replacement).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Module {
    /// Module path.
    pub path: String,
    /// Module version (`(devel)` for the main module built from a checkout).
    pub version: String,
    /// `h1:` checksum, empty when absent.
    pub sum: String,
    /// The replacement module, if a `=>` line followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replace: Option<Box<Module>>,
}

/// One `build` line: a setting such as `-ldflags`, `GOOS`, `vcs.revision`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    /// Setting name.
    pub key: String,
    /// Setting value.
    pub value: String,
}

/// Which encoding the blob used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Inline varint-prefixed strings (Go 1.18+).
    Inline,
    /// Pointers to string headers (before Go 1.18).
    Pointer,
}

/// Parsed build information.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BuildInfo {
    /// Virtual address of the blob.
    pub address: u64,
    /// Encoding of the blob.
    pub form: Form,
    /// The Go version string (`go1.27.3`).
    pub go_version: String,
    /// Main package path (`path` line).
    pub path: String,
    /// Main module (`mod` line), if any.
    pub main: Option<Module>,
    /// Dependencies in order (`dep` lines).
    pub deps: Vec<Module>,
    /// Build settings in order (`build` lines).
    pub settings: Vec<Setting>,
}

impl BuildInfo {
    /// The value of a build setting.
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings.iter().find(|s| s.key == key).map(|s| s.value.as_str())
    }
}

/// Why build info could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildInfoError {
    /// No blob with the magic was found where Go puts it.
    #[error("no Go build info blob (not a Go binary, or built before Go 1.13)")]
    NotFound,
    /// The blob was found but is malformed.
    #[error("malformed build info at {address:#x}: {reason}")]
    Malformed {
        /// Where the blob is.
        address: u64,
        /// What was wrong.
        reason: &'static str,
    },
}

/// Finds and parses the build-info blob of `image`.
///
/// Looks where the linker puts it: ELF `.go.buildinfo`, Mach-O
/// `__go_buildinfo`, PE the first initialized read-write section; then falls
/// back to a 16-byte-aligned search of writable file-backed sections.
pub fn locate(image: &Image<'_>) -> Result<BuildInfo, BuildInfoError> {
    let named = match image.format() {
        Format::Elf => image.section_by_name(".go.buildinfo"),
        Format::MachO => image.section_by_name("__go_buildinfo"),
        Format::Pe => image.sections().iter().find(|s| s.flags.write && !s.flags.exec && s.file_size > 0),
    };
    if let Some(s) = named {
        let data = image.section_data(s);
        if data.starts_with(MAGIC) {
            return parse(image, s.address, data);
        }
    }
    let writable = image.sections().iter().filter(|s| s.flags.write && s.file_size > 0);
    for (address, data) in crate::scan_budget::within(image, writable.map(|s| (s.address, image.section_data(s)))) {
        let mut off = 0usize;
        while off + HEADER_LEN <= data.len() {
            if data[off..].starts_with(MAGIC) {
                return parse(image, address.wrapping_add(off as u64), &data[off..]);
            }
            off += 16;
        }
    }
    Err(BuildInfoError::NotFound)
}

/// Parses a blob starting with [`MAGIC`] at virtual address `address`.
///
/// `image` is needed only for the pointer form, whose strings live elsewhere.
pub fn parse(image: &Image<'_>, address: u64, blob: &[u8]) -> Result<BuildInfo, BuildInfoError> {
    let bad = |reason| BuildInfoError::Malformed { address, reason };
    if blob.len() < HEADER_LEN || !blob.starts_with(MAGIC) {
        return Err(bad("header truncated"));
    }
    let ptr_size = blob[14];
    let flags = blob[15];
    let (version, modinfo, form) = if flags & 2 != 0 {
        let mut rest = &blob[HEADER_LEN..];
        let v = read_varint_string(&mut rest).ok_or(bad("version string truncated"))?;
        let m = read_varint_string(&mut rest).ok_or(bad("modinfo string truncated"))?;
        (v.to_vec(), m.to_vec(), Form::Inline)
    } else {
        if ptr_size != 4 && ptr_size != 8 {
            return Err(bad("pointer size is neither 4 nor 8"));
        }
        let order = if flags & 1 != 0 { ByteOrder::Big } else { ByteOrder::Little };
        let p = usize::from(ptr_size);
        let vers_ptr = order.read_uint(&blob[16..16 + p]).ok_or(bad("version pointer"))?;
        let mod_ptr = order.read_uint(&blob[16 + p..16 + 2 * p]).ok_or(bad("modinfo pointer"))?;
        let v = read_go_string(image, vers_ptr, ptr_size, order).ok_or(bad("version string unreadable"))?;
        let m = read_go_string(image, mod_ptr, ptr_size, order).unwrap_or_default();
        (v, m, Form::Pointer)
    };
    let go_version = String::from_utf8_lossy(&version).into_owned();
    if !go_version.starts_with("go") && !go_version.starts_with("devel") {
        return Err(bad("version string does not start with \"go\""));
    }
    let mut info = BuildInfo {
        address,
        form,
        go_version,
        path: String::new(),
        main: None,
        deps: Vec::new(),
        settings: Vec::new(),
    };
    parse_modinfo(&strip_sentinels(&modinfo), &mut info);
    Ok(info)
}

/// Reads a Go string header `{data *byte, len int}` at `address`.
pub fn read_go_string(image: &Image<'_>, address: u64, ptr_size: u8, order: ByteOrder) -> Option<Vec<u8>> {
    let mut hdr = [0u8; 16];
    let p = usize::from(ptr_size);
    if !image.read_at(address, &mut hdr[..2 * p]) {
        return None;
    }
    let data = image.read_ptr(address).or_else(|| order.read_uint(&hdr[..p]))?;
    let len = order.read_uint(&hdr[p..2 * p])?;
    if len > MAX_STRING || len > image.file_size() {
        return None;
    }
    image.bytes_at(data, len).map(<[u8]>::to_vec)
}

fn read_varint_string<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let mut n: u64 = 0;
    let mut shift = 0u32;
    let mut i = 0usize;
    loop {
        let b = *rest.get(i)?;
        i += 1;
        if shift >= 64 {
            return None;
        }
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let len = usize::try_from(n).ok()?;
    let s = rest.get(i..i.checked_add(len)?)?;
    *rest = &rest[i + len..];
    Some(s)
}

fn strip_sentinels(m: &[u8]) -> String {
    let inner = if m.len() >= 33 && m[m.len() - 17] == b'\n' { &m[16..m.len() - 16] } else { m };
    String::from_utf8_lossy(inner).into_owned()
}

fn parse_modinfo(text: &str, info: &mut BuildInfo) {
    let module = |f: &[&str]| Module {
        path: f.first().unwrap_or(&"").to_string(),
        version: f.get(1).unwrap_or(&"").to_string(),
        sum: f.get(2).unwrap_or(&"").to_string(),
        replace: None,
    };
    for line in text.lines() {
        let (kind, rest) = line.split_once('\t').unwrap_or((line, ""));
        let fields: Vec<&str> = rest.split('\t').collect();
        match kind {
            "path" => info.path = rest.to_string(),
            "mod" => info.main = Some(module(&fields)),
            "dep" => info.deps.push(module(&fields)),
            "=>" => {
                let repl = Some(Box::new(module(&fields)));
                match info.deps.last_mut() {
                    Some(d) => d.replace = repl,
                    None => {
                        if let Some(m) = info.main.as_mut() {
                            m.replace = repl
                        }
                    }
                }
            }
            "build" => {
                if let Some(s) = parse_setting(rest) {
                    info.settings.push(s);
                }
            }
            _ => {}
        }
    }
}

/// Parses `key=value` where either side may be a Go-quoted string.
fn parse_setting(s: &str) -> Option<Setting> {
    let (key, rest) = if s.starts_with('"') {
        let (k, used) = unquote_prefix(s)?;
        (k, s.get(used..)?.strip_prefix('=')?)
    } else {
        let (k, v) = s.split_once('=')?;
        (k.to_string(), v)
    };
    let value = if rest.starts_with('"') {
        unquote_prefix(rest).map(|(v, _)| v).unwrap_or_else(|| rest.to_string())
    } else {
        rest.to_string()
    };
    Some(Setting { key, value })
}

/// Decodes a Go double-quoted string literal at the start of `s`; returns
/// the value and the number of bytes consumed.
fn unquote_prefix(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1)),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
                    '\'' => out.push('\''),
                    'a' => out.push('\x07'),
                    'b' => out.push('\x08'),
                    'f' => out.push('\x0c'),
                    'v' => out.push('\x0b'),
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = (0..n).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                        let v = u32::from_str_radix(&hex, 16).ok()?;
                        out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                    }
                    _ => return None,
                }
            }
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_unquote_keys_and_values() {
        let s = parse_setting(r#"-ldflags="-s -w""#).unwrap();
        assert_eq!((s.key.as_str(), s.value.as_str()), ("-ldflags", "-s -w"));
        let s = parse_setting("GOOS=linux").unwrap();
        assert_eq!((s.key.as_str(), s.value.as_str()), ("GOOS", "linux"));
        let s = parse_setting(r#""a=b"=c"#).unwrap();
        assert_eq!((s.key.as_str(), s.value.as_str()), ("a=b", "c"));
    }

    #[test]
    fn modinfo_lines_with_replacement() {
        let mut info = BuildInfo {
            address: 0,
            form: Form::Inline,
            go_version: "go1.22.1".into(),
            path: String::new(),
            main: None,
            deps: vec![],
            settings: vec![],
        };
        let text = "path\texample.com/x\nmod\texample.com/x\t(devel)\t\ndep\tgolang.org/x/sys\tv0.1.0\th1:abc=\n=>\t../sys\t(devel)\t\nbuild\tCGO_ENABLED=0\n";
        parse_modinfo(text, &mut info);
        assert_eq!(info.path, "example.com/x");
        assert_eq!(info.main.as_ref().unwrap().version, "(devel)");
        assert_eq!(info.deps.len(), 1);
        assert_eq!(info.deps[0].replace.as_ref().unwrap().path, "../sys");
        assert_eq!(info.setting("CGO_ENABLED"), Some("0"));
    }

    #[test]
    fn varint_string_bounds_checked() {
        let mut d: &[u8] = &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert!(read_varint_string(&mut d).is_none());
        let mut d: &[u8] = &[3, b'a', b'b'];
        assert!(read_varint_string(&mut d).is_none());
        let mut d: &[u8] = &[2, b'a', b'b', 9];
        assert_eq!(read_varint_string(&mut d), Some(&b"ab"[..]));
        assert_eq!(d, &[9]);
    }

    #[test]
    fn sentinels_are_stripped() {
        let mut m = vec![0u8; 16];
        m.extend_from_slice(b"path\tx\n");
        m.extend_from_slice(&[1u8; 16]);
        assert_eq!(strip_sentinels(&m), "path\tx\n");
    }
}
