//! Point intervals of floats.

use inari::Interval;

/// The point interval `[v, v]` of a finite `f64`.
pub fn pt(v: f64) -> Interval {
    Interval::try_from((v, v)).unwrap_or(Interval::ENTIRE)
}
