//! Errors of the analysis.

/// Why a binary could not be analyzed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The container could not be opened or parsed.
    #[error(transparent)]
    Image(#[from] golayout_image::Error),
    /// The container is fine but nothing says it was built by Go.
    #[error("not a Go binary: no build info, no runtime.buildVersion, no pclntab")]
    NotGo,
    /// The binary was packed (compressed with an unpacking stub): its Go
    /// tables are not readable until it is unpacked.
    #[error("packed with {0}: the Go tables are compressed inside; unpack it first (`{hint}`)", hint = .0.unpack_hint())]
    Packed(golayout_image::Packer),
}

impl Error {
    /// Whether the error means "this is not something golayout reads"
    /// (as opposed to "this file could not be read").
    pub fn is_not_go(&self) -> bool {
        matches!(
            self,
            Error::NotGo
                | Error::Packed(_)
                | Error::Image(golayout_image::Error::NotABinary(_))
                | Error::Image(golayout_image::Error::Empty)
                | Error::Image(golayout_image::Error::Unsupported(_))
        )
    }
}

/// The analysis result type.
pub type Result<T> = std::result::Result<T, Error>;
