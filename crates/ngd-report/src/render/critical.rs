//! Rendering of the critical sets of `f` outside `M` (part of C2; the hypothesis of the
//! global statement).

use super::*;
use ngd_critical::{CriticalComponent, CriticalReport, Finding};

fn component_line(c: &CriticalComponent) -> String {
    let name = c.name().unwrap_or_else(|| "?".into());
    let value = c.f_value.clone().unwrap_or_else(|| {
        if c.f_range[0] == c.f_range[1] {
            format!("{:.6e}", c.f_range[0])
        } else {
            format!("[{:.6e}, {:.6e}]", c.f_range[0], c.f_range[1])
        }
    });
    let attracting = match (&c.attracting_where, c.attracting) {
        (Some(w), _) => format!("attracting where {w}"),
        (None, true) => "attracting".into(),
        (None, false) => "not attracting".into(),
    };
    format!(
        "{name}: dimension {}, f = {value}, {} ({}), {attracting}; found by {} ({})",
        c.dimension,
        serde_name(&c.classification).replace('_', " "),
        c.classification_evidence.label(),
        serde_name(&c.method).replace('_', " "),
        c.evidence.label()
    )
}

/// The short label of the overall finding, e.g. `numerical evidence: none found`.
fn finding_label(f: Finding) -> &'static str {
    match f {
        Finding::AttractingProved => "proved present",
        Finding::AttractingNumerical => "numerical evidence: present",
        Finding::Undecided => "numerical evidence: none attracting, degenerate undecided",
        Finding::NoneAttracting => "numerical evidence: none attracting",
        Finding::NoneFound => "numerical evidence: none found",
    }
}

/// The critical-set section.
pub(super) fn critical_blocks(b: &mut Vec<Block>, r: &CriticalReport) {
    b.push(Block::Heading(format!(
        "C2 critical sets of f outside M: {}",
        finding_label(r.summary.finding).to_uppercase()
    )));
    b.push(Block::Field("equations".into(), r.equations.clone()));
    if let Some(why) = &r.skipped {
        b.push(Block::Item(format!("not searched: {}", serde_name(why))));
        return;
    }
    for c in r.components_off_m() {
        b.push(Block::Item(component_line(c)));
    }
    if r.omitted_components > 0 {
        b.push(Block::Item(format!(
            "{} more components (see the JSON report)",
            r.omitted_components
        )));
    }
    b.push(Block::Field(
        "search".into(),
        format!(
            "{} seeded Newton starts, {} converged; exact subspaces: {}; not exhaustive (a set missed by the starts is possible)",
            r.search.starts,
            r.search.converged,
            exact_route_text(r)
        ),
    ));
}

fn exact_route_text(r: &CriticalReport) -> String {
    match &r.exact_route {
        ngd_critical::ExactRoute::Done { tested, .. } => format!("{tested} tested"),
        ngd_critical::ExactRoute::Truncated { tested, .. } => {
            format!("{tested} tested (truncated)")
        }
        ngd_critical::ExactRoute::Skipped { reason } => {
            format!("skipped ({})", serde_name(reason))
        }
    }
}

/// The serde name of a unit enum variant (its machine name in the JSON report).
fn serde_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}
