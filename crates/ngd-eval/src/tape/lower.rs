//! The forward lowering: each arena node becomes a few instructions on the values of its
//! children ([`Tape::compile`]).

use super::build::{Builder, Ref};
use super::Tape;
use crate::instr::Op;
use ngd_expr::{Arena, ExprId, Func, Node};

/// The factors of a product split for lowering: whether the factors `-1` make it negated,
/// the other factors (numerator) and the factors `b^-1` (denominator), each in the
/// arena's order.
pub(super) struct ProductFactors {
    pub(super) negate: bool,
    pub(super) num: Vec<ExprId>,
    pub(super) den: Vec<ExprId>,
}

/// Splits the factors `fs` of a product into `-1`s, reciprocals and the rest.
pub(super) fn split_product(arena: &Arena, fs: &[ExprId]) -> ProductFactors {
    let mut negate = false;
    let mut num = Vec::with_capacity(fs.len());
    let mut den = Vec::new();
    for &f in fs {
        if arena.is_const(f, -1) {
            negate = !negate;
            continue;
        }
        match arena.node(f) {
            Node::Pow(_, e) if *e == -1 => den.push(f),
            _ => num.push(f),
        }
    }
    ProductFactors { negate, num, den }
}

/// Reorders the numerator of a product: its leading constant (when `has_const`) first,
/// then the other factors from the most to the least complex (descending id), so that
/// products like `2 * g * x` and `2 * g * y` share their prefix `2 * g`.
pub(super) fn chain_order<T>(num: &mut [T], has_const: bool) {
    if num.len() > 2 {
        num[usize::from(has_const)..].reverse();
    }
}

impl Builder<'_> {
    /// Lowers every node of `order` (a postorder) and records its value.
    pub(super) fn lower_all(&mut self, order: &[ExprId]) {
        for &id in order {
            let r = self.lower(id);
            self.val.insert(id, r);
        }
    }

    /// The value of node `id`, its children being lowered already.
    fn lower(&mut self, id: ExprId) -> Ref {
        let arena = self.arena;
        match arena.node(id) {
            Node::Const(q) => self.constant(q, id),
            Node::Var(i) => Ref::Var(*i),
            Node::Add(ts) => self.lower_add(ts, id),
            Node::Mul(fs) => self.lower_mul(fs, id),
            Node::Pow(b, e) => {
                let base = self.root_of(self.get(*b), e.denom(), id);
                self.pow_int(base, e.numer(), id)
            }
            Node::Func(f, a) => {
                let op = match f {
                    Func::Exp => Op::Exp,
                    Func::Log => Op::Log,
                    Func::Abs => Op::Abs,
                    Func::Sign => Op::Sign,
                };
                self.unary(op, self.get(*a), id)
            }
            Node::Max(a, b) => self.emit(Op::Max, self.get(*a), self.get(*b), id),
            Node::Min(a, b) => self.emit(Op::Min, self.get(*a), self.get(*b), id),
        }
    }

    /// A sum as a chain: the positive terms added, then the terms `(-1) * t` subtracted
    /// (a sum of negated terms only starts from a negation).
    fn lower_add(&mut self, ts: &[ExprId], id: ExprId) -> Ref {
        let arena = self.arena;
        let mut pos = Vec::with_capacity(ts.len());
        let mut neg = Vec::new();
        for &t in ts {
            match arena.node(t) {
                Node::Mul(fs) if fs.len() == 2 && arena.is_const(fs[0], -1) => {
                    neg.push(self.get(fs[1]));
                }
                _ => pos.push(self.get(t)),
            }
        }
        let mut acc = match pos.first() {
            Some(&p) => p,
            None => self.unary(Op::Neg, neg.remove(0), id),
        };
        for &p in pos.iter().skip(1) {
            acc = self.emit(Op::Add, acc, p, id);
        }
        for &n in &neg {
            acc = self.emit(Op::Sub, acc, n, id);
        }
        acc
    }

    /// A product as a chain: the numerator multiplied in [`chain_order`], divided by the
    /// bases of the reciprocal factors, negated for an odd number of factors `-1`.
    fn lower_mul(&mut self, fs: &[ExprId], id: ExprId) -> Ref {
        let arena = self.arena;
        let factors = split_product(arena, fs);
        let mut num: Vec<Ref> = factors.num.iter().map(|&f| self.get(f)).collect();
        let has_const = num.first().is_some_and(|r| matches!(r, Ref::Const(_)));
        chain_order(&mut num, has_const);
        let den: Vec<(Ref, ExprId)> = factors
            .den
            .iter()
            .map(|&f| match arena.node(f) {
                Node::Pow(b, _) => (self.get(*b), f),
                _ => unreachable!("a reciprocal factor is a power"),
            })
            .collect();
        let mut den = den.into_iter();
        let mut acc = match num.first() {
            Some(&n) => n,
            None => {
                let (b, f) = den.next().expect("a product has at least two factors");
                self.unary(Op::Recip, b, f)
            }
        };
        for &n in num.iter().skip(1) {
            acc = self.emit(Op::Mul, acc, n, id);
        }
        for (b, f) in den {
            // The quotient fails exactly where the reciprocal node does: name it.
            acc = self.emit(Op::Div, acc, b, f);
        }
        if factors.negate {
            acc = self.unary(Op::Neg, acc, id);
        }
        acc
    }
}

impl Tape {
    /// Compiles the expressions `outputs` of `arena` into one tape over all the arena's
    /// variables (`n_vars() == arena.n_vars()`, variable `i` is input `i`). Output `o` of
    /// every evaluation is the value of `outputs[o]`.
    ///
    /// Panics only on exponents whose denominator exceeds `u32::MAX`.
    pub fn compile(arena: &Arena, outputs: &[ExprId]) -> Tape {
        let mut b = Builder::new(arena);
        b.lower_all(&arena.postorder(outputs));
        let out_refs: Vec<Ref> = outputs.iter().map(|id| b.val[id]).collect();
        Tape::finish(b, &out_refs)
    }
}
