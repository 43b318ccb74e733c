//! The data returned by discovery (serializable; nothing here prints).

use ngd_algebra::Poly;
use ngd_check::Evidence;
use ngd_expr::ExprId;
use serde::Serialize;
use std::time::Duration;

/// Knobs of [`crate::discover`].
#[derive(Clone, Debug, PartialEq)]
pub struct DiscoverOptions {
    /// Degree bound `D`: polynomial monomials of total degree `1..=D`; Laurent monomials with
    /// `1 <= |e|_1 <= D`; in the exponential ansatz, polynomial factors of degree `0..=D`.
    pub degree: u32,
    /// Run the Laurent ansatz (negative exponents allowed).
    pub laurent: bool,
    /// Run the exponential ansatz `p(x) exp(l(x))` for small-integer linear forms `l`.
    pub exp: bool,
    /// Coefficient bound `K` of the linear forms: `l_i` in `[-K, K]`.
    pub exp_coeff_bound: u32,
    /// Largest number of nonzero coefficients of a linear form.
    pub exp_max_support: usize,
    /// Skip the exponential ansatz when forms x unknowns per form exceeds this.
    pub exp_max_work: u64,
    /// Skip an ansatz with more unknowns than this (reported, never silently).
    pub max_unknowns: u64,
    /// Search for linear symmetries (Prop 3.36).
    pub linear_symmetries: bool,
    /// Count the conservation laws by Lie brackets (completeness).
    pub completeness: bool,
    /// Largest bracket depth of the Lie algebra computation.
    pub lie_max_depth: usize,
    /// Largest number of linearly independent vector fields kept in the Lie algebra.
    pub lie_max_fields: usize,
    /// Number of random rational points at which ranks are computed.
    pub points: usize,
    /// Re-check every quantity exactly with `ngd_algebra::zero_test` (on by default; turning
    /// it off only makes sense for timing the linear algebra, and marks every quantity
    /// `NotCheckedYet`).
    pub verify: bool,
    /// Seed of the random points.
    pub seed: u64,
}

impl Default for DiscoverOptions {
    /// Degree 3, all ansätze (`K = 2`, support at most 2), symmetries and completeness on,
    /// bracket depth at most 8 with at most 400 fields, 2 points, seed 1.
    fn default() -> Self {
        DiscoverOptions {
            degree: 3,
            laurent: true,
            exp: true,
            exp_coeff_bound: 2,
            exp_max_support: 2,
            exp_max_work: 50_000,
            max_unknowns: 200_000,
            linear_symmetries: true,
            completeness: true,
            lie_max_depth: 8,
            lie_max_fields: 400,
            points: 2,
            verify: true,
            seed: 1,
        }
    }
}

/// The shape of an ansatz.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnsatzKind {
    /// `psi = sum c_m x^m` over monomials of total degree `1..=degree`.
    Polynomial {
        /// The degree bound.
        degree: u32,
    },
    /// `psi = sum c_m x^m` over integer exponents with `1 <= |m|_1 <= degree`.
    Laurent {
        /// The bound on `|m|_1`.
        degree: u32,
    },
    /// `psi = p(x) exp(l(x))`, `p` of degree `0..=degree`, for every linear form `l` with
    /// integer coefficients in `[-coeff_bound, coeff_bound]` and at most `max_support`
    /// nonzero ones (one linear system per form).
    Exp {
        /// The degree bound of `p`.
        degree: u32,
        /// The coefficient bound of `l`.
        coeff_bound: u32,
        /// The largest number of nonzero coefficients of `l`.
        max_support: usize,
    },
}

/// One conserved quantity, re-checked exactly.
#[derive(Clone, Debug, Serialize)]
pub struct ConservedQuantity {
    /// The quantity as an expression in the caller's arena.
    #[serde(skip)]
    pub expr: ExprId,
    /// The quantity as text that `ngd-parse` reads back to the same function (leading
    /// monomial first, positive leading coefficient, coprime integer coefficients).
    pub display: String,
    /// The same in LaTeX.
    pub latex: String,
    /// The polynomial factor `p` of `psi = p` or `psi = p exp(l)` (coprime integers).
    #[serde(skip)]
    pub poly: Poly,
    /// The linear form `l` of an exponential quantity (coefficients per variable).
    pub exp_form: Option<Vec<i32>>,
    /// The leading monomial (first in the display).
    pub leading: String,
    /// Number of terms of `p`.
    pub terms: usize,
    /// `Proved` when `<grad g_i, grad psi> == 0` was re-checked by the exact zero test of
    /// `ngd-algebra` for every field; `Refuted` if a check found a nonzero form (a bug);
    /// `Inconclusive` if a check could not decide; `NotCheckedYet` when verification was off.
    pub verified: Evidence,
    /// What the re-check did.
    pub verification: String,
}

