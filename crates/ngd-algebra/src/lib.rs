//! Exact canonical forms for zero testing.
//!
//! [`canonicalize`] turns an expression of the `ngd-expr` DAG into a rational function
//! `N / D` over Q whose *generators* are the variables (with integer, possibly negative,
//! exponents) and *atoms*: `sign(u)`, real roots `u^(1/q)`, `log(u)`, and one combined
//! exponential `exp(A)` per monomial. [`zero_test`] answers [`ZeroTest::Zero`] exactly when
//! `N` is the zero polynomial.
//!
//! ```
//! use ngd_algebra::{zero_test, ZeroTest};
//! use ngd_expr::{Arena, Func};
//!
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let (x, y) = (a.var(0), a.var(1));
//! // |x y| - sign(x) sign(y) x y is zero almost everywhere.
//! let xy = a.mul2(x, y);
//! let abs = a.func(Func::Abs, xy);
//! let (sx, sy) = (a.func(Func::Sign, x), a.func(Func::Sign, y));
//! let s = a.mul(vec![sx, sy, x, y]);
//! let e = a.sub(abs, s);
//! assert_eq!(zero_test(&a, e), ZeroTest::Zero);
//! // max(x, y) - x is not.
//! let m = a.max(x, y);
//! let e = a.sub(m, x);
//! assert_eq!(zero_test(&a, e), ZeroTest::NonZero);
//! ```
//!
//! # Soundness
//!
//! "Zero" is a proof: every rewrite below replaces a subexpression by one that is equal to
//! it *almost everywhere on the domain where the expression is defined* (the set where every
//! subexpression is finite and real). Equalities a.e. compose (if `u = v` a.e. then
//! `F(u) = F(v)` a.e. for any `F`), so the canonical form equals the expression a.e., and a
//! zero numerator proves the expression identically zero there. The converse does not hold:
//! distinct atoms may be equal as functions (`sign(x)` and `sign(x^3 + x^2 + x)`), so a
//! non-zero form
//! is no proof of non-zero-ness unless it is atom-free ([`Canonical::is_atom_free`]), in which
//! case it is a non-zero rational function of the variables.
//!
//! The rules, and why they hold:
//!
//! - **Polynomial arithmetic** in the generators over Q is exact (big integers, packed
//!   exponents that are widened instead of overflowing). Generators commute, so the ring
//!   operations are identities of functions.
//! - **Laurent exponents.** `x^a x^b = x^(a+b)` for all integers: both sides are equal
//!   wherever they are defined (`x != 0` when an exponent is negative). The same holds for
//!   `log` atoms, and for the exponential, which never vanishes.
//! - **Denominators.** `a/b + c/d = (ad + bc)/(bd)` and `(a/b)(c/d) = (ac)/(bd)` where
//!   `b, d != 0`. A denominator that is a single term is inverted into Laurent exponents; a
//!   denominator that reduces to zero means a pole everywhere and gives `Undecided`. A
//!   monomial factor of the denominator in the variables (or a common exponential, or a
//!   rational content) is moved into the numerator, an identity where the denominator is
//!   defined and non-zero.
//! - **Exponentials.** `exp(a) exp(b) = exp(a + b)` and `exp(a)^k = exp(k a)` for real `a`, `b`,
//!   so each monomial carries one exponential whose argument is a canonical rational
//!   function (kept in a table, compared by representation: a missed equality only costs
//!   completeness). `exp(0) = 1`. `log(exp(a)) = a` for real `a`.
//! - **Roots.** `r = u^(1/q)` satisfies `r^q = u` wherever it is defined (for even `q`,
//!   where `u >= 0`; odd roots are real roots of any sign), so exponents of `r` are reduced
//!   into `[0, q)` by multiplying in powers of `u` (negative exponents bring `u` into the
//!   denominator, valid where `u != 0`, the domain of `r^-k`). `u^(p/q)` is `r^p`. All the
//!   roots of one DAG base `u` share the atom `u^(1/L)`, `L` the lcm of their indices:
//!   `u^(p/q) = (u^(1/L))^(pL/q)` holds where `u >= 0` when `L` is even (then some index is
//!   even, so the expression is only defined there) and everywhere when `L` is odd. Exact
//!   rational roots of constants are folded; an even root of a negative constant is
//!   undefined everywhere and gives `Undecided`.
//! - **Signs.** `sign(u)` for `u == 0` (canonically) is `0`, for a non-zero constant `±1`.
//!   `sign` is multiplicative everywhere, so `sign(f g) = sign(f) sign(g)` and
//!   `sign(f^k) = sign(f)^k` when the DAG shows a product or an integer power (the same for
//!   `abs`), and on canonical forms `sign(c u) = sign(c) sign(u)`,
//!   `sign(u/v) = sign(u) sign(v)` (where `v != 0`), `sign(x^e u) = sign(x)^e sign(u)` for a
//!   variable `x` (a.e., where `x != 0`), `sign(exp(a) u) = sign(u)`, `sign(s^k u) = s^k
//!   sign(u)` for a sign atom `s`. A polynomial with positive coefficients and even
//!   exponents in the variables (times exponentials) is positive off a null set: its sign is
//!   `1` a.e. The remaining argument is normalized (primitive, positive first coefficient)
//!   and keys the atom.
//!   - A *strong* sign atom has an argument that is non-zero almost everywhere, so `s^2 = 1`
//!     a.e. This is proved when the argument is a non-zero polynomial in the variables (its
//!     zero set is null), or when it involves only variables and strong sign atoms
//!     `s_1..s_k` and every pattern `s_i = ±1` leaves a non-zero polynomial (up to a null
//!     set, `R^n` is the union of the regions where the pattern is fixed).
//!   - When some pattern makes the argument vanish (as for `min(x, 0)`, zero for `x > 0`), or
//!     every pattern leaves a constant, the sign is expanded exactly into region
//!     indicators: `sign(q) = sum_e [prod_i (1 + e_i s_i)/2] sign(q_e)` a.e.
//!   - Otherwise (the argument involves roots, logs or exponentials, which might vanish on a
//!     set of positive measure, e.g. `sqrt(x^2) - x`) the atom is *weak*: only `s^3 = s` is
//!     used, which holds everywhere since `s` takes values in `{-1, 0, 1}`, and
//!     `s^-k = s^(2 - k mod 2)` on the domain `s != 0` of a negative power.
//! - **Denominators with strong signs.** In `Q[x, s]/(s^2 - 1)` a polynomial such as `1 - s`
//!   is a zero divisor, so such denominators are split by region:
//!   `n / d = sum_e [indicator_e] n / d_e` a.e. on the domain, where `d_e` is `d` with the
//!   pattern `e` substituted. A region where `d_e` is the zero polynomial lies outside the
//!   domain; the indicator of the remaining regions (the *domain mask*) multiplies the final
//!   form, which is legitimate because the expression is undefined (a.e.) where it is `0`.
//!   Roots and logarithms whose argument involves a few strong signs are split the same way
//!   (`F(u) = sum_e [indicator_e] F(u_e)` a.e.), so root arguments never contain strong
//!   signs and reducing a root cannot bring one back into a denominator.
//! - **Absolute value, max, min.** `|u| = sign(u) u` everywhere,
//!   `max(a, b) = (a + b + |a - b|)/2`, `min(a, b) = (a + b - |a - b|)/2` everywhere.
//! - **Logarithms** are opaque atoms keyed by their canonical argument, with `log(1) = 0`;
//!   `log(0)` and the log of a non-positive constant are undefined and give `Undecided`.
//!
//! Limits ([`Limits`]: terms in an intermediate polynomial, integer powers, total work,
//! where a product of big coefficients counts the product of their sizes; exponents beyond
//! `2^30`; a power of a coefficient beyond 2^22 bits) produce `Undecided` with a reason
//! rather than a hang or an allocation of gigabytes, never a wrong answer.
//!
//! # Representation and cost
//!
//! Monomials are exponent vectors packed into 8-, 16- or 32-bit lanes of `u64` words
//! (widened on overflow by recomputing), collected with an open-addressing hash table;
//! coefficients are integers over one common denominator per polynomial, with an `i64`/`i128`
//! fast path and GMP integers beyond. A product whose only use is a term of a sum is
//! streamed into the sum's table instead of being formed on its own (the typical
//! `<grad f, grad phi>` is a sum of such products). Values of DAG nodes are dropped as soon
//! as their last parent has used them.
//!
//! # Completeness
//!
//! Identities between rational functions of the variables alone (polynomials, Laurent
//! polynomials, quotients) are decided completely: every operation is exact in an integral
//! domain, so the final numerator vanishes exactly when the function does, even without a
//! polynomial gcd (`(x^2 - 1)/(x - 1) - (x + 1)` cross-multiplies to `0`). With atoms the
//! test is incomplete: there is no factorization or Gröbner basis, so sign atoms of different
//! arguments that agree as functions (`sign(x)` and `sign(x^3 + x^2 + x)`) are not identified,
//! nor are logarithm or root identities such as `log(xy) = log x + log y`.

