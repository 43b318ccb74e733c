//! `min_M phi = 0` proved exactly at a point with closed-form coordinates.
//!
//! The closed forms that [`crate::recognize`] prints (`3/7`, `2^(-1/3)`, `-1/sqrt(2)`,
//! `3*sqrt(5)`) are read back as `r k^(p/q)`. When every irrational coordinate has the same
//! base `k` (a positive integer), all coordinates lie in `Q[t]/(t^Q - k)` with `t = k^(1/Q)`
//! and `Q` the least common multiple of the `q` (a rational point is the case `Q = 1`).
//! `f` and `phi` are evaluated there exactly ([`crate::radical_ring`]). The claim needs:
//!
//! 1. `phi >= 0` wherever it is defined, by structure alone ([`nonnegative_by_structure`]);
//! 2. the proved lower bound `f >= L` (C2) and `f(w) = L` exactly, so `w` is in `M`;
//! 3. `w` in the search box (exact comparisons of `r k^(p/q)` with the rational bounds);
//! 4. `phi(w) = 0` exactly (the zero polynomial of the ring).
//!
//! Then `min_{M in the box} phi = 0`, attained at `w`, and every point of
//! `S = argmin_M phi` has `phi = 0`. A recognised closed form is only a guess; this module
//! proves the guess or says nothing: a point whose closed form is a numerical coincidence
//! gives a nonzero element (or an undecided one) and no claim.

use crate::radical_ring::{RadicalElement, RadicalRing, WorkBudget, WORK_UNITS};
use crate::report::{LowerBound, PhiExactZero, RefinedPoint};
use ngd_check::{Evidence, RationalBox};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Func, Node};
use rug::ops::Pow;
use rug::{Integer, Rational};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Largest common denominator `Q` of the exponents accepted: `recognize` gives `q <= 6`, so
/// `Q <= lcm(2, ..., 6) = 60`; larger rings only cost time (a product is `Q^2` coefficient
/// products).
const MAX_DEGREE: u64 = 60;
/// Largest base and exponent numerator or denominator read (`recognize` gives `k <= 30`).
const MAX_PART: u32 = 1000;

/// One coordinate `coeff * base^exponent` (`base = None` for a rational, exponent 0).
#[derive(Clone, Debug, PartialEq)]
struct RadicalNumber {
    coeff: Rational,
    base: Option<Integer>,
    exponent: Rational,
}

/// Reads `k^(p/q)`, `sqrt(k)` or `1/sqrt(k)` as `(k, p/q)`.
fn parse_power(s: &str) -> Option<(Integer, Rational)> {
    if let Some(k) = s.strip_prefix("1/sqrt(").and_then(|r| r.strip_suffix(')')) {
        return Some((k.parse().ok()?, Rational::from((-1, 2))));
    }
    if let Some(k) = s.strip_prefix("sqrt(").and_then(|r| r.strip_suffix(')')) {
        return Some((k.parse().ok()?, Rational::from((1, 2))));
    }
    let (k, e) = s.split_once("^(")?;
    let e: Rational = e.strip_suffix(')')?.parse().ok()?;
    Some((k.parse().ok()?, e))
}

/// Reads one closed form of [`crate::recognize`].
fn parse_closed_form(s: &str) -> Option<RadicalNumber> {
    let s = s.trim();
    if let Ok(q) = s.parse::<Rational>() {
        return Some(RadicalNumber {
            coeff: q,
            base: None,
            exponent: Rational::new(),
        });
    }
    let (coeff, power) = match s.rsplit_once('*') {
        Some((c, p)) => (c.parse::<Rational>().ok()?, p),
        None => match s.strip_prefix('-') {
            Some(p) => (Rational::from(-1), p),
            None => (Rational::from(1), s),
        },
    };
    let (base, exponent) = parse_power(power)?;
    let small = |i: &Integer| i.clone().abs() <= MAX_PART;
    let usable = base > 1 && small(&base) && small(exponent.numer()) && small(exponent.denom());
    (usable && *exponent.denom() > 1).then_some(RadicalNumber {
        coeff,
        base: Some(base),
        exponent,
    })
}

