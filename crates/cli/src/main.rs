//! The `golayout` command.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod dedup;
mod exit;
mod fleet;
mod fmt;
mod progress;
mod scanrec;
mod sink;
mod term;
mod walk;

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  check: a budget rule was broken
  2  usage error, or an input could not be read (missing, a directory, no permission)
  3  an input is not a Go binary golayout reads (not ELF/Mach-O/PE, or no Go metadata)
  4  an input is a malformed or truncated binary
  5  scan: finished, but some files had errors";

/// Reads compiled Go binaries without running them and tells where everything landed.
#[derive(Parser)]
#[command(name = "golayout", version, about, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Summary of one binary: format, arch, Go version, module, build settings, section map.
    #[command(
        after_help = "Examples:\n  golayout info ./app\n  golayout info --json ./app | jq .go.version\n  golayout info --arch arm64 ./universal-app"
    )]
    Info(cmd::info::Args),
    /// Package-level variables: section, class, size, file bytes, pointer words, package.
    #[command(
        after_help = "Examples:\n  golayout vars ./app\n  golayout vars --class bss --min-size 4096 ./app\n  golayout vars --package example.com/app/internal/store --sort addr ./app\n  golayout vars --format csv ./app > vars.csv"
    )]
    Vars(cmd::vars::Args),
    /// Bytes per package and class (data, noptrdata, bss, noptrbss, rodata), file bytes, pointer words, function text.
    #[command(
        after_help = "Examples:\n  golayout packages ./app\n  golayout packages --limit 20 --format markdown ./app"
    )]
    Packages(cmd::packages::Args),
    /// The Go runtime's tables: pclntab, moduledata bounds, runtime symbols, per-package text.
    #[command(
        after_help = "Examples:\n  golayout runtime ./app\n  golayout runtime --json ./stripped-app | jq .runtime.moduledata"
    )]
    Runtime(cmd::runtime::Args),
    /// Functions from the pclntab (works on stripped binaries).
    #[command(after_help = "Examples:\n  golayout funcs ./app\n  golayout funcs --package main --format ndjson ./app")]
    Funcs(cmd::runtime::FuncsArgs),
    /// Scan files and directories in parallel: one NDJSON record per Go binary, streamed.
    #[command(after_help = cmd::scan::EXAMPLES)]
    Scan(cmd::scan::Args),
    /// Compare two builds (binaries or saved layouts): deltas per class, section, package and variable.
    #[command(
        after_help = "Examples:\n  golayout diff ./app-v1 ./app-v2\n  golayout diff --threshold 1024 --format markdown release.json ./app\n  golayout diff --json old.json new.json | jq '.variables[] | select(.change == \"moved_class\")'"
    )]
    Diff(cmd::diff::Args),
    /// Save the full layout (variables included) as JSON, to diff or check against later.
    #[command(
        after_help = "Examples:\n  golayout save ./app -o release-1.4.json\n  golayout diff release-1.4.json ./app"
    )]
    Save(cmd::diff::SaveArgs),
    /// Hold a build to a budget (TOML); exit 1 when a rule is broken.
    #[command(
        after_help = "Examples:\n  golayout check ./app --budget budget.toml\n  golayout check ./app --budget budget.toml --baseline release.json --format markdown >> \"$GITHUB_STEP_SUMMARY\""
    )]
    Check(cmd::check::Args),
    /// Write a self-contained HTML treemap of one build, or of a diff against a baseline.
    #[command(
        after_help = "Examples:\n  golayout report ./app -o report.html\n  golayout report --baseline ./app-v1 ./app-v2 -o diff.html"
    )]
    Report(cmd::report::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  golayout completions bash > /etc/bash_completion.d/golayout\n  golayout completions zsh > \"${fpath[1]}/_golayout\"\n  golayout completions fish > ~/.config/fish/completions/golayout.fish"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE_OR_UNREADABLE } else { exit::OK };
            let _ = e.print();
            return ExitCode::from(code as u8);
        }
    };
    let code = match cli.command {
        Command::Info(args) => cmd::info::run(&args),
        Command::Vars(args) => {
            progress::set_quiet(args.quiet);
            cmd::vars::run(&args)
        }
        Command::Packages(args) => {
            progress::set_quiet(args.quiet);
            cmd::packages::run(&args)
        }
        Command::Runtime(args) => {
            progress::set_quiet(args.quiet);
            cmd::runtime::run(&args)
        }
        Command::Funcs(args) => {
            progress::set_quiet(args.quiet);
            cmd::runtime::run_funcs(&args)
        }
        Command::Scan(args) => cmd::scan::run(&args),
        Command::Diff(args) => cmd::diff::run(&args),
        Command::Save(args) => cmd::diff::run_save(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Report(args) => {
            progress::set_quiet(args.quiet);
            cmd::report::run(&args)
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "golayout", &mut std::io::stdout());
            exit::OK
        }
    };
    ExitCode::from(code as u8)
}
