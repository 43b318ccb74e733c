//! The expression arena exactly as it was before the constructors were optimized, with
//! the straightforward reference differentiation. `constructors_match_reference.rs` checks
//! that the optimized arena builds the same nodes, with the same ids, in the same order.
#![allow(dead_code)]

//! (Reference copy.) A hash-consed expression DAG.
//!
//! Every node is stored once per [`Arena`]; building the same expression twice returns the
//! same [`ExprId`]. Children always have smaller ids than their parents, so sorting a set of
//! ids gives a valid evaluation order (see [`Arena::postorder`]).
//!
//! Construction applies only simplifications that are identities of real functions on the
//! common domain of definition: flattening, constant folding, collecting like terms and
//! powers of the same base. It never folds `0^-1`: that node is kept so evaluation reports the
//! pole where it occurs.

use rug::ops::Pow as _;
use rug::{Integer, Rational};
// Fx hashing: the maps are only looked up, never iterated for output, so the faster
// non-randomized hash cannot change any result.
use rustc_hash::FxHashMap as HashMap;
use std::collections::HashMap as StdHashMap;

/// Index of a node in an [`Arena`]. Only meaningful for the arena that created it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ExprId(pub u32);

impl ExprId {
    /// The position of the node in the arena's node list.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Elementary functions of one argument. `sqrt` is `Pow(_, 1/2)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Func {
    /// `exp(u)`.
    Exp,
    /// Natural logarithm, defined for `u > 0`.
    Log,
    /// `|u|`.
    Abs,
    /// `sign(u)` in `{-1, 0, 1}`.
    Sign,
}

impl Func {
    /// The name used in expressions.
    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Abs => "abs",
            Func::Sign => "sign",
        }
    }
}

/// One node of the DAG.
///
/// Invariants kept by the [`Arena`] constructors: `Add` and `Mul` have at least two
/// children, sorted by id, no child of the same kind (flattened); a `Mul` has at most one
/// `Const` child and it is not `1`; a `Pow` exponent is neither `0` nor `1`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Node {
    /// An exact rational constant.
    Const(Rational),
    /// The variable with this index in [`Arena::var_names`].
    Var(u32),
    /// Sum of the children.
    Add(Box<[ExprId]>),
    /// Product of the children.
    Mul(Box<[ExprId]>),
    /// `base^exponent` with a rational exponent `p/q` (lowest terms, `q > 0`), meaning the
    /// `p`-th power of the real `q`-th root; for even `q` the base must be `>= 0`.
    Pow(ExprId, Rational),
    /// An elementary function.
    Func(Func, ExprId),
    /// `max(a, b)`.
    Max(ExprId, ExprId),
    /// `min(a, b)`.
    Min(ExprId, ExprId),
}

/// Owns the nodes of a family of expressions over one list of variables.
#[derive(Clone, Debug, Default)]
pub struct Arena {
    nodes: Vec<Node>,
    index: HashMap<Node, ExprId>,
    vars: Vec<String>,
}

impl Arena {
    /// An empty arena over the given variable names (their order fixes the variable indices).
    pub fn new(vars: Vec<String>) -> Self {
        Arena {
            nodes: Vec::new(),
            index: HashMap::default(),
            vars,
        }
    }

    /// The variable names, in index order.
    pub fn var_names(&self) -> &[String] {
        &self.vars
    }

    /// The number of variables.
    pub fn n_vars(&self) -> usize {
        self.vars.len()
    }

    /// The index of a variable by name.
    pub fn var_index(&self, name: &str) -> Option<usize> {
        self.vars.iter().position(|v| v == name)
    }

    /// The number of distinct nodes stored.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when no node has been created yet.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The node behind an id.
    pub fn node(&self, id: ExprId) -> &Node {
        &self.nodes[id.index()]
    }

    /// The constant value of a node, if it is a `Const`.
    pub fn as_const(&self, id: ExprId) -> Option<&Rational> {
        match self.node(id) {
            Node::Const(q) => Some(q),
            _ => None,
        }
    }

