//! Sign atoms and the rules that build them: `sign(u)`, `|u|`, `max` and `min`.
//! Why the rules hold: docs/math.md (Nonsmooth functions).

use super::{AtomKind, Ctx, Rf};
use crate::int::Int;
use crate::mono::Layout;
use crate::mpoly::MPoly;
use crate::Fail;
use rug::Rational;
use std::collections::HashMap;

impl Ctx {
    /// `sign(u)`.
    pub(crate) fn sign(&mut self, u: &Rf) -> Result<Rf, Fail> {
        if u.is_zero() {
            return Ok(Rf::zero());
        }
        // The common denominator of the numerator is positive, so sign(num) is the sign of
        // its integer-coefficient part; sign(num/den) = sign(num) sign(den) where den != 0.
        let mut s = self.sign_poly(&u.num)?;
        if let Some(d) = &u.den {
            let sd = self.sign_poly(d)?;
            s = self.mul(&s, &sd)?;
        }
        Ok(s)
    }

    /// `sign(x_i^e)` for a variable: `sign(x_i)` for odd `e`, `1` (a.e.) for even `e`.
    fn sign_var_power(&mut self, i: usize, e: i32) -> Result<Option<usize>, Fail> {
        if e.rem_euclid(2) == 0 {
            return Ok(None);
        }
        let arg = self.var(i);
        Ok(Some(self.atom(AtomKind::Sign { strong: true }, arg)?))
    }

    /// `sign(p)` for a non-zero polynomial: the monomial content and a common exponential
    /// are stripped, what remains is split into a sign monomial (signs of variables and sign
    /// atoms, a constant `±1`) and, for several terms, the sign of a primitive polynomial.
    fn sign_poly(&mut self, p: &MPoly) -> Result<Rf, Fail> {
        if let Some(c) = p.constant_value() {
            return Ok(self.constant(&Rational::from(c.cmp0() as i32)));
        }
        let mut content = vec![0u64; self.l.w];
        let mut factors: Vec<usize> = Vec::new();
        self.strip_var_content(p, &mut content, &mut factors)?;
        self.strip_sign_atom_content(p, &mut content, &mut factors);
        let q = self.divide_content(p, content)?;
        let (sigma, rest) = if q.len() == 1 {
            (self.sign_of_term(&q, &mut factors)?, None)
        } else {
            let (sigma, q) = primitive_part(&self.l, q);
            (sigma, Some(q))
        };
        let t = self.sign_monomial(factors, sigma)?;
        match rest {
            Some(q) => {
                let core = self.sign_core(q)?;
                self.mul(&t, &core)
            }
            None => Ok(t),
        }
    }

    /// Strips from `content` the power of each variable dividing every term of `p` (the
    /// exponent of the content closest to zero) and adds its sign, `sign(x_i)` for an odd
    /// power, to `factors`.
    fn strip_var_content(
        &mut self,
        p: &MPoly,
        content: &mut [u64],
        factors: &mut Vec<usize>,
    ) -> Result<(), Fail> {
        let l = self.l;
        for s in 0..self.n_vars {
            let mn = (0..p.len())
                .map(|i| l.get(p.mono(&l, i), s))
                .min()
                .unwrap_or(0);
            let mx = (0..p.len())
                .map(|i| l.get(p.mono(&l, i), s))
                .max()
                .unwrap_or(0);
            // Use the exponent of the content that is closest to zero.
            let e = if mn > 0 {
                mn
            } else if mx < 0 {
                mx
            } else {
                0
            };
            if e != 0 {
                if !l.fits(-i64::from(e)) {
                    return Err(Fail::Overflow);
                }
                l.set(content, s, -e);
                if let Some(slot) = self.sign_var_power(s, e)? {
                    factors.push(slot);
                }
            }
        }
        Ok(())
    }

