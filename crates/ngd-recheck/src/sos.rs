//! Sum-of-squares certificates re-checked: every object of the report that carries a
//! `certificate` with a `target`, `variables` and `equations` (an `ngd_sos::SosClaim`).
//!
//! The check is recheck's own: `ngd_sos` only supplies the certificate's data type. The
//! identity `target = z^T G z + sum_i lambda_i g_i` is expanded here over Q, `G` must be
//! symmetric (`z^T G z` only sees `(G + G^T) / 2`, so an asymmetric `G` could pass an
//! elimination that reads one triangle), and positive semidefiniteness is decided by the exact
//! `L D L^T` of [`ldl`], which also yields the squares `q_k` the strict C4 certificate is built
//! on ([`squares`]).

use crate::{Claim, Failure, Item};
use ngd_algebra::Poly;
use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use ngd_sos::{CertificateError, SosCertificate};
use rug::Rational;
use serde_json::Value;

/// The largest exponent read from a certificate: `ngd_algebra::Poly` holds exponents up to
/// `2^30` and panics beyond, so products of printed monomials must stay below that.
const MAX_EXPONENT: i32 = 1 << 20;

/// Walks the report and re-checks every SOS claim found.
pub fn collect(v: &Value, path: &str, out: &mut Vec<Item>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("certificate") && m.contains_key("target") {
                out.push(Item {
                    claim: Claim::SumOfSquares {
                        path: path.to_string(),
                        target: v["target"].as_str().unwrap_or_default().to_string(),
                        equations: v["equations"]
                            .as_array()
                            .map(|e| {
                                e.iter()
                                    .map(|q| q.as_str().unwrap_or_default().to_string())
                                    .collect()
                            })
                            .unwrap_or_default(),
                    },
                    failure: check(v),
                });
                return;
            }
            for (k, c) in m {
                collect(c, &crate::child_path(path, k), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                collect(c, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// `None` when the claim's certificate proves its printed target on its printed set.
fn check(claim: &Value) -> Option<Failure> {
    let (_, target, equations) = match claim_polynomials(claim) {
        Ok(p) => p,
        Err(what) => return Some(Failure::Unreadable { what }),
    };
    let cert: SosCertificate = match serde_json::from_value(claim["certificate"].clone()) {
        Ok(c) => c,
        Err(e) => {
            return Some(Failure::Unreadable {
                what: format!("the certificate ({e})"),
            })
        }
    };
    verify(&cert, &target, &equations)
        .err()
        .map(|error| Failure::Certificate { error })
}

/// Parses the printed polynomials of an SOS claim (its `target` and `equations`) in its
/// `variables`: `(names, target, equations)`, or what could not be read.
pub(crate) fn claim_polynomials(claim: &Value) -> Result<(Vec<String>, Poly, Vec<Poly>), String> {
    let names = claim["variables"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or("the certificate's variables")?;
    let mut arena = Arena::new(names.clone());
    let mut poly = |src: &str| {
        let e = parse_expr(&mut arena, src, &Params::new()).ok()?;
        ngd_sos::syntactic_poly(&arena, e)
    };
    let target = claim["target"]
        .as_str()
        .and_then(&mut poly)
        .ok_or("the certificate's target polynomial")?;
    let mut equations = Vec::new();
    for e in claim["equations"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        equations.push(
            e.as_str()
                .and_then(&mut poly)
                .ok_or_else(|| format!("the equation {e}"))?,
        );
    }
    Ok((names, target, equations))
}

/// `Ok` when `target = z^T G z + sum_i lambda_i g_i` exactly and `G` is symmetric positive
/// semidefinite: a proof that `target >= 0` where every `g_i` (`equalities`) vanishes.
pub(crate) fn verify(
    cert: &SosCertificate,
    target: &Poly,
    equalities: &[Poly],
) -> Result<(), CertificateError> {
    let n = target.n_vars();
    let gram = gram_matrix(cert)?;
    if equalities.len() != cert.multipliers.len() {
        return Err(CertificateError::Shape);
    }
    let z = cert
        .basis
        .iter()
        .map(|m| exponents(m, n))
        .collect::<Result<Vec<_>, _>>()?;
    let mut terms = Vec::new();
    for (i, row) in gram.iter().enumerate() {
        for (j, entry) in row.iter().enumerate() {
            if *entry != 0 {
                let product = z[i].iter().zip(&z[j]).map(|(a, b)| a + b).collect();
                terms.push((product, entry.clone()));
            }
        }
    }
    let mut sum = Poly::from_terms_n(n, terms);
    for (lambda, g) in cert.multipliers.iter().zip(equalities) {
        sum = sum.add(&terms_poly(lambda, n)?.mul(g));
    }
    let diff = target.sub(&sum);
    if !diff.is_zero() {
        return Err(CertificateError::IdentityFails { terms: diff.len() });
    }
    ldl(&gram).map(|_| ())
}

/// The Gram matrix of a certificate: exact rationals, square over the basis, symmetric.
fn gram_matrix(cert: &SosCertificate) -> Result<Vec<Vec<Rational>>, CertificateError> {
    let gram = cert
        .gram
        .iter()
        .map(|r| r.iter().map(|s| rational(s)).collect())
        .collect::<Result<Vec<Vec<Rational>>, _>>()?;
    let size = cert.basis.len();
    if gram.len() != size || gram.iter().any(|r| r.len() != size) {
        return Err(CertificateError::Shape);
    }
    let symmetric = (0..size).all(|i| (0..i).all(|j| gram[i][j] == gram[j][i]));
    if !symmetric {
        return Err(CertificateError::Shape);
    }
    Ok(gram)
}

/// One positive pivot `p_k` of the elimination and its row `r_k` (zero before the pivot):
/// `G = sum_k r_k r_k^T / p_k`.
pub(crate) struct Pivot {
    /// `p_k > 0`.
    pub pivot: Rational,
    /// `r_k`, over the whole basis.
    pub row: Vec<Rational>,
}

/// Exact symmetric elimination without pivoting of a symmetric `G`: the positive pivots with
/// their rows, or the first row showing `G` is not positive semidefinite (a negative pivot,
/// or a zero pivot whose remaining row is not zero: the Schur complement of a PSD matrix is
/// PSD, and a PSD matrix with a zero diagonal entry has a zero row there).
pub(crate) fn ldl(gram: &[Vec<Rational>]) -> Result<Vec<Pivot>, CertificateError> {
    let size = gram.len();
    let mut a = gram.to_vec();
    let mut pivots = Vec::new();
    for k in 0..size {
        let pivot = a[k][k].clone();
        let zero_row = a[k][k + 1..].iter().all(|v| *v == 0);
        if pivot < 0 || (pivot == 0 && !zero_row) {
            return Err(CertificateError::NotSemidefinite { row: k });
        }
        if pivot == 0 {
            continue;
        }
        let row: Vec<Rational> = (0..size)
            .map(|j| {
                if j < k {
                    Rational::new()
                } else {
                    a[k][j].clone()
                }
            })
            .collect();
        for i in k + 1..size {
            if row[i] == 0 {
                continue;
            }
            let ratio = Rational::from(&row[i] / &pivot);
            for j in k + 1..size {
                a[i][j] -= Rational::from(&ratio * &row[j]);
            }
        }
        pivots.push(Pivot { pivot, row });
    }
    Ok(pivots)
}

/// The squares `q_k = r_k . z` of a certificate's Gram matrix in `n` variables, with their
/// pivots (`z^T G z = sum_k q_k^2 / p_k`), after checking that `G` is symmetric PSD.
pub(crate) fn squares(
    cert: &SosCertificate,
    n: usize,
) -> Result<Vec<(Poly, Rational)>, CertificateError> {
    let gram = gram_matrix(cert)?;
    let z = cert
        .basis
        .iter()
        .map(|m| monomial(m, Rational::from(1), n))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ldl(&gram)?
        .into_iter()
        .map(|p| {
            let q = p
                .row
                .iter()
                .zip(&z)
                .filter(|(c, _)| **c != 0)
                .fold(Poly::zero(n), |acc, (c, zj)| acc.add(&zj.scale(c)));
            (q, p.pivot)
        })
        .collect())
}

/// An exact rational printed as `"p/q"`.
pub(crate) fn rational(s: &str) -> Result<Rational, CertificateError> {
    Rational::parse(s)
        .map(Rational::from)
        .map_err(|_| CertificateError::Malformed { text: s.into() })
}

/// An exponent vector of `n` variables (another length, or an exponent beyond what a
/// polynomial holds, is a shape error).
fn exponents(m: &[u32], n: usize) -> Result<Vec<i32>, CertificateError> {
    if m.len() != n {
        return Err(CertificateError::Shape);
    }
    // Products of two basis monomials must stay within the polynomial's exponent range.
    m.iter()
        .map(|&e| {
            i32::try_from(e)
                .ok()
                .filter(|&e| e <= MAX_EXPONENT)
                .ok_or(CertificateError::Shape)
        })
        .collect()
}

/// `c x^m` in `n` variables.
fn monomial(m: &[u32], c: Rational, n: usize) -> Result<Poly, CertificateError> {
    Ok(Poly::from_terms_n(n, vec![(exponents(m, n)?, c)]))
}

/// A sparse polynomial printed as `(exponents, coefficient)` terms, in `n` variables.
pub(crate) fn terms_poly(terms: &[(Vec<u32>, String)], n: usize) -> Result<Poly, CertificateError> {
    terms.iter().try_fold(Poly::zero(n), |acc, (m, c)| {
        Ok(acc.add(&monomial(m, rational(c)?, n)?))
    })
}
