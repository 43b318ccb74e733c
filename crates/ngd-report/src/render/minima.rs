//! Rendering of c2 and C3: the minimum set and the flat minima.

use super::*;

pub(super) fn classification_text(c: Classification) -> &'static str {
    match c {
        Classification::LocalMinimum => "local minimum",
        Classification::LocalMaximum => "local maximum",
        Classification::Saddle => "saddle",
        Classification::DegenerateLocalMinimum => "degenerate local minimum",
        Classification::DegenerateLocalMaximum => "degenerate local maximum",
        Classification::DegenerateNeither => "degenerate: neither minimum nor maximum",
        Classification::DegenerateUndecided => "degenerate: undecided",
    }
}

pub(super) fn critical_item(c: &CriticalPoint, what: &str) -> String {
    let phi = if c.phi_undefined {
        "; phi undefined there (pole)".to_string()
    } else {
        String::new()
    };
    format!(
        "{}: {what} = {}, {} ({}){phi}",
        point_text(&c.point),
        short_decimal(&c.value, 12),
        classification_text(c.classification),
        c.detail
    )
}

pub(super) fn fmt_vec(v: &[f64]) -> String {
    let cs: Vec<String> = v.iter().map(|x| format!("{x:.6}")).collect();
    format!("({})", cs.join(", "))
}

pub(super) fn minima_blocks(b: &mut Vec<Block>, m: &MinimaReport) {
    let c2 = &m.minimum_set;
    b.push(Block::Heading(format!(
        "C2 minimum set: {}",
        badge(c2.evidence)
    )));
    b.push(Block::Field("set".into(), c2.description.clone()));
    let inf = &c2.infimum;
    b.push(Block::Field(
        "inf f".into(),
        format!("{} ({}): {}", inf.value, inf.evidence.label(), inf.method),
    ));
    b.push(Block::Field(
        "lower bound".into(),
        format!(
            "{} ({}): {}",
            c2.lower_bound
                .value
                .clone()
                .unwrap_or_else(|| "none".into()),
            c2.lower_bound.evidence.label(),
            c2.lower_bound.reason
        ),
    ));
    if let Some(p) = &inf.attained_at {
        b.push(Block::Field(
            format!("attained at ({} digits)", p.digits),
            point_text(p),
        ));
    }
    b.push(Block::Field(
        "local dimension".into(),
        match c2.dimension.dimension {
            Some(d) => format!("{d} ({})", c2.dimension.method),
            None => format!("undetermined ({})", c2.dimension.method),
        },
    ));
    b.push(Block::Field(
        "components in the box".into(),
        format!("{} ({})", c2.components.count, c2.components.method),
    ));
    b.push(Block::Field(
        "samples".into(),
        format!(
            "{} drawn, {} projected onto M",
            c2.samples_drawn, c2.samples_on_m
        ),
    ));
    for n in &c2.notes {
        b.push(Block::Item(n.clone()));
    }

    let c3 = &m.flat;
    b.push(Block::Heading(format!(
        "C3 flat minima: {}",
        badge(c3.evidence)
    )));
    b.push(Block::Field("sharpness".into(), c3.sharpness.clone()));
    if let Some(s) = &c3.search {
        b.push(Block::Field(
            "Lagrange search".into(),
            format!(
                "{} starts, {} converged, {} distinct critical points{}",
                s.starts,
                s.converged,
                s.distinct,
                if s.saturated {
                    ""
                } else {
                    " (budget reached: more may exist)"
                }
            ),
        ));
    }
    for c in &c3.critical_points {
        b.push(Block::Item(critical_item(c, "s")));
    }
    if c3.flat_points.is_empty() && c3.flat_sets.is_empty() {
        b.push(Block::Field(
            "flat minima".into(),
            "none found in the box".into(),
        ));
    }
    for p in &c3.flat_points {
        let mut t = point_text(&p.point);
        if p.global {
            t.push_str(" [global]");
        }
        match p.in_s {
            Some(true) => t.push_str(" [in S]"),
            Some(false) => t.push_str(" [not in S]"),
            None => {}
        }
        b.push(Block::Field("flat point".into(), t));
    }
    for fs in &c3.flat_sets {
        let dim = fs.dimension.map_or("?".to_string(), |d| d.to_string());
        let reps: Vec<String> = fs
            .representatives
            .iter()
            .take(2)
            .map(|r| fmt_vec(r))
            .collect();
        b.push(Block::Field(
            format!("flat set ({})", fs.criterion),
            format!(
                "dimension {dim}, {} [{}]; e.g. {}",
                fs.evidence.label(),
                fs.representatives.len(),
                reps.join(", ")
            ),
        ));
    }
    if let Some(mb) = &c3.morse_bott {
        for crit in [&mb.lambda_max, &mb.trace] {
            b.push(Block::Field(
                crit.name.clone(),
                format!(
                    "minimum {:.6} reached by {:.0}% of {} runs; minimizing set of dimension {}",
                    crit.min_value,
                    100.0 * crit.fraction_at_min,
                    crit.runs,
                    crit.argmin_dimension.map_or("?".into(), |d| d.to_string())
                ),
            ));
        }
        for w in &mb.worst_case {
            b.push(Block::Item(format!(
                "m_eps at eps = {:e} ({}, {} points): from {:.9e} to {:.9e}",
                w.eps, w.at, w.points, w.min, w.max
            )));
        }
        for f in &mb.findings {
            b.push(Block::Item(f.clone()));
        }
    }
    if let Some(r) = &c3.regularizer {
        b.push(Block::Field(
            "S = argmin_M phi".into(),
            format!("{} ({})", r.comparison, r.evidence.label()),
        ));
        for c in &r.critical_points {
            b.push(Block::Item(critical_item(c, "phi")));
        }
    }
    for n in &c3.notes {
        b.push(Block::Item(n.clone()));
    }
}
