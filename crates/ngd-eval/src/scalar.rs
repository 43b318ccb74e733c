//! The number types a [`Tape`](crate::Tape) can evaluate over.

use crate::error::EvalErrorKind;
use inari::Interval;
use rug::float::Round;
use rug::ops::Pow as _;
use rug::{Float, Integer, Rational};
use std::cmp::Ordering;

/// A number type with the operations of the expression language.
///
/// Every implementation follows the same contract: an operation either returns a value that
/// is *correct for the type* (exact for [`Rational`], correctly rounded per operation for
/// [`Float`], an outward-rounded enclosure for [`Interval`], IEEE round-to-nearest or libm
/// accuracy for `f64`) or an [`EvalErrorKind`] saying why it is undefined (or, for
/// intervals, possibly undefined). Values passed in are assumed valid for the type (finite
/// floats, nonempty intervals).
pub trait Scalar: Clone + Sized {
    /// Evaluation context: `()` for most types, the precision in bits for [`Float`].
    type Ctx;

    /// The value of an exact rational constant (an enclosure of it for intervals, the
    /// nearest value for floats).
    fn from_rational(q: &Rational, ctx: &Self::Ctx) -> Result<Self, EvalErrorKind>;

    /// The value of a tape constant; same meaning as [`Scalar::from_rational`], but types
    /// may use the conversions the tape cached at compile time.
    fn from_const(c: &TapeConst, ctx: &Self::Ctx) -> Result<Self, EvalErrorKind> {
        Self::from_rational(c.rational(), ctx)
    }

    /// `self + rhs`.
    fn add(&self, rhs: &Self) -> Self;
    /// `self - rhs`.
    fn sub(&self, rhs: &Self) -> Self;
    /// `self * rhs`.
    fn mul(&self, rhs: &Self) -> Self;
    /// `-self`.
    fn neg(&self) -> Self;
    /// `self^2`. Intervals override it with the tight square (`[-1,1]^2 = [0,1]`).
    fn sqr(&self) -> Self {
        self.mul(self)
    }
    /// `1 / self`; an error at zero.
    fn recip(&self) -> Result<Self, EvalErrorKind>;
    /// `self / rhs`; an error when `rhs` is zero. Defaults to `self * (1 / rhs)`.
    fn div(&self, rhs: &Self) -> Result<Self, EvalErrorKind> {
        Ok(self.mul(&rhs.recip()?))
    }
    /// `self^n` for an integer `n`; a negative `n` is a reciprocal (an error at zero).
    /// `0^0 = 1`.
    fn powi(&self, n: i32) -> Result<Self, EvalErrorKind>;
    /// The real `q`-th root (`q >= 2`): for odd `q` defined on all reals (sign-preserving),
    /// for even `q` only on `[0, inf)`.
    fn root(&self, q: u32) -> Result<Self, EvalErrorKind>;
    /// `exp(self)`.
    fn exp(&self) -> Result<Self, EvalErrorKind>;
    /// Natural logarithm, defined for `self > 0`.
    fn log(&self) -> Result<Self, EvalErrorKind>;
    /// `|self|`.
    fn abs(&self) -> Self;
    /// `sign(self)` in `{-1, 0, 1}`.
    fn sign(&self) -> Self;
    /// `max(self, rhs)`.
    fn max(&self, rhs: &Self) -> Self;
    /// `min(self, rhs)`.
    fn min(&self, rhs: &Self) -> Self;
    /// Called on every intermediate result: a type may reject values it cannot carry on with
    /// (MPFR overflow to infinity or NaN gives [`EvalErrorKind::NonFinite`]). Default: `Ok`.
    fn check(&self) -> Result<(), EvalErrorKind> {
        Ok(())
    }
}

const LOG: &str = "log";
const EVEN_ROOT: &str = "even root";
const EXP: &str = "exp";
const ROOT: &str = "root";

// ---------------------------------------------------------------------------------------------
// f64 kernels, shared by the generic f64 scalar and all the fast f64 paths of `Tape`
// so they agree bit for bit.

