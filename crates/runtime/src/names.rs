//! Go symbol names: which package a function or variable belongs to.
//!
//! Implements the package-name derivation of the format reference (§8.3):
//! generated names (`go:string.*`, `type:*`, and `go.`/`type.` before Go
//! 1.20) have no package; `runtime.gcbits.*`/`runtime.gcmask.*` are runtime
//! metadata; otherwise the package path ends at the first `.` after the last
//! `/`, both searched outside generic brackets `[...]`, and `%xx` escapes in
//! the path are decoded (`gopkg.in/yaml%2ev3` → `gopkg.in/yaml.v3`).

use std::borrow::Cow;

/// Words that follow an old-style `go.` prefix in generated names (before
/// Go 1.20), e.g. `go.string."x"`, `go.itab.*T,I`. Module paths such as
/// `go.uber.org/zap` start with `go.` too, so the prefix alone is not enough.
const OLD_GO_WORDS: [&str; 17] = [
    "string",
    "func",
    "funcdesc",
    "itab",
    "buildid",
    "buildinfo",
    "importpath",
    "link",
    "map",
    "cuinfo",
    "constinfo",
    "info",
    "loc",
    "range",
    "shape",
    "track",
    "plugin",
];

/// What a generated (package-less) symbol holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneratedKind {
    /// String data (`go:string.*`).
    String,
    /// Function metadata (`go:func.*`, `go:funcdesc`).
    Func,
    /// An itab (`go:itab.*`).
    Itab,
    /// Type descriptors and type helpers (`type:*`).
    Type,
    /// Build identity (`go:buildid`, `go:buildinfo`, `go:fipsinfo`).
    Build,
    /// Any other generated name.
    Other,
}

/// The package a symbol belongs to; see [`package_of`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackageOf<'a> {
    /// An ordinary symbol of the package `path`.
    Package {
        /// Import path, percent-decoded (borrowed unless decoding changed it).
        path: Cow<'a, str>,
        /// The rest of the name after the package's `.` (`(*T).M`, `init.func1`).
        member: &'a str,
    },
    /// Linker- or compiler-generated data with no package.
    Generated {
        /// What it holds.
        kind: GeneratedKind,
        /// The prefix it was recognized by (`go:`, `type:`, `go.`, `type.`).
        prefix: &'static str,
    },
    /// Runtime tables (`runtime.gcbits.*`, `runtime.gcmask.*`).
    RuntimeMetadata,
    /// No package can be derived (no `.`, empty path, unbalanced brackets).
    Unknown,
}

/// Derives the package of a function or variable name.
///
/// `generated_prefixes_old` selects the pre-Go 1.20 spelling of generated
/// names (`go.`/`type.`), i.e. a pclntab magic older than `0xfffffff1`; the
/// new spelling (`go:`/`type:`) is always recognized.
pub fn package_of(name: &str, generated_prefixes_old: bool) -> PackageOf<'_> {
    if let Some(g) = generated(name, generated_prefixes_old) {
        return g;
    }
    if name.starts_with("runtime.gcbits.") || name.starts_with("runtime.gcmask.") {
        return PackageOf::RuntimeMetadata;
    }
    let Some(dot) = package_end(name) else {
        return PackageOf::Unknown;
    };
    let (raw, member) = (&name[..dot], &name[dot + 1..]);
    if raw.is_empty() {
        return PackageOf::Unknown;
    }
    PackageOf::Package { path: percent_decode(raw), member }
}

fn generated(name: &str, old: bool) -> Option<PackageOf<'static>> {
    let (prefix, rest) = if let Some(rest) = name.strip_prefix("go:") {
        ("go:", rest)
    } else if let Some(rest) = name.strip_prefix("type:") {
        ("type:", rest)
    } else if let Some(rest) = name.strip_prefix("type.").filter(|_| old) {
        ("type.", rest)
    } else if let Some(rest) = name.strip_prefix("go.").filter(|_| old) {
        let word = rest.split(['.', '/']).next().unwrap_or("");
        if !OLD_GO_WORDS.contains(&word) {
            return None;
        }
        ("go.", rest)
    } else {
        return None;
    };
    let word = rest.split('.').next().unwrap_or("");
    let kind = match (prefix, word) {
        ("type:" | "type.", _) => GeneratedKind::Type,
        (_, "string") => GeneratedKind::String,
        (_, "func" | "funcdesc") => GeneratedKind::Func,
        (_, "itab") => GeneratedKind::Itab,
        (_, "buildid" | "buildinfo" | "fipsinfo") => GeneratedKind::Build,
        _ => GeneratedKind::Other,
    };
    Some(PackageOf::Generated { kind, prefix })
}

