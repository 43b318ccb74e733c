//! From the expression DAG to a canonical form, and back.

use crate::ctx::{AtomKind, Ctx, Rf};
use crate::mono::Layout;
use crate::mpoly::MPoly;
use crate::poly::Poly;
use crate::{Fail, Limits};
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use rug::ops::Pow as _;
use std::collections::HashMap;

/// Canonical form of an expression: a rational function `numerator / denominator` over the
/// generators (the variables with integer exponents, and atoms `exp`, `log`, `sign`, roots).
///
/// Guarantee: the canonical form equals the expression almost everywhere on the expression's
/// domain (see the crate documentation for the rules). Hence [`Canonical::is_zero`] proves
/// that the expression is identically zero there. A non-zero form does not by itself prove
/// that the expression is non-zero, except when [`Canonical::is_atom_free`] holds.
#[derive(Clone, Debug)]
pub struct Canonical {
    pub(crate) ctx: Ctx,
    pub(crate) num: MPoly,
    pub(crate) den: Option<MPoly>,
}

/// Root indices up to this bound are shared between the roots of one base.
const MAX_SHARED_ROOT_INDEX: u64 = 1 << 12;

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// Counts the nodes that may create atoms, to size the monomial layout.
fn atom_node_count(arena: &Arena, order: &[ExprId]) -> usize {
    order
        .iter()
        .filter(|&&id| match arena.node(id) {
            Node::Pow(_, e) => !e.is_integer(),
            Node::Func(..) | Node::Max(..) | Node::Min(..) => true,
            _ => false,
        })
        .count()
}

/// The position of each node of a postorder (a dense table: the postorder is sorted by id).
struct Positions(Vec<u32>);

impl Positions {
    /// The positions of the nodes of `order`.
    fn new(order: &[ExprId]) -> Self {
        let mut pos_of = vec![u32::MAX; order.last().map_or(0, |r| r.index() + 1)];
        for (k, id) in order.iter().enumerate() {
            pos_of[id.index()] = k as u32;
        }
        Positions(pos_of)
    }

    /// The position of `id`; panics when `id` is not in the postorder.
    fn of(&self, id: ExprId) -> usize {
        let p = self.0[id.index()];
        assert!(p != u32::MAX, "child in postorder");
        p as usize
    }
}

/// What is decided about a postorder before any value is built: how often each value is
/// used (so it can be moved out at its last use), the sign/abs arguments split into
/// factors, the shared root index of each base, and the products a sum collects itself.
struct Plan {
    pos: Positions,
    /// Per position: the uses not yet consumed.
    uses: Vec<u32>,
    /// Per `sign`/`abs` node whose argument is split: its factors `(leaf, exponent)`.
    split: HashMap<ExprId, Vec<(ExprId, i64)>>,
    /// Per base of a root: the lcm `L` of its root indices.
    root_index: HashMap<ExprId, u64>,
    /// Per position: a product formed only inside its one user, a sum.
    deferred: Vec<bool>,
}

impl Plan {
    /// The plan of `order` (the postorder of the root).
    fn new(arena: &Arena, order: &[ExprId]) -> Self {
        let pos = Positions::new(order);
        let mut uses = count_uses(arena, order, &pos);
        let split = split_sign_args(arena, order, &pos, &mut uses);
        let root_index = shared_root_indices(arena, order);
        let deferred = deferred_products(arena, order, &pos, &uses);
        Plan {
            pos,
            uses,
            split,
            root_index,
            deferred,
        }
    }
}

/// Per position: how many parents use the node.
fn count_uses(arena: &Arena, order: &[ExprId], pos: &Positions) -> Vec<u32> {
    let mut uses = vec![0u32; order.len()];
    for &id in order {
        match arena.node(id) {
            Node::Const(_) | Node::Var(_) => {}
            Node::Add(cs) | Node::Mul(cs) => {
                for &c in cs.iter() {
                    uses[pos.of(c)] += 1;
                }
            }
            Node::Pow(b, _) | Node::Func(_, b) => uses[pos.of(*b)] += 1,
            Node::Max(a, b) | Node::Min(a, b) => {
                uses[pos.of(*a)] += 1;
                uses[pos.of(*b)] += 1;
            }
        }
    }
    uses
}

