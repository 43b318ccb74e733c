//! Exact arithmetic in `Q[t]/(t^q - k)`: the numbers `a_0 + a_1 t + ... + a_{q-1} t^{q-1}`
//! with rational `a_i` and `t = k^(1/q)` (the positive real root, `k > 0` rational).
//!
//! [`RadicalElement`] implements [`Scalar`], so a compiled [`ngd_eval::Tape`] evaluates an
//! expression at a point whose coordinates are rational multiples of powers of `t`. Every
//! `Ok` result is the exact value *as an element of the ring*, and the map "element ->
//! real number" (substitute `t = k^(1/q)`) respects `+`, `-`, `*`, so a result that is the
//! zero polynomial is the real number 0 exactly. Division uses an inverse `b` with
//! `a b = 1` in the ring, checked by one multiplication: then `a(t) b(t) = 1`, so `a(t) != 0`
//! and `1/a(t) = b(t)` (sound without knowing whether `t^q - k` is irreducible). Anything the
//! ring cannot decide exactly (the sign, `abs`, `max`, roots, `exp`, `log` of an element that
//! is not a rational constant; a non-invertible denominator) is an error, never a guess.

use ngd_eval::{EvalErrorKind, Scalar};
use rug::Rational;
use std::cell::Cell;
use std::rc::Rc;

/// Above this many bits (all coefficients together) an element is refused instead of being
/// computed further: a bound on memory, not on correctness.
const MAX_ELEMENT_BITS: u64 = 1 << 20;

/// The work one evaluation may do, in units of about one 64-bit limb operation of the
/// coefficient products (see [`WorkBudget`]): a bound on time, not on correctness. A hostile
/// `f` such as a sum of many `(x + y)^1000000` at a point of degree 60 would otherwise
/// multiply dense elements of `2^20` bits again and again (minutes per evaluation).
pub(crate) const WORK_UNITS: u64 = 20_000_000;

const TOO_LARGE: &str = "exact radical value too large";
const UNDECIDED_ABS: &str = "abs/sign/max/min of a non-rational radical value";
const NOT_INVERTIBLE: &str = "division by a non-invertible radical value";
const IRRATIONAL_FUNCTION: &str = "root/exp/log of a non-rational radical value";
const OUT_OF_WORK: &str = "exact radical evaluation exceeds its work budget";

/// The work left to one evaluation, shared by every element computed in it (the elements
/// carry a handle to it). Equality of elements ignores it: it is bookkeeping, not value.
#[derive(Clone, Debug)]
pub(crate) struct WorkBudget(Rc<Cell<u64>>);

impl WorkBudget {
    /// A fresh allowance of `units`.
    pub fn new(units: u64) -> WorkBudget {
        WorkBudget(Rc::new(Cell::new(units)))
    }

    /// Takes `units` from the allowance; false (and nothing left) when it does not suffice.
    fn charge(&self, units: u64) -> bool {
        let left = self.0.get();
        self.0.set(left.saturating_sub(units));
        left >= units
    }
}

impl PartialEq for WorkBudget {
    fn eq(&self, _: &WorkBudget) -> bool {
        true
    }
}

/// The ring `Q[t]/(t^q - k)`: the context of [`RadicalElement`] evaluation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RadicalRing {
    /// `k > 0`.
    pub base: Rational,
    /// `q >= 1`.
    pub degree: usize,
    /// The work left to the evaluation in this ring.
    pub budget: WorkBudget,
}

/// An element of [`RadicalRing`], or the reason it could not be computed exactly.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RadicalElement {
    /// `a_0, ..., a_{q-1}`: the coefficients of `1, t, ..., t^{q-1}`.
    coeffs: Vec<Rational>,
    base: Rational,
    /// Set by the infallible operations of [`Scalar`] (`abs`, `sign`, `max`, `min`, and a
    /// product beyond the work budget) when the answer is not decided; [`Scalar::check`]
    /// turns it into an error.
    undecided: Option<&'static str>,
    budget: WorkBudget,
}

