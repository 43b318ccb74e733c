//! The data returned by discovery (serializable; nothing here prints).

use ngd_algebra::Poly;
use ngd_check::{Evidence, ObjectiveShape};
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
    /// Largest number of distinct kink sets of a piecewise field (`2^max_kinks` regions).
    pub max_kinks: usize,
    /// Seeded random rational points tried per region to show it is not empty.
    pub region_samples: usize,
}

impl Default for DiscoverOptions {
    /// Degree 3, all ansätze (`K = 2`, support at most 2), symmetries and completeness on,
    /// bracket depth at most 8 with at most 400 fields, 2 points, seed 1; at most 4 kink sets
    /// (16 regions), 64 sample points per region.
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
            max_kinks: 4,
            region_samples: 64,
        }
    }
}

/// The shape of an ansatz.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
    pub verification: Verification,
    /// The function ring of `poly` (no atom for Laurent polynomials in the variables).
    #[serde(skip)]
    pub ring: crate::FunctionRing,
}

/// What the exact re-check of `<grad g_k, grad psi> == 0` found, field by field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verification {
    /// Verification was turned off ([`DiscoverOptions::verify`]).
    TurnedOff,
    /// Every product `<grad g_k, grad psi>` has the zero canonical form.
    Zero {
        /// Number of generators checked.
        generators: usize,
    },
    /// Some product has a nonzero canonical form (an internal error of discovery).
    Nonzero {
        /// Number of generators checked.
        generators: usize,
        /// Number of nonzero products.
        nonzero: usize,
    },
    /// A law of a piecewise field: every product has the zero canonical form on the smooth
    /// formula of every region (so it holds off the kink sets).
    EveryRegion {
        /// Number of regions.
        regions: usize,
    },
    /// The zero test could not decide some product.
    Undecided {
        /// Number of generators checked.
        generators: usize,
        /// The zero test's reasons, one per undecided product.
        reasons: Vec<String>,
    },
}

/// Why a step of discovery (an ansatz, the symmetry search, the count of laws) was not run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Skip {
    /// The step was turned off in the options.
    NotRequested,
    /// Every generator is constant: there is no flow and every function is conserved.
    ConstantGenerators,
    /// A generator is not a Laurent polynomial in the variables (after exact
    /// canonicalization).
    NotLaurent {
        /// The generator, as text.
        generator: String,
    },
    /// A generator is not a Laurent polynomial in the variables and the atoms `exp(u)`,
    /// `log(x_i)` of the function ring.
    NotInRing {
        /// The generator, as text.
        generator: String,
        /// Why.
        reason: RingFailure,
    },
    /// The fields involve `exp` or `log` atoms: the linear symmetry search needs Laurent
    /// polynomial fields.
    RingFields,
    /// The fields are piecewise (`max`, `min`, `abs`, `sign`): discovery runs region by region.
    Piecewise {
        /// Number of regions.
        regions: usize,
    },
    /// More distinct kink sets than [`DiscoverOptions::max_kinks`].
    TooManyKinks {
        /// Number of kink sets.
        kinks: usize,
        /// The limit.
        limit: usize,
    },
    /// A coefficient of a field does not fit in 64 bits.
    FieldOverflow,
    /// A coefficient of an equation does not fit in 64 bits.
    EquationOverflow,
    /// The system has more unknowns than [`DiscoverOptions::max_unknowns`].
    TooManyUnknowns {
        /// Number of unknowns.
        unknowns: u64,
        /// The limit.
        limit: u64,
    },
    /// The exponential ansatz needs more work than [`DiscoverOptions::exp_max_work`].
    TooMuchWork {
        /// Number of linear forms.
        forms: u64,
        /// Unknowns per form.
        unknowns_per_form: u64,
        /// `forms x unknowns_per_form` (saturating).
        work: u64,
        /// The limit.
        limit: u64,
    },
}

/// How an exact nullspace was computed: split into connected blocks; per block, pivots and
/// nullspace modulo `2^61 - 1`, rational reconstruction, every basis vector verified exactly
/// over `Z` (blocks that need it use several primes, or exact elimination over `Q`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NullspaceMethod {
    /// One system for the whole ansatz.
    ModularBlocks {
        /// How many blocks each method solved.
        blocks: BlockMethods,
    },
    /// One system per linear form (the exponential ansatz); the counts are summed over the
    /// forms with a nonzero nullspace.
    PerLinearForm {
        /// How many blocks each method solved.
        blocks: BlockMethods,
    },
}

/// How many blocks each elimination method solved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct BlockMethods {
    /// Blocks solved modulo one prime.
    pub one_prime: usize,
    /// Blocks that needed several primes.
    pub several_primes: usize,
    /// Blocks eliminated exactly over `Q`.
    pub exact_over_q: usize,
}

