//! Model types for the Go runtime's regions, variables and totals.

use serde::{Deserialize, Serialize};

/// The Go class of a byte: which region of the data segment (or rodata) it
/// belongs to, decided by the moduledata bounds, not by section names, so it
/// also works on PE where one `.data` section holds all four.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Initialized, pointer-free (`[runtime.noptrdata, runtime.enoptrdata)`).
    Noptrdata,
    /// Initialized, with pointers (`[runtime.data, runtime.edata)`).
    Data,
    /// Zero, with pointers (`[runtime.bss, runtime.ebss)`).
    Bss,
    /// Zero, pointer-free (`[runtime.noptrbss, runtime.enoptrbss)`).
    Noptrbss,
    /// Read-only data (`[runtime.rodata, runtime.erodata)`).
    Rodata,
    /// Anything else with an address (build info, moduledata section, GOT, TLS...).
    Other,
}

impl Class {
    /// All classes, in the order of the data segment.
    pub const ALL: [Class; 6] =
        [Class::Noptrdata, Class::Data, Class::Bss, Class::Noptrbss, Class::Rodata, Class::Other];

    /// The class's stable name (`noptrbss`).
    pub fn name(self) -> &'static str {
        match self {
            Class::Noptrdata => "noptrdata",
            Class::Data => "data",
            Class::Bss => "bss",
            Class::Noptrbss => "noptrbss",
            Class::Rodata => "rodata",
            Class::Other => "other",
        }
    }

    /// Parses a class name.
    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.name() == s)
    }

    /// Whether the class has no bytes in the file (zero-filled at load).
    pub fn is_zero_fill(self) -> bool {
        matches!(self, Class::Bss | Class::Noptrbss)
    }
}

/// One Go region with its bounds and byte counts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Region {
    /// The class this region holds.
    pub class: Class,
    /// First address.
    pub start: u64,
    /// One past the last address.
    pub end: u64,
    /// Bytes in memory (`end - start`).
    pub vm_bytes: u64,
    /// Bytes in the file (0 for bss and noptrbss).
    pub file_bytes: u64,
    /// Pointer words the GC scans (data and bss, from `gcdata`/`gcbss`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ptr_words: Option<u64>,
    /// Where the bounds came from (`moduledata`, `symtab`, `section`).
    pub source: FactSource,
}

/// Where a fact came from, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactSource {
    /// The container's symbol table (ELF sizes are exact).
    Symtab,
    /// DWARF debug information.
    Dwarf,
    /// The runtime's moduledata record.
    Moduledata,
    /// The GC pointer bitmaps (`gcdata`/`gcbss`).
    Gcbitmap,
    /// A section header.
    Section,
    /// The gap to the next symbol, clipped at the region end: an estimate.
    Estimate,
}

/// What kind of owner a package name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackageKind {
    /// A real Go package (standard library or not).
    Go,
    /// Linker- or compiler-generated data grouped under a pseudo-package
    /// (`<go:string>`, `<type>`, `<go:itab>`...).
    Generated,
    /// Runtime tables such as `runtime.gcbits.*` (`<runtime-metadata>`).
    RuntimeMetadata,
    /// A name no package can be derived from (`<unknown>`), e.g. C symbols.
    Unknown,
}

/// A package-level variable (or other named data symbol).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Variable {
    /// Symbol name as in the binary (`main.DataPtr`, `gopkg.in/yaml%2ev3.x`).
    pub name: String,
    /// Import path of the owning package, or a `<pseudo-package>`.
    pub package: String,
    /// What kind of owner `package` is.
    pub package_kind: PackageKind,
    /// Virtual address.
    pub address: u64,
    /// Size in bytes.
    pub size: u64,
    /// Where the size came from.
    pub size_source: FactSource,
    /// Bytes in memory (= size).
    pub vm_bytes: u64,
    /// Bytes in the file (0 in bss and noptrbss).
    pub file_bytes: u64,
    /// Go class, from the moduledata bounds.
    pub class: Class,
    /// Container section holding it.
    pub section: String,
    /// Index into `Layout::segments` of the segment holding it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<usize>,
    /// Permissions of that segment, as `rwx`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perms: Option<String>,
    /// Number of words the GC scans as pointers (data and bss classes from
    /// the GC bitmaps; 0 for noptr classes; absent for rodata/other).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ptr_words: Option<u64>,
    /// Indices of the pointer words within the variable (first 64).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ptr_word_indices: Vec<u64>,
    /// Go type name from DWARF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    /// Every source that contributed a fact about this variable.
    pub sources: Vec<FactSource>,
}