#![warn(missing_docs)]

mod canonical;
mod ctx;
mod int;
mod mono;
mod mpoly;
mod poly;

pub use canonical::{canonicalize_with, Canonical};
pub use poly::Poly;

use ngd_expr::{Arena, ExprId};

/// Result of the exact zero test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZeroTest {
    /// Proved identically zero (almost everywhere on the expression's domain).
    Zero,
    /// The canonical form is non-zero. This is a proof of non-zero-ness only when the form is
    /// atom-free (see [`Canonical::is_atom_free`]); otherwise the caller should look for a
    /// witness point.
    NonZero,
    /// The computation was stopped (limit, pole everywhere, undefined constant); the reason.
    Undecided(String),
}

/// Resource limits of a canonicalization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of terms of any intermediate polynomial.
    pub max_terms: usize,
    /// Maximum absolute value of an integer exponent.
    pub max_power: u32,
    /// Maximum total work, counted in term operations (a pair of terms multiplied, a term
    /// collected, scaled or sorted; big coefficients count their size too), roughly 5-50 ns
    /// each. Deterministic, unlike a time limit.
    pub max_work: u64,
}

impl Default for Limits {
    /// 5 million terms, exponents up to 10000, 3*10^8 term operations (seconds).
    fn default() -> Limits {
        Limits {
            max_terms: 5_000_000,
            max_power: 10_000,
            max_work: 300_000_000,
        }
    }
}

