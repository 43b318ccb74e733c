//! Interval evaluation of `ngd-expr` expressions over a box that also proves them smooth
//! there: every node is evaluated with `inari` directly (nothing shared with `ngd-eval`'s
//! tapes), and a node that could be non-smooth somewhere in the box (`abs`, `sign`, `max`,
//! `min` at a tie, a fractional power or `log` at a base that may be `<= 0`, a negative power
//! at a base that may be 0) makes the whole evaluation fail. A smooth evaluation of an
//! expression over a box proves it `C^inf` on that box.

use crate::interval::{power, rational};
use inari::{const_interval, Interval};
use ngd_expr::{Arena, ExprId, Func, Node};
use std::collections::HashMap;

/// Expressions compiled once: their nodes in post-order, each child as an index into it.
pub struct SmoothExprs {
    steps: Vec<Step>,
    roots: Vec<usize>,
}

enum Step {
    Const(Interval),
    Var(usize),
    Add(Vec<usize>),
    Mul(Vec<usize>),
    /// `base^p` for an integer `p`.
    Powi(usize, i32),
    /// `base^e` for a non-integer exponent `e` (enclosed).
    Powf(usize, Interval),
    Func(Func, usize),
    Max(usize, usize),
    Min(usize, usize),
}

impl SmoothExprs {
    /// The expressions `roots` of `arena`; `None` when an integer exponent does not fit
    /// in `i32`.
    pub fn new(arena: &Arena, roots: &[ExprId]) -> Option<SmoothExprs> {
        let order = arena.postorder(roots);
        let mut index: HashMap<ExprId, usize> = HashMap::new();
        let mut steps = Vec::with_capacity(order.len());
        for &id in &order {
            let at = |c: &ExprId| index[c];
            let step = match arena.node(id) {
                Node::Const(q) => Step::Const(rational(q)),
                Node::Var(i) => Step::Var(*i as usize),
                Node::Add(cs) => Step::Add(cs.iter().map(at).collect()),
                Node::Mul(cs) => Step::Mul(cs.iter().map(at).collect()),
                Node::Pow(b, e) if *e.denom() == 1u32 => Step::Powi(at(b), e.numer().to_i32()?),
                Node::Pow(b, e) => Step::Powf(at(b), rational(e)),
                Node::Func(f, a) => Step::Func(*f, at(a)),
                Node::Max(a, b) => Step::Max(at(a), at(b)),
                Node::Min(a, b) => Step::Min(at(a), at(b)),
            };
            index.insert(id, steps.len());
            steps.push(step);
        }
        let roots = roots.iter().map(|r| index[r]).collect();
        Some(SmoothExprs { steps, roots })
    }

    /// Enclosures of the roots over `xs`, or `None` when some node is not proved smooth
    /// (or bounded) on the box.
    pub fn eval(&self, xs: &[Interval]) -> Option<Vec<Interval>> {
        let mut v: Vec<Interval> = Vec::with_capacity(self.steps.len());
        for step in &self.steps {
            let value = match step {
                Step::Const(c) => *c,
                Step::Var(i) => *xs.get(*i)?,
                Step::Add(cs) => cs.iter().fold(const_interval!(0.0, 0.0), |s, &c| s + v[c]),
                Step::Mul(cs) => cs.iter().fold(const_interval!(1.0, 1.0), |s, &c| s * v[c]),
                Step::Powi(b, p) => powi(v[*b], *p)?,
                Step::Powf(b, e) => (v[*b].inf() > 0.0).then(|| v[*b].pow(*e))?,
                Step::Func(f, a) => func(*f, v[*a])?,
                Step::Max(a, b) => ordered(v[*a], v[*b]).map(|a_above| match a_above {
                    true => v[*a],
                    false => v[*b],
                })?,
                Step::Min(a, b) => ordered(v[*a], v[*b]).map(|a_above| match a_above {
                    true => v[*b],
                    false => v[*a],
                })?,
            };
            if value.is_empty() || !value.is_common_interval() {
                return None;
            }
            v.push(value);
        }
        Some(self.roots.iter().map(|&r| v[r]).collect())
    }
}

/// `x^p` (integer `p`); a negative power only where `x` is away from 0.
fn powi(x: Interval, p: i32) -> Option<Interval> {
    match p {
        0 => Some(const_interval!(1.0, 1.0)),
        _ if p > 0 => Some(power(x, p)),
        _ if x.contains(0.0) => None,
        _ => Some(const_interval!(1.0, 1.0) / power(x, -p)),
    }
}

/// `exp`, `log` (argument `> 0`), `abs` and `sign` (argument of one strict sign).
fn func(f: Func, x: Interval) -> Option<Interval> {
    let strict = || (x.inf() > 0.0 || x.sup() < 0.0).then_some(x.inf() > 0.0);
    match f {
        Func::Exp => Some(x.exp()),
        Func::Log => (x.inf() > 0.0).then(|| x.ln()),
        Func::Abs => strict().map(|positive| if positive { x } else { -x }),
        Func::Sign => strict().map(|positive| {
            if positive {
                const_interval!(1.0, 1.0)
            } else {
                const_interval!(-1.0, -1.0)
            }
        }),
    }
}

/// `Some(true)` when `a > b` on the whole box, `Some(false)` when `a < b`, `None` at a
/// possible tie (where `max` and `min` may have a kink).
fn ordered(a: Interval, b: Interval) -> Option<bool> {
    if a.inf() > b.sup() {
        Some(true)
    } else if a.sup() < b.inf() {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interval::point;

    fn eval(src: &str, lo: f64, hi: f64) -> Option<Interval> {
        let mut a = Arena::new(vec!["x".into()]);
        let e = ngd_parse::parse_expr(&mut a, src, &ngd_parse::Params::new()).unwrap();
        let x = Interval::try_from((lo, hi)).unwrap();
        SmoothExprs::new(&a, &[e])?.eval(&[x]).map(|v| v[0])
    }

    #[test]
    fn smooth_expressions_are_enclosed() {
        let v = eval(
            "sqrt(x) + 1/x + exp(x) + log(x) + abs(x) + max(x, -x)",
            1.0,
            4.0,
        )
        .unwrap();
        let at = |x: f64| x.sqrt() + 1.0 / x + x.exp() + x.ln() + 2.0 * x;
        assert!(v.contains(at(1.0)) && v.contains(at(4.0)) && v.contains(at(2.5)));
        assert!(v.subset(
            point(at(1.0)).convex_hull(point(at(4.0))) + Interval::try_from((-60.0, 60.0)).unwrap()
        ));
    }

    #[test]
    fn a_possible_kink_or_pole_in_the_box_is_refused() {
        for src in [
            "abs(x)",
            "sign(x)",
            "max(x, 0)",
            "min(x, 0)",
            "sqrt(x)",
            "1/x",
            "log(x)",
        ] {
            assert_eq!(eval(src, -1.0, 1.0), None, "{src}");
            assert!(eval(src, 1.0, 2.0).is_some(), "{src}");
        }
        // x^(1/3) is not differentiable at 0 either.
        assert_eq!(eval("x^(1/3)", 0.0, 1.0), None);
    }
}