/// sign and abs are multiplicative: their arguments split into factors where the DAG
/// shows a product or an integer power; each factor gains a use (its value is kept alive).
fn split_sign_args(
    arena: &Arena,
    order: &[ExprId],
    pos: &Positions,
    uses: &mut [u32],
) -> HashMap<ExprId, Vec<(ExprId, i64)>> {
    let mut split = HashMap::new();
    for &id in order {
        if let Node::Func(Func::Sign | Func::Abs, arg) = arena.node(id) {
            let mut leaves: Vec<(ExprId, i64)> = Vec::new();
            factor_leaves(arena, *arg, 1, &mut leaves);
            if leaves.len() > 1 || leaves.first().is_some_and(|l| l.1 != 1) {
                for &(leaf, _) in &leaves {
                    uses[pos.of(leaf)] += 1;
                }
                split.insert(id, leaves);
            }
        }
    }
    split
}

/// All roots of one base share one atom u^(1/L), L the lcm of their indices, so that the
/// arena's `x^(1/2) x^(1/3) = x^(5/6)` meets `sqrt(x)` and `x^(1/3)` again. When L is even
/// some index is even, so the expression is only defined where u >= 0, and there
/// u^(p/q) = (u^(1/L))^(pL/q); when L is odd all indices are odd (real odd roots).
fn shared_root_indices(arena: &Arena, order: &[ExprId]) -> HashMap<ExprId, u64> {
    let mut root_index: HashMap<ExprId, u64> = HashMap::new();
    for &id in order {
        if let Node::Pow(b, e) = arena.node(id) {
            if let Some(q) = e.denom().to_u64().filter(|&q| q > 1) {
                let l = root_index.entry(*b).or_insert(1);
                let g = gcd(*l, q);
                *l = (*l / g).saturating_mul(q);
            }
        }
    }
    root_index
}

/// A product whose only user is a sum is not formed on its own: the sum collects its
/// terms directly (see `Ctx::sum_products`).
fn deferred_products(arena: &Arena, order: &[ExprId], pos: &Positions, uses: &[u32]) -> Vec<bool> {
    let mut deferred = vec![false; order.len()];
    for &id in order {
        if let Node::Add(ts) = arena.node(id) {
            for &t in ts.iter() {
                let p = pos.of(t);
                if uses[p] == 1 && matches!(arena.node(t), Node::Mul(_)) {
                    deferred[p] = true;
                }
            }
        }
    }
    deferred
}

/// The values of the nodes while walking the postorder under a [`Plan`]: each value is
/// dropped (or moved out) at its last use.
struct Walk<'a> {
    arena: &'a Arena,
    plan: Plan,
    vals: Vec<Option<Rf>>,
}