/// The result of one ansatz.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct AnsatzResult {
    /// The shape.
    pub kind: AnsatzKind,
    /// Why the ansatz was not run (size limit, non-polynomial field, overflow), if it was not.
    pub skipped: Option<Skip>,
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
    /// How the nullspace was computed (`None` when skipped).
    pub method: Option<NullspaceMethod>,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FormCounts {
    /// Forms whose linear system was solved.
    pub solved: usize,
    /// Forms skipped because `<V_k, l> == 0` for every field: `l` is then a conserved linear
    /// form, found by the polynomial ansatz, and `p exp(l)` adds nothing new.
    pub skipped_conserved: usize,
    /// Forms skipped because `l` is in the span of the ring's `exp` arguments: `exp(l)` is
    /// then a power of ring atoms, and `p exp(l)` could cancel to a constant.
    pub skipped_in_ring: usize,
}

/// One symmetric generator `A` of a linear symmetry and its quadratic invariant.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SymmetricGenerator {
    /// The matrix, row by row (coprime integers), `A[i][j]` for variables `i, j`.
    pub matrix: Vec<Vec<String>>,
    /// `x^T A x` (scaled to coprime integers), conserved by Prop 3.36.
    pub invariant: ConservedQuantity,
}

/// Linear symmetries `x -> e^{tA} x` of every generator (docs/math.md "Discovery", Prop 3.36).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct LinearSymmetries {
    /// Why the search was not run, if it was not.
    pub skipped: Option<Skip>,
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
    pub statement: SymmetryStatement,
}

/// The statement that turns linear symmetries into conserved quantities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SymmetryStatement {
    /// Prop 3.36 (docs/math.md, "Discovery"): if `A` is symmetric and
    /// `<grad g_i(x), A x> == 0` for every generator, every `g_i` is invariant under
    /// `x -> exp(tA) x` and `x^T A x` is conserved by the gradient flow.
    #[serde(rename = "prop_3_36")]
    Prop3_36,
}

/// How many independent conservation laws exist, and how many were found.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Completeness {
    /// `Proved` when the found quantities account for all laws (found == exist, see
    /// `method`); `Inconclusive` otherwise; `NotCheckedYet` when skipped.
    pub status: Evidence,
    /// Why the count was not run, if it was not.
    pub skipped: Option<Skip>,
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
    /// The outcome of the count, e.g. `3 laws exist; 3 found (complete)`.
    pub summary: LawCount,
    /// How the numbers were obtained (`None` when skipped).
    pub method: Option<CountMethod>,
}

/// The outcome of the count of conservation laws.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LawCount {
    /// The count was not run.
    NotComputed,
    /// `exist` laws exist and as many independent ones were found: proved complete.
    Complete {
        /// Number of laws.
        exist: usize,
        /// Number found (equal to `exist`).
        found: usize,
    },
    /// Exactly `exist` laws exist; `missing` of them are not of the shapes tried.
    Missing {
        /// Number of laws.
        exist: usize,
        /// Number found.
        found: usize,
        /// `exist - found`.
        missing: usize,
    },
    /// At most `exist` laws exist (an upper bound only).
    AtMost {
        /// The upper bound.
        exist: usize,
        /// Number found.
        found: usize,
        /// Why the bound may not be exact.
        bound: BoundLimit,
    },
}

/// Why the upper bound of the number of laws may not be exact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BoundLimit {
    /// The bracket algebra closed, but its rank is estimated at random points.
    ClosedAtRandomPoints,
    /// The computation stopped at the field cap [`DiscoverOptions::lie_max_fields`].
    FieldCap {
        /// The cap.
        fields: usize,
    },
    /// The computation stopped at this bracket depth.
    DepthCap {
        /// The depth reached.
        depth: usize,
    },
}

/// How the laws were counted (Marcotte, Gribonval, Peyre, "Abide by the law and follow the
/// flow"; docs/math.md, "Discovery").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CountMethod {
    /// Near a generic point the number of laws is `n - dim Lie(V)(x)`: exact Laurent
    /// brackets (Q-dependent ones dropped), exact ranks over Q at seeded random rational
    /// points; `n - rank` bounds the laws from above, the gradient rank of the verified
    /// quantities bounds the found ones from below; equal bounds prove the count.
    LieRankAtPoints {
        /// Largest bracket depth.
        max_depth: usize,
        /// Largest number of kept fields.
        max_fields: usize,
        /// Number of random points.
        points: usize,
    },
}

/// Which identities a conserved quantity `psi` must satisfy (docs/math.md, "Discovery").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldRule {
    /// `f = c h(g)` with `h'(g) != 0` almost everywhere: `psi` is conserved iff
    /// `<grad g, grad psi> = 0`.
    Scalar,
    /// `f = sum_i c_i g_i^2`: `<grad g_i, grad psi> = 0` for every residual (sufficient for
    /// the flow of `f`; necessary for every loss of the residuals).
    LeastSquares,
    /// No structure: `psi` is conserved iff `<grad f, grad psi> = 0`.
    General,
}

