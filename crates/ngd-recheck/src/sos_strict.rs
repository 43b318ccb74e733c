//! C4 by sums of squares re-checked against the case (docs/math.md, C4 "Sums of squares"):
//! the SOS claim `decrease.sos.claim` and the strict certificate
//! `decrease.sos.strict.certificate` are tied to `phi` and the residuals printed in the report.
//!
//! From the case: `phi` and the residuals `g_i` as syntactic polynomials, `M = {g_i = 0}`
//! confirmed as `argmin f` (`f = c g^k`, `k` even, `c > 0`, or `f = sum g_i^2`), and
//! `T(x, y) = -v^T Hess(phi) v` with `v = J^T y` (`v = grad g` and no `y` for one residual),
//! the variables `x` then `y1, ..., ym`. Then:
//! - the claim's printed target is exactly `T` and its equations are none or exactly the
//!   residuals (else the certified polynomial is not C4's, whatever its certificate proves);
//! - the strict certificate: its squares `q_k` recomputed from the claim's Gram matrix by
//!   recheck's own `L D L^T` ([`crate::sos::squares`]), the identity
//!   `(phi - c)^power F = sum_i a_i g_i + sum_k b_k q_k` expanded exactly with `F` rebuilt
//!   (`1`, or `|J^T y|^2`), the lower bound's target exactly `phi - c` on none or exactly the
//!   residuals (its certificate verified), and for `F = |J^T y|^2` the identity
//!   `1 = sum_i c_i g_i + sum_{i,a} d_ia dg_i/dx_a` (`J != 0` on `M`); `F = 1` goes with one
//!   residual only, where `T > 0` itself excludes `grad g = 0`.
//!
//! Why that proves `Q < 0` on `M \ S`: at `x` in `M` with `phi(x) > c` and any `y` with
//! `J^T y != 0`, the left side is non-zero and every `g_i` vanishes, so some `q_k != 0` and
//! `T = sum_k q_k^2 / p_k >= q_k^2 / p_k > 0`; `phi >= c` on `M` makes every point of `M`
//! with `phi = c` a minimizer, so `M \ S` lies in `{phi > c}`.

use crate::decrease::CoverModel;
use crate::sos::{claim_polynomials, rational, squares, terms_poly, verify};
use crate::{Claim, Failure, Item};
use ngd_algebra::Poly;
use ngd_sos::SosCertificate;
use rug::Rational;
use serde_json::Value;

/// The JSON path of the SOS claim `T >= 0`.
const CLAIM_PATH: &str = "decrease.sos.claim";
/// The JSON path of the strict certificate.
const STRICT_PATH: &str = "decrease.sos.strict.certificate";
/// The largest power of `phi - c` expanded (the search tries at most a few).
const MAX_POWER: u32 = 8;

/// `phi` and the residuals of the case, in the case's variables.
pub(crate) struct CaseModel {
    names: Vec<String>,
    phi: Poly,
    residuals: Vec<Poly>,
}

impl CaseModel {
    /// The number of `y` variables of `T` (none for one residual).
    fn m(&self) -> usize {
        if self.residuals.len() == 1 {
            0
        } else {
            self.residuals.len()
        }
    }

    /// The variables of `T`: the case's, then `y1, ..., ym` (`yy1, ...` and so on while a
    /// case variable is already called so; the rule the report's writer follows).
    fn form_names(&self) -> Vec<String> {
        let mut names = self.names.clone();
        let mut stem = String::from("y");
        while (1..=self.m()).any(|i| names.contains(&format!("{stem}{i}"))) {
            stem.push('y');
        }
        names.extend((1..=self.m()).map(|i| format!("{stem}{i}")));
        names
    }

    /// The residuals in the variables of `T`.
    fn residuals_xy(&self) -> Vec<Poly> {
        let nv = self.names.len() + self.m();
        self.residuals.iter().map(|g| g.extend_vars(nv)).collect()
    }

