//! C6: is each isolated point `s` of `S = argmin_M phi` a strict local minimum of
//! `F = f + phi`? The two proof rules and their arguments are stated in the crate docs
//! ("C6: the proof rules"); this module implements them on a box `B` around `s`:
//!
//! - [`check_point`] picks the rule: the smooth rule ([`smooth`]) when `F` is proved `C^2` on
//!   `B`, the nonsmooth rule ([`nonsmooth`]) when `f = c |g|` and `phi`, `g` are proved `C^2`
//!   on `B`, otherwise "not applicable" naming the function whose kink meets `B`;
//! - every derivative-based step (Krawczyk, interval Cholesky) runs only after
//!   `Tape::eval_interval_smooth` returned `Ok(true)` for the tape it differentiates on `B`
//!   ([`certify`] holds the shared steps).

mod certify;
mod nonsmooth;
mod smooth;

pub use certify::{box_around, radii, SecondOrder};
use certify::{krawczyk_box, lagrange_krawczyk, Kinks, LagrangeBox};

use crate::explain::{LagrangeFailure, Part, Smoothness, SmoothnessFailure};
use crate::explain::{Shortfall, StrictnessNote, StrictnessReason};
use crate::model::LagrangeSystem;
use crate::report::{StrictnessAtPoint, StrictnessCriterion};
use inari::Interval;
use ngd_check::Evidence;
use ngd_expr::{Arena, ExprId, Rational};

/// `f = c |g|`: what the nonsmooth rule needs.
pub struct AbsRule<'a> {
    /// `c > 0`.
    pub c: Rational,
    /// The Lagrange system of `phi` on `M = {g = 0}`.
    pub sys: &'a LagrangeSystem,
    /// Kinks of `g`.
    pub g_kinks: Kinks,
}

/// Everything C6 needs about `f` and `phi`.
pub struct C6Context<'a> {
    /// `F = f + phi`.
    pub fp: SecondOrder,
    /// `f` alone and `phi` alone, to say which one is not smooth.
    pub f: SecondOrder,
    pub phi: SecondOrder,
    pub f_kinks: Kinks,
    pub phi_kinks: Kinks,
    /// The Lagrange system of `phi` on `M = {g = 0}` (scalar path), for "the point of `S` is
    /// in `B`" and the exact identification.
    pub sys: Option<&'a LagrangeSystem>,
    /// `f = c |g|`.
    pub abs: Option<AbsRule<'a>>,
    /// Relative half-width of `B`.
    pub radius: f64,
}

impl<'a> C6Context<'a> {
    pub fn new(
        arena: &mut Arena,
        f: ExprId,
        phi: ExprId,
        sys: Option<&'a LagrangeSystem>,
        abs: Option<(Rational, ExprId)>,
        radius: f64,
    ) -> Self {
        let fp_e = arena.add2(f, phi);
        let abs = match (abs, sys) {
            (Some((c, g)), Some(sys)) if c > 0 => Some(AbsRule {
                c,
                sys,
                g_kinks: Kinks::new(arena, g),
            }),
            _ => None,
        };
        C6Context {
            fp: SecondOrder::new(arena, fp_e),
            f: SecondOrder::new(arena, f),
            phi: SecondOrder::new(arena, phi),
            f_kinks: Kinks::new(arena, f),
            phi_kinks: Kinks::new(arena, phi),
            sys,
            abs,
            radius,
        }
    }
}

/// One point of `S` to check.
pub struct SPoint {
    /// Index in the list of points of `S`.
    pub index: usize,
    /// The point (`f64`), the centre of `B`.
    pub x: Vec<f64>,
    /// The refined coordinates (decimal).
    pub coords: Vec<String>,
    /// The Lagrange multiplier of `phi` on `M` at the point (scalar path).
    pub lambda: Option<f64>,
    /// A rational closed form of the point, if every coordinate has one.
    pub exact: Option<Vec<Rational>>,
    /// Whether another test proved that `B` contains the point (general path: a Krawczyk
    /// test on `grad f = 0`); `None` when no such test was run.
    pub contained: Option<bool>,
    /// The projected Hessian of `phi` on `M` is singular at the point (`S` may have positive
    /// dimension there): no second-order rule can apply.
    pub degenerate: bool,
}

