//! Unit tests: each operation in each scalar type, the error cases, and a compiled sanity
//! example.

use ngd_eval::{interval_of, EvalError, EvalErrorKind, Interval, Scalar, Tape};
use ngd_expr::{Arena, ExprId, Func, Rational};
use rug::ops::Pow as _;
use rug::Float;

fn q(n: i64, d: i64) -> Rational {
    Rational::from((n, d))
}

fn iv(a: f64, b: f64) -> Interval {
    Interval::try_from((a, b)).unwrap()
}

fn one_var() -> (Arena, ExprId) {
    let mut a = Arena::new(vec!["x".into()]);
    let x = a.var(0);
    (a, x)
}

fn fl(v: f64) -> Float {
    Float::with_val(200, v)
}

// ------------------------------------------------------------------------------------ f64

#[test]
fn f64_ops() {
    let c = ();
    let x = 3.0_f64;
    let y = -2.0_f64;
    assert_eq!(Scalar::add(&x, &y), 1.0);
    assert_eq!(Scalar::sub(&x, &y), 5.0);
    assert_eq!(Scalar::mul(&x, &y), -6.0);
    assert_eq!(Scalar::neg(&x), -3.0);
    assert_eq!(Scalar::sqr(&y), 4.0);
    assert_eq!(Scalar::recip(&y), Ok(-0.5));
    assert_eq!(Scalar::div(&x, &y), Ok(-1.5));
    assert_eq!(Scalar::powi(&y, 3), Ok(-8.0));
    assert_eq!(Scalar::powi(&y, -2), Ok(0.25));
    assert_eq!(Scalar::powi(&y, 0), Ok(1.0));
    assert_eq!(Scalar::root(&-8.0, 3), Ok(-2.0));
    assert_eq!(Scalar::root(&16.0, 4), Ok(2.0));
    assert_eq!(Scalar::root(&-32.0, 5), Ok(-2.0));
    assert_eq!(Scalar::root(&9.0, 2), Ok(3.0));
    assert_eq!(Scalar::exp(&0.0), Ok(1.0));
    assert_eq!(Scalar::log(&1.0), Ok(0.0));
    assert_eq!(Scalar::abs(&y), 2.0);
    assert_eq!(Scalar::sign(&y), -1.0);
    assert_eq!(Scalar::sign(&0.0), 0.0);
    assert_eq!(Scalar::sign(&x), 1.0);
    assert_eq!(Scalar::max(&x, &y), 3.0);
    assert_eq!(Scalar::min(&x, &y), -2.0);
    assert_eq!(f64::from_rational(&q(1, 4), &c), Ok(0.25));
    assert_eq!(f64::from_rational(&q(1, 3), &c), Ok(1.0 / 3.0));
}

#[test]
fn f64_errors() {
    assert_eq!(Scalar::recip(&0.0), Err(EvalErrorKind::DivisionByZero));
    assert_eq!(Scalar::div(&1.0, &0.0), Err(EvalErrorKind::DivisionByZero));
    assert_eq!(Scalar::powi(&0.0, -3), Err(EvalErrorKind::DivisionByZero));
    assert!(matches!(Scalar::log(&-1.0), Err(EvalErrorKind::Domain(_))));
    assert!(matches!(Scalar::log(&0.0), Err(EvalErrorKind::Domain(_))));
    assert!(matches!(
        Scalar::root(&-1.0, 2),
        Err(EvalErrorKind::Domain(_))
    ));
    assert!(matches!(
        Scalar::root(&-1.0, 4),
        Err(EvalErrorKind::Domain(_))
    ));
    assert_eq!(Scalar::root(&-1.0, 3), Ok(-1.0));
}

#[test]
fn f64_max_min_sign_propagate_nan() {
    let n = f64::NAN;
    assert!(Scalar::max(&n, &1.0).is_nan());
    assert!(Scalar::max(&1.0, &n).is_nan());
    assert!(Scalar::min(&n, &1.0).is_nan());
    assert!(Scalar::min(&1.0, &n).is_nan());
    assert!(Scalar::sign(&n).is_nan());
}

