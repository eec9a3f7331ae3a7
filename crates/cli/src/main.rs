//! The `golayout` command.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod exit;
mod fmt;

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
        Command::Vars(args) => cmd::vars::run(&args),
        Command::Packages(args) => cmd::packages::run(&args),
        Command::Runtime(args) => cmd::runtime::run(&args),
        Command::Funcs(args) => cmd::runtime::run_funcs(&args),
    };
    ExitCode::from(code as u8)
}
