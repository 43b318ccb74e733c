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
//!
//! Layout: a chunk's lanes are split into blocks ([`LaneBlock`]) whose rows (the point, the
//! tape's intermediate values and `grad f`) stay in L1; between two checkpoints each block
//! runs all its steps in place (the tape's passes, then one fused loop for the norm, the
//! step and the move). A single lane takes the tape's one-point path
//! ([`ngd_eval::Tape::eval_point_outputs`]) with the point kept in the tape's slots.

use crate::config::{HarnessConfig, DIVERGENCE_CHECK_EVERY};
use crate::distance::dist_to_set;
use crate::problem::Harness;
use crate::report::{Outcome, StallKind, Trajectory};
use crate::rule::{ngd_event_step, RuleBufs};
use indicatif::ProgressBar;
use ngd_eval::vector::simd;
use ngd_eval::{LaneBlock, LaneOutputs, PointSlots};
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
    /// Work buffer of the divergence test: `|x|^2` per lane.
    norm2: Vec<f64>,
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
            norm2: Vec::new(),
        }
    }

    /// The current point of a lane (its stop point once stopped).
    pub(crate) fn point(&self, j: usize) -> Vec<f64> {
        match &self.stop[j] {
            Some(s) => s.point.clone(),
            None => (0..self.n).map(|v| self.x[v * self.l + j]).collect(),
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

/// The bytes of a block's rows (inputs, intermediate values, outputs) the NGD and GD loops
/// aim to keep in L1: the block width is chosen from the tape's row count.
const BLOCK_BYTES: usize = 65536;

/// The smallest block width chosen for a large chunk (narrower blocks pay the per-pass
/// cost of the tape's instructions too often).
const MIN_BLOCK: usize = 64;

/// The widest block (the harness's chunks have at most 512 lanes anyway).
const MAX_BLOCK: usize = 512;

/// The block width for a tape of `rows` rows and a chunk of `l` lanes: the chunk split
/// into equal blocks (up to a multiple of 16 lanes) of about [`BLOCK_BYTES`] of rows each,
/// within `MIN_BLOCK..=MAX_BLOCK` lanes, at most `l`.
fn block_width(rows: usize, l: usize) -> usize {
    let target = (BLOCK_BYTES / (8 * rows.max(1))).clamp(MIN_BLOCK, MAX_BLOCK);
    let blocks = l.div_ceil(target);
    l.div_ceil(blocks).next_multiple_of(16).min(l).max(1)
}

/// Work buffers of a chunk.
#[derive(Default)]
pub(crate) struct Bufs {
    scratch: Vec<f64>,
    /// The blocks of lanes of the chunk for the `grad f` tape (see [`block_width`]).
    blks: Vec<LaneBlock>,
    /// The blocks with a running lane.
    live: Vec<usize>,
    /// The `grad f` tape's slots for a single lane.
    pt: Option<PointSlots>,
    /// Per lane of a block: the step length of the last update (NaN: no vectorized step).
    s: Vec<f64>,
    /// Per lane of every block (`act[block * width + lane]`): 1.0 running, 0.0 stopped or
    /// padding.
    act: Vec<f64>,
    ev: EventBufs,
    vals: Vec<f64>,
}

/// Buffers of the subdifferential steps.
#[derive(Default)]
struct EventBufs {
    point: Vec<f64>,
    grad: Vec<f64>,
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

    /// Loads the chunk's lanes into blocks (made on first use) and lists the blocks with
    /// a running lane in `b.live`. Returns the block width.
    fn load_blocks(&self, st: &Lanes, b: &mut Bufs) -> usize {
        let l = st.l;
        let w = block_width(self.grad_f64.lane_rows(), l);
        let nb = l.div_ceil(w);
        if b.blks.len() != nb {
            b.blks = (0..nb).map(|_| self.grad_f64.lane_block(w)).collect();
        }
        b.s.resize(w, 0.0);
        b.act.resize(nb * w, 0.0);
        b.live.clear();
        for (bi, (blk, act)) in b.blks.iter_mut().zip(b.act.chunks_exact_mut(w)).enumerate() {
            let j0 = bi * w;
            if load_block(st, blk, act, j0, w.min(l - j0)) {
                b.live.push(bi);
            }
        }
        w
    }

    /// Stores the lanes of the live blocks back into `st`.
    fn store_blocks(st: &mut Lanes, b: &Bufs, w: usize) {
        for &bi in &b.live {
            let j0 = bi * w;
            store_block(st, &b.blks[bi], j0, w.min(st.l - j0));
        }
    }

    /// NGD steps `k0..k1`, block by block of lanes (all the steps of one block, whose rows
    /// stay in L1, then the next).
    fn ngd_block(&self, st: &mut Lanes, b: &mut Bufs, k0: u64, k1: u64, cfg: &HarnessConfig) {
        if st.l == 1 {
            return self.ngd_block_single(st, b, k0, k1, cfg);
        }
        let w = self.load_blocks(st, b);
        for &bi in &b.live {
            let blk = &mut b.blks[bi];
            let (act, s) = (&mut b.act[bi * w..][..w], &mut b.s[..w]);
            for k in k0..k1 {
                let a = cfg.schedule.step(k);
                self.grad_f64.eval_lanes(blk);
                let sd = blk.stride();
                let (x, g) = blk.split();
                if ngd_update(self.n, w, sd, x, g, act, s, a) {
                    self.ngd_events(st, blk, act, s, &mut b.ev, bi * w, a, k);
                }
            }
        }
        Self::store_blocks(st, b, w);
    }

    /// [`Harness::ngd_block`] for a single lane: the same operations (bit for bit) on the
    /// tape's own slots, with the point kept in them between steps.
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
        let mut pt = b.pt.take().unwrap_or_else(|| self.grad_f64.point_slots());
        pt.input_mut().copy_from_slice(&st.x);
        match self.n {
            1 => self.ngd_single::<1>(st, b, &mut pt, k0, k1, cfg),
            2 => self.ngd_single::<2>(st, b, &mut pt, k0, k1, cfg),
            3 => self.ngd_single::<3>(st, b, &mut pt, k0, k1, cfg),
            4 => self.ngd_single::<4>(st, b, &mut pt, k0, k1, cfg),
            _ => self.ngd_single_any(st, b, &mut pt, k0, k1, cfg),
        }
        if st.active[0] != 0.0 {
            st.x.copy_from_slice(pt.input());
        }
        b.pt = Some(pt);
    }

    /// The single-lane loop for `N` variables: the gradient in registers.
    #[inline(always)]
    fn ngd_single<const N: usize>(
        &self,
        st: &mut Lanes,
        b: &mut Bufs,
        pt: &mut PointSlots,
        k0: u64,
        k1: u64,
        cfg: &HarnessConfig,
    ) {
        for k in k0..k1 {
            let a = cfg.schedule.step(k);
            let g: [f64; N] = self.grad_f64.eval_point_outputs(pt);
            let mut q = g[0] * g[0];
            for gv in &g[1..] {
                q += gv * gv;
            }
            if normal(q) {
                let s = a / q.sqrt();
                let x: &mut [f64; N] = pt.input_mut().try_into().expect("N inputs");
                for (xv, gv) in x.iter_mut().zip(g) {
                    *xv -= s * gv;
                }
                continue;
            }
            if !self.single_event(st, b, pt, &g, a, k) {
                return;
            }
        }
    }

    /// The single-lane loop for any number of variables.
    fn ngd_single_any(
        &self,
        st: &mut Lanes,
        b: &mut Bufs,
        pt: &mut PointSlots,
        k0: u64,
        k1: u64,
        cfg: &HarnessConfig,
    ) {
        let mut g = std::mem::take(&mut b.ev.grad);
        g.resize(self.n, 0.0);
        for k in k0..k1 {
            let a = cfg.schedule.step(k);
            self.grad_f64.eval_point(pt);
            for (v, gv) in g.iter_mut().enumerate() {
                *gv = pt.output(v);
            }
            let mut q = g[0] * g[0];
            for gv in &g[1..] {
                q += gv * gv;
            }
            if normal(q) {
                let s = a / q.sqrt();
                for (xv, &gv) in pt.input_mut().iter_mut().zip(&g) {
                    *xv -= s * gv;
                }
                continue;
            }
            if !self.single_event(st, b, pt, &g, a, k) {
                break;
            }
        }
        b.ev.grad = g;
    }

    /// The subdifferential step of the single lane at step `k` (its point in `pt`, its
    /// gradient `g`). Returns whether the lane still runs; a stopped lane's point is in
    /// `st`.
    #[cold]
    #[inline(never)]
    fn single_event(
        &self,
        st: &mut Lanes,
        b: &mut Bufs,
        pt: &mut PointSlots,
        g: &[f64],
        a: f64,
        k: u64,
    ) -> bool {
        let e = &mut b.ev;
        e.point.clear();
        e.point.extend_from_slice(pt.input());
        match ngd_event_step(&self.rule, &mut e.point, g, a, &mut st.rng[0], &mut e.rule) {
            Ok(event) => {
                st.events[0] += u64::from(event);
                pt.input_mut().copy_from_slice(&e.point);
                true
            }
            Err((outcome, stall)) => {
                st.x.copy_from_slice(pt.input());
                st.halt(0, outcome, stall, k);
                false
            }
        }
    }

    /// Finishes the lanes of the block at `j0` that the vectorized update skipped (step
    /// `s` NaN while running).
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn ngd_events(
        &self,
        st: &mut Lanes,
        blk: &mut LaneBlock,
        act: &mut [f64],
        s: &[f64],
        e: &mut EventBufs,
        j0: usize,
        a: f64,
        k: u64,
    ) {
        let (l, w, sd, n) = (st.l, blk.width(), blk.stride(), self.n);
        let m = w.min(l - j0);
        let (x, g) = blk.split();
        e.point.resize(n, 0.0);
        e.grad.resize(n, 0.0);
        // 64 lanes at a time: a bit mask of the skipped lanes (a vectorized test; most
        // groups have none), then the lanes of its set bits.
        for c in (0..m).step_by(64) {
            let end = (c + 64).min(m);
            let mut mask = skipped_mask(&s[c..end], &act[c..end]);
            while mask != 0 {
                let jj = c + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                let j = j0 + jj;
                for v in 0..n {
                    e.point[v] = x[v * sd + jj];
                    e.grad[v] = g.get(v)[jj];
                }
                match ngd_event_step(
                    &self.rule,
                    &mut e.point,
                    &e.grad,
                    a,
                    &mut st.rng[j],
                    &mut e.rule,
                ) {
                    Ok(event) => {
                        st.events[j] += u64::from(event);
                        for (v, &pv) in e.point.iter().enumerate() {
                            x[v * sd + jj] = pv;
                        }
                    }
                    Err((outcome, stall)) => {
                        for v in 0..n {
                            st.x[v * l + j] = x[v * sd + jj];
                        }
                        st.halt(j, outcome, stall, k);
                        act[jj] = 0.0;
                    }
                }
            }
        }
    }

    /// GD steps `k0..k1`: `x <- x - h grad f` on the running lanes, block by block.
    fn gd_block(&self, st: &mut Lanes, b: &mut Bufs, k0: u64, k1: u64, h: f64) {
        let w = self.load_blocks(st, b);
        for &bi in &b.live {
            let blk = &mut b.blks[bi];
            let act = &b.act[bi * w..][..w];
            for _ in k0..k1 {
                self.grad_f64.eval_lanes(blk);
                let sd = blk.stride();
                let (x, g) = blk.split();
                for (v, xrow) in x.chunks_exact_mut(sd).enumerate() {
                    for ((xv, &gv), &act) in xrow[..w].iter_mut().zip(g.get(v)).zip(act) {
                        let s = h * act;
                        *xv = if s != 0.0 { *xv - s * gv } else { *xv };
                    }
                }
            }
        }
        Self::store_blocks(st, b, w);
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

/// The bit mask of the skipped running lanes among at most 64 (step NaN, active).
#[inline]
fn skipped_mask(s: &[f64], act: &[f64]) -> u64 {
    let mut mask = 0u64;
    for (i, (sv, av)) in s.iter().zip(act).enumerate() {
        mask |= u64::from(sv.is_nan() & (*av != 0.0)) << i;
    }
    mask
}

/// Loads lanes `j0..j0 + m` into the block (the padding lanes, stopped, repeat lane `j0`)
/// and their activity into `act`. Returns whether one of them runs.
fn load_block(st: &Lanes, blk: &mut LaneBlock, act: &mut [f64], j0: usize, m: usize) -> bool {
    let (l, w) = (st.l, blk.width());
    act[..m].copy_from_slice(&st.active[j0..j0 + m]);
    act[m..w].fill(0.0);
    if act[..m].iter().all(|&a| a == 0.0) {
        return false;
    }
    let sd = blk.stride();
    let (x, _) = blk.split();
    for (v, row) in x.chunks_exact_mut(sd).enumerate() {
        let src = &st.x[v * l + j0..][..m];
        row[..m].copy_from_slice(src);
        row[m..w].fill(src[0]);
    }
    true
}

/// Stores the block's lanes back to `j0..j0 + m`.
fn store_block(st: &mut Lanes, blk: &LaneBlock, j0: usize, m: usize) {
    let l = st.l;
    for v in 0..st.n {
        st.x[v * l + j0..][..m].copy_from_slice(&blk.input(v)[..m]);
    }
}

/// The vectorized NGD update of the `w` lanes of a block: `x -= s g` with the step
/// `s = a / sqrt(|g|^2)` (exactly the single-lane path's operations) where `|g|^2` is a
/// positive normal float and the lane runs; other lanes keep `x` and get step NaN. Leaves
/// the step of each lane in `s` and returns whether a running lane was skipped (step NaN,
/// for [`Harness::ngd_events`]).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn ngd_update(
    n: usize,
    w: usize,
    sd: usize,
    x: &mut [f64],
    g: LaneOutputs,
    act: &[f64],
    s: &mut [f64],
    a: f64,
) -> bool {
    match n {
        1 => ngd_update_n::<1>(w, sd, x, g, act, s, a),
        2 => ngd_update_n::<2>(w, sd, x, g, act, s, a),
        3 => ngd_update_n::<3>(w, sd, x, g, act, s, a),
        4 => ngd_update_n::<4>(w, sd, x, g, act, s, a),
        5 => ngd_update_n::<5>(w, sd, x, g, act, s, a),
        6 => ngd_update_n::<6>(w, sd, x, g, act, s, a),
        7 => ngd_update_n::<7>(w, sd, x, g, act, s, a),
        8 => ngd_update_n::<8>(w, sd, x, g, act, s, a),
        _ => ngd_update_any(n, w, sd, x, g, act, s, a),
    }
}

/// [`ngd_update`] for `N` variables: one loop over the lanes (the update of a lane in
/// registers, vectorized across lanes), so the non-divider work overlaps with the square
/// roots and divisions. Compiled for the CPU's instruction-set level ([`simd::dispatch`]).
#[inline(never)]
fn ngd_update_n<const N: usize>(
    w: usize,
    sd: usize,
    x: &mut [f64],
    g: LaneOutputs,
    act: &[f64],
    s: &mut [f64],
    a: f64,
) -> bool {
    simd::dispatch(
        #[inline(always)]
        || ngd_update_n_body::<N>(w, sd, x, g, act, s, a),
    )
}

/// The loop of [`ngd_update_n`], inlined into one copy per instruction-set level.
#[inline(always)]
fn ngd_update_n_body<const N: usize>(
    w: usize,
    sd: usize,
    x: &mut [f64],
    g: LaneOutputs,
    act: &[f64],
    s: &mut [f64],
    a: f64,
) -> bool {
    let grows: [&[f64]; N] = std::array::from_fn(|v| &g.get(v)[..w]);
    let mut xit = x.chunks_exact_mut(sd);
    let mut xrows: [&mut [f64]; N] =
        std::array::from_fn(|_| &mut xit.next().expect("one row per variable")[..w]);
    let (act, s) = (&act[..w], &mut s[..w]);
    // Every row has length `w`, so the loop below has no bounds checks.
    for v in 0..N {
        assert!(grows[v].len() == w && xrows[v].len() == w);
    }
    let mut bad = false;
    for l in 0..w {
        // SAFETY: `l < w`, and every row, `act` and `s` have length `w` (asserted above).
        bad |= unsafe { ngd_lane(l, &grows, &mut xrows, act, s, a) };
    }
    bad
}

/// The update of lane `l` (see [`ngd_update`]); returns whether it is a skipped running lane.
/// Unchecked indexing: a bounds check left in the loop made the compiled loop keep up to 32
/// lanes for a scalar tail (an exit that is not the loop's latch).
///
/// # Safety
/// `l` must be less than the length of every row, of `act` and of `s`.
#[inline(always)]
unsafe fn ngd_lane<const N: usize>(
    l: usize,
    grows: &[&[f64]; N],
    xrows: &mut [&mut [f64]; N],
    act: &[f64],
    s: &mut [f64],
    a: f64,
) -> bool {
    debug_assert!(l < act.len() && l < s.len());
    // SAFETY (every `get_unchecked` below): `l` is in bounds, by the caller's contract.
    let gl: [f64; N] = std::array::from_fn(|v| unsafe { *grows[v].get_unchecked(l) });
    let mut q = gl[0] * gl[0];
    for gv in &gl[1..] {
        q += gv * gv;
    }
    let ok = normal(q);
    let run = unsafe { *act.get_unchecked(l) } != 0.0;
    let sv = if ok & run { a / q.sqrt() } else { f64::NAN };
    unsafe { *s.get_unchecked_mut(l) = sv };
    for (xr, gv) in xrows.iter_mut().zip(gl) {
        let xl = unsafe { xr.get_unchecked_mut(l) };
        *xl = if ok & run { *xl - sv * gv } else { *xl };
    }
    !ok & run
}

/// [`ngd_update`] for any number of variables, row by row.
#[allow(clippy::too_many_arguments)]
fn ngd_update_any(
    n: usize,
    w: usize,
    sd: usize,
    x: &mut [f64],
    g: LaneOutputs,
    act: &[f64],
    s: &mut [f64],
    a: f64,
) -> bool {
    let (act, s) = (&act[..w], &mut s[..w]);
    for (d, &gv) in s.iter_mut().zip(g.get(0)) {
        *d = gv * gv;
    }
    for v in 1..n {
        for (d, &gv) in s.iter_mut().zip(g.get(v)) {
            *d += gv * gv;
        }
    }
    let mut bad = false;
    for (d, &act) in s.iter_mut().zip(act) {
        let q = *d;
        let ok = normal(q);
        let run = act != 0.0;
        bad |= !ok & run;
        *d = if ok & run { a / q.sqrt() } else { f64::NAN };
    }
    for (v, xrow) in x.chunks_exact_mut(sd).enumerate() {
        for ((xv, &gv), &sv) in xrow[..w].iter_mut().zip(g.get(v)).zip(s.iter()) {
            *xv = if sv.is_nan() { *xv } else { *xv - sv * gv };
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
    // `|x|^2` of every lane, row by row (vectorized across lanes; the same sum in coordinate
    // order as a lane-by-lane loop), and whether a coordinate is NaN (a NaN sum).
    let (l, n) = (st.l, st.n);
    let mut sq = std::mem::take(&mut st.norm2);
    sq.clear();
    sq.resize(l, 0.0);
    for row in st.x.chunks_exact(l).take(n) {
        for (q, &xv) in sq.iter_mut().zip(row) {
            *q += xv * xv;
        }
    }
    for (j, &q) in sq.iter().enumerate() {
        if st.active[j] == 0.0 || q <= r2 {
            continue;
        }
        let nan = (0..n).any(|v| st.x[v * l + j].is_nan());
        if nan && method == Method::Ngd {
            st.halt(j, Outcome::NonFinite, None, k);
        } else if nan || q > r2 {
            st.halt(j, Outcome::Diverged, None, k);
        }
    }
    st.norm2 = sq;
}
