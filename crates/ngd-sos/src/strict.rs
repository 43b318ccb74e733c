//! The strict decrease certificate (docs/math.md, C4 "Sums of squares"): from an exact SOS
//! certificate `T = sum_k q_k^2 / p_k + sum_i lambda_i g_i` (`p_k > 0`, the `q_k` read off the
//! exact `L D L^T` of the Gram matrix), an exact ideal membership
//!
//! `(phi - c)^power * F = sum_i a_i g_i + sum_k b_k q_k`
//!
//! (`F = |J^T y|^2`, or `F = 1` for one residual) and an exact certificate of `phi - c >= 0`
//! on `M = {g = 0}` prove `T(x, y) > 0` for every `x` in `M` with `phi(x) > c` and every `y`
//! with `J(x)^T y != 0`: there the left side is non-zero, the `g_i` vanish, so some
//! `q_k(x, y) != 0`, and `T >= q_k^2 / p_k > 0`. With `phi >= c` on `M`, a point of `M` with
//! `phi = c` minimizes `phi` on `M`, so every point of `M \ S` has `phi > c`
//! (`S = argmin_M phi`, empty or not): `Q < 0` on `M \ S` wherever `J != 0`. When `F` itself
//! is in the ideal, `T > 0` on all of `M` and no bound on `phi` is needed.
//!
//! The constant `c` is an unknown of the linear system (for `power = 2`, `2c` and `-c^2` are
//! two unknowns whose solution must satisfy that relation). Every identity is checked by exact
//! expansion before it is reported.

use crate::ideal::{Membership, MembershipFailure, MembershipSystem};
use crate::monomial::{all_up_to, degree, Monomial};
use crate::program::terms_of;
use crate::psd::factor;
use crate::{prove_claim, NotFound, SosCertificate, SosClaim, SosOptions};
use ngd_algebra::Poly;
use rug::Rational;
use serde::Serialize;

/// Limits of the strict search; every one is a count.
#[derive(Clone, Debug)]
pub struct StrictOptions {
    /// Degree of the membership identity above the largest degree of its target and
    /// generators (knob `extra_degree`).
    pub extra_degree: u32,
    /// Largest power of `phi - c` tried (knob `max_power`).
    pub max_power: u32,
    /// Largest number of unknowns of one membership system.
    pub max_unknowns: usize,
    /// Largest number of non-zero coefficients during exact elimination.
    pub max_entries: usize,
}

impl Default for StrictOptions {
    fn default() -> Self {
        StrictOptions {
            extra_degree: 4,
            max_power: 2,
            max_unknowns: 20_000,
            max_entries: 3_000_000,
        }
    }
}

/// The inputs: `T` and its certificate in the variables `x` (`n`) then `y` (`m`, none for one
/// residual), `phi` and the residuals in the variables `x`.
pub struct StrictProblem<'a> {
    /// `T(x, y) = -y^T J Hess(phi) J^T y` (for one residual `-grad g^T Hess(phi) grad g`).
    pub target: &'a Poly,
    /// The certificate of `T >= 0` (everywhere, or on `M` with one multiplier per residual).
    pub certificate: &'a SosCertificate,
    /// `phi`, in the `n` variables `x`.
    pub phi: &'a Poly,
    /// The residuals `g_i`, in the `n` variables `x`.
    pub residuals: &'a [Poly],
    /// The names of `x` then `y`.
    pub names: &'a [String],
    /// The number of `y` variables (0 for one residual).
    pub m: usize,
}

/// What the strict certificate states.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StrictStatement {
    /// `T > 0` wherever `phi > c` on `M` (and `J^T y != 0`); `phi >= c` on `M` is proved, so
    /// this is all of `M \ S`.
    AbovePhi {
        /// The exact constant `c` (`min_M phi` when some point of `M` reaches it).
        c: String,
    },
    /// `T > 0` on all of `M` (wherever `J^T y != 0`): no bound on `phi` is needed.
    Everywhere,
}

/// The factor `F` of the membership target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StrictFactor {
    /// `F = 1` (one residual: `Q = -T / |grad g|^2`).
    One,
    /// `F = |J^T y|^2`.
    NormalNorm,
}

