//! Interval certificates: interval Cholesky (positive definiteness of every symmetric matrix
//! in an interval matrix) and the Krawczyk test (existence and uniqueness of a zero in a
//! box). Both use `inari`'s outward-rounded arithmetic only, so a success is a proof.

use inari::Interval;
use nalgebra::DMatrix;

/// The point interval `[v, v]` of a finite `f64`.
pub fn pt(v: f64) -> Interval {
    Interval::try_from((v, v)).unwrap_or(Interval::ENTIRE)
}

/// Why interval Cholesky failed.
#[derive(Clone, Debug, PartialEq)]
pub struct CholeskyFailure {
    /// The pivot (0-based) whose enclosure was not positive.
    pub pivot: usize,
    /// The enclosure's lower bound there.
    pub lower: f64,
}

/// Interval Cholesky factorization of the symmetric interval matrix `a` (only the lower
/// triangle and diagonal are read).
///
/// If every pivot enclosure is positive, every symmetric matrix `A` with `A_ij` in `a_ij`
/// is positive definite: by inclusion isotonicity each step encloses the corresponding step
/// of the exact Cholesky factorization of `A`, so all of `A`'s pivots are positive
/// (Alefeld & Mayer, "The Cholesky method for interval data", 1993). Returns the smallest
/// certified lower bound of a pivot `L_jj^2`.
pub fn interval_cholesky(a: &[Vec<Interval>]) -> Result<f64, CholeskyFailure> {
    let n = a.len();
    let mut l = vec![vec![Interval::EMPTY; n]; n];
    let mut min_pivot = f64::INFINITY;
    for j in 0..n {
        let mut s = a[j][j];
        for k in 0..j {
            s -= l[j][k].sqr();
        }
        if s.is_empty() || s.inf() <= 0.0 || !s.inf().is_finite() {
            return Err(CholeskyFailure {
                pivot: j,
                lower: if s.is_empty() { f64::NAN } else { s.inf() },
            });
        }
        min_pivot = min_pivot.min(s.inf());
        let d = s.sqrt();
        l[j][j] = d;
        for i in j + 1..n {
            let mut t = a[i][j];
            for k in 0..j {
                t -= l[i][k] * l[j][k];
            }
            l[i][j] = t / d;
        }
    }
    Ok(min_pivot)
}

/// The Krawczyk test on the box `X = [mid - rad, mid + rad]`: with `Y` an approximate
/// inverse of the midpoint of the interval Jacobian `J(X)`,
/// `K = mid - Y F(mid) + (I - Y J(X)) (X - mid)`. If `K` lies in the interior of `X`,
/// `F` has exactly one zero in `X` (Krawczyk; Moore). `f` must return an enclosure of `F`
/// at the point box `mid`, `jac` an enclosure of the Jacobian over `X`.
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
    use proptest::prelude::*;

    proptest! {
        /// Soundness: whenever interval Cholesky proves a (slightly widened) symmetric matrix
        /// positive definite, its eigenvalues are positive.
        #[test]
        fn cholesky_never_proves_an_indefinite_matrix(
            e in proptest::collection::vec(-4.0f64..4.0, 6),
            w in 0.0f64..1e-3,
        ) {
            let m = [[e[0], e[1], e[2]], [e[1], e[3], e[4]], [e[2], e[4], e[5]]];
            let a: Vec<Vec<Interval>> = (0..3)
                .map(|i| {
                    (0..3)
                        .map(|j| Interval::try_from((m[i][j] - w, m[i][j] + w)).unwrap())
                        .collect()
                })
                .collect();
            if interval_cholesky(&a).is_ok() {
                let mat = nalgebra::Matrix3::from_fn(|i, j| m[i][j]);
                let ev = mat.symmetric_eigenvalues();
                prop_assert!(ev.iter().all(|v| *v > 0.0), "{ev:?}");
            }
        }
    }

    #[test]
    fn cholesky_proves_and_refuses() {
        let a = vec![vec![pt(2.0), pt(1.0)], vec![pt(1.0), pt(2.0)]];
        assert!(interval_cholesky(&a).is_ok());
        let b = vec![vec![pt(1.0), pt(2.0)], vec![pt(2.0), pt(1.0)]];
        assert!(interval_cholesky(&b).is_err());
        // singular: [[1,1],[1,1]]
        let c = vec![vec![pt(1.0), pt(1.0)], vec![pt(1.0), pt(1.0)]];
        assert!(interval_cholesky(&c).is_err());
    }

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
