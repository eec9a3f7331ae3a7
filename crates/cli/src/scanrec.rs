//! One scan record per file (`schema/scan-record.schema.json`) and the
//! compact summary of a layout it carries.

use std::collections::BTreeMap;

use golayout::{Class, ClassBytes, Layout};
use serde::Serialize;

/// Number of packages listed in [`Summary::top_packages`].
pub const TOP_PACKAGES: usize = 5;

/// What became of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Analyzed (or a duplicate of a file analyzed).
    Ok,
    /// Could not be analyzed; see `error` and `error_kind`.
    Error,
    /// Not a Go binary (only printed with `--emit-skipped`).
    Skipped,
}

/// Why a file could not be analyzed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file or directory could not be opened or read.
    Unreadable,
    /// A binary whose headers or Go tables are truncated or inconsistent.
    Malformed,
    /// A fat Mach-O without the slice asked for with `--arch`.
    NoSuchArch,
    /// golayout itself failed on this file (a bug; please report it).
    Internal,
}

/// One line of `golayout scan` output.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// [`golayout::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The path as given or as found by the walk.
    pub path: String,
    /// File size in bytes, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// What became of the file.
    pub status: Status,
    /// For a file identical to one analyzed earlier (same build ID and
    /// size): that file's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// The summary, when `status` is `ok`.
    #[serde(flatten)]
    pub summary: Option<Summary>,
    /// One-line error, when `status` is `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Error class, when `status` is `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<ErrorKind>,
    /// Why the file was skipped, when `status` is `skipped`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The full layout (`--full`; on the first file of a duplicate group only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<Box<Layout>>,
}

impl Record {
    fn base(path: String, size: Option<u64>, status: Status) -> Record {
        Record {
            schema_version: golayout::SCHEMA_VERSION,
            path,
            size,
            status,
            duplicate_of: None,
            summary: None,
            error: None,
            error_kind: None,
            reason: None,
            layout: None,
        }
    }

    /// A record for an analyzed file.
    pub fn ok(path: String, size: u64, summary: Summary) -> Record {
        Record { summary: Some(summary), ..Record::base(path, Some(size), Status::Ok) }
    }

    /// A record for a file that could not be analyzed.
    pub fn error(path: String, size: Option<u64>, kind: ErrorKind, message: &str) -> Record {
        let one_line = message.replace(['\n', '\r'], " ");
        Record { error: Some(one_line), error_kind: Some(kind), ..Record::base(path, size, Status::Error) }
    }

    /// A record for a file that is not a Go binary.
    pub fn skipped(path: String, size: Option<u64>, reason: &str) -> Record {
        Record { reason: Some(reason.replace(['\n', '\r'], " ")), ..Record::base(path, size, Status::Skipped) }
    }
}

/// Bytes of one class over its regions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ClassTotal {
    /// Bytes in memory.
    pub vm_bytes: u64,
    /// Bytes in the file (0 for bss and noptrbss).
    pub file_bytes: u64,
    /// Pointer words the GC scans (data and bss), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ptr_words: Option<u64>,
}

/// A package's writable bytes.
#[derive(Clone, Debug, Serialize)]
pub struct TopPackage {
    /// Import path or pseudo-package.
    pub package: String,
    /// noptrdata + data + bss + noptrbss bytes.
    pub writable: u64,
    /// Bytes per class.
    pub bytes: ClassBytes,
}

/// The compact facts of one binary.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// The Go build ID, when the binary has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_id: Option<String>,
    /// Go version (`go1.27.3`), if found.
    pub go_version: Option<String>,
    /// Container format (`elf`, `macho`, `pe`).
    pub format: golayout::image::Format,
    /// Go architecture name.
    pub arch: String,
    /// Pointer size in bytes.
    pub ptr_size: u8,
    /// Whether a symbol table is present.
    pub has_symbols: bool,
    /// Whether DWARF is present.
    pub has_dwarf: bool,
    /// Totals per Go class (`noptrdata`, `data`, `bss`, `noptrbss`, `rodata`).
    pub regions: BTreeMap<&'static str, ClassTotal>,
    /// Number of variables found.
    pub variables: u64,
    /// Number of packages with variables or functions.
    pub packages: u64,
    /// Number of functions in the pclntab.
    pub functions: u64,
    /// The packages with the most writable bytes, largest first.
    pub top_packages: Vec<TopPackage>,
    /// Notice codes (`stripped`, `no_buildinfo`...).
    pub notices: Vec<String>,
}

impl Summary {
    /// Summarizes a layout.
    pub fn of(l: &Layout, build_id: Option<String>) -> Summary {
        let mut regions: BTreeMap<&'static str, ClassTotal> = BTreeMap::new();
        for r in &l.regions {
            let t = regions.entry(r.class.name()).or_default();
            t.vm_bytes += r.vm_bytes;
            t.file_bytes += r.file_bytes;
            if let Some(p) = r.ptr_words {
                t.ptr_words = Some(t.ptr_words.unwrap_or(0) + p);
            }
        }
        let mut top: Vec<TopPackage> = l
            .packages
            .iter()
            .filter(|p| p.bytes.writable() > 0)
            .map(|p| TopPackage { package: p.package.clone(), writable: p.bytes.writable(), bytes: p.bytes })
            .collect();
        top.sort_by(|a, b| b.writable.cmp(&a.writable).then_with(|| a.package.cmp(&b.package)));
        top.truncate(TOP_PACKAGES);
        Summary {
            build_id,
            go_version: l.go.version.clone(),
            format: l.binary.format,
            arch: l.binary.arch.clone(),
            ptr_size: l.binary.ptr_size,
            has_symbols: l.binary.has_symbols,
            has_dwarf: l.binary.has_dwarf,
            regions,
            variables: l.variables.len() as u64,
            packages: l.packages.len() as u64,
            functions: l.runtime.as_ref().map_or(0, |r| r.pclntab.nfunc),
            top_packages: top,
            notices: l.notices.iter().map(|n| n.code.clone()).collect(),
        }
    }

    /// Memory bytes of `class`.
    pub fn vm(&self, class: Class) -> u64 {
        self.regions.get(class.name()).map_or(0, |t| t.vm_bytes)
    }
}

/// Splits an analysis error into "skip this file" (`Err(reason)`) or a
/// per-file error (`Ok(kind)`).
pub fn classify(err: &golayout::Error) -> Result<ErrorKind, String> {
    use golayout::image::Error as I;
    if err.is_not_go() {
        return Err(err.to_string());
    }
    Ok(match err {
        golayout::Error::Image(I::Io { .. } | I::IsDirectory(_)) => ErrorKind::Unreadable,
        golayout::Error::Image(I::NoSuchArch { .. }) => ErrorKind::NoSuchArch,
        _ => ErrorKind::Malformed,
    })
}