    /// `sign(s^k q) = s^k sign(q)` for a sign atom `s` (sign is multiplicative,
    /// `sign(s) = s`): strips the power of each sign atom dividing every term of `p` into
    /// `content`, and adds the atom to `factors` that many times.
    fn strip_sign_atom_content(&self, p: &MPoly, content: &mut [u64], factors: &mut Vec<usize>) {
        let l = self.l;
        for s in self.n_vars..self.used_slots() {
            if !matches!(
                self.atom_of_slot(s).map(|a| a.kind),
                Some(AtomKind::Sign { .. })
            ) {
                continue;
            }
            let mn = (0..p.len())
                .map(|i| l.get(p.mono(&l, i), s))
                .min()
                .unwrap_or(0);
            if mn > 0 {
                l.set(content, s, -mn);
                for _ in 0..mn {
                    factors.push(s);
                }
            }
        }
    }

    /// `p` times the monomial `content` (the inverse of the stripped content) and divided
    /// by the exponential common to all its terms (positive, so the sign is unchanged).
    fn divide_content(&mut self, p: &MPoly, content: Vec<u64>) -> Result<MPoly, Fail> {
        let e0 = p.eid(0);
        let mut eid = 0;
        if e0 != 0 && (0..p.len()).all(|i| p.eid(i) == e0) {
            eid = self.exp_scale(e0, -1);
        }
        if Layout::is_one(&content) && eid == 0 {
            Ok(p.clone())
        } else {
            let m = MPoly::term(content, eid, Int::ONE, Int::ONE);
            self.mul_mono(p, &m)
        }
    }

    /// The sign of a single term `c * m`: returns `sign(c)`, and adds the signs of the
    /// factors of `m` to `factors` (a sign atom is its own sign; a term with any other atom
    /// becomes one sign atom of the whole primitive term).
    fn sign_of_term(&mut self, q: &MPoly, factors: &mut Vec<usize>) -> Result<i32, Fail> {
        let l = self.l;
        let m = q.mono(&l, 0).to_vec();
        let sigma = if q.coeffs[0].cmp0().is_lt() { -1 } else { 1 };
        let mut rest_words = vec![0u64; l.w];
        let mut opaque = false;
        for s in self.n_vars..self.used_slots() {
            let k = l.get(&m, s);
            if k == 0 {
                continue;
            }
            match self.atom_of_slot(s).map(|a| a.kind) {
                // sign(s^k) = s^k for a sign atom.
                Some(AtomKind::Sign { .. }) => l.set(&mut rest_words, s, k),
                _ => opaque = true,
            }
        }
        if opaque {
            // Keep the whole (primitive, positive) term as one atom argument.
            let mut t = q.clone();
            t.coeffs[0] = Int::ONE;
            t.den = Int::ONE;
            let strong = self.is_strong_sign_arg(&t)?;
            let slot = self.atom(AtomKind::Sign { strong }, Rf::poly(t))?;
            factors.push(slot);
        } else {
            for s in self.n_vars..self.used_slots() {
                let k = l.get(&rest_words, s);
                for _ in 0..k {
                    factors.push(s);
                }
            }
        }
        Ok(sigma)
    }

    /// The normalized monomial `sigma * prod(factors)` (each slot raised to its count).
    fn sign_monomial(&mut self, factors: Vec<usize>, sigma: i32) -> Result<Rf, Fail> {
        let l = self.l;
        let mut words = vec![0u64; l.w];
        let mut counts: HashMap<usize, i32> = HashMap::new();
        for s in factors {
            *counts.entry(s).or_insert(0) += 1;
        }
        for (s, k) in counts {
            if !l.fits(i64::from(k)) {
                return Err(Fail::Overflow);
            }
            l.set(&mut words, s, k);
        }
        let t = MPoly::term(words, 0, Int::from(i64::from(sigma)), Int::ONE);
        self.normalize(t, None)
    }

