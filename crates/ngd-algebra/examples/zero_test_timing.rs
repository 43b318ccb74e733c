//! Timing of the exact zero test on the matrix-factorization identity
//! `<grad ||X Y^T - M||^2, grad ||X^T X - Y^T Y||^2> == 0` for `n x n` factors.
//!
//! Run with `cargo run --release -p ngd-algebra --example zero_test_timing [n ...]`.

use ngd_algebra::{canonicalize, zero_test, ZeroTest};
use ngd_expr::{Arena, ExprId};
use std::time::Instant;

fn matrix_case(n: usize) -> (Arena, ExprId, ExprId) {
    let mut names = Vec::new();
    for m in ["X", "Y"] {
        for i in 0..n {
            for j in 0..n {
                names.push(format!("{m}{i}{j}"));
            }
        }
    }
    let mut a = Arena::new(names);
    let xv = |a: &mut Arena, i: usize, j: usize| a.var(i * n + j);
    let yv = |a: &mut Arena, i: usize, j: usize| a.var(n * n + i * n + j);
    let mut fterms = Vec::new();
    for i in 0..n {
        for j in 0..n {
            let mut t = Vec::new();
            for k in 0..n {
                let x = xv(&mut a, i, k);
                let y = yv(&mut a, j, k);
                t.push(a.mul2(x, y));
            }
            // M: a fixed integer matrix (diagonal dominant, some off-diagonal entries).
            let m = if i == j {
                (i + 1) as i64
            } else {
                ((i + 2 * j) % 3) as i64 - 1
            };
            t.push(a.int(-m));
            let r = a.add(t);
            fterms.push(a.powi(r, 2));
        }
    }
    let f = a.add(fterms);
    let mut pterms = Vec::new();
    for i in 0..n {
        for j in 0..n {
            let mut t = Vec::new();
            for k in 0..n {
                let xki = xv(&mut a, k, i);
                let xkj = xv(&mut a, k, j);
                t.push(a.mul2(xki, xkj));
                let yki = yv(&mut a, k, i);
                let ykj = yv(&mut a, k, j);
                let p = a.mul2(yki, ykj);
                t.push(a.neg(p));
            }
            let s = a.add(t);
            pterms.push(a.powi(s, 2));
        }
    }
    let phi = a.add(pterms);
    (a, f, phi)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|s| s.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![2, 3, 4, 5, 6]
    } else {
        sizes
    };
    for n in sizes {
        let (mut a, f, phi) = matrix_case(n);
        let t0 = Instant::now();
        let gf = a.gradient(f);
        let gp = a.gradient(phi);
        let i = a.dot(&gf, &gp);
        let t_diff = t0.elapsed();
        // Warm-up run, then the best of a few.
        let r = zero_test(&a, i);
        assert_eq!(r, ZeroTest::Zero, "the identity must be proved");
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let t = Instant::now();
            let r = zero_test(&a, i);
            best = best.min(t.elapsed().as_secs_f64());
            assert_eq!(r, ZeroTest::Zero);
        }
        // A non-identity of the same size: phi + x_00 ... must not be Zero.
        let x0 = a.var(0);
        let x0s = a.powi(x0, 2);
        let phi2 = a.add2(phi, x0s);
        let gp2 = a.gradient(phi2);
        let i2 = a.dot(&gf, &gp2);
        let t = Instant::now();
        let c = canonicalize(&a, i2).expect("canonical form");
        let t_nz = t.elapsed().as_secs_f64();
        assert!(!c.is_zero());
        println!(
            "n={n} vars={} dag_nodes={} gradient+dot {:.1} ms | zero_test (identity) {:.1} ms | non-identity {:.1} ms ({} terms)",
            2 * n * n,
            a.len(),
            t_diff.as_secs_f64() * 1e3,
            best * 1e3,
            t_nz * 1e3,
            c.numerator_terms()
        );
    }
}
