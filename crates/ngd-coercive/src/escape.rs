//! Escapes: rational rays and monomial curves `x_i = c_i t^(a_i)` along which `f + phi` has
//! a finite (or `-inf`) limit as `t -> +inf`, decided exactly (docs/math.md C5).
//!
//! The restriction `t -> F(x(t))` is computed by evaluating the expression DAG over germs at
//! `t = +inf` ([`Germ`]): exact rational functions of `t`, with `|.|`, `sign`, `max`, `min`
//! resolved by the sign of the leading coefficient (exact for all large `t`), and `exp(r)`
//! with `r -> -inf` kept as a super-polynomially small term. Anything else (roots, `log`,
//! growing or irrational exponentials, poles along the curve) makes the curve unusable, never
//! a wrong limit.

use crate::upoly::{Germ, Limit};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use serde::Serialize;
use std::collections::HashSet;

/// What kind of path an escape follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EscapeKind {
    /// A rational ray `x = t d`.
    Ray,
    /// A monomial curve `x_i = c_i t^(a_i)` with rational `c_i` and integer `a_i`.
    Curve,
}

/// A path to infinity along which `f + phi` stays bounded, with its exact restriction: a proof
/// that `f + phi` is not coercive (docs/architecture.md soundness rule 2: re-checkable by
/// substituting the curve and taking the limit of a univariate rational function).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EscapeWitness {
    /// Ray or monomial curve.
    pub kind: EscapeKind,
    /// The coordinates `x_i(t)`, one exact expression in `t` per variable (e.g. `-t`, `t^-1`).
    pub curve: Vec<String>,
    /// The exact restriction `f(x(t)) + phi(x(t))` for all large `t`, as `num/den` in `t`
    /// (a super-polynomially small term, e.g. `exp(-t)`, is named when it was dropped).
    pub restriction: String,
    /// The exact limit as `t -> +inf`: a rational number, or `-inf`.
    pub limit: String,
    /// The limit as the nearest `f64` (`-inf` for `-inf`).
    pub limit_f64: f64,
}

/// A monomial curve `x_i = coeffs[i] t^(exps[i])`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Curve {
    pub(crate) coeffs: Vec<Rational>,
    pub(crate) exps: Vec<i32>,
}

impl Curve {
    fn ray(d: &[Rational]) -> Curve {
        Curve {
            coeffs: d.to_vec(),
            exps: vec![1; d.len()],
        }
    }

    fn normalized(mut self) -> Curve {
        for (c, e) in self.coeffs.iter().zip(self.exps.iter_mut()) {
            if *c == 0 {
                *e = 0;
            }
        }
        self
    }

    fn goes_to_infinity(&self) -> bool {
        self.coeffs
            .iter()
            .zip(&self.exps)
            .any(|(c, &e)| *c != 0 && e > 0)
    }

    fn is_ray(&self) -> bool {
        self.coeffs
            .iter()
            .zip(&self.exps)
            .all(|(c, &e)| *c == 0 || e == 1)
    }

    fn display(&self) -> Vec<String> {
        self.coeffs
            .iter()
            .zip(&self.exps)
            .map(|(c, &e)| {
                if *c == 0 {
                    return "0".into();
                }
                let mono = match e {
                    0 => String::new(),
                    1 => "t".into(),
                    _ => format!("t^{e}"),
                };
                if e == 0 {
                    c.to_string()
                } else if *c == 1 {
                    mono
                } else if *c == -1 {
                    format!("-{mono}")
                } else {
                    format!("{c}*{mono}")
                }
            })
            .collect()
    }

    fn at(&self, t: f64) -> Vec<f64> {
        self.coeffs
            .iter()
            .zip(&self.exps)
            .map(|(c, &e)| c.to_f64() * t.powi(e))
            .collect()
    }
}

