//! C2 on `M = {G = 0}` (the scalar and least-squares paths, docs/math.md section 2, C2):
//! samples of `M`, its dimension and components, refined representatives and `inf f`; and
//! the fallback to the general path when `G` has no zero in the box.

use crate::closed_form::fmt_mp;
use crate::explain::*;
use crate::minset::{
    components, dimension_report, local_dimensions, precision_for, prove_zero_near, refined_point,
    sample_on_m, Branch, RANK_THRESHOLD,
};
use crate::model::{BoxF, Constraints};
use crate::report::*;
use crate::MinimaOptions;
use ngd_check::{Evidence, RationalBox};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};
use rand_pcg::Pcg64;
use rug::Float;

/// The search box in `f64`.
pub fn box_f64(bx: &RationalBox) -> BoxF {
    BoxF {
        lo: bx.lo.iter().map(Rational::to_f64).collect(),
        hi: bx.hi.iter().map(Rational::to_f64).collect(),
    }
}

/// What C2 needs to know about how `M` is described.
pub struct C2Setup<'a> {
    /// The recognised shape of `f`.
    pub structure: ObjectiveShape,
    /// How `M` is described.
    pub description: SetDescription,
    /// The structural lower bound.
    pub lower_bound: LowerBound,
    /// `inf f` as an exact rational when the structure gives it (`0`, or `c_0`).
    pub inf_value: Rational,
    /// `G`.
    pub cons: &'a Constraints,
    /// What the local dimension ranks.
    pub dim_method: DimensionMethod,
}

/// The samples of `M` and what they show.
struct Sampled {
    pts: Vec<Vec<f64>>,
    dimension: LocalDimension,
    components: Components,
    branches: Vec<Branch>,
}

/// Where `inf f` was certified (with the subsystem of the Krawczyk test) or only observed,
/// with the residual `|f - inf f|` there.
struct Attainment {
    refined: Vec<RefinedPoint>,
    attained: Option<(RefinedPoint, String, Vec<usize>)>,
    observed: Option<(RefinedPoint, String)>,
}

/// Samples `M`, its dimension and components, refined representatives and `inf f` (C2).
/// Returns the report, the samples, and the traced branches (curves only).
pub fn minimum_set(
    arena: &mut Arena,
    f: ExprId,
    setup: C2Setup<'_>,
    bx: &RationalBox,
    bxf: &BoxF,
    opts: &MinimaOptions,
    rng: &mut Pcg64,
) -> (MinimumSet, Vec<Vec<f64>>, Vec<Branch>) {
    let sampled = sample_m(setup.cons, setup.dim_method.clone(), bxf, opts, rng);
    let f_tape = Tape::compile(arena, &[f]);
    let att = refine_representatives(
        setup.cons,
        &f_tape,
        &sampled.components,
        &setup.inf_value,
        bx,
        bxf,
        opts,
    );
    let infimum = infimum_report(&att, &setup.inf_value, setup.lower_bound.evidence);
    let mut notes = Vec::new();
    if sampled.pts.is_empty() {
        notes.push(MinimumSetNote::NoZeroOfResiduals {
            starts: opts.samples,
        });
    }
    let evidence = if sampled.pts.is_empty() {
        Evidence::Inconclusive
    } else {
        Evidence::NumericalEvidence
    };
    let report = MinimumSet {
        structure: setup.structure,
        description: setup.description,
        lower_bound: setup.lower_bound,
        infimum,
        samples_drawn: opts.samples,
        samples_on_m: sampled.pts.len(),
        sample_points: sampled.pts.iter().take(64).cloned().collect(),
        refined: att.refined,
        dimension: sampled.dimension,
        components: sampled.components,
        evidence,
        notes,
    };
    (report, sampled.pts, sampled.branches)
}

/// Random starts projected onto `M` (deduplicated, inside the box), their local dimension
/// and their components.
fn sample_m(
    cons: &Constraints,
    dim_method: DimensionMethod,
    bxf: &BoxF,
    opts: &MinimaOptions,
    rng: &mut Pcg64,
) -> Sampled {
    let mut pts = Vec::new();
    sample_on_m(cons, bxf, opts.samples, rng, &mut pts);
    let dims = local_dimensions(cons, &pts);
    let dimension = dimension_report(&dims, dim_method, RANK_THRESHOLD);
    let dim = dimension.dimension.unwrap_or(cons.n.saturating_sub(cons.m));
    let (_, components, branches) = components(cons, &pts, dim, bxf);
    Sampled {
        pts,
        dimension,
        components,
        branches,
    }
}

