//! Compiled tapes for the constraint map `G` (value and Jacobian) and for Lagrange systems
//! `grad h = lambda grad g, g = 0`, with projection onto `M = {G = 0}` in `f64` and MPFR.

use crate::linalg::{min_norm_solve, min_norm_solve_mp, norm, norm_inf_mp, solve, solve_mp};
use inari::Interval;
use nalgebra::{DMatrix, DVector};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};
use rug::Float;

/// The search box in `f64` (outward: `lo` rounded down, `hi` up is not needed here; the
/// box is only used to keep numerical points).
#[derive(Clone, Debug)]
pub struct BoxF {
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

impl BoxF {
    pub fn contains(&self, x: &[f64]) -> bool {
        x.iter()
            .zip(self.lo.iter().zip(&self.hi))
            .all(|(v, (a, b))| *v >= *a && *v <= *b)
    }
    pub fn diameter(&self) -> f64 {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| (b - a) * (b - a))
            .sum::<f64>()
            .sqrt()
    }
}

/// `G = (g_1, ..., g_m)` and its Jacobian.
pub struct Constraints {
    tape: Tape,
    pub m: usize,
    pub n: usize,
}

/// Result of a projection onto `M`.
pub struct Projected {
    pub x: Vec<f64>,
}

impl Constraints {
    pub fn new(arena: &mut Arena, gs: &[ExprId]) -> Self {
        let n = arena.n_vars();
        let mut outs = gs.to_vec();
        for &g in gs {
            outs.extend(arena.gradient(g));
        }
        Constraints {
            tape: Tape::compile(arena, &outs),
            m: gs.len(),
            n,
        }
    }

    /// `(G, J)` at `x`, `None` when not finite.
    pub fn eval(&self, x: &[f64], scratch: &mut Vec<f64>) -> Option<(DVector<f64>, DMatrix<f64>)> {
        let mut out = vec![0.0; self.tape.n_outputs()];
        self.tape.eval_f64(x, scratch, &mut out);
        if !out.iter().all(|v| v.is_finite()) {
            return None;
        }
        let g = DVector::from_column_slice(&out[..self.m]);
        let j = DMatrix::from_row_slice(self.m, self.n, &out[self.m..]);
        Some((g, j))
    }

    /// `(G, J)` in MPFR.
    pub fn eval_mp(&self, x: &[Float], prec: u32) -> Option<(Vec<Float>, Vec<Vec<Float>>)> {
        let out = self.tape.eval::<Float>(&prec, x).ok()?;
        let g = out[..self.m].to_vec();
        let j = (0..self.m)
            .map(|i| out[self.m + i * self.n..self.m + (i + 1) * self.n].to_vec())
            .collect();
        Some((g, j))
    }

    /// `(G, J)` over intervals.
    pub fn eval_iv(&self, x: &[Interval]) -> Option<(Vec<Interval>, Vec<Vec<Interval>>)> {
        let out = self.tape.eval::<Interval>(&(), x).ok()?;
        let g = out[..self.m].to_vec();
        let j = (0..self.m)
            .map(|i| out[self.m + i * self.n..self.m + (i + 1) * self.n].to_vec())
            .collect();
        Some((g, j))
    }