impl RadicalElement {
    /// The constant `c`.
    pub fn constant(c: Rational, ring: &RadicalRing) -> RadicalElement {
        let mut coeffs = vec![Rational::new(); ring.degree.max(1)];
        coeffs[0] = c;
        RadicalElement {
            coeffs,
            base: ring.base.clone(),
            undecided: None,
            budget: ring.budget.clone(),
        }
    }

    /// `c t^e` for any integer `e` (`t^q = k` reduces the exponent).
    pub fn monomial(c: Rational, e: i64, ring: &RadicalRing) -> RadicalElement {
        let q = ring.degree.max(1) as i64;
        let (wraps, slot) = (e.div_euclid(q), e.rem_euclid(q) as usize);
        let scale = pow_rational(&ring.base, wraps);
        let mut out = RadicalElement::constant(Rational::new(), ring);
        out.coeffs[slot] = c * scale;
        out
    }

    /// True when the element is exactly the zero polynomial (so the real number 0).
    pub fn is_zero(&self) -> bool {
        self.undecided.is_none() && self.coeffs.iter().all(|c| *c == 0)
    }

    /// The element as a rational when it is a constant.
    pub fn as_rational(&self) -> Option<Rational> {
        (self.undecided.is_none() && self.coeffs[1..].iter().all(|c| *c == 0))
            .then(|| self.coeffs[0].clone())
    }

    fn with_coeffs(&self, coeffs: Vec<Rational>) -> RadicalElement {
        RadicalElement {
            coeffs,
            base: self.base.clone(),
            undecided: self.undecided,
            budget: self.budget.clone(),
        }
    }

    fn undecided_like(&self, why: &'static str) -> RadicalElement {
        RadicalElement {
            undecided: Some(why),
            ..self.clone()
        }
    }

    fn combine(&self, rhs: &Self, op: impl Fn(&Rational, &Rational) -> Rational) -> Self {
        let coeffs = self
            .coeffs
            .iter()
            .zip(&rhs.coeffs)
            .map(|(a, b)| op(a, b))
            .collect();
        let mut out = self.with_coeffs(coeffs);
        out.undecided = self.undecided.or(rhs.undecided);
        out
    }

    /// The work of a product with `rhs`: every pair of nonzero coefficients is multiplied,
    /// each product costing about the limbs of its two factors.
    fn product_work(&self, rhs: &Self) -> u64 {
        let nonzero = |a: &Self| a.coeffs.iter().filter(|c| **c != 0).count() as u64;
        let (na, nb) = (nonzero(self), nonzero(rhs));
        na * nb + (self.bits() * nb + rhs.bits() * na) / 64
    }

    fn bits(&self) -> u64 {
        self.coeffs
            .iter()
            .map(|c| {
                u64::from(c.numer().significant_bits()) + u64::from(c.denom().significant_bits())
            })
            .sum()
    }

    /// A rational-only operation: applied to a constant, refused otherwise.
    fn on_constant(
        &self,
        op: impl Fn(&Rational) -> Result<Rational, EvalErrorKind>,
    ) -> Result<Self, EvalErrorKind> {
        let c = self
            .as_rational()
            .ok_or(EvalErrorKind::NotRational(IRRATIONAL_FUNCTION))?;
        let ring = self.ring();
        Ok(RadicalElement::constant(op(&c)?, &ring))
    }

    fn ring(&self) -> RadicalRing {
        RadicalRing {
            base: self.base.clone(),
            degree: self.coeffs.len(),
            budget: self.budget.clone(),
        }
    }
}

/// `k^e` for an integer `e` (`k != 0`).
fn pow_rational(k: &Rational, e: i64) -> Rational {
    let mut out = Rational::from(1);
    for _ in 0..e.unsigned_abs() {
        out *= k;
    }
    if e < 0 {
        out.recip_mut();
    }
    out
}

