//! Rendering of c4: the second-order decrease of `phi` along `M`.

use super::*;

pub(super) fn sign_counts(c: &ngd_decrease::SignCounts) -> String {
    let parts: Vec<String> = [
        (QSign::Negative, c.negative),
        (QSign::Positive, c.positive),
        (QSign::Zero, c.zero),
        (QSign::Undefined, c.undefined),
        (QSign::NearS, c.near_s),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(s, n)| format!("{} at {n}", s.label()))
    .collect();
    parts.join(", ")
}

pub(super) fn decrease_blocks(
    b: &mut Vec<Block>,
    d: &DecreaseReport,
    case: &crate::report::CaseSummary,
) {
    b.push(Block::Heading(format!(
        "C4 second-order decrease (d-Lyapunov, Prop 2.6): near S {}, on M \\ S {}",
        badge(d.local),
        badge(d.evidence)
    )));
    if d.normals.is_empty() {
        for n in &d.notes {
            b.push(Block::Item(n.clone()));
        }
        return;
    }
    b.push(Block::Field("on M \\ S".into(), d.basis.clone()));
    b.push(Block::Field("near S".into(), d.local_basis.clone()));
    b.push(Block::Field("normal directions".into(), d.normals.clone()));
    b.push(Block::Field("Q".into(), d.q_formula.clone()));
    b.push(Block::Field(
        "excluded around S".into(),
        d.exclusion.clone(),
    ));
    b.push(Block::Field("local region".into(), d.local_region.clone()));
    b.push(Block::Field(
        "samples of M".into(),
        format!(
            "{} points{}: {} (numerical evidence)",
            d.samples,
            d.dimension
                .map_or(String::new(), |k| format!(", dimension {k}")),
            sign_counts(&d.counts)
        ),
    ));
    for br in &d.branches {
        let shape = match br.closed {
            Some(true) => "closed",
            Some(false) => "leaves the box at both ends",
            None => "ends at a singular point or could not be traced",
        };
        let segs: Vec<String> = br
            .segments
            .iter()
            .map(|sg| {
                let range = sg.q_range.map_or(String::new(), |(lo, hi)| {
                    format!(", Q in [{lo:.3e}, {hi:.3e}]")
                });
                format!(
                    "{} from {} to {} ({} points{range})",
                    sg.sign.label(),
                    fmt_vec(&sg.from),
                    fmt_vec(&sg.to),
                    sg.points
                )
            })
            .collect();
        b.push(Block::Item(format!(
            "branch {} ({shape}{}): {}",
            br.index,
            if br.contains_s { ", meets S" } else { "" },
            segs.join("; ")
        )));
    }
    for c in &d.components {
        let range = c.q_range.map_or(String::new(), |(lo, hi)| {
            format!("; Q in [{lo:.3e}, {hi:.3e}] outside S")
        });
        b.push(Block::Item(format!(
            "component {} (near {}{}): {}{range}",
            c.index,
            fmt_vec(&c.representative),
            if c.contains_s { ", meets S" } else { "" },
            sign_counts(&c.counts)
        )));
    }
    for e in &d.exceptional {
        let what = match e.kind {
            ExceptionalKind::SignChange => "Q changes sign",
            ExceptionalKind::Pole => "pole of phi",
        };
        b.push(Block::Item(format!(
            "exceptional point on branch {}: {what} at {} ({} -> {}, located to {:.1e})",
            e.branch,
            fmt_vec(&e.point),
            e.between.0.label(),
            e.between.1.label(),
            e.bracket
        )));
    }
    if let Some(c) = &d.cover {
        cover_blocks(b, c, case);
    }
    if let Some(c) = &d.certificate {
        let mut text = format!(
            "{}: {} boxes around sampled points of M ({} tried)",
            badge(c.evidence),
            c.boxes,
            c.trials
        );
        if let Some(m) = c.min_c {
            text.push_str(&format!(", smallest c = {m:.3e}"));
        }
        if let Some((lo, hi)) = c.radius_range {
            text.push_str(&format!(", half-widths {lo:.2e} to {hi:.2e}"));
        }
        if c.eligible == 0.0 {
            text.push_str(
                "; nothing to cover: no sampled point of M outside the neighbourhood of S has Q < 0",
            );
        } else {
            text.push_str(&format!(
                "; {a}; covered {:.1}% of the {} with Q < 0 outside the neighbourhood of S, {}",
                100.0 * c.fraction,
                c.measure,
                if c.local_eligible == 0.0 {
                    "none of it in the local region".to_string()
                } else {
                    format!("{:.1}% in the local region", 100.0 * c.local_fraction)
                },
                a = c.a_max_rule
            ));
        }
        b.push(Block::Field(
            "sampled boxes (numerical evidence)".into(),
            text,
        ));
        b.push(Block::Field(
            "first-order term".into(),
            c.first_order.clone(),
        ));
        if let Some(ex) = c.examples.first() {
            let sides: Vec<String> = case
                .search_box
                .iter()
                .zip(ex.lo.iter().zip(&ex.hi))
                .map(|(v, (lo, hi))| format!("{} in [{lo:.9}, {hi:.9}]", v[0]))
                .collect();
            b.push(Block::Field(
                "smallest-c box".into(),
                format!(
                    "{}: phi(x - a u) - phi(x) <= -{:.3e} a^2 for every u in N f(x) and 0 < a <= {:.3e} (proved, outward-rounded intervals)",
                    sides.join(", "),
                    ex.c,
                    ex.a_max
                ),
            ));
        }
        if let Some(st) = &c.stopped {
            b.push(Block::Item(format!("stopped early: {st}")));
        }
        if !c.uncovered.is_empty() {
            let pts: Vec<String> = c.uncovered.iter().map(|p| fmt_vec(p)).collect();
            b.push(Block::Item(format!(
                "not covered (Q < 0 there but no box proved): {}",
                pts.join(", ")
            )));
        }
    }
    if let Some(w) = &d.refutation {
        let point: Vec<String> = case
            .search_box
            .iter()
            .zip(&w.point)
            .map(|(v, x)| format!("{} = {x}", v[0]))
            .collect();
        b.push(Block::Field(
            "refutation".into(),
            format!(
                "one NGD step of size a = {} from x0 = ({}) increases phi: phi(x0) in [{:.12e}, {:.12e}], phi(x0 - a grad f/|grad f|) in [{:.12e}, {:.12e}], increase >= {:.3e} (interval arithmetic at the exact point); x0 is next to the point {} of M where Q = {:.4e}{}",
                w.step,
                point.join(", "),
                w.phi_before.0,
                w.phi_before.1,
                w.phi_after.0,
                w.phi_after.1,
                w.increase_at_least,
                fmt_vec(&w.near),
                w.q_near,
                if w.in_local_region { ", in the local region around S" } else { "" }
            ),
        ));
    }
    if let Some(o) = &d.order {
        let fits: Vec<String> = o
            .fits
            .iter()
            .map(|f| match f.order {
                Some(q) => format!("{q:.3} at {}", fmt_vec(&f.point)),
                None => format!(
                    "no fit at {} (phi did not decrease at every step)",
                    fmt_vec(&f.point)
                ),
            })
            .collect();
        b.push(Block::Field(
            "decrease order".into(),
            format!(
                "q = {} (slope of log(-delta phi) against log a for a = 1e-2 ... 1e-6, MPFR; numerical evidence): {}",
                o.order.map_or("-".into(), |q| format!("{q}")),
                fits.join("; ")
            ),
        ));
        if let Some(w) = &o.warning {
            b.push(Block::Item(format!("WARNING: {w}")));
        }
    }
    for n in &d.notes {
        b.push(Block::Item(n.clone()));
    }
}