    /// `v = J^T y` (for one residual `grad g`), in the variables of `T`.
    fn normal(&self) -> Vec<Poly> {
        let (n, m) = (self.names.len(), self.m());
        let nv = n + m;
        (0..n)
            .map(|a| {
                self.residuals
                    .iter()
                    .enumerate()
                    .fold(Poly::zero(nv), |acc, (i, g)| {
                        let d = g.derivative(a).extend_vars(nv);
                        acc.add(&if m == 0 {
                            d
                        } else {
                            d.mul(&Poly::var(n + i, nv))
                        })
                    })
            })
            .collect()
    }

    /// `T = -v^T Hess(phi) v`; `None` when a product exceeds `ngd_sos::MAX_PRODUCT_WORK`.
    fn decrease_form(&self) -> Option<Poly> {
        let n = self.names.len();
        let nv = n + self.m();
        let v = self.normal();
        let mut t = Poly::zero(nv);
        for a in 0..n {
            let da = self.phi.derivative(a);
            let mut row = Poly::zero(nv);
            for (b, vb) in v.iter().enumerate() {
                row = row.add(&checked_mul(&da.derivative(b).extend_vars(nv), vb)?);
            }
            t = t.sub(&checked_mul(&v[a], &row)?);
        }
        Some(t)
    }
}

/// `a * b` when within `ngd_sos::MAX_PRODUCT_WORK` term products.
fn checked_mul(a: &Poly, b: &Poly) -> Option<Poly> {
    ngd_sos::product_fits(a, b).then(|| a.mul(b))
}

/// `phi` and the residuals from the report's case data, once `decrease.rs`'s `model_of`
/// confirms that they are polynomials whose zero set is `M = argmin f` (`f = c g^k`, `k` even,
/// `c > 0`, or `f = sum g_i^2` by polynomial arithmetic; `f = K + sum c_i h_i(g)` from its
/// syntax).
pub(crate) fn case_model(report: &Value) -> Result<CaseModel, Failure> {
    let names = crate::case_variable_names(&report["case"]).ok_or_else(|| Failure::Unreadable {
        what: "case.search_box".into(),
    })?;
    match crate::decrease::model_of(report) {
        Ok(CoverModel::Poly(m)) => Ok(CaseModel {
            names,
            phi: m.phi.poly().clone(),
            residuals: m.residuals.iter().map(|g| g.poly().clone()).collect(),
        }),
        Ok(CoverModel::Smooth(_)) => Err(Failure::Unreadable {
            what: "case.regularizer and the residuals as polynomials".into(),
        }),
        Err(reason) => Err(Failure::WrongValue {
            printed: "case.objective: M = {g_i = 0} = argmin f".into(),
            found: format!("not confirmed ({reason:?})"),
        }),
    }
}

/// Re-checks `decrease.sos` against the case: the failure of the SOS item of
/// `decrease.sos.claim` (already in `items`) is set when its target is not `T`, and one item
/// is added for a proved strict certificate.
pub(crate) fn recheck_sos_decrease(report: &Value, items: &mut Vec<Item>) {
    let sos = &report["decrease"]["sos"];
    if sos["kind"].as_str() != Some("non_positive") {
        return;
    }
    let model = case_model(report);
    let form = model.as_ref().map_err(Clone::clone).and_then(|m| {
        let t = m.decrease_form().ok_or_else(too_large)?;
        check_form(m, &t, &sos["claim"]).map(|()| t)
    });
    if let Err(failure) = &form {
        amend(items, failure.clone());
    }
    let strict = &sos["strict"];
    if strict["kind"].as_str() != Some("proved") {
        return;
    }
    let cert = &strict["certificate"];
    let failure = match (&model, &form) {
        (Ok(m), Ok(t)) => check_strict(m, t, &sos["claim"], cert).err(),
        (Err(f), _) | (_, Err(f)) => Some(f.clone()),
    };
    items.push(Item {
        claim: Claim::StrictDecrease {
            path: STRICT_PATH.into(),
            statement: statement_text(cert),
        },
        failure,
    });
}

/// What the strict certificate states, for the item.
fn statement_text(cert: &Value) -> String {
    match cert["statement"]["c"].as_str() {
        Some(c) => format!("T > 0 on M where phi > {c}"),
        None => "T > 0 on all of M".into(),
    }
}

