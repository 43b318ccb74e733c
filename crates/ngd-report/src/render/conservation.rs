//! The C1 section of the report: the conservation identity, its canonical form, the kink sets
//! and the proofs of `<grad f, grad phi> >= 0` (interval branch and bound, sums of squares).

use super::sos::{sos_claim_text, sos_not_found_text};
use super::{badge, Block};
use crate::report::Report;
use ngd_check::{
    ConservationReport, Evidence, Identity, KinkCrossing, KinkKind, NonnegOutcome, ObjectiveShape,
    Outer, SosLyapunov, UndecidedReason, Witness, WitnessValue,
};

/// Appends the C1 section.
pub(super) fn conservation_blocks(b: &mut Vec<Block>, r: &Report) {
    let names: Vec<String> = r.case.search_box.iter().map(|e| e[0].clone()).collect();
    let Some(c) = &r.conservation else {
        b.push(Block::Heading(
            "C1 conservation: NOT CHECKED (no regularizer)".into(),
        ));
        return;
    };
    let by_sos = c
        .lyapunov
        .as_ref()
        .is_some_and(|l| matches!(l.sos, Some(SosLyapunov::Proved { .. })));
    let what = match (c.evidence, c.conserved) {
        (Evidence::Proved, Evidence::Proved) => "<grad f, grad phi> == 0 (exact)",
        (Evidence::Proved, _) if by_sos => "<grad f, grad phi> >= 0 everywhere (sum of squares)",
        (Evidence::Proved, _) => "<grad f, grad phi> >= 0 on the search box (interval proof)",
        (Evidence::Refuted, _) => "<grad f, grad phi> < 0 at a witness point",
        _ => "<grad f, grad phi> >= 0 not decided",
    };
    b.push(Block::Heading(format!(
        "C1 conservation: {} - {what}",
        badge(c.evidence)
    )));
    b.push(Block::Field("structure".into(), shape_text(&c.structure)));
    if let Some(g) = &c.g {
        b.push(Block::Field("g".into(), g.clone()));
    }
    if let Some(h) = &c.outer_function {
        b.push(Block::Field("h(t)".into(), h.clone()));
    }
    for (i, res) in c.residuals.iter().enumerate() {
        b.push(Block::Field(format!("g_{}", i + 1), res.clone()));
    }
    b.push(Block::Field("grad f".into(), String::new()));
    for (n, e) in names.iter().zip(&c.grad_f) {
        b.push(Block::Math(format!("d/d{n}: {e}")));
    }
    b.push(Block::Field("grad phi".into(), String::new()));
    for (n, e) in names.iter().zip(&c.grad_phi) {
        b.push(Block::Math(format!("d/d{n}: {e}")));
    }
    b.push(Block::Field("identity".into(), identity_text(&c.identity)));
    b.push(canonical_field(c));
    b.push(Block::Field("conserved".into(), conserved_text(c)));
    for k in &c.kinks {
        b.push(Block::Item(kink_text(k)));
    }
    if let Some(w) = &c.nonzero_witness {
        b.push(Block::Item(format!("witness {}", witness_text(w, &names))));
    }
    if let Some(l) = &c.lyapunov {
        b.push(Block::Field(
            "<grad f, grad phi> >= 0".into(),
            lyapunov_text(&l.outcome, &names),
        ));
        match &l.sos {
            Some(SosLyapunov::Proved { claim }) => b.push(Block::Field(
                "<grad f, grad phi> >= 0 (SOS)".into(),
                sos_claim_text(claim),
            )),
            Some(SosLyapunov::NotFound { reason }) => b.push(Block::Field(
                "<grad f, grad phi> >= 0 (SOS)".into(),
                sos_not_found_text(reason),
            )),
            Some(SosLyapunov::NotPolynomial) | None => {}
        }
    }
}

/// The tested expression with its exact canonical form, or why there is none.
fn canonical_field(c: &ConservationReport) -> Block {
    match (&c.canonical, c.canonical_terms) {
        (Some(s), Some(t)) => Block::Field(
            format!("{} (exact canonical form, {t} terms)", c.tested),
            s.clone(),
        ),
        _ => Block::Field(
            c.tested.clone(),
            format!(
                "undecided by the exact canonical form: {}",
                c.undecided_reason
                    .as_ref()
                    .map(undecided_text)
                    .unwrap_or_default()
            ),
        ),
    }
}

