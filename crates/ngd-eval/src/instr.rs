//! The instructions of a tape: the operations, one instruction, and the single f64
//! definition of each operation shared by every fast path (so they agree bit for bit).

use crate::scalar::kernels;

/// One operation of the tape. Unary operations ignore their second operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Neg,
    Sqr,
    Recip,
    Powi(i32),
    Root(u32),
    Exp,
    Log,
    Abs,
    Sign,
    Max,
    Min,
}

impl Op {
    pub(crate) fn commutative(self) -> bool {
        matches!(self, Op::Add | Op::Mul | Op::Max | Op::Min)
    }

    /// Whether the operation reads its first operand only.
    pub(crate) fn is_unary(self) -> bool {
        !matches!(
            self,
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Max | Op::Min
        )
    }
}

/// The f64 value of one operation (IEEE, no error checks): the single definition of the
/// fast f64 paths, so that they agree bit for bit.
#[inline(always)]
pub(crate) fn apply(op: Op, a: f64, b: f64) -> f64 {
    match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => a / b,
        Op::Neg => -a,
        Op::Sqr => a * a,
        Op::Recip => 1.0 / a,
        Op::Powi(k) => kernels::powi(a, k),
        Op::Root(q) => kernels::root(a, q),
        Op::Exp => a.exp(),
        Op::Log => a.ln(),
        Op::Abs => a.abs(),
        Op::Sign => kernels::sign(a),
        Op::Max => kernels::max(a, b),
        Op::Min => kernels::min(a, b),
    }
}

/// One instruction: `slot[base + i] = op(slot[a], slot[b])`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Instr {
    pub(crate) op: Op,
    pub(crate) a: u32,
    pub(crate) b: u32,
}
