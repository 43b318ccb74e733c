//! Recognising the shape of the objective: `f = c h(g)` with scalar `g`, or `f = sum c_i g_i^2`.
//!
//! The shape decides the normalized subdifferential at minima (docs/math.md section 1) and lets
//! C1 test the smaller identity `<grad g, grad phi> = 0`.

use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use serde::Serialize;

/// The outer function `h` in `f = c h(g)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outer {
    /// `h(t) = t^2`.
    Square,
    /// `h(t) = t^(2k)` with `k >= 2` (the exponent is stored).
    EvenPower(u32),
    /// `h(t) = |t|`.
    Abs,
}

/// The recognised shape of `f`.
#[derive(Clone, Debug, PartialEq)]
pub enum Structure {
    /// `f = coeff * h(g)`, `coeff > 0`, `g` a scalar expression.
    Scalar {
        /// The inner function.
        g: ExprId,
        /// The even outer function.
        outer: Outer,
        /// The positive constant factor.
        coeff: Rational,
    },
    /// `f = sum_i c_i g_i^2 + c_0` with `c_i > 0`: least squares `|G|^2`.
    LeastSquares {
        /// The residuals `g_i` with their weights `c_i`.
        residuals: Vec<(Rational, ExprId)>,
    },
    /// None of the above.
    General,
}

impl Structure {
    /// Recognises the shape of `f`.
    pub fn detect(arena: &Arena, f: ExprId) -> Structure {
        if let Some((coeff, g, outer)) = scalar_part(arena, f) {
            return Structure::Scalar { g, outer, coeff };
        }
        if let Node::Add(ts) = arena.node(f) {
            let mut residuals = Vec::new();
            for &t in ts.iter() {
                if arena.as_const(t).is_some() {
                    continue;
                }
                match scalar_part(arena, t) {
                    Some((c, g, Outer::Square)) => residuals.push((c, g)),
                    _ => return Structure::General,
                }
            }
            if residuals.len() >= 2 {
                return Structure::LeastSquares { residuals };
            }
        }
        Structure::General
    }
}

/// `(c, g, h)` when `t = c h(g)` with `c > 0` and `h` even.
fn scalar_part(arena: &Arena, t: ExprId) -> Option<(Rational, ExprId, Outer)> {
    match arena.node(t) {
        Node::Pow(g, e) if e.is_integer() && *e > 0 && e.numer().is_even() => {
            let k = e.numer().to_u32()?;
            let outer = if k == 2 {
                Outer::Square
            } else {
                Outer::EvenPower(k)
            };
            Some((Rational::from(1), *g, outer))
        }
        Node::Func(Func::Abs, g) => Some((Rational::from(1), *g, Outer::Abs)),
        Node::Mul(fs) if fs.len() == 2 => {
            let c = arena.as_const(fs[0])?;
            if *c <= 0 {
                return None;
            }
            let (one, g, outer) = scalar_part(arena, fs[1])?;
            debug_assert!(one == 1);
            Some((c.clone(), g, outer))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_squares_abs_and_sums() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let x = a.var(0);
        let y = a.var(1);
        let xy = a.mul2(x, y);
        let one = a.int(1);
        let g = a.sub(xy, one);
        let f = a.powi(g, 2);
        assert_eq!(
            Structure::detect(&a, f),
            Structure::Scalar {
                g,
                outer: Outer::Square,
                coeff: Rational::from(1)
            }
        );
        let f = a.func(Func::Abs, g);
        assert!(matches!(
            Structure::detect(&a, f),
            Structure::Scalar {
                outer: Outer::Abs,
                ..
            }
        ));
        let g2 = a.sub(x, y);
        let s1 = a.powi(g, 2);
        let s2 = a.powi(g2, 2);
        let f = a.add2(s1, s2);
        assert!(matches!(
            Structure::detect(&a, f),
            Structure::LeastSquares { .. }
        ));
        let f = a.add2(x, s2);
        assert_eq!(Structure::detect(&a, f), Structure::General);
    }
}
