//! The regularizer proposed from conserved quantities: `phi = sum_i (psi_i - psi_i(S))^2`.

use crate::format::fmt_quantity;
use crate::lie::random_points;
use crate::linalg::rank_q;
use crate::quantity::linear_form_expr;
use crate::report::{
    ConservedQuantity, DiscoveryReport, ExcludedQuantity, Exclusion, Proposal, ProposalRule,
    ProposalTerm,
};
use crate::ring::eval_poly_float;
use ngd_algebra::Poly;
use ngd_expr::{Arena, ExprId, Func};
use rug::{Float, Integer, Rational};

/// `psi` at a high-precision point; `None` at a pole or outside the domain of an atom.
pub(crate) fn eval_float(q: &ConservedQuantity, x: &[Float], prec: u32) -> Option<Float> {
    let mut y: Vec<Float> = x.to_vec();
    y.extend(q.ring.atom_values(x, prec)?);
    let mut total = eval_poly_float(&q.poly, &y, prec)?;
    if let Some(l) = &q.exp_form {
        let mut s = Float::with_val(prec, 0);
        for (xi, &li) in x.iter().zip(l) {
            if li != 0 {
                s += Float::with_val(prec, xi * li);
            }
        }
        total *= s.exp();
    }
    total.is_finite().then_some(total)
}

/// The simplest rational within `tol` of `v` with denominator at most `10^6`, if any
/// (continued fraction convergents).
fn recognize(v: &Float, tol: &Float) -> Option<Rational> {
    let exact = v.to_rational()?;
    let close = |q: &Rational| {
        let d = Float::with_val(v.prec(), Rational::from(&exact - q));
        d.abs() <= *tol
    };
    let bound = Integer::from(1_000_000);
    let (mut h0, mut h1) = (Integer::from(0), Integer::from(1));
    let (mut k0, mut k1) = (Integer::from(1), Integer::from(0));
    let mut r = exact.clone();
    for _ in 0..64 {
        let a = r.floor_ref();
        let a = Integer::from(Rational::from(a).numer());
        let h2 = Integer::from(&a * &h1) + &h0;
        let k2 = Integer::from(&a * &k1) + &k0;
        if k2 > bound {
            return None;
        }
        let conv = Rational::from((h2.clone(), k2.clone()));
        if close(&conv) {
            return Some(conv);
        }
        h0 = std::mem::replace(&mut h1, h2);
        k0 = std::mem::replace(&mut k1, k2);
        let frac = &r - Rational::from(a);
        if frac == 0 {
            return None;
        }
        r = frac.recip();
    }
    None
}

fn fmt_rational(q: &Rational) -> String {
    q.to_string()
}

/// The working precision (the smallest of the flat points', at least 16 bits) and the
/// agreement required, a third of it.
fn precision(flat_set: &[Vec<Float>]) -> (u32, u32) {
    let prec = flat_set
        .iter()
        .flat_map(|p| p.iter().map(Float::prec))
        .min()
        .unwrap_or(53)
        .max(16);
    (prec, prec / 3)
}

/// The common value of `q` on the flat set as an exact rational, or why there is none: a
/// point of the wrong dimension, a pole, two values more than `2^-bits` apart relative to
/// `max(1, |value|)`, or a value not recognised as a rational.
fn value_on_flat_set(
    q: &ConservedQuantity,
    flat_set: &[Vec<Float>],
    n: usize,
    prec: u32,
    bits: u32,
) -> Result<Rational, Exclusion> {
    let mut values = Vec::with_capacity(flat_set.len());
    for x in flat_set {
        if x.len() != n {
            return Err(Exclusion::WrongDimension {
                coordinates: x.len(),
                expected: n,
            });
        }
        values.push(eval_float(q, x, prec).ok_or(Exclusion::Pole)?);
    }
    let v0 = values[0].clone();
    let tol_unit = Float::with_val(prec, Float::u_exp(1, -(bits as i32)));
    let scale = Float::with_val(prec, v0.abs_ref()).max(&Float::with_val(prec, 1));
    let tol = Float::with_val(prec, &tol_unit * &scale);
    if let Some(v) = values
        .iter()
        .find(|v| Float::with_val(prec, *v - &v0).abs() > tol)
    {
        return Err(Exclusion::NotConstant {
            first: v0.to_string_radix(10, Some(12)),
            other: v.to_string_radix(10, Some(12)),
        });
    }
    recognize(&v0, &tol).ok_or_else(|| Exclusion::NotRational {
        value: v0.to_string_radix(10, Some(20)),
    })
}

/// Seeded random rational values of the variables and of every atom (by its text), so that
/// quantities of different function rings are compared at the same points.
struct RankPoints {
    points: Vec<Vec<Rational>>,
    atoms: Vec<String>,
    n: usize,
}

