//! Check C4 of ngd-verify (docs/math.md section 2, the paper's Prop 2.6): does the regularizer
//! `phi` decrease under one NGD step near the minimum set `M`, away from
//! `S = argmin_M phi`?
//!
//! With `u` a normalized direction of `f` at `x` (for `f = c h(g)`: `±grad g/|grad g|`;
//! for least squares `f = sum c_i g_i^2`: a unit vector of the row space of `J_G`, which is
//! `range(Hess f)` on `M`), Taylor's theorem gives
//! `phi(x - a u) - phi(x) = -a <grad phi(x), u> + (a^2/2) u^T Hess phi(xi) u`.
//! The first term is `<= 0` by C1 (zero when `phi` is conserved), so an upper bound
//! `u^T Hess phi u <= -2c` on a neighbourhood gives `phi(x_{k+1}) <= phi(x_k) - c a_k^2`.
//!
//! This crate returns, as data:
//! - `Q(x) = max_u u^T Hess phi(x) u` at sampled points of `M` (numerical), its sign
//!   pattern along each branch or component, and the points where it changes sign or
//!   `phi` has a pole (located by bisection along `M`);
//! - for `n <= 3` variables, the **exact cover** behind a proved verdict
//!   ([`ExactCover`]): the search box is bisected at exact rational midpoints until every
//!   box is inside an excluded neighbourhood of a point of `S`, proved disjoint from `M`
//!   (an interval enclosure of `g`, or of some residual, excludes 0), or certified:
//!   outward-rounded interval arithmetic and interval Cholesky bound
//!   `u^T Hess phi(xi) u <= -2c` for all `x` in the box, all normalized directions `u` at
//!   `x` and all `xi` within `a_max` of the box, so `phi(x - a u) - phi(x) <= -c a^2` for
//!   `0 < a <= a_max`. Each excluded neighbourhood ([`ExcludedBall`]) is *closed* when a
//!   local argument proves `Q < 0` on `M` inside it except at the point of `S`
//!   (`closure` module docs: a graph chart of `M`, the exact vanishing of `Q` and of its
//!   tangential derivative at `s`, and a negative tangential second derivative of `Q`
//!   proved by intervals), or left open and reported so;
//! - for `n > 3` variables, boxes around sampled points of `M` ([`DecreaseCertificate`]):
//!   each box is proved, but that they cover `M` is not, so **no C4 verdict is "proved"
//!   for `n > 3`**: the label is at best "numerical evidence";
//! - a **refutation** where `Q > 0`: an exact rational point and step at which one NGD step
//!   increases `phi`, with interval enclosures ([`DecreaseRefutation`]), built from the
//!   samples, from undecided boxes of the cover or from the failed closing of a
//!   neighbourhood of `S`;
//! - the **decrease order** `q` of one step, fitted in MPFR, and a warning when the
//!   schedule's power exceeds `1/q` ([`DecreaseOrder`]).
//!
//! The verdicts: *on `M \ S`* is proved only when the exact cover leaves no box undecided
//! and every excluded neighbourhood is closed; *near `S`* only when that holds for every box
//! meeting the local regions. Otherwise they are "numerical evidence" (the sampled `Q < 0`
//! everywhere outside `S`, with the covered fraction of the cover), refuted by a witness,
//! or inconclusive.
//!
//! The report holds facts, not sentences: what each verdict rests on ([`DecreaseBasis`],
//! [`LocalBasis`]), the closing arguments ([`ClosureArgument`]), the budgets that stopped a
//! search ([`CoverLimit`]) and the remarks ([`DecreaseNote`]) are enums tagged by `kind` in
//! JSON; ngd-report words them.
//!
//! Deterministic: the samples are seeded, the search is sequential, and the budgets are
//! counts (boxes, bisection depth), never time; the one that stopped a search is named in
//! the report.
//!
//! ```
//! use ngd_check::{Evidence, RationalBox};
//! use ngd_decrease::{check_decrease, BallsClosed, DecreaseBasis, DecreaseOptions};
//! use ngd_decrease::{FirstOrder, MinimizerSet};
//! use ngd_expr::Arena;
//! use ngd_minima::{analyse_minima, MinimaOptions};
//! use ngd_parse::{parse_expr, Params};
//!
//! // Example 1.1: phi = (x^2 - y^2)^2 decreases under NGD near M \ S for f = (xy - 1)^2.
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let f = parse_expr(&mut a, "(x*y - 1)^2", &Params::new()).unwrap();
//! let phi = parse_expr(&mut a, "(x^2 - y^2)^2", &Params::new()).unwrap();
//! let bx = RationalBox::cube(2, 3);
//! let minima = analyse_minima(&mut a, f, Some(phi), &bx, &MinimaOptions::default());
//! let s = MinimizerSet::from_minima(&minima);
//! let opts = DecreaseOptions::default();
//! let r = check_decrease(&mut a, f, phi, &bx, FirstOrder::Conserved, &s, &opts);
//! assert_eq!(r.local, Evidence::Proved);
//! assert_eq!(r.evidence, Evidence::Proved);
//! // Proved by the exact cover, with both neighbourhoods of S = {(1, 1), (-1, -1)} closed.
//! assert!(matches!(
//!     r.basis,
//!     DecreaseBasis::CoverProved { balls: BallsClosed::AllClosed { total: 2 }, .. }
//! ));
//! ```

