//! A hash-consed expression DAG.
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
use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::hash::{Hash, Hasher};

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

/// A constant or an exponent during construction: small integers inline, other values as
/// rationals. Normalized: `R` never holds an integer that fits in `i64`, so the derived
/// equality is numeric equality.
#[derive(Clone, Debug, PartialEq)]
enum Q {
    I(i64),
    R(Rational),
}

impl Q {
    const ONE: Q = Q::I(1);

    fn of(q: &Rational) -> Q {
        match small_int(q) {
            Some(k) => Q::I(k),
            None => Q::R(q.clone()),
        }
    }

    fn from_rational(q: Rational) -> Q {
        match small_int(&q) {
            Some(k) => Q::I(k),
            None => Q::R(q),
        }
    }

    fn into_rational(self) -> Rational {
        match self {
            Q::I(k) => Rational::from(k),
            Q::R(r) => r,
        }
    }

    fn is_zero(&self) -> bool {
        matches!(self, Q::I(0))
    }

    fn is_one(&self) -> bool {
        matches!(self, Q::I(1))
    }

    fn add_assign(&mut self, o: &Q) {
        if let (Q::I(a), Q::I(b)) = (&*self, o) {
            if let Some(s) = a.checked_add(*b) {
                *self = Q::I(s);
                return;
            }
        }
        let a = std::mem::replace(self, Q::I(0)).into_rational();
        let r = match o {
            Q::I(b) => a + *b,
            Q::R(b) => a + b,
        };
        *self = Q::from_rational(r);
    }

    fn mul_assign_rational(&mut self, q: &Rational) {
        if let Q::I(a) = self {
            if let Some(b) = small_int(q) {
                if let Some(p) = a.checked_mul(b) {
                    *self = Q::I(p);
                    return;
                }
            }
        }
        let a = std::mem::replace(self, Q::I(0)).into_rational();
        *self = Q::from_rational(a * q);
    }

    /// Whether the exponent's denominator is even: `b^e` is then defined only for `b >= 0`.
    fn even_root(&self) -> bool {
        match self {
            Q::I(_) => false,
            Q::R(r) => r.denom().is_even(),
        }
    }

    fn mul_i64(self, k: i64) -> Q {
        if let Q::I(a) = self {
            if let Some(p) = a.checked_mul(k) {
                return Q::I(p);
            }
        }
        Q::from_rational(self.into_rational() * k)
    }
}

/// The value of `q` when it is an integer that fits in `i64`.
#[inline]
pub(crate) fn small_int(q: &Rational) -> Option<i64> {
    if *q.denom() == 1 {
        q.numer().to_i64()
    } else {
        None
    }
}

