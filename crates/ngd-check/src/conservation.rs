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
use ngd_certify::{
    prove_nonneg, sample_points, value_at, BranchBudget, Domain, Evidence, NonnegOutcome,
    PointValue, RationalBox, Witness,
};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};
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
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LyapunovReport {
    /// Proved (`I >= 0` on the box), refuted (a point with `I < 0`) or inconclusive.
    pub evidence: Evidence,
    /// The branch-and-bound outcome with its numbers and witness.
    pub outcome: NonnegOutcome,
}

/// The C1 section of the certificate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConservationReport {
    /// Overall verdict of C1: proved when `phi` is conserved or `I >= 0` is proved on the box.
    pub evidence: Evidence,
    /// The recognised shape of `f`, e.g. `f = g^2`.
    pub structure: String,
    /// `g` when `f = c h(g)`.
    pub g: Option<String>,
    /// The residuals when `f = |G|^2`.
    pub residuals: Vec<String>,
    /// `grad f`, one entry per variable.
    pub grad_f: Vec<String>,
    /// `grad phi`, one entry per variable.
    pub grad_phi: Vec<String>,
    /// How `I = <grad f, grad phi>` relates to the tested expression.
    pub identity: String,
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
    pub undecided_reason: Option<String>,
    /// The search for `I >= 0` on the box, when `phi` is not proved conserved.
    pub lyapunov: Option<LyapunovReport>,
    /// The kink and jump sets of `phi` and of `g` (or `f`): the tested identity is an
    /// identity of derivatives, so it holds off these sets only.
    pub kinks: Vec<KinkCrossing>,
}

/// A kink set of `phi` or of the objective, and whether the gradient flow crosses it.
#[derive(Clone, Debug, PartialEq, Serialize)]
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

/// Runs C1 for `f`, `phi` on the search box `bx`.
pub fn check_conservation(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    bx: &RationalBox,
    opts: &ConservationOptions,
) -> ConservationReport {
    let structure = Structure::detect(arena, f);
    let domain = Domain::of(arena, &[f, phi]);
    let grad_f = arena.gradient(f);
    let grad_phi = arena.gradient(phi);
    let full = arena.dot(&grad_f, &grad_phi);

    let (g, residuals, tested, tested_name, identity) = match &structure {
        Structure::Scalar { g, outer, .. } => {
            let grad_g = arena.gradient(*g);
            let j = arena.dot(&grad_g, &grad_phi);
            let factor = match outer {
                Outer::Square => "2 c g".to_string(),
                Outer::EvenPower(k) => format!("{k} c g^{}", k - 1),
                Outer::Abs => "c sign(g)".to_string(),
            };
            (
                Some(arena.display(*g)),
                Vec::new(),
                j,
                "<grad g, grad phi>".to_string(),
                format!(
                    "<grad f, grad phi> = {factor} <grad g, grad phi>, and {factor} != 0 almost everywhere"
                ),
            )
        }
        Structure::LeastSquares { residuals } => (
            None,
            residuals.iter().map(|(_, r)| arena.display(*r)).collect(),
            full,
            "<grad f, grad phi>".to_string(),
            "<grad f, grad phi> = sum_i 2 c_i g_i <grad g_i, grad phi>".to_string(),
        ),
        Structure::General => (
            None,
            Vec::new(),
            full,
            "<grad f, grad phi>".to_string(),
            "<grad f, grad phi> tested directly".to_string(),
        ),
    };

    let mut report = ConservationReport {
        evidence: Evidence::Inconclusive,
        structure: structure.describe(),
        g,
        residuals,
        grad_f: grad_f.iter().map(|&e| arena.display(e)).collect(),
        grad_phi: grad_phi.iter().map(|&e| arena.display(e)).collect(),
        identity,
        tested: tested_name,
        canonical: None,
        canonical_terms: None,
        conserved: Evidence::Inconclusive,
        nonzero_witness: None,
        undecided_reason: None,
        lyapunov: None,
        kinks: Vec::new(),
    };
    report.kinks = kink_crossings(arena, &structure, f, phi);

    match canonicalize(arena, tested) {
        Ok(c) => {
            report.canonical_terms = Some(c.numerator_terms());
            let e = c.to_expr(arena);
            let mut s = arena.display(e);
            if s.len() > opts.max_display {
                let cut = (0..=opts.max_display)
                    .rev()
                    .find(|&i| s.is_char_boundary(i))
                    .unwrap_or(0);
                s.truncate(cut);
                s.push_str(" ...");
            }
            report.canonical = Some(s);
            if c.is_zero() {
                match zero_identity_scope(&report.kinks, &domain, bx, opts) {
                    Ok(()) => {
                        report.conserved = Evidence::Proved;
                        report.evidence = Evidence::Proved;
                        return report;
                    }
                    Err(reason) => {
                        report.undecided_reason = Some(reason);
                        return report;
                    }
                }
            }
        }
        Err(reason) => report.undecided_reason = Some(reason),
    }
    // Not proved zero: look for a point where I is certainly nonzero, then for I < 0.
    let mut outs = vec![full];
    outs.extend(arena.gradient(full));
    let tape = Tape::compile(arena, &outs);
    let mut negative: Option<Witness> = None;
    for p in sample_points(bx, opts.sample_points, opts.seed) {
        if !domain.contains(&p) {
            continue;
        }
        let w = match value_at(&tape, 0, &p) {
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
    let outcome = match negative {
        Some(witness) => NonnegOutcome::Refuted { witness, boxes: 0 },
        None => prove_nonneg(&tape, bx, &domain, &opts.budget),
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
    report.lyapunov = Some(LyapunovReport { evidence, outcome });
    report
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
    // a set is left undecided; otherwise one gradient serves every kink set.
    let grad_objective = objective_kinks
        .is_empty()
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
) -> Result<(), String> {
    let somewhere = std::iter::once(bx.center())
        .chain(sample_points(bx, opts.sample_points, opts.seed))
        .any(|p| domain.contains(&p));
    if !somewhere {
        return Err(
            "f or phi is undefined at every sampled point of the search box: nothing is conserved"
                .into(),
        );
    }
    let open: Vec<String> = kinks
        .iter()
        // Kinks of the objective only bound where its flow is defined; those of phi decide.
        .filter(|k| k.function == "phi")
        .filter(|k| k.kink.kind == KinkKind::Jump || k.flow_crosses != Some(false))
        .map(|k| {
            let set = format!("{{{} = 0}}", k.kink.set);
            let how = match (k.kink.kind, k.flow_crosses) {
                (KinkKind::Jump, Some(false)) => {
                    format!("jumps across {set} (the flow does not cross it)")
                }
                (KinkKind::Jump, _) => format!("jumps across {set}, which the flow may cross"),
                (_, Some(true)) => format!("has a kink on {set}, which the flow may cross"),
                _ => format!("has a kink on {set}; whether the flow crosses it is undecided"),
            };
            format!("{} {how}", k.function)
        })
        .collect();
    if open.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the identity holds off the kink sets only (the canonical form treats sign' as 0): {}",
            open.join("; ")
        ))
    }
}
