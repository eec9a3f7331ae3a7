//! # golayout
//!
//! Reads compiled Go binaries without running them and tells where everything
//! landed: sections and segments, the Go runtime's own tables, and which
//! package-level variable sits in which section.
//!
//! This crate is the command-line tool and re-exports the library API of
//! [`golayout_layout`]: call [`analyze`] with a path and [`Options`].
//!
//! ```no_run
//! let layout = golayout::analyze("app".as_ref(), &golayout::Options::default())?;
//! println!("{:?}", layout.go.version);
//! # Ok::<(), golayout::Error>(())
//! ```
#![forbid(unsafe_code)]

pub use golayout_image as image;
pub use golayout_layout::*;
pub use golayout_runtime as runtime;
