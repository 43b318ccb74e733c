//! Figures of ngd-verify for a paper (SVG, PNG and PDF), in matplotlib's style (DejaVu Sans,
//! `tab10` colours, a frame with outward ticks).
//!
//! The input is plain data ([`FigureData`]): the NGD harness report of `ngd-sim`, and for a
//! two-variable case the [`Plane`] (the minimum set `M` as traced branches with `Q` along
//! them, the marked points, the boxes of the C4 cover), filled by the caller from the
//! checks' reports. The figures:
//!
//! * [`trajectories_figure`] (two variables): level sets of `f`, `M` as curves coloured by
//!   the sign of `Q` (where `phi` decreases or increases under one NGD step), `S`, the flat
//!   minima, poles of `phi` and degenerate points marked and labelled, the pole curves of
//!   `phi` and the critical curves of `f` outside `M` drawn, the NGD runs coloured by
//!   outcome; equal aspect;
//! * [`values_figure`]: `f` and `phi` along the runs, median and quartiles per outcome, runs
//!   ending at a pole of `phi` left out of `phi`'s band and counted in the legend;
//! * [`distance_figure`]: the distance to the flat set, per outcome, with GD's median;
//! * [`ngd_vs_gd_figure`]: `f` and `phi` along NGD and along plain GD side by side;
//! * [`q_along_m_figure`] (two variables): `Q` along each branch of `M` against arc length,
//!   the certified stretches shaded.
//!
//! Log axes are labelled at every decade of the data. [`write_figures`] writes each
//! figure whose inputs are present as `.svg`, `.png` and `.pdf`. The SVG is deterministic
//! (no random ids; the same data give the same bytes) and its groups carry a `class` and a
//! `data-label` (what is drawn, in the legend's words), which the tests read.
//!
//! ```
//! use ngd_expr::Arena;
//! use ngd_parse::{parse_expr, Params};
//! use ngd_sim::{prepare, HarnessConfig};
//!
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let f = parse_expr(&mut a, "(x*y - 1)^2", &Params::new()).unwrap();
//! let h = prepare(&mut a, f, None);
//! let cfg = HarnessConfig {
//!     iterations: 200,
//!     starts: 4,
//!     record_every: Some(50),
//!     ..HarnessConfig::default()
//! };
//! let report = h.run(&cfg, None);
//! let values = ngd_plot::values_figure("", &report).unwrap();
//! assert!(values.starts_with("<svg") && values.contains("class=\"legend\""));
//! // Deterministic: the same data give the same bytes.
//! assert_eq!(values, ngd_plot::values_figure("", &report).unwrap());
//! ```

#![warn(missing_docs)]

mod axes;
mod bands;
mod contour;
mod data;
mod legend;
mod plane;
mod qprofile;
mod raster;
mod runs;
mod svg;

pub use bands::{band, Band};
pub use contour::{contour_lines, level_values};
pub use data::{
    BoxKind, CoverBox, CurveKind, FigureData, MBranch, Mark, MarkKind, Plane, PlaneCurve, QClass,
};
pub use ngd_sim::LevelGrid;
pub use plane::trajectories_figure;
pub use qprofile::{q_along_m_figure, MAX_BRANCHES};
pub use raster::{svg_to_pdf, svg_to_png, svg_to_png_scaled, PNG_SCALE};
pub use runs::{distance_figure, ngd_vs_gd_figure, values_figure};
pub use svg::{tab10, Color};

use ngd_sim::{HarnessReport, Outcome};
use std::path::{Path, PathBuf};
use svg::{Anchor, Label, Svg, TextStyle};

/// At most this many trajectories are drawn (the first runs by index).
pub const MAX_TRAJECTORIES: usize = 120;
/// Values of `f`, `phi` or distances below this are drawn at this floor on log axes (an
/// exact zero, frequent for `f` in float64, cannot be drawn on a log axis).
pub const LOG_FLOOR: f64 = 1e-30;

/// The colour of an outcome (`tab10`): green for the flat minima, red for divergence, orange
/// for poles of `phi`, purple for critical points, grey for non-finite values, blue for
/// anywhere else.
pub fn outcome_color(o: Outcome) -> Color {
    match o {
        Outcome::NearFlat => tab10::GREEN,
        Outcome::Diverged => tab10::RED,
        Outcome::PoleOfPhi => tab10::ORANGE,
        Outcome::Stalled => tab10::PURPLE,
        Outcome::NonFinite => tab10::GRAY,
        Outcome::Elsewhere => tab10::BLUE,
    }
}

/// How a run ended, in plain words (the legends' wording).
pub fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::NearFlat => "reached a flat minimum",
        Outcome::Diverged => "diverged",
        Outcome::PoleOfPhi => "stopped at a pole of phi",
        Outcome::Stalled => "stopped at a critical point",
        Outcome::NonFinite => "hit a non-finite value",
        Outcome::Elsewhere => "ended elsewhere",
    }
}

/// The case title in the top-left corner (nothing for an empty title).
fn header(svg: &mut Svg, title: &str) {
    if title.is_empty() {
        return;
    }
    svg.open("header", Some(title));
    svg.text(
        (10.0, 20.0),
        &Label::Plain(title.into()),
        TextStyle::new(13.0, Anchor::Start),
    );
    svg.close();
}

