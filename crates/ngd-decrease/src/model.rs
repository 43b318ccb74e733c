//! Compiled tapes for `G`, `J_G`, `phi`, `grad phi`, `Hess phi` and `grad f`, and the three
//! evaluations C4 needs: `Q` at a point (`f64`), the interval test of one box, and the
//! one-step NGD increment in MPFR.

use inari::Interval;
use nalgebra::{DMatrix, DVector};
use ngd_certify::{enclose, pt, EncloseScratch};
use ngd_check::RationalBox;
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};
use ngd_minima::{interval_cholesky, MinimumSetProjector};
use rug::Float;
use std::cell::RefCell;

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
    /// Per residual `g_i`: outputs `g_i`, `grad g_i` (for centred enclosures of `g_i`).
    residuals: Vec<Tape>,
    /// Outputs `phi`, `grad phi` (for centred enclosures of `phi`).
    phi_grad: Tape,
    /// Outputs `J_G` (m x n, row major), then `d J_ai / d x_k` at `(a * n + i) * n + k`.
    jac2: Tape,
    /// Outputs `Hess phi` (n x n), then `d Hess phi_ij / d x_k` at `(i * n + j) * n + k`.
    hess3: Tape,
    /// Reusable buffers of the interval evaluations.
    scratch: RefCell<Scratch>,
}

#[derive(Default)]
struct Scratch {
    slots: Vec<Interval>,
    enclose: EncloseScratch,
}

