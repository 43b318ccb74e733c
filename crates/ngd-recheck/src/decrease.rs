//! C4's interval boxes re-checked (docs/math.md C4): every certified box printed in the
//! report (`decrease.cover.examples`, `decrease.certificate.examples`) and, when the report
//! lists its leaves (`decrease.cover.tree`), the whole exact cover of the search box.
//!
//! `M` is the zero set of the printed `conservation.g` (or of the printed residuals), used
//! only after `f = c g^k` (`k` even, `c > 0`) or `f = sum g_i^2` is confirmed by polynomial
//! arithmetic, or `f = K + sum c_i h_i(g)` (`c_i > 0`, every `h_i` with `h(t) > h(0)` for
//! `t != 0` from a short list) from the syntax of `f` (`outer`): then `M = argmin f`. Other
//! cases are "not re-checked". When `g` or `phi` is not a polynomial the enclosures come from
//! the smooth evaluator (`smooth_model`), which refuses boxes where either may be non-smooth;
//! the claim of a certified box is the same (`u` along `+-grad g`). A kink of `f` itself
//! (`|g|` on `M`) does not enter: the claim is about `phi` and `g` only.
//!
//! `decrease.cover.tree` is the bisection tree in the order the cover examined its boxes
//! (breadth first, as `ngd-decrease` runs it): one letter per box, `b` bisected (its two
//! halves are queued, lower first), `x` excluded, `d` disjoint from `M`, `c` certified, `u`
//! undecided. The boxes are rebuilt here from the search box by exact rational bisection at
//! the midpoint of the widest side (the first one on ties), so the leaves cover the search
//! box by construction; each leaf's claim is then re-proved by [`crate::interval`]. An `x`
//! leaf lies in a printed ball around a point of `S`; the cover's claim then also needs the
//! ball's closing argument, re-proved when there is a single residual (a failure fails the
//! cover, located at the ball): by `ball` (a `rational_point` argument; `g` and `phi` exact
//! Laurent polynomials, or else enclosed by the smooth evaluator) or `ball_symmetry` (a point
//! placed by a symmetry; Laurent polynomials only); other closed balls are listed as not
//! covered.

use crate::interval::{rational, DecreaseModel};
use crate::{Claim, Failure, Item, NotCovered, NotCoveredReason};
use inari::Interval;
use ngd_algebra::Poly;
use ngd_expr::{Arena, ExprId};
use ngd_parse::{parse_expr, Params};
use rug::Rational;
use serde_json::Value;

/// Re-checks the C4 boxes of `report` into `items`; what it cannot decide goes to
/// `not_covered`.
pub fn recheck_decrease(report: &Value, items: &mut Vec<Item>, not_covered: &mut Vec<NotCovered>) {
    let decrease = &report["decrease"];
    order::recheck_order(report, items);
    let boxes = printed_boxes(decrease);
    let cover = decrease.get("cover").filter(|c| c.is_object());
    if boxes.is_empty() && cover.is_none() {
        return;
    }
    let model = match model_of(report) {
        Ok(m) => m,
        Err(reason) => {
            not_covered.push(NotCovered {
                path: "decrease".into(),
                reason,
            });
            return;
        }
    };
    for (path, b) in boxes {
        items.push(Item {
            failure: check_printed_box(&model, b),
            claim: Claim::DecreaseBox { path },
        });
    }
    let Some(cover) = cover else { return };
    let balls = cover["balls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let Some(tree) = cover.get("tree").and_then(Value::as_str) else {
        not_covered.push(NotCovered {
            path: "decrease.cover".into(),
            reason: NotCoveredReason::CoverLeavesNotListed,
        });
        for i in 0..balls.len() {
            not_covered.push(local_argument(i));
        }
        return;
    };
    let failure = check_tree(&model, &report["case"], cover, &decrease["exclusion"], tree)
        .or_else(|| check_balls(&model, report, balls, not_covered));
    items.push(Item {
        claim: Claim::DecreaseCover {
            path: "decrease.cover".into(),
            boxes: tree.len(),
        },
        failure,
    });
}

