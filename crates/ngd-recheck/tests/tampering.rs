//! The recheck library on hand-written reports: the claims it finds, and that every kind of
//! tampering is caught.

use ngd_recheck::{recheck, Claim, Failure};
use serde_json::json;

fn case(f: &str, phi: &str) -> serde_json::Value {
    json!({"objective": f, "regularizer": phi,
           "search_box": [["x", "-1", "1"], ["y", "-1", "1"]]})
}

#[test]
fn a_false_conservation_claim_is_caught() {
    let r = recheck(&json!({"case": case("(x*y - 1)^2", "x^2 + y^2"),
                            "conservation": {"conserved": "proved"}}))
    .unwrap();
    assert_eq!(r.items[0].claim, Claim::Conserved);
    assert_eq!(r.items[0].failure, Some(Failure::NotZero));
}

#[test]
fn non_polynomial_conservation_is_rechecked_by_the_canonical_form() {
    // f = exp(x y), phi = x^2 - y^2: <grad f, grad phi> = exp(x y) (2 x y - 2 x y) = 0.
    let r = recheck(&json!({"case": case("exp(x*y)", "x^2 - y^2"),
                            "conservation": {"conserved": "proved"}}))
    .unwrap();
    assert!(r.all_hold(), "{r:?}");
}

#[test]
fn witnesses_are_evaluated_exactly_and_by_enclosures() {
    // I = <grad f, grad phi> = 8 x y (x y - 1): 16 at (1, 2).
    let w = |value: serde_json::Value, sign: i64| {
        json!({"case": case("(x*y - 1)^2", "x^2 + y^2"),
               "conservation": {"conserved": "refuted",
                                "nonzero_witness": {"point": ["1", "2"], "value": value, "sign": sign}}})
    };
    assert!(recheck(&w(json!({"kind": "exact", "value": "16"}), 1))
        .unwrap()
        .all_hold());
    assert!(!recheck(&w(json!({"kind": "exact", "value": "15"}), 1))
        .unwrap()
        .all_hold());
    assert!(
        recheck(&w(json!({"kind": "enclosure", "lo": 15.0, "hi": 17.0}), 1))
            .unwrap()
            .all_hold()
    );
    assert!(!recheck(&w(
        json!({"kind": "enclosure", "lo": -17.0, "hi": -15.0}),
        -1
    ))
    .unwrap()
    .all_hold());
    // A point outside the dimension, or not rational, is unreadable.
    let bad = json!({"case": case("x", "y"), "conservation": {"nonzero_witness":
        {"point": ["1"], "value": {"kind": "exact", "value": "0"}, "sign": 1}}});
    assert!(matches!(
        recheck(&bad).unwrap().items[0].failure,
        Some(Failure::Unreadable { .. })
    ));
}

#[test]
fn an_sos_claim_for_a_different_target_fails() {
    // The certificate of x^2 + 1 = [x, 1] I [x, 1]^T does not prove x^2 - 1 >= 0.
    let claim = |target: &str| {
        json!({"variables": ["x"], "target": target, "equations": [],
        "domain": "everywhere",
        "certificate": {"basis": [[1], [0]], "gram": [["1", "0"], ["0", "1"]], "multipliers": [],
                        "rank": 2, "sizes": {"basis": {"full": 2, "newton": 2, "reduced": 2},
                        "kernel": 0, "unknowns": 3, "equations": 3, "denominator": 1}}})
    };
    let ok = recheck(&json!({"anything": {"claim": claim("x^2 + 1")}})).unwrap();
    assert!(ok.all_hold(), "{ok:?}");
    let bad = recheck(&json!({"anything": {"claim": claim("x^2 - 1")}})).unwrap();
    assert!(matches!(
        bad.items[0].failure,
        Some(Failure::Certificate { .. })
    ));
    // The Gram matrix [[1, 2], [2, 1]] over [x, 1] gives x^2 + 4 x + 1 exactly, but it is
    // indefinite (and the polynomial is negative at x = -1).
    let mut indefinite = claim("x^2 + 4*x + 1");
    indefinite["certificate"]["gram"] = json!([["1", "2"], ["2", "1"]]);
    let r = recheck(&json!({"c": indefinite})).unwrap();
    assert!(
        matches!(r.items[0].failure, Some(Failure::Certificate { .. })),
        "{r:?}"
    );
}