impl Walk<'_> {
    /// Consumes one use of the value at position `p`; returns `p`, and records it in
    /// `last_use` when this was its last use.
    fn use_once(uses: &mut [u32], last_use: &mut Vec<usize>, p: usize) -> usize {
        uses[p] -= 1;
        if uses[p] == 0 {
            last_use.push(p);
        }
        p
    }

    /// The value of `c` for one use: moved out at its last use, cloned before.
    fn take(&mut self, c: ExprId) -> Rf {
        let p = self.plan.pos.of(c);
        self.plan.uses[p] -= 1;
        if self.plan.uses[p] == 0 {
            self.vals[p].take().expect("value computed")
        } else {
            self.vals[p].clone().expect("value computed")
        }
    }

    /// The computed value at position `p`, borrowed.
    fn get(&self, p: usize) -> &Rf {
        self.vals[p].as_ref().expect("value computed")
    }

    /// The value of node `id`, its children's values being computed.
    fn node(&mut self, ctx: &mut Ctx, id: ExprId) -> Result<Rf, Fail> {
        let arena = self.arena;
        Ok(match arena.node(id) {
            Node::Const(q) => ctx.constant(q),
            Node::Var(i) => ctx.var(*i as usize),
            Node::Add(ts) => self.add(ctx, ts)?,
            Node::Mul(fs) => self.mul(ctx, fs)?,
            Node::Pow(b, e) => self.pow(ctx, *b, e)?,
            Node::Func(f, a) if self.plan.split.contains_key(&id) => {
                self.split_func(ctx, id, *f, *a)?
            }
            Node::Func(f, a) => {
                let u = self.take(*a);
                match f {
                    Func::Exp => ctx.exp(u),
                    Func::Log => ctx.log(u)?,
                    Func::Abs => ctx.abs(u)?,
                    Func::Sign => ctx.sign(&u)?,
                }
            }
            Node::Max(a, b) | Node::Min(a, b) => {
                let is_max = matches!(arena.node(id), Node::Max(..));
                let ua = self.take(*a);
                let ub = self.take(*b);
                ctx.max_min(ua, ub, is_max)?
            }
        })
    }

    /// A sum, collecting the terms of its deferred products itself. The values are
    /// borrowed, not copied; those whose last use this is are dropped afterwards.
    fn add(&mut self, ctx: &mut Ctx, ts: &[ExprId]) -> Result<Rf, Fail> {
        let arena = self.arena;
        let mut last_use: Vec<usize> = Vec::new();
        let mut part_pos = Vec::with_capacity(ts.len());
        let mut product_pos: Vec<Vec<usize>> = Vec::new();
        let plan = &mut self.plan;
        for &t in ts {
            let pt = plan.pos.of(t);
            if plan.deferred[pt] {
                let Node::Mul(fs) = arena.node(t) else {
                    unreachable!("deferred nodes are products")
                };
                product_pos.push(
                    fs.iter()
                        .map(|&f| Self::use_once(&mut plan.uses, &mut last_use, plan.pos.of(f)))
                        .collect(),
                );
            } else {
                part_pos.push(Self::use_once(&mut plan.uses, &mut last_use, pt));
            }
        }
        let parts: Vec<&Rf> = part_pos.iter().map(|&p| self.get(p)).collect();
        let r = if product_pos.is_empty() {
            ctx.sum_refs(&parts)
        } else {
            let products = product_pos
                .iter()
                .map(|fs| fs.iter().map(|&p| self.get(p)).collect())
                .collect();
            ctx.sum_products(parts, products)
        };
        for p in last_use {
            self.vals[p] = None;
        }
        r
    }

    /// A product of borrowed values (dropped afterwards at their last use).
    fn mul(&mut self, ctx: &mut Ctx, fs: &[ExprId]) -> Result<Rf, Fail> {
        let mut last_use: Vec<usize> = Vec::new();
        let plan = &mut self.plan;
        let part_pos: Vec<usize> = fs
            .iter()
            .map(|&f| Self::use_once(&mut plan.uses, &mut last_use, plan.pos.of(f)))
            .collect();
        let parts: Vec<&Rf> = part_pos.iter().map(|&p| self.get(p)).collect();
        let r = ctx.product_refs(parts);
        for p in last_use {
            self.vals[p] = None;
        }
        r
    }

    /// `b^e`: an integer power, or a power of the root atom shared by the roots of `b`.
    fn pow(&mut self, ctx: &mut Ctx, b: ExprId, e: &Rational) -> Result<Rf, Fail> {
        let u = self.take(b);
        let p = e
            .numer()
            .to_i64()
            .ok_or_else(|| Fail::Undecided(format!("the exponent {e} exceeds the power limit")))?;
        if e.is_integer() {
            return ctx.powi(u, p);
        }
        let q = e.denom().to_u32().ok_or(Fail::Overflow)?;
        match self.plan.root_index.get(&b) {
            Some(&l) if l <= MAX_SHARED_ROOT_INDEX && l != u64::from(q) => {
                let k = i64::try_from(l / u64::from(q)).map_err(|_| Fail::Overflow)?;
                let p2 = p.checked_mul(k).ok_or(Fail::Overflow)?;
                ctx.root_pow(u, p2, l as u32)
            }
            _ => ctx.root_pow(u, p, q),
        }
    }

    /// `sign` or `abs` of a split argument: the product of the function of each factor,
    /// raised to the factor's exponent.
    fn split_func(&mut self, ctx: &mut Ctx, id: ExprId, f: Func, a: ExprId) -> Result<Rf, Fail> {
        let _ = self.take(a);
        // Each node is evaluated once: its split is not needed afterwards.
        let leaves = self.plan.split.remove(&id).expect("a split argument");
        let mut parts = Vec::new();
        for (leaf, k) in leaves {
            let v = self.take(leaf);
            let g = if f == Func::Sign {
                ctx.sign(&v)?
            } else {
                ctx.abs(v)?
            };
            parts.push(ctx.powi(g, k)?);
        }
        ctx.product(parts)
    }
}

/// The canonical form of the root of `order` (its postorder) in the layout `l`: every node
/// is evaluated once in a fresh context, then the root is restricted to the domain.
fn run(arena: &Arena, order: &[ExprId], l: Layout, limits: &Limits) -> Result<(Ctx, Rf), Fail> {
    crate::mpoly::work_reset();
    let mut ctx = Ctx::new(l, arena.n_vars(), limits);
    let mut walk = Walk {
        arena,
        plan: Plan::new(arena, order),
        vals: vec![None; order.len()],
    };
    for (k, &id) in order.iter().enumerate() {
        if walk.plan.deferred[k] {
            continue;
        }
        let v = walk.node(&mut ctx, id)?;
        walk.vals[k] = Some(v);
    }
    let mut root = walk
        .vals
        .last_mut()
        .and_then(Option::take)
        .expect("root value");
    // Restrict to the domain: where the mask is 0 the expression is undefined (a.e.).
    if let Some(mask) = ctx.domain.take() {
        root = ctx.mul(&root, &mask)?;
        ctx.domain = Some(mask);
    }
    Ok((ctx, root))
}

