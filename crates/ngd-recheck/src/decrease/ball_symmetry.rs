//! The closing argument of a ball around an irrational point `s*` of `S` placed by a symmetry
//! (`n = 2`, argument kind `symmetry`), re-proved from the printed data (docs/math.md C4,
//! "Closing the neighbourhoods of S"; `ngd-decrease`'s `closure` module builds it):
//!
//! 1. the printed name is one of the four plane symmetries `x -> A x` (`A` a signed
//!    permutation, `A^2 = I`, a 1-dimensional fixed line) `ngd-decrease` emits;
//! 2. `g(A x) = g(x)` and `phi(A x) = phi(x)` as (Laurent) polynomials, exactly;
//! 3. `<grad g, grad phi> = 0` as a polynomial (recomputed here, whatever C1 printed);
//! 4. the printed `from` and `to` (exact: the `f64` values themselves) are fixed by `A`, lie
//!    in the chart box `K`, and `g(from)`, `g(to)` are nonzero with opposite signs, so some
//!    `s*` on the segment between them (inside `K`, which is convex) has `g(s*) = 0`;
//! 5. `dg/dx_k` has one strict sign `sigma` on the segment (interval enclosures), so
//!    `grad g(s*) != 0` whichever point `s*` is, and the chart and concavity steps of `ball`
//!    hold on `K` with that `sigma`;
//! 6. the ball's box lies in `K`.
//!
//! At `s*` (on the fixed line) `A grad g(s*) = grad g(s*)` (differentiate `g(A x) = g(x)`,
//! `A` orthogonal and symmetric), and likewise for `phi` and `Q`: all three gradients lie on
//! the fixed line. Then `grad Q ∥ grad g` (the tangential derivative of `Q` vanishes), and
//! `grad phi ∥ grad g` with `<grad g, grad phi> = 0` gives `grad phi(s*) = 0`; differentiating
//! the conservation law, `Hess g grad phi + Hess phi grad g = 0`, so `Hess phi grad g = 0` and
//! `Q(s*) = 0`. This is step 3 of the rational-point argument with `s = s*`, so `Q < 0` on
//! `M ∩ K` except at `s*`, and the ball's box lies in `K`. Nothing more is needed of the
//! printed centre (a float near `s*`): the claim holds on all of `K`, whichever `s*` it is.

use super::ball::{chart_holds, read_chart, BallOutcome, LocalModel};
use super::ExactBox;
use crate::interval::on_pieces;
use ngd_algebra::Poly;
use rug::Rational;
use serde_json::Value;
use std::cmp::Ordering;

/// Bisection levels of the segment's bounding box for the sign of `dg/dx_k`.
const SEGMENT_SPLIT_DEPTH: u32 = 10;

/// A signed permutation of the plane: `(A x)_i = sign[i] * x[source[i]]`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PlaneSymmetry {
    source: [usize; 2],
    sign: [i32; 2],
}

/// The four symmetries `ngd-decrease` emits, by their printed names; `None` for any other.
fn parse_symmetry(name: &str) -> Option<PlaneSymmetry> {
    let (source, sign) = match name {
        "(x, y) -> (y, x)" => ([1, 0], [1, 1]),
        "(x, y) -> (-y, -x)" => ([1, 0], [-1, -1]),
        "(x, y) -> (x, -y)" => ([0, 1], [1, -1]),
        "(x, y) -> (-x, y)" => ([0, 1], [-1, 1]),
        _ => return None,
    };
    Some(PlaneSymmetry { source, sign })
}

impl PlaneSymmetry {
    /// `A x`.
    fn apply(&self, x: &[Rational]) -> Vec<Rational> {
        (0..2)
            .map(|i| Rational::from(&x[self.source[i]] * self.sign[i]))
            .collect()
    }

