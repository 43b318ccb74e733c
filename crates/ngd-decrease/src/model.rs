//! Compiled tapes for `G`, `J_G`, `phi`, `grad phi`, `Hess phi` and `grad f`, and the three
//! evaluations C4 needs: `Q` at a point (`f64`), the interval test of one box, and the
//! one-step NGD increment in MPFR.

use inari::Interval;
use nalgebra::{DMatrix, DVector};
use ngd_check::RationalBox;
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};
use ngd_minima::{interval_cholesky, MinimumSetProjector};
use rug::Float;

/// Which normalized directions NGD can take at and near `M`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Normals {
    /// `f = c h(g)`: `u = ±grad g/|grad g|`.
    Gradient,
    /// `f = sum c_i g_i^2`: unit vectors of the row space of `J_G` (= `range(Hess f)` on
    /// `M`), which contains `grad f = 2 J^T C G` everywhere.
    RowSpace,
}

/// `Q` at a point with the direction attaining it.
#[derive(Clone, Debug)]
pub struct QValue {
    /// `Q(x) = max_u u^T Hess phi(x) u` over the normalized directions at `x`.
    pub q: f64,
    /// A unit direction attaining it.
    pub u: Vec<f64>,
    /// `phi(x)`.
    pub phi: f64,
    /// The Frobenius norm of `Hess phi(x)`: the scale against which `Q` counts as zero.
    pub scale: f64,
}

/// The tapes of one `(f, phi)` pair.
pub struct Model {
    pub n: usize,
    pub m: usize,
    pub normals: Normals,
    /// `G`, `J_G` and the projection onto `M = {G = 0}` in the search box.
    pub projector: MinimumSetProjector,
    /// Outputs `phi`, `Hess phi` (n x n, row major).
    phi: Tape,
    /// Outputs `Hess phi` only (n x n, row major; the symmetric entries share a slot).
    hess: Tape,
    /// Outputs `grad f`.
    grad_f: Tape,
}

impl Model {
    /// Compiles the tapes.
    pub fn new(
        arena: &mut Arena,
        f: ExprId,
        phi: ExprId,
        gs: &[ExprId],
        normals: Normals,
        bx: &RationalBox,
    ) -> Model {
        let n = arena.n_vars();
        let projector = MinimumSetProjector::new(arena, gs, bx);
        let h: Vec<ExprId> = arena.hessian(phi).into_iter().flatten().collect();
        let mut phi_outs = vec![phi];
        phi_outs.extend(&h);
        let phi_tape = Tape::compile(arena, &phi_outs);
        let hess = Tape::compile(arena, &h);
        let gf = arena.gradient(f);
        let grad_f = Tape::compile(arena, &gf);
        Model {
            n,
            m: gs.len(),
            normals,
            projector,
            phi: phi_tape,
            hess,
            grad_f,
        }
    }

    /// `J_G(x)` (m x n), `None` when not finite.
    pub fn jacobian(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        self.projector.jacobian(x)
    }

    /// `phi(x)` in `f64` (NaN or infinite where undefined).
    pub fn phi_value(&self, x: &[f64]) -> f64 {
        let mut scratch = Vec::new();
        let mut out = vec![0.0; self.phi.n_outputs()];
        self.phi.eval_f64(x, &mut scratch, &mut out);
        out[0]
    }

