//! Rational functions over the generators, the atom table, and the rewrite rules.
//!
//! See the crate documentation for why each rule is sound. In short, a value is
//! `num / den` where `num` is a polynomial in the generators (Laurent in the variables, the
//! `log` atoms and the combined exponential) and `den` is either `1` or a normalized
//! polynomial that is not a single term. Relations are kept reduced:
//!
//! - a root atom `r = u^(1/q)` appears with exponents in `[0, q)` (using `r^q = u`);
//! - a *strong* sign atom `s = sign(u)` (its argument is a non-zero polynomial in the variables
//!   alone, so `u != 0` almost everywhere) appears with exponents in `{0, 1}` (`s^2 = 1` a.e.);
//! - a *weak* sign atom (any other argument) appears with exponents in `{0, 1, 2}`, using only
//!   `s^3 = s`, which holds everywhere because `s` takes values in `{-1, 0, 1}`, and
//!   `s^-k = s^(2 - k mod 2)` on the domain `s != 0` of the negative power.

use crate::int::Int;
use crate::mono::Layout;
use crate::mpoly::{work_add, work_get, Acc, EidSums, MPoly};
use crate::{Fail, Limits};
use rug::ops::Pow as _;
use rug::{Integer, Rational};
use std::collections::HashMap;

/// A rational function `num / den` (`den == None` means `1`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Rf {
    pub num: MPoly,
    pub den: Option<MPoly>,
}

impl Rf {
    pub(crate) fn zero() -> Rf {
        Rf {
            num: MPoly::zero(),
            den: None,
        }
    }

    pub(crate) fn poly(p: MPoly) -> Rf {
        Rf { num: p, den: None }
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// The value when this is a rational constant.
    pub(crate) fn constant_value(&self) -> Option<Rational> {
        if self.den.is_some() {
            return None;
        }
        self.num.constant_value()
    }
}

/// The kind of an atom (a generator other than a variable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum AtomKind {
    /// `sign(arg)`; `strong` when the argument is a non-zero polynomial in the variables alone.
    Sign { strong: bool },
    /// `arg^(1/q)`, `q > 1`.
    Root(u32),
    /// `log(arg)`.
    Log,
}

/// A generator `kind(arg)`; `arg` is canonical and only uses earlier generators.
#[derive(Clone, Debug)]
pub(crate) struct Atom {
    pub kind: AtomKind,
    pub arg: Rf,
}

/// The state of one canonicalization: layout, atoms, exponential arguments, limits.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    pub l: Layout,
    pub n_vars: usize,
    pub atoms: Vec<Atom>,
    atom_index: HashMap<(AtomKind, Rf), usize>,
    /// Arguments of the combined exponentials; id `0` is the zero argument.
    pub exp_args: Vec<Rf>,
    exp_index: HashMap<Rf, u32>,
    exp_sums: EidSums,
    /// Slots carrying a relation (roots and signs), ascending.
    rel_slots: Vec<usize>,
    pub max_terms: usize,
    pub max_power: u32,
    max_work: u64,
    /// The product of the region indicators of divisions that are undefined on a whole sign
    /// region (see [`Ctx::split_den`]); the expression is undefined (a.e.) where it is `0`.
    pub domain: Option<Rf>,
}

const DIV_ZERO: &str = "division by an expression that is identically zero";
/// The largest coefficient a power of a monomial may produce, in bits (2^22, 512 KiB).
const MAX_COEFF_BITS: u64 = crate::MAX_VALUE_BITS;
const MAX_NORMALIZE_ROUNDS: usize = 64;
/// Denominators with at most this many strong sign atoms are split by sign pattern.
const MAX_SPLIT_SIGNS: usize = 2;

fn undecided(s: impl Into<String>) -> Fail {
    Fail::Undecided(s.into())
}

impl Ctx {
    pub(crate) fn new(l: Layout, n_vars: usize, limits: &Limits) -> Ctx {
        let mut exp_index = HashMap::new();
        exp_index.insert(Rf::zero(), 0);
        Ctx {
            l,
            n_vars,
            atoms: Vec::new(),
            atom_index: HashMap::new(),
            exp_args: vec![Rf::zero()],
            exp_index,
            exp_sums: HashMap::new(),
            rel_slots: Vec::new(),
            max_terms: limits.max_terms,
            max_power: limits.max_power,
            max_work: limits.max_work,
            domain: None,
        }
    }

