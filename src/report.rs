//! The certificate report: the checks' data assembled for one case, plus the verdict and the
//! exit status. Rendering is in `render.rs`.

use crate::case::Case;
use ngd_check::conservation::ConservationOptions;
use ngd_check::{check_conservation, ConservationReport, Evidence, RationalBox};
use ngd_coercive::{check_coercivity, CoercivityOptions, CoercivityReport, CoercivityVerdict};
use ngd_decrease::{check_decrease, DecreaseOptions, DecreaseReport, FirstOrder, MinimizerSet};
use ngd_expr::{Arena, ExprId};
use ngd_minima::{analyse_minima, compare_flat, MinimaOptions, MinimaReport};
use serde::Serialize;

/// Version of the JSON schema; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 2;

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
    /// What the certificate concludes about the attraction of `S`.
    pub attraction: Attraction,
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
    /// C4: the second-order decrease of `phi` along `M` (with a regularizer, not for
    /// `check-identity`).
    pub decrease: Option<DecreaseReport>,
    /// C5: coercivity of `f + phi` (of `f` alone without a regularizer); `None` when only C1
    /// was asked for.
    pub coercivity: Option<CoercivityReport>,
    /// The NGD harness (numerical evidence); `None` when only C1 was asked for.
    pub harness: Option<ngd_sim::HarnessReport>,
    /// The `[expect]` claims.
    pub expectations: Vec<ClaimCheck>,
    /// The verdict.
    pub verdict: Verdict,
}

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
    // S = argmin_M phi, for C4 and for the harness's cross-validation.
    let s_set = minima.as_ref().map(MinimizerSet::from_minima);
    let decrease = match (&s_set, phi, &conservation) {
        (Some(s), Some(p), Some(c1)) => {
            let first = match (c1.evidence, c1.conserved) {
                (Evidence::Proved, Evidence::Proved) => FirstOrder::Conserved,
                (Evidence::Proved, _) => FirstOrder::Lyapunov,
                _ => FirstOrder::Unknown,
            };
            let opts = DecreaseOptions {
                schedule_power: claims.schedule_power,
                ..DecreaseOptions::default()
            };
            Some(check_decrease(arena, f, p, bx, first, s, &opts))
        }
        _ => None,
    };
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
    if let (Some(want), Some(d)) = (claims.d_lyapunov, &decrease) {
        let (found, status) = match d.local {
            Evidence::Proved => (
                "decreases near S (proved on boxes)".to_string(),
                if want {
                    ClaimStatus::Matched
                } else {
                    ClaimStatus::Failed
                },
            ),
            Evidence::Refuted => (
                "increases near S (witness)".to_string(),
                if want {
                    ClaimStatus::Failed
                } else {
                    ClaimStatus::Matched
                },
            ),
            e => (
                format!("undecided ({})", e.label()),
                ClaimStatus::Inconclusive,
            ),
        };
        expectations.push(ClaimCheck {
            claim: "d_lyapunov",
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
        decrease.as_ref(),
        coercivity.as_ref(),
        Requirements {
            c4_local: claims.d_lyapunov != Some(false),
            c5: phi.is_some() && claims.coercive != Some(false),
        },
        &expectations,
    );
    if let (Some(h), Some(s)) = (&harness, &s_set) {
        let (lines, contradiction) = harness_lines(h, verdict.attraction, s);
        verdict.lines.extend(lines);
        if contradiction {
            verdict.exit_code = 1;
        }
    }
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        case: summary,
        conservation,
        minima,
        decrease,
        coercivity,
        harness,
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
    /// `d_lyapunov`.
    pub d_lyapunov: Option<bool>,
    /// The schedule's power `p`, for the decrease-order warning of C4.
    pub schedule_power: Option<f64>,
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
            d_lyapunov: case.expect.d_lyapunov,
            schedule_power: Some(case.ngd.power),
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

/// Which failures of C4 and C5 count against the exit status (a case may state that they
/// fail, e.g. `coercive = false` for the cubic).
struct Requirements {
    c4_local: bool,
    c5: bool,
}

/// What the report concludes about the attraction of `S`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attraction {
    /// Thm 2.10 within the search box: C1, C4 on all of `M \ S`, C5 and C6.
    Global,
    /// Thm 2.9: C1, C4 near `S` and C6.
    Local,
    /// Neither.
    None,
}

fn verdict(
    c1: Option<&ConservationReport>,
    minima: Option<&MinimaReport>,
    c4: Option<&DecreaseReport>,
    c5: Option<&CoercivityReport>,
    req: Requirements,
    claims: &[ClaimCheck],
) -> Verdict {
    let mut lines = Vec::new();
    let mut refuted = false;
    let mut inconclusive = false;
    let mut c1_ok = false;
    match c1 {
        None => lines.push("No regularizer given: C1 was not run.".to_string()),
        Some(c) => match (c.evidence, c.conserved) {
            (Evidence::Proved, Evidence::Proved) => {
                c1_ok = true;
                lines.push(
                "C1 proved: phi is conserved by the gradient flow (<grad f, grad phi> == 0 exactly).".into(),
            )
            }
            (Evidence::Proved, _) => {
                c1_ok = true;
                lines.push(
                "C1 proved: phi is not conserved but non-increasing along the gradient flow on the search box (<grad f, grad phi> >= 0).".into(),
            )
            }
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
            attraction: Attraction::None,
            lines,
        };
    };
    let mut c6_ok = false;
    match &minima.strictness {
        Some(c6) if c6.evidence == Evidence::Proved => {
            c6_ok = true;
            lines.push(
            "C6 proved: Hess(f + phi) is positive definite at every isolated flat point (Prop 3.34), so each is a strict local minimum of f + phi.".into(),
        )
        }
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
    let (c4_local, c4_global) = c4.map_or((Evidence::Inconclusive, Evidence::Inconclusive), |d| {
        (d.local, d.evidence)
    });
    if let Some(d) = c4 {
        let cert = d.certificate.as_ref();
        match d.local {
            Evidence::Proved => lines.push(format!(
                "C4 proved near S: one NGD step lowers phi by at least c a^2 on {} boxes covering every sampled point of M with Q < 0 in the local region ({}); smallest c = {}. Inside the excluded balls Q tends to 0; that the boxes cover M between the samples is numerical evidence.",
                cert.map_or(0, |c| c.boxes),
                d.local_region,
                cert.and_then(|c| c.min_c).map_or("-".into(), |v| format!("{v:.3e}")),
            )),
            Evidence::Refuted => {
                lines.push(
                    "C4 refuted near S: one NGD step from the witness point increases phi (Q > 0 there), so phi is not d-Lyapunov near S (Prop 2.6 fails).".into(),
                );
                if req.c4_local {
                    refuted = true;
                }
            }
            e => {
                lines.push(format!(
                    "C4 {} near S: {}",
                    e.label(),
                    d.notes.first().cloned().unwrap_or_else(|| {
                        "the certificate does not cover every sampled point of M near S where Q < 0, or Q >= 0 somewhere there (see the C4 section).".into()
                    })
                ));
                if req.c4_local {
                    inconclusive = true;
                }
            }
        }
        match (d.local, d.evidence) {
            (_, Evidence::Proved) => lines.push(
                "C4 holds on all of M \\ S sampled in the search box.".into(),
            ),
            (Evidence::Proved, Evidence::Refuted) => lines.push(
                "C4 refuted away from S: phi increases under NGD near part of M, so the decrease (and any attraction it gives) is only local.".into(),
            ),
            (Evidence::Proved, _) => lines.push(
                "C4 is not established on all of M \\ S in the search box (see the uncovered points and exceptional points of the C4 section).".into(),
            ),
            _ => {}
        }
    }
    let mut c5_ok = false;
    match (c5.verdict, c5.evidence) {
        (CoercivityVerdict::Coercive, Evidence::Proved) => {
            c5_ok = true;
            lines.push(
            "C5 proved: f + phi is coercive (needed for global attraction, Thm 2.10 / 3.32 (i))."
                .into(),
        )
        }
        (CoercivityVerdict::NotCoercive, Evidence::Refuted) => {
            lines.push("C5: f + phi is proved NOT coercive (exact escape), so global attraction (Thm 2.10) cannot be concluded; at most local statements hold.".into());
            if req.c5 {
                refuted = true;
            }
        }
        (_, e) => {
            lines.push(format!(
                "C5 {}: coercivity of f + phi is undecided.",
                e.label()
            ));
            if req.c5 {
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
    // The paper's conclusions, with what is missing named.
    let mut missing_local = Vec::new();
    if !c1_ok {
        missing_local.push("C1");
    }
    if c4_local != Evidence::Proved {
        missing_local.push("C4 near S");
    }
    if !c6_ok {
        missing_local.push("C6");
    }
    let flat = minima
        .flat
        .regularizer
        .as_ref()
        .and_then(|r| r.equals_flat_set)
        == Some(true);
    let flat_text = if flat {
        " S equals the flat set (C3), so NGD is implicitly regularized towards the flat minima."
    } else {
        ""
    };
    let mut attraction = Attraction::None;
    if missing_local.is_empty() {
        attraction = Attraction::Local;
        lines.push(format!(
            "Conclusion (Thm 2.9): S is locally asymptotically d-stable for NGD (C1, C4 near S and C6 hold).{flat_text}"
        ));
    } else {
        lines.push(format!(
            "No local conclusion (Thm 2.9): {} not established.",
            missing_local.join(", ")
        ));
    }
    let mut missing_global = missing_local.clone();
    if c4_global != Evidence::Proved {
        missing_global.push("C4 on all of M \\ S");
    }
    if !c5_ok {
        missing_global.push("C5");
    }
    if missing_global.is_empty() {
        attraction = Attraction::Global;
        lines.push(
            "Conclusion (Thm 2.10 / 3.32, within the search box): S attracts NGD from almost every start; M outside the box is not examined.".into(),
        );
    } else {
        lines.push(format!(
            "No global conclusion (Thm 2.10): {} not established.",
            missing_global.join(", ")
        ));
    }
    Verdict {
        exit_code: exit_code(refuted, inconclusive, &[]),
        attraction,
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

/// Lines comparing NGD with the GD baseline and cross-validating the harness against the
/// concluded attraction (MATH.md, "Numeric NGD harness"). The second value is true when a
/// run contradicts the conclusion: it started in the region the conclusion covers and
/// ended definitively elsewhere (stalled, at a pole of `phi`, non-finite or diverged).
/// Runs that are merely not yet within the tolerance of `S` after the last step are counted
/// separately: they are limited by the drift budget, not a contradiction.
pub fn harness_lines(
    h: &ngd_sim::HarnessReport,
    attraction: Attraction,
    s: &MinimizerSet,
) -> (Vec<String>, bool) {
    use ngd_sim::Outcome;
    let pct = |m: &ngd_sim::MethodSummary| {
        m.fraction_near_flat
            .map_or("n/a (no isolated flat set)".to_string(), |f| {
                format!("{:.1}%", 100.0 * f)
            })
    };
    let gd = h.gd.as_ref().map_or("not run".to_string(), pct);
    let mut lines = vec![format!(
        "Harness (numerical evidence): NGD ends within {:e} of the flat set in {} of {} runs; plain GD in {}.",
        h.ngd.tolerance,
        pct(&h.ngd),
        h.ngd.runs,
        gd
    )];
    let d = DecreaseOptions::default();
    let radius = d.exclusion_radius * d.local_factor;
    // `None`: every start counts; `Some(r)`: starts within `r max(1, |s|)` of a point of S.
    let (region, local_radius): (String, Option<f64>) = match attraction {
        Attraction::None => {
            lines.push(
                "No attraction is concluded, so the harness cannot contradict the certificate."
                    .into(),
            );
            return (lines, false);
        }
        Attraction::Global => ("anywhere in the start box".into(), None),
        Attraction::Local => match s {
            MinimizerSet::Points(_) => (
                format!("within {radius} max(1, |s|) of a point s of S"),
                Some(radius),
            ),
            _ => {
                lines.push(
                    "Local attraction is concluded for a set S; the harness's starts are not matched to a neighbourhood of it, so no cross-validation is made.".into(),
                );
                return (lines, false);
            }
        },
    };
    let in_region = |x: &[f64]| local_radius.is_none_or(|r| s.within(x, r) == Some(true));
    let from: Vec<&ngd_sim::RunResult> = h.runs.iter().filter(|r| in_region(&r.start)).collect();
    let bad: Vec<&&ngd_sim::RunResult> = from
        .iter()
        .filter(|r| {
            matches!(
                r.outcome,
                Outcome::Stalled | Outcome::PoleOfPhi | Outcome::NonFinite | Outcome::Diverged
            )
        })
        .collect();
    let pending = from
        .iter()
        .filter(|r| r.outcome == Outcome::Elsewhere)
        .count();
    let what = if attraction == Attraction::Global {
        "S attracts NGD (Thm 2.10)"
    } else {
        "S is locally attracting (Thm 2.9)"
    };
    if bad.is_empty() {
        lines.push(format!(
            "Cross-validation: no contradiction. The report concludes that {what}; of the {} runs started {region}, none ended stalled, at a pole of phi, non-finite or diverged ({} were not yet within the tolerance of S after the last step: a drift-budget limit, not a contradiction).",
            from.len(),
            pending
        ));
        return (lines, false);
    }
    let examples: Vec<String> = bad
        .iter()
        .take(3)
        .map(|r| {
            format!(
                "run {} (seed {}, start ({})) ended {} at ({})",
                r.index,
                h.config.seed,
                r.start
                    .iter()
                    .map(|v| format!("{v:.6}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                r.outcome.name(),
                r.end
                    .iter()
                    .map(|v| format!("{v:.6}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    lines.push(format!(
        "CONTRADICTION: the report concludes that {what}, but {} of the {} runs started {region} did not converge to S: {}. Replay with `ngd-verify run` and the same seed.",
        bad.len(),
        from.len(),
        examples.join("; ")
    ));
    (lines, true)
}
