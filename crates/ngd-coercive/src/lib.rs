//! C5 of ngd-verify: is `f + phi` coercive (`f + phi -> +inf` as `|x| -> inf`)?
//!
//! Coercivity of `f + phi` is the hypothesis that turns local attraction into attraction from
//! almost every start (docs/math.md C5; the paper's Thm 2.10 and Thm 3.32 (i)). This crate decides
//! it where it can and says how:
//!
//! - **Proved** ([`Evidence::Proved`], verdict [`CoercivityVerdict::Coercive`]): a
//!   [`GrowthCertificate`] `f + phi >= m rho^k - C rho^(k-1)` for `rho >= 1`, where
//!   `rho(x) = max_i |x_i|^(1/w_i)`. With unit weights and `k` the degree this is "the leading
//!   form is positive on the unit sphere", proved by interval branch and bound on the faces of
//!   the cube `[-1, 1]^n` (a form is positive on the sphere iff on the cube boundary). Lower
//!   levels `k` cover semidefinite leading forms whose zero directions are covered by
//!   lower-degree terms, weights cover escape routes along curves such as `y = x^2`, and
//!   non-polynomial terms enter through sound lower bounds (`|q| >= |q_top| - |rest|`,
//!   `exp(h) >= max(0, h)^m/m!`, dropping terms that are structurally `>= 0`, so e.g.
//!   "`phi >= 0` and `f` is coercive"). See [`prove`] for the argument.
//! - **Refuted** ([`Evidence::Refuted`], verdict [`CoercivityVerdict::NotCoercive`]): an
//!   [`EscapeWitness`], a rational ray or monomial curve to infinity along which the exact
//!   restriction of `f + phi` (a univariate rational function of `t`, computed without
//!   floating point) has a finite or `-inf` limit.
//! - Otherwise **numerical evidence** (minimum of `f + phi` on spheres of growing radius,
//!   [`SphereEvidence`]) or **inconclusive**. Floating point never produces "proved" or
//!   "refuted" (docs/architecture.md, soundness rules); limits that stop a proof give
//!   "inconclusive".
//!
//! Where `phi` is undefined (poles), `phi = +inf` counts as large: the certificates bound
//! `f + phi` from below on its domain, and escape curves must stay in the domain for large `t`.
//!
//! Nothing here prints; the report is data ([`CoercivityReport`], `serde::Serialize`).
//!
//! ```
//! use ngd_coercive::{check_coercivity, CoercivityOptions, Evidence};
//! use ngd_expr::Arena;
//! use ngd_parse::{parse_expr, Params};
//!
//! // (xy - 1)^2 + (x^2 - y^2)^2 has the leading form x^4 - x^2 y^2 + y^4 > 0 on the sphere.
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let f = parse_expr(&mut a, "(x*y - 1)^2", &Params::new()).unwrap();
//! let phi = parse_expr(&mut a, "(x^2 - y^2)^2", &Params::new()).unwrap();
//! let r = check_coercivity(&mut a, f, Some(phi), &CoercivityOptions::default());
//! assert_eq!(r.evidence, Evidence::Proved);
//! ```

#![warn(missing_docs)]

mod escape;
mod expand;
mod faces;
pub mod prove;
mod sos;
mod sphere;
mod upoly;

pub use escape::{EscapeKind, EscapeWitness};
pub use expand::Inequality;
pub use faces::{BnbStop, FaceSymmetry};
pub use ngd_check::Evidence;
pub use prove::{Attempt, GrowthCertificate, GrowthRoute, LevelFailure, NonnegLevel};
pub use sos::{sos_growth, SosGrowth};
pub use sphere::{SphereEvidence, SphereValue};

use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};
use serde::Serialize;

/// Whether `e` contains `sign(...)`, whose canonical forms are exact only almost everywhere.
fn has_jump(arena: &Arena, e: ExprId) -> bool {
    arena.postorder(&[e]).into_iter().any(|id| {
        matches!(
            arena.node(id),
            ngd_expr::Node::Func(ngd_expr::Func::Sign, _)
        )
    })
}

