use super::*;
use crate::explain::LowerBoundReason;
use ngd_parse::{parse_expr, Params};
use proptest::prelude::*;
use rug::Float;

fn setup(f: &str, phi: &str) -> (Arena, ExprId, ExprId) {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let f = parse_expr(&mut a, f, &Params::new()).unwrap();
    let phi = parse_expr(&mut a, phi, &Params::new()).unwrap();
    (a, f, phi)
}

fn proved_bound(value: &str) -> LowerBound {
    LowerBound {
        value: Some(value.into()),
        evidence: Evidence::Proved,
        reason: LowerBoundReason::NoneRecognised,
    }
}

fn point(forms: &[&str]) -> RefinedPoint {
    RefinedPoint {
        coords: forms.iter().map(|s| s.to_string()).collect(),
        approx: vec![0.0; forms.len()],
        closed_form: forms.iter().map(|s| Some(s.to_string())).collect(),
        digits: 50,
    }
}

/// The claim for `f`, `phi` at the closed-form point `w` in `[-3, 3]^2`.
fn claim(f: &str, phi: &str, w: &[&str], bound: &LowerBound) -> Option<PhiExactZero> {
    let (a, f, phi) = setup(f, phi);
    let bx = RationalBox::cube(2, 3);
    let setting = ZeroSetting {
        f,
        phi,
        lower_bound: bound,
        bx: &bx,
    };
    PhiZeroProver::new(&a, &setting)?.prove(&[&point(w)])
}

const CUBIC_F: &str = "(x^3 + y^3 - 1)^2";
const CUBE_ROOT: [&str; 2] = ["2^(-1/3)", "2^(-1/3)"];

#[test]
fn cubic_phi_is_exactly_zero_at_the_cube_root_point() {
    let z = claim(CUBIC_F, "(1/x - 1/y)^2", &CUBE_ROOT, &proved_bound("0")).unwrap();
    assert_eq!(z.witness, vec!["2^(-1/3)", "2^(-1/3)"]);
    assert_eq!((z.base.as_str(), z.degree), ("2", 3));
    assert_eq!(z.evidence, Evidence::Proved);
    // Independent re-check in MPFR at 2000 bits: phi and f vanish to far beyond 1e-500.
    let (a, f, phi) = setup(CUBIC_F, "(1/x - 1/y)^2");
    let w = Float::with_val(2000, 2).root(3).recip();
    let x = [w.clone(), w];
    let tiny = Float::with_val(2000, 10).pow(-500);
    for e in [phi, f] {
        let v = Tape::compile(&a, &[e]).eval::<Float>(&2000, &x).unwrap();
        assert!(Float::with_val(2000, v[0].abs_ref()) < tiny);
    }
}

#[test]
fn a_numerical_coincidence_is_not_zero() {
    // phi = 1e-30 at the point: tiny, but exactly nonzero.
    let phi = "(x - y)^2 + 1/10^30";
    assert!(claim(CUBIC_F, phi, &CUBE_ROOT, &proved_bound("0")).is_none());
    // phi vanishes 1e-40 away from the recognised point, not at it.
    let phi = "(x - y - 1/10^40)^2";
    assert!(claim(CUBIC_F, phi, &CUBE_ROOT, &proved_bound("0")).is_none());
    // f vanishes next to the point only: the point is not on M.
    let f = "(x^3 + y^3 - 1 - 1/10^40)^2";
    assert!(claim(f, "(x - y)^2", &CUBE_ROOT, &proved_bound("0")).is_none());
}