pub(crate) mod kernels {
    /// `x^n` by binary powering (the same sequence of roundings everywhere), reciprocal for
    /// negative `n`.
    #[inline(always)]
    pub fn powi(x: f64, n: i32) -> f64 {
        let mut e = n.unsigned_abs();
        let mut r = 1.0;
        let mut b = x;
        while e > 0 {
            if e & 1 == 1 {
                r *= b;
            }
            e >>= 1;
            if e > 0 {
                b *= b;
            }
        }
        if n < 0 {
            1.0 / r
        } else {
            r
        }
    }

    /// Real `q`-th root: NaN for an even root of a negative number.
    #[inline]
    pub fn root(x: f64, q: u32) -> f64 {
        match q {
            2 => x.sqrt(),
            3 => x.cbrt(),
            _ if q % 2 == 1 => {
                let r = x.abs().powf(1.0 / f64::from(q));
                if x < 0.0 {
                    -r
                } else {
                    r
                }
            }
            _ => {
                if x < 0.0 {
                    f64::NAN
                } else {
                    x.powf(1.0 / f64::from(q))
                }
            }
        }
    }

    /// `sign(x)` in `{-1, 0, 1}`; NaN stays NaN, a zero keeps its sign bit.
    #[inline(always)]
    pub fn sign(x: f64) -> f64 {
        if x > 0.0 {
            1.0
        } else if x < 0.0 {
            -1.0
        } else {
            x
        }
    }

    /// `max(a, b)`, propagating NaN from either side.
    #[inline(always)]
    pub fn max(a: f64, b: f64) -> f64 {
        if a >= b || a.is_nan() {
            a
        } else {
            b
        }
    }

    /// `min(a, b)`, propagating NaN from either side.
    #[inline(always)]
    pub fn min(a: f64, b: f64) -> f64 {
        if a <= b || a.is_nan() {
            a
        } else {
            b
        }
    }

    /// The f64 nearest to a rational (ties to even; overflow gives an infinity).
    pub fn nearest(q: &rug::Rational) -> f64 {
        rug::Float::with_val(f64::MANTISSA_DIGITS, q).to_f64()
    }
}

/// `f64` with IEEE round-to-nearest arithmetic and libm functions (numerical evidence only,
/// never a proof). Errors on exactly the singular arguments: reciprocal of `0.0`, `log` of a
/// number `<= 0`, even root of a negative number. Overflow is not an error here (the results
/// are IEEE infinities); callers check finiteness. The values agree bit for bit with
/// [`Tape::eval_f64`](crate::Tape::eval_f64) wherever this path succeeds.
impl Scalar for f64 {
    type Ctx = ();

    fn from_rational(q: &Rational, _: &()) -> Result<Self, EvalErrorKind> {
        Ok(kernels::nearest(q))
    }
    fn from_const(c: &TapeConst, _: &()) -> Result<Self, EvalErrorKind> {
        Ok(c.f64_nearest())
    }
    fn add(&self, rhs: &Self) -> Self {
        self + rhs
    }
    fn sub(&self, rhs: &Self) -> Self {
        self - rhs
    }
    fn mul(&self, rhs: &Self) -> Self {
        self * rhs
    }
    fn neg(&self) -> Self {
        -self
    }
    fn recip(&self) -> Result<Self, EvalErrorKind> {
        if *self == 0.0 {
            Err(EvalErrorKind::DivisionByZero)
        } else {
            Ok(1.0 / self)
        }
    }
    fn div(&self, rhs: &Self) -> Result<Self, EvalErrorKind> {
        if *rhs == 0.0 {
            Err(EvalErrorKind::DivisionByZero)
        } else {
            Ok(self / rhs)
        }
    }
    fn powi(&self, n: i32) -> Result<Self, EvalErrorKind> {
        if n < 0 && *self == 0.0 {
            Err(EvalErrorKind::DivisionByZero)
        } else {
            Ok(kernels::powi(*self, n))
        }
    }
    fn root(&self, q: u32) -> Result<Self, EvalErrorKind> {
        if q % 2 == 0 && *self < 0.0 {
            Err(EvalErrorKind::Domain(EVEN_ROOT))
        } else {
            Ok(kernels::root(*self, q))
        }
    }
    fn exp(&self) -> Result<Self, EvalErrorKind> {
        Ok(f64::exp(*self))
    }
    fn log(&self) -> Result<Self, EvalErrorKind> {
        if *self <= 0.0 {
            Err(EvalErrorKind::Domain(LOG))
        } else {
            Ok(self.ln())
        }
    }
    fn abs(&self) -> Self {
        f64::abs(*self)
    }
    fn sign(&self) -> Self {
        kernels::sign(*self)
    }
    fn max(&self, rhs: &Self) -> Self {
        kernels::max(*self, *rhs)
    }
    fn min(&self, rhs: &Self) -> Self {
        kernels::min(*self, *rhs)
    }
}