/// Knobs of [`check_coercivity`]. The defaults are the ones the CLI uses; every search is
/// seeded and bounded by counts, so results are deterministic.
#[derive(Clone, Debug)]
pub struct CoercivityOptions {
    /// Seed of the sphere multistarts and of the sampling that guides branch and bound.
    pub seed: u64,
    /// Radii of the spheres for the numerical evidence (default `10, 100, 1000, 10^4`).
    pub radii: Vec<f64>,
    /// Random starts per sphere (plus `2n` coordinate directions and the previous minimizers).
    pub sphere_starts: usize,
    /// Descent steps per start.
    pub sphere_iterations: usize,
    /// Boxes per branch-and-bound proof of positivity.
    pub max_boxes: usize,
    /// Boxes per branch-and-bound proof of nonnegativity (a form touching 0).
    pub nonneg_boxes: usize,
    /// Boxes narrower than this are not split (the proof attempt is then inconclusive).
    pub min_width: f64,
    /// Largest weight tried in weighted-degree arguments (weights `1..=max_weight`; all ones
    /// only beyond 4 variables).
    pub max_weight: u32,
    /// Proof attempts at most (weights x exponential orders x variants).
    pub max_attempts: usize,
    /// Exact escape candidates decided at most (after a floating-point screen).
    pub max_exact_escapes: usize,
    /// Boxes of all branch-and-bound runs of the proof search together, at most (a count,
    /// so that the outcome does not depend on the machine's speed or load).
    pub total_boxes: usize,
    /// Also analyse `f` alone (reported in [`CoercivityReport::f_alone`]).
    pub check_f_alone: bool,
}

impl Default for CoercivityOptions {
    fn default() -> Self {
        CoercivityOptions {
            seed: 1,
            radii: vec![10.0, 100.0, 1000.0, 10_000.0],
            sphere_starts: 32,
            sphere_iterations: 300,
            max_boxes: 2_000_000,
            nonneg_boxes: 20_000,
            min_width: 1e-9,
            max_weight: 3,
            max_exact_escapes: 64,
            max_attempts: 120,
            total_boxes: 6_000_000,
            check_f_alone: true,
        }
    }
}

/// The answer to "is `f + phi` coercive?". It is a theorem only when
/// [`CoercivityReport::evidence`] is `Proved` (for `Coercive`) or `Refuted` (for
/// `NotCoercive`); with `NumericalEvidence` it is what the sphere minima suggest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoercivityVerdict {
    /// `f + phi -> +inf` as `|x| -> inf`.
    Coercive,
    /// Some path to infinity keeps `f + phi` bounded above.
    NotCoercive,
    /// Neither shown.
    Unknown,
}

/// The function C5 is about: `f + phi`, or `f` alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// `f` alone (no regularizer, or [`CoercivityReport::f_alone`]).
    F,
    /// `f + phi`.
    FPlusPhi,
}

/// Which argument decided coercivity, or that none did. The numbers are in
/// [`CoercivityReport::certificate`] and [`CoercivityReport::escape`].
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CoercivityArgument {
    /// There are no variables: `R^0` is bounded, so coercivity holds trivially.
    NoVariables,
    /// The growth certificate proves coercivity.
    Growth {
        /// The function bounded below.
        target: Target,
        /// Every term of `phi` is structurally `>= 0` and was dropped: `f` alone is coercive.
        phi_dropped: bool,
        /// Which form of the argument (docs/math.md C5).
        route: GrowthRoute,
    },
    /// An exact sum-of-squares certificate of `target >= eps |x|^(2k) - C` (see `sos`).
    SumOfSquares {
        /// The function bounded below.
        target: Target,
    },
    /// The exact escape refutes coercivity: the target stays bounded above along it.
    Escape {
        /// The function restricted to the escape.
        target: Target,
    },
    /// Neither a proof nor an exact escape within the limits (see the attempts and spheres).
    Undecided,
}

/// What the sphere minima suggest (numerical evidence only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SphereTrend {
    /// The minimum grows with the radius (suggests coercive).
    Grows,
    /// The minimum stays bounded or decreases (suggests not coercive).
    Bounded,
    /// No clear trend.
    Unclear,
}