/// One generator and its gradient field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GeneratorField {
    /// The generator `g` as text.
    pub generator: String,
    /// The components of `grad g` as text (`None` when `g` is not a Laurent polynomial).
    pub gradient: Option<Vec<String>>,
    /// `grad g == 0`: the generator imposes no condition.
    pub constant: bool,
}

/// Everything discovery found about `f`.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DiscoveryReport {
    /// The variables, in order.
    pub variables: Vec<String>,
    /// The recognised shape of `f`.
    pub structure: ObjectiveShape,
    /// Which identities a conserved quantity must satisfy.
    pub field_rule: FieldRule,
    /// The vector fields used: `grad g`, `grad g_i` for each residual, or `grad f`.
    pub fields: Vec<GeneratorField>,
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
    /// The function ring of the fields: the `exp`/`log` atoms (none for Laurent fields).
    pub ring: crate::FunctionRing,
    /// For piecewise fields, discovery region by region (`None` for smooth fields).
    pub piecewise: Option<PiecewiseDiscovery>,
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
            .chain(self.piecewise.iter().flat_map(|p| p.common.iter()))
            .filter(|q| q.verified == Evidence::Proved)
            .filter(|q| seen.insert(q.display.clone()))
            .collect()
    }
}

/// A regularizer proposed from the conserved quantities (docs/math.md section 1, the recipe
/// `phi = sum_i (psi_i - psi_i(S))^2`).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
    pub rule: ProposalRule,
    /// Whether `phi` vanishes at the flat points ([`crate::check_vanishing`]; `None` until
    /// checked).
    pub vanishing: Option<FlatSetVanishing>,
    /// Whether `phi` vanishes on the whole sets the flat components' equations describe
    /// ([`crate::vanishing_on_equations`]; empty when no component has equations).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub equation_sets: Vec<crate::EquationSetVanishing>,
}

/// How the terms of a proposal were chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProposalRule {
    /// `phi = sum_i (psi_i - psi_i(S))^2` over verified conserved `psi_i` defined and
    /// constant on the flat set `S` (agreement to `2^-agreement_bits` relative) with a
    /// rational common value: all of them but constant multiples and powers of those already
    /// used, or (`independent_only`) a functionally independent subset kept greedily in report
    /// order (gradient rank at seeded random rational points).
    SumOfSquaredDeviations {
        /// The relative agreement required, in bits.
        agreement_bits: u32,
        /// Whether functionally dependent quantities were left out (they can only shrink the
        /// zero set of `phi`, so the full sum vanishes on the smallest set).
        independent_only: bool,
    },
}

/// One quantity used in a proposal.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ExcludedQuantity {
    /// Its text.
    pub psi_display: String,
    /// Why it was left out.
    pub reason: Exclusion,
}

/// Why a quantity was left out of a proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Exclusion {
    /// A flat point has the wrong number of coordinates.
    WrongDimension {
        /// Its number of coordinates.
        coordinates: usize,
        /// The number of variables.
        expected: usize,
    },
    /// Not defined at a flat point (a pole).
    Pole,
    /// Not constant on the flat set: two of its values there (12 significant digits).
    NotConstant {
        /// The value at the first flat point.
        first: String,
        /// A value that differs from it.
        other: String,
    },
    /// Its common value (20 significant digits) is not recognised as a rational.
    NotRational {
        /// The value.
        value: String,
    },
    /// Functionally dependent on the quantities already used.
    Dependent,
}

/// An atom of the function ring of the fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RingAtom {
    /// The atom as text, e.g. `exp(x)` (also its name in printed quantities).
    pub display: String,
    /// What it is.
    pub kind: AtomKind,
}

/// The kind of a ring atom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AtomKind {
    /// `exp(u)`, `u` a Laurent polynomial without constant term (a basis element of the
    /// lattice of the `exp` arguments that occur).
    Exp {
        /// `u` as text.
        argument: String,
    },
    /// `log(x_i)`.
    Log {
        /// The variable.
        variable: String,
    },
}

/// Why a generator is not in the supported function ring.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RingFailure {
    /// The argument of an `exp` is not a Laurent polynomial in the variables.
    ExpArgument {
        /// The argument.
        argument: String,
    },
    /// The argument of an `exp` has a nonzero constant term (`e^c` is not rational).
    ExpConstant {
        /// The argument.
        argument: String,
    },
    /// The `exp` arguments need integer coordinates above 1000 in a common lattice basis
    /// (`exp(x)` next to `exp(x/1009)`): the ring would have huge exponents.
    ExpLattice {
        /// The argument with the largest coordinate.
        argument: String,
    },
    /// The argument of a `log` is not a variable.
    LogArgument {
        /// The argument.
        argument: String,
    },
    /// The generator is not a Laurent polynomial in the variables and atoms (a root, a
    /// nonsmooth function inside an atom, a non-monomial denominator).
    NotPolynomial,
}