/// The report entry before any rule ran: not applicable, every step inconclusive.
fn blank(ctx: &C6Context<'_>, sp: &SPoint, b: &[Interval]) -> StrictnessAtPoint {
    StrictnessAtPoint {
        s_point: sp.index,
        point: sp.x.clone(),
        coords: sp.coords.clone(),
        box_radius: ctx.radius,
        box_lo: b.iter().map(|v| v.inf()).collect(),
        box_hi: b.iter().map(|v| v.sup()).collect(),
        criterion: StrictnessCriterion::NotApplicable,
        smooth_on_box: Evidence::Inconclusive,
        smoothness: None,
        critical_point: Evidence::Inconclusive,
        s_in_box: Evidence::Inconclusive,
        multiplier: None,
        multiplier_below_c: None,
        hessian_pd: Evidence::Inconclusive,
        min_pivot_lower_bound: None,
        eigenvalues: Vec::new(),
        strict_on_box: false,
        evidence: Evidence::Inconclusive,
        reason: None,
        exact: None,
    }
}

/// Marks the point "not applicable" with `why`.
fn not_applicable(mut out: StrictnessAtPoint, why: StrictnessReason) -> StrictnessAtPoint {
    out.criterion = StrictnessCriterion::NotApplicable;
    out.evidence = Evidence::Inconclusive;
    out.reason = Some(why);
    out
}

/// Why `function` is not proved `C^2` on `b`, or `None` when it is.
fn smoothness_failure(
    function: Part,
    so: &SecondOrder,
    kinks: &Kinks,
    b: &[Interval],
) -> Option<SmoothnessFailure> {
    match so.smooth_on(b) {
        Ok(true) => None,
        Ok(false) => {
            let kinks = kinks.meeting(b);
            Some(if kinks.is_empty() {
                SmoothnessFailure::NotProved { function }
            } else {
                SmoothnessFailure::Kinks { function, kinks }
            })
        }
        Err(error) => Some(SmoothnessFailure::NotEvaluable { function, error }),
    }
}

/// The Krawczyk test on the Lagrange system of `phi` on `M` (scalar path): records whether
/// `B` contains the point of `S` and the multiplier's enclosure.
fn lagrange_step(
    ctx: &C6Context<'_>,
    sp: &SPoint,
    out: &mut StrictnessAtPoint,
) -> Option<Result<LagrangeBox, LagrangeFailure>> {
    let lagrange = match (ctx.sys, sp.lambda) {
        (Some(sys), Some(l)) => Some(lagrange_krawczyk(sys, &sp.x, l, ctx.radius)),
        _ => None,
    };
    out.s_in_box = match (&lagrange, sp.contained) {
        (Some(Ok(_)), _) | (None, Some(true)) => Evidence::Proved,
        _ => Evidence::Inconclusive,
    };
    if let Some(Ok(lb)) = &lagrange {
        out.multiplier = Some([lb.lambda.inf(), lb.lambda.sup()]);
    }
    lagrange
}

/// `f = c|g|` but `F` is not proved `C^2` on `B`: the nonsmooth rule when `phi` and `g`
/// are, otherwise not applicable naming their kinks.
fn abs_rule(
    ctx: &C6Context<'_>,
    abs: &AbsRule<'_>,
    sp: &SPoint,
    b: &[Interval],
    lagrange: Option<Result<LagrangeBox, LagrangeFailure>>,
    mut out: StrictnessAtPoint,
) -> StrictnessAtPoint {
    match abs.sys.smooth_on(b) {
        Ok(true) => nonsmooth::nonsmooth_rule(abs, sp, b, lagrange, out),
        Ok(false) => {
            let mut failures = Vec::new();
            for (function, kinks) in [(Part::Phi, &ctx.phi_kinks), (Part::G, &abs.g_kinks)] {
                let kinks = kinks.meeting(b);
                if !kinks.is_empty() {
                    failures.push(SmoothnessFailure::Kinks { function, kinks });
                }
            }
            if failures.is_empty() {
                failures.push(SmoothnessFailure::NotProved {
                    function: Part::PhiOrG,
                });
            }
            out.smoothness = Some(Smoothness::Failures {
                failures: failures.clone(),
            });
            not_applicable(out, StrictnessReason::NonsmoothRuleNeedsSmooth { failures })
        }
        Err(error) => {
            let failures = vec![SmoothnessFailure::NotEvaluable {
                function: Part::PhiOrG,
                error,
            }];
            out.smoothness = Some(Smoothness::Failures {
                failures: failures.clone(),
            });
            not_applicable(out, StrictnessReason::NotSmooth { failures })
        }
    }
}

