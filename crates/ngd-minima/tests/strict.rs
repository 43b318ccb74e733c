//! C6 ("every PROVED is a proof"): a point of `S = argmin_M phi` is reported as a strict local
//! minimum of `f + phi` only with a proof. The adversarial examples of the issue are never
//! proved where the claim is false; the shipped cases are proved where the mathematics says
//! so; and every proved point is checked against 2000 seeded random points of its box in MPFR.

use ngd_check::{Evidence, RationalBox};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};
use ngd_minima::{
    analyse_minima, MinimaOptions, MinimaReport, Part, SmoothnessFailure, StrictnessAtPoint,
    StrictnessCriterion, StrictnessNote, StrictnessReason,
};
use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use rug::Float;

struct Run {
    arena: Arena,
    f: ExprId,
    phi: ExprId,
    report: MinimaReport,
}

fn run_with(vars: &[&str], f: &str, phi: &str, lo: &[i64], hi: &[i64], params: &Params) -> Run {
    let decls: Vec<String> = vars.iter().map(|s| s.to_string()).collect();
    let names = expand_variables(&decls).unwrap();
    let n = names.len();
    let mut arena = Arena::new(names);
    let fe = parse_expr(&mut arena, f, params).unwrap();
    let pe = parse_expr(&mut arena, phi, params).unwrap();
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
    let report = analyse_minima(&mut arena, fe, Some(pe), &bx, &opts);
    Run {
        arena,
        f: fe,
        phi: pe,
        report,
    }
}

fn run(vars: &[&str], f: &str, phi: &str, lo: i64, hi: i64) -> Run {
    run_with(vars, f, phi, &[lo], &[hi], &Params::new())
}

fn points(r: &Run) -> &[StrictnessAtPoint] {
    &r.report.strictness.as_ref().expect("phi given").points
}

fn near(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < tol)
}

const PREC: u32 = 256;

/// For every PROVED point: `f + phi` at 2000 seeded random points of its box `B` (MPFR,
/// 256 bits) exceeds its value at the refined point `s`, skipping points within `1e-12` of
/// `s` (max norm). Returns the number of proved points checked.
fn property_check(r: &Run, seed: u64) -> usize {
    let mut arena = r.arena.clone();
    let fp = arena.add2(r.f, r.phi);
    let tape = Tape::compile(&arena, &[fp]);
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut checked = 0;
    for p in points(r).iter().filter(|p| p.evidence == Evidence::Proved) {
        assert!(p.strict_on_box, "proved without the box statement: {p:?}");
        let s: Vec<Float> = p
            .coords
            .iter()
            .map(|c| Float::with_val(PREC, Float::parse(c).expect("decimal coordinate")))
            .collect();
        let fs = tape.eval::<Float>(&PREC, &s).expect("f + phi at s")[0].clone();
        let mut tested = 0;
        for _ in 0..2000 {
            let x: Vec<Float> = p
                .box_lo
                .iter()
                .zip(&p.box_hi)
                .map(|(&lo, &hi)| Float::with_val(PREC, rng.random_range(lo..=hi)))
                .collect();
            let dist = x
                .iter()
                .zip(&s)
                .map(|(a, b)| Float::with_val(PREC, a - b).abs().to_f64())
                .fold(0.0f64, f64::max);
            if dist < 1e-12 {
                continue;
            }
            let fx = tape.eval::<Float>(&PREC, &x).expect("f + phi in B")[0].clone();
            assert!(
                fx > fs,
                "(f + phi)(x) = {fx} <= (f + phi)(s) = {fs} at x = {x:?}, s = {:?}",
                p.coords
            );
            tested += 1;
        }
        assert!(tested > 1900, "{tested}");
        checked += 1;
    }
    checked
}

