//! The compiled tape: its format (this file), how it is built from an arena and how it
//! is evaluated, one concept per module.
//!
//! * [`build`]: the program under construction (instructions with sharing, constants);
//! * [`lower`]: the forward lowering of arena nodes, [`Tape::compile`];
//! * [`adjoint`]: the reverse (adjoint) sweep, [`Tape::compile_gradient`];
//! * [`layout`]: dead-code elimination and the final slot layout of a built program;
//! * [`checked`]: the generic evaluation over any [`crate::Scalar`], with error checks;
//! * [`interval`]: interval evaluation with the smoothness guard;
//! * [`fast`]: the fast f64 paths (one point, point slots, lanes, batches);
//! * [`listing`]: the human-readable listing (`Display`).

mod adjoint;
mod build;
mod checked;
mod fast;
mod interval;
mod layout;
mod listing;
mod lower;

use crate::instr::Instr;
use crate::lanes::LanePlan;
use crate::scalar::TapeConst;
use ngd_expr::ExprId;

/// A compiled straight-line program computing several outputs of an arena.
///
/// Built once by [`Tape::compile`] from the output roots (e.g. `f`, its gradient and its
/// Hessian together), so every node shared between outputs is evaluated once per call.
/// Evaluation walks a flat instruction list (no tree walking; for `f64` and intervals no
/// allocation once the scratch buffer has grown — MPFR and rational values allocate by
/// nature). The generic [`Tape::eval`] gives each number type its own
/// guarantee (see [`crate::Scalar`]): exact for `Rational`, outward-rounded enclosures for
/// `inari::Interval`, correctly rounded per operation for `rug::Float`, IEEE for `f64`.
///
/// Lowering: `Add`/`Mul` become chains of binary operations (`a + (-1)*b` becomes `a - b`,
/// `a * b^-1` becomes `a / b`), `b^(p/q)` becomes an integer power (squares as products,
/// `^-1` as a reciprocal) of the real `q`-th root. Identical instructions are shared and
/// instructions no output needs are removed.
///
/// Slot layout: the inputs (slots `0..n_vars`), then the constants, then one slot per
/// instruction (instruction `i` writes slot `base + i`).
#[derive(Clone, Debug)]
pub struct Tape {
    n_vars: usize,
    consts: Vec<TapeConst>,
    const_nodes: Vec<ExprId>,
    instrs: Vec<Instr>,
    instr_nodes: Vec<ExprId>,
    outputs: Vec<u32>,
    lanes: LanePlan,
    /// Per instruction: which operands are the previous instruction's value (bit 0: `a`,
    /// bit 1: `b`), for [`Tape::eval_point_outputs`].
    prev: Vec<u8>,
}

impl Tape {
    /// The number of inputs (the arena's variables).
    pub fn n_vars(&self) -> usize {
        self.n_vars
    }

    /// The number of outputs.
    pub fn n_outputs(&self) -> usize {
        self.outputs.len()
    }

    /// The number of instructions.
    pub fn len(&self) -> usize {
        self.instrs.len()
    }

    /// True when the tape has no instruction (every output is a variable or a constant).
    pub fn is_empty(&self) -> bool {
        self.instrs.is_empty()
    }

    /// The pooled constants of the tape.
    pub fn constants(&self) -> &[TapeConst] {
        &self.consts
    }

    /// The first instruction slot (after the inputs and the constants).
    fn base(&self) -> usize {
        self.n_vars + self.consts.len()
    }

    /// The number of slots: inputs, constants and instructions.
    fn n_slots(&self) -> usize {
        self.base() + self.instrs.len()
    }
}
