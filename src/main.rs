//! `ngd-verify`: certificates for the implicit regularization of normalized gradient descent.
//!
//! Exit status: 0 every check asked for holds, 1 a check was refuted or an `[expect]` claim
//! failed, 2 bad input or usage, 3 inconclusive within the limits.

use ngd_case as case;
use ngd_report::{discovery, harness, identity, render};

use clap::{Args, Parser, Subcommand};
use ngd_case::InputError;
use render::{render, Format};
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ngd-verify",
    version,
    about = "Checks a candidate regularizer phi for normalized gradient descent on an objective f, with exact and interval arithmetic.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Subcommand)]
enum Command {
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
}

#[derive(Args)]
struct RecheckArgs {
    /// A report written with `--format json`.
    report: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
struct RunArgs {
    /// The case file.
    case: String,
    /// Number of starts (default: the case's `[ngd] starts`).
    #[arg(long)]
    starts: Option<u64>,
    /// Steps per run.
    #[arg(long)]
    iterations: Option<u64>,
    /// Seed of the starts and of the subdifferential rule.
    #[arg(long)]
    seed: Option<u64>,
    /// First step size a0 of a_k = a0/(k+1)^power.
    #[arg(long)]
    a0: Option<f64>,
    /// Decay power of the steps.
    #[arg(long)]
    power: Option<f64>,
    /// Re-run the tail of each run in MPFR with this many bits and report disagreements.
    #[arg(long)]
    precision: Option<u32>,
    /// Run only the K-th of N slices of the starts (1-based) and print its JSON shard file.
    #[arg(long)]
    shard: Option<String>,
    /// Write SVG plots (trajectories over level sets, f and phi against k) into this folder.
    #[arg(long)]
    plots: Option<std::path::PathBuf>,
    /// Output format (a shard is always JSON).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
struct MergeArgs {
    /// Shard files written by `run --shard K/N`.
    #[arg(required = true)]
    shards: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
struct DiscoverArgs {
    /// The case file; its `regularizer` is not needed.
    case: String,
    /// Degree bound of the ansatz.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=12))]
    degree: u32,
    /// Also search Laurent monomials (negative exponents), e.g. 1/x - 1/y.
    #[arg(long)]
    laurent: bool,
    /// Also search monomials times exp(l(x)) for small integer linear forms l.
    #[arg(long)]
    exp: bool,
    /// Print the identities <grad g, grad psi> = 0 with their derivation as LaTeX.
    #[arg(long)]
    latex: bool,
    /// Run the full certificate on the proposed regularizer.
    #[arg(long)]
    check: bool,
    /// Seed of the random points of the completeness test.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
struct ReportArgs {
    /// The case file (TOML), e.g. cases/cubic.case.
    #[arg(required = true)]
    case: Option<String>,
    /// Boxes of C1's branch and bound for <grad f, grad phi> >= 0 (overrides `[limits] max_boxes`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=ngd_case::MAX_BOX_BUDGET as u64))]
    max_boxes: Option<u64>,
    /// Boxes of C4's exact cover of the search box (overrides `[limits] cover_boxes`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=ngd_case::MAX_BOX_BUDGET as u64))]
    cover_boxes: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
struct CheckIdentityArgs {
    /// The objective f, e.g. '(x*y - 1)^2'.
    f: String,
    /// The candidate phi, e.g. '(x^2 - y^2)^2'.
    phi: String,
    /// Variable declarations (e.g. `--var x --var y`, or `--var 'X[2,2]'`); by default the
    /// plain identifiers of f and phi in order of appearance.
    #[arg(long = "var")]
    vars: Vec<String>,
    /// Half-width r of the search box [-r, r]^n for the sign check.
    #[arg(long, default_value = "3")]
    radius: String,
    /// Boxes of the branch and bound for <grad f, grad phi> >= 0.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=ngd_case::MAX_BOX_BUDGET as u64))]
    max_boxes: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::CheckIdentity(a)) => check_identity(a),
        Some(Command::Report(a)) => run_report(a),
        Some(Command::Discover(a)) => run_discover(a),
        Some(Command::Run(a)) => run_harness(a),
        Some(Command::Merge(a)) => run_merge(a),
        Some(Command::Recheck(a)) => run_recheck(a),
        None => run_report(cli.report),
    };
    match result {
        Ok((text, code)) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error of the tool.
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            ExitCode::from(code)
        }
        Err(e) => {
            eprint!("{}", e.render());
            ExitCode::from(2)
        }
    }
}

fn run_report(args: ReportArgs) -> Result<(String, u8), InputError> {
    let path = args.case.expect("clap requires the case");
    let mut case = case::load_case(&path)?;
    let limits = case::Limits {
        max_boxes: args.max_boxes.map_or(case.limits.max_boxes, |v| v as usize),
        cover_boxes: args
            .cover_boxes
            .map_or(case.limits.cover_boxes, |v| v as usize),
    };
    let report = ngd_report::case_report(&mut case, &limits)?;
    let code = report.verdict.exit_code as u8;
    Ok((render(&report, args.format), code))
}

fn run_discover(args: DiscoverArgs) -> Result<(String, u8), InputError> {
    let mut case = case::load_case(&args.case)?;
    let opts = ngd_discover::DiscoverOptions {
        degree: args.degree,
        laurent: args.laurent,
        exp: args.exp,
        seed: args.seed,
        ..ngd_discover::DiscoverOptions::default()
    };
    if args.latex {
        let discovery = ngd_discover::discover(&mut case.arena, case.objective, &opts);
        return Ok((render::latex_derivation(&case.arena, &discovery), 0));
    }
    let out = discovery::discover_case(&mut case, &opts, args.check)?;
    let code = out.check.as_ref().map_or(0, |r| r.verdict.exit_code as u8);
    Ok((render::render_discovery(&out, args.format), code))
}

/// Refuses a count flag outside `1..=max` (a resource limit of the harness); `what` names
/// the unit, e.g. "starts".
fn check_count(flag: &str, v: Option<u64>, max: u64, what: &str) -> Result<(), InputError> {
    match v {
        Some(0) => Err(InputError::plain(
            format!("{flag} must be a positive integer, got 0"),
            None,
        )),
        Some(x) if x > max => Err(InputError::plain(
            format!("{flag} {x} is above the limit of {max} {what}"),
            Some(format!(
                "the NGD harness accepts at most {max} {what} (a fixed limit that bounds its time and memory)"
            )),
        )),
        _ => Ok(()),
    }
}

fn run_harness(args: RunArgs) -> Result<(String, u8), InputError> {
    check_count("--starts", args.starts, ngd_sim::MAX_STARTS, "starts")?;
    check_count(
        "--iterations",
        args.iterations,
        ngd_sim::MAX_ITERATIONS,
        "iterations",
    )?;
    let mut case = case::load_case(&args.case)?;
    let shard = match &args.shard {
        Some(s) => Some(harness::parse_shard(s).map_err(|e| InputError::plain(e, None))?),
        None => None,
    };
    let overrides = harness::Overrides {
        starts: args.starts,
        iterations: args.iterations,
        seed: args.seed,
        a0: args.a0,
        power: args.power,
        precision: args.precision,
        shard,
        record: false,
    };
    let run = harness::run_case(&mut case, &overrides, args.plots.as_deref())?;
    if shard.is_some() {
        let mut s = serde_json::to_string_pretty(&run.report).expect("harness report serializes");
        s.push('\n');
        return Ok((s, 0));
    }
    let notes: Vec<String> = run
        .plots
        .iter()
        .map(|f| format!("plot written: {f}"))
        .collect();
    Ok((
        render::render_harness(&run.report, &case.title, &notes, args.format),
        0,
    ))
}

fn run_merge(args: MergeArgs) -> Result<(String, u8), InputError> {
    let merged = harness::merge_shards(&args.shards)?;
    let title = format!("merged from {} shard(s)", args.shards.len());
    Ok((render::render_harness(&merged, &title, &[], args.format), 0))
}

/// Largest report read by `recheck`, in bytes (1 GiB).
const MAX_REPORT_BYTES: usize = 1 << 30;

fn run_recheck(args: RecheckArgs) -> Result<(String, u8), InputError> {
    let bytes = case::read_input_file(&args.report, "report", MAX_REPORT_BYTES)?;
    let not_a_report = |why: String| {
        InputError::plain(
            format!(
                "`{}` is not a JSON report of ngd-verify: {why}",
                args.report
            ),
            Some("write one with `ngd-verify CASE --format json > report.json`".into()),
        )
    };
    let json: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| not_a_report(e.to_string()))?;
    let checked = ngd_recheck::recheck(&json).map_err(|e| not_a_report(e.0))?;
    let code = if checked.all_hold() { 0 } else { 1 };
    Ok((
        render::render_recheck(&checked, &args.report, args.format),
        code,
    ))
}

fn check_identity(args: CheckIdentityArgs) -> Result<(String, u8), InputError> {
    let report = identity::identity_report(&identity::IdentityRequest {
        f: args.f,
        phi: args.phi,
        vars: args.vars,
        radius: args.radius,
        max_boxes: args.max_boxes.map(|v| v as usize),
    })?;
    let code = report.verdict.exit_code as u8;
    Ok((render(&report, args.format), code))
}
