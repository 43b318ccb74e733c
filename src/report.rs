//! The certificate report: the checks' data assembled for one case, plus the verdict and the
//! exit status. Rendering is in `render.rs`.

use crate::case::Case;
use ngd_check::conservation::ConservationOptions;
use ngd_check::{check_conservation, ConservationReport, Evidence, RationalBox};
use ngd_coercive::{check_coercivity, CoercivityOptions, CoercivityReport, CoercivityVerdict};
use ngd_expr::{Arena, ExprId};
use ngd_minima::{analyse_minima, compare_flat, MinimaOptions, MinimaReport};
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
    /// C2 (minimum set), C3 (flat minima) and C6 (strictness, when a regularizer was given).
    /// `None` when only C1 was asked for (`check-identity`).
    pub minima: Option<MinimaReport>,
    /// C5: coercivity of `f + phi` (of `f` alone without a regularizer); `None` when only C1
    /// was asked for.
    pub coercivity: Option<CoercivityReport>,
    /// The NGD harness (numerical evidence); `None` when only C1 was asked for.
    pub harness: Option<ngd_sim::HarnessReport>,
    /// Sections not computed by this version.
    pub pending: Vec<PendingSection>,
    /// The `[expect]` claims.
    pub expectations: Vec<ClaimCheck>,
    /// The verdict.
    pub verdict: Verdict,
}

const PENDING: [(&str, &str); 1] = [("C4", "second-order decrease (d-Lyapunov)")];

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
    scope: Scope,
) -> Report {
    let conservation =
        phi.map(|p| check_conservation(arena, f, p, bx, &ConservationOptions::default()));
    let full = matches!(scope, Scope::Full(_));
    let harness_cfg = match scope {
        Scope::Full(cfg) => cfg,
        Scope::IdentityOnly => None,
    };
    let minima = full.then(|| analyse_minima(arena, f, phi, bx, &MinimaOptions::default()));
    let coercivity = full.then(|| check_coercivity(arena, f, phi, &CoercivityOptions::default()));
    let harness = match (harness_cfg, &minima) {
        (Some(cfg), Some(m)) if full => {
            let h = ngd_sim::prepare(arena, f, phi);
            let flat = crate::harness::flat_set(m);
            Some(h.run(cfg, flat.as_deref()))
        }
        _ => None,
    };
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
    if let (Some(want), Some(coercivity)) = (claims.coercive, &coercivity) {
        let (found, status) = match (coercivity.verdict, coercivity.evidence) {
            (CoercivityVerdict::Coercive, Evidence::Proved) => (
                "coercive (proved)".to_string(),
                if want {
                    ClaimStatus::Matched
                } else {
                    ClaimStatus::Failed
                },
            ),
            (CoercivityVerdict::NotCoercive, Evidence::Refuted) => (
                "not coercive (exact escape)".to_string(),
                if want {
                    ClaimStatus::Failed
                } else {
                    ClaimStatus::Matched
                },
            ),
            (_, e) => (
                format!("undecided ({})", e.label()),
                ClaimStatus::Inconclusive,
            ),
        };
        expectations.push(ClaimCheck {
            claim: "coercive",
            expected: want.to_string(),
            found,
            status,
        });
    }
    if let (Some(points), None) = (&claims.flat_minima, &claims.flat_minima_values) {
        expectations.push(ClaimCheck {
            claim: "flat_minima",
            expected: points.clone(),
            found: "a claimed coordinate cannot be evaluated".into(),
            status: ClaimStatus::Failed,
        });
    }
    if let (Some(points), Some(values), Some(minima)) =
        (claims.flat_minima, claims.flat_minima_values, &minima)
    {
        let cmp = compare_flat(&minima.flat, &values);
        let found: Vec<String> = minima
            .flat
            .flat_points
            .iter()
            .map(|p| point_text(&p.point))
            .collect();
        let isolated = !minima.flat.flat_points.is_empty();
        let status = if cmp.all_matched && cmp.unclaimed.is_empty() {
            ClaimStatus::Matched
        } else if isolated {
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
            found = format!("{found}; {}", cmp.notes.join("; "));
        }
        expectations.push(ClaimCheck {
            claim: "flat_minima",
            expected: points,
            found,
            status,
        });
    }
    let mut verdict = verdict(
        conservation.as_ref(),
        minima.as_ref(),
        coercivity.as_ref(),
        phi.is_some() && claims.coercive != Some(false),
        &expectations,
    );
    if let Some(h) = &harness {
        verdict.lines.push(harness_line(h));
    }
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        case: summary,
        conservation,
        minima,
        coercivity,
        harness,
        pending: PENDING
            .iter()
            .filter(|_| full)
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

/// Which checks a report runs.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// Every implemented check, and the NGD harness when its configuration is given.
    Full(Option<&'a ngd_sim::HarnessConfig>),
    /// Only C1 (`check-identity`).
    IdentityOnly,
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
    /// `flat_minima`, evaluated in MPFR for the comparison with C3.
    pub flat_minima_values: Option<Vec<Vec<rug::Float>>>,
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
            flat_minima_values: case.flat_minima_values(),
        }
    }
}

