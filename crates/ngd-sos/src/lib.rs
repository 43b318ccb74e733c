//! Exact sum-of-squares certificates (docs/math.md, "SOS certificates").
//!
//! [`prove_nonnegative`] looks for `target = z^T G z + sum_i lambda_i g_i` with `G` positive
//! semidefinite and polynomial multipliers `lambda_i`: a proof that `target >= 0` on the set
//! `{g_i = 0}` (everywhere without equalities). The pipeline:
//!
//! 1. the Gram basis `z` ([`basis`]: half Newton polytope and forced-zero diagonals; the full
//!    basis of half the degree when there are multipliers);
//! 2. the linear equations of the coefficients ([`program`]);
//! 3. a numerical solution of the semidefinite program by Clarabel ([`sdp`]), evidence only;
//! 4. facial reduction: the numerical kernel of `G` rounded to rationals ([`kernel`]);
//! 5. rounding to rationals with growing denominators, the equations then solved exactly
//!    ([`echelon`]);
//! 6. the exact check ([`SosCertificate::verify`]: the identity over Q, and `G` positive
//!    semidefinite by exact `L D L^T`, [`psd`]).
//!
//! Only step 6 makes a proof; a failure anywhere is "no certificate", never a refutation.
//!
//! On top of a certificate, [`strict`] proves the strict decrease statement of C4 (`T > 0` off
//! the minimum of `phi` on `{g = 0}`) from the certificate's squares by an exact ideal
//! membership ([`ideal`]) and a certificate of `phi >= c`.
//!
//! ```
//! use ngd_algebra::Poly;
//! use rug::Rational;
//! // x^4 - 2 x^2 y^2 + y^4 + x^2 = (x^2 - y^2)^2 + x^2
//! let t = |e: [i32; 2], c: i64| (e.to_vec(), Rational::from(c));
//! let p = Poly::from_terms(vec![t([4, 0], 1), t([2, 2], -2), t([0, 4], 1), t([2, 0], 1)]);
//! let outcome = ngd_sos::prove_nonnegative(&p, &[], &ngd_sos::SosOptions::default());
//! let ngd_sos::SosOutcome::Proved(cert) = outcome else { panic!("{outcome:?}") };
//! assert!(cert.verify(&p, &[]).is_ok());
//! ```

pub mod basis;
mod certificate;
mod claim;
pub mod echelon;
pub mod ideal;
pub mod kernel;
pub mod monomial;
pub mod program;
pub mod psd;
pub mod sdp;
pub mod strict;

pub use certificate::{CertificateError, ProgramSizes, SosCertificate};
pub use claim::{print, prove_claim, syntactic_poly, SosClaim, SosDomain};
pub use strict::{
    prove_strict, NormalSpace, StrictCertificate, StrictFactor, StrictNotFound, StrictOptions,
    StrictProblem, StrictStatement,
};

use basis::{newton_basis, BasisSizes};
use echelon::{Echelon, EchelonFailure};
use monomial::{all_up_to, degree, Monomial};
use ngd_algebra::Poly;
use program::{terms_of, Equation, GramProgram};
use rug::{Integer, Rational};
use serde::Serialize;

/// Largest `terms(a) * terms(b)` of a polynomial product the SOS routes of the checks compute
/// while building their targets (a bound on their time and memory; beyond it the route reports
/// "too large").
pub const MAX_PRODUCT_WORK: usize = 2_000_000;

/// The number of monomials of degree at most `d` in `n` variables (saturating): a bound on the
/// terms of any polynomial of that degree.
pub fn count_terms_up_to(n: usize, d: u32) -> u64 {
    monomial::count_up_to(n, d)
}

/// Whether `a * b` is within [`MAX_PRODUCT_WORK`].
pub fn product_fits(a: &Poly, b: &Poly) -> bool {
    a.len().saturating_mul(b.len()) <= MAX_PRODUCT_WORK
}

