//! Property tests: the canonical form agrees with exact evaluation of the DAG, and
//! differences that are zero by construction come out `Zero` (never `NonZero`).

use ngd_algebra::{canonicalize, zero_test, ZeroTest};
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use proptest::prelude::*;
use rug::ops::Pow as _;

/// A small expression tree, built into an arena with the simplifying constructors.
#[derive(Clone, Debug)]
enum E {
    Var(usize),
    Const(i64, i64),
    Add(Box<E>, Box<E>),
    Sub(Box<E>, Box<E>),
    Mul(Box<E>, Box<E>),
    Pow(Box<E>, i64),
    Abs(Box<E>),
    Sign(Box<E>),
    Max(Box<E>, Box<E>),
    Min(Box<E>, Box<E>),
    Root(Box<E>, i64, i64),
    Exp(Box<E>),
    Log(Box<E>),
}

const NV: usize = 3;

fn leaf() -> impl Strategy<Value = E> {
    prop_oneof![
        3 => (0..NV).prop_map(E::Var),
        1 => (-4i64..5, 1i64..4).prop_map(|(n, d)| E::Const(n, d)),
    ]
}

/// Polynomial-ish expressions (Laurent powers allowed), optionally with abs/sign/max/min.
fn expr(nonsmooth: bool) -> impl Strategy<Value = E> {
    leaf().prop_recursive(4, 24, 2, move |inner| {
        let b = |e: E| Box::new(e);
        let mut opts: Vec<BoxedStrategy<E>> = vec![
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Add(b(x), b(y)))
                .boxed(),
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Sub(b(x), b(y)))
                .boxed(),
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Mul(b(x), b(y)))
                .boxed(),
            (inner.clone(), -2i64..4)
                .prop_map(move |(x, k)| E::Pow(b(x), k))
                .boxed(),
        ];
        if nonsmooth {
            opts.push(inner.clone().prop_map(move |x| E::Abs(b(x))).boxed());
            opts.push(inner.clone().prop_map(move |x| E::Sign(b(x))).boxed());
            opts.push(
                (inner.clone(), inner.clone())
                    .prop_map(move |(x, y)| E::Max(b(x), b(y)))
                    .boxed(),
            );
            opts.push(
                (inner.clone(), inner.clone())
                    .prop_map(move |(x, y)| E::Min(b(x), b(y)))
                    .boxed(),
            );
        }
        proptest::strategy::Union::new(opts)
    })
}

fn build(a: &mut Arena, e: &E) -> ExprId {
    match e {
        E::Var(i) => a.var(*i),
        E::Const(n, d) => a.constant(Rational::from((*n, *d))),
        E::Add(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.add2(x, y)
        }
        E::Sub(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.sub(x, y)
        }
        E::Mul(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.mul2(x, y)
        }
        E::Pow(x, k) => {
            let x = build(a, x);
            a.powi(x, *k)
        }
        E::Abs(x) => {
            let x = build(a, x);
            a.func(Func::Abs, x)
        }
        E::Sign(x) => {
            let x = build(a, x);
            a.func(Func::Sign, x)
        }
        E::Max(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.max(x, y)
        }
        E::Min(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.min(x, y)
        }
        E::Root(x, p, q) => {
            let x = build(a, x);
            a.pow(x, Rational::from((*p, *q)))
        }
        E::Exp(x) => {
            let x = build(a, x);
            a.func(Func::Exp, x)
        }
        E::Log(x) => {
            let x = build(a, x);
            a.func(Func::Log, x)
        }
    }
}

/// Expressions with roots, exponentials and logarithms too.
fn expr_transcendental() -> impl Strategy<Value = E> {
    leaf().prop_recursive(4, 20, 2, move |inner| {
        let b = |e: E| Box::new(e);
        proptest::strategy::Union::new(vec![
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Add(b(x), b(y)))
                .boxed(),
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Sub(b(x), b(y)))
                .boxed(),
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Mul(b(x), b(y)))
                .boxed(),
            (inner.clone(), -2i64..4)
                .prop_map(move |(x, k)| E::Pow(b(x), k))
                .boxed(),
            (
                inner.clone(),
                prop_oneof![
                    Just((1, 2)),
                    Just((-1, 2)),
                    Just((3, 2)),
                    Just((1, 3)),
                    Just((2, 3))
                ],
            )
                .prop_map(move |(x, (p, q))| E::Root(b(x), p, q))
                .boxed(),
            inner.clone().prop_map(move |x| E::Exp(b(x))).boxed(),
            inner.clone().prop_map(move |x| E::Log(b(x))).boxed(),
            inner.clone().prop_map(move |x| E::Abs(b(x))).boxed(),
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Max(b(x), b(y)))
                .boxed(),
        ])
    })
}

