//! The SOS search on polynomials whose answer is known by hand: certificates where the
//! polynomial is a sum of squares (with real zeros, which need facial reduction), never one
//! where it is negative somewhere or nonnegative but not SOS (Motzkin).

use ngd_algebra::Poly;
use ngd_sos::{prove_nonnegative, NotFound, SosOptions, SosOutcome};
use proptest::prelude::*;
use rug::Rational;

/// A polynomial from `(coefficient, exponents)` terms.
fn poly(n: usize, terms: &[(i64, &[i32])]) -> Poly {
    Poly::from_terms_n(
        n,
        terms
            .iter()
            .map(|(c, e)| (e.to_vec(), Rational::from(*c)))
            .collect(),
    )
}

fn var(i: usize, n: usize) -> Poly {
    Poly::var(i, n)
}

fn proved(p: &Poly, eqs: &[Poly]) -> bool {
    match prove_nonnegative(p, eqs, &SosOptions::default()) {
        SosOutcome::Proved(c) => {
            assert!(c.verify(p, eqs).is_ok());
            true
        }
        SosOutcome::NotFound { .. } => false,
    }
}

/// `x^2 (y^2 - z^2)^2 + y^2 (x^2 - z^2)^2 + z^2 (x^2 - y^2)^2`: `-numer(Q)/4` of product3. It
/// vanishes on the lines `|x| = |y| = |z|`, so every Gram matrix is singular.
#[test]
fn product3_decrease_numerator_is_proved_with_facial_reduction() {
    let n = 3;
    let (x, y, z) = (var(0, n), var(1, n), var(2, n));
    let sq = |p: &Poly| p.mul(p);
    let p = sq(&x)
        .mul(&sq(&sq(&y).sub(&sq(&z))))
        .add(&sq(&y).mul(&sq(&sq(&x).sub(&sq(&z)))))
        .add(&sq(&z).mul(&sq(&sq(&x).sub(&sq(&y)))));
    let SosOutcome::Proved(c) = prove_nonnegative(&p, &[], &SosOptions::default()) else {
        panic!("product3 not proved");
    };
    assert!(c.verify(&p, &[]).is_ok());
    assert!(c.rank < c.basis.len(), "the Gram matrix must be singular");
}

#[test]
fn positive_definite_forms_are_proved() {
    // x^4 + y^4 - x^2 y^2 + x^2 + 1.
    let p = poly(
        2,
        &[
            (1, &[4, 0]),
            (1, &[0, 4]),
            (-1, &[2, 2]),
            (1, &[2, 0]),
            (1, &[0, 0]),
        ],
    );
    assert!(proved(&p, &[]));
}

#[test]
fn motzkin_is_never_proved() {
    // Nonnegative but not a sum of squares.
    let p = poly(
        2,
        &[(1, &[4, 2]), (1, &[2, 4]), (-3, &[2, 2]), (1, &[0, 0])],
    );
    assert!(!proved(&p, &[]));
}

#[test]
fn a_polynomial_negative_somewhere_is_never_proved() {
    // x^2 - 2^-30 (negative at 0), and (x^2 - y^2)^2 - x^2 y^2 / 10^6 (negative on x = y).
    let tiny = Poly::constant(Rational::from((1, 1u64 << 30)), 1);
    assert!(!proved(&var(0, 1).mul(&var(0, 1)).sub(&tiny), &[]));
    let (x, y) = (var(0, 2), var(1, 2));
    let d = x.mul(&x).sub(&y.mul(&y));
    let p = d.mul(&d).sub(
        &x.mul(&x)
            .mul(&y)
            .mul(&y)
            .scale(&Rational::from((1, 1_000_000))),
    );
    assert!(!proved(&p, &[]));
}

