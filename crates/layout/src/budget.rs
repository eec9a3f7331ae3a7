//! Budgets: rules a release must hold to, read from TOML, evaluated against
//! a layout (and optionally the last release's layout as a baseline).
//!
//! ```
//! use golayout_layout::budget::Budget;
//!
//! let budget = Budget::from_toml(r#"
//!     [[rule]]
//!     name = "bss stays small"
//!     class = "bss"
//!     max_vm_bytes = 1048576
//!
//!     [[rule]]
//!     max_growth_percent = 5.0   # of the file size, vs the baseline
//!
//!     [[rule]]
//!     forbid_writable = "*Secret*"
//! "#)?;
//! assert_eq!(budget.rules.len(), 3);
//! assert_eq!(budget.rules[1].name, "rule 2");
//! # Ok::<(), golayout_layout::budget::BudgetError>(())
//! ```
//!
//! Then `evaluate(&layout, baseline.as_ref(), &budget)` gives a [`Report`]
//! whose [`Report::violations`] name the rule, the limit and the value.
//! The file format is documented in `docs/ci.md`.

mod eval;
mod glob;
mod parse;

use serde::{Deserialize, Serialize};

use crate::model::Class;

pub use eval::evaluate;
pub use glob::glob_match;
pub use parse::BudgetError;

/// A set of rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// The rules in file order.
    pub rules: Vec<Rule>,
}

/// One rule of a budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// 1-based position in the file.
    pub index: usize,
    /// The `name` key, or `rule N`.
    pub name: String,
    /// What the rule checks.
    pub check: Check,
}

/// What a budget rule checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Check {
    /// `max_vm_bytes` / `max_bytes` / `max_file_bytes`: bytes in a scope.
    MaxBytes {
        /// Where to count.
        scope: Scope,
        /// Memory or file bytes.
        measure: Measure,
        /// The most allowed.
        limit: u64,
    },
    /// `max_growth_bytes` / `max_growth_percent`: growth over the baseline.
    MaxGrowth {
        /// Where to count (the whole binary's file size by default).
        scope: Scope,
        /// Memory or file bytes.
        measure: Measure,
        /// The most allowed.
        limit: Growth,
    },
    /// `max_pointer_bytes`: bytes the GC scans (pointer words × pointer size).
    MaxPointerBytes {
        /// Binary, a class (data, bss) or a package.
        scope: Scope,
        /// The most allowed.
        limit: u64,
    },
    /// `forbid_writable`: no variable whose name matches the glob may sit
    /// in data, noptrdata, bss or noptrbss.
    ForbidWritable {
        /// Glob on the full symbol name (`*` any run, `?` one character).
        pattern: String,
        /// Only variables of this package.
        package: Option<String>,
    },
    /// `max_file_size`: size of the binary file.
    MaxFileSize {
        /// The most allowed.
        limit: u64,
    },
}

/// Where a rule counts bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The whole binary: file size, or the memory of all loadable segments.
    Binary,
    /// A container section by name (`.noptrbss`, `__DATA,__bss` or `__bss`).
    Section(String),
    /// A Go class (region bounds from the runtime).
    Class(Class),
    /// A package's variables, in one class or all.
    Package {
        /// Import path or pseudo-package.
        package: String,
        /// Only this class.
        class: Option<Class>,
    },
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Binary => f.write_str("binary"),
            Scope::Section(s) => write!(f, "section {s}"),
            Scope::Class(c) => write!(f, "class {}", c.name()),
            Scope::Package { package, class: None } => write!(f, "package {package}"),
            Scope::Package { package, class: Some(c) } => write!(f, "package {package} class {}", c.name()),
        }
    }
}

/// Memory or file bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Bytes in memory.
    Vm,
    /// Bytes in the file.
    File,
}

/// A growth limit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Growth {
    /// At most this many bytes more than the baseline.
    Bytes(u64),
    /// At most this percentage of the baseline's value more.
    Percent(f64),
}

/// A limit or a measured value with its unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "value")]
pub enum Amount {
    /// Bytes (negative for shrinkage).
    Bytes(i64),
    /// A percentage.
    Percent(f64),
    /// A number of variables.
    Variables(u64),
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Amount::Bytes(n) => write!(f, "{n} B"),
            Amount::Percent(p) => write!(f, "{p:.2}%"),
            Amount::Variables(n) => write!(f, "{n} variable{}", if *n == 1 { "" } else { "s" }),
        }
    }
}

/// Whether a rule held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The rule held.
    Pass,
    /// The rule was broken: a violation.
    Fail,
    /// The rule could not be measured (no baseline, no symbols, no GC
    /// bitmaps); it does not fail the check.
    Skipped,
}

/// The outcome of one rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleResult {
    /// 1-based position of the rule in the budget.
    pub index: usize,
    /// The rule's name.
    pub rule: String,
    /// The TOML key of the limit (`max_vm_bytes`, `forbid_writable`...).
    pub kind: String,
    /// What it measured (`class bss`, `package main class data`).
    pub scope: String,
    /// Whether it held.
    pub status: Status,
    /// The limit.
    pub limit: Amount,
    /// The measured value (absent when skipped).
    pub value: Option<Amount>,
    /// One line naming the rule, the limit and the value.
    pub message: String,
    /// For `forbid_writable`: the offending variables with their class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offenders: Vec<String>,
}

/// A broken rule: a [`RuleResult`] with [`Status::Fail`].
pub type Violation = RuleResult;

/// The outcome of a whole budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The binary (or saved layout) checked.
    pub binary: String,
    /// The baseline, when given.
    pub baseline: Option<String>,
    /// Whether every rule held (skipped rules do not count).
    pub passed: bool,
    /// Number of broken rules.
    pub failed: usize,
    /// Number of skipped rules.
    pub skipped: usize,
    /// One result per rule, in budget order.
    pub results: Vec<RuleResult>,
}

impl Report {
    /// The broken rules.
    pub fn violations(&self) -> impl Iterator<Item = &Violation> {
        self.results.iter().filter(|r| r.status == Status::Fail)
    }
}
