//! The certificate report of ngd-verify as a library. Entry points, one per command:
//! [`case_report`] (the report of a case file), [`identity::identity_report`] (C1 alone),
//! [`discovery::discover_case`] (conserved quantities and the proposed regularizer) and
//! [`harness::run_case`] / [`harness::merge_shards`] (the NGD harness). [`report::build_report`]
//! runs the checks C1-C6 and the critical-set search, [`outcomes`] turns their typed results into
//! the verdict table (`ngd-verdict`), and [`render::render`] is the one renderer. The binary only
//! parses arguments and does I/O. See `docs/architecture.md` and `docs/report.md`.

mod claims;
pub mod discovery;
pub mod figures;
mod flat_projection;
pub mod harness;
pub mod identity;
pub mod outcomes;
pub mod recheck;
pub mod render;
pub mod report;
pub mod schema;
mod set_equations;

use ngd_case::{Case, InputError, Limits};

/// The full certificate report of a case with the given count budgets: C1-C6, the critical
/// sets, the NGD harness, the `[expect]` claims and the verdict. `report.verdict.exit_code` is
/// the exit status of `docs/report.md`.
///
/// ```
/// let mut case = ngd_case::parse_case(
///     "xy.case",
///     r#"
/// title = "(xy - 1)^2"
/// variables = ["x", "y"]
/// objective = "(x*y - 1)^2"
/// regularizer = "(x^2 - y^2)^2"
/// [ngd]
/// starts = 4
/// iterations = 2000
/// "#,
/// )
/// .unwrap();
/// let limits = case.limits;
/// let report = ngd_report::case_report(&mut case, &limits).unwrap();
/// assert_eq!(report.conservation.unwrap().conserved, ngd_check::Evidence::Proved);
/// assert_eq!(report.verdict.exit_code, 0);
/// ```
pub fn case_report(case: &mut Case, limits: &Limits) -> Result<report::Report, InputError> {
    case_report_with(case, limits, &harness::Overrides::default())
}

/// [`case_report`] with the harness settings of `overrides` (the case's `[ngd]` section with
/// the fields that are set replaced), and its `interrupt` flag: once set, the harness stops and
/// the report holds the runs finished, marked `interrupted`.
pub fn case_report_with(
    case: &mut Case,
    limits: &Limits,
    overrides: &harness::Overrides,
) -> Result<report::Report, InputError> {
    let summary = report::summarize(
        &case.arena,
        &case.title,
        &case.name,
        &case.declarations,
        case.objective,
        case.regularizer,
        &case.search_box,
    );
    let claims = report::ClaimInputs::from_case(case);
    let cfg = harness::config(case, overrides)?;
    let problem = report::Problem {
        f: case.objective,
        phi: case.regularizer,
        bx: &case.search_box,
    };
    Ok(report::build_report(
        &mut case.arena,
        summary,
        problem,
        claims,
        report::Scope::Full(Some(report::HarnessRun {
            config: &cfg,
            interrupt: overrides.interrupt,
        })),
        limits,
    ))
}
