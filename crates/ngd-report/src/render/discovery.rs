//! Rendering of the `discover` subcommand.

use super::*;

/// Renders the output of `discover` in the chosen format.
pub fn render_discovery(d: &DiscoverOutput, format: Format) -> String {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(d).expect("discovery serializes");
            s.push('\n');
            s
        }
        Format::Text => {
            let mut s = to_text(&discovery_blocks(d));
            if let Some(r) = &d.check {
                s.push('\n');
                s.push_str(&to_text(&blocks(r)));
            }
            s
        }
        Format::Markdown => {
            let mut s = to_markdown(&discovery_blocks(d));
            if let Some(r) = &d.check {
                s.push('\n');
                s.push_str(&to_markdown(&blocks(r)));
            }
            s
        }
    }
}

pub(super) fn ansatz_name(k: &AnsatzKind) -> String {
    match k {
        AnsatzKind::Polynomial { degree } => format!("Polynomial ansatz, degree 1..{degree}"),
        AnsatzKind::Laurent { degree } => {
            format!("Laurent ansatz, exponents with 1 <= |e|_1 <= {degree}")
        }
        AnsatzKind::Exp {
            degree,
            coeff_bound,
            max_support,
        } => format!(
            "Exp ansatz, p(x) exp(l(x)) with deg p <= {degree}, l integer coefficients in [-{coeff_bound}, {coeff_bound}], at most {max_support} nonzero"
        ),
    }
}

pub(super) fn quantity_item(q: &ConservedQuantity) -> String {
    format!(
        "psi = {}  [{}: {}]",
        q.display,
        q.verified.label(),
        q.verification
    )
}

pub(super) fn discovery_blocks(d: &DiscoverOutput) -> Vec<Block> {
    let r = &d.discovery;
    let mut b = vec![
        Block::Title(format!(
            "ngd-verify {} discovery: {}",
            d.tool_version, d.case.title
        )),
        Block::Field("source".into(), d.case.source.clone()),
        Block::Field(
            "variables".into(),
            format!(
                "{} ({} scalar)",
                d.case.variables.join(", "),
                d.case.dimension
            ),
        ),
        Block::Field("f".into(), d.case.objective.clone()),
        Block::Field("structure".into(), r.structure.clone()),
        Block::Field("rule".into(), r.field_rule.clone()),
        Block::Field("fields".into(), String::new()),
    ];
    for f in &r.fields {
        b.push(Block::Math(f.clone()));
    }
    b.push(Block::Blank);
    for a in &r.ansatz {
        let head = ansatz_name(&a.kind);
        match &a.skipped {
            Some(why) => b.push(Block::Heading(format!("{head}: skipped ({why})"))),
            None => {
                b.push(Block::Heading(format!(
                    "{head}: {} unknowns, {} equations in {} blocks, rank {}, {} conserved",
                    a.unknowns,
                    a.equations,
                    a.blocks,
                    a.rank,
                    a.basis.len()
                )));
                if a.basis.is_empty() {
                    b.push(Block::Item("no conserved quantity of this shape".into()));
                }
                for q in &a.basis {
                    b.push(Block::Item(quantity_item(q)));
                }
            }
        }
    }
    let s = &r.linear_symmetries;
    match &s.skipped {
        Some(why) => b.push(Block::Heading(format!(
            "Linear symmetries (Prop 3.36): skipped ({why})"
        ))),
        None => {
            b.push(Block::Heading(format!(
                "Linear symmetries (Prop 3.36): {} symmetric generators; Lie algebra of all linear symmetries has dimension {}",
                s.symmetric_dim, s.lie_algebra_dim
            )));
            for g in &s.generators {
                b.push(Block::Item(format!(
                    "x^T A x = {}  [{}]",
                    g.invariant.display,
                    g.invariant.verified.label()
                )));
            }
        }
    }
    let c = &r.completeness;
    b.push(Block::Blank);
    match &c.skipped {
        Some(why) => b.push(Block::Heading(format!("Completeness: skipped ({why})"))),
        None => {
            b.push(Block::Heading(format!(
                "Completeness: {} [{}]",
                c.summary,
                c.status.label()
            )));
            b.push(Block::Field("method".into(), c.method.clone()));
            let tried = |f: fn(&AnsatzKind) -> bool| r.ansatz.iter().any(|a| f(&a.kind));
            if c.missing > 0 {
                let mut hints = Vec::new();
                if !tried(|k| matches!(k, AnsatzKind::Laurent { .. })) {
                    hints.push("--laurent");
                }
                if !tried(|k| matches!(k, AnsatzKind::Exp { .. })) {
                    hints.push("--exp");
                }
                if !hints.is_empty() {
                    b.push(Block::Item(format!(
                        "laws beyond this ansatz exist: try {} or a higher --degree",
                        hints.join(" / ")
                    )));
                }
            }
        }
    }
    b.push(Block::Blank);
    match (&d.proposal, &d.flat_set_source) {
        (Some(p), Some(src)) => {
            b.push(Block::Heading(format!(
                "Proposed regularizer (flat set: {src})"
            )));
            b.push(Block::Math(p.regularizer_line.clone()));
            b.push(Block::Field("rule".into(), p.rule.clone()));
            for t in &p.terms {
                b.push(Block::Item(format!(
                    "{} = {} on the flat set",
                    t.psi_display, t.value_on_flat_set
                )));
            }
            for e in &p.excluded {
                b.push(Block::Item(format!(
                    "left out {}: {}",
                    e.psi_display, e.reason
                )));
            }
        }
        _ => b.push(Block::Heading(format!(
            "Proposed regularizer: none ({})",
            d.proposal_note.clone().unwrap_or_default()
        ))),
    }
    b
}
