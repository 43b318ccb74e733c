//! The Morse–Bott criteria along `M = {G = 0}` for `f = sum_i c_i g_i^2 + c_0`
//! (docs/math.md C3): `lambda_max(Hess f)`, `trace(Hess f)` and the worst-case increase
//! `m_eps`, each minimized on `M` by Riemannian gradient descent from many starts, with the
//! dimension of the minimizing set.
//!
//! On `M` the Hessian is `Hess f = 2 J^T C J` (`J` the Jacobian of `G`, `C = diag(c_i)`), so
//! `lambda_max = 2 sigma_max(C^(1/2) J)^2` and `trace = 2 sum_i c_i |grad g_i|^2`.

use crate::linalg::{min_norm_solve, norm, null_space, sym_eigen};
use crate::minset::{is_duplicate, RANK_THRESHOLD};
use crate::model::{BoxF, Constraints};
use crate::report::CriterionSummary;
use nalgebra::{DMatrix, DVector};
use ngd_check::Evidence;
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};

/// A function on `M` with its gradient.
pub type ValueGrad<'a> = &'a dyn Fn(&[f64]) -> Option<(f64, Vec<f64>)>;
/// A function on `M`.
pub type Value<'a> = &'a dyn Fn(&[f64]) -> Option<f64>;

/// Relative tolerance for "attains the minimum".
pub const TIE: f64 = 1e-6;

/// A compiled scalar function with its gradient.
pub struct Smooth {
    tape: Tape,
}

impl Smooth {
    /// Compiles `e` with its gradient.
    pub fn new(arena: &mut Arena, e: ExprId) -> Self {
        let mut outs = vec![e];
        outs.extend(arena.gradient(e));
        Smooth {
            tape: Tape::compile(arena, &outs),
        }
    }
    /// The value and gradient at `x`, `None` if not finite.
    pub fn value_grad(&self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
        let mut out = vec![0.0; self.tape.n_outputs()];
        let mut scratch = Vec::new();
        self.tape.eval_f64(x, &mut scratch, &mut out);
        out.iter()
            .all(|v| v.is_finite())
            .then(|| (out[0], out[1..].to_vec()))
    }
}

/// `2 C^(1/2) J` for the weights `c`.
pub fn weighted_jacobian(cons: &Constraints, w: &[f64], x: &[f64]) -> Option<DMatrix<f64>> {
    let mut scratch = Vec::new();
    let (_, mut j) = cons.eval(x, &mut scratch)?;
    for (i, wi) in w.iter().enumerate() {
        let s = wi.sqrt();
        for k in 0..j.ncols() {
            j[(i, k)] *= s;
        }
    }
    Some(j)
}

/// `lambda_max(2 J^T C J)` and a right singular vector of `C^(1/2) J` for it.
pub fn lambda_max(cons: &Constraints, w: &[f64], x: &[f64]) -> Option<(f64, Vec<f64>)> {
    let j = weighted_jacobian(cons, w, x)?;
    let a = j.transpose() * &j;
    let (vals, vecs) = sym_eigen(&a);
    let k = vals.len().checked_sub(1)?;
    Some((2.0 * vals[k], vecs.column(k).iter().copied().collect()))
}

/// `lambda_max` with its gradient: `d lambda = 4 sum_i c_i (J_i v)(d J_i v)` for the top
/// singular vector `v` (the derivative of `J` by central differences).
pub fn lambda_max_grad(cons: &Constraints, w: &[f64], x: &[f64]) -> Option<(f64, Vec<f64>)> {
    let (lam, v) = lambda_max(cons, w, x)?;
    let n = x.len();
    let q = |y: &[f64]| -> Option<f64> {
        let j = weighted_jacobian(cons, w, y)?;
        let jv = &j * DVector::from_column_slice(&v);
        Some(2.0 * jv.norm_squared())
    };
    let mut g = vec![0.0; n];
    let mut y = x.to_vec();
    for k in 0..n {
        let h = 1e-6 * (1.0 + x[k].abs());
        y[k] = x[k] + h;
        let a = q(&y)?;
        y[k] = x[k] - h;
        let b = q(&y)?;
        y[k] = x[k];
        g[k] = (a - b) / (2.0 * h);
    }
    Some((lam, g))
}

