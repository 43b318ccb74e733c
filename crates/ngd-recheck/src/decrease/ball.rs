//! The local argument that closes an excluded ball around a point `s` of `S`, re-proved from
//! the printed data (docs/math.md C4, "Closing the neighbourhoods of S"): for `f = c g^k`
//! with polynomial `g` and `phi`, and `Q = N/D`, `N = grad g^T Hess phi grad g`,
//! `D = |grad g|^2`, on the printed chart box `K` with the printed chart coordinate `x_k`:
//!
//! 1. `g` has the strict sign `-sigma` on the bottom face `{x_k = lo_k}` of `K` and `sigma` on
//!    the top face, `sigma` the exact sign of `g_k(s)`;
//! 2. on every piece of a bisection of `K` either an enclosure of `g` excludes 0, or `g_k`
//!    has the strict sign `sigma` and `-sigma P'^T (g_k Hess Q - Q_k Hess g) P'` is positive
//!    definite (`P'` with columns `g_k e_j - g_j e_k`, `j != k`). Multiplied by `D^3 > 0`
//!    every entry is a polynomial, built exactly here: with `A_i = N_i D - N D_i`,
//!    `D^2 Q_i = A_i` and `D^3 Q_ij = (d A_i / d x_j) D - 2 A_i D_j`;
//! 3. at the printed rational `s` (inside `K`): `g(s) = 0`, `g_k(s) != 0`, `Q(s)` equals the
//!    printed value and is `<= 0`, and `A_j g_k = A_k g_j` for `j != k` (the tangential
//!    derivative of `Q` vanishes), all by exact rational evaluation.
//!
//! Then `M ∩ K` is a graph over the base of `K`, `Q` is strictly concave along the straight
//! chart paths from `s`, and `Q < 0` on `M ∩ K` except at `s`; the printed ball box must lie
//! in `K`. A point of `S` placed by a symmetry (`n = 2`) replaces step 3 by the argument of
//! `ball_symmetry`; steps 1 and 2 are the same.
//!
//! `g` and `phi` may be Laurent polynomials (`phi = y^2/x^4`): they are smooth on a chart box
//! whose every pole variable (one with a negative exponent in `g` or `phi`) keeps one strict
//! sign, which is checked first; the test matrix is then multiplied by a monomial with even
//! exponents (positive on such a box, so positive definiteness is unchanged) that clears the
//! negative exponents, because the interval enclosures take polynomials only.
//!
//! When `g` or `phi` is not a Laurent polynomial (`x^2 exp(4 y)`), [`SmoothLocalModel`]
//! encloses `g`, `g_k` and the test matrix (with `Q`'s symbolic derivatives, unscaled) by the
//! smooth evaluator, which refuses any piece where a node may be non-smooth, and step 3 uses
//! enclosures over the point itself: a value is proved 0 (or equal to the printed `q`) only
//! when its enclosure is that single number, so the point and `q` must be `f64` numbers.

use super::ExactBox;
use crate::interval::{on_pieces, positive_definite, rational, IPoly};
use inari::Interval;
use ngd_algebra::Poly;
use rug::Rational;
use serde_json::Value;

mod smooth_local;
pub(super) use smooth_local::SmoothLocalModel;

/// Bisection levels of the chart box (and of each face) before a piece counts as failed.
const CHART_SPLIT_DEPTH: u32 = 12;

/// What re-checking one closed ball gave.
pub(super) enum BallOutcome {
    /// The argument re-checks and the ball lies in its chart box.
    Holds,
    /// The argument does not re-check (located, for the message).
    Fails(String),
    /// The small path does not re-check this kind of argument.
    NotRechecked,
}

/// `g` and `phi` with the exact polynomials the argument needs.
pub(super) struct LocalModel {
    pub(super) g: Poly,
    pub(super) phi: Poly,
    /// `grad g`.
    pub(super) dg: Vec<Poly>,
    /// `Hess g`.
    hg: Vec<Vec<Poly>>,
    /// `N = grad g^T Hess phi grad g`.
    numerator: Poly,
    /// `D = |grad g|^2`.
    d: Poly,
    /// `A_i = N_i D - N D_i` (`D^2 Q_i`).
    a: Vec<Poly>,
    /// Per variable: whether it has a negative exponent in `g` or `phi` (a pole at 0).
    poles: Vec<bool>,
    /// `g`, ready to be enclosed.
    g_enclosure: IPoly,
}

