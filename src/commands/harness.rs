//! `run` (the NGD harness alone, whole or one shard) and `merge` (shards into one report).
//! Everything that can be refused is refused before the runs: the counts, the case, the
//! harness settings, then the plot folder.

use super::Output;
use crate::cli::{GlobalArgs, MergeArgs, RunArgs};
use crate::{input, interrupt};
use ngd_case::InputError;
use ngd_report::{harness, render};
use std::path::Path;

/// `ngd-verify run CASE`.
pub fn run(args: RunArgs, global: &GlobalArgs) -> Result<Output, InputError> {
    check_count("--starts", args.starts, ngd_sim::MAX_STARTS, "starts")?;
    check_count(
        "--iterations",
        args.iterations,
        ngd_sim::MAX_ITERATIONS,
        "iterations",
    )?;
    let shard = match &args.shard {
        Some(s) => Some(harness::parse_shard(s).map_err(|e| InputError::plain(e, None))?),
        None => None,
    };
    let mut case = input::load_case(&args.case)?;
    let overrides = harness::Overrides {
        starts: args.starts,
        iterations: args.iterations,
        seed: args.seed,
        a0: args.a0,
        power: args.power,
        precision: args.precision,
        shard,
        record: args.plots.is_some(),
        interrupt: Some(&interrupt::STOP),
    };
    harness::config(&case, &overrides)?;
    if let Some(dir) = &args.plots {
        prepare_plot_dir(dir)?;
    }
    let run = harness::run_case(&mut case, &overrides, args.plots.as_deref())?;
    if shard.is_some() {
        return Ok(Output {
            text: harness::RunOutput::new(&case.title, &run.report).to_json(),
            status: 0,
            colourable: false,
            interrupted: run.report.interrupted,
        });
    }
    let text = render::render_harness(&run.report, &case.title, &run.plots, global.format);
    let mut out = Output::rendered(text, 0, global.format);
    out.interrupted = run.report.interrupted;
    Ok(out)
}

/// `ngd-verify merge SHARD...`.
pub fn merge(args: MergeArgs, global: &GlobalArgs) -> Result<Output, InputError> {
    let merged = harness::merge_shard_files(&args.shards)?;
    let title = merged
        .title
        .clone()
        .unwrap_or_else(|| format!("merged from {} shard(s)", args.shards.len()));
    let mut notes = Vec::new();
    if let Some(dir) = &args.plots {
        prepare_plot_dir(dir)?;
        let mut data = ngd_report::figures::merged_figures(&merged.report);
        data.title = title.clone();
        notes = harness::plot_lines(&ngd_report::figures::write_figures(dir, &data)?);
    }
    let text = render::render_harness(&merged.report, &title, &notes, global.format);
    Ok(Output::rendered(text, 0, global.format))
}

/// Refuses a count flag outside `1..=max` (a resource limit of the harness); `what` names
/// the unit, e.g. "starts".
fn check_count(flag: &str, v: Option<u64>, max: u64, what: &str) -> Result<(), InputError> {
    match v {
        Some(0) => Err(InputError::plain(
            format!("{flag} must be a positive integer (>= 1), got 0"),
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

/// Creates the plot folder `dir` (with its parents) when missing and checks that a file can
/// be created in it, so that a bad `--plots` fails before the runs, not after them.
pub(super) fn prepare_plot_dir(dir: &Path) -> Result<(), InputError> {
    let refuse = |why: String| {
        InputError::plain(
            format!("cannot write plots into `{}`: {why}", dir.display()),
            Some("give --plots a folder that exists or can be created, and is writable".into()),
        )
    };
    if dir.exists() && !dir.is_dir() {
        return Err(refuse("it exists and is not a folder".into()));
    }
    std::fs::create_dir_all(dir).map_err(|e| refuse(e.to_string()))?;
    // Permission bits do not tell (ACLs, read-only mounts, root): try it.
    let probe = dir.join(format!(".ngd-verify-write-test-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|e| refuse(e.to_string()))?;
    std::fs::remove_file(&probe).map_err(|e| refuse(e.to_string()))
}