/// `F` is not proved `C^2` on `B` and `f` is not `c|g|`: not applicable, naming the kinks
/// of `f` and `phi` that meet `B` (or how `F` failed).
fn no_rule(
    ctx: &C6Context<'_>,
    b: &[Interval],
    fp: Result<bool, String>,
    mut out: StrictnessAtPoint,
) -> StrictnessAtPoint {
    let mut failures: Vec<SmoothnessFailure> = [
        smoothness_failure(Part::F, &ctx.f, &ctx.f_kinks, b),
        smoothness_failure(Part::Phi, &ctx.phi, &ctx.phi_kinks, b),
    ]
    .into_iter()
    .flatten()
    .collect();
    if failures.is_empty() {
        let function = Part::FPlusPhi;
        failures.push(match fp {
            Err(error) => SmoothnessFailure::NotEvaluable { function, error },
            Ok(_) => SmoothnessFailure::NotProved { function },
        });
    }
    out.smoothness = Some(Smoothness::Failures {
        failures: failures.clone(),
    });
    not_applicable(out, StrictnessReason::SmoothRuleNeedsSmooth { failures })
}

/// C6 at one point of `S` (see the module docs).
pub fn check_point(ctx: &C6Context<'_>, sp: &SPoint) -> StrictnessAtPoint {
    let rad = radii(&sp.x, ctx.radius);
    let b = krawczyk_box(&sp.x, &rad);
    let mut out = blank(ctx, sp, &b);
    let lagrange = lagrange_step(ctx, sp, &mut out);
    if sp.degenerate {
        return not_applicable(out, StrictnessReason::DegenerateMinimum);
    }
    match ctx.fp.smooth_on(&b) {
        Ok(true) => smooth::smooth_rule(ctx, sp, &rad, &b, out),
        fp => match &ctx.abs {
            Some(abs) => abs_rule(ctx, abs, sp, &b, lagrange, out),
            None => no_rule(ctx, &b, fp, out),
        },
    }
}

/// The overall verdict of C6 over the points of `S` and the note that summarises it.
pub fn summarize(points: &[StrictnessAtPoint]) -> (Evidence, StrictnessNote) {
    let total = points.len();
    if total == 0 {
        return (Evidence::Inconclusive, StrictnessNote::NoIsolatedPointOfS);
    }
    let count = |e: Evidence| points.iter().filter(|p| p.evidence == e).count();
    let proved = count(Evidence::Proved);
    if proved == total {
        return (Evidence::Proved, StrictnessNote::AllProved { count: total });
    }
    let first_bad = points
        .iter()
        .find(|p| p.evidence == Evidence::Refuted)
        .or_else(|| points.iter().find(|p| p.evidence != Evidence::Proved))
        .expect("a point that is not proved");
    let refuted = count(Evidence::Refuted);
    let na = points
        .iter()
        .filter(|p| p.criterion == StrictnessCriterion::NotApplicable)
        .count();
    let (ev, shortfall) = if refuted > 0 {
        (Evidence::Refuted, Shortfall::Refuted { refuted, total })
    } else if na == total {
        (Evidence::Inconclusive, Shortfall::NoneApplicable { total })
    } else {
        (Evidence::Inconclusive, Shortfall::Partial { proved, total })
    };
    let note = StrictnessNote::NotAllProved {
        shortfall,
        at: first_bad.point.clone(),
        reason: first_bad.reason.clone(),
    };
    (ev, note)
}

