//! The LaTeX outputs on every shipped case: `discover`'s derivation (wrapped in the report's
//! preamble) and the report's `--format latex`. Each must pass a syntax check (balanced braces,
//! `$` and environments, only macros of LaTeX and `amsmath` from a whitelist, no `\texttt`
//! around math) and, when `pdflatex` is on the PATH, compile with `\documentclass{article}` and
//! `amsmath` alone.

use ngd_report::render::{self, render, Format};
use ngd_report::{case_report, discovery};
use std::path::PathBuf;
use std::process::Command;

/// The preamble the `discover` fragment is pasted into: nothing but `amsmath`.
const FRAGMENT_PREAMBLE: &str = "\\documentclass{article}\n\\usepackage{amsmath}\n";

/// Every command the outputs may use: LaTeX's kernel and `amsmath` (no other package).
const KNOWN_COMMANDS: &[&str] = &[
    // document structure and text
    "documentclass",
    "usepackage",
    "newtheorem",
    "begin",
    "end",
    "section",
    "subsection",
    "paragraph",
    "item",
    "textbf",
    "texttt",
    "emph",
    "text",
    "noindent",
    "quad",
    "qquad",
    "textbackslash",
    "textasciicircum",
    "textasciitilde",
    "textless",
    "textgreater",
    "textbar",
    "ldots",
    "dots",
    "cdots",
    // math
    "frac",
    "sqrt",
    "left",
    "right",
    "langle",
    "rangle",
    "nabla",
    "cdot",
    "times",
    "le",
    "leq",
    "ge",
    "geq",
    "neq",
    "in",
    "cup",
    "propto",
    "top",
    "dot",
    "bar",
    "log",
    "exp",
    "max",
    "min",
    "dim",
    "operatorname",
    "mathrm",
    "mathcal",
    "char",
    "to",
    // Greek
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
    "sum",
];

/// Control symbols (a backslash and one non-letter) LaTeX defines.
const KNOWN_SYMBOLS: &str = "\\{}$&#_%,;!| []";

/// Environments of LaTeX and `amsmath` the outputs may open.
const KNOWN_ENVIRONMENTS: &[&str] = &[
    "document", "itemize", "verbatim", "align*", "pmatrix", "lemma", "quote",
];

fn case_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../cases")
        .join(name)
}

fn shipped_cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(case_path(""))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".case"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    names
}

/// A shipped case with a short harness (the LaTeX is what is tested here).
fn quick_case(name: &str) -> ngd_case::Case {
    let mut case = ngd_case::load_case(&case_path(name).display().to_string()).unwrap();
    case.ngd.starts = 4;
    case.ngd.iterations = 2_000;
    case
}

/// The syntax errors of `tex` (empty when it passes), see the module docs.
fn syntax_errors(tex: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let mut depth = 0i64;
    let mut envs: Vec<String> = Vec::new();
    let mut in_math = false;
    let mut rest = tex;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' => rest = command(rest, &mut envs, &mut errors),
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    errors.push("a '}' closes nothing".into());
                    depth = 0;
                }
            }
            '$' => in_math = !in_math,
            _ => {}
        }
        if envs.last().is_some_and(|e| e == "verbatim") {
            match rest.find("\\end{verbatim}") {
                Some(i) => rest = &rest[i..],
                None => errors.push("verbatim never ends".into()),
            }
        }
    }
    if depth != 0 {
        errors.push(format!("{depth} unclosed '{{'"));
    }
    if in_math {
        errors.push("an odd number of '$'".into());
    }
    if !envs.is_empty() {
        errors.push(format!("environments never closed: {envs:?}"));
    }
    errors.extend(texttt_around_math(tex));
    errors
}

/// Reads the command after a backslash, checks it and tracks `\begin`/`\end`; returns the
/// text after it.
fn command<'a>(rest: &'a str, envs: &mut Vec<String>, errors: &mut Vec<String>) -> &'a str {
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    if name_len == 0 {
        let Some(sym) = rest.chars().next() else {
            errors.push("a backslash ends the text".into());
            return rest;
        };
        if !KNOWN_SYMBOLS.contains(sym) && sym != '\n' {
            errors.push(format!("unknown control symbol \\{sym}"));
        }
        return &rest[sym.len_utf8()..];
    }
    let name = &rest[..name_len];
    let after = &rest[name_len..];
    if !KNOWN_COMMANDS.contains(&name) {
        errors.push(format!("unknown command \\{name}"));
    }
    if name == "begin" || name == "end" {
        let env = after
            .strip_prefix('{')
            .and_then(|a| a.split_once('}'))
            .map(|(e, _)| e.to_string());
        let Some(env) = env else {
            errors.push(format!("\\{name} without an environment"));
            return after;
        };
        if !KNOWN_ENVIRONMENTS.contains(&env.as_str()) {
            errors.push(format!("unknown environment {env}"));
        }
        if name == "begin" {
            envs.push(env.clone());
        } else if envs.pop().as_deref() != Some(env.as_str()) {
            errors.push(format!("\\end{{{env}}} closes another environment"));
        }
        // The braces of the environment name are consumed here.
        return &after[env.len() + 2..];
    }
    after
}

