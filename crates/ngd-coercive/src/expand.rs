//! Weighted lower expansions at infinity (docs/math.md C5).
//!
//! For positive integer weights `w` and `R >= 1`, write `x = D_R u` with
//! `D_R u = (R^w_1 u_1, ..., R^w_n u_n)` and `u` on the boundary of the cube `[-1, 1]^n`;
//! every `x` with `rho(x) = max_i |x_i|^(1/w_i) >= 1` has exactly one such form, with
//! `R = rho(x)`. A *lower expansion* of an expression `F` is a finite family of expressions
//! `H_d(u)` with
//!
//! ```text
//! F(D_R u) >= sum_d R^d H_d(u)     for every R >= 1 and every u on the cube boundary
//! ```
//!
//! (where `F` is defined; off its domain `F = +inf` counts as large). It is built term by term
//! from the following facts, each an inequality of real numbers:
//!
//! - a polynomial `p` expands *exactly* into its weighted-homogeneous parts:
//!   `p(D_R u) = sum_d R^d p_d(u)`; a square `c g^2` (`c > 0`) keeps its top part as the
//!   square `c g_top(u)^2`, so its nonnegativity stays visible to interval arithmetic;
//! - a term that is structurally `>= 0` (even powers, `exp`, `abs`, products and sums of such)
//!   is bounded below by `0` and dropped;
//! - `|q| >= |q_top| - sum_{d < top} |q_d|` (triangle inequality) for a polynomial `q`;
//! - `max(a, b) = (a + b)/2 + |a - b|/2`;
//! - `exp(h) >= max(0, h)^m / m!` for every real `h` and `m >= 1` (Taylor's theorem for
//!   `h >= 0`, positivity for `h < 0`), used when `h` is weighted homogeneous, and
//!   `exp(c) >= 1 + c + c^2/2 + c^3/6` for a constant `c` (odd Taylor polynomials are below
//!   `exp` everywhere);
//! - `P * G >= P * L` when `P >= 0` (structurally) and `G >= L`.

use ngd_algebra::{canonicalize_with, Limits, Poly};
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use rug::ops::Pow as _;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// An inequality used to bound a non-polynomial term (or a square) below. The order of the
/// variants is the order in which they are listed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Inequality {
    /// `(a + b)^2 >= (1 - e) a^2 - (1/e - 1) b^2`, for squares split into their top part `a`
    /// and the rest `b`.
    SquareSplit {
        /// `e`, exact.
        e: String,
    },
    /// `exp(c + h) >= (1 + c + c^2/2 + c^3/6) max(0, h)^m/m!` for a constant `c`.
    ExpShifted {
        /// `m`.
        order: u32,
        /// `c`, exact.
        constant: String,
    },
    /// `exp(c) >= 1 + c + c^2/2 + c^3/6` for a constant `c`.
    ExpConstant,
    /// `exp(h) >= max(0, h)^m/m!`.
    ExpPower {
        /// `m`.
        order: u32,
    },
    /// `max(a, b) = (a + b)/2 + |a - b|/2`.
    MaxSplit,
    /// `|q| >= |q_top| - sum of |lower parts of q|` (triangle inequality).
    Triangle,
}

/// True when `e` is `>= 0` wherever it is defined, by structure alone: nonnegative constants,
/// even powers and even roots, `exp`, `abs`, and sums and products of such.
pub(crate) fn nonneg_structural(arena: &Arena, e: ExprId) -> bool {
    let mut memo = HashMap::new();
    nonneg_rec(arena, e, &mut memo)
}

fn nonneg_rec(arena: &Arena, e: ExprId, memo: &mut HashMap<ExprId, bool>) -> bool {
    if let Some(&b) = memo.get(&e) {
        return b;
    }
    let r = match arena.node(e) {
        Node::Const(q) => *q >= 0,
        Node::Var(_) => false,
        Node::Add(ts) | Node::Mul(ts) => {
            let ts = ts.clone();
            ts.iter().all(|&t| nonneg_rec(arena, t, memo))
        }
        Node::Pow(b, r) => {
            let even = r.numer().is_even() || r.denom().is_even();
            even || nonneg_rec(arena, *b, memo)
        }
        Node::Func(Func::Exp | Func::Abs, _) => true,
        Node::Func(Func::Sign, a) => nonneg_rec(arena, *a, memo),
        Node::Func(Func::Log, _) => false,
        Node::Max(a, b) => nonneg_rec(arena, *a, memo) || nonneg_rec(arena, *b, memo),
        Node::Min(a, b) => nonneg_rec(arena, *a, memo) && nonneg_rec(arena, *b, memo),
    };
    memo.insert(e, r);
    r
}