/// Sets the failure of the SOS item of `decrease.sos.claim` (adds the item if missing).
fn amend(items: &mut Vec<Item>, failure: Failure) {
    let found = items.iter_mut().find(
        |i| matches!(&i.claim, Claim::SumOfSquares { path, .. } if path.as_str() == CLAIM_PATH),
    );
    match found {
        Some(item) => {
            item.failure.get_or_insert(failure);
        }
        None => items.push(Item {
            claim: Claim::SumOfSquares {
                path: CLAIM_PATH.into(),
                target: "T".into(),
                equations: Vec::new(),
            },
            failure: Some(failure),
        }),
    }
}

/// The failure of a polynomial too large to expand within the product budget.
fn too_large() -> Failure {
    Failure::Unreadable {
        what: format!(
            "decrease.sos: T or (phi - c)^power F within {} term products",
            ngd_sos::MAX_PRODUCT_WORK
        ),
    }
}

/// A printed value at `path` that differs from the one rebuilt from the case.
fn mismatch(path: &str, printed: impl std::fmt::Display, found: impl std::fmt::Display) -> Failure {
    Failure::WrongValue {
        printed: format!("{path} = {printed}"),
        found: found.to_string(),
    }
}

/// `Ok` when the SOS claim's variables are `x` then `y`, its target is `T` and its equations
/// are none or exactly the residuals.
fn check_form(model: &CaseModel, t: &Poly, claim: &Value) -> Result<(), Failure> {
    let names = model.form_names();
    // A case variable named like a `y` variable would make the printed `T` ambiguous.
    let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
    if distinct.len() != names.len() {
        return Err(Failure::Unreadable {
            what: format!("{CLAIM_PATH}: distinct variables ({})", names.join(", ")),
        });
    }
    check_printed(claim, CLAIM_PATH, &names, t, &model.residuals_xy())
}

/// `Ok` when the SOS claim at `path` is printed in the variables `names`, its target is
/// `expected` and its equations are none or exactly `residuals`.
fn check_printed(
    claim: &Value,
    path: &str,
    names: &[String],
    expected: &Poly,
    residuals: &[Poly],
) -> Result<(), Failure> {
    let (printed_names, target, equations) =
        claim_polynomials(claim).map_err(|what| Failure::Unreadable {
            what: format!("{path}: {what}"),
        })?;
    if printed_names != names {
        let at = format!("{path}.variables");
        return Err(mismatch(&at, printed_names.join(", "), names.join(", ")));
    }
    if !target.sub(expected).is_zero() {
        let at = format!("{path}.target");
        return Err(mismatch(
            &at,
            ngd_sos::print(&target, names),
            ngd_sos::print(expected, names),
        ));
    }
    if !equations.is_empty() && equations != residuals {
        let printed: Vec<String> = equations.iter().map(|g| ngd_sos::print(g, names)).collect();
        let found: Vec<String> = residuals.iter().map(|g| ngd_sos::print(g, names)).collect();
        let at = format!("{path}.equations");
        return Err(mismatch(&at, printed.join(", "), found.join(", ")));
    }
    Ok(())
}

/// A field of the strict certificate as a value, or why it cannot be read.
fn field<'a>(cert: &'a Value, key: &str) -> Result<&'a Value, Failure> {
    cert.get(key)
        .filter(|v| !v.is_null())
        .ok_or_else(|| Failure::Unreadable {
            what: format!("{STRICT_PATH}.{key}"),
        })
}

/// Sparse polynomials printed as lists of `(exponents, coefficient)` terms, in `nv` variables.
fn polys(v: &Value, nv: usize, path: &str) -> Result<Vec<Poly>, Failure> {
    let terms: Vec<Vec<(Vec<u32>, String)>> =
        serde_json::from_value(v.clone()).map_err(|e| Failure::Unreadable {
            what: format!("{path} ({e})"),
        })?;
    terms
        .iter()
        .map(|t| terms_poly(t, nv))
        .collect::<Result<_, _>>()
        .map_err(|error| Failure::Unreadable {
            what: format!("{path} ({error:?})"),
        })
}

