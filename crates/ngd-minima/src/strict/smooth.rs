//! The smooth rule of C6 (crate docs, "C6: the proof rules"): `F = f + phi` proved `C^2` on
//! `B`, exactly one critical point of `F` in `B` (Krawczyk), `Hess F` positive definite on
//! all of `B` (interval Cholesky); or a certified refutation.

use super::certify::{in_box_exact, SecondVals};
use super::{C6Context, SPoint};
use crate::explain::{ExactIdentification, Smoothness, StrictnessReason};
use crate::linalg::sym_eigen;
use crate::report::{StrictnessAtPoint, StrictnessCriterion};
use inari::Interval;
use nalgebra::DMatrix;
use ngd_certify::{interval_cholesky, krawczyk, pt, CholeskyFailure};
use ngd_check::Evidence;

/// The smooth rule: `F = f + phi` is `C^2` on `B` (checked by the caller).
pub(super) fn smooth_rule(
    ctx: &C6Context<'_>,
    sp: &SPoint,
    rad: &[f64],
    b: &[Interval],
    mut out: StrictnessAtPoint,
) -> StrictnessAtPoint {
    out.criterion = StrictnessCriterion::Smooth;
    out.smooth_on_box = Evidence::Proved;
    out.smoothness = Some(Smoothness::SmoothRule);
    let crit = krawczyk(
        &sp.x,
        rad,
        |z| ctx.fp.eval_iv(z).ok().map(|v| v.grad),
        |z| ctx.fp.eval_iv(z).ok().map(|v| v.hess),
    );
    out.critical_point = if crit {
        Evidence::Proved
    } else {
        Evidence::Inconclusive
    };
    let hx = ctx.fp.hess_f64(&sp.x);
    out.eigenvalues = hx.as_ref().map(|h| sym_eigen(h).0).unwrap_or_default();
    let over_b = match ctx.fp.eval_iv(b) {
        Ok(v) => v,
        Err(error) => {
            out.reason = Some(StrictnessReason::IntervalEvaluationFailed { error });
            return out;
        }
    };
    let chol = interval_cholesky(&over_b.hess);
    if let Ok(p) = chol {
        out.hessian_pd = Evidence::Proved;
        out.min_pivot_lower_bound = Some(p);
    }
    if !crit {
        let why = no_critical_point(ctx, sp, &over_b, out.s_in_box);
        if matches!(
            why,
            StrictnessReason::GradientAwayFromZero { s_in_box: true, .. }
        ) {
            out.evidence = Evidence::Refuted;
        }
        out.reason = Some(why);
        return out;
    }
    match chol {
        Ok(_) => proved(ctx, sp, b, &mut out),
        Err(fail) => {
            let why = not_positive_definite(&out, hx, &over_b, fail);
            if matches!(why, StrictnessReason::SaddleRefuted { .. }) {
                out.hessian_pd = Evidence::Refuted;
                out.evidence = Evidence::Refuted;
            }
            out.reason = Some(why);
        }
    }
    out
}

/// Why no critical point was proved: some component of `grad F` excludes 0 on all of `B`
/// (a refutation when `B` provably contains the point of `S`), or the test just failed.
fn no_critical_point(
    ctx: &C6Context<'_>,
    sp: &SPoint,
    over_b: &SecondVals<Interval>,
    s_in_box: Evidence,
) -> StrictnessReason {
    let away = (0..sp.x.len()).find(|&i| {
        let v = over_b.grad[i];
        v.inf() > 0.0 || v.sup() < 0.0
    });
    let gradient = ctx.fp.eval_f64(&sp.x).map(|v| v.grad);
    match away {
        Some(i) => StrictnessReason::GradientAwayFromZero {
            component: i + 1,
            range: [over_b.grad[i].inf(), over_b.grad[i].sup()],
            gradient,
            s_in_box: s_in_box == Evidence::Proved,
        },
        None => StrictnessReason::NoCriticalPointProved { gradient },
    }
}

/// Proved: `F` is strictly convex on `B` with its critical point there; the rational closed
/// form, when it lies in `B` with `g = 0` and `grad F = 0` exactly, is that point.
fn proved(ctx: &C6Context<'_>, sp: &SPoint, b: &[Interval], out: &mut StrictnessAtPoint) {
    out.evidence = Evidence::Proved;
    out.strict_on_box = true;
    out.reason = Some(StrictnessReason::SmoothProved);
    if let (Some(q), Some(sys)) = (&sp.exact, ctx.sys) {
        let grad_zero = ctx
            .fp
            .eval_exact(q)
            .is_some_and(|v| v.grad.iter().all(|g| *g == 0));
        let on_m = sys.eval_exact(q).is_some_and(|v| v.g == 0);
        if in_box_exact(q, b) && grad_zero && on_m {
            out.exact = Some(ExactIdentification::CriticalPoint {
                point: q.iter().map(|r| r.to_string()).collect(),
            });
        }
    }
}

/// Why interval Cholesky failed: a certified negative curvature (then `hessian_pd` and the
/// verdict are refuted), a numerical negative or zero eigenvalue, or a too wide enclosure.
fn not_positive_definite(
    out: &StrictnessAtPoint,
    hx: Option<DMatrix<f64>>,
    over_b: &SecondVals<Interval>,
    fail: CholeskyFailure,
) -> StrictnessReason {
    let ev = &out.eigenvalues;
    let lmin = ev.first().copied().unwrap_or(f64::NAN);
    let scale = ev.iter().fold(0.0f64, |a, b| a.max(b.abs())).max(1e-300);
    if lmin < -1e-8 * scale {
        match hx.and_then(|m| negative_curvature_bound(&m, &over_b.hess)) {
            Some(bound) => StrictnessReason::SaddleRefuted {
                eigenvalue: lmin,
                bound,
            },
            None => StrictnessReason::NegativeEigenvalue { eigenvalue: lmin },
        }
    } else if lmin.abs() <= 1e-8 * scale {
        StrictnessReason::SingularHessian { eigenvalue: lmin }
    } else {
        StrictnessReason::CholeskyFailed {
            pivot: fail.pivot + 1,
            lower: fail.lower,
        }
    }
}

/// `sup v^T H v` over the enclosure `H` of `Hess F` on `B`, for the eigenvector `v` of the
/// smallest eigenvalue of `m`, when it is negative (a certified negative curvature).
fn negative_curvature_bound(m: &DMatrix<f64>, hess: &[Vec<Interval>]) -> Option<f64> {
    let n = hess.len();
    let vecs = sym_eigen(m).1;
    let v: Vec<f64> = vecs.column(0).iter().copied().collect();
    let mut q = pt(0.0);
    for i in 0..n {
        for j in 0..n {
            q += pt(v[i]) * hess[i][j] * pt(v[j]);
        }
    }
    (q.sup() < 0.0).then_some(q.sup())
}
