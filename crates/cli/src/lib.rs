//! # golayout
//!
//! Reads compiled Go binaries without running them and tells where everything
//! landed: sections and segments, the Go runtime's own tables, and which
//! package-level variable sits in which section.
//!
//! This crate is the command-line tool and re-exports the library API of
//! [`golayout_layout`]: call [`analyze`] with a path and [`Options`].
//!
//! ```
//! use golayout::{analyze, Class, Options};
//!
//! // A fixture committed with the repository: Go 1.27, linux/amd64.
//! let layout = analyze("fixtures/bin/go1.27-linux-amd64".as_ref(), &Options::default())?;
//! assert_eq!(layout.go.version.as_deref(), Some("go1.27.3"));
//!
//! // Where did `main.BigZero` (a zero `[1 << 20]byte`) land?
//! let v = layout.variables.iter().find(|v| v.name == "main.BigZero").unwrap();
//! assert_eq!((v.class, v.section.as_str(), v.size), (Class::Noptrbss, ".noptrbss", 1 << 20));
//! assert_eq!(v.file_bytes, 0); // bss costs memory, not file bytes
//!
//! // Per-package totals add the bytes of every class.
//! let main = layout.packages.iter().find(|p| p.package == "main").unwrap();
//! assert!(main.bytes.noptrbss >= 1 << 20);
//! # Ok::<(), golayout::Error>(())
//! ```
#![forbid(unsafe_code)]

pub use golayout_image as image;
pub use golayout_layout::*;
pub use golayout_runtime as runtime;
