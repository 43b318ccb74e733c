//! Distances to the flat components of positive dimension that C3 describes by equations:
//! the end of a run is projected onto the component (minimum-norm Gauss–Newton), and the
//! length of that step, an upper bound of the distance to the set, replaces the distance to
//! the component's sparse sample (docs/math.md, "The NGD harness").

use ngd_check::RationalBox;
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};
use ngd_minima::{MinimaReport, MinimumSetProjector, SetComponent, SetEquations};
use ngd_parse::{parse_expr, Params};

/// A flat component with its projector; for a set of Lagrange points of the sharpness, the
/// sharpness and its value there, checked at the projected point (the equations may hold on
/// other Lagrange sets of the same multiplier).
struct Projection {
    projector: MinimumSetProjector,
    level: Option<(Tape, f64)>,
}

/// The projections onto the flat components of `minima` of positive dimension whose
/// equations parse back; empty when there are none.
pub struct FlatProjections {
    parts: Vec<Projection>,
}

impl FlatProjections {
    /// Builds the projections (nodes are added to `arena`).
    pub fn new(arena: &mut Arena, minima: &MinimaReport, bx: &RationalBox) -> FlatProjections {
        let parts = minima
            .flat
            .components
            .iter()
            .filter(|c| c.dimension > 0)
            .filter_map(|c| projection(arena, c, bx))
            .collect();
        FlatProjections { parts }
    }

    /// Whether there is nothing to project onto.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The shortest projection step from `x` onto a flat component, `None` when no projection
    /// converges onto one.
    pub fn distance(&self, x: &[f64]) -> Option<f64> {
        self.parts
            .iter()
            .filter_map(|p| {
                let q = p.projector.project(x, 1.0)?;
                if let Some((tape, value)) = &p.level {
                    let mut out = [0.0];
                    tape.eval_f64(&q, &mut Vec::new(), &mut out);
                    if (out[0] - value).abs() > 1e-6 * value.abs().max(1.0) {
                        return None;
                    }
                }
                Some(ngd_eval::vector::dist(x, &q))
            })
            .min_by(f64::total_cmp)
    }
}

/// The projector of one component from its equations.
fn projection(arena: &mut Arena, c: &SetComponent, bx: &RationalBox) -> Option<Projection> {
    let mut parse = |s: &str| parse_expr(arena, s, &Params::new()).ok();
    let (eqs, level): (Vec<ExprId>, Option<ExprId>) = match c.equations.as_ref()? {
        SetEquations::WholeM { g } => (vec![parse(g)?], None),
        SetEquations::ZeroSet { equations } => (
            equations.iter().map(|e| parse(e)).collect::<Option<_>>()?,
            None,
        ),
        SetEquations::PhiLevel { g, phi, value } => {
            let (g, phi, v) = (parse(g)?, parse(phi)?, parse(value)?);
            let level = arena.sub(phi, v);
            (vec![g, level], None)
        }
        SetEquations::LagrangeMultiplier {
            g,
            function,
            multiplier,
        } if function == "s" => {
            let (g, lambda) = (parse(g)?, parse(multiplier)?);
            let grad_g = arena.gradient(g);
            let s = arena.dot(&grad_g, &grad_g);
            let mut eqs = vec![g];
            for (ds, dg) in arena.gradient(s).into_iter().zip(grad_g) {
                let scaled = arena.mul2(lambda, dg);
                eqs.push(arena.sub(ds, scaled));
            }
            (eqs, Some(s))
        }
        SetEquations::LagrangeMultiplier { .. } => return None,
    };
    Some(Projection {
        projector: MinimumSetProjector::new(arena, &eqs, bx),
        level: level.map(|s| (Tape::compile(arena, &[s]), c.value)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn projections(src: &str) -> (FlatProjections, ngd_case::Case) {
        let mut case = ngd_case::parse_case("t", src).expect("case");
        let m = ngd_minima::analyse_minima(
            &mut case.arena,
            case.objective,
            None,
            &case.search_box,
            &ngd_minima::MinimaOptions::default(),
        );
        let p = FlatProjections::new(&mut case.arena, &m, &case.search_box);
        (p, case)
    }

    #[test]
    fn distances_to_a_flat_sphere_are_projections_onto_it() {
        let (p, _) = projections(
            "variables = [\"x\", \"y\", \"z\"]\nobjective = \"(x^2 + y^2 + z^2 - 1)^2\"\n",
        );
        assert!(!p.is_empty());
        let d = p.distance(&[0.0, 0.0, 1.001]).expect("projects");
        assert!((d - 0.001).abs() < 1e-9, "{d}");
        let d = p.distance(&[0.3, -0.4, 0.0]).expect("projects");
        assert!((d - 0.5).abs() < 1e-9, "{d}");
    }

    #[test]
    fn a_lagrange_set_of_the_sharpness_is_checked_at_its_level() {
        // Flat set {u = v, |u| = 1} of the diagonal network: a point on it is at distance 0,
        // a point of M off it (u = (2, 0), v = (1/2, 0), sharpness 4.25) is not on the set.
        let (p, _) = projections(
            "variables = [\"u[2]\", \"v[2]\"]\nobjective = \"(u[1]*v[1] + u[2]*v[2] - 1)^2\"\n",
        );
        assert!(!p.is_empty());
        let s = 0.5f64.sqrt();
        let d = p.distance(&[s, s, s, s]).expect("on the set");
        assert!(d < 1e-9, "{d}");
        let far = p.distance(&[2.0, 0.0, 0.5, 0.0]);
        assert!(far.is_none_or(|d| d > 0.5), "{far:?}");
    }
}
