//! Rendering a [`Report`] as text, Markdown or JSON. The only place that formats.
//!
//! Text and Markdown are produced from one list of blocks so they always say the same.

use crate::report::{point_text, short_decimal, ClaimStatus, DiscoverOutput, Report};
use ngd_check::{Evidence, NonnegOutcome, Witness, WitnessValue};
use ngd_coercive::{CoercivityReport, CoercivityVerdict, EscapeKind};
use ngd_decrease::{DecreaseReport, ExceptionalKind, QSign};
use ngd_discover::{AnsatzKind, ConservedQuantity};
use ngd_minima::{Classification, CriticalPoint, MinimaReport};

/// Output formats of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for a terminal.
    Text,
    /// Markdown, for notes and issues.
    Markdown,
    /// JSON with a stable schema (`schema_version`).
    Json,
}

enum Block {
    Title(String),
    Heading(String),
    Field(String, String),
    Item(String),
    Math(String),
    Blank,
}

/// Renders the report in the chosen format.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(report).expect("report serializes");
            s.push('\n');
            s
        }
        Format::Text => to_text(&blocks(report)),
        Format::Markdown => to_markdown(&blocks(report)),
    }
}

fn badge(e: Evidence) -> String {
    e.label().to_uppercase()
}

fn witness_text(w: &Witness, names: &[String]) -> String {
    let point: Vec<String> = names
        .iter()
        .zip(&w.point)
        .map(|(n, v)| format!("{n} = {v}"))
        .collect();
    let value = match &w.value {
        WitnessValue::Exact { value } => format!("= {value} exactly"),
        WitnessValue::Enclosure { lo, hi } => {
            format!("in [{lo:e}, {hi:e}] (outward-rounded enclosure)")
        }
    };
    let sign = if w.sign < 0 { "negative" } else { "positive" };
    format!(
        "at ({}): <grad f, grad phi> {value}, {sign}",
        point.join(", ")
    )
}

