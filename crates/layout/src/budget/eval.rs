//! Evaluating a budget against a layout.

use super::{glob_match, Amount, Budget, Check, Growth, Measure, Report, Rule, RuleResult, Scope, Status};
use crate::model::{Class, Layout};

/// Evaluates every rule of `budget` on `layout`; growth rules compare with
/// `baseline` and are skipped without one.
///
/// ```no_run
/// use golayout_layout::{analyze, budget::{evaluate, Budget}, Options};
///
/// let budget = Budget::from_toml("[[rule]]\nclass = \"bss\"\nmax_vm_bytes = 1048576\n").unwrap();
/// let layout = analyze("app".as_ref(), &Options::default())?;
/// let report = evaluate(&layout, None, &budget);
/// for v in report.violations() {
///     eprintln!("{}", v.message);
/// }
/// std::process::exit(if report.passed { 0 } else { 1 });
/// # Ok::<(), golayout_layout::Error>(())
/// ```
pub fn evaluate(layout: &Layout, baseline: Option<&Layout>, budget: &Budget) -> Report {
    let results: Vec<RuleResult> = budget.rules.iter().map(|r| rule(layout, baseline, r)).collect();
    let failed = results.iter().filter(|r| r.status == Status::Fail).count();
    let skipped = results.iter().filter(|r| r.status == Status::Skipped).count();
    Report {
        binary: layout.binary.path.clone(),
        baseline: baseline.map(|b| b.binary.path.clone()),
        passed: failed == 0,
        failed,
        skipped,
        results,
    }
}

fn bytes(n: u64) -> Amount {
    Amount::Bytes(i64::try_from(n).unwrap_or(i64::MAX))
}

fn measure_name(m: Measure) -> &'static str {
    match m {
        Measure::Vm => "vm",
        Measure::File => "file",
    }
}

/// Bytes of `scope` in `l`, or why they cannot be measured.
fn measure(l: &Layout, scope: &Scope, m: Measure) -> Result<u64, String> {
    let pick = |vm: u64, file: u64| if m == Measure::Vm { vm } else { file };
    match scope {
        Scope::Binary => Ok(match m {
            Measure::File => l.binary.file_size,
            Measure::Vm => l.segments.iter().map(|s| s.vm_size).sum(),
        }),
        Scope::Section(name) => {
            let hits: Vec<_> = l
                .sections
                .iter()
                .filter(|s| {
                    &s.name == name || s.segment_name.as_ref().is_some_and(|g| format!("{g},{}", s.name) == *name)
                })
                .collect();
            if hits.is_empty() {
                return Err(format!("{} has no section {name}", l.binary.path));
            }
            Ok(hits.iter().map(|s| pick(s.vm_size, s.file_size)).sum())
        }
        Scope::Class(c) => {
            let hits: Vec<_> = l.regions.iter().filter(|r| r.class == *c).collect();
            if hits.is_empty() {
                return Err(format!("{} has no {} region (no runtime metadata found)", l.binary.path, c.name()));
            }
            Ok(hits.iter().map(|r| pick(r.vm_bytes, r.file_bytes)).sum())
        }
        Scope::Package { package, class } => {
            if l.variables.is_empty() {
                return Err(format!("{} has no variables (no symbol table)", l.binary.path));
            }
            Ok(l.variables
                .iter()
                .filter(|v| &v.package == package && class.is_none_or(|c| v.class == c))
                .map(|v| pick(v.size, v.file_bytes))
                .sum())
        }
    }
}

/// GC-scanned pointer bytes of `scope` in `l`.
fn pointer_bytes(l: &Layout, scope: &Scope) -> Result<u64, String> {
    let ptr = u64::from(l.binary.ptr_size);
    let regions = |classes: &[Class]| -> Result<u64, String> {
        let mut words = 0u64;
        for c in classes {
            let r = l.regions.iter().find(|r| r.class == *c);
            match r.and_then(|r| r.ptr_words) {
                Some(w) => words = words.saturating_add(w),
                None => {
                    return Err(format!("{}: pointer words of {} unknown (no GC bitmaps)", l.binary.path, c.name()))
                }
            }
        }
        Ok(words.saturating_mul(ptr))
    };
    match scope {
        Scope::Binary => regions(&[Class::Data, Class::Bss]),
        Scope::Class(c) => regions(&[*c]),
        Scope::Package { package, class } => {
            if l.variables.is_empty() {
                return Err(format!("{} has no variables (no symbol table)", l.binary.path));
            }
            let words: u64 = l
                .variables
                .iter()
                .filter(|v| &v.package == package && class.is_none_or(|c| v.class == c))
                .filter_map(|v| v.ptr_words)
                .sum();
            Ok(words.saturating_mul(ptr))
        }
        Scope::Section(_) => Err("pointer bytes are counted per class or package".into()),
    }
}

