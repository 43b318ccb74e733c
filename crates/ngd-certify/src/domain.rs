//! The domain that a statement is about: the points where every given function (typically
//! `f` and `phi`) is defined.
//!
//! Contract: [`Domain::contains`] is `true` only when every function evaluates at the
//! rational point without error (exactly, or by a point-interval enclosure when the value is
//! irrational); [`Domain::misses_box`] is `true` only when interval evaluation shows that
//! some function is undefined at *every* point of the box (a definite domain error or a
//! division by an interval that is exactly `0`). A witness outside the domain is never
//! reported, and a box the domain misses carries no statement.

use crate::boxes::RationalBox;
use inari::Interval;
use ngd_eval::{interval_of, EvalErrorKind, Tape};
use ngd_expr::{Arena, ExprId};
use rug::Rational;

/// The common domain of a few functions.
pub struct Domain {
    tape: Option<Tape>,
}

impl Domain {
    /// All of `R^n`.
    pub fn everywhere() -> Domain {
        Domain { tape: None }
    }

    /// Where every one of `functions` is defined.
    pub fn of(arena: &Arena, functions: &[ExprId]) -> Domain {
        Domain {
            tape: Some(Tape::compile(arena, functions)),
        }
    }

    /// Whether every function is defined at `point` (checked exactly, or by intervals where
    /// a value is irrational).
    pub fn contains(&self, point: &[Rational]) -> bool {
        let Some(tape) = &self.tape else { return true };
        match tape.eval::<Rational>(&(), point) {
            Ok(_) => true,
            Err(e) if matches!(e.kind, EvalErrorKind::NotRational(_)) => {
                let xs: Vec<Interval> = point.iter().map(|q| interval_of(q, q)).collect();
                tape.eval::<Interval>(&(), &xs).is_ok()
            }
            Err(_) => false,
        }
    }

    /// Whether some function is certainly undefined at every point of `bx`.
    pub fn misses_box(&self, bx: &RationalBox) -> bool {
        let Some(tape) = &self.tape else {
            return false;
        };
        match tape.eval::<Interval>(&(), &bx.intervals()) {
            Ok(_) => false,
            Err(e) => matches!(
                e.kind,
                EvalErrorKind::Domain(_) | EvalErrorKind::DivisionByZero
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_expr::Func;

    #[test]
    fn log_is_defined_only_for_positive_arguments() {
        let mut a = Arena::new(vec!["x".into()]);
        let x = a.var(0);
        let l = a.func(Func::Log, x);
        let d = Domain::of(&a, &[l]);
        assert!(d.contains(&[Rational::from(2)]));
        assert!(!d.contains(&[Rational::from((-11, 4))]));
        assert!(!d.contains(&[Rational::from(0)]));
        let left = RationalBox::new(vec![Rational::from(-3)], vec![Rational::from(-1)]).unwrap();
        let across = RationalBox::new(vec![Rational::from(-3)], vec![Rational::from(1)]).unwrap();
        assert!(d.misses_box(&left));
        assert!(!d.misses_box(&across));
    }
}
