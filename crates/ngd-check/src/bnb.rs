//! Interval branch and bound on boxes with exact rational corners.
//!
//! Enclosures are outward-rounded (`inari`), so a box whose enclosure lies in `[0, inf)` is a
//! proof for every point of the box. Bisection happens at exact rational midpoints, so the
//! cover of the search box is exact. Budgets stop the search with "inconclusive", never
//! "proved". The order of work depends only on the input, so results are deterministic; the
//! wall-clock limit is a safety net that is reported when it fires.

use crate::evidence::Witness;
use crate::points::sign_witness;
use inari::Interval;
use ngd_eval::{interval_of, Tape};
use rug::Rational;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

/// An axis-aligned box `[lo_i, hi_i]` with exact rational bounds (`lo_i <= hi_i`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RationalBox {
    /// Lower corner.
    pub lo: Vec<Rational>,
    /// Upper corner.
    pub hi: Vec<Rational>,
}

impl RationalBox {
    /// A box from its corners; `None` when the dimensions differ or some `lo_i > hi_i`.
    pub fn new(lo: Vec<Rational>, hi: Vec<Rational>) -> Option<RationalBox> {
        (lo.len() == hi.len() && lo.iter().zip(&hi).all(|(a, b)| a <= b))
            .then_some(RationalBox { lo, hi })
    }

    /// The cube `[-r, r]^n`.
    pub fn cube(n: usize, r: i64) -> RationalBox {
        RationalBox {
            lo: vec![Rational::from(-r); n],
            hi: vec![Rational::from(r); n],
        }
    }

    /// The number of coordinates.
    pub fn dim(&self) -> usize {
        self.lo.len()
    }

    /// The exact midpoint.
    pub fn center(&self) -> Vec<Rational> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| Rational::from(a + b) / 2u32)
            .collect()
    }

    /// The widths of the coordinates.
    pub fn widths(&self) -> Vec<Rational> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| Rational::from(b - a))
            .collect()
    }

    /// Splits the widest coordinate at its exact midpoint (ties: the first such coordinate).
    pub fn bisect(&self) -> (RationalBox, RationalBox) {
        let w = self.widths();
        let mut k = 0;
        for i in 1..w.len() {
            if w[i] > w[k] {
                k = i;
            }
        }
        let mid = Rational::from(&self.lo[k] + &self.hi[k]) / 2u32;
        let mut left = self.clone();
        let mut right = self.clone();
        left.hi[k] = mid.clone();
        right.lo[k] = mid;
        (left, right)
    }

    /// Outward-rounded interval coordinates.
    pub fn intervals(&self) -> Vec<Interval> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| interval_of(a, b))
            .collect()
    }

    /// The largest width as a float (for budgets and reports).
    pub fn max_width(&self) -> f64 {
        self.widths()
            .iter()
            .map(Rational::to_f64)
            .fold(0.0, f64::max)
    }
}

/// Limits of one branch-and-bound run.
#[derive(Clone, Debug)]
pub struct BranchBudget {
    /// Boxes examined at most.
    pub max_boxes: usize,
    /// Boxes narrower than this (largest width) are not split further.
    pub min_width: f64,
    /// Wall-clock safety net.
    pub max_time: Duration,
}

impl Default for BranchBudget {
    fn default() -> Self {
        BranchBudget {
            max_boxes: 20_000,
            min_width: 1e-6,
            max_time: Duration::from_secs(10),
        }
    }
}

/// Result of trying to prove `e >= 0` on a box.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum NonnegOutcome {
    /// Every box of a cover has an enclosure in `[0, inf)`.
    Proved {
        /// Boxes examined.
        boxes: usize,
        /// The smallest certified lower bound over the cover.
        lower_bound: f64,
    },
    /// A point where the expression is certainly negative.
    Refuted {
        /// The point and its certified negative value.
        witness: Witness,
        /// Boxes examined before it was found.
        boxes: usize,
    },
    /// The budget ran out (or poles/domain errors blocked the enclosures).
    Inconclusive {
        /// Boxes examined.
        boxes: usize,
        /// Boxes left undecided.
        unresolved: usize,
        /// The smallest lower bound over the undecided boxes (`-inf` where evaluation failed).
        lower_bound: f64,
        /// Why the search stopped.
        reason: String,
    },
}