// ------------------------------------------------------------------------------- Interval

#[test]
fn interval_from_rational_encloses() {
    let third = q(1, 3);
    let i = Interval::from_rational(&third, &()).unwrap();
    assert!(i.inf() < i.sup());
    assert!(Rational::from_f64(i.inf()).unwrap() < third);
    assert!(Rational::from_f64(i.sup()).unwrap() > third);
    // Exactly representable: a point.
    let i = Interval::from_rational(&q(3, 8), &()).unwrap();
    assert_eq!((i.inf(), i.sup()), (0.375, 0.375));
    // Negative and tiny.
    let t = q(-1, 7);
    let i = Interval::from_rational(&t, &()).unwrap();
    assert!(Rational::from_f64(i.inf()).unwrap() < t && t < Rational::from_f64(i.sup()).unwrap());
    let tiny = Rational::from((rug::Integer::from(1), rug::Integer::from(10).pow(400)));
    let i = Interval::from_rational(&tiny, &()).unwrap();
    assert_eq!(i.inf(), 0.0);
    assert!(i.sup() > 0.0);
    let huge = Rational::from(rug::Integer::from(10).pow(400));
    let i = Interval::from_rational(&huge, &()).unwrap();
    assert_eq!(i.inf(), f64::MAX);
    assert_eq!(i.sup(), f64::INFINITY);
    let i = interval_of(&q(-1, 3), &q(2, 3));
    assert!(Rational::from_f64(i.inf()).unwrap() < q(-1, 3));
    assert!(Rational::from_f64(i.sup()).unwrap() > q(2, 3));
}

#[test]
fn interval_arithmetic() {
    let a = iv(1.0, 2.0);
    let b = iv(-3.0, -1.0);
    assert_eq!(Scalar::add(&a, &b), iv(-2.0, 1.0));
    assert_eq!(Scalar::sub(&a, &b), iv(2.0, 5.0));
    assert_eq!(Scalar::mul(&a, &b), iv(-6.0, -1.0));
    assert_eq!(Scalar::neg(&a), iv(-2.0, -1.0));
    // The square is tight, unlike x*x.
    assert_eq!(Scalar::sqr(&iv(-1.0, 2.0)), iv(0.0, 4.0));
    assert_eq!(Scalar::mul(&iv(-1.0, 2.0), &iv(-1.0, 2.0)), iv(-2.0, 4.0));
    assert_eq!(Scalar::recip(&iv(2.0, 4.0)), Ok(iv(0.25, 0.5)));
    assert_eq!(Scalar::div(&a, &iv(2.0, 4.0)), Ok(iv(0.25, 1.0)));
    assert_eq!(Scalar::powi(&b, 3), Ok(iv(-27.0, -1.0)));
    assert_eq!(Scalar::powi(&iv(-1.0, 2.0), 2), Ok(iv(0.0, 4.0)));
    assert_eq!(Scalar::powi(&iv(2.0, 4.0), -2), Ok(iv(1.0 / 16.0, 0.25)));
    assert_eq!(Scalar::abs(&iv(-3.0, 1.0)), iv(0.0, 3.0));
    assert_eq!(Scalar::max(&a, &iv(0.0, 1.5)), iv(1.0, 2.0));
    assert_eq!(Scalar::min(&a, &iv(0.0, 1.5)), iv(0.0, 1.5));
}

#[test]
fn interval_sign_hull() {
    assert_eq!(Scalar::sign(&iv(-1.0, 2.0)), iv(-1.0, 1.0));
    assert_eq!(Scalar::sign(&iv(0.0, 2.0)), iv(0.0, 1.0));
    assert_eq!(Scalar::sign(&iv(-2.0, 0.0)), iv(-1.0, 0.0));
    assert_eq!(Scalar::sign(&iv(0.5, 2.0)), iv(1.0, 1.0));
    assert_eq!(Scalar::sign(&iv(-2.0, -0.5)), iv(-1.0, -1.0));
    assert_eq!(Scalar::sign(&iv(0.0, 0.0)), iv(0.0, 0.0));
}

