//! C2: sampling `M = {G = 0}` in the box, its local dimension, its components, and refined
//! representatives.

use crate::closed_form::{fmt_mp, recognize};
use crate::explain::{ComponentsMethod, DimensionMethod};
use crate::linalg::{dist, norm, null_space, rank};
use crate::model::{BoxF, Constraints};
use crate::report::{Component, Components, LocalDimension, RefinedPoint};
use inari::Interval;
use ngd_certify::{krawczyk, pt};
use ngd_check::{Evidence, RationalBox};
use rand::Rng;
use rand_pcg::Pcg64;
use rug::{Float, Rational};

/// The relative singular-value threshold for ranks.
pub const RANK_THRESHOLD: f64 = 1e-8;

/// Uniform random point of the box.
pub fn random_point(bx: &BoxF, rng: &mut Pcg64) -> Vec<f64> {
    bx.lo
        .iter()
        .zip(&bx.hi)
        .map(|(a, b)| a + (b - a) * rng.random::<f64>())
        .collect()
}

/// True when `x` is within relative distance `tol` of a point of `pts`.
pub fn is_duplicate(pts: &[Vec<f64>], x: &[f64], tol: f64) -> bool {
    let s = 1.0 + norm(x);
    pts.iter().any(|p| dist(p, x) <= tol * s)
}

/// Projects `count` random points of the box onto `M`; keeps the converged ones inside the
/// box, without duplicates.
pub fn sample_on_m(
    cons: &Constraints,
    bx: &BoxF,
    count: usize,
    rng: &mut Pcg64,
    out: &mut Vec<Vec<f64>>,
) {
    let mut scratch = Vec::new();
    let max_step = 0.5 * bx.diameter();
    for _ in 0..count {
        let x0 = random_point(bx, rng);
        if let Some(p) = cons.project(&x0, max_step, &mut scratch) {
            if bx.contains(&p.x) && !is_duplicate(out, &p.x, 1e-7) {
                out.push(p.x);
            }
        }
    }
}

/// Local dimension `n - rank J` at each point.
pub fn local_dimensions(cons: &Constraints, pts: &[Vec<f64>]) -> Vec<usize> {
    let mut scratch = Vec::new();
    pts.iter()
        .map(|x| match cons.eval(x, &mut scratch) {
            Some((_, j)) => cons.n - rank(&j, RANK_THRESHOLD),
            None => cons.n,
        })
        .collect()
}

/// The dimension report from per-point dimensions.
pub fn dimension_report(dims: &[usize], method: DimensionMethod, threshold: f64) -> LocalDimension {
    let mut hist: Vec<(usize, usize)> = Vec::new();
    for &d in dims {
        match hist.iter_mut().find(|(k, _)| *k == d) {
            Some((_, c)) => *c += 1,
            None => hist.push((d, 1)),
        }
    }
    hist.sort();
    let mode = hist
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|&(d, _)| d);
    LocalDimension {
        dimension: mode,
        histogram: hist,
        rank_threshold: threshold,
        method,
        evidence: Evidence::NumericalEvidence,
    }
}

/// A branch of a curve traced by continuation.
pub struct Branch {
    /// The polyline, in order along the curve.
    pub path: Vec<Vec<f64>>,
    /// Unit tangents along it (consistently oriented).
    pub tangents: Vec<Vec<f64>>,
    /// Closed inside the box / leaves the box at both ends / unknown.
    pub closed: Option<bool>,
}

fn tangent(cons: &Constraints, x: &[f64], scratch: &mut Vec<f64>) -> Option<Vec<f64>> {
    let (_, j) = cons.eval(x, scratch)?;
    let z = null_space(&j, RANK_THRESHOLD);
    if z.ncols() != 1 {
        return None;
    }
    Some(z.column(0).iter().copied().collect())
}