/// A node described by borrowed parts, for hash-consing lookups without building a [`Node`].
/// Normalized like [`Q`]: integer constants and exponents that fit in `i64` are `Int`/`PowI`.
#[derive(PartialEq, Clone, Copy)]
enum Key<'a> {
    Int(i64),
    Rat(&'a Rational),
    Var(u32),
    Add(&'a [ExprId]),
    Mul(&'a [ExprId]),
    PowI(ExprId, i64),
    PowR(ExprId, &'a Rational),
    Func(Func, ExprId),
    Max(ExprId, ExprId),
    Min(ExprId, ExprId),
}

impl<'a> Key<'a> {
    fn of(node: &'a Node) -> Key<'a> {
        match node {
            Node::Const(q) => match small_int(q) {
                Some(k) => Key::Int(k),
                None => Key::Rat(q),
            },
            Node::Var(i) => Key::Var(*i),
            Node::Add(ts) => Key::Add(ts),
            Node::Mul(fs) => Key::Mul(fs),
            Node::Pow(b, e) => match small_int(e) {
                Some(k) => Key::PowI(*b, k),
                None => Key::PowR(*b, e),
            },
            Node::Func(f, a) => Key::Func(*f, *a),
            Node::Max(a, b) => Key::Max(*a, *b),
            Node::Min(a, b) => Key::Min(*a, *b),
        }
    }

    fn hash(&self) -> u64 {
        let mut h = FxHasher::default();
        match self {
            Key::Int(k) => {
                0u8.hash(&mut h);
                k.hash(&mut h);
            }
            Key::Rat(q) => {
                1u8.hash(&mut h);
                q.hash(&mut h);
            }
            Key::Var(i) => {
                2u8.hash(&mut h);
                i.hash(&mut h);
            }
            Key::Add(ts) => {
                3u8.hash(&mut h);
                ts.hash(&mut h);
            }
            Key::Mul(fs) => {
                4u8.hash(&mut h);
                fs.hash(&mut h);
            }
            Key::PowI(b, k) => {
                5u8.hash(&mut h);
                b.hash(&mut h);
                k.hash(&mut h);
            }
            Key::PowR(b, e) => {
                6u8.hash(&mut h);
                b.hash(&mut h);
                e.hash(&mut h);
            }
            Key::Func(f, a) => {
                7u8.hash(&mut h);
                f.hash(&mut h);
                a.hash(&mut h);
            }
            Key::Max(a, b) => {
                8u8.hash(&mut h);
                a.hash(&mut h);
                b.hash(&mut h);
            }
            Key::Min(a, b) => {
                9u8.hash(&mut h);
                a.hash(&mut h);
                b.hash(&mut h);
            }
        }
        h.finish()
    }

    fn to_node(self) -> Node {
        match self {
            Key::Int(k) => Node::Const(Rational::from(k)),
            Key::Rat(q) => Node::Const(q.clone()),
            Key::Var(i) => Node::Var(i),
            Key::Add(ts) => Node::Add(ts.into()),
            Key::Mul(fs) => Node::Mul(fs.into()),
            Key::PowI(b, k) => Node::Pow(b, Rational::from(k)),
            Key::PowR(b, e) => Node::Pow(b, e.clone()),
            Key::Func(f, a) => Node::Func(f, a),
            Key::Max(a, b) => Node::Max(a, b),
            Key::Min(a, b) => Node::Min(a, b),
        }
    }
}

/// Marks the end of a hash chain, and an unset entry of the small-constant table.
const NONE: u32 = u32::MAX;
/// Integer constants in `-SMALL..=SMALL` have their ids cached in an array.
const SMALL: i64 = 8;

/// Collects keys with rational values in first-occurrence order (like terms, powers of one
/// base): a linear scan while short, a hash index beyond.
struct Collect {
    items: Vec<(ExprId, Q)>,
    index: HashMap<ExprId, u32>,
}

impl Collect {
    const LINEAR: usize = 12;

    fn with_capacity(n: usize) -> Collect {
        Collect {
            items: Vec::with_capacity(n),
            index: HashMap::default(),
        }
    }

    fn add(&mut self, k: ExprId, v: Q) {
        if self.index.is_empty() {
            if let Some(item) = self.items.iter_mut().find(|(x, _)| *x == k) {
                item.1.add_assign(&v);
                return;
            }
            if self.items.len() < Self::LINEAR {
                self.items.push((k, v));
                return;
            }
            self.index.reserve(2 * Self::LINEAR);
            for (i, (x, _)) in self.items.iter().enumerate() {
                self.index.insert(*x, i as u32);
            }
        }
        match self.index.entry(k) {
            std::collections::hash_map::Entry::Occupied(e) => {
                self.items[*e.get() as usize].1.add_assign(&v);
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(self.items.len() as u32);
                self.items.push((k, v));
            }
        }
    }
}

/// Owns the nodes of a family of expressions over one list of variables.
#[derive(Clone, Debug)]
pub struct Arena {
    nodes: Vec<Node>,
    /// Hash of a node's [`Key`] to the newest node with that hash; older ones follow `chain`.
    index: HashMap<u64, u32>,
    /// For each node, the previous node with the same key hash (or [`NONE`]).
    chain: Vec<u32>,
    /// Ids of the integer constants `-SMALL..=SMALL` created so far.
    small: [u32; (2 * SMALL + 1) as usize],
    vars: Vec<String>,
}

impl Default for Arena {
    fn default() -> Self {
        Arena::new(Vec::new())
    }
}

impl Arena {
    /// An empty arena over the given variable names (their order fixes the variable indices).
    pub fn new(vars: Vec<String>) -> Self {
        Arena {
            nodes: Vec::new(),
            index: HashMap::default(),
            chain: Vec::new(),
            small: [NONE; (2 * SMALL + 1) as usize],
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
    #[inline]
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
    #[inline]
    pub fn is_const(&self, id: ExprId, c: i32) -> bool {
        let c = i64::from(c);
        if (-SMALL..=SMALL).contains(&c) {
            // Hash-consing: the constant `c` is one node, whose id is cached.
            return self.small[(c + SMALL) as usize] == id.0;
        }
        self.as_const(id).is_some_and(|q| *q == c)
    }

    /// The node described by `key`, created when new.
    fn intern_key(&mut self, key: Key<'_>) -> ExprId {
        let h = key.hash();
        let head = self.index.get(&h).copied().unwrap_or(NONE);
        let mut cur = head;
        while cur != NONE {
            if Key::of(&self.nodes[cur as usize]) == key {
                return ExprId(cur);
            }
            cur = self.chain[cur as usize];
        }
        let id = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&i| i != NONE)
            .expect("more than 2^32 nodes");
        if let Key::Int(k) = key {
            if (-SMALL..=SMALL).contains(&k) {
                self.small[(k + SMALL) as usize] = id;
            }
        }
        self.nodes.push(key.to_node());
        self.chain.push(head);
        self.index.insert(h, id);
        ExprId(id)
    }

    /// The id of `node` when an equal node has already been created, without creating it.
    ///
    /// Lets read-only passes (shape recognition) refer to a subexpression that the builder
    /// made, e.g. the `y*z` of a parsed `(y*z)^2`, which the product rule stores as
    /// `y^2*z^2`. The node must be in the normal form the builders produce (sorted factors,
    /// constant first); any other form is simply not found.
    pub fn find(&self, node: &Node) -> Option<ExprId> {
        let key = Key::of(node);
        let mut cur = self.index.get(&key.hash()).copied().unwrap_or(NONE);
        while cur != NONE {
            if Key::of(&self.nodes[cur as usize]) == key {
                return Some(ExprId(cur));
            }
            cur = self.chain[cur as usize];
        }
        None
    }

    /// Whether `id` is a constant `>= 0` (an even root of it is defined, so merging its powers
    /// keeps the domain).
    fn nonnegative_const(&self, id: ExprId) -> bool {
        self.as_const(id).is_some_and(|c| c.cmp0().is_ge())
    }

    /// The variable with index `i`. Panics if `i` is out of range (a programming error).
    pub fn var(&mut self, i: usize) -> ExprId {
        assert!(i < self.vars.len(), "variable index {i} out of range");
        self.intern_key(Key::Var(i as u32))
    }

    /// An exact rational constant.
    pub fn constant(&mut self, q: Rational) -> ExprId {
        match small_int(&q) {
            Some(k) => self.int(k),
            None => self.intern_key(Key::Rat(&q)),
        }
    }

    /// An exact rational constant, by reference (no copy when the constant exists).
    pub fn constant_ref(&mut self, q: &Rational) -> ExprId {
        match small_int(q) {
            Some(k) => self.int(k),
            None => self.intern_key(Key::Rat(q)),
        }
    }

    fn constant_q(&mut self, q: Q) -> ExprId {
        match q {
            Q::I(k) => self.int(k),
            Q::R(r) => self.intern_key(Key::Rat(&r)),
        }
    }

    /// An integer constant.
    #[inline]
    pub fn int(&mut self, i: i64) -> ExprId {
        if (-SMALL..=SMALL).contains(&i) {
            let id = self.small[(i + SMALL) as usize];
            if id != NONE {
                return ExprId(id);
            }
        }
        self.intern_key(Key::Int(i))
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
        let r = self.pow_int(b, -1);
        self.mul(vec![a, r])
    }

    /// The product of the non-constant factors of a `Mul` with a constant first factor.
    fn strip_coeff(&mut self, id: ExprId) -> ExprId {
        if let Node::Mul(fs) = self.node(id) {
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
        let mut constant = Q::I(0);
        let mut coll = Collect::with_capacity(flat.len());
        for t in flat {
            // The term's rational coefficient and the rest (`None` for a constant).
            let (c, rest) = match self.node(t) {
                Node::Const(q) => (Q::of(q), None),
                Node::Mul(fs) => match self.node(fs[0]) {
                    Node::Const(q) => (Q::of(q), Some(t)),
                    _ => (Q::ONE, Some(t)),
                },
                _ => (Q::ONE, Some(t)),
            };
            match rest {
                None => constant.add_assign(&c),
                Some(r) => {
                    let r = if c.is_one() { r } else { self.strip_coeff(r) };
                    coll.add(r, c);
                }
            }
        }
        let mut out: Vec<ExprId> = Vec::with_capacity(coll.items.len() + 1);
        for (r, c) in coll.items {
            if c.is_zero() {
                continue;
            }
            if c.is_one() {
                out.push(r);
            } else {
                let cc = self.constant_q(c);
                out.push(self.mul(vec![cc, r]));
            }
        }
        if !constant.is_zero() {
            out.push(self.constant_q(constant));
        }
        match out.len() {
            0 => self.int(0),
            1 => out[0],
            _ => {
                out.sort_unstable();
                self.intern_key(Key::Add(&out))
            }
        }
    }

    /// The product of `factors`: flattened, constants folded, powers of one base collected.
    pub fn mul(&mut self, factors: Vec<ExprId>) -> ExprId {
        let mut flat = Vec::with_capacity(factors.len() + 2);
        for f in factors {
            match self.node(f) {
                Node::Mul(fs) => flat.extend_from_slice(fs),
                _ => flat.push(f),
            }
        }
        let mut constant = Q::ONE;
        let mut coll = Collect::with_capacity(flat.len());
        // Bases that occur under an even root: sqrt(u) sqrt(u) is u only where u >= 0.
        let mut rooted: Vec<ExprId> = Vec::new();
        for f in flat {
            let (base, e) = match self.node(f) {
                Node::Const(q) => {
                    constant.mul_assign_rational(q);
                    continue;
                }
                Node::Pow(b, e) => (*b, Q::of(e)),
                _ => (f, Q::ONE),
            };
            if e.even_root() && !self.nonnegative_const(base) {
                rooted.push(base);
            }
            coll.add(base, e);
        }
        if constant.is_zero() {
            // A zero constant annihilates finite factors; poles such as `0 * x^-1` at x = 0
            // are a.e. irrelevant for the identities checked here.
            return self.int(0);
        }
        let mut out: Vec<ExprId> = Vec::with_capacity(coll.items.len() + 1);
        for (b, e) in coll.items {
            let p = if rooted.contains(&b) && !e.even_root() && !e.is_zero() {
                // Keep the domain: b^e as (b^(1/2))^(2e), which pow does not fold.
                let root = self.pow_rat(b, Rational::from((1, 2)));
                self.pow_q(root, e.mul_i64(2))
            } else if e.is_one() {
                b
            } else {
                self.pow_q(b, e)
            };
            match self.node(p) {
                Node::Const(q) => constant.mul_assign_rational(q),
                Node::Mul(fs) => {
                    // pow distributed over an inner product; re-flatten (its constant too).
                    for &g in fs.iter() {
                        if let Node::Const(q) = self.node(g) {
                            constant.mul_assign_rational(q);
                        } else {
                            out.push(g);
                        }
                    }
                }
                _ => out.push(p),
            }
        }
        if constant.is_zero() {
            return self.int(0);
        }
        out.sort_unstable();
        if !constant.is_one() {
            let c = self.constant_q(constant);
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
                self.intern_key(Key::Mul(&out))
            }
        }
    }

    /// `base^e` for a rational exponent.
    pub fn pow(&mut self, base: ExprId, e: Rational) -> ExprId {
        self.pow_q(base, Q::from_rational(e))
    }

    fn pow_q(&mut self, base: ExprId, e: Q) -> ExprId {
        match e {
            Q::I(k) => self.pow_int(base, k),
            Q::R(r) => self.pow_rat(base, r),
        }
    }

    /// `base^k` for an integer exponent that fits in `i64`.
    pub(crate) fn pow_int(&mut self, base: ExprId, k: i64) -> ExprId {
        if k == 0 {
            return self.int(1);
        }
        if k == 1 {
            return base;
        }
        match self.node(base) {
            Node::Const(c) => {
                if let Some(v) = const_pow(c, &Rational::from(k)) {
                    return self.constant(v);
                }
            }
            Node::Pow(b, e1) => {
                let (b, e1) = (*b, Q::of(e1));
                let e2 = e1.clone().mul_i64(k);
                // (b^(1/2))^2 is b only where b >= 0: folding would define it everywhere.
                if !e1.even_root() || e2.even_root() || self.nonnegative_const(b) {
                    return self.pow_q(b, e2);
                }
            }
            Node::Mul(fs) => {
                let fs = fs.clone();
                let parts: Vec<ExprId> = fs.iter().map(|&f| self.pow_int(f, k)).collect();
                return self.mul(parts);
            }
            _ => {}
        }
        self.intern_key(Key::PowI(base, k))
    }

    /// `base^e` for an exponent that is not an integer fitting in `i64`.
    fn pow_rat(&mut self, base: ExprId, e: Rational) -> ExprId {
        match self.node(base) {
            Node::Const(c) => {
                if let Some(v) = const_pow(c, &e) {
                    return self.constant(v);
                }
            }
            Node::Pow(b, e1)
                if e.is_integer()
                    && (e1.denom().is_odd()
                        || Rational::from(e1 * &e).denom().is_even()
                        || self.nonnegative_const(*b)) =>
            {
                let b = *b;
                let e2 = Rational::from(e1 * &e);
                return self.pow(b, e2);
            }
            Node::Mul(fs) if e.is_integer() => {
                let fs = fs.clone();
                let parts: Vec<ExprId> = fs.iter().map(|&f| self.pow(f, e.clone())).collect();
                return self.mul(parts);
            }
            _ => {}
        }
        self.intern_key(Key::PowR(base, &e))
    }

    /// `base^k` for an integer exponent.
    pub fn powi(&mut self, base: ExprId, k: i64) -> ExprId {
        self.pow_int(base, k)
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
        match (f, self.node(arg)) {
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
        self.intern_key(Key::Func(f, arg))
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
        self.intern_key(Key::Max(a, b))
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
        self.intern_key(Key::Min(a, b))
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
            match self.node(id) {
                Node::Const(_) | Node::Var(_) => {}
                Node::Add(ts) | Node::Mul(ts) => stack.extend_from_slice(ts),
                Node::Pow(b, _) | Node::Func(_, b) => stack.push(*b),
                Node::Max(a, b) | Node::Min(a, b) => {
                    stack.push(*a);
                    stack.push(*b);
                }
            }
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
                node => self.rebuild(&node, |c| map[&c]),
            };
            map.insert(id, new);
        }
        map[&root]
    }

    /// `node` (usually of another arena, or of this one before a substitution) built in this
    /// arena with every child `c` replaced by `child(c)`, through the simplifying
    /// constructors; a constant is copied and a variable is the variable of the same index.
    /// The one rebuilding step of every pass that maps an expression node by node.
    pub fn rebuild(&mut self, node: &Node, child: impl Fn(ExprId) -> ExprId) -> ExprId {
        match node {
            Node::Const(q) => self.constant_ref(q),
            Node::Var(i) => self.var(*i as usize),
            Node::Add(ts) => {
                let v = ts.iter().map(|&t| child(t)).collect();
                self.add(v)
            }
            Node::Mul(fs) => {
                let v = fs.iter().map(|&f| child(f)).collect();
                self.mul(v)
            }
            Node::Pow(b, e) => self.pow(child(*b), e.clone()),
            Node::Func(f, a) => self.func(*f, child(*a)),
            Node::Max(a, b) => self.max(child(*a), child(*b)),
            Node::Min(a, b) => self.min(child(*a), child(*b)),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn xy() -> (Arena, ExprId, ExprId) {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let x = a.var(0);
        let y = a.var(1);
        (a, x, y)
    }

    #[test]
    fn even_roots_keep_their_domain_under_powers_and_products() {
        let mut a = Arena::new(vec!["u".into()]);
        let u = a.var(0);
        let r = a.pow(u, Rational::from((1, 2)));
        // sqrt(u)^2 and sqrt(u) sqrt(u) are u only where u >= 0: not folded to u.
        let sq = a.powi(r, 2);
        assert_ne!(sq, u);
        assert_eq!(a.mul(vec![r, r]), sq);
        // sqrt(u)^3 = u^(3/2) keeps the even root: folded.
        let cube = a.powi(r, 3);
        assert_eq!(cube, a.pow(u, Rational::from((3, 2))));
        // Odd roots fold freely: (u^(1/3))^3 = u everywhere.
        let c = a.pow(u, Rational::from((1, 3)));
        assert_eq!(a.powi(c, 3), u);
        // u^(1/4) u^(1/4) = sqrt(u), same domain.
        let q = a.pow(u, Rational::from((1, 4)));
        assert_eq!(a.mul(vec![q, q]), r);
    }

    #[test]
    fn hash_consing_shares_nodes() {
        let (mut a, x, y) = xy();
        let s1 = a.add2(x, y);
        let s2 = a.add2(y, x);
        assert_eq!(s1, s2);
    }

    #[test]
    fn like_terms_cancel() {
        let (mut a, x, y) = xy();
        let xy = a.mul2(x, y);
        let yx = a.mul2(y, x);
        let d = a.sub(xy, yx);
        assert!(a.is_const(d, 0));
        let two = a.int(2);
        let t = a.mul2(two, xy);
        let s = a.add(vec![xy, xy, t]);
        let four = a.int(4);
        let expect = a.mul2(four, xy);
        assert_eq!(s, expect);
    }

    #[test]
    fn powers_collect_and_poles_stay() {
        let (mut a, x, _) = xy();
        let r = a.powi(x, -1);
        let one = a.mul2(x, r);
        assert!(a.is_const(one, 1));
        let zero = a.int(0);
        let pole = a.powi(zero, -1);
        assert!(matches!(a.node(pole), Node::Pow(_, _)));
        let eight = a.int(8);
        let r = a.pow(eight, Rational::from((-1, 3)));
        assert_eq!(a.as_const(r), Some(&Rational::from((1, 2))));
        let two = a.int(2);
        let r = a.pow(two, Rational::from((-1, 3)));
        assert!(matches!(a.node(r), Node::Pow(_, _)));
    }

    #[test]
    fn mul_keeps_constant_first() {
        let (mut a, x, y) = xy();
        let xy = a.mul2(x, y);
        let c = a.int(3);
        let m = a.mul2(xy, c);
        match a.node(m) {
            Node::Mul(fs) => assert!(a.is_const(fs[0], 3)),
            n => panic!("{n:?}"),
        }
    }

    #[test]
    fn substitute_rebuilds() {
        let (mut a, x, y) = xy();
        let s = a.add2(x, y);
        let sq = a.powi(s, 2);
        let nx = a.neg(x);
        let r = a.substitute(sq, &[x, nx]);
        assert!(a.is_const(r, 0));
        let _ = y;
    }
}
