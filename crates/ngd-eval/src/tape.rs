//! Compilation of arena expressions into a straight-line program, and its evaluation.

use crate::error::{EvalError, EvalErrorKind};
use crate::scalar::{interval_of, kernels, Scalar};
use inari::Interval;
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use rug::Integer;
use std::collections::HashMap;

/// Lanes per chunk of [`Tape::eval_f64_batch`]: each instruction runs over a whole chunk
/// (one dispatch per chunk, a long vectorizable loop), and a chunk's working set of
/// `CH * 8` bytes per scratch row stays in L1 for small tapes.
const CH: usize = 128;

/// One operation of the tape. Unary operations ignore their second operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Op {
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
    fn commutative(self) -> bool {
        matches!(self, Op::Add | Op::Mul | Op::Max | Op::Min)
    }
}

/// One instruction: `slot[base + i] = op(slot[a], slot[b])`.
#[derive(Clone, Copy, Debug)]
struct Instr {
    op: Op,
    a: u32,
    b: u32,
}

/// Where the batched path keeps a slot: a row of the input `x`, of the scratch buffer, or
/// of the output `out` (an instruction whose value is an output writes it in place).
#[derive(Clone, Copy, Debug)]
enum Row {
    X(u32),
    S(u32),
    O(u32),
}

/// The row layout of [`Tape::eval_f64_batch`], fixed at compile time.
#[derive(Clone, Debug)]
struct BatchPlan {
    /// Scratch rows: the constants first, then instructions whose value is not an output.
    n_srows: usize,
    /// Destination row of each instruction (`S` or `O`).
    dest: Vec<Row>,
    /// Operand rows of each instruction.
    src: Vec<(Row, Row)>,
    /// Outputs not written in place, with the row to copy them from.
    copies: Vec<(u32, Row)>,
}

impl BatchPlan {
    fn new(n_vars: usize, n_consts: usize, instrs: &[Instr], outputs: &[u32]) -> Self {
        let base = n_vars + n_consts;
        let mut direct: Vec<Option<u32>> = vec![None; instrs.len()];
        for (o, &slot) in outputs.iter().enumerate() {
            let slot = slot as usize;
            if slot >= base && direct[slot - base].is_none() {
                direct[slot - base] = Some(o as u32);
            }
        }
        let mut row_of: Vec<Row> = Vec::with_capacity(base + instrs.len());
        row_of.extend((0..n_vars).map(|v| Row::X(v as u32)));
        row_of.extend((0..n_consts).map(|k| Row::S(k as u32)));
        let mut n_srows = n_consts;
        let mut dest = Vec::with_capacity(instrs.len());
        let mut src = Vec::with_capacity(instrs.len());
        for (i, ins) in instrs.iter().enumerate() {
            src.push((row_of[ins.a as usize], row_of[ins.b as usize]));
            let d = match direct[i] {
                Some(o) => Row::O(o),
                None => {
                    n_srows += 1;
                    Row::S((n_srows - 1) as u32)
                }
            };
            dest.push(d);
            row_of.push(d);
        }
        let copies = outputs
            .iter()
            .enumerate()
            .filter(|&(o, &slot)| {
                let slot = slot as usize;
                !(slot >= base && direct[slot - base] == Some(o as u32))
            })
            .map(|(o, &slot)| (o as u32, row_of[slot as usize]))
            .collect();
        BatchPlan {
            n_srows,
            dest,
            src,
            copies,
        }
    }
}

/// The operand rows visible to one instruction of one chunk of the batched path.
struct View<'a> {
    x: &'a [f64],
    lanes: usize,
    l0: usize,
    m: usize,
    /// Scratch rows below the destination (all of them when the destination is in `out`).
    s: &'a [f64],
    /// `out` before the destination row's chunk, and after it (starting at `after_start`).
    before: &'a [f64],
    after: &'a [f64],
    after_start: usize,
}

