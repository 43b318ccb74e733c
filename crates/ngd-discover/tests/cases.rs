//! The paper's examples, reproduced from `f` alone.

use ngd_algebra::{zero_test, Poly, ZeroTest};
use ngd_check::{Evidence, ObjectiveShape, Outer};
use ngd_discover::{
    discover, propose_regularizer, AnsatzKind, DiscoverOptions, DiscoveryReport, Exclusion,
    FieldRule, GeneratorField, LawCount, Skip,
};
use ngd_expr::{Arena, ExprId};
use ngd_parse::{expand_variables, parse_expr, Params};
use rug::{Float, Rational};

const PREC: u32 = 200;

fn setup(vars: &[&str], f: &str) -> (Arena, ExprId) {
    let decls: Vec<String> = vars.iter().map(|s| s.to_string()).collect();
    let mut a = Arena::new(expand_variables(&decls).expect("variables"));
    let e = parse_expr(&mut a, f, &Params::new()).expect("objective");
    (a, e)
}

fn run(vars: &[&str], f: &str, opts: &DiscoverOptions) -> (Arena, DiscoveryReport) {
    let (mut a, e) = setup(vars, f);
    let r = discover(&mut a, e, opts);
    (a, r)
}

fn basis(r: &DiscoveryReport, which: usize) -> Vec<String> {
    r.ansatz[which]
        .basis
        .iter()
        .map(|q| q.display.clone())
        .collect()
}

fn find(r: &DiscoveryReport, kind: fn(&AnsatzKind) -> bool) -> Vec<String> {
    r.ansatz
        .iter()
        .filter(|a| kind(&a.kind))
        .flat_map(|a| a.basis.iter().map(|q| q.display.clone()))
        .collect()
}

fn pt(xs: &[f64]) -> Vec<Float> {
    xs.iter().map(|&x| Float::with_val(PREC, x)).collect()
}

/// Every quantity and proposal re-parses to the same function, and is verified.
fn check_round_trip(a: &mut Arena, r: &DiscoveryReport) {
    for q in r.quantities() {
        assert_eq!(q.verified, Evidence::Proved, "{}", q.display);
        let back = parse_expr(a, &q.display, &Params::new()).expect("display parses");
        let d = a.sub(back, q.expr);
        assert_eq!(zero_test(a, d), ZeroTest::Zero, "{}", q.display);
    }
}

fn check_proposal(a: &mut Arena, r: &DiscoveryReport, flat: &[Vec<Float>], expect: &str) {
    let p = propose_regularizer(a, r, flat).expect("a proposal");
    assert_eq!(p.display, expect);
    assert_eq!(p.regularizer_line, format!("regularizer = \"{expect}\""));
    let back = parse_expr(a, &p.display, &Params::new()).expect("phi parses");
    let d = a.sub(back, p.phi);
    assert_eq!(zero_test(a, d), ZeroTest::Zero);
}

fn complete(r: &DiscoveryReport, laws: usize) {
    let c = &r.completeness;
    assert_eq!(c.laws_exist, laws, "{:?}", c.summary);
    assert_eq!(c.laws_found, laws, "{:?}", c.summary);
    assert!(c.laws_exist_exact);
    assert_eq!(c.status, Evidence::Proved);
}

fn opts(degree: u32) -> DiscoverOptions {
    DiscoverOptions {
        degree,
        ..DiscoverOptions::default()
    }
}

#[test]
fn xy() {
    let (mut a, r) = run(&["x", "y"], "(x*y - 1)^2", &opts(2));
    assert_eq!(basis(&r, 0), vec!["x^2 - y^2"]);
    assert_eq!(
        r.fields,
        vec![GeneratorField {
            generator: "x*y - 1".into(),
            gradient: Some(vec!["y".into(), "x".into()]),
            constant: false,
        }]
    );
    assert_eq!(r.linear_symmetries.symmetric_dim, 1);
    assert_eq!(
        r.linear_symmetries.generators[0].matrix,
        vec![vec!["1", "0"], vec!["0", "-1"]]
    );
    complete(&r, 1);
    assert_eq!(
        r.completeness.summary,
        LawCount::Complete { exist: 1, found: 1 }
    );
    check_round_trip(&mut a, &r);
    check_proposal(
        &mut a,
        &r,
        &[pt(&[1.0, 1.0]), pt(&[-1.0, -1.0])],
        "(x^2 - y^2)^2",
    );
    // Higher degree: the powers of x^2 - y^2.
    let (_, r) = run(&["x", "y"], "(x*y - 1)^2", &opts(6));
    assert_eq!(
        basis(&r, 0),
        vec![
            "x^2 - y^2",
            "x^4 - 2*x^2*y^2 + y^4",
            "x^6 - 3*x^4*y^2 + 3*x^2*y^4 - y^6"
        ]
    );
}

