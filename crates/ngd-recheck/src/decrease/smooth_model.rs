//! C4's model when `g` or `phi` is not a polynomial (`exp(x) y - 1` in
//! `cases/exp-field.case`): every enclosure comes from [`crate::smooth`], which refuses a box
//! where some node may be non-smooth, and the derivatives are `ngd-expr`'s symbolic ones.
//! `g` and its first two derivatives are enclosed over the box (so `g` is proved `C^inf`
//! there and `J = grad g` is the true normal), `phi` with its second and third derivatives
//! over the box enlarged by `a_max` (so `phi` is `C^inf` along every step and Taylor's
//! theorem holds with the enclosed Hessian). A box where either is not proved smooth is not
//! certified. The claim is the polynomial path's one, decided by the same
//! [`crate::interval::certifies_box`].

use crate::interval::{certifies_box, on_pieces, Values};
use crate::smooth::SmoothExprs;
use inari::Interval;
use ngd_expr::{Arena, ExprId};

/// `g` and `phi` compiled for smooth enclosures.
pub struct SmoothModel {
    n: usize,
    /// `g`, `d g/d x_i` (at `1 + i`), `d^2 g/d x_i d x_k` (at `1 + n + i n + k`).
    residual: SmoothExprs,
    /// `phi`, `d^2 phi/d x_i d x_j` (at `1 + i n + j`), `d^3 phi/d x_i d x_j d x_k` (at
    /// `1 + n^2 + (i n + j) n + k`).
    regularizer: SmoothExprs,
    /// `g` alone (disjoint leaves).
    g_alone: SmoothExprs,
    /// `phi` alone (sublevel leaves).
    phi_alone: SmoothExprs,
}

impl SmoothModel {
    /// The model of the residual `g` and of `phi` (`None` when an exponent does not fit).
    pub fn new(arena: &mut Arena, g: ExprId, phi: ExprId) -> Option<SmoothModel> {
        let residual = with_derivatives(arena, g, 2);
        let mut regularizer = vec![phi];
        regularizer.extend(with_derivatives(arena, phi, 3).split_off(1 + arena.n_vars()));
        Some(SmoothModel {
            n: arena.n_vars(),
            residual: SmoothExprs::new(arena, &residual)?,
            regularizer: SmoothExprs::new(arena, &regularizer)?,
            g_alone: SmoothExprs::new(arena, &[g])?,
            phi_alone: SmoothExprs::new(arena, &[phi])?,
        })
    }

    /// The number of variables.
    pub fn n_vars(&self) -> usize {
        self.n
    }

    /// Whether `g`'s enclosure excludes 0 on every piece of `xs` (the box misses `M`).
    pub fn disjoint(&self, xs: &[Interval], depth: u32) -> bool {
        on_pieces(xs, depth, &|b: &[Interval]| {
            self.g_alone.eval(b).is_some_and(|v| !v[0].contains(0.0))
        })
    }

    /// Whether `phi <= level` on `xs`.
    pub fn phi_at_most(&self, xs: &[Interval], level: f64, depth: u32) -> bool {
        on_pieces(xs, depth, &|b: &[Interval]| {
            self.phi_alone.eval(b).is_some_and(|v| v[0].sup() <= level)
        })
    }

    /// Whether `u^T Hess phi(xi) u <= -2c` is proved for every `x` in `xs`, `u = +-grad g(x)
    /// / |grad g(x)|` and `xi` within `a_max` of the box (as [`crate::interval`]'s model).
    pub fn certifies(&self, xs: &[Interval], a_max: f64, c: f64, depth: u32) -> bool {
        let values = |x: &[Interval], wide: &[Interval], two_c: Interval, partials: bool| {
            self.values(x, wide, two_c, partials)
        };
        on_pieces(xs, depth, &|b: &[Interval]| {
            certifies_box(b, a_max, c, false, 1, &values)
                || certifies_box(b, a_max, c, true, 1, &values)
        })
    }

    /// `J` and `d J` over `xs`, `Hess phi + 2c I` and `d Hess phi` over `wide`; `None` when
    /// `g` or `phi` is not proved smooth there.
    fn values(
        &self,
        xs: &[Interval],
        wide: &[Interval],
        two_c: Interval,
        partials: bool,
    ) -> Option<Values> {
        let n = self.n;
        let r = self.residual.eval(xs)?;
        let p = self.regularizer.eval(wide)?;
        let hess = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| p[1 + i * n + j] + if i == j { two_c } else { zero() })
                    .collect()
            })
            .collect();
        let (d_jac, d_hess) = if partials {
            let d_jac = (0..n)
                .map(|i| r[1 + n + i * n..1 + n + (i + 1) * n].to_vec())
                .collect();
            let third = |i: usize, j: usize| {
                let start = 1 + n * n + (i * n + j) * n;
                p[start..start + n].to_vec()
            };
            let d_hess = (0..n)
                .map(|i| (0..n).map(|j| third(i, j)).collect())
                .collect();
            (vec![d_jac], d_hess)
        } else {
            (Vec::new(), Vec::new())
        };
        Some(Values {
            jac: vec![r[1..=n].to_vec()],
            d_jac,
            hess,
            d_hess,
        })
    }
}

fn zero() -> Interval {
    inari::const_interval!(0.0, 0.0)
}

/// `e` followed by its partial derivatives of orders `1..=order`, each order in
/// lexicographic order of the variables (`d^2 e/d x_i d x_k` at `1 + n + i n + k`, ...).
fn with_derivatives(arena: &mut Arena, e: ExprId, order: u32) -> Vec<ExprId> {
    let mut all = vec![e];
    let mut level = vec![e];
    for _ in 0..order {
        let mut next = Vec::new();
        for d in level {
            next.extend(arena.gradient(d));
        }
        all.extend(&next);
        level = next;
    }
    all
}
