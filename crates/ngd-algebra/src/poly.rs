//! The public sparse Laurent polynomial type over Q (variables only, no atoms).

use crate::int::Int;
use crate::mono::Layout;
use crate::mpoly::MPoly;
use ngd_expr::{Arena, ExprId};
use rug::{Integer, Rational};
use std::cmp::Ordering;
use std::ops;

/// Sparse Laurent polynomial over Q in `n` variables (integer exponents, possibly negative).
///
/// Invariants: no zero coefficient, no repeated monomial, and the terms are stored in graded
/// lexicographic order, highest first (larger total degree first; equal degrees compare the
/// exponent vectors lexicographically, `x_0` most significant). Hence two polynomials are
/// equal as functions exactly when they are equal as values of this type (same `n`).
///
/// Binary operations on polynomials with different `n` treat the missing variables as
/// absent (the result has the larger `n`). Arithmetic is exact; exponents must stay within
/// `±2^30` (a panic otherwise).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Poly {
    n: usize,
    exps: Vec<i32>,
    coeffs: Vec<Rational>,
}

/// Graded lexicographic comparison, highest first.
fn grlex_desc(a: &[i32], b: &[i32]) -> Ordering {
    let da: i64 = a.iter().map(|&e| i64::from(e)).sum();
    let db: i64 = b.iter().map(|&e| i64::from(e)).sum();
    db.cmp(&da).then_with(|| b.cmp(a))
}

impl Poly {
    /// The zero polynomial in `n` variables.
    pub fn zero(n: usize) -> Poly {
        Poly {
            n,
            exps: Vec::new(),
            coeffs: Vec::new(),
        }
    }

    /// The constant `c` in `n` variables.
    pub fn constant(c: Rational, n: usize) -> Poly {
        Poly::from_terms_n(n, vec![(vec![0; n], c)])
    }

    /// The variable `x_i` in `n` variables (`i < n`, else a panic).
    pub fn var(i: usize, n: usize) -> Poly {
        assert!(i < n, "variable index {i} out of range for {n} variables");
        let mut e = vec![0; n];
        e[i] = 1;
        Poly::from_terms_n(n, vec![(e, Rational::from(1))])
    }

    /// The polynomial with these terms (like terms are added, zeros dropped). The number of
    /// variables is the length of the exponent vectors (all equal, else a panic; `0` when
    /// there is no term).
    pub fn from_terms(terms: Vec<(Vec<i32>, Rational)>) -> Poly {
        let n = terms.first().map_or(0, |t| t.0.len());
        Poly::from_terms_n(n, terms)
    }

    /// Like [`Poly::from_terms`] with an explicit number of variables.
    pub fn from_terms_n(n: usize, mut terms: Vec<(Vec<i32>, Rational)>) -> Poly {
        for (e, _) in &terms {
            assert_eq!(e.len(), n, "exponent vector of the wrong length");
        }
        terms.sort_by(|a, b| grlex_desc(&a.0, &b.0));
        let mut exps = Vec::with_capacity(terms.len() * n);
        let mut coeffs: Vec<Rational> = Vec::with_capacity(terms.len());
        let mut last: Option<Vec<i32>> = None;
        for (e, c) in terms {
            if last.as_ref() == Some(&e) {
                *coeffs.last_mut().expect("previous term") += c;
            } else {
                exps.extend_from_slice(&e);
                coeffs.push(c);
                last = Some(e);
            }
        }
        let mut p = Poly { n, exps, coeffs };
        p.drop_zeros();
        p
    }

    fn drop_zeros(&mut self) {
        if self.coeffs.iter().all(|c| *c != 0) {
            return;
        }
        let n = self.n;
        let mut exps = Vec::with_capacity(self.exps.len());
        let mut coeffs = Vec::with_capacity(self.coeffs.len());
        for (i, c) in std::mem::take(&mut self.coeffs).into_iter().enumerate() {
            if c != 0 {
                exps.extend_from_slice(&self.exps[i * n..(i + 1) * n]);
                coeffs.push(c);
            }
        }
        self.exps = exps;
        self.coeffs = coeffs;
    }

