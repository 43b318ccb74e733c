//! Recognising the shape of the objective: `f = c h(g)` with scalar `g`, or `f = sum c_i g_i^2`.
//!
//! The shape decides the normalized subdifferential at minima (docs/math.md, "The shape of
//! f") and lets C1 test the smaller identity `<grad g, grad phi> = 0`.

mod outer_function;
mod square_root;

pub use outer_function::{recognise as recognise_outer_function, OuterFunction};
pub use square_root::intern_residuals;

use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use serde::Serialize;

/// The outer function `h` in `f = c h(g)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outer {
    /// `h(t) = t^2`.
    Square,
    /// `h(t) = t^(2k)` with `k >= 2` (the exponent is stored).
    EvenPower(u32),
    /// `h(t) = |t|`.
    Abs,
    /// `h` given by a formula (`log(1 + t^2)`, `sqrt(1 + t^2) - 1`, ...), proved increasing in
    /// `|t|` with `h(0) = 0` ([`OuterFunction`]); `h(t) ~ a t^order` at 0 with `a > 0`.
    Increasing {
        /// The even order of `h` at 0.
        order: u32,
        /// `log2` of the range `r`: `h'(t)` has the sign of `t` for `0 < |t| <= r` (proved);
        /// beyond, `t h'(t) >= 0` only.
        strict_range_log2: u32,
    },
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
    /// Recognises the shape of `f`: a power or `|.|` of one residual, a weighted sum of squares
    /// of residuals (monomials such as `y^2*z^2` count as the square of `y*z` when the arena
    /// holds `y*z`, see [`intern_residuals`]), else `h(g)` for an outer function proved
    /// increasing in `|t|` ([`recognise_outer_function`]).
    pub fn detect(arena: &Arena, f: ExprId) -> Structure {
        Structure::detect_with_formula(arena, f).0
    }

    /// [`Structure::detect`], with the formula of `h` in `t` when the shape is an outer
    /// function recognised from its formula ([`Outer::Increasing`]), from the same proof.
    pub fn detect_with_formula(arena: &Arena, f: ExprId) -> (Structure, Option<String>) {
        if let Some((coeff, g, outer)) = scalar_part(arena, f) {
            return (Structure::Scalar { g, outer, coeff }, None);
        }
        if let Some(residuals) = least_squares(arena, f) {
            return (Structure::LeastSquares { residuals }, None);
        }
        match recognise_outer_function(arena, f) {
            Some(o) => {
                let outer = Outer::Increasing {
                    order: o.order,
                    strict_range_log2: o.strict_range.log2() as u32,
                };
                let coeff = Rational::from(1);
                (
                    Structure::Scalar {
                        g: o.g,
                        outer,
                        coeff,
                    },
                    Some(o.formula),
                )
            }
            None => (Structure::General, None),
        }
    }
}

/// The weighted residuals of `f = sum_i c_i g_i^2 + c_0` (at least two), if `f` has that form.
fn least_squares(arena: &Arena, f: ExprId) -> Option<Vec<(Rational, ExprId)>> {
    let Node::Add(ts) = arena.node(f) else {
        return None;
    };
    let mut residuals = Vec::new();
    for &t in ts.iter() {
        if arena.as_const(t).is_some() {
            continue;
        }
        match scalar_part(arena, t) {
            Some((c, g, Outer::Square)) => residuals.push((c, g)),
            _ => return None,
        }
    }
    (residuals.len() >= 2).then_some(residuals)
}

/// `(c, g, h)` when `t = c h(g)` with `c > 0` and `h` an even power or `|.|`.
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
        Node::Mul(fs) if fs.len() == 2 && arena.as_const(fs[0]).is_some() => {
            let c = arena.as_const(fs[0])?;
            if *c <= 0 {
                return None;
            }
            let (one, g, outer) = scalar_part(arena, fs[1])?;
            debug_assert!(one == 1);
            Some((c.clone(), g, outer))
        }
        Node::Mul(_) => square_root::monomial_square(arena, t).map(|(c, r)| (c, r, Outer::Square)),
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

    #[test]
    fn zero_target_residuals_make_least_squares() {
        let mut a = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
        let f =
            ngd_parse::parse_expr(&mut a, "(x*y - 1)^2 + (y*z)^2", &Default::default()).unwrap();
        intern_residuals(&mut a, f);
        let Structure::LeastSquares { residuals } = Structure::detect(&a, f) else {
            panic!("least squares expected");
        };
        let shown: Vec<String> = residuals.iter().map(|(_, r)| a.display(*r)).collect();
        assert_eq!(shown, ["x*y - 1", "y*z"]);
        let f = ngd_parse::parse_expr(&mut a, "3*y^2*z^4", &Default::default()).unwrap();
        intern_residuals(&mut a, f);
        match Structure::detect(&a, f) {
            Structure::Scalar { g, outer, coeff } => {
                assert_eq!(
                    (a.display(g), outer, coeff),
                    ("y*z^2".into(), Outer::Square, 3.into())
                );
            }
            s => panic!("{s:?}"),
        }
    }

    #[test]
    fn formula_outer_functions_are_scalar_shapes() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let f = ngd_parse::parse_expr(&mut a, "log(1 + (x*y - 1)^2)", &Default::default()).unwrap();
        match Structure::detect(&a, f) {
            Structure::Scalar { g, outer, .. } => {
                assert_eq!(a.display(g), "x*y - 1");
                assert!(matches!(outer, Outer::Increasing { order: 2, .. }));
            }
            s => panic!("{s:?}"),
        }
        // Not increasing: stays general.
        let f = ngd_parse::parse_expr(&mut a, "(x*y - 1)^2 - (x*y - 1)^4", &Default::default())
            .unwrap();
        assert_eq!(Structure::detect(&a, f), Structure::General);
    }
}
