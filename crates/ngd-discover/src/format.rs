//! Printing of Laurent polynomials (optionally times `exp` of a linear form) as text that
//! `ngd-parse` reads back to the same function, and as LaTeX.

use ngd_algebra::Poly;
use rug::Rational;

/// One term of a printed sum: exponents and coefficient.
pub(crate) type Term<'a> = (&'a [i32], Rational);

fn power(base: &str, k: i32, latex: bool) -> String {
    if k == 1 {
        base.to_string()
    } else if latex {
        format!("{base}^{{{k}}}")
    } else {
        format!("{base}^{k}")
    }
}

/// The body of a term (without its sign): `2*x^2/y`, or `\frac{2 x^{2}}{y}` in LaTeX.
fn term_body(
    c: &Rational,
    e: &[i32],
    names: &[String],
    extra: Option<&str>,
    latex: bool,
) -> String {
    let c = Rational::from(c.abs_ref());
    let (p, q) = (c.numer().clone(), c.denom().clone());
    let mut num_vars: Vec<String> = Vec::new();
    let mut den: Vec<String> = Vec::new();
    for (i, &k) in e.iter().enumerate() {
        let name = if latex {
            latex_name(&names[i])
        } else {
            names[i].clone()
        };
        if k > 0 {
            num_vars.push(power(&name, k, latex));
        } else if k < 0 {
            den.push(power(&name, -k, latex));
        }
    }
    if let Some(x) = extra {
        num_vars.push(x.to_string());
    }
    let mut num: Vec<String> = Vec::new();
    if p != 1 || num_vars.is_empty() {
        num.push(p.to_string());
    }
    num.extend(num_vars);
    if q != 1 {
        den.insert(0, q.to_string());
    }
    if latex {
        let n = num.join(" ");
        if den.is_empty() {
            n
        } else {
            format!("\\frac{{{n}}}{{{}}}", den.join(" "))
        }
    } else {
        let mut s = num.join("*");
        if !den.is_empty() {
            s.push('/');
            if den.len() == 1 {
                s.push_str(&den[0]);
            } else {
                s.push('(');
                s.push_str(&den.join("*"));
                s.push(')');
            }
        }
        s
    }
}

