//! `golayout scan`: many binaries in parallel, one NDJSON record per binary
//! streamed as each finishes (see `docs/scanning.md`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::dedup;
use crate::exit;
use crate::fleet::TopVar;
use crate::fmt::OutputFormat;
use crate::scanrec::{classify, ErrorKind, Record, Summary};
use crate::sink::Sink;
use crate::walk::{Shard, Walk};

/// Examples shown by `golayout scan --help`.
pub const EXAMPLES: &str = "\
Examples:
  golayout scan ./dist > layout.ndjson
  golayout scan -j 8 --sort /usr/bin /usr/local/bin
  find / -xdev -type f -perm -u+x | golayout scan --files-from - > fleet.ndjson
  golayout scan --shard 3/16 /srv/artifacts > part-3.ndjson
  golayout scan --summary --top 20 ./dist
  golayout scan --format csv ./dist > binaries.csv

Records: one JSON object per line (schema/scan-record.schema.json), status ok or error;
non-Go files are counted and skipped (-v lists them on stderr, --emit-skipped prints records).
Exit: 0 ok, 2 a PATH does not exist (the others are still scanned), 5 some files had errors.";

/// Arguments of `golayout scan`.
#[derive(clap::Args)]
pub struct Args {
    /// Files and directories to scan (directories recursively).
    pub paths: Vec<PathBuf>,
    /// Also scan the paths listed in FILE, one per line (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// Threads (0: one per core).
    #[arg(short = 'j', long, default_value_t = 0, value_name = "N")]
    pub jobs: usize,
    /// Only the K-th of N disjoint parts of the input (1-based, by a stable
    /// hash of the path), for splitting a fleet across machines.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Print records in path order (after all finish) instead of as each finishes.
    #[arg(long)]
    pub sort: bool,
    /// Include the full layout in each record.
    #[arg(long)]
    pub full: bool,
    /// Print tables across binaries: totals per class, top packages by writable bytes.
    #[arg(long)]
    pub summary: bool,
    /// Also list the N largest variables across all binaries.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub top: usize,
    /// Print a record with status "skipped" for each non-Go file too.
    #[arg(long)]
    pub emit_skipped: bool,
    /// For fat Mach-O files: the slice to read.
    #[arg(long)]
    pub arch: Option<String>,
    /// Output format [default: ndjson, or table with --summary/--top].
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Short for --format json (one document with every record).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// List skipped files and the reason on stderr.
    #[arg(short, long)]
    pub verbose: bool,
    /// No progress bar, no final counts on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The counts printed at the end (and in the JSON document).
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    /// Files and entries considered (after `--shard`).
    pub files: u64,
    /// Go binaries reported (duplicates included).
    pub go_binaries: u64,
    /// Distinct binaries analyzed.
    pub analyzed: u64,
    /// Files reported as duplicates of another.
    pub duplicates: u64,
    /// Files that are not Go binaries (or not regular files).
    pub skipped: u64,
    /// Files and directories that could not be read or analyzed.
    pub errors: u64,
    /// Paths given that do not exist.
    pub missing: u64,
}

/// One analysis and the duplicates it stands for.
struct Job {
    first: usize,
    copies: Vec<usize>,
    key: Option<dedup::Key>,
}

/// The result of a job, sent to the printing thread.
struct Outcome {
    records: Vec<Record>,
    packages: Vec<(String, golayout::ClassBytes)>,
    vars: Vec<TopVar>,
}

/// Runs the command; returns the exit code.
pub fn run(args: &Args) -> i32 {
    let started = Instant::now();
    let format = match (args.json, args.format) {
        (true, _) => OutputFormat::Json,
        (false, Some(f)) => f,
        (false, None) if args.summary || args.top > 0 => OutputFormat::Table,
        (false, None) => OutputFormat::Ndjson,
    };
    if format == OutputFormat::Ndjson && (args.summary || args.top > 0) {
        eprintln!(
            "golayout: --summary and --top print tables or a JSON document; use --format table|json|csv|markdown"
        );
        return exit::USAGE_OR_UNREADABLE;
    }
    let mut roots = args.paths.clone();
    if let Some(list) = &args.files_from {
        match Walk::read_list(list) {
            Ok(more) => roots.extend(more),
            Err(e) => {
                eprintln!("golayout: {}: cannot read list: {e}", list.display());
                return exit::USAGE_OR_UNREADABLE;
            }
        }
    }
    if roots.is_empty() {
        eprintln!("golayout: scan: no PATH given (and no --files-from)");
        return exit::USAGE_OR_UNREADABLE;
    }
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(args.jobs).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("golayout: cannot start threads: {e}");
            return exit::USAGE_OR_UNREADABLE;
        }
    };
    let mut walk = Walk::collect(&roots);
    if let Some(shard) = args.shard {
        walk.shard(shard);
    }
    for m in &walk.missing {
        eprintln!("golayout: {}: no such file or directory", m.display());
    }
    let keys: Vec<Option<dedup::Key>> = pool.install(|| walk.files.par_iter().map(|p| dedup::key(p)).collect());
    let jobs = plan(keys);
    let mut sink = Sink::new(args, format, &walk);
    let cancel = AtomicBool::new(false);
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Outcome>(64);
        let (files, jobs, cancel, pool) = (&walk.files, &jobs, &cancel, &pool);
        s.spawn(move || {
            pool.install(|| {
                jobs.par_iter().for_each_with(tx, |tx, job| {
                    if !cancel.load(Ordering::Relaxed) {
                        let _ = tx.send(process(job, files, args));
                    }
                })
            })
        });
        for outcome in rx {
            if !sink.take(outcome.records, &outcome.packages, outcome.vars) {
                cancel.store(true, Ordering::Relaxed);
            }
        }
    });
    sink.finish(started, walk.missing.len() as u64)
}

