//! Euclidean and max-norm distances between `f64` points: the one copy every crate uses
//! (numerical evidence only; the sum of squares runs in coordinate order, so results are
//! bit-identical wherever they are computed), and the runtime CPU dispatch of the vectorized
//! loops ([`simd`]).

pub use crate::lanes::simd;

/// The Euclidean norm `|v|`.
pub fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

/// The Euclidean distance `|a - b|`.
pub fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// The max-norm distance `max_i |a_i - b_i|`.
pub fn dist_inf(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_of_a_3_4_5_triangle() {
        assert_eq!(norm(&[3.0, 4.0]), 5.0);
        assert_eq!(dist(&[1.0, 1.0], &[4.0, 5.0]), 5.0);
        assert_eq!(dist_inf(&[1.0, 1.0], &[4.0, 5.0]), 4.0);
    }
}
