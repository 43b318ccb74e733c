//! Decimal formatting of MPFR numbers, and recognition of short closed forms: `0`, small
//! rationals, and `r * k^(p/q)` for small `r`, `k`, `p`, `q` (e.g. `2^(-1/3)`, `1/sqrt(2)`).
//!
//! Recognition compares against the candidate to the accuracy the value is known to; it is
//! evidence, not a proof (no integer-relation search for other algebraic numbers is done).

use rug::ops::Pow;
use rug::{Float, Integer, Rational};

/// `x` with `digits` significant digits: plain notation for moderate exponents
/// (`0.7937005259...`, `-1.000...`), scientific otherwise (`1.23e-70`).
pub fn fmt_mp(x: &Float, digits: u32) -> String {
    if x.is_zero() {
        return "0".into();
    }
    let s = x.to_string_radix(10, Some(digits.max(1) as usize));
    let (mant, exp) = match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i64>().unwrap_or(0)),
        None => return s,
    };
    let (sign, mant) = match mant.strip_prefix('-') {
        Some(m) => ("-", m.to_string()),
        None => ("", mant),
    };
    let digs: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    // mant is d.ddd, value = 0.dddd * 10^(exp+1)
    let point = exp + 1;
    if (-5..=0).contains(&point) {
        let zeros = "0".repeat((-point) as usize);
        return format!("{sign}0.{zeros}{digs}");
    }
    if point > 0 && (point as usize) < digs.len() {
        let (a, b) = digs.split_at(point as usize);
        return format!("{sign}{a}.{b}");
    }
    format!("{sign}{mant}e{exp}")
}

/// The best rational approximation `p/q` of `x` with `q <= max_den` from its continued
/// fraction, if it is within `tol` (absolute) of `x`.
pub fn small_rational(x: &Float, max_den: u64, tol: &Float) -> Option<Rational> {
    let prec = x.prec();
    let mut r = x.clone();
    let (mut p0, mut q0, mut p1, mut q1) = (
        Integer::from(0),
        Integer::from(1),
        Integer::from(1),
        Integer::from(0),
    );
    for _ in 0..64 {
        let a = r.clone().floor();
        let ai = a.to_integer()?;
        let p2 = Integer::from(&ai * &p1) + &p0;
        let q2 = Integer::from(&ai * &q1) + &q0;
        if q2 > max_den {
            return None;
        }
        let cand = Rational::from((p2.clone(), q2.clone()));
        let diff = Float::with_val(prec, x - &cand).abs();
        if diff <= *tol {
            return Some(cand);
        }
        p0 = p1;
        q0 = q1;
        p1 = p2;
        q1 = q2;
        let frac = Float::with_val(prec, &r - &a);
        if frac.is_zero() {
            return None;
        }
        r = Float::with_val(prec, frac.recip_ref());
    }
    None
}

/// A rational with denominator at most `max_den` within `rel` (relative) of `x`, by the
/// continued fraction of `x` in `f64` (a cheap filter before the MPFR check).
fn near_rational_f64(x: f64, max_den: u64, rel: f64) -> bool {
    if !x.is_finite() {
        return false;
    }
    let tol = rel * x.abs().max(1.0);
    let (mut p0, mut q0, mut p1, mut q1) = (0.0f64, 1.0f64, 1.0f64, 0.0f64);
    let mut r = x;
    for _ in 0..40 {
        let a = r.floor();
        let p2 = a * p1 + p0;
        let q2 = a * q1 + q0;
        if q2 > max_den as f64 {
            return false;
        }
        if (x - p2 / q2).abs() <= tol {
            return true;
        }
        p0 = p1;
        q0 = q1;
        p1 = p2;
        q1 = q2;
        let fr = r - a;
        if fr == 0.0 {
            return false;
        }
        r = 1.0 / fr;
    }
    false
}

fn fmt_rational(q: &Rational) -> String {
    if *q.denom() == 1 {
        q.numer().to_string()
    } else {
        format!("{}/{}", q.numer(), q.denom())
    }
}

/// Bases tried: integers `2..=30` that are not perfect powers.
const BASES: [u32; 23] = [
    2, 3, 5, 6, 7, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 26, 28, 29, 30,
];

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

