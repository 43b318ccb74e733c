//! Helpers shared by the integration tests.
#![allow(dead_code)]

use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};

/// An arena over the expanded declarations.
pub fn arena(decls: &[&str]) -> Arena {
    let decls: Vec<String> = decls.iter().map(|s| s.to_string()).collect();
    Arena::new(expand_variables(&decls).expect("valid declarations"))
}

pub fn q(n: i64, d: i64) -> Rational {
    Rational::from((n, d))
}

pub fn no_params() -> Params {
    Params::new()
}

pub fn parse(a: &mut Arena, src: &str) -> ExprId {
    parse_expr(a, src, &Params::new()).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

pub fn parse_with(a: &mut Arena, src: &str, p: &Params) -> ExprId {
    parse_expr(a, src, p).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

pub fn scalar(v: Rational) -> ParamValue {
    ParamValue::Scalar(v)
}

/// Exact value at a rational point, for expressions built from `+ * ^integer`, `abs`,
/// `sign`, `max`, `min` (`None` when undefined or not rational).
pub fn eval(a: &Arena, e: ExprId, x: &[Rational]) -> Option<Rational> {
    Some(match a.node(e) {
        Node::Const(c) => c.clone(),
        Node::Var(i) => x[*i as usize].clone(),
        Node::Add(ts) => {
            let mut s = Rational::new();
            for &t in ts.iter() {
                s += eval(a, t, x)?;
            }
            s
        }
        Node::Mul(ts) => {
            let mut s = Rational::from(1);
            for &t in ts.iter() {
                s *= eval(a, t, x)?;
            }
            s
        }
        Node::Pow(b, k) => {
            let b = eval(a, *b, x)?;
            if !k.is_integer() {
                return None;
            }
            let k = k.numer().to_i32()?;
            if b == 0 && k < 0 {
                return None;
            }
            let mut r = Rational::from(1);
            for _ in 0..k.unsigned_abs() {
                r *= &b;
            }
            if k < 0 {
                r.recip()
            } else {
                r
            }
        }
        Node::Func(f, u) => {
            let u = eval(a, *u, x)?;
            match f {
                Func::Abs => u.abs(),
                Func::Sign => Rational::from(u.cmp0() as i32),
                _ => return None,
            }
        }
        Node::Max(p, r) => {
            let (p, r) = (eval(a, *p, x)?, eval(a, *r, x)?);
            if p >= r {
                p
            } else {
                r
            }
        }
        Node::Min(p, r) => {
            let (p, r) = (eval(a, *p, x)?, eval(a, *r, x)?);
            if p <= r {
                p
            } else {
                r
            }
        }
    })
}
