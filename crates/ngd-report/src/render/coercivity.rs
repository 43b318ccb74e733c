//! Rendering of c5: coercivity of `f + phi`.

use super::sos::{sos_claim_text, sos_not_found_text};
use super::*;
use ngd_coercive::{
    CoercivityArgument, GrowthRoute, Inequality, SosGrowth, SphereEvidence, SphereTrend,
    SphereValue, Target,
};

pub(super) fn coercivity_blocks(b: &mut Vec<Block>, c: &CoercivityReport, with_phi: bool) {
    let what = if with_phi { "f + phi" } else { "f" };
    let verdict = match c.verdict {
        CoercivityVerdict::Coercive => "coercive",
        CoercivityVerdict::NotCoercive => "not coercive",
        CoercivityVerdict::Unknown => "undecided",
    };
    b.push(Block::Heading(format!(
        "C5 coercivity of {what}: {} - {verdict}",
        badge(c.evidence)
    )));
    if let Some(a) = argument_text(c) {
        b.push(Block::Field("argument".into(), a));
    }
    if let Some(g) = &c.certificate {
        b.push(Block::Field("certificate".into(), g.statement.clone()));
    }
    match &c.sos {
        Some(SosGrowth::Proved { claim, .. }) => {
            b.push(Block::Field("sum of squares".into(), sos_claim_text(claim)));
        }
        Some(SosGrowth::NotFound { reason }) => {
            b.push(Block::Field(
                "sum of squares".into(),
                sos_not_found_text(reason),
            ));
        }
        Some(SosGrowth::NotPolynomial) | None => {}
    }
    if let Some(e) = &c.escape {
        let kind = match e.kind {
            EscapeKind::Ray => "ray",
            EscapeKind::Curve => "curve",
        };
        b.push(Block::Field(
            format!("escape ({kind})"),
            format!(
                "x(t) = ({}): {what} = {} -> {} as t -> inf (exact)",
                e.curve.join(", "),
                e.restriction,
                e.limit
            ),
        ));
    }
    for s in &c.spheres {
        let text = match s.value {
            SphereValue::NotFound => format!(
                "min of {what} on the sphere of radius {:e}: not computed (at every point tried the value is undefined, or overflows even MPFR)",
                s.radius
            ),
            _ => format!(
                "min of {what} on the sphere of radius {:e}: {} at direction {} (numerical evidence)",
                s.radius,
                sphere_value_text(s),
                fmt_vec(&s.direction)
            ),
        };
        b.push(Block::Item(text));
    }
    b.push(Block::Field("numerical".into(), numerical_text(c)));
    if let Some(f) = &c.f_alone {
        let v = match f.verdict {
            CoercivityVerdict::Coercive => "coercive",
            CoercivityVerdict::NotCoercive => "not coercive",
            CoercivityVerdict::Unknown => "undecided",
        };
        let how = f
            .escape
            .as_ref()
            .map(|e| format!(": along ({}) f -> {}", e.curve.join(", "), e.limit))
            .or_else(|| argument_text(f).map(|a| format!(": {a}")))
            .unwrap_or_default();
        b.push(Block::Field(
            "f alone".into(),
            format!("{v} ({}){how}", f.evidence.label()),
        ));
    }
}

fn target_text(t: Target) -> &'static str {
    match t {
        Target::F => "f",
        Target::FPlusPhi => "f + phi",
    }
}

/// The argument that decided C5, in words (numbers from the certificate or the escape).
fn argument_text(c: &CoercivityReport) -> Option<String> {
    Some(match c.argument.as_ref()? {
        CoercivityArgument::NoVariables => "there are no variables: R^0 is bounded".into(),
        CoercivityArgument::Growth {
            target,
            phi_dropped,
            route,
        } => growth_text(c, *target, *phi_dropped, *route)?,
        CoercivityArgument::Escape { target } => {
            let e = c.escape.as_ref()?;
            let target = target_text(*target);
            let kind = match e.kind {
                EscapeKind::Ray => "ray",
                EscapeKind::Curve => "curve",
            };
            format!(
                "escape along the {kind} x(t) = ({}): {target} restricted to it is {} exactly (for all large t), \
                 whose limit as t -> inf is {}; so {target} stays bounded above along a path to infinity",
                e.curve.join(", "),
                e.restriction,
                e.limit
            )
        }
        CoercivityArgument::SumOfSquares { target } => {
            let Some(SosGrowth::Proved { k, eps, constant, .. }) = &c.sos else {
                return None;
            };
            let target = target_text(*target);
            let power = if *k == 1 { String::new() } else { format!("^{k}") };
            format!(
                "{target} >= {eps} (|x|^2){power} - {constant} everywhere, by an exact sum-of-squares certificate of {target} - {eps} (|x|^2){power} + {constant}; the right side tends to infinity"
            )
        }
        CoercivityArgument::Undecided => {
            "no proof and no exact escape were found within the limits; see the attempts and the sphere minima"
                .into()
        }
    })
}

