//! C6: positive definiteness of `Hess(f + phi)` at the flat points (the paper's Prop 3.34),
//! proved with interval arithmetic on a small box around each refined point.

use crate::linalg::sym_eigen;
use crate::model::LagrangeSystem;
use crate::report::StrictnessAtPoint;
use inari::Interval;
use nalgebra::DMatrix;
use ngd_certify::{interval_cholesky, krawczyk, pt};
use ngd_check::Evidence;
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};

/// `Hess(f + phi)` compiled (upper triangle, row by row).
pub struct HessianTape {
    tape: Tape,
    n: usize,
}

impl HessianTape {
    pub fn new(arena: &mut Arena, e: ExprId) -> Self {
        let n = arena.n_vars();
        let h = arena.hessian(e);
        let mut outs = Vec::new();
        for i in 0..n {
            for j in i..n {
                outs.push(h[i][j]);
            }
        }
        HessianTape {
            tape: Tape::compile(arena, &outs),
            n,
        }
    }

    fn expand<S: Clone>(&self, out: &[S]) -> Vec<Vec<S>> {
        let n = self.n;
        let mut k = 0;
        let mut m: Vec<Vec<Option<S>>> = vec![vec![None; n]; n];
        for i in 0..n {
            for j in i..n {
                m[i][j] = Some(out[k].clone());
                m[j][i] = Some(out[k].clone());
                k += 1;
            }
        }
        m.into_iter()
            .map(|r| r.into_iter().map(|v| v.expect("filled")).collect())
            .collect()
    }

    /// The Hessian at `x` in `f64`, `None` if not finite.
    pub fn eval_f64(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        let mut out = vec![0.0; self.tape.n_outputs()];
        let mut scratch = Vec::new();
        self.tape.eval_f64(x, &mut scratch, &mut out);
        if !out.iter().all(|v| v.is_finite()) {
            return None;
        }
        let m = self.expand(&out);
        Some(DMatrix::from_fn(self.n, self.n, |i, j| m[i][j]))
    }

    /// An enclosure of the Hessian over the box `x`.
    pub fn eval_iv(&self, x: &[Interval]) -> Result<Vec<Vec<Interval>>, String> {
        self.tape
            .eval::<Interval>(&(), x)
            .map(|o| self.expand(&o))
            .map_err(|e| e.kind.to_string())
    }
}

/// The box `[x - r max(1, |x_i|), x + r max(1, |x_i|)]`.
pub fn box_around(x: &[f64], r: f64) -> Vec<Interval> {
    x.iter()
        .map(|&v| {
            let w = r * v.abs().max(1.0);
            Interval::try_from((v - w, v + w)).unwrap_or(Interval::ENTIRE)
        })
        .collect()
}

/// C6 at one isolated flat point `x` (with multiplier `lambda` of the sharpness system).
pub fn check_point(
    index: usize,
    x: &[f64],
    lambda: f64,
    hess: &HessianTape,
    sharp: &LagrangeSystem,
    radius: f64,
) -> StrictnessAtPoint {
    let n = x.len();
    // Containment of the Lagrange point (Krawczyk on (x, lambda)).
    let mut mid = x.to_vec();
    mid.push(lambda);
    let mut rad: Vec<f64> = x.iter().map(|v| radius * v.abs().max(1.0)).collect();
    rad.push(radius * lambda.abs().max(1.0));
    let in_box = krawczyk(
        &mid,
        &rad,
        |z| {
            let v = sharp.eval_iv(&z[..n])?;
            let l = z[n];
            let mut f: Vec<Interval> = (0..n).map(|i| v.dh[i] - l * v.dg[i]).collect();
            f.push(v.g);
            Some(f)
        },
        |z| {
            let v = sharp.eval_iv(&z[..n])?;
            let l = z[n];
            let mut k = vec![vec![pt(0.0); n + 1]; n + 1];
            for i in 0..n {
                for j in 0..n {
                    k[i][j] = v.hh[i][j] - l * v.hg[i][j];
                }
                k[i][n] = -v.dg[i];
                k[n][i] = v.dg[i];
            }
            Some(k)
        },
    );
    check_hessian(index, x, hess, radius, in_box)
}

