//! The worked examples of docs/math.md section 3 (same expressions as the shipped case files).

#![allow(dead_code)]

use ngd_expr::{Arena, ExprId, Rational};
use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};

/// `(name, variable declarations, f, phi)` for the eight shipped cases.
pub const CASES: &[(&str, &[&str], &str, &str)] = &[
    ("xy", &["x", "y"], "(x*y - 1)^2", "(x^2 - y^2)^2"),
    ("abs-xy", &["x", "y"], "abs(x*y - 1)", "(x^2 - y^2)^2"),
    (
        "product3",
        &["x[3]"],
        "(prod(i = 1..3, x[i]) - 1)^2",
        "sum(i = 1..3, sum(j = i+1..3, (x[i]^2 - x[j]^2)^2))",
    ),
    ("parabola", &["x", "y"], "(y - x^2)^2", "x^2*exp(4*y)"),
    ("cubic", &["x", "y"], "(x^3 + y^3 - 1)^2", "(1/x - 1/y)^2"),
    ("ellipse", &["x", "y"], "(x^2 + 2*y^2 - 1)^2", "y^2/x^4"),
    ("hyperbola", &["x", "y"], "(x^2 - y^2 - 1)^2", "x^2*y^2"),
    (
        "matfact2",
        &["X[2,2]", "Y[2,2]"],
        "sum(i = 1..2, j = 1..2, (sum(k = 1..2, X[i,k]*Y[j,k]) - M[i,j])^2)",
        "sum(i = 1..2, j = 1..2, sum(k = 1..2, X[k,i]*X[k,j] - Y[k,i]*Y[k,j])^2)",
    ),
];

fn params() -> Params {
    let mut p = Params::new();
    let q = |v: i64| Rational::from(v);
    p.insert(
        "M".into(),
        ParamValue::Matrix(vec![vec![q(2), q(0)], vec![q(0), q(1)]]),
    );
    p
}

/// Parses `f` and `phi` over the declared variables.
pub fn parse(decls: &[&str], f: &str, phi: Option<&str>) -> (Arena, ExprId, Option<ExprId>) {
    let decls: Vec<String> = decls.iter().map(|s| s.to_string()).collect();
    let vars = expand_variables(&decls).expect("variables");
    let mut a = Arena::new(vars);
    let p = params();
    let fe = parse_expr(&mut a, f, &p).expect("f parses");
    let pe = phi.map(|s| parse_expr(&mut a, s, &p).expect("phi parses"));
    (a, fe, pe)
}

/// One of the shipped cases by name.
pub fn case(name: &str) -> (Arena, ExprId, Option<ExprId>) {
    let (_, decls, f, phi) = CASES.iter().find(|c| c.0 == name).expect("known case");
    parse(decls, f, Some(phi))
}