    /// Gauss–Newton with minimum-norm steps `x <- x - J^+ G` (damped by backtracking on
    /// `|G|`, steps capped at `max_step`). Returns the converged point, or `None`.
    pub fn project(&self, x0: &[f64], max_step: f64, scratch: &mut Vec<f64>) -> Option<Projected> {
        let mut x = x0.to_vec();
        let (mut g, mut j) = self.eval(&x, scratch)?;
        let mut rn = g.norm();
        for _ in 0..80 {
            if rn == 0.0 {
                return Some(Projected { x });
            }
            let mut d = min_norm_solve(&j, &g)?;
            let dn = d.norm();
            if dn > max_step {
                d *= max_step / dn;
            }
            let mut t = 1.0;
            let mut accepted = None;
            for _ in 0..30 {
                let xn: Vec<f64> = x.iter().zip(d.iter()).map(|(a, b)| a - t * b).collect();
                if let Some((gn, jn)) = self.eval(&xn, scratch) {
                    let rnn = gn.norm();
                    if rnn < rn * (1.0 - 1e-4 * t) || rnn <= 1e-15 * (1.0 + norm(&xn)) {
                        accepted = Some((xn, gn, jn, rnn));
                        break;
                    }
                }
                t *= 0.5;
            }
            let (xn, gn, jn, rnn) = accepted?;
            let step = t * d.norm();
            x = xn;
            g = gn;
            j = jn;
            rn = rnn;
            let scale = 1.0 + norm(&x);
            if step <= 1e-12 * scale && rn <= 1e-9 * (1.0 + j.norm() * scale) {
                return Some(Projected { x });
            }
            if rn <= 1e-14 * (1.0 + j.norm() * scale) {
                return Some(Projected { x });
            }
        }
        None
    }

    /// Minimum-norm Newton in MPFR until the step is below `10^-digits` (relative).
    /// Returns the point and the size of the last step (relative, as `f64`).
    pub fn project_mp(
        &self,
        x0: &[Float],
        prec: u32,
        digits: u32,
        max_iter: usize,
    ) -> Option<(Vec<Float>, f64)> {
        let mut x: Vec<Float> = x0.iter().map(|v| Float::with_val(prec, v)).collect();
        let target = 10f64.powi(-(digits as i32));
        let mut last = f64::INFINITY;
        for _ in 0..max_iter {
            let (g, j) = self.eval_mp(&x, prec)?;
            let d = min_norm_solve_mp(&j, &g, prec)?;
            for (xi, di) in x.iter_mut().zip(&d) {
                *xi -= di;
            }
            let scale = 1.0 + norm_inf_mp(&x);
            last = norm_inf_mp(&d) / scale;
            if last < target || last == 0.0 {
                break;
            }
        }
        Some((x, last))
    }
}

/// Upper-triangle index of `(i, j)` in an `n x n` symmetric matrix stored row by row.
fn tri(n: usize, i: usize, j: usize) -> usize {
    let (i, j) = if i <= j { (i, j) } else { (j, i) };
    i * n - i * (i + 1) / 2 + j
}

/// The Lagrange system of `h` on `{g = 0}` for a scalar `g`: unknowns `(x, lambda)`,
/// `F = (grad h - lambda grad g, g)`, with Jacobian
/// `[[Hess h - lambda Hess g, -grad g], [grad g^T, 0]]`.
pub struct LagrangeSystem {
    tape: Tape,
    pub n: usize,
}

/// Values of the Lagrange tape at one point.
pub struct LagVals<S> {
    pub g: S,
    pub dg: Vec<S>,
    pub h: S,
    pub dh: Vec<S>,
    pub hh: Vec<Vec<S>>,
    pub hg: Vec<Vec<S>>,
}

impl LagrangeSystem {
    pub fn new(arena: &mut Arena, h: ExprId, g: ExprId) -> Self {
        let n = arena.n_vars();
        let dg = arena.gradient(g);
        let dh = arena.gradient(h);
        let hh = arena.hessian(h);
        let hg = arena.hessian(g);
        let mut outs = vec![g];
        outs.extend(&dg);
        outs.push(h);
        outs.extend(&dh);
        for i in 0..n {
            for j in i..n {
                outs.push(hh[i][j]);
            }
        }
        for i in 0..n {
            for j in i..n {
                outs.push(hg[i][j]);
            }
        }
        let tape = Tape::compile(arena, &outs);
        LagrangeSystem { tape, n }
    }

