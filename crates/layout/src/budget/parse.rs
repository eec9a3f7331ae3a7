//! Parsing a budget from TOML, with errors that name the rule and the key.

use toml::{Table, Value};

use super::{Budget, Check, Growth, Measure, Rule, Scope};
use crate::model::Class;

/// Why a budget file was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}{message}", rule.as_ref().map(|(i, n)| format!("rule {i} ({n:?}): ")).unwrap_or_default(), key.as_ref().map(|k| format!("key {k:?}: ")).unwrap_or_default())]
pub struct BudgetError {
    /// The rule's 1-based index and name, when the error is in a rule.
    pub rule: Option<(usize, String)>,
    /// The offending key, when one is to blame.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

const SCOPE_KEYS: [&str; 3] = ["section", "class", "package"];
const LIMIT_KEYS: [&str; 8] = [
    "max_vm_bytes",
    "max_bytes",
    "max_file_bytes",
    "max_growth_bytes",
    "max_growth_percent",
    "max_pointer_bytes",
    "forbid_writable",
    "max_file_size",
];
const OTHER_KEYS: [&str; 2] = ["name", "measure"];

impl Budget {
    /// Parses a budget: an array of `[[rule]]` tables, each with exactly one
    /// limit key (`max_vm_bytes`, `max_bytes`, `max_file_bytes`,
    /// `max_growth_bytes`, `max_growth_percent`, `max_pointer_bytes`,
    /// `forbid_writable`, `max_file_size`), an optional scope (`section`,
    /// `class`, `package`), an optional `name` and, for growth rules, an
    /// optional `measure` (`vm` or `file`).
    ///
    /// ```
    /// let err = golayout_layout::budget::Budget::from_toml("[[rule]]\nclass = \"bss\"\nmax_vm_bytes = -1\n").unwrap_err();
    /// assert_eq!(err.to_string(), "rule 1 (\"rule 1\"): key \"max_vm_bytes\": must be a non-negative integer, not -1");
    /// ```
    pub fn from_toml(text: &str) -> Result<Budget, BudgetError> {
        let top = |message: String, key: Option<&str>| BudgetError { rule: None, key: key.map(String::from), message };
        let table: Table =
            text.parse().map_err(|e: toml::de::Error| top(format!("invalid TOML: {}", e.message()), None))?;
        if let Some(k) = table.keys().find(|k| *k != "rule") {
            return Err(top("unknown top-level key (rules are [[rule]] tables)".into(), Some(k)));
        }
        let rules = match table.get("rule") {
            Some(Value::Array(a)) => a,
            Some(_) => return Err(top("must be an array of tables ([[rule]])".into(), Some("rule"))),
            None => return Err(top("no [[rule]] tables: an empty budget checks nothing".into(), None)),
        };
        let rules = rules
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::Table(t) => rule(i + 1, t),
                _ => Err(top(format!("rule {} is not a table", i + 1), Some("rule"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Budget { rules })
    }
}

fn rule(index: usize, t: &Table) -> Result<Rule, BudgetError> {
    let name = match t.get("name") {
        None => format!("rule {index}"),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            let err = BudgetError {
                rule: Some((index, format!("rule {index}"))),
                key: Some("name".into()),
                message: "must be a string".into(),
            };
            return Err(err);
        }
    };
    let err = |key: &str, message: String| BudgetError {
        rule: Some((index, name.clone())),
        key: (!key.is_empty()).then(|| key.to_string()),
        message,
    };
    if let Some(k) = t.keys().find(|k| ![&SCOPE_KEYS[..], &LIMIT_KEYS, &OTHER_KEYS].concat().contains(&k.as_str())) {
        return Err(err(
            k,
            format!("unknown key (limits: {}; scopes: {})", LIMIT_KEYS.join(", "), SCOPE_KEYS.join(", ")),
        ));
    }
    let limits: Vec<&str> = LIMIT_KEYS.iter().copied().filter(|k| t.contains_key(*k)).collect();
    let key = match limits[..] {
        [k] => k,
        [] => return Err(err("", format!("no limit: give one of {}", LIMIT_KEYS.join(", ")))),
        [a, b, ..] => return Err(err(b, format!("one limit per rule, and this rule already has {a:?}"))),
    };
    let string = |k: &str| -> Result<Option<String>, BudgetError> {
        match t.get(k) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(v) => Err(err(k, format!("must be a non-empty string, not {v}"))),
        }
    };
    let bytes = |k: &str| -> Result<u64, BudgetError> {
        match t.get(k) {
            Some(Value::Integer(n)) if *n >= 0 => Ok(*n as u64),
            Some(v) => Err(err(k, format!("must be a non-negative integer, not {v}"))),
            None => Err(err(k, "missing".into())),
        }
    };
    let class = match string("class")? {
        None => None,
        Some(c) => Some(Class::parse(&c).ok_or_else(|| {
            err("class", format!("unknown class {c:?} (data, noptrdata, bss, noptrbss, rodata, other)"))
        })?),
    };
    let section = string("section")?;
    let package = string("package")?;
    let scope = match (section, class, package) {
        (None, None, None) => Scope::Binary,
        (Some(s), None, None) => Scope::Section(s),
        (None, Some(c), None) => Scope::Class(c),
        (None, class, Some(package)) => Scope::Package { package, class },
        (Some(_), _, _) => return Err(err("section", "cannot be combined with class or package".into())),
    };
    let measure = match string("measure")?.as_deref() {
        None => None,
        Some("vm") => Some(Measure::Vm),
        Some("file") => Some(Measure::File),
        Some(m) => return Err(err("measure", format!("must be \"vm\" or \"file\", not {m:?}"))),
    };
    if measure.is_some() && !key.starts_with("max_growth") {
        return Err(err("measure", format!("only growth rules take a measure; {key} says what it measures")));
    }
    let no_scope = |what: &str| -> Result<(), BudgetError> {
        match SCOPE_KEYS.iter().find(|k| t.contains_key(**k)) {
            Some(k) => Err(err(k, format!("{key} {what}"))),
            None => Ok(()),
        }
    };
    let check = match key {
        "max_vm_bytes" | "max_bytes" | "max_file_bytes" => {
            let measure = if key == "max_file_bytes" { Measure::File } else { Measure::Vm };
            Check::MaxBytes { scope, measure, limit: bytes(key)? }
        }
        "max_growth_bytes" | "max_growth_percent" => {
            let limit = if key == "max_growth_bytes" {
                Growth::Bytes(bytes(key)?)
            } else {
                match t.get(key) {
                    Some(Value::Float(p)) if p.is_finite() && *p >= 0.0 => Growth::Percent(*p),
                    Some(Value::Integer(p)) if *p >= 0 => Growth::Percent(*p as f64),
                    Some(v) => return Err(err(key, format!("must be a non-negative number, not {v}"))),
                    None => return Err(err(key, "missing".into())),
                }
            };
            let default = if scope == Scope::Binary { Measure::File } else { Measure::Vm };
            Check::MaxGrowth { measure: measure.unwrap_or(default), scope, limit }
        }
        "max_pointer_bytes" => {
            if let Scope::Section(_) = scope {
                return Err(err("section", "max_pointer_bytes counts per class or package, not per section".into()));
            }
            if let Scope::Class(c) | Scope::Package { class: Some(c), .. } = scope {
                if !matches!(c, Class::Data | Class::Bss) {
                    return Err(err("class", format!("only data and bss hold GC-scanned pointers, not {}", c.name())));
                }
            }
            Check::MaxPointerBytes { scope, limit: bytes(key)? }
        }
        "forbid_writable" => {
            if t.contains_key("section") || t.contains_key("class") {
                let k = if t.contains_key("section") { "section" } else { "class" };
                return Err(err(
                    k,
                    "forbid_writable applies to all four writable classes; only package narrows it".into(),
                ));
            }
            let pattern = string(key)?.ok_or_else(|| err(key, "missing".into()))?;
            Check::ForbidWritable { pattern, package: string("package")? }
        }
        _ => {
            no_scope("is about the whole file and takes no scope")?;
            Check::MaxFileSize { limit: bytes(key)? }
        }
    };
    Ok(Rule { index, name, check })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> String {
        Budget::from_toml(text).unwrap_err().to_string()
    }

