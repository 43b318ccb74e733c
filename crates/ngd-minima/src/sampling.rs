//! Public access to the samples of `M = {G = 0}` for checks that run along the minimum set
//! (the decrease check C4): random points of the box projected by Gauss–Newton, their
//! components, and for curves the traced branches in order.

use crate::explain::DimensionMethod;
use crate::level_set::box_f64;
use crate::minset::{components, dimension_report, local_dimensions, sample_on_m, RANK_THRESHOLD};
use crate::model::{BoxF, Constraints};
use inari::Interval;
use nalgebra::DMatrix;
use ngd_check::RationalBox;
use ngd_expr::{Arena, ExprId};
use rand::SeedableRng;
use rand_pcg::Pcg64;

/// Points of `M` sampled in a box (`f64`, numerical evidence).
#[derive(Clone, Debug, PartialEq)]
pub struct MinimumSetSamples {
    /// Distinct points of `M` inside the box.
    pub points: Vec<Vec<f64>>,
    /// The component (or branch, for curves) of each point, an index into `components`
    /// counts; components are numbered from 0 in order of discovery.
    pub component: Vec<usize>,
    /// Number of components met.
    pub n_components: usize,
    /// The local dimension of `M` (most frequent value of `n - rank J_G`), `None` without
    /// points.
    pub dimension: Option<usize>,
    /// For a curve (`dimension == 1`): one ordered polyline per component, traced by
    /// continuation until it leaves the box or closes; empty otherwise.
    pub branches: Vec<Vec<Vec<f64>>>,
    /// Per branch: true when it closes inside the box, false when it leaves the box at
    /// both ends, `None` when unknown (a singular point stopped the tracing).
    pub branch_closed: Vec<Option<bool>>,
}

/// Projection onto `M = {G = 0}` restricted to a box.
pub struct MinimumSetProjector {
    cons: Constraints,
    bx: BoxF,
}

impl MinimumSetProjector {
    /// The projector for the zero set of `gs` in `bx`.
    pub fn new(arena: &mut Arena, gs: &[ExprId], bx: &RationalBox) -> Self {
        MinimumSetProjector {
            cons: Constraints::new(arena, gs),
            bx: box_f64(bx),
        }
    }

    /// `J_G(x)` (`m x n`), `None` where `G` or `J_G` is not finite.
    pub fn jacobian(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        let mut scratch = Vec::new();
        self.cons.eval(x, &mut scratch).map(|(_, j)| j)
    }

    /// Outward-rounded enclosures of `G` and `J_G` (rows) over the box `x`, `None` where
    /// the evaluation fails (a pole or domain error may lie in the box).
    pub fn eval_interval(&self, x: &[Interval]) -> Option<(Vec<Interval>, Vec<Vec<Interval>>)> {
        self.cons.eval_iv(x)
    }

    /// Gauss–Newton with minimum-norm steps from `x` (steps capped at `max_step`); the
    /// converged point of `M` when it lies in the box.
    pub fn project(&self, x: &[f64], max_step: f64) -> Option<Vec<f64>> {
        let mut scratch = Vec::new();
        let p = self.cons.project(x, max_step, &mut scratch)?;
        self.bx.contains(&p.x).then_some(p.x)
    }

    /// `count` random points of the box (seeded) projected onto `M`, deduplicated, with
    /// their local dimension and components (for curves: traced branches).
    pub fn sample(&self, count: usize, seed: u64) -> MinimumSetSamples {
        let mut rng = Pcg64::seed_from_u64(seed);
        let mut points = Vec::new();
        sample_on_m(&self.cons, &self.bx, count, &mut rng, &mut points);
        if points.is_empty() {
            return MinimumSetSamples {
                points,
                component: Vec::new(),
                n_components: 0,
                dimension: None,
                branches: Vec::new(),
                branch_closed: Vec::new(),
            };
        }
        let dims = local_dimensions(&self.cons, &points);
        let dim = dimension_report(&dims, DimensionMethod::JacobianRank, RANK_THRESHOLD)
            .dimension
            .unwrap_or(0);
        let (component, comps, branches) = components(&self.cons, &points, dim, &self.bx);
        let (branches, branch_closed) = if dim == 1 {
            branches.into_iter().map(|b| (b.path, b.closed)).unzip()
        } else {
            (Vec::new(), Vec::new())
        };
        MinimumSetSamples {
            points,
            component,
            n_components: comps.count,
            dimension: Some(dim),
            branches,
            branch_closed,
        }
    }
}