/// The point interval `[0, 0]`.
fn zero() -> Interval {
    pt(0.0)
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
        let residuals = gs
            .iter()
            .map(|&g| {
                let mut outs = vec![g];
                outs.extend(arena.gradient(g));
                Tape::compile(arena, &outs)
            })
            .collect();
        let mut pg = vec![phi];
        pg.extend(arena.gradient(phi));
        let phi_grad = Tape::compile(arena, &pg);
        let mut j_outs = Vec::new();
        let mut dj_outs = Vec::new();
        for &g in gs {
            let dg = arena.gradient(g);
            for &d in &dg {
                dj_outs.extend(arena.gradient(d));
            }
            j_outs.extend(dg);
        }
        j_outs.extend(dj_outs);
        let jac2 = Tape::compile(arena, &j_outs);
        let mut h_outs = h.clone();
        for &e in &h {
            h_outs.extend(arena.gradient(e));
        }
        let hess3 = Tape::compile(arena, &h_outs);
        Model {
            n,
            m: gs.len(),
            normals,
            projector,
            phi: phi_tape,
            hess,
            grad_f,
            residuals,
            phi_grad,
            jac2,
            hess3,
            scratch: RefCell::new(Scratch::default()),
        }
    }

    /// Whether the box `xs` (centre `cs`, point intervals) is proved disjoint from
    /// `M = {G = 0}`: some residual `g_i` has a proved enclosure on the box that excludes 0
    /// ([`ngd_certify::enclose`]: natural, and centred only where the tape is smooth).
    pub fn disjoint_from_m(&self, xs: &[Interval], cs: &[Interval]) -> bool {
        let mut sc = self.scratch.borrow_mut();
        self.residuals.iter().any(|t| {
            enclose(t, xs, cs, &mut sc.enclose)
                .is_some_and(|e| e.value.inf() > 0.0 || e.value.sup() < 0.0)
        })
    }

    /// A proved enclosure of the residual `g_i` over the box (`None` where evaluation fails).
    pub fn residual_enclosure(
        &self,
        i: usize,
        xs: &[Interval],
        cs: &[Interval],
    ) -> Option<Interval> {
        let mut sc = self.scratch.borrow_mut();
        enclose(&self.residuals[i], xs, cs, &mut sc.enclose).map(|e| e.value)
    }

    /// A proved enclosure of `phi` over the box (`None` where evaluation fails).
    pub fn phi_enclosure(&self, xs: &[Interval], cs: &[Interval]) -> Option<Interval> {
        let mut sc = self.scratch.borrow_mut();
        enclose(&self.phi_grad, xs, cs, &mut sc.enclose).map(|e| e.value)
    }

    /// The interval certificate of one box given as intervals `xs` with centre `cs` (point
    /// intervals of a point of the box): every symmetric matrix in the interval matrix
    /// `-(J Hc J^T)`, `Hc = Hess phi + 2c I`, with `J = J_G(x)` for `x` in the box and
    /// `Hess phi(xi)` for `xi` in the box enlarged by `a_max`, is proved positive definite
    /// by interval Cholesky (see [`Model::certify_box`] for what that proves).
    ///
    /// Each entry `F_ab(x, xi) = sum_ij J_ai(x) Hc_ij(xi) J_bj(x)` is enclosed naturally and,
    /// when both tapes are proved smooth on their boxes ([`Tape::eval_interval_smooth`]),
    /// also by the mean value form on the convex set `box x enlarged box` around
    /// `(centre, centre)`: `F_ab(c, c) + sum_k dF/dx_k (x_k - c_k) + sum_k dF/dxi_k (xi_k - c_k)`
    /// with the derivatives enclosed over the boxes; the two enclosures are intersected.
    pub fn certify_iv(&self, xs: &[Interval], cs: &[Interval], a_max: f64, c: f64) -> bool {
        let n = self.n;
        let m = self.m;
        let Ok(widen) = Interval::try_from((-a_max, a_max)) else {
            return false;
        };
        let Ok(two_c) = Interval::try_from((2.0 * c, 2.0 * c)) else {
            return false;
        };
        let big: Vec<Interval> = xs.iter().map(|&x| x + widen).collect();
        let mut sc = self.scratch.borrow_mut();
        let mut jb = vec![Interval::EMPTY; self.jac2.n_outputs()];
        let Ok(j_smooth) = self.jac2.eval_interval_smooth(xs, &mut sc.slots, &mut jb) else {
            return false;
        };
        let mut hb = vec![Interval::EMPTY; self.hess3.n_outputs()];
        let Ok(h_smooth) = self
            .hess3
            .eval_interval_smooth(&big, &mut sc.slots, &mut hb)
        else {
            return false;
        };
        let centred = j_smooth && h_smooth;
        let mut jc = vec![Interval::EMPTY; self.jac2.n_outputs()];
        let mut hcen = vec![Interval::EMPTY; self.hess3.n_outputs()];
        let centred = centred
            && self
                .jac2
                .eval_into::<Interval>(&(), cs, &mut sc.slots, &mut jc)
                .is_ok()
            && self
                .hess3
                .eval_into::<Interval>(&(), cs, &mut sc.slots, &mut hcen)
                .is_ok();
        let hc = |hv: &[Interval], i: usize, j: usize| -> Interval {
            let v = hv[i * n + j];
            if i == j {
                v + two_c
            } else {
                v
            }
        };
        let dj = |jv: &[Interval], a: usize, i: usize, k: usize| jv[m * n + (a * n + i) * n + k];
        let dh = |hv: &[Interval], i: usize, j: usize, k: usize| hv[n * n + (i * n + j) * n + k];
        let dx: Vec<Interval> = xs.iter().zip(cs).map(|(&x, &c)| x - c).collect();
        let dxi: Vec<Interval> = big.iter().zip(cs).map(|(&x, &c)| x - c).collect();
        let mut mat = vec![vec![Interval::EMPTY; m]; m];
        for a in 0..m {
            for b in 0..=a {
                let mut nat = zero();
                for i in 0..n {
                    for j in 0..n {
                        nat += jb[a * n + i] * jb[b * n + j] * hc(&hb, i, j);
                    }
                }
                let mut v = nat;
                if centred {
                    let mut cen = zero();
                    for i in 0..n {
                        for j in 0..n {
                            cen += jc[a * n + i] * jc[b * n + j] * hc(&hcen, i, j);
                        }
                    }
                    for k in 0..n {
                        let mut gx = zero();
                        let mut gxi = zero();
                        for i in 0..n {
                            for j in 0..n {
                                let h = hc(&hb, i, j);
                                gx += (dj(&jb, a, i, k) * jb[b * n + j]
                                    + jb[a * n + i] * dj(&jb, b, j, k))
                                    * h;
                                gxi += jb[a * n + i] * jb[b * n + j] * dh(&hb, i, j, k);
                            }
                        }
                        cen += gx * dx[k] + gxi * dxi[k];
                    }
                    let both = nat.intersection(cen);
                    if !both.is_empty() {
                        v = both;
                    }
                }
                mat[a][b] = -v;
                mat[b][a] = -v;
            }
        }
        proved_positive_definite(&mat)
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
                // Capped: nalgebra's SVD may not converge on non-finite entries.
                let svd = j.clone().try_svd(false, true, f64::EPSILON, 10_000)?;
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
                let eig = nalgebra::SymmetricEigen::try_new(c, f64::EPSILON, 10_000)?;
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
        proved_positive_definite(&mat)
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

/// Whether interval Cholesky proves every symmetric matrix of `mat` positive definite (an
/// empty or unbounded entry proves nothing).
fn proved_positive_definite(mat: &[Vec<Interval>]) -> bool {
    let bounded = mat
        .iter()
        .flatten()
        .all(|v| !v.is_empty() && v.is_common_interval());
    bounded && interval_cholesky(mat).is_ok()
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

        /// The same for the centred test of the exact cover, including regularizers with
        /// poles and boxes far from M: `u^T Hess phi(xi) u <= -2c` at sampled `x`, `xi`.
        #[test]
        fn centred_certificates_bound_the_sampled_quadratic_form(
            a in 1i32..4, b in -2i32..3, k in 0usize..3,
            cx in -2.0f64..2.0, cy in -2.0f64..2.0, r in 1e-3f64..0.2,
            cc in 1e-4f64..0.5, t in proptest::collection::vec(0.0f64..1.0, 16),
        ) {
            let phi = match k {
                0 => format!("-{a}*(x^2 + y^2)^2 + {b}*x*y^3 + y^4"),
                1 => format!("-({a}*x^2 + y^2)^2 + {b}/(x^2 + y^2 + 1/10)"),
                _ => format!("-{a}*y^2/x^4 + {b}*x*y"),
            };
            let m = model(&phi);
            let xs = [
                Interval::try_from((cx - r, cx + r)).unwrap(),
                Interval::try_from((cy - r, cy + r)).unwrap(),
            ];
            let cs = [pt(cx), pt(cy)];
            if m.certify_iv(&xs, &cs, r, cc) {
                for s in 0..4 {
                    let x = [cx - r + 2.0 * r * t[4 * s], cy - r + 2.0 * r * t[4 * s + 1]];
                    let xi = [
                        x[0] + r * (2.0 * t[4 * s + 2] - 1.0),
                        x[1] + r * (2.0 * t[4 * s + 3] - 1.0),
                    ];
                    let grad = [x[1], x[0]];
                    let n2 = grad[0] * grad[0] + grad[1] * grad[1];
                    let mut sc = Vec::new();
                    let mut h = vec![0.0; m.phi.n_outputs()];
                    m.phi.eval_f64(&xi, &mut sc, &mut h);
                    let quad = (grad[0] * grad[0] * h[1]
                        + 2.0 * grad[0] * grad[1] * h[2]
                        + grad[1] * grad[1] * h[4])
                        / n2;
                    prop_assert!(
                        quad <= -2.0 * cc * (1.0 - 1e-9) + 1e-9 * h.iter().map(|v| v.abs()).sum::<f64>(),
                        "{phi} on {xs:?}: {quad} > {}", -2.0 * cc
                    );
                }
            }
        }
    }

    #[test]
    fn the_centred_test_certifies_what_the_natural_one_cannot() {
        // Next to S = (1, 1) of (x^2 - y^2)^2 on xy = 1, Q is small: the natural interval
        // test fails on a box where the centred one succeeds.
        let m = model("(x^2 - y^2)^2");
        let x = [1.0 / 0.95, 0.95];
        let q = m.q(&x).unwrap().q;
        assert!(q < 0.0);
        let r = 2e-3;
        let lo = [x[0] - r, x[1] - r];
        let hi = [x[0] + r, x[1] + r];
        assert!(!m.certify_box(&lo, &hi, r, -q / 4.0));
        let xs = [
            Interval::try_from((lo[0], hi[0])).unwrap(),
            Interval::try_from((lo[1], hi[1])).unwrap(),
        ];
        assert!(m.certify_iv(&xs, &[pt(x[0]), pt(x[1])], r, -q / 4.0));
    }

    #[test]
    fn boxes_off_m_are_disjoint_and_boxes_across_it_are_not() {
        let m = model("(x^2 - y^2)^2");
        let iv = |a: f64, b: f64| Interval::try_from((a, b)).unwrap();
        assert!(m.disjoint_from_m(&[iv(2.0, 2.5), iv(2.0, 2.5)], &[pt(2.25), pt(2.25)]));
        assert!(!m.disjoint_from_m(&[iv(0.9, 1.1), iv(0.9, 1.1)], &[pt(1.0), pt(1.0)]));
    }
}
