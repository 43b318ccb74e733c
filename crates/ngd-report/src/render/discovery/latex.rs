//! The LaTeX of `discover`, to paste into a proof: why `<grad g, grad psi> = 0` makes `psi`
//! conserved, each law with the derivation of its identity (laws that are the entries of a
//! matrix such as `X^T X - Y^T Y` stated once in matrix form), the linear symmetries, the count
//! of laws and the proposed regularizer. A fragment without preamble that needs `amsmath` only.

use super::matrix_laws::{matrix_laws, MatrixLaw};
use super::tex_expr::{tex_expr, tex_lines, tex_of_text, tex_rational_text};
use super::text::{exclusion_text, law_count_text};
use super::{converse_text, flat_set_source_text, no_proposal_text, zero_set_text};
use crate::discovery::DiscoverOutput;
use crate::render::blocks::tex_escape;
use ngd_check::{Evidence, ObjectiveShape, Outer};
use ngd_discover::{ConservedQuantity, DiscoveryReport, IdentityTerms, ProposalRule};
use ngd_expr::{Arena, ExprId};

/// Most quantities and identities written out in full.
const MAX_QUANTITIES: usize = 12;
const MAX_GENERATORS: usize = 3;
/// Most residuals listed by formula.
const MAX_RESIDUALS: usize = 8;
/// Longest line of a displayed formula, in characters of LaTeX source, before it breaks.
const LINE_WIDTH: usize = 90;
/// Largest number of variables for which the matrices of the linear symmetries are printed.
const MAX_MATRIX_SIDE: usize = 4;

/// The whole LaTeX of `discover` (see the module docs): `objective` is `f` in `arena`, the
/// arena the discovery and the proposal were computed in.
pub fn latex_discovery(arena: &Arena, objective: ExprId, d: &DiscoverOutput) -> String {
    let report = &d.discovery;
    let mut s = String::from("\\subsection*{Conserved quantities}\n");
    s.push_str("The objective is\n");
    s.push_str(&display_lines(
        "f",
        &tex_lines(arena, objective, LINE_WIDTH),
    ));
    body(&mut s, arena, report);
    proposal(&mut s, arena, d);
    s
}

/// The derivation alone (no `f`, no proposal), for a discovery report without its case: the
/// same text as [`latex_discovery`] between the objective and the proposal.
pub fn latex_derivation(arena: &Arena, report: &DiscoveryReport) -> String {
    let mut s = String::from("\\subsection*{Conserved quantities}\n");
    body(&mut s, arena, report);
    s
}

/// Why the identities suffice, the generators, the laws, the symmetries and the count.
fn body(s: &mut String, arena: &Arena, report: &DiscoveryReport) {
    flow_argument(s, &report.structure);
    generators(s, arena, report);
    if report.piecewise.is_some() {
        piecewise(s, arena, report);
    } else {
        quantities(s, arena, report);
    }
    symmetries(s, report, &proved_laws(report));
    let c = &report.completeness;
    if c.skipped.is_none() {
        s.push_str(&format!(
            "\\paragraph{{Completeness.}} {}. Near a generic point the number of independent \
             conservation laws is $n - \\dim \\operatorname{{Lie}}(V)(x)$ with $n = {}$; the \
             fields and their brackets reach rank {} (bracket depth {}).\n",
            tex_escape(&law_count_text(&c.summary)),
            c.n_vars,
            c.lie_rank,
            c.depth
        ));
    }
}

/// `name &= line_1 \\ &\quad line_2 ...` as an `align*` block ending in a full stop.
fn display_lines(name: &str, lines: &[String]) -> String {
    let mut s = String::from("\\begin{align*}\n");
    for (k, line) in lines.iter().enumerate() {
        if k == 0 {
            s.push_str(&format!("  {name} &= {line}"));
        } else {
            s.push_str(&format!("\\\\\n  &\\quad {line}"));
        }
    }
    s.push_str(".\n\\end{align*}\n");
    s
}