#[test]
fn interval_roots_exp_log_enclose() {
    let two = iv(2.0, 2.0);
    let s = Scalar::root(&two, 2).unwrap();
    let sqrt2 = Float::with_val(200, 2).sqrt();
    assert!(sqrt2 > s.inf() && sqrt2 < s.sup());
    let c = Scalar::root(&iv(-2.0, -2.0), 3).unwrap();
    let cbrt2 = -Float::with_val(200, 2).cbrt();
    assert!(cbrt2 > c.inf() && cbrt2 < c.sup());
    assert_eq!(Scalar::root(&iv(-8.0, 27.0), 3), Ok(iv(-2.0, 3.0)));
    assert_eq!(Scalar::root(&iv(16.0, 81.0), 4), Ok(iv(2.0, 3.0)));
    let r5 = Scalar::root(&iv(2.0, 3.0), 5).unwrap();
    assert!(Float::with_val(200, 2).root(5) > r5.inf());
    assert!(Float::with_val(200, 3).root(5) < r5.sup());
    let e = Scalar::exp(&iv(1.0, 1.0)).unwrap();
    let e200 = Float::with_val(200, 1).exp();
    assert!(e200 > e.inf() && e200 < e.sup());
    let l = Scalar::log(&iv(2.0, 2.0)).unwrap();
    let l200 = Float::with_val(200, 2).ln();
    assert!(l200 > l.inf() && l200 < l.sup());
    assert_eq!(Scalar::exp(&iv(0.0, 0.0)), Ok(iv(1.0, 1.0)));
}

#[test]
fn interval_errors() {
    assert_eq!(
        Scalar::recip(&iv(-1.0, 1.0)),
        Err(EvalErrorKind::PossiblePole)
    );
    assert_eq!(
        Scalar::recip(&iv(0.0, 1.0)),
        Err(EvalErrorKind::PossiblePole)
    );
    assert_eq!(
        Scalar::recip(&iv(0.0, 0.0)),
        Err(EvalErrorKind::DivisionByZero)
    );
    assert_eq!(
        Scalar::div(&iv(1.0, 1.0), &iv(-1.0, 1.0)),
        Err(EvalErrorKind::PossiblePole)
    );
    assert_eq!(
        Scalar::powi(&iv(-1.0, 1.0), -2),
        Err(EvalErrorKind::PossiblePole)
    );
    assert!(matches!(
        Scalar::log(&iv(-1.0, -1.0)),
        Err(EvalErrorKind::Domain(_))
    ));
    assert!(matches!(
        Scalar::log(&iv(0.0, 1.0)),
        Err(EvalErrorKind::PossibleDomain(_))
    ));
    assert!(matches!(
        Scalar::log(&iv(-1.0, 1.0)),
        Err(EvalErrorKind::PossibleDomain(_))
    ));
    assert!(matches!(
        Scalar::root(&iv(-1.0, -1.0), 2),
        Err(EvalErrorKind::Domain(_))
    ));
    assert!(matches!(
        Scalar::root(&iv(-1.0, 4.0), 2),
        Err(EvalErrorKind::PossibleDomain(_))
    ));
    assert!(matches!(
        Scalar::root(&iv(-1.0, 4.0), 4),
        Err(EvalErrorKind::PossibleDomain(_))
    ));
    assert_eq!(Scalar::root(&iv(0.0, 4.0), 2), Ok(iv(0.0, 2.0)));
}

// ----------------------------------------------------------------------------------- MPFR