#[cfg(test)]
mod tests {
    use super::nonsmooth::{pencil_eigenvalues, tangent_test};
    use super::*;
    use crate::linalg::sym_eigen;
    use nalgebra::DMatrix;
    use ngd_certify::pt;
    use ngd_eval::Tape;
    use ngd_parse::{parse_expr, Params};
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64;
    use rug::Float;

    struct Setup {
        arena: Arena,
        f: ExprId,
        phi: ExprId,
        g: ExprId,
        sys: LagrangeSystem,
    }

    /// `f = outer(g)` written out, `phi`, and the Lagrange system of `phi` on `{g = 0}`.
    fn setup(f: &str, g: &str, phi: &str) -> Setup {
        let mut arena = Arena::new(vec!["x".into(), "y".into()]);
        let p = Params::new();
        let f = parse_expr(&mut arena, f, &p).unwrap();
        let g = parse_expr(&mut arena, g, &p).unwrap();
        let phi = parse_expr(&mut arena, phi, &p).unwrap();
        let sys = LagrangeSystem::new(&mut arena, phi, g);
        Setup {
            arena,
            f,
            phi,
            g,
            sys,
        }
    }

    fn sp(x: &[f64], lambda: f64) -> SPoint {
        SPoint {
            index: 0,
            x: x.to_vec(),
            coords: x.iter().map(|v| v.to_string()).collect(),
            lambda: Some(lambda),
            exact: None,
            contained: None,
            degenerate: false,
        }
    }

    fn check(
        s: &mut Setup,
        abs_c: Option<i64>,
        x: &[f64],
        lambda: f64,
        r: f64,
    ) -> StrictnessAtPoint {
        let abs = abs_c.map(|c| (Rational::from(c), s.g));
        let ctx = C6Context::new(&mut s.arena, s.f, s.phi, Some(&s.sys), abs, r);
        check_point(&ctx, &sp(x, lambda))
    }

    /// `(f + phi)(x) > (f + phi)(s)` at `k` seeded random points of the box (MPFR, 256 bits),
    /// skipping points within `1e-12` of `s`.
    fn sampled_strict(s: &mut Setup, p: &StrictnessAtPoint, k: usize) -> bool {
        let fp = s.arena.add2(s.f, s.phi);
        let t = Tape::compile(&s.arena, &[fp]);
        let prec = 256;
        let c: Vec<Float> = p.point.iter().map(|&v| Float::with_val(prec, v)).collect();
        let fc = t.eval::<Float>(&prec, &c).unwrap()[0].clone();
        let mut rng = Pcg64::seed_from_u64(3);
        (0..k).all(|_| {
            let x: Vec<f64> = p
                .box_lo
                .iter()
                .zip(&p.box_hi)
                .map(|(&a, &b)| rng.random_range(a..=b))
                .collect();
            if x.iter().zip(&p.point).all(|(a, b)| (a - b).abs() < 1e-12) {
                return true;
            }
            let xm: Vec<Float> = x.iter().map(|&v| Float::with_val(prec, v)).collect();
            t.eval::<Float>(&prec, &xm).unwrap()[0] > fc
        })
    }

    /// Example (a) of the issue at the flat point (1, 1): phi has a kink there, so no rule
    /// applies (the old check proved Hess(f + phi) positive definite there).
    #[test]
    fn kink_of_phi_at_the_point_is_not_applicable() {
        let mut s = setup("(x*y - 1)^2", "x*y - 1", "(x^2 - y^2)^2 - abs(x - y)");
        let p = check(&mut s, None, &[1.0, 1.0], 0.0, 1e-10);
        assert_eq!(p.criterion, StrictnessCriterion::NotApplicable);
        assert_eq!(p.evidence, Evidence::Inconclusive);
        let Some(StrictnessReason::SmoothRuleNeedsSmooth { failures }) = p.reason else {
            panic!("{:?}", p.reason)
        };
        assert!(
            failures.iter().any(|f| matches!(f,
                SmoothnessFailure::Kinks { function: Part::Phi, kinks }
                    if kinks[0].expression == "abs(x - y)")),
            "{failures:?}"
        );
        assert!(
            !failures.iter().any(|f| matches!(
                f,
                SmoothnessFailure::Kinks {
                    function: Part::F,
                    ..
                } | SmoothnessFailure::NotProved { function: Part::F }
            )),
            "{failures:?}"
        );
    }

