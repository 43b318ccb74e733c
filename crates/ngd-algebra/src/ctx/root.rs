//! Real roots and rational powers `u^(p/q)`, with exact roots of constants folded.
//! Why the rules hold: docs/math.md.

use super::{undecided, AtomKind, Ctx, Rf, DIV_ZERO};
use crate::Fail;
use rug::ops::Pow as _;
use rug::{Integer, Rational};

impl Ctx {
    /// `u^(p/q)` with `q > 1` (the `p`-th power of the real `q`-th root).
    pub(crate) fn root_pow(&mut self, u: Rf, p: i64, q: u32) -> Result<Rf, Fail> {
        let split = self.by_region(&u, |c, ue| {
            let undefined = (ue.is_zero() && p < 0)
                || (q % 2 == 0 && ue.constant_value().is_some_and(|v| v < 0));
            if undefined {
                return Ok(None);
            }
            c.root_pow(ue, p, q).map(Some)
        })?;
        if let Some(v) = split {
            return Ok(v);
        }
        if u.is_zero() {
            if p > 0 {
                return Ok(Rf::zero());
            }
            return Err(undecided(DIV_ZERO));
        }
        if let Some(c) = u.constant_value() {
            if c < 0 && q % 2 == 0 {
                return Err(undecided(format!("even root of the negative constant {c}")));
            }
            if let Some(r) = exact_root(&c, q) {
                let rc = self.constant(&r);
                return self.powi(rc, p);
            }
        }
        if u64::from(q) > self.l.max_exp() as u64 {
            return Err(Fail::Overflow);
        }
        let slot = self.atom(AtomKind::Root(q), u)?;
        let r = Rf::poly(self.slot_poly(slot));
        self.powi(r, p)
    }
}

/// The exact rational `q`-th root of `c`, if there is one (odd roots of negatives included).
fn exact_root(c: &Rational, q: u32) -> Option<Rational> {
    let root_int = |n: &Integer| -> Option<Integer> {
        let neg = *n < 0;
        let a = Integer::from(n.abs_ref());
        let r = a.clone().root(q);
        if Integer::from((&r).pow(q)) == a {
            Some(if neg { -r } else { r })
        } else {
            None
        }
    };
    if *c < 0 && q % 2 == 0 {
        return None;
    }
    Some(Rational::from((root_int(c.numer())?, root_int(c.denom())?)))
}