/// The largest exact number, in bits, that a power in a canonical form (a coefficient) or in
/// an exact evaluation ([`Canonical::eval_rational`], [`Poly::eval`]) may produce: 2^22 bits
/// (512 KiB). Larger results are refused (`Undecided`, or `None`) instead of computed.
pub(crate) const MAX_VALUE_BITS: u64 = 1 << 22;

/// True when `x^k` would have more than [`MAX_VALUE_BITS`] bits (numerator and denominator
/// together; a lower bound of the size is compared, so `0`, `1` and `-1` always pass).
pub(crate) fn power_too_large(x: &rug::Rational, k: u32) -> bool {
    let lower = |n: &rug::Integer| u64::from(n.significant_bits().saturating_sub(1));
    (lower(x.numer()) + lower(x.denom())).saturating_mul(u64::from(k)) > MAX_VALUE_BITS
}

/// Internal failure of a canonicalization attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fail {
    /// An exponent left the safe range of the current lane width: retry wider.
    Overflow,
    /// More generators than reserved slots: retry with more slots.
    Slots,
    /// Give up with a reason.
    Undecided(String),
}

/// The canonical form of `root` with the default [`Limits`], or the reason it could not be
/// computed (a limit, a division by an expression that is identically zero, an undefined
/// constant). The result equals the expression almost everywhere on its domain.
///
/// ```
/// use ngd_algebra::canonicalize;
/// use ngd_expr::{Arena, Rational};
///
/// let mut a = Arena::new(vec!["x".into()]);
/// let x = a.var(0);
/// // (x^2 - 1)/(x - 1) = x + 1 where x != 1: a Laurent polynomial, no atom.
/// let x2 = a.powi(x, 2);
/// let one = a.int(1);
/// let (n, d) = (a.sub(x2, one), a.sub(x, one));
/// let q = a.div(n, d);
/// let c = canonicalize(&a, q).unwrap();
/// assert!(c.is_atom_free() && !c.is_zero());
/// assert_eq!(c.eval_rational(&[Rational::from(3)]), Some(Rational::from(4)));
/// // An even root of a negative constant is undefined everywhere.
/// let m = a.int(-4);
/// let r = a.pow(m, (1, 2).into());
/// assert!(canonicalize(&a, r).is_err());
/// ```
pub fn canonicalize(arena: &Arena, root: ExprId) -> Result<Canonical, String> {
    canonicalize_with(arena, root, &Limits::default())
}

