//! C4's refutation (`decrease.refutation`) re-checked: one NGD step of the printed `f` from
//! the printed exact point with the printed exact step increases `phi`.
//!
//! The point and the step are parsed back as exact rationals, the point is compared exactly
//! with the search box, and `grad f` at the point is exact rational arithmetic when `f` is a
//! syntactic polynomial (else the smooth evaluator over the point, which also proves `f`
//! smooth around it: at a possible kink the normalized subdifferential may hold other
//! directions, and one increasing direction refutes nothing, so the claim is not covered).
//! With `grad f != 0`, `N f(x) = {u}`, `u = grad f / |grad f|`; `|grad f|` is enclosed by
//! directed MPFR square roots, so `x - a u` is a tiny rational box. `phi` over it is the
//! exact value at its centre plus a mean-value bound (syntactic polynomial `phi`), else the
//! smooth evaluator's enclosure. The step increases `phi` when the lower end of `phi` after
//! it exceeds the upper end of `phi` before it.

use crate::escape::{NotCovered, NotCoveredReason};
use crate::interval::IPoly;
use crate::outcome::Outcome;
use crate::smooth::SmoothExprs;
use crate::{Claim, Failure, Item};
use inari::Interval;
use ngd_eval::interval_of;
use ngd_expr::{Arena, ExprId};
use ngd_parse::{parse_expr, Params};
use rug::float::Round;
use rug::{Float, Integer, Rational};
use serde_json::Value;

/// The JSON path of the refutation in a report.
const PATH: &str = "decrease.refutation";

/// MPFR precision of the enclosure of `|grad f|` (bits): the box `x - a u` is then far
/// narrower than any increase an `f64` enclosure can certify.
const SQRT_PRECISION: u32 = 256;

/// A closed rational interval `[lo, hi]`.
type Range = (Rational, Rational);

/// The printed case and witness, parsed back.
struct Witness {
    arena: Arena,
    f: ExprId,
    /// The symbolic gradient of `f` (used when `f` is not a syntactic polynomial).
    grad_f: Vec<ExprId>,
    phi: ExprId,
    names: Vec<String>,
    search_box: Vec<Range>,
    point: Vec<Rational>,
    step: Rational,
}

/// Re-checks `decrease.refutation` when the report has one: an item that holds or fails, or
/// an entry of `not_covered`.
pub fn recheck_refutation(
    report: &Value,
    items: &mut Vec<Item>,
    not_covered: &mut Vec<NotCovered>,
) {
    let w = &report["decrease"]["refutation"];
    if !w.is_object() {
        return;
    }
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|c| c.as_str().unwrap_or("?").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let claim = Claim::DecreaseWitness {
        path: PATH.into(),
        point: strings(&w["point"]),
        step: w["step"].as_str().unwrap_or("?").to_string(),
    };
    check(&report["case"], w).record(claim, PATH, items, not_covered);
}

/// The whole check of one witness.
fn check(case: &Value, w: &Value) -> Outcome {
    let wit = match parse(case, w) {
        Ok(wit) => wit,
        Err(f) => return Outcome::Fails(f),
    };
    if wit.step <= 0 {
        return Outcome::Fails(Failure::WrongValue {
            printed: format!("step {}", wit.step),
            found: "an NGD step needs a step size > 0".into(),
        });
    }
    if let Some(f) = outside_box(&wit) {
        return Outcome::Fails(f);
    }
    let u = match direction(&wit) {
        Ok(u) => u,
        Err(o) => return o,
    };
    let after_box: Vec<Range> = wit
        .point
        .iter()
        .zip(&u)
        .map(|(x, (ulo, uhi))| {
            let lo = x - Rational::from(&wit.step * uhi);
            let hi = x - Rational::from(&wit.step * ulo);
            (lo, hi)
        })
        .collect();
    let at_point: Vec<Range> = wit.point.iter().map(|x| (x.clone(), x.clone())).collect();
    let (Some(before), Some(after)) = (phi_range(&wit, &at_point), phi_range(&wit, &after_box))
    else {
        return Outcome::NotCovered(NotCoveredReason::RefutationUndecided);
    };
    compare(w, &before, &after)
}

