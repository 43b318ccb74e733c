//! Interval Cholesky: positive definiteness of every symmetric matrix in an interval matrix.
//!
//! Contract: `Ok` only when every pivot enclosure is positive, which proves every symmetric
//! matrix with entries in the given intervals positive definite. Outward-rounded arithmetic
//! (`inari`) only.

use inari::Interval;

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
// Dense factorization reads best with explicit indices.
#[allow(clippy::needless_range_loop)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pt;
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
}
