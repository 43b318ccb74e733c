//! Sets of positive dimension as first-class results of C3 (docs/math.md section 2, C3): the
//! flat set, `S = argmin_M phi` and the Lagrange critical sets, each a list of components with
//! a dimension, a few representatives, a bounded sample and, where the structure gives one, an
//! equation description; and the comparison of `S` with the flat set by a set distance.
//!
//! Everything here is numerical evidence: the dimension is the number of null directions of
//! the projected Hessian along which Newton continues on the set, or the dimension of `M`.

use crate::report::MinimaReport;
use ngd_check::Evidence;
use serde::Serialize;

/// At most this many sampled points are kept per component (for plots and set distances).
pub const SAMPLE_CAP: usize = 64;

/// At most this many representatives are reported per component.
pub const REPRESENTATIVES: usize = 3;

/// Relative tolerance of the set distances: `x` is on a set when its distance to it is at most
/// `SET_TOLERANCE * max(1, |x|)`.
pub const SET_TOLERANCE: f64 = 1e-6;

/// Equations that describe a component (as far as the structure gives them).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SetEquations {
    /// The component is (a component of) `M` itself: `g = 0`.
    WholeM {
        /// The expression `g`.
        g: String,
    },
    /// `M` cut by a level of `phi`: `g = 0, phi = value` (`S` is this set by definition,
    /// with `value = min_M phi` as found).
    PhiLevel {
        /// The expression `g`.
        g: String,
        /// The expression `phi`.
        phi: String,
        /// The level (`"0"` when recognised as zero, else a decimal).
        value: String,
    },
    /// The common zeros of `g` and the residuals `q_i` of `phi` (`phi` a weighted sum of
    /// squares or an even function of them): `S` when `min_M phi` is attained where every
    /// `q_i` vanishes.
    ZeroSet {
        /// The expressions that vanish: `g`, then the `q_i`.
        equations: Vec<String>,
    },
    /// A set of Lagrange points with one multiplier: `g = 0, grad h = lambda grad g`.
    LagrangeMultiplier {
        /// The expression `g`.
        g: String,
        /// The function `h` (`"s"` for the sharpness, `"phi"`).
        function: String,
        /// The multiplier (a short rational when recognised, else a decimal).
        multiplier: String,
    },
}

/// The type of a component as a set of Lagrange points: the signs of the projected Hessian
/// transversally to the set (its null directions along the set removed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SetClass {
    /// The function is constant on `M` near the set (the set is open in `M`): each point is a
    /// (non-strict) local minimum and maximum.
    ConstantOnM,
    /// Transversally positive definite: each point is a non-strict local minimum on `M`.
    Minimum,
    /// Transversally negative definite.
    Maximum,
    /// Eigenvalues of both signs transversally.
    Saddle,
    /// More null directions than the dimension of the set: not decided.
    Undecided,
}

impl SetClass {
    /// True for the classes whose points are local minima on `M`.
    pub fn is_minimum(self) -> bool {
        matches!(self, SetClass::ConstantOnM | SetClass::Minimum)
    }
}

/// How the dimension of a component was estimated.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SetDimensionMethod {
    /// The component is `M`: its dimension is C2's local dimension (`n - rank grad g`).
    WholeM,
    /// The set is sampled as the common zeros of `equations` functions (random points
    /// projected by minimum-norm Gauss–Newton); its dimension is `n - rank` of their Jacobian
    /// at the samples (relative singular-value threshold `threshold`), most frequent value.
    ZeroSetRank {
        /// The number of equations.
        equations: usize,
        /// The relative singular-value threshold.
        threshold: f64,
    },
    /// The projected Hessian of the Lagrangian has `null_directions` numerically zero
    /// eigenvalues (relative threshold `threshold`) at a point of the set; Newton on the
    /// Lagrange system from the point moved by `step` (relative) along each of them landed
    /// back on the same level next to the moved start along `continued` independent ones.
    ContinuedNullDirections {
        /// Numerically zero eigenvalues of the projected Hessian.
        null_directions: usize,
        /// The rank of the displacements of the landings.
        continued: usize,
        /// The relative threshold for a zero eigenvalue.
        threshold: f64,
        /// The relative step along each null direction.
        step: f64,
    },
}

/// One component of a set of positive dimension.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SetComponent {
    /// Its dimension (numerical).
    pub dimension: usize,
    /// How the dimension was found.
    pub dimension_method: SetDimensionMethod,
    /// The function on the set (the sharpness, or `phi`).
    pub value: f64,
    /// The Lagrange multiplier on the set (constant along a connected set of Lagrange points),
    /// `None` for `M` itself.
    pub multiplier: Option<f64>,
    /// The type of its points as Lagrange points.
    pub class: SetClass,
    /// Eigenvalues of the projected Hessian at the first representative without the
    /// `dimension` smallest in absolute value (ascending).
    pub transversal_eigenvalues: Vec<f64>,
    /// True when its value is the smallest among the local minima found (ties included).
    pub global: bool,
    /// Equations that describe it, when the structure gives them.
    pub equations: Option<SetEquations>,
    /// A few points of it (`f64`, mutually far apart).
    pub representatives: Vec<Vec<f64>>,
    /// Boxes around representatives proved to contain a point of the set of its equations
    /// ([`crate::EquationSystem::certify`]); empty when none was certified or tried.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certified: Vec<crate::CertifiedPoint>,
    /// Points of it found (stored Newton landings, at most a few hundred per level, or
    /// projected samples); its sample is a spread-out subset of at most [`SAMPLE_CAP`].
    pub points_found: usize,
    /// The sample in the JSON report, only when asked (`MinimaOptions::set_samples`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_in_report: Option<Vec<Vec<f64>>>,
    /// The bounded sample (at most [`SAMPLE_CAP`] points, spread out), for plots and set
    /// distances; not serialized.
    #[serde(skip)]
    pub sample: Vec<Vec<f64>>,
    /// Numerical evidence.
    pub evidence: Evidence,
}

