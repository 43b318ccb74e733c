//! C1: is `phi` conserved by the gradient flow, or at least non-increasing along it?
//!
//! docs/math.md C1; the paper's Props 3.23 and 3.33 (a d-Lyapunov function must be a Lyapunov
//! function of the gradient flow). Along `x' = -grad f`, `d phi/dt = -<grad f, grad phi>`, so
//! `phi` is conserved iff `I = <grad f, grad phi>` vanishes identically, and non-increasing
//! iff `I >= 0`.
//!
//! Zero is decided exactly by the canonical form of `ngd-algebra`; for `f = c h(g)` the
//! smaller identity `<grad g, grad phi>` is tested, since `I = c h'(g) <grad g, grad phi>`
//! and `h'(g) != 0` almost everywhere. A nonzero canonical form is not trusted as a proof of
//! non-conservation: that needs a witness point where `I` is certainly nonzero.

use crate::kinks::{kinks_of, Kink, KinkKind};
use crate::structure::{Outer, Structure};
use ngd_algebra::canonicalize;
use ngd_certify::SamplePoints;
use ngd_certify::{
    prove_nonneg, value_at, BranchBudget, Domain, Evidence, NonnegOutcome, PointValue, RationalBox,
    Witness,
};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Node};
use serde::Serialize;

/// Knobs of the C1 check.
#[derive(Clone, Debug)]
pub struct ConservationOptions {
    /// Branch-and-bound limits for proving `I >= 0`.
    pub budget: BranchBudget,
    /// How many sample points to try for a nonzero witness.
    pub sample_points: usize,
    /// Seed of the sample points.
    pub seed: u64,
    /// Longest simplified identity kept in the report (characters).
    pub max_display: usize,
}

impl Default for ConservationOptions {
    fn default() -> Self {
        ConservationOptions {
            budget: BranchBudget::default(),
            sample_points: 200,
            seed: 1,
            max_display: 4000,
        }
    }
}

/// Whether `I >= 0` holds on the search box, when `phi` is not conserved.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LyapunovReport {
    /// Proved (`I >= 0` on the box, or everywhere by SOS), refuted (a point with `I < 0`) or
    /// inconclusive.
    pub evidence: Evidence,
    /// The branch-and-bound outcome with its numbers and witness.
    pub outcome: NonnegOutcome,
    /// The sum-of-squares route, tried when branch and bound is inconclusive.
    pub sos: Option<SosLyapunov>,
}

/// `I >= 0` everywhere by an exact sum-of-squares certificate (docs/math.md, "Sums of
/// squares"), for polynomial `f` and `phi`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SosLyapunov {
    /// `f` or `phi` is not a syntactic polynomial.
    NotPolynomial,
    /// `I >= 0` everywhere.
    Proved {
        /// The certificate of `I >= 0`.
        claim: ngd_sos::SosClaim,
    },
    /// No certificate (never a refutation).
    NotFound {
        /// Why.
        reason: ngd_sos::NotFound,
    },
}

/// The recognised shape of `f` (docs/math.md section 1), as reported.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ObjectiveShape {
    /// `f = coeff h(g)` with the even outer function `h`.
    Scalar {
        /// The outer function `h`.
        outer: Outer,
        /// The positive constant `coeff`, exact (`"1"` when absent).
        coeff: String,
    },
    /// `f = sum_i c_i g_i^2 + c_0` (least squares).
    LeastSquares {
        /// The number of residuals `g_i`.
        residuals: usize,
    },
    /// `f = sum_i c_i h_i(g_i) + c_0`: a sum of losses of distinct residuals (the residuals
    /// are listed with the report that holds this shape).
    Sum {
        /// The losses `c_i h_i`, one per residual, in order.
        losses: Vec<LossShape>,
        /// The constant `c_0`, exact.
        constant: String,
    },
    /// No special structure recognised.
    General,
}

/// One loss `c h` of a sum of losses, as reported.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LossShape {
    /// The positive constant `c`, exact.
    pub coeff: String,
    /// The outer function `h`.
    pub outer: Outer,
    /// `h` as a formula in `t`.
    pub formula: String,
}

