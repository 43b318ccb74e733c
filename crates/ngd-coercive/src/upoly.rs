//! Dense univariate polynomials over Q and rational functions of one variable `t`, for the
//! exact restrictions of `f + phi` to escape curves.

use rug::Rational;
use std::cmp::Ordering;

/// A polynomial `sum_i c[i] t^i` with exact rational coefficients (no trailing zeros).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UPoly {
    c: Vec<Rational>,
}

impl UPoly {
    pub(crate) fn zero() -> UPoly {
        UPoly { c: Vec::new() }
    }

    pub(crate) fn constant(q: Rational) -> UPoly {
        UPoly::monomial(q, 0)
    }

    /// `q t^k`.
    pub(crate) fn monomial(q: Rational, k: usize) -> UPoly {
        if q == 0 {
            return UPoly::zero();
        }
        let mut c = vec![Rational::new(); k + 1];
        c[k] = q;
        UPoly { c }
    }

    fn trim(mut self) -> UPoly {
        while self.c.last().is_some_and(|x| *x == 0) {
            self.c.pop();
        }
        self
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.c.is_empty()
    }

    /// The degree (`None` for the zero polynomial).
    pub(crate) fn degree(&self) -> Option<usize> {
        self.c.len().checked_sub(1)
    }

    /// The leading coefficient (`0` for the zero polynomial).
    pub(crate) fn lead(&self) -> Rational {
        self.c.last().cloned().unwrap_or_default()
    }

    pub(crate) fn add(&self, o: &UPoly) -> UPoly {
        let n = self.c.len().max(o.c.len());
        let c = (0..n)
            .map(|i| {
                let a = self.c.get(i).cloned().unwrap_or_default();
                let b = o.c.get(i).cloned().unwrap_or_default();
                a + b
            })
            .collect();
        UPoly { c }.trim()
    }

    pub(crate) fn neg(&self) -> UPoly {
        UPoly {
            c: self.c.iter().map(|x| Rational::from(-x)).collect(),
        }
    }

    pub(crate) fn sub(&self, o: &UPoly) -> UPoly {
        self.add(&o.neg())
    }

    pub(crate) fn scale(&self, q: &Rational) -> UPoly {
        UPoly {
            c: self.c.iter().map(|x| Rational::from(x * q)).collect(),
        }
        .trim()
    }

    pub(crate) fn mul(&self, o: &UPoly) -> UPoly {
        if self.is_zero() || o.is_zero() {
            return UPoly::zero();
        }
        let mut c = vec![Rational::new(); self.c.len() + o.c.len() - 1];
        for (i, a) in self.c.iter().enumerate() {
            if *a == 0 {
                continue;
            }
            for (j, b) in o.c.iter().enumerate() {
                c[i + j] += Rational::from(a * b);
            }
        }
        UPoly { c }.trim()
    }

    /// Euclidean division `self = q o + r`, `deg r < deg o` (`o` non-zero).
    fn divrem(&self, o: &UPoly) -> (UPoly, UPoly) {
        let d = o.degree().expect("division by the zero polynomial");
        let lead = o.lead();
        let mut r = self.clone();
        let mut q = vec![Rational::new(); self.c.len().saturating_sub(d).max(1)];
        while let Some(dr) = r.degree() {
            if dr < d {
                break;
            }
            let k = dr - d;
            let f = Rational::from(&r.lead() / &lead);
            q[k] = f.clone();
            let sub = UPoly::monomial(f, k).mul(o);
            r = r.sub(&sub);
        }
        (UPoly { c: q }.trim(), r)
    }

    /// The monic greatest common divisor (`0` when both are zero).
    fn gcd(&self, o: &UPoly) -> UPoly {
        let (mut a, mut b) = (self.clone(), o.clone());
        while !b.is_zero() {
            let (_, r) = a.divrem(&b);
            a = b;
            b = r;
        }
        if a.is_zero() {
            return a;
        }
        let l = a.lead();
        a.scale(&Rational::from(l.recip_ref()))
    }