fn blocks(r: &Report) -> Vec<Block> {
    let mut b = Vec::new();
    b.push(Block::Title(format!(
        "ngd-verify {} certificate: {}",
        r.tool_version, r.case.title
    )));
    b.push(Block::Field("source".into(), r.case.source.clone()));
    b.push(Block::Field(
        "variables".into(),
        format!(
            "{} ({} scalar)",
            r.case.variables.join(", "),
            r.case.dimension
        ),
    ));
    b.push(Block::Field("f".into(), r.case.objective.clone()));
    b.push(Block::Field(
        "phi".into(),
        r.case
            .regularizer
            .clone()
            .unwrap_or_else(|| "(none)".into()),
    ));
    b.push(Block::Field(
        "search box".into(),
        box_text(&r.case.search_box),
    ));
    b.push(Block::Blank);

    let names: Vec<String> = r.case.search_box.iter().map(|e| e[0].clone()).collect();
    match &r.conservation {
        None => {
            b.push(Block::Heading(
                "C1 conservation: NOT CHECKED (no regularizer)".into(),
            ));
        }
        Some(c) => {
            let what = match (c.evidence, c.conserved) {
                (Evidence::Proved, Evidence::Proved) => "<grad f, grad phi> == 0 (exact)",
                (Evidence::Proved, _) => {
                    "<grad f, grad phi> >= 0 on the search box (interval proof)"
                }
                (Evidence::Refuted, _) => "<grad f, grad phi> < 0 at a witness point",
                _ => "<grad f, grad phi> >= 0 not decided",
            };
            b.push(Block::Heading(format!(
                "C1 conservation: {} - {what}",
                badge(c.evidence)
            )));
            b.push(Block::Field("structure".into(), c.structure.clone()));
            if let Some(g) = &c.g {
                b.push(Block::Field("g".into(), g.clone()));
            }
            for (i, res) in c.residuals.iter().enumerate() {
                b.push(Block::Field(format!("g_{}", i + 1), res.clone()));
            }
            b.push(Block::Field("grad f".into(), String::new()));
            for (n, e) in names.iter().zip(&c.grad_f) {
                b.push(Block::Math(format!("d/d{n}: {e}")));
            }
            b.push(Block::Field("grad phi".into(), String::new()));
            for (n, e) in names.iter().zip(&c.grad_phi) {
                b.push(Block::Math(format!("d/d{n}: {e}")));
            }
            b.push(Block::Field("identity".into(), c.identity.clone()));
            match (&c.canonical, c.canonical_terms) {
                (Some(s), Some(t)) => b.push(Block::Field(
                    format!("{} (exact canonical form, {t} terms)", c.tested),
                    s.clone(),
                )),
                _ => b.push(Block::Field(
                    c.tested.clone(),
                    format!(
                        "undecided by the exact canonical form: {}",
                        c.undecided_reason.clone().unwrap_or_default()
                    ),
                )),
            }
            b.push(Block::Field(
                "conserved".into(),
                match c.conserved {
                    Evidence::Proved => "yes: PROVED (the canonical form is exactly 0)".into(),
                    Evidence::Refuted => "no: REFUTED".into(),
                    e => format!("{} (canonical form not zero, no witness found)", badge(e)),
                },
            ));
            if let Some(w) = &c.nonzero_witness {
                b.push(Block::Item(format!("witness {}", witness_text(w, &names))));
            }
            if let Some(l) = &c.lyapunov {
                let text = match &l.outcome {
                    NonnegOutcome::Proved { boxes, lower_bound } => format!(
                        "PROVED on the search box: {boxes} boxes, certified lower bound {lower_bound:e}"
                    ),
                    NonnegOutcome::Refuted { witness, boxes } => format!(
                        "REFUTED after {boxes} boxes: phi increases along the flow {}",
                        witness_text(witness, &names)
                    ),
                    NonnegOutcome::Inconclusive {
                        boxes,
                        unresolved,
                        lower_bound,
                        reason,
                    } => format!(
                        "INCONCLUSIVE: {reason}; {boxes} boxes examined, {unresolved} undecided, best lower bound {lower_bound:e}"
                    ),
                };
                b.push(Block::Field("<grad f, grad phi> >= 0".into(), text));
            }
        }
    }
    b.push(Block::Blank);
    if let Some(m) = &r.minima {
        minima_blocks(&mut b, m);
    }
    if let Some(d) = &r.decrease {
        decrease_blocks(&mut b, d, &r.case);
    }
    if let Some(c) = &r.coercivity {
        coercivity_blocks(&mut b, c, r.case.regularizer.is_some());
    }
    if let Some(m) = &r.minima {
        strictness_blocks(&mut b, m);
    }
    if let Some(h) = &r.harness {
        harness_blocks(&mut b, h);
    }
    if !r.expectations.is_empty() {
        b.push(Block::Blank);
        b.push(Block::Heading("Expectations".into()));
        for c in &r.expectations {
            let status = match c.status {
                ClaimStatus::Matched => "matched",
                ClaimStatus::Failed => "FAILED",
                ClaimStatus::Inconclusive => "inconclusive",
            };
            b.push(Block::Item(format!(
                "{} = {}: {status} (found: {})",
                c.claim, c.expected, c.found
            )));
        }
    }
    b.push(Block::Blank);
    b.push(Block::Heading(format!(
        "Verdict (exit status {})",
        r.verdict.exit_code
    )));
    for l in &r.verdict.lines {
        b.push(Block::Item(l.clone()));
    }
    b
}

fn box_text(bx: &[[String; 3]]) -> String {
    // Collapse identical intervals to keep large cases readable.
    if let Some(first) = bx.first() {
        if bx.iter().all(|e| e[1] == first[1] && e[2] == first[2]) && bx.len() > 1 {
            return format!("[{}, {}] in every variable", first[1], first[2]);
        }
    }
    bx.iter()
        .map(|e| format!("{} in [{}, {}]", e[0], e[1], e[2]))
        .collect::<Vec<_>>()
        .join(", ")
}

fn to_text(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => {
                s.push_str(t);
                s.push('\n');
                s.push_str(&"=".repeat(t.chars().count()));
                s.push('\n');
            }
            Block::Heading(h) => {
                s.push_str(h);
                s.push('\n');
            }
            Block::Field(k, v) if v.is_empty() => s.push_str(&format!("  {k}:\n")),
            Block::Field(k, v) => s.push_str(&format!("  {k}: {v}\n")),
            Block::Item(i) => s.push_str(&format!("  - {i}\n")),
            Block::Math(m) => s.push_str(&format!("      {m}\n")),
            Block::Blank => s.push('\n'),
        }
    }
    s
}

