//! The HTML certificate (`--format html`): one self-contained page (inline CSS and SVG, no
//! network, no executable script) with the verdict table first, the case and its key
//! identity, the figures inline, one collapsible `<details>` section per check (the same
//! blocks as every other format), and the JSON report embedded for machines in
//! `<script type="application/json" id="report-json">`.
//!
//! The markup is also well-formed XML (every element closed, `<meta/>` self-closed, no named
//! entities), so the page can be checked by an XML parser and read by XML tools.

use super::blocks::{html_escape, lemma_html, Block};
use super::summary::{summary, RowEvidence, Summary};
use crate::report::Report;
use ngd_case::Case;
use ngd_check::Evidence;

/// The certificate page of `report` with `figures` inline: each figure its file stem (as
/// `ngd_plot::figures` names it: `trajectories`, `values`, ...) and its SVG text, or the
/// reason it was not drawn (listed on the page). With no figures the page has no figure
/// section. Every text of the report is escaped; the ids inside each SVG are prefixed with
/// its stem, so several figures on one page cannot capture each other's references.
pub fn html_certificate(report: &Report, figures: &[(&str, Result<String, String>)]) -> String {
    let blocks = super::blocks(report);
    let (preamble, sections) = split_sections(&blocks);
    let title = preamble
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("ngd-verify certificate");
    let mut page = head(title);
    page.push_str(&format!("<h1>{}</h1>\n", html_escape(title)));
    let rows = summary(report);
    page.push_str(&verdict_table(&rows));
    page.push_str(&case_section(preamble, report));
    page.push_str(&figure_section(figures));
    let claims_failed = rows.rows.iter().any(|r| r.evidence == RowEvidence::Failed);
    for section in &sections {
        page.push_str(&check_section(section, claims_failed));
    }
    page.push_str(&embedded_json(report));
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

/// The summary page (`--summary --format html`): the same head, style and verdict table as
/// the certificate, alone, under `title`.
pub(super) fn summary_page(title: &str, s: &Summary) -> String {
    let mut page = head(title);
    page.push_str(&format!("<h1>{}</h1>\n", html_escape(title)));
    page.push_str(&verdict_table(s));
    page.push_str(&format!(
        "<p class=\"note\">Exit status {}. The full report: the same command without \
         <code>--summary</code>.</p>\n</main>\n</body>\n</html>\n",
        s.exit_status
    ));
    page
}

/// The certificate page of `report` with the figures of `case`, the case it was built from
/// (what `ngd-verify CASE --format html` writes). The figures along the runs are drawn only
/// when the report recorded the trajectories (`harness::Overrides { record: true, .. }`);
/// otherwise the page lists them as not drawn, with the reason.
pub fn case_certificate(case: &mut Case, report: &Report) -> String {
    let data = crate::figures::report_figures(case, report);
    html_certificate(report, &ngd_plot::figures(&data))
}

/// One check's section: its heading and the blocks up to the next heading.
struct Section<'a> {
    heading: &'a str,
    body: &'a [Block],
}

/// The blocks before the first heading (title and case fields) and the sections after it.
fn split_sections(blocks: &[Block]) -> (&[Block], Vec<Section<'_>>) {
    let starts: Vec<(usize, &str)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Heading(h) => Some((i, h.as_str())),
            _ => None,
        })
        .collect();
    let preamble = &blocks[..starts.first().map_or(blocks.len(), |s| s.0)];
    let sections = starts
        .iter()
        .enumerate()
        .map(|(k, &(start, heading))| Section {
            heading,
            body: &blocks[start + 1..starts.get(k + 1).map_or(blocks.len(), |s| s.0)],
        })
        .collect();
    (preamble, sections)
}

/// The document head (title, inline style) and the opening of the body.
fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n<main>\n",
        html_escape(title)
    )
}

/// The status table (check, evidence, result), one row per check, coloured by evidence.
fn verdict_table(s: &Summary) -> String {
    let mut t = String::from(
        "<table id=\"verdict\" class=\"verdict\">\n<caption>Verdict: one row per check</caption>\n\
         <thead><tr><th scope=\"col\">check</th><th scope=\"col\">evidence</th>\
         <th scope=\"col\">result</th></tr></thead>\n<tbody>\n",
    );
    for row in &s.rows {
        t.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td><span class=\"badge {}\">{}</span></td><td>{}</td></tr>\n",
            html_escape(row.check),
            evidence_class(row.evidence),
            row.evidence.label(),
            html_escape(&row.result)
        ));
    }
    t.push_str("</tbody>\n</table>\n");
    t
}