/// The chain rule along the gradient flow, for the recognised shape of `f`: why
/// `<grad g, grad psi> = 0` for every generator `g` makes `psi` conserved.
fn flow_argument(s: &mut String, shape: &ObjectiveShape) {
    let (form, derivative, condition) = match shape {
        ObjectiveShape::Scalar { outer, coeff } => {
            let c = coefficient(coeff);
            let (h, dh) = outer_tex(outer);
            (
                format!("$f = {c}h(g)$ with $h(t) = {h}$"),
                format!("-{c}h'(g)\\,\\langle \\nabla g, \\nabla \\psi \\rangle"),
                format!(
                    "so $\\psi$ is conserved when $\\langle \\nabla g, \\nabla \\psi \\rangle = 0$ \
                     identically ({dh})"
                ),
            )
        }
        ObjectiveShape::LeastSquares { .. } => (
            "$f = \\sum_{i} c_{i}\\, g_{i}^{2} + c_{0}$ (least squares, $c_{i} > 0$)".to_string(),
            "-2 \\sum_{i} c_{i}\\, g_{i}\\, \\langle \\nabla g_{i}, \\nabla \\psi \\rangle"
                .to_string(),
            "so $\\psi$ is conserved when $\\langle \\nabla g_{i}, \\nabla \\psi \\rangle = 0$ \
             identically for every residual $g_{i}$ (then it is conserved for every loss of the \
             residuals)"
                .to_string(),
        ),
        ObjectiveShape::Sum { .. } => (
            "$f = \\sum_{i} c_{i}\\, h_{i}(g_{i}) + c_{0}$ (a sum of losses, $c_{i} > 0$, each \
             $h_{i}$ increasing in $|t|$ with $h_{i}(0) = 0$)"
                .to_string(),
            "-\\sum_{i} c_{i}\\, h_{i}'(g_{i})\\, \\langle \\nabla g_{i}, \\nabla \\psi \\rangle"
                .to_string(),
            "so $\\psi$ is conserved when $\\langle \\nabla g_{i}, \\nabla \\psi \\rangle = 0$ \
             identically for every residual $g_{i}$"
                .to_string(),
        ),
        ObjectiveShape::General => (
            "$g = f$ (no special structure was recognised)".to_string(),
            "-\\langle \\nabla g, \\nabla \\psi \\rangle".to_string(),
            "so $\\psi$ is conserved exactly when $\\langle \\nabla g, \\nabla \\psi \\rangle = 0$ \
             identically"
                .to_string(),
        ),
    };
    s.push_str(&format!(
        "Here {form}. Along the gradient flow $\\dot x = -\\nabla f(x)$,\n\
         \\begin{{align*}}\n  \\frac{{d}}{{dt}}\\,\\psi(x(t)) &= -\\langle \\nabla f, \\nabla \
         \\psi \\rangle = {derivative},\n\\end{{align*}}\n{condition}. Each identity below was \
         re-checked in exact rational arithmetic.\n\n"
    ));
}

/// The constant factor of `f = c h(g)` as a LaTeX prefix (empty for 1).
fn coefficient(coeff: &str) -> String {
    match tex_rational_text(coeff) {
        Some(c) if c == "1" => String::new(),
        Some(c) => format!("{c}\\, "),
        None => format!("\\text{{{}}}\\, ", tex_escape(coeff)),
    }
}

/// `h` and the remark on where `h'(g)` vanishes.
fn outer_tex(outer: &Outer) -> (String, String) {
    match outer {
        Outer::Square => ("t^{2}".into(), "$h'(g) = 2g$ vanishes only on $M$".into()),
        Outer::EvenPower(k) => (
            format!("t^{{{k}}}"),
            format!("$h'(g) = {k} g^{{{}}}$ vanishes only on $M$", k - 1),
        ),
        Outer::Abs => (
            "\\left|t\\right|".into(),
            "off $\\{g = 0\\}$, where $h'(g) = \\operatorname{sign}(g)$".into(),
        ),
        Outer::Increasing { order, .. } => (
            "h(t)".into(),
            format!(
                "$h$ is increasing in $|t|$ with $h(0) = 0$ (proved), of order {order} at $0$, so \
                 $h'(g) \\neq 0$ off $\\{{g = 0\\}}$"
            ),
        ),
    }
}

