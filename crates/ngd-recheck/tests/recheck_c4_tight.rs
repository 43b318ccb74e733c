//! C4's printed boxes where `u^T Hess phi u` cancels Hessian entries of size ~100 (`phi` of
//! degree 12, `tests/adversarial/c4-conserved-q-positive.case`): the honest boxes are
//! re-proved, and the same boxes with a `c` above what holds are not.

use ngd_recheck::{recheck, Claim, Failure};
use serde_json::{json, Value};

const PHI: &str = "(x^2 - y^2)^2*((x^2 - y^2)^2 - 4)^2 + (x^2 - y^2)^2/10";
/// The report's `min_c`.
const C: f64 = 0.12370947844486546;

/// The report's `decrease.cover.examples[0]` (sampled max of `u^T Hess phi u` about -0.45).
fn example_box(c: f64) -> Value {
    json!({"lo": [-1.033203125, -0.970703125], "hi": [-1.03125, -0.96875],
           "a_max": 0.0009765625, "c": c})
}

/// The report's failing cover leaf with its `a_max` (sampled max about -6.19).
fn leaf_box(c: f64) -> Value {
    json!({"lo": [-1.14453125, -0.8828125], "hi": [-1.140625, -0.875],
           "a_max": 0.00390625, "c": c})
}

fn report(boxes: Vec<Value>) -> Value {
    json!({
        "case": {"objective": "(x*y - 1)^2", "regularizer": PHI,
                 "search_box": [["x", "-2", "2"], ["y", "-2", "2"]]},
        "conservation": {"g": "x*y - 1"},
        "decrease": {"certificate": {"examples": boxes}}
    })
}

/// The failure of each printed box, in order.
fn failures(boxes: Vec<Value>) -> Vec<Option<Failure>> {
    let r = recheck(&report(boxes)).expect("a report");
    r.items
        .into_iter()
        .filter(|i| matches!(i.claim, Claim::DecreaseBox { .. }))
        .map(|i| i.failure)
        .collect()
}

#[test]
fn the_honest_boxes_of_the_report_are_reproved() {
    assert_eq!(
        failures(vec![example_box(C), leaf_box(C)]),
        vec![None, None]
    );
}

#[test]
fn a_larger_c_than_holds_is_not_proved() {
    // -2c below the sampled maximum: the claim is false at a point of the box.
    let found = failures(vec![
        example_box(C * 10.0),
        example_box(0.2251),
        leaf_box(C * 30.0),
        leaf_box(3.1),
    ]);
    assert_eq!(found.len(), 4);
    for f in found {
        assert!(matches!(f, Some(Failure::BoxNotProved { .. })), "{f:?}");
    }
}

#[test]
fn a_larger_c_that_still_holds_is_proved() {
    // The leaf's maximum is about -6.19: c = 10 C (-2c = -2.47) and c = 2.9 (-5.8) hold.
    assert_eq!(
        failures(vec![leaf_box(C * 10.0), leaf_box(2.9), example_box(0.2)]),
        vec![None, None, None]
    );
}

#[test]
fn a_box_where_q_is_positive_is_not_proved() {
    // At (sqrt 2, 1/sqrt 2) on M, h = 1.5 and F'(h) < 0: u^T Hess phi u > 0 (the case's why).
    let b = json!({"lo": [1.414, 0.707], "hi": [1.4145, 0.7075], "a_max": 0.0005, "c": 0.01});
    let found = failures(vec![b]);
    assert!(
        matches!(found[..], [Some(Failure::BoxNotProved { .. })]),
        "{found:?}"
    );
}
