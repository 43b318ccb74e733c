//! Proofs at isolated nondegenerate critical points: the Krawczyk test on the equations
//! (only where the tape is proved smooth on the box), the residual's enclosure excluding 0
//! (off the minimum set), and the type from the interval Hessian (interval Cholesky for a
//! strict minimum or maximum; two directions of proved opposite curvature for a saddle).

use crate::inertia::eigen;
use crate::report::{Classification, StructureKind};
use crate::system::System;
use inari::Interval;
use nalgebra::{DMatrix, DVector};
use ngd_certify::{interval_cholesky, krawczyk, pt, RationalBox};
use ngd_eval::interval_of;
use rug::Rational;

/// What was proved at one point.
pub(crate) struct Proof {
    /// A unique zero of the equations in a small box inside the search box, off the minimum
    /// set.
    pub exists: bool,
    /// The type of that critical point of `f`, when proved.
    pub class: Option<Classification>,
}

fn newton_refine(sys: &System, x: &mut [f64]) {
    for _ in 0..8 {
        let Some(pe) = sys.eval(x) else { return };
        let Some(d) = pe.h.clone().lu().solve(&(-&pe.eq)) else {
            return;
        };
        if !d.iter().all(|v| v.is_finite()) {
            return;
        }
        for (xi, di) in x.iter_mut().zip(d.iter()) {
            *xi += di;
        }
        if d.norm() <= 1e-15 * (1.0 + x.iter().map(|v| v.abs()).fold(0.0, f64::max)) {
            return;
        }
    }
}

fn quad(h: &[Vec<Interval>], u: &DVector<f64>) -> Interval {
    let n = u.len();
    let mut acc = pt(0.0);
    for i in 0..n {
        for j in 0..n {
            acc += pt(u[i]) * pt(u[j]) * h[i][j];
        }
    }
    acc
}

/// Tries to prove a critical point of `f` off the minimum set near `x0`. `None` when the
/// Krawczyk test fails at every radius.
pub(crate) fn prove_point(
    sys: &System,
    x0: &[f64],
    bx: &RationalBox,
    inf_f: Option<&Rational>,
) -> Option<Proof> {
    let n = sys.n;
    let mut x = x0.to_vec();
    newton_refine(sys, &mut x);
    for rel in [1e-10, 1e-8, 1e-6] {
        let rad: Vec<f64> = x.iter().map(|v| rel * v.abs().max(1.0)).collect();
        let xs: Vec<Interval> = x
            .iter()
            .zip(&rad)
            .map(|(&m, &r)| Interval::try_from((m - r, m + r)).unwrap_or(Interval::ENTIRE))
            .collect();
        let inside = xs.iter().enumerate().all(|(i, iv)| {
            match (Rational::from_f64(iv.inf()), Rational::from_f64(iv.sup())) {
                (Some(a), Some(b)) => a >= bx.lo[i] && b <= bx.hi[i],
                _ => false,
            }
        });
        if !inside {
            return None;
        }
        let Some((outs, smooth)) = sys.eval_iv(&xs) else {
            continue;
        };
        if !smooth {
            continue;
        }
        let eqs = |o: &[Interval]| (0..n).map(|i| o[sys.eq_index(i)]).collect::<Vec<_>>();
        let ok = krawczyk(
            &x,
            &rad,
            |ms| sys.eval_iv(ms).map(|(o, _)| eqs(&o)),
            |b| {
                sys.eval_iv(b).map(|(o, _)| {
                    (0..n)
                        .map(|i| (0..n).map(|j| o[sys.h_index(i, j)]).collect())
                        .collect()
                })
            },
        );
        if !ok {
            continue;
        }
        let excl = |v: Interval| v.inf() > 0.0 || v.sup() < 0.0;
        let res: Vec<Interval> = outs[1..1 + sys.m].to_vec();
        let off = match sys.kind {
            StructureKind::General => {
                inf_f.is_some_and(|q| outs[0].inf() > interval_of(q, q).sup())
            }
            _ => res.iter().any(|&r| excl(r)),
        };
        let sign = match sys.kind {
            StructureKind::Scalar if excl(res[0]) => {
                Some(if res[0].sup() < 0.0 { -1.0 } else { 1.0 })
            }
            StructureKind::Scalar => None,
            _ => Some(1.0),
        };
        let class = sign.and_then(|s| {
            let h: Vec<Vec<Interval>> = (0..n)
                .map(|i| (0..n).map(|j| pt(s) * outs[sys.h_index(i, j)]).collect())
                .collect();
            let neg: Vec<Vec<Interval>> =
                h.iter().map(|r| r.iter().map(|&v| -v).collect()).collect();
            if interval_cholesky(&h).is_ok() {
                return Some(Classification::LocalMinimum);
            }
            if interval_cholesky(&neg).is_ok() {
                return Some(Classification::LocalMaximum);
            }
            let mid = DMatrix::from_fn(n, n, |i, j| h[i][j].mid());
            let eig = eigen(&mid)?;
            let (mut imin, mut imax) = (0, 0);
            for k in 0..n {
                if eig.eigenvalues[k] < eig.eigenvalues[imin] {
                    imin = k;
                }
                if eig.eigenvalues[k] > eig.eigenvalues[imax] {
                    imax = k;
                }
            }
            let u: DVector<f64> = eig.eigenvectors.column(imax).into_owned();
            let v: DVector<f64> = eig.eigenvectors.column(imin).into_owned();
            (quad(&h, &u).inf() > 0.0 && quad(&h, &v).sup() < 0.0).then_some(Classification::Saddle)
        });
        return Some(Proof { exists: off, class });
    }
    None
}
