//! The harness report: per-run results, summaries, and the merge of shards.

use crate::config::{drift_budget, HarnessConfig, DRIFT_BUDGET_WARNING};
use crate::distance::dist;
use crate::nonfinite;
use crate::shape::OuterDef;
use ngd_check::{ObjectiveShape, Outer};
use serde::{Deserialize, Serialize};

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The final point is within `tolerance` of the flat set `S`.
    NearFlat,
    /// The run left the ball `|x| <= divergence_radius` (tested every
    /// [`crate::DIVERGENCE_CHECK_EVERY`] steps; for GD also an iterate that overflowed to
    /// infinity or NaN in between).
    Diverged,
    /// The final point is at (within `tolerance` of) a pole of `phi`: `phi` is non-finite
    /// there, or its interval enclosure on the box of radius `tolerance` around the point
    /// meets a pole (e.g. the cubic's outer arcs stalling at `(1,0)`, `(0,1)`). Not a
    /// failure of NGD: `phi` cannot certify anything there.
    PoleOfPhi,
    /// The run stopped at a true critical point (see [`StallKind`]): `grad f = 0` exactly
    /// and the subdifferential rule has no direction there.
    Stalled,
    /// `grad f` (or the iterate) became NaN at a finite point, e.g. at a pole of `f`.
    NonFinite,
    /// Anywhere else (not near `S`; see the clusters of the summary).
    Elsewhere,
}

impl Outcome {
    /// All outcomes, in report order.
    pub const ALL: [Outcome; 6] = [
        Outcome::NearFlat,
        Outcome::Diverged,
        Outcome::PoleOfPhi,
        Outcome::Stalled,
        Outcome::NonFinite,
        Outcome::Elsewhere,
    ];

    /// A short name (`near_flat`, `diverged`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::NearFlat => "near_flat",
            Outcome::Diverged => "diverged",
            Outcome::PoleOfPhi => "pole_of_phi",
            Outcome::Stalled => "stalled",
            Outcome::NonFinite => "non_finite",
            Outcome::Elsewhere => "elsewhere",
        }
    }
}

/// Where a stalled run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StallKind {
    /// `f = c h(g)`: `grad f = 0` and `grad g = 0` exactly: a critical point of `g`.
    CriticalPointOfG,
    /// Least squares on `M` (all residuals `0`) with `J^T w = 0`: a critical point of the
    /// residual map `G` (its Jacobian vanishes).
    CriticalPointOfResiduals,
    /// `grad f = 0` exactly where no subdifferential rule applies: a general `f`, or least
    /// squares off `M` with `J^T C G = 0`.
    CriticalPointOfF,
}

/// The result of one run (NGD or the GD baseline).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RunResult {
    /// The run's index in `0..starts` (its seed stream).
    pub index: u64,
    /// The start point `x_0`.
    #[serde(with = "nonfinite::vec")]
    #[schemars(with = "Vec<nonfinite::F>")]
    pub start: Vec<f64>,
    /// The final point (where the run stopped, or `x_iterations`).
    #[serde(rename = "final", with = "nonfinite::vec")]
    #[schemars(with = "Vec<nonfinite::F>")]
    pub end: Vec<f64>,
    /// `f` at the final point.
    #[serde(with = "nonfinite::scalar")]
    #[schemars(with = "nonfinite::F")]
    pub f: f64,
    /// `phi` at the final point (`None` without `phi`; may be infinite or NaN at a pole).
    #[serde(with = "nonfinite::option")]
    #[schemars(with = "Option<nonfinite::F>")]
    pub phi: Option<f64>,
    /// Euclidean distance of the final point to the flat set (`None` without a flat set).
    #[serde(with = "nonfinite::option")]
    #[schemars(with = "Option<nonfinite::F>")]
    pub dist_to_s: Option<f64>,
    /// How the run ended.
    pub outcome: Outcome,
    /// Set when the run stalled.
    pub stall: Option<StallKind>,
    /// Steps taken (less than `iterations` when the run stopped early).
    pub steps: u64,
    /// NGD steps at which `grad f` was exactly zero and the subdifferential rule chose the
    /// direction (always 0 for GD).
    pub zero_gradient_events: u64,
    /// The MPFR re-run of the tail, when requested for this run.
    pub mpfr: Option<MpfrTail>,
    /// The recorded trajectory, when `record_every` is set.
    pub trajectory: Option<Trajectory>,
}