    /// Example (b) at the flat point (1, 1), which is not in S: grad(f + phi) = (-4, 4) there,
    /// so the smooth rule cannot prove a critical point. (1, 1) is not a Lagrange point of
    /// phi on M either, so this is not a refutation of anything about S.
    #[test]
    fn non_critical_point_is_not_proved() {
        let mut s = setup("(x*y - 1)^2", "x*y - 1", "(x^2 - y^2 - 1)^2");
        let p = check(&mut s, None, &[1.0, 1.0], 0.0, 1e-10);
        assert_eq!(p.criterion, StrictnessCriterion::Smooth);
        assert_eq!(p.critical_point, Evidence::Inconclusive);
        assert_eq!(p.s_in_box, Evidence::Inconclusive);
        assert_eq!(p.evidence, Evidence::Inconclusive);
        let gradient = match p.reason {
            Some(StrictnessReason::NoCriticalPointProved { gradient })
            | Some(StrictnessReason::GradientAwayFromZero { gradient, .. }) => gradient,
            r => panic!("{r:?}"),
        };
        let g = gradient.unwrap();
        assert!(
            (g[0] + 4.0).abs() < 1e-9 && (g[1] - 4.0).abs() < 1e-9,
            "{g:?}"
        );
    }

    /// The nonsmooth rule on abs-xy at (1, 1) (multiplier 0), and the quantitative bound on
    /// growing boxes: whenever it claims f + phi > (f + phi)(s) on all of B, 2000 sampled
    /// points agree; on large boxes it must stop claiming it.
    #[test]
    fn nonsmooth_rule_and_box_bound() {
        let mut s = setup("abs(x*y - 1)", "x*y - 1", "(x^2 - y^2)^2");
        let mut claimed = Vec::new();
        for r in [1e-10, 1e-6, 1e-3, 1e-2, 3e-2, 0.1, 0.3] {
            let p = check(&mut s, Some(1), &[1.0, 1.0], 0.0, r);
            if r <= 1e-3 {
                assert_eq!(p.evidence, Evidence::Proved, "{r}: {p:#?}");
                assert_eq!(p.criterion, StrictnessCriterion::NonsmoothAbs);
                assert!(p.strict_on_box, "{r}");
            }
            if p.strict_on_box {
                assert_eq!(p.evidence, Evidence::Proved);
                assert!(sampled_strict(&mut s, &p, 2000), "{r}");
                claimed.push(r);
            }
        }
        // The bound holds up to boxes of half-width 1e-2 here, and is not claimed at 0.3.
        assert!(claimed.contains(&1e-2), "{claimed:?}");
        assert!(!claimed.contains(&0.3), "{claimed:?}");
    }

    /// A tangent direction of negative curvature refutes (iii): phi = -(x^2 - y^2)^2 decreases
    /// along M away from (1, 1).
    #[test]
    fn negative_tangent_curvature_refutes() {
        let mut s = setup("abs(x*y - 1)", "x*y - 1", "-(x^2 - y^2)^2");
        let p = check(&mut s, Some(1), &[1.0, 1.0], 0.0, 1e-10);
        assert_eq!(p.criterion, StrictnessCriterion::NonsmoothAbs);
        assert_eq!(p.hessian_pd, Evidence::Refuted);
        assert_eq!(p.evidence, Evidence::Refuted);
    }