/// An exact strict certificate, verified.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StrictCertificate {
    /// What it proves.
    pub statement: StrictStatement,
    /// The factor `F`.
    pub factor: StrictFactor,
    /// The power of `phi - c` (0 for [`StrictStatement::Everywhere`]).
    pub power: u32,
    /// The number of squares `q_k` (the rank of the Gram matrix).
    pub squares: usize,
    /// The largest degree of a `q_k`.
    pub square_degree: u32,
    /// The degree bound of the membership identity.
    pub degree_bound: u32,
    /// Unknowns of the membership system.
    pub unknowns: usize,
    /// Equations of the membership system.
    pub equations: usize,
    /// Terms of the multiplier of each residual `g_i`.
    pub residual_multiplier_terms: Vec<usize>,
    /// Terms of the multiplier of each square `q_k`.
    pub square_multiplier_terms: Vec<usize>,
    /// The multiplier `a_i` of each residual in the membership identity, as `(exponents,
    /// coefficient)` terms in the variables `x` then `y` (the format of
    /// [`SosCertificate::multipliers`]); absent in reports that did not export it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_multipliers: Option<Vec<Terms>>,
    /// The multiplier `b_k` of each square `q_k` (the rows of the exact `L D L^T` of the
    /// Gram matrix with a non-zero pivot, in order), in the same format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub square_multipliers: Option<Vec<Terms>>,
    /// The certificate of `phi - c >= 0` on `M` (for [`StrictStatement::AbovePhi`]).
    pub lower_bound: Option<SosClaim>,
    /// Why every point of `M \ S` has a normal direction (`J(x) != 0`), where `Q` is
    /// defined.
    pub normal_space: NormalSpace,
}

/// Why `J(x) != 0` at every point of `M \ S` (at a point where `J = 0` there is no normal
/// direction, `T` vanishes for every `y`, and `Q` is not defined).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NormalSpace {
    /// With `F = 1` the membership gives `T > 0` on `M \ S`, and `T = 0` wherever
    /// `grad g = 0`.
    ImpliedByMembership,
    /// `1 = sum_i c_i g_i + sum_{i,a} d_ia dg_i/dx_a` exactly: `J != 0` on all of `M`.
    Proved {
        /// The degree bound of that identity.
        degree_bound: u32,
        /// Its unknowns.
        unknowns: usize,
        /// The multiplier `c_i` of each residual, as `(exponents, coefficient)` terms in the
        /// variables `x`; absent in reports that did not export it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        residual_multipliers: Option<Vec<Terms>>,
        /// The multiplier `d_ia` of each `dg_i/dx_a`, indexed `[i][a]` (no terms where the
        /// derivative is 0).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        derivative_multipliers: Option<Vec<Vec<Terms>>>,
    },
}

/// A sparse polynomial as `(exponents, exact rational)` terms, the format of
/// [`SosCertificate::multipliers`].
pub type Terms = Vec<(Monomial, String)>;

/// The terms of a polynomial (no negative exponents), coefficients printed exactly.
fn sparse_terms(p: &Poly) -> Terms {
    terms_of(p)
        .unwrap_or_default()
        .into_iter()
        .map(|(m, c)| (m, c.to_string()))
        .collect()
}

/// Why no strict certificate was produced (never a refutation).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StrictNotFound {
    /// The certificate of `T` does not reproduce `T` through its squares (malformed input).
    SquaresMismatch,
    /// Building `(phi - c)^power F` would exceed [`crate::MAX_PRODUCT_WORK`] term products.
    TargetTooLarge,
    /// The exact solution of a membership system failed its expansion check (a defect, never
    /// a proof).
    MembershipMismatch,
    /// A membership system exceeded `max_unknowns`.
    TooLarge {
        /// Its unknowns.
        unknowns: usize,
        /// The limit.
        limit: usize,
    },
    /// Elimination exceeded `max_entries`.
    EliminationTooLarge {
        /// The limit.
        limit: usize,
    },
    /// No membership within the degree bound and powers tried.
    NotInIdeal {
        /// The knob `extra_degree`.
        extra_degree: u32,
        /// The knob `max_power`.
        max_power: u32,
    },
    /// No identity `1 = sum c_i g_i + sum d_ia dg_i/dx_a` within the degree bound: points of
    /// `M` with `J = 0` (no normal direction) are not excluded.
    SingularPointsNotExcluded {
        /// The knob `extra_degree`.
        extra_degree: u32,
    },
    /// A membership fixed `c`, but `phi - c >= 0` on `M` was not proved.
    LowerBoundNotProved {
        /// The constant.
        c: String,
        /// Why the SOS search failed.
        reason: NotFound,
    },
}

