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
//! [`propose_regularizer`] turns the quantities into `phi = sum_i (psi_i - psi_i(S))^2` for a
//! given flat set `S`; [`latex_derivation`] writes the identities for a paper.
//!
//! Nothing here prints; all output is data ([`DiscoveryReport`], serializable) and is
//! deterministic: the same input and options give the same report.

#![warn(missing_docs)]

mod ansatz;
mod fields;
mod format;
mod latex;
mod lie;
mod linalg;
mod monomials;
mod regularizer;
mod report;
mod symmetry;
mod system;

pub use latex::latex_derivation;
pub use regularizer::propose_regularizer;
pub use report::{
    AnsatzKind, AnsatzResult, Completeness, ConservedQuantity, DiscoverOptions, DiscoveryReport,
    ExcludedQuantity, FormCounts, LinearSymmetries, Proposal, ProposalTerm, SymmetricGenerator,
};

use ansatz::RawQuantity;
use ngd_algebra::{zero_test, Poly, ZeroTest};
use ngd_check::Evidence;
use ngd_expr::{Arena, ExprId, Func};
use rug::Rational;

/// Re-checks quantities with the exact zero test on `<grad g_k, grad psi>` in the arena.
struct Verifier {
    grads: Vec<Vec<ExprId>>,
    enabled: bool,
}

impl Verifier {
    fn new(arena: &mut Arena, generators: &[ExprId], enabled: bool) -> Verifier {
        let grads = if enabled {
            generators.iter().map(|&g| arena.gradient(g)).collect()
        } else {
            Vec::new()
        };
        Verifier { grads, enabled }
    }

    fn check(&self, arena: &mut Arena, psi: ExprId) -> (Evidence, String) {
        if !self.enabled {
            return (Evidence::NotCheckedYet, "verification turned off".into());
        }
        let grad_psi = arena.gradient(psi);
        let (mut nonzero, mut undecided) = (0usize, Vec::new());
        for g in &self.grads {
            let dot = arena.dot(g, &grad_psi);
            match zero_test(arena, dot) {
                ZeroTest::Zero => {}
                ZeroTest::NonZero => nonzero += 1,
                ZeroTest::Undecided(r) => undecided.push(r),
            }
        }
        let k = self.grads.len();
        let what = if k == 1 {
            "<grad g, grad psi>".to_string()
        } else {
            format!("<grad g_i, grad psi> for all {k} generators")
        };
        if nonzero > 0 {
            (
                Evidence::Refuted,
                format!("{what}: {nonzero} nonzero canonical form(s) (internal error)"),
            )
        } else if !undecided.is_empty() {
            (
                Evidence::Inconclusive,
                format!("{what}: undecided ({})", undecided.join("; ")),
            )
        } else {
            (
                Evidence::Proved,
                format!("{what} == 0, exact zero test of the canonical form"),
            )
        }
    }
}

fn linear_form_expr(arena: &mut Arena, l: &[i32]) -> ExprId {
    let parts: Vec<ExprId> = l
        .iter()
        .enumerate()
        .filter(|t| *t.1 != 0)
        .map(|(i, &li)| {
            let x = arena.var(i);
            let c = arena.int(i64::from(li));
            arena.mul2(c, x)
        })
        .collect();
    arena.add(parts)
}

/// Builds the expression, texts and verification of a quantity.
fn make_quantity(
    arena: &mut Arena,
    names: &[String],
    raw: RawQuantity,
    verifier: &Verifier,
) -> ConservedQuantity {
    let n = names.len();
    let terms: Vec<(Vec<i32>, Rational)> = raw
        .terms
        .into_iter()
        .map(|(e, c)| (e, Rational::from(c)))
        .collect();
    let view: Vec<format::Term<'_>> = terms.iter().map(|(e, c)| (&e[..], c.clone())).collect();
    let l = raw.exp_form.as_deref();
    let display = format::fmt_quantity(&view, l, names);
    let latex = format::latex_quantity(&view, l, names);
    let leading = format::fmt_terms(&[(&terms[0].0[..], Rational::from(1))], names);
    let poly = Poly::from_terms_n(n, terms.clone());
    let mut expr = poly.to_expr(arena);
    if let Some(l) = l {
        let s = linear_form_expr(arena, l);
        let e = arena.func(Func::Exp, s);
        expr = arena.mul2(expr, e);
    }
    let (verified, verification) = verifier.check(arena, expr);
    ConservedQuantity {
        expr,
        display,
        latex,
        terms: poly.len(),
        poly,
        exp_form: raw.exp_form,
        leading,
        verified,
        verification,
    }
}

fn skipped_ansatz(kind: AnsatzKind, why: &str) -> AnsatzResult {
    AnsatzResult {
        kind,
        skipped: Some(why.to_string()),
        unknowns: 0,
        equations: 0,
        blocks: 0,
        largest_block: (0, 0),
        rank: 0,
        nullspace_dim: 0,
        polynomial_part: 0,
        forms: None,
        method: String::new(),
        basis: Vec::new(),
        elapsed: std::time::Duration::ZERO,
    }
}

