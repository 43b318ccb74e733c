//! `f` sampled on a grid, for the level sets of two-variable plots.

use crate::nonfinite;
use crate::problem::Harness;
use serde::{Deserialize, Serialize};

/// A function sampled on a rectangular grid: `values[j * x.len() + i] = f(x[i], y[j])`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LevelGrid {
    /// The grid abscissae, increasing.
    pub x: Vec<f64>,
    /// The grid ordinates, increasing.
    pub y: Vec<f64>,
    /// The samples, row by row (one row per `y`); may contain non-finite values.
    #[serde(with = "nonfinite::vec")]
    #[schemars(with = "Vec<nonfinite::F>")]
    pub values: Vec<f64>,
}

fn axis(r: (f64, f64), n: usize) -> Vec<f64> {
    let n = n.max(2);
    (0..n)
        .map(|i| r.0 + (r.1 - r.0) * i as f64 / (n - 1) as f64)
        .collect()
}

impl LevelGrid {
    /// Samples `f` on `nx x ny` equally spaced points of `[x.0, x.1] x [y.0, y.1]` (at least
    /// 2 per axis).
    pub fn from_fn(
        x: (f64, f64),
        y: (f64, f64),
        nx: usize,
        ny: usize,
        f: impl Fn(f64, f64) -> f64,
    ) -> LevelGrid {
        let xs = axis(x, nx);
        let ys = axis(y, ny);
        let mut values = Vec::with_capacity(xs.len() * ys.len());
        for &yv in &ys {
            for &xv in &xs {
                values.push(f(xv, yv));
            }
        }
        LevelGrid {
            x: xs,
            y: ys,
            values,
        }
    }

    /// The sample at grid point `(i, j)`.
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.x.len() + i]
    }
}

impl Harness {
    /// `f` on a grid, for a two-variable problem (`None` otherwise, or when the window is
    /// empty or NaN). Bounds beyond `1e300` in magnitude are clamped to it.
    pub fn level_grid(
        &self,
        x: (f64, f64),
        y: (f64, f64),
        nx: usize,
        ny: usize,
    ) -> Option<LevelGrid> {
        if self.n != 2 {
            return None;
        }
        // A window beyond the f64 range (e.g. a padded start box of width 1e308) has an
        // infinite width: clamp it, so that the axes stay finite.
        const LIM: f64 = 1e300;
        let clamp = |r: (f64, f64)| (r.0.clamp(-LIM, LIM), r.1.clamp(-LIM, LIM));
        let (x, y) = (clamp(x), clamp(y));
        if !(x.0 < x.1 && y.0 < y.1) {
            return None;
        }
        let mut scratch = Vec::new();
        let mut out = vec![0.0; self.vals.n_outputs()];
        let cell = std::cell::RefCell::new((&mut scratch, &mut out));
        Some(LevelGrid::from_fn(x, y, nx, ny, |a, b| {
            let mut c = cell.borrow_mut();
            let (s, o) = &mut *c;
            self.vals.eval_f64(&[a, b], s, o);
            o[0]
        }))
    }
}

#[cfg(test)]
mod tests {
    use crate::prepare;
    use ngd_expr::Arena;

    #[test]
    fn windows_beyond_the_f64_range_are_clamped() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let (x, y) = (a.var(0), a.var(1));
        let f = a.mul2(x, y);
        let h = prepare(&mut a, f, None);
        let g = h
            .level_grid((-1e308 * 10.0, f64::INFINITY), (-1.0, 1.0), 4, 4)
            .expect("a clamped window");
        assert_eq!((g.x[0], g.x[3]), (-1e300, 1e300));
        assert!(g.x.iter().all(|v| v.is_finite()));
        assert!(h.level_grid((f64::NAN, 1.0), (-1.0, 1.0), 4, 4).is_none());
        assert!(h.level_grid((1.0, 1.0), (-1.0, 1.0), 4, 4).is_none());
    }
}