/// The squares `q_k` and weights `1 / p_k` of the certificate, checked to reproduce `T`.
fn squares(problem: &StrictProblem<'_>, eqs: &[Poly]) -> Option<Vec<Poly>> {
    let cert = problem.certificate;
    let nv = problem.target.n_vars();
    let parse = |s: &String| Rational::parse(s).ok().map(Rational::from);
    let gram: Vec<Vec<Rational>> = cert
        .gram
        .iter()
        .map(|r| r.iter().map(parse).collect::<Option<Vec<_>>>())
        .collect::<Option<_>>()?;
    let rows = factor(&gram).ok()?;
    let z: Vec<Poly> = cert.basis.iter().map(|m| monomial(m, 1.into())).collect();
    let qs: Vec<Poly> = rows
        .iter()
        .map(|r| {
            r.row.iter().zip(&z).fold(Poly::zero(nv), |acc, (c, zi)| {
                if *c == 0 {
                    acc
                } else {
                    acc.add(&zi.scale(c))
                }
            })
        })
        .collect();
    let mut sum = Poly::zero(nv);
    for (q, r) in qs.iter().zip(&rows) {
        sum = sum.add(&q.mul(q).scale(&Rational::from(r.pivot.recip_ref())));
    }
    if !cert.multipliers.is_empty() {
        if cert.multipliers.len() != eqs.len() {
            return None;
        }
        for (lambda, g) in cert.multipliers.iter().zip(eqs) {
            let mut l = Poly::zero(nv);
            for (m, c) in lambda {
                l = l.add(&monomial(m, parse(c)?));
            }
            sum = sum.add(&l.mul(g));
        }
    }
    problem.target.sub(&sum).is_zero().then_some(qs)
}

/// `c x^m` as a polynomial.
fn monomial(m: &[u32], c: Rational) -> Poly {
    Poly::from_terms_n(m.len(), vec![(m.iter().map(|&e| e as i32).collect(), c)])
}

/// `F`: `|J^T y|^2` with `y` the variables after `n` (one residual: `|grad g|^2`).
fn normal_norm(gs: &[Poly], n: usize, m: usize) -> Poly {
    let nv = n + m;
    let mut sum = Poly::zero(nv);
    for a in 0..n {
        let mut v = Poly::zero(nv);
        for (i, g) in gs.iter().enumerate() {
            let d = g.derivative(a);
            v = v.add(&if m == 0 {
                d
            } else {
                d.mul(&Poly::var(n + i, nv))
            });
        }
        sum = sum.add(&v.mul(&v));
    }
    sum
}

/// Tries every factor and power in turn; the first verified certificate wins (with, for the
/// factor `|J^T y|^2`, the proof that `J != 0` on `M`).
pub fn prove_strict(
    problem: &StrictProblem<'_>,
    opts: &StrictOptions,
) -> Result<StrictCertificate, StrictNotFound> {
    let n = problem.phi.n_vars();
    let m = problem.m;
    let nv = n + m;
    let eqs: Vec<Poly> = problem
        .residuals
        .iter()
        .map(|g| g.extend_vars(nv))
        .collect();
    let qs = squares(problem, &eqs).ok_or(StrictNotFound::SquaresMismatch)?;
    let mut generators = eqs.clone();
    generators.extend(qs.iter().cloned());
    let mut factors = Vec::new();
    if m == 0 {
        factors.push((StrictFactor::One, Poly::constant(1.into(), nv)));
    }
    let norm = normal_norm(&eqs, n, m);
    factors.push((StrictFactor::NormalNorm, norm));
    let mut failure = StrictNotFound::NotInIdeal {
        extra_degree: opts.extra_degree,
        max_power: opts.max_power,
    };
    let ctx = Context {
        problem,
        generators: &generators,
        squares: qs.len(),
        opts,
        nv,
    };
    for (kind, f) in &factors {
        for power in 1..=opts.max_power {
            match ctx.attempt(*kind, f, power) {
                Ok(cert) if *kind == StrictFactor::One => return Ok(cert),
                Ok(cert) => return with_normal_space(cert, problem.residuals, opts),
                Err(e) => failure = worse(failure, e),
            }
        }
    }
    Err(failure)
}

