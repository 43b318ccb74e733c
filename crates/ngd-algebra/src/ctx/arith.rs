//! Rational-function arithmetic: sums, products, negation, inverses and integer powers,
//! each result brought to normal form. Why the rules hold: docs/math.md.

use super::{undecided, Ctx, Rf, DIV_ZERO};
use crate::int::Int;
use crate::mpoly::{Acc, MPoly};
use crate::Fail;
use rug::Rational;

impl Ctx {
    /// `a + b`.
    pub(crate) fn add(&mut self, a: Rf, b: Rf) -> Result<Rf, Fail> {
        if a.is_zero() {
            return Ok(b);
        }
        if b.is_zero() {
            return Ok(a);
        }
        self.charge(a.num.len() + b.num.len())?;
        if a.den == b.den {
            let num = MPoly::add(&self.l, &a.num, &b.num, self.max_terms)?;
            let den = if num.is_zero() { None } else { a.den };
            return Ok(Rf { num, den });
        }
        let n1 = match &b.den {
            Some(d) => self.pmul(&a.num, d)?,
            None => a.num.clone(),
        };
        let n2 = match &a.den {
            Some(d) => self.pmul(&b.num, d)?,
            None => b.num.clone(),
        };
        let num = MPoly::add(&self.l, &n1, &n2, self.max_terms)?;
        let den = self.pmul_opt(&a.den, &b.den)?;
        self.normalize(num, den)
    }

    /// The sum of many rational functions; numerators over equal denominators are collected
    /// in one pass.
    pub(crate) fn sum_refs(&mut self, parts: &[&Rf]) -> Result<Rf, Fail> {
        let mut groups: Vec<(Option<&MPoly>, Vec<&MPoly>)> = Vec::new();
        for p in parts {
            if p.is_zero() {
                continue;
            }
            let pd = p.den.as_ref();
            match groups.iter_mut().find(|(d, _)| *d == pd) {
                Some((_, v)) => v.push(&p.num),
                None => groups.push((pd, vec![&p.num])),
            }
        }
        let mut total = Rf::zero();
        for (den, refs) in groups {
            self.charge(refs.iter().map(|p| p.len()).sum())?;
            let num = MPoly::sum(&self.l, &refs, self.max_terms)?;
            let den = if num.is_zero() { None } else { den.cloned() };
            total = self.add(total, Rf { num, den })?;
        }
        Ok(total)
    }

    /// True when some term of `p` has a non-zero exponent in a relation slot.
    fn has_relation_lanes(&self, p: &MPoly) -> bool {
        let l = self.l;
        !self.rel_slots.is_empty()
            && (0..p.len()).any(|i| self.rel_slots.iter().any(|&s| l.get(p.mono(&l, i), s) != 0))
    }

    /// `sum(parts) + sum_k prod(products[k])`. When the last multiplication of a product
    /// involves only polynomials without relations or exponentials, its terms are collected
    /// straight into the sum instead of being materialized first (same result, less memory
    /// traffic); otherwise the product is formed as usual.
    pub(crate) fn sum_products(
        &mut self,
        parts: Vec<&Rf>,
        products: Vec<Vec<&Rf>>,
    ) -> Result<Rf, Fail> {
        // Products formed on their own (they follow `parts`, in order), and streamed ones.
        let mut formed: Vec<Rf> = Vec::new();
        let mut streamed: Vec<(Rf, &Rf)> = Vec::new();
        for mut factors in products {
            if factors.iter().any(|f| f.is_zero()) {
                continue;
            }
            factors.sort_by_key(|p| p.num.len());
            let last = factors.pop().expect("a product has factors");
            let first = self.product_refs(factors)?;
            let fusable = first.den.is_none()
                && last.den.is_none()
                && first.num.len() > 1
                && last.num.len() > 1
                && first.num.eids.is_empty()
                && last.num.eids.is_empty()
                && !self.has_relation_lanes(&first.num)
                && !self.has_relation_lanes(&last.num);
            if fusable {
                streamed.push((first, last));
            } else {
                formed.push(self.mul(&first, last)?);
            }
        }
        let parts: Vec<&Rf> = parts.into_iter().chain(formed.iter()).collect();
        if streamed.is_empty() {
            return self.sum_refs(&parts);
        }
        // Polynomial parts join the streamed products in one accumulator.
        let (polys, rest): (Vec<&Rf>, Vec<&Rf>) = parts.into_iter().partition(|p| p.den.is_none());
        let mut den = Int::ONE;
        for p in &polys {
            den = den.lcm(&p.num.den);
        }
        for (a, b) in &streamed {
            den = den.lcm(&a.num.den.mul(&b.num.den));
        }
        let work: usize = polys.iter().map(|p| p.num.len()).sum::<usize>()
            + streamed
                .iter()
                .map(|(a, b)| a.num.len() * b.num.len())
                .sum::<usize>();
        let cost: u64 = streamed
            .iter()
            .map(|(a, b)| MPoly::mul_cost(&a.num, &b.num))
            .fold(
                polys.iter().map(|p| p.num.len() as u64).sum(),
                u64::saturating_add,
            );
        self.charge(usize::try_from(cost).unwrap_or(usize::MAX))?;
        // Room for a quarter of the products: zero tests cancel most terms, and a table sized
        // for all of them costs cache misses and page faults (it grows when needed).
        let cap = (work / 4).clamp(16, 1 << 20).min(self.max_terms);
        let l = self.l;
        let mut acc = Acc::new(&l, false, cap, self.max_terms);
        for p in &polys {
            let f = den.div_exact(&p.num.den);
            for i in 0..p.num.len() {
                let c = if f.is_one() {
                    p.num.coeffs[i].clone()
                } else {
                    p.num.coeffs[i].mul(&f)
                };
                if p.num.eid(i) != 0 {
                    // Exponentials are not expected here; keep the general path exact.
                    return self.sum_fallback(polys, rest, streamed);
                }
                acc.add_int(p.num.mono(&l, i), 0, &c)?;
            }
        }
        for (a, b) in &streamed {
            let f = den.div_exact(&a.num.den.mul(&b.num.den));
            if f.is_one() {
                MPoly::mul_into(&l, &mut acc, &a.num, &b.num, None)?;
            } else {
                // a * b = (f * coeffs(a)) coeffs(b) / den: scale the integer coefficients only.
                let mut scaled = a.num.clone();
                for c in &mut scaled.coeffs {
                    *c = c.mul(&f);
                }
                MPoly::mul_into(&l, &mut acc, &scaled, &b.num, None)?;
            }
        }
        let total = Rf::poly(acc.finish(den));
        let mut all = rest;
        all.push(&total);
        self.sum_refs(&all)
    }

