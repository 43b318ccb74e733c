//! Symbolic differentiation on the DAG.
//!
//! The rules are the classical ones; the nonsmooth functions get their almost-everywhere
//! derivatives: `d|u| = sign(u) du`, `d sign(u) = 0`, and
//! `d max(a, b) = (da + db)/2 + sign(a - b) (da - db)/2` (likewise `min`), which are the
//! derivatives wherever the function is differentiable.

use crate::dag::{small_int, Arena, ExprId, Func, Node};
use rug::Rational;

/// Marks an unset entry of the per-pass memo.
const UNSET: u32 = u32::MAX;

impl Arena {
    /// `d e / d x_var`, with derivatives of shared subexpressions computed once.
    ///
    /// ```
    /// use ngd_expr::{Arena, Func};
    ///
    /// let mut a = Arena::new(vec!["x".into()]);
    /// let x = a.var(0);
    /// let ax = a.func(Func::Abs, x);
    /// // The almost-everywhere derivative: d|x|/dx = sign(x).
    /// let d = a.derivative(ax, 0);
    /// assert_eq!(d, a.func(Func::Sign, x));
    /// ```
    ///
    /// Same result, and same nodes added to the arena in the same order, as the
    /// straightforward pass over the postorder of `e` (the reference in
    /// `tests/support/reference_diff.rs`).
    pub fn derivative(&mut self, e: ExprId, var: usize) -> ExprId {
        self.derivatives(e, &[var])[0]
    }

    /// `d e / d x_v` for each `v` in `vars`, in that order.
    ///
    /// Guarantee: the returned ids, and every node this adds to the arena (same nodes, same
    /// ids, same order), are exactly those of calling `derivative_reference` (the reference in
    /// `tests/support/reference_diff.rs`) for each
    /// `v` in turn: one pass per variable over the whole postorder of `e`, applying the
    /// differentiation rule at every node. The construction calls at the nodes that depend on
    /// `x_v` are the same calls with the same arguments, in the same order, except that a sum
    /// leaves its zero summands out of the `add` call (`add` would only fold them into its
    /// constant term, so this creates the same nodes and returns the same id).
    ///
    /// What is saved: a node that does not depend on `x_v` has derivative `0`, and the rule
    /// applied to it (with all child derivatives `0`) makes the same constructor calls for
    /// every such `v` (the only ones that can add nodes are `0` itself and, for `max`/`min`,
    /// `sign(a - b)` and its parts). Hash-consing makes a repeated call with the same arguments
    /// add nothing. So the rule is applied at such a node only the first time in this call it
    /// is found independent of the current variable (that keeps the creation order of the
    /// reference); afterwards the node is skipped and its derivative is the `0` node. The pass
    /// for `x_v` therefore visits only the nodes that depend on `x_v` (found once from a
    /// bitset of variables per node) plus the few not yet seen independent of a variable, and
    /// memoizes in a `Vec` indexed by postorder position instead of a `HashMap`.
    pub fn derivatives(&mut self, e: ExprId, vars: &[usize]) -> Vec<ExprId> {
        if vars.is_empty() {
            return Vec::new();
        }
        let order = self.postorder(&[e]);
        // `order` is sorted by id and every node has a larger id than its children, so `e` is
        // last and every child position is smaller than its parent's.
        let mut pos_of = vec![UNSET; e.index() + 1];
        for (p, id) in order.iter().enumerate() {
            pos_of[id.index()] = p as u32;
        }
        let deps = Deps::of(self, &order, &pos_of);
        let dep_lists = deps.lists(vars);
        let mut pass = Pass {
            memo: vec![UNSET; order.len()],
            pending: (0..order.len() as u32).collect(),
            visit: Vec::with_capacity(order.len()),
            zero: None,
        };
        vars.iter()
            .map(|&v| {
                let deps_v: &[u32] = dep_lists.get(v).map_or(&[], |l| l.as_slice());
                self.derivative_pass(&order, &pos_of, &deps, deps_v, v, &mut pass)
            })
            .collect()
    }

    /// One pass of [`Arena::derivatives`]: `d e/d x_v`, applying the rule at the nodes
    /// that depend on `x_v` (`deps_v`) and at those still pending, in postorder.
    fn derivative_pass(
        &mut self,
        order: &[ExprId],
        pos_of: &[u32],
        deps: &Deps,
        deps_v: &[u32],
        v: usize,
        pass: &mut Pass,
    ) -> ExprId {
        merge_sorted(deps_v, &pass.pending, &mut pass.visit);
        for &p in &pass.visit {
            let p = p as usize;
            let (memo, zero) = (&pass.memo, pass.zero);
            let d = self.derivative_step(order[p], v, |c| {
                let x = memo[pos_of[c.index()] as usize];
                if x == UNSET {
                    zero.expect("a skipped node had its zero derivative built before")
                } else {
                    ExprId(x)
                }
            });
            pass.memo[p] = d.0;
            if !deps.depends(p, v) {
                debug_assert!(
                    self.is_const(d, 0),
                    "independent node with nonzero derivative"
                );
                pass.zero = Some(d);
            }
        }
        let root = pass.memo[order.len() - 1];
        let out = if root == UNSET {
            pass.zero
                .expect("a skipped root had its zero derivative built before")
        } else {
            ExprId(root)
        };
        for &p in &pass.visit {
            pass.memo[p as usize] = UNSET;
        }
        pass.pending.retain(|&p| deps.depends(p as usize, v));
        out
    }

