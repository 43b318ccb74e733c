//! Size guards for exact constants: bounds on the bits of sums, products and powers, and
//! the limits on constant exponents and root indices. Why the limits exist: docs/math.md.

use super::{Lowerer, MAX_CONST_BITS, R};
use crate::error::ParseError;
use crate::parser::abbreviate;
use crate::{MAX_EXPONENT, MAX_ROOT_INDEX};
use ngd_expr::{ExprId, Node};
use rug::{Integer, Rational};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

fn bits(n: &Integer) -> f64 {
    f64::from(n.significant_bits())
}

pub(super) fn rat_bits(q: &Rational) -> f64 {
    bits(q.numer()) + bits(q.denom())
}

/// A bound on the size in bits of a sum of rationals, from the summands.
#[derive(Default)]
struct SumBound {
    dens: HashSet<Integer>,
    den_bits: f64,
    max_mag: f64,
    count: f64,
}

impl SumBound {
    fn push(&mut self, q: &Rational) {
        self.count += 1.0;
        let d = q.denom();
        if *d != 1 && !self.dens.contains(d) {
            self.den_bits += bits(d);
            self.dens.insert(d.clone());
        }
        self.max_mag = self.max_mag.max(bits(q.numer()) - bits(d) + 1.0);
    }

    /// Like [`SumBound::push`] but counts every denominator, repeated ones too (an upper
    /// bound without the set), and a term without a coefficient as magnitude 1.
    fn push_upper(&mut self, q: Option<&Rational>) {
        self.count += 1.0;
        match q {
            Some(q) => {
                let d = q.denom();
                if *d != 1 {
                    self.den_bits += bits(d);
                }
                self.max_mag = self.max_mag.max(bits(q.numer()) - bits(d) + 1.0);
            }
            None => self.max_mag = self.max_mag.max(1.0),
        }
    }

    fn bound(&self) -> f64 {
        2.0 * self.den_bits + self.max_mag.max(0.0) + self.count.max(1.0).log2() + 2.0
    }
}

