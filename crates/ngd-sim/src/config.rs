//! Step-size schedules, the harness configuration and the drift budget.

use serde::{Deserialize, Serialize};

/// The step-size schedule `a_k = a0 / (k+1)^power`, `k = 0, 1, 2, ...` (docs/math.md section 1;
/// `power = 0` is a constant step).
///
/// The f64 loop computes `a_k` as `a0 / sqrt(k+1)` for `power = 1/2`,
/// `a0 / sqrt(sqrt(k+1))` for `power = 1/4`, `a0 / (k+1)` for `power = 1`, `a0` for
/// `power = 0`, and `a0 / (k+1).powf(power)` otherwise (see [`Schedule::step`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Schedule {
    /// The first step `a_0`.
    pub a0: f64,
    /// The decay exponent `p` of `a_k = a0/(k+1)^p`.
    pub power: f64,
}

impl Schedule {
    /// The step `a_k` used by the f64 loops (the same value on every thread and shard).
    #[inline(always)]
    pub fn step(&self, k: u64) -> f64 {
        let t = (k + 1) as f64;
        if self.power == 0.5 {
            self.a0 / t.sqrt()
        } else if self.power == 0.25 {
            self.a0 / t.sqrt().sqrt()
        } else if self.power == 0.0 {
            self.a0
        } else if self.power == 1.0 {
            self.a0 / t
        } else {
            self.a0 / t.powf(self.power)
        }
    }
}

/// Everything that determines a harness run. Same configuration and seed: same numbers, on
/// any number of threads and for any sharding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HarnessConfig {
    /// NGD step sizes `a_k`.
    pub schedule: Schedule,
    /// Steps per run (NGD and the GD baseline alike).
    pub iterations: u64,
    /// Number of runs (starts), indexed `0..starts`.
    pub starts: u64,
    /// The seed. Run `i` draws its start point and its zero-gradient choices from its own
    /// PCG64 stream, a function of `(seed, i)` only.
    pub seed: u64,
    /// Start points are uniform in this box, one `(lo, hi)` per variable.
    pub start_box: Vec<(f64, f64)>,
    /// The constant step `h` of the plain gradient descent baseline `x <- x - h grad f`.
    pub gd_step: f64,
    /// A run that reaches `|x| > divergence_radius` (Euclidean) stops as diverged. Checked
    /// every [`DIVERGENCE_CHECK_EVERY`] steps and at the end.
    pub divergence_radius: f64,
    /// A run ends "near S" when its final point is within this Euclidean distance of a
    /// point of the flat set `S`. Also the tolerance of the MPFR comparison.
    pub tolerance: f64,
    /// When set, the last [`HarnessConfig::mpfr_tail_steps`] NGD steps of the runs with
    /// index `< mpfr_runs` are re-run in MPFR at this precision (bits) from the f64 state,
    /// and the final points compared.
    pub precision_bits: Option<u32>,
    /// `Some((k, n))`: run only shard `k` of `n` (0-based, `k < n`): the runs with index in
    /// `[k*starts/n, (k+1)*starts/n)`. Merge the shards with [`crate::merge`]. Written in JSON
    /// 1-based as on the command line: `--shard 2/4` is `(1, 4)` here and
    /// `{"index": 2, "count": 4}` in a shard file.
    #[serde(with = "shard_json")]
    #[schemars(with = "Option<shard_json::Shard>")]
    pub shard: Option<(u64, u64)>,
    /// When set, every run records its trajectory (step `k`, `x_k`, `f`, `phi`, distance to
    /// `S`) at `k = 0`, at the powers of two, at the multiples of this number and at the end
    /// (of a larger number when the records would exceed [`MAX_RECORD_POINTS`]: see
    /// [`HarnessConfig::record_steps`]).
    pub record_every: Option<u64>,
    /// Show a progress bar on stderr (the CLI passes whether stderr is a terminal).
    pub progress: bool,
    /// The decrease order `q` of the regularizer (C4), if known: the report then also gives
    /// `sum_k a_k^q`. `sum_k a_k^2` is always reported.
    pub drift_q: Option<f64>,
    /// A final point (not near `S`) within this sup-distance of a pole of `phi` ends as
    /// [`crate::Outcome::PoleOfPhi`] (interval test of `phi` on the box of this radius):
    /// NGD drifts towards such poles slowly (the cubic's outer arcs towards `(1,0)`, `(0,1)`),
    /// so the radius is generous.
    pub pole_radius: f64,
    /// Radius of the deterministic clustering of the final points that are not near `S`.
    pub cluster_radius: f64,
    /// Length of the tail re-run in MPFR (see `precision_bits`).
    pub mpfr_tail_steps: u64,
    /// Only runs with index below this are re-run in MPFR.
    pub mpfr_runs: u64,
    /// Run the plain gradient descent baseline too (the report's `gd` section).
    pub gd_baseline: bool,
}