/// `S` against the flat set by set distances over their samples (numerical evidence).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SetComparison {
    /// Every sampled point of `S` is within tolerance of the flat set ("S is flat").
    pub s_in_flat: bool,
    /// Every sampled point of the flat set is within tolerance of `S`.
    pub flat_in_s: bool,
    /// The largest distance from a sampled point of `S` to the flat set.
    pub max_distance_s_to_flat: f64,
    /// The largest distance from a sampled point of the flat set to `S`.
    pub max_distance_flat_to_s: f64,
    /// The relative tolerance: on a set when the distance is at most `tolerance * max(1, |x|)`.
    pub tolerance: f64,
    /// Sampled points of `S` compared.
    pub s_samples: usize,
    /// Sampled points of the flat set compared.
    pub flat_samples: usize,
    /// The point of `S` farthest from the flat set, when it is not within tolerance (a point
    /// of `S` that is not flat).
    pub s_point_not_flat: Option<Vec<f64>>,
    /// The point of the flat set farthest from `S`, when it is not within tolerance.
    pub flat_point_not_in_s: Option<Vec<f64>>,
    /// Numerical evidence.
    pub evidence: Evidence,
}

/// A bounded sample of the flat set found by C3 (at most [`SAMPLE_CAP`] points per
/// component): the isolated flat points, the samples of the flat components of positive
/// dimension, and the representatives of the Morse–Bott flat sets. Empty when C3 found none.
/// For the harness (near-flat fraction) and plots.
pub fn flat_set_sample(report: &MinimaReport) -> Vec<Vec<f64>> {
    let flat = &report.flat;
    let mut out: Vec<Vec<f64>> = flat
        .flat_points
        .iter()
        .map(|p| p.point.approx.clone())
        .collect();
    for c in &flat.components {
        out.extend(c.sample.iter().cloned());
    }
    for s in &flat.flat_sets {
        out.extend(s.representatives.iter().take(SAMPLE_CAP).cloned());
    }
    out
}

/// Up to `cap` points of `pts` spread out by farthest-point selection from the first one
/// (deterministic: ties go to the earliest point).
pub fn spread_subset(pts: &[Vec<f64>], cap: usize) -> Vec<Vec<f64>> {
    farthest_order(pts, cap)
        .into_iter()
        .map(|i| pts[i].clone())
        .collect()
}

/// Indices of `cap` points chosen greedily, each the farthest from those already chosen.
fn farthest_order(pts: &[Vec<f64>], cap: usize) -> Vec<usize> {
    let mut chosen = Vec::new();
    if pts.is_empty() || cap == 0 {
        return chosen;
    }
    let mut best = vec![f64::INFINITY; pts.len()];
    let mut next = 0usize;
    while chosen.len() < cap.min(pts.len()) {
        chosen.push(next);
        let mut far = (0usize, -1.0f64);
        for (i, p) in pts.iter().enumerate() {
            let d = crate::linalg::dist(p, &pts[next]);
            best[i] = best[i].min(d);
            if best[i] > far.1 {
                far = (i, best[i]);
            }
        }
        if far.1 <= 0.0 {
            break;
        }
        next = far.0;
    }
    chosen
}

/// Groups of `pts` joined by chains of steps at most `link` long (single linkage), each
/// listed in the order of its first point.
pub fn single_linkage(pts: &[Vec<f64>], link: f64) -> Vec<Vec<usize>> {
    let mut label: Vec<Option<usize>> = vec![None; pts.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for start in 0..pts.len() {
        if label[start].is_some() {
            continue;
        }
        let id = groups.len();
        let mut members = vec![start];
        label[start] = Some(id);
        let mut k = 0;
        while k < members.len() {
            let a = members[k];
            for b in 0..pts.len() {
                if label[b].is_none() && crate::linalg::dist(&pts[a], &pts[b]) <= link {
                    label[b] = Some(id);
                    members.push(b);
                }
            }
            k += 1;
        }
        members.sort_unstable();
        groups.push(members);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_subset_keeps_extremes_and_is_bounded() {
        let pts: Vec<Vec<f64>> = (0..200).map(|k| vec![k as f64 / 199.0]).collect();
        let s = spread_subset(&pts, 5);
        assert_eq!(s.len(), 5);
        assert_eq!(s[0], vec![0.0]);
        assert_eq!(s[1], vec![1.0]);
        assert!(spread_subset(&pts[..3], 64).len() == 3);
        assert!(spread_subset(&[], 4).is_empty());
    }

    #[test]
    fn single_linkage_splits_far_groups() {
        let mut pts: Vec<Vec<f64>> = (0..10).map(|k| vec![k as f64 * 0.1, 0.0]).collect();
        pts.extend((0..10).map(|k| vec![k as f64 * 0.1, 5.0]));
        let g = single_linkage(&pts, 0.15);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0], (0..10).collect::<Vec<_>>());
    }
}
