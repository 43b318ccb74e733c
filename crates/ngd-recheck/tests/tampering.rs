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
