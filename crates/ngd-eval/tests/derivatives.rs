//! Symbolic derivatives (ngd-expr) against central finite differences computed in MPFR.
//!
//! At 256 bits with step `h = 2^-60` the finite-difference error is about `h^2 |f'''|`
//! (~1e-36) plus rounding `2^-256 / h` (~1e-59), so agreement to 1e-12 relative is a
//! strict test while leaving room for large third derivatives.

mod common;

use common::{build, E};
use ngd_eval::Tape;
use ngd_expr::{Arena, Func};
use proptest::prelude::*;
use rug::Float;

const N_VARS: usize = 2;
const PREC: u32 = 256;

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
            inner.clone().prop_map(|a| E::F(Func::Exp, Box::new(a))),
            inner.prop_map(|a| E::F(Func::Log, Box::new(a))),
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