impl LocalModel {
    /// The model of the one residual `g` and `phi`.
    pub fn new(g: &Poly, phi: &Poly) -> LocalModel {
        let n = g.n_vars();
        let dg: Vec<Poly> = (0..n).map(|i| g.derivative(i)).collect();
        let hg = dg
            .iter()
            .map(|d| (0..n).map(|j| d.derivative(j)).collect())
            .collect();
        let mut numerator = Poly::zero(n);
        let mut d = Poly::zero(n);
        for i in 0..n {
            let phi_i = phi.derivative(i);
            d = d.add(&dg[i].mul(&dg[i]));
            for j in 0..n {
                numerator = numerator.add(&dg[i].mul(&phi_i.derivative(j)).mul(&dg[j]));
            }
        }
        let a = (0..n)
            .map(|i| {
                let n_i = numerator.derivative(i).mul(&d);
                n_i.sub(&numerator.mul(&d.derivative(i)))
            })
            .collect();
        let poles = (0..n)
            .map(|i| {
                [g, phi]
                    .iter()
                    .any(|p| p.terms().any(|(m, _)| m.get(i).is_some_and(|&e| e < 0)))
            })
            .collect();
        LocalModel {
            g: g.clone(),
            phi: phi.clone(),
            dg,
            hg,
            numerator,
            d,
            a,
            poles,
            g_enclosure: IPoly::new(g.clone()),
        }
    }

    /// `D^3 (g_k Hess Q - Q_k Hess g)`, entry `(i, j)`.
    fn scaled_concavity(&self, k: usize, i: usize, j: usize) -> Poly {
        let hess_q = self.a[i].derivative(j).mul(&self.d).sub(
            &self.a[i]
                .mul(&self.d.derivative(j))
                .scale(&Rational::from(2)),
        );
        let q_k = self.d.mul(&self.a[k]);
        self.dg[k].mul(&hess_q).sub(&q_k.mul(&self.hg[i][j]))
    }

    /// The matrix of the concavity test in the chart `x_k`, scaled by `-sigma D^3`: entry
    /// `(p, q)` is `-sigma v_p^T W v_q` with `W` the [`LocalModel::scaled_concavity`]
    /// matrix and `v_p = g_k e_p - g_p e_k` over the base coordinates `p != k`; negative
    /// exponents cleared by [`clear_denominators`] (valid where no pole variable is 0).
    fn test_matrix(&self, k: usize, sigma: i32) -> Vec<Vec<IPoly>> {
        let entries = self.test_entries(k, sigma);
        clear_denominators(entries)
            .into_iter()
            .map(|row| row.into_iter().map(IPoly::new).collect())
            .collect()
    }

    /// The entries of [`LocalModel::test_matrix`] as (Laurent) polynomials.
    fn test_entries(&self, k: usize, sigma: i32) -> Vec<Vec<Poly>> {
        let n = self.dg.len();
        let w: Vec<Vec<Poly>> = (0..n)
            .map(|i| (0..n).map(|j| self.scaled_concavity(k, i, j)).collect())
            .collect();
        let base: Vec<usize> = (0..n).filter(|&j| j != k).collect();
        let v = |p: usize, i: usize| -> Poly {
            match (i == p, i == k) {
                (true, _) => self.dg[k].clone(),
                (_, true) => self.dg[p].scale(&Rational::from(-1)),
                _ => Poly::zero(n),
            }
        };
        let sign = Rational::from(-sigma);
        base.iter()
            .map(|&p| {
                base.iter()
                    .map(|&q| {
                        let mut entry = Poly::zero(n);
                        for (i, row) in w.iter().enumerate() {
                            for (j, wij) in row.iter().enumerate() {
                                entry = entry.add(&v(p, i).mul(wij).mul(&v(q, j)));
                            }
                        }
                        entry.scale(&sign)
                    })
                    .collect()
            })
            .collect()
    }
}

