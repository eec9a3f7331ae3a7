//! Model types for the Go runtime tables (pclntab, moduledata, functions).

use golayout_runtime::FoundBy;
use serde::{Deserialize, Serialize};

/// The runtime tables found in the binary.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RuntimeInfo {
    /// The pc-line table.
    pub pclntab: PclntabInfo,
    /// The first module's `runtime.moduledata`, if found and validated.
    pub moduledata: Option<ModuleDataInfo>,
    /// The text base used for function addresses.
    pub text_base: Option<u64>,
    /// Well-known runtime symbols and how each address was found.
    pub symbols: Vec<RuntimeSymbol>,
}

/// Facts about the pclntab.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PclntabInfo {
    /// Virtual address of the header.
    pub address: u64,
    /// Size in bytes when known exactly (section or `epclntab`).
    pub size: Option<u64>,
    /// The magic (`0xfffffff1`...).
    pub magic: u32,
    /// Go releases that write this format (`1.20+`).
    pub format: String,
    /// How the table was found.
    pub found_by: FoundBy,
    /// The section it was found as, if any.
    pub section: Option<String>,
    /// Number of functions.
    pub nfunc: u64,
    /// Pointer size recorded in the header.
    pub ptr_size: u8,
    /// Instruction size quantum.
    pub min_lc: u8,
    /// `textStart` in the header (Go 1.18+; 0 from Go 1.26).
    pub header_text_start: Option<u64>,
}

/// Facts about `runtime.firstmoduledata`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModuleDataInfo {
    /// Address of the record.
    pub address: u64,
    /// How it was found.
    pub found_by: FoundBy,
    /// The layout (Go version range) that validated.
    pub layout: String,
    /// Region bounds and other address fields, in record order.
    pub bounds: Vec<Bound>,
}

/// One named address from moduledata (`text`, `etext`, `noptrdata`...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    /// Field name as in Go's `runtime.moduledata`.
    pub name: String,
    /// Address.
    pub address: u64,
}

/// A runtime symbol and where its address came from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RuntimeSymbol {
    /// Symbol name (`runtime.firstmoduledata`).
    pub name: String,
    /// Address.
    pub address: u64,
    /// `symbol`, `section`, `pointer` (a moduledata field) or `scan`.
    pub found_by: FoundBy,
}

/// One function from the pclntab.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Function {
    /// Name as the pclntab records it (generic arguments as `[...]`).
    pub name: String,
    /// Owning package (import path or pseudo-package).
    pub package: String,
    /// Entry address.
    pub entry: u64,
    /// End address (the next function's entry).
    pub end: u64,
    /// Source file of the entry PC (as recorded, `-trimpath` shortens it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}