/// The most starts (runs) a configuration may ask for: `10^6`. The results of every run are
/// kept (and written by a shard), about 0.2-1 KB per run.
pub const MAX_STARTS: u64 = 1_000_000;

/// The most steps per run: `10^9`.
pub const MAX_ITERATIONS: u64 = 1_000_000_000;

/// The most NGD steps of one process (the runs of its shard times the iterations): `10^12`,
/// about an hour of a release build on one core for a small problem. A larger sweep is
/// split into shards (`Some((k, n))` in [`HarnessConfig::shard`], `--shard K/N` on the
/// command line), each within the limit.
pub const MAX_STEPS: u64 = 1_000_000_000_000;

/// The most trajectory records of one process (every recorded run, NGD and GD, together):
/// `2*10^6`, some hundred megabytes. [`HarnessConfig::record_steps`] thins the records of
/// long runs to stay within it.
pub const MAX_RECORD_POINTS: u64 = 2_000_000;

/// Records per run at most (besides the powers of two and the ends), however few the runs.
const MAX_RECORDS_PER_RUN: u64 = 4_096;

/// Records per run at least (besides the powers of two and the ends): recording more runs
/// than `MAX_RECORD_POINTS / MIN_RECORDS_PER_RUN` is refused by `validate`.
const MIN_RECORDS_PER_RUN: u64 = 64;

/// How often (in steps) the loops test `|x| > divergence_radius`.
pub const DIVERGENCE_CHECK_EVERY: u64 = 32;

/// The drift budget below which the report warns that the drift along the minimum set is
/// too small to show (docs/math.md, "The drift budget").
pub const DRIFT_BUDGET_WARNING: f64 = 1.0;

impl Default for HarnessConfig {
    /// The schedule `0.1/(k+1)^(1/4)`, `2*10^5` steps, 256 starts in `[-2, 2]^2`, seed 1,
    /// GD step `1e-3`, divergence radius `1e3`, tolerance `1e-2`, no MPFR, no sharding, no
    /// recording, no progress bar, pole radius `0.25`, cluster radius `0.1`, MPFR tail of 1000 steps for the
    /// first 64 runs, GD baseline on.
    fn default() -> Self {
        HarnessConfig {
            schedule: Schedule {
                a0: 0.1,
                power: 0.25,
            },
            iterations: 200_000,
            starts: 256,
            seed: 1,
            start_box: vec![(-2.0, 2.0); 2],
            gd_step: 1e-3,
            divergence_radius: 1e3,
            tolerance: 1e-2,
            precision_bits: None,
            shard: None,
            record_every: None,
            progress: false,
            drift_q: None,
            pole_radius: 0.25,
            cluster_radius: 0.1,
            mpfr_tail_steps: 1000,
            mpfr_runs: 64,
            gd_baseline: true,
        }
    }
}