    /// True when the node is the constant `c`.
    pub fn is_const(&self, id: ExprId, c: i32) -> bool {
        self.as_const(id).is_some_and(|q| *q == c)
    }

    fn intern(&mut self, node: Node) -> ExprId {
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        let id = ExprId(u32::try_from(self.nodes.len()).expect("more than 2^32 nodes"));
        self.nodes.push(node.clone());
        self.index.insert(node, id);
        id
    }

    /// The variable with index `i`. Panics if `i` is out of range (a programming error).
    pub fn var(&mut self, i: usize) -> ExprId {
        assert!(i < self.vars.len(), "variable index {i} out of range");
        self.intern(Node::Var(i as u32))
    }

    /// An exact rational constant.
    pub fn constant(&mut self, q: Rational) -> ExprId {
        self.intern(Node::Const(q))
    }

    /// An integer constant.
    pub fn int(&mut self, i: i64) -> ExprId {
        self.constant(Rational::from(i))
    }

    /// `a + b`.
    pub fn add2(&mut self, a: ExprId, b: ExprId) -> ExprId {
        self.add(vec![a, b])
    }

    /// `a - b`.
    pub fn sub(&mut self, a: ExprId, b: ExprId) -> ExprId {
        let nb = self.neg(b);
        self.add(vec![a, nb])
    }

    /// `-a`.
    pub fn neg(&mut self, a: ExprId) -> ExprId {
        let m = self.int(-1);
        self.mul(vec![m, a])
    }

    /// `a * b`.
    pub fn mul2(&mut self, a: ExprId, b: ExprId) -> ExprId {
        self.mul(vec![a, b])
    }

    /// `a / b`, as `a * b^-1`.
    pub fn div(&mut self, a: ExprId, b: ExprId) -> ExprId {
        let r = self.pow(b, Rational::from(-1));
        self.mul(vec![a, r])
    }

    /// Splits a term into its rational coefficient and the rest (`None` for a constant).
    fn split_coeff(&self, id: ExprId) -> (Rational, Option<ExprId>) {
        match self.node(id) {
            Node::Const(q) => (q.clone(), None),
            Node::Mul(fs) => {
                if let Node::Const(q) = self.node(fs[0]) {
                    (q.clone(), Some(id))
                } else {
                    (Rational::from(1), Some(id))
                }
            }
            _ => (Rational::from(1), Some(id)),
        }
    }

    /// The product of the non-constant factors of a `Mul` with a constant first factor.
    fn strip_coeff(&mut self, id: ExprId) -> ExprId {
        if let Node::Mul(fs) = self.node(id).clone() {
            if matches!(self.node(fs[0]), Node::Const(_)) {
                let rest: Vec<ExprId> = fs[1..].to_vec();
                return self.mul(rest);
            }
        }
        id
    }

    /// The sum of `terms`: flattened, constants folded, like terms collected.
    pub fn add(&mut self, terms: Vec<ExprId>) -> ExprId {
        let mut flat = Vec::with_capacity(terms.len());
        for t in terms {
            match self.node(t) {
                Node::Add(ts) => flat.extend_from_slice(ts),
                _ => flat.push(t),
            }
        }
        let mut constant = Rational::new();
        let mut coeffs: HashMap<ExprId, Rational> = HashMap::default();
        let mut order: Vec<ExprId> = Vec::new();
        for t in flat {
            let (c, rest) = self.split_coeff(t);
            match rest {
                None => constant += c,
                Some(r) => {
                    let r = if c == 1 { r } else { self.strip_coeff(r) };
                    match coeffs.get_mut(&r) {
                        Some(acc) => *acc += c,
                        None => {
                            order.push(r);
                            coeffs.insert(r, c);
                        }
                    }
                }
            }
        }
        let mut out: Vec<ExprId> = Vec::with_capacity(order.len() + 1);
        for r in order {
            let c = coeffs.remove(&r).expect("collected term");
            if c == 0 {
                continue;
            }
            if c == 1 {
                out.push(r);
            } else {
                let cc = self.constant(c);
                out.push(self.mul(vec![cc, r]));
            }
        }
        if constant != 0 {
            out.push(self.constant(constant));
        }
        match out.len() {
            0 => self.int(0),
            1 => out[0],
            _ => {
                out.sort_unstable();
                self.intern(Node::Add(out.into_boxed_slice()))
            }
        }
    }

