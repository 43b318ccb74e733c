//! Property tests: positive-definite leading forms are always proved coercive; forms that vanish
//! on a rational hyperplane are never proved coercive.

use ngd_coercive::{check_coercivity, CoercivityOptions, CoercivityVerdict, Evidence};
use ngd_expr::{Arena, ExprId, Rational};
use proptest::prelude::*;

fn opts() -> CoercivityOptions {
    CoercivityOptions {
        radii: vec![10.0, 100.0, 1000.0],
        sphere_starts: 8,
        sphere_iterations: 200,
        check_f_alone: false,
        ..CoercivityOptions::default()
    }
}

fn arena(n: usize) -> Arena {
    Arena::new((0..n).map(|i| format!("x{i}")).collect())
}

fn linear(a: &mut Arena, coeffs: &[i64]) -> ExprId {
    let terms: Vec<ExprId> = coeffs
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let x = a.var(i);
            let k = a.int(c);
            a.mul2(k, x)
        })
        .collect();
    a.add(terms)
}

fn monomial(a: &mut Arena, c: i64, exps: &[u32]) -> ExprId {
    let mut fs = vec![a.int(c)];
    for (i, &e) in exps.iter().enumerate() {
        let x = a.var(i);
        fs.push(a.powi(x, i64::from(e)));
    }
    a.mul(fs)
}

fn norm2(a: &mut Arena, n: usize) -> ExprId {
    let sq: Vec<ExprId> = (0..n)
        .map(|i| {
            let x = a.var(i);
            a.powi(x, 2)
        })
        .collect();
    a.add(sq)
}

/// Exact determinant of a small integer matrix (Laplace expansion).
fn det(m: &[Vec<i64>]) -> i64 {
    let n = m.len();
    if n == 1 {
        return m[0][0];
    }
    (0..n)
        .map(|j| {
            let minor: Vec<Vec<i64>> = m[1..]
                .iter()
                .map(|row| (0..n).filter(|&k| k != j).map(|k| row[k]).collect())
                .collect();
            let s = if j % 2 == 0 { 1 } else { -1 };
            s * m[0][j] * det(&minor)
        })
        .sum()
}

fn lower_terms(n: usize) -> impl Strategy<Value = Vec<(i64, Vec<u32>)>> {
    prop::collection::vec(
        (-5i64..=5, prop::collection::vec(0u32..=3, n))
            .prop_filter("degree <= 3", |(_, e)| e.iter().sum::<u32>() <= 3),
        0..6,
    )
}

/// `(n, rows of A, lower-order monomials (coefficient, exponents))`.
type PdCase = (usize, Vec<Vec<i64>>, Vec<(i64, Vec<u32>)>);

fn pd_case() -> impl Strategy<Value = PdCase> {
    (2usize..=3).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec(prop::collection::vec(-3i64..=3, n), n + 1),
            lower_terms(n),
        )
    })
}

fn vanishing_case() -> impl Strategy<Value = (usize, Vec<i64>, Vec<i64>, Vec<i64>, i64)> {
    (2usize..=3).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec(-3i64..=3, n)
                .prop_filter("a != 0", |a| a.iter().any(|&v| v != 0)),
            prop::collection::vec(-3i64..=3, n),
            prop::collection::vec(-3i64..=3, n + 1),
            0i64..=5,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// `sum_j (a_j . x)^2 |x|^2` with `A` of full rank, plus any terms of degree <= 3.
    #[test]
    fn positive_definite_leading_forms_are_proved((n, rows, lower) in pd_case()) {
        let gram: Vec<Vec<i64>> = (0..n)
            .map(|i| (0..n).map(|j| rows.iter().map(|r| r[i] * r[j]).sum()).collect())
            .collect();
        prop_assume!(det(&gram) != 0);
        let mut a = arena(n);
        let sq: Vec<ExprId> = rows
            .iter()
            .map(|r| {
                let l = linear(&mut a, r);
                a.powi(l, 2)
            })
            .collect();
        let s = a.add(sq);
        let nx = norm2(&mut a, n);
        let lead = a.mul2(s, nx);
        let mut terms = vec![lead];
        for (c, e) in &lower {
            terms.push(monomial(&mut a, *c, e));
        }
        let f = a.add(terms);
        let r = check_coercivity(&mut a, f, None, &opts());
        prop_assert_eq!(r.evidence, Evidence::Proved, "{}: {:?}", a.display(f), r.attempts);
        prop_assert_eq!(r.verdict, CoercivityVerdict::Coercive);
    }

    /// `(a . x)^2 (|x|^2 + (b . x)^2) + (a . x) (c . x + c0) + k` is constant on the hyperplane
    /// `a . x = 0`: never coercive, never proved.
    #[test]
    fn forms_vanishing_on_a_rational_hyperplane_are_never_proved(
        (n, av, bv, cv, k) in vanishing_case()
    ) {
        let mut a = arena(n);
        let ax = linear(&mut a, &av);
        let ax2 = a.powi(ax, 2);
        let bx = linear(&mut a, &bv);
        let bx2 = a.powi(bx, 2);
        let nx = norm2(&mut a, n);
        let q = a.add2(nx, bx2);
        let lead = a.mul2(ax2, q);
        let cx = linear(&mut a, &cv[..n]);
        let c0 = a.int(cv[n]);
        let r_ = a.add2(cx, c0);
        let mid = a.mul2(ax, r_);
        let kk = a.int(k);
        let f = a.add(vec![lead, mid, kk]);
        let r = check_coercivity(&mut a, f, None, &opts());
        prop_assert!(r.evidence != Evidence::Proved, "{}: {:?}", a.display(f), r.argument);
        prop_assert!(r.verdict != CoercivityVerdict::Coercive, "{}", a.display(f));
        if let Some(w) = &r.escape {
            // Along the hyperplane the value is the constant k (or a ray with -inf).
            prop_assert!(w.limit == k.to_string() || w.limit == "-inf" || w.limit_f64 <= k as f64,
                "{}: {:?}", a.display(f), w);
        }
    }
}

