//! Does the proposed `phi` vanish on a whole set given by polynomial equations (a flat
//! component of positive dimension, as C3 describes it)? Proved by ideal membership: when
//! every term `psi_i - c_i` of `phi = sum_i (psi_i - c_i)^2` is `sum_j a_ij e_j` with exact
//! polynomial multipliers `a_ij`, each term, hence `phi`, is zero wherever every equation
//! `e_j` is. The multipliers are found by exact linear algebra over Q over a bounded set of
//! monomials (`ngd_sos::ideal`) and checked by exact expansion; not finding them within the
//! bound proves nothing (docs/math.md, "What counts as proof").

use crate::report::Proposal;
use ngd_algebra::Poly;
use ngd_check::Evidence;
use ngd_expr::{Arena, ExprId, Node};
use ngd_sos::ideal::{MembershipFailure, MembershipSystem};
use ngd_sos::monomial::all_up_to;
use serde::Serialize;
use std::collections::HashMap;

/// A set `{x : e_j(x) = 0 for every j}` handed to [`vanishing_on_equations`].
#[derive(Clone, Debug)]
pub struct EquationSet {
    /// The equations `e_j`, in the caller's arena.
    pub equations: Vec<ExprId>,
    /// What the set is, for the report (e.g. "flat component 1 (dimension 2)").
    pub name: String,
}

/// Whether `phi` vanishes at every point of an [`EquationSet`].
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct EquationSetVanishing {
    /// What the set is.
    pub set: String,
    /// The equations `e_j = 0`, as text.
    pub equations: Vec<String>,
    /// `Proved` when every term is in the ideal of the equations (exact multipliers,
    /// checked by expansion) and the equations are not shown inconsistent; `Inconclusive`
    /// otherwise.
    pub evidence: Evidence,
    /// True when `1` itself is in the ideal of the equations (exact multipliers): they have no
    /// common zero, not even a complex one, so every term is a member and "phi vanishes on
    /// the set" holds vacuously. Never proved then: the equations do not describe the flat
    /// component, whatever C3's numerics said.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub equations_inconsistent: bool,
    /// Term by term.
    pub terms: Vec<TermMembership>,
}

/// One term `psi_i - c_i` of the proposal against the equations.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct TermMembership {
    /// `psi_i - c_i` as text.
    pub term: String,
    /// The outcome.
    pub outcome: MembershipOutcome,
}

/// How a term's membership was decided (tagged by `kind`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MembershipOutcome {
    /// `psi_i - c_i = sum_j a_j e_j` exactly, with multipliers of degree at most `degree`.
    Member {
        /// The largest degree of a multiplier.
        degree: u32,
    },
    /// The term or an equation is not a polynomial (built from constants, variables, sums,
    /// products and natural powers): not attempted.
    NotPolynomial,
    /// No multipliers with monomials up to the bound (`slack` degrees above the term's
    /// degree minus the equation's): undecided, not a refutation.
    NotFound {
        /// The degree slack tried last.
        slack: u32,
    },
    /// The linear system would exceed the unknowns or elimination budget.
    TooLarge,
}

/// Degrees of slack tried above `deg(term) - deg(e_j)` for the multipliers' monomials.
const MAX_SLACK: u32 = 2;
/// Budget of unknowns of one membership system.
const MAX_UNKNOWNS: usize = 20_000;
/// Budget of stored entries of the elimination.
const MAX_ENTRIES: usize = 4_000_000;