/// The limits of one expansion: a term is expanded several times (as a whole and by factors),
/// so each expansion is bounded well below the default; a larger term (`(x + y + z)^300`
/// has 45 451 terms of 470-bit coefficients) is treated as not polynomial, which leaves C5
/// undecided rather than slow.
const EXPANSION_LIMITS: Limits = Limits {
    max_terms: 200_000,
    max_power: 10_000,
    max_work: 20_000_000,
};

/// `e` as a polynomial (no negative exponent, no atom) in the arena's variables, within
/// [`EXPANSION_LIMITS`].
pub(crate) fn as_polynomial(arena: &Arena, e: ExprId) -> Option<Poly> {
    let p = canonicalize_with(arena, e, &EXPANSION_LIMITS)
        .ok()?
        .to_poly()?;
    if p.terms().any(|(ex, _)| ex.iter().any(|&k| k < 0)) {
        return None;
    }
    let n = arena.n_vars();
    if p.n_vars() > n {
        return None;
    }
    Some(p.extend_vars(n))
}

/// The weighted-homogeneous parts of a polynomial: weighted degree -> part.
pub(crate) fn weighted_parts(p: &Poly, w: &[u32]) -> BTreeMap<u32, Poly> {
    let mut buckets: BTreeMap<u32, Vec<(Vec<i32>, Rational)>> = BTreeMap::new();
    for (e, c) in p.terms() {
        let d: u32 = e.iter().zip(w).map(|(&k, &wi)| k as u32 * wi).sum();
        buckets.entry(d).or_default().push((e.to_vec(), c.clone()));
    }
    buckets
        .into_iter()
        .map(|(d, ts)| (d, Poly::from_terms_n(p.n_vars(), ts)))
        .collect()
}

/// One term of `f + phi`, classified once (independently of the weights).
#[derive(Clone, Debug)]
pub(crate) enum Piece {
    /// `c N` with `c > 0` and `N` a structurally nonnegative polynomial expression (squares,
    /// and sums and products of such), with its expanded form.
    Nonneg { c: Rational, e: ExprId, p: Poly },
    /// `c P |q|` with `c > 0`, `P >= 0` and polynomials `P`, `q`.
    Abs { c: Rational, p: Poly, q: Poly },
    /// `c P exp(h)` with `c > 0`, `P >= 0` and polynomials `P`, `h`.
    Exp { c: Rational, p: Poly, h: Poly },
}

/// `f + phi` split into a polynomial part, classified pieces and dropped nonnegative terms.
#[derive(Clone, Debug)]
pub(crate) struct Decomposition {
    /// Polynomial terms that are not recognised squares (exact).
    pub(crate) residual: Poly,
    /// The classified pieces.
    pub(crate) pieces: Vec<Piece>,
    /// Terms bounded below by 0 (printed).
    pub(crate) dropped: Vec<String>,
    /// True when every term of `phi` was dropped (then the bound only uses `f`).
    pub(crate) phi_all_dropped: bool,
    /// Inequalities used.
    pub(crate) rules: Vec<Inequality>,
}

/// Splits `e` into its constant coefficient and the rest.
fn split_coeff(arena: &mut Arena, e: ExprId) -> (Rational, ExprId) {
    if let Node::Mul(fs) = arena.node(e).clone() {
        if let Some(c) = arena.as_const(fs[0]).cloned() {
            let rest = arena.mul(fs[1..].to_vec());
            return (c, rest);
        }
    }
    if let Some(c) = arena.as_const(e).cloned() {
        let one = arena.int(1);
        return (c, one);
    }
    (Rational::from(1), e)
}