/// The restriction of `root` to the curve, as a germ at `t = +inf`; `None` when some
/// operation cannot be decided exactly.
pub(crate) fn restrict(arena: &Arena, root: ExprId, curve: &Curve) -> Option<Germ> {
    let order = arena.postorder(&[root]);
    let pos = |id: ExprId| order.binary_search(&id).expect("child in postorder");
    let mut vals: Vec<Option<Germ>> = vec![None; order.len()];
    let get = |vals: &Vec<Option<Germ>>, id: ExprId| vals[pos(id)].clone();
    for (k, &id) in order.iter().enumerate() {
        let v: Germ = match arena.node(id) {
            Node::Const(q) => Germ::constant(q.clone()),
            Node::Var(i) => {
                let i = *i as usize;
                Germ::monomial(curve.coeffs[i].clone(), curve.exps[i])
            }
            Node::Add(ts) => {
                let mut acc = Germ::constant(Rational::new());
                for &t in ts.iter() {
                    acc = acc.add(&get(&vals, t)?);
                }
                acc
            }
            Node::Mul(fs) => {
                let mut acc = Germ::constant(Rational::from(1));
                for &f in fs.iter() {
                    acc = acc.mul(&get(&vals, f)?);
                }
                acc
            }
            Node::Pow(b, e) => {
                if !e.is_integer() {
                    return None;
                }
                get(&vals, *b)?.powi(e.numer().to_i64()?)?
            }
            Node::Func(f, a) => {
                let a = get(&vals, *a)?;
                match f {
                    Func::Exp => {
                        if a.rational_is_zero() && !a.flat {
                            Germ::constant(Rational::from(1))
                        } else if a.order().is_some_and(|o| o > 0) && a.sign() == Some(-1) {
                            // exp(r) with r -> -inf polynomially: smaller than every 1/t^m.
                            Germ {
                                num: crate::upoly::UPoly::zero(),
                                den: crate::upoly::UPoly::constant(Rational::from(1)),
                                flat: true,
                            }
                        } else {
                            return None;
                        }
                    }
                    Func::Log => return None,
                    Func::Abs => match a.sign() {
                        Some(s) if s >= 0 => a,
                        Some(_) => a.neg(),
                        // |eps| is again super-polynomially small.
                        None => a,
                    },
                    Func::Sign => Germ::constant(Rational::from(a.sign()?)),
                }
            }
            Node::Max(a, b) | Node::Min(a, b) => {
                let is_max = matches!(arena.node(id), Node::Max(..));
                let ga = get(&vals, *a)?;
                let gb = get(&vals, *b)?;
                let d = ga.add(&gb.neg());
                match d.sign() {
                    Some(s) => {
                        if (s >= 0) == is_max {
                            ga
                        } else {
                            gb
                        }
                    }
                    None => {
                        // a - b is super-polynomially small: both differ from either by it.
                        let mut g = ga;
                        g.flat = true;
                        g
                    }
                }
            }
        };
        if v.num.degree().unwrap_or(0) > 2000 || v.den.degree().unwrap_or(0) > 2000 {
            return None;
        }
        vals[k] = Some(v);
    }
    vals.pop().flatten()
}

/// Small-denominator rational approximations of `v`.
fn round_rational(v: f64, q: i64) -> Rational {
    Rational::from(((v * q as f64).round() as i64, q))
}

/// Floating-point screen: does `F` look bounded along the curve (values at `t = 10, 100, 1000`
/// not growing)? Numerical only; a candidate that passes is then decided exactly.
fn looks_bounded(tape: &Tape, curve: &Curve, scratch: &mut Vec<f64>, out: &mut [f64]) -> bool {
    let mut vals = [0.0; 3];
    for (k, t) in [10.0, 100.0, 1000.0].into_iter().enumerate() {
        let x = curve.at(t);
        tape.eval_f64(&x, scratch, out);
        vals[k] = out[0];
    }
    let [_, v2, v3] = vals;
    if v3.is_nan() || v2.is_nan() || v3 == f64::INFINITY {
        return false;
    }
    v3 == f64::NEG_INFINITY || v3 <= 4.0 * v2.abs().max(1.0)
}

/// Candidate curves in insertion order, each once, normalized, going to infinity.
struct CandidateList {
    out: Vec<Curve>,
    seen: HashSet<Curve>,
}

impl CandidateList {
    /// Adds `c` (normalized) unless it is bounded or already listed.
    fn push(&mut self, c: Curve) {
        let c = c.normalized();
        if c.goes_to_infinity() && self.seen.insert(c.clone()) {
            self.out.push(c);
        }
    }
}

/// Candidate curves, in a fixed order: rays through the sphere minimizers (rounded to small
/// rationals), small-integer rays, monomial curves fitted to the minimizers across radii, and
/// (for few variables) all monomial curves with exponents in `-1..=2` and coefficients `±1`.
pub(crate) fn candidates(n: usize, minimizers: &[Vec<Vec<f64>>]) -> Vec<Curve> {
    let mut list = CandidateList {
        out: Vec::new(),
        seen: HashSet::new(),
    };
    minimizer_rays(&mut list, minimizers);
    integer_rays(&mut list, n);
    if minimizers.len() >= 2 {
        fitted_curves(
            &mut list,
            &minimizers[minimizers.len() - 2],
            &minimizers[minimizers.len() - 1],
        );
    }
    if n <= 3 {
        unit_monomial_curves(&mut list, n);
    }
    list.out
}