#[test]
fn poles_and_undecidable_operations_give_no_claim() {
    // x^3 - 1/2 is exactly 0 at the point: a pole of phi.
    let phi = "(x - y)^2 / (x^3 - 1/2)^2";
    assert!(claim(CUBIC_F, phi, &CUBE_ROOT, &proved_bound("0")).is_none());
    // The sign of a non-rational number is not decided: abs gives no claim.
    let phi = "(abs(x) - abs(y))^2";
    assert!(claim(CUBIC_F, phi, &CUBE_ROOT, &proved_bound("0")).is_none());
    // A square root of a non-square is not decided.
    let phi = "(sqrt(x) - sqrt(y))^2";
    assert!(claim(CUBIC_F, phi, &CUBE_ROOT, &proved_bound("0")).is_none());
    // A non-invertible denominator (8 - 4t with t^2 = 4) is undecided, not a division.
    let w = ["4^(1/2)", "1"];
    let phi = "(y - 1)^2 / (x - 2)^2";
    assert!(claim("(y - 1)^2", phi, &w, &proved_bound("0")).is_none());
    // Each of these fails in the evaluation itself (phi is nonnegative by structure).
    let value = |phi: &str, w: &[&str]| {
        let (a, _, e) = setup("x", phi);
        assert!(nonnegative_by_structure(&a, e), "{phi}");
        let p = RadicalPoint::from_closed_forms(&point(w).closed_form).unwrap();
        p.value(&Tape::compile(&a, &[e]))
    };
    assert!(value("(y - 1)^2 / (x - 2)^2", &w).is_none());
    assert!(value("(x - y)^2 / (x^3 - 1/2)^2", &CUBE_ROOT).is_none());
    assert!(value("(abs(x) - abs(y))^2", &CUBE_ROOT).is_none());
    assert!(value("(sqrt(x) - sqrt(y))^2", &CUBE_ROOT).is_none());
    // Without the pole the same numerator is exactly 0.
    assert!(value("(x - y)^2 / (x^3 + 1/2)^2", &CUBE_ROOT)
        .unwrap()
        .is_zero());
}

#[test]
fn phi_not_nonnegative_by_structure_gives_no_claim() {
    // x^2 - y^2 vanishes at the point but takes negative values on M.
    let phi = "x^2 - y^2";
    assert!(claim(CUBIC_F, phi, &CUBE_ROOT, &proved_bound("0")).is_none());
    let (a, _, phi) = setup("x", "(x - y)^2 + 2*abs(x)*y^4 + exp(x) + (x^2 + 1)^(1/2)");
    assert!(nonnegative_by_structure(&a, phi));
    for bad in [
        "x^3",
        "x - y",
        "log(x^2 + 2)",
        "(x - y)^2 - 1/10^30",
        "x*y^2",
    ] {
        let (a, _, e) = setup("x", bad);
        assert!(!nonnegative_by_structure(&a, e), "{bad}");
    }
}

#[test]
fn the_lower_bound_and_the_box_are_required() {
    let phi = "(1/x - 1/y)^2";
    let unproved = LowerBound {
        evidence: Evidence::NumericalEvidence,
        ..proved_bound("0")
    };
    assert!(claim(CUBIC_F, phi, &CUBE_ROOT, &unproved).is_none());
    // f(w) = 0 but the bound claimed is 1: w is not shown to be in argmin f.
    assert!(claim(CUBIC_F, phi, &CUBE_ROOT, &proved_bound("1")).is_none());
    // A point of M outside [-3, 3]^2: 4*2^(1/2) > 3.
    let w = ["4*2^(1/2)", "4*2^(1/2)"];
    assert!(claim("(x - y)^2", "(x - y)^2", &w, &proved_bound("0")).is_none());
    let w = ["2*2^(1/2)", "2*2^(1/2)"];
    assert!(claim("(x - y)^2", "(x - y)^2", &w, &proved_bound("0")).is_some());
}

#[test]
fn mixed_bases_and_missing_forms_are_undecided() {
    let forms = [Some("2^(1/3)".to_string()), Some("sqrt(3)".to_string())];
    assert!(RadicalPoint::from_closed_forms(&forms).is_none());
    let forms = [Some("2^(1/3)".to_string()), None];
    assert!(RadicalPoint::from_closed_forms(&forms).is_none());
    let w = ["2^(1/3)", "sqrt(3)"];
    assert!(claim("(x^3 - 2)^2", "(y^2 - 3)^2", &w, &proved_bound("0")).is_none());
    // One base with different denominators: Q = lcm(3, 2) = 6.
    let forms = [
        Some("2^(1/3)".to_string()),
        Some("-3/4*2^(-1/2)".to_string()),
    ];
    let p = RadicalPoint::from_closed_forms(&forms).unwrap();
    assert_eq!(p.ring.degree, 6);
}

#[test]
fn a_rational_point_is_the_degree_one_case() {
    let z = claim("(x*y - 1)^2", "(x - y)^2", &["1", "1"], &proved_bound("0")).unwrap();
    assert_eq!((z.base.as_str(), z.degree), ("1", 1));
    assert!(claim("(x*y - 1)^2", "(x - y)^2", &["1", "2"], &proved_bound("0")).is_none());
}

