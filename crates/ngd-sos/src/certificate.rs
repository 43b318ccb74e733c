//! An exact SOS certificate and its independent check: `target = z^T G z + sum_i lambda_i g_i`
//! as polynomials over Q, and `G` positive semidefinite by exact elimination. Everything is
//! stored as strings of exact rationals, so a reader can re-check it without the search.

use crate::basis::BasisSizes;
use crate::monomial::{product, Monomial};
use crate::psd::{definiteness, Definiteness};
use ngd_algebra::Poly;
use rug::Rational;
use serde::{Deserialize, Serialize};

/// `target = z^T G z + sum_i lambda_i g_i` with `G` positive semidefinite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SosCertificate {
    /// The monomial vector `z`, as exponent vectors.
    pub basis: Vec<Monomial>,
    /// The Gram matrix `G`, row by row, exact rationals (`"3/2"`).
    pub gram: Vec<Vec<String>>,
    /// The multipliers `lambda_i`, as `(exponents, coefficient)` terms.
    pub multipliers: Vec<Vec<(Monomial, String)>>,
    /// The rank of `G` (its exact number of positive pivots).
    pub rank: usize,
    /// The program's size before and after the reductions.
    pub sizes: ProgramSizes,
}

/// Sizes of the semidefinite program, for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProgramSizes {
    /// The Gram basis before and after the reductions.
    pub basis: BasisSizes,
    /// Kernel vectors imposed exactly (facial reduction).
    pub kernel: usize,
    /// Unknowns of the SDP (Gram entries and multiplier coefficients).
    pub unknowns: usize,
    /// Coefficient equations.
    pub equations: usize,
    /// Denominator of the rounding that succeeded.
    pub denominator: u64,
}

/// Why a certificate does not prove its claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CertificateError {
    /// An entry is not an exact rational.
    Malformed {
        /// The offending text.
        text: String,
    },
    /// The Gram matrix is not square over the basis, or not symmetric (the definiteness test
    /// reads one triangle, so a non-symmetric matrix could pass it while `z^T G z` is not the
    /// sum of squares it certifies), or the multipliers do not match the equalities.
    Shape,
    /// The identity fails: `target - z^T G z - sum lambda_i g_i` is not zero.
    IdentityFails {
        /// Number of non-zero terms of the difference.
        terms: usize,
    },
    /// The Gram matrix is not positive semidefinite.
    NotSemidefinite {
        /// The first failing pivot.
        row: usize,
    },
}

impl SosCertificate {
    /// Checks the certificate exactly against `target` and the `equalities` (one per
    /// multiplier): the polynomial identity, then positive semidefiniteness. `Ok` is a proof
    /// that `target >= 0` wherever every equality holds.
    pub fn verify(&self, target: &Poly, equalities: &[Poly]) -> Result<(), CertificateError> {
        let gram = parse_matrix(&self.gram)?;
        if gram.len() != self.basis.len() || gram.iter().any(|r| r.len() != self.basis.len()) {
            return Err(CertificateError::Shape);
        }
        let symmetric = (0..gram.len()).all(|i| (0..i).all(|j| gram[i][j] == gram[j][i]));
        if !symmetric {
            return Err(CertificateError::Shape);
        }
        if equalities.len() != self.multipliers.len() {
            return Err(CertificateError::Shape);
        }
        let n = target.n_vars();
        let mut terms: Vec<(Vec<i32>, Rational)> = Vec::new();
        for (i, a) in self.basis.iter().enumerate() {
            for (j, b) in self.basis.iter().enumerate() {
                if gram[i][j] != 0 {
                    terms.push((signed(&product(a, b), n)?, gram[i][j].clone()));
                }
            }
        }
        let mut sum = Poly::from_terms_n(n, terms);
        for (lambda, g) in self.multipliers.iter().zip(equalities) {
            let l = Poly::from_terms_n(
                n,
                lambda
                    .iter()
                    .map(|(m, c)| Ok((signed(m, n)?, parse(c)?)))
                    .collect::<Result<_, CertificateError>>()?,
            );
            sum = sum.add(&l.mul(g));
        }
        let diff = target.sub(&sum);
        if !diff.is_zero() {
            return Err(CertificateError::IdentityFails { terms: diff.len() });
        }
        match definiteness(&gram) {
            Definiteness::Semidefinite { .. } => Ok(()),
            Definiteness::Indefinite { row } => Err(CertificateError::NotSemidefinite { row }),
        }
    }
}

fn parse(s: &str) -> Result<Rational, CertificateError> {
    Rational::parse(s)
        .map(Rational::from)
        .map_err(|_| CertificateError::Malformed {
            text: s.to_string(),
        })
}

fn parse_matrix(rows: &[Vec<String>]) -> Result<Vec<Vec<Rational>>, CertificateError> {
    rows.iter()
        .map(|r| r.iter().map(|s| parse(s)).collect())
        .collect()
}

/// An exponent vector of the right length as `Poly` exponents.
fn signed(m: &[u32], n: usize) -> Result<Vec<i32>, CertificateError> {
    if m.len() != n {
        return Err(CertificateError::Shape);
    }
    m.iter()
        .map(|&e| i32::try_from(e).map_err(|_| CertificateError::Shape))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(gram: [[&str; 2]; 2]) -> SosCertificate {
        SosCertificate {
            basis: vec![vec![0], vec![1]],
            gram: gram
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
            multipliers: Vec::new(),
            rank: 2,
            sizes: ProgramSizes {
                basis: crate::BasisSizes {
                    full: 2,
                    newton: 2,
                    reduced: 2,
                },
                kernel: 0,
                unknowns: 3,
                equations: 3,
                denominator: 1,
            },
        }
    }

    /// `1 + 3x + x^2` is `-1` at `x = -1`; the non-symmetric `[[1, 0], [3, 1]]` reproduces it
    /// as `z^T G z` over `z = (1, x)` and its lower triangle factors with positive pivots, so
    /// without the symmetry test it "proved" a false claim.
    #[test]
    fn a_non_symmetric_gram_matrix_proves_nothing() {
        let p = Poly::from_terms_n(
            1,
            vec![
                (vec![0], 1.into()),
                (vec![1], 3.into()),
                (vec![2], 1.into()),
            ],
        );
        assert_eq!(
            cert([["1", "0"], ["3", "1"]]).verify(&p, &[]),
            Err(CertificateError::Shape)
        );
        // The symmetric split of the same form is indefinite, as it must be.
        assert!(matches!(
            cert([["1", "3/2"], ["3/2", "1"]]).verify(&p, &[]),
            Err(CertificateError::NotSemidefinite { .. })
        ));
    }
}
