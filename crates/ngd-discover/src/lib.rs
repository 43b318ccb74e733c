//! Discovery of conserved quantities of the gradient flow of `f` (docs/math.md, "Discovery").
//!
//! [`discover`] reads the shape of `f` (`f = c h(g)`, least squares `sum c_i g_i^2`, or
//! general), takes the vector fields `V_k = grad g_k` (or `grad f`), and:
//!
//! 1. **Ansätze.** For `psi = sum_m c_m m(x)` over a finite set of monomials (polynomial,
//!    Laurent, or polynomial times `exp(l)` for small integer linear forms `l`), the
//!    conditions `<V_k, grad psi> == 0` are linear in the `c_m`. The system is built exactly,
//!    split into independent blocks, and its nullspace computed exactly (modular elimination,
//!    rational reconstruction, exact verification over Z; see the `system` module). The
//!    result is the reduced echelon basis of the space of conserved quantities of that shape,
//!    scaled to coprime integers. Every basis element is then *re-checked* by the independent
//!    exact zero test of `ngd-algebra` on `<grad g_k, grad psi>` built in the arena.
//! 2. **Linear symmetries** (Prop 3.36): symmetric `A` with `<grad g_k(x), A x> == 0` give the
//!    conserved quadratic forms `x^T A x`.
//! 3. **Completeness** (Marcotte, Gribonval, Peyré): the number of independent conservation
//!    laws near a generic point is `n - dim Lie(V)(x)`; it is bounded from above by exact
//!    ranks of the fields and their brackets at random rational points, and compared with the
//!    number of functionally independent quantities found.
//!
//! Fields beyond Laurent polynomials (docs/math.md, "Discovery"):
//!
//! - **`exp`/`log`**: the generators are written in their *function ring*, Laurent
//!   polynomials in the variables and the atoms `exp(u_j)` (a lattice basis of the `exp`
//!   arguments, so the atoms are algebraically independent) and `log(x_i)`; the ansätze run
//!   over the ring's monomials with the fields extended to the atoms (the `ring` module), and
//!   every quantity is re-checked in the caller's arena by the exact zero test, as above.
//! - **`max`, `min`, `abs`, `sign`**: one smooth formula per sign pattern of the kink
//!   arguments; discovery runs on each region, and a law is *common* (conserved off the kink
//!   sets) only when its identity passes the exact test on every region's formula.
//!
//! [`check_vanishing`] tells whether a proposed `phi` is zero at the flat points: exactly at
//! exact coordinates, else in MPFR (numerical evidence).
//!
//! [`propose_regularizer`] turns the quantities into `phi = sum_i (psi_i - psi_i(S))^2` for a
//! given flat set `S`; [`DiscoveryReport::identity`] writes out the identity of a quantity
//! term by term (LaTeX fragments for a renderer).
//!
//! Nothing here prints; all output is data ([`DiscoveryReport`], serializable) and is
//! deterministic: the same input and options give the same report.

#![warn(missing_docs)]

mod ansatz;
mod derivation;
mod equation_vanishing;
mod fields;
mod format;
mod lie;
mod linalg;
mod monomials;
mod piecewise;
mod quantity;
mod regions;
mod regularizer;
mod report;
mod ring;
mod symmetry;
mod system;
mod vanishing;
mod zero_set_converse;

pub use derivation::{IdentityTerms, MAX_PRODUCTS};
pub use equation_vanishing::{
    vanishing_on_equations, EquationSet, EquationSetVanishing, MembershipOutcome, TermMembership,
};
pub use regularizer::{propose_regularizer, propose_regularizer_with};
pub use report::{
    AnsatzKind, AnsatzResult, AtomKind, BlockMethods, BoundLimit, Completeness, ConservedQuantity,
    CountMethod, DiscoverOptions, DiscoveryReport, ExcludedQuantity, Exclusion, FieldRule,
    FlatPointInput, FlatSetVanishing, FormCounts, GeneratorField, KinkSet, LawCount,
    LinearSymmetries, NullspaceMethod, PiecewiseDiscovery, PointVanishing, Proposal, ProposalRule,
    ProposalTerm, RegionCondition, RegionDiscovery, RegionWitness, RingAtom, RingFailure, Skip,
    SymmetricGenerator, SymmetryStatement, Vanishing, Verification,
};
pub use ring::FunctionRing;
pub use vanishing::check_vanishing;
pub use zero_set_converse::{
    point_equations, prove_zero_set_converse, ConverseEvidence, ConverseOptions, ConverseReason,
    ConverseStep, ExactFlatSet, StepRole, ZeroSetConverse,
};

use ansatz::RawQuantity;
use fields::IntField;
use ngd_algebra::Poly;
use ngd_check::{Evidence, ObjectiveShape, Structure};
use ngd_expr::{Arena, ExprId};
use quantity::{make_quantity, Verifier};