/// The C5 section of the certificate.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CoercivityReport {
    /// `Proved` (a [`GrowthCertificate`]), `Refuted` (an [`EscapeWitness`]),
    /// `NumericalEvidence` (sphere minima only) or `Inconclusive`.
    pub evidence: Evidence,
    /// The verdict; see [`CoercivityVerdict`] for when it is a theorem.
    pub verdict: CoercivityVerdict,
    /// Which argument succeeded (proof or refutation), or that none did.
    pub argument: Option<CoercivityArgument>,
    /// With a proof: the certified `m > 0` of `f + phi >= m rho^k - C rho^(k-1)` (for a
    /// positive leading form, a lower bound of its minimum on the cube boundary).
    pub certified_lower_bound: Option<f64>,
    /// The proof, when there is one.
    pub certificate: Option<GrowthCertificate>,
    /// The exact escape, when one was found.
    pub escape: Option<EscapeWitness>,
    /// Minima of `f + phi` found on spheres of growing radius (numerical evidence).
    pub spheres: Vec<SphereEvidence>,
    /// `log(min_2/min_1)/log(R_2/R_1)` for the two largest radii (numerical), when both
    /// minima are positive and finite.
    pub growth_exponent: Option<f64>,
    /// What the sphere minima suggest (numerical evidence; the minima are in `spheres`, the
    /// exponent in `growth_exponent`); `None` without variables.
    pub numerical_summary: Option<SphereTrend>,
    /// Proof attempts that failed, and why (weights, levels).
    pub attempts: Vec<Attempt>,
    /// Exact escape candidates decided (after the floating-point screen).
    pub escape_candidates_checked: usize,
    /// The sum-of-squares route, tried when the growth certificate and the escape search both
    /// fail.
    pub sos: Option<SosGrowth>,
    /// The same analysis for `f` alone (when `phi` is given and
    /// [`CoercivityOptions::check_f_alone`] is set).
    pub f_alone: Option<Box<CoercivityReport>>,
}

/// The growth exponent of the two largest spheres (when both minima are positive and finite)
/// and the trend of the minima.
fn numerical_trend(spheres: &[SphereEvidence]) -> (SphereTrend, Option<f64>) {
    let mins: Vec<f64> = spheres.iter().map(|s| s.min_value).collect();
    let mut growth = None;
    if spheres.len() >= 2 {
        let a = &spheres[spheres.len() - 2];
        let b = &spheres[spheres.len() - 1];
        if a.min_value > 0.0 && b.min_value > 0.0 && b.min_value.is_finite() {
            growth = Some((b.min_value / a.min_value).ln() / (b.radius / a.radius).ln());
        }
    }
    // ±inf stands for a minimum beyond the f64 range (computed in MPFR): it still orders.
    let missing = |s: &SphereEvidence| s.value == SphereValue::NotFound || s.min_value.is_nan();
    if mins.len() < 2 || spheres.iter().any(missing) {
        return (SphereTrend::Unclear, growth);
    }
    // Growing: every step up by more than 10%, ending positive and at least twice the first
    // value in size (values creeping up to 0 from below do not count); bounded: the last step
    // is not up by 10%.
    let last = mins[mins.len() - 1];
    let grows = mins
        .windows(2)
        .all(|w| w[1] > w[0] + 0.1 * w[0].abs() + 1e-12)
        && last > 0.0
        && last >= 2.0 * mins[0].abs() + 1e-12;
    let earlier = mins[..mins.len() - 1]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let trend = if grows {
        SphereTrend::Grows
    } else if last <= earlier + 0.1 * earlier.abs() + 1e-9 {
        SphereTrend::Bounded
    } else {
        SphereTrend::Unclear
    };
    (trend, growth)
}

/// The prover's limits from the options, with a fresh shared box counter.
fn prover_limits(opts: &CoercivityOptions) -> prove::ProverLimits {
    prove::ProverLimits {
        max_boxes: opts.max_boxes,
        nonneg_boxes: opts.nonneg_boxes,
        min_width: opts.min_width,
        spent: std::rc::Rc::new(std::cell::Cell::new(0)),
        total_boxes: opts.total_boxes,
        max_weight: opts.max_weight,
        max_attempts: opts.max_attempts,
        seed: opts.seed,
    }
}

/// The report without variables: coercive, trivially (`R^0` is bounded).
fn no_variables_report(f_alone: Option<Box<CoercivityReport>>) -> CoercivityReport {
    CoercivityReport {
        evidence: Evidence::Proved,
        verdict: CoercivityVerdict::Coercive,
        argument: Some(CoercivityArgument::NoVariables),
        certified_lower_bound: None,
        certificate: None,
        escape: None,
        spheres: Vec::new(),
        growth_exponent: None,
        numerical_summary: None,
        attempts: Vec::new(),
        escape_candidates_checked: 0,
        sos: None,
        f_alone,
    }
}

/// The growth-certificate search. The certificates read polynomial and leading forms off
/// canonical forms, which reduce `sign(u)^2` to 1: true only off `{u = 0}`. Coercivity is a
/// pointwise property, so with a jump in `f + phi` no certificate is attempted (docs/math.md,
/// nonsmooth rule).
fn growth_proof(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    total: ExprId,
    opts: &CoercivityOptions,
) -> prove::ProverResult {
    if has_jump(arena, total) {
        return prove::ProverResult {
            proof: None,
            attempts: vec![Attempt::JumpInObjective],
        };
    }
    prove::prove(arena, f, phi, &prover_limits(opts))
}

