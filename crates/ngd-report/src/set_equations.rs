//! The equations of C3's set components as expressions, and the certified representatives
//! built from them (docs/math.md, C3 "Sets of positive dimension").

use ngd_expr::{Arena, ExprId};
use ngd_minima::{EquationSystem, MinimaReport, SetComponent, SetEquations};

/// The equations of a component description in `arena` (`phi` the case's regularizer), or
/// `None` when they are not exact: a Lagrange multiplier or a level of `phi` that is not an
/// exact rational, or `phi` missing. For `g = 0, grad h = lambda grad g` the equations are
/// `g` and the components of `grad h - lambda grad g`, `h` the sharpness `s = |grad g|^2` or
/// `phi`.
pub(crate) fn equations_of(
    arena: &mut Arena,
    phi: Option<ExprId>,
    eq: &SetEquations,
) -> Option<Vec<ExprId>> {
    let params = ngd_parse::Params::new();
    let parse = |arena: &mut Arena, t: &str| ngd_parse::parse_expr(arena, t, &params).ok();
    match eq {
        SetEquations::WholeM { g } => Some(vec![parse(arena, g)?]),
        SetEquations::ZeroSet { equations } => equations.iter().map(|t| parse(arena, t)).collect(),
        SetEquations::PhiLevel { g, value, .. } => {
            let level: ngd_expr::Rational = value.parse().ok()?;
            let g = parse(arena, g)?;
            let c = arena.constant(level);
            let phi_minus_level = arena.sub(phi?, c);
            Some(vec![g, phi_minus_level])
        }
        SetEquations::LagrangeMultiplier {
            g,
            function,
            multiplier,
        } => {
            let lambda: ngd_expr::Rational = multiplier.parse().ok()?;
            let g = parse(arena, g)?;
            let dg = arena.gradient(g);
            let h = match function.as_str() {
                "s" => arena.dot(&dg, &dg),
                "phi" => phi?,
                _ => return None,
            };
            let dh = arena.gradient(h);
            let lam = arena.constant(lambda);
            let mut eqs = vec![g];
            for (dhj, dgj) in dh.into_iter().zip(dg) {
                let scaled = arena.mul2(lam, dgj);
                eqs.push(arena.sub(dhj, scaled));
            }
            Some(eqs)
        }
    }
}

/// Fills `certified` of every component of positive dimension of C3 (the flat components,
/// the components of `S` and the other sets of Lagrange points) whose equations are exact.
pub(crate) fn certify_components(arena: &mut Arena, phi: Option<ExprId>, m: &mut MinimaReport) {
    let flat = &mut m.flat;
    let regularizer = flat.regularizer.as_mut();
    let components = flat
        .components
        .iter_mut()
        .chain(flat.critical_sets.iter_mut())
        .chain(
            regularizer
                .into_iter()
                .flat_map(|r| r.s_components.iter_mut().chain(r.critical_sets.iter_mut())),
        );
    for c in components {
        certify_component(arena, phi, c);
    }
}

fn certify_component(arena: &mut Arena, phi: Option<ExprId>, c: &mut SetComponent) {
    if c.dimension == 0 {
        return;
    }
    let Some(eqs) = c
        .equations
        .as_ref()
        .and_then(|e| equations_of(arena, phi, e))
    else {
        return;
    };
    let system = EquationSystem::new(arena, &eqs);
    c.certified = c
        .representatives
        .iter()
        .filter_map(|x| system.certify(x, c.dimension).ok())
        .collect();
}
