//! Closing an excluded neighbourhood of a point of `S` (`f = c h(g)`, `n = 2` or `3`):
//! a rigorous proof that `Q < 0` on `M` inside it, except at one point where `Q = 0`.
//!
//! The argument, on a box `K` that contains the excluded box `E`:
//!
//! 1. **Chart.** Let `k` be the coordinate with the largest `|dg/dx_k|` at `s`. On every
//!    sub-box of `K` that meets `M` (a bisection of `K`; sub-boxes where an enclosure of `g`
//!    excludes 0 are skipped) `dg/dx_k` has one strict sign `sigma`, and `g` has the strict
//!    sign `-sigma` on the bottom face `{x_k = lo_k}` of `K` and `sigma` on the top face
//!    (interval enclosures over a bisection of each face). Then every line parallel to
//!    `e_k` meets `M ∩ K` exactly once (between two consecutive zeros `dg/dx_k` would have
//!    to change sign; the faces give one zero by the intermediate value theorem), so
//!    `M ∩ K` is the graph of a `C^2` function `x_k = h(x')` over the whole base `R` of `K`.
//! 2. **Concavity.** For `x` in `M ∩ K` the chart path `gamma(t) = (x'(t), h(x'(t)))` with
//!    `x'(t) = s' + t (x' - s')` stays in `M ∩ K` (`R` is convex). Differentiating
//!    `g(gamma) = 0` twice (`gamma''` is parallel to `e_k`) gives
//!    `(Q o gamma)'' = d^T P^T (Hess Q - (Q_k/g_k) Hess g) P d` with `d = x' - s'` and
//!    `P = [I; -grad' g^T / g_k]`. With `P' = g_k P` (columns `g_k e_j - g_j e_k`) that is
//!    `d^T P'^T (g_k Hess Q - Q_k Hess g) P' d / g_k^3`, so the interval Cholesky test that
//!    `-sigma P'^T (g_k Hess Q - Q_k Hess g) P'` is positive definite on every sub-box of `K`
//!    that meets `M` proves `(Q o gamma)'' < 0` along every chart path.
//! 3. **The point.** `s` is in `M ∩ K`, `Q(s) <= 0` and the tangential derivative of `Q`
//!    vanishes there (`Q_j g_k - Q_k g_j = 0` for `j != k`), either by exact rational
//!    evaluation at a rational `s`, or (n = 2, `phi` conserved exactly) by a symmetry: an
//!    orthogonal involution `sigma` with a 1-dimensional fixed line that leaves `g` and `phi`
//!    invariant (exact canonical forms), and a point `s*` of `M ∩ K` on that line (`g`
//!    changes sign between two exact rational points of the line inside `K`). At `s*` the
//!    gradients of `g`, `phi` and `Q` all lie on the fixed line, so `grad Q ∥ grad g`;
//!    conservation (`<grad g, grad phi> = 0`) forces `grad phi(s*) = 0`, and its derivative
//!    `Hess g grad phi + Hess phi grad g = 0` gives `Hess phi grad g = 0`, i.e. `Q(s*) = 0`.
//!
//! Then `q(t) = Q(gamma(t))` has `q(0) = Q(s) <= 0`, `q'(0) = 0` and `q'' < 0`, so
//! `Q(x) = q(1) < 0` for every `x != s` in `M ∩ K`, which contains `M ∩ E`.

use crate::grid::corners;
use crate::model::Model;
use crate::pattern::sign_of;
use crate::report::{Chart, ChartBox, ClosureArgument, ExactCentre, QSign};
use inari::Interval;
use ngd_algebra::canonicalize;
use ngd_certify::{enclose, interval_cholesky, pt, EncloseScratch, RationalBox};
use ngd_eval::{interval_of, Tape};
use ngd_expr::{Arena, ExprId};
use rug::Rational;

/// An orthogonal involution of the plane with a 1-dimensional fixed line: `x -> A x` with
/// `A` a signed permutation matrix.
#[derive(Clone, Debug)]
pub(crate) struct Symmetry {
    /// `A` (row major, entries -1, 0, 1).
    a: [[i64; 2]; 2],
    /// A direction of the fixed line.
    axis: [i64; 2],
    /// For reports.
    pub name: &'static str,
}

