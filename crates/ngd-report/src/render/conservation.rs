//! The C1 section of the report: the conservation identity, its canonical form, the kink sets
//! and the interval proof of `<grad f, grad phi> >= 0`.

use super::{badge, Block};
use crate::report::Report;
use ngd_check::{Evidence, NonnegOutcome, Witness, WitnessValue};

/// Appends the C1 section.
pub(super) fn conservation_blocks(b: &mut Vec<Block>, r: &Report) {
    let names: Vec<String> = r.case.search_box.iter().map(|e| e[0].clone()).collect();
    match &r.conservation {
        None => {
            b.push(Block::Heading(
                "C1 conservation: NOT CHECKED (no regularizer)".into(),
            ));
        }
        Some(c) => {
            let what = match (c.evidence, c.conserved) {
                (Evidence::Proved, Evidence::Proved) => "<grad f, grad phi> == 0 (exact)",
                (Evidence::Proved, _) => {
                    "<grad f, grad phi> >= 0 on the search box (interval proof)"
                }
                (Evidence::Refuted, _) => "<grad f, grad phi> < 0 at a witness point",
                _ => "<grad f, grad phi> >= 0 not decided",
            };
            b.push(Block::Heading(format!(
                "C1 conservation: {} - {what}",
                badge(c.evidence)
            )));
            b.push(Block::Field("structure".into(), c.structure.clone()));
            if let Some(g) = &c.g {
                b.push(Block::Field("g".into(), g.clone()));
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
            b.push(Block::Field("identity".into(), c.identity.clone()));
            match (&c.canonical, c.canonical_terms) {
                (Some(s), Some(t)) => b.push(Block::Field(
                    format!("{} (exact canonical form, {t} terms)", c.tested),
                    s.clone(),
                )),
                _ => b.push(Block::Field(
                    c.tested.clone(),
                    format!(
                        "undecided by the exact canonical form: {}",
                        c.undecided_reason.clone().unwrap_or_default()
                    ),
                )),
            }
            b.push(Block::Field(
                "conserved".into(),
                match c.conserved {
                    Evidence::Proved => "yes: PROVED (the canonical form is exactly 0)".into(),
                    Evidence::Refuted => "no: REFUTED".into(),
                    e => match &c.undecided_reason {
                        Some(r) if c.canonical.is_some() => format!("{}: {r}", badge(e)),
                        _ => format!("{} (canonical form not zero, no witness found)", badge(e)),
                    },
                },
            ));
            for k in &c.kinks {
                let crossing = match k.flow_crosses {
                    Some(true) => "the flow may cross it",
                    Some(false) => "the flow never crosses it (its argument is conserved)",
                    None => "crossing undecided",
                };
                b.push(Block::Item(format!(
                    "{:?} set of {}: {{{} = 0}}; {crossing}",
                    k.kink.kind, k.function, k.kink.set
                )));
            }
            if let Some(w) = &c.nonzero_witness {
                b.push(Block::Item(format!("witness {}", witness_text(w, &names))));
            }
            if let Some(l) = &c.lyapunov {
                let text = match &l.outcome {
                    NonnegOutcome::Proved {
                        boxes,
                        lower_bound,
                        outside_domain,
                    } => format!(
                        "PROVED on the search box: {boxes} boxes ({outside_domain} outside the domain of f and phi), certified lower bound {lower_bound:e}"
                    ),
                    NonnegOutcome::Refuted { witness, boxes } => format!(
                        "REFUTED after {boxes} boxes: phi increases along the flow {}",
                        witness_text(witness, &names)
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
                };
                b.push(Block::Field("<grad f, grad phi> >= 0".into(), text));
            }
        }
    }
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
