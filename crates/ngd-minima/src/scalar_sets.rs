//! The sets of positive dimension of the scalar path (docs/math.md section 2, C3): the flat set
//! when the sharpness is constant on `M`, the components of Lagrange levels, and the set
//! distances between `S` and the flat set.

use crate::closed_form::small_rational;
use crate::critical_sets::{components, newton_pinv, SetLevel};
use crate::explain::DimensionMethod;
use crate::explain::FlatNote;
use crate::linalg::{dist, norm};
use crate::minset::{dimension_report, local_dimensions, sample_on_m, RANK_THRESHOLD};
use crate::model::{BoxF, Constraints, LagrangeSystem};
use crate::sets::*;
use ngd_check::{Evidence, Structure};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};
use rand_pcg::Pcg64;
use rug::Float;

/// Relative tolerance for the sharpness to count as constant on the samples of `M`.
pub const CONSTANT_TOLERANCE: f64 = 1e-9;

/// The remark "the sharpness is constant on `M`" when `s` takes one value (to
/// [`CONSTANT_TOLERANCE`]) on every sample of `M` (at least two samples).
pub fn constant_sharpness(s_tape: &Tape, pts: &[Vec<f64>]) -> Option<FlatNote> {
    if pts.len() < 2 {
        return None;
    }
    let mut scratch = Vec::new();
    let mut out = [0.0];
    let mut vals = Vec::with_capacity(pts.len());
    for p in pts {
        s_tape.eval_f64(p, &mut scratch, &mut out);
        if !out[0].is_finite() {
            return None;
        }
        vals.push(out[0]);
    }
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let value = vals.iter().sum::<f64>() / vals.len() as f64;
    let spread = hi - lo;
    (spread <= CONSTANT_TOLERANCE * value.abs().max(1.0)).then_some(
        FlatNote::SharpnessConstantOnM {
            value,
            spread,
            samples: pts.len(),
            tolerance: CONSTANT_TOLERANCE,
        },
    )
}

/// The flat set when it is `M`: one component of the dimension of `M`, `g = 0`.
pub fn whole_m(
    g: &str,
    value: f64,
    dimension: usize,
    pts: &[Vec<f64>],
    in_report: bool,
) -> SetComponent {
    let sample = spread_subset(pts, SAMPLE_CAP);
    SetComponent {
        dimension,
        dimension_method: SetDimensionMethod::WholeM,
        value,
        multiplier: None,
        class: SetClass::ConstantOnM,
        transversal_eigenvalues: Vec::new(),
        global: true,
        equations: Some(SetEquations::WholeM { g: g.to_string() }),
        representatives: sample.iter().take(REPRESENTATIVES).cloned().collect(),
        certified: Vec::new(),
        points_found: pts.len(),
        sample_in_report: in_report.then(|| sample.clone()),
        sample,
        evidence: Evidence::NumericalEvidence,
    }
}

/// A short rational for `x` (denominator at most 1000, relative accuracy `1e-9`), else a
/// 10-digit decimal.
pub fn short_number(x: f64) -> String {
    let v = Float::with_val(64, x);
    let tol = Float::with_val(64, 1e-9 * x.abs().max(1.0));
    match small_rational(&v, 1000, &tol) {
        Some(q) => q.to_string(),
        None => format!("{x:.10e}"),
    }
}

/// The components of the levels as report entries; `equations` describes a level.
pub fn level_components(
    levels: &[SetLevel],
    link: f64,
    in_report: bool,
    equations: impl Fn(&SetLevel) -> Option<SetEquations>,
) -> Vec<SetComponent> {
    components(levels, link)
        .into_iter()
        .map(|c| SetComponent {
            dimension: c.level.dimension,
            dimension_method: c.level.method.clone(),
            value: c.level.value,
            multiplier: Some(c.level.multiplier),
            class: c.level.class,
            transversal_eigenvalues: c.level.transversal.clone(),
            global: false,
            equations: equations(c.level),
            representatives: c.representatives(),
            certified: Vec::new(),
            points_found: c.points,
            sample_in_report: in_report.then(|| c.sample.clone()),
            sample: c.sample,
            evidence: Evidence::NumericalEvidence,
        })
        .collect()
}

/// A set as the distances see it: points (isolated ones and samples of components), the
/// levels of `h` it lies on, and the Lagrange system whose solutions it is made of (`None`
/// for `M` itself).
pub struct SetView<'a> {
    /// Isolated points and component samples.
    pub points: Vec<Vec<f64>>,
    /// The values of `h` on its parts.
    pub levels: Vec<f64>,
    /// The Lagrange system of `h` on `M`, or `None` when the set is `M`.
    pub sys: Option<&'a LagrangeSystem>,
}

/// The distance from `y` to the set: to its nearest sampled point, or to the Lagrange point
/// that pseudo-inverse Newton from `y` reaches when it lies on one of the set's levels; for
/// `M` itself the length of the projection onto `M`.
fn distance_to(view: &SetView<'_>, y: &[f64], cons: &Constraints, bx: &BoxF) -> f64 {
    let mut scratch = Vec::new();
    let Some(sys) = view.sys else {
        return cons
            .project(y, 0.5 * bx.diameter(), &mut scratch)
            .map_or(f64::INFINITY, |p| dist(&p.x, y));
    };
    let mut d = view
        .points
        .iter()
        .map(|p| dist(p, y))
        .fold(f64::INFINITY, f64::min);
    let landed = sys
        .multiplier(y, &mut scratch)
        .and_then(|lam| newton_pinv(sys, y, lam, 0.25 * bx.diameter()));
    if let Some((z, _)) = landed {
        let on_level = sys.eval_f64(&z, &mut scratch).is_some_and(|v| {
            view.levels
                .iter()
                .any(|l| (v.h - l).abs() <= 1e-8 * (1.0 + l.abs()))
        });
        if on_level && bx.contains(&z) {
            d = d.min(dist(&z, y));
        }
    }
    d
}