/// The generators `g` (or the residuals `g_i`) by formula, at most [`MAX_RESIDUALS`].
fn generators(s: &mut String, arena: &Arena, report: &DiscoveryReport) {
    let gs = &report.generators;
    if gs.is_empty() {
        return;
    }
    s.push_str(if gs.len() > 1 {
        "The residuals are\n"
    } else {
        "The generator is\n"
    });
    s.push_str("\\begin{align*}\n");
    let rows: Vec<String> = gs
        .iter()
        .take(MAX_RESIDUALS)
        .enumerate()
        .map(|(j, &g)| format!("  {} &= {}", gen_name(j, gs.len()), tex_expr(arena, g)))
        .collect();
    s.push_str(&rows.join(",\\\\\n"));
    s.push_str(".\n\\end{align*}\n");
    if gs.len() > MAX_RESIDUALS {
        s.push_str(&format!(
            "and {} more residuals of the same form.\n",
            gs.len() - MAX_RESIDUALS
        ));
    }
    s.push('\n');
}

/// `g` for a single generator, `g_{j+1}` otherwise.
fn gen_name(j: usize, count: usize) -> String {
    if count > 1 {
        format!("g_{{{}}}", j + 1)
    } else {
        "g".into()
    }
}

/// A piecewise field: the kink sets and the laws proved on every region (their region by
/// region derivations are in the text report).
fn piecewise(s: &mut String, arena: &Arena, report: &DiscoveryReport) {
    let Some(p) = &report.piecewise else {
        return;
    };
    let names = arena.var_names();
    let kinks: Vec<String> = p
        .kinks
        .iter()
        .map(|k| {
            let u = tex_of_text(names, &k.argument)
                .unwrap_or_else(|| format!("\\text{{{}}}", tex_escape(&k.argument)));
            format!("\\{{{u} = 0\\}}")
        })
        .collect();
    s.push_str(&format!(
        "The field is piecewise, with kink sets ${}$ and {} regions. On each region the \
         generators have a smooth formula, on which each law below was proved exactly; the \
         laws hold off the kink sets.\n\n",
        kinks.join(",\\ "),
        p.regions.len()
    ));
    for (k, q) in p.common.iter().take(MAX_QUANTITIES).enumerate() {
        s.push_str(&format!(
            "\\paragraph{{$\\psi_{{{}}} = {}$.}} Conserved on every region.\n\n",
            k + 1,
            q.latex
        ));
    }
    if p.common.is_empty() {
        s.push_str("No law of the shapes tried holds on every region.\n\n");
    }
}

/// The laws of the ansätze whose identities were proved exactly, numbered `psi_1, ...` in this
/// order.
fn proved_laws(report: &DiscoveryReport) -> Vec<&ConservedQuantity> {
    report
        .ansatz
        .iter()
        .flat_map(|a| a.basis.iter())
        .filter(|q| q.verified == Evidence::Proved)
        .collect()
}

