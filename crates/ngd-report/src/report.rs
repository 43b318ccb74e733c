//! The certificate report: the checks' data assembled for one case, plus the verdict and the
//! exit status. Rendering is in [`crate::render`].

use ngd_case::{Case, Limits};
use ngd_check::conservation::ConservationOptions;
use ngd_check::{check_conservation, ConservationReport, Evidence, RationalBox};
use ngd_coercive::{check_coercivity, CoercivityOptions, CoercivityReport};
use ngd_critical::{find_critical_sets, CriticalOptions, CriticalReport};
use ngd_decrease::{check_decrease, DecreaseOptions, DecreaseReport, FirstOrder, MinimizerSet};
use ngd_expr::{Arena, ExprId};
use ngd_minima::{analyse_minima, MinimaOptions, MinimaReport};
use serde::Serialize;

/// Version of the JSON schema of every output (the report, `check-identity`, `discover`,
/// `run`, its shards, `merge`, `recheck`); bumped on incompatible changes. The schemas are
/// [`crate::schema::schemas`], checked in under `docs/schema/`.
pub const SCHEMA_VERSION: u32 = 4;

/// The ngd-verify version that writes the outputs (every crate of the workspace shares it).
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What was analysed.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ClaimCheck {
    /// The claim's field name (`conserved`, `coercive`, `d_lyapunov`, `flat_minima`).
    pub claim: &'static str,
    /// The claimed value.
    pub expected: ClaimValue,
    /// What the checks found.
    pub found: ClaimFinding,
    /// Whether it matched.
    pub status: ClaimStatus,
}

/// The value an `[expect]` claim states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ClaimValue {
    /// `conserved`, `coercive`, `d_lyapunov`.
    Bool(bool),
    /// `flat_minima`: the claimed points as printed, e.g. `(1, 1), (-1, -1)`.
    Points(String),
}

/// What the checks found about an `[expect]` claim (tagged by `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClaimFinding {
    /// `conserved`: no regularizer was given, so there is nothing to be conserved.
    NoRegularizer,
    /// `conserved`: C1 proved `phi` conserved.
    ConservedProved,
    /// `conserved`: C1 found a point where `<grad f, grad phi> != 0`.
    NotConservedWitness,
    /// `conserved`: C1 decided neither way; its evidence.
    ConservationOpen {
        /// C1's `conserved` evidence.
        evidence: Evidence,
    },
    /// `coercive`: C5 proved `f + phi` coercive.
    CoerciveProved,
    /// `coercive`: C5 found an exact escape.
    NotCoerciveEscape,
    /// `d_lyapunov`: C4 proved the decrease near `S` on boxes.
    DecreasesNearS,
    /// `d_lyapunov`: `phi(x - a u) = phi(x)` exactly along the normal lines (no decrease).
    InvariantAlongNormals,
    /// `d_lyapunov`: C4 found a point near `S` where `phi` increases.
    IncreasesNearS,
    /// `coercive`, `d_lyapunov`: the check did not decide; its evidence.
    Undecided {
        /// The check's evidence.
        evidence: Evidence,
    },
    /// `flat_minima`: a claimed coordinate cannot be evaluated.
    ClaimUnevaluable,
    /// `flat_minima`: the isolated flat points C3 found (empty: none), and remarks on the
    /// comparison.
    FlatPoints {
        /// The points, as printed.
        points: Vec<String>,
        /// Remarks on the comparison with the claimed points.
        notes: Vec<ngd_minima::ComparisonNote>,
    },
}

/// The closing section: the verdict table's output (`ngd-verdict`) and examples of runs that
/// contradict it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Verdict {
    /// The process exit status (0 holds, 1 refuted or a claim contradicted, 3 undecided).
    pub exit_code: i32,
    /// The conclusions, their missing and numerical hypotheses, the cross-validation.
    pub table: ngd_verdict::Verdict,
    /// Up to three harness runs that contradict the conclusion (index into the runs).
    pub contradicting_runs: Vec<u64>,
}

/// The whole certificate report (the JSON output of a case and of `check-identity`).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Report {
    /// JSON schema version ([`SCHEMA_VERSION`]).
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The ngd-verify version that wrote it.
    pub tool_version: &'static str,
    /// The case title (`check-identity` for `check-identity`, whose source is the command
    /// line); the same as `case.title`.
    pub title: String,
    /// The case.
    pub case: CaseSummary,
    /// The count budgets the proofs ran with.
    pub limits: Limits,
    /// C1, when a regularizer was given.
    pub conservation: Option<ConservationReport>,
    /// C2 (minimum set), C3 (flat minima) and C6 (strictness, when a regularizer was given).
    /// `None` when only C1 was asked for (`check-identity`).
    pub minima: Option<MinimaReport>,
    /// C2: the critical sets of `f` outside `M` in the search box (the hypothesis of the
    /// global statement). `None` when only C1 was asked for.
    pub critical_sets: Option<CriticalReport>,
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

