//! The readable text and Markdown reports: the summary table first (one row per check), the
//! sections after it, wrapped to the width asked for; the explanations of the rules that read
//! the same in every report are left to `--explain` (printed once, in a section of their own)
//! and a one-line pointer replaces them otherwise.

use super::blocks::{to_markdown_wrapped, to_text_wrapped, Block};
use super::summary::{summary, Summary};
use super::text_layout::{wrap, TextOptions};
use super::Format;
use crate::report::Report;
use ngd_decrease::DecreaseNote;
use ngd_minima::FlatNote;

/// The one line that stands for the explanations left out.
pub const EXPLAIN_POINTER: &str = "run with --explain for the rules";

/// The heading of the case's fields (source, variables, f, phi, search box).
const CASE_HEADING: &str = "Case";

/// The heading of the section `--explain` adds.
pub const EXPLAIN_HEADING: &str = "Rules (the same in every report)";

/// One explanation: a short name and its text (exactly as the section renderers write it).
struct Rule {
    name: &'static str,
    text: String,
}

/// The explanations a report of `r` may carry, each produced by the function its section
/// uses, so they are recognised by equality, never by guessing.
fn rules(r: &Report) -> Vec<Rule> {
    let mut out = vec![
        Rule {
            name: "phi and the sharpness along M",
            text: super::decrease::note_text(&DecreaseNote::ConservedIdentity),
        },
        Rule {
            name: "flat points inside the box",
            text: super::minima::flat_note_text(&FlatNote::InteriorOnly),
        },
    ];
    if let Some(h) = &r.harness {
        out.push(Rule {
            name: "NGD where grad f == 0",
            text: super::harness::zero_gradient_rule_text(&h.zero_gradient_rule),
        });
    }
    if let Some(d) = r.minima.as_ref().and_then(super::flat_set_dimension) {
        out.push(Rule {
            name: "distances to a flat set of positive dimension",
            text: super::flat_set_distance_note(d),
        });
    }
    out
}

/// `blocks` without the explanations of `rules`, and the explanations taken out (in the order
/// they appeared, each once).
fn take_rules(blocks: Vec<Block>, rules: Vec<Rule>) -> (Vec<Block>, Vec<Rule>) {
    let mut found: Vec<Rule> = Vec::new();
    let mut rules: Vec<Option<Rule>> = rules.into_iter().map(Some).collect();
    let mut kept = Vec::with_capacity(blocks.len());
    for b in blocks {
        let text = match &b {
            Block::Item(t) | Block::Field(_, t) => Some(t.as_str()),
            _ => None,
        };
        let hit = text.and_then(|t| {
            rules
                .iter()
                .position(|r| r.as_ref().is_some_and(|r| r.text == t))
        });
        match hit {
            Some(i) => found.extend(rules[i].take()),
            None if text.is_some_and(|t| found.iter().any(|r| r.text == t)) => {}
            None => kept.push(b),
        }
    }
    (kept, found)
}

/// The text or Markdown report of `r` laid out by `opts`.
pub(super) fn render_readable(r: &Report, format: Format, opts: &TextOptions) -> String {
    let width = opts.effective_width();
    let (mut blocks, found) = take_rules(super::blocks(r), rules(r));
    if !found.is_empty() {
        blocks.push(Block::Blank);
        if opts.explain {
            blocks.push(Block::Heading(EXPLAIN_HEADING.into()));
            for rule in found {
                blocks.push(Block::Field(rule.name.into(), rule.text));
            }
        } else {
            let names: Vec<&str> = found.iter().map(|r| r.name).collect();
            blocks.push(Block::Item(format!(
                "{EXPLAIN_POINTER} ({})",
                names.join("; ")
            )));
        }
    }
    // The title first, then the summary table, then the sections.
    let title: Vec<Block> = match blocks.first() {
        Some(Block::Title(_)) => vec![blocks.remove(0)],
        _ => Vec::new(),
    };
    // The case's fields follow the table: they get a heading of their own.
    if matches!(blocks.first(), Some(Block::Field(..))) {
        blocks.insert(0, Block::Heading(CASE_HEADING.into()));
    }
    let (title, sections) = (&title[..], &blocks[..]);
    let s = summary(r);
    match format {
        Format::Markdown => format!(
            "{}{}\n{}",
            to_markdown_wrapped(title, width),
            super::summary::markdown_rows(&s),
            to_markdown_wrapped(sections, width)
        ),
        _ => format!(
            "{}{}\n{}",
            to_text_wrapped(title, width),
            text_table(&s, width),
            to_text_wrapped(sections, width)
        ),
    }
}

/// The summary as aligned columns `check`, `evidence`, `result`; a result too long for the
/// line continues under its own column.
fn text_table(s: &Summary, width: usize) -> String {
    let check_w = s.rows.iter().map(|r| r.check.chars().count()).max();
    let check_w = check_w.unwrap_or(0).max("check".len());
    let evidence_w = s.rows.iter().map(|r| r.evidence.label().len()).max();
    let evidence_w = evidence_w.unwrap_or(0).max("evidence".len());
    let indent = " ".repeat(check_w + evidence_w + 4);
    let line = |a: &str, b: &str, c: &str| {
        let first = format!("{a:<check_w$}  {b:<evidence_w$}  ");
        wrap(c, width, &first, &indent)
    };
    let mut out = line("check", "evidence", "result");
    for r in &s.rows {
        out.push_str(&line(r.check, r.evidence.label(), &r.result));
    }
    out
}