/// A trajectory sampled at the steps of [`HarnessConfig::record_steps`] (a run that
/// stopped early keeps its last point).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Trajectory {
    /// The step numbers `k`.
    pub k: Vec<u64>,
    /// The iterates `x_k`.
    #[serde(with = "nonfinite::vecvec")]
    #[schemars(with = "Vec<Vec<nonfinite::F>>")]
    pub x: Vec<Vec<f64>>,
    /// `f(x_k)`.
    #[serde(with = "nonfinite::vec")]
    #[schemars(with = "Vec<nonfinite::F>")]
    pub f: Vec<f64>,
    /// `phi(x_k)` (empty without `phi`).
    #[serde(with = "nonfinite::vec")]
    #[schemars(with = "Vec<nonfinite::F>")]
    pub phi: Vec<f64>,
    /// Distance of `x_k` to the flat set (empty without a flat set).
    #[serde(with = "nonfinite::vec")]
    #[schemars(with = "Vec<nonfinite::F>")]
    pub dist_to_s: Vec<f64>,
}

/// The MPFR re-run of the last steps of one NGD run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MpfrTail {
    /// MPFR precision in bits.
    pub precision_bits: u32,
    /// The re-run starts from the f64 iterate `x_k` at this step `k`.
    pub from_step: u64,
    /// The MPFR final point, rounded to f64 (`None` when the f64 run stopped before
    /// `from_step`, so there was nothing to re-run).
    #[serde(with = "nonfinite::option_vec")]
    #[schemars(with = "Option<Vec<nonfinite::F>>")]
    pub end: Option<Vec<f64>>,
    /// Euclidean distance between the f64 and the MPFR final points.
    #[serde(with = "nonfinite::option")]
    #[schemars(with = "Option<nonfinite::F>")]
    pub distance: Option<f64>,
    /// `distance <= tolerance`.
    pub agree: Option<bool>,
    /// Whether the MPFR final point is within `tolerance` of `S` (`None` without `S`).
    pub mpfr_near_flat: Option<bool>,
    /// Zero-gradient events in the MPFR tail.
    pub zero_gradient_events: u64,
    /// Set when the MPFR tail stopped at a critical point or a non-finite value.
    pub stopped: Option<TailStop>,
}

/// Why an MPFR tail stopped before its last step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TailStop {
    /// The f64 run stopped before the tail: there was nothing to re-run.
    F64StoppedBefore,
    /// Evaluating `grad f` or the rule's quantities failed (e.g. a pole) at `step`.
    EvalError {
        /// The evaluation error, as `ngd-eval` writes it.
        error: String,
        /// The step.
        step: u64,
    },
    /// `grad f = 0` where no subdifferential rule applies (a general `f`).
    CriticalPointOfF {
        /// The step.
        step: u64,
    },
    /// `f = c h(g)`: `grad g = 0`.
    CriticalPointOfG {
        /// The step.
        step: u64,
    },
    /// Least squares on `M`: `J^T w = 0`.
    CriticalPointOfResiduals {
        /// The step.
        step: u64,
    },
    /// Least squares off `M`: `J^T C G = 0`.
    CriticalPointOfFOffM {
        /// The step.
        step: u64,
    },
}

