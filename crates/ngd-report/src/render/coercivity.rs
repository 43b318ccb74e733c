//! Rendering of c5: coercivity of `f + phi`.

use super::*;

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
    if let Some(a) = &c.argument {
        b.push(Block::Field("argument".into(), a.clone()));
    }
    if let Some(g) = &c.certificate {
        b.push(Block::Field("certificate".into(), g.statement.clone()));
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
        b.push(Block::Item(format!(
            "min of {what} on the sphere of radius {:e}: {:.6e} at direction {} (numerical evidence)",
            s.radius,
            s.min_value,
            fmt_vec(&s.direction)
        )));
    }
    b.push(Block::Field(
        "numerical".into(),
        c.numerical_summary.clone(),
    ));
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
            .or_else(|| f.argument.as_ref().map(|a| format!(": {a}")))
            .unwrap_or_default();
        b.push(Block::Field(
            "f alone".into(),
            format!("{v} ({}){how}", f.evidence.label()),
        ));
    }
}