/// The proved laws: matrix families once in matrix form, the others one by one with their
/// identities (at most [`MAX_QUANTITIES`]).
fn quantities(s: &mut String, arena: &Arena, report: &DiscoveryReport) {
    let names = arena.var_names();
    let laws = proved_laws(report);
    if laws.is_empty() {
        s.push_str("No conserved quantity of the shapes tried was found.\n\n");
        return;
    }
    generator_gradients(s, report, laws[0], names);
    let families = matrix_laws(names, &laws);
    let in_family = |i: usize| {
        families
            .iter()
            .any(|m| m.entries.iter().any(|e| e.law == i))
    };
    for (m, letter) in families.iter().zip(family_letters(names)) {
        matrix_family(s, names, report, &laws, m, &letter);
    }
    let single: Vec<usize> = (0..laws.len()).filter(|&i| !in_family(i)).collect();
    for &i in single.iter().take(MAX_QUANTITIES) {
        s.push_str(&format!(
            "\\paragraph{{$\\psi_{{{}}} = {}$.}}\n",
            i + 1,
            laws[i].latex
        ));
        let rows: Vec<IdentityTerms> = (0..report.generator_polys.len().min(MAX_GENERATORS))
            .filter_map(|j| report.identity(j, laws[i], names))
            .collect();
        for (j, t) in rows.iter().enumerate() {
            s.push_str(&identity(
                t,
                &gen_name(j, report.generator_polys.len()),
                j == 0,
            ));
        }
        if report.generator_polys.len() > MAX_GENERATORS {
            s.push_str(&format!(
                "The identities for the other {} residuals were checked exactly in the same \
                 way.\n\n",
                report.generator_polys.len() - MAX_GENERATORS
            ));
        }
    }
    if single.len() > MAX_QUANTITIES {
        s.push_str(&format!(
            "\\noindent {} further quantities were found and verified; they are omitted here.\n\n",
            single.len() - MAX_QUANTITIES
        ));
    }
}

