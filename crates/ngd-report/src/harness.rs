//! Glue between a case and the NGD harness (`ngd-sim`): the configuration from the case and
//! the command line, the flat set from C3, and the SVG plots (`ngd-plot`).

use crate::report::{SCHEMA_VERSION, TOOL_VERSION};
use ngd_case::{Case, InputError};
use ngd_minima::MinimaReport;
use ngd_sim::{HarnessConfig, HarnessReport, Schedule};
use serde::{Deserialize, Serialize};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// The JSON output of `run`, of a shard of `run --shard K/N` and of `merge`: the envelope
/// (schema version, tool version, case title) and the harness report's fields.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RunOutput<'a> {
    /// JSON schema version ([`SCHEMA_VERSION`]).
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The ngd-verify version that wrote it.
    pub tool_version: &'static str,
    /// The case title (kept by `merge`).
    pub title: &'a str,
    /// The harness report.
    #[serde(flatten)]
    pub harness: &'a HarnessReport,
}

impl<'a> RunOutput<'a> {
    /// The output of the harness report `harness` of the case titled `title`.
    pub fn new(title: &'a str, harness: &'a HarnessReport) -> RunOutput<'a> {
        RunOutput {
            schema_version: SCHEMA_VERSION,
            tool_version: TOOL_VERSION,
            title,
            harness,
        }
    }

    /// The pretty-printed JSON (with a final newline), as `run --format json`, a shard file and
    /// `merge --format json` write it.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("harness report serializes");
        s.push('\n');
        s
    }
}

