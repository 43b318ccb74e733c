//! The LaTeX derivation of the conservation identities, for a paper draft.

use super::text::{law_count_text, shape_text};
use ngd_check::Evidence;
use ngd_discover::{ConservedQuantity, DiscoveryReport, IdentityTerms};
use ngd_expr::Arena;

/// Most quantities and identities written out in full.
const MAX_QUANTITIES: usize = 12;
const MAX_GENERATORS: usize = 3;

/// A LaTeX fragment (no preamble) stating each verified conserved quantity `psi` with the
/// derivation of `<grad g, grad psi> = 0` (gradients, the coordinate products, every monomial
/// product before cancellation), the linear symmetries with their quadratic invariants
/// (Prop 3.36), and the count of conservation laws. At most 12 quantities and, for least
/// squares, 3 residuals per quantity are written out; the text says how many more were
/// checked exactly. Only quantities whose identity was proved by the exact zero test appear.
pub fn latex_derivation(arena: &Arena, report: &DiscoveryReport) -> String {
    let names = arena.var_names().to_vec();
    let mut s = String::new();
    s.push_str("\\subsection*{Conserved quantities}\n");
    s.push_str(&format!(
        "The objective has the shape \\texttt{{{}}}. A function $\\psi$ is conserved along the gradient flow \
         when the identities below hold identically; each one was re-checked in exact rational \
         arithmetic.\n\n",
        tex_escape(&shape_text(&report.structure))
    ));
    if report.piecewise.is_some() {
        piecewise(&mut s, report);
    } else {
        quantities(&mut s, report, &names);
    }
    symmetries(&mut s, report);
    let c = &report.completeness;
    if c.skipped.is_none() {
        s.push_str(&format!(
            "\\paragraph{{Completeness.}} {}. Near a generic point the number of independent \
             conservation laws is $n - \\dim \\mathrm{{Lie}}(V)(x)$ with $n = {}$; the fields and \
             their brackets reach rank {} (bracket depth {}).\n",
            tex_escape(&law_count_text(&c.summary)),
            c.n_vars,
            c.lie_rank,
            c.depth
        ));
    }
    s
}

/// A piecewise field: the kink sets and the laws proved on every region (their region by
/// region derivations are in the text report).
fn piecewise(s: &mut String, report: &DiscoveryReport) {
    let Some(p) = &report.piecewise else {
        return;
    };
    let kinks: Vec<String> = p
        .kinks
        .iter()
        .map(|k| format!("\\{{{} = 0\\}}", tex_escape(&k.argument)))
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

/// Each verified quantity of the ansätze with its identities (at most [`MAX_QUANTITIES`]).
fn quantities(s: &mut String, report: &DiscoveryReport, names: &[String]) {
    let multi = report.generator_polys.len() > 1;
    let quantities: Vec<&ConservedQuantity> = report
        .ansatz
        .iter()
        .flat_map(|a| a.basis.iter())
        .filter(|q| q.verified == Evidence::Proved)
        .collect();
    for (k, q) in quantities.iter().take(MAX_QUANTITIES).enumerate() {
        s.push_str(&format!(
            "\\paragraph{{$\\psi_{{{}}} = {}$.}}\n",
            k + 1,
            q.latex
        ));
        for j in 0..report.generator_polys.len().min(MAX_GENERATORS) {
            let Some(t) = report.identity(j, q, names) else {
                continue;
            };
            let gname = if multi {
                format!("g_{{{}}}", j + 1)
            } else {
                "g".to_string()
            };
            s.push_str(&identity(&t, &gname));
        }
        if report.generator_polys.len() > MAX_GENERATORS {
            s.push_str(&format!(
                "The identities for the remaining {} residuals are analogous and were checked \
                 exactly as well.\n\n",
                report.generator_polys.len() - MAX_GENERATORS
            ));
        }
    }
    if quantities.len() > MAX_QUANTITIES {
        s.push_str(&format!(
            "\\noindent {} further quantities were found and verified; they are omitted here.\n\n",
            quantities.len() - MAX_QUANTITIES
        ));
    }
    if quantities.is_empty() {
        s.push_str("No conserved quantity of the shapes tried was found.\n\n");
    }
}

/// The `align*` block deriving `<grad g, grad psi> = 0` for the generator named `gname`.
fn identity(t: &IdentityTerms, gname: &str) -> String {
    let mut s = String::from("\\begin{align*}\n");
    s.push_str(&format!("  {gname} &= {},\\\\\n", t.g));
    s.push_str(&format!("  \\nabla {gname} &= {},\\\\\n", t.grad_g));
    let prefix = match &t.exp_form {
        Some(l) => {
            s.push_str(&format!(
                "  \\nabla \\psi &= e^{{{l}}} {},\\\\\n",
                t.grad_psi
            ));
            format!("e^{{{l}}}")
        }
        None => {
            s.push_str(&format!("  \\nabla \\psi &= {},\\\\\n", t.grad_psi));
            String::new()
        }
    };
    let wrap = |body: String| -> String {
        if prefix.is_empty() {
            body
        } else {
            format!("{prefix} \\left({body}\\right)")
        }
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

/// The symmetric linear symmetries with their invariants, when any were found.
fn symmetries(s: &mut String, report: &DiscoveryReport) {
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
         linear symmetries has dimension {}):\n",
        ls.symmetric_dim, ls.lie_algebra_dim
    ));
    s.push_str("\\begin{align*}\n");
    let rows: Vec<String> = ls
        .generators
        .iter()
        .take(MAX_QUANTITIES)
        .map(|g| {
            let m: Vec<String> = g.matrix.iter().map(|r| r.join(" & ")).collect();
            format!(
                "  A &= \\begin{{pmatrix}} {} \\end{{pmatrix}}, & x^\\top A x &\\propto {}",
                m.join(" \\\\ "),
                g.invariant.latex
            )
        })
        .collect();
    s.push_str(&rows.join(",\\\\\n"));
    s.push_str(".\n\\end{align*}\n");
}

fn tex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '_' | '%' | '&' | '#' | '$' | '{' | '}' => {
                out.push('\\');
                out.push(ch);
            }
            '^' => out.push_str("\\^{}"),
            '|' => out.push_str("$|$"),
            _ => out.push(ch),
        }
    }
    out
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
    fn states_the_identity_and_the_count() {
        let t = derivation(&["x", "y"], "(x*y - 1)^2", &degree(2));
        assert!(t.contains("\\texttt{f = g\\^{}2}"), "{t}");
        assert!(t.contains("\\psi_{1} = x^{2} - y^{2}"), "{t}");
        assert!(t.contains("\\nabla g &= \\left(y,\\ x\\right)"), "{t}");
        assert!(t.contains("&= 2 x y - 2 x y\\\\"), "{t}");
        assert!(t.contains("Prop.~3.36"), "{t}");
        assert!(t.contains("1 law exists; 1 found (complete)."), "{t}");
    }

    #[test]
    fn writes_the_exponential_factor() {
        let t = derivation(&["x", "y"], "(y - x^2)^2", &degree(2));
        assert!(t.contains("x e^{2 y}"), "{t}");
    }
}