/// Checks that `phi` vanishes on the whole `set` (see the module docs).
pub fn vanishing_on_equations(
    arena: &mut Arena,
    proposal: &Proposal,
    set: &EquationSet,
) -> EquationSetVanishing {
    let equations: Vec<String> = set.equations.iter().map(|&e| arena.display(e)).collect();
    let generators: Result<Vec<Poly>, MembershipOutcome> =
        set.equations.iter().map(|&e| expand(arena, e)).collect();
    let terms: Vec<TermMembership> = proposal
        .terms
        .iter()
        .map(|t| {
            let term = term_expr(arena, t.psi, &t.value_on_flat_set);
            let target = term.map_or(Err(MembershipOutcome::NotPolynomial), |e| expand(arena, e));
            let outcome = match (&generators, target) {
                (Ok(gens), Ok(target)) => membership(&target, gens),
                (Err(why), _) => why.clone(),
                (_, Err(why)) => why,
            };
            TermMembership {
                term: term.map_or_else(|| arena.display(t.psi), |e| arena.display(e)),
                outcome,
            }
        })
        .collect();
    let all_members = !terms.is_empty()
        && terms
            .iter()
            .all(|t| matches!(t.outcome, MembershipOutcome::Member { .. }));
    // Asked only when the proof would otherwise stand: 1 in the ideal makes it vacuous.
    let inconsistent = all_members
        && generators.as_ref().is_ok_and(|gens| {
            let one = Poly::constant(ngd_expr::Rational::from(1), arena.n_vars());
            matches!(membership(&one, gens), MembershipOutcome::Member { .. })
        });
    EquationSetVanishing {
        set: set.name.clone(),
        equations,
        evidence: if all_members && !inconsistent {
            Evidence::Proved
        } else {
            Evidence::Inconclusive
        },
        equations_inconsistent: inconsistent,
        terms,
    }
}

/// Most terms an expansion may have (bounded before expanding: `(x1 + ... + x8)^30` has ten
/// million).
const MAX_EXPANDED_TERMS: u128 = 100_000;

/// `e` as a polynomial; `NotPolynomial` outside the polynomial syntax, `TooLarge` when the
/// expansion could exceed [`MAX_EXPANDED_TERMS`] terms (checked before expanding).
fn expand(arena: &Arena, e: ExprId) -> Result<Poly, MembershipOutcome> {
    let (terms, degree) = expansion_bound(arena, e, &mut HashMap::new());
    if terms.min(monomial_count(arena.n_vars(), degree)) > MAX_EXPANDED_TERMS {
        return Err(MembershipOutcome::TooLarge);
    }
    ngd_sos::syntactic_poly(arena, e).ok_or(MembershipOutcome::NotPolynomial)
}

/// An upper bound of the number of terms of the expansion of `e`, and of its degree
/// (saturating; nodes outside the polynomial syntax count as one term of degree 0, since
/// [`ngd_sos::syntactic_poly`] refuses them anyway).
fn expansion_bound(
    arena: &Arena,
    e: ExprId,
    memo: &mut HashMap<ExprId, (u128, u32)>,
) -> (u128, u32) {
    if let Some(&b) = memo.get(&e) {
        return b;
    }
    let bound = match arena.node(e) {
        Node::Var(_) => (1, 1),
        Node::Add(ts) => ts.clone().iter().fold((0u128, 0u32), |(n, d), &t| {
            let (tn, td) = expansion_bound(arena, t, memo);
            (n.saturating_add(tn), d.max(td))
        }),
        Node::Mul(ts) => ts.clone().iter().fold((1u128, 0u32), |(n, d), &t| {
            let (tn, td) = expansion_bound(arena, t, memo);
            (n.saturating_mul(tn), d.saturating_add(td))
        }),
        Node::Pow(b, k) if k.is_integer() && *k >= 0 => {
            let (bn, bd) = expansion_bound(arena, *b, memo);
            let k = k.numer().to_u32().unwrap_or(u32::MAX);
            // The products of k of the bn terms: C(bn + k - 1, k) = monomials of degree k in bn.
            let n = usize::try_from(bn.saturating_sub(1)).unwrap_or(usize::MAX);
            (monomial_count(n, k), bd.saturating_mul(k))
        }
        _ => (1, 0),
    };
    memo.insert(e, bound);
    bound
}

/// `psi - c` in the arena, `None` when `c` is not an exact rational.
fn term_expr(arena: &mut Arena, psi: ExprId, value: &str) -> Option<ExprId> {
    let c: ngd_expr::Rational = value.parse().ok()?;
    let minus_c = arena.constant(-c);
    Some(arena.add2(psi, minus_c))
}