#![warn(missing_docs)]
// Dense numerical linear algebra reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

mod certificate;
mod closure;
mod cover;
mod degenerate;
mod exact;
mod exceptional;
mod grid;
mod model;
mod neighbourhoods;
mod options;
mod order;
mod order_certificate;
mod pattern;
mod premises;
mod refute;
mod report;
mod sos;
mod taylor;
mod verdict;

pub use degenerate::MAX_ORDER as MAX_DEGENERATE_ORDER;
pub use options::{DecreaseOptions, MinimizerSet};
pub use report::*;
pub use sos::{SosDecrease, StrictDecrease};
pub use verdict::{BallsClosed, CoverGap, DecreaseBasis, LocalBasis, LocalGap};

use model::{Model, Normals};
use neighbourhoods::Classifier;
use ngd_check::{Evidence, RationalBox};
pub(crate) use ngd_eval::vector::{dist, norm};
use ngd_expr::{Arena, ExprId};
use pattern::Pattern;
use premises::Premises;
use verdict::SampleSupport;

/// The largest number of variables for which the exact cover is attempted; above it no
/// C4 verdict is "proved" (numerical evidence at best).
pub const MAX_EXACT_DIM: usize = 3;

/// Runs C4 for `f`, `phi` on the search box `bx`.
///
/// `first_order` is what C1 established; `s` is `S = argmin_M phi` from C3. The verdicts
/// are never "proved" without a certificate whose every box is proved by outward-rounded
/// interval arithmetic and which covers every sampled point of `M \ S` (resp. of the local
/// region) where `Q < 0`, with no sampled point where `Q >= 0` there; a refutation is an
/// exact point re-checked by intervals.
///
/// Panics if `bx.dim() != arena.n_vars()`.
pub fn check_decrease(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    bx: &RationalBox,
    first_order: FirstOrder,
    s: &MinimizerSet,
    opts: &DecreaseOptions,
) -> DecreaseReport {
    assert_eq!(bx.dim(), arena.n_vars(), "check_decrease: box dimension");
    let mut report = not_run();
    let Some(prem) = Premises::establish(arena, f, phi, first_order, &mut report.notes) else {
        return report;
    };
    report.normals = Some(prem.shape.directions);
    report.q_formula = prem.shape.q_formula().into();
    let model = Model::new(arena, f, phi, &prem.shape.gs, prem.shape.normals, bx);
    let samples = model.projector.sample(opts.samples, opts.seed);
    report.dimension = samples.dimension;
    if samples.points.is_empty() {
        return nothing_to_check(report);
    }
    // The sign pattern of Q on the samples.
    let n = bx.dim();
    let ctx = Classifier::new(&model, s, &samples, opts);
    describe_neighbourhoods(&mut report, &ctx, s, n);
    let bxf = box_f64(bx);
    let pat = pattern::sign_pattern(&ctx, &model, &model.projector, &samples, &bxf.0);
    record_pattern(&mut report, &pat);
    // The certificate: the exact cover (n <= 3) or boxes around the samples.
    let hoods = (n <= MAX_EXACT_DIM).then(|| neighbourhoods::on_grid(bx, s, &ctx, opts));
    if let Some((exclusion, local)) = hoods.as_ref().and_then(|h| h.described) {
        report.exclusion = Some(exclusion);
        report.local_region = Some(local);
    }
    if !prem.allow_certificate() && first_order == FirstOrder::Unknown {
        report.notes.push(DecreaseNote::FirstOrderUncontrolled);
    }
    // Q == 0 on M exactly: no order-2 certificate can hold on a box meeting M.
    let cover_input = order_certificate::CoverInput {
        bx,
        s,
        exclusion_radius: opts.exclusion_radius,
    };
    let degenerate = degenerate_analysis(arena, phi, &prem, &model, &pat, &cover_input);
    if prem.shape.normals == Normals::RowSpace
        && degenerate::order_two_vanishes_for_residuals(arena, phi, &prem.shape.gs)
    {
        report
            .notes
            .push(DecreaseNote::LeastSquaresOrderTwoVanishes);
    }
    let mut candidates = Vec::new();
    match &hoods {
        _ if !prem.allow_certificate() || degenerate.is_some() => {}
        Some(h) => {
            let (cover, found) = certificate::exact_cover(arena, &model, phi, &prem, bx, h, opts);
            report.cover = Some(cover);
            candidates = found;
        }
        None => {
            let bxf = (bxf.0.as_slice(), bxf.1);
            let dim = samples.dimension;
            let cert = certificate::sampled_cover(&model, &pat, dim, bxf, prem.first, opts);
            report.certificate = Some(cert);
        }
    }
    // The refutation, the decrease order, the verdicts.
    let local_boxes = hoods.as_ref().map_or(&[][..], |h| &h.regions.local[..]);
    let weights = &prem.shape.weights;
    report.refutation = refute::witness(&model, &pat, weights, &candidates, local_boxes);
    if let Some(d) = &degenerate {
        report.refutation = report.refutation.take().or_else(|| d.witness.clone());
    }
    report.order = order::fit(&model, &pat, weights, opts);
    if prem.shape.normals == Normals::Gradient && first_order == FirstOrder::Conserved {
        report.notes.push(DecreaseNote::ConservedIdentity);
    }
    verdict::decide(&mut report, n, s, &SampleSupport::of(&pat, prem.first, s));
    if let Some(d) = degenerate {
        verdict::decide_degenerate(&mut report, d.report, s);
        return report;
    }
    if prem.allow_certificate()
        && report.evidence != Evidence::Proved
        && report.evidence != Evidence::Refuted
    {
        report.sos = Some(sos::sos_decrease(arena, phi, &prem.shape.gs));
        verdict::decide_sos(&mut report);
    }
    if report
        .certificate
        .as_ref()
        .is_some_and(|c| c.eligible == 0.0)
    {
        report.notes.push(DecreaseNote::NothingToCertify);
    }
    report
}