impl ObjectiveShape {
    /// The reported shape of a detected [`Structure`].
    pub fn of(structure: &Structure) -> ObjectiveShape {
        match structure {
            Structure::Scalar { outer, coeff, .. } => ObjectiveShape::Scalar {
                outer: *outer,
                coeff: coeff.to_string(),
            },
            Structure::LeastSquares { residuals } => ObjectiveShape::LeastSquares {
                residuals: residuals.len(),
            },
            Structure::Sum { terms, constant } => ObjectiveShape::Sum {
                losses: terms
                    .iter()
                    .map(|t| LossShape {
                        coeff: t.coeff.to_string(),
                        outer: t.outer,
                        formula: t.formula.clone(),
                    })
                    .collect(),
                constant: constant.to_string(),
            },
            Structure::General => ObjectiveShape::General,
        }
    }
}

/// How `I = <grad f, grad phi>` relates to the tested expression.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Identity {
    /// `f = c h(g)`: `I = c h'(g) <grad g, grad phi>` with `h'(g) != 0` almost everywhere.
    ChainRule {
        /// The outer function `h`, which fixes the factor `c h'(g)`.
        outer: Outer,
    },
    /// `f = |G|^2`: `I = sum_i 2 c_i g_i <grad g_i, grad phi>`; `I` itself is tested.
    LeastSquares,
    /// `f = sum_i c_i h_i(g_i) + c_0`: `I = sum_i c_i h_i'(g_i) <grad g_i, grad phi>`; `I`
    /// itself is tested (the factors `h_i'(g_i)` may cancel, so no smaller identity refutes).
    SumOfLosses,
    /// No structure: `I` is tested directly.
    Direct,
}

/// Why the exact zero test of the tested expression could not decide conservation.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UndecidedReason {
    /// The canonical form could not be computed (the message of `ngd-algebra`).
    CanonicalForm {
        /// The error reported by the canonicalization.
        message: String,
    },
    /// `f` or `phi` is undefined at every sampled point of the search box.
    UndefinedEverywhere,
    /// The canonical form is zero, which proves the identity only off these kink sets of
    /// `phi` (canonical forms take `sign' = 0`).
    OffKinkSetsOnly {
        /// The kink and jump sets of `phi` that the flow may cross (or where it jumps).
        kinks: Vec<KinkCrossing>,
    },
}

/// The C1 section of the certificate.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConservationReport {
    /// Overall verdict of C1: proved when `phi` is conserved or `I >= 0` is proved on the box.
    pub evidence: Evidence,
    /// The recognised shape of `f`.
    pub structure: ObjectiveShape,
    /// `g` when `f = c h(g)`.
    pub g: Option<String>,
    /// The formula of `h` in `t` when `f = h(g)` for an outer function recognised from its
    /// formula ([`crate::structure::Outer::Increasing`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outer_function: Option<String>,
    /// The residuals when `f = |G|^2` or a sum of losses.
    pub residuals: Vec<String>,
    /// `grad f`, one entry per variable.
    pub grad_f: Vec<String>,
    /// `grad phi`, one entry per variable.
    pub grad_phi: Vec<String>,
    /// How `I = <grad f, grad phi>` relates to the tested expression.
    pub identity: Identity,
    /// The name of the tested expression, e.g. `<grad g, grad phi>`.
    pub tested: String,
    /// Its exact canonical form, printed (cut at `max_display` characters).
    pub canonical: Option<String>,
    /// Number of terms of the canonical numerator.
    pub canonical_terms: Option<usize>,
    /// Whether `I == 0` identically: proved, refuted (with `nonzero_witness`) or inconclusive.
    pub conserved: Evidence,
    /// A rational point where `I != 0`, with the value of `I` there.
    pub nonzero_witness: Option<Witness>,
    /// Why the exact zero test could not decide, if it could not.
    pub undecided_reason: Option<UndecidedReason>,
    /// The search for `I >= 0` on the box, when `phi` is not proved conserved.
    pub lyapunov: Option<LyapunovReport>,
    /// The kink and jump sets of `phi` and of `g` (or `f`): the tested identity is an
    /// identity of derivatives, so it holds off these sets only.
    pub kinks: Vec<KinkCrossing>,
}

