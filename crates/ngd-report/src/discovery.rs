//! `discover`: the conserved quantities of the gradient flow of a case's `f`, the flat set they
//! are compared with, the proposed regularizer and (optionally) its certificate report.

use crate::report::{build_report, summarize, CaseSummary, ClaimInputs, Problem, Report, Scope};
use ngd_case::{Case, InputError, FLAT_PRECISION};
use ngd_discover::FlatPointInput;
use serde::Serialize;

/// The output of `ngd-verify discover`.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DiscoverOutput {
    /// JSON schema version ([`crate::report::SCHEMA_VERSION`]).
    #[schemars(extend("const" = crate::report::SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The ngd-verify version that wrote it.
    pub tool_version: &'static str,
    /// The case title (the same as `case.title`).
    pub title: String,
    /// The case.
    pub case: CaseSummary,
    /// The conserved quantities, symmetries and completeness count.
    pub discovery: ngd_discover::DiscoveryReport,
    /// Where the flat set used for the proposal came from, if one was available.
    pub flat_set_source: Option<FlatSetSource>,
    /// The proposed regularizer, when a flat set was available and a quantity qualified.
    pub proposal: Option<ngd_discover::Proposal>,
    /// Whether the proposal vanishes on `M` only on the flat set (C3 run with it).
    pub zero_set: Option<ZeroSetCheck>,
    /// Why there is no proposal, when there is none.
    pub proposal_note: Option<NoProposal>,
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
    let minima = ngd_minima::analyse_minima(
        &mut case.arena,
        case.objective,
        None,
        &case.search_box,
        &ngd_minima::MinimaOptions::default(),
    );
    let (flat, points, source) = flat_set(case, &minima);
    let equation_sets = flat_equation_sets(case, &minima);
    let mut zero_set = None;
    let (proposal, note) = match source {
        None => (None, Some(NoProposal::NoFlatSet)),
        Some(_) => {
            match ngd_discover::propose_regularizer_with(&mut case.arena, &discovery, &flat, true) {
                Some(mut p) => {
                    let mut check = zero_set_of(case, p.phi);
                    let flat = converse_flat_set(source.as_ref(), &points, &equation_sets);
                    check.converse = Some(match flat {
                        Some(flat) => converse_of(case, p.phi, flat),
                        None => ngd_discover::ZeroSetConverse::several_flat_sets(),
                    });
                    zero_set = Some(check);
                    p.vanishing = Some(ngd_discover::check_vanishing(&mut case.arena, &p, &points));
                    p.equation_sets = equation_sets
                        .iter()
                        .map(|set| ngd_discover::vanishing_on_equations(&mut case.arena, &p, set))
                        .collect();
                    (Some(p), None)
                }
                None => (None, Some(NoProposal::NothingConstantOnFlatSet)),
            }
        }
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
        tool_version: crate::report::TOOL_VERSION,
        title: summary.title.clone(),
        case: summary,
        discovery,
        flat_set_source: source,
        proposal,
        zero_set,
        proposal_note: note,
        check: report,
    })
}

/// Where the flat set a proposal is fitted to came from (tagged by `kind`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FlatSetSource {
    /// The isolated flat points computed by C3.
    ComputedByC3 {
        /// The first points (at most 8), as printed.
        points: Vec<String>,
        /// How many more points there are.
        more: usize,
    },
    /// The case's `[expect] flat_minima` (C3 found no isolated flat point).
    ClaimedByCase,
    /// Samples of C3's flat components of positive dimension (float64 points).
    SampledComponents {
        /// The number of components.
        components: usize,
        /// Their dimensions, in order.
        dimensions: Vec<usize>,
        /// The number of sample points.
        points: usize,
    },
}

/// Why `discover` proposes no regularizer (tagged by `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoProposal {
    /// C3 found no flat point or flat component and the case claims no `flat_minima`.
    NoFlatSet,
    /// No conserved quantity found is constant on the flat set.
    NothingConstantOnFlatSet,
}

