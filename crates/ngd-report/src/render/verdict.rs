//! Rendering of the verdict: the conclusions the checks support, what each is missing, which
//! hypotheses are only numerical, the harness cross-validation and the exit status.

use super::*;
use ngd_verdict::{
    machine_name, Assessment, Check, Conclusion, Contradiction, CrossOutcome, DecidedBy,
    Explanation, Gap, Reach, StartRegion,
};

fn explanation_text(e: Explanation) -> &'static str {
    match e {
        Explanation::CriticalSetOutsideM => "stopped at a critical set of f outside M",
        Explanation::MeasureZeroLanding => {
            "landed exactly on a non-attracting critical set in float64 (a measure-zero event)"
        }
        Explanation::DriftBudget => "not yet near S after the last step (drift budget)",
    }
}

fn contradiction_text(c: Contradiction) -> &'static str {
    match c {
        Contradiction::Stalled => "stalled",
        Contradiction::PoleOfPhi => "at a pole of phi",
        Contradiction::Diverged => "diverged",
        Contradiction::NonFinite => "non-finite",
    }
}

fn check_name(c: Check) -> &'static str {
    match c {
        Check::C1 => "C1",
        Check::C3 => "C3 (S = flat set)",
        Check::C4NearS => "C4 near S",
        Check::C4OffS => "C4 on M \\ S",
        Check::C5 => "C5",
        Check::C6 => "C6",
        Check::CriticalSetsOutsideM => "the search for critical sets of f outside M",
    }
}

fn gap_text(g: Gap) -> &'static str {
    match g {
        Gap::Refuted => "refuted",
        Gap::Inconclusive => "inconclusive",
        Gap::NotApplicable => "not applicable",
        Gap::NotRun => "not run",
    }
}

/// "proved", "numerical evidence (C4 on M \ S)" or "not reached: C6 not applicable, ...".
fn assessment_text(a: &Assessment) -> String {
    match a.reach {
        Reach::Proved => "proved".into(),
        Reach::NumericalEvidence => {
            let n: Vec<&str> = a.numerical.iter().map(|&c| check_name(c)).collect();
            format!("numerical evidence only; not proved: {}", n.join(", "))
        }
        Reach::NotReached => {
            let m: Vec<String> = a
                .missing
                .iter()
                .map(|m| format!("{} {}", check_name(m.check), gap_text(m.gap)))
                .collect();
            format!("not reached: {}", m.join(", "))
        }
    }
}

/// The name of critical set `i` of the report: its exact description or a sample point.
fn critical_name(r: &Report, i: usize) -> String {
    let Some(c) = r
        .critical_sets
        .as_ref()
        .and_then(|c| c.components_off_m().nth(i))
    else {
        return format!("set {i}");
    };
    let name = c.name().unwrap_or_else(|| format!("set {i}"));
    let value = c
        .f_value
        .as_ref()
        .map_or(String::new(), |v| format!(", f = {v}"));
    let part = c
        .attracting_where
        .as_ref()
        .map_or(String::new(), |w| format!(", attracting where {w}"));
    format!("{name} (dimension {}{value}{part})", c.dimension)
}