    // ----- generators -------------------------------------------------------------------

    /// The monomial with exponent 1 in `slot`.
    fn slot_poly(&self, slot: usize) -> MPoly {
        let mut w = vec![0u64; self.l.w];
        self.l.set(&mut w, slot, 1);
        MPoly::term(w, 0, Int::ONE, Int::ONE)
    }

    /// The variable `i`.
    pub(crate) fn var(&self, i: usize) -> Rf {
        Rf::poly(self.slot_poly(i))
    }

    pub(crate) fn constant(&self, q: &Rational) -> Rf {
        Rf::poly(MPoly::constant(&self.l, q))
    }

    fn one(&self) -> MPoly {
        MPoly::constant(&self.l, &Rational::from(1))
    }

    /// The slot of the atom `kind(arg)`, created on first use.
    fn atom(&mut self, kind: AtomKind, mut arg: Rf) -> Result<usize, Fail> {
        arg.num.canonicalize(&self.l);
        let key = (kind, arg);
        if let Some(&i) = self.atom_index.get(&key) {
            return Ok(self.n_vars + i);
        }
        let slot = self.n_vars + self.atoms.len();
        if slot >= self.l.nslots {
            return Err(Fail::Slots);
        }
        self.atoms.push(Atom {
            kind,
            arg: key.1.clone(),
        });
        self.atom_index.insert(key, self.atoms.len() - 1);
        if !matches!(kind, AtomKind::Log) {
            self.rel_slots.push(slot);
        }
        Ok(slot)
    }

    fn atom_of_slot(&self, slot: usize) -> Option<&Atom> {
        slot.checked_sub(self.n_vars)
            .and_then(|i| self.atoms.get(i))
    }

    /// The number of slots in use (variables and the atoms created so far).
    fn used_slots(&self) -> usize {
        self.n_vars + self.atoms.len()
    }

    /// True when `slot` has no relation: a variable or a `log` atom (Laurent exponents).
    fn is_laurent_slot(&self, slot: usize) -> bool {
        match self.atom_of_slot(slot) {
            None => true,
            Some(a) => matches!(a.kind, AtomKind::Log),
        }
    }

    /// True when the polynomial only involves the variables (no atom, no exponential).
    pub(crate) fn is_atom_free(&self, p: &MPoly) -> bool {
        if p.has_eids() {
            return false;
        }
        (0..p.len()).all(|i| {
            let m = p.mono(&self.l, i);
            (self.n_vars..self.used_slots()).all(|s| self.l.get(m, s) == 0)
        })
    }