/// Where the proposal vanishes on `M`, compared with the flat set: C3 run with the proposed
/// `phi`, whose `S = argmin_M phi` is the zero set of `phi` on `M` when `phi` vanishes on the
/// flat set (numerical evidence, as C3).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ZeroSetCheck {
    /// `S` lies on the flat set: `phi` vanishes on `M` only at flat points (`None`: undecided).
    pub s_is_flat: Option<bool>,
    /// `S` equals the flat set.
    pub equals_flat_set: Option<bool>,
    /// Always numerical evidence.
    pub evidence: ngd_check::Evidence,
    /// The converse proved exactly: `phi = 0` on `M` only on the flat set (an SOS
    /// certificate per equation of the flat set; `None` in reports written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converse: Option<ngd_discover::ZeroSetConverse>,
}

/// C3 with `phi`: does `S = argmin_M phi` lie on (equal) the flat set?
fn zero_set_of(case: &mut Case, phi: ngd_expr::ExprId) -> ZeroSetCheck {
    let m = ngd_minima::analyse_minima(
        &mut case.arena,
        case.objective,
        Some(phi),
        &case.search_box,
        &ngd_minima::MinimaOptions::default(),
    );
    let reg = m.flat.regularizer.as_ref();
    ZeroSetCheck {
        s_is_flat: reg.and_then(|r| r.s_is_flat),
        equals_flat_set: reg.and_then(|r| r.equals_flat_set),
        evidence: ngd_check::Evidence::NumericalEvidence,
        converse: None,
    }
}

/// The flat set for the exact converse: the flat points, or the one flat component given by
/// equations (its samples only serve to find an exact point of `M`); `None` when the flat
/// set has several parts (components, or points and components).
fn converse_flat_set<'a>(
    source: Option<&FlatSetSource>,
    points: &'a [FlatPointInput],
    equation_sets: &'a [ngd_discover::EquationSet],
) -> Option<ngd_discover::ExactFlatSet<'a>> {
    use ngd_discover::ExactFlatSet;
    match (source, equation_sets) {
        (Some(FlatSetSource::SampledComponents { components: 1, .. }), [set]) => {
            Some(ExactFlatSet::Equations {
                set,
                samples: points,
            })
        }
        (Some(FlatSetSource::SampledComponents { .. }), _) => None,
        (_, []) => Some(ExactFlatSet::Points(points)),
        _ => None,
    }
}

/// [`ngd_discover::prove_zero_set_converse`] with the default bounds.
fn converse_of(
    case: &Case,
    phi: ngd_expr::ExprId,
    flat: ngd_discover::ExactFlatSet<'_>,
) -> ngd_discover::ZeroSetConverse {
    let opts = ngd_discover::ConverseOptions::default();
    ngd_discover::prove_zero_set_converse(&case.arena, case.objective, phi, flat, &opts)
}

/// The flat set for the proposal (MPFR points), the same points for the vanishing check, and
/// where they came from.
type FlatSetInput = (
    Vec<Vec<rug::Float>>,
    Vec<FlatPointInput>,
    Option<FlatSetSource>,
);

/// The flat set the proposal is fitted to, the same points for the check that `phi` vanishes
/// there (with exact coordinates where known), and where they came from: the isolated flat
/// points of C3 (at [`FLAT_PRECISION`] bits; exact at their recognised closed forms), else the
/// case's claimed `flat_minima` (exact), else the samples of C3's flat components of positive
/// dimension (float64 points: the proposal keeps the quantities constant on them to a third of
/// 53 bits).
fn flat_set(case: &mut Case, minima: &ngd_minima::MinimaReport) -> FlatSetInput {
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
    if !computed.is_empty() && computed.len() == points.len() {
        let texts: Vec<String> = points
            .iter()
            .take(MAX_LISTED)
            .map(|p| crate::report::point_text(&p.point))
            .collect();
        let inputs = points
            .iter()
            .zip(&computed)
            .map(|(p, v)| closed_form_input(case, &p.point, v))
            .collect();
        return (
            computed,
            inputs,
            Some(FlatSetSource::ComputedByC3 {
                points: texts,
                more: points.len().saturating_sub(MAX_LISTED),
            }),
        );
    }
    let claimed = case.flat_minima_values();
    if claimed.is_none() {
        if let Some(sampled) = sampled_components(minima) {
            return sampled;
        }
    }
    match claimed {
        Some(values) => {
            let exprs = case.expect.flat_minima.clone().unwrap_or_default();
            let inputs = exprs
                .iter()
                .zip(&values)
                .map(|(e, v)| FlatPointInput {
                    exact: Some(e.clone()),
                    recognised: false,
                    values: v.clone(),
                    text: e.iter().map(|&c| case.arena.display(c)).collect(),
                })
                .collect();
            (values, inputs, Some(FlatSetSource::ClaimedByCase))
        }
        None => (Vec::new(), Vec::new(), None),
    }
}

