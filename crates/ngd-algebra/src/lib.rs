//! Exact canonical forms for zero testing.
//!
//! [`canonicalize`] turns an expression of the `ngd-expr` DAG into a rational function
//! `N / D` over Q whose *generators* are the variables (with integer, possibly negative,
//! exponents) and *atoms*: `sign(u)`, real roots `u^(1/q)`, `log(u)`, and one combined
//! exponential `exp(A)` per monomial. [`zero_test`] answers [`ZeroTest::Zero`] exactly when
//! `N` is the zero polynomial.
//!
//! # Soundness
//!
//! "Zero" is a proof: every rewrite below replaces a subexpression by one that is equal to
//! it *almost everywhere on the domain where the expression is defined* (the set where every
//! subexpression is finite and real). Equalities a.e. compose (if `u = v` a.e. then
//! `F(u) = F(v)` a.e. for any `F`), so the canonical form equals the expression a.e., and a
//! zero numerator proves the expression identically zero there. The converse does not hold:
//! distinct atoms may be equal as functions (`sign(x)` and `sign(x^3)`), so a non-zero form
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
//!   denominator, valid where `u != 0`, the domain of `r^-k`). `u^(p/q)` is `r^p`. Exact
//!   rational roots of constants are folded; an even root of a negative constant is
//!   undefined everywhere and gives `Undecided`.
//! - **Signs.** `sign(u)` for `u == 0` (canonically) is `0`, for a non-zero constant `±1`.
//!   `sign(c u) = sign(c) sign(u)`, `sign(u/v) = sign(u) sign(v)` (where `v != 0`),
//!   `sign(x^e u) = sign(x)^e sign(u)` for a variable `x` (a.e., where `x != 0`),
//!   `sign(exp(a) u) = sign(u)`, and `sign(s^k) = s^k` for a sign atom `s`. The remaining
//!   argument is normalized (primitive, positive first coefficient) and keys the atom.
//!   When that argument is a non-zero polynomial in the variables alone, its zero set is a
//!   null set, so `s^2 = 1` a.e. (a *strong* sign). Otherwise (the argument involves atoms,
//!   which might vanish on a set of positive measure, e.g. `sqrt(x^2) - x`) only `s^3 = s`
//!   is used, which holds everywhere since `s` takes values in `{-1, 0, 1}`, and
//!   `s^-k = s^(2 - k mod 2)` on the domain `s != 0` of a negative power (a *weak* sign).
//! - **Absolute value, max, min.** `|u| = sign(u) u` everywhere,
//!   `max(a, b) = (a + b + |a - b|)/2`, `min(a, b) = (a + b - |a - b|)/2` everywhere.
//! - **Logarithms** are opaque atoms keyed by their canonical argument, with `log(1) = 0`;
//!   `log(0)` and the log of a non-positive constant are undefined and give `Undecided`.
//!
//! Limits ([`Limits`]: terms in an intermediate polynomial, integer powers; exponents beyond
//! `2^30`) produce `Undecided` with a reason rather than a hang, never a wrong answer.

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
    /// Maximum absolute value of an integer exponent applied to a non-monomial.
    pub max_power: u32,
}

impl Default for Limits {
    /// 5 million terms, exponents up to 10000.
    fn default() -> Limits {
        Limits {
            max_terms: 5_000_000,
            max_power: 10_000,
        }
    }
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
pub fn poly_from_expr(arena: &Arena, root: ExprId) -> Option<Poly> {
    canonicalize(arena, root).ok()?.to_poly()
}
