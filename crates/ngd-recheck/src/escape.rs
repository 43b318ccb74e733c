//! C5 escapes re-checked: the printed curve leaves every bounded set (a coordinate tends to
//! `+-inf`), `F(x(t))` rebuilt from the printed case and curve equals the printed restriction
//! by an exact canonical form, and its limit as `t -> +inf` is recomputed (docs/math.md C5,
//! "refuted by an exact escape ray or curve").
//!
//! The small path covers restrictions that are rational functions of `t` (no `abs`, `sign`,
//! `exp`, ... left after the substitution): a polynomial's limit from its leading term, a
//! rational function's finite limit as the value at `s = 0` of `r(1/s)`. Other escapes are
//! listed as not covered, never as holding.

use crate::outcome::Outcome;
use crate::{Claim, Failure, Item};
use ngd_algebra::{canonicalize, zero_test, ZeroTest};
use ngd_expr::{Arena, ExprId, Func, Node};
use ngd_parse::{parse_expr, Params};
use rug::Rational;
use serde_json::Value;

/// A claim of the report the small path does not decide, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct NotCovered {
    /// The JSON path of the claim.
    pub path: String,
    /// Why the small path does not decide it.
    pub reason: NotCoveredReason,
}

/// Why the small path does not decide a claim (tagged by `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotCoveredReason {
    /// A variable of the case is named `t`, like the curve's parameter.
    VariableNamedT,
    /// `F` has an even root or a logarithm: the small path does not decide that the curve
    /// stays in its domain (canonical forms forget domains).
    RestrictedDomain,
    /// `F` along the curve has no canonical form.
    NoCanonicalForm,
    /// `F` along the curve is not a rational function of `t` (`abs`, `sign`, `exp`, ...
    /// remain).
    NotRationalInT,
    /// The restriction is a rational function with a pole at infinity, whose limit the small
    /// path does not compute.
    PoleAtInfinity,
    /// C4: `f`, `phi` or the printed residuals are not syntactic polynomials, and `f` is not
    /// `K + sum c_i h_i(g)` (`c_i > 0`) for the one printed `g` with every `h_i` on recheck's
    /// list (`t^k`, `k` even; `|t|`; `log(1 + t^2)`; `(1 + t^2)^e`, `e > 0`).
    NotPolynomial,
    /// C4: `f = c g^k` (`k` even, `c > 0`) or `f = sum g_i^2` is not confirmed for the
    /// printed residuals, so their zero set is not known to be `M`.
    EquationsNotConfirmed,
    /// C4: the report does not list the leaves of its exact cover (`decrease.cover.tree`).
    CoverLeavesNotListed,
    /// C4: the local argument closing an excluded neighbourhood of a point of `S`.
    LocalArgument,
    /// `phi = 0` on `S`: a coordinate of the witness is not `r k^(p/q)` with a positive
    /// integer `k` and small parts, so its place in the box is not compared exactly.
    WitnessNotRadical,
    /// `phi = 0` on `S`: `f >= inf f` is not re-derived from the syntax of `f` (a constant
    /// plus positive multiples of terms that are nonnegative by syntax).
    LowerBoundNotRederived,
    /// `phi = 0` on `S`: `f(w)` or `phi(w)` is neither proved equal to the printed value nor
    /// proved different (the canonical form keeps root atoms, or the interval evaluation at
    /// `w` meets a possible pole or domain boundary).
    ExactValueUndecided,
    /// C4's refutation: `f` is not proved smooth at the point (a possible kink, where the
    /// normalized subdifferential may hold other directions), `grad f != 0` or the sign of
    /// the increase is not decided, or `phi` is not enclosed there.
    RefutationUndecided,
    /// `discover`'s converse: the real common zeros of the residuals and the chain's
    /// equations are not confined to the printed flat set by the small exact rules (a
    /// coordinate without an equation in it alone, irrational roots, or a grid over budget).
    FlatSetNotConfined,
}

/// The escapes of the C5 section (`coercivity.escape` for its target, `coercivity.f_alone.escape`
/// for `f`), each re-checked or listed as not covered.
pub fn recheck_escapes(report: &Value, items: &mut Vec<Item>, not_covered: &mut Vec<NotCovered>) {
    let Some(c5) = report.get("coercivity").filter(|c| !c.is_null()) else {
        return;
    };
    let main_target = c5["argument"]["target"].as_str().unwrap_or("f_plus_phi");
    let escapes = [
        ("coercivity.escape", &c5["escape"], main_target),
        ("coercivity.f_alone.escape", &c5["f_alone"]["escape"], "f"),
    ];
    for (path, escape, target) in escapes {
        if !escape.is_object() {
            continue;
        }
        let with_phi = target == "f_plus_phi";
        let claim = Claim::Escape {
            path: path.to_string(),
            target: if with_phi { "f + phi" } else { "f" }.to_string(),
            limit: escape["limit"].as_str().unwrap_or_default().to_string(),
        };
        check(&report["case"], escape, with_phi).record(claim, path, items, not_covered);
    }
}

fn unreadable(what: &str) -> Outcome {
    Outcome::Fails(Failure::Unreadable { what: what.into() })
}