fn assert_all_proved(r: &Run, name: &str, expect: StrictnessCriterion, count: usize) {
    let c6 = r.report.strictness.as_ref().unwrap();
    let pts = points(r);
    assert_eq!(pts.len(), count, "{name}: {pts:#?}");
    for p in pts {
        assert_eq!(p.evidence, Evidence::Proved, "{name}: {p:#?}");
        assert_eq!(p.criterion, expect, "{name}");
        assert_eq!(p.smooth_on_box, Evidence::Proved, "{name}");
        assert_eq!(p.critical_point, Evidence::Proved, "{name}");
        assert_eq!(p.s_in_box, Evidence::Proved, "{name}");
        assert_eq!(p.hessian_pd, Evidence::Proved, "{name}");
        assert!(p.min_pivot_lower_bound.unwrap() > 0.0, "{name}");
        assert!(p.box_lo.iter().zip(&p.box_hi).all(|(a, b)| a < b));
        assert!(p.box_lo.iter().zip(&p.point).all(|(a, s)| a < s));
        assert!(p.box_hi.iter().zip(&p.point).all(|(b, s)| b > s));
    }
    assert_eq!(c6.evidence, Evidence::Proved, "{name}: {:?}", c6.notes);
    assert_eq!(property_check(r, 7), count, "{name}");
}

/// Asserts that the points of S are `want` (sorted), to 1e-12.
fn assert_s(r: &Run, want: &[&[f64]]) {
    let s = s_points(r);
    assert_eq!(s.len(), want.len(), "{s:?}");
    for (a, b) in s.iter().zip(want) {
        assert!(near(a, b, 1e-12), "{s:?} != {want:?}");
    }
}

/// The S points sorted, for comparisons.
fn s_points(r: &Run) -> Vec<Vec<f64>> {
    let mut v: Vec<Vec<f64>> = points(r).iter().map(|p| p.point.clone()).collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v
}

// ---------------------------------------------------------------------------------------------
// The adversarial examples of the issue.

/// (a) `phi` has a kink at the flat points (1, 1), (-1, -1), where f + phi is not even a
/// local minimum. C6 now runs at `S = argmin_M phi` (four points with `x != y`, where `phi`
/// is smooth but its multiplier is nonzero): they are not critical points of `f + phi`, and
/// that is proved. Nothing is proved.
#[test]
fn adversarial_phi_with_a_kink_is_never_proved() {
    let r = run(
        &["x", "y"],
        "(x*y - 1)^2",
        "(x^2 - y^2)^2 - abs(x - y)",
        -3,
        3,
    );
    let c6 = r.report.strictness.as_ref().unwrap();
    assert_ne!(c6.evidence, Evidence::Proved);
    let pts = points(&r);
    assert_eq!(pts.len(), 4, "{pts:#?}");
    for p in pts {
        assert_ne!(p.evidence, Evidence::Proved, "{p:#?}");
        assert!(!near(&p.point, &[1.0, 1.0], 1e-3) && !near(&p.point, &[-1.0, -1.0], 1e-3));
        // phi is smooth near these points; they are Lagrange points of phi on M with a
        // nonzero multiplier, hence not critical for f + phi: refuted by intervals.
        assert_eq!(p.criterion, StrictnessCriterion::Smooth, "{p:#?}");
        assert_eq!(p.critical_point, Evidence::Inconclusive);
        assert_eq!(p.evidence, Evidence::Refuted, "{p:#?}");
    }
    assert_eq!(c6.evidence, Evidence::Refuted);
    // The value the issue quotes: (f + phi)(1.01, 0.99) < 0 = (f + phi)(1, 1).
    let mut a = r.arena.clone();
    let fp = a.add2(r.f, r.phi);
    let t = Tape::compile(&a, &[fp]);
    let q = |s: &str| s.parse::<Rational>().unwrap();
    let v = t
        .eval::<Rational>(&(), &[q("101/100"), q("99/100")])
        .unwrap();
    assert!(v[0] < 0);
    let v = t.eval::<Rational>(&(), &[q("1"), q("1")]).unwrap();
    assert_eq!(v[0], 0);
}

/// (b) `phi = (x^2 - y^2 - 1)^2` is conserved but `S` is not the flat set: at the flat
/// point (1, 1) `grad(f + phi) = (-4, 4)`. C6 is never claimed there; it is checked at the
/// two points of `S` (`x^2 = (1 + sqrt 5)/2`, `y = 1/x`), where `f + phi = g^2 + h^2` has an
/// isolated zero with independent gradients: a strict minimum, proved, and confirmed in MPFR.
#[test]
fn adversarial_s_not_flat_is_checked_at_s_only() {
    let r = run(&["x", "y"], "(x*y - 1)^2", "(x^2 - y^2 - 1)^2", -3, 3);
    let reg = r.report.flat.regularizer.as_ref().unwrap();
    assert_eq!(reg.equals_flat_set, Some(false));
    let pts = points(&r);
    for p in pts {
        assert!(
            !near(&p.point, &[1.0, 1.0], 1e-3) && !near(&p.point, &[-1.0, -1.0], 1e-3),
            "C6 at a flat point that is not in S: {p:#?}"
        );
    }
    let x = ((1.0 + 5f64.sqrt()) / 2.0).sqrt();
    let s = s_points(&r);
    assert_eq!(s.len(), 2);
    assert!(near(&s[0], &[-x, -1.0 / x], 1e-12) && near(&s[1], &[x, 1.0 / x], 1e-12));
    assert_all_proved(&r, "s-not-flat", StrictnessCriterion::Smooth, 2);
}