/// The flat components of positive dimension that C3 describes by equations, as sets for
/// [`ngd_discover::vanishing_on_equations`]. A Lagrange-multiplier description counts only
/// when its multiplier is an exact short rational (then the set `{g = 0, grad s = lambda grad
/// g}` is given exactly); a level of `phi` does not apply (discover has no `phi` yet).
fn flat_equation_sets(
    case: &mut Case,
    minima: &ngd_minima::MinimaReport,
) -> Vec<ngd_discover::EquationSet> {
    minima
        .flat
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.dimension > 0)
        .filter_map(|(i, c)| {
            // discover has no phi: a description through phi does not apply.
            let equations =
                crate::set_equations::equations_of(&mut case.arena, None, c.equations.as_ref()?)?;
            Some(ngd_discover::EquationSet {
                equations,
                name: format!("flat component {} (dimension {})", i + 1, c.dimension),
            })
        })
        .collect()
}

/// The samples of the flat components of positive dimension, as the flat set (`None` when C3
/// found none).
fn sampled_components(minima: &ngd_minima::MinimaReport) -> Option<FlatSetInput> {
    let comps: Vec<&ngd_minima::SetComponent> = minima
        .flat
        .components
        .iter()
        .filter(|c| c.dimension > 0 && !c.sample.is_empty())
        .collect();
    if comps.is_empty() {
        return None;
    }
    let points: Vec<&Vec<f64>> = comps.iter().flat_map(|c| &c.sample).collect();
    let values: Vec<Vec<rug::Float>> = points
        .iter()
        .map(|p| p.iter().map(|&v| rug::Float::with_val(53, v)).collect())
        .collect();
    let inputs = points
        .iter()
        .zip(&values)
        .map(|(p, v)| FlatPointInput {
            exact: None,
            recognised: false,
            values: v.clone(),
            text: p.iter().map(|x| format!("{x:.6}")).collect(),
        })
        .collect();
    let source = FlatSetSource::SampledComponents {
        components: comps.len(),
        dimensions: comps.iter().map(|c| c.dimension).collect(),
        points: points.len(),
    };
    Some((values, inputs, Some(source)))
}

/// Most C3 points named in the flat set's source line.
const MAX_LISTED: usize = 8;

/// A C3 point for the vanishing check: exact at its recognised closed forms when every
/// coordinate has one (parsed into the case's arena), else its MPFR digits.
fn closed_form_input(
    case: &mut Case,
    p: &ngd_minima::RefinedPoint,
    values: &[rug::Float],
) -> FlatPointInput {
    let params = ngd_parse::Params::new();
    let exact: Option<Vec<ngd_expr::ExprId>> = p
        .closed_form
        .iter()
        .map(|c| {
            c.as_ref()
                .and_then(|s| ngd_parse::parse_expr(&mut case.arena, s, &params).ok())
        })
        .collect();
    let text = match &exact {
        Some(_) => p.closed_form.iter().flatten().cloned().collect(),
        None => p
            .coords
            .iter()
            .map(|c| crate::report::short_decimal(c, 20))
            .collect(),
    };
    FlatPointInput {
        recognised: exact.is_some(),
        exact,
        values: values.to_vec(),
        text,
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
        Scope::Full(Some(crate::report::HarnessRun {
            config: &cfg,
            interrupt: None,
        })),
        &case.limits,
    ))
}