/// The factors of a product (a single factor otherwise).
fn factors(arena: &Arena, e: ExprId) -> Vec<ExprId> {
    match arena.node(e) {
        Node::Mul(fs) => fs.to_vec(),
        _ => vec![e],
    }
}

/// `g` when `e = g^2` with a polynomial `g`.
fn square_base(arena: &Arena, e: ExprId) -> Option<Poly> {
    match arena.node(e) {
        Node::Pow(b, k) if *k == 2 => as_polynomial(arena, *b),
        _ => None,
    }
}

/// The weighted top part of a structurally nonnegative polynomial expression, built along the
/// DAG so that it stays structurally nonnegative (`(g^2)_top = (g_top)^2`, products and
/// sums of nonnegative terms keep their top terms, which cannot cancel). Returns the
/// expression and its weighted degree; `None` when the shape is not covered.
pub(crate) fn structural_top(arena: &mut Arena, e: ExprId, w: &[u32]) -> Option<(ExprId, u32)> {
    match arena.node(e).clone() {
        Node::Const(c) if c > 0 => Some((e, 0)),
        Node::Pow(b, k) if k.is_integer() && k > 0 => {
            let kk = k.numer().to_u32()?;
            let (tb, d) = if k.numer().is_even() {
                let pb = as_polynomial(arena, b)?;
                let parts = weighted_parts(&pb, w);
                let (&d, top) = parts.iter().next_back()?;
                (top.to_expr(arena), d)
            } else {
                structural_top(arena, b, w)?
            };
            Some((arena.powi(tb, i64::from(kk)), d.checked_mul(kk)?))
        }
        Node::Mul(fs) => {
            let mut parts = Vec::with_capacity(fs.len());
            let mut deg = 0u32;
            for &f in fs.iter() {
                let (t, d) = structural_top(arena, f, w)?;
                parts.push(t);
                deg = deg.checked_add(d)?;
            }
            Some((arena.mul(parts), deg))
        }
        Node::Add(ts) => {
            let mut tops = Vec::with_capacity(ts.len());
            for &t in ts.iter() {
                tops.push(structural_top(arena, t, w)?);
            }
            let d = tops.iter().map(|t| t.1).max()?;
            let keep: Vec<ExprId> = tops.into_iter().filter(|t| t.1 == d).map(|t| t.0).collect();
            Some((arena.add(keep), d))
        }
        _ => None,
    }
}

impl Decomposition {
    /// Classifies the terms of `f` and `phi`. Fails (with the offending term, printed) when a
    /// term is neither polynomial, nor one of the recognised shapes, nor structurally
    /// nonnegative.
    pub(crate) fn new(
        arena: &mut Arena,
        f: ExprId,
        phi: Option<ExprId>,
    ) -> Result<Decomposition, String> {
        let n = arena.n_vars();
        let mut dec = Decomposition {
            residual: Poly::zero(n),
            pieces: Vec::new(),
            dropped: Vec::new(),
            phi_all_dropped: phi.is_some(),
            rules: Vec::new(),
        };
        let mut terms: Vec<(ExprId, bool)> = Vec::new();
        for (e, is_phi) in [(Some(f), false), (phi, true)] {
            let Some(e) = e else { continue };
            match arena.node(e) {
                Node::Add(ts) => terms.extend(ts.iter().map(|&t| (t, is_phi))),
                _ => terms.push((e, is_phi)),
            }
        }
        for (t, is_phi) in terms {
            let dropped = dec.classify(arena, t)?;
            if is_phi && !dropped {
                dec.phi_all_dropped = false;
            }
        }
        dec.rules.sort();
        dec.rules.dedup();
        Ok(dec)
    }

