//! Symbolic differentiation on the DAG.
//!
//! The rules are the classical ones; the nonsmooth functions get their almost-everywhere
//! derivatives: `d|u| = sign(u) du`, `d sign(u) = 0`, and
//! `d max(a, b) = (da + db)/2 + sign(a - b) (da - db)/2` (likewise `min`), which are the
//! derivatives wherever the function is differentiable.

use crate::dag::{Arena, ExprId, Func, Node};
use rug::Rational;
use std::collections::HashMap;

impl Arena {
    /// `d e / d x_var`, with derivatives of shared subexpressions computed once.
    pub fn derivative(&mut self, e: ExprId, var: usize) -> ExprId {
        let order = self.postorder(&[e]);
        let mut d: HashMap<ExprId, ExprId> = HashMap::with_capacity(order.len());
        for id in order {
            let de = self.derivative_step(id, var, &d);
            d.insert(id, de);
        }
        d[&e]
    }

    fn derivative_step(&mut self, id: ExprId, var: usize, d: &HashMap<ExprId, ExprId>) -> ExprId {
        match self.node(id).clone() {
            Node::Const(_) => self.int(0),
            Node::Var(i) => self.int(i64::from(i as usize == var)),
            Node::Add(ts) => {
                let parts = ts.iter().map(|t| d[t]).collect();
                self.add(parts)
            }
            Node::Mul(fs) => {
                let mut terms = Vec::new();
                for (i, f) in fs.iter().enumerate() {
                    let df = d[f];
                    if self.is_const(df, 0) {
                        continue;
                    }
                    let mut prod: Vec<ExprId> = fs
                        .iter()
                        .enumerate()
                        .filter(|&(j, _)| j != i)
                        .map(|(_, &g)| g)
                        .collect();
                    prod.push(df);
                    terms.push(self.mul(prod));
                }
                self.add(terms)
            }
            Node::Pow(b, e) => {
                let db = d[&b];
                if self.is_const(db, 0) {
                    return self.int(0);
                }
                let c = self.constant(e.clone());
                let lower = self.pow(b, e - Rational::from(1));
                self.mul(vec![c, lower, db])
            }
            Node::Func(f, u) => {
                let du = d[&u];
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
            Node::Max(a, b) | Node::Min(a, b) => {
                let is_max = matches!(self.node(id), Node::Max(..));
                let (da, db) = (d[&a], d[&b]);
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
    pub fn gradient(&mut self, e: ExprId) -> Vec<ExprId> {
        (0..self.n_vars()).map(|i| self.derivative(e, i)).collect()
    }

    /// The Hessian as a row-major `n x n` matrix (symmetric; each entry computed once).
    pub fn hessian(&mut self, e: ExprId) -> Vec<Vec<ExprId>> {
        let g = self.gradient(e);
        let n = g.len();
        let zero = self.int(0);
        let mut h = vec![vec![zero; n]; n];
        for (i, &gi) in g.iter().enumerate() {
            // Only the upper triangle is differentiated; symmetry fills the rest.
            let row: Vec<ExprId> = (i..n).map(|j| self.derivative(gi, j)).collect();
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