/// One representative per component (at most `max_refined`) projected onto `M` in MPFR;
/// the first one whose zero a Krawczyk test proves is where `inf f` is attained.
fn refine_representatives(
    cons: &Constraints,
    f_tape: &Tape,
    comps: &Components,
    inf_value: &Rational,
    bx: &RationalBox,
    bxf: &BoxF,
    opts: &MinimaOptions,
) -> Attainment {
    let prec = precision_for(opts.digits);
    let inf_mp = Float::with_val(prec, inf_value);
    let mut att = Attainment {
        refined: Vec::new(),
        attained: None,
        observed: None,
    };
    for c in comps.components.iter().take(opts.max_refined) {
        let x0: Vec<Float> = c
            .representative
            .iter()
            .map(|&v| Float::with_val(prec, v))
            .collect();
        let Some((x, last)) = cons.project_mp(&x0, prec, opts.digits + 5, 60) else {
            continue;
        };
        let xf: Vec<f64> = x.iter().map(Float::to_f64).collect();
        if !bxf.contains(&xf) {
            continue;
        }
        let rp = refined_point(&x, last, opts.digits);
        let resid = f_tape
            .eval::<Float>(&prec, &x)
            .ok()
            .map(|v| fmt_mp(&Float::with_val(prec, &v[0] - &inf_mp).abs(), 3));
        if att.attained.is_none() {
            if let Some(sub) = prove_zero_near(cons, &xf, bx) {
                att.attained = Some((rp.clone(), resid.clone().unwrap_or_default(), sub));
            }
        }
        if att.observed.is_none() {
            att.observed = Some((rp.clone(), resid.unwrap_or_default()));
        }
        att.refined.push(rp);
    }
    att
}

/// `inf f`: proved when the bound is structural and attainment certified, numerical
/// evidence when only observed, inconclusive without a point of `M`.
fn infimum_report(att: &Attainment, inf_value: &Rational, bound: Evidence) -> Infimum {
    let inf_text = inf_value.to_string();
    match (&att.attained, &att.observed) {
        (Some((p, r, sub)), _) => Infimum {
            value: inf_text.clone(),
            evidence: if bound == Evidence::Proved {
                Evidence::Proved
            } else {
                Evidence::NumericalEvidence
            },
            attained_at: Some(p.clone()),
            residual: Some(r.clone()),
            method: InfimumMethod::StructuralBoundAttained {
                subsystem: sub.clone(),
                value: inf_text,
            },
        },
        (None, Some((p, r))) => Infimum {
            value: inf_text,
            evidence: Evidence::NumericalEvidence,
            attained_at: Some(p.clone()),
            residual: Some(r.clone()),
            method: InfimumMethod::NewtonZero,
        },
        _ => Infimum {
            value: inf_text,
            evidence: Evidence::Inconclusive,
            attained_at: None,
            residual: None,
            method: InfimumMethod::NoPointOfM,
        },
    }
}

/// When no zero of `g` (or `G`) was found in the box, `M` may still be `argmin f` with a
/// positive minimum: search it by minimization (the general path), keeping the structural
/// lower bound and saying what happened.
pub fn fallback_to_general(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    bx: &RationalBox,
    opts: &MinimaOptions,
    structural: MinimumSet,
) -> MinimaReport {
    let mut r = crate::general::analyse(arena, f, phi, bx, opts);
    let ms = &mut r.minimum_set;
    ms.structure = structural.structure;
    ms.lower_bound = structural.lower_bound;
    let mut notes = structural.notes;
    notes.push(if ms.samples_on_m == 0 {
        MinimumSetNote::MinimizationFoundNothing
    } else {
        MinimumSetNote::SearchedByMinimization {
            smallest: ms.infimum.value.clone(),
        }
    });
    notes.append(&mut ms.notes);
    ms.notes = notes;
    r
}