/// Whether `phi` is conserved, with the reason when undecided.
fn conserved_text(c: &ConservationReport) -> String {
    match c.conserved {
        Evidence::Proved => "yes: PROVED (the canonical form is exactly 0)".into(),
        Evidence::Refuted => "no: REFUTED".into(),
        e => match &c.undecided_reason {
            Some(r) if c.canonical.is_some() => format!("{}: {}", badge(e), undecided_text(r)),
            _ => format!("{} (canonical form not zero, no witness found)", badge(e)),
        },
    }
}

/// One kink set and whether the flow crosses it.
fn kink_text(k: &KinkCrossing) -> String {
    let crossing = match k.flow_crosses {
        Some(true) => "the flow may cross it",
        Some(false) => "the flow never crosses it (its argument is conserved)",
        None => "crossing undecided",
    };
    format!(
        "{:?} set of {}: {{{} = 0}}; {crossing}",
        k.kink.kind, k.function, k.kink.set
    )
}

/// The outcome of the interval search for `<grad f, grad phi> >= 0`.
fn lyapunov_text(outcome: &NonnegOutcome, names: &[String]) -> String {
    match outcome {
        NonnegOutcome::Proved {
            boxes,
            lower_bound,
            outside_domain,
        } => format!(
            "PROVED on the search box: {boxes} boxes ({outside_domain} outside the domain of f and phi), certified lower bound {lower_bound:e}"
        ),
        NonnegOutcome::Refuted { witness, boxes } => format!(
            "REFUTED after {boxes} boxes: phi increases along the flow {}",
            witness_text(witness, names)
        ),
        NonnegOutcome::Undefined { boxes } => format!(
            "UNDEFINED: f or phi is defined nowhere in the search box ({boxes} boxes)"
        ),
        NonnegOutcome::Inconclusive {
            boxes,
            unresolved,
            lower_bound,
            limit,
            nonsmooth,
        } => {
            let why = match limit {
                ngd_check::BranchLimit::BoxBudget => {
                    format!("box budget of {boxes} exhausted (raise it with --max-boxes or [limits] max_boxes)")
                }
                ngd_check::BranchLimit::MinimumWidth => {
                    "undecided boxes reached the minimum width".to_string()
                }
            };
            let kink = if *nonsmooth {
                "; some undecided boxes meet a kink or jump, where only natural enclosures are sound"
            } else {
                ""
            };
            format!(
                "INCONCLUSIVE: {why}; {unresolved} undecided, best lower bound {lower_bound:e}{kink}"
            )
        }
    }
}

/// The shape of `f` in words, e.g. `f = g^2`.
pub(crate) fn shape_text(s: &ObjectiveShape) -> String {
    match s {
        ObjectiveShape::Scalar { outer, coeff } => {
            let c = if coeff == "1" {
                String::new()
            } else {
                format!("{coeff} ")
            };
            match outer {
                Outer::Square => format!("f = {c}g^2"),
                Outer::EvenPower(k) => format!("f = {c}g^{k}"),
                Outer::Abs => format!("f = {c}|g|"),
                Outer::Increasing { order, .. } => format!(
                    "f = {c}h(g), h increasing in |t| with h(0) = 0 (proved), of order {order} at 0"
                ),
            }
        }
        ObjectiveShape::LeastSquares { residuals } => {
            format!("f = |G|^2 (least squares, {residuals} residuals)")
        }
        ObjectiveShape::Sum { losses, constant } => {
            let terms: Vec<String> = losses
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let c = if l.coeff == "1" {
                        String::new()
                    } else {
                        format!("{} ", l.coeff)
                    };
                    let k = i + 1;
                    format!("{c}h_{k}(g_{k}), h_{k}(t) = {}", l.formula)
                })
                .collect();
            let c0 = if constant == "0" {
                String::new()
            } else {
                format!(" + {constant}")
            };
            format!(
                "f = sum of {} losses{c0}: {} (each h_i increasing in |t| with h_i(0) = 0, proved)",
                losses.len(),
                terms.join("; ")
            )
        }
        ObjectiveShape::General => "f (no special structure recognised)".into(),
    }
}

