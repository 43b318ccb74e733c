//! The neighbourhoods of `S`: the excluded one and the local region around it, on the
//! samples ([`Classifier`]) and on the exact cover's bisection grid (`n <= 3`: the grid box
//! around each point of `S`, or for a set `S` the excluded sublevel of `phi`).

use crate::exact::Regions;
use crate::grid::grid_box;
use crate::model::Model;
use crate::report::SNeighbourhood;
use crate::{dist, norm, DecreaseOptions, MinimizerSet};
use ngd_check::RationalBox;
use ngd_minima::MinimumSetSamples;

/// Decides the excluded neighbourhood of `S` and the local region around it.
pub(crate) struct Classifier<'a> {
    s: &'a MinimizerSet,
    rho: f64,
    local_factor: f64,
    /// For a set `S`: the range of `phi` over the samples.
    level_range: f64,
    /// The excluded neighbourhood of `S`.
    pub exclusion: SNeighbourhood,
    /// The local region around `S`.
    pub local_region: SNeighbourhood,
}

impl<'a> Classifier<'a> {
    /// The neighbourhoods of `s` for the options' radii (for a set `S` scaled by the range
    /// of `phi` over the samples).
    pub fn new(
        model: &Model,
        s: &'a MinimizerSet,
        samples: &MinimumSetSamples,
        opts: &DecreaseOptions,
    ) -> Classifier<'a> {
        let rho = opts.exclusion_radius;
        let lf = opts.local_factor;
        let (exclusion, local_region, level_range) = match s {
            MinimizerSet::Points(p) => (
                SNeighbourhood::Balls {
                    radius: rho,
                    points: p.len(),
                },
                SNeighbourhood::Balls {
                    radius: rho * lf,
                    points: p.len(),
                },
                0.0,
            ),
            MinimizerSet::Level { phi_min } => {
                let range = phi_range_above(model, samples, *phi_min);
                let sublevel = |radius: f64| SNeighbourhood::Sublevel {
                    threshold: radius * radius * range,
                    radius,
                    phi_min: *phi_min,
                };
                (sublevel(rho), sublevel(rho * lf), range)
            }
            MinimizerSet::Unknown => (SNeighbourhood::NotLocated, SNeighbourhood::NotLocated, 0.0),
        };
        Classifier {
            s,
            rho,
            local_factor: lf,
            level_range,
            exclusion,
            local_region,
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

/// `max phi - phi_min` over the samples where `phi` is finite (at least 0).
fn phi_range_above(model: &Model, samples: &MinimumSetSamples, phi_min: f64) -> f64 {
    let hi = samples
        .points
        .iter()
        .map(|x| model.phi_value(x))
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    (hi - phi_min).max(0.0)
}

/// One isolated point of `S` with its grid boxes.
pub(crate) struct Ball {
    /// The point (from C3).
    pub centre: Vec<f64>,
    /// The requested max-norm radius `exclusion_radius * max(1, |s|)`.
    pub radius: f64,
    /// The grid box containing the ball of that radius (excluded from the cover).
    pub excluded: RationalBox,
    /// The grid box containing the ball of `local_factor` times that radius.
    pub local: RationalBox,
}

/// The neighbourhoods of `S` the exact cover uses, and how to describe them.
pub(crate) struct Neighbourhoods {
    /// What the cover excludes and where the local regions are.
    pub regions: Regions,
    /// The isolated points of `S` whose ball meets the search box.
    pub balls: Vec<Ball>,
    /// The excluded neighbourhood and local region, when the grid changes them (points).
    pub described: Option<(SNeighbourhood, SNeighbourhood)>,
}

/// The grid boxes around the points of `S` (or the sublevel for a set `S`) in `bx`.
pub(crate) fn on_grid(
    bx: &RationalBox,
    s: &MinimizerSet,
    ctx: &Classifier<'_>,
    opts: &DecreaseOptions,
) -> Neighbourhoods {
    let mut out = Neighbourhoods {
        regions: Regions {
            excluded: Vec::new(),
            level: None,
            local: Vec::new(),
        },
        balls: Vec::new(),
        described: None,
    };
    match s {
        MinimizerSet::Points(ps) => {
            for p in ps {
                let Some(ball) = ball(bx, p, opts) else {
                    continue;
                };
                out.regions.excluded.push(ball.excluded.clone());
                out.regions.local.push(ball.local.clone());
                out.balls.push(ball);
            }
            out.described = Some((
                SNeighbourhood::GridBoxes {
                    radius: opts.exclusion_radius,
                    points: ps.len(),
                },
                SNeighbourhood::GridBoxes {
                    radius: opts.exclusion_radius * opts.local_factor,
                    points: ps.len(),
                },
            ));
        }
        MinimizerSet::Level { phi_min } => {
            out.regions.level = Some(phi_min + ctx.level_threshold());
        }
        MinimizerSet::Unknown => {}
    }
    out
}

/// The grid boxes around the point `p` of `S`; `None` when its ball misses `bx`.
fn ball(bx: &RationalBox, p: &[f64], opts: &DecreaseOptions) -> Option<Ball> {
    let r = opts.exclusion_radius * norm(p).max(1.0);
    Some(Ball {
        centre: p.to_vec(),
        radius: r,
        excluded: grid_box(bx, p, r)?,
        local: grid_box(bx, p, r * opts.local_factor)?,
    })
}