    fn sum_fallback(
        &mut self,
        polys: Vec<&Rf>,
        rest: Vec<&Rf>,
        streamed: Vec<(Rf, &Rf)>,
    ) -> Result<Rf, Fail> {
        let mut muls = Vec::with_capacity(streamed.len());
        for (a, b) in streamed {
            muls.push(self.mul(&a, b)?);
        }
        let mut all = polys;
        all.extend(rest);
        all.extend(muls.iter());
        self.sum_refs(&all)
    }

    pub(crate) fn neg(&self, a: Rf) -> Rf {
        Rf {
            num: a.num.neg(),
            den: a.den,
        }
    }

    pub(crate) fn sub(&mut self, a: Rf, b: Rf) -> Result<Rf, Fail> {
        let nb = self.neg(b);
        self.add(a, nb)
    }

    /// `a * b`.
    pub(crate) fn mul(&mut self, a: &Rf, b: &Rf) -> Result<Rf, Fail> {
        if a.is_zero() || b.is_zero() {
            return Ok(Rf::zero());
        }
        let num = self.pmul(&a.num, &b.num)?;
        let den = self.pmul_opt(&a.den, &b.den)?;
        self.normalize(num, den)
    }

    /// The product of many rational functions, smallest numerators first.
    pub(crate) fn product(&mut self, parts: Vec<Rf>) -> Result<Rf, Fail> {
        self.product_refs(parts.iter().collect())
    }

    /// [`Ctx::product`] of borrowed parts.
    pub(crate) fn product_refs(&mut self, mut parts: Vec<&Rf>) -> Result<Rf, Fail> {
        if parts.iter().any(|p| p.is_zero()) {
            return Ok(Rf::zero());
        }
        parts.sort_by_key(|p| p.num.len());
        let mut it = parts.into_iter();
        let Some(first) = it.next() else {
            return Ok(Rf::poly(self.one()));
        };
        let Some(second) = it.next() else {
            return Ok(first.clone());
        };
        let mut acc = self.mul(first, second)?;
        for p in it {
            acc = self.mul(&acc, p)?;
        }
        Ok(acc)
    }

    /// `a * q`.
    pub(crate) fn scale(&self, a: Rf, q: &Rational) -> Rf {
        Rf {
            num: a.num.scale_rational(q),
            den: if *q == 0 { None } else { a.den },
        }
    }

    /// `1 / a`.
    pub(crate) fn inv(&mut self, a: Rf) -> Result<Rf, Fail> {
        if a.is_zero() {
            return Err(undecided(DIV_ZERO));
        }
        let num = a.den.unwrap_or_else(|| self.one());
        self.normalize(num, Some(a.num))
    }

    /// `a^k` for an integer `k`.
    pub(crate) fn powi(&mut self, a: Rf, k: i64) -> Result<Rf, Fail> {
        if k.unsigned_abs() > u64::from(self.max_power) {
            return Err(undecided(format!(
                "the exponent {k} exceeds the power limit {}",
                self.max_power
            )));
        }
        if k < 0 {
            let inv = self.inv(a)?;
            return self.powi(inv, -k);
        }
        if k == 0 {
            return Ok(Rf::poly(self.one()));
        }
        if a.is_zero() {
            return Ok(Rf::zero());
        }
        let k32 = k as u32;
        let num = if a.num.len() == 1 {
            self.mono_pow(&a.num, k)?
        } else {
            self.ppow(&a.num, k32)?
        };
        let den = match &a.den {
            Some(d) => Some(self.ppow(d, k32)?),
            None => None,
        };
        self.normalize(num, den)
    }
}