struct Pending {
    lower: f64,
    seq: usize,
    bx: RationalBox,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    // The max-heap pops the lowest lower bound first, then the oldest box.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .lower
            .total_cmp(&self.lower)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// An enclosure of output 0 of `tape` on `bx`, or `None` if evaluation failed (possible
/// pole or domain error). When the tape has `1 + n` outputs, outputs `1..` are taken as the
/// gradient and the mean-value form `e(c) + grad e(B) . (B - c)` is intersected with the
/// natural enclosure.
pub fn enclose(tape: &Tape, bx: &RationalBox) -> Option<Interval> {
    let xs = bx.intervals();
    let vals = tape.eval::<Interval>(&(), &xs).ok()?;
    let natural = vals[0];
    if tape.n_outputs() != 1 + bx.dim() {
        return Some(natural);
    }
    let c = bx.center();
    let cs: Vec<Interval> = c.iter().map(|q| interval_of(q, q)).collect();
    let Ok(at_c) = tape.eval::<Interval>(&(), &cs) else {
        return Some(natural);
    };
    let mut centred = at_c[0];
    for i in 0..bx.dim() {
        centred += vals[1 + i] * (xs[i] - cs[i]);
    }
    let both = natural.intersection(centred);
    Some(if both.is_empty() { natural } else { both })
}

/// Tries to prove that output 0 of `tape` is `>= 0` on `bx` (where it is defined), by
/// bisection with interval enclosures ([`enclose`]); looks for a negative witness at box
/// centres on the way.
pub fn prove_nonneg(tape: &Tape, bx: &RationalBox, budget: &BranchBudget) -> NonnegOutcome {
    let start = Instant::now();
    let mut heap = BinaryHeap::new();
    let mut seq = 0usize;
    let mut boxes = 0usize;
    let mut proved_lower = f64::INFINITY;
    let mut stuck: Vec<f64> = Vec::new();
    let mut scratch = Vec::new();
    let mut out = vec![0.0; tape.n_outputs()];
    let mut reason = String::new();
    heap.push(Pending {
        lower: f64::NEG_INFINITY,
        seq,
        bx: bx.clone(),
    });
    while let Some(Pending { bx: b, .. }) = heap.pop() {
        boxes += 1;
        let enc = enclose(tape, &b);
        if let Some(e) = enc {
            if e.inf() >= 0.0 {
                proved_lower = proved_lower.min(e.inf());
                continue;
            }
        }
        // A cheap float probe at the centre, confirmed exactly before it is believed.
        let c = b.center();
        let cf: Vec<f64> = c.iter().map(Rational::to_f64).collect();
        tape.eval_f64(&cf, &mut scratch, &mut out);
        if out[0] < 0.0 || enc.is_some_and(|e| e.sup() < 0.0) {
            if let Some(w) = sign_witness(tape, 0, &c) {
                if w.sign < 0 {
                    return NonnegOutcome::Refuted { witness: w, boxes };
                }
            }
        }
        let lower = enc.map_or(f64::NEG_INFINITY, |e| e.inf());
        if b.max_width() < budget.min_width {
            reason = "boxes reached the minimum width".into();
            stuck.push(lower);
            continue;
        }
        if boxes >= budget.max_boxes {
            reason = format!("box budget of {} exhausted", budget.max_boxes);
            stuck.push(lower);
            stuck.extend(heap.drain().map(|p| p.lower));
            break;
        }
        if start.elapsed() > budget.max_time {
            reason = format!("time budget of {:?} exhausted", budget.max_time);
            stuck.push(lower);
            stuck.extend(heap.drain().map(|p| p.lower));
            break;
        }
        let (l, r) = b.bisect();
        for child in [l, r] {
            seq += 1;
            heap.push(Pending {
                lower,
                seq,
                bx: child,
            });
        }
    }
    if stuck.is_empty() {
        NonnegOutcome::Proved {
            boxes,
            // Adding 0.0 turns an IEEE -0.0 bound into 0.0 for the report.
            lower_bound: proved_lower + 0.0,
        }
    } else {
        NonnegOutcome::Inconclusive {
            boxes,
            unresolved: stuck.len(),
            lower_bound: stuck.iter().copied().fold(f64::INFINITY, f64::min),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_expr::Arena;

    fn tape_with_grad(build: impl FnOnce(&mut Arena) -> ngd_expr::ExprId) -> Tape {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let e = build(&mut a);
        let mut outs = vec![e];
        outs.extend(a.gradient(e));
        Tape::compile(&a, &outs)
    }

    #[test]
    fn proves_a_positive_polynomial() {
        // x^2 + y^2 + 1/10 > 0
        let t = tape_with_grad(|a| {
            let x = a.var(0);
            let y = a.var(1);
            let x2 = a.powi(x, 2);
            let y2 = a.powi(y, 2);
            let c = a.constant(Rational::from((1, 10)));
            a.add(vec![x2, y2, c])
        });
        let out = prove_nonneg(&t, &RationalBox::cube(2, 3), &BranchBudget::default());
        assert!(matches!(out, NonnegOutcome::Proved { .. }), "{out:?}");
    }

    #[test]
    fn refutes_with_an_exact_negative_witness() {
        // x*y is negative somewhere in the cube.
        let t = tape_with_grad(|a| {
            let x = a.var(0);
            let y = a.var(1);
            a.mul2(x, y)
        });
        match prove_nonneg(&t, &RationalBox::cube(2, 3), &BranchBudget::default()) {
            NonnegOutcome::Refuted { witness, .. } => assert_eq!(witness.sign, -1),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn never_proves_across_a_pole() {
        // 1/x takes both signs; near x = 0 it is undefined.
        let t = tape_with_grad(|a| {
            let x = a.var(0);
            let x2 = a.powi(x, 2);
            a.powi(x2, -1)
        });
        let b = RationalBox::cube(2, 1);
        let budget = BranchBudget {
            max_boxes: 500,
            ..BranchBudget::default()
        };
        assert!(!matches!(
            prove_nonneg(&t, &b, &budget),
            NonnegOutcome::Proved { .. }
        ));
    }

    #[test]
    fn touching_zero_is_inconclusive_not_proved_wrongly() {
        // x^2 y^2 - 0 >= 0 touches 0 on the axes: fine to prove or be inconclusive,
        // but -(x^2 y^2) must never be proved.
        let t = tape_with_grad(|a| {
            let x = a.var(0);
            let y = a.var(1);
            let x2 = a.powi(x, 2);
            let y2 = a.powi(y, 2);
            let p = a.mul2(x2, y2);
            a.neg(p)
        });
        let out = prove_nonneg(&t, &RationalBox::cube(2, 2), &BranchBudget::default());
        assert!(matches!(out, NonnegOutcome::Refuted { .. }), "{out:?}");
    }
}