/// Discovery for a piecewise field, region by region (docs/math.md, "Nonsmooth functions").
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PiecewiseDiscovery {
    /// The kink sets `{u = 0}`, one per distinct argument (up to a constant factor).
    pub kinks: Vec<KinkSet>,
    /// Why the regions were not run (too many kinks), if they were not.
    pub skipped: Option<Skip>,
    /// One entry per sign pattern of the kink arguments.
    pub regions: Vec<RegionDiscovery>,
    /// Quantities proved conserved on the smooth formula of every region: conserved off the
    /// kink sets.
    pub common: Vec<ConservedQuantity>,
}

/// A kink set `{u = 0}` of the fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct KinkSet {
    /// `u` as text (primitive integer coefficients, positive leading coefficient when `u` is
    /// a polynomial).
    pub argument: String,
    /// The operations whose kink it is, e.g. `max`.
    pub sources: Vec<String>,
}

/// One region: a sign for each kink argument, its smooth formula and what discovery found.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RegionDiscovery {
    /// `u_i > 0` or `u_i < 0`, one per kink set (same order).
    pub conditions: Vec<RegionCondition>,
    /// Whether a point of the region was found.
    pub witness: RegionWitness,
    /// The generators restricted to the region, as text.
    pub generators: Vec<String>,
    /// The function ring of the region's fields.
    pub ring: crate::FunctionRing,
    /// The fields used.
    pub fields: Vec<GeneratorField>,
    /// The ansätze, as for a smooth field; every quantity is re-checked exactly on the
    /// region's formula.
    pub ansatz: Vec<AnsatzResult>,
    /// Linear symmetries of the region's generators and their invariants.
    pub linear_symmetries: LinearSymmetries,
    /// The count of laws of the region's fields.
    pub completeness: Completeness,
    /// The region's generators in the caller's arena.
    #[serde(skip)]
    pub generator_exprs: Vec<ExprId>,
}

/// The sign of a kink argument on a region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RegionCondition {
    /// The kink argument `u`.
    pub argument: String,
    /// `u > 0` when true, `u < 0` when false.
    pub positive: bool,
}

/// Whether a region is known to be nonempty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RegionWitness {
    /// A rational point where every condition holds (checked exactly).
    Point {
        /// Its coordinates.
        coords: Vec<String>,
    },
    /// No point among the seeded samples satisfies the conditions (the region may be empty).
    NotFound {
        /// Number of points tried.
        samples: usize,
    },
    /// Some kink argument is not a polynomial: not checked.
    NotChecked,
}

/// Whether the proposed `phi` vanishes at the flat points.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FlatSetVanishing {
    /// `Proved` when `phi == 0` exactly at every point; `NumericalEvidence` when some point
    /// was only evaluated in MPFR; `Refuted` when `phi != 0` exactly at a point;
    /// `Inconclusive` when some value is not small or undefined.
    pub evidence: Evidence,
    /// Point by point.
    pub points: Vec<PointVanishing>,
}

/// `phi` at one flat point.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PointVanishing {
    /// The point as text (its exact coordinates when it has them).
    pub point: Vec<String>,
    /// The exact coordinates are closed forms recognised numerically (C3), not claimed.
    pub recognised: bool,
    /// How the value was decided.
    pub how: Vanishing,
}

/// How `phi` at a flat point was decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Vanishing {
    /// `phi(p) == 0` exactly: the exact canonical form at the exact coordinates is zero.
    ExactZero,
    /// `phi(p) != 0` exactly: its canonical form at the exact coordinates is a nonzero
    /// rational.
    ExactNonzero {
        /// The value.
        value: String,
    },
    /// Evaluated in MPFR at the point's digits: `|phi(p)| <= tolerance` (evidence).
    Mpfr {
        /// Precision in bits.
        precision: u32,
        /// `|phi(p)|` (6 significant digits).
        value: String,
        /// The tolerance `2^-(precision/3)`.
        tolerance: String,
        /// Whether `|phi(p)| <= tolerance`.
        small: bool,
    },
    /// `phi` is not defined at the point.
    Undefined,
}

/// A flat point handed to [`crate::check_vanishing`].
#[derive(Clone, Debug)]
pub struct FlatPointInput {
    /// Exact coordinates as expressions of the caller's arena (closed forms), if known.
    pub exact: Option<Vec<ExprId>>,
    /// Whether `exact` holds closed forms recognised numerically (rather than given).
    pub recognised: bool,
    /// The coordinates in MPFR.
    pub values: Vec<rug::Float>,
    /// The point as text.
    pub text: Vec<String>,
}