/// `f`, `phi`, the search box, the point and the step of the printed report.
fn parse(case: &Value, w: &Value) -> Result<Witness, Failure> {
    let unreadable = |what: &str| Failure::Unreadable { what: what.into() };
    let names = crate::case_variable_names(case)
        .ok_or_else(|| unreadable("the variable names of the case's search box"))?;
    let mut arena = Arena::new(names.clone());
    let mut expr = |key: &str| {
        let src = case[key].as_str().ok_or_else(|| unreadable(key))?;
        parse_expr(&mut arena, src, &Params::new())
            .map_err(|e| unreadable(&format!("`{key}` ({})", e.message)))
    };
    let (f, phi) = (expr("objective")?, expr("regularizer")?);
    let grad_f = arena.gradient(f);
    let search_box = case["search_box"]
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .map(|r| Some((exact(r.get(1)?.as_str()?)?, exact(r.get(2)?.as_str()?)?)))
                .collect::<Option<Vec<Range>>>()
        })
        .ok_or_else(|| unreadable("the search box of the case"))?;
    let point = w["point"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|c| exact(c.as_str()?))
                .collect::<Option<Vec<_>>>()
        })
        .filter(|p| p.len() == names.len())
        .ok_or_else(|| unreadable("the refutation's point (one exact number per variable)"))?;
    let step = w["step"]
        .as_str()
        .and_then(exact)
        .ok_or_else(|| unreadable("the refutation's step"))?;
    Ok(Witness {
        arena,
        f,
        grad_f,
        phi,
        names,
        search_box,
        point,
        step,
    })
}