    /// `sign(q)` for a normalized multi-term polynomial `q`.
    ///
    /// When `q` involves a few strong sign atoms `s_i` (and otherwise only the variables),
    /// `R^n` splits up to a null set into the regions where every `s_i` is a fixed `±1`; on
    /// the region of the pattern `e`, `q` equals the polynomial `q_e` in the variables, so
    /// `sign(q) = sum_e [prod_i (1 + e_i s_i)/2] sign(q_e)` a.e., with `sign(q_e) = 0` when
    /// `q_e` is the zero polynomial. This expansion is used when some `q_e` vanishes (a weak
    /// atom would be needed otherwise) or every `q_e` is a constant; in all other cases `sign(q)` is one atom, strong when
    /// that is provable ([`Ctx::is_strong_sign_arg`]).
    fn sign_core(&mut self, q: MPoly) -> Result<Rf, Fail> {
        const MAX_EXPANDED_SIGNS: usize = 4;
        let slots = self.atom_slots_in(&q);
        // Positive coefficients, even exponents, exponentials: q > 0 off a null set.
        let l = self.l;
        if slots.is_empty()
            && q.coeffs.iter().all(|c| c.cmp0().is_gt())
            && (0..q.len()).all(|i| {
                let m = q.mono(&l, i);
                (0..self.n_vars).all(|s| l.get(m, s) % 2 == 0)
            })
        {
            return Ok(self.constant(&Rational::from(1)));
        }
        let only_strong = !q.has_eids()
            && slots.iter().all(|&s| {
                matches!(
                    self.atom_of_slot(s).map(|a| a.kind),
                    Some(AtomKind::Sign { strong: true })
                )
            });
        if !slots.is_empty() && only_strong && slots.len() <= MAX_EXPANDED_SIGNS {
            // Expanding costs up to 4^k terms: only do it when some region makes `q` vanish
            // or when `q` is constant on every region; otherwise one strong atom is exact
            // and more compact.
            let mut pieces = Vec::with_capacity(1 << slots.len());
            for pattern in 0u32..(1 << slots.len()) {
                pieces.push(self.substitute_signs(&q, &slots, pattern)?);
            }
            let all_constant = pieces.iter().all(MPoly::is_constant);
            if !all_constant && pieces.iter().all(|p| !p.is_zero()) {
                let slot = self.atom(AtomKind::Sign { strong: true }, Rf::poly(q))?;
                return Ok(Rf::poly(self.slot_poly(slot)));
            }
            let mut total = Rf::zero();
            for pattern in 0u32..(1 << slots.len()) {
                let qe = std::mem::replace(&mut pieces[pattern as usize], MPoly::zero());
                if qe.is_zero() {
                    continue;
                }
                let sq = self.sign_poly(&qe)?;
                let ind = self.indicator(&slots, pattern)?;
                let piece = self.mul(&sq, &ind)?;
                total = self.add(total, piece)?;
            }
            return Ok(total);
        }
        let strong = self.is_strong_sign_arg(&q)?;
        let slot = self.atom(AtomKind::Sign { strong }, Rf::poly(q))?;
        Ok(Rf::poly(self.slot_poly(slot)))
    }

    /// `|u| = sign(u) u`.
    pub(crate) fn abs(&mut self, u: Rf) -> Result<Rf, Fail> {
        let s = self.sign(&u)?;
        self.mul(&s, &u)
    }

    /// `max(a, b) = (a + b + |a - b|) / 2`, `min(a, b) = (a + b - |a - b|) / 2`.
    pub(crate) fn max_min(&mut self, a: Rf, b: Rf, is_max: bool) -> Result<Rf, Fail> {
        let d = self.sub(a.clone(), b.clone())?;
        let ad = self.abs(d)?;
        let s = self.add(a, b)?;
        let t = if is_max {
            self.add(s, ad)?
        } else {
            self.sub(s, ad)?
        };
        Ok(self.scale(t, &Rational::from((1, 2))))
    }
}

/// A multi-term `q` as `(g / q.den) * sign(first) * q'`: returns `sign(first)` (of the
/// first coefficient after canonical ordering) and `q'`, primitive with a positive first
/// coefficient and denominator 1, so `sign(q) = sign(first) * sign(q')`.
fn primitive_part(l: &Layout, mut q: MPoly) -> (i32, MPoly) {
    q.canonicalize(l);
    let mut g = Int::ZERO;
    for c in &q.coeffs {
        g = g.gcd(c);
    }
    let flip = q.coeffs[0].cmp0().is_lt();
    for c in &mut q.coeffs {
        *c = c.div_exact(&g);
        if flip {
            *c = c.neg();
        }
    }
    q.den = Int::ONE;
    (if flip { -1 } else { 1 }, q)
}
