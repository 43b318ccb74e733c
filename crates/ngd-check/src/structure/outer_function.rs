//! Outer functions given by a formula: `f = h(g)` with `h` such as `log(1 + t^2)`,
//! `sqrt(1 + t^2) - 1`, `t^2 + t^4` or `1 - exp(-t^2)`, recognised from `f` and *proved*
//! increasing in `|t|` with `h(0) = 0` its strict minimum (docs/math.md, "The shape of f").
//!
//! NGD only sees the sign of `h'(g)`: where `t h'(t) > 0` for `t != 0`, its steps on `h(g)`
//! are those on `g^2`, so every check that depends on the normalized gradient treats `f` as
//! `g^2`, and `M = {g = 0}`.
//!
//! The proof, all in outward-rounded intervals and exact rationals:
//! - `h(0) = 0` and `h^(j)(0) = 0` for `1 <= j < k` exactly, `h^(k)(0) > 0` with `k` even;
//! - on `[-d, d]`, `h` is proved smooth and `h^(k) > 0`, so by Taylor's theorem
//!   `h'(t) = h^(k)(xi) t^(k-1)/(k-1)!` has the sign of `t` there;
//! - on `d <= |t| <= r` a cover by intervals where `h` is smooth and `h'` has the sign of
//!   `t` (`r` the largest of `2^20, 2^10, 16, 4` that works);
//! - on `|t| >= r` one unbounded interval where `h` is smooth and `t h'(t) >= 0`.
//!
//! So `h(t) > 0 = h(0)` for every `t != 0`, and `h'` vanishes nowhere in `0 < |t| <= r`
//! (critical points of `f` off `M` are then those of `g` while `|g| <= r`).

use inari::Interval;
use ngd_certify::points::{value_at, PointValue};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Node, Rational};
use std::cmp::Ordering;
use std::collections::HashMap;

/// The ranges `r` tried, largest first: `t h'(t) > 0` is proved for `0 < |t| <= r`, beyond it
/// only `t h'(t) >= 0` (a saturating loss such as `1 - exp(-t^2)` has `h'` below the smallest
/// float far out, where no interval can prove it positive).
const STRICT_RANGES: [f64; 4] = [1_048_576.0, 1024.0, 16.0, 4.0];
/// Derivatives tried at 0 for the order of `h`.
const MAX_ORDER: usize = 8;
/// Intervals of the cover of `d <= |t| <= STRICT_RANGE` (each side).
const MAX_INTERVALS: usize = 4096;
/// Inner functions `g` tried.
const MAX_CANDIDATES: usize = 32;
/// Larger objectives are not searched for an outer function.
const MAX_NODES: usize = 4096;

/// `f = h(g)` with `h` proved increasing in `|t|`, `h(0) = 0`.
#[derive(Clone, Debug, PartialEq)]
pub struct OuterFunction {
    /// The inner function.
    pub g: ExprId,
    /// The order `k` of `h` at 0: `h(t) ~ h^(k)(0) t^k / k!` (even).
    pub order: u32,
    /// `t h'(t) > 0` is proved for `0 < |t| <= strict_range` (a power of two), and
    /// `t h'(t) >= 0` beyond.
    pub strict_range: f64,
    /// `h` as a formula in `t`.
    pub formula: String,
    /// The exact leading coefficient `a = h^(k)(0)/k!` (`h(t) = a t^k + o(t^k)`), when
    /// `h^(k)(0)` evaluates to an exact rational; `None` otherwise (only its sign is proved).
    pub leading: Option<Rational>,
}

/// Recognises `f = h(g)` with `h` proved increasing in `|t|` with `h(0) = 0` (see the module
/// documentation), trying as `g` the bases of powers and the arguments of functions in `f`,
/// outermost first. `None` when no candidate gives such an `h` within the budgets.
pub fn recognise(arena: &Arena, f: ExprId) -> Option<OuterFunction> {
    let order = arena.postorder(&[f]);
    if order.len() > MAX_NODES {
        return None;
    }
    candidates(arena, &order, f).into_iter().find_map(|g| {
        let (mut ha, h) = outer_formula(arena, f, g)?;
        let (order, strict_range) = prove_increasing(&mut ha, h)?;
        Some(OuterFunction {
            g,
            order,
            strict_range,
            formula: ha.display(h),
            leading: leading_coefficient(&mut ha, h, order),
        })
    })
}

/// Bases of powers and arguments of functions that depend on a variable, outermost first.
fn candidates(arena: &Arena, postorder: &[ExprId], f: ExprId) -> Vec<ExprId> {
    let mut out: Vec<ExprId> = Vec::new();
    for &id in postorder.iter().rev() {
        let inner = match arena.node(id) {
            Node::Pow(b, _) => *b,
            Node::Func(_, a) => *a,
            _ => continue,
        };
        if inner != f && !out.contains(&inner) && !arena.free_vars(inner).is_empty() {
            out.push(inner);
            if out.len() == MAX_CANDIDATES {
                break;
            }
        }
    }
    out
}

