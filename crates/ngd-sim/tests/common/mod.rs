//! Helpers shared by the integration tests.
#![allow(dead_code)]

use ngd_expr::{Arena, Rational};
use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};
use ngd_sim::{prepare, Harness, HarnessConfig, Schedule};

/// A harness for `f` and `phi` over the declared variables.
pub fn harness(decls: &[&str], f: &str, phi: Option<&str>, params: &Params) -> Harness {
    let decls: Vec<String> = decls.iter().map(|s| s.to_string()).collect();
    let vars = expand_variables(&decls).expect("variables");
    let mut a = Arena::new(vars);
    let fe = parse_expr(&mut a, f, params).expect("f");
    let pe = phi.map(|p| parse_expr(&mut a, p, params).expect("phi"));
    prepare(&mut a, fe, pe)
}

/// A two-variable harness.
pub fn harness2(f: &str, phi: &str) -> Harness {
    harness(&["x", "y"], f, Some(phi), &Params::new())
}

/// The measured setting of the brief: `a_k = 0.1/(k+1)^power`, starts in `[-2, 2]^2`.
pub fn config(starts: u64, iterations: u64, power: f64) -> HarnessConfig {
    HarnessConfig {
        schedule: Schedule { a0: 0.1, power },
        iterations,
        starts,
        seed: 1,
        ..HarnessConfig::default()
    }
}

/// The matrix factorization case `||X Y^T - M||_F^2`, `M = diag(2, 1)`, with
/// `phi = ||X^T X - Y^T Y||_F^2`.
pub fn matfact() -> Harness {
    let mut p = Params::new();
    let q = |v: i64| Rational::from(v);
    p.insert(
        "M".into(),
        ParamValue::Matrix(vec![vec![q(2), q(0)], vec![q(0), q(1)]]),
    );
    harness(
        &["X[2,2]", "Y[2,2]"],
        "sum(i = 1..2, j = 1..2, (sum(k = 1..2, X[i,k]*Y[j,k]) - M[i,j])^2)",
        Some("sum(i = 1..2, j = 1..2, (sum(k = 1..2, X[k,i]*X[k,j] - Y[k,i]*Y[k,j]))^2)"),
        &p,
    )
}
