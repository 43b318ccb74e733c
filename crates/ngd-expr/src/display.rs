//! Human-readable printing in the same syntax the parser reads.
//!
//! The output re-parses to the same function: products with negative powers print as
//! fractions, `x^(1/2)` as `sqrt(x)`, and constants print last in a sum.

use crate::dag::{Arena, ExprId, Node};
use rug::Rational;
use std::fmt::Write;

const PREC_ADD: u8 = 1;
const PREC_MUL: u8 = 2;
const PREC_NEG: u8 = 3;
const PREC_POW: u8 = 4;
const PREC_ATOM: u8 = 5;

impl Arena {
    /// The expression as text that `ngd-parse` reads back to the same function.
    ///
    /// ```
    /// use ngd_expr::Arena;
    ///
    /// let mut a = Arena::new(vec!["x".into(), "y".into()]);
    /// let (x, y) = (a.var(0), a.var(1));
    /// let q = a.div(x, y);
    /// let r = a.pow(x, (1, 2).into());
    /// let e = a.add2(q, r);
    /// assert_eq!(a.display(e), "x/y + sqrt(x)");
    /// ```
    pub fn display(&self, id: ExprId) -> String {
        let mut out = String::new();
        self.write_prec(id, &mut out);
        out
    }

    /// Appends the text of `id` to `out` and returns its precedence (the loosest operator
    /// at its top level). Everything is written into the one buffer: a child that needs
    /// parentheses gets them inserted around its text afterwards.
    fn write_prec(&self, id: ExprId, out: &mut String) -> u8 {
        match self.node(id) {
            Node::Const(q) => write_rational(q, out),
            Node::Var(i) => {
                out.push_str(&self.var_names()[*i as usize]);
                PREC_ATOM
            }
            Node::Add(ts) => self.write_sum(ts, out),
            Node::Mul(fs) => self.write_mul(fs, out),
            Node::Pow(b, e) => {
                if *e < 0 {
                    out.push_str("1/");
                    let start = out.len();
                    let p = self.write_power(*b, &Rational::from(-e), out);
                    wrap_from(out, start, p);
                    return PREC_MUL;
                }
                self.write_power(*b, e, out)
            }
            Node::Func(f, a) => {
                out.push_str(f.name());
                out.push('(');
                self.write_prec(*a, out);
                out.push(')');
                PREC_ATOM
            }
            Node::Max(a, b) => self.write_call("max", *a, *b, out),
            Node::Min(a, b) => self.write_call("min", *a, *b, out),
        }
    }

    /// A sum, constants last; a term printed with a leading `-` is subtracted.
    fn write_sum(&self, ts: &[ExprId], out: &mut String) -> u8 {
        let variable = ts.iter().filter(|&&t| self.as_const(t).is_none());
        let constant = ts.iter().filter(|&&t| self.as_const(t).is_some());
        for (k, &t) in variable.chain(constant).enumerate() {
            let op = out.len();
            if k > 0 {
                out.push_str(" + ");
            }
            let start = out.len();
            if self.write_prec(t, out) < PREC_ADD {
                wrap_from(out, start, 0);
            }
            if k > 0 && out[start..].starts_with('-') {
                out.replace_range(op..start + 1, " - ");
            }
        }
        PREC_ADD
    }

    /// `name(a, b)`.
    fn write_call(&self, name: &str, a: ExprId, b: ExprId, out: &mut String) -> u8 {
        out.push_str(name);
        out.push('(');
        self.write_prec(a, out);
        out.push_str(", ");
        self.write_prec(b, out);
        out.push(')');
        PREC_ATOM
    }

    /// `b^e` for `e > 0`.
    fn write_power(&self, b: ExprId, e: &Rational, out: &mut String) -> u8 {
        if *e == 1 {
            return self.write_prec(b, out);
        }
        if *e.numer() == 1 && *e.denom() == 2 {
            out.push_str("sqrt(");
            self.write_prec(b, out);
            out.push(')');
            return PREC_ATOM;
        }
        let start = out.len();
        let bp = self.write_prec(b, out);
        if bp <= PREC_POW || out[start..].starts_with('-') {
            wrap_from(out, start, 0);
        }
        if e.is_integer() {
            let _ = write!(out, "^{e}");
        } else {
            let _ = write!(out, "^({e})");
        }
        PREC_POW
    }

