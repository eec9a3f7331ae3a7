//! The files a scan reads: paths given, directories walked (recursively,
//! following symlinks, each directory once), `--files-from` lists, and the
//! `--shard K/N` partition.
//!
//! The walk never fails: what cannot be read becomes an [`Walk::errors`]
//! entry, what is not a regular file a [`Walk::skipped`] one, and a path
//! given on the command line that does not exist a [`Walk::missing`] one.

use std::collections::HashSet;
use std::fs::Metadata;
use std::io::{BufRead, ErrorKind};
use std::path::{Path, PathBuf};

/// Everything a walk found, in a deterministic order (arguments in the
/// order given, directory entries sorted by name).
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files to analyze.
    pub files: Vec<PathBuf>,
    /// Entries passed over, with the reason (broken symlink, symlink loop,
    /// not a regular file).
    pub skipped: Vec<(PathBuf, String)>,
    /// Entries that could not be read (a directory that cannot be listed...).
    pub errors: Vec<(PathBuf, String)>,
    /// Paths given explicitly that do not exist.
    pub missing: Vec<PathBuf>,
}

/// `ELOOP` on Linux and the BSDs/macOS: too many levels of symbolic links.
fn is_loop(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(40) | Some(62)) || e.to_string().contains("symbolic links")
}

/// The identity of a directory, to visit each once (symlink loops, aliases).
#[cfg(unix)]
fn dir_key(_path: &Path, meta: &Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

/// The identity of a directory, to visit each once (symlink loops, aliases).
#[cfg(not(unix))]
fn dir_key(path: &Path, _meta: &Metadata) -> Option<(u64, u64)> {
    use std::hash::{Hash, Hasher};
    let canon = std::fs::canonicalize(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    canon.hash(&mut h);
    Some((0, h.finish()))
}

impl Walk {
    /// Walks `roots` in order.
    pub fn collect(roots: &[PathBuf]) -> Walk {
        let mut walk = Walk::default();
        let mut visited = HashSet::new();
        for root in roots {
            walk.root(root, &mut visited);
        }
        walk
    }

    /// Reads a `--files-from` list (`-` for stdin): one path per line, empty
    /// lines ignored.
    pub fn read_list(source: &Path) -> std::io::Result<Vec<PathBuf>> {
        let reader: Box<dyn BufRead> = if source == Path::new("-") {
            Box::new(std::io::stdin().lock())
        } else {
            Box::new(std::io::BufReader::new(std::fs::File::open(source)?))
        };
        let mut out = Vec::new();
        for line in reader.lines() {
            let line = line?;
            let line = line.trim_end_matches(['\r', '\n']);
            if !line.is_empty() {
                out.push(PathBuf::from(line));
            }
        }
        Ok(out)
    }

    /// Keeps only the entries of shard `shard` (files, skipped and errors
    /// alike, so counts partition too).
    pub fn shard(&mut self, shard: Shard) {
        self.files.retain(|p| shard.keeps(p));
        self.skipped.retain(|(p, _)| shard.keeps(p));
        self.errors.retain(|(p, _)| shard.keeps(p));
    }

    fn root(&mut self, path: &Path, visited: &mut HashSet<(u64, u64)>) {
        match std::fs::metadata(path) {
            Ok(meta) => self.entry(path, meta, visited),
            Err(e) if e.kind() == ErrorKind::NotFound => self.missing.push(path.to_path_buf()),
            Err(e) if is_loop(&e) => self.skipped.push((path.to_path_buf(), "symlink loop".into())),
            Err(e) => self.errors.push((path.to_path_buf(), format!("cannot read: {e}"))),
        }
    }

    fn entry(&mut self, path: &Path, meta: Metadata, visited: &mut HashSet<(u64, u64)>) {
        if meta.is_file() {
            self.files.push(path.to_path_buf());
        } else if meta.is_dir() {
            self.dir_tree(path, &meta, visited);
        } else {
            self.skipped.push((path.to_path_buf(), "not a regular file".into()));
        }
    }

    /// Walks a directory tree depth-first with an explicit stack (no
    /// recursion limit), entries in name order, each subtree in place (so
    /// files come in path order).
    fn dir_tree(&mut self, top: &Path, meta: &Metadata, visited: &mut HashSet<(u64, u64)>) {
        let mut stack: Vec<Vec<PathBuf>> = Vec::new();
        if let Some(entries) = self.open_dir(top, meta, visited) {
            stack.push(entries);
        }
        while let Some(pending) = stack.last_mut() {
            let Some(path) = pending.pop() else {
                stack.pop();
                continue;
            };
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => {
                    if let Some(entries) = self.open_dir(&path, &m, visited) {
                        stack.push(entries);
                    }
                }
                Ok(m) => self.entry(&path, m, visited),
                Err(e) if e.kind() == ErrorKind::NotFound => self.skipped.push((path, "broken symlink".into())),
                Err(e) if is_loop(&e) => self.skipped.push((path, "symlink loop".into())),
                Err(e) => self.errors.push((path, format!("cannot read: {e}"))),
            }
        }
    }

    /// The entries of a directory not visited yet, in reverse name order
    /// (popped from the end); `None` when visited or unreadable.
    fn open_dir(&mut self, dir: &Path, meta: &Metadata, visited: &mut HashSet<(u64, u64)>) -> Option<Vec<PathBuf>> {
        if let Some(key) = dir_key(dir, meta) {
            if !visited.insert(key) {
                self.skipped.push((dir.to_path_buf(), "directory already scanned (symlink loop or alias)".into()));
                return None;
            }
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.errors.push((dir.to_path_buf(), format!("cannot read directory: {e}")));
                return None;
            }
        };
        let mut names: Vec<PathBuf> = Vec::new();
        for e in entries {
            match e {
                Ok(e) => names.push(e.path()),
                Err(e) => self.errors.push((dir.to_path_buf(), format!("cannot read directory entry: {e}"))),
            }
        }
        names.sort_by(|a, b| b.cmp(a));
        Some(names)
    }
}

/// `--shard K/N`: the K-th of N disjoint parts of the input (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This part, 1..=N.
    pub k: u64,
    /// Number of parts.
    pub n: u64,
}

impl Shard {
    /// Whether `path` belongs to this shard: FNV-1a of the path's bytes,
    /// modulo N. Stable across runs, machines and thread counts.
    pub fn keeps(&self, path: &Path) -> bool {
        fnv1a(path.as_os_str().as_encoded_bytes()) % self.n == self.k - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?}: expected K/N with 1 <= K <= N, e.g. 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

/// 64-bit FNV-1a.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parses_and_partitions() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { k: 2, n: 8 }));
        for bad in ["0/3", "4/3", "1/0", "x", "1/", "/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let paths: Vec<PathBuf> = (0..500).map(|i| PathBuf::from(format!("/bin/app{i}"))).collect();
        let n = 4;
        let mut seen = 0;
        for k in 1..=n {
            let s = Shard { k, n };
            seen += paths.iter().filter(|p| s.keeps(p)).count();
        }
        assert_eq!(seen, paths.len(), "each path in exactly one shard");
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
