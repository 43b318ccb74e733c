//! Rendering of the NGD harness and the `run` subcommand.

use super::*;
use ngd_check::Outer;
use ngd_sim::{DriftWarning, StepRule, ZeroGradientRule};

/// Renders a harness report on its own (`run`, `merge`; JSON: [`crate::harness::RunOutput`]).
pub fn render_harness(
    h: &ngd_sim::HarnessReport,
    title: &str,
    notes: &[String],
    format: Format,
) -> String {
    if format == Format::Json {
        return crate::harness::RunOutput::new(title, h).to_json();
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
    write_blocks(&b, format)
}

pub(super) fn method_blocks(b: &mut Vec<Block>, m: &ngd_sim::MethodSummary) {
    let fr: Vec<String> = m
        .fractions
        .iter()
        .filter(|(_, f)| *f > 0.0)
        .map(|(o, f)| format!("{} {:.1}%", o.name(), 100.0 * f))
        .collect();
    b.push(Block::Field(
        format!("{} ({} runs)", m.method.name(), m.runs),
        format!(
            "{}; step rule: {}",
            fr.join(", "),
            step_rule_text(&m.step_rule)
        ),
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
    if h.interrupted {
        b.push(Block::Item(format!(
            "INTERRUPTED: only {} of the {} runs finished; the numbers below cover those runs",
            h.ngd.runs, c.starts
        )));
    }
    let mut drift = format!("sum_k a_k^2 = {:.4}", h.drift.sum_a2);
    if let (Some(q), Some(s)) = (h.drift.q, h.drift.sum_aq) {
        drift.push_str(&format!(", sum_k a_k^{q} = {s:.4}"));
    }
    b.push(Block::Field("drift budget".into(), drift));
    if !h.drift.warnings.is_empty() {
        let w: Vec<String> = h.drift.warnings.iter().map(drift_warning_text).collect();
        b.push(Block::Item(format!("WARNING: {}", w.join("; "))));
    }
    b.push(Block::Field(
        "at grad f == 0".into(),
        zero_gradient_rule_text(&h.zero_gradient_rule),
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

/// The step of a method, e.g. `x_(k+1) = x_k - h grad f, constant step h = 0.01`.
fn step_rule_text(r: &StepRule) -> String {
    match r {
        StepRule::Normalized { a0, power } => {
            format!("x_(k+1) = x_k - a_k grad f/|grad f|, a_k = {a0}/(k+1)^{power}")
        }
        StepRule::Constant { step } => {
            format!("x_(k+1) = x_k - h grad f, constant step h = {step}")
        }
    }
}

/// A drift-budget warning in words.
fn drift_warning_text(w: &DriftWarning) -> String {
    match w {
        DriftWarning::SmallBudget {
            q,
            budget,
            threshold,
            iterations,
        } => format!(
            "the drift budget sum a_k^{q} = {budget:.4} is below {threshold}: NGD can hardly \
             drift along the minimum set in {iterations} steps, so the fraction near the flat \
             minima need not differ from gradient descent"
        ),
        DriftWarning::FastDecay { power, q } => format!(
            "the schedule decays as (k+1)^-{power} with p > 1/q = {}: sum a_k^{q} converges, so \
             the regularizer can freeze early (premature convergence)",
            1.0 / q
        ),
    }
}

/// The rule used where `grad f` is exactly zero, in words.
pub(super) fn zero_gradient_rule_text(r: &ZeroGradientRule) -> String {
    match r {
        ZeroGradientRule::Scalar { outer } => {
            let h = super::conservation::outer_clause(outer);
            let abs_note = if matches!(outer, Outer::Abs) {
                " (for |g| the compiled gradient is sign(g) grad g, which is 0 at g = 0)"
            } else {
                ""
            };
            format!(
                "f = c h(g) with {h}: NGD steps along grad f/|grad f| wherever |grad f|^2 \
                 is a positive normal float64; elsewhere (grad f exactly 0, or under- or \
                 overflowed) along the same direction computed from g: sign(g) grad g/|grad g| \
                 where g != 0, and where g = 0 exactly v = s grad g/|grad g|, an element of the \
                 normalized subdifferential {{+grad g/|grad g|, -grad g/|grad g|}}, with the sign \
                 s = +1 or -1 drawn from the run's own PCG64 stream (a function of the seed and \
                 the run index); each such step is counted as a zero-gradient event{abs_note}. \
                 Where grad g = 0 too the run stops: a true critical point of g (outcome \
                 stalled). A run never freezes on g = 0."
            )
        }
        ZeroGradientRule::LeastSquares { residuals: m } => format!(
            "f = sum_i c_i g_i^2 ({m} residuals): where grad f = 0 exactly in float64 and every \
             residual is 0, NGD steps along v = J^T w/|J^T w|, a unit vector of range(J^T) \
             (the normal space of M), with J the Jacobian of the residuals and w uniform in \
             [-1, 1]^{m} drawn from the run's own PCG64 stream (a function of the seed and the \
             run index); each such step is counted as a zero-gradient event. Where J^T w = 0 \
             the run stops: a true critical point of the residual map G. Where grad f \
             underflows with residuals != 0 the step is along J^T C G; if that is 0 the run \
             stops at a critical point of f off M. A run never freezes on G = 0."
        ),
        ZeroGradientRule::General => "f has no recognised structure (neither c h(g) nor a sum \
                                      of squares): there is no subdifferential rule, so a run \
                                      stops where grad f = 0 exactly (outcome stalled, critical \
                                      point of f)"
            .to_string(),
    }
}
