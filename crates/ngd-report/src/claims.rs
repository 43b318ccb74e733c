//! The `[expect]` claims of a case checked against the reports: each claim is matched, failed
//! (the checks established the opposite) or inconclusive.

use crate::report::{point_text, ClaimCheck, ClaimInputs, ClaimStatus};
use ngd_check::{ConservationReport, Evidence};
use ngd_coercive::{CoercivityReport, CoercivityVerdict};
use ngd_decrease::DecreaseReport;
use ngd_minima::{compare_flat, MinimaReport};

/// Every claim of `claims` that has a report to be checked against, in a fixed order.
pub fn check_claims(
    claims: &ClaimInputs,
    conservation: Option<&ConservationReport>,
    coercivity: Option<&CoercivityReport>,
    decrease: Option<&DecreaseReport>,
    minima: Option<&MinimaReport>,
) -> Vec<ClaimCheck> {
    let mut out = Vec::new();
    if let Some(want) = claims.conserved {
        out.push(conserved_claim(want, conservation));
    }
    if let (Some(want), Some(c)) = (claims.coercive, coercivity) {
        out.push(coercive_claim(want, c));
    }
    if let (Some(want), Some(d)) = (claims.d_lyapunov, decrease) {
        out.push(d_lyapunov_claim(want, d));
    }
    if let (Some(points), None) = (&claims.flat_minima, &claims.flat_minima_values) {
        out.push(ClaimCheck {
            claim: "flat_minima",
            expected: points.clone(),
            found: "a claimed coordinate cannot be evaluated".into(),
            status: ClaimStatus::Failed,
        });
    }
    if let (Some(points), Some(values), Some(m)) =
        (&claims.flat_minima, &claims.flat_minima_values, minima)
    {
        out.push(flat_minima_claim(points, values, m));
    }
    out
}

/// Matched when the established fact `holds` agrees with the claim `want`.
fn status(want: bool, holds: bool) -> ClaimStatus {
    if want == holds {
        ClaimStatus::Matched
    } else {
        ClaimStatus::Failed
    }
}

fn claim(name: &'static str, want: bool, found: String, status: ClaimStatus) -> ClaimCheck {
    ClaimCheck {
        claim: name,
        expected: want.to_string(),
        found,
        status,
    }
}

/// `conserved`: against C1's exact verdict.
fn conserved_claim(want: bool, c1: Option<&ConservationReport>) -> ClaimCheck {
    let (found, st) = match c1.map(|c| c.conserved) {
        None => ("no regularizer given".to_string(), ClaimStatus::Failed),
        Some(Evidence::Proved) => ("conserved (proved)".into(), status(want, true)),
        Some(Evidence::Refuted) => ("not conserved (witness)".into(), status(want, false)),
        Some(e) => (e.label().to_string(), ClaimStatus::Inconclusive),
    };
    claim("conserved", want, found, st)
}

/// `coercive`: against C5's proof or exact escape.
fn coercive_claim(want: bool, c: &CoercivityReport) -> ClaimCheck {
    let (found, st) = match (c.verdict, c.evidence) {
        (CoercivityVerdict::Coercive, Evidence::Proved) => {
            ("coercive (proved)".to_string(), status(want, true))
        }
        (CoercivityVerdict::NotCoercive, Evidence::Refuted) => (
            "not coercive (exact escape)".to_string(),
            status(want, false),
        ),
        (_, e) => (
            format!("undecided ({})", e.label()),
            ClaimStatus::Inconclusive,
        ),
    };
    claim("coercive", want, found, st)
}

/// `d_lyapunov`: against C4's verdict near `S`.
/// Whether C4 found `phi(x - a u) = phi(x)` exactly along the normals (degenerate orders).
fn invariant_along_normals(d: &DecreaseReport) -> bool {
    d.degenerate.as_ref().is_some_and(|g| {
        matches!(
            g.conclusion,
            ngd_decrease::DegenerateConclusion::InvariantAlongNormals { .. }
        )
    })
}

fn d_lyapunov_claim(want: bool, d: &DecreaseReport) -> ClaimCheck {
    let (found, st) = match d.local {
        Evidence::Proved => (
            "decreases near S (proved on boxes)".to_string(),
            status(want, true),
        ),
        Evidence::Refuted if invariant_along_normals(d) => (
            "does not decrease near S: phi is invariant along the normal lines (exact)".to_string(),
            status(want, false),
        ),
        Evidence::Refuted => (
            "increases near S (witness)".to_string(),
            status(want, false),
        ),
        e => (
            format!("undecided ({})", e.label()),
            ClaimStatus::Inconclusive,
        ),
    };
    claim("d_lyapunov", want, found, st)
}

/// `flat_minima`: the claimed points against C3's isolated flat points.
fn flat_minima_claim(
    points: &str,
    values: &[Vec<rug::Float>],
    minima: &MinimaReport,
) -> ClaimCheck {
    let cmp = compare_flat(&minima.flat, values);
    let found: Vec<String> = minima
        .flat
        .flat_points
        .iter()
        .map(|p| point_text(&p.point))
        .collect();
    let status = if cmp.all_matched && cmp.unclaimed.is_empty() {
        ClaimStatus::Matched
    } else if !found.is_empty() {
        ClaimStatus::Failed
    } else {
        ClaimStatus::Inconclusive
    };
    let mut found = if found.is_empty() {
        "no isolated flat point".to_string()
    } else {
        found.join(", ")
    };
    if !cmp.notes.is_empty() {
        let notes: Vec<&str> = cmp
            .notes
            .iter()
            .map(crate::render::comparison_note_text)
            .collect();
        found = format!("{found}; {}", notes.join("; "));
    }
    ClaimCheck {
        claim: "flat_minima",
        expected: points.to_string(),
        found,
        status,
    }
}