    /// Adds one term; returns true when it was dropped as nonnegative.
    fn classify(&mut self, arena: &mut Arena, t: ExprId) -> Result<bool, String> {
        let n = arena.n_vars();
        if let Some(p) = as_polynomial(arena, t) {
            let (c, rest) = split_coeff(arena, t);
            if c > 0 && arena.as_const(rest).is_none() && nonneg_structural(arena, rest) {
                let p = p.scale(&Rational::from(c.recip_ref()));
                self.pieces.push(Piece::Nonneg { c, e: rest, p });
                return Ok(false);
            }
            self.residual = self.residual.add(&p);
            return Ok(false);
        }
        let (c, rest) = split_coeff(arena, t);
        let mut poly_factor = Poly::constant(Rational::from(1), n);
        let mut poly_nonneg = true;
        let mut others = Vec::new();
        for g in factors(arena, rest) {
            match as_polynomial(arena, g) {
                Some(p) => {
                    poly_nonneg &= nonneg_structural(arena, g);
                    poly_factor = poly_factor.mul(&p);
                }
                None => others.push(g),
            }
        }
        let drop = |s: &mut Decomposition, arena: &Arena| -> Result<bool, String> {
            if c > 0 && nonneg_structural(arena, rest) {
                s.dropped.push(arena.display(t));
                Ok(true)
            } else {
                Err(arena.display(t))
            }
        };
        if c <= 0 || !poly_nonneg || others.len() != 1 {
            return drop(self, arena);
        }
        let p = poly_factor;
        let o = others[0];
        match arena.node(o).clone() {
            Node::Func(Func::Abs, q) => {
                if let Some(q) = as_polynomial(arena, q) {
                    self.pieces.push(Piece::Abs { c, p, q });
                    self.rules.push(Inequality::Triangle);
                    return Ok(false);
                }
            }
            Node::Pow(b, k) if k.is_integer() && k > 0 => {
                if let Node::Func(Func::Abs, q) = arena.node(b).clone() {
                    if let (Some(q), Some(k)) = (as_polynomial(arena, q), k.numer().to_u32()) {
                        // |q|^k = |q^k|.
                        self.pieces.push(Piece::Abs { c, p, q: q.pow(k) });
                        self.rules.push(Inequality::Triangle);
                        return Ok(false);
                    }
                }
            }
            Node::Func(Func::Exp, h) => {
                if let Some(h) = as_polynomial(arena, h) {
                    self.pieces.push(Piece::Exp { c, p, h });
                    return Ok(false);
                }
            }
            Node::Max(a, b) => {
                if let (Some(pa), Some(pb)) = (as_polynomial(arena, a), as_polynomial(arena, b)) {
                    // max(a, b) = (a + b)/2 + |a - b|/2, exactly.
                    let half = Rational::from((1, 2));
                    let cp = p.scale(&c);
                    self.residual = self.residual.add(&cp.mul(&pa.add(&pb)).scale(&half));
                    self.pieces.push(Piece::Abs {
                        c: Rational::from(&c * &half),
                        p,
                        q: pa.sub(&pb),
                    });
                    self.rules.push(Inequality::MaxSplit);
                    self.rules.push(Inequality::Triangle);
                    return Ok(false);
                }
            }
            _ => {}
        }
        drop(self, arena)
    }
}

/// A lower expansion: contributions `H_d` by weighted degree `d`, as expressions in the
/// arena's variables (read as `u`).
#[derive(Clone, Debug)]
pub(crate) struct Expansion {
    pub(crate) parts: BTreeMap<u32, Vec<ExprId>>,
    /// Extra inequalities used for this weight choice (beyond the decomposition's).
    pub(crate) rules: Vec<Inequality>,
}

impl Expansion {
    /// The highest degree with a contribution.
    pub(crate) fn top(&self) -> Option<u32> {
        self.parts.keys().next_back().copied()
    }

    /// `sum_{d >= j} scale^(d - j) H_d` as one expression.
    pub(crate) fn tail_sum(&self, arena: &mut Arena, j: u32, scale: u32) -> ExprId {
        let mut terms = Vec::new();
        for (&d, v) in self.parts.range(j..) {
            let k = arena.constant(Rational::from(rug::Integer::from(scale).pow(d - j)));
            for &e in v {
                terms.push(arena.mul2(k, e));
            }
        }
        arena.add(terms)
    }

    /// `H_d` as one expression.
    pub(crate) fn part(&self, arena: &mut Arena, d: u32) -> ExprId {
        let terms = self.parts.get(&d).cloned().unwrap_or_default();
        arena.add(terms)
    }

    fn push(&mut self, d: u32, e: ExprId, arena: &Arena) {
        if !arena.is_const(e, 0) {
            self.parts.entry(d).or_default().push(e);
        }
    }

