//! The summary of a report (`--summary`): one row per check, saying what the check found and
//! how well it is established, instead of the full report. Text and Markdown print a table,
//! HTML a page with the certificate's verdict table (same style and badges), JSON the rows as
//! objects, LaTeX one item per row.

use super::*;
use ngd_check::SosLyapunov;
use ngd_critical::Finding;
use ngd_verdict::{Conclusion, Reach};
use serde::Serialize;

/// How well the result of a row is established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowEvidence {
    /// Exact or outward-rounded interval arithmetic.
    Proved,
    /// A witness that can be re-checked.
    Refuted,
    /// Floating-point computation only.
    NumericalEvidence,
    /// Not decided within the limits.
    Inconclusive,
    /// The check did not run (e.g. no regularizer).
    NotChecked,
    /// The verdict: none of the paper's conclusions is established.
    NotReached,
    /// The `[expect]` claims: every one matched.
    Matched,
    /// The `[expect]` claims: one contradicted.
    Failed,
}

impl RowEvidence {
    /// The word of the text table (upper case, as the report's badges).
    pub fn label(self) -> &'static str {
        match self {
            RowEvidence::Proved => "PROVED",
            RowEvidence::Refuted => "REFUTED",
            RowEvidence::NumericalEvidence => "NUMERICAL EVIDENCE",
            RowEvidence::Inconclusive => "INCONCLUSIVE",
            RowEvidence::NotChecked => "NOT CHECKED",
            RowEvidence::NotReached => "NOT REACHED",
            RowEvidence::Matched => "MATCHED",
            RowEvidence::Failed => "FAILED",
        }
    }
}

impl From<Evidence> for RowEvidence {
    fn from(e: Evidence) -> RowEvidence {
        match e {
            Evidence::Proved => RowEvidence::Proved,
            Evidence::Refuted => RowEvidence::Refuted,
            Evidence::NumericalEvidence => RowEvidence::NumericalEvidence,
            Evidence::Inconclusive => RowEvidence::Inconclusive,
            Evidence::NotCheckedYet => RowEvidence::NotChecked,
        }
    }
}

/// One line of the summary.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SummaryRow {
    /// The check, e.g. `C1 conservation`.
    pub check: &'static str,
    /// What it found, in a few words.
    pub result: String,
    /// How well that is established.
    pub evidence: RowEvidence,
}

/// The summary of a report: its rows and the exit status.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// JSON schema version (that of the report).
    pub schema_version: u32,
    /// The ngd-verify version that wrote it.
    pub tool_version: &'static str,
    /// The case title.
    pub title: String,
    /// One row per check, then the harness, the `[expect]` claims and the verdict.
    pub rows: Vec<SummaryRow>,
    /// The process exit status of the report.
    pub exit_status: i32,
}

/// The summary of `r`.
pub fn summary(r: &Report) -> Summary {
    let mut rows = vec![conservation_row(r)];
    if let Some(m) = &r.minima {
        rows.push(minimum_set_row(m));
    }
    if let Some(c) = &r.critical_sets {
        rows.push(critical_row(&c.summary));
    }
    if let Some(m) = &r.minima {
        rows.push(flat_row(m));
    }
    if let Some(d) = &r.decrease {
        // With Q == 0 on M the leading order q of one step decides (degenerate orders).
        let order = decrease_order(r);
        rows.push(decrease_row("C4 near S", "near S", order, d.local));
        rows.push(decrease_row(
            "C4 on M \\ S",
            "on M away from S",
            order,
            d.evidence,
        ));
    }
    if let Some(c) = &r.coercivity {
        rows.push(coercivity_row(c, r.case.regularizer.is_some()));
    }
    if let Some(m) = &r.minima {
        rows.push(strictness_row(m));
    }
    if let Some(h) = &r.harness {
        rows.push(harness_row(h));
    }
    if !r.expectations.is_empty() {
        rows.push(claims_row(&r.expectations));
    }
    rows.push(verdict_row(r));
    Summary {
        schema_version: crate::report::SCHEMA_VERSION,
        tool_version: r.tool_version,
        title: r.case.title.clone(),
        rows,
        exit_status: r.verdict.exit_code,
    }
}

