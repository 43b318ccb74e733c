//! The certificate report: the checks' data assembled for one case, plus the verdict and the
//! exit status. Rendering is in `render.rs`.

use crate::case::Case;
use ngd_check::conservation::ConservationOptions;
use ngd_check::{check_conservation, ConservationReport, Evidence, RationalBox};
use ngd_expr::{Arena, ExprId};
use serde::Serialize;

/// Version of the JSON schema; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// What was analysed.
#[derive(Clone, Debug, Serialize)]
pub struct CaseSummary {
    /// The case title.
    pub title: String,
    /// The file it came from, or `command line`.
    pub source: String,
    /// The variable declarations as written.
    pub variables: Vec<String>,
    /// The number of scalar variables after expansion.
    pub dimension: usize,
    /// `f`, as parsed and printed back.
    pub objective: String,
    /// `phi`, as parsed and printed back.
    pub regularizer: Option<String>,
    /// The search box, one `[variable, lo, hi]` per scalar variable.
    pub search_box: Vec<[String; 3]>,
}

/// A section of MATH.md that this version does not compute yet.
#[derive(Clone, Debug, Serialize)]
pub struct PendingSection {
    /// `C2` ... `C6` or `harness`.
    pub id: &'static str,
    /// What it checks.
    pub name: &'static str,
    /// Always `not_checked_yet`.
    pub evidence: Evidence,
}

/// Outcome of one `[expect]` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// The checks established the claim.
    Matched,
    /// The checks established the opposite.
    Failed,
    /// The check ran but could not decide.
    Inconclusive,
    /// The check behind the claim is not implemented yet.
    NotCheckedYet,
}

/// One `[expect]` claim and what was found.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimCheck {
    /// The claim's field name.
    pub claim: &'static str,
    /// The claimed value.
    pub expected: String,
    /// What the checks found.
    pub found: String,
    /// Whether it matched.
    pub status: ClaimStatus,
}

/// The closing section.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// The process exit status: 0 all asked checks hold, 1 refuted or a claim failed,
    /// 3 inconclusive.
    pub exit_code: i32,
    /// What can and cannot be concluded.
    pub lines: Vec<String>,
}

/// The whole certificate report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// JSON schema version.
    pub schema_version: u32,
    /// The ngd-verify version that wrote it.
    pub tool_version: &'static str,
    /// The case.
    pub case: CaseSummary,
    /// C1, when a regularizer was given.
    pub conservation: Option<ConservationReport>,
    /// Sections not computed by this version.
    pub pending: Vec<PendingSection>,
    /// The `[expect]` claims.
    pub expectations: Vec<ClaimCheck>,
    /// The verdict.
    pub verdict: Verdict,
}

const PENDING: [(&str, &str); 6] = [
    ("C2", "minimum set"),
    ("C3", "flat minima"),
    ("C4", "second-order decrease (d-Lyapunov)"),
    ("C5", "coercivity of f + phi"),
    ("C6", "strict local minimum of f + phi"),
    ("harness", "NGD harness (cross-validation)"),
];

/// Summarises the analysed problem.
pub fn summarize(
    arena: &Arena,
    title: &str,
    source: &str,
    declarations: &[String],
    f: ExprId,
    phi: Option<ExprId>,
    bx: &RationalBox,
) -> CaseSummary {
    CaseSummary {
        title: title.to_string(),
        source: source.to_string(),
        variables: declarations.to_vec(),
        dimension: arena.n_vars(),
        objective: arena.display(f),
        regularizer: phi.map(|p| arena.display(p)),
        search_box: arena
            .var_names()
            .iter()
            .zip(bx.lo.iter().zip(&bx.hi))
            .map(|(n, (lo, hi))| [n.clone(), lo.to_string(), hi.to_string()])
            .collect(),
    }
}

