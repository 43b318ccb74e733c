//! The fast f64 paths: IEEE semantics, no per-instruction error checks, all bit-identical
//! to each other and to the generic `f64` path where it succeeds (numerical evidence only).

use super::Tape;
use crate::instr::apply;
use crate::lanes::{LaneBlock, PointSlots};

/// Lanes per chunk of [`Tape::eval_f64_batch`]: each instruction runs over a whole chunk
/// (one dispatch per chunk, a long vectorizable loop), and a chunk's working set of
/// `CH * 8` bytes per row stays in L1 for small tapes.
const CH: usize = 128;

impl Tape {
    /// Fast f64 evaluation at one point: no `Result` per instruction, IEEE semantics (a pole
    /// gives an infinity or NaN, `log` of a negative number NaN, an even root of a negative
    /// number NaN; `max`/`min`/`sign` propagate NaN). The caller checks the outputs for
    /// finiteness. Numerical evidence only. Wherever the generic `f64` path succeeds, the
    /// values agree with it bit for bit.
    ///
    /// Panics if `x.len() != n_vars()` or `out.len() != n_outputs()`.
    pub fn eval_f64(&self, x: &[f64], scratch: &mut Vec<f64>, out: &mut [f64]) {
        assert_eq!(
            x.len(),
            self.n_vars,
            "Tape::eval_f64: wrong number of inputs"
        );
        assert_eq!(
            out.len(),
            self.outputs.len(),
            "Tape::eval_f64: wrong number of outputs"
        );
        let base = self.base();
        scratch.resize(self.n_slots(), 0.0);
        let s = &mut scratch[..];
        s[..self.n_vars].copy_from_slice(x);
        for (d, c) in s[self.n_vars..base].iter_mut().zip(&self.consts) {
            *d = c.f64_nearest();
        }
        self.run_f64(s);
        for (o, &slot) in out.iter_mut().zip(&self.outputs) {
            *o = s[slot as usize];
        }
    }

    /// The instructions of the fast f64 paths on slots whose inputs and constants are set.
    #[inline(always)]
    fn run_f64(&self, s: &mut [f64]) {
        let base = self.base();
        let s = &mut s[..base + self.instrs.len()];
        for (i, ins) in self.instrs.iter().enumerate() {
            s[base + i] = apply(ins.op, s[ins.a as usize], s[ins.b as usize]);
        }
    }

    /// Slots for [`Tape::eval_point`], with the constants written (once).
    pub fn point_slots(&self) -> PointSlots {
        let mut slots = vec![0.0; self.n_slots()];
        for (d, c) in slots[self.n_vars..].iter_mut().zip(&self.consts) {
            *d = c.f64_nearest();
        }
        PointSlots {
            slots,
            n_in: self.n_vars,
            outputs: self.outputs.clone(),
        }
    }

    /// [`Tape::eval_f64`] without per-call setup: evaluates at the point in
    /// `p.input()`, leaving output `o` in `p.output(o)`. The same values bit for bit.
    ///
    /// Panics if `p` was not made by [`Tape::point_slots`] of a tape of this size.
    #[inline]
    pub fn eval_point(&self, p: &mut PointSlots) {
        assert_eq!(
            p.slots.len(),
            self.n_slots(),
            "Tape::eval_point: slots of another tape"
        );
        self.run_f64(&mut p.slots);
    }

