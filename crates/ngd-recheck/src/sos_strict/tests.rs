//! Reports built from certificates of `ngd_sos` (the search) re-check; each tampering, a
//! case that would fool a weaker check, fails.

use super::*;
use ngd_sos::{prove_claim, prove_strict, SosOptions, StrictOptions, StrictProblem};
use serde_json::json;

/// A report with the case `f = sum g_i^2` (or `g^2`), `phi`, and `decrease.sos` proved by the
/// search from `T` built here by `CaseModel::decrease_form`.
fn report(names: &[&str], phi: &str, residuals: &[&str]) -> Value {
    let objective = residuals
        .iter()
        .map(|g| format!("({g})^2"))
        .collect::<Vec<_>>()
        .join(" + ");
    let search_box: Vec<Value> = names.iter().map(|v| json!([v, "-2", "2"])).collect();
    let mut report = json!({
        "case": {"objective": objective, "regularizer": phi, "search_box": search_box},
        "conservation": {"g": if residuals.len() == 1 { json!(residuals[0]) } else { Value::Null },
                         "residuals": if residuals.len() == 1 { json!([]) } else { json!(residuals) }},
    });
    let model = case_model(&report).unwrap_or_else(|f| panic!("{f:?}"));
    let t = model.decrease_form().unwrap();
    let names = model.form_names();
    let eqs = model.residuals_xy();
    let claim = prove_claim(&t, &eqs, &names, &SosOptions::default()).unwrap();
    let problem = StrictProblem {
        target: &t,
        certificate: &claim.certificate,
        phi: &model.phi,
        residuals: &model.residuals,
        names: &names,
        m: model.m(),
    };
    let strict = prove_strict(&problem, &StrictOptions::default()).unwrap();
    report["decrease"] = json!({"sos": {"kind": "non_positive", "claim": claim,
        "strict": {"kind": "proved", "certificate": strict}}});
    report
}

/// `(x y - 1)^2` with `phi = (x^2 - y^2)^2`: `T = 4 (x^2 - y^2)^2`, strict above `phi > 0`.
fn hyperbola() -> Value {
    report(&["x", "y"], "(x^2 - y^2)^2", &["x*y - 1"])
}

/// Two residuals (`M = {(1, 1)}`), `phi = -(x^2 + y^2)`: `F = |J^T y|^2` and the proof that
/// `J != 0` on `M`.
fn two_residuals() -> Value {
    report(&["x", "y"], "-(x^2 + y^2)", &["x - 1", "y - 1"])
}

/// The items of `decrease.sos` after the whole recheck.
fn failures(report: &Value) -> Vec<(String, Option<Failure>)> {
    let r = crate::recheck(report).unwrap();
    r.items
        .into_iter()
        .filter_map(|i| match i.claim {
            Claim::SumOfSquares { path, .. } | Claim::StrictDecrease { path, .. }
                if path.starts_with("decrease.sos") =>
            {
                Some((path, i.failure))
            }
            _ => None,
        })
        .collect()
}

/// The failure of the strict item.
fn strict_failure(report: &Value) -> Option<Failure> {
    failures(report)
        .into_iter()
        .find(|(p, _)| p == STRICT_PATH)
        .expect("a strict item")
        .1
}

#[test]
fn certificates_of_the_search_recheck() {
    for r in [hyperbola(), two_residuals()] {
        let items = failures(&r);
        assert_eq!(items.len(), 3, "{items:?}");
        assert!(items.iter().all(|(_, f)| f.is_none()), "{items:?}");
    }
    let r = two_residuals();
    let cert = &r["decrease"]["sos"]["strict"]["certificate"];
    assert_eq!(cert["factor"], "normal_norm");
    assert_eq!(cert["normal_space"]["kind"], "proved");
}

#[test]
fn a_changed_multiplier_coefficient_fails() {
    let mut r = hyperbola();
    let b = &mut r["decrease"]["sos"]["strict"]["certificate"]["square_multipliers"];
    let coefficient = &mut b[0][0][1];
    let changed = rational(coefficient.as_str().unwrap()).unwrap() + Rational::from(1);
    *coefficient = json!(changed.to_string());
    assert!(matches!(
        strict_failure(&r),
        Some(Failure::WrongValue { printed, .. }) if printed.contains("sum b_k q_k")
    ));
}

#[test]
fn a_changed_constant_or_power_fails() {
    let mut r = hyperbola();
    r["decrease"]["sos"]["strict"]["certificate"]["statement"]["c"] = json!("-1");
    // The lower bound printed is phi - 0, not phi + 1.
    assert!(matches!(
        strict_failure(&r),
        Some(Failure::WrongValue { printed, .. }) if printed.contains("lower_bound.target")
    ));
    let mut r = hyperbola();
    r["decrease"]["sos"]["strict"]["certificate"]["power"] = json!(2);
    assert!(strict_failure(&r).is_some());
    let mut r = hyperbola();
    r["decrease"]["sos"]["strict"]["certificate"]["power"] = json!(0);
    assert!(strict_failure(&r).is_some());
}

#[test]
fn a_lower_bound_of_another_constant_fails() {
    // phi - c' >= 0 with c' = -1 is true and certified, but proves nothing about phi > 0.
    let mut r = hyperbola();
    let lb = &mut r["decrease"]["sos"]["strict"]["certificate"]["lower_bound"];
    lb["target"] = json!("(x^2 - y^2)^2 + 1");
    let g = &mut lb["certificate"]["gram"];
    let entry = rational(g[0][0].as_str().unwrap()).unwrap() + Rational::from(1);
    g[0][0] = json!(entry.to_string());
    assert!(matches!(
        strict_failure(&r),
        Some(Failure::WrongValue { printed, .. }) if printed.contains("lower_bound.target")
    ));
}

