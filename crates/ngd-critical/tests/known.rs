//! Known critical sets outside the minimum set, found and classified.

use ngd_certify::RationalBox;
use ngd_check::Structure;
use ngd_critical::{
    find_critical_sets, Classification, CriticalComponent, CriticalOptions, CriticalReport,
    Evidence, ExactRoute, Finding, Method, RouteSkip, SearchSkip, StructureKind,
};
use ngd_expr::{Arena, Rational};
use ngd_parse::{parse_expr, Params};
use proptest::prelude::*;

fn opts() -> CriticalOptions {
    CriticalOptions {
        starts: 120,
        ..CriticalOptions::default()
    }
}

fn run_with(vars: &[&str], f: &str, radius: i64, opts: &CriticalOptions) -> CriticalReport {
    let mut a = Arena::new(vars.iter().map(|s| s.to_string()).collect());
    let fe = parse_expr(&mut a, f, &Params::default()).unwrap();
    let s = Structure::detect(&a, fe);
    find_critical_sets(&mut a, fe, &s, &RationalBox::cube(vars.len(), radius), opts)
}

fn run(vars: &[&str], f: &str) -> CriticalReport {
    run_with(vars, f, 3, &opts())
}

fn exact<'a>(r: &'a CriticalReport, desc: &str) -> &'a CriticalComponent {
    r.components
        .iter()
        .find(|c| c.exact.as_deref() == Some(desc))
        .unwrap_or_else(|| panic!("no exact set {desc} in {:#?}", r.components))
}

fn has_part(c: &CriticalComponent, k: Classification) -> bool {
    c.parts.iter().any(|p| p.classification == k)
}

#[test]
fn line_x0_of_x2y_attracts_where_y_negative() {
    let r = run(&["x", "y"], "(x^2*y - 1)^2");
    assert_eq!(r.structure, StructureKind::Scalar);
    assert!(matches!(r.exact_route, ExactRoute::Done { .. }));
    let c = exact(&r, "x = 0");
    assert_eq!(c.dimension, 1);
    assert_eq!(c.f_value.as_deref(), Some("1"));
    assert_eq!(c.evidence, Evidence::Proved);
    assert_eq!(c.method, Method::ExactSubspace);
    assert_eq!(c.classification, Classification::Mixed);
    assert_eq!(c.classification_evidence, Evidence::Proved);
    assert!(c.attracting);
    assert_eq!(c.attracting_where.as_deref(), Some("y < 0"));
    let min = c
        .parts
        .iter()
        .find(|p| p.classification == Classification::LocalMinimum)
        .unwrap();
    assert_eq!(min.evidence, Evidence::Proved);
    assert!(min.range[1][1] < 0.0 && min.range[1][0] <= -2.9, "{min:?}");
    assert_eq!(min.range[0], [0.0, 0.0]);
    let max = c
        .parts
        .iter()
        .find(|p| p.classification == Classification::LocalMaximum)
        .unwrap();
    assert!(max.range[1][0] > 0.0);
    assert!(c.newton_hits > 0);
    assert!(c.samples.len() <= 5);
    // The stall point of the NGD runs, (0, -1.28), is on the attracting part.
    assert_eq!(r.summary.finding, Finding::AttractingProved);
    assert_eq!(r.summary.evidence, Evidence::Proved);
    assert!(!r.summary.exhaustive);
    assert_eq!(r.components.len(), 1, "{:#?}", r.components);
    // Small JSON.
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.len() < 2500, "{} bytes", json.len());
}

#[test]
fn origin_of_xy_is_a_saddle() {
    let r = run(&["x", "y"], "(x*y - 1)^2");
    let c = exact(&r, "x = y = 0");
    assert_eq!(c.dimension, 0);
    assert_eq!(c.f_value.as_deref(), Some("1"));
    assert_eq!(c.classification, Classification::Saddle);
    assert_eq!(c.classification_evidence, Evidence::Proved);
    assert!(!c.attracting);
    assert_eq!(r.components.len(), 1);
    assert_eq!(r.summary.finding, Finding::NoneAttracting);
    assert_eq!(r.summary.evidence, Evidence::NumericalEvidence);
}

