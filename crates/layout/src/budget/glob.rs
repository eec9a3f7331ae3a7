//! A small glob matcher for variable names.

/// Whether `name` matches `pattern`, where `*` matches any run of characters
/// (also none) and `?` exactly one; everything else matches itself,
/// case-sensitively.
///
/// ```
/// use golayout_layout::budget::glob_match;
/// assert!(glob_match("*Secret*", "main.apiSecretKey"));
/// assert!(glob_match("main.?ey", "main.Key"));
/// assert!(!glob_match("*secret*", "main.apiSecretKey"));
/// ```
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    // Where the last `*` was, and the name position it is currently eating to.
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn stars_and_question_marks() {
        for (p, n, want) in [
            ("*", "", true),
            ("*", "anything", true),
            ("", "", true),
            ("", "a", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
            ("*Secret", "main.Secret", true),
            ("*Secret", "main.SecretX", false),
            ("main.*", "main.x", true),
            ("?", "é", true),
            ("**a", "bba", true),
            ("a?c", "ac", false),
        ] {
            assert_eq!(glob_match(p, n), want, "{p:?} vs {n:?}");
        }
    }
}