    fn unpack<S: Clone>(&self, out: &[S]) -> LagVals<S> {
        let n = self.n;
        let t = n * (n + 1) / 2;
        let base_h = 2 + 2 * n;
        let mat = |off: usize| -> Vec<Vec<S>> {
            (0..n)
                .map(|i| (0..n).map(|j| out[off + tri(n, i, j)].clone()).collect())
                .collect()
        };
        LagVals {
            g: out[0].clone(),
            dg: out[1..1 + n].to_vec(),
            h: out[1 + n].clone(),
            dh: out[2 + n..2 + 2 * n].to_vec(),
            hh: mat(base_h),
            hg: mat(base_h + t),
        }
    }

    pub fn eval_f64(&self, x: &[f64], scratch: &mut Vec<f64>) -> Option<LagVals<f64>> {
        let mut out = vec![0.0; self.tape.n_outputs()];
        self.tape.eval_f64(x, scratch, &mut out);
        if !out.iter().all(|v| v.is_finite()) {
            return None;
        }
        Some(self.unpack(&out))
    }

    pub fn eval_mp(&self, x: &[Float], prec: u32) -> Option<LagVals<Float>> {
        let out = self.tape.eval::<Float>(&prec, x).ok()?;
        Some(self.unpack(&out))
    }

    pub fn eval_iv(&self, x: &[Interval]) -> Option<LagVals<Interval>> {
        let out = self.tape.eval::<Interval>(&(), x).ok()?;
        Some(self.unpack(&out))
    }

    /// Exact values at a rational point (`None` where not rational or undefined).
    pub fn eval_exact(&self, q: &[Rational]) -> Option<LagVals<Rational>> {
        let out = self.tape.eval::<Rational>(&(), q).ok()?;
        Some(self.unpack(&out))
    }

    /// Whether `h` and `g` (with their gradients and Hessians, all on one tape) are proved
    /// `C^2` on the box `x` ([`Tape::eval_interval_smooth`]); `Err` when the interval
    /// evaluation fails (a possible pole or domain error on the box).
    pub fn smooth_on(&self, x: &[Interval]) -> Result<bool, String> {
        self.tape.smooth_on(x).map_err(|e| e.kind.to_string())
    }

    /// `F` and its Jacobian at `(x, lambda)` in `f64`.
    pub fn system_f64(
        &self,
        x: &[f64],
        lam: f64,
        scratch: &mut Vec<f64>,
    ) -> Option<(DVector<f64>, DMatrix<f64>, f64)> {
        let n = self.n;
        let v = self.eval_f64(x, scratch)?;
        let mut f = DVector::zeros(n + 1);
        let mut k = DMatrix::zeros(n + 1, n + 1);
        for i in 0..n {
            f[i] = v.dh[i] - lam * v.dg[i];
            for j in 0..n {
                k[(i, j)] = v.hh[i][j] - lam * v.hg[i][j];
            }
            k[(i, n)] = -v.dg[i];
            k[(n, i)] = v.dg[i];
        }
        f[n] = v.g;
        let scale = 1.0 + norm(&v.dh) + lam.abs() * norm(&v.dg);
        Some((f, k, scale))
    }

    /// The least-squares multiplier `<grad h, grad g> / |grad g|^2`.
    pub fn multiplier(&self, x: &[f64], scratch: &mut Vec<f64>) -> Option<f64> {
        let v = self.eval_f64(x, scratch)?;
        let gg: f64 = v.dg.iter().map(|a| a * a).sum();
        if gg == 0.0 {
            return None;
        }
        Some(v.dh.iter().zip(&v.dg).map(|(a, b)| a * b).sum::<f64>() / gg)
    }

