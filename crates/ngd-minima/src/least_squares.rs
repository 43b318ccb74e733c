//! The least-squares path `f = sum_i c_i g_i^2 + c_0` (smooth, Morse–Bott on `M = {G = 0}`):
//! the criteria `lambda_max(Hess f)`, `trace(Hess f)` and `m_eps` along `M`, each minimized
//! on `M` from many starts, and the sets they single out (docs/math.md C3).
//!
//! On `M` the Hessian is `Hess f = 2 J^T C J` (`J` the Jacobian of `G`, `C = diag(c_i)`), so
//! `lambda_max = 2 sigma_max(C^(1/2) J)^2` and `trace = 2 sum_i c_i |grad g_i|^2`.

use crate::linalg::{min_norm_solve, norm, null_space, sym_eigen};
use crate::linalg::{norm_inf_mp, solve_mp};
use crate::minset::{is_duplicate, RANK_THRESHOLD};
use crate::minset::{precision_for, refined_point};
use crate::model::{BoxF, Constraints};
use crate::report::*;
use crate::scalar::{box_f64, minimum_set, C2Setup};
use crate::strict::{check_point, summarize, C6Context, SPoint, SecondOrder};
use crate::MinimaOptions;
use nalgebra::{DMatrix, DVector};
use ngd_check::{Evidence, RationalBox};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Node, Rational};
use rand::SeedableRng;
use rand_pcg::Pcg64;
use rug::Float;

/// A function on `M` with its gradient.
type ValueGrad<'a> = &'a dyn Fn(&[f64]) -> Option<(f64, Vec<f64>)>;
/// A function on `M`.
type Value<'a> = &'a dyn Fn(&[f64]) -> Option<f64>;

/// Relative tolerance for "attains the minimum".
const TIE: f64 = 1e-6;

/// A compiled scalar function with its gradient.
struct Smooth {
    tape: Tape,
}

impl Smooth {
    fn new(arena: &mut Arena, e: ExprId) -> Self {
        let mut outs = vec![e];
        outs.extend(arena.gradient(e));
        Smooth {
            tape: Tape::compile(arena, &outs),
        }
    }
    fn value_grad(&self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
        let mut out = vec![0.0; self.tape.n_outputs()];
        let mut scratch = Vec::new();
        self.tape.eval_f64(x, &mut scratch, &mut out);
        out.iter()
            .all(|v| v.is_finite())
            .then(|| (out[0], out[1..].to_vec()))
    }
}