/// The product of two coefficient vectors of length `q`, reduced with `t^q = k`.
fn mul_reduced(a: &[Rational], b: &[Rational], k: &Rational) -> Vec<Rational> {
    let q = a.len();
    let mut out = vec![Rational::new(); q];
    for (i, ai) in a.iter().enumerate().filter(|(_, c)| **c != 0) {
        for (j, bj) in b.iter().enumerate().filter(|(_, c)| **c != 0) {
            let term = Rational::from(ai * bj);
            if i + j < q {
                out[i + j] += term;
            } else {
                out[i + j - q] += term * k;
            }
        }
    }
    out
}

/// Polynomials over Q as coefficient vectors (lowest degree first, no trailing zeros).
mod poly {
    use rug::Rational;

    pub fn trim(mut p: Vec<Rational>) -> Vec<Rational> {
        while p.last().is_some_and(|c| *c == 0) {
            p.pop();
        }
        p
    }

    pub fn sub(a: &[Rational], b: &[Rational]) -> Vec<Rational> {
        let n = a.len().max(b.len());
        let zero = Rational::new();
        let out = (0..n)
            .map(|i| Rational::from(a.get(i).unwrap_or(&zero) - b.get(i).unwrap_or(&zero)))
            .collect();
        trim(out)
    }

    pub fn mul(a: &[Rational], b: &[Rational]) -> Vec<Rational> {
        if a.is_empty() || b.is_empty() {
            return Vec::new();
        }
        let mut out = vec![Rational::new(); a.len() + b.len() - 1];
        for (i, ai) in a.iter().enumerate() {
            for (j, bj) in b.iter().enumerate() {
                out[i + j] += Rational::from(ai * bj);
            }
        }
        trim(out)
    }

    /// `(quotient, remainder)` of `a / b`, `b` nonzero.
    pub fn div_rem(a: &[Rational], b: &[Rational]) -> (Vec<Rational>, Vec<Rational>) {
        let mut rem = trim(a.to_vec());
        let lead = b.last().expect("nonzero divisor").clone();
        if rem.len() < b.len() {
            return (Vec::new(), rem);
        }
        let mut quot = vec![Rational::new(); rem.len() - b.len() + 1];
        while rem.len() >= b.len() {
            let shift = rem.len() - b.len();
            let c = Rational::from(rem.last().expect("nonempty") / &lead);
            for (i, bi) in b.iter().enumerate() {
                rem[shift + i] -= Rational::from(&c * bi);
            }
            quot[shift] = c;
            rem.pop();
            rem = trim(rem);
        }
        (trim(quot), rem)
    }
}

/// The cost of a unit of Euclid's work relative to a unit of a product: its rational
/// operations on unequal denominators need a gcd each (measured: about 16 times slower).
const EUCLID_WEIGHT: u64 = 16;

/// The largest coefficient of `p` in bits (numerator plus denominator).
fn max_bits(p: &[Rational]) -> u64 {
    p.iter()
        .map(|c| u64::from(c.numer().significant_bits()) + u64::from(c.denom().significant_bits()))
        .max()
        .unwrap_or(0)
}