    /// Damped Newton on `F = 0` from `(x0, lambda0)`. Returns `(x, lambda)` when it converges.
    pub fn newton_f64(
        &self,
        x0: &[f64],
        lam0: f64,
        max_step: f64,
        scratch: &mut Vec<f64>,
    ) -> Option<(Vec<f64>, f64)> {
        let n = self.n;
        let mut x = x0.to_vec();
        let mut lam = lam0;
        let (mut f, mut k, _) = self.system_f64(&x, lam, scratch)?;
        let mut scale;
        let mut fnorm = f.norm();
        let mut history: Vec<f64> = Vec::new();
        for it in 0..60 {
            let d = match solve(&k, &(-&f)) {
                Some(d) => d,
                None => {
                    let svd = k.clone().try_svd(
                        true,
                        true,
                        f64::EPSILON,
                        crate::linalg::MAX_ITERATIONS,
                    )?;
                    svd.solve(&(-&f), 1e-14).ok()?
                }
            };
            let mut d = d;
            let dx = d.rows(0, n).norm();
            if dx > max_step {
                d *= max_step / dx;
            }
            let mut t = 1.0;
            let mut acc = None;
            for _ in 0..12 {
                let xn: Vec<f64> = (0..n).map(|i| x[i] + t * d[i]).collect();
                let ln = lam + t * d[n];
                if let Some((fnn, kn, sn)) = self.system_f64(&xn, ln, scratch) {
                    let nn = fnn.norm();
                    if nn < fnorm * (1.0 - 1e-4 * t) || nn <= 1e-15 * sn {
                        acc = Some((xn, ln, fnn, kn, sn, nn));
                        break;
                    }
                }
                t *= 0.5;
            }
            let (xn, ln, fnn, kn, sn, nn) = acc?;
            let step = t * d.rows(0, n).norm();
            x = xn;
            lam = ln;
            f = fnn;
            k = kn;
            scale = sn;
            fnorm = nn;
            let xs = 1.0 + norm(&x);
            if (fnorm <= 1e-10 * scale && step <= 1e-6 * xs) || fnorm <= 1e-13 * scale {
                return Some((x, lam));
            }
            // Give up on slow progress (no halving of the residual over ten steps) or when
            // the iterate runs far away.
            history.push(fnorm);
            if it >= 10 && fnorm > 0.5 * history[it - 10] {
                return None;
            }
            if xs > 1e3 * (1.0 + max_step) {
                return None;
            }
        }
        None
    }

    /// Newton in MPFR on the Lagrange system. Returns `(x, lambda, last relative step)`.
    pub fn newton_mp(
        &self,
        x0: &[f64],
        lam0: f64,
        prec: u32,
        digits: u32,
        max_iter: usize,
    ) -> Option<(Vec<Float>, Float, f64)> {
        let n = self.n;
        let mut x: Vec<Float> = x0.iter().map(|&v| Float::with_val(prec, v)).collect();
        let mut lam = Float::with_val(prec, lam0);
        let target = 10f64.powi(-(digits as i32));
        let mut last = f64::INFINITY;
        for _ in 0..max_iter {
            let v = self.eval_mp(&x, prec)?;
            let mut a = vec![vec![Float::new(prec); n + 1]; n + 1];
            let mut b = vec![Float::new(prec); n + 1];
            for i in 0..n {
                b[i] = Float::with_val(prec, &lam * &v.dg[i]) - &v.dh[i];
                for j in 0..n {
                    a[i][j] = Float::with_val(
                        prec,
                        &v.hh[i][j] - Float::with_val(prec, &lam * &v.hg[i][j]),
                    );
                }
                a[i][n] = Float::with_val(prec, -&v.dg[i]);
                a[n][i] = v.dg[i].clone();
            }
            b[n] = Float::with_val(prec, -&v.g);
            let d = solve_mp(a, b)?;
            for i in 0..n {
                x[i] += &d[i];
            }
            lam += &d[n];
            let scale = 1.0 + norm_inf_mp(&x);
            last = norm_inf_mp(&d[..n]) / scale;
            if last < target || last == 0.0 {
                break;
            }
            if !last.is_finite() {
                return None;
            }
        }
        Some((x, lam, last))
    }
}