/// The entries times the monomial with the smallest even exponents that makes every entry a
/// polynomial: the monomial is positive wherever no variable it contains is 0, so there the
/// matrix is positive definite exactly when the original one is.
fn clear_denominators(entries: Vec<Vec<Poly>>) -> Vec<Vec<Poly>> {
    let Some(n) = entries.first().and_then(|r| r.first()).map(Poly::n_vars) else {
        return entries;
    };
    let mut shift = vec![0i32; n];
    for entry in entries.iter().flatten() {
        for (m, _) in entry.terms() {
            for (s, &e) in shift.iter_mut().zip(m) {
                // -e rounded up to an even number.
                *s = (*s).max(-e + (-e).rem_euclid(2));
            }
        }
    }
    if shift.iter().all(|&s| s == 0) {
        return entries;
    }
    let monomial = Poly::from_terms_n(n, vec![(shift, Rational::from(1))]);
    entries
        .into_iter()
        .map(|row| row.iter().map(|e| e.mul(&monomial)).collect())
        .collect()
}

/// The printed chart of a closing argument: the coordinate `x_k` and the box `K`.
pub(super) struct ChartData {
    pub(super) k: usize,
    /// The name of `x_k` (for messages).
    pub(super) coordinate: String,
    pub(super) chart: ExactBox,
    /// The names of the variables (for messages).
    pub(super) names: Vec<String>,
}

/// The printed data of one closed ball's `rational_point` argument.
struct Argument {
    point: Vec<Rational>,
    q: Rational,
    chart: ChartData,
}

/// The exact model a closing argument is re-proved with.
pub(super) enum Local {
    /// `g` and `phi` are (Laurent) polynomials: `rational_point` and `symmetry` arguments.
    Poly(Box<LocalModel>),
    /// `g` or `phi` is not: `rational_point` arguments only.
    Smooth(SmoothLocalModel),
}

/// Re-checks the closing argument of the printed `ball` (its box `ball_box`); `names` are
/// the case's variables.
pub(super) fn check_ball(
    model: &Local,
    names: &[String],
    ball: &Value,
    ball_box: &ExactBox,
) -> BallOutcome {
    let argument = &ball["argument"];
    match (argument["kind"].as_str(), model) {
        (Some("rational_point"), _) => {}
        (Some("symmetry"), Local::Poly(m)) => {
            return super::ball_symmetry::check_symmetry(m, names, argument, ball_box)
        }
        _ => return BallOutcome::NotRechecked,
    }
    let Some(arg) = read_argument(argument, names) else {
        return BallOutcome::Fails("its argument (point, q, chart) cannot be read".into());
    };
    if !ball_box.inside(&arg.chart.chart.lo, &arg.chart.chart.hi) {
        return BallOutcome::Fails("the ball's box does not lie in its chart box".into());
    }
    if !arg.chart.chart.contains(&arg.point) {
        return BallOutcome::Fails("the point of S does not lie in the chart box".into());
    }
    let (sigma, enclosures): (_, &dyn ChartEnclosures) = match model {
        Local::Poly(m) => (exact_point(m, &arg), m.as_ref()),
        Local::Smooth(m) => (m.exact_point(&arg), m),
    };
    let sigma = match sigma {
        Ok(sigma) => sigma,
        Err(why) => return BallOutcome::Fails(why),
    };
    match chart_holds(enclosures, &arg.chart, sigma) {
        Ok(()) => BallOutcome::Holds,
        Err(why) => BallOutcome::Fails(why),
    }
}

fn read_argument(argument: &Value, names: &[String]) -> Option<Argument> {
    let exact = |v: &Value| Rational::parse(v.as_str()?).ok().map(Rational::from);
    let point: Vec<Rational> = argument["point"]
        .as_array()?
        .iter()
        .map(exact)
        .collect::<Option<_>>()?;
    let chart = read_chart(argument, names)?;
    (point.len() == names.len()).then_some(Argument {
        point,
        q: exact(&argument["q"])?,
        chart,
    })
}