/// Renders the summary of `r` in `format`.
pub fn render_summary(r: &Report, format: Format) -> String {
    let s = summary(r);
    match format {
        Format::Json => {
            let mut out = serde_json::to_string_pretty(&s).expect("summary serializes");
            out.push('\n');
            out
        }
        Format::Text => text_table(&s),
        Format::Markdown => markdown_table(&s),
        Format::Html => super::html_page::summary_page(&title(&s), &s),
        Format::Latex => {
            let mut b = vec![Block::Title(title(&s))];
            for row in &s.rows {
                b.push(Block::Item(format!(
                    "{}: {} - {}",
                    row.check,
                    row.evidence.label(),
                    row.result
                )));
            }
            write_blocks(&b, format)
        }
    }
}

fn title(s: &Summary) -> String {
    format!("ngd-verify {} summary: {}", s.tool_version, s.title)
}

/// Columns `check`, `evidence`, `result`: the status words line up, the free text comes last.
fn text_table(s: &Summary) -> String {
    let check_w = s.rows.iter().map(|r| r.check.len()).max().unwrap_or(0);
    let evidence_w = s
        .rows
        .iter()
        .map(|r| r.evidence.label().len())
        .max()
        .unwrap_or(0);
    let line = |a: &str, b: &str, c: &str| format!("{a:<check_w$}  {b:<evidence_w$}  {c}\n");
    let mut out = format!("{}\n", title(s));
    out.push_str(&line("check", "evidence", "result"));
    for r in &s.rows {
        out.push_str(&line(r.check, r.evidence.label(), &r.result));
    }
    out
}

fn markdown_table(s: &Summary) -> String {
    format!("# {}\n\n{}", title(s), markdown_rows(s))
}

/// The verdict table as Markdown (header and one row per check), `|` escaped in cells.
pub(super) fn markdown_rows(s: &Summary) -> String {
    let cell = |t: &str| t.replace('|', "\\|");
    let mut out = String::from("| check | evidence | result |\n|---|---|---|\n");
    for r in &s.rows {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            cell(r.check),
            r.evidence.label(),
            cell(&r.result)
        ));
    }
    out
}

fn row(check: &'static str, result: String, evidence: RowEvidence) -> SummaryRow {
    SummaryRow {
        check,
        result,
        evidence,
    }
}

fn conservation_row(r: &Report) -> SummaryRow {
    let Some(c) = &r.conservation else {
        return row(
            "C1 conservation",
            "no regularizer".into(),
            RowEvidence::NotChecked,
        );
    };
    let by_sos = c
        .lyapunov
        .as_ref()
        .is_some_and(|l| matches!(l.sos, Some(SosLyapunov::Proved { .. })));
    let what = match (c.evidence, c.conserved) {
        (Evidence::Proved, Evidence::Proved) => "<grad f, grad phi> == 0 (exact)",
        (Evidence::Proved, _) if by_sos => "<grad f, grad phi> >= 0 everywhere (sum of squares)",
        (Evidence::Proved, _) => "<grad f, grad phi> >= 0 on the search box",
        (Evidence::Refuted, _) => "<grad f, grad phi> < 0 at a witness point",
        _ => "<grad f, grad phi> >= 0 not decided",
    };
    row("C1 conservation", what.into(), c.evidence.into())
}

fn minimum_set_row(m: &MinimaReport) -> SummaryRow {
    let c2 = &m.minimum_set;
    let mut what = format!("inf f = {}", c2.infimum.value);
    if let Some(d) = c2.dimension.dimension {
        what.push_str(&format!(", M of dimension {d}"));
    }
    let n = c2.components.count;
    if n > 0 {
        let s = if n == 1 { "" } else { "s" };
        what.push_str(&format!(", {n} component{s} in the box"));
    }
    row("C2 minimum set", what, c2.evidence.into())
}