const PLANE_SYMMETRIES: [Symmetry; 4] = [
    Symmetry {
        a: [[0, 1], [1, 0]],
        axis: [1, 1],
        name: "(x, y) -> (y, x)",
    },
    Symmetry {
        a: [[0, -1], [-1, 0]],
        axis: [1, -1],
        name: "(x, y) -> (-y, -x)",
    },
    Symmetry {
        a: [[1, 0], [0, -1]],
        axis: [1, 0],
        name: "(x, y) -> (x, -y)",
    },
    Symmetry {
        a: [[-1, 0], [0, 1]],
        axis: [0, 1],
        name: "(x, y) -> (-x, y)",
    },
];

/// The tapes of the closing argument.
pub(crate) struct ClosureTapes {
    n: usize,
    /// `g`, `Q`, `grad Q`, `grad g` (exact evaluation at a rational point).
    exact: Tape,
    /// `g`, `grad g`, `Hess g`, `grad Q`, `Hess Q` (interval evaluation on sub-boxes).
    boxt: Tape,
    /// `g`, `grad g` (centred enclosures of `g`).
    g: Tape,
    /// The plane symmetries that leave `g` and `phi` invariant (`n = 2`, conserved `phi`).
    symmetries: Vec<Symmetry>,
    /// The names of the variables (for reports).
    names: Vec<String>,
}

/// The outcome for one excluded box.
pub(crate) struct Closure {
    pub closed: bool,
    pub argument: ClosureArgument,
    pub exact_centre: Option<ExactCentre>,
    pub boxes: usize,
    /// Points of `M` in `K` with `Q > 0` found on the way (numerical).
    pub candidates: Vec<Vec<f64>>,
}

impl Closure {
    /// Left open for the reason `argument`, nothing examined.
    pub fn open(argument: ClosureArgument) -> Closure {
        Closure {
            closed: false,
            argument,
            exact_centre: None,
            boxes: 0,
            candidates: Vec::new(),
        }
    }
}

impl ClosureTapes {
    /// Compiles the tapes for `f = c h(g)` and `phi`; `conserved` when C1 proved
    /// `<grad g, grad phi> = 0` exactly (the symmetry argument needs it).
    pub fn new(arena: &mut Arena, g: ExprId, phi: ExprId, conserved: bool) -> ClosureTapes {
        let n = arena.n_vars();
        let dg = arena.gradient(g);
        let hphi = arena.hessian(phi);
        let mut terms = Vec::new();
        for i in 0..n {
            for j in 0..n {
                terms.push(arena.mul(vec![dg[i], hphi[i][j], dg[j]]));
            }
        }
        let num = arena.add(terms);
        let den = arena.dot(&dg, &dg);
        let q = arena.div(num, den);
        let dq = arena.gradient(q);
        let hq: Vec<ExprId> = arena.hessian(q).into_iter().flatten().collect();
        let hg: Vec<ExprId> = arena.hessian(g).into_iter().flatten().collect();
        let mut ex = vec![g, q];
        ex.extend(&dq);
        ex.extend(&dg);
        let exact = Tape::compile(arena, &ex);
        let mut bo = vec![g];
        bo.extend(&dg);
        bo.extend(&hg);
        bo.extend(&dq);
        bo.extend(&hq);
        let boxt = Tape::compile(arena, &bo);
        let mut go = vec![g];
        go.extend(&dg);
        let gt = Tape::compile(arena, &go);
        let mut symmetries = Vec::new();
        // The symmetry argument needs <grad g, grad phi> = 0 identically: checked here
        // again by an exact canonical form, whatever C1 reported.
        let conserved = conserved && {
            let dphi = arena.gradient(phi);
            let d = arena.dot(&dg, &dphi);
            canonicalize(arena, d).is_ok_and(|c| c.is_zero())
        };
        if n == 2 && conserved {
            for s in PLANE_SYMMETRIES.iter() {
                if invariant(arena, g, s) && invariant(arena, phi, s) {
                    symmetries.push(s.clone());
                }
            }
        }
        ClosureTapes {
            n,
            exact,
            boxt,
            g: gt,
            symmetries,
            names: arena.var_names().to_vec(),
        }
    }
}

