//! The reverse (adjoint) sweep: the gradient of one root compiled after its forward
//! instructions ([`Tape::compile_gradient`]). The almost-everywhere derivatives of the
//! nonsmooth functions: docs/math.md (Nonsmooth functions).

use super::build::{Builder, Ref};
use super::lower::{chain_order, split_product};
use super::Tape;
use crate::instr::Op;
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use rug::Integer;
use std::collections::HashMap;

/// The adjoints of the reverse sweep: per node, a value and whether it is negated (a
/// negation is applied lazily: it usually folds into a later `Sub`).
struct Adjoints {
    /// The constant `1` (the seed); multiplications by it are skipped.
    one: Ref,
    map: HashMap<ExprId, (Ref, bool)>,
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
            Node::Mul(fs) => self.adjoint_mul(adj, fs, id, (a, neg)),
            Node::Pow(bse, e) => self.adjoint_pow(adj, *bse, e, id, (a, neg)),
            Node::Func(f, u) => self.adjoint_func(adj, *f, *u, id, (a, neg)),
            Node::Max(l, r) | Node::Min(l, r) => {
                let is_max = matches!(arena.node(id), Node::Max(..));
                self.adjoint_max_min(adj, (*l, *r), is_max, id, (a, neg));
            }
        }
    }

    /// A product: the partial of factor `i` is the product of the factors before it (the
    /// forward chain's prefix) times the adjoint times the factors after it (suffix).
    fn adjoint_mul(
        &mut self,
        adj: &mut Adjoints,
        fs: &[ExprId],
        id: ExprId,
        (a, neg): (Ref, bool),
    ) {
        let arena = self.arena;
        let (neg, num) = chain_factors(arena, fs, neg);
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
        let prefix = self.prefix_products(&q, id);
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

    /// `prefix[i] = q[0] * ... * q[i]` for `i < q.len() - 1`: the forward chain's own
    /// instructions (shared with it by common subexpressions).
    fn prefix_products(&mut self, q: &[Ref], id: ExprId) -> Vec<Ref> {
        let k = q.len();
        let mut prefix = Vec::with_capacity(k - 1);
        prefix.push(q[0]);
        for i in 1..k - 1 {
            let p = self.emit(Op::Mul, prefix[i - 1], q[i], id);
            prefix.push(p);
        }
        prefix
    }

    /// `d b^e = e b^(e-1) db`, with `b^(e-1) = root_q(b)^(p - q)` for `e = p/q`.
    fn adjoint_pow(
        &mut self,
        adj: &mut Adjoints,
        bse: ExprId,
        e: &Rational,
        id: ExprId,
        (a, neg): (Ref, bool),
    ) {
        let q = e.denom();
        let base = self.root_of(self.get(bse), q, id);
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
        self.accumulate(adj, bse, g, neg, id);
    }

    /// `d exp(u) = exp(u) du`, `d log(u) = du / u`, `d|u| = sign(u) du`, `d sign(u) = 0`.
    fn adjoint_func(
        &mut self,
        adj: &mut Adjoints,
        f: Func,
        u: ExprId,
        id: ExprId,
        (a, neg): (Ref, bool),
    ) {
        let g = match f {
            Func::Exp => {
                let v = self.get(id);
                self.mul_adj(adj, a, v, id)
            }
            Func::Log => {
                let x = self.get(u);
                if a == adj.one {
                    self.unary(Op::Recip, x, id)
                } else {
                    self.emit(Op::Div, a, x, id)
                }
            }
            Func::Abs => {
                let x = self.get(u);
                let s = self.unary(Op::Sign, x, id);
                self.mul_adj(adj, a, s, id)
            }
            Func::Sign => return,
        };
        self.accumulate(adj, u, g, neg, id);
    }

    /// `d max(l, r) = (1/2 + s/2) dl + (1/2 - s/2) dr` with `s = sign(l - r)`; the weights
    /// are exact (0, 1/2 or 1). For `min` the weights swap.
    fn adjoint_max_min(
        &mut self,
        adj: &mut Adjoints,
        (l, r): (ExprId, ExprId),
        is_max: bool,
        id: ExprId,
        (a, neg): (Ref, bool),
    ) {
        let (x, y) = (self.get(l), self.get(r));
        let d = self.emit(Op::Sub, x, y, id);
        let s = self.unary(Op::Sign, d, id);
        let half = self.constant(&Rational::from((1, 2)), id);
        let h = self.emit(Op::Mul, half, s, id);
        let plus = self.emit(Op::Add, half, h, id);
        let minus = self.emit(Op::Sub, half, h, id);
        let (wl, wr) = if is_max { (plus, minus) } else { (minus, plus) };
        let gl = self.mul_adj(adj, a, wl, id);
        self.accumulate(adj, l, gl, neg, id);
        let gr = self.mul_adj(adj, a, wr, id);
        self.accumulate(adj, r, gr, neg, id);
    }

    /// Runs the reverse sweep over `order` (the postorder of `f`, lowered already) from
    /// the seed `d f/d f = 1`; returns the adjoints.
    fn sweep(&mut self, f: ExprId, order: &[ExprId]) -> Adjoints {
        let one = self.constant(&Rational::from(1), f);
        let mut adj = Adjoints {
            one,
            map: HashMap::new(),
        };
        adj.map.insert(f, (one, false));
        for &id in order.iter().rev() {
            if let Some(&a) = adj.map.get(&id) {
                self.adjoint_step(&mut adj, id, a);
            }
        }
        adj
    }

    /// The outputs `d f/d x_i` of a finished sweep: `0` for a variable `f` does not
    /// depend on, the pending negation applied otherwise.
    fn gradient_outputs(&mut self, adj: &Adjoints, f: ExprId, order: &[ExprId]) -> Vec<Ref> {
        let arena = self.arena;
        let mut var_adj: Vec<Option<(Ref, bool)>> = vec![None; arena.n_vars()];
        for &id in order {
            if let Node::Var(i) = arena.node(id) {
                var_adj[*i as usize] = adj.map.get(&id).copied();
            }
        }
        var_adj
            .into_iter()
            .map(|a| match a {
                None => self.constant(&Rational::new(), f),
                Some((r, false)) => r,
                Some((r, true)) if r == adj.one => self.constant(&Rational::from(-1), f),
                Some((r, true)) => self.unary(Op::Neg, r, f),
            })
            .collect()
    }
}

