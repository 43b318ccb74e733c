//! `ngd-verify`: certificates for the implicit regularization of normalized gradient descent.
//!
//! Exit status: 0 every check asked for holds, 1 a check was refuted or an `[expect]` claim
//! failed, 2 bad input or usage, 3 inconclusive within the limits.

mod cli;
mod commands;
mod cpu;
mod input;
mod interrupt;
mod style;
mod typo;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};
use cli::{Cli, Command};
use commands::Output;
use ngd_case::InputError;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // First: on a CPU without AVX2/FMA, exit 2 with a message before any baseline code runs.
    cpu::require_baseline();
    let argv: Vec<OsString> = std::env::args_os().collect();
    let cli = parse(&argv);
    style::set_color_choice(cli.global.color);
    match run(cli) {
        Ok(out) => write_stdout(&out),
        Err(e) => {
            eprint!("{}", e.render());
            ExitCode::from(2)
        }
    }
}

/// The command line, or clap's error and exit status 2 (also for a mistyped subcommand and
/// for flags that do not belong to the subcommand given).
fn parse(argv: &[OsString]) -> Cli {
    let mut cmd = Cli::command();
    if let Some(e) = typo::mistyped_subcommand(&mut cmd, argv) {
        e.exit();
    }
    let matches = cmd
        .try_get_matches_from_mut(argv)
        .unwrap_or_else(|e| e.exit());
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut cmd).exit());
    if let Some(name) = matches.subcommand_name() {
        let given = cli.report.given();
        if !given.is_empty() {
            let msg = format!(
                "{} cannot be used with the subcommand '{name}' (the report's arguments are \
                 `ngd-verify [report] CASE [--max-boxes N] [--cover-boxes N]`)",
                given.join(", ")
            );
            cmd.error(ErrorKind::ArgumentConflict, msg).exit();
        }
        if cli.global.summary && !matches!(name, "report" | "check-identity") {
            let msg = format!(
                "--summary summarises a certificate report (`ngd-verify CASE`, `report`, \
                 `check-identity`), not the output of '{name}'"
            );
            cmd.error(ErrorKind::ArgumentConflict, msg).exit();
        }
    }
    cli
}

/// Runs the command the line asks for.
fn run(cli: Cli) -> Result<Output, InputError> {
    if let Some(n) = cli.global.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| InputError::plain(format!("cannot start {n} threads: {e}"), None))?;
    }
    let g = &cli.global;
    if matches!(
        cli.command,
        None | Some(Command::Report(_) | Command::Run(_))
    ) {
        interrupt::watch()?;
    }
    match cli.command {
        None => commands::report(cli.report, g),
        Some(Command::Report(a)) => commands::report(a, g),
        Some(Command::CheckIdentity(a)) => commands::check_identity(a, g),
        Some(Command::Discover(a)) => commands::discover(a, g),
        Some(Command::Run(a)) => commands::run(a, g),
        Some(Command::Merge(a)) => commands::merge(a, g),
        Some(Command::Recheck(a)) => commands::recheck(a, g),
        Some(Command::Completions(a)) => Ok(commands::completions(a.shell)),
        Some(Command::Man) => Ok(commands::man()),
        Some(Command::Schema(a)) => Ok(commands::schema(&a.output)),
    }
}

/// Writes the output (its status words coloured when stdout takes colour) and exits with its
/// status, or with 128 + the signal's number when a signal stopped the harness.
fn write_stdout(out: &Output) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let text = if out.colourable && style::stdout_takes_color() {
        std::borrow::Cow::Owned(style::highlight(&out.text))
    } else {
        std::borrow::Cow::Borrowed(out.text.as_str())
    };
    // A closed pipe (e.g. `| head`) is not an error of the tool.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    match interrupt::status() {
        Some(status) if out.interrupted => ExitCode::from(status),
        _ => ExitCode::from(out.status),
    }
}
