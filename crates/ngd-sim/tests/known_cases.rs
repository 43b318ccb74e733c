//! The harness against behaviour measured independently on the worked examples of docs/math.md
//! (200 starts uniform in [-2, 2]^2, a_k = 0.1/(k+1)^(1/4), 2*10^5 steps: xy ~70% near
//! +-(1,1), hyperbola 93%, ellipse 82%, parabola 86%; GD with step 1e-3 1-2%).
//!
//! Here 64 starts (fixed seed) with the same schedule and step count, and thresholds well
//! below the measured fractions (a 64-run fraction has a standard error of ~6%).

mod common;

use common::{config, harness2, matfact};
use nalgebra::DMatrix;
use ngd_check::ObjectiveShape;
use ngd_expr::Arena;
use ngd_sim::{DriftWarning, HarnessConfig, Outcome};

const STARTS: u64 = 64;
const STEPS: u64 = 200_000;

fn check_case(f: &str, phi: &str, flat: &[Vec<f64>], min_ngd: f64) {
    let h = harness2(f, phi);
    let r = h.run(&config(STARTS, STEPS, 0.25), Some(flat));
    let gd = r.gd.as_ref().expect("GD baseline");
    let ngd_near = r.ngd.fraction_near_flat.expect("flat set given");
    let gd_near = gd.fraction_near_flat.expect("flat set given");
    assert!(
        ngd_near >= min_ngd,
        "{f}: NGD near S {ngd_near} < {min_ngd}"
    );
    assert!(gd_near <= 0.1, "{f}: GD near S {gd_near}");
    assert!(
        ngd_near - gd_near >= 0.4,
        "{f}: NGD {ngd_near} vs GD {gd_near}"
    );
    assert_eq!(r.ngd.count(Outcome::Diverged), 0, "{f}");
    assert_eq!(r.ngd.count(Outcome::Stalled), 0, "{f}");
    assert!(r.drift.sum_a2 > 8.9 && r.drift.warnings.is_empty());
    // Near-S runs really are close to a flat point and nearly on M.
    for run in r.runs.iter().filter(|r| r.outcome == Outcome::NearFlat) {
        assert!(
            run.dist_to_s.unwrap() <= 1e-2 && run.f < 1e-2,
            "{f}: {run:?}"
        );
    }
}

#[test]
fn xy_goes_to_the_flat_minima() {
    // In these runs the iterates land on xy = 1 exactly (grad f = 0) in float64: counted.
    let h = harness2("(x*y-1)^2", "(x^2-y^2)^2");
    let r = h.run(&config(16, STEPS, 0.25), None);
    assert!(r.ngd.zero_gradient_events > 0 && r.ngd.runs_with_zero_gradient_events > 0);
    assert!(r.runs.iter().all(|r| r.steps == STEPS));
    check_case(
        "(x*y-1)^2",
        "(x^2-y^2)^2",
        &[vec![1.0, 1.0], vec![-1.0, -1.0]],
        0.5,
    );
}

#[test]
fn nonsmooth_abs_xy_goes_to_the_flat_minima() {
    check_case(
        "abs(x*y-1)",
        "(x^2-y^2)^2",
        &[vec![1.0, 1.0], vec![-1.0, -1.0]],
        0.5,
    );
}

#[test]
fn hyperbola_goes_to_the_flat_minima() {
    check_case(
        "(x^2-y^2-1)^2",
        "x^2*y^2",
        &[vec![1.0, 0.0], vec![-1.0, 0.0]],
        0.8,
    );
}

#[test]
fn ellipse_goes_to_the_flat_minima() {
    check_case(
        "(x^2+2*y^2-1)^2",
        "y^2/x^4",
        &[vec![1.0, 0.0], vec![-1.0, 0.0]],
        0.65,
    );
}

#[test]
fn parabola_goes_to_the_flat_minimum() {
    check_case("(y-x^2)^2", "x^2*exp(4*y)", &[vec![0.0, 0.0]], 0.7);
}

