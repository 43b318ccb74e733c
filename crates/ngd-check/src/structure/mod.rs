//! Recognising the shape of the objective: `f = c h(g)` with scalar `g`, `f = sum c_i g_i^2`,
//! or a sum of losses `f = sum c_i h_i(g_i) + c_0`.
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

/// One term `c h(g)` of a sum of losses ([`Structure::Sum`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SumTerm {
    /// The positive constant factor `c`.
    pub coeff: Rational,
    /// The residual `g`.
    pub g: ExprId,
    /// The outer function `h`.
    pub outer: Outer,
    /// `a` with `h(t) = a t^k + o(t^k)` at 0 (`k` the order of `h`), exact; `None` for `|t|`
    /// and when `h^(k)(0)` is not an exact rational.
    pub leading: Option<Rational>,
    /// `h` as a formula in `t` (`t^2`, `|t|`, `log(1 + t^2)`, ...).
    pub formula: String,
}

impl SumTerm {
    /// The order of `h` at 0: `h(t) ~ a |t|^order` (1 for `|t|`).
    pub fn order(&self) -> u32 {
        match self.outer {
            Outer::Square => 2,
            Outer::EvenPower(k) => k,
            Outer::Abs => 1,
            Outer::Increasing { order, .. } => order,
        }
    }

    /// `c a` when `h(t) = a t^2 + o(t^2)` with `a` exact: then the term's Hessian on
    /// `{g = 0}` is `2 c a grad g grad g^T`, as for the least-squares term `c a g^2`.
    pub fn quadratic_weight(&self) -> Option<Rational> {
        if self.order() != 2 {
            return None;
        }
        self.leading.clone().map(|a| a * &self.coeff)
    }
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
    /// `f = sum_i c_i h_i(g_i) + c_0` with `c_i > 0`, at least two terms with distinct
    /// residuals, each `h_i` increasing in `|t|` with `h_i(0) = 0` (as for
    /// [`Structure::Scalar`]), and `f` not least squares. Then `f >= c_0` with equality
    /// exactly on `{g_1 = ... = g_m = 0}`, and `grad f = J^T y` with `y_i = c_i h_i'(g_i)`.
    Sum {
        /// The terms, in the order of `f`.
        terms: Vec<SumTerm>,
        /// The constant `c_0`.
        constant: Rational,
    },
    /// None of the above.
    General,
}

impl Structure {
    /// Recognises the shape of `f`: a power or `|.|` of one residual, a weighted sum of squares
    /// of residuals (monomials such as `y^2*z^2` count as the square of `y*z` when the arena
    /// holds `y*z`, see [`intern_residuals`]), else `h(g)` for an outer function proved
    /// increasing in `|t|` ([`recognise_outer_function`]), else a sum of such losses of
    /// distinct residuals ([`Structure::Sum`]).
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
        if let Some(o) = recognise_outer_function(arena, f) {
            let outer = Outer::Increasing {
                order: o.order,
                strict_range_log2: o.strict_range.log2() as u32,
            };
            let coeff = Rational::from(1);
            let structure = Structure::Scalar {
                g: o.g,
                outer,
                coeff,
            };
            return (structure, Some(o.formula));
        }
        match sum_of_losses(arena, f) {
            Some((terms, constant)) => (Structure::Sum { terms, constant }, None),
            None => (Structure::General, None),
        }
    }

    /// The residuals `g_i` of a shape whose minimum set is `{g_i = 0}` (one for `f = c h(g)`),
    /// in order; empty for [`Structure::General`].
    pub fn residuals(&self) -> Vec<ExprId> {
        match self {
            Structure::Scalar { g, .. } => vec![*g],
            Structure::LeastSquares { residuals } => residuals.iter().map(|r| r.1).collect(),
            Structure::Sum { terms, .. } => terms.iter().map(|t| t.g).collect(),
            Structure::General => Vec::new(),
        }
    }
}

/// The terms and the constant of `f = sum_i c_i h_i(g_i) + c_0` (at least two terms, distinct
/// residuals), each term a power or `|.|` of its residual or an outer function proved
/// increasing in `|t|` ([`recognise_outer_function`]).
fn sum_of_losses(arena: &Arena, f: ExprId) -> Option<(Vec<SumTerm>, Rational)> {
    let Node::Add(ts) = arena.node(f) else {
        return None;
    };
    let mut terms: Vec<SumTerm> = Vec::new();
    let mut constant = Rational::new();
    for &t in ts.iter() {
        if let Some(c) = arena.as_const(t) {
            constant += c;
            continue;
        }
        let term = loss_term(arena, t)?;
        // Two losses of one residual are one loss `h_1 + h_2` of it, which need not be
        // increasing where each is (`|t| + t^2` has a kink): only distinct residuals.
        if terms.iter().any(|u| u.g == term.g) {
            return None;
        }
        terms.push(term);
    }
    (terms.len() >= 2).then_some((terms, constant))
}

