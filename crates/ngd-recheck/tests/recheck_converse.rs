//! The converse of `discover` (`phi = 0` on `M` only on the flat set) re-proved by recheck
//! from the document alone: the honest documents of the shipped cases hold, every tampering
//! fails, and inconclusive converses claim nothing.
//!
//! The documents in `tests/converse/` are `ngd-verify discover cases/CASE.case --format json`
//! cut to the keys recheck reads (`title`, `case`, `flat_set_source`, `proposal`,
//! `zero_set`). `recheck`'s exit status is 1 exactly when `all_hold()` is false.

use ngd_recheck::{recheck, Claim, Failure, Item, NotCoveredReason, Recheck};
use serde_json::{json, Value};

/// The cases where discover proves the converse.
const PROVED: [&str; 4] = ["xy", "hyperbola", "abs-xy", "log-loss"];

fn document(case: &str) -> Value {
    let path = format!("{}/tests/converse/{case}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn path_of(item: &Item) -> &str {
    match &item.claim {
        Claim::ZeroSetConverse { path, .. } | Claim::SumOfSquares { path, .. } => path,
        _ => "",
    }
}

/// The chain item (`zero_set.converse.steps`) and the conclusion (`zero_set.converse`).
fn converse_items(r: &Recheck) -> (Option<&Item>, Option<&Item>) {
    let find = |p: &str| r.items.iter().find(|i| path_of(i) == p);
    (find("zero_set.converse.steps"), find("zero_set.converse"))
}

fn chain_failure(r: &Recheck) -> Option<Failure> {
    converse_items(r).0.expect("a chain item").failure.clone()
}

fn conclusion_failure(r: &Recheck) -> Option<Failure> {
    converse_items(r)
        .1
        .expect("a conclusion item")
        .failure
        .clone()
}

/// The failures of the per-step SOS claims (`zero_set.converse.steps[j].claim`).
fn step_claim_failures(r: &Recheck) -> Vec<Option<Failure>> {
    r.items
        .iter()
        .filter(|i| path_of(i).starts_with("zero_set.converse.steps["))
        .map(|i| i.failure.clone())
        .collect()
}

fn printed(f: &Option<Failure>) -> String {
    match f {
        Some(Failure::WrongValue { printed, .. }) => printed.clone(),
        other => panic!("not a wrong value: {other:?}"),
    }
}

#[test]
fn the_proved_converses_of_the_shipped_cases_recheck() {
    for case in PROVED {
        let r = recheck(&document(case)).unwrap();
        assert!(r.all_hold(), "{case}: {r:?}");
        let (chain, conclusion) = converse_items(&r);
        assert!(chain.is_some_and(|i| i.failure.is_none()), "{case}");
        assert!(conclusion.is_some_and(|i| i.failure.is_none()), "{case}");
        assert!(r.not_covered.is_empty(), "{case}: {:?}", r.not_covered);
        let Claim::ZeroSetConverse {
            statement: target, ..
        } = &conclusion.unwrap().claim
        else {
            unreachable!()
        };
        assert!(target.contains("only at the flat points"), "{target}");
    }
}

#[test]
fn inconclusive_converses_claim_nothing_and_cannot_be_promoted() {
    for case in ["product3", "diagonal-net"] {
        let doc = document(case);
        assert_eq!(doc["zero_set"]["converse"]["evidence"], "inconclusive");
        let r = recheck(&doc).unwrap();
        assert_eq!(converse_items(&r), (None, None), "{case}");
        assert!(r.not_covered.is_empty(), "{case}");
        // Relabelled proved, the steps found do not reach every flat equation.
        let mut promoted = doc.clone();
        promoted["zero_set"]["converse"]["evidence"] = json!("proved");
        let r = recheck(&promoted).unwrap();
        assert!(!r.all_hold(), "{case}");
        assert!(printed(&conclusion_failure(&r)).starts_with("flat equation"));
    }
}

#[test]
fn a_target_that_is_not_minus_the_square_fails() {
    let mut doc = document("xy");
    let target = &mut doc["zero_set"]["converse"]["steps"][1]["claim"]["target"];
    *target = json!(format!("{} + 1", target.as_str().unwrap()));
    let r = recheck(&doc).unwrap();
    assert!(!r.all_hold());
    assert!(printed(&chain_failure(&r)).starts_with("steps[1] target"));
    assert!(conclusion_failure(&r).is_some());
}

#[test]
fn a_step_using_a_later_equation_fails_though_each_certificate_holds() {
    // x^2 - 1 (proved on V(g, phi, x^2 - y^2, x - y)) moved before x - y.
    let mut doc = document("xy");
    doc["zero_set"]["converse"]["steps"]
        .as_array_mut()
        .unwrap()
        .swap(1, 2);
    let r = recheck(&doc).unwrap();
    assert!(step_claim_failures(&r).iter().all(Option::is_none));
    assert!(!r.all_hold());
    assert_eq!(printed(&chain_failure(&r)), "steps[1] equation 3: x - y");
}

#[test]
fn a_phi_changed_by_one_coefficient_fails() {
    for case in PROVED {
        let mut doc = document(case);
        let phi = doc["proposal"]["display"].as_str().unwrap().to_string();
        let changed = phi.replacen("y^2", "2*y^2", 1);
        assert_ne!(phi, changed, "{case}");
        doc["proposal"]["display"] = json!(changed);
        doc["case"]["regularizer"] = json!(changed);
        let r = recheck(&doc).unwrap();
        assert!(step_claim_failures(&r).iter().all(Option::is_none));
        assert!(!r.all_hold(), "{case}");
        assert!(printed(&chain_failure(&r)).starts_with("steps[0] equation 1"));
        // The proposal alone changed: the case summary no longer prints it.
        let mut doc = document(case);
        doc["proposal"]["display"] = json!(changed);
        let r = recheck(&doc).unwrap();
        assert!(matches!(
            conclusion_failure(&r),
            Some(Failure::Unreadable { .. })
        ));
    }
}

#[test]
fn a_missing_step_fails() {
    // The last step: the chain is still consistent, but y^2 - 1 is proved by no step.
    let mut doc = document("xy");
    doc["zero_set"]["converse"]["steps"]
        .as_array_mut()
        .unwrap()
        .remove(3);
    let r = recheck(&doc).unwrap();
    assert!(!r.all_hold());
    assert_eq!(chain_failure(&r), None);
    assert_eq!(printed(&conclusion_failure(&r)), "flat equation y^2 - 1");
    // A middle step: a later step relies on its equation.
    let mut doc = document("hyperbola");
    doc["zero_set"]["converse"]["steps"]
        .as_array_mut()
        .unwrap()
        .remove(1);
    let r = recheck(&doc).unwrap();
    assert!(!r.all_hold());
    assert!(printed(&chain_failure(&r)).starts_with("steps[1] equation"));
}

/// `doc` with the flat point `from` replaced by `to` (in the vanishing points and C3's list).
fn move_point(doc: &mut Value, from: [&str; 2], to: [&str; 2]) {
    for p in doc["proposal"]["vanishing"]["points"]
        .as_array_mut()
        .unwrap()
    {
        if p["point"] == json!(from) {
            p["point"] = json!(to);
        }
    }
    let (old, new) = (
        format!("({}, {})", from[0], from[1]),
        format!("({}, {})", to[0], to[1]),
    );
    for p in doc["flat_set_source"]["points"].as_array_mut().unwrap() {
        if *p == json!(old) {
            *p = json!(new);
        }
    }
}

#[test]
fn a_moved_or_dropped_flat_point_fails() {
    let mut doc = document("xy");
    move_point(&mut doc, ["1", "1"], ["2", "2"]);
    let r = recheck(&doc).unwrap();
    assert!(!r.all_hold());
    assert_eq!(printed(&conclusion_failure(&r)), "flat point (2, 2)");
    // Moved in the vanishing points only: C3's list no longer agrees.
    let mut doc = document("hyperbola");
    doc["proposal"]["vanishing"]["points"][0]["point"] = json!(["-1", "1/2"]);
    let r = recheck(&doc).unwrap();
    assert!(matches!(
        conclusion_failure(&r),
        Some(Failure::Unreadable { .. })
    ));
    // Dropped: the equations still vanish at (-1, 0), which the grid of the roots of
    // x^2 - 1 finds (the linear quotient's root).
    let mut doc = document("hyperbola");
    doc["proposal"]["vanishing"]["points"]
        .as_array_mut()
        .unwrap()
        .remove(0);
    let source = &mut doc["flat_set_source"]["points"];
    source.as_array_mut().unwrap().retain(|p| *p != "(-1, 0)");
    let r = recheck(&doc).unwrap();
    let Some(Failure::WrongValue { found, .. }) = conclusion_failure(&r) else {
        panic!("{r:?}")
    };
    assert!(found.ends_with("also vanish at (-1, 0)"), "{found}");
}

#[test]
fn a_wrong_point_of_m_or_e_fails() {
    let mut doc = document("xy");
    doc["zero_set"]["converse"]["point_of_m"] = json!(["2", "2"]);
    let r = recheck(&doc).unwrap();
    assert_eq!(printed(&conclusion_failure(&r)), "point_of_m (2, 2)");
    let mut doc = document("xy");
    doc["zero_set"]["converse"]["e"] = json!("x^4 + y^4 - x^2 - 2*x*y - y^2 + 1");
    let r = recheck(&doc).unwrap();
    assert!(printed(&conclusion_failure(&r)).starts_with("E = "));
}

#[test]
fn residuals_not_confirmed_as_m_are_not_rechecked() {
    // f = g^2 - g^4 is not minimal on V(g): the residuals are not known to cut out M.
    let mut doc = document("xy");
    doc["case"]["objective"] = json!("(x*y - 1)^2 - (x*y - 1)^4");
    let r = recheck(&doc).unwrap();
    assert_eq!(converse_items(&r).1, None);
    assert_eq!(r.not_covered.len(), 1);
    assert_eq!(r.not_covered[0].path, "zero_set.converse");
    assert_eq!(
        r.not_covered[0].reason,
        NotCoveredReason::EquationsNotConfirmed
    );
}

/// A hand-made proved converse for `f = (x - y)^2`, `phi = x^2`: the steps `x` and `y`
/// (`-y^2 = (x + y)(x - y) - x^2`), at the flat point `(0, 0)`.
fn line_document(flat_equations: &[&str], steps: Vec<Value>, e: &str) -> Value {
    json!({
        "case": {"objective": "(x - y)^2", "regularizer": "x^2",
                 "search_box": [["x", "-1", "1"], ["y", "-1", "1"]]},
        "flat_set_source": {"kind": "claimed_by_case"},
        "proposal": {"display": "x^2",
                     "vanishing": {"points": [{"point": ["0", "0"]}]}},
        "zero_set": {"converse": {
            "evidence": "proved", "residuals": ["x - y"], "flat_equations": flat_equations,
            "e": e, "point_of_m": ["0", "0"], "steps": steps}},
    })
}

fn step(equation: &str, target: &str, equations: &[&str], multipliers: Value) -> Value {
    json!({"role": "flat_equation", "equation": equation, "degree": 2, "claim": {
        "variables": ["x", "y"], "target": target, "equations": equations,
        "domain": "on_equations",
        "certificate": {"basis": [], "gram": [], "multipliers": multipliers, "rank": 0,
            "sizes": {"basis": {"full": 0, "newton": 0, "reduced": 0}, "kernel": 0,
                      "unknowns": 0, "equations": 0, "denominator": 1}}}})
}

fn step_x() -> Value {
    step(
        "x",
        "-x^2",
        &["x - y", "x^2"],
        json!([[], [[[0, 0], "-1"]]]),
    )
}

fn step_y(padding: &str) -> Value {
    step(
        "y",
        "-y^2",
        &["x - y", "x^2", "x", padding],
        json!([[[[1, 0], "1"], [[0, 1], "1"]], [[[0, 0], "-1"]], [], []]),
    )
}

#[test]
fn a_hand_made_converse_holds_with_a_monomial_padding_only() {
    let doc = line_document(
        &["x", "y"],
        vec![step_x(), step_y("x^2 - x*y")],
        "x^2 + y^2",
    );
    let r = recheck(&doc).unwrap();
    assert!(r.all_hold(), "{r:?}");
    assert!(converse_items(&r).1.is_some());
    // x^2 - 2 x y vanishes on no set the chain knows: not a multiple x_i^k h.
    let doc = line_document(
        &["x", "y"],
        vec![step_x(), step_y("x^2 - 2*x*y")],
        "x^2 + y^2",
    );
    let r = recheck(&doc).unwrap();
    assert_eq!(
        printed(&chain_failure(&r)),
        "steps[1] equation 3: x^2 - 2*x*y"
    );
}

#[test]
fn flat_equations_that_do_not_confine_a_coordinate_are_not_rechecked() {
    // V(x - y, x) is the point (0, 0), but no equation is in y alone: the rule does not
    // decide it, and says so instead of holding.
    let doc = line_document(&["x"], vec![step_x()], "x^2");
    let r = recheck(&doc).unwrap();
    assert_eq!(converse_items(&r).1, None);
    assert_eq!(r.not_covered.len(), 1);
    assert!(r.all_hold());
}

#[test]
fn a_flat_component_is_compared_with_its_printed_equations() {
    // The flat set is all of M = V(x - y): no flat equation beyond the residual, no step.
    let component = |eqs: Value| {
        let mut doc = line_document(&[], vec![], "0");
        doc["flat_set_source"] = json!({"kind": "sampled_components", "components": 1});
        doc["proposal"]["equation_sets"] = json!([{"equations": eqs}]);
        recheck(&doc).unwrap()
    };
    let r = component(json!(["x - y", "2*y - 2*x"]));
    assert!(r.all_hold(), "{r:?}");
    assert!(converse_items(&r).1.is_some());
    // A component equation the residuals and flat equations do not give.
    let r = component(json!(["x - y", "x"]));
    assert_eq!(
        printed(&conclusion_failure(&r)),
        "flat component equation x"
    );
}

#[test]
fn an_exponent_beyond_the_polynomial_range_is_unreadable_not_a_panic() {
    let mut doc = document("xy");
    doc["zero_set"]["converse"]["steps"][1]["equation"] = json!("x^1073741823");
    let r = recheck(&doc).unwrap();
    assert!(matches!(
        conclusion_failure(&r),
        Some(Failure::Unreadable { .. })
    ));
}

#[test]
fn a_flat_set_the_small_rules_cannot_confine_is_not_covered() {
    // e_1 = x alone: the chain holds, but y has no equation in y alone among the residual
    // x - y and the flat equation x, so the zero set is not confined to (0, 0) by the grid
    // rule (though it is): listed as not covered, never as holding.
    let doc = line_document(&["x"], vec![step_x()], "x^2");
    let r = recheck(&doc).unwrap();
    let (chain, conclusion) = converse_items(&r);
    assert!(chain.is_some_and(|i| i.failure.is_none()), "{r:?}");
    assert_eq!(conclusion, None);
    assert_eq!(r.not_covered.len(), 1, "{:?}", r.not_covered);
    assert_eq!(r.not_covered[0].path, "zero_set.converse");
    assert_eq!(
        r.not_covered[0].reason,
        NotCoveredReason::FlatSetNotConfined
    );
}