/// Totals for one package, per class.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PackageTotal {
    /// Import path or pseudo-package.
    pub package: String,
    /// Kind of owner.
    pub kind: Option<PackageKind>,
    /// Variables counted.
    pub vars: u64,
    /// Bytes per class (memory bytes).
    pub bytes: ClassBytes,
    /// File bytes over all classes.
    pub file_bytes: u64,
    /// Pointer words over all classes.
    pub ptr_words: u64,
    /// Function text bytes (sum of function sizes from the pclntab).
    pub text_bytes: u64,
    /// Number of functions.
    pub funcs: u64,
}

/// Bytes per class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassBytes {
    /// `.noptrdata` bytes.
    pub noptrdata: u64,
    /// `.data` bytes.
    pub data: u64,
    /// `.bss` bytes.
    pub bss: u64,
    /// `.noptrbss` bytes.
    pub noptrbss: u64,
    /// Read-only data bytes.
    pub rodata: u64,
    /// Other bytes.
    pub other: u64,
}

impl ClassBytes {
    /// Adds `n` bytes to `class` (saturating: sizes may come from hostile tables).
    pub fn add(&mut self, class: Class, n: u64) {
        let total = self.get_mut(class);
        *total = total.saturating_add(n);
    }

    /// Bytes of `class`.
    pub fn get(&self, class: Class) -> u64 {
        match class {
            Class::Noptrdata => self.noptrdata,
            Class::Data => self.data,
            Class::Bss => self.bss,
            Class::Noptrbss => self.noptrbss,
            Class::Rodata => self.rodata,
            Class::Other => self.other,
        }
    }

    fn get_mut(&mut self, class: Class) -> &mut u64 {
        match class {
            Class::Noptrdata => &mut self.noptrdata,
            Class::Data => &mut self.data,
            Class::Bss => &mut self.bss,
            Class::Noptrbss => &mut self.noptrbss,
            Class::Rodata => &mut self.rodata,
            Class::Other => &mut self.other,
        }
    }

    /// Sum over the writable classes (data, noptrdata, bss, noptrbss).
    pub fn writable(&self) -> u64 {
        // Saturating: sizes may come from hostile tables.
        [self.data, self.bss, self.noptrbss].iter().fold(self.noptrdata, |t, &n| t.saturating_add(n))
    }
}

/// Attribution of one section's bytes.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SectionTotal {
    /// Section name.
    pub section: String,
    /// Section memory size.
    pub vm_size: u64,
    /// Bytes covered by named symbols.
    pub attributed: u64,
    /// Bytes not covered, by cause; `attributed + unattributed.total() == vm_size`.
    pub unattributed: Unattributed,
}

/// Unattributed bytes of a section, by cause.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unattributed {
    /// Gaps smaller than the next symbol's alignment (≤ 15 bytes).
    pub padding: u64,
    /// Larger gaps in writable data: hidden static temporaries
    /// (`pkg..stmp_N`), which the linker keeps out of the symbol table.
    pub compiler_statics: u64,
    /// Gaps inside string data (`go:string.*`).
    pub string_data: u64,
    /// Gaps inside type data (`type:*`).
    pub type_data: u64,
    /// Anything else, including all of a section without symbols.
    pub unknown: u64,
}

impl Unattributed {
    /// Sum of all causes.
    pub fn total(&self) -> u64 {
        self.padding + self.compiler_statics + self.string_data + self.type_data + self.unknown
    }
}