/// A point all of whose coordinates lie in one ring `Q[t]/(t^Q - k)`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RadicalPoint {
    ring: RadicalRing,
    coords: Vec<RadicalNumber>,
    texts: Vec<String>,
}

impl RadicalPoint {
    /// The point, when every coordinate has a closed form and the irrational ones share one
    /// base; `None` otherwise (mixed bases such as `2^(1/3)` and `sqrt(3)` are not decided).
    pub fn from_closed_forms(forms: &[Option<String>]) -> Option<RadicalPoint> {
        let texts: Vec<String> = forms.iter().cloned().collect::<Option<_>>()?;
        let coords: Vec<RadicalNumber> = texts
            .iter()
            .map(|s| parse_closed_form(s))
            .collect::<Option<_>>()?;
        let mut bases = coords.iter().filter_map(|c| c.base.as_ref());
        let base = bases.next().cloned().unwrap_or_else(|| Integer::from(1));
        if bases.any(|b| *b != base) {
            return None;
        }
        let mut degree = Integer::from(1);
        for c in &coords {
            degree.lcm_mut(c.exponent.denom());
        }
        let degree = degree.to_u64().filter(|&d| d <= MAX_DEGREE)? as usize;
        Some(RadicalPoint {
            ring: RadicalRing {
                base: Rational::from(base),
                degree,
                budget: WorkBudget::new(WORK_UNITS),
            },
            coords,
            texts,
        })
    }

    /// The coordinates as elements of `ring` (this point's ring with some work budget):
    /// `r k^(p/q) = r t^(p Q / q)`.
    fn elements(&self, ring: &RadicalRing) -> Option<Vec<RadicalElement>> {
        let q = ring.degree as i64;
        self.coords
            .iter()
            .map(|c| {
                // An integer, since Q is a multiple of the exponent's denominator.
                let e = Rational::from(&c.exponent * q).numer().to_i64()?;
                Some(RadicalElement::monomial(c.coeff.clone(), e, ring))
            })
            .collect()
    }

    /// True when the point lies in the closed box (exact comparisons).
    pub fn in_box(&self, bx: &RationalBox) -> bool {
        self.coords.len() == bx.dim()
            && self.coords.iter().enumerate().all(|(i, c)| {
                let above_lo = compare(c, &bx.lo[i]).is_some_and(|o| o != Ordering::Less);
                above_lo && compare(c, &bx.hi[i]).is_some_and(|o| o != Ordering::Greater)
            })
    }

    /// The exact value of the single output of `tape` at the point, `None` when the ring
    /// cannot decide it (a non-invertible denominator, a sign, an irrational function value)
    /// or the expression is undefined there, or the evaluation exceeds its work budget
    /// ([`WORK_UNITS`], fresh for each call).
    pub fn value(&self, tape: &Tape) -> Option<RadicalElement> {
        let ring = RadicalRing {
            budget: WorkBudget::new(WORK_UNITS),
            ..self.ring.clone()
        };
        let v = tape
            .eval::<RadicalElement>(&ring, &self.elements(&ring)?)
            .ok()?;
        v.into_iter().next()
    }
}

/// The order of `coeff * k^(p/q)` and the rational `b`, exactly (`None` for exponents too
/// large to raise to).
fn compare(x: &RadicalNumber, b: &Rational) -> Option<Ordering> {
    let Some(k) = &x.base else {
        return Some(x.coeff.cmp(b));
    };
    if x.coeff == 0 {
        return Some(Rational::new().cmp(b));
    }
    // x = r y with y = k^(p/q) > 0: compare y with s = b / r, flipped when r < 0.
    let s = Rational::from(b / &x.coeff);
    let y_vs_s = if s <= 0 {
        Ordering::Greater
    } else {
        // y^q = k^p and s^q (q > 0) are positive rationals in the same order as y and s.
        let q = x.exponent.denom().to_u32()?;
        let p = x.exponent.numer().to_i32()?;
        let kp = Rational::from(k.clone()).pow(p);
        kp.cmp(&s.pow(q))
    };
    Some(if x.coeff > 0 {
        y_vs_s
    } else {
        y_vs_s.reverse()
    })
}

