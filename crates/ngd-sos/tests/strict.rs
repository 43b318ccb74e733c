//! The strict decrease certificate: proved where `Q < 0` on `M \ S` holds, never where `Q`
//! vanishes at a point of `M` outside `argmin_M phi`.

use ngd_algebra::Poly;
use ngd_sos::{
    prove_nonnegative, prove_strict, SosCertificate, SosOptions, SosOutcome, StrictNotFound,
    StrictOptions, StrictProblem, StrictStatement,
};
use rug::Rational;

fn var(i: usize, n: usize) -> Poly {
    Poly::var(i, n)
}

fn constant(c: i64, n: usize) -> Poly {
    Poly::constant(Rational::from(c), n)
}

/// `T(x, y) = -sum_ij y_i y_j grad g_i^T Hess(phi) grad g_j` (one residual: no `y`).
fn decrease_form(phi: &Poly, gs: &[Poly]) -> (Poly, usize) {
    let n = phi.n_vars();
    let m = if gs.len() == 1 { 0 } else { gs.len() };
    let nv = n + m;
    let mut t = Poly::zero(nv);
    for (i, gi) in gs.iter().enumerate() {
        for (j, gj) in gs.iter().enumerate() {
            let mut form = Poly::zero(nv);
            for a in 0..n {
                for b in 0..n {
                    let h = phi.derivative(a).derivative(b);
                    form = form.add(&gi.derivative(a).mul(&h).mul(&gj.derivative(b)));
                }
            }
            let mut form = form.extend_vars(nv);
            if m > 0 {
                form = form.mul(&var(n + i, nv)).mul(&var(n + j, nv));
            }
            t = t.sub(&form);
        }
    }
    (t, m)
}

/// The SOS certificate of `T >= 0` (everywhere, else on `M`), then the strict search.
fn strict(phi: &Poly, gs: &[Poly]) -> Result<ngd_sos::StrictCertificate, StrictNotFound> {
    let (t, m) = decrease_form(phi, gs);
    let n = phi.n_vars();
    let nv = n + m;
    let eqs: Vec<Poly> = gs.iter().map(|g| g.extend_vars(nv)).collect();
    let opts = SosOptions::default();
    let (cert, _): (SosCertificate, bool) = match prove_nonnegative(&t, &[], &opts) {
        SosOutcome::Proved(c) => (c, true),
        SosOutcome::NotFound { .. } => match prove_nonnegative(&t, &eqs, &opts) {
            SosOutcome::Proved(c) => (c, false),
            other => panic!("no certificate of T >= 0: {other:?}"),
        },
    };
    let names: Vec<String> = (0..nv).map(|i| format!("v{i}")).collect();
    let problem = StrictProblem {
        target: &t,
        certificate: &cert,
        phi,
        residuals: gs,
        names: &names,
        m,
    };
    prove_strict(&problem, &StrictOptions::default())
}

/// `prod x_i - 1` and `sum_{i<j} (x_i^2 - x_j^2)^2` in `n` variables.
fn product(n: usize) -> (Poly, Poly) {
    let mut g = constant(1, n);
    for i in 0..n {
        g = g.mul(&var(i, n));
    }
    let g = g.sub(&constant(1, n));
    let mut phi = Poly::zero(n);
    for i in 0..n {
        for j in i + 1..n {
            let d = var(i, n).mul(&var(i, n)).sub(&var(j, n).mul(&var(j, n)));
            phi = phi.add(&d.mul(&d));
        }
    }
    (phi, g)
}

fn above_zero(c: &ngd_sos::StrictCertificate) -> bool {
    c.statement == StrictStatement::AbovePhi { c: "0".into() } && c.lower_bound.is_some()
}

#[test]
fn the_product_family_is_proved_strict() {
    for n in [3, 4, 5] {
        let (phi, g) = product(n);
        let cert = strict(&phi, &[g]).unwrap_or_else(|e| panic!("product{n}: {e:?}"));
        assert!(above_zero(&cert), "product{n}: {cert:?}");
        assert_eq!(cert.squares, n * (n - 1) / 2, "product{n}");
    }
}

#[test]
fn the_diagonal_network_is_proved_strict() {
    // g = u.v - 1, phi = sum (u_i^2 - v_i^2)^2 in the variables u1..u3, v1..v3.
    let n = 6;
    let mut g = constant(-1, n);
    let mut phi = Poly::zero(n);
    for i in 0..3 {
        g = g.add(&var(i, n).mul(&var(i + 3, n)));
        let d = var(i, n)
            .mul(&var(i, n))
            .sub(&var(i + 3, n).mul(&var(i + 3, n)));
        phi = phi.add(&d.mul(&d));
    }
    let cert = strict(&phi, &[g]).unwrap();
    assert!(above_zero(&cert), "{cert:?}");
}