fn conclusion_lines(b: &mut Vec<Block>, r: &Report) {
    let t = &r.verdict.table;
    b.push(Block::Item(format!(
        "Local attraction (Thm 2.9: C1, C4 near S, C6): {}.",
        assessment_text(&t.local)
    )));
    b.push(Block::Item(format!(
        "Global attraction (Thm 2.10 / 3.32: also C4 on M \\ S, C5, no attracting critical set of f outside M): {}.",
        assessment_text(&t.global)
    )));
    let conclusion = match &t.conclusion {
        Conclusion::Global => "S attracts NGD from almost every start in the search box (Thm 2.10 / 3.32); M outside the box is not examined".to_string(),
        Conclusion::GlobalRestricted { excluded_sets } => {
            let names: Vec<String> = excluded_sets.iter().map(|e| critical_name(r, e.index)).collect();
            format!(
                "S attracts NGD from almost every start in the search box outside the basins of the critical sets of f off M: {} (Thm 2.10 / 3.32, restricted)",
                names.join("; ")
            )
        }
        Conclusion::Local => super::summary::local_conclusion(r, " for NGD"),
        Conclusion::None => "none of the paper's conclusions is established".to_string(),
    };
    let reach = match t.conclusion_reach() {
        Reach::Proved => "",
        Reach::NumericalEvidence => " [rests partly on numerical evidence, see above]",
        Reach::NotReached => "",
    };
    b.push(Block::Item(format!("Conclusion: {conclusion}{reach}.")));
    if t.flat_minima.reach != Reach::NotReached {
        b.push(Block::Item(format!(
            "S equals the flat set (C3), so NGD is implicitly regularized towards the flat minima: {}.",
            assessment_text(&t.flat_minima)
        )));
    }
}

pub(super) fn harness_line(h: &ngd_sim::HarnessReport) -> String {
    let pct = |m: &ngd_sim::MethodSummary| {
        m.fraction_near_flat
            .map_or("n/a (no isolated flat set)".to_string(), |f| {
                format!("{:.1}%", 100.0 * f)
            })
    };
    format!(
        "Harness (numerical evidence): NGD ends within {:e} of the flat set in {} of {} runs; plain GD in {}.",
        h.ngd.tolerance,
        pct(&h.ngd),
        h.ngd.runs,
        h.gd.as_ref().map_or("not run".to_string(), pct)
    )
}

fn run_text(h: &ngd_sim::HarnessReport, index: u64) -> Option<String> {
    let r = h.runs.iter().find(|r| r.index == index)?;
    Some(format!(
        "run {} (seed {}, start {}) ended {} at {}",
        r.index,
        h.config.seed,
        fmt_vec(&r.start),
        r.outcome.name(),
        fmt_vec(&r.end)
    ))
}

fn cross_validation_lines(b: &mut Vec<Block>, r: &Report) {
    let Some(h) = &r.harness else { return };
    b.push(Block::Item(harness_line(h)));
    let cv = &r.verdict.table.cross_validation;
    let region = match cv.region {
        Some(StartRegion::NeighbourhoodOfS) => "near S",
        Some(StartRegion::SearchBox) => "anywhere in the start box",
        Some(StartRegion::SearchBoxOutsideExcludedBasins) => "in the start box",
        None => "",
    };
    let explained: Vec<String> = cv
        .explained
        .iter()
        .map(|e| format!("{} {}", e.runs, explanation_text(e.kind)))
        .collect();
    let explained = if explained.is_empty() {
        String::new()
    } else {
        format!(" Explained, not contradictions: {}.", explained.join(", "))
    };
    let line = match cv.outcome {
        CrossOutcome::NotRun => return,
        CrossOutcome::NoConclusion => {
            "No attraction is concluded, so the harness cannot contradict the certificate."
                .to_string()
        }
        CrossOutcome::RegionNotMatched => "A local conclusion is drawn for a set S; the harness's starts are not matched to a neighbourhood of it, so no cross-validation is made.".to_string(),
        CrossOutcome::Consistent => format!(
            "Cross-validation: no contradiction: of the {} runs started {region}, {} ended near S and none ended stalled, at a pole of phi, non-finite or diverged.{explained}",
            cv.runs, cv.near_s
        ),
        CrossOutcome::Contradicted => {
            let kinds: Vec<String> = cv
                .contradictions
                .iter()
                .map(|c| format!("{} {}", c.runs, contradiction_text(c.kind)))
                .collect();
            let examples: Vec<String> = r
                .verdict
                .contradicting_runs
                .iter()
                .filter_map(|&i| run_text(h, i))
                .collect();
            format!(
                "CONTRADICTION: {} of the {} runs started {region} did not reach S ({}): {}. Replay with `ngd-verify run` and the same seed.{explained}",
                cv.contradicting_runs,
                cv.runs,
                kinds.join(", "),
                examples.join("; ")
            )
        }
    };
    b.push(Block::Item(line));
}

