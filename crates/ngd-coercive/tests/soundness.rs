//! Known-false candidates (docs/architecture.md soundness rule 3): none of these may be proved
//! coercive; where an exact escape exists it should be found.

mod common;

use ngd_coercive::{check_coercivity, CoercivityOptions, CoercivityVerdict, EscapeKind, Evidence};

fn run(f: &str) -> ngd_coercive::CoercivityReport {
    let (mut a, fe, _) = common::parse(&["x", "y"], f, None);
    check_coercivity(&mut a, fe, None, &CoercivityOptions::default())
}

fn refuted_with(f: &str, limit: &str) -> ngd_coercive::CoercivityReport {
    let r = run(f);
    assert_ne!(r.evidence, Evidence::Proved, "{f}: {r:#?}");
    assert_eq!(r.evidence, Evidence::Refuted, "{f}: {r:#?}");
    assert_eq!(r.verdict, CoercivityVerdict::NotCoercive);
    assert_eq!(r.escape.as_ref().unwrap().limit, limit, "{f}");
    r
}

#[test]
fn escape_along_an_axis() {
    // x^2 + (x y - 1)^2 -> 0 along (1/t, t), and = 1 along (0, t).
    let r = refuted_with("x^2 + (x*y - 1)^2", "1");
    assert_eq!(r.escape.unwrap().kind, EscapeKind::Ray);
}

#[test]
fn unbounded_below_along_a_ray() {
    refuted_with("(x^2 - y^2)^2 + x", "-inf");
    refuted_with("(x - y)^4 + (x + y)^3", "-inf");
}

#[test]
fn lower_order_term_vanishing_on_the_zero_direction() {
    refuted_with("(x^2 - y^2)^2 + (x - y)^2", "0");
}

#[test]
fn escape_along_a_curve_only() {
    // (y - x^2)^2 + (x y - x^3)^2 grows along every ray but vanishes on y = x^2.
    let r = refuted_with("(y - x^2)^2 + (x*y - x^3)^2", "0");
    assert_eq!(r.escape.unwrap().kind, EscapeKind::Curve);
    // (x^2 y - 1)^2 + (x - 1)^2: bounded along (0, t) (= 2) and along (1/t, t^2) (-> 1).
    let r = run("(x^2*y - 1)^2 + (x - 1)^2");
    assert_eq!(r.evidence, Evidence::Refuted);
}

#[test]
fn irrational_zero_direction_is_never_proved() {
    // (x^2 - 2 y^2)^2 + 1 = 1 along x = sqrt(2) y: no rational ray, no proof.
    let r = run("(x^2 - 2*y^2)^2 + 1");
    assert_ne!(r.evidence, Evidence::Proved);
    assert_ne!(r.evidence, Evidence::Refuted);
    assert_eq!(r.evidence, Evidence::NumericalEvidence);
    assert_eq!(r.verdict, CoercivityVerdict::NotCoercive);
}

#[test]
fn decaying_exponential_and_poles() {
    // |x y| + exp(x) -> 0 along (-t, 0) (a super-polynomially small restriction).
    refuted_with("abs(x*y) + exp(x)", "0");
    // y^2 + 1/x^2 -> 0 along (t, 0): the pole term is no help at infinity.
    refuted_with("y^2 + 1/x^2", "0");
}

#[test]
fn coercive_only_with_weights() {
    // (x^2 - y)^2 + x^2/10^6 IS coercive (|x| large, or x bounded and |y| large), but only
    // a weighted argument sees it.
    let r = run("(x^2 - y)^2 + x^2/1000000");
    assert_eq!(r.evidence, Evidence::Proved, "{r:#?}");
    assert_eq!(r.certificate.unwrap().weights, vec![1, 2]);
}

#[test]
fn far_escape_is_never_proved() {
    // (x^2 + 1)(y - 1000)^2 = 0 on the line y = 1000, which only meets spheres of radius
    // >= 1000: small radii look coercive.
    let r = run("(x^2 + 1)*(y - 1000)^2");
    assert_ne!(r.evidence, Evidence::Proved, "{r:#?}");
    assert_ne!(r.verdict, CoercivityVerdict::Coercive);
}
