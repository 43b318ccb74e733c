//! Contour lines of a sampled function (marching squares), joined into polylines.

use ngd_sim::LevelGrid;
use std::collections::HashMap;

/// `count` contour levels spread over the samples: the quantiles `i/(count+1)`,
/// `i = 1..=count`, of the finite values of the grid, without repeats.
pub fn level_values(grid: &LevelGrid, count: usize) -> Vec<f64> {
    let mut v: Vec<f64> = grid
        .values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for i in 1..=count {
        let idx = (i * (v.len() - 1)) / (count + 1);
        let q = v[idx];
        if out.last().is_none_or(|&last| q > last) && q < v[v.len() - 1] {
            out.push(q);
        }
    }
    out
}

/// The contour lines of `grid` at `level`, as polylines of `(x, y)` points. Cells with a
/// non-finite corner are skipped; saddle cells are resolved by the mean of the corners.
/// Deterministic: the same grid gives the same lines in the same order.
///
/// ```
/// use ngd_plot::{contour_lines, LevelGrid};
///
/// let g = LevelGrid::from_fn((-2.0, 2.0), (-2.0, 2.0), 41, 41, |x, y| x * x + y * y);
/// let lines = contour_lines(&g, 1.0);
/// assert_eq!(lines.len(), 1, "the unit circle is one line");
/// let l = &lines[0];
/// assert_eq!(l.first(), l.last(), "closed");
/// assert!(l.iter().all(|&(x, y)| ((x * x + y * y).sqrt() - 1.0).abs() < 0.02));
/// ```
pub fn contour_lines(grid: &LevelGrid, level: f64) -> Vec<Vec<(f64, f64)>> {
    let (nx, ny) = (grid.x.len(), grid.y.len());
    if nx < 2 || ny < 2 || grid.values.len() != nx * ny {
        return Vec::new();
    }
    let segs = segments(grid, level);
    join_segments(&segs)
        .into_iter()
        .map(|edges| {
            edges
                .into_iter()
                .map(|e| edge_point(grid, level, e))
                .collect()
        })
        .collect()
}

/// The segments of the contour at `level`, cell by cell (marching squares), each as the
/// pair of grid edges it joins. Edge ids: `2 (j nx + i)` for the horizontal edge
/// `(i,j)-(i+1,j)`, `+1` for the vertical edge `(i,j)-(i,j+1)`.
fn segments(grid: &LevelGrid, level: f64) -> Vec<(usize, usize)> {
    let (nx, ny) = (grid.x.len(), grid.y.len());
    let h = |i: usize, j: usize| 2 * (j * nx + i);
    let v = |i: usize, j: usize| 2 * (j * nx + i) + 1;
    let mut segs: Vec<(usize, usize)> = Vec::new();
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            let (a, b, c, d) = (
                grid.at(i, j),
                grid.at(i + 1, j),
                grid.at(i + 1, j + 1),
                grid.at(i, j + 1),
            );
            if !(a.is_finite() && b.is_finite() && c.is_finite() && d.is_finite()) {
                continue;
            }
            let case = usize::from(a > level)
                | usize::from(b > level) << 1
                | usize::from(c > level) << 2
                | usize::from(d > level) << 3;
            let edges = CellEdges {
                bottom: h(i, j),
                right: v(i + 1, j),
                top: h(i, j + 1),
                left: v(i, j),
            };
            let center_above = (a + b + c + d) / 4.0 > level;
            cell_segments(case, center_above, &edges, &mut segs);
        }
    }
    segs
}

/// The four edge ids of one cell.
struct CellEdges {
    bottom: usize,
    right: usize,
    top: usize,
    left: usize,
}

