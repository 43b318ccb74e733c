//! Symbolic derivatives (ngd-expr) against central finite differences computed in MPFR.
//!
//! At 256 bits with step `h = 2^-60` the finite-difference error is about `h^2 |f'''|`
//! (~1e-36) plus rounding `2^-256 / h` (~1e-59), so agreement to 1e-12 relative is a
//! strict test while leaving room for large third derivatives.

use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Func, Rational};
use proptest::prelude::*;
use rug::Float;

const N_VARS: usize = 2;
const PREC: u32 = 256;

#[derive(Clone, Debug)]
enum E {
    Var(usize),
    Const(i64, i64),
    Add(Box<E>, Box<E>),
    Mul(Box<E>, Box<E>),
    Div(Box<E>, Box<E>),
    PowI(Box<E>, i64),
    PowQ(Box<E>, i64, i64),
    Exp(Box<E>),
    Log(Box<E>),
}

fn build(a: &mut Arena, e: &E) -> ExprId {
    match e {
        E::Var(i) => a.var(*i),
        E::Const(n, d) => a.constant(Rational::from((*n, *d))),
        E::Add(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.add2(x, y)
        }
        E::Mul(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.mul2(x, y)
        }
        E::Div(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.div(x, y)
        }
        E::PowI(x, k) => {
            let x = build(a, x);
            a.powi(x, *k)
        }
        E::PowQ(x, p, q) => {
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

fn smooth_expr() -> impl Strategy<Value = E> {
    let leaf = prop_oneof![
        (0..N_VARS).prop_map(E::Var),
        (-4i64..=4, 1i64..=3).prop_map(|(n, d)| E::Const(n, d)),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| E::Add(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| E::Mul(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| E::Div(Box::new(a), Box::new(b))),
            (inner.clone(), -3i64..=4).prop_map(|(a, k)| E::PowI(Box::new(a), k)),
            (
                inner.clone(),
                prop_oneof![Just((1, 2)), Just((1, 3)), Just((-2, 3))]
            )
                .prop_map(|(a, (p, q))| E::PowQ(Box::new(a), p, q)),
            inner.clone().prop_map(|a| E::Exp(Box::new(a))),
            inner.prop_map(|a| E::Log(Box::new(a))),
        ]
    })
}

fn eval(tape: &Tape, x: &[Float]) -> Option<Vec<Float>> {
    let v = tape.eval::<Float>(&PREC, x).ok()?;
    v.iter()
        .all(|f| f.is_finite() && f.clone().abs() < 1e30)
        .then_some(v)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn gradient_matches_central_differences(
        e in smooth_expr(),
        p in proptest::collection::vec(-300i64..=300, N_VARS),
    ) {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let f = build(&mut a, &e);
        let grad = a.gradient(f);
        let f_tape = Tape::compile(&a, &[f]);
        let g_tape = Tape::compile(&a, &grad);
        let x: Vec<Float> = p.iter().map(|&k| Float::with_val(PREC, k) / 97).collect();
        let Some(g) = eval(&g_tape, &x) else { return Ok(()) };
        let h = Float::with_val(PREC, -60).exp2();
        for i in 0..N_VARS {
            let mut up = x.clone();
            let mut down = x.clone();
            up[i] += &h;
            down[i] -= &h;
            let (Some(fu), Some(fd)) = (eval(&f_tape, &up), eval(&f_tape, &down)) else {
                continue;
            };
            let fd_est = Float::with_val(PREC, &fu[0] - &fd[0]) / (Float::with_val(PREC, 2) * &h);
            let err = Float::with_val(PREC, &fd_est - &g[i]).abs();
            let scale = Float::with_val(PREC, g[i].clone().abs() + 1u32);
            prop_assert!(
                err <= scale * 1e-12,
                "d/d{} of {} at {:?}: symbolic {} vs finite difference {}",
                i, a.display(f), p, g[i].to_f64(), fd_est.to_f64()
            );
        }
    }
}
