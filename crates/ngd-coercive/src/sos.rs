//! The SOS route to C5 (docs/math.md C5): for a polynomial `F = f + phi`, an exact certificate
//! that `F - eps |x|^(2k) + C` is a sum of squares for some `k >= 1`, rational `eps > 0` and
//! constant `C`. Then `F >= eps |x|^(2k) - C`, which tends to infinity: `F` is coercive. It
//! applies where the leading form of `F` is not positive on the sphere but lower-degree terms
//! carry the growth.

use ngd_algebra::Poly;
use ngd_expr::{Arena, ExprId};
use ngd_sos::{prove_bounded_below, NotFound, SosClaim, SosDomain, SosOptions};
use rug::Rational;
use serde::Serialize;

/// The outcome of the SOS route.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SosGrowth {
    /// `f + phi` is not a syntactic polynomial.
    NotPolynomial,
    /// `f + phi >= eps |x|^(2k) - C` everywhere.
    Proved {
        /// The power `k` of `|x|^2`.
        k: u32,
        /// `eps`, exact.
        eps: String,
        /// `C`, exact.
        constant: String,
        /// The certificate of `f + phi - eps |x|^(2k) + C >= 0`.
        claim: Box<SosClaim>,
    },
    /// No certificate for any `k` and `eps` tried (never a refutation).
    NotFound {
        /// Why the last attempt failed.
        reason: NotFound,
    },
}

/// The weights `eps = 2^-b` tried, largest first.
const EPS_BITS: [u32; 2] = [4, 10];

/// Tries `k = 1, ..., deg F / 2` and the weights of `EPS_BITS` (1/16 and 1/1024).
pub fn sos_growth(arena: &Arena, total: ExprId) -> SosGrowth {
    let Some(f) = ngd_sos::syntactic_poly(arena, total) else {
        return SosGrowth::NotPolynomial;
    };
    let n = arena.n_vars();
    let degree = f
        .terms()
        .map(|(e, _)| e.iter().map(|&x| x.max(0) as u32).sum::<u32>())
        .max()
        .unwrap_or(0);
    let mut norm = Poly::zero(n);
    for i in 0..n {
        let x = Poly::var(i, n);
        norm = norm.add(&x.mul(&x));
    }
    let opts = SosOptions::default();
    let mut last = NotFound::OddDegree;
    for k in 1..=degree / 2 {
        // |x|^(2k) has C(n + k - 1, k) terms.
        if ngd_sos::count_terms_up_to(n, k) > ngd_sos::MAX_PRODUCT_WORK as u64 {
            last = NotFound::TargetTooLarge;
            break;
        }
        let weight = norm.pow(k);
        for bits in EPS_BITS {
            let eps = Rational::from((1, 1u64 << bits));
            let target = f.sub(&weight.scale(&eps));
            match prove_bounded_below(&target, &opts) {
                Ok((certificate, constant)) => {
                    let shifted = target.add(&Poly::constant(constant.clone(), n));
                    let names = arena.var_names().to_vec();
                    let claim = SosClaim {
                        target: ngd_sos::print(&shifted, &names),
                        variables: names,
                        equations: Vec::new(),
                        domain: SosDomain::Everywhere,
                        certificate,
                    };
                    return SosGrowth::Proved {
                        k,
                        eps: eps.to_string(),
                        constant: constant.to_string(),
                        claim: Box::new(claim),
                    };
                }
                Err(reason) => last = reason,
            }
        }
    }
    SosGrowth::NotFound { reason: last }
}
