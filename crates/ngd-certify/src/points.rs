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
    SamplePoints::new(bx, count, seed).collect()
}

/// The points of [`sample_points`], one at a time: callers that stop at the first point they
/// need (the first point in a domain, the first negative value) do not build the rest.
pub struct SamplePoints<'a> {
    lo: &'a [Rational],
    /// `(hi - lo) / 24` per coordinate: the grid step of the points.
    steps: Vec<Rational>,
    rng: Pcg64,
    left: usize,
}

impl<'a> SamplePoints<'a> {
    /// The first `count` points of `bx` for `seed`, in the order of [`sample_points`].
    pub fn new(bx: &'a RationalBox, count: usize, seed: u64) -> SamplePoints<'a> {
        let steps = bx
            .lo
            .iter()
            .zip(&bx.hi)
            .map(|(lo, hi)| Rational::from(hi - lo) / 24u32)
            .collect();
        SamplePoints {
            lo: &bx.lo,
            steps,
            rng: Pcg64::seed_from_u64(seed),
            left: count,
        }
    }
}

impl Iterator for SamplePoints<'_> {
    type Item = Vec<Rational>;

    fn next(&mut self) -> Option<Vec<Rational>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let rng = &mut self.rng;
        let point = self
            .lo
            .iter()
            .zip(&self.steps)
            // One draw per coordinate, in coordinate order.
            .map(|(lo, step)| Rational::from(step * rng.random_range(1i64..24)) + lo)
            .collect();
        Some(point)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The points as first written: `lo + (hi - lo) * k / 24` with all draws up front. Witnesses
    /// in saved reports depend on this sequence, so the lazy generator must keep it.
    fn reference_points(bx: &RationalBox, count: usize, seed: u64) -> Vec<Vec<Rational>> {
        let mut rng = Pcg64::seed_from_u64(seed);
        (0..count)
            .map(|_| {
                bx.lo
                    .iter()
                    .zip(&bx.hi)
                    .map(|(lo, hi)| {
                        let k: i64 = rng.random_range(1..24);
                        lo + Rational::from(hi - lo) * Rational::from((k, 24))
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn lazy_points_keep_the_sequence() {
        let q = |n: i64, d: i64| Rational::from((n, d));
        let boxes = [
            RationalBox::cube(1, 3),
            RationalBox::cube(8, 1),
            RationalBox::new(
                vec![q(-7, 3), q(0, 1), q(5, 2)],
                vec![q(1, 5), q(9, 7), q(5, 2)],
            )
            .expect("a valid box"),
        ];
        for bx in &boxes {
            for seed in [0, 1, 12345] {
                for count in [0, 1, 5, 200] {
                    let want = reference_points(bx, count, seed);
                    assert_eq!(
                        sample_points(bx, count, seed),
                        want,
                        "{bx:?} {seed} {count}"
                    );
                    let first: Vec<_> = SamplePoints::new(bx, count, seed).take(3).collect();
                    assert_eq!(first, want[..count.min(3)]);
                }
            }
        }
    }
}
