//! Rendering of c6: strict local minimum of `f + phi` at the points of `S`.

use super::*;

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
    for p in &c6.points {
        let mut t = format!(
            "at {}: Hess(f + phi) positive definite on the box of radius {:e}: {}",
            fmt_vec(&p.point),
            p.box_radius,
            p.hessian_pd.label()
        );
        if let Some(l) = p.min_pivot_lower_bound {
            t.push_str(&format!(" (interval Cholesky, smallest pivot >= {l:.6})"));
        }
        t.push_str(&format!(
            "; the Lagrange point lies in the box: {}",
            p.lagrange_point_in_box.label()
        ));
        if let Some(r) = &p.reason {
            t.push_str(&format!("; {r}"));
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