/// C6 on the box around `x`, given whether the point's containment in the box was proved.
pub fn check_hessian(
    index: usize,
    x: &[f64],
    hess: &HessianTape,
    radius: f64,
    in_box: bool,
) -> StrictnessAtPoint {
    let n = x.len();
    let xb = box_around(x, radius);
    let eigenvalues = hess
        .eval_f64(x)
        .map(|h| sym_eigen(&h).0)
        .unwrap_or_default();
    let lagrange_point_in_box = if in_box {
        Evidence::Proved
    } else {
        Evidence::Inconclusive
    };
    let (hessian_pd, min_pivot, reason) = match hess.eval_iv(&xb) {
        Err(e) => (
            Evidence::Inconclusive,
            None,
            Some(format!(
                "interval evaluation of Hess(f + phi) failed on the box: {e}"
            )),
        ),
        Ok(h) => match interval_cholesky(&h) {
            Ok(p) => (Evidence::Proved, Some(p), None),
            Err(fail) => {
                let lmin = eigenvalues.first().copied().unwrap_or(f64::NAN);
                let scale = eigenvalues
                    .iter()
                    .fold(0.0f64, |a, b| a.max(b.abs()))
                    .max(1e-300);
                if lmin < -1e-8 * scale {
                    // Certify the negative direction with intervals.
                    let hm = hess.eval_f64(x).map(|m| sym_eigen(&m).1);
                    let cert = hm.map(|vecs| {
                        let v: Vec<f64> = vecs.column(0).iter().copied().collect();
                        let mut q = pt(0.0);
                        for i in 0..n {
                            for j in 0..n {
                                q += pt(v[i]) * h[i][j] * pt(v[j]);
                            }
                        }
                        q.sup()
                    });
                    match cert {
                        Some(sup) if sup < 0.0 => (
                            Evidence::Refuted,
                            None,
                            Some(format!(
                                "Hess(f + phi) has the eigenvalue {lmin:.6e} < 0; v^T H v <= \
                                 {sup:.3e} < 0 certified by intervals on the whole box for its \
                                 eigenvector v"
                            )),
                        ),
                        _ => (
                            Evidence::Inconclusive,
                            None,
                            Some(format!(
                                "numerically Hess(f + phi) has the eigenvalue {lmin:.6e} < 0"
                            )),
                        ),
                    }
                } else if lmin.abs() <= 1e-8 * scale {
                    (
                        Evidence::Inconclusive,
                        None,
                        Some(format!(
                            "Hess(f + phi) is singular to working accuracy (smallest eigenvalue \
                             {lmin:.3e}): positive definiteness fails or cannot be decided"
                        )),
                    )
                } else {
                    (
                        Evidence::Inconclusive,
                        None,
                        Some(format!(
                            "interval Cholesky failed at pivot {} (lower bound {:.3e}): the \
                             enclosure is too wide although the eigenvalues look positive",
                            fail.pivot + 1,
                            fail.lower
                        )),
                    )
                }
            }
        },
    };
    let evidence = match (hessian_pd, lagrange_point_in_box) {
        (Evidence::Proved, Evidence::Proved) => Evidence::Proved,
        (Evidence::Proved, _) => Evidence::NumericalEvidence,
        (Evidence::Refuted, Evidence::Proved) => Evidence::Refuted,
        (Evidence::Refuted, _) => Evidence::NumericalEvidence,
        (e, _) => e,
    };
    let reason = match (reason, evidence) {
        (None, Evidence::NumericalEvidence) => Some(
            "Hess(f + phi) is proved positive definite on the box, but the Krawczyk test did not \
             prove that the Lagrange point lies in it (degenerate or ill-conditioned point)"
                .into(),
        ),
        (r, _) => r,
    };
    StrictnessAtPoint {
        flat_point: index,
        point: x.to_vec(),
        box_radius: radius,
        hessian_pd,
        lagrange_point_in_box,
        min_pivot_lower_bound: min_pivot,
        eigenvalues,
        evidence,
        reason,
    }
}

/// The weakest of several verdicts (refuted dominates).
pub fn combine(ev: &[Evidence]) -> Evidence {
    if ev.is_empty() {
        return Evidence::Inconclusive;
    }
    if ev.contains(&Evidence::Refuted) {
        return Evidence::Refuted;
    }
    if ev.contains(&Evidence::Inconclusive) || ev.contains(&Evidence::NotCheckedYet) {
        return Evidence::Inconclusive;
    }
    if ev.contains(&Evidence::NumericalEvidence) {
        return Evidence::NumericalEvidence;
    }
    Evidence::Proved
}