    fn push_poly(&mut self, arena: &mut Arena, p: &Poly, w: &[u32]) {
        for (d, part) in weighted_parts(p, w) {
            let e = part.to_expr(arena);
            self.push(d, e, arena);
        }
    }
}

/// A rational lower bound of `exp(c)` (Taylor polynomial of degree 3; odd Taylor polynomials
/// are below `exp` on all of R).
fn exp_lower(c: &Rational) -> Rational {
    let c2 = Rational::from(c * c);
    let c3 = Rational::from(&c2 * c);
    Rational::from(1) + c + c2 / 2u32 + c3 / 6u32
}

/// The lower expansion of the decomposition for weights `w`; `exp_order` is the `m` of
/// `exp(h) >= max(0, h)^m / m!` (0: bound `exp` terms below by 0).
///
/// `split = Some(eps)` (`0 < eps < 1`) bounds each square `c g^2` by
/// `c (1 - eps) g_top^2 - c (1/eps - 1) (g - g_top)^2`, which drops the cross terms
/// (`(a + b)^2 - (1 - eps) a^2 + (1/eps - 1) b^2 = (sqrt(eps) a + b/sqrt(eps))^2 >= 0`).
pub(crate) fn expand(
    arena: &mut Arena,
    dec: &Decomposition,
    w: &[u32],
    exp_order: u32,
    split: Option<&Rational>,
) -> Expansion {
    let mut ex = Expansion {
        parts: BTreeMap::new(),
        rules: Vec::new(),
    };
    ex.push_poly(arena, &dec.residual, w);
    for piece in &dec.pieces {
        match piece {
            Piece::Nonneg { c, e, p } => match split {
                Some(eps)
                    if square_base(arena, *e).is_some_and(|g| weighted_parts(&g, w).len() > 1) =>
                {
                    expand_split_square(arena, &mut ex, c, *e, w, eps)
                }
                _ => expand_nonneg(arena, &mut ex, c, *e, p, w),
            },
            Piece::Abs { c, p, q } => expand_abs(arena, &mut ex, c, p, q, w),
            Piece::Exp { c, p, h } => expand_exp(arena, &mut ex, c, p, h, w, exp_order),
        }
    }
    ex.rules.sort();
    ex.rules.dedup();
    ex
}

/// `c g^2 >= c (1 - eps) g_top^2 - c (1/eps - 1) (g - g_top)^2`, added to `ex`.
fn expand_split_square(
    arena: &mut Arena,
    ex: &mut Expansion,
    c: &Rational,
    e: ExprId,
    w: &[u32],
    eps: &Rational,
) {
    let g = square_base(arena, e).expect("checked");
    let parts = weighted_parts(&g, w);
    let Some((&d, top)) = parts.iter().next_back() else {
        return;
    };
    let rest = g.sub(top);
    let one = Rational::from(1);
    let keep = Rational::from(&one - eps) * c;
    let lose = (Rational::from(eps.recip_ref()) - one) * c;
    let te = top.to_expr(arena);
    let sq = arena.powi(te, 2);
    let ke = arena.constant(keep);
    let lead = arena.mul2(ke, sq);
    ex.push(2 * d, lead, arena);
    ex.push_poly(arena, &rest.mul(&rest).scale(&-lose), w);
    ex.rules
        .push(Inequality::SquareSplit { e: eps.to_string() });
}

/// `c N = c N_top + c (N - N_top)` exactly, with `N_top` kept in its nonnegative shape when
/// it is one weighted-homogeneous part; else the parts of `c p`.
fn expand_nonneg(
    arena: &mut Arena,
    ex: &mut Expansion,
    c: &Rational,
    e: ExprId,
    p: &Poly,
    w: &[u32],
) {
    let top = structural_top(arena, e, w).and_then(|(te, d)| {
        let tp = as_polynomial(arena, te)?;
        let parts = weighted_parts(&tp, w);
        (parts.len() == 1 && parts.contains_key(&d)).then_some((te, d, tp))
    });
    match top {
        Some((te, d, tp)) => {
            let ce = arena.constant(c.clone());
            let lead = arena.mul2(ce, te);
            ex.push(d, lead, arena);
            ex.push_poly(arena, &p.sub(&tp).scale(c), w);
        }
        None => ex.push_poly(arena, &p.scale(c), w),
    }
}