/// Floating-point value of the DAG (NaN outside the domain).
fn eval_f64(a: &Arena, root: ExprId, pt: &[f64]) -> f64 {
    let order = a.postorder(&[root]);
    let mut vals: std::collections::HashMap<ExprId, f64> = Default::default();
    for id in order {
        let g = |c: &ExprId| vals[c];
        let v = match a.node(id) {
            Node::Const(q) => q.to_f64(),
            Node::Var(i) => pt[*i as usize],
            Node::Add(ts) => ts.iter().map(g).sum(),
            Node::Mul(ts) => ts.iter().map(g).product(),
            Node::Pow(b, e) => {
                let x = g(b);
                let p = e.numer().to_i32().unwrap();
                let q = e.denom().to_i32().unwrap();
                let r = if q == 1 {
                    x
                } else if q % 2 == 1 {
                    x.signum() * x.abs().powf(1.0 / f64::from(q))
                } else if x < 0.0 {
                    f64::NAN
                } else {
                    x.powf(1.0 / f64::from(q))
                };
                if p < 0 && r == 0.0 {
                    f64::NAN
                } else {
                    r.powi(p)
                }
            }
            Node::Func(f, x) => {
                let x = g(x);
                match f {
                    Func::Exp => x.exp(),
                    Func::Log => {
                        if x > 0.0 {
                            x.ln()
                        } else {
                            f64::NAN
                        }
                    }
                    Func::Abs => x.abs(),
                    Func::Sign => {
                        if x == 0.0 {
                            0.0
                        } else {
                            x.signum()
                        }
                    }
                }
            }
            Node::Max(x, y) => g(x).max(g(y)),
            Node::Min(x, y) => g(x).min(g(y)),
        };
        vals.insert(id, v);
    }
    vals[&root]
}

/// Exact value of the DAG at a point; `None` outside the domain. `degenerate` is set when a
/// `sign`, `abs`, `max` or `min` is evaluated exactly at a kink (where the canonical form may
/// legitimately differ, on a null set).
fn eval(a: &Arena, root: ExprId, pt: &[Rational], degenerate: &mut bool) -> Option<Rational> {
    let order = a.postorder(&[root]);
    let mut vals: std::collections::HashMap<ExprId, Option<Rational>> = Default::default();
    for id in order {
        let get = |c: &ExprId| vals[c].clone();
        let v: Option<Rational> = match a.node(id) {
            Node::Const(q) => Some(q.clone()),
            Node::Var(i) => Some(pt[*i as usize].clone()),
            Node::Add(ts) => ts
                .iter()
                .map(get)
                .try_fold(Rational::new(), |acc, v| v.map(|v| acc + v)),
            Node::Mul(ts) => ts
                .iter()
                .map(get)
                .try_fold(Rational::from(1), |acc, v| v.map(|v| acc * v)),
            Node::Pow(b, e) => {
                assert!(e.is_integer());
                let k = e.numer().to_i32().unwrap();
                get(b).and_then(|v| {
                    if k < 0 && v == 0 {
                        None
                    } else if k < 0 {
                        Some(v.pow(-k).recip())
                    } else {
                        Some(v.pow(k))
                    }
                })
            }
            Node::Func(f, x) => get(x).map(|v| {
                if v == 0 {
                    *degenerate = true;
                }
                match f {
                    Func::Abs => v.abs(),
                    Func::Sign => Rational::from(v.cmp0() as i32),
                    _ => unreachable!(),
                }
            }),
            Node::Max(x, y) | Node::Min(x, y) => match (get(x), get(y)) {
                (Some(u), Some(w)) => {
                    if u == w {
                        *degenerate = true;
                    }
                    let is_max = matches!(a.node(id), Node::Max(..));
                    Some(if (u >= w) == is_max { u } else { w })
                }
                _ => None,
            },
        };
        vals.insert(id, v);
    }
    vals[&root].clone()
}