/// Whether `e(A x) - e(x)` is identically 0 (exact canonical form).
fn invariant(arena: &mut Arena, e: ExprId, s: &Symmetry) -> bool {
    let vars: Vec<ExprId> = (0..2).map(|i| arena.var(i)).collect();
    let subst: Vec<ExprId> = (0..2)
        .map(|i| {
            let terms: Vec<ExprId> = (0..2)
                .filter(|&j| s.a[i][j] != 0)
                .map(|j| {
                    if s.a[i][j] > 0 {
                        vars[j]
                    } else {
                        arena.neg(vars[j])
                    }
                })
                .collect();
            arena.add(terms)
        })
        .collect();
    let moved = arena.substitute(e, &subst);
    let d = arena.sub(moved, e);
    canonicalize(arena, d).is_ok_and(|c| c.is_zero())
}

fn fmt_q(q: &Rational) -> String {
    if *q.denom() == 1u32 {
        q.numer().to_string()
    } else {
        format!("{}/{}", q.numer(), q.denom())
    }
}

/// Strict sign of an interval (0 when it meets 0 or is not finite).
fn strict_sign(v: Interval) -> i32 {
    if v.is_empty() || !v.is_common_interval() {
        0
    } else if v.inf() > 0.0 {
        1
    } else if v.sup() < 0.0 {
        -1
    } else {
        0
    }
}

struct Budget {
    boxes: usize,
    max: usize,
}

/// Proves that `g` has the strict sign `want` on the (degenerate) box `face`, by bisection.
fn face_sign(t: &ClosureTapes, face: &RationalBox, want: i32, min_w: f64, b: &mut Budget) -> bool {
    let mut stack = vec![face.clone()];
    let mut sc = EncloseScratch::default();
    while let Some(f) = stack.pop() {
        b.boxes += 1;
        if b.boxes > b.max {
            return false;
        }
        let xs = f.intervals();
        let cs: Vec<Interval> = f.center().iter().map(|q| interval_of(q, q)).collect();
        let s = enclose(&t.g, &xs, &cs, &mut sc).map_or(0, |e| strict_sign(e.value));
        if s == want {
            continue;
        }
        if s == -want || f.max_width() < min_w {
            return false;
        }
        let (l, r) = f.bisect();
        stack.push(r);
        stack.push(l);
    }
    true
}

/// The concavity test on one sub-box: `Some(true)` proved, `Some(false)` failed,
/// `None` when the box is proved disjoint from `M`.
fn concave_on(
    t: &ClosureTapes,
    xs: &[Interval],
    cs: &[Interval],
    k: usize,
    sigma: i32,
    sc: &mut (EncloseScratch, Vec<Interval>, Vec<Interval>),
) -> Option<bool> {
    let n = t.n;
    if enclose(&t.g, xs, cs, &mut sc.0).is_some_and(|e| strict_sign(e.value) != 0) {
        return None;
    }
    sc.2.clear();
    sc.2.resize(t.boxt.n_outputs(), Interval::EMPTY);
    let Ok(smooth) = t.boxt.eval_interval_smooth(xs, &mut sc.1, &mut sc.2) else {
        return Some(false);
    };
    if !smooth {
        return Some(false);
    }
    let o = &sc.2;
    let dg = |i: usize| o[1 + i];
    let hg = |i: usize, j: usize| o[1 + n + i * n + j];
    let dq = |i: usize| o[1 + n + n * n + i];
    let hq = |i: usize, j: usize| o[1 + 2 * n + n * n + i * n + j];
    if strict_sign(dg(k)) != sigma {
        return Some(false);
    }
    // M = g_k Hess Q - Q_k Hess g.
    let mm = |i: usize, j: usize| dg(k) * hq(i, j) - dq(k) * hg(i, j);
    let base: Vec<usize> = (0..n).filter(|&j| j != k).collect();
    let sg = pt(f64::from(sigma));
    let mut a = vec![vec![Interval::EMPTY; base.len()]; base.len()];
    for (ia, &p) in base.iter().enumerate() {
        for (ib, &q) in base.iter().enumerate().take(ia + 1) {
            // v_p^T M v_q with v_p = g_k e_p - g_p e_k.
            let v = dg(k) * dg(k) * mm(p, q) - dg(k) * dg(q) * mm(p, k) - dg(p) * dg(k) * mm(k, q)
                + dg(p) * dg(q) * mm(k, k);
            let e = -(sg * v);
            a[ia][ib] = e;
            a[ib][ia] = e;
        }
    }
    if a.iter()
        .flatten()
        .any(|v| v.is_empty() || !v.is_common_interval())
    {
        return Some(false);
    }
    Some(interval_cholesky(&a).is_ok())
}

