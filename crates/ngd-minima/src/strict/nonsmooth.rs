//! The nonsmooth rule of C6 for `f = c |g|` (crate docs, "C6: the proof rules"): a Lagrange
//! point of `phi` on `M` proved by Krawczyk, `|lambda| < c`, the Lagrangian Hessian positive
//! definite on the tangent space of `M` (interval Cholesky), and the quantitative bound on
//! all of `B`; or a certified refutation.

use super::certify::{in_box_exact, LagrangeBox};
use super::{AbsRule, SPoint};
use crate::explain::{
    BoxBound, ExactIdentification, LagrangeFailure, Smoothness, StrictnessReason,
};
use crate::linalg::sym_eigen;
use crate::model::LagrangeSystem;
use crate::report::{StrictnessAtPoint, StrictnessCriterion};
use inari::Interval;
use nalgebra::DMatrix;
use ngd_certify::{interval_cholesky, pt};
use ngd_check::Evidence;
use ngd_eval::interval_of;
use ngd_expr::Rational;

/// The data of the nonsmooth rule's tangent test on a box.
pub struct TangentTest {
    /// `Z^T (Hess phi - lambda Hess g) Z` over `B x Lambda` (upper triangle mirrored).
    pub t: Vec<Vec<Interval>>,
    /// `Z^T Z` over `B`.
    pub w: Vec<Vec<Interval>>,
    /// The Lagrangian Hessian enclosure `Hess phi(B) - Lambda Hess g(B)`.
    pub m: Vec<Vec<Interval>>,
    /// `grad g(B)`.
    pub a: Vec<Interval>,
    /// `Hess g(B)`.
    pub hg: Vec<Vec<Interval>>,
}

/// The tangent basis `z_j = e_j - (a_j / a_k) e_k` (`j != k`) of `a^perp`, with `k` the
/// coordinate of the largest `|a_k|` at the midpoint; `None` when `a_k` is not bounded away
/// from 0 on the box.
pub fn tangent_test(sys: &LagrangeSystem, x: &[Interval], lambda: Interval) -> Option<TangentTest> {
    let n = x.len();
    let v = sys.eval_iv(x)?;
    let m: Vec<Vec<Interval>> = (0..n)
        .map(|i| (0..n).map(|j| v.hh[i][j] - lambda * v.hg[i][j]).collect())
        .collect();
    let a = v.dg.clone();
    let mut k = 0;
    for i in 1..n {
        if a[i].mid().abs() > a[k].mid().abs() {
            k = i;
        }
    }
    if !(a[k].inf() > 0.0 || a[k].sup() < 0.0) {
        return None;
    }
    let js: Vec<usize> = (0..n).filter(|&j| j != k).collect();
    let r: Vec<Interval> = js.iter().map(|&j| a[j] / a[k]).collect();
    let d = js.len();
    let mut t = vec![vec![pt(0.0); d]; d];
    let mut w = vec![vec![pt(0.0); d]; d];
    for p in 0..d {
        for q in p..d {
            let (i, j) = (js[p], js[q]);
            let tv = m[i][j] - r[q] * m[i][k] - r[p] * m[k][j] + r[p] * r[q] * m[k][k];
            let wv = if p == q { pt(1.0) } else { pt(0.0) } + r[p] * r[q];
            t[p][q] = tv;
            t[q][p] = tv;
            w[p][q] = wv;
            w[q][p] = wv;
        }
    }
    Some(TangentTest {
        t,
        w,
        m,
        a,
        hg: v.hg,
    })
}

/// The midpoint matrix.
fn mid_matrix(a: &[Vec<Interval>]) -> DMatrix<f64> {
    DMatrix::from_fn(a.len(), a.len(), |i, j| a[i][j].mid())
}

/// The eigenvalues of the pencil `(T, W)` at the midpoints (`W` positive definite): the
/// eigenvalues of the Lagrangian Hessian on the tangent space in orthonormal coordinates.
pub(super) fn pencil_eigenvalues(t: &[Vec<Interval>], w: &[Vec<Interval>]) -> Option<Vec<f64>> {
    let tm = mid_matrix(t);
    let wm = mid_matrix(w);
    let l = wm.cholesky()?.l();
    let li = l.try_inverse()?;
    let a = &li * tm * li.transpose();
    let a = (&a + a.transpose()) * 0.5;
    Some(sym_eigen(&a).0)
}

/// `sqrt(sum_ij mag(a_ij)^2)` rounded up: an upper bound of the Frobenius (so spectral) norm
/// of every matrix in `a`.
fn frobenius_sup(a: &[Vec<Interval>]) -> f64 {
    let mut s = pt(0.0);
    for row in a {
        for v in row {
            s += pt(v.mag()).sqr();
        }
    }
    s.sqrt().sup()
}

