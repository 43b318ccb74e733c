//! The recheck library on hand-written reports: the claims it finds, and that every kind of
//! tampering is caught.

use ngd_recheck::{recheck, Claim, Failure, NotCoveredReason};
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

/// The C4 part of the report of `cases/xy.case` (its two printed boxes, as `report` wrote
/// them): `f = (x y - 1)^2`, `phi = (x^2 - y^2)^2`, `M = {x y = 1}`, `S = {(1, 1), (-1, -1)}`.
fn xy_report(examples: serde_json::Value) -> serde_json::Value {
    json!({"case": {"objective": "(x*y - 1)^2", "regularizer": "(x^2 - y^2)^2",
                    "search_box": [["x", "-3", "3"], ["y", "-3", "3"]]},
           "conservation": {"g": "x*y - 1", "residuals": []},
           "decrease": {"cover": {"examples": examples, "balls": []}}})
}

fn near_s_box() -> serde_json::Value {
    json!({"lo": [-1.037109375, -0.97265625], "hi": [-1.03125, -0.966796875],
           "a_max": 0.0029296875, "c": 0.008299824423512424})
}

fn far_box() -> serde_json::Value {
    json!({"lo": [-3.0, -0.375], "hi": [-2.625, 0.0], "a_max": 0.1875, "c": 7.604041468612411})
}

fn box_failures(examples: serde_json::Value) -> Vec<Option<Failure>> {
    let r = recheck(&xy_report(examples)).unwrap();
    r.items
        .into_iter()
        .filter(|i| matches!(i.claim, Claim::DecreaseBox { .. }))
        .map(|i| i.failure)
        .collect()
}

#[test]
fn the_printed_c4_boxes_of_xy_recheck() {
    assert_eq!(box_failures(json!([near_s_box(), far_box()])), [None, None]);
    // Without the leaves of the cover the covering claim is listed as not re-checked.
    let r = recheck(&xy_report(json!([far_box()]))).unwrap();
    assert!(r
        .not_covered
        .iter()
        .any(|n| n.reason == NotCoveredReason::CoverLeavesNotListed));
}

#[test]
fn a_moved_enlarged_or_sign_flipped_c4_box_fails() {
    let failed = |b: serde_json::Value| {
        matches!(
            box_failures(json!([b]))[..],
            [Some(Failure::BoxNotProved { .. })]
        )
    };
    // Moved onto the point (-1, -1) of S, where Q = 0.
    let mut moved = near_s_box();
    moved["lo"] = json!([-1.0029296875, -1.0029296875]);
    moved["hi"] = json!([-0.9970703125, -0.9970703125]);
    assert!(failed(moved));
    // Enlarged over the whole search box (it then contains S).
    let mut enlarged = far_box();
    enlarged["hi"] = json!([3.0, 3.0]);
    assert!(failed(enlarged));
    // The sign of c flipped, and a c far above -Q/4.
    let mut flipped = far_box();
    flipped["c"] = json!(-7.604041468612411);
    assert!(failed(flipped));
    let mut too_strong = far_box();
    too_strong["c"] = json!(760.0);
    assert!(failed(too_strong));
    // A box whose corners are swapped is unreadable, not a failure of the interval path.
    let mut swapped = far_box();
    swapped["lo"] = json!([-2.625, 0.0]);
    swapped["hi"] = json!([-3.0, -0.375]);
    assert!(matches!(
        box_failures(json!([swapped]))[..],
        [Some(Failure::Unreadable { .. })]
    ));
}