#[test]
fn float_ops() {
    let p = 200u32;
    let x = fl(3.0);
    let y = fl(-2.0);
    assert_eq!(Scalar::add(&x, &y), 1);
    assert_eq!(Scalar::sub(&x, &y), 5);
    assert_eq!(Scalar::mul(&x, &y), -6);
    assert_eq!(Scalar::neg(&x), -3);
    assert_eq!(Scalar::sqr(&y), 4);
    assert_eq!(Scalar::recip(&y).unwrap(), -0.5);
    assert_eq!(Scalar::div(&x, &y).unwrap(), -1.5);
    assert_eq!(Scalar::powi(&y, 3).unwrap(), -8);
    assert_eq!(Scalar::powi(&y, -2).unwrap(), 0.25);
    assert_eq!(Scalar::root(&fl(-8.0), 3).unwrap(), -2);
    assert_eq!(Scalar::root(&fl(16.0), 4).unwrap(), 2);
    assert_eq!(Scalar::root(&fl(9.0), 2).unwrap(), 3);
    assert_eq!(Scalar::exp(&fl(0.0)).unwrap(), 1);
    assert_eq!(Scalar::log(&fl(1.0)).unwrap(), 0);
    assert_eq!(Scalar::abs(&y), 2);
    assert_eq!(Scalar::sign(&y), -1);
    assert_eq!(Scalar::sign(&fl(0.0)), 0);
    assert_eq!(Scalar::max(&x, &y), 3);
    assert_eq!(Scalar::min(&x, &y), -2);
    let t = Float::from_rational(&q(1, 3), &p).unwrap();
    assert_eq!(t.prec(), 200);
    assert_eq!(t, Float::with_val(200, 1) / 3);
    assert!(Scalar::check(&t).is_ok());
}

#[test]
fn float_errors() {
    assert_eq!(
        Scalar::recip(&fl(0.0)).unwrap_err(),
        EvalErrorKind::DivisionByZero
    );
    assert_eq!(
        Scalar::div(&fl(1.0), &fl(0.0)).unwrap_err(),
        EvalErrorKind::DivisionByZero
    );
    assert!(matches!(
        Scalar::log(&fl(-1.0)),
        Err(EvalErrorKind::Domain(_))
    ));
    assert!(matches!(
        Scalar::root(&fl(-1.0), 2),
        Err(EvalErrorKind::Domain(_))
    ));
    let inf = Float::with_val(53, rug::float::Special::Infinity);
    assert_eq!(Scalar::check(&inf), Err(EvalErrorKind::NonFinite));
}

#[test]
fn float_overflow_is_non_finite_in_a_tape() {
    // exp(exp(exp(exp(x)))) at x = 30 overflows MPFR's exponent range.
    let (mut a, x) = one_var();
    let mut e = x;
    for _ in 0..4 {
        e = a.func(Func::Exp, e);
    }
    let t = Tape::compile(&a, &[e]);
    let err = t
        .eval::<Float>(&53, &[Float::with_val(53, 30)])
        .unwrap_err();
    assert_eq!(err.kind, EvalErrorKind::NonFinite);
}

// ------------------------------------------------------------------------------- Rational

#[test]
fn rational_ops() {
    let x = q(3, 2);
    let y = q(-2, 3);
    assert_eq!(Scalar::add(&x, &y), q(5, 6));
    assert_eq!(Scalar::sub(&x, &y), q(13, 6));
    assert_eq!(Scalar::mul(&x, &y), q(-1, 1));
    assert_eq!(Scalar::neg(&x), q(-3, 2));
    assert_eq!(Scalar::sqr(&y), q(4, 9));
    assert_eq!(Scalar::recip(&y), Ok(q(-3, 2)));
    assert_eq!(Scalar::div(&x, &y), Ok(q(-9, 4)));
    assert_eq!(Scalar::powi(&y, 3), Ok(q(-8, 27)));
    assert_eq!(Scalar::powi(&y, -2), Ok(q(9, 4)));
    assert_eq!(Scalar::root(&q(4, 9), 2), Ok(q(2, 3)));
    assert_eq!(Scalar::root(&q(-8, 27), 3), Ok(q(-2, 3)));
    assert_eq!(Scalar::root(&q(16, 81), 4), Ok(q(2, 3)));
    assert_eq!(Scalar::exp(&q(0, 1)), Ok(q(1, 1)));
    assert_eq!(Scalar::log(&q(1, 1)), Ok(q(0, 1)));
    assert_eq!(Scalar::abs(&y), q(2, 3));
    assert_eq!(Scalar::sign(&y), q(-1, 1));
    assert_eq!(Scalar::sign(&q(0, 1)), q(0, 1));
    assert_eq!(Scalar::max(&x, &y), x);
    assert_eq!(Scalar::min(&x, &y), y);
}

