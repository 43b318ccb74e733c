//! Discovery beyond polynomial fields: `exp`/`log` atoms (the function ring) and piecewise
//! fields (`max`, `abs`) region by region, with the attacks that must not produce a false law.

use ngd_algebra::{zero_test, ZeroTest};
use ngd_check::Evidence;
use ngd_discover::{
    check_vanishing, discover, propose_regularizer, AtomKind, DiscoverOptions, DiscoveryReport,
    FlatPointInput, LawCount, RegionWitness, Skip, Vanishing, Verification,
};
use ngd_expr::{Arena, ExprId};
use ngd_parse::{parse_expr, Params};
use rug::Float;

fn run(vars: &[&str], f: &str, opts: &DiscoverOptions) -> (Arena, DiscoveryReport) {
    let mut a = Arena::new(vars.iter().map(|s| s.to_string()).collect());
    let e = parse_expr(&mut a, f, &Params::new()).expect("objective");
    let r = discover(&mut a, e, opts);
    (a, r)
}

/// The CLI's defaults: polynomial ansatz only.
fn poly(degree: u32) -> DiscoverOptions {
    DiscoverOptions {
        degree,
        laurent: false,
        exp: false,
        ..DiscoverOptions::default()
    }
}

fn found(r: &DiscoveryReport) -> Vec<String> {
    r.quantities().iter().map(|q| q.display.clone()).collect()
}

/// `<grad g, grad psi>` for the text `psi` against the text `g`, by the exact zero test.
fn identity_is_zero(a: &mut Arena, g: &str, psi: &str) -> bool {
    let g = parse_expr(a, g, &Params::new()).unwrap();
    let psi = parse_expr(a, psi, &Params::new()).unwrap();
    let (gg, gp) = (a.gradient(g), a.gradient(psi));
    let d = a.dot(&gg, &gp);
    zero_test(a, d) == ZeroTest::Zero
}

/// Every listed quantity parses back and passes the exact test against `g`.
fn all_proved(a: &mut Arena, r: &DiscoveryReport, g: &str) {
    for q in r.quantities() {
        assert_eq!(q.verified, Evidence::Proved, "{}", q.display);
        let back = parse_expr(a, &q.display, &Params::new()).expect("display parses");
        let d = a.sub(back, q.expr);
        assert_eq!(zero_test(a, d), ZeroTest::Zero, "{}", q.display);
        if r.piecewise.is_none() {
            assert!(identity_is_zero(a, g, &q.display), "{}", q.display);
        }
    }
}

#[test]
fn exp_field_conserves_x_minus_half_y_squared() {
    // g = exp(x) y - 1: <grad g, grad(2x - y^2)> = 2 exp(x) y - 2 y exp(x) = 0.
    let (mut a, r) = run(&["x", "y"], "(exp(x)*y - 1)^2", &poly(3));
    assert_eq!(r.ring.atoms.len(), 1);
    assert_eq!(r.ring.atoms[0].display, "exp(x)");
    assert_eq!(
        r.ring.atoms[0].kind,
        AtomKind::Exp {
            argument: "x".into()
        }
    );
    assert_eq!(found(&r), ["y^2 - 2*x"]);
    all_proved(&mut a, &r, "exp(x)*y - 1");
    assert_eq!(
        r.completeness.summary,
        LawCount::Complete { exist: 1, found: 1 }
    );
    assert_eq!(r.linear_symmetries.skipped, Some(Skip::RingFields));
    assert_eq!(
        r.fields[0].gradient.as_deref(),
        Some(&["y*exp(x)".to_string(), "exp(x)".to_string()][..])
    );
}

#[test]
fn exp_arguments_share_a_lattice_atom() {
    // exp(2x) y - exp(x): one atom E = exp(x); g = E^2 y - E, grad g = (2E^2 y - E, E^2).
    // psi = E^-1 ... : conserved quantities exist in the Laurent ring; whatever is listed
    // must pass the exact test.
    let opts = DiscoverOptions {
        degree: 3,
        laurent: true,
        exp: false,
        ..DiscoverOptions::default()
    };
    let (mut a, r) = run(&["x", "y"], "(exp(2*x)*y - exp(x))^2", &opts);
    assert_eq!(r.ring.atoms.len(), 1);
    all_proved(&mut a, &r, "exp(2*x)*y - exp(x)");
    assert!(r.completeness.laws_found <= 1);
}

