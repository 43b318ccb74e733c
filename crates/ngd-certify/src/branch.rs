//! Interval branch and bound: proving `e >= 0` on a box with exact rational corners.
//!
//! Contract: [`NonnegOutcome::Proved`] only when every box of an exact cover of the search
//! box either has a proved enclosure ([`crate::enclosure`]) in `[0, inf)` or is proved to lie
//! outside the domain of the functions the statement is about ([`Domain::misses_box`]).
//! [`NonnegOutcome::Refuted`] only with a rational witness in that domain where the value is
//! certainly negative (exact, or an interval enclosure that excludes 0). Bisection happens at
//! exact rational midpoints, so the cover is exact. Budgets are counts (boxes, minimum
//! width), so the outcome depends only on the input; when one runs out the outcome is
//! [`NonnegOutcome::Inconclusive`] and names it.

use crate::boxes::RationalBox;
use crate::domain::Domain;
use crate::enclosure::{enclose, EncloseScratch};
use crate::evidence::Witness;
use crate::points::sign_witness;
use inari::Interval;
use ngd_eval::{interval_of, Tape};
use rug::Rational;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Limits of one branch-and-bound run (counts, never time).
#[derive(Clone, Debug)]
pub struct BranchBudget {
    /// Boxes examined at most.
    pub max_boxes: usize,
    /// Boxes narrower than this (largest width) are not split further.
    pub min_width: f64,
}

impl Default for BranchBudget {
    fn default() -> Self {
        BranchBudget {
            max_boxes: 20_000,
            min_width: 1e-6,
        }
    }
}

/// Which limit stopped a branch and bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BranchLimit {
    /// `max_boxes` boxes were examined (`--max-boxes` raises it).
    BoxBudget,
    /// Undecided boxes reached `min_width`.
    MinimumWidth,
}

/// Result of trying to prove `e >= 0` on a box.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum NonnegOutcome {
    /// Every box of a cover has an enclosure in `[0, inf)` or lies outside the domain.
    Proved {
        /// Boxes examined.
        boxes: usize,
        /// The smallest certified lower bound over the cover.
        lower_bound: f64,
        /// Boxes proved to lie outside the domain (no statement there).
        outside_domain: usize,
    },
    /// A point of the domain where the expression is certainly negative.
    Refuted {
        /// The point and its certified negative value.
        witness: Witness,
        /// Boxes examined before it was found.
        boxes: usize,
    },
    /// The functions are defined nowhere in the box: there is nothing to prove.
    Undefined {
        /// Boxes examined.
        boxes: usize,
    },
    /// A budget ran out (or poles/domain boundaries blocked the enclosures).
    Inconclusive {
        /// Boxes examined.
        boxes: usize,
        /// Boxes left undecided.
        unresolved: usize,
        /// The smallest lower bound over the undecided boxes (`-inf` where evaluation failed).
        lower_bound: f64,
        /// The limit that stopped the search.
        limit: BranchLimit,
        /// Whether some undecided box meets a kink or jump of the expression (then only
        /// natural enclosures were available there).
        nonsmooth: bool,
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

/// A proved enclosure of output 0 of `tape` on `bx` (see [`crate::enclosure`]), or `None`
/// if interval evaluation failed there (possible pole or domain boundary).
pub fn enclose_box(tape: &Tape, bx: &RationalBox) -> Option<crate::Enclosure> {
    let xs = bx.intervals();
    let cs: Vec<Interval> = bx.center().iter().map(|q| interval_of(q, q)).collect();
    enclose(tape, &xs, &cs, &mut EncloseScratch::default())
}

/// The state of one run of [`prove_nonneg`].
struct Search<'a> {
    tape: &'a Tape,
    domain: &'a Domain,
    budget: &'a BranchBudget,
    heap: BinaryHeap<Pending>,
    seq: usize,
    boxes: usize,
    outside: usize,
    proved_lower: f64,
    stuck: Vec<f64>,
    limit: Option<BranchLimit>,
    nonsmooth: bool,
    scratch: EncloseScratch,
    fscratch: Vec<f64>,
    fout: Vec<f64>,
}

impl Search<'_> {
    /// A certainly negative value at the centre of `b`, in the domain, if there is one.
    fn witness_at_centre(&mut self, b: &RationalBox, sup: f64) -> Option<Witness> {
        let c = b.center();
        let cf: Vec<f64> = c.iter().map(Rational::to_f64).collect();
        self.tape.eval_f64(&cf, &mut self.fscratch, &mut self.fout);
        if !(self.fout[0] < 0.0 || sup < 0.0) || !self.domain.contains(&c) {
            return None;
        }
        sign_witness(self.tape, 0, &c).filter(|w| w.sign < 0)
    }

    fn push(&mut self, bx: RationalBox, lower: f64) {
        self.seq += 1;
        self.heap.push(Pending {
            lower,
            seq: self.seq,
            bx,
        });
    }

    /// Examines one box; `Some` ends the search with a refutation.
    fn step(&mut self, b: RationalBox) -> Option<Witness> {
        self.boxes += 1;
        if self.domain.misses_box(&b) {
            self.outside += 1;
            return None;
        }
        let xs = b.intervals();
        let cs: Vec<Interval> = b.center().iter().map(|q| interval_of(q, q)).collect();
        let enc = enclose(self.tape, &xs, &cs, &mut self.scratch);
        if let Some(e) = enc {
            if e.value.inf() >= 0.0 {
                self.proved_lower = self.proved_lower.min(e.value.inf());
                return None;
            }
        }
        let sup = enc.map_or(f64::INFINITY, |e| e.value.sup());
        if let Some(w) = self.witness_at_centre(&b, sup) {
            return Some(w);
        }
        let lower = enc.map_or(f64::NEG_INFINITY, |e| e.value.inf());
        let nonsmooth = enc.is_some_and(|e| !e.smooth);
        if b.max_width() < self.budget.min_width {
            self.limit.get_or_insert(BranchLimit::MinimumWidth);
            self.nonsmooth |= nonsmooth;
            self.stuck.push(lower);
            return None;
        }
        if self.boxes >= self.budget.max_boxes {
            self.limit = Some(BranchLimit::BoxBudget);
            self.nonsmooth |= nonsmooth;
            self.stuck.push(lower);
            let rest: Vec<f64> = self.heap.drain().map(|p| p.lower).collect();
            self.stuck.extend(rest);
            return None;
        }
        let (l, r) = b.bisect();
        self.push(l, lower);
        self.push(r, lower);
        None
    }
}