#[test]
fn two_residuals_are_proved_strict_through_the_normal_norm() {
    // M = {x = 0, y = 0} in R^3 (the z axis), phi = -(x^2 + y^2) + z^2: Q = -2 on all of M,
    // T = 2 (y1^2 + y2^2) > 0 whenever J^T y != 0, whatever phi is on M.
    let n = 3;
    let phi = var(2, n)
        .mul(&var(2, n))
        .sub(&var(0, n).mul(&var(0, n)))
        .sub(&var(1, n).mul(&var(1, n)));
    let cert = strict(&phi, &[var(0, n), var(1, n)]).unwrap();
    assert_eq!(cert.factor, ngd_sos::StrictFactor::NormalNorm);
}

#[test]
fn q_vanishing_outside_the_minimum_is_never_proved() {
    // M = {z = 0} in R^3, phi = -z^2 (x^2 - 1)^2 + x^2: on M, T = 2 (x^2 - 1)^2 >= 0 but
    // Q = 0 on the lines x = +-1, where phi = 1 > 0 = min_M phi (S = {x = 0}). The membership
    // fixes c = 1 (phi = 1 where T = 0), and phi - 1 >= 0 fails on M: not proved.
    let n = 3;
    let (x, z) = (var(0, n), var(2, n));
    let w = x.mul(&x).sub(&constant(1, n));
    let phi = x.mul(&x).sub(&z.mul(&z).mul(&w).mul(&w));
    match strict(&phi, std::slice::from_ref(&z)) {
        Err(StrictNotFound::LowerBoundNotProved { c, .. }) => assert_eq!(c, "1"),
        other => panic!("{other:?}"),
    }
    // The same with y^2 added to phi on M: S = {x = y = 0}; T = 0 on the lines x = +-1 and
    // phi is not constant there: no membership at all.
    let y = var(1, n);
    let phi = phi.add(&y.mul(&y));
    assert!(strict(&phi, &[z]).is_err());
}

#[test]
fn a_tampered_certificate_of_t_is_refused() {
    let (phi, g) = product(3);
    let (t, _) = decrease_form(&phi, std::slice::from_ref(&g));
    let SosOutcome::Proved(mut cert) = prove_nonnegative(&t, &[], &SosOptions::default()) else {
        panic!("product3 T is SOS");
    };
    // A valid rational, one more than the entry: the squares no longer reproduce T.
    let entry = Rational::from(Rational::parse(&cert.gram[0][0]).unwrap()) + 1u32;
    cert.gram[0][0] = entry.to_string();
    let names: Vec<String> = (0..3).map(|i| format!("x{i}")).collect();
    let gs = [g];
    let problem = StrictProblem {
        target: &t,
        certificate: &cert,
        phi: &phi,
        residuals: &gs,
        names: &names,
        m: 0,
    };
    assert_eq!(
        prove_strict(&problem, &StrictOptions::default()).unwrap_err(),
        StrictNotFound::SquaresMismatch
    );
}

#[test]
fn product6_is_proved_strict() {
    let (phi, g) = product(6);
    let start = std::time::Instant::now();
    let cert = strict(&phi, &[g]).unwrap();
    eprintln!(
        "product6: {:?} in {:.2} s",
        (
            cert.squares,
            cert.square_degree,
            cert.degree_bound,
            cert.unknowns,
            cert.equations
        ),
        start.elapsed().as_secs_f64()
    );
    assert!(above_zero(&cert), "{cert:?}");
    assert_eq!(cert.squares, 15);
}

#[test]
fn a_non_radical_zero_set_is_proved_through_the_square() {
    // M = {y = 0}, phi = x^2 - y^2 x^6 / 2: T = -d^2phi/dy^2 = x^6 = (x^3)^2, one square
    // q = x^3. phi - 0 = x^2 on M is not in (y, x^3), its square x^4 is: power 2, c = 0, and
    // Q = -x^6 < 0 on M off S = {x = 0}.
    let n = 2;
    let (x, y) = (var(0, n), var(1, n));
    let x2 = x.mul(&x);
    let x6 = x2.mul(&x2).mul(&x2);
    let phi = x2.sub(&y.mul(&y).mul(&x6).scale(&Rational::from((1, 2))));
    let cert = strict(&phi, &[y]).unwrap();
    assert_eq!(cert.power, 2, "{cert:?}");
    assert!(above_zero(&cert), "{cert:?}");
    // With max_power = 1 the same problem is not proved, and the failure names the knob.
    let (t, _) = decrease_form(&phi, &[var(1, n)]);
    let SosOutcome::Proved(c) = prove_nonnegative(&t, &[], &SosOptions::default()) else {
        panic!("x^6 is a square");
    };
    let names = vec!["x".to_string(), "y".to_string()];
    let gs = [var(1, n)];
    let problem = StrictProblem {
        target: &t,
        certificate: &c,
        phi: &phi,
        residuals: &gs,
        names: &names,
        m: 0,
    };
    let opts = StrictOptions {
        max_power: 1,
        ..StrictOptions::default()
    };
    assert!(matches!(
        prove_strict(&problem, &opts),
        Err(StrictNotFound::NotInIdeal { max_power: 1, .. })
    ));
}
