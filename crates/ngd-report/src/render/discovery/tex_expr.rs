//! LaTeX of an expression of the arena, walked node by node (never by rewriting its text):
//! fractions as `\frac`, powers with braced exponents, `sqrt` as `\sqrt`, indexed variables
//! with subscripts (`X[1,2]` -> `X_{1,2}`, the form `ngd-discover` prints its quantities in,
//! so one document names each variable once), and only macros of LaTeX and `amsmath`.

use ngd_expr::{Arena, ExprId, Func, Node};
use rug::{Integer, Rational};

const PREC_ADD: u8 = 1;
const PREC_MUL: u8 = 2;
const PREC_NEG: u8 = 3;
const PREC_POW: u8 = 4;
const PREC_ATOM: u8 = 5;

/// Greek letters LaTeX has a macro for (lower case, and the upper case ones that differ from
/// Latin capitals).
const GREEK: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
    "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi",
    "Omega",
];

/// The expression `id` in LaTeX math mode.
pub(crate) fn tex_expr(arena: &Arena, id: ExprId) -> String {
    tex_prec(arena, id).0
}

/// The name of a matrix or vector (`X`, `alpha`, `w1`) in math mode: one letter as is, a Greek
/// name as its macro, any other word upright.
pub(crate) fn tex_head(head: &str) -> String {
    if head.chars().count() == 1 && head.chars().all(|c| c.is_ascii_alphabetic()) {
        head.to_string()
    } else if GREEK.contains(&head) {
        format!("\\{head}")
    } else {
        format!("\\mathrm{{{}}}", escape_word(head))
    }
}

/// A scalar variable name in math mode: `X[1,2]` and `X_1_2` become `X_{1,2}`, `x3` becomes
/// `x_{3}`, `alpha` becomes `\alpha`.
pub(crate) fn tex_var_name(name: &str) -> String {
    if let Some(i) = name.find('[') {
        let index = name[i + 1..].trim_end_matches(']');
        return format!("{}_{{{}}}", tex_head(&name[..i]), escape_word(index));
    }
    if let Some(i) = name.find('_').filter(|&i| i > 0) {
        let index = name[i + 1..].replace('_', ",");
        return format!("{}_{{{}}}", tex_head(&name[..i]), escape_word(&index));
    }
    let head = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if !head.is_empty() && head.len() < name.len() {
        return format!("{}_{{{}}}", tex_head(head), &name[head.len()..]);
    }
    tex_head(name)
}

/// The LaTeX of an expression given as text in the variables `names` (as `ngd-discover`
/// prints its quantities and kink sets), read by the expression parser; `None` if it does not
/// parse.
pub(crate) fn tex_of_text(names: &[String], text: &str) -> Option<String> {
    let mut arena = Arena::new(names.to_vec());
    let e = ngd_parse::parse_expr(&mut arena, text, &ngd_parse::Params::new()).ok()?;
    Some(tex_expr(&arena, e))
}

/// A rational given as text (`-3/4`) in LaTeX (`-\frac{3}{4}`); `None` if it is not one.
pub(crate) fn tex_rational_text(text: &str) -> Option<String> {
    let q: Rational = text.trim().parse().ok()?;
    Some(tex_rational(&q).0)
}

/// The terms of `id` as lines of at most about `width` characters for an `align*` block
/// (a long sum breaks between its terms; anything else is one line). Every line after the
/// first starts with its sign.
pub(crate) fn tex_lines(arena: &Arena, id: ExprId, width: usize) -> Vec<String> {
    let Node::Add(terms) = arena.node(id) else {
        return vec![tex_expr(arena, id)];
    };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for (k, term) in signed_terms(arena, terms).into_iter().enumerate() {
        if k > 0 && current.len() + term.len() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&term);
    }
    lines.push(current);
    lines
}

/// Escapes the characters of a name that math mode would read as commands.
fn escape_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | ',' | '.' => out.push(c),
            '_' | '&' | '#' | '$' | '%' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push_str(&format!("\\text{{\\char{}}}", u32::from(c))),
        }
    }
    out
}

/// Text and precedence (the loosest operator at its top level).
fn tex_prec(arena: &Arena, id: ExprId) -> (String, u8) {
    match arena.node(id) {
        Node::Const(q) => tex_rational(q),
        Node::Var(i) => (tex_var_name(&arena.var_names()[*i as usize]), PREC_ATOM),
        Node::Add(terms) => (tex_sum(arena, terms), PREC_ADD),
        Node::Mul(factors) => tex_product(arena, factors),
        Node::Pow(base, e) if *e < 0 => {
            let den = tex_power(arena, *base, &Rational::from(-e)).0;
            (format!("\\frac{{1}}{{{den}}}"), PREC_ATOM)
        }
        Node::Pow(base, e) => tex_power(arena, *base, e),
        Node::Func(f, a) => (tex_func(arena, *f, *a), PREC_ATOM),
        Node::Max(a, b) => (tex_pair(arena, "\\max", *a, *b), PREC_ATOM),
        Node::Min(a, b) => (tex_pair(arena, "\\min", *a, *b), PREC_ATOM),
    }
}

