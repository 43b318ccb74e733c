//! The exceptional points of a traced branch of `M`: where `Q` changes sign or `phi` has a
//! pole, located by bisection (or ternary search) along `M`, each trial point projected
//! back onto `M` (numerical evidence).

use crate::model::Model;
use crate::pattern::{sign_of, PointInfo};
use crate::report::{ExceptionalKind, ExceptionalPoint, QSign};
use crate::{dist, norm};
use ngd_minima::MinimumSetProjector;

/// The exceptional points of one branch: sign changes between neighbours of different
/// definite classes, then poles not already among them or among `known`.
pub(crate) fn branch_exceptional(
    model: &Model,
    projector: &MinimumSetProjector,
    pts: &[PointInfo],
    b: usize,
    known: &[ExceptionalPoint],
) -> Vec<ExceptionalPoint> {
    let definite = |s: QSign| matches!(s, QSign::Negative | QSign::Positive | QSign::Undefined);
    let mut found: Vec<ExceptionalPoint> = Vec::new();
    for w in pts.windows(2) {
        if definite(w[0].sign) && definite(w[1].sign) && w[0].sign != w[1].sign {
            if let Some(e) = locate(model, projector, &w[0], &w[1], b, phi_median(pts)) {
                found.push(e);
            }
        }
    }
    for e in poles(model, projector, pts, b) {
        let close = |o: &ExceptionalPoint| {
            o.branch == b && dist(&o.point, &e.point) < 1e-2 * (1.0 + norm(&e.point))
        };
        if !known.iter().chain(&found).any(close) {
            found.push(e);
        }
    }
    found
}
/// Bisection along `M` between two neighbouring points of different classes.
fn locate(
    model: &Model,
    projector: &MinimumSetProjector,
    a: &PointInfo,
    b: &PointInfo,
    branch: usize,
    median_phi: f64,
) -> Option<ExceptionalPoint> {
    let (sa, sb) = (a.sign, b.sign);
    let mut lo = a.x.clone();
    let mut hi = b.x.clone();
    let mut q_lo = a.q.as_ref().map(|v| v.q);
    let mut q_hi = b.q.as_ref().map(|v| v.q);
    let mut collapsed_from = None;
    for _ in 0..60 {
        let d = dist(&lo, &hi);
        if d <= 1e-13 * (1.0 + norm(&lo)) {
            break;
        }
        let mid: Vec<f64> = lo.iter().zip(&hi).map(|(x, y)| 0.5 * (x + y)).collect();
        let Some(m) = projector.project(&mid, d) else {
            break;
        };
        if dist(&m, &lo) > d || dist(&m, &hi) > d {
            break;
        }
        let qm = model.q(&m);
        match sign_of(&qm) {
            s if s == sa => {
                lo = m;
                q_lo = qm.map(|v| v.q);
            }
            s if s == sb => {
                hi = m;
                q_hi = qm.map(|v| v.q);
            }
            _ => {
                // Q is zero or undefined here: the change happens at (or next to) this point.
                collapsed_from = Some(d);
                lo = m.clone();
                hi = m;
                break;
            }
        }
    }
    let point: Vec<f64> = lo.iter().zip(&hi).map(|(x, y)| 0.5 * (x + y)).collect();
    let start_mag = [a.q.as_ref(), b.q.as_ref()]
        .iter()
        .flatten()
        .map(|v| v.q.abs())
        .fold(0.0, f64::max);
    let end_mag = [q_lo, q_hi]
        .iter()
        .flatten()
        .map(|v| v.abs())
        .fold(0.0, f64::max);
    // Q changing sign while growing without bound is a pole of phi, not a smooth crossing.
    let phi_there = model.phi_value(&point).abs();
    let through_pole = end_mag > 1e6 * start_mag.max(1e-300)
        || !phi_there.is_finite()
        || phi_there > 1e4 * median_phi;
    let kind = if sa == QSign::Undefined || sb == QSign::Undefined || through_pole {
        ExceptionalKind::Pole
    } else {
        ExceptionalKind::SignChange
    };
    Some(ExceptionalPoint {
        branch,
        point,
        kind,
        between: (sa, sb),
        bracket: collapsed_from.unwrap_or_else(|| dist(&lo, &hi)),
    })
}

/// The median of `|phi|` over the points of a branch where it is finite.
fn phi_median(pts: &[PointInfo]) -> f64 {
    let mut v: Vec<f64> = pts
        .iter()
        .filter_map(|p| p.q.as_ref().map(|q| q.phi.abs()))
        .filter(|v| v.is_finite())
        .collect();
    if v.is_empty() {
        return f64::INFINITY;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2].max(1e-300)
}

/// Poles of `phi` on a branch that `Q` does not change sign across: local maxima of `|phi|`
/// along the path that exceed `1e4` times its median, refined by ternary search along `M`
/// (each trial point projected back); kept when `phi` is at least `1e8` times its median
/// there or undefined.
fn poles(
    model: &Model,
    projector: &MinimumSetProjector,
    pts: &[PointInfo],
    branch: usize,
) -> Vec<ExceptionalPoint> {
    let mag: Vec<f64> = pts
        .iter()
        .map(|p| p.q.as_ref().map_or(f64::INFINITY, |v| v.phi.abs()))
        .collect();
    let mut finite: Vec<f64> = mag.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.len() < 3 {
        return Vec::new();
    }
    finite.sort_by(f64::total_cmp);
    let median = finite[finite.len() / 2].max(1e-300);
    let mut out = Vec::new();
    for i in 1..pts.len().saturating_sub(1) {
        if !(mag[i] > 1e4 * median && mag[i] >= mag[i - 1] && mag[i] >= mag[i + 1]) {
            continue;
        }
        // Ternary search for the largest |phi| on the polyline p[i-1] - p[i] - p[i+1].
        let at = |t: f64| -> Option<(Vec<f64>, f64)> {
            let (a, b, s) = if t < 0.5 {
                (&pts[i - 1].x, &pts[i].x, 2.0 * t)
            } else {
                (&pts[i].x, &pts[i + 1].x, 2.0 * t - 1.0)
            };
            let y: Vec<f64> = a.iter().zip(b).map(|(u, v)| u + s * (v - u)).collect();
            let m = projector.project(&y, dist(a, b).max(1e-300))?;
            let v = model.phi_value(&m).abs();
            Some((m, if v.is_nan() { f64::INFINITY } else { v }))
        };
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        let mut best = (pts[i].x.clone(), mag[i]);
        for _ in 0..80 {
            let t1 = lo + (hi - lo) / 3.0;
            let t2 = hi - (hi - lo) / 3.0;
            let (Some(v1), Some(v2)) = (at(t1), at(t2)) else {
                break;
            };
            for v in [&v1, &v2] {
                if v.1 > best.1 {
                    best = v.clone();
                }
            }
            if v1.1 < v2.1 {
                lo = t1;
            } else {
                hi = t2;
            }
        }
        if best.1 >= 1e8 * median {
            out.push(ExceptionalPoint {
                branch,
                point: best.0,
                kind: ExceptionalKind::Pole,
                between: (pts[i - 1].sign, pts[i + 1].sign),
                bracket: (hi - lo)
                    * (dist(&pts[i - 1].x, &pts[i].x) + dist(&pts[i].x, &pts[i + 1].x)),
            });
        }
    }
    out
}