    /// `p(A x)`, exactly: the monomial `prod x_i^e_i` becomes `prod (s_i x_src(i))^e_i`.
    fn substitute(&self, p: &Poly) -> Poly {
        let terms = p
            .terms()
            .map(|(m, c)| {
                let mut exps = vec![0i32; 2];
                let mut coeff = c.clone();
                for i in 0..2 {
                    exps[self.source[i]] += m[i];
                    if self.sign[i] < 0 && m[i] % 2 != 0 {
                        coeff = -coeff;
                    }
                }
                (exps, coeff)
            })
            .collect();
        Poly::from_terms_n(2, terms)
    }

    /// Whether `p(A x) = p(x)` identically.
    fn leaves_invariant(&self, p: &Poly) -> bool {
        p.n_vars() == 2 && self.substitute(p) == *p
    }
}

/// Re-checks the `symmetry` argument `argument` of a closed ball with box `ball_box`
/// (module docs); `names` are the case's variables.
pub(super) fn check_symmetry(
    model: &LocalModel,
    names: &[String],
    argument: &Value,
    ball_box: &ExactBox,
) -> BallOutcome {
    match symmetry_holds(model, names, argument, ball_box) {
        Ok(()) => BallOutcome::Holds,
        Err(why) => BallOutcome::Fails(why),
    }
}

fn symmetry_holds(
    model: &LocalModel,
    names: &[String],
    argument: &Value,
    ball_box: &ExactBox,
) -> Result<(), String> {
    if names.len() != 2 {
        return Err("a symmetry argument needs two variables".into());
    }
    let name = argument["symmetry"].as_str().unwrap_or_default();
    let a = parse_symmetry(name).ok_or_else(|| format!("unknown symmetry {name:?}"))?;
    let point = |key: &str| -> Option<Vec<Rational>> {
        let p = argument[key].as_array().filter(|p| p.len() == 2)?;
        p.iter().map(|v| Rational::from_f64(v.as_f64()?)).collect()
    };
    let (Some(from), Some(to), Some(chart)) =
        (point("from"), point("to"), read_chart(argument, names))
    else {
        return Err("its argument (symmetry, from, to, chart) cannot be read".into());
    };
    if !ball_box.inside(&chart.chart.lo, &chart.chart.hi) {
        return Err("the ball's box does not lie in its chart box".into());
    }
    for (what, p) in [("g", &model.g), ("phi", &model.phi)] {
        if !a.leaves_invariant(p) {
            return Err(format!("{what} is not invariant under {name}"));
        }
    }
    if !conserved(model) {
        return Err("<grad g, grad phi> is not identically 0 (phi is not conserved)".into());
    }
    sign_change(model, &a, name, &from, &to, &chart.chart)?;
    let sigma = segment_sign(model, chart.k, &from, &to).ok_or_else(|| {
        format!(
            "dg/d{} is not proved of one strict sign on the segment [from, to]",
            chart.coordinate
        )
    })?;
    chart_holds(model, &chart, sigma)
}

/// Step 3: `<grad g, grad phi> = 0` as a polynomial.
fn conserved(model: &LocalModel) -> bool {
    let n = model.dg.len();
    (0..n)
        .fold(Poly::zero(n), |s, i| {
            s.add(&model.dg[i].mul(&model.phi.derivative(i)))
        })
        .is_zero()
}

/// Step 4: `from` and `to` on the fixed line of `a`, in the chart box, with `g` of opposite
/// exact signs.
fn sign_change(
    model: &LocalModel,
    a: &PlaneSymmetry,
    name: &str,
    from: &[Rational],
    to: &[Rational],
    chart: &ExactBox,
) -> Result<(), String> {
    let mut signs = Vec::new();
    for (key, p) in [("from", from), ("to", to)] {
        if a.apply(p) != p {
            return Err(format!("{key} is not on the fixed line of {name}"));
        }
        if !chart.contains(p) {
            return Err(format!("{key} does not lie in the chart box"));
        }
        let g = model
            .g
            .eval(p)
            .ok_or_else(|| format!("g has no value at {key}"))?;
        signs.push(g.cmp0());
    }
    match signs[..] {
        [Ordering::Less, Ordering::Greater] | [Ordering::Greater, Ordering::Less] => Ok(()),
        _ => Err("g does not have opposite nonzero signs at from and to".into()),
    }
}