#[test]
fn nonsmooth_xy() {
    let (_, r) = run(&["x", "y"], "abs(x*y - 1)", &opts(2));
    assert_eq!(basis(&r, 0), vec!["x^2 - y^2"]);
    assert_eq!(
        r.structure,
        ObjectiveShape::Scalar {
            outer: Outer::Abs,
            coeff: "1".into()
        }
    );
}

#[test]
fn product3() {
    let (mut a, r) = run(&["x", "y", "z"], "(x*y*z - 1)^2", &opts(2));
    assert_eq!(basis(&r, 0), vec!["x^2 - z^2", "y^2 - z^2"]);
    complete(&r, 2);
    check_round_trip(&mut a, &r);
    let s: Vec<Vec<Float>> = [
        [1.0, 1.0, 1.0],
        [1.0, -1.0, -1.0],
        [-1.0, 1.0, -1.0],
        [-1.0, -1.0, 1.0],
    ]
    .iter()
    .map(|p| pt(p))
    .collect();
    check_proposal(&mut a, &r, &s, "(x^2 - z^2)^2 + (y^2 - z^2)^2");
    // Degree 4: (n-1) + n(n-1)/2 = 5 (the products of the u_i = x_i^2 - z^2).
    let (_, r) = run(&["x", "y", "z"], "(x*y*z - 1)^2", &opts(4));
    assert_eq!(r.ansatz[0].nullspace_dim, 5);
    complete(&r, 2);
}

#[test]
fn cubic() {
    let (mut a, r) = run(&["x", "y"], "(x^3 + y^3 - 1)^2", &opts(3));
    assert!(basis(&r, 0).is_empty(), "no polynomial quantity");
    let laurent = find(&r, |k| matches!(k, AnsatzKind::Laurent { .. }));
    assert_eq!(laurent[0], "1/x - 1/y");
    complete(&r, 1);
    check_round_trip(&mut a, &r);
    let c = Float::with_val(PREC, 2).cbrt().recip();
    check_proposal(&mut a, &r, &[vec![c.clone(), c]], "(1/x - 1/y)^2");
    // Degree 1 suffices for 1/x - 1/y.
    let (_, r) = run(&["x", "y"], "(x^3 + y^3 - 1)^2", &opts(1));
    assert_eq!(
        find(&r, |k| matches!(k, AnsatzKind::Laurent { .. })),
        vec!["1/x - 1/y"]
    );
}

#[test]
fn ellipse() {
    let (mut a, r) = run(&["x", "y"], "(x^2 + 2*y^2 - 1)^2", &opts(3));
    let laurent = find(&r, |k| matches!(k, AnsatzKind::Laurent { .. }));
    assert!(laurent.contains(&"y/x^2".to_string()), "{laurent:?}");
    complete(&r, 1);
    check_round_trip(&mut a, &r);
    let p = propose_regularizer(&mut a, &r, &[pt(&[1.0, 0.0]), pt(&[-1.0, 0.0])]).unwrap();
    assert_eq!(p.display, "y^2/x^4");
    assert!(p
        .excluded
        .iter()
        .any(|e| e.psi_display == "x^2/y" && e.reason == Exclusion::Pole));
}

#[test]
fn hyperbola() {
    let (mut a, r) = run(&["x", "y"], "(x^2 - y^2 - 1)^2", &opts(2));
    assert_eq!(basis(&r, 0), vec!["x*y"]);
    complete(&r, 1);
    check_round_trip(&mut a, &r);
    check_proposal(&mut a, &r, &[pt(&[1.0, 0.0]), pt(&[-1.0, 0.0])], "x^2*y^2");
}