/// The gradients of the generators whose identities are written out (the first
/// [`MAX_GENERATORS`]), once for all laws.
fn generator_gradients(
    s: &mut String,
    report: &DiscoveryReport,
    law: &ConservedQuantity,
    names: &[String],
) {
    let count = report.generator_polys.len();
    let rows: Vec<String> = (0..count.min(MAX_GENERATORS))
        .filter_map(|j| {
            let t = report.identity(j, law, names)?;
            Some(format!("  \\nabla {} &= {}", gen_name(j, count), t.grad_g))
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    s.push_str(match rows.len() {
        1 if count == 1 => "Its gradient is\n",
        1 => "The gradient of the first residual is\n",
        _ => "The gradients of the residuals whose identities are written out are\n",
    });
    s.push_str("\\begin{align*}\n");
    s.push_str(&rows.join(",\\\\\n"));
    s.push_str(".\n\\end{align*}\n");
}

/// Names for the conserved matrices: `C`, `D`, ... unless a variable is named so, then
/// `\mathcal{C}_{k}`.
fn family_letters(names: &[String]) -> impl Iterator<Item = String> + '_ {
    let taken = |l: &str| {
        names
            .iter()
            .any(|n| n == l || n.strip_prefix(l).is_some_and(|r| r.starts_with('[')))
    };
    let free: Vec<String> = ["C", "D", "E", "F", "G", "H", "K", "L"]
        .into_iter()
        .filter(|l| !taken(l))
        .map(String::from)
        .collect();
    free.into_iter()
        .chain((1..).map(|k| format!("\\mathcal{{C}}_{{{k}}}")))
}

/// A family of laws that are the entries of one symmetric matrix `C`: the matrix, which law is
/// which entry, and the identity of the first entry with the first generator as an example.
fn matrix_family(
    s: &mut String,
    names: &[String],
    report: &DiscoveryReport,
    laws: &[&ConservedQuantity],
    m: &MatrixLaw,
    letter: &str,
) {
    let sub = |k: usize, l: usize| {
        if m.size > 9 {
            format!("{letter}_{{{},{}}}", k + 1, l + 1)
        } else {
            format!("{letter}_{{{}{}}}", k + 1, l + 1)
        }
    };
    let entries: Vec<String> = m
        .entries
        .iter()
        .map(|e| {
            let factor = tex_rational_text(&e.ratio.to_string()).unwrap_or_default();
            let factor = if factor == "1" {
                String::new()
            } else {
                format!("{factor}\\, ")
            };
            format!("\\psi_{{{}}} &= {factor}{}", e.law + 1, sub(e.row, e.col))
        })
        .collect();
    s.push_str(&format!(
        "\\paragraph{{A matrix law.}} Let ${letter} = {}$, {kind} ${n} \\times {n}$ \
         matrix. The laws found are its entries {where} the diagonal,\n\
         \\begin{{align*}}\n  {},\n\\end{{align*}}\n\
         so ${letter}$ is conserved along the flow: $\\frac{{d}}{{dt}}\\,{letter}(x(t)) = 0$.\n",
        m.tex,
        entries.join(",\\\\\n  "),
        n = m.size,
        kind = if m.symmetric { "a symmetric" } else { "an antisymmetric" },
        where = if m.symmetric { "on and above" } else { "above" },
    ));
    let Some(first) = m.entries.first() else {
        return;
    };
    let Some(t) = report.identity(0, laws[first.law], names) else {
        return;
    };
    let g = gen_name(0, report.generator_polys.len());
    s.push_str(&format!(
        "For instance, for $\\psi_{{{}}}$ and ${g}$:\n",
        first.law + 1
    ));
    s.push_str(&identity(&t, &g, true));
    let count = report.generator_polys.len();
    let total = m.entries.len() * count;
    let gi = if count > 1 { "g_{i}" } else { "g" };
    if total > 1 {
        s.push_str(&format!(
            "The other {} identities $\\langle \\nabla {gi}, \\nabla {letter}_{{kl}} \\rangle \
             = 0$ were checked in the same way, exactly.\n\n",
            total - 1
        ));
    }
}

/// The `align*` block deriving `<grad g, grad psi> = 0` for the generator named `gname`
/// (with `grad psi` only on the first block of a quantity; `grad g` is stated once, by
/// [`generator_gradients`]).
fn identity(t: &IdentityTerms, gname: &str, with_grad_psi: bool) -> String {
    let mut s = String::from("\\begin{align*}\n");
    let prefix = t.exp_form.as_ref().map(|l| format!("e^{{{l}}}"));
    if with_grad_psi {
        match &prefix {
            Some(e) => s.push_str(&format!("  \\nabla \\psi &= {e} {},\\\\\n", t.grad_psi)),
            None => s.push_str(&format!("  \\nabla \\psi &= {},\\\\\n", t.grad_psi)),
        }
    }
    let wrap = |body: String| match &prefix {
        Some(e) => format!("{e} \\left({body}\\right)"),
        None => body,
    };
    let lhs = format!("\\langle \\nabla {gname}, \\nabla \\psi \\rangle");
    if t.factors.is_empty() {
        s.push_str(&format!("  {lhs} &= 0.\n\\end{{align*}}\n"));
        return s;
    }
    s.push_str(&format!("  {lhs} &= {}\\\\\n", wrap(t.factors.join(" + "))));
    let mut expanded = t.expanded.clone();
    if t.products > ngd_discover::MAX_PRODUCTS {
        expanded.push_str(&format!(
            " + \\cdots \\quad ({} monomial products in all)",
            t.products
        ));
    }
    s.push_str(&format!("  &= {}\\\\\n", wrap(expanded)));
    s.push_str("  &= 0.\n\\end{align*}\n");
    s
}

/// The symmetric linear symmetries with their invariants, when any were found (the matrices
/// only for at most [`MAX_MATRIX_SIDE`] variables; they are in the JSON output).
fn symmetries(s: &mut String, report: &DiscoveryReport, laws: &[&ConservedQuantity]) {
    let ls = &report.linear_symmetries;
    if ls.skipped.is_some() || ls.generators.is_empty() {
        return;
    }
    s.push_str(&format!(
        "\\paragraph{{Linear symmetries.}} If $A$ is symmetric and \
         $\\langle \\nabla g(x), A x\\rangle = 0$ identically, then $g(e^{{tA}}x) = g(x)$ and \
         $x^\\top A x$ is conserved (Prop.~3.36), since \
         $\\langle \\nabla g, \\nabla (x^\\top A x)\\rangle = 2\\langle \\nabla g, A x\\rangle$. \
         The symmetric solutions form a space of dimension {} (the full Lie algebra of \
         linear symmetries has dimension {}); ",
        ls.symmetric_dim, ls.lie_algebra_dim
    ));
    let with_matrix = report.variables.len() <= MAX_MATRIX_SIDE;
    let known: Option<Vec<usize>> = ls
        .generators
        .iter()
        .map(|g| laws.iter().position(|q| q.display == g.invariant.display))
        .collect();
    if let (Some(known), false) = (known, with_matrix) {
        let names: Vec<String> = known
            .iter()
            .map(|i| format!("\\psi_{{{}}}", i + 1))
            .collect();
        s.push_str(&format!(
            "their invariants $x^\\top A x$ are the laws ${}$ above.\n",
            names.join(", ")
        ));
        return;
    }
    s.push_str("their invariants are\n");
    s.push_str("\\begin{align*}\n");
    let rows: Vec<String> = ls
        .generators
        .iter()
        .take(MAX_QUANTITIES)
        .enumerate()
        .map(|(k, g)| {
            let invariant = format!("x^\\top A_{{{}}} x &\\propto {}", k + 1, g.invariant.latex);
            if with_matrix {
                let m: Vec<String> = g.matrix.iter().map(|r| r.join(" & ")).collect();
                format!(
                    "  A_{{{}}} &= \\begin{{pmatrix}} {} \\end{{pmatrix}}, & {invariant}",
                    k + 1,
                    m.join(" \\\\ ")
                )
            } else {
                format!("  {invariant}")
            }
        })
        .collect();
    s.push_str(&rows.join(",\\\\\n"));
    s.push_str(".\n\\end{align*}\n");
}

/// The proposed regularizer `phi` by formula with the laws it is built from and their values
/// on the flat set, or why there is none.
fn proposal(s: &mut String, arena: &Arena, d: &DiscoverOutput) {
    s.push_str("\\subsection*{Proposed regularizer}\n");
    let (Some(p), Some(src)) = (&d.proposal, &d.flat_set_source) else {
        let why = d.proposal_note.map(no_proposal_text).unwrap_or_default();
        s.push_str(&format!("None: {}.\n", tex_escape(why)));
        return;
    };
    let ProposalRule::SumOfSquaredDeviations {
        agreement_bits,
        independent_only,
    } = p.rule;
    s.push_str(&format!(
        "The flat set ({}) is where the regularizer must vanish. Every law that is constant \
         on it (to a relative $2^{{-{agreement_bits}}}$, with a rational common value) enters \
         $\\varphi = \\sum_{{i}} \\left(\\psi_{{i}} - \\psi_{{i}}(S)\\right)^{{2}}${}:\n",
        tex_escape(&flat_set_source_text(src)),
        if independent_only {
            ", keeping only a functionally independent subset"
        } else {
            ""
        }
    ));
    s.push_str(&display_lines(
        "\\varphi",
        &tex_lines(arena, p.phi, LINE_WIDTH),
    ));
    proposal_terms(s, arena, p);
    if let Some(z) = &d.zero_set {
        s.push_str(&format!(
            "\n\\noindent {}.\n",
            tex_escape(&zero_set_text(z))
        ));
        if let Some(c) = &z.converse {
            s.push_str(&format!(
                "\n\\noindent {}.\n",
                tex_escape(&converse_text(c))
            ));
        }
    }
}

/// The laws used with their values on the flat set, and those left out with the reason.
fn proposal_terms(s: &mut String, arena: &Arena, p: &ngd_discover::Proposal) {
    let names = arena.var_names();
    if !p.terms.is_empty() {
        s.push_str("The laws used and their values on the flat set:\n\\begin{align*}\n");
        let rows: Vec<String> = p
            .terms
            .iter()
            .map(|t| {
                let value = tex_rational_text(&t.value_on_flat_set)
                    .unwrap_or_else(|| format!("\\text{{{}}}", tex_escape(&t.value_on_flat_set)));
                format!("  {} &= {value}", tex_expr(arena, t.psi))
            })
            .collect();
        s.push_str(&rows.join(",\\\\\n"));
        s.push_str(".\n\\end{align*}\n");
    }
    if p.excluded.is_empty() {
        return;
    }
    s.push_str("Left out:\n\\begin{itemize}\n");
    for e in &p.excluded {
        let psi = tex_of_text(names, &e.psi_display)
            .map(|t| format!("${t}$"))
            .unwrap_or_else(|| tex_escape(&e.psi_display));
        s.push_str(&format!(
            "\\item {psi}: {}.\n",
            tex_escape(&exclusion_text(&e.reason))
        ));
    }
    s.push_str("\\end{itemize}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_discover::{discover, DiscoverOptions};

    fn derivation(vars: &[&str], f: &str, opts: &DiscoverOptions) -> String {
        let vars: Vec<String> = vars.iter().map(|s| s.to_string()).collect();
        let mut a = Arena::new(vars);
        let e = ngd_parse::parse_expr(&mut a, f, &ngd_parse::Params::new()).unwrap();
        let r = discover(&mut a, e, opts);
        latex_derivation(&a, &r)
    }

    fn degree(d: u32) -> DiscoverOptions {
        DiscoverOptions {
            degree: d,
            ..DiscoverOptions::default()
        }
    }

    #[test]
    fn states_the_flow_argument_the_identity_and_the_count() {
        let t = derivation(&["x", "y"], "(x*y - 1)^2", &degree(2));
        assert!(t.contains("$f = h(g)$ with $h(t) = t^{2}$"), "{t}");
        assert!(!t.contains("\\texttt"), "{t}");
        assert!(t.contains("g &= x y - 1"), "{t}");
        assert!(t.contains("\\psi_{1} = x^{2} - y^{2}"), "{t}");
        assert!(t.contains("\\nabla g &= \\left(y,\\ x\\right)"), "{t}");
        assert!(t.contains("&= 2 x y - 2 x y\\\\"), "{t}");
        assert!(t.contains("Prop.~3.36"), "{t}");
        assert!(t.contains("1 law exists; 1 found (complete)."), "{t}");
    }

    /// The 2x2 factorization: its laws once as `X^T X - Y^T Y`, the proposed `phi`, and far
    /// fewer lines than the 87 of the component-by-component derivation.
    #[test]
    fn matrix_factorization_in_matrix_form_with_the_proposal() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../cases/matfact2.case");
        let mut case = ngd_case::load_case(path).unwrap();
        let out = crate::discovery::discover_case(&mut case, &Default::default(), false).unwrap();
        let t = latex_discovery(&case.arena, case.objective, &out);
        assert!(t.contains("Let $C = X^\\top X - Y^\\top Y$"), "{t}");
        assert!(t.contains("\\psi_{1} &= C_{11}"), "{t}");
        assert!(t.contains("\\psi_{3} &= C_{22}"), "{t}");
        assert!(!t.contains("\\paragraph{$\\psi_{2}"), "{t}");
        assert!(t.lines().count() < 60, "{} lines:\n{t}", t.lines().count());
    }

    /// `xy`: the proposed `phi` by formula, with the law it is built from and its value.
    #[test]
    fn states_the_proposed_regularizer() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../cases/xy.case");
        let mut case = ngd_case::load_case(path).unwrap();
        let out = crate::discovery::discover_case(&mut case, &Default::default(), false).unwrap();
        let t = latex_discovery(&case.arena, case.objective, &out);
        assert!(t.contains("\\subsection*{Proposed regularizer}"), "{t}");
        assert!(t.contains("\\varphi &= "), "{t}");
        assert!(t.contains("x^{2} - y^{2} &= 0"), "{t}");
    }

    #[test]
    fn writes_the_exponential_factor() {
        let t = derivation(&["x", "y"], "(y - x^2)^2", &degree(2));
        assert!(t.contains("x e^{2 y}"), "{t}");
    }
}
