//! C4 when the order-2 term vanishes on `M` exactly (docs/math.md C4, degenerate orders):
//! invariance along straight normals, odd and even leading orders, and a tiny but non-zero
//! `Q` that must not be taken for a degenerate one.

use ngd_check::{Evidence, RationalBox};
use ngd_decrease::{
    check_decrease, DecreaseBasis, DecreaseOptions, DecreaseReport, DegenerateConclusion,
    FirstOrder, MinimizerSet, Vanishing,
};
use ngd_expr::{Arena, Rational};
use ngd_parse::{parse_expr, Params};

fn run(vars: &[&str], f: &str, phi: &str, half: (i64, i64), s: MinimizerSet) -> DecreaseReport {
    let names: Vec<String> = vars.iter().map(|s| s.to_string()).collect();
    let n = names.len();
    let mut a = Arena::new(names);
    let p = Params::new();
    let fe = parse_expr(&mut a, f, &p).unwrap();
    let pe = parse_expr(&mut a, phi, &p).unwrap();
    let r = Rational::from(half);
    let bx = RationalBox::new(vec![-r.clone(); n], vec![r; n]).unwrap();
    let opts = DecreaseOptions {
        samples: 200,
        schedule_power: Some(0.75),
        ..DecreaseOptions::default()
    };
    check_decrease(&mut a, fe, pe, &bx, FirstOrder::Conserved, &s, &opts)
}

#[test]
fn sphere_with_a_zero_homogeneous_phi_is_invariant_and_refuted() {
    let r = run(
        &["x", "y", "z"],
        "(x^2 + y^2 + z^2 - 1)^2",
        "((x^2 - y^2)/(x^2 + y^2 + z^2))^2",
        (2, 1),
        MinimizerSet::Level { phi_min: 0.0 },
    );
    let d = r.degenerate.as_ref().expect("degenerate analysis");
    assert_eq!(d.vanishing[0].order, 2);
    assert_eq!(d.vanishing[0].proof, Vanishing::Identically);
    assert!(d.straight_normals);
    match &d.conclusion {
        DegenerateConclusion::InvariantAlongNormals {
            non_constant: Some(w),
        } => assert!(w.high_phi.0 > w.low_phi.1),
        c => panic!("{c:?}"),
    }
    assert_eq!(r.evidence, Evidence::Refuted, "{r:#?}");
    assert_eq!(r.basis, DecreaseBasis::DegenerateOrder);
    assert!(r.cover.is_none());
}

#[test]
fn odd_leading_order_is_refuted_by_a_witness() {
    // f = |g|, g = y/(1 + 3 x y) conserves x + y^3; on M = {y = 0} one step gives x0 -+ a^3.
    let r = run(
        &["x", "y"],
        "abs(y/(1 + 3*x*y))",
        "(x + y^3)^2",
        (1, 2),
        MinimizerSet::Points(vec![vec![0.0, 0.0]]),
    );
    let d = r.degenerate.as_ref().expect("degenerate analysis");
    assert!(
        matches!(d.vanishing[0].proof, Vanishing::OnFactor { .. }),
        "{d:?}"
    );
    assert_eq!(d.order, Some(3), "{d:?}");
    assert!(matches!(
        d.conclusion,
        DegenerateConclusion::OddOrder {
            order: 3,
            witnessed: true
        }
    ));
    assert_eq!(r.evidence, Evidence::Refuted);
    assert!(r.refutation.as_ref().unwrap().increase_at_least > 0.0);
}

/// `f = |g|`, `g = y/sqrt(1 + y^4 - 4 x^2 y^2)` (written with `abs` so that the product
/// stays the inner function), conserves `psi = x (1 - y^4)`; on `M = {y = 0}` one
/// step gives `psi = x0 (1 - a^4)`.
const G4: &str = "abs(y/sqrt(1 + y^4 - 4*x^2*y^2))";

#[test]
fn even_leading_order_with_a_negative_coefficient_is_evidence_of_order_four() {
    let r = run(
        &["x", "y"],
        G4,
        "x^2*(1 - y^4)^2",
        (1, 2),
        MinimizerSet::Points(vec![vec![0.0, 0.0]]),
    );
    let d = r.degenerate.as_ref().expect("degenerate analysis");
    let orders: Vec<usize> = d.vanishing.iter().map(|v| v.order).collect();
    assert_eq!(orders, vec![2, 3], "{d:?}");
    assert_eq!(d.order, Some(4));
    assert!(
        matches!(
            d.conclusion,
            DegenerateConclusion::NegativeOnSamples { order: 4, .. }
        ),
        "{d:?}"
    );
    // coefficient = -2 x0^2 on M.
    let (lo, hi) = d.coefficient_range.unwrap();
    assert!(lo >= -2.0 * 0.25 - 1e-9 && hi < 0.0, "{lo} {hi}");
    assert_eq!(d.max_schedule_power, Some(0.25));
    assert_eq!(r.evidence, Evidence::NumericalEvidence);
    assert!(r.refutation.is_none());
}

#[test]
fn even_leading_order_with_a_positive_coefficient_is_refuted() {
    let r = run(
        &["x", "y"],
        G4,
        "-x^2*(1 - y^4)^2",
        (1, 2),
        MinimizerSet::Unknown,
    );
    let d = r.degenerate.as_ref().expect("degenerate analysis");
    assert_eq!(d.order, Some(4), "{d:?}");
    assert!(
        matches!(
            d.conclusion,
            DegenerateConclusion::PositiveCoefficient {
                order: 4,
                witnessed: true,
                ..
            }
        ),
        "{d:?}"
    );
    assert_eq!(r.evidence, Evidence::Refuted);
}

#[test]
fn a_tiny_nonzero_q_is_not_degenerate() {
    // g = y (1 + x/10^4) conserves (1 + x/10^4)^2 - y^2/10^8; phi = minus it has Q ~ 2e-8 > 0.
    let r = run(
        &["x", "y"],
        "(y*(1 + x/10000))^2",
        "y^2/100000000 - (1 + x/10000)^2",
        (1, 2),
        MinimizerSet::Unknown,
    );
    assert!(r.degenerate.is_none(), "{:?}", r.degenerate);
    assert_ne!(r.evidence, Evidence::Proved);
}