#[test]
fn log_field_conserves_a_polynomial() {
    // g = log(x) + y: <(1/x, 1), (2x, -2)> = 2 - 2 = 0 for psi = x^2 - 2y.
    let (mut a, r) = run(&["x", "y"], "(log(x) + y)^2", &poly(2));
    assert_eq!(r.ring.atoms[0].display, "log(x)");
    assert_eq!(found(&r), ["x^2 - 2*y"]);
    all_proved(&mut a, &r, "log(x) + y");
}

#[test]
fn exp_field_without_a_law_in_the_ansatz_says_none() {
    // g = exp(x) + x y: grad g = (exp(x) + y, x); the law exists (n - 1 = 1) but is not in
    // the ring of degree 3: nothing may be listed.
    let opts = DiscoverOptions {
        degree: 3,
        ..DiscoverOptions::default()
    };
    let (_, r) = run(&["x", "y"], "(exp(x) + x*y)^2", &opts);
    assert!(found(&r).is_empty(), "{:?}", found(&r));
    assert!(r.ansatz.iter().all(|a| a.skipped.is_none()));
    assert_eq!(
        r.completeness.summary,
        LawCount::Missing {
            exist: 1,
            found: 0,
            missing: 1
        }
    );
}

#[test]
fn fields_outside_the_ring_are_skipped_with_the_reason() {
    for (f, what) in [
        ("(exp(x*y + 2) - y)^2", "constant"),
        ("(log(x + y) - y)^2", "log"),
        ("(exp(sqrt(x)) - y)^2", "exp argument"),
        ("(sqrt(x) + exp(y))^2", "not polynomial"),
        ("(exp(x) + exp(x/1009) - y)^2", "lattice too fine"),
    ] {
        let (_, r) = run(&["x", "y"], f, &poly(2));
        let skipped = r.ansatz[0].skipped.as_ref().expect(f);
        assert!(
            matches!(skipped, Skip::NotInRing { .. }),
            "{f} ({what}): {skipped:?}"
        );
        assert!(found(&r).is_empty(), "{f}");
    }
}

#[test]
fn max_field_law_holds_on_one_region_only() {
    // g = max(x y, x + y) - 1. On x y > x + y: g = x y - 1, law x^2 - y^2. On x y < x + y:
    // g = x + y - 1, law x - y. Neither holds on the other region.
    let (mut a, r) = run(&["x", "y"], "(max(x*y, x + y) - 1)^2", &poly(2));
    let p = r.piecewise.as_ref().expect("piecewise");
    assert_eq!(p.kinks.len(), 1);
    assert_eq!(p.kinks[0].argument, "x*y - x - y");
    assert_eq!(p.regions.len(), 2);
    let laws = |i: usize| -> Vec<String> {
        p.regions[i].ansatz[0]
            .basis
            .iter()
            .map(|q| q.display.clone())
            .collect()
    };
    assert!(p.regions[0].conditions[0].positive);
    assert!(laws(0).contains(&"x^2 - y^2".to_string()), "{:?}", laws(0));
    assert!(!laws(0).contains(&"x - y".to_string()));
    assert!(laws(1).contains(&"x - y".to_string()), "{:?}", laws(1));
    assert!(!laws(1).contains(&"x^2 - y^2".to_string()));
    assert!(p.common.is_empty());
    assert!(r.quantities().is_empty());
    // The attack: each law fails the exact test on the other region's formula.
    assert!(!identity_is_zero(&mut a, "x + y - 1", "x^2 - y^2"));
    assert!(!identity_is_zero(&mut a, "x*y - 1", "x - y"));
    for reg in &p.regions {
        assert!(matches!(reg.witness, RegionWitness::Point { .. }));
    }
    // The top level says why it did not run.
    assert_eq!(r.ansatz[0].skipped, Some(Skip::Piecewise { regions: 2 }));
}

#[test]
fn abs_field_law_holds_off_the_kink_set() {
    // |x| y - 1: x > 0 gives x y - 1, x < 0 gives -x y - 1; x^2 - y^2 on both: conserved off
    // the kink set {x = 0}.
    let (mut a, r) = run(&["x", "y"], "(abs(x)*y - 1)^2", &poly(2));
    let p = r.piecewise.as_ref().expect("piecewise");
    assert_eq!(p.kinks[0].argument, "x");
    assert_eq!(found(&r), ["x^2 - y^2"]);
    assert_eq!(
        p.common[0].verification,
        Verification::EveryRegion { regions: 2 }
    );
    all_proved(&mut a, &r, "abs(x)*y - 1");
}