/// The direction NGD takes where `grad f/|grad f|` cannot be formed in float64 (docs/math.md,
/// "Exact zeros"); every such step is a zero-gradient event, its random choice drawn from the
/// run's own PCG64 stream (a function of the seed and the run index). A run never freezes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ZeroGradientRule {
    /// `f = c h(g)`: along `sign(g) grad g/|grad g|` where `g != 0`, and along
    /// `s grad g/|grad g|` with a random sign `s` where `g = 0`; stops where `grad g = 0`
    /// (a critical point of `g`).
    Scalar {
        /// The outer function `h` (for `|t|` the compiled gradient is `sign(g) grad g`,
        /// which is 0 at `g = 0`).
        #[serde(with = "OuterDef")]
        outer: Outer,
    },
    /// `f = sum_i c_i g_i^2`: on `M` along `J^T w/|J^T w|` with `w` uniform in `[-1, 1]^m`;
    /// off `M` (underflow) along `J^T C G`; stops where that is 0 (a critical point of `G`,
    /// or of `f` off `M`).
    LeastSquares {
        /// The number of residuals `m`.
        residuals: usize,
    },
    /// No rule: a run stops where `grad f = 0` exactly (a critical point of `f`).
    General,
}

/// A descent method of the harness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// Normalized gradient descent.
    Ngd,
    /// Plain gradient descent (the baseline).
    Gd,
}

impl Algorithm {
    /// `"ngd"` or `"gd"`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Ngd => "ngd",
            Algorithm::Gd => "gd",
        }
    }
}

/// The step of a method.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepRule {
    /// `x_(k+1) = x_k - a_k grad f/|grad f|`, `a_k = a0/(k+1)^power`.
    Normalized {
        /// `a0`.
        a0: f64,
        /// The decay exponent.
        power: f64,
    },
    /// `x_(k+1) = x_k - h grad f` with a constant step `h`.
    Constant {
        /// `h`.
        step: f64,
    },
}

/// A warning about the drift budget of the schedule (docs/math.md, "The drift budget").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DriftWarning {
    /// `sum a_k^q` is below `threshold`: NGD can hardly drift along the minimum set in
    /// `iterations` steps, so the fraction near the flat minima need not differ from GD.
    SmallBudget {
        /// The order `q` (2 unless [`HarnessConfig::drift_q`] is set).
        q: f64,
        /// `sum_{k < iterations} a_k^q`.
        #[serde(with = "nonfinite::scalar")]
        #[schemars(with = "nonfinite::F")]
        budget: f64,
        /// [`DRIFT_BUDGET_WARNING`].
        threshold: f64,
        /// The number of steps.
        iterations: u64,
    },
    /// The schedule decays as `(k+1)^-power` with `power > 1/q`: `sum a_k^q` converges, so
    /// the regularizer can freeze early (premature convergence).
    FastDecay {
        /// The decay exponent of the schedule.
        power: f64,
        /// The order `q`.
        q: f64,
    },
}

/// A group of final points (deterministic leader clustering in run order: a point joins
/// the first cluster whose representative is within `cluster_radius`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Cluster {
    /// The outcome shared by the members.
    pub outcome: Outcome,
    /// The final point of the first member.
    #[serde(with = "nonfinite::vec")]
    #[schemars(with = "Vec<nonfinite::F>")]
    pub representative: Vec<f64>,
    /// The index of the first member.
    pub first_run: u64,
    /// The number of members.
    pub count: u64,
    /// The largest distance of a member to the representative.
    pub radius: f64,
    /// The median of `f` over the members.
    #[serde(with = "nonfinite::scalar")]
    #[schemars(with = "nonfinite::F")]
    pub median_f: f64,
    /// The median of `phi` over the members (`None` without `phi`).
    #[serde(with = "nonfinite::option")]
    #[schemars(with = "Option<nonfinite::F>")]
    pub median_phi: Option<f64>,
}