/// Rays through the minimizers (largest radius first), rounded to denominators up to 12.
fn minimizer_rays(list: &mut CandidateList, minimizers: &[Vec<Vec<f64>>]) {
    for pts in minimizers.iter().rev() {
        for p in pts {
            let m = p.iter().fold(0.0f64, |a, b| a.max(b.abs()));
            if m <= 0.0 || !m.is_finite() {
                continue;
            }
            for q in [1, 2, 3, 4, 5, 6, 8, 10, 12] {
                let d: Vec<Rational> = p.iter().map(|v| round_rational(v / m, q)).collect();
                list.push(Curve::ray(&d));
            }
        }
    }
}

/// Rays with entries in `{0, ±1, ±2}` (n <= 3), `{0, ±1}` (n <= 6), else with one or two
/// nonzero entries in `{1, -1}`.
fn integer_rays(list: &mut CandidateList, n: usize) {
    let range: Vec<i64> = if n <= 3 {
        vec![0, 1, -1, 2, -2]
    } else if n <= 6 {
        vec![0, 1, -1]
    } else {
        Vec::new()
    };
    if range.is_empty() {
        for i in 0..n {
            for si in [1, -1] {
                let mut d = vec![Rational::new(); n];
                d[i] = Rational::from(si);
                list.push(Curve::ray(&d));
                for j in i + 1..n {
                    for sj in [1, -1] {
                        let mut d2 = d.clone();
                        d2[j] = Rational::from(sj);
                        list.push(Curve::ray(&d2));
                    }
                }
            }
        }
        return;
    }
    let total = range.len().pow(n as u32);
    for k in 0..total {
        let mut m = k;
        let d: Vec<Rational> = (0..n)
            .map(|_| {
                let v = range[m % range.len()];
                m /= range.len();
                Rational::from(v)
            })
            .collect();
        list.push(Curve::ray(&d));
    }
}

/// Monomial curves through each minimizer of the largest sphere (`last`) and the closest in
/// direction of the previous one (`prev`), with integer (or 1/2, 1/3 scaled) exponents.
fn fitted_curves(list: &mut CandidateList, prev: &[Vec<f64>], last: &[Vec<f64>]) {
    for p2 in last {
        let r2 = p2.iter().map(|a| a * a).sum::<f64>().sqrt();
        // The previous minimizer closest in direction.
        let Some(p1) = prev.iter().max_by(|a, b| {
            let ca = cosine(a, p2);
            let cb = cosine(b, p2);
            ca.total_cmp(&cb)
        }) else {
            continue;
        };
        let r1 = p1.iter().map(|a| a * a).sum::<f64>().sqrt();
        if r2 <= r1 * 1.5 {
            continue;
        }
        let lr = (r2 / r1).ln();
        let a: Vec<Option<f64>> = p1
            .iter()
            .zip(p2)
            .map(|(&x1, &x2)| {
                (x1.abs() > 1e-9 && x2.abs() > 1e-9 && x1.signum() == x2.signum())
                    .then(|| (x2.abs() / x1.abs()).ln() / lr)
            })
            .collect();
        for mult in [1.0, 2.0, 3.0] {
            let ok = a
                .iter()
                .flatten()
                .all(|ai| (ai * mult - (ai * mult).round()).abs() < 0.12);
            if !ok {
                continue;
            }
            let exps: Vec<i32> = a
                .iter()
                .map(|ai| ai.map_or(0, |v| (v * mult).round() as i32))
                .collect();
            let t2 = r2.powf(1.0 / mult);
            for q in [1, 2, 3, 4, 6, 12] {
                let coeffs: Vec<Rational> = p2
                    .iter()
                    .zip(&a)
                    .zip(&exps)
                    .map(|((&x, ai), &e)| {
                        if ai.is_none() {
                            Rational::new()
                        } else {
                            round_rational(x / t2.powi(e), q)
                        }
                    })
                    .collect();
                list.push(Curve {
                    coeffs,
                    exps: exps.clone(),
                });
            }
            break;
        }
    }
}

