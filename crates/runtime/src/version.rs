//! Go release versions (`go1.21.13`, `go1.27rc1`, `devel ...`).

use serde::{Deserialize, Serialize};

/// A Go release, ordered by (major, minor, patch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GoVersion {
    /// Always 1 so far.
    pub major: u16,
    /// The minor release (`21` in go1.21.13).
    pub minor: u16,
    /// The patch release (0 for `go1.21` or a release candidate).
    pub patch: u16,
}

impl GoVersion {
    /// Builds `go1.{minor}.0`.
    pub const fn new(minor: u16) -> GoVersion {
        GoVersion { major: 1, minor, patch: 0 }
    }

    /// Parses the leading `goX.Y[.Z]` of a version string such as
    /// `go1.21.13`, `go1.22rc1`, `go1.27.3 X:nocoverageredesign`.
    /// Returns `None` for `devel` builds and anything unrecognized.
    pub fn parse(s: &str) -> Option<GoVersion> {
        let rest = s.trim().strip_prefix("go")?;
        let mut nums = [0u16; 3];
        let mut parts = 0;
        for part in rest.split('.') {
            let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.is_empty() || parts == 3 {
                break;
            }
            nums[parts] = digits.parse().ok()?;
            parts += 1;
            if digits.len() != part.len() {
                break;
            }
        }
        (parts >= 2).then_some(GoVersion { major: nums[0], minor: nums[1], patch: nums[2] })
    }
}

impl std::fmt::Display for GoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "go{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::GoVersion;

    #[test]
    fn parses_release_rc_and_suffix() {
        assert_eq!(GoVersion::parse("go1.21.13"), Some(GoVersion { major: 1, minor: 21, patch: 13 }));
        assert_eq!(GoVersion::parse("go1.22rc1"), Some(GoVersion { major: 1, minor: 22, patch: 0 }));
        assert_eq!(GoVersion::parse("go1.27.3 X:foo"), Some(GoVersion { major: 1, minor: 27, patch: 3 }));
        assert_eq!(GoVersion::parse("devel +abc"), None);
        assert!(GoVersion::parse("go1.9.7").unwrap() < GoVersion::parse("go1.10").unwrap());
    }
}