/// Runs every implemented check on `f`, `phi` and assembles the report.
pub fn build_report(
    arena: &mut Arena,
    summary: CaseSummary,
    f: ExprId,
    phi: Option<ExprId>,
    bx: &RationalBox,
    claims: ClaimInputs,
) -> Report {
    let conservation =
        phi.map(|p| check_conservation(arena, f, p, bx, &ConservationOptions::default()));
    let mut expectations = Vec::new();
    if let Some(want) = claims.conserved {
        let (found, status) = match conservation.as_ref().map(|c| c.conserved) {
            None => ("no regularizer given".to_string(), ClaimStatus::Failed),
            Some(Evidence::Proved) => (
                "conserved (proved)".into(),
                if want {
                    ClaimStatus::Matched
                } else {
                    ClaimStatus::Failed
                },
            ),
            Some(Evidence::Refuted) => (
                "not conserved (witness)".into(),
                if want {
                    ClaimStatus::Failed
                } else {
                    ClaimStatus::Matched
                },
            ),
            Some(e) => (e.label().to_string(), ClaimStatus::Inconclusive),
        };
        expectations.push(ClaimCheck {
            claim: "conserved",
            expected: want.to_string(),
            found,
            status,
        });
    }
    if let Some(want) = claims.coercive {
        expectations.push(ClaimCheck {
            claim: "coercive",
            expected: want.to_string(),
            found: "C5 is not implemented yet".into(),
            status: ClaimStatus::NotCheckedYet,
        });
    }
    if let Some(points) = claims.flat_minima {
        expectations.push(ClaimCheck {
            claim: "flat_minima",
            expected: points,
            found: "C3 is not implemented yet".into(),
            status: ClaimStatus::NotCheckedYet,
        });
    }
    let verdict = verdict(conservation.as_ref(), &expectations);
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        case: summary,
        conservation,
        pending: PENDING
            .iter()
            .map(|&(id, name)| PendingSection {
                id,
                name,
                evidence: Evidence::NotCheckedYet,
            })
            .collect(),
        expectations,
        verdict,
    }
}

/// The `[expect]` claims in printable form.
#[derive(Clone, Debug, Default)]
pub struct ClaimInputs {
    /// `conserved`.
    pub conserved: Option<bool>,
    /// `coercive`.
    pub coercive: Option<bool>,
    /// `flat_minima`, printed.
    pub flat_minima: Option<String>,
}

impl ClaimInputs {
    /// The claims of a case file.
    pub fn from_case(case: &Case) -> ClaimInputs {
        ClaimInputs {
            conserved: case.expect.conserved,
            coercive: case.expect.coercive,
            flat_minima: case.expect.flat_minima.as_ref().map(|pts| {
                pts.iter()
                    .map(|p| {
                        let cs: Vec<String> = p.iter().map(|&c| case.arena.display(c)).collect();
                        format!("({})", cs.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        }
    }
}

fn verdict(c1: Option<&ConservationReport>, claims: &[ClaimCheck]) -> Verdict {
    let mut lines = Vec::new();
    let mut refuted = false;
    let mut inconclusive = false;
    match c1 {
        None => lines.push("No regularizer given: C1 was not run.".to_string()),
        Some(c) => match (c.evidence, c.conserved) {
            (Evidence::Proved, Evidence::Proved) => lines.push(
                "C1 proved: phi is conserved by the gradient flow (<grad f, grad phi> == 0 exactly).".into(),
            ),
            (Evidence::Proved, _) => lines.push(
                "C1 proved: phi is not conserved but non-increasing along the gradient flow on the search box (<grad f, grad phi> >= 0).".into(),
            ),
            (Evidence::Refuted, _) => {
                refuted = true;
                lines.push(
                    "C1 refuted: phi increases along the gradient flow at the witness point, so it is not a Lyapunov function of the flow (Props 3.23, 3.33) and cannot be d-Lyapunov for NGD.".into(),
                );
            }
            _ => {
                inconclusive = true;
                lines.push("C1 inconclusive within the limits: see the bounds above.".into());
            }
        },
    }
    for c in claims {
        match c.status {
            ClaimStatus::Failed => {
                refuted = true;
                lines.push(format!(
                    "Expectation `{}` failed: expected {}, found {}.",
                    c.claim, c.expected, c.found
                ));
            }
            ClaimStatus::Inconclusive | ClaimStatus::NotCheckedYet => {
                inconclusive = true;
                lines.push(format!(
                    "Expectation `{}` could not be checked: {}.",
                    c.claim, c.found
                ));
            }
            ClaimStatus::Matched => {}
        }
    }
    lines.push(
        "C2-C6 and the NGD harness are not checked yet, so no theorem of the paper (Thm 2.9, 2.10) is claimed.".into(),
    );
    let exit_code = if refuted {
        1
    } else if inconclusive {
        3
    } else {
        0
    };
    Verdict { exit_code, lines }
}

/// The output of `ngd-verify discover`.
#[derive(Clone, Debug, Serialize)]
pub struct DiscoverOutput {
    /// JSON schema version.
    pub schema_version: u32,
    /// The ngd-verify version that wrote it.
    pub tool_version: &'static str,
    /// The case.
    pub case: CaseSummary,
    /// The conserved quantities, symmetries and completeness count.
    pub discovery: ngd_discover::DiscoveryReport,
    /// Where the flat set used for the proposal came from, if one was available.
    pub flat_set_source: Option<String>,
    /// The proposed regularizer, when a flat set was available and a quantity qualified.
    pub proposal: Option<ngd_discover::Proposal>,
    /// Why there is no proposal, when there is none.
    pub proposal_note: Option<String>,
    /// The certificate report of the proposal (`--check`).
    pub check: Option<Report>,
}
