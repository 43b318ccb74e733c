//! The order-`q` certificate (`decrease.degenerate.certificate`, docs/math.md C4, "Degenerate
//! orders") re-proved from the printed case: for every `x` on the printed chart
//! `x_k = solved(x')` of each factor of `g` in the search box, outside the balls
//! `|x - s| <= exclusion_radius * max(1, |s|)` around the located points of `S`
//! (`minima.flat.regularizer`), and every `b` in `[-a0, a0]`,
//! `R(x, b) = D^q phi(x - b w)[w^q] <= -c q!` with `w = grad g/|grad g|`, and `phi(x - b w)`
//! smooth. By Taylor's theorem with the Lagrange remainder that gives
//! `phi(x -+ a w) - phi(x) <= -c a^q` for `0 < a <= a0` once the orders below `q` vanish on
//! `M`.
//!
//! `R` is rebuilt here from the printed `phi` and `g` with `ngd-expr` (repeated directional
//! derivatives along a frozen direction, then the substitution), never read from the report,
//! and enclosed by [`crate::smooth`]. The chart's boxes are rebuilt by the certificate's rule
//! (the search box, each undecided box halved along its widest side other than `x_k`, at
//! most `MAX_DEPTH` halvings), each one decided by this path: its points of `M` outside the
//! search box, inside a ball around `S`, or the bound proved. On each chart `g` and the lower
//! orders `D^k phi[grad g^k]` (`1 <= k < q`) are checked to vanish identically (exact canonical
//! forms). What stays trusted: that the printed charts parametrize all of `M`, and that the
//! printed `conservation.g` is the `g` of `f = c h(g)` (so that the normalized gradient steps
//! from `M` are `-+ a w`).

use crate::smooth::SmoothExprs;
use crate::{Claim, Failure, Item};
use inari::Interval;
use ngd_algebra::canonicalize;
use ngd_expr::{Arena, ExprId, Rational};
use ngd_parse::{parse_expr, Params};
use serde_json::Value;

/// Halvings of a chart box before it counts as not proved (the certificate's own limit).
const MAX_DEPTH: u32 = 18;

/// Boxes of one chart examined at most (the certificate's own limit).
const MAX_BOXES: usize = 20_000;

