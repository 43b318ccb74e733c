//! The Krawczyk test: existence and uniqueness of a zero of a map in a box.
//!
//! Contract: `true` only when the Krawczyk operator maps the box into its interior, which
//! proves that the map has exactly one zero in the box (Krawczyk; Moore). The caller must
//! pass enclosures of the map and of its Jacobian over the box; the map must be continuously
//! differentiable on the box (check it with `Tape::eval_interval_smooth`).

use crate::pt;
use inari::Interval;
use nalgebra::DMatrix;

/// The Krawczyk test on the box `X = [mid - rad, mid + rad]`: with `Y` an approximate
/// inverse of the midpoint of the interval Jacobian `J(X)`,
/// `K = mid - Y F(mid) + (I - Y J(X)) (X - mid)`. If `K` lies in the interior of `X`,
/// `F` has exactly one zero in `X` (Krawczyk; Moore). `f` must return an enclosure of `F`
/// at the point box `mid`, `jac` an enclosure of the Jacobian over `X`.
#[allow(clippy::needless_range_loop)]
pub fn krawczyk(
    mid: &[f64],
    rad: &[f64],
    f: impl Fn(&[Interval]) -> Option<Vec<Interval>>,
    jac: impl Fn(&[Interval]) -> Option<Vec<Vec<Interval>>>,
) -> bool {
    let n = mid.len();
    let xs: Vec<Interval> = mid
        .iter()
        .zip(rad)
        .map(|(&m, &r)| Interval::try_from((m - r, m + r)).unwrap_or(Interval::ENTIRE))
        .collect();
    let ms: Vec<Interval> = mid.iter().map(|&m| pt(m)).collect();
    let Some(fm) = f(&ms) else { return false };
    let Some(jx) = jac(&xs) else { return false };
    if fm.len() != n || jx.len() != n {
        return false;
    }
    let mut c = DMatrix::<f64>::zeros(n, n);
    for i in 0..n {
        for j in 0..n {
            let v = jx[i][j];
            if v.is_empty() || !v.mid().is_finite() {
                return false;
            }
            c[(i, j)] = v.mid();
        }
    }
    let Some(y) = c.try_inverse() else {
        return false;
    };
    if !y.iter().all(|v| v.is_finite()) {
        return false;
    }
    for i in 0..n {
        // mid_i - (Y F(mid))_i
        let mut k = ms[i];
        for j in 0..n {
            k -= pt(y[(i, j)]) * fm[j];
        }
        // + sum_j (I - Y J)_ij (X_j - mid_j)
        for j in 0..n {
            let mut a = if i == j { pt(1.0) } else { pt(0.0) };
            for l in 0..n {
                a -= pt(y[(i, l)]) * jx[l][j];
            }
            k += a * (xs[j] - ms[j]);
        }
        if !k.interior(xs[i]) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pt;

    #[test]
    fn krawczyk_finds_sqrt2() {
        // x^2 - 2 = 0 near 1.41421356
        let ok = krawczyk(
            &[std::f64::consts::SQRT_2],
            &[1e-9],
            |x| Some(vec![x[0].sqr() - pt(2.0)]),
            |x| Some(vec![vec![pt(2.0) * x[0]]]),
        );
        assert!(ok);
        let bad = krawczyk(
            &[1.5],
            &[1e-3],
            |x| Some(vec![x[0].sqr() - pt(2.0)]),
            |x| Some(vec![vec![pt(2.0) * x[0]]]),
        );
        assert!(!bad);
    }
}