/// The entry of a ball whose closing argument the small path does not re-check.
fn local_argument(i: usize) -> NotCovered {
    NotCovered {
        path: format!("decrease.cover.balls[{i}].argument"),
        reason: NotCoveredReason::LocalArgument,
    }
}

/// The closing arguments of the closed balls of the cover (their `x` leaves are accepted by
/// [`check_tree`] when they lie in a printed ball): `None` when every one re-checks or is
/// listed in `not_covered`, else the first failure, located.
fn check_balls(
    model: &CoverModel,
    report: &Value,
    balls: &[Value],
    not_covered: &mut Vec<NotCovered>,
) -> Option<Failure> {
    let names = crate::case_variable_names(&report["case"]).unwrap_or_default();
    let local = local_model(model, report);
    for (i, ball) in balls.iter().enumerate() {
        if ball["closed"].as_bool() != Some(true) {
            continue;
        }
        let fails = |why: String| {
            Some(Failure::BoxNotProved {
                what: format!("the closing argument of decrease.cover.balls[{i}]: {why}"),
            })
        };
        let Some(ball_box) = printed_box(ball, names.len()) else {
            return fails("its box (lo, hi) cannot be read".into());
        };
        let outcome = local.as_ref().map_or(ball::BallOutcome::NotRechecked, |m| {
            ball::check_ball(m, &names, ball, &ball_box)
        });
        match outcome {
            ball::BallOutcome::Holds => {}
            ball::BallOutcome::NotRechecked => not_covered.push(local_argument(i)),
            ball::BallOutcome::Fails(why) => return fails(why),
        }
    }
    None
}

/// The model of `g` and `phi` for the closing arguments: the cover's polynomials, or, for the
/// smooth cover model, `g` and `phi` as Laurent polynomials when they are (`phi = (1/x -
/// 1/y)^2`; `ball` refuses chart boxes that reach a pole), else as expressions for the smooth
/// evaluator (`x^2 exp(4 y)`). `None` with several residuals.
fn local_model(model: &CoverModel, report: &Value) -> Option<ball::Local> {
    match model {
        CoverModel::Poly(m) => match m.residuals.as_slice() {
            [g] => Some(ball::Local::Poly(Box::new(ball::LocalModel::new(
                g.poly(),
                m.phi.poly(),
            )))),
            _ => None,
        },
        CoverModel::Smooth(_) => {
            // The same sources as `model_of`: the one printed residual, else `g`.
            let c1 = &report["conservation"];
            let g_source = match c1["residuals"].as_array().map(Vec::as_slice) {
                None | Some([]) => &c1["g"],
                Some([g]) => g,
                Some(_) => return None,
            };
            let names = crate::case_variable_names(&report["case"])?;
            let n = names.len();
            let mut arena = Arena::new(names);
            let g = parse_expr(&mut arena, g_source.as_str()?, &Params::new()).ok()?;
            let regularizer = report["case"]["regularizer"].as_str()?;
            let phi = parse_expr(&mut arena, regularizer, &Params::new()).ok()?;
            let laurent = |e: ExprId| Some(ngd_algebra::poly_from_expr(&arena, e)?.extend_vars(n));
            if let (Some(g), Some(phi)) = (laurent(g), laurent(phi)) {
                return Some(ball::Local::Poly(Box::new(ball::LocalModel::new(&g, &phi))));
            }
            ball::SmoothLocalModel::new(&mut arena, g, phi).map(ball::Local::Smooth)
        }
    }
}

/// A printed box's corners as exact rationals (the `f64` values themselves).
fn printed_box(b: &Value, n: usize) -> Option<ExactBox> {
    let corner = |key: &str| -> Option<Vec<Rational>> {
        let a = b[key].as_array().filter(|a| a.len() == n)?;
        a.iter().map(|v| Rational::from_f64(number(v)?)).collect()
    };
    Some(ExactBox {
        lo: corner("lo")?,
        hi: corner("hi")?,
    })
}

/// The certified boxes printed in the report, with their JSON paths.
fn printed_boxes(decrease: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for section in ["cover", "certificate"] {
        let examples = decrease[section]["examples"].as_array();
        for (i, b) in examples
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            out.push((format!("decrease.{section}.examples[{i}]"), b));
        }
    }
    out
}

