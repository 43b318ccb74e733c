//! `phi = 0` on `S` re-checked (`minima.flat.regularizer.phi_exact_zero`, docs/math.md
//! "`phi = 0` on `S`, proved exactly"). The report claims `phi >= 0` by its syntax, a witness
//! `w` in the search box with `f(w) = inf f` (C2's proved lower bound) and `phi(w) = 0`, so
//! `min_M phi = 0` and `phi = 0` on `S = argmin_M phi`. Each part is re-checked here by its
//! own small rule, none shared with `ngd-minima`:
//!
//! - `phi >= 0` wherever defined: [`nonnegative`], a strict syntactic rule;
//! - `f >= inf f`: [`syntactic_lower_bound`] must give exactly the printed infimum, which
//!   must also be the lower bound printed (and proved) by C2;
//! - `w` in the box: each coordinate is read as `r k^(p/q)` and compared with the rational
//!   bounds through `k^p` and `(b/r)^q`, exactly;
//! - `f(w) = inf f`, `phi(w) = 0`: the closed forms substituted into `f`, `phi` and the
//!   difference's exact canonical form ([`ngd_algebra::canonicalize`]) must be zero; an
//!   interval evaluation of `f` and `phi` on the enclosure of `w` must succeed (so `w` is in
//!   their domains: no possible pole or even root of a negative number) and contain the
//!   value. An enclosure excluding the value, or an atom-free nonzero form, fails the claim;
//!   a form the canonical path does not decide is "not re-checked", never "holds".

use crate::outcome::Outcome;
use crate::{Claim, Failure, Item, NotCovered, NotCoveredReason};
use ngd_algebra::canonicalize;
use ngd_eval::{EvalErrorKind, Tape};
use ngd_expr::{Arena, ExprId, Func, Node};
use ngd_parse::{parse_expr, Params};
use rug::ops::Pow;
use rug::{Integer, Rational};
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashMap;

/// The JSON path of the claim.
const PATH: &str = "minima.flat.regularizer.phi_exact_zero";
/// Largest `|p|`, `q` of an exponent `p/q` and largest base compared exactly (the closed
/// forms of the report have `q <= 6`, `k <= 30`).
const MAX_PART: u32 = 1000;