// ---------------------------------------------------------------------------------------------
// The shipped cases.

#[test]
fn xy_is_proved_at_s() {
    let r = run(&["x", "y"], "(x*y - 1)^2", "(x^2 - y^2)^2", -3, 3);
    assert_s(&r, &[&[-1.0, -1.0], &[1.0, 1.0]]);
    assert_all_proved(&r, "xy", StrictnessCriterion::Smooth, 2);
    for p in points(&r) {
        // Hess(f + phi) at (1, 1) is [[10, -6], [-6, 10]] (eigenvalues 4 and 16).
        assert!(
            near(&p.eigenvalues, &[4.0, 16.0], 1e-9),
            "{:?}",
            p.eigenvalues
        );
        assert!(p.exact.is_some(), "{p:#?}");
    }
}

#[test]
fn hyperbola_ellipse_parabola_are_proved() {
    let r = run(&["x", "y"], "(x^2 - y^2 - 1)^2", "x^2*y^2", -3, 3);
    assert_s(&r, &[&[-1.0, 0.0], &[1.0, 0.0]]);
    assert_all_proved(&r, "hyperbola", StrictnessCriterion::Smooth, 2);

    let r = run(&["x", "y"], "(x^2 + 2*y^2 - 1)^2", "y^2/x^4", -2, 2);
    assert_s(&r, &[&[-1.0, 0.0], &[1.0, 0.0]]);
    assert_all_proved(&r, "ellipse", StrictnessCriterion::Smooth, 2);

    let r = run_with(
        &["x", "y"],
        "(y - x^2)^2",
        "x^2*exp(4*y)",
        &[-2, -1],
        &[2, 3],
        &Params::new(),
    );
    assert_s(&r, &[&[0.0, 0.0]]);
    assert_all_proved(&r, "parabola", StrictnessCriterion::Smooth, 1);
}

#[test]
fn cubic_is_proved_at_an_irrational_point() {
    let r = run(&["x", "y"], "(x^3 + y^3 - 1)^2", "(1/x - 1/y)^2", -3, 3);
    let c = 2f64.powf(-1.0 / 3.0);
    let s = s_points(&r);
    assert_eq!(s.len(), 1);
    assert!(near(&s[0], &[c, c], 1e-12));
    assert_all_proved(&r, "cubic", StrictnessCriterion::Smooth, 1);
    // No rational closed form: no exact identification.
    assert!(points(&r)[0].exact.is_none());
}

#[test]
fn product3_is_proved() {
    let r = run(
        &["x[3]"],
        "(prod(i = 1..3, x[i]) - 1)^2",
        "sum(i = 1..3, sum(j = i+1..3, (x[i]^2 - x[j]^2)^2))",
        -2,
        2,
    );
    assert_s(
        &r,
        &[
            &[-1.0, -1.0, 1.0],
            &[-1.0, 1.0, -1.0],
            &[1.0, -1.0, -1.0],
            &[1.0, 1.0, 1.0],
        ],
    );
    assert_all_proved(&r, "product3", StrictnessCriterion::Smooth, 4);
}

