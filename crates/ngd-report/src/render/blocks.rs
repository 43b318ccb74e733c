//! The format-neutral report: a list of blocks (title, headings, fields, items, math lines),
//! and one writer per format (text, Markdown, LaTeX, HTML), so every format says the same.

/// One unit of the report; every section renderer produces these.
pub(super) enum Block {
    /// The report's title (once, first).
    Title(String),
    /// A section heading (one per check).
    Heading(String),
    /// A named value; an empty value introduces the math lines that follow.
    Field(String, String),
    /// A bullet.
    Item(String),
    /// A formula line, printed verbatim.
    Math(String),
    /// A paragraph break.
    Blank,
    /// A statement with its constants (C4's decrease bound): plain text for the plain
    /// formats, LaTeX for the LaTeX report.
    Lemma(Lemma),
}

/// A statement ready to cite: its name, its text in words and its LaTeX (text mode, math
/// delimited; `amsmath` macros only).
pub(super) struct Lemma {
    /// E.g. `C4 constants`.
    pub name: String,
    /// The statement in plain text.
    pub text: String,
    /// The statement in LaTeX.
    pub tex: String,
}

/// The blocks in `format` (every format but JSON, which the callers serialize themselves).
pub(super) fn write_blocks(blocks: &[Block], format: super::Format) -> String {
    match format {
        super::Format::Text | super::Format::Json => to_text(blocks),
        super::Format::Markdown => to_markdown(blocks),
        super::Format::Latex => to_latex(blocks),
        super::Format::Html => to_html(blocks),
    }
}

/// Plain text: fields indented, math lines indented further.
pub(super) fn to_text(blocks: &[Block]) -> String {
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
            // The text and Markdown reports state the same constants in C4's fields already;
            // the lemma is for the documents a proof is written in (LaTeX, HTML).
            Block::Lemma(_) => {}
        }
    }
    s
}

/// Plain text wrapped to `width` columns: the layout of [`to_text`], every line broken at
/// spaces with a hanging indent (fields and items continue two columns in, math lines four).
pub(super) fn to_text_wrapped(blocks: &[Block], width: usize) -> String {
    use super::text_layout::wrap;
    let mut s = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => {
                let title = wrap(t, width, "", "");
                let longest = title.lines().map(|l| l.chars().count()).max();
                s.push_str(&title);
                s.push_str(&"=".repeat(longest.unwrap_or(0)));
                s.push('\n');
            }
            Block::Heading(h) => s.push_str(&wrap(h, width, "", "    ")),
            Block::Field(k, v) => s.push_str(&wrap(v, width, &format!("  {k}: "), "      ")),
            Block::Item(i) => s.push_str(&wrap(i, width, "  - ", "    ")),
            Block::Math(m) => s.push_str(&wrap(m, width, "      ", "          ")),
            Block::Blank => s.push('\n'),
            Block::Lemma(_) => {}
        }
    }
    s
}

/// Markdown: fields as list items with code spans, math lines as a code block.
pub(super) fn to_markdown(blocks: &[Block]) -> String {
    to_markdown_wrapped(blocks, usize::MAX)
}

/// Markdown with the list items wrapped to `width` columns (continuation lines indented
/// two columns, so they stay in their item); code blocks are left verbatim.
pub(super) fn to_markdown_wrapped(blocks: &[Block], width: usize) -> String {
    use super::text_layout::wrap;
    let item = |s: &mut String, first: &str, text: &str| {
        if width == usize::MAX {
            s.push_str(first);
            s.push_str(text);
            s.push('\n');
        } else {
            s.push_str(&wrap(text, width, first, "  "));
        }
    };
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
            Block::Field(k, v) => item(&mut s, &format!("- **{k}**: "), &format!("`{v}`")),
            Block::Item(i) => item(&mut s, "- ", i),
            Block::Math(m) => {
                if !in_math {
                    s.push_str("\n```\n");
                    in_math = true;
                }
                s.push_str(m);
                s.push('\n');
            }
            Block::Blank => s.push('\n'),
            Block::Lemma(_) => {}
        }
    }
    if in_math {
        s.push_str("```\n");
    }
    s
}

/// Closes the open container (a LaTeX environment, an HTML element) and opens `want`, unless
/// `want` is already open; `None` closes without opening.
fn switch_container(
    s: &mut String,
    open: &mut Option<&'static str>,
    want: Option<&'static str>,
    begin: impl Fn(&str) -> String,
    end: impl Fn(&str) -> String,
) {
    if *open == want {
        return;
    }
    if let Some(name) = open.take() {
        s.push_str(&end(name));
    }
    if let Some(name) = want {
        s.push_str(&begin(name));
        *open = Some(name);
    }
}

