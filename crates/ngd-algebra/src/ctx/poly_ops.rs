//! Polynomial products and powers with exponential ids, charged against the work budget
//! and the coefficient-size limit. Why the limits exist: docs/math.md.

use super::{undecided, Ctx};
use crate::mpoly::{work_add, work_get, MPoly};
use crate::Fail;

/// The largest coefficient a power of a monomial may produce, in bits (2^22, 512 KiB).
const MAX_COEFF_BITS: u64 = crate::MAX_VALUE_BITS;

impl Ctx {
    /// Counts `units` of work (term operations) against the work limit.
    pub(super) fn charge(&mut self, units: usize) -> Result<(), Fail> {
        work_add(units as u64);
        if work_get() > self.max_work {
            return Err(undecided(format!(
                "the work limit of {} term operations was reached",
                self.max_work
            )));
        }
        Ok(())
    }

    pub(crate) fn pmul(&mut self, a: &MPoly, b: &MPoly) -> Result<MPoly, Fail> {
        self.charge(usize::try_from(MPoly::mul_cost(a, b)).unwrap_or(usize::MAX))?;
        if !a.eids.is_empty() && !b.eids.is_empty() {
            let (sa, sb) = (a.eid_set(), b.eid_set());
            self.ensure_sums(&sa, &sb)?;
        }
        MPoly::mul(&self.l, a, b, Some(&self.exp_sums), self.max_terms)
    }

    pub(super) fn pmul_opt(
        &mut self,
        a: &Option<MPoly>,
        b: &Option<MPoly>,
    ) -> Result<Option<MPoly>, Fail> {
        Ok(match (a, b) {
            (None, None) => None,
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (Some(x), Some(y)) => Some(self.pmul(x, y)?),
        })
    }

    pub(super) fn ppow(&mut self, p: &MPoly, k: u32) -> Result<MPoly, Fail> {
        let mut result = self.one();
        let mut base = p.clone();
        let mut k = k;
        let mut first = true;
        while k > 0 {
            if k & 1 == 1 {
                result = if first {
                    base.clone()
                } else {
                    self.pmul(&result, &base)?
                };
                first = false;
            }
            k >>= 1;
            if k > 0 {
                base = self.pmul(&base, &base)?;
            }
        }
        Ok(result)
    }

    /// `m^t` for a single-term polynomial `m` and any integer `t` (relations not reduced).
    pub(super) fn mono_pow(&mut self, m: &MPoly, t: i64) -> Result<MPoly, Fail> {
        debug_assert_eq!(m.len(), 1);
        if t.unsigned_abs() > u64::from(self.max_power) {
            return Err(undecided("an exponent exceeds the power limit"));
        }
        let l = self.l;
        let src = m.mono(&l, 0);
        let mut w = vec![0u64; l.w];
        for s in 0..l.nslots {
            let e = i64::from(l.get(src, s)) * t;
            if e != 0 {
                if !l.fits(e) {
                    return Err(Fail::Overflow);
                }
                l.set(&mut w, s, e as i32);
            }
        }
        let k = t.unsigned_abs() as u32;
        let (c, d) = (&m.coeffs[0], &m.den);
        let bits = (c.bits().saturating_sub(1))
            .saturating_add(d.bits().saturating_sub(1))
            .saturating_mul(u64::from(k));
        if bits > MAX_COEFF_BITS {
            return Err(undecided(format!(
                "a coefficient would exceed the limit of {MAX_COEFF_BITS} bits"
            )));
        }
        self.charge(usize::try_from(bits / 64).unwrap_or(usize::MAX))?;
        let eid = self.exp_scale(m.eid(0), t);
        let (c, d) = if t >= 0 {
            (c.pow(k), d.pow(k))
        } else {
            let mut num = d.pow(k);
            if c.cmp0().is_lt() && k % 2 == 1 {
                num = num.neg();
            }
            (num, c.abs().pow(k))
        };
        Ok(MPoly::term(w, eid, c, d))
    }

    /// `p * m` for a single-term polynomial `m`.
    pub(super) fn mul_mono(&mut self, p: &MPoly, m: &MPoly) -> Result<MPoly, Fail> {
        self.pmul(p, m)
    }
}