/// `\texttt{...}` whose argument holds math (`$`, `^`, `\frac`, `_{`): formulas must be
/// typeset as math.
fn texttt_around_math(tex: &str) -> Vec<String> {
    let mut errors = Vec::new();
    for (i, _) in tex.match_indices("\\texttt{") {
        let arg = &tex[i + 8..];
        let mut depth = 1;
        let end = arg
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(arg.len(), |(j, _)| j);
        let arg = &arg[..end];
        let unescaped_dollar = arg
            .match_indices('$')
            .any(|(j, _)| !arg[..j].ends_with('\\'));
        if unescaped_dollar || arg.contains("\\frac") || arg.contains("\\^{}") {
            errors.push(format!("math in \\texttt{{{arg}}}"));
        }
    }
    errors
}

/// Whether `pdflatex` runs here.
fn pdflatex_available() -> bool {
    Command::new("pdflatex")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Compiles `tex` with `pdflatex` in a fresh directory; the log's errors on failure.
fn compile(name: &str, tex: &str) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("ngd-latex-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("doc.tex");
    std::fs::write(&file, tex).map_err(|e| e.to_string())?;
    let out = Command::new("pdflatex")
        .args([
            "-halt-on-error",
            "-interaction=nonstopmode",
            "-no-shell-escape",
        ])
        .arg("doc.tex")
        .current_dir(&dir)
        .output()
        .map_err(|e| e.to_string())?;
    let result = if out.status.success() && dir.join("doc.pdf").exists() {
        Ok(())
    } else {
        let log = std::fs::read_to_string(dir.join("doc.log")).unwrap_or_default();
        let errors: Vec<&str> = log
            .lines()
            .skip_while(|l| !l.starts_with('!'))
            .take(12)
            .collect();
        Err(errors.join("\n"))
    };
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Checks every document and, with `pdflatex`, compiles it; fails listing every problem.
fn check_all(docs: &[(String, String)]) {
    let compile_too = pdflatex_available();
    if !compile_too {
        eprintln!("pdflatex not on PATH: syntax check only");
    }
    let mut failures = Vec::new();
    for (name, tex) in docs {
        let errors = syntax_errors(tex);
        if !errors.is_empty() {
            failures.push(format!("{name}: {}", errors.join("; ")));
            continue;
        }
        if compile_too {
            if let Err(log) = compile(name, tex) {
                failures.push(format!("{name}: pdflatex failed:\n{log}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_syntax_check_catches_what_it_must() {
    assert!(syntax_errors("\\begin{align*} x^{2} \\end{align*}").is_empty());
    assert!(!syntax_errors("x^{2").is_empty());
    assert!(!syntax_errors("$x").is_empty());
    assert!(!syntax_errors("\\begin{align*} x").is_empty());
    assert!(!syntax_errors("\\begin{itemize} \\end{align*}").is_empty());
    assert!(!syntax_errors("\\mathbb{R}").is_empty());
    assert!(!syntax_errors("\\texttt{f = g\\^{}2}").is_empty());
    assert!(syntax_errors("\\begin{verbatim}\n\\weird{\n\\end{verbatim}").is_empty());
}

#[test]
fn discover_latex_of_every_shipped_case_compiles_with_amsmath_alone() {
    let mut docs = Vec::new();
    for name in shipped_cases() {
        let mut case = quick_case(&name);
        let out = discovery::discover_case(&mut case, &Default::default(), false).unwrap();
        let body = render::latex_discovery(&case.arena, case.objective, &out);
        assert!(!body.contains("\\texttt"), "{name}: {body}");
        assert!(
            body.contains("\\subsection*{Proposed regularizer}"),
            "{name}"
        );
        let doc = format!("{FRAGMENT_PREAMBLE}\\begin{{document}}\n{body}\\end{{document}}\n");
        docs.push((format!("discover-{name}"), doc));
    }
    check_all(&docs);
}

#[test]
fn report_latex_of_every_shipped_case_compiles_with_amsmath_alone() {
    let mut docs = Vec::new();
    for name in shipped_cases() {
        let mut case = quick_case(&name);
        let limits = case.limits;
        let report = case_report(&mut case, &limits).unwrap();
        let tex = render(&report, Format::Latex);
        assert!(
            tex.starts_with("\\documentclass{article}\n\\usepackage{amsmath}\n"),
            "{name}"
        );
        docs.push((format!("report-{name}"), tex));
    }
    check_all(&docs);
}

/// A case whose C4 cover certifies boxes states their constants as a lemma.
#[test]
fn the_report_states_the_c4_constants_as_a_lemma() {
    let mut case = quick_case("cubic.case");
    let limits = case.limits;
    let report = case_report(&mut case, &limits).unwrap();
    let tex = render(&report, Format::Latex);
    assert!(tex.contains("\\begin{lemma}[C4 constants]"), "{tex}");
    assert!(tex.contains("\\bar a = "), "{tex}");
}