fn point() -> impl Strategy<Value = Vec<Rational>> {
    proptest::collection::vec(
        (-60i64..61, 1i64..13).prop_map(|(n, d)| Rational::from((n, d))),
        NV,
    )
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

fn new_arena() -> Arena {
    Arena::new((0..NV).map(|i| format!("x{i}")).collect())
}

proptest! {
    // 256 cases by default; PROPTEST_CASES overrides (e.g. 20000 for a longer soundness run).
    #![proptest_config(ProptestConfig { cases: cases(), .. ProptestConfig::default() })]

    /// Canonical form and the DAG agree wherever both are defined (kinks excluded).
    #[test]
    fn canonical_matches_evaluation(e in expr(true), pts in proptest::collection::vec(point(), 3)) {
        let mut a = new_arena();
        let root = build(&mut a, &e);
        let c = match canonicalize(&a, root) {
            Ok(c) => c,
            Err(_) => return Ok(()), // undecided is always allowed
        };
        for pt in pts {
            let mut degenerate = false;
            let want = eval(&a, root, &pt, &mut degenerate);
            if degenerate {
                continue;
            }
            // The canonical form may have extra poles on a null set (e.g. `1/x` times an
            // indicator that vanishes at `x = 0`): compare where both are defined.
            if let (Some(w), Some(got)) = (want, c.eval_rational(&pt)) {
                prop_assert_eq!(got, w, "expr {} at {:?}", a.display(root), pt);
            }
        }
    }

    /// Differences that vanish by construction are proved zero.
    #[test]
    fn identities_are_zero(x in expr(true), y in expr(true)) {
        let mut a = new_arena();
        let u = build(&mut a, &x);
        let v = build(&mut a, &y);
        let two = a.int(2);
        let three = a.int(3);
        let mut cases = Vec::new();
        // (u+v)^2 - (u^2 + 2uv + v^2)
        let s = a.add2(u, v);
        let s2 = a.powi(s, 2);
        let u2 = a.powi(u, 2);
        let v2 = a.powi(v, 2);
        let uv2 = a.mul(vec![two, u, v]);
        let rhs = a.add(vec![u2, uv2, v2]);
        cases.push(a.sub(s2, rhs));
        // (u-v)(u+v) - (u^2 - v^2)
        let d = a.sub(u, v);
        let p = a.mul2(d, s);
        let r = a.sub(u2, v2);
        cases.push(a.sub(p, r));
        // (u+v)^3 - (u^3 + 3u^2 v + 3 u v^2 + v^3)
        let s3 = a.powi(s, 3);
        let u3 = a.powi(u, 3);
        let v3 = a.powi(v, 3);
        let t1 = a.mul(vec![three, u2, v]);
        let t2 = a.mul(vec![three, u, v2]);
        let rhs = a.add(vec![u3, t1, t2, v3]);
        cases.push(a.sub(s3, rhs));
        // max + min - u - v
        let mx = a.max(u, v);
        let mn = a.min(u, v);
        let mm = a.add2(mx, mn);
        cases.push(a.sub(mm, s));
        // max(u, v) - min(u, v) - 2 max(u, v) + u + v  (both built from one |u - v|)
        let dmm = a.sub(mx, mn);
        let m2 = a.mul2(two, mx);
        let t = a.sub(dmm, m2);
        cases.push(a.add2(t, s));
        // u/(u+v) + v/(u+v) - 1 (a pole everywhere when u+v == 0)
        let si = a.powi(s, -1);
        let q1 = a.mul2(u, si);
        let q2 = a.mul2(v, si);
        let one = a.int(1);
        let qs = a.add2(q1, q2);
        // (when u + v == 0 the arena itself cancels the two poles: skip that case)
        if canonicalize(&a, s).is_ok_and(|c| !c.is_zero()) {
            cases.push(a.sub(qs, one));
        }
        // exp(u) exp(v) - exp(u + v)
        let eu = a.func(Func::Exp, u);
        let ev = a.func(Func::Exp, v);
        let es = a.func(Func::Exp, s);
        let pe = a.mul2(eu, ev);
        cases.push(a.sub(pe, es));
        for c in cases {
            let r = zero_test(&a, c);
            prop_assert!(
                matches!(r, ZeroTest::Zero | ZeroTest::Undecided(_)),
                "{} gave {:?}", a.display(c), r
            );
        }
    }

    /// Rules of `abs` and `sign` on rational functions of the variables.
    #[test]
    fn abs_sign_rules(x in expr(false), y in expr(false)) {
        let mut a = new_arena();
        let u = build(&mut a, &x);
        let v = build(&mut a, &y);
        let two = a.int(2);
        let mut cases = Vec::new();
        // (|u| + v)^2 - (u^2 + 2|u|v + v^2)
        let au = a.func(Func::Abs, u);
        let w = a.add2(au, v);
        let w2 = a.powi(w, 2);
        let u2 = a.powi(u, 2);
        let v2 = a.powi(v, 2);
        let auv = a.mul(vec![two, au, v]);
        let rhs = a.add(vec![u2, auv, v2]);
        cases.push(a.sub(w2, rhs));
        // |u v| - |u| |v|, sign(u v) - sign(u) sign(v)
        let uv = a.mul2(u, v);
        let auvp = a.func(Func::Abs, uv);
        let av = a.func(Func::Abs, v);
        let prod = a.mul2(au, av);
        cases.push(a.sub(auvp, prod));
        let suv = a.func(Func::Sign, uv);
        let su = a.func(Func::Sign, u);
        let sv = a.func(Func::Sign, v);
        let sprod = a.mul2(su, sv);
        cases.push(a.sub(suv, sprod));
        // sign(u) |u| - u, via a sum
        let t = a.mul2(su, au);
        let t = a.add2(t, v);
        let t = a.sub(t, v);
        cases.push(a.sub(t, u));
        for c in cases {
            let r = zero_test(&a, c);
            prop_assert!(
                matches!(r, ZeroTest::Zero | ZeroTest::Undecided(_)),
                "{} gave {:?}", a.display(c), r
            );
        }
    }

    /// With roots, exp and log: a difference that is clearly non-zero at a sample point
    /// (floating point, with a wide margin) is never reported `Zero`.
    #[test]
    fn transcendental_nonzero_never_zero(
        x in expr_transcendental(),
        y in expr_transcendental(),
        pts in proptest::collection::vec(proptest::collection::vec(-3.0f64..3.0, NV), 4),
    ) {
        let mut a = new_arena();
        let u = build(&mut a, &x);
        let v = build(&mut a, &y);
        let d = a.sub(u, v);
        for pt in &pts {
            let (fu, fv) = (eval_f64(&a, u, pt), eval_f64(&a, v, pt));
            let fd = fu - fv;
            if fu.is_finite() && fv.is_finite() && fu.abs().max(fv.abs()) < 1e6
                && fd.abs() > 1e-6 * (1.0 + fu.abs() + fv.abs())
            {
                prop_assert_ne!(zero_test(&a, d), ZeroTest::Zero, "{} at {:?}", a.display(d), pt);
                break;
            }
        }
    }

    /// Ring identities with roots, exp and log subexpressions are proved.
    #[test]
    fn transcendental_identities(x in expr_transcendental(), y in expr_transcendental()) {
        let mut a = new_arena();
        let u = build(&mut a, &x);
        let v = build(&mut a, &y);
        let s = a.add2(u, v);
        let s2 = a.powi(s, 2);
        let u2 = a.powi(u, 2);
        let v2 = a.powi(v, 2);
        let two = a.int(2);
        let uv2 = a.mul(vec![two, u, v]);
        let rhs = a.add(vec![u2, uv2, v2]);
        let d = a.sub(s2, rhs);
        let r = zero_test(&a, d);
        prop_assert!(matches!(r, ZeroTest::Zero | ZeroTest::Undecided(_)), "{} gave {:?}", a.display(d), r);
    }

    /// A difference that is not zero at a sample point is never reported `Zero`.
    #[test]
    fn nonzero_never_zero(x in expr(true), y in expr(true), pt in point()) {
        let mut a = new_arena();
        let u = build(&mut a, &x);
        let v = build(&mut a, &y);
        let d = a.sub(u, v);
        let mut degenerate = false;
        if let Some(val) = eval(&a, d, &pt, &mut degenerate) {
            if val != 0 && !degenerate {
                prop_assert_ne!(zero_test(&a, d), ZeroTest::Zero, "{}", a.display(d));
            }
        }
    }
}