/// The argument's `chart`: its coordinate (one of `names`) and a box with `lo < hi` in every
/// coordinate (the printed `f64` values, exact).
pub(super) fn read_chart(argument: &Value, names: &[String]) -> Option<ChartData> {
    let chart = &argument["chart"];
    let k = names
        .iter()
        .position(|v| Some(v.as_str()) == chart["coordinate"].as_str())?;
    let corner = |key: &str| -> Option<Vec<Rational>> {
        let a = chart["chart_box"][key].as_array()?;
        a.iter()
            .map(|v| Rational::from_f64(v.as_f64()?))
            .collect::<Option<Vec<_>>>()
            .filter(|c| c.len() == names.len())
    };
    let chart = ExactBox {
        lo: corner("lo")?,
        hi: corner("hi")?,
    };
    let well_formed = (0..names.len()).all(|i| chart.lo[i] < chart.hi[i]);
    well_formed.then_some(ChartData {
        k,
        coordinate: names[k].clone(),
        chart,
        names: names.to_vec(),
    })
}

/// Step 3 at the printed point: the exact sign `sigma` of `g_k(s)`, or why the point fails.
fn exact_point(model: &LocalModel, arg: &Argument) -> Result<i32, String> {
    let at = |p: &Poly| {
        p.eval(&arg.point)
            .ok_or("a polynomial has no value at the point")
    };
    let g = at(&model.g)?;
    if g != 0 {
        return Err(format!("g(s) = {g}, not 0: the point is not on M"));
    }
    let grad: Vec<Rational> = model.dg.iter().map(at).collect::<Result<_, _>>()?;
    let k = arg.chart.k;
    let g_k = &grad[k];
    if *g_k == 0 {
        return Err(format!(
            "dg/d{} vanishes at the point",
            arg.chart.coordinate
        ));
    }
    // D(s) >= g_k(s)^2 > 0.
    let q = at(&model.numerator)? / at(&model.d)?;
    if q != arg.q {
        return Err(format!("Q(s) = {q}, printed {}", arg.q));
    }
    if q > 0 {
        return Err(format!("Q(s) = {q} > 0"));
    }
    let a: Vec<Rational> = model.a.iter().map(at).collect::<Result<_, _>>()?;
    for j in (0..grad.len()).filter(|&j| j != k) {
        if Rational::from(&a[j] * g_k) != Rational::from(&a[k] * &grad[j]) {
            return Err("the tangential derivative of Q does not vanish at the point".into());
        }
    }
    Ok(if *g_k > 0 { 1 } else { -1 })
}

/// What the chart and concavity steps enclose over the pieces of a chart box: exact
/// (Laurent) polynomials ([`LocalModel`]) or smooth expressions ([`SmoothLocalModel`]).
pub(super) trait ChartEnclosures {
    /// Why the chart box is refused before any enclosure (a pole of `g` or `phi` in it).
    fn refuse(&self, chart: &ChartData) -> Option<String>;
    /// An enclosure of `g` over `b`; `None` when nothing is proved there.
    fn enclose_g(&self, b: &[Interval]) -> Option<Interval>;
    /// The concavity test of the chart `x_k` with sign `sigma`: over a piece, enclosures of
    /// `g_k` and of a positive multiple of `-sigma P'^T (g_k Hess Q - Q_k Hess g) P'`;
    /// `None` when they are not proved (smooth) there.
    fn concavity_test(&self, k: usize, sigma: i32) -> ConcavityTest<'_>;
}

/// `g_k` and the test matrix over a piece (`None`: not proved there).
pub(super) type TestValues = Option<(Interval, Vec<Vec<Interval>>)>;

/// The test of [`ChartEnclosures::concavity_test`] over a piece.
pub(super) type ConcavityTest<'a> = Box<dyn Fn(&[Interval]) -> TestValues + 'a>;

impl ChartEnclosures for LocalModel {
    fn refuse(&self, arg: &ChartData) -> Option<String> {
        let (i, _) = self
            .poles
            .iter()
            .enumerate()
            .find(|(i, &pole)| pole && arg.chart.lo[*i] <= 0 && arg.chart.hi[*i] >= 0)?;
        Some(format!(
            "the chart box meets the pole of g or phi at {} = 0",
            arg.names.get(i).map_or("?", String::as_str)
        ))
    }

    fn enclose_g(&self, b: &[Interval]) -> Option<Interval> {
        Some(self.g_enclosure.enclose(b))
    }