/// `2 C^(1/2) J` for the weights `c`.
fn weighted_jacobian(cons: &Constraints, w: &[f64], x: &[f64]) -> Option<DMatrix<f64>> {
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
fn lambda_max(cons: &Constraints, w: &[f64], x: &[f64]) -> Option<(f64, Vec<f64>)> {
    let j = weighted_jacobian(cons, w, x)?;
    let a = j.transpose() * &j;
    let (vals, vecs) = sym_eigen(&a);
    let k = vals.len().checked_sub(1)?;
    Some((2.0 * vals[k], vecs.column(k).iter().copied().collect()))
}

/// `lambda_max` with its gradient: `d lambda = 4 sum_i c_i (J_i v)(d J_i v)` for the top
/// singular vector `v` (the derivative of `J` by central differences).
fn lambda_max_grad(cons: &Constraints, w: &[f64], x: &[f64]) -> Option<(f64, Vec<f64>)> {
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
fn worst_case(f: &Smooth, hess_dirs: &[Vec<f64>], x: &[f64], eps: f64) -> Option<f64> {
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
struct Runs {
    summary: CriterionSummary,
    minimizers: Vec<Vec<f64>>,
}

#[allow(clippy::too_many_arguments)]
fn minimize_criterion(
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

fn mode(v: &[usize]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for &d in v {
        let c = v.iter().filter(|&&e| e == d).count();
        if best.is_none_or(|(_, bc)| c > bc) {
            best = Some((d, c));
        }
    }
    best.map(|b| b.0)
}

fn range(it: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let mut r: Option<(f64, f64)> = None;
    for v in it {
        r = Some(match r {
            None => (v, v),
            Some((a, b)) => (a.min(v), b.max(v)),
        });
    }
    r
}

/// The constant term `c_0` of `f = sum c_i g_i^2 + c_0`.
fn constant_term(arena: &Arena, f: ExprId) -> Rational {
    match arena.node(f) {
        Node::Add(ts) => ts
            .iter()
            .filter_map(|&t| arena.as_const(t).cloned())
            .fold(Rational::new(), |a, b| a + b),
        _ => Rational::new(),
    }
}

/// The least-squares path.
pub fn analyse(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    residuals: &[(Rational, ExprId)],
    bx: &RationalBox,
    opts: &MinimaOptions,
) -> MinimaReport {
    let bxf = box_f64(bx);
    let gs: Vec<ExprId> = residuals.iter().map(|r| r.1).collect();
    let w: Vec<f64> = residuals.iter().map(|r| r.0.to_f64()).collect();
    let cons = Constraints::new(arena, &gs);
    let mut rng = Pcg64::seed_from_u64(opts.seed);
    let c0 = constant_term(arena, f);
    let setup = C2Setup {
        structure: format!("f = |G|^2 (least squares, {} residuals)", gs.len()),
        description: format!("M = {{G = 0}}, G = ({} residuals)", gs.len()),
        lower_bound: LowerBound {
            value: Some(c0.to_string()),
            evidence: Evidence::Proved,
            reason: format!("f = sum_i c_i g_i^2 + {c0} with every weight c_i > 0, so f >= {c0}"),
        },
        inf_value: c0.clone(),
        cons: &cons,
        dim_method: "n - rank(J_G) at the sampled points (M = {G = 0} is a regular level set \
                     where J_G has full rank; f is then Morse-Bott with Hess f = 2 J^T C J)",
    };
    let (minimum_set, pts, _) = minimum_set(arena, f, setup, bx, &bxf, opts, &mut rng);
    let n = cons.n;
    if pts.is_empty() {
        return crate::scalar::fallback_to_general(arena, f, phi, bx, opts, minimum_set);
    }
    let dim = minimum_set.dimension.dimension.unwrap_or(0);

    // Criteria.
    let mut trace_e = Vec::new();
    for (k, &g) in gs.iter().enumerate() {
        let dg = arena.gradient(g);
        let sq = arena.dot(&dg, &dg);
        let c = arena.constant(residuals[k].0.clone() * Rational::from(2));
        trace_e.push(arena.mul2(c, sq));
    }
    let trace_expr = arena.add(trace_e);
    let trace = Smooth::new(arena, trace_expr);
    let f_s = Smooth::new(arena, f);
    let phi_s = phi.map(|p| Smooth::new(arena, p));

    let trace_vg = |x: &[f64]| trace.value_grad(x);
    let trace_v = |x: &[f64]| trace.value_grad(x).map(|v| v.0);
    let lam_vg = |x: &[f64]| lambda_max_grad(&cons, &w, x);
    let lam_v = |x: &[f64]| lambda_max(&cons, &w, x).map(|v| v.0);
    let phi_v = |x: &[f64]| phi_s.as_ref().and_then(|p| p.value_grad(x)).map(|v| v.0);
    let phi_opt: Option<Value<'_>> = if phi.is_some() { Some(&phi_v) } else { None };

    let runs = opts.morse_bott_runs.min(pts.len());
    // Spread the starts over the samples deterministically.
    let starts: Vec<Vec<f64>> = (0..runs)
        .map(|k| pts[k * pts.len() / runs].clone())
        .collect();
    let trace_max = pts
        .iter()
        .filter_map(|x| trace_v(x))
        .fold(f64::NEG_INFINITY, f64::max);
    let lam_max_s = pts
        .iter()
        .filter_map(|x| lam_v(x))
        .fold(f64::NEG_INFINITY, f64::max);
    let tr = minimize_criterion(
        "trace(Hess f)",
        &cons,
        &bxf,
        &starts,
        trace_max,
        &trace_vg,
        &trace_v,
        phi_opt,
        1e-9,
    );
    let lm = minimize_criterion(
        "lambda_max(Hess f)",
        &cons,
        &bxf,
        &starts,
        lam_max_s,
        &lam_vg,
        &lam_v,
        phi_opt,
        1e-9,
    );
    let lam_at_tr =
        range(tr.minimizers.iter().filter_map(|x| lam_v(x))).unwrap_or((f64::NAN, f64::NAN));
    let tr_at_lam =
        range(lm.minimizers.iter().filter_map(|x| trace_v(x))).unwrap_or((f64::NAN, f64::NAN));

    // Worst-case increase.
    let dirs_at = |x: &[f64]| -> Vec<Vec<f64>> {
        let Some(j) = weighted_jacobian(&cons, &w, x) else {
            return Vec::new();
        };
        let a = j.transpose() * &j;
        let (_, vecs) = sym_eigen(&a);
        (0..n.min(3))
            .map(|i| vecs.column(n - 1 - i).iter().copied().collect())
            .collect()
    };
    let mut worst = Vec::new();
    let groups: Vec<(&str, Vec<Vec<f64>>)> = vec![
        (
            "trace minimizers",
            tr.minimizers.iter().take(8).cloned().collect(),
        ),
        (
            "lambda_max minimizers",
            lm.minimizers.iter().take(12).cloned().collect(),
        ),
        ("samples of M", pts.iter().take(8).cloned().collect()),
    ];
    let mut meps_all: Vec<(f64, usize, f64, Vec<f64>)> = Vec::new(); // (eps, group, value, x)
    for &eps in &opts.eps {
        for (gi, (label, xs)) in groups.iter().enumerate() {
            let mut vals = Vec::new();
            for x in xs {
                let d = dirs_at(x);
                if let Some(v) = worst_case(&f_s, &d, x, eps) {
                    vals.push((v, x.clone()));
                    meps_all.push((eps, gi, v, x.clone()));
                }
            }
            if vals.is_empty() {
                continue;
            }
            let (mi, ma) = range(vals.iter().map(|v| v.0)).unwrap_or((f64::NAN, f64::NAN));
            let at = vals
                .iter()
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|v| v.1.clone());
            worst.push(WorstCaseIncrease {
                eps,
                at: label.to_string(),
                points: vals.len(),
                min: mi,
                max: ma,
                phi_at_min: at.and_then(|x| phi_v(&x)),
            });
        }
    }

    // Findings.
    let mut findings = Vec::new();
    let dim_txt = |d: Option<usize>| d.map_or("unknown".to_string(), |d| d.to_string());
    findings.push(format!(
        "trace(Hess f) attains its minimum {:.10} on a set of dimension {} ({:.0}% of {} runs \
         end there)",
        tr.summary.min_value,
        dim_txt(tr.summary.argmin_dimension),
        100.0 * tr.summary.fraction_at_min,
        tr.summary.runs
    ));
    let lam_star = lm.summary.min_value;
    let larger = tr_at_lam.1 - tr_at_lam.0 > 1e-4 * (1.0 + tr.summary.min_value.abs());
    findings.push(format!(
        "lambda_max(Hess f) attains its minimum {:.10} on a set of dimension {} ({:.0}% of {} \
         runs); over these minimizers trace(Hess f) ranges over [{:.6}, {:.6}]{}",
        lam_star,
        dim_txt(lm.summary.argmin_dimension),
        100.0 * lm.summary.fraction_at_min,
        lm.summary.runs,
        tr_at_lam.0,
        tr_at_lam.1,
        if larger {
            ": lambda_max ties on a larger set than the trace minimizers"
        } else {
            ": the same set as the trace minimizers"
        }
    ));
    let lam_tie_at_tr = (lam_at_tr.1 - lam_star).abs() <= TIE * lam_star.abs() + 1e-9;
    findings.push(format!(
        "at the trace minimizers lambda_max = [{:.10}, {:.10}]: {}",
        lam_at_tr.0,
        lam_at_tr.1,
        if lam_tie_at_tr {
            "they also minimize lambda_max"
        } else {
            "they do not minimize lambda_max"
        }
    ));
    for &eps in &opts.eps {
        let tr_vals: Vec<f64> = meps_all
            .iter()
            .filter(|m| m.0 == eps && m.1 == 0)
            .map(|m| m.2)
            .collect();
        let others: Vec<(f64, f64)> = meps_all
            .iter()
            .filter(|m| m.0 == eps && m.1 == 1)
            .filter_map(|m| trace_v(&m.3).map(|t| (m.2, t)))
            .filter(|(_, t)| *t > tr.summary.min_value * (1.0 + 1e-4) + 1e-9)
            .collect();
        if let (Some(tmax), false) = (tr_vals.iter().copied().reduce(f64::max), others.is_empty()) {
            let omin = others.iter().map(|o| o.0).fold(f64::INFINITY, f64::min);
            let verdict = if tmax < omin * (1.0 - 1e-9) {
                "the higher-order terms single out the trace minimizers"
            } else if (tmax - omin).abs() <= 1e-9 * tmax.abs() {
                "equal within 1e-9 (relative): m_eps does not separate them at this radius"
            } else {
                "m_eps is not smaller at the trace minimizers"
            };
            findings.push(format!(
                "m_eps (eps = {eps:e}): at most {tmax:.10e} at the trace minimizers, at least \
                 {omin:.10e} at the lambda_max minimizers that do not minimize the trace: \
                 {verdict}"
            ));
        } else if let Some(tmax) = tr_vals.iter().copied().reduce(f64::max) {
            findings.push(format!(
                "m_eps (eps = {eps:e}): at most {tmax:.10e} at the trace minimizers"
            ));
        }
    }

    let flat_sets = {
        let mut v = vec![FlatSet {
            criterion: "minimizers of trace(Hess f) on M".into(),
            dimension: tr.summary.argmin_dimension,
            representatives: tr.summary.representatives.clone(),
            phi_range: tr.summary.phi_range_at_argmin,
            evidence: Evidence::NumericalEvidence,
        }];
        if larger {
            v.push(FlatSet {
                criterion: "minimizers of lambda_max(Hess f) on M (second-order flatness only)"
                    .into(),
                dimension: lm.summary.argmin_dimension,
                representatives: lm.summary.representatives.clone(),
                phi_range: lm.summary.phi_range_at_argmin,
                evidence: Evidence::NumericalEvidence,
            });
        }
        v
    };

    // S = argmin_M phi.
    let reg_runs = phi_s.as_ref().map(|ps| {
        let pvg = |x: &[f64]| ps.value_grad(x);
        let pv = |x: &[f64]| ps.value_grad(x).map(|v| v.0);
        let pmax = pts
            .iter()
            .filter_map(|x| pv(x))
            .fold(f64::NEG_INFINITY, f64::max);
        let pr = minimize_criterion("phi", &cons, &bxf, &starts, pmax, &pvg, &pv, None, 1e-9);
        let trace_at_s = range(pr.minimizers.iter().filter_map(|x| trace_v(x)));
        let phi_at_tr = tr.summary.phi_range_at_argmin;
        let pmin = pr.summary.min_value;
        let s_in_flat = trace_at_s.is_some_and(|(_, b)| {
            b <= tr.summary.min_value + TIE * tr.summary.min_value.abs() + 1e-6
        });
        let flat_in_s = phi_at_tr.is_some_and(|(_, b)| b <= pmin + TIE * pmin.abs() + 1e-6);
        let same_dim = pr.summary.argmin_dimension == tr.summary.argmin_dimension;
        let equals = Some(s_in_flat && flat_in_s && same_dim);
        let comparison = format!(
            "phi at the trace minimizers: [{:.3e}, {:.3e}]; trace(Hess f) at the minimizers of \
             phi: [{:.10}, {:.10}] (its minimum is {:.10}); dimensions {} (S) and {} (trace \
             minimizers)",
            phi_at_tr.map_or(f64::NAN, |r| r.0),
            phi_at_tr.map_or(f64::NAN, |r| r.1),
            trace_at_s.map_or(f64::NAN, |r| r.0),
            trace_at_s.map_or(f64::NAN, |r| r.1),
            tr.summary.min_value,
            dim_txt(pr.summary.argmin_dimension),
            dim_txt(tr.summary.argmin_dimension)
        );
        let report = RegularizerMinima {
            critical_points: Vec::new(),
            search: None,
            s_points: Vec::new(),
            min_value: Some(pmin),
            s_set: Some(FlatSet {
                criterion: "minimizers of phi on M".into(),
                dimension: pr.summary.argmin_dimension,
                representatives: pr.summary.representatives.clone(),
                phi_range: range(pr.minimizers.iter().filter_map(|x| pv(x))),
                evidence: Evidence::NumericalEvidence,
            }),
            equals_flat_set: equals,
            comparison,
            evidence: Evidence::NumericalEvidence,
        };
        (report, pr.minimizers, pr.summary.argmin_dimension)
    });
    let (regularizer, s_runs) = match reg_runs {
        Some((r, m, d)) => (Some(r), Some((m, d))),
        None => (None, None),
    };

    let mut notes = vec![format!(
        "M has dimension {dim} at the samples: the criteria are minimized on M by Riemannian \
         gradient descent from {runs} sampled points (numerical evidence); set dimensions are \
         nullities of finite-difference Riemannian Hessians"
    )];
    if dim == 0 {
        notes.push("M is a finite set here: each of its points is trivially flat".into());
    }
    let morse_bott = MorseBottCriteria {
        lambda_max_at_trace_argmin: lam_at_tr,
        trace_at_lambda_max_argmin: tr_at_lam,
        lambda_max: lm.summary,
        trace: tr.summary,
        worst_case: worst,
        findings,
    };

    // C6 at the points of S = argmin_M phi.
    let strictness = phi.zip(s_runs).map(|(p, (s_min, s_dim))| {
        if s_dim == Some(0) {
            return isolated_s(arena, f, p, &s_min, opts);
        }
        let fp = arena.add2(f, p);
        let hess = SecondOrder::new(arena, fp);
        let mut spectra: Vec<Vec<f64>> = Vec::new();
        let mut nulls = Vec::new();
        let mut all_pos = true;
        for x in s_min.iter().take(8) {
            if let Some(h) = hess.hess_f64(x) {
                let (vals, _) = sym_eigen(&h);
                let top = vals.iter().fold(0.0f64, |a, v| a.max(v.abs())).max(1e-300);
                let nul = vals.iter().filter(|v| v.abs() <= 1e-6 * top).count();
                if vals.iter().any(|v| *v < -1e-6 * top) {
                    all_pos = false;
                }
                nulls.push(nul);
                spectra.push(vals);
            }
        }
        let mut sorted = nulls.clone();
        sorted.sort_unstable();
        let nullity = mode(&sorted).unwrap_or(0);
        let smallest: Vec<f64> = spectra
            .first()
            .map(|v| v.iter().take(nullity + 2).copied().collect())
            .unwrap_or_default();
        let min_transversal = spectra
            .iter()
            .filter_map(|v| v.get(nullity).copied())
            .reduce(f64::min);
        let transversal = all_pos && Some(nullity) == s_dim;
        let s = StrictnessOnSet {
            criterion: "minimizers of phi on M (S)".into(),
            dimension: s_dim,
            samples: nulls.len(),
            smallest_eigenvalues: smallest,
            min_transversal_eigenvalue: min_transversal,
            nullity,
            transversally_pd: transversal,
            evidence: if nulls.is_empty() {
                Evidence::Inconclusive
            } else {
                Evidence::NumericalEvidence
            },
            note: format!(
                "S has dimension {}: f + phi is constant on S (f = 0 and phi = min_M phi \
                 there), so no point of S is a strict local minimum of f + phi; {}",
                dim_txt(s_dim),
                if transversal {
                    "Hess(f + phi) is positive definite transversally to S (numerical \
                     evidence): S is a Morse-Bott minimum of f + phi"
                } else {
                    "Hess(f + phi) is not positive definite transversally to S"
                }
            ),
        };
        Strictness {
            points: Vec::new(),
            sets: vec![s],
            evidence: Evidence::Inconclusive,
            notes: vec![if s_dim.is_some() {
                format!(
                    "not applicable: S has positive dimension ({}); strictness holds at best \
                     transversally (numerical evidence, never proved)",
                    dim_txt(s_dim)
                )
            } else {
                "the dimension of S could not be estimated: no point of S is checked".into()
            }],
        }
    });
    MinimaReport {
        minimum_set,
        flat: FlatMinima {
            sharpness: "for smooth Morse-Bott f the worst-case increase is lambda_max(Hess f) \
                        eps^2/2 to second order; lambda_max, trace(Hess f) and m_eps are reported \
                        along M"
                .into(),
            critical_points: Vec::new(),
            search: None,
            flat_points: Vec::new(),
            flat_sets,
            morse_bott: Some(morse_bott),
            regularizer,
            evidence: Evidence::NumericalEvidence,
            notes,
        },
        strictness,
    }
}

/// C6 at the isolated points of `S` of the least-squares path: the minimizers of `phi` on `M`
/// (Riemannian descent, `f64`) are deduplicated and polished by Newton on `grad(f + phi) = 0`
/// in MPFR (accepted only when the point moves by less than `1e-6` relative: otherwise it is
/// numerically not a critical point of `f + phi`), then checked by the smooth rule.
fn isolated_s(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    s_min: &[Vec<f64>],
    opts: &MinimaOptions,
) -> Strictness {
    let ctx = C6Context::new(arena, f, phi, None, None, opts.box_radius);
    let mut reps: Vec<Vec<f64>> = Vec::new();
    for x in s_min {
        if !is_duplicate(&reps, x, 1e-5) {
            reps.push(x.clone());
        }
    }
    let prec = precision_for(opts.digits);
    let mut notes = Vec::new();
    let points: Vec<StrictnessAtPoint> = reps
        .iter()
        .take(16)
        .enumerate()
        .map(|(k, x0)| {
            let polished = polish(&ctx.fp, x0, prec, opts.digits);
            let (x, coords) = match &polished {
                Some(xm) => {
                    let xf: Vec<f64> = xm.iter().map(Float::to_f64).collect();
                    let moved = crate::linalg::dist_inf(&xf, x0);
                    if moved <= 1e-6 * (1.0 + norm(x0)) {
                        (xf, refined_point(xm, 0.0, opts.digits).coords)
                    } else {
                        notes.push(format!(
                            "Newton on grad(f + phi) = 0 from the point {k} of S moved by {moved:.3e}: \
                             it is numerically not a critical point of f + phi"
                        ));
                        (x0.clone(), x0.iter().map(|v| format!("{v:e}")).collect())
                    }
                }
                None => (x0.clone(), x0.iter().map(|v| format!("{v:e}")).collect()),
            };
            check_point(
                &ctx,
                &SPoint {
                    index: k,
                    x,
                    coords,
                    lambda: None,
                    exact: None,
                    contained: None,
                    degenerate: false,
                },
            )
        })
        .collect();
    let (evidence, summary) = summarize(&points);
    notes.insert(0, summary);
    notes.push(
        "S is a finite set here (minimizers of phi on M by Riemannian descent, numerical \
         evidence); that the point of S lies in B is not proved on this path"
            .into(),
    );
    Strictness {
        points,
        sets: Vec::new(),
        evidence,
        notes,
    }
}

/// Newton on `grad F = 0` in MPFR from `x0`.
fn polish(fp: &SecondOrder, x0: &[f64], prec: u32, digits: u32) -> Option<Vec<Float>> {
    let mut x: Vec<Float> = x0.iter().map(|&v| Float::with_val(prec, v)).collect();
    for _ in 0..60 {
        let v = fp.eval_mp(&x, prec)?;
        let d = solve_mp(v.hess, v.grad)?;
        for (a, b) in x.iter_mut().zip(&d) {
            *a -= b;
        }
        let step = norm_inf_mp(&d) / (1.0 + norm_inf_mp(&x));
        if !step.is_finite() {
            return None;
        }
        if step < 10f64.powi(-(digits as i32)) {
            break;
        }
    }
    Some(x)
}
