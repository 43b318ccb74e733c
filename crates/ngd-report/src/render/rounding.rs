//! Certified numbers printed with three significant digits, rounded in the direction that
//! keeps the printed statement true: a proved lower bound (a decrease constant, a step bound)
//! is printed rounded down, a proved upper bound (a distance) rounded up. The direction is
//! checked exactly (rationals): the f64 nearest to `1.23e-3` lies below `1.23e-3`, so
//! "rounded down" must print `1.22e-3`.

use rug::{Integer, Rational};

/// Which way a printed decimal may differ from the certified value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    /// The printed decimal is `<=` the value.
    Down,
    /// The printed decimal is `>=` the value.
    Up,
}

/// `hundredths / 100 * 10^e` with `100 <= hundredths <= 999`: three significant digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ThreeDigits {
    /// The mantissa times 100.
    pub hundredths: i64,
    /// The decimal exponent.
    pub e: i32,
}

impl ThreeDigits {
    /// `x > 0` (finite) rounded in direction `dir`, checked exactly; `None` otherwise.
    pub fn round(x: f64, dir: Direction) -> Option<ThreeDigits> {
        if !x.is_finite() || x <= 0.0 {
            return None;
        }
        let exact_x = Rational::from_f64(x)?;
        let round = |v: f64| match dir {
            Direction::Down => v.floor(),
            Direction::Up => v.ceil(),
        };
        let mut e = x.log10().floor() as i32;
        let mut hundredths = round(x / 10f64.powi(e) * 100.0) as i64;
        // The loops absorb the error of log10 and of the division (the mantissa in [1, 10)).
        while hundredths >= 1000 {
            e += 1;
            hundredths = round(x / 10f64.powi(e) * 100.0) as i64;
        }
        while hundredths < 100 {
            e -= 1;
            hundredths = round(x / 10f64.powi(e) * 100.0) as i64;
        }
        let mut d = ThreeDigits { hundredths, e };
        while !d.obeys(&exact_x, dir) {
            d = d.step(dir);
        }
        Some(d)
    }

    /// The decimal, exactly.
    pub fn value(self) -> Rational {
        let pow10 = |k: i32| Integer::from(Integer::u_pow_u(10, k.unsigned_abs()));
        if self.e >= 2 {
            Rational::from(self.hundredths * pow10(self.e - 2))
        } else {
            Rational::from((Integer::from(self.hundredths), pow10(2 - self.e)))
        }
    }

    /// The mantissa `d.dd`.
    pub fn mantissa(self) -> String {
        format!("{}.{:02}", self.hundredths / 100, self.hundredths % 100)
    }

    /// `d.dde<e>`.
    pub fn text(self) -> String {
        format!("{}e{}", self.mantissa(), self.e)
    }

    fn obeys(self, exact_x: &Rational, dir: Direction) -> bool {
        match dir {
            Direction::Down => self.value() <= *exact_x,
            Direction::Up => self.value() >= *exact_x,
        }
    }

    /// The next three-digit decimal in direction `dir` (`1.00e-7` down is `9.99e-8`).
    fn step(self, dir: Direction) -> ThreeDigits {
        let ThreeDigits { hundredths, e } = self;
        match dir {
            Direction::Down if hundredths == 100 => ThreeDigits {
                hundredths: 999,
                e: e - 1,
            },
            Direction::Down => ThreeDigits {
                hundredths: hundredths - 1,
                e,
            },
            Direction::Up if hundredths == 999 => ThreeDigits {
                hundredths: 100,
                e: e + 1,
            },
            Direction::Up => ThreeDigits {
                hundredths: hundredths + 1,
                e,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The printed text read back from its digits, independently of [`ThreeDigits::value`].
    fn printed(text: &str) -> Rational {
        let (m, e) = text.split_once('e').unwrap();
        let h: i64 = m.replace('.', "").parse().unwrap();
        let e: i32 = e.parse().unwrap();
        let zeros = "0".repeat((e - 2).unsigned_abs() as usize);
        let s = if e >= 2 {
            format!("{h}{zeros}")
        } else {
            format!("{h}/1{zeros}")
        };
        Rational::from(Rational::parse(&s).unwrap())
    }

    #[test]
    fn both_directions_hold_exactly() {
        for x in [
            1e-9,
            1.0000000001e-9,
            9.999e-10,
            2.5e-7,
            1.0,
            123.456,
            9.9999e-3,
            0.1,
            0.3,
        ] {
            let exact = Rational::from_f64(x).unwrap();
            let down = ThreeDigits::round(x, Direction::Down).unwrap();
            let up = ThreeDigits::round(x, Direction::Up).unwrap();
            assert!(printed(&down.text()) <= exact, "{x} down: {}", down.text());
            assert!(printed(&up.text()) >= exact, "{x} up: {}", up.text());
            for d in [down, up] {
                assert!((100..=999).contains(&d.hundredths), "{x}: {d:?}");
                assert_eq!(printed(&d.text()), d.value());
            }
        }
    }

    #[test]
    fn the_nearest_f64_decides_the_digits() {
        // The f64 nearest 1e-9 lies above it, the ones nearest 2.5e-7, 1.23e-3 and 1e-7 below.
        assert_eq!(
            ThreeDigits::round(1e-9, Direction::Up).unwrap().text(),
            "1.01e-9"
        );
        assert_eq!(
            ThreeDigits::round(2.5e-7, Direction::Up).unwrap().text(),
            "2.50e-7"
        );
        assert_eq!(
            ThreeDigits::round(1.23e-3, Direction::Down).unwrap().text(),
            "1.22e-3"
        );
        assert_eq!(
            ThreeDigits::round(1e-7, Direction::Down).unwrap().text(),
            "9.99e-8"
        );
        // Rounding up across a decade keeps three digits.
        assert_eq!(
            ThreeDigits::round(9.999e-3, Direction::Up).unwrap().text(),
            "1.00e-2"
        );
    }

    #[test]
    fn only_finite_positive_values_are_rounded() {
        for x in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(ThreeDigits::round(x, Direction::Down).is_none());
            assert!(ThreeDigits::round(x, Direction::Up).is_none());
        }
    }
}
