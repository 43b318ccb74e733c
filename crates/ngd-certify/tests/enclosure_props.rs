//! Property tests of the certification core on random expressions with `abs`, `sign`,
//! `max`, `min` and fractional powers: every proved enclosure contains the MPFR value at
//! random points of the box, the centred form in particular (it must fall back to the
//! natural one across kinks and jumps), and `prove_nonneg` never proves a value it can be
//! shown negative at.

#[path = "../../ngd-eval/tests/common/mod.rs"]
mod common;

use common::{build, Shape};
use inari::Interval;
use ngd_certify::{
    enclose, prove_nonneg, BranchBudget, Domain, EncloseScratch, NonnegOutcome, RationalBox,
};
use ngd_eval::Tape;
use ngd_expr::{Arena, Rational};
use proptest::prelude::*;
use rug::Float;

const N_VARS: usize = 2;
const SHAPE: Shape = Shape {
    n_vars: N_VARS,
    mul_weight: 2,
    pow_numerators: &[1, -1, 2, 3],
};
const PREC: u32 = 200;

fn compiled(e: &common::E) -> (Arena, Tape, Tape) {
    let mut a = Arena::new((0..N_VARS).map(|i| format!("x{i}")).collect());
    let root = build(&mut a, e);
    let mut outs = vec![root];
    outs.extend(a.gradient(root));
    let with_grad = Tape::compile(&a, &outs);
    let value = Tape::compile(&a, &[root]);
    (a, with_grad, value)
}

/// The MPFR value of output 0 at a rational point, if defined there.
fn mpfr_value(tape: &Tape, p: &[Rational]) -> Option<Float> {
    let xs: Vec<Float> = p.iter().map(|q| Float::with_val(PREC, q)).collect();
    tape.eval::<Float>(&PREC, &xs).ok().map(|v| v[0].clone())
}

/// A box `[lo, lo + w]^2` with small rational corners and points inside it.
fn box_and_points() -> impl Strategy<Value = (RationalBox, Vec<Vec<Rational>>)> {
    (
        proptest::collection::vec((-24i64..24, 1i64..12), N_VARS),
        proptest::collection::vec(proptest::collection::vec(0i64..=64, N_VARS), 24),
    )
        .prop_map(|(corners, ks)| {
            let lo: Vec<Rational> = corners
                .iter()
                .map(|&(l, _)| Rational::from((l, 8)))
                .collect();
            let hi: Vec<Rational> = corners
                .iter()
                .map(|&(l, w)| Rational::from((l + w, 8)))
                .collect();
            let bx = RationalBox::new(lo.clone(), hi.clone()).expect("lo <= hi");
            let pts = ks
                .iter()
                .map(|k| {
                    (0..N_VARS)
                        .map(|i| {
                            let w = Rational::from(&hi[i] - &lo[i]);
                            &lo[i] + w * Rational::from((k[i], 64))
                        })
                        .collect()
                })
                .collect();
            (bx, pts)
        })
}

fn contains(i: Interval, v: &Float) -> bool {
    // Compare through exact rationals: an f64 rounding of v could step outside [inf, sup].
    let Some(q) = v.to_rational() else {
        return false;
    };
    let lo_ok = i.inf() == f64::NEG_INFINITY || Rational::from_f64(i.inf()).is_some_and(|l| l <= q);
    let hi_ok = i.sup() == f64::INFINITY || Rational::from_f64(i.sup()).is_some_and(|h| q <= h);
    lo_ok && hi_ok
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Sound: every enclosure (natural or centred) contains the value at every sampled
    /// point where the expression is defined. MPFR at 200 bits carries far more digits than
    /// the enclosures' widths; a value exactly on a bound counts as inside.
    #[test]
    fn enclosures_contain_the_mpfr_values(e in common::expr_depth(3, SHAPE), (bx, pts) in box_and_points()) {
        let (_a, tape, value) = compiled(&e);
        let xs = bx.intervals();
        let cs: Vec<Interval> = bx.center().iter().map(|q| ngd_eval::interval_of(q, q)).collect();
        if let Some(enc) = enclose(&tape, &xs, &cs, &mut EncloseScratch::default()) {
            for p in &pts {
                if let Some(v) = mpfr_value(&value, p) {
                    prop_assert!(
                        contains(enc.value, &v),
                        "{e:?}: value {v} at {p:?} outside {:?} ({:?})", enc.value, enc.form
                    );
                }
            }
        }
    }

    /// Never proves `e >= 0` on a box where some sampled point has a negative MPFR value.
    #[test]
    fn nonneg_proofs_survive_mpfr_sampling(e in common::expr_depth(3, SHAPE), (bx, pts) in box_and_points()) {
        let (_a, tape, value) = compiled(&e);
        let budget = BranchBudget { max_boxes: 300, ..BranchBudget::default() };
        if let NonnegOutcome::Proved { .. } = prove_nonneg(&tape, &bx, &Domain::everywhere(), &budget) {
            for p in &pts {
                if let Some(v) = mpfr_value(&value, p) {
                    prop_assert!(v >= 0, "{e:?}: proved >= 0 but {v} at {p:?}");
                }
            }
        }
    }
}
