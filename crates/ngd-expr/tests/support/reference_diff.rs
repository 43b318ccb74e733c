//! The straightforward differentiation algorithms, kept (test-only) as the specification of
//! the fast `Arena::derivative` / `derivatives` / `gradient` / `hessian`:
//! `gradient_same_ids.rs` and the `gradient_timing` example check that the fast ones return
//! the same ids and build the same arena. The rule at each node is verbatim as it was before
//! `Arena::derivatives` existed.
#![allow(dead_code)]

use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use std::collections::HashMap;

/// The reference algorithms, as methods on [`Arena`].
pub trait ReferenceDiff {
    /// Reference for `Arena::derivative`.
    fn derivative_reference(&mut self, e: ExprId, var: usize) -> ExprId;
    /// Reference for `Arena::gradient`.
    fn gradient_reference(&mut self, e: ExprId) -> Vec<ExprId>;
    /// Reference for `Arena::hessian`.
    fn hessian_reference(&mut self, e: ExprId) -> Vec<Vec<ExprId>>;
}

impl ReferenceDiff for Arena {
    /// Reference for `Arena::derivative`: one pass over the whole postorder of `e` with a
    /// `HashMap` memo, applying the rule at every node.
    fn derivative_reference(&mut self, e: ExprId, var: usize) -> ExprId {
        let order = self.postorder(&[e]);
        let mut d: HashMap<ExprId, ExprId> = HashMap::with_capacity(order.len());
        for id in order {
            let de = derivative_step_reference(self, id, var, &d);
            d.insert(id, de);
        }
        d[&e]
    }

    /// Reference for `Arena::gradient`: [`ReferenceDiff::derivative_reference`] per variable.
    fn gradient_reference(&mut self, e: ExprId) -> Vec<ExprId> {
        (0..self.n_vars())
            .map(|i| self.derivative_reference(e, i))
            .collect()
    }

    /// Reference for `Arena::hessian`.
    fn hessian_reference(&mut self, e: ExprId) -> Vec<Vec<ExprId>> {
        let g = self.gradient_reference(e);
        let n = g.len();
        let zero = self.int(0);
        let mut h = vec![vec![zero; n]; n];
        for (i, &gi) in g.iter().enumerate() {
            let row: Vec<ExprId> = (i..n).map(|j| self.derivative_reference(gi, j)).collect();
            for (j, hij) in (i..n).zip(row) {
                h[i][j] = hij;
                h[j][i] = hij;
            }
        }
        h
    }
}

/// The rule at one node, verbatim as it was before `Arena::derivatives` existed.
fn derivative_step_reference(
    arena: &mut Arena,
    id: ExprId,
    var: usize,
    d: &HashMap<ExprId, ExprId>,
) -> ExprId {
    match arena.node(id).clone() {
        Node::Const(_) => arena.int(0),
        Node::Var(i) => arena.int(i64::from(i as usize == var)),
        Node::Add(ts) => {
            let parts = ts.iter().map(|t| d[t]).collect();
            arena.add(parts)
        }
        Node::Mul(fs) => {
            let mut terms = Vec::new();
            for (i, f) in fs.iter().enumerate() {
                let df = d[f];
                if arena.is_const(df, 0) {
                    continue;
                }
                let mut prod: Vec<ExprId> = fs
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, &g)| g)
                    .collect();
                prod.push(df);
                terms.push(arena.mul(prod));
            }
            arena.add(terms)
        }
        Node::Pow(b, e) => {
            let db = d[&b];
            if arena.is_const(db, 0) {
                return arena.int(0);
            }
            let c = arena.constant(e.clone());
            let lower = arena.pow(b, e - Rational::from(1));
            arena.mul(vec![c, lower, db])
        }
        Node::Func(f, u) => {
            let du = d[&u];
            if arena.is_const(du, 0) {
                return arena.int(0);
            }
            match f {
                Func::Exp => arena.mul(vec![id, du]),
                Func::Log => arena.div(du, u),
                Func::Abs => {
                    let s = arena.func(Func::Sign, u);
                    arena.mul(vec![s, du])
                }
                Func::Sign => arena.int(0),
            }
        }
        Node::Max(a, b) | Node::Min(a, b) => {
            let is_max = matches!(arena.node(id), Node::Max(..));
            let (da, db) = (d[&a], d[&b]);
            let half = arena.constant(Rational::from((1, 2)));
            let sum = arena.add2(da, db);
            let mean = arena.mul2(half, sum);
            let diff = arena.sub(da, db);
            let amb = arena.sub(a, b);
            let s = arena.func(Func::Sign, amb);
            let mut jump = arena.mul(vec![half, s, diff]);
            if !is_max {
                jump = arena.neg(jump);
            }
            arena.add2(mean, jump)
        }
    }
}