    /// The number of variables.
    pub fn n_vars(&self) -> usize {
        self.n
    }

    /// The number of (non-zero) terms.
    pub fn len(&self) -> usize {
        self.coeffs.len()
    }

    /// True for the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.coeffs.is_empty()
    }

    /// True when there is no term (the zero polynomial), like [`Poly::is_zero`].
    pub fn is_empty(&self) -> bool {
        self.coeffs.is_empty()
    }

    /// The terms as `(exponents, coefficient)`, in graded lexicographic order (highest first).
    pub fn terms(&self) -> impl Iterator<Item = (&[i32], &Rational)> + '_ {
        let n = self.n;
        (0..self.len()).map(move |i| (&self.exps[i * n..(i + 1) * n], &self.coeffs[i]))
    }

    /// The coefficient of a monomial (zero when absent).
    pub fn coeff(&self, exps: &[i32]) -> Rational {
        self.terms()
            .find(|(e, _)| *e == exps)
            .map_or_else(Rational::new, |(_, c)| c.clone())
    }

    /// The same polynomial in `n >= self.n_vars()` variables.
    pub fn extend_vars(&self, n: usize) -> Poly {
        assert!(n >= self.n, "cannot drop variables");
        if n == self.n {
            return self.clone();
        }
        let mut exps = Vec::with_capacity(self.len() * n);
        for (e, _) in self.terms() {
            exps.extend_from_slice(e);
            exps.extend(std::iter::repeat_n(0, n - self.n));
        }
        // Appending zero exponents keeps the graded lexicographic order.
        Poly {
            n,
            exps,
            coeffs: self.coeffs.clone(),
        }
    }

    fn max_abs_exp(&self) -> i64 {
        self.exps
            .iter()
            .map(|&e| i64::from(e).abs())
            .max()
            .unwrap_or(0)
    }

    fn to_mpoly(&self, l: &Layout) -> MPoly {
        let mut den = Integer::from(1);
        for c in &self.coeffs {
            den.lcm_mut(c.denom());
        }
        let mut exps = vec![0u64; self.len() * l.w];
        let mut coeffs = Vec::with_capacity(self.len());
        for (i, (e, c)) in self.terms().enumerate() {
            let words = &mut exps[i * l.w..(i + 1) * l.w];
            for (s, &x) in e.iter().enumerate() {
                if x != 0 {
                    l.set(words, s, x);
                }
            }
            let k = Integer::from(&den / c.denom()) * c.numer();
            coeffs.push(Int::from_integer(k));
        }
        MPoly::from_parts(exps, Vec::new(), coeffs, Int::from_integer(den))
    }

    /// Converts the first `n` slots of an atom-free packed polynomial.
    pub(crate) fn from_mpoly(l: &Layout, n: usize, p: &MPoly) -> Poly {
        let terms = (0..p.len())
            .map(|i| {
                let m = p.mono(l, i);
                ((0..n).map(|s| l.get(m, s)).collect(), p.coeff_rational(i))
            })
            .collect();
        Poly::from_terms_n(n, terms)
    }

    /// `self * q`.
    pub fn scale(&self, q: &Rational) -> Poly {
        if *q == 0 {
            return Poly::zero(self.n);
        }
        Poly {
            n: self.n,
            exps: self.exps.clone(),
            coeffs: self.coeffs.iter().map(|c| Rational::from(c * q)).collect(),
        }
    }

    fn merge(&self, other: &Poly, sign: i32) -> Poly {
        let n = self.n.max(other.n);
        let a = self.extend_vars(n);
        let b = other.extend_vars(n);
        let mut exps = Vec::with_capacity((a.len() + b.len()) * n);
        let mut coeffs = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        let ta: Vec<_> = a.terms().collect();
        let tb: Vec<_> = b.terms().collect();
        let neg = |c: &Rational| -> Rational {
            if sign < 0 {
                Rational::from(-c)
            } else {
                c.clone()
            }
        };
        while i < ta.len() || j < tb.len() {
            let ord = if i == ta.len() {
                Ordering::Greater
            } else if j == tb.len() {
                Ordering::Less
            } else {
                grlex_desc(ta[i].0, tb[j].0)
            };
            match ord {
                Ordering::Less => {
                    exps.extend_from_slice(ta[i].0);
                    coeffs.push(ta[i].1.clone());
                    i += 1;
                }
                Ordering::Greater => {
                    exps.extend_from_slice(tb[j].0);
                    coeffs.push(neg(tb[j].1));
                    j += 1;
                }
                Ordering::Equal => {
                    let c = Rational::from(ta[i].1 + &neg(tb[j].1));
                    if c != 0 {
                        exps.extend_from_slice(ta[i].0);
                        coeffs.push(c);
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        Poly { n, exps, coeffs }
    }

    /// `self + other`.
    pub fn add(&self, other: &Poly) -> Poly {
        self.merge(other, 1)
    }

    /// `self - other`.
    pub fn sub(&self, other: &Poly) -> Poly {
        self.merge(other, -1)
    }

    /// `self * other` (hash-collected sparse product).
    pub fn mul(&self, other: &Poly) -> Poly {
        let n = self.n.max(other.n);
        if self.is_zero() || other.is_zero() {
            return Poly::zero(n);
        }
        let need = self.max_abs_exp() + other.max_abs_exp();
        let bits = Layout::bits_for(need).expect("exponent exceeds 2^30 in Poly::mul");
        let l = Layout::new(n, bits);
        let a = self.extend_vars(n).to_mpoly(&l);
        let b = other.extend_vars(n).to_mpoly(&l);
        let p = match MPoly::mul(&l, &a, &b, None, usize::MAX) {
            Ok(p) => p,
            Err(_) => unreachable!("lanes sized for the product and no term limit"),
        };
        Poly::from_mpoly(&l, n, &p)
    }

    /// `self^k` (`self^0 = 1`).
    pub fn pow(&self, k: u32) -> Poly {
        let mut result = Poly::constant(Rational::from(1), self.n);
        let mut base = self.clone();
        let mut k = k;
        while k > 0 {
            if k & 1 == 1 {
                result = result.mul(&base);
            }
            k >>= 1;
            if k > 0 {
                base = base.mul(&base);
            }
        }
        result
    }

    /// The partial derivative with respect to `x_var` (Laurent exponents included).
    pub fn derivative(&self, var: usize) -> Poly {
        let n = self.n;
        if var >= n {
            return Poly::zero(n);
        }
        let terms = self
            .terms()
            .filter(|(e, _)| e[var] != 0)
            .map(|(e, c)| {
                let mut e2 = e.to_vec();
                e2[var] -= 1;
                (e2, Rational::from(c * e[var]))
            })
            .collect();
        Poly::from_terms_n(n, terms)
    }

    /// The exact value at a rational point; `None` at a pole (a zero variable with a negative
    /// exponent), when the point has fewer than `n` coordinates, or when a power of a
    /// coordinate would exceed 2^22 bits.
    pub fn eval(&self, point: &[Rational]) -> Option<Rational> {
        if point.len() < self.n {
            return None;
        }
        let mut total = Rational::new();
        for (e, c) in self.terms() {
            let mut t = c.clone();
            for (x, &k) in point.iter().zip(e) {
                if crate::power_too_large(x, k.unsigned_abs()) {
                    return None;
                }
                if k > 0 {
                    t *= Rational::from(rug::ops::Pow::pow(x, k as u32));
                } else if k < 0 {
                    if *x == 0 {
                        return None;
                    }
                    t /= Rational::from(rug::ops::Pow::pow(x, k.unsigned_abs()));
                }
            }
            total += t;
        }
        Some(total)
    }

    /// The polynomial as an expression in `arena` (which must have at least `n` variables).
    pub fn to_expr(&self, arena: &mut Arena) -> ExprId {
        let mut terms = Vec::with_capacity(self.len());
        for (e, c) in self.terms() {
            let mut factors = vec![arena.constant(c.clone())];
            for (i, &k) in e.iter().enumerate() {
                if k != 0 {
                    let x = arena.var(i);
                    factors.push(arena.powi(x, i64::from(k)));
                }
            }
            terms.push(arena.mul(factors));
        }
        arena.add(terms)
    }
}

macro_rules! binop {
    ($tr:ident, $m:ident, $f:ident) => {
        impl ops::$tr<&Poly> for &Poly {
            type Output = Poly;
            fn $m(self, rhs: &Poly) -> Poly {
                Poly::$f(self, rhs)
            }
        }
        impl ops::$tr<Poly> for Poly {
            type Output = Poly;
            fn $m(self, rhs: Poly) -> Poly {
                Poly::$f(&self, &rhs)
            }
        }
        impl ops::$tr<&Poly> for Poly {
            type Output = Poly;
            fn $m(self, rhs: &Poly) -> Poly {
                Poly::$f(&self, rhs)
            }
        }
        impl ops::$tr<Poly> for &Poly {
            type Output = Poly;
            fn $m(self, rhs: Poly) -> Poly {
                Poly::$f(self, &rhs)
            }
        }
    };
}

binop!(Add, add, add);
binop!(Sub, sub, sub);
binop!(Mul, mul, mul);

impl ops::Neg for &Poly {
    type Output = Poly;
    fn neg(self) -> Poly {
        self.scale(&Rational::from(-1))
    }
}

impl ops::Neg for Poly {
    type Output = Poly;
    fn neg(self) -> Poly {
        self.scale(&Rational::from(-1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(a: i64) -> Rational {
        Rational::from(a)
    }

    #[test]
    fn arithmetic_and_order() {
        let x = Poly::var(0, 2);
        let y = Poly::var(1, 2);
        let s = &x + &y;
        let sq = s.pow(2);
        let expect = Poly::from_terms(vec![
            (vec![2, 0], q(1)),
            (vec![1, 1], q(2)),
            (vec![0, 2], q(1)),
        ]);
        assert_eq!(sq, expect);
        let order: Vec<Vec<i32>> = sq.terms().map(|(e, _)| e.to_vec()).collect();
        assert_eq!(order, vec![vec![2, 0], vec![1, 1], vec![0, 2]]);
        assert!((&sq - &expect).is_zero());
        let xinv = Poly::from_terms(vec![(vec![-1, 0], q(1))]);
        assert_eq!(&x * &xinv, Poly::constant(q(1), 2));
        assert_eq!(sq.derivative(0), &(&x + &y) * &Poly::constant(q(2), 2));
        assert_eq!(
            xinv.derivative(0),
            Poly::from_terms(vec![(vec![-2, 0], q(-1))])
        );
        assert_eq!(sq.eval(&[q(1), q(2)]), Some(q(9)));
        assert_eq!(xinv.eval(&[q(0), q(2)]), None);
        assert_eq!(x.coeff(&[1, 0]), q(1));
        assert_eq!(x.coeff(&[0, 1]), q(0));
        let big = Poly::from_terms(vec![(vec![1000, 0], q(1))]);
        assert_eq!(
            big.pow(3).terms().next().map(|t| t.0.to_vec()),
            Some(vec![3000, 0])
        );
        let z = Poly::var(0, 1) + Poly::var(1, 3);
        assert_eq!(z.n_vars(), 3);
        assert_eq!(z.len(), 2);
    }
}