#[test]
fn relu_network_conserves_balance_per_neuron() {
    let f = "(v1*max(0, 2*w1) + v2*max(0, 2*w2) - 1)^2";
    let (mut a, r) = run(&["w1", "w2", "v1", "v2"], f, &poly(2));
    let p = r.piecewise.as_ref().expect("piecewise");
    assert_eq!(p.kinks.len(), 2);
    assert_eq!(p.regions.len(), 4);
    let common = found(&r);
    assert!(common.contains(&"w1^2 - v1^2".to_string()), "{common:?}");
    assert!(common.contains(&"w2^2 - v2^2".to_string()), "{common:?}");
    all_proved(&mut a, &r, f);
    // Both neurons active: 3 laws (the two balances and w1 v2 - w2 v1), complete.
    let both = &p.regions[0];
    assert!(both.conditions.iter().all(|c| c.positive));
    assert_eq!(
        both.completeness.summary,
        LawCount::Complete { exist: 3, found: 3 }
    );
    // Both inactive: g is constant, there is no flow.
    let none = &p.regions[3];
    assert_eq!(none.ansatz[0].skipped, Some(Skip::ConstantGenerators));
}

#[test]
fn too_many_kinks_is_a_reported_budget() {
    let opts = DiscoverOptions {
        max_kinks: 1,
        ..poly(2)
    };
    let (_, r) = run(&["x", "y"], "(abs(x) + abs(y) - 1)^2", &opts);
    let p = r.piecewise.as_ref().unwrap();
    assert_eq!(p.skipped, Some(Skip::TooManyKinks { kinks: 2, limit: 1 }));
    assert!(r.quantities().is_empty());
}

fn point(a: &mut Arena, coords: &[&str]) -> FlatPointInput {
    let exprs: Vec<ExprId> = coords
        .iter()
        .map(|c| parse_expr(a, c, &Params::new()).unwrap())
        .collect();
    let values = coords
        .iter()
        .map(|c| {
            let q: rug::Rational = c.parse().unwrap();
            Float::with_val(200, q)
        })
        .collect();
    FlatPointInput {
        exact: Some(exprs),
        recognised: false,
        values,
        text: coords.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn the_proposal_vanishes_exactly_on_the_flat_set() {
    let (mut a, r) = run(&["x", "y"], "(x*y - 1)^2", &poly(2));
    let flat = vec![
        vec![Float::with_val(200, 1), Float::with_val(200, 1)],
        vec![Float::with_val(200, -1), Float::with_val(200, -1)],
    ];
    let p = propose_regularizer(&mut a, &r, &flat).unwrap();
    let pts = vec![point(&mut a, &["1", "1"]), point(&mut a, &["-1", "-1"])];
    let v = check_vanishing(&mut a, &p, &pts);
    assert_eq!(v.evidence, Evidence::Proved);
    // A point off the zero set of phi: exactly nonzero (a refutation with the point).
    let bad = vec![point(&mut a, &["2", "1/2"])];
    let v = check_vanishing(&mut a, &p, &bad);
    assert_eq!(v.evidence, Evidence::Refuted);
    assert_eq!(
        v.points[0].how,
        Vanishing::ExactNonzero {
            value: "225/16".into()
        }
    );
    // Digits only: MPFR, evidence.
    let mut digits = point(&mut a, &["1", "1"]);
    digits.exact = None;
    let v = check_vanishing(&mut a, &p, &[digits]);
    assert_eq!(v.evidence, Evidence::NumericalEvidence);
}

#[test]
fn exp_proposal_is_checked_at_exact_points() {
    // On the flat point (0, 1) of exp(x) y - 1 (claimed), psi = y^2 - 2x equals 1.
    let (mut a, r) = run(&["x", "y"], "(exp(x)*y - 1)^2", &poly(3));
    let flat = vec![vec![Float::with_val(200, 0), Float::with_val(200, 1)]];
    let p = propose_regularizer(&mut a, &r, &flat).unwrap();
    assert_eq!(p.display, "(y^2 - 2*x - 1)^2");
    let at = point(&mut a, &["0", "1"]);
    let v = check_vanishing(&mut a, &p, &[at]);
    assert_eq!(v.evidence, Evidence::Proved);
}

#[test]
fn reports_beyond_polynomials_are_deterministic() {
    let json = |f: &str| {
        let (_, r) = run(&["w1", "w2", "v1", "v2"], f, &poly(2));
        serde_json::to_string(&r).unwrap()
    };
    for f in ["(v1*max(0, w1) + v2*exp(w2) - 1)^2", "(exp(w1)*v1 - 1)^2"] {
        assert_eq!(json(f), json(f), "{f}");
    }
}