/// Counts, fractions and clusters of one method (NGD or GD) over the runs of a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MethodSummary {
    /// NGD or GD.
    pub method: Algorithm,
    /// The step rule.
    pub step_rule: StepRule,
    /// Number of runs.
    pub runs: u64,
    /// Whether a flat set was given (otherwise nothing is near `S`).
    pub has_flat_set: bool,
    /// The distance within which a final point counts as near `S`.
    pub tolerance: f64,
    /// Runs per outcome, in the order of [`Outcome::ALL`].
    pub counts: Vec<(Outcome, u64)>,
    /// Fractions per outcome (count / runs), same order.
    pub fractions: Vec<(Outcome, f64)>,
    /// Fraction of runs near `S` (`None` without a flat set).
    pub fraction_near_flat: Option<f64>,
    /// Clusters of the final points that are neither near `S` nor diverged nor non-finite,
    /// largest first.
    pub clusters: Vec<Cluster>,
    /// Total zero-gradient events over the runs.
    pub zero_gradient_events: u64,
    /// Runs with at least one zero-gradient event.
    pub runs_with_zero_gradient_events: u64,
    /// Median of the final `f` over the runs.
    #[serde(with = "nonfinite::scalar")]
    #[schemars(with = "nonfinite::F")]
    pub median_final_f: f64,
    /// Median of the final `phi` over the runs (`None` without `phi`).
    #[serde(with = "nonfinite::option")]
    #[schemars(with = "Option<nonfinite::F>")]
    pub median_final_phi: Option<f64>,
}

impl MethodSummary {
    /// The number of runs with outcome `o`.
    pub fn count(&self, o: Outcome) -> u64 {
        self.counts
            .iter()
            .find(|(p, _)| *p == o)
            .map_or(0, |&(_, c)| c)
    }

    /// The fraction of runs with outcome `o`.
    pub fn fraction(&self, o: Outcome) -> f64 {
        if self.runs == 0 {
            0.0
        } else {
            self.count(o) as f64 / self.runs as f64
        }
    }
}

/// The drift budget of the schedule (docs/math.md, "The drift budget").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DriftBudget {
    /// `sum_{k < iterations} a_k^2`.
    pub sum_a2: f64,
    /// The order `q` of [`HarnessConfig::drift_q`], if given.
    pub q: Option<f64>,
    /// `sum_{k < iterations} a_k^q`, if `q` is given.
    pub sum_aq: Option<f64>,
    /// Set when the budget is below [`DRIFT_BUDGET_WARNING`] (or the schedule decays faster
    /// than `1/q`): NGD may not drift far enough along `M` for the implicit regularization
    /// to show in this many steps. Empty when there is nothing to warn about.
    pub warnings: Vec<DriftWarning>,
}

impl DriftBudget {
    /// The budget of a configuration.
    pub fn of(cfg: &HarnessConfig) -> DriftBudget {
        let sum_a2 = drift_budget(&cfg.schedule, cfg.iterations, 2.0);
        let sum_aq = cfg
            .drift_q
            .map(|q| drift_budget(&cfg.schedule, cfg.iterations, q));
        let q = cfg.drift_q.unwrap_or(2.0);
        let budget = sum_aq.unwrap_or(sum_a2);
        let mut warnings = Vec::new();
        if budget < DRIFT_BUDGET_WARNING {
            warnings.push(DriftWarning::SmallBudget {
                q,
                budget,
                threshold: DRIFT_BUDGET_WARNING,
                iterations: cfg.iterations,
            });
        }
        if cfg.schedule.power > 1.0 / q {
            warnings.push(DriftWarning::FastDecay {
                power: cfg.schedule.power,
                q,
            });
        }
        DriftBudget {
            sum_a2,
            q: cfg.drift_q,
            sum_aq,
            warnings,
        }
    }
}

/// The MPFR comparison over the runs that were re-run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MpfrSummary {
    /// MPFR precision in bits.
    pub precision_bits: u32,
    /// Steps re-run at the end of each compared run.
    pub tail_steps: u64,
    /// Runs compared (those with an MPFR tail that had something to re-run).
    pub compared: u64,
    /// Runs whose f64 and MPFR final points are more than `tolerance` apart.
    pub disagree: u64,
    /// Indices of those runs.
    pub disagreeing_runs: Vec<u64>,
    /// Runs where f64 and MPFR disagree on being near `S`.
    pub near_flat_changed: u64,
    /// The largest distance between the final points.
    #[serde(with = "nonfinite::scalar")]
    #[schemars(with = "nonfinite::F")]
    pub max_distance: f64,
}

