//! The trajectory plot: NGD runs over the level sets of a two-variable `f`.

use crate::contour::{contour_lines, level_values};
use crate::{err, outcome_color, write, LevelGrid, MAX_TRAJECTORIES, SIZE};
use ngd_sim::{HarnessReport, Outcome, RunResult};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::path::Path;

/// The chart of the trajectory plot: data coordinates are the first two variables.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Writes [`trajectories_svg_string`] to `path`.
///
/// # Errors
///
/// As [`trajectories_svg_string`], or when the file cannot be written.
pub fn trajectories_svg(
    report: &HarnessReport,
    level_sets: &LevelGrid,
    minimum_set: &[Vec<f64>],
    flat_set: &[Vec<f64>],
    path: &Path,
) -> Result<(), String> {
    write(
        path,
        &trajectories_svg_string(report, level_sets, minimum_set, flat_set)?,
    )
}

/// NGD trajectories (the first [`MAX_TRAJECTORIES`] runs) over contour lines of `f` from
/// `level_sets`, in the window of the grid: the points of `minimum_set` as small grey dots,
/// `flat_set` as black crosses, each trajectory a line coloured by its outcome from a hollow
/// start marker to a filled end marker. Runs without a recorded trajectory are drawn as
/// their start and end markers only. Only the first two coordinates are used.
///
/// # Errors
///
/// A problem that is not two-dimensional, or an empty grid.
pub fn trajectories_svg_string(
    report: &HarnessReport,
    level_sets: &LevelGrid,
    minimum_set: &[Vec<f64>],
    flat_set: &[Vec<f64>],
) -> Result<String, String> {
    let w = Window::of(report, level_sets)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = axes(&root, report, &w)?;
        draw_contours(&mut chart, level_sets)?;
        draw_points_inside(&mut chart, &w, minimum_set)?;
        draw_runs(&mut chart, &w, &report.runs)?;
        draw_flat_set(&mut chart, &w, flat_set)?;
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The plotted window `[x0, x1] x [y0, y1]`: the level grid's, non-empty.
struct Window {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Window {
    /// The window of `level_sets`, for a two-variable problem.
    fn of(report: &HarnessReport, level_sets: &LevelGrid) -> Result<Window, String> {
        if report.var_names.len() != 2 {
            return Err(format!(
                "trajectory plots need 2 variables (this problem has {})",
                report.var_names.len()
            ));
        }
        let (Some(&x0), Some(&x1), Some(&y0), Some(&y1)) = (
            level_sets.x.first(),
            level_sets.x.last(),
            level_sets.y.first(),
            level_sets.y.last(),
        ) else {
            return Err("empty level grid".into());
        };
        if !(x0 < x1 && y0 < y1) {
            return Err("level grid with an empty window".into());
        }
        Ok(Window { x0, x1, y0, y1 })
    }

    /// Whether the point (its first two coordinates) lies in the closed window.
    fn inside(&self, p: &[f64]) -> bool {
        p.len() >= 2 && p[0] >= self.x0 && p[0] <= self.x1 && p[1] >= self.y0 && p[1] <= self.y1
    }
}

/// The caption, the axes of the window and their labels (the variable names).
fn axes<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    report: &HarnessReport,
    w: &Window,
) -> Result<Chart<'a, 'b>, String> {
    let mut chart = ChartBuilder::on(root)
        .caption(
            "NGD trajectories over the level sets of f",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(w.x0..w.x1, w.y0..w.y1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(report.var_names[0].as_str())
        .y_desc(report.var_names[1].as_str())
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// Twelve contour lines of `f`, in light grey.
fn draw_contours(chart: &mut Chart, level_sets: &LevelGrid) -> Result<(), String> {
    let grey = RGBColor(0xbb, 0xbb, 0xbb);
    for level in level_values(level_sets, 12) {
        for line in contour_lines(level_sets, level) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    line,
                    grey.stroke_width(1),
                )))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The points of the minimum set inside the window, as small grey dots.
fn draw_points_inside(chart: &mut Chart, w: &Window, points: &[Vec<f64>]) -> Result<(), String> {
    chart
        .draw_series(
            points
                .iter()
                .filter(|p| w.inside(p))
                .map(|p| Circle::new((p[0], p[1]), 1, RGBColor(0x55, 0x55, 0x55).filled())),
        )
        .map_err(err)?;
    Ok(())
}

/// The first [`MAX_TRAJECTORIES`] runs: each recorded trajectory as lines (clipped to the
/// window) coloured by outcome, one legend entry per outcome, a hollow start marker and a
/// filled end marker.
fn draw_runs(chart: &mut Chart, w: &Window, runs: &[RunResult]) -> Result<(), String> {
    let inside = |p: &[f64]| w.inside(p);
    let mut labelled: Vec<Outcome> = Vec::new();
    for run in runs.iter().take(MAX_TRAJECTORIES) {
        let color = outcome_color(run.outcome);
        if let Some(t) = &run.trajectory {
            for seg in clipped(&t.x, &inside) {
                let series = chart
                    .draw_series(std::iter::once(PathElement::new(
                        seg,
                        color.stroke_width(1),
                    )))
                    .map_err(err)?;
                if !labelled.contains(&run.outcome) {
                    labelled.push(run.outcome);
                    series.label(run.outcome.name()).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
                    });
                }
            }
        }
        if inside(&run.start) {
            chart
                .draw_series(std::iter::once(Circle::new(
                    (run.start[0], run.start[1]),
                    2,
                    color.stroke_width(1),
                )))
                .map_err(err)?;
        }
        if inside(&run.end) {
            chart
                .draw_series(std::iter::once(Circle::new(
                    (run.end[0], run.end[1]),
                    3,
                    color.filled(),
                )))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The points of the flat set inside the window, as black crosses, with a legend entry.
fn draw_flat_set(chart: &mut Chart, w: &Window, flat_set: &[Vec<f64>]) -> Result<(), String> {
    chart
        .draw_series(
            flat_set
                .iter()
                .filter(|p| w.inside(p))
                .map(|p| Cross::new((p[0], p[1]), 7, BLACK.stroke_width(3))),
        )
        .map_err(err)?
        .label("flat minima")
        .legend(|(x, y)| Cross::new((x + 8, y), 5, BLACK.stroke_width(2)));
    Ok(())
}

/// The parts of a polyline that stay inside the window (a segment with an end outside is
/// dropped).
fn clipped(xs: &[Vec<f64>], inside: &impl Fn(&[f64]) -> bool) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    for p in xs {
        if inside(p) {
            cur.push((p[0], p[1]));
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.retain(|s| s.len() >= 2);
    out
}