/// A short closed form of `x` known to about `digits` significant digits, or `None`.
///
/// Tried in this order: `0` (when `|x| < 10^-digits`), rationals with denominator at most
/// 1000, then `r * k^(p/q)` with `k` in 2..30 (not a perfect power), `2 <= q <= 6`,
/// `0 < |p| < q`, and `r` rational with numerator and denominator at most 100. `digits`
/// below 12 gives no recognition except `0`.
pub fn recognize(x: &Float, digits: u32) -> Option<String> {
    let prec = x.prec();
    let scale = Float::with_val(prec, x.abs_ref()).max(&Float::with_val(prec, 1));
    let tol = Float::with_val(prec, Float::with_val(prec, 10).pow(-(digits as i32))) * &scale;
    if Float::with_val(prec, x.abs_ref()) < tol {
        return Some("0".into());
    }
    if digits < 12 {
        return None;
    }
    // Recognition needs only the digits that are known: work at that precision.
    let prec = ((digits as f64 + 10.0) * std::f64::consts::LOG2_10).ceil() as u32;
    let x = &Float::with_val(prec, x);
    let tol = Float::with_val(prec, &tol);
    let x64 = x.to_f64();
    if near_rational_f64(x64, 1000, 1e-9) {
        if let Some(q) = small_rational(x, 1000, &tol) {
            return Some(fmt_rational(&q));
        }
    }
    for &k in &BASES {
        for q in 2..=6i64 {
            // Among the exponents p/q that match, prefer the simplest coefficient r.
            let mut best: Option<(Rational, i64)> = None;
            for p in -(q - 1)..q {
                if p == 0 || gcd(p, q) != 1 {
                    continue;
                }
                let b64 = (k as f64).powf(p as f64 / q as f64);
                if !near_rational_f64(x64 / b64, 100, 1e-9) {
                    continue;
                }
                let e = Float::with_val(prec, Rational::from((p, q)));
                let kp = Float::with_val(prec, k).pow(&e);
                let w = Float::with_val(prec, x / &kp);
                let wtol = Float::with_val(prec, &tol / &kp);
                if let Some(r) = small_rational(&w, 100, &wtol) {
                    if r.numer().clone().abs() > 100 {
                        continue;
                    }
                    let h = |r: &Rational| r.numer().clone().abs().max(r.denom().clone());
                    let better = match &best {
                        None => true,
                        Some((b, bp)) => h(&r) < h(b) || (h(&r) == h(b) && p > 0 && *bp < 0),
                    };
                    if better {
                        best = Some((r, p));
                    }
                }
            }
            if let Some((r, p)) = best {
                let base = match (p, q) {
                    (1, 2) => format!("sqrt({k})"),
                    (-1, 2) if r == 1 || r == -1 => format!("1/sqrt({k})"),
                    _ => format!("{k}^({p}/{q})"),
                };
                let text = if r == 1 {
                    base
                } else if r == -1 {
                    format!("-{base}")
                } else {
                    format!("{}*{base}", fmt_rational(&r))
                };
                return Some(text);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Small rationals are recognised exactly, and with the sign.
        #[test]
        fn small_rationals_round_trip(p in -999i64..1000, q in 1i64..1000) {
            let r = Rational::from((p, q));
            let x = Float::with_val(300, &r);
            let text = recognize(&x, 40).unwrap();
            let back: Rational = if text == "0" { Rational::new() } else { text.parse().unwrap() };
            prop_assert_eq!(back, r);
        }
    }

    fn f(x: Float) -> Float {
        x
    }

    #[test]
    fn recognises_roots_and_rationals() {
        let p = 300;
        let x = f(Float::with_val(p, 2).root(3).recip());
        assert_eq!(recognize(&x, 40).as_deref(), Some("2^(-1/3)"));
        let x = Float::with_val(p, 2).sqrt().recip();
        assert_eq!(recognize(&x, 40).as_deref(), Some("1/sqrt(2)"));
        let x = -Float::with_val(p, 2).sqrt().recip();
        assert_eq!(recognize(&x, 40).as_deref(), Some("-1/sqrt(2)"));
        let x = Float::with_val(p, -1);
        assert_eq!(recognize(&x, 40).as_deref(), Some("-1"));
        let x = Float::with_val(p, Rational::from((3, 7)));
        assert_eq!(recognize(&x, 40).as_deref(), Some("3/7"));
        let x = Float::with_val(p, 1e-60);
        assert_eq!(recognize(&x, 40).as_deref(), Some("0"));
        let x = Float::with_val(p, 3) * Float::with_val(p, 5).sqrt();
        assert_eq!(recognize(&x, 40).as_deref(), Some("3*sqrt(5)"));
        let pi = Float::with_val(p, rug::float::Constant::Pi);
        assert_eq!(recognize(&pi, 40), None);
    }

    #[test]
    fn formats() {
        let p = 300;
        let x = Float::with_val(p, 2).root(3).recip();
        assert_eq!(fmt_mp(&x, 10), "0.7937005260");
        assert_eq!(fmt_mp(&Float::with_val(p, -1), 5), "-1.0000");
        assert_eq!(fmt_mp(&Float::with_val(p, 123.5), 5), "123.50");
        assert!(fmt_mp(&Float::with_val(p, 1e-70), 3).contains('e'));
    }
}