/// A kink set of `phi` or of the objective, and whether the gradient flow crosses it.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct KinkCrossing {
    /// The set `{u = 0}` and its kind.
    pub kink: Kink,
    /// Which function it belongs to: `phi`, `g` or `f`.
    pub function: &'static str,
    /// `Some(false)` when `u` is itself conserved (exactly), so the flow never crosses the
    /// set; `Some(true)` when `<grad f, grad u>` is not identically zero, so the flow may
    /// cross it; `None` when undecided.
    pub flow_crosses: Option<bool>,
}

/// The expression C1 tests for zero, with what the report says about it.
struct Tested {
    /// `g` printed, when `f = c h(g)`.
    g: Option<String>,
    /// The residuals printed, when `f = |G|^2`.
    residuals: Vec<String>,
    /// `<grad g, grad phi>` or `<grad f, grad phi>`.
    expr: ExprId,
    /// Its name.
    name: &'static str,
    /// How `I` relates to it.
    identity: Identity,
}

/// Runs C1 for `f`, `phi` on the search box `bx` (docs/math.md C1).
///
/// `conserved` is `Proved` only when the exact canonical form of the tested expression is zero
/// and no kink set of `phi` can be crossed; `evidence` is `Proved` also when `I >= 0` is proved
/// by outward-rounded branch and bound; every refutation carries a witness.
pub fn check_conservation(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    bx: &RationalBox,
    opts: &ConservationOptions,
) -> ConservationReport {
    let (structure, outer_function) = Structure::detect_with_formula(arena, f);
    let domain = domain_of(arena, f, phi);
    let grad_f = arena.gradient(f);
    let grad_phi = arena.gradient(phi);
    let full = arena.dot(&grad_f, &grad_phi);
    let tested = tested_expression(arena, &structure, &grad_phi, full);
    let mut report = ConservationReport {
        evidence: Evidence::Inconclusive,
        structure: ObjectiveShape::of(&structure),
        g: tested.g,
        outer_function,
        residuals: tested.residuals,
        grad_f: grad_f.iter().map(|&e| arena.display(e)).collect(),
        grad_phi: grad_phi.iter().map(|&e| arena.display(e)).collect(),
        identity: tested.identity,
        tested: tested.name.to_string(),
        canonical: None,
        canonical_terms: None,
        conserved: Evidence::Inconclusive,
        nonzero_witness: None,
        undecided_reason: None,
        lyapunov: None,
        kinks: kink_crossings(arena, &structure, f, phi),
    };
    if exact_zero_test(arena, tested.expr, &domain, bx, opts, &mut report) {
        return report;
    }
    // Not proved zero: look for a point where I is certainly nonzero, then for I < 0.
    let grad_full = arena.gradient(full);
    let search = WitnessSearch::new(arena, full, &grad_full, domain);
    let negative = sample_witnesses(&search, bx, opts, &mut report);
    lyapunov_search(arena, &search, bx, opts, negative, &mut report);
    if report.evidence == Evidence::Inconclusive {
        sos_lyapunov(arena, f, phi, &mut report);
    }
    report
}

/// Tries to prove `I = <grad f, grad phi> >= 0` everywhere by a sum of squares; on success
/// the evidence becomes proved.
fn sos_lyapunov(arena: &Arena, f: ExprId, phi: ExprId, report: &mut ConservationReport) {
    let Some(lyapunov) = report.lyapunov.as_mut() else {
        return;
    };
    let (Some(fp), Some(pp)) = (
        ngd_sos::syntactic_poly(arena, f),
        ngd_sos::syntactic_poly(arena, phi),
    ) else {
        lyapunov.sos = Some(SosLyapunov::NotPolynomial);
        return;
    };
    let n = arena.n_vars();
    let mut identity = ngd_algebra::Poly::zero(n);
    for i in 0..n {
        let (a, b) = (fp.derivative(i), pp.derivative(i));
        if !ngd_sos::product_fits(&a, &b) {
            let reason = ngd_sos::NotFound::TargetTooLarge;
            lyapunov.sos = Some(SosLyapunov::NotFound { reason });
            return;
        }
        identity = identity.add(&a.mul(&b));
    }
    let names = arena.var_names().to_vec();
    match ngd_sos::prove_claim(&identity, &[], &names, &ngd_sos::SosOptions::default()) {
        Ok(claim) => {
            lyapunov.sos = Some(SosLyapunov::Proved { claim });
            lyapunov.evidence = Evidence::Proved;
            report.evidence = Evidence::Proved;
        }
        Err(reason) => lyapunov.sos = Some(SosLyapunov::NotFound { reason }),
    }
}