/// `b` with `a b = 1 (mod t^q - k)` by the extended Euclidean algorithm over Q; `Err` with
/// the reason when `gcd(a, t^q - k)` is not a constant or the work exceeds `budget`. Each
/// step is charged before it is done, at the size of its coefficients: the remainders over Q
/// can grow to far more bits than `a` (minutes for a dense `a` of degree 60 without it).
fn inverse_mod(
    a: &[Rational],
    k: &Rational,
    budget: &WorkBudget,
) -> Result<Vec<Rational>, &'static str> {
    let q = a.len();
    let mut modulus = vec![Rational::new(); q + 1];
    modulus[0] = Rational::from(-k);
    modulus[q] = Rational::from(1);
    let (mut r0, mut r1) = (modulus, poly::trim(a.to_vec()));
    let (mut s0, mut s1) = (Vec::new(), vec![Rational::from(1)]);
    while !r1.is_empty() {
        let steps = (r0.len() + 1).saturating_sub(r1.len()) as u64;
        let size = 1 + (max_bits(&r0) + max_bits(&r1) + max_bits(&s1)) / 64;
        let work = steps * (r1.len() + s1.len()) as u64 * size * EUCLID_WEIGHT;
        if !budget.charge(work) {
            return Err(OUT_OF_WORK);
        }
        let (quot, rem) = poly::div_rem(&r0, &r1);
        let s2 = poly::sub(&s0, &poly::mul(&quot, &s1));
        (r0, r1) = (r1, rem);
        (s0, s1) = (s1, s2);
    }
    if r0.len() != 1 {
        return Err(NOT_INVERTIBLE);
    }
    let scale = Rational::from(r0[0].recip_ref());
    let mut inv = vec![Rational::new(); q];
    // s0 has degree < q; the reduction below only guards against a longer vector.
    for (i, c) in s0.iter().enumerate() {
        let term = Rational::from(c * &scale);
        inv[i % q] += term * pow_rational(k, (i / q) as i64);
    }
    Ok(inv)
}

impl Scalar for RadicalElement {
    type Ctx = RadicalRing;

