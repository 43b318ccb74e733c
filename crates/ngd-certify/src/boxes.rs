//! Boxes with exact rational corners: the sets that interval proofs are about.

use inari::Interval;
use ngd_eval::interval_of;
use rug::Rational;

/// An axis-aligned box `[lo_i, hi_i]` with exact rational bounds (`lo_i <= hi_i`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RationalBox {
    /// Lower corner.
    pub lo: Vec<Rational>,
    /// Upper corner.
    pub hi: Vec<Rational>,
}

impl RationalBox {
    /// A box from its corners; `None` when the dimensions differ or some `lo_i > hi_i`.
    pub fn new(lo: Vec<Rational>, hi: Vec<Rational>) -> Option<RationalBox> {
        (lo.len() == hi.len() && lo.iter().zip(&hi).all(|(a, b)| a <= b))
            .then_some(RationalBox { lo, hi })
    }

    /// The cube `[-r, r]^n`.
    pub fn cube(n: usize, r: i64) -> RationalBox {
        RationalBox {
            lo: vec![Rational::from(-r); n],
            hi: vec![Rational::from(r); n],
        }
    }

    /// The number of coordinates.
    pub fn dim(&self) -> usize {
        self.lo.len()
    }

    /// The exact midpoint.
    pub fn center(&self) -> Vec<Rational> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| Rational::from(a + b) / 2u32)
            .collect()
    }

    /// The widths of the coordinates.
    pub fn widths(&self) -> Vec<Rational> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| Rational::from(b - a))
            .collect()
    }

    /// Splits the widest coordinate at its exact midpoint (ties: the first such coordinate).
    pub fn bisect(&self) -> (RationalBox, RationalBox) {
        let w = self.widths();
        let mut k = 0;
        for i in 1..w.len() {
            if w[i] > w[k] {
                k = i;
            }
        }
        let mid = Rational::from(&self.lo[k] + &self.hi[k]) / 2u32;
        let mut left = self.clone();
        let mut right = self.clone();
        left.hi[k] = mid.clone();
        right.lo[k] = mid;
        (left, right)
    }

    /// Outward-rounded interval coordinates.
    pub fn intervals(&self) -> Vec<Interval> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| interval_of(a, b))
            .collect()
    }

    /// The largest width as a float (for budgets and reports).
    pub fn max_width(&self) -> f64 {
        self.widths()
            .iter()
            .map(Rational::to_f64)
            .fold(0.0, f64::max)
    }
}
