//! LaTeX derivations of the conservation identities, for a paper draft.

use crate::format::{latex_linear, latex_poly, latex_terms, Term};
use crate::lie::quantity_gradient;
use crate::report::{ConservedQuantity, DiscoveryReport};
use ngd_algebra::Poly;
use ngd_check::Evidence;
use ngd_expr::Arena;
use rug::Rational;

/// Most quantities and identities written out in full.
const MAX_QUANTITIES: usize = 12;
const MAX_GENERATORS: usize = 3;
const MAX_PRODUCTS: usize = 40;

fn vector(parts: &[Poly], names: &[String]) -> String {
    let v: Vec<String> = parts.iter().map(|p| latex_poly(p, names)).collect();
    format!("\\left({}\\right)", v.join(",\\ "))
}

fn paren(s: &str, multi: bool) -> String {
    if multi || s.starts_with('-') {
        format!("\\left({s}\\right)")
    } else {
        s.to_string()
    }
}

/// The derivation of `<grad g, grad psi> = 0` for one generator `g`.
fn identity(g: &Poly, q: &ConservedQuantity, names: &[String], gname: &str) -> String {
    let n = names.len();
    let grad_g: Vec<Poly> = (0..n).map(|i| g.derivative(i)).collect();
    let l = q.exp_form.as_deref();
    let dpsi = quantity_gradient(&q.poly, l, n);
    let mut s = String::from("\\begin{align*}\n");
    s.push_str(&format!("  {gname} &= {},\\\\\n", latex_poly(g, names)));
    s.push_str(&format!(
        "  \\nabla {gname} &= {},\\\\\n",
        vector(&grad_g, names)
    ));
    let prefix = match l {
        Some(l) => {
            s.push_str(&format!(
                "  \\nabla \\psi &= e^{{{}}} {},\\\\\n",
                latex_linear(l, names),
                vector(&dpsi, names)
            ));
            format!("e^{{{}}}", latex_linear(l, names))
        }
        None => {
            s.push_str(&format!(
                "  \\nabla \\psi &= {},\\\\\n",
                vector(&dpsi, names)
            ));
            String::new()
        }
    };
    // The products of the coordinates, then every monomial product before merging.
    let mut factors = Vec::new();
    let mut products: Vec<(Vec<i32>, Rational)> = Vec::new();
    for i in 0..n {
        if grad_g[i].is_zero() || dpsi[i].is_zero() {
            continue;
        }
        factors.push(format!(
            "{} \\cdot {}",
            paren(&latex_poly(&grad_g[i], names), grad_g[i].len() > 1),
            paren(&latex_poly(&dpsi[i], names), dpsi[i].len() > 1)
        ));
        for (a, c) in grad_g[i].terms() {
            for (b, d) in dpsi[i].terms() {
                let e: Vec<i32> = a.iter().zip(b).map(|(x, y)| x + y).collect();
                products.push((e, Rational::from(c * d)));
            }
        }
    }
    let wrap = |body: String| -> String {
        if prefix.is_empty() {
            body
        } else {
            format!("{prefix} \\left({body}\\right)")
        }
    };
    let lhs = format!("\\langle \\nabla {gname}, \\nabla \\psi \\rangle");
    if factors.is_empty() {
        s.push_str(&format!("  {lhs} &= 0.\n\\end{{align*}}\n"));
        return s;
    }
    s.push_str(&format!("  {lhs} &= {}\\\\\n", wrap(factors.join(" + "))));
    let shown: Vec<Term<'_>> = products
        .iter()
        .take(MAX_PRODUCTS)
        .map(|(e, c)| (&e[..], c.clone()))
        .collect();
    let mut expanded = latex_terms(&shown, names);
    if products.len() > MAX_PRODUCTS {
        expanded.push_str(&format!(
            " + \\cdots \\quad ({} monomial products in all)",
            products.len()
        ));
    }
    s.push_str(&format!("  &= {}\\\\\n", wrap(expanded)));
    s.push_str("  &= 0.\n\\end{align*}\n");
    s
}

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
        tex_escape(&report.structure)
    ));
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
        for (j, g) in report
            .generator_polys
            .iter()
            .enumerate()
            .take(MAX_GENERATORS)
        {
            if (0..names.len()).all(|i| g.derivative(i).is_zero()) {
                continue;
            }
            let gname = if multi {
                format!("g_{{{}}}", j + 1)
            } else {
                "g".to_string()
            };
            s.push_str(&identity(g, q, &names, &gname));
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
    let ls = &report.linear_symmetries;
    if ls.skipped.is_none() && !ls.generators.is_empty() {
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
    let c = &report.completeness;
    if c.skipped.is_none() {
        s.push_str(&format!(
            "\\paragraph{{Completeness.}} {}. Near a generic point the number of independent \
             conservation laws is $n - \\dim \\mathrm{{Lie}}(V)(x)$ with $n = {}$; the fields and \
             their brackets reach rank {} (bracket depth {}).\n",
            tex_escape(&c.summary),
            c.n_vars,
            c.lie_rank,
            c.depth
        ));
    }
    s
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