#[test]
fn parabola() {
    let (mut a, r) = run(&["x", "y"], "(y - x^2)^2", &opts(2));
    assert!(basis(&r, 0).is_empty());
    assert!(find(&r, |k| matches!(k, AnsatzKind::Laurent { .. })).is_empty());
    assert_eq!(
        find(&r, |k| matches!(k, AnsatzKind::Exp { .. })),
        vec!["x*exp(2*y)"]
    );
    let q = &r.ansatz[2].basis[0];
    assert_eq!(q.exp_form, Some(vec![0, 2]));
    complete(&r, 1);
    check_round_trip(&mut a, &r);
    check_proposal(&mut a, &r, &[pt(&[0.0, 0.0])], "x^2*exp(4*y)");
    // Without the exponential ansatz the law is reported missing.
    let (_, r) = run(
        &["x", "y"],
        "(y - x^2)^2",
        &DiscoverOptions {
            exp: false,
            ..opts(3)
        },
    );
    let c = &r.completeness;
    assert_eq!((c.laws_exist, c.laws_found, c.missing), (1, 0, 1));
    assert!(c.laws_exist_exact);
    assert_eq!(c.status, Evidence::Inconclusive);
}

const MATFACT2: &str = "sum(i = 1..2, j = 1..2, (sum(k = 1..2, X[i,k]*Y[j,k]) - M[i,j])^2)";

fn matfact2() -> (Arena, ExprId) {
    let decls: Vec<String> = vec!["X[2,2]".into(), "Y[2,2]".into()];
    let mut a = Arena::new(expand_variables(&decls).unwrap());
    let mut params = Params::new();
    params.insert(
        "M".into(),
        ngd_parse::ParamValue::Matrix(vec![
            vec![Rational::from(1), Rational::from(0)],
            vec![Rational::from(0), Rational::from(2)],
        ]),
    );
    let f = parse_expr(&mut a, MATFACT2, &params).expect("objective");
    (a, f)
}

#[test]
fn matrix_factorization() {
    let (mut a, f) = matfact2();
    let r = discover(&mut a, f, &opts(2));
    assert_eq!(r.fields.len(), 4);
    assert_eq!(r.field_rule, FieldRule::LeastSquares);
    assert_eq!(
        basis(&r, 0),
        vec![
            "X[1,1]^2 + X[2,1]^2 - Y[1,1]^2 - Y[2,1]^2",
            "X[1,1]*X[1,2] + X[2,1]*X[2,2] - Y[1,1]*Y[1,2] - Y[2,1]*Y[2,2]",
            "X[1,2]^2 + X[2,2]^2 - Y[1,2]^2 - Y[2,2]^2",
        ]
    );
    let ls = &r.linear_symmetries;
    assert_eq!((ls.symmetric_dim, ls.lie_algebra_dim), (3, 4));
    complete(&r, 3);
    check_round_trip(&mut a, &r);
    // Balanced factorizations of M = diag(1, 2): X = Y = diag(1, sqrt 2) (X^T X = Y^T Y).
    let s2 = Float::with_val(PREC, 2).sqrt();
    let z = Float::with_val(PREC, 0);
    let one = Float::with_val(PREC, 1);
    let p = vec![
        one.clone(),
        z.clone(),
        z.clone(),
        s2.clone(),
        one,
        z.clone(),
        z,
        s2,
    ];
    let prop = propose_regularizer(&mut a, &r, &[p]).unwrap();
    assert_eq!(prop.terms.len(), 3);
    assert!(prop.terms.iter().all(|t| t.value_on_flat_set == "0"));
}

#[test]
fn matrix_factorization_3x3() {
    let (v, gs) = {
        let mut v = Vec::new();
        for m in ["X", "Y"] {
            for i in 1..=3 {
                for k in 1..=3 {
                    v.push(format!("{m}_{i}_{k}"));
                }
            }
        }
        let mut gs = Vec::new();
        for i in 1..=3 {
            for j in 1..=3 {
                let s: Vec<String> = (1..=3).map(|k| format!("X_{i}_{k}*Y_{j}_{k}")).collect();
                gs.push(format!(
                    "({} - {})^2",
                    s.join(" + "),
                    if i == j { i } else { 0 }
                ));
            }
        }
        (v, gs)
    };
    let mut a = Arena::new(v);
    let f = parse_expr(&mut a, &gs.join(" + "), &Params::new()).unwrap();
    let r = discover(&mut a, f, &opts(2));
    assert_eq!(r.ansatz[0].unknowns, 189);
    assert_eq!(r.ansatz[0].equations, 891);
    assert_eq!(r.ansatz[0].nullspace_dim, 6);
    assert_eq!(r.linear_symmetries.symmetric_dim, 6);
    assert_eq!(r.linear_symmetries.lie_algebra_dim, 9);
    complete(&r, 6);
}