#[test]
fn axes_of_xyz_are_not_minima() {
    let r = run(&["x", "y", "z"], "(x*y*z - 1)^2");
    for d in ["x = y = 0", "x = z = 0", "y = z = 0"] {
        let c = exact(&r, d);
        assert_eq!(c.dimension, 1);
        assert_eq!(c.f_value.as_deref(), Some("1"));
        assert!(!c.attracting);
        assert!(!has_part(c, Classification::LocalMinimum));
        assert!(has_part(c, Classification::Saddle));
        // The origin, where the axes cross, is degenerate.
        assert!(has_part(c, Classification::Degenerate));
        assert_eq!(c.evidence, Evidence::Proved);
    }
    assert_eq!(r.components.len(), 3);
    assert_eq!(r.summary.finding, Finding::Undecided);
}

#[test]
fn origin_of_the_cubic_is_degenerate() {
    let r = run(&["x", "y"], "(x^3 + y^3 - 1)^2");
    let c = exact(&r, "x = y = 0");
    assert_eq!(c.dimension, 0);
    assert_eq!(c.classification, Classification::Degenerate);
    assert_eq!(c.classification_evidence, Evidence::Proved);
    assert!(!c.attracting);
    assert_eq!(r.summary.finding, Finding::Undecided);
}

#[test]
fn centre_of_the_ellipse_is_a_maximum() {
    let r = run(&["x", "y"], "(x^2 + 2*y^2 - 1)^2");
    let c = exact(&r, "x = y = 0");
    assert_eq!(c.classification, Classification::LocalMaximum);
    assert_eq!(c.classification_evidence, Evidence::Proved);
    assert!(!c.attracting);
    assert_eq!(r.components.len(), 1);
}

#[test]
fn one_variable_double_well() {
    let r = run(&["x"], "(x^2 - 1)^2");
    let c = exact(&r, "x = 0");
    assert_eq!(c.dimension, 0);
    assert_eq!(c.f_value.as_deref(), Some("1"));
    assert_eq!(c.classification, Classification::LocalMaximum);
    assert!(!c.attracting);
    assert_eq!(r.summary.finding, Finding::NoneAttracting);
}

#[test]
fn least_squares_line_of_saddles() {
    let r = run(&["x", "y", "z"], "(x*y - 1)^2 + (y*z + 1)^2");
    assert_eq!(r.structure, StructureKind::LeastSquares);
    let c = exact(&r, "y = 0, x = z");
    assert_eq!(c.dimension, 1);
    assert_eq!(c.f_value.as_deref(), Some("2"));
    assert_eq!(c.classification, Classification::Saddle);
    assert_eq!(c.evidence, Evidence::Proved);
    assert!(!c.attracting);
    assert_eq!(r.search.residual_zero_seen, Some(true));
    assert_eq!(r.summary.finding, Finding::NoneAttracting);
}

#[test]
fn least_squares_isolated_points_by_krawczyk() {
    let r = run(&["x", "y"], "(x^2 - 1)^2 + (y^2 - 1)^2");
    assert_eq!(r.structure, StructureKind::LeastSquares);
    assert_eq!(
        exact(&r, "x = y = 0").classification,
        Classification::LocalMaximum
    );
    let saddles: Vec<&CriticalComponent> = r
        .components
        .iter()
        .filter(|c| c.method == Method::Krawczyk)
        .collect();
    assert_eq!(saddles.len(), 4, "{:#?}", r.components);
    for c in saddles {
        assert_eq!(c.dimension, 0);
        assert_eq!(c.classification, Classification::Saddle);
        assert_eq!(c.classification_evidence, Evidence::Proved);
        assert_eq!(c.evidence, Evidence::Proved);
        assert!((c.f_range[0] - 1.0).abs() < 1e-9);
    }
}