/// The smallest slack (0, 1, ...) at which `target` is a member of the ideal of `gens`.
fn membership(target: &Poly, gens: &[Poly]) -> MembershipOutcome {
    if target.is_zero() {
        return MembershipOutcome::Member { degree: 0 };
    }
    let n = target.n_vars();
    let (Some(t_deg), Some(g_degs)) = (
        degree(target),
        gens.iter().map(degree).collect::<Option<Vec<u32>>>(),
    ) else {
        return MembershipOutcome::NotPolynomial;
    };
    for slack in 0..=MAX_SLACK {
        let bounds: Vec<u32> = g_degs
            .iter()
            .map(|&d| t_deg.saturating_sub(d) + slack)
            .collect();
        // Counted before they are listed: many variables (a vector variable of length 60)
        // would otherwise allocate millions of monomials before the system refuses them.
        let unknowns = bounds
            .iter()
            .fold(0u128, |sum, &b| sum.saturating_add(monomial_count(n, b)));
        if unknowns > MAX_UNKNOWNS as u128 {
            return MembershipOutcome::TooLarge;
        }
        let monomials = bounds.iter().map(|&b| all_up_to(n, b)).collect();
        match MembershipSystem::new(target, &[], gens, monomials, MAX_UNKNOWNS, MAX_ENTRIES) {
            Ok(system) => {
                let m = system.solution(|_| ngd_expr::Rational::new());
                if m.verify(target, &[], gens) {
                    let degree = bounds.into_iter().max().unwrap_or(0);
                    return MembershipOutcome::Member { degree };
                }
            }
            Err(MembershipFailure::NotFound) => {}
            Err(MembershipFailure::NotPolynomial) => return MembershipOutcome::NotPolynomial,
            Err(MembershipFailure::TooLarge { .. } | MembershipFailure::EliminationTooLarge) => {
                return MembershipOutcome::TooLarge
            }
        }
    }
    MembershipOutcome::NotFound { slack: MAX_SLACK }
}

/// The number of monomials of degree at most `d` in `n` variables, `C(n + d, d)` (saturating).
fn monomial_count(n: usize, d: u32) -> u128 {
    // C(n + d, d) = C(big + small, small): at most `small` steps, whatever the other is.
    let (n, d) = (n as u128, u128::from(d));
    let (small, big) = (n.min(d), n.max(d));
    let mut count: u128 = 1;
    for i in 1..=small {
        // C(big + i, i) = C(big + i - 1, i - 1) (big + i) / i, exact at every step.
        count = count.saturating_mul(big + i) / i;
        if count > 1 << 100 {
            return u128::MAX;
        }
    }
    count
}