fn critical_row(s: &ngd_critical::Summary) -> SummaryRow {
    let what = match s.finding {
        Finding::NoneFound => "none found".to_string(),
        Finding::NoneAttracting => "none attracting".to_string(),
        Finding::Undecided => format!("none attracting, {} degenerate undecided", s.undecided),
        Finding::AttractingNumerical | Finding::AttractingProved => {
            format!("{} attracting", s.attracting)
        }
    };
    row("C2 critical sets off M", what, s.evidence.into())
}

fn flat_row(m: &MinimaReport) -> SummaryRow {
    let c3 = &m.flat;
    let found = match (c3.flat_points.len(), flat_set_dimension(m)) {
        (_, Some(d)) => format!("a flat set of dimension {d}"),
        (0, None) => "no flat minimum found".to_string(),
        (1, None) => "1 flat point".to_string(),
        (n, None) => format!("{n} flat points"),
    };
    let s = match c3.regularizer.as_ref().and_then(|g| g.equals_flat_set) {
        Some(true) => "; S = argmin_M phi equals it",
        Some(false) => "; S = argmin_M phi differs from it",
        None => "",
    };
    row("C3 flat minima", format!("{found}{s}"), c3.evidence.into())
}

/// A C4 row: the d-Lyapunov decrease of Prop 2.6 at `place`, established as `e`.
fn decrease_row(check: &'static str, place: &str, order: usize, e: Evidence) -> SummaryRow {
    let what = match (e, order) {
        (Evidence::Proved | Evidence::NumericalEvidence, 2) => {
            format!("phi decreases at second order {place} (d-Lyapunov, Prop 2.6)")
        }
        (Evidence::Proved | Evidence::NumericalEvidence, q) => format!(
            "Q = 0 on M; phi decreases at order {q} for steps starting {place} \
             ({q}-d-Lyapunov, Prop 3.27)"
        ),
        (Evidence::Refuted, _) => format!("an NGD step increases phi {place} (a witness)"),
        (Evidence::Inconclusive | Evidence::NotCheckedYet, 2) => {
            format!("second-order decrease {place} not decided")
        }
        (Evidence::Inconclusive | Evidence::NotCheckedYet, q) => {
            format!("decrease at order {q} {place} not decided")
        }
    };
    row(check, what, e.into())
}

fn coercivity_row(c: &CoercivityReport, with_phi: bool) -> SummaryRow {
    let what = if with_phi { "f + phi" } else { "f" };
    let verdict = match c.verdict {
        CoercivityVerdict::Coercive => "coercive",
        CoercivityVerdict::NotCoercive => "not coercive",
        CoercivityVerdict::Unknown => "coercivity undecided",
    };
    row(
        "C5 coercivity",
        format!("{what} {verdict}"),
        c.evidence.into(),
    )
}

fn strictness_row(m: &MinimaReport) -> SummaryRow {
    match &m.strictness {
        None => row(
            "C6 strictness",
            "no regularizer".into(),
            RowEvidence::NotChecked,
        ),
        Some(c6) => {
            let what = match c6.evidence {
                Evidence::Proved | Evidence::NumericalEvidence => {
                    "strict local minimum of f + phi at S"
                }
                Evidence::Refuted => "not a strict local minimum of f + phi at a point of S",
                Evidence::Inconclusive | Evidence::NotCheckedYet => {
                    "strict local minimum of f + phi at S not decided"
                }
            };
            row("C6 strictness", what.into(), c6.evidence.into())
        }
    }
}

