//! The batched f64 loops: NGD and the GD baseline over a chunk of runs ("lanes"), structure
//! of arrays, no allocation per step.
//!
//! Every lane performs exactly the sequence of IEEE operations of a lone run (the tape's
//! batched path is bit-identical to its scalar path, and the update is elementwise), so a
//! run's numbers do not depend on which chunk, thread or shard it ran in.
//!
//! Per-lane events do not break the vectorized update: a lane whose `|grad f|^2` is not a
//! positive normal float gets step 0 in the vectorized pass and is then finished on its own
//! by the subdifferential rule ([`crate::rule`]); stopped lanes keep step 0.

use crate::config::{HarnessConfig, DIVERGENCE_CHECK_EVERY};
use crate::harness::Harness;
use crate::report::{Outcome, StallKind, Trajectory};
use crate::rule::{ngd_event_step, RuleBufs};
use indicatif::ProgressBar;
use ngd_eval::Tape;
use rand_pcg::Pcg64;

/// Why and where a lane stopped.
#[derive(Clone, Debug)]
pub(crate) struct Stop {
    pub outcome: Outcome,
    pub stall: Option<StallKind>,
    pub step: u64,
    pub point: Vec<f64>,
}

/// The state of a chunk of runs.
pub(crate) struct Lanes {
    pub l: usize,
    pub n: usize,
    /// `x[v * l + lane]`.
    pub x: Vec<f64>,
    /// 1.0 for running lanes, 0.0 for stopped ones.
    pub active: Vec<f64>,
    pub stop: Vec<Option<Stop>>,
    pub events: Vec<u64>,
    pub rng: Vec<Pcg64>,
    pub traj: Vec<Trajectory>,
    /// The iterate at the start of the MPFR tail, per lane (when requested).
    pub tail: Vec<Option<Vec<f64>>>,
    /// Which lanes want an MPFR tail.
    pub want_tail: Vec<bool>,
}

impl Lanes {
    pub(crate) fn new(starts: &[Vec<f64>], rng: Vec<Pcg64>, want_tail: Vec<bool>) -> Lanes {
        let l = starts.len();
        let n = starts.first().map_or(0, Vec::len);
        let mut x = vec![0.0; n * l];
        for (j, s) in starts.iter().enumerate() {
            for (v, &sv) in s.iter().enumerate() {
                x[v * l + j] = sv;
            }
        }
        Lanes {
            l,
            n,
            x,
            active: vec![1.0; l],
            stop: vec![None; l],
            events: vec![0; l],
            rng,
            traj: Vec::new(),
            tail: vec![None; l],
            want_tail,
        }
    }

    /// The current point of a lane (its stop point once stopped).
    pub(crate) fn point(&self, j: usize) -> Vec<f64> {
        match &self.stop[j] {
            Some(s) => s.point.clone(),
            None => (0..self.n).map(|v| self.x[v * self.l + j]).collect(),
        }
    }

    fn gather(&self, j: usize, into: &mut Vec<f64>) {
        into.clear();
        into.extend((0..self.n).map(|v| self.x[v * self.l + j]));
    }

    fn scatter(&mut self, j: usize, from: &[f64]) {
        for (v, &xv) in from.iter().enumerate() {
            self.x[v * self.l + j] = xv;
        }
    }

    fn halt(&mut self, j: usize, outcome: Outcome, stall: Option<StallKind>, step: u64) {
        let point = self.point(j);
        self.stop[j] = Some(Stop {
            outcome,
            stall,
            step,
            point,
        });
        self.active[j] = 0.0;
    }

    fn any_active(&self) -> bool {
        self.active.iter().any(|&a| a != 0.0)
    }
}

/// Work buffers of a chunk.
#[derive(Default)]
pub(crate) struct Bufs {
    scratch: Vec<f64>,
    /// The outputs of `grad f`, `g[v * l + lane]`.
    g: Vec<f64>,
    /// Per lane: `|grad f|^2`, then the step length (0: no vectorized step).
    s: Vec<f64>,
    point: Vec<f64>,
    grad: Vec<f64>,
    vals: Vec<f64>,
    bad: Vec<usize>,
    rule: RuleBufs,
}

/// What the loops need besides the lanes.
pub(crate) struct LoopCtx<'a> {
    pub cfg: &'a HarnessConfig,
    pub record_ks: &'a [u64],
    pub tail_k: Option<u64>,
    pub flat: Option<&'a [Vec<f64>]>,
    pub progress: Option<&'a ProgressBar>,
}

/// The method a loop runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Ngd,
    Gd,
}

