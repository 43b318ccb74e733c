//! Rendering of the `discover` subcommand: text and Markdown from blocks, JSON as is, and the
//! LaTeX derivation ([`latex_derivation`]).

use super::*;
use ngd_discover::{AnsatzResult, Completeness, DiscoveryReport, LinearSymmetries, Proposal};

mod beyond;
mod latex;
mod matrix_laws;
pub(super) mod tex_expr;
mod text;
pub use latex::{latex_derivation, latex_discovery};
use text::*;

/// Renders the output of `discover` in the chosen format.
pub fn render_discovery(d: &DiscoverOutput, format: Format) -> String {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(d).expect("discovery serializes");
            s.push('\n');
            s
        }
        Format::Text => {
            let mut s = to_text(&discovery_blocks(d));
            if let Some(r) = &d.check {
                s.push('\n');
                s.push_str(&to_text(&blocks(r)));
            }
            s
        }
        Format::Markdown => {
            let mut s = to_markdown(&discovery_blocks(d));
            if let Some(r) = &d.check {
                s.push('\n');
                s.push_str(&to_markdown(&blocks(r)));
            }
            s
        }
        Format::Latex | Format::Html => {
            let mut b = discovery_blocks(d);
            if let Some(r) = &d.check {
                b.push(Block::Blank);
                b.extend(blocks(r));
            }
            write_blocks(&b, format)
        }
    }
}

pub(super) fn ansatz_name(k: &AnsatzKind) -> String {
    match k {
        AnsatzKind::Polynomial { degree } => format!("Polynomial ansatz, degree 1..{degree}"),
        AnsatzKind::Laurent { degree } => {
            format!("Laurent ansatz, exponents with 1 <= |e|_1 <= {degree}")
        }
        AnsatzKind::Exp {
            degree,
            coeff_bound,
            max_support,
        } => format!(
            "Exp ansatz, p(x) exp(l(x)) with deg p <= {degree}, l integer coefficients in [-{coeff_bound}, {coeff_bound}], at most {max_support} nonzero"
        ),
    }
}

pub(super) fn quantity_item(q: &ConservedQuantity) -> String {
    format!(
        "psi = {}  [{}: {}]",
        q.display,
        q.verified.label(),
        verification_text(&q.verification)
    )
}

/// The blocks of the discovery report: the case, each ansatz, the symmetries, the count of
/// laws and the proposed regularizer, in that order.
pub(super) fn discovery_blocks(d: &DiscoverOutput) -> Vec<Block> {
    let r = &d.discovery;
    let mut b = head_blocks(d);
    for a in &r.ansatz {
        ansatz_blocks(&mut b, a);
    }
    symmetry_blocks(&mut b, &r.linear_symmetries);
    b.push(Block::Blank);
    completeness_blocks(&mut b, Some(r), &r.completeness);
    b.push(Block::Blank);
    if r.piecewise.is_some() {
        beyond::piecewise_blocks(&mut b, r);
        b.push(Block::Blank);
    }
    proposal_blocks(&mut b, d);
    b
}

/// The title, the case, the shape of `f`, the rule and the fields.
fn head_blocks(d: &DiscoverOutput) -> Vec<Block> {
    let r = &d.discovery;
    let mut b = vec![
        Block::Title(format!(
            "ngd-verify {} discovery: {}",
            d.tool_version, d.case.title
        )),
        Block::Field("source".into(), d.case.source.clone()),
        Block::Field(
            "variables".into(),
            format!(
                "{} ({} scalar)",
                d.case.variables.join(", "),
                d.case.dimension
            ),
        ),
        Block::Field("f".into(), d.case.objective.clone()),
        Block::Field("structure".into(), shape_text(&r.structure)),
        Block::Field("rule".into(), field_rule_text(r.field_rule).into()),
        Block::Field("fields".into(), String::new()),
    ];
    for f in &r.fields {
        b.push(Block::Math(field_text(f)));
    }
    beyond::ring_blocks(&mut b, &r.ring);
    b.push(Block::Blank);
    b
}

/// One ansatz: its heading (sizes, or why skipped) and its basis.
pub(super) fn ansatz_blocks(b: &mut Vec<Block>, a: &AnsatzResult) {
    let head = ansatz_name(&a.kind);
    if let Some(why) = &a.skipped {
        b.push(Block::Heading(format!(
            "{head}: skipped ({})",
            skip_text(why)
        )));
        return;
    }
    b.push(Block::Heading(format!(
        "{head}: {} unknowns, {} equations in {} blocks, rank {}, {} conserved",
        a.unknowns,
        a.equations,
        a.blocks,
        a.rank,
        a.basis.len()
    )));
    if a.basis.is_empty() {
        b.push(Block::Item("no conserved quantity of this shape".into()));
    }
    for q in &a.basis {
        b.push(Block::Item(quantity_item(q)));
    }
}

