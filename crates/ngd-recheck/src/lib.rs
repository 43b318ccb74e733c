//! `recheck`: re-verifies the exact claims of a JSON report without running any search. It
//! reads the report as plain JSON (not through the checks' types), re-parses `f` and `phi`
//! from the printed case, and checks:
//! - C1 "conserved": `<grad f, grad phi>` is the zero polynomial (polynomial `f`, `phi`), else
//!   its exact canonical form is zero;
//! - every C1 witness: `<grad f, grad phi>` evaluated at the rational point, exactly (or by an
//!   outward-rounded enclosure) has the printed value and sign;
//! - every sum-of-squares certificate anywhere in the report: the printed polynomials parsed
//!   back, the identity over Q and the Gram matrix (symmetric) by recheck's own exact
//!   `L D L^T`;
//! - C4 by sums of squares (`decrease.sos`): the certified polynomial is C4's `T` rebuilt from
//!   the case's `phi` and residuals (else the SOS item of `decrease.sos.claim` fails), and a
//!   proved strict certificate (`decrease.sos.strict.certificate`): its squares recomputed
//!   from the Gram matrix, the membership identity `(phi - c)^power F = sum a_i g_i +
//!   sum b_k q_k` expanded exactly, the lower bound's target exactly `phi - c`, and the
//!   identity showing `J != 0` on `M` when `F = |J^T y|^2`;
//! - every C4 box printed (`decrease.cover.examples`, `decrease.certificate.examples`) and,
//!   when the report lists it, every leaf of the exact cover (`decrease.cover.tree`): the
//!   Hessian of `phi` and the normals enclosed by a small `inari` path (polynomial cases; `f`
//!   a listed increasing function of `g`, such as `log(1 + g^2)` or `|g|`; a non-polynomial
//!   `g` or `phi` by the smooth evaluator, which refuses possibly non-smooth boxes),
//!   and the local argument of every closed ball around a point of `S` whose `x` leaves the
//!   cover accepts (a rational point, or in the plane a point placed by a symmetry:
//!   re-proved from the printed chart box, `g` and `phi`, polynomial, Laurent or smooth;
//!   other arguments are listed as not covered);
//! - a complete order-`q` certificate (`decrease.degenerate.certificate`): on each printed
//!   chart of `M`, `g` and the lower orders vanish identically, and its boxes, rebuilt by the
//!   certificate's bisection rule, each lie off the search box, in a ball around `S`, or
//!   carry `D^q phi(x - b w)[w^q] <= -c q!` for `|b| <= a0` by a smooth interval enclosure of
//!   the remainder rebuilt from the case (one `decrease_cover` claim per chart);
//! - C4's refutation (`decrease.refutation`): the exact point in the search box by exact
//!   comparisons, `grad f` there nonzero (exact rational arithmetic for a polynomial `f`,
//!   else the smooth evaluator, which also proves `f` smooth around the point, so that
//!   `N f(x)` is the one direction `u = grad f/|grad f|`; a possible kink is not covered),
//!   and `phi(x - a u) > phi(x)` with the printed exact step `a`, by at least the printed
//!   `increase_at_least`, with enclosures meeting the printed ones;
//! - every C5 escape: `F(x(t))` rebuilt from the case and the printed curve equals the printed
//!   restriction exactly, and its limit is the printed one (rational restrictions; others are
//!   listed as not covered);
//! - `phi = 0` on `S` (`minima.flat.regularizer.phi_exact_zero`): `phi >= 0` by a small
//!   syntactic rule, the printed infimum equal to C2's proved lower bound and re-derived from
//!   the syntax of `f`, the witness in the search box by exact comparisons, and `f(w)`,
//!   `phi(w)` by the exact canonical form of the closed forms substituted (an undecided form
//!   is listed as not covered).
//!
//! ```
//! let report = serde_json::json!({
//!     "case": {"objective": "(x*y - 1)^2", "regularizer": "x^2 - y^2",
//!              "search_box": [["x", "-1", "1"], ["y", "-1", "1"]]},
//!     "conservation": {"conserved": "proved", "nonzero_witness": null},
//! });
//! let r = ngd_recheck::recheck(&report).unwrap();
//! assert_eq!(r.items.len(), 1);
//! assert!(r.all_hold());
//! ```

mod converse;
mod decrease;
mod escape;
mod identity;
mod interval;
mod outcome;
mod phi_zero;
mod refutation;
mod smooth;
mod sos;
mod sos_strict;

pub use escape::{NotCovered, NotCoveredReason};

use serde::Serialize;
use serde_json::Value;

/// One exact claim of the report, and whether it re-checked.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Item {
    /// What was claimed.
    pub claim: Claim,
    /// `None` when it holds; why not otherwise.
    pub failure: Option<Failure>,
}