/// The expression to test: `<grad g, grad phi>` for `f = c h(g)`, else `<grad f, grad phi>`
/// (`full`), with the identity relating it to `I`.
fn tested_expression(
    arena: &mut Arena,
    structure: &Structure,
    grad_phi: &[ExprId],
    full: ExprId,
) -> Tested {
    match structure {
        Structure::Scalar { g, outer, .. } => {
            let grad_g = arena.gradient(*g);
            Tested {
                g: Some(arena.display(*g)),
                residuals: Vec::new(),
                expr: arena.dot(&grad_g, grad_phi),
                name: "<grad g, grad phi>",
                identity: Identity::ChainRule { outer: *outer },
            }
        }
        Structure::LeastSquares { residuals } => Tested {
            g: None,
            residuals: residuals.iter().map(|(_, r)| arena.display(*r)).collect(),
            expr: full,
            name: "<grad f, grad phi>",
            identity: Identity::LeastSquares,
        },
        Structure::Sum { terms, .. } => Tested {
            g: None,
            residuals: terms.iter().map(|t| arena.display(t.g)).collect(),
            expr: full,
            name: "<grad f, grad phi>",
            identity: Identity::SumOfLosses,
        },
        Structure::General => Tested {
            g: None,
            residuals: Vec::new(),
            expr: full,
            name: "<grad f, grad phi>",
            identity: Identity::Direct,
        },
    }
}

/// The exact zero test of `tested`: records its canonical form (cut at `max_display`) and
/// returns true when the report is final (conservation proved, or a zero form that holds only
/// off kink sets or nowhere); false when the numerical searches must run.
fn exact_zero_test(
    arena: &mut Arena,
    tested: ExprId,
    domain: &Domain,
    bx: &RationalBox,
    opts: &ConservationOptions,
    report: &mut ConservationReport,
) -> bool {
    let c = match canonicalize(arena, tested) {
        Ok(c) => c,
        Err(message) => {
            report.undecided_reason = Some(UndecidedReason::CanonicalForm { message });
            return false;
        }
    };
    report.canonical_terms = Some(c.numerator_terms());
    let e = c.to_expr(arena);
    report.canonical = Some(cut_display(arena.display(e), opts.max_display));
    if !c.is_zero() {
        return false;
    }
    match zero_identity_scope(&report.kinks, domain, bx, opts) {
        Ok(()) => {
            report.conserved = Evidence::Proved;
            report.evidence = Evidence::Proved;
        }
        Err(reason) => report.undecided_reason = Some(reason),
    }
    true
}

/// `s` cut to at most `max` bytes at a character boundary, marked with ` ...` when cut.
fn cut_display(mut s: String, max: usize) -> String {
    if s.len() > max {
        let cut = (0..=max)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        s.truncate(cut);
        s.push_str(" ...");
    }
    s
}

/// What the numerical searches for `I != 0` and `I < 0` evaluate.
struct WitnessSearch {
    /// `I` and its gradient: the outputs branch and bound needs.
    outputs: Vec<ExprId>,
    /// The tape evaluated at the sample points (output 0 is `I`).
    sample_tape: Tape,
    /// Where `f` and `phi` are defined.
    domain: Domain,
}

