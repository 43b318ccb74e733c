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
    let mut rank = 0;
    for k in 0..n {
        let pivot = a[k][k].clone();
        if pivot < 0 {
            return Definiteness::Indefinite { row: k };
        }
        if pivot == 0 {
            if a[k][k + 1..].iter().any(|v| *v != 0) {
                return Definiteness::Indefinite { row: k };
            }
            continue;
        }
        rank += 1;
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
    }
    Definiteness::Semidefinite { rank }
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
}
