//! C4 on the worked examples (docs/math.md section 3) and on candidates that must not be
//! certified.

use ngd_check::{Evidence, RationalBox};
use ngd_decrease::{
    check_decrease, DecreaseBasis, DecreaseNote, DecreaseOptions, DecreaseReport, ExceptionalKind,
    FirstOrder, LocalBasis, MinimizerSet, OrderWarning,
};
use ngd_expr::{Arena, Rational};
use ngd_minima::{analyse_minima, MinimaOptions};
use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};

fn run(vars: &[&str], f: &str, phi: &str, r: i64, params: &Params) -> DecreaseReport {
    let decls: Vec<String> = vars.iter().map(|s| s.to_string()).collect();
    let names = expand_variables(&decls).unwrap();
    let n = names.len();
    let mut a = Arena::new(names);
    let fe = parse_expr(&mut a, f, params).unwrap();
    let pe = parse_expr(&mut a, phi, params).unwrap();
    let bx = RationalBox::new(vec![Rational::from(-r); n], vec![Rational::from(r); n]).unwrap();
    let m = analyse_minima(
        &mut a,
        fe,
        Some(pe),
        &bx,
        &MinimaOptions {
            samples: 200,
            ..MinimaOptions::default()
        },
    );
    let s = MinimizerSet::from_minima(&m);
    let opts = DecreaseOptions {
        samples: 200,
        schedule_power: Some(0.75),
        ..DecreaseOptions::default()
    };
    check_decrease(&mut a, fe, pe, &bx, FirstOrder::Conserved, &s, &opts)
}

#[test]
fn xy_is_certified_everywhere_with_order_two() {
    let r = run(
        &["x", "y"],
        "(x*y - 1)^2",
        "(x^2 - y^2)^2",
        2,
        &Params::new(),
    );
    assert_eq!(r.local, Evidence::Proved, "{r:#?}");
    assert_eq!(r.evidence, Evidence::Proved);
    let c = r.cover.as_ref().unwrap();
    assert_eq!(c.evidence, Evidence::Proved);
    assert!(c.certified > 10 && c.min_c.unwrap() > 0.0);
    assert_eq!(c.undecided, 0);
    assert_eq!(c.covered_fraction, 1.0);
    assert!(c.balls.iter().all(|b| b.closed), "{:#?}", c.balls);
    assert_eq!(r.counts.positive, 0);
    assert!(r.refutation.is_none());
    let o = r.order.as_ref().unwrap();
    assert_eq!(o.order, Some(2.0));
    // p = 0.75 > 1/2: the schedule warning.
    assert_eq!(
        o.warning,
        Some(OrderWarning::ScheduleStalls {
            power: 0.75,
            order: 2.0
        })
    );
}

#[test]
fn conserved_phi_decreasing_on_part_of_m_is_refuted_on_the_other_part() {
    // Q = -2 (x^2 - y^2)/(x^2 + y^2): phi increases where y^2 > x^2.
    let r = run(&["x", "y"], "(x*y - 1)^2", "x^2 - y^2", 2, &Params::new());
    assert_eq!(r.evidence, Evidence::Refuted, "{r:#?}");
    assert!(r.counts.positive > 0 && r.counts.negative > 0);
    let w = r.refutation.as_ref().unwrap();
    assert!(w.near[1].abs() > w.near[0].abs(), "{w:?}");
    assert!(w.phi_after.0 > w.phi_before.1);
    assert!(w.increase_at_least > 0.0);
    // The part with Q < 0 is still certified.
    assert!(r.cover.as_ref().unwrap().certified > 0);
}

#[test]
fn phi_zero_is_never_certified() {
    let r = run(&["x", "y"], "(x*y - 1)^2", "0*x", 2, &Params::new());
    assert_ne!(r.evidence, Evidence::Proved);
    assert_ne!(r.local, Evidence::Proved);
    assert_eq!(r.counts.negative, 0);
    assert!(r.refutation.is_none());
    // Every order of the step vanishes identically: the degenerate-order analysis decides
    // nothing and no order-2 cover is attempted (no box meeting M could be certified).
    assert!(r.degenerate.is_some());
    assert_eq!(r.cover.as_ref().map_or(0, |c| c.certified), 0);
}

