//! What a container section is for, in the Go linker's terms.

use golayout_image::{Format, Section};
use serde::{Deserialize, Serialize};

/// The Go role of a section, decided from its name and container.
///
/// Names per container follow the Go linker (reference §2.1): ELF `.name`,
/// relro `.data.rel.ro.name`, Mach-O `__name`, PE merged sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Machine code (`.text`, `__text`).
    Text,
    /// Read-only data (`.rodata`, `__rodata`, PE `.rdata`, relro `.data.rel.ro`).
    Rodata,
    /// Type links table (Go ≤1.26).
    Typelink,
    /// Itab links table (Go ≤1.26).
    Itablink,
    /// The pc-line table.
    Gopclntab,
    /// The legacy, empty Go symbol table (Go ≤1.25).
    Gosymtab,
    /// The build-info blob.
    GoBuildinfo,
    /// The FIPS 140 module info (Go 1.24+).
    GoFipsinfo,
    /// `runtime.firstmoduledata` (Go 1.26+).
    GoModule,
    /// Type descriptors and itabs (Go 1.27+).
    GoType,
    /// Function value descriptors (Go 1.27+).
    GoFunc,
    /// Initialized data without pointers.
    Noptrdata,
    /// Initialized data with pointers.
    Data,
    /// Zero data with pointers.
    Bss,
    /// Zero data without pointers.
    Noptrbss,
    /// PE `.data`: buildinfo, noptrdata, data, bss and noptrbss merged into
    /// one section; the moduledata bounds split it.
    MergedData,
    /// Thread-local zero data.
    Tbss,
    /// DWARF debug information.
    Debug,
    /// Anything else (ELF dynamic-linking tables, notes, symbol tables...).
    Other,
}

impl Role {
    /// Classifies a section.
    pub fn of(format: Format, section: &Section<'_>) -> Role {
        let name = section.name;
        if format == Format::Pe {
            return match name {
                ".text" => Role::Text,
                ".rdata" => Role::Rodata,
                ".data" => Role::MergedData,
                ".bss" => Role::Bss,
                ".tls" => Role::Tbss,
                n if n.starts_with(".zdebug") || n.starts_with(".debug") => Role::Debug,
                _ => Role::Other,
            };
        }
        let base = match format {
            Format::MachO => name.strip_prefix("__").unwrap_or(name),
            _ => {
                let n = name.strip_prefix(".data.rel.ro").unwrap_or(name);
                if n.is_empty() {
                    return Role::Rodata;
                }
                n.strip_prefix('.').unwrap_or(n)
            }
        };
        match base {
            "text" => Role::Text,
            "rodata" => Role::Rodata,
            "typelink" => Role::Typelink,
            "itablink" => Role::Itablink,
            "gopclntab" => Role::Gopclntab,
            "gosymtab" => Role::Gosymtab,
            "go.buildinfo" | "go_buildinfo" => Role::GoBuildinfo,
            "go.fipsinfo" | "go_fipsinfo" => Role::GoFipsinfo,
            "go.module" | "go_module" => Role::GoModule,
            "go.type" | "go_type" => Role::GoType,
            "go.func" | "go_func" => Role::GoFunc,
            "noptrdata" => Role::Noptrdata,
            "data" => Role::Data,
            "bss" => Role::Bss,
            "noptrbss" => Role::Noptrbss,
            "tbss" => Role::Tbss,
            n if n.starts_with("debug") || n.starts_with("zdebug") => Role::Debug,
            _ => Role::Other,
        }
    }

    /// The role's stable lower-case name (as in JSON output).
    pub fn name(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Rodata => "rodata",
            Role::Typelink => "typelink",
            Role::Itablink => "itablink",
            Role::Gopclntab => "gopclntab",
            Role::Gosymtab => "gosymtab",
            Role::GoBuildinfo => "go_buildinfo",
            Role::GoFipsinfo => "go_fipsinfo",
            Role::GoModule => "go_module",
            Role::GoType => "go_type",
            Role::GoFunc => "go_func",
            Role::Noptrdata => "noptrdata",
            Role::Data => "data",
            Role::Bss => "bss",
            Role::Noptrbss => "noptrbss",
            Role::MergedData => "merged_data",
            Role::Tbss => "tbss",
            Role::Debug => "debug",
            Role::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use golayout_image::SectionFlags;

    fn sec(name: &str) -> Section<'_> {
        Section {
            index: 1,
            name,
            segment_name: None,
            address: 0,
            vm_size: 0,
            file_offset: 0,
            file_size: 0,
            align: 1,
            flags: SectionFlags::default(),
        }
    }

    #[test]
    fn names_per_container() {
        assert_eq!(Role::of(Format::Elf, &sec(".data.rel.ro.gopclntab")), Role::Gopclntab);
        assert_eq!(Role::of(Format::Elf, &sec(".data.rel.ro")), Role::Rodata);
        assert_eq!(Role::of(Format::Elf, &sec(".noptrbss")), Role::Noptrbss);
        assert_eq!(Role::of(Format::Elf, &sec(".go.type")), Role::GoType);
        assert_eq!(Role::of(Format::MachO, &sec("__go_buildinfo")), Role::GoBuildinfo);
        assert_eq!(Role::of(Format::MachO, &sec("__zdebug_info")), Role::Debug);
        assert_eq!(Role::of(Format::Pe, &sec(".data")), Role::MergedData);
        assert_eq!(Role::of(Format::Elf, &sec(".rela.dyn")), Role::Other);
    }
}