/// Tries to close the excluded box `e` around the approximate point `s` of `S`: a chart
/// box `K`, the concavity of `Q` along `M` on it, then the exact point (module docs).
pub(crate) fn close(
    t: &ClosureTapes,
    model: &Model,
    s: &[f64],
    e: &RationalBox,
    max_boxes: usize,
) -> Closure {
    let (k, grad) = match chart_coordinate(model, s) {
        Ok(c) => c,
        Err(why) => return Closure::open(*why),
    };
    let sigma = if grad[k] > 0.0 { 1 } else { -1 };
    let mut budget = Budget {
        boxes: 0,
        max: max_boxes,
    };
    let rho_max = max_radius(s, e);
    let Some(kb) = chart_box(t, s, e, k, &grad, sigma, &mut budget) else {
        let mut out = Closure::open(ClosureArgument::NoChart {
            coordinate: t.names[k].clone(),
        });
        out.boxes = budget.boxes;
        return out;
    };
    let (klo, khi) = corners(&kb);
    let chart_box = ChartBox {
        variables: t.names.clone(),
        lo: klo,
        hi: khi,
    };
    let mut out = Closure::open(ClosureArgument::NotImplemented);
    let concave = concavity(t, model, &kb, k, sigma, &mut budget, &mut out.candidates);
    out.boxes = budget.boxes;
    let proved_boxes = match concave {
        Ok(n) => n,
        Err(failed_near) => {
            out.argument = ClosureArgument::NotConcave {
                chart_box,
                failed_near,
            };
            return out;
        }
    };
    let chart = Chart {
        coordinate: t.names[k].clone(),
        chart_box,
        proved_boxes,
    };
    (out.closed, out.argument, out.exact_centre) = exact_point(t, s, &kb, k, rho_max, chart);
    out
}

/// The chart coordinate `k` (largest `|dg/dx_k|` at `s`) and `grad g(s)`, or why there is
/// none.
fn chart_coordinate(model: &Model, s: &[f64]) -> Result<(usize, Vec<f64>), Box<ClosureArgument>> {
    let n = s.len();
    let Some(j) = model.jacobian(s) else {
        return Err(Box::new(ClosureArgument::GradientNotFinite));
    };
    let grad: Vec<f64> = (0..n).map(|i| j[(0, i)]).collect();
    let k = (0..n)
        .max_by(|&a, &b| grad[a].abs().total_cmp(&grad[b].abs()))
        .expect("n > 0");
    if grad[k] == 0.0 || !grad[k].is_finite() {
        return Err(Box::new(ClosureArgument::GradientVanishes));
    }
    Ok((k, grad))
}

/// The max-norm distances from `s` to the far sides of `e`, per coordinate.
fn radii(s: &[f64], e: &RationalBox) -> Vec<f64> {
    let (elo, ehi) = corners(e);
    (0..s.len())
        .map(|i| (s[i] - elo[i]).abs().max((ehi[i] - s[i]).abs()))
        .collect()
}

/// The largest of [`radii`].
fn max_radius(s: &[f64], e: &RationalBox) -> f64 {
    radii(s, e).into_iter().fold(0.0, f64::max)
}