impl HarnessConfig {
    /// Checks the configuration against a problem with `n_vars` variables.
    ///
    /// # Errors
    ///
    /// A message naming the first bad field: a start box of the wrong dimension or with
    /// `lo > hi` or non-finite bounds, a non-positive or non-finite `a0`, `gd_step`,
    /// `tolerance`, `divergence_radius`, `pole_radius` or `cluster_radius`, a negative or non-finite
    /// `power`, a bad shard, `record_every = 0`, an MPFR precision outside `2..=65536`, or
    /// resources beyond the limits: `starts` above [`MAX_STARTS`], `iterations` above
    /// [`MAX_ITERATIONS`], more than [`MAX_STEPS`] steps in this shard, or trajectories of
    /// more runs than [`MAX_RECORD_POINTS`] allows.
    pub fn validate(&self, n_vars: usize) -> Result<(), String> {
        if self.start_box.len() != n_vars {
            return Err(format!(
                "start_box has {} intervals for {} variables",
                self.start_box.len(),
                n_vars
            ));
        }
        for (i, &(lo, hi)) in self.start_box.iter().enumerate() {
            if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                return Err(format!(
                    "start_box interval {i} is not [lo, hi] with lo <= hi"
                ));
            }
        }
        let positive = |name: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(format!("{name} must be a positive number (got {v})"))
            }
        };
        positive("schedule.a0", self.schedule.a0)?;
        positive("gd_step", self.gd_step)?;
        positive("tolerance", self.tolerance)?;
        positive("divergence_radius", self.divergence_radius)?;
        positive("cluster_radius", self.cluster_radius)?;
        positive("pole_radius", self.pole_radius)?;
        if !(self.schedule.power.is_finite() && self.schedule.power >= 0.0) {
            return Err(format!(
                "schedule.power must be >= 0 (got {})",
                self.schedule.power
            ));
        }
        if let Some(q) = self.drift_q {
            positive("drift_q", q)?;
        }
        if let Some((k, n)) = self.shard {
            if n == 0 || k >= n {
                return Err(format!("shard {k} of {n}: need 0 <= k < n"));
            }
        }
        if self.record_every == Some(0) {
            return Err("record_every must be at least 1".into());
        }
        if let Some(p) = self.precision_bits {
            if !(2..=65536).contains(&p) {
                return Err(format!("precision_bits must be in 2..=65536 (got {p})"));
            }
        }
        if self.starts > MAX_STARTS {
            return Err(format!(
                "starts = {} is above the limit of {MAX_STARTS} starts",
                self.starts
            ));
        }
        if self.iterations > MAX_ITERATIONS {
            return Err(format!(
                "iterations = {} is above the limit of {MAX_ITERATIONS} steps per run",
                self.iterations
            ));
        }
        let runs = self.run_count();
        if u128::from(runs) * u128::from(self.iterations) > u128::from(MAX_STEPS) {
            return Err(format!(
                "{runs} runs of {} iterations are above the limit of {MAX_STEPS} steps per \
                 process; split the starts into shards (--shard K/N) or use fewer iterations",
                self.iterations
            ));
        }
        if self.record_every.is_some()
            && self.recorded_runs().saturating_mul(MIN_RECORDS_PER_RUN) > MAX_RECORD_POINTS
        {
            return Err(format!(
                "recording the trajectories of {runs} runs (for plots) is above the limit of {} \
                 starts per process; use fewer starts, or shards",
                MAX_RECORD_POINTS / MIN_RECORDS_PER_RUN / self.methods()
            ));
        }
        Ok(())
    }

    /// The number of runs of this configuration's shard.
    fn run_count(&self) -> u64 {
        let r = self.run_range();
        r.end - r.start
    }

    /// 2 with the GD baseline, else 1.
    fn methods(&self) -> u64 {
        if self.gd_baseline {
            2
        } else {
            1
        }
    }

    /// The runs that record a trajectory (NGD and GD).
    fn recorded_runs(&self) -> u64 {
        self.run_count().saturating_mul(self.methods())
    }

    /// The run indices of this configuration's shard (all of `0..starts` when unsharded).
    pub fn run_range(&self) -> std::ops::Range<u64> {
        match self.shard {
            None => 0..self.starts,
            Some((k, n)) => shard_bound(self.starts, k, n)..shard_bound(self.starts, k + 1, n),
        }
    }

    /// The steps `k` at which trajectories are recorded (empty without `record_every`):
    /// `0`, the powers of two, the multiples of `m`, and `iterations`, sorted. `m` is
    /// `record_every`, or a larger step when the multiples of `record_every` would be more
    /// than `min(4096, max(64, MAX_RECORD_POINTS / recorded runs))` per run (long runs, many
    /// runs): the records of one process stay within [`MAX_RECORD_POINTS`].
    pub fn record_steps(&self) -> Vec<u64> {
        let Some(m) = self.record_every else {
            return Vec::new();
        };
        let n = self.iterations;
        // Thin the multiples so that all the records of this process stay within
        // MAX_RECORD_POINTS (at most MAX_RECORDS_PER_RUN multiples per run).
        let per_run = (MAX_RECORD_POINTS / self.recorded_runs().max(1))
            .clamp(MIN_RECORDS_PER_RUN, MAX_RECORDS_PER_RUN);
        let m = m.max(n.div_ceil(per_run));
        let mut ks = vec![0, n];
        let mut p = 1u64;
        while p <= n {
            ks.push(p);
            p = match p.checked_mul(2) {
                Some(q) => q,
                None => break,
            };
        }
        let mut k = m;
        while k <= n {
            ks.push(k);
            k = match k.checked_add(m) {
                Some(q) => q,
                None => break,
            };
        }
        ks.sort_unstable();
        ks.dedup();
        ks
    }
}