fn to_markdown(blocks: &[Block]) -> String {
    let mut s = String::new();
    let mut in_math = false;
    for b in blocks {
        if in_math && !matches!(b, Block::Math(_)) {
            s.push_str("```\n");
            in_math = false;
        }
        match b {
            Block::Title(t) => s.push_str(&format!("# {t}\n\n")),
            Block::Heading(h) => s.push_str(&format!("## {h}\n\n")),
            Block::Field(k, v) if v.is_empty() => s.push_str(&format!("- **{k}**:\n")),
            Block::Field(k, v) => s.push_str(&format!("- **{k}**: `{v}`\n")),
            Block::Item(i) => s.push_str(&format!("- {i}\n")),
            Block::Math(m) => {
                if !in_math {
                    s.push_str("\n```\n");
                    in_math = true;
                }
                s.push_str(m);
                s.push('\n');
            }
            Block::Blank => s.push('\n'),
        }
    }
    if in_math {
        s.push_str("```\n");
    }
    s
}

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
    }
}

fn ansatz_name(k: &AnsatzKind) -> String {
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

fn quantity_item(q: &ConservedQuantity) -> String {
    format!(
        "psi = {}  [{}: {}]",
        q.display,
        q.verified.label(),
        q.verification
    )
}

fn discovery_blocks(d: &DiscoverOutput) -> Vec<Block> {
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
        Block::Field("structure".into(), r.structure.clone()),
        Block::Field("rule".into(), r.field_rule.clone()),
        Block::Field("fields".into(), String::new()),
    ];
    for f in &r.fields {
        b.push(Block::Math(f.clone()));
    }
    b.push(Block::Blank);
    for a in &r.ansatz {
        let head = ansatz_name(&a.kind);
        match &a.skipped {
            Some(why) => b.push(Block::Heading(format!("{head}: skipped ({why})"))),
            None => {
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
        }
    }
    let s = &r.linear_symmetries;
    match &s.skipped {
        Some(why) => b.push(Block::Heading(format!(
            "Linear symmetries (Prop 3.36): skipped ({why})"
        ))),
        None => {
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
    }
    let c = &r.completeness;
    b.push(Block::Blank);
    match &c.skipped {
        Some(why) => b.push(Block::Heading(format!("Completeness: skipped ({why})"))),
        None => {
            b.push(Block::Heading(format!(
                "Completeness: {} [{}]",
                c.summary,
                c.status.label()
            )));
            b.push(Block::Field("method".into(), c.method.clone()));
            let tried = |f: fn(&AnsatzKind) -> bool| r.ansatz.iter().any(|a| f(&a.kind));
            if c.missing > 0 {
                let mut hints = Vec::new();
                if !tried(|k| matches!(k, AnsatzKind::Laurent { .. })) {
                    hints.push("--laurent");
                }
                if !tried(|k| matches!(k, AnsatzKind::Exp { .. })) {
                    hints.push("--exp");
                }
                if !hints.is_empty() {
                    b.push(Block::Item(format!(
                        "laws beyond this ansatz exist: try {} or a higher --degree",
                        hints.join(" / ")
                    )));
                }
            }
        }
    }
    b.push(Block::Blank);
    match (&d.proposal, &d.flat_set_source) {
        (Some(p), Some(src)) => {
            b.push(Block::Heading(format!(
                "Proposed regularizer (flat set: {src})"
            )));
            b.push(Block::Math(p.regularizer_line.clone()));
            b.push(Block::Field("rule".into(), p.rule.clone()));
            for t in &p.terms {
                b.push(Block::Item(format!(
                    "{} = {} on the flat set",
                    t.psi_display, t.value_on_flat_set
                )));
            }
            for e in &p.excluded {
                b.push(Block::Item(format!(
                    "left out {}: {}",
                    e.psi_display, e.reason
                )));
            }
        }
        _ => b.push(Block::Heading(format!(
            "Proposed regularizer: none ({})",
            d.proposal_note.clone().unwrap_or_default()
        ))),
    }
    b
}

fn classification_text(c: Classification) -> &'static str {
    match c {
        Classification::LocalMinimum => "local minimum",
        Classification::LocalMaximum => "local maximum",
        Classification::Saddle => "saddle",
        Classification::DegenerateLocalMinimum => "degenerate local minimum",
        Classification::DegenerateLocalMaximum => "degenerate local maximum",
        Classification::DegenerateNeither => "degenerate: neither minimum nor maximum",
        Classification::DegenerateUndecided => "degenerate: undecided",
    }
}

fn critical_item(c: &CriticalPoint, what: &str) -> String {
    let phi = if c.phi_undefined {
        "; phi undefined there (pole)".to_string()
    } else {
        String::new()
    };
    format!(
        "{}: {what} = {}, {} ({}){phi}",
        point_text(&c.point),
        short_decimal(&c.value, 12),
        classification_text(c.classification),
        c.detail
    )
}

fn fmt_vec(v: &[f64]) -> String {
    let cs: Vec<String> = v.iter().map(|x| format!("{x:.6}")).collect();
    format!("({})", cs.join(", "))
}

fn minima_blocks(b: &mut Vec<Block>, m: &MinimaReport) {
    let c2 = &m.minimum_set;
    b.push(Block::Heading(format!(
        "C2 minimum set: {}",
        badge(c2.evidence)
    )));
    b.push(Block::Field("set".into(), c2.description.clone()));
    let inf = &c2.infimum;
    b.push(Block::Field(
        "inf f".into(),
        format!("{} ({}): {}", inf.value, inf.evidence.label(), inf.method),
    ));
    b.push(Block::Field(
        "lower bound".into(),
        format!(
            "{} ({}): {}",
            c2.lower_bound
                .value
                .clone()
                .unwrap_or_else(|| "none".into()),
            c2.lower_bound.evidence.label(),
            c2.lower_bound.reason
        ),
    ));
    if let Some(p) = &inf.attained_at {
        b.push(Block::Field(
            format!("attained at ({} digits)", p.digits),
            point_text(p),
        ));
    }
    b.push(Block::Field(
        "local dimension".into(),
        match c2.dimension.dimension {
            Some(d) => format!("{d} ({})", c2.dimension.method),
            None => format!("undetermined ({})", c2.dimension.method),
        },
    ));
    b.push(Block::Field(
        "components in the box".into(),
        format!("{} ({})", c2.components.count, c2.components.method),
    ));
    b.push(Block::Field(
        "samples".into(),
        format!(
            "{} drawn, {} projected onto M",
            c2.samples_drawn, c2.samples_on_m
        ),
    ));
    for n in &c2.notes {
        b.push(Block::Item(n.clone()));
    }

    let c3 = &m.flat;
    b.push(Block::Heading(format!(
        "C3 flat minima: {}",
        badge(c3.evidence)
    )));
    b.push(Block::Field("sharpness".into(), c3.sharpness.clone()));
    if let Some(s) = &c3.search {
        b.push(Block::Field(
            "Lagrange search".into(),
            format!(
                "{} starts, {} converged, {} distinct critical points{}",
                s.starts,
                s.converged,
                s.distinct,
                if s.saturated {
                    ""
                } else {
                    " (budget reached: more may exist)"
                }
            ),
        ));
    }
    for c in &c3.critical_points {
        b.push(Block::Item(critical_item(c, "s")));
    }
    if c3.flat_points.is_empty() && c3.flat_sets.is_empty() {
        b.push(Block::Field(
            "flat minima".into(),
            "none found in the box".into(),
        ));
    }
    for p in &c3.flat_points {
        let mut t = point_text(&p.point);
        if p.global {
            t.push_str(" [global]");
        }
        match p.in_s {
            Some(true) => t.push_str(" [in S]"),
            Some(false) => t.push_str(" [not in S]"),
            None => {}
        }
        b.push(Block::Field("flat point".into(), t));
    }
    for fs in &c3.flat_sets {
        let dim = fs.dimension.map_or("?".to_string(), |d| d.to_string());
        let reps: Vec<String> = fs
            .representatives
            .iter()
            .take(2)
            .map(|r| fmt_vec(r))
            .collect();
        b.push(Block::Field(
            format!("flat set ({})", fs.criterion),
            format!(
                "dimension {dim}, {} [{}]; e.g. {}",
                fs.evidence.label(),
                fs.representatives.len(),
                reps.join(", ")
            ),
        ));
    }
    if let Some(mb) = &c3.morse_bott {
        for crit in [&mb.lambda_max, &mb.trace] {
            b.push(Block::Field(
                crit.name.clone(),
                format!(
                    "minimum {:.6} reached by {:.0}% of {} runs; minimizing set of dimension {}",
                    crit.min_value,
                    100.0 * crit.fraction_at_min,
                    crit.runs,
                    crit.argmin_dimension.map_or("?".into(), |d| d.to_string())
                ),
            ));
        }
        for w in &mb.worst_case {
            b.push(Block::Item(format!(
                "m_eps at eps = {:e} ({}, {} points): from {:.9e} to {:.9e}",
                w.eps, w.at, w.points, w.min, w.max
            )));
        }
        for f in &mb.findings {
            b.push(Block::Item(f.clone()));
        }
    }
    if let Some(r) = &c3.regularizer {
        b.push(Block::Field(
            "S = argmin_M phi".into(),
            format!("{} ({})", r.comparison, r.evidence.label()),
        ));
        for c in &r.critical_points {
            b.push(Block::Item(critical_item(c, "phi")));
        }
    }
    for n in &c3.notes {
        b.push(Block::Item(n.clone()));
    }
}

fn strictness_blocks(b: &mut Vec<Block>, m: &MinimaReport) {
    let Some(c6) = &m.strictness else {
        b.push(Block::Heading(
            "C6 strict local minimum of f + phi: NOT CHECKED (no regularizer)".into(),
        ));
        return;
    };
    b.push(Block::Heading(format!(
        "C6 strict local minimum of f + phi: {}",
        badge(c6.evidence)
    )));
    for p in &c6.points {
        let mut t = format!(
            "at {}: Hess(f + phi) positive definite on the box of radius {:e}: {}",
            fmt_vec(&p.point),
            p.box_radius,
            p.hessian_pd.label()
        );
        if let Some(l) = p.min_pivot_lower_bound {
            t.push_str(&format!(" (interval Cholesky, smallest pivot >= {l:.6})"));
        }
        t.push_str(&format!(
            "; the Lagrange point lies in the box: {}",
            p.lagrange_point_in_box.label()
        ));
        if let Some(r) = &p.reason {
            t.push_str(&format!("; {r}"));
        }
        b.push(Block::Item(t));
    }
    for s in &c6.sets {
        b.push(Block::Item(format!(
            "on the {} set: nullity {}, smallest transversal eigenvalue {}, {} ({})",
            s.criterion,
            s.nullity,
            s.min_transversal_eigenvalue
                .map_or("?".into(), |v| format!("{v:.6}")),
            s.evidence.label(),
            s.note
        )));
    }
    for n in &c6.notes {
        b.push(Block::Item(n.clone()));
    }
}

fn sign_counts(c: &ngd_decrease::SignCounts) -> String {
    let parts: Vec<String> = [
        (QSign::Negative, c.negative),
        (QSign::Positive, c.positive),
        (QSign::Zero, c.zero),
        (QSign::Undefined, c.undefined),
        (QSign::NearS, c.near_s),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(s, n)| format!("{} at {n}", s.label()))
    .collect();
    parts.join(", ")
}

fn decrease_blocks(b: &mut Vec<Block>, d: &DecreaseReport, case: &crate::report::CaseSummary) {
    b.push(Block::Heading(format!(
        "C4 second-order decrease (d-Lyapunov, Prop 2.6): near S {}, on M \\ S {}",
        badge(d.local),
        badge(d.evidence)
    )));
    if d.normals.is_empty() {
        for n in &d.notes {
            b.push(Block::Item(n.clone()));
        }
        return;
    }
    b.push(Block::Field("normal directions".into(), d.normals.clone()));
    b.push(Block::Field("Q".into(), d.q_formula.clone()));
    b.push(Block::Field(
        "excluded around S".into(),
        d.exclusion.clone(),
    ));
    b.push(Block::Field("local region".into(), d.local_region.clone()));
    b.push(Block::Field(
        "samples of M".into(),
        format!(
            "{} points{}: {} (numerical evidence)",
            d.samples,
            d.dimension
                .map_or(String::new(), |k| format!(", dimension {k}")),
            sign_counts(&d.counts)
        ),
    ));
    for br in &d.branches {
        let shape = match br.closed {
            Some(true) => "closed",
            Some(false) => "leaves the box at both ends",
            None => "ends at a singular point or could not be traced",
        };
        let segs: Vec<String> = br
            .segments
            .iter()
            .map(|sg| {
                let range = sg.q_range.map_or(String::new(), |(lo, hi)| {
                    format!(", Q in [{lo:.3e}, {hi:.3e}]")
                });
                format!(
                    "{} from {} to {} ({} points{range})",
                    sg.sign.label(),
                    fmt_vec(&sg.from),
                    fmt_vec(&sg.to),
                    sg.points
                )
            })
            .collect();
        b.push(Block::Item(format!(
            "branch {} ({shape}{}): {}",
            br.index,
            if br.contains_s { ", meets S" } else { "" },
            segs.join("; ")
        )));
    }
    for c in &d.components {
        let range = c.q_range.map_or(String::new(), |(lo, hi)| {
            format!("; Q in [{lo:.3e}, {hi:.3e}] outside S")
        });
        b.push(Block::Item(format!(
            "component {} (near {}{}): {}{range}",
            c.index,
            fmt_vec(&c.representative),
            if c.contains_s { ", meets S" } else { "" },
            sign_counts(&c.counts)
        )));
    }
    for e in &d.exceptional {
        let what = match e.kind {
            ExceptionalKind::SignChange => "Q changes sign",
            ExceptionalKind::Pole => "pole of phi",
        };
        b.push(Block::Item(format!(
            "exceptional point on branch {}: {what} at {} ({} -> {}, located to {:.1e})",
            e.branch,
            fmt_vec(&e.point),
            e.between.0.label(),
            e.between.1.label(),
            e.bracket
        )));
    }
    if let Some(c) = &d.certificate {
        let mut text = format!(
            "{}: {} boxes ({} tried)",
            badge(c.evidence),
            c.boxes,
            c.trials
        );
        if let Some(m) = c.min_c {
            text.push_str(&format!(", smallest c = {m:.3e}"));
        }
        if let Some((lo, hi)) = c.radius_range {
            text.push_str(&format!(", half-widths {lo:.2e} to {hi:.2e}"));
        }
        if c.eligible == 0.0 {
            text.push_str(
                "; nothing to cover: no sampled point of M outside the neighbourhood of S has Q < 0",
            );
        } else {
            text.push_str(&format!(
                "; {a}; covered {:.1}% of the {} with Q < 0 outside the neighbourhood of S, {}",
                100.0 * c.fraction,
                c.measure,
                if c.local_eligible == 0.0 {
                    "none of it in the local region".to_string()
                } else {
                    format!("{:.1}% in the local region", 100.0 * c.local_fraction)
                },
                a = c.a_max_rule
            ));
        }
        b.push(Block::Field("certificate".into(), text));
        b.push(Block::Field(
            "first-order term".into(),
            c.first_order.clone(),
        ));
        if let Some(ex) = c.examples.first() {
            let sides: Vec<String> = case
                .search_box
                .iter()
                .zip(ex.lo.iter().zip(&ex.hi))
                .map(|(v, (lo, hi))| format!("{} in [{lo:.9}, {hi:.9}]", v[0]))
                .collect();
            b.push(Block::Field(
                "smallest-c box".into(),
                format!(
                    "{}: phi(x - a u) - phi(x) <= -{:.3e} a^2 for every u in N f(x) and 0 < a <= {:.3e} (proved, outward-rounded intervals)",
                    sides.join(", "),
                    ex.c,
                    ex.a_max
                ),
            ));
        }
        if let Some(st) = &c.stopped {
            b.push(Block::Item(format!("stopped early: {st}")));
        }
        if !c.uncovered.is_empty() {
            let pts: Vec<String> = c.uncovered.iter().map(|p| fmt_vec(p)).collect();
            b.push(Block::Item(format!(
                "not covered (Q < 0 there but no box proved): {}",
                pts.join(", ")
            )));
        }
    }
    if let Some(w) = &d.refutation {
        let point: Vec<String> = case
            .search_box
            .iter()
            .zip(&w.point)
            .map(|(v, x)| format!("{} = {x}", v[0]))
            .collect();
        b.push(Block::Field(
            "refutation".into(),
            format!(
                "one NGD step of size a = {} from x0 = ({}) increases phi: phi(x0) in [{:.12e}, {:.12e}], phi(x0 - a grad f/|grad f|) in [{:.12e}, {:.12e}], increase >= {:.3e} (interval arithmetic at the exact point); x0 is next to the point {} of M where Q = {:.4e}{}",
                w.step,
                point.join(", "),
                w.phi_before.0,
                w.phi_before.1,
                w.phi_after.0,
                w.phi_after.1,
                w.increase_at_least,
                fmt_vec(&w.near),
                w.q_near,
                if w.in_local_region { ", in the local region around S" } else { "" }
            ),
        ));
    }
    if let Some(o) = &d.order {
        let fits: Vec<String> = o
            .fits
            .iter()
            .map(|f| match f.order {
                Some(q) => format!("{q:.3} at {}", fmt_vec(&f.point)),
                None => format!(
                    "no fit at {} (phi did not decrease at every step)",
                    fmt_vec(&f.point)
                ),
            })
            .collect();
        b.push(Block::Field(
            "decrease order".into(),
            format!(
                "q = {} (slope of log(-delta phi) against log a for a = 1e-2 ... 1e-6, MPFR; numerical evidence): {}",
                o.order.map_or("-".into(), |q| format!("{q}")),
                fits.join("; ")
            ),
        ));
        if let Some(w) = &o.warning {
            b.push(Block::Item(format!("WARNING: {w}")));
        }
    }
    for n in &d.notes {
        b.push(Block::Item(n.clone()));
    }
}

fn coercivity_blocks(b: &mut Vec<Block>, c: &CoercivityReport, with_phi: bool) {
    let what = if with_phi { "f + phi" } else { "f" };
    let verdict = match c.verdict {
        CoercivityVerdict::Coercive => "coercive",
        CoercivityVerdict::NotCoercive => "not coercive",
        CoercivityVerdict::Unknown => "undecided",
    };
    b.push(Block::Heading(format!(
        "C5 coercivity of {what}: {} - {verdict}",
        badge(c.evidence)
    )));
    if let Some(a) = &c.argument {
        b.push(Block::Field("argument".into(), a.clone()));
    }
    if let Some(g) = &c.certificate {
        b.push(Block::Field("certificate".into(), g.statement.clone()));
    }
    if let Some(e) = &c.escape {
        let kind = match e.kind {
            EscapeKind::Ray => "ray",
            EscapeKind::Curve => "curve",
        };
        b.push(Block::Field(
            format!("escape ({kind})"),
            format!(
                "x(t) = ({}): {what} = {} -> {} as t -> inf (exact)",
                e.curve.join(", "),
                e.restriction,
                e.limit
            ),
        ));
    }
    for s in &c.spheres {
        b.push(Block::Item(format!(
            "min of {what} on the sphere of radius {:e}: {:.6e} at direction {} (numerical evidence)",
            s.radius,
            s.min_value,
            fmt_vec(&s.direction)
        )));
    }
    b.push(Block::Field(
        "numerical".into(),
        c.numerical_summary.clone(),
    ));
    if let Some(f) = &c.f_alone {
        let v = match f.verdict {
            CoercivityVerdict::Coercive => "coercive",
            CoercivityVerdict::NotCoercive => "not coercive",
            CoercivityVerdict::Unknown => "undecided",
        };
        let how = f
            .escape
            .as_ref()
            .map(|e| format!(": along ({}) f -> {}", e.curve.join(", "), e.limit))
            .or_else(|| f.argument.as_ref().map(|a| format!(": {a}")))
            .unwrap_or_default();
        b.push(Block::Field(
            "f alone".into(),
            format!("{v} ({}){how}", f.evidence.label()),
        ));
    }
}

/// Renders a harness report on its own (`run`, `merge`).
pub fn render_harness(
    h: &ngd_sim::HarnessReport,
    title: &str,
    notes: &[String],
    format: Format,
) -> String {
    if format == Format::Json {
        let mut s = serde_json::to_string_pretty(h).expect("harness report serializes");
        s.push('\n');
        return s;
    }
    let mut b = vec![Block::Title(format!(
        "ngd-verify {} NGD harness: {title}",
        env!("CARGO_PKG_VERSION")
    ))];
    harness_blocks(&mut b, h);
    let (lines, _) = crate::report::harness_lines(
        h,
        crate::report::Attraction::None,
        &ngd_decrease::MinimizerSet::Unknown,
    );
    b.push(Block::Item(lines[0].clone()));
    for n in notes {
        b.push(Block::Item(n.clone()));
    }
    match format {
        Format::Markdown => to_markdown(&b),
        _ => to_text(&b),
    }
}

fn method_blocks(b: &mut Vec<Block>, m: &ngd_sim::MethodSummary) {
    let fr: Vec<String> = m
        .fractions
        .iter()
        .filter(|(_, f)| *f > 0.0)
        .map(|(o, f)| format!("{} {:.1}%", o.name(), 100.0 * f))
        .collect();
    b.push(Block::Field(
        format!("{} ({} runs)", m.method, m.runs),
        format!("{}; step rule: {}", fr.join(", "), m.step_rule),
    ));
    let phi = m
        .median_final_phi
        .map_or(String::new(), |p| format!(", phi {p:.4e}"));
    b.push(Block::Item(format!(
        "median final f {:.4e}{phi}",
        m.median_final_f
    )));
    if let Some(f) = m.fraction_near_flat {
        b.push(Block::Item(format!(
            "within {:e} of the flat set: {:.1}%",
            m.tolerance,
            100.0 * f
        )));
    }
    if m.zero_gradient_events > 0 {
        b.push(Block::Item(format!(
            "grad f == 0 exactly at {} steps in {} runs (normalized subdifferential element taken, never frozen)",
            m.zero_gradient_events, m.runs_with_zero_gradient_events
        )));
    }
    for c in m.clusters.iter().take(5) {
        b.push(Block::Item(format!(
            "cluster {} ({} runs, first run {}): near {}, median f {:.3e}",
            c.outcome.name(),
            c.count,
            c.first_run,
            fmt_vec(&c.representative),
            c.median_f
        )));
    }
}

fn harness_blocks(b: &mut Vec<Block>, h: &ngd_sim::HarnessReport) {
    let c = &h.config;
    b.push(Block::Heading(format!(
        "harness NGD cross-validation: {}",
        badge(Evidence::NumericalEvidence)
    )));
    b.push(Block::Field(
        "schedule".into(),
        format!(
            "a_k = {}/(k+1)^{}, {} steps, {} starts (seed {}), GD baseline step {:e}",
            c.schedule.a0, c.schedule.power, c.iterations, c.starts, c.seed, c.gd_step
        ),
    ));
    let mut drift = format!("sum_k a_k^2 = {:.4}", h.drift.sum_a2);
    if let (Some(q), Some(s)) = (h.drift.q, h.drift.sum_aq) {
        drift.push_str(&format!(", sum_k a_k^{q} = {s:.4}"));
    }
    b.push(Block::Field("drift budget".into(), drift));
    if let Some(w) = &h.drift.warning {
        b.push(Block::Item(format!("WARNING: {w}")));
    }
    b.push(Block::Field(
        "at grad f == 0".into(),
        h.zero_gradient_rule.clone(),
    ));
    if h.flat_set.is_none() {
        b.push(Block::Item(
            "no isolated flat set from C3: distances to S are not measured".into(),
        ));
    }
    method_blocks(b, &h.ngd);
    if let Some(gd) = &h.gd {
        method_blocks(b, gd);
    }
    if let Some(m) = &h.mpfr {
        b.push(Block::Field(
            format!("MPFR tail ({} bits, {} steps)", m.precision_bits, m.tail_steps),
            format!(
                "{} runs compared, {} disagree with float64 (max distance {:.3e}), {} change their near-S verdict",
                m.compared, m.disagree, m.max_distance, m.near_flat_changed
            ),
        ));
    }
}