/// Step 5: the strict sign of `dg/dx_k` on the bounding box of the segment `[from, to]`
/// (which contains the segment), by interval enclosures over a bisection.
fn segment_sign(model: &LocalModel, k: usize, from: &[Rational], to: &[Rational]) -> Option<i32> {
    let hull = ExactBox {
        lo: from.iter().zip(to).map(|(a, b)| a.min(b).clone()).collect(),
        hi: from.iter().zip(to).map(|(a, b)| a.max(b).clone()).collect(),
    };
    let g_k = crate::interval::IPoly::new(model.dg[k].clone());
    [1, -1].into_iter().find(|&sigma| {
        on_pieces(&hull.intervals(), SEGMENT_SPLIT_DEPTH, &|b| {
            let v = g_k.enclose(b);
            !v.is_empty()
                && v.is_common_interval()
                && (if sigma > 0 {
                    v.inf() > 0.0
                } else {
                    v.sup() < 0.0
                })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn poly(src: &str) -> Poly {
        let mut arena = ngd_expr::Arena::new(vec!["x".into(), "y".into()]);
        let e = ngd_parse::parse_expr(&mut arena, src, &ngd_parse::Params::new()).unwrap();
        ngd_algebra::poly_from_expr(&arena, e)
            .unwrap()
            .extend_vars(2)
    }

    fn model(g: &str, phi: &str) -> LocalModel {
        LocalModel::new(&poly(g), &poly(phi))
    }

    fn r(v: f64) -> Rational {
        Rational::from_f64(v).unwrap()
    }

    const CUBIC_G: &str = "x^3 + y^3 - 1";
    const CUBIC_PHI: &str = "(1/x - 1/y)^2";

    /// The argument `ngd-verify cases/cubic.case` prints (its ball box is `BALL`).
    fn cubic_argument() -> Value {
        json!({"kind": "symmetry", "symmetry": "(x, y) -> (y, x)",
               "from": [0.7803945389761496, 0.7803945389761496],
               "to": [0.8070065129920498, 0.8070065129920498],
               "chart": {"coordinate": "y", "proved_boxes": 27,
                         "chart_box": {"variables": ["x", "y"],
                                       "lo": [0.767578125, 0.7138646039363992],
                                       "hi": [0.8203125, 0.8735364480318004]}}})
    }

    const BALL: [f64; 2] = [0.767578125, 0.8203125];

    fn check(m: &LocalModel, argument: &Value, lo: f64, hi: f64) -> BallOutcome {
        check_box(m, argument, [lo, lo], [hi, hi])
    }

    fn check_box(m: &LocalModel, argument: &Value, lo: [f64; 2], hi: [f64; 2]) -> BallOutcome {
        let names = ["x".to_string(), "y".to_string()];
        let ball_box = ExactBox {
            lo: lo.iter().map(|&v| r(v)).collect(),
            hi: hi.iter().map(|&v| r(v)).collect(),
        };
        check_symmetry(m, &names, argument, &ball_box)
    }

    /// The ball box of [`ellipse_argument`]: lower and upper corners.
    const ELLIPSE_BALL: ([f64; 2], [f64; 2]) = ([0.984375, -0.015625], [1.015625, 0.015625]);

    fn fails(o: BallOutcome) -> String {
        match o {
            BallOutcome::Fails(why) => why,
            BallOutcome::Holds => panic!("held"),
            BallOutcome::NotRechecked => panic!("not re-checked"),
        }
    }

    #[test]
    fn the_four_symmetries_are_involutions_with_a_fixed_line() {
        for name in [
            "(x, y) -> (y, x)",
            "(x, y) -> (-y, -x)",
            "(x, y) -> (x, -y)",
            "(x, y) -> (-x, y)",
        ] {
            let a = parse_symmetry(name).unwrap();
            let x = vec![Rational::from(3), Rational::from(-7)];
            assert_eq!(a.apply(&a.apply(&x)), x, "{name}");
            assert_ne!(a.apply(&x), x, "{name}: the identity");
            // A x + x is fixed and not 0 here: the fixed line is not {0}.
            let sum: Vec<Rational> = (0..2)
                .map(|i| Rational::from(&a.apply(&x)[i] + &x[i]))
                .collect();
            assert_eq!(a.apply(&sum), sum, "{name}");
        }
        assert_eq!(parse_symmetry("(x, y) -> (y, -x)"), None);
        assert_eq!(parse_symmetry("(x,y) -> (y,x)"), None);
    }

    #[test]
    fn substitution_is_exact_for_laurent_terms() {
        let swap = parse_symmetry("(x, y) -> (y, x)").unwrap();
        assert_eq!(swap.substitute(&poly("x^3 - 2/y")), poly("y^3 - 2/x"));
        let flip = parse_symmetry("(x, y) -> (-x, y)").unwrap();
        assert_eq!(
            flip.substitute(&poly("x^3*y + x^2/y")),
            poly("-x^3*y + x^2/y")
        );
        assert_eq!(
            parse_symmetry("(x, y) -> (-y, -x)")
                .unwrap()
                .substitute(&poly("x - y^2")),
            poly("-y - x^2")
        );
    }

    #[test]
    fn the_argument_of_the_cubic_holds() {
        let m = model(CUBIC_G, CUBIC_PHI);
        let o = check(&m, &cubic_argument(), BALL[0], BALL[1]);
        assert!(matches!(o, BallOutcome::Holds), "{}", fails(o));
    }

    #[test]
    fn a_phi_not_invariant_or_not_conserved_fails() {
        // An extra term x/1000 breaks the symmetry (and the conservation).
        let m = model(CUBIC_G, "(1/x - 1/y)^2 + x/1000");
        let why = fails(check(&m, &cubic_argument(), BALL[0], BALL[1]));
        assert!(why.contains("phi is not invariant"), "{why}");
        // Symmetric but not conserved: x y is invariant under the swap.
        let m = model(CUBIC_G, "(1/x - 1/y)^2 + x*y");
        let why = fails(check(&m, &cubic_argument(), BALL[0], BALL[1]));
        assert!(why.contains("not conserved"), "{why}");
        // A g not invariant under the printed symmetry.
        let m = model("x^3 + y^3 + x/1000 - 1", CUBIC_PHI);
        let why = fails(check(&m, &cubic_argument(), BALL[0], BALL[1]));
        assert!(why.contains("g is not invariant"), "{why}");
    }

    #[test]
    fn bad_points_and_unknown_symmetries_fail() {
        let m = model(CUBIC_G, CUBIC_PHI);
        // Both points below the curve: g < 0 at both.
        let mut same = cubic_argument();
        same["to"] = json!([0.785, 0.785]);
        let why = fails(check(&m, &same, BALL[0], BALL[1]));
        assert!(why.contains("opposite"), "{why}");
        // A point off the fixed line y = x.
        let mut off = cubic_argument();
        off["to"] = json!([0.8070065129920498, 0.8]);
        let why = fails(check(&m, &off, BALL[0], BALL[1]));
        assert!(why.contains("not on the fixed line"), "{why}");
        // A point outside the chart box.
        let mut outside = cubic_argument();
        outside["to"] = json!([0.85, 0.85]);
        let why = fails(check(&m, &outside, BALL[0], BALL[1]));
        assert!(why.contains("does not lie in the chart box"), "{why}");
        // Names other than the four (a rotation, a spelling variant, none) are refused.
        for name in ["(x, y) -> (y, -x)", "(x,y) -> (y,x)", ""] {
            let mut unknown = cubic_argument();
            unknown["symmetry"] = json!(name);
            let why = fails(check(&m, &unknown, BALL[0], BALL[1]));
            assert!(why.contains("unknown symmetry"), "{why}");
        }
        // A known symmetry that does not leave g invariant.
        let mut other = cubic_argument();
        other["symmetry"] = json!("(x, y) -> (-y, -x)");
        let why = fails(check(&m, &other, BALL[0], BALL[1]));
        assert!(why.contains("g is not invariant"), "{why}");
    }

    /// The ellipse `x^2 + 2 y^2 = 1` around `s* = (1, 0)`, placed by `(x, y) -> (x, -y)`, on
    /// the chart box `[x_lo, 1.0234375] x [-0.0234375, 0.0234375]` in the chart `x`.
    fn ellipse_argument(x_lo: f64) -> Value {
        json!({"kind": "symmetry", "symmetry": "(x, y) -> (x, -y)",
            "from": [0.9921875, 0.0], "to": [1.0078125, 0.0],
            "chart": {"coordinate": "x", "proved_boxes": 1,
                      "chart_box": {"variables": ["x", "y"], "lo": [x_lo, -0.0234375],
                                    "hi": [1.0234375, 0.0234375]}}})
    }

    #[test]
    fn a_ball_outside_its_chart_or_a_chart_at_a_pole_fails() {
        let m = model(CUBIC_G, CUBIC_PHI);
        let why = fails(check(&m, &cubic_argument(), 0.75, 0.8203125));
        assert!(why.contains("chart box"), "{why}");
        // phi = y^2/x^4 has a pole on x = 0: a chart box reaching it is refused (the
        // enclosures of the cleared test matrix say nothing about phi there).
        let m = model("x^2 + 2*y^2 - 1", "y^2/x^4");
        let (lo, hi) = ELLIPSE_BALL;
        let o = check_box(&m, &ellipse_argument(0.9765625), lo, hi);
        assert!(matches!(o, BallOutcome::Holds), "{}", fails(o));
        let why = fails(check_box(&m, &ellipse_argument(-0.125), lo, hi));
        assert!(why.contains("pole") && why.contains("x = 0"), "{why}");
    }

    #[test]
    fn a_convex_q_with_a_symmetric_zero_fails_the_concavity_test() {
        // phi = -y^2/x^4 is conserved and invariant as well, so the symmetry gives
        // Q(s*) = 0 and a vanishing tangential derivative; but Q > 0 on M near s*.
        let m = model("x^2 + 2*y^2 - 1", "-y^2/x^4");
        let (lo, hi) = ELLIPSE_BALL;
        let why = fails(check_box(&m, &ellipse_argument(0.9765625), lo, hi));
        assert!(why.contains("concavity"), "{why}");
    }

    #[test]
    fn the_mirrored_point_with_negative_x_is_decided_alike() {
        // At s* = (-1, 0) the entries' negative odd powers of x are negative: a monomial
        // with an odd exponent clearing them would flip the sign of the test matrix there.
        let mirrored = json!({"kind": "symmetry", "symmetry": "(x, y) -> (x, -y)",
            "from": [-1.0078125, 0.0], "to": [-0.9921875, 0.0],
            "chart": {"coordinate": "x", "proved_boxes": 1,
                      "chart_box": {"variables": ["x", "y"], "lo": [-1.0234375, -0.0234375],
                                    "hi": [-0.9765625, 0.0234375]}}});
        let (lo, hi) = ([-1.015625, -0.015625], [-0.984375, 0.015625]);
        let m = model("x^2 + 2*y^2 - 1", "y^2/x^4");
        let o = check_box(&m, &mirrored, lo, hi);
        assert!(matches!(o, BallOutcome::Holds), "{}", fails(o));
        let m = model("x^2 + 2*y^2 - 1", "-y^2/x^4");
        let why = fails(check_box(&m, &mirrored, lo, hi));
        assert!(why.contains("concavity"), "{why}");
    }
}