    /// `Q` at `x` (numerical). `None` where `phi`, its Hessian or `J_G` is not finite, or
    /// `J_G` has no usable rows.
    pub fn q(&self, x: &[f64]) -> Option<QValue> {
        let j = self.jacobian(x)?;
        let mut scratch = Vec::new();
        let mut out = vec![0.0; self.phi.n_outputs()];
        self.phi.eval_f64(x, &mut scratch, &mut out);
        if !out.iter().all(|v| v.is_finite()) {
            return None;
        }
        let n = self.n;
        let h = DMatrix::from_row_slice(n, n, &out[1..]);
        let h = (&h + h.transpose()) * 0.5;
        let scale = h.norm();
        match self.normals {
            Normals::Gradient => {
                let g = DVector::from_iterator(n, j.row(0).iter().copied());
                let nn = g.norm();
                if nn.is_nan() || nn <= 0.0 {
                    return None;
                }
                let u = g / nn;
                let q = (u.transpose() * &h * &u)[(0, 0)];
                Some(QValue {
                    q,
                    u: u.iter().copied().collect(),
                    phi: out[0],
                    scale,
                })
            }
            Normals::RowSpace => {
                // Orthonormal basis of the row space from the SVD of J.
                let svd = j.clone().svd(false, true);
                let vt = svd.v_t?;
                let smax = svd.singular_values.iter().cloned().fold(0.0, f64::max);
                if smax.is_nan() || smax <= 0.0 {
                    return None;
                }
                let rows: Vec<usize> = (0..svd.singular_values.len())
                    .filter(|&k| svd.singular_values[k] > 1e-8 * smax)
                    .collect();
                let b = DMatrix::from_fn(n, rows.len(), |i, k| vt[(rows[k], i)]);
                let c = b.transpose() * &h * &b;
                let eig = c.symmetric_eigen();
                let (k, &q) = eig
                    .eigenvalues
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))?;
                let u = &b * eig.eigenvectors.column(k);
                let un = u.norm();
                Some(QValue {
                    q,
                    u: u.iter().map(|v| v / un).collect(),
                    phi: out[0],
                    scale,
                })
            }
        }
    }

    /// Tries to prove, on the box `[lo, hi]`, that `u^T Hess phi(xi) u <= -2c` for every
    /// `x` in the box, every unit `u` in the normalized directions at `x` and every `xi`
    /// within `a_max` (max norm) of the box: with `Hc = Hess phi + 2c I` over the enlarged
    /// box and `J = J_G` over the box, every symmetric matrix in `-(J Hc J^T)` is proved
    /// positive definite by interval Cholesky. Then `J(x) Hc(xi) J(x)^T` is negative
    /// definite, so `J(x)` has full row rank and every `u = J^T w/|J^T w|` satisfies
    /// `u^T Hc u < 0`, i.e. `u^T Hess phi u < -2c`.
    pub fn certify_box(&self, lo: &[f64], hi: &[f64], a_max: f64, c: f64) -> bool {
        let n = self.n;
        let m = self.m;
        let Some(xs) = lo
            .iter()
            .zip(hi)
            .map(|(&a, &b)| Interval::try_from((a, b)).ok())
            .collect::<Option<Vec<Interval>>>()
        else {
            return false;
        };
        let Ok(widen) = Interval::try_from((-a_max, a_max)) else {
            return false;
        };
        let big: Vec<Interval> = xs.iter().map(|&x| x + widen).collect();
        let Some((_, jac)) = self.projector.eval_interval(&xs) else {
            return false;
        };
        let Ok(hu) = self.hess.eval::<Interval>(&(), &big) else {
            return false;
        };
        let Ok(two_c) = Interval::try_from((2.0 * c, 2.0 * c)) else {
            return false;
        };
        let hc = |i: usize, j: usize| -> Interval {
            let v = hu[i * n + j];
            if i == j {
                v + two_c
            } else {
                v
            }
        };
        let jac = |a: usize, i: usize| jac[a][i];
        // -(J Hc J^T), lower triangle.
        let mut mat = vec![vec![Interval::EMPTY; m]; m];
        for a in 0..m {
            for b in 0..=a {
                let mut s = Interval::try_from((0.0, 0.0)).expect("zero");
                if a == b {
                    for i in 0..n {
                        s += jac(a, i).sqr() * hc(i, i);
                        for j in i + 1..n {
                            let two = Interval::try_from((2.0, 2.0)).expect("two");
                            s += two * jac(a, i) * jac(a, j) * hc(i, j);
                        }
                    }
                } else {
                    for i in 0..n {
                        for j in 0..n {
                            s += jac(a, i) * jac(b, j) * hc(i, j);
                        }
                    }
                }
                mat[a][b] = -s;
                mat[b][a] = -s;
            }
        }
        if mat
            .iter()
            .flatten()
            .any(|v| v.is_empty() || !v.is_common_interval())
        {
            return false;
        }
        interval_cholesky(&mat).is_ok()
    }

    /// Interval enclosures of `phi(x0)` and of `phi(x0 - a grad f(x0)/|grad f(x0)|)` at
    /// the exact point `x0` (given as point intervals of its rational coordinates) and exact
    /// step `a`; `None` when an evaluation fails or `|grad f(x0)|` is not certainly positive.
    pub fn one_step_enclosure(&self, x0: &[Interval], a: Interval) -> Option<(Interval, Interval)> {
        let gf = self.grad_f.eval::<Interval>(&(), x0).ok()?;
        let mut nn = Interval::try_from((0.0, 0.0)).ok()?;
        for g in &gf {
            nn += g.sqr();
        }
        if nn.inf().is_nan() || nn.inf() <= 0.0 {
            return None;
        }
        let norm = nn.sqrt();
        let x1: Vec<Interval> = x0
            .iter()
            .zip(&gf)
            .map(|(&x, &g)| x - a * (g / norm))
            .collect();
        let before = self.phi.eval::<Interval>(&(), x0).ok()?[0];
        let after = self.phi.eval::<Interval>(&(), &x1).ok()?[0];
        if !before.is_common_interval() || !after.is_common_interval() {
            return None;
        }
        Some((before, after))
    }

    /// `phi(x0 - a grad f(x0)/|grad f(x0)|) - phi(x0)` in MPFR at precision `prec`.
    pub fn one_step_mp(&self, x0: &[Float], a: &Float, prec: u32) -> Option<Float> {
        let gf = self.grad_f.eval::<Float>(&prec, x0).ok()?;
        let mut nn = Float::with_val(prec, 0);
        for g in &gf {
            nn += Float::with_val(prec, g * g);
        }
        if nn.is_zero() || !nn.is_finite() {
            return None;
        }
        let norm = nn.sqrt();
        let x1: Vec<Float> = x0
            .iter()
            .zip(&gf)
            .map(|(x, g)| {
                let step = Float::with_val(prec, g / &norm) * a;
                Float::with_val(prec, x - step)
            })
            .collect();
        let before = self.phi.eval::<Float>(&prec, x0).ok()?.swap_remove(0);
        let after = self.phi.eval::<Float>(&prec, &x1).ok()?.swap_remove(0);
        let d = Float::with_val(prec, &after - &before);
        d.is_finite().then_some(d)
    }

    /// A unit normal direction at `x` along which to leave `M` so that NGD there moves
    /// along `u` (approximately): for `f = h(g)` the gradient direction; for least squares
    /// `v = J^T (J J^T)^-1 (J J^T)^-1 J u`-like preimage, here `J^+ (J J^T)^-1 J u`
    /// normalized, so that `Hess f v` is parallel to `u` for unit weights.
    pub fn offset_direction(&self, x: &[f64], u: &[f64], weights: &[f64]) -> Option<Vec<f64>> {
        let j = self.jacobian(x)?;
        let uu = DVector::from_column_slice(u);
        let v = match self.normals {
            Normals::Gradient => DVector::from_iterator(self.n, j.row(0).iter().copied()),
            Normals::RowSpace => {
                // Hess f = 2 J^T C J on M; want J^T C J v = u with v = J^T y:
                // (J J^T) C (J J^T) y = J u.
                let c = DMatrix::from_diagonal(&DVector::from_column_slice(weights));
                let jjt = &j * j.transpose();
                let lhs = &jjt * c * &jjt;
                let rhs = &j * uu;
                let y = lhs.lu().solve(&rhs)?;
                j.transpose() * y
            }
        };
        let nv = v.norm();
        (nv > 0.0 && nv.is_finite()).then(|| v.iter().map(|t| t / nv).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn model(phi: &str) -> Model {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let p = ngd_parse::Params::new();
        let g = ngd_parse::parse_expr(&mut a, "x*y - 1", &p).unwrap();
        let f = ngd_parse::parse_expr(&mut a, "(x*y - 1)^2", &p).unwrap();
        let ph = ngd_parse::parse_expr(&mut a, phi, &p).unwrap();
        let bx = RationalBox::cube(2, 3);
        Model::new(&mut a, f, ph, &[g], Normals::Gradient, &bx)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Whenever a box is certified, `u^T Hess phi(xi) u <= -2c` holds at sampled
        /// `x` in the box, `xi` in the enlarged box and `u = ±grad g(x)/|grad g(x)|`.
        #[test]
        fn certified_boxes_bound_the_sampled_quadratic_form(
            a in -3i32..4, b in -3i32..4, c2 in -3i32..4,
            cx in -2.0f64..2.0, cy in -2.0f64..2.0, r in 1e-3f64..0.3,
            cc in 1e-3f64..2.0, t in proptest::collection::vec(0.0f64..1.0, 4),
        ) {
            let phi = format!("{a}*x^4 + {b}*x^2*y^2 + {c2}*y^4 + {a}*x*y^3");
            let m = model(&phi);
            let lo = [cx - r, cy - r];
            let hi = [cx + r, cy + r];
            if m.certify_box(&lo, &hi, r, cc) {
                let x = [lo[0] + 2.0 * r * t[0], lo[1] + 2.0 * r * t[1]];
                let xi = [x[0] + r * (2.0 * t[2] - 1.0), x[1] + r * (2.0 * t[3] - 1.0)];
                let grad = [x[1], x[0]];
                let n2 = grad[0] * grad[0] + grad[1] * grad[1];
                // The quadratic form at xi in the direction of grad g at x.
                let h = {
                    let mut s = Vec::new();
                    let mut out = vec![0.0; m.phi.n_outputs()];
                    m.phi.eval_f64(&xi, &mut s, &mut out);
                    out
                };
                let quad = (grad[0] * grad[0] * h[1]
                    + 2.0 * grad[0] * grad[1] * h[2]
                    + grad[1] * grad[1] * h[4])
                    / n2;
                prop_assert!(quad <= -2.0 * cc * (1.0 - 1e-9) + 1e-12, "{phi}: {quad} > {}", -2.0 * cc);
            }
        }
    }
}
