//! The vector fields whose conserved quantities are searched for, from the shape of `f`.

use crate::format::fmt_poly;
use crate::report::{FieldRule, GeneratorField, Skip};
use ngd_algebra::{poly_from_expr, Poly};
use ngd_check::{ObjectiveShape, Structure};
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

/// The fields of `f` and how they were obtained.
pub(crate) struct FieldSet {
    pub structure: ObjectiveShape,
    pub rule: FieldRule,
    /// The generators (`g`, the residuals `g_i`, or `f`), whose gradients are the fields.
    pub generators: Vec<ExprId>,
    /// The generators as Laurent polynomials, or why they are not.
    pub polys: Result<Vec<Poly>, Skip>,
    /// The gradients of the generators (Laurent polynomials), same order; constant
    /// generators (zero gradient) are left out.
    pub grads: Vec<Vec<Poly>>,
    /// Positive integer multiples of `grads` for the linear systems, or why not available.
    pub int_fields: Result<Vec<IntField>, Skip>,
    /// The fields as text, e.g. `grad(x*y - 1) = (y, x)`.
    pub display: Vec<GeneratorField>,
}

/// Extracts the generators and fields of `f` (docs/math.md, "Discovery").
pub(crate) fn extract(arena: &mut Arena, f: ExprId) -> FieldSet {
    let structure = Structure::detect(arena, f);
    let (generators, rule) = generators_of(&structure, f);
    let polys = generator_polys(arena, &generators);
    let (grads, display) = match &polys {
        Ok(polys) => gradients(arena, &generators, polys),
        Err(_) => (Vec::new(), unparsed_fields(arena, &generators)),
    };
    let int_fields = match &polys {
        Err(r) => Err(r.clone()),
        Ok(_) => grads.iter().map(|g| to_int_field(g)).collect(),
    };
    FieldSet {
        structure: ObjectiveShape::of(&structure),
        rule,
        generators,
        polys,
        grads,
        int_fields,
        display,
    }
}

/// The generators whose gradients are the fields (`g`, the residuals, or `f`) and the rule.
fn generators_of(structure: &Structure, f: ExprId) -> (Vec<ExprId>, FieldRule) {
    match structure {
        Structure::Scalar { g, .. } => (vec![*g], FieldRule::Scalar),
        Structure::LeastSquares { residuals } => (
            residuals.iter().map(|(_, g)| *g).collect(),
            FieldRule::LeastSquares,
        ),
        Structure::General => (vec![f], FieldRule::General),
    }
}

/// The generators as Laurent polynomials over all variables, or the first that is not one.
fn generator_polys(arena: &mut Arena, generators: &[ExprId]) -> Result<Vec<Poly>, Skip> {
    let n = arena.n_vars();
    generators
        .iter()
        .map(|&g| match poly_from_expr(arena, g) {
            Some(p) => Ok(p.extend_vars(n.max(p.n_vars()))),
            None => Err(Skip::NotLaurent {
                generator: arena.display(g),
            }),
        })
        .collect()
}

/// The nonzero gradients (constant generators left out) and every generator's field as text.
fn gradients(
    arena: &Arena,
    generators: &[ExprId],
    polys: &[Poly],
) -> (Vec<Vec<Poly>>, Vec<GeneratorField>) {
    let n = arena.n_vars();
    let names = arena.var_names();
    let mut grads = Vec::new();
    let mut display = Vec::new();
    for (&g, p) in generators.iter().zip(polys) {
        let grad: Vec<Poly> = (0..n).map(|i| p.derivative(i)).collect();
        let constant = grad.iter().all(Poly::is_zero);
        display.push(GeneratorField {
            generator: arena.display(g),
            gradient: Some(grad.iter().map(|c| fmt_poly(c, names)).collect()),
            constant,
        });
        if !constant {
            grads.push(grad);
        }
    }
    (grads, display)
}

/// The generators as text, without gradients (they are not Laurent polynomials).
fn unparsed_fields(arena: &Arena, generators: &[ExprId]) -> Vec<GeneratorField> {
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