/// `f = |xy - 1|` is not differentiable on `M`: the nonsmooth rule proves (1, 1) and
/// (-1, -1) (multiplier 0, Lagrangian Hessian 16 on the unit tangent (1, -1)/sqrt 2).
#[test]
fn abs_xy_is_proved_by_the_nonsmooth_rule() {
    let r = run(&["x", "y"], "abs(x*y - 1)", "(x^2 - y^2)^2", -3, 3);
    assert_s(&r, &[&[-1.0, -1.0], &[1.0, 1.0]]);
    assert_all_proved(&r, "abs-xy", StrictnessCriterion::NonsmoothAbs, 2);
    for p in points(&r) {
        let [lo, hi] = p.multiplier.unwrap();
        assert!(lo <= 0.0 && 0.0 <= hi && hi - lo < 1e-9);
        assert_eq!(p.multiplier_below_c, Some(Evidence::Proved));
        assert!(near(&p.eigenvalues, &[16.0], 1e-6), "{:?}", p.eigenvalues);
        assert!(p.exact.is_some(), "{p:#?}");
    }
}

/// Matrix factorization: `S` is a positive-dimensional set; nothing is proved.
#[test]
fn matfact2_is_not_applicable() {
    let mut params = Params::new();
    params.insert(
        "M".into(),
        ParamValue::Matrix(vec![
            vec![Rational::from(2), Rational::from(0)],
            vec![Rational::from(0), Rational::from(1)],
        ]),
    );
    let r = run_with(
        &["X[2,2]", "Y[2,2]"],
        "sum(i = 1..2, j = 1..2, (sum(k = 1..2, X[i,k]*Y[j,k]) - M[i,j])^2)",
        "sum(i = 1..2, j = 1..2, sum(k = 1..2, X[k,i]*X[k,j] - Y[k,i]*Y[k,j])^2)",
        &[-2],
        &[2],
        &params,
    );
    let c6 = r.report.strictness.as_ref().unwrap();
    assert_eq!(c6.evidence, Evidence::Inconclusive);
    assert!(c6.points.is_empty());
    assert!(c6.sets.iter().all(|s| s.evidence != Evidence::Proved));
    assert!(
        matches!(c6.notes[0], StrictnessNote::PositiveDimensionalS { .. }),
        "{:?}",
        c6.notes
    );
}

// ---------------------------------------------------------------------------------------------
// The cases of tests/c6 (also runnable with the binary).

/// The fields of a case file this test needs (the files use only these).
struct CaseFile {
    vars: Vec<String>,
    objective: String,
    regularizer: String,
    lo: i64,
    hi: i64,
}

fn read_case(name: &str) -> CaseFile {
    let path = format!("{}/../../tests/c6/{name}.case", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let field = |key: &str| -> String {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("{path}: no {key}"))
            .trim()
            .to_string()
    };
    let unquote = |s: String| s.trim_matches('"').to_string();
    let vars = field("variables")
        .trim_matches(|c| c == '[' || c == ']')
        .split(',')
        .map(|v| v.trim().trim_matches('"').to_string())
        .collect();
    let bx = field("box");
    let inner = bx
        .split('[')
        .nth(1)
        .and_then(|s| s.split(']').next())
        .unwrap();
    let ends: Vec<i64> = inner
        .split(',')
        .map(|v| v.trim().parse().unwrap())
        .collect();
    CaseFile {
        vars,
        objective: unquote(field("objective")),
        regularizer: unquote(field("regularizer")),
        lo: ends[0],
        hi: ends[1],
    }
}

fn run_case(name: &str) -> Run {
    let c = read_case(name);
    let vars: Vec<&str> = c.vars.iter().map(String::as_str).collect();
    run(&vars, &c.objective, &c.regularizer, c.lo, c.hi)
}