    /// The product of `factors`: flattened, constants folded, powers of one base collected.
    pub fn mul(&mut self, factors: Vec<ExprId>) -> ExprId {
        let mut flat = Vec::with_capacity(factors.len());
        for f in factors {
            match self.node(f) {
                Node::Mul(fs) => flat.extend_from_slice(fs),
                _ => flat.push(f),
            }
        }
        let mut constant = Rational::from(1);
        let mut exps: HashMap<ExprId, Rational> = HashMap::default();
        let mut order: Vec<ExprId> = Vec::new();
        let mut rooted: Vec<ExprId> = Vec::new();
        for f in flat {
            let (base, e) = match self.node(f) {
                Node::Const(q) => {
                    constant *= q;
                    continue;
                }
                Node::Pow(b, e) => (*b, e.clone()),
                _ => (f, Rational::from(1)),
            };
            if e.denom().is_even() && !self.nonnegative_const(base) {
                rooted.push(base);
            }
            match exps.get_mut(&base) {
                Some(acc) => *acc += e,
                None => {
                    order.push(base);
                    exps.insert(base, e);
                }
            }
        }
        if constant == 0 {
            // A zero constant annihilates finite factors; poles such as `0 * x^-1` at x = 0
            // are a.e. irrelevant for the identities checked here.
            return self.int(0);
        }
        let mut out: Vec<ExprId> = Vec::with_capacity(order.len() + 1);
        for b in order {
            let e = exps.remove(&b).expect("collected factor");
            let p = if rooted.contains(&b) && e.denom().is_odd() && e != 0 {
                let root = self.pow(b, Rational::from((1, 2)));
                self.pow(root, e * 2u32)
            } else {
                self.pow(b, e)
            };
            match self.node(p) {
                Node::Const(q) => {
                    let q = q.clone();
                    constant *= q;
                }
                Node::Mul(fs) => {
                    // pow distributed over an inner product; re-flatten (its constant too).
                    for &g in fs.iter() {
                        if let Node::Const(q) = self.node(g) {
                            let q = q.clone();
                            constant *= q;
                        } else {
                            out.push(g);
                        }
                    }
                }
                _ => out.push(p),
            }
        }
        if constant == 0 {
            return self.int(0);
        }
        out.sort_unstable();
        if constant != 1 {
            let c = self.constant(constant);
            if out.is_empty() {
                return c;
            }
            out.insert(0, c);
        }
        match out.len() {
            0 => self.int(1),
            1 => out[0],
            _ => {
                // The constant (smallest id is not guaranteed) must be first for split_coeff.
                if let Some(pos) = out
                    .iter()
                    .position(|&g| matches!(self.node(g), Node::Const(_)))
                {
                    let c = out.remove(pos);
                    out.sort_unstable();
                    out.insert(0, c);
                }
                self.intern(Node::Mul(out.into_boxed_slice()))
            }
        }
    }

    fn nonnegative_const(&self, id: ExprId) -> bool {
        matches!(self.node(id), Node::Const(c) if c.cmp0().is_ge())
    }