/// Adds the proof that `J != 0` on `M` to a certificate whose factor is `|J^T y|^2` (which
/// vanishes where `J = 0`, so the membership says nothing there).
fn with_normal_space(
    mut cert: StrictCertificate,
    residuals: &[Poly],
    opts: &StrictOptions,
) -> Result<StrictCertificate, StrictNotFound> {
    let not_excluded = StrictNotFound::SingularPointsNotExcluded {
        extra_degree: opts.extra_degree,
    };
    let Some(n) = residuals.first().map(Poly::n_vars) else {
        return Err(not_excluded);
    };
    let mut generators: Vec<Poly> = residuals.to_vec();
    // Where each `dg_i/dx_a` sits among the generators (`None`: the derivative is 0).
    let mut slots = vec![vec![None; n]; residuals.len()];
    for (i, g) in residuals.iter().enumerate() {
        for (a, slot) in slots[i].iter_mut().enumerate() {
            let d = g.derivative(a);
            if !d.is_zero() {
                *slot = Some(generators.len());
                generators.push(d);
            }
        }
    }
    let bound = generators.iter().map(degree_of).max().unwrap_or(0) + opts.extra_degree;
    let monomials = generators
        .iter()
        .map(|h| all_up_to(n, bound.saturating_sub(degree_of(h))))
        .collect();
    let one = Poly::constant(1.into(), n);
    let system = MembershipSystem::new(
        &one,
        &[],
        &generators,
        monomials,
        opts.max_unknowns,
        opts.max_entries,
    )
    .map_err(|_| not_excluded.clone())?;
    let solution = system.solution(|_| Rational::new());
    if !solution.verify(&one, &[], &generators) {
        return Err(StrictNotFound::MembershipMismatch);
    }
    let multipliers = &solution.multipliers;
    let derivative_multipliers = slots
        .iter()
        .map(|row| {
            row.iter()
                .map(|slot| slot.map_or_else(Vec::new, |k| sparse_terms(&multipliers[k])))
                .collect()
        })
        .collect();
    cert.normal_space = NormalSpace::Proved {
        degree_bound: bound,
        unknowns: system.unknowns(),
        residual_multipliers: Some(
            multipliers[..residuals.len()]
                .iter()
                .map(sparse_terms)
                .collect(),
        ),
        derivative_multipliers: Some(derivative_multipliers),
    };
    Ok(cert)
}

/// The more informative of two failures (a bound not proved, then a limit, then not found).
fn worse(a: StrictNotFound, b: StrictNotFound) -> StrictNotFound {
    let rank = |f: &StrictNotFound| match f {
        StrictNotFound::LowerBoundNotProved { .. } => 3,
        StrictNotFound::TooLarge { .. }
        | StrictNotFound::EliminationTooLarge { .. }
        | StrictNotFound::TargetTooLarge => 2,
        _ => 1,
    };
    if rank(&b) > rank(&a) {
        b
    } else {
        a
    }
}

/// What one attempt needs.
struct Context<'a, 'p> {
    problem: &'a StrictProblem<'p>,
    generators: &'a [Poly],
    squares: usize,
    opts: &'a StrictOptions,
    nv: usize,
}