/// Everything the harness measured. Data only: rendering is the CLI's job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HarnessReport {
    /// The configuration that produced it (`shard` is `None` after a merge).
    pub config: HarnessConfig,
    /// The variable names.
    pub var_names: Vec<String>,
    /// The recognised shape of `f`.
    #[serde(with = "crate::shape::ShapeDef")]
    pub structure: ObjectiveShape,
    /// The exact rule used where `grad f` is zero.
    pub zero_gradient_rule: ZeroGradientRule,
    /// Whether `phi` was given.
    pub has_phi: bool,
    /// The flat set `S` the distances refer to (`None` when not given).
    #[serde(with = "nonfinite::option_vecvec")]
    #[schemars(with = "Option<Vec<Vec<nonfinite::F>>>")]
    pub flat_set: Option<Vec<Vec<f64>>>,
    /// The drift budget of the schedule.
    pub drift: DriftBudget,
    /// The NGD runs, by index.
    pub runs: Vec<RunResult>,
    /// The GD baseline runs, by index (empty when `gd_baseline` is off).
    pub gd_runs: Vec<RunResult>,
    /// Summary of the NGD runs.
    pub ngd: MethodSummary,
    /// Summary of the GD runs (`None` when `gd_baseline` is off).
    pub gd: Option<MethodSummary>,
    /// The MPFR comparison, when `precision_bits` is set.
    pub mpfr: Option<MpfrSummary>,
    /// Set when the run was stopped early (SIGINT/SIGTERM) and this report holds only the
    /// runs finished by then: the summaries cover those runs, not `config.starts`. A merged
    /// report is interrupted when any of its shards is.
    #[serde(default)]
    pub interrupted: bool,
}

/// The summaries of a set of runs, in run order.
pub(crate) fn summarize(
    method: Algorithm,
    step_rule: StepRule,
    runs: &[RunResult],
    cfg: &HarnessConfig,
    has_flat_set: bool,
) -> MethodSummary {
    let n = runs.len() as u64;
    let counts: Vec<(Outcome, u64)> = Outcome::ALL
        .iter()
        .map(|&o| (o, runs.iter().filter(|r| r.outcome == o).count() as u64))
        .collect();
    let frac = |c: u64| if n == 0 { 0.0 } else { c as f64 / n as f64 };
    let fractions = counts.iter().map(|&(o, c)| (o, frac(c))).collect();
    let near = counts[0].1;
    let has_phi = runs.iter().any(|r| r.phi.is_some());
    let mut clusters = Vec::new();
    for o in [Outcome::Elsewhere, Outcome::PoleOfPhi, Outcome::Stalled] {
        clusters.extend(cluster(
            runs.iter().filter(|r| r.outcome == o),
            o,
            cfg.cluster_radius,
            has_phi,
        ));
    }
    clusters.sort_by(|a, b| b.count.cmp(&a.count).then(a.first_run.cmp(&b.first_run)));
    MethodSummary {
        method,
        step_rule,
        runs: n,
        has_flat_set,
        tolerance: cfg.tolerance,
        counts,
        fractions,
        fraction_near_flat: has_flat_set.then(|| frac(near)),
        clusters,
        zero_gradient_events: runs.iter().map(|r| r.zero_gradient_events).sum(),
        runs_with_zero_gradient_events: runs.iter().filter(|r| r.zero_gradient_events > 0).count()
            as u64,
        median_final_f: median(runs.iter().map(|r| r.f).collect()),
        median_final_phi: has_phi.then(|| median(runs.iter().filter_map(|r| r.phi).collect())),
    }
}

/// The median (mean of the two middle values for an even count; NaN for none). NaNs sort
/// last.
pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp_nan_last);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

trait NanLast {
    fn total_cmp_nan_last(&self, other: &Self) -> std::cmp::Ordering;
}

impl NanLast for f64 {
    fn total_cmp_nan_last(&self, other: &f64) -> std::cmp::Ordering {
        match (self.is_nan(), other.is_nan()) {
            (false, false) => self.partial_cmp(other).unwrap_or(std::cmp::Ordering::Equal),
            (a, b) => a.cmp(&b),
        }
    }
}

