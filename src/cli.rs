//! The command line: the subcommands, their arguments and the global flags (clap), and the
//! checks of argument values that clap does not express (positive finite steps, counts).

use clap::{Args, Parser, Subcommand, ValueEnum};
use ngd_report::render::Format;
use std::path::PathBuf;

/// Help heading of the flags every subcommand accepts.
const GLOBAL: &str = "Global options";

#[derive(Parser)]
#[command(
    name = "ngd-verify",
    version,
    about = "Checks a candidate regularizer phi for normalized gradient descent on an objective f, with exact and interval arithmetic.",
    after_help = "A case file `-` is read from standard input. Exit status: 0 every check asked \
                  for holds, 1 refuted or a claim contradicted, 2 bad input or usage, 3 \
                  inconclusive, 130 / 143 stopped by SIGINT / SIGTERM (the partial result is \
                  written, marked interrupted).",
    override_usage = "ngd-verify [OPTIONS] <CASE>\n       ngd-verify [OPTIONS] <COMMAND>",
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `ngd-verify CASE`: the report, the default command.
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Flags accepted before or after the subcommand.
#[derive(Args)]
pub struct GlobalArgs {
    /// Output format (a shard file of `run --shard` is always JSON).
    #[arg(long, value_enum, default_value = "text", global = true, help_heading = GLOBAL)]
    pub format: Format,
    /// One status line per check (check, evidence, result) instead of the full report (the
    /// report and check-identity).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub summary: bool,
    /// Threads of the NGD harness (default: one per core); the numbers do not depend on it.
    #[arg(long, value_name = "N", value_parser = at_least_one, global = true, help_heading = GLOBAL)]
    pub threads: Option<usize>,
    /// Colour the status words of text output: on a terminal only (auto, the default, also
    /// off when NO_COLOR is set), always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto", global = true, help_heading = GLOBAL)]
    pub color: ColorWhen,
    /// Print the explanations of the rules (the same in every report) once, at the end of
    /// the text or Markdown report, instead of a one-line pointer.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub explain: bool,
    /// Wrap the text and Markdown reports at N columns (default: the terminal's width,
    /// 100 when not a terminal).
    #[arg(long, value_name = "N", value_parser = at_least_one, global = true, help_heading = GLOBAL)]
    pub width: Option<usize>,
}

/// When text output is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always, also into a pipe or a file.
    Always,
    /// Never.
    Never,
}

#[derive(Subcommand)]
pub enum Command {
    /// The certificate report of a case file (the default command).
    Report(ReportArgs),
    /// Is phi conserved by the gradient flow of f? No case file needed.
    CheckIdentity(CheckIdentityArgs),
    /// Conserved quantities of the gradient flow of f, and a proposed regularizer.
    Discover(DiscoverArgs),
    /// Only the NGD harness: seeded multistart NGD and the GD baseline.
    Run(RunArgs),
    /// Combines shard files written by `run --shard K/N` into one summary.
    Merge(MergeArgs),
    /// Re-verifies every exact claim of a JSON report (identities, witnesses, SOS
    /// certificates) without running any search.
    Recheck(RecheckArgs),
    /// Prints a shell completion script, e.g. `ngd-verify completions bash >
    /// ~/.local/share/bash-completion/completions/ngd-verify`.
    Completions(CompletionsArgs),
    /// Prints the manual page (roff), e.g. `ngd-verify man | man -l -`.
    Man,
    /// Prints the JSON Schema of a JSON output (`report`, `identity`, `discover`, `run`,
    /// `recheck`, `summary`), the same files as docs/schema/.
    Schema(SchemaArgs),
}

#[derive(Args)]
pub struct RecheckArgs {
    /// A report written with `--format json`, or `-` for standard input.
    pub report: String,
}

#[derive(Args)]
pub struct RunArgs {
    /// The case file, or `-` for standard input.
    pub case: String,
    /// Number of starts, >= 1 (default: the case's `[ngd] starts`).
    #[arg(long)]
    pub starts: Option<u64>,
    /// Steps per run, >= 1.
    #[arg(long)]
    pub iterations: Option<u64>,
    /// Seed of the starts and of the subdifferential rule.
    #[arg(long)]
    pub seed: Option<u64>,
    /// First step size a0 > 0 of a_k = a0/(k+1)^power.
    #[arg(long, allow_negative_numbers = true, value_parser = positive_finite)]
    pub a0: Option<f64>,
    /// Decay power >= 0 of the steps.
    #[arg(long, allow_negative_numbers = true, value_parser = nonnegative_finite)]
    pub power: Option<f64>,
    /// Re-run the tail of each run in MPFR with this many bits and report disagreements.
    #[arg(long)]
    pub precision: Option<u32>,
    /// Run only the K-th of N slices of the starts (1-based) and print its JSON shard file.
    #[arg(long)]
    pub shard: Option<String>,
    /// Write the figures (trajectories over the level sets and M, f and phi along the runs,
    /// distance to the flat set, NGD vs GD, Q along M) as SVG, PNG and PDF into this folder
    /// (created if missing; checked before the runs).
    #[arg(long)]
    pub plots: Option<PathBuf>,
}