/// With `a_k = 0.1/sqrt(k+1)` the drift budget is 0.128: NGD is no better than GD, and
/// the report says why.
#[test]
fn small_drift_budget_shows_no_effect_and_warns() {
    let h = harness2("(x*y-1)^2", "(x^2-y^2)^2");
    let r = h.run(
        &config(STARTS, STEPS, 0.5),
        Some(&[vec![1.0, 1.0], vec![-1.0, -1.0]]),
    );
    let ngd = r.ngd.fraction_near_flat.unwrap();
    let gd = r.gd.as_ref().unwrap().fraction_near_flat.unwrap();
    assert!(ngd <= gd + 0.1, "NGD {ngd} vs GD {gd}");
    assert!((r.drift.sum_a2 - 0.128).abs() < 1e-3, "{}", r.drift.sum_a2);
    assert!(
        matches!(
            r.drift.warnings[..],
            [DriftWarning::SmallBudget { q, threshold, iterations, .. }]
                if q == 2.0 && threshold == 1.0 && iterations == STEPS
        ),
        "{:?}",
        r.drift.warnings
    );
}

/// The cubic: runs on the outer arcs drift towards (1,0) and (0,1), the poles of
/// `phi = (1/x - 1/y)^2`, and are reported as such (not as failures).
#[test]
fn cubic_outer_arcs_end_at_the_poles_of_phi() {
    let c = 2f64.powf(-1.0 / 3.0);
    let h = harness2("(x^3+y^3-1)^2", "(1/x-1/y)^2");
    let r = h.run(&config(STARTS, STEPS, 0.25), Some(&[vec![c, c]]));
    let poles = r.ngd.count(Outcome::PoleOfPhi);
    let near = r.ngd.count(Outcome::NearFlat);
    assert!(poles >= STARTS / 4, "pole_of_phi {poles}");
    assert!(near >= STARTS / 5, "near_flat {near}");
    assert!(
        r.ngd.count(Outcome::Elsewhere) <= STARTS / 8,
        "{:?}",
        r.ngd.counts
    );
    // Every pole run sits near (1,0) or (0,1), on M, and its phi is large.
    for run in r.runs.iter().filter(|r| r.outcome == Outcome::PoleOfPhi) {
        let (x, y) = (run.end[0], run.end[1]);
        let d = ((x - 1.0).hypot(y)).min(x.hypot(y - 1.0));
        assert!(d < 0.3 && run.f < 1e-3, "{run:?}");
        assert!(run.phi.unwrap() > 10.0, "{run:?}");
    }
    // The largest clusters are the two poles.
    let pole_clusters: Vec<_> = r
        .ngd
        .clusters
        .iter()
        .filter(|c| c.outcome == Outcome::PoleOfPhi && c.count >= 4)
        .collect();
    assert!(pole_clusters.len() >= 2, "{:?}", r.ngd.clusters);
}

/// `lambda_max` of `Hess f` at `x` (`f` of the matrix factorization case).
fn lambda_max(hess: &ngd_eval::Tape, x: &[f64]) -> f64 {
    let n = x.len();
    let mut out = vec![0.0; n * n];
    hess.eval_f64(x, &mut Vec::new(), &mut out);
    let m = DMatrix::from_row_slice(n, n, &out);
    m.symmetric_eigen().eigenvalues.max()
}

