//! The converse as a discover document prints it, parsed back into exact polynomials: the
//! case's variables, the proposed `phi`, the converse's residuals, flat equations, `E`, point
//! of `M` and steps, and the flat set it is about (the flat points the converse was run on,
//! `proposal.vanishing.points`, or the one flat component's printed equations).

use super::{certificate, join, parse_poly};
use ngd_algebra::Poly;
use ngd_expr::Arena;
use ngd_sos::SosCertificate;
use rug::Rational;
use serde_json::Value;

/// One step of the chain.
pub(crate) struct Step {
    /// `e_j`.
    pub equation: Poly,
    /// The certificate's target (`-e_j^2` when honest).
    pub target: Poly,
    /// The certificate's equations.
    pub equations: Vec<Poly>,
    /// The certificate.
    pub certificate: SosCertificate,
}

/// The flat set the converse is about.
pub(crate) enum FlatSet {
    /// Finitely many points; `None` where a coordinate is not an exact rational.
    Points(Vec<Option<Vec<Rational>>>),
    /// One flat component, given by its printed equations.
    Equations(Vec<Poly>),
}

/// Everything the converse's re-check reads.
pub(crate) struct Document {
    /// The case's variables.
    pub names: Vec<String>,
    /// The proposed `phi` as printed (`proposal.display`).
    pub phi_text: String,
    /// `phi`.
    pub phi: Poly,
    /// The printed residuals.
    pub residual_texts: Vec<String>,
    /// The residuals.
    pub residuals: Vec<Poly>,
    /// The printed equations of the flat set.
    pub flat_equations: Vec<Poly>,
    /// The printed `E`.
    pub e: Poly,
    /// The printed exact point of `M`.
    pub point_of_m: Vec<Rational>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The flat set.
    pub flat_set: FlatSet,
}

impl Document {
    /// Reads the document, or says what could not be read.
    pub fn read(report: &Value) -> Result<Document, String> {
        let names = crate::case_variable_names(&report["case"])
            .ok_or("the variables of the case (`case.search_box`)")?;
        let mut arena = Arena::new(names.clone());
        let c = &report["zero_set"]["converse"];
        let phi_text = text(
            &report["proposal"]["display"],
            "the proposal (`proposal.display`)",
        )?;
        let phi = poly(&mut arena, &phi_text, "the proposed phi")?;
        // The case summary of a discover document prints the proposed phi as its regularizer.
        if let Some(regularizer) = report["case"]["regularizer"].as_str() {
            if poly(&mut arena, regularizer, "case.regularizer")? != phi {
                return Err("case.regularizer: not the proposed phi".into());
            }
        }
        let residual_texts = texts(&c["residuals"], "the residuals")?;
        let residuals = polys(&mut arena, &residual_texts, "a residual")?;
        let flat_texts = texts(&c["flat_equations"], "the flat equations")?;
        let flat_equations = polys(&mut arena, &flat_texts, "a flat equation")?;
        let e = poly(&mut arena, &text(&c["e"], "E")?, "E")?;
        let point_of_m = texts(&c["point_of_m"], "point_of_m")?
            .iter()
            .map(|s| rational(&mut arena, s))
            .collect::<Option<Vec<_>>>()
            .filter(|p| p.len() == names.len())
            .ok_or("point_of_m: not an exact rational point of the case's dimension")?;
        let steps = c["steps"]
            .as_array()
            .ok_or("the steps")?
            .iter()
            .enumerate()
            .map(|(j, s)| step(&mut arena, &names, s).map_err(|w| format!("steps[{j}]: {w}")))
            .collect::<Result<Vec<_>, _>>()?;
        let flat_set = flat_set(&mut arena, report)?;
        Ok(Document {
            names,
            phi_text,
            phi,
            residual_texts,
            residuals,
            flat_equations,
            e,
            point_of_m,
            steps,
            flat_set,
        })
    }

    /// `p` printed in the case's variables.
    pub fn print(&self, p: &Poly) -> String {
        ngd_sos::print(p, &self.names)
    }

    /// What the chain states.
    pub fn chain_statement(&self) -> String {
        let equations: Vec<String> = self.steps.iter().map(|s| self.print(&s.equation)).collect();
        format!(
            "for e_j = {} in order, -e_j^2 >= 0 on V(g, phi, e_1, ..., e_(j-1)), so e_j = 0 there",
            equations.join(", ")
        )
    }

    /// What the converse concludes.
    pub fn conclusion_statement(&self) -> String {
        let g = self.residual_texts.join(", ");
        let set = match &self.flat_set {
            FlatSet::Points(points) => {
                let shown: Vec<String> = points
                    .iter()
                    .map(|p| {
                        p.as_ref()
                            .map_or("(not exact)".into(), |p| format!("({})", join(p)))
                    })
                    .collect();
                format!("the flat points {}", shown.join(", "))
            }
            FlatSet::Equations(component) => {
                let shown: Vec<String> = component.iter().map(|q| self.print(q)).collect();
                format!("the flat component V({})", shown.join(", "))
            }
        };
        format!("phi = 0 on M = V({g}) only at {set} (every e_j = 0 on V({g}, phi))")
    }
}