/// True when `e >= 0` wherever it is defined, by structure alone: nonnegative constants,
/// even powers (`u^(2m)`, also negative), even roots, `abs`, `exp`, and sums, products,
/// `max` (one argument) and `min` (both) of such. Deliberately strict: `x^2 - y^2` and
/// `x^3` (odd power of a variable) are not recognised, whatever their values are.
pub(crate) fn nonnegative_by_structure(arena: &Arena, e: ExprId) -> bool {
    fn rec(arena: &Arena, e: ExprId, memo: &mut HashMap<ExprId, bool>) -> bool {
        if let Some(&b) = memo.get(&e) {
            return b;
        }
        let r = match arena.node(e) {
            Node::Const(q) => *q >= 0,
            Node::Var(_) => false,
            Node::Add(ts) | Node::Mul(ts) => ts.clone().iter().all(|&t| rec(arena, t, memo)),
            Node::Pow(b, r) => r.numer().is_even() || r.denom().is_even() || rec(arena, *b, memo),
            Node::Func(Func::Exp | Func::Abs, _) => true,
            Node::Func(Func::Sign, a) => rec(arena, *a, memo),
            Node::Func(Func::Log, _) => false,
            Node::Max(a, b) => rec(arena, *a, memo) || rec(arena, *b, memo),
            Node::Min(a, b) => rec(arena, *a, memo) && rec(arena, *b, memo),
        };
        memo.insert(e, r);
        r
    }
    rec(arena, e, &mut HashMap::new())
}

/// What the proof needs besides the candidate points.
pub(crate) struct ZeroSetting<'a> {
    /// The objective.
    pub f: ExprId,
    /// The regularizer.
    pub phi: ExprId,
    /// C2's lower bound `f >= L` (used only when proved).
    pub lower_bound: &'a LowerBound,
    /// The search box (`M` and `S` are taken in it).
    pub bx: &'a RationalBox,
}

/// The proof of `min_M phi = 0` at closed-form points, with the tapes of `f` and `phi`
/// compiled once for all the candidates it is asked about.
pub(crate) struct PhiZeroProver {
    bound: Rational,
    f_tape: Tape,
    phi_tape: Tape,
    bx: RationalBox,
}

impl PhiZeroProver {
    /// `None` when no candidate can succeed: C2's lower bound is not proved (or not a
    /// rational), or `phi >= 0` does not follow from its syntax.
    pub fn new(arena: &Arena, setting: &ZeroSetting<'_>) -> Option<PhiZeroProver> {
        if setting.lower_bound.evidence != Evidence::Proved
            || !nonnegative_by_structure(arena, setting.phi)
        {
            return None;
        }
        Some(PhiZeroProver {
            bound: setting.lower_bound.value.as_deref()?.parse().ok()?,
            f_tape: Tape::compile(arena, &[setting.f]),
            phi_tape: Tape::compile(arena, &[setting.phi]),
            bx: setting.bx.clone(),
        })
    }

    /// `min_M phi = 0` proved at the first candidate where the four steps of the module docs
    /// hold, or `None` (no claim).
    pub fn prove(&self, candidates: &[&RefinedPoint]) -> Option<PhiExactZero> {
        candidates.iter().find_map(|p| {
            let w = RadicalPoint::from_closed_forms(&p.closed_form)?;
            if !w.in_box(&self.bx) || !w.value(&self.phi_tape)?.is_zero() {
                return None;
            }
            (w.value(&self.f_tape)?.as_rational()? == self.bound).then(|| PhiExactZero {
                witness: w.texts.clone(),
                base: w.ring.base.to_string(),
                degree: w.ring.degree as u32,
                infimum: self.bound.to_string(),
                evidence: Evidence::Proved,
                exact_at: Vec::new(),
            })
        })
    }
}

#[cfg(test)]
mod tests;
