//! Exact ideal membership with explicit multipliers: `target = sum_u c_u p_u + sum_j a_j h_j`
//! with rational unknowns `c_u` (the *parameters*, e.g. an unknown constant) and polynomial
//! multipliers `a_j` ranging over given monomials. The coefficients of every monomial give a
//! sparse linear system over Q, eliminated exactly by [`crate::echelon`]; the solution with
//! the free unknowns set to chosen values is checked by exact expansion
//! ([`Membership::verify`]). Bounding the multipliers' monomials makes the search finite: a
//! failure is "not found within the bound", never a proof of non-membership.

use crate::echelon::{Echelon, EchelonFailure};
use crate::monomial::{product, Monomial};
use crate::program::{terms_of, Equation};
use ngd_algebra::Poly;
use rug::Rational;
use std::collections::BTreeMap;

/// Why no membership was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MembershipFailure {
    /// A polynomial has a negative exponent.
    NotPolynomial,
    /// The unknowns would exceed the limit.
    TooLarge {
        /// Unknowns of the system.
        unknowns: usize,
        /// The limit.
        limit: usize,
    },
    /// Elimination exceeded its entry budget.
    EliminationTooLarge,
    /// The system has no solution: not a member with multipliers over these monomials.
    NotFound,
}

/// A linear system of a membership problem, eliminated.
pub struct MembershipSystem {
    n: usize,
    params: usize,
    monomials: Vec<Vec<Monomial>>,
    echelon: Echelon,
    /// Number of coefficient equations.
    pub equations: usize,
}

/// A solution: the parameters and the multipliers, exact.
#[derive(Clone, Debug, PartialEq)]
pub struct Membership {
    /// The values `c_u`.
    pub params: Vec<Rational>,
    /// The multipliers `a_j`, one per generator.
    pub multipliers: Vec<Poly>,
}

impl MembershipSystem {
    /// Builds and eliminates the system of `target = sum_u c_u params[u] + sum_j a_j
    /// generators[j]`, `a_j` ranging over `monomials[j]`.
    pub fn new(
        target: &Poly,
        params: &[Poly],
        generators: &[Poly],
        monomials: Vec<Vec<Monomial>>,
        max_unknowns: usize,
        max_entries: usize,
    ) -> Result<MembershipSystem, MembershipFailure> {
        let unknowns = params.len() + monomials.iter().map(Vec::len).sum::<usize>();
        if unknowns > max_unknowns {
            return Err(MembershipFailure::TooLarge {
                unknowns,
                limit: max_unknowns,
            });
        }
        // The system's non-zero coefficients, before any fill-in: refused beyond the
        // elimination budget before anything is built.
        let entries = params.iter().map(Poly::len).sum::<usize>()
            + generators
                .iter()
                .zip(&monomials)
                .map(|(h, ms)| h.len().saturating_mul(ms.len()))
                .sum::<usize>();
        if entries > max_entries {
            return Err(MembershipFailure::EliminationTooLarge);
        }
        let terms = |p: &Poly| terms_of(p).ok_or(MembershipFailure::NotPolynomial);
        let mut rows: BTreeMap<Monomial, Vec<(usize, Rational)>> = BTreeMap::new();
        for (u, p) in params.iter().enumerate() {
            for (e, c) in terms(p)? {
                rows.entry(e).or_default().push((u, c));
            }
        }
        let mut var = params.len();
        for (h, ms) in generators.iter().zip(&monomials) {
            let h_terms = terms(h)?;
            for m in ms {
                for (e, c) in &h_terms {
                    rows.entry(product(m, e))
                        .or_default()
                        .push((var, c.clone()));
                }
                var += 1;
            }
        }
        let mut rhs: BTreeMap<Monomial, Rational> = terms(target)?.into_iter().collect();
        let mut equations: Vec<Equation> = rows
            .into_iter()
            .map(|(e, t)| Equation {
                rhs: rhs.remove(&e).unwrap_or_default(),
                monomial: Some(e),
                terms: t.into_iter().filter(|(_, c)| *c != 0).collect(),
            })
            .collect();
        if !rhs.is_empty() {
            // A term of the target that no unknown can produce.
            return Err(MembershipFailure::NotFound);
        }
        equations.retain(|e| !(e.terms.is_empty() && e.rhs == 0));
        let echelon = Echelon::new(&equations, max_entries).map_err(|f| match f {
            EchelonFailure::Inconsistent => MembershipFailure::NotFound,
            EchelonFailure::TooLarge => MembershipFailure::EliminationTooLarge,
        })?;
        Ok(MembershipSystem {
            n: target.n_vars(),
            params: params.len(),
            monomials,
            echelon,
            equations: equations.len(),
        })
    }

