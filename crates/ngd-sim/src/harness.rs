//! Running the harness on a prepared problem ([`crate::problem`]): chunks of seeded runs, the
//! f64 loops of [`crate::kernel`], the MPFR tails, and the report.

use crate::config::HarnessConfig;
use crate::distance::dist_to_set;
use crate::kernel::{Lanes, LoopCtx, Method};
use crate::problem::Harness;
use crate::report::{HarnessReport, Outcome, ReportHead, RunResult, ZeroGradientRule};
use indicatif::{ProgressBar, ProgressStyle};
use ngd_check::ObjectiveShape;
use ngd_eval::{EvalErrorKind, Interval};
use rand::Rng;
use rand_pcg::Pcg64;
use rayon::prelude::*;

/// Runs per chunk at most. The NGD and GD loops split a chunk into blocks whose rows stay in
/// L1 (see `kernel::block_width`): up to 512 lanes for a small tape like that of `xy`
/// (fewer passes per lane than 128), 128 for `prod8`.
const MAX_LANES: u64 = 512;

/// SplitMix64, to derive well-separated PCG states from `(seed, run index)`.
fn splitmix64(z: u64) -> u64 {
    let z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The PCG64 stream of run `index` (`tag` 0: the f64 run, 1: its MPFR tail). Depends on
/// `(seed, index, tag)` only.
pub(crate) fn run_rng(seed: u64, index: u64, tag: u64) -> Pcg64 {
    let s = splitmix64(seed);
    let hi = splitmix64(s ^ splitmix64(index));
    let lo = splitmix64(hi ^ tag.wrapping_add(0x5151_5151));
    let state = (u128::from(hi) << 64) | u128::from(lo);
    Pcg64::new(state, (u128::from(index) << 1) | u128::from(tag))
}

impl Harness {
    /// The number of variables.
    pub fn n_vars(&self) -> usize {
        self.n
    }

    /// The variable names.
    pub fn var_names(&self) -> &[String] {
        &self.var_names
    }

    /// The recognised shape of `f`.
    pub fn structure(&self) -> &ObjectiveShape {
        &self.structure
    }

    /// The rule used where `grad f` is exactly zero (also in every report).
    pub fn zero_gradient_rule(&self) -> ZeroGradientRule {
        self.rule.summary()
    }

    /// `f(x)` in f64.
    pub fn eval_f(&self, x: &[f64]) -> f64 {
        let mut out = vec![0.0; self.vals.n_outputs()];
        self.vals.eval_f64(x, &mut Vec::new(), &mut out);
        out[0]
    }

    /// `phi(x)` in f64 (`None` without `phi`; may be infinite or NaN at a pole).
    pub fn eval_phi(&self, x: &[f64]) -> Option<f64> {
        let mut out = vec![0.0; self.vals.n_outputs()];
        self.vals.eval_f64(x, &mut Vec::new(), &mut out);
        self.has_phi.then(|| out[1])
    }

    /// The start point of run `index` (uniform in `cfg.start_box`, from the run's stream).
    pub fn start_point(&self, cfg: &HarnessConfig, index: u64) -> Vec<f64> {
        let mut rng = run_rng(cfg.seed, index, 0);
        start_from(&mut rng, cfg)
    }

    /// Whether `phi` has a pole (or leaves its domain) within sup-distance `r` of `x`: its
    /// outward-rounded interval enclosure on the box `x +- r` meets a reciprocal of an
    /// interval containing 0 or the boundary of the domain of `log`/even roots, or `phi(x)`
    /// itself is not finite.
    pub fn near_pole_of_phi(&self, x: &[f64], r: f64) -> bool {
        let Some(t) = &self.phi_tape else {
            return false;
        };
        if x.iter().any(|v| !v.is_finite()) {
            return false;
        }
        match self.eval_phi(x) {
            Some(p) if !p.is_finite() => return true,
            _ => {}
        }
        let bx: Option<Vec<Interval>> = x
            .iter()
            .map(|&v| Interval::try_from((v - r, v + r)).ok())
            .collect();
        let Some(bx) = bx else {
            return false;
        };
        match t.eval::<Interval>(&(), &bx) {
            Ok(_) => false,
            Err(e) => matches!(
                e.kind,
                EvalErrorKind::PossiblePole
                    | EvalErrorKind::DivisionByZero
                    | EvalErrorKind::Domain(_)
                    | EvalErrorKind::PossibleDomain(_)
            ),
        }
    }

    /// Runs NGD (and the GD baseline) from `cfg.starts` seeded starts (only the shard's, if
    /// `cfg.shard` is set) and classifies where each run ended. `flat_set` is a finite
    /// sample of the flat set `S` (the points the distances refer to); without it nothing
    /// counts as near `S`.
    ///
    /// Runs are spread over rayon's current thread pool in chunks of lanes; every run's
    /// numbers depend only on `(cfg, run index)`, so the report is the same on any number
    /// of threads, and [`crate::merge`] of the shards equals the unsharded report.
    ///
    /// # Panics
    ///
    /// When `cfg` is invalid for this problem: call [`HarnessConfig::validate`] first, or
    /// a flat-set point of the wrong dimension.
    pub fn run(&self, cfg: &HarnessConfig, flat_set: Option<&[Vec<f64>]>) -> HarnessReport {
        if let Err(e) = cfg.validate(self.n) {
            panic!("invalid harness configuration: {e}");
        }
        if let Some(s) = flat_set {
            assert!(
                s.iter().all(|p| p.len() == self.n),
                "flat-set point of the wrong dimension"
            );
        }
        let range = cfg.run_range();
        let count = range.end - range.start;
        let threads = rayon::current_num_threads().max(1) as u64;
        let chunk = count.div_ceil(threads).clamp(1, MAX_LANES);
        let chunks: Vec<std::ops::Range<u64>> = (0..count.div_ceil(chunk))
            .map(|c| {
                let lo = range.start + c * chunk;
                lo..(lo + chunk).min(range.end)
            })
            .collect();
        let methods = if cfg.gd_baseline { 2 } else { 1 };
        let pb = cfg.progress.then(|| {
            let pb = ProgressBar::new(count * cfg.iterations * methods);
            if let Ok(style) = ProgressStyle::with_template(
                "NGD harness {wide_bar} {percent:>3}% [{elapsed_precise} < {eta_precise}]",
            ) {
                pb.set_style(style);
            }
            pb
        });
        let record_ks = cfg.record_steps();
        let tail_k = cfg
            .precision_bits
            .map(|_| cfg.iterations - cfg.mpfr_tail_steps.min(cfg.iterations));
        let ctx = LoopCtx {
            cfg,
            record_ks: &record_ks,
            tail_k,
            flat: flat_set,
            progress: pb.as_ref(),
        };
        let parts: Vec<(Vec<RunResult>, Vec<RunResult>)> = chunks
            .into_par_iter()
            .map(|r| self.run_chunk(r, &ctx))
            .collect();
        if let Some(pb) = pb {
            pb.finish_and_clear();
        }
        let mut runs = Vec::with_capacity(count as usize);
        let mut gd_runs = Vec::new();
        for (a, b) in parts {
            runs.extend(a);
            gd_runs.extend(b);
        }
        let head = ReportHead {
            var_names: self.var_names.clone(),
            structure: self.structure.clone(),
            zero_gradient_rule: self.rule.summary(),
            has_phi: self.has_phi,
            flat_set: flat_set.map(<[Vec<f64>]>::to_vec),
        };
        HarnessReport::assemble(cfg.clone(), head, runs, gd_runs)
    }

    /// Runs one chunk of runs with both methods.
    fn run_chunk(
        &self,
        r: std::ops::Range<u64>,
        ctx: &LoopCtx,
    ) -> (Vec<RunResult>, Vec<RunResult>) {
        let cfg = ctx.cfg;
        let mut rngs = Vec::new();
        let mut starts = Vec::new();
        for i in r.clone() {
            let mut rng = run_rng(cfg.seed, i, 0);
            starts.push(start_from(&mut rng, cfg));
            rngs.push(rng);
        }
        let want_tail: Vec<bool> = r
            .clone()
            .map(|i| cfg.precision_bits.is_some() && i < cfg.mpfr_runs)
            .collect();
        let mut st = Lanes::new(&starts, rngs.clone(), want_tail);
        self.drive(&mut st, ctx, Method::Ngd);
        let mut ngd: Vec<RunResult> = r
            .clone()
            .enumerate()
            .map(|(j, i)| self.finish(&mut st, j, i, &starts[j], ctx))
            .collect();
        if let Some(bits) = cfg.precision_bits {
            for (j, run) in ngd.iter_mut().enumerate() {
                if st.want_tail[j] {
                    run.mpfr = Some(self.mpfr_tail(
                        cfg,
                        run.index,
                        st.tail[j].as_deref(),
                        &run.end,
                        bits,
                        ctx.flat,
                    ));
                }
            }
        }
        let mut gd = Vec::new();
        if cfg.gd_baseline {
            let mut st = Lanes::new(&starts, rngs, vec![false; starts.len()]);
            self.drive(&mut st, ctx, Method::Gd);
            gd = r
                .enumerate()
                .map(|(j, i)| self.finish(&mut st, j, i, &starts[j], ctx))
                .collect();
        }
        (ngd, gd)
    }

    /// The result of lane `j` (run `index`) after the loop.
    fn finish(
        &self,
        st: &mut Lanes,
        j: usize,
        index: u64,
        start: &[f64],
        ctx: &LoopCtx,
    ) -> RunResult {
        let cfg = ctx.cfg;
        let end = st.point(j);
        let mut vals = vec![0.0; self.vals.n_outputs()];
        self.vals.eval_f64(&end, &mut Vec::new(), &mut vals);
        let phi = self.has_phi.then(|| vals[1]);
        let dist = ctx.flat.map(|s| dist_to_set(&end, s));
        let stop = st.stop[j].take();
        let (outcome, stall, steps) = match &stop {
            Some(s) => (s.outcome, s.stall, s.step),
            None => {
                let o = if dist.is_some_and(|d| d <= cfg.tolerance) {
                    Outcome::NearFlat
                } else if self.near_pole_of_phi(&end, cfg.pole_radius) {
                    Outcome::PoleOfPhi
                } else {
                    Outcome::Elsewhere
                };
                (o, None, cfg.iterations)
            }
        };
        st.stop[j] = stop;
        RunResult {
            index,
            start: start.to_vec(),
            end,
            f: vals[0],
            phi,
            dist_to_s: dist,
            outcome,
            stall,
            steps,
            zero_gradient_events: st.events[j],
            mpfr: None,
            trajectory: st.traj.get(j).cloned(),
        }
    }
}

fn start_from(rng: &mut Pcg64, cfg: &HarnessConfig) -> Vec<f64> {
    cfg.start_box
        .iter()
        .map(|&(lo, hi)| lo + (hi - lo) * rng.random::<f64>())
        .collect()
}
