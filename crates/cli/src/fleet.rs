//! Tables across the binaries of a scan: one row per binary, fleet totals,
//! top packages by writable bytes (`--summary`) and the largest variables
//! (`--top N`). Only compact rows are kept, never whole layouts.

use std::collections::HashMap;

use golayout::{Class, ClassBytes};
use serde::Serialize;

use crate::fmt::{bytes, OutputFormat, Table};
use crate::scanrec::{Record, Status};

/// The writable classes plus rodata, in table order.
const CLASSES: [Class; 5] = [Class::Noptrdata, Class::Data, Class::Bss, Class::Noptrbss, Class::Rodata];

/// A variable among the largest of the fleet.
#[derive(Clone, Debug, Serialize)]
pub struct TopVar {
    /// Symbol name.
    pub name: String,
    /// Owning package.
    pub package: String,
    /// Go class.
    pub class: Class,
    /// Size in bytes.
    pub size: u64,
    /// The binary holding it (the first of a duplicate group).
    pub path: String,
}

/// Package totals over the fleet.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PackageAgg {
    /// Import path or pseudo-package.
    pub package: String,
    /// Binaries containing the package with writable bytes.
    pub binaries: u64,
    /// noptrdata + data + bss + noptrbss bytes over those binaries.
    pub writable: u64,
    /// Bytes per class over those binaries.
    pub bytes: ClassBytes,
}

/// What a scan keeps for its tables.
#[derive(Debug, Default, Serialize)]
pub struct Fleet {
    /// Totals per class (memory bytes) over every binary reported.
    pub totals: ClassBytes,
    /// Sum of file sizes of every binary reported.
    pub total_size: u64,
    /// Top packages by writable bytes (`--summary`).
    pub top_packages: Vec<PackageAgg>,
    /// Largest variables (`--top N`).
    pub top_variables: Vec<TopVar>,
    #[serde(skip)]
    packages: HashMap<String, PackageAgg>,
    #[serde(skip)]
    top_n: usize,
}

impl Fleet {
    /// An empty fleet keeping the `top_n` largest variables.
    pub fn new(top_n: usize) -> Fleet {
        Fleet { top_n, ..Fleet::default() }
    }

    /// Adds one analyzed binary: its records (first + duplicates), its
    /// per-package writable bytes and its largest variables.
    pub fn add(&mut self, records: &[Record], packages: &[(String, ClassBytes)], vars: Vec<TopVar>) {
        let copies = records.iter().filter(|r| r.status == Status::Ok).count() as u64;
        for r in records.iter().filter(|r| r.status == Status::Ok) {
            self.total_size += r.size.unwrap_or(0);
            if let Some(s) = &r.summary {
                for c in CLASSES {
                    self.totals.add(c, s.vm(c));
                }
            }
        }
        for (name, b) in packages {
            let agg = self
                .packages
                .entry(name.clone())
                .or_insert_with(|| PackageAgg { package: name.clone(), ..PackageAgg::default() });
            agg.binaries += copies;
            for c in CLASSES {
                agg.bytes.add(c, b.get(c) * copies);
            }
            agg.writable += b.writable() * copies;
        }
        if self.top_n > 0 {
            self.top_variables.extend(vars);
            self.top_variables.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
            self.top_variables.truncate(self.top_n);
        }
    }

    /// Freezes the package ranking (top `limit`).
    pub fn finish(&mut self, limit: usize) {
        let mut pkgs: Vec<PackageAgg> = self.packages.drain().map(|(_, v)| v).collect();
        pkgs.sort_by(|a, b| b.writable.cmp(&a.writable).then_with(|| a.package.cmp(&b.package)));
        pkgs.truncate(limit);
        self.top_packages = pkgs;
    }

    /// The tables in `format` (table, markdown or csv): binaries, then with
    /// `summary` the totals and top packages, then the top variables.
    pub fn render(&self, records: &[Record], summary: bool, format: OutputFormat) -> String {
        let num = |n: u64| if format == OutputFormat::Table { bytes(n) } else { n.to_string() };
        let mut parts = Vec::new();
        let mut t = Table::new(
            vec!["PATH", "GO", "ARCH", "SIZE", "NOPTRDATA", "DATA", "BSS", "NOPTRBSS", "RODATA", "VARS", "NOTE"],
            vec![false, false, false, true, true, true, true, true, true, true, false],
        );
        for r in records {
            let mut row = vec![r.path.clone()];
            match &r.summary {
                Some(s) => {
                    row.push(s.go_version.clone().unwrap_or_else(|| "?".into()));
                    row.push(format!("{}/{}", s.format.name(), s.arch));
                    row.push(num(r.size.unwrap_or(0)));
                    row.extend(CLASSES.iter().map(|&c| num(s.vm(c))));
                    row.push(s.variables.to_string());
                }
                None => row.extend(std::iter::repeat_n("-".to_string(), 9)),
            }
            row.push(match (&r.duplicate_of, &r.error, &r.reason) {
                (Some(d), _, _) => format!("duplicate of {d}"),
                (_, Some(e), _) => format!("error: {e}"),
                (_, _, Some(why)) => format!("skipped: {why}"),
                _ => String::new(),
            });
            t.row(row);
        }
        if summary {
            let mut row = vec![format!("TOTAL ({} binaries)", records.iter().filter(|r| r.summary.is_some()).count())];
            row.extend(["".into(), "".into(), num(self.total_size)]);
            row.extend(CLASSES.iter().map(|&c| num(self.totals.get(c))));
            row.extend(["".into(), "".into()]);
            t.row(row);
        }
        parts.push(t.render_as(format));
        if summary {
            let mut p = Table::new(
                vec!["PACKAGE", "BINARIES", "WRITABLE", "NOPTRDATA", "DATA", "BSS", "NOPTRBSS"],
                vec![false, true, true, true, true, true, true],
            );
            for a in &self.top_packages {
                let mut row = vec![a.package.clone(), a.binaries.to_string(), num(a.writable)];
                row.extend(CLASSES[..4].iter().map(|&c| num(a.bytes.get(c))));
                p.row(row);
            }
            parts.push(p.render_as(format));
        }
        if self.top_n > 0 {
            let mut v = Table::new(
                vec!["VARIABLE", "PACKAGE", "CLASS", "SIZE", "PATH"],
                vec![false, false, false, true, false],
            );
            for x in &self.top_variables {
                v.row(vec![x.name.clone(), x.package.clone(), x.class.name().into(), num(x.size), x.path.clone()]);
            }
            parts.push(v.render_as(format));
        }
        parts.join("\n")
    }
}