impl Harness {
    /// Runs `cfg.iterations` steps of `method` on every lane, with the checkpoints
    /// (divergence test, trajectory records, MPFR tail start, progress) between blocks.
    pub(crate) fn drive(&self, st: &mut Lanes, ctx: &LoopCtx, method: Method) {
        let big_n = ctx.cfg.iterations;
        let r2 = ctx.cfg.divergence_radius * ctx.cfg.divergence_radius;
        let mut b = Bufs::default();
        b.g.resize(self.n * st.l, 0.0);
        b.s.resize(st.l, 0.0);
        if !ctx.record_ks.is_empty() {
            st.traj = (0..st.l)
                .map(|_| Trajectory {
                    k: Vec::new(),
                    x: Vec::new(),
                    f: Vec::new(),
                    phi: Vec::new(),
                    dist_to_s: Vec::new(),
                })
                .collect();
        }
        let mut ri = 0;
        let mut k = 0u64;
        let mut reported = 0u64;
        loop {
            if k % DIVERGENCE_CHECK_EVERY == 0 || k == big_n {
                check_divergence(st, k, r2, method);
            }
            while ri < ctx.record_ks.len() && ctx.record_ks[ri] == k {
                self.record(st, k, ctx, &mut b);
                ri += 1;
            }
            if method == Method::Ngd && ctx.tail_k == Some(k) {
                for j in 0..st.l {
                    if st.want_tail[j] && st.stop[j].is_none() {
                        st.tail[j] = Some(st.point(j));
                    }
                }
            }
            if k == big_n {
                break;
            }
            if !st.any_active() {
                while ri < ctx.record_ks.len() {
                    self.record(st, ctx.record_ks[ri], ctx, &mut b);
                    ri += 1;
                }
                break;
            }
            let mut next = big_n.min((k / DIVERGENCE_CHECK_EVERY + 1) * DIVERGENCE_CHECK_EVERY);
            if ri < ctx.record_ks.len() {
                next = next.min(ctx.record_ks[ri]);
            }
            if let Some(t) = ctx.tail_k {
                if t > k {
                    next = next.min(t);
                }
            }
            match method {
                Method::Ngd => self.ngd_block(st, &mut b, k, next, ctx.cfg),
                Method::Gd => self.gd_block(st, &mut b, k, next, ctx.cfg.gd_step),
            }
            if let Some(pb) = ctx.progress {
                let done = next * st.l as u64;
                if done - reported >= 1 << 16 {
                    pb.inc(done - reported);
                    reported = done;
                }
            }
            k = next;
        }
        if let Some(pb) = ctx.progress {
            pb.inc(big_n * st.l as u64 - reported);
        }
    }

    #[inline(always)]
    fn eval_tape(tape: &Tape, l: usize, x: &[f64], b: &mut Bufs) {
        if l == 1 {
            tape.eval_f64(x, &mut b.scratch, &mut b.g);
        } else {
            tape.eval_f64_batch(l, x, &mut b.scratch, &mut b.g);
        }
    }

    /// NGD steps `k0..k1`.
    fn ngd_block(&self, st: &mut Lanes, b: &mut Bufs, k0: u64, k1: u64, cfg: &HarnessConfig) {
        let l = st.l;
        if l == 1 {
            return self.ngd_block_single(st, b, k0, k1, cfg);
        }
        for k in k0..k1 {
            let a = cfg.schedule.step(k);
            Self::eval_tape(&self.grad, l, &st.x, b);
            let bad = ngd_update(l, &mut st.x, &b.g, &st.active, &mut b.s, a);
            if bad {
                self.ngd_events(st, b, a, k);
            }
        }
    }

    /// [`Harness::ngd_block`] for a single lane: the same operations (bit for bit) without
    /// the per-lane buffers.
    fn ngd_block_single(
        &self,
        st: &mut Lanes,
        b: &mut Bufs,
        k0: u64,
        k1: u64,
        cfg: &HarnessConfig,
    ) {
        if st.active[0] == 0.0 {
            return;
        }
        let n = self.n;
        for k in k0..k1 {
            let a = cfg.schedule.step(k);
            self.grad.eval_f64(&st.x, &mut b.scratch, &mut b.g);
            let gf = &b.g[..n];
            let mut q = 0.0;
            for &gv in gf {
                q += gv * gv;
            }
            if normal(q) {
                let s = a / q.sqrt();
                if let ([x0, x1], [g0, g1]) = (&mut st.x[..], gf) {
                    // One 16-byte store, so the tape's copy of `x` can forward it.
                    let v = [*x0 - s * g0, *x1 - s * g1];
                    st.x.copy_from_slice(&v);
                } else {
                    for (xv, &gv) in st.x.iter_mut().zip(gf) {
                        *xv -= s * gv;
                    }
                }
                continue;
            }
            b.s[0] = 0.0;
            self.ngd_events(st, b, a, k);
            if st.active[0] == 0.0 {
                return;
            }
        }
    }