/// `h` with `f = h(g)`, built in an arena over the one variable `t`; `None` when `f` depends
/// on a variable other than through `g`.
fn outer_formula(arena: &Arena, f: ExprId, g: ExprId) -> Option<(Arena, ExprId)> {
    let mut ha = Arena::new(vec!["t".into()]);
    let t = ha.var(0);
    let mut done: HashMap<ExprId, ExprId> = HashMap::from([(g, t)]);
    // Explicit stack (no recursion on hostile depths): a node is built once its children are.
    let mut stack = vec![f];
    while let Some(&id) = stack.last() {
        if done.contains_key(&id) {
            stack.pop();
            continue;
        }
        let kids: Vec<ExprId> = match arena.node(id) {
            Node::Var(_) => return None,
            _ => arena.children(id),
        };
        let pending: Vec<ExprId> = kids
            .iter()
            .copied()
            .filter(|k| !done.contains_key(k))
            .collect();
        if !pending.is_empty() {
            stack.extend(pending);
            continue;
        }
        // Variables were rejected above, so only constants and operations are rebuilt.
        let built = ha.rebuild(arena.node(id), |c| done[&c]);
        done.insert(id, built);
        stack.pop();
    }
    Some((ha, done[&f]))
}

/// The even order `k` of `h` at 0 and the range `r` of [`increasing_up_to`], when `h` is
/// proved increasing in `|t|` with `h(0) = 0`.
fn prove_increasing(ha: &mut Arena, h: ExprId) -> Option<(u32, f64)> {
    let mut ds = vec![h];
    for _ in 0..MAX_ORDER {
        let last = *ds.last().expect("h");
        ds.push(ha.derivative(last, 0));
    }
    let at_zero = |e: ExprId| sign_at_zero(&Tape::compile(ha, &[e]));
    if at_zero(h)? != Ordering::Equal {
        return None;
    }
    let mut k = 0;
    for (j, &d) in ds.iter().enumerate().skip(1) {
        match at_zero(d)? {
            Ordering::Equal => continue,
            Ordering::Greater if j % 2 == 0 => k = j,
            _ => return None,
        }
        break;
    }
    if k == 0 {
        return None;
    }
    let taylor = Tape::compile(ha, &ds[..=k]);
    let d = taylor_radius(&taylor, k)?;
    let slope = Slope::new(ha, ds[1]);
    let strict = STRICT_RANGES
        .into_iter()
        .find(|&r| increasing_up_to(&slope, d, r))?;
    Some((k as u32, strict))
}

/// Whether `t h'(t) > 0` on `d <= |t| <= r` (covers) and `t h'(t) >= 0` for `|t| >= r` (one
/// unbounded interval per side), `h` proved smooth throughout.
fn increasing_up_to(slope: &Slope, d: f64, r: f64) -> bool {
    let sides = [(d, r, 1.0), (-r, -d, -1.0)];
    let tails = [(r, f64::INFINITY, 1.0), (f64::NEG_INFINITY, -r, -1.0)];
    sides
        .iter()
        .all(|&(lo, hi, sign)| signed_on_cover(slope, lo, hi, sign))
        && tails
            .iter()
            .all(|&(lo, hi, sign)| weakly_signed(slope, lo, hi, sign))
}

/// The sign of the tape's output at `t = 0`: exact when rational, else from an enclosure that
/// is the point `[0, 0]` or excludes 0 (`exp(0)`, `log(1)` are exact in interval arithmetic);
/// `None` when undefined or undecided.
fn sign_at_zero(tape: &Tape) -> Option<Ordering> {
    match value_at(tape, 0, &[Rational::new()]) {
        PointValue::Exact(v) => Some(v.cmp0()),
        PointValue::Enclosure(i) if i.inf() == 0.0 && i.sup() == 0.0 => Some(Ordering::Equal),
        PointValue::Enclosure(i) if i.inf() > 0.0 => Some(Ordering::Greater),
        PointValue::Enclosure(i) if i.sup() < 0.0 => Some(Ordering::Less),
        _ => None,
    }
}

/// `h^(k)(0)/k!` when the `k`-th derivative of `h` evaluates exactly at 0 (a rational
/// value); an enclosure gives `None`, since only its sign is proved.
fn leading_coefficient(ha: &mut Arena, h: ExprId, k: u32) -> Option<Rational> {
    let mut d = h;
    for _ in 0..k {
        d = ha.derivative(d, 0);
    }
    match value_at(&Tape::compile(ha, &[d]), 0, &[Rational::new()]) {
        PointValue::Exact(v) => {
            let factorial = (1..=k).fold(Rational::from(1), |acc, j| acc * Rational::from(j));
            Some(v / factorial)
        }
        _ => None,
    }
}