#[test]
fn nothing_of_the_shape() {
    // One field in the plane: a law exists locally, but none of these shapes.
    let (_, r) = run(&["x", "y"], "(x + y^2 + x^3*y)^2", &opts(3));
    assert!(r.quantities().is_empty());
    let c = &r.completeness;
    assert_eq!((c.laws_exist, c.laws_found, c.missing), (1, 0, 1));
    assert!(c.laws_exist_exact);
    assert_eq!(
        c.summary,
        LawCount::Missing {
            exist: 1,
            found: 0,
            missing: 1
        }
    );
    // Two independent residual gradients span the plane: no law at all.
    let (mut a, r) = run(&["x", "y"], "(x - 1)^2 + (y - 2)^2", &opts(3));
    assert!(r.quantities().is_empty());
    complete(&r, 0);
    assert!(propose_regularizer(&mut a, &r, &[pt(&[1.0, 2.0])]).is_none());
}

#[test]
fn general_structure_and_constants() {
    // Not a recognised shape: the field is grad f itself.
    let (_, r) = run(&["x", "y"], "x*y + x^2*y^2", &opts(2));
    assert_eq!(r.structure, ObjectiveShape::General);
    assert_eq!(basis(&r, 0), vec!["x^2 - y^2"]);
    // A field outside the function ring (exp of an argument with a constant term) is
    // reported, not guessed (fields with exp/log atoms: tests/beyond.rs).
    let (_, r) = run(&["x", "y"], "(exp(x + 1) - y)^2", &opts(2));
    let why = Skip::NotInRing {
        generator: "exp(x + 1) - y".into(),
        reason: ngd_discover::RingFailure::ExpConstant {
            argument: "x + 1".into(),
        },
    };
    assert!(
        r.ansatz.iter().all(|a| a.skipped.as_ref() == Some(&why)),
        "{:?}",
        r.ansatz[0].skipped
    );
    assert_eq!(r.linear_symmetries.skipped.as_ref(), Some(&why));
    assert_eq!(r.completeness.status, Evidence::NotCheckedYet);
}

#[test]
fn reports_are_deterministic() {
    let json = || {
        let (_, f) = matfact2();
        let (mut a, _) = matfact2();
        let r = discover(&mut a, f, &opts(3));
        serde_json::to_string(&r).unwrap()
    };
    assert_eq!(json(), json());
    let (_, r1) = run(&["x", "y"], "(y - x^2)^2", &opts(3));
    let (_, r2) = run(&["x", "y"], "(y - x^2)^2", &opts(3));
    assert_eq!(
        serde_json::to_string(&r1).unwrap(),
        serde_json::to_string(&r2).unwrap()
    );
}

/// `psi` reduced modulo a reduced echelon basis (leading term = first term of each element).
fn reduces_to_zero(psi: &Poly, basis: &[Poly]) -> bool {
    let mut p = psi.clone();
    for b in basis {
        let (lead, lc) = b
            .terms()
            .next()
            .map(|(e, c)| (e.to_vec(), c.clone()))
            .unwrap();
        let c = p.coeff(&lead);
        if c != 0 {
            p = p.sub(&b.scale(&(c / lc)));
        }
    }
    p.is_zero()
}

