//! C1 re-checked: the identity `I = <grad f, grad phi>` rebuilt from the printed `f` and `phi`.

use crate::{Claim, Failure, Item};
use ngd_algebra::{zero_test, Poly, ZeroTest};
use ngd_certify::{enclose_box, RationalBox};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};
use ngd_parse::{parse_expr, Params};
use rug::Rational;
use serde_json::Value;

/// `f`, `phi` and `I` parsed back from the report's case summary.
pub struct Problem {
    arena: Arena,
    f: ExprId,
    phi: ExprId,
    identity: ExprId,
}

impl Problem {
    /// Parses the case summary (`objective`, `regularizer`, the variable names of
    /// `search_box`).
    pub fn from_case(case: &Value) -> Result<Problem, String> {
        let names = crate::case_variable_names(case)
            .ok_or("the case has no `search_box` with a variable name in every entry")?;
        let mut arena = Arena::new(names);
        let mut parse = |key: &str| -> Result<ExprId, String> {
            let src = case
                .get(key)
                .and_then(Value::as_str)
                .ok_or(format!("no `{key}`"))?;
            parse_expr(&mut arena, src, &Params::new())
                .map_err(|e| format!("`{key}` does not parse: {}", e.message))
        };
        let f = parse("objective")?;
        let phi = parse("regularizer")?;
        let (gf, gp) = (arena.gradient(f), arena.gradient(phi));
        let identity = arena.dot(&gf, &gp);
        Ok(Problem {
            arena,
            f,
            phi,
            identity,
        })
    }

    /// `I` as a polynomial, when `f` and `phi` are syntactic polynomials (computed by
    /// polynomial arithmetic, not by the canonical forms the check used).
    fn identity_poly(&self) -> Option<Poly> {
        let fp = ngd_sos::syntactic_poly(&self.arena, self.f)?;
        let pp = ngd_sos::syntactic_poly(&self.arena, self.phi)?;
        let n = self.arena.n_vars();
        let mut identity = Poly::zero(n);
        for i in 0..n {
            let (a, b) = (fp.derivative(i), pp.derivative(i));
            // Too large to expand: the canonical form (with its own work limit) decides.
            if !ngd_sos::product_fits(&a, &b) {
                return None;
            }
            identity = identity.add(&a.mul(&b));
        }
        Some(identity)
    }
}

/// The C1 claims: "conserved" and every witness of the section.
pub fn recheck_c1(p: &Problem, c1: &Value) -> Vec<Item> {
    let mut items = Vec::new();
    if c1.get("conserved").and_then(Value::as_str) == Some("proved") {
        items.push(Item {
            claim: Claim::Conserved,
            failure: conserved(p),
        });
    }
    let mut witnesses = Vec::new();
    find_witnesses(c1, "conservation", &mut witnesses);
    for (path, w) in witnesses {
        items.push(Item {
            claim: Claim::Witness { path },
            failure: witness(p, w),
        });
    }
    items
}

/// `None` when `I` is zero: as a polynomial, else by its exact canonical form.
fn conserved(p: &Problem) -> Option<Failure> {
    if let Some(i) = p.identity_poly() {
        return (!i.is_zero()).then_some(Failure::NotZero);
    }
    match zero_test(&p.arena, p.identity) {
        ZeroTest::Zero => None,
        ZeroTest::NonZero => Some(Failure::NotZero),
        ZeroTest::Undecided(_) => Some(Failure::Undecided),
    }
}

/// Every object with `point`, `value` and `sign` under `v`, with its JSON path.
fn find_witnesses<'a>(v: &'a Value, path: &str, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("point") && m.contains_key("value") && m.contains_key("sign") {
                out.push((path.to_string(), v));
                return;
            }
            for (k, c) in m {
                find_witnesses(c, &crate::child_path(path, k), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                find_witnesses(c, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// `None` when `I` at the witness point has the printed exact value, or an enclosure of the
/// printed sign.
fn witness(p: &Problem, w: &Value) -> Option<Failure> {
    let unreadable = |what: &str| Some(Failure::Unreadable { what: what.into() });
    let Some(point) = w["point"].as_array().and_then(|a| {
        a.iter()
            .map(|c| {
                c.as_str()
                    .and_then(|s| Rational::parse(s).ok())
                    .map(Rational::from)
            })
            .collect::<Option<Vec<_>>>()
    }) else {
        return unreadable("the witness point");
    };
    if point.len() != p.arena.n_vars() {
        return unreadable("the witness point (wrong dimension)");
    }
    let tape = Tape::compile(&p.arena, &[p.identity]);
    match w["value"]["kind"].as_str() {
        Some("exact") => {
            let printed = w["value"]["value"].as_str().unwrap_or_default();
            let found = tape
                .eval::<Rational>(&(), &point)
                .ok()
                .map(|v| v[0].clone());
            match found {
                Some(v) if v.to_string() == printed => None,
                other => Some(Failure::WrongValue {
                    printed: printed.to_string(),
                    found: other.map_or("undefined".into(), |v| v.to_string()),
                }),
            }
        }
        Some("enclosure") => {
            let sign = w["sign"].as_i64().unwrap_or(0);
            let bx = RationalBox::new(point.clone(), point).expect("a point is a box");
            let found = enclose_box(&tape, &bx).map(|e| e.value);
            let holds = found
                .is_some_and(|iv| (sign < 0 && iv.sup() < 0.0) || (sign > 0 && iv.inf() > 0.0));
            (!holds).then(|| Failure::WrongValue {
                printed: format!("sign {sign}"),
                found: found.map_or("undefined".into(), |iv| {
                    format!("[{:e}, {:e}]", iv.inf(), iv.sup())
                }),
            })
        }
        _ => unreadable("the witness value"),
    }
}
