//! The SOS route to C5: a certificate of `F - eps |x|^(2k) + C >= 0` where `F` grows, never
//! where `F` stays bounded along a path to infinity.

use ngd_coercive::{sos_growth, SosGrowth};
use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};

fn growth(src: &str) -> SosGrowth {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let e = parse_expr(&mut a, src, &Params::new()).unwrap();
    sos_growth(&a, e)
}

#[test]
fn growth_from_lower_degree_terms_is_proved_and_rechecks() {
    // The leading form x^2 y^2 vanishes on the axes; x^2 + y^2 carries the growth.
    let SosGrowth::Proved { k, claim, .. } = growth("x^2*y^2 + x^2 + y^2 - 3*x*y") else {
        panic!("not proved");
    };
    assert_eq!(k, 1);
    let mut a = Arena::new(claim.variables.clone());
    let t = parse_expr(&mut a, &claim.target, &Params::new()).unwrap();
    let p = ngd_sos::syntactic_poly(&a, t).unwrap();
    assert!(claim.certificate.verify(&p, &[]).is_ok());
}

#[test]
fn functions_bounded_along_a_path_are_never_proved() {
    // Bounded on the y axis (x = 0), and on the hyperbola x y = 1 away from the axes.
    for src in [
        "x^2*y^2 + x^2",
        "(x*y - 1)^2",
        "x^2*y^2 + 1",
        "x^4 - x^2*y^2 + y^2",
    ] {
        assert!(
            !matches!(growth(src), SosGrowth::Proved { .. }),
            "{src} proved coercive"
        );
    }
}

#[test]
fn non_polynomials_are_not_attempted() {
    assert_eq!(growth("abs(x) + y^2"), SosGrowth::NotPolynomial);
}