/// Command-line overrides of the case's `[ngd]` section.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--starts`.
    pub starts: Option<u64>,
    /// `--iterations`.
    pub iterations: Option<u64>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--a0`.
    pub a0: Option<f64>,
    /// `--power`.
    pub power: Option<f64>,
    /// `--precision`: MPFR re-run of the tail.
    pub precision: Option<u32>,
    /// `--shard K/N` (1-based K on the command line, 0-based here).
    pub shard: Option<(u64, u64)>,
    /// Record trajectories (for plots).
    pub record: bool,
    /// Stops the harness early once set (by a signal handler, say): the runs finished by
    /// then are reported, marked `interrupted` (see `ngd_sim::Harness::run_interruptible`).
    pub interrupt: Option<&'static AtomicBool>,
}

/// Parses `K/N` with `1 <= K <= N` into the harness's 0-based `(K-1, N)`.
pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("--shard expects K/N, e.g. 2/8, got `{s}`"))?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("bad shard index `{k}`"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("bad shard count `{n}`"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("--shard K/N needs 1 <= K <= N, got {k}/{n}"));
    }
    Ok((k - 1, n))
}

/// The harness configuration of a case, with overrides applied and validated.
pub fn config(case: &Case, o: &Overrides) -> Result<HarnessConfig, InputError> {
    let n = &case.ngd;
    let cfg = HarnessConfig {
        schedule: Schedule {
            a0: o.a0.unwrap_or(n.a0),
            power: o.power.unwrap_or(n.power),
        },
        iterations: o.iterations.unwrap_or(n.iterations),
        starts: o.starts.unwrap_or(n.starts),
        seed: o.seed.unwrap_or(n.seed),
        start_box: n
            .start_box
            .lo
            .iter()
            .zip(&n.start_box.hi)
            .map(|(a, b)| (a.to_f64(), b.to_f64()))
            .collect(),
        precision_bits: o.precision,
        shard: o.shard,
        record_every: o.record.then_some(1000),
        progress: std::io::stderr().is_terminal(),
        ..HarnessConfig::default()
    };
    cfg.validate(case.arena.n_vars())
        .map_err(|e| InputError::plain(format!("invalid NGD settings: {e}"), None))?;
    Ok(cfg)
}

/// A bounded sample of the flat set found by C3, as floats: its isolated points and at most
/// 64 samples per component of positive dimension (`None` when C3 found none). Distances
/// to it are upper bounds of the distances to the flat set.
pub fn flat_set(minima: &MinimaReport) -> Option<Vec<Vec<f64>>> {
    let pts = ngd_minima::flat_set_sample(minima);
    (!pts.is_empty()).then_some(pts)
}

/// Runs the harness with distances to the flat set of C3: to its sample, and for components
/// of positive dimension described by equations, by projection onto them
/// (`flat_projection`). The harness stops early once `interrupt` is set.
pub fn run_against_flat_set(
    arena: &mut ngd_expr::Arena,
    h: &ngd_sim::Harness,
    cfg: &ngd_sim::HarnessConfig,
    minima: &MinimaReport,
    bx: &ngd_check::RationalBox,
    interrupt: Option<&AtomicBool>,
) -> HarnessReport {
    let flat = flat_set(minima);
    let mut report = h.run_interruptible(cfg, flat.as_deref(), interrupt);
    let projections = crate::flat_projection::FlatProjections::new(arena, minima, bx);
    if !projections.is_empty() {
        report.refine_flat_distances(|x| projections.distance(x));
    }
    report
}

/// Writes the figures of a harness run into `dir` (SVG, PNG and PDF of each); returns one line
/// per file written, then one per figure that could not be drawn, with the reason.
pub fn write_plots(
    dir: &Path,
    case: &mut Case,
    report: &HarnessReport,
    minima: &MinimaReport,
) -> Result<Vec<String>, InputError> {
    let data = crate::figures::run_figures(case, minima, report);
    let written = crate::figures::write_figures(dir, &data)?;
    Ok(plot_lines(&written))
}

/// The lines a command prints about the figures it wrote or skipped.
pub fn plot_lines(written: &ngd_plot::Written) -> Vec<String> {
    let files = written
        .files
        .iter()
        .map(|p| format!("plot written: {}", p.display()));
    let skipped = written
        .skipped
        .iter()
        .map(|(stem, why)| format!("figure {stem} not drawn: {why}"));
    files.chain(skipped).collect()
}

/// The result of `run`: the harness report and the plot files written.
pub struct CaseRun {
    /// Every run's outcome, the summary and the configuration.
    pub report: HarnessReport,
    /// Paths of the plots written (empty without a plot folder).
    pub plots: Vec<String>,
}

/// Runs the NGD harness of `case` with the overrides; with `plots`, records trajectories and
/// writes the SVG plots into that folder.
pub fn run_case(
    case: &mut Case,
    overrides: &Overrides,
    plots: Option<&Path>,
) -> Result<CaseRun, InputError> {
    let overrides = Overrides {
        record: overrides.record || plots.is_some(),
        ..overrides.clone()
    };
    let cfg = config(case, &overrides)?;
    let minima = ngd_minima::analyse_minima(
        &mut case.arena,
        case.objective,
        case.regularizer,
        &case.search_box,
        &ngd_minima::MinimaOptions::default(),
    );
    let h = ngd_sim::prepare(&mut case.arena, case.objective, case.regularizer);
    let report = run_against_flat_set(
        &mut case.arena,
        &h,
        &cfg,
        &minima,
        &case.search_box,
        overrides.interrupt,
    );
    let plots = match plots {
        Some(dir) => write_plots(dir, case, &report, &minima)?,
        None => Vec::new(),
    };
    Ok(CaseRun { report, plots })
}

/// Largest shard file read by `merge`, in bytes (1 GiB).
pub const MAX_SHARD_BYTES: usize = 1 << 30;

/// Shard files merged: the case title they share and the merged harness report.
#[derive(Clone, Debug)]
pub struct MergedRun {
    /// The title of the shards' case (`None` for shard files written before schema version
    /// 4, which have none).
    pub title: Option<String>,
    /// The merged report: the same runs and numbers as the unsharded run.
    pub report: HarnessReport,
}

/// Reads the shard files written by `run --shard K/N` and merges them into one harness report
/// (see [`merge_shard_files`], which also gives the case title).
pub fn merge_shards(paths: &[String]) -> Result<HarnessReport, InputError> {
    merge_shard_files(paths).map(|m| m.report)
}

/// Reads the shard files written by `run --shard K/N` and merges them. An unreadable,
/// non-UTF-8 or malformed file is an input error naming the file; so are shards of different
/// cases (titles), and missing, duplicated or inconsistent shards (named by their files).
pub fn merge_shard_files(paths: &[String]) -> Result<MergedRun, InputError> {
    let shards = paths
        .iter()
        .map(|p| read_shard(p))
        .collect::<Result<Vec<_>, _>>()?;
    let cannot = |why: String| InputError::plain(format!("cannot merge the shards: {why}"), None);
    let title = shards.first().and_then(|s| s.title.clone());
    if let Some(i) = shards.iter().position(|s| s.title != title) {
        let show = |t: &Option<String>| {
            t.as_deref()
                .map_or("(none)".to_string(), |t| format!("`{t}`"))
        };
        return Err(cannot(format!(
            "`{}` is of the case {} and `{}` of the case {}",
            paths[0],
            show(&title),
            paths[i],
            show(&shards[i].title)
        )));
    }
    let reports: Vec<HarnessReport> = shards.into_iter().map(|s| s.report).collect();
    let report =
        ngd_sim::merge(&reports).map_err(|e| cannot(e.describe(|i| format!("`{}`", paths[i]))))?;
    Ok(MergedRun { title, report })
}

/// The envelope of a shard file (absent from files written before schema version 4).
#[derive(Deserialize)]
struct ShardEnvelope {
    schema_version: Option<u32>,
    title: Option<String>,
}

/// One shard file, parsed: its title and harness report.
struct ShardFile {
    title: Option<String>,
    report: HarnessReport,
}

/// One shard file, parsed.
fn read_shard(path: &str) -> Result<ShardFile, InputError> {
    let not_a_shard = |why: String| {
        InputError::plain(
            format!("`{path}` is not a shard file of `run --shard`: {why}"),
            None,
        )
    };
    let bytes = ngd_case::read_input_file(path, "shard file", MAX_SHARD_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        not_a_shard(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    // Two passes over the text rather than `#[serde(flatten)]`, which would buffer a file of
    // up to a gigabyte in memory.
    let envelope: ShardEnvelope =
        serde_json::from_str(&text).map_err(|e| not_a_shard(e.to_string()))?;
    if let Some(v) = envelope.schema_version.filter(|&v| v > SCHEMA_VERSION) {
        return Err(not_a_shard(format!(
            "it has schema version {v}, this ngd-verify ({TOOL_VERSION}) reads up to {SCHEMA_VERSION}"
        )));
    }
    let report = serde_json::from_str(&text).map_err(|e| not_a_shard(e.to_string()))?;
    Ok(ShardFile {
        title: envelope.title,
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_shard;

    #[test]
    fn shards_are_one_based_on_the_command_line() {
        assert_eq!(parse_shard("1/4"), Ok((0, 4)));
        assert_eq!(parse_shard("4/4"), Ok((3, 4)));
        assert!(parse_shard("0/4").is_err());
        assert!(parse_shard("5/4").is_err());
        assert!(parse_shard("x").is_err());
    }
}