    /// `|lambda| = c` exactly cannot be decided by intervals: inconclusive, never proved.
    #[test]
    fn multiplier_equal_to_c_is_inconclusive() {
        // f = |x + y - 2|/2 (c = 1/2), phi = (x - y)^2 + (x + y)/2: lambda = 1/2 at (1, 1).
        let mut s = setup("abs(x + y - 2)/2", "x + y - 2", "(x - y)^2 + (x + y)/2");
        let ctx = C6Context::new(
            &mut s.arena,
            s.f,
            s.phi,
            Some(&s.sys),
            Some((Rational::from((1, 2)), s.g)),
            1e-10,
        );
        let p = check_point(&ctx, &sp(&[1.0, 1.0], 0.5));
        assert_eq!(p.critical_point, Evidence::Proved);
        assert_eq!(p.multiplier_below_c, Some(Evidence::Inconclusive));
        assert_eq!(p.evidence, Evidence::Inconclusive);
        // With c = 1 it is proved, with c = 1/4 refuted.
        for (c, want) in [((1, 1), Evidence::Proved), ((1, 4), Evidence::Refuted)] {
            let ctx = C6Context::new(
                &mut s.arena,
                s.f,
                s.phi,
                Some(&s.sys),
                Some((Rational::from(c), s.g)),
                1e-10,
            );
            assert_eq!(check_point(&ctx, &sp(&[1.0, 1.0], 0.5)).evidence, want);
        }
    }

    /// A smooth strict minimum with an indefinite Hessian elsewhere is still proved on a tiny
    /// box; a saddle of f + phi is refuted.
    #[test]
    fn smooth_rule_saddle_is_refuted() {
        // f + phi = (x y - 1)^2 + (x - 1)^2 - 3 (y - 1)^2 has a critical point at (1, 1) with
        // Hessian [[4, 2], [2, -4]]: a saddle.
        let mut s = setup("(x*y - 1)^2", "x*y - 1", "(x - 1)^2 - 3*(y - 1)^2");
        let p = check(&mut s, None, &[1.0, 1.0], 0.0, 1e-10);
        assert_eq!(p.criterion, StrictnessCriterion::Smooth);
        assert_eq!(p.critical_point, Evidence::Proved);
        assert_eq!(p.hessian_pd, Evidence::Refuted);
        assert_eq!(p.evidence, Evidence::Refuted);
    }

    #[test]
    fn kinks_are_located() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let e = parse_expr(
            &mut a,
            "abs(x - 1) + max(x, y) + sqrt(y) + sign(x*y) + x^2",
            &Params::new(),
        )
        .unwrap();
        let k = Kinks::new(&mut a, e);
        let near = |x: f64, y: f64| box_around(&[x, y], 1e-6);
        let at = k.meeting(&near(1.0, 1.0));
        assert!(at.iter().any(|k| k.expression == "abs(x - 1)"), "{at:?}");
        assert!(at.iter().any(|k| k.expression == "max(x, y)"), "{at:?}");
        assert_eq!(at.len(), 2, "{at:?}");
        let at = k.meeting(&near(2.0, 0.0));
        assert!(at.iter().any(|k| k.condition.contains("y = 0")), "{at:?}");
        assert!(k.meeting(&near(2.0, 3.0)).is_empty());
    }

    /// The pencil (Z^T M Z, Z^T Z) has the eigenvalues of M on the tangent space, computed
    /// independently with an orthonormal basis of grad g^perp (3 variables, the largest
    /// component of grad g last).
    #[test]
    fn tangent_pencil_matches_an_orthonormal_basis() {
        let mut a = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
        let p = Params::new();
        let g = parse_expr(&mut a, "x + 3*y - z^2", &p).unwrap();
        let phi = parse_expr(&mut a, "x^2 + x*y + 3*z^2 + y*z", &p).unwrap();
        let sys = LagrangeSystem::new(&mut a, phi, g);
        let z = 7f64.sqrt();
        let (lam, x) = (0.7, [1.0, 2.0, z]);
        let tt = tangent_test(&sys, &box_around(&x, 1e-12), pt(lam)).unwrap();
        assert_eq!(tt.t.len(), 2);
        let got = pencil_eigenvalues(&tt.t, &tt.w).unwrap();
        let m = DMatrix::from_row_slice(
            3,
            3,
            &[2.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 6.0 + 2.0 * lam],
        );
        let grad = DMatrix::from_row_slice(1, 3, &[1.0, 3.0, -2.0 * z]);
        let q = crate::linalg::null_space(&grad, 1e-12);
        assert_eq!(q.ncols(), 2);
        let want = sym_eigen(&(q.transpose() * m * q)).0;
        for (a, b) in got.iter().zip(&want) {
            assert!((a - b).abs() < 1e-6, "{got:?} {want:?}");
        }
    }
}