/// The factors of a product in the order of the forward chain (see
/// [`chain_order`]), then the reciprocals; each factor `-1` flips `neg` instead.
fn chain_factors(arena: &Arena, fs: &[ExprId], neg: bool) -> (bool, Vec<ExprId>) {
    let factors = split_product(arena, fs);
    let mut num = factors.num;
    let has_const = num
        .first()
        .is_some_and(|&f| matches!(arena.node(f), Node::Const(_)));
    chain_order(&mut num, has_const);
    num.extend(factors.den);
    (neg ^ factors.negate, num)
}

impl Tape {
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
    ///
    /// ```
    /// use ngd_eval::Tape;
    /// use ngd_expr::Arena;
    ///
    /// let mut a = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
    /// let f = {
    ///     let (x, y, z) = (a.var(0), a.var(1), a.var(2));
    ///     a.mul(vec![x, y, z])
    /// };
    /// let t = Tape::compile_gradient(&a, f);
    /// let (mut scratch, mut g) = (Vec::new(), [0.0; 3]);
    /// t.eval_f64(&[2.0, 3.0, 0.0], &mut scratch, &mut g);
    /// assert_eq!(g, [0.0, 0.0, 6.0]); // (yz, xz, xy), with the factor 0 handled exactly
    /// ```
    pub fn compile_gradient(arena: &Arena, f: ExprId) -> Tape {
        let mut b = Builder::new(arena);
        let order = arena.postorder(&[f]);
        b.lower_all(&order);
        let adj = b.sweep(f, &order);
        let out_refs = b.gradient_outputs(&adj, f, &order);
        Tape::finish(b, &out_refs)
    }
}