/// `\left(s\right)`.
fn paren(s: &str) -> String {
    format!("\\left({s}\\right)")
}

/// A sum: the non-constant terms in arena order, the constant last, signs merged.
fn tex_sum(arena: &Arena, terms: &[ExprId]) -> String {
    signed_terms(arena, terms).join(" ")
}

/// The terms of a sum in print order, each after the first with its sign (`+ x`, `- y`).
fn signed_terms(arena: &Arena, terms: &[ExprId]) -> Vec<String> {
    let is_const = |t: &ExprId| arena.as_const(*t).is_some();
    let ordered = terms
        .iter()
        .filter(|t| !is_const(t))
        .chain(terms.iter().filter(|t| is_const(t)));
    let mut out = Vec::with_capacity(terms.len());
    for (k, &t) in ordered.enumerate() {
        let (text, p) = tex_prec(arena, t);
        let text = if p < PREC_ADD { paren(&text) } else { text };
        out.push(match (k, text.strip_prefix('-')) {
            (0, _) => text,
            (_, Some(rest)) => format!("- {rest}"),
            (_, None) => format!("+ {text}"),
        });
    }
    out
}

/// A product: the rational coefficient, the factors with positive exponents over those with
/// negative ones as one `\frac`.
fn tex_product(arena: &Arena, factors: &[ExprId]) -> (String, u8) {
    let mut coeff = Rational::from(1);
    let mut num: Vec<String> = Vec::new();
    let mut den: Vec<String> = Vec::new();
    // Variables (and their powers) first, in declaration order, then the other factors.
    let mut ordered = factors.to_vec();
    ordered.sort_by_key(|&f| factor_order(arena, f));
    for f in ordered {
        match arena.node(f) {
            Node::Const(q) => coeff = q.clone(),
            Node::Pow(b, e) if *e < 0 => {
                den.push(factor(tex_power(arena, *b, &Rational::from(-e))))
            }
            _ => num.push(factor(tex_prec(arena, f))),
        }
    }
    let negative = coeff < 0;
    let (cn, cd): (Integer, Integer) = coeff.abs().into_numer_denom();
    if cn != 1 || num.is_empty() {
        num.insert(0, cn.to_string());
    }
    if cd != 1 {
        den.insert(0, cd.to_string());
    }
    let body = if den.is_empty() {
        num.join(" ")
    } else {
        format!("\\frac{{{}}}{{{}}}", num.join(" "), den.join(" "))
    };
    if negative {
        (format!("-{body}"), PREC_NEG)
    } else if den.is_empty() {
        (body, PREC_MUL)
    } else {
        (body, PREC_ATOM)
    }
}

/// Where a factor goes in a printed product: a variable or a power of one by its index, any
/// other factor after them (the sort is stable: in arena order).
fn factor_order(arena: &Arena, f: ExprId) -> (u8, u32) {
    let var = |e: ExprId| match arena.node(e) {
        Node::Var(i) => Some(*i),
        _ => None,
    };
    let v = match arena.node(f) {
        Node::Pow(b, _) => var(*b),
        _ => var(f),
    };
    v.map_or((1, 0), |i| (0, i))
}

/// A factor of a product: parenthesized when a sum or signed.
fn factor((s, p): (String, u8)) -> String {
    if p < PREC_MUL || s.starts_with('-') {
        paren(&s)
    } else {
        s
    }
}

/// `b^e` for `e > 0`: `\sqrt` for `e = 1/2`, a braced exponent otherwise.
fn tex_power(arena: &Arena, base: ExprId, e: &Rational) -> (String, u8) {
    if *e == 1 {
        return tex_prec(arena, base);
    }
    if *e == Rational::from((1, 2)) {
        return (format!("\\sqrt{{{}}}", tex_expr(arena, base)), PREC_ATOM);
    }
    let (b, p) = tex_prec(arena, base);
    // A subscripted variable takes its exponent as is (`X_{1,2}^{2}`); anything looser, a
    // signed constant or a power needs parentheses.
    let b = if p <= PREC_POW || b.starts_with('-') || b.starts_with("\\frac") {
        paren(&b)
    } else {
        b
    };
    (format!("{b}^{{{}}}", exponent(e)), PREC_POW)
}

/// An exponent: an integer, or `p/q` (a slash reads better than `\frac` at exponent size).
fn exponent(e: &Rational) -> String {
    if e.is_integer() {
        e.to_string()
    } else {
        format!("{}/{}", e.numer(), e.denom())
    }
}