    /// Total number of unknowns.
    pub fn unknowns(&self) -> usize {
        self.params + self.monomials.iter().map(Vec::len).sum::<usize>()
    }

    /// The solution whose free unknowns take the values `free(k)` (`k` the unknown's index;
    /// pivots are overwritten), as parameters and multipliers.
    pub fn solution(&self, free: impl Fn(usize) -> Rational) -> Membership {
        let mut x: Vec<Rational> = (0..self.unknowns()).map(free).collect();
        self.echelon.complete(&mut x);
        let mut rest = x.split_off(self.params);
        let multipliers = self
            .monomials
            .iter()
            .map(|ms| {
                let tail = rest.split_off(ms.len());
                let coeffs = std::mem::replace(&mut rest, tail);
                let terms = ms
                    .iter()
                    .zip(coeffs)
                    .filter(|(_, c)| *c != 0)
                    .map(|(m, c)| (m.iter().map(|&e| e as i32).collect(), c))
                    .collect();
                Poly::from_terms_n(self.n, terms)
            })
            .collect();
        Membership {
            params: x,
            multipliers,
        }
    }
}

impl Membership {
    /// Whether `target = sum_u c_u params[u] + sum_j a_j generators[j]` holds exactly.
    pub fn verify(&self, target: &Poly, params: &[Poly], generators: &[Poly]) -> bool {
        if params.len() != self.params.len() || generators.len() != self.multipliers.len() {
            return false;
        }
        let mut sum = Poly::zero(target.n_vars());
        for (c, p) in self.params.iter().zip(params) {
            sum = sum.add(&p.scale(c));
        }
        for (a, h) in self.multipliers.iter().zip(generators) {
            sum = sum.add(&a.mul(h));
        }
        target.sub(&sum).is_zero()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monomial::all_up_to;

    fn poly(terms: &[(&[i32], i64)]) -> Poly {
        Poly::from_terms_n(
            2,
            terms
                .iter()
                .map(|(e, c)| (e.to_vec(), Rational::from(*c)))
                .collect(),
        )
    }

    #[test]
    fn finds_multipliers_and_an_unknown_constant() {
        // x^2 + 3 = 4 + (x - 1)(x + 1): target x^2 + 3 = c * 1 + a (x^2 - 1) gives c = 4, a = 1.
        let target = poly(&[(&[2, 0], 1), (&[0, 0], 3)]);
        let one = poly(&[(&[0, 0], 1)]);
        let h = poly(&[(&[2, 0], 1), (&[0, 0], -1)]);
        let sys = MembershipSystem::new(
            &target,
            std::slice::from_ref(&one),
            std::slice::from_ref(&h),
            vec![all_up_to(2, 1)],
            1000,
            10_000,
        )
        .unwrap();
        let sol = sys.solution(|_| Rational::new());
        assert_eq!(sol.params, vec![Rational::from(4)]);
        assert!(sol.verify(&target, &[one], &[h]));
    }

    #[test]
    fn a_non_member_is_not_found() {
        // x is not in the ideal of x^2 (with any multiplier degree).
        let target = poly(&[(&[1, 0], 1)]);
        let h = poly(&[(&[2, 0], 1)]);
        let got = MembershipSystem::new(&target, &[], &[h], vec![all_up_to(2, 3)], 1000, 10_000);
        assert_eq!(got.err(), Some(MembershipFailure::NotFound));
    }
}
