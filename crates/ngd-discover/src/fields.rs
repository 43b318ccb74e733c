//! The vector fields whose conserved quantities are searched for, from the shape of `f`.

use crate::format::fmt_poly;
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

/// The fields of `f` and how they were obtained.
pub(crate) struct FieldSet {
    pub structure: String,
    pub rule: String,
    /// The generators (`g`, the residuals `g_i`, or `f`), whose gradients are the fields.
    pub generators: Vec<ExprId>,
    /// The generators as Laurent polynomials, or why they are not.
    pub polys: Result<Vec<Poly>, String>,
    /// The gradients of the generators (Laurent polynomials), same order; constant
    /// generators (zero gradient) are left out.
    pub grads: Vec<Vec<Poly>>,
    /// Positive integer multiples of `grads` for the linear systems, or why not available.
    pub int_fields: Result<Vec<IntField>, String>,
    /// Printed fields, e.g. `grad(x*y - 1) = (y, x)`.
    pub display: Vec<String>,
}

/// Extracts the generators and fields of `f` (docs/math.md, "Discovery").
pub(crate) fn extract(arena: &mut Arena, f: ExprId) -> FieldSet {
    let structure = Structure::detect(arena, f);
    let (generators, rule) = match &structure {
        Structure::Scalar { g, .. } => (
            vec![*g],
            "f = c h(g) with h'(g) != 0 almost everywhere: psi is conserved by the gradient flow \
             of f iff <grad g, grad psi> = 0"
                .to_string(),
        ),
        Structure::LeastSquares { residuals } => (
            residuals.iter().map(|(_, g)| *g).collect(),
            "f = sum_i c_i g_i^2: conservation is required for every residual's gradient, \
             <grad g_i, grad psi> = 0 for all i (sufficient for the flow of f; necessary for psi \
             to be conserved for every loss of the residuals)"
                .to_string(),
        ),
        Structure::General => (
            vec![f],
            "no special structure: psi is conserved iff <grad f, grad psi> = 0".to_string(),
        ),
    };
    let n = arena.n_vars();
    let names = arena.var_names().to_vec();
    let mut polys = Vec::with_capacity(generators.len());
    let mut failure = None;
    for &g in &generators {
        match poly_from_expr(arena, g) {
            Some(p) => polys.push(p.extend_vars(n.max(p.n_vars()))),
            None => {
                failure = Some(format!(
                    "{} is not a Laurent polynomial in the variables (after exact canonicalization)",
                    arena.display(g)
                ));
                break;
            }
        }
    }
    let mut display = Vec::new();
    let mut grads = Vec::new();
    if failure.is_none() {
        for (k, p) in polys.iter().enumerate() {
            let grad: Vec<Poly> = (0..n).map(|i| p.derivative(i)).collect();
            let comps: Vec<String> = grad.iter().map(|c| fmt_poly(c, &names)).collect();
            display.push(format!(
                "grad({}) = ({})",
                arena.display(generators[k]),
                comps.join(", ")
            ));
            if grad.iter().all(Poly::is_zero) {
                display[k].push_str(" (constant: no condition)");
                continue;
            }
            grads.push(grad);
        }
    } else {
        for &g in &generators {
            display.push(format!("grad({})", arena.display(g)));
        }
    }
    let int_fields = match &failure {
        Some(r) => Err(r.clone()),
        None => grads.iter().map(|g| to_int_field(g)).collect(),
    };
    FieldSet {
        structure: structure.describe(),
        rule,
        generators,
        polys: match failure {
            Some(r) => Err(r),
            None => Ok(polys),
        },
        grads,
        int_fields,
        display,
    }
}

/// Scales a rational field by a positive constant to coprime integers that fit in 64 bits.
fn to_int_field(grad: &[Poly]) -> Result<IntField, String> {
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
            coeffs.push(k.to_i64().ok_or_else(|| {
                "a field coefficient does not fit in 64 bits (not supported)".to_string()
            })?);
        }
        comps.push(IntComp { var, exps, coeffs });
    }
    Ok(IntField { comps })
}
