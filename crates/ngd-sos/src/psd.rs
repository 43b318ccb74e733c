//! Exact positive semidefiniteness of a symmetric rational matrix by symmetric Gaussian
//! elimination (`L D L^T`): the Schur complement of a positive semidefinite matrix is positive
//! semidefinite, so the matrix is PSD exactly when every pivot is `>= 0` and a zero pivot has a
//! zero row in the remaining block.

use rug::Rational;

/// The outcome of the exact test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Definiteness {
    /// Positive semidefinite, with the number of positive pivots (the rank).
    Semidefinite {
        /// The rank.
        rank: usize,
    },
    /// Not positive semidefinite: the first failing pivot.
    Indefinite {
        /// The row where elimination failed.
        row: usize,
    },
}

/// Decides exactly whether the symmetric matrix `m` (full storage, only the upper triangle
/// is read) is positive semidefinite.
pub fn definiteness(m: &[Vec<Rational>]) -> Definiteness {
    match factor(m) {
        Ok(rows) => Definiteness::Semidefinite { rank: rows.len() },
        Err(row) => Definiteness::Indefinite { row },
    }
}

/// One term of `m = sum_k row_k row_k^T / pivot_k`: a positive pivot of the elimination and
/// its row of the Schur complement (zero before the pivot's column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PivotRow {
    /// The pivot, `> 0`.
    pub pivot: Rational,
    /// The row of the eliminated matrix at the pivot, full length.
    pub row: Vec<Rational>,
}

/// The exact `L D L^T` factorization of a positive semidefinite `m` as a sum of rank-one
/// terms (`m = sum_k row_k row_k^T / pivot_k`, so `z^T m z = sum_k (row_k . z)^2 / pivot_k`),
/// or the first row where elimination shows `m` is not positive semidefinite.
pub fn factor(m: &[Vec<Rational>]) -> Result<Vec<PivotRow>, usize> {
    let n = m.len();
    let mut a: Vec<Vec<Rational>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    if i <= j {
                        m[i][j].clone()
                    } else {
                        m[j][i].clone()
                    }
                })
                .collect()
        })
        .collect();
    let mut rows = Vec::new();
    for k in 0..n {
        let pivot = a[k][k].clone();
        if pivot < 0 {
            return Err(k);
        }
        if pivot == 0 {
            if a[k][k + 1..].iter().any(|v| *v != 0) {
                return Err(k);
            }
            continue;
        }
        let (done, rest) = a.split_at_mut(k + 1);
        let pivot_row = &done[k];
        for (offset, row) in rest.iter_mut().enumerate() {
            let i = k + 1 + offset;
            if pivot_row[i] == 0 {
                continue;
            }
            let f = Rational::from(&pivot_row[i] / &pivot);
            for (target, v) in row[i..].iter_mut().zip(&pivot_row[i..]) {
                if *v != 0 {
                    *target -= Rational::from(&f * v);
                }
            }
        }
        // Only the upper part of row k is meaningful: the lower part was never updated.
        let row = (0..n)
            .map(|j| {
                if j < k {
                    Rational::new()
                } else {
                    pivot_row[j].clone()
                }
            })
            .collect();
        rows.push(PivotRow { pivot, row });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mat(rows: &[&[i64]]) -> Vec<Vec<Rational>> {
        rows.iter()
            .map(|r| r.iter().map(|&v| Rational::from(v)).collect())
            .collect()
    }

    #[test]
    fn decides_small_cases_exactly() {
        assert_eq!(
            definiteness(&mat(&[&[2, 1], &[1, 2]])),
            Definiteness::Semidefinite { rank: 2 }
        );
        assert_eq!(
            definiteness(&mat(&[&[1, 1], &[1, 1]])),
            Definiteness::Semidefinite { rank: 1 }
        );
        assert_eq!(
            definiteness(&mat(&[&[1, 2], &[2, 1]])),
            Definiteness::Indefinite { row: 1 }
        );
        // A zero pivot with a non-zero row: [[0, 1], [1, 0]] is indefinite.
        assert_eq!(
            definiteness(&mat(&[&[0, 1], &[1, 0]])),
            Definiteness::Indefinite { row: 0 }
        );
        assert_eq!(
            definiteness(&mat(&[&[0, 0], &[0, 3]])),
            Definiteness::Semidefinite { rank: 1 }
        );
    }

    #[test]
    fn the_factor_reproduces_the_matrix() {
        let m = mat(&[&[4, 2, -2], &[2, 5, 1], &[-2, 1, 3]]);
        let rows = factor(&m).unwrap();
        for (i, row) in m.iter().enumerate() {
            for (j, entry) in row.iter().enumerate() {
                let sum: Rational = rows
                    .iter()
                    .map(|r| Rational::from(&r.row[i] * &r.row[j]) / &r.pivot)
                    .sum();
                assert_eq!(sum, *entry, "entry ({i}, {j})");
            }
        }
        assert_eq!(factor(&mat(&[&[1, 2], &[2, 1]])), Err(1));
    }
}
