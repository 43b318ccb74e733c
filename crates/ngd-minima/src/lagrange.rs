//! Lagrange points of a function `h` on `M = {g = 0}` (scalar `g`): Newton from many starts
//! in `f64`, deduplication, refinement in MPFR, and classification by the projected
//! (bordered) second-order condition, with higher-order probes along `M` when the projected
//! Hessian is singular.

use crate::critical_sets::{Landing, SetCollector, SetLevel};
use crate::explain::{ClassificationDetail, ProbeBehaviour};
use crate::linalg::{dist, norm, null_space, sym_eigen};
use crate::minset::{is_duplicate, refined_point};
use crate::model::{BoxF, Constraints, LagrangeSystem};
use crate::report::{Classification, LagrangeSearch, RefinedPoint};
use nalgebra::DMatrix;
use rug::Float;

/// Relative threshold below which an eigenvalue of the projected Hessian counts as zero
/// (relative to the largest of: the sizes of the Hessians and gradients of `h` and
/// `lambda g` at the point, and 1).
pub const DEGENERATE_THRESHOLD: f64 = 1e-9;

/// A refined, classified Lagrange point.
#[derive(Clone, Debug)]
pub struct LagrangePoint {
    /// MPFR coordinates.
    pub x: Vec<Float>,
    /// MPFR multiplier.
    pub lambda: Float,
    /// `h` there (MPFR).
    pub value: Float,
    /// Report form of the point.
    pub point: RefinedPoint,
    /// The classification.
    pub class: Classification,
    /// Projected eigenvalues (ascending).
    pub eigenvalues: Vec<f64>,
    /// How the class was decided.
    pub detail: ClassificationDetail,
}

impl LagrangePoint {
    /// `f64` coordinates.
    pub fn approx(&self) -> Vec<f64> {
        self.point.approx.clone()
    }
}

/// Settings of one search.
pub struct SearchSettings {
    pub digits: u32,
    pub prec: u32,
    /// Stop after this many consecutive converged starts without a new point, or eight
    /// times the number of distinct points found if that is more (once the initial starts
    /// are used up).
    pub patience: usize,
    /// At most this many starts in all.
    pub max_starts: usize,
}