impl WitnessSearch {
    /// The search for `I = full` with gradient `grad_full`, on the domain of `f` and `phi`.
    ///
    /// A sample point is rejected when any output of the sampled tape is undefined there.
    /// For a polynomial `I` no output of `[I, grad I]` can be undefined at a rational point,
    /// so `I` alone is sampled (the same values, without the gradient); otherwise the tape
    /// of `I` with its gradient is sampled, which keeps rejecting the same points.
    fn new(arena: &Arena, full: ExprId, grad_full: &[ExprId], domain: Domain) -> WitnessSearch {
        let mut outputs = vec![full];
        outputs.extend_from_slice(grad_full);
        let sample_tape = if is_polynomial(arena, &[full]) {
            Tape::compile(arena, &[full])
        } else {
            Tape::compile(arena, &outputs)
        };
        WitnessSearch {
            outputs,
            sample_tape,
            domain,
        }
    }

    /// The tape of `I` and its gradient, for branch and bound.
    fn branch_tape(&self, arena: &Arena) -> Tape {
        Tape::compile(arena, &self.outputs)
    }
}

/// Where `f` and `phi` are defined. Polynomials are defined everywhere, exactly and by
/// intervals, so for them the domain needs no tape: it answers as `Domain::of` would
/// (every point in, no box missed) without compiling and evaluating one.
fn domain_of(arena: &Arena, f: ExprId, phi: ExprId) -> Domain {
    if is_polynomial(arena, &[f, phi]) {
        Domain::everywhere()
    } else {
        Domain::of(arena, &[f, phi])
    }
}

/// Whether every node below `roots` is a constant, a variable, a sum, a product or a
/// nonnegative integer power: then exact evaluation at a rational point cannot fail.
fn is_polynomial(arena: &Arena, roots: &[ExprId]) -> bool {
    arena
        .postorder(roots)
        .into_iter()
        .all(|id| match arena.node(id) {
            Node::Const(_) | Node::Var(_) | Node::Add(_) | Node::Mul(_) => true,
            Node::Pow(_, p) => p.is_integer() && *p >= 0,
            Node::Func(..) | Node::Max(..) | Node::Min(..) => false,
        })
}

/// Evaluates `I` at the sample points in the domain: the first certainly nonzero value
/// becomes `nonzero_witness` (refuting conservation); returns the first certainly negative one.
fn sample_witnesses(
    search: &WitnessSearch,
    bx: &RationalBox,
    opts: &ConservationOptions,
    report: &mut ConservationReport,
) -> Option<Witness> {
    let mut negative = None;
    for p in SamplePoints::new(bx, opts.sample_points, opts.seed) {
        if !search.domain.contains(&p) {
            continue;
        }
        let w = match value_at(&search.sample_tape, 0, &p) {
            PointValue::Exact(v) => Witness::exact(&p, &v),
            PointValue::Enclosure(i) => Witness::enclosure(&p, i.inf(), i.sup()),
            PointValue::Undefined(_) => None,
        };
        if let Some(w) = w {
            if report.nonzero_witness.is_none() {
                report.nonzero_witness = Some(w.clone());
            }
            if w.sign < 0 {
                negative = Some(w);
                break;
            }
        }
    }
    if report.nonzero_witness.is_some() {
        report.conserved = Evidence::Refuted;
    }
    negative
}

/// Decides `I >= 0` on the box (refuted at once by a `negative` sample, else by branch and
/// bound) and sets the overall evidence from it.
fn lyapunov_search(
    arena: &Arena,
    search: &WitnessSearch,
    bx: &RationalBox,
    opts: &ConservationOptions,
    negative: Option<Witness>,
    report: &mut ConservationReport,
) {
    let outcome = match negative {
        Some(witness) => NonnegOutcome::Refuted { witness, boxes: 0 },
        // Branch and bound needs `I` with its gradient (for its mean-value enclosures).
        None => prove_nonneg(&search.branch_tape(arena), bx, &search.domain, &opts.budget),
    };
    if let NonnegOutcome::Refuted { witness, .. } = &outcome {
        if report.nonzero_witness.is_none() {
            report.nonzero_witness = Some(witness.clone());
            report.conserved = Evidence::Refuted;
        }
    }
    let evidence = match outcome {
        NonnegOutcome::Proved { .. } => Evidence::Proved,
        NonnegOutcome::Refuted { .. } => Evidence::Refuted,
        NonnegOutcome::Inconclusive { .. } | NonnegOutcome::Undefined { .. } => {
            Evidence::Inconclusive
        }
    };
    report.evidence = evidence;
    report.lyapunov = Some(LyapunovReport {
        evidence,
        outcome,
        sos: None,
    });
}