/// `Ok` when the strict certificate proves its statement for the case's `phi` and residuals
/// (`t`: `T` rebuilt; `claim`: the SOS claim whose squares it uses).
fn check_strict(model: &CaseModel, t: &Poly, claim: &Value, cert: &Value) -> Result<(), Failure> {
    let (n, nv) = (model.names.len(), model.names.len() + model.m());
    let residuals = model.residuals_xy();
    // The squares come from the claim's certificate, re-verified against the rebuilt `T`.
    let (_, _, equations) = claim_polynomials(claim).map_err(|what| Failure::Unreadable {
        what: format!("{CLAIM_PATH}: {what}"),
    })?;
    let sos: SosCertificate =
        serde_json::from_value(claim["certificate"].clone()).map_err(|e| Failure::Unreadable {
            what: format!("{CLAIM_PATH}.certificate ({e})"),
        })?;
    let certificate = |error| Failure::Certificate { error };
    verify(&sos, t, &equations).map_err(certificate)?;
    let qs: Vec<Poly> = squares(&sos, nv)
        .map_err(certificate)?
        .into_iter()
        .map(|(q, _)| q)
        .collect();
    let (c, power) = statement(model, cert)?;
    let f = factor(model, cert)?;
    let a = polys(
        field(cert, "residual_multipliers")?,
        nv,
        "residual_multipliers",
    )?;
    let b = polys(field(cert, "square_multipliers")?, nv, "square_multipliers")?;
    if a.len() != residuals.len() || b.len() != qs.len() {
        let at = format!("{STRICT_PATH}: multipliers (residuals, squares)");
        let found = format!("({}, {}) generators", residuals.len(), qs.len());
        return Err(mismatch(&at, format!("({}, {})", a.len(), b.len()), found));
    }
    let shifted = model.phi.sub(&Poly::constant(c, n)).extend_vars(nv);
    let mut lhs = f;
    for _ in 0..power {
        lhs = checked_mul(&lhs, &shifted).ok_or_else(too_large)?;
    }
    let generators = residuals.iter().chain(&qs);
    let diff = a
        .iter()
        .chain(&b)
        .zip(generators)
        .try_fold(lhs, |acc, (mult, g)| Some(acc.sub(&checked_mul(mult, g)?)))
        .ok_or_else(too_large)?;
    if !diff.is_zero() {
        let at = format!("{STRICT_PATH}: (phi - c)^power F - sum a_i g_i - sum b_k q_k");
        return Err(mismatch(&at, "0", format!("{} non-zero terms", diff.len())));
    }
    Ok(())
}

/// `(c, power)` of the statement: `above_phi` with its lower bound `phi - c >= 0` on `M`
/// checked, or `everywhere` with power 0.
fn statement(model: &CaseModel, cert: &Value) -> Result<(Rational, u32), Failure> {
    let path = format!("{STRICT_PATH}.statement");
    let power = field(cert, "power")?
        .as_u64()
        .and_then(|p| u32::try_from(p).ok())
        .ok_or_else(|| Failure::Unreadable {
            what: format!("{STRICT_PATH}.power"),
        })?;
    match field(cert, "statement")?["kind"].as_str() {
        Some("everywhere") if power == 0 => Ok((Rational::new(), 0)),
        Some("everywhere") => Err(mismatch(&format!("{STRICT_PATH}.power"), power, 0)),
        Some("above_phi") if (1..=MAX_POWER).contains(&power) => {
            let printed = cert["statement"]["c"].as_str().unwrap_or_default();
            let c = rational(printed).map_err(|_| Failure::Unreadable {
                what: format!("{path}.c"),
            })?;
            lower_bound(model, field(cert, "lower_bound")?, &c)?;
            Ok((c, power))
        }
        Some("above_phi") => Err(mismatch(
            &format!("{STRICT_PATH}.power"),
            power,
            format!("between 1 and {MAX_POWER}"),
        )),
        _ => Err(Failure::Unreadable {
            what: format!("{path}.kind"),
        }),
    }
}