#[test]
fn squares_times_norm_example() {
    // (x - y)^2 (x^2 + y^2) + x^2 + y^2 is coercive although the leading form vanishes on x = y.
    let mut a = arena(2);
    let d = linear(&mut a, &[1, -1]);
    let d2 = a.powi(d, 2);
    let nx = norm2(&mut a, 2);
    let lead = a.mul2(d2, nx);
    let f = a.add2(lead, nx);
    let r = check_coercivity(&mut a, f, None, &opts());
    assert_eq!(r.evidence, Evidence::Proved, "{:?}", r.attempts);
    assert_eq!(r.certificate.unwrap().level, 2);
    let _ = Rational::new();
}

/// A random polynomial in two variables: `(coefficient, exponents)` terms.
fn random_poly(max_deg: u32) -> impl Strategy<Value = Vec<(i64, Vec<u32>)>> {
    prop::collection::vec(
        (-3i64..=3, prop::collection::vec(0u32..=max_deg, 2))
            .prop_filter("degree", move |(_, e)| e.iter().sum::<u32>() <= max_deg),
        1..5,
    )
}

fn poly_expr(a: &mut Arena, terms: &[(i64, Vec<u32>)]) -> ExprId {
    let ts: Vec<ExprId> = terms.iter().map(|(c, e)| monomial(a, *c, e)).collect();
    a.add(ts)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever is proved must hold: the certificate's inequality
    /// `F >= m rho^k - C rho^(k-1)` is checked in floating point at random points, and an
    /// escape's limit is compared with `F` far along the curve.
    #[test]
    fn certificates_hold_numerically(
        g1 in random_poly(2),
        g2 in random_poly(2),
        r in random_poly(3),
        q in random_poly(2),
        with_abs in any::<bool>(),
        pts in prop::collection::vec((0usize..4, -1.0f64..1.0, 0.0f64..3.0), 40),
    ) {
        let mut a = arena(2);
        let e1 = poly_expr(&mut a, &g1);
        let e2 = poly_expr(&mut a, &g2);
        let s1 = a.powi(e1, 2);
        let s2 = a.powi(e2, 2);
        let re = poly_expr(&mut a, &r);
        let mut terms = vec![s1, s2, re];
        if with_abs {
            let qe = poly_expr(&mut a, &q);
            terms.push(a.func(ngd_expr::Func::Abs, qe));
        }
        let f = a.add(terms);
        let rep = check_coercivity(&mut a, f, None, &opts());
        let tape = ngd_eval::Tape::compile(&a, &[f]);
        let mut scratch = Vec::new();
        let mut out = [0.0];
        if let Some(c) = &rep.certificate {
            let k = f64::from(c.level);
            for &(face, t, logr) in &pts {
                // u on the face `face` of the cube, x = D_R u.
                let mut u = [t, t * 0.5];
                u[face % 2] = if face < 2 { 1.0 } else { -1.0 };
                // The inequality is claimed for rho >= R0 (the scale).
                let rr = f64::from(c.scale) * 10f64.powf(logr);
                let x: Vec<f64> = u
                    .iter()
                    .zip(&c.weights)
                    .map(|(ui, &w)| ui * rr.powi(w as i32))
                    .collect();
                tape.eval_f64(&x, &mut scratch, &mut out);
                let bound = c.lower_bound * rr.powf(k) - c.remainder * rr.powf(k - 1.0);
                let tol = 1e-9 * (1.0 + out[0].abs() + bound.abs());
                prop_assert!(out[0] >= bound - tol, "{} at {:?}: {} < {}", a.display(f), x, out[0], bound);
            }
        }
        if let Some(w) = &rep.escape {
            prop_assert!(rep.certificate.is_none());
            prop_assert!(w.limit_f64.is_finite() || w.limit == "-inf");
        }
    }
}