#[test]
fn rational_errors() {
    assert_eq!(Scalar::recip(&q(0, 1)), Err(EvalErrorKind::DivisionByZero));
    assert_eq!(
        Scalar::powi(&q(0, 1), -1),
        Err(EvalErrorKind::DivisionByZero)
    );
    assert!(matches!(
        Scalar::exp(&q(1, 1)),
        Err(EvalErrorKind::NotRational(_))
    ));
    assert!(matches!(
        Scalar::log(&q(2, 1)),
        Err(EvalErrorKind::NotRational(_))
    ));
    assert!(matches!(
        Scalar::log(&q(-1, 1)),
        Err(EvalErrorKind::Domain(_))
    ));
    assert!(matches!(
        Scalar::root(&q(2, 1), 2),
        Err(EvalErrorKind::NotRational(_))
    ));
    assert!(matches!(
        Scalar::root(&q(4, 3), 2),
        Err(EvalErrorKind::NotRational(_))
    ));
    assert!(matches!(
        Scalar::root(&q(-4, 9), 2),
        Err(EvalErrorKind::Domain(_))
    ));
}

// ------------------------------------------------------------------------ tapes and errors

/// `1/x`, `log(x)`, `sqrt(x)` and `exp(x)` compiled; the pole at 0 in every scalar type.
#[test]
fn reciprocal_pole_in_every_type() {
    let (mut a, x) = one_var();
    let r = a.powi(x, -1);
    let t = Tape::compile(&a, &[r]);
    let want = |e: EvalError, k: EvalErrorKind| {
        assert_eq!(e.kind, k);
        assert_eq!(e.node, r);
    };
    want(
        t.eval::<f64>(&(), &[0.0]).unwrap_err(),
        EvalErrorKind::DivisionByZero,
    );
    want(
        t.eval::<Float>(&100, &[fl(0.0)]).unwrap_err(),
        EvalErrorKind::DivisionByZero,
    );
    want(
        t.eval::<Rational>(&(), &[q(0, 1)]).unwrap_err(),
        EvalErrorKind::DivisionByZero,
    );
    want(
        t.eval::<Interval>(&(), &[iv(-1.0, 1.0)]).unwrap_err(),
        EvalErrorKind::PossiblePole,
    );
    want(
        t.eval::<Interval>(&(), &[iv(0.0, 0.0)]).unwrap_err(),
        EvalErrorKind::DivisionByZero,
    );
    let mut s = Vec::new();
    let mut out = [0.0];
    t.eval_f64(&[0.0], &mut s, &mut out);
    assert_eq!(out[0], f64::INFINITY);
    assert_eq!(t.eval::<f64>(&(), &[4.0]).unwrap(), vec![0.25]);
}

#[test]
fn division_error_names_the_reciprocal_node() {
    // (x + 1) / (y - 2): compiled as a quotient, the pole is the node (y - 2)^-1.
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let x = a.var(0);
    let y = a.var(1);
    let one = a.int(1);
    let two = a.int(2);
    let num = a.add2(x, one);
    let den = a.sub(y, two);
    let f = a.div(num, den);
    let t = Tape::compile(&a, &[f]);
    let inv = a.powi(den, -1);
    let e = t.eval::<Rational>(&(), &[q(1, 1), q(2, 1)]).unwrap_err();
    assert_eq!(e.kind, EvalErrorKind::DivisionByZero);
    assert_eq!(e.node, inv);
    assert_eq!(
        t.eval::<Rational>(&(), &[q(1, 1), q(3, 1)]).unwrap(),
        vec![q(2, 1)]
    );
    assert!(e.to_string().contains("division by zero"));
}

