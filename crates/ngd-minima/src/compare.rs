//! Comparing the flat points found with claimed ones (`[expect] flat_minima`).

use crate::closed_form::fmt_mp;
use crate::explain::ComparisonNote;
use crate::report::{ClaimCheck, FlatComparison, FlatMinima};
use rug::Float;

/// Relative max-norm tolerance for a claimed point to match a found one.
pub const CLAIM_TOLERANCE: f64 = 1e-12;

/// Compares the isolated flat points of `report` with `expected` (each claimed coordinate in
/// MPFR): a claim matches when a found flat point lies within max-norm distance
/// `1e-12 * max(1, |claimed|)` (the found points are refined to far more digits). Found
/// flat points that no claim matches are listed as unclaimed. Positive-dimensional flat sets
/// cannot be matched point by point: a note says so and they make `all_matched` false only
/// if claims are left unmatched.
pub fn compare_flat(report: &FlatMinima, expected: &[Vec<Float>]) -> FlatComparison {
    let mut claims = Vec::new();
    let mut used = vec![false; report.flat_points.len()];
    let mut notes = Vec::new();
    for claim in expected {
        let prec = claim.iter().map(Float::prec).max().unwrap_or(64).max(64);
        let scale = claim.iter().map(|c| c.to_f64().abs()).fold(1.0, f64::max);
        let mut best: Option<(usize, Float)> = None;
        for (k, fp) in report.flat_points.iter().enumerate() {
            if fp.point.coords.len() != claim.len() {
                continue;
            }
            let mut d = Float::with_val(prec, 0);
            for (s, c) in fp.point.coords.iter().zip(claim) {
                let v = Float::parse(s)
                    .map(|p| Float::with_val(prec, p))
                    .unwrap_or_else(|_| Float::with_val(prec, f64::NAN));
                let diff = Float::with_val(prec, &v - c).abs();
                if diff > d || diff.is_nan() {
                    d = diff;
                }
            }
            if best.as_ref().is_none_or(|(_, bd)| d < *bd) {
                best = Some((k, d));
            }
        }
        let matched = best
            .as_ref()
            .is_some_and(|(_, d)| d.to_f64() <= CLAIM_TOLERANCE * scale);
        if let (true, Some((k, _))) = (matched, &best) {
            used[*k] = true;
        }
        claims.push(ClaimCheck {
            claimed: claim.iter().map(|c| fmt_mp(c, 20)).collect(),
            matched,
            nearest: best.as_ref().map(|(k, _)| *k),
            distance: best.as_ref().map(|(_, d)| fmt_mp(d, 3)),
        });
    }
    if !report.flat_sets.is_empty() {
        notes.push(ComparisonNote::PositiveDimensionalFlatSets);
    }
    let unclaimed: Vec<usize> = (0..used.len()).filter(|&k| !used[k]).collect();
    let all_matched = claims.iter().all(|c| c.matched) && unclaimed.is_empty();
    FlatComparison {
        claims,
        unclaimed,
        tolerance: CLAIM_TOLERANCE,
        all_matched,
        notes,
    }
}