impl<'a> View<'a> {
    #[inline]
    fn row(&self, r: Row) -> &'a [f64] {
        match r {
            Row::X(v) => &self.x[v as usize * self.lanes + self.l0..][..self.m],
            Row::S(k) => &self.s[k as usize * CH..][..self.m],
            Row::O(o) => {
                let st = o as usize * self.lanes + self.l0;
                if st < self.before.len() {
                    &self.before[st..st + self.m]
                } else {
                    &self.after[st - self.after_start..][..self.m]
                }
            }
        }
    }
}

/// A constant of a tape: the exact rational with its f64 and interval conversions, computed
/// once at compile time.
#[derive(Clone, Debug)]
pub struct TapeConst {
    q: Rational,
    nearest: f64,
    enclosure: Interval,
}

impl TapeConst {
    fn new(q: Rational) -> Self {
        TapeConst {
            nearest: kernels::nearest(&q),
            enclosure: interval_of(&q, &q),
            q,
        }
    }

    /// The exact value.
    pub fn rational(&self) -> &Rational {
        &self.q
    }

    /// The f64 nearest to the exact value.
    pub fn f64_nearest(&self) -> f64 {
        self.nearest
    }

    /// The tightest f64 interval containing the exact value (outward rounded).
    pub fn interval(&self) -> Interval {
        self.enclosure
    }
}

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
    batch: BatchPlan,
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
        let n_vars = arena.n_vars();
        let mut b = Builder {
            arena,
            consts: Vec::new(),
            const_nodes: Vec::new(),
            const_map: HashMap::new(),
            instrs: Vec::new(),
            instr_nodes: Vec::new(),
            cse: HashMap::new(),
            val: HashMap::new(),
        };
        for id in arena.postorder(outputs) {
            let r = b.lower(id);
            b.val.insert(id, r);
        }
        let out_refs: Vec<Ref> = outputs.iter().map(|id| b.val[id]).collect();

        // Dead-code elimination: instructions are in dependency order.
        let mut live_ins = vec![false; b.instrs.len()];
        let mut live_const = vec![false; b.consts.len()];
        let mark = |r: Ref, li: &mut Vec<bool>, lc: &mut Vec<bool>| match r {
            Ref::Ins(i) => li[i as usize] = true,
            Ref::Const(k) => lc[k as usize] = true,
            Ref::Var(_) => {}
        };
        for &r in &out_refs {
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
        let batch = BatchPlan::new(n_vars, consts.len(), &instrs, &outputs);
        Tape {
            n_vars,
            consts,
            const_nodes,
            instrs,
            instr_nodes,
            outputs,
            batch,
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
            *d = c.nearest;
        }
        for (i, ins) in self.instrs.iter().enumerate() {
            let a = s[ins.a as usize];
            let b = s[ins.b as usize];
            s[base + i] = match ins.op {
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
            };
        }
        for (o, &slot) in out.iter_mut().zip(&self.outputs) {
            *o = s[slot as usize];
        }
    }

    /// Batched fast f64 evaluation at `lanes` points, structure of arrays: `x[v * lanes + l]`
    /// is variable `v` at point `l`, and `out[o * lanes + l]` receives output `o` at point
    /// `l`. Same semantics as [`Tape::eval_f64`], and the same values bit for bit: each lane
    /// performs exactly the scalar sequence of IEEE operations.
    ///
    /// Lanes are processed in chunks of 256; each instruction runs as one tight loop over a
    /// chunk (no bounds checks inside, vectorized by the compiler), reading the inputs in
    /// place and writing outputs straight into `out`. `scratch` holds the constants and
    /// intermediate rows of one chunk and is reused between calls.
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
        let plan = &self.batch;
        scratch.resize(plan.n_srows * CH, 0.0);
        let s = &mut scratch[..];
        for (k, c) in self.consts.iter().enumerate() {
            s[k * CH..(k + 1) * CH].fill(c.nearest);
        }
        let mut l0 = 0;
        while l0 < lanes {
            let m = CH.min(lanes - l0);
            for (i, ins) in self.instrs.iter().enumerate() {
                let (ra, rb) = plan.src[i];
                match plan.dest[i] {
                    Row::S(r) => {
                        let (lo, hi) = s.split_at_mut(r as usize * CH);
                        let view = View {
                            x,
                            lanes,
                            l0,
                            m,
                            s: lo,
                            before: out,
                            after: &[],
                            after_start: out.len(),
                        };
                        exec(ins.op, &mut hi[..m], view.row(ra), view.row(rb));
                    }
                    Row::O(o) => {
                        let start = o as usize * lanes + l0;
                        let (before, rest) = out.split_at_mut(start);
                        let (d, after) = rest.split_at_mut(m);
                        let view = View {
                            x,
                            lanes,
                            l0,
                            m,
                            s,
                            before,
                            after,
                            after_start: start + m,
                        };
                        exec(ins.op, d, view.row(ra), view.row(rb));
                    }
                    Row::X(_) => unreachable!("instructions never write an input row"),
                }
            }
            for &(o, r) in &plan.copies {
                let dst = o as usize * lanes + l0;
                match r {
                    Row::X(v) => {
                        out[dst..dst + m].copy_from_slice(&x[v as usize * lanes + l0..][..m])
                    }
                    Row::S(k) => out[dst..dst + m].copy_from_slice(&s[k as usize * CH..][..m]),
                    Row::O(o2) => {
                        let src = o2 as usize * lanes + l0;
                        out.copy_within(src..src + m, dst);
                    }
                }
            }
            l0 += m;
        }
    }
}

