//! Sparse polynomials over packed monomials with integer coefficients and one common
//! positive denominator: `(c_1 m_1 + ... + c_k m_k) / den`.
//!
//! Like terms are collected by hashing the packed monomial ([`MonoMap`]); products of small
//! coefficients are accumulated in `i128` and promoted to GMP integers on overflow, so the
//! arithmetic is exact in every case. Term order is insertion order until
//! [`MPoly::canonicalize`] sorts it, which is what equality and hashing rely on.

use crate::int::Int;
use crate::mono::{Layout, MonoMap};
use crate::Fail;
use rug::{Integer, Rational};
use std::cell::Cell;
use std::collections::HashMap;

thread_local! {
    /// Work done by the current canonicalization, in term operations (see [`work_add`]).
    static WORK: Cell<u64> = const { Cell::new(0) };
}

/// Adds `n` units to this thread's work counter. Every term collected, scaled or sorted
/// counts one unit, plus the size in limbs of big coefficients, so that the work limit
/// bounds the running time deterministically.
pub(crate) fn work_add(n: u64) {
    WORK.with(|w| w.set(w.get().saturating_add(n)));
}

/// The work counted since the last [`work_reset`].
pub(crate) fn work_get() -> u64 {
    WORK.with(Cell::get)
}

pub(crate) fn work_reset() {
    WORK.with(|w| w.set(0));
}

/// A polynomial in the slots of a [`Layout`]; see the module docs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct MPoly {
    /// Packed exponents, `w` words per term.
    pub exps: Vec<u64>,
    /// Exponential-argument id per term; empty when every id is `0`.
    pub eids: Vec<u32>,
    /// Non-zero integer coefficients.
    pub coeffs: Vec<Int>,
    /// Positive common denominator.
    pub den: Int,
}

/// Combined exponential ids for the pairs of ids that occur in a product.
pub(crate) type EidSums = HashMap<(u32, u32), u32>;

impl MPoly {
    pub(crate) fn zero() -> MPoly {
        MPoly {
            exps: Vec::new(),
            eids: Vec::new(),
            coeffs: Vec::new(),
            den: Int::ONE,
        }
    }

    /// The constant `q`.
    pub(crate) fn constant(l: &Layout, q: &Rational) -> MPoly {
        if *q == 0 {
            return MPoly::zero();
        }
        MPoly {
            exps: vec![0; l.w],
            eids: Vec::new(),
            coeffs: vec![Int::from_integer(q.numer().clone())],
            den: Int::from_integer(q.denom().clone()),
        }
    }