#[test]
fn general_path_needs_inf_f_for_a_proof() {
    // The last term is no square of a residual, so f has no recognised structure.
    let f = "(x*y - 1)^2 + y^2*z^2*(1 + x^2)";
    let r = run(&["x", "y", "z"], f);
    assert_eq!(r.structure, StructureKind::General);
    let c = exact(&r, "x = y = 0");
    assert_eq!(c.f_value.as_deref(), Some("1"));
    assert_eq!(c.classification, Classification::Saddle);
    assert_eq!(c.evidence, Evidence::NumericalEvidence);
    let o = CriticalOptions {
        inf_f: Some(Rational::from(0)),
        ..opts()
    };
    let r = run_with(&["x", "y", "z"], f, 3, &o);
    assert_eq!(exact(&r, "x = y = 0").evidence, Evidence::Proved);
    assert_eq!(r.settings.inf_f.as_deref(), Some("0"));
}

#[test]
fn general_path_excludes_the_global_minima() {
    let r = run(&["x", "y"], "x^4 - 2*x^2 + y^2");
    assert_eq!(r.structure, StructureKind::General);
    assert_eq!(r.components.len(), 1, "{:#?}", r.components);
    let c = exact(&r, "x = y = 0");
    assert_eq!(c.classification, Classification::Saddle);
    assert!((r.search.min_f_seen + 1.0).abs() < 1e-9);
}

#[test]
fn isolated_attracting_minimum_proved_by_krawczyk() {
    // g = x^3 - 3x + 3 + (y - 1/3)^2: a local minimum of g with g = 1 at (1, 1/3) (a
    // non-global local minimum of f = g^2) and a saddle at (-1, 1/3); g has zeros in the box.
    let r = run(&["x", "y"], "(x^3 - 3*x + 3 + (y - 1/3)^2)^2");
    assert_eq!(r.summary.finding, Finding::AttractingProved);
    let min = r.components.iter().find(|c| c.attracting).unwrap();
    assert_eq!(min.method, Method::Krawczyk);
    assert_eq!(min.dimension, 0);
    assert_eq!(min.classification, Classification::LocalMinimum);
    assert_eq!(min.classification_evidence, Evidence::Proved);
    assert!((min.samples[0][0] - 1.0).abs() < 1e-9 && (min.samples[0][1] - 1.0 / 3.0).abs() < 1e-9);
    assert!((min.f_range[0] - 1.0).abs() < 1e-9);
    let saddle = r
        .components
        .iter()
        .find(|c| c.classification == Classification::Saddle)
        .unwrap();
    assert!((saddle.samples[0][0] + 1.0).abs() < 1e-9);
    assert!((saddle.f_range[0] - 25.0).abs() < 1e-6);
}

#[test]
fn no_zero_of_g_flags_the_lowest_set() {
    let r = run(&["x", "y"], "((x - 1)^2 + (y - 1/2)^2 + 1)^2");
    assert_eq!(r.search.residual_zero_seen, Some(false));
    assert_eq!(r.components.len(), 1);
    assert!(r.components[0].may_be_minimum);
    assert_eq!(r.summary.attracting, 0);
    assert_eq!(r.summary.finding, Finding::NoneFound);
}

#[test]
fn nonsmooth_inner_function_skips_the_exact_route() {
    let r = run(&["x", "y"], "(abs(x)*y - 1)^2");
    assert_eq!(
        r.exact_route,
        ExactRoute::Skipped {
            reason: RouteSkip::AbsSignMaxMin
        }
    );
    for c in &r.components {
        assert_ne!(c.evidence, Evidence::Proved);
        assert_eq!(c.exact, None);
    }
    assert_ne!(r.summary.finding, Finding::NoneFound);
    // An outer |.| only kinks on M: the exact route runs.
    let r = run(&["x", "y"], "abs(x^2*y - 1)");
    assert_eq!(
        exact(&r, "x = 0").attracting_where.as_deref(),
        Some("y < 0")
    );
}

#[test]
fn diagonal_sets() {
    let r = run(&["x", "y"], "((x - y)^2*(x + y) - 1)^2");
    let c = exact(&r, "x = y");
    assert_eq!(c.dimension, 1);
    assert!(c.attracting);
    assert_eq!(c.attracting_where.as_deref(), Some("x < 0"));
}

#[test]
fn deterministic_and_no_sets_when_none_exist() {
    let a = run(&["x", "y"], "(x^2*y - 1)^2");
    let b = run(&["x", "y"], "(x^2*y - 1)^2");
    assert_eq!(a, b);
    let r = run(&["x", "y"], "(exp(x)*y - 1)^2");
    assert!(r.components.is_empty());
    assert_eq!(r.summary.finding, Finding::NoneFound);
    assert_eq!(r.summary.evidence, Evidence::NumericalEvidence);
}

