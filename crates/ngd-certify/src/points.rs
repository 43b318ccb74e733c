//! Exact evaluation at rational points, with an interval fallback, for witnesses.

use crate::boxes::RationalBox;
use crate::evidence::Witness;
use inari::Interval;
use ngd_eval::{interval_of, EvalError, EvalErrorKind, Tape};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use rug::Rational;

/// The value of a tape output at a rational point.
#[derive(Clone, Debug)]
pub enum PointValue {
    /// Computed exactly.
    Exact(Rational),
    /// Not rational (e.g. involves `exp`); an outward-rounded enclosure of the true value.
    Enclosure(Interval),
    /// Undefined there (pole or domain error) or not decidable by intervals.
    Undefined(EvalError),
}

/// Evaluates output `output` of `tape` at `point`: exactly when every operation stays
/// rational, otherwise as an outward-rounded enclosure of the exact value.
pub fn value_at(tape: &Tape, output: usize, point: &[Rational]) -> PointValue {
    match tape.eval::<Rational>(&(), point) {
        Ok(v) => PointValue::Exact(v[output].clone()),
        Err(e) if matches!(e.kind, EvalErrorKind::NotRational(_)) => {
            let xs: Vec<Interval> = point.iter().map(|q| interval_of(q, q)).collect();
            match tape.eval::<Interval>(&(), &xs) {
                Ok(v) => PointValue::Enclosure(v[output]),
                Err(e) => PointValue::Undefined(e),
            }
        }
        Err(e) => PointValue::Undefined(e),
    }
}

/// A witness that output `output` is nonzero at `point`, if its sign there is certain.
pub fn sign_witness(tape: &Tape, output: usize, point: &[Rational]) -> Option<Witness> {
    match value_at(tape, output, point) {
        PointValue::Exact(v) => Witness::exact(point, &v),
        PointValue::Enclosure(i) => Witness::enclosure(point, i.inf(), i.sup()),
        PointValue::Undefined(_) => None,
    }
}

/// Deterministic sample points of a box with short rational coordinates: each coordinate is
/// `lo + (hi - lo) * k / 24` for a pseudo-random `k` in `1..24`, so witnesses stay readable.
pub fn sample_points(bx: &RationalBox, count: usize, seed: u64) -> Vec<Vec<Rational>> {
    let mut rng = Pcg64::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            bx.lo
                .iter()
                .zip(&bx.hi)
                .map(|(lo, hi)| {
                    let k: i64 = rng.random_range(1..24);
                    let w = Rational::from(hi - lo);
                    lo + w * Rational::from((k, 24))
                })
                .collect()
        })
        .collect()
}