/// Groups files by key: the first file of each group (in input order) is
/// analyzed, the others are reported as its duplicates.
fn plan(keys: Vec<Option<dedup::Key>>) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    let mut by_key: std::collections::HashMap<dedup::Key, usize> = std::collections::HashMap::new();
    for (i, key) in keys.into_iter().enumerate() {
        match key {
            Some(k) => match by_key.get(&k) {
                Some(&j) => jobs[j].copies.push(i),
                None => {
                    by_key.insert(k.clone(), jobs.len());
                    jobs.push(Job { first: i, copies: Vec::new(), key: Some(k) });
                }
            },
            None => jobs.push(Job { first: i, copies: Vec::new(), key: None }),
        }
    }
    jobs
}

/// Analyzes the first file of a job; never panics (a panic in the analysis
/// becomes an `internal` error record).
fn process(job: &Job, files: &[PathBuf], args: &Args) -> Outcome {
    let path = &files[job.first];
    let name = path.display().to_string();
    let size = std::fs::metadata(path).ok().map(|m| m.len());
    // Records carry no type names unless `--full` asks for the whole layout.
    let options = golayout::Options { arch: args.arch.clone(), skip_types: !args.full, ..Default::default() };
    let result = std::panic::catch_unwind(|| golayout::analyze(path, &options));
    let mut out = Outcome { records: Vec::new(), packages: Vec::new(), vars: Vec::new() };
    let layout = match result {
        Ok(Ok(l)) => l,
        Ok(Err(e)) => {
            let go_id = job.key.as_ref().and_then(|k| k.go_build_id()).is_some();
            let mut records = match classify(&e) {
                Ok(kind) => vec![Record::error(name, size, kind, &e.to_string())],
                // A Go build ID but no readable Go tables: a damaged Go binary.
                Err(reason) if go_id && !matches!(e, golayout::Error::Packed(_)) => {
                    vec![Record::error(name, size, ErrorKind::Malformed, &format!("has a Go build ID, but {reason}"))]
                }
                Err(reason) => vec![Record::skipped(name, size, &reason)],
            };
            // Copies of a file that failed fail the same way.
            for &c in &job.copies {
                let mut r = records[0].clone();
                r.path = files[c].display().to_string();
                records.push(r);
            }
            out.records = records;
            return out;
        }
        Err(_) => {
            out.records.push(Record::error(name, size, ErrorKind::Internal, "internal error (panic) in the analysis"));
            return out;
        }
    };
    let summary = Summary::of(&layout, job.key.as_ref().and_then(|k| k.go_build_id()).map(str::to_string));
    if args.summary {
        out.packages =
            layout.packages.iter().filter(|p| p.bytes.writable() > 0).map(|p| (p.package.clone(), p.bytes)).collect();
    }
    if args.top > 0 {
        let mut vars: Vec<&golayout::Variable> = layout.variables.iter().filter(|v| is_writable(v.class)).collect();
        vars.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)));
        out.vars = vars
            .into_iter()
            .take(args.top)
            .map(|v| TopVar {
                name: v.name.clone(),
                package: v.package.clone(),
                class: v.class,
                size: v.size,
                path: name.clone(),
            })
            .collect();
    }
    for &c in &job.copies {
        let mut r = Record::ok(files[c].display().to_string(), size.unwrap_or(0), summary.clone());
        r.duplicate_of = Some(name.clone());
        out.records.push(r);
    }
    let mut first = Record::ok(name, size.unwrap_or(0), summary);
    if args.full {
        first.layout = Some(Box::new(layout));
    }
    out.records.insert(0, first);
    out
}

/// Whether a class is one of the four writable data classes.
fn is_writable(c: golayout::Class) -> bool {
    use golayout::Class;
    matches!(c, Class::Noptrdata | Class::Data | Class::Bss | Class::Noptrbss)
}