impl Context<'_, '_> {
    /// One attempt: `(phi - c)^power F` in the ideal, then `phi - c >= 0` on `M`.
    fn attempt(
        &self,
        kind: StrictFactor,
        f: &Poly,
        power: u32,
    ) -> Result<StrictCertificate, StrictNotFound> {
        let phi = self.problem.phi.extend_vars(self.nv);
        let too_large = || StrictNotFound::TargetTooLarge;
        let phi_power = checked_pow(&phi, power).ok_or_else(too_large)?;
        let target = checked_mul(&phi_power, f).ok_or_else(too_large)?;
        // (phi - c)^p F = phi^p F - sum_u c_u phi^(p-1-u) F: the unknowns are p c, then for p = 2, -c^2.
        let params: Vec<Poly> = (0..power)
            .rev()
            .map(|k| checked_pow(&phi, k).and_then(|p| checked_mul(&p, f)))
            .collect::<Option<_>>()
            .ok_or_else(too_large)?;
        let top = degree_of(&target).max(self.generators.iter().map(degree_of).max().unwrap_or(0));
        let bound = top + self.opts.extra_degree;
        let y_target = if self.problem.m == 0 {
            None
        } else {
            Some(y_degree(f, self.nv - self.problem.m).1)
        };
        let monomials = self
            .generators
            .iter()
            .map(|h| self.multiplier_monomials(h, bound, y_target))
            .collect();
        let system = MembershipSystem::new(
            &target,
            &params,
            self.generators,
            monomials,
            self.opts.max_unknowns,
            self.opts.max_entries,
        )
        .map_err(|e| self.failure(e))?;
        let sol = system.solution(|_| Rational::new());
        if !sol.verify(&target, &params, self.generators) {
            return Err(StrictNotFound::MembershipMismatch);
        }
        let c = Rational::from(&sol.params[0] / power);
        if power == 2 && sol.params[1] != -Rational::from(c.square_ref()) {
            return Err(self.failure(MembershipFailure::NotFound));
        }
        let cert = |statement, power, membership: &Membership, lower_bound| StrictCertificate {
            statement,
            factor: kind,
            power,
            squares: self.squares,
            square_degree: self.generators[self.generators.len() - self.squares..]
                .iter()
                .map(degree_of)
                .max()
                .unwrap_or(0),
            degree_bound: bound,
            unknowns: system.unknowns(),
            equations: system.equations,
            residual_multiplier_terms: membership.multipliers
                [..self.generators.len() - self.squares]
                .iter()
                .map(Poly::len)
                .collect(),
            square_multiplier_terms: membership.multipliers[self.generators.len() - self.squares..]
                .iter()
                .map(Poly::len)
                .collect(),
            residual_multipliers: Some(
                membership.multipliers[..self.generators.len() - self.squares]
                    .iter()
                    .map(sparse_terms)
                    .collect(),
            ),
            square_multipliers: Some(
                membership.multipliers[self.generators.len() - self.squares..]
                    .iter()
                    .map(sparse_terms)
                    .collect(),
            ),
            lower_bound,
            normal_space: NormalSpace::ImpliedByMembership,
        };
        match self.lower_bound(&c) {
            Ok(claim) => Ok(cert(
                StrictStatement::AbovePhi { c: c.to_string() },
                power,
                &sol,
                Some(claim),
            )),
            Err(reason) => match self.factor_in_ideal(&system, &sol, f, power) {
                Some(m) => Ok(cert(StrictStatement::Everywhere, 0, &m, None)),
                None => Err(StrictNotFound::LowerBoundNotProved {
                    c: c.to_string(),
                    reason,
                }),
            },
        }
    }

    /// `phi - c >= 0` on `M`, by an SOS certificate (everywhere, else with multipliers).
    fn lower_bound(&self, c: &Rational) -> Result<SosClaim, NotFound> {
        let p = self.problem;
        let n = p.phi.n_vars();
        let shifted = p.phi.sub(&Poly::constant(c.clone(), n));
        prove_claim(&shifted, p.residuals, &p.names[..n], &SosOptions::default())
    }

    /// When `c` is not determined by the system (power 1), two solutions differ by a
    /// multiple of `F`: `F` itself is in the ideal.
    fn factor_in_ideal(
        &self,
        system: &MembershipSystem,
        sol: &Membership,
        f: &Poly,
        power: u32,
    ) -> Option<Membership> {
        if power != 1 {
            return None;
        }
        let other = system.solution(|k| Rational::from(k + 1));
        let dc = Rational::from(&sol.params[0] - &other.params[0]);
        if dc == 0 {
            return None;
        }
        let inv = dc.recip();
        let multipliers = other
            .multipliers
            .iter()
            .zip(&sol.multipliers)
            .map(|(a1, a0)| a1.sub(a0).scale(&inv))
            .collect();
        let m = Membership {
            params: Vec::new(),
            multipliers,
        };
        m.verify(f, &[], self.generators).then_some(m)
    }

