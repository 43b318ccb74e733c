//! Levenberg-Marquardt for `F(x) = 0` (square or not, singular Jacobians allowed): numerical
//! evidence only. Near a manifold of zeros the damped step is nearly orthogonal to it, so a
//! run from a perturbed point approximates the projection onto the zero set.

use nalgebra::{DMatrix, DVector};

/// The end of a run.
pub(crate) struct Lm {
    pub x: Vec<f64>,
    pub converged: bool,
    /// An estimate of the remaining error: from the last two accepted steps `s1`, `s2` with
    /// rate `q = s2/s1`, `s2 q/(1 - q)` (about `s2` for the linear convergence at degenerate
    /// zeros, far smaller for quadratic convergence); `0` at an exact zero.
    pub last_step: f64,
}

/// Minimizes `|F|` from `x0` with at most `max_steps` Jacobian solves; converged when
/// `|F| <= tol`, after which further steps polish the point while `|F|` decreases (at most
/// `max_steps` more). Steps are capped at `max_len`.
pub(crate) fn levenberg_marquardt<E>(
    mut eval: E,
    x0: &[f64],
    max_steps: usize,
    tol: f64,
    max_len: f64,
) -> Option<Lm>
where
    E: FnMut(&[f64]) -> Option<(DVector<f64>, DMatrix<f64>)>,
{
    let n = x0.len();
    let mut x = DVector::from_column_slice(x0);
    let (mut fv, mut j) = eval(x.as_slice())?;
    if j.ncols() != n || j.nrows() != fv.len() {
        return None;
    }
    let mut r = fv.norm();
    let mut converged = r <= tol;
    let (mut prev_step, mut last_step) = (0.0_f64, 0.0_f64);
    let diag_max = |j: &DMatrix<f64>| {
        (0..n)
            .map(|c| j.column(c).norm_squared())
            .fold(0.0_f64, f64::max)
    };
    let mut mu = 1e-3 * diag_max(&j).max(1e-300);
    // After convergence the run polishes while |F| still decreases (quadratic convergence
    // stops at once at the rounding floor; the linear convergence at degenerate zeros goes
    // on), with a second budget of `max_steps`.
    for it in 0..2 * max_steps {
        if r == 0.0 || (!converged && it >= max_steps) {
            break;
        }
        let jt = j.transpose();
        let mut a = &jt * &j;
        let scale = diag_max(&j).max(1e-300);
        for i in 0..n {
            a[(i, i)] += mu;
        }
        let b = -(&jt * &fv);
        let Some(ch) = a.cholesky() else {
            mu *= 10.0;
            if mu > 1e20 * scale {
                break;
            }
            continue;
        };
        let mut d = ch.solve(&b);
        let len = d.norm();
        if !len.is_finite() {
            break;
        }
        if len > max_len {
            d *= max_len / len;
        }
        let step = d.norm();
        let xn = &x + &d;
        match eval(xn.as_slice()) {
            Some((f2, j2)) if f2.norm() < r => {
                x = xn;
                fv = f2;
                j = j2;
                r = fv.norm();
                prev_step = last_step;
                last_step = step;
                mu = (mu / 3.0).max(1e-15 * scale);
                if r <= tol {
                    converged = true;
                }
            }
            _ => {
                if converged {
                    break;
                }
                mu *= 4.0;
                if mu > 1e20 * scale {
                    break;
                }
            }
        }
        if step <= 1e-17 * (1.0 + x.norm()) {
            break;
        }
    }
    let err = if r == 0.0 {
        0.0
    } else if prev_step > 0.0 {
        let q = (last_step / prev_step).min(0.9);
        last_step * q / (1.0 - q)
    } else {
        last_step
    };
    Some(Lm {
        x: x.iter().copied().collect(),
        converged,
        last_step: err,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_regular_and_degenerate_zeros() {
        // F = (x^2 - 2): sqrt 2.
        let r = levenberg_marquardt(
            |x| {
                Some((
                    DVector::from_vec(vec![x[0] * x[0] - 2.0]),
                    DMatrix::from_element(1, 1, 2.0 * x[0]),
                ))
            },
            &[1.0],
            60,
            1e-12,
            10.0,
        )
        .unwrap();
        assert!(r.converged && (r.x[0] - 2f64.sqrt()).abs() < 1e-10);
        // F = (3x^2, 3y^2): linear convergence to the origin.
        let r = levenberg_marquardt(
            |x| {
                Some((
                    DVector::from_vec(vec![3.0 * x[0] * x[0], 3.0 * x[1] * x[1]]),
                    DMatrix::from_row_slice(2, 2, &[6.0 * x[0], 0.0, 0.0, 6.0 * x[1]]),
                ))
            },
            &[1.0, -2.0],
            80,
            1e-10,
            10.0,
        )
        .unwrap();
        assert!(r.converged && r.x[0].abs() < 1e-4 && r.x[1].abs() < 1e-4);
        assert!(r.last_step > 0.0);
    }
}
