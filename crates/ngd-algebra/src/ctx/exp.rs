//! Exponentials and logarithms: the table of combined exponential arguments, `exp(u)`
//! and `log(u)` (with `log(exp(a)) = a`). Why the rules hold: docs/math.md.

use super::{undecided, AtomKind, Ctx, Rf};
use crate::int::Int;
use crate::mono::Layout;
use crate::mpoly::MPoly;
use crate::Fail;

impl Ctx {
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
    pub(super) fn ensure_sums(&mut self, a: &[u32], b: &[u32]) -> Result<(), Fail> {
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
    pub(super) fn exp_scale(&mut self, e: u32, t: i64) -> u32 {
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
