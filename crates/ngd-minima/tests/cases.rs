//! The worked examples of docs/math.md section 3: the flat minima, the degenerate points of the
//! cubic, `S = argmin_M phi`, and C6, reached by the tool on its own.

use ngd_check::{Evidence, RationalBox};
use ngd_expr::{Arena, Rational};
use ngd_minima::{analyse_minima, compare_flat, Classification, MinimaOptions, MinimaReport};
use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};
use rug::Float;

fn run(
    vars: &[&str],
    f: &str,
    phi: Option<&str>,
    lo: &[i64],
    hi: &[i64],
    params: &Params,
) -> MinimaReport {
    let decls: Vec<String> = vars.iter().map(|s| s.to_string()).collect();
    let names = expand_variables(&decls).unwrap();
    let n = names.len();
    let mut a = Arena::new(names);
    let fe = parse_expr(&mut a, f, params).unwrap();
    let pe = phi.map(|p| parse_expr(&mut a, p, params).unwrap());
    let lo: Vec<Rational> = (0..n)
        .map(|i| Rational::from(lo[i.min(lo.len() - 1)]))
        .collect();
    let hi: Vec<Rational> = (0..n)
        .map(|i| Rational::from(hi[i.min(hi.len() - 1)]))
        .collect();
    let bx = RationalBox::new(lo, hi).unwrap();
    let opts = MinimaOptions {
        samples: 200,
        ..MinimaOptions::default()
    };
    analyse_minima(&mut a, fe, pe, &bx, &opts)
}

fn flat_approx(r: &MinimaReport) -> Vec<Vec<f64>> {
    let mut v: Vec<Vec<f64>> = r
        .flat
        .flat_points
        .iter()
        .map(|p| p.point.approx.clone())
        .collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v
}

fn near(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
}

fn has_point(pts: &[Vec<f64>], p: &[f64]) -> bool {
    pts.iter().any(|q| near(q, p))
}

fn c6_all_proved(r: &MinimaReport) {
    let s = r.strictness.as_ref().unwrap();
    assert!(!s.points.is_empty());
    for p in &s.points {
        assert_eq!(p.evidence, Evidence::Proved, "{p:?}");
    }
    assert_eq!(s.evidence, Evidence::Proved);
}

#[test]
fn xy() {
    let r = run(
        &["x", "y"],
        "(x*y - 1)^2",
        Some("(x^2 - y^2)^2"),
        &[-3],
        &[3],
        &Params::new(),
    );
    let ms = &r.minimum_set;
    assert_eq!(ms.lower_bound.evidence, Evidence::Proved);
    assert_eq!(ms.infimum.evidence, Evidence::Proved);
    assert_eq!(ms.dimension.dimension, Some(1));
    assert_eq!(ms.components.count, 2);
    let flat = flat_approx(&r);
    assert_eq!(flat.len(), 2, "{flat:?}");
    assert!(has_point(&flat, &[1.0, 1.0]) && has_point(&flat, &[-1.0, -1.0]));
    let reg = r.flat.regularizer.as_ref().unwrap();
    assert_eq!(reg.equals_flat_set, Some(true));
    c6_all_proved(&r);
    for p in &r.flat.flat_points {
        assert!(p.point.digits >= 30);
        assert!(p
            .point
            .closed_form
            .iter()
            .all(|c| c.as_deref() == Some("1") || c.as_deref() == Some("-1")));
    }
    let p = 200;
    let cmp = compare_flat(
        &r.flat,
        &[
            vec![Float::with_val(p, 1), Float::with_val(p, 1)],
            vec![Float::with_val(p, -1), Float::with_val(p, -1)],
        ],
    );
    assert!(cmp.all_matched, "{cmp:?}");
    let cmp = compare_flat(
        &r.flat,
        &[vec![Float::with_val(p, 1), Float::with_val(p, 2)]],
    );
    assert!(!cmp.all_matched);
}

#[test]
fn cubic_degenerate_points() {
    let r = run(
        &["x", "y"],
        "(x^3 + y^3 - 1)^2",
        Some("(1/x - 1/y)^2"),
        &[-3],
        &[3],
        &Params::new(),
    );
    let flat = flat_approx(&r);
    let c = 2f64.powf(-1.0 / 3.0);
    assert_eq!(flat.len(), 1, "{:#?}", r.flat.critical_points);
    assert!(has_point(&flat, &[c, c]));
    let fp = &r.flat.flat_points[0];
    assert_eq!(fp.point.closed_form[0].as_deref(), Some("2^(-1/3)"));
    // (1, 0) and (0, 1): degenerate, neither minimum nor maximum, phi has poles there.
    for target in [[1.0, 0.0], [0.0, 1.0]] {
        let cp = r
            .flat
            .critical_points
            .iter()
            .find(|c| near(&c.point.approx, &target))
            .unwrap_or_else(|| panic!("{target:?} not found: {:#?}", r.flat.critical_points));
        assert_eq!(
            cp.classification,
            Classification::DegenerateNeither,
            "{cp:?}"
        );
        assert!(cp.phi_undefined);
    }
    let reg = r.flat.regularizer.as_ref().unwrap();
    assert_eq!(reg.equals_flat_set, Some(true), "{reg:#?}");
    c6_all_proved(&r);
}

