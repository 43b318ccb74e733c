//! Classification of a critical point from its normal Hessian: exact (inertia of a rational
//! symmetric matrix, Sylvester's law) or numerical (eigenvalues with a tolerance).

use crate::report::Classification;
use nalgebra::{DMatrix, SymmetricEigen};
use rug::Rational;

/// `(positive, negative, zero)` eigenvalue counts of the rational symmetric matrix `a`, by
/// symmetric elimination with congruences (exact; Sylvester's law of inertia).
pub(crate) fn inertia(mut a: Vec<Vec<Rational>>) -> (usize, usize, usize) {
    let k = a.len();
    let (mut pos, mut neg) = (0, 0);
    let mut r = 0;
    while r < k {
        // A nonzero diagonal pivot, else make one from an off-diagonal entry.
        let piv = (r..k).find(|&i| a[i][i] != 0);
        let piv = match piv {
            Some(p) => p,
            None => {
                let Some((i, j)) = (r..k)
                    .flat_map(|i| (i + 1..k).map(move |j| (i, j)))
                    .find(|&(i, j)| a[i][j] != 0)
                else {
                    break;
                };
                // Row/column i += row/column j: a_ii becomes 2 a_ij (a_ii = a_jj = 0).
                for c in 0..k {
                    let v = a[j][c].clone();
                    a[i][c] += v;
                }
                for c in 0..k {
                    let v = a[c][j].clone();
                    a[c][i] += v;
                }
                i
            }
        };
        a.swap(r, piv);
        for row in a.iter_mut() {
            row.swap(r, piv);
        }
        let p = a[r][r].clone();
        if p > 0 {
            pos += 1;
        } else {
            neg += 1;
        }
        for i in r + 1..k {
            if a[i][r] == 0 {
                continue;
            }
            let fac = Rational::from(&a[i][r] / &p);
            for c in r..k {
                let v = Rational::from(&fac * &a[r][c]);
                a[i][c] -= v;
            }
        }
        for i in r + 1..k {
            a[r][i] = Rational::new();
            a[i][r] = Rational::new();
        }
        r += 1;
    }
    (pos, neg, k - pos - neg)
}

/// The classification from an inertia.
pub(crate) fn from_inertia(pos: usize, neg: usize, zero: usize) -> Classification {
    if neg > 0 {
        if pos == 0 && zero == 0 {
            Classification::LocalMaximum
        } else {
            Classification::Saddle
        }
    } else if zero == 0 && pos > 0 {
        Classification::LocalMinimum
    } else {
        Classification::Degenerate
    }
}

/// The symmetric eigendecomposition with an iteration limit; `None` for non-finite entries or
/// no convergence (never a hang).
pub(crate) fn eigen(h: &DMatrix<f64>) -> Option<SymmetricEigen<f64, nalgebra::Dyn>> {
    if !h.iter().all(|v| v.is_finite()) || h.nrows() != h.ncols() {
        return None;
    }
    SymmetricEigen::try_new(h.clone(), f64::EPSILON, 10_000)
}

/// The classification from the eigenvalues of a symmetric matrix, dropping the `drop`
/// eigenvalues of smallest magnitude (the tangent directions of the critical set) and
/// counting `|lambda| <= tol` as zero (`Degenerate` when the eigenvalues are not computable).
pub(crate) fn from_matrix(h: &DMatrix<f64>, drop: usize, tol: f64) -> Classification {
    let Some(eig) = eigen(h) else {
        return Classification::Degenerate;
    };
    let mut lams: Vec<f64> = eig.eigenvalues.iter().copied().collect();
    lams.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    let rest = &lams[drop.min(lams.len())..];
    let pos = rest.iter().filter(|&&l| l > tol).count();
    let neg = rest.iter().filter(|&&l| l < -tol).count();
    from_inertia(pos, neg, rest.len() - pos - neg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(rows: &[&[i64]]) -> Vec<Vec<Rational>> {
        rows.iter()
            .map(|r| r.iter().map(|&v| Rational::from(v)).collect())
            .collect()
    }

    #[test]
    fn exact_inertia() {
        assert_eq!(inertia(q(&[&[0, 1], &[1, 0]])), (1, 1, 0));
        assert_eq!(inertia(q(&[&[2, 0], &[0, 4]])), (2, 0, 0));
        assert_eq!(inertia(q(&[&[0, 0], &[0, 0]])), (0, 0, 2));
        assert_eq!(inertia(q(&[&[1, 1], &[1, 1]])), (1, 0, 1));
        assert_eq!(inertia(q(&[&[0, 0, 1], &[0, 0, 0], &[1, 0, 0]])), (1, 1, 1));
        assert_eq!(
            inertia(q(&[&[-1, 2, 0], &[2, -4, 0], &[0, 0, -3]])),
            (0, 2, 1)
        );
        assert_eq!(inertia(Vec::new()), (0, 0, 0));
        assert_eq!(from_inertia(0, 0, 0), Classification::Degenerate);
        assert_eq!(from_inertia(2, 0, 0), Classification::LocalMinimum);
        assert_eq!(from_inertia(0, 2, 0), Classification::LocalMaximum);
        assert_eq!(from_inertia(0, 1, 1), Classification::Saddle);
        assert_eq!(from_inertia(1, 0, 1), Classification::Degenerate);
    }

    #[test]
    fn numeric_classes() {
        let h = DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 1.0, 0.0]);
        assert_eq!(from_matrix(&h, 0, 1e-9), Classification::Saddle);
        let h = DMatrix::from_row_slice(2, 2, &[2.0, 0.0, 0.0, 1e-12]);
        assert_eq!(from_matrix(&h, 1, 1e-9), Classification::LocalMinimum);
        assert_eq!(from_matrix(&h, 0, 1e-9), Classification::Degenerate);
    }
}