    /// The single term `c/d * m` (`c != 0`, `d > 0`).
    pub(crate) fn term(words: Vec<u64>, eid: u32, c: Int, d: Int) -> MPoly {
        MPoly {
            exps: words,
            eids: if eid == 0 { Vec::new() } else { vec![eid] },
            coeffs: vec![c],
            den: d,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.coeffs.len()
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.coeffs.is_empty()
    }

    #[inline]
    pub(crate) fn eid(&self, i: usize) -> u32 {
        if self.eids.is_empty() {
            0
        } else {
            self.eids[i]
        }
    }

    #[inline]
    pub(crate) fn mono<'a>(&'a self, l: &Layout, i: usize) -> &'a [u64] {
        &self.exps[i * l.w..(i + 1) * l.w]
    }

    /// True when this is the constant `1`.
    pub(crate) fn is_one(&self) -> bool {
        self.len() == 1
            && self.eid(0) == 0
            && Layout::is_one(&self.exps)
            && self.coeffs[0] == self.den
    }

    /// True when the polynomial is a rational constant (possibly zero).
    pub(crate) fn is_constant(&self) -> bool {
        self.is_zero() || (self.len() == 1 && self.eid(0) == 0 && Layout::is_one(&self.exps))
    }

    /// The value when [`MPoly::is_constant`].
    pub(crate) fn constant_value(&self) -> Option<Rational> {
        if self.is_zero() {
            return Some(Rational::new());
        }
        if !self.is_constant() {
            return None;
        }
        Some(Rational::from((
            self.coeffs[0].to_integer(),
            self.den.to_integer(),
        )))
    }

    /// Coefficient `i` as a rational.
    pub(crate) fn coeff_rational(&self, i: usize) -> Rational {
        Rational::from((self.coeffs[i].to_integer(), self.den.to_integer()))
    }

    /// True when some term carries an exponential id.
    pub(crate) fn has_eids(&self) -> bool {
        self.eids.iter().any(|&e| e != 0)
    }

    /// Drops an all-zero `eids` vector.
    fn tidy_eids(&mut self) {
        if !self.eids.is_empty() && self.eids.iter().all(|&e| e == 0) {
            self.eids.clear();
        }
    }

    /// Divides coefficients and denominator by their common gcd (lowest terms).
    pub(crate) fn reduce_den(&mut self) {
        if self.den.is_one() {
            return;
        }
        if self.is_zero() {
            self.den = Int::ONE;
            return;
        }
        work_add(self.len() as u64);
        let mut g = self.den.clone();
        for c in &self.coeffs {
            if g.is_one() {
                return;
            }
            g = g.gcd(c);
        }
        if g.is_one() {
            return;
        }
        for c in &mut self.coeffs {
            *c = c.div_exact(&g);
        }
        self.den = self.den.div_exact(&g);
    }

    /// Sorts the terms into the canonical (packed-word lexicographic) order and brings the
    /// coefficients to lowest terms, so that equal polynomials compare equal.
    pub(crate) fn canonicalize(&mut self, l: &Layout) {
        self.reduce_den();
        self.tidy_eids();
        let n = self.len();
        let w = l.w;
        work_add(n as u64);
        let sorted = (1..n).all(|i| {
            let a = (&self.exps[(i - 1) * w..i * w], self.eid(i - 1));
            let b = (&self.exps[i * w..(i + 1) * w], self.eid(i));
            a < b
        });
        if sorted {
            return;
        }
        work_add((n as u64) * u64::from(usize::BITS - n.leading_zeros()));
        let mut perm: Vec<usize> = (0..n).collect();
        perm.sort_unstable_by(|&i, &j| {
            (&self.exps[i * w..(i + 1) * w], self.eid(i))
                .cmp(&(&self.exps[j * w..(j + 1) * w], self.eid(j)))
        });
        let mut exps = Vec::with_capacity(self.exps.len());
        let mut coeffs = Vec::with_capacity(n);
        let mut eids = Vec::with_capacity(if self.eids.is_empty() { 0 } else { n });
        let mut old: Vec<Option<Int>> = std::mem::take(&mut self.coeffs)
            .into_iter()
            .map(Some)
            .collect();
        for &i in &perm {
            exps.extend_from_slice(&self.exps[i * w..(i + 1) * w]);
            coeffs.push(old[i].take().expect("permutation"));
            if !self.eids.is_empty() {
                eids.push(self.eids[i]);
            }
        }
        self.exps = exps;
        self.coeffs = coeffs;
        self.eids = eids;
    }

    /// `-self`.
    pub(crate) fn neg(mut self) -> MPoly {
        for c in &mut self.coeffs {
            *c = c.neg();
        }
        self
    }

    /// The total size of the coefficients in limbs (each at least 1).
    pub(crate) fn limbs(&self) -> u64 {
        self.coeffs.iter().map(Int::limbs).sum()
    }

    /// The work of the pairwise products of the terms of `a` and `b`: one unit per pair of
    /// terms, plus a quarter unit per pair of limbs of big coefficients (the cost of
    /// multiplying them), so that products of polynomials with huge coefficients stop at
    /// the work limit before they are computed.
    pub(crate) fn mul_cost(a: &MPoly, b: &MPoly) -> u64 {
        let pairs = (a.len() as u64).saturating_mul(b.len() as u64);
        let limb_pairs = a.limbs().saturating_mul(b.limbs());
        pairs.saturating_add(limb_pairs.saturating_sub(pairs) / 4)
    }

    /// `self * num / den` for integers `num`, `den > 0`.
    pub(crate) fn scale(mut self, num: &Int, den: &Int) -> MPoly {
        if num.is_zero() {
            return MPoly::zero();
        }
        if !num.is_one() {
            work_add((self.len() as u64).saturating_mul(num.limbs()));
            for c in &mut self.coeffs {
                *c = c.mul(num);
            }
        }
        if !den.is_one() {
            self.den = self.den.mul(den);
        }
        self.reduce_den();
        self
    }

    /// `self * q`.
    pub(crate) fn scale_rational(self, q: &Rational) -> MPoly {
        let (n, d) = (
            Int::from_integer(q.numer().clone()),
            Int::from_integer(q.denom().clone()),
        );
        self.scale(&n, &d)
    }

    /// Rebuilds from an accumulator-style list of terms (like terms must be distinct).
    pub(crate) fn from_parts(exps: Vec<u64>, eids: Vec<u32>, coeffs: Vec<Int>, den: Int) -> MPoly {
        let mut p = MPoly {
            exps,
            eids,
            coeffs,
            den,
        };
        p.tidy_eids();
        p.reduce_den();
        p
    }

    /// The sum of `parts`.
    pub(crate) fn sum(l: &Layout, parts: &[&MPoly], limit: usize) -> Result<MPoly, Fail> {
        let nonzero: Vec<&MPoly> = parts.iter().copied().filter(|p| !p.is_zero()).collect();
        match nonzero.len() {
            0 => return Ok(MPoly::zero()),
            1 => return Ok(nonzero[0].clone()),
            _ => {}
        }
        let mut den = Int::ONE;
        for p in &nonzero {
            den = den.lcm(&p.den);
        }
        let with_eids = nonzero.iter().any(|p| !p.eids.is_empty());
        // Room for every term (an upper bound) avoids rehashing while the table grows.
        let total: usize = nonzero.iter().map(|p| p.len()).sum();
        let cap = total.min(1 << 20).min(limit);
        let mut acc = Acc::new(l, with_eids, cap, limit);
        for p in &nonzero {
            let f = den.div_exact(&p.den);
            for i in 0..p.len() {
                let m = p.mono(l, i);
                let e = p.eid(i);
                if f.is_one() {
                    acc.add_int(m, e, &p.coeffs[i])?;
                } else {
                    acc.add_int(m, e, &p.coeffs[i].mul(&f))?;
                }
            }
        }
        Ok(acc.finish(den))
    }

    /// `a + b`.
    pub(crate) fn add(l: &Layout, a: &MPoly, b: &MPoly, limit: usize) -> Result<MPoly, Fail> {
        MPoly::sum(l, &[a, b], limit)
    }

    /// `self * (c/d) m` for one monomial; never collects terms (the map is injective).
    pub(crate) fn mul_term(
        &self,
        l: &Layout,
        m: &[u64],
        eid: u32,
        c: &Int,
        d: &Int,
        eadd: Option<&EidSums>,
    ) -> Result<MPoly, Fail> {
        let n = self.len();
        work_add(n as u64);
        let mut exps = vec![0u64; n * l.w];
        let mut bad = 0;
        for i in 0..n {
            bad |= l.add_into(self.mono(l, i), m, &mut exps[i * l.w..(i + 1) * l.w]);
        }
        if bad != 0 {
            return Err(Fail::Overflow);
        }
        let eids = if eid == 0 {
            self.eids.clone()
        } else if self.eids.is_empty() {
            vec![eid; n]
        } else {
            let sums = eadd.expect("exponential sums");
            self.eids
                .iter()
                .map(|&e| {
                    if e == 0 {
                        eid
                    } else {
                        sums[&(e.min(eid), e.max(eid))]
                    }
                })
                .collect()
        };
        let coeffs = if c.is_one() {
            self.coeffs.clone()
        } else {
            self.coeffs.iter().map(|x| x.mul(c)).collect()
        };
        let den = self.den.mul(d);
        Ok(MPoly::from_parts(exps, eids, coeffs, den))
    }

    /// `a * b`. `eadd` must hold the combined id for every pair of non-zero ids `(e1 <= e2)`
    /// occurring in `a` and `b`.
    pub(crate) fn mul(
        l: &Layout,
        a: &MPoly,
        b: &MPoly,
        eadd: Option<&EidSums>,
        limit: usize,
    ) -> Result<MPoly, Fail> {
        if a.is_zero() || b.is_zero() {
            return Ok(MPoly::zero());
        }
        if b.len() == 1 {
            return a.mul_term(l, b.mono(l, 0), b.eid(0), &b.coeffs[0], &b.den, eadd);
        }
        if a.len() == 1 {
            return b.mul_term(l, a.mono(l, 0), a.eid(0), &a.coeffs[0], &a.den, eadd);
        }
        let den = a.den.mul(&b.den);
        let with_eids = !a.eids.is_empty() || !b.eids.is_empty();
        let cap = (a.len().saturating_mul(b.len())).min(1 << 16);
        let mut acc = Acc::new(l, with_eids, cap, limit);
        MPoly::mul_into(l, &mut acc, a, b, eadd)?;
        Ok(acc.finish(den))
    }

    /// Adds the terms of `a * b` into `acc`, ignoring the common denominators (the caller
    /// accounts for `a.den * b.den`). `eadd` as in [`MPoly::mul`].
    pub(crate) fn mul_into(
        l: &Layout,
        acc: &mut Acc,
        a: &MPoly,
        b: &MPoly,
        eadd: Option<&EidSums>,
    ) -> Result<(), Fail> {
        // Outer loop over the shorter factor.
        let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        let with_eids = !a.eids.is_empty() || !b.eids.is_empty();
        let w = l.w;
        let mut buf = vec![0u64; w];
        let small_a: Option<Vec<i64>> = a.coeffs.iter().map(Int::small).collect();
        let small_b: Option<Vec<i64>> = b.coeffs.iter().map(Int::small).collect();
        let combine = |e1: u32, e2: u32| -> u32 {
            if e1 == 0 {
                e2
            } else if e2 == 0 {
                e1
            } else {
                eadd.expect("exponential sums")[&(e1.min(e2), e1.max(e2))]
            }
        };
        if let (Some(sa), Some(sb)) = (&small_a, &small_b) {
            for (i, &sai) in sa.iter().enumerate() {
                let ma = a.mono(l, i);
                let ea = a.eid(i);
                let ca = i128::from(sai);
                let mut bad = 0;
                for (j, &cb) in sb.iter().enumerate() {
                    bad |= l.add_into(ma, &b.exps[j * w..(j + 1) * w], &mut buf);
                    let e = if with_eids { combine(ea, b.eid(j)) } else { 0 };
                    acc.add_i128(&buf, e, ca * i128::from(cb))?;
                }
                if bad != 0 {
                    return Err(Fail::Overflow);
                }
            }
        } else {
            for i in 0..a.len() {
                let ma = a.mono(l, i);
                let ea = a.eid(i);
                let mut bad = 0;
                for j in 0..b.len() {
                    bad |= l.add_into(ma, b.mono(l, j), &mut buf);
                    let e = if with_eids { combine(ea, b.eid(j)) } else { 0 };
                    match (&a.coeffs[i], &b.coeffs[j]) {
                        (Int::S(x), Int::S(y)) => {
                            acc.add_i128(&buf, e, i128::from(*x) * i128::from(*y))?
                        }
                        (x, y) => acc.add_integer(&buf, e, x.mul(y).to_integer())?,
                    }
                }
                if bad != 0 {
                    return Err(Fail::Overflow);
                }
            }
        }
        Ok(())
    }

    /// The distinct non-zero exponential ids.
    pub(crate) fn eid_set(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.eids.iter().copied().filter(|&e| e != 0).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Collects terms `c * m` (like terms added) into a polynomial.
pub(crate) struct Acc {
    map: MonoMap,
    small: Vec<i128>,
    big: Vec<Integer>,
    is_big: bool,
    limit: usize,
    /// Work done, flushed to the thread's counter when the accumulator is finished.
    work: u64,
}

impl Acc {
    pub(crate) fn new(l: &Layout, with_eids: bool, cap: usize, limit: usize) -> Acc {
        Acc {
            map: MonoMap::with_capacity(l.w, with_eids, cap),
            small: Vec::with_capacity(cap),
            big: Vec::new(),
            is_big: false,
            limit,
            work: 0,
        }
    }

    fn promote(&mut self) {
        if !self.is_big {
            self.big = self.small.drain(..).map(Integer::from).collect();
            self.is_big = true;
        }
    }

    #[inline]
    fn slot(&mut self, words: &[u64], eid: u32) -> Result<(usize, bool), Fail> {
        self.work += 1;
        let (i, new) = self.map.find_or_insert(words, eid);
        if new && self.map.len() > self.limit {
            return Err(Fail::Undecided(format!(
                "an intermediate polynomial exceeds the limit of {} terms",
                self.limit
            )));
        }
        Ok((i, new))
    }

    #[inline]
    pub(crate) fn add_i128(&mut self, words: &[u64], eid: u32, c: i128) -> Result<(), Fail> {
        let (i, new) = self.slot(words, eid)?;
        if self.is_big {
            if new {
                self.big.push(Integer::from(c));
            } else {
                self.big[i] += c;
            }
        } else if new {
            self.small.push(c);
        } else {
            match self.small[i].checked_add(c) {
                Some(v) => self.small[i] = v,
                None => {
                    self.promote();
                    self.big[i] += c;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn add_integer(&mut self, words: &[u64], eid: u32, c: Integer) -> Result<(), Fail> {
        if let Some(v) = c.to_i128() {
            return self.add_i128(words, eid, v);
        }
        let (i, new) = self.slot(words, eid)?;
        self.work += c.significant_bits() as u64 / 64;
        self.promote();
        if new {
            self.big.push(c);
        } else {
            self.big[i] += c;
        }
        Ok(())
    }

    pub(crate) fn add_int(&mut self, words: &[u64], eid: u32, c: &Int) -> Result<(), Fail> {
        match c {
            Int::S(v) => self.add_i128(words, eid, i128::from(*v)),
            Int::B(b) => self.add_integer(words, eid, (**b).clone()),
        }
    }

    /// The collected polynomial over the common denominator `den`, zero terms dropped.
    pub(crate) fn finish(self, den: Int) -> MPoly {
        work_add(self.work);
        let w = self.map.w;
        let n = self.map.len();
        let with_eids = self.map.with_eids;
        let keys = self.map.keys;
        let eids_in = self.map.eids;
        // Common case: nothing cancelled, so the keys become the exponents without a copy.
        if !self.is_big && self.small.iter().all(|&c| c != 0) {
            let coeffs = self.small.into_iter().map(Int::from_i128).collect();
            return MPoly::from_parts(
                keys,
                if with_eids { eids_in } else { Vec::new() },
                coeffs,
                den,
            );
        }
        let mut exps = Vec::with_capacity(keys.len());
        let mut eids = Vec::new();
        let mut coeffs = Vec::with_capacity(n);
        let mut push = |i: usize, c: Int| {
            exps.extend_from_slice(&keys[i * w..(i + 1) * w]);
            if with_eids {
                eids.push(eids_in[i]);
            }
            coeffs.push(c);
        };
        if self.is_big {
            for (i, c) in self.big.into_iter().enumerate() {
                if c != 0 {
                    push(i, Int::from_integer(c));
                }
            }
        } else {
            for (i, c) in self.small.into_iter().enumerate() {
                if c != 0 {
                    push(i, Int::from_i128(c));
                }
            }
        }
        MPoly::from_parts(exps, eids, coeffs, den)
    }
}
