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
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs per chunk at most. The NGD and GD loops split a chunk into blocks whose rows stay in
/// L1 (see `kernel::block_width`): up to 512 lanes for a small tape like that of `xy`
/// (fewer passes per lane than 128), 128 for `prod8`.
const MAX_LANES: u64 = 512;

/// Steps of one chunk at most (runs times iterations times methods), about 0.2 s of a small
/// tape in a release build. An interrupt takes effect between chunks, so a chunk must not hold
/// the whole run; the benchmark's chunks (512 runs of `10^5` NGD steps) stay whole.
const MAX_CHUNK_STEPS: u64 = 1 << 26;

/// The chunks of `runs`: about one per thread (for balance), at most [`MAX_LANES`] runs and,
/// where a run has fewer than [`MAX_CHUNK_STEPS`] steps, at most that many steps each.
fn chunk_ranges(runs: Range<u64>, threads: u64, steps_per_run: u64) -> Vec<Range<u64>> {
    let count = runs.end - runs.start;
    let by_work = (MAX_CHUNK_STEPS / steps_per_run.max(1)).max(1);
    let chunk = count
        .div_ceil(threads.max(1))
        .clamp(1, MAX_LANES)
        .min(by_work);
    (0..count.div_ceil(chunk))
        .map(|c| {
            let lo = runs.start + c * chunk;
            lo..(lo + chunk).min(runs.end)
        })
        .collect()
}