fn status_line(r: &Report) -> String {
    let s = &r.verdict.table.status;
    let what = match s.decided_by {
        DecidedBy::Claims => "the [expect] claims",
        DecidedBy::Checks => "the checks asked for",
    };
    format!(
        "Exit status {} answers {what}: {}.",
        s.code,
        status_reasons(s).join("; ")
    )
}

/// What the exit status rests on: the contradicted and undecided claims, or the refuted and
/// open checks (with "every claim matched" / "every check asked for holds" when none).
pub(super) fn status_reasons(s: &ngd_verdict::Status) -> Vec<String> {
    let names = |v: &[Check]| {
        v.iter()
            .map(|&c| check_name(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let claims = |v: &[ngd_verdict::ClaimName]| {
        v.iter()
            .map(|c| machine_name(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    match s.decided_by {
        DecidedBy::Claims => {
            if !s.contradicted_claims.is_empty() {
                parts.push(format!("contradicted: {}", claims(&s.contradicted_claims)));
            }
            if !s.undecided_claims.is_empty() {
                parts.push(format!("undecided: {}", claims(&s.undecided_claims)));
            }
            if parts.is_empty() {
                parts.push("every claim matched".into());
            }
        }
        DecidedBy::Checks => {
            if !s.refuted.is_empty() {
                parts.push(format!("refuted: {}", names(&s.refuted)));
            }
            if !s.open.is_empty() {
                parts.push(format!("not established: {}", names(&s.open)));
            }
            if s.harness_contradiction {
                parts.push("the harness contradicts a proved conclusion".into());
            }
            if parts.is_empty() {
                parts.push("every check asked for holds".into());
            }
        }
    }
    parts
}

/// The verdict section of a report.
pub(super) fn verdict_blocks(b: &mut Vec<Block>, r: &Report) {
    b.push(Block::Heading(format!(
        "Verdict (exit status {})",
        r.verdict.exit_code
    )));
    if r.minima.is_some() {
        conclusion_lines(b, r);
    } else {
        b.push(Block::Item(
            "Only C1 was run (check-identity): run a case file for C2-C6.".into(),
        ));
    }
    cross_validation_lines(b, r);
    b.push(Block::Item(status_line(r)));
}

/// The claimed value as the Expectations lines print it.
impl std::fmt::Display for crate::report::ClaimValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            crate::report::ClaimValue::Bool(b) => write!(f, "{b}"),
            crate::report::ClaimValue::Points(p) => f.write_str(p),
        }
    }
}

/// What was found about a claim, in the words of the Expectations lines.
impl std::fmt::Display for crate::report::ClaimFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::report::ClaimFinding as F;
        match self {
            F::NoRegularizer => f.write_str("no regularizer given"),
            F::ConservedProved => f.write_str("conserved (proved)"),
            F::NotConservedWitness => f.write_str("not conserved (witness)"),
            F::ConservationOpen { evidence } => f.write_str(evidence.label()),
            F::CoerciveProved => f.write_str("coercive (proved)"),
            F::NotCoerciveEscape => f.write_str("not coercive (exact escape)"),
            F::DecreasesNearS => f.write_str("decreases near S (proved on boxes)"),
            F::InvariantAlongNormals => f.write_str(
                "does not decrease near S: phi is invariant along the normal lines (exact)",
            ),
            F::IncreasesNearS => f.write_str("increases near S (witness)"),
            F::Undecided { evidence } => write!(f, "undecided ({})", evidence.label()),
            F::ClaimUnevaluable => f.write_str("a claimed coordinate cannot be evaluated"),
            F::FlatPoints { points, notes } => {
                if points.is_empty() {
                    f.write_str("no isolated flat point")?;
                } else {
                    f.write_str(&points.join(", "))?;
                }
                for note in notes {
                    write!(f, "; {}", comparison_note_text(note))?;
                }
                Ok(())
            }
        }
    }
}
