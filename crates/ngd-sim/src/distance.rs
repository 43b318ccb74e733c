//! Euclidean distances between f64 points (the one copy used by the harness, the MPFR
//! tails and the clustering of the report).

pub(crate) use ngd_eval::vector::dist;

/// The Euclidean distance from `p` to the nearest point of `set` (infinite for an empty set).
pub(crate) fn dist_to_set(p: &[f64], set: &[Vec<f64>]) -> f64 {
    set.iter().map(|q| dist(p, q)).fold(f64::INFINITY, f64::min)
}
