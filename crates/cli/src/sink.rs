//! Where `scan` results go: NDJSON lines streamed to stdout as each file
//! finishes, or held (compact records only) for `--sort`, JSON and tables;
//! counts, progress and notices on stderr, never on stdout.

use std::io::{BufWriter, Stdout, Write};
use std::time::Instant;

use serde::Serialize;

use crate::cmd::scan::{Args, Counts};
use crate::exit;
use crate::fleet::{Fleet, TopVar};
use crate::fmt::OutputFormat;
use crate::progress::Progress;
use crate::scanrec::{ErrorKind, Record, Status};
use crate::walk::Walk;

/// Packages listed by `--summary`.
const SUMMARY_PACKAGES: usize = 10;

/// The printing side of a scan (lives on the main thread).
pub struct Sink<'a> {
    args: &'a Args,
    format: OutputFormat,
    out: BufWriter<Stdout>,
    counts: Counts,
    progress: Progress,
    held: Vec<Record>,
    fleet: Fleet,
    write_failed: bool,
}

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    counts: &'a Counts,
    records: &'a [Record],
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a Fleet>,
}

impl<'a> Sink<'a> {
    /// A sink for `args`, already holding what the walk found.
    pub fn new(args: &'a Args, format: OutputFormat, walk: &Walk) -> Sink<'a> {
        let mut sink = Sink {
            args,
            format,
            out: BufWriter::new(std::io::stdout()),
            counts: Counts { files: (walk.skipped.len() + walk.errors.len()) as u64, ..Counts::default() },
            progress: Progress::bar(walk.files.len() as u64, !args.quiet),
            held: Vec::new(),
            fleet: Fleet::new(args.top),
            write_failed: false,
        };
        for (path, reason) in &walk.skipped {
            sink.record(Record::skipped(path.display().to_string(), None, reason));
        }
        for (path, error) in &walk.errors {
            let message = format!("{}: {error}", path.display());
            sink.record(Record::error(path.display().to_string(), None, ErrorKind::Unreadable, &message));
        }
        sink
    }

    /// Takes the outcome of one job; false when output can no longer be
    /// written (a closed pipe), so the scan should stop.
    pub fn take(
        &mut self,
        records: Vec<Record>,
        packages: &[(String, golayout::ClassBytes)],
        vars: Vec<TopVar>,
    ) -> bool {
        self.counts.files += records.len() as u64;
        self.progress.inc(records.len() as u64);
        if records.first().is_some_and(|r| r.status == Status::Ok) {
            self.counts.analyzed += 1;
        }
        if self.args.summary || self.args.top > 0 {
            self.fleet.add(&records, packages, vars);
        }
        for r in records {
            self.record(r);
        }
        !self.write_failed
    }

    fn record(&mut self, r: Record) {
        match r.status {
            Status::Ok => {
                self.counts.go_binaries += 1;
                self.counts.duplicates += u64::from(r.duplicate_of.is_some());
            }
            Status::Error => {
                self.counts.errors += 1;
                if !self.args.quiet {
                    self.progress.println(&format!("golayout: {}: {}", r.path, r.error.as_deref().unwrap_or("")));
                }
            }
            Status::Skipped => {
                self.counts.skipped += 1;
                if self.args.verbose {
                    self.progress.println(&format!("skipped: {}: {}", r.path, r.reason.as_deref().unwrap_or("")));
                }
                if !self.args.emit_skipped {
                    return;
                }
            }
        }
        if self.format == OutputFormat::Ndjson && !self.args.sort {
            self.line(&r);
            if self.out.flush().is_err() {
                self.write_failed = true;
            }
        } else {
            self.held.push(r);
        }
    }

    fn line(&mut self, r: &Record) {
        if self.write_failed {
            return;
        }
        let ok = serde_json::to_writer(&mut self.out, r).is_ok() && self.out.write_all(b"\n").is_ok();
        self.write_failed |= !ok;
    }

    /// Prints what was held, the counts on stderr; returns the exit code.
    pub fn finish(mut self, started: Instant, missing: u64) -> i32 {
        self.progress.finish();
        self.counts.missing = missing;
        self.fleet.finish(SUMMARY_PACKAGES);
        let mut held = std::mem::take(&mut self.held);
        held.sort_by(|a, b| a.path.cmp(&b.path));
        match self.format {
            OutputFormat::Ndjson => held.iter().for_each(|r| self.line(r)),
            OutputFormat::Json => {
                let doc = Doc {
                    schema_version: golayout::SCHEMA_VERSION,
                    counts: &self.counts,
                    records: &held,
                    summary: (self.args.summary || self.args.top > 0).then_some(&self.fleet),
                };
                let ok = serde_json::to_writer_pretty(&mut self.out, &doc).is_ok() && self.out.write_all(b"\n").is_ok();
                self.write_failed |= !ok;
            }
            f => {
                let text = self.fleet.render(&held, self.args.summary, f);
                self.write_failed |= self.out.write_all(text.as_bytes()).is_err();
            }
        }
        self.write_failed |= self.out.flush().is_err();
        let c = &self.counts;
        if !self.args.quiet {
            eprintln!(
                "golayout: scanned {} files in {:.1} s: {} Go binaries ({} analyzed, {} duplicates), {} skipped, {} errors{}",
                c.files,
                started.elapsed().as_secs_f64(),
                c.go_binaries,
                c.analyzed,
                c.duplicates,
                c.skipped,
                c.errors,
                if c.missing > 0 { format!(", {} missing paths", c.missing) } else { String::new() }
            );
        }
        if c.missing > 0 {
            exit::USAGE_OR_UNREADABLE
        } else if c.errors > 0 {
            exit::BATCH_ERRORS
        } else {
            exit::OK
        }
    }
}