// ---------------------------------------------------------------------------------------------
// Intervals.

/// `x` rounded to an f64 in direction `r` (`Down` or `Up`), via MPFR at 53 bits; the
/// double rounding goes the same way twice, so the result is a bound in that direction.
fn rational_dir(q: &Rational, r: Round) -> f64 {
    let (f, _) = Float::with_val_round(f64::MANTISSA_DIGITS, q, r);
    f.to_f64_round(r)
}

/// The smallest interval with f64 endpoints that contains the closed rational interval
/// `[lo, hi]` (outward rounded; an endpoint beyond the f64 range becomes infinite).
/// Panics if `lo > hi`.
pub fn interval_of(lo: &Rational, hi: &Rational) -> Interval {
    assert!(lo <= hi, "interval_of: lower bound above upper bound");
    let a = rational_dir(lo, Round::Down);
    let b = rational_dir(hi, Round::Up);
    Interval::try_from((a, b)).expect("outward-rounded bounds of a nonempty interval")
}

/// The real `q`-th root of the f64 `x`, rounded in direction `r` (MPFR `rootn_ui`,
/// correctly rounded; negative `x` only for odd `q`).
fn root_dir(x: f64, q: u32, r: Round) -> f64 {
    let mut f = Float::with_val(f64::MANTISSA_DIGITS, x);
    f.root_round(q, r);
    f.to_f64_round(r)
}

/// True when `x` is the point interval `[0, 0]`.
fn is_zero_interval(x: &Interval) -> bool {
    x.inf() == 0.0 && x.sup() == 0.0
}

/// The pole check shared by `recip`, `div` and negative powers.
fn interval_pole(x: &Interval) -> Result<(), EvalErrorKind> {
    if is_zero_interval(x) {
        Err(EvalErrorKind::DivisionByZero)
    } else if x.contains(0.0) {
        Err(EvalErrorKind::PossiblePole)
    } else {
        Ok(())
    }
}

/// Outward-rounded interval arithmetic (IEEE 1788, via `inari`): **sound** — if every input
/// interval contains a real point, every `Ok` result contains the exact value of the
/// operation at those points. `+ - *`, `/`, squares, integer powers, `exp`, `log` and `sqrt`
/// are inari's outward-rounded operations (its elementary functions use MPFR with directed
/// rounding); other roots use MPFR `rootn_ui` with directed rounding on each endpoint (the
/// root is monotone); `abs`, `sign`, `max`, `min` are exact on the endpoints. Constants are
/// enclosed by rounding the rational down and up ([`interval_of`]). Errors: a reciprocal,
/// quotient or negative power of an interval containing 0 is
/// [`PossiblePole`](EvalErrorKind::PossiblePole) (`DivisionByZero` for the point `[0, 0]`);
/// `log` of an interval with lower bound `<= 0` and an even root of one with lower bound
/// `< 0` are [`PossibleDomain`](EvalErrorKind::PossibleDomain), or
/// [`Domain`](EvalErrorKind::Domain) when the whole interval is outside the domain. Results
/// may be unbounded (e.g. `exp([0, 1000]) = [1, inf]`), which is still sound.
impl Scalar for Interval {
    type Ctx = ();