/// `c P |q| >= c P (|q_top| - sum |lower parts of q|)`, by parts, added to `ex`.
fn expand_abs(arena: &mut Arena, ex: &mut Expansion, c: &Rational, p: &Poly, q: &Poly, w: &[u32]) {
    let qp = weighted_parts(q, w);
    let Some((&e, _)) = qp.iter().next_back() else {
        return;
    };
    let pp = weighted_parts(&p.scale(c), w);
    for (&dq, qd) in &qp {
        let qe = qd.to_expr(arena);
        let aq = arena.func(Func::Abs, qe);
        for (&dp, pd) in &pp {
            let pe = pd.to_expr(arena);
            let mut term = arena.mul2(pe, aq);
            if dq != e {
                term = arena.neg(term);
            }
            ex.push(dp + dq, term, arena);
        }
    }
}

/// `c P exp(h0 + hh) >= c P base max(0, hh)^m/m!` (`base <= exp(h0)`), or the polynomial
/// `c P base` for a constant `h`; nothing (the term is bounded by 0) otherwise.
fn expand_exp(
    arena: &mut Arena,
    ex: &mut Expansion,
    c: &Rational,
    p: &Poly,
    h: &Poly,
    w: &[u32],
    exp_order: u32,
) {
    let hp = weighted_parts(h, w);
    let h0 = hp
        .get(&0)
        .map(|p0| p0.coeff(&vec![0; p0.n_vars()]))
        .unwrap_or_default();
    let nonconst: Vec<(&u32, &Poly)> = hp.iter().filter(|(d, _)| **d > 0).collect();
    let base = exp_lower(&h0);
    if base <= 0 {
        return;
    }
    let cb = Rational::from(c * &base);
    if nonconst.is_empty() {
        // exp(h0) >= base > 0: a polynomial lower bound.
        ex.push_poly(arena, &p.scale(&cb), w);
        ex.rules.push(Inequality::ExpConstant);
        return;
    }
    if exp_order == 0 || nonconst.len() != 1 {
        return;
    }
    let (&e, hh) = nonconst[0];
    // exp(h0 + hh) >= base * max(0, hh)^m / m!, and hh(D_R u) = R^e hh(u).
    let m = exp_order;
    let fact: u32 = (1..=m).product();
    let he = hh.to_expr(arena);
    let zero = arena.int(0);
    let mx = arena.max(zero, he);
    let mp = arena.powi(mx, i64::from(m));
    let k = Rational::from(&cb / fact);
    let pp = weighted_parts(&p.scale(&k), w);
    for (&dp, pd) in &pp {
        let pe = pd.to_expr(arena);
        let term = arena.mul2(pe, mp);
        ex.push(dp + m * e, term, arena);
    }
    ex.rules.push(if h0 == 0 {
        Inequality::ExpPower { order: m }
    } else {
        Inequality::ExpShifted {
            order: m,
            constant: h0.to_string(),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arena2() -> Arena {
        Arena::new(vec!["x".into(), "y".into()])
    }

    #[test]
    fn structural_nonnegativity() {
        let mut a = arena2();
        let x = a.var(0);
        let y = a.var(1);
        let s = a.sub(x, y);
        let sq = a.powi(s, 2);
        assert!(nonneg_structural(&a, sq));
        let inv = a.powi(x, -4);
        let y2 = a.powi(y, 2);
        let q = a.mul2(y2, inv);
        assert!(nonneg_structural(&a, q));
        assert!(!nonneg_structural(&a, s));
        let e = a.func(Func::Exp, x);
        let p = a.mul2(e, x);
        assert!(!nonneg_structural(&a, p));
    }

    #[test]
    fn weighted_parts_split_by_degree() {
        // (y - x^2): with w = (1, 2) one part of degree 2.
        let x = Poly::var(0, 2);
        let y = Poly::var(1, 2);
        let g = y.sub(&x.mul(&x));
        assert_eq!(weighted_parts(&g, &[1, 2]).len(), 1);
        assert_eq!(weighted_parts(&g, &[1, 1]).len(), 2);
    }
}