    /// A product: `-` for a negative coefficient, the numerator's factors (the
    /// coefficient's numerator first unless it is 1), then `/` and the denominator's
    /// factors (parenthesized when there are several).
    fn write_mul(&self, fs: &[ExprId], out: &mut String) -> u8 {
        let coeff = fs.iter().rev().find_map(|&f| self.as_const(f));
        let negative = coeff.is_some_and(|q| *q < 0);
        let inverse = |f: ExprId| matches!(self.node(f), Node::Pow(_, e) if *e < 0);
        let numer: Vec<ExprId> = fs
            .iter()
            .copied()
            .filter(|&f| self.as_const(f).is_none() && !inverse(f))
            .collect();
        if negative {
            out.push('-');
        }
        let cn = coeff.map(|q| q.numer().as_abs());
        let cn_is_one = cn.as_ref().is_none_or(|c| **c == 1);
        let mut first = true;
        if !cn_is_one || numer.is_empty() {
            match &cn {
                Some(c) => {
                    let _ = write!(out, "{}", **c);
                }
                None => out.push('1'),
            }
            first = false;
        }
        for &f in &numer {
            if !first {
                out.push('*');
            }
            first = false;
            let start = out.len();
            let p = self.write_prec(f, out);
            wrap_from(out, start, p);
        }
        self.write_denominator(fs, coeff, out);
        if negative {
            PREC_NEG
        } else {
            PREC_MUL
        }
    }

    /// The `/...` part of a product: the coefficient's denominator and the factors with a
    /// negative power (as positive powers).
    fn write_denominator(&self, fs: &[ExprId], coeff: Option<&Rational>, out: &mut String) {
        let cd = coeff.map(|q| q.denom()).filter(|d| **d != 1);
        let inverses: Vec<(ExprId, &Rational)> = fs
            .iter()
            .filter_map(|&f| match self.node(f) {
                Node::Pow(b, e) if *e < 0 => Some((*b, e)),
                _ => None,
            })
            .collect();
        let count = usize::from(cd.is_some()) + inverses.len();
        if count == 0 {
            return;
        }
        out.push('/');
        if count > 1 {
            out.push('(');
        }
        let mut first = true;
        if let Some(d) = cd {
            let _ = write!(out, "{d}");
            first = false;
        }
        for (b, e) in inverses {
            if !first {
                out.push('*');
            }
            first = false;
            let start = out.len();
            let p = self.write_power(b, &Rational::from(-e), out);
            wrap_from(out, start, p);
        }
        if count > 1 {
            out.push(')');
        }
    }
}

/// Parenthesizes the text from `start` on unless its top-level operator (`prec`) binds at
/// least as tightly as `^`.
fn wrap_from(out: &mut String, start: usize, prec: u8) {
    if prec < PREC_POW {
        out.insert(start, '(');
        out.push(')');
    }
}

/// A rational constant and its precedence.
fn write_rational(q: &Rational, out: &mut String) -> u8 {
    let _ = write!(out, "{q}");
    if *q < 0 {
        PREC_NEG
    } else if q.is_integer() {
        PREC_ATOM
    } else {
        PREC_MUL
    }
}

#[cfg(test)]
mod tests {
    use crate::Arena;
    use rug::Rational;

    #[test]
    fn prints_readably() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let x = a.var(0);
        let y = a.var(1);
        let xy = a.mul2(x, y);
        let one = a.int(1);
        let g = a.sub(xy, one);
        let f = a.powi(g, 2);
        assert_eq!(a.display(f), "(x*y - 1)^2");
        let ix = a.powi(x, -1);
        let iy = a.powi(y, -1);
        let d = a.sub(ix, iy);
        assert_eq!(a.display(d), "1/x - 1/y");
        let h = a.constant(Rational::from((1, 2)));
        let hx = a.mul2(h, x);
        assert_eq!(a.display(hx), "x/2");
        let s = a.pow(x, Rational::from((1, 2)));
        assert_eq!(a.display(s), "sqrt(x)");
        // ((x + 1)^2 + y)*z keeps its parentheses.
        let x1 = a.add2(x, one);
        let sq = a.powi(x1, 2);
        let inner = a.add2(sq, y);
        let prod = a.mul2(inner, y);
        assert_eq!(a.display(prod), "y*(y + (x + 1)^2)");
        let q = a.div(y, inner);
        assert_eq!(a.display(q), "y/(y + (x + 1)^2)");
        let ny = a.neg(y);
        let p = a.powi(ny, 3);
        assert_eq!(a.display(p), "-y^3");
    }
}