impl RankPoints {
    fn new(report: &DiscoveryReport) -> RankPoints {
        let n = report.variables.len();
        let mut atoms: Vec<String> = Vec::new();
        for q in report.quantities() {
            for a in &q.ring.atoms {
                if !atoms.contains(&a.display) {
                    atoms.push(a.display.clone());
                }
            }
        }
        let points = random_points(n + atoms.len(), 2, report.seed.wrapping_add(7));
        RankPoints { points, atoms, n }
    }

    /// The gradient of `q` in the variables at each point, one row per point.
    fn rows(&self, q: &ConservedQuantity) -> Vec<Vec<Rational>> {
        let grad = q.ring.gradient(&q.poly, q.exp_form.as_deref());
        self.points
            .iter()
            .map(|pt| {
                let mut y = pt[..self.n].to_vec();
                for a in &q.ring.atoms {
                    let j = self.atoms.iter().position(|d| *d == a.display).unwrap_or(0);
                    y.push(pt[self.n + j].clone());
                }
                grad.iter()
                    .map(|c| c.eval(&y).unwrap_or_default())
                    .collect()
            })
            .collect()
    }

    /// The rank of the chosen gradients (maximum over the points).
    fn rank(&self, chosen: &[Vec<Vec<Rational>>]) -> usize {
        (0..self.points.len())
            .map(|p| {
                let rows: Vec<Vec<Rational>> = chosen.iter().map(|r| r[p].clone()).collect();
                rank_q(&rows, self.n)
            })
            .max()
            .unwrap_or(0)
    }
}

