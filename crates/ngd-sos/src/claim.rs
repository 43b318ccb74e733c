//! Certificates as the checks report them: the polynomial inequality in printed form (with its
//! variable names and the equations of the set it holds on), so that `recheck` can parse it
//! back and verify the certificate without the search.

use crate::{prove_nonnegative, NotFound, SosCertificate, SosOptions, SosOutcome};
use ngd_algebra::{poly_from_expr, Poly};
use ngd_expr::{Arena, ExprId, Node};
use serde::Serialize;
use std::collections::HashSet;

/// Where a certificate holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SosDomain {
    /// Everywhere: no multiplier.
    Everywhere,
    /// Where every equation holds, through polynomial multipliers.
    OnEquations,
}

/// An exact certificate of `target >= 0` (everywhere, or where every equation is 0).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SosClaim {
    /// The variable names the polynomials are printed in.
    pub variables: Vec<String>,
    /// The polynomial proved `>= 0`, printed.
    pub target: String,
    /// The equations `g_i = 0` of the set (empty: everywhere), printed.
    pub equations: Vec<String>,
    /// Where it holds.
    pub domain: SosDomain,
    /// The certificate.
    pub certificate: SosCertificate,
}

/// Proves `target >= 0` everywhere if it can, else on `{eqs = 0}` with multipliers (when
/// there are equations); the claim carries everything `recheck` needs.
pub fn prove_claim(
    target: &Poly,
    eqs: &[Poly],
    names: &[String],
    opts: &SosOptions,
) -> Result<SosClaim, NotFound> {
    let claim = |certificate, domain, equations: &[Poly]| SosClaim {
        variables: names.to_vec(),
        target: print(target, names),
        equations: equations.iter().map(|g| print(g, names)).collect(),
        domain,
        certificate,
    };
    let global = prove_nonnegative(target, &[], opts);
    let reason = match global {
        SosOutcome::Proved(c) => return Ok(claim(c, SosDomain::Everywhere, &[])),
        SosOutcome::NotFound { reason, .. } => reason,
    };
    if eqs.is_empty() || reason == NotFound::NotPolynomial {
        return Err(reason);
    }
    match prove_nonnegative(target, eqs, opts) {
        SosOutcome::Proved(c) => Ok(claim(c, SosDomain::OnEquations, eqs)),
        SosOutcome::NotFound { reason, .. } => Err(reason),
    }
}

/// The expression as a polynomial when it is built from constants, variables, sums, products
/// and non-negative integer powers only. (A canonical form of anything else may equal it only
/// almost everywhere, which proves nothing pointwise.)
pub fn syntactic_poly(arena: &Arena, root: ExprId) -> Option<Poly> {
    let mut stack = vec![root];
    let mut seen = HashSet::new();
    while let Some(e) = stack.pop() {
        if !seen.insert(e) {
            continue;
        }
        match arena.node(e) {
            Node::Const(_) | Node::Var(_) => {}
            Node::Add(cs) | Node::Mul(cs) => stack.extend(cs.iter().copied()),
            Node::Pow(b, p) if p.is_integer() && *p >= 0 => stack.push(*b),
            _ => return None,
        }
    }
    Some(poly_from_expr(arena, root)?.extend_vars(arena.n_vars()))
}

/// A polynomial printed with the given variable names (parseable by `ngd-parse`).
pub fn print(p: &Poly, names: &[String]) -> String {
    let mut arena = Arena::new(names.to_vec());
    let e = p.to_expr(&mut arena);
    arena.display(e)
}