    /// Printed in `t` in the expression syntax (parseable), highest power first, e.g.
    /// `t^2 - 2/3*t + 4`.
    pub(crate) fn display(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut s = String::new();
        for (k, q) in self.c.iter().enumerate().rev() {
            if *q == 0 {
                continue;
            }
            let neg = *q < 0;
            let a = Rational::from(q.abs_ref());
            if s.is_empty() {
                if neg {
                    s.push('-');
                }
            } else {
                s.push_str(if neg { " - " } else { " + " });
            }
            let mono = match k {
                0 => String::new(),
                1 => "t".into(),
                _ => format!("t^{k}"),
            };
            if k == 0 {
                s.push_str(&a.to_string());
            } else if a == 1 {
                s.push_str(&mono);
            } else {
                s.push_str(&format!("{a}*{mono}"));
            }
        }
        s
    }
}

/// How a function of `t` behaves as `t -> +inf`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Limit {
    /// Tends to this exact rational number.
    Finite(Rational),
    /// Tends to `+inf`.
    PlusInf,
    /// Tends to `-inf`.
    MinusInf,
}

/// The germ at `t = +inf` of `num(t)/den(t) + eps(t)`, where `eps` is super-polynomially
/// small (`|eps(t)| t^m -> 0` for every `m`) and is identically zero unless `flat` is set.
///
/// All operations are exact identities of functions for `t` large enough (beyond the real
/// roots of every denominator and sign argument met on the way).
#[derive(Clone, Debug)]
pub(crate) struct Germ {
    pub(crate) num: UPoly,
    pub(crate) den: UPoly,
    pub(crate) flat: bool,
}

impl Germ {
    pub(crate) fn poly(p: UPoly) -> Germ {
        Germ {
            num: p,
            den: UPoly::constant(Rational::from(1)),
            flat: false,
        }
    }

    pub(crate) fn constant(q: Rational) -> Germ {
        Germ::poly(UPoly::constant(q))
    }

    /// `q t^k` for an integer `k` of any sign.
    pub(crate) fn monomial(q: Rational, k: i32) -> Germ {
        if k >= 0 {
            Germ::poly(UPoly::monomial(q, k as usize))
        } else {
            Germ {
                num: UPoly::constant(q),
                den: UPoly::monomial(Rational::from(1), k.unsigned_abs() as usize),
                flat: false,
            }
        }
    }

    fn normalized(num: UPoly, den: UPoly, flat: bool) -> Germ {
        if num.is_zero() {
            return Germ {
                num,
                den: UPoly::constant(Rational::from(1)),
                flat,
            };
        }
        let g = num.gcd(&den);
        let (num, den) = if g.degree().unwrap_or(0) > 0 {
            (num.divrem(&g).0, den.divrem(&g).0)
        } else {
            (num, den)
        };
        let l = den.lead();
        let inv = Rational::from(l.recip_ref());
        Germ {
            num: num.scale(&inv),
            den: den.scale(&inv),
            flat,
        }
    }

    /// True when the germ is exactly 0 (zero rational part, no flat term).
    fn is_exact_zero(&self) -> bool {
        self.num.is_zero() && !self.flat
    }

    /// True when the rational part is identically zero.
    pub(crate) fn rational_is_zero(&self) -> bool {
        self.num.is_zero()
    }

    pub(crate) fn add(&self, o: &Germ) -> Germ {
        let num = self.num.mul(&o.den).add(&o.num.mul(&self.den));
        Germ::normalized(num, self.den.mul(&o.den), self.flat || o.flat)
    }

    pub(crate) fn neg(&self) -> Germ {
        Germ {
            num: self.num.neg(),
            den: self.den.clone(),
            flat: self.flat,
        }
    }

    pub(crate) fn mul(&self, o: &Germ) -> Germ {
        // An exact zero (no flat term) annihilates: exp(-t) * 0 is 0, not a flat term.
        if self.is_exact_zero() || o.is_exact_zero() {
            return Germ::normalized(UPoly::zero(), UPoly::constant(Rational::from(1)), false);
        }
        // (r1 + e1)(r2 + e2) = r1 r2 + (r1 e2 + r2 e1 + e1 e2): rational functions grow at
        // most polynomially, so the bracket is again super-polynomially small.
        Germ::normalized(
            self.num.mul(&o.num),
            self.den.mul(&o.den),
            self.flat || o.flat,
        )
    }

