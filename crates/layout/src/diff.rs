//! What changed between two builds: deltas per section, per class, per
//! package and per variable, with memory (VM) and file bytes kept apart.
//!
//! Either side can be a binary or a [`Layout`] saved as JSON
//! (`golayout save`); [`load`] tells them apart by content.
//!
//! ```no_run
//! use golayout_layout::diff::{diff, load, Change, DiffOptions};
//! use golayout_layout::Options;
//!
//! let old = load("app-v1.json".as_ref(), &Options::default())?;
//! let new = load("./app".as_ref(), &Options::default())?;
//! let d = diff(&old, &new, &DiffOptions { threshold: 1024 });
//! for v in d.variables.iter().filter(|v| v.change == Change::MovedClass) {
//!     println!("{} moved {:?} -> {:?}", v.name, v.old.as_ref().map(|s| s.class), v.new.as_ref().map(|s| s.class));
//! }
//! # Ok::<(), golayout_layout::diff::LoadError>(())
//! ```

mod compute;
mod load;

use serde::{Deserialize, Serialize};

use crate::model::{Class, Notice};

pub use compute::diff;
pub use load::{is_saved_json, load, LoadError};

/// Options of [`diff`].
#[derive(Clone, Debug, Default)]
pub struct DiffOptions {
    /// Hide rows whose change is smaller than this many bytes (the largest
    /// of the VM delta, the file delta and, for a class move, the size).
    /// Hidden rows are counted in [`Diff::hidden`]. 0 shows every change.
    pub threshold: u64,
}

/// An old and a new byte count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delta {
    /// Bytes on the old side.
    pub old: u64,
    /// Bytes on the new side.
    pub new: u64,
    /// `new - old` (saturated at the `i64` bounds).
    pub delta: i64,
}

impl Delta {
    /// The delta from `old` to `new`.
    pub fn new(old: u64, new: u64) -> Delta {
        let delta = if new >= old {
            i64::try_from(new - old).unwrap_or(i64::MAX)
        } else {
            i64::try_from(old - new).map_or(i64::MIN, |d| -d)
        };
        Delta { old, new, delta }
    }

    /// `|delta|`.
    pub fn abs(&self) -> u64 {
        self.delta.unsigned_abs()
    }

    /// The change as a percentage of the old value (`None` when old is 0).
    pub fn percent(&self) -> Option<f64> {
        (self.old > 0).then(|| self.delta as f64 * 100.0 / self.old as f64)
    }
}

/// What happened to a variable, package or section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// Larger on the new side.
    Grown,
    /// Smaller on the new side.
    Shrunk,
    /// A variable in another class (e.g. `.noptrbss` to `.data` after it
    /// gained an initializer or a pointer); its size may have changed too.
    MovedClass,
    /// Same size, something else changed (pointer words, class mix, file bytes).
    Changed,
}

impl Change {
    /// The stable name (`moved_class`).
    pub fn name(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Grown => "grown",
            Change::Shrunk => "shrunk",
            Change::MovedClass => "moved_class",
            Change::Changed => "changed",
        }
    }
}

/// One side of a diff.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Side {
    /// The path the layout was read from.
    pub path: String,
    /// Go version, if known.
    pub go_version: Option<String>,
    /// Go architecture name.
    pub arch: String,
    /// Size of the binary file.
    pub file_size: u64,
    /// Whether the binary had a symbol table (per-variable deltas need one).
    pub has_symbols: bool,
}

/// The difference between two layouts. Every list holds only what changed by
/// at least the threshold, largest change first.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Diff {
    /// [`crate::SCHEMA_VERSION`] of this record.
    pub schema_version: u32,
    /// The old side.
    pub old: Side,
    /// The new side.
    pub new: Side,
    /// The threshold used.
    pub threshold: u64,
    /// Size of the binary file.
    pub file_size: Delta,
    /// Per Go class (from the runtime's region bounds).
    pub classes: Vec<ClassDelta>,
    /// Per container section.
    pub sections: Vec<SectionDelta>,
    /// Per package.
    pub packages: Vec<PackageDelta>,
    /// Per variable.
    pub variables: Vec<VariableDelta>,
    /// How many changed rows the threshold hid.
    pub hidden: Hidden,
    /// Caveats (a side without symbols, different architectures).
    pub notices: Vec<Notice>,
}

/// Changed rows hidden by the threshold, per list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hidden {
    /// Classes hidden.
    pub classes: usize,
    /// Sections hidden.
    pub sections: usize,
    /// Packages hidden.
    pub packages: usize,
    /// Variables hidden.
    pub variables: usize,
}

/// The change of one Go class.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClassDelta {
    /// The class.
    pub class: Class,
    /// Memory bytes of the region.
    pub vm: Delta,
    /// File bytes of the region (always 0 for bss and noptrbss).
    pub file: Delta,
    /// Bytes the GC scans as pointers (pointer words × pointer size), when
    /// both sides know them (data and bss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ptr_bytes: Option<Delta>,
}

/// The change of one section.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SectionDelta {
    /// Section name (Mach-O: `segment,section`).
    pub name: String,
    /// What happened.
    pub change: Change,
    /// Memory bytes.
    pub vm: Delta,
    /// File bytes.
    pub file: Delta,
}

/// The change of one package.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PackageDelta {
    /// Import path or pseudo-package.
    pub package: String,
    /// What happened (by data bytes; `changed` when only the class mix,
    /// pointer words or text changed).
    pub change: Change,
    /// Memory bytes of its variables over all classes.
    pub vm: Delta,
    /// File bytes of its variables.
    pub file: Delta,
    /// GC-scanned pointer bytes of its variables.
    pub ptr_bytes: Delta,
    /// Number of variables.
    pub vars: Delta,
    /// Function text bytes.
    pub text: Delta,
    /// Memory bytes per class, only the classes that changed.
    pub classes: Vec<PackageClassDelta>,
}

/// A package's bytes in one class.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PackageClassDelta {
    /// The class.
    pub class: Class,
    /// Memory bytes.
    pub vm: Delta,
}

/// The change of one variable.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VariableDelta {
    /// Symbol name.
    pub name: String,
    /// Owning package (of the new side when present).
    pub package: String,
    /// What happened (a class move wins over a size change).
    pub change: Change,
    /// The variable on the old side.
    pub old: Option<VarState>,
    /// The variable on the new side.
    pub new: Option<VarState>,
    /// Memory bytes.
    pub vm: Delta,
    /// File bytes.
    pub file: Delta,
    /// GC-scanned pointer bytes.
    pub ptr_bytes: Delta,
}

/// A variable as found on one side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VarState {
    /// Go class.
    pub class: Class,
    /// Container section.
    pub section: String,
    /// Size in bytes.
    pub size: u64,
    /// File bytes.
    pub file_bytes: u64,
    /// GC pointer words, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ptr_words: Option<u64>,
    /// Go type name from DWARF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
}

impl VariableDelta {
    /// How big the change is: the largest of |VM delta|, |file delta| and,
    /// for a class move, the bytes that moved.
    pub fn magnitude(&self) -> u64 {
        let moved = if self.change == Change::MovedClass { self.vm.old.max(self.vm.new) } else { 0 };
        self.vm.abs().max(self.file.abs()).max(moved)
    }
}