/// Searches for conserved quantities of the gradient flow of `f` (see the crate docs).
///
/// Guarantees:
/// - every quantity in the report with `verified == Proved` satisfies `<V_k, grad psi> == 0`
///   identically for every field, proved by the exact zero test of `ngd-algebra`; for a
///   region of a piecewise field, on that region's smooth formula; a common law of a
///   piecewise field, on every region's formula (so off the kink sets);
/// - for each ansatz that was not skipped, `basis` spans *all* conserved quantities of that
///   shape (the nullspace is exact; Laurent lists a complement of the polynomial part; for
///   `exp`/`log` fields, the shape is over the monomials of the function ring);
/// - the report is deterministic (same input, options and seed give the same report).
///
/// Ansätze whose size exceeds the limits of `opts`, fields outside the function ring, and
/// piecewise fields with more than `max_kinks` kink sets are reported as skipped with the
/// reason, never silently dropped.
///
/// ```
/// use ngd_discover::{discover, DiscoverOptions};
/// let mut arena = ngd_expr::Arena::new(vec!["x".into(), "y".into()]);
/// let f = ngd_parse::parse_expr(&mut arena, "(x*y - 1)^2", &ngd_parse::Params::new()).unwrap();
/// let report = discover(&mut arena, f, &DiscoverOptions::default());
/// let found: Vec<&str> = report.quantities().iter().map(|q| q.display.as_str()).collect();
/// assert_eq!(found, ["x^2 - y^2"]);
/// assert_eq!(report.completeness.laws_found, 1);
/// ```
pub fn discover(arena: &mut Arena, f: ExprId, opts: &DiscoverOptions) -> DiscoveryReport {
    let structure = Structure::detect(arena, f);
    let (generators, rule) = fields::generators_of(&structure, f);
    let names = arena.var_names().to_vec();
    let n = names.len();
    let kinks = regions::Kinks::of(arena, &generators);
    let (smooth, piecewise) = if kinks.len() == 0 {
        (smooth(arena, &generators, opts), None)
    } else {
        let pw = piecewise::discover_regions(arena, &generators, &kinks, opts);
        let why = match &pw.skipped {
            Some(s) => s.clone(),
            None => Skip::Piecewise {
                regions: pw.regions.len(),
            },
        };
        let (ansatz, linear_symmetries, completeness) = skip_everything(ansatz_kinds(opts), n, why);
        let s = Smooth {
            ring: FunctionRing::plain(n),
            display: fields::unparsed_fields(arena, &generators),
            generator_polys: Vec::new(),
            ansatz,
            linear_symmetries,
            completeness,
        };
        (s, Some(pw))
    };
    DiscoveryReport {
        variables: names,
        structure: ObjectiveShape::of(&structure),
        field_rule: rule,
        fields: smooth.display,
        ansatz: smooth.ansatz,
        linear_symmetries: smooth.linear_symmetries,
        completeness: smooth.completeness,
        seed: opts.seed,
        generators,
        generator_polys: smooth.generator_polys,
        ring: smooth.ring,
        piecewise,
    }
}

/// What discovery finds for smooth generators.
pub(crate) struct Smooth {
    pub ring: FunctionRing,
    pub display: Vec<GeneratorField>,
    pub generator_polys: Vec<Poly>,
    pub ansatz: Vec<AnsatzResult>,
    pub linear_symmetries: LinearSymmetries,
    pub completeness: Completeness,
}

/// The ansätze, symmetries and count of laws for smooth generators (Laurent polynomials, or
/// polynomials of their function ring).
pub(crate) fn smooth(arena: &mut Arena, generators: &[ExprId], opts: &DiscoverOptions) -> Smooth {
    let fs = fields::extract(arena, generators);
    let n = arena.n_vars();
    let verifier = Verifier::new(arena, generators, opts.verify);
    let kinds = ansatz_kinds(opts);
    let (ansatz, linear_symmetries, completeness) = match usable_fields(&fs.int_fields) {
        Err(why) => skip_everything(kinds, n, why),
        Ok(fields) => {
            let ansatz = run_ansatze(arena, &fs.ring, fields, kinds, &verifier, opts);
            let sym = if fs.ring.atoms.is_empty() {
                let names = arena.var_names().to_vec();
                search_symmetries(arena, &names, fields, &verifier, opts)
            } else {
                no_symmetries(Some(Skip::RingFields))
            };
            let completeness = count_laws(&fs.ring, &fs.grads, &ansatz, &sym, opts);
            (ansatz, sym, completeness)
        }
    };
    let generator_polys = match (fs.ring.atoms.is_empty(), fs.polys) {
        (true, Ok(p)) => p,
        _ => Vec::new(),
    };
    Smooth {
        ring: fs.ring,
        display: fs.display,
        generator_polys,
        ansatz,
        linear_symmetries,
        completeness,
    }
}

