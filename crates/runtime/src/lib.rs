//! # golayout-runtime
//!
//! Parsers for the Go runtime's own metadata inside a compiled binary: the
//! build-info blob, the pclntab (all four formats, Go 1.2 to now), the
//! `runtime.moduledata` record and the GC pointer programs. Each parser is a
//! pure function over bytes; the `locate` functions find the bytes in an
//! [`golayout_image::Image`] by section, symbol or structural scan and say how
//! they found them.
//!
//! Version differences are data: field offsets per Go version range live in
//! tables (see [`moduledata`]), not in copied code paths.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod buildinfo;
pub mod buildversion;
pub mod gcprog;
pub mod moduledata;
pub mod names;
pub mod pclntab;
pub mod roles;
mod scan_budget;
pub mod version;

pub use version::GoVersion;

/// How a structure was found in the binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// A section with the structure's name (`.gopclntab`, `.go.module`...).
    Section,
    /// A symbol in the container's symbol table (`runtime.pclntab`...).
    Symbol,
    /// A pointer in another structure (e.g. moduledata's first field).
    Pointer,
    /// A structural scan of the file, validated.
    Scan,
}