impl<'c> Lowerer<'c> {
    /// Refuses a freshly built node whose exponents (its own, or those of its factors when it
    /// is a product) exceed [`MAX_EXPONENT`] or [`MAX_ROOT_INDEX`]: the arena combines the
    /// powers of one base (`x^(1/999)*x^(1/998) = x^(1997/997002)`), so a product of
    /// accepted powers can exceed the limits.
    pub(super) fn check_exponents(&self, id: ExprId, span: &Range<usize>) -> R<()> {
        let bad = |e: &Rational| (!exponent_ok(e)).then(|| exponent_too_large(e, span, true));
        match self.arena.node(id) {
            Node::Pow(_, e) => bad(e).map_or(Ok(()), Err),
            Node::Mul(fs) => {
                for &f in fs.iter() {
                    if let Node::Pow(_, e) = self.arena.node(f) {
                        if let Some(err) = bad(e) {
                            return Err(err);
                        }
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub(super) fn too_large(&self, span: &Range<usize>) -> ParseError {
        ParseError::new(
            format!("exact constant too large (more than {MAX_CONST_BITS} bits)"),
            span.clone(),
        )
    }

    /// An upper bound on the bits of the constants that powers of `id` can fold into.
    pub(super) fn const_bits(&self, id: ExprId, depth: usize) -> f64 {
        if depth > 64 {
            return 0.0;
        }
        match self.arena.node(id) {
            Node::Const(c) => rat_bits(c),
            Node::Mul(fs) => fs.iter().map(|&f| self.const_bits(f, depth + 1)).sum(),
            Node::Pow(b, e) => self.const_bits(*b, depth + 1) * e.to_f64().abs().min(4096.0),
            _ => 0.0,
        }
    }

    /// Refuses sums whose folded coefficients could exceed [`MAX_CONST_BITS`].
    pub(super) fn guard_add(&self, items: &[ExprId], span: &Range<usize>) -> R<()> {
        if items.len() < 2 || self.add_surely_small(items) {
            return Ok(());
        }
        let mut groups: HashMap<Vec<ExprId>, SumBound> = HashMap::new();
        let push = |id: ExprId, groups: &mut HashMap<Vec<ExprId>, SumBound>| {
            let one = Rational::from(1);
            let (key, c): (Vec<ExprId>, &Rational) = match self.arena.node(id) {
                Node::Const(c) => (Vec::new(), c),
                Node::Mul(fs) => match self.arena.node(fs[0]) {
                    Node::Const(c) => (fs[1..].to_vec(), c),
                    _ => (vec![id], &one),
                },
                _ => (vec![id], &one),
            };
            groups.entry(key).or_default().push(c);
        };
        for &t in items {
            match self.arena.node(t) {
                Node::Add(ts) => ts.iter().for_each(|&u| push(u, &mut groups)),
                _ => push(t, &mut groups),
            }
        }
        if groups.values().any(|g| g.bound() > MAX_CONST_BITS) {
            return Err(self.too_large(span));
        }
        Ok(())
    }

    /// True when no group of like terms of the sum can exceed the size bound: one
    /// [`SumBound`] over all terms bounds every group's (its denominators include the
    /// group's distinct ones, its magnitude and count are at least the group's).
    fn add_surely_small(&self, items: &[ExprId]) -> bool {
        let mut all = SumBound::default();
        let mut push = |id: ExprId| {
            let c = match self.arena.node(id) {
                Node::Const(c) => Some(c),
                Node::Mul(fs) => self.arena.as_const(fs[0]),
                _ => None,
            };
            all.push_upper(c);
        };
        for &t in items {
            match self.arena.node(t) {
                Node::Add(ts) => ts.iter().for_each(|&u| push(u)),
                _ => push(t),
            }
        }
        all.bound() <= MAX_CONST_BITS
    }

    /// True when [`Lowerer::guard_mul`] surely accepts the product: the same total of
    /// constant sizes, and one [`SumBound`] over all exponents (as in `add_surely_small`).
    fn mul_surely_small(&self, items: &[ExprId]) -> bool {
        let mut total = 0.0;
        let mut all = SumBound::default();
        let mut push = |id: ExprId, total: &mut f64| {
            let e = match self.arena.node(id) {
                Node::Const(c) => {
                    *total += rat_bits(c);
                    return;
                }
                Node::Pow(_, e) => Some(e),
                _ => None,
            };
            *total += self.const_bits(id, 0);
            all.push_upper(e);
        };
        for &f in items {
            match self.arena.node(f) {
                Node::Mul(fs) => fs.iter().for_each(|&g| push(g, &mut total)),
                _ => push(f, &mut total),
            }
        }
        total <= MAX_CONST_BITS && all.bound() <= MAX_CONST_BITS
    }

    /// Refuses products whose folded constants or collected exponents could exceed
    /// [`MAX_CONST_BITS`].
    pub(super) fn guard_mul(&self, items: &[ExprId], span: &Range<usize>) -> R<()> {
        if items.len() < 2 || self.mul_surely_small(items) {
            return Ok(());
        }
        let mut total = 0.0;
        let mut groups: HashMap<ExprId, SumBound> = HashMap::new();
        let one = Rational::from(1);
        let mut push = |id: ExprId, total: &mut f64| {
            let (base, e) = match self.arena.node(id) {
                Node::Const(c) => {
                    *total += rat_bits(c);
                    return;
                }
                Node::Pow(b, e) => (*b, e),
                _ => (id, &one),
            };
            *total += self.const_bits(id, 0);
            groups.entry(base).or_default().push(e);
        };
        for &f in items {
            match self.arena.node(f) {
                Node::Mul(fs) => fs.iter().for_each(|&g| push(g, &mut total)),
                _ => push(f, &mut total),
            }
        }
        if total > MAX_CONST_BITS || groups.values().any(|g| g.bound() > MAX_CONST_BITS) {
            return Err(self.too_large(span));
        }
        Ok(())
    }
}

/// True when the constant exponent `e = p/q` is within [`MAX_EXPONENT`] and
/// [`MAX_ROOT_INDEX`].
pub(super) fn exponent_ok(e: &Rational) -> bool {
    e.numer()
        .to_i64()
        .is_some_and(|p| p.unsigned_abs() <= u64::from(MAX_EXPONENT))
        && e.denom().to_u32().is_some_and(|q| q <= MAX_ROOT_INDEX)
}

/// The error for an exponent beyond the limits; `combined` when it arose from combining the
/// powers of one base in a product (the span is then the product's).
#[cold]
#[inline(never)]
pub(super) fn exponent_too_large(e: &Rational, span: &Range<usize>, combined: bool) -> ParseError {
    let shown = abbreviate(&e.to_string(), 40);
    let p_big = *e.numer().as_abs() > MAX_EXPONENT;
    let clause = match (p_big, e.is_integer()) {
        (true, true) => format!("above the limit {MAX_EXPONENT} in magnitude"),
        (true, false) => format!(
            "whose numerator {} is above the limit {MAX_EXPONENT} in magnitude",
            abbreviate(&e.numer().to_string(), 40)
        ),
        (false, _) => format!(
            "whose root index {} is above the limit {MAX_ROOT_INDEX}",
            abbreviate(&e.denom().to_string(), 40)
        ),
    };
    let msg = if combined {
        format!("exponent too large: the powers of one base combine to {shown}, {clause}")
    } else {
        format!("exponent too large: {shown}, {clause}")
    };
    ParseError::new(msg, span.clone()).with_help(format!(
        "constant exponents p/q are limited to |p| <= {MAX_EXPONENT} and root index q <= {MAX_ROOT_INDEX}"
    ))
}
