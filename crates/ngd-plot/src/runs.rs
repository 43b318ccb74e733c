//! The figures along the runs, for any dimension: `f` and `phi` against `k` split by
//! outcome ([`values_figure`]), the distance to the flat set ([`distance_figure`]) and NGD
//! against GD ([`ngd_vs_gd_figure`]); log-log axes labelled at every decade.

use crate::axes::{minus, short, Axis, Panel, BOTTOM_MARGIN, TOP_MARGIN};
use crate::bands::{band_of, Band};
use crate::legend::{Entry, Legend, Symbol};
use crate::svg::{tab10, Color, Label, Stroke, Svg, BLACK};
use crate::{header, outcome_color, outcome_label, LOG_FLOOR};
use ngd_sim::{HarnessReport, Outcome, RunResult, StepRule, Trajectory};

/// Width of one panel's plot area (px).
const PANEL_W: f64 = 330.0;
/// Smallest height of a plot area (px); taller when many decades must be labelled.
const PANEL_H: f64 = 300.0;
/// Vertical px per labelled decade, so that every decade's label fits.
const PX_PER_DECADE: f64 = 15.0;

/// One curve of a band panel: the band, its colour, whether the quartiles are shaded.
struct Curve {
    band: Band,
    color: Color,
    dashed: bool,
    shade: bool,
}

/// A value for a log axis: below [`LOG_FLOOR`] (an exact zero) at the floor; non-finite
/// values are left out (NaN).
fn on_log(v: f64) -> f64 {
    if v.is_finite() {
        v.max(LOG_FLOOR)
    } else {
        f64::NAN
    }
}

/// The log axes of a group of panels: `k + 1` and the values (with the floor).
fn axes_of(curves: &[&Curve]) -> Option<(Axis, Axis)> {
    let kmax = curves
        .iter()
        .filter_map(|c| c.band.k.last())
        .max()
        .copied()?;
    let x = Axis::log_covering([1.0, (kmax + 1) as f64].into_iter())?;
    let values = curves.iter().flat_map(|c| {
        c.band
            .q1
            .iter()
            .chain(&c.band.median)
            .chain(&c.band.q3)
            .map(|&v| on_log(v))
    });
    let y = Axis::log_covering(values)?;
    Some((x, y))
}

/// Whether some drawn value was raised to the floor.
fn floored(curves: &[&Curve]) -> bool {
    curves.iter().any(|c| {
        c.band
            .q1
            .iter()
            .chain(&c.band.median)
            .any(|&v| v.is_finite() && v < LOG_FLOOR)
    })
}

/// The height of plot areas whose y axes are `ys`.
fn panel_height(ys: &[&Axis]) -> f64 {
    let decades = ys
        .iter()
        .map(|y| (y.hi.log10() - y.lo.log10()).round())
        .fold(0.0, f64::max);
    PANEL_H.max(PX_PER_DECADE * decades)
}

/// Draws the curves in the panel: shaded quartiles, then medians.
fn draw_curves(svg: &mut Svg, panel: &Panel, curves: &[&Curve], id: &str) {
    panel.clip(svg, "curves", id);
    for c in curves.iter().filter(|c| c.shade) {
        for (lo, hi) in runs_of_finite(&c.band) {
            let mut poly: Vec<(f64, f64)> = (lo..hi)
                .map(|i| panel.px((c.band.k[i] + 1) as f64, on_log(c.band.q1[i])))
                .collect();
            poly.extend(
                (lo..hi)
                    .rev()
                    .map(|i| panel.px((c.band.k[i] + 1) as f64, on_log(c.band.q3[i]))),
            );
            svg.polygon(&poly, c.color, 0.2);
        }
    }
    for c in curves {
        let stroke = if c.dashed {
            Stroke::dashed(c.color, 1.8)
        } else {
            Stroke::solid(c.color, 1.8)
        };
        for (lo, hi) in runs_of_finite(&c.band) {
            let pts: Vec<(f64, f64)> = (lo..hi)
                .map(|i| panel.px((c.band.k[i] + 1) as f64, on_log(c.band.median[i])))
                .collect();
            svg.polyline(&pts, &stroke);
        }
    }
    svg.close();
}