/// Decides whether `root` is identically zero. [`ZeroTest::Zero`] is only returned when the
/// canonical numerator is the zero polynomial, which proves the expression zero almost
/// everywhere on its domain.
pub fn zero_test(arena: &Arena, root: ExprId) -> ZeroTest {
    match canonicalize(arena, root) {
        Ok(c) if c.is_zero() => ZeroTest::Zero,
        Ok(_) => ZeroTest::NonZero,
        Err(reason) => ZeroTest::Undecided(reason),
    }
}

/// The expression as a [`Poly`] when its canonical form is a Laurent polynomial in the
/// variables (no atom left, no non-monomial denominator); it then equals the expression
/// almost everywhere on its domain. `None` otherwise, or when canonicalization fails.
///
/// ```
/// use ngd_algebra::poly_from_expr;
/// use ngd_expr::{Arena, Func, Rational};
///
/// let mut a = Arena::new(vec!["x".into(), "y".into()]);
/// let (x, y) = (a.var(0), a.var(1));
/// let s = a.add2(x, y);
/// let e = a.powi(s, 2);
/// let p = poly_from_expr(&a, e).unwrap();
/// assert_eq!(p.len(), 3);
/// assert_eq!(p.coeff(&[1, 1]), Rational::from(2));
/// let ex = a.func(Func::Exp, x);
/// assert!(poly_from_expr(&a, ex).is_none());
/// ```
pub fn poly_from_expr(arena: &Arena, root: ExprId) -> Option<Poly> {
    canonicalize(arena, root).ok()?.to_poly()
}

#[cfg(test)]
mod resource_tests {
    use super::*;
    use ngd_expr::Rational;
    use rug::ops::Pow as _;
    use std::time::{Duration, Instant};

    fn x_arena() -> Arena {
        Arena::new(vec!["x".into(), "y".into()])
    }

    #[test]
    fn products_of_huge_coefficients_stop_at_the_work_limit() {
        // (x - 1)^10000 has binomial coefficients of up to 10000 bits: multiplying them
        // used to take minutes; the work limit counts their sizes now.
        let mut a = x_arena();
        let x = a.var(0);
        let m1 = a.int(-1);
        let b = a.add2(x, m1);
        let e = a.powi(b, 10_000);
        let t = Instant::now();
        let r = canonicalize(&a, e);
        assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
        let err = r.unwrap_err();
        assert!(err.contains("work limit"), "{err}");
        // Small powers are still expanded exactly.
        let e = a.powi(b, 30);
        let c = canonicalize(&a, e).unwrap();
        assert_eq!(c.numerator_terms(), 31);
    }

    #[test]
    fn powers_of_huge_coefficients_are_refused() {
        // (c*x)^10000 with a 60000-bit c would be a 600-million-bit coefficient.
        let mut a = x_arena();
        let x = a.var(0);
        let big = a.constant(Rational::from(rug::Integer::from(3).pow(38_000)));
        let cx = a.mul2(big, x);
        let y = a.var(1);
        let s = a.add2(cx, y);
        // Through the arena: (c x)^k may be folded to c^k x^k before it reaches the algebra,
        // so raise a sum (one monomial after a cancellation) instead.
        let d = a.sub(s, y);
        let e = a.powi(d, 10_000);
        let err = canonicalize(&a, e).unwrap_err();
        assert!(err.contains("coefficient would exceed"), "{err}");
    }

    #[test]
    fn exact_evaluation_refuses_astronomical_powers() {
        let mut a = x_arena();
        let x = a.var(0);
        let e = a.powi(x, 10_000);
        let c = canonicalize(&a, e).unwrap();
        let small = [Rational::from((3, 2)), Rational::from(1)];
        assert!(c.eval_rational(&small).is_some());
        let huge = [
            Rational::from(rug::Integer::from(1) << 1000u32),
            Rational::from(1),
        ];
        assert_eq!(c.eval_rational(&huge), None);
        let p = c.to_poly().unwrap();
        assert!(p.eval(&small).is_some());
        assert_eq!(p.eval(&huge), None);
        assert!(!power_too_large(&Rational::from(-1), u32::MAX));
        assert!(power_too_large(&Rational::from((3, 2)), 1 << 30));
    }
}