/// Byte index of the `.` that ends the package path: the first `.` after
/// the last `/`, both outside `[...]`. `None` if there is none or the
/// brackets do not balance.
fn package_end(name: &str) -> Option<usize> {
    let bytes = name.as_bytes();
    if memchr::memchr2(b'[', b']', bytes).is_none() {
        // No brackets (most names): the same answer from memchr searches.
        let start = memchr::memrchr(b'/', bytes).map_or(0, |s| s + 1);
        return memchr::memchr(b'.', &bytes[start..]).map(|i| start + i);
    }
    let mut depth = 0usize;
    let mut last_slash = None;
    for (i, b) in name.bytes().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.checked_sub(1)?,
            b'/' if depth == 0 => last_slash = Some(i),
            _ => {}
        }
    }
    if depth != 0 {
        return None;
    }
    let start = last_slash.map_or(0, |s| s + 1);
    // No brackets can occur before the first '.' after the last top-level
    // '/' in a well-formed name; still count them to be safe.
    let mut depth = 0usize;
    for (i, b) in name.bytes().enumerate().skip(start) {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'.' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// Decodes `%xx` escapes (Go's `objabi.PathToPrefix` inverse). Borrows when
/// there is nothing to decode; malformed escapes are kept as written.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(_) => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(name: &str) -> (String, &str) {
        match package_of(name, false) {
            PackageOf::Package { path, member } => (path.into_owned(), member),
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn ordinary_names() {
        assert_eq!(pkg("main.main"), ("main".into(), "main"));
        assert_eq!(
            pkg("example.com/fixture/internal/store.(*T).M"),
            ("example.com/fixture/internal/store".into(), "(*T).M")
        );
        assert_eq!(pkg("main.init.func1"), ("main".into(), "init.func1"));
        assert_eq!(pkg("pkg.glob..func1"), ("pkg".into(), "glob..func1"));
        assert_eq!(
            pkg("vendor/golang.org/x/net/dns/dnsmessage.(*Parser).Start"),
            ("vendor/golang.org/x/net/dns/dnsmessage".into(), "(*Parser).Start")
        );
        assert_eq!(pkg("go.uber.org/zap.New"), ("go.uber.org/zap".into(), "New"));
        assert_eq!(package_of("go.uber.org/zap.New", true), package_of("go.uber.org/zap.New", false));
    }

    #[test]
    fn escaped_path_is_decoded_only_when_needed() {
        let PackageOf::Package { path, member } = package_of("gopkg.in/yaml%2ev3.Unmarshal", false) else { panic!() };
        assert!(matches!(path, Cow::Owned(_)));
        assert_eq!((path.as_ref(), member), ("gopkg.in/yaml.v3", "Unmarshal"));
        let PackageOf::Package { path, .. } = package_of("main.main", false) else { panic!() };
        assert!(matches!(path, Cow::Borrowed("main")));
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%zz%41"), "a%zzA");
    }

    #[test]
    fn generic_brackets_are_masked() {
        assert_eq!(pkg("pkg.G[go.shape.int_0]"), ("pkg".into(), "G[go.shape.int_0]"));
        assert_eq!(
            pkg("internal/sync.(*HashTrieMap[go.shape.*internal/abi.Type,go.shape.interface {}]).Load"),
            ("internal/sync".into(), "(*HashTrieMap[go.shape.*internal/abi.Type,go.shape.interface {}]).Load")
        );
        assert_eq!(pkg("pkg.(*Box[...]).Get"), ("pkg".into(), "(*Box[...]).Get"));
        assert_eq!(package_of("pkg.G[int", false), PackageOf::Unknown);
        assert_eq!(package_of("pkg.G]int[", false), PackageOf::Unknown);
    }

    #[test]
    fn generated_and_runtime_metadata() {
        let g = |name, old| package_of(name, old);
        assert_eq!(g("type:.eq.main.T", false), PackageOf::Generated { kind: GeneratedKind::Type, prefix: "type:" });
        assert_eq!(g("go:string.*", false), PackageOf::Generated { kind: GeneratedKind::String, prefix: "go:" });
        assert_eq!(
            g("go:itab.*main.T,error", false),
            PackageOf::Generated { kind: GeneratedKind::Itab, prefix: "go:" }
        );
        assert_eq!(g("type..eq.main.T", true), PackageOf::Generated { kind: GeneratedKind::Type, prefix: "type." });
        assert_eq!(g("go.func.*", true), PackageOf::Generated { kind: GeneratedKind::Func, prefix: "go." });
        assert!(matches!(g("go.string.\"a/b\"", false), PackageOf::Package { .. } | PackageOf::Unknown));
        assert_eq!(g("runtime.gcbits.0102", false), PackageOf::RuntimeMetadata);
        assert_eq!(g("runtime.gcmask.x", true), PackageOf::RuntimeMetadata);
        assert_eq!(g("nodot", false), PackageOf::Unknown);
        assert_eq!(g(".text", false), PackageOf::Unknown);
        assert_eq!(g("", false), PackageOf::Unknown);
    }
}
