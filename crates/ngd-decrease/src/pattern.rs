//! The sign of `Q` at the sampled points of `M`: per branch (curves) or per component,
//! with the exceptional points of each branch.

use crate::exceptional::branch_exceptional;
use crate::model::{Model, QValue};
use crate::neighbourhoods::Classifier;
use crate::report::{
    BranchPattern, ComponentPattern, ExceptionalPoint, QSign, SignCounts, SignSegment,
};
use ngd_minima::{MinimumSetProjector, MinimumSetSamples};
use std::ops::Range;

/// A point of `M` with its branch or component.
type Tagged = (Vec<f64>, usize);

/// One classified point of `M`.
pub(crate) struct PointInfo {
    pub x: Vec<f64>,
    pub q: Option<QValue>,
    pub sign: QSign,
    pub local: bool,
    /// Branch (curves) or component index.
    pub group: usize,
}

/// The classified samples.
pub(crate) struct Pattern {
    pub points: Vec<PointInfo>,
    /// For curves: the index range of each branch in `points`, in order along it.
    pub branch_ranges: Vec<Range<usize>>,
    pub curve: bool,
    pub counts: SignCounts,
    pub local_counts: SignCounts,
    pub branches: Vec<BranchPattern>,
    pub components: Vec<ComponentPattern>,
    pub exceptional: Vec<ExceptionalPoint>,
}

fn count(c: &mut SignCounts, s: QSign) {
    match s {
        QSign::Negative => c.negative += 1,
        QSign::Positive => c.positive += 1,
        QSign::Zero => c.zero += 1,
        QSign::Undefined => c.undefined += 1,
        QSign::NearS => c.near_s += 1,
    }
}

/// `Q` counts as zero when `|Q| <= ZERO_REL |Hess phi|_F` at the point (rounding in `Q`
/// is of order `1e-16 |Hess phi|`).
const ZERO_REL: f64 = 1e-9;

pub(crate) fn sign_of(q: &Option<QValue>) -> QSign {
    match q {
        None => QSign::Undefined,
        Some(v) if !v.q.is_finite() => QSign::Undefined,
        Some(v) if v.q < -ZERO_REL * v.scale => QSign::Negative,
        Some(v) if v.q > ZERO_REL * v.scale => QSign::Positive,
        Some(_) => QSign::Zero,
    }
}

/// Classifies the samples (for curves: the points of the traced branches inside the box).
pub(crate) fn sign_pattern(
    ctx: &Classifier<'_>,
    model: &Model,
    projector: &MinimumSetProjector,
    samples: &MinimumSetSamples,
    bxf: &[(f64, f64)],
) -> Pattern {
    let curve = samples.dimension == Some(1) && !samples.branches.is_empty();
    let (raw, branch_ranges) = if curve {
        branch_points(samples, bxf)
    } else {
        let raw = samples
            .points
            .iter()
            .cloned()
            .zip(samples.component.iter().copied())
            .collect();
        (raw, Vec::new())
    };
    let (points, counts, local_counts) = classify(ctx, model, raw);
    let mut pat = Pattern {
        points,
        branch_ranges,
        curve,
        counts,
        local_counts,
        branches: Vec::new(),
        components: Vec::new(),
        exceptional: Vec::new(),
    };
    if curve {
        for (b, range) in pat.branch_ranges.iter().enumerate() {
            let pts = &pat.points[range.clone()];
            pat.exceptional.extend(branch_exceptional(
                model,
                projector,
                pts,
                b,
                &pat.exceptional,
            ));
            pat.branches.push(BranchPattern {
                index: b,
                points: pts.len(),
                closed: samples.branch_closed.get(b).copied().flatten(),
                contains_s: pts.iter().any(|p| p.sign == QSign::NearS),
                segments: segments(pts),
            });
        }
    } else {
        pat.components = (0..samples.n_components)
            .filter_map(|c| component_pattern(&pat.points, c))
            .collect();
    }
    pat
}

/// The points of each traced branch inside the box `bxf`, tagged with the branch, and the
/// index range of each branch among them.
fn branch_points(
    samples: &MinimumSetSamples,
    bxf: &[(f64, f64)],
) -> (Vec<Tagged>, Vec<Range<usize>>) {
    let inside = |x: &[f64]| x.iter().zip(bxf).all(|(v, (a, b))| v >= a && v <= b);
    let mut raw: Vec<Tagged> = Vec::new();
    let mut ranges = Vec::new();
    for (b, path) in samples.branches.iter().enumerate() {
        let start = raw.len();
        raw.extend(path.iter().filter(|x| inside(x)).map(|x| (x.clone(), b)));
        ranges.push(start..raw.len());
    }
    (raw, ranges)
}

/// `Q` and its sign class at each point (near `S` first), with the counts overall and in
/// the local region.
fn classify(
    ctx: &Classifier<'_>,
    model: &Model,
    raw: Vec<Tagged>,
) -> (Vec<PointInfo>, SignCounts, SignCounts) {
    let qs: Vec<Option<QValue>> = raw.iter().map(|(x, _)| model.q(x)).collect();
    let mut points = Vec::with_capacity(raw.len());
    let mut counts = SignCounts::default();
    let mut local_counts = SignCounts::default();
    for ((x, group), q) in raw.into_iter().zip(qs) {
        let phi = q.as_ref().map_or(f64::NAN, |v| v.phi);
        let near = ctx.near_s(&x, phi);
        let sign = if near { QSign::NearS } else { sign_of(&q) };
        let local = ctx.local(&x, phi);
        count(&mut counts, sign);
        if local {
            count(&mut local_counts, sign);
        }
        points.push(PointInfo {
            x,
            q,
            sign,
            local,
            group,
        });
    }
    (points, counts, local_counts)
}

/// Widens `range` to contain `v`.
fn widen(range: Option<(f64, f64)>, v: f64) -> Option<(f64, f64)> {
    Some(match range {
        Some((lo, hi)) => (lo.min(v), hi.max(v)),
        None => (v, v),
    })
}

/// The maximal stretches of constant sign class along the points of one branch.
fn segments(pts: &[PointInfo]) -> Vec<SignSegment> {
    let mut segments: Vec<SignSegment> = Vec::new();
    for p in pts {
        let qf = p.q.as_ref().map(|v| v.q).filter(|v| v.is_finite());
        match segments.last_mut() {
            Some(s) if s.sign == p.sign => {
                s.to = p.x.clone();
                s.points += 1;
                if let Some(v) = qf {
                    s.q_range = widen(s.q_range, v);
                }
            }
            _ => segments.push(SignSegment {
                sign: p.sign,
                from: p.x.clone(),
                to: p.x.clone(),
                points: 1,
                q_range: qf.map(|v| (v, v)),
            }),
        }
    }
    segments
}
/// The sign counts of component `c` (`None` when no sample lies on it).
fn component_pattern(points: &[PointInfo], c: usize) -> Option<ComponentPattern> {
    let mut cc = SignCounts::default();
    let mut rep = None;
    let mut range: Option<(f64, f64)> = None;
    for p in points.iter().filter(|p| p.group == c) {
        count(&mut cc, p.sign);
        rep.get_or_insert_with(|| p.x.clone());
        if p.sign != QSign::NearS {
            if let Some(v) = p.q.as_ref().map(|v| v.q).filter(|v| v.is_finite()) {
                range = widen(range, v);
            }
        }
    }
    Some(ComponentPattern {
        index: c,
        representative: rep?,
        contains_s: cc.near_s > 0,
        counts: cc,
        q_range: range,
    })
}