/// Follows the curve through `start` in both directions until it leaves the box, closes,
/// or meets a point where it cannot go on (a singular point).
pub fn trace_curve(cons: &Constraints, start: &[f64], bx: &BoxF, h0: f64) -> Branch {
    let mut scratch = Vec::new();
    let Some(t0) = tangent(cons, start, &mut scratch) else {
        return Branch {
            path: vec![start.to_vec()],
            tangents: vec![vec![0.0; start.len()]],
            closed: None,
        };
    };
    type Half = (Vec<Vec<f64>>, Vec<Vec<f64>>);
    let mut halves: Vec<Half> = Vec::new();
    let mut ends: Vec<&'static str> = Vec::new();
    for sign in [1.0, -1.0] {
        let mut x = start.to_vec();
        let mut t: Vec<f64> = t0.iter().map(|v| v * sign).collect();
        let mut h = h0;
        let mut pts = Vec::new();
        let mut tans = Vec::new();
        let mut end = "stopped";
        let mut travelled = 0.0;
        for _ in 0..20_000 {
            let pred: Vec<f64> = x.iter().zip(&t).map(|(a, b)| a + h * b).collect();
            let ok = cons.project(&pred, h, &mut scratch).and_then(|p| {
                let d = dist(&p.x, &x);
                if d > 2.0 * h || d < 0.2 * h {
                    return None;
                }
                let mut tn = tangent(cons, &p.x, &mut scratch)?;
                let dot: f64 = tn.iter().zip(&t).map(|(a, b)| a * b).sum();
                if dot < 0.0 {
                    tn.iter_mut().for_each(|v| *v = -*v);
                }
                if dot.abs() < 0.95 {
                    return None;
                }
                Some((p.x, tn, d))
            });
            match ok {
                None => {
                    h *= 0.5;
                    if h < h0 * 1e-4 {
                        break;
                    }
                }
                Some((y, tn, d)) => {
                    travelled += d;
                    x = y;
                    t = tn;
                    pts.push(x.clone());
                    tans.push(t.clone());
                    if !bx.contains(&x) {
                        end = "left";
                        break;
                    }
                    if travelled > 4.0 * h0 && dist(&x, start) < 1.5 * h0 {
                        end = "closed";
                        break;
                    }
                    h = (h * 1.5).min(h0);
                }
            }
        }
        halves.push((pts, tans));
        ends.push(end);
        if end == "closed" {
            break;
        }
    }
    let closed = match ends.as_slice() {
        ["closed"] => Some(true),
        ["left", "left"] => Some(false),
        _ => None,
    };
    let mut path = Vec::new();
    let mut tangents = Vec::new();
    if let Some((p, tns)) = halves.get(1) {
        for (x, t) in p.iter().zip(tns).rev() {
            path.push(x.clone());
            tangents.push(t.clone());
        }
    }
    path.push(start.to_vec());
    tangents.push(t0.clone());
    if let Some((p, tns)) = halves.first() {
        path.extend(p.iter().cloned());
        tangents.extend(tns.iter().cloned());
    }
    Branch {
        path,
        tangents,
        closed,
    }
}

/// Components of sampled points: for curves by tracing branches, for isolated points one
/// each, otherwise by chains of short projected walks between near neighbours. Returns the
/// component of each sample, the report, and the traced branches (curves only).
pub fn components(
    cons: &Constraints,
    pts: &[Vec<f64>],
    dim: usize,
    bx: &BoxF,
) -> (Vec<usize>, Components, Vec<Branch>) {
    let (comp, list, branches, method) = match dim {
        1 => {
            let (comp, list, branches) = curve_components(cons, pts, bx);
            (comp, list, branches, ComponentsMethod::CurveContinuation)
        }
        0 => {
            let (comp, list) = isolated_components(pts);
            (comp, list, Vec::new(), ComponentsMethod::IsolatedPoints)
        }
        _ => {
            let (comp, list) = walk_components(cons, pts, bx);
            (comp, list, Vec::new(), ComponentsMethod::ProjectedWalks)
        }
    };
    let report = Components {
        count: list.len(),
        components: list,
        method,
        evidence: Evidence::NumericalEvidence,
    };
    (comp, report, branches)
}

