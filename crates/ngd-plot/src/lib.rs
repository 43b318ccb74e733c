//! SVG plots of the NGD harness data of `ngd-sim` (docs/architecture.md, "Plots").
//!
//! * [`trajectories_svg`]: NGD trajectories over the level sets of `f` (two-variable cases),
//!   with the minimum set and the flat points marked, coloured by how each run ended;
//! * [`values_svg`]: `f(x_k)` and `phi(x_k)` against `k` on log axes, median and quartiles over
//!   the runs (NGD, with the GD baseline's median `f` for comparison);
//! * [`distance_svg`]: the distance of `x_k` to the flat set against `k` (for any dimension).
//!
//! Each has a `*_string` variant returning the SVG text. Output is deterministic: the same
//! data give the same bytes. Text is drawn as SVG `<text>` elements with plotters' built-in
//! size estimate, so no system font (fontconfig) is needed. The trajectory and value plots
//! need recorded trajectories (`HarnessConfig::record_every`).
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
//! let grid = h.level_grid((-2.0, 2.0), (-2.0, 2.0), 21, 21).unwrap();
//! let flat = [vec![1.0, 1.0]];
//! let svg = ngd_plot::trajectories_svg_string(&report, &grid, &[], &flat).unwrap();
//! assert!(svg.starts_with("<svg") && svg.contains("flat minima"));
//! // Deterministic: the same data give the same bytes.
//! assert_eq!(svg, ngd_plot::trajectories_svg_string(&report, &grid, &[], &flat).unwrap());
//! let values = ngd_plot::values_svg_string(&report).unwrap();
//! assert!(values.contains("<polygon"));
//! ```

#![warn(missing_docs)]

mod bands;
mod contour;
mod trajectories;

pub use bands::{band, distance_svg, distance_svg_string, values_svg, values_svg_string, Band};
pub use contour::{contour_lines, level_values};
pub use ngd_sim::LevelGrid;
pub use trajectories::{trajectories_svg, trajectories_svg_string};

use ngd_sim::Outcome;
use plotters::prelude::*;
use std::path::Path;

/// Plot size in pixels.
const SIZE: (u32, u32) = (720, 640);
/// At most this many trajectories are drawn (the first runs by index).
pub const MAX_TRAJECTORIES: usize = 120;
/// Values of `f`, `phi` or distances below this are drawn at this floor on log axes (an
/// exact zero, frequent for `f` in float64, cannot be drawn on a log axis).
pub const LOG_FLOOR: f64 = 1e-30;

/// A plotting error as the message returned by every plot function.
fn err<E: std::fmt::Display>(e: E) -> String {
    format!("plot: {e}")
}

/// The colour of an outcome.
pub fn outcome_color(o: Outcome) -> RGBColor {
    match o {
        Outcome::NearFlat => RGBColor(0x1b, 0x9e, 0x4b),
        Outcome::Diverged => RGBColor(0xd6, 0x27, 0x28),
        Outcome::PoleOfPhi => RGBColor(0xff, 0x7f, 0x0e),
        Outcome::Stalled => RGBColor(0x94, 0x67, 0xbd),
        Outcome::NonFinite => RGBColor(0x7f, 0x7f, 0x7f),
        Outcome::Elsewhere => RGBColor(0x1f, 0x77, 0xb4),
    }
}

/// Writes an SVG text to `path`.
fn write(path: &Path, svg: &str) -> Result<(), String> {
    std::fs::write(path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