    /// True when the non-zero polynomial `p` is provably non-zero almost everywhere: it only
    /// involves the variables and strong sign atoms `s_1..s_k`, and for every choice of
    /// `s_i = ±1` the resulting polynomial in the variables is non-zero. (The strong signs
    /// are `±1` a.e., so `R^n` splits, up to a null set, into the regions where the pattern
    /// is fixed; on each, `p` is a non-zero polynomial whose zero set is null.)
    fn is_strong_sign_arg(&self, p: &MPoly) -> Result<bool, Fail> {
        const MAX_PATTERN_ATOMS: usize = 10;
        if p.is_zero() || p.has_eids() {
            return Ok(false);
        }
        let l = self.l;
        let mut signs: Vec<usize> = Vec::new();
        for s in self.n_vars..self.used_slots() {
            if (0..p.len()).all(|i| l.get(p.mono(&l, i), s) == 0) {
                continue;
            }
            match self.atom_of_slot(s).map(|a| a.kind) {
                Some(AtomKind::Sign { strong: true }) => signs.push(s),
                _ => return Ok(false),
            }
        }
        if signs.is_empty() {
            return Ok(true);
        }
        if signs.len() > MAX_PATTERN_ATOMS {
            return Ok(false);
        }
        for pattern in 0u32..(1 << signs.len()) {
            if self.substitute_signs(p, &signs, pattern)?.is_zero() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    // ----- exponentials -----------------------------------------------------------------

    /// The id of the combined exponential `exp(arg)`.
    fn intern_exp(&mut self, mut arg: Rf) -> u32 {
        if arg.is_zero() {
            return 0;
        }
        arg.num.canonicalize(&self.l);
        if let Some(&e) = self.exp_index.get(&arg) {
            return e;
        }
        let e = u32::try_from(self.exp_args.len()).expect("too many exponentials");
        self.exp_args.push(arg.clone());
        self.exp_index.insert(arg, e);
        e
    }

    /// Makes sure the sums of every pair of ids from `a` and `b` are known.
    fn ensure_sums(&mut self, a: &[u32], b: &[u32]) -> Result<(), Fail> {
        for &x in a {
            for &y in b {
                let key = (x.min(y), x.max(y));
                if self.exp_sums.contains_key(&key) {
                    continue;
                }
                let s = self.add(
                    self.exp_args[x as usize].clone(),
                    self.exp_args[y as usize].clone(),
                )?;
                let e = self.intern_exp(s);
                self.exp_sums.insert(key, e);
            }
        }
        Ok(())
    }

    /// The id of `exp(t * arg(e))`.
    fn exp_scale(&mut self, e: u32, t: i64) -> u32 {
        if e == 0 || t == 0 {
            return 0;
        }
        let a = self.exp_args[e as usize].clone();
        let num = a.num.scale(&Int::from(t), &Int::ONE);
        self.intern_exp(Rf { num, den: a.den })
    }

    /// `exp(u)`.
    pub(crate) fn exp(&mut self, u: Rf) -> Rf {
        let e = self.intern_exp(u);
        Rf::poly(MPoly::term(vec![0; self.l.w], e, Int::ONE, Int::ONE))
    }

    // ----- polynomial arithmetic with exponential ids ----------------------------------

    /// Counts `units` of work (term operations) against the work limit.
    fn charge(&mut self, units: usize) -> Result<(), Fail> {
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

    fn pmul_opt(&mut self, a: &Option<MPoly>, b: &Option<MPoly>) -> Result<Option<MPoly>, Fail> {
        Ok(match (a, b) {
            (None, None) => None,
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (Some(x), Some(y)) => Some(self.pmul(x, y)?),
        })
    }

    fn ppow(&mut self, p: &MPoly, k: u32) -> Result<MPoly, Fail> {
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
    fn mono_pow(&mut self, m: &MPoly, t: i64) -> Result<MPoly, Fail> {
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
    fn mul_mono(&mut self, p: &MPoly, m: &MPoly) -> Result<MPoly, Fail> {
        self.pmul(p, m)
    }

    // ----- rational functions -----------------------------------------------------------

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

    // ----- normalization ----------------------------------------------------------------

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

    // ----- atoms with rules -------------------------------------------------------------

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

    /// `sign(p)` for a non-zero polynomial.
    fn sign_poly(&mut self, p: &MPoly) -> Result<Rf, Fail> {
        let l = self.l;
        if let Some(c) = p.constant_value() {
            return Ok(self.constant(&Rational::from(c.cmp0() as i32)));
        }
        // Strip the monomial content in the variables and a common exponential (> 0).
        let mut content = vec![0u64; l.w];
        let mut factors: Vec<usize> = Vec::new();
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
                l.set(&mut content, s, -e);
                if let Some(slot) = self.sign_var_power(s, e)? {
                    factors.push(slot);
                }
            }
        }
        // sign(s^k q) = s^k sign(q) for a sign atom s (sign is multiplicative, sign(s) = s).
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
                l.set(&mut content, s, -mn);
                for _ in 0..mn {
                    factors.push(s);
                }
            }
        }
        let e0 = p.eid(0);
        let mut eid = 0;
        if e0 != 0 && (0..p.len()).all(|i| p.eid(i) == e0) {
            eid = self.exp_scale(e0, -1);
        }
        let mut q = if Layout::is_one(&content) && eid == 0 {
            p.clone()
        } else {
            let m = MPoly::term(content, eid, Int::ONE, Int::ONE);
            self.mul_mono(p, &m)?
        };
        let mut sigma = 1i32;
        let rest: Option<MPoly> = if q.len() == 1 {
            // A single term c * m: sign(c) times the signs of its factors.
            let m = q.mono(&l, 0).to_vec();
            if q.coeffs[0].cmp0().is_lt() {
                sigma = -sigma;
            }
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
            None
        } else {
            q.canonicalize(&l);
            let mut g = Int::ZERO;
            for c in &q.coeffs {
                g = g.gcd(c);
            }
            if q.coeffs[0].cmp0().is_lt() {
                sigma = -sigma;
            }
            // q = (g / q.den) * sign(first) * q', with q' primitive and a positive first
            // coefficient; sign(q) = sign(first) * sign(q').
            let flip = q.coeffs[0].cmp0().is_lt();
            for c in &mut q.coeffs {
                *c = c.div_exact(&g);
                if flip {
                    *c = c.neg();
                }
            }
            q.den = Int::ONE;
            Some(q)
        };
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
        let t = self.normalize(t, None)?;
        match rest {
            Some(q) => {
                let core = self.sign_core(q)?;
                self.mul(&t, &core)
            }
            None => Ok(t),
        }
    }

    /// The atom slots (other than variables) that occur in `p`.
    fn atom_slots_in(&self, p: &MPoly) -> Vec<usize> {
        let l = self.l;
        (self.n_vars..self.used_slots())
            .filter(|&s| (0..p.len()).any(|i| l.get(p.mono(&l, i), s) != 0))
            .collect()
    }

    /// `p` with the strong sign atoms `slots[b]` replaced by `-1` (bit `b` of `pattern` set)
    /// or `+1`.
    fn substitute_signs(&self, p: &MPoly, slots: &[usize], pattern: u32) -> Result<MPoly, Fail> {
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
    fn indicator(&mut self, slots: &[usize], pattern: u32) -> Result<Rf, Fail> {
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
    fn strong_sign_slots_in(&self, p: &MPoly) -> Vec<usize> {
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
    fn split_den(&mut self, num: &MPoly, den: &MPoly, slots: &[usize]) -> Result<Rf, Fail> {
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

    /// Applies `f` region by region when `u` involves at most [`MAX_SPLIT_SIGNS`] strong sign
    /// atoms: on the region where they equal the pattern `e`, `u` is `u_e` (the pattern
    /// substituted), so `F(u) = sum_e [indicator_e] F(u_e)` a.e. `f` returns `None` when
    /// `F(u_e)` is undefined on the whole region (that region is then outside the domain and
    /// recorded with [`Ctx::restrict_domain`]). Returns `None` when there is nothing to
    /// split. This keeps strong signs out of the arguments of roots and logarithms, so that
    /// reducing a root never brings a sign back into a denominator.
    fn by_region(
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

    /// `log(u)`.
    pub(crate) fn log(&mut self, u: Rf) -> Result<Rf, Fail> {
        let split = self.by_region(&u, |c, ue| {
            if ue.is_zero() || ue.constant_value().is_some_and(|v| v <= 0) {
                return Ok(None);
            }
            c.log(ue).map(Some)
        })?;
        if let Some(v) = split {
            return Ok(v);
        }
        if u.is_zero() {
            return Err(undecided("log of an expression that is identically zero"));
        }
        if let Some(c) = u.constant_value() {
            if c <= 0 {
                return Err(undecided(format!("log of the non-positive constant {c}")));
            }
            if c == 1 {
                return Ok(Rf::zero());
            }
        }
        // log(exp(a)) = a for real a.
        if u.den.is_none()
            && u.num.len() == 1
            && u.num.eid(0) != 0
            && Layout::is_one(&u.num.exps)
            && u.num.coeffs[0] == u.num.den
        {
            return Ok(self.exp_args[u.num.eid(0) as usize].clone());
        }
        let slot = self.atom(AtomKind::Log, u)?;
        Ok(Rf::poly(self.slot_poly(slot)))
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