/// An exact rational from `p/q`, an integer or a plain decimal (`-0.125`).
fn exact(s: &str) -> Option<Rational> {
    let s = s.trim();
    if let Ok(q) = Rational::parse(s) {
        return Some(Rational::from(q));
    }
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = body.split_once('.')?;
    let digits = format!("{int}{frac}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let numer: Integer = digits.parse().ok()?;
    let denom = Integer::from(Integer::u_pow_u(10, u32::try_from(frac.len()).ok()?));
    let q = Rational::from((numer, denom));
    Some(if neg { -q } else { q })
}

/// A failure naming the first coordinate of the point outside the search box.
fn outside_box(wit: &Witness) -> Option<Failure> {
    let at = (0..wit.point.len()).find(|&i| {
        let (lo, hi) = &wit.search_box[i];
        wit.point[i] < *lo || wit.point[i] > *hi
    })?;
    let (lo, hi) = &wit.search_box[at];
    Some(Failure::WrongValue {
        printed: format!("{} = {}", wit.names[at], wit.point[at]),
        found: format!("outside the search box [{lo}, {hi}]"),
    })
}

/// An enclosure of `u = grad f / |grad f|` at the point, one rational range per coordinate;
/// `Err` when `grad f` is zero (fails: no NGD step) or `f` is not proved smooth at the point,
/// or `grad f != 0` is not decided (not covered).
fn direction(wit: &Witness) -> Result<Vec<Range>, Outcome> {
    let undecided = || Outcome::NotCovered(NotCoveredReason::RefutationUndecided);
    if let Some(fp) = ngd_sos::syntactic_poly(&wit.arena, wit.f) {
        let grad: Vec<Rational> = (0..wit.point.len())
            .map(|i| fp.derivative(i).eval(&wit.point))
            .collect::<Option<_>>()
            .ok_or_else(undecided)?;
        let norm2 = grad
            .iter()
            .fold(Rational::new(), |s, g| s + Rational::from(g * g));
        if norm2 == 0 {
            return Err(Outcome::Fails(Failure::WrongValue {
                printed: "an NGD step at the point".into(),
                found: "grad f = 0 there".into(),
            }));
        }
        let (s_lo, s_hi) = sqrt_bounds(&norm2).ok_or_else(undecided)?;
        return Ok(grad.iter().map(|g| divide(g, &s_lo, &s_hi)).collect());
    }
    let n = wit.point.len();
    let mut roots = vec![wit.f];
    roots.extend(&wit.grad_f);
    let xs: Vec<Interval> = wit.point.iter().map(|x| interval_of(x, x)).collect();
    // `f` itself is evaluated too: its smooth evaluation proves `f` C^inf around the point.
    let values = SmoothExprs::new(&wit.arena, &roots)
        .and_then(|e| e.eval(&xs))
        .ok_or_else(undecided)?;
    let grad = &values[1..=n];
    let norm2 = grad.iter().fold(
        Interval::try_from((0.0, 0.0)).unwrap_or(Interval::ENTIRE),
        |s, g| s + g.sqr(),
    );
    if !norm2.is_common_interval() || norm2.inf() <= 0.0 {
        return Err(undecided());
    }
    let norm = norm2.sqrt();
    grad.iter()
        .map(|g| to_range(*g / norm))
        .collect::<Option<_>>()
        .ok_or_else(undecided)
}

/// Rational bounds `s_lo <= sqrt(q) <= s_hi` (`q > 0`) by directed MPFR square roots.
fn sqrt_bounds(q: &Rational) -> Option<(Rational, Rational)> {
    let bound = |round: Round| {
        let mut f = Float::with_val_round(SQRT_PRECISION, q, round).0;
        f.sqrt_round(round);
        f.to_rational()
    };
    let (lo, hi) = (bound(Round::Down)?, bound(Round::Up)?);
    (lo > 0).then_some((lo, hi))
}

/// The range of `g / s` for `s` in `[s_lo, s_hi]` (`s_lo > 0`).
fn divide(g: &Rational, s_lo: &Rational, s_hi: &Rational) -> Range {
    let (a, b) = (Rational::from(g / s_hi), Rational::from(g / s_lo));
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The exact rational bounds of a finite interval.
fn to_range(iv: Interval) -> Option<Range> {
    Some((Rational::from_f64(iv.inf())?, Rational::from_f64(iv.sup())?))
}

/// An enclosure of `phi` over the rational box `xs`: for a syntactic polynomial its exact
/// value at the centre plus `sum |d phi / d x_i| r_i` (partials enclosed over the box), else
/// the smooth evaluator's enclosure; `None` when not enclosed.
fn phi_range(wit: &Witness, xs: &[Range]) -> Option<Range> {
    let hull: Vec<Interval> = xs.iter().map(|(lo, hi)| interval_of(lo, hi)).collect();
    let Some(p) = ngd_sos::syntactic_poly(&wit.arena, wit.phi) else {
        let v = SmoothExprs::new(&wit.arena, &[wit.phi])?.eval(&hull)?[0];
        return to_range(v);
    };
    let centre: Vec<Rational> = xs
        .iter()
        .map(|(lo, hi)| Rational::from(lo + hi) / 2)
        .collect();
    let value = p.eval(&centre)?;
    let mut spread = Rational::new();
    for (i, (lo, hi)) in xs.iter().enumerate() {
        if lo == hi {
            continue;
        }
        let partial = IPoly::new(p.derivative(i)).enclose(&hull);
        let magnitude = Rational::from_f64(partial.mag())?;
        spread += magnitude * Rational::from(hi - lo) / 2;
    }
    Some((
        Rational::from(&value - &spread),
        Rational::from(&value + &spread),
    ))
}

/// The verdict from the enclosures of `phi` before and after the step, against the printed
/// enclosures and increase.
fn compare(w: &Value, before: &Range, after: &Range) -> Outcome {
    let least = Rational::from(&after.0 - &before.1);
    let most = Rational::from(&after.1 - &before.0);
    let show = |r: &Range| format!("[{:e}, {:e}]", r.0.to_f64(), r.1.to_f64());
    let found = format!(
        "phi(x) in {}, phi(x - a u) in {}, increase in [{:e}, {:e}]",
        show(before),
        show(after),
        least.to_f64(),
        most.to_f64()
    );
    if most <= 0 {
        return Outcome::Fails(Failure::WrongValue {
            printed: "one NGD step increases phi".into(),
            found,
        });
    }
    if least <= 0 {
        return Outcome::NotCovered(NotCoveredReason::RefutationUndecided);
    }
    for (key, ours) in [("phi_before", before), ("phi_after", after)] {
        let printed = printed_range(&w[key]);
        let meets = printed
            .as_ref()
            .is_some_and(|(lo, hi)| *lo <= ours.1 && ours.0 <= *hi);
        if !meets {
            return Outcome::Fails(Failure::WrongValue {
                printed: format!("{key} {}", w[key]),
                found,
            });
        }
    }
    let printed = w["increase_at_least"].as_f64().and_then(Rational::from_f64);
    match printed {
        Some(p) if p <= least => Outcome::Holds,
        _ => Outcome::Fails(Failure::WrongValue {
            printed: format!("increase_at_least {}", w["increase_at_least"]),
            found,
        }),
    }
}

/// A printed enclosure `[lo, hi]` (two finite numbers, `lo <= hi`).
fn printed_range(v: &Value) -> Option<Range> {
    let lo = Rational::from_f64(v.get(0)?.as_f64()?)?;
    let hi = Rational::from_f64(v.get(1)?.as_f64()?)?;
    (lo <= hi).then_some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The outcome of the refutation `w` for `f`, `phi` on `[-2, 2]^2` (variables `x`, `y`):
    /// `Ok(failure)` for an item, `Err(reason)` when not covered.
    fn run(f: &str, phi: &str, w: Value) -> Result<Option<Failure>, NotCoveredReason> {
        let report = json!({
            "case": {"objective": f, "regularizer": phi,
                     "search_box": [["x", "-2", "2"], ["y", "-2", "2"]]},
            "decrease": {"refutation": w},
        });
        let (mut items, mut not_covered) = (Vec::new(), Vec::new());
        recheck_refutation(&report, &mut items, &mut not_covered);
        assert_eq!(items.len() + not_covered.len(), 1);
        match (items.pop(), not_covered.pop()) {
            (Some(item), None) => Ok(item.failure),
            (None, Some(nc)) => Err(nc.reason),
            _ => unreachable!("exactly one entry"),
        }
    }

    /// From `(0, -1)` with `a = 1/10`, NGD of `f = y` (`u = (0, 1)`) moves to `(0, -1.1)`:
    /// `phi = y^2` goes from 1 to 1.21.
    fn honest() -> Value {
        json!({"point": ["0", "-1.0"], "step": "1/10", "phi_before": [1.0, 1.0],
               "phi_after": [1.2099999, 1.2100001], "increase_at_least": 0.2099})
    }

    #[test]
    fn an_honest_witness_holds() {
        assert_eq!(run("y", "y^2", honest()), Ok(None));
    }

    #[test]
    fn a_moved_point_where_phi_decreases_fails() {
        // From (0, 1) the same step moves to (0, 0.9): phi drops from 1 to 0.81.
        let mut w = honest();
        w["point"] = json!(["0", "1"]);
        assert!(matches!(
            run("y", "y^2", w),
            Ok(Some(Failure::WrongValue { .. }))
        ));
    }

    #[test]
    fn a_point_outside_the_box_fails() {
        // From (0, -3) phi increases too, but the point is outside [-2, 2]^2.
        let mut w = honest();
        w["point"] = json!(["0", "-3"]);
        let Ok(Some(Failure::WrongValue { printed, found })) = run("y", "y^2", w) else {
            panic!("a point outside the box must fail");
        };
        assert_eq!(printed, "y = -3");
        assert!(found.contains("outside the search box [-2, 2]"), "{found}");
    }

    #[test]
    fn a_step_of_zero_or_below_fails() {
        for step in ["0", "-1/10"] {
            let mut w = honest();
            w["step"] = json!(step);
            assert!(
                matches!(run("y", "y^2", w), Ok(Some(Failure::WrongValue { .. }))),
                "{step}"
            );
        }
    }

    #[test]
    fn a_printed_increase_or_enclosure_not_reproduced_fails() {
        let mut w = honest();
        w["increase_at_least"] = json!(0.25);
        let Ok(Some(Failure::WrongValue { printed, .. })) = run("y", "y^2", w) else {
            panic!("an increase larger than the true one must fail");
        };
        assert!(printed.starts_with("increase_at_least"), "{printed}");
        let mut w = honest();
        w["phi_before"] = json!([0.5, 0.9]);
        assert!(matches!(
            run("y", "y^2", w),
            Ok(Some(Failure::WrongValue { .. }))
        ));
    }

    #[test]
    fn a_zero_gradient_fails_and_unreadable_fields_fail() {
        // grad (y^2) = 0 at y = 0: no NGD step.
        let mut w = honest();
        w["point"] = json!(["0", "0"]);
        assert!(matches!(
            run("y^2", "y^2", w),
            Ok(Some(Failure::WrongValue { .. }))
        ));
        let mut w = honest();
        w["point"] = json!(["0"]);
        assert!(matches!(
            run("y", "y^2", w),
            Ok(Some(Failure::Unreadable { .. }))
        ));
    }

    /// `x + 2 y = -1` at the point; `u = (1, 2)/sqrt(5)` (irrational), so `x + 2 y` drops by
    /// `sqrt(5)/10` and `phi = (x + 2 y)^2` rises from 1 to `(1 + sqrt(5)/10)^2 = 1.4972...`.
    fn irrational_direction() -> Value {
        json!({"point": ["1", "-1"], "step": "1/10", "phi_before": [1.0, 1.0],
               "phi_after": [1.4972, 1.4973], "increase_at_least": 0.4972})
    }

    #[test]
    fn an_irrational_direction_is_enclosed_on_both_paths() {
        // Polynomial f (exact gradient (1, 2) there), and exp (the smooth evaluator).
        for f in ["(x + 2*y)^3/3", "exp(x + 2*y)"] {
            assert_eq!(
                run(f, "(x + 2*y)^2", irrational_direction()),
                Ok(None),
                "{f}"
            );
            // The true increase is 0.49721359...: a printed 0.4973 is not reproduced.
            let mut w = irrational_direction();
            w["increase_at_least"] = json!(0.4973);
            assert!(
                matches!(
                    run(f, "(x + 2*y)^2", w),
                    Ok(Some(Failure::WrongValue { .. }))
                ),
                "{f}"
            );
        }
    }

    #[test]
    fn a_kink_of_f_at_the_point_is_not_covered() {
        // f = |x y| at (0, -1): the subdifferential holds +-(0, 1)-like directions besides
        // grad (x y); an increase along one direction refutes nothing.
        assert_eq!(
            run("abs(x*y)", "y^2", honest()),
            Err(NotCoveredReason::RefutationUndecided)
        );
        // Off the kink the same f is smooth: |x y| = -x y near (1/2, -1), grad = (1, -1/2),
        // and `phi = -x` rises by `a / sqrt(1.25) = 0.0894427...`.
        let w = json!({"point": ["0.5", "-1"], "step": "1/10", "phi_before": [-0.5, -0.5],
                       "phi_after": [-0.41056, -0.41055], "increase_at_least": 0.0894});
        assert_eq!(run("abs(x*y)", "-x", w), Ok(None));
    }

    #[test]
    fn exact_numbers_parse_and_others_do_not() {
        let q = |s: &str| exact(s);
        assert_eq!(q("-1.5"), Some(Rational::from((-3, 2))));
        assert_eq!(q("1/1000"), Some(Rational::from((1, 1000))));
        assert_eq!(q("7"), Some(Rational::from(7)));
        assert_eq!(
            q("0.00000000099999999999999965"),
            Some(Rational::from((99999999999999965u64, 10u64.pow(17))) / 10u64.pow(9))
        );
        for bad in ["1e-3", ".", "-", "1.2.3", "0x1", ""] {
            assert_eq!(q(bad), None, "{bad}");
        }
    }
}