/// A cover small enough to write by hand: `f = (x - 1/2)^2`, `phi = y^2 - x^2` on
/// `[-1, 1]^2`, so `M = {x = 1/2}`, the normal is `e_x` and `u^T Hess phi u = -2` everywhere.
/// The first bisection splits `x` at 0: the half `x <= 0` misses `M` (`d`), the half `x >= 0`
/// is certified with `a_max = 1` and `c = 1/2` (`c`).
fn small_cover(tree: &str, counts: [usize; 5], min_c: f64) -> serde_json::Value {
    let [examined, excluded, disjoint, certified, undecided] = counts;
    json!({"case": {"objective": "(x - 1/2)^2", "regularizer": "y^2 - x^2",
                    "search_box": [["x", "-1", "1"], ["y", "-1", "1"]]},
           "conservation": {"g": "x - 1/2", "residuals": []},
           "decrease": {"exclusion": {"kind": "grid_boxes", "radius": 0.5, "points": 1},
                        "cover": {"evidence": "proved", "tree": tree, "min_c": min_c,
                                  "examined": examined, "excluded": excluded,
                                  "disjoint": disjoint, "certified": certified,
                                  "undecided": undecided, "balls": [], "examples": []}}})
}

fn cover_failure(report: &serde_json::Value) -> Option<Failure> {
    let r = recheck(report).unwrap();
    let cover: Vec<_> = r
        .items
        .iter()
        .filter(|i| matches!(i.claim, Claim::DecreaseCover { .. }))
        .collect();
    assert_eq!(cover.len(), 1, "{r:?}");
    cover[0].failure.clone()
}

#[test]
fn a_whole_cover_rechecks_from_its_tree() {
    assert_eq!(
        cover_failure(&small_cover("bdc", [3, 0, 1, 1, 0], 0.5)),
        None
    );
    // An excluded neighbourhood: the half x <= 0 inside the ball around (-1/2, 0).
    let mut with_ball = small_cover("bxc", [3, 1, 0, 1, 0], 0.5);
    with_ball["decrease"]["cover"]["balls"] = json!([{"centre": [-0.5, 0.0],
        "requested_radius": 0.5, "radius": 1.0, "lo": [-1.0, -1.0], "hi": [0.0, 1.0]}]);
    assert_eq!(cover_failure(&with_ball), None);
    // The same ball claimed under a smaller exclusion radius is refused.
    with_ball["decrease"]["exclusion"]["radius"] = json!(0.1);
    assert!(matches!(
        cover_failure(&with_ball),
        Some(Failure::CoverMismatch { .. })
    ));
}

#[test]
fn a_tampered_cover_tree_fails() {
    let mismatch =
        |r: serde_json::Value| matches!(cover_failure(&r), Some(Failure::CoverMismatch { .. }));
    let not_proved =
        |r: serde_json::Value| matches!(cover_failure(&r), Some(Failure::BoxNotProved { .. }));
    // The half that meets M claimed disjoint.
    assert!(not_proved(small_cover("bdd", [3, 0, 2, 0, 0], 0.5)));
    // A leaf deleted, a leaf added, the counts not those of the tree.
    assert!(mismatch(small_cover("bd", [2, 0, 1, 0, 0], 0.5)));
    assert!(mismatch(small_cover("bdcc", [4, 0, 1, 2, 0], 0.5)));
    assert!(mismatch(small_cover("bdc", [3, 0, 0, 2, 0], 0.5)));
    // A constant above what Hess phi gives (u^T Hess phi u = -2 < -2c fails for c = 2), or
    // of the wrong sign.
    assert!(not_proved(small_cover("bdc", [3, 0, 1, 1, 0], 2.0)));
    assert!(not_proved(small_cover("bdc", [3, 0, 1, 1, 0], -0.5)));
    // An undecided leaf in a cover printed as proved; an excluded leaf with no ball.
    assert!(not_proved(small_cover("bdu", [3, 0, 1, 0, 1], 0.5)));
    assert!(not_proved(small_cover("bxc", [3, 1, 0, 1, 0], 0.5)));
}

