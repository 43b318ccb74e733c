//! The exact cover of C4 (`n <= 3`) on the shipped cases and on candidates built to fool a
//! sampled cover: "proved" only from a full cover with every excluded neighbourhood of `S`
//! closed.
//!
//! The cases are read from the case files (`cases/*.case`, `tests/c4-rigorous/*.case`), so
//! the expressions and boxes are the shipped ones. Timings are not asserted here: see
//! `cargo run --release -p ngd-decrease --example decrease_timing`.

use ngd_check::{Evidence, RationalBox};
use ngd_decrease::{
    check_decrease, ClosureArgument, CoverGap, CoverLimit, DecreaseBasis, DecreaseOptions,
    DecreaseReport, ExactCentre, FirstOrder, MinimizerSet, UndecidedReason,
};
use ngd_eval::Tape;
use ngd_expr::{Arena, Rational};
use ngd_minima::{analyse_minima, MinimaOptions};
use ngd_parse::{expand_variables, parse_expr, Params};
use rug::Float;
use std::path::PathBuf;

/// The few fields of a simple case file (one-line `variables`, `objective`, `regularizer`
/// and `box = { default = [a, b] }`).
struct CaseFile {
    vars: Vec<String>,
    f: String,
    phi: String,
    lo: i64,
    hi: i64,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn quoted(line: &str) -> Vec<String> {
    line.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn read_case(rel: &str) -> CaseFile {
    let text = std::fs::read_to_string(root().join(rel)).expect("case file");
    let mut c = CaseFile {
        vars: Vec::new(),
        f: String::new(),
        phi: String::new(),
        lo: 0,
        hi: 0,
    };
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("variables") {
            c.vars = quoted(line);
        } else if line.starts_with("objective") {
            c.f = quoted(line).remove(0);
        } else if line.starts_with("regularizer") {
            c.phi = quoted(line).remove(0);
        } else if line.starts_with("box = { default = [") {
            let inner = line
                .split('[')
                .nth(1)
                .and_then(|s| s.split(']').next())
                .expect("box");
            let v: Vec<i64> = inner
                .split(',')
                .map(|s| s.trim().parse().expect("integer box"))
                .collect();
            c.lo = v[0];
            c.hi = v[1];
        }
    }
    assert!(!c.vars.is_empty() && !c.f.is_empty() && !c.phi.is_empty() && c.lo < c.hi);
    c
}

/// C2/C3 to locate `S`, then C4 with the default options (what the CLI runs).
fn run(rel: &str) -> DecreaseReport {
    run_with_tapes(rel).0
}

/// As [`run`], with tapes of `phi` and `grad f` for re-checking certified boxes.
fn run_with_tapes(rel: &str) -> (DecreaseReport, Tape, Tape) {
    let c = read_case(rel);
    let names = expand_variables(&c.vars).unwrap();
    let n = names.len();
    let mut a = Arena::new(names);
    let params = Params::new();
    let f = parse_expr(&mut a, &c.f, &params).unwrap();
    let phi = parse_expr(&mut a, &c.phi, &params).unwrap();
    let bx =
        RationalBox::new(vec![Rational::from(c.lo); n], vec![Rational::from(c.hi); n]).unwrap();
    let m = analyse_minima(&mut a, f, Some(phi), &bx, &MinimaOptions::default());
    let s = MinimizerSet::from_minima(&m);
    let r = check_decrease(
        &mut a,
        f,
        phi,
        &bx,
        FirstOrder::Conserved,
        &s,
        &DecreaseOptions::default(),
    );
    let gf = a.gradient(f);
    (r, Tape::compile(&a, &[phi]), Tape::compile(&a, &gf))
}

/// Every reported certified box of the cover, re-checked in MPFR at sampled points `x` of
/// the box, both NGD directions `±grad f/|grad f|` and steps `a` up to `a_max`:
/// `phi(x - a u) - phi(x) <= -c a^2` (up to MPFR rounding).
fn recheck_examples(r: &DecreaseReport, phi: &Tape, grad_f: &Tape) -> usize {
    let prec = 256;
    let mut checked = 0;
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for b in &r.cover.as_ref().unwrap().examples {
        for _ in 0..40 {
            let x: Vec<Float> =
                b.lo.iter()
                    .zip(&b.hi)
                    .map(|(l, h)| Float::with_val(prec, l + (h - l) * next()))
                    .collect();
            let Ok(g) = grad_f.eval::<Float>(&prec, &x) else {
                continue;
            };
            let norm = g
                .iter()
                .fold(Float::with_val(prec, 0), |acc, v| {
                    acc + Float::with_val(prec, v * v)
                })
                .sqrt();
            if norm.is_zero() {
                continue;
            }
            let before = phi.eval::<Float>(&prec, &x).unwrap().remove(0);
            for sign in [1.0, -1.0] {
                for t in [1.0, 0.5, 0.1, 1e-3] {
                    let a = b.a_max * t;
                    let y: Vec<Float> = x
                        .iter()
                        .zip(&g)
                        .map(|(xi, gi)| {
                            let step = Float::with_val(prec, gi / &norm) * (sign * a);
                            Float::with_val(prec, xi - step)
                        })
                        .collect();
                    let after = phi.eval::<Float>(&prec, &y).unwrap().remove(0);
                    let d = Float::with_val(prec, &after - &before).to_f64();
                    let bound = -b.c * a * a;
                    assert!(
                        d <= bound + 1e-60 * (1.0 + before.to_f64().abs()),
                        "box {b:?}: phi(x - a u) - phi(x) = {d:e} > {bound:e} at a = {a:e}"
                    );
                    checked += 1;
                }
            }
        }
    }
    checked
}

/// What every proved verdict must rest on.
fn assert_proved_consistently(r: &DecreaseReport) {
    let c = r.cover.as_ref().expect("exact cover");
    if r.evidence == Evidence::Proved {
        assert_eq!(c.evidence, Evidence::Proved, "{c:#?}");
        assert_eq!(c.undecided, 0);
        assert!(c.balls.iter().all(|b| b.closed));
        assert!(r.refutation.is_none());
        assert!(r.counts.positive == 0);
    }
    if r.local == Evidence::Proved {
        assert_eq!(c.local_undecided, 0, "{c:#?}");
        assert!(!c.balls.is_empty() && c.balls.iter().all(|b| b.closed));
        assert!(r.refutation.as_ref().is_none_or(|w| !w.in_local_region));
    }
    for b in &c.balls {
        assert!(b.radius >= b.requested_radius, "{b:#?}");
        // Closed exactly when the argument reached an exact point of S.
        let reached = matches!(
            b.argument,
            ClosureArgument::RationalPoint { .. } | ClosureArgument::Symmetry { .. }
        );
        assert_eq!(b.closed, reached, "{b:#?}");
        assert_eq!(b.closed, b.exact_centre.is_some(), "{b:#?}");
    }
}

#[test]
fn narrow_bump_next_to_s_is_never_proved_and_is_refuted() {
    // Q = +0.62 at (1.025432, 0.975198), 0.036 from S: the samples of M miss it, the
    // exact cover excludes it (it lies in the excluded box), and the closing argument
    // fails there and hands the point to the refutation.
    let r = run("tests/c4-rigorous/narrow-bump.case");
    assert_proved_consistently(&r);
    assert_ne!(r.local, Evidence::Proved, "{r:#?}");
    assert_ne!(r.evidence, Evidence::Proved);
    let c = r.cover.as_ref().unwrap();
    assert!(c.balls.iter().all(|b| !b.closed), "{:#?}", c.balls);
    assert_eq!(r.local, Evidence::Refuted, "{:#?}", r.refutation);
    assert_eq!(r.evidence, Evidence::Refuted);
    let w = r.refutation.as_ref().unwrap();
    assert!(w.in_local_region && w.increase_at_least > 0.0, "{w:#?}");
    assert!(w.phi_after.0 > w.phi_before.1);
    // Next to the bump: x^2 - y^2 close to 1/10.
    let u = w.near[0] * w.near[0] - w.near[1] * w.near[1];
    assert!((u - 0.1).abs() < 0.01, "{w:#?}");
}

#[test]
fn narrow_bump_far_from_s_is_refuted_from_the_cover() {
    let r = run("tests/c4-rigorous/far-bump.case");
    assert_proved_consistently(&r);
    assert_eq!(r.evidence, Evidence::Refuted, "{r:#?}");
    assert_ne!(r.local, Evidence::Proved);
    // The samples all have Q < 0: the witness comes from an undecided box of the cover.
    assert_eq!(r.counts.positive, 0);
    let w = r.refutation.as_ref().unwrap();
    let u = w.near[0] * w.near[0] - w.near[1] * w.near[1];
    assert!((u.abs() - 3.0).abs() < 0.05, "{w:#?}");
}

#[test]
fn xy_is_proved_near_s_and_on_m_minus_s() {
    let r = run("cases/xy.case");
    assert_proved_consistently(&r);
    assert_eq!(r.local, Evidence::Proved, "{:?}", r.local_basis);
    assert_eq!(r.evidence, Evidence::Proved, "{:?}", r.basis);
    let c = r.cover.as_ref().unwrap();
    assert_eq!(c.balls.len(), 2);
    for b in &c.balls {
        let Some(ExactCentre::Rational { coordinates: e }) = &b.exact_centre else {
            panic!("{b:#?}");
        };
        assert!(e == &["1", "1"] || e == &["-1", "-1"], "{e:?}");
        assert!(
            matches!(&b.argument, ClosureArgument::RationalPoint { point, q, .. }
                if point == e && q == "0"),
            "{b:#?}"
        );
    }
    assert!(c.min_c.unwrap() > 0.0 && c.a_max_range.unwrap().0 > 0.0);
    assert!(c.disjoint > 0 && c.certified > 0 && c.excluded > 0);
}

#[test]
fn hyperbola_is_proved_near_s_and_on_m_minus_s() {
    let r = run("cases/hyperbola.case");
    assert_proved_consistently(&r);
    assert_eq!(r.local, Evidence::Proved, "{:?}", r.local_basis);
    assert_eq!(r.evidence, Evidence::Proved, "{:?}", r.basis);
}

#[test]
fn ellipse_is_proved_near_s_but_only_numerical_across_the_poles_of_phi() {
    // phi = y^2/x^4 has poles at (0, ±1/sqrt(2)) on M: boxes containing them cannot be
    // certified, so on M \ S the verdict is numerical evidence (every sample has Q < 0).
    let r = run("cases/ellipse.case");
    assert_proved_consistently(&r);
    assert_eq!(r.local, Evidence::Proved, "{:?}", r.local_basis);
    assert_eq!(r.evidence, Evidence::NumericalEvidence, "{:?}", r.basis);
    let c = r.cover.as_ref().unwrap();
    assert!(c.undecided > 0 && c.covered_fraction < 1.0 && c.covered_fraction > 0.99);
    assert!(
        c.undecided_examples
            .iter()
            .all(|u| u.lo[0] <= 1e-3 && u.hi[0] >= -1e-3),
        "{:#?}",
        c.undecided_examples
    );
    assert!(
        matches!(
            r.basis,
            DecreaseBasis::CoverIncomplete {
                gap: CoverGap::Undecided { .. },
                samples_negative: true
            }
        ),
        "{:?}",
        r.basis
    );
}

#[test]
fn cubic_is_refuted_on_the_outer_branches_and_proved_near_s_by_symmetry() {
    let r = run("cases/cubic.case");
    assert_proved_consistently(&r);
    assert_eq!(r.evidence, Evidence::Refuted, "{:?}", r.basis);
    let w = r.refutation.as_ref().unwrap();
    assert!(w.near[0] * w.near[1] < 0.0, "{w:?}");
    // S = (2^(-1/3), 2^(-1/3)) is irrational: its neighbourhood is closed by the symmetry
    // (x, y) -> (y, x) of g and phi.
    assert_eq!(r.local, Evidence::Proved, "{:?}", r.local_basis);
    let c = r.cover.as_ref().unwrap();
    assert_eq!(c.balls.len(), 1);
    assert!(
        matches!(&c.balls[0].argument, ClosureArgument::Symmetry { symmetry, .. }
            if symmetry == "(x, y) -> (y, x)"),
        "{:?}",
        c.balls[0].argument
    );
    assert_eq!(
        c.balls[0].exact_centre,
        Some(ExactCentre::FixedLine {
            symmetry: "(x, y) -> (y, x)".into()
        })
    );
    // The branches with x y < 0 have Q > 0: undecided there, never certified.
    assert!(c.undecided_by_reason.0 > 0);
    assert!(c
        .undecided_examples
        .iter()
        .filter(|u| u.reason == UndecidedReason::QNotNegative)
        .all(|u| u
            .point_of_m
            .as_ref()
            .is_some_and(|(p, q)| p[0] * p[1] < 0.0 && *q > 0.0)));
}

#[test]
fn product3_is_proved_in_three_variables() {
    let r = run("cases/product3.case");
    assert_proved_consistently(&r);
    assert_eq!(r.dimension, Some(2));
    assert_eq!(r.local, Evidence::Proved, "{:?}", r.local_basis);
    assert_eq!(r.evidence, Evidence::Proved, "{:?}", r.basis);
    assert_eq!(r.cover.as_ref().unwrap().balls.len(), 4);
}

#[test]
fn certified_boxes_decrease_phi_at_sampled_points_in_mpfr() {
    for case in [
        "cases/xy.case",
        "cases/ellipse.case",
        "cases/cubic.case",
        "cases/product3.case",
    ] {
        let (r, phi, grad_f) = run_with_tapes(case);
        assert!(recheck_examples(&r, &phi, &grad_f) > 100, "{case}");
    }
}

#[test]
fn the_cover_is_deterministic() {
    let a = run("cases/hyperbola.case");
    let b = run("cases/hyperbola.case");
    assert_eq!(a, b);
}

#[test]
fn budgets_are_named_and_never_prove() {
    // A box budget far too small: the cover stops, names the budget, and nothing is proved.
    let c = read_case("cases/xy.case");
    let names = expand_variables(&c.vars).unwrap();
    let mut a = Arena::new(names);
    let params = Params::new();
    let f = parse_expr(&mut a, &c.f, &params).unwrap();
    let phi = parse_expr(&mut a, &c.phi, &params).unwrap();
    let bx = RationalBox::cube(2, 3);
    let s = MinimizerSet::Points(vec![vec![1.0, 1.0], vec![-1.0, -1.0]]);
    let opts = DecreaseOptions {
        max_boxes: 50,
        ..DecreaseOptions::default()
    };
    let r = check_decrease(&mut a, f, phi, &bx, FirstOrder::Conserved, &s, &opts);
    let cov = r.cover.as_ref().unwrap();
    assert!(cov.examined <= 50);
    assert!(cov.undecided_by_reason.2 > 0);
    let limit = Some(CoverLimit::BoxBudget { max_boxes: 50 });
    assert_eq!(cov.limit, limit);
    // The stopped cover proves nothing; xy is polynomial, so the verdict is the SOS certificate
    // of Q < 0 on M \ S, which does not depend on boxes. Without it (a non-polynomial phi) the
    // verdict would be the incomplete cover's numerical evidence.
    assert!(
        matches!(&r.basis, DecreaseBasis::SosStrict { .. }),
        "{:?}",
        r.basis
    );
    assert_eq!(r.evidence, Evidence::Proved, "{:?}", r.basis);
    assert_eq!(r.local, Evidence::Proved, "{:?}", r.local_basis);
    // The same budget with a non-polynomial phi (an increasing function of the same conserved
    // quantity): no SOS route, the cover names its budget and nothing is proved.
    let phi2 = parse_expr(&mut a, "sqrt(1 + (x^2 - y^2)^2)", &params).unwrap();
    let r = check_decrease(&mut a, f, phi2, &bx, FirstOrder::Conserved, &s, &opts);
    assert!(
        matches!(
            &r.basis,
            DecreaseBasis::CoverIncomplete { gap: CoverGap::Undecided { limit: l, .. }, .. }
                if *l == limit
        ),
        "{:?}",
        r.basis
    );
    assert_eq!(r.evidence, Evidence::NumericalEvidence, "{:?}", r.basis);
    assert_eq!(r.local, Evidence::NumericalEvidence, "{:?}", r.local_basis);
}