    /// `base^e` for a rational exponent.
    pub fn pow(&mut self, base: ExprId, e: Rational) -> ExprId {
        if e == 0 {
            return self.int(1);
        }
        if e == 1 {
            return base;
        }
        match self.node(base).clone() {
            Node::Const(c) => {
                if let Some(v) = const_pow(&c, &e) {
                    return self.constant(v);
                }
            }
            Node::Pow(b, e1)
                if e.is_integer()
                    && (e1.denom().is_odd()
                        || Rational::from(&e1 * &e).denom().is_even()
                        || self.nonnegative_const(b)) =>
            {
                let e2 = e1 * &e;
                return self.pow(b, e2);
            }
            Node::Mul(fs) if e.is_integer() => {
                let parts: Vec<ExprId> = fs.iter().map(|&f| self.pow(f, e.clone())).collect();
                return self.mul(parts);
            }
            _ => {}
        }
        self.intern(Node::Pow(base, e))
    }

    /// `base^k` for an integer exponent.
    pub fn powi(&mut self, base: ExprId, k: i64) -> ExprId {
        self.pow(base, Rational::from(k))
    }

    /// An elementary function of `arg`, folded when the value is an exact rational.
    pub fn func(&mut self, f: Func, arg: ExprId) -> ExprId {
        if let Some(c) = self.as_const(arg).cloned() {
            match f {
                Func::Exp if c == 0 => return self.int(1),
                Func::Log if c == 1 => return self.int(0),
                Func::Abs => return self.constant(c.abs()),
                Func::Sign => return self.int(c.cmp0() as i64),
                _ => {}
            }
        }
        match (f, self.node(arg).clone()) {
            // |u|^k, sign(sign(u)), |-u|: keep the DAG small where it is an identity.
            (Func::Abs, Node::Func(Func::Abs, _)) => return arg,
            (Func::Sign, Node::Func(Func::Sign, _)) => return arg,
            (Func::Abs | Func::Sign, Node::Mul(fs)) => {
                if let Some(c) = self.as_const(fs[0]).cloned() {
                    let rest = self.mul(fs[1..].to_vec());
                    let inner = self.func(f, rest);
                    let k = if f == Func::Abs {
                        self.constant(c.abs())
                    } else {
                        self.int(c.cmp0() as i64)
                    };
                    return self.mul(vec![k, inner]);
                }
            }
            _ => {}
        }
        self.intern(Node::Func(f, arg))
    }

    /// `max(a, b)`.
    pub fn max(&mut self, a: ExprId, b: ExprId) -> ExprId {
        if a == b {
            return a;
        }
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            let m = if x >= y { x.clone() } else { y.clone() };
            return self.constant(m);
        }
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.intern(Node::Max(a, b))
    }

    /// `min(a, b)`.
    pub fn min(&mut self, a: ExprId, b: ExprId) -> ExprId {
        if a == b {
            return a;
        }
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            let m = if x <= y { x.clone() } else { y.clone() };
            return self.constant(m);
        }
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.intern(Node::Min(a, b))
    }

    /// The direct children of a node.
    pub fn children(&self, id: ExprId) -> Vec<ExprId> {
        match self.node(id) {
            Node::Const(_) | Node::Var(_) => Vec::new(),
            Node::Add(ts) | Node::Mul(ts) => ts.to_vec(),
            Node::Pow(b, _) | Node::Func(_, b) => vec![*b],
            Node::Max(a, b) | Node::Min(a, b) => vec![*a, *b],
        }
    }

    /// Every node reachable from `roots`, children before parents (sorted by id).
    pub fn postorder(&self, roots: &[ExprId]) -> Vec<ExprId> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<ExprId> = roots.to_vec();
        let mut out = Vec::new();
        while let Some(id) = stack.pop() {
            if seen[id.index()] {
                continue;
            }
            seen[id.index()] = true;
            out.push(id);
            stack.extend(self.children(id));
        }
        out.sort_unstable();
        out
    }

    /// The variables an expression depends on (sorted indices).
    pub fn free_vars(&self, root: ExprId) -> Vec<usize> {
        let mut vs: Vec<usize> = self
            .postorder(&[root])
            .into_iter()
            .filter_map(|id| match self.node(id) {
                Node::Var(i) => Some(*i as usize),
                _ => None,
            })
            .collect();
        vs.sort_unstable();
        vs.dedup();
        vs
    }

    /// Replaces variables by expressions (`subst[i]` for variable `i`), rebuilding with the
    /// simplifying constructors.
    pub fn substitute(&mut self, root: ExprId, subst: &[ExprId]) -> ExprId {
        let order = self.postorder(&[root]);
        let mut map: HashMap<ExprId, ExprId> =
            HashMap::with_capacity_and_hasher(order.len(), Default::default());
        for id in order {
            let new = match self.node(id).clone() {
                Node::Const(_) => id,
                Node::Var(i) => subst[i as usize],
                Node::Add(ts) => {
                    let v = ts.iter().map(|t| map[t]).collect();
                    self.add(v)
                }
                Node::Mul(ts) => {
                    let v = ts.iter().map(|t| map[t]).collect();
                    self.mul(v)
                }
                Node::Pow(b, e) => self.pow(map[&b], e),
                Node::Func(f, a) => self.func(f, map[&a]),
                Node::Max(a, b) => self.max(map[&a], map[&b]),
                Node::Min(a, b) => self.min(map[&a], map[&b]),
            };
            map.insert(id, new);
        }
        map[&root]
    }
}