/// The CSS class of an evidence badge (its colour).
pub(super) fn evidence_class(e: RowEvidence) -> &'static str {
    match e {
        RowEvidence::Proved | RowEvidence::Matched => "good",
        RowEvidence::Refuted | RowEvidence::Failed | RowEvidence::NotReached => "bad",
        RowEvidence::NumericalEvidence => "numerical",
        RowEvidence::Inconclusive | RowEvidence::NotChecked => "open",
    }
}

/// The case: its fields (source, variables, `f`, `phi`, search box) and C1's identity.
fn case_section(preamble: &[Block], report: &Report) -> String {
    let body: Vec<&Block> = preamble
        .iter()
        .filter(|b| !matches!(b, Block::Title(_)))
        .collect();
    let mut s = String::from("<section id=\"case\" class=\"case\">\n<h2>Case</h2>\n");
    s.push_str(&blocks_html(body.into_iter()));
    if let Some(identity) = identity_math(report) {
        s.push_str(&identity);
    }
    s.push_str("</section>\n");
    s
}

/// C1's key identity in MathML, with how it is established; `None` when C1 did not run or
/// decided nothing (the C1 section says why).
fn identity_math(report: &Report) -> Option<String> {
    let c1 = report.conservation.as_ref()?;
    let (relation, status) = match (c1.evidence, c1.conserved) {
        (Evidence::Proved, Evidence::Proved) => ("=", "proved exactly"),
        (Evidence::Proved, _) => ("&#x2265;", "proved"),
        (Evidence::Refuted, _) => ("&lt;", "at a witness point (refuted)"),
        _ => return None,
    };
    Some(format!(
        "<p class=\"identity\"><math display=\"block\" xmlns=\"http://www.w3.org/1998/Math/MathML\">\
         <mrow><mo>&#x27E8;</mo><mo>&#x2207;</mo><mi>f</mi><mo>,</mo><mo>&#x2207;</mo>\
         <mi>&#x3C6;</mi><mo>&#x27E9;</mo><mo>{relation}</mo><mn>0</mn></mrow></math>\
         <span class=\"identity-status\">C1: {status}</span></p>\n"
    ))
}

/// The figures, open by default; a figure that could not be drawn is listed with the reason.
fn figure_section(figures: &[(&str, Result<String, String>)]) -> String {
    if figures.is_empty() {
        return String::new();
    }
    let mut s =
        String::from("<details id=\"figures\" open=\"open\">\n<summary>Figures</summary>\n");
    for (stem, figure) in figures {
        let drawn = figure.as_ref().map_err(String::as_str).and_then(|svg| {
            svg.find("<svg")
                .map(|start| &svg[start..])
                .ok_or("the figure is not an SVG document")
        });
        match drawn {
            Ok(svg) => s.push_str(&format!(
                "<figure id=\"figure-{0}\">\n{1}<figcaption>{2}</figcaption>\n</figure>\n",
                html_escape(stem),
                prefix_ids(svg, &format!("{stem}-")),
                html_escape(figure_caption(stem))
            )),
            Err(reason) => s.push_str(&format!(
                "<p class=\"skipped\">{}: not drawn: {}</p>\n",
                html_escape(figure_caption(stem)),
                html_escape(reason)
            )),
        }
    }
    s.push_str("</details>\n");
    s
}

/// What a figure shows, by its file stem (the stem itself for one not known here).
fn figure_caption(stem: &str) -> &str {
    match stem {
        "trajectories" => "The plane: level sets of f, the minimum set M, S and the NGD runs",
        "values" => "f and phi along the NGD runs",
        "distance" => "Distance to the flat set along the NGD runs",
        "ngd_vs_gd" => "NGD against plain gradient descent",
        "q_along_m" => "Q along each branch of M, with the certified boxes",
        other => other,
    }
}

