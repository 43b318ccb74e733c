//! Facial reduction by rounding. When the target has real zeros, every Gram matrix is singular
//! (`z(x0)^T G z(x0) = p(x0) = 0`), rounding alone cannot stay positive semidefinite, and the
//! kernel must be imposed exactly. We read the kernel of the numerical Gram matrix, bring it
//! to reduced echelon form and round it to small rationals; the constraints `G k = 0` then
//! join the exact system. A wrong guess costs only the certificate: the exact check decides.

use crate::program::{Equation, GramProgram};
use nalgebra::DMatrix;
use rug::Rational;

/// Relative size under which an eigenvalue of the numerical Gram matrix counts as zero.
const ZERO_EIGENVALUE: f64 = 1e-6;

/// Largest denominator of a rounded kernel entry.
const MAX_DENOMINATOR: i64 = 100;

/// Largest distance between a kernel entry and its rational (the solver's accuracy).
const TOLERANCE: f64 = 1e-5;

/// The numerical Gram matrix of a solution.
pub fn gram_matrix(program: &GramProgram, x: &[f64]) -> DMatrix<f64> {
    let n = program.basis.len();
    let mut g = DMatrix::zeros(n, n);
    for (k, &(i, j)) in program.pairs.iter().enumerate() {
        g[(i, j)] = x[k];
        g[(j, i)] = x[k];
    }
    g
}

/// A rational basis of the numerical kernel of `g` (empty when `g` is clearly definite, `None`
/// when the kernel does not round to small rationals).
pub fn rational_kernel(g: &DMatrix<f64>) -> Option<Vec<Vec<Rational>>> {
    let eig = g.clone().symmetric_eigen();
    let top = eig.eigenvalues.iter().fold(0.0f64, |a, &b| a.max(b.abs()));
    let null: Vec<usize> = (0..eig.eigenvalues.len())
        .filter(|&i| eig.eigenvalues[i] <= ZERO_EIGENVALUE * top)
        .collect();
    if null.is_empty() {
        return Some(Vec::new());
    }
    // Rows of `v` span the kernel; reduced row echelon form makes the basis canonical.
    let mut v = DMatrix::from_fn(null.len(), g.nrows(), |r, c| eig.eigenvectors[(c, null[r])]);
    reduce_rows(&mut v);
    (0..v.nrows())
        .map(|r| (0..v.ncols()).map(|c| approximate(v[(r, c)])).collect())
        .collect()
}

/// Reduced row echelon form with partial pivoting, in place.
fn reduce_rows(v: &mut DMatrix<f64>) {
    let (rows, cols) = v.shape();
    let mut r = 0;
    for c in 0..cols {
        if r == rows {
            break;
        }
        let (best, size) = (r..rows)
            .map(|i| (i, v[(i, c)].abs()))
            .fold((r, -1.0), |a, b| if b.1 > a.1 { b } else { a });
        if size < 1e-9 {
            continue;
        }
        v.swap_rows(r, best);
        let p = v[(r, c)];
        for j in 0..cols {
            v[(r, j)] /= p;
        }
        for i in 0..rows {
            if i != r {
                let f = v[(i, c)];
                if f != 0.0 {
                    for j in 0..cols {
                        v[(i, j)] -= f * v[(r, j)];
                    }
                }
            }
        }
        r += 1;
    }
}

/// The rational with denominator at most `MAX_DENOMINATOR` (100) within `TOLERANCE` (1e-5) of `x` (continued
/// fractions), if any.
pub fn approximate(x: f64) -> Option<Rational> {
    if !x.is_finite() {
        return None;
    }
    let (mut h0, mut h1, mut k0, mut k1) = (0i64, 1i64, 1i64, 0i64);
    let mut rest = x;
    for _ in 0..40 {
        let a = rest.floor();
        if a.abs() > 1e12 {
            return None;
        }
        let a = a as i64;
        let (h2, k2) = (a * h1 + h0, a * k1 + k0);
        if k2 > MAX_DENOMINATOR {
            break;
        }
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        if (x - h1 as f64 / k1 as f64).abs() <= TOLERANCE {
            return Some(Rational::from((h1, k1)));
        }
        let frac = rest - a as f64;
        if frac.abs() < 1e-15 {
            break;
        }
        rest = 1.0 / frac;
    }
    ((x - h1 as f64 / k1 as f64).abs() <= TOLERANCE && k1 > 0).then(|| Rational::from((h1, k1)))
}

/// The equations `(G k)_i = 0` for every kernel vector `k` and row `i`.
pub fn kernel_equations(program: &GramProgram, kernel: &[Vec<Rational>]) -> Vec<Equation> {
    let n = program.basis.len();
    let index = |i: usize, j: usize| {
        let (a, b) = if i <= j { (i, j) } else { (j, i) };
        // Clarabel's order: column b holds rows 0..=b after the b(b+1)/2 earlier entries.
        b * (b + 1) / 2 + a
    };
    let mut out = Vec::new();
    for k in kernel {
        for i in 0..n {
            let mut terms: Vec<(usize, Rational)> = (0..n)
                .filter(|&j| k[j] != 0)
                .map(|j| (index(i, j), k[j].clone()))
                .collect();
            terms.sort_by_key(|t| t.0);
            out.push(Equation {
                monomial: None,
                terms,
                rhs: Rational::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximates_small_rationals_only() {
        assert_eq!(approximate(0.5), Some(Rational::from((1, 2))));
        assert_eq!(
            approximate(-2.0 / 3.0 + 1e-9),
            Some(Rational::from((-2, 3)))
        );
        assert_eq!(approximate(std::f64::consts::PI), None);
        assert_eq!(approximate(std::f64::consts::SQRT_2), None);
        assert_eq!(approximate(0.0), Some(Rational::new()));
    }

    #[test]
    fn the_kernel_of_the_all_ones_gram_is_found() {
        // [[1, -1], [-1, 1]] has kernel (1, 1).
        let g = DMatrix::from_row_slice(2, 2, &[1.0, -1.0, -1.0, 1.0]);
        let k = rational_kernel(&g).unwrap();
        assert_eq!(k, vec![vec![Rational::from(1), Rational::from(1)]]);
    }
}