/// Tries to prove that output 0 of `tape` is `>= 0` on `bx` wherever the functions of
/// `domain` are defined, by bisection with proved enclosures; looks for a negative witness
/// (in the domain) at box centres on the way. Outputs `1..` of `tape`, when there are
/// `1 + n`, must be the gradient of output 0 (see [`crate::enclosure`]).
pub fn prove_nonneg(
    tape: &Tape,
    bx: &RationalBox,
    domain: &Domain,
    budget: &BranchBudget,
) -> NonnegOutcome {
    let mut s = Search {
        tape,
        domain,
        budget,
        heap: BinaryHeap::new(),
        seq: 0,
        boxes: 0,
        outside: 0,
        proved_lower: f64::INFINITY,
        stuck: Vec::new(),
        limit: None,
        nonsmooth: false,
        scratch: EncloseScratch::default(),
        fscratch: Vec::new(),
        fout: vec![0.0; tape.n_outputs()],
    };
    s.push(bx.clone(), f64::NEG_INFINITY);
    while let Some(Pending { bx: b, .. }) = s.heap.pop() {
        if let Some(witness) = s.step(b) {
            return NonnegOutcome::Refuted {
                witness,
                boxes: s.boxes,
            };
        }
    }
    match s.limit {
        None if s.outside == s.boxes => NonnegOutcome::Undefined { boxes: s.boxes },
        None => NonnegOutcome::Proved {
            boxes: s.boxes,
            // Adding 0.0 turns an IEEE -0.0 bound into 0.0 for the report.
            lower_bound: s.proved_lower + 0.0,
            outside_domain: s.outside,
        },
        Some(limit) => NonnegOutcome::Inconclusive {
            boxes: s.boxes,
            unresolved: s.stuck.len(),
            lower_bound: s.stuck.iter().copied().fold(f64::INFINITY, f64::min),
            limit,
            nonsmooth: s.nonsmooth,
        },
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
        let out = prove_nonneg(
            &t,
            &RationalBox::cube(2, 3),
            &Domain::everywhere(),
            &BranchBudget::default(),
        );
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
        match prove_nonneg(
            &t,
            &RationalBox::cube(2, 3),
            &Domain::everywhere(),
            &BranchBudget::default(),
        ) {
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
            prove_nonneg(&t, &b, &Domain::everywhere(), &budget),
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
        let out = prove_nonneg(
            &t,
            &RationalBox::cube(2, 2),
            &Domain::everywhere(),
            &BranchBudget::default(),
        );
        assert!(matches!(out, NonnegOutcome::Refuted { .. }), "{out:?}");
    }

    #[test]
    fn a_jump_next_to_the_box_centre_is_refuted_not_proved() {
        // sign(x + 3 + 100 (y - 1/10)^2 - 1/100): negative on a thin sliver at x < -2.99;
        // its symbolic gradient is 0, so a centred form would "prove" it >= 0.
        let t = tape_with_grad(|a| {
            let x = a.var(0);
            let y = a.var(1);
            let c = a.constant(Rational::from((1, 10)));
            let d = a.sub(y, c);
            let d2 = a.powi(d, 2);
            let hundred = a.int(100);
            let b = a.mul2(hundred, d2);
            let three = a.int(3);
            let eps = a.constant(Rational::from((-1, 100)));
            let u = a.add(vec![x, three, b, eps]);
            a.func(ngd_expr::Func::Sign, u)
        });
        let out = prove_nonneg(
            &t,
            &RationalBox::cube(2, 3),
            &Domain::everywhere(),
            &BranchBudget::default(),
        );
        match out {
            NonnegOutcome::Refuted { witness, .. } => assert_eq!(witness.sign, -1),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_function_defined_nowhere_is_undefined_not_proved() {
        // log(-1 - x^2) is defined nowhere.
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let x = a.var(0);
        let x2 = a.powi(x, 2);
        let m1 = a.int(-1);
        let arg = a.sub(m1, x2);
        let l = a.func(ngd_expr::Func::Log, arg);
        let one = a.int(1);
        let t = Tape::compile(&a, &[one]);
        let d = Domain::of(&a, &[l]);
        let out = prove_nonneg(&t, &RationalBox::cube(2, 3), &d, &BranchBudget::default());
        assert!(matches!(out, NonnegOutcome::Undefined { .. }), "{out:?}");
    }
}
