//! `discover`: the conserved quantities of the gradient flow of a case's `f`, the flat set they
//! are compared with, the proposed regularizer and (optionally) its certificate report.

use crate::report::{build_report, summarize, CaseSummary, ClaimInputs, Problem, Report, Scope};
use ngd_case::{Case, InputError, FLAT_PRECISION};
use serde::Serialize;

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

/// Discovery on `case`, the proposal from its flat set (computed by C3, else claimed by the
/// case), and with `check` the full report of `f` with the proposed `phi`.
pub fn discover_case(
    case: &mut Case,
    opts: &ngd_discover::DiscoverOptions,
    check: bool,
) -> Result<DiscoverOutput, InputError> {
    let discovery = ngd_discover::discover(&mut case.arena, case.objective, opts);
    let (flat, source) = flat_set(case);
    let (proposal, note) = match source {
        None => (
            None,
            Some(
                "no flat set: C3 found no isolated flat point and the case gives no [expect] flat_minima"
                    .to_string(),
            ),
        ),
        Some(_) => match ngd_discover::propose_regularizer(&mut case.arena, &discovery, &flat) {
            Some(p) => (Some(p), None),
            None => (
                None,
                Some("no conserved quantity is constant on the flat set".to_string()),
            ),
        },
    };
    let summary = summarize(
        &case.arena,
        &case.title,
        &case.name,
        &case.declarations,
        case.objective,
        proposal.as_ref().map(|p| p.phi),
        &case.search_box,
    );
    let report = match (&proposal, check) {
        (Some(p), true) => Some(proposal_report(case, p.phi, summary.clone())?),
        _ => None,
    };
    Ok(DiscoverOutput {
        schema_version: crate::report::SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        case: summary,
        discovery,
        flat_set_source: source,
        proposal,
        proposal_note: note,
        check: report,
    })
}

/// The flat set the proposal is fitted to, and where it came from: the isolated flat points of
/// C3 (at [`FLAT_PRECISION`] bits), else the case's claimed `flat_minima`.
fn flat_set(case: &mut Case) -> (Vec<Vec<rug::Float>>, Option<String>) {
    let minima = ngd_minima::analyse_minima(
        &mut case.arena,
        case.objective,
        None,
        &case.search_box,
        &ngd_minima::MinimaOptions::default(),
    );
    let points = &minima.flat.flat_points;
    let computed: Vec<Vec<rug::Float>> = points
        .iter()
        .filter_map(|p| {
            p.point
                .coords
                .iter()
                .map(|c| {
                    rug::Float::parse(c)
                        .ok()
                        .map(|v| rug::Float::with_val(FLAT_PRECISION, v))
                })
                .collect::<Option<Vec<_>>>()
        })
        .collect();
    if !computed.is_empty() {
        let texts: Vec<String> = points
            .iter()
            .map(|p| crate::report::point_text(&p.point))
            .collect();
        return (
            computed,
            Some(format!("computed by C3: {}", texts.join(", "))),
        );
    }
    match case.flat_minima_values() {
        Some(values) => (
            values,
            Some(
                "claimed by the case's [expect] flat_minima (C3 found no isolated flat point)"
                    .to_string(),
            ),
        ),
        None => (Vec::new(), None),
    }
}

/// The full report of the case's `f` with the proposed `phi` (no `[expect]` claims: they were
/// written for the case's own `phi`).
fn proposal_report(
    case: &mut Case,
    phi: ngd_expr::ExprId,
    summary: CaseSummary,
) -> Result<Report, InputError> {
    let cfg = crate::harness::config(case, &crate::harness::Overrides::default())?;
    let problem = Problem {
        f: case.objective,
        phi: Some(phi),
        bx: &case.search_box,
    };
    Ok(build_report(
        &mut case.arena,
        summary,
        problem,
        ClaimInputs::default(),
        Scope::Full(Some(&cfg)),
        &case.limits,
    ))
}
