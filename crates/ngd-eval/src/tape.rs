//! Compilation of arena expressions into a straight-line program, and its evaluation.

use crate::error::{EvalError, EvalErrorKind};
use crate::instr::{apply, Instr, Op};
use crate::lanes::{LaneBlock, LanePlan, PointSlots};
use crate::scalar::{Scalar, TapeConst};
use inari::Interval;
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use rug::Integer;
use std::collections::HashMap;

/// Lanes per chunk of [`Tape::eval_f64_batch`]: each instruction runs over a whole chunk
/// (one dispatch per chunk, a long vectorizable loop), and a chunk's working set of
/// `CH * 8` bytes per row stays in L1 for small tapes.
const CH: usize = 128;

/// A compiled straight-line program computing several outputs of an arena.
///
/// Built once by [`Tape::compile`] from the output roots (e.g. `f`, its gradient and its
/// Hessian together), so every node shared between outputs is evaluated once per call.
/// Evaluation walks a flat instruction list (no tree walking; for `f64` and intervals no
/// allocation once the scratch buffer has grown — MPFR and rational values allocate by
/// nature). The generic [`Tape::eval`] gives each number type its own
/// guarantee (see [`Scalar`]): exact for `Rational`, outward-rounded enclosures for
/// `inari::Interval`, correctly rounded per operation for `rug::Float`, IEEE for `f64`.
///
/// Lowering: `Add`/`Mul` become chains of binary operations (`a + (-1)*b` becomes `a - b`,
/// `a * b^-1` becomes `a / b`), `b^(p/q)` becomes an integer power (squares as products,
/// `^-1` as a reciprocal) of the real `q`-th root. Identical instructions are shared and
/// instructions no output needs are removed.
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

/// A value while compiling, before the final slot layout is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Ref {
    Var(u32),
    Const(u32),
    Ins(u32),
}

struct Builder<'a> {
    arena: &'a Arena,
    consts: Vec<Rational>,
    const_nodes: Vec<ExprId>,
    const_map: HashMap<Rational, u32>,
    instrs: Vec<(Op, Ref, Ref)>,
    instr_nodes: Vec<ExprId>,
    cse: HashMap<(Op, Ref, Ref), Ref>,
    val: HashMap<ExprId, Ref>,
}

/// The adjoints of the reverse sweep: per node, a value and whether it is negated (a
/// negation is applied lazily: it usually folds into a later `Sub`).
struct Adjoints {
    /// The constant `1` (the seed); multiplications by it are skipped.
    one: Ref,
    map: HashMap<ExprId, (Ref, bool)>,
}