    fn concavity_test(&self, k: usize, sigma: i32) -> ConcavityTest<'_> {
        let matrix = self.test_matrix(k, sigma);
        let g_k = IPoly::new(self.dg[k].clone());
        Box::new(move |b: &[Interval]| {
            let entries = matrix
                .iter()
                .map(|row| row.iter().map(|e| e.enclose(b)).collect())
                .collect();
            Some((g_k.enclose(b), entries))
        })
    }
}

/// Whether `v` is non-empty with the strict sign `want` (`1` or `-1`).
fn strict(v: Interval, want: i32) -> bool {
    !v.is_empty()
        && match want {
            1 => v.inf() > 0.0,
            _ => v.sup() < 0.0,
        }
}

/// Steps 1 and 2 on the chart box: nothing refused (no pole of `g` or `phi` in it), the
/// faces' signs and the concavity test on every piece that meets `M`.
pub(super) fn chart_holds(
    model: &dyn ChartEnclosures,
    arg: &ChartData,
    sigma: i32,
) -> Result<(), String> {
    let k = arg.k;
    if let Some(why) = model.refuse(arg) {
        return Err(why);
    }
    for (side, want) in [(&arg.chart.lo[k], -sigma), (&arg.chart.hi[k], sigma)] {
        let mut face = arg.chart.clone();
        face.lo[k] = side.clone();
        face.hi[k] = side.clone();
        if !on_pieces(&face.intervals(), CHART_SPLIT_DEPTH, &|b: &[Interval]| {
            model.enclose_g(b).is_some_and(|v| strict(v, want))
        }) {
            return Err(format!(
                "g does not have the strict sign {want} on the face {} = {side} of the chart box",
                arg.coordinate
            ));
        }
    }
    let test = model.concavity_test(k, sigma);
    let holds = |b: &[Interval]| {
        // An empty enclosure proves nothing: only a non-empty one without 0 skips the piece.
        if model
            .enclose_g(b)
            .is_some_and(|v| !v.is_empty() && !v.contains(0.0))
        {
            return true;
        }
        test(b).is_some_and(|(g_k, entries)| strict(g_k, sigma) && positive_definite(&entries))
    };
    if on_pieces(&arg.chart.intervals(), CHART_SPLIT_DEPTH, &holds) {
        Ok(())
    } else {
        Err(format!(
            "the chart (dg/d{} of one sign where g may vanish) or the concavity of Q along M \
             is not proved on the chart box",
            arg.coordinate
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model(g: &str, phi: &str) -> Local {
        let mut arena = ngd_expr::Arena::new(vec!["x".into(), "y".into()]);
        let mut poly = |src: &str| {
            let e = ngd_parse::parse_expr(&mut arena, src, &ngd_parse::Params::new()).unwrap();
            ngd_sos::syntactic_poly(&arena, e).unwrap()
        };
        let g = poly(g);
        Local::Poly(Box::new(LocalModel::new(&g, &poly(phi))))
    }

    /// The smooth model of `g` and `phi` (whatever they are).
    fn smooth_model(g: &str, phi: &str) -> Local {
        let mut arena = ngd_expr::Arena::new(vec!["x".into(), "y".into()]);
        let p = ngd_parse::Params::new();
        let g = ngd_parse::parse_expr(&mut arena, g, &p).unwrap();
        let phi = ngd_parse::parse_expr(&mut arena, phi, &p).unwrap();
        Local::Smooth(SmoothLocalModel::new(&mut arena, g, phi).unwrap())
    }

    /// A closed ball around `point` with the box `[lo, hi]^2`, its chart `coordinate` on
    /// `chart` (`[[lo_x, lo_y], [hi_x, hi_y]]`) and the printed `Q(s) = q`.
    fn ball(point: [&str; 2], q: &str, coordinate: &str, chart: [[f64; 2]; 2]) -> Value {
        json!({"closed": true, "argument": {"kind": "rational_point", "point": point, "q": q,
               "chart": {"coordinate": coordinate, "proved_boxes": 1,
                         "chart_box": {"variables": ["x", "y"], "lo": chart[0], "hi": chart[1]}}}})
    }

    fn check(m: &Local, b: &Value, lo: f64, hi: f64) -> BallOutcome {
        let names = ["x".to_string(), "y".to_string()];
        let r = |v: f64| Rational::from_f64(v).unwrap();
        let ball_box = ExactBox {
            lo: vec![r(lo), r(lo)],
            hi: vec![r(hi), r(hi)],
        };
        check_ball(m, &names, b, &ball_box)
    }

    fn fails(o: BallOutcome) -> String {
        match o {
            BallOutcome::Fails(why) => why,
            BallOutcome::Holds => panic!("held"),
            BallOutcome::NotRechecked => panic!("not re-checked"),
        }
    }

    /// The chart box of the ball around `(0, 0)` of `cases/parabola.case`.
    const PARABOLA_CHART: [[f64; 2]; 2] = [[-0.0234375, -0.0234375], [0.0234375, 0.0234375]];

    #[test]
    fn the_smooth_argument_of_the_parabola_holds_and_a_convex_q_fails() {
        // g = y - x^2, phi = x^2 exp(4 y): not polynomials, enclosed by the smooth evaluator.
        let b = ball(["0", "0"], "0", "y", PARABOLA_CHART);
        let m = smooth_model("y - x^2", "x^2*exp(4*y)");
        let o = check(&m, &b, -0.015625, 0.015625);
        assert!(matches!(o, BallOutcome::Holds), "{}", fails(o));
        // The same polynomial argument through the smooth path holds alike.
        let xy = ball(["1", "1"], "0", "y", XY_CHART);
        let o = check(
            &smooth_model("x*y - 1", "(x^2 - y^2)^2"),
            &xy,
            0.9609375,
            1.03125,
        );
        assert!(matches!(o, BallOutcome::Holds), "{}", fails(o));
        // -phi: Q(s) = 0 with a vanishing tangential derivative, but Q > 0 on M near s.
        let m = smooth_model("y - x^2", "-x^2*exp(4*y)");
        let why = fails(check(&m, &b, -0.015625, 0.015625));
        assert!(why.contains("concavity"), "{why}");
        // A sign change of Q at s (as for the polynomial path).
        let why = fails(check(
            &smooth_model("x*y - 1", "x^2 - y^2"),
            &xy,
            0.9609375,
            1.03125,
        ));
        assert!(why.contains("tangential"), "{why}");
    }

    #[test]
    fn the_smooth_exact_step_needs_single_number_enclosures() {
        let m = smooth_model("y - x^2", "x^2*exp(4*y)");
        // Off M, a printed Q(s) that differs, and a point no f64 holds (its enclosure is no
        // single number, so g(s) = 0 is not proved even where it is true: s = (1/3, 1/9)).
        let moved = ball(["0", "1/64"], "0", "y", PARABOLA_CHART);
        assert!(fails(check(&m, &moved, -0.015625, 0.015625)).contains("not on M"));
        let value = ball(["0", "0"], "-1/2", "y", PARABOLA_CHART);
        let why = fails(check(&m, &value, -0.015625, 0.015625));
        assert!(why.contains("printed -1/2"), "{why}");
        let third = ball(
            ["1/3", "1/9"],
            "0",
            "y",
            [[0.3125, 0.0625], [0.34375, 0.34375]],
        );
        let why = fails(check(&m, &third, 0.3125, 0.34375));
        assert!(why.contains("not proved 0"), "{why}");
        // A symmetry argument is not re-checked by the smooth model.
        let mut symmetry = ball(["0", "0"], "0", "y", PARABOLA_CHART);
        symmetry["argument"]["kind"] = json!("symmetry");
        assert!(matches!(
            check(&m, &symmetry, -0.015625, 0.015625),
            BallOutcome::NotRechecked
        ));
    }

    #[test]
    fn denominators_are_cleared_by_even_powers() {
        let p = |terms: Vec<(Vec<i32>, i32)>| {
            Poly::from_terms_n(
                2,
                terms
                    .into_iter()
                    .map(|(m, c)| (m, Rational::from(c)))
                    .collect(),
            )
        };
        let entries = vec![
            vec![
                p(vec![(vec![-3, 0], 1), (vec![1, 1], 2)]),
                p(vec![(vec![0, -1], 5)]),
            ],
            vec![p(vec![(vec![0, -1], 5)]), p(vec![(vec![2, 2], -1)])],
        ];
        let cleared = clear_denominators(entries);
        // x^-3 and y^-1: the monomial x^4 y^2.
        assert_eq!(cleared[0][0], p(vec![(vec![1, 2], 1), (vec![5, 3], 2)]));
        assert_eq!(cleared[0][1], p(vec![(vec![4, 1], 5)]));
        assert_eq!(cleared[1][1], p(vec![(vec![6, 4], -1)]));
        // Polynomial entries stay as they are.
        let plain = vec![vec![p(vec![(vec![1, 0], 1)])]];
        assert_eq!(clear_denominators(plain.clone()), plain);
    }

    const XY_CHART: [[f64; 2]; 2] = [[0.9609375, 0.8828125], [1.03125, 1.1171875]];

    #[test]
    fn the_argument_of_a_flat_point_of_the_hyperbola_xy_holds() {
        let m = model("x*y - 1", "(x^2 - y^2)^2");
        let b = ball(["1", "1"], "0", "y", XY_CHART);
        assert!(matches!(
            check(&m, &b, 0.9609375, 1.03125),
            BallOutcome::Holds
        ));
        // The ball must lie in the chart box.
        assert!(fails(check(&m, &b, 0.875, 1.125)).contains("chart box"));
    }

    #[test]
    fn a_sign_change_of_q_at_s_fails() {
        // Q = -2 (x^2 - y^2)/(x^2 + y^2): Q(1, 1) = 0 but its tangential derivative is not.
        let m = model("x*y - 1", "x^2 - y^2");
        let b = ball(["1", "1"], "0", "y", XY_CHART);
        assert!(fails(check(&m, &b, 0.9609375, 1.03125)).contains("tangential"));
    }

    #[test]
    fn a_convex_q_with_a_flat_zero_fails_the_concavity_test() {
        // g = y: Q = phi_yy. phi = x^2 y^2 gives Q = 2 x^2 >= 0 (no decrease near s = 0),
        // with Q(s) = 0 and a vanishing tangential derivative; -x^2 y^2 gives Q = -2 x^2.
        let chart = [[-0.125, -0.125], [0.125, 0.125]];
        let b = ball(["0", "0"], "0", "y", chart);
        let bad = model("y", "x^2*y^2");
        assert!(fails(check(&bad, &b, -0.0625, 0.0625)).contains("concavity"));
        let good = model("y", "-x^2*y^2");
        assert!(matches!(
            check(&good, &b, -0.0625, 0.0625),
            BallOutcome::Holds
        ));
    }

    #[test]
    fn a_chart_box_where_m_has_three_sheets_fails() {
        // g = y (y - 1/4) (y + 1/4): the faces y = -+1/2 have the signs of the chart at
        // s = (0, 1/4), but M meets the box in three lines and dg/dy < 0 on y = 0.
        let m = model("y*(y - 1/4)*(y + 1/4)", "-x^2*y^2");
        let b = ball(["0", "1/4"], "0", "y", [[-0.125, -0.5], [0.125, 0.5]]);
        let why = fails(check(&m, &b, -0.0625, 0.0625));
        assert!(why.contains("dg/dy of one sign"), "{why}");
    }

    #[test]
    fn a_wrong_point_or_value_fails_and_other_arguments_are_not_rechecked() {
        let m = model("x*y - 1", "(x^2 - y^2)^2");
        let moved = ball(["1", "1001/1000"], "0", "y", XY_CHART);
        assert!(fails(check(&m, &moved, 0.9609375, 1.03125)).contains("not on M"));
        let value = ball(["1", "1"], "-1", "y", XY_CHART);
        assert!(fails(check(&m, &value, 0.9609375, 1.03125)).contains("printed -1"));
        // A symmetry argument goes to its own check (this one names no symmetry).
        let mut symmetry = ball(["1", "1"], "0", "y", XY_CHART);
        symmetry["argument"]["kind"] = json!("symmetry");
        let why = fails(check(&m, &symmetry, 0.9609375, 1.03125));
        assert!(why.contains("unknown symmetry"), "{why}");
        let mut other = ball(["1", "1"], "0", "y", XY_CHART);
        other["argument"]["kind"] = json!("a_new_kind");
        assert!(matches!(
            check(&m, &other, 0.9609375, 1.03125),
            BallOutcome::NotRechecked
        ));
    }
}