/// The ansätze requested by `opts`, in the order polynomial, Laurent, exponential.
fn ansatz_kinds(opts: &DiscoverOptions) -> Vec<AnsatzKind> {
    let mut k = vec![AnsatzKind::Polynomial {
        degree: opts.degree,
    }];
    if opts.laurent {
        k.push(AnsatzKind::Laurent {
            degree: opts.degree,
        });
    }
    if opts.exp {
        k.push(AnsatzKind::Exp {
            degree: opts.degree,
            coeff_bound: opts.exp_coeff_bound,
            max_support: opts.exp_max_support,
        });
    }
    k
}

/// The integer fields, or why no system can be built (no field is nonconstant, or none exist).
fn usable_fields(int_fields: &Result<Vec<IntField>, Skip>) -> Result<&[IntField], Skip> {
    match int_fields {
        Ok(fields) if fields.is_empty() => Err(Skip::ConstantGenerators),
        Ok(fields) => Ok(fields),
        Err(r) => Err(r.clone()),
    }
}

/// Every step reported as skipped for the same reason.
fn skip_everything(
    kinds: Vec<AnsatzKind>,
    n: usize,
    why: Skip,
) -> (Vec<AnsatzResult>, LinearSymmetries, Completeness) {
    let ansatz = kinds
        .into_iter()
        .map(|k| ansatz::empty_result(k, Some(why.clone())))
        .collect();
    (
        ansatz,
        no_symmetries(Some(why.clone())),
        lie::skipped(n, why),
    )
}

/// Runs each ansatz, then builds and re-checks its basis quantities (in ansatz order).
fn run_ansatze(
    arena: &mut Arena,
    ring: &FunctionRing,
    fields: &[IntField],
    kinds: Vec<AnsatzKind>,
    verifier: &Verifier,
    opts: &DiscoverOptions,
) -> Vec<AnsatzResult> {
    let m = ring.size();
    let solved: Vec<(AnsatzResult, Vec<RawQuantity>)> = kinds
        .into_iter()
        .map(|k| match k {
            AnsatzKind::Polynomial { .. } => ansatz::polynomial(m, fields, opts),
            AnsatzKind::Laurent { .. } => ansatz::laurent(m, fields, opts),
            AnsatzKind::Exp { .. } => ansatz::exponential(ring, fields, opts),
        })
        .collect();
    solved
        .into_iter()
        .map(|(mut r, raws)| {
            r.basis = raws
                .into_iter()
                .map(|raw| make_quantity(arena, ring, raw, verifier))
                .collect();
            r
        })
        .collect()
}

/// An empty symmetry search, skipped when `skipped` is set.
fn no_symmetries(skipped: Option<Skip>) -> LinearSymmetries {
    LinearSymmetries {
        skipped,
        unknowns: 0,
        equations: 0,
        symmetric_dim: 0,
        lie_algebra_dim: 0,
        generators: Vec::new(),
        statement: SymmetryStatement::Prop3_36,
    }
}

/// The symmetric linear symmetries and their re-checked quadratic invariants (Prop 3.36).
fn search_symmetries(
    arena: &mut Arena,
    names: &[String],
    fields: &[IntField],
    verifier: &Verifier,
    opts: &DiscoverOptions,
) -> LinearSymmetries {
    let n = names.len();
    if !opts.linear_symmetries {
        return no_symmetries(Some(Skip::NotRequested));
    }
    if (n * n) as u64 > opts.max_unknowns {
        return no_symmetries(Some(Skip::TooManyUnknowns {
            unknowns: (n * n) as u64,
            limit: opts.max_unknowns,
        }));
    }
    let res = symmetry::linear_symmetries(n, fields);
    let mut sym = no_symmetries(None);
    sym.unknowns = n * (n + 1) / 2;
    sym.equations = res.stats.equations;
    sym.symmetric_dim = res.generators.len();
    sym.lie_algebra_dim = res.lie_algebra_dim;
    for (matrix, terms) in res.generators {
        let raw = RawQuantity {
            terms,
            exp_form: None,
        };
        sym.generators.push(SymmetricGenerator {
            matrix: matrix
                .iter()
                .map(|r| r.iter().map(ToString::to_string).collect())
                .collect(),
            invariant: make_quantity(arena, &FunctionRing::plain(names.len()), raw, verifier),
        });
    }
    sym
}

/// The count of laws against the verified quantities found (ansätze and invariants).
fn count_laws(
    ring: &FunctionRing,
    grads: &[Vec<Poly>],
    ansatz: &[AnsatzResult],
    sym: &LinearSymmetries,
    opts: &DiscoverOptions,
) -> Completeness {
    let n = ring.n_vars();
    if !opts.completeness {
        return lie::skipped(n, Skip::NotRequested);
    }
    let found: Vec<Vec<Poly>> = ansatz
        .iter()
        .flat_map(|a| a.basis.iter())
        .chain(sym.generators.iter().map(|g| &g.invariant))
        .filter(|q| q.verified == Evidence::Proved)
        .map(|q| ring.gradient(&q.poly, q.exp_form.as_deref()))
        .collect();
    lie::completeness(n, ring.size(), grads, &found, opts)
}