#[test]
fn c4_boxes_of_unconfirmed_or_non_polynomial_cases_are_not_rechecked() {
    // f is not c g^k for the printed g: its zero set is not known to be M.
    let mut wrong_g = small_cover("bdc", [3, 0, 1, 1, 0], 0.5);
    wrong_g["conservation"]["g"] = json!("x - 1/4");
    let mut odd_power = small_cover("bdc", [3, 0, 1, 1, 0], 0.5);
    odd_power["case"]["objective"] = json!("(x - 1/2)^3");
    let mut not_polynomial = small_cover("bdc", [3, 0, 1, 1, 0], 0.5);
    not_polynomial["case"]["objective"] = json!("exp((x - 1/2)^2)");
    for (report, reason) in [
        (wrong_g, NotCoveredReason::EquationsNotConfirmed),
        (odd_power, NotCoveredReason::EquationsNotConfirmed),
        (not_polynomial, NotCoveredReason::NotPolynomial),
    ] {
        let r = recheck(&report).unwrap();
        assert!(r.items.is_empty(), "{r:?}");
        assert_eq!(r.not_covered[0].reason, reason, "{r:?}");
    }
}

#[test]
fn a_closed_ball_whose_argument_fails_fails_the_cover() {
    // The x leaf [-1, 0] x [-1, 1] in a ball printed as closed around (-1/2, 0), a point off
    // M = {x = 1/2}: its argument fails at the point, so the cover fails, located at the ball.
    let mut report = small_cover("bxc", [3, 1, 0, 1, 0], 0.5);
    let argument = json!({"kind": "rational_point", "point": ["-1/2", "0"], "q": "-2",
        "chart": {"coordinate": "x", "proved_boxes": 1,
                  "chart_box": {"variables": ["x", "y"], "lo": [-1.0, -1.0], "hi": [1.0, 1.0]}}});
    report["decrease"]["cover"]["balls"] = json!([{"centre": [-0.5, 0.0], "closed": true,
        "requested_radius": 0.5, "radius": 1.0, "lo": [-1.0, -1.0], "hi": [0.0, 1.0],
        "argument": argument}]);
    match cover_failure(&report) {
        Some(Failure::BoxNotProved { what }) => {
            assert!(what.contains("decrease.cover.balls[0]") && what.contains("not on M"));
        }
        other => panic!("{other:?}"),
    }
    // A symmetry argument without its data fails (located at the ball) ...
    report["decrease"]["cover"]["balls"][0]["argument"]["kind"] = json!("symmetry");
    match cover_failure(&report) {
        Some(Failure::BoxNotProved { what }) => {
            assert!(what.contains("decrease.cover.balls[0]") && what.contains("unknown symmetry"));
        }
        other => panic!("{other:?}"),
    }
    // ... and an argument of an unknown kind is listed as not re-checked, never as holding.
    report["decrease"]["cover"]["balls"][0]["argument"]["kind"] = json!("a_new_kind");
    assert_eq!(cover_failure(&report), None);
    let r = recheck(&report).unwrap();
    assert_eq!(
        r.not_covered[0].reason,
        NotCoveredReason::LocalArgument,
        "{r:?}"
    );
    assert_eq!(r.not_covered[0].path, "decrease.cover.balls[0].argument");
}

/// A complete order-4 certificate for `g = y` (`M = {y = 0}`) on `[-1, 1]^2`, `S` not
/// located: one step from `(x, 0)` changes `phi` by `phi(x, -+a) - phi(x, 0)`.
fn order_certificate(phi: &str, a0: f64, c: f64) -> serde_json::Value {
    json!({"case": {"objective": "y^2", "regularizer": phi,
                    "search_box": [["x", "-1", "1"], ["y", "-1", "1"]]},
           "conservation": {"g": "y"},
           "decrease": {"degenerate": {"certificate": {"order": 4, "a0": a0, "c": c,
               "complete": true, "charts": [{"factor": "y", "variable": "y", "solved": "0",
               "certified": 1, "outside": 0, "near_s": 0, "left": 0}]}}}})
}

fn order_failure(report: &serde_json::Value) -> Option<Failure> {
    let r = recheck(report).unwrap();
    let claims: Vec<_> = r
        .items
        .iter()
        .filter(|i| matches!(&i.claim, Claim::DecreaseCover { path, .. } if path.contains("degenerate")))
        .collect();
    assert_eq!(claims.len(), 1, "{r:?}");
    claims[0].failure.clone()
}