/// Curves: one branch traced from each sample not yet covered; the samples within two steps
/// of a branch belong to it (every sample gets a component).
fn curve_components(
    cons: &Constraints,
    pts: &[Vec<f64>],
    bx: &BoxF,
) -> (Vec<usize>, Vec<Component>, Vec<Branch>) {
    let n_pts = pts.len();
    let mut comp = vec![usize::MAX; n_pts];
    let mut branches = Vec::new();
    let mut list = Vec::new();
    let h0 = bx.diameter() / 300.0;
    for i in 0..n_pts {
        if comp[i] != usize::MAX {
            continue;
        }
        let b = trace_curve(cons, &pts[i], bx, h0);
        let id = list.len();
        let mut count = 0;
        for k in 0..n_pts {
            if comp[k] == usize::MAX && b.path.iter().any(|p| dist(p, &pts[k]) < 2.0 * h0) {
                comp[k] = id;
                count += 1;
            }
        }
        if comp[i] == usize::MAX {
            comp[i] = id;
            count += 1;
        }
        list.push(Component {
            samples: count,
            representative: pts[i].clone(),
            closed: b.closed,
        });
        branches.push(b);
    }
    (comp, list, branches)
}

/// Isolated points: each distinct sample is its own component.
fn isolated_components(pts: &[Vec<f64>]) -> (Vec<usize>, Vec<Component>) {
    let list = pts
        .iter()
        .map(|p| Component {
            samples: 1,
            representative: p.clone(),
            closed: None,
        })
        .collect();
    ((0..pts.len()).collect(), list)
}

/// The root of `i` in the union-find forest `p` (with path compression).
fn find_root(p: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while p[r] != r {
        r = p[r];
    }
    let mut k = i;
    while p[k] != r {
        let nx = p[k];
        p[k] = r;
        k = nx;
    }
    r
}