/// A rational constant: `3`, `\frac{1}{2}`, `-\frac{3}{4}`.
fn tex_rational(q: &Rational) -> (String, u8) {
    let text = if q.is_integer() {
        q.to_string()
    } else {
        let sign = if *q < 0 { "-" } else { "" };
        format!(
            "{sign}\\frac{{{}}}{{{}}}",
            q.numer().clone().abs(),
            q.denom()
        )
    };
    let p = if *q < 0 { PREC_NEG } else { PREC_ATOM };
    (text, p)
}

/// An elementary function: `e^{u}` for a short exponent, `\exp`, `\log`, `|u|`, `sign`.
fn tex_func(arena: &Arena, f: Func, a: ExprId) -> String {
    let arg = tex_expr(arena, a);
    match f {
        Func::Exp if !arg.contains("\\frac") && !arg.contains('^') => format!("e^{{{arg}}}"),
        Func::Exp => format!("\\exp{}", paren(&arg)),
        Func::Log => format!("\\log{}", paren(&arg)),
        Func::Abs => format!("\\left|{arg}\\right|"),
        Func::Sign => format!("\\operatorname{{sign}}{}", paren(&arg)),
    }
}

/// `\max(a, b)` or `\min(a, b)`.
fn tex_pair(arena: &Arena, op: &str, a: ExprId, b: ExprId) -> String {
    let inner = format!("{}, {}", tex_expr(arena, a), tex_expr(arena, b));
    format!("{op}{}", paren(&inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tex(vars: &[&str], src: &str) -> String {
        let names: Vec<String> = vars.iter().map(|s| s.to_string()).collect();
        let mut a = Arena::new(names);
        let e = ngd_parse::parse_expr(&mut a, src, &ngd_parse::Params::new()).unwrap();
        tex_expr(&a, e)
    }

    #[test]
    fn fractions_and_powers() {
        assert_eq!(
            tex(&["x", "y"], "(x*y - 1)^2"),
            "\\left(x y - 1\\right)^{2}"
        );
        assert_eq!(tex(&["x", "y"], "x/2"), "\\frac{x}{2}");
        assert_eq!(tex(&["x", "y"], "1/x - 1/y"), "\\frac{1}{x} - \\frac{1}{y}");
        assert_eq!(
            tex(&["x", "y"], "3*x^2/(2*y^3)"),
            "\\frac{3 x^{2}}{2 y^{3}}"
        );
        assert_eq!(tex(&["x"], "x^(-2)"), "\\frac{1}{x^{2}}");
        assert_eq!(tex(&["x"], "x^(3/2)"), "x^{3/2}");
        assert_eq!(tex(&["x"], "-x + 1/3"), "-x + \\frac{1}{3}");
        assert_eq!(
            tex(&["x"], "(-x)^3 + (x + 1)^2"),
            "-x^{3} + \\left(x + 1\\right)^{2}"
        );
    }

    #[test]
    fn indexed_and_named_variables() {
        assert_eq!(tex_var_name("X[1,2]"), "X_{1,2}");
        assert_eq!(tex_var_name("x[3]"), "x_{3}");
        assert_eq!(tex_var_name("w_1_2"), "w_{1,2}");
        assert_eq!(tex_var_name("x10"), "x_{10}");
        assert_eq!(tex_var_name("alpha"), "\\alpha");
        assert_eq!(tex_var_name("rate"), "\\mathrm{rate}");
        let e = tex(&["X[1,1]", "X[1,2]"], "X[1,1]^2 - 2*X[1,1]*X[1,2]");
        assert_eq!(e, "X_{1,1}^{2} - 2 X_{1,1} X_{1,2}");
    }

    #[test]
    fn functions() {
        assert_eq!(tex(&["x", "y"], "exp(2*y)*x"), "x e^{2 y}");
        assert_eq!(tex(&["x"], "exp(x^2)"), "\\exp\\left(x^{2}\\right)");
        assert_eq!(tex(&["x"], "log(1 + x^2)"), "\\log\\left(x^{2} + 1\\right)");
        assert_eq!(tex(&["x"], "sqrt(x^2 + 1)"), "\\sqrt{x^{2} + 1}");
        assert_eq!(tex(&["x", "y"], "abs(x*y - 1)"), "\\left|x y - 1\\right|");
        assert_eq!(tex(&["x", "y"], "max(x, y)"), "\\max\\left(x, y\\right)");
        assert_eq!(
            tex(&["x"], "sign(x)*x"),
            "x \\operatorname{sign}\\left(x\\right)"
        );
    }

    #[test]
    fn braces_balance() {
        let e = tex(
            &["x", "y"],
            "exp(x/(1 + y^2))*log(abs(x) + 1)^(-3)/sqrt(y^2 + 2)",
        );
        assert_eq!(e.matches('{').count(), e.matches('}').count(), "{e}");
        assert_eq!(
            e.matches("\\left").count(),
            e.matches("\\right").count(),
            "{e}"
        );
    }
}