    /// Outputs `0..N` at the point in `p.input()`, returned by value: the same values, bit
    /// for bit, as [`Tape::eval_point`] (which it also performs: `p.output` is set). For
    /// loops where each point depends on the last: an operand that is the previous
    /// instruction's value is taken from a register rather than reloaded from its slot, and
    /// the last instruction's value is returned from a register, which shortens the
    /// latency of one evaluation.
    ///
    /// Panics if `N > n_outputs()` or `p` was made by another tape.
    #[inline]
    pub fn eval_point_outputs<const N: usize>(&self, p: &mut PointSlots) -> [f64; N] {
        assert!(
            N <= self.outputs.len(),
            "Tape::eval_point_outputs: too many outputs"
        );
        assert_eq!(
            p.slots.len(),
            self.n_slots(),
            "Tape::eval_point_outputs: slots of another tape"
        );
        let base = self.base();
        let s = &mut p.slots[..base + self.instrs.len()];
        let mut last = 0.0;
        for (i, (ins, &prev)) in self.instrs.iter().zip(&self.prev).enumerate() {
            let (a, b) = (ins.a as usize, ins.b as usize);
            last = match prev {
                0 => apply(ins.op, s[a], s[b]),
                1 => apply(ins.op, last, s[b]),
                2 => apply(ins.op, s[a], last),
                _ => apply(ins.op, last, last),
            };
            s[base + i] = last;
        }
        let n_slots = s.len();
        std::array::from_fn(|o| {
            let slot = self.outputs[o] as usize;
            if slot + 1 == n_slots && !self.instrs.is_empty() {
                last
            } else {
                s[slot]
            }
        })
    }

    /// A buffer for [`Tape::eval_lanes`] at `width` points.
    pub fn lane_block(&self, width: usize) -> LaneBlock {
        self.lanes.block(width)
    }

    /// Evaluates every lane of `b` (made by [`Tape::lane_block`] of this tape): output `o`
    /// of lane `l` becomes `b.output(o)[l]`, computed from `b.input(v)[l]`. Same semantics
    /// and values, bit for bit, as [`Tape::eval_f64`] at each lane's point: every lane
    /// performs exactly the scalar sequence of IEEE operations, whatever the width.
    ///
    /// Each instruction runs as one tight loop over the lanes (vectorized by the compiler);
    /// rows are reused once dead and constants are folded into the instructions, so a
    /// block of a few dozen lanes of a small tape stays in L1. No allocation.
    ///
    /// Panics if `b` was made by a tape of another shape.
    pub fn eval_lanes(&self, b: &mut LaneBlock) {
        let (w, stride) = (b.width(), b.stride());
        self.lanes.eval(b.rows_for(self.lanes.n_rows()), stride, w);
    }

    /// The number of rows (of `width` values each) of a [`LaneBlock`] of this tape: its
    /// inputs, intermediate values and outputs; a block takes `8 * width * lane_rows()`
    /// bytes.
    pub fn lane_rows(&self) -> usize {
        self.lanes.n_rows()
    }

    /// Batched fast f64 evaluation at `lanes` points, structure of arrays: `x[v * lanes + l]`
    /// is variable `v` at point `l`, and `out[o * lanes + l]` receives output `o` at point
    /// `l`. Same semantics as [`Tape::eval_f64`], and the same values bit for bit: each lane
    /// performs exactly the scalar sequence of IEEE operations.
    ///
    /// Lanes are processed in chunks of 128 as by [`Tape::eval_lanes`], with the inputs
    /// copied in and the outputs copied out; `scratch` holds one chunk's rows and is reused
    /// between calls.
    ///
    /// Panics if `x.len() != n_vars() * lanes` or `out.len() != n_outputs() * lanes`.
    pub fn eval_f64_batch(&self, lanes: usize, x: &[f64], scratch: &mut Vec<f64>, out: &mut [f64]) {
        assert_eq!(
            x.len(),
            self.n_vars * lanes,
            "Tape::eval_f64_batch: wrong input length"
        );
        assert_eq!(
            out.len(),
            self.outputs.len() * lanes,
            "Tape::eval_f64_batch: wrong output length"
        );
        let w = CH.min(lanes).max(1);
        let plan = &self.lanes;
        scratch.clear();
        scratch.resize(plan.n_rows() * w, 0.0);
        plan.init(scratch, w);
        let mut l0 = 0;
        while l0 < lanes {
            let m = w.min(lanes - l0);
            for v in 0..self.n_vars {
                scratch[v * w..][..m].copy_from_slice(&x[v * lanes + l0..][..m]);
            }
            plan.eval(scratch, w, m);
            for o in 0..self.outputs.len() {
                let r = plan.output_row(o);
                out[o * lanes + l0..][..m].copy_from_slice(&scratch[r * w..][..m]);
            }
            l0 += m;
        }
    }
}