/// Projection of `g` on the tangent space `ker J`.
fn tangent_part(j: &DMatrix<f64>, g: &[f64]) -> Option<Vec<f64>> {
    let gv = DVector::from_column_slice(g);
    let jg = j * &gv;
    let c = min_norm_solve(j, &jg)?;
    Some((gv - c).iter().copied().collect())
}

/// Riemannian gradient descent on `M` with Armijo backtracking (retraction: Gauss–Newton
/// projection). Returns the final point and value.
fn descend(
    cons: &Constraints,
    bx: &BoxF,
    x0: &[f64],
    vg: ValueGrad<'_>,
    value: Value<'_>,
    iters: usize,
) -> Option<(Vec<f64>, f64)> {
    let mut scratch = Vec::new();
    let mut x = x0.to_vec();
    let (mut v, mut g) = vg(&x)?;
    let mut t = 0.1 * bx.diameter() / (1.0 + norm(&g));
    for _ in 0..iters {
        let (_, j) = cons.eval(&x, &mut scratch)?;
        let pg = tangent_part(&j, &g)?;
        let pn = norm(&pg);
        if pn <= 1e-11 * (1.0 + norm(&g)) {
            break;
        }
        let mut acc = None;
        for _ in 0..40 {
            let y0: Vec<f64> = x.iter().zip(&pg).map(|(a, b)| a - t * b).collect();
            if let Some(p) = cons.project(&y0, 2.0 * t * pn + 1e-12, &mut scratch) {
                if bx.contains(&p.x) {
                    if let Some(vy) = value(&p.x) {
                        if vy <= v - 1e-4 * t * pn * pn {
                            acc = Some((p.x, vy));
                            break;
                        }
                    }
                }
            }
            t *= 0.5;
            if t * pn < 1e-15 * (1.0 + norm(&x)) {
                break;
            }
        }
        let Some((y, _)) = acc else { break };
        x = y;
        let (nv, ng) = vg(&x)?;
        let dec = v - nv;
        v = nv;
        g = ng;
        t *= 2.0;
        if dec <= 1e-15 * (1.0 + v.abs()) {
            break;
        }
    }
    Some((x, v))
}

/// The numerical nullity of the Riemannian Hessian of `value` on `M` at `x` (second
/// differences of the pullback through the Gauss–Newton projection; threshold `1e-4`
/// relative to the largest eigenvalue).
fn argmin_nullity(cons: &Constraints, x: &[f64], value: Value<'_>) -> Option<usize> {
    let mut scratch = Vec::new();
    let (_, j) = cons.eval(x, &mut scratch)?;
    let z = null_space(&j, RANK_THRESHOLD);
    let d = z.ncols();
    if d == 0 {
        return Some(0);
    }
    let h = 1e-3 * (1.0 + norm(x));
    let phi = |xi: &[f64]| -> Option<f64> {
        let y: Vec<f64> = (0..x.len())
            .map(|k| x[k] + (0..d).map(|c| z[(k, c)] * xi[c]).sum::<f64>())
            .collect();
        let mut s = Vec::new();
        let p = cons.project(&y, 10.0 * h, &mut s)?;
        value(&p.x)
    };
    let f0 = phi(&vec![0.0; d])?;
    let mut hm = DMatrix::<f64>::zeros(d, d);
    let e = |i: usize, a: f64, k: usize, b: f64| -> Vec<f64> {
        let mut v = vec![0.0; d];
        v[i] += a;
        v[k] += b;
        v
    };
    for i in 0..d {
        let a = phi(&e(i, h, i, 0.0))?;
        let b = phi(&e(i, -h, i, 0.0))?;
        hm[(i, i)] = (a - 2.0 * f0 + b) / (h * h);
        for k in i + 1..d {
            let pp = phi(&e(i, h, k, h))?;
            let pm = phi(&e(i, h, k, -h))?;
            let mp = phi(&e(i, -h, k, h))?;
            let mm = phi(&e(i, -h, k, -h))?;
            let v = (pp - pm - mp + mm) / (4.0 * h * h);
            hm[(i, k)] = v;
            hm[(k, i)] = v;
        }
    }
    let (vals, _) = sym_eigen(&hm);
    let top = vals.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    if top == 0.0 {
        return Some(d);
    }
    Some(vals.iter().filter(|v| v.abs() <= 1e-4 * top).count())
}