#[test]
fn log_sqrt_exp_errors_in_tapes() {
    let (mut a, x) = one_var();
    let l = a.func(Func::Log, x);
    let s = a.pow(x, q(1, 2));
    let e = a.func(Func::Exp, x);
    let tl = Tape::compile(&a, &[l]);
    let ts = Tape::compile(&a, &[s]);
    let te = Tape::compile(&a, &[e]);
    for (t, node) in [(&tl, l), (&ts, s)] {
        let err = t.eval::<f64>(&(), &[-1.0]).unwrap_err();
        assert!(matches!(err.kind, EvalErrorKind::Domain(_)));
        assert_eq!(err.node, node);
        let err = t.eval::<Float>(&64, &[fl(-1.0)]).unwrap_err();
        assert!(matches!(err.kind, EvalErrorKind::Domain(_)));
        let err = t.eval::<Rational>(&(), &[q(-1, 1)]).unwrap_err();
        assert!(matches!(err.kind, EvalErrorKind::Domain(_)));
        let err = t.eval::<Interval>(&(), &[iv(-1.0, -0.5)]).unwrap_err();
        assert!(matches!(err.kind, EvalErrorKind::Domain(_)));
        let err = t.eval::<Interval>(&(), &[iv(-1.0, 0.5)]).unwrap_err();
        assert!(matches!(err.kind, EvalErrorKind::PossibleDomain(_)));
    }
    let err = te.eval::<Rational>(&(), &[q(1, 2)]).unwrap_err();
    assert!(matches!(err.kind, EvalErrorKind::NotRational(_)));
    assert_eq!(err.node, e);
    assert_eq!(te.eval::<Rational>(&(), &[q(0, 1)]).unwrap(), vec![q(1, 1)]);
    assert_eq!(ts.eval::<Rational>(&(), &[q(9, 4)]).unwrap(), vec![q(3, 2)]);
    let err = ts.eval::<Rational>(&(), &[q(2, 1)]).unwrap_err();
    assert!(matches!(err.kind, EvalErrorKind::NotRational(_)));
}

#[test]
fn rational_exponents() {
    let (mut a, x) = one_var();
    let m_half = a.pow(x, q(-1, 2));
    let two_thirds = a.pow(x, q(2, 3));
    let m_five_thirds = a.pow(x, q(-5, 3));
    let t = Tape::compile(&a, &[m_half, two_thirds, m_five_thirds]);
    assert_eq!(
        t.eval::<Rational>(&(), &[q(-8, 27)]).unwrap_err().node,
        m_half
    );
    let v = t.eval::<Rational>(&(), &[q(64, 1)]).unwrap();
    assert_eq!(v, vec![q(1, 8), q(16, 1), q(1, 1024)]);
    // Odd roots of negative numbers are real: (-8)^(2/3) = 4, (-8)^(-5/3) = -1/32.
    let (mut a, x) = one_var();
    let p = a.pow(x, q(2, 3));
    let r = a.pow(x, q(-5, 3));
    let t = Tape::compile(&a, &[p, r]);
    assert_eq!(
        t.eval::<Rational>(&(), &[q(-8, 1)]).unwrap(),
        vec![q(4, 1), q(-1, 32)]
    );
    let v = t.eval::<f64>(&(), &[-8.0]).unwrap();
    assert!((v[0] - 4.0).abs() < 1e-14 && (v[1] + 1.0 / 32.0).abs() < 1e-15);
    let v = t.eval::<Interval>(&(), &[iv(-8.0, -8.0)]).unwrap();
    assert!(v[0].contains(4.0) && v[1].contains(-1.0 / 32.0));
}