#[test]
fn ellipse_minima_and_maxima() {
    let r = run(
        &["x", "y"],
        "(x^2 + 2*y^2 - 1)^2",
        Some("y^2/x^4"),
        &[-2],
        &[2],
        &Params::new(),
    );
    let flat = flat_approx(&r);
    assert_eq!(flat.len(), 2);
    assert!(has_point(&flat, &[1.0, 0.0]) && has_point(&flat, &[-1.0, 0.0]));
    let h = std::f64::consts::FRAC_1_SQRT_2;
    for t in [[0.0, h], [0.0, -h]] {
        let cp = r
            .flat
            .critical_points
            .iter()
            .find(|c| near(&c.point.approx, &t))
            .unwrap();
        assert_eq!(cp.classification, Classification::LocalMaximum);
    }
    assert_eq!(r.minimum_set.components.count, 1);
    assert_eq!(r.minimum_set.components.components[0].closed, Some(true));
    c6_all_proved(&r);
}

#[test]
fn hyperbola_parabola_abs() {
    let r = run(
        &["x", "y"],
        "(x^2 - y^2 - 1)^2",
        Some("x^2*y^2"),
        &[-3],
        &[3],
        &Params::new(),
    );
    let flat = flat_approx(&r);
    assert_eq!(flat.len(), 2);
    assert!(has_point(&flat, &[1.0, 0.0]) && has_point(&flat, &[-1.0, 0.0]));
    assert_eq!(r.minimum_set.components.count, 2);
    c6_all_proved(&r);

    let r = run(
        &["x", "y"],
        "(y - x^2)^2",
        Some("x^2*exp(4*y)"),
        &[-2, -1],
        &[2, 3],
        &Params::new(),
    );
    let flat = flat_approx(&r);
    assert_eq!(flat.len(), 1);
    assert!(has_point(&flat, &[0.0, 0.0]));
    assert_eq!(
        r.flat.regularizer.as_ref().unwrap().equals_flat_set,
        Some(true)
    );
    c6_all_proved(&r);

    let r = run(
        &["x", "y"],
        "abs(x*y - 1)",
        Some("(x^2 - y^2)^2"),
        &[-3],
        &[3],
        &Params::new(),
    );
    let flat = flat_approx(&r);
    assert_eq!(flat.len(), 2);
    assert!(has_point(&flat, &[1.0, 1.0]) && has_point(&flat, &[-1.0, -1.0]));
    // f = |g| is not differentiable on M: C6 is proved by the nonsmooth rule.
    c6_all_proved(&r);
}

#[test]
fn product3() {
    let r = run(
        &["x[3]"],
        "(prod(i = 1..3, x[i]) - 1)^2",
        Some("sum(i = 1..3, sum(j = i+1..3, (x[i]^2 - x[j]^2)^2))"),
        &[-2],
        &[2],
        &Params::new(),
    );
    assert_eq!(r.minimum_set.dimension.dimension, Some(2));
    assert_eq!(r.minimum_set.components.count, 4);
    let flat = flat_approx(&r);
    assert_eq!(flat.len(), 4, "{flat:?}");
    for p in [
        [1.0, 1.0, 1.0],
        [1.0, -1.0, -1.0],
        [-1.0, 1.0, -1.0],
        [-1.0, -1.0, 1.0],
    ] {
        assert!(has_point(&flat, &p));
    }
    assert_eq!(
        r.flat.regularizer.as_ref().unwrap().equals_flat_set,
        Some(true)
    );
    c6_all_proved(&r);
}

#[test]
fn empty_box_has_no_minimum() {
    let r = run(
        &["x", "y"],
        "(x*y - 1)^2",
        Some("(x^2 - y^2)^2"),
        &[2],
        &[3],
        &Params::new(),
    );
    assert_eq!(r.minimum_set.samples_on_m, 0);
    assert_eq!(r.minimum_set.evidence, Evidence::Inconclusive);
    assert!(r.flat.flat_points.is_empty());
    let _ = ParamValue::Scalar(Rational::from(1));
}

#[test]
fn matfact2_criteria() {
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
        Some("sum(i = 1..2, j = 1..2, sum(k = 1..2, X[k,i]*X[k,j] - Y[k,i]*Y[k,j])^2)"),
        &[-2],
        &[2],
        &params,
    );
    assert_eq!(r.minimum_set.dimension.dimension, Some(4));
    assert_eq!(r.minimum_set.infimum.evidence, Evidence::Proved);
    let mb = r.flat.morse_bott.as_ref().unwrap();
    // Balanced factorizations minimize the trace: an orbit of dimension 1 (O(2)).
    assert!(
        (mb.trace.min_value - 24.0).abs() < 1e-6,
        "{}",
        mb.trace.min_value
    );
    assert_eq!(mb.trace.argmin_dimension, Some(1));
    // lambda_max: minimum 8, attained on a larger set.
    assert!((mb.lambda_max.min_value - 8.0).abs() < 1e-6);
    assert!(mb.lambda_max.argmin_dimension.unwrap() > 1);
    assert!(mb.trace_at_lambda_max_argmin.1 > 24.0 + 1e-3);
    // The imbalance phi vanishes at the trace minimizers, and S equals that set.
    let (lo, hi) = mb.trace.phi_range_at_argmin.unwrap();
    assert!(lo >= 0.0 && hi < 1e-8, "{hi}");
    let reg = r.flat.regularizer.as_ref().unwrap();
    assert_eq!(reg.equals_flat_set, Some(true), "{:?}", reg.comparison);
    let s = r.strictness.as_ref().unwrap();
    assert_eq!(s.sets[0].nullity, 1);
    assert!(s.sets[0].transversally_pd);
    assert_eq!(s.evidence, Evidence::Inconclusive);
}