/// Appends the segments of one cell of marching-squares `case` (bit `k` set when corner
/// `k`, counter-clockwise from the bottom left, is above the level); a saddle (cases 5
/// and 10) is resolved by whether the cell's centre is above the level.
fn cell_segments(case: usize, center_above: bool, e: &CellEdges, segs: &mut Vec<(usize, usize)>) {
    let CellEdges {
        bottom,
        right,
        top,
        left,
    } = *e;
    let mut push = |e1, e2| segs.push((e1, e2));
    match case {
        0 | 15 => {}
        1 | 14 => push(left, bottom),
        2 | 13 => push(bottom, right),
        3 | 12 => push(left, right),
        4 | 11 => push(right, top),
        6 | 9 => push(bottom, top),
        7 | 8 => push(left, top),
        5 => {
            if center_above {
                push(bottom, right);
                push(left, top);
            } else {
                push(left, bottom);
                push(right, top);
            }
        }
        10 => {
            if center_above {
                push(left, bottom);
                push(right, top);
            } else {
                push(bottom, right);
                push(left, top);
            }
        }
        _ => unreachable!("a 4-bit case"),
    }
}

/// The point where the contour at `level` crosses edge `e` (linear interpolation, clamped
/// to the edge; its midpoint when both ends have the same value).
fn edge_point(grid: &LevelGrid, level: f64, e: usize) -> (f64, f64) {
    let nx = grid.x.len();
    let cell = e / 2;
    let (i, j) = (cell % nx, cell / nx);
    let (i2, j2) = if e % 2 == 0 { (i + 1, j) } else { (i, j + 1) };
    let (v0, v1) = (grid.at(i, j), grid.at(i2, j2));
    let t = if v1 != v0 {
        ((level - v0) / (v1 - v0)).clamp(0.0, 1.0)
    } else {
        0.5
    };
    (
        grid.x[i] + t * (grid.x[i2] - grid.x[i]),
        grid.y[j] + t * (grid.y[j2] - grid.y[j]),
    )
}

/// Joins segments that share an edge into chains of edges: each segment is used once, in
/// the order of the first unused segment, extended forward then backward.
fn join_segments(segs: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut adj: HashMap<usize, Vec<usize>> = HashMap::new();
    for (s, &(e1, e2)) in segs.iter().enumerate() {
        adj.entry(e1).or_default().push(s);
        adj.entry(e2).or_default().push(s);
    }
    let mut used = vec![false; segs.len()];
    let walk = |from: usize, used: &mut Vec<bool>| -> Vec<usize> {
        let mut chain = vec![from];
        loop {
            let last = chain[chain.len() - 1];
            let next = adj
                .get(&last)
                .and_then(|ss| ss.iter().copied().find(|&s| !used[s]));
            let Some(s) = next else { break };
            used[s] = true;
            let (e1, e2) = segs[s];
            chain.push(if e1 == last { e2 } else { e1 });
        }
        chain
    };
    let mut lines = Vec::new();
    for s0 in 0..segs.len() {
        if used[s0] {
            continue;
        }
        used[s0] = true;
        let (e1, e2) = segs[s0];
        let fwd = walk(e2, &mut used);
        let back = walk(e1, &mut used);
        lines.push(back.into_iter().rev().chain(fwd).collect());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circle_is_one_closed_line() {
        let g = LevelGrid::from_fn((-2.0, 2.0), (-2.0, 2.0), 41, 41, |x, y| x * x + y * y);
        let lines = contour_lines(&g, 1.0);
        assert_eq!(lines.len(), 1);
        let l = &lines[0];
        assert!(l.len() > 20);
        assert_eq!(l.first(), l.last(), "closed");
        for &(x, y) in l {
            assert!(((x * x + y * y).sqrt() - 1.0).abs() < 0.02, "{x} {y}");
        }
        let levels = level_values(&g, 5);
        assert_eq!(levels.len(), 5);
        assert!(levels.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn hyperbola_has_two_branches_and_skips_poles() {
        let g = LevelGrid::from_fn((-2.0, 2.0), (-2.0, 2.0), 40, 40, |x, y| {
            if x.abs() < 0.05 {
                f64::INFINITY
            } else {
                x * y
            }
        });
        let lines = contour_lines(&g, 1.0);
        assert_eq!(lines.len(), 2);
        for l in &lines {
            for &(x, y) in l {
                assert!((x * y - 1.0).abs() < 0.1, "{x} {y}");
            }
        }
    }
}