mod scaling {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        /// g built from monomials invariant under the diagonal scaling x_i -> t^{w_i} x_i has
        /// the linear symmetry A = diag(w): sum_i w_i x_i^2 must be among the quantities.
        #[test]
        fn scaling_invariant_g(n in 2usize..4,
                               w in proptest::collection::vec(1i32..4, 3),
                               signs in proptest::collection::vec(any::<bool>(), 3),
                               picks in proptest::collection::vec((0usize..1000, -3i64..4), 1..4),
                               c0 in -2i64..3) {
            let mut w: Vec<i32> = (0..n).map(|i| if signs[i] { w[i] } else { -w[i] }).collect();
            if w.iter().all(|&x| x > 0) { w[0] = -w[0]; }
            if w.iter().all(|&x| x < 0) { w[0] = -w[0]; }
            // Invariant monomials with exponents in 0..=3.
            let mut inv: Vec<Vec<i32>> = Vec::new();
            let total = 4usize.pow(n as u32);
            for code in 1..total {
                let e: Vec<i32> = (0..n).map(|i| ((code / 4usize.pow(i as u32)) % 4) as i32).collect();
                if e.iter().zip(&w).map(|(a, b)| a * b).sum::<i32>() == 0 {
                    inv.push(e);
                }
            }
            prop_assume!(!inv.is_empty());
            let names: Vec<String> = (0..n).map(|i| format!("x{}", i + 1)).collect();
            let mut terms: Vec<String> = Vec::new();
            for (k, c) in &picks {
                if *c == 0 { continue; }
                let e = &inv[k % inv.len()];
                let m: Vec<String> = e.iter().enumerate().filter(|t| *t.1 > 0)
                    .map(|(i, &k)| format!("{}^{k}", names[i])).collect();
                terms.push(format!("({c})*{}", m.join("*")));
            }
            prop_assume!(!terms.is_empty());
            let g = format!("{} + ({c0})", terms.join(" + "));
            let mut a = Arena::new(names.clone());
            let f = parse_expr(&mut a, &format!("({g})^2"), &Params::new()).unwrap();
            let r = discover(&mut a, f, &DiscoverOptions {
                degree: 2, laurent: false, exp: false, ..DiscoverOptions::default()
            });
            // g might cancel to a constant; then nothing to check.
            prop_assume!(r.ansatz[0].skipped.is_none());
            let psi = Poly::from_terms_n(n, (0..n).map(|i| {
                let mut e = vec![0; n];
                e[i] = 2;
                (e, Rational::from(w[i]))
            }).collect());
            let basis: Vec<Poly> = r.ansatz[0].basis.iter().map(|q| q.poly.clone()).collect();
            prop_assert!(reduces_to_zero(&psi, &basis), "g = {g}, basis {:?}",
                r.ansatz[0].basis.iter().map(|q| &q.display).collect::<Vec<_>>());
            prop_assert!(r.ansatz[0].basis.iter().all(|q| q.verified == Evidence::Proved));
            let sym: Vec<Poly> = r.linear_symmetries.generators.iter()
                .map(|s| s.invariant.poly.clone()).collect();
            prop_assert!(reduces_to_zero(&psi, &sym));
            prop_assert!(r.completeness.laws_found >= 1);
            prop_assert!(r.completeness.laws_found <= r.completeness.laws_exist);
        }
    }
}

#[test]
fn edge_cases() {
    // Constant objective: nothing to conserve against, reported as skipped.
    let (_, r) = run(&["x", "y"], "3", &opts(2));
    assert!(r.ansatz.iter().all(|a| a.skipped.is_some()));
    assert_eq!(r.completeness.summary, LawCount::NotComputed);
    // One variable: no law.
    let (_, r) = run(&["x"], "(x - 1)^2", &opts(3));
    assert!(r.quantities().is_empty());
    complete(&r, 0);
    // A variable f does not involve is itself conserved.
    let (_, r) = run(&["x", "y", "z"], "(x*y - 1)^2", &opts(2));
    assert_eq!(basis(&r, 0), vec!["z", "x^2 - y^2", "z^2"]);
    complete(&r, 2);
    let exp = r.ansatz[2].forms.unwrap();
    assert!(exp.skipped_conserved > 0);
    // Laurent generator.
    let (mut a, r) = run(&["x", "y"], "(x + 1/y)^2", &opts(3));
    check_round_trip(&mut a, &r);
    assert_eq!(r.completeness.laws_exist, 1);
    // Rational coefficients.
    let (_, r) = run(&["x", "y"], "(x*y/3 - 1/2)^2", &opts(2));
    assert_eq!(basis(&r, 0), vec!["x^2 - y^2"]);
}

#[test]
fn json_results_are_tagged() {
    let (_, r) = run(&["x", "y"], "(x*y - 1)^2", &opts(2));
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["structure"]["kind"], "scalar");
    assert_eq!(v["field_rule"]["kind"], "scalar");
    let q = &v["ansatz"][0]["basis"][0];
    assert_eq!(q["verification"]["kind"], "zero");
    assert_eq!(q["verification"]["generators"], 1);
    assert_eq!(v["ansatz"][0]["method"]["kind"], "modular_blocks");
    assert_eq!(v["ansatz"][1]["skipped"], serde_json::Value::Null);
    assert_eq!(v["linear_symmetries"]["statement"]["kind"], "prop_3_36");
    assert_eq!(v["completeness"]["summary"]["kind"], "complete");
    assert_eq!(v["completeness"]["method"]["kind"], "lie_rank_at_points");
    let (_, r) = run(
        &["x", "y"],
        "(x*y - 1)^2",
        &DiscoverOptions {
            completeness: false,
            ..opts(2)
        },
    );
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["completeness"]["skipped"]["kind"], "not_requested");
}