/// The quantities used with their values, and those left out: in report order, each
/// quantity with a rational value on the flat set that raises the gradient rank.
fn select<'r>(
    report: &'r DiscoveryReport,
    flat_set: &[Vec<Float>],
    prec: u32,
    bits: u32,
    keep_dependent: bool,
) -> (
    Vec<(&'r ConservedQuantity, Rational)>,
    Vec<ExcludedQuantity>,
) {
    let n = report.variables.len();
    let points = RankPoints::new(report);
    let mut chosen: Vec<Vec<Vec<Rational>>> = Vec::new();
    let (mut used, mut excluded) = (Vec::new(), Vec::new());
    for q in report.quantities() {
        let verdict = value_on_flat_set(q, flat_set, n, prec, bits).and_then(|c| {
            let before = points.rank(&chosen);
            chosen.push(points.rows(q));
            let dependent = points.rank(&chosen) == before;
            if dependent && (!keep_dependent || power_of_used(q, &used)) {
                chosen.pop();
                return Err(Exclusion::Dependent);
            }
            Ok(c)
        });
        match verdict {
            Ok(c) => used.push((q, c)),
            Err(reason) => excluded.push(ExcludedQuantity {
                psi_display: q.display.clone(),
                reason,
            }),
        }
    }
    (used, excluded)
}

/// Whether `q` is `c psi^k` (`1 <= k <= 4`) for a quantity `psi` already used (plain
/// polynomials only): then `q` is constant wherever `psi` is, and adds nothing to the zero set
/// of `phi` (the cubic's laws `(1/x - 1/y)^k`). Other dependent quantities can shrink it.
fn power_of_used(q: &ConservedQuantity, used: &[(&ConservedQuantity, Rational)]) -> bool {
    let plain = |c: &ConservedQuantity| c.exp_form.is_none() && c.ring.atoms.is_empty();
    let Some((e, cq)) = q.poly.terms().next() else {
        return false;
    };
    plain(q)
        && used.iter().filter(|(u, _)| plain(u)).any(|(u, _)| {
            (1..=4).any(|k| {
                let pk = u.poly.pow(k);
                let cp = pk.coeff(e);
                if pk.len() != q.poly.len() || cp == 0 {
                    return false;
                }
                let ratio = Rational::from(cq / &cp);
                q.poly.sub(&pk.scale(&ratio)).is_zero()
            })
        })
}

/// Proposes `phi = sum_i (psi_i - psi_i(S))^2` (docs/math.md section 1): from the verified
/// quantities of `report` (ansätze first, then the quadratic invariants), those defined and
/// constant on the flat set `S` (values agreeing to a third of the points' precision, relative
/// to `max(1, |value|)`) with a common
/// value recognised as a rational with denominator at most `10^6`; of these, a functionally
/// independent subset, chosen greedily in report order (rank of the gradients at seeded random
/// rational points). Returns `None` when `flat_set` is empty or no quantity qualifies.
///
/// The returned `phi` is built in `arena` (so the caller can run the full certificate on
/// it), and its display re-parses to the same function. Squares of monomials are expanded
/// (`x^2*y^2`, `y^2/x^4`, `x^2*exp(4*y)`); other terms print as `(psi - c)^2`.
pub fn propose_regularizer(
    arena: &mut Arena,
    report: &DiscoveryReport,
    flat_set: &[Vec<Float>],
) -> Option<Proposal> {
    propose_regularizer_with(arena, report, flat_set, false)
}

/// [`propose_regularizer`], keeping also the quantities that are functionally dependent on
/// those already used when `keep_dependent`: generic functional dependence does not make the
/// zero sets equal (for the diagonal network `u1^2 - v1^2, u1 u2 - v1 v2, ...` vanish on
/// `u1 = v1 = 0` whatever `u2, v2`), so a caller whose proposal vanishes off the flat set
/// retries with all of them.
pub fn propose_regularizer_with(
    arena: &mut Arena,
    report: &DiscoveryReport,
    flat_set: &[Vec<Float>],
    keep_dependent: bool,
) -> Option<Proposal> {
    if flat_set.is_empty() {
        return None;
    }
    let (prec, bits) = precision(flat_set);
    let (used, excluded) = select(report, flat_set, prec, bits, keep_dependent);
    if used.is_empty() {
        return None;
    }
    let mut phi_parts: Vec<ExprId> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut terms = Vec::new();
    for (q, c) in &used {
        let (e, t) = square_term(arena, q, c, &report.variables);
        phi_parts.push(e);
        texts.push(t);
        terms.push(ProposalTerm {
            psi: q.expr,
            psi_display: q.display.clone(),
            value_on_flat_set: fmt_rational(c),
        });
    }
    let phi = arena.add(phi_parts);
    let display = texts.join(" + ");
    let escaped = display.replace('\\', "\\\\").replace('"', "\\\"");
    Some(Proposal {
        phi,
        regularizer_line: format!("regularizer = \"{escaped}\""),
        display,
        terms,
        excluded,
        flat_points: flat_set.len(),
        rule: ProposalRule::SumOfSquaredDeviations {
            agreement_bits: bits,
            independent_only: !keep_dependent,
        },
        vanishing: None,
        equation_sets: Vec::new(),
    })
}

/// `(psi - c)^2` as an expression and as text.
fn square_term(
    arena: &mut Arena,
    q: &ConservedQuantity,
    c: &Rational,
    names: &[String],
) -> (ExprId, String) {
    let l = q.exp_form.as_deref();
    // exp(k sum_i l_i x_i); k is 1 or 2, so no non-zero l_i vanishes.
    let exp_of = |arena: &mut Arena, l: &[i32], k: i32| {
        let scaled: Vec<i32> = l.iter().map(|li| li * k).collect();
        let s = linear_form_expr(arena, &scaled);
        arena.func(Func::Exp, s)
    };
    // Quantities with ring atoms print as `(psi)^2` (their monomials mention atoms).
    let plain = q.ring.atoms.is_empty();
    if *c == 0 {
        if plain && q.poly.len() == 1 {
            // A monomial squared: expand.
            let (e, k) = q.poly.terms().next().expect("one term");
            let e2: Vec<i32> = e.iter().map(|x| 2 * x).collect();
            let k2 = Rational::from(k * k);
            let p2 = Poly::from_terms_n(q.poly.n_vars(), vec![(e2.clone(), k2.clone())]);
            let mut expr = p2.to_expr(arena);
            let l2: Option<Vec<i32>> = l.map(|l| l.iter().map(|x| 2 * x).collect());
            if let Some(l2) = &l2 {
                let ex = exp_of(arena, l2, 1);
                expr = arena.mul2(expr, ex);
            }
            let text = fmt_quantity(&[(&e2[..], k2)], l2.as_deref(), names);
            return (expr, text);
        }
        if let (true, Some(l)) = (plain, l) {
            let p = q.poly.to_expr(arena);
            let p2 = arena.powi(p, 2);
            let ex = exp_of(arena, l, 2);
            let expr = arena.mul2(p2, ex);
            let inner = crate::format::fmt_poly(&q.poly, names);
            let l2: Vec<i32> = l.iter().map(|x| 2 * x).collect();
            let text = format!("({inner})^2*exp({})", crate::format::fmt_linear(&l2, names));
            return (expr, text);
        }
        let expr = arena.powi(q.expr, 2);
        return (expr, format!("({})^2", q.display));
    }
    let cc = arena.constant(c.clone());
    let d = arena.sub(q.expr, cc);
    let expr = arena.powi(d, 2);
    let sign = if *c < 0 { "+" } else { "-" };
    let text = format!(
        "({} {sign} {})^2",
        q.display,
        fmt_rational(&Rational::from(c.abs_ref()))
    );
    (expr, text)
}