/// A box `K` containing `e`, stretched along `x_k`, with `g` of strict sign `-sigma` on its
/// bottom face and `sigma` on its top face (proved by bisection); `None` when three
/// stretches fail.
fn chart_box(
    t: &ClosureTapes,
    s: &[f64],
    e: &RationalBox,
    k: usize,
    grad: &[f64],
    sigma: i32,
    budget: &mut Budget,
) -> Option<RationalBox> {
    let rho = radii(s, e);
    let rho_max = rho.iter().cloned().fold(0.0, f64::max);
    let tilt: f64 = (0..s.len())
        .filter(|&i| i != k)
        .map(|i| (grad[i] / grad[k]).abs() * rho[i])
        .sum();
    for factor in [1.0, 2.0, 4.0] {
        let half = factor * (2.0 * tilt + rho_max);
        let (Some(a), Some(b)) = (
            Rational::from_f64(s[k] - half),
            Rational::from_f64(s[k] + half),
        ) else {
            return None;
        };
        let mut kb = e.clone();
        if a < kb.lo[k] {
            kb.lo[k] = a;
        }
        if b > kb.hi[k] {
            kb.hi[k] = b;
        }
        let min_w = kb.max_width() * 2f64.powi(-12);
        let mut bottom = kb.clone();
        bottom.hi[k] = kb.lo[k].clone();
        let mut top = kb.clone();
        top.lo[k] = kb.hi[k].clone();
        if face_sign(t, &bottom, -sigma, min_w, budget) && face_sign(t, &top, sigma, min_w, budget)
        {
            return Some(kb);
        }
    }
    None
}

/// Proves the concavity test on every sub-box of `kb` that meets `M` (bisecting down to
/// `2^-12` of its width): `Ok(boxes proved)`, or `Err(centre of the first failure)`.
/// Points of `M` with `Q > 0` in failed sub-boxes go to `candidates` (at most 16).
fn concavity(
    t: &ClosureTapes,
    model: &Model,
    kb: &RationalBox,
    k: usize,
    sigma: i32,
    budget: &mut Budget,
    candidates: &mut Vec<Vec<f64>>,
) -> Result<usize, Option<Vec<f64>>> {
    let min_w = kb.max_width() * 2f64.powi(-12);
    let mut stack = vec![kb.clone()];
    let mut sc = (EncloseScratch::default(), Vec::new(), Vec::new());
    let mut concave = true;
    let mut proved_boxes = 0usize;
    let mut failed_at: Option<Vec<f64>> = None;
    while let Some(b) = stack.pop() {
        budget.boxes += 1;
        let xs = b.intervals();
        let cq = b.center();
        let cs: Vec<Interval> = cq.iter().map(|q| interval_of(q, q)).collect();
        match concave_on(t, &xs, &cs, k, sigma, &mut sc) {
            None => continue,
            Some(true) => {
                proved_boxes += 1;
                continue;
            }
            Some(false) => {}
        }
        if b.max_width() < min_w || budget.boxes >= budget.max {
            concave = false;
            let cf: Vec<f64> = cq.iter().map(Rational::to_f64).collect();
            if let Some(p) = positive_point(model, &b, &cf) {
                if candidates.len() < 16 {
                    candidates.push(p);
                }
            }
            failed_at.get_or_insert(cf);
            if budget.boxes >= budget.max {
                break;
            }
            continue;
        }
        let (l, r) = b.bisect();
        stack.push(r);
        stack.push(l);
    }
    if concave {
        Ok(proved_boxes)
    } else {
        Err(failed_at)
    }
}

/// The projection of `cf` onto `M` when it lies in `b` and has `Q > 0` (numerical).
fn positive_point(model: &Model, b: &RationalBox, cf: &[f64]) -> Option<Vec<f64>> {
    let (lo, hi) = corners(b);
    let p = model.projector.project(cf, b.max_width())?;
    let inside = p
        .iter()
        .zip(lo.iter().zip(&hi))
        .all(|(v, (a, c))| v >= a && v <= c);
    (inside && sign_of(&model.q(&p)) == QSign::Positive).then_some(p)
}

/// The last step, given the chart: an exact rational point of `S` with `g = 0`, `Q <= 0`
/// and tangential `grad Q = 0` closes; else a symmetry placing `s*` exactly closes; else
/// the neighbourhood stays open. Returns `(closed, argument, exact centre)`.
fn exact_point(
    t: &ClosureTapes,
    s: &[f64],
    kb: &RationalBox,
    k: usize,
    rho_max: f64,
    chart: Chart,
) -> (bool, ClosureArgument, Option<ExactCentre>) {
    if let Some((point, q)) = rational_point(t, s, kb, k) {
        let centre = ExactCentre::Rational {
            coordinates: point.clone(),
        };
        let argument = ClosureArgument::RationalPoint { point, q, chart };
        return (true, argument, Some(centre));
    }
    for sym in &t.symmetries {
        if let Some((from, to)) = symmetric_point(t, sym, s, kb, rho_max) {
            let centre = ExactCentre::FixedLine {
                symmetry: sym.name.to_string(),
            };
            let argument = ClosureArgument::Symmetry {
                symmetry: sym.name.to_string(),
                from,
                to,
                chart,
            };
            return (true, argument, Some(centre));
        }
    }
    (false, ClosureArgument::PointNotExact { chart }, None)
}