/// Whether `interrupt` is set.
fn stopped(interrupt: Option<&AtomicBool>) -> bool {
    // A flag with no data behind it: any ordering sees the store soon enough.
    interrupt.is_some_and(|f| f.load(Ordering::Relaxed))
}

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
        self.run_interruptible(cfg, flat_set, None)
    }

    /// [`Harness::run`] that stops early once `interrupt` is set (by a signal handler, say).
    /// Chunks not yet started are skipped and a running chunk is dropped at its next method
    /// boundary (NGD loop, MPFR tails, GD loop), so the report holds whole runs only, in
    /// index order, and its summaries cover those runs. It is marked
    /// [`HarnessReport::interrupted`] when a run is missing; a flag set after the last chunk
    /// changes nothing. The runs kept are bit for bit those of an uninterrupted run.
    ///
    /// # Panics
    ///
    /// As [`Harness::run`].
    pub fn run_interruptible(
        &self,
        cfg: &HarnessConfig,
        flat_set: Option<&[Vec<f64>]>,
        interrupt: Option<&AtomicBool>,
    ) -> HarnessReport {
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
        let methods = if cfg.gd_baseline { 2 } else { 1 };
        let threads = rayon::current_num_threads() as u64;
        let chunks = chunk_ranges(range, threads, cfg.iterations.saturating_mul(methods));
        let pb = cfg
            .progress
            .then(|| progress_bar(count * cfg.iterations * methods));
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
        let parts: Vec<Option<ChunkRuns>> = chunks
            .into_par_iter()
            .map(|r| self.run_chunk(r, &ctx, interrupt))
            .collect();
        if let Some(pb) = pb {
            pb.finish_and_clear();
        }
        let interrupted = parts.iter().any(Option::is_none);
        let mut runs = Vec::with_capacity(count as usize);
        let mut gd_runs = Vec::new();
        for (a, b) in parts.into_iter().flatten() {
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
        let mut report = HarnessReport::assemble(cfg.clone(), head, runs, gd_runs);
        report.interrupted = interrupted;
        report
    }

    /// Runs one chunk of runs with both methods; `None` when `interrupt` was set before the
    /// chunk was complete.
    fn run_chunk(
        &self,
        r: Range<u64>,
        ctx: &LoopCtx,
        interrupt: Option<&AtomicBool>,
    ) -> Option<ChunkRuns> {
        if stopped(interrupt) {
            return None;
        }
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
                if stopped(interrupt) {
                    return None;
                }
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
            if stopped(interrupt) {
                return None;
            }
            let mut st = Lanes::new(&starts, rngs, vec![false; starts.len()]);
            self.drive(&mut st, ctx, Method::Gd);
            gd = r
                .enumerate()
                .map(|(j, i)| self.finish(&mut st, j, i, &starts[j], ctx))
                .collect();
        }
        Some((ngd, gd))
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

/// The NGD runs and the GD baseline runs of one chunk.
type ChunkRuns = (Vec<RunResult>, Vec<RunResult>);

/// The progress bar of `total` steps (on stderr).
fn progress_bar(total: u64) -> ProgressBar {
    let pb = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(
        "NGD harness {wide_bar} {percent:>3}% [{elapsed_precise} < {eta_precise}]",
    ) {
        pb.set_style(style);
    }
    pb
}

fn start_from(rng: &mut Pcg64, cfg: &HarnessConfig) -> Vec<f64> {
    cfg.start_box
        .iter()
        .map(|&(lo, hi)| lo + (hi - lo) * rng.random::<f64>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{chunk_ranges, MAX_CHUNK_STEPS, MAX_LANES};
    use crate::{prepare, Harness, HarnessConfig};
    use ngd_parse::{parse_expr, Params};
    use std::sync::atomic::AtomicBool;

    fn xy_harness() -> Harness {
        let mut arena = ngd_expr::Arena::new(vec!["x".into(), "y".into()]);
        let f = parse_expr(&mut arena, "(x*y - 1)^2", &Params::new()).expect("f parses");
        let phi = parse_expr(&mut arena, "(x^2 - y^2)^2", &Params::new()).expect("phi parses");
        prepare(&mut arena, f, Some(phi))
    }

    fn small_config() -> HarnessConfig {
        HarnessConfig {
            starts: 24,
            iterations: 500,
            start_box: vec![(0.2, 1.8); 2],
            ..HarnessConfig::default()
        }
    }

    #[test]
    fn chunks_cover_the_runs_once_within_the_bounds() {
        for (runs, threads, steps) in [
            (0..0, 2, 1000),
            (0..1, 2, 1000),
            (5..1030, 1, 100_000),
            (0..1000, 2, 400_000),
            (0..3, 4, u64::MAX),
            (7..100_007, 3, 1),
        ] {
            let chunks = chunk_ranges(runs.clone(), threads, steps);
            let covered: Vec<u64> = chunks.iter().flat_map(|c| c.clone()).collect();
            assert_eq!(covered, runs.clone().collect::<Vec<_>>(), "{runs:?}");
            for c in &chunks {
                let len = c.end - c.start;
                assert!((1..=MAX_LANES).contains(&len), "{c:?}");
                assert!(
                    len == 1 || len * steps <= MAX_CHUNK_STEPS,
                    "{c:?} x {steps}"
                );
            }
        }
        // The benchmark's one-thread chunks stay whole: 512 runs of 10^5 NGD steps.
        assert_eq!(chunk_ranges(0..1024, 1, 100_000).len(), 2);
    }

    #[test]
    fn an_unset_flag_gives_the_full_run() {
        let h = xy_harness();
        let cfg = small_config();
        let flag = AtomicBool::new(false);
        let full = h.run(&cfg, None);
        let watched = h.run_interruptible(&cfg, None, Some(&flag));
        assert_eq!(full, watched);
        assert!(!watched.interrupted);
        assert_eq!(watched.runs.len(), 24);
    }

    #[test]
    fn a_set_flag_stops_before_any_chunk_and_marks_the_report() {
        let h = xy_harness();
        let cfg = small_config();
        let flag = AtomicBool::new(true);
        let r = h.run_interruptible(&cfg, None, Some(&flag));
        assert!(r.interrupted);
        assert!(r.runs.is_empty() && r.gd_runs.is_empty());
        assert_eq!(r.ngd.runs, 0);
        assert_eq!(
            r.config.starts, 24,
            "the configuration still says what was asked"
        );
    }
}