    fn from_rational(q: &Rational, _: &()) -> Result<Self, EvalErrorKind> {
        Ok(interval_of(q, q))
    }
    fn from_const(c: &TapeConst, _: &()) -> Result<Self, EvalErrorKind> {
        Ok(c.interval())
    }
    fn add(&self, rhs: &Self) -> Self {
        *self + *rhs
    }
    fn sub(&self, rhs: &Self) -> Self {
        *self - *rhs
    }
    fn mul(&self, rhs: &Self) -> Self {
        *self * *rhs
    }
    fn neg(&self) -> Self {
        -*self
    }
    fn sqr(&self) -> Self {
        Interval::sqr(*self)
    }
    fn recip(&self) -> Result<Self, EvalErrorKind> {
        interval_pole(self)?;
        Ok(Interval::recip(*self))
    }
    fn div(&self, rhs: &Self) -> Result<Self, EvalErrorKind> {
        interval_pole(rhs)?;
        Ok(*self / *rhs)
    }
    fn powi(&self, n: i32) -> Result<Self, EvalErrorKind> {
        if n < 0 {
            interval_pole(self)?;
        }
        Ok(Interval::powi(*self, n))
    }
    fn root(&self, q: u32) -> Result<Self, EvalErrorKind> {
        let (a, b) = (self.inf(), self.sup());
        if q % 2 == 0 {
            if b < 0.0 {
                return Err(EvalErrorKind::Domain(EVEN_ROOT));
            }
            if a < 0.0 {
                return Err(EvalErrorKind::PossibleDomain(EVEN_ROOT));
            }
            if q == 2 {
                return Ok(Interval::sqrt(*self));
            }
        }
        let lo = root_dir(a, q, Round::Down);
        let hi = root_dir(b, q, Round::Up);
        Ok(Interval::try_from((lo, hi)).expect("monotone root of a nonempty interval"))
    }
    fn exp(&self) -> Result<Self, EvalErrorKind> {
        Ok(Interval::exp(*self))
    }
    fn log(&self) -> Result<Self, EvalErrorKind> {
        if self.sup() <= 0.0 {
            Err(EvalErrorKind::Domain(LOG))
        } else if self.inf() <= 0.0 {
            Err(EvalErrorKind::PossibleDomain(LOG))
        } else {
            Ok(Interval::ln(*self))
        }
    }
    fn abs(&self) -> Self {
        Interval::abs(*self)
    }
    fn sign(&self) -> Self {
        Interval::sign(*self)
    }
    fn max(&self, rhs: &Self) -> Self {
        Interval::max(*self, *rhs)
    }
    fn min(&self, rhs: &Self) -> Self {
        Interval::min(*self, *rhs)
    }
}

// ---------------------------------------------------------------------------------------------
// MPFR floats.

/// MPFR floating point, each operation correctly rounded to nearest at the precision of its
/// operands (constants get the context's precision in bits). Numerical evidence, not a
/// proof. Errors: reciprocal of zero is `DivisionByZero`, `log` of `<= 0` and even roots of
/// negatives are `Domain`, and any infinite or NaN intermediate is `NonFinite`.
impl Scalar for Float {
    type Ctx = u32;