#[test]
fn cubic_is_local_only_with_poles_located() {
    let r = run(
        &["x", "y"],
        "(x^3 + y^3 - 1)^2",
        "(1/x - 1/y)^2",
        2,
        &Params::new(),
    );
    // S = (2^(-1/3), 2^(-1/3)) is irrational: its neighbourhood is closed by the symmetry
    // (x, y) -> (y, x).
    assert_eq!(r.local, Evidence::Proved, "{r:#?}");
    assert_eq!(r.evidence, Evidence::Refuted);
    // phi has poles at (1, 0) and (0, 1) on M; Q changes sign through them.
    for target in [[1.0, 0.0], [0.0, 1.0]] {
        assert!(
            r.exceptional.iter().any(|e| e.kind == ExceptionalKind::Pole
                && (e.point[0] - target[0]).abs() < 1e-2
                && (e.point[1] - target[1]).abs() < 1e-2),
            "{target:?}: {:?}",
            r.exceptional
        );
    }
    // The witness lies on an outer branch (x y < 0).
    let w = r.refutation.as_ref().unwrap();
    assert!(w.near[0] * w.near[1] < 0.0, "{w:?}");
}

#[test]
fn matrix_factorization_phi_is_refuted_at_unbalanced_minima() {
    let mut params = Params::new();
    params.insert(
        "M".into(),
        ParamValue::Matrix(vec![
            vec![Rational::from(2), Rational::from(0)],
            vec![Rational::from(0), Rational::from(1)],
        ]),
    );
    let r = run(
        &["X[2,2]", "Y[2,2]"],
        "sum(i = 1..2, j = 1..2, (sum(k = 1..2, X[i,k]*Y[j,k]) - M[i,j])^2)",
        "sum(i = 1..2, j = 1..2, sum(k = 1..2, X[k,i]*X[k,j] - Y[k,i]*Y[k,j])^2)",
        2,
        &params,
    );
    assert_eq!(r.dimension, Some(4));
    assert_eq!(r.evidence, Evidence::Refuted, "{r:#?}");
    // n = 8 > 3: no exact cover, only boxes around samples (numerical evidence).
    assert!(r.cover.is_none());
    assert_ne!(
        r.certificate.as_ref().map(|c| c.evidence),
        Some(Evidence::Proved)
    );
    assert!(r.counts.positive > r.counts.negative);
    assert!(r.refutation.as_ref().unwrap().increase_at_least > 0.0);
}

#[test]
fn general_objective_is_not_checked() {
    let r = run(&["x", "y"], "x^4 + y^4 + x*y", "x^2", 2, &Params::new());
    assert_eq!(r.evidence, Evidence::Inconclusive);
    assert!(r.certificate.is_none());
    assert_eq!(r.notes, vec![DecreaseNote::ShapeUnknown]);
    assert_eq!(r.normals, None);
    assert_eq!(r.basis, DecreaseBasis::NotRun);
    assert_eq!(r.local_basis, LocalBasis::NotRun);
}

/// The SOS route: `Q <= 0` on `M` proved for product4 (where the cover does not apply, n > 3),
/// never when `phi` is negated (then `Q >= 0` on `M`, positive away from `S`).
#[test]
fn sos_route_proves_q_nonpositive_only_where_true() {
    let phi = "(x_1^2-x_2^2)^2+(x_1^2-x_3^2)^2+(x_1^2-x_4^2)^2+(x_2^2-x_3^2)^2+(x_2^2-x_4^2)^2+(x_3^2-x_4^2)^2";
    for (phi_src, expect) in [(phi.to_string(), true), (format!("-({phi})"), false)] {
        let names: Vec<String> = (1..=4).map(|i| format!("x_{i}")).collect();
        let mut a = ngd_expr::Arena::new(names);
        let f_src = "(x_1*x_2*x_3*x_4 - 1)^2";
        let p = ngd_parse::Params::new();
        let f = ngd_parse::parse_expr(&mut a, f_src, &p).unwrap();
        let phi = ngd_parse::parse_expr(&mut a, &phi_src, &p).unwrap();
        let bx = ngd_check::RationalBox::new(vec![(-2).into(); 4], vec![2.into(); 4]).unwrap();
        let r = ngd_decrease::check_decrease(
            &mut a,
            f,
            phi,
            &bx,
            ngd_decrease::FirstOrder::Conserved,
            &ngd_decrease::MinimizerSet::Points(vec![vec![1.0; 4]]),
            &ngd_decrease::DecreaseOptions::default(),
        );
        let proved = matches!(r.sos, Some(ngd_decrease::SosDecrease::NonPositive { .. }));
        assert_eq!(proved, expect, "{phi_src}: {:?}", r.sos);
    }
}