#[test]
fn huge_integer_exponents_compile() {
    let (mut a, x) = one_var();
    let big = Rational::from(rug::Integer::from(1) << 33);
    let p = a.pow(x, big.clone() + 1);
    let n = a.pow(x, -big);
    let t = Tape::compile(&a, &[p, n]);
    let v = t.eval::<Rational>(&(), &[q(1, 1)]).unwrap();
    assert_eq!(v, vec![q(1, 1), q(1, 1)]);
    let v = t.eval::<Rational>(&(), &[q(-1, 1)]).unwrap();
    assert_eq!(v, vec![q(-1, 1), q(1, 1)]);
    let v = t.eval::<f64>(&(), &[-1.0]).unwrap();
    assert_eq!(v, vec![-1.0, 1.0]);
}

// ----------------------------------------------------------------------------- sanity

/// `f = (xy - 1)^2` with its gradient `2(xy - 1)(y, x)`, compiled together.
fn ngd_example() -> (Arena, Vec<ExprId>) {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let x = a.var(0);
    let y = a.var(1);
    let xy = a.mul2(x, y);
    let one = a.int(1);
    let g = a.sub(xy, one);
    let f = a.powi(g, 2);
    let grad = a.gradient(f);
    let mut outs = vec![f];
    outs.extend(grad);
    (a, outs)
}

#[test]
fn sanity_xy_minus_one_squared() {
    let (a, outs) = ngd_example();
    let t = Tape::compile(&a, &outs);
    assert_eq!(t.n_vars(), 2);
    assert_eq!(t.n_outputs(), 3);
    // xy, xy - 1, square, 2(xy - 1), and the two products: shared subexpressions once.
    assert!(t.len() <= 6, "tape has {} instructions:\n{t}", t.len());
    assert!(!t.is_empty());
    for &(x, y) in &[(2.0, 3.0), (0.5, -1.25), (0.0, 0.0), (1.0, 1.0)] {
        let h = x * y - 1.0;
        let want = [h * h, 2.0 * h * y, 2.0 * h * x];
        assert_eq!(t.eval::<f64>(&(), &[x, y]).unwrap(), want);
        let mut s = Vec::new();
        let mut out = [0.0; 3];
        t.eval_f64(&[x, y], &mut s, &mut out);
        assert_eq!(out, want);
        let r = t
            .eval::<Rational>(
                &(),
                &[
                    Rational::from_f64(x).unwrap(),
                    Rational::from_f64(y).unwrap(),
                ],
            )
            .unwrap();
        for (ri, wi) in r.iter().zip(want) {
            assert_eq!(*ri, Rational::from_f64(wi).unwrap());
        }
        let iv_out = t.eval::<Interval>(&(), &[iv(x, x), iv(y, y)]).unwrap();
        for (i, wi) in iv_out.iter().zip(want) {
            assert!(i.contains(wi));
        }
    }
    // On a box.
    let b = t
        .eval::<Interval>(&(), &[iv(0.0, 1.0), iv(0.0, 1.0)])
        .unwrap();
    assert!(b[0].inf() <= 0.0 && b[0].sup() >= 1.0);
    // Batch.
    let xs = [2.0, 0.5, 0.0, 1.0, 3.0, 0.5, 0.0, 1.0];
    let mut out = [0.0; 12];
    let mut s = Vec::new();
    t.eval_f64_batch(4, &xs, &mut s, &mut out);
    assert_eq!(out[0], 25.0);
    assert_eq!(out[4], 2.0 * 5.0 * 3.0);
    assert_eq!(out[8], 2.0 * 5.0 * 2.0);
    assert_eq!(out[3], 0.0);
}