/// The kinds of exact claims a report makes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Claim {
    /// C1: `phi` is conserved (`<grad f, grad phi> == 0`).
    Conserved,
    /// C1: `<grad f, grad phi>` has the printed value at the printed point.
    Witness {
        /// The JSON path of the witness.
        path: String,
    },
    /// C5: `F` (`f` or `f + phi`) has the printed limit along the printed curve.
    Escape {
        /// The JSON path of the escape.
        path: String,
        /// `f` or `f + phi`.
        target: String,
        /// The printed limit.
        limit: String,
    },
    /// C4: a certified box (`phi(x - a u) - phi(x) <= -c a^2` on it for `0 < a <= a_max`),
    /// re-proved by the small interval path.
    DecreaseBox {
        /// The JSON path of the box.
        path: String,
    },
    /// C4: the exact cover of the search box, every leaf of its bisection tree re-checked;
    /// or one chart of the order-`q` certificate, every box of its cover re-checked.
    DecreaseCover {
        /// The JSON path of the cover.
        path: String,
        /// The boxes of the tree (leaves and bisected boxes).
        boxes: usize,
    },
    /// C4 refuted: one NGD step of `f` with the printed exact step from the printed exact
    /// point (in the search box, `f` smooth there) increases `phi`.
    DecreaseWitness {
        /// The JSON path of the refutation.
        path: String,
        /// The start point, as printed (exact decimals or fractions).
        point: Vec<String>,
        /// The step size, as printed (exact).
        step: String,
    },
    /// C3: `min_M phi = 0`, so `phi = 0` on `S`: `phi >= 0` by its syntax, and the witness
    /// lies in the search box with `f(w) = inf f` and `phi(w) = 0` exactly.
    PhiExactZero {
        /// The JSON path of the claim.
        path: String,
        /// The witness, one closed form per coordinate.
        witness: Vec<String>,
    },
    /// C4 by sums of squares, strict: `T > 0` on `M` where `phi > c` (or on all of `M`) from
    /// the squares of the certificate of `T` by an exact ideal membership, so `Q < 0` on
    /// `M \ S`.
    StrictDecrease {
        /// The JSON path of the strict certificate.
        path: String,
        /// What it states (`T > 0 on M where phi > 0`).
        statement: String,
    },
    /// `discover`'s converse: `phi = 0` on `M` only on the flat set, from a chain of exact
    /// sum-of-squares steps (`-e_j^2 >= 0` on `V(g, phi, e_1, ..., e_(j-1))`) and the exact
    /// zero set of the residuals and the chain's equations.
    ZeroSetConverse {
        /// The JSON path of the chain (`zero_set.converse.steps`) or of its conclusion.
        path: String,
        /// What it states.
        statement: String,
    },
    /// A sum-of-squares certificate.
    SumOfSquares {
        /// The JSON path of the claim.
        path: String,
        /// The polynomial proved nonnegative.
        target: String,
        /// The equations of the set it is proved nonnegative on, as printed (none:
        /// everywhere).
        equations: Vec<String>,
    },
}

/// Why a claim does not re-check.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// A field is missing or an expression does not parse.
    Unreadable {
        /// What could not be read.
        what: String,
    },
    /// The identity is not zero.
    NotZero,
    /// The identity's exact form could not be decided.
    Undecided,
    /// The value at the witness differs from the printed one.
    WrongValue {
        /// The printed value.
        printed: String,
        /// The recomputed value (or enclosure).
        found: String,
    },
    /// The escape curve stays bounded (no coordinate tends to infinity).
    NotAnEscape,
    /// A C4 box's claim is not proved by the small interval path (the box, or the leaf of
    /// the cover, and its claim).
    BoxNotProved {
        /// Which box and claim.
        what: String,
    },
    /// The cover's tree does not match the printed cover (letters, counts, balls).
    CoverMismatch {
        /// What differs.
        what: String,
    },
    /// An expression is not nonnegative by the small syntactic rule (squares and even
    /// powers, roots, `abs`, `exp`, nonnegative constants, their sums and products).
    NotNonnegative {
        /// Which expression.
        what: String,
    },
    /// The certificate fails its exact check.
    Certificate {
        /// How.
        error: ngd_sos::CertificateError,
    },
}

/// Every exact claim found in a report, each re-checked.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Recheck {
    /// The title of the report re-checked (its `title`, else its `case.title`), when it has
    /// one. Not serialized: the JSON output of `recheck` carries it as its own `title`.
    #[serde(skip)]
    pub title: Option<String>,
    /// The claims in report order.
    pub items: Vec<Item>,
    /// Claims the small path does not decide (neither holding nor failing).
    pub not_covered: Vec<NotCovered>,
}

impl Recheck {
    /// Whether every claim re-checked.
    pub fn all_hold(&self) -> bool {
        self.items.iter().all(|i| i.failure.is_none())
    }
}

/// Why a report cannot be re-checked at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAReport(pub String);

/// Re-checks every exact claim of `report` (a parsed JSON report of `ngd-verify`).
pub fn recheck(report: &Value) -> Result<Recheck, NotAReport> {
    let mut items = Vec::new();
    if let Some(c1) = report.get("conservation").filter(|c| !c.is_null()) {
        let problem =
            identity::Problem::from_case(report.get("case").ok_or_else(|| {
                NotAReport("no `case` object: not a report of ngd-verify".into())
            })?)
            .map_err(NotAReport)?;
        items.extend(identity::recheck_c1(&problem, c1));
    }
    let mut not_covered = Vec::new();
    escape::recheck_escapes(report, &mut items, &mut not_covered);
    decrease::recheck_decrease(report, &mut items, &mut not_covered);
    refutation::recheck_refutation(report, &mut items, &mut not_covered);
    phi_zero::recheck_phi_zero(report, &mut items, &mut not_covered);
    converse::recheck_converse(report, &mut items, &mut not_covered);
    sos::collect(report, "", &mut items);
    sos_strict::recheck_sos_decrease(report, &mut items);
    let title = [&report["title"], &report["case"]["title"]]
        .into_iter()
        .find_map(|t| t.as_str())
        .map(str::to_string);
    Ok(Recheck {
        title,
        items,
        not_covered,
    })
}

/// The variable names of a report's case summary (the first entry of each `search_box` row).
fn case_variable_names(case: &Value) -> Option<Vec<String>> {
    case.get("search_box")?
        .as_array()?
        .iter()
        .map(|e| e.get(0).and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// The JSON path of the field `key` under `path` (`a.b`; no leading dot at the root).
fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