/// What the checks are run on: `f`, `phi` (if any) and the search box.
pub struct Problem<'a> {
    /// The objective.
    pub f: ExprId,
    /// The candidate regularizer.
    pub phi: Option<ExprId>,
    /// The search box.
    pub bx: &'a RationalBox,
}

/// Runs every implemented check on `f`, `phi` and assembles the report.
pub fn build_report(
    arena: &mut Arena,
    summary: CaseSummary,
    problem: Problem,
    claims: ClaimInputs,
    scope: Scope,
    limits: &Limits,
) -> Report {
    let Problem { f, phi, bx } = problem;
    let c1_opts = ConservationOptions {
        budget: ngd_check::BranchBudget {
            max_boxes: limits.max_boxes,
            ..ngd_check::BranchBudget::default()
        },
        ..ConservationOptions::default()
    };
    let conservation = phi.map(|p| check_conservation(arena, f, p, bx, &c1_opts));
    let full = matches!(scope, Scope::Full(_));
    let harness_run = match scope {
        Scope::Full(run) => run,
        Scope::IdentityOnly => None,
    };
    let minima = full.then(|| {
        let mut m = analyse_minima(arena, f, phi, bx, &MinimaOptions::default());
        crate::set_equations::certify_components(arena, phi, &mut m);
        m
    });
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
                max_boxes: limits.cover_boxes,
                ..DecreaseOptions::default()
            };
            Some(check_decrease(arena, f, p, bx, first, s, &opts))
        }
        _ => None,
    };
    let critical_sets = full.then(|| {
        let structure = ngd_check::Structure::detect(arena, f);
        find_critical_sets(arena, f, &structure, bx, &CriticalOptions::default())
    });
    let coercivity = full.then(|| check_coercivity(arena, f, phi, &CoercivityOptions::default()));
    let harness = match (harness_run, &minima) {
        (Some(run), Some(m)) if full => {
            let h = ngd_sim::prepare(arena, f, phi);
            let (cfg, stop) = (run.config, run.interrupt);
            Some(crate::harness::run_against_flat_set(
                arena, &h, cfg, m, bx, stop,
            ))
        }
        _ => None,
    };
    let expectations = crate::claims::check_claims(
        &claims,
        conservation.as_ref(),
        coercivity.as_ref(),
        decrease.as_ref(),
        minima.as_ref(),
    );
    let reports = crate::outcomes::Reports {
        c1: conservation.as_ref(),
        minima: minima.as_ref(),
        critical: critical_sets.as_ref(),
        c4: decrease.as_ref(),
        c5: coercivity.as_ref(),
        harness: harness.as_ref().zip(s_set.as_ref()),
        claims: &expectations,
        phi_at: None,
    };
    let verdict = decide(arena, phi, reports, full, &claims);
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: TOOL_VERSION,
        title: summary.title.clone(),
        case: summary,
        limits: *limits,
        conservation,
        minima,
        critical_sets,
        decrease,
        coercivity,
        harness,
        expectations,
        verdict,
    }
}

/// The verdict table from the checks' reports, and the harness runs that contradict it.
fn decide(
    arena: &Arena,
    phi: Option<ExprId>,
    reports: crate::outcomes::Reports,
    full: bool,
    claims: &ClaimInputs,
) -> Verdict {
    let phi_tape = phi.map(|p| ngd_eval::Tape::compile(arena, &[p]));
    let phi_at = |x: &[f64]| {
        let (mut scratch, mut out) = (Vec::new(), [0.0]);
        if let Some(t) = &phi_tape {
            t.eval_f64(x, &mut scratch, &mut out);
        }
        out[0]
    };
    let reports = crate::outcomes::Reports {
        phi_at: phi.map(|_| &phi_at as &crate::outcomes::PhiAt),
        ..reports
    };
    let verdict_scope = match (full, phi) {
        (false, _) => ngd_verdict::Scope::IdentityOnly,
        (true, None) => ngd_verdict::Scope::NoRegularizer,
        (true, Some(_)) => ngd_verdict::Scope::Full,
    };
    let input =
        crate::outcomes::outcomes(&reports, verdict_scope, claims.coercive, claims.d_lyapunov);
    let table = ngd_verdict::verdict(&input);
    let contradicting_runs = reports
        .harness
        .map(|(h, _)| crate::outcomes::contradicting_runs(h, &table, &reports))
        .unwrap_or_default();
    Verdict {
        exit_code: table.exit_code(),
        table,
        contradicting_runs,
    }
}

/// The NGD harness of a report: its configuration, and a flag that stops it early.
#[derive(Clone, Copy, Debug)]
pub struct HarnessRun<'a> {
    /// The configuration.
    pub config: &'a ngd_sim::HarnessConfig,
    /// Once set, the harness stops and reports the runs finished, marked `interrupted`.
    pub interrupt: Option<&'a std::sync::atomic::AtomicBool>,
}

/// Which checks a report runs.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// Every implemented check, and the NGD harness when it is given.
    Full(Option<HarnessRun<'a>>),
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
