//! `ngd-verify`: certificates for the implicit regularization of normalized gradient descent.
//!
//! Exit status: 0 every check asked for holds, 1 a check was refuted or an `[expect]` claim
//! failed, 2 bad input or usage, 3 inconclusive within the limits.

use ngd_case as case;
use ngd_report::{harness, render, report};

use clap::{Args, Parser, Subcommand};
use ngd_case::InputError;
use ngd_check::RationalBox;
use ngd_expr::Arena;
use ngd_parse::{expand_variables, parse_expr, parse_rational, Params};
use render::{render, Format};
use report::{build_report, summarize, ClaimInputs};
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
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=case::MAX_BOX_BUDGET as u64))]
    max_boxes: Option<u64>,
    /// Boxes of C4's exact cover of the search box (overrides `[limits] cover_boxes`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=case::MAX_BOX_BUDGET as u64))]
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
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=case::MAX_BOX_BUDGET as u64))]
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
    let summary = summarize(
        &case.arena,
        &case.title,
        &case.name,
        &case.declarations,
        case.objective,
        case.regularizer,
        &case.search_box,
    );
    let claims = ClaimInputs::from_case(&case);
    let cfg = harness::config(&case, &harness::Overrides::default())?;
    let limits = case::Limits {
        max_boxes: args.max_boxes.map_or(case.limits.max_boxes, |v| v as usize),
        cover_boxes: args
            .cover_boxes
            .map_or(case.limits.cover_boxes, |v| v as usize),
    };
    let report = build_report(
        &mut case.arena,
        summary,
        report::Problem {
            f: case.objective,
            phi: case.regularizer,
            bx: &case.search_box,
        },
        claims,
        report::Scope::Full(Some(&cfg)),
        &limits,
    );
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
    let discovery = ngd_discover::discover(&mut case.arena, case.objective, &opts);
    if args.latex {
        return Ok((ngd_discover::latex_derivation(&case.arena, &discovery), 0));
    }
    let minima = ngd_minima::analyse_minima(
        &mut case.arena,
        case.objective,
        None,
        &case.search_box,
        &ngd_minima::MinimaOptions::default(),
    );
    let computed: Vec<Vec<rug::Float>> = minima
        .flat
        .flat_points
        .iter()
        .filter_map(|p| {
            p.point
                .coords
                .iter()
                .map(|c| {
                    rug::Float::parse(c)
                        .ok()
                        .map(|v| rug::Float::with_val(case::FLAT_PRECISION, v))
                })
                .collect::<Option<Vec<_>>>()
        })
        .collect();
    let (flat, source) = if !computed.is_empty() {
        let pts: Vec<String> = minima
            .flat
            .flat_points
            .iter()
            .map(|p| report::point_text(&p.point))
            .collect();
        (
            computed,
            Some(format!("computed by C3: {}", pts.join(", "))),
        )
    } else if let Some(values) = case.flat_minima_values() {
        (
            values,
            Some(
                "claimed by the case's [expect] flat_minima (C3 found no isolated flat point)"
                    .to_string(),
            ),
        )
    } else {
        (Vec::new(), None)
    };
    let (proposal, note) = if source.is_none() {
        (
            None,
            Some(
                "no flat set: C3 is not implemented yet and the case gives no [expect] flat_minima"
                    .to_string(),
            ),
        )
    } else {
        match ngd_discover::propose_regularizer(&mut case.arena, &discovery, &flat) {
            Some(p) => (Some(p), None),
            None => (
                None,
                Some("no conserved quantity is constant on the flat set".to_string()),
            ),
        }
    };
    let summary = summarize(
        &case.arena,
        &case.title,
        &case.name,
        &case.declarations,
        case.objective,
        proposal.as_ref().map(|p| p.phi),
        &case.search_box,
    );
    let cfg = harness::config(&case, &harness::Overrides::default())?;
    let check = match (&proposal, args.check) {
        (Some(p), true) => Some(build_report(
            &mut case.arena,
            summary.clone(),
            report::Problem {
                f: case.objective,
                phi: Some(p.phi),
                bx: &case.search_box,
            },
            ClaimInputs::default(),
            report::Scope::Full(Some(&cfg)),
            &case.limits,
        )),
        _ => None,
    };
    let code = check.as_ref().map_or(0, |r| r.verdict.exit_code as u8);
    let out = report::DiscoverOutput {
        schema_version: report::SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        case: summary,
        discovery,
        flat_set_source: source,
        proposal,
        proposal_note: note,
        check,
    };
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
        record: args.plots.is_some(),
    };
    let cfg = harness::config(&case, &overrides)?;
    let minima = ngd_minima::analyse_minima(
        &mut case.arena,
        case.objective,
        case.regularizer,
        &case.search_box,
        &ngd_minima::MinimaOptions::default(),
    );
    let h = ngd_sim::prepare(&mut case.arena, case.objective, case.regularizer);
    let flat = harness::flat_set(&minima);
    let out = h.run(&cfg, flat.as_deref());
    let mut notes = Vec::new();
    if let Some(dir) = &args.plots {
        for f in harness::write_plots(dir, &h, &out, &minima)? {
            notes.push(format!("plot written: {f}"));
        }
    }
    if shard.is_some() {
        let mut s = serde_json::to_string_pretty(&out).expect("harness report serializes");
        s.push('\n');
        return Ok((s, 0));
    }
    Ok((
        render::render_harness(&out, &case.title, &notes, args.format),
        0,
    ))
}

