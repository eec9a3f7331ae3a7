//! The serde model of a golayout report: what `analyze` returns and what
//! `--json` prints. Owned data, so saved JSON can be read back for diffs.

use golayout_image::{ByteOrder, FatSlice, Format, Perms, SectionFlags};
use golayout_runtime::buildinfo::BuildInfo;
use golayout_runtime::roles::Role;
use serde::{Deserialize, Serialize};

pub use crate::model_runtime::*;
pub use crate::model_vars::*;

/// Version of the JSON schema (`schema/golayout.schema.json`). Bumped on any
/// incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything golayout found in one binary.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Layout {
    /// [`SCHEMA_VERSION`] of this record.
    pub schema_version: u32,
    /// The container.
    pub binary: BinaryInfo,
    /// Go toolchain facts.
    pub go: GoInfo,
    /// Every section with its Go role.
    pub sections: Vec<SectionInfo>,
    /// Loadable segments.
    pub segments: Vec<SegmentInfo>,
    /// The runtime tables (pclntab, moduledata), when found.
    #[serde(default)]
    pub runtime: Option<RuntimeInfo>,
    /// The Go regions (noptrdata, data, bss, noptrbss, rodata) with byte
    /// counts; present for stripped binaries too.
    #[serde(default)]
    pub regions: Vec<Region>,
    /// Package-level variables (and other named data symbols); empty when
    /// the binary has no symbol table (see notices).
    #[serde(default)]
    pub variables: Vec<Variable>,
    /// Totals per package, largest first.
    #[serde(default)]
    pub packages: Vec<PackageTotal>,
    /// Per-section attribution; `attributed + unattributed == vm_size`.
    #[serde(default)]
    pub section_totals: Vec<SectionTotal>,
    /// Functions from the pclntab (only when asked for).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// Things the user should know: missing metadata, fallbacks, estimates.
    pub notices: Vec<Notice>,
}

/// Container facts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BinaryInfo {
    /// The path analyzed, as given.
    pub path: String,
    /// Size of the file in bytes.
    pub file_size: u64,
    /// Container format.
    pub format: Format,
    /// Go architecture name.
    pub arch: String,
    /// Pointer size in bytes.
    pub ptr_size: u8,
    /// Target byte order.
    pub byte_order: ByteOrder,
    /// Entry point address.
    pub entry: u64,
    /// PE image base (absent elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_base: Option<u64>,
    /// Slices of a fat Mach-O (empty otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fat_slices: Vec<FatSlice>,
    /// Architecture of the slice analyzed, when fat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_slice: Option<String>,
    /// Whether a static symbol table is present.
    pub has_symbols: bool,
    /// Whether DWARF sections are present.
    pub has_dwarf: bool,
}

/// Go toolchain facts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GoInfo {
    /// Go version string (`go1.27.3`), if found.
    pub version: Option<String>,
    /// Where the version came from.
    pub version_source: Option<VersionSource>,
    /// Parsed build info, when the blob is present.
    pub build_info: Option<BuildInfo>,
}

/// Where the Go version was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionSource {
    /// The build-info blob.
    Buildinfo,
    /// The `runtime.buildVersion` string variable, found by its symbol.
    RuntimeBuildVersion,
    /// A `go1.N.M` string in read-only data that a string header in the data
    /// region points at (`runtime.buildVersion` without symbols).
    DataScan,
}

/// A section with its Go role and the segment holding it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SectionInfo {
    /// Section name (`.noptrdata`, `__noptrdata`).
    pub name: String,
    /// Mach-O segment name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_name: Option<String>,
    /// Go role.
    pub role: Role,
    /// Virtual address.
    pub address: u64,
    /// Bytes in memory.
    pub vm_size: u64,
    /// Offset in the file.
    pub file_offset: u64,
    /// Bytes in the file (0 for bss-like sections).
    pub file_size: u64,
    /// Container flags.
    pub flags: SectionFlags,
    /// Index into [`Layout::segments`] of the segment containing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<usize>,
    /// Permissions of that segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perms: Option<Perms>,
}

/// A loadable segment.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SegmentInfo {
    /// Mach-O name, `image` for PE, absent for ELF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Virtual address.
    pub address: u64,
    /// Bytes in memory.
    pub vm_size: u64,
    /// Offset in the file.
    pub file_offset: u64,
    /// Bytes in the file.
    pub file_size: u64,
    /// Permissions.
    pub perms: Perms,
}

/// Something worth knowing that is not an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Stable machine-readable code (`no_buildinfo`, `stripped`...).
    pub code: String,
    /// Human explanation.
    pub message: String,
}

impl Notice {
    /// Builds a notice.
    pub fn new(code: &str, message: impl Into<String>) -> Notice {
        Notice { code: code.to_string(), message: message.into() }
    }
}