/// The largest distance from the points of `from` to the set `to`, and the farthest point
/// when it is beyond tolerance.
fn one_sided(
    from: &[Vec<f64>],
    to: &SetView<'_>,
    cons: &Constraints,
    bx: &BoxF,
) -> (f64, Option<Vec<f64>>) {
    let mut max_d = 0.0f64;
    let mut out: Option<(f64, Vec<f64>)> = None;
    for y in from {
        let d = distance_to(to, y, cons, bx);
        max_d = max_d.max(d);
        let beyond = d > SET_TOLERANCE * norm(y).max(1.0);
        if beyond && out.as_ref().is_none_or(|(w, _)| d > *w) {
            out = Some((d, y.clone()));
        }
    }
    (max_d, out.map(|(_, y)| y))
}

/// `S` against the flat set by both one-sided distances over their samples.
pub fn compare_sets(
    s: &SetView<'_>,
    flat: &SetView<'_>,
    cons: &Constraints,
    bx: &BoxF,
) -> SetComparison {
    let (d_sf, s_out) = one_sided(&s.points, flat, cons, bx);
    let (d_fs, f_out) = one_sided(&flat.points, s, cons, bx);
    SetComparison {
        s_in_flat: s_out.is_none(),
        flat_in_s: f_out.is_none(),
        max_distance_s_to_flat: d_sf,
        max_distance_flat_to_s: d_fs,
        tolerance: SET_TOLERANCE,
        s_samples: s.points.len(),
        flat_samples: flat.points.len(),
        s_point_not_flat: s_out,
        flat_point_not_in_s: f_out,
        evidence: Evidence::NumericalEvidence,
    }
}

/// True when `y` is within tolerance of the set.
pub fn on_set(view: &SetView<'_>, y: &[f64], cons: &Constraints, bx: &BoxF) -> bool {
    distance_to(view, y, cons, bx) <= SET_TOLERANCE * norm(y).max(1.0)
}

/// The residuals `q_i` of `phi` when ngd-check recognises `phi` as an even function of one
/// residual, a weighted sum of squares or a sum of losses: then `phi` is smallest exactly where every `q_i`
/// vanishes (when that value is `min_M phi`, checked on the samples by the caller).
pub fn phi_residuals(arena: &Arena, phi: ExprId) -> Option<Vec<ExprId>> {
    match Structure::detect(arena, phi) {
        Structure::Scalar { g, .. } => Some(vec![g]),
        Structure::LeastSquares { residuals } => Some(residuals.iter().map(|r| r.1).collect()),
        // `phi = sum c_i h_i(q_i) + c_0 >= c_0`, with equality exactly where every `q_i = 0`.
        Structure::Sum { terms, .. } => Some(terms.iter().map(|t| t.g).collect()),
        Structure::General => None,
    }
}

/// `S = {g = 0, q_1 = 0, ...}` sampled like `M` in C2 (random points of the box projected by
/// minimum-norm Gauss–Newton, so the samples are spread over the set rather than gathered
/// where sheets cross), when the samples have positive dimension (`n - rank` of the Jacobian
/// of the system, most frequent value) and `phi` equals `best` on them. Components by single
/// linkage at `link` (samples of a set spread through the box are sparse: the caller passes a
/// longer link than for Newton landings).
#[allow(clippy::too_many_arguments)]
pub fn zero_set_components(
    arena: &mut Arena,
    g: ExprId,
    phi: ExprId,
    best: f64,
    bx: &BoxF,
    samples: usize,
    link: f64,
    in_report: bool,
    rng: &mut Pcg64,
) -> Option<Vec<SetComponent>> {
    let qs = phi_residuals(arena, phi)?;
    let mut eqs = vec![g];
    eqs.extend(&qs);
    let cons = Constraints::new(arena, &eqs);
    let mut pts = Vec::new();
    sample_on_m(&cons, bx, samples, rng, &mut pts);
    let phi_tape = Tape::compile(arena, &[phi]);
    let (mut scratch, mut out) = (Vec::new(), [0.0]);
    let on_level = pts.iter().all(|p| {
        phi_tape.eval_f64(p, &mut scratch, &mut out);
        (out[0] - best).abs() <= 1e-9 * (1.0 + best.abs())
    });
    let dims = local_dimensions(&cons, &pts);
    let dim = dimension_report(&dims, DimensionMethod::JacobianRank, RANK_THRESHOLD).dimension?;
    if pts.is_empty() || !on_level || dim == 0 {
        return None;
    }
    let texts: Vec<String> = eqs.iter().map(|&e| arena.display(e)).collect();
    let comps = single_linkage(&pts, link)
        .into_iter()
        .map(|group| {
            let members: Vec<Vec<f64>> = group.iter().map(|&i| pts[i].clone()).collect();
            let sample = spread_subset(&members, SAMPLE_CAP);
            SetComponent {
                dimension: dim,
                dimension_method: SetDimensionMethod::ZeroSetRank {
                    equations: eqs.len(),
                    threshold: RANK_THRESHOLD,
                },
                value: best,
                multiplier: None,
                class: SetClass::Minimum,
                transversal_eigenvalues: Vec::new(),
                global: true,
                equations: Some(SetEquations::ZeroSet {
                    equations: texts.clone(),
                }),
                representatives: sample.iter().take(REPRESENTATIVES).cloned().collect(),
                certified: Vec::new(),
                points_found: members.len(),
                sample_in_report: in_report.then(|| sample.clone()),
                sample,
                evidence: Evidence::NumericalEvidence,
            }
        })
        .collect();
    Some(comps)
}