/// Index ranges of consecutive steps where the median and quartiles are finite.
fn runs_of_finite(b: &Band) -> Vec<(usize, usize)> {
    let ok = |i: usize| {
        [b.q1[i], b.median[i], b.q3[i]]
            .iter()
            .all(|v| v.is_finite())
    };
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=b.k.len() {
        match (i < b.k.len() && ok(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The outcomes of `runs` that have a trajectory, in report order.
fn outcomes_present(runs: &[RunResult]) -> Vec<Outcome> {
    Outcome::ALL
        .into_iter()
        .filter(|&o| {
            runs.iter()
                .any(|r| r.outcome == o && r.trajectory.is_some())
        })
        .collect()
}

/// The per-outcome curves of `pick` over the NGD runs, leaving out `skip`.
fn outcome_curves(
    runs: &[RunResult],
    pick: fn(&Trajectory) -> &[f64],
    skip: &[Outcome],
) -> Vec<(Outcome, Curve)> {
    outcomes_present(runs)
        .into_iter()
        .filter(|o| !skip.contains(o))
        .filter_map(|o| {
            let band = band_of(runs.iter().filter(|r| r.outcome == o), pick)?;
            Some((
                o,
                Curve {
                    band,
                    color: outcome_color(o),
                    dashed: false,
                    shade: true,
                },
            ))
        })
        .collect()
}

/// Lays out `n` panels side by side with a legend on the right; returns the document, the
/// panels' top-left corners and the legend's.
struct Layout {
    svg: Svg,
    corners: Vec<(f64, f64)>,
    legend_at: (f64, f64),
}

fn layout(title: &str, ys: &[&Axis], height: f64, legend: &Legend) -> Layout {
    let top = TOP_MARGIN + if title.is_empty() { 0.0 } else { 22.0 };
    let mut x = 10.0;
    let mut corners = Vec::new();
    for y in ys {
        x += Panel::left_margin(y);
        corners.push((x, top));
        x += PANEL_W + 12.0;
    }
    let (lw, lh) = legend.size();
    let width = x + lw + 10.0;
    let h = (top + height + BOTTOM_MARGIN).max(top + lh + 10.0);
    let mut svg = Svg::new(width.round(), h.round());
    header(&mut svg, title);
    Layout {
        svg,
        corners,
        legend_at: (x, top),
    }
}

/// `f` and `phi` of the NGD runs against `k + 1`, log-log, one median line and quartile band
/// per outcome; runs that end at a pole of `phi` are left out of `phi`'s panel and counted in
/// the legend. Values below [`LOG_FLOOR`] (exact zeros) are drawn at the floor, and the
/// legend says so.
///
/// # Errors
///
/// No recorded trajectories.
pub fn values_figure(title: &str, report: &HarnessReport) -> Result<String, String> {
    let runs = &report.runs;
    let f_curves = outcome_curves(runs, |t| &t.f, &[]);
    if f_curves.is_empty() {
        return Err("no recorded trajectories (set record_every)".into());
    }
    let phi_curves = if report.has_phi {
        outcome_curves(runs, |t| &t.phi, &[Outcome::PoleOfPhi])
    } else {
        Vec::new()
    };
    let mut legend = Legend {
        heading: Some("NGD runs: median, quartiles".into()),
        entries: Vec::new(),
    };
    for o in outcomes_present(runs) {
        let n = runs.iter().filter(|r| r.outcome == o).count();
        legend.entries.push(Entry::new(
            Symbol::Band(Stroke::solid(outcome_color(o), 1.8), outcome_color(o)),
            format!("{} ({n} of {})", outcome_label(o), runs.len()),
        ));
    }
    let at_poles = runs
        .iter()
        .filter(|r| r.outcome == Outcome::PoleOfPhi)
        .count();
    if report.has_phi && at_poles > 0 {
        legend.entries.push(Entry::new(
            Symbol::Note,
            format!("phi panel: the {at_poles} runs ending at a pole are left out"),
        ));
    }
    let mut panels: Vec<(&str, &str, Vec<&Curve>)> = vec![(
        "f along the runs",
        "f(x_k)",
        f_curves.iter().map(|c| &c.1).collect(),
    )];
    if !phi_curves.is_empty() {
        panels.push((
            "phi along the runs",
            "phi(x_k)",
            phi_curves.iter().map(|c| &c.1).collect(),
        ));
    }
    let all: Vec<&Curve> = panels.iter().flat_map(|p| p.2.iter().copied()).collect();
    if floored(&all) {
        legend.entries.push(Entry::new(
            Symbol::Note,
            format!(
                "values below {} (exact zeros) drawn at it",
                short(LOG_FLOOR)
            ),
        ));
    }
    band_figure(title, &panels, &legend)
}

/// Panels of curves side by side (each its own log axes), the legend on the right.
fn band_figure(
    title: &str,
    panels: &[(&str, &str, Vec<&Curve>)],
    legend: &Legend,
) -> Result<String, String> {
    let axes: Vec<(Axis, Axis)> = panels
        .iter()
        .map(|p| axes_of(&p.2).ok_or("nothing finite to draw"))
        .collect::<Result<_, _>>()?;
    let ys: Vec<&Axis> = axes.iter().map(|a| &a.1).collect();
    let height = panel_height(&ys);
    let mut lay = layout(title, &ys, height, legend);
    for (i, ((name, y_name, curves), (x, y))) in panels.iter().zip(axes).enumerate() {
        let panel = Panel {
            at: lay.corners[i],
            size: (PANEL_W, height),
            x,
            y,
        };
        draw_curves(&mut lay.svg, &panel, curves, &format!("clip-{i}"));
        panel.draw_axes(
            &mut lay.svg,
            &Label::Plain("iteration k + 1".into()),
            &Label::Plain((*y_name).into()),
            Some(name),
        );
    }
    legend.draw(&mut lay.svg, lay.legend_at);
    Ok(lay.svg.finish())
}

/// The distance of `x_k` to the flat set against `k + 1`, log-log, one median line and
/// quartile band per outcome of the NGD runs, with the GD baseline's median dashed; for
/// problems of any dimension.
///
/// # Errors
///
/// No flat set in the report, or no recorded trajectories.
pub fn distance_figure(title: &str, report: &HarnessReport) -> Result<String, String> {
    if report.flat_set.is_none() {
        return Err("the report has no flat set to measure distances to".into());
    }
    let mut curves = outcome_curves(&report.runs, |t| &t.dist_to_s, &[]);
    if curves.is_empty() {
        return Err("no recorded trajectories (set record_every)".into());
    }
    let mut legend = Legend {
        heading: Some("NGD runs: median, quartiles".into()),
        entries: Vec::new(),
    };
    for (o, c) in &curves {
        let n = report.runs.iter().filter(|r| r.outcome == *o).count();
        legend.entries.push(Entry::new(
            Symbol::Band(Stroke::solid(c.color, 1.8), c.color),
            format!("{} ({n} of {})", outcome_label(*o), report.runs.len()),
        ));
    }
    if let Some(gd) = band_of(report.gd_runs.iter(), |t| &t.dist_to_s) {
        legend.entries.push(Entry::new(
            Symbol::Line(Stroke::dashed(BLACK, 1.8)),
            format!("GD, all {} runs: median", report.gd_runs.len()),
        ));
        curves.push((
            Outcome::Elsewhere,
            Curve {
                band: gd,
                color: BLACK,
                dashed: true,
                shade: false,
            },
        ));
    }
    let refs: Vec<&Curve> = curves.iter().map(|c| &c.1).collect();
    if floored(&refs) {
        legend.entries.push(Entry::new(
            Symbol::Note,
            format!("distances below {} drawn at it", short(LOG_FLOOR)),
        ));
    }
    band_figure(
        title,
        &[("distance to the flat set", "distance of x_k to S", refs)],
        &legend,
    )
}

/// `f` and `phi` along NGD (left) and along plain GD from the same starts (right), median and
/// quartiles over the runs on the same log axes, as in the paper's Fig. 1; runs that end at
/// a pole of `phi` are left out of `phi`'s band.
///
/// # Errors
///
/// No GD baseline, or no recorded trajectories.
pub fn ngd_vs_gd_figure(title: &str, report: &HarnessReport) -> Result<String, String> {
    let gd = report
        .gd
        .as_ref()
        .ok_or("the run has no GD baseline (gd_baseline is off)")?;
    let method = |runs: &[RunResult]| -> Vec<Curve> {
        let mut out = Vec::new();
        if let Some(b) = band_of(runs.iter(), |t| &t.f) {
            out.push(Curve {
                band: b,
                color: tab10::BLUE,
                dashed: false,
                shade: true,
            });
        }
        let off_poles = runs.iter().filter(|r| r.outcome != Outcome::PoleOfPhi);
        if let Some(b) = band_of(off_poles, |t| &t.phi) {
            out.push(Curve {
                band: b,
                color: tab10::ORANGE,
                dashed: false,
                shade: true,
            });
        }
        out
    };
    let ngd_curves = method(&report.runs);
    let gd_curves = method(&report.gd_runs);
    if ngd_curves.is_empty() || gd_curves.is_empty() {
        return Err("no recorded trajectories (set record_every)".into());
    }
    let all: Vec<&Curve> = ngd_curves.iter().chain(&gd_curves).collect();
    let (x, y) = axes_of(&all).ok_or("nothing finite to draw")?;
    let mut legend = Legend {
        heading: Some("median, quartiles over the runs".into()),
        entries: vec![Entry::new(
            Symbol::Band(Stroke::solid(tab10::BLUE, 1.8), tab10::BLUE),
            "f(x_k)",
        )],
    };
    let at_poles = |runs: &[RunResult]| runs.iter().any(|r| r.outcome == Outcome::PoleOfPhi);
    if report.has_phi {
        let label = if at_poles(&report.runs) || at_poles(&report.gd_runs) {
            "phi(x_k), runs ending at a pole left out"
        } else {
            "phi(x_k)"
        };
        legend.entries.push(Entry::new(
            Symbol::Band(Stroke::solid(tab10::ORANGE, 1.8), tab10::ORANGE),
            label,
        ));
    }
    legend.entries.push(Entry::new(
        Symbol::Note,
        format!(
            "{} NGD and {} GD runs, same starts",
            report.runs.len(),
            gd.runs
        ),
    ));
    let height = panel_height(&[&y, &y]);
    let mut lay = layout(title, &[&y, &y], height, &legend);
    let titles = [
        format!("NGD, {}", step_rule(&report.ngd.step_rule)),
        format!("GD, {}", step_rule(&gd.step_rule)),
    ];
    for (i, curves) in [&ngd_curves, &gd_curves].into_iter().enumerate() {
        let panel = Panel {
            at: lay.corners[i],
            size: (PANEL_W, height),
            x: x.clone(),
            y: y.clone(),
        };
        let refs: Vec<&Curve> = curves.iter().collect();
        draw_curves(&mut lay.svg, &panel, &refs, &format!("clip-{i}"));
        panel.draw_axes(
            &mut lay.svg,
            &Label::Plain("iteration k + 1".into()),
            &Label::Plain("value".into()),
            Some(&titles[i]),
        );
    }
    legend.draw(&mut lay.svg, lay.legend_at);
    Ok(lay.svg.finish())
}

/// The step rule in words and symbols.
fn step_rule(rule: &StepRule) -> String {
    match *rule {
        StepRule::Normalized { a0, power } => {
            minus(&format!("a_k = {}/(k+1)^{}", short(a0), short(power)))
        }
        StepRule::Constant { step } => format!("step h = {}", short(step)),
    }
}