/// The linear symmetries and their quadratic invariants.
pub(super) fn symmetry_blocks(b: &mut Vec<Block>, s: &LinearSymmetries) {
    if let Some(why) = &s.skipped {
        b.push(Block::Heading(format!(
            "Linear symmetries (Prop 3.36): skipped ({})",
            skip_text(why)
        )));
        return;
    }
    b.push(Block::Heading(format!(
        "Linear symmetries (Prop 3.36): {} symmetric generators; Lie algebra of all linear symmetries has dimension {}",
        s.symmetric_dim, s.lie_algebra_dim
    )));
    for g in &s.generators {
        b.push(Block::Item(format!(
            "x^T A x = {}  [{}]",
            g.invariant.display,
            g.invariant.verified.label()
        )));
    }
}

/// The count of laws, its method, and a hint when laws are missing (`r`: the report whose
/// ansätze the hint is about).
pub(super) fn completeness_blocks(
    b: &mut Vec<Block>,
    r: Option<&DiscoveryReport>,
    c: &Completeness,
) {
    if let Some(why) = &c.skipped {
        b.push(Block::Heading(format!(
            "Completeness: skipped ({})",
            skip_text(why)
        )));
        return;
    }
    b.push(Block::Heading(format!(
        "Completeness: {} [{}]",
        law_count_text(&c.summary),
        c.status.label()
    )));
    let method = c.method.as_ref().map_or(String::new(), count_method_text);
    b.push(Block::Field("method".into(), method));
    if c.missing > 0 {
        if let Some(hint) = r.and_then(missing_hint) {
            b.push(Block::Item(hint));
        }
    }
}

/// Which flags could find the missing laws (the ansätze not tried), if any.
fn missing_hint(r: &DiscoveryReport) -> Option<String> {
    let tried = |f: fn(&AnsatzKind) -> bool| r.ansatz.iter().any(|a| f(&a.kind));
    let mut hints = Vec::new();
    if !tried(|k| matches!(k, AnsatzKind::Laurent { .. })) {
        hints.push("--laurent");
    }
    if !tried(|k| matches!(k, AnsatzKind::Exp { .. })) {
        hints.push("--exp");
    }
    (!hints.is_empty()).then(|| {
        format!(
            "laws beyond this ansatz exist: try {} or a higher --degree",
            hints.join(" / ")
        )
    })
}

/// The proposed regularizer with its terms and the quantities left out, or why there is none.
fn proposal_blocks(b: &mut Vec<Block>, d: &DiscoverOutput) {
    let (Some(p), Some(src)) = (&d.proposal, &d.flat_set_source) else {
        b.push(Block::Heading(format!(
            "Proposed regularizer: none ({})",
            d.proposal_note.map(no_proposal_text).unwrap_or_default()
        )));
        return;
    };
    proposal_lines(b, p, &flat_set_source_text(src));
    if let Some(z) = &d.zero_set {
        b.push(Block::Field("zero set on M".into(), zero_set_text(z)));
        if let Some(c) = &z.converse {
            b.push(Block::Field("converse".into(), converse_text(c)));
        }
    }
}

/// The exact converse (`phi = 0` on `M` only at the flat set), in one line.
fn converse_text(c: &ngd_discover::ZeroSetConverse) -> String {
    use ngd_discover::ConverseEvidence as E;
    let claim = "phi = 0 on M only at the flat set";
    match c.evidence {
        E::Proved => format!(
            "{claim} (proved: SOS certificate, degree {}; {} step(s) for E = {}; M = V({}) \
             contains the exact point ({}))",
            c.degree.unwrap_or(0),
            c.steps.len(),
            c.e.as_deref().unwrap_or("?"),
            c.residuals.join(", "),
            c.point_of_m.as_deref().unwrap_or_default().join(", ")
        ),
        E::Inconclusive => format!(
            "{claim}: not proved ({}; {} step(s) proved; nothing is refuted)",
            c.reason
                .as_ref()
                .map(converse_reason_text)
                .unwrap_or_default(),
            c.steps.len()
        ),
        E::NotAttempted => format!(
            "{claim}: not attempted ({})",
            c.reason
                .as_ref()
                .map(converse_reason_text)
                .unwrap_or_default()
        ),
    }
}