    fn from_rational(q: &Rational, ring: &RadicalRing) -> Result<Self, EvalErrorKind> {
        Ok(RadicalElement::constant(q.clone(), ring))
    }
    fn add(&self, rhs: &Self) -> Self {
        self.combine(rhs, |a, b| Rational::from(a + b))
    }
    fn sub(&self, rhs: &Self) -> Self {
        self.combine(rhs, |a, b| Rational::from(a - b))
    }
    fn mul(&self, rhs: &Self) -> Self {
        if !self.budget.charge(self.product_work(rhs)) {
            return self.undecided_like(OUT_OF_WORK);
        }
        let mut out = self.with_coeffs(mul_reduced(&self.coeffs, &rhs.coeffs, &self.base));
        out.undecided = self.undecided.or(rhs.undecided);
        out
    }
    fn neg(&self) -> Self {
        self.with_coeffs(self.coeffs.iter().map(|c| Rational::from(-c)).collect())
    }
    fn recip(&self) -> Result<Self, EvalErrorKind> {
        if let Some(c) = self.as_rational() {
            return self.on_constant(|_| Scalar::recip(&c));
        }
        let inv = inverse_mod(&self.coeffs, &self.base, &self.budget)
            .map_err(EvalErrorKind::NotRational)?;
        let inv = self.with_coeffs(inv);
        // The certificate of invertibility: a * b == 1 exactly.
        let one = RadicalElement::constant(Rational::from(1), &self.ring());
        if self.mul(&inv) != one {
            return Err(EvalErrorKind::NotRational(NOT_INVERTIBLE));
        }
        Ok(inv)
    }
    fn powi(&self, n: i32) -> Result<Self, EvalErrorKind> {
        if let Some(c) = self.as_rational() {
            return self.on_constant(|_| Scalar::powi(&c, n));
        }
        let mut base = if n < 0 { self.recip()? } else { self.clone() };
        let mut out = RadicalElement::constant(Rational::from(1), &self.ring());
        let mut e = n.unsigned_abs();
        while e > 0 {
            if e & 1 == 1 {
                out = out.mul(&base);
                out.check()?;
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base);
                base.check()?;
            }
        }
        Ok(out)
    }
    fn root(&self, q: u32) -> Result<Self, EvalErrorKind> {
        self.on_constant(|c| Scalar::root(c, q))
    }
    fn exp(&self) -> Result<Self, EvalErrorKind> {
        self.on_constant(Scalar::exp)
    }
    fn log(&self) -> Result<Self, EvalErrorKind> {
        self.on_constant(Scalar::log)
    }
    fn abs(&self) -> Self {
        self.on_constant(|c| Ok(Scalar::abs(c)))
            .unwrap_or_else(|_| self.undecided_like(UNDECIDED_ABS))
    }
    fn sign(&self) -> Self {
        self.on_constant(|c| Ok(Scalar::sign(c)))
            .unwrap_or_else(|_| self.undecided_like(UNDECIDED_ABS))
    }
    fn max(&self, rhs: &Self) -> Self {
        // max(a, b) = b + max(a - b, 0): decided when a - b is a rational constant.
        let d = self.sub(rhs);
        match d.as_rational() {
            Some(c) if c >= 0 => self.clone(),
            Some(_) => rhs.clone(),
            None => d.undecided_like(UNDECIDED_ABS),
        }
    }
    fn min(&self, rhs: &Self) -> Self {
        let d = self.sub(rhs);
        match d.as_rational() {
            Some(c) if c <= 0 => self.clone(),
            Some(_) => rhs.clone(),
            None => d.undecided_like(UNDECIDED_ABS),
        }
    }
    fn check(&self) -> Result<(), EvalErrorKind> {
        if let Some(why) = self.undecided {
            return Err(EvalErrorKind::NotRational(why));
        }
        if self.bits() > MAX_ELEMENT_BITS {
            return Err(EvalErrorKind::NotRational(TOO_LARGE));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rug::ops::Pow;

    fn ring(k: i64, q: usize) -> RadicalRing {
        RadicalRing {
            base: Rational::from(k),
            degree: q,
            budget: WorkBudget::new(WORK_UNITS),
        }
    }

    fn t(r: &RadicalRing) -> RadicalElement {
        RadicalElement::monomial(Rational::from(1), 1, r)
    }

    #[test]
    fn powers_of_the_root_reduce() {
        let r = ring(2, 3);
        assert_eq!(
            t(&r).powi(3).unwrap().as_rational(),
            Some(Rational::from(2))
        );
        let inv = t(&r).powi(-1).unwrap();
        assert_eq!(inv, RadicalElement::monomial(Rational::from((1, 2)), 2, &r));
        assert_eq!(
            RadicalElement::monomial(Rational::from(1), -3, &r).as_rational(),
            Some(Rational::from((1, 2)))
        );
    }

    #[test]
    fn inverses_are_certified() {
        // (1 + t) with t^2 = 2: inverse (t - 1).
        let r = ring(2, 2);
        let a = t(&r).add(&RadicalElement::constant(Rational::from(1), &r));
        let inv = a.recip().unwrap();
        let expect = t(&r).sub(&RadicalElement::constant(Rational::from(1), &r));
        assert_eq!(inv, expect);
        // t^2 - 4 with k = 4 is 0 in the ring: zero has no inverse.
        let r4 = ring(4, 2);
        let z = t(&r4)
            .powi(2)
            .unwrap()
            .sub(&RadicalElement::constant(Rational::from(4), &r4));
        assert!(z.is_zero());
        assert!(z.recip().is_err());
        // t - 2 with k = 4 (t = 2 really) is a zero divisor: no inverse, so undecided.
        let zd = t(&r4).sub(&RadicalElement::constant(Rational::from(2), &r4));
        assert_eq!(zd.recip(), Err(EvalErrorKind::NotRational(NOT_INVERTIBLE)));
    }

    #[test]
    fn sign_of_a_non_rational_is_undecided() {
        let r = ring(2, 2);
        let a = t(&r).sub(&RadicalElement::constant(Rational::from(1), &r));
        assert!(a.abs().check().is_err());
        assert!(a
            .max(&RadicalElement::constant(Rational::new(), &r))
            .check()
            .is_err());
        assert!(a.root(2).is_err());
        // A rational difference decides max/min.
        let b = a.add(&RadicalElement::constant(Rational::from(1), &r));
        assert_eq!(a.max(&b), b);
        assert_eq!(a.min(&b), a);
    }

    /// The real value of `a` at `t = k^(1/q)` in MPFR (300 bits).
    fn real_value(a: &RadicalElement) -> rug::Float {
        let q = a.coeffs.len() as u32;
        let t = rug::Float::with_val(300, &a.base).root(q);
        let mut sum = rug::Float::with_val(300, 0);
        for (i, c) in a.coeffs.iter().enumerate() {
            let ti = rug::Float::with_val(300, (&t).pow(i as u32));
            sum += ti * rug::Float::with_val(300, c);
        }
        sum
    }

    fn element(r: &RadicalRing, coeffs: &[(i64, i64)]) -> RadicalElement {
        let mut a = RadicalElement::constant(Rational::new(), r);
        for (i, &c) in coeffs.iter().take(r.degree).enumerate() {
            a = a.add(&RadicalElement::monomial(Rational::from(c), i as i64, r));
        }
        a
    }

    fn close(x: &rug::Float, y: &rug::Float) -> bool {
        let scale = rug::Float::with_val(300, x.abs_ref()).max(&rug::Float::with_val(300, 1));
        rug::Float::with_val(300, x - y).abs() <= scale * 1e-60
    }

    proptest::proptest! {
        /// Products, inverses and powers in the ring agree with MPFR at `t = k^(1/q)`.
        #[test]
        fn ring_operations_agree_with_mpfr(
            k in 2i64..30, q in 1usize..7,
            a in proptest::collection::vec((-9i64..10, 1i64..9), 6),
            b in proptest::collection::vec((-9i64..10, 1i64..9), 6),
            n in -4i32..6,
        ) {
            let r = ring(k, q);
            let (a, b) = (element(&r, &a), element(&r, &b));
            let (va, vb) = (real_value(&a), real_value(&b));
            proptest::prop_assert!(close(&real_value(&a.mul(&b)), &rug::Float::with_val(300, &va * &vb)));
            if let Ok(inv) = a.recip() {
                proptest::prop_assert!(close(&real_value(&inv.mul(&a)), &rug::Float::with_val(300, 1)));
                proptest::prop_assert!(close(&real_value(&inv), &rug::Float::with_val(300, va.recip_ref())));
            }
            if let Ok(p) = a.powi(n) {
                proptest::prop_assert!(close(&real_value(&p), &rug::Float::with_val(300, (&va).pow(n))));
            }
            // An element that is not the zero polynomial is invertible when t^q - k is
            // irreducible (k not a perfect power, as here for k = 2, 3, 5, ...).
            if [2, 3, 5, 6, 7, 10, 11].contains(&k) && !a.is_zero() {
                proptest::prop_assert!(a.recip().is_ok());
            }
        }
    }

    /// Inverting a dense element of degree 60 with coefficients of hundreds of bits (extended
    /// Euclid over Q) is refused at the work budget, in bounded time.
    #[test]
    fn dense_inverses_are_bounded() {
        let r = ring(2, 60);
        let coeffs: Vec<(i64, i64)> = (0..60).map(|i| (i * 7919 % 1009 + 1, 1)).collect();
        let a = element(&r, &coeffs).powi(40).unwrap();
        let start = std::time::Instant::now();
        let mut refused = 0;
        for _ in 0..5 {
            match a.recip() {
                Ok(inv) => assert_eq!(inv.mul(&a).as_rational(), Some(Rational::from(1))),
                Err(_) => refused += 1,
            }
        }
        let secs = start.elapsed().as_secs_f64();
        // The remainders over Q grow far beyond the input's bits: the first attempt runs out
        // of work (it took 6 minutes before the charge), the others find nothing left.
        assert_eq!(refused, 5);
        assert!(secs < 5.0, "{secs} s");
    }

    #[test]
    fn huge_powers_are_refused() {
        let r = ring(2, 3);
        let a = t(&r).add(&RadicalElement::constant(Rational::from((3, 7)), &r));
        assert!(a.powi(i32::MAX).is_err());
    }
}