/// A sum of terms in the given order; `extra` multiplies a single-term sum (`x*exp(2*y)`)
/// or the parenthesized sum (`(x + y)*exp(2*y)`).
fn sum(terms: &[Term<'_>], names: &[String], extra: Option<&str>, latex: bool) -> String {
    if terms.is_empty() {
        return "0".into();
    }
    if terms.len() > 1 {
        if let Some(x) = extra {
            let inner = sum(terms, names, None, latex);
            return if latex {
                format!("\\left({inner}\\right) {x}")
            } else {
                format!("({inner})*{x}")
            };
        }
    }
    let mut s = String::new();
    for (k, (e, c)) in terms.iter().enumerate() {
        let body = term_body(c, e, names, extra, latex);
        let neg = *c < 0;
        match (k, neg) {
            (0, false) => {}
            (0, true) => s.push('-'),
            (_, false) => s.push_str(" + "),
            (_, true) => s.push_str(" - "),
        }
        s.push_str(&body);
    }
    s
}

/// Text of a sum of terms, in the given order.
pub(crate) fn fmt_terms(terms: &[Term<'_>], names: &[String]) -> String {
    sum(terms, names, None, false)
}

/// LaTeX of a sum of terms, in the given order.
pub(crate) fn latex_terms(terms: &[Term<'_>], names: &[String]) -> String {
    sum(terms, names, None, true)
}

/// Text of a polynomial in its own (graded-lex descending) order.
pub(crate) fn fmt_poly(p: &Poly, names: &[String]) -> String {
    let terms: Vec<Term<'_>> = p.terms().map(|(e, c)| (e, c.clone())).collect();
    fmt_terms(&terms, names)
}

/// LaTeX of a polynomial in its own order.
pub(crate) fn latex_poly(p: &Poly, names: &[String]) -> String {
    let terms: Vec<Term<'_>> = p.terms().map(|(e, c)| (e, c.clone())).collect();
    latex_terms(&terms, names)
}

/// The linear form `sum_i l_i x_i` as terms.
fn linear_terms(l: &[i32]) -> Vec<(Vec<i32>, Rational)> {
    let n = l.len();
    (0..n)
        .filter(|&i| l[i] != 0)
        .map(|i| {
            let mut e = vec![0; n];
            e[i] = 1;
            (e, Rational::from(l[i]))
        })
        .collect()
}

/// Text of the linear form `sum_i l_i x_i`.
pub(crate) fn fmt_linear(l: &[i32], names: &[String]) -> String {
    let owned = linear_terms(l);
    let terms: Vec<Term<'_>> = owned.iter().map(|(e, c)| (&e[..], c.clone())).collect();
    fmt_terms(&terms, names)
}

/// LaTeX of the linear form `sum_i l_i x_i`.
pub(crate) fn latex_linear(l: &[i32], names: &[String]) -> String {
    let owned = linear_terms(l);
    let terms: Vec<Term<'_>> = owned.iter().map(|(e, c)| (&e[..], c.clone())).collect();
    latex_terms(&terms, names)
}

/// Text of `p * exp(l)` (or of `p` when `l` is `None`), terms in the given order.
pub(crate) fn fmt_quantity(terms: &[Term<'_>], l: Option<&[i32]>, names: &[String]) -> String {
    match l {
        None => fmt_terms(terms, names),
        Some(l) => {
            let x = format!("exp({})", fmt_linear(l, names));
            sum(terms, names, Some(&x), false)
        }
    }
}

/// LaTeX of `p * exp(l)`, terms in the given order.
pub(crate) fn latex_quantity(terms: &[Term<'_>], l: Option<&[i32]>, names: &[String]) -> String {
    match l {
        None => latex_terms(terms, names),
        Some(l) => {
            let x = format!("e^{{{}}}", latex_linear(l, names));
            sum(terms, names, Some(&x), true)
        }
    }
}

const GREEK: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
    "omega",
];

fn latex_head(h: &str) -> String {
    if h.chars().count() <= 1 {
        h.to_string()
    } else if GREEK.contains(&h) {
        format!("\\{h}")
    } else {
        format!("\\mathrm{{{h}}}")
    }
}

/// A variable name in LaTeX: `X[1,2]` and `X_1_2` become `X_{1,2}`, `x3` becomes `x_{3}`.
pub(crate) fn latex_name(s: &str) -> String {
    if let Some(i) = s.find('[') {
        let idx = s[i + 1..].trim_end_matches(']');
        return format!("{}_{{{}}}", latex_head(&s[..i]), idx);
    }
    if let Some(i) = s.find('_') {
        if i > 0 {
            let rest = s[i + 1..].replace('_', ",");
            return format!("{}_{{{}}}", latex_head(&s[..i]), rest);
        }
    }
    let head = s.trim_end_matches(|c: char| c.is_ascii_digit());
    if !head.is_empty() && head.len() < s.len() {
        return format!("{}_{{{}}}", latex_head(head), &s[head.len()..]);
    }
    latex_head(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["x".into(), "y".into()]
    }

    #[test]
    fn text_forms() {
        let n = names();
        let t = |e: &'static [i32], c: i64| (e, Rational::from(c));
        assert_eq!(fmt_terms(&[t(&[2, 0], 1), t(&[0, 2], -1)], &n), "x^2 - y^2");
        assert_eq!(
            fmt_terms(&[t(&[-1, 0], 1), t(&[0, -1], -1)], &n),
            "1/x - 1/y"
        );
        assert_eq!(fmt_terms(&[t(&[-2, 1], 1)], &n), "y/x^2");
        assert_eq!(fmt_terms(&[t(&[-1, -1], -3)], &n), "-3/(x*y)");
        assert_eq!(
            fmt_terms(&[(&[1, 0][..], Rational::from((3, 2)))], &n),
            "3*x/2"
        );
        assert_eq!(
            fmt_quantity(&[t(&[1, 0], 1)], Some(&[0, 2]), &n),
            "x*exp(2*y)"
        );
        assert_eq!(
            fmt_quantity(&[t(&[1, 0], 1), t(&[0, 0], 1)], Some(&[-1, 2]), &n),
            "(x + 1)*exp(-x + 2*y)"
        );
        assert_eq!(fmt_terms(&[], &n), "0");
    }

    #[test]
    fn latex_forms() {
        let n = names();
        let t = |e: &'static [i32], c: i64| (e, Rational::from(c));
        assert_eq!(latex_terms(&[t(&[-2, 1], 2)], &n), "\\frac{2 y}{x^{2}}");
        assert_eq!(latex_name("X[1,2]"), "X_{1,2}");
        assert_eq!(latex_name("X_1_2"), "X_{1,2}");
        assert_eq!(latex_name("x3"), "x_{3}");
        assert_eq!(latex_name("alpha"), "\\alpha");
        assert_eq!(latex_name("w"), "w");
    }
}