/// One step: its equation, and its claim's target, equations and certificate, in the case's
/// variables.
fn step(arena: &mut Arena, names: &[String], s: &Value) -> Result<Step, String> {
    let claim = &s["claim"];
    let variables = texts(&claim["variables"], "the claim's variables")?;
    if variables != names {
        return Err(format!(
            "the claim's variables {variables:?} are not the case's {names:?}"
        ));
    }
    let equation_texts = texts(&claim["equations"], "the claim's equations")?;
    Ok(Step {
        equation: poly(
            arena,
            &text(&s["equation"], "the equation")?,
            "the equation",
        )?,
        target: poly(arena, &text(&claim["target"], "the target")?, "the target")?,
        equations: polys(arena, &equation_texts, "an equation of the claim")?,
        certificate: certificate(&claim["certificate"]).ok_or("the certificate")?,
    })
}

/// The flat set the converse was run on: the one component's equations when C3's flat set is
/// sampled components, else the flat points of the vanishing check.
fn flat_set(arena: &mut Arena, report: &Value) -> Result<FlatSet, String> {
    let proposal = &report["proposal"];
    if report["flat_set_source"]["kind"] == "sampled_components" {
        let sets = proposal["equation_sets"].as_array().map(Vec::as_slice);
        let [set] = sets.unwrap_or_default() else {
            return Err("the one flat component's equations (`proposal.equation_sets`)".into());
        };
        let eqs = texts(&set["equations"], "the flat component's equations")?;
        return polys(arena, &eqs, "an equation of the flat component").map(FlatSet::Equations);
    }
    let points = proposal["vanishing"]["points"]
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or("the flat points (`proposal.vanishing.points`)")?;
    let mut out = Vec::new();
    for p in points {
        let coords = texts(&p["point"], "a flat point")?;
        let exact: Option<Vec<Rational>> = coords.iter().map(|c| rational(arena, c)).collect();
        if exact.as_ref().is_some_and(|e| e.len() != arena.n_vars()) {
            return Err(format!(
                "the flat point {coords:?}: not of the case's dimension"
            ));
        }
        out.push(exact);
    }
    listed_points_agree(arena, &report["flat_set_source"], &out)?;
    Ok(FlatSet::Points(out))
}

/// The points C3 lists (`flat_set_source.points`, the first few, and `more`) are the flat
/// points of the vanishing check: as many, and every listed exact point among them.
fn listed_points_agree(
    arena: &mut Arena,
    source: &Value,
    points: &[Option<Vec<Rational>>],
) -> Result<(), String> {
    if source["kind"] != "computed_by_c3" {
        return Ok(());
    }
    let listed = texts(&source["points"], "flat_set_source.points")?;
    let more = source["more"].as_u64().ok_or("flat_set_source.more")?;
    if listed.len() as u64 + more != points.len() as u64 {
        return Err("flat_set_source: not as many points as proposal.vanishing.points".into());
    }
    for text in &listed {
        let inner = text.trim().trim_start_matches('(').trim_end_matches(')');
        let coords: Option<Vec<Rational>> = inner
            .split(',')
            .map(|c| rational(arena, c.trim()))
            .collect();
        if let Some(c) = coords {
            if !points.iter().flatten().any(|p| *p == c) {
                return Err(format!(
                    "flat_set_source.points {text}: not a point of proposal.vanishing.points"
                ));
            }
        }
    }
    Ok(())
}

/// A string field.
fn text(v: &Value, what: &str) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| what.to_string())
}

/// An array of strings.
fn texts(v: &Value, what: &str) -> Result<Vec<String>, String> {
    v.as_array()
        .and_then(|a| a.iter().map(|s| s.as_str().map(str::to_string)).collect())
        .ok_or_else(|| what.to_string())
}

/// The largest exponent read: squares and monomial multiples of the printed polynomials must
/// stay within what `ngd_algebra::Poly` holds (`2^30`, a panic beyond).
const MAX_EXPONENT: i32 = 1 << 20;

/// A syntactic polynomial (exponents from 0 to [`MAX_EXPONENT`]).
fn poly(arena: &mut Arena, src: &str, what: &str) -> Result<Poly, String> {
    let p = parse_poly(arena, src).ok_or_else(|| format!("{what} `{src}`: not a polynomial"))?;
    let in_range = |e: &i32| (0..=MAX_EXPONENT).contains(e);
    if !p.terms().all(|(m, _)| m.iter().all(in_range)) {
        return Err(format!("{what} `{src}`: an exponent beyond 2^20"));
    }
    Ok(p)
}

/// Syntactic polynomials.
fn polys(arena: &mut Arena, srcs: &[String], what: &str) -> Result<Vec<Poly>, String> {
    srcs.iter().map(|s| poly(arena, s, what)).collect()
}

/// An exact rational constant (a polynomial without variables), if `src` is one.
fn rational(arena: &mut Arena, src: &str) -> Option<Rational> {
    let p = parse_poly(arena, src)?;
    if p.terms().any(|(m, _)| m.iter().any(|&e| e != 0)) {
        return None;
    }
    Some(p.coeff(&vec![0; p.n_vars()]))
}
