//! The identity `<grad g, grad psi> = 0` of a quantity written out term by term, as LaTeX
//! fragments: data for a renderer (docs/math.md, "Discovery").

use crate::format::{latex_linear, latex_poly, latex_terms, Term};
use crate::lie::quantity_gradient;
use crate::report::{ConservedQuantity, DiscoveryReport};
use ngd_algebra::Poly;
use rug::Rational;
use serde::Serialize;

/// Largest number of monomial products written out in one identity.
pub const MAX_PRODUCTS: usize = 40;

/// The identity `<grad g, grad psi> = 0` for one generator `g` and one quantity `psi`, each
/// part in LaTeX. For `psi = p exp(l)` the gradient is `e^l (grad p + p l)`; the parts below
/// leave out the factor `e^l` (see `exp_form`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IdentityTerms {
    /// `g`.
    pub g: String,
    /// `grad g` as a vector `\left(..., ...\right)`.
    pub grad_g: String,
    /// `grad psi` (without the factor `e^l`) as a vector.
    pub grad_psi: String,
    /// The exponent `l` of the factor `e^l` of an exponential quantity.
    pub exp_form: Option<String>,
    /// The coordinate products `d_i g \cdot d_i psi`, over the coordinates where both are
    /// nonzero (empty when the identity holds term by term).
    pub factors: Vec<String>,
    /// The first [`MAX_PRODUCTS`] monomial products, before cancellation, as one sum.
    pub expanded: String,
    /// The number of monomial products.
    pub products: usize,
}

fn vector(parts: &[Poly], names: &[String]) -> String {
    let v: Vec<String> = parts.iter().map(|p| latex_poly(p, names)).collect();
    format!("\\left({}\\right)", v.join(",\\ "))
}

fn paren(s: &str, multi: bool) -> String {
    if multi || s.starts_with('-') {
        format!("\\left({s}\\right)")
    } else {
        s.to_string()
    }
}

impl DiscoveryReport {
    /// The identity of quantity `q` for generator `k` (an index into `generator_polys`);
    /// `None` when `k` is out of range or `grad g_k == 0` (no condition). `names` are the
    /// variables as the caller's arena writes them.
    pub fn identity(
        &self,
        k: usize,
        q: &ConservedQuantity,
        names: &[String],
    ) -> Option<IdentityTerms> {
        let g = self.generator_polys.get(k)?;
        let n = names.len();
        let grad_g: Vec<Poly> = (0..n).map(|i| g.derivative(i)).collect();
        if grad_g.iter().all(Poly::is_zero) {
            return None;
        }
        let l = q.exp_form.as_deref();
        let dpsi = quantity_gradient(&q.poly, l, n);
        let mut factors = Vec::new();
        let mut products: Vec<(Vec<i32>, Rational)> = Vec::new();
        for i in 0..n {
            if grad_g[i].is_zero() || dpsi[i].is_zero() {
                continue;
            }
            factors.push(format!(
                "{} \\cdot {}",
                paren(&latex_poly(&grad_g[i], names), grad_g[i].len() > 1),
                paren(&latex_poly(&dpsi[i], names), dpsi[i].len() > 1)
            ));
            for (a, c) in grad_g[i].terms() {
                for (b, d) in dpsi[i].terms() {
                    let e: Vec<i32> = a.iter().zip(b).map(|(x, y)| x + y).collect();
                    products.push((e, Rational::from(c * d)));
                }
            }
        }
        let shown: Vec<Term<'_>> = products
            .iter()
            .take(MAX_PRODUCTS)
            .map(|(e, c)| (&e[..], c.clone()))
            .collect();
        Some(IdentityTerms {
            g: latex_poly(g, names),
            grad_g: vector(&grad_g, names),
            grad_psi: vector(&dpsi, names),
            exp_form: l.map(|l| latex_linear(l, names)),
            factors,
            expanded: latex_terms(&shown, names),
            products: products.len(),
        })
    }
}