    /// Multiplier monomials of `h`: total degree up to `bound - deg h`, and, with `y`
    /// variables, `y`-degree up to `y_target` minus the smallest `y`-degree of `h` (the target
    /// is homogeneous of that degree in `y`).
    fn multiplier_monomials(&self, h: &Poly, bound: u32, y_target: Option<u32>) -> Vec<Monomial> {
        let n = self.nv - self.problem.m;
        let room = bound.saturating_sub(degree_of(h));
        let all = all_up_to(self.nv, room);
        match y_target {
            None => all,
            Some(t) => {
                let cap = t.saturating_sub(y_degree(h, n).0);
                all.into_iter()
                    .filter(|e| e[n..].iter().sum::<u32>() <= cap)
                    .collect()
            }
        }
    }

    fn failure(&self, e: MembershipFailure) -> StrictNotFound {
        match e {
            MembershipFailure::TooLarge { unknowns, limit } => {
                StrictNotFound::TooLarge { unknowns, limit }
            }
            MembershipFailure::EliminationTooLarge => StrictNotFound::EliminationTooLarge {
                limit: self.opts.max_entries,
            },
            MembershipFailure::NotPolynomial | MembershipFailure::NotFound => {
                StrictNotFound::NotInIdeal {
                    extra_degree: self.opts.extra_degree,
                    max_power: self.opts.max_power,
                }
            }
        }
    }
}

/// `a * b` when within [`crate::MAX_PRODUCT_WORK`].
fn checked_mul(a: &Poly, b: &Poly) -> Option<Poly> {
    crate::product_fits(a, b).then(|| a.mul(b))
}

/// `p^k` when every product on the way is within [`crate::MAX_PRODUCT_WORK`].
fn checked_pow(p: &Poly, k: u32) -> Option<Poly> {
    (0..k).try_fold(Poly::constant(1.into(), p.n_vars()), |acc, _| {
        checked_mul(&acc, p)
    })
}

/// Total degree (0 for the zero polynomial or a Laurent one).
fn degree_of(p: &Poly) -> u32 {
    terms_of(p).map_or(0, |t| t.iter().map(|(m, _)| degree(m)).max().unwrap_or(0))
}

/// The smallest and largest degree in the variables from `n` on.
fn y_degree(p: &Poly, n: usize) -> (u32, u32) {
    let ds: Vec<u32> = p
        .terms()
        .map(|(e, _)| e[n..].iter().map(|&v| v.max(0) as u32).sum())
        .collect();
    (
        ds.iter().copied().min().unwrap_or(0),
        ds.iter().copied().max().unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert() -> StrictCertificate {
        StrictCertificate {
            statement: StrictStatement::Everywhere,
            factor: StrictFactor::NormalNorm,
            power: 0,
            squares: 0,
            square_degree: 0,
            degree_bound: 0,
            unknowns: 0,
            equations: 0,
            residual_multiplier_terms: Vec::new(),
            square_multiplier_terms: Vec::new(),
            residual_multipliers: None,
            square_multipliers: None,
            lower_bound: None,
            normal_space: NormalSpace::ImpliedByMembership,
        }
    }

    #[test]
    fn a_singular_point_of_m_is_never_excluded() {
        // g = x^2 + y^2: M = {0}, where grad g = 0. No identity 1 = a g + b_x 2x + b_y 2y.
        let (x, y) = (Poly::var(0, 2), Poly::var(1, 2));
        let g = x.mul(&x).add(&y.mul(&y));
        let got = with_normal_space(cert(), &[g], &StrictOptions::default());
        assert!(matches!(
            got,
            Err(StrictNotFound::SingularPointsNotExcluded { .. })
        ));
        // g = x y - 1 has no singular point: 1 = x dg/dx - g.
        let g = x.mul(&y).sub(&Poly::constant(1.into(), 2));
        let got = with_normal_space(cert(), &[g], &StrictOptions::default()).unwrap();
        assert!(matches!(got.normal_space, NormalSpace::Proved { .. }));
    }
}
