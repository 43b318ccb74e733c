//! Smaller cases: one variable, non-polynomial terms, unsupported functions.

mod common;

use ngd_coercive::{check_coercivity, Attempt, CoercivityOptions, CoercivityVerdict, Evidence};

fn run(vars: &[&str], f: &str, phi: Option<&str>) -> ngd_coercive::CoercivityReport {
    let (mut a, fe, pe) = common::parse(vars, f, phi);
    check_coercivity(&mut a, fe, pe, &CoercivityOptions::default())
}

#[test]
fn one_variable() {
    assert_eq!(run(&["x"], "x^4 - x^3", None).evidence, Evidence::Proved);
    assert_eq!(run(&["x"], "abs(x) - 3", None).evidence, Evidence::Proved);
    let r = run(&["x"], "x^3", None);
    assert_eq!(r.evidence, Evidence::Refuted);
    assert_eq!(r.escape.unwrap().limit, "-inf");
    let r = run(&["x"], "exp(x)", None);
    assert_eq!(r.evidence, Evidence::Refuted);
    assert_eq!(r.escape.unwrap().limit, "0");
}

#[test]
fn unsupported_terms_give_evidence_not_proofs() {
    // log grows, but no lower-bound rule covers it: never proved, never refuted.
    let r = run(&["x", "y"], "log(x^2 + y^2 + 1)", None);
    assert!(matches!(
        r.evidence,
        Evidence::NumericalEvidence | Evidence::Inconclusive
    ));
    assert!(
        r.attempts
            .iter()
            .any(|s| matches!(s, Attempt::NoLowerBound { term } if term.contains("log"))),
        "{:?}",
        r.attempts
    );
    // A negative exponential term is not bounded below by the rules.
    let r = run(&["x", "y"], "x^2 + y^2 - exp(x)", None);
    assert_ne!(r.evidence, Evidence::Proved);
}

#[test]
fn max_and_abs_powers() {
    // max(x^2, y^2) + |x - y|^3 is coercive.
    let r = run(&["x", "y"], "max(x^2, y^2) + abs(x - y)^3", None);
    assert_eq!(r.evidence, Evidence::Proved, "{:?}", r.attempts);
    assert_eq!(r.verdict, CoercivityVerdict::Coercive);
}

#[test]
fn phi_with_poles_counts_as_large() {
    // f = (x y - 1)^2 alone escapes along (t, 0); with phi = 1/x^2 + 1/y^2 + x^2 + y^2 the
    // polynomial part x^2 + y^2 suffices, the poles are dropped as nonnegative.
    let r = run(
        &["x", "y"],
        "(x*y - 1)^2",
        Some("1/x^2 + 1/y^2 + x^2 + y^2"),
    );
    assert_eq!(r.evidence, Evidence::Proved, "{:?}", r.attempts);
    assert_eq!(r.f_alone.unwrap().evidence, Evidence::Refuted);
}

#[test]
fn split_squares_and_scale() {
    // The cross term 4 x y^2 of the square makes the degree->=3 part negative; splitting the
    // square and looking beyond radius 8 proves it.
    let r = run(
        &["x", "y"],
        "-3*x*y + (-2*y - x*y + 2)^2 + 3*x^2 + y^2 + 1",
        None,
    );
    assert_eq!(r.evidence, Evidence::Proved, "{:#?}", r.attempts);
}