/// What the cover's leaves are enclosed with: polynomials by [`crate::interval`], or (`g` or
/// `phi` not a polynomial) the smooth evaluator.
pub enum CoverModel {
    /// `phi` and the residuals are polynomials.
    Poly(DecreaseModel),
    /// One residual `g`; `g` or `phi` is not a polynomial.
    Smooth(SmoothModel),
}

impl CoverModel {
    fn n_vars(&self) -> usize {
        match self {
            CoverModel::Poly(m) => m.phi.poly().n_vars(),
            CoverModel::Smooth(m) => m.n_vars(),
        }
    }

    fn disjoint(&self, xs: &[Interval], depth: u32) -> bool {
        match self {
            CoverModel::Poly(m) => m.disjoint(xs, depth),
            CoverModel::Smooth(m) => m.disjoint(xs, depth),
        }
    }

    fn phi_at_most(&self, xs: &[Interval], level: f64, depth: u32) -> bool {
        match self {
            CoverModel::Poly(m) => m.phi_at_most(xs, level, depth),
            CoverModel::Smooth(m) => m.phi_at_most(xs, level, depth),
        }
    }

    fn certifies(&self, xs: &[Interval], a_max: f64, c: f64, depth: u32) -> bool {
        match self {
            CoverModel::Poly(m) => m.certifies(xs, a_max, c, depth),
            CoverModel::Smooth(m) => m.certifies(xs, a_max, c, depth),
        }
    }
}