fn cluster<'a>(
    runs: impl Iterator<Item = &'a RunResult>,
    outcome: Outcome,
    radius: f64,
    has_phi: bool,
) -> Vec<Cluster> {
    struct Acc {
        rep: Vec<f64>,
        first: u64,
        radius: f64,
        f: Vec<f64>,
        phi: Vec<f64>,
    }
    let mut acc: Vec<Acc> = Vec::new();
    for r in runs {
        let j = acc.iter().position(|c| dist(&c.rep, &r.end) <= radius);
        let c = match j {
            Some(j) => &mut acc[j],
            None => {
                acc.push(Acc {
                    rep: r.end.clone(),
                    first: r.index,
                    radius: 0.0,
                    f: Vec::new(),
                    phi: Vec::new(),
                });
                acc.last_mut().expect("just pushed")
            }
        };
        c.radius = c.radius.max(dist(&c.rep, &r.end));
        c.f.push(r.f);
        if let Some(p) = r.phi {
            c.phi.push(p);
        }
    }
    acc.into_iter()
        .map(|c| Cluster {
            outcome,
            count: c.f.len() as u64,
            representative: c.rep,
            first_run: c.first,
            radius: c.radius,
            median_f: median(c.f),
            median_phi: has_phi.then(|| median(c.phi)),
        })
        .collect()
}

/// The MPFR summary of a set of runs (`None` without `precision_bits`).
pub(crate) fn summarize_mpfr(runs: &[RunResult], cfg: &HarnessConfig) -> Option<MpfrSummary> {
    let precision_bits = cfg.precision_bits?;
    let tails: Vec<(u64, &MpfrTail)> = runs
        .iter()
        .filter_map(|r| r.mpfr.as_ref().map(|t| (r.index, t)))
        .filter(|(_, t)| t.distance.is_some())
        .collect();
    let disagreeing_runs: Vec<u64> = tails
        .iter()
        .filter(|(_, t)| t.agree != Some(true))
        .map(|&(i, _)| i)
        .collect();
    let near_flat_changed = tails
        .iter()
        .filter(|(i, t)| {
            let r = runs.iter().find(|r| r.index == *i).expect("run of a tail");
            match t.mpfr_near_flat {
                Some(m) => m != (r.outcome == Outcome::NearFlat),
                None => false,
            }
        })
        .count() as u64;
    Some(MpfrSummary {
        precision_bits,
        tail_steps: cfg.mpfr_tail_steps.min(cfg.iterations),
        compared: tails.len() as u64,
        disagree: disagreeing_runs.len() as u64,
        disagreeing_runs,
        near_flat_changed,
        max_distance: tails
            .iter()
            .filter_map(|(_, t)| t.distance)
            .fold(
                0.0,
                |m: f64, d| if d.is_nan() { f64::NAN } else { m.max(d) },
            ),
    })
}

impl HarnessReport {
    /// Builds a report from its runs (in index order), computing every summary.
    pub(crate) fn assemble(
        cfg: HarnessConfig,
        head: ReportHead,
        runs: Vec<RunResult>,
        gd_runs: Vec<RunResult>,
    ) -> HarnessReport {
        let has_flat = head.flat_set.is_some();
        let ngd = summarize(Algorithm::Ngd, ngd_rule(&cfg), &runs, &cfg, has_flat);
        let gd = cfg
            .gd_baseline
            .then(|| summarize(Algorithm::Gd, gd_rule(&cfg), &gd_runs, &cfg, has_flat));
        let mpfr = summarize_mpfr(&runs, &cfg);
        HarnessReport {
            drift: DriftBudget::of(&cfg),
            config: cfg,
            var_names: head.var_names,
            structure: head.structure,
            zero_gradient_rule: head.zero_gradient_rule,
            has_phi: head.has_phi,
            flat_set: head.flat_set,
            runs,
            gd_runs,
            ngd,
            gd,
            mpfr,
            interrupted: false,
        }
    }