/// The JSON form of [`HarnessConfig::shard`]: 1-based, as `--shard K/N` on the command line.
/// Shard files written before schema version 4 hold the 0-based pair `[k, n]`; they read back.
mod shard_json {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Shard `index` of `count` (`1 <= index <= count`), as `--shard INDEX/COUNT`.
    #[derive(Serialize, Deserialize, schemars::JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Shard {
        /// The shard's number, 1-based.
        #[schemars(range(min = 1))]
        index: u64,
        /// The number of shards.
        #[schemars(range(min = 1))]
        count: u64,
    }

    /// Either form a shard file may hold. `ZeroBased` is tried first: serde would also read
    /// the array `[k, n]` as a `Shard`.
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        /// Before schema version 4: `[k, n]`, 0-based.
        ZeroBased(u64, u64),
        OneBased(Shard),
    }

    pub(super) fn serialize<S: Serializer>(
        v: &Option<(u64, u64)>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        v.map(|(k, n)| Shard {
            index: k + 1,
            count: n,
        })
        .serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<(u64, u64)>, D::Error> {
        match Option::<Written>::deserialize(d)? {
            None => Ok(None),
            Some(Written::ZeroBased(k, n)) => Ok(Some((k, n))),
            Some(Written::OneBased(Shard { index: 0, .. })) => Err(serde::de::Error::custom(
                "shard index 0: shards are numbered from 1",
            )),
            Some(Written::OneBased(Shard { index, count })) => Ok(Some((index - 1, count))),
        }
    }
}

fn shard_bound(starts: u64, k: u64, n: u64) -> u64 {
    ((starts as u128 * k as u128) / n as u128) as u64
}