/// A refined point, each coordinate as its recognised closed form or to 20 digits.
pub fn point_text(p: &ngd_minima::RefinedPoint) -> String {
    let cs: Vec<String> = p
        .coords
        .iter()
        .zip(&p.closed_form)
        .map(|(c, f)| f.clone().unwrap_or_else(|| short_decimal(c, 20)))
        .collect();
    format!("({})", cs.join(", "))
}

/// A decimal string cut to `digits` significant digits (truncated, marked with `...`).
pub fn short_decimal(s: &str, digits: usize) -> String {
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mut seen = 0;
    let mut significant = false;
    let mut cut = mant.len();
    for (i, ch) in mant.char_indices() {
        if ch.is_ascii_digit() {
            if ch != '0' {
                significant = true;
            }
            if significant {
                seen += 1;
                if seen > digits {
                    cut = i;
                    break;
                }
            }
        }
    }
    if cut < mant.len() && mant[..cut].contains('.') {
        format!("{}...{exp}", &mant[..cut])
    } else {
        s.to_string()
    }
}

fn verdict(
    c1: Option<&ConservationReport>,
    minima: Option<&MinimaReport>,
    c5: Option<&CoercivityReport>,
    c5_required: bool,
    claims: &[ClaimCheck],
) -> Verdict {
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
    let Some((minima, c5)) = minima.zip(c5) else {
        lines.push("Only C1 was run (check-identity): run a case file for C2-C6.".into());
        return Verdict {
            exit_code: exit_code(refuted, inconclusive, claims),
            lines,
        };
    };
    match &minima.strictness {
        Some(c6) if c6.evidence == Evidence::Proved => lines.push(
            "C6 proved: Hess(f + phi) is positive definite at every isolated flat point (Prop 3.34), so each is a strict local minimum of f + phi.".into(),
        ),
        Some(c6) => {
            inconclusive = true;
            let why = c6
                .notes
                .first()
                .cloned()
                .unwrap_or_else(|| "see the C6 section".into());
            lines.push(format!("C6 {}: {why}", c6.evidence.label()));
        }
        None => {}
    }
    match (c5.verdict, c5.evidence) {
        (CoercivityVerdict::Coercive, Evidence::Proved) => lines.push(
            "C5 proved: f + phi is coercive (needed for global attraction, Thm 2.10 / 3.32 (i))."
                .into(),
        ),
        (CoercivityVerdict::NotCoercive, Evidence::Refuted) => {
            lines.push("C5: f + phi is proved NOT coercive (exact escape), so global attraction (Thm 2.10) cannot be concluded; at most local statements hold.".into());
            if c5_required {
                refuted = true;
            }
        }
        (_, e) => {
            lines.push(format!(
                "C5 {}: coercivity of f + phi is undecided.",
                e.label()
            ));
            if c5_required {
                inconclusive = true;
            }
        }
    }
    if minima.flat.flat_points.is_empty() && minima.flat.flat_sets.is_empty() {
        lines.push("C3 found no flat minimum in the search box.".into());
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
            ClaimStatus::Inconclusive => {
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
        "C4 (d-Lyapunov decrease) is not checked yet, so neither local asymptotic d-stability of S (Thm 2.9) nor global attraction (Thm 2.10) is claimed; the NGD harness is evidence, not a proof.".into(),
    );
    Verdict {
        exit_code: exit_code(refuted, inconclusive, &[]),
        lines,
    }
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

/// 1 when something was refuted or a claim failed, else 3 when something is undecided, else 0.
fn exit_code(refuted: bool, inconclusive: bool, claims: &[ClaimCheck]) -> i32 {
    let failed = claims.iter().any(|c| c.status == ClaimStatus::Failed);
    let open = claims
        .iter()
        .any(|c| matches!(c.status, ClaimStatus::Inconclusive));
    if refuted || failed {
        1
    } else if inconclusive || open {
        3
    } else {
        0
    }
}

/// One line comparing NGD with the GD baseline, for the verdict.
pub fn harness_line(h: &ngd_sim::HarnessReport) -> String {
    let pct = |m: &ngd_sim::MethodSummary| {
        m.fraction_near_flat
            .map_or("n/a (no isolated flat set)".to_string(), |f| {
                format!("{:.1}%", 100.0 * f)
            })
    };
    let gd = h.gd.as_ref().map_or("not run".to_string(), pct);
    format!(
        "Harness (numerical evidence): NGD ends within {:e} of the flat set in {} of {} runs; plain GD in {}. No attraction is claimed, so nothing can contradict it yet.",
        h.ngd.tolerance,
        pct(&h.ngd),
        h.ngd.runs,
        gd
    )
}
