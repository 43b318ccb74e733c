//! The certificate step of C4: the exact cover with the closing of the excluded
//! neighbourhoods of `S` (`n <= 3`), or the sampled cover (`n > 3`).

use crate::closure::{self, ClosureTapes};
use crate::exact::{self, CoverRun};
use crate::grid::corners;
use crate::model::{Model, Normals};
use crate::neighbourhoods::{Ball, Neighbourhoods};
use crate::pattern::Pattern;
use crate::premises::Premises;
use crate::report::{
    AMaxRule, ClosureArgument, DecreaseCertificate, ExactCover, ExcludedBall, FirstOrder,
    LevelExclusion,
};
use crate::{cover, DecreaseOptions};
use ngd_check::{Evidence, RationalBox};
use ngd_expr::{Arena, ExprId};

/// The exact cover with its closed (or open) neighbourhoods, and the points of `M` with
/// `Q > 0` found on the way (flagged when in a local region), for the refutation.
pub(crate) fn exact_cover(
    arena: &mut Arena,
    model: &Model,
    phi: ExprId,
    premises: &Premises,
    bx: &RationalBox,
    hoods: &Neighbourhoods,
    opts: &DecreaseOptions,
) -> (ExactCover, Vec<(Vec<f64>, bool)>) {
    let (shape, first) = (&premises.shape, premises.first);
    let run = exact::run(model, bx, &hoods.regions, opts);
    let mut candidates: Vec<(Vec<f64>, bool)> = run
        .candidates
        .iter()
        .map(|c| (c.x.clone(), c.local))
        .collect();
    let tapes = match (shape.normals, shape.gs.as_slice()) {
        (Normals::Gradient, [g]) if !hoods.balls.is_empty() => Some(ClosureTapes::new(
            arena,
            *g,
            phi,
            first == FirstOrder::Conserved,
        )),
        _ => None,
    };
    let mut balls = Vec::new();
    for ball in &hoods.balls {
        let (b, found) = close_ball(tapes.as_ref(), model, ball, opts);
        candidates.extend(found.into_iter().map(|x| (x, true)));
        balls.push(b);
    }
    let level = hoods.regions.level.map(|v| LevelExclusion { phi_below: v });
    let has_local = !hoods.regions.local.is_empty();
    let cover = cover_report(run, balls, level, has_local, first, opts);
    (cover, candidates)
}

/// The excluded ball around one point of `S`, closed when the local argument succeeds, and
/// the points of `M` with `Q > 0` the argument found.
fn close_ball(
    tapes: Option<&ClosureTapes>,
    model: &Model,
    ball: &Ball,
    opts: &DecreaseOptions,
) -> (ExcludedBall, Vec<Vec<f64>>) {
    let p = &ball.centre;
    let (lo, hi) = corners(&ball.excluded);
    let (local_lo, local_hi) = corners(&ball.local);
    let radius = (0..p.len())
        .map(|i| (p[i] - lo[i]).abs().max((hi[i] - p[i]).abs()))
        .fold(0.0, f64::max);
    let cl = match tapes {
        Some(t) => closure::close(t, model, p, &ball.excluded, opts.closure_boxes),
        None => closure::Closure::open(ClosureArgument::NotImplemented),
    };
    let out = ExcludedBall {
        centre: p.clone(),
        exact_centre: cl.exact_centre,
        lo,
        hi,
        requested_radius: ball.radius,
        radius,
        closed: cl.closed,
        argument: cl.argument,
        boxes: cl.boxes,
        local_lo,
        local_hi,
    };
    (out, cl.candidates)
}

/// The report of the exact cover from its run.
fn cover_report(
    run: CoverRun,
    balls: Vec<ExcludedBall>,
    level_exclusion: Option<LevelExclusion>,
    has_local: bool,
    first_order: FirstOrder,
    opts: &DecreaseOptions,
) -> ExactCover {
    let ratio = |part: f64, whole: f64| if whole > 0.0 { part / whole } else { 1.0 };
    let near_m = run.certified_volume + run.undecided_volume;
    let local_near = run.local_certified_volume + run.local_undecided_volume;
    ExactCover {
        evidence: if run.undecided == 0 {
            Evidence::Proved
        } else {
            Evidence::NumericalEvidence
        },
        examined: run.examined,
        disjoint: run.disjoint,
        certified: run.certified,
        excluded: run.excluded,
        undecided: run.undecided,
        undecided_by_reason: run.by_reason,
        min_c: run.min_c,
        a_max_range: run.a_max_range,
        a_max_rule: AMaxRule::HalfLargestSide,
        covered_fraction: ratio(run.certified_volume, near_m),
        local_covered_fraction: has_local.then(|| ratio(run.local_certified_volume, local_near)),
        local_undecided: run.local_undecided,
        max_boxes: opts.max_boxes,
        min_width: run.min_width,
        limit: run.limit,
        first_order,
        balls,
        level_exclusion,
        examples: run.examples,
        undecided_examples: run.undecided_examples,
        tree: run.tree,
    }
}

/// The sampled cover (`n > 3`): never better than numerical evidence. With a Lyapunov
/// first order the boxes must lie inside the search box `bxf`; `scale` is its largest side.
pub(crate) fn sampled_cover(
    model: &Model,
    pat: &Pattern,
    dimension: Option<usize>,
    (bxf, scale): (&[(f64, f64)], f64),
    first: FirstOrder,
    opts: &DecreaseOptions,
) -> DecreaseCertificate {
    let inside = (first == FirstOrder::Lyapunov).then_some(bxf);
    let mut cert = cover::certify(model, pat, dimension, inside, scale, first, opts);
    if cert.evidence == Evidence::Proved {
        cert.evidence = Evidence::NumericalEvidence;
    }
    cert
}