/// Limits of the search; every one is a count, so the outcome does not depend on the machine.
#[derive(Clone, Debug)]
pub struct SosOptions {
    /// Largest Gram basis tried (the SDP has `basis^2 / 2` unknowns).
    pub max_basis: usize,
    /// Largest Gram basis with multipliers (no Newton polytope reduction applies there, and
    /// the multipliers add unknowns).
    pub max_basis_constrained: usize,
    /// Largest number of kernel equations `(G k)_i = 0` imposed exactly (facial reduction).
    pub max_kernel_equations: usize,
    /// Interior-point iterations of the SDP solver.
    pub max_iterations: u32,
    /// Largest number of non-zero coefficients during exact elimination.
    pub max_entries: usize,
    /// Rounding denominators tried, in order (powers of two).
    pub denominator_bits: Vec<u32>,
}

impl Default for SosOptions {
    fn default() -> Self {
        SosOptions {
            max_basis: 80,
            max_basis_constrained: 40,
            max_kernel_equations: 1_000,
            max_iterations: 200,
            max_entries: 300_000,
            denominator_bits: vec![8, 12, 16, 20, 26, 32, 40],
        }
    }
}

/// The result of the search.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SosOutcome {
    /// An exact certificate, already verified.
    Proved(SosCertificate),
    /// No certificate: why, and how far the search got.
    NotFound {
        /// The reason.
        reason: NotFound,
        /// The basis sizes, when a basis was built.
        basis: Option<BasisSizes>,
    },
}

/// Why no certificate was produced. None of these is a proof of anything.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotFound {
    /// A negative exponent (a Laurent polynomial has no Gram form).
    NotPolynomial,
    /// Building the polynomial to prove would exceed [`MAX_PRODUCT_WORK`].
    TargetTooLarge,
    /// The target's degree is odd, or a leading term cannot be a square: not SOS.
    OddDegree,
    /// The Gram basis exceeds [`SosOptions::max_basis`].
    TooLarge {
        /// The basis size after the reductions.
        basis: usize,
        /// The limit.
        limit: usize,
    },
    /// The coefficient equations contradict each other with this basis.
    Inconsistent,
    /// The exact elimination exceeded [`SosOptions::max_entries`].
    EliminationTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The SDP solver found the program infeasible (numerically): no SOS certificate with
    /// this basis and these multiplier degrees.
    Infeasible,
    /// The solver's best Gram matrix has a negative eigenvalue: numerically, no positive
    /// semidefinite one exists with this basis.
    NegativeMargin {
        /// The largest smallest-eigenvalue reached (relative to the target's scale).
        margin: f64,
    },
    /// The SDP solver stopped without a solution.
    SolverStopped {
        /// Clarabel's status.
        status: String,
    },
    /// A numerical solution exists, but no rounding was exactly positive semidefinite.
    RoundingFailed {
        /// The smallest eigenvalue margin the solver reached (relative).
        margin: f64,
        /// The largest denominator tried, in bits.
        max_bits: u32,
    },
}

/// Searches for a certificate that `target >= 0` wherever every polynomial of `equalities`
/// vanishes (everywhere when there is none). With equalities, each multiplier has degree
/// `2d - deg g_i`, where `2d` is the target's degree rounded up to even.
pub fn prove_nonnegative(target: &Poly, equalities: &[Poly], opts: &SosOptions) -> SosOutcome {
    let not_found = |reason, basis| SosOutcome::NotFound { reason, basis };
    let Some(t) = terms_of(target) else {
        return not_found(NotFound::NotPolynomial, None);
    };
    let Some(gs) = equalities.iter().map(terms_of).collect::<Option<Vec<_>>>() else {
        return not_found(NotFound::NotPolynomial, None);
    };
    let n = target.n_vars();
    let support: Vec<Monomial> = t.iter().map(|(m, _)| m.clone()).collect();
    let top = support.iter().map(|m| degree(m)).max().unwrap_or(0);
    if gs.is_empty() && top % 2 == 1 {
        return not_found(NotFound::OddDegree, None);
    }
    let bases = if gs.is_empty() {
        newton_basis(n, &support).map(|(b, s)| (b, s, Vec::new()))
    } else {
        constrained_basis(n, top, &gs)
    };
    let Some((basis, sizes, multiplier_monomials)) = bases else {
        let reason = NotFound::TooLarge {
            basis: usize::try_from(basis::MAX_CANDIDATES).unwrap_or(usize::MAX),
            limit: opts.max_basis,
        };
        return not_found(reason, None);
    };
    let limit = if gs.is_empty() {
        opts.max_basis
    } else {
        opts.max_basis_constrained
    };
    if basis.len() > limit {
        let reason = NotFound::TooLarge {
            basis: basis.len(),
            limit,
        };
        return not_found(reason, Some(sizes));
    }
    let program = GramProgram::new(n, basis, &t, &gs, &multiplier_monomials);
    match search(&program, sizes, opts) {
        Ok(cert) => match cert.verify(target, equalities) {
            Ok(()) => SosOutcome::Proved(cert),
            // The search checked the same facts; a failure here is a bug, never a proof.
            Err(e) => panic!("SOS certificate failed its own exact check: {e:?}"),
        },
        Err(reason) => not_found(reason, Some(sizes)),
    }
}