    /// `1/self`; `None` when the rational part is zero (a pole, or an undecidable
    /// reciprocal of a super-polynomially small term).
    pub(crate) fn recip(&self) -> Option<Germ> {
        if self.num.is_zero() {
            return None;
        }
        // 1/(r + e) = 1/r - e/(r (r + e)): the correction is super-polynomially small.
        Some(Germ::normalized(
            self.den.clone(),
            self.num.clone(),
            self.flat,
        ))
    }

    pub(crate) fn powi(&self, k: i64) -> Option<Germ> {
        let base = if k < 0 { self.recip()? } else { self.clone() };
        let k = u32::try_from(k.unsigned_abs()).ok().filter(|&k| k <= 64)?;
        let mut r = Germ::constant(Rational::from(1));
        for _ in 0..k {
            r = r.mul(&base);
        }
        Some(r)
    }

    /// The sign for all large `t`: `Some(0)` only for the exact zero; `None` when the
    /// rational part vanishes but a super-polynomially small term may not.
    pub(crate) fn sign(&self) -> Option<i32> {
        if self.num.is_zero() {
            return if self.flat { None } else { Some(0) };
        }
        let s = self.num.lead().cmp0() as i32 * self.den.lead().cmp0() as i32;
        Some(s)
    }

    /// The limit as `t -> +inf`.
    pub(crate) fn limit(&self) -> Limit {
        let dn = match self.num.degree() {
            None => return Limit::Finite(Rational::new()),
            Some(d) => d,
        };
        let dd = self.den.degree().unwrap_or(0);
        match dn.cmp(&dd) {
            Ordering::Less => Limit::Finite(Rational::new()),
            Ordering::Equal => Limit::Finite(Rational::from(&self.num.lead() / &self.den.lead())),
            Ordering::Greater => {
                if self.sign() == Some(1) {
                    Limit::PlusInf
                } else {
                    Limit::MinusInf
                }
            }
        }
    }

    /// `degree(num) - degree(den)` (the growth order), `None` for a zero rational part.
    pub(crate) fn order(&self) -> Option<i64> {
        let dn = self.num.degree()? as i64;
        Some(dn - self.den.degree().unwrap_or(0) as i64)
    }

    /// Printed as `num` or `(num)/(den)`, with `+ o(t^-m)` when a flat term was dropped.
    pub(crate) fn display(&self) -> String {
        let mut s = if self.den.degree() == Some(0) {
            self.num.display()
        } else {
            format!("({})/({})", self.num.display(), self.den.display())
        };
        if self.flat {
            s.push_str(" + (a term smaller than every power of 1/t)");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(a: i64) -> Rational {
        Rational::from(a)
    }

    #[test]
    fn limits_by_degrees() {
        // (t^2 + 4)/t^2 -> 1
        let a = Germ::monomial(q(1), 0);
        let b = Germ::monomial(q(4), -2);
        let s = a.add(&b);
        assert_eq!(s.limit(), Limit::Finite(q(1)));
        assert_eq!(s.display(), "(t^2 + 4)/(t^2)");
        let t = Germ::monomial(q(-3), 1);
        assert_eq!(t.limit(), Limit::MinusInf);
        assert_eq!(t.mul(&t).limit(), Limit::PlusInf);
        let r = Germ::poly(UPoly::monomial(q(1), 1).add(&UPoly::constant(q(1))))
            .recip()
            .expect("nonzero");
        assert_eq!(r.limit(), Limit::Finite(q(0)));
        assert_eq!(r.sign(), Some(1));
    }

    #[test]
    fn gcd_cancels() {
        // (t^2 - 1)/(t - 1) = t + 1
        let num = UPoly::monomial(q(1), 2).sub(&UPoly::constant(q(1)));
        let den = UPoly::monomial(q(1), 1).sub(&UPoly::constant(q(1)));
        let g = Germ::normalized(num, den, false);
        assert_eq!(g.den.degree(), Some(0));
        assert_eq!(g.num.display(), "t + 1");
    }
}
