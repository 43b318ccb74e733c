//! The SOS route to C4 (docs/math.md, C4 "by sums of squares"): exact certificates that hold on
//! all of `M`, in any dimension, for polynomial `phi` and residuals `g_i`.
//!
//! With `J` the Jacobian of the residuals, `Q <= 0` at a point of `M` exactly when
//! `J Hess(phi) J^T` is negative semidefinite there, i.e. when `T(x, y) = -y^T J Hess(phi) J^T y`
//! is `>= 0` for every `y` (one `y_i` per residual; for one residual `T = -N`,
//! `N = grad g^T Hess(phi) grad g`, and no `y`).
//! An SOS certificate of `T >= 0` (everywhere, else on `M` with multipliers of the `g_i`)
//! proves `Q <= 0` on all of `M`, in any dimension. The strict statement the verdict needs
//! (`Q < 0` on `M \ S`) then follows from the squares of that certificate by an exact ideal
//! membership and a certificate of `phi >= c` on `M` ([`ngd_sos::prove_strict`]).
//!
//! Only syntactic polynomials are eligible: a canonical form equal to `phi` only almost
//! everywhere proves nothing pointwise.

use ngd_algebra::Poly;
use ngd_expr::{Arena, ExprId};
use ngd_sos::{
    prove_claim, prove_strict, syntactic_poly, NotFound, SosClaim, SosOptions, StrictCertificate,
    StrictNotFound, StrictOptions, StrictProblem,
};
use rug::Rational;
use serde::Serialize;

/// The outcome of the SOS route.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SosDecrease {
    /// `phi` or a residual is not a syntactic polynomial.
    NotPolynomial,
    /// No certificate that `Q <= 0` on `M` (never a refutation).
    NotFound {
        /// Why.
        reason: NotFound,
    },
    /// `Q <= 0` on all of `M`.
    NonPositive {
        /// The certificate of `T >= 0`.
        claim: Box<SosClaim>,
        /// The strict statement `Q < 0` on `M \ S` built on it, or why not (absent in
        /// reports that did not attempt it).
        strict: Option<StrictDecrease>,
    },
}

/// The strict half of the SOS route: `Q < 0` on `M \ S`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StrictDecrease {
    /// Proved by an exact certificate (squares, ideal membership, `phi >= c` on `M`).
    Proved {
        /// The certificate.
        certificate: Box<StrictCertificate>,
    },
    /// Not found (never a refutation).
    NotFound {
        /// Why.
        reason: StrictNotFound,
    },
}

/// Runs the SOS route for `phi` and the residuals `gs` (the equations of `M`).
pub fn sos_decrease(arena: &Arena, phi: ExprId, gs: &[ExprId]) -> SosDecrease {
    let Some((phi_p, g_ps)) = polynomials(arena, phi, gs) else {
        return SosDecrease::NotPolynomial;
    };
    let n = arena.n_vars();
    let m = if g_ps.len() == 1 { 0 } else { g_ps.len() };
    let names = variable_names(arena, m);
    let eqs: Vec<Poly> = g_ps.iter().map(|g| g.extend_vars(n + m)).collect();
    let Some(t) = decrease_form(&phi_p, &g_ps, n, m) else {
        return SosDecrease::NotFound {
            reason: NotFound::TargetTooLarge,
        };
    };
    let claim = match prove_claim(&t, &eqs, &names, &SosOptions::default()) {
        Ok(c) => c,
        Err(reason) => return SosDecrease::NotFound { reason },
    };
    let problem = StrictProblem {
        target: &t,
        certificate: &claim.certificate,
        phi: &phi_p,
        residuals: &g_ps,
        names: &names,
        m,
    };
    let strict = match prove_strict(&problem, &StrictOptions::default()) {
        Ok(c) => StrictDecrease::Proved {
            certificate: Box::new(c),
        },
        Err(reason) => StrictDecrease::NotFound { reason },
    };
    SosDecrease::NonPositive {
        claim: Box::new(claim),
        strict: Some(strict),
    }
}

/// `phi` and the residuals as polynomials, when each is a syntactic polynomial.
fn polynomials(arena: &Arena, phi: ExprId, gs: &[ExprId]) -> Option<(Poly, Vec<Poly>)> {
    if gs.is_empty() {
        return None;
    }
    let phi_p = syntactic_poly(arena, phi)?;
    let g_ps = gs
        .iter()
        .map(|&g| syntactic_poly(arena, g))
        .collect::<Option<Vec<_>>>()?;
    Some((phi_p, g_ps))
}

/// `T(x, y) = -sum_ij y_i y_j grad g_i^T Hess(phi) grad g_j` in `n + m` variables (`m = 0`:
/// one residual, `T = -grad g^T Hess(phi) grad g`); `None` when a product would exceed
/// `ngd_sos::MAX_PRODUCT_WORK`.
fn decrease_form(phi: &Poly, gs: &[Poly], n: usize, m: usize) -> Option<Poly> {
    let total = n + m;
    let hess: Vec<Vec<Poly>> = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| phi.derivative(a).derivative(b).extend_vars(total))
                .collect()
        })
        .collect();
    let grads: Vec<Vec<Poly>> = gs
        .iter()
        .map(|g| (0..n).map(|a| g.derivative(a).extend_vars(total)).collect())
        .collect();
    let weight = |i: usize| {
        if m == 0 {
            Poly::constant(Rational::from(1), total)
        } else {
            Poly::var(n + i, total)
        }
    };
    let mut t = Poly::zero(total);
    for (i, gi) in grads.iter().enumerate() {
        for (j, gj) in grads.iter().enumerate() {
            let mut form = Poly::zero(total);
            for a in 0..n {
                for b in 0..n {
                    let left = checked_mul(&gi[a], &hess[a][b])?;
                    form = form.add(&checked_mul(&left, &gj[b])?);
                }
            }
            t = t.sub(&form.mul(&weight(i)).mul(&weight(j)));
        }
    }
    Some(t)
}

/// `a * b` when within `ngd_sos::MAX_PRODUCT_WORK`.
fn checked_mul(a: &Poly, b: &Poly) -> Option<Poly> {
    ngd_sos::product_fits(a, b).then(|| a.mul(b))
}

/// The variable names, then `y1, ..., ym` (`yy1, ...` and so on when a case variable is
/// already called `y<i>`: the printed claim must name every variable once, or a reader
/// parsing it back would merge two of them).
fn variable_names(arena: &Arena, m: usize) -> Vec<String> {
    let mut names: Vec<String> = arena.var_names().to_vec();
    let mut stem = String::from("y");
    while (1..=m).any(|i| names.contains(&format!("{stem}{i}"))) {
        stem.push('y');
    }
    names.extend((1..=m).map(|i| format!("{stem}{i}")));
    names
}

#[cfg(test)]
mod tests {
    use super::variable_names;
    use ngd_expr::Arena;

    #[test]
    fn the_normal_variables_never_reuse_a_case_variable() {
        let plain = Arena::new(vec!["x".into(), "z".into()]);
        assert_eq!(variable_names(&plain, 2), ["x", "z", "y1", "y2"]);
        let taken = Arena::new(vec!["y2".into(), "yy1".into()]);
        assert_eq!(variable_names(&taken, 2), ["y2", "yy1", "yyy1", "yyy2"]);
    }
}