/// `svg` with every id, and every reference to one (`url(#id)`, `href="#id"`), prefixed by
/// `prefix`: ids must be unique in the page, and each figure numbers its own from scratch.
fn prefix_ids(svg: &str, prefix: &str) -> String {
    const MARKERS: [&str; 3] = ["id=\"", "url(#", "href=\"#"];
    let mut out = String::with_capacity(svg.len() + 64);
    let mut rest = svg;
    while let Some((at, marker)) = MARKERS
        .iter()
        .filter_map(|m| next_marker(rest, m).map(|at| (at, *m)))
        .min()
    {
        let end = at + marker.len();
        out.push_str(&rest[..end]);
        out.push_str(prefix);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The first position of `marker` in `s` that starts a reference: `id="` only as a whole
/// attribute name (after white space, not the end of `grid="` or `data-id="`).
fn next_marker(s: &str, marker: &str) -> Option<usize> {
    s.match_indices(marker)
        .map(|(at, _)| at)
        .find(|&at| marker != "id=\"" || s[..at].ends_with(|c: char| c.is_ascii_whitespace()))
}

/// One check's section, collapsed except what a reader must see first: the verdict, a
/// check that found a counterexample (`REFUTED` in its heading) and, when a claim of
/// `[expect]` failed, the expectations.
fn check_section(section: &Section, claims_failed: bool) -> String {
    let h = section.heading;
    let opened =
        h.starts_with("Verdict") || h.contains("REFUTED") || (claims_failed && h == "Expectations");
    let open = if opened { " open=\"open\"" } else { "" };
    format!(
        "<details class=\"check\"{open}>\n<summary>{}</summary>\n{}</details>\n",
        html_escape(section.heading),
        blocks_html(section.body.iter())
    )
}

/// The blocks of a section body: fields and items as list entries (values as code), math
/// lines as preformatted text, lemmas as paragraphs, blank lines closing the open list.
fn blocks_html<'a>(blocks: impl Iterator<Item = &'a Block>) -> String {
    let mut s = String::new();
    let mut open: Option<&str> = None;
    let mut switch = |s: &mut String, want: Option<&'static str>| {
        if open != want {
            if let Some(tag) = open.take() {
                s.push_str(&format!("</{tag}>\n"));
            }
            if let Some(tag) = want {
                s.push_str(&format!("<{tag}>\n"));
            }
            open = want;
        }
    };
    for b in blocks {
        match b {
            Block::Title(t) | Block::Heading(t) => {
                switch(&mut s, None);
                s.push_str(&format!("<h3>{}</h3>\n", html_escape(t)));
            }
            Block::Field(k, v) => {
                switch(&mut s, Some("ul"));
                s.push_str(&format!(
                    "<li><b>{}</b>: <code>{}</code></li>\n",
                    html_escape(k),
                    html_escape(v)
                ));
            }
            Block::Item(i) => {
                switch(&mut s, Some("ul"));
                s.push_str(&format!("<li>{}</li>\n", html_escape(i)));
            }
            Block::Math(m) => {
                switch(&mut s, Some("pre"));
                s.push_str(&html_escape(m));
                s.push('\n');
            }
            Block::Blank => switch(&mut s, None),
            Block::Lemma(l) => {
                switch(&mut s, None);
                s.push_str(&lemma_html(l));
            }
        }
    }
    switch(&mut s, None);
    s
}

/// The report's JSON in a data block. `<`, `>` and `&` occur in JSON only inside strings,
/// where their `\u` escapes mean the same: so no string can end the element (`</script>`) or
/// open a comment, and the block is also valid XML text.
fn embedded_json(report: &Report) -> String {
    let json = serde_json::to_string(report)
        .expect("report serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!(
        "<p class=\"note\">The complete report is embedded in this page as JSON \
         (the element <code>script#report-json</code>, the schema of <code>--format json</code>).</p>\n\
         <script type=\"application/json\" id=\"report-json\">{json}</script>\n"
    )
}

