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
use crate::mpoly::{EidSums, MPoly};
use crate::{Fail, Limits};
use rug::Rational;
use std::collections::HashMap;

mod arith;
mod exp;
mod normalize;
mod poly_ops;
mod region;
mod root;
mod sign;

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
}