fn box_text(case: &crate::report::CaseSummary, lo: &[f64], hi: &[f64]) -> String {
    case.search_box
        .iter()
        .zip(lo.iter().zip(hi))
        .map(|(v, (lo, hi))| format!("{} in [{lo:.9}, {hi:.9}]", v[0]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The exact cover (`n <= 3`) and the excluded neighbourhoods of `S`.
fn cover_blocks(
    b: &mut Vec<Block>,
    c: &ngd_decrease::ExactCover,
    case: &crate::report::CaseSummary,
) {
    let mut text = format!(
        "{}: {} boxes examined (exact rational bisection of the search box): {} proved disjoint \
         from M, {} certified, {} excluded around S, {} undecided",
        badge(c.evidence),
        c.examined,
        c.disjoint,
        c.certified,
        c.excluded,
        c.undecided
    );
    if c.undecided > 0 {
        let (q, w, budget) = c.undecided_by_reason;
        text.push_str(&format!(
            " ({q} with Q >= 0 at a point of M, {w} at the minimum width, {budget} at the box \
             budget)"
        ));
    }
    text.push_str(&format!(
        "; certified {} of the volume near M outside the excluded boxes",
        ngd_decrease::percent(c.covered_fraction)
    ));
    if let Some(f) = c.local_covered_fraction {
        text.push_str(&format!(
            ", {} in the local regions",
            ngd_decrease::percent(f)
        ));
    }
    b.push(Block::Field("exact cover".into(), text));
    let mut cert = match c.min_c {
        Some(m) => format!("smallest c = {m:.3e}"),
        None => "no box certified".to_string(),
    };
    if let Some((lo, hi)) = c.a_max_range {
        cert.push_str(&format!(
            ", a_max from {lo:.2e} to {hi:.2e} ({}); phi(x - a u) - phi(x) <= -c a^2 on each \
             certified box for every u in N f(x) and 0 < a <= a_max (outward-rounded intervals, \
             interval Cholesky)",
            c.a_max_rule
        ));
    }
    b.push(Block::Field("certified boxes".into(), cert));
    b.push(Block::Field(
        "first-order term".into(),
        c.first_order.clone(),
    ));
    b.push(Block::Field(
        "budgets".into(),
        format!(
            "at most {} boxes; boxes narrower than {:.2e} are not split{}",
            c.max_boxes,
            c.min_width,
            c.limit
                .as_ref()
                .map_or(String::new(), |l| format!("; stopped: {l}"))
        ),
    ));
    if let Some(ex) = c.examples.first() {
        b.push(Block::Field(
            "smallest-c box".into(),
            format!(
                "{}: phi(x - a u) - phi(x) <= -{:.3e} a^2 for every u in N f(x) and 0 < a <= {:.3e} (proved, outward-rounded intervals)",
                box_text(case, &ex.lo, &ex.hi),
                ex.c,
                ex.a_max
            ),
        ));
    }
    for u in c.undecided_examples.iter().take(6) {
        let at = u.point_of_m.as_ref().map_or(String::new(), |(p, q)| {
            format!("; M passes {} where Q = {q:.4e}", fmt_vec(p))
        });
        b.push(Block::Item(format!(
            "undecided box {}: {}{at}",
            box_text(case, &u.lo, &u.hi),
            u.reason.label()
        )));
    }
    if let Some(l) = &c.level_exclusion {
        b.push(Block::Item(format!("excluded around the set S: {l}")));
    }
    for ball in &c.balls {
        let exact = ball
            .exact_centre
            .as_ref()
            .map_or(String::new(), |e| format!(" (exact: {})", e.join(", ")));
        b.push(Block::Item(format!(
            "excluded around s = {}{exact}: radius {:.4e} (max norm; the grid box {} contains the \
             ball of radius {:.4e}); {}: {} ({} boxes); local region {}",
            fmt_vec(&ball.centre),
            ball.radius,
            box_text(case, &ball.lo, &ball.hi),
            ball.requested_radius,
            if ball.closed {
                "closed".to_string()
            } else {
                format!("left open: radius {:.4e}", ball.radius)
            },
            ball.argument,
            ball.boxes,
            box_text(case, &ball.local_lo, &ball.local_hi)
        )));
    }
}
