//! The generic evaluation over any [`Scalar`], checking every instruction: the path
//! whose `Rational` and `Interval` results may back a "proved" verdict.

use super::Tape;
use crate::error::{EvalError, EvalErrorKind};
use crate::instr::Op;
use crate::scalar::Scalar;

impl Tape {
    /// Evaluates all outputs at `x` (one value per variable) in the number type `S`.
    /// Allocates the result; see [`Tape::eval_into`] for the guarantees and panics.
    pub fn eval<S: Scalar>(&self, ctx: &S::Ctx, x: &[S]) -> Result<Vec<S>, EvalError> {
        assert_eq!(x.len(), self.n_vars, "Tape::eval: wrong number of inputs");
        let mut scratch = Vec::with_capacity(self.n_slots());
        self.run(ctx, x, &mut scratch)?;
        Ok(self
            .outputs
            .iter()
            .map(|&s| scratch[s as usize].clone())
            .collect())
    }

    /// Evaluates all outputs at `x` into `out` (`out[o]` is output `o`), reusing `scratch`
    /// between calls (no allocation for `Copy`-like types once it has grown).
    ///
    /// Every intermediate result has the guarantee of `S` (see [`Scalar`]); in particular for
    /// `inari::Interval` inputs, an `Ok` result encloses the exact values of the outputs at
    /// every point of the input box. On the first failing instruction the error names the
    /// arena node it belongs to, and `out` is left unspecified.
    ///
    /// Panics if `x.len() != n_vars()` or `out.len() != n_outputs()`.
    pub fn eval_into<S: Scalar>(
        &self,
        ctx: &S::Ctx,
        x: &[S],
        scratch: &mut Vec<S>,
        out: &mut [S],
    ) -> Result<(), EvalError> {
        assert_eq!(
            x.len(),
            self.n_vars,
            "Tape::eval_into: wrong number of inputs"
        );
        assert_eq!(
            out.len(),
            self.outputs.len(),
            "Tape::eval_into: wrong number of outputs"
        );
        self.run(ctx, x, scratch)?;
        for (o, &s) in out.iter_mut().zip(&self.outputs) {
            *o = scratch[s as usize].clone();
        }
        Ok(())
    }

    /// Fills `scratch` with the value of every slot.
    fn run<S: Scalar>(&self, ctx: &S::Ctx, x: &[S], scratch: &mut Vec<S>) -> Result<(), EvalError> {
        scratch.clear();
        scratch.extend_from_slice(x);
        for (c, &node) in self.consts.iter().zip(&self.const_nodes) {
            let v = S::from_const(c, ctx).map_err(|kind| EvalError { kind, node })?;
            scratch.push(v);
        }
        for (ins, &node) in self.instrs.iter().zip(&self.instr_nodes) {
            let a = &scratch[ins.a as usize];
            let b = &scratch[ins.b as usize];
            let r: Result<S, EvalErrorKind> = match ins.op {
                Op::Add => Ok(a.add(b)),
                Op::Sub => Ok(a.sub(b)),
                Op::Mul => Ok(a.mul(b)),
                Op::Div => a.div(b),
                Op::Neg => Ok(a.neg()),
                Op::Sqr => Ok(a.sqr()),
                Op::Recip => a.recip(),
                Op::Powi(k) => a.powi(k),
                Op::Root(q) => a.root(q),
                Op::Exp => a.exp(),
                Op::Log => a.log(),
                Op::Abs => Ok(a.abs()),
                Op::Sign => Ok(a.sign()),
                Op::Max => Ok(a.max(b)),
                Op::Min => Ok(a.min(b)),
            };
            let v = r
                .and_then(|v| v.check().map(|()| v))
                .map_err(|kind| EvalError { kind, node })?;
            scratch.push(v);
        }
        Ok(())
    }
}
