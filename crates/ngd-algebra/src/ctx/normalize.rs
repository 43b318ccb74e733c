//! The normal form `num / den` and the reduction of the root and sign relations
//! (`r^q = u`, `s^2 = 1`, `s^3 = s`). Why the reductions hold: docs/math.md.

use super::{undecided, AtomKind, Ctx, Rf, DIV_ZERO, MAX_SPLIT_SIGNS};
use crate::int::Int;
use crate::mpoly::{Acc, MPoly};
use crate::Fail;

const MAX_NORMALIZE_ROUNDS: usize = 64;

impl Ctx {
    /// Brings `num / den` to the normal form: relations reduced, and the denominator either
    /// `1` or a primitive multi-term polynomial with a positive first coefficient and no
    /// monomial factor in the Laurent slots.
    pub(crate) fn normalize(&mut self, mut num: MPoly, mut den: Option<MPoly>) -> Result<Rf, Fail> {
        for _ in 0..MAX_NORMALIZE_ROUNDS {
            if !self.rel_slots.is_empty() {
                let (n, d) = self.reduce_relations(num, den)?;
                num = n;
                den = d;
            }
            let Some(mut d) = den.take() else {
                return Ok(Rf { num, den: None });
            };
            if d.is_zero() {
                return Err(undecided(DIV_ZERO));
            }
            if num.is_zero() {
                return Ok(Rf::zero());
            }
            if d.len() > 1 {
                let slots = self.strong_sign_slots_in(&d);
                if !slots.is_empty() && slots.len() <= MAX_SPLIT_SIGNS {
                    return self.split_den(&num, &d, &slots);
                }
            }
            if d.len() == 1 {
                let inv = self.mono_pow(&d, -1)?;
                let touches_relations = self
                    .rel_slots
                    .iter()
                    .any(|&s| self.l.get(d.mono(&self.l, 0), s) != 0);
                num = self.mul_mono(&num, &inv)?;
                if touches_relations {
                    continue;
                }
                return Ok(Rf { num, den: None });
            }
            // Monomial content in the Laurent slots.
            let l = self.l;
            let mut content = vec![0u64; l.w];
            let mut any = false;
            for s in 0..self.used_slots() {
                if !self.is_laurent_slot(s) {
                    continue;
                }
                let mn = (0..d.len())
                    .map(|i| l.get(d.mono(&l, i), s))
                    .min()
                    .unwrap_or(0);
                if mn != 0 {
                    if !l.fits(-i64::from(mn)) {
                        return Err(Fail::Overflow);
                    }
                    l.set(&mut content, s, -mn);
                    any = true;
                }
            }
            // A common exponential factor.
            let e0 = d.eid(0);
            let mut eid = 0;
            if e0 != 0 && (0..d.len()).all(|i| d.eid(i) == e0) {
                eid = self.exp_scale(e0, -1);
            }
            if any || eid != 0 {
                let m = MPoly::term(content, eid, Int::ONE, Int::ONE);
                num = self.mul_mono(&num, &m)?;
                d = self.mul_mono(&d, &m)?;
            }
            // Primitive, positive first coefficient; the factor moves to the numerator.
            d.canonicalize(&l);
            let mut g = Int::ZERO;
            for c in &d.coeffs {
                g = g.gcd(c);
                if g.is_one() {
                    break;
                }
            }
            if d.coeffs[0].cmp0().is_lt() {
                g = g.neg();
            }
            // d = (g / d.den) * d'  =>  num / d = num * (d.den / g) / d'.
            let dd = d.den.clone();
            if !(g.is_one() && dd.is_one()) {
                for c in &mut d.coeffs {
                    *c = c.div_exact(&g);
                }
                d.den = Int::ONE;
                let (sn, sd) = if g.cmp0().is_lt() {
                    (dd.neg(), g.neg())
                } else {
                    (dd, g)
                };
                num = num.scale(&sn, &sd);
            }
            return Ok(Rf { num, den: Some(d) });
        }
        Err(undecided("the reduction of roots did not settle"))
    }

    /// Reduces every relation slot, highest first (a root's argument only uses lower slots,
    /// so reducing slot `j` can only disturb slots below `j`).
    fn reduce_relations(
        &mut self,
        mut num: MPoly,
        mut den: Option<MPoly>,
    ) -> Result<(MPoly, Option<MPoly>), Fail> {
        let slots = self.rel_slots.clone();
        for &s in slots.iter().rev() {
            let atom = self.atom_of_slot(s).expect("relation slot").clone();
            match atom.kind {
                AtomKind::Sign { strong } => {
                    num = self.reduce_sign(num, s, strong)?;
                    if let Some(d) = den.take() {
                        den = Some(self.reduce_sign(d, s, strong)?);
                    }
                }
                AtomKind::Root(q) => {
                    let (n2, fnum) = self.reduce_root(num, s, q, &atom.arg)?;
                    let (d2, fden) = match den.take() {
                        Some(d) => {
                            let (d2, f) = self.reduce_root(d, s, q, &atom.arg)?;
                            (Some(d2), f)
                        }
                        None => (None, None),
                    };
                    // num/den = (n2/fnum) / (d2/fden) = (n2 fden) / (d2 fnum)
                    num = match &fden {
                        Some(f) => self.pmul(&n2, f)?,
                        None => n2,
                    };
                    den = self.pmul_opt(&d2, &fnum)?;
                }
                AtomKind::Log => {}
            }
        }
        Ok((num, den))
    }