#[test]
fn reads_every_form_recognize_prints() {
    let num = |c: (i64, i64), k: u32, e: (i64, i64)| RadicalNumber {
        coeff: Rational::from(c),
        base: Some(Integer::from(k)),
        exponent: Rational::from(e),
    };
    let cases = [
        ("2^(-1/3)", num((1, 1), 2, (-1, 3))),
        ("sqrt(5)", num((1, 1), 5, (1, 2))),
        ("1/sqrt(2)", num((1, 1), 2, (-1, 2))),
        ("-1/sqrt(2)", num((-1, 1), 2, (-1, 2))),
        ("-3^(2/5)", num((-1, 1), 3, (2, 5))),
        ("3*sqrt(5)", num((3, 1), 5, (1, 2))),
        ("-7/2*6^(1/4)", num((-7, 2), 6, (1, 4))),
    ];
    for (s, want) in cases {
        assert_eq!(parse_closed_form(s), Some(want), "{s}");
    }
    assert_eq!(
        parse_closed_form("-3/7").unwrap().coeff,
        Rational::from((-3, 7))
    );
    for bad in [
        "pi",
        "2^(1/1)",
        "1^(1/2)",
        "2^(x)",
        "sqrt(-2)",
        "2^(1/100000)",
    ] {
        assert_eq!(parse_closed_form(bad), None, "{bad}");
    }
}

proptest! {
    /// The exact comparison with a rational bound agrees with MPFR at 300 bits wherever the
    /// two numbers are not too close for 300 bits to tell.
    #[test]
    fn exact_comparison_agrees_with_mpfr(
        c in -20i64..20, d in 1i64..20, k in 2u32..30, p in -5i64..6, q in 2i64..7,
        bn in -200i64..200, bd in 1i64..50,
    ) {
        prop_assume!(p != 0 && c != 0);
        let x = RadicalNumber {
            coeff: Rational::from((c, d)),
            base: Some(Integer::from(k)),
            exponent: Rational::from((p, q)),
        };
        let b = Rational::from((bn, bd));
        let e = Float::with_val(300, &x.exponent);
        let v = Float::with_val(300, k).pow(&e) * Float::with_val(300, &x.coeff);
        let diff = Float::with_val(300, &v - &b);
        prop_assume!(diff.clone().abs() > 1e-60);
        let want = if diff > 0 { Ordering::Greater } else { Ordering::Less };
        prop_assert_eq!(compare(&x, &b), Some(want));
    }
}

/// A hostile objective for the ring: many dense powers at a point of the largest degree (60).
/// Each `(x + y + i)^3000` squares dense elements of up to `2^18` bits, below the size bound
/// (tens of milliseconds per product); the work budget of one evaluation stops the whole sum.
#[test]
fn hostile_powers_stop_at_the_work_budget() {
    let terms: Vec<String> = (1..=200).map(|i| format!("(x + y + {i})^3000")).collect();
    let (a, _, e) = setup("x", &terms.join(" + "));
    let forms = [Some("2^(1/60)".to_string()), Some("2^(7/60)".to_string())];
    let p = RadicalPoint::from_closed_forms(&forms).unwrap();
    assert_eq!(p.ring.degree, 60);
    let start = std::time::Instant::now();
    assert!(p.value(&Tape::compile(&a, &[e])).is_none());
    let secs = start.elapsed().as_secs_f64();
    assert!(secs < 10.0, "{secs} s");
    // A fresh evaluation has a fresh budget: a small expression still evaluates exactly.
    let (a, _, e) = setup("x", "(x^60 - 2)^2 + (y^60 - 128)^2");
    assert!(p.value(&Tape::compile(&a, &[e])).unwrap().is_zero());
}

/// Rings above degree 60 (more than `recognize` prints) are not built at all.
#[test]
fn degrees_above_sixty_are_refused() {
    let forms = [Some("2^(1/61)".to_string()), Some("1".to_string())];
    assert!(RadicalPoint::from_closed_forms(&forms).is_none());
    let forms = [Some("2^(1/7)".to_string()), Some("2^(1/11)".to_string())];
    assert!(RadicalPoint::from_closed_forms(&forms).is_none());
}
