//! Rendering a [`Report`] as text, Markdown, LaTeX, HTML or JSON. The only place that formats.
//!
//! Every format but JSON is written from one list of blocks (`blocks`), so they always say
//! the same; JSON is the report itself.

use crate::discovery::DiscoverOutput;
use crate::report::{point_text, short_decimal, ClaimStatus, Report};
use ngd_check::Evidence;
use ngd_coercive::{CoercivityReport, CoercivityVerdict, EscapeKind};
use ngd_decrease::{DecreaseReport, ExceptionalKind, QSign};
use ngd_discover::{AnsatzKind, ConservedQuantity};
use ngd_minima::{Classification, CriticalPoint, MinimaReport};

mod blocks;
mod coercivity;
mod conservation;
mod critical;
mod decrease;
mod discovery;
mod harness;
mod html_page;
mod minima;
mod points;
mod recheck;
mod rounding;
mod sos;
mod strictness;
pub mod summary;
mod text_layout;
mod text_report;
mod verdict;
use blocks::*;
use coercivity::*;
use conservation::*;
use critical::*;
use decrease::*;
pub use discovery::{latex_derivation, latex_discovery, render_discovery};
pub use harness::render_harness;
use harness::*;
pub use html_page::{case_certificate, html_certificate};
pub(crate) use minima::comparison_note_text;
use minima::*;
use points::*;
pub use recheck::render_recheck;
use strictness::*;
pub use text_layout::{TextOptions, DEFAULT_WIDTH, MIN_WIDTH};
pub use text_report::{EXPLAIN_HEADING, EXPLAIN_POINTER};
use verdict::*;

/// Output formats of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// Plain text for a terminal.
    Text,
    /// Markdown, for notes and issues.
    Markdown,
    /// JSON with a stable schema (`schema_version`).
    Json,
    /// A standalone LaTeX document.
    Latex,
    /// One self-contained HTML page: the verdict table first, collapsible sections, inline
    /// CSS and SVG (the figures need the case: [`case_certificate`]), the JSON report embedded
    /// as data; no executable script, no network.
    Html,
}

/// Renders the report in the chosen format, the text and Markdown reports laid out by the
/// default [`TextOptions`] (100 columns, the rules left to `--explain`).
pub fn render(report: &Report, format: Format) -> String {
    render_with(report, format, &TextOptions::default())
}

/// Renders the report in the chosen format; `options` lay out the text and Markdown reports
/// (width, whether the rules are explained) and are ignored by the other formats.
pub fn render_with(report: &Report, format: Format, options: &TextOptions) -> String {
    match format {
        Format::Text | Format::Markdown => text_report::render_readable(report, format, options),
        Format::Latex => blocks::to_latex_with(&blocks(report), |name, value| {
            latex_case_formula(report, name, value)
        }),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(report).expect("report serializes");
            s.push('\n');
            s
        }
        // The figures need the case: callers holding it use `case_certificate`.
        Format::Html => html_certificate(report, &[]),
    }
}

/// The case's `f` and `phi` as LaTeX math (by the expression printer of the discovery
/// report), when `name` is one of them and the text parses in the case's variables; any other
/// field stays text.
fn latex_case_formula(r: &Report, name: &str, value: &str) -> Option<String> {
    let is_formula = match name {
        "f" => value == r.case.objective,
        "phi" => r.case.regularizer.as_deref() == Some(value),
        _ => false,
    };
    if !is_formula {
        return None;
    }
    // Matrix declarations (`X[2,2]`) name their scalar entries, in which f and phi are written.
    let names = ngd_parse::expand_variables(&r.case.variables).ok()?;
    discovery::tex_expr::tex_of_text(&names, value)
}

fn badge(e: Evidence) -> String {
    e.label().to_uppercase()
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

    conservation_blocks(&mut b, r);
    b.push(Block::Blank);
    if let Some(m) = &r.minima {
        minima_blocks(&mut b, m);
    }
    if let Some(c) = &r.critical_sets {
        critical_blocks(&mut b, c);
    }
    if let Some(d) = &r.decrease {
        decrease_blocks(&mut b, d, &r.case, r.minima.as_ref());
    }
    if let Some(c) = &r.coercivity {
        coercivity_blocks(&mut b, c, r.case.regularizer.is_some());
    }
    if let Some(m) = &r.minima {
        strictness_blocks(&mut b, m);
    }
    if let Some(h) = &r.harness {
        harness_blocks(&mut b, h);
        if let Some(d) = r.minima.as_ref().and_then(flat_set_dimension) {
            b.push(Block::Item(flat_set_distance_note(d)));
        }
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
    verdict_blocks(&mut b, r);
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

/// How the harness measures distances to a flat set of dimension `d` > 0.
fn flat_set_distance_note(d: usize) -> String {
    format!(
        "the flat set has a component of dimension {d}: distances are measured to its \
         sampled points or representatives (at most 64 per component) and, where C3 gives its \
         equations, by projection onto it: upper bounds of the distance to the set, so the \
         fractions near it are lower bounds"
    )
}

/// The largest dimension of a flat component of positive dimension, if C3 found one.
fn flat_set_dimension(m: &ngd_minima::MinimaReport) -> Option<usize> {
    let components = m.flat.components.iter().map(|c| c.dimension);
    let morse_bott = m.flat.flat_sets.iter().filter_map(|s| s.dimension);
    components.chain(morse_bott).filter(|&d| d > 0).max()
}
