//! The sign of `Q` at the sampled points of `M`: per branch (curves) or per component, the
//! excluded neighbourhood of `S`, the local region, and the exceptional points.

use crate::model::{Model, QValue};
use crate::report::{
    BranchPattern, ComponentPattern, ExceptionalKind, ExceptionalPoint, QSign, SignCounts,
    SignSegment,
};
use crate::{dist, norm, DecreaseOptions, MinimizerSet};
use ngd_minima::{MinimumSetProjector, MinimumSetSamples};
use std::ops::Range;

/// Decides the excluded neighbourhood of `S` and the local region around it.
pub(crate) struct Classifier<'a> {
    s: &'a MinimizerSet,
    rho: f64,
    local_factor: f64,
    /// For a set `S`: the range of `phi` over the samples.
    level_range: f64,
    pub exclusion: String,
    pub local_description: String,
}

impl<'a> Classifier<'a> {
    pub fn new(
        model: &Model,
        s: &'a MinimizerSet,
        samples: &MinimumSetSamples,
        opts: &DecreaseOptions,
    ) -> Classifier<'a> {
        let rho = opts.exclusion_radius;
        let lf = opts.local_factor;
        let (exclusion, local_description, level_range) = match s {
            MinimizerSet::Points(p) => (
                format!(
                    "balls of radius {rho} max(1, |s|) around the {} point(s) s of S",
                    p.len()
                ),
                format!(
                    "points of M at distance at most {} max(1, |s|) from a point s of S",
                    rho * lf
                ),
                0.0,
            ),
            MinimizerSet::Level { phi_min } => {
                let vals: Vec<f64> = samples
                    .points
                    .iter()
                    .map(|x| model.phi_value(x))
                    .filter(|v| v.is_finite())
                    .collect();
                let hi = vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let range = (hi - phi_min).max(0.0);
                (
                    format!(
                        "phi - min_M phi <= {:.3e} (= {rho}^2 times the range of phi over the \
                         samples; S is a set, min_M phi = {phi_min:.6e})",
                        rho * rho * range
                    ),
                    format!(
                        "points of M with phi - min_M phi <= {:.3e} (= ({}^2) times the range)",
                        (rho * lf) * (rho * lf) * range,
                        rho * lf
                    ),
                    range,
                )
            }
            MinimizerSet::Unknown => (
                "none (S was not located)".into(),
                "none (S was not located)".into(),
                0.0,
            ),
        };
        Classifier {
            s,
            rho,
            local_factor: lf,
            level_range,
            exclusion,
            local_description,
        }
    }

    fn within(&self, x: &[f64], phi: f64, factor: f64) -> bool {
        match self.s {
            MinimizerSet::Points(ps) => ps
                .iter()
                .any(|s| dist(x, s) <= factor * self.rho * norm(s).max(1.0)),
            MinimizerSet::Level { phi_min } => {
                phi.is_finite() && phi - phi_min <= (factor * self.rho).powi(2) * self.level_range
            }
            MinimizerSet::Unknown => false,
        }
    }

    /// For a set `S`: the excluded region is `phi - min_M phi <=` this.
    pub fn level_threshold(&self) -> f64 {
        self.rho * self.rho * self.level_range
    }

    /// In the excluded neighbourhood of `S`.
    pub fn near_s(&self, x: &[f64], phi: f64) -> bool {
        self.within(x, phi, 1.0)
    }

    /// In the local region around `S`.
    pub fn local(&self, x: &[f64], phi: f64) -> bool {
        self.within(x, phi, self.local_factor)
    }
}

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
    let inside = |x: &[f64]| x.iter().zip(bxf).all(|(v, (a, b))| v >= a && v <= b);
    let curve = samples.dimension == Some(1) && !samples.branches.is_empty();
    let mut raw: Vec<(Vec<f64>, usize)> = Vec::new();
    let mut branch_ranges = Vec::new();
    if curve {
        for (b, path) in samples.branches.iter().enumerate() {
            let start = raw.len();
            raw.extend(path.iter().filter(|x| inside(x)).map(|x| (x.clone(), b)));
            branch_ranges.push(start..raw.len());
        }
    } else {
        raw.extend(
            samples
                .points
                .iter()
                .cloned()
                .zip(samples.component.iter().copied()),
        );
    }
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

    let mut branches = Vec::new();
    let mut exceptional = Vec::new();
    let mut components = Vec::new();
    if curve {
        for (b, range) in branch_ranges.iter().enumerate() {
            let pts = &points[range.clone()];
            let mut segments: Vec<SignSegment> = Vec::new();
            for p in pts {
                let qf = p.q.as_ref().map(|v| v.q).filter(|v| v.is_finite());
                match segments.last_mut() {
                    Some(s) if s.sign == p.sign => {
                        s.to = p.x.clone();
                        s.points += 1;
                        if let Some(v) = qf {
                            s.q_range = Some(match s.q_range {
                                Some((lo, hi)) => (lo.min(v), hi.max(v)),
                                None => (v, v),
                            });
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
            // Exceptional points between neighbours of different definite classes.
            let definite =
                |s: QSign| matches!(s, QSign::Negative | QSign::Positive | QSign::Undefined);
            for w in pts.windows(2) {
                if definite(w[0].sign) && definite(w[1].sign) && w[0].sign != w[1].sign {
                    if let Some(e) = locate(model, projector, &w[0], &w[1], b, phi_median(pts)) {
                        exceptional.push(e);
                    }
                }
            }
            for e in poles(model, projector, pts, b) {
                if !exceptional.iter().any(|o| {
                    o.branch == b && dist(&o.point, &e.point) < 1e-2 * (1.0 + norm(&e.point))
                }) {
                    exceptional.push(e);
                }
            }
            branches.push(BranchPattern {
                index: b,
                points: pts.len(),
                closed: samples.branch_closed.get(b).copied().flatten(),
                contains_s: pts.iter().any(|p| p.sign == QSign::NearS),
                segments,
            });
        }
    } else {
        for c in 0..samples.n_components {
            let mut cc = SignCounts::default();
            let mut rep = None;
            let mut range: Option<(f64, f64)> = None;
            for p in points.iter().filter(|p| p.group == c) {
                count(&mut cc, p.sign);
                rep.get_or_insert_with(|| p.x.clone());
                if p.sign != QSign::NearS {
                    if let Some(v) = p.q.as_ref().map(|v| v.q).filter(|v| v.is_finite()) {
                        range = Some(match range {
                            Some((lo, hi)) => (lo.min(v), hi.max(v)),
                            None => (v, v),
                        });
                    }
                }
            }
            let Some(representative) = rep else { continue };
            components.push(ComponentPattern {
                index: c,
                representative,
                contains_s: cc.near_s > 0,
                counts: cc,
                q_range: range,
            });
        }
    }
    Pattern {
        points,
        branch_ranges,
        curve,
        counts,
        local_counts,
        branches,
        components,
        exceptional,
    }
}

/// Bisection along `M` between two neighbouring points of different classes.
fn locate(
    model: &Model,
    projector: &MinimumSetProjector,
    a: &PointInfo,
    b: &PointInfo,
    branch: usize,
    median_phi: f64,
) -> Option<ExceptionalPoint> {
    let (sa, sb) = (a.sign, b.sign);
    let mut lo = a.x.clone();
    let mut hi = b.x.clone();
    let mut q_lo = a.q.as_ref().map(|v| v.q);
    let mut q_hi = b.q.as_ref().map(|v| v.q);
    let mut collapsed_from = None;
    for _ in 0..60 {
        let d = dist(&lo, &hi);
        if d <= 1e-13 * (1.0 + norm(&lo)) {
            break;
        }
        let mid: Vec<f64> = lo.iter().zip(&hi).map(|(x, y)| 0.5 * (x + y)).collect();
        let Some(m) = projector.project(&mid, d) else {
            break;
        };
        if dist(&m, &lo) > d || dist(&m, &hi) > d {
            break;
        }
        let qm = model.q(&m);
        match sign_of(&qm) {
            s if s == sa => {
                lo = m;
                q_lo = qm.map(|v| v.q);
            }
            s if s == sb => {
                hi = m;
                q_hi = qm.map(|v| v.q);
            }
            _ => {
                // Q is zero or undefined here: the change happens at (or next to) this point.
                collapsed_from = Some(d);
                lo = m.clone();
                hi = m;
                break;
            }
        }
    }
    let point: Vec<f64> = lo.iter().zip(&hi).map(|(x, y)| 0.5 * (x + y)).collect();
    let start_mag = [a.q.as_ref(), b.q.as_ref()]
        .iter()
        .flatten()
        .map(|v| v.q.abs())
        .fold(0.0, f64::max);
    let end_mag = [q_lo, q_hi]
        .iter()
        .flatten()
        .map(|v| v.abs())
        .fold(0.0, f64::max);
    // Q changing sign while growing without bound is a pole of phi, not a smooth crossing.
    let phi_there = model.phi_value(&point).abs();
    let through_pole = end_mag > 1e6 * start_mag.max(1e-300)
        || !phi_there.is_finite()
        || phi_there > 1e4 * median_phi;
    let kind = if sa == QSign::Undefined || sb == QSign::Undefined || through_pole {
        ExceptionalKind::Pole
    } else {
        ExceptionalKind::SignChange
    };
    Some(ExceptionalPoint {
        branch,
        point,
        kind,
        between: (sa, sb),
        bracket: collapsed_from.unwrap_or_else(|| dist(&lo, &hi)),
    })
}

/// The median of `|phi|` over the points of a branch where it is finite.
fn phi_median(pts: &[PointInfo]) -> f64 {
    let mut v: Vec<f64> = pts
        .iter()
        .filter_map(|p| p.q.as_ref().map(|q| q.phi.abs()))
        .filter(|v| v.is_finite())
        .collect();
    if v.is_empty() {
        return f64::INFINITY;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2].max(1e-300)
}

/// Poles of `phi` on a branch that `Q` does not change sign across: local maxima of `|phi|`
/// along the path that exceed `1e4` times its median, refined by ternary search along `M`
/// (each trial point projected back); kept when `phi` is at least `1e8` times its median
/// there or undefined.
fn poles(
    model: &Model,
    projector: &MinimumSetProjector,
    pts: &[PointInfo],
    branch: usize,
) -> Vec<ExceptionalPoint> {
    let mag: Vec<f64> = pts
        .iter()
        .map(|p| p.q.as_ref().map_or(f64::INFINITY, |v| v.phi.abs()))
        .collect();
    let mut finite: Vec<f64> = mag.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.len() < 3 {
        return Vec::new();
    }
    finite.sort_by(f64::total_cmp);
    let median = finite[finite.len() / 2].max(1e-300);
    let mut out = Vec::new();
    for i in 1..pts.len().saturating_sub(1) {
        if !(mag[i] > 1e4 * median && mag[i] >= mag[i - 1] && mag[i] >= mag[i + 1]) {
            continue;
        }
        // Ternary search for the largest |phi| on the polyline p[i-1] - p[i] - p[i+1].
        let at = |t: f64| -> Option<(Vec<f64>, f64)> {
            let (a, b, s) = if t < 0.5 {
                (&pts[i - 1].x, &pts[i].x, 2.0 * t)
            } else {
                (&pts[i].x, &pts[i + 1].x, 2.0 * t - 1.0)
            };
            let y: Vec<f64> = a.iter().zip(b).map(|(u, v)| u + s * (v - u)).collect();
            let m = projector.project(&y, dist(a, b).max(1e-300))?;
            let v = model.phi_value(&m).abs();
            Some((m, if v.is_nan() { f64::INFINITY } else { v }))
        };
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        let mut best = (pts[i].x.clone(), mag[i]);
        for _ in 0..80 {
            let t1 = lo + (hi - lo) / 3.0;
            let t2 = hi - (hi - lo) / 3.0;
            let (Some(v1), Some(v2)) = (at(t1), at(t2)) else {
                break;
            };
            for v in [&v1, &v2] {
                if v.1 > best.1 {
                    best = v.clone();
                }
            }
            if v1.1 < v2.1 {
                lo = t1;
            } else {
                hi = t2;
            }
        }
        if best.1 >= 1e8 * median {
            out.push(ExceptionalPoint {
                branch,
                point: best.0,
                kind: ExceptionalKind::Pole,
                between: (pts[i - 1].sign, pts[i + 1].sign),
                bracket: (hi - lo)
                    * (dist(&pts[i - 1].x, &pts[i].x) + dist(&pts[i].x, &pts[i + 1].x)),
            });
        }
    }
    out
}
