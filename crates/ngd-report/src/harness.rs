//! Glue between a case and the NGD harness (`ngd-sim`): the configuration from the case and
//! the command line, the flat set from C3, and the SVG plots (`ngd-plot`).

use ngd_case::{Case, InputError};
use ngd_minima::MinimaReport;
use ngd_sim::{HarnessConfig, HarnessReport, Schedule};
use std::io::IsTerminal;
use std::path::Path;

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
/// (`flat_projection`).
pub fn run_against_flat_set(
    arena: &mut ngd_expr::Arena,
    h: &ngd_sim::Harness,
    cfg: &ngd_sim::HarnessConfig,
    minima: &MinimaReport,
    bx: &ngd_check::RationalBox,
) -> HarnessReport {
    let flat = flat_set(minima);
    let mut report = h.run(cfg, flat.as_deref());
    let projections = crate::flat_projection::FlatProjections::new(arena, minima, bx);
    if !projections.is_empty() {
        report.refine_flat_distances(|x| projections.distance(x));
    }
    report
}

/// Writes the plots of a harness run into `dir`; returns the files written.
pub fn write_plots(
    dir: &Path,
    harness: &ngd_sim::Harness,
    report: &HarnessReport,
    minima: &MinimaReport,
) -> Result<Vec<String>, InputError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        InputError::plain(
            format!("cannot create plot folder {}: {e}", dir.display()),
            None,
        )
    })?;
    let mut written = Vec::new();
    let fail = |e: String| InputError::plain(format!("plotting failed: {e}"), None);
    let values = dir.join("values.svg");
    ngd_plot::values_svg(report, &values).map_err(fail)?;
    written.push(values.display().to_string());
    let flat = flat_set(minima).unwrap_or_default();
    if harness.n_vars() == 2 {
        let (xr, yr) = (report.config.start_box[0], report.config.start_box[1]);
        let pad = |r: (f64, f64)| {
            let w = 0.25 * (r.1 - r.0);
            (r.0 - w, r.1 + w)
        };
        if let Some(grid) = harness.level_grid(pad(xr), pad(yr), 160, 160) {
            let path = dir.join("trajectories.svg");
            ngd_plot::trajectories_svg(
                report,
                &grid,
                &minima.minimum_set.sample_points,
                &flat,
                &path,
            )
            .map_err(fail)?;
            written.push(path.display().to_string());
        }
    } else if report.flat_set.is_some() {
        let path = dir.join("distance.svg");
        ngd_plot::distance_svg(report, &path).map_err(fail)?;
        written.push(path.display().to_string());
    }
    Ok(written)
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
    let report = run_against_flat_set(&mut case.arena, &h, &cfg, &minima, &case.search_box);
    let plots = match plots {
        Some(dir) => write_plots(dir, &h, &report, &minima)?,
        None => Vec::new(),
    };
    Ok(CaseRun { report, plots })
}

/// Largest shard file read by `merge`, in bytes (1 GiB).
pub const MAX_SHARD_BYTES: usize = 1 << 30;

/// Reads the shard files written by `run --shard K/N` and merges them into one harness report;
/// an unreadable, non-UTF-8 or malformed file is an input error naming the file.
pub fn merge_shards(paths: &[String]) -> Result<HarnessReport, InputError> {
    let shards = paths
        .iter()
        .map(|p| read_shard(p))
        .collect::<Result<Vec<_>, _>>()?;
    ngd_sim::merge(&shards)
        .map_err(|e| InputError::plain(format!("cannot merge the shards: {e}"), None))
}

/// One shard file, parsed.
fn read_shard(path: &str) -> Result<HarnessReport, InputError> {
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
    serde_json::from_str(&text).map_err(|e| not_a_shard(e.to_string()))
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