    /// The derivative rule at one node, given the derivatives `d` of its children.
    fn derivative_step(&mut self, id: ExprId, var: usize, d: impl Fn(ExprId) -> ExprId) -> ExprId {
        match self.node(id) {
            Node::Const(_) => self.int(0),
            Node::Var(i) => {
                let one = *i as usize == var;
                self.int(i64::from(one))
            }
            Node::Add(ts) => {
                // Zero parts are left out: `add` only adds them to its constant term, so the
                // result and the nodes created are the same, and most parts of a large sum
                // are zero for any one variable.
                let parts = ts
                    .iter()
                    .map(|&t| d(t))
                    .filter(|&dt| !self.is_const(dt, 0))
                    .collect();
                self.add(parts)
            }
            Node::Mul(fs) => {
                let fs = fs.clone();
                let mut terms = Vec::new();
                for (i, f) in fs.iter().enumerate() {
                    let df = d(*f);
                    if self.is_const(df, 0) {
                        continue;
                    }
                    let mut prod: Vec<ExprId> = Vec::with_capacity(fs.len());
                    prod.extend_from_slice(&fs[..i]);
                    prod.extend_from_slice(&fs[i + 1..]);
                    prod.push(df);
                    terms.push(self.mul(prod));
                }
                self.add(terms)
            }
            Node::Pow(b, e) => {
                let b = *b;
                let db = d(b);
                if self.is_const(db, 0) {
                    return self.int(0);
                }
                if let Some(k) = small_int(e).filter(|&k| k != i64::MIN) {
                    // Same calls as below, without building rationals.
                    let c = self.int(k);
                    let lower = self.pow_int(b, k - 1);
                    return self.mul(vec![c, lower, db]);
                }
                let e = e.clone();
                let c = self.constant_ref(&e);
                let lower = self.pow(b, e - Rational::from(1));
                self.mul(vec![c, lower, db])
            }
            &Node::Func(f, u) => {
                let du = d(u);
                if self.is_const(du, 0) {
                    return self.int(0);
                }
                match f {
                    Func::Exp => self.mul(vec![id, du]),
                    Func::Log => self.div(du, u),
                    Func::Abs => {
                        let s = self.func(Func::Sign, u);
                        self.mul(vec![s, du])
                    }
                    Func::Sign => self.int(0),
                }
            }
            &Node::Max(a, b) | &Node::Min(a, b) => {
                let is_max = matches!(self.node(id), Node::Max(..));
                let (da, db) = (d(a), d(b));
                let half = self.constant(Rational::from((1, 2)));
                let sum = self.add2(da, db);
                let mean = self.mul2(half, sum);
                let diff = self.sub(da, db);
                let amb = self.sub(a, b);
                let s = self.func(Func::Sign, amb);
                let mut jump = self.mul(vec![half, s, diff]);
                if !is_max {
                    jump = self.neg(jump);
                }
                self.add2(mean, jump)
            }
        }
    }

    /// The gradient `(d e/d x_0, ..., d e/d x_{n-1})`.
    ///
    /// ```
    /// use ngd_expr::Arena;
    ///
    /// let mut a = Arena::new(vec!["x".into(), "y".into()]);
    /// let (x, y) = (a.var(0), a.var(1));
    /// let x2 = a.powi(x, 2);
    /// let f = a.mul2(x2, y); // x^2 y
    /// let g = a.gradient(f);
    /// assert_eq!(a.display(g[0]), "2*x*y");
    /// assert_eq!(g[1], x2);
    /// ```
    ///
    /// Same ids and same arena contents as `gradient_reference` in
    /// `tests/support/reference_diff.rs` (see
    /// [`Arena::derivatives`]); the pass for `x_i` visits only the nodes depending on `x_i`.
    pub fn gradient(&mut self, e: ExprId) -> Vec<ExprId> {
        let vars: Vec<usize> = (0..self.n_vars()).collect();
        self.derivatives(e, &vars)
    }

    /// The Hessian as a row-major `n x n` matrix (symmetric; each entry computed once).
    ///
    /// Same ids and same arena contents as `hessian_reference` in
    /// `tests/support/reference_diff.rs`.
    pub fn hessian(&mut self, e: ExprId) -> Vec<Vec<ExprId>> {
        let g = self.gradient(e);
        let n = g.len();
        let zero = self.int(0);
        let mut h = vec![vec![zero; n]; n];
        for (i, &gi) in g.iter().enumerate() {
            // Only the upper triangle is differentiated; symmetry fills the rest.
            let vars: Vec<usize> = (i..n).collect();
            let row = self.derivatives(gi, &vars);
            for (j, hij) in (i..n).zip(row) {
                h[i][j] = hij;
                h[j][i] = hij;
            }
        }
        h
    }