/// `m_eps(x) = max_{|d| <= eps} f(x + d) - f(x)`: fixed-point ascent
/// `d <- eps grad f(x + d) / |grad f(x + d)|` from the top eigenvectors of `Hess f`.
pub fn worst_case(f: &Smooth, hess_dirs: &[Vec<f64>], x: &[f64], eps: f64) -> Option<f64> {
    let (f0, _) = f.value_grad(x)?;
    let mut best = f64::NEG_INFINITY;
    for dir in hess_dirs {
        for sign in [1.0, -1.0] {
            let mut d: Vec<f64> = dir.iter().map(|v| sign * eps * v).collect();
            let mut val = f64::NEG_INFINITY;
            for _ in 0..200 {
                let y: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + b).collect();
                let (fy, gy) = f.value_grad(&y)?;
                let gn = norm(&gy);
                if gn == 0.0 {
                    val = val.max(fy);
                    break;
                }
                let nd: Vec<f64> = gy.iter().map(|v| eps * v / gn).collect();
                let change = nd
                    .iter()
                    .zip(&d)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                d = nd;
                val = val.max(fy);
                if change <= 1e-14 * eps {
                    break;
                }
            }
            let y: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + b).collect();
            if let Some((fy, _)) = f.value_grad(&y) {
                val = val.max(fy);
            }
            best = best.max(val);
        }
    }
    Some(best - f0)
}

/// Minimization runs of one criterion and its summary.
pub struct Runs {
    /// The report entry.
    pub summary: CriterionSummary,
    /// The end points of the runs at the minimum.
    pub minimizers: Vec<Vec<f64>>,
}

/// Minimizes one criterion on `M` from every start and summarizes the runs: the minimum,
/// the fraction of runs at it (within `TIE` relative plus `abs_tie`), the dimension of the
/// minimizing set, a few representatives and the range of `phi` there.
#[allow(clippy::too_many_arguments)]
pub fn minimize_criterion(
    name: &str,
    cons: &Constraints,
    bx: &BoxF,
    starts: &[Vec<f64>],
    sampled_max: f64,
    vg: ValueGrad<'_>,
    value: Value<'_>,
    phi: Option<Value<'_>>,
    abs_tie: f64,
) -> Runs {
    let mut results: Vec<(Vec<f64>, f64)> = Vec::new();
    for s in starts {
        if let Some(r) = descend(cons, bx, s, vg, value, 300) {
            results.push(r);
        }
    }
    let min_value = results.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
    let tol = TIE * min_value.abs() + abs_tie;
    let at_min: Vec<Vec<f64>> = results
        .iter()
        .filter(|r| r.1 <= min_value + tol)
        .map(|r| r.0.clone())
        .collect();
    let fraction = if results.is_empty() {
        0.0
    } else {
        at_min.len() as f64 / results.len() as f64
    };
    let mut dims: Vec<usize> = at_min
        .iter()
        .take(4)
        .filter_map(|x| argmin_nullity(cons, x, value))
        .collect();
    dims.sort_unstable();
    let argmin_dimension = mode(&dims);
    let phi_range_at_argmin = phi.and_then(|p| range(at_min.iter().filter_map(|x| p(x))));
    let mut reps: Vec<Vec<f64>> = Vec::new();
    for x in &at_min {
        if reps.len() >= 6 {
            break;
        }
        if !is_duplicate(&reps, x, 1e-4) {
            reps.push(x.clone());
        }
    }
    Runs {
        summary: CriterionSummary {
            name: name.into(),
            min_value,
            max_sampled: sampled_max,
            runs: results.len(),
            fraction_at_min: fraction,
            tie_tolerance: TIE,
            argmin_dimension,
            representatives: reps,
            phi_range_at_argmin,
            evidence: Evidence::NumericalEvidence,
        },
        minimizers: at_min,
    }
}

/// The most frequent value (the first one among ties).
pub fn mode(v: &[usize]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for &d in v {
        let c = v.iter().filter(|&&e| e == d).count();
        if best.is_none_or(|(_, bc)| c > bc) {
            best = Some((d, c));
        }
    }
    best.map(|b| b.0)
}

/// `(min, max)` of the values, `None` when there are none.
pub fn range(it: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let mut r: Option<(f64, f64)> = None;
    for v in it {
        r = Some(match r {
            None => (v, v),
            Some((a, b)) => (a.min(v), b.max(v)),
        });
    }
    r
}