#[test]
fn constant_and_variable_outputs() {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let x = a.var(0);
    let c = a.constant(q(1, 3));
    let t = Tape::compile(&a, &[x, c]);
    assert!(t.is_empty());
    assert_eq!(t.constants().len(), 1);
    let v = t.eval::<Rational>(&(), &[q(5, 1), q(7, 1)]).unwrap();
    assert_eq!(v, vec![q(5, 1), q(1, 3)]);
    let v = t
        .eval::<Interval>(&(), &[iv(1.0, 2.0), iv(0.0, 0.0)])
        .unwrap();
    assert_eq!(v[0], iv(1.0, 2.0));
    assert!(Rational::from_f64(v[1].inf()).unwrap() < q(1, 3));
    assert!(Rational::from_f64(v[1].sup()).unwrap() > q(1, 3));
    let mut out = vec![0.0; 2 * 20];
    let xs: Vec<f64> = (0..40).map(f64::from).collect();
    t.eval_f64_batch(20, &xs, &mut Vec::new(), &mut out);
    assert_eq!(out[..20], xs[..20]);
    assert!(out[20..].iter().all(|&v| v == 1.0 / 3.0));
}

#[test]
fn eval_into_reuses_scratch() {
    let (a, outs) = ngd_example();
    let t = Tape::compile(&a, &outs);
    let mut s: Vec<Interval> = Vec::new();
    let mut out = vec![Interval::EMPTY; 3];
    t.eval_into(&(), &[iv(1.0, 1.0), iv(2.0, 2.0)], &mut s, &mut out)
        .unwrap();
    let cap = s.capacity();
    t.eval_into(&(), &[iv(1.0, 1.5), iv(2.0, 2.0)], &mut s, &mut out)
        .unwrap();
    assert_eq!(s.capacity(), cap);
    assert!(out[0].contains(1.0) && out[0].contains(4.0));
}

#[test]
fn nonsmooth_functions() {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let x = a.var(0);
    let y = a.var(1);
    let ab = a.func(Func::Abs, x);
    let sg = a.func(Func::Sign, x);
    let mx = a.max(x, y);
    let mn = a.min(x, y);
    let t = Tape::compile(&a, &[ab, sg, mx, mn]);
    assert_eq!(
        t.eval::<Rational>(&(), &[q(-2, 1), q(1, 3)]).unwrap(),
        vec![q(2, 1), q(-1, 1), q(1, 3), q(-2, 1)]
    );
    assert_eq!(
        t.eval::<f64>(&(), &[0.0, -1.0]).unwrap(),
        vec![0.0, 0.0, 0.0, -1.0]
    );
    let v = t
        .eval::<Interval>(&(), &[iv(-1.0, 2.0), iv(0.0, 1.0)])
        .unwrap();
    assert_eq!(
        v,
        vec![iv(0.0, 2.0), iv(-1.0, 1.0), iv(0.0, 2.0), iv(-1.0, 1.0)]
    );
}

/// Batched evaluation across several chunks, with outputs that are repeated, variables,
/// constants and intermediate values of other outputs.
#[test]
fn batch_matches_scalar_across_chunks_and_output_kinds() {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let x = a.var(0);
    let y = a.var(1);
    let xy = a.mul2(x, y);
    let one = a.int(1);
    let g = a.sub(xy, one);
    let f = a.powi(g, 2);
    let c = a.constant(q(2, 7));
    let r = a.pow(g, q(1, 3));
    let ex = a.func(Func::Exp, r);
    let outs = [f, g, f, y, c, xy, ex, g];
    let t = Tape::compile(&a, &outs);
    for lanes in [1usize, 7, 127, 128, 129, 300, 1024] {
        let xs: Vec<f64> = (0..2 * lanes)
            .map(|i| ((i * 7919) % 1000) as f64 / 250.0 - 2.0)
            .collect();
        let mut out = vec![f64::NAN; outs.len() * lanes];
        let mut scratch = Vec::new();
        t.eval_f64_batch(lanes, &xs, &mut scratch, &mut out);
        let mut o1 = vec![0.0; outs.len()];
        let mut s1 = Vec::new();
        for l in 0..lanes {
            t.eval_f64(&[xs[l], xs[lanes + l]], &mut s1, &mut o1);
            for (o, &v) in o1.iter().enumerate() {
                assert_eq!(
                    out[o * lanes + l].to_bits(),
                    v.to_bits(),
                    "lanes {lanes} lane {l} output {o}"
                );
            }
        }
    }
}