    /// `<a, b>` for two vectors of expressions of the same length.
    pub fn dot(&mut self, a: &[ExprId], b: &[ExprId]) -> ExprId {
        assert_eq!(a.len(), b.len(), "dot of vectors of different lengths");
        let terms = a.iter().zip(b).map(|(&x, &y)| self.mul2(x, y)).collect();
        self.add(terms)
    }
}

/// The state carried between the passes of [`Arena::derivatives`].
struct Pass {
    /// Per position: the derivative in the current pass, or UNSET when the node is
    /// skipped (then it is independent of the variable and its derivative is `zero`).
    memo: Vec<u32>,
    /// Positions where the rule has not yet been applied for a variable the node does not
    /// depend on (sorted); initially all of them.
    pending: Vec<u32>,
    /// The positions visited by the current pass (sorted).
    visit: Vec<u32>,
    /// The `0` node, once built.
    zero: Option<ExprId>,
}

/// Which variables each node of a postorder depends on: one bitset per position.
struct Deps {
    n: usize,
    words: usize,
    /// `bits[p * words ..][..words]`: the variables node `order[p]` depends on.
    bits: Vec<u64>,
}

impl Deps {
    /// The dependency bitsets of `order` (children before parents; `pos_of` maps ids to
    /// positions).
    fn of(arena: &Arena, order: &[ExprId], pos_of: &[u32]) -> Deps {
        let n = arena.n_vars();
        let words = n.div_ceil(64).max(1);
        let mut bits = vec![0u64; order.len() * words];
        for (p, &id) in order.iter().enumerate() {
            let (lo, hi) = bits.split_at_mut(p * words);
            let row = &mut hi[..words];
            let mut or_child = |c: ExprId| {
                let cp = pos_of[c.index()] as usize * words;
                for (w, x) in row.iter_mut().zip(&lo[cp..cp + words]) {
                    *w |= *x;
                }
            };
            match arena.node(id) {
                Node::Const(_) => {}
                Node::Var(i) => {
                    let i = *i as usize;
                    row[i / 64] |= 1 << (i % 64);
                }
                Node::Add(cs) | Node::Mul(cs) => cs.iter().for_each(|&c| or_child(c)),
                Node::Pow(b, _) | Node::Func(_, b) => or_child(*b),
                Node::Max(a, b) | Node::Min(a, b) => {
                    or_child(*a);
                    or_child(*b);
                }
            }
        }
        Deps { n, words, bits }
    }

    /// Whether the node at position `p` depends on variable `v`.
    fn depends(&self, p: usize, v: usize) -> bool {
        v < self.n && (self.bits[p * self.words + v / 64] >> (v % 64)) & 1 == 1
    }

    /// For each variable of `vars` (others get an empty list): the positions of the nodes
    /// depending on it, sorted.
    fn lists(&self, vars: &[usize]) -> Vec<Vec<u32>> {
        let mut wanted = vec![false; self.n];
        for &v in vars {
            if v < self.n {
                wanted[v] = true;
            }
        }
        let mut dep_lists: Vec<Vec<u32>> = vec![Vec::new(); self.n];
        for (p, row) in self.bits.chunks_exact(self.words).enumerate() {
            for (w, &bits) in row.iter().enumerate() {
                let mut x = bits;
                while x != 0 {
                    let v = w * 64 + x.trailing_zeros() as usize;
                    x &= x - 1;
                    if wanted[v] {
                        dep_lists[v].push(p as u32);
                    }
                }
            }
        }
        dep_lists
    }
}

/// Writes the sorted union of two sorted, duplicate-free lists into `out`.
fn merge_sorted(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_rule_and_chain_rule() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let x = a.var(0);
        let y = a.var(1);
        let xy = a.mul2(x, y);
        let one = a.int(1);
        let g = a.sub(xy, one);
        let f = a.powi(g, 2);
        let dfx = a.derivative(f, 0);
        // 2 (xy - 1) y
        let two = a.int(2);
        let expect = a.mul(vec![two, g, y]);
        assert_eq!(dfx, expect);
    }

    #[test]
    fn exp_log_abs() {
        let mut a = Arena::new(vec!["x".into()]);
        let x = a.var(0);
        let ex = a.func(Func::Exp, x);
        assert_eq!(a.derivative(ex, 0), ex);
        let lx = a.func(Func::Log, x);
        let inv = a.powi(x, -1);
        assert_eq!(a.derivative(lx, 0), inv);
        let ax = a.func(Func::Abs, x);
        let sx = a.func(Func::Sign, x);
        assert_eq!(a.derivative(ax, 0), sx);
    }

    #[test]
    fn hessian_is_symmetric() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let x = a.var(0);
        let y = a.var(1);
        let x2 = a.powi(x, 2);
        let f = a.mul2(x2, y);
        let h = a.hessian(f);
        assert_eq!(h[0][1], h[1][0]);
        let two = a.int(2);
        assert_eq!(h[0][1], a.mul2(two, x));
    }
}
