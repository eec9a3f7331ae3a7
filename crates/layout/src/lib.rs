//! # golayout-layout
//!
//! The analysis and its serde model: given a Go binary, where every section,
//! segment and (in later layers) package-level variable landed. This is the
//! public library entry point of golayout, re-exported by the `golayout`
//! crate.
//!
//! ```no_run
//! use golayout_layout::{analyze, Options};
//!
//! let layout = analyze("app".as_ref(), &Options::default())?;
//! println!("{} built by {:?}", layout.binary.path, layout.go.version);
//! for s in &layout.sections {
//!     println!("{:<20} {:?} vm={} file={}", s.name, s.role, s.vm_size, s.file_size);
//! }
//! # Ok::<(), golayout_layout::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod analyze;
pub mod budget;
pub mod diff;
pub mod dwarf;
mod error;
pub mod model;
mod model_runtime;
mod model_vars;
mod regions;
mod runtime;
mod totals;
mod vars;

pub use analyze::{analyze, analyze_bytes, analyze_image, Options};
pub use diff::{diff, Diff, DiffOptions};
pub use error::{Error, Result};
pub use model::*;
