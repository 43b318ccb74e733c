//! Property tests on random expressions: the scalar types agree with each other, interval
//! enclosures contain the point values, and the batched float path matches the scalar one
//! bit for bit.

mod common;

use common::{build, Shape, E};
use ngd_eval::{EvalErrorKind, Interval, Tape};
use ngd_expr::{Arena, ExprId, Rational};
use proptest::prelude::*;
use rug::Float;

const N_VARS: usize = 3;
const MPFR_PREC: u32 = 200;

/// Mostly non-leaf expressions over every operation (tens of nodes at depth 4).
const SHAPE: Shape = Shape {
    n_vars: N_VARS,
    mul_weight: 2,
    pow_numerators: &[1, -1, 2, -2],
};

fn expr_depth(depth: u32) -> BoxedStrategy<E> {
    common::expr_depth(depth, SHAPE)
}

fn expr() -> BoxedStrategy<E> {
    expr_depth(4)
}

/// A few random expressions compiled into one tape (as callers do with f and its gradient).
fn tape_of(es: &[E]) -> (Arena, Tape) {
    let mut a = Arena::new((0..N_VARS).map(|i| format!("x{i}")).collect());
    let roots: Vec<ExprId> = es.iter().map(|e| build(&mut a, e)).collect();
    let t = Tape::compile(&a, &roots);
    (a, t)
}

/// A dyadic grid point in [-4, 4] (exact in f64, MPFR and Q).
fn coord() -> impl Strategy<Value = i64> {
    -32i64..=32
}

fn dy(k: i64) -> Rational {
    Rational::from((k, 8))
}

fn point_interval(v: f64) -> Interval {
    Interval::try_from((v, v)).unwrap()
}

/// Tolerance for a float value against a reference `m`: a small relative slack plus the
/// width of the interval evaluation at the same point (which bounds the effect of rounding
/// on the same sequence of operations, including branch flips of sign/max/min).
fn tolerance(m: f64, iv: Option<&Interval>) -> f64 {
    let w = iv.map_or(f64::INFINITY, |i| i.wid());
    1e-9 * (1.0 + m.abs()) + 4.0 * w
}

fn rat_of_f64(v: f64) -> Option<Rational> {
    Rational::from_f64(v)
}

/// `lo <= r <= hi` for an interval with possibly infinite endpoints.
fn interval_contains_rational(i: &Interval, r: &Rational) -> bool {
    let lo_ok = i.inf() == f64::NEG_INFINITY || rat_of_f64(i.inf()).is_some_and(|lo| lo <= *r);
    let hi_ok = i.sup() == f64::INFINITY || rat_of_f64(i.sup()).is_some_and(|hi| *r <= hi);
    lo_ok && hi_ok
}

fn interval_contains_float(i: &Interval, m: &Float) -> bool {
    // MPFR carries 200 bits; allow its own rounding error, far below f64 resolution.
    let slack = Float::with_val(MPFR_PREC, m.abs_ref()) >> 180u32;
    let slack = slack + Float::with_val(MPFR_PREC, 1) / Float::with_val(MPFR_PREC, 2).pow(1000u32);
    let lo = Float::with_val(MPFR_PREC, m - &slack);
    let hi = Float::with_val(MPFR_PREC, m + &slack);
    i.inf() <= hi && lo <= i.sup()
}

use rug::ops::Pow as _;