#[test]
fn an_order_certificate_rechecks_and_a_larger_step_or_constant_fails() {
    // -a^4 + 16 a^6 <= -c a^4 on (0, a0]: R(b) = -24 + 5760 b^2 <= -24 c for |b| <= a0, so
    // c = 1 - 240 a0^2: 1/16 for a0 = 1/16 (the certificate's own numbers).
    let phi = "x^2 - y^4 + 16*y^6";
    assert_eq!(order_failure(&order_certificate(phi, 0.0625, 0.0625)), None);
    // The constant doubled, the step bound enlarged, or a chart off M: not proved.
    for tampered in [
        order_certificate(phi, 0.0625, 0.125),
        order_certificate(phi, 0.25, 0.0625),
    ] {
        assert!(
            matches!(order_failure(&tampered), Some(Failure::BoxNotProved { .. })),
            "{tampered}"
        );
    }
    // A second order that does not vanish on M: phi(x, -+a) - phi(x, 0) = a^2 - a^4 grows,
    // although the fourth derivative alone (-24) would pass.
    assert!(matches!(
        order_failure(&order_certificate("x^2 + y^2 - y^4", 0.0625, 0.5)),
        Some(Failure::BoxNotProved { what }) if what.contains("order-2 term")
    ));
    let mut off_m = order_certificate(phi, 0.0625, 0.0625);
    off_m["decrease"]["degenerate"]["certificate"]["charts"][0]["solved"] = json!("1/2");
    assert!(matches!(
        order_failure(&off_m),
        Some(Failure::BoxNotProved { what }) if what.contains("not on M")
    ));
}

#[test]
fn an_order_certificate_across_a_kink_of_phi_is_never_rechecked_as_holding() {
    // phi(x, -+a) - phi(x, 0) = -a^4 + 100 |a|^3 > 0 for small a: the fourth derivative of
    // |y|^3 is 0 away from y = 0, so a path blind to the kink at y = b = 0 would "prove"
    // R = -24 <= -24 c. The smooth enclosure refuses every box whose segments cross it.
    assert_eq!(
        order_failure(&order_certificate("x^2 - y^4", 0.0625, 0.5)),
        None
    );
    let report = order_certificate("x^2 - y^4 + 100*abs(y)^3", 0.0625, 0.5);
    assert!(matches!(
        order_failure(&report),
        Some(Failure::BoxNotProved { .. })
    ));
}

/// A report of the cubic example (docs/math.md, "`phi = 0` on `S`, proved exactly") carrying
/// only the C2 lower bound and the claim `phi = 0` on `S` at `witness`.
fn phi_zero_report(phi: &str, witness: [&str; 2], infimum: &str, hi: &str) -> serde_json::Value {
    json!({
        "case": {"objective": "(x^3 + y^3 - 1)^2", "regularizer": phi,
                 "search_box": [["x", "-3", hi], ["y", "-3", "3"]]},
        "minima": {
            "minimum_set": {"lower_bound": {"value": "0", "evidence": "proved",
                            "reason": {"kind": "even_outer", "c": "1", "outer": "square"}}},
            "flat": {"regularizer": {"phi_exact_zero": {
                "witness": witness, "base": "2", "degree": 3, "infimum": infimum,
                "evidence": "proved"}}}
        }
    })
}

/// The failure of the claim `phi = 0` on `S` (the report's only claim).
fn phi_zero_failure(report: &serde_json::Value) -> Option<Failure> {
    let r = recheck(report).unwrap();
    assert!(r.not_covered.is_empty(), "{r:?}");
    assert_eq!(r.items.len(), 1, "{r:?}");
    assert!(
        matches!(&r.items[0].claim, Claim::PhiExactZero { path, witness }
            if path == "minima.flat.regularizer.phi_exact_zero" && witness.len() == 2),
        "{r:?}"
    );
    r.items[0].failure.clone()
}

const CUBIC_PHI: &str = "(1/x - 1/y)^2";
const CUBIC_W: [&str; 2] = ["2^(-1/3)", "2^(-1/3)"];