/// The quantitative form of the nonsmooth rule on all of `B` (crate docs): with
/// `d_T^T M d_T >= sigma |d_T|^2` proved by interval Cholesky on `T - sigma W`, checks
/// `theta kappa K < sigma` and `beta = theta kappa A - delta (1.5 |M| + theta kappa K / 2) > 0`.
/// Returns `sigma` and `beta` (lower bound) on success.
pub fn strict_on_box_bound(
    tt: &TangentTest,
    x: &[Interval],
    kappa: f64,
    mu: f64,
) -> Option<(f64, f64)> {
    if !(kappa > 0.0 && mu > 0.0) {
        return None;
    }
    let mnorm = frobenius_sup(&tt.m);
    let knorm = frobenius_sup(&tt.hg);
    let mut asq = pt(0.0);
    for v in &tt.a {
        asq += v.sqr();
    }
    let a_lo = asq.sqrt().inf();
    let mut dsq = pt(0.0);
    for v in x {
        dsq += (pt(v.sup()) - pt(v.inf())).sqr();
    }
    let delta = dsq.sqrt().sup();
    if !(mnorm.is_finite() && knorm.is_finite() && a_lo > 0.0 && delta.is_finite()) {
        return None;
    }
    for sigma in [mu / 2.0, mu / 8.0, mu / 64.0] {
        let d = tt.t.len();
        let shifted: Vec<Vec<Interval>> = (0..d)
            .map(|p| {
                (0..d)
                    .map(|q| tt.t[p][q] - pt(sigma) * tt.w[p][q])
                    .collect()
            })
            .collect();
        if interval_cholesky(&shifted).is_err() {
            continue;
        }
        let theta = if knorm > 0.0 {
            (sigma / (2.0 * kappa * knorm)).min(1.0)
        } else {
            1.0
        };
        let tk = pt(theta) * pt(kappa);
        // `<` rather than `>=` so that a NaN bound fails.
        let below = (tk * pt(knorm)).sup() < sigma;
        if !below {
            continue;
        }
        let beta = tk * pt(a_lo) - pt(delta) * (pt(1.5) * pt(mnorm) + pt(0.5) * tk * pt(knorm));
        if beta.inf() > 0.0 {
            return Some((sigma, beta.inf()));
        }
    }
    None
}

/// The nonsmooth rule for `f = c |g|` (`phi` and `g` are `C^2` on `B`, checked by the
/// caller): steps (i), (ii), (iii) of the crate docs in order, stopping at the first that
/// fails.
pub(super) fn nonsmooth_rule(
    abs: &AbsRule<'_>,
    sp: &SPoint,
    b: &[Interval],
    lagrange: Option<Result<LagrangeBox, LagrangeFailure>>,
    mut out: StrictnessAtPoint,
) -> StrictnessAtPoint {
    out.criterion = StrictnessCriterion::NonsmoothAbs;
    out.smooth_on_box = Evidence::Proved;
    out.smoothness = Some(Smoothness::NonsmoothRule);
    // (i) a Lagrange point of phi on M in B.
    let lb = match lagrange {
        Some(Ok(lb)) => lb,
        Some(Err(failure)) => {
            out.reason = Some(StrictnessReason::LagrangeFailed { failure });
            return out;
        }
        None => {
            out.reason = Some(StrictnessReason::NoMultiplier);
            return out;
        }
    };
    out.critical_point = Evidence::Proved;
    // (ii) |lambda| < c.
    let Some(kappa) = multiplier_below_c(abs, &lb, &mut out) else {
        return out;
    };
    // (iii) the Lagrangian Hessian on the tangent space of M.
    let Some(tt) = tangent_test(abs.sys, &lb.x, lb.lambda) else {
        out.reason = Some(StrictnessReason::NoTangentBasis);
        return out;
    };
    tangent_step(abs, sp, b, &lb, kappa, &tt, &mut out);
    out
}

/// Step (ii): `kappa = c - max |Lambda| > 0` proved, or `|lambda| > c` (refuted), or
/// undecided; returns `kappa` when proved, and records the outcome in `out`.
fn multiplier_below_c(
    abs: &AbsRule<'_>,
    lb: &LagrangeBox,
    out: &mut StrictnessAtPoint,
) -> Option<f64> {
    let c_iv = interval_of(&abs.c, &abs.c);
    let kappa = (c_iv - pt(lb.lambda.mag())).inf();
    let multiplier = [lb.lambda.inf(), lb.lambda.sup()];
    let c = abs.c.to_string();
    if kappa > 0.0 {
        out.multiplier_below_c = Some(Evidence::Proved);
        return Some(kappa);
    }
    if lb.lambda.mig() > c_iv.sup() {
        out.multiplier_below_c = Some(Evidence::Refuted);
        out.evidence = Evidence::Refuted;
        out.reason = Some(StrictnessReason::MultiplierAboveC { multiplier, c });
    } else {
        out.multiplier_below_c = Some(Evidence::Inconclusive);
        out.reason = Some(StrictnessReason::MultiplierUndecided { multiplier, c });
    }
    None
}

