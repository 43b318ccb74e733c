//! The vector fields whose conserved quantities are searched for, from the shape of `f`.

use crate::format::fmt_poly;
use crate::report::{FieldRule, GeneratorField, RingFailure, Skip};
use crate::ring::FunctionRing;
use ngd_algebra::{poly_from_expr, Poly};
use ngd_check::Structure;
use ngd_expr::{Arena, ExprId};
use rug::Integer;

/// One component `V_var` of an integer vector field: terms `coeff * x^exps`.
pub(crate) struct IntComp {
    pub var: usize,
    /// Exponents, `n` per term.
    pub exps: Vec<i32>,
    pub coeffs: Vec<i64>,
}

/// A vector field with integer coefficients (a positive multiple of a gradient).
pub(crate) struct IntField {
    /// The nonzero components.
    pub comps: Vec<IntComp>,
}

/// The fields of a list of generators and the ring they live in.
pub(crate) struct FieldSet {
    /// The function ring: no atom when every generator is a Laurent polynomial.
    pub ring: FunctionRing,
    /// The generators as polynomials of the ring, or why they are not.
    pub polys: Result<Vec<Poly>, Skip>,
    /// The fields `W` on `R^(n+k)` of the nonconstant generators (for Laurent generators,
    /// their gradients), same order.
    pub grads: Vec<Vec<Poly>>,
    /// Positive integer multiples of `grads` for the linear systems, or why not available.
    pub int_fields: Result<Vec<IntField>, Skip>,
    /// The fields as text, e.g. `grad(x*y - 1) = (y, x)`.
    pub display: Vec<GeneratorField>,
}

/// Extracts the fields of `generators` (docs/math.md, "Discovery"): Laurent polynomials when
/// they are, else polynomials of the function ring of their `exp` and `log` atoms.
pub(crate) fn extract(arena: &mut Arena, generators: &[ExprId]) -> FieldSet {
    let n = arena.n_vars();
    let (ring, polys) = match laurent_polys(arena, generators) {
        Some(p) => (FunctionRing::plain(n), Ok(p)),
        None => ring_polys(arena, generators),
    };
    let (grads, display) = match &polys {
        Ok(polys) => gradients(arena, &ring, generators, polys),
        Err(_) => (Vec::new(), unparsed_fields(arena, generators)),
    };
    let int_fields = match &polys {
        Err(r) => Err(r.clone()),
        Ok(_) => grads.iter().map(|g| to_int_field(g)).collect(),
    };
    FieldSet {
        ring,
        polys,
        grads,
        int_fields,
        display,
    }
}

/// The generators whose gradients are the fields (`g`, the residuals, or `f`) and the rule.
pub(crate) fn generators_of(structure: &Structure, f: ExprId) -> (Vec<ExprId>, FieldRule) {
    match structure {
        Structure::Scalar { g, .. } => (vec![*g], FieldRule::Scalar),
        Structure::LeastSquares { residuals } => (
            residuals.iter().map(|(_, g)| *g).collect(),
            FieldRule::LeastSquares,
        ),
        // A law of every `grad g_i` is a law of every sum of losses of the `g_i`.
        Structure::Sum { terms, .. } => {
            (terms.iter().map(|t| t.g).collect(), FieldRule::LeastSquares)
        }
        Structure::General => (vec![f], FieldRule::General),
    }
}

/// The generators as Laurent polynomials over all variables, if they all are.
fn laurent_polys(arena: &Arena, generators: &[ExprId]) -> Option<Vec<Poly>> {
    let n = arena.n_vars();
    generators
        .iter()
        .map(|&g| poly_from_expr(arena, g).map(|p| p.extend_vars(n.max(p.n_vars()))))
        .collect()
}

/// The function ring of the generators and the generators in it, or the first generator that
/// is not in it.
fn ring_polys(arena: &Arena, generators: &[ExprId]) -> (FunctionRing, Result<Vec<Poly>, Skip>) {
    let n = arena.n_vars();
    let ring = match FunctionRing::of(arena, generators) {
        Ok(r) => r,
        Err(reason) => {
            let g = generators
                .first()
                .map_or(String::new(), |&g| arena.display(g));
            let why = Skip::NotInRing {
                generator: g,
                reason,
            };
            return (FunctionRing::plain(n), Err(why));
        }
    };
    let polys = generators
        .iter()
        .map(|&g| {
            ring.to_poly(arena, g).ok_or_else(|| Skip::NotInRing {
                generator: arena.display(g),
                reason: RingFailure::NotPolynomial,
            })
        })
        .collect();
    (ring, polys)
}

/// The nonzero fields (constant generators left out) and every generator's field as text
/// (its gradient in the variables, written in the ring).
fn gradients(
    arena: &Arena,
    ring: &FunctionRing,
    generators: &[ExprId],
    polys: &[Poly],
) -> (Vec<Vec<Poly>>, Vec<GeneratorField>) {
    let n = arena.n_vars();
    let names = ring.names(arena.var_names());
    let mut grads = Vec::new();
    let mut display = Vec::new();
    for (&g, p) in generators.iter().zip(polys) {
        let grad = ring.field(p);
        let constant = grad.iter().all(Poly::is_zero);
        display.push(GeneratorField {
            generator: arena.display(g),
            gradient: Some(grad[..n].iter().map(|c| fmt_poly(c, &names)).collect()),
            constant,
        });
        if !constant {
            grads.push(grad);
        }
    }
    (grads, display)
}

/// The generators as text, without gradients (they are not Laurent polynomials).
pub(crate) fn unparsed_fields(arena: &Arena, generators: &[ExprId]) -> Vec<GeneratorField> {
    generators
        .iter()
        .map(|&g| GeneratorField {
            generator: arena.display(g),
            gradient: None,
            constant: false,
        })
        .collect()
}

/// Scales a rational field by a positive constant to coprime integers that fit in 64 bits.
fn to_int_field(grad: &[Poly]) -> Result<IntField, Skip> {
    let mut den = Integer::from(1);
    let mut content = Integer::new();
    for c in grad {
        for (_, q) in c.terms() {
            den.lcm_mut(q.denom());
        }
    }
    for c in grad {
        for (_, q) in c.terms() {
            content.gcd_mut(&(Integer::from(&den / q.denom()) * q.numer()));
        }
    }
    let mut comps = Vec::new();
    for (var, c) in grad.iter().enumerate() {
        if c.is_zero() {
            continue;
        }
        let mut exps = Vec::with_capacity(c.len() * c.n_vars());
        let mut coeffs = Vec::with_capacity(c.len());
        for (e, q) in c.terms() {
            exps.extend_from_slice(e);
            let k = Integer::from(&den / q.denom()) * q.numer() / &content;
            coeffs.push(k.to_i64().ok_or(Skip::FieldOverflow)?);
        }
        comps.push(IntComp { var, exps, coeffs });
    }
    Ok(IntField { comps })
}