fn harness_row(h: &ngd_sim::HarnessReport) -> SummaryRow {
    let pct = |m: &ngd_sim::MethodSummary| {
        m.fraction_near_flat
            .map_or("n/a".to_string(), |f| format!("{:.1}%", 100.0 * f))
    };
    let gd =
        h.gd.as_ref()
            .map_or(String::new(), |g| format!(", plain GD {}", pct(g)));
    let stopped = if h.interrupted {
        format!(" (INTERRUPTED: {} of {} runs)", h.ngd.runs, h.config.starts)
    } else {
        String::new()
    };
    row(
        "harness",
        format!(
            "NGD near S in {} of {} runs{gd}{stopped}",
            pct(&h.ngd),
            h.ngd.runs
        ),
        RowEvidence::NumericalEvidence,
    )
}

fn claims_row(claims: &[crate::report::ClaimCheck]) -> SummaryRow {
    let count = |s: ClaimStatus| claims.iter().filter(|c| c.status == s).count();
    let (matched, failed, open) = (
        count(ClaimStatus::Matched),
        count(ClaimStatus::Failed),
        count(ClaimStatus::Inconclusive),
    );
    let evidence = if failed > 0 {
        RowEvidence::Failed
    } else if open > 0 {
        RowEvidence::Inconclusive
    } else {
        RowEvidence::Matched
    };
    row(
        "[expect] claims",
        format!("{matched} matched, {failed} failed, {open} undecided"),
        evidence,
    )
}

/// Thm 2.9's conclusion with the order `q` of the decrease: a `q`-d-Lyapunov `phi` gives
/// asymptotic `q`-d-stability (order 2 is the paper's plain d-stability of Prop 2.6).
/// `for_whom` is inserted before the reference (" for NGD" in the verdict section).
pub(super) fn local_conclusion(r: &Report, for_whom: &str) -> String {
    match decrease_order(r) {
        2 => format!("S is locally asymptotically d-stable{for_whom} (Thm 2.9)"),
        q => format!("S is locally asymptotically {q}-d-stable{for_whom} (Thm 2.9, order {q})"),
    }
}

/// The order of C4's decrease: the leading order `q` when `Q == 0` on `M`, else 2.
pub(super) fn decrease_order(r: &Report) -> usize {
    r.decrease
        .as_ref()
        .and_then(|d| d.degenerate.as_ref())
        .and_then(|g| g.order)
        .unwrap_or(2)
}