/// Matrix factorization: NGD drives `lambda_max` towards its minimum on `M` (8 for
/// `M = diag(2,1)`: `lambda_max >= 2 (s1(X)^2 + s1(Y)^2) >= 4 s1(M)`) but stays unbalanced:
/// `phi = ||X^T X - Y^T Y||^2` is conserved by the flow and not d-Lyapunov everywhere on M.
/// (Measured: imbalance about 0.56 after 10^6 steps; here 10^5 steps and loose bounds.)
#[test]
fn matrix_factorization_stays_unbalanced() {
    let h = matfact();
    assert!(
        matches!(h.structure(), ObjectiveShape::LeastSquares { .. }),
        "{:?}",
        h.structure()
    );
    let cfg = HarnessConfig {
        start_box: vec![(-1.5, 1.5); 8],
        ..config(16, 100_000, 0.25)
    };
    let r = h.run(&cfg, None);
    // The Hessian of f, for lambda_max.
    let vars = ngd_parse::expand_variables(&["X[2,2]".into(), "Y[2,2]".into()]).unwrap();
    let mut a = Arena::new(vars);
    let mut p = ngd_parse::Params::new();
    let q = |v: i64| ngd_expr::Rational::from(v);
    p.insert(
        "M".into(),
        ngd_parse::ParamValue::Matrix(vec![vec![q(2), q(0)], vec![q(0), q(1)]]),
    );
    let f = ngd_parse::parse_expr(
        &mut a,
        "sum(i = 1..2, j = 1..2, (sum(k = 1..2, X[i,k]*Y[j,k]) - M[i,j])^2)",
        &p,
    )
    .unwrap();
    let hs: Vec<_> = a.hessian(f).into_iter().flatten().collect();
    let hess = ngd_eval::Tape::compile(&a, &hs);

    let mut imbalance: Vec<f64> = r.runs.iter().map(|r| r.phi.unwrap().sqrt()).collect();
    let mut gd_imbalance: Vec<f64> = r.gd_runs.iter().map(|r| r.phi.unwrap().sqrt()).collect();
    imbalance.sort_by(f64::total_cmp);
    gd_imbalance.sort_by(f64::total_cmp);
    let med = imbalance[imbalance.len() / 2];
    let gd_med = gd_imbalance[gd_imbalance.len() / 2];
    assert!(med > 0.1, "NGD median imbalance {med}");
    assert!(med < gd_med, "NGD {med} vs GD {gd_med}");
    let mut lm = Vec::new();
    let mut gd_lm = Vec::new();
    for (run, gd) in r.runs.iter().zip(&r.gd_runs) {
        assert!(run.f < 1e-3, "{run:?}");
        let l = lambda_max(&hess, &run.end);
        assert!(l <= lambda_max(&hess, &run.start), "{run:?}");
        assert!(l <= lambda_max(&hess, &gd.end) + 0.1, "{run:?} vs {gd:?}");
        lm.push(l);
        gd_lm.push(lambda_max(&hess, &gd.end));
    }
    lm.sort_by(f64::total_cmp);
    gd_lm.sort_by(f64::total_cmp);
    let (med, gd_med) = (lm[lm.len() / 2], gd_lm[gd_lm.len() / 2]);
    assert!((med - 8.0).abs() < 0.3, "median lambda_max {med}");
    assert!(
        gd_med > med + 0.5,
        "GD median lambda_max {gd_med} vs NGD {med}"
    );
}

/// The measured setting itself (200 starts), with thresholds close to the measured
/// fractions. About 12 s in the debug profile on 2 busy cores: run with
/// `cargo test -p ngd-sim -- --ignored`
/// (the 64-start tests above cover the same behaviour with looser bounds).
#[test]
#[ignore = "heavy: 200 starts x 2e5 steps x 5 cases"]
fn measured_fractions_with_200_starts() {
    let cases: [(&str, &str, Vec<Vec<f64>>, f64); 4] = [
        (
            "(x*y-1)^2",
            "(x^2-y^2)^2",
            vec![vec![1.0, 1.0], vec![-1.0, -1.0]],
            0.6,
        ),
        (
            "(x^2-y^2-1)^2",
            "x^2*y^2",
            vec![vec![1.0, 0.0], vec![-1.0, 0.0]],
            0.88,
        ),
        (
            "(x^2+2*y^2-1)^2",
            "y^2/x^4",
            vec![vec![1.0, 0.0], vec![-1.0, 0.0]],
            0.75,
        ),
        ("(y-x^2)^2", "x^2*exp(4*y)", vec![vec![0.0, 0.0]], 0.8),
    ];
    for (f, phi, flat, min) in cases {
        let h = harness2(f, phi);
        let r = h.run(&config(200, STEPS, 0.25), Some(&flat));
        let ngd = r.ngd.fraction_near_flat.unwrap();
        let gd = r.gd.as_ref().unwrap().fraction_near_flat.unwrap();
        assert!(ngd >= min, "{f}: NGD {ngd}");
        assert!(gd <= 0.05, "{f}: GD {gd}");
        let slow = h.run(&config(200, STEPS, 0.5), Some(&flat));
        let ngd_slow = slow.ngd.fraction_near_flat.unwrap();
        let gd_slow = slow.gd.as_ref().unwrap().fraction_near_flat.unwrap();
        assert!(
            ngd_slow <= gd_slow + 0.05,
            "{f}: p = 1/2: NGD {ngd_slow} vs GD {gd_slow}"
        );
    }
}