/// `s` rounded to a small rational in `kb` at which exact evaluation gives `g = 0`,
/// `g_k != 0`, `Q <= 0` and `Q_j g_k = Q_k g_j` for `j != k`: the point and `Q` there.
fn rational_point(
    t: &ClosureTapes,
    s: &[f64],
    kb: &RationalBox,
    k: usize,
) -> Option<(Vec<String>, String)> {
    let n = t.n;
    let tol = |v: f64| 1e-9 * v.abs().max(1.0);
    let exact: Option<Vec<Rational>> = s.iter().map(|&v| small_rational(v, 1000, tol(v))).collect();
    let q = exact.filter(|q| contains(kb, q))?;
    let v = t.exact.eval::<Rational>(&(), &q).ok()?;
    let g0 = &v[0];
    let q0 = &v[1];
    let dq = &v[2..2 + n];
    let dg = &v[2 + n..2 + 2 * n];
    let tangential_zero = (0..n)
        .filter(|&j| j != k)
        .all(|j| Rational::from(&dq[j] * &dg[k]) == Rational::from(&dq[k] * &dg[j]));
    (*g0 == 0 && dg[k] != 0 && *q0 <= 0 && tangential_zero)
        .then(|| (q.iter().map(fmt_q).collect(), fmt_q(q0)))
}

fn contains(b: &RationalBox, q: &[Rational]) -> bool {
    q.iter()
        .zip(b.lo.iter().zip(&b.hi))
        .all(|(v, (l, h))| l <= v && v <= h)
}

/// A point of `M` on the fixed line of `sym` inside `kb`: `g` has opposite exact signs at two
/// rational points of the line in `kb` near `s`. Returns the two points (`f64`).
fn symmetric_point(
    t: &ClosureTapes,
    sym: &Symmetry,
    s: &[f64],
    kb: &RationalBox,
    rho: f64,
) -> Option<(Vec<f64>, Vec<f64>)> {
    // The orthogonal projection of s onto the line, rounded to a rational on the line.
    let ax = [sym.axis[0] as f64, sym.axis[1] as f64];
    let nn = ax[0] * ax[0] + ax[1] * ax[1];
    let tc = (s[0] * ax[0] + s[1] * ax[1]) / nn;
    let t0 = Rational::from_f64(tc)?;
    let h = Rational::from_f64(rho / 2.0)?;
    let point = |tt: &Rational| -> Vec<Rational> {
        (0..2).map(|i| Rational::from(tt * sym.axis[i])).collect()
    };
    let a = point(&Rational::from(&t0 - &h));
    let b = point(&Rational::from(&t0 + &h));
    if !contains(kb, &a) || !contains(kb, &b) {
        return None;
    }
    let ga = t.g.eval::<Rational>(&(), &a).ok()?[0].clone();
    let gb = t.g.eval::<Rational>(&(), &b).ok()?[0].clone();
    let sa = ga.cmp0();
    let sb = gb.cmp0();
    if sa == std::cmp::Ordering::Equal || sb == std::cmp::Ordering::Equal || sa == sb {
        return None;
    }
    let f64s = |p: &[Rational]| p.iter().map(Rational::to_f64).collect();
    Some((f64s(&a), f64s(&b)))
}

