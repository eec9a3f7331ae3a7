//! Reading one side of a diff: a binary, or a layout saved as JSON.

use std::io::Read;
use std::path::Path;

use crate::model::{Layout, SCHEMA_VERSION};
use crate::{analyze, Options};

/// Why a layout could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The binary could not be analyzed.
    #[error(transparent)]
    Analyze(#[from] crate::Error),
    /// The saved JSON could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file starts like JSON but is not a saved golayout layout.
    #[error("{path}: not a layout saved by `golayout save`: {source}")]
    Json {
        /// The file.
        path: String,
        /// The cause.
        source: serde_json::Error,
    },
    /// A layout saved with an incompatible schema.
    #[error("{path}: saved with schema version {found}, this golayout reads {current}", current = SCHEMA_VERSION)]
    Schema {
        /// The file.
        path: String,
        /// Its schema version.
        found: u32,
    },
}

/// Whether `head` (the first bytes of a file) is JSON rather than a binary:
/// its first non-whitespace byte is `{`. No binary format golayout reads
/// starts that way (ELF `\x7fELF`, PE `MZ`, Mach-O magic numbers).
pub fn is_saved_json(head: &[u8]) -> bool {
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// Loads a layout from `path`: a saved [`Layout`] (the output of
/// `golayout save`, detected by content, not by extension) or a binary,
/// analyzed with `options`.
///
/// ```no_run
/// let layout = golayout_layout::diff::load("release-1.4.json".as_ref(), &Default::default())?;
/// println!("{} variables", layout.variables.len());
/// # Ok::<(), golayout_layout::diff::LoadError>(())
/// ```
pub fn load(path: &Path, options: &Options) -> Result<Layout, LoadError> {
    let shown = || path.display().to_string();
    let mut head = [0u8; 256];
    // A file that cannot be sniffed (a directory, no permission) is left to
    // `analyze`, whose errors say what is wrong.
    let sniffed = std::fs::File::open(path).and_then(|mut f| f.read(&mut head));
    match sniffed {
        Ok(n) if is_saved_json(&head[..n]) => {
            let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io { path: shown(), source })?;
            let layout: Layout =
                serde_json::from_str(&text).map_err(|source| LoadError::Json { path: shown(), source })?;
            if layout.schema_version != SCHEMA_VERSION {
                return Err(LoadError::Schema { path: shown(), found: layout.schema_version });
            }
            Ok(layout)
        }
        _ => Ok(analyze(path, options)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_json_not_binaries() {
        assert!(is_saved_json(b"{\"schema_version\":1}"));
        assert!(is_saved_json(b" \n\t{"));
        assert!(!is_saved_json(b"\x7fELF\x02\x01"));
        assert!(!is_saved_json(b"MZ\x90\0"));
        assert!(!is_saved_json(b""));
        assert!(!is_saved_json(b"   "));
    }

    #[test]
    fn bad_json_is_an_error_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("golayout-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("bad.json");
        std::fs::write(&p, "{\"schema_version\": 1}").unwrap();
        let err = load(&p, &Options::default()).unwrap_err();
        assert!(matches!(err, LoadError::Json { .. }), "{err}");
        assert!(err.to_string().contains("bad.json"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