#[test]
fn phi_zero_on_s_rechecks_at_a_radical_witness() {
    assert_eq!(
        phi_zero_failure(&phi_zero_report(CUBIC_PHI, CUBIC_W, "0", "3")),
        None
    );
    // The box bound at a rational just above 2^(-1/3) = 0.79370052...: still inside.
    assert_eq!(
        phi_zero_failure(&phi_zero_report(CUBIC_PHI, CUBIC_W, "0", "7938/10000")),
        None
    );
}

#[test]
fn a_tampered_phi_zero_claim_fails() {
    let wrong_value = |r: serde_json::Value| {
        let f = phi_zero_failure(&r);
        assert!(matches!(f, Some(Failure::WrongValue { .. })), "{f:?}");
    };
    // x = y = 2^(-1/2): phi(w) = 0 still, but f(w) = (2^(-1/2) - 1)^2 != 0.
    wrong_value(phi_zero_report(
        CUBIC_PHI,
        ["2^(-1/2)", "2^(-1/2)"],
        "0",
        "3",
    ));
    // The infimum changed: no longer C2's lower bound.
    wrong_value(phi_zero_report(CUBIC_PHI, CUBIC_W, "1", "3"));
    // phi lifted by a positive constant: still >= 0 by syntax, but phi(w) = 1/1000.
    wrong_value(phi_zero_report("(1/x - 1/y)^2 + 1/1000", CUBIC_W, "0", "3"));
    // The box cut just below 2^(-1/3): the witness lies outside it.
    wrong_value(phi_zero_report(CUBIC_PHI, CUBIC_W, "0", "7937/10000"));
    // A witness where phi has a pole (and f = 0): phi(w) is undefined.
    wrong_value(phi_zero_report(CUBIC_PHI, ["0", "1"], "0", "3"));
    // The same square expanded is not >= 0 by syntax (although it is as a function).
    let f = phi_zero_failure(&phi_zero_report(
        "1/x^2 - 2/(x*y) + 1/y^2",
        CUBIC_W,
        "0",
        "3",
    ));
    assert!(matches!(f, Some(Failure::NotNonnegative { .. })), "{f:?}");
}

#[test]
fn a_phi_zero_claim_the_small_path_does_not_decide_is_not_rechecked() {
    let reasons = |r: serde_json::Value| {
        let r = recheck(&r).unwrap();
        assert!(r.items.is_empty(), "{r:?}");
        r.not_covered.iter().map(|n| n.reason).collect::<Vec<_>>()
    };
    // 4^(-1/6) = 2^(-1/3), but the canonical form keeps two unrelated root atoms.
    assert_eq!(
        reasons(phi_zero_report(
            CUBIC_PHI,
            ["2^(-1/3)", "4^(-1/6)"],
            "0",
            "3"
        )),
        [NotCoveredReason::ExactValueUndecided]
    );
    // f + (x - y)^3 still vanishes at w, but it is not >= 0 (so 0 is not its infimum): no
    // syntactic bound is found, and the claim is not re-checked, never "holds".
    let mut r = phi_zero_report(CUBIC_PHI, CUBIC_W, "0", "3");
    r["case"]["objective"] = json!("(x^3 + y^3 - 1)^2 + (x - y)^3");
    assert_eq!(reasons(r), [NotCoveredReason::LowerBoundNotRederived]);
}

/// A cover with a non-polynomial residual, small enough to write by hand: `g = exp(x) - 1`
/// (`M = {x = 0}`, normal `e_x`), `phi = y^2 - x^2 + x^4/48` on `[-1, 3] x [-1, 1]`, `f`
/// the given function of `g`. The first bisection splits `x` at 1: the half `x <= 1` meets
/// `M` and is certified with `a_max = 1` (there `d^2 phi/dx^2 = -2 + x^2/4 <= -1` on
/// `x in [-2, 2]`, so any `c < 1/2` holds), the half `x >= 1` misses `M` (`d`; there
/// `d^2 phi/dx^2` reaches `2` on `x in [0, 4]`, so it cannot be certified). The claim is
/// about `phi` along the normals only, so `phi` need not be conserved here.
fn smooth_cover(
    f: &str,
    phi: &str,
    tree: &str,
    counts: [usize; 5],
    min_c: f64,
) -> serde_json::Value {
    let mut report = small_cover(tree, counts, min_c);
    report["case"] = json!({"objective": f, "regularizer": phi,
                            "search_box": [["x", "-1", "3"], ["y", "-1", "1"]]});
    report["conservation"]["g"] = json!("exp(x) - 1");
    report
}