/// The growth argument of the certificate in `c`, ending with its statement and inequalities.
fn growth_text(
    c: &CoercivityReport,
    target: Target,
    phi_dropped: bool,
    route: GrowthRoute,
) -> Option<String> {
    let g = c.certificate.as_ref()?;
    let target = target_text(target);
    let what = if phi_dropped {
        "phi >= 0 (each of its terms is structurally nonnegative) and f is coercive: "
    } else {
        ""
    };
    let (top, k, n, faces) = (g.top_degree, g.level, g.weights.len(), g.faces);
    let how = match route {
        GrowthRoute::LeadingForm => format!(
            "(a) the leading form (degree {top}) is positive on the unit sphere: its minimum on the \
             boundary of [-1,1]^{n} is >= {:.6e} (interval branch and bound on {faces} faces, {} boxes)",
            g.lower_bound, g.boxes
        ),
        GrowthRoute::LeadingPartOfLowerBound => format!(
            "(c) a lower bound of {target} whose leading part (degree {top}) is positive on the cube \
             boundary (>= {:.6e}, interval branch and bound on {faces} faces, {} boxes)",
            g.lower_bound, g.boxes
        ),
        GrowthRoute::WeightedDegree { polynomial } => {
            let kind = if polynomial { "(b)" } else { "(b, c)" };
            let scaled = if g.scale > 1 {
                format!(" (terms of degree d weighted by {}^(d - {k}))", g.scale)
            } else {
                String::new()
            };
            let vanish = if top > k {
                format!(" (the top part, degree {top}, vanishes on some directions)")
            } else {
                String::new()
            };
            let w: Vec<String> = g.weights.iter().map(u32::to_string).collect();
            format!(
                "{kind} weighted-degree argument with weights ({}): the parts of weighted degree >= {k}{scaled} \
                 are >= {:.6e} on the cube boundary (interval branch and bound on {faces} faces, {} boxes) \
                 while every higher partial sum is >= 0{vanish}",
                w.join(", "),
                g.lower_bound,
                g.boxes,
            )
        }
    };
    let mut argument = format!("{what}{how}; hence {}", g.statement);
    if !g.inequalities.is_empty() {
        let rules: Vec<String> = g.inequalities.iter().map(inequality_text).collect();
        argument.push_str(&format!("; inequalities used: {}", rules.join("; ")));
    }
    Some(argument)
}

/// An inequality of the lower bound, as a formula with its name.
fn inequality_text(i: &Inequality) -> String {
    match i {
        Inequality::SquareSplit { e } => format!(
            "(a + b)^2 >= (1 - e) a^2 - (1/e - 1) b^2 with e = {e}, for squares split into their top part a and the rest b"
        ),
        Inequality::ExpShifted { order: m, constant } => format!(
            "exp(c + h) >= (1 + c + c^2/2 + c^3/6) max(0, h)^{m}/{m}! for the constant c = {constant}"
        ),
        Inequality::ExpConstant => "exp(c) >= 1 + c + c^2/2 + c^3/6 for a constant c".into(),
        Inequality::ExpPower { order: 1 } => "exp(h) >= max(0, h)".into(),
        Inequality::ExpPower { order: m } => format!("exp(h) >= max(0, h)^{m}/{m}!"),
        Inequality::MaxSplit => "max(a, b) = (a + b)/2 + |a - b|/2".into(),
        Inequality::Triangle => {
            "|q| >= |q_top| - sum of |lower parts of q| (triangle inequality)".into()
        }
    }
}

/// What the sphere minima suggest, with the minima and the growth exponent ("" without
/// variables).
/// The smallest value found on a sphere: the `f64` value, the MPFR decimal beyond the `f64`
/// range, or why there is no number (never a bare `inf`).
fn sphere_value_text(s: &SphereEvidence) -> String {
    match &s.value {
        SphereValue::Finite => format!("{:.6e}", s.min_value),
        SphereValue::BeyondF64 { decimal } => {
            format!("{decimal} (beyond float64, computed in MPFR)")
        }
        SphereValue::NotFound => "not computed".into(),
    }
}

fn numerical_text(c: &CoercivityReport) -> String {
    let Some(trend) = c.numerical_summary else {
        return String::new();
    };
    let words = match trend {
        SphereTrend::Grows => "the minimum on the sphere grows with the radius (suggests coercive)",
        SphereTrend::Bounded => {
            "the minimum on the sphere stays bounded or decreases (suggests not coercive)"
        }
        SphereTrend::Unclear => "the minima on the spheres show no clear trend",
    };
    let listing: Vec<String> = c
        .spheres
        .iter()
        .map(|s| format!("R = {:e}: {}", s.radius, sphere_value_text(s)))
        .collect();
    let g = c
        .growth_exponent
        .map_or(String::new(), |g| format!("; growth exponent {g:.3}"));
    format!(
        "numerical evidence: {words}; minima found: {}{g}",
        listing.join(", ")
    )
}
