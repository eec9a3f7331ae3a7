//! Exit codes, documented in the README and `--help`.

/// Success.
pub const OK: i32 = 0;
/// `check`: a budget rule was broken.
pub const CHECK_FAILED: i32 = 1;
/// Usage error, or the input could not be read (missing path, directory,
/// permission denied).
pub const USAGE_OR_UNREADABLE: i32 = 2;
/// The input was read but is not a Go binary golayout understands (not
/// ELF/Mach-O/PE, or no Go metadata).
pub const NOT_GO: i32 = 3;
/// The input is a binary but malformed or truncated.
pub const MALFORMED: i32 = 4;
/// A batch (`scan`) finished, but some files had errors.
pub const BATCH_ERRORS: i32 = 5;

/// The exit code for an analysis error.
pub fn for_error(err: &golayout::Error) -> i32 {
    use golayout::image::Error as I;
    match err {
        golayout::Error::Image(I::Io { .. } | I::IsDirectory(_)) => USAGE_OR_UNREADABLE,
        golayout::Error::Image(I::Malformed { .. } | I::NoSuchArch { .. }) => MALFORMED,
        _ if err.is_not_go() => NOT_GO,
        _ => MALFORMED,
    }
}

/// A one-line message for an analysis error that names the file.
pub fn message(path: &str, err: &golayout::Error) -> String {
    use golayout::image::Error as I;
    match err {
        golayout::Error::Image(I::Io { .. } | I::IsDirectory(_)) => err.to_string(),
        _ => format!("{path}: {err}"),
    }
}