/// Pairs `(distance, i, k)` with `i < k` of each sample and its (at most eight) nearest
/// neighbours closer than half the box diameter, sorted by distance then indices, unique.
fn near_pairs(pts: &[Vec<f64>], diam: f64) -> Vec<(f64, usize, usize)> {
    let n_pts = pts.len();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..n_pts {
        let mut near: Vec<(f64, usize)> = (0..n_pts)
            .filter(|&k| k != i)
            .map(|k| (dist(&pts[i], &pts[k]), k))
            .filter(|(d, _)| *d < diam / 2.0)
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(d, k) in near.iter().take(8) {
            pairs.push((d, i.min(k), i.max(k)));
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    pairs.dedup_by(|a, b| a.1 == b.1 && a.2 == b.2);
    pairs
}

/// True when a walk on `M` from `a` reaches `b`: steps of about `hc` along the segment,
/// each projected back by Gauss–Newton and moving at most three steps.
fn joined_by_walk(
    cons: &Constraints,
    a: &[f64],
    b: &[f64],
    d: f64,
    hc: f64,
    scratch: &mut Vec<f64>,
) -> bool {
    let steps = ((d / hc).ceil().max(1.0) as usize).min(200);
    let dn = d / steps as f64;
    let mut y = a.to_vec();
    for s in 0..steps {
        // Aim at the other sample: divide what is left by the steps left.
        let left = (steps - s) as f64;
        let pred: Vec<f64> = y.iter().zip(b).map(|(p, q)| p + (q - p) / left).collect();
        match cons.project(&pred, 3.0 * dn, scratch) {
            Some(p) if dist(&p.x, &y) <= 3.0 * dn + 1e-12 => y = p.x,
            _ => return false,
        }
    }
    dist(&y, b) <= 2.0 * dn + 1e-9
}

/// Positive-dimensional `M`: the union of samples joined by walks on `M` between near
/// neighbours; components numbered in order of their first sample.
fn walk_components(
    cons: &Constraints,
    pts: &[Vec<f64>],
    bx: &BoxF,
) -> (Vec<usize>, Vec<Component>) {
    let n_pts = pts.len();
    let mut parent: Vec<usize> = (0..n_pts).collect();
    let diam = bx.diameter();
    let hc = diam / 100.0;
    let mut scratch = Vec::new();
    for (d, i, k) in near_pairs(pts, diam) {
        let (ri, rk) = (find_root(&mut parent, i), find_root(&mut parent, k));
        if ri != rk && joined_by_walk(cons, &pts[i], &pts[k], d, hc, &mut scratch) {
            parent[ri] = rk;
        }
    }
    let mut comp = vec![usize::MAX; n_pts];
    let mut list: Vec<Component> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    for i in 0..n_pts {
        let r = find_root(&mut parent, i);
        let id = match roots.iter().position(|&q| q == r) {
            Some(id) => id,
            None => {
                roots.push(r);
                list.push(Component {
                    samples: 0,
                    representative: pts[i].clone(),
                    closed: None,
                });
                roots.len() - 1
            }
        };
        comp[i] = id;
        list[id].samples += 1;
    }
    (comp, list)
}

/// MPFR precision used for `digits` significant digits (room for degenerate roots, whose
/// residuals are the square of the error).
pub fn precision_for(digits: u32) -> u32 {
    ((2 * digits + 30) as f64 * std::f64::consts::LOG2_10).ceil() as u32
}

/// Builds the report entry of a refined point.
pub fn refined_point(x: &[Float], last_step: f64, digits: u32) -> RefinedPoint {
    let achieved = if last_step <= 0.0 {
        digits
    } else {
        ((-last_step.log10()).floor().max(0.0) as u32).min(digits)
    };
    RefinedPoint {
        coords: x.iter().map(|v| fmt_mp(v, digits)).collect(),
        approx: x.iter().map(Float::to_f64).collect(),
        closed_form: x
            .iter()
            .map(|v| recognize(v, achieved.saturating_sub(5)))
            .collect(),
        digits: achieved,
    }
}

/// Tries to prove that `G` has a zero in a small box around `x` (inside the search box):
/// Krawczyk on the square subsystem in the `m` best-conditioned coordinates (greedy column
/// pivoting), the other coordinates fixed at the `f64` values of `x`. Returns the
/// coordinates of the subsystem (1-based) when the zero is proved.
pub fn prove_zero_near(cons: &Constraints, x: &[f64], rbox: &RationalBox) -> Option<Vec<usize>> {
    let mut scratch = Vec::new();
    let (_, j) = cons.eval(x, &mut scratch)?;
    let (m, n) = (cons.m, cons.n);
    // Greedy column pivoting (Gram–Schmidt on the columns).
    let mut cols: Vec<Vec<f64>> = (0..n)
        .map(|c| j.column(c).iter().copied().collect())
        .collect();
    let mut chosen = Vec::new();
    for _ in 0..m {
        let best = (0..n)
            .filter(|c| !chosen.contains(c))
            .max_by(|&a, &b| norm(&cols[a]).total_cmp(&norm(&cols[b])).then(b.cmp(&a)))?;
        let nb = norm(&cols[best]);
        if nb == 0.0 {
            return None;
        }
        let q: Vec<f64> = cols[best].iter().map(|v| v / nb).collect();
        chosen.push(best);
        for c in 0..n {
            if !chosen.contains(&c) {
                let d: f64 = cols[c].iter().zip(&q).map(|(a, b)| a * b).sum();
                for (v, qi) in cols[c].iter_mut().zip(&q) {
                    *v -= d * qi;
                }
            }
        }
    }
    chosen.sort_unstable();
    let mid: Vec<f64> = chosen.iter().map(|&c| x[c]).collect();
    let rad: Vec<f64> = mid.iter().map(|v| 1e-9 * v.abs().max(1.0)).collect();
    // The box must lie inside the search box.
    for (k, &c) in chosen.iter().enumerate() {
        let lo = Rational::from_f64(mid[k] - 2.0 * rad[k])?;
        let hi = Rational::from_f64(mid[k] + 2.0 * rad[k])?;
        if lo < rbox.lo[c] || hi > rbox.hi[c] {
            return None;
        }
    }
    for c in 0..n {
        if !chosen.contains(&c) {
            let q = Rational::from_f64(x[c])?;
            if q < rbox.lo[c] || q > rbox.hi[c] {
                return None;
            }
        }
    }
    let full = |xi: &[Interval]| -> Vec<Interval> {
        let mut v: Vec<Interval> = x.iter().map(|&a| pt(a)).collect();
        for (k, &c) in chosen.iter().enumerate() {
            v[c] = xi[k];
        }
        v
    };
    let ok = krawczyk(
        &mid,
        &rad,
        |xi| cons.eval_iv(&full(xi)).map(|(g, _)| g),
        |xi| {
            cons.eval_iv(&full(xi)).map(|(_, jj)| {
                jj.iter()
                    .map(|row| chosen.iter().map(|&c| row[c]).collect())
                    .collect()
            })
        },
    );
    ok.then(|| chosen.iter().map(|c| c + 1).collect())
}