/// How `<grad f, grad phi>` relates to the tested expression.
fn identity_text(i: &Identity) -> String {
    match i {
        Identity::ChainRule { outer } => {
            let factor = match outer {
                Outer::Square => "2 c g".to_string(),
                Outer::EvenPower(k) => format!("{k} c g^{}", k - 1),
                Outer::Abs => "c sign(g)".to_string(),
                Outer::Increasing {
                    strict_range_log2, ..
                } => {
                    return format!(
                        "<grad f, grad phi> = c h'(g) <grad g, grad phi>, and h'(g) has the sign \
                         of g (proved for 0 < |g| <= 2^{strict_range_log2}), so it is != 0 \
                         almost everywhere there"
                    );
                }
            };
            format!(
                "<grad f, grad phi> = {factor} <grad g, grad phi>, and {factor} != 0 almost everywhere"
            )
        }
        Identity::LeastSquares => {
            "<grad f, grad phi> = sum_i 2 c_i g_i <grad g_i, grad phi>".into()
        }
        Identity::SumOfLosses => "<grad f, grad phi> = sum_i c_i h_i'(g_i) <grad g_i, grad phi>, \
                                  tested directly (the factors h_i'(g_i) may cancel)"
            .into(),
        Identity::Direct => "<grad f, grad phi> tested directly".into(),
    }
}

/// Why the exact zero test did not decide conservation.
fn undecided_text(r: &UndecidedReason) -> String {
    match r {
        UndecidedReason::CanonicalForm { message } => message.clone(),
        UndecidedReason::UndefinedEverywhere => {
            "f or phi is undefined at every sampled point of the search box: nothing is conserved"
                .into()
        }
        UndecidedReason::OffKinkSetsOnly { kinks } => {
            let open: Vec<String> = kinks.iter().map(open_kink_text).collect();
            format!(
                "the identity holds off the kink sets only (the canonical form treats sign' as 0): {}",
                open.join("; ")
            )
        }
    }
}

/// A kink set of `phi` on which the zero identity says nothing, and why.
fn open_kink_text(k: &KinkCrossing) -> String {
    let set = format!("{{{} = 0}}", k.kink.set);
    let how = match (k.kink.kind, k.flow_crosses) {
        (KinkKind::Jump, Some(false)) => format!("jumps across {set} (the flow does not cross it)"),
        (KinkKind::Jump, _) => format!("jumps across {set}, which the flow may cross"),
        (_, Some(true)) => format!("has a kink on {set}, which the flow may cross"),
        _ => format!("has a kink on {set}; whether the flow crosses it is undecided"),
    };
    format!("{} {how}", k.function)
}

pub(super) fn witness_text(w: &Witness, names: &[String]) -> String {
    let point: Vec<String> = names
        .iter()
        .zip(&w.point)
        .map(|(n, v)| format!("{n} = {v}"))
        .collect();
    let value = match &w.value {
        WitnessValue::Exact { value } => format!("= {value} exactly"),
        WitnessValue::Enclosure { lo, hi } => {
            format!("in [{lo:e}, {hi:e}] (outward-rounded enclosure)")
        }
    };
    let sign = if w.sign < 0 { "negative" } else { "positive" };
    format!(
        "at ({}): <grad f, grad phi> {value}, {sign}",
        point.join(", ")
    )
}

/// `h` in words for the reports of other sections: `h(t) = t^2`, or the proved property of
/// an outer function recognised from its formula.
pub(crate) fn outer_clause(outer: &Outer) -> String {
    match outer {
        Outer::Square => "h(t) = t^2".to_string(),
        Outer::EvenPower(k) => format!("h(t) = t^{k}"),
        Outer::Abs => "h(t) = |t|".to_string(),
        Outer::Increasing { order, .. } => {
            format!("h increasing in |t| with h(0) = 0 (proved; order {order} at 0)")
        }
    }
}

/// "`h >= 0`" with its reason, for the lower bound of `f`.
pub(crate) fn outer_nonnegative(outer: &Outer) -> String {
    match outer {
        Outer::Increasing { .. } => format!("{}, so h >= 0", outer_clause(outer)),
        _ => format!("{} >= 0", outer_clause(outer)),
    }
}