/// The page's only styling (inline: the file must stand alone).
const PAGE_STYLE: &str = "\
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.45}\
main{max-width:72rem;margin:1.5rem auto;padding:0 1rem}\
h1{font-size:1.5rem;margin:.5rem 0 1rem}\
h2{font-size:1.2rem;border-bottom:1px solid #ccc}\
code,pre{font-family:ui-monospace,monospace;font-size:.9em}\
code{overflow-wrap:anywhere}\
pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}\
table.verdict{border-collapse:collapse;width:100%;margin-bottom:1.5rem}\
table.verdict caption{text-align:left;font-weight:600;padding:.3rem 0}\
table.verdict th,table.verdict td{border:1px solid #d0d0d0;padding:.35rem .6rem;text-align:left;vertical-align:top}\
table.verdict thead th{background:#eef0f3}\
table.verdict tbody th{white-space:nowrap;font-weight:600}\
.badge{display:inline-block;padding:.05rem .45rem;border-radius:.25rem;font-size:.8rem;font-weight:700;white-space:nowrap}\
.badge.good{background:#d8f0dc;color:#14532d}\
.badge.bad{background:#fbd9d9;color:#7f1d1d}\
.badge.numerical{background:#fdf0c7;color:#713f12}\
.badge.open{background:#e5e7eb;color:#374151}\
.identity{display:flex;align-items:center;gap:1rem}\
.identity math{font-size:1.3rem}\
details{border:1px solid #d0d0d0;border-radius:.3rem;margin:.6rem 0;padding:.2rem .8rem}\
details>summary{cursor:pointer;font-weight:600;padding:.3rem 0}\
figure{margin:1rem 0}\
figure svg{max-width:100%;height:auto;display:block}\
figcaption{font-size:.9rem;color:#444}\
.lemma{border-left:3px solid #9ca3af;padding:.2rem .8rem;background:#f8f8f8}\
.skipped,.note{font-size:.9rem;color:#555}";

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::sync::OnceLock;

    /// A title that would run a script if it reached the page unescaped.
    const HOSTILE_TITLE: &str = "</script><script>alert(1)</script> & <b>x</b>";

    /// The figures of `ngd_plot::figures`: stem, SVG or why not drawn.
    type Figures = Vec<(&'static str, Result<String, String>)>;

    /// The report of a small case with a hostile title, and its figures.
    fn fixture() -> &'static (Report, Figures) {
        static FIXTURE: OnceLock<(Report, Figures)> = OnceLock::new();
        FIXTURE.get_or_init(|| {
            let mut case = ngd_case::parse_case(
                "xy.case",
                &format!(
                    "title = '''{HOSTILE_TITLE}'''\nvariables = [\"x\", \"y\"]\n\
                     objective = \"(x*y - 1)^2\"\nregularizer = \"(x^2 - y^2)^2\"\n\
                     [ngd]\nstarts = 4\niterations = 2000\n[expect]\nconserved = true\n"
                ),
            )
            .expect("the case parses");
            let limits = case.limits;
            // The figures along the runs need the trajectories.
            let overrides = crate::harness::Overrides {
                record: true,
                ..Default::default()
            };
            let report =
                crate::case_report_with(&mut case, &limits, &overrides).expect("the report runs");
            let data = crate::figures::report_figures(&mut case, &report);
            let figures = ngd_plot::figures(&data);
            (report, figures)
        })
    }

    fn parse(page: &str) -> roxmltree::Document<'_> {
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        roxmltree::Document::parse_with_options(page, options)
            .unwrap_or_else(|e| panic!("the page is not well-formed: {e}\n{page}"))
    }

    fn element<'a, 'i>(doc: &'a roxmltree::Document<'i>, tag: &str) -> roxmltree::Node<'a, 'i> {
        doc.descendants()
            .find(|n| n.has_tag_name(tag))
            .unwrap_or_else(|| panic!("no <{tag}>"))
    }

    #[test]
    fn the_page_is_well_formed_and_the_verdict_table_comes_first_after_the_title() {
        let (report, figures) = fixture();
        let page = html_certificate(report, figures);
        let doc = parse(&page);
        let main = element(&doc, "main");
        let children: Vec<_> = main.children().filter(|n| n.is_element()).collect();
        assert_eq!(children[0].tag_name().name(), "h1");
        assert_eq!(children[0].text(), Some(report_title(report).as_str()));
        assert_eq!(children[1].tag_name().name(), "table");
        assert_eq!(children[1].attribute("id"), Some("verdict"));
        let rows = children[1]
            .descendants()
            .filter(|n| n.has_tag_name("tr"))
            .count();
        assert_eq!(
            rows,
            1 + summary(report).rows.len(),
            "header and one per check"
        );
        let first = children[1]
            .descendants()
            .find(|n| n.has_tag_name("tbody"))
            .and_then(|b| b.descendants().find(|n| n.has_tag_name("th")))
            .and_then(|th| th.text());
        assert_eq!(first, Some("C1 conservation"));
    }

    fn report_title(report: &Report) -> String {
        format!(
            "ngd-verify {} certificate: {}",
            report.tool_version, report.case.title
        )
    }

    #[test]
    fn every_check_section_is_a_details_element_with_its_heading() {
        let (report, figures) = fixture();
        let doc_text = html_certificate(report, figures);
        let doc = parse(&doc_text);
        let headings: Vec<String> = super::super::blocks(report)
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) => Some(h.clone()),
                _ => None,
            })
            .collect();
        let summaries: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("details") && n.attribute("class") == Some("check"))
            .map(|d| {
                let first = d.first_element_child().expect("a summary");
                assert_eq!(first.tag_name().name(), "summary");
                first.text().unwrap_or("")
            })
            .collect();
        assert!(headings.len() >= 7, "{headings:?}");
        assert_eq!(summaries, headings);
        assert!(headings.iter().any(|h| h.starts_with("C4 ")));
    }

    #[test]
    fn the_embedded_json_parses_back_to_the_report() {
        let (report, figures) = fixture();
        let page = html_certificate(report, figures);
        let doc = parse(&page);
        let script = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("report-json"))
            .expect("the JSON block");
        assert_eq!(script.attribute("type"), Some("application/json"));
        let parsed: serde_json::Value =
            serde_json::from_str(script.text().expect("JSON text")).expect("valid JSON");
        assert_eq!(parsed, serde_json::to_value(report).expect("serializes"));
        assert_eq!(parsed["case"]["title"], HOSTILE_TITLE);
    }

    #[test]
    fn hostile_titles_and_expressions_are_escaped_everywhere() {
        let (report, figures) = fixture();
        let mut report = report.clone();
        report.case.objective = "x </pre></details><script>alert(2)</script> & y".into();
        let page = html_certificate(&report, figures);
        parse(&page);
        // The only script element is the JSON block, and nothing else closes it.
        assert_eq!(page.matches("<script").count(), 1, "{page}");
        assert_eq!(page.matches("</script").count(), 1, "{page}");
        assert_eq!(
            page.matches("<details").count(),
            page.matches("</details>").count()
        );
        assert!(
            page.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;")
        );
        assert!(page.contains("x &lt;/pre&gt;&lt;/details&gt;&lt;script&gt;alert(2)"));
        assert!(!page.contains("<b>x</b>"));
    }

    #[test]
    fn figures_are_inline_with_unique_ids_and_resolved_references() {
        let (report, figures) = fixture();
        // Every figure drawn: those along the runs number their clip paths alike (`clip-0`),
        // so the ids below are unique only through the prefixes.
        let stems: Vec<&str> = figures.iter().map(|f| f.0).collect();
        assert_eq!(
            stems,
            [
                "trajectories",
                "values",
                "distance",
                "ngd_vs_gd",
                "q_along_m"
            ]
        );
        assert!(figures.iter().all(|f| f.1.is_ok()), "every figure drawn");
        let page = html_certificate(report, figures);
        let doc = parse(&page);
        let svgs = doc.descendants().filter(|n| n.has_tag_name("svg")).count();
        assert_eq!(svgs, figures.iter().filter(|f| f.1.is_ok()).count());
        let mut ids = BTreeSet::new();
        for id in doc.descendants().filter_map(|n| n.attribute("id")) {
            assert!(ids.insert(id), "the id {id} occurs twice");
        }
        for (at, _) in page.match_indices("url(#") {
            let target = &page[at + 5..];
            let target = &target[..target.find(')').expect("closed")];
            assert!(ids.contains(target), "url(#{target}) has no element");
        }
        assert!(ids.contains("figures") && ids.contains("figure-trajectories"));
    }

    #[test]
    fn a_figure_not_drawn_is_listed_with_its_reason_and_no_figures_means_no_section() {
        let (report, _) = fixture();
        let page = html_certificate(report, &[("ngd_vs_gd", Err("no GD <baseline>".into()))]);
        parse(&page);
        assert!(
            page.contains("NGD against plain gradient descent: not drawn: no GD &lt;baseline&gt;")
        );
        let plain = html_certificate(report, &[]);
        assert!(!plain.contains("id=\"figures\""));
        assert_eq!(
            plain,
            super::super::render(report, super::super::Format::Html)
        );
    }

    #[test]
    fn ids_and_references_are_prefixed_but_other_attributes_are_not() {
        let svg = "<svg grid=\"a\" data-id=\"b\"><clipPath id=\"c\"/><g clip-path=\"url(#c)\"/>\
                   <use href=\"#c\"/></svg>";
        assert_eq!(
            prefix_ids(svg, "p-"),
            "<svg grid=\"a\" data-id=\"b\"><clipPath id=\"p-c\"/><g clip-path=\"url(#p-c)\"/>\
             <use href=\"#p-c\"/></svg>"
        );
    }

    #[test]
    fn c1_identity_is_mathml_with_its_status() {
        let (report, _) = fixture();
        let page = html_certificate(report, &[]);
        let doc = parse(&page);
        let math = element(&doc, "math");
        let relation: Vec<&str> = math
            .descendants()
            .filter(|n| n.has_tag_name("mo"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            relation,
            ["\u{27E8}", "\u{2207}", ",", "\u{2207}", "\u{27E9}", "="]
        );
        assert!(page.contains("C1: proved exactly"));
    }
}