#[test]
fn bad_box_is_reported_not_a_panic() {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let f = parse_expr(&mut a, "(x*y - 1)^2", &Params::default()).unwrap();
    let s = Structure::detect(&a, f);
    let r = find_critical_sets(&mut a, f, &s, &RationalBox::cube(3, 1), &opts());
    assert_eq!(r.skipped, Some(SearchSkip::BoxDimension));
    assert!(r.components.is_empty());
}

/// A random polynomial with small integer coefficients and degrees.
fn poly_src(n: usize, terms: &[(i64, Vec<u8>)]) -> String {
    let names = ["x", "y", "z", "w"];
    let mut s = String::from("0");
    for (c, ex) in terms {
        s.push_str(&format!(" + ({c})"));
        for (i, e) in ex.iter().take(n).enumerate() {
            if *e > 0 {
                s.push_str(&format!("*{}^{}", names[i], e));
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn never_panics_on_small_polynomials(
        n in 1usize..=4,
        t1 in prop::collection::vec((-3i64..=3, prop::collection::vec(0u8..=3, 4)), 1..=4),
        t2 in prop::collection::vec((-3i64..=3, prop::collection::vec(0u8..=2, 4)), 1..=3),
        shape in 0u8..3,
        radius in 1i64..=3,
    ) {
        let names: Vec<&str> = ["x", "y", "z", "w"][..n].to_vec();
        let g1 = poly_src(n, &t1);
        let g2 = poly_src(n, &t2);
        let f = match shape {
            0 => format!("({g1})^2"),
            1 => format!("({g1})^2 + 2*({g2})^2"),
            _ => format!("{g1} + ({g2})^2"),
        };
        let o = CriticalOptions { starts: 24, exact_samples: 9, ..CriticalOptions::default() };
        let r = run_with(&names, &f, radius, &o);
        for c in &r.components {
            prop_assert!(c.samples.len() <= 5);
            prop_assert!(c.dimension <= n);
            prop_assert_eq!(
                c.attracting,
                c.classification == Classification::LocalMinimum
                    || c.parts.iter().any(|p| p.classification == Classification::LocalMinimum)
            );
            for s in &c.samples {
                for (v, (lo, hi)) in s.iter().zip(std::iter::repeat((-radius as f64, radius as f64))) {
                    prop_assert!(*v >= lo - 1e-6 && *v <= hi + 1e-6, "{s:?} outside the box");
                }
            }
        }
        prop_assert!(!r.summary.exhaustive);
        prop_assert!(serde_json::to_string(&r).is_ok());
    }
}

#[test]
fn degenerate_options_do_not_panic() {
    for o in [
        CriticalOptions {
            starts: 0,
            ..CriticalOptions::default()
        },
        CriticalOptions {
            starts: 1,
            exact: false,
            krawczyk: false,
            max_points: 0,
            max_components: 0,
            exact_samples: 0,
            ..CriticalOptions::default()
        },
    ] {
        let r = run_with(&["x", "y"], "(x^2*y - 1)^2", 3, &o);
        assert!(!r.summary.exhaustive);
        let r = run_with(&["x"], "(x^2 - 1)^2 + x", 1, &o);
        assert!(serde_json::to_string(&r).is_ok());
    }
    // Exact route disabled: the numerical search still finds the line and its minima.
    let o = CriticalOptions {
        exact: false,
        ..opts()
    };
    let r = run_with(&["x", "y"], "(x^2*y - 1)^2", 3, &o);
    assert_eq!(
        r.exact_route,
        ExactRoute::Skipped {
            reason: RouteSkip::Disabled
        }
    );
    let c = &r.components[0];
    assert_eq!(c.dimension, 1);
    assert!(c.attracting);
    assert_eq!(c.method, Method::Newton);
    let min = c
        .parts
        .iter()
        .find(|p| p.classification == Classification::LocalMinimum)
        .unwrap();
    assert!(min.range[1][1] < 0.0, "{min:?}");
    assert_eq!(r.summary.finding, Finding::AttractingNumerical);
}