fn run_merge(args: MergeArgs) -> Result<(String, u8), InputError> {
    let mut shards = Vec::new();
    for path in &args.shards {
        let bytes = case::read_input_file(path, "shard file", MAX_SHARD_BYTES)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            InputError::plain(
                format!(
                    "`{path}` is not a shard file of `run --shard`: not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
                None,
            )
        })?;
        let r: ngd_sim::HarnessReport = serde_json::from_str(&text).map_err(|e| {
            InputError::plain(
                format!("`{path}` is not a shard file of `run --shard`: {e}"),
                None,
            )
        })?;
        shards.push(r);
    }
    let merged = ngd_sim::merge(&shards)
        .map_err(|e| InputError::plain(format!("cannot merge the shards: {e}"), None))?;
    let title = format!("merged from {} shard(s)", shards.len());
    Ok((render::render_harness(&merged, &title, &[], args.format), 0))
}

/// Largest shard file read by `merge`, in bytes (1 GiB).
const MAX_SHARD_BYTES: usize = 1 << 30;

const FUNCTIONS: [&str; 10] = [
    "abs", "exp", "log", "ln", "sqrt", "sign", "max", "min", "sum", "prod",
];

/// The plain identifiers of the sources, in order of first appearance.
fn infer_variables(sources: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for src in sources {
        let b = src.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_alphabetic() || b[i] == b'_' {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let word = &src[start..i];
                let mut j = i;
                while j < b.len() && b[j] == b' ' {
                    j += 1;
                }
                let called = j < b.len() && (b[j] == b'(' || b[j] == b'[');
                let in_number =
                    start > 0 && (b[start - 1].is_ascii_digit() || b[start - 1] == b'.');
                if !called
                    && !in_number
                    && !FUNCTIONS.contains(&word)
                    && !out.iter().any(|w| w == word)
                {
                    out.push(word.to_string());
                }
            } else {
                i += 1;
            }
        }
    }
    out
}

fn check_identity(args: CheckIdentityArgs) -> Result<(String, u8), InputError> {
    let decls = if args.vars.is_empty() {
        infer_variables(&[&args.f, &args.phi])
    } else {
        args.vars.clone()
    };
    if decls.is_empty() {
        return Err(InputError::plain(
            "no variables: f and phi are constants",
            Some("declare variables with --var".into()),
        ));
    }
    let names = expand_variables(&decls)
        .map_err(|(i, e)| InputError::at("--var", &decls[i], e.span, e.message, "here", e.help))?;
    case::check_dimension(names.len())?;
    let r = parse_rational(&args.radius)
        .map_err(|e| InputError::at("--radius", &args.radius, e.span, e.message, "here", e.help))?;
    if r <= 0 {
        return Err(InputError::plain("--radius must be positive", None));
    }
    let mut arena = Arena::new(names);
    let params = Params::new();
    let f = parse_expr(&mut arena, &args.f, &params)
        .map_err(|e| InputError::at("f", &args.f, e.span, e.message, "here", e.help))?;
    let phi = parse_expr(&mut arena, &args.phi, &params)
        .map_err(|e| InputError::at("phi", &args.phi, e.span, e.message, "here", e.help))?;
    let n = arena.n_vars();
    let bx = RationalBox::new(vec![-r.clone(); n], vec![r; n]).expect("r > 0");
    let summary = summarize(
        &arena,
        "check-identity",
        "command line",
        &decls,
        f,
        Some(phi),
        &bx,
    );
    let report = build_report(
        &mut arena,
        summary,
        report::Problem {
            f,
            phi: Some(phi),
            bx: &bx,
        },
        ClaimInputs::default(),
        report::Scope::IdentityOnly,
        &case::Limits {
            max_boxes: args
                .max_boxes
                .map_or(case::Limits::default().max_boxes, |v| v as usize),
            ..case::Limits::default()
        },
    );
    let code = report.verdict.exit_code as u8;
    Ok((render(&report, args.format), code))
}

#[cfg(test)]
mod tests {
    use super::infer_variables;

    #[test]
    fn infers_plain_identifiers_in_order() {
        assert_eq!(
            infer_variables(&["(x*y - 1)^2", "exp(2*y) + z1 + 1e-3"]),
            vec!["x", "y", "z1"]
        );
    }
}
