//! The worked examples of docs/math.md section 3: the verdict and the argument that reaches it.

mod common;

use ngd_coercive::{
    check_coercivity, CoercivityArgument, CoercivityOptions, CoercivityVerdict, EscapeKind,
    Evidence, GrowthRoute, Inequality,
};

fn run(name: &str) -> ngd_coercive::CoercivityReport {
    let (mut a, f, phi) = common::case(name);
    check_coercivity(&mut a, f, phi, &CoercivityOptions::default())
}

fn assert_proved(r: &ngd_coercive::CoercivityReport) {
    assert_eq!(r.evidence, Evidence::Proved, "{r:#?}");
    assert_eq!(r.verdict, CoercivityVerdict::Coercive);
    let cert = r.certificate.as_ref().expect("certificate");
    assert!(cert.lower_bound > 0.0);
    assert_eq!(r.certified_lower_bound, Some(cert.lower_bound));
    assert!(r.escape.is_none());
}

#[test]
fn xy_leading_form_is_positive() {
    let r = run("xy");
    assert_proved(&r);
    let c = r.certificate.as_ref().unwrap();
    // x^4 - x^2 y^2 + y^4 has minimum 3/4 on the cube boundary.
    assert_eq!(
        (c.weights.clone(), c.level, c.top_degree),
        (vec![1, 1], 4, 4)
    );
    assert!(
        c.lower_bound <= 0.75 && c.lower_bound > 0.6,
        "{}",
        c.lower_bound
    );
    assert!(matches!(
        r.argument,
        Some(CoercivityArgument::Growth {
            route: GrowthRoute::LeadingForm,
            ..
        })
    ));
    // f alone is not coercive: (t, 0) keeps (x y - 1)^2 = 1.
    let fa = r.f_alone.as_ref().expect("f alone");
    assert_eq!(fa.evidence, Evidence::Refuted);
    assert_eq!(fa.escape.as_ref().unwrap().limit, "1");
}

#[test]
fn hyperbola_leading_form_is_positive() {
    let r = run("hyperbola");
    assert_proved(&r);
    assert!(matches!(
        r.argument,
        Some(CoercivityArgument::Growth {
            route: GrowthRoute::LeadingForm,
            ..
        })
    ));
    assert_eq!(
        r.f_alone.as_ref().unwrap().verdict,
        CoercivityVerdict::NotCoercive
    );
}

#[test]
fn product3_needs_the_degree_four_level() {
    let r = run("product3");
    assert_proved(&r);
    let c = r.certificate.as_ref().unwrap();
    assert_eq!((c.top_degree, c.level), (6, 4));
    assert!(matches!(
        r.argument,
        Some(CoercivityArgument::Growth {
            route: GrowthRoute::WeightedDegree { polynomial: true },
            ..
        })
    ));
    assert_eq!(r.f_alone.as_ref().unwrap().evidence, Evidence::Refuted);
}

#[test]
fn matfact2_leading_form_is_positive() {
    let r = run("matfact2");
    assert_proved(&r);
    let c = r.certificate.as_ref().unwrap();
    assert_eq!((c.top_degree, c.level), (4, 4));
    let fa = r.f_alone.as_ref().unwrap();
    assert_eq!(fa.evidence, Evidence::Refuted);
    // ||X Y^T - M||^2 = ||M||^2 = 5 along a ray with Y = 0.
    assert_eq!(fa.escape.as_ref().unwrap().limit, "5");
}

#[test]
fn abs_xy_triangle_inequality_and_level_two() {
    let r = run("abs-xy");
    assert_proved(&r);
    let c = r.certificate.as_ref().unwrap();
    assert_eq!((c.top_degree, c.level), (4, 2));
    assert!(c.inequalities.contains(&Inequality::Triangle));
    assert_eq!(r.f_alone.as_ref().unwrap().evidence, Evidence::Refuted);
}

#[test]
fn parabola_weighted_degrees_and_exp_bound() {
    let r = run("parabola");
    assert_proved(&r);
    let c = r.certificate.as_ref().unwrap();
    assert_eq!(c.weights, vec![1, 2]);
    assert!(c
        .inequalities
        .iter()
        .any(|s| matches!(s, Inequality::ExpPower { .. })));
    // f alone escapes along the parabola y = x^2, a curve, not a ray.
    let fa = r.f_alone.as_ref().unwrap();
    assert_eq!(fa.evidence, Evidence::Refuted);
    let w = fa.escape.as_ref().unwrap();
    assert_eq!(w.kind, EscapeKind::Curve);
    assert_eq!(w.limit, "0");
}

#[test]
fn ellipse_f_coercive_and_phi_nonnegative() {
    let r = run("ellipse");
    assert_proved(&r);
    assert!(
        matches!(
            r.argument,
            Some(CoercivityArgument::Growth {
                phi_dropped: true,
                ..
            })
        ),
        "{:?}",
        r.argument
    );
    assert_eq!(r.certificate.as_ref().unwrap().dropped_terms.len(), 1);
    let fa = r.f_alone.as_ref().unwrap();
    assert_eq!(fa.evidence, Evidence::Proved);
}

#[test]
fn cubic_escapes_along_the_antidiagonal() {
    let r = run("cubic");
    assert_eq!(r.evidence, Evidence::Refuted, "{r:#?}");
    assert_eq!(r.verdict, CoercivityVerdict::NotCoercive);
    let w = r.escape.as_ref().expect("escape");
    assert_eq!(w.kind, EscapeKind::Ray);
    assert_eq!(w.curve, vec!["t".to_string(), "-t".to_string()]);
    assert_eq!(w.limit, "1");
    assert_eq!(w.restriction, "(t^2 + 4)/(t^2)");
    assert!(r.certificate.is_none());
    // The sphere minima stay bounded (they tend to 0 along x^3 + y^3 = 1).
    assert!(r.spheres.last().unwrap().min_value < 1.5);
}

#[test]
fn sphere_evidence_is_reported_and_deterministic() {
    let r1 = run("xy");
    let r2 = run("xy");
    assert_eq!(r1, r2);
    let radii: Vec<f64> = r1.spheres.iter().map(|s| s.radius).collect();
    assert_eq!(radii, vec![10.0, 100.0, 1000.0, 10_000.0]);
    // Coercive: the minima grow like R^4.
    let g = r1.growth_exponent.expect("growth");
    assert!((g - 4.0).abs() < 0.2, "{g}");
    for s in &r1.spheres {
        let norm: f64 = s.direction.iter().map(|v| v * v).sum::<f64>().sqrt();
        assert!((norm - 1.0).abs() < 1e-9);
    }
}