/// The factors `(leaf, exponent)` of `id` through products and integer powers (each leaf
/// once, exponents added up).
fn factor_leaves(arena: &Arena, id: ExprId, k: i64, out: &mut Vec<(ExprId, i64)>) {
    match arena.node(id) {
        Node::Mul(fs) => {
            for &f in fs.iter() {
                factor_leaves(arena, f, k, out);
            }
        }
        Node::Pow(b, e) if e.is_integer() => {
            match e.numer().to_i64().and_then(|e| e.checked_mul(k)) {
                Some(k2) => factor_leaves(arena, *b, k2, out),
                None => out.push((id, k)),
            }
        }
        _ => match out.iter_mut().find(|(l, _)| *l == id) {
            Some((_, e)) => *e = e.saturating_add(k),
            None => out.push((id, k)),
        },
    }
}

/// Like [`crate::canonicalize`] with explicit limits.
pub fn canonicalize_with(
    arena: &Arena,
    root: ExprId,
    limits: &Limits,
) -> Result<Canonical, String> {
    let order = arena.postorder(&[root]);
    let count = atom_node_count(arena, &order);
    let n = arena.n_vars();
    // Upper bound on the generators: the variables, two sign atoms or one other atom per
    // node, and the signs of the variables.
    let mut nslots = n + 2 * count + if count > 0 { n } else { 0 };
    let mut bits = 8;
    loop {
        let l = Layout::new(nslots, bits);
        match run(arena, &order, l, limits) {
            Ok((ctx, rf)) => {
                return Ok(Canonical {
                    ctx,
                    num: rf.num,
                    den: rf.den,
                })
            }
            Err(Fail::Overflow) => {
                if bits == 32 {
                    return Err("an exponent exceeds the supported range (2^30)".into());
                }
                bits *= 2;
            }
            Err(Fail::Slots) => nslots = 2 * nslots + 1,
            Err(Fail::Undecided(s)) => return Err(s),
        }
    }
}

impl Canonical {
    /// True when the numerator is the zero polynomial, which proves that the expression is
    /// identically zero (almost everywhere on its domain).
    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// The number of terms of the expanded numerator.
    pub fn numerator_terms(&self) -> usize {
        self.num.len()
    }

    /// True when the form has a (non-monomial) denominator.
    pub fn has_denominator(&self) -> bool {
        self.den.is_some()
    }

    /// True when the form is a rational function of the variables alone (no atom survived).
    /// Then a non-zero form is a non-zero rational function, hence non-zero almost
    /// everywhere on `R^n`: it *proves* that the expression is not identically zero, provided
    /// the expression's domain has positive measure.
    pub fn is_atom_free(&self) -> bool {
        self.ctx.is_atom_free(&self.num)
            && self.den.as_ref().is_none_or(|d| self.ctx.is_atom_free(d))
    }

    /// The numerator as a [`Poly`] when the form is a Laurent polynomial in the variables
    /// (atom-free, no denominator).
    pub fn to_poly(&self) -> Option<Poly> {
        if self.den.is_some() || !self.ctx.is_atom_free(&self.num) {
            return None;
        }
        Some(Poly::from_mpoly(&self.ctx.l, self.ctx.n_vars, &self.num))
    }

    /// Rebuilds the canonical form as an expression in `arena` (expanded numerator over the
    /// denominator), e.g. to print it with `arena.display`. The arena must have at least the
    /// variables of the canonicalized expression (same indices).
    pub fn to_expr(&self, arena: &mut Arena) -> ExprId {
        let mut b = Builder {
            c: &self.ctx,
            atoms: HashMap::new(),
            exps: HashMap::new(),
        };
        let rf = Rf {
            num: self.num.clone(),
            den: self.den.clone(),
        };
        b.rf(arena, &rf)
    }

    /// The exact value of the canonical form at a rational point, when it only involves the
    /// variables and `sign` atoms. `None` at a pole, outside the domain, when another atom
    /// occurs, or when a power of a coordinate would exceed 2^22 bits. The value equals the expression's value almost everywhere (not necessarily at
    /// every point, e.g. where a `sign` argument vanishes).
    pub fn eval_rational(&self, point: &[Rational]) -> Option<Rational> {
        let mut memo: HashMap<usize, Option<Rational>> = HashMap::new();
        let rf = Rf {
            num: self.num.clone(),
            den: self.den.clone(),
        };
        eval_rf(&self.ctx, &rf, point, &mut memo)
    }
}