/// The model of `phi` and the residuals, once `M = {residuals = 0} = argmin f` is confirmed
/// ([`ConfirmedCase::read`]) for the printed residuals (`conservation.residuals`, else
/// `conservation.g`).
pub(crate) fn model_of(report: &Value) -> Result<CoverModel, NotCoveredReason> {
    let c1 = &report["conservation"];
    let listed = c1["residuals"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let sources: Vec<&Value> = if listed.is_empty() {
        vec![&c1["g"]]
    } else {
        listed.iter().collect()
    };
    let case = &report["case"];
    ConfirmedCase::read(case, &case["regularizer"], &sources)?.model()
}

/// Whether the residuals `residuals` (printed texts) cut out `M = argmin f` of the case's
/// `f`, with `phi` as given, by the rule of [`ConfirmedCase::read`] (`Err`: why not decided).
pub(crate) fn residuals_cut_out_argmin(
    case: &Value,
    phi: &str,
    residuals: &[String],
) -> Result<(), NotCoveredReason> {
    if residuals.is_empty() {
        // No printed residual: nothing cuts out `M` (as `model_of` without `conservation.g`).
        return Err(NotCoveredReason::NotPolynomial);
    }
    let texts: Vec<Value> = residuals.iter().map(|r| Value::from(r.as_str())).collect();
    let sources: Vec<&Value> = texts.iter().collect();
    ConfirmedCase::read(case, &Value::from(phi), &sources).map(|_| ())
}

/// The case's `f` and `phi` and the printed residuals, parsed, with
/// `M = {residuals = 0} = argmin f` confirmed.
struct ConfirmedCase {
    arena: Arena,
    phi: ExprId,
    residuals: Vec<ExprId>,
    phi_poly: Option<Poly>,
    g_polys: Option<Vec<Poly>>,
}

impl ConfirmedCase {
    /// Parses the case's `f`, `phi` (`regularizer`) and the residuals (`sources`), all JSON
    /// strings, and confirms `M`: by
    /// polynomial arithmetic (`f = c g^k`, `f = sum g_i^2`, with `phi` a polynomial too),
    /// else from the syntax of `f` (`f = K + sum c_i h_i(g)`, or a sum of such losses of
    /// several residuals, [`outer`]).
    fn read(
        case: &Value,
        regularizer: &Value,
        sources: &[&Value],
    ) -> Result<ConfirmedCase, NotCoveredReason> {
        let not_poly = NotCoveredReason::NotPolynomial;
        let names = crate::case_variable_names(case).ok_or(not_poly)?;
        let mut arena = Arena::new(names);
        let mut parse = |src: &Value| parse_expr(&mut arena, src.as_str()?, &Params::new()).ok();
        let f = parse(&case["objective"]).ok_or(not_poly)?;
        let phi = parse(regularizer).ok_or(not_poly)?;
        let residuals: Vec<ExprId> = sources
            .iter()
            .map(|s| parse(s))
            .collect::<Option<_>>()
            .ok_or(not_poly)?;
        let poly = |e: ExprId| ngd_sos::syntactic_poly(&arena, e);
        let (f_poly, phi_poly) = (poly(f), poly(phi));
        let g_polys: Option<Vec<Poly>> = residuals.iter().map(|&g| poly(g)).collect();
        let confirmed = match (&f_poly, &phi_poly, &g_polys) {
            (Some(fp), Some(_), Some(gs)) if zero_set_is_argmin(fp, gs) => true,
            _ => match residuals[..] {
                [g] => outer::zero_set_is_argmin(&mut arena, f, g),
                // Several residuals: a sum of losses, each of one residual, with the
                // least-squares model (NGD's direction lies in the row space of the
                // Jacobian either way).
                _ => outer::sum_zero_set_is_argmin(&mut arena, f, &residuals),
            },
        };
        if !confirmed {
            let all_poly = f_poly.is_some() && phi_poly.is_some() && g_polys.is_some();
            return Err(match all_poly {
                true => NotCoveredReason::EquationsNotConfirmed,
                false => not_poly,
            });
        }
        Ok(ConfirmedCase {
            arena,
            phi,
            residuals,
            phi_poly,
            g_polys,
        })
    }

    /// The model: exact polynomials when `phi` and the residuals are, else the smooth
    /// evaluator (one residual only).
    fn model(mut self) -> Result<CoverModel, NotCoveredReason> {
        match (self.phi_poly, self.g_polys, &self.residuals[..]) {
            (Some(pp), Some(gs), _) => Ok(CoverModel::Poly(DecreaseModel::new(pp, gs))),
            (_, _, &[g]) => SmoothModel::new(&mut self.arena, g, self.phi)
                .map(CoverModel::Smooth)
                .ok_or(NotCoveredReason::NotPolynomial),
            _ => Err(NotCoveredReason::NotPolynomial),
        }
    }
}

/// Whether `f = c g^k` (`k` even, `c > 0`) for the one residual `g`, or `f = sum g_i^2`:
/// either way `f >= 0` with zero set `{g_i = 0}`, which is then `argmin f` when not empty.
fn zero_set_is_argmin(f: &Poly, residuals: &[Poly]) -> bool {
    if let [g] = residuals {
        let (Some(df), Some(dg)) = (total_degree(f), total_degree(g)) else {
            return false;
        };
        if dg == 0 || df % dg != 0 || (df / dg) % 2 != 0 {
            return false;
        }
        let gk = g.pow(df / dg);
        let Some((m, lead)) = gk.terms().next() else {
            return false;
        };
        let c = Rational::from(&f.coeff(m) / lead);
        return c > 0 && f.sub(&gk.scale(&c)).is_zero();
    }
    let sum = residuals
        .iter()
        .fold(Poly::zero(f.n_vars()), |s, g| s.add(&g.mul(g)));
    !residuals.is_empty() && f.sub(&sum).is_zero()
}

/// The total degree (`None` for the zero polynomial).
fn total_degree(p: &Poly) -> Option<u32> {
    p.terms()
        .map(|(m, _)| m.iter().map(|&e| e.max(0) as u32).sum())
        .max()
}

/// A finite `f64` field.
fn number(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.is_finite())
}

/// A box's corners as intervals (`lo <= hi` in every coordinate, the right dimension).
fn printed_intervals(b: &Value, n: usize) -> Option<Vec<Interval>> {
    let lo = b["lo"].as_array()?;
    let hi = b["hi"].as_array()?;
    if lo.len() != n || hi.len() != n {
        return None;
    }
    lo.iter()
        .zip(hi)
        .map(|(l, h)| Interval::try_from((number(l)?, number(h)?)).ok())
        .collect()
}