    /// The parts of a report that do not depend on the runs.
    pub(crate) fn head(&self) -> ReportHead {
        ReportHead {
            var_names: self.var_names.clone(),
            structure: self.structure.clone(),
            zero_gradient_rule: self.zero_gradient_rule,
            has_phi: self.has_phi,
            flat_set: self.flat_set.clone(),
        }
    }
}

/// The run-independent parts of a report.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ReportHead {
    pub var_names: Vec<String>,
    pub structure: ObjectiveShape,
    pub zero_gradient_rule: ZeroGradientRule,
    pub has_phi: bool,
    pub flat_set: Option<Vec<Vec<f64>>>,
}

pub(crate) fn ngd_rule(cfg: &HarnessConfig) -> StepRule {
    StepRule::Normalized {
        a0: cfg.schedule.a0,
        power: cfg.schedule.power,
    }
}

pub(crate) fn gd_rule(cfg: &HarnessConfig) -> StepRule {
    StepRule::Constant { step: cfg.gd_step }
}

/// Why shard reports do not merge. `shard` and `shards` are positions in the slice given to
/// [`merge`] (the caller names them, e.g. by file: [`MergeError::describe`]); shard numbers
/// (`index`, `missing`) are 1-based, as `--shard K/N` on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// Nothing to merge.
    NoShards,
    /// The shard's configuration (schedule, starts, seed, ...) differs from the first one's.
    DifferentConfiguration {
        /// The shard.
        shard: usize,
    },
    /// The shard is of a different problem (variables, structure, phi or flat set).
    DifferentProblem {
        /// The shard.
        shard: usize,
    },
    /// The shard splits the starts into a different number of shards than the first one.
    DifferentCount {
        /// The shard.
        shard: usize,
        /// Its number of shards.
        count: u64,
        /// The first shard's number of shards.
        expected: u64,
    },
    /// Two shards are the same shard `index` of `count`.
    Duplicate {
        /// The shard number, 1-based.
        index: u64,
        /// The number of shards.
        count: u64,
        /// The two shards.
        shards: [usize; 2],
    },
    /// The shard number is not in `1..=count`.
    InvalidShard {
        /// The shard.
        shard: usize,
    },
    /// Shards of the split are not among those given.
    Missing {
        /// The first missing shard numbers, 1-based (at most 20).
        missing: Vec<u64>,
        /// How many are missing.
        missing_total: u64,
        /// The number of shards.
        count: u64,
    },
    /// A shard that was not interrupted lacks a run of its range, or holds a run outside it
    /// (the file was edited or truncated).
    WrongRuns {
        /// The shard.
        shard: usize,
        /// `"NGD"` or `"GD"`.
        method: &'static str,
    },
}

impl MergeError {
    /// The error in words, each shard named by `name(position)` (e.g. its file path).
    pub fn describe(&self, name: impl Fn(usize) -> String) -> String {
        match self {
            MergeError::NoShards => "no shards to merge".into(),
            MergeError::DifferentConfiguration { shard } => format!(
                "{} has a different configuration than {}",
                name(*shard),
                name(0)
            ),
            MergeError::DifferentProblem { shard } => format!(
                "{} is of a different problem than {} (variables, structure, phi or flat set)",
                name(*shard),
                name(0)
            ),
            MergeError::DifferentCount {
                shard,
                count,
                expected,
            } => format!(
                "{} is a shard of {count}, {} of {expected}",
                name(*shard),
                name(0)
            ),
            MergeError::Duplicate {
                index,
                count,
                shards,
            } => format!(
                "{} and {} are both shard {index}/{count}: the shard appears in two files",
                name(shards[0]),
                name(shards[1])
            ),
            MergeError::InvalidShard { shard } => format!(
                "{} is not a valid shard: its number is outside 1..=count",
                name(*shard)
            ),
            MergeError::Missing {
                missing,
                missing_total,
                count,
            } => {
                let mut list: Vec<String> =
                    missing.iter().map(|k| format!("{k}/{count}")).collect();
                if *missing_total > missing.len() as u64 {
                    list.push(format!("and {} more", missing_total - missing.len() as u64));
                }
                format!(
                    "{missing_total} of {count} shards missing: no file given is shard {}",
                    list.join(", ")
                )
            }
            MergeError::WrongRuns { shard, method } => format!(
                "{} does not hold exactly the {method} runs of its shard (edited or truncated?)",
                name(*shard)
            ),
        }
    }
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(|i| format!("shard report #{}", i + 1)))
    }
}