/// Step (iii): interval Cholesky of the tangent matrix `T` proves the rule (with the bound
/// on all of `B` when it holds and the exact identification when available); otherwise a
/// certified negative tangent direction refutes, or the failure is recorded.
fn tangent_step(
    abs: &AbsRule<'_>,
    sp: &SPoint,
    b: &[Interval],
    lb: &LagrangeBox,
    kappa: f64,
    tt: &TangentTest,
    out: &mut StrictnessAtPoint,
) {
    out.eigenvalues = pencil_eigenvalues(&tt.t, &tt.w).unwrap_or_default();
    let mu = out.eigenvalues.first().copied().unwrap_or(f64::NAN);
    match interval_cholesky(&tt.t) {
        Ok(p) => {
            out.hessian_pd = Evidence::Proved;
            out.min_pivot_lower_bound = Some(p);
            out.evidence = Evidence::Proved;
            let bound = strict_on_box_bound(tt, &lb.x, kappa, mu);
            out.strict_on_box = bound.is_some();
            out.reason = Some(StrictnessReason::NonsmoothProved {
                multiplier: [lb.lambda.inf(), lb.lambda.sup()],
                c: abs.c.to_string(),
                bound: bound.map(|(sigma, beta)| BoxBound { sigma, kappa, beta }),
            });
            out.exact = sp
                .exact
                .as_ref()
                .and_then(|q| exact_lagrange_point(abs.sys, q, b, lb));
        }
        Err(fail) => match negative_tangent_direction(tt) {
            // A certified negative tangent direction refutes: s is then not a local minimum
            // of phi on M, and f + phi = phi on M.
            Some(bound) => {
                out.hessian_pd = Evidence::Refuted;
                out.evidence = Evidence::Refuted;
                out.reason = Some(StrictnessReason::TangentCurvatureRefuted { bound });
            }
            None => {
                out.reason = Some(StrictnessReason::TangentCholeskyFailed {
                    pivot: fail.pivot + 1,
                    lower: fail.lower,
                    smallest_eigenvalue: mu,
                });
            }
        },
    }
}

/// `sup u^T T u < 0` over `B x Lambda` for the eigenvector `u` of the smallest (negative)
/// eigenvalue of the midpoint of `T`: that bound, else `None`.
fn negative_tangent_direction(tt: &TangentTest) -> Option<f64> {
    let tm = mid_matrix(&tt.t);
    let (vals, vecs) = sym_eigen(&tm);
    let d = tt.t.len();
    if !vals.first().is_some_and(|v| *v < 0.0) {
        return None;
    }
    let u: Vec<f64> = vecs.column(0).iter().copied().collect();
    let mut q = pt(0.0);
    for p in 0..d {
        for r in 0..d {
            q += pt(u[p]) * tt.t[p][r] * pt(u[r]);
        }
    }
    (q.sup() < 0.0).then_some(q.sup())
}

/// The rational point `q` is the proved Lagrange point when it lies in `B` with `g(q) = 0`,
/// `grad g(q) != 0` and `grad phi(q) = lambda grad g(q)` exactly, `lambda` in `Lambda`.
fn exact_lagrange_point(
    sys: &LagrangeSystem,
    q: &[Rational],
    b: &[Interval],
    lb: &LagrangeBox,
) -> Option<ExactIdentification> {
    let v = sys.eval_exact(q)?;
    let gg: Rational = v.dg.iter().map(|a| Rational::from(a * a)).sum();
    if !(v.g == 0 && gg != 0 && in_box_exact(q, b)) {
        return None;
    }
    let dot: Rational =
        v.dg.iter()
            .zip(&v.dh)
            .map(|(a, h)| Rational::from(a * h))
            .sum();
    let lam = dot / gg;
    let lagr =
        v.dh.iter()
            .zip(&v.dg)
            .all(|(h, a)| (h - Rational::from(&lam * a)) == 0);
    let in_lambda = match (
        Rational::from_f64(lb.lambda.inf()),
        Rational::from_f64(lb.lambda.sup()),
    ) {
        (Some(lo), Some(hi)) => lam >= lo && lam <= hi,
        _ => false,
    };
    (lagr && in_lambda).then(|| ExactIdentification::LagrangePoint {
        point: q.iter().map(|r| r.to_string()).collect(),
        multiplier: lam.to_string(),
    })
}