/// The total degree of a polynomial (`None` with a negative exponent).
fn degree(p: &Poly) -> Option<u32> {
    ngd_sos::program::terms_of(p)?
        .iter()
        .map(|(m, _)| ngd_sos::monomial::degree(m))
        .max()
        .or(Some(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ProposalRule, ProposalTerm};

    fn proposal(arena: &mut Arena, terms: &[(&str, &str)]) -> Proposal {
        let params = ngd_parse::Params::new();
        let terms = terms
            .iter()
            .map(|(psi, c)| ProposalTerm {
                psi: ngd_parse::parse_expr(arena, psi, &params).expect("parses"),
                psi_display: psi.to_string(),
                value_on_flat_set: c.to_string(),
            })
            .collect();
        Proposal {
            phi: arena.constant(ngd_expr::Rational::new()),
            display: String::new(),
            regularizer_line: String::new(),
            terms,
            excluded: Vec::new(),
            flat_points: 0,
            rule: ProposalRule::SumOfSquaredDeviations {
                agreement_bits: 17,
                independent_only: false,
            },
            vanishing: None,
            equation_sets: Vec::new(),
        }
    }

    fn set(arena: &mut Arena, eqs: &[&str]) -> EquationSet {
        let params = ngd_parse::Params::new();
        EquationSet {
            equations: eqs
                .iter()
                .map(|e| ngd_parse::parse_expr(arena, e, &params).expect("parses"))
                .collect(),
            name: "test set".into(),
        }
    }

    #[test]
    fn the_diagonal_network_law_vanishes_on_u_equals_v() {
        let mut a = Arena::new(vec!["u".into(), "v".into(), "w".into()]);
        let p = proposal(&mut a, &[("u^2 - v^2", "0"), ("u*w - v*w", "0")]);
        let s = set(&mut a, &["u*v + w - 1", "2*u - 2*v"]);
        let r = vanishing_on_equations(&mut a, &p, &s);
        assert_eq!(r.evidence, Evidence::Proved, "{r:?}");
        assert_eq!(r.terms[0].outcome, MembershipOutcome::Member { degree: 1 });
    }

    #[test]
    fn a_term_nonzero_somewhere_on_the_set_is_never_proved() {
        // On {u = v} the term u^2 - 1 is not zero (u = v = 0): no multipliers exist, and none
        // of any degree could, so the check must stay undecided.
        let mut a = Arena::new(vec!["u".into(), "v".into()]);
        let p = proposal(&mut a, &[("u^2 - v^2", "0"), ("u^2", "1")]);
        let s = set(&mut a, &["u - v"]);
        let r = vanishing_on_equations(&mut a, &p, &s);
        assert_eq!(r.evidence, Evidence::Inconclusive);
        assert_eq!(
            r.terms[1].outcome,
            MembershipOutcome::NotFound { slack: MAX_SLACK }
        );
    }

    #[test]
    fn a_value_that_is_only_nearly_right_is_not_proved() {
        // u^2 - v^2 - 1e-12 vanishes on no point of {u = v}.
        let mut a = Arena::new(vec!["u".into(), "v".into()]);
        let p = proposal(&mut a, &[("u^2 - v^2", "1/1000000000000")]);
        let s = set(&mut a, &["u - v"]);
        assert_eq!(
            vanishing_on_equations(&mut a, &p, &s).evidence,
            Evidence::Inconclusive
        );
    }

    #[test]
    fn non_polynomial_terms_are_not_attempted() {
        let mut a = Arena::new(vec!["u".into(), "v".into()]);
        let p = proposal(&mut a, &[("exp(u) - exp(v)", "0")]);
        let s = set(&mut a, &["u - v"]);
        let r = vanishing_on_equations(&mut a, &p, &s);
        assert_eq!(r.terms[0].outcome, MembershipOutcome::NotPolynomial);
        assert_eq!(r.evidence, Evidence::Inconclusive);
    }

    #[test]
    fn inconsistent_equations_prove_nothing() {
        // {u = v} and {u = v + 1} have no common point: 1 = (u - v) - (u - v - 1) is in the
        // ideal, so is every term, and "phi == 0 on the set" would hold vacuously.
        let mut a = Arena::new(vec!["u".into(), "v".into()]);
        let p = proposal(&mut a, &[("u^2", "1"), ("u*v", "7")]);
        let s = set(&mut a, &["u - v", "u - v - 1"]);
        let r = vanishing_on_equations(&mut a, &p, &s);
        assert!(r
            .terms
            .iter()
            .all(|t| matches!(t.outcome, MembershipOutcome::Member { .. })));
        assert!(r.equations_inconsistent);
        assert_eq!(r.evidence, Evidence::Inconclusive);
        // Consistent equations keep the proof and the flag off.
        let p = proposal(&mut a, &[("u^2 - v^2", "0")]);
        let s = set(&mut a, &["u - v"]);
        let r = vanishing_on_equations(&mut a, &p, &s);
        assert!(!r.equations_inconsistent);
        assert_eq!(r.evidence, Evidence::Proved);
    }

    #[test]
    fn a_wrong_lagrange_multiplier_gives_no_vacuous_proof() {
        // The 1-d diagonal network g = u v - 1 (s = |grad g|^2 = u^2 + v^2) with the multiplier
        // misread as 3 instead of 2: grad s = 3 grad g forces u = v = 0, where g = -1. The
        // set is empty, the balance u^2 - v^2 is in the ideal, and nothing may be proved.
        let mut a = Arena::new(vec!["u".into(), "v".into()]);
        let p = proposal(&mut a, &[("u^2 - v^2", "0")]);
        let wrong = set(&mut a, &["u*v - 1", "2*u - 3*v", "2*v - 3*u"]);
        let r = vanishing_on_equations(&mut a, &p, &wrong);
        assert!(matches!(
            r.terms[0].outcome,
            MembershipOutcome::Member { .. }
        ));
        assert!(r.equations_inconsistent);
        assert_eq!(r.evidence, Evidence::Inconclusive);
        // The right multiplier 2 gives the flat set {u = v, u^2 = 1}: proved.
        let right = set(&mut a, &["u*v - 1", "2*u - 2*v", "2*v - 2*u"]);
        let r = vanishing_on_equations(&mut a, &p, &right);
        assert!(!r.equations_inconsistent);
        assert_eq!(r.evidence, Evidence::Proved);
    }

    #[test]
    fn many_variables_are_refused_before_listing_monomials() {
        // 60 pairs u_i = v_i and a term of degree 4: multipliers of degree up to 5 in 120
        // variables are C(125, 5) = 234 million monomials per equation; counted, not listed.
        let names: Vec<String> = (0..60)
            .flat_map(|i| [format!("u{i}"), format!("v{i}")])
            .collect();
        let mut a = Arena::new(names);
        let p = proposal(&mut a, &[("u0^2*u1^2 - v0^2*v1^2", "0")]);
        let eqs: Vec<String> = (0..60).map(|i| format!("u{i} - v{i}")).collect();
        let eqs: Vec<&str> = eqs.iter().map(String::as_str).collect();
        let s = set(&mut a, &eqs);
        let start = std::time::Instant::now();
        let r = vanishing_on_equations(&mut a, &p, &s);
        assert_eq!(r.terms[0].outcome, MembershipOutcome::TooLarge);
        assert_eq!(r.evidence, Evidence::Inconclusive);
        assert!(start.elapsed().as_secs_f64() < 5.0);
    }

    #[test]
    fn huge_expansions_are_refused_before_expanding() {
        // (x1 + ... + x8)^30 has C(37, 7) = 10 295 472 terms: counted, not expanded.
        let names: Vec<String> = (1..=8).map(|i| format!("x{i}")).collect();
        let mut a = Arena::new(names);
        let sum = "x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8";
        let p = proposal(&mut a, &[("x1 - x2", "0")]);
        let s = set(&mut a, &[&format!("({sum})^30 - 1"), "x1 - x2"]);
        let start = std::time::Instant::now();
        let r = vanishing_on_equations(&mut a, &p, &s);
        assert_eq!(r.terms[0].outcome, MembershipOutcome::TooLarge);
        assert_eq!(r.evidence, Evidence::Inconclusive);
        assert!(start.elapsed().as_secs_f64() < 5.0);
        // The same set with a small power is expanded and decided.
        let s = set(&mut a, &[&format!("({sum})^2 - 1"), "x1 - x2"]);
        let r = vanishing_on_equations(&mut a, &p, &s);
        assert_eq!(r.evidence, Evidence::Proved);
    }

    #[test]
    fn the_monomial_count_is_the_listing_length() {
        // (`all_up_to` lists one empty monomial per degree for n = 0; no arena has no variables.)
        for n in 1..6 {
            for d in 0..6 {
                assert_eq!(
                    monomial_count(n, d),
                    all_up_to(n, d).len() as u128,
                    "{n} {d}"
                );
            }
        }
        assert_eq!(monomial_count(120, 5), 234_531_275);
        assert_eq!(monomial_count(usize::MAX, 40), u128::MAX);
        assert_eq!(monomial_count(1, u32::MAX), u128::from(u32::MAX) + 1);
        assert_eq!(monomial_count(3, 2), monomial_count(2, 3));
    }

    #[test]
    fn the_sphere_itself_as_the_set() {
        // M = the unit sphere (f = (x^2 + y^2 + z^2 - 1)^2); a term that is g itself.
        let mut a = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
        let p = proposal(&mut a, &[("x^2 + y^2 + z^2", "1")]);
        let s = set(&mut a, &["x^2 + y^2 + z^2 - 1"]);
        assert_eq!(
            vanishing_on_equations(&mut a, &p, &s).evidence,
            Evidence::Proved
        );
    }
}