/// The whole check of one escape.
fn check(case: &Value, escape: &Value, with_phi: bool) -> Outcome {
    let Some(names) = crate::case_variable_names(case) else {
        return unreadable("the variables of the case");
    };
    if names.iter().any(|v| v == "t") {
        return Outcome::NotCovered(NotCoveredReason::VariableNamedT);
    }
    let n = names.len();
    let mut arena = Arena::new(names.into_iter().chain(["t".to_string()]).collect());
    let mut parse =
        |src: Option<&str>| -> Option<ExprId> { parse_expr(&mut arena, src?, &Params::new()).ok() };
    let Some(f) = parse(case["objective"].as_str()) else {
        return unreadable("the objective");
    };
    let phi = if with_phi {
        match parse(case["regularizer"].as_str()) {
            Some(p) => Some(p),
            None => return unreadable("the regularizer"),
        }
    } else {
        None
    };
    let curve: Option<Vec<ExprId>> = escape["curve"]
        .as_array()
        .filter(|a| a.len() == n)
        .and_then(|a| a.iter().map(|c| parse(c.as_str())).collect());
    let Some(mut subst) = curve else {
        return unreadable("the curve");
    };
    let Some(restriction) = parse(escape["restriction"].as_str()) else {
        return unreadable("the restriction");
    };
    if has_restricted_domain(&arena, f) || phi.is_some_and(|p| has_restricted_domain(&arena, p)) {
        return Outcome::NotCovered(NotCoveredReason::RestrictedDomain);
    }
    // An escape must leave every bounded set: some coordinate tends to +-inf.
    let unbounded = subst.iter().any(|&c| {
        matches!(
            limit_at_infinity(&mut arena, c),
            Some(Limit::PlusInfinity | Limit::MinusInfinity)
        )
    });
    if !unbounded {
        return Outcome::Fails(Failure::NotAnEscape);
    }
    let t = arena.var(n);
    subst.push(t);
    let big_f = match phi {
        Some(p) => arena.add2(f, p),
        None => f,
    };
    let along = arena.substitute(big_f, &subst);
    restriction_and_limit(&mut arena, along, restriction, escape["limit"].as_str())
}

/// Whether `e` contains an even root or a logarithm, whose domain a canonical form forgets
/// (`sqrt(x)^2` reduces to `x`, defined for `x < 0` too).
fn has_restricted_domain(arena: &Arena, e: ExprId) -> bool {
    arena
        .postorder(&[e])
        .into_iter()
        .any(|id| match arena.node(id) {
            Node::Pow(_, p) => p.denom().is_even(),
            Node::Func(Func::Log, _) => true,
            _ => false,
        })
}

/// `F(x(t)) == restriction` exactly, and the restriction's limit is the printed one.
fn restriction_and_limit(
    arena: &mut Arena,
    along: ExprId,
    restriction: ExprId,
    printed: Option<&str>,
) -> Outcome {
    let Ok(form) = canonicalize(arena, along) else {
        return Outcome::NotCovered(NotCoveredReason::NoCanonicalForm);
    };
    if !form.is_atom_free() {
        return Outcome::NotCovered(NotCoveredReason::NotRationalInT);
    }
    let diff = arena.sub(along, restriction);
    match zero_test(arena, diff) {
        ZeroTest::Zero => {}
        ZeroTest::NonZero => return Outcome::Fails(Failure::NotZero),
        ZeroTest::Undecided(_) => return Outcome::Fails(Failure::Undecided),
    }
    let Some(found) = limit_at_infinity(arena, restriction) else {
        return Outcome::NotCovered(NotCoveredReason::PoleAtInfinity);
    };
    let printed = printed.unwrap_or_default();
    let same = match (&found, printed) {
        (Limit::MinusInfinity, "-inf") => true,
        (Limit::Finite(v), p) => Rational::parse(p).is_ok_and(|q| Rational::from(q) == *v),
        _ => false,
    };
    if same {
        Outcome::Holds
    } else {
        Outcome::Fails(Failure::WrongValue {
            printed: printed.to_string(),
            found: match found {
                Limit::MinusInfinity => "-inf".into(),
                Limit::PlusInfinity => "+inf".into(),
                Limit::Finite(v) => v.to_string(),
            },
        })
    }
}

enum Limit {
    Finite(Rational),
    MinusInfinity,
    PlusInfinity,
}

/// The limit of `r(t)` (a rational function of the last variable `t` only) as `t -> +inf`:
/// from the leading term of a polynomial; for a quotient, the value at `s = 0` of `r(1/s)`
/// when defined there. `None` otherwise.
fn limit_at_infinity(arena: &mut Arena, r: ExprId) -> Option<Limit> {
    let n = arena.n_vars();
    let t_index = n - 1;
    if arena.free_vars(r).iter().any(|&v| v != t_index) {
        return None;
    }
    if let Some(p) = canonicalize(arena, r).ok().and_then(|c| c.to_poly()) {
        let (degree, lead) = p
            .terms()
            .map(|(e, c)| (e[t_index], c.clone()))
            .max_by_key(|(d, _)| *d)
            .unwrap_or((0, Rational::new()));
        return Some(match (degree.cmp(&0), lead.cmp0()) {
            (std::cmp::Ordering::Less, _) => Limit::Finite(Rational::new()),
            (std::cmp::Ordering::Equal, _) => Limit::Finite(lead),
            (_, std::cmp::Ordering::Less) => Limit::MinusInfinity,
            _ => Limit::PlusInfinity,
        });
    }
    let t = arena.var(t_index);
    let s = arena.powi(t, -1);
    let mut subst: Vec<ExprId> = (0..n).map(|i| arena.var(i)).collect();
    subst[t_index] = s;
    let at_s = arena.substitute(r, &subst);
    let form = canonicalize(arena, at_s).ok()?;
    let mut point = vec![Rational::new(); n];
    point[t_index] = Rational::new();
    form.eval_rational(&point).map(Limit::Finite)
}