/// The kink sets of `phi` and of the function whose gradient the identity uses (`g` for
/// `f = c h(g)`, else `f`), each with whether the flow crosses it.
fn kink_crossings(
    arena: &mut Arena,
    structure: &Structure,
    f: ExprId,
    phi: ExprId,
) -> Vec<KinkCrossing> {
    let (objective, name) = match structure {
        Structure::Scalar { g, .. } => (*g, "g"),
        _ => (f, "f"),
    };
    let objective_kinks = kinks_of(arena, objective);
    // The flow of a nonsmooth objective is not a smooth vector field, so whether it crosses
    // a set is left undecided; otherwise one gradient serves every kink set. A polynomial
    // `phi` has no kink set, and then no gradient is needed. (C1 has already built this
    // gradient in the arena, so skipping it here leaves the arena as it was.)
    let grad_objective = (objective_kinks.is_empty() && !is_polynomial(arena, &[phi]))
        .then(|| arena.gradient(objective));
    let mut out = Vec::new();
    let phi_kinks = kinks_of(arena, phi);
    for (kinks, function) in [(phi_kinks, "phi"), (objective_kinks, name)] {
        for kink in kinks {
            let flow_crosses = grad_objective
                .as_ref()
                .and_then(|go| flow_crosses(arena, go, kink.argument));
            out.push(KinkCrossing {
                kink,
                function,
                flow_crosses,
            });
        }
    }
    out
}

/// Whether the gradient flow (of the smooth objective whose gradient is `grad_objective`)
/// may cross `{u = 0}`: `Some(false)` when `<grad objective, grad u> == 0` exactly and `u` is
/// smooth (then `u` is conserved and every trajectory stays on one side), `Some(true)` when
/// that form is not zero.
fn flow_crosses(arena: &mut Arena, grad_objective: &[ExprId], u: ExprId) -> Option<bool> {
    if !kinks_of(arena, u).is_empty() {
        return None;
    }
    let gu = arena.gradient(u);
    let d = arena.dot(grad_objective, &gu);
    canonicalize(arena, d).ok().map(|c| !c.is_zero())
}