/// A radius `d` (a power of two) such that the tape of `[h, h', ..., h^(k)]` is proved smooth
/// on `[-d, d]` with `h^(k) > 0` there.
fn taylor_radius(tape: &Tape, k: usize) -> Option<f64> {
    let mut scratch = Vec::new();
    let mut out = vec![Interval::EMPTY; k + 1];
    [1.0, 0.25, 1.0 / 16.0, 1.0 / 256.0, 1.0 / 65536.0]
        .into_iter()
        .find(|&d| {
            let x = [Interval::try_from((-d, d)).expect("interval")];
            matches!(
                tape.eval_interval_smooth(&x, &mut scratch, &mut out),
                Ok(true)
            ) && out[k].inf() > 0.0
        })
}

/// `h'` as a tape, with its canonical form when that is a rational function of `t` (no
/// `exp`, `log`, roots or kinks): `t^2/(1 + t^2)` differentiates to `2t/(1 + t^2) -
/// 2t^3/(1 + t^2)^2`, whose natural enclosure on `[r, inf)` is `inf - inf`, while the
/// canonical `2t/(1 + t^2)^2` encloses to `[0, inf)`. The two agree wherever `h'` is defined.
struct Slope {
    tape: Tape,
    rational: Option<Tape>,
}

impl Slope {
    fn new(ha: &mut Arena, d1: ExprId) -> Slope {
        let rational = ngd_algebra::canonicalize(ha, d1)
            .ok()
            .filter(|c| c.is_atom_free())
            .map(|c| {
                let e = c.to_expr(ha);
                Tape::compile(ha, &[e])
            });
        Slope {
            tape: Tape::compile(ha, &[d1]),
            rational,
        }
    }

    /// Whether `h` is proved smooth on `x` (the tape of `h'` evaluates there with every
    /// nonsmooth operation away from its kink) with `sign * h' > 0` (`>= 0` when `weak`).
    fn signed_on(&self, x: Interval, sign: f64, weak: bool) -> bool {
        let mut scratch = Vec::new();
        let mut out = [Interval::EMPTY];
        if !matches!(
            self.tape.eval_interval_smooth(&[x], &mut scratch, &mut out),
            Ok(true)
        ) {
            return false;
        }
        let signed = |v: Interval| {
            let v = v * Interval::try_from((sign, sign)).expect("sign");
            if weak {
                v.inf() >= 0.0
            } else {
                v.inf() > 0.0
            }
        };
        signed(out[0])
            || self.rational.as_ref().is_some_and(|r| {
                matches!(
                    r.eval_interval_smooth(&[x], &mut scratch, &mut out),
                    Ok(true)
                ) && signed(out[0])
            })
    }
}

/// `sign * h' > 0` on all of `[lo, hi]` (finite, `0 < lo` or `hi < 0`), by a cover of at most
/// [`MAX_INTERVALS`] intervals with dyadic ends (geometric splits on wide ranges).
fn signed_on_cover(slope: &Slope, lo: f64, hi: f64, sign: f64) -> bool {
    let mut todo = vec![(lo, hi)];
    let mut used = 0;
    while let Some((a, b)) = todo.pop() {
        used += 1;
        if used > MAX_INTERVALS {
            return false;
        }
        let x = Interval::try_from((a, b)).expect("ordered ends");
        if slope.signed_on(x, sign, false) {
            continue;
        }
        let mid = split_point(a, b);
        if !(a < mid && mid < b) {
            return false;
        }
        todo.push((a, mid));
        todo.push((mid, b));
    }
    true
}

/// The split of `[a, b]` (same sign): the geometric middle (a power-of-two multiple of the
/// end nearer 0) when the ends differ by more than a factor 4, else the midpoint.
fn split_point(a: f64, b: f64) -> f64 {
    let (near, far) = if a > 0.0 { (a, b) } else { (-b, -a) };
    let s = if a > 0.0 { 1.0 } else { -1.0 };
    if far > 4.0 * near {
        let k = ((far / near).log2() / 2.0).floor();
        s * near * 2f64.powi(k as i32)
    } else {
        (a + b) / 2.0
    }
}