/// `t = c h(g)` as a term of a sum of losses: [`scalar_part`], else `c` times an outer
/// function of `g` proved increasing in `|t|`.
fn loss_term(arena: &Arena, t: ExprId) -> Option<SumTerm> {
    if let Some((coeff, g, outer)) = scalar_part(arena, t) {
        let formula = match outer {
            Outer::Abs => "|t|".to_string(),
            Outer::Square => "t^2".to_string(),
            Outer::EvenPower(k) => format!("t^{k}"),
            Outer::Increasing { .. } => return None,
        };
        let leading = (outer != Outer::Abs).then(|| Rational::from(1));
        return Some(SumTerm {
            coeff,
            g,
            outer,
            leading,
            formula,
        });
    }
    let (coeff, rest) = match arena.node(t) {
        Node::Mul(fs) if fs.len() == 2 => match arena.as_const(fs[0]) {
            Some(c) if *c > 0 => (c.clone(), fs[1]),
            Some(_) => return None,
            None => (Rational::from(1), t),
        },
        _ => (Rational::from(1), t),
    };
    let o = recognise_outer_function(arena, rest)?;
    Some(SumTerm {
        coeff,
        g: o.g,
        outer: Outer::Increasing {
            order: o.order,
            strict_range_log2: o.strict_range.log2() as u32,
        },
        leading: o.leading,
        formula: o.formula,
    })
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

    fn detect_str(vars: &[&str], f: &str) -> (Arena, Structure) {
        let mut a = Arena::new(vars.iter().map(|v| v.to_string()).collect());
        let f = ngd_parse::parse_expr(&mut a, f, &Default::default()).unwrap();
        intern_residuals(&mut a, f);
        let s = Structure::detect(&a, f);
        (a, s)
    }

    /// A term of a sum of losses as printed: `(g_i, formula of h_i, c_i)`.
    type ShownTerm = (String, String, Rational);

    /// The terms and `c_0` of a detected sum of losses.
    fn sum_terms(vars: &[&str], f: &str) -> Option<(Vec<ShownTerm>, Rational)> {
        let (a, s) = detect_str(vars, f);
        let Structure::Sum { terms, constant } = s else {
            return None;
        };
        let shown = terms
            .iter()
            .map(|t| (a.display(t.g), t.formula.clone(), t.coeff.clone()))
            .collect();
        Some((shown, constant))
    }

    #[test]
    fn sums_of_losses_are_recognised_term_by_term() {
        let (terms, c0) = sum_terms(&["x", "y"], "log(1 + (x*y - 1)^2) + (x - y)^2").unwrap();
        let want = [
            ("x*y - 1".to_string(), "log(t^2 + 1)".to_string(), 1.into()),
            ("x - y".to_string(), "t^2".to_string(), 1.into()),
        ];
        assert_eq!((terms, c0), (want.to_vec(), Rational::new()));
        let (terms, _) = sum_terms(&["x", "y", "z"], "(x*y - 1)^2 + (y - z)^4").unwrap();
        assert_eq!(terms[1].1, "t^4");
        let (terms, _) = sum_terms(&["u", "v", "w"], "log(1 + (u*v - 1)^2) + abs(w)").unwrap();
        assert_eq!((terms[1].0.as_str(), terms[1].1.as_str()), ("w", "|t|"));
        // The control of the non-monotone term below: with + 10 instead of + 1/10 it increases.
        let f = "log(1 + (x - y)^2*(((x - y)^2 - 4)^2 + 10)) + (x*y - 1)^2";
        assert!(sum_terms(&["x", "y"], f).is_some(), "{f}");
        let f = "3*log(1 + (x - y)^2) + 2*(x*y - 1)^2 + 5";
        let (a, s) = detect_str(&["x", "y"], f);
        let Structure::Sum { terms, constant } = s else {
            panic!("{s:?}");
        };
        assert_eq!(constant, 5);
        let shown: Vec<(String, Option<Rational>)> = terms
            .iter()
            .map(|t| (a.display(t.g), t.quadratic_weight()))
            .collect();
        assert_eq!(
            shown,
            [
                ("x - y".into(), Some(3.into())),
                ("x*y - 1".into(), Some(2.into()))
            ]
        );
    }

    #[test]
    fn least_squares_and_scalar_shapes_stay_as_they_were() {
        let (_, s) = detect_str(&["x", "y"], "(x*y - 1)^2 + 2*(x - y)^2 + 1");
        assert!(matches!(s, Structure::LeastSquares { .. }), "{s:?}");
        let (_, s) = detect_str(&["x", "y"], "(x*y - 1)^2 + (x*y - 1)^4");
        assert!(matches!(s, Structure::Scalar { .. }), "{s:?}");
    }

    #[test]
    fn sums_with_a_term_that_is_not_a_loss_are_general() {
        for f in [
            // h dips below 0 far from 0 (t = 10): inf f < 0, so M != {G = 0}
            "(x - y)^2*(1 - 50*exp(-((x - y) - 10)^2)) + (x*y - 1)^2",
            // h(t) = log(1 + t^2 ((t^2 - 4)^2 + 1/10)) is positive but decreases on
            // 1.16 < |t| < 2: a ring of critical points off M
            "log(1 + (x - y)^2*(((x - y)^2 - 4)^2 + 1/10)) + (x*y - 1)^2",
            // two losses of one residual: |t| + t^2 is one loss, with a kink
            "abs(x*y - 1) + (x*y - 1)^2 + (x - y)^2",
            // a negative weight
            "log(1 + (x - y)^2) - (x*y - 1)^2",
            // a term that is no function of a residual with h(0) = 0
            "log(1 + (x - y)^2) + (x*y - 1)^2 + x",
            // an odd power
            "log(1 + (x - y)^2) + (x*y - 1)^3",
            // one loss and a constant only
            "log(1 + (x - y)^2) + 3",
        ] {
            let (_, s) = detect_str(&["x", "y"], f);
            assert!(
                !matches!(s, Structure::Sum { .. }),
                "{f} must not be a sum of losses: {s:?}"
            );
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