/// The drift budget `sum_{k=0}^{iterations-1} a_k^q` of the schedule (docs/math.md: how far NGD
/// can drift along the minimum set is governed by `sum a_k^2`, or `sum a_k^q` for a
/// decrease of order `q`).
///
/// Summed term by term (compensated) for the first `10^4` terms; beyond that the remainder
/// `a0^q sum (k+1)^(-p q)` is the Euler–Maclaurin formula with three correction terms, whose
/// error (of order `10^-20` of the sum) is far below its f64 rounding.
pub fn drift_budget(s: &Schedule, iterations: u64, q: f64) -> f64 {
    const DIRECT: u64 = 10_000;
    let e = s.power * q;
    let direct = iterations.min(DIRECT);
    let (mut sum, mut comp) = (0.0f64, 0.0f64);
    for k in 0..direct {
        let t = (k + 1) as f64;
        let v = if e == 0.0 { 1.0 } else { t.powf(-e) };
        // Neumaier summation.
        let y = sum + v;
        if sum.abs() >= v.abs() {
            comp += (sum - y) + v;
        } else {
            comp += (v - y) + sum;
        }
        sum = y;
    }
    let mut total = sum + comp;
    if iterations > direct {
        let (m, n) = (direct as f64, iterations as f64);
        let h = |t: f64| t.powf(-e);
        let dh = |t: f64| -e * t.powf(-e - 1.0);
        let d3h = |t: f64| -e * (e + 1.0) * (e + 2.0) * t.powf(-e - 3.0);
        let integral = if (e - 1.0).abs() < 1e-15 {
            (n / m).ln()
        } else {
            (n.powf(1.0 - e) - m.powf(1.0 - e)) / (1.0 - e)
        };
        total +=
            integral + (h(n) - h(m)) / 2.0 + (dh(n) - dh(m)) / 12.0 - (d3h(n) - d3h(m)) / 720.0;
    }
    s.a0.powf(q) * total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_of_the_math_md_schedules() {
        let half = Schedule {
            a0: 0.1,
            power: 0.5,
        };
        let quarter = Schedule {
            a0: 0.1,
            power: 0.25,
        };
        let b = drift_budget(&half, 200_000, 2.0);
        assert!((b - 0.1278).abs() < 1e-3, "{b}");
        let b = drift_budget(&quarter, 200_000, 2.0);
        assert!((b - 8.93).abs() < 1e-2, "{b}");
        // Direct summation and the Euler–Maclaurin remainder agree.
        let x = 0.01 * (2.0 * 100.0 - 1.4603545088095868 + 0.5 / 100.0 - 0.5 / 12.0 * 1e-6);
        let direct = drift_budget(&quarter, 10_000, 2.0);
        assert!((direct - x).abs() < 1e-12 * x, "{direct} {x}");
        let (d, e) = (
            drift_budget(&quarter, 10_001, 2.0),
            drift_budget(&quarter, 10_000, 2.0) + 0.01 / (10_001f64).sqrt(),
        );
        assert!((d - e).abs() < 1e-14, "{d} {e}");
        let big = drift_budget(&quarter, 40_000_000, 2.0);
        let x = 0.01 * (2.0 * (4e7f64).sqrt() - 1.4603545088095868 + 0.5 / (4e7f64).sqrt());
        assert!((big - x).abs() < 1e-9 * x, "{big} {x}");
        let c = Schedule {
            a0: 0.5,
            power: 0.0,
        };
        assert_eq!(drift_budget(&c, 20_000_000, 2.0), 0.25 * 2e7);
    }

    #[test]
    fn steps_and_shards() {
        let s = Schedule {
            a0: 0.1,
            power: 0.3,
        };
        assert_eq!(s.step(0), 0.1);
        assert!((s.step(99) - 0.1 / 100f64.powf(0.3)).abs() < 1e-17);
        let mut c = HarnessConfig {
            starts: 10,
            ..HarnessConfig::default()
        };
        let mut all = Vec::new();
        for k in 0..3 {
            c.shard = Some((k, 3));
            all.extend(c.run_range());
        }
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        c.record_every = Some(50_000);
        c.iterations = 200_000;
        let ks = c.record_steps();
        assert_eq!(ks[..4], [0, 1, 2, 4]);
        assert!(ks.contains(&150_000) && ks.contains(&131_072));
        assert_eq!(*ks.last().unwrap(), 200_000);
    }

    #[test]
    fn shards_are_one_based_in_json() {
        let c = HarnessConfig {
            shard: Some((1, 4)),
            ..HarnessConfig::default()
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["shard"], serde_json::json!({"index": 2, "count": 4}));
        let back: HarnessConfig = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(back.shard, Some((1, 4)));
        // The 0-based pair of shard files before schema version 4 reads back.
        let mut old = v.clone();
        old["shard"] = serde_json::json!([1, 4]);
        let back: HarnessConfig = serde_json::from_value(old).unwrap();
        assert_eq!(back.shard, Some((1, 4)));
        let mut zero = v;
        zero["shard"] = serde_json::json!({"index": 0, "count": 4});
        assert!(serde_json::from_value::<HarnessConfig>(zero).is_err());
        let unsharded = serde_json::to_value(HarnessConfig::default()).unwrap();
        assert!(unsharded["shard"].is_null());
    }

    #[test]
    fn resources_are_bounded() {
        let ok = HarnessConfig::default();
        assert!(ok.validate(2).is_ok());
        let at_limits = HarnessConfig {
            starts: MAX_STARTS,
            iterations: MAX_STEPS / MAX_STARTS,
            ..HarnessConfig::default()
        };
        assert!(at_limits.validate(2).is_ok());
        let cases = [
            (
                HarnessConfig {
                    starts: 1_000_000_000_000,
                    ..HarnessConfig::default()
                },
                "starts = 1000000000000 is above the limit of 1000000 starts",
            ),
            (
                HarnessConfig {
                    iterations: 1_000_000_000_000,
                    ..HarnessConfig::default()
                },
                "iterations = 1000000000000 is above the limit of 1000000000 steps",
            ),
            (
                HarnessConfig {
                    starts: 10_000,
                    iterations: MAX_ITERATIONS,
                    ..HarnessConfig::default()
                },
                "--shard K/N",
            ),
            (
                HarnessConfig {
                    starts: 100_000,
                    record_every: Some(1000),
                    ..HarnessConfig::default()
                },
                "limit of 15625 starts",
            ),
        ];
        for (c, msg) in cases {
            let e = c.validate(2).unwrap_err();
            assert!(e.contains(msg), "{e}");
        }
        // A shard of a large sweep is within the limits.
        let shard = HarnessConfig {
            starts: 10_000,
            iterations: MAX_ITERATIONS,
            shard: Some((0, 10)),
            ..HarnessConfig::default()
        };
        assert!(shard.validate(2).is_ok());
    }

    #[test]
    fn records_of_long_runs_are_thinned() {
        let c = HarnessConfig {
            starts: 256,
            iterations: MAX_ITERATIONS,
            record_every: Some(1000),
            ..HarnessConfig::default()
        };
        let ks = c.record_steps();
        // 2 * 256 recorded runs: 2e6 / 512 = 3906 multiples per run, plus the powers of two.
        assert!(ks.len() <= 3906 + 32, "{}", ks.len());
        assert!(ks.len() >= 3900, "{}", ks.len());
        assert_eq!(*ks.last().unwrap(), MAX_ITERATIONS);
        let c = HarnessConfig {
            starts: 15_625,
            iterations: 10_000_000,
            record_every: Some(1000),
            ..HarnessConfig::default()
        };
        assert!(c.validate(2).is_ok());
        let total = c.record_steps().len() as u64 * 2 * 15_625;
        assert!(total <= MAX_RECORD_POINTS + 2 * 15_625 * 32, "{total}");
    }
}