/// The preamble of the LaTeX report: `article` and `amsmath` only, so it compiles on a bare
/// TeX installation and its parts paste into any paper.
pub(super) const LATEX_PREAMBLE: &str =
    "\\documentclass{article}\n\\usepackage{amsmath}\n\\newtheorem{lemma}{Lemma}\n";

/// LaTeX: a standalone `article` needing `amsmath` only (sections, itemized fields, formulas
/// verbatim); every text is escaped, so no input can inject commands.
pub(super) fn to_latex(blocks: &[Block]) -> String {
    to_latex_with(blocks, |_, _| None)
}

/// LaTeX as [`to_latex`], a field's value set in math mode where `math_field(name, value)`
/// gives its LaTeX (math mode content, without delimiters) and in `\texttt` otherwise.
pub(super) fn to_latex_with(
    blocks: &[Block],
    math_field: impl Fn(&str, &str) -> Option<String>,
) -> String {
    let mut s = format!("{LATEX_PREAMBLE}\\begin{{document}}\n");
    let mut open: Option<&'static str> = None;
    let close = |s: &mut String, open: &mut Option<&'static str>, want| {
        switch_container(
            s,
            open,
            want,
            |e| format!("\\begin{{{e}}}\n"),
            |e| format!("\\end{{{e}}}\n"),
        )
    };
    for b in blocks {
        match b {
            Block::Title(t) => {
                close(&mut s, &mut open, None);
                s.push_str(&format!("\\section*{{{}}}\n", tex_escape(t)));
            }
            Block::Heading(h) => {
                close(&mut s, &mut open, None);
                s.push_str(&format!("\\subsection*{{{}}}\n", tex_escape(h)));
            }
            Block::Field(k, v) => {
                close(&mut s, &mut open, Some("itemize"));
                let value = if v.is_empty() {
                    String::new()
                } else if let Some(math) = math_field(k, v) {
                    format!(" ${math}$")
                } else {
                    format!(" \\texttt{{{}}}", tex_escape(v))
                };
                s.push_str(&format!("\\item \\textbf{{{}}}:{value}\n", tex_escape(k)));
            }
            Block::Item(i) => {
                close(&mut s, &mut open, Some("itemize"));
                s.push_str(&format!("\\item {}\n", tex_escape(i)));
            }
            Block::Math(m) => {
                close(&mut s, &mut open, Some("verbatim"));
                // verbatim ends only at this exact string: break it if a formula contains it.
                s.push_str(&m.replace("\\end{verbatim}", "\\end {verbatim}"));
                s.push('\n');
            }
            Block::Blank => close(&mut s, &mut open, None),
            Block::Lemma(l) => {
                close(&mut s, &mut open, None);
                s.push_str(&format!(
                    "\\begin{{lemma}}[{}]\n{}\n\\end{{lemma}}\n",
                    tex_escape(&l.name),
                    l.tex
                ));
            }
        }
    }
    close(&mut s, &mut open, None);
    s.push_str("\\end{document}\n");
    s
}

/// Escapes the ten characters LaTeX treats specially in running text, and `<`, `>`, `|`, which
/// the default (OT1) font encoding would print as other glyphs.
pub(super) fn tex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\textbackslash{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '|' => out.push_str("\\textbar{}"),
            '{' | '}' | '$' | '&' | '#' | '_' | '%' => {
                out.push('\\');
                out.push(ch);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            _ => out.push(ch),
        }
    }
    out
}

/// HTML: one self-contained page (inline CSS, no scripts, no network); every text is escaped.
pub(super) fn to_html(blocks: &[Block]) -> String {
    let title = blocks.iter().find_map(|b| match b {
        Block::Title(t) => Some(t.as_str()),
        _ => None,
    });
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body>\n",
        html_escape(title.unwrap_or("ngd-verify report"))
    );
    let mut open: Option<&'static str> = None;
    let switch = |s: &mut String, open: &mut Option<&'static str>, want| {
        switch_container(
            s,
            open,
            want,
            |t| format!("<{t}>\n"),
            |t| format!("</{t}>\n"),
        )
    };
    for b in blocks {
        match b {
            Block::Title(t) => {
                switch(&mut s, &mut open, None);
                s.push_str(&format!("<h1>{}</h1>\n", html_escape(t)));
            }
            Block::Heading(h) => {
                switch(&mut s, &mut open, None);
                s.push_str(&format!("<h2>{}</h2>\n", html_escape(h)));
            }
            Block::Field(k, v) => {
                switch(&mut s, &mut open, Some("ul"));
                s.push_str(&format!(
                    "<li><b>{}</b>: <code>{}</code></li>\n",
                    html_escape(k),
                    html_escape(v)
                ));
            }
            Block::Item(i) => {
                switch(&mut s, &mut open, Some("ul"));
                s.push_str(&format!("<li>{}</li>\n", html_escape(i)));
            }
            Block::Math(m) => {
                switch(&mut s, &mut open, Some("pre"));
                s.push_str(&html_escape(m));
                s.push('\n');
            }
            Block::Blank => switch(&mut s, &mut open, None),
            Block::Lemma(l) => {
                switch(&mut s, &mut open, None);
                s.push_str(&lemma_html(l));
            }
        }
    }
    switch(&mut s, &mut open, None);
    s.push_str("</body>\n</html>\n");
    s
}