/// All monomial curves with exponents in `-1..=2` and coefficients `0, ±1`.
fn unit_monomial_curves(list: &mut CandidateList, n: usize) {
    let opts: Vec<(i64, i32)> = std::iter::once((0, 0))
        .chain(
            [1i64, -1]
                .into_iter()
                .flat_map(|c| [1, 2, -1, 0].map(move |e| (c, e))),
        )
        .collect();
    let total = opts.len().pow(n as u32);
    for k in 0..total {
        let mut m = k;
        let mut coeffs = Vec::with_capacity(n);
        let mut exps = Vec::with_capacity(n);
        for _ in 0..n {
            let (c, e) = opts[m % opts.len()];
            m /= opts.len();
            coeffs.push(Rational::from(c));
            exps.push(e);
        }
        list.push(Curve { coeffs, exps });
    }
}

fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let ab: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    ab / (na * nb)
}

/// Searches the candidates for an exact escape: the first curve (in candidate order) whose
/// restriction has a finite or `-inf` limit. `tape` computes `F` (output 0) for the screen;
/// at most `max_exact` candidates are decided exactly.
pub(crate) fn find_escape(
    arena: &Arena,
    root: ExprId,
    tape: &Tape,
    cands: &[Curve],
    max_exact: usize,
) -> (Option<EscapeWitness>, usize) {
    let mut scratch = Vec::new();
    let mut out = vec![0.0; tape.n_outputs()];
    let mut exact = 0usize;
    for c in cands {
        if exact >= max_exact {
            break;
        }
        if !looks_bounded(tape, c, &mut scratch, &mut out) {
            continue;
        }
        exact += 1;
        let Some(g) = restrict(arena, root, c) else {
            continue;
        };
        let (limit, limit_f64) = match g.limit() {
            Limit::Finite(q) => {
                let f = q.to_f64();
                (q.to_string(), f)
            }
            Limit::MinusInf => ("-inf".to_string(), f64::NEG_INFINITY),
            Limit::PlusInf => continue,
        };
        return (
            Some(EscapeWitness {
                kind: if c.is_ray() {
                    EscapeKind::Ray
                } else {
                    EscapeKind::Curve
                },
                curve: c.display(),
                restriction: g.display(),
                limit,
                limit_f64,
            }),
            exact,
        );
    }
    (None, exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cubic_along_the_antidiagonal() {
        // (x^3 + y^3 - 1)^2 + (1/x - 1/y)^2 along (t, -t): (t^2 + 4)/t^2 -> 1.
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let x = a.var(0);
        let y = a.var(1);
        let x3 = a.powi(x, 3);
        let y3 = a.powi(y, 3);
        let one = a.int(1);
        let s = a.add(vec![x3, y3]);
        let g = a.sub(s, one);
        let f = a.powi(g, 2);
        let ix = a.powi(x, -1);
        let iy = a.powi(y, -1);
        let d = a.sub(ix, iy);
        let phi = a.powi(d, 2);
        let fp = a.add2(f, phi);
        let c = Curve::ray(&[Rational::from(1), Rational::from(-1)]);
        let g = restrict(&a, fp, &c).expect("decidable");
        assert_eq!(g.limit(), Limit::Finite(Rational::from(1)));
        assert_eq!(c.display(), vec!["t".to_string(), "-t".to_string()]);
    }

    #[test]
    fn abs_and_exp_germs() {
        // |x - 2| exp(-x) along x = t: flat, limit 0.
        let mut a = Arena::new(vec!["x".into()]);
        let x = a.var(0);
        let two = a.int(2);
        let d = a.sub(x, two);
        let ab = a.func(Func::Abs, d);
        let nx = a.neg(x);
        let e = a.func(Func::Exp, nx);
        let p = a.mul2(ab, e);
        let c = Curve::ray(&[Rational::from(1)]);
        let g = restrict(&a, p, &c).expect("decidable");
        assert!(g.flat);
        assert_eq!(g.limit(), Limit::Finite(Rational::new()));
        // exp(x) along x = t is not decided.
        let e2 = a.func(Func::Exp, x);
        assert!(restrict(&a, e2, &c).is_none());
    }

    #[test]
    fn an_exact_zero_factor_leaves_no_flat_term() {
        // (exp(x) y - 1)^2 along (-t, 0) is exactly 1: exp(-t) * 0 is 0, not a flat term.
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let f = ngd_parse::parse_expr(&mut a, "(exp(x)*y - 1)^2", &ngd_parse::Params::new())
            .expect("parses");
        let c = Curve::ray(&[Rational::from(-1), Rational::new()]);
        let g = restrict(&a, f, &c).expect("decidable");
        assert!(!g.flat);
        assert_eq!(g.display(), "1");
    }
}