/// `sign * h' >= 0` on the unbounded `[lo, hi]`, in one interval evaluation.
fn weakly_signed(slope: &Slope, lo: f64, hi: f64, sign: f64) -> bool {
    match Interval::try_from((lo, hi)) {
        Ok(x) => slope.signed_on(x, sign, true),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_parse::{parse_expr, Params};

    fn recognised(f: &str) -> Option<(String, u32, String)> {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let fe = parse_expr(&mut a, f, &Params::new()).unwrap();
        recognise(&a, fe).map(|o| (a.display(o.g), o.order, o.formula))
    }

    #[test]
    fn recognises_increasing_losses() {
        for (f, g, k) in [
            ("log(1 + (x*y - 1)^2)", "x*y - 1", 2),
            ("sqrt(1 + (x*y - 1)^2) - 1", "x*y - 1", 2),
            ("(x*y - 1)^2 + (x*y - 1)^4", "x*y - 1", 2),
            ("1 - exp(-(x - y)^2)", "x - y", 2),
            ("exp((x*y - 1)^4) - 1", "x*y - 1", 4),
            ("(x^2 + 1)^2 - 1", "x", 2),
            ("(x*y - 1)^2/(1 + (x*y - 1)^2)", "x*y - 1", 2),
        ] {
            let (gg, kk, _) = recognised(f).unwrap_or_else(|| panic!("{f} not recognised"));
            assert_eq!((gg.as_str(), kk), (g, k), "{f}");
        }
    }

    #[test]
    fn leading_coefficients_are_exact_taylor_coefficients() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        for (f, lead) in [
            ("log(1 + (x*y - 1)^2)", Some((1, 1))),
            ("3*log(1 + (x - y)^2)", Some((3, 1))),
            ("sqrt(1 + (x*y - 1)^2) - 1", Some((1, 2))),
            ("(x*y - 1)^2/(1 + (x*y - 1)^2)", Some((1, 1))),
            ("exp((x*y - 1)^4) - 1", Some((1, 1))),
        ] {
            let fe = parse_expr(&mut a, f, &Params::new()).unwrap();
            let o = recognise(&a, fe).unwrap_or_else(|| panic!("{f} not recognised"));
            assert_eq!(o.leading, lead.map(Rational::from), "{f}");
        }
    }

    #[test]
    fn rejects_outer_functions_that_are_not_increasing_or_not_smooth() {
        for f in [
            // minimum not at 0: g = x*y gives (t - 1)^2, g = x*y - 1 gives t^2 + 1.
            "(x*y - 1)^2 + 1",
            // decreasing for |t| > 1: a second valley of equal height is not a minimum at 0
            "(x*y - 1)^2 - (x*y - 1)^4/4",
            // kink at 0: no Taylor argument (|t| + t^2 has h'(0+) = 1)
            "abs(x*y - 1) + (x*y - 1)^2",
            // h' = 0 at |t| = 2 (a plateau ring of critical points off M)
            "((x*y - 1)^2 - 4)^3 + 64",
            // depends on y outside g
            "log(1 + (x - 1)^2) + y",
            // odd order
            "(x*y - 1)^3",
            // log(t^2) is undefined at 0
            "log((x*y - 1)^2 + 1) - log((x*y - 1)^2)",
        ] {
            assert_eq!(recognised(f), None, "{f}");
        }
    }

    #[test]
    fn a_narrow_dip_far_out_is_found() {
        // h(t) = t^2 - 50 t^2 exp(-(t - 10)^2) dips below 0 near t = 10: not increasing.
        assert_eq!(
            recognised("(x-y)^2 - 50*(x-y)^2*exp(-((x-y) - 10)^2)"),
            None
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Whatever polynomial `h` is accepted is increasing in `|t|` with `h(0) = 0`, checked
        /// independently: exact rational values of `h` and `t h'` on a grid of `t`.
        #[test]
        fn accepted_polynomials_are_increasing(
            c2 in 0i64..4,
            rest in proptest::collection::vec(-3i64..4, 4),
        ) {
            // h'(0) = 0 and mostly h''(0) > 0, so that many draws pass the test at 0 and the
            // far behaviour decides.
            let coeffs: Vec<i64> = [0, c2].into_iter().chain(rest).collect();
            let h = |t: &Rational| -> Rational {
                coeffs.iter().enumerate().fold(Rational::new(), |acc, (j, &c)| {
                    acc + Rational::from(c) * rug::ops::Pow::pow(t.clone(), (j + 1) as i32)
                })
            };
            let dh = |t: &Rational| -> Rational {
                coeffs.iter().enumerate().fold(Rational::new(), |acc, (j, &c)| {
                    acc + Rational::from(c * (j as i64 + 1)) * rug::ops::Pow::pow(t.clone(), j as i32)
                })
            };
            let formula: Vec<String> = coeffs
                .iter()
                .enumerate()
                .map(|(j, c)| format!("({c})*(x - y)^{}", j + 1))
                .collect();
            if let Some((_, _, _)) = recognised(&formula.join(" + ")) {
                for k in (-400i64..=400).filter(|&k| k != 0) {
                    let t = Rational::from((k, 8));
                    proptest::prop_assert!(h(&t) > 0, "h({t}) <= 0 for {coeffs:?}");
                    proptest::prop_assert!((t.clone() * dh(&t)).cmp0().is_gt(), "t h'({t}) <= 0");
                }
            }
        }
    }
}