impl std::error::Error for MergeError {}

/// Merges the reports of the shards of one configuration into the report of the unsharded
/// run: the same runs, summaries and numbers, bit for bit. A report of a whole run counts as
/// shard 1 of 1. The merged report is interrupted when a shard is; the runs an interrupted
/// shard did not finish are then missing from it.
///
/// # Errors
///
/// No shards; shards of different configurations, problems, flat sets or shard counts; a
/// shard given twice or missing; a shard (not interrupted) without every run of its range.
pub fn merge(shards: &[HarnessReport]) -> Result<HarnessReport, MergeError> {
    let first = shards.first().ok_or(MergeError::NoShards)?;
    let mut cfg = first.config.clone();
    cfg.shard = None;
    let head = first.head();
    for (i, s) in shards.iter().enumerate() {
        let mut c = s.config.clone();
        c.shard = None;
        if c != cfg {
            return Err(MergeError::DifferentConfiguration { shard: i });
        }
        if s.head() != head {
            return Err(MergeError::DifferentProblem { shard: i });
        }
    }
    check_shard_indices(shards)?;
    for (i, s) in shards.iter().enumerate() {
        let range = s.config.run_range();
        let holds = |rs: &[RunResult]| {
            let inside = rs.iter().all(|r| range.contains(&r.index));
            inside && (s.interrupted || rs.len() as u64 == range.end - range.start)
        };
        if !holds(&s.runs) {
            return Err(MergeError::WrongRuns {
                shard: i,
                method: "NGD",
            });
        }
        if cfg.gd_baseline && !holds(&s.gd_runs) {
            return Err(MergeError::WrongRuns {
                shard: i,
                method: "GD",
            });
        }
    }
    let mut runs: Vec<RunResult> = shards.iter().flat_map(|s| s.runs.clone()).collect();
    let mut gd_runs: Vec<RunResult> = shards.iter().flat_map(|s| s.gd_runs.clone()).collect();
    runs.sort_by_key(|r| r.index);
    gd_runs.sort_by_key(|r| r.index);
    let mut merged = HarnessReport::assemble(cfg, head, runs, gd_runs);
    merged.interrupted = shards.iter().any(|s| s.interrupted);
    Ok(merged)
}

/// Most missing shard numbers an error lists.
const MAX_LISTED_MISSING: usize = 20;

/// Every shard `1..=n` of one count `n` exactly once (a report without `shard` is 1 of 1).
fn check_shard_indices(shards: &[HarnessReport]) -> Result<(), MergeError> {
    let (_, count) = shards[0].config.shard.unwrap_or((0, 1));
    let mut seen: std::collections::BTreeMap<u64, usize> = std::collections::BTreeMap::new();
    for (i, s) in shards.iter().enumerate() {
        let (k, n) = s.config.shard.unwrap_or((0, 1));
        if k >= n {
            return Err(MergeError::InvalidShard { shard: i });
        }
        if n != count {
            return Err(MergeError::DifferentCount {
                shard: i,
                count: n,
                expected: count,
            });
        }
        if let Some(j) = seen.insert(k, i) {
            return Err(MergeError::Duplicate {
                index: k + 1,
                count,
                shards: [j, i],
            });
        }
    }
    let missing_total = count - seen.len() as u64;
    if missing_total == 0 {
        return Ok(());
    }
    // The first missing numbers lie below seen.len() + MAX_LISTED_MISSING: a short scan.
    let missing = (0..count)
        .filter(|k| !seen.contains_key(k))
        .take(MAX_LISTED_MISSING)
        .map(|k| k + 1)
        .collect();
    Err(MergeError::Missing {
        missing,
        missing_total,
        count,
    })
}
