//! Bytes of a binary on disk: memory-mapped, never copied whole.

use std::fs::File;
use std::path::Path;

use crate::{Error, Result};

/// The bytes of a file, memory-mapped read-only.
///
/// Empty files cannot be mapped; they are represented by an empty slice so the
/// caller gets a clean [`Error::Empty`] from [`crate::Image::parse`].
pub struct MappedFile {
    map: Option<memmap2::Mmap>,
}

impl MappedFile {
    /// Opens and maps `path`.
    ///
    /// Directories and unreadable paths give an error that names the path.
    pub fn open(path: &Path) -> Result<MappedFile> {
        let io = |source| Error::Io { path: path.to_path_buf(), source };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return Err(Error::IsDirectory(path.to_path_buf()));
        }
        let file = File::open(path).map_err(io)?;
        if meta.len() == 0 {
            return Ok(MappedFile { map: None });
        }
        let map = map_readonly(&file).map_err(io)?;
        Ok(MappedFile { map: Some(map) })
    }

    /// The mapped bytes.
    pub fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }
}

/// Maps `file` read-only.
///
/// This is the one `unsafe` block in golayout. `memmap2::Mmap::map` is unsafe
/// because another process may truncate or rewrite the file while it is
/// mapped. Soundness here rests on two things: golayout never writes through
/// the mapping, and every read goes through bounds-checked slices of the
/// mapping's length taken at map time. If the file shrinks underneath us, a
/// read past the new end raises SIGBUS (the process dies; memory safety is not
/// violated by a torn read because all parsed values are validated as
/// untrusted input anyway). Analyzing files that are being rewritten is
/// documented as unsupported.
#[allow(unsafe_code)]
fn map_readonly(file: &File) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: see the function documentation above.
    unsafe { memmap2::Mmap::map(file) }
}
