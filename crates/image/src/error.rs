//! The image layer's error type.

use std::path::PathBuf;

/// Why an image could not be opened or read.
///
/// Every variant carries enough context to print a one-line message that says
/// what went wrong and where.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened, mapped or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The path that was being opened.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The path names a directory, not a file.
    #[error("{0}: is a directory, not a binary")]
    IsDirectory(PathBuf),
    /// The input is empty.
    #[error("empty file, not a binary")]
    Empty,
    /// The input is not an ELF, Mach-O (thin or fat) or PE file.
    #[error("not an ELF, Mach-O or PE binary ({0})")]
    NotABinary(String),
    /// The input is an object format golayout does not read (archive, COFF object, Wasm...).
    #[error("unsupported object format: {0}")]
    Unsupported(String),
    /// The container headers are truncated or inconsistent.
    #[error("malformed {format} file: {detail}")]
    Malformed {
        /// The container format (`ELF`, `Mach-O`, `PE`).
        format: &'static str,
        /// What the container parser reported.
        detail: String,
    },
    /// A fat Mach-O file has no slice for the requested architecture.
    #[error("fat Mach-O has no slice for arch {requested:?} (slices: {available})")]
    NoSuchArch {
        /// The architecture that was asked for.
        requested: String,
        /// The architectures present, comma separated.
        available: String,
    },
}

/// The image layer's result type.
pub type Result<T> = std::result::Result<T, Error>;