    /// Finishes the lanes that the vectorized update skipped.
    #[cold]
    #[inline(never)]
    fn ngd_events(&self, st: &mut Lanes, b: &mut Bufs, a: f64, k: u64) {
        let l = st.l;
        b.bad.clear();
        for (j, (&sv, &act)) in b.s.iter().zip(&st.active).enumerate() {
            if sv == 0.0 && act != 0.0 {
                b.bad.push(j);
            }
        }
        for idx in 0..b.bad.len() {
            let j = b.bad[idx];
            st.gather(j, &mut b.point);
            b.grad.clear();
            b.grad.extend((0..self.n).map(|v| b.g[v * l + j]));
            match ngd_event_step(
                &self.rule,
                &mut b.point,
                &b.grad,
                a,
                &mut st.rng[j],
                &mut b.rule,
            ) {
                Ok(event) => {
                    st.events[j] += u64::from(event);
                    st.scatter(j, &b.point);
                }
                Err((outcome, stall)) => st.halt(j, outcome, stall, k),
            }
        }
    }

    /// GD steps `k0..k1`: `x <- x - h grad f` on the running lanes.
    fn gd_block(&self, st: &mut Lanes, b: &mut Bufs, k0: u64, k1: u64, h: f64) {
        let l = st.l;
        for (s, &act) in b.s.iter_mut().zip(&st.active) {
            *s = h * act;
        }
        for _ in k0..k1 {
            Self::eval_tape(&self.grad, l, &st.x, b);
            for (xrow, grow) in st.x.chunks_exact_mut(l).zip(b.g.chunks_exact(l)) {
                for ((xv, &gv), &s) in xrow.iter_mut().zip(grow).zip(&b.s) {
                    *xv = if s != 0.0 { *xv - s * gv } else { *xv };
                }
            }
        }
    }

    /// Records `x_k`, `f`, `phi` and the distance to `S` of every lane.
    fn record(&self, st: &mut Lanes, k: u64, ctx: &LoopCtx, b: &mut Bufs) {
        b.vals.resize(self.vals.n_outputs(), 0.0);
        for j in 0..st.l {
            let p = st.point(j);
            self.vals.eval_f64(&p, &mut b.scratch, &mut b.vals);
            let t = &mut st.traj[j];
            t.k.push(k);
            t.f.push(b.vals[0]);
            if self.has_phi {
                t.phi.push(b.vals[1]);
            }
            if let Some(s) = ctx.flat {
                t.dist_to_s.push(dist_to_set(&p, s));
            }
            t.x.push(p);
        }
    }
}

/// The vectorized NGD update of every lane: `x -= a g/|g|` where `|g|^2` is a positive
/// normal float and the lane runs; other lanes get step 0. Returns whether a running lane
/// was skipped (its step `s` is left at 0 for [`Harness::ngd_events`]).
#[inline(always)]
fn ngd_update(l: usize, x: &mut [f64], g: &[f64], active: &[f64], s: &mut [f64], a: f64) -> bool {
    let s = &mut s[..l];
    let mut rows = g.chunks_exact(l);
    let first = rows.next().expect("at least one variable");
    for (d, &gv) in s.iter_mut().zip(first) {
        *d = gv * gv;
    }
    for row in rows {
        for (d, &gv) in s.iter_mut().zip(row) {
            *d += gv * gv;
        }
    }
    let mut bad = false;
    for (d, &act) in s.iter_mut().zip(active) {
        let q = *d;
        let ok = normal(q);
        bad |= !ok & (act != 0.0);
        *d = if ok { a / q.sqrt() * act } else { 0.0 };
    }
    for (xrow, grow) in x.chunks_exact_mut(l).zip(g.chunks_exact(l)) {
        for ((xv, &gv), &sv) in xrow.iter_mut().zip(grow).zip(s.iter()) {
            *xv = if sv != 0.0 { *xv - sv * gv } else { *xv };
        }
    }
    bad
}

/// Whether `q` is a positive normal float (so `a / sqrt(q)` is finite and accurate).
#[inline(always)]
fn normal(q: f64) -> bool {
    (f64::MIN_POSITIVE..=f64::MAX).contains(&q)
}

/// Stops the running lanes outside the ball of radius `sqrt(r2)` (diverged) or with a NaN
/// coordinate: non-finite for NGD (whose steps are bounded, so only a NaN gradient can do
/// that), diverged for GD (whose unbounded steps overflow to `inf - inf` within a few steps
/// once they blow up).
fn check_divergence(st: &mut Lanes, k: u64, r2: f64, method: Method) {
    for j in 0..st.l {
        if st.active[j] == 0.0 {
            continue;
        }
        let mut s = 0.0;
        let mut nan = false;
        for v in 0..st.n {
            let xv = st.x[v * st.l + j];
            nan |= xv.is_nan();
            s += xv * xv;
        }
        if nan && method == Method::Ngd {
            st.halt(j, Outcome::NonFinite, None, k);
        } else if nan || s > r2 {
            st.halt(j, Outcome::Diverged, None, k);
        }
    }
}

/// The Euclidean distance from `p` to the nearest point of `set` (infinite for an empty set).
pub(crate) fn dist_to_set(p: &[f64], set: &[Vec<f64>]) -> f64 {
    set.iter()
        .map(|q| {
            p.iter()
                .zip(q)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
                .sqrt()
        })
        .fold(f64::INFINITY, f64::min)
}