/// Searches for a constant `C` and a certificate that `target + C >= 0` everywhere, i.e. that
/// `target` is bounded below by `-C`: the constant equation of the program is dropped, so the
/// Gram entry of the monomial `1` is free. Returns the certificate (of `target + C`) and `C`.
pub fn prove_bounded_below(
    target: &Poly,
    opts: &SosOptions,
) -> Result<(SosCertificate, Rational), NotFound> {
    let t = terms_of(target).ok_or(NotFound::NotPolynomial)?;
    let n = target.n_vars();
    let zero: Monomial = vec![0; n];
    let mut support: Vec<Monomial> = t.iter().map(|(m, _)| m.clone()).collect();
    if support.iter().map(|m| degree(m)).max().unwrap_or(0) % 2 == 1 {
        return Err(NotFound::OddDegree);
    }
    support.push(zero.clone());
    let (basis, sizes) = newton_basis(n, &support).ok_or(NotFound::TooLarge {
        basis: usize::try_from(basis::MAX_CANDIDATES).unwrap_or(usize::MAX),
        limit: opts.max_basis,
    })?;
    if basis.len() > opts.max_basis {
        return Err(NotFound::TooLarge {
            basis: basis.len(),
            limit: opts.max_basis,
        });
    }
    let Some(one) = basis.iter().position(|m| *m == zero) else {
        return Err(NotFound::Inconsistent);
    };
    let mut program = GramProgram::new(n, basis, &t, &[], &[]);
    program
        .equations
        .retain(|e| e.monomial.as_ref() != Some(&zero));
    let cert = search(&program, sizes, opts)?;
    let gram_one = Rational::parse(&cert.gram[one][one])
        .map(Rational::from)
        .expect("the search prints rationals");
    let constant = gram_one - target.coeff(&vec![0; n]);
    let shifted = target.add(&Poly::constant(constant.clone(), n));
    match cert.verify(&shifted, &[]) {
        Ok(()) => Ok((cert, constant)),
        Err(e) => panic!("SOS certificate failed its own exact check: {e:?}"),
    }
}

/// The full basis of half the degree and the multiplier monomials, for programs on `{g = 0}`
/// (`None` when the basis would exceed [`basis::MAX_CANDIDATES`]).
fn constrained_basis(
    n: usize,
    top: u32,
    gs: &[Vec<(Monomial, Rational)>],
) -> Option<(Vec<Monomial>, BasisSizes, Vec<Vec<Monomial>>)> {
    let g_top = gs
        .iter()
        .flat_map(|g| g.iter().map(|(m, _)| degree(m)))
        .max()
        .unwrap_or(0);
    let half = top.max(g_top).div_ceil(2);
    if monomial::count_up_to(n, 2 * half) > basis::MAX_CANDIDATES {
        return None;
    }
    let basis = all_up_to(n, half);
    let multipliers = gs
        .iter()
        .map(|g| {
            let dg = g.iter().map(|(m, _)| degree(m)).max().unwrap_or(0);
            all_up_to(n, (2 * half).saturating_sub(dg))
        })
        .collect();
    let sizes = BasisSizes {
        full: basis.len(),
        newton: basis.len(),
        reduced: basis.len(),
    };
    Some((basis, sizes, multipliers))
}

/// Below this relative margin the numerical solution is not positive semidefinite (solver
/// accuracy is about `1e-8`).
const NEGATIVE_MARGIN: f64 = 1e-6;