/// Re-checks the claim when the report makes it.
pub fn recheck_phi_zero(report: &Value, items: &mut Vec<Item>, not_covered: &mut Vec<NotCovered>) {
    let claim = &report["minima"]["flat"]["regularizer"]["phi_exact_zero"];
    if !claim.is_object() {
        return;
    }
    let witness = claim["witness"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| c.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    let claim_item = Claim::PhiExactZero {
        path: PATH.into(),
        witness,
    };
    check(report, claim).record(claim_item, PATH, items, not_covered);
}

fn unreadable(what: &str) -> Outcome {
    Outcome::Fails(Failure::Unreadable { what: what.into() })
}

/// `f`, `phi` and the witness parsed into one arena, and the rest of the claim.
struct Parsed {
    arena: Arena,
    f: ExprId,
    phi: ExprId,
    witness: Vec<ExprId>,
    infimum: Rational,
    bounds: Vec<(Rational, Rational)>,
}

fn parse(report: &Value, claim: &Value) -> Result<Parsed, Outcome> {
    let case = &report["case"];
    let names =
        crate::case_variable_names(case).ok_or_else(|| unreadable("the variables of the case"))?;
    let bounds = search_box(case).ok_or_else(|| unreadable("the search box of the case"))?;
    let mut arena = Arena::new(names);
    let mut expr = |src: Option<&str>, what: &str| {
        src.and_then(|s| parse_expr(&mut arena, s, &Params::new()).ok())
            .ok_or_else(|| unreadable(what))
    };
    let f = expr(case["objective"].as_str(), "the objective")?;
    let phi = expr(case["regularizer"].as_str(), "the regularizer")?;
    let witness = claim["witness"]
        .as_array()
        .filter(|a| a.len() == bounds.len())
        .ok_or_else(|| unreadable("the witness (one closed form per variable)"))?
        .iter()
        .map(|c| expr(c.as_str(), "a coordinate of the witness"))
        .collect::<Result<Vec<_>, _>>()?;
    if witness.iter().any(|&w| !arena.free_vars(w).is_empty()) {
        return Err(unreadable("the witness (a coordinate is not a constant)"));
    }
    let infimum = claim["infimum"]
        .as_str()
        .and_then(|s| Rational::parse(s).ok())
        .map(Rational::from)
        .ok_or_else(|| unreadable("the infimum"))?;
    Ok(Parsed {
        arena,
        f,
        phi,
        witness,
        infimum,
        bounds,
    })
}

/// The rational bounds of the case's search box (`[name, lo, hi]` rows).
fn search_box(case: &Value) -> Option<Vec<(Rational, Rational)>> {
    let q = |v: &Value| {
        v.as_str()
            .and_then(|s| Rational::parse(s).ok())
            .map(Rational::from)
    };
    case["search_box"]
        .as_array()?
        .iter()
        .map(|row| Some((q(&row[1])?, q(&row[2])?)))
        .collect()
}

/// The whole check: a failure anywhere fails the claim, before any part not re-checked.
fn check(report: &Value, claim: &Value) -> Outcome {
    let mut p = match parse(report, claim) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if !nonnegative(&p.arena, p.phi) {
        return Outcome::Fails(Failure::NotNonnegative { what: "phi".into() });
    }
    let parts = [
        infimum_is_c2_bound(report, &p.infimum),
        in_box(&p.arena, &p.witness, &p.bounds),
        value_at_witness(&mut p, Target::Objective),
        value_at_witness(&mut p, Target::Regularizer),
        lower_bound_rederived(&p),
    ];
    let mut first_not_covered = None;
    for part in parts {
        match part {
            Outcome::Fails(f) => return Outcome::Fails(f),
            Outcome::NotCovered(r) => {
                first_not_covered.get_or_insert(r);
            }
            Outcome::Holds => {}
        }
    }
    first_not_covered.map_or(Outcome::Holds, Outcome::NotCovered)
}

/// The printed infimum is the lower bound C2 prints as proved.
fn infimum_is_c2_bound(report: &Value, infimum: &Rational) -> Outcome {
    let bound = &report["minima"]["minimum_set"]["lower_bound"];
    let value = bound["value"]
        .as_str()
        .and_then(|s| Rational::parse(s).ok())
        .map(Rational::from);
    let proved = bound["evidence"].as_str() == Some("proved");
    if proved && value.as_ref() == Some(infimum) {
        return Outcome::Holds;
    }
    Outcome::Fails(Failure::WrongValue {
        printed: format!("inf f = {infimum}"),
        found: format!(
            "C2's lower bound {} ({})",
            bound["value"].as_str().unwrap_or("absent"),
            bound["evidence"].as_str().unwrap_or("no evidence")
        ),
    })
}

/// `f >= inf f` wherever `f` is defined: the syntactic lower bound is the printed infimum.
fn lower_bound_rederived(p: &Parsed) -> Outcome {
    match syntactic_lower_bound(&p.arena, p.f) {
        Some(b) if b == p.infimum => Outcome::Holds,
        _ => Outcome::NotCovered(NotCoveredReason::LowerBoundNotRederived),
    }
}

/// True when `e >= 0` wherever it is defined, by its syntax alone: nonnegative constants,
/// powers `u^(p/q)` with `p` even (`u^2`, `u^-2`, `u^(2/3)`) or `q` even (a principal root)
/// or `u >= 0`, `abs`, `exp`, and sums and products of such; `max` with one such argument,
/// `min` with both. Deliberately strict: `x^2 - y^2`, `x^3` and `log` are not recognised.
pub(crate) fn nonnegative(arena: &Arena, e: ExprId) -> bool {
    // Memoized: a shared subexpression is judged once however often the DAG reuses it.
    fn rec(arena: &Arena, e: ExprId, memo: &mut HashMap<ExprId, bool>) -> bool {
        if let Some(&known) = memo.get(&e) {
            return known;
        }
        let judged = match arena.node(e) {
            Node::Const(c) => c.cmp0() != Ordering::Less,
            Node::Var(_) | Node::Func(Func::Log | Func::Sign, _) => false,
            Node::Func(Func::Abs | Func::Exp, _) => true,
            Node::Add(ts) | Node::Mul(ts) => ts.iter().all(|&t| rec(arena, t, memo)),
            Node::Pow(b, r) => r.numer().is_even() || r.denom().is_even() || rec(arena, *b, memo),
            Node::Max(a, b) => rec(arena, *a, memo) || rec(arena, *b, memo),
            Node::Min(a, b) => rec(arena, *a, memo) && rec(arena, *b, memo),
        };
        memo.insert(e, judged);
        judged
    }
    rec(arena, e, &mut HashMap::new())
}

/// A rational `L` with `e >= L` wherever `e` is defined, by syntax: a constant is its own
/// bound, a sum the sum of its terms' bounds, `c u` (`c > 0`) is `c` times the bound of
/// `u`, `log u` is `>= 0` when `u >= 1` (log is increasing), anything [`nonnegative`] is
/// bounded by `0`. `None` when no bound is found.
pub(crate) fn syntactic_lower_bound(arena: &Arena, e: ExprId) -> Option<Rational> {
    match arena.node(e) {
        Node::Const(c) => Some(c.clone()),
        Node::Add(ts) => ts
            .iter()
            .map(|&t| syntactic_lower_bound(arena, t))
            .sum::<Option<Rational>>(),
        Node::Mul(fs) => match constant_and_other(arena, fs) {
            Some((c, u)) if c.cmp0() == Ordering::Greater => {
                Some(c * syntactic_lower_bound(arena, u)?)
            }
            _ => nonnegative(arena, e).then(Rational::new),
        },
        Node::Func(Func::Log, u) => {
            let at_least_one = syntactic_lower_bound(arena, *u).is_some_and(|b| b >= 1);
            at_least_one.then(Rational::new)
        }
        _ => nonnegative(arena, e).then(Rational::new),
    }
}

/// `c u` read from the two factors of a product (the arena keeps at most one constant
/// factor, at any position), else `None`.
fn constant_and_other(arena: &Arena, factors: &[ExprId]) -> Option<(Rational, ExprId)> {
    match factors {
        [a, b] => match (arena.as_const(*a), arena.as_const(*b)) {
            (Some(c), None) => Some((c.clone(), *b)),
            (None, Some(c)) => Some((c.clone(), *a)),
            _ => None,
        },
        _ => None,
    }
}

/// A coordinate `r k^(p/q)`: `k = 1`, `p/q = 0` for a rational.
struct Radical {
    coeff: Rational,
    base: Integer,
    exponent: Rational,
}

/// Reads a parsed closed form as `r`, `k^(p/q)` or `r k^(p/q)` (a positive integer `k`,
/// small parts), else `None`.
fn radical(arena: &Arena, e: ExprId) -> Option<Radical> {
    let power = |id: ExprId| match arena.node(id) {
        Node::Pow(b, r) => {
            let k = arena.as_const(*b)?;
            let small = |i: &Integer| i.clone().abs() <= MAX_PART;
            let usable = *k.denom() == 1
                && k.cmp0() == Ordering::Greater
                && small(k.numer())
                && small(r.numer())
                && small(r.denom());
            usable.then(|| (k.numer().clone(), r.clone()))
        }
        _ => None,
    };
    let (coeff, (base, exponent)) = match arena.node(e) {
        Node::Const(c) => (c.clone(), (Integer::from(1), Rational::new())),
        Node::Mul(fs) => {
            let (c, u) = constant_and_other(arena, fs)?;
            (c, power(u)?)
        }
        Node::Pow(..) => (Rational::from(1), power(e)?),
        _ => return None,
    };
    Some(Radical {
        coeff,
        base,
        exponent,
    })
}

/// The exact order of `r k^(p/q)` and the rational `b`: by signs, else by comparing
/// `k^p` with `(|b|/|r|)^q` (both sides positive, `x -> x^q` increasing on them).
fn compare(x: &Radical, b: &Rational) -> Ordering {
    let (sx, sb) = (x.coeff.cmp0(), b.cmp0());
    if sx != sb || sx == Ordering::Equal {
        return sx.cmp(&sb);
    }
    let p = x.exponent.numer().to_i32().expect("a small exponent");
    let q = x.exponent.denom().to_u32().expect("a small exponent");
    let lhs = Rational::from(&x.base).pow(p);
    let rhs = (Rational::from(b.abs_ref()) / Rational::from(x.coeff.abs_ref())).pow(q);
    let by_magnitude = lhs.cmp(&rhs);
    if sx == Ordering::Greater {
        by_magnitude
    } else {
        by_magnitude.reverse()
    }
}

/// Every coordinate of the witness within its rational bounds, exactly.
fn in_box(arena: &Arena, witness: &[ExprId], bounds: &[(Rational, Rational)]) -> Outcome {
    for (i, (&w, (lo, hi))) in witness.iter().zip(bounds).enumerate() {
        let Some(x) = radical(arena, w) else {
            return Outcome::NotCovered(NotCoveredReason::WitnessNotRadical);
        };
        if compare(&x, lo) == Ordering::Less || compare(&x, hi) == Ordering::Greater {
            return Outcome::Fails(Failure::WrongValue {
                printed: format!("coordinate {} of the witness in [{lo}, {hi}]", i + 1),
                found: "outside the search box".into(),
            });
        }
    }
    Outcome::Holds
}

/// Which function is evaluated at the witness.
#[derive(Clone, Copy)]
enum Target {
    Objective,
    Regularizer,
}

/// `f(w) = inf f` or `phi(w) = 0`: defined at `w` and equal by the exact canonical form of
/// the difference; an interval enclosure excluding the value fails the claim.
fn value_at_witness(p: &mut Parsed, target: Target) -> Outcome {
    let (e, value, name) = match target {
        Target::Objective => (p.f, p.infimum.clone(), "f(w)"),
        Target::Regularizer => (p.phi, Rational::new(), "phi(w)"),
    };
    let enclosure = match enclose_at_witness(p, e) {
        AtWitness::Enclosed(iv) => iv,
        AtWitness::Undefined(why) => {
            return Outcome::Fails(Failure::WrongValue {
                printed: format!("{name} = {value}"),
                found: format!("undefined ({why})"),
            })
        }
        AtWitness::Unknown => return Outcome::NotCovered(NotCoveredReason::ExactValueUndecided),
    };
    // The bounds of the enclosure are doubles, compared with the value exactly.
    let below = Rational::from_f64(enclosure.sup()).is_some_and(|s| s < value);
    let above = Rational::from_f64(enclosure.inf()).is_some_and(|i| i > value);
    if below || above {
        return Outcome::Fails(Failure::WrongValue {
            printed: format!("{name} = {value}"),
            found: format!("[{:e}, {:e}]", enclosure.inf(), enclosure.sup()),
        });
    }
    let at = p.arena.substitute(e, &p.witness);
    let printed = p.arena.constant(value.clone());
    let diff = p.arena.sub(at, printed);
    match canonicalize(&p.arena, diff) {
        Ok(c) if c.is_zero() => Outcome::Holds,
        Ok(c) if c.is_atom_free() => Outcome::Fails(Failure::WrongValue {
            printed: format!("{name} = {value}"),
            found: "a different rational".into(),
        }),
        _ => Outcome::NotCovered(NotCoveredReason::ExactValueUndecided),
    }
}

/// An expression evaluated with intervals at the witness.
enum AtWitness {
    /// An outward-rounded enclosure: every operation was defined on its interval argument,
    /// so the expression is defined at `w`.
    Enclosed(inari::Interval),
    /// Undefined at `w`: an interval argument lies wholly outside an operation's domain or is
    /// exactly `[0, 0]` under a reciprocal (outward rounding keeps the true value inside).
    Undefined(String),
    /// The evaluation met a possible pole or domain boundary: not decided.
    Unknown,
}

/// `e` evaluated with intervals on the enclosure of the witness.
fn enclose_at_witness(p: &Parsed, e: ExprId) -> AtWitness {
    let n = p.arena.n_vars();
    let origin = vec![inari::const_interval!(0.0, 0.0); n];
    let value = Tape::compile(&p.arena, &p.witness)
        .eval::<inari::Interval>(&(), &origin)
        .and_then(|coords| Tape::compile(&p.arena, &[e]).eval::<inari::Interval>(&(), &coords));
    match value {
        Ok(v) => match v.first() {
            Some(iv) if !iv.is_empty() => AtWitness::Enclosed(*iv),
            _ => AtWitness::Unknown,
        },
        Err(err) => match err.kind {
            EvalErrorKind::DivisionByZero | EvalErrorKind::Domain(_) => {
                AtWitness::Undefined(err.kind.to_string())
            }
            _ => AtWitness::Unknown,
        },
    }
}

#[cfg(test)]
mod tests;