/// `None` when the printed box's claim (`phi(x - a u) - phi(x) <= -c a^2`, from
/// `u^T Hess phi u <= -2c` over the box enlarged by `a_max`) is re-proved.
fn check_printed_box(model: &CoverModel, b: &Value) -> Option<Failure> {
    let n = model.n_vars();
    let (Some(xs), Some(a_max), Some(c)) = (
        printed_intervals(b, n),
        number(&b["a_max"]),
        number(&b["c"]),
    ) else {
        return Some(Failure::Unreadable {
            what: "the box (lo, hi, a_max, c)".into(),
        });
    };
    if c <= 0.0 || a_max <= 0.0 {
        return Some(Failure::BoxNotProved {
            what: format!("c = {c} and a_max = {a_max} must be positive"),
        });
    }
    if model.certifies(&xs, a_max, c, crate::interval::MAX_SPLIT_DEPTH) {
        None
    } else {
        Some(Failure::BoxNotProved {
            what: format!(
                "u^T Hess phi u <= -2c with c = {c}, a_max = {a_max} on [{}]",
                show(&xs)
            ),
        })
    }
}

/// A box for messages.
fn show(xs: &[Interval]) -> String {
    xs.iter()
        .map(|x| format!("[{}, {}]", x.inf(), x.sup()))
        .collect::<Vec<_>>()
        .join(" x ")
}

/// An exact box: lower and upper corners.
#[derive(Clone)]
struct ExactBox {
    lo: Vec<Rational>,
    hi: Vec<Rational>,
}

impl ExactBox {
    /// The two halves at the midpoint of the widest side (the first on ties).
    fn bisect(&self) -> (ExactBox, ExactBox) {
        let mut k = 0;
        let mut widest = Rational::from(&self.hi[0] - &self.lo[0]);
        for i in 1..self.lo.len() {
            let w = Rational::from(&self.hi[i] - &self.lo[i]);
            if w > widest {
                (k, widest) = (i, w);
            }
        }
        let mid = Rational::from(&self.lo[k] + &self.hi[k]) / 2u32;
        let (mut lower, mut upper) = (self.clone(), self.clone());
        lower.hi[k] = mid.clone();
        upper.lo[k] = mid;
        (lower, upper)
    }

    fn intervals(&self) -> Vec<Interval> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(l, h)| ngd_eval::interval_of(l, h))
            .collect()
    }

    /// Half the largest side (the exact cover's `a_max` rule), as an `f64` rounded up.
    fn half_largest_side(&self) -> f64 {
        let widest = self
            .lo
            .iter()
            .zip(&self.hi)
            .map(|(l, h)| Rational::from(h - l))
            .max()
            .unwrap_or_default();
        rational(&(widest / 2u32)).sup()
    }

    /// Whether the point lies in the box.
    fn contains(&self, point: &[Rational]) -> bool {
        (0..self.lo.len()).all(|i| self.lo[i] <= point[i] && point[i] <= self.hi[i])
    }

    /// Whether the box lies inside `[lo, hi]`.
    fn inside(&self, lo: &[Rational], hi: &[Rational]) -> bool {
        (0..self.lo.len()).all(|i| self.lo[i] >= lo[i] && self.hi[i] <= hi[i])
    }
}

/// The search box of the case summary (exact rationals).
fn search_box(case: &Value) -> Option<ExactBox> {
    let rows = case["search_box"].as_array()?;
    let mut b = ExactBox {
        lo: Vec::new(),
        hi: Vec::new(),
    };
    for row in rows {
        let exact = |v: &Value| Rational::parse(v.as_str()?).ok().map(Rational::from);
        let (lo, hi) = (exact(row.get(1)?)?, exact(row.get(2)?)?);
        if lo >= hi {
            return None;
        }
        b.lo.push(lo);
        b.hi.push(hi);
    }
    Some(b)
}

mod ball;
mod ball_symmetry;
mod order;
mod outer;
mod smooth_model;
mod tree;
use smooth_model::SmoothModel;
use tree::check_tree;