/// Decides whether `f + phi` (or `f` when `phi` is `None`) is coercive, with the evidence
/// class of docs/math.md C5 (see the crate documentation for what each class guarantees).
///
/// `Evidence::Proved` is returned only with a [`GrowthCertificate`] whose inequalities were
/// established by outward-rounded interval arithmetic or by exact structure;
/// `Evidence::Refuted` only with an [`EscapeWitness`] whose limit was computed exactly. New
/// nodes (gradients, expansions) are added to `arena`.
pub fn check_coercivity(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    opts: &CoercivityOptions,
) -> CoercivityReport {
    let n = arena.n_vars();
    let target = if phi.is_some() {
        Target::FPlusPhi
    } else {
        Target::F
    };
    let total = match phi {
        Some(p) => arena.add2(f, p),
        None => f,
    };
    let f_alone = match (phi, opts.check_f_alone) {
        (Some(_), true) => {
            let sub = CoercivityOptions {
                check_f_alone: false,
                ..opts.clone()
            };
            Some(Box::new(check_coercivity(arena, f, None, &sub)))
        }
        _ => None,
    };
    if n == 0 {
        return no_variables_report(f_alone);
    }
    // Numerical evidence first: its minimizers also seed the escape search.
    let mut outs = vec![total];
    outs.extend(arena.gradient(total));
    let tape = Tape::compile(arena, &outs);
    let runs = sphere::sphere_minima(
        &tape,
        &opts.radii,
        opts.sphere_starts,
        opts.sphere_iterations,
        opts.seed,
    );
    let spheres: Vec<SphereEvidence> = runs.iter().map(|r| r.evidence.clone()).collect();
    let (trend, growth_exponent) = numerical_trend(&spheres);
    let proof = growth_proof(arena, f, phi, total, opts);
    let mut report = CoercivityReport {
        evidence: Evidence::Inconclusive,
        verdict: CoercivityVerdict::Unknown,
        argument: None,
        certified_lower_bound: None,
        certificate: None,
        escape: None,
        spheres,
        growth_exponent,
        numerical_summary: Some(trend),
        attempts: proof.attempts,
        escape_candidates_checked: 0,
        sos: None,
        f_alone,
    };
    if let Some(p) = proof.proof {
        report.evidence = Evidence::Proved;
        report.verdict = CoercivityVerdict::Coercive;
        report.certified_lower_bound = Some(p.certificate.lower_bound);
        report.argument = Some(CoercivityArgument::Growth {
            target,
            phi_dropped: p.phi_dropped,
            route: p.route,
        });
        report.certificate = Some(p.certificate);
        return report;
    }
    let minimizers: Vec<Vec<Vec<f64>>> = runs.iter().map(|r| r.best_points.clone()).collect();
    let cands = escape::candidates(n, &minimizers);
    let (esc, checked) = escape::find_escape(arena, total, &tape, &cands, opts.max_exact_escapes);
    report.escape_candidates_checked = checked;
    if let Some(w) = esc {
        report.evidence = Evidence::Refuted;
        report.verdict = CoercivityVerdict::NotCoercive;
        report.argument = Some(CoercivityArgument::Escape { target });
        report.escape = Some(w);
        return report;
    }
    if sos_route(arena, total, target, &mut report) {
        return report;
    }
    undecided(report, trend)
}

/// The SOS growth route (after the growth certificate and the escape search failed); `true`
/// when it proved coercivity.
fn sos_route(arena: &Arena, total: ExprId, target: Target, report: &mut CoercivityReport) -> bool {
    let sos = sos::sos_growth(arena, total);
    let proved = matches!(sos, SosGrowth::Proved { .. });
    report.sos = Some(sos);
    if proved {
        report.evidence = Evidence::Proved;
        report.verdict = CoercivityVerdict::Coercive;
        report.argument = Some(CoercivityArgument::SumOfSquares { target });
    }
    proved
}

/// No proof and no escape: the sphere minima's trend is the (numerical) verdict.
fn undecided(mut report: CoercivityReport, trend: SphereTrend) -> CoercivityReport {
    match trend {
        SphereTrend::Grows => {
            report.evidence = Evidence::NumericalEvidence;
            report.verdict = CoercivityVerdict::Coercive;
        }
        SphereTrend::Bounded => {
            report.evidence = Evidence::NumericalEvidence;
            report.verdict = CoercivityVerdict::NotCoercive;
        }
        SphereTrend::Unclear => {}
    }
    report.argument = Some(CoercivityArgument::Undecided);
    report
}
