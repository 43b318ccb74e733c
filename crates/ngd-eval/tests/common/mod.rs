//! The random-expression tree shared by the property tests of this crate.

// Each test binary compiles this module and uses a subset of the variants.
#![allow(dead_code)]

use ngd_expr::{Arena, ExprId, Func, Rational};

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