/// `c^e` when it is an exact rational and defined; `None` otherwise (poles and irrational
/// roots stay symbolic).
fn const_pow(c: &Rational, e: &Rational) -> Option<Rational> {
    let p = e.numer();
    let q = e.denom();
    if *c == 0 {
        return if *p > 0 { Some(Rational::new()) } else { None };
    }
    let q = q.to_u32()?;
    let root = if q == 1 {
        c.clone()
    } else {
        if *c < 0 && q % 2 == 0 {
            return None;
        }
        let n = exact_root(c.numer(), q)?;
        let d = exact_root(c.denom(), q)?;
        Rational::from((n, d))
    };
    // Keep the folded constants of a sane size.
    let k = p.to_i32().filter(|k| k.unsigned_abs() <= 4096)?;
    if k >= 0 {
        Some(root.pow(k as u32))
    } else {
        Some(root.pow(k.unsigned_abs()).recip())
    }
}

/// The exact real `q`-th root of an integer, if it is an integer.
fn exact_root(n: &Integer, q: u32) -> Option<Integer> {
    if *n < 0 {
        return exact_root(&Integer::from(-n), q).map(|r| -r);
    }
    let r = n.clone().root(q);
    if r.clone().pow(q) == *n {
        Some(r)
    } else {
        None
    }
}

/// The straightforward algorithms, kept as the specification of the fast ones (tests and the
/// `gradient_timing` example compare against them). Not part of the supported API.
impl Arena {
    /// Reference for [`Arena::derivative`]: one pass over the whole postorder of `e` with a
    /// `HashMap` memo, applying the rule at every node.
    pub fn derivative_reference(&mut self, e: ExprId, var: usize) -> ExprId {
        let order = self.postorder(&[e]);
        let mut d: StdHashMap<ExprId, ExprId> = StdHashMap::with_capacity(order.len());
        for id in order {
            let de = self.derivative_step_reference(id, var, &d);
            d.insert(id, de);
        }
        d[&e]
    }

    /// The rule at one node, verbatim as it was before [`Arena::derivatives`] existed.
    fn derivative_step_reference(
        &mut self,
        id: ExprId,
        var: usize,
        d: &StdHashMap<ExprId, ExprId>,
    ) -> ExprId {
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

    /// Reference for [`Arena::gradient`]: [`Arena::derivative_reference`] per variable.
    pub fn gradient_reference(&mut self, e: ExprId) -> Vec<ExprId> {
        (0..self.n_vars())
            .map(|i| self.derivative_reference(e, i))
            .collect()
    }

    /// Reference for [`Arena::hessian`].
    pub fn hessian_reference(&mut self, e: ExprId) -> Vec<Vec<ExprId>> {
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