#[test]
fn odd_and_laurent_targets_are_refused() {
    let p = poly(1, &[(1, &[3])]);
    assert!(matches!(
        prove_nonnegative(&p, &[], &SosOptions::default()),
        SosOutcome::NotFound {
            reason: NotFound::OddDegree,
            ..
        }
    ));
    let p = poly(1, &[(1, &[-2])]);
    assert!(matches!(
        prove_nonnegative(&p, &[], &SosOptions::default()),
        SosOutcome::NotFound {
            reason: NotFound::NotPolynomial,
            ..
        }
    ));
}

#[test]
fn equalities_are_used_through_multipliers() {
    // x >= 0 on {x - y^2 = 0}; and x >= 0 is false on {x + y^2 = 0} away from the origin.
    let (x, y) = (var(0, 2), var(1, 2));
    assert!(proved(&x, &[x.sub(&y.mul(&y))]));
    assert!(!proved(&x, &[x.add(&y.mul(&y))]));
}

#[test]
fn a_tampered_certificate_fails_the_exact_check() {
    let p = poly(2, &[(1, &[4, 0]), (1, &[0, 4]), (1, &[0, 0])]);
    let SosOutcome::Proved(mut c) = prove_nonnegative(&p, &[], &SosOptions::default()) else {
        panic!("not proved");
    };
    c.gram[0][0] = format!("{}1", c.gram[0][0]);
    assert!(c.verify(&p, &[]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A sum of squares of random quadratics in two variables plus `z^T z` (so that a
    /// positive definite Gram matrix exists) is proved, and the certificate re-checks. Without
    /// the `z^T z` term the common zeros of the quadratics may be irrational, where rounding
    /// cannot reach the singular face: then "not found" is the honest answer.
    #[test]
    fn random_sums_of_squares_are_proved(
        a in proptest::collection::vec(-3i64..=3, 6),
        b in proptest::collection::vec(-3i64..=3, 6),
    ) {
        let exps: [&[i32]; 6] = [&[0, 0], &[1, 0], &[0, 1], &[2, 0], &[1, 1], &[0, 2]];
        let q = |c: &[i64]| poly(2, &exps.iter().zip(c).map(|(e, &k)| (k, *e)).collect::<Vec<_>>());
        let (qa, qb) = (q(&a), q(&b));
        // z^T z for z = (1, x, y, x^2, xy, y^2).
        let squares: [&[i32]; 6] = [&[0, 0], &[2, 0], &[0, 2], &[4, 0], &[2, 2], &[0, 4]];
        let all: Vec<(i64, &[i32])> = squares.iter().map(|&e| (1, e)).collect();
        let p = qa.mul(&qa).add(&qb.mul(&qb)).add(&poly(2, &all));
        prop_assert!(proved(&p, &[]), "not proved: {:?}", p);
    }
}

#[test]
fn bounded_below_finds_the_constant() {
    // x^4 - 3 x^2 + x >= -C: the certificate is of x^4 - 3 x^2 + x + C.
    let p = poly(1, &[(1, &[4]), (-3, &[2]), (1, &[1])]);
    let (cert, c) = ngd_sos::prove_bounded_below(&p, &SosOptions::default()).unwrap();
    let shifted = p.add(&Poly::constant(c.clone(), 1));
    assert!(cert.verify(&shifted, &[]).is_ok());
    // The true minimum is about -3.51: C must be at least that.
    assert!(c > Rational::from((351, 100)));
    // A polynomial unbounded below (odd or negative leading term) gets nothing.
    let q = poly(2, &[(1, &[2, 2]), (-1, &[2, 0])]);
    assert!(ngd_sos::prove_bounded_below(&q, &SosOptions::default()).is_err());
}

#[test]
fn the_zero_polynomial_has_the_empty_certificate() {
    let p = Poly::zero(2);
    let SosOutcome::Proved(c) = prove_nonnegative(&p, &[], &SosOptions::default()) else {
        panic!("0 >= 0 not proved");
    };
    assert!(c.basis.is_empty());
    assert!(c.verify(&p, &[]).is_ok());
}