/// A lemma as an HTML paragraph (its plain text, escaped).
pub(super) fn lemma_html(l: &Lemma) -> String {
    format!(
        "<p class=\"lemma\"><b>{}.</b> {}</p>\n",
        html_escape(&l.name),
        html_escape(&l.text)
    )
}

/// The page's only styling (inline: the file must stand alone).
const HTML_STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}code,pre{font-family:ui-monospace,monospace}pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}h2{border-bottom:1px solid #ccc}";

/// Escapes the characters HTML treats specially in text and attribute values.
pub(super) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Block> {
        vec![
            Block::Title("report: f = x^2 & <g>".into()),
            Block::Heading("C1 conservation: PROVED - 100% {exact}".into()),
            Block::Field("grad f".into(), String::new()),
            Block::Math("d/dx: 2*x \\end{verbatim} </pre>".into()),
            Block::Field("identity".into(), "a_1 # b ~ c \\ d $".into()),
            Block::Item("<script>alert(1)</script>".into()),
            Block::Blank,
            Block::Lemma(Lemma {
                name: "C4 constants".into(),
                text: "phi(x - a u) - phi(x) <= -c a^2".into(),
                tex: "$\\varphi(x - a u) - \\varphi(x) \\le -c\\, a^{2}$".into(),
            }),
        ]
    }

    #[test]
    fn a_lemma_is_a_lemma_in_latex_and_html_and_left_to_the_fields_in_text() {
        let b = sample();
        let tex = to_latex(&b);
        assert!(tex.contains("\\newtheorem{lemma}{Lemma}"), "{tex}");
        assert!(
            tex.contains("\\begin{lemma}[C4 constants]\n$\\varphi(x - a u)"),
            "{tex}"
        );
        let html = to_html(&b);
        assert!(html.contains("C4 constants"), "{html}");
        assert!(
            html.contains("- c a^2") || html.contains("-c a^2"),
            "{html}"
        );
        // C4's fields state the same constants in text and Markdown.
        for out in [to_text(&b), to_markdown(&b)] {
            assert!(!out.contains("C4 constants"), "{out}");
        }
    }

    #[test]
    fn latex_escapes_every_special_character_and_balances_environments() {
        let tex = to_latex(&sample());
        assert!(tex.contains("f = x\\textasciicircum{}2 \\& \\textless{}g\\textgreater{}"));
        assert!(tex.starts_with(LATEX_PREAMBLE));
        assert!(tex.contains("100\\% \\{exact\\}"));
        assert!(tex.contains("a\\_1 \\# b \\textasciitilde{} c \\textbackslash{} d \\$"));
        // The formula cannot close the verbatim environment early.
        assert_eq!(tex.matches("\\end{verbatim}").count(), 1);
        for env in ["itemize", "verbatim", "document", "lemma"] {
            assert_eq!(
                tex.matches(&format!("\\begin{{{env}}}")).count(),
                tex.matches(&format!("\\end{{{env}}}")).count(),
                "{env} balanced in\n{tex}"
            );
        }
    }

    #[test]
    fn html_escapes_text_and_closes_every_element() {
        let html = to_html(&sample());
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;/pre&gt;"));
        assert!(html.contains("<title>report: f = x^2 &amp; &lt;g&gt;</title>"));
        for tag in ["ul", "pre", "html", "body"] {
            assert_eq!(
                html.matches(&format!("<{tag}")).count(),
                html.matches(&format!("</{tag}>")).count(),
                "{tag} balanced in\n{html}"
            );
        }
    }

    #[test]
    fn every_format_carries_every_text() {
        let b = sample();
        for out in [to_text(&b), to_markdown(&b), to_latex(&b), to_html(&b)] {
            assert!(out.contains("identity"));
            assert!(out.contains("d/dx: 2*x"));
        }
    }
}