/// `Ok` when the lower bound's target is `phi - c` on none or exactly the residuals, in the
/// case's variables, and its certificate proves it.
fn lower_bound(model: &CaseModel, claim: &Value, c: &Rational) -> Result<(), Failure> {
    let path = format!("{STRICT_PATH}.lower_bound");
    let n = model.names.len();
    let expected = model.phi.sub(&Poly::constant(c.clone(), n));
    check_printed(claim, &path, &model.names, &expected, &model.residuals)?;
    let (_, target, equations) = claim_polynomials(claim).map_err(|what| Failure::Unreadable {
        what: format!("{path}: {what}"),
    })?;
    let sos: SosCertificate =
        serde_json::from_value(claim["certificate"].clone()).map_err(|e| Failure::Unreadable {
            what: format!("{path}.certificate ({e})"),
        })?;
    verify(&sos, &target, &equations).map_err(|error| Failure::Certificate { error })
}

/// `F` rebuilt from the factor, after checking its normal-space argument: `one` (one
/// residual, `implied_by_membership`) or `normal_norm` (`|J^T y|^2`, with the identity of
/// `normal_space.kind == proved`).
fn factor(model: &CaseModel, cert: &Value) -> Result<Poly, Failure> {
    let nv = model.names.len() + model.m();
    let space = field(cert, "normal_space")?;
    let kind = space["kind"].as_str();
    match (field(cert, "factor")?.as_str(), kind) {
        (Some("one"), Some("implied_by_membership")) if model.m() == 0 => {
            Ok(Poly::constant(1.into(), nv))
        }
        (Some("normal_norm"), Some("proved")) => {
            normal_space(model, space)?;
            Ok(model
                .normal()
                .iter()
                .fold(Poly::zero(nv), |acc, v| acc.add(&v.mul(v))))
        }
        (printed, _) => Err(mismatch(
            &format!("{STRICT_PATH}.factor, normal_space.kind"),
            format!("{}, {}", printed.unwrap_or("?"), kind.unwrap_or("?")),
            "one with implied_by_membership (one residual), or normal_norm with proved",
        )),
    }
}

/// `Ok` when `1 = sum_i c_i g_i + sum_{i,a} d_ia dg_i/dx_a` exactly: `J != 0` on all of `M`.
fn normal_space(model: &CaseModel, space: &Value) -> Result<(), Failure> {
    let path = format!("{STRICT_PATH}.normal_space");
    let n = model.names.len();
    let read = |key: &str| {
        space
            .get(key)
            .filter(|v| !v.is_null())
            .ok_or_else(|| Failure::Unreadable {
                what: format!("{path}.{key}"),
            })
    };
    let c = polys(
        read("residual_multipliers")?,
        n,
        "normal_space.residual_multipliers",
    )?;
    let rows = read("derivative_multipliers")?.as_array();
    let d: Vec<Vec<Poly>> = rows
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|row| polys(row, n, "normal_space.derivative_multipliers"))
        .collect::<Result<_, _>>()?;
    let k = model.residuals.len();
    if c.len() != k || d.len() != k || d.iter().any(|row| row.len() != n) {
        return Err(mismatch(
            &format!("{path}: multipliers"),
            format!("{} and {} rows", c.len(), d.len()),
            format!("{k} and {k} rows of {n}"),
        ));
    }
    let mut diff = Poly::constant(1.into(), n);
    for (i, g) in model.residuals.iter().enumerate() {
        diff = diff.sub(&checked_mul(&c[i], g).ok_or_else(too_large)?);
        for (a, da) in d[i].iter().enumerate() {
            diff = diff.sub(&checked_mul(da, &g.derivative(a)).ok_or_else(too_large)?);
        }
    }
    if diff.is_zero() {
        Ok(())
    } else {
        let at = format!("{path}: 1 - sum c_i g_i - sum d_ia dg_i/dx_a");
        Err(mismatch(&at, "0", format!("{} non-zero terms", diff.len())))
    }
}

#[cfg(test)]
mod tests;