/// Runs Newton from `initial` starts, then from `more()` until `patience` consecutive starts
/// found nothing new (or `max_starts`); refines and classifies the distinct isolated points,
/// sorted by value then coordinates. Points that lie on sets of positive dimension are
/// returned per level instead (`crate::critical_sets`): a landing on a known set is not new.
pub fn search(
    sys: &LagrangeSystem,
    cons: &Constraints,
    bx: &BoxF,
    initial: &[Vec<f64>],
    more: impl FnMut() -> Option<Vec<f64>>,
    st: &SearchSettings,
) -> (Vec<LagrangePoint>, Vec<SetLevel>, LagrangeSearch) {
    let starts = newton_starts(sys, bx, initial, more, st);
    let mut pts = refine_all(sys, cons, bx, &starts.found, st);
    pts.sort_by(|a, b| {
        a.value.to_f64().total_cmp(&b.value.to_f64()).then_with(|| {
            let (xa, xb) = (a.approx(), b.approx());
            xa.iter()
                .zip(&xb)
                .map(|(p, q)| p.total_cmp(q))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    });
    let distinct = pts.len();
    let set_points = starts.sets.levels.iter().map(|l| l.hits).sum();
    (
        pts,
        starts.sets.levels,
        LagrangeSearch {
            starts: starts.starts,
            converged: starts.converged,
            distinct,
            saturated: starts.saturated,
            set_points,
        },
    )
}

/// The distinct `f64` Lagrange points found by the Newton starts, and the counts.
struct Starts {
    found: Vec<(Vec<f64>, f64)>,
    sets: SetCollector,
    starts: usize,
    converged: usize,
    saturated: bool,
}

/// Newton in `f64` from every initial start, then from `more()` while the search is not
/// saturated and under budget; keeps converged points inside the box, deduplicated.
fn newton_starts(
    sys: &LagrangeSystem,
    bx: &BoxF,
    initial: &[Vec<f64>],
    mut more: impl FnMut() -> Option<Vec<f64>>,
    st: &SearchSettings,
) -> Starts {
    let mut scratch = Vec::new();
    let max_step = 0.25 * bx.diameter();
    let mut found: Vec<(Vec<f64>, f64)> = Vec::new();
    let mut found_x: Vec<Vec<f64>> = Vec::new();
    let mut sets = SetCollector::default();
    let mut starts = 0usize;
    let mut converged = 0usize;
    let mut since_new = 0usize;
    let mut idx = 0usize;
    loop {
        let start = if idx < initial.len() {
            idx += 1;
            Some(initial[idx - 1].clone())
        } else if since_new < st.patience.max(8 * found.len()) && starts < st.max_starts {
            more()
        } else {
            None
        };
        let Some(x0) = start else { break };
        starts += 1;
        let Some(lam0) = sys.multiplier(&x0, &mut scratch) else {
            continue;
        };
        if let Some((x, lam)) = sys.newton_f64(&x0, lam0, max_step, &mut scratch) {
            if !bx.contains(&x) {
                continue;
            }
            converged += 1;
            since_new += 1;
            if !is_duplicate(&found_x, &x, 1e-5) {
                match sets.land(sys, bx, &x, lam) {
                    Landing::Isolated => {
                        found_x.push(x.clone());
                        found.push((x, lam));
                        since_new = 0;
                    }
                    Landing::NewSet => since_new = 0,
                    Landing::KnownSet => {}
                }
            }
        }
        if idx >= initial.len() && starts >= st.max_starts {
            break;
        }
    }
    let saturated = since_new >= st.patience.max(8 * found.len());
    Starts {
        found,
        sets,
        starts,
        converged,
        saturated,
    }
}

/// Newton in MPFR from `(x, lam)`: regular points converge quadratically at moderate
/// precision; degenerate ones converge linearly and need the full precision (their residuals
/// are squares). Returns the point, the multiplier and the last relative step.
fn refine_mp(
    sys: &LagrangeSystem,
    x: &[f64],
    lam: f64,
    st: &SearchSettings,
) -> Option<(Vec<Float>, Float, f64)> {
    let lo_prec = ((st.digits as f64 + 20.0) * std::f64::consts::LOG2_10).ceil() as u32;
    let quick = sys
        .newton_mp(x, lam, lo_prec, st.digits, 12)
        .filter(|r| r.2 < 10f64.powi(-(st.digits as i32)));
    match quick {
        Some((xm, lm, last)) => Some((
            xm.iter()
                .map(|v| Float::with_val(st.prec, v))
                .collect::<Vec<_>>(),
            Float::with_val(st.prec, &lm),
            last,
        )),
        None => sys.newton_mp(x, lam, st.prec, st.digits, 400),
    }
}

/// Refines every point found, drops those that leave the box, move far, or duplicate an
/// earlier one, and classifies the rest.
fn refine_all(
    sys: &LagrangeSystem,
    cons: &Constraints,
    bx: &BoxF,
    found: &[(Vec<f64>, f64)],
    st: &SearchSettings,
) -> Vec<LagrangePoint> {
    let mut pts: Vec<LagrangePoint> = Vec::new();
    for (x, lam) in found {
        let Some((xm, lm, last)) = refine_mp(sys, x, *lam, st) else {
            continue;
        };
        let xf: Vec<f64> = xm.iter().map(Float::to_f64).collect();
        if !bx.contains(&xf) || dist(&xf, x) > 1e-3 * (1.0 + norm(x)) {
            continue;
        }
        if pts
            .iter()
            .any(|p| dist(&p.approx(), &xf) <= 1e-9 * (1.0 + norm(&xf)))
        {
            continue;
        }
        let Some(v) = sys.eval_mp(&xm, st.prec) else {
            continue;
        };
        let point = refined_point(&xm, last, st.digits);
        let (class, eigenvalues, detail) = classify(sys, cons, &xm, &lm, st);
        pts.push(LagrangePoint {
            x: xm,
            lambda: lm,
            value: v.h,
            point,
            class,
            eigenvalues,
            detail,
        });
    }
    pts
}

/// The Hessian of the Lagrangian projected on the tangent space of `M` at a point.
struct Projected {
    /// Its eigenvalues (ascending).
    eig: Vec<f64>,
    /// An orthonormal basis of the tangent space (columns).
    z: DMatrix<f64>,
    /// Its eigenvectors in that basis (columns).
    vecs: DMatrix<f64>,
    /// The threshold below which an eigenvalue counts as zero.
    tol: f64,
    /// `h` at the point.
    h0: Float,
}

/// The projected Hessian `Z^T (Hess h - lambda Hess g) Z` (`Z` an orthonormal basis of
/// `ker grad g`), and the zero threshold relative to the scale of the problem there.
fn projected_hessian(
    sys: &LagrangeSystem,
    x: &[Float],
    lam: &Float,
    prec: u32,
) -> Option<Projected> {
    let n = sys.n;
    let v = sys.eval_mp(x, prec)?;
    let mut hl = DMatrix::<f64>::zeros(n, n);
    let mut sc: f64 = 0.0;
    for i in 0..n {
        for j in 0..n {
            let t = Float::with_val(prec, lam * &v.hg[i][j]);
            sc = sc.max(v.hh[i][j].to_f64().abs() + t.to_f64().abs());
            hl[(i, j)] = Float::with_val(prec, &v.hh[i][j] - &t).to_f64();
        }
    }
    let dg = DMatrix::from_row_slice(1, n, &v.dg.iter().map(Float::to_f64).collect::<Vec<_>>());
    let z = null_space(&dg, 1e-12);
    let p = z.transpose() * &hl * &z;
    let (eig, vecs) = sym_eigen(&p);
    // The scale of the problem at this point: second and first derivatives, and 1 (so that a
    // Hessian that is zero altogether counts as singular; the probes then decide).
    let grad_scale: f64 =
        v.dh.iter()
            .map(|d| d.to_f64().abs())
            .fold(0.0, f64::max)
            .max(lam.to_f64().abs() * v.dg.iter().map(|d| d.to_f64().abs()).fold(0.0, f64::max));
    Some(Projected {
        eig,
        z,
        vecs,
        tol: DEGENERATE_THRESHOLD * sc.max(grad_scale).max(1.0),
        h0: v.h,
    })
}

/// The probe directions: the null directions, and (up to eight in all) the normalized sums
/// and differences of pairs of them.
fn probe_directions(ph: &Projected, null: &[usize]) -> Vec<Vec<f64>> {
    let base: Vec<Vec<f64>> = null
        .iter()
        .map(|&i| (&ph.z * ph.vecs.column(i)).iter().copied().collect())
        .collect();
    let mut out = base.clone();
    let s = std::f64::consts::FRAC_1_SQRT_2;
    for a in 0..base.len() {
        for b in a + 1..base.len() {
            if out.len() >= 8 {
                break;
            }
            let pair = base[a].iter().zip(&base[b]);
            out.push(pair.clone().map(|(p, q)| s * (p + q)).collect());
            out.push(pair.map(|(p, q)| s * (p - q)).collect());
        }
    }
    out
}

/// How `h` changes along `M` from `x` in direction `d` on both sides at steps
/// `1e-2, 1e-3, 1e-4` times the size of `x` (decided on the two smallest, which must agree).
fn probe(
    sys: &LagrangeSystem,
    cons: &Constraints,
    x: &[Float],
    d: &[f64],
    h0: &Float,
    st: &SearchSettings,
) -> ProbeBehaviour {
    let prec = st.prec;
    let xs = 1.0 + x.iter().map(|t| t.to_f64().abs()).fold(0.0, f64::max);
    let thresh = 10f64.powi(-(st.digits as i32)) * (1.0 + h0.to_f64().abs());
    let mut pattern: Vec<(i8, i8)> = Vec::new();
    for scale in [1e-2, 1e-3, 1e-4] {
        let step = scale * xs;
        let mut sg = [0i8; 2];
        for (k, sign) in [1.0, -1.0].iter().enumerate() {
            let y0: Vec<Float> = x
                .iter()
                .zip(d)
                .map(|(a, b)| Float::with_val(prec, a + sign * step * b))
                .collect();
            let val = cons
                .project_mp(&y0, prec, st.digits + 10, 60)
                .and_then(|(y, _)| sys.eval_mp(&y, prec))
                .map(|w| Float::with_val(prec, &w.h - h0).to_f64());
            sg[k] = match val {
                Some(dv) if dv > thresh => 1,
                Some(dv) if dv < -thresh => -1,
                _ => 0,
            };
        }
        pattern.push((sg[0], sg[1]));
    }
    let (a, b) = (pattern[1], pattern[2]);
    if a != b || a.0 == 0 || a.1 == 0 {
        ProbeBehaviour::Undecided
    } else if a == (1, 1) {
        ProbeBehaviour::IncreasesOnBothSides
    } else if a == (-1, -1) {
        ProbeBehaviour::DecreasesOnBothSides
    } else {
        ProbeBehaviour::IncreasesOnOneSide
    }
}

/// The class of a degenerate point from the probes and the signs of the definite part:
/// neither for an inflection along some direction, directions of both kinds, or
/// higher-order growth against the sign of the definite part.
fn degenerate_class(seen: &[ProbeBehaviour], pos: usize, neg: usize) -> Classification {
    let count = |b: ProbeBehaviour| seen.iter().filter(|&&s| s == b).count();
    let min_like = count(ProbeBehaviour::IncreasesOnBothSides);
    let max_like = count(ProbeBehaviour::DecreasesOnBothSides);
    let neither = count(ProbeBehaviour::IncreasesOnOneSide);
    let undecided = count(ProbeBehaviour::Undecided);
    if neither > 0
        || (min_like > 0 && max_like > 0)
        || (min_like > 0 && neg > 0)
        || (max_like > 0 && pos > 0)
    {
        Classification::DegenerateNeither
    } else if undecided > 0 {
        Classification::DegenerateUndecided
    } else if min_like > 0 {
        Classification::DegenerateLocalMinimum
    } else if max_like > 0 {
        Classification::DegenerateLocalMaximum
    } else {
        Classification::DegenerateUndecided
    }
}

/// The projected Hessian test and, when it is singular, higher-order probes along `M`.
pub fn classify(
    sys: &LagrangeSystem,
    cons: &Constraints,
    x: &[Float],
    lam: &Float,
    st: &SearchSettings,
) -> (Classification, Vec<f64>, ClassificationDetail) {
    let Some(ph) = projected_hessian(sys, x, lam, st.prec) else {
        return (
            Classification::DegenerateUndecided,
            Vec::new(),
            ClassificationDetail::EvaluationFailed,
        );
    };
    let eig = &ph.eig;
    let pos = eig.iter().filter(|&&e| e > ph.tol).count();
    let neg = eig.iter().filter(|&&e| e < -ph.tol).count();
    let null: Vec<usize> = (0..eig.len()).filter(|&i| eig[i].abs() <= ph.tol).collect();
    if pos > 0 && neg > 0 {
        let detail = ClassificationDetail::Saddle {
            positive: pos,
            negative: neg,
        };
        return (Classification::Saddle, ph.eig, detail);
    }
    if null.is_empty() {
        return if neg == 0 {
            let d = ClassificationDetail::PositiveDefinite;
            (Classification::LocalMinimum, ph.eig, d)
        } else {
            let d = ClassificationDetail::NegativeDefinite;
            (Classification::LocalMaximum, ph.eig, d)
        };
    }
    // Degenerate: probe along M in the null directions.
    let dirs = probe_directions(&ph, &null);
    let seen: Vec<ProbeBehaviour> = dirs
        .iter()
        .map(|d| probe(sys, cons, x, d, &ph.h0, st))
        .collect();
    let class = degenerate_class(&seen, pos, neg);
    let mut behaviours = seen;
    behaviours.sort_unstable();
    behaviours.dedup();
    let detail = ClassificationDetail::Degenerate {
        null_directions: null.len(),
        threshold: DEGENERATE_THRESHOLD,
        probe_directions: dirs.len(),
        behaviours,
    };
    (class, ph.eig, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minset::precision_for;
    use ngd_expr::{Arena, ExprId};

    /// Builds `(h, g)` over `n` variables with the given closure, runs the search from the
    /// given starts (already on M), and returns the classified points.
    fn solve(
        n: usize,
        starts: &[Vec<f64>],
        build: impl FnOnce(&mut Arena, &[ExprId]) -> (ExprId, ExprId),
    ) -> Vec<LagrangePoint> {
        let names: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
        let mut a = Arena::new(names);
        let vars: Vec<ExprId> = (0..n).map(|i| a.var(i)).collect();
        let (h, g) = build(&mut a, &vars);
        let sys = LagrangeSystem::new(&mut a, h, g);
        let cons = Constraints::new(&mut a, &[g]);
        let bx = BoxF {
            lo: vec![-3.0; n],
            hi: vec![3.0; n],
        };
        let st = SearchSettings {
            digits: 40,
            prec: precision_for(40),
            patience: 0,
            max_starts: starts.len(),
        };
        search(&sys, &cons, &bx, starts, || None, &st).0
    }

    fn find<'a>(pts: &'a [LagrangePoint], x: &[f64]) -> &'a LagrangePoint {
        pts.iter()
            .find(|p| crate::linalg::dist_inf(&p.approx(), x) < 1e-8)
            .unwrap_or_else(|| panic!("no point at {x:?}"))
    }

    #[test]
    fn linear_function_on_the_circle() {
        // h = x on x^2 + y^2 = 1: minimum (-1, 0), maximum (1, 0).
        let starts: Vec<Vec<f64>> = (0..12)
            .map(|k| {
                let t = 0.5 + k as f64 * 0.5;
                vec![t.cos(), t.sin()]
            })
            .collect();
        let pts = solve(2, &starts, |a, v| {
            let x2 = a.powi(v[0], 2);
            let y2 = a.powi(v[1], 2);
            let one = a.int(1);
            let m1 = a.neg(one);
            let g = a.add(vec![x2, y2, m1]);
            (v[0], g)
        });
        assert_eq!(pts.len(), 2);
        assert_eq!(find(&pts, &[-1.0, 0.0]).class, Classification::LocalMinimum);
        assert_eq!(find(&pts, &[1.0, 0.0]).class, Classification::LocalMaximum);
        // Refined to the requested digits.
        assert!(pts.iter().all(|p| p.point.digits >= 30));
    }

    #[test]
    fn saddle_on_a_plane() {
        // h = x^2 - y^2 + z on z = 0: critical point at the origin, a saddle.
        let pts = solve(3, &[vec![0.3, -0.2, 0.0]], |a, v| {
            let x2 = a.powi(v[0], 2);
            let y2 = a.powi(v[1], 2);
            let h0 = a.sub(x2, y2);
            let h = a.add2(h0, v[2]);
            (h, v[2])
        });
        assert_eq!(pts.len(), 1);
        assert_eq!(pts[0].class, Classification::Saddle);
        assert!(pts[0].lambda.to_f64() - 1.0 < 1e-30);
    }

    #[test]
    fn degenerate_points_are_not_misclassified() {
        // On the line y = 0: h = x^3 has an inflection at 0 (neither), h = x^4 a
        // higher-order minimum, h = -x^4 a higher-order maximum.
        let cases: [(u32, bool, Classification); 3] = [
            (3, false, Classification::DegenerateNeither),
            (4, false, Classification::DegenerateLocalMinimum),
            (4, true, Classification::DegenerateLocalMaximum),
        ];
        for (k, negate, expect) in cases {
            let pts = solve(2, &[vec![0.4, 0.0], vec![-0.3, 0.0]], |a, v| {
                let p = a.powi(v[0], i64::from(k));
                let h = if negate { a.neg(p) } else { p };
                (h, v[1])
            });
            let p = find(&pts, &[0.0, 0.0]);
            assert_eq!(p.class, expect, "x^{k} negate={negate}: {:?}", p.detail);
            assert!(p.class.is_degenerate());
        }
    }

    #[test]
    fn degenerate_along_a_curve() {
        // The cubic's (1, 0): s = 9x^4 + 9y^4 on x^3 + y^3 = 1 is an inflection along M.
        let pts = solve(2, &[vec![0.999_f64.cbrt(), 0.1]], |a, v| {
            let x3 = a.powi(v[0], 3);
            let y3 = a.powi(v[1], 3);
            let m1 = a.int(-1);
            let g = a.add(vec![x3, y3, m1]);
            let dg = a.gradient(g);
            let s = a.dot(&dg, &dg);
            (s, g)
        });
        let p = find(&pts, &[1.0, 0.0]);
        assert_eq!(p.class, Classification::DegenerateNeither, "{:?}", p.detail);
    }
}