/// A report whose C5 section holds `escape` for `f + phi` (the cubic's shape).
fn with_escape(escape: serde_json::Value) -> serde_json::Value {
    json!({"case": case("(x^3 + y^3 - 1)^2", "(x*y - 1)^2/(x*y)"),
           "coercivity": {"argument": {"kind": "escape", "target": "f_plus_phi"},
                          "escape": escape, "f_alone": null}})
}

#[test]
fn escapes_are_rebuilt_from_the_case_and_their_limits_recomputed() {
    // Along (t, -t): x^3 + y^3 = 0, so f = 1, and phi = (t^2 + 1)^2/t^2 ... as printed below.
    let good = json!({"kind": "ray", "curve": ["t", "-t"],
                      "restriction": "1 + (t^2 + 1)^2/(-t^2)", "limit": "-inf"});
    let r = recheck(&with_escape(good.clone())).unwrap();
    // (t^2 + 1)^2/(-t^2) is not bounded above: the printed -inf limit is recomputed.
    assert_eq!(r.items.len(), 1, "{r:?}");
    assert!(r.all_hold(), "{r:?}");
    let mut wrong_limit = good.clone();
    wrong_limit["limit"] = json!("1");
    assert!(!recheck(&with_escape(wrong_limit)).unwrap().all_hold());
    let mut wrong_restriction = good.clone();
    wrong_restriction["restriction"] = json!("1");
    assert!(!recheck(&with_escape(wrong_restriction)).unwrap().all_hold());
    let mut wrong_curve = good;
    wrong_curve["curve"] = json!(["t", "t"]);
    assert!(!recheck(&with_escape(wrong_curve)).unwrap().all_hold());
}

#[test]
fn escapes_with_finite_limits_of_quotients_and_uncovered_escapes() {
    let finite = json!({"case": case("(x*y - 1)^2", "x^2/(1 + x^2)"),
        "coercivity": {"argument": {"kind": "escape", "target": "f_plus_phi"},
                       "escape": {"kind": "ray", "curve": ["t", "0"],
                                  "restriction": "1 + t^2/(1 + t^2)", "limit": "2"}}});
    let r = recheck(&finite).unwrap();
    assert_eq!(r.items.len(), 1);
    assert!(r.all_hold(), "{r:?}");
    // exp remains after the substitution: not decided by the small path, and not "holds".
    let with_exp = json!({"case": case("exp(-x^2)", "y^2"),
        "coercivity": {"argument": {"kind": "escape", "target": "f_plus_phi"},
                       "escape": {"kind": "ray", "curve": ["t", "0"],
                                  "restriction": "0", "limit": "0"}}});
    let r = recheck(&with_exp).unwrap();
    assert!(r.items.is_empty());
    assert_eq!(r.not_covered.len(), 1);
}

#[test]
fn a_bounded_curve_is_no_escape() {
    // f + phi = (x y - 1)^2 + (x^2 - y^2)^2 vanishes at (1, 1): a constant or converging
    // "curve" has the right restriction and limit but does not go to infinity.
    for curve in [json!(["1", "1"]), json!(["1 + 1/t", "1"])] {
        let restriction = if curve[0] == "1" {
            "0"
        } else {
            "((1 + 1/t) - 1)^2 + ((1 + 1/t)^2 - 1)^2"
        };
        let report = json!({"case": case("(x*y - 1)^2", "(x^2 - y^2)^2"),
            "coercivity": {"argument": {"kind": "escape", "target": "f_plus_phi"},
                           "escape": {"kind": "ray", "curve": curve,
                                      "restriction": restriction, "limit": "0"}}});
        let r = recheck(&report).unwrap();
        assert_eq!(r.items.len(), 1, "{r:?}");
        assert_eq!(r.items[0].failure, Some(Failure::NotAnEscape), "{r:?}");
    }
}

#[test]
fn an_escape_outside_the_domain_of_an_even_root_fails() {
    // sqrt(x)^2 keeps the domain x >= 0: along (-t, 0) the objective is undefined, so the
    // restriction -t^2 (what folding sqrt(x)^2 to x would give) is not F along the curve.
    let report = json!({"case": case("y^2 - sqrt(x)^2*x", "y^2"),
        "coercivity": {"argument": {"kind": "escape", "target": "f"},
                       "escape": {"kind": "ray", "curve": ["-t", "0"],
                                  "restriction": "-t^2", "limit": "-inf"}}});
    let r = recheck(&report).unwrap();
    assert!(r.items.is_empty(), "{r:?}");
    assert_eq!(r.not_covered.len(), 1, "{r:?}");
}