    /// `s^k -> s^(k mod 2)` (strong) or `s^k -> s^(2 - k mod 2)` for `k != 0` (weak).
    fn reduce_sign(&mut self, p: MPoly, slot: usize, strong: bool) -> Result<MPoly, Fail> {
        let l = self.l;
        let target = |k: i32| -> i32 {
            if k == 0 {
                0
            } else if strong {
                k.rem_euclid(2)
            } else if k.rem_euclid(2) == 1 {
                1
            } else {
                2
            }
        };
        if (0..p.len()).all(|i| {
            let k = l.get(p.mono(&l, i), slot);
            target(k) == k
        }) {
            return Ok(p);
        }
        let mut acc = Acc::new(&l, !p.eids.is_empty(), p.len(), self.max_terms);
        let mut buf = vec![0u64; l.w];
        for i in 0..p.len() {
            buf.copy_from_slice(p.mono(&l, i));
            let k = l.get(&buf, slot);
            l.set(&mut buf, slot, target(k));
            acc.add_int(&buf, p.eid(i), &p.coeffs[i])?;
        }
        Ok(acc.finish(p.den.clone()))
    }

    /// Reduces the exponents of the root in `slot` into `[0, q)` using `r^q = u`.
    /// Returns `(p2, f)` with `p = p2 / f` (`f == None` means `1`).
    fn reduce_root(
        &mut self,
        p: MPoly,
        slot: usize,
        q: u32,
        u: &Rf,
    ) -> Result<(MPoly, Option<MPoly>), Fail> {
        let l = self.l;
        let qi = q as i32;
        let ts: Vec<i32> = (0..p.len())
            .map(|i| l.get(p.mono(&l, i), slot).div_euclid(qi))
            .collect();
        if ts.iter().all(|&t| t == 0) {
            return Ok((p, None));
        }
        // Group the terms by t, with the root exponent reduced.
        let mut groups: Vec<(i32, Acc)> = Vec::new();
        let mut buf = vec![0u64; l.w];
        for (i, &t) in ts.iter().enumerate() {
            buf.copy_from_slice(p.mono(&l, i));
            let k = l.get(&buf, slot);
            l.set(&mut buf, slot, k.rem_euclid(qi));
            let pos = match groups.iter().position(|(g, _)| *g == t) {
                Some(pos) => pos,
                None => {
                    groups.push((t, Acc::new(&l, !p.eids.is_empty(), 4, self.max_terms)));
                    groups.len() - 1
                }
            };
            groups[pos].1.add_int(&buf, p.eid(i), &p.coeffs[i])?;
        }
        let groups: Vec<(i32, MPoly)> = groups
            .into_iter()
            .map(|(t, a)| (t, a.finish(p.den.clone())))
            .collect();
        let tmin = groups.iter().map(|g| g.0).min().unwrap_or(0);
        let tmax = groups.iter().map(|g| g.0).max().unwrap_or(0);
        let mut parts = Vec::with_capacity(groups.len());
        if u.den.is_none() && u.num.len() == 1 {
            // u is a single term: u^t is a (Laurent) monomial for every t.
            for (t, a) in &groups {
                let m = self.mono_pow(&u.num, i64::from(*t))?;
                parts.push(self.mul_mono(a, &m)?);
            }
            let refs: Vec<&MPoly> = parts.iter().collect();
            return Ok((MPoly::sum(&l, &refs, self.max_terms)?, None));
        }
        // p = sum_t A_t un^t ud^-t = [sum_t A_t un^(t+a) ud^(b-t)] / (un^a ud^b).
        let a = (-tmin).max(0) as u32;
        let b = tmax.max(0) as u32;
        for (t, at) in &groups {
            let eu = (t + a as i32) as u32;
            let ed = (b as i32 - t) as u32;
            let mut term = at.clone();
            if eu > 0 {
                let pu = self.ppow(&u.num, eu)?;
                term = self.pmul(&term, &pu)?;
            }
            if ed > 0 {
                if let Some(ud) = &u.den {
                    let pd = self.ppow(ud, ed)?;
                    term = self.pmul(&term, &pd)?;
                }
            }
            parts.push(term);
        }
        let refs: Vec<&MPoly> = parts.iter().collect();
        let p2 = MPoly::sum(&l, &refs, self.max_terms)?;
        let mut f = self.one();
        if a > 0 {
            let pu = self.ppow(&u.num, a)?;
            f = self.pmul(&f, &pu)?;
        }
        if b > 0 {
            if let Some(ud) = &u.den {
                let pd = self.ppow(ud, b)?;
                f = self.pmul(&f, &pd)?;
            }
        }
        let f = if f.is_one() { None } else { Some(f) };
        Ok((p2, f))
    }
}