fn cfg() -> ProptestConfig {
    ProptestConfig {
        cases: 400,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cfg())]

    /// f64 and MPFR (200 bits) agree where both succeed and the problem is well conditioned.
    #[test]
    fn f64_agrees_with_mpfr(es in prop::collection::vec(expr(), 1..3), p in [coord(), coord(), coord()]) {
        let (_, t) = tape_of(&es);
        let xf: Vec<f64> = p.iter().map(|&k| k as f64 / 8.0).collect();
        let xm: Vec<Float> = xf.iter().map(|&v| Float::with_val(MPFR_PREC, v)).collect();
        let xi: Vec<Interval> = xf.iter().map(|&v| point_interval(v)).collect();
        let (Ok(f), Ok(m)) = (t.eval::<f64>(&(), &xf), t.eval::<Float>(&MPFR_PREC, &xm)) else {
            return Ok(());
        };
        let iv = t.eval::<Interval>(&(), &xi).ok();
        for o in 0..t.n_outputs() {
            if !f[o].is_finite() {
                continue;
            }
            let mo = m[o].to_f64();
            let tol = tolerance(mo, iv.as_ref().map(|v| &v[o]));
            prop_assert!((f[o] - mo).abs() <= tol, "output {o}: f64 {} vs mpfr {mo} (tol {tol})\n{t}", f[o]);
        }
    }

    /// Exact rational evaluation agrees with f64 where the rational path succeeds, and the
    /// interval evaluation on the degenerate box [q, q] contains the exact value.
    #[test]
    fn rational_agrees_with_f64_and_point_intervals(es in prop::collection::vec(expr(), 1..3), p in [coord(), coord(), coord()]) {
        let (_, t) = tape_of(&es);
        let xq: Vec<Rational> = p.iter().map(|&k| dy(k)).collect();
        let xf: Vec<f64> = xq.iter().map(Rational::to_f64).collect();
        let xi: Vec<Interval> = xf.iter().map(|&v| point_interval(v)).collect();
        let Ok(r) = t.eval::<Rational>(&(), &xq) else { return Ok(()); };
        let iv = t.eval::<Interval>(&(), &xi);
        if let Ok(iv) = &iv {
            for o in 0..t.n_outputs() {
                prop_assert!(interval_contains_rational(&iv[o], &r[o]),
                    "output {o}: {} not in {:?}\n{t}", r[o], iv[o]);
            }
        } else {
            // Where the exact value exists, a point interval may still fail only by a
            // "possible" error caused by rounding, or by overflow-free definite errors that
            // the exact path would also have met (it did not).
            let e = iv.unwrap_err();
            prop_assert!(matches!(e.kind, EvalErrorKind::PossiblePole | EvalErrorKind::PossibleDomain(_)),
                "point interval failed definitely ({e}) where the exact path succeeded\n{t}");
        }
        if let Ok(f) = t.eval::<f64>(&(), &xf) {
            let iv = t.eval::<Interval>(&(), &xi).ok();
            for o in 0..t.n_outputs() {
                let ro = r[o].to_f64();
                if !f[o].is_finite() || !ro.is_finite() {
                    continue;
                }
                let tol = tolerance(ro, iv.as_ref().map(|v| &v[o]));
                prop_assert!((f[o] - ro).abs() <= tol, "output {o}: f64 {} vs exact {}\n{t}", f[o], r[o]);
            }
        }
    }

    /// Interval evaluation on a box, when it succeeds, contains the MPFR value at points of
    /// the box.
    #[test]
    fn interval_encloses_points_of_the_box(
        es in prop::collection::vec(expr(), 1..3),
        lo in [coord(), coord(), coord()],
        width in [0i64..=16, 0i64..=16, 0i64..=16],
        ts in prop::collection::vec([0i64..=16, 0i64..=16, 0i64..=16], 8),
    ) {
        let (_, t) = tape_of(&es);
        let boxx: Vec<Interval> = (0..N_VARS)
            .map(|v| Interval::try_from((lo[v] as f64 / 8.0, (lo[v] + width[v]) as f64 / 8.0)).unwrap())
            .collect();
        let Ok(iv) = t.eval::<Interval>(&(), &boxx) else { return Ok(()); };
        for tt in &ts {
            // The point lo + t/16 * width, in eighths: exact in 200-bit floats.
            let xm: Vec<Float> = (0..N_VARS)
                .map(|v| {
                    let num = Float::with_val(MPFR_PREC, lo[v] * 16 + tt[v] * width[v]);
                    num / 128
                })
                .collect();
            match t.eval::<Float>(&MPFR_PREC, &xm) {
                Ok(m) => {
                    for o in 0..t.n_outputs() {
                        prop_assert!(interval_contains_float(&iv[o], &m[o]),
                            "output {o}: mpfr {} not in {:?} at {:?}\n{t}", m[o], iv[o], xm);
                    }
                }
                Err(e) => prop_assert!(e.kind == EvalErrorKind::NonFinite,
                    "interval Ok on the box but MPFR failed at a point of it: {e}\n{t}"),
            }
        }
    }

    /// The batched paths (`eval_f64_batch`, lane blocks) and the one-point paths without
    /// per-call setup match the scalar fast path bit for bit, and the scalar fast path
    /// matches the generic f64 path wherever the latter succeeds.
    #[test]
    fn batch_matches_scalar_bit_for_bit(
        es in prop::collection::vec(expr(), 1..5),
        pts in prop::collection::vec([coord(), coord(), coord()], 1..300),
        jitter in prop::collection::vec(-1.0f64..1.0, 3 * 300),
    ) {
        let (_, t) = tape_of(&es);
        let lanes = pts.len();
        let mut x = vec![0.0; N_VARS * lanes];
        for (l, p) in pts.iter().enumerate() {
            for v in 0..N_VARS {
                // Mix exact grid points (poles, zeros) with generic floats.
                let j = if l % 3 == 0 { jitter[v * 300 + l] } else { 0.0 };
                x[v * lanes + l] = p[v] as f64 / 8.0 + j;
            }
        }
        let no = t.n_outputs();
        let mut out = vec![0.0; no * lanes];
        let mut scratch = Vec::new();
        t.eval_f64_batch(lanes, &x, &mut scratch, &mut out);
        let mut s1 = Vec::new();
        let mut o1 = vec![0.0; no];
        // One lane block for all the points, evaluated twice (rows are reused in place).
        let mut blk = t.lane_block(lanes);
        for v in 0..N_VARS {
            blk.input_mut(v).copy_from_slice(&x[v * lanes..][..lanes]);
        }
        t.eval_lanes(&mut blk);
        t.eval_lanes(&mut blk);
        let mut pt = t.point_slots();
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        for l in 0..lanes {
            let xl: Vec<f64> = (0..N_VARS).map(|v| x[v * lanes + l]).collect();
            t.eval_f64(&xl, &mut s1, &mut o1);
            for o in 0..no {
                let (a, b) = (out[o * lanes + l], o1[o]);
                prop_assert!(same(a, b),
                    "lane {l} output {o}: batch {a} vs scalar {b}\n{t}");
                let c = blk.output(o)[l];
                prop_assert!(same(c, b), "lane {l} output {o}: lane block {c} vs scalar {b}\n{t}");
            }
            pt.input_mut().copy_from_slice(&xl);
            t.eval_point(&mut pt);
            for (o, &w) in o1.iter().enumerate() {
                prop_assert!(same(pt.output(o), w),
                    "lane {l} output {o}: point slots {} vs scalar {w}\n{t}", pt.output(o));
            }
            let first: [f64; 1] = t.eval_point_outputs(&mut pt);
            prop_assert!(same(first[0], o1[0]),
                "lane {l}: eval_point_outputs {} vs scalar {}\n{t}", first[0], o1[0]);
            for (o, &w) in o1.iter().enumerate() {
                prop_assert!(same(pt.output(o), w),
                    "lane {l} output {o}: slots after eval_point_outputs\n{t}");
            }
            if let Ok(g) = t.eval::<f64>(&(), &xl) {
                for o in 0..no {
                    prop_assert!(g[o].to_bits() == o1[o].to_bits() || (g[o].is_nan() && o1[o].is_nan()),
                        "lane {l} output {o}: generic {} vs fast {}\n{t}", g[o], o1[o]);
                }
            }
        }
    }
}