/// Why the converse is not proved, in words (with the knob that bounds the search).
fn converse_reason_text(r: &ngd_discover::ConverseReason) -> String {
    use ngd_discover::ConverseReason as R;
    match r {
        R::ShapeNotSupported => "f is neither c h(g) nor least squares".into(),
        R::NotPolynomial { what } => format!("{what} is not a polynomial"),
        R::TooLarge { what, limit } => format!("{what} could exceed {limit} terms (max_terms)"),
        R::NotRationalPoints => "a flat point has no exact rational coordinates".into(),
        R::SeveralFlatSets => "the flat set has several parts".into(),
        R::GridTooLarge { points, limit } => {
            format!("the grid of flat coordinates has {points} points, limit {limit} (max_grid)")
        }
        R::NoPointEquations { max_degree } => format!(
            "no polynomials of degree <= {max_degree} cut out the flat points (max_point_degree)"
        ),
        R::TooManyEquations { equations, limit } => {
            format!("{equations} equations, limit {limit} (max_equations)")
        }
        R::NoExactPointOfM => "no exact point of V(g) shows that it is M".into(),
        R::NoCertificate {
            equation,
            degree,
            last,
            too_large,
        } => {
            let mut s = format!("no SOS certificate that {equation} = 0, up to degree {degree}");
            if let Some(l) = last {
                s.push_str(&format!(" (last search: {})", sos_not_found_text(l)));
            }
            if too_large.is_some() {
                s.push_str(
                    "; the next degree exceeds the Gram basis limit (max_basis_constrained)",
                );
            } else {
                s.push_str(" (max_extra_degree)");
            }
            s
        }
    }
}

/// Why an SOS search stopped, briefly.
fn sos_not_found_text(n: &ngd_sos::NotFound) -> String {
    use ngd_sos::NotFound as N;
    match n {
        N::NotPolynomial => "not a polynomial".into(),
        N::TargetTooLarge => "target too large".into(),
        N::OddDegree => "odd degree".into(),
        N::TooLarge { basis, limit } => format!("basis {basis} > {limit}"),
        N::Inconsistent => "inconsistent equations".into(),
        N::EliminationTooLarge { limit } => format!("elimination over {limit} entries"),
        N::Infeasible => "infeasible".into(),
        N::NegativeMargin { margin } => format!("negative margin {margin:.1e}"),
        N::SolverStopped { status } => format!("solver stopped: {status}"),
        N::RoundingFailed { max_bits, .. } => {
            format!("no exact rounding up to 2^-{max_bits}")
        }
    }
}

/// Why there is no proposal, in words.
fn no_proposal_text(n: crate::discovery::NoProposal) -> &'static str {
    match n {
        crate::discovery::NoProposal::NoFlatSet => {
            "no flat set: C3 found no flat point or flat component and the case gives no \
             [expect] flat_minima"
        }
        crate::discovery::NoProposal::NothingConstantOnFlatSet => {
            "no conserved quantity is constant on the flat set"
        }
    }
}

/// Where the flat set of the proposal came from, in words.
fn flat_set_source_text(s: &crate::discovery::FlatSetSource) -> String {
    use crate::discovery::FlatSetSource as S;
    match s {
        S::ComputedByC3 { points, more } => {
            let mut texts = points.clone();
            if *more > 0 {
                texts.push(format!("and {more} more points"));
            }
            format!("computed by C3: {}", texts.join(", "))
        }
        S::ClaimedByCase => {
            "claimed by the case's [expect] flat_minima (C3 found no isolated flat point)".into()
        }
        S::SampledComponents {
            components,
            dimensions,
            points,
        } => {
            let dims: Vec<String> = dimensions.iter().map(usize::to_string).collect();
            format!(
                "sampled by C3 on {components} flat component(s) of dimension {} ({points} \
                 points, float64)",
                dims.join(", ")
            )
        }
    }
}

/// Where the proposal vanishes on `M`, in words.
fn zero_set_text(z: &crate::discovery::ZeroSetCheck) -> String {
    let verdict = match (z.s_is_flat, z.equals_flat_set) {
        (Some(true), Some(true)) => "phi vanishes on M exactly at the flat set".to_string(),
        (Some(true), _) => "phi vanishes on M only at flat points (on part of the flat set)".into(),
        (Some(false), _) => "phi also vanishes at points of M that are not flat".into(),
        (None, _) => "not decided".into(),
    };
    format!(
        "{verdict}: S = argmin_M phi found by C3 with this phi and compared with the flat \
         set (numerical evidence: a part of the zero set that C3's samples miss is possible)"
    )
}

/// The lines of a proposal.
fn proposal_lines(b: &mut Vec<Block>, p: &Proposal, src: &str) {
    b.push(Block::Heading(format!(
        "Proposed regularizer (flat set: {src})"
    )));
    b.push(Block::Math(p.regularizer_line.clone()));
    b.push(Block::Field("rule".into(), proposal_rule_text(&p.rule)));
    for t in &p.terms {
        b.push(Block::Item(format!(
            "{} = {} on the flat set",
            t.psi_display, t.value_on_flat_set
        )));
    }
    for e in &p.excluded {
        b.push(Block::Item(format!(
            "left out {}: {}",
            e.psi_display,
            exclusion_text(&e.reason)
        )));
    }
    if let Some(v) = &p.vanishing {
        beyond::vanishing_blocks(b, v);
    }
    for v in &p.equation_sets {
        beyond::equation_set_blocks(b, v);
    }
}
