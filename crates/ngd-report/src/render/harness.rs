//! Rendering of the NGD harness and the `run` subcommand.

use super::*;

/// Renders a harness report on its own (`run`, `merge`).
pub fn render_harness(
    h: &ngd_sim::HarnessReport,
    title: &str,
    notes: &[String],
    format: Format,
) -> String {
    if format == Format::Json {
        let mut s = serde_json::to_string_pretty(h).expect("harness report serializes");
        s.push('\n');
        return s;
    }
    let mut b = vec![Block::Title(format!(
        "ngd-verify {} NGD harness: {title}",
        env!("CARGO_PKG_VERSION")
    ))];
    harness_blocks(&mut b, h);
    b.push(Block::Item(harness_line(h)));
    for n in notes {
        b.push(Block::Item(n.clone()));
    }
    match format {
        Format::Markdown => to_markdown(&b),
        _ => to_text(&b),
    }
}

pub(super) fn method_blocks(b: &mut Vec<Block>, m: &ngd_sim::MethodSummary) {
    let fr: Vec<String> = m
        .fractions
        .iter()
        .filter(|(_, f)| *f > 0.0)
        .map(|(o, f)| format!("{} {:.1}%", o.name(), 100.0 * f))
        .collect();
    b.push(Block::Field(
        format!("{} ({} runs)", m.method, m.runs),
        format!("{}; step rule: {}", fr.join(", "), m.step_rule),
    ));
    let phi = m
        .median_final_phi
        .map_or(String::new(), |p| format!(", phi {p:.4e}"));
    b.push(Block::Item(format!(
        "median final f {:.4e}{phi}",
        m.median_final_f
    )));
    if let Some(f) = m.fraction_near_flat {
        b.push(Block::Item(format!(
            "within {:e} of the flat set: {:.1}%",
            m.tolerance,
            100.0 * f
        )));
    }
    if m.zero_gradient_events > 0 {
        b.push(Block::Item(format!(
            "grad f == 0 exactly at {} steps in {} runs (normalized subdifferential element taken, never frozen)",
            m.zero_gradient_events, m.runs_with_zero_gradient_events
        )));
    }
    for c in m.clusters.iter().take(5) {
        b.push(Block::Item(format!(
            "cluster {} ({} runs, first run {}): near {}, median f {:.3e}",
            c.outcome.name(),
            c.count,
            c.first_run,
            fmt_vec(&c.representative),
            c.median_f
        )));
    }
}

pub(super) fn harness_blocks(b: &mut Vec<Block>, h: &ngd_sim::HarnessReport) {
    let c = &h.config;
    b.push(Block::Heading(format!(
        "harness NGD cross-validation: {}",
        badge(Evidence::NumericalEvidence)
    )));
    b.push(Block::Field(
        "schedule".into(),
        format!(
            "a_k = {}/(k+1)^{}, {} steps, {} starts (seed {}), GD baseline step {:e}",
            c.schedule.a0, c.schedule.power, c.iterations, c.starts, c.seed, c.gd_step
        ),
    ));
    let mut drift = format!("sum_k a_k^2 = {:.4}", h.drift.sum_a2);
    if let (Some(q), Some(s)) = (h.drift.q, h.drift.sum_aq) {
        drift.push_str(&format!(", sum_k a_k^{q} = {s:.4}"));
    }
    b.push(Block::Field("drift budget".into(), drift));
    if let Some(w) = &h.drift.warning {
        b.push(Block::Item(format!("WARNING: {w}")));
    }
    b.push(Block::Field(
        "at grad f == 0".into(),
        h.zero_gradient_rule.clone(),
    ));
    if h.flat_set.is_none() {
        b.push(Block::Item(
            "no isolated flat set from C3: distances to S are not measured".into(),
        ));
    }
    method_blocks(b, &h.ngd);
    if let Some(gd) = &h.gd {
        method_blocks(b, gd);
    }
    if let Some(m) = &h.mpfr {
        b.push(Block::Field(
            format!("MPFR tail ({} bits, {} steps)", m.precision_bits, m.tail_steps),
            format!(
                "{} runs compared, {} disagree with float64 (max distance {:.3e}), {} change their near-S verdict",
                m.compared, m.disagree, m.max_distance, m.near_flat_changed
            ),
        ));
    }
}