#[test]
fn c6_case_files() {
    // (a) and (b) as case files agree with the tests above.
    let r = run_case("phi-kink-flat");
    assert!(points(&r).iter().all(|p| p.evidence == Evidence::Refuted));
    let r = run_case("s-not-flat");
    assert_all_proved(&r, "s-not-flat.case", StrictnessCriterion::Smooth, 2);

    // phi = (x^2 - y^2)^2 + |x - y|^3 contains abs with its kink at the points of S: no rule
    // applies (phi is not proved C^2 on B), and the reason names the kink.
    let r = run_case("phi-abs-cube-at-s");
    assert_s(&r, &[&[-1.0, -1.0], &[1.0, 1.0]]);
    for p in points(&r) {
        assert_eq!(p.criterion, StrictnessCriterion::NotApplicable, "{p:#?}");
        assert_eq!(p.evidence, Evidence::Inconclusive);
        assert_eq!(p.smooth_on_box, Evidence::Inconclusive);
        let Some(StrictnessReason::SmoothRuleNeedsSmooth { failures }) = &p.reason else {
            panic!("{:?}", p.reason)
        };
        assert!(
            matches!(&failures[0],
                SmoothnessFailure::Kinks { function: Part::Phi, kinks }
                    if kinks[0].expression.starts_with("abs(x - y)")),
            "{failures:?}"
        );
    }
    assert_eq!(
        r.report.strictness.as_ref().unwrap().evidence,
        Evidence::Inconclusive
    );

    // phi = |x - y| is minimal on M at its kink, where the Lagrange search of C3 finds no
    // point: S is empty and nothing is proved.
    let r = run_case("phi-abs-at-s");
    let c6 = r.report.strictness.as_ref().unwrap();
    assert!(c6.points.is_empty());
    assert_eq!(c6.evidence, Evidence::Inconclusive);

    // f = 2|xy - 1|, phi = (x - y)^2 + (x + y)/2: S = {(-1, -1)} with multiplier -1/2,
    // |lambda| < c = 2: a strict minimum by the nonsmooth rule.
    let r = run_case("abs-multiplier");
    assert_s(&r, &[&[-1.0, -1.0]]);
    assert_all_proved(&r, "abs-multiplier", StrictnessCriterion::NonsmoothAbs, 1);
    let [lo, hi] = points(&r)[0].multiplier.unwrap();
    assert!(lo < -0.4999 && hi > -0.5001 && hi < 0.0);

    // The same with c = 1/4 < |lambda|: f + phi decreases along grad g, refuted.
    let r = run_case("abs-multiplier-large");
    let pts = points(&r);
    assert_eq!(pts.len(), 1, "{pts:#?}");
    assert_eq!(pts[0].criterion, StrictnessCriterion::NonsmoothAbs);
    assert_eq!(pts[0].multiplier_below_c, Some(Evidence::Refuted));
    assert_eq!(pts[0].evidence, Evidence::Refuted);
}

// ---------------------------------------------------------------------------------------------
// The other paths: least squares with an isolated S, and a general f.

/// `f = (x - 1)^2 + (y - 1)^2` (least squares, M = {(1, 1)}), `phi = (x - y)^2`: S = M, a
/// critical point of f + phi, proved by the smooth rule; with `phi = x^2 + y` and
/// `f = (x - 1)^2 + (x y - 2)^2` the point of S is not critical for f + phi: not proved.
#[test]
fn least_squares_isolated_s() {
    let r = run(&["x", "y"], "(x - 1)^2 + (y - 1)^2", "(x - y)^2", -3, 3);
    assert_s(&r, &[&[1.0, 1.0]]);
    let p = &points(&r)[0];
    assert_eq!(p.evidence, Evidence::Proved, "{p:#?}");
    assert_eq!(p.criterion, StrictnessCriterion::Smooth);
    assert_eq!(property_check(&r, 11), 1);

    let r = run(&["x", "y"], "(x - 1)^2 + (x*y - 2)^2", "x^2 + y", -3, 3);
    let c6 = r.report.strictness.as_ref().unwrap();
    assert_eq!(c6.points.len(), 1);
    assert_ne!(c6.points[0].evidence, Evidence::Proved);
    assert_ne!(c6.evidence, Evidence::Proved);
}

/// A general f with an isolated minimum that is not a critical point of f + phi: refuted
/// (the minimizer of f in B is proved by a Krawczyk test on grad f = 0, and grad(f + phi)
/// excludes 0 on B).
#[test]
fn general_path_checks_s() {
    let r = run(&["x", "y"], "exp(x^2 + y^2) - x", "(x - y)^2", -3, 3);
    let c6 = r.report.strictness.as_ref().unwrap();
    assert_eq!(c6.points.len(), 1, "{c6:#?}");
    assert_eq!(c6.points[0].s_in_box, Evidence::Proved);
    assert_eq!(c6.points[0].evidence, Evidence::Refuted);

    // With phi = y^2 the minimizer (x0, 0) of f is critical for f + phi: proved.
    let r = run(&["x", "y"], "exp(x^2 + y^2) - x", "y^2", -3, 3);
    let c6 = r.report.strictness.as_ref().unwrap();
    assert_eq!(c6.evidence, Evidence::Proved, "{c6:#?}");
    assert_eq!(property_check(&r, 13), 1);
}
