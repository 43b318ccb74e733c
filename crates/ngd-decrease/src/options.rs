//! The settings of C4 and the minimizer set `S` it is given.

use crate::{dist, norm};
use ngd_minima::MinimaReport;

/// Settings of [`crate::check_decrease`].
#[derive(Clone, Debug, PartialEq)]
pub struct DecreaseOptions {
    /// Random points of the box projected onto `M`.
    pub samples: usize,
    /// Seed of the sampling.
    pub seed: u64,
    /// Radius of the excluded neighbourhoods of isolated points of `S`, relative to
    /// `max(1, |s|)` (max norm; the exact cover excludes the box of its bisection grid that
    /// contains this ball); for a set `S` the excluded region is
    /// `phi - min phi <= radius^2 * (range of phi over the samples)`.
    pub exclusion_radius: f64,
    /// The local region around `S` is this many exclusion radii.
    pub local_factor: f64,
    /// Boxes the exact cover examines at most (`n <= 3`).
    pub max_boxes: usize,
    /// Boxes the closing argument of one excluded neighbourhood examines at most.
    pub closure_boxes: usize,
    /// Bisections per side of the search box before a box of the exact cover is left
    /// undecided; for `n > 3`, halvings of a stretch of `M` (or of a box) in the sampled
    /// cover.
    pub max_depth: u32,
    /// Trial boxes (interval evaluations) of the sampled cover (`n > 3`) at most.
    pub max_trials: usize,
    /// Points at which the decrease order is fitted.
    pub order_points: usize,
    /// MPFR precision (bits) of the order fits.
    pub precision: u32,
    /// The power `p` of the schedule `a_k = a0/(k+1)^p`, to compare with `1/q`.
    pub schedule_power: Option<f64>,
}

impl Default for DecreaseOptions {
    fn default() -> Self {
        DecreaseOptions {
            samples: 400,
            seed: 1,
            exclusion_radius: 0.02,
            local_factor: 10.0,
            max_boxes: 400_000,
            closure_boxes: 20_000,
            max_depth: 20,
            max_trials: 200_000,
            order_points: 4,
            precision: 256,
            schedule_power: None,
        }
    }
}

/// `S = argmin_M phi` as far as C3 located it.
#[derive(Clone, Debug, PartialEq)]
pub enum MinimizerSet {
    /// Isolated points.
    Points(Vec<Vec<f64>>),
    /// A positive-dimensional set, described by the minimum value of `phi` on `M`.
    Level {
        /// `min_M phi`.
        phi_min: f64,
    },
    /// Not located.
    Unknown,
}

impl MinimizerSet {
    /// `S` from the C2/C3 report (its regularizer section).
    pub fn from_minima(r: &MinimaReport) -> MinimizerSet {
        let Some(reg) = &r.flat.regularizer else {
            return MinimizerSet::Unknown;
        };
        if !reg.s_points.is_empty() {
            return MinimizerSet::Points(
                reg.s_points
                    .iter()
                    .filter_map(|&i| reg.critical_points.get(i))
                    .map(|c| c.point.approx.clone())
                    .collect(),
            );
        }
        match (&reg.s_set, reg.min_value) {
            (Some(_), Some(v)) => MinimizerSet::Level { phi_min: v },
            (Some(set), None) => match set.phi_range {
                Some((lo, _)) => MinimizerSet::Level { phi_min: lo },
                None => MinimizerSet::Unknown,
            },
            _ => MinimizerSet::Unknown,
        }
    }

    /// For isolated points: whether `x` lies within `radius * max(1, |s|)` of a point `s`
    /// of `S`; `None` for sets and unknown `S`.
    pub fn within(&self, x: &[f64], radius: f64) -> Option<bool> {
        match self {
            MinimizerSet::Points(ps) => {
                Some(ps.iter().any(|s| dist(x, s) <= radius * norm(s).max(1.0)))
            }
            _ => None,
        }
    }
}
