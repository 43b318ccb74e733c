//! The program under construction: instructions on symbolic operands, shared when
//! identical (common subexpressions), and the pooled constants.

use crate::instr::Op;
use ngd_expr::{Arena, ExprId, Rational};
use rug::Integer;
use std::collections::HashMap;

/// A value while compiling, before the final slot layout is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Ref {
    Var(u32),
    Const(u32),
    Ins(u32),
}

/// A straight-line program being built from an arena; [`super::layout`] turns it into a
/// [`super::Tape`].
pub(super) struct Builder<'a> {
    pub(super) arena: &'a Arena,
    /// The distinct constants, in order of first use.
    pub(super) consts: Vec<Rational>,
    /// Per constant: the arena node it was first emitted for (named by errors).
    pub(super) const_nodes: Vec<ExprId>,
    const_map: HashMap<Rational, u32>,
    /// The instructions `(op, a, b)`, in dependency order.
    pub(super) instrs: Vec<(Op, Ref, Ref)>,
    /// Per instruction: the arena node it was emitted for (named by errors).
    pub(super) instr_nodes: Vec<ExprId>,
    cse: HashMap<(Op, Ref, Ref), Ref>,
    /// The value of every lowered arena node.
    pub(super) val: HashMap<ExprId, Ref>,
}

impl<'a> Builder<'a> {
    /// An empty program over the variables of `arena`.
    pub(super) fn new(arena: &'a Arena) -> Self {
        Builder {
            arena,
            consts: Vec::new(),
            const_nodes: Vec::new(),
            const_map: HashMap::new(),
            instrs: Vec::new(),
            instr_nodes: Vec::new(),
            cse: HashMap::new(),
            val: HashMap::new(),
        }
    }
}

impl Builder<'_> {
    /// `op(a, b)`: the existing instruction when an identical one was emitted (operands of
    /// a commutative operation in a fixed order), else a new one naming `node`.
    pub(super) fn emit(&mut self, op: Op, a: Ref, b: Ref, node: ExprId) -> Ref {
        let (a, b) = if op.commutative() && b < a {
            (b, a)
        } else {
            (a, b)
        };
        if let Some(&r) = self.cse.get(&(op, a, b)) {
            return r;
        }
        let r = Ref::Ins(self.instrs.len() as u32);
        self.instrs.push((op, a, b));
        self.instr_nodes.push(node);
        self.cse.insert((op, a, b), r);
        r
    }

    /// The unary `op(a)` (stored with `a` as both operands).
    pub(super) fn unary(&mut self, op: Op, a: Ref, node: ExprId) -> Ref {
        self.emit(op, a, a, node)
    }

    /// The constant `q`, pooled: one slot per distinct value.
    pub(super) fn constant(&mut self, q: &Rational, node: ExprId) -> Ref {
        if let Some(&k) = self.const_map.get(q) {
            return Ref::Const(k);
        }
        let k = self.consts.len() as u32;
        self.consts.push(q.clone());
        self.const_nodes.push(node);
        self.const_map.insert(q.clone(), k);
        Ref::Const(k)
    }

    /// The value of an already lowered node.
    pub(super) fn get(&self, id: ExprId) -> Ref {
        self.val[&id]
    }

    /// `x^p` for an integer `p != 0`, split into factors when `p` does not fit an `i32`.
    pub(super) fn pow_int(&mut self, x: Ref, p: &Integer, node: ExprId) -> Ref {
        if let Some(k) = p.to_i32() {
            return match k {
                1 => x,
                2 => self.unary(Op::Sqr, x, node),
                -1 => self.unary(Op::Recip, x, node),
                _ => self.unary(Op::Powi(k), x, node),
            };
        }
        if *p < 0 {
            let pos = self.pow_int(x, &Integer::from(-p), node);
            return self.unary(Op::Recip, pos, node);
        }
        // x^p = (x^(2^30))^(p >> 30) * x^(p mod 2^30)
        let big = self.unary(Op::Powi(1 << 30), x, node);
        let hi = Integer::from(p >> 30);
        let lo = Integer::from(p & &Integer::from((1 << 30) - 1));
        let hi_pow = self.pow_int(big, &hi, node);
        if lo == 0 {
            hi_pow
        } else {
            let lo_pow = self.pow_int(x, &lo, node);
            self.emit(Op::Mul, hi_pow, lo_pow, node)
        }
    }

    /// The real `q`-th root of `x` for the denominator `q` of an exponent (`x` itself
    /// when `q == 1`).
    ///
    /// Panics when `q` exceeds `u32::MAX`.
    pub(super) fn root_of(&mut self, x: Ref, q: &Integer, node: ExprId) -> Ref {
        if *q == 1 {
            return x;
        }
        let q = q
            .to_u32()
            .expect("root index of a rational exponent exceeds u32");
        self.unary(Op::Root(q), x, node)
    }
}