fn rule(l: &Layout, baseline: Option<&Layout>, r: &Rule) -> RuleResult {
    let mut out = RuleResult {
        index: r.index,
        rule: r.name.clone(),
        kind: String::new(),
        scope: String::new(),
        status: Status::Pass,
        limit: Amount::Bytes(0),
        value: None,
        message: String::new(),
        offenders: Vec::new(),
    };
    // (measured, what) or the reason to skip.
    let outcome: Result<(u64, u64, String), String> = match &r.check {
        Check::MaxBytes { scope, measure: m, limit } => {
            out.kind = if *m == Measure::File { "max_file_bytes" } else { "max_vm_bytes" }.into();
            out.scope = scope.to_string();
            measure(l, scope, *m).map(|v| (v, *limit, format!("{scope}: {} bytes", measure_name(*m))))
        }
        Check::MaxPointerBytes { scope, limit } => {
            out.kind = "max_pointer_bytes".into();
            out.scope = scope.to_string();
            pointer_bytes(l, scope).map(|v| (v, *limit, format!("{scope}: GC-scanned pointer bytes")))
        }
        Check::MaxFileSize { limit } => {
            out.kind = "max_file_size".into();
            out.scope = Scope::Binary.to_string();
            Ok((l.binary.file_size, *limit, "file size".to_string()))
        }
        Check::MaxGrowth { scope, measure: m, limit } => return growth(l, baseline, scope, *m, *limit, out),
        Check::ForbidWritable { pattern, package } => return forbid(l, pattern, package.as_deref(), out),
    };
    match outcome {
        Ok((value, limit, what)) => {
            out.limit = bytes(limit);
            out.value = Some(bytes(value));
            let broken = value > limit;
            out.status = if broken { Status::Fail } else { Status::Pass };
            let verb = if broken { "exceeds" } else { "within" };
            out.message = format!("{}: {what} {value} B {verb} the limit {limit} B", r.name);
        }
        Err(why) => skip(&mut out, &r.name, why),
    }
    out
}

fn skip(out: &mut RuleResult, name: &str, why: String) {
    out.status = Status::Skipped;
    out.message = format!("{name}: skipped: {why}");
}

fn growth(
    l: &Layout,
    base: Option<&Layout>,
    scope: &Scope,
    m: Measure,
    limit: Growth,
    mut out: RuleResult,
) -> RuleResult {
    out.scope = scope.to_string();
    let what = format!("{scope}: {} bytes", measure_name(m));
    let name = out.rule.clone();
    (out.kind, out.limit) = match limit {
        Growth::Bytes(n) => ("max_growth_bytes".into(), bytes(n)),
        Growth::Percent(p) => ("max_growth_percent".into(), Amount::Percent(p)),
    };
    let Some(base) = base else {
        skip(&mut out, &name, "no baseline given (--baseline)".into());
        return out;
    };
    let (old, new) = match (measure(base, scope, m), measure(l, scope, m)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(why), _) | (_, Err(why)) => {
            skip(&mut out, &name, why);
            return out;
        }
    };
    let delta = crate::diff::Delta::new(old, new);
    let from = format!("{what} {old} B -> {new} B ({:+} B", delta.delta);
    let (broken, shown) = match limit {
        Growth::Bytes(n) => {
            out.value = Some(Amount::Bytes(delta.delta));
            (delta.delta > 0 && delta.abs() > n, format!("{from}), limit +{n} B"))
        }
        Growth::Percent(p) => match delta.percent() {
            Some(pct) => {
                out.value = Some(Amount::Percent(pct));
                (pct > p, format!("{from}, {pct:+.2}%), limit +{p:.2}%"))
            }
            // From nothing: any growth is infinitely many percent.
            None => {
                out.value = Some(Amount::Bytes(delta.delta));
                (new > 0, format!("{from} from nothing: growth unbounded in percent), limit +{p:.2}%"))
            }
        },
    };
    out.status = if broken { Status::Fail } else { Status::Pass };
    out.message = format!("{name}: {shown}{}", if broken { ": broken" } else { "" });
    out
}

fn forbid(l: &Layout, pattern: &str, package: Option<&str>, mut out: RuleResult) -> RuleResult {
    out.kind = "forbid_writable".into();
    out.scope = package.map_or_else(|| "writable classes".into(), |p| format!("package {p} writable classes"));
    out.limit = Amount::Variables(0);
    let name = out.rule.clone();
    if l.variables.is_empty() {
        skip(&mut out, &name, format!("{} has no variables (no symbol table)", l.binary.path));
        return out;
    }
    let mut hits: Vec<String> = l
        .variables
        .iter()
        .filter(|v| matches!(v.class, Class::Data | Class::Noptrdata | Class::Bss | Class::Noptrbss))
        .filter(|v| package.is_none_or(|p| v.package == p) && glob_match(pattern, &v.name))
        .map(|v| format!("{} ({})", v.name, v.class.name()))
        .collect();
    hits.sort();
    hits.dedup();
    out.value = Some(Amount::Variables(hits.len() as u64));
    out.status = if hits.is_empty() { Status::Pass } else { Status::Fail };
    out.message = if hits.is_empty() {
        format!("{name}: no writable variable matches {pattern:?}")
    } else {
        let shown: Vec<&str> = hits.iter().take(5).map(String::as_str).collect();
        let more = if hits.len() > 5 { format!(" and {} more", hits.len() - 5) } else { String::new() };
        format!("{name}: {} writable variable(s) match {pattern:?}, limit 0: {}{more}", hits.len(), shown.join(", "))
    };
    out.offenders = hits;
    out
}
