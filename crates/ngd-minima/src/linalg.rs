//! Small dense linear algebra: `f64` through nalgebra, and MPFR by hand (Gaussian
//! elimination with partial pivoting; the systems here have at most a few dozen unknowns).

use nalgebra::{DMatrix, DVector, SymmetricEigen};
use rug::Float;

pub use ngd_eval::vector::{dist, dist_inf, norm};

/// Solves `A x = b` for square `A` by LU; `None` when singular or not finite.
pub fn solve(a: &DMatrix<f64>, b: &DVector<f64>) -> Option<DVector<f64>> {
    let x = a.clone().lu().solve(b)?;
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The minimum-norm solution of `J d = r` (`J` is `m x n`, `m <= n` typically):
/// `d = J^T (J J^T + mu I)^-1 r` with a tiny relative `mu` (Levenberg–Marquardt
/// regularization that only matters when `J` loses rank).
pub fn min_norm_solve(j: &DMatrix<f64>, r: &DVector<f64>) -> Option<DVector<f64>> {
    let m = j.nrows();
    let mut jjt = j * j.transpose();
    let tr = jjt.trace().abs().max(1e-300);
    let mu = 1e-14 * tr / m as f64;
    for i in 0..m {
        jjt[(i, i)] += mu;
    }
    let y = match jjt.clone().cholesky() {
        Some(c) => c.solve(r),
        None => solve(&jjt, r)?,
    };
    let d = j.transpose() * y;
    d.iter().all(|v| v.is_finite()).then_some(d)
}

/// Iteration cap of the SVD and eigen solvers (they may not converge on non-finite input).
pub const MAX_ITERATIONS: usize = 10_000;

/// Singular values of `J` (descending).
pub fn singular_values(j: &DMatrix<f64>) -> Vec<f64> {
    // `try_svd` with an iteration cap: nalgebra's SVD may never converge on non-finite
    // entries (an overflowed exp), and an empty list then means "no rank information".
    let Some(svd) = j
        .clone()
        .try_svd(false, false, f64::EPSILON, MAX_ITERATIONS)
    else {
        return Vec::new();
    };
    let mut s: Vec<f64> = svd.singular_values.iter().copied().collect();
    s.sort_by(|a, b| b.total_cmp(a));
    s
}

/// The numerical rank: singular values above `rel * sigma_max`.
pub fn rank(j: &DMatrix<f64>, rel: f64) -> usize {
    let s = singular_values(j);
    let top = s.first().copied().unwrap_or(0.0);
    if top <= 0.0 || !top.is_finite() {
        return 0;
    }
    s.iter().filter(|&&v| v > rel * top).count()
}

/// An orthonormal basis (columns, `n x (n - r)`) of the null space of the `m x n` matrix `J`,
/// where `r` is the numerical rank at relative threshold `rel`.
pub fn null_space(j: &DMatrix<f64>, rel: f64) -> DMatrix<f64> {
    let n = j.ncols();
    // Pad to a square matrix so the SVD returns a full V.
    let mut sq = DMatrix::<f64>::zeros(n.max(j.nrows()), n);
    sq.view_mut((0, 0), (j.nrows(), n)).copy_from(j);
    let Some(svd) = sq.try_svd(false, true, f64::EPSILON, MAX_ITERATIONS) else {
        return DMatrix::<f64>::zeros(n, 0);
    };
    let vt = svd.v_t.expect("v_t requested");
    let s = &svd.singular_values;
    let top = s.iter().copied().fold(0.0, f64::max);
    let cols: Vec<usize> = (0..s.len())
        .filter(|&i| s[i] <= rel * top || s[i].is_nan() || top == 0.0)
        .collect();
    let mut z = DMatrix::<f64>::zeros(n, cols.len());
    for (c, &i) in cols.iter().enumerate() {
        for k in 0..n {
            z[(k, c)] = vt[(i, k)];
        }
    }
    z
}

/// Eigenvalues (ascending) and the matching eigenvectors (columns) of a symmetric matrix.
pub fn sym_eigen(a: &DMatrix<f64>) -> (Vec<f64>, DMatrix<f64>) {
    // nalgebra panics on an empty matrix (the projected Hessian on a 0-dimensional M).
    if a.nrows() == 0 {
        return (Vec::new(), DMatrix::zeros(0, 0));
    }
    let sym = (a + a.transpose()) * 0.5;
    let Some(e) = SymmetricEigen::try_new(sym, f64::EPSILON, MAX_ITERATIONS) else {
        let n = a.nrows();
        return (vec![f64::NAN; n], DMatrix::zeros(n, n));
    };
    let mut idx: Vec<usize> = (0..e.eigenvalues.len()).collect();
    idx.sort_by(|&i, &k| e.eigenvalues[i].total_cmp(&e.eigenvalues[k]));
    let vals = idx.iter().map(|&i| e.eigenvalues[i]).collect();
    let mut vecs = DMatrix::<f64>::zeros(a.nrows(), idx.len());
    for (c, &i) in idx.iter().enumerate() {
        vecs.set_column(c, &e.eigenvectors.column(i));
    }
    (vals, vecs)
}

/// Solves `A x = b` in MPFR (Gaussian elimination, partial pivoting); `None` if a pivot is
/// exactly zero.
pub fn solve_mp(mut a: Vec<Vec<Float>>, mut b: Vec<Float>) -> Option<Vec<Float>> {
    let n = b.len();
    for col in 0..n {
        let mut piv = col;
        for r in col + 1..n {
            if a[r][col].clone().abs() > a[piv][col].clone().abs() {
                piv = r;
            }
        }
        if a[piv][col].is_zero() || !a[piv][col].is_finite() {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        for r in col + 1..n {
            if a[r][col].is_zero() {
                continue;
            }
            let factor = Float::with_val(a[r][col].prec(), &a[r][col] / &a[col][col]);
            for c in col..n {
                let t = Float::with_val(a[r][c].prec(), &factor * &a[col][c]);
                a[r][c] -= t;
            }
            let t = Float::with_val(b[r].prec(), &factor * &b[col]);
            b[r] -= t;
        }
    }
    let mut x: Vec<Float> = b.clone();
    for i in (0..n).rev() {
        let mut s = b[i].clone();
        for k in i + 1..n {
            let t = Float::with_val(s.prec(), &a[i][k] * &x[k]);
            s -= t;
        }
        x[i] = Float::with_val(s.prec(), &s / &a[i][i]);
    }
    x.iter().all(Float::is_finite).then_some(x)
}

/// The minimum-norm solution of `J d = r` in MPFR (`J` is `m x n` with full row rank):
/// `d = J^T (J J^T)^-1 r`.
pub fn min_norm_solve_mp(j: &[Vec<Float>], r: &[Float], prec: u32) -> Option<Vec<Float>> {
    let m = j.len();
    let n = j.first()?.len();
    let mut jjt = vec![vec![Float::new(prec); m]; m];
    for a in 0..m {
        for b in a..m {
            let mut s = Float::new(prec);
            for k in 0..n {
                s += Float::with_val(prec, &j[a][k] * &j[b][k]);
            }
            jjt[a][b] = s.clone();
            jjt[b][a] = s;
        }
    }
    let y = solve_mp(jjt, r.to_vec())?;
    let mut d = vec![Float::new(prec); n];
    for (k, dk) in d.iter_mut().enumerate() {
        for a in 0..m {
            *dk += Float::with_val(prec, &j[a][k] * &y[a]);
        }
    }
    Some(d)
}

/// Max-norm of an MPFR vector, as `f64`.
pub fn norm_inf_mp(v: &[Float]) -> f64 {
    v.iter().map(|x| x.to_f64().abs()).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_space_of_a_row() {
        let j = DMatrix::from_row_slice(1, 3, &[1.0, 1.0, 1.0]);
        let z = null_space(&j, 1e-10);
        assert_eq!(z.ncols(), 2);
        let p = &j * &z;
        assert!(p.norm() < 1e-12);
        assert_eq!(rank(&j, 1e-10), 1);
    }

    #[test]
    fn mpfr_solve_matches() {
        let p = 200;
        let a = vec![
            vec![Float::with_val(p, 2), Float::with_val(p, 1)],
            vec![Float::with_val(p, 1), Float::with_val(p, 3)],
        ];
        let b = vec![Float::with_val(p, 3), Float::with_val(p, 4)];
        let x = solve_mp(a, b).unwrap();
        assert!((x[0].to_f64() - 1.0).abs() < 1e-15);
        assert!((x[1].to_f64() - 1.0).abs() < 1e-15);
        let j = vec![vec![Float::with_val(p, 1), Float::with_val(p, 1)]];
        let d = min_norm_solve_mp(&j, &[Float::with_val(p, 2)], p).unwrap();
        assert!((d[0].to_f64() - 1.0).abs() < 1e-15);
    }
}