/// `q` as a rational with denominator at most `max_den` that equals `x` to within `tol`
/// (the continued fraction of the exact binary value of `x`, by ngd-minima's
/// [`ngd_minima::small_rational`] at 256 bits, far more than the 64 terms need); `None`
/// when there is none.
pub(crate) fn small_rational(x: f64, max_den: u64, tol: f64) -> Option<Rational> {
    const PREC: u32 = 256;
    let x = rug::Float::with_val(PREC, x);
    ngd_minima::small_rational(&x, max_den, &rug::Float::with_val(PREC, tol))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::grid_box;
    use crate::model::Normals;

    fn setup(g: &str, phi: &str) -> (Arena, ExprId, ExprId, ExprId) {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let p = ngd_parse::Params::new();
        let ge = ngd_parse::parse_expr(&mut a, g, &p).unwrap();
        let f = ngd_parse::parse_expr(&mut a, &format!("({g})^2"), &p).unwrap();
        let ph = ngd_parse::parse_expr(&mut a, phi, &p).unwrap();
        (a, ge, f, ph)
    }

    fn close_at(g: &str, phi: &str, s: [f64; 2]) -> Closure {
        let (mut a, ge, f, ph) = setup(g, phi);
        let bx = RationalBox::cube(2, 3);
        let model = Model::new(&mut a, f, ph, &[ge], Normals::Gradient, &bx);
        let t = ClosureTapes::new(&mut a, ge, ph, true);
        let e = grid_box(&bx, &s, 0.03).unwrap();
        close(&t, &model, &s, &e, 20_000)
    }

    #[test]
    fn closes_the_neighbourhood_of_a_rational_flat_point() {
        let c = close_at("x*y - 1", "(x^2 - y^2)^2", [1.0, 1.0]);
        assert!(c.closed, "{:?}", c.argument);
        assert_eq!(
            c.exact_centre,
            Some(ExactCentre::Rational {
                coordinates: vec!["1".to_string(), "1".to_string()]
            })
        );
        assert!(
            matches!(&c.argument, ClosureArgument::RationalPoint { q, .. } if q == "0"),
            "{:?}",
            c.argument
        );
        assert!(c.candidates.is_empty());
    }

    #[test]
    fn a_sign_change_of_q_is_never_closed() {
        // Q = -2 (x^2 - y^2)/(x^2 + y^2) vanishes at (1, 1) but changes sign there.
        let c = close_at("x*y - 1", "x^2 - y^2", [1.0, 1.0]);
        assert!(!c.closed, "{:?}", c.argument);
    }

    #[test]
    fn a_positive_bump_inside_is_never_closed_and_is_found() {
        let c = close_at(
            "x*y - 1",
            "(x^2 - y^2)^2 + 1/(10^8*((x^2 - y^2 - 1/10)^2 + 1/10^6))",
            [1.0, 1.0],
        );
        assert!(!c.closed, "{:?}", c.argument);
        assert!(!c.candidates.is_empty());
        for p in &c.candidates {
            assert!((p[0] * p[0] - p[1] * p[1] - 0.1).abs() < 0.01, "{p:?}");
        }
    }

    #[test]
    fn a_symmetry_places_an_irrational_point_of_s() {
        let s = 2f64.powf(-1.0 / 3.0);
        let c = close_at("x^3 + y^3 - 1", "(1/x - 1/y)^2", [s, s]);
        assert!(c.closed, "{:?}", c.argument);
        assert!(
            matches!(&c.argument, ClosureArgument::Symmetry { symmetry, .. } if symmetry == "(x, y) -> (y, x)"),
            "{:?}",
            c.argument
        );
    }

    #[test]
    fn invariance_is_decided_exactly() {
        let (mut a, ge, _, ph) = setup("x^3 + y^3 - 1", "x - y^2");
        assert!(invariant(&mut a, ge, &PLANE_SYMMETRIES[0]));
        assert!(!invariant(&mut a, ge, &PLANE_SYMMETRIES[1]));
        assert!(!invariant(&mut a, ph, &PLANE_SYMMETRIES[0]));
        // Without exact conservation no symmetry is used.
        let t = ClosureTapes::new(&mut a, ge, ph, true);
        assert!(t.symmetries.is_empty());
    }

    #[test]
    fn small_rationals_are_recognised_only_when_close() {
        assert_eq!(small_rational(1.0, 1000, 1e-12), Some(Rational::from(1)));
        assert_eq!(
            small_rational(-1.0 / 3.0, 1000, 1e-12),
            Some(Rational::from((-1, 3)))
        );
        assert_eq!(small_rational(2f64.powf(-1.0 / 3.0), 1000, 1e-12), None);
    }
}