impl<'a> Builder<'a> {
    fn new(arena: &'a Arena) -> Self {
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
    /// `a * b`, skipping a factor `1` (the seed).
    fn mul_adj(&mut self, adj: &Adjoints, a: Ref, b: Ref, node: ExprId) -> Ref {
        if a == adj.one {
            b
        } else if b == adj.one {
            a
        } else {
            self.emit(Op::Mul, a, b, node)
        }
    }

    /// Adds the contribution `(-1)^neg * r` to the adjoint of `child`.
    fn accumulate(&mut self, adj: &mut Adjoints, child: ExprId, r: Ref, neg: bool, node: ExprId) {
        if matches!(self.arena.node(child), Node::Const(_)) {
            return;
        }
        let new = match adj.map.get(&child) {
            None => (r, neg),
            Some(&(a, false)) if !neg => (self.emit(Op::Add, a, r, node), false),
            Some(&(a, false)) => (self.emit(Op::Sub, a, r, node), false),
            Some(&(a, true)) if !neg => (self.emit(Op::Sub, r, a, node), false),
            // -a - r = -(a + r) exactly (rounding to nearest is symmetric).
            Some(&(a, true)) => (self.emit(Op::Add, a, r, node), true),
        };
        adj.map.insert(child, new);
    }

    /// Propagates the adjoint `(a, neg)` of node `id` to its children.
    fn adjoint_step(&mut self, adj: &mut Adjoints, id: ExprId, (a, neg): (Ref, bool)) {
        let arena = self.arena;
        match arena.node(id) {
            Node::Const(_) | Node::Var(_) => {}
            Node::Add(ts) => {
                for &t in ts.iter() {
                    self.accumulate(adj, t, a, neg, id);
                }
            }
            Node::Mul(fs) => {
                // The factors in the order of the forward chain (constant first, then the
                // others from the most to the least complex), then the reciprocals; a
                // factor `-1` only flips the sign.
                let mut neg = neg;
                let mut num: Vec<ExprId> = Vec::with_capacity(fs.len());
                let mut den: Vec<ExprId> = Vec::new();
                for &f in fs.iter() {
                    if arena.is_const(f, -1) {
                        neg = !neg;
                        continue;
                    }
                    match arena.node(f) {
                        Node::Pow(_, e) if *e == -1 => den.push(f),
                        _ => num.push(f),
                    }
                }
                if num.len() > 2 {
                    let start = usize::from(matches!(arena.node(num[0]), Node::Const(_)));
                    num[start..].reverse();
                }
                num.extend(den);
                let q: Vec<Ref> = num.iter().map(|&f| self.get(f)).collect();
                let k = q.len();
                if k == 1 {
                    self.accumulate(adj, num[0], a, neg, id);
                    return;
                }
                let needs = |i: usize| !matches!(arena.node(num[i]), Node::Const(_));
                let Some(lo) = (0..k).find(|&i| needs(i)) else {
                    return;
                };
                // prefix[i] = q[0] * ... * q[i] (the forward chain), for i < k - 1.
                let mut prefix = Vec::with_capacity(k - 1);
                prefix.push(q[0]);
                for i in 1..k - 1 {
                    let p = self.emit(Op::Mul, prefix[i - 1], q[i], id);
                    prefix.push(p);
                }
                // t = a * q[k-1] * ... * q[i+1]; the partial of factor i is prefix[i-1] * t.
                let mut t = a;
                for i in (lo..k).rev() {
                    if i < k - 1 {
                        t = self.mul_adj(adj, t, q[i + 1], id);
                    }
                    if needs(i) {
                        let g = if i == 0 {
                            t
                        } else {
                            self.mul_adj(adj, prefix[i - 1], t, id)
                        };
                        self.accumulate(adj, num[i], g, neg, id);
                    }
                }
            }
            Node::Pow(bse, e) => {
                // d b^e = e b^(e-1) db, with b^(e-1) = root_q(b)^(p - q) for e = p/q.
                let x = self.get(*bse);
                let q = e.denom();
                let base = if *q == 1 {
                    x
                } else {
                    let qq = q
                        .to_u32()
                        .expect("root index of a rational exponent exceeds u32");
                    self.unary(Op::Root(qq), x, id)
                };
                let p = Integer::from(e.numer() - q);
                let pw = if p == 0 {
                    adj.one
                } else {
                    self.pow_int(base, &p, id)
                };
                let (coef, neg) = if *e == -1 {
                    (adj.one, !neg)
                } else {
                    (self.constant(e, id), neg)
                };
                let c = self.mul_adj(adj, coef, pw, id);
                let g = self.mul_adj(adj, a, c, id);
                self.accumulate(adj, *bse, g, neg, id);
            }
            Node::Func(f, u) => {
                let g = match f {
                    Func::Exp => {
                        let v = self.get(id);
                        self.mul_adj(adj, a, v, id)
                    }
                    Func::Log => {
                        let x = self.get(*u);
                        if a == adj.one {
                            self.unary(Op::Recip, x, id)
                        } else {
                            self.emit(Op::Div, a, x, id)
                        }
                    }
                    Func::Abs => {
                        let x = self.get(*u);
                        let s = self.unary(Op::Sign, x, id);
                        self.mul_adj(adj, a, s, id)
                    }
                    Func::Sign => return,
                };
                self.accumulate(adj, *u, g, neg, id);
            }
            Node::Max(l, r) | Node::Min(l, r) => {
                // d max(l, r) = (1/2 + s/2) dl + (1/2 - s/2) dr with s = sign(l - r); the
                // weights are exact (0, 1/2 or 1). For min the weights swap.
                let (x, y) = (self.get(*l), self.get(*r));
                let d = self.emit(Op::Sub, x, y, id);
                let s = self.unary(Op::Sign, d, id);
                let half = self.constant(&Rational::from((1, 2)), id);
                let h = self.emit(Op::Mul, half, s, id);
                let plus = self.emit(Op::Add, half, h, id);
                let minus = self.emit(Op::Sub, half, h, id);
                let (wl, wr) = if matches!(arena.node(id), Node::Max(..)) {
                    (plus, minus)
                } else {
                    (minus, plus)
                };
                let gl = self.mul_adj(adj, a, wl, id);
                self.accumulate(adj, *l, gl, neg, id);
                let gr = self.mul_adj(adj, a, wr, id);
                self.accumulate(adj, *r, gr, neg, id);
            }
        }
    }
}

impl Builder<'_> {
    fn emit(&mut self, op: Op, a: Ref, b: Ref, node: ExprId) -> Ref {
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

    fn unary(&mut self, op: Op, a: Ref, node: ExprId) -> Ref {
        self.emit(op, a, a, node)
    }

    fn constant(&mut self, q: &Rational, node: ExprId) -> Ref {
        if let Some(&k) = self.const_map.get(q) {
            return Ref::Const(k);
        }
        let k = self.consts.len() as u32;
        self.consts.push(q.clone());
        self.const_nodes.push(node);
        self.const_map.insert(q.clone(), k);
        Ref::Const(k)
    }

    fn get(&self, id: ExprId) -> Ref {
        self.val[&id]
    }

    /// `x^p` for an integer `p != 0`, split into factors when `p` does not fit an `i32`.
    fn pow_int(&mut self, x: Ref, p: &Integer, node: ExprId) -> Ref {
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

    fn lower(&mut self, id: ExprId) -> Ref {
        let arena = self.arena;
        match arena.node(id) {
            Node::Const(q) => self.constant(q, id),
            Node::Var(i) => Ref::Var(*i),
            Node::Add(ts) => {
                let mut pos = Vec::with_capacity(ts.len());
                let mut neg = Vec::new();
                for &t in ts.iter() {
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
            Node::Mul(fs) => {
                let mut negate = false;
                let mut num = Vec::with_capacity(fs.len());
                let mut den = Vec::new();
                for &f in fs.iter() {
                    if arena.is_const(f, -1) {
                        negate = !negate;
                        continue;
                    }
                    match arena.node(f) {
                        Node::Pow(b, e) if *e == -1 => den.push((self.get(*b), f)),
                        _ => num.push(self.get(f)),
                    }
                }
                // Constant first, then the other factors from the most to the least complex
                // (descending id): products like `2 * g * x` and `2 * g * y` then share
                // their prefix `2 * g`.
                if num.len() > 2 {
                    let has_const = matches!(num[0], Ref::Const(_));
                    let start = usize::from(has_const);
                    num[start..].reverse();
                }
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
                if negate {
                    acc = self.unary(Op::Neg, acc, id);
                }
                acc
            }
            Node::Pow(b, e) => {
                let x = self.get(*b);
                let q = e.denom();
                let base = if *q == 1 {
                    x
                } else {
                    let q = q
                        .to_u32()
                        .expect("root index of a rational exponent exceeds u32");
                    self.unary(Op::Root(q), x, id)
                };
                let p = e.numer().clone();
                self.pow_int(base, &p, id)
            }
            Node::Func(f, a) => {
                let x = self.get(*a);
                let op = match f {
                    Func::Exp => Op::Exp,
                    Func::Log => Op::Log,
                    Func::Abs => Op::Abs,
                    Func::Sign => Op::Sign,
                };
                self.unary(op, x, id)
            }
            Node::Max(a, b) => {
                let (x, y) = (self.get(*a), self.get(*b));
                self.emit(Op::Max, x, y, id)
            }
            Node::Min(a, b) => {
                let (x, y) = (self.get(*a), self.get(*b));
                self.emit(Op::Min, x, y, id)
            }
        }
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
        for id in arena.postorder(outputs) {
            let r = b.lower(id);
            b.val.insert(id, r);
        }
        let out_refs: Vec<Ref> = outputs.iter().map(|id| b.val[id]).collect();
        Tape::finish(b, &out_refs)
    }

    /// Compiles the gradient of `f` by reverse-mode differentiation: the instructions of
    /// `f` followed by the adjoint sweep, with outputs `d f/d x_0, ..., d f/d x_(n-1)`
    /// (`n == arena.n_vars()`, a variable `f` does not depend on has output `0`).
    ///
    /// The same derivative rules as [`Arena::gradient`] (the almost-everywhere
    /// derivatives `d|u| = sign(u) du`, `d sign(u) = 0`, `d max(a, b) = (da + db)/2 +
    /// sign(a - b) (da - db)/2`), so the outputs are mathematically the same functions,
    /// but evaluated in another order (different roundings). Cheaper for products: the
    /// partials of an `n`-ary product come from its prefix products (shared with `f`'s own
    /// chain) and suffix products times the adjoint, about `3n` multiplications in all
    /// instead of `n (n - 1)`; no factor is ever divided out, so a factor equal to `0` is
    /// handled exactly.
    ///
    /// Panics only on exponents whose denominator exceeds `u32::MAX`.
    pub fn compile_gradient(arena: &Arena, f: ExprId) -> Tape {
        let n_vars = arena.n_vars();
        let mut b = Builder::new(arena);
        let order = arena.postorder(&[f]);
        for &id in &order {
            let r = b.lower(id);
            b.val.insert(id, r);
        }
        let one = b.constant(&Rational::from(1), f);
        let mut adj = Adjoints {
            one,
            map: HashMap::new(),
        };
        adj.map.insert(f, (one, false));
        for &id in order.iter().rev() {
            if let Some(&a) = adj.map.get(&id) {
                b.adjoint_step(&mut adj, id, a);
            }
        }
        let mut var_adj: Vec<Option<(Ref, bool)>> = vec![None; n_vars];
        for &id in &order {
            if let Node::Var(i) = arena.node(id) {
                var_adj[*i as usize] = adj.map.get(&id).copied();
            }
        }
        let out_refs: Vec<Ref> = var_adj
            .into_iter()
            .map(|a| match a {
                None => b.constant(&Rational::new(), f),
                Some((r, false)) => r,
                Some((r, true)) if r == one => b.constant(&Rational::from(-1), f),
                Some((r, true)) => b.unary(Op::Neg, r, f),
            })
            .collect();
        Tape::finish(b, &out_refs)
    }

    /// Dead-code elimination and the final slot layout of a built program.
    fn finish(b: Builder<'_>, out_refs: &[Ref]) -> Tape {
        let n_vars = b.arena.n_vars();
        // Dead-code elimination: instructions are in dependency order.
        let mut live_ins = vec![false; b.instrs.len()];
        let mut live_const = vec![false; b.consts.len()];
        let mark = |r: Ref, li: &mut Vec<bool>, lc: &mut Vec<bool>| match r {
            Ref::Ins(i) => li[i as usize] = true,
            Ref::Const(k) => lc[k as usize] = true,
            Ref::Var(_) => {}
        };
        for &r in out_refs {
            mark(r, &mut live_ins, &mut live_const);
        }
        for i in (0..b.instrs.len()).rev() {
            if live_ins[i] {
                let (_, x, y) = b.instrs[i];
                mark(x, &mut live_ins, &mut live_const);
                mark(y, &mut live_ins, &mut live_const);
            }
        }

        // Final layout: variables, live constants, live instructions.
        let mut const_slot = vec![u32::MAX; b.consts.len()];
        let mut consts = Vec::new();
        let mut const_nodes = Vec::new();
        for (k, q) in b.consts.iter().enumerate() {
            if live_const[k] {
                const_slot[k] = (n_vars + consts.len()) as u32;
                consts.push(TapeConst::new(q.clone()));
                const_nodes.push(b.const_nodes[k]);
            }
        }
        let base = n_vars + consts.len();
        let mut ins_slot = vec![u32::MAX; b.instrs.len()];
        let mut instrs = Vec::new();
        let mut instr_nodes = Vec::new();
        let slot = |r: Ref, ins_slot: &[u32]| match r {
            Ref::Var(i) => i,
            Ref::Const(k) => const_slot[k as usize],
            Ref::Ins(i) => ins_slot[i as usize],
        };
        for (i, &(op, x, y)) in b.instrs.iter().enumerate() {
            if live_ins[i] {
                let a = slot(x, &ins_slot);
                let bb = slot(y, &ins_slot);
                ins_slot[i] = (base + instrs.len()) as u32;
                instrs.push(Instr { op, a, b: bb });
                instr_nodes.push(b.instr_nodes[i]);
            }
        }
        let outputs: Vec<u32> = out_refs.iter().map(|&r| slot(r, &ins_slot)).collect();
        let nearest: Vec<f64> = consts.iter().map(|c| c.f64_nearest()).collect();
        let lanes = LanePlan::new(n_vars, &nearest, &instrs, &outputs);
        let prev = instrs
            .iter()
            .enumerate()
            .map(|(i, ins)| {
                let p = (base + i) as u32;
                let unary = ins.op.is_unary();
                u8::from(i > 0 && ins.a == p - 1)
                    | (u8::from(i > 0 && !unary && ins.b == p - 1) << 1)
            })
            .collect();
        Tape {
            n_vars,
            consts,
            const_nodes,
            instrs,
            instr_nodes,
            outputs,
            lanes,
            prev,
        }
    }

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

    fn base(&self) -> usize {
        self.n_vars + self.consts.len()
    }

    fn n_slots(&self) -> usize {
        self.base() + self.instrs.len()
    }

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

    /// Interval evaluation that also says whether the tape is smooth on the box `x`: `Ok(true)`
    /// when every nonsmooth instruction is proved away from its kink (the argument of `abs`,
    /// `sign` and of a root excludes 0; the two arguments of `max`/`min` are ordered). Only
    /// then may a derivative-based enclosure (mean value, Taylor) of the outputs be used on the
    /// box: symbolic derivatives take `sign' = 0`, which is false across a jump. `Err` as in
    /// [`Tape::eval_into`]; the outputs are written to `out` either way when `Ok`.
    ///
    /// Panics if `x.len() != n_vars()` or `out.len() != n_outputs()`.
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

    /// Fast f64 evaluation at one point: no `Result` per instruction, IEEE semantics (a pole
    /// gives an infinity or NaN, `log` of a negative number NaN, an even root of a negative
    /// number NaN; `max`/`min`/`sign` propagate NaN). The caller checks the outputs for
    /// finiteness. Numerical evidence only. Wherever the generic `f64` path succeeds, the
    /// values agree with it bit for bit.
    ///
    /// Panics if `x.len() != n_vars()` or `out.len() != n_outputs()`.
    pub fn eval_f64(&self, x: &[f64], scratch: &mut Vec<f64>, out: &mut [f64]) {
        assert_eq!(
            x.len(),
            self.n_vars,
            "Tape::eval_f64: wrong number of inputs"
        );
        assert_eq!(
            out.len(),
            self.outputs.len(),
            "Tape::eval_f64: wrong number of outputs"
        );
        let base = self.base();
        scratch.resize(self.n_slots(), 0.0);
        let s = &mut scratch[..];
        s[..self.n_vars].copy_from_slice(x);
        for (d, c) in s[self.n_vars..base].iter_mut().zip(&self.consts) {
            *d = c.f64_nearest();
        }
        self.run_f64(s);
        for (o, &slot) in out.iter_mut().zip(&self.outputs) {
            *o = s[slot as usize];
        }
    }

    /// The instructions of the fast f64 paths on slots whose inputs and constants are set.
    #[inline(always)]
    fn run_f64(&self, s: &mut [f64]) {
        let base = self.base();
        let s = &mut s[..base + self.instrs.len()];
        for (i, ins) in self.instrs.iter().enumerate() {
            s[base + i] = apply(ins.op, s[ins.a as usize], s[ins.b as usize]);
        }
    }

    /// Slots for [`Tape::eval_point`], with the constants written (once).
    pub fn point_slots(&self) -> PointSlots {
        let mut slots = vec![0.0; self.n_slots()];
        for (d, c) in slots[self.n_vars..].iter_mut().zip(&self.consts) {
            *d = c.f64_nearest();
        }
        PointSlots {
            slots,
            n_in: self.n_vars,
            outputs: self.outputs.clone(),
        }
    }

    /// [`Tape::eval_f64`] without per-call setup: evaluates at the point in
    /// `p.input()`, leaving output `o` in `p.output(o)`. The same values bit for bit.
    ///
    /// Panics if `p` was not made by [`Tape::point_slots`] of a tape of this size.
    #[inline]
    pub fn eval_point(&self, p: &mut PointSlots) {
        assert_eq!(
            p.slots.len(),
            self.n_slots(),
            "Tape::eval_point: slots of another tape"
        );
        self.run_f64(&mut p.slots);
    }

    /// Outputs `0..N` at the point in `p.input()`, returned by value: the same values, bit
    /// for bit, as [`Tape::eval_point`] (which it also performs: `p.output` is set). For
    /// loops where each point depends on the last: an operand that is the previous
    /// instruction's value is taken from a register rather than reloaded from its slot, and
    /// the last instruction's value is returned from a register, which shortens the
    /// latency of one evaluation.
    ///
    /// Panics if `N > n_outputs()` or `p` was made by another tape.
    #[inline]
    pub fn eval_point_outputs<const N: usize>(&self, p: &mut PointSlots) -> [f64; N] {
        assert!(
            N <= self.outputs.len(),
            "Tape::eval_point_outputs: too many outputs"
        );
        assert_eq!(
            p.slots.len(),
            self.n_slots(),
            "Tape::eval_point_outputs: slots of another tape"
        );
        let base = self.base();
        let s = &mut p.slots[..base + self.instrs.len()];
        let mut last = 0.0;
        for (i, (ins, &prev)) in self.instrs.iter().zip(&self.prev).enumerate() {
            let (a, b) = (ins.a as usize, ins.b as usize);
            last = match prev {
                0 => apply(ins.op, s[a], s[b]),
                1 => apply(ins.op, last, s[b]),
                2 => apply(ins.op, s[a], last),
                _ => apply(ins.op, last, last),
            };
            s[base + i] = last;
        }
        let n_slots = s.len();
        std::array::from_fn(|o| {
            let slot = self.outputs[o] as usize;
            if slot + 1 == n_slots && !self.instrs.is_empty() {
                last
            } else {
                s[slot]
            }
        })
    }

    /// A buffer for [`Tape::eval_lanes`] at `width` points.
    pub fn lane_block(&self, width: usize) -> LaneBlock {
        self.lanes.block(width)
    }

    /// Evaluates every lane of `b` (made by [`Tape::lane_block`] of this tape): output `o`
    /// of lane `l` becomes `b.output(o)[l]`, computed from `b.input(v)[l]`. Same semantics
    /// and values, bit for bit, as [`Tape::eval_f64`] at each lane's point: every lane
    /// performs exactly the scalar sequence of IEEE operations, whatever the width.
    ///
    /// Each instruction runs as one tight loop over the lanes (vectorized by the compiler);
    /// rows are reused once dead and constants are folded into the instructions, so a
    /// block of a few dozen lanes of a small tape stays in L1. No allocation.
    ///
    /// Panics if `b` was made by a tape of another shape.
    pub fn eval_lanes(&self, b: &mut LaneBlock) {
        let w = b.width();
        self.lanes.eval(b.rows_for(self.lanes.n_rows()), w, w);
    }

    /// The number of rows (of `width` values each) of a [`LaneBlock`] of this tape: its
    /// inputs, intermediate values and outputs; a block takes `8 * width * lane_rows()`
    /// bytes.
    pub fn lane_rows(&self) -> usize {
        self.lanes.n_rows()
    }

    /// Batched fast f64 evaluation at `lanes` points, structure of arrays: `x[v * lanes + l]`
    /// is variable `v` at point `l`, and `out[o * lanes + l]` receives output `o` at point
    /// `l`. Same semantics as [`Tape::eval_f64`], and the same values bit for bit: each lane
    /// performs exactly the scalar sequence of IEEE operations.
    ///
    /// Lanes are processed in chunks of 128 as by [`Tape::eval_lanes`], with the inputs
    /// copied in and the outputs copied out; `scratch` holds one chunk's rows and is reused
    /// between calls.
    ///
    /// Panics if `x.len() != n_vars() * lanes` or `out.len() != n_outputs() * lanes`.
    pub fn eval_f64_batch(&self, lanes: usize, x: &[f64], scratch: &mut Vec<f64>, out: &mut [f64]) {
        assert_eq!(
            x.len(),
            self.n_vars * lanes,
            "Tape::eval_f64_batch: wrong input length"
        );
        assert_eq!(
            out.len(),
            self.outputs.len() * lanes,
            "Tape::eval_f64_batch: wrong output length"
        );
        let w = CH.min(lanes).max(1);
        let plan = &self.lanes;
        scratch.clear();
        scratch.resize(plan.n_rows() * w, 0.0);
        plan.init(scratch, w);
        let mut l0 = 0;
        while l0 < lanes {
            let m = w.min(lanes - l0);
            for v in 0..self.n_vars {
                scratch[v * w..][..m].copy_from_slice(&x[v * lanes + l0..][..m]);
            }
            plan.eval(scratch, w, m);
            for o in 0..self.outputs.len() {
                let r = plan.output_row(o);
                out[o * lanes + l0..][..m].copy_from_slice(&scratch[r * w..][..m]);
            }
            l0 += m;
        }
    }
}

/// A human-readable listing, one instruction per line (`s5 = mul s2 s3   ; node 7`),
/// for debugging and documentation; not a stable format.
impl std::fmt::Display for Tape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (k, c) in self.consts.iter().enumerate() {
            writeln!(f, "s{} = const {}", self.n_vars + k, c.rational())?;
        }
        let base = self.base();
        for (i, (ins, node)) in self.instrs.iter().zip(&self.instr_nodes).enumerate() {
            let op = format!("{:?}", ins.op).to_lowercase();
            let binary = matches!(
                ins.op,
                Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Max | Op::Min
            );
            if binary {
                writeln!(
                    f,
                    "s{} = {op} s{} s{}   ; node {}",
                    base + i,
                    ins.a,
                    ins.b,
                    node.0
                )?;
            } else {
                writeln!(f, "s{} = {op} s{}   ; node {}", base + i, ins.a, node.0)?;
            }
        }
        let outs: Vec<String> = self.outputs.iter().map(|s| format!("s{s}")).collect();
        write!(f, "outputs: {}", outs.join(" "))
    }
}