const QUARTIC_PHI: &str = "y^2 - x^2 + x^4/48";

#[test]
fn covers_with_a_listed_outer_function_or_a_smooth_residual_recheck() {
    for f in [
        "(exp(x) - 1)^2",
        "log(1 + (exp(x) - 1)^2)",
        "abs(exp(x) - 1)",
        "2*sqrt(1 + (1 - exp(x))^2) - 2",
    ] {
        let report = smooth_cover(f, QUARTIC_PHI, "bcd", [3, 0, 1, 1, 0], 0.25);
        assert_eq!(cover_failure(&report), None, "{f}");
    }
    // A polynomial residual under a listed outer function goes through the polynomial path.
    let mut report = small_cover("bdc", [3, 0, 1, 1, 0], 0.5);
    report["case"]["objective"] = json!("log(1 + (x - 1/2)^2)");
    assert_eq!(cover_failure(&report), None);
}

#[test]
fn a_tampered_smooth_cover_fails() {
    let not_proved = |tree: &str, counts: [usize; 5], min_c: f64| {
        let report = smooth_cover("log(1 + (exp(x) - 1)^2)", QUARTIC_PHI, tree, counts, min_c);
        matches!(cover_failure(&report), Some(Failure::BoxNotProved { .. }))
    };
    // The disjoint half relabelled certified; min_c doubled (d^2 phi/dx^2 + 2c reaches 0).
    assert!(not_proved("bcc", [3, 0, 0, 2, 0], 0.25));
    assert!(not_proved("bcd", [3, 0, 1, 1, 0], 0.5));
    // The certified half (it meets M) relabelled disjoint.
    assert!(not_proved("bdd", [3, 0, 2, 0, 0], 0.25));
}

#[test]
fn a_possibly_non_smooth_phi_is_never_certified() {
    // phi = y^2 - x^2 + 3|x| has a convex kink on M: at x = 0, phi(-a) - phi(0) = 3a - a^2
    // > 0, so the claim is false. Its symbolic Hessian ignores the kink (-2, as for the
    // claim that holds), so only the refusal of the kink keeps the leaf from being certified.
    let report = smooth_cover(
        "(exp(x) - 1)^2",
        "y^2 - x^2 + 3*abs(x)",
        "bcd",
        [3, 0, 1, 1, 0],
        0.25,
    );
    assert!(matches!(
        cover_failure(&report),
        Some(Failure::BoxNotProved { .. })
    ));
}

#[test]
fn an_unlisted_or_non_increasing_outer_function_is_not_rechecked() {
    for (f, g, reason) in [
        // Increasing in |g|, but not on the list.
        (
            "exp((exp(x) - 1)^2)",
            "exp(x) - 1",
            NotCoveredReason::NotPolynomial,
        ),
        // t^2 - t^4 is below its value at 0 for |t| > 1: argmin f is not {g = 0}.
        (
            "(exp(x) - 1)^2 - (exp(x) - 1)^4",
            "exp(x) - 1",
            NotCoveredReason::NotPolynomial,
        ),
        (
            "(x - 1/2)^2 - (x - 1/2)^4",
            "x - 1/2",
            NotCoveredReason::EquationsNotConfirmed,
        ),
        // A listed function of another g.
        (
            "log(1 + (exp(x) - 2)^2)",
            "exp(x) - 1",
            NotCoveredReason::NotPolynomial,
        ),
    ] {
        let mut report = smooth_cover(f, QUARTIC_PHI, "bcd", [3, 0, 1, 1, 0], 0.25);
        report["conservation"]["g"] = json!(g);
        let r = recheck(&report).unwrap();
        assert!(r.items.is_empty(), "{f}: {r:?}");
        assert_eq!(r.not_covered[0].reason, reason, "{f}: {r:?}");
    }
}