/// When the canonical form of the identity is zero: `Ok` if that proves conservation
/// everywhere the functions are defined, `Err` with the reason if it holds only off kink
/// sets, or if `f`, `phi` are defined at none of the sampled points of the box.
fn zero_identity_scope(
    kinks: &[KinkCrossing],
    domain: &Domain,
    bx: &RationalBox,
    opts: &ConservationOptions,
) -> Result<(), UndecidedReason> {
    // The centre first, then the sample points, generated only as far as needed.
    let somewhere = domain.contains(&bx.center())
        || SamplePoints::new(bx, opts.sample_points, opts.seed).any(|p| domain.contains(&p));
    if !somewhere {
        return Err(UndecidedReason::UndefinedEverywhere);
    }
    let open: Vec<KinkCrossing> = kinks
        .iter()
        // Kinks of the objective only bound where its flow is defined; those of phi decide.
        .filter(|k| k.function == "phi")
        .filter(|k| k.kink.kind == KinkKind::Jump || k.flow_crosses != Some(false))
        .cloned()
        .collect();
    if open.is_empty() {
        Ok(())
    } else {
        Err(UndecidedReason::OffKinkSetsOnly { kinks: open })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_parse::{parse_expr, Params};
    use rug::Rational;

    fn parsed(arena: &mut Arena, src: &str) -> ExprId {
        parse_expr(arena, src, &Params::new()).expect("parses")
    }

    fn xy() -> Arena {
        Arena::new(vec!["x".into(), "y".into()])
    }

    #[test]
    fn polynomial_means_exactly_evaluable_everywhere() {
        let mut a = xy();
        for src in ["(x*y - 1)^2", "x^3 - 2*y + 1/3", "7", "(x + y)^5*x"] {
            let e = parsed(&mut a, src);
            assert!(is_polynomial(&a, &[e]), "{src}");
        }
        // Each of these is undefined (or irrational) somewhere, so it is not a polynomial.
        for src in [
            "1/x",
            "x^(-2) + y",
            "sqrt(x)",
            "x^(1/3)",
            "exp(x)",
            "log(x)",
        ] {
            let e = parsed(&mut a, src);
            assert!(!is_polynomial(&a, &[e]), "{src}");
        }
        for src in ["abs(x)", "sign(y)", "max(x, y)", "min(x, y)"] {
            let e = parsed(&mut a, src);
            assert!(!is_polynomial(&a, &[e]), "{src}");
        }
        let (p, q) = (parsed(&mut a, "x^2"), parsed(&mut a, "1/y"));
        assert!(
            !is_polynomial(&a, &[p, q]),
            "one non-polynomial root decides"
        );
    }

    /// `I = <grad (xy - 1)^2, grad log(x - 2)> = 2 (xy - 1) y / (x - 2)` is defined at
    /// `x < 2` where `phi` is not: a domain that skipped `log(x - 2)` would report such a
    /// witness (most sample points of `[-3, 3]^2`, the first ones included, have `x < 2`).
    #[test]
    fn witnesses_stay_in_the_domain_of_phi() {
        let mut a = xy();
        let f = parsed(&mut a, "(x*y - 1)^2");
        let phi = parsed(&mut a, "log(x - 2)");
        let bx = RationalBox::cube(2, 3);
        let r = check_conservation(&mut a, f, phi, &bx, &ConservationOptions::default());
        assert_eq!(r.conserved, Evidence::Refuted);
        let w = r.nonzero_witness.expect("a witness");
        let x: Rational = w.point[0].parse().expect("a rational");
        assert!(x > 2, "witness {w:?} outside the domain of log(x - 2)");
    }

    /// `I = <grad (xy - 1)^2, grad (x^2 + y^2)> = 8 xy (xy - 1)` is negative where
    /// `0 < xy < 1`: the witness search must find a negative point, and its value must be
    /// the exact value of `I` there.
    #[test]
    fn a_negative_witness_refutes_with_the_exact_value() {
        let mut a = xy();
        let f = parsed(&mut a, "(x*y - 1)^2");
        let phi = parsed(&mut a, "x^2 + y^2");
        let bx = RationalBox::cube(2, 3);
        let r = check_conservation(&mut a, f, phi, &bx, &ConservationOptions::default());
        assert_eq!(r.conserved, Evidence::Refuted);
        assert_eq!(r.evidence, Evidence::Refuted);
        let Some(LyapunovReport {
            outcome: NonnegOutcome::Refuted { witness, boxes: 0 },
            ..
        }) = r.lyapunov
        else {
            panic!("refuted by a sample: {:?}", r.lyapunov);
        };
        let p: Vec<Rational> = witness.point.iter().map(|s| s.parse().unwrap()).collect();
        let xy = Rational::from(&p[0] * &p[1]);
        let value = Rational::from(&xy * 8u32) * (xy - 1u32);
        assert!(value < 0);
        assert_eq!(Witness::exact(&p, &value), Some(witness));
    }

    /// `I = 4 x^2 / (1 + x^2) >= 0` for `f = x^2 + y^2`, `phi = log(1 + x^2)`: no sample is
    /// negative, so branch and bound (which needs the gradient outputs) proves it.
    #[test]
    fn branch_and_bound_runs_when_no_sample_is_negative() {
        let mut a = xy();
        let f = parsed(&mut a, "x^2 + y^2");
        let phi = parsed(&mut a, "log(1 + x^2)");
        let bx = RationalBox::cube(2, 3);
        let r = check_conservation(&mut a, f, phi, &bx, &ConservationOptions::default());
        assert_eq!(r.conserved, Evidence::Refuted);
        assert_eq!(r.evidence, Evidence::Proved);
        let lyapunov = r.lyapunov.expect("searched");
        assert!(matches!(lyapunov.outcome, NonnegOutcome::Proved { .. }));
    }
}
