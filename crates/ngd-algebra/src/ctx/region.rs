//! Sign patterns: substituting `±1` for strong sign atoms, region indicators, splitting a
//! denominator or a computation region by region, and the domain mask. See docs/math.md.

use super::{undecided, AtomKind, Ctx, Rf, DIV_ZERO, MAX_SPLIT_SIGNS};
use crate::mpoly::{Acc, MPoly};
use crate::Fail;
use rug::Rational;

impl Ctx {
    /// The atom slots (other than variables) that occur in `p`.
    pub(super) fn atom_slots_in(&self, p: &MPoly) -> Vec<usize> {
        let l = self.l;
        (self.n_vars..self.used_slots())
            .filter(|&s| (0..p.len()).any(|i| l.get(p.mono(&l, i), s) != 0))
            .collect()
    }

    /// `p` with the strong sign atoms `slots[b]` replaced by `-1` (bit `b` of `pattern` set)
    /// or `+1`.
    pub(super) fn substitute_signs(
        &self,
        p: &MPoly,
        slots: &[usize],
        pattern: u32,
    ) -> Result<MPoly, Fail> {
        let l = self.l;
        let mut acc = Acc::new(&l, !p.eids.is_empty(), p.len(), self.max_terms);
        let mut buf = vec![0u64; l.w];
        for i in 0..p.len() {
            buf.copy_from_slice(p.mono(&l, i));
            let mut negate = false;
            for (b, &s) in slots.iter().enumerate() {
                let k = l.get(&buf, s);
                if k != 0 {
                    l.set(&mut buf, s, 0);
                    if pattern >> b & 1 == 1 && k.rem_euclid(2) == 1 {
                        negate = !negate;
                    }
                }
            }
            let c = if negate {
                p.coeffs[i].neg()
            } else {
                p.coeffs[i].clone()
            };
            acc.add_int(&buf, p.eid(i), &c)?;
        }
        Ok(acc.finish(p.den.clone()))
    }

    /// The indicator `prod_b (1 + e_b s_b) / 2` of the region where the strong sign atoms
    /// `slots[b]` equal `e_b` (`-1` where bit `b` of `pattern` is set, else `+1`).
    pub(super) fn indicator(&mut self, slots: &[usize], pattern: u32) -> Result<Rf, Fail> {
        let half = Rational::from((1, 2));
        let mut ind = Rf::poly(self.one());
        for (b, &s) in slots.iter().enumerate() {
            let e = if pattern >> b & 1 == 1 { -1 } else { 1 };
            let si = Rf::poly(self.slot_poly(s).scale_rational(&Rational::from((e, 2))));
            let f = self.add(si, self.constant(&half))?;
            ind = self.mul(&ind, &f)?;
        }
        Ok(ind)
    }

    /// The strong sign atoms that occur in `p`.
    pub(super) fn strong_sign_slots_in(&self, p: &MPoly) -> Vec<usize> {
        self.atom_slots_in(p)
            .into_iter()
            .filter(|&s| {
                matches!(
                    self.atom_of_slot(s).map(|a| a.kind),
                    Some(AtomKind::Sign { strong: true })
                )
            })
            .collect()
    }

    /// `num / den` for a denominator involving a few strong sign atoms: on the region where
    /// they equal the pattern `e`, `den` is the polynomial `den_e`, so
    /// `num / den = sum_e [indicator_e] num / den_e` a.e. on the domain (a region where
    /// `den_e` is the zero polynomial lies outside the domain and contributes nothing). This
    /// keeps zero divisors such as `1 - s` (with `s^2 = 1`) out of denominators. When some
    /// region is dropped, its complement is recorded with [`Ctx::restrict_domain`].
    pub(super) fn split_den(
        &mut self,
        num: &MPoly,
        den: &MPoly,
        slots: &[usize],
    ) -> Result<Rf, Fail> {
        let mut total = Rf::zero();
        let mut any = false;
        let mut kept = Vec::new();
        for pattern in 0u32..(1 << slots.len()) {
            let de = self.substitute_signs(den, slots, pattern)?;
            if de.is_zero() {
                continue;
            }
            any = true;
            kept.push(pattern);
            let ind = self.indicator(slots, pattern)?;
            let n = self.pmul(num, &ind.num)?;
            let piece = self.normalize(n, Some(de))?;
            total = self.add(total, piece)?;
        }
        if !any {
            return Err(undecided(DIV_ZERO));
        }
        if !kept.is_empty() && kept.len() < 1 << slots.len() {
            let mut mask = Rf::zero();
            for &pattern in &kept {
                let ind = self.indicator(slots, pattern)?;
                mask = self.add(mask, ind)?;
            }
            self.restrict_domain(mask)?;
        }
        Ok(total)
    }

    /// Records that the expression is only defined (a.e.) where the indicator `mask` is 1.
    /// Masks beyond a size bound are dropped: using fewer of them is still sound (the final
    /// form is then only restricted to a larger set than the domain).
    fn restrict_domain(&mut self, mask: Rf) -> Result<(), Fail> {
        const MAX_MASK_TERMS: usize = 4096;
        let next = match self.domain.take() {
            None => mask,
            Some(m) => self.mul(&m, &mask)?,
        };
        if next.num.len() <= MAX_MASK_TERMS {
            self.domain = Some(next);
        }
        Ok(())
    }

    /// Applies `f` region by region when `u` involves at most [`MAX_SPLIT_SIGNS`] strong sign
    /// atoms: on the region where they equal the pattern `e`, `u` is `u_e` (the pattern
    /// substituted), so `F(u) = sum_e [indicator_e] F(u_e)` a.e. `f` returns `None` when
    /// `F(u_e)` is undefined on the whole region (that region is then outside the domain and
    /// recorded with [`Ctx::restrict_domain`]). Returns `None` when there is nothing to
    /// split. This keeps strong signs out of the arguments of roots and logarithms, so that
    /// reducing a root never brings a sign back into a denominator.
    pub(super) fn by_region(
        &mut self,
        u: &Rf,
        f: impl Fn(&mut Ctx, Rf) -> Result<Option<Rf>, Fail>,
    ) -> Result<Option<Rf>, Fail> {
        let mut slots = self.strong_sign_slots_in(&u.num);
        if let Some(d) = &u.den {
            for s in self.strong_sign_slots_in(d) {
                if !slots.contains(&s) {
                    slots.push(s);
                }
            }
        }
        slots.sort_unstable();
        if slots.is_empty() || slots.len() > MAX_SPLIT_SIGNS {
            return Ok(None);
        }
        let mut total = Rf::zero();
        let mut kept = Vec::new();
        for pattern in 0u32..(1 << slots.len()) {
            let num = self.substitute_signs(&u.num, &slots, pattern)?;
            let ue = match &u.den {
                None => Rf::poly(num),
                Some(d) => {
                    let de = self.substitute_signs(d, &slots, pattern)?;
                    if de.is_zero() {
                        continue;
                    }
                    self.normalize(num, Some(de))?
                }
            };
            let Some(v) = f(self, ue)? else {
                continue;
            };
            kept.push(pattern);
            let ind = self.indicator(&slots, pattern)?;
            let piece = self.mul(&ind, &v)?;
            total = self.add(total, piece)?;
        }
        if kept.is_empty() {
            return Err(undecided("an expression that is undefined everywhere"));
        }
        if kept.len() < 1 << slots.len() {
            let mut mask = Rf::zero();
            for &pattern in &kept {
                let ind = self.indicator(&slots, pattern)?;
                mask = self.add(mask, ind)?;
            }
            self.restrict_domain(mask)?;
        }
        Ok(Some(total))
    }
}