/// The result of one ansatz.
#[derive(Clone, Debug, Serialize)]
pub struct AnsatzResult {
    /// The shape.
    pub kind: AnsatzKind,
    /// Why the ansatz was not run (size limit, non-polynomial field, overflow), if it was not.
    pub skipped: Option<String>,
    /// Number of unknown coefficients (summed over the linear forms for `Exp`).
    pub unknowns: usize,
    /// Number of nonzero equations (field, monomial) of the linear system.
    pub equations: usize,
    /// Number of independent blocks the system split into.
    pub blocks: usize,
    /// `(rows, columns)` of the largest block.
    pub largest_block: (usize, usize),
    /// Rank of the system.
    pub rank: usize,
    /// Dimension of the exact nullspace (for `Laurent`, including the polynomial part).
    pub nullspace_dim: usize,
    /// For `Laurent`: how many nullspace dimensions are plain polynomials (not listed again).
    pub polynomial_part: usize,
    /// For `Exp`: the linear forms tried.
    pub forms: Option<FormCounts>,
    /// How the nullspace was computed.
    pub method: String,
    /// The basis: the reduced echelon basis of the space of conserved quantities of this
    /// shape (Laurent: of a complement of the polynomial ones), each scaled to coprime
    /// integers with positive leading coefficient; listed by the size `|e|_1` of the leading
    /// monomial ascending, then by leading monomial descending (for `Exp`, form by form).
    pub basis: Vec<ConservedQuantity>,
    /// Wall time (not serialized: reports stay byte-identical between runs).
    #[serde(skip)]
    pub elapsed: Duration,
}

/// The linear forms of the exponential ansatz.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FormCounts {
    /// Forms whose linear system was solved.
    pub solved: usize,
    /// Forms skipped because `<V_k, l> == 0` for every field: `l` is then a conserved linear
    /// form, found by the polynomial ansatz, and `p exp(l)` adds nothing new.
    pub skipped_conserved: usize,
}

/// One symmetric generator `A` of a linear symmetry and its quadratic invariant.
#[derive(Clone, Debug, Serialize)]
pub struct SymmetricGenerator {
    /// The matrix, row by row (coprime integers), `A[i][j]` for variables `i, j`.
    pub matrix: Vec<Vec<String>>,
    /// `x^T A x` (scaled to coprime integers), conserved by Prop 3.36.
    pub invariant: ConservedQuantity,
}

/// Linear symmetries `x -> e^{tA} x` of every generator (docs/math.md "Discovery", Prop 3.36).
#[derive(Clone, Debug, Serialize)]
pub struct LinearSymmetries {
    /// Why the search was not run, if it was not.
    pub skipped: Option<String>,
    /// Unknowns (`n(n+1)/2`) and equations of the symmetric system.
    pub unknowns: usize,
    /// Nonzero equations of the symmetric system.
    pub equations: usize,
    /// Dimension of the space of symmetric `A` with `<grad g_i(x), A x> == 0` for all `i`.
    pub symmetric_dim: usize,
    /// Dimension of the Lie algebra of all `A` (not necessarily symmetric) with
    /// `<grad g_i(x), A x> == 0`: the linear symmetry group's Lie algebra.
    pub lie_algebra_dim: usize,
    /// A basis of the symmetric generators (reduced echelon form) with their invariants.
    pub generators: Vec<SymmetricGenerator>,
    /// The statement used.
    pub statement: String,
}