fn verdict_row(r: &Report) -> SummaryRow {
    let t = &r.verdict.table;
    let conclusion = match (&t.conclusion, r.minima.is_some()) {
        (_, false) => "only C1 was run (check-identity)",
        (Conclusion::Global, _) => "S attracts NGD from almost every start (Thm 2.10 / 3.32)",
        (Conclusion::GlobalRestricted { .. }, _) => {
            "S attracts NGD outside the basins of critical sets off M (Thm 2.10 / 3.32)"
        }
        (Conclusion::Local, _) => &local_conclusion(r, ""),
        (Conclusion::None, _) => "no conclusion of the paper is established",
    };
    let evidence = match t.conclusion_reach() {
        _ if r.minima.is_none() => conservation_row(r).evidence,
        Reach::Proved => RowEvidence::Proved,
        Reach::NumericalEvidence => RowEvidence::NumericalEvidence,
        Reach::NotReached => RowEvidence::NotReached,
    };
    let status = &r.verdict.table.status;
    // A failing or inconclusive exit names its reason in the row itself: the row's evidence
    // is the conclusion's, which a contradicted claim does not lower.
    let why = if r.verdict.exit_code == 0 {
        String::new()
    } else {
        format!(" ({})", super::verdict::status_reasons(status).join("; "))
    };
    row(
        "verdict",
        format!("{conclusion}; exit status {}{why}", r.verdict.exit_code),
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xy_report() -> Report {
        let mut case = ngd_case::parse_case(
            "xy.case",
            "title = \"xy | test\"\nvariables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\n\
             regularizer = \"(x^2 - y^2)^2\"\n[ngd]\nstarts = 4\niterations = 2000\n\
             [expect]\nconserved = true\n",
        )
        .expect("the case parses");
        let limits = case.limits;
        crate::case_report(&mut case, &limits).expect("the report runs")
    }

    #[test]
    fn one_row_per_check_then_harness_claims_and_verdict() {
        let r = xy_report();
        let s = summary(&r);
        let checks: Vec<&str> = s.rows.iter().map(|r| r.check).collect();
        assert_eq!(
            checks,
            [
                "C1 conservation",
                "C2 minimum set",
                "C2 critical sets off M",
                "C3 flat minima",
                "C4 near S",
                "C4 on M \\ S",
                "C5 coercivity",
                "C6 strictness",
                "harness",
                "[expect] claims",
                "verdict"
            ]
        );
        assert_eq!(s.rows[0].evidence, RowEvidence::Proved);
        assert_eq!(s.rows[9].evidence, RowEvidence::Matched);
        assert_eq!(s.exit_status, r.verdict.exit_code);
        assert!(s.rows[10]
            .result
            .ends_with(&format!("exit status {}", r.verdict.exit_code)));
    }

    #[test]
    fn text_lines_up_and_markdown_and_json_hold_the_rows() {
        let r = xy_report();
        let text = render_summary(&r, Format::Text);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 + summary(&r).rows.len());
        let column = lines[1].find("evidence").expect("a header");
        for l in &lines[2..] {
            assert!(
                l[column..].starts_with(|c: char| c.is_ascii_uppercase()),
                "{l}"
            );
        }
        let md = render_summary(&r, Format::Markdown);
        assert!(md.starts_with("# ngd-verify"), "{md}");
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| C")).collect();
        assert_eq!(rows.len(), 8, "{md}");
        for l in rows {
            assert_eq!(l.replace("\\|", "").matches('|').count(), 4, "{l}");
        }
        let json: serde_json::Value =
            serde_json::from_str(&render_summary(&r, Format::Json)).expect("JSON");
        assert_eq!(json["rows"][0]["evidence"], "proved");
        assert_eq!(json["title"], "xy | test");
    }

    /// The HTML summary is a page with one table row per summary row (check, evidence badge
    /// coloured as in the certificate, result), escaped, and well-formed XML.
    #[test]
    fn html_is_a_table_with_a_badge_per_row() {
        let r = xy_report();
        let s = summary(&r);
        let page = render_summary(&r, Format::Html);
        assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
        let doc =
            roxmltree::Document::parse(&page[page.find("<html").unwrap()..]).expect("well-formed");
        let table = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("verdict"))
            .expect("the verdict table");
        let rows: Vec<_> = table
            .descendants()
            .filter(|n| n.has_tag_name("tr"))
            .skip(1)
            .collect();
        assert_eq!(rows.len(), s.rows.len());
        for (tr, want) in rows.iter().zip(&s.rows) {
            let cells: Vec<String> = tr
                .children()
                .filter(|n| n.is_element())
                .map(|c| {
                    c.descendants()
                        .filter(|d| d.is_text())
                        .filter_map(|d| d.text())
                        .collect()
                })
                .collect();
            assert_eq!(
                cells,
                [want.check, want.evidence.label(), want.result.as_str()]
            );
            let badge = tr
                .descendants()
                .find(|n| {
                    n.attribute("class")
                        .is_some_and(|c| c.starts_with("badge "))
                })
                .expect("a badge");
            let class = super::super::html_page::evidence_class(want.evidence);
            assert_eq!(
                badge.attribute("class"),
                Some(format!("badge {class}").as_str())
            );
        }
        let title: String = doc
            .descendants()
            .find(|n| n.has_tag_name("h1"))
            .unwrap()
            .descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect();
        assert!(title.ends_with("xy | test"), "{title}");
    }
}
