//! Euclidean distances between f64 points (the one copy used by the harness, the MPFR
//! tails and the clustering of the report).

/// The Euclidean distance `|a - b|` (the sum of squares in coordinate order, then `sqrt`).
pub(crate) fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// The Euclidean distance from `p` to the nearest point of `set` (infinite for an empty set).
pub(crate) fn dist_to_set(p: &[f64], set: &[Vec<f64>]) -> f64 {
    set.iter().map(|q| dist(p, q)).fold(f64::INFINITY, f64::min)
}