/// The figures drawable from `data`, by file stem (`trajectories`, `values`, `distance`,
/// `ngd_vs_gd`, `q_along_m`), each its SVG text or why it cannot be drawn. Figures whose
/// inputs are absent altogether (no plane, no harness) are not listed.
pub fn figures(data: &FigureData) -> Vec<(&'static str, Result<String, String>)> {
    let t = data.title.as_str();
    let mut out = Vec::new();
    if let Some(plane) = &data.plane {
        out.push(("trajectories", trajectories_figure(t, plane, data.harness)));
    }
    if let Some(h) = data.harness {
        out.push(("values", values_figure(t, h)));
        out.push(("distance", distance_figure(t, h)));
        out.push(("ngd_vs_gd", ngd_vs_gd_figure(t, h)));
    }
    if let Some(plane) = &data.plane {
        if !plane.branches.is_empty() {
            out.push(("q_along_m", q_along_m_figure(t, plane)));
        }
    }
    out
}

/// What [`write_figures`] did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Written {
    /// The files written, in order (per figure: `.svg`, `.png`, `.pdf`).
    pub files: Vec<PathBuf>,
    /// Figures not drawn: file stem and the reason (e.g. no GD baseline).
    pub skipped: Vec<(String, String)>,
}

/// Writes every figure of [`figures`] into `dir` (created if missing) as `STEM.svg`,
/// `STEM.png` and `STEM.pdf`.
///
/// # Errors
///
/// The folder or a file cannot be written, or the PNG/PDF conversion fails (no font).
pub fn write_figures(data: &FigureData, dir: &Path) -> Result<Written, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the folder {}: {e}", dir.display()))?;
    let mut done = Written::default();
    for (stem, svg) in figures(data) {
        let svg = match svg {
            Ok(s) => s,
            Err(reason) => {
                done.skipped.push((stem.to_string(), reason));
                continue;
            }
        };
        let png = svg_to_png(&svg)?;
        let pdf = svg_to_pdf(&svg)?;
        for (ext, bytes) in [
            ("svg", svg.as_bytes()),
            ("png", &png[..]),
            ("pdf", &pdf[..]),
        ] {
            let path = dir.join(format!("{stem}.{ext}"));
            std::fs::write(&path, bytes)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            done.files.push(path);
        }
    }
    Ok(done)
}

/// Writes an SVG text to `path`.
fn write(path: &Path, svg: &str) -> Result<(), String> {
    std::fs::write(path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The plane of a harness run alone: the window of `level_sets`, `minimum_set` as points of
/// `M`, `flat_set` as flat minima (for callers that have no traced branches).
fn plane_of(
    report: &HarnessReport,
    level_sets: &LevelGrid,
    minimum_set: &[Vec<f64>],
    flat_set: &[Vec<f64>],
) -> Result<Plane, String> {
    let (Some(&x0), Some(&x1), Some(&y0), Some(&y1)) = (
        level_sets.x.first(),
        level_sets.x.last(),
        level_sets.y.first(),
        level_sets.y.last(),
    ) else {
        return Err("empty level grid".into());
    };
    let names = &report.var_names;
    if names.len() != 2 {
        return Err(format!(
            "trajectory plots need 2 variables (this problem has {})",
            names.len()
        ));
    }
    let two = |p: &Vec<f64>| (p.len() >= 2).then(|| [p[0], p[1]]);
    Ok(Plane {
        var_names: [names[0].clone(), names[1].clone()],
        window: [(x0, x1), (y0, y1)],
        f_levels: Some(level_sets.clone()),
        branches: Vec::new(),
        m_points: minimum_set.iter().filter_map(two).collect(),
        marks: flat_set
            .iter()
            .filter_map(two)
            .map(|at| Mark {
                kind: MarkKind::FlatMinimum,
                at,
            })
            .collect(),
        curves: Vec::new(),
        boxes: Vec::new(),
        cover_complete: false,
    })
}

/// [`trajectories_figure`] of a harness run over `level_sets`, with `minimum_set` as points
/// and `flat_set` as flat minima (callers with the checks' reports build a [`Plane`]).
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
    let plane = plane_of(report, level_sets, minimum_set, flat_set)?;
    trajectories_figure("", &plane, Some(report))
}

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

/// [`values_figure`] without a title.
///
/// # Errors
///
/// No recorded trajectories.
pub fn values_svg_string(report: &HarnessReport) -> Result<String, String> {
    values_figure("", report)
}

/// Writes [`values_svg_string`] to `path`.
///
/// # Errors
///
/// As [`values_svg_string`], or when the file cannot be written.
pub fn values_svg(report: &HarnessReport, path: &Path) -> Result<(), String> {
    write(path, &values_svg_string(report)?)
}

/// [`distance_figure`] without a title.
///
/// # Errors
///
/// No recorded trajectories, or no flat set in the report.
pub fn distance_svg_string(report: &HarnessReport) -> Result<String, String> {
    distance_figure("", report)
}

/// Writes [`distance_svg_string`] to `path`.
///
/// # Errors
///
/// As [`distance_svg_string`], or when the file cannot be written.
pub fn distance_svg(report: &HarnessReport, path: &Path) -> Result<(), String> {
    write(path, &distance_svg_string(report)?)
}