    #[test]
    fn parses_every_rule_kind() {
        let b = Budget::from_toml(
            r#"
            [[rule]]
            name = "bss"
            class = "bss"
            max_vm_bytes = 10
            [[rule]]
            section = ".data"
            max_file_bytes = 5
            [[rule]]
            package = "example.com/x"
            class = "data"
            max_bytes = 4096
            [[rule]]
            max_growth_percent = 5
            [[rule]]
            class = "noptrbss"
            max_growth_bytes = 100
            [[rule]]
            max_pointer_bytes = 1
            [[rule]]
            forbid_writable = "*Secret*"
            [[rule]]
            max_file_size = 20000000
            "#,
        )
        .unwrap();
        assert_eq!(b.rules.len(), 8);
        assert_eq!(b.rules[0].name, "bss");
        assert_eq!(b.rules[2].name, "rule 3");
        assert_eq!(
            b.rules[3].check,
            Check::MaxGrowth { scope: Scope::Binary, measure: Measure::File, limit: Growth::Percent(5.0) }
        );
        assert_eq!(
            b.rules[4].check,
            Check::MaxGrowth { scope: Scope::Class(Class::Noptrbss), measure: Measure::Vm, limit: Growth::Bytes(100) }
        );
    }

    #[test]
    fn errors_name_the_rule_and_the_key() {
        assert_eq!(
            parse_err("[[rule]]\nname = \"x\"\nclass = \"bss\"\nmax_vm_bytes = 1\nmax_file_size = 2\n"),
            "rule 1 (\"x\"): key \"max_file_size\": one limit per rule, and this rule already has \"max_vm_bytes\""
        );
        assert!(parse_err("[[rule]]\nmax_file_size = 1\n[[rule]]\nclas = \"bss\"\nmax_bytes = 1\n")
            .starts_with("rule 2 (\"rule 2\"): key \"clas\": unknown key"));
        assert!(parse_err("[[rule]]\nclass = \"heap\"\nmax_bytes = 1\n").contains("unknown class \"heap\""));
        assert!(parse_err("[[rule]]\nname = \"n\"\n").contains("no limit"));
        assert!(parse_err("[[rule]]\nclass = \"bss\"\nmax_file_size = 1\n").contains("key \"class\""));
        assert!(parse_err("[[rule]]\nclass = \"noptrbss\"\nmax_pointer_bytes = 1\n").contains("only data and bss"));
        assert!(parse_err("[[rule]]\nmax_growth_percent = \"5\"\n").contains("non-negative number"));
        assert!(parse_err("[[rule]]\nmax_bytes = 1\nmeasure = \"file\"\n").contains("only growth rules"));
        assert!(parse_err("[rules]\n").contains("unknown top-level key"));
        assert!(parse_err("").contains("no [[rule]]"));
        assert!(parse_err("[[rule]\n").starts_with("invalid TOML"));
    }
}