#[test]
fn a_claim_target_that_is_not_t_fails() {
    // 2 T, certified by a doubled Gram matrix: a true SOS fact about the wrong polynomial.
    let mut r = hyperbola();
    let claim = &mut r["decrease"]["sos"]["claim"];
    claim["target"] = json!(format!("2*({})", claim["target"].as_str().unwrap()));
    let g = &mut claim["certificate"]["gram"];
    for row in g.as_array_mut().unwrap() {
        for e in row.as_array_mut().unwrap() {
            *e = json!((rational(e.as_str().unwrap()).unwrap() * Rational::from(2)).to_string());
        }
    }
    let items = failures(&r);
    let claim_failure = items.iter().find(|(p, _)| p == CLAIM_PATH).unwrap();
    assert!(
        matches!(&claim_failure.1, Some(Failure::WrongValue { printed, .. }) if printed.contains("claim.target")),
        "{items:?}"
    );
    assert!(strict_failure(&r).is_some());
}

#[test]
fn the_t_of_another_phi_fails() {
    // The report of phi = 2 (x^2 - y^2)^2 with the case's phi changed back: T is 8 (...)^2.
    let mut r = report(&["x", "y"], "2*(x^2 - y^2)^2", &["x*y - 1"]);
    r["case"]["regularizer"] = json!("(x^2 - y^2)^2");
    let items = failures(&r);
    assert!(
        items.iter().any(|(p, f)| p == CLAIM_PATH && f.is_some()),
        "{items:?}"
    );
    assert!(strict_failure(&r).is_some());
}

#[test]
fn a_changed_or_asymmetric_gram_entry_fails() {
    let mut r = hyperbola();
    let g = &mut r["decrease"]["sos"]["claim"]["certificate"]["gram"];
    g[0][0] = json!((rational(g[0][0].as_str().unwrap()).unwrap() + Rational::from(1)).to_string());
    assert!(matches!(
        strict_failure(&r),
        Some(Failure::Certificate { .. })
    ));
    // 1 + 3 x + x^2 (negative at x = -1) from the "Gram matrix" [[1, 0], [3, 1]]: its upper
    // triangle is PSD, and z^T G z is the target, but G is not symmetric.
    let cert = SosCertificate {
        basis: vec![vec![0], vec![1]],
        gram: vec![vec!["1".into(), "0".into()], vec!["3".into(), "1".into()]],
        multipliers: Vec::new(),
        rank: 2,
        sizes: serde_json::from_value(
            hyperbola()["decrease"]["sos"]["claim"]["certificate"]["sizes"].clone(),
        )
        .unwrap(),
    };
    let x = Poly::var(0, 1);
    let target = Poly::constant(1.into(), 1)
        .add(&x.scale(&Rational::from(3)))
        .add(&x.mul(&x));
    assert_eq!(
        verify(&cert, &target, &[]),
        Err(ngd_sos::CertificateError::Shape)
    );
}

#[test]
fn the_normal_space_identity_is_checked() {
    let mut r = two_residuals();
    let d = &mut r["decrease"]["sos"]["strict"]["certificate"]["normal_space"]
        ["derivative_multipliers"];
    *d = json!([[[], []], [[], []]]);
    assert!(matches!(
        strict_failure(&r),
        Some(Failure::WrongValue { printed, .. }) if printed.contains("normal_space")
    ));
    // F = |J^T y|^2 vanishes where J = 0: without the identity the claim is not re-checked.
    let mut r = two_residuals();
    r["decrease"]["sos"]["strict"]["certificate"]["normal_space"] =
        json!({"kind": "implied_by_membership"});
    assert!(strict_failure(&r).is_some());
    // F = 1 with two residuals does not match the search's construction either.
    let mut r = two_residuals();
    r["decrease"]["sos"]["strict"]["certificate"]["factor"] = json!("one");
    assert!(strict_failure(&r).is_some());
}

#[test]
fn missing_multipliers_are_unreadable_and_the_shape_is_confirmed() {
    let mut r = hyperbola();
    let cert = r["decrease"]["sos"]["strict"]["certificate"]
        .as_object_mut()
        .unwrap();
    cert.remove("residual_multipliers");
    assert!(matches!(
        strict_failure(&r),
        Some(Failure::Unreadable { .. })
    ));
    // f = g^3 is not >= 0: {g = 0} is not argmin f.
    let mut r = hyperbola();
    r["case"]["objective"] = json!("(x*y - 1)^3");
    let items = failures(&r);
    let shape = |f: &Option<Failure>| matches!(f, Some(Failure::WrongValue { printed, .. }) if printed.contains("case.objective"));
    assert!(
        items
            .iter()
            .filter(|(p, _)| p == CLAIM_PATH || p == STRICT_PATH)
            .all(|(_, f)| shape(f)),
        "{items:?}"
    );
}

#[test]
fn a_case_variable_named_like_a_y_variable_gets_fresh_names() {
    // The case's `y1` pushes the variables of `T` to `yy1, yy2`: the report rechecks.
    let mut r = report(&["x", "y1"], "-(x^2 + y1^2)", &["x - 1", "y1 - 1"]);
    assert_eq!(
        r["decrease"]["sos"]["claim"]["variables"],
        json!(["x", "y1", "yy1", "yy2"])
    );
    assert!(
        failures(&r).iter().all(|(_, f)| f.is_none()),
        "{:?}",
        failures(&r)
    );
    // Printed with the ambiguous `x, y1, y1, y2`, the claim fails.
    r["decrease"]["sos"]["claim"]["variables"] = json!(["x", "y1", "y1", "y2"]);
    let items = failures(&r);
    assert!(
        items.iter().any(|(p, f)| p == CLAIM_PATH && f.is_some()),
        "{items:?}"
    );
}