/// Steps 3-6: solve, reduce the face, round, check.
fn search(
    program: &GramProgram,
    sizes: BasisSizes,
    opts: &SosOptions,
) -> Result<SosCertificate, NotFound> {
    if program
        .equations
        .iter()
        .any(|e| e.terms.is_empty() && e.rhs != 0)
    {
        return Err(NotFound::Inconsistent);
    }
    if program.basis.is_empty() {
        // Every equation reads 0 = 0 (checked above) up to multiplier terms: the empty sum of
        // squares with zero multipliers is the certificate when the target is 0.
        let x = vec![Rational::new(); program.n_unknowns()];
        let exact = program.equations.iter().all(|e| e.rhs == 0);
        return exact
            .then(|| certificate(program, &x, sizes, 0, 0))
            .flatten()
            .ok_or(NotFound::Inconsistent);
    }
    let solution = sdp::solve(program, opts.max_iterations).map_err(|f| match f {
        sdp::SolverFailure::Infeasible => NotFound::Infeasible,
        sdp::SolverFailure::Stopped { status } => NotFound::SolverStopped { status },
    })?;
    if solution.margin < -NEGATIVE_MARGIN {
        return Err(NotFound::NegativeMargin {
            margin: solution.margin,
        });
    }
    let g = kernel::gram_matrix(program, &solution.x);
    let mut attempts: Vec<Vec<Vec<Rational>>> = Vec::new();
    if let Some(k) = kernel::rational_kernel(&g) {
        if !k.is_empty() && k.len() * program.basis.len() <= opts.max_kernel_equations {
            attempts.push(k);
        }
    }
    attempts.push(Vec::new());
    let mut last = NotFound::RoundingFailed {
        margin: solution.margin,
        max_bits: opts.denominator_bits.iter().copied().max().unwrap_or(0),
    };
    for kernel in attempts {
        let mut equations: Vec<Equation> = program.equations.clone();
        equations.extend(kernel::kernel_equations(program, &kernel));
        let echelon = match Echelon::new(&equations, opts.max_entries) {
            Ok(e) => e,
            Err(EchelonFailure::Inconsistent) => continue,
            Err(EchelonFailure::TooLarge) => {
                last = NotFound::EliminationTooLarge {
                    limit: opts.max_entries,
                };
                continue;
            }
        };
        for &bits in &opts.denominator_bits {
            let x = rounded(&solution.x, bits, &echelon);
            if let Some(cert) = certificate(program, &x, sizes, kernel.len(), bits) {
                return Ok(cert);
            }
        }
    }
    Err(last)
}

/// The solution rounded to multiples of `2^-bits`, the pivots completed exactly.
fn rounded(x: &[f64], bits: u32, echelon: &Echelon) -> Vec<Rational> {
    let d = Integer::from(1) << bits;
    let mut q: Vec<Rational> = x
        .iter()
        .map(|&v| {
            let scaled =
                Rational::from_f64(v * f64::from(2u32).powi(bits as i32)).unwrap_or_default();
            Rational::from((scaled.round().into_numer_denom().0, d.clone()))
        })
        .collect();
    echelon.complete(&mut q);
    q
}

/// The certificate of an exact solution `x`, if its Gram matrix is positive semidefinite.
fn certificate(
    program: &GramProgram,
    x: &[Rational],
    basis: BasisSizes,
    kernel: usize,
    bits: u32,
) -> Option<SosCertificate> {
    let n = program.basis.len();
    let mut gram = vec![vec![Rational::new(); n]; n];
    for (k, &(i, j)) in program.pairs.iter().enumerate() {
        gram[i][j] = x[k].clone();
        gram[j][i] = x[k].clone();
    }
    let psd::Definiteness::Semidefinite { rank } = psd::definiteness(&gram) else {
        return None;
    };
    let mut multipliers = vec![
        Vec::new();
        program
            .multipliers
            .iter()
            .map(|m| m.0 + 1)
            .max()
            .unwrap_or(0)
    ];
    for (k, (i, m)) in program.multipliers.iter().enumerate() {
        let c = &x[program.pairs.len() + k];
        if *c != 0 {
            multipliers[*i].push((m.clone(), c.to_string()));
        }
    }
    Some(SosCertificate {
        basis: program.basis.clone(),
        gram: gram
            .iter()
            .map(|r| r.iter().map(|v| v.to_string()).collect())
            .collect(),
        multipliers,
        rank,
        sizes: ProgramSizes {
            basis,
            kernel,
            unknowns: program.n_unknowns(),
            equations: program.equations.len(),
            denominator: 1u64 << bits.min(63),
        },
    })
}