/// How many independent conservation laws exist, and how many were found.
#[derive(Clone, Debug, Serialize)]
pub struct Completeness {
    /// `Proved` when the found quantities account for all laws (found == exist, see
    /// `method`); `Inconclusive` otherwise; `NotCheckedYet` when skipped.
    pub status: Evidence,
    /// Why the count was not run, if it was not.
    pub skipped: Option<String>,
    /// Number of variables `n`.
    pub n_vars: usize,
    /// Number of generating fields.
    pub generators: usize,
    /// Bracket depth reached.
    pub depth: usize,
    /// Number of linearly independent (over Q) fields kept: generators and brackets.
    pub lie_fields: usize,
    /// True when no new independent bracket appeared: the kept fields span `Lie(V)`.
    pub closed: bool,
    /// Pointwise rank of the kept fields after each depth (maximum over the points).
    pub rank_by_depth: Vec<usize>,
    /// Final pointwise rank: a lower bound of `dim Lie(V)(x)` at a generic point.
    pub lie_rank: usize,
    /// `n - lie_rank`: an upper bound of the number of independent laws, and their number
    /// when `laws_exist_exact`.
    pub laws_exist: usize,
    /// Whether `laws_exist` is exact (rank `n`; closed with as many independent fields as the
    /// rank; or matched by the found quantities).
    pub laws_exist_exact: bool,
    /// Functionally independent verified quantities found: the rank of their gradients at
    /// the points (a lower bound of their number).
    pub laws_found: usize,
    /// `laws_exist - laws_found`.
    pub missing: usize,
    /// One line, e.g. `3 laws exist; 3 found (complete)`.
    pub summary: String,
    /// How the numbers were obtained.
    pub method: String,
}

/// Everything discovery found about `f`.
#[derive(Clone, Debug, Serialize)]
pub struct DiscoveryReport {
    /// The variables, in order.
    pub variables: Vec<String>,
    /// The recognised shape of `f`.
    pub structure: String,
    /// Which identities a conserved quantity must satisfy.
    pub field_rule: String,
    /// The vector fields used: `grad g`, `grad g_i` for each residual, or `grad f`.
    pub fields: Vec<String>,
    /// The ansätze, in the order polynomial, Laurent, exponential.
    pub ansatz: Vec<AnsatzResult>,
    /// Linear symmetries and their quadratic invariants.
    pub linear_symmetries: LinearSymmetries,
    /// Number of laws that exist versus found.
    pub completeness: Completeness,
    /// The seed of the random points.
    pub seed: u64,
    /// The generators in the caller's arena (`g`, the residuals, or `f`).
    #[serde(skip)]
    pub generators: Vec<ExprId>,
    /// The generators as Laurent polynomials, when they are.
    #[serde(skip)]
    pub generator_polys: Vec<Poly>,
}

impl DiscoveryReport {
    /// Every verified conserved quantity, in report order: the ansätze, then the quadratic
    /// invariants of the linear symmetries (each distinct quantity once).
    pub fn quantities(&self) -> Vec<&ConservedQuantity> {
        let mut seen = std::collections::BTreeSet::new();
        self.ansatz
            .iter()
            .flat_map(|a| a.basis.iter())
            .chain(
                self.linear_symmetries
                    .generators
                    .iter()
                    .map(|g| &g.invariant),
            )
            .filter(|q| q.verified == Evidence::Proved)
            .filter(|q| seen.insert(q.display.clone()))
            .collect()
    }
}

/// A regularizer proposed from the conserved quantities (docs/math.md section 1, the recipe
/// `phi = sum_i (psi_i - psi_i(S))^2`).
#[derive(Clone, Debug, Serialize)]
pub struct Proposal {
    /// `phi` as an expression in the caller's arena.
    #[serde(skip)]
    pub phi: ExprId,
    /// `phi` as text that `ngd-parse` reads back to the same function.
    pub display: String,
    /// A line ready to paste into a case file: `regularizer = "..."`.
    pub regularizer_line: String,
    /// The quantities used, with their value on the flat set.
    pub terms: Vec<ProposalTerm>,
    /// Quantities left out, with the reason.
    pub excluded: Vec<ExcludedQuantity>,
    /// Number of flat points given.
    pub flat_points: usize,
    /// How the terms were chosen.
    pub rule: String,
}

/// One quantity used in a proposal.
#[derive(Clone, Debug, Serialize)]
pub struct ProposalTerm {
    /// The quantity in the caller's arena.
    #[serde(skip)]
    pub psi: ExprId,
    /// Its text.
    pub psi_display: String,
    /// Its (common) value on the flat set, an exact rational.
    pub value_on_flat_set: String,
}

/// A quantity not used in a proposal.
#[derive(Clone, Debug, Serialize)]
pub struct ExcludedQuantity {
    /// Its text.
    pub psi_display: String,
    /// Why it was left out.
    pub reason: String,
}
