//! Rendering of c6: strict local minimum of `f + phi` at the points of `S`.

use super::*;
use ngd_minima::{StrictnessAtPoint, StrictnessCriterion};

/// The label of one point: PROVED / REFUTED / NOT APPLICABLE / INCONCLUSIVE.
fn point_label(p: &StrictnessAtPoint) -> String {
    match (p.evidence, p.criterion) {
        (Evidence::Proved | Evidence::Refuted, _) => badge(p.evidence),
        (_, StrictnessCriterion::NotApplicable) => "NOT APPLICABLE".into(),
        (e, _) => badge(e),
    }
}

/// The steps of the rule with their evidence, in order.
fn point_steps(p: &StrictnessAtPoint) -> Vec<String> {
    let mut steps = Vec::new();
    match p.criterion {
        StrictnessCriterion::Smooth => {
            steps.push(format!("f + phi C^2 on B: {}", p.smooth_on_box.label()));
            steps.push(format!(
                "unique critical point of f + phi in B (Krawczyk): {}",
                p.critical_point.label()
            ));
            let mut h = format!(
                "Hess(f + phi) positive definite on B (interval Cholesky): {}",
                p.hessian_pd.label()
            );
            if let Some(l) = p.min_pivot_lower_bound {
                h.push_str(&format!(", smallest pivot >= {l:.6}"));
            }
            steps.push(h);
        }
        StrictnessCriterion::NonsmoothAbs => {
            steps.push(format!("phi and g C^2 on B: {}", p.smooth_on_box.label()));
            steps.push(format!(
                "Lagrange point of phi on M in B (Krawczyk): {}",
                p.critical_point.label()
            ));
            if let Some(e) = p.multiplier_below_c {
                let lam = p
                    .multiplier
                    .map(|[lo, hi]| format!(", lambda in [{lo:.3e}, {hi:.3e}]"))
                    .unwrap_or_default();
                steps.push(format!("|lambda| < c: {}{lam}", e.label()));
            }
            let mut h = format!(
                "Lagrangian Hessian positive definite on the tangent space of M (interval \
                 Cholesky): {}",
                p.hessian_pd.label()
            );
            if let Some(l) = p.min_pivot_lower_bound {
                h.push_str(&format!(", smallest pivot >= {l:.6}"));
            }
            steps.push(h);
        }
        StrictnessCriterion::NotApplicable => {}
    }
    if p.criterion != StrictnessCriterion::NonsmoothAbs {
        steps.push(format!("the point of S lies in B: {}", p.s_in_box.label()));
    }
    steps
}

pub(super) fn strictness_blocks(b: &mut Vec<Block>, m: &MinimaReport) {
    let Some(c6) = &m.strictness else {
        b.push(Block::Heading(
            "C6 strict local minimum of f + phi: NOT CHECKED (no regularizer)".into(),
        ));
        return;
    };
    b.push(Block::Heading(format!(
        "C6 strict local minimum of f + phi: {}",
        badge(c6.evidence)
    )));
    if let Some(p) = c6.points.first() {
        b.push(Block::Field(
            "box B".into(),
            format!(
                "s_i -+ {:e} max(1, |s_i|) around each point s of S (the exact ends are in the \
                 JSON report)",
                p.box_radius
            ),
        ));
    }
    for p in &c6.points {
        let mut t = format!("at {}: {}", fmt_vec(&p.point), point_label(p));
        if p.criterion == StrictnessCriterion::NotApplicable {
            let why = p.reason.as_deref().unwrap_or("no rule applies");
            t.push_str(&format!(
                " - {}",
                why.strip_prefix("not applicable: ").unwrap_or(why)
            ));
        } else {
            t.push_str(&format!(
                " - {} rule ({})",
                p.criterion.label(),
                point_steps(p).join("; ")
            ));
            if p.evidence == Evidence::Proved {
                t.push_str(match p.criterion {
                    StrictnessCriterion::Smooth => {
                        ": f + phi is strictly convex on B, so its critical point there is a \
                         strict local minimum"
                    }
                    _ => {
                        ": the second-order sufficient condition for f + phi = max(phi + c g, \
                         phi - c g), a strict local minimum"
                    }
                });
                if p.strict_on_box {
                    t.push_str("; (f + phi)(x) > (f + phi)(s) for every x != s in B");
                }
                if let Some(x) = &p.exact {
                    t.push_str(&format!("; exact: {x}"));
                }
            } else if let Some(r) = &p.reason {
                t.push_str(&format!(": {r}"));
            }
        }
        b.push(Block::Item(t));
    }
    for s in &c6.sets {
        b.push(Block::Item(format!(
            "on the {} set: nullity {}, smallest transversal eigenvalue {}, {} ({})",
            s.criterion,
            s.nullity,
            s.min_transversal_eigenvalue
                .map_or("?".into(), |v| format!("{v:.6}")),
            s.evidence.label(),
            s.note
        )));
    }
    for n in &c6.notes {
        b.push(Block::Item(n.clone()));
    }
}
