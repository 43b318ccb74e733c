//! Interval evaluation with the smoothness guard: whether derivative-based enclosures
//! may be used on a box (docs/math.md, Nonsmooth functions).

use super::Tape;
use crate::error::EvalError;
use crate::instr::Op;
use inari::Interval;

impl Tape {
    /// Interval evaluation that also says whether the tape is smooth on the box `x`: `Ok(true)`
    /// when every nonsmooth instruction is proved away from its kink (the argument of `abs`,
    /// `sign` and of a root excludes 0; the two arguments of `max`/`min` are ordered). Only
    /// then may a derivative-based enclosure (mean value, Taylor) of the outputs be used on the
    /// box: symbolic derivatives take `sign' = 0`, which is false across a jump. `Err` as in
    /// [`Tape::eval_into`]; the outputs are written to `out` either way when `Ok`.
    ///
    /// Panics if `x.len() != n_vars()` or `out.len() != n_outputs()`.
    ///
    /// ```
    /// use ngd_eval::{Interval, Tape};
    /// use ngd_expr::{Arena, Func};
    ///
    /// let mut a = Arena::new(vec!["x".into()]);
    /// let x = a.var(0);
    /// let ax = a.func(Func::Abs, x);
    /// let t = Tape::compile(&a, &[ax]);
    /// let (mut scratch, mut out) = (Vec::new(), [Interval::EMPTY]);
    /// let away = [Interval::try_from((1.0, 2.0)).unwrap()];
    /// assert!(t.eval_interval_smooth(&away, &mut scratch, &mut out).unwrap());
    /// assert!(out[0].inf() <= 1.0 && out[0].sup() >= 2.0);
    /// // Across the kink of |x| no derivative-based enclosure may be used.
    /// let across = [Interval::try_from((-1.0, 2.0)).unwrap()];
    /// assert!(!t.smooth_on(&across).unwrap());
    /// ```
    pub fn eval_interval_smooth(
        &self,
        x: &[Interval],
        scratch: &mut Vec<Interval>,
        out: &mut [Interval],
    ) -> Result<bool, EvalError> {
        self.eval_into::<Interval>(&(), x, scratch, out)?;
        Ok(self.instrs.iter().all(|ins| {
            let a = scratch[ins.a as usize];
            let b = scratch[ins.b as usize];
            let away_from_zero = |v: Interval| v.inf() > 0.0 || v.sup() < 0.0;
            match ins.op {
                Op::Abs | Op::Sign | Op::Root(_) => away_from_zero(a),
                Op::Max | Op::Min => a.sup() < b.inf() || b.sup() < a.inf(),
                _ => true,
            }
        }))
    }

    /// [`Tape::eval_interval_smooth`] with its own buffers, when only the answer is needed.
    pub fn smooth_on(&self, x: &[Interval]) -> Result<bool, EvalError> {
        let mut scratch = Vec::new();
        let mut out = vec![Interval::EMPTY; self.n_outputs()];
        self.eval_interval_smooth(x, &mut scratch, &mut out)
    }

    /// Whether the tape contains a nonsmooth instruction (`abs`, `sign`, `max`, `min` or a
    /// root, whose derivative blows up at 0).
    pub fn has_nonsmooth(&self) -> bool {
        self.instrs
            .iter()
            .any(|ins| matches!(ins.op, Op::Abs | Op::Sign | Op::Root(_) | Op::Max | Op::Min))
    }
}
