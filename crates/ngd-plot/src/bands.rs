//! The band plots: a quantity along the NGD runs against `k`, median and quartiles over
//! the runs on log-log axes ([`values_svg`], [`distance_svg`]).

use crate::{err, write, LOG_FLOOR, SIZE};
use ngd_sim::{HarnessReport, RunResult};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Median and quartiles of one quantity over the runs, at each recorded step.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// The step numbers `k`.
    pub k: Vec<u64>,
    /// First quartile at each step.
    pub q1: Vec<f64>,
    /// Median at each step.
    pub median: Vec<f64>,
    /// Third quartile at each step.
    pub q3: Vec<f64>,
}

/// The quartile band over `runs` of the trajectory quantity `pick` (runs whose recorded
/// steps differ from the first run's are skipped; NaNs are ignored). `None` when no run has
/// a trajectory with that quantity.
pub fn band(runs: &[RunResult], pick: impl Fn(&ngd_sim::Trajectory) -> &[f64]) -> Option<Band> {
    let trajs: Vec<&ngd_sim::Trajectory> = runs
        .iter()
        .filter_map(|r| r.trajectory.as_ref())
        .filter(|t| pick(t).len() == t.k.len() && !t.k.is_empty())
        .collect();
    let first = trajs.first()?;
    let k = first.k.clone();
    let trajs: Vec<_> = trajs.into_iter().filter(|t| t.k == k).collect();
    let (mut q1, mut median, mut q3) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..k.len() {
        let mut v: Vec<f64> = trajs
            .iter()
            .map(|t| pick(t)[i])
            .filter(|v| !v.is_nan())
            .collect();
        v.sort_by(f64::total_cmp);
        q1.push(quantile(&v, 0.25));
        median.push(quantile(&v, 0.5));
        q3.push(quantile(&v, 0.75));
    }
    Some(Band { k, q1, median, q3 })
}

/// Linear-interpolated quantile of sorted values (NaN for none).
fn quantile(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = p * (v.len() - 1) as f64;
    let (i, t) = (h.floor() as usize, h - h.floor());
    if i + 1 < v.len() {
        v[i] + t * (v[i + 1] - v[i])
    } else {
        v[i]
    }
}

/// A value for a log axis: clamped below at [`LOG_FLOOR`], infinities at `1e300`.
fn on_log(v: f64) -> f64 {
    if v.is_nan() {
        LOG_FLOOR
    } else {
        v.clamp(LOG_FLOOR, 1e300)
    }
}

struct Curve<'a> {
    band: &'a Band,
    label: String,
    color: RGBColor,
    shade: bool,
}

fn log_range(curves: &[Curve]) -> (f64, f64) {
    let vals = curves
        .iter()
        .flat_map(|c| c.band.q1.iter().chain(&c.band.median).chain(&c.band.q3))
        .map(|&v| on_log(v));
    let (lo, hi) = vals.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !(lo.is_finite() && hi > 0.0) {
        return (1e-3, 1.0);
    }
    let lo = 10f64.powf(lo.log10().floor());
    let hi = 10f64.powf(hi.log10().ceil());
    if hi <= lo {
        (lo, lo * 10.0)
    } else {
        (lo, hi)
    }
}

fn band_plot(
    root: &DrawingArea<SVGBackend, Shift>,
    title: &str,
    y_desc: &str,
    curves: &[Curve],
) -> Result<(), String> {
    let kmax = curves
        .iter()
        .filter_map(|c| c.band.k.last())
        .max()
        .copied()
        .unwrap_or(1);
    let (ylo, yhi) = log_range(curves);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(
            (1f64..(kmax as f64 + 1.0).max(10.0)).log_scale(),
            (ylo..yhi).log_scale(),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("k + 1")
        .y_desc(y_desc)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .x_label_formatter(&|v| format!("{v:.0e}"))
        .draw()
        .map_err(err)?;
    for c in curves {
        let pts = |v: &[f64]| -> Vec<(f64, f64)> {
            c.band
                .k
                .iter()
                .zip(v)
                .map(|(&k, &v)| (k as f64 + 1.0, on_log(v)))
                .collect()
        };
        if c.shade {
            let mut poly = pts(&c.band.q1);
            poly.extend(pts(&c.band.q3).into_iter().rev());
            chart
                .draw_series(std::iter::once(Polygon::new(poly, c.color.mix(0.18))))
                .map_err(err)?;
        }
        let color = c.color;
        chart
            .draw_series(LineSeries::new(pts(&c.band.median), color.stroke_width(2)))
            .map_err(err)?
            .label(c.label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerLeft)
        .draw()
        .map_err(err)?;
    Ok(())
}

/// Writes [`values_svg_string`] to `path`.
///
/// # Errors
///
/// As [`values_svg_string`], or when the file cannot be written.
pub fn values_svg(report: &HarnessReport, path: &Path) -> Result<(), String> {
    write(path, &values_svg_string(report)?)
}

/// `f(x_k)` and `phi(x_k)` of the NGD runs against `k + 1`, log-log: the median over the
/// runs as a line and the quartiles as a shaded band; the GD baseline's median `f` for
/// comparison. Values below [`LOG_FLOOR`] (an exact `f = 0`) are drawn at the floor.
///
/// # Errors
///
/// No recorded trajectories.
pub fn values_svg_string(report: &HarnessReport) -> Result<String, String> {
    let f = band(&report.runs, |t| &t.f).ok_or("no recorded trajectories (set record_every)")?;
    let phi = band(&report.runs, |t| &t.phi);
    let gd_f = band(&report.gd_runs, |t| &t.f);
    let mut curves = vec![Curve {
        band: &f,
        label: "NGD f: median, quartiles".into(),
        color: RGBColor(0x1f, 0x77, 0xb4),
        shade: true,
    }];
    if let Some(p) = &phi {
        curves.push(Curve {
            band: p,
            label: "NGD phi: median, quartiles".into(),
            color: RGBColor(0xd6, 0x27, 0x28),
            shade: true,
        });
    }
    if let Some(g) = &gd_f {
        curves.push(Curve {
            band: g,
            label: "GD f: median".into(),
            color: RGBColor(0x7f, 0x7f, 0x7f),
            shade: false,
        });
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        band_plot(&root, "f and phi along NGD", "value", &curves)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Writes [`distance_svg_string`] to `path`.
///
/// # Errors
///
/// As [`distance_svg_string`], or when the file cannot be written.
pub fn distance_svg(report: &HarnessReport, path: &Path) -> Result<(), String> {
    write(path, &distance_svg_string(report)?)
}

/// The distance of `x_k` to the flat set against `k + 1`, log-log, median and quartiles
/// over the NGD runs, with the GD baseline's median; for problems of any dimension.
///
/// # Errors
///
/// No recorded trajectories, or no flat set in the report.
pub fn distance_svg_string(report: &HarnessReport) -> Result<String, String> {
    if report.flat_set.is_none() {
        return Err("the report has no flat set to measure distances to".into());
    }
    let d = band(&report.runs, |t| &t.dist_to_s)
        .ok_or("no recorded trajectories (set record_every)")?;
    let gd = band(&report.gd_runs, |t| &t.dist_to_s);
    let mut curves = vec![Curve {
        band: &d,
        label: "NGD: median, quartiles".into(),
        color: RGBColor(0x1b, 0x9e, 0x4b),
        shade: true,
    }];
    if let Some(g) = &gd {
        curves.push(Curve {
            band: g,
            label: "GD: median".into(),
            color: RGBColor(0x7f, 0x7f, 0x7f),
            shade: false,
        });
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        band_plot(&root, "distance to the flat set", "distance to S", &curves)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}
