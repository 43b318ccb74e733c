//! Sum-of-squares certificates re-checked: every object of the report that carries a
//! `certificate` with a `target`, `variables` and `equations` (an `ngd_sos::SosClaim`).

use crate::{Claim, Failure, Item};
use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use ngd_sos::SosCertificate;
use serde_json::Value;

/// Walks the report and re-checks every SOS claim found.
pub fn collect(v: &Value, path: &str, out: &mut Vec<Item>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("certificate") && m.contains_key("target") {
                out.push(Item {
                    claim: Claim::SumOfSquares {
                        path: path.to_string(),
                        target: v["target"].as_str().unwrap_or_default().to_string(),
                    },
                    failure: check(v),
                });
                return;
            }
            for (k, c) in m {
                collect(c, &crate::child_path(path, k), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                collect(c, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// `None` when the claim's certificate proves its printed target on its printed set.
fn check(claim: &Value) -> Option<Failure> {
    let unreadable = |what: String| Some(Failure::Unreadable { what });
    let Some(names) = claim["variables"].as_array().and_then(|a| {
        a.iter()
            .map(|s| s.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
    }) else {
        return unreadable("the certificate's variables".into());
    };
    let mut arena = Arena::new(names);
    let mut poly = |src: &str| {
        let e = parse_expr(&mut arena, src, &Params::new()).ok()?;
        ngd_sos::syntactic_poly(&arena, e)
    };
    let Some(target) = claim["target"].as_str().and_then(&mut poly) else {
        return unreadable("the certificate's target polynomial".into());
    };
    let mut equations = Vec::new();
    for e in claim["equations"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        match e.as_str().and_then(&mut poly) {
            Some(g) => equations.push(g),
            None => return unreadable(format!("the equation {e}")),
        }
    }
    let cert: SosCertificate = match serde_json::from_value(claim["certificate"].clone()) {
        Ok(c) => c,
        Err(e) => return unreadable(format!("the certificate ({e})")),
    };
    cert.verify(&target, &equations)
        .err()
        .map(|error| Failure::Certificate { error })
}