    fn from_rational(q: &Rational, prec: &u32) -> Result<Self, EvalErrorKind> {
        Ok(Float::with_val(*prec, q))
    }
    fn add(&self, rhs: &Self) -> Self {
        Float::with_val(self.prec().max(rhs.prec()), self + rhs)
    }
    fn sub(&self, rhs: &Self) -> Self {
        Float::with_val(self.prec().max(rhs.prec()), self - rhs)
    }
    fn mul(&self, rhs: &Self) -> Self {
        Float::with_val(self.prec().max(rhs.prec()), self * rhs)
    }
    fn neg(&self) -> Self {
        Float::with_val(self.prec(), -self)
    }
    fn sqr(&self) -> Self {
        Float::with_val(self.prec(), self.square_ref())
    }
    fn recip(&self) -> Result<Self, EvalErrorKind> {
        if self.is_zero() {
            Err(EvalErrorKind::DivisionByZero)
        } else {
            Ok(Float::with_val(self.prec(), self.recip_ref()))
        }
    }
    fn div(&self, rhs: &Self) -> Result<Self, EvalErrorKind> {
        if rhs.is_zero() {
            Err(EvalErrorKind::DivisionByZero)
        } else {
            Ok(Float::with_val(self.prec().max(rhs.prec()), self / rhs))
        }
    }
    fn powi(&self, n: i32) -> Result<Self, EvalErrorKind> {
        if n < 0 && self.is_zero() {
            Err(EvalErrorKind::DivisionByZero)
        } else {
            Ok(Float::with_val(self.prec(), self.pow(n)))
        }
    }
    fn root(&self, q: u32) -> Result<Self, EvalErrorKind> {
        if q % 2 == 0 && *self < 0 {
            Err(EvalErrorKind::Domain(EVEN_ROOT))
        } else if q == 2 {
            Ok(Float::with_val(self.prec(), self.sqrt_ref()))
        } else {
            Ok(Float::with_val(self.prec(), self.root_ref(q)))
        }
    }
    fn exp(&self) -> Result<Self, EvalErrorKind> {
        Ok(Float::with_val(self.prec(), self.exp_ref()))
    }
    fn log(&self) -> Result<Self, EvalErrorKind> {
        if *self <= 0 {
            Err(EvalErrorKind::Domain(LOG))
        } else {
            Ok(Float::with_val(self.prec(), self.ln_ref()))
        }
    }
    fn abs(&self) -> Self {
        Float::with_val(self.prec(), self.abs_ref())
    }
    fn sign(&self) -> Self {
        let s = match self.cmp0() {
            Some(Ordering::Greater) => 1,
            Some(Ordering::Less) => -1,
            Some(Ordering::Equal) => 0,
            None => return Float::with_val(self.prec(), rug::float::Special::Nan),
        };
        Float::with_val(self.prec(), s)
    }
    fn max(&self, rhs: &Self) -> Self {
        if self.is_nan() || *self >= *rhs {
            self.clone()
        } else {
            rhs.clone()
        }
    }
    fn min(&self, rhs: &Self) -> Self {
        if self.is_nan() || *self <= *rhs {
            self.clone()
        } else {
            rhs.clone()
        }
    }
    fn check(&self) -> Result<(), EvalErrorKind> {
        if self.is_finite() {
            Ok(())
        } else {
            Err(EvalErrorKind::NonFinite)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Exact rationals.

/// The exact real `q`-th root of an integer, if it is an integer (`n >= 0` or `q` odd).
fn exact_int_root(n: &Integer, q: u32) -> Option<Integer> {
    if *n < 0 {
        return exact_int_root(&Integer::from(-n), q).map(|r| -r);
    }
    let r = n.clone().root(q);
    let back = r.clone().pow(q);
    if back == *n {
        Some(r)
    } else {
        None
    }
}

/// The largest exact value carried on with, in bits (numerator plus denominator): 2^22 bits,
/// 512 KiB. A power whose result would be larger is refused before it is computed, any other
/// result larger than this is refused by [`Scalar::check`] (the operands of an operation
/// are within the limit, so its result is at most about twice as large).
const MAX_EXACT_BITS: u64 = 1 << 22;

/// The operation named when an exact value exceeds [`MAX_EXACT_BITS`]. The error is
/// [`NotRational`](EvalErrorKind::NotRational), so that callers fall back to an interval or
/// MPFR evaluation as they do for irrational values.
const TOO_LARGE: &str = "an exact value above 2^22 bits (too large for exact arithmetic)";

/// A lower bound on the bits of `|m|^n`: `n * floor(log2 |m|)`; `0` for `|m| <= 1`.
fn pow_bits_lower(m: &Integer, n: u64) -> u64 {
    u64::from(m.significant_bits().saturating_sub(1)).saturating_mul(n)
}

/// Exact rational arithmetic (a proof-grade path: every `Ok` value is the exact value).
/// Roots succeed only when exact (`root(4/9, 2) = 2/3`), `exp(0) = 1` and `log(1) = 0`;
/// any other `exp`, `log` or root is [`NotRational`](EvalErrorKind::NotRational) (those
/// values are irrational). Reciprocal of 0 is `DivisionByZero`; `log` of `<= 0` and even
/// roots of negatives are `Domain`.
///
/// Resources are bounded: a value above 2^22 bits (`MAX_EXACT_BITS`, numerator plus
/// denominator) is refused with `NotRational` instead of being computed further, and a power
/// `q^n` whose result would exceed it is refused before any allocation (`(3/2)^(2^30)` would
/// need gigabytes; `0`, `1` and `-1` to any power are computed).
impl Scalar for Rational {
    type Ctx = ();

    fn from_rational(q: &Rational, _: &()) -> Result<Self, EvalErrorKind> {
        Ok(q.clone())
    }
    fn add(&self, rhs: &Self) -> Self {
        Rational::from(self + rhs)
    }
    fn sub(&self, rhs: &Self) -> Self {
        Rational::from(self - rhs)
    }
    fn mul(&self, rhs: &Self) -> Self {
        Rational::from(self * rhs)
    }
    fn neg(&self) -> Self {
        Rational::from(-self)
    }
    fn recip(&self) -> Result<Self, EvalErrorKind> {
        if *self == 0 {
            Err(EvalErrorKind::DivisionByZero)
        } else {
            Ok(Rational::from(self.recip_ref()))
        }
    }
    fn div(&self, rhs: &Self) -> Result<Self, EvalErrorKind> {
        if *rhs == 0 {
            Err(EvalErrorKind::DivisionByZero)
        } else {
            Ok(Rational::from(self / rhs))
        }
    }
    fn powi(&self, n: i32) -> Result<Self, EvalErrorKind> {
        if n < 0 && *self == 0 {
            return Err(EvalErrorKind::DivisionByZero);
        }
        let k = u64::from(n.unsigned_abs());
        let bits = pow_bits_lower(self.numer(), k).saturating_add(pow_bits_lower(self.denom(), k));
        if bits > MAX_EXACT_BITS {
            return Err(EvalErrorKind::NotRational(TOO_LARGE));
        }
        Ok(Rational::from(self.pow(n)))
    }
    fn root(&self, q: u32) -> Result<Self, EvalErrorKind> {
        if q % 2 == 0 && *self < 0 {
            return Err(EvalErrorKind::Domain(EVEN_ROOT));
        }
        let n = exact_int_root(self.numer(), q).ok_or(EvalErrorKind::NotRational(ROOT))?;
        let d = exact_int_root(self.denom(), q).ok_or(EvalErrorKind::NotRational(ROOT))?;
        Ok(Rational::from((n, d)))
    }
    fn exp(&self) -> Result<Self, EvalErrorKind> {
        if *self == 0 {
            Ok(Rational::from(1))
        } else {
            Err(EvalErrorKind::NotRational(EXP))
        }
    }
    fn log(&self) -> Result<Self, EvalErrorKind> {
        if *self <= 0 {
            Err(EvalErrorKind::Domain(LOG))
        } else if *self == 1 {
            Ok(Rational::new())
        } else {
            Err(EvalErrorKind::NotRational(LOG))
        }
    }
    fn abs(&self) -> Self {
        Rational::from(self.abs_ref())
    }
    fn sign(&self) -> Self {
        Rational::from(self.cmp0() as i32)
    }
    fn max(&self, rhs: &Self) -> Self {
        if self >= rhs {
            self.clone()
        } else {
            rhs.clone()
        }
    }
    fn min(&self, rhs: &Self) -> Self {
        if self <= rhs {
            self.clone()
        } else {
            rhs.clone()
        }
    }
    fn check(&self) -> Result<(), EvalErrorKind> {
        let bits =
            u64::from(self.numer().significant_bits()) + u64::from(self.denom().significant_bits());
        if bits > MAX_EXACT_BITS {
            Err(EvalErrorKind::NotRational(TOO_LARGE))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tape;
    use ngd_expr::Arena;

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    fn too_large(r: Result<Rational, EvalErrorKind>) -> bool {
        matches!(r, Err(EvalErrorKind::NotRational(m)) if m == TOO_LARGE)
    }

    #[test]
    fn exact_powers_are_bounded() {
        // Below the limit: computed exactly.
        let v = q(2, 1).powi(4_000_000).unwrap();
        assert_eq!(v.numer().significant_bits(), 4_000_001);
        assert_eq!(q(3, 2).powi(-3).unwrap(), q(8, 27));
        // Above: refused before anything is allocated, whatever the sign of the exponent.
        assert!(too_large(q(2, 1).powi(5_000_000)));
        assert!(too_large(q(3, 2).powi(1 << 30)));
        assert!(too_large(q(2, 3).powi(-(1 << 30))));
        assert!(too_large(q(7, 1 << 20).powi(i32::MAX)));
        // 0, 1 and -1 to any power are cheap and exact.
        assert_eq!(q(1, 1).powi(i32::MAX).unwrap(), q(1, 1));
        assert_eq!(q(-1, 1).powi(i32::MAX).unwrap(), q(-1, 1));
        assert_eq!(q(-1, 1).powi(i32::MIN).unwrap(), q(1, 1));
        assert_eq!(q(0, 1).powi(1 << 30).unwrap(), q(0, 1));
        assert_eq!(q(0, 1).powi(-1), Err(EvalErrorKind::DivisionByZero));
    }

    #[test]
    fn large_intermediates_are_refused_by_check() {
        let big = Rational::from(Integer::from(1) << 5_000_000u32);
        assert!(too_large(big.check().map(|()| big.clone())));
        assert!(q(1, 3).check().is_ok());
        assert!(Rational::from(Integer::from(1) << 4_000_000u32)
            .check()
            .is_ok());
    }

    #[test]
    fn tapes_with_huge_exact_powers_fail_cleanly() {
        // x^(10^12) at 3/2: the tape splits the power into (x^(2^30))^k * x^r.
        let mut a = Arena::new(vec!["x".into()]);
        let x = a.var(0);
        for k in [
            99_999_999_999i64,
            600_000_000_000,
            -600_000_000_000,
            1 << 40,
        ] {
            let e = a.powi(x, k);
            let t = Tape::compile(&a, &[e]);
            let err = t.eval::<Rational>(&(), &[q(3, 2)]).unwrap_err();
            assert_eq!(err.kind, EvalErrorKind::NotRational(TOO_LARGE), "{k}");
            // Where the value is cheap it is still exact.
            assert_eq!(t.eval::<Rational>(&(), &[q(1, 1)]).unwrap()[0], q(1, 1));
            assert!(t
                .eval::<Interval>(&(), &[interval_of(&q(3, 2), &q(3, 2))])
                .is_ok());
        }
        // Repeated squaring by products also stops at the limit.
        let one = a.int(1);
        let mut e = a.add2(x, one);
        for _ in 0..40 {
            e = a.mul2(e, e);
            e = a.add2(e, x);
        }
        let t = Tape::compile(&a, &[e]);
        let err = t.eval::<Rational>(&(), &[q(3, 2)]).unwrap_err();
        assert_eq!(err.kind, EvalErrorKind::NotRational(TOO_LARGE));
    }
}

/// A constant of a tape: the exact rational with its f64 and interval conversions, computed
/// once at compile time.
#[derive(Clone, Debug)]
pub struct TapeConst {
    q: Rational,
    nearest: f64,
    enclosure: Interval,
}

impl TapeConst {
    pub(crate) fn new(q: Rational) -> Self {
        TapeConst {
            nearest: kernels::nearest(&q),
            enclosure: interval_of(&q, &q),
            q,
        }
    }

    /// The exact value.
    pub fn rational(&self) -> &Rational {
        &self.q
    }

    /// The f64 nearest to the exact value.
    pub fn f64_nearest(&self) -> f64 {
        self.nearest
    }

    /// The tightest f64 interval containing the exact value (outward rounded).
    pub fn interval(&self) -> Interval {
        self.enclosure
    }
}