#[derive(Args)]
pub struct MergeArgs {
    /// Shard files written by `run --shard K/N`.
    #[arg(required = true)]
    pub shards: Vec<String>,
    /// Write the figures of the merged runs (f and phi along the runs, distance to the flat
    /// set, NGD vs GD) into this folder; the shards must have been run with `--plots` so that
    /// they hold trajectories.
    #[arg(long)]
    pub plots: Option<PathBuf>,
}

#[derive(Args)]
pub struct DiscoverArgs {
    /// The case file, or `-` for standard input; its `regularizer` is not needed.
    pub case: String,
    /// Degree bound of the ansatz.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=12))]
    pub degree: u32,
    /// Also search Laurent monomials (negative exponents), e.g. 1/x - 1/y.
    #[arg(long)]
    pub laurent: bool,
    /// Also search monomials times exp(l(x)) for small integer linear forms l.
    #[arg(long)]
    pub exp: bool,
    /// Print LaTeX to paste into a proof (amsmath only): the identities <grad g, grad psi> = 0
    /// with their derivation, laws in matrix form, the proposed phi.
    #[arg(long)]
    pub latex: bool,
    /// Run the full certificate on the proposed regularizer.
    #[arg(long)]
    pub check: bool,
    /// Seed of the random points of the completeness test.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args)]
pub struct ReportArgs {
    /// The case file (TOML), e.g. cases/cubic.case, or `-` for standard input.
    #[arg(required = true)]
    pub case: Option<String>,
    /// Boxes of C1's branch and bound for <grad f, grad phi> >= 0 (overrides `[limits] max_boxes`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=ngd_case::MAX_BOX_BUDGET as u64))]
    pub max_boxes: Option<u64>,
    /// Boxes of C4's exact cover of the search box (overrides `[limits] cover_boxes`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=ngd_case::MAX_BOX_BUDGET as u64))]
    pub cover_boxes: Option<u64>,
    /// Write the report's figures (M coloured by the sign of Q, S, flat points, poles, the
    /// trajectories of the harness, Q along M, ...) as SVG, PNG and PDF into this folder;
    /// the paths are listed on stderr.
    #[arg(long)]
    pub plots: Option<PathBuf>,
}

impl ReportArgs {
    /// The flags given, by name (for the message when they come with a subcommand).
    pub fn given(&self) -> Vec<&'static str> {
        let mut given = Vec::new();
        if self.case.is_some() {
            given.push("<CASE>");
        }
        if self.max_boxes.is_some() {
            given.push("--max-boxes");
        }
        if self.cover_boxes.is_some() {
            given.push("--cover-boxes");
        }
        if self.plots.is_some() {
            given.push("--plots");
        }
        given
    }
}

#[derive(Args)]
pub struct CheckIdentityArgs {
    /// The objective f, e.g. '(x*y - 1)^2'.
    pub f: String,
    /// The candidate phi, e.g. '(x^2 - y^2)^2'.
    pub phi: String,
    /// Variable declarations (e.g. `--var x --var y`, or `--var 'X[2,2]'`); by default the
    /// plain identifiers of f and phi in order of appearance.
    #[arg(long = "var")]
    pub vars: Vec<String>,
    /// Half-width r of the search box [-r, r]^n for the sign check.
    #[arg(long, default_value = "3")]
    pub radius: String,
    /// Boxes of the branch and bound for <grad f, grad phi> >= 0.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=ngd_case::MAX_BOX_BUDGET as u64))]
    pub max_boxes: Option<u64>,
}

#[derive(Args)]
pub struct SchemaArgs {
    /// Which output: report, identity, discover, run (also shards and merge), recheck, summary.
    #[arg(value_parser = ["report", "identity", "discover", "run", "recheck", "summary"])]
    pub output: String,
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// A thread count: an integer >= 1.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be >= 1 (a number of threads)".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("not a whole number >= 1 ({e})")),
    }
}

/// A float that is finite and > 0 (`--a0`).
fn positive_finite(s: &str) -> Result<f64, String> {
    let v = parse_float(s)?;
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(format!("must be a positive finite number (> 0), got {v}"))
    }
}

/// A float that is finite and >= 0 (`--power`).
fn nonnegative_finite(s: &str) -> Result<f64, String> {
    let v = parse_float(s)?;
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("must be a finite number >= 0, got {v}"))
    }
}

fn parse_float(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .map_err(|_| format!("not a number: `{s}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn step_values_are_checked() {
        assert_eq!(positive_finite("0.5"), Ok(0.5));
        for bad in ["0", "-1", "nan", "inf", "-0"] {
            assert!(positive_finite(bad).is_err(), "{bad}");
        }
        assert_eq!(nonnegative_finite("0"), Ok(0.0));
        for bad in ["-0.5", "nan", "-inf", "x"] {
            assert!(nonnegative_finite(bad).is_err(), "{bad}");
        }
        assert!(at_least_one("0").is_err());
        assert_eq!(at_least_one("3"), Ok(3));
    }
}