fn eval_rf(
    c: &Ctx,
    rf: &Rf,
    point: &[Rational],
    memo: &mut HashMap<usize, Option<Rational>>,
) -> Option<Rational> {
    let n = eval_poly(c, &rf.num, point, memo)?;
    match &rf.den {
        None => Some(n),
        Some(d) => {
            let d = eval_poly(c, d, point, memo)?;
            if d == 0 {
                None
            } else {
                Some(n / d)
            }
        }
    }
}

fn eval_poly(
    c: &Ctx,
    p: &MPoly,
    point: &[Rational],
    memo: &mut HashMap<usize, Option<Rational>>,
) -> Option<Rational> {
    let l = c.l;
    let mut gens: Vec<Rational> = Vec::with_capacity(l.nslots);
    let used = c.n_vars + c.atoms.len();
    for s in 0..used {
        let in_use = (0..p.len()).any(|i| l.get(p.mono(&l, i), s) != 0);
        if !in_use {
            gens.push(Rational::new());
            continue;
        }
        if s < c.n_vars {
            gens.push(point.get(s)?.clone());
            continue;
        }
        let v = if let Some(v) = memo.get(&s) {
            v.clone()
        } else {
            let atom = &c.atoms[s - c.n_vars];
            let v = match atom.kind {
                AtomKind::Sign { .. } => {
                    eval_rf(c, &atom.arg, point, memo).map(|a| Rational::from(a.cmp0() as i32))
                }
                _ => None,
            };
            memo.insert(s, v.clone());
            v
        };
        gens.push(v?);
    }
    let mut total = Rational::new();
    for i in 0..p.len() {
        if p.eid(i) != 0 {
            return None;
        }
        let m = p.mono(&l, i);
        let mut t = p.coeff_rational(i);
        for (s, g) in gens.iter().enumerate() {
            let e = l.get(m, s);
            if e == 0 {
                continue;
            }
            if crate::power_too_large(g, e.unsigned_abs()) {
                return None;
            }
            if e < 0 {
                if *g == 0 {
                    return None;
                }
                t *= Rational::from(g.pow(e.unsigned_abs())).recip();
            } else {
                t *= Rational::from(g.pow(e as u32));
            }
        }
        total += t;
    }
    Some(total)
}

/// Rebuilds expressions from canonical data, with the atoms and exponentials memoized.
struct Builder<'a> {
    c: &'a Ctx,
    atoms: HashMap<usize, ExprId>,
    exps: HashMap<u32, ExprId>,
}

impl Builder<'_> {
    fn rf(&mut self, arena: &mut Arena, rf: &Rf) -> ExprId {
        let n = self.poly(arena, &rf.num);
        match &rf.den {
            None => n,
            Some(d) => {
                let d = self.poly(arena, d);
                arena.div(n, d)
            }
        }
    }

    fn slot(&mut self, arena: &mut Arena, s: usize) -> ExprId {
        if s < self.c.n_vars {
            return arena.var(s);
        }
        if let Some(&e) = self.atoms.get(&s) {
            return e;
        }
        let atom = self.c.atoms[s - self.c.n_vars].clone();
        let arg = self.rf(arena, &atom.arg);
        let e = match atom.kind {
            AtomKind::Sign { .. } => arena.func(Func::Sign, arg),
            AtomKind::Log => arena.func(Func::Log, arg),
            AtomKind::Root(q) => arena.pow(arg, Rational::from((1, q))),
        };
        self.atoms.insert(s, e);
        e
    }

    fn exp(&mut self, arena: &mut Arena, id: u32) -> ExprId {
        if let Some(&e) = self.exps.get(&id) {
            return e;
        }
        let arg = self.c.exp_args[id as usize].clone();
        let a = self.rf(arena, &arg);
        let e = arena.func(Func::Exp, a);
        self.exps.insert(id, e);
        e
    }

    fn poly(&mut self, arena: &mut Arena, p: &MPoly) -> ExprId {
        let l = self.c.l;
        let used = self.c.n_vars + self.c.atoms.len();
        let mut terms = Vec::with_capacity(p.len());
        for i in 0..p.len() {
            let m = p.mono(&l, i);
            let mut factors = vec![arena.constant(p.coeff_rational(i))];
            for s in 0..used {
                let e = l.get(m, s);
                if e != 0 {
                    let g = self.slot(arena, s);
                    factors.push(arena.powi(g, i64::from(e)));
                }
            }
            if p.eid(i) != 0 {
                factors.push(self.exp(arena, p.eid(i)));
            }
            terms.push(arena.mul(factors));
        }
        arena.add(terms)
    }
}
