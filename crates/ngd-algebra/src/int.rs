//! Integers with an inline `i64` fast path and a GMP fallback.
//!
//! The representation is normalized: a value that fits in `i64` is always stored as
//! [`Int::S`], so the derived equality and hashing agree with numeric equality.

use rug::{Assign, Integer};
use std::cmp::Ordering;

/// An exact integer: small values inline, large ones boxed GMP integers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Int {
    /// A value that fits in `i64`.
    S(i64),
    /// A value that does not fit in `i64`.
    B(Box<Integer>),
}

impl Int {
    pub(crate) const ZERO: Int = Int::S(0);
    pub(crate) const ONE: Int = Int::S(1);

    pub(crate) fn from_integer(i: Integer) -> Int {
        match i.to_i64() {
            Some(v) => Int::S(v),
            None => Int::B(Box::new(i)),
        }
    }

    pub(crate) fn from_i128(v: i128) -> Int {
        match i64::try_from(v) {
            Ok(s) => Int::S(s),
            Err(_) => Int::B(Box::new(Integer::from(v))),
        }
    }

    pub(crate) fn to_integer(&self) -> Integer {
        match self {
            Int::S(v) => Integer::from(*v),
            Int::B(b) => (**b).clone(),
        }
    }

    pub(crate) fn is_zero(&self) -> bool {
        matches!(self, Int::S(0))
    }

    pub(crate) fn is_one(&self) -> bool {
        matches!(self, Int::S(1))
    }

    pub(crate) fn cmp0(&self) -> Ordering {
        match self {
            Int::S(v) => v.cmp(&0),
            Int::B(b) => b.cmp0(),
        }
    }

    pub(crate) fn neg(&self) -> Int {
        match self {
            Int::S(v) => match v.checked_neg() {
                Some(n) => Int::S(n),
                None => Int::from_integer(-Integer::from(*v)),
            },
            Int::B(b) => Int::from_integer(-(**b).clone()),
        }
    }

    pub(crate) fn abs(&self) -> Int {
        if self.cmp0() == Ordering::Less {
            self.neg()
        } else {
            self.clone()
        }
    }

    pub(crate) fn mul(&self, o: &Int) -> Int {
        match (self, o) {
            (Int::S(a), Int::S(b)) => Int::from_i128(i128::from(*a) * i128::from(*b)),
            (Int::S(a), Int::B(b)) | (Int::B(b), Int::S(a)) => {
                Int::from_integer(Integer::from(&**b * *a))
            }
            (Int::B(a), Int::B(b)) => Int::from_integer(Integer::from(&**a * &**b)),
        }
    }

    /// Exact division; the caller guarantees `o` divides `self` and `o != 0`.
    pub(crate) fn div_exact(&self, o: &Int) -> Int {
        if let (Int::S(a), Int::S(b)) = (self, o) {
            if let Some(q) = a.checked_div(*b) {
                debug_assert_eq!(a % b, 0);
                return Int::S(q);
            }
        }
        let mut r = self.to_integer();
        r.div_exact_mut(&o.to_integer());
        Int::from_integer(r)
    }

    /// Non-negative gcd.
    pub(crate) fn gcd(&self, o: &Int) -> Int {
        if let (Int::S(a), Int::S(b)) = (self, o) {
            let (mut x, mut y) = (a.unsigned_abs(), b.unsigned_abs());
            while y != 0 {
                let t = x % y;
                x = y;
                y = t;
            }
            if let Ok(v) = i64::try_from(x) {
                return Int::S(v);
            }
            return Int::from_integer(Integer::from(x));
        }
        let mut g = self.to_integer();
        g.gcd_mut(&o.to_integer());
        Int::from_integer(g)
    }

    /// Least common multiple of two positive integers.
    pub(crate) fn lcm(&self, o: &Int) -> Int {
        if self == o || o.is_one() {
            return self.clone();
        }
        if self.is_one() {
            return o.clone();
        }
        let g = self.gcd(o);
        self.div_exact(&g).mul(o)
    }

    /// `self^k`.
    pub(crate) fn pow(&self, k: u32) -> Int {
        let mut r = Integer::new();
        r.assign(rug::ops::Pow::pow(&self.to_integer(), k));
        Int::from_integer(r)
    }

    /// The size in 64-bit limbs (at least 1), a measure of the cost of multiplying by it.
    pub(crate) fn limbs(&self) -> u64 {
        match self {
            Int::S(_) => 1,
            Int::B(b) => u64::from(b.significant_bits()).div_ceil(64).max(1),
        }
    }

    /// The number of significant bits of `|self|` (`0` for zero).
    pub(crate) fn bits(&self) -> u64 {
        match self {
            Int::S(v) => u64::from(u64::BITS - v.unsigned_abs().leading_zeros()),
            Int::B(b) => u64::from(b.significant_bits()),
        }
    }

    /// The value as `i64` when small.
    pub(crate) fn small(&self) -> Option<i64> {
        match self {
            Int::S(v) => Some(*v),
            Int::B(_) => None,
        }
    }
}

impl From<i64> for Int {
    fn from(v: i64) -> Int {
        Int::S(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_promotes_and_demotes() {
        let a = Int::S(i64::MAX);
        let b = a.mul(&Int::S(2));
        assert!(matches!(b, Int::B(_)));
        let c = b.div_exact(&Int::S(2));
        assert_eq!(c, Int::S(i64::MAX));
        let m = a.mul(&a);
        assert_eq!(m.div_exact(&a), a);
        assert_eq!(Int::S(i64::MIN).neg().neg(), Int::S(i64::MIN));
        assert_eq!(Int::S(12).gcd(&Int::S(-18)), Int::S(6));
        assert_eq!(Int::S(4).lcm(&Int::S(6)), Int::S(12));
        assert_eq!(Int::S(3).pow(3), Int::S(27));
    }
}