/// Re-checks a complete printed order certificate into `items` (one claim per chart).
pub fn recheck_order(report: &Value, items: &mut Vec<Item>) {
    let cert = &report["decrease"]["degenerate"]["certificate"];
    if cert["complete"].as_bool() != Some(true) {
        return;
    }
    let charts = cert["charts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let problem = Problem::read(report, cert);
    for (i, chart) in charts.iter().enumerate() {
        let path = format!("decrease.degenerate.certificate.charts[{i}]");
        let (boxes, failure) = match &problem {
            Ok(p) => match p.check_chart(chart) {
                Ok(boxes) => (boxes, None),
                Err((boxes, what)) => (boxes, Some(Failure::BoxNotProved { what })),
            },
            Err(what) => (0, Some(Failure::Unreadable { what: what.clone() })),
        };
        items.push(Item {
            claim: Claim::DecreaseCover { path, boxes },
            failure,
        });
    }
}

/// The printed data of the certificate with `phi`, `g` and the step remainder rebuilt.
struct Problem {
    arena: Arena,
    n: usize,
    g: ExprId,
    /// `R(x, b)` in the variables `x`, `d` (unused after the substitution) and `b`.
    remainder: ExprId,
    /// `phi(x - b w)`.
    phi_moved: ExprId,
    /// `E_k = D^k phi(x)[v^k]`, `v = grad g`, for `1 <= k < q`: they must vanish on `M`.
    lower: Vec<ExprId>,
    /// The search box.
    search: Vec<Interval>,
    a0: f64,
    /// `c q!`, the bound `-R` must exceed (rounded up).
    bound: f64,
    /// The located points of `S` with the radii of their balls.
    balls: Vec<(Vec<f64>, f64)>,
}

impl Problem {
    fn read(report: &Value, cert: &Value) -> Result<Problem, String> {
        let case = &report["case"];
        let names = crate::case_variable_names(case).ok_or("the case's variables")?;
        let n = names.len();
        let mut all = names.clone();
        all.extend(names.iter().map(|s| format!("d_{s}")));
        all.push("step".into());
        let mut arena = Arena::new(all);
        let mut parse = |src: Option<&str>, what: &str| {
            parse_expr(&mut arena, src.ok_or(what)?, &Params::new()).map_err(|_| what.to_string())
        };
        let phi = parse(case["regularizer"].as_str(), "the regularizer")?;
        let g = parse(report["conservation"]["g"].as_str(), "conservation.g")?;
        let q = cert["order"]
            .as_u64()
            .filter(|q| (2..=12).contains(q))
            .ok_or("the order")?;
        let (a0, c) = (number(&cert["a0"]), number(&cert["c"]));
        let (Some(a0), Some(c)) = (a0.filter(|a| *a > 0.0), c.filter(|c| *c > 0.0)) else {
            return Err("a0 and c (positive)".into());
        };
        let factorial: f64 = (1..=q).map(|i| i as f64).product();
        let bound = (Interval::try_from((c, c)).map_err(|_| "c")?
            * Interval::try_from((factorial, factorial)).map_err(|_| "q!")?)
        .sup();
        let steps = step_remainder(&mut arena, phi, g, q as usize, n);
        Ok(Problem {
            search: search_intervals(case).ok_or("the search box")?,
            balls: balls_around_s(report).ok_or("the points of S or the exclusion radius")?,
            arena,
            n,
            g,
            remainder: steps.remainder,
            phi_moved: steps.phi_moved,
            lower: steps.lower,
            a0,
            bound,
        })
    }

    /// The number of boxes when every box of the chart's cover is decided, else the boxes
    /// examined and the first box not proved.
    fn check_chart(&self, chart: &Value) -> Result<usize, (usize, String)> {
        let fail = |what: &str| Err((0, what.to_string()));
        let names = self.arena.var_names();
        let Some(k) = names[..self.n]
            .iter()
            .position(|v| Some(v.as_str()) == chart["variable"].as_str())
        else {
            return fail("the chart's variable is not one of the case");
        };
        let mut arena = self.arena.clone();
        let Ok(solved) = chart["solved"]
            .as_str()
            .ok_or(())
            .and_then(|s| parse_expr(&mut arena, s, &Params::new()).map_err(|_| ()))
        else {
            return fail("the chart's solved value does not parse");
        };
        let mut subst: Vec<ExprId> = (0..=2 * self.n).map(|i| arena.var(i)).collect();
        subst[k] = solved;
        // The chart lies on M: g vanishes identically on it.
        let g_on_chart = arena.substitute(self.g, &subst);
        if !canonicalize(&arena, g_on_chart).is_ok_and(|c| c.is_zero()) {
            return fail("g does not vanish identically on the chart: its points are not on M");
        }
        for (k_minus_1, &e) in self.lower.iter().enumerate() {
            let on_chart = arena.substitute(e, &subst);
            if !canonicalize(&arena, on_chart).is_ok_and(|c| c.is_zero()) {
                return Err((
                    0,
                    format!(
                        "the order-{} term D^{0} phi[grad g^{0}] is not proved to vanish on the chart",
                        k_minus_1 + 1
                    ),
                ));
            }
        }
        let outs = [
            arena.substitute(self.remainder, &subst),
            arena.substitute(self.phi_moved, &subst),
        ];
        let (Some(step), Some(solved)) = (
            SmoothExprs::new(&arena, &outs),
            SmoothExprs::new(&arena, &[solved]),
        ) else {
            return fail("an integer exponent does not fit in 32 bits");
        };
        self.cover(k, &step, &solved)
    }

    /// The chart's cover by the certificate's bisection rule (depth first, lower half first).
    fn cover(
        &self,
        k: usize,
        step: &SmoothExprs,
        solved: &SmoothExprs,
    ) -> Result<usize, (usize, String)> {
        let mut stack = vec![(self.search.clone(), 0u32)];
        let mut seen = 0;
        while let Some((xs, depth)) = stack.pop() {
            seen += 1;
            if seen > MAX_BOXES {
                return Err((seen, format!("more than {MAX_BOXES} boxes")));
            }
            if self.decided(k, &xs, step, solved) {
                continue;
            }
            if depth >= MAX_DEPTH {
                return Err((
                    seen,
                    format!(
                        "R <= -c q! for |b| <= a0 = {} on {}",
                        self.a0,
                        super::show(&xs)
                    ),
                ));
            }
            let (lower, upper) = halves(&xs, k);
            stack.push((upper, depth + 1));
            stack.push((lower, depth + 1));
        }
        Ok(seen)
    }

    /// Whether the box's points of `M` lie outside the search box or in a ball around `S`,
    /// or `R <= -c q!` is proved on it (with `phi(x - b w)` smooth).
    fn decided(&self, k: usize, xs: &[Interval], step: &SmoothExprs, solved: &SmoothExprs) -> bool {
        let zero = Interval::try_from((0.0, 0.0)).unwrap_or(Interval::ENTIRE);
        let steps = Interval::try_from((-self.a0, self.a0)).unwrap_or(Interval::ENTIRE);
        let mut point = xs.to_vec();
        point.resize(2 * self.n, zero);
        point.push(steps);
        if let Some(v) = solved.eval(&point) {
            if v[0].disjoint(self.search[k]) {
                return true;
            }
            let mut on_m = xs.to_vec();
            on_m[k] = v[0];
            if self.in_a_ball(&on_m) {
                return true;
            }
        }
        step.eval(&point).is_some_and(|v| v[0].sup() <= -self.bound)
    }

    /// Whether the box lies in one ball around a located point of `S` (outward-rounded).
    fn in_a_ball(&self, xs: &[Interval]) -> bool {
        self.balls.iter().any(|(s, radius)| {
            let mut d2 = Interval::try_from((0.0, 0.0)).unwrap_or(Interval::ENTIRE);
            for (x, c) in xs.iter().zip(s) {
                let Ok(c) = Interval::try_from((*c, *c)) else {
                    return false;
                };
                d2 += (*x - c).sqr();
            }
            let r = Interval::try_from((*radius, *radius)).unwrap_or(Interval::ENTIRE);
            d2.sup() < r.sqr().inf()
        })
    }
}

/// The expressions of the Taylor expansion of one step along `-b w`.
struct StepTerms {
    /// `R(x, b) = D^q phi(x - b w)[w^q]`.
    remainder: ExprId,
    /// `phi(x - b w)`.
    phi_moved: ExprId,
    /// `D^k phi(x)[v^k]` for `1 <= k < q`, `v = grad g`.
    lower: Vec<ExprId>,
}

/// The [`StepTerms`] in `arena` (variables `x`, `d`, `b`), `w = grad g/|grad g|`:
/// `D^k phi(x)[d^k]` as `k` directional derivatives along the frozen `d`, then `x -> x - b w`,
/// `d -> w` for the remainder, and `d -> grad g` for the lower orders.
fn step_remainder(arena: &mut Arena, phi: ExprId, g: ExprId, q: usize, n: usize) -> StepTerms {
    let v: Vec<ExprId> = (0..n).map(|i| arena.derivative(g, i)).collect();
    let mut along_v: Vec<ExprId> = (0..n).map(|i| arena.var(i)).collect();
    along_v.extend(&v);
    along_v.push(arena.var(2 * n));
    let mut e = phi;
    let mut lower = Vec::new();
    for k in 1..=q {
        let terms: Vec<ExprId> = (0..n)
            .map(|i| {
                let di = arena.derivative(e, i);
                let d = arena.var(n + i);
                arena.mul2(d, di)
            })
            .collect();
        e = arena.add(terms);
        if k < q {
            lower.push(arena.substitute(e, &along_v));
        }
    }
    let norm_squared = arena.dot(&v, &v);
    let norm = arena.pow(norm_squared, Rational::from((1, 2)));
    let b = arena.var(2 * n);
    let mut subst: Vec<ExprId> = (0..n)
        .map(|i| {
            let w = arena.div(v[i], norm);
            let bw = arena.mul2(b, w);
            let x = arena.var(i);
            arena.sub(x, bw)
        })
        .collect();
    for &vi in &v {
        subst.push(arena.div(vi, norm));
    }
    subst.push(b);
    StepTerms {
        remainder: arena.substitute(e, &subst),
        phi_moved: arena.substitute(phi, &subst),
        lower,
    }
}

/// The box halved along its widest side other than `k`.
///
/// The same rule as `ngd_decrease::order_certificate::bisect`, copied on purpose: recheck
/// shares no code with the search it re-checks, and the leaves it rebuilds must be the
/// search's leaves (a different rule would make an honest certificate fail, never a false one
/// pass: every rebuilt leaf is re-proved).
fn halves(xs: &[Interval], k: usize) -> (Vec<Interval>, Vec<Interval>) {
    let i = (0..xs.len())
        .filter(|&i| i != k)
        .max_by(|&a, &b| xs[a].wid().total_cmp(&xs[b].wid()))
        .unwrap_or(0);
    let mid = xs[i].mid();
    let (mut lo, mut hi) = (xs.to_vec(), xs.to_vec());
    lo[i] = Interval::try_from((xs[i].inf(), mid)).unwrap_or(xs[i]);
    hi[i] = Interval::try_from((mid, xs[i].sup())).unwrap_or(xs[i]);
    (lo, hi)
}

/// The search box of the case summary, outward-rounded.
fn search_intervals(case: &Value) -> Option<Vec<Interval>> {
    let b = super::search_box(case)?;
    Some(b.intervals())
}

/// The located points of `S` (`minima.flat.regularizer`: `s_points` into `critical_points`)
/// with the radii `exclusion_radius * max(1, |s|)` of their balls, rounded down; no points
/// when `S` is not a list of points.
fn balls_around_s(report: &Value) -> Option<Vec<(Vec<f64>, f64)>> {
    let reg = &report["minima"]["flat"]["regularizer"];
    let radius = number(&report["decrease"]["exclusion"]["radius"]);
    let Some(indices) = reg["s_points"].as_array() else {
        return Some(Vec::new());
    };
    let radius = radius?;
    indices
        .iter()
        .map(|i| {
            let point = &reg["critical_points"][i.as_u64()? as usize]["point"]["approx"];
            let s: Vec<f64> = point
                .as_array()?
                .iter()
                .map(number)
                .collect::<Option<_>>()?;
            let scale = s.iter().map(|t| t * t).sum::<f64>().sqrt().max(1.0);
            Some((s, radius * scale * (1.0 - 1e-12)))
        })
        .collect()
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.is_finite())
}
