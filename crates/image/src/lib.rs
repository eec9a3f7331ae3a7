//! # golayout-image
//!
//! The container layer of golayout: opens ELF, Mach-O (thin and fat) and PE
//! binaries, memory-mapped and never copied, and answers container questions:
//! format, architecture, pointer size, byte order, entry point, sections,
//! segments, symbols, and the bytes or pointer at a virtual address.
//!
//! It knows nothing about Go. The Go runtime's structures are parsed by
//! `golayout-runtime` on top of this crate.
//!
//! ```no_run
//! use golayout_image::{Image, MappedFile};
//!
//! let file = MappedFile::open("some-go-binary".as_ref())?;
//! let image = Image::parse(file.bytes(), None)?;
//! println!("{} {} ({}-bit)", image.format().name(), image.arch(), image.ptr_size() * 8);
//! for s in image.sections() {
//!     println!("{:<20} {:#x} vm={} file={}", s.name, s.address, s.vm_size, s.file_size);
//! }
//! # Ok::<(), golayout_image::Error>(())
//! ```
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod containers;
mod error;
mod fixups;
mod image;
mod memory;
mod model;
mod packer;
mod source;

pub use error::{Error, Result};
pub use image::Image;
pub use memory::Mapping;
pub use model::{goarch, ByteOrder, FatSlice, Format, Perms, Section, SectionFlags, Segment, Symbol};
pub use packer::{detect as detect_packer, Packer};
pub use source::MappedFile;