/// Runs one instruction over the lanes of a chunk: `d[l] = op(a[l], b[l])`.
#[inline]
fn exec(op: Op, d: &mut [f64], a: &[f64], b: &[f64]) {
    match op {
        Op::Add => map2(d, a, b, |x, y| x + y),
        Op::Sub => map2(d, a, b, |x, y| x - y),
        Op::Mul => map2(d, a, b, |x, y| x * y),
        Op::Div => map2(d, a, b, |x, y| x / y),
        Op::Neg => map1(d, a, |x| -x),
        Op::Sqr => map1(d, a, |x| x * x),
        Op::Recip => map1(d, a, |x| 1.0 / x),
        Op::Powi(k) => powi_lanes(d, a, k),
        Op::Root(q) => map1(d, a, |x| kernels::root(x, q)),
        Op::Exp => map1(d, a, f64::exp),
        Op::Log => map1(d, a, f64::ln),
        Op::Abs => map1(d, a, f64::abs),
        Op::Sign => map1(d, a, kernels::sign),
        Op::Max => map2(d, a, b, kernels::max),
        Op::Min => map2(d, a, b, kernels::min),
    }
}

/// A human-readable listing, one instruction per line (`s5 = mul s2 s3   ; node 7`),
/// for debugging and documentation; not a stable format.
impl std::fmt::Display for Tape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (k, c) in self.consts.iter().enumerate() {
            writeln!(f, "s{} = const {}", self.n_vars + k, c.q)?;
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

// The lane kernels are kept out of line so each is one clean vectorized loop (inlined into
// the arms of one `match`, LLVM may merge the arms' stores before vectorizing).

#[inline(never)]
fn map1(d: &mut [f64], a: &[f64], f: impl Fn(f64) -> f64) {
    for (d, &a) in d.iter_mut().zip(a) {
        *d = f(a);
    }
}

#[inline(never)]
fn map2(d: &mut [f64], a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) {
    for ((d, &a), &b) in d.iter_mut().zip(a).zip(b) {
        *d = f(a, b);
    }
}

/// [`kernels::powi`] on every lane, with the same sequence of roundings per lane.
#[inline(never)]
fn powi_lanes(d: &mut [f64], a: &[f64], n: i32) {
    let mut buf = [0.0; CH];
    let b = &mut buf[..a.len()];
    b.copy_from_slice(a);
    d.fill(1.0);
    let mut e = n.unsigned_abs();
    while e > 0 {
        if e & 1 == 1 {
            for (r, &x) in d.iter_mut().zip(b.iter()) {
                *r *= x;
            }
        }
        e >>= 1;
        if e > 0 {
            for x in b.iter_mut() {
                *x *= *x;
            }
        }
    }
    if n < 0 {
        for r in d.iter_mut() {
            *r = 1.0 / *r;
        }
    }
}
