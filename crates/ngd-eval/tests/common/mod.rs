//! The random-expression tree shared by the property tests of this crate.

// Each test binary compiles this module and uses a subset of the variants.
#![allow(dead_code)]

use ngd_expr::{Arena, ExprId, Func, Rational};
use proptest::prelude::*;

/// A random expression, built with the arena's constructors.
#[derive(Clone, Debug)]
pub enum E {
    Var(usize),
    Const(i64, i64),
    Add(Box<E>, Box<E>),
    Sub(Box<E>, Box<E>),
    Mul(Box<E>, Box<E>),
    Div(Box<E>, Box<E>),
    PowI(Box<E>, i64),
    PowQ(Box<E>, i64, i64),
    F(Func, Box<E>),
    Max(Box<E>, Box<E>),
    Min(Box<E>, Box<E>),
}

pub fn build(a: &mut Arena, e: &E) -> ExprId {
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
        E::F(f, x) => {
            let x = build(a, x);
            a.func(*f, x)
        }
        E::Max(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.max(x, y)
        }
        E::Min(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.min(x, y)
        }
    }
}

/// How [`expr_depth`] weighs its choices where the test files differ.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Number of variables `x0 .. x(n-1)`.
    pub n_vars: usize,
    /// Weight of products among the operations (sums, quotients: 2; functions: 1).
    pub mul_weight: u32,
    /// Numerators `p` of the rational powers `u^(p/q)`, `q` in 2..=3.
    pub pow_numerators: &'static [i64],
}

/// A variable or a small rational constant.
pub fn leaf(shape: Shape) -> BoxedStrategy<E> {
    prop_oneof![
        (0..shape.n_vars).prop_map(E::Var),
        (-5i64..=5, 1i64..=4).prop_map(|(n, d)| E::Const(n, d)),
    ]
    .boxed()
}

/// Expressions of depth at most `depth` over every operation of the arena, mostly
/// non-leaf above the bottom level (tens of nodes at depth 4).
pub fn expr_depth(depth: u32, shape: Shape) -> BoxedStrategy<E> {
    if depth == 0 {
        return leaf(shape);
    }
    let inner = expr_depth(depth - 1, shape);
    let b = || inner.clone().prop_map(Box::new);
    let numerators = proptest::sample::select(shape.pow_numerators);
    prop_oneof![
        1 => leaf(shape),
        2 => (b(), b()).prop_map(|(x, y)| E::Add(x, y)),
        2 => (b(), b()).prop_map(|(x, y)| E::Sub(x, y)),
        shape.mul_weight => (b(), b()).prop_map(|(x, y)| E::Mul(x, y)),
        2 => (b(), b()).prop_map(|(x, y)| E::Div(x, y)),
        1 => (b(), -3i64..=4).prop_map(|(x, k)| E::PowI(x, k)),
        1 => (b(), numerators, 2i64..=3).prop_map(|(x, p, q)| E::PowQ(x, p, q)),
        1 => b().prop_map(|x| E::F(Func::Exp, x)),
        1 => b().prop_map(|x| E::F(Func::Log, x)),
        1 => b().prop_map(|x| E::F(Func::Abs, x)),
        1 => b().prop_map(|x| E::F(Func::Sign, x)),
        1 => (b(), b()).prop_map(|(x, y)| E::Max(x, y)),
        1 => (b(), b()).prop_map(|(x, y)| E::Min(x, y)),
    ]
    .boxed()
}