/// The degenerate-order analysis, for `f = c h(g)` and a conserved, kink-free `phi` whose
/// order-2 term is proved to vanish on `M`.
fn degenerate_analysis(
    arena: &mut Arena,
    phi: ExprId,
    prem: &Premises,
    model: &Model,
    pat: &Pattern,
    input: &order_certificate::CoverInput,
) -> Option<degenerate::Degenerate> {
    let applies = prem.allow_certificate()
        && prem.first == FirstOrder::Conserved
        && prem.shape.normals == Normals::Gradient;
    applies
        .then(|| degenerate::analyse(arena, phi, prem.shape.gs[0], model, pat, input))
        .flatten()
}

/// The report when no point of `M` lies in the box: nothing to check.
fn nothing_to_check(mut report: DecreaseReport) -> DecreaseReport {
    report.notes.push(DecreaseNote::NoPointOfM);
    report.basis = DecreaseBasis::NoPointOfM;
    report.local_basis = LocalBasis::NoPointOfM;
    report
}

/// The report before anything is known: inconclusive, nothing run.
fn not_run() -> DecreaseReport {
    DecreaseReport {
        evidence: Evidence::Inconclusive,
        local: Evidence::Inconclusive,
        normals: None,
        q_formula: String::new(),
        exclusion: None,
        local_region: None,
        samples: 0,
        dimension: None,
        counts: SignCounts::default(),
        branches: Vec::new(),
        components: Vec::new(),
        exceptional: Vec::new(),
        cover: None,
        certificate: None,
        basis: DecreaseBasis::NotRun,
        local_basis: LocalBasis::NotRun,
        refutation: None,
        order: None,
        notes: Vec::new(),
        sos: None,
        degenerate: None,
    }
}

/// Records the sampled neighbourhoods of `S` and the notes on what cannot be decided.
fn describe_neighbourhoods(
    report: &mut DecreaseReport,
    ctx: &Classifier<'_>,
    s: &MinimizerSet,
    n: usize,
) {
    report.exclusion = Some(ctx.exclusion);
    report.local_region = Some(ctx.local_region);
    if matches!(s, MinimizerSet::Unknown) {
        report.notes.push(DecreaseNote::SNotLocated);
    }
    if n > MAX_EXACT_DIM {
        report.notes.push(DecreaseNote::NoExactCover { n });
    }
}

/// The `f64` sides of `bx` and its largest exact side (at least `1e-300`).
fn box_f64(bx: &RationalBox) -> (Vec<(f64, f64)>, f64) {
    let scale = bx
        .lo
        .iter()
        .zip(&bx.hi)
        .map(|(a, b)| (b.clone() - a).to_f64().abs())
        .fold(0.0, f64::max)
        .max(1e-300);
    let sides = bx
        .lo
        .iter()
        .zip(&bx.hi)
        .map(|(a, b)| (a.to_f64(), b.to_f64()))
        .collect();
    (sides, scale)
}

/// Copies the sign pattern into the report.
fn record_pattern(report: &mut DecreaseReport, pat: &Pattern) {
    report.samples = pat.points.len();
    report.counts = pat.counts.clone();
    report.branches = pat.branches.clone();
    report.components = pat.components.clone();
    report.exceptional = pat.exceptional.clone();
}
