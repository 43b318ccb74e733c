//! Human-readable printing in the same syntax the parser reads.
//!
//! The output re-parses to the same function: products with negative powers print as
//! fractions, `x^(1/2)` as `sqrt(x)`, and constants print last in a sum.

use crate::dag::{Arena, ExprId, Node};
use rug::Rational;

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
        self.fmt_prec(id).0
    }

    /// Returns the text and its precedence (the loosest operator at its top level).
    fn fmt_prec(&self, id: ExprId) -> (String, u8) {
        match self.node(id) {
            Node::Const(q) => fmt_rational(q),
            Node::Var(i) => (self.var_names()[*i as usize].clone(), PREC_ATOM),
            Node::Add(ts) => {
                let mut ordered: Vec<ExprId> = ts
                    .iter()
                    .copied()
                    .filter(|&t| self.as_const(t).is_none())
                    .collect();
                ordered.extend(ts.iter().copied().filter(|&t| self.as_const(t).is_some()));
                let mut s = String::new();
                for (k, t) in ordered.into_iter().enumerate() {
                    let (txt, p) = self.fmt_prec(t);
                    let txt = if p < PREC_ADD { paren(&txt) } else { txt };
                    if k == 0 {
                        s.push_str(&txt);
                    } else if let Some(rest) = txt.strip_prefix('-') {
                        s.push_str(" - ");
                        s.push_str(rest);
                    } else {
                        s.push_str(" + ");
                        s.push_str(&txt);
                    }
                }
                (s, PREC_ADD)
            }
            Node::Mul(fs) => self.fmt_mul(fs),
            Node::Pow(b, e) => {
                if *e < 0 {
                    let (d, p) = self.fmt_power(*b, &Rational::from(-e));
                    return (format!("1/{}", wrap(d, p)), PREC_MUL);
                }
                self.fmt_power(*b, e)
            }
            Node::Func(f, a) => (format!("{}({})", f.name(), self.display(*a)), PREC_ATOM),
            Node::Max(a, b) => (
                format!("max({}, {})", self.display(*a), self.display(*b)),
                PREC_ATOM,
            ),
            Node::Min(a, b) => (
                format!("min({}, {})", self.display(*a), self.display(*b)),
                PREC_ATOM,
            ),
        }
    }

    /// `b^e` for `e > 0`.
    fn fmt_power(&self, b: ExprId, e: &Rational) -> (String, u8) {
        if *e == 1 {
            return self.fmt_prec(b);
        }
        if *e == Rational::from((1, 2)) {
            return (format!("sqrt({})", self.display(b)), PREC_ATOM);
        }
        let (bs, bp) = self.fmt_prec(b);
        let bs = if bp <= PREC_POW || bs.starts_with('-') {
            paren(&bs)
        } else {
            bs
        };
        let es = if e.is_integer() {
            e.to_string()
        } else {
            format!("({e})")
        };
        (format!("{bs}^{es}"), PREC_POW)
    }

    fn fmt_mul(&self, fs: &[ExprId]) -> (String, u8) {
        let mut coeff = Rational::from(1);
        let mut num: Vec<String> = Vec::new();
        let mut den: Vec<String> = Vec::new();
        for &f in fs {
            match self.node(f) {
                Node::Const(q) => coeff = q.clone(),
                Node::Pow(b, e) if *e < 0 => {
                    let (s, p) = self.fmt_power(*b, &Rational::from(-e));
                    den.push(wrap(s, p));
                }
                _ => {
                    let (s, p) = self.fmt_prec(f);
                    num.push(wrap(s, p));
                }
            }
        }
        let negative = coeff < 0;
        let coeff = coeff.abs();
        let (cn, cd) = (coeff.numer().clone(), coeff.denom().clone());
        if cn != 1 || num.is_empty() {
            num.insert(0, cn.to_string());
        }
        if cd != 1 {
            den.insert(0, cd.to_string());
        }
        let mut s = num.join("*");
        if !den.is_empty() {
            s.push('/');
            if den.len() == 1 {
                s.push_str(&den[0]);
            } else {
                s.push_str(&paren(&den.join("*")));
            }
        }
        if negative {
            (format!("-{s}"), PREC_NEG)
        } else {
            (s, PREC_MUL)
        }
    }
}

fn paren(s: &str) -> String {
    format!("({s})")
}

/// Parenthesizes a factor unless its top-level operator binds at least as tightly as `^`.
fn wrap(s: String, prec: u8) -> String {
    if prec < PREC_POW {
        paren(&s)
    } else {
        s
    }
}

fn fmt_rational(q: &Rational) -> (String, u8) {
    let s = q.to_string();
    let p = if *q < 0 {
        PREC_NEG
    } else if q.is_integer() {
        PREC_ATOM
    } else {
        PREC_MUL
    };
    (s, p)
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