const SYMMETRY_STATEMENT: &str = "if A is symmetric and <grad g_i(x), A x> == 0 for every \
    generator, every g_i is invariant under x -> exp(tA) x and x^T A x is conserved by the \
    gradient flow (Prop 3.36)";

/// Searches for conserved quantities of the gradient flow of `f` (see the crate docs).
///
/// Guarantees:
/// - every quantity in the report with `verified == Proved` satisfies `<V_k, grad psi> == 0`
///   identically for every field, proved by the exact zero test of `ngd-algebra`;
/// - for each ansatz that was not skipped, `basis` spans *all* conserved quantities of that
///   shape (the nullspace is exact; Laurent lists a complement of the polynomial part);
/// - the report is deterministic (same input, options and seed give the same report).
///
/// Ansätze whose size exceeds the limits of `opts`, and fields that are not Laurent
/// polynomials, are reported as skipped with the reason, never silently dropped.
pub fn discover(arena: &mut Arena, f: ExprId, opts: &DiscoverOptions) -> DiscoveryReport {
    let fs = fields::extract(arena, f);
    let names = arena.var_names().to_vec();
    let n = names.len();
    let verifier = Verifier::new(arena, &fs.generators, opts.verify);
    let mut ansatz_results = Vec::new();
    let mut sym = LinearSymmetries {
        skipped: None,
        unknowns: 0,
        equations: 0,
        symmetric_dim: 0,
        lie_algebra_dim: 0,
        generators: Vec::new(),
        statement: SYMMETRY_STATEMENT.into(),
    };
    let kinds = {
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
    };
    let usable = match &fs.int_fields {
        Ok(fields) if fields.is_empty() => Err(
            "every generator is constant: there is no flow and every function is conserved"
                .to_string(),
        ),
        Ok(fields) => Ok(fields),
        Err(r) => Err(r.clone()),
    };
    let completeness;
    match usable {
        Err(why) => {
            for k in kinds {
                ansatz_results.push(skipped_ansatz(k, &why));
            }
            sym.skipped = Some(why.clone());
            completeness = lie::skipped(n, why);
        }
        Ok(fields) => {
            let mut raws = Vec::new();
            for k in kinds {
                let (r, q) = match k {
                    AnsatzKind::Polynomial { .. } => ansatz::polynomial(n, fields, opts),
                    AnsatzKind::Laurent { .. } => ansatz::laurent(n, fields, opts),
                    AnsatzKind::Exp { .. } => ansatz::exponential(n, fields, opts),
                };
                ansatz_results.push(r);
                raws.push(q);
            }
            for (r, q) in ansatz_results.iter_mut().zip(raws) {
                r.basis = q
                    .into_iter()
                    .map(|raw| make_quantity(arena, &names, raw, &verifier))
                    .collect();
            }
            if opts.linear_symmetries {
                let pairs = (n * (n + 1) / 2) as u64;
                if (n * n) as u64 > opts.max_unknowns {
                    sym.skipped = Some(format!(
                        "{} unknowns exceed the limit {}",
                        n * n,
                        opts.max_unknowns
                    ));
                } else {
                    let res = symmetry::linear_symmetries(n, fields);
                    sym.unknowns = pairs as usize;
                    sym.equations = res.stats.equations;
                    sym.symmetric_dim = res.generators.len();
                    sym.lie_algebra_dim = res.lie_algebra_dim;
                    for (matrix, terms) in res.generators {
                        let raw = RawQuantity {
                            terms,
                            exp_form: None,
                        };
                        let invariant = make_quantity(arena, &names, raw, &verifier);
                        sym.generators.push(SymmetricGenerator {
                            matrix: matrix
                                .iter()
                                .map(|r| r.iter().map(ToString::to_string).collect())
                                .collect(),
                            invariant,
                        });
                    }
                }
            } else {
                sym.skipped = Some("not requested".into());
            }
            if opts.completeness {
                let found: Vec<Vec<Poly>> = ansatz_results
                    .iter()
                    .flat_map(|a| a.basis.iter())
                    .chain(sym.generators.iter().map(|g| &g.invariant))
                    .filter(|q| q.verified == Evidence::Proved)
                    .map(|q| lie::quantity_gradient(&q.poly, q.exp_form.as_deref(), n))
                    .collect();
                completeness = lie::completeness(n, &fs.grads, &found, opts);
            } else {
                completeness = lie::skipped(n, "not requested".into());
            }
        }
    }
    DiscoveryReport {
        variables: names,
        structure: fs.structure,
        field_rule: fs.rule,
        fields: fs.display,
        ansatz: ansatz_results,
        linear_symmetries: sym,
        completeness,
        seed: opts.seed,
        generators: fs.generators,
        generator_polys: fs.polys.unwrap_or_default(),
    }
}
